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

mod calendar_file;
mod general;
mod pipelines;
mod stage_editor;

use general::GeneralTab;
use pipelines::{PipelinesTab, new_pipeline_command};
use stage_editor::StageEditor;

use crate::ui_ext::UiExt;

use egui::{Color32, Margin, RichText, Stroke};

use crate::app::{Action, Ctx};
use crate::command::Command;
use crate::domain::{FieldError, Id, LookupKind, StageKind};
use crate::lookups::LookupsEditor;
use crate::reply::{self, Reply, Sent};
use crate::theme;
use crate::tr;
use crate::unsaved::{Choice, Editing, Leave};
use crate::workspace::Workspace;

/// Width of a number field.
const NUMBER_WIDTH: f32 = 64.0;
/// Width of the labels of the stage editor's and the General section's rows.
const LABEL_WIDTH: f32 = 170.0;

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
        self.lookups.settle(cx);
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

/// The frame of an inline editor.
fn editor_frame<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .fill(theme::colors(ui).column_fill)
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

fn muted(ui: &egui::Ui, text: String) -> RichText {
    RichText::new(text).color(theme::colors(ui).text_muted)
}
