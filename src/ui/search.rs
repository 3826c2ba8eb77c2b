//! The advanced search (ranges, lookups, status, forecast) and the saved searches, shared by
//! the board and the list.

use crate::ui::text::bidi;
use egui::RichText;

use super::app::Action;
use super::theme;
use super::widgets::{forecast_combo, lookup_combo, optional_stage_combo};
use crate::command::Command;
use crate::domain::*;
use crate::i18n::{editable, format_date, format_number};
use crate::tr;
use crate::workspace::Workspace;

/// A bound of a range in the advanced search, typed as text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    AmountMin,
    AmountMax,
    ProbabilityMin,
    ProbabilityMax,
    CloseFrom,
    CloseTo,
    CreatedFrom,
    CreatedTo,
}

impl Bound {
    const ALL: [Bound; 8] = [
        Bound::AmountMin,
        Bound::AmountMax,
        Bound::ProbabilityMin,
        Bound::ProbabilityMax,
        Bound::CloseFrom,
        Bound::CloseTo,
        Bound::CreatedFrom,
        Bound::CreatedTo,
    ];

    fn label(self) -> String {
        match self {
            Bound::AmountMin => tr!("Amount from"),
            Bound::AmountMax => tr!("Amount to"),
            Bound::ProbabilityMin => tr!("Probability from"),
            Bound::ProbabilityMax => tr!("Probability to"),
            Bound::CloseFrom => tr!("Closing from"),
            Bound::CloseTo => tr!("Closing to"),
            Bound::CreatedFrom => tr!("Created from"),
            Bound::CreatedTo => tr!("Created to"),
        }
    }

    /// The bound as the filter holds it, as text.
    fn text(self, f: &Filter) -> String {
        let money = |v: Option<rust_decimal::Decimal>| {
            v.map(|v| editable(format_number(v, v.normalize().scale().min(2))))
                .unwrap_or_default()
        };
        let date =
            |d: Option<chrono::NaiveDate>| d.map(|d| editable(format_date(d))).unwrap_or_default();
        match self {
            Bound::AmountMin => money(f.amount_min),
            Bound::AmountMax => money(f.amount_max),
            Bound::ProbabilityMin => money(f.probability_min),
            Bound::ProbabilityMax => money(f.probability_max),
            Bound::CloseFrom => date(f.close_from),
            Bound::CloseTo => date(f.close_to),
            Bound::CreatedFrom => date(f.created_from),
            Bound::CreatedTo => date(f.created_to),
        }
    }

    /// Parses `text` into the filter; empty clears the bound.
    fn set(self, f: &mut Filter, text: &str) -> Result<(), FieldError> {
        let amount = |t: &str| match t.trim() {
            "" => Ok(None),
            t => parse_amount(Field::Amount, t).map(Some),
        };
        let probability = |t: &str| match t.trim() {
            "" => Ok(None),
            t => parse_probability(t).map(Some),
        };
        match self {
            Bound::AmountMin => f.amount_min = amount(text)?,
            Bound::AmountMax => f.amount_max = amount(text)?,
            Bound::ProbabilityMin => f.probability_min = probability(text)?,
            Bound::ProbabilityMax => f.probability_max = probability(text)?,
            Bound::CloseFrom => f.close_from = parse_date(Field::ExpectedClose, text)?,
            Bound::CloseTo => f.close_to = parse_date(Field::ExpectedClose, text)?,
            Bound::CreatedFrom => f.created_from = parse_date(Field::Closed, text)?,
            Bound::CreatedTo => f.created_to = parse_date(Field::Closed, text)?,
        }
        Ok(())
    }
}

/// The advanced search's state: whether it is open, the typed bounds, the name to save under.
#[derive(Default)]
pub struct Search {
    open: bool,
    texts: [String; 8],
    /// The filter as this panel last left it: a difference means it changed elsewhere
    /// (cleared, or a saved search picked), and the typed bounds are reloaded from it.
    last: Filter,
    errors: Vec<String>,
    save_name: String,
}

impl Search {
    /// The "More filters" toggle and the "Saved searches" menu, for the top bar.
    pub fn buttons_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        filter: &mut Filter,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        if ui
            .toggle_value(&mut self.open, tr!("More filters"))
            .clicked()
            && self.open
        {
            self.load(filter);
        }
        ui.menu_button(bidi(ui, tr!("Saved searches")), |ui| {
            let saved = ws.saved_filters();
            if saved.is_empty() {
                ui.label(bidi(
                    ui,
                    RichText::new(tr!("No saved searches yet")).color(theme::TEXT_MUTED),
                ));
            }
            for s in saved {
                ui.horizontal(|ui| {
                    if ui.button(bidi(ui, &s.name)).clicked() {
                        *filter = s.filter.clone();
                        self.load(filter);
                        ui.close();
                    }
                    let forget = ui
                        .small_button(bidi(ui, tr!("Delete")))
                        .accessible_name(tr!("Delete the saved search {name}", name = s.name));
                    if forget.clicked() {
                        actions.push(Action::Apply(Command::DeleteSavedFilter { id: s.id }));
                    }
                });
            }
            ui.separator();
            let label = ui.label(bidi(ui, tr!("Save the current search as")));
            ui.add(egui::TextEdit::singleline(&mut self.save_name).desired_width(180.0))
                .labelled_by(label.id);
            let save = ui.add_enabled(
                !self.save_name.trim().is_empty(),
                egui::Button::new(bidi(ui, tr!("Save search"))),
            );
            if save.clicked() {
                actions.push(Action::Apply(Command::SaveFilter {
                    name: std::mem::take(&mut self.save_name),
                    filter: Box::new(filter.clone()),
                }));
                ui.close();
            }
        });
        actions
    }

    /// Whether the advanced panel is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Refreshes the typed bounds from `filter` (after a saved search was picked).
    fn load(&mut self, filter: &Filter) {
        self.texts = Bound::ALL.map(|b| b.text(filter));
        self.last = filter.clone();
        self.errors.clear();
    }

    /// The advanced panel: lookups, ranges, status and forecast.
    pub fn panel_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, filter: &mut Filter) {
        if *filter != self.last {
            self.load(filter);
        }
        ui.horizontal_wrapped(|ui| {
            let none = tr!("Any");
            optional_stage_combo(ui, ws, &mut filter.stage, &none);
            for (field, kind) in [
                (Field::Source, LookupKind::Source),
                (Field::Campaign, LookupKind::Campaign),
            ] {
                let label = ui.label(bidi(ui, field.label()));
                let value = if kind == LookupKind::Source {
                    &mut filter.source
                } else {
                    &mut filter.campaign
                };
                lookup_combo(ui, label.id, ws, kind, value, &none);
            }
            let label = ui.label(bidi(ui, tr!("Status")));
            egui::ComboBox::from_id_salt("search_status")
                .selected_text(bidi(ui, filter.status.label()))
                .show_ui(ui, |ui| {
                    for s in Status::ALL {
                        ui.selectable_value(&mut filter.status, s, bidi(ui, s.label()));
                    }
                })
                .response
                .labelled_by(label.id);
            forecast_combo(ui, &mut filter.forecast, &none);
        });
        ui.horizontal_wrapped(|ui| {
            let mut errors = Vec::new();
            let names = [
                tr!("Amount"),
                tr!("Probability"),
                tr!("Closing"),
                tr!("Created"),
            ];
            for (i, (bound, text)) in Bound::ALL.into_iter().zip(&mut self.texts).enumerate() {
                // Bounds come in pairs: "Amount [from] – [to]".
                if i % 2 == 0 {
                    ui.label(bidi(ui, &names[i / 2]));
                } else {
                    ui.label(bidi(ui, "–"));
                }
                ui.add(egui::TextEdit::singleline(text).desired_width(85.0))
                    .accessible_name(bound.label());
                // The filter keeps its bound while the text does not parse.
                if let Err(e) = bound.set(filter, text) {
                    errors.push(format!("{}: {}", bound.label(), e.reason()));
                }
                if i % 2 == 1 {
                    ui.add_space(12.0);
                }
            }
            self.errors = errors;
        });
        for error in &self.errors {
            ui.label(bidi(ui, RichText::new(error).color(theme::ERROR)));
        }
        self.last = filter.clone();
    }
}
