//! The opportunity form: every field of a deal, validated inline, saved as one command.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{RichText, TextEdit};

use super::activity_panel::ActivityPanel;
use super::app::{Action, Ctx};
use super::lines::LinesEditor;
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved::{self, Editing, FormKey};
use super::widgets::{deal_forecast_combo, digits_field, history_ui, lookup_combo, star_button};
use crate::analytics::predict::Predictions;
use crate::command::{Change, Command};
use crate::domain::{
    Account, ActivityLink, AmountMode, BusinessType, Contact, EntityKind, Field, FieldError,
    HistoryEntry, Id, LookupKind, Opportunity, Problem, Record, StageKind, lines_amount,
    parse_amount, parse_date, parse_probability,
};
use crate::i18n::{
    editable, format_date, format_money_cents, format_number, localize_digits, localize_number,
};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The width of the labels' column.
const LABEL_WIDTH: f32 = 120.0;

/// The form's state: a draft of the deal plus the raw text of fields that must parse.
pub struct OpportunityForm {
    draft: Opportunity,
    /// The deal as stored; None while creating.
    original: Option<Opportunity>,
    account_text: String,
    /// The typed account name the user confirmed is a new account (none of the stored ones).
    new_account: Option<String>,
    amount_text: String,
    probability_text: String,
    close_text: String,
    errors: Vec<FieldError>,
    /// Why the account field does not name an account yet.
    account_error: Option<String>,
    history: Vec<HistoryEntry>,
    dirty: bool,
    account_match: AccountMatch,
    /// A contact being added to the deal's account, before it is stored.
    new_contact: Option<NewContact>,
    /// The new contact sent to be stored, with the id assigned to it in advance.
    contact_sent: Option<Sent<Id>>,
    lines: LinesEditor,
    /// Problems of the lines, each naming its line.
    line_errors: Vec<String>,
    activities: ActivityPanel,
    /// True until the form is first drawn: it then opens at its top, Name focused for a new
    /// deal, whatever the previous deal's form was scrolled to.
    fresh: bool,
    /// Enter was pressed in a one-line field: the form saves at the end of the frame.
    submit: bool,
    /// Name takes the keyboard when next drawn (the deal was opened by keys).
    focus_name: bool,
}

/// A contact typed in the form ("New contact…"), added to the account with its own button.
#[derive(Clone, Debug, Default, PartialEq)]
struct NewContact {
    name: String,
    email: String,
    phone: String,
    error: Option<String>,
}

impl OpportunityForm {
    /// Edits a stored deal.
    pub fn edit(ws: &Workspace, opp: Opportunity) -> Self {
        let history = ws
            .history(EntityKind::Opportunity, opp.id)
            .unwrap_or_default();
        let account = ws
            .account(opp.account)
            .map(|a| a.name.clone())
            .unwrap_or_default();
        Self::with(opp.clone(), Some(opp), account, history)
    }

    /// A new deal in `stage`, with the defaults of [`Opportunity::draft`].
    pub fn new_in(ws: &Workspace, stage: Id) -> Option<Self> {
        let stage = ws.stage(stage)?;
        let draft = Opportunity::draft(&Account::default(), stage, ws.settings(), ws.now());
        Some(Self::with(draft, None, String::new(), Vec::new()))
    }

    fn with(
        draft: Opportunity,
        original: Option<Opportunity>,
        account_text: String,
        history: Vec<HistoryEntry>,
    ) -> Self {
        OpportunityForm {
            // Exact, as it would be typed: a field never rounds what it saves back.
            amount_text: editable(format_number(
                draft.amount,
                draft.amount.normalize().scale(),
            )),
            probability_text: draft.probability.normalize().to_string(),
            close_text: draft
                .expected_close
                .map(|d| editable(format_date(d)))
                .unwrap_or_default(),
            account_text,
            new_account: None,
            errors: Vec::new(),
            account_error: None,
            history,
            dirty: false,
            account_match: AccountMatch::default(),
            new_contact: None,
            contact_sent: None,
            lines: LinesEditor::new(&draft.lines),
            line_errors: Vec::new(),
            activities: ActivityPanel::default(),
            fresh: true,
            focus_name: false,
            submit: false,
            original,
            draft,
        }
    }

    /// The stored deal being edited, if any.
    pub fn opportunity_id(&self) -> Option<Id> {
        self.original.as_ref().map(|o| o.id)
    }

    /// Whether the user changed anything since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Takes the stage (and what the stage decides) from the stored deal, so saving the form
    /// after a move on the board does not move the deal back.
    pub fn follow_stage(&mut self, stored: &Opportunity) {
        let d = &mut self.draft;
        d.pipeline = stored.pipeline;
        d.stage = stored.stage;
        d.stage_entered = stored.stage_entered;
        d.probability = stored.probability;
        d.probability_overridden = stored.probability_overridden;
        d.loss_reason = stored.loss_reason;
        d.closed = stored.closed;
        self.probability_text = stored.probability.normalize().to_string();
        if let Some(original) = &mut self.original {
            *original = stored.clone();
        }
    }

    /// Shows errors the workspace found when saving.
    pub fn show_errors(&mut self, errors: Vec<FieldError>) {
        self.errors = errors;
    }

    /// The same deal as stored now (its history and activities included), where the form was
    /// scrolled to and with the next activity as typed: the form shows the change just made
    /// (an activity added, a move on the board) without jumping to its top.
    pub fn reload(&mut self, ws: &Workspace, stored: Opportunity) {
        let activities = std::mem::take(&mut self.activities);
        *self = OpportunityForm::edit(ws, stored);
        self.activities = activities;
        self.fresh = false;
    }

    /// Puts the keyboard in the deal's name when the form is next drawn.
    pub fn take_keyboard(&mut self) {
        self.focus_name = true;
    }

    /// Puts the keyboard in the line that plans the deal's next activity.
    pub fn plan_activity(&mut self) {
        self.activities.take_keyboard();
    }

    /// Draws the form; returns Save (as a command) or Close.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        self.contact_reply(cx);
        // While the account's suggestions are open, Escape closes them, not the form.
        if !self.account_match.open {
            match unsaved::form_key(ui) {
                Some(FormKey::Save) => actions.extend(self.save(ws).map(Action::Apply)),
                Some(FormKey::Close) => actions.push(Action::CloseForm),
                None => {}
            }
        }
        self.header_ui(ui, ws, &mut actions);
        self.errors_ui(ui);
        egui::Panel::bottom("form_buttons")
            .show_separator_line(true)
            .show(ui, |ui| {
                direction::reading(ui, |ui| self.buttons_ui(ui, ws, &mut actions));
            });
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("deal_form")
            .auto_shrink(false);
        if self.fresh {
            scroll = scroll.vertical_scroll_offset(0.0);
        }
        scroll.show(ui, |ui| self.body_ui(ui, ws, cx.predictions, &mut actions));
        self.fresh = false;
        if std::mem::take(&mut self.submit)
            && let Some(command) = self.save(ws)
        {
            actions.push(Action::Apply(command));
        }
        actions
    }

    /// The title (the deal's name, with the unsaved marker), Close and "Open account".
    fn header_ui(&self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let title = if self.original.is_some() {
                self.draft.name.clone()
            } else {
                tr!("New deal")
            };
            ui.text(RichText::new(title).heading());
            unsaved::marker(ui, self.dirty);
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                if ui
                    .button_text(tr!("Close"))
                    .on_hover_text(ui.rtl(tr!("Close the form")))
                    .clicked()
                {
                    actions.push(Action::CloseForm);
                }
                if self.original.is_some()
                    && ws.account(self.draft.account).is_some()
                    && ui
                        .button_text(tr!("Open account"))
                        .on_hover_text(
                            ui.rtl(tr!("The account's details, contacts and other deals")),
                        )
                        .clicked()
                {
                    actions.push(Action::OpenAccount(self.draft.account));
                }
            });
        });
    }

    /// Why the last save was refused, field by field.
    fn errors_ui(&self, ui: &mut egui::Ui) {
        if !self.errors.is_empty() || !self.line_errors.is_empty() || self.account_error.is_some() {
            let text = self
                .errors
                .iter()
                .map(ToString::to_string)
                .chain(self.account_error.iter().cloned())
                .chain(self.line_errors.iter().cloned())
                .collect::<Vec<_>>()
                .join("\n");
            ui.text(
                RichText::new(tr!("Not saved:\n{errors}", errors = text))
                    .color(theme::colors(ui).error),
            );
        }
    }

    /// Save, Cancel and "Move to trash", under the form.
    fn buttons_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            if ui
                .button_text(RichText::new(tr!("Save")).strong())
                .clicked()
                && let Some(command) = self.save(ws)
            {
                actions.push(Action::Apply(command));
            }
            if ui.button_text(tr!("Cancel")).clicked() {
                actions.push(Action::CloseForm);
            }
            if let Some(id) = self.opportunity_id() {
                ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                    if ui.button_text(tr!("Move to trash")).clicked() {
                        actions.push(Action::Apply(Command::Trash { ids: vec![id] }));
                        actions.push(Action::CloseForm);
                    }
                });
            }
        });
    }

    /// The fields, the lines, the activities and the history; the form is dirty once any
    /// field changed.
    fn body_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        predictions: Option<&Predictions>,
        actions: &mut Vec<Action>,
    ) {
        ui.spacing_mut().item_spacing.y = 6.0;
        let before = (
            self.draft.clone(),
            self.account_text.clone(),
            self.amount_text.clone(),
            self.probability_text.clone(),
            self.close_text.clone(),
            self.lines.clone(),
            self.new_contact.clone(),
        );
        self.fields_ui(ui, ws, actions);
        // The lines sit right under the amount they make up.
        if self.draft.amount_mode == AmountMode::FromLines {
            egui::CollapsingHeader::new(ui.rtl(Field::Lines.label()))
                .default_open(true)
                .show(ui, |ui| self.lines.ui(ui, ws, &self.draft.currency));
        }
        self.more_fields_ui(ui, ws, predictions);
        let after = (
            &self.draft,
            &self.account_text,
            &self.amount_text,
            &self.probability_text,
            &self.close_text,
            &self.lines,
            &self.new_contact,
        );
        let before = (
            &before.0, &before.1, &before.2, &before.3, &before.4, &before.5, &before.6,
        );
        if before != after {
            self.dirty = true;
        }
        if let Some(id) = self.opportunity_id() {
            ui.add_space(10.0);
            egui::CollapsingHeader::new(ui.rtl(tr!("Activities")))
                .default_open(true)
                .show(ui, |ui| {
                    actions.extend(self.activities.ui(ui, ws, ActivityLink::Opportunity(id), 0));
                });
        }
        ui.add_space(10.0);
        self.history_ui(ui);
    }

    /// A row with no label of its own: a note under the field above.
    fn note_row(ui: &mut egui::Ui, text: RichText) {
        let text = ui.rtl(text);
        direction::field_row(ui, LABEL_WIDTH, "", |ui, _| ui.label(text));
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let mut name = std::mem::take(&mut self.draft.name);
        let fresh_new =
            (self.fresh && self.original.is_none()) | std::mem::take(&mut self.focus_name);
        let response = row(ui, &self.errors, Field::Name, |ui, l| {
            let response = ui
                .add(TextEdit::singleline(&mut name).desired_width(f32::INFINITY))
                .labelled_by(l);
            if fresh_new {
                response.request_focus();
            }
            response
        });
        self.submit |= unsaved::submitted(ui, &response);
        self.draft.name = name;

        self.account_row(ui, ws);
        self.contact_row(ui, ws, actions);
        self.stage_rows(ui, ws);
        self.amount_rows(ui, ws);
    }

    /// The fields under the lines.
    fn more_fields_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        predictions: Option<&Predictions>,
    ) {
        self.probability_row(ui, ws);
        self.prediction_row(ui, ws, predictions);
        self.close_row(ui, ws);
        self.details_rows(ui, ws);
        if let Some(original) = &self.original {
            stamps_ui(ui, original);
        }
    }

    /// The probability, with "Reset to stage default" once it was typed over ("Follow the
    /// prediction" when the settings make deals without a probability of their own follow it:
    /// back to the stage's default, the prediction then follows as soon as it is learnt).
    fn probability_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let errors = &self.errors;
        let overridden = self.draft.probability_overridden;
        let reset_label = if ws.settings().predicted_probability {
            tr!("Follow the prediction")
        } else {
            tr!("Reset to stage default")
        };
        let (reset, submitted) = row(ui, errors, Field::Probability, |ui, l| {
            ui.horizontal(|ui| {
                let id = ui.make_persistent_id("probability");
                let field =
                    digits_field(ui, id, &mut self.probability_text, localize_number, |e| {
                        e.desired_width(60.0)
                    })
                    .labelled_by(l);
                ui.text("%");
                let reset = overridden && ui.small_button_text(reset_label).clicked();
                (reset, unsaved::submitted(ui, &field))
            })
            .inner
        });
        self.submit |= submitted;
        if reset && let Some(stage) = ws.stage(self.draft.stage) {
            self.draft.reset_probability(stage);
            self.probability_text = self.draft.probability.normalize().to_string();
        }
    }

    /// The deal's predicted probability beside the user's, with what moved it and a button
    /// taking it; or why there is none yet. The user's probability stays the deal's.
    fn prediction_row(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        predictions: Option<&Predictions>,
    ) {
        let Some(predictions) = predictions else {
            return;
        };
        let explained = self.opportunity_id().and_then(|id| predictions.explain(id));
        let Some(explanation) = explained else {
            if let Some(why) = crate::prediction::missing(predictions)
                && self.draft.closed.is_none()
            {
                ui.add(
                    egui::Label::new(
                        ui.rtl(egui::RichText::new(why).color(theme::colors(ui).text_muted)),
                    )
                    .wrap(),
                );
            }
            return;
        };
        ui.horizontal_wrapped(|ui| {
            ui.text(crate::prediction::predicted(explanation.probability));
            if ws.settings().predicted_probability {
                // Following it is the settings' doing, undone by a probability of one's own.
                if !self.draft.probability_overridden {
                    ui.text(
                        egui::RichText::new(tr!("(followed, as the General settings ask)"))
                            .color(theme::colors(ui).text_muted),
                    );
                }
                return;
            }
            let whole = (explanation.probability * 100.0).round();
            let taken = self.probability_text.trim() == format!("{whole}");
            if !taken && ui.small_button_text(tr!("Use predicted")).clicked() {
                self.probability_text = format!("{whole}");
            }
        });
        egui::CollapsingHeader::new(ui.rtl(tr!("Why this prediction")))
            .id_salt("why_predicted")
            .show(ui, |ui| {
                crate::prediction::explanation_ui(ui, ws, &explanation);
            });
    }

    /// The expected close date, typed or picked.
    fn close_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        // How often the date was pushed later (undone pushes not counted): a slipping deal.
        let pushed = crate::domain::pushes(ws.close_dates(self.draft.id)).len();
        let errors = &self.errors;
        let close = &mut self.close_text;
        self.submit |= row(ui, errors, Field::ExpectedClose, |ui, l| {
            ui.horizontal(|ui| {
                let id = ui.make_persistent_id("expected_close");
                let hint = ui.rtl(crate::i18n::date_hint());
                let field = digits_field(ui, id, close, localize_digits, |e| {
                    e.hint_text(hint).desired_width(120.0)
                })
                .labelled_by(l);
                let name = Field::ExpectedClose.label();
                super::date_picker::picker_button(ui, close, ws.today(), &name);
                if pushed > 0 {
                    let text = trn!(pushed as u64, "pushed later {n} times");
                    ui.text(RichText::new(text).color(theme::colors(ui).stale));
                }
                unsaved::submitted(ui, &field)
            })
            .inner
        });
    }

    /// The lookups, the next step, the kind of business, the priority, the tags, the forecast
    /// and archive boxes, and the long texts.
    fn details_rows(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let errors = &self.errors;
        let d = &mut self.draft;
        let none = tr!("None");
        for (field, kind) in [
            (Field::Salesperson, LookupKind::Salesperson),
            (Field::Source, LookupKind::Source),
            (Field::Campaign, LookupKind::Campaign),
            (Field::Competitor, LookupKind::Competitor),
        ] {
            let value = match field {
                Field::Salesperson => &mut d.salesperson,
                Field::Source => &mut d.source,
                Field::Campaign => &mut d.campaign,
                _ => &mut d.competitor,
            };
            row(ui, errors, field, |ui, l| {
                lookup_combo(ui, l, ws, kind, value, &none)
            });
        }
        self.submit |= row(ui, errors, Field::NextStep, |ui, l| {
            text_field(ui, l, &mut d.next_step)
        });

        row(ui, errors, Field::BusinessType, |ui, l| {
            egui::ComboBox::from_id_salt("business_type")
                .selected_text(ui.rtl(business_type_label(d.business_type)))
                .show_ui(ui, |ui| {
                    for t in [BusinessType::New, BusinessType::Existing] {
                        ui.selectable_value_text(&mut d.business_type, t, business_type_label(t));
                    }
                })
                .response
                .labelled_by(l);
        });

        row(ui, errors, Field::Priority, |ui, _| {
            ui.horizontal(|ui| {
                for i in 1..=3u8 {
                    if star_button(ui, d.priority >= i, trn!(i, "Priority {n}")).clicked() {
                        d.priority = if d.priority == i { i - 1 } else { i };
                    }
                }
            });
        });
        row(ui, errors, Field::Tags, |ui, _| {
            tags_ui(ui, ws, &mut d.tags);
        });
        row(ui, errors, Field::Forecast, |ui, label| {
            let stage = ws
                .stage(d.stage)
                .map_or_else(Default::default, |s| s.forecast);
            deal_forecast_combo(ui, label, &mut d.forecast, stage)
        });
        row(ui, errors, Field::Active, |ui, _| {
            ui.checkbox_text(&mut d.active, tr!("Active (clear to archive)"))
        });
        for (field, text) in [
            (Field::Description, &mut d.description),
            (Field::WinLossReport, &mut d.win_loss_report),
        ] {
            row(ui, errors, field, |ui, l| {
                ui.add(
                    TextEdit::multiline(text)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l)
            });
        }
    }

    /// The account: typed, with the stored accounts it matches offered in a list under it
    /// (Up/Down and Enter, or a click, pick one; Escape closes the list). A name that is no
    /// stored account is created only once the user confirms it is new.
    fn account_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let current = self.draft.account;
        let Self {
            account_text,
            account_match,
            new_account,
            errors,
            account_error,
            ..
        } = self;
        let submitted = row(ui, errors, Field::Account, |ui, l| {
            let response = ui
                .horizontal(|ui| {
                    // Room kept for the "New account" box, so the row never jumps.
                    let choice_width = 130.0;
                    let width = (ui.available_width() - choice_width).max(120.0);
                    let align = if crate::i18n::right_to_left() {
                        egui::RectAlign::BOTTOM_END
                    } else {
                        egui::RectAlign::BOTTOM_START
                    };
                    let output = egui::CompletionPopup::new(ui.make_persistent_id("account"))
                        .word_boundary(|_| false)
                        .align(align)
                        .show(
                            ui,
                            TextEdit::singleline(account_text)
                                .hint_text(ui.rtl(tr!("Type to find or create an account")))
                                .desired_width(width),
                            |query| {
                                account_match.refresh(ws, query.text, current);
                                account_match
                                    .suggestions
                                    .iter()
                                    .map(|(_, name)| egui::Suggestion::new(name.clone()))
                                    .collect()
                            },
                        );
                    account_match.open = output.is_open;
                    account_match.refresh(ws, account_text, current);
                    let typed = account_text.trim();
                    if !account_match.exists && !typed.is_empty() {
                        let mut confirmed = new_account.as_deref() == Some(typed);
                        let hint = tr!(
                            "Creates the account “{name}” when the deal is saved",
                            name = typed
                        );
                        if ui
                            .checkbox_text(&mut confirmed, tr!("New account"))
                            .on_hover_text(ui.rtl(hint))
                            .changed()
                        {
                            *new_account = confirmed.then(|| typed.to_owned());
                        }
                    }
                    output.text_edit.response.response.labelled_by(l)
                })
                .inner;
            if let Some(error) = account_error {
                ui.text(RichText::new(error.as_str()).color(theme::colors(ui).error));
            }
            unsaved::submitted(ui, &response)
        });
        self.submit |= submitted;
        if let Some(id) = self.account_match.account {
            self.account_error = None;
            if self.draft.account != id {
                self.draft.account = id;
                if self.original.is_none()
                    && let Some(account) = ws.account(id)
                {
                    self.draft.source = self.draft.source.or(account.source);
                }
            }
        } else if self.new_account.as_deref() == Some(self.account_text.trim()) {
            self.account_error = None;
        }
    }

    /// The deal's contact, among its account's contacts, or a new one added to the account.
    fn contact_row(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let none = tr!("None");
        // A new account's name has no contacts yet.
        let account = self.account_match.account;
        let contacts = account.map(|a| ws.contacts_of(a)).unwrap_or_default();
        // A contact of another account (the account was changed) is dropped.
        if self
            .draft
            .contact
            .is_some_and(|c| !contacts.iter().any(|x| x.id == c))
            && self.contact_sent.is_none()
        {
            self.draft.contact = None;
        }
        let shown = match (
            &self.new_contact,
            self.draft.contact.and_then(|c| ws.contact(c)),
        ) {
            (Some(_), _) => tr!("New contact…"),
            (None, Some(contact)) => contact_label(contact),
            (None, None) => none.clone(),
        };
        let Self {
            draft,
            errors,
            new_contact,
            ..
        } = self;
        row(ui, errors, Field::Contact, |ui, l| {
            egui::ComboBox::from_id_salt("contact")
                .selected_text(ui.rtl(shown))
                .width(ui.available_width().min(260.0))
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_value_text(&mut draft.contact, None, none)
                        .clicked()
                    {
                        *new_contact = None;
                    }
                    for c in &contacts {
                        if ui
                            .selectable_value_text(&mut draft.contact, Some(c.id), contact_label(c))
                            .clicked()
                        {
                            *new_contact = None;
                        }
                    }
                    if account.is_some()
                        && ui
                            .selectable_label_text(new_contact.is_some(), tr!("New contact…"))
                            .clicked()
                    {
                        draft.contact = None;
                        *new_contact = Some(NewContact::default());
                    }
                })
                .response
                .labelled_by(l);
        });
        if let (Some(account), Some(_)) = (account, &self.new_contact) {
            self.new_contact_rows(ui, ws, account, actions);
        }
    }

    /// The new contact's name, email and phone, and the button adding it to the account.
    fn new_contact_rows(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        account: Id,
        actions: &mut Vec<Action>,
    ) {
        let Some(contact) = &mut self.new_contact else {
            return;
        };
        let mut add = false;
        for (field, text) in [
            (Field::ContactName, &mut contact.name),
            (Field::Email, &mut contact.email),
            (Field::Phone, &mut contact.phone),
        ] {
            let label = ui.rtl(field.label());
            add |= direction::field_row(ui, LABEL_WIDTH, label, |ui, l| text_field(ui, l, text));
        }
        let error = contact.error.clone();
        let sending = self.contact_sent.is_some();
        direction::field_row(ui, LABEL_WIDTH, "", |ui, _| {
            if let Some(error) = error {
                ui.text(RichText::new(error).color(theme::colors(ui).error));
            }
            ui.horizontal(|ui| {
                add |= ui
                    .add_enabled(!sending, egui::Button::new(ui.rtl(tr!("Add contact"))))
                    .on_hover_text(ui.rtl(tr!("Adds the contact to the account and to this deal")))
                    .clicked();
                if ui.button_text(tr!("Cancel")).clicked() {
                    self.new_contact = None;
                    add = false;
                }
            });
        });
        if !add || sending {
            return;
        }
        let Some(contact) = &self.new_contact else {
            return;
        };
        let id = ws.next_id();
        let record = Record::Contact(Contact {
            id,
            account,
            name: contact.name.trim().to_owned(),
            role: String::new(),
            email: contact.email.trim().to_owned(),
            phone: contact.phone.trim().to_owned(),
            ..Contact::default()
        });
        actions.push(reply::send(
            &mut self.contact_sent,
            id,
            Command::Change(Box::new(Change::put(record))),
        ));
    }

    /// What became of the new contact sent: picked for the deal once stored, its message under
    /// it, with what was typed, when refused.
    fn contact_reply(&mut self, cx: &Ctx) {
        match cx.replies.take(&mut self.contact_sent) {
            Some((id, Reply::Applied { .. })) => {
                self.new_contact = None;
                self.draft.contact = Some(id);
            }
            Some((_, Reply::Refused { message, fields })) => {
                if let Some(contact) = &mut self.new_contact {
                    contact.error = Some(fields.first().map_or(message, ToString::to_string));
                }
            }
            None => {}
        }
    }

    /// Amount (typed in, or the lines' sum) and currency.
    fn amount_rows(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let mut mode = self.draft.amount_mode;
        row(ui, &self.errors, Field::AmountMode, |ui, _| {
            ui.horizontal(|ui| {
                ui.radio_value_text(&mut mode, AmountMode::Manual, tr!("Typed in"));
                ui.radio_value_text(&mut mode, AmountMode::FromLines, tr!("From lines"));
            });
        });
        if mode != self.draft.amount_mode {
            // Back to a typed amount keeps the last computed one.
            if mode == AmountMode::Manual {
                let total = self.lines.total();
                self.amount_text = editable(format_number(total, total.normalize().scale()));
            }
            self.draft.amount_mode = mode;
        }

        let from_lines = self.draft.amount_mode == AmountMode::FromLines;
        let total = self.lines.total();
        let Self {
            amount_text,
            draft,
            errors,
            ..
        } = self;
        let currency = &mut draft.currency;
        let submitted = row(ui, errors, Field::Amount, |ui, l| {
            ui.horizontal(|ui| {
                let submitted = if from_lines {
                    ui.text(RichText::new(format_money_cents(total, currency)).strong())
                        .labelled_by(l);
                    false
                } else {
                    let id = ui.make_persistent_id("amount");
                    let field = digits_field(ui, id, amount_text, localize_number, |e| {
                        e.desired_width(150.0)
                    })
                    .labelled_by(l);
                    unsaved::submitted(ui, &field)
                };
                egui::ComboBox::from_id_salt("currency")
                    .selected_text(ui.rtl(currency.as_str()))
                    .width(70.0)
                    .show_ui(ui, |ui| {
                        for code in ws.currency_codes() {
                            ui.selectable_value_text(currency, code.clone(), code);
                        }
                    })
                    .response
                    .accessible_name(Field::Currency.label());
                submitted
            })
            .inner
        });
        self.submit |= submitted;
        if self.draft.currency != ws.settings().base_currency {
            let amount = if from_lines {
                Some(total)
            } else {
                parse_amount(Field::Amount, &self.amount_text).ok()
            };
            if let Some(amount) = amount {
                Self::note_row(
                    ui,
                    RichText::new(tr!(
                        "≈ {amount} at today's rate",
                        amount = format_money_cents(
                            ws.rates().to_base(amount, &self.draft.currency),
                            &ws.settings().base_currency
                        )
                    ))
                    .small()
                    .color(theme::colors(ui).text_muted),
                );
            }
        }
    }

    /// Pipeline, stage and (for a Lost stage) loss reason.
    fn stage_rows(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let pipelines = ws.pipelines();
        let mut pipeline = self.draft.pipeline;
        let current = pipelines
            .iter()
            .find(|p| p.id == pipeline)
            .map_or(String::new(), |p| p.name.clone());
        row(ui, &self.errors, Field::Pipeline, |ui, l| {
            egui::ComboBox::from_id_salt("pipeline")
                .selected_text(ui.rtl(current))
                .show_ui(ui, |ui| {
                    for p in pipelines {
                        ui.selectable_value_text(&mut pipeline, p.id, &p.name);
                    }
                })
                .response
                .labelled_by(l);
        });
        let mut stage = self.draft.stage;
        if pipeline != self.draft.pipeline
            && let Some(first) = ws.stages_of(pipeline).next()
        {
            stage = first.id;
        }

        let current = ws.stage(stage).map_or(String::new(), |s| s.name.clone());
        row(ui, &self.errors, Field::Stage, |ui, l| {
            egui::ComboBox::from_id_salt("stage")
                .selected_text(ui.rtl(current))
                .show_ui(ui, |ui| {
                    for s in ws.stages_of(pipeline) {
                        ui.selectable_value_text(&mut stage, s.id, &s.name);
                    }
                })
                .response
                .labelled_by(l);
        });
        if stage != self.draft.stage
            && let Some(s) = ws.stage(stage)
        {
            self.draft.enter_stage(s, self.draft.loss_reason, ws.now());
            self.probability_text = self.draft.probability.normalize().to_string();
        }
        // What the stage expects before the deal moves on.
        if let Some(s) = ws
            .stage(self.draft.stage)
            .filter(|s| !s.requirements.is_empty())
        {
            Self::note_row(
                ui,
                RichText::new(tr!("Expected: {text}", text = s.requirements))
                    .small()
                    .italics()
                    .color(theme::colors(ui).text_muted),
            );
        }
        if let Some(days) = self.original.as_ref().and_then(|o| ws.stale_days(o)) {
            Self::note_row(
                ui,
                RichText::new(trn!(days, "Stale: {n} days in this stage"))
                    .small()
                    .color(theme::colors(ui).stale),
            );
        }
        if ws
            .stage(self.draft.stage)
            .is_some_and(|s| s.kind == StageKind::Lost)
        {
            let reason = &mut self.draft.loss_reason;
            row(ui, &self.errors, Field::LossReason, |ui, l| {
                lookup_combo(
                    ui,
                    l,
                    ws,
                    LookupKind::LossReason,
                    reason,
                    &tr!("No reason given"),
                )
            });
        }
    }

    fn history_ui(&self, ui: &mut egui::Ui) {
        if self.original.is_some() {
            history_ui(ui, &self.history);
        }
    }

    /// Parses and checks the form; returns the command to apply, or shows what is wrong.
    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        let mut errors = Vec::new();
        let mut opp = self.draft.clone();
        let mut line_errors = Vec::new();
        match self.lines.parse() {
            Ok(lines) => opp.lines = lines,
            Err(found) if opp.amount_mode == AmountMode::FromLines => line_errors = found,
            // Lines being typed while the amount is typed in are kept as they were.
            Err(_) => {}
        }
        if opp.amount_mode == AmountMode::FromLines {
            opp.amount = lines_amount(&opp.lines);
        } else {
            match parse_amount(Field::Amount, &self.amount_text) {
                Ok(amount) => opp.amount = amount,
                Err(e) => errors.push(e),
            }
        }
        match parse_date(Field::ExpectedClose, &self.close_text) {
            Ok(date) => opp.expected_close = date,
            Err(e) => errors.push(e),
        }
        match parse_probability(&self.probability_text) {
            Ok(p) if p != opp.probability => {
                if let Some(stage) = ws.stage(opp.stage) {
                    opp.set_probability(p, stage);
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
        let account_text = self.account_text.trim();
        self.account_match
            .refresh(ws, &self.account_text, self.draft.account);
        self.account_error = None;
        let new_account = if account_text.is_empty() {
            errors.push(FieldError::new(Field::Account, Problem::Required));
            None
        } else if let Some(id) = self.account_match.account {
            opp.account = id;
            None
        } else if self.new_account.as_deref() == Some(account_text) {
            Some(account_text.to_owned())
        } else {
            // Saving "Glob" must not create a second Globex: the user says which they mean.
            self.account_error = Some(tr!(
                "“{name}” is not an account yet: pick one from the list, or tick “New account”.",
                name = account_text
            ));
            None
        };
        if opp.name.trim().is_empty() {
            opp.name = account_text.to_owned();
        }
        // Only what this form changed is saved over what was changed elsewhere meanwhile.
        if let (Some(original), Some(current)) = (
            &self.original,
            self.opportunity_id().and_then(|id| ws.opportunity(id)),
        ) {
            opp = opp.rebase(original, current);
        }
        if let Err(found) = opp.validate() {
            errors.extend(
                found
                    .into_iter()
                    .filter(|e| !(e.field == Field::Name && account_text.is_empty())),
            );
        }
        if !errors.is_empty() || !line_errors.is_empty() || self.account_error.is_some() {
            self.errors = errors;
            self.line_errors = line_errors;
            return None;
        }
        self.errors.clear();
        self.line_errors.clear();
        let opp = Box::new(opp);
        Some(if self.original.is_some() {
            Command::UpdateOpportunity { opp, new_account }
        } else {
            Command::CreateOpportunity { opp, new_account }
        })
    }
}

/// A labelled row of the form in reading order; the field's error in `errors`, if any, shows
/// under its widget.
fn row<R>(
    ui: &mut egui::Ui,
    errors: &[FieldError],
    field: Field,
    add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
) -> R {
    let error = errors
        .iter()
        .find(|e| e.field == field)
        .map(FieldError::reason);
    let label = ui.rtl(field.label());
    direction::field_row(ui, LABEL_WIDTH, label, |ui, l| {
        let inner = add(ui, l);
        if let Some(error) = error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        inner
    })
}

/// A one-line text field filling its row; true when Enter in it asks to save the form.
fn text_field(ui: &mut egui::Ui, label: egui::Id, text: &mut String) -> bool {
    let response = ui
        .add(TextEdit::singleline(text).desired_width(f32::INFINITY))
        .labelled_by(label);
    unsaved::submitted(ui, &response)
}

fn contact_label(c: &Contact) -> String {
    if c.role.is_empty() {
        c.name.clone()
    } else {
        format!("{} ({})", c.name, c.role)
    }
}

fn business_type_label(t: BusinessType) -> String {
    match t {
        BusinessType::New => tr!("New business"),
        BusinessType::Existing => tr!("Existing business"),
    }
}

/// What the account field's text matches, worked out once per text and data change (scanning
/// every account each frame would cost at 100k accounts).
#[derive(Default)]
struct AccountMatch {
    text: String,
    generation: u64,
    /// The stored account the text names (ignoring case), if any.
    account: Option<Id>,
    /// Whether the text is empty or names a stored account.
    exists: bool,
    suggestions: Vec<(Id, String)>,
    /// Whether the suggestions' list is open under the field.
    open: bool,
}

impl AccountMatch {
    /// Matches `text`; `current` (the deal's account) is kept when the text still names it,
    /// even if another account has the same name.
    fn refresh(&mut self, ws: &Workspace, text: &str, current: Id) {
        if self.text == text && self.generation == ws.generation() {
            return;
        }
        let typed = text.trim();
        let wanted = typed.to_lowercase();
        self.account = ws
            .account(current)
            .filter(|a| a.name.to_lowercase() == wanted)
            .or_else(|| ws.account_by_name(typed))
            .map(|a| a.id);
        self.exists = typed.is_empty() || self.account.is_some();
        self.suggestions = if self.exists {
            Vec::new()
        } else {
            ws.account_suggestions(typed, 5)
                .into_iter()
                .map(|a| (a.id, a.name.clone()))
                .collect()
        };
        self.text = text.to_owned();
        self.generation = ws.generation();
    }
}

/// Tags as checkboxes in a menu.
fn tags_ui(ui: &mut egui::Ui, ws: &Workspace, tags: &mut Vec<Id>) {
    let names: Vec<&str> = tags.iter().map(|t| ws.lookup_name(Some(*t))).collect();
    let title = if names.is_empty() {
        tr!("No tags")
    } else {
        names.join(", ")
    };
    ui.menu_button_text(title, |ui| {
        let all = ws.lookups(LookupKind::Tag);
        if all.is_empty() {
            ui.text(tr!("No tags defined yet"));
        }
        for tag in all {
            let mut on = tags.contains(&tag.id);
            if ui.checkbox_text(&mut on, &tag.name).changed() {
                if on {
                    tags.push(tag.id);
                } else {
                    tags.retain(|t| *t != tag.id);
                }
            }
        }
    });
}

impl Editing for OpportunityForm {
    fn unsaved(&self) -> Option<String> {
        self.dirty.then(|| match &self.original {
            Some(original) => original.name.clone(),
            None => tr!("The new deal"),
        })
    }

    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        OpportunityForm::save(self, ws)
    }

    fn discard(&mut self, ws: &Workspace) {
        if let Some(stored) = self.opportunity_id().and_then(|id| ws.opportunity(id)) {
            *self = OpportunityForm::edit(ws, stored.clone());
        } else {
            self.dirty = false;
        }
    }
}

/// When a stored deal was created, updated, entered its stage and closed, in muted rows.
fn stamps_ui(ui: &mut egui::Ui, original: &Opportunity) {
    let stamp = |t: chrono::DateTime<chrono::Utc>| {
        let time = t.format("%H:%M").to_string();
        format!("{} {}", format_date(t.date_naive()), localize_digits(&time))
    };
    for (label, value) in [
        (tr!("Created"), stamp(original.created)),
        (tr!("Updated"), stamp(original.updated)),
        (tr!("In stage since"), stamp(original.stage_entered)),
        (
            Field::Closed.label(),
            original.closed.map_or_else(|| "—".to_owned(), format_date),
        ),
    ] {
        let label = ui.rtl(RichText::new(label).color(theme::colors(ui).text_muted));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
            ui.text(RichText::new(value).color(theme::colors(ui).text_muted))
        });
    }
}
