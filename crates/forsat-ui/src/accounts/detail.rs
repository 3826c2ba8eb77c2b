//! The selected account's detail: its fields, deals, activities and history, and its deletion.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{Margin, RichText, TextEdit};

use super::contacts::{ContactDraft, ContactEdit, Guard, contacts_count};
use super::{AccountList, Sending, Switch, field_row};
use crate::activity_panel::{ActivityPanel, kind_label, state_color};
use crate::app::Action;
use crate::command::{Change, Command};
use crate::domain::{
    Account, ActivityLink, EntityKind, Field, FieldError, HistoryEntry, Id, LookupKind, Problem,
    Record, StageKind,
};
use crate::i18n::{format_count, format_date, format_money_cents};
use crate::theme;
use crate::unsaved::{self, Draft as _};
use crate::widgets::{history_ui, lookup_combo};
use crate::workspace::{AccountSummary, Workspace};
use crate::{tr, trn};

/// Widest a field of the account's form grows.
const FIELD_MAX_WIDTH: f32 = 460.0;
/// The width of the form's label column.
const LABEL_WIDTH: f32 = 110.0;
/// How many accounts the reassign dropdown lists at once; typing narrows them.
const REASSIGN_CHOICES: usize = 50;

/// The selected account (or a new one) being edited, with its related records.
pub(super) struct Detail {
    /// None while creating an account.
    pub(super) id: Option<Id>,
    draft: Account,
    /// The account as stored when the draft was taken (empty while creating).
    original: Account,
    pub(super) errors: Vec<FieldError>,
    /// Why the last save was refused, when no field is at fault.
    pub(super) refused: Option<String>,
    delete: Option<DeleteAsk>,
    pub(super) new_contact: ContactDraft,
    /// The contact being edited in its row.
    pub(super) editing_contact: Option<ContactEdit>,
    pub(super) contact_errors: Vec<FieldError>,
    activities: ActivityPanel,
    pub(super) related: Option<Related>,
}

/// What the detail shows around the account, read once per data change.
pub(super) struct Related {
    generation: u64,
    summary: AccountSummary,
    /// Every deal of the account, those in the trash included (they block a deletion too).
    deals_total: usize,
    pub(super) contacts: Vec<Id>,
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

impl Detail {
    pub(super) fn of(account: &Account) -> Self {
        Detail {
            id: Some(account.id),
            draft: account.clone(),
            original: account.clone(),
            ..Detail::new_account()
        }
    }

    pub(super) fn new_account() -> Self {
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
    pub(super) fn follow(&mut self, ws: &Workspace) {
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
    pub(super) fn save(&mut self, ws: &Workspace) -> Option<Command> {
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
    pub(super) fn ui(
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
                    .color(theme::colors(ui).text_strong)
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
                .color(theme::colors(ui).text_muted),
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
            ui.text(
                RichText::new(tr!("Not saved:\n{errors}", errors = text))
                    .color(theme::colors(ui).error),
            );
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
                        .color(theme::colors(ui).error),
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
                let account = ActivityLink::Account(id);
                actions.extend(self.activities.ui(ui, ws, account, of_deals.len()));
                if of_deals.is_empty() {
                    return;
                }
                ui.add_space(6.0);
                ui.text(
                    RichText::new(trn!(of_deals.len(), "On its deals ({n})"))
                        .small()
                        .color(theme::colors(ui).text_muted),
                );
                for a in of_deals.iter().filter_map(|id| ws.activity(*id)) {
                    let ActivityLink::Opportunity(deal) = a.link else {
                        continue;
                    };
                    ui.horizontal(|ui| {
                        let summary = RichText::new(&a.summary);
                        let (summary, color) = if a.done {
                            (
                                summary.strikethrough().color(theme::colors(ui).text_muted),
                                theme::colors(ui).text_muted,
                            )
                        } else {
                            (summary, state_color(ui, a.due, ws.today()))
                        };
                        ui.text(
                            RichText::new(kind_label(a.kind)).color(theme::colors(ui).text_muted),
                        );
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
            .fill(theme::colors(ui).ask_fill)
            .stroke(egui::Stroke::new(
                1.0,
                theme::colors(ui).error.gamma_multiply(0.4),
            ))
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
                            .color(theme::colors(ui).text_muted),
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
                    .color(theme::colors(ui).text_muted),
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
                        (tr!("Open"), summary.open, theme::colors(ui).progress),
                        (tr!("Won"), summary.won, theme::colors(ui).won),
                        (tr!("Lost"), summary.lost, theme::colors(ui).lost),
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
                    ui.text(
                        RichText::new(tr!("No deals yet.")).color(theme::colors(ui).text_muted),
                    );
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
                                ui.text(
                                    RichText::new(header)
                                        .small()
                                        .color(theme::colors(ui).text_muted),
                                );
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
                                    Some(StageKind::Won) => theme::colors(ui).won,
                                    Some(StageKind::Lost) => theme::colors(ui).lost,
                                    _ => theme::colors(ui).text_strong,
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
                                    theme::colors(ui).overdue
                                } else {
                                    theme::colors(ui).text_muted
                                }));
                                ui.end_row();
                            }
                        })
                });
            },
        );
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
                ui.text(
                    RichText::new(tr!("No other account matches."))
                        .color(theme::colors(ui).text_muted),
                );
            } else if ids.len() > REASSIGN_CHOICES {
                ui.text(
                    RichText::new(tr!("Type to find more accounts…"))
                        .small()
                        .color(theme::colors(ui).text_muted),
                );
            }
        })
        .response
        .labelled_by(label);
}

/// A section of the detail that folds (deals, contacts, activities); its body reads in the
/// language's direction.
pub(super) fn section(ui: &mut egui::Ui, title: String, id: &str, add: impl FnOnce(&mut egui::Ui)) {
    egui::CollapsingHeader::new(ui.rtl(title))
        .id_salt(id)
        .default_open(true)
        .show(ui, |ui| direction::reading(ui, add));
}

/// Errors of an inline form, one line in red.
pub(super) fn errors_ui(ui: &mut egui::Ui, errors: &[FieldError]) {
    if !errors.is_empty() {
        let text = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ui.text(RichText::new(text).color(theme::colors(ui).error));
    }
}

/// "1 activity", "3 activities".
fn activities_count(n: usize) -> String {
    trn!(n, "{n} activities")
}
