//! The Pipelines & stages section: the pipeline list, the stage table, deletions.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashMap;

use egui::{Align, Color32, Margin, RichText, Stroke, TextEdit, vec2};

use super::stage_editor::{EditorOutcome, StageEditor};
use super::{Form, Switch, ask_frame, editor_frame, error_text, kind_label, muted};
use crate::app::Action;
use crate::command::{Change, Command};
use crate::domain::{Field, FieldError, Id, Pipeline, Record, Stage, StageKind, default_stages};
use crate::i18n::{deals, format_count, format_percent};
use crate::reorder;
use crate::reply::{self, Replies, Reply, Sent};
use crate::theme;
use crate::unsaved;
use crate::widgets::category_label;
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
const FORECAST_WIDTH: f32 = 110.0;
const STALE_WIDTH: f32 = 90.0;
const FOLDED_WIDTH: f32 = 56.0;
const DEALS_WIDTH: f32 = 52.0;

/// What a command sent from the tab was for: what changes once it is applied.
enum Done {
    /// This pipeline was created: select it.
    PipelineCreated(Id),
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
pub(super) struct NameDraft {
    pub(super) text: String,
    /// The stored name the draft was taken from (the rename field follows it when untouched).
    pub(super) original: String,
    pub(super) error: Option<String>,
}

/// The inline question before deleting a stage.
pub(super) struct StageDelete {
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
pub(super) struct PipelinesTab {
    /// The pipeline picked in the list; None (or one gone) shows the first.
    pub(super) selected: Option<Id>,
    /// The pipeline the editors below belong to: picking another closes them.
    shown: Option<Id>,
    pub(super) new_pipeline: Option<NameDraft>,
    pub(super) rename: NameDraft,
    delete_pipeline: Option<PipelineDelete>,
    pub(super) editor: Option<StageEditor>,
    pub(super) delete_stage: Option<StageDelete>,
    counts: Counts,
    sent: Option<Sent<Done>>,
}

impl PipelinesTab {
    /// Handles the reply to the tab's last command: a refused one keeps what was typed and
    /// says why (the status bar says it too).
    pub(super) fn settle(&mut self, replies: &Replies) {
        let Some((done, reply)) = replies.take(&mut self.sent) else {
            return;
        };
        if let Reply::Refused { message, fields } = reply {
            match done {
                Done::PipelineCreated(_) => {
                    if let Some(draft) = &mut self.new_pipeline {
                        draft.error = Some(message);
                    }
                }
                Done::PipelineRenamed => self.rename.error = Some(message),
                Done::StageSaved => {
                    if let Some(editor) = &mut self.editor {
                        editor.refused(message, fields);
                    }
                }
                Done::PipelineDeleted | Done::StageDeleted => {}
            }
            return;
        }
        match done {
            Done::PipelineCreated(id) => {
                self.selected = Some(id);
                self.new_pipeline = None;
            }
            Done::PipelineRenamed => self.rename.error = None,
            Done::PipelineDeleted => {
                self.delete_pipeline = None;
                self.selected = None;
            }
            Done::StageSaved => self.editor = None,
            Done::StageDeleted => self.delete_stage = None,
        }
    }

    /// Sends `change`; `done` says what changes once it is applied.
    fn send(&mut self, change: Change, done: Done, actions: &mut Vec<Action>) {
        let command = Command::Change(Box::new(change));
        actions.push(reply::send(&mut self.sent, done, command));
    }

    /// The command renaming the selected pipeline as typed; None, with the reason shown, when
    /// the name is wrong.
    pub(super) fn rename_command(&mut self, ws: &Workspace) -> Option<Command> {
        let id = self.shown?;
        let pipeline = ws.pipelines().iter().find(|p| p.id == id)?;
        let draft = &mut self.rename;
        let mut record = Record::Pipeline(Pipeline {
            name: draft.text.clone(),
            ..pipeline.clone()
        });
        match record.normalize_and_validate() {
            Ok(()) => {
                draft.error = None;
                Some(Command::Change(Box::new(Change::put(record))))
            }
            Err(errors) => {
                draft.error = Some(error_text(&errors));
                None
            }
        }
    }

    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
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
                direction::reading(ui, |ui| self.list_ui(ui, ws, pid, actions, switch));
            });
        egui::ScrollArea::vertical()
            .id_salt("settings_pipeline")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| self.pipeline_ui(ui, ws, pid, actions, switch));
            });
    }

    /// The pipelines, with their order and the new-pipeline form.
    fn list_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pid: Id,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        ui.add_space(8.0);
        ui.text(
            RichText::new(tr!("Pipelines"))
                .strong()
                .color(theme::colors(ui).text_strong),
        );
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
                    .on_hover_text(ui.rtl(summary));
                if response.clicked() && p.id != pid {
                    *switch = Some(Switch::Pipeline(p.id));
                }
                if let Some(order) = reorder::arrows(ui, &ids, i, &p.name) {
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
                if ui.button_text(tr!("New pipeline")).clicked() {
                    self.new_pipeline = Some(NameDraft::default());
                }
            }
            Some(draft) => {
                let mut close = false;
                let mut created = None;
                editor_frame(ui, |ui| {
                    let label = ui.text(tr!("New pipeline name"));
                    let field = ui
                        .add(
                            TextEdit::singleline(&mut draft.text)
                                .hint_text(ui.rtl(tr!("e.g. Partners")))
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    let enter = unsaved::submitted(ui, &field);
                    if let Some(error) = &draft.error {
                        ui.text(RichText::new(error).color(theme::colors(ui).error));
                    }
                    ui.text(muted(
                        ui,
                        tr!("It starts with the stages New, Qualified, Proposition, Won and Lost."),
                    ));
                    ui.horizontal(|ui| {
                        let create = ui
                            .button_text(RichText::new(tr!("Create")).strong())
                            .clicked();
                        if create || enter {
                            match new_pipeline_command(ws, &draft.text) {
                                Ok((id, command)) => {
                                    draft.error = None;
                                    created = Some((id, command));
                                }
                                Err(errors) => draft.error = Some(error_text(&errors)),
                            }
                        }
                        close = ui.button_text(tr!("Cancel")).clicked();
                    });
                });
                if let Some((id, command)) = created {
                    let done = Done::PipelineCreated(id);
                    actions.push(reply::send(&mut self.sent, done, command));
                }
                if close {
                    *switch = Some(Switch::Close(Form::NewPipeline));
                }
            }
        }
        ui.add_space(10.0);
        ui.text(muted(ui, tr!(
            "The board opens on the first pipeline; the arrows change the order. Pick another one above the board."
        )));
    }

    /// The selected pipeline: its name, deletion and stages.
    fn pipeline_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pid: Id,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let Some(pipeline) = ws.pipelines().iter().find(|p| p.id == pid).cloned() else {
            return;
        };
        let stages: Vec<&Stage> = ws.stages_of(pid).collect();
        ui.text(
            RichText::new(&pipeline.name)
                .strong()
                .color(theme::colors(ui).text_strong)
                .heading(),
        );
        let mut summary = tr!(
            "{stages} stages · {deals}",
            stages = format_count(stages.len() as u64),
            deals = deals(self.counts.pipeline(pid) as u64)
        );
        if pid == ws.default_pipeline().id {
            summary = tr!("{summary} · the board opens on it", summary = summary);
        }
        ui.text(muted(ui, summary));
        ui.add_space(6.0);
        self.rename_ui(ui, ws, &pipeline, actions);
        if self.delete_pipeline.is_some() {
            ui.add_space(6.0);
            self.delete_pipeline_ui(ui, ws, &pipeline, actions);
        }
        ui.add_space(14.0);
        ui.text(
            RichText::new(tr!("Stages"))
                .strong()
                .color(theme::colors(ui).text_strong),
        );
        ui.text(
            muted(ui, tr!(
                "Drag a stage by its dotted handle, or use the arrows, to reorder. Open stages are the board's columns; Won and Lost are its drop zones. Hover a name for its expected result."
            )));
        ui.add_space(4.0);
        if stages.is_empty() {
            ui.text(
                RichText::new(tr!(
                    "This pipeline has no stages yet: deals need at least one open stage."
                ))
                .color(theme::colors(ui).error),
            );
            if ui.button_text(tr!("Add the default stages")).clicked() {
                actions.push(change_action(default_stages_change(pid)));
            }
        } else {
            self.stages_ui(ui, ws, &stages, actions, switch);
        }
        ui.add_space(6.0);
        let adding = self.editor.as_ref().is_some_and(|e| e.stage.id == 0);
        if !adding && ui.button_text(tr!("New stage")).clicked() {
            let sequence = stages.iter().map(|s| s.sequence).max().unwrap_or(0) + 1;
            *switch = Some(Switch::Stage(Box::new(StageEditor::new_in(pid, sequence))));
        }
        if let Some(editor) = &mut self.editor {
            ui.add_space(6.0);
            let held = self.counts.stage(editor.stage.id);
            match editor.ui(ui, ws, held) {
                Some(EditorOutcome::Send(change)) => self.send(*change, Done::StageSaved, actions),
                Some(EditorOutcome::Close) => *switch = Some(Switch::Close(Form::Stage)),
                None => {}
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
            let label = ui.text(tr!("Pipeline name"));
            let field = ui
                .add(TextEdit::singleline(&mut draft.text).desired_width(260.0))
                .labelled_by(label.id);
            let changed = draft.text.trim() != pipeline.name;
            unsaved::marker(ui, changed);
            let save = egui::Button::new(ui.rtl(tr!("Save name")));
            let enter = changed && unsaved::submitted(ui, &field);
            renamed = ui.add_enabled(changed, save).clicked() || enter;
            if changed && ui.button_text(tr!("Discard")).clicked() {
                draft.text = pipeline.name.clone();
                draft.error = None;
            }
            ui.add_space(12.0);
            let last = ws.pipelines().len() <= 1;
            let delete = ui
                .add_enabled(
                    !last && self.delete_pipeline.is_none(),
                    egui::Button::new(ui.rtl(tr!("Delete pipeline…"))),
                )
                .on_disabled_hover_text(ui.rtl(if last {
                    tr!("The last pipeline cannot be deleted.")
                } else {
                    tr!("Answer the question below first.")
                }));
            if delete.clicked() {
                self.delete_pipeline = Some(PipelineDelete::default());
            }
        });
        if let Some(error) = &self.rename.error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        if renamed && let Some(command) = self.rename_command(ws) {
            actions.push(reply::send(&mut self.sent, Done::PipelineRenamed, command));
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
        let mut deleted = None;
        ask_frame(ui, theme::colors(ui).error, |ui| {
            if held == 0 {
                ui.text(
                    RichText::new(trn!(
                        ws.stages_of(pipeline.id).count(),
                        "Delete the pipeline {pipeline} and its {n} stages?",
                        pipeline = pipeline.name
                    ))
                    .strong(),
                );
                ui.horizontal(|ui| {
                    if ui.button_text(tr!("Yes, delete")).clicked() {
                        deleted = Some(ws.delete_pipeline_change(pipeline.id, None));
                    }
                    close = ui.button_text(tr!("Cancel")).clicked();
                });
                return;
            }
            let text = trn!(
                held,
                "{pipeline} has {n} deals. Move them to:",
                pipeline = pipeline.name
            );
            let label = ui.text(RichText::new(text).strong());
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
                    deleted = Some(ws.delete_pipeline_change(pipeline.id, Some(target)));
                }
                close = ui.button_text(tr!("Cancel")).clicked();
            });
            ui.text(
                muted(ui, tr!(
                    "Each deal goes to that pipeline's first stage of the same kind (open deals to its first open stage); then this pipeline and its stages are deleted."
                )));
        });
        if let Some(change) = deleted {
            self.send(change, Done::PipelineDeleted, actions);
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
        switch: &mut Option<Switch>,
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
                        (tr!("Forecast category"), FORECAST_WIDTH),
                        (tr!("Stale after"), STALE_WIDTH),
                        (Field::Folded.label(), FOLDED_WIDTH),
                        (tr!("Deals"), DEALS_WIDTH),
                    ] {
                        cell(ui, width, |ui| {
                            ui.text(muted(ui, title).small().strong());
                        });
                    }
                });
            });
        let mut rows = Vec::with_capacity(stages.len());
        let mut reorder = None;
        for (i, stage) in stages.iter().enumerate() {
            let (rect, row_reorder) = self.stage_row_ui(ui, stage, &ids, i, open, switch);
            rows.push(rect);
            reorder = reorder.or(row_reorder);
        }
        if let Some(order) = reorder::dropped(ui, &ids, &rows) {
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
        switch: &mut Option<Switch>,
    ) -> (egui::Rect, Option<Vec<Id>>) {
        let drag_id = egui::Id::unique(("settings_stage_drag", stage.id));
        let dragged = ui.ctx().is_being_dragged(drag_id);
        let editing = self.editor.as_ref().is_some_and(|e| e.stage.id == stage.id);
        let asked = self
            .delete_stage
            .as_ref()
            .is_some_and(|d| d.stage == stage.id);
        let fill = if dragged {
            theme::colors(ui).card_stroke.gamma_multiply(0.5)
        } else if editing || asked {
            theme::colors(ui).card_selected.gamma_multiply(0.1)
        } else {
            theme::colors(ui).card_fill
        };
        let mut reorder = None;
        let held = self.counts.stage(stage.id);
        let response = egui::Frame::new()
            .fill(fill)
            .stroke(Stroke::new(1.0, theme::colors(ui).card_stroke))
            .corner_radius(theme::CARD_RADIUS)
            .inner_margin(Margin::symmetric(8, 1))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let size = vec2(HANDLE_WIDTH, ROW_HEIGHT);
                    reorder::handle(ui, drag_id, stage.id, size, &stage.name);
                    stage_cells_ui(ui, stage, held);
                    reorder = reorder::arrows(ui, ids, index, &stage.name);
                    self.stage_buttons_ui(ui, stage, open_stages, switch);
                });
            })
            .response;
        if dragged {
            reorder::paint_ghost(ui, drag_id, &stage.name);
        }
        (response.rect, reorder)
    }

    /// A stage row's Edit and Delete; Delete is refused for the pipeline's last open stage.
    fn stage_buttons_ui(
        &mut self,
        ui: &mut egui::Ui,
        stage: &Stage,
        open_stages: usize,
        switch: &mut Option<Switch>,
    ) {
        let editing = self.editor.as_ref().is_some_and(|e| e.stage.id == stage.id);
        let asked = self
            .delete_stage
            .as_ref()
            .is_some_and(|d| d.stage == stage.id);
        let edit = ui
            .add_enabled(!editing, egui::Button::new(ui.rtl(tr!("Edit"))).small())
            .accessible_name(tr!("Edit {stage}", stage = stage.name));
        if edit.clicked() {
            *switch = Some(Switch::Stage(Box::new(StageEditor::of(stage))));
        }
        let last_open = stage.kind == StageKind::Open && open_stages <= 1;
        let delete = ui
            .add_enabled(
                !last_open && !asked,
                egui::Button::new(ui.rtl(tr!("Delete"))).small(),
            )
            .accessible_name(tr!("Delete {stage}", stage = stage.name));
        let delete = if last_open {
            delete.on_disabled_hover_text(
                ui.rtl(tr!("Every pipeline needs at least one open stage.")),
            )
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
        let mut deleted = None;
        ask_frame(ui, theme::colors(ui).error, |ui| {
            if held == 0 {
                ui.text(
                    RichText::new(tr!("Delete the stage {stage}?", stage = stage.name)).strong(),
                );
                ui.horizontal(|ui| {
                    if ui.button_text(tr!("Yes, delete")).clicked() {
                        deleted = Some(ws.delete_stage_change(stage.id, None));
                    }
                    close = ui.button_text(tr!("Cancel")).clicked();
                });
                return;
            }
            let text = trn!(
                held,
                "{n} deals are in {stage}. Move them to:",
                stage = stage.name
            );
            let label = ui.text(RichText::new(text).strong());
            ui.horizontal(|ui| {
                let others: Vec<(Id, &str)> = stages
                    .iter()
                    .filter(|s| s.id != stage.id)
                    .map(|s| (s.id, s.name.as_str()))
                    .collect();
                let placeholder = tr!("Choose a stage");
                let go = move_target_ui(ui, label.id, &others, &mut ask.target, &placeholder);
                if go && let Some(target) = ask.target {
                    deleted = Some(ws.delete_stage_change(stage.id, Some(target)));
                }
                close = ui.button_text(tr!("Cancel")).clicked();
            });
            ui.text(
                muted(ui, tr!(
                    "Moved deals follow the rules of their new stage: a Won or Lost stage closes them, an open one gives them its probability."
                )));
        });
        if let Some(change) = deleted {
            self.send(change, Done::StageDeleted, actions);
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
        .selected_text(ui.rtl(chosen))
        .show_ui(ui, |ui| {
            for (id, name) in choices {
                ui.selectable_value_text(target, Some(*id), *name);
            }
        })
        .response
        .labelled_by(label);
    ui.add_enabled(
        target.is_some(),
        egui::Button::new(ui.rtl(tr!("Move and delete"))),
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
/// change), and the new pipeline's id; or what is wrong with the name.
pub(super) fn new_pipeline_command(
    ws: &Workspace,
    name: &str,
) -> Result<(Id, Command), Vec<FieldError>> {
    let mut change = ws.new_pipeline_change(name);
    let pipeline = change.put.first_mut().expect("the pipeline comes first");
    pipeline.normalize_and_validate()?;
    let id = match pipeline {
        Record::Pipeline(p) => p.id,
        _ => 0,
    };
    Ok((id, Command::Change(Box::new(change))))
}

fn change_action(change: Change) -> Action {
    Action::Apply(Command::Change(Box::new(change)))
}

fn kind_color(colors: &theme::Colors, kind: StageKind) -> Color32 {
    match kind {
        StageKind::Open => colors.text_muted,
        StageKind::Won => colors.won,
        StageKind::Lost => colors.lost,
    }
}

/// A stage row's settings, read only: name (its requirements on hover), kind, probability,
/// forecast category, days until stale, folded, and the deals it holds.
fn stage_cells_ui(ui: &mut egui::Ui, stage: &Stage, held: usize) {
    cell(ui, NAME_WIDTH, |ui| {
        let label = ui.add(
            egui::Label::new(
                ui.rtl(
                    RichText::new(&stage.name)
                        .strong()
                        .color(theme::colors(ui).text_strong),
                ),
            )
            .truncate(),
        );
        if !stage.requirements.is_empty() {
            label.on_hover_text(ui.rtl(&stage.requirements));
        }
    });
    cell(ui, KIND_WIDTH, |ui| {
        ui.text(
            RichText::new(kind_label(stage.kind)).color(kind_color(theme::colors(ui), stage.kind)),
        );
    });
    cell(ui, PROBABILITY_WIDTH, |ui| {
        ui.text(format_percent(stage.probability));
    });
    cell(ui, FORECAST_WIDTH, |ui| {
        if stage.kind == StageKind::Open {
            ui.text(category_label(stage.forecast));
        } else {
            ui.text(muted(ui, "—".to_owned()));
        }
    });
    cell(ui, STALE_WIDTH, |ui| match stage.rotting_days {
        Some(days) => {
            ui.text(trn!(days, "{n} days"));
        }
        None => {
            ui.text(muted(ui, "—".to_owned()))
                .on_hover_text(ui.rtl(tr!("Never stale")));
        }
    });
    cell(ui, FOLDED_WIDTH, |ui| {
        if stage.folded {
            ui.text(tr!("Yes"));
        } else {
            ui.text(muted(ui, "—".to_owned()));
        }
    });
    cell(ui, DEALS_WIDTH, |ui| {
        ui.text(format_count(held as u64));
    });
}
