//! The bar above the list while rows are selected: set the same fields on every selected deal
//! in one command (one transaction, one undo step).

use crate::ui::text::bidi;
use std::collections::HashSet;

use egui::RichText;

use super::app::Action;
use super::widgets::{forecast_combo, optional_stage_combo};
use crate::command::{Command, MassPatch};
use crate::domain::{Field, Id, LookupKind, parse_date};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// What the user has chosen so far; every field starts as "keep".
#[derive(Default)]
pub struct MassUpdateBar {
    patch: MassPatch,
    close_text: String,
}

impl MassUpdateBar {
    /// Draws the bar for `selection`; returns the command once the user applies it.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        selection: &HashSet<Id>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let keep = tr!("Keep");
        ui.horizontal_wrapped(|ui| {
            ui.label(bidi(
                ui,
                RichText::new(trn!(selection.len(), "{n} selected")).strong(),
            ));
            ui.separator();
            optional_stage_combo(ui, ws, &mut self.patch.stage, &keep);
            for (field, kind) in [
                (Field::Salesperson, LookupKind::Salesperson),
                (Field::Source, LookupKind::Source),
                (Field::Campaign, LookupKind::Campaign),
            ] {
                let value = match kind {
                    LookupKind::Salesperson => &mut self.patch.salesperson,
                    LookupKind::Source => &mut self.patch.source,
                    _ => &mut self.patch.campaign,
                };
                keep_or_lookup_ui(ui, field, kind, ws, value, &keep);
            }
            let label = ui.label(bidi(ui, Field::ExpectedClose.label()));
            ui.add(
                egui::TextEdit::singleline(&mut self.close_text)
                    .hint_text(bidi(ui, tr!("keep")))
                    .desired_width(90.0),
            )
            .labelled_by(label.id);
            forecast_combo(ui, &mut self.patch.forecast, &keep);
            ui.separator();
            let apply = trn!(selection.len(), "Apply to {n} deals");
            if ui.button(bidi(ui, RichText::new(apply).strong())).clicked() {
                // The ids are listed only when applied: a selection can hold a million deals.
                let mut ids: Vec<Id> = selection.iter().copied().collect();
                ids.sort_unstable();
                actions.extend(self.command(ids));
            }
        });
        actions
    }

    /// The mass update, or a message when the date does not parse or nothing was chosen.
    fn command(&mut self, ids: Vec<Id>) -> Option<Action> {
        let mut patch = self.patch.clone();
        if !self.close_text.trim().is_empty() {
            match parse_date(Field::ExpectedClose, &self.close_text) {
                Ok(date) => patch.expected_close = Some(date),
                Err(e) => return Some(Action::Error(e.to_string())),
            }
        }
        if patch.is_empty() {
            return Some(Action::Error(tr!("Choose at least one field to change.")));
        }
        *self = MassUpdateBar::default();
        Some(Action::Apply(Command::MassUpdate { ids, patch }))
    }
}

/// A dropdown offering "keep", "none" and the lookup's values.
fn keep_or_lookup_ui(
    ui: &mut egui::Ui,
    field: Field,
    kind: LookupKind,
    ws: &Workspace,
    value: &mut Option<Option<Id>>,
    keep: &str,
) {
    let label = ui.label(bidi(ui, field.label()));
    let none = tr!("None");
    let shown = match value {
        None => keep.to_owned(),
        Some(None) => none.clone(),
        Some(Some(id)) => ws.lookup_name(Some(*id)).to_owned(),
    };
    egui::ComboBox::from_id_salt(("mass", kind as u8))
        .selected_text(bidi(ui, shown))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, bidi(ui, keep));
            ui.selectable_value(value, Some(None), bidi(ui, &none));
            for lookup in ws.lookups(kind) {
                ui.selectable_value(value, Some(Some(lookup.id)), bidi(ui, &lookup.name));
            }
        })
        .response
        .labelled_by(label.id);
}
