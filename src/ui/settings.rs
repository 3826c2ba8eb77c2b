//! The Settings view: each business shapes its own sales process.
//!
//! Three sections. **Pipelines & stages**: the pipelines on the left; the selected one's
//! stages on the right, reordered by drag (or the arrows), edited inline (name, kind, default
//! probability, expected result, stale threshold, folded), deleted after asking where their
//! deals go. **Lists**: the lookup tables. **General**: base currency, default expected close,
//! date format, first day of the week and backups.
//!
//! Every save is an [`Action::Apply`] the app runs after the frame, with undo. An editor or a
//! question closes only once the data generation shows its command was applied: a refused save
//! (its reason in the status bar) keeps what was typed.

use crate::ui::direction;
use crate::ui::text::bidi;
use std::collections::HashMap;

use egui::{Align, Color32, FontId, Margin, RichText, Stroke, TextEdit, vec2};
use rust_decimal::Decimal;

use super::app::{Action, Ctx};
use super::theme;
use crate::command::{Change, Command};
use crate::domain::*;
use crate::i18n::{deals, format_count, format_percent};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The pipeline list's initial width.
const PIPELINE_LIST_WIDTH: f32 = 260.0;
/// Height of a stage row.
const ROW_HEIGHT: f32 = 26.0;
/// Widths of the stage table's columns.
const HANDLE_WIDTH: f32 = 18.0;
const NAME_WIDTH: f32 = 220.0;
const KIND_WIDTH: f32 = 64.0;
const PROBABILITY_WIDTH: f32 = 84.0;
const STALE_WIDTH: f32 = 90.0;
const FOLDED_WIDTH: f32 = 56.0;
const DEALS_WIDTH: f32 = 52.0;
/// Width of a one-line text field in the editors.
const FIELD_WIDTH: f32 = 320.0;
/// Width of a number field.
const NUMBER_WIDTH: f32 = 64.0;
/// The default expected close is at most ten years away.
const MAX_CLOSE_DAYS: u32 = 3650;
/// The most daily backups kept.
const MAX_BACKUPS: u32 = 365;

/// The Settings view.
#[derive(Default)]
pub struct SettingsView {
    lookups: super::lookups::LookupsEditor,
    section: Section,
    pipelines: PipelinesTab,
    general: GeneralTab,
}

/// The sections, chosen by the tabs at the top.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Section {
    #[default]
    Pipelines,
    Lists,
    General,
}

impl SettingsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        // Last frame's commands have been applied (or refused) by now, whatever is shown.
        self.pipelines.settle(ws);
        self.general.settle(ws);
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            for (section, name) in [
                (Section::Pipelines, tr!("Pipelines & stages")),
                (Section::Lists, tr!("Lists")),
                (Section::General, tr!("General")),
            ] {
                ui.selectable_value(
                    &mut self.section,
                    section,
                    bidi(ui, RichText::new(name).size(15.0)),
                );
            }
        });
        ui.separator();
        match self.section {
            Section::Pipelines => self.pipelines.ui(ui, ws, &mut actions),
            Section::Lists => actions.extend(self.lookups.ui(ui, ws)),
            Section::General => self.general.ui(ui, ws, &mut actions),
        }
        actions
    }
}

fn change_action(change: Change) -> Action {
    Action::Apply(Command::Change(Box::new(change)))
}

/// What is wrong with a record, one "Field: reason" per line.
fn error_text(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn kind_label(kind: StageKind) -> String {
    match kind {
        StageKind::Open => tr!("Open"),
        StageKind::Won => tr!("Won"),
        StageKind::Lost => tr!("Lost"),
    }
}

fn kind_color(kind: StageKind) -> Color32 {
    match kind {
        StageKind::Open => theme::TEXT_MUTED,
        StageKind::Won => theme::WON,
        StageKind::Lost => theme::LOST,
    }
}

/// The frame of an inline editor.
fn editor_frame<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .fill(theme::COLUMN_FILL)
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(Margin::same(12))
        .show(ui, add)
        .inner
}

/// The frame of an inline question (a deletion, deals to re-default): tinted by `color`.
fn ask_frame<R>(ui: &mut egui::Ui, color: Color32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.07))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.4)))
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(Margin::same(10))
        .show(ui, add)
        .inner
}

fn muted(text: String) -> RichText {
    RichText::new(text).color(theme::TEXT_MUTED)
}

// --- Pipelines & stages -------------------------------------------------------------------

/// A command sent last frame whose success changes what the tab shows.
struct Pending {
    /// The data generation when it was sent: a different one later means it was applied.
    generation: u64,
    kind: PendingKind,
}

enum PendingKind {
    /// A pipeline of this name was created: select it.
    PipelineCreated(String),
    /// The selected pipeline was renamed.
    PipelineRenamed,
    /// The selected pipeline was deleted: show the first one.
    PipelineDeleted,
    /// The stage editor saved: close it.
    StageSaved,
    /// The stage asked about was deleted: close the question.
    StageDeleted,
}

/// A name being typed, with what is wrong with it.
#[derive(Default)]
struct NameDraft {
    text: String,
    /// The stored name the draft was taken from (the rename field follows it when untouched).
    original: String,
    error: Option<String>,
}

/// The inline question before deleting a stage.
struct StageDelete {
    stage: Id,
    /// The stage its deals move to.
    target: Option<Id>,
}

/// The inline question before deleting the selected pipeline.
#[derive(Default)]
struct PipelineDelete {
    /// The pipeline its deals move to.
    target: Option<Id>,
}

/// What a dragged stage row carries.
#[derive(Clone, Copy, Debug)]
struct StageDrag(Id);

/// Deals per stage and per pipeline (archived and trashed ones included, as deletions count
/// them), recounted when the data changes.
#[derive(Default)]
struct Counts {
    generation: Option<u64>,
    stages: HashMap<Id, usize>,
    pipelines: HashMap<Id, usize>,
}

impl Counts {
    fn refresh(&mut self, ws: &Workspace) {
        if self.generation == Some(ws.generation()) {
            return;
        }
        self.stages.clear();
        self.pipelines.clear();
        for o in ws.opportunities() {
            *self.stages.entry(o.stage).or_default() += 1;
            *self.pipelines.entry(o.pipeline).or_default() += 1;
        }
        self.generation = Some(ws.generation());
    }

    fn stage(&self, id: Id) -> usize {
        self.stages.get(&id).copied().unwrap_or(0)
    }

    fn pipeline(&self, id: Id) -> usize {
        self.pipelines.get(&id).copied().unwrap_or(0)
    }
}

/// The Pipelines & stages section.
#[derive(Default)]
struct PipelinesTab {
    /// The pipeline picked in the list; None (or one gone) shows the first.
    selected: Option<Id>,
    /// The pipeline the editors below belong to: picking another closes them.
    shown: Option<Id>,
    new_pipeline: Option<NameDraft>,
    rename: NameDraft,
    delete_pipeline: Option<PipelineDelete>,
    editor: Option<StageEditor>,
    delete_stage: Option<StageDelete>,
    counts: Counts,
    pending: Option<Pending>,
}

impl PipelinesTab {
    /// Handles the outcome of last frame's command.
    fn settle(&mut self, ws: &Workspace) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        if pending.generation == ws.generation() {
            // Refused: the status bar says why, and what was typed stays.
            return;
        }
        match pending.kind {
            PendingKind::PipelineCreated(name) => {
                self.selected = ws
                    .pipelines()
                    .iter()
                    .filter(|p| p.name == name)
                    .map(|p| p.id)
                    .max();
                self.new_pipeline = None;
            }
            PendingKind::PipelineRenamed => self.rename.error = None,
            PendingKind::PipelineDeleted => {
                self.delete_pipeline = None;
                self.selected = None;
            }
            PendingKind::StageSaved => self.editor = None,
            PendingKind::StageDeleted => self.delete_stage = None,
        }
    }

    fn wait_for(&mut self, ws: &Workspace, kind: PendingKind) {
        self.pending = Some(Pending {
            generation: ws.generation(),
            kind,
        });
    }

    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        self.counts.refresh(ws);
        let pid = self
            .selected
            .filter(|id| ws.pipelines().iter().any(|p| p.id == *id))
            .unwrap_or(ws.default_pipeline().id);
        if self.shown != Some(pid) {
            self.shown = Some(pid);
            self.rename = NameDraft::default();
            self.delete_pipeline = None;
            self.editor = None;
            self.delete_stage = None;
        }
        // An undo may have taken away what an editor or a question is about.
        if self
            .editor
            .as_ref()
            .is_some_and(|e| e.stage.id != 0 && ws.stage(e.stage.id).is_none())
        {
            self.editor = None;
        }
        if self
            .delete_stage
            .as_ref()
            .is_some_and(|d| ws.stage(d.stage).is_none())
        {
            self.delete_stage = None;
        }

        direction::start_panel("settings_pipelines")
            .resizable(true)
            .default_size(PIPELINE_LIST_WIDTH)
            .min_size(200.0)
            .max_size((ui.available_width() * 0.4).max(220.0))
            .show(ui, |ui| {
                direction::reading(ui, |ui| self.list_ui(ui, ws, pid, actions)).inner
            });
        egui::ScrollArea::vertical()
            .id_salt("settings_pipeline")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| self.pipeline_ui(ui, ws, pid, actions));
            });
    }

    /// The pipelines, with their order and the new-pipeline form.
    fn list_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, pid: Id, actions: &mut Vec<Action>) {
        ui.add_space(8.0);
        ui.label(bidi(
            ui,
            RichText::new(tr!("Pipelines"))
                .strong()
                .color(theme::TEXT_STRONG),
        ));
        ui.add_space(2.0);
        let pipelines = ws.pipelines();
        let ids: Vec<Id> = pipelines.iter().map(|p| p.id).collect();
        let mut reorder = None;
        for (i, p) in pipelines.iter().enumerate() {
            let summary = tr!(
                "{stages} stages · {deals}",
                stages = format_count(ws.stages_of(p.id).count() as u64),
                deals = deals(self.counts.pipeline(p.id) as u64)
            );
            ui.horizontal(|ui| {
                let arrows = 2.0 * (ui.spacing().interact_size.y + ui.spacing().item_spacing.x);
                let width = (ui.available_width() - arrows).max(80.0);
                let button = egui::Button::selectable(p.id == pid, RichText::new(&p.name).strong())
                    .right_text(RichText::new(summary.clone()).small())
                    .truncate()
                    .min_size(vec2(width, 30.0));
                let response = ui
                    .add(button)
                    .accessible_name(&p.name)
                    .on_hover_text(bidi(ui, summary));
                if response.clicked() {
                    self.selected = Some(p.id);
                }
                if let Some(order) = arrows_ui(ui, &ids, i, &p.name) {
                    reorder = Some(order);
                }
            });
        }
        if let Some(order) = reorder {
            actions.push(change_action(ws.reorder_pipelines_change(&order)));
        }
        ui.add_space(8.0);
        match &mut self.new_pipeline {
            None => {
                if ui.button(bidi(ui, tr!("New pipeline"))).clicked() {
                    self.new_pipeline = Some(NameDraft::default());
                }
            }
            Some(draft) => {
                let mut close = false;
                let mut created = None;
                editor_frame(ui, |ui| {
                    let label = ui.label(bidi(ui, tr!("New pipeline name")));
                    let field = ui
                        .add(
                            TextEdit::singleline(&mut draft.text)
                                .hint_text(bidi(ui, tr!("e.g. Partners")))
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if let Some(error) = &draft.error {
                        ui.label(bidi(ui, RichText::new(error).color(theme::ERROR)));
                    }
                    ui.label(bidi(
                        ui,
                        muted(tr!(
                            "It starts with the stages New, Qualified, Proposition, Won and Lost."
                        )),
                    ));
                    ui.horizontal(|ui| {
                        let create = ui
                            .button(bidi(ui, RichText::new(tr!("Create")).strong()))
                            .clicked();
                        if create || enter {
                            match new_pipeline_command(ws, &draft.text) {
                                Ok((name, command)) => {
                                    draft.error = None;
                                    actions.push(Action::Apply(command));
                                    created = Some(name);
                                }
                                Err(errors) => draft.error = Some(error_text(&errors)),
                            }
                        }
                        close = ui.button(bidi(ui, tr!("Cancel"))).clicked();
                    });
                });
                if let Some(name) = created {
                    self.wait_for(ws, PendingKind::PipelineCreated(name));
                }
                if close {
                    self.new_pipeline = None;
                }
            }
        }
        ui.add_space(10.0);
        ui.label(bidi(ui, muted(tr!(
            "The board opens on the first pipeline; the arrows change the order. Pick another one above the board."
        ))));
    }

    /// The selected pipeline: its name, deletion and stages.
    fn pipeline_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pid: Id,
        actions: &mut Vec<Action>,
    ) {
        let Some(pipeline) = ws.pipelines().iter().find(|p| p.id == pid).cloned() else {
            return;
        };
        let stages: Vec<&Stage> = ws.stages_of(pid).collect();
        ui.label(bidi(
            ui,
            RichText::new(&pipeline.name)
                .strong()
                .color(theme::TEXT_STRONG)
                .heading(),
        ));
        let mut summary = tr!(
            "{stages} stages · {deals}",
            stages = format_count(stages.len() as u64),
            deals = deals(self.counts.pipeline(pid) as u64)
        );
        if pid == ws.default_pipeline().id {
            summary = tr!("{summary} · the board opens on it", summary = summary);
        }
        ui.label(bidi(ui, muted(summary)));
        ui.add_space(6.0);
        self.rename_ui(ui, ws, &pipeline, actions);
        if self.delete_pipeline.is_some() {
            ui.add_space(6.0);
            self.delete_pipeline_ui(ui, ws, &pipeline, actions);
        }
        ui.add_space(14.0);
        ui.label(bidi(
            ui,
            RichText::new(tr!("Stages"))
                .strong()
                .color(theme::TEXT_STRONG),
        ));
        ui.label(
            bidi(ui, muted(tr!(
                "Drag a stage by its dotted handle, or use the arrows, to reorder. Open stages are the board's columns; Won and Lost are its drop zones. Hover a name for its expected result."
            ))));
        ui.add_space(4.0);
        if stages.is_empty() {
            ui.label(bidi(
                ui,
                RichText::new(tr!(
                    "This pipeline has no stages yet: deals need at least one open stage."
                ))
                .color(theme::ERROR),
            ));
            if ui.button(bidi(ui, tr!("Add the default stages"))).clicked() {
                actions.push(change_action(default_stages_change(pid)));
            }
        } else {
            self.stages_ui(ui, ws, &stages, actions);
        }
        ui.add_space(6.0);
        let adding = self.editor.as_ref().is_some_and(|e| e.stage.id == 0);
        if !adding && ui.button(bidi(ui, tr!("New stage"))).clicked() {
            let sequence = stages.iter().map(|s| s.sequence).max().unwrap_or(0) + 1;
            self.editor = Some(StageEditor::new_in(pid, sequence));
            self.delete_stage = None;
        }
        if let Some(editor) = &mut self.editor {
            ui.add_space(6.0);
            let held = self.counts.stage(editor.stage.id);
            if let Some(outcome) = editor.ui(ui, ws, held, actions) {
                match outcome {
                    EditorOutcome::Saving => self.wait_for(ws, PendingKind::StageSaved),
                    EditorOutcome::Closed => self.editor = None,
                }
            }
        }
        if self.delete_stage.is_some() {
            ui.add_space(6.0);
            self.delete_stage_ui(ui, ws, &stages, actions);
        }
    }

    /// The rename field and the delete button of the selected pipeline.
    fn rename_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pipeline: &Pipeline,
        actions: &mut Vec<Action>,
    ) {
        let draft = &mut self.rename;
        // Follow the stored name (a save, an undo) unless the user is typing another.
        if draft.original != pipeline.name {
            if draft.text == draft.original {
                draft.text = pipeline.name.clone();
            }
            draft.original = pipeline.name.clone();
        }
        let mut renamed = false;
        ui.horizontal(|ui| {
            let label = ui.label(bidi(ui, tr!("Pipeline name")));
            ui.add(TextEdit::singleline(&mut draft.text).desired_width(260.0))
                .labelled_by(label.id);
            let changed = draft.text.trim() != pipeline.name;
            let save = egui::Button::new(bidi(ui, tr!("Save name")));
            if ui.add_enabled(changed, save).clicked() {
                let mut record = Record::Pipeline(Pipeline {
                    name: draft.text.clone(),
                    ..pipeline.clone()
                });
                match record.normalize_and_validate() {
                    Ok(()) => {
                        draft.error = None;
                        actions.push(change_action(Change::put(record)));
                        renamed = true;
                    }
                    Err(errors) => draft.error = Some(error_text(&errors)),
                }
            }
            if changed && ui.button(bidi(ui, tr!("Discard"))).clicked() {
                draft.text = pipeline.name.clone();
                draft.error = None;
            }
            ui.add_space(12.0);
            let last = ws.pipelines().len() <= 1;
            let delete = ui
                .add_enabled(
                    !last && self.delete_pipeline.is_none(),
                    egui::Button::new(bidi(ui, tr!("Delete pipeline…"))),
                )
                .on_disabled_hover_text(bidi(
                    ui,
                    if last {
                        tr!("The last pipeline cannot be deleted.")
                    } else {
                        tr!("Answer the question below first.")
                    },
                ));
            if delete.clicked() {
                self.delete_pipeline = Some(PipelineDelete::default());
            }
        });
        if let Some(error) = &self.rename.error {
            ui.label(bidi(ui, RichText::new(error).color(theme::ERROR)));
        }
        if renamed {
            self.wait_for(ws, PendingKind::PipelineRenamed);
        }
    }

    /// The question before deleting the selected pipeline: where its deals go, or a confirmation.
    fn delete_pipeline_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pipeline: &Pipeline,
        actions: &mut Vec<Action>,
    ) {
        let held = self.counts.pipeline(pipeline.id);
        let Some(ask) = &mut self.delete_pipeline else {
            return;
        };
        let mut close = false;
        let mut deleted = false;
        ask_frame(ui, theme::ERROR, |ui| {
            if held == 0 {
                ui.label(bidi(
                    ui,
                    RichText::new(trn!(
                        ws.stages_of(pipeline.id).count(),
                        "Delete the pipeline {pipeline} and its {n} stages?",
                        pipeline = pipeline.name
                    ))
                    .strong(),
                ));
                ui.horizontal(|ui| {
                    if ui.button(bidi(ui, tr!("Yes, delete"))).clicked() {
                        let change = ws.delete_pipeline_change(pipeline.id, None);
                        actions.push(change_action(change));
                        deleted = true;
                    }
                    close = ui.button(bidi(ui, tr!("Cancel"))).clicked();
                });
                return;
            }
            let text = trn!(
                held,
                "{pipeline} has {n} deals. Move them to:",
                pipeline = pipeline.name
            );
            let label = ui.label(bidi(ui, RichText::new(text).strong()));
            ui.horizontal(|ui| {
                let others: Vec<(Id, &str)> = ws
                    .pipelines()
                    .iter()
                    .filter(|p| p.id != pipeline.id)
                    .map(|p| (p.id, p.name.as_str()))
                    .collect();
                let placeholder = tr!("Choose a pipeline");
                let go = move_target_ui(ui, label.id, &others, &mut ask.target, &placeholder);
                if go && let Some(target) = ask.target {
                    let change = ws.delete_pipeline_change(pipeline.id, Some(target));
                    actions.push(change_action(change));
                    deleted = true;
                }
                close = ui.button(bidi(ui, tr!("Cancel"))).clicked();
            });
            ui.label(
                bidi(ui, muted(tr!(
                    "Each deal goes to that pipeline's first stage of the same kind (open deals to its first open stage); then this pipeline and its stages are deleted."
                ))));
        });
        if deleted {
            self.wait_for(ws, PendingKind::PipelineDeleted);
        }
        if close {
            self.delete_pipeline = None;
        }
    }

    /// The stage table: a header, then one row per stage, reordered by drag or by the arrows.
    fn stages_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        stages: &[&Stage],
        actions: &mut Vec<Action>,
    ) {
        let ids: Vec<Id> = stages.iter().map(|s| s.id).collect();
        let open = stages.iter().filter(|s| s.kind == StageKind::Open).count();
        egui::Frame::new()
            .inner_margin(Margin::symmetric(9, 0))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    cell(ui, HANDLE_WIDTH, |_| {});
                    for (title, width) in [
                        (tr!("Stage"), NAME_WIDTH),
                        (Field::Kind.label(), KIND_WIDTH),
                        (tr!("Probability"), PROBABILITY_WIDTH),
                        (tr!("Stale after"), STALE_WIDTH),
                        (Field::Folded.label(), FOLDED_WIDTH),
                        (tr!("Deals"), DEALS_WIDTH),
                    ] {
                        cell(ui, width, |ui| {
                            ui.label(bidi(ui, muted(title).small().strong()));
                        });
                    }
                });
            });
        let mut rows = Vec::with_capacity(stages.len());
        let mut reorder = None;
        for (i, stage) in stages.iter().enumerate() {
            let (rect, row_reorder) = self.stage_row_ui(ui, stage, &ids, i, open);
            rows.push(rect);
            reorder = reorder.or(row_reorder);
        }
        if let Some(order) = dropped_order(ui, &ids, &rows) {
            reorder = Some(order);
        }
        if let Some(order) = reorder {
            actions.push(change_action(ws.reorder_stages_change(&order)));
        }
    }

    /// One stage's row; returns its rect and a new order when an arrow was clicked.
    fn stage_row_ui(
        &mut self,
        ui: &mut egui::Ui,
        stage: &Stage,
        ids: &[Id],
        index: usize,
        open_stages: usize,
    ) -> (egui::Rect, Option<Vec<Id>>) {
        let drag_id = egui::Id::unique(("settings_stage_drag", stage.id));
        let dragged = ui.ctx().is_being_dragged(drag_id);
        let editing = self.editor.as_ref().is_some_and(|e| e.stage.id == stage.id);
        let asked = self
            .delete_stage
            .as_ref()
            .is_some_and(|d| d.stage == stage.id);
        let fill = if dragged {
            theme::CARD_STROKE.gamma_multiply(0.5)
        } else if editing || asked {
            theme::CARD_SELECTED.gamma_multiply(0.1)
        } else {
            theme::CARD_FILL
        };
        let mut reorder = None;
        let held = self.counts.stage(stage.id);
        let response = egui::Frame::new()
            .fill(fill)
            .stroke(Stroke::new(1.0, theme::CARD_STROKE))
            .corner_radius(theme::CARD_RADIUS)
            .inner_margin(Margin::symmetric(8, 1))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let handle = ui
                        .dnd_drag_source(drag_id, StageDrag(stage.id), |ui| {
                            let size = vec2(HANDLE_WIDTH, ROW_HEIGHT);
                            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                            paint_grip(ui.painter(), rect);
                        })
                        .response;
                    let name = tr!("Drag {stage} to reorder", stage = stage.name);
                    handle
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                    handle.on_hover_text(bidi(ui, tr!("Drag to reorder")));
                    cell(ui, NAME_WIDTH, |ui| {
                        let label = ui.add(
                            egui::Label::new(bidi(
                                ui,
                                RichText::new(&stage.name)
                                    .strong()
                                    .color(theme::TEXT_STRONG),
                            ))
                            .truncate(),
                        );
                        if !stage.requirements.is_empty() {
                            label.on_hover_text(bidi(ui, &stage.requirements));
                        }
                    });
                    cell(ui, KIND_WIDTH, |ui| {
                        ui.label(bidi(
                            ui,
                            RichText::new(kind_label(stage.kind)).color(kind_color(stage.kind)),
                        ));
                    });
                    cell(ui, PROBABILITY_WIDTH, |ui| {
                        ui.label(bidi(ui, format_percent(stage.probability)));
                    });
                    cell(ui, STALE_WIDTH, |ui| match stage.rotting_days {
                        Some(days) => {
                            ui.label(bidi(ui, trn!(days, "{n} days")));
                        }
                        None => {
                            ui.label(bidi(ui, muted("—".to_owned())))
                                .on_hover_text(bidi(ui, tr!("Never stale")));
                        }
                    });
                    cell(ui, FOLDED_WIDTH, |ui| {
                        if stage.folded {
                            ui.label(bidi(ui, tr!("Yes")));
                        } else {
                            ui.label(bidi(ui, muted("—".to_owned())));
                        }
                    });
                    cell(ui, DEALS_WIDTH, |ui| {
                        ui.label(bidi(ui, format_count(held as u64)));
                    });
                    reorder = arrows_ui(ui, ids, index, &stage.name);
                    let edit = ui
                        .add_enabled(!editing, egui::Button::new(bidi(ui, tr!("Edit"))).small())
                        .accessible_name(tr!("Edit {stage}", stage = stage.name));
                    if edit.clicked() {
                        self.editor = Some(StageEditor::of(stage));
                        self.delete_stage = None;
                    }
                    let last_open = stage.kind == StageKind::Open && open_stages <= 1;
                    let delete = ui
                        .add_enabled(
                            !last_open && !asked,
                            egui::Button::new(bidi(ui, tr!("Delete"))).small(),
                        )
                        .accessible_name(tr!("Delete {stage}", stage = stage.name));
                    let delete = if last_open {
                        delete.on_disabled_hover_text(bidi(
                            ui,
                            tr!("Every pipeline needs at least one open stage."),
                        ))
                    } else {
                        delete
                    };
                    if delete.clicked() {
                        self.delete_stage = Some(StageDelete {
                            stage: stage.id,
                            target: None,
                        });
                        if self.editor.as_ref().is_some_and(|e| e.stage.id == stage.id) {
                            self.editor = None;
                        }
                    }
                });
            })
            .response;
        if dragged {
            paint_drag_ghost(ui, drag_id, &stage.name);
        }
        (response.rect, reorder)
    }

    /// The question before deleting a stage: where its deals go, or a confirmation.
    fn delete_stage_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        stages: &[&Stage],
        actions: &mut Vec<Action>,
    ) {
        let Some(ask) = &mut self.delete_stage else {
            return;
        };
        let Some(stage) = stages.iter().find(|s| s.id == ask.stage) else {
            self.delete_stage = None;
            return;
        };
        let held = self.counts.stage(stage.id);
        let mut close = false;
        let mut deleted = false;
        ask_frame(ui, theme::ERROR, |ui| {
            if held == 0 {
                ui.label(bidi(
                    ui,
                    RichText::new(tr!("Delete the stage {stage}?", stage = stage.name)).strong(),
                ));
                ui.horizontal(|ui| {
                    if ui.button(bidi(ui, tr!("Yes, delete"))).clicked() {
                        actions.push(change_action(ws.delete_stage_change(stage.id, None)));
                        deleted = true;
                    }
                    close = ui.button(bidi(ui, tr!("Cancel"))).clicked();
                });
                return;
            }
            let text = trn!(
                held,
                "{n} deals are in {stage}. Move them to:",
                stage = stage.name
            );
            let label = ui.label(bidi(ui, RichText::new(text).strong()));
            ui.horizontal(|ui| {
                let others: Vec<(Id, &str)> = stages
                    .iter()
                    .filter(|s| s.id != stage.id)
                    .map(|s| (s.id, s.name.as_str()))
                    .collect();
                let placeholder = tr!("Choose a stage");
                let go = move_target_ui(ui, label.id, &others, &mut ask.target, &placeholder);
                if go && let Some(target) = ask.target {
                    actions.push(change_action(
                        ws.delete_stage_change(stage.id, Some(target)),
                    ));
                    deleted = true;
                }
                close = ui.button(bidi(ui, tr!("Cancel"))).clicked();
            });
            ui.label(
                bidi(ui, muted(tr!(
                    "Moved deals follow the rules of their new stage: a Won or Lost stage closes them, an open one gives them its probability."
                ))));
        });
        if deleted {
            self.wait_for(ws, PendingKind::StageDeleted);
        }
        if close {
            self.delete_stage = None;
        }
    }
}

/// A fixed-width cell of a stage row, its content centred vertically.
fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        vec2(width, ROW_HEIGHT),
        direction::start_to_end(Align::Center),
        |ui| {
            ui.set_min_size(vec2(width, ROW_HEIGHT));
            add(ui);
        },
    );
}

/// The Move up / Move down buttons of the `index`th of `ids`; returns the new order if clicked.
fn arrows_ui(ui: &mut egui::Ui, ids: &[Id], index: usize, name: &str) -> Option<Vec<Id>> {
    let up = arrow_button(ui, index > 0, true)
        .accessible_name(tr!("Move {name} up", name = name))
        .on_hover_text(bidi(ui, tr!("Move up")));
    let down = arrow_button(ui, index + 1 < ids.len(), false)
        .accessible_name(tr!("Move {name} down", name = name))
        .on_hover_text(bidi(ui, tr!("Move down")));
    let mut order = ids.to_vec();
    if up.clicked() {
        order.swap(index, index - 1);
    } else if down.clicked() {
        order.swap(index, index + 1);
    } else {
        return None;
    }
    Some(order)
}

/// A small button showing a triangle pointing up or down (the bundled font has no arrows).
fn arrow_button(ui: &mut egui::Ui, enabled: bool, up: bool) -> egui::Response {
    let button = egui::Button::new("").small().min_size(vec2(20.0, 18.0));
    let response = ui.add_enabled(enabled, button);
    let color = if enabled {
        ui.visuals().widgets.style(&response).fg_stroke.color
    } else {
        theme::CARD_STROKE
    };
    let c = response.rect.center();
    let (w, h) = (4.5, 3.0);
    let points = if up {
        vec![c + vec2(-w, h), c + vec2(w, h), c + vec2(0.0, -h)]
    } else {
        vec![c + vec2(-w, -h), c + vec2(w, -h), c + vec2(0.0, h)]
    };
    ui.painter()
        .add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
    response
}

/// A drag handle: two columns of three dots.
fn paint_grip(painter: &egui::Painter, rect: egui::Rect) {
    let c = rect.center();
    for dx in [-2.5, 2.5] {
        for dy in [-5.0, 0.0, 5.0] {
            painter.circle_filled(c + vec2(dx, dy), 1.4, theme::TEXT_MUTED);
        }
    }
}

/// While a stage row is dragged over the table: a line where it would land, and on release the
/// order with the stage moved there (None when nothing is dropped or the order is unchanged).
fn dropped_order(ui: &egui::Ui, ids: &[Id], rows: &[egui::Rect]) -> Option<Vec<Id>> {
    let dragged = egui::DragAndDrop::payload::<StageDrag>(ui.ctx())?;
    let from = ids.iter().position(|id| *id == dragged.0)?;
    let pointer = ui.input(|i| i.pointer.latest_pos())?;
    let (first, last) = (rows.first()?, rows.last()?);
    let area = first.union(*last).expand2(vec2(0.0, ROW_HEIGHT));
    if !area.contains(pointer) {
        return None;
    }
    // The slot before the first row whose middle is below the pointer.
    let slot = rows.iter().filter(|r| r.center().y < pointer.y).count();
    let y = match slot {
        0 => first.top() - 2.0,
        n if n == rows.len() => last.bottom() + 2.0,
        n => (rows[n - 1].bottom() + rows[n].top()) / 2.0,
    };
    ui.painter()
        .hline(first.x_range(), y, Stroke::new(2.5, theme::CARD_SELECTED));
    if !ui.input(|i| i.pointer.any_released()) {
        return None;
    }
    egui::DragAndDrop::clear_payload(ui.ctx());
    let mut order = ids.to_vec();
    let moved = order.remove(from);
    order.insert(if slot > from { slot - 1 } else { slot }, moved);
    (order != ids).then_some(order)
}

/// The dragged stage's name beside the pointer.
fn paint_drag_ghost(ui: &egui::Ui, drag_id: egui::Id, name: &str) {
    let Some(pointer) = ui.ctx().pointer_interact_pos() else {
        return;
    };
    let layer = egui::LayerId::new(egui::Order::Tooltip, drag_id.with("ghost"));
    let painter = ui.ctx().layer_painter(layer);
    let galley = painter.layout_no_wrap(
        name.to_owned(),
        FontId::proportional(14.0),
        theme::TEXT_STRONG,
    );
    let rect = egui::Rect::from_min_size(
        pointer + vec2(16.0, -galley.size().y / 2.0 - 5.0),
        galley.size() + vec2(20.0, 10.0),
    );
    painter.rect(
        rect,
        theme::CARD_RADIUS,
        theme::CARD_FILL,
        Stroke::new(1.0, theme::CARD_SELECTED),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.min + vec2(10.0, 5.0), galley, theme::TEXT_STRONG);
}

/// Where the deals of something deleted go: a dropdown of `choices` (id, name) labelled by
/// `label`, and "Move and delete", enabled once one is chosen. True when it was clicked.
fn move_target_ui(
    ui: &mut egui::Ui,
    label: egui::Id,
    choices: &[(Id, &str)],
    target: &mut Option<Id>,
    placeholder: &str,
) -> bool {
    let chosen = target
        .and_then(|t| choices.iter().find(|(id, _)| *id == t))
        .map_or(placeholder, |(_, name)| name);
    egui::ComboBox::from_id_salt((label, "move_target"))
        .selected_text(bidi(ui, chosen))
        .show_ui(ui, |ui| {
            for (id, name) in choices {
                ui.selectable_value(target, Some(*id), bidi(ui, *name));
            }
        })
        .response
        .labelled_by(label);
    ui.add_enabled(
        target.is_some(),
        egui::Button::new(bidi(ui, tr!("Move and delete"))),
    )
    .clicked()
}

/// Gives a pipeline without stages the default ones.
fn default_stages_change(pipeline: Id) -> Change {
    Change {
        put: default_stages(pipeline).map(Record::Stage).collect(),
        ..Change::default()
    }
}

/// The command creating a pipeline called `name` with the default stages (one undoable
/// change), and its trimmed name; or what is wrong with the name.
fn new_pipeline_command(ws: &Workspace, name: &str) -> Result<(String, Command), Vec<FieldError>> {
    let mut change = ws.new_pipeline_change(name);
    let pipeline = change.put.first_mut().expect("the pipeline comes first");
    pipeline.normalize_and_validate()?;
    let name = pipeline.title();
    Ok((name, Command::Change(Box::new(change))))
}

// --- Stage editor -------------------------------------------------------------------------

/// What the stage editor did this frame.
enum EditorOutcome {
    /// Asked to save: it closes once the save is applied.
    Saving,
    /// Cancelled.
    Closed,
}

/// A stage being created (id 0) or edited; numbers stay text until saved.
struct StageEditor {
    stage: Stage,
    /// The name when the editor opened, for its title.
    title: String,
    probability: String,
    rotting: String,
    errors: Vec<FieldError>,
    /// A checked stage waiting for the answer on the deals following its default probability:
    /// how many there are.
    followers: Option<(Stage, usize)>,
}

impl StageEditor {
    fn of(stage: &Stage) -> Self {
        StageEditor {
            stage: stage.clone(),
            title: stage.name.clone(),
            probability: stage.probability.normalize().to_string(),
            rotting: stage
                .rotting_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            errors: Vec::new(),
            followers: None,
        }
    }

    fn new_in(pipeline: Id, sequence: u32) -> Self {
        let stage = Stage {
            id: 0,
            pipeline,
            name: String::new(),
            sequence,
            probability: Decimal::from(10),
            kind: StageKind::Open,
            requirements: String::new(),
            rotting_days: None,
            folded: false,
        };
        StageEditor {
            title: String::new(),
            ..StageEditor::of(&stage)
        }
    }

    fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// The stage as typed, trimmed and checked.
    fn checked(&self) -> Result<Stage, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut stage = self.stage.clone();
        if stage.kind == StageKind::Open {
            match parse_probability(&self.probability) {
                Ok(p) => stage.probability = p,
                Err(e) => errors.push(e),
            }
        }
        let rotting = self.rotting.trim();
        stage.rotting_days = if rotting.is_empty() {
            None
        } else {
            match rotting.parse::<u32>() {
                Ok(days) => Some(days),
                Err(_) => {
                    errors.push(FieldError::new(
                        Field::RottingDays,
                        Problem::NotANumber(rotting.to_owned()),
                    ));
                    None
                }
            }
        };
        let mut record = Record::Stage(stage);
        errors.extend(record.normalize_and_validate().err().unwrap_or_default());
        match record {
            Record::Stage(stage) if errors.is_empty() => Ok(stage),
            _ => Err(errors),
        }
    }

    /// Draws the editor. `held`: how many deals the stage holds (its kind is then fixed).
    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        held: usize,
        actions: &mut Vec<Action>,
    ) -> Option<EditorOutcome> {
        let mut outcome = None;
        editor_frame(ui, |ui| {
            let title = if self.stage.id == 0 {
                tr!("New stage")
            } else {
                tr!("Edit stage “{stage}”", stage = self.title)
            };
            ui.label(bidi(
                ui,
                RichText::new(title)
                    .strong()
                    .size(15.0)
                    .color(theme::TEXT_STRONG),
            ));
            ui.add_space(4.0);
            let shown = [
                Field::Name,
                Field::Kind,
                Field::Probability,
                Field::Requirements,
                Field::RottingDays,
            ];
            let others: Vec<&FieldError> = self
                .errors
                .iter()
                .filter(|e| !shown.contains(&e.field))
                .collect();
            for e in others {
                ui.label(bidi(ui, RichText::new(e.to_string()).color(theme::ERROR)));
            }
            direction::grid_scope(ui, |ui| {
                egui::Grid::new("settings_stage_editor")
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| self.fields_ui(ui, held))
            });
            ui.add_space(6.0);
            if self.followers.is_some() {
                outcome = self.followers_ui(ui, ws, actions);
                return;
            }
            ui.horizontal(|ui| {
                let save = if self.stage.id == 0 {
                    tr!("Add stage")
                } else {
                    tr!("Save stage")
                };
                if ui.button(bidi(ui, RichText::new(save).strong())).clicked() {
                    outcome = self.save(ws, actions);
                }
                if ui.button(bidi(ui, tr!("Cancel"))).clicked() {
                    outcome = Some(EditorOutcome::Closed);
                }
            });
        });
        outcome
    }

    /// A labelled row of the grid; the field's error shows under its widget.
    fn row(
        &self,
        ui: &mut egui::Ui,
        label: String,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id),
    ) {
        let label = ui.label(bidi(ui, label));
        ui.vertical(|ui| {
            add(ui, label.id);
            if let Some(error) = self.error(field) {
                ui.label(bidi(ui, RichText::new(error.reason()).color(theme::ERROR)));
            }
        });
        ui.end_row();
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, held: usize) {
        let mut stage = self.stage.clone();
        let mut probability = std::mem::take(&mut self.probability);
        let mut rotting = std::mem::take(&mut self.rotting);
        self.row(ui, Field::Name.label(), Field::Name, |ui, l| {
            ui.add(TextEdit::singleline(&mut stage.name).desired_width(FIELD_WIDTH))
                .labelled_by(l);
        });
        let kind_fixed = stage.id != 0 && held > 0;
        self.row(ui, Field::Kind.label(), Field::Kind, |ui, l| {
            ui.horizontal(|ui| {
                ui.add_enabled_ui(!kind_fixed, |ui| {
                    egui::ComboBox::from_id_salt("settings_stage_kind")
                        .selected_text(bidi(ui, kind_label(stage.kind)))
                        .show_ui(ui, |ui| {
                            for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
                                ui.selectable_value(
                                    &mut stage.kind,
                                    kind,
                                    bidi(ui, kind_label(kind)),
                                );
                            }
                        })
                        .response
                        .labelled_by(l);
                });
                let note = if kind_fixed {
                    tr!("Fixed while the stage holds deals.")
                } else {
                    tr!("Won and Lost stages close the deals dropped on them.")
                };
                ui.label(bidi(ui, muted(note)));
            });
        });
        self.row(
            ui,
            tr!("Default probability"),
            Field::Probability,
            |ui, l| {
                ui.horizontal(|ui| {
                    match stage.kind {
                        StageKind::Open => {
                            ui.add(
                                TextEdit::singleline(&mut probability).desired_width(NUMBER_WIDTH),
                            )
                            .labelled_by(l);
                        }
                        StageKind::Won | StageKind::Lost => {
                            let mut fixed = if stage.kind == StageKind::Won {
                                "100".to_owned()
                            } else {
                                "0".to_owned()
                            };
                            ui.add_enabled(
                                false,
                                TextEdit::singleline(&mut fixed).desired_width(NUMBER_WIDTH),
                            )
                            .labelled_by(l);
                        }
                    }
                    ui.label(bidi(ui, "%"));
                    ui.label(bidi(
                        ui,
                        muted(tr!("what a deal gets on entering the stage")),
                    ));
                });
            },
        );
        self.row(
            ui,
            Field::Requirements.label(),
            Field::Requirements,
            |ui, l| {
                ui.add(
                    TextEdit::multiline(&mut stage.requirements)
                        .hint_text(bidi(ui, tr!("What a deal must meet before it moves on")))
                        .desired_rows(2)
                        .desired_width(FIELD_WIDTH * 1.5),
                )
                .labelled_by(l);
                ui.label(bidi(
                    ui,
                    muted(tr!("Shown when hovering the stage's column on the board.")),
                ));
            },
        );
        self.row(ui, tr!("Stale after"), Field::RottingDays, |ui, l| {
            ui.horizontal(|ui| {
                ui.add(
                    TextEdit::singleline(&mut rotting)
                        .hint_text(bidi(ui, tr!("never")))
                        .desired_width(NUMBER_WIDTH),
                )
                .labelled_by(l);
                ui.label(bidi(ui, tr!("days in the stage")));
                ui.label(bidi(ui, muted(tr!("(empty: never)"))));
            });
        });
        self.row(ui, Field::Folded.label(), Field::Folded, |ui, _| {
            ui.checkbox(
                &mut stage.folded,
                bidi(ui, tr!("Shown folded on the board")),
            );
        });
        self.stage = stage;
        self.probability = probability;
        self.rotting = rotting;
    }

    /// Checks the stage; saves it, or first asks about the deals following its default.
    fn save(&mut self, ws: &Workspace, actions: &mut Vec<Action>) -> Option<EditorOutcome> {
        let stage = match self.checked() {
            Ok(stage) => stage,
            Err(errors) => {
                self.errors = errors;
                return None;
            }
        };
        self.errors.clear();
        let redefaulted = ws.stage(stage.id).is_some_and(|old| {
            old.kind == StageKind::Open
                && stage.kind == StageKind::Open
                && old.probability != stage.probability
        });
        let followers = if redefaulted {
            ws.opportunities()
                .filter(|o| o.stage == stage.id && !o.probability_overridden)
                .filter(|o| o.closed.is_none() && o.probability != stage.probability)
                .count()
        } else {
            0
        };
        if followers > 0 {
            self.followers = Some((stage, followers));
            return None;
        }
        actions.push(change_action(ws.stage_change(stage, false)));
        Some(EditorOutcome::Saving)
    }

    /// The question on the open deals that follow the stage's default probability.
    fn followers_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
    ) -> Option<EditorOutcome> {
        let (stage, n) = self.followers.clone()?;
        let mut outcome = None;
        ask_frame(ui, theme::PROGRESS, |ui| {
            let percent = format_percent(stage.probability);
            let text = trn!(
                n,
                "Apply {percent} to the {n} open deals that follow the stage's default? (deals with a probability of their own keep it)",
                percent = percent
            );
            ui.label(bidi(ui, RichText::new(text).strong()));
            ui.horizontal(|ui| {
                for (answer, apply) in
                    [(tr!("Apply to them"), true), (tr!("Only new deals"), false)]
                {
                    if ui.button(bidi(ui, answer)).clicked() {
                        actions.push(change_action(ws.stage_change(stage.clone(), apply)));
                        outcome = Some(EditorOutcome::Saving);
                    }
                }
                if ui.button(bidi(ui, tr!("Back"))).clicked() {
                    self.followers = None;
                }
            });
        });
        if outcome.is_some() {
            self.followers = None;
        }
        outcome
    }
}

// --- General ------------------------------------------------------------------------------

/// The settings as the General grid edits them; numbers stay text until saved.
#[derive(Clone, Debug, PartialEq)]
struct GeneralDraft {
    base_currency: String,
    close_days: String,
    date_format: DateFormat,
    week_start: WeekStart,
    backups: bool,
    backups_keep: String,
    language: Option<Language>,
    calendar: Option<Calendar>,
}

/// A row of the General grid that can hold a bad number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberRow {
    CloseDays,
    BackupsKeep,
}

impl GeneralDraft {
    fn of(s: &Settings) -> Self {
        GeneralDraft {
            base_currency: s.base_currency.clone(),
            close_days: s.close_offset_days.to_string(),
            date_format: s.date_format,
            week_start: s.week_start,
            backups: s.backups,
            backups_keep: s.backups_keep.to_string(),
            language: s.language,
            calendar: s.calendar,
        }
    }

    /// The settings typed; or each bad number's row and message.
    fn settings(&self) -> Result<Settings, Vec<(NumberRow, String)>> {
        let whole = |text: &str, min: u32, max: u32| {
            text.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
        };
        let close = whole(&self.close_days, 0, MAX_CLOSE_DAYS);
        let keep = whole(&self.backups_keep, 1, MAX_BACKUPS);
        let mut errors = Vec::new();
        if close.is_none() {
            errors.push((
                NumberRow::CloseDays,
                tr!(
                    "Default expected close: enter a whole number of days from 0 to {max}",
                    max = MAX_CLOSE_DAYS
                ),
            ));
        }
        if keep.is_none() {
            errors.push((
                NumberRow::BackupsKeep,
                tr!(
                    "How many: enter a whole number of backups from 1 to {max}",
                    max = MAX_BACKUPS
                ),
            ));
        }
        match (close, keep) {
            (Some(close), Some(keep)) => Ok(Settings {
                base_currency: self.base_currency.clone(),
                close_offset_days: close,
                date_format: self.date_format,
                week_start: self.week_start,
                backups: self.backups,
                backups_keep: keep,
                language: self.language,
                calendar: self.calendar,
            }),
            _ => Err(errors),
        }
    }
}

fn week_start_label(day: WeekStart) -> String {
    match day {
        WeekStart::Monday => tr!("Monday"),
        WeekStart::Sunday => tr!("Sunday"),
        WeekStart::Saturday => tr!("Saturday"),
    }
}

/// The General section.
#[derive(Default)]
struct GeneralTab {
    draft: Option<GeneralDraft>,
    /// The stored settings the draft was taken from.
    stored: Option<GeneralDraft>,
    errors: Vec<(NumberRow, String)>,
    /// The generation when "Save settings" was sent.
    pending: Option<u64>,
}

impl GeneralTab {
    fn settle(&mut self, ws: &Workspace) {
        if let Some(generation) = self.pending.take()
            && generation != ws.generation()
        {
            // Saved: show the settings as stored.
            self.draft = None;
            self.errors.clear();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let stored = GeneralDraft::of(ws.settings());
        // Follow the stored settings (an undo) unless the user has edits of their own.
        if self.stored.as_ref() != Some(&stored) {
            if self.draft.is_none() || self.draft == self.stored {
                self.draft = Some(stored.clone());
            }
            self.stored = Some(stored.clone());
        }
        let mut draft = self.draft.take().unwrap_or_else(|| stored.clone());
        egui::ScrollArea::vertical()
            .id_salt("settings_general")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| {
                        ui.label(bidi(
                            ui,
                            RichText::new(tr!("General"))
                                .strong()
                                .size(17.0)
                                .color(theme::TEXT_STRONG),
                        ));
                        ui.add_space(8.0);
                        direction::grid_scope(ui, |ui| {
                            egui::Grid::new("settings_general_grid")
                                .num_columns(2)
                                .spacing([16.0, 10.0])
                                .show(ui, |ui| self.grid_ui(ui, ws, &stored, &mut draft))
                        });
                        ui.add_space(10.0);
                        ui.horizontal(|ui| {
                            let changed = draft != stored;
                            let save = egui::Button::new(bidi(
                                ui,
                                RichText::new(tr!("Save settings")).strong(),
                            ));
                            if ui.add_enabled(changed, save).clicked() {
                                match draft.settings() {
                                    Ok(settings) => {
                                        self.errors.clear();
                                        let change = ws.settings_change(settings);
                                        actions.push(change_action(change));
                                        self.pending = Some(ws.generation());
                                    }
                                    Err(errors) => self.errors = errors,
                                }
                            }
                            if changed && ui.button(bidi(ui, tr!("Discard changes"))).clicked() {
                                draft = stored.clone();
                                self.errors.clear();
                            }
                        });
                    });
            });
        self.draft = Some(draft);
    }

    fn error_ui(&self, ui: &mut egui::Ui, row: NumberRow) {
        if let Some((_, message)) = self.errors.iter().find(|(r, _)| *r == row) {
            ui.label(bidi(ui, RichText::new(message).color(theme::ERROR)));
        }
    }

    fn grid_ui(
        &self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        stored: &GeneralDraft,
        draft: &mut GeneralDraft,
    ) {
        let label = ui.label(bidi(ui, tr!("Base currency")));
        ui.vertical(|ui| {
            egui::ComboBox::from_id_salt("settings_base_currency")
                .selected_text(bidi(ui, &draft.base_currency))
                .width(200.0)
                .show_ui(ui, |ui| {
                    for code in ws.currency_codes() {
                        ui.selectable_value(&mut draft.base_currency, code.clone(), bidi(ui, code));
                    }
                })
                .response
                .labelled_by(label.id);
            let note = if draft.base_currency != stored.base_currency {
                tr!(
                    "Saving rebases every exchange rate on {new}: {old} becomes a currency at its rate.",
                    new = draft.base_currency,
                    old = stored.base_currency
                )
            } else {
                tr!(
                    "Every total is reported in it. Changing it rebases every exchange rate; add currencies under Currencies."
                )
            };
            ui.label(bidi(ui, muted(note)));
        });
        ui.end_row();

        let label = ui.label(bidi(ui, tr!("Default expected close")));
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.add(TextEdit::singleline(&mut draft.close_days).desired_width(NUMBER_WIDTH))
                    .labelled_by(label.id);
                ui.label(bidi(ui, tr!("days from today, for a new deal")));
            });
            self.error_ui(ui, NumberRow::CloseDays);
        });
        ui.end_row();

        let today = ws.today();
        let example = |format: DateFormat| {
            tr!(
                "{date} ({pattern})",
                date = today.format(format.pattern()),
                pattern = format.hint()
            )
        };
        let language_name = |language: Option<Language>| match language {
            Some(language) => language.native_name().to_owned(),
            None => tr!(
                "As the system ({language})",
                language = crate::i18n::system_language().native_name()
            ),
        };
        let label = ui.label(bidi(ui, tr!("Language")));
        egui::ComboBox::from_id_salt("settings_language")
            .selected_text(bidi(ui, language_name(draft.language)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for language in std::iter::once(None).chain(Language::ALL.map(Some)) {
                    ui.selectable_value(
                        &mut draft.language,
                        language,
                        bidi(ui, language_name(language)),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let calendar_name = |calendar: Option<Calendar>| match calendar {
            None => tr!("As the language"),
            Some(Calendar::Gregorian) => tr!("Gregorian"),
            Some(Calendar::Jalali) => tr!("Jalali (Solar Hijri)"),
        };
        let label = ui.label(bidi(ui, tr!("Calendar")));
        egui::ComboBox::from_id_salt("settings_calendar")
            .selected_text(bidi(ui, calendar_name(draft.calendar)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for calendar in [None, Some(Calendar::Gregorian), Some(Calendar::Jalali)] {
                    ui.selectable_value(
                        &mut draft.calendar,
                        calendar,
                        bidi(ui, calendar_name(calendar)),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label(bidi(ui, tr!("Date format")));
        egui::ComboBox::from_id_salt("settings_date_format")
            .selected_text(bidi(ui, example(draft.date_format)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for format in DateFormat::ALL {
                    ui.selectable_value(&mut draft.date_format, format, bidi(ui, example(format)));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label(bidi(ui, tr!("First day of the week")));
        egui::ComboBox::from_id_salt("settings_week_start")
            .selected_text(bidi(ui, week_start_label(draft.week_start)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for day in WeekStart::ALL {
                    ui.selectable_value(
                        &mut draft.week_start,
                        day,
                        bidi(ui, week_start_label(day)),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        ui.label(bidi(ui, tr!("Daily backups")));
        ui.checkbox(
            &mut draft.backups,
            bidi(ui, tr!("Keep a copy of the file each day it is opened")),
        );
        ui.end_row();

        let label = ui.label(bidi(ui, tr!("How many")));
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.add_enabled(
                    draft.backups,
                    TextEdit::singleline(&mut draft.backups_keep).desired_width(NUMBER_WIDTH),
                )
                .labelled_by(label.id);
                ui.label(bidi(ui, tr!("copies, the oldest removed first")));
            });
            self.error_ui(ui, NumberRow::BackupsKeep);
        });
        ui.end_row();
    }
}
