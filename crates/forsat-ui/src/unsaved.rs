//! One model for every form (deal, account, lead, product, currency, settings): the user edits a
//! draft that is saved as one command — its Save button, Enter in a one-line field, Ctrl+Enter.
//! A dirty form says so beside its title, and whenever it would close (Escape, Close, another
//! record picked, another view, the window closing) asks "Save / Discard / Keep editing": edits
//! are never dropped without the user's word.

use egui::{Key, Modifiers, RichText};

use super::theme;
use crate::command::Command;
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// What the user answered when a form with unsaved edits would close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Save,
    Discard,
    Keep,
}

/// The question asked while a dirty form would close. `then` is what was about to happen (the
/// record picked, the view chosen), done once the user lets the form close.
pub struct Leave<T> {
    pub then: T,
}

impl<T> Leave<T> {
    /// Shows the question about `record` as a modal; the user's answer once given. Escape or a
    /// click beside it keeps editing.
    #[expect(
        clippy::unused_self,
        reason = "asked through the pending Leave, so the question is never shown with nothing to leave"
    )]
    pub fn ui(&self, ctx: &egui::Context, record: &str) -> Option<Choice> {
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            super::direction::reading(ui, |ui| {
                ui.text(RichText::new(tr!("Unsaved changes")).heading());
                ui.add_space(4.0);
                ui.text(tr!(
                    "{record} has changes that are not saved.",
                    record = record
                ));
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    let save = ui.button_text(tr!("Save changes"));
                    // Enter saves: the keyboard starts on the answer that loses nothing.
                    if ui.memory(|m| m.focused().is_none()) {
                        save.request_focus();
                    }
                    if save.clicked() {
                        choice = Some(Choice::Save);
                    }
                    if ui.button_text(tr!("Discard changes")).clicked() {
                        choice = Some(Choice::Discard);
                    }
                    if ui.button_text(tr!("Keep editing")).clicked() {
                        choice = Some(Choice::Keep);
                    }
                });
            });
        });
        if choice.is_none() && modal.should_close() {
            choice = Some(Choice::Keep);
        }
        choice
    }
}

/// A key a form answers this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKey {
    /// Ctrl+Enter.
    Save,
    /// Escape.
    Close,
}

/// The form key pressed this frame, if any. An open dropdown, date picker or dialog takes its
/// keys first: Escape then closes it, not the form.
pub fn form_key(ui: &egui::Ui) -> Option<FormKey> {
    let ctx = ui.ctx();
    if egui::Popup::is_any_open(ctx) || ctx.memory(egui::Memory::top_modal_layer).is_some() {
        return None;
    }
    ui.input_mut(|i| {
        if i.consume_key(Modifiers::COMMAND, Key::Enter) {
            Some(FormKey::Save)
        } else if i.consume_key(Modifiers::NONE, Key::Escape) {
            Some(FormKey::Close)
        } else {
            None
        }
    })
}

/// Whether Enter was pressed in this one-line field this frame (egui takes its focus then),
/// which saves the form.
pub fn submitted(ui: &egui::Ui, field: &egui::Response) -> bool {
    field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none())
}

/// The "Unsaved changes" marker beside a dirty form's title.
pub fn marker(ui: &mut egui::Ui, dirty: bool) {
    if dirty {
        ui.text(
            RichText::new(tr!("Unsaved changes"))
                .small()
                .color(theme::colors(ui).stale),
        );
    }
}

/// A view holding a form, which the app asks before switching to another view or closing the
/// window.
pub trait Editing {
    /// The name of the record with unsaved edits, for the question; None when nothing is
    /// unsaved.
    fn unsaved(&self) -> Option<String>;
    /// The command saving the edits; None when they do not validate (the form then shows why).
    fn save(&mut self, ws: &Workspace) -> Option<Command>;
    /// Drops the edits; also called once a save was applied, so the form shows what is stored.
    fn discard(&mut self, ws: &Workspace);
}

/// The draft of one record in a view that shows at most one form (an account, a lead).
pub trait Draft {
    /// Whether anything typed is unsaved.
    fn is_dirty(&self) -> bool;
    /// The form's name in the unsaved-edits question.
    fn record_name(&self) -> String;
}

/// [`Editing::unsaved`] of a view whose form is `draft`, when one is open.
pub fn unsaved_of(draft: Option<&impl Draft>) -> Option<String> {
    draft
        .filter(|draft| draft.is_dirty())
        .map(Draft::record_name)
}
