//! The Accounts view: a searchable list of every account beside the selected account's detail:
//! its fields, its deals with their totals, its contacts, its activities and its history.
//!
//! Everything that scans the workspace (the sorted list, the search, an account's deals,
//! contacts, activities and history) is cached and recomputed only when the data
//! ([`Workspace::generation`]), the search text or the selected account changes.

mod contacts;
mod detail;
mod list;

use crate::direction;
use crate::ui_ext::UiExt;
use contacts::{ContactDraft, Guard};
use detail::Detail;
use egui::{Margin, RichText};
use list::AccountList;

use crate::app::{Action, Ctx};
use crate::command::Command;
use crate::domain::{Field, FieldError, Id};
use crate::reply::{self, Reply, Sent};
use crate::theme;
use crate::tr;
use crate::unsaved::{self, Choice, Draft as _, Editing, FormKey, Leave};
use crate::workspace::Workspace;

/// The list panel's initial width.
const LIST_WIDTH: f32 = 380.0;

/// The accounts view.
#[derive(Default)]
pub struct AccountsView {
    search: String,
    list: AccountList,
    /// The account shown on the right (or a new one being typed), if any.
    detail: Option<Detail>,
    /// An account asked for by [`AccountsView::select`], shown on the next frame.
    requested: Option<Id>,
    /// Scroll the list to the shown account on the next frame.
    reveal: bool,
    /// A save, an added contact or a reassignment sent, until its reply says what became of it.
    sent: Option<Sent<Sending>>,
    /// Asked because the form has unsaved edits and would close: where the user was going.
    leave: Option<Leave<Switch>>,
    /// Where the pointer was when a click removed a contact; see [`Guard`].
    guard: Guard,
}

/// What a command sent from the detail was for: done once it is applied.
#[derive(Clone, Copy)]
enum Sending {
    /// The whole form (the account and the contact lines typed): then go on to where the user
    /// was going, if anywhere.
    Form(Option<Switch>),
    /// The new-contact line: emptied once added.
    NewContact,
    /// The contact being edited: its editor closes once saved.
    EditedContact,
    /// The account was deleted after moving its deals to this one: show that one.
    Reassigned(Id),
}

/// Where a record's form (an account's, a lead's) goes next; asked first while it has
/// unsaved edits.
#[derive(Clone, Copy, Debug)]
pub(super) enum Switch {
    /// Another record picked in the list (or an account opened from a deal).
    Pick(Id),
    /// "New account", "New lead".
    New,
    /// Escape or Cancel: the form closes (a stored account shows as stored again).
    Close,
}

/// One label–field row of a record's form, in reading order, with the field's error, if
/// any, under its widget; `add` gets the label's id.
pub(crate) fn field_row<R>(
    ui: &mut egui::Ui,
    label_width: f32,
    field: Field,
    error: Option<&FieldError>,
    add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
) -> R {
    let label = ui.rtl(field.label());
    direction::field_row(ui, label_width, label, |ui, label| {
        let inner = add(ui, label);
        if let Some(error) = error {
            ui.text(RichText::new(error.reason()).color(theme::colors(ui).error));
        }
        inner
    })
}

impl AccountsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        self.guard.follow(ui);
        if let Some((sending, reply)) = cx.replies.take(&mut self.sent) {
            self.settle(ws, sending, reply);
        }
        if let Some(id) = self.requested.take() {
            self.switch(ws, Switch::Pick(id));
        }
        if let Some(detail) = &self.detail
            && let Some(id) = detail.id
            && ws.account(id).is_none()
        {
            // Deleted (here, by an undo, or elsewhere).
            self.detail = None;
        }
        self.list.refresh(ws, &self.search);
        if self.reveal
            && let Some(id) = self.detail.as_ref().and_then(|d| d.id)
            && !self.list.shown.contains(&id)
        {
            self.search.clear();
            self.list.refresh(ws, &self.search);
        }
        if self.detail.is_none()
            && let Some(account) = self.list.shown.first().and_then(|id| ws.account(*id))
        {
            self.detail = Some(Detail::of(account));
        }
        if let Some(detail) = &mut self.detail {
            detail.follow(ws);
        }
        let mut switch = match unsaved::form_key(ui) {
            Some(FormKey::Save) => {
                if let Some(command) = self.detail.as_mut().and_then(|d| d.save(ws)) {
                    actions.push(reply::send(&mut self.sent, Sending::Form(None), command));
                }
                None
            }
            Some(FormKey::Close) => Some(Switch::Close),
            None => None,
        };

        direction::start_panel("accounts_list")
            .resizable(true)
            .default_size(LIST_WIDTH)
            .min_size(240.0)
            .max_size((ui.available_width() * 0.6).max(260.0))
            .show(ui, |ui| {
                direction::reading(ui, |ui| {
                    switch = switch.or(self.list_ui(ui, ws));
                })
            });

        let guard = &mut self.guard;
        let (send, asked) = egui::ScrollArea::vertical()
            .id_salt("account_detail")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 12))
                    .show(ui, |ui| match &mut self.detail {
                        Some(detail) => detail.ui(ui, ws, &self.list, guard, &mut actions),
                        None => {
                            ui.add_space(40.0);
                            ui.text(
                                RichText::new(tr!(
                                    "No account yet. Create one with “New account”."
                                ))
                                .color(theme::colors(ui).text_muted),
                            );
                            (None, None)
                        }
                    })
                    .inner
            })
            .inner;
        if let Some((sending, command)) = send {
            actions.push(reply::send(&mut self.sent, sending, command));
        }
        if let Some(switch) = switch.or(asked) {
            self.switch(ws, switch);
        }
        self.leave_ui(ui.ctx(), ws, &mut actions);
        actions
    }

    /// Does what a reply calls for: on success, goes on; on refusal, the form stays as typed
    /// and says why.
    fn settle(&mut self, ws: &Workspace, sending: Sending, reply: Reply) {
        let detail = self.detail.as_mut();
        let refused = match reply {
            Reply::Applied { created } => {
                match sending {
                    Sending::Form(Some(then)) => self.go(ws, then),
                    Sending::Form(None) => match (detail, created) {
                        (Some(d), Some(created)) if d.id.is_none() => {
                            self.requested = Some(created);
                            self.detail = None;
                        }
                        (Some(d), _) => {
                            d.new_contact = ContactDraft::default();
                            d.editing_contact = None;
                        }
                        (None, _) => {}
                    },
                    Sending::NewContact => {
                        if let Some(d) = detail {
                            d.new_contact = ContactDraft::default();
                        }
                    }
                    Sending::EditedContact => {
                        if let Some(d) = detail {
                            d.editing_contact = None;
                        }
                    }
                    Sending::Reassigned(target) => self.requested = Some(target),
                }
                return;
            }
            Reply::Refused { message, fields } => (message, fields),
        };
        let Some(d) = self.detail.as_mut() else {
            return;
        };
        match sending {
            Sending::Form(_) if !refused.1.is_empty() => d.errors = refused.1,
            Sending::Form(_) | Sending::Reassigned(_) => d.refused = Some(refused.0),
            Sending::NewContact | Sending::EditedContact => {
                d.contact_errors = refused.1;
                if d.contact_errors.is_empty() {
                    d.refused = Some(refused.0);
                }
            }
        }
    }

    /// Goes to `to`, first asking when the form has unsaved edits.
    fn switch(&mut self, ws: &Workspace, to: Switch) {
        let dirty = self.detail.as_ref().is_some_and(Detail::is_dirty);
        let stays = match (to, &self.detail) {
            (Switch::Pick(id), Some(d)) => d.id == Some(id),
            _ => false,
        };
        if stays {
            self.reveal = true;
        } else if dirty {
            self.leave = Some(Leave { then: to });
        } else {
            self.go(ws, to);
        }
    }

    /// Goes to `to` now, dropping what the form holds.
    fn go(&mut self, ws: &Workspace, to: Switch) {
        match to {
            Switch::Pick(id) => {
                if let Some(account) = ws.account(id) {
                    self.detail = Some(Detail::of(account));
                    self.reveal = true;
                }
            }
            Switch::New => self.detail = Some(Detail::new_account()),
            Switch::Close => {
                // A stored account shows as stored; a new one closes (the first account shows).
                self.detail = self
                    .detail
                    .as_ref()
                    .and_then(|d| d.id)
                    .and_then(|id| ws.account(id))
                    .map(Detail::of);
            }
        }
    }

    /// The unsaved-edits question, while asked, and what the user answers.
    fn leave_ui(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        let (Some(leave), Some(detail)) = (&self.leave, &mut self.detail) else {
            return;
        };
        let Some(choice) = leave.ui(ctx, &detail.record_name()) else {
            return;
        };
        let then = leave.then;
        self.leave = None;
        match choice {
            Choice::Keep => {}
            Choice::Discard => self.go(ws, then),
            Choice::Save => {
                if let Some(command) = detail.save(ws) {
                    actions.push(reply::send(
                        &mut self.sent,
                        Sending::Form(Some(then)),
                        command,
                    ));
                }
            }
        }
    }

    /// Shows the account's detail (asking first when the form has unsaved edits).
    pub fn select(&mut self, id: Id) {
        self.requested = Some(id);
    }
}

impl Editing for AccountsView {
    fn unsaved(&self) -> Option<String> {
        unsaved::unsaved_of(self.detail.as_ref())
    }

    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        self.detail.as_mut()?.save(ws)
    }

    fn discard(&mut self, ws: &Workspace) {
        self.leave = None;
        self.go(ws, Switch::Close);
    }
}
