//! The merge dialog: duplicates side by side, the user picks the record to keep and, field by
//! field, whose value it takes.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashMap;

use egui::RichText;

use super::theme;
use crate::command::{Command, Moves};
use crate::domain::{Field, Id, Line, Opportunity, Rates};
use crate::i18n::{format_date, format_money, format_percent};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The fields whose value the user picks.
const FIELDS: [Field; 12] = [
    Field::Name,
    Field::Account,
    Field::Stage,
    Field::Amount,
    Field::Probability,
    Field::ExpectedClose,
    Field::Salesperson,
    Field::Source,
    Field::Campaign,
    Field::NextStep,
    Field::Description,
    Field::Priority,
];

/// A merge being prepared.
pub struct MergeDialog {
    ids: Vec<Id>,
    survivor: Id,
    /// Whose value each field takes; a field not here takes the survivor's.
    picks: HashMap<Field, Id>,
}

/// What the user did with the dialog this frame.
pub enum MergeOutcome {
    Open,
    Cancel,
    Merge(Command),
}

impl MergeDialog {
    /// Merging `ids` (two or more); the oldest is kept unless the user picks another.
    pub fn new(ids: Vec<Id>) -> Self {
        let survivor = ids.iter().copied().min().unwrap_or_default();
        MergeDialog {
            ids,
            survivor,
            picks: HashMap::new(),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> MergeOutcome {
        let records: Vec<&Opportunity> = self
            .ids
            .iter()
            .filter_map(|id| ws.opportunity(*id))
            .collect();
        if records.len() < 2 {
            return MergeOutcome::Cancel;
        }
        ui.text(RichText::new(tr!("Merge duplicates")).heading());
        ui.text(
            RichText::new(tr!(
                "Pick the deal to keep and, for each field, the value it keeps. The others move to the trash; their history and stage moves go to the kept deal."
            ))
            .color(theme::colors(ui).text_muted));
        ui.add_space(6.0);
        direction::grid_scope(ui, |ui| {
            egui::Grid::new("merge_grid")
                .num_columns(records.len() + 1)
                .spacing([14.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    ui.label("");
                    for (i, r) in records.iter().enumerate() {
                        ui.radio_value_text(&mut self.survivor, r.id, trn!(i + 1, "Keep deal {n}"));
                    }
                    ui.end_row();
                    for field in FIELDS {
                        ui.text(field.label());
                        for r in &records {
                            let chosen = self.picks.get(&field).copied().unwrap_or(self.survivor);
                            let text = value(ws, r, field);
                            let shown = if text.is_empty() {
                                "—".to_owned()
                            } else {
                                text
                            };
                            if ui
                                .radio(chosen == r.id, shown)
                                .on_hover_text(ui.rtl(field.label()))
                                .clicked()
                            {
                                self.picks.insert(field, r.id);
                            }
                        }
                        ui.end_row();
                    }
                })
        });
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui
                .button_text(RichText::new(tr!("Merge")).strong())
                .clicked()
            {
                MergeOutcome::Merge(self.command(&records, ws.rates()))
            } else if ui.button_text(tr!("Cancel")).clicked() {
                MergeOutcome::Cancel
            } else {
                MergeOutcome::Open
            }
        })
        .inner
    }

    /// The kept deal with the picked values and everyone's product lines.
    fn command(&self, records: &[&Opportunity], rates: &Rates) -> Command {
        let find = |id: Id| records.iter().find(|r| r.id == id).copied();
        let mut survivor = find(self.survivor)
            .cloned()
            .unwrap_or_else(|| records[0].clone());
        let own_currency = survivor.currency.clone();
        for (field, from) in &self.picks {
            if let Some(from) = find(*from) {
                take(&mut survivor, from, *field);
            }
        }
        let to = survivor.currency.clone();
        for line in &mut survivor.lines {
            line.unit_price = rates.convert(line.unit_price, &own_currency, &to);
        }
        let merged: Vec<Id> = records
            .iter()
            .map(|r| r.id)
            .filter(|id| *id != survivor.id)
            .collect();
        // Lines priced in another currency are converted to the kept deal's.
        for r in records.iter().filter(|r| merged.contains(&r.id)) {
            survivor.lines.extend(r.lines.iter().map(|l| Line {
                unit_price: rates.convert(l.unit_price, &r.currency, &survivor.currency),
                ..l.clone()
            }));
        }
        Command::Merge {
            survivor: Box::new(survivor),
            merged,
            moves: Moves::default(),
        }
    }
}

/// Copies one field's value from `from` into `to`.
fn take(to: &mut Opportunity, from: &Opportunity, field: Field) {
    match field {
        Field::Name => to.name = from.name.clone(),
        Field::Account => {
            // A contact belongs to its account.
            to.account = from.account;
            to.contact = from.contact;
        }
        Field::Stage => {
            to.pipeline = from.pipeline;
            to.stage = from.stage;
            to.loss_reason = from.loss_reason;
        }
        // An amount comes with its currency and how it was made.
        Field::Amount => {
            to.amount = from.amount;
            to.currency = from.currency.clone();
            to.amount_mode = from.amount_mode;
        }
        Field::Probability => {
            to.probability = from.probability;
            to.probability_overridden = from.probability_overridden;
        }
        Field::ExpectedClose => to.expected_close = from.expected_close,
        Field::Salesperson => to.salesperson = from.salesperson,
        Field::Source => to.source = from.source,
        Field::Campaign => to.campaign = from.campaign,
        Field::NextStep => to.next_step = from.next_step.clone(),
        Field::Description => to.description = from.description.clone(),
        _ => to.priority = from.priority,
    }
}

/// A field's value as shown in the dialog.
fn value(ws: &Workspace, opp: &Opportunity, field: Field) -> String {
    match field {
        Field::Name => opp.name.clone(),
        Field::Account => ws
            .account(opp.account)
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        Field::Stage => ws
            .stage(opp.stage)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        Field::Amount => format_money(opp.amount, &opp.currency),
        Field::Probability => format_percent(opp.probability),
        Field::ExpectedClose => opp.expected_close.map(format_date).unwrap_or_default(),
        Field::Salesperson => ws.lookup_name(opp.salesperson).to_owned(),
        Field::Source => ws.lookup_name(opp.source).to_owned(),
        Field::Campaign => ws.lookup_name(opp.campaign).to_owned(),
        Field::NextStep => opp.next_step.clone(),
        Field::Description => opp.description.chars().take(60).collect(),
        _ => trn!(opp.priority, "{n} of 3 stars"),
    }
}
