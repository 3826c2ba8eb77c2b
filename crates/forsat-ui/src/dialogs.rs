//! Modal dialogs: the loss reason asked when a deal is lost, confirmations, merge, export and
//! import; the question before a file is written over.

use crate::ui_ext::UiExt;
use std::path::{Path, PathBuf};

use egui::RichText;

use super::about::About;
use super::activity_editor::{ActivityEditor, EditorOutcome};
use super::exchange_import::{ExchangeImport, ExchangeOutcome};
use super::export::{ExportDialog, ExportOutcome};
use super::import::{ImportDialog, ImportOutcome};
use super::merge::{MergeDialog, MergeOutcome};
use super::theme;
use crate::command::Command;
use crate::domain::{Id, LookupKind};
use crate::files::FileError;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// An open dialog and what it has gathered so far.
pub enum Dialog {
    /// Moving `opp` to the Lost stage `stage`: the reason is optional but asked.
    LossReason {
        opp: Id,
        stage: Id,
        reason: Option<Id>,
    },
    /// "Clear sample data": removes the sample deals after confirmation.
    ClearSample,
    /// "Empty trash": deletes the trashed deals for good after confirmation.
    EmptyTrash,
    /// Merging duplicates.
    Merge(MergeDialog),
    /// Writing deals, accounts, stage moves or history to a file.
    Export(ExportDialog),
    /// Reading deals from a file.
    Import(Box<ImportDialog>),
    /// Reading contacts from a vCard file or activities from an invitation.
    Exchange(Box<ExchangeImport>),
    /// The sheet of keyboard shortcuts (`?`).
    Shortcuts,
    /// Help → About Forsat.
    About(About),
    /// Editing an activity, or planning the next one once one is done.
    Activity(Box<ActivityEditor>),
}

impl Dialog {
    pub fn loss_reason(opp: Id, stage: Id) -> Dialog {
        Dialog::LossReason {
            opp,
            stage,
            reason: None,
        }
    }
}

/// What the user did with the dialog this frame.
pub enum Outcome {
    Open,
    Cancel,
    Run(Command),
    /// Done without a command (a file written): the message for the status bar.
    Done(String),
}

/// Shows `dialog` as a modal window.
pub fn dialog_ui(ctx: &egui::Context, dialog: &mut Dialog, ws: &Workspace) -> Outcome {
    let mut outcome = Outcome::Open;
    let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_min_width(380.0);
        match dialog {
            Dialog::LossReason { opp, stage, reason } => {
                outcome = loss_reason_ui(ui, ws, *opp, *stage, reason);
            }
            Dialog::About(about) => {
                if super::direction::reading(ui, |ui| about.ui(ui, ws)).inner {
                    outcome = Outcome::Cancel;
                }
            }
            Dialog::Shortcuts => {
                super::shortcuts::sheet_ui(ui);
                ui.add_space(10.0);
                if ui.button_text(tr!("Close")).clicked() {
                    outcome = Outcome::Cancel;
                }
            }
            Dialog::ClearSample => {
                outcome = confirm_ui(
                    ui,
                    &tr!("Clear sample data?"),
                    &tr!(
                        "This removes the sample deals, and the sample accounts and salespeople that nothing else uses. Your own records stay."
                    ),
                    &tr!("Clear sample data"),
                    Command::ClearSample,
                );
            }
            Dialog::Merge(merge) => {
                outcome = match merge.ui(ui, ws) {
                    MergeOutcome::Open => Outcome::Open,
                    MergeOutcome::Cancel => Outcome::Cancel,
                    MergeOutcome::Merge(command) => Outcome::Run(command),
                };
            }
            Dialog::Export(export) => {
                outcome = match export.ui(ui, ws) {
                    ExportOutcome::Open => Outcome::Open,
                    ExportOutcome::Cancel => Outcome::Cancel,
                    ExportOutcome::Done(message) => Outcome::Done(message),
                };
            }
            Dialog::Import(import) => {
                outcome = match import.ui(ui, ws) {
                    ImportOutcome::Open => Outcome::Open,
                    ImportOutcome::Cancel => Outcome::Cancel,
                    ImportOutcome::Import(command) => Outcome::Run(command),
                };
            }
            Dialog::Exchange(import) => {
                // In reading order: rows (`horizontal`) run right to left in Persian.
                outcome = match super::direction::reading(ui, |ui| import.ui(ui, ws)).inner {
                    ExchangeOutcome::Open => Outcome::Open,
                    ExchangeOutcome::Cancel => Outcome::Cancel,
                    ExchangeOutcome::Import(command) => Outcome::Run(command),
                };
            }
            Dialog::Activity(editor) => {
                // In reading order: rows (`horizontal`) run right to left in Persian.
                outcome = match super::direction::reading(ui, |ui| editor.ui(ui, ws)).inner {
                    EditorOutcome::Open => Outcome::Open,
                    EditorOutcome::Cancel => Outcome::Cancel,
                    EditorOutcome::Save(command) => Outcome::Run(command),
                };
            }
            Dialog::EmptyTrash => {
                outcome = confirm_ui(
                    ui,
                    &tr!("Empty the trash?"),
                    &trn!(ws.trash_count(), "The {n} deals in the trash are deleted for good, with their stage moves. Their history stays."),
                    &tr!("Delete for good"),
                    Command::EmptyTrash,
                );
            }
        }
    });
    let holds_input = matches!(
        dialog,
        Dialog::Export(_)
            | Dialog::Import(_)
            | Dialog::Exchange(_)
            | Dialog::Merge(_)
            | Dialog::Activity(_)
    );
    if matches!(outcome, Outcome::Open) && closes(&modal, holds_input) {
        outcome = Outcome::Cancel;
    }
    outcome
}

/// Asks why the deal `opp` was lost before it moves to the Lost stage `stage`.
fn loss_reason_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: Id,
    stage: Id,
    reason: &mut Option<Id>,
) -> Outcome {
    let mut outcome = Outcome::Open;
    let name = ws.opportunity(opp).map_or("", |o| o.name.as_str());
    ui.text(RichText::new(tr!("Why was this deal lost?")).heading());
    ui.text(RichText::new(name).strong());
    ui.add_space(6.0);
    let label = ui.text(tr!("Loss reason"));
    let choose = loss_reasons_ui(ui, ws, reason);
    choose.response.labelled_by(label.id);
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        let mark = ui
            .button_text(RichText::new(tr!("Mark as lost")).strong())
            .on_hover_text(ui.rtl(tr!("Enter")));
        if mark.clicked() || choose.inner {
            outcome = Outcome::Run(Command::MoveToStage {
                opp,
                stage,
                loss_reason: *reason,
            });
        }
        if ui.button_text(tr!("Cancel")).clicked() {
            outcome = Outcome::Cancel;
        }
    });
    outcome
}

/// Whether a modal closes this frame: on Escape, and on a click beside it unless it
/// `holds_input` (a path, a merge's choices): a button that moved as a message appeared is
/// easily missed, and the click must not throw away what was typed.
pub fn closes<T>(modal: &egui::ModalResponse<T>, holds_input: bool) -> bool {
    !(holds_input && modal.backdrop_response.clicked()) && modal.should_close()
}

/// The loss reasons as a list, "No reason given" first: a click or the Up and Down keys pick
/// one, Enter (the inner value) confirms it.
fn loss_reasons_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    reason: &mut Option<Id>,
) -> egui::InnerResponse<bool> {
    let choices: Vec<(Option<Id>, String)> = std::iter::once((None, tr!("No reason given")))
        .chain(
            ws.lookups(LookupKind::LossReason)
                .into_iter()
                .map(|l| (Some(l.id), l.name.clone())),
        )
        .collect();
    let at = choices.iter().position(|(id, _)| id == reason).unwrap_or(0);
    let (up, down, enter) = ui.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
        )
    });
    let moved = if up {
        at.saturating_sub(1)
    } else if down {
        (at + 1).min(choices.len() - 1)
    } else {
        at
    };
    *reason = choices[moved].0;
    let frame = egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .max_height(220.0)
            .show(ui, |ui| {
                for (id, name) in &choices {
                    let item = ui.selectable_value_text(reason, *id, name);
                    if (up || down) && *id == *reason {
                        item.scroll_to_me(None);
                    }
                }
            });
    });
    egui::InnerResponse::new(enter, frame.response)
}

/// A confirmation for an action that cannot be undone.
fn confirm_ui(
    ui: &mut egui::Ui,
    title: &str,
    text: &str,
    confirm: &str,
    command: Command,
) -> Outcome {
    ui.text(RichText::new(title).heading());
    ui.text(text);
    ui.text(RichText::new(tr!("This cannot be undone.")).color(theme::colors(ui).error));
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui.button_text(confirm).clicked() {
            Outcome::Run(command)
        } else if ui.button_text(tr!("Cancel")).clicked() {
            Outcome::Cancel
        } else {
            Outcome::Open
        }
    })
    .inner
}

/// The question a dialog writing a file asks when the file exists: "Replace deals.csv?".
#[derive(Default)]
pub struct Overwrite {
    /// The file asked about, while the question is open.
    asking: Option<PathBuf>,
}

/// Where the question stands this frame.
pub enum Asked {
    /// No question open: the dialog shows its own buttons.
    No,
    /// Open, unanswered.
    Waiting,
    /// The user chose to replace the file: write it again, replacing.
    Replace,
}

impl Overwrite {
    /// Takes a write's result: what was written, or None with `error` set to what to show (a
    /// refusal of the database, a full disk), or cleared when a file that exists opened the
    /// question.
    pub fn settle<T>(
        &mut self,
        result: Result<T, FileError>,
        error: &mut Option<String>,
    ) -> Option<T> {
        match result {
            Ok(done) => return Some(done),
            Err(FileError::Exists(path)) => {
                self.asking = Some(path);
                *error = None;
            }
            Err(other) => *error = Some(other.to_string()),
        }
        None
    }

    /// Shows the question, if it is open for `path` (the path in the dialog's field: a path
    /// changed since closes it). Cancel closes it and keeps the file.
    pub fn ui(&mut self, ui: &mut egui::Ui, path: Option<&Path>) -> Asked {
        let Some(asked) = self.asking.as_deref().filter(|a| Some(*a) == path) else {
            self.asking = None;
            return Asked::No;
        };
        let name = asked.file_name().map_or_else(
            || asked.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let folder = asked.parent().unwrap_or(Path::new("."));
        ui.text(RichText::new(tr!("Replace {file}?", file = name)).strong());
        ui.text(tr!(
                "A file of that name already exists in {folder}. Replacing it overwrites what it holds.",
                folder = folder.display()
            ));
        ui.add_space(10.0);
        let (replace, cancel) = ui
            .horizontal(|ui| {
                let replace = ui.button_text(RichText::new(tr!("Replace")).strong());
                (replace.clicked(), ui.button_text(tr!("Cancel")).clicked())
            })
            .inner;
        if replace || cancel {
            self.asking = None;
        }
        if replace {
            Asked::Replace
        } else {
            Asked::Waiting
        }
    }
}
