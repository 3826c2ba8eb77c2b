//! The list's cells: plain text, light enough for thousands of rows. A click (or Enter on a
//! focused cell) turns an editable one into its editor: a text field, or the dropdown of the
//! stages or the salespeople. Every edit is one command, so one undo step.

use egui::{Align, RichText, Sense};

use super::ListView;
use crate::app::Action;
use crate::command::Command;
use crate::domain::{
    AmountMode, Field, ForecastChoice, Id, LookupKind, Opportunity, parse_amount, parse_date,
    parse_probability,
};
use crate::i18n::{
    editable, format_count, format_date, format_money_cents, format_number, format_percent,
};
use crate::reply;
use crate::theme;
use crate::ui_ext::UiExt;
use crate::widgets::{category_label, paint_priority};
use crate::workspace::{ListColumn, Workspace};
use crate::{tr, trn};

/// A column's initial width; the last shown column takes the rest of the table.
pub(super) fn initial_width(column: ListColumn) -> f32 {
    match column {
        ListColumn::Name => 240.0,
        ListColumn::Account | ListColumn::Contact | ListColumn::Source => 150.0,
        ListColumn::Stage => 125.0,
        ListColumn::Amount => 100.0,
        ListColumn::Probability | ListColumn::Priority | ListColumn::Currency => 80.0,
        ListColumn::Weighted | ListColumn::DaysInStage => 95.0,
        ListColumn::Forecast => 110.0,
        ListColumn::ExpectedClose => 105.0,
        ListColumn::Salesperson => 145.0,
        ListColumn::NextStep | ListColumn::NextActivity => 170.0,
        ListColumn::Tags => 140.0,
        ListColumn::Created => 90.0,
    }
}

/// A cell being edited in place: the text typed so far. It stays open until its command is
/// applied, so a refused value is still there to correct.
pub(super) struct CellEdit {
    pub opp: Id,
    pub column: ListColumn,
    pub text: String,
    /// Set when the editor should take the keyboard focus: opened, or its value refused.
    pub focus: bool,
}

/// What a cell's editor did this frame.
enum CellOutcome {
    Open,
    /// Escape, or the value left as it was: the editor closes.
    Cancel,
    /// The value does not parse: the message says why, the editor keeps the text.
    Invalid(String),
    /// The changed deal, to send; the editor stays until the reply says it was saved.
    Send(Command),
}

impl ListView {
    pub(super) fn cell_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        opp: &Opportunity,
        column: ListColumn,
    ) -> Option<Action> {
        if let Some(edit) = self
            .editing
            .as_mut()
            .filter(|e| e.opp == opp.id && e.column == column)
        {
            return match edit_cell_ui(ui, ws, opp, edit) {
                CellOutcome::Open => None,
                CellOutcome::Cancel => {
                    self.editing = None;
                    None
                }
                CellOutcome::Invalid(message) => Some(Action::Error(message)),
                CellOutcome::Send(command) => {
                    Some(reply::send(&mut self.sent, (opp.id, column), command))
                }
            };
        }
        match column {
            ListColumn::Name if ws.is_trashed(opp.id) => {
                let restore = ui
                    .small_button_text(tr!("Restore"))
                    .accessible_name(tr!("Restore {name}", name = opp.name));
                ui.text(&opp.name);
                if restore.clicked() {
                    return Some(Action::Apply(Command::RestoreFromTrash {
                        ids: vec![opp.id],
                    }));
                }
            }
            ListColumn::Name => {
                let name = ui.add(
                    egui::Label::new(ui.rtl(&opp.name))
                        .truncate()
                        .sense(Sense::click()),
                );
                // The row's one line for a screen reader, on the cell it starts with.
                crate::spoken::describe(&name, || crate::spoken::deal(ws, opp));
                let name = name.on_hover_text(
                    ui.rtl(tr!("Open the deal; Ctrl-click or Shift-click to select")),
                );
                if name.clicked() {
                    self.clicked = Some((opp.id, ui.input(|i| i.modifiers)));
                }
            }
            ListColumn::Stage => return stage_cell_ui(ui, ws, opp),
            ListColumn::Salesperson => {
                let salesperson = salesperson_cell_ui(ui, ws, opp)?;
                let mut changed = opp.clone();
                changed.salesperson = salesperson;
                let cell = (opp.id, column);
                return Some(reply::send(&mut self.sent, cell, update(changed)));
            }
            ListColumn::Amount if opp.amount_mode == AmountMode::FromLines => {
                // Saved, a typed amount would be replaced by the lines' sum at once.
                let why = tr!("Priced from its lines: open the deal to change them");
                let amount = muted(ui, format_money_cents(opp.amount, &opp.currency));
                let response = number_layout(ui, |ui| {
                    ui.add(
                        egui::Label::new(ui.rtl(amount))
                            .truncate()
                            .sense(Sense::click()),
                    )
                })
                .on_hover_text(ui.rtl(&why));
                if response.clicked() {
                    return Some(Action::Done(why));
                }
            }
            ListColumn::Amount
            | ListColumn::Probability
            | ListColumn::ExpectedClose
            | ListColumn::NextStep => {
                let (shown, text) = editable_text(opp, column);
                let mut label = RichText::new(shown);
                if column == ListColumn::ExpectedClose && opp.is_overdue(ws.today()) {
                    label = label.color(theme::colors(ui).overdue);
                }
                if clickable_text_ui(ui, label, is_number(column)).clicked() {
                    self.editing = Some(CellEdit {
                        opp: opp.id,
                        column,
                        text,
                        focus: true,
                    });
                }
            }
            ListColumn::Priority => priority_cell_ui(ui, opp.priority),
            _ => read_only_cell_ui(ui, ws, opp, column),
        }
        None
    }
}

fn muted(ui: &egui::Ui, text: String) -> RichText {
    RichText::new(text).color(theme::colors(ui).text_muted)
}

/// A cell's text that opens its editor when clicked (or Enter is pressed on it).
fn clickable_text_ui(ui: &mut egui::Ui, text: RichText, number: bool) -> egui::Response {
    let add = |ui: &mut egui::Ui| {
        ui.add(
            egui::Label::new(ui.rtl(text))
                .truncate()
                .sense(Sense::click()),
        )
    };
    if number {
        number_layout(ui, add)
    } else {
        add(ui)
    }
    .on_hover_text(ui.rtl(tr!("Click to edit")))
}

/// A cell's text that opens a dropdown when clicked: to assistive technology (and tests) a
/// combo box named `name` showing `value`.
fn dropdown_text_ui(
    ui: &mut egui::Ui,
    text: RichText,
    value: &str,
    name: String,
) -> egui::Response {
    let response = clickable_text_ui(ui, text, false);
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::new(egui::Role::ComboBox);
        info.current_text_value = Some(value.to_owned());
        info
    });
    response.accessible_name(name)
}

/// The cells only the deal's form changes: what they show, as plain text.
fn read_only_cell_ui(ui: &mut egui::Ui, ws: &Workspace, opp: &Opportunity, column: ListColumn) {
    let (text, number) = match column {
        ListColumn::Account => (
            RichText::new(ws.account(opp.account).map_or("", |a| a.name.as_str())),
            false,
        ),
        ListColumn::Weighted => (
            muted(ui, format_money_cents(opp.weighted(), &opp.currency)),
            true,
        ),
        ListColumn::Created => (muted(ui, format_date(opp.created.date_naive())), false),
        ListColumn::Source => (RichText::new(ws.lookup_name(opp.source)), false),
        ListColumn::Contact => (RichText::new(ws.contact_name(opp)), false),
        ListColumn::Tags => (RichText::new(ws.tag_names(opp)), false),
        ListColumn::Currency => (RichText::new(&opp.currency), false),
        ListColumn::NextActivity => (next_activity_text(ui, ws, opp), false),
        ListColumn::DaysInStage => (
            RichText::new(format_count(ws.days_in_stage(opp).max(0) as u64)),
            true,
        ),
        // Muted when it is the stage's, as the probability is when it is the stage's.
        ListColumn::Forecast => {
            let label = ws
                .forecast_category(opp)
                .map_or_else(|| "—".to_owned(), category_label);
            let text = if opp.forecast == ForecastChoice::Stage {
                muted(ui, label)
            } else {
                RichText::new(label)
            };
            (text, false)
        }
        _ => (RichText::new(""), false),
    };
    let add = |ui: &mut egui::Ui| ui.add(egui::Label::new(ui.rtl(text)).truncate());
    if number {
        number_layout(ui, add);
    } else {
        add(ui);
    }
}

/// The next open activity's due date and summary, red when it is late; muted when none.
fn next_activity_text(ui: &egui::Ui, ws: &Workspace, opp: &Opportunity) -> RichText {
    match ws.next_activity_of(opp.id) {
        Some(a) => {
            let text = RichText::new(format!("{} · {}", format_date(a.due), a.summary));
            if a.due < ws.today() {
                text.color(theme::colors(ui).overdue)
            } else {
                text
            }
        }
        None => muted(ui, tr!("None planned")),
    }
}

/// The deal's priority as three stars, painted (the fonts lack ★), named for screen readers.
fn priority_cell_ui(ui: &mut egui::Ui, priority: u8) {
    let size = 12.0;
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(size * 3.0 + 2.0, size), Sense::hover());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Label, true, trn!(priority, "{n} of 3 stars"))
    });
    paint_priority(
        ui.painter(),
        rect.right_top(),
        size,
        priority,
        theme::colors(ui).star,
    );
}

/// The stage as text; clicked (or Enter), the dropdown of the pipeline's stages. Picking a
/// Lost stage asks for the reason like a drop on the board.
fn stage_cell_ui(ui: &mut egui::Ui, ws: &Workspace, opp: &Opportunity) -> Option<Action> {
    let current = ws.stage(opp.stage).map_or("", |s| s.name.as_str());
    let mut picked = None;
    ui.push_id(("stage", opp.id), |ui| {
        let name = tr!("Stage of {name}", name = opp.name);
        let response = dropdown_text_ui(ui, RichText::new(current), current, name);
        egui::Popup::menu(&response).show(|ui| {
            for s in ws.stages_of(opp.pipeline) {
                if ui
                    .selectable_label_text(s.id == opp.stage, &s.name)
                    .clicked()
                {
                    picked = Some(s.id);
                }
            }
        });
    });
    picked
        .filter(|stage| *stage != opp.stage)
        .map(|stage| Action::Move { opp: opp.id, stage })
}

/// The salesperson as text; clicked (or Enter), the dropdown of the salespeople. The one
/// picked, when it changed.
fn salesperson_cell_ui(ui: &mut egui::Ui, ws: &Workspace, opp: &Opportunity) -> Option<Option<Id>> {
    let nobody = tr!("Nobody");
    let value = match ws.lookup_name(opp.salesperson) {
        "" => nobody.clone(),
        name => name.to_owned(),
    };
    let shown = if opp.salesperson.is_none() {
        muted(ui, value.clone())
    } else {
        RichText::new(&value)
    };
    let mut picked = None;
    ui.push_id(("salesperson", opp.id), |ui| {
        let name = tr!("Salesperson of {name}", name = opp.name);
        let response = dropdown_text_ui(ui, shown, &value, name);
        egui::Popup::menu(&response).show(|ui| {
            let choices = std::iter::once((None, nobody.as_str())).chain(
                ws.lookups(LookupKind::Salesperson)
                    .into_iter()
                    .map(|l| (Some(l.id), l.name.as_str())),
            );
            for (id, name) in choices {
                if ui
                    .selectable_label_text(id == opp.salesperson, name)
                    .clicked()
                {
                    picked = Some(id);
                }
            }
        });
    });
    picked.filter(|id| *id != opp.salesperson)
}

/// What an editable cell shows, and the text its editor starts with.
fn editable_text(opp: &Opportunity, column: ListColumn) -> (String, String) {
    match column {
        ListColumn::Amount => (
            format_money_cents(opp.amount, &opp.currency),
            editable(format_number(
                opp.amount,
                opp.amount.normalize().scale().min(2),
            )),
        ),
        ListColumn::Probability => (
            format_percent(opp.probability),
            opp.probability.normalize().to_string(),
        ),
        ListColumn::ExpectedClose => {
            let date = opp.expected_close.map(format_date).unwrap_or_default();
            (date.clone(), editable(date))
        }
        _ => (opp.next_step.clone(), opp.next_step.clone()),
    }
}

/// The editor of a cell: Enter or leaving the cell saves, Escape cancels.
fn edit_cell_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: &Opportunity,
    edit: &mut CellEdit,
) -> CellOutcome {
    let response = ui.add(egui::TextEdit::singleline(&mut edit.text).desired_width(f32::INFINITY));
    let response = response.accessible_name(tr!(
        "{field} of {name}",
        field = edit.column.label(),
        name = opp.name
    ));
    if std::mem::take(&mut edit.focus) {
        response.request_focus();
        return CellOutcome::Open;
    }
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        return CellOutcome::Cancel;
    }
    if !response.lost_focus() {
        return CellOutcome::Open;
    }
    let mut changed = opp.clone();
    let parsed = match edit.column {
        ListColumn::Amount => parse_amount(Field::Amount, &edit.text).map(|a| changed.amount = a),
        ListColumn::Probability => parse_probability(&edit.text).map(|p| {
            if let Some(stage) = ws.stage(opp.stage) {
                changed.set_probability(p, stage);
            }
        }),
        ListColumn::ExpectedClose => {
            parse_date(Field::ExpectedClose, &edit.text).map(|d| changed.expected_close = d)
        }
        _ => {
            changed.next_step = edit.text.trim().to_owned();
            Ok(())
        }
    };
    match parsed {
        Err(error) => {
            // Enter keeps the user in the cell to correct it; a click elsewhere leaves it.
            edit.focus = ui.input(|i| i.key_pressed(egui::Key::Enter));
            CellOutcome::Invalid(format!("{}: {error}", opp.name))
        }
        Ok(()) if changed == *opp => CellOutcome::Cancel,
        Ok(()) => CellOutcome::Send(update(changed)),
    }
}

/// Whether a column holds numbers, which line up at the cell's right edge.
pub(super) fn is_number(column: ListColumn) -> bool {
    matches!(
        column,
        ListColumn::Amount
            | ListColumn::Probability
            | ListColumn::Weighted
            | ListColumn::DaysInStage
    )
}

/// Lays out a number's cell from its right edge, in both reading directions: digits run left
/// to right in Persian too, and an amount's currency name follows it on the left, so only the
/// right edge lines up the units of every row.
pub(super) fn number_layout<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.with_layout(egui::Layout::right_to_left(Align::Center), add)
        .inner
}

fn update(opp: Opportunity) -> Command {
    Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    }
}
