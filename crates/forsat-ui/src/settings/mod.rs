//! The Settings view: each business shapes its own sales process.
//!
//! Three sections. **Pipelines & stages**: the pipelines on the left; the selected one's
//! stages on the right, reordered by drag (or the arrows), edited inline (name, kind, default
//! probability, expected result, stale threshold, folded), deleted after asking where their
//! deals go. **Lists**: the lookup tables. **General**: base currency, default expected close,
//! date format, first day of the week and backups.
//!
//! Every save is a command the app runs after the frame, with undo. An editor or a question
//! closes only once the reply says its command was applied: a refused save keeps what was typed
//! and says why. Every form follows the one model of [`super::unsaved`]: a dirty one asks
//! "Save / Discard / Keep editing" before it closes.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashMap;

use egui::{Align, Color32, Margin, RichText, Stroke, TextEdit, vec2};
use rust_decimal::Decimal;

use super::app::{Action, Ctx};
use super::lookups::LookupsEditor;
use super::reorder;
use super::reply::{self, Replies, Reply, Sent};
use super::theme;
use super::unsaved::{self, Choice, Editing, FormKey, Leave};
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
/// Width of the labels of the stage editor's and the General section's rows.
const LABEL_WIDTH: f32 = 170.0;
/// The default expected close is at most ten years away.
const MAX_CLOSE_DAYS: u32 = 3650;
/// The most daily backups kept.
const MAX_BACKUPS: u32 = 365;

/// The Settings view.
#[derive(Default)]
pub struct SettingsView {
    lookups: LookupsEditor,
    section: Section,
    pipelines: PipelinesTab,
    general: GeneralTab,
    /// The question asked because a form with unsaved edits would close.
    leave: Option<Leave<Switch>>,
    /// The form saved from that question, and the switch made once it is applied.
    sent: Option<Sent<(Form, Switch)>>,
    /// The form the app asked to save (before another view or quitting).
    saving: Option<Form>,
}

/// The forms of the view, each holding edits of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    General,
    Stage,
    PipelineName,
    NewPipeline,
    /// A list value being renamed.
    ListValue,
    /// The name typed for a new list value.
    NewListValue,
}

/// Something the user did that closes forms: done at once, or once the dirty one is saved or
/// its edits discarded.
pub(super) enum Switch {
    /// Close this form (its Cancel, Escape).
    Close(Form),
    /// Show another pipeline: the stage editor and the rename field are its.
    Pipeline(Id),
    /// Open the stage editor on a stage, or on a new one.
    Stage(Box<StageEditor>),
    /// Show another list: the value being renamed is its.
    List(LookupKind),
    /// Rename this value of the list shown.
    Value(Id),
}

impl Switch {
    /// The forms it closes.
    fn closes(&self) -> &'static [Form] {
        match self {
            Switch::Close(Form::General) => &[Form::General],
            Switch::Close(Form::Stage) | Switch::Stage(_) => &[Form::Stage],
            Switch::Close(Form::PipelineName) => &[Form::PipelineName],
            Switch::Close(Form::NewPipeline) => &[Form::NewPipeline],
            Switch::Close(Form::NewListValue) => &[Form::NewListValue],
            Switch::Close(Form::ListValue) | Switch::List(_) | Switch::Value(_) => {
                &[Form::ListValue]
            }
            Switch::Pipeline(_) => &[Form::Stage, Form::PipelineName],
        }
    }
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
        // The app asks for a save and then for a discard in one frame.
        self.saving = None;
        // Last frame's commands have been applied (or refused) by now, whatever is shown.
        self.pipelines.settle(cx.replies);
        self.general.settle(cx.replies);
        self.lookups.settle(ws, cx.replies);
        if let Some(((form, switch), reply)) = cx.replies.take(&mut self.sent) {
            match reply {
                Reply::Applied { .. } => {
                    self.drop_form(form);
                    self.switch(ws, switch);
                }
                Reply::Refused { message, fields } => self.refused(form, message, fields),
            }
        }
        self.leave_ui(ui.ctx(), ws, &mut actions);
        let mut switch = None;
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            for (section, name) in [
                (Section::Pipelines, tr!("Pipelines & stages")),
                (Section::Lists, tr!("Lists")),
                (Section::General, tr!("General")),
            ] {
                ui.selectable_value_text(
                    &mut self.section,
                    section,
                    RichText::new(name).size(15.0),
                );
            }
        });
        ui.separator();
        match self.section {
            Section::Pipelines => self.pipelines.ui(ui, ws, &mut actions, &mut switch),
            Section::Lists => self.lookups.ui(ui, ws, &mut actions, &mut switch),
            Section::General => self.general.ui(ui, ws, &mut actions, &mut switch),
        }
        if let Some(switch) = switch {
            self.leave_then(ws, switch);
        }
        actions
    }

    /// The first form with unsaved edits, with the name the question gives it.
    fn unsaved_form(&self) -> Option<(Form, String)> {
        let pipelines = &self.pipelines;
        let stage = pipelines.editor.as_ref().filter(|e| e.dirty()).map(|e| {
            let name = if e.stage.id == 0 {
                tr!("The new stage")
            } else {
                e.title.clone()
            };
            (Form::Stage, name)
        });
        stage
            .or_else(|| {
                let rename = &pipelines.rename;
                (rename.text.trim() != rename.original.trim())
                    .then(|| (Form::PipelineName, rename.original.clone()))
            })
            .or_else(|| {
                let typed = pipelines.new_pipeline.as_ref()?;
                (!typed.text.trim().is_empty())
                    .then(|| (Form::NewPipeline, tr!("The new pipeline")))
            })
            .or_else(|| self.lookups.unsaved())
            .or_else(|| {
                self.general
                    .dirty()
                    .then(|| (Form::General, tr!("The General tab")))
            })
    }

    /// The command saving `form`; None when it does not validate (the form says why).
    fn form_command(&mut self, ws: &Workspace, form: Form) -> Option<Command> {
        match form {
            Form::General => self.general.command(ws),
            Form::Stage => self.pipelines.editor.as_mut()?.command(ws),
            Form::PipelineName => self.pipelines.rename_command(ws),
            Form::NewPipeline => {
                let draft = self.pipelines.new_pipeline.as_mut()?;
                match new_pipeline_command(ws, &draft.text) {
                    Ok((_, command)) => Some(command),
                    Err(errors) => {
                        draft.error = Some(error_text(&errors));
                        None
                    }
                }
            }
            Form::ListValue | Form::NewListValue => self.lookups.command(ws, form),
        }
    }

    /// Drops the edits of `form`.
    fn drop_form(&mut self, form: Form) {
        match form {
            Form::General => self.general.discard(),
            Form::Stage => self.pipelines.editor = None,
            Form::PipelineName => {
                let rename = &mut self.pipelines.rename;
                rename.text = rename.original.clone();
                rename.error = None;
            }
            Form::NewPipeline => self.pipelines.new_pipeline = None,
            Form::ListValue | Form::NewListValue => self.lookups.discard(form),
        }
    }

    /// Shows why saving `form` was refused, in the form.
    fn refused(&mut self, form: Form, message: String, fields: Vec<FieldError>) {
        match form {
            Form::General => self.general.refused = Some(message),
            Form::Stage => {
                if let Some(editor) = &mut self.pipelines.editor {
                    editor.refused(message, fields);
                }
            }
            Form::PipelineName => self.pipelines.rename.error = Some(message),
            Form::NewPipeline => {
                if let Some(draft) = &mut self.pipelines.new_pipeline {
                    draft.error = Some(message);
                }
            }
            Form::ListValue | Form::NewListValue => self.lookups.refused(form, message),
        }
    }

    /// Does `switch`, first asking when a form it closes has unsaved edits.
    fn leave_then(&mut self, ws: &Workspace, switch: Switch) {
        let dirty = self
            .unsaved_form()
            .is_some_and(|(form, _)| switch.closes().contains(&form));
        if dirty {
            self.leave = Some(Leave { then: switch });
        } else {
            for form in switch.closes() {
                self.drop_form(*form);
            }
            self.switch(ws, switch);
        }
    }

    /// Does `switch` once the forms it closes may close.
    fn switch(&mut self, ws: &Workspace, switch: Switch) {
        match switch {
            Switch::Close(form) => self.drop_form(form),
            Switch::Pipeline(id) => self.pipelines.selected = Some(id),
            Switch::Stage(editor) => {
                self.pipelines.editor = Some(*editor);
                self.pipelines.delete_stage = None;
            }
            Switch::List(kind) => self.lookups.show(kind),
            Switch::Value(id) => self.lookups.rename(ws, id),
        }
    }

    /// The "Save / Discard / Keep editing" question, while it is asked.
    fn leave_ui(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        let Some(leave) = &self.leave else {
            return;
        };
        let Some((form, record)) = self.unsaved_form() else {
            // Nothing is unsaved any more (an undo): go on.
            if let Some(Leave { then }) = self.leave.take() {
                self.switch(ws, then);
            }
            return;
        };
        let Some(choice) = leave.ui(ctx, &record) else {
            return;
        };
        let Some(Leave { then }) = self.leave.take() else {
            return;
        };
        match choice {
            Choice::Keep => {}
            Choice::Discard => {
                for form in then.closes() {
                    self.drop_form(*form);
                }
                self.switch(ws, then);
            }
            Choice::Save => {
                if let Some(command) = self.form_command(ws, form) {
                    actions.push(reply::send(&mut self.sent, (form, then), command));
                }
            }
        }
    }
}

impl Editing for SettingsView {
    fn unsaved(&self) -> Option<String> {
        self.unsaved_form().map(|(_, name)| name)
    }

    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        let (form, _) = self.unsaved_form()?;
        self.saving = Some(form);
        self.form_command(ws, form)
    }

    fn discard(&mut self, _ws: &Workspace) {
        if let Some(form) = self
            .saving
            .take()
            .or_else(|| self.unsaved_form().map(|(form, _)| form))
        {
            self.drop_form(form);
        }
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
    sent: Option<Sent<Done>>,
}

impl PipelinesTab {
    /// Handles the reply to the tab's last command: a refused one keeps what was typed and
    /// says why (the status bar says it too).
    fn settle(&mut self, replies: &Replies) {
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
    fn rename_command(&mut self, ws: &Workspace) -> Option<Command> {
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

    fn ui(
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
                direction::reading(ui, |ui| self.list_ui(ui, ws, pid, actions, switch)).inner
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
                .color(theme::TEXT_STRONG),
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
                        ui.text(RichText::new(error).color(theme::ERROR));
                    }
                    ui.text(muted(tr!(
                        "It starts with the stages New, Qualified, Proposition, Won and Lost."
                    )));
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
        ui.text(muted(tr!(
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
                .color(theme::TEXT_STRONG)
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
        ui.text(muted(summary));
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
                .color(theme::TEXT_STRONG),
        );
        ui.text(
            muted(tr!(
                "Drag a stage by its dotted handle, or use the arrows, to reorder. Open stages are the board's columns; Won and Lost are its drop zones. Hover a name for its expected result."
            )));
        ui.add_space(4.0);
        if stages.is_empty() {
            ui.text(
                RichText::new(tr!(
                    "This pipeline has no stages yet: deals need at least one open stage."
                ))
                .color(theme::ERROR),
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
            ui.text(RichText::new(error).color(theme::ERROR));
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
        ask_frame(ui, theme::ERROR, |ui| {
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
                muted(tr!(
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
                        (tr!("Stale after"), STALE_WIDTH),
                        (Field::Folded.label(), FOLDED_WIDTH),
                        (tr!("Deals"), DEALS_WIDTH),
                    ] {
                        cell(ui, width, |ui| {
                            ui.text(muted(title).small().strong());
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
                    let size = vec2(HANDLE_WIDTH, ROW_HEIGHT);
                    reorder::handle(ui, drag_id, stage.id, size, &stage.name);
                    cell(ui, NAME_WIDTH, |ui| {
                        let label = ui.add(
                            egui::Label::new(
                                ui.rtl(
                                    RichText::new(&stage.name)
                                        .strong()
                                        .color(theme::TEXT_STRONG),
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
                            RichText::new(kind_label(stage.kind)).color(kind_color(stage.kind)),
                        );
                    });
                    cell(ui, PROBABILITY_WIDTH, |ui| {
                        ui.text(format_percent(stage.probability));
                    });
                    cell(ui, STALE_WIDTH, |ui| match stage.rotting_days {
                        Some(days) => {
                            ui.text(trn!(days, "{n} days"));
                        }
                        None => {
                            ui.text(muted("—".to_owned()))
                                .on_hover_text(ui.rtl(tr!("Never stale")));
                        }
                    });
                    cell(ui, FOLDED_WIDTH, |ui| {
                        if stage.folded {
                            ui.text(tr!("Yes"));
                        } else {
                            ui.text(muted("—".to_owned()));
                        }
                    });
                    cell(ui, DEALS_WIDTH, |ui| {
                        ui.text(format_count(held as u64));
                    });
                    reorder = reorder::arrows(ui, ids, index, &stage.name);
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
                });
            })
            .response;
        if dragged {
            reorder::paint_ghost(ui, drag_id, &stage.name);
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
        let mut deleted = None;
        ask_frame(ui, theme::ERROR, |ui| {
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
                muted(tr!(
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
fn new_pipeline_command(ws: &Workspace, name: &str) -> Result<(Id, Command), Vec<FieldError>> {
    let mut change = ws.new_pipeline_change(name);
    let pipeline = change.put.first_mut().expect("the pipeline comes first");
    pipeline.normalize_and_validate()?;
    let id = match pipeline {
        Record::Pipeline(p) => p.id,
        _ => 0,
    };
    Ok((id, Command::Change(Box::new(change))))
}

// --- Stage editor -------------------------------------------------------------------------

/// What the stage editor asked for this frame.
enum EditorOutcome {
    /// Save with this change: it closes once the change is applied.
    Send(Box<Change>),
    /// Close (Cancel, Escape): asks first when there are unsaved edits.
    Close,
}

/// A stage being created (id 0) or edited; numbers stay text until saved.
pub(super) struct StageEditor {
    stage: Stage,
    /// The name when the editor opened, for its title.
    title: String,
    probability: String,
    rotting: String,
    /// What the editor opened with: anything else is an unsaved edit.
    opened: (Stage, String, String),
    errors: Vec<FieldError>,
    /// Why the workspace refused the last save, when no field is to blame.
    refusal: Option<String>,
    /// A checked stage waiting for the answer on the deals following its default probability:
    /// how many there are.
    followers: Option<(Stage, usize)>,
}

impl StageEditor {
    fn of(stage: &Stage) -> Self {
        let probability = stage.probability.normalize().to_string();
        let rotting = stage
            .rotting_days
            .map(|d| d.to_string())
            .unwrap_or_default();
        StageEditor {
            opened: (stage.clone(), probability.clone(), rotting.clone()),
            stage: stage.clone(),
            title: stage.name.clone(),
            probability,
            rotting,
            errors: Vec::new(),
            refusal: None,
            followers: None,
        }
    }

    fn dirty(&self) -> bool {
        let (stage, probability, rotting) = &self.opened;
        *stage != self.stage || *probability != self.probability || *rotting != self.rotting
    }

    /// Shows why the workspace refused the save.
    fn refused(&mut self, message: String, fields: Vec<FieldError>) {
        self.refusal = fields.is_empty().then_some(message);
        self.errors = fields;
    }

    /// The command saving the stage, for the unsaved-edits question; None when it does not
    /// validate or when the deals following its default probability must be asked about first
    /// (the editor then shows why, or the question).
    fn command(&mut self, ws: &Workspace) -> Option<Command> {
        match self.save(ws)? {
            EditorOutcome::Send(change) => Some(Command::Change(change)),
            EditorOutcome::Close => None,
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
    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, held: usize) -> Option<EditorOutcome> {
        let mut outcome = match unsaved::form_key(ui) {
            Some(FormKey::Save) if self.followers.is_none() => self.save(ws),
            Some(FormKey::Close) => Some(EditorOutcome::Close),
            _ => None,
        };
        let dirty = self.dirty();
        editor_frame(ui, |ui| {
            let title = if self.stage.id == 0 {
                tr!("New stage")
            } else {
                tr!("Edit stage “{stage}”", stage = self.title)
            };
            ui.horizontal(|ui| {
                ui.text(
                    RichText::new(title)
                        .strong()
                        .size(15.0)
                        .color(theme::TEXT_STRONG),
                );
                unsaved::marker(ui, dirty);
            });
            ui.add_space(4.0);
            if let Some(refusal) = &self.refusal {
                ui.text(RichText::new(refusal).color(theme::ERROR));
            }
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
                ui.text(RichText::new(e.to_string()).color(theme::ERROR));
            }
            let entered = self.fields_ui(ui, held);
            ui.add_space(6.0);
            if self.followers.is_some() {
                outcome = self.followers_ui(ui, ws).or(outcome.take());
                return;
            }
            if entered {
                outcome = self.save(ws);
            }
            ui.horizontal(|ui| {
                let save = if self.stage.id == 0 {
                    tr!("Add stage")
                } else {
                    tr!("Save stage")
                };
                if ui.button_text(RichText::new(save).strong()).clicked() {
                    outcome = self.save(ws);
                }
                if ui.button_text(tr!("Cancel")).clicked() {
                    outcome = Some(EditorOutcome::Close);
                }
            });
        });
        if self.dirty() != dirty {
            // The marker follows the typing at once.
            ui.ctx().request_repaint();
        }
        outcome
    }

    /// A labelled row of the form, in reading order; the field's error shows under its widget.
    fn row<R>(
        &self,
        ui: &mut egui::Ui,
        label: String,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
    ) -> R {
        let label = ui.rtl(label);
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            let inner = add(ui, label);
            if let Some(error) = self.error(field) {
                ui.text(RichText::new(error.reason()).color(theme::ERROR));
            }
            inner
        })
    }

    /// The fields; true when Enter was pressed in a one-line one.
    fn fields_ui(&mut self, ui: &mut egui::Ui, held: usize) -> bool {
        let mut stage = self.stage.clone();
        let mut probability = std::mem::take(&mut self.probability);
        let mut rotting = std::mem::take(&mut self.rotting);
        let mut entered = self.row(ui, Field::Name.label(), Field::Name, |ui, l| {
            let field = ui
                .add(TextEdit::singleline(&mut stage.name).desired_width(FIELD_WIDTH))
                .labelled_by(l);
            unsaved::submitted(ui, &field)
        });
        let kind_fixed = stage.id != 0 && held > 0;
        self.row(ui, Field::Kind.label(), Field::Kind, |ui, l| {
            ui.horizontal(|ui| {
                ui.add_enabled_ui(!kind_fixed, |ui| {
                    egui::ComboBox::from_id_salt("settings_stage_kind")
                        .selected_text(ui.rtl(kind_label(stage.kind)))
                        .show_ui(ui, |ui| {
                            for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
                                ui.selectable_value_text(&mut stage.kind, kind, kind_label(kind));
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
                ui.text(muted(note));
            });
        });
        entered |= self.row(
            ui,
            tr!("Default probability"),
            Field::Probability,
            |ui, l| {
                ui.horizontal(|ui| {
                    let mut entered = false;
                    match stage.kind {
                        StageKind::Open => {
                            let field = ui
                                .add(
                                    TextEdit::singleline(&mut probability)
                                        .desired_width(NUMBER_WIDTH),
                                )
                                .labelled_by(l);
                            entered = unsaved::submitted(ui, &field);
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
                    ui.text("%");
                    ui.text(muted(tr!("what a deal gets on entering the stage")));
                    entered
                })
                .inner
            },
        );
        self.row(
            ui,
            Field::Requirements.label(),
            Field::Requirements,
            |ui, l| {
                ui.add(
                    TextEdit::multiline(&mut stage.requirements)
                        .hint_text(ui.rtl(tr!("What a deal must meet before it moves on")))
                        .desired_rows(2)
                        .desired_width(FIELD_WIDTH * 1.5),
                )
                .labelled_by(l);
                ui.text(muted(tr!(
                    "Shown when hovering the stage's column on the board."
                )));
            },
        );
        entered |= self.row(ui, tr!("Stale after"), Field::RottingDays, |ui, l| {
            ui.horizontal(|ui| {
                let field = ui
                    .add(
                        TextEdit::singleline(&mut rotting)
                            .hint_text(ui.rtl(tr!("never")))
                            .desired_width(NUMBER_WIDTH),
                    )
                    .labelled_by(l);
                ui.text(tr!("days in the stage"));
                ui.text(muted(tr!("(empty: never)")));
                unsaved::submitted(ui, &field)
            })
            .inner
        });
        self.row(ui, Field::Folded.label(), Field::Folded, |ui, _| {
            ui.checkbox_text(&mut stage.folded, tr!("Shown folded on the board"));
        });
        self.stage = stage;
        self.probability = probability;
        self.rotting = rotting;
        entered
    }

    /// Checks the stage; saves it, or first asks about the deals following its default.
    fn save(&mut self, ws: &Workspace) -> Option<EditorOutcome> {
        let stage = match self.checked() {
            Ok(stage) => stage,
            Err(errors) => {
                self.errors = errors;
                return None;
            }
        };
        self.errors.clear();
        self.refusal = None;
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
        Some(EditorOutcome::Send(Box::new(ws.stage_change(stage, false))))
    }

    /// The question on the open deals that follow the stage's default probability.
    fn followers_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<EditorOutcome> {
        let (stage, n) = self.followers.clone()?;
        let mut outcome = None;
        ask_frame(ui, theme::PROGRESS, |ui| {
            let percent = format_percent(stage.probability);
            let text = trn!(
                n,
                "Apply {percent} to the {n} open deals that follow the stage's default? (deals with a probability of their own keep it)",
                percent = percent
            );
            ui.text(RichText::new(text).strong());
            ui.horizontal(|ui| {
                for (answer, apply) in
                    [(tr!("Apply to them"), true), (tr!("Only new deals"), false)]
                {
                    if ui.button_text(answer).clicked() {
                        let change = ws.stage_change(stage.clone(), apply);
                        outcome = Some(EditorOutcome::Send(Box::new(change)));
                    }
                }
                if ui.button_text(tr!("Back")).clicked() {
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

/// A row of the General form choosing one of `choices` from a dropdown, each shown as `name`
/// says.
fn choice_row<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: String,
    id: &str,
    value: &mut T,
    choices: impl IntoIterator<Item = T>,
    name: impl Fn(T) -> String,
) {
    let label = ui.rtl(label);
    direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
        egui::ComboBox::from_id_salt(id)
            .selected_text(ui.rtl(name(*value)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for choice in choices {
                    ui.selectable_value_text(value, choice, name(choice));
                }
            })
            .response
            .labelled_by(label);
    });
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
    /// Why the workspace refused the last save.
    refused: Option<String>,
    /// "Save settings", sent.
    sent: Option<Sent<()>>,
}

impl GeneralTab {
    fn settle(&mut self, replies: &Replies) {
        match replies.take(&mut self.sent) {
            // Saved: show the settings as stored.
            Some(((), Reply::Applied { .. })) => self.discard(),
            Some(((), Reply::Refused { message, .. })) => self.refused = Some(message),
            None => {}
        }
    }

    /// Whether the draft differs from the stored settings.
    fn dirty(&self) -> bool {
        self.draft.is_some() && self.draft != self.stored
    }

    /// Drops the draft: the form shows the stored settings.
    fn discard(&mut self) {
        self.draft = None;
        self.errors.clear();
        self.refused = None;
    }

    /// The command saving the draft; None, with each bad number's message, when one is wrong.
    fn command(&mut self, ws: &Workspace) -> Option<Command> {
        match self.draft.as_ref()?.settings() {
            Ok(settings) => {
                self.errors.clear();
                self.refused = None;
                Some(Command::Change(Box::new(ws.settings_change(settings))))
            }
            Err(errors) => {
                self.errors = errors;
                None
            }
        }
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let stored = GeneralDraft::of(ws.settings());
        // Follow the stored settings (an undo) unless the user has edits of their own.
        if self.stored.as_ref() != Some(&stored) {
            if self.draft.is_none() || self.draft == self.stored {
                self.draft = Some(stored.clone());
            }
            self.stored = Some(stored.clone());
        }
        let mut save = false;
        match unsaved::form_key(ui) {
            Some(FormKey::Save) => save = true,
            Some(FormKey::Close) => *switch = Some(Switch::Close(Form::General)),
            None => {}
        }
        let mut draft = self.draft.take().unwrap_or_else(|| stored.clone());
        let dirty = draft != stored;
        egui::ScrollArea::vertical()
            .id_salt("settings_general")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.text(
                                RichText::new(tr!("General"))
                                    .strong()
                                    .size(17.0)
                                    .color(theme::TEXT_STRONG),
                            );
                            unsaved::marker(ui, dirty);
                        });
                        ui.add_space(8.0);
                        save |= self.rows_ui(ui, ws, &stored, &mut draft);
                        if let Some(refused) = &self.refused {
                            ui.text(RichText::new(refused).color(theme::ERROR));
                        }
                        ui.add_space(10.0);
                        ui.horizontal(|ui| {
                            let button = egui::Button::new(
                                ui.rtl(RichText::new(tr!("Save settings")).strong()),
                            );
                            save |= ui.add_enabled(dirty, button).clicked();
                            if dirty && ui.button_text(tr!("Discard")).clicked() {
                                *switch = Some(Switch::Close(Form::General));
                            }
                        });
                    });
            });
        if (draft != stored) != dirty {
            // The marker follows the typing at once.
            ui.ctx().request_repaint();
        }
        self.draft = Some(draft);
        if save
            && self.dirty()
            && let Some(command) = self.command(ws)
        {
            actions.push(reply::send(&mut self.sent, (), command));
        }
    }

    fn error_ui(&self, ui: &mut egui::Ui, row: NumberRow) {
        if let Some((_, message)) = self.errors.iter().find(|(r, _)| *r == row) {
            ui.text(RichText::new(message).color(theme::ERROR));
        }
    }

    /// The rows of the form, in reading order; true when Enter was pressed in a number field.
    fn rows_ui(
        &self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        stored: &GeneralDraft,
        draft: &mut GeneralDraft,
    ) -> bool {
        let mut entered = false;
        let row = |ui: &mut egui::Ui, label: String| ui.rtl(label);
        let label = row(ui, tr!("Base currency"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            egui::ComboBox::from_id_salt("settings_base_currency")
                .selected_text(ui.rtl(&draft.base_currency))
                .width(200.0)
                .show_ui(ui, |ui| {
                    for code in ws.currency_codes() {
                        ui.selectable_value_text(&mut draft.base_currency, code.clone(), code);
                    }
                })
                .response
                .labelled_by(label);
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
            ui.text(muted(note));
        });

        let label = row(ui, tr!("Default expected close"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            ui.horizontal(|ui| {
                let field = ui
                    .add(TextEdit::singleline(&mut draft.close_days).desired_width(NUMBER_WIDTH))
                    .labelled_by(label);
                entered |= unsaved::submitted(ui, &field);
                ui.text(tr!("days from today, for a new deal"));
            });
            self.error_ui(ui, NumberRow::CloseDays);
        });

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
        choice_row(
            ui,
            tr!("Language"),
            "settings_language",
            &mut draft.language,
            std::iter::once(None).chain(Language::ALL.map(Some)),
            language_name,
        );
        let calendar_name = |calendar: Option<Calendar>| match calendar {
            None => tr!("As the language"),
            Some(Calendar::Gregorian) => tr!("Gregorian"),
            Some(Calendar::Jalali) => tr!("Jalali (Solar Hijri)"),
        };
        choice_row(
            ui,
            tr!("Calendar"),
            "settings_calendar",
            &mut draft.calendar,
            [None, Some(Calendar::Gregorian), Some(Calendar::Jalali)],
            calendar_name,
        );
        choice_row(
            ui,
            tr!("Date format"),
            "settings_date_format",
            &mut draft.date_format,
            DateFormat::ALL,
            example,
        );
        choice_row(
            ui,
            tr!("First day of the week"),
            "settings_week_start",
            &mut draft.week_start,
            WeekStart::ALL,
            week_start_label,
        );

        let label = row(ui, tr!("Daily backups"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
            ui.checkbox_text(
                &mut draft.backups,
                tr!("Keep a copy of the file each day it is opened"),
            );
        });

        let label = row(ui, tr!("How many"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            ui.horizontal(|ui| {
                let field = ui
                    .add_enabled(
                        draft.backups,
                        TextEdit::singleline(&mut draft.backups_keep).desired_width(NUMBER_WIDTH),
                    )
                    .labelled_by(label);
                entered |= unsaved::submitted(ui, &field);
                ui.text(tr!("copies, the oldest removed first"));
            });
            self.error_ui(ui, NumberRow::BackupsKeep);
        });
        entered
    }
}
