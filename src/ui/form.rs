//! The opportunity form: every field of a deal, validated inline, saved as one command.

use crate::ui::direction;
use crate::ui::text::bidi;
use egui::{RichText, TextEdit};

use super::activity_panel::ActivityPanel;
use super::app::Action;
use super::lines::LinesEditor;
use super::theme;
use super::unsaved::{self, Editing, FormKey};
use super::widgets::{history_ui, lookup_combo, star_button};
use crate::command::Command;
use crate::domain::*;
use crate::i18n::{editable, format_date, format_money, format_number, localize_digits};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The form's state: a draft of the deal plus the raw text of fields that must parse.
pub struct OpportunityForm {
    draft: Opportunity,
    /// The deal as stored; None while creating.
    original: Option<Opportunity>,
    account_text: String,
    amount_text: String,
    probability_text: String,
    close_text: String,
    errors: Vec<FieldError>,
    history: Vec<HistoryEntry>,
    dirty: bool,
    account_match: AccountMatch,
    lines: LinesEditor,
    /// Problems of the lines, each naming its line.
    line_errors: Vec<String>,
    activities: ActivityPanel,
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
            amount_text: editable(format_number(
                draft.amount,
                draft.amount.normalize().scale().min(2),
            )),
            probability_text: draft.probability.normalize().to_string(),
            close_text: draft
                .expected_close
                .map(|d| editable(format_date(d)))
                .unwrap_or_default(),
            account_text,
            errors: Vec::new(),
            history,
            dirty: false,
            account_match: AccountMatch::default(),
            lines: LinesEditor::new(&draft.lines),
            line_errors: Vec::new(),
            activities: ActivityPanel::default(),
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

    fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// Draws the form; returns Save (as a command) or Close.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        match unsaved::form_key(ui) {
            Some(FormKey::Save) => actions.extend(self.save(ws).map(Action::Apply)),
            Some(FormKey::Close) => actions.push(Action::CloseForm),
            None => {}
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let title = if self.original.is_some() {
                self.draft.name.clone()
            } else {
                tr!("New deal")
            };
            ui.label(bidi(ui, RichText::new(title).heading()));
            unsaved::marker(ui, self.dirty);
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                if ui
                    .button(bidi(ui, tr!("Close")))
                    .on_hover_text(bidi(ui, tr!("Close the form")))
                    .clicked()
                {
                    actions.push(Action::CloseForm);
                }
                if self.original.is_some()
                    && ws.account(self.draft.account).is_some()
                    && ui
                        .button(bidi(ui, tr!("Open account")))
                        .on_hover_text(bidi(
                            ui,
                            tr!("The account's details, contacts and other deals"),
                        ))
                        .clicked()
                {
                    actions.push(Action::OpenAccount(self.draft.account));
                }
            });
        });
        if !self.errors.is_empty() || !self.line_errors.is_empty() {
            let text = self
                .errors
                .iter()
                .map(ToString::to_string)
                .chain(self.line_errors.iter().cloned())
                .collect::<Vec<_>>()
                .join("\n");
            ui.label(bidi(
                ui,
                RichText::new(tr!("Not saved:\n{errors}", errors = text)).color(theme::ERROR),
            ));
        }
        egui::Panel::bottom("form_buttons")
            .show_separator_line(true)
            .show(ui, |ui| {
                direction::reading(ui, |ui| {
                    ui.add_space(4.0);
                    ui.horizontal(|ui| {
                        if ui
                            .button(bidi(ui, RichText::new(tr!("Save")).strong()))
                            .clicked()
                            && let Some(command) = self.save(ws)
                        {
                            actions.push(Action::Apply(command));
                        }
                        if ui.button(bidi(ui, tr!("Cancel"))).clicked() {
                            actions.push(Action::CloseForm);
                        }
                        if let Some(id) = self.opportunity_id() {
                            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                                if ui.button(bidi(ui, tr!("Move to trash"))).clicked() {
                                    actions.push(Action::Apply(Command::Trash { ids: vec![id] }));
                                    actions.push(Action::CloseForm);
                                }
                            });
                        }
                    });
                })
                .inner
            });
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                let before = (
                    self.draft.clone(),
                    self.account_text.clone(),
                    self.amount_text.clone(),
                    self.probability_text.clone(),
                    self.close_text.clone(),
                    self.lines.clone(),
                );
                direction::grid_scope(ui, |ui| {
                    egui::Grid::new("opportunity_grid")
                        .num_columns(2)
                        .spacing([10.0, 6.0])
                        .striped(false)
                        .show(ui, |ui| self.fields_ui(ui, ws))
                });
                // The lines sit right under the amount they make up.
                if self.draft.amount_mode == AmountMode::FromLines {
                    egui::CollapsingHeader::new(bidi(ui, Field::Lines.label()))
                        .default_open(true)
                        .show(ui, |ui| self.lines.ui(ui, ws, &self.draft.currency));
                }
                direction::grid_scope(ui, |ui| {
                    egui::Grid::new("opportunity_grid_more")
                        .num_columns(2)
                        .spacing([10.0, 6.0])
                        .striped(false)
                        .show(ui, |ui| self.more_fields_ui(ui, ws))
                });
                let after = (
                    &self.draft,
                    &self.account_text,
                    &self.amount_text,
                    &self.probability_text,
                    &self.close_text,
                    &self.lines,
                );
                let before = (
                    &before.0, &before.1, &before.2, &before.3, &before.4, &before.5,
                );
                if before != after {
                    self.dirty = true;
                }
                if let Some(id) = self.opportunity_id() {
                    ui.add_space(10.0);
                    egui::CollapsingHeader::new(bidi(ui, tr!("Activities")))
                        .default_open(true)
                        .show(ui, |ui| {
                            actions.extend(self.activities.ui(
                                ui,
                                ws,
                                ActivityLink::Opportunity(id),
                            ))
                        });
                }
                ui.add_space(10.0);
                self.history_ui(ui);
            });
        actions
    }

    /// A labelled row; the field's error, if any, shows under its widget.
    fn row<R>(
        &self,
        ui: &mut egui::Ui,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
    ) -> R {
        let label = ui.label(bidi(ui, field.label()));
        let inner = ui
            .vertical(|ui| {
                let inner = add(ui, label.id);
                if let Some(error) = self.error(field) {
                    ui.label(bidi(ui, RichText::new(error.reason()).color(theme::ERROR)));
                }
                inner
            })
            .inner;
        ui.end_row();
        inner
    }

    fn text_row(ui: &mut egui::Ui, label: egui::Id, text: &mut String) {
        ui.add(TextEdit::singleline(text).desired_width(f32::INFINITY))
            .labelled_by(label);
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let mut name = std::mem::take(&mut self.draft.name);
        self.row(ui, Field::Name, |ui, l| Self::text_row(ui, l, &mut name));
        self.draft.name = name;

        let mut account_text = std::mem::take(&mut self.account_text);
        let mut matched = std::mem::take(&mut self.account_match);
        let picked = self.row(ui, Field::Account, |ui, l| {
            account_ui(ui, l, ws, &mut account_text, &mut matched)
        });
        self.account_text = account_text;
        self.account_match = matched;
        if let Some(account) = picked.and_then(|id| ws.account(id)) {
            self.account_text = account.name.clone();
            self.draft.account = account.id;
            if self.original.is_none() {
                self.draft.source = self.draft.source.or(account.source);
            }
        }

        self.contact_row(ui, ws);
        self.stage_rows(ui, ws);
        self.amount_rows(ui, ws);
    }

    /// The fields under the lines.
    fn more_fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let mut probability = std::mem::take(&mut self.probability_text);
        let reset = self.row(ui, Field::Probability, |ui, l| {
            ui.horizontal(|ui| {
                ui.add(TextEdit::singleline(&mut probability).desired_width(60.0))
                    .labelled_by(l);
                ui.label(bidi(ui, "%"));
                self.draft.probability_overridden
                    && ui
                        .small_button(bidi(ui, tr!("Reset to stage default")))
                        .clicked()
            })
            .inner
        });
        self.probability_text = probability;
        if reset && let Some(stage) = ws.stage(self.draft.stage) {
            self.draft.reset_probability(stage);
            self.probability_text = self.draft.probability.normalize().to_string();
        }

        let mut close = std::mem::take(&mut self.close_text);
        self.row(ui, Field::ExpectedClose, |ui, l| {
            ui.horizontal(|ui| {
                ui.add(
                    TextEdit::singleline(&mut close)
                        .hint_text(bidi(ui, crate::i18n::date_hint()))
                        .desired_width(120.0),
                )
                .labelled_by(l);
                let name = Field::ExpectedClose.label();
                super::date_picker::picker_button(ui, &mut close, ws.today(), &name);
            });
        });
        self.close_text = close;

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
            let label = ui.label(bidi(ui, field.label()));
            lookup_combo(ui, label.id, ws, kind, value, &none);
            ui.end_row();
        }
        let label = ui.label(bidi(ui, Field::NextStep.label()));
        Self::text_row(ui, label.id, &mut d.next_step);
        ui.end_row();

        let label = ui.label(bidi(ui, Field::BusinessType.label()));
        egui::ComboBox::from_id_salt("business_type")
            .selected_text(bidi(ui, business_type_label(d.business_type)))
            .show_ui(ui, |ui| {
                for t in [BusinessType::New, BusinessType::Existing] {
                    ui.selectable_value(&mut d.business_type, t, bidi(ui, business_type_label(t)));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        ui.label(bidi(ui, Field::Priority.label()));
        ui.horizontal(|ui| {
            for i in 1..=3u8 {
                if star_button(ui, d.priority >= i, trn!(i, "Priority {n}")).clicked() {
                    d.priority = if d.priority == i { i - 1 } else { i };
                }
            }
        });
        ui.end_row();

        ui.label(bidi(ui, Field::Tags.label()));
        tags_ui(ui, ws, &mut d.tags);
        ui.end_row();

        ui.label(bidi(ui, Field::Forecast.label()));
        ui.checkbox(&mut d.forecast, bidi(ui, tr!("Include in the forecast")));
        ui.end_row();

        ui.label(bidi(ui, Field::Active.label()));
        ui.checkbox(&mut d.active, bidi(ui, tr!("Active (clear to archive)")));
        ui.end_row();

        for (field, text) in [
            (Field::Description, &mut d.description),
            (Field::WinLossReport, &mut d.win_loss_report),
        ] {
            let label = ui.label(bidi(ui, field.label()));
            ui.add(
                TextEdit::multiline(text)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();
        }

        if let Some(original) = &self.original {
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
                    original
                        .closed
                        .map(format_date)
                        .unwrap_or_else(|| "—".to_owned()),
                ),
            ] {
                ui.label(bidi(ui, RichText::new(label).color(theme::TEXT_MUTED)));
                ui.label(bidi(ui, RichText::new(value).color(theme::TEXT_MUTED)));
                ui.end_row();
            }
        }
    }

    /// The deal's contact, among its account's contacts.
    fn contact_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let label = ui.label(bidi(ui, Field::Contact.label()));
        let none = tr!("None");
        let contacts = ws.contacts_of(self.draft.account);
        // A contact of another account (the account was changed) is dropped.
        if self
            .draft
            .contact
            .is_some_and(|c| !contacts.iter().any(|x| x.id == c))
        {
            self.draft.contact = None;
        }
        let shown = self
            .draft
            .contact
            .and_then(|c| ws.contact(c))
            .map_or(none.clone(), contact_label);
        egui::ComboBox::from_id_salt("contact")
            .selected_text(bidi(ui, shown))
            .width(ui.available_width().min(260.0))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.draft.contact, None, bidi(ui, none));
                for c in &contacts {
                    ui.selectable_value(
                        &mut self.draft.contact,
                        Some(c.id),
                        bidi(ui, contact_label(c)),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
    }

    /// Amount (typed in, or the lines' sum) and currency.
    fn amount_rows(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        ui.label(bidi(ui, Field::AmountMode.label()));
        let mut mode = self.draft.amount_mode;
        ui.horizontal(|ui| {
            ui.radio_value(&mut mode, AmountMode::Manual, bidi(ui, tr!("Typed in")));
            ui.radio_value(
                &mut mode,
                AmountMode::FromLines,
                bidi(ui, tr!("From lines")),
            );
        });
        ui.end_row();
        if mode != self.draft.amount_mode {
            // Back to a typed amount keeps the last computed one.
            if mode == AmountMode::Manual {
                let total = self.lines.total();
                self.amount_text = editable(format_number(total, total.normalize().scale().min(2)));
            }
            self.draft.amount_mode = mode;
        }

        let mut amount = std::mem::take(&mut self.amount_text);
        let mut currency = self.draft.currency.clone();
        let from_lines = self.draft.amount_mode == AmountMode::FromLines;
        let total = self.lines.total();
        self.row(ui, Field::Amount, |ui, l| {
            ui.horizontal(|ui| {
                if from_lines {
                    ui.label(bidi(ui, RichText::new(format_number(total, 2)).strong()))
                        .labelled_by(l);
                } else {
                    ui.add(TextEdit::singleline(&mut amount).desired_width(150.0))
                        .labelled_by(l);
                }
                egui::ComboBox::from_id_salt("currency")
                    .selected_text(bidi(ui, &currency))
                    .width(70.0)
                    .show_ui(ui, |ui| {
                        for code in ws.currency_codes() {
                            ui.selectable_value(&mut currency, code.clone(), bidi(ui, code));
                        }
                    })
                    .response
                    .accessible_name(Field::Currency.label());
            });
        });
        self.amount_text = amount;
        self.draft.currency = currency;
        if self.draft.currency != ws.settings().base_currency {
            let amount = if from_lines {
                Some(total)
            } else {
                parse_amount(Field::Amount, &self.amount_text).ok()
            };
            if let Some(amount) = amount {
                ui.label("");
                ui.label(bidi(
                    ui,
                    RichText::new(tr!(
                        "≈ {amount} at today's rate",
                        amount = format_money(
                            ws.rates().to_base(amount, &self.draft.currency),
                            &ws.settings().base_currency
                        )
                    ))
                    .small()
                    .color(theme::TEXT_MUTED),
                ));
                ui.end_row();
            }
        }
    }

    /// Pipeline, stage and (for a Lost stage) loss reason.
    fn stage_rows(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let pipelines = ws.pipelines();
        let label = ui.label(bidi(ui, Field::Pipeline.label()));
        let mut pipeline = self.draft.pipeline;
        let current = pipelines
            .iter()
            .find(|p| p.id == pipeline)
            .map_or(String::new(), |p| p.name.clone());
        egui::ComboBox::from_id_salt("pipeline")
            .selected_text(bidi(ui, current))
            .show_ui(ui, |ui| {
                for p in pipelines {
                    ui.selectable_value(&mut pipeline, p.id, bidi(ui, &p.name));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let mut stage = self.draft.stage;
        if pipeline != self.draft.pipeline
            && let Some(first) = ws.stages_of(pipeline).next()
        {
            stage = first.id;
        }

        let current = ws.stage(stage).map_or(String::new(), |s| s.name.clone());
        self.row(ui, Field::Stage, |ui, l| {
            egui::ComboBox::from_id_salt("stage")
                .selected_text(bidi(ui, current))
                .show_ui(ui, |ui| {
                    for s in ws.stages_of(pipeline) {
                        ui.selectable_value(&mut stage, s.id, bidi(ui, &s.name));
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
            ui.label("");
            ui.label(bidi(
                ui,
                RichText::new(tr!("Expected: {text}", text = s.requirements))
                    .small()
                    .italics()
                    .color(theme::TEXT_MUTED),
            ));
            ui.end_row();
        }
        if let Some(days) = self.original.as_ref().and_then(|o| ws.stale_days(o)) {
            ui.label("");
            ui.label(bidi(
                ui,
                RichText::new(trn!(days, "Stale: {n} days in this stage"))
                    .small()
                    .color(theme::STALE),
            ));
            ui.end_row();
        }
        if ws
            .stage(self.draft.stage)
            .is_some_and(|s| s.kind == StageKind::Lost)
        {
            let label = ui.label(bidi(ui, Field::LossReason.label()));
            lookup_combo(
                ui,
                label.id,
                ws,
                LookupKind::LossReason,
                &mut self.draft.loss_reason,
                &tr!("No reason given"),
            );
            ui.end_row();
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
        let current = ws.account(opp.account).map(|a| a.name.as_str());
        let new_account = if account_text.is_empty() {
            errors.push(FieldError::new(Field::Account, Problem::Required));
            None
        } else if current.is_some_and(|name| name.eq_ignore_ascii_case(account_text)) {
            None
        } else {
            Some(account_text.to_owned())
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
        if !errors.is_empty() || !line_errors.is_empty() {
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
    exists: bool,
    suggestions: Vec<(Id, String)>,
}

impl AccountMatch {
    fn refresh(&mut self, ws: &Workspace, text: &str) {
        if self.text == text && self.generation == ws.generation() {
            return;
        }
        let typed = text.trim();
        self.exists = typed.is_empty() || ws.account_by_name(typed).is_some();
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

/// The account field: free text with matching accounts offered below it. Returns the account
/// picked from the suggestions, if one was.
fn account_ui(
    ui: &mut egui::Ui,
    label: egui::Id,
    ws: &Workspace,
    text: &mut String,
    matched: &mut AccountMatch,
) -> Option<Id> {
    let edit = ui
        .add(
            TextEdit::singleline(text)
                .hint_text(bidi(ui, tr!("Type to find or create an account")))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label);
    matched.refresh(ws, text);
    if matched.exists {
        return None;
    }
    let mut picked = None;
    if edit.has_focus() || edit.changed() {
        for (id, name) in &matched.suggestions {
            if ui.small_button(bidi(ui, name)).clicked() {
                picked = Some(*id);
            }
        }
    }
    ui.label(bidi(
        ui,
        RichText::new(tr!(
            "A new account “{name}” will be created.",
            name = text.trim()
        ))
        .small()
        .color(theme::TEXT_MUTED),
    ));
    picked
}

/// Tags as checkboxes in a menu.
fn tags_ui(ui: &mut egui::Ui, ws: &Workspace, tags: &mut Vec<Id>) {
    let names: Vec<&str> = tags.iter().map(|t| ws.lookup_name(Some(*t))).collect();
    let title = if names.is_empty() {
        tr!("No tags")
    } else {
        names.join(", ")
    };
    ui.menu_button(bidi(ui, title), |ui| {
        let all = ws.lookups(LookupKind::Tag);
        if all.is_empty() {
            ui.label(bidi(ui, tr!("No tags defined yet")));
        }
        for tag in all {
            let mut on = tags.contains(&tag.id);
            if ui.checkbox(&mut on, bidi(ui, &tag.name)).changed() {
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
