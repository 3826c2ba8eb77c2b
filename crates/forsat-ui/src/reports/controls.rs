//! The settings of the report cards: ranges (presets or dates typed in the user's format),
//! month or quarter, and how the revenue and won-and-lost cards group deals.

use crate::ui_ext::UiExt;
use chrono::{Datelike as _, Days, Months, NaiveDate};
use egui::RichText;

use super::super::theme;
use super::{Card, CardState};
use crate::analytics::reports::{self, GroupBy, Params, Period, WinLossBy};
use crate::domain::{Field, parse_date};
use crate::i18n::{editable, format_date};
use crate::tr;

/// The ranges offered by the cards that look at a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) enum Range {
    /// No dates given: the report's own default (two years back to one forward; all time for
    /// won and lost).
    Standard,
    ThisYear,
    LastYear,
    Next12Months,
    Last12Months,
}

impl Range {
    /// Won and lost deals are in the past; the forecast and the grid look ahead too.
    pub(super) fn offered(card: Card) -> [Range; 4] {
        let last = if card.looks_back() {
            Range::Last12Months
        } else {
            Range::Next12Months
        };
        [Range::Standard, Range::ThisYear, Range::LastYear, last]
    }

    pub(super) fn label(self, card: Card) -> String {
        match self {
            Range::Standard if card.looks_back() => tr!("All time"),
            Range::Standard => tr!("Last 2 years to next year"),
            Range::ThisYear => tr!("This year"),
            Range::LastYear => tr!("Last year"),
            Range::Next12Months => tr!("Next 12 months"),
            Range::Last12Months => tr!("Last 12 months"),
        }
    }

    pub(super) fn dates(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let year = |y| {
            (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            )
        };
        let month = today.with_day(1).expect("day 1 exists");
        let last_day = |start: NaiveDate, months| {
            start
                .checked_add_months(Months::new(months))
                .and_then(|d| d.checked_sub_days(Days::new(1)))
        };
        match self {
            Range::Standard => (None, None),
            Range::ThisYear => year(today.year()),
            Range::LastYear => year(today.year() - 1),
            Range::Next12Months => (Some(month), last_day(month, 12)),
            Range::Last12Months => (
                month.checked_sub_months(Months::new(11)),
                last_day(month, 1),
            ),
        }
    }
}

/// The period a card's report covers, when it has one.
pub(super) fn range_mut(
    params: &mut Params,
) -> Option<(&mut Option<NaiveDate>, &mut Option<NaiveDate>)> {
    match params {
        Params::Forecast { from, to, .. }
        | Params::WinLoss { from, to, .. }
        | Params::Grid { from, to, .. }
        | Params::Velocity { from, to, .. } => Some((from, to)),
        Params::Pipeline { .. }
        | Params::Funnel
        | Params::Leakage
        | Params::Calibration
        | Params::Goals
        | Params::Slipped { .. } => None,
    }
}

/// A date typed in the user's format. While the text does not parse, the last date that did
/// stays in force and the field says what is wrong.
#[derive(Default)]
pub(super) struct DateField {
    text: String,
    pub(super) value: Option<NaiveDate>,
    error: Option<String>,
}

impl DateField {
    pub(super) fn set(&mut self, value: Option<NaiveDate>) {
        self.text = value.map(|d| editable(format_date(d))).unwrap_or_default();
        self.value = value;
        self.error = None;
    }

    /// The field labelled `label`; true when its date changed.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, name: &str) -> bool {
        let label = ui.text(name);
        let hint = crate::i18n::date_hint();
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text(ui.rtl(hint))
                    .desired_width(92.0),
            )
            .labelled_by(label.id);
        let today = chrono::Utc::now().date_naive();
        let picked = crate::date_picker::picker_button(ui, &mut self.text, today, name);
        let mut changed = false;
        if response.changed() || picked {
            // Only the reason is shown: the label beside the field names it.
            match parse_date(Field::ExpectedClose, &self.text) {
                Ok(value) => {
                    changed = value != self.value;
                    self.value = value;
                    self.error = None;
                }
                Err(e) => self.error = Some(e.reason()),
            }
        }
        if let Some(error) = &self.error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        changed
    }
}

pub(super) fn group_label(by: GroupBy) -> String {
    match by {
        GroupBy::Stage => tr!("Stage"),
        GroupBy::Salesperson => tr!("Salesperson"),
        GroupBy::Source => tr!("Source"),
        GroupBy::Month => tr!("Expected-close month"),
    }
}

pub(super) fn winloss_label(by: WinLossBy) -> String {
    match by {
        WinLossBy::Reason => tr!("Loss reason"),
        WinLossBy::Competitor => tr!("Competitor"),
        WinLossBy::Source => tr!("Source"),
        WinLossBy::Salesperson => tr!("Salesperson"),
    }
}

/// Month or quarter, named per card so each toggle has its own accessible name.
pub(super) fn period_ui(ui: &mut egui::Ui, title: &str, by: &mut Period) {
    for (choice, name, accessible) in [
        (
            Period::Month,
            tr!("Month"),
            tr!("{report} by month", report = title),
        ),
        (
            Period::Quarter,
            tr!("Quarter"),
            tr!("{report} by quarter", report = title),
        ),
    ] {
        let response = ui
            .selectable_label_text(*by == choice, name)
            .accessible_name(accessible);
        if response.clicked() {
            *by = choice;
        }
    }
}

/// The range of a card with a period: a preset, or dates typed.
pub(super) fn range_ui(ui: &mut egui::Ui, card: Card, state: &mut CardState, today: NaiveDate) {
    let label = ui.text(tr!("Period"));
    let mut range = state.range;
    let custom = tr!("Dates…");
    egui::ComboBox::from_id_salt(("report_range", card.index()))
        .selected_text(ui.rtl(range.map_or(custom.clone(), |r| r.label(card))))
        .show_ui(ui, |ui| {
            for choice in Range::offered(card) {
                ui.selectable_value_text(&mut range, Some(choice), choice.label(card));
            }
            ui.selectable_value_text(&mut range, None, custom);
        })
        .response
        .labelled_by(label.id);
    let Some((from, to)) = range_mut(&mut state.params) else {
        return;
    };
    if range != state.range {
        state.range = range;
        match range {
            Some(preset) => (*from, *to) = preset.dates(today),
            None => {
                // Typed dates start from what the card shows now; the open default ends
                // of the forecast and the grid are their default period.
                let (default_from, default_to) = if card.looks_back() {
                    (None, None)
                } else {
                    let (f, t) = reports::default_period(today);
                    (Some(f), Some(t))
                };
                state.from.set(from.or(default_from));
                state.to.set(to.or(default_to));
                (*from, *to) = (state.from.value, state.to.value);
            }
        }
    }
    if state.range.is_none() {
        if state.from.ui(ui, &tr!("From")) {
            *from = state.from.value;
        }
        if state.to.ui(ui, &tr!("To")) {
            *to = state.to.value;
        }
    }
}
