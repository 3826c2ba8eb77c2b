//! The Accounts view: a searchable list of every account beside the selected account's detail:
//! its fields, its deals with their totals, its contacts, its activities and its history.
//!
//! Everything that scans the workspace (the sorted list, the search, an account's deals,
//! contacts, activities and history) is cached and recomputed only when the data
//! ([`Workspace::generation`]), the search text or the selected account changes.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{Color32, FontId, Margin, RichText, Sense, TextEdit, vec2};

use super::activity_panel::{ActivityPanel, kind_label, state_color};
use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved::{self, Choice, Draft as _, Editing, FormKey, Leave};
use super::widgets::{history_ui, lookup_combo, text_line};
use crate::command::{Change, Command};
use crate::domain::{
    Account, ActivityLink, Contact, EntityKind, Field, FieldError, HistoryEntry, Id, LookupKind,
    Problem, Record, StageKind,
};
use crate::i18n::{format_count, format_date, format_money_cents};
use crate::workspace::{AccountSummary, Workspace};
use crate::{tr, trn};

/// The list panel's initial width.
const LIST_WIDTH: f32 = 380.0;
/// Height of a row of the list (name over industry); fixed, so only visible rows are laid out.
const ROW_HEIGHT: f32 = 44.0;
/// Widest a field of the account's form grows.
const FIELD_MAX_WIDTH: f32 = 460.0;
/// The width of the form's label column.
const LABEL_WIDTH: f32 = 110.0;
/// How many accounts the reassign dropdown lists at once; typing narrows them.
const REASSIGN_CHOICES: usize = 50;
/// The background of the selected row.
const SELECTED_FILL: Color32 = Color32::from_rgb(0xE3, 0xEC, 0xFB);
/// An activity due today (amber) and one planned later (green), as on the board's cards.
/// The background of the inline delete question.
const ASK_FILL: Color32 = Color32::from_rgb(0xFD, 0xF3, 0xF2);

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

/// Every account by name, and those the search shows.
#[derive(Default)]
struct AccountList {
    /// The data generation `sorted` was built at; None before the first build.
    generation: Option<u64>,
    /// Every account by name, with its name in lower case for the search.
    sorted: Vec<(Id, String)>,
    /// The search `shown` was filtered with.
    search: String,
    shown: Vec<Id>,
}

impl AccountList {
    fn refresh(&mut self, ws: &Workspace, search: &str) {
        let stale = self.generation != Some(ws.generation());
        if stale {
            self.sorted = ws
                .accounts_by_name()
                .into_iter()
                .map(|a| (a.id, a.name.to_lowercase()))
                .collect();
            self.generation = Some(ws.generation());
        }
        if stale || self.search != search {
            let needle = search.trim().to_lowercase();
            self.shown = self
                .sorted
                .iter()
                .filter(|(_, name)| name.contains(&needle))
                .map(|(id, _)| *id)
                .collect();
            self.search = search.to_owned();
        }
    }

    /// Up to `limit` accounts other than `except` whose name contains `text`, by name.
    fn matching(&self, text: &str, except: Id, limit: usize) -> Vec<Id> {
        let needle = text.trim().to_lowercase();
        self.sorted
            .iter()
            .filter(|(id, name)| *id != except && name.contains(&needle))
            .take(limit)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// What a command sent from the detail was for: done once it is applied.
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
pub(super) fn field_row<R>(
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
            ui.text(RichText::new(error.reason()).color(theme::ERROR));
        }
        inner
    })
}

/// Keeps a destructive button from firing where the pointer already was when a click changed
/// the rows under it (a contact deleted: the next row's Delete slides up under the pointer).
/// Such a button stays inert until the pointer moves.
#[derive(Default)]
struct Guard {
    at: Option<egui::Pos2>,
}

impl Guard {
    /// After a click that moves rows: the pointer's place now is guarded.
    fn arm(&mut self, ui: &egui::Ui) {
        self.at = ui.input(|i| i.pointer.latest_pos());
    }

    /// Forgets the guarded place once the pointer has moved away from it.
    fn follow(&mut self, ui: &egui::Ui) {
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

/// The selected account (or a new one) being edited, with its related records.
struct Detail {
    /// None while creating an account.
    id: Option<Id>,
    draft: Account,
    /// The account as stored when the draft was taken (empty while creating).
    original: Account,
    errors: Vec<FieldError>,
    /// Why the last save was refused, when no field is at fault.
    refused: Option<String>,
    delete: Option<DeleteAsk>,
    new_contact: ContactDraft,
    /// The contact being edited in its row.
    editing_contact: Option<ContactEdit>,
    contact_errors: Vec<FieldError>,
    activities: ActivityPanel,
    related: Option<Related>,
}

/// What the detail shows around the account, read once per data change.
struct Related {
    generation: u64,
    summary: AccountSummary,
    /// Every deal of the account, those in the trash included (they block a deletion too).
    deals_total: usize,
    contacts: Vec<Id>,
    activities: Vec<Id>,
    history: Result<Vec<HistoryEntry>, String>,
}

impl Related {
    /// The account's activities and those of its deals.
    fn activity_count(&self) -> usize {
        self.activities.len() + self.summary.deal_activities.len()
    }

    fn read(ws: &Workspace, id: Id) -> Related {
        Related {
            generation: ws.generation(),
            summary: ws.account_summary(id),
            deals_total: ws.opportunities().filter(|o| o.account == id).count(),
            contacts: ws.contacts_of(id).into_iter().map(|c| c.id).collect(),
            activities: ws
                .activities_of(ActivityLink::Account(id))
                .into_iter()
                .map(|a| a.id)
                .collect(),
            history: ws
                .history(EntityKind::Account, id)
                .map_err(|e| e.to_string()),
        }
    }
}

/// The inline question asked before deleting an account.
#[derive(Default)]
struct DeleteAsk {
    /// The account its deals move to.
    target: Option<Id>,
    /// Text narrowing the reassign dropdown.
    find: String,
    /// The dropdown's choices: (data generation, `find`) they were computed for, and the ids.
    choices: Option<(u64, String, Vec<Id>)>,
}

/// A contact edited in its row: what is typed, and what it held when the editor opened.
struct ContactEdit {
    id: Id,
    draft: ContactDraft,
    opened: ContactDraft,
}

impl ContactEdit {
    fn is_dirty(&self) -> bool {
        self.draft != self.opened
    }
}

#[derive(Clone, Default, PartialEq)]
struct ContactDraft {
    name: String,
    role: String,
    email: String,
    phone: String,
}

impl ContactDraft {
    fn of(contact: &Contact) -> Self {
        ContactDraft {
            name: contact.name.clone(),
            role: contact.role.clone(),
            email: contact.email.clone(),
            phone: contact.phone.clone(),
        }
    }

    fn is_empty(&self) -> bool {
        [&self.name, &self.role, &self.email, &self.phone]
            .iter()
            .all(|t| t.trim().is_empty())
    }

    /// The contact to put, trimmed and checked; or what is wrong with it.
    fn record(&self, id: Id, account: Id) -> Result<Record, Vec<FieldError>> {
        let mut record = Record::Contact(Contact {
            id,
            account,
            name: self.name.clone(),
            role: self.role.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
        });
        record.normalize_and_validate().map(|()| record)
    }
}

impl Detail {
    fn of(account: &Account) -> Self {
        Detail {
            id: Some(account.id),
            draft: account.clone(),
            original: account.clone(),
            ..Detail::new_account()
        }
    }

    fn new_account() -> Self {
        Detail {
            id: None,
            draft: Account::default(),
            original: Account::default(),
            errors: Vec::new(),
            refused: None,
            delete: None,
            new_contact: ContactDraft::default(),
            editing_contact: None,
            contact_errors: Vec::new(),
            activities: ActivityPanel::default(),
            related: None,
        }
    }

    /// Whether the account's own fields have unsaved edits (a new account always has).
    fn account_dirty(&self) -> bool {
        self.draft != self.original
    }

    /// Follows the stored account: a change made elsewhere (an undo, a save) shows at once
    /// unless the user has edits of their own, which are kept.
    fn follow(&mut self, ws: &Workspace) {
        let Some(id) = self.id else {
            return;
        };
        if let Some(stored) = ws.account(id)
            && *stored != self.original
        {
            if self.draft == self.original || self.draft == *stored {
                self.draft = stored.clone();
                self.errors.clear();
            }
            self.original = stored.clone();
        }
        if self.related.as_ref().map(|r| r.generation) != Some(ws.generation()) {
            self.related = Some(Related::read(ws, id));
        }
    }

    /// Checks everything typed (the account, a new contact, a contact being edited); returns
    /// the one command saving it all, or shows what is wrong.
    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        let mut put = Vec::new();
        let mut valid = true;
        if self.account_dirty() {
            match self.account_record(ws) {
                Some(record) => put.push(record),
                None => valid = false,
            }
        }
        if let Some(account) = self.id {
            let edited = self
                .editing_contact
                .as_ref()
                .filter(|edit| edit.is_dirty())
                .map(|edit| edit.draft.record(edit.id, account));
            let added = (!self.new_contact.is_empty()).then(|| self.new_contact.record(0, account));
            self.contact_errors.clear();
            for contact in [added, edited].into_iter().flatten() {
                match contact {
                    Ok(record) => put.push(record),
                    Err(errors) => {
                        self.contact_errors.extend(errors);
                        valid = false;
                    }
                }
            }
        }
        (valid && !put.is_empty()).then(|| {
            Command::Change(Box::new(Change {
                put,
                ..Change::default()
            }))
        })
    }

    /// The account to put, checked; or None with what is wrong shown.
    fn account_record(&mut self, ws: &Workspace) -> Option<Record> {
        let mut record = Record::Account(self.draft.clone());
        let mut errors = record.normalize_and_validate().err().unwrap_or_default();
        if let Record::Account(account) = &record {
            self.draft = account.clone();
            // Deals find their account by name: a second account of the same name would be
            // ambiguous. Checked only when the name changes, so older duplicates stay editable.
            let wanted = account.name.to_lowercase();
            let renamed = self.id.is_none() || self.original.name.to_lowercase() != wanted;
            let taken = renamed
                && !wanted.is_empty()
                && ws
                    .accounts()
                    .any(|a| Some(a.id) != self.id && a.name.to_lowercase() == wanted);
            if taken {
                errors.push(FieldError::new(
                    Field::Name,
                    Problem::Duplicate(account.name.clone()),
                ));
            }
        }
        self.refused = None;
        if !errors.is_empty() {
            self.errors = errors;
            return None;
        }
        self.errors.clear();
        Some(record)
    }

    fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// Draws the detail; returns the command to track (with what it is for) and where the
    /// user asked to go, besides the plain actions.
    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        list: &AccountList,
        guard: &mut Guard,
        actions: &mut Vec<Action>,
    ) -> (Option<(Sending, Command)>, Option<Switch>) {
        let mut send = None;
        let mut switch = None;
        let title = match self.id {
            Some(_) => self.original.name.clone(),
            None => tr!("New account"),
        };
        let dirty = self.is_dirty();
        ui.horizontal(|ui| {
            ui.text(
                RichText::new(title)
                    .strong()
                    .color(theme::TEXT_STRONG)
                    .heading(),
            );
            unsaved::marker(ui, dirty);
        });
        if let Some(related) = &self.related {
            let s = &related.summary;
            ui.text(
                RichText::new(tr!(
                    "{deals} · {contacts} · {activities}",
                    deals = crate::i18n::deals(s.deals.len() as u64),
                    contacts = contacts_count(related.contacts.len()),
                    activities = activities_count(related.activity_count())
                ))
                .color(theme::TEXT_MUTED),
            );
        }
        ui.add_space(6.0);
        if !self.errors.is_empty() || self.refused.is_some() {
            let text = self
                .errors
                .iter()
                .map(ToString::to_string)
                .chain(self.refused.clone())
                .collect::<Vec<_>>()
                .join("\n");
            ui.text(RichText::new(tr!("Not saved:\n{errors}", errors = text)).color(theme::ERROR));
        }
        let entered = self.fields_ui(ui, ws);
        ui.add_space(6.0);
        let mut save = entered && dirty;
        ui.horizontal(|ui| {
            let label = if self.id.is_some() {
                tr!("Save account")
            } else {
                tr!("Create account")
            };
            let button = egui::Button::new(ui.rtl(RichText::new(label).strong()));
            save |= ui.add_enabled(dirty, button).clicked();
            match self.id {
                None => {
                    if ui.button_text(tr!("Cancel")).clicked() {
                        switch = Some(Switch::Close);
                    }
                }
                Some(_) => {
                    let revert = egui::Button::new(ui.rtl(tr!("Revert")));
                    if ui
                        .add_enabled(dirty, revert)
                        .on_hover_text(ui.rtl(tr!("Forget the changes not saved")))
                        .clicked()
                    {
                        self.revert();
                    }
                    if self.delete.is_none() && ui.button_text(tr!("Delete account…")).clicked() {
                        self.delete = Some(DeleteAsk::default());
                    }
                }
            }
        });
        if save && let Some(command) = self.save(ws) {
            send = Some((Sending::Form(None), command));
        }
        let Some(id) = self.id else {
            return (send, switch);
        };
        if self.delete.is_some() {
            ui.add_space(6.0);
            send = send.or(self.delete_ui(ui, ws, list, id, actions));
        }
        ui.add_space(10.0);
        self.deals_ui(ui, ws, actions);
        send = send.or(self.contacts_ui(ui, ws, id, guard, actions));
        self.activities_ui(ui, ws, id, actions);
        match self.related.as_ref().map(|r| &r.history) {
            Some(Ok(history)) => history_ui(ui, history),
            Some(Err(e)) => {
                ui.text(
                    RichText::new(tr!("The history cannot be read: {error}", error = e))
                        .color(theme::ERROR),
                );
            }
            None => {}
        }
        (send, switch)
    }

    /// Forgets every edit: the account's fields and the contact lines.
    fn revert(&mut self) {
        self.draft = self.original.clone();
        self.errors.clear();
        self.refused = None;
        self.new_contact = ContactDraft::default();
        self.editing_contact = None;
        self.contact_errors.clear();
    }

    /// The account's own activities (with the line planning one), then those of its deals,
    /// which open their deal.
    fn activities_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        id: Id,
        actions: &mut Vec<Action>,
    ) {
        let Some(related) = &self.related else {
            return;
        };
        let count = related.activity_count();
        let of_deals = related.summary.deal_activities.clone();
        section(
            ui,
            trn!(count, "Activities ({n})"),
            "account_activities",
            |ui| {
                actions.extend(self.activities.ui(ui, ws, ActivityLink::Account(id)));
                if of_deals.is_empty() {
                    return;
                }
                ui.add_space(6.0);
                ui.text(
                    RichText::new(trn!(of_deals.len(), "On its deals ({n})"))
                        .small()
                        .color(theme::TEXT_MUTED),
                );
                for a in of_deals.iter().filter_map(|id| ws.activity(*id)) {
                    let ActivityLink::Opportunity(deal) = a.link else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        let summary = RichText::new(&a.summary);
                        let (summary, color) = if a.done {
                            (
                                summary.strikethrough().color(theme::TEXT_MUTED),
                                theme::TEXT_MUTED,
                            )
                        } else {
                            (summary, state_color(a.due, ws.today()))
                        };
                        ui.text(RichText::new(kind_label(a.kind)).color(theme::TEXT_MUTED));
                        ui.text(summary);
                        ui.text(RichText::new(format_date(a.due)).color(color));
                        if let Some(opp) = ws.opportunity(deal)
                            && ui
                                .link_text(&opp.name)
                                .on_hover_text(ui.rtl(tr!("Open the deal")))
                                .clicked()
                        {
                            actions.push(Action::Open(deal));
                        }
                    });
                }
            },
        );
    }

    /// One label–field row of the form, in reading order; the field's error, if any, shows
    /// under its widget.
    fn row<R>(
        &self,
        ui: &mut egui::Ui,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id, f32) -> R,
    ) -> R {
        field_row(ui, LABEL_WIDTH, field, self.error(field), |ui, label| {
            let width = ui.available_width().clamp(160.0, FIELD_MAX_WIDTH);
            add(ui, label, width)
        })
    }

    /// The account's fields; true when Enter was pressed in a one-line one.
    fn fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> bool {
        let mut draft = std::mem::take(&mut self.draft);
        let mut entered = false;
        let line = |ui: &mut egui::Ui, text: &mut String, label: egui::Id, width: f32| {
            let response = ui
                .add(TextEdit::singleline(text).desired_width(width))
                .labelled_by(label);
            unsaved::submitted(ui, &response)
        };
        entered |= self.row(ui, Field::Name, |ui, l, w| line(ui, &mut draft.name, l, w));
        self.row(ui, Field::Source, |ui, l, _| {
            lookup_combo(
                ui,
                l,
                ws,
                LookupKind::Source,
                &mut draft.source,
                &tr!("None"),
            );
        });
        for (field, text) in [
            (Field::Industry, &mut draft.industry),
            (Field::Phone, &mut draft.phone),
            (Field::Email, &mut draft.email),
            (Field::Website, &mut draft.website),
        ] {
            entered |= self.row(ui, field, |ui, l, w| line(ui, text, l, w));
        }
        for (field, text, rows) in [
            (Field::Address, &mut draft.address, 2),
            (Field::Notes, &mut draft.notes, 3),
        ] {
            self.row(ui, field, |ui, l, w| {
                ui.add(
                    TextEdit::multiline(text)
                        .desired_rows(rows)
                        .desired_width(w),
                )
                .labelled_by(l);
            });
        }
        self.draft = draft;
        entered
    }

    /// The inline question before a deletion: where the deals go, or a plain confirmation.
    fn delete_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        list: &AccountList,
        id: Id,
        actions: &mut Vec<Action>,
    ) -> Option<(Sending, Command)> {
        let name = self.original.name.clone();
        let (deals, shown) = self
            .related
            .as_ref()
            .map_or((0, 0), |r| (r.deals_total, r.summary.deals.len()));
        let ask = self.delete.as_mut()?;
        let mut send = None;
        let mut close = false;
        egui::Frame::new()
            .fill(ASK_FILL)
            .stroke(egui::Stroke::new(1.0, theme::ERROR.gamma_multiply(0.4)))
            .corner_radius(6)
            .inner_margin(Margin::same(10))
            .show(ui, |ui| {
                if deals == 0 {
                    ui.text(
                        RichText::new(tr!(
                            "Delete {account} with its contacts and activities?",
                            account = name
                        ))
                        .strong(),
                    );
                    ui.horizontal(|ui| {
                        if ui.button_text(tr!("Yes, delete")).clicked() {
                            let change = ws.delete_account_change(id, None);
                            actions.push(Action::Apply(Command::Change(Box::new(change))));
                            close = true;
                        }
                        if ui.button_text(tr!("Cancel")).clicked() {
                            close = true;
                        }
                    });
                    return;
                }
                let text = trn!(
                    deals,
                    "{account} has {n} deals. Reassign them to:",
                    account = name
                );
                let label = ui.text(RichText::new(text).strong());
                if deals > shown {
                    ui.text(
                        RichText::new(trn!(deals - shown, "({n} of them in the trash)"))
                            .small()
                            .color(theme::TEXT_MUTED),
                    );
                }
                ui.horizontal_wrapped(|ui| {
                    reassign_combo(ui, label.id, ws, list, id, ask);
                    let go = egui::Button::new(ui.rtl(tr!("Reassign and delete")));
                    if ui.add_enabled(ask.target.is_some(), go).clicked()
                        && let Some(target) = ask.target
                    {
                        let change = ws.delete_account_change(id, Some(target));
                        let command = Command::Change(Box::new(change));
                        send = Some((Sending::Reassigned(target), command));
                        close = true;
                    }
                    if ui.button_text(tr!("Cancel")).clicked() {
                        close = true;
                    }
                });
                ui.text(
                    RichText::new(tr!(
                        "Its contacts and activities move there too; then it is deleted."
                    ))
                    .small()
                    .color(theme::TEXT_MUTED),
                );
            });
        if close {
            self.delete = None;
        }
        send
    }

    /// The account's deals: totals by outcome, then one row per deal.
    fn deals_ui(&self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let Some(related) = &self.related else {
            return;
        };
        let summary = &related.summary;
        let base = &ws.settings().base_currency;
        section(
            ui,
            trn!(summary.deals.len(), "Opportunities ({n})"),
            "account_deals",
            |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (name, (count, amount), color) in [
                        (tr!("Open"), summary.open, theme::PROGRESS),
                        (tr!("Won"), summary.won, theme::WON),
                        (tr!("Lost"), summary.lost, theme::LOST),
                    ] {
                        let text = tr!(
                            "{outcome}: {count} · {amount}",
                            outcome = name,
                            count = format_count(count),
                            amount = format_money_cents(amount, base)
                        );
                        ui.text(RichText::new(text).strong().color(color));
                        ui.add_space(12.0);
                    }
                });
                if summary.deals.is_empty() {
                    ui.text(RichText::new(tr!("No deals yet.")).color(theme::TEXT_MUTED));
                    return;
                }
                direction::grid_scope(ui, |ui| {
                    egui::Grid::new("account_deals_grid")
                        .num_columns(4)
                        .striped(true)
                        .spacing([14.0, 4.0])
                        .show(ui, |ui| {
                            for header in [
                                tr!("Deal"),
                                tr!("Stage"),
                                tr!("Amount"),
                                tr!("Expected close"),
                            ] {
                                ui.text(RichText::new(header).small().color(theme::TEXT_MUTED));
                            }
                            ui.end_row();
                            for opp in summary.deals.iter().filter_map(|id| ws.opportunity(*id)) {
                                if ui
                                    .link(&opp.name)
                                    .on_hover_text(ui.rtl(tr!("Open the deal")))
                                    .clicked()
                                {
                                    actions.push(Action::Open(opp.id));
                                }
                                let stage = ws.stage(opp.stage);
                                let color = match stage.map(|s| s.kind) {
                                    Some(StageKind::Won) => theme::WON,
                                    Some(StageKind::Lost) => theme::LOST,
                                    _ => theme::TEXT_STRONG,
                                };
                                ui.text(
                                    RichText::new(stage.map_or("", |s| s.name.as_str()))
                                        .color(color),
                                );
                                ui.with_layout(
                                    direction::end_to_start(egui::Align::Center),
                                    |ui| {
                                        // Exact, as a detail page shows money.
                                        let amount = format_money_cents(opp.amount, &opp.currency);
                                        ui.text(amount);
                                    },
                                );
                                let close = opp.expected_close.map_or("—".to_owned(), format_date);
                                let overdue = opp.is_overdue(ws.today());
                                ui.text(RichText::new(close).color(if overdue {
                                    theme::OVERDUE
                                } else {
                                    theme::TEXT_MUTED
                                }));
                                ui.end_row();
                            }
                        })
                });
            },
        );
    }

    /// The account's contacts: the line adding one first (it stays under the pointer as rows
    /// are added below it), then one row each (or an editor).
    fn contacts_ui(
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
                        .num_columns(5)
                        .striped(true)
                        .spacing([14.0, 4.0])
                        .show(ui, |ui| {
                            for header in [tr!("Name"), tr!("Role"), tr!("Email"), tr!("Phone")] {
                                ui.text(RichText::new(header).small().color(theme::TEXT_MUTED));
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
                for (text, name) in [
                    (&mut draft.name, tr!("Contact name")),
                    (&mut draft.role, tr!("Contact role")),
                    (&mut draft.email, tr!("Contact email")),
                    (&mut draft.phone, tr!("Contact phone")),
                ] {
                    let field = ui
                        .add(TextEdit::singleline(text).desired_width(110.0))
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
                ui.text(RichText::new(&contact.role).color(theme::TEXT_MUTED));
                ui.text(&contact.email);
                ui.text(&contact.phone);
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

impl unsaved::Draft for Detail {
    /// Whether anything typed is unsaved: the account's fields or a contact line.
    fn is_dirty(&self) -> bool {
        self.account_dirty()
            || !self.new_contact.is_empty()
            || self
                .editing_contact
                .as_ref()
                .is_some_and(ContactEdit::is_dirty)
    }

    /// The form's name in the unsaved-edits question.
    fn record_name(&self) -> String {
        match self.id {
            Some(_) => self.original.name.clone(),
            None => tr!("The new account"),
        }
    }
}

/// The dropdown of the accounts an account's deals can move to, narrowed by typing.
fn reassign_combo(
    ui: &mut egui::Ui,
    label: egui::Id,
    ws: &Workspace,
    list: &AccountList,
    except: Id,
    ask: &mut DeleteAsk,
) {
    let selected = ask
        .target
        .and_then(|id| ws.account(id))
        .map_or(tr!("Choose an account"), |a| a.name.clone());
    egui::ComboBox::from_id_salt("reassign_to")
        .selected_text(ui.rtl(selected))
        .width(220.0)
        .height(320.0)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            ui.add(
                TextEdit::singleline(&mut ask.find)
                    .hint_text(ui.rtl(tr!("Find an account")))
                    .desired_width(200.0),
            )
            .accessible_name(tr!("Find an account"));
            let fresh = ask
                .choices
                .as_ref()
                .is_some_and(|(g, find, _)| *g == ws.generation() && *find == ask.find);
            if !fresh {
                let ids = list.matching(&ask.find, except, REASSIGN_CHOICES + 1);
                ask.choices = Some((ws.generation(), ask.find.clone(), ids));
            }
            let Some((_, _, ids)) = &ask.choices else {
                return;
            };
            for account in ids
                .iter()
                .take(REASSIGN_CHOICES)
                .filter_map(|id| ws.account(*id))
            {
                let response =
                    ui.selectable_value_text(&mut ask.target, Some(account.id), &account.name);
                if response.clicked() {
                    ui.close();
                }
            }
            if ids.is_empty() {
                ui.text(RichText::new(tr!("No other account matches.")).color(theme::TEXT_MUTED));
            } else if ids.len() > REASSIGN_CHOICES {
                ui.text(
                    RichText::new(tr!("Type to find more accounts…"))
                        .small()
                        .color(theme::TEXT_MUTED),
                );
            }
        })
        .response
        .labelled_by(label);
}

/// A section of the detail that folds (deals, contacts, activities); its body reads in the
/// language's direction.
fn section(ui: &mut egui::Ui, title: String, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::CollapsingHeader::new(ui.rtl(title))
        .id_salt(id)
        .default_open(true)
        .show(ui, |ui| direction::reading(ui, add));
}

/// Errors of an inline form, one line in red.
fn errors_ui(ui: &mut egui::Ui, errors: &[FieldError]) {
    if !errors.is_empty() {
        let text = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ui.text(RichText::new(text).color(theme::ERROR));
    }
}

/// "1 contact", "3 contacts".
fn contacts_count(n: usize) -> String {
    trn!(n, "{n} contacts")
}

/// "1 activity", "3 activities".
fn activities_count(n: usize) -> String {
    trn!(n, "{n} activities")
}

/// One account of the list: its name over its industry; selected, it is highlighted.
fn account_row_ui(ui: &mut egui::Ui, account: &Account, selected: bool) -> egui::Response {
    let size = vec2(ui.available_width(), ROW_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &account.name)
    });
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        let fill = if selected {
            SELECTED_FILL
        } else if response.hovered() {
            theme::COLUMN_FILL
        } else {
            Color32::TRANSPARENT
        };
        painter.rect_filled(rect, 0, fill);
        // The row reads from where reading starts: from the right in Persian.
        let rtl = crate::i18n::right_to_left();
        if selected {
            let x = if rtl { rect.right() - 3.0 } else { rect.left() };
            let bar =
                egui::Rect::from_min_size(egui::pos2(x, rect.top()), vec2(3.0, rect.height()));
            painter.rect_filled(bar, 0, theme::CARD_SELECTED);
        }
        let width = rect.width() - 24.0;
        let left = if rtl {
            rect.right_top() + vec2(-12.0, 6.0)
        } else {
            rect.left_top() + vec2(12.0, 6.0)
        };
        text_line(
            painter,
            left,
            rtl,
            &account.name,
            FontId::proportional(14.0),
            theme::TEXT_STRONG,
            width,
        );
        let industry = if account.industry.is_empty() {
            "—"
        } else {
            account.industry.as_str()
        };
        text_line(
            painter,
            left + vec2(0.0, 19.0),
            rtl,
            industry,
            FontId::proportional(12.0),
            theme::TEXT_MUTED,
            width,
        );
        painter.hline(
            rect.x_range(),
            rect.bottom() - 0.5,
            egui::Stroke::new(1.0, theme::CARD_STROKE),
        );
    }
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
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
                                .color(theme::TEXT_MUTED),
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

    /// The search, the New button and the virtualised list; where the user asked to go.
    fn list_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Switch> {
        let mut switch = None;
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let total = self.list.sorted.len() as u64;
            let shown = self.list.shown.len() as u64;
            let count = if shown == total {
                trn!(total, "{n} accounts")
            } else {
                trn!(
                    total,
                    "{shown} of {n} accounts",
                    shown = format_count(shown)
                )
            };
            ui.text(RichText::new(count).strong().color(theme::TEXT_STRONG));
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                if ui.button_text(tr!("New account")).clicked() {
                    switch = Some(Switch::New);
                }
            });
        });
        ui.add(
            TextEdit::singleline(&mut self.search)
                .hint_text(ui.rtl(tr!("Search accounts by name")))
                .desired_width(f32::INFINITY),
        )
        .accessible_name(tr!("Search accounts"));
        // A search typed this frame filters at once.
        self.list.refresh(ws, &self.search);
        ui.add_space(4.0);
        let ids = &self.list.shown;
        if ids.is_empty() {
            let text = if self.list.sorted.is_empty() {
                tr!("No accounts yet.")
            } else {
                tr!("No account matches “{text}”.", text = self.search.trim())
            };
            ui.text(RichText::new(text).color(theme::TEXT_MUTED));
            return switch;
        }
        let selected = self.detail.as_ref().and_then(|d| d.id);
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("accounts_rows")
            .auto_shrink(false);
        if std::mem::take(&mut self.reveal)
            && let Some(index) = selected.and_then(|id| ids.iter().position(|x| *x == id))
        {
            // Rows are packed without spacing (below): row i starts at i × ROW_HEIGHT.
            let visible = ui.available_height();
            let offset = (index as f32 * ROW_HEIGHT - visible / 2.0).max(0.0);
            scroll = scroll.vertical_scroll_offset(offset);
        }
        let mut clicked = None;
        ui.scope(|ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            scroll.show_rows(ui, ROW_HEIGHT, ids.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for id in &ids[range] {
                    if let Some(account) = ws.account(*id)
                        && account_row_ui(ui, account, selected == Some(*id)).clicked()
                    {
                        clicked = Some(*id);
                    }
                }
            });
        });
        switch.or(clicked.map(Switch::Pick))
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
