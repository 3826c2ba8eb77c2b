//! An account's contacts, added and edited in their rows.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{RichText, TextEdit};

use super::Sending;
use super::detail::{Detail, errors_ui, section};
use crate::app::Action;
use crate::command::{Change, Command};
use crate::domain::{Contact, EntityKind, FieldError, Id, Record, split_list};
use crate::theme;
use crate::unsaved::{self};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Keeps a destructive button from firing where the pointer already was when a click changed
/// the rows under it (a contact deleted: the next row's Delete slides up under the pointer).
/// Such a button stays inert until the pointer moves.
#[derive(Default)]
pub(super) struct Guard {
    at: Option<egui::Pos2>,
}

impl Guard {
    /// After a click that moves rows: the pointer's place now is guarded.
    fn arm(&mut self, ui: &egui::Ui) {
        self.at = ui.input(|i| i.pointer.latest_pos());
    }

    /// Forgets the guarded place once the pointer has moved away from it.
    pub(super) fn follow(&mut self, ui: &egui::Ui) {
        let now = ui.input(|i| i.pointer.latest_pos());
        if self
            .at
            .is_some_and(|at| now.is_none_or(|now| now.distance(at) > 2.0))
        {
            self.at = None;
        }
    }

    /// Whether a button at `rect` may act: not while it sits where the pointer was left.
    fn allows(&self, rect: egui::Rect) -> bool {
        self.at.is_none_or(|at| !rect.contains(at))
    }
}

/// A contact edited in its row: what is typed, and what it held when the editor opened.
pub(super) struct ContactEdit {
    pub(super) id: Id,
    pub(super) draft: ContactDraft,
    opened: ContactDraft,
}

impl ContactEdit {
    pub(super) fn is_dirty(&self) -> bool {
        self.draft != self.opened
    }
}

/// A contact as typed: its emails and its phones each in one field, separated by commas.
#[derive(Clone, Default, PartialEq)]
pub(super) struct ContactDraft {
    name: String,
    role: String,
    email: String,
    phone: String,
    notes: String,
}

impl ContactDraft {
    fn of(contact: &Contact) -> Self {
        ContactDraft {
            name: contact.name.clone(),
            role: contact.role.clone(),
            email: contact.emails().collect::<Vec<_>>().join(", "),
            phone: contact.phones().collect::<Vec<_>>().join(", "),
            notes: contact.notes.clone(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.role,
            &self.email,
            &self.phone,
            &self.notes,
        ]
        .iter()
        .all(|t| t.trim().is_empty())
    }

    /// The contact to put, trimmed and checked; or what is wrong with it.
    pub(super) fn record(&self, id: Id, account: Id) -> Result<Record, Vec<FieldError>> {
        let mut contact = Contact {
            id,
            account,
            name: self.name.clone(),
            role: self.role.clone(),
            notes: self.notes.clone(),
            ..Contact::default()
        };
        contact.set_emails(split_list(&self.email));
        contact.set_phones(split_list(&self.phone));
        let mut record = Record::Contact(contact);
        record.normalize_and_validate().map(|()| record)
    }
}

impl Detail {
    /// The account's contacts: the line adding one first (it stays under the pointer as rows
    /// are added below it), then one row each (or an editor).
    pub(super) fn contacts_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        account: Id,
        guard: &mut Guard,
        actions: &mut Vec<Action>,
    ) -> Option<(Sending, Command)> {
        let ids = self.related.as_ref()?.contacts.clone();
        let mut send = None;
        section(
            ui,
            trn!(ids.len(), "Contacts ({n})"),
            "account_contacts",
            |ui| {
                let mut add = false;
                ui.horizontal_wrapped(|ui| {
                    let c = &mut self.new_contact;
                    for (text, hint, name) in [
                        (&mut c.name, tr!("Name"), tr!("New contact name")),
                        (&mut c.role, tr!("Role"), tr!("New contact role")),
                        (&mut c.email, tr!("Email"), tr!("New contact email")),
                        (&mut c.phone, tr!("Phone"), tr!("New contact phone")),
                        (&mut c.notes, tr!("Notes"), tr!("New contact notes")),
                    ] {
                        let field = ui
                            .add(
                                TextEdit::singleline(text)
                                    .hint_text(ui.rtl(hint))
                                    .desired_width(120.0),
                            )
                            .accessible_name(name);
                        add |= unsaved::submitted(ui, &field);
                    }
                    add |= ui.button_text(tr!("Add contact")).clicked();
                });
                if add && !self.new_contact.is_empty() {
                    match self.new_contact.record(0, account) {
                        Ok(record) => {
                            self.contact_errors.clear();
                            let command = Command::Change(Box::new(Change::put(record)));
                            send = Some((Sending::NewContact, command));
                        }
                        Err(errors) => self.contact_errors = errors,
                    }
                }
                errors_ui(ui, &self.contact_errors);
                if ids.is_empty() {
                    return;
                }
                ui.add_space(4.0);
                direction::grid_scope(ui, |ui| {
                    egui::Grid::new("account_contacts_grid")
                        .num_columns(6)
                        .striped(true)
                        .spacing([14.0, 4.0])
                        .show(ui, |ui| {
                            let headers = [tr!("Name"), tr!("Role"), tr!("Email"), tr!("Phone")];
                            for header in headers.into_iter().chain([tr!("Notes")]) {
                                ui.text(
                                    RichText::new(header)
                                        .small()
                                        .color(theme::colors(ui).text_muted),
                                );
                            }
                            ui.end_row();
                            for contact in ids.iter().filter_map(|id| ws.contact(*id)) {
                                if let Some(sent) = self.contact_row_ui(ui, contact, guard, actions)
                                {
                                    send = Some(sent);
                                }
                                ui.end_row();
                            }
                        })
                });
            },
        );
        send
    }

    /// One contact's row: its fields with Edit and Delete, or their editors.
    fn contact_row_ui(
        &mut self,
        ui: &mut egui::Ui,
        contact: &Contact,
        guard: &mut Guard,
        actions: &mut Vec<Action>,
    ) -> Option<(Sending, Command)> {
        let mut send = None;
        match &mut self.editing_contact {
            Some(ContactEdit { id, draft, .. }) if *id == contact.id => {
                let mut save = false;
                // Emails and phones may be several, comma-separated: wider.
                for (text, name, width) in [
                    (&mut draft.name, tr!("Contact name"), 110.0),
                    (&mut draft.role, tr!("Contact role"), 110.0),
                    (&mut draft.email, tr!("Contact email"), 220.0),
                    (&mut draft.phone, tr!("Contact phone"), 160.0),
                    (&mut draft.notes, tr!("Contact notes"), 140.0),
                ] {
                    let field = ui
                        .add(TextEdit::singleline(text).desired_width(width))
                        .accessible_name(name);
                    save |= unsaved::submitted(ui, &field);
                }
                let mut cancel = false;
                ui.horizontal(|ui| {
                    save |= ui.small_button_text(tr!("Save contact")).clicked();
                    cancel = ui.small_button_text(tr!("Cancel")).clicked();
                });
                if save {
                    match draft.record(contact.id, contact.account) {
                        Ok(record) => {
                            self.contact_errors.clear();
                            let command = Command::Change(Box::new(Change::put(record)));
                            send = Some((Sending::EditedContact, command));
                        }
                        Err(errors) => self.contact_errors = errors,
                    }
                }
                if cancel {
                    self.editing_contact = None;
                    self.contact_errors.clear();
                }
            }
            _ => {
                ui.text(&contact.name);
                ui.text(RichText::new(&contact.role).color(theme::colors(ui).text_muted));
                ui.text(contact.emails().collect::<Vec<_>>().join(", "));
                ui.text(contact.phones().collect::<Vec<_>>().join(", "));
                let notes = contact.notes.lines().next().unwrap_or_default();
                ui.add(
                    egui::Label::new(
                        ui.rtl(RichText::new(notes).color(theme::colors(ui).text_muted)),
                    )
                    .truncate(),
                );
                ui.horizontal(|ui| {
                    let edit = ui
                        .small_button_text(tr!("Edit"))
                        .accessible_name(tr!("Edit {name}", name = contact.name));
                    if edit.clicked() {
                        self.editing_contact = Some(ContactEdit {
                            id: contact.id,
                            draft: ContactDraft::of(contact),
                            opened: ContactDraft::of(contact),
                        });
                        self.contact_errors.clear();
                    }
                    let delete = ui
                        .small_button_text(tr!("Delete"))
                        .accessible_name(tr!("Delete {name}", name = contact.name));
                    if delete.clicked() && guard.allows(delete.rect) {
                        let change = Change {
                            remove: vec![(EntityKind::Contact, contact.id)],
                            ..Change::default()
                        };
                        actions.push(Action::Apply(Command::Change(Box::new(change))));
                        // The next row moves up under the pointer: its Delete waits for a move.
                        guard.arm(ui);
                    }
                });
            }
        }
        send
    }
}

/// "1 contact", "3 contacts".
pub(super) fn contacts_count(n: usize) -> String {
    trn!(n, "{n} contacts")
}
