//! What a search keeps: the fields of the filter bar and the advanced search, saved by name.

use chrono::{Datelike as _, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Calendar, Id, Opportunity};
use crate::i18n::jalali::JalaliDate;
use crate::tr;

/// Which expected-close dates to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseWindow {
    #[default]
    Any,
    Overdue,
    ThisWeek,
    ThisMonth,
    ThisQuarter,
}

impl CloseWindow {
    pub const ALL: [CloseWindow; 5] = [
        CloseWindow::Any,
        CloseWindow::Overdue,
        CloseWindow::ThisWeek,
        CloseWindow::ThisMonth,
        CloseWindow::ThisQuarter,
    ];

    pub fn label(self) -> String {
        match self {
            CloseWindow::Any => tr!("Any time"),
            CloseWindow::Overdue => tr!("Overdue"),
            CloseWindow::ThisWeek => tr!("This week"),
            CloseWindow::ThisMonth => tr!("This month"),
            CloseWindow::ThisQuarter => tr!("This quarter"),
        }
    }

    /// Whether a deal closing on `date` falls in the window, seen from `today`. Weeks start on
    /// the day the settings say.
    pub fn contains(self, opp: &Opportunity, today: NaiveDate) -> bool {
        let Some(date) = opp.expected_close else {
            return self == CloseWindow::Any;
        };
        let (start, end) = match self {
            CloseWindow::Any => return true,
            CloseWindow::Overdue => return opp.is_overdue(today),
            CloseWindow::ThisWeek => {
                let first = crate::i18n::week_start().weekday();
                let start = today - Days::new(today.weekday().days_since(first).into());
                (start, start + Days::new(7))
            }
            // In the Jalali calendar its month and its season (spring from Farvardin).
            CloseWindow::ThisMonth if crate::i18n::calendar() == Calendar::Jalali => {
                JalaliDate::from_gregorian(today).months_from_start(1)
            }
            CloseWindow::ThisQuarter if crate::i18n::calendar() == Calendar::Jalali => {
                JalaliDate::from_gregorian(today).months_from_start(3)
            }
            CloseWindow::ThisMonth => {
                let start = today.with_day(1).unwrap_or(today);
                (start, start + Months::new(1))
            }
            CloseWindow::ThisQuarter => {
                let month0 = (today.month0() / 3) * 3;
                let start = NaiveDate::from_ymd_opt(today.year(), month0 + 1, 1).unwrap_or(today);
                (start, start + Months::new(3))
            }
        };
        start <= date && date < end
    }
}

/// Active deals, archived ones, or both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[default]
    Active,
    Archived,
    All,
    /// Active deals that sat in their stage longer than its threshold.
    Stale,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Active, Status::Archived, Status::All, Status::Stale];

    pub fn label(self) -> String {
        match self {
            Status::Active => tr!("Active"),
            Status::Archived => tr!("Archived"),
            Status::All => tr!("Active and archived"),
            Status::Stale => tr!("Stale (in their stage too long)"),
        }
    }
}

/// What the board and the list show. The default shows every active deal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Matched, ignoring case, against the deal's name, account, next step and description.
    pub text: String,
    pub salesperson: Option<Id>,
    pub close: CloseWindow,
    pub stage: Option<Id>,
    pub source: Option<Id>,
    pub campaign: Option<Id>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount_min: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount_max: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub probability_min: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub probability_max: Option<Decimal>,
    /// Expected close from this day on (inclusive).
    pub close_from: Option<NaiveDate>,
    /// Expected close up to this day (inclusive).
    pub close_to: Option<NaiveDate>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub status: Status,
    /// Only deals in (true) or out of (false) the forecast.
    pub forecast: Option<bool>,
    /// Show the deals in the trash instead of the others (the list's trash view).
    pub trash: bool,
}

/// A filter the user named, to pick again later from the board or the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedFilter {
    pub id: Id,
    pub name: String,
    pub filter: Filter,
}

fn within<T: PartialOrd>(value: Option<T>, min: Option<T>, max: Option<T>) -> bool {
    match value {
        Some(v) => min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m),
        None => min.is_none() && max.is_none(),
    }
}

impl Filter {
    /// Whether the filter shows every active deal.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && *self
                == Filter {
                    text: self.text.clone(),
                    ..Filter::default()
                }
    }

    /// Whether the fields that need no other record let `opp` through (all but the text and
    /// the trash, which need the account's name and the trash).
    pub fn matches_fields(&self, opp: &Opportunity, today: NaiveDate) -> bool {
        // The trash view shows every trashed deal, archived or not.
        let status = self.trash
            || match self.status {
                // Whether an active deal is stale needs its stage: the workspace checks that.
                Status::Active | Status::Stale => opp.active,
                Status::Archived => !opp.active,
                Status::All => true,
            };
        let lookup = |wanted: Option<Id>, value: Option<Id>| wanted.is_none() || wanted == value;
        status
            && self.stage.is_none_or(|s| s == opp.stage)
            && lookup(self.salesperson, opp.salesperson)
            && lookup(self.source, opp.source)
            && lookup(self.campaign, opp.campaign)
            && self.forecast.is_none_or(|f| f == opp.forecast)
            && self.close.contains(opp, today)
            && within(Some(opp.amount), self.amount_min, self.amount_max)
            && within(
                Some(opp.probability),
                self.probability_min,
                self.probability_max,
            )
            && within(opp.expected_close, self.close_from, self.close_to)
            && within(
                Some(opp.created.date_naive()),
                self.created_from,
                self.created_to,
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn close_windows_are_calendar_periods() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(); // a Sunday
        let opp_dates = |d: Option<NaiveDate>| CloseWindow::ALL.map(|w| w.contains(&opp(d), today));
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
        // Any, Overdue, ThisWeek, ThisMonth, ThisQuarter
        assert_eq!(opp_dates(d(11, 16)), [true, true, true, true, true]);
        assert_eq!(opp_dates(d(11, 15)), [true, true, false, true, true]);
        assert_eq!(opp_dates(d(11, 30)), [true, false, false, true, true]);
        assert_eq!(opp_dates(d(12, 31)), [true, false, false, false, true]);
        assert_eq!(opp_dates(d(9, 30)), [true, true, false, false, false]);
        assert_eq!(opp_dates(None), [true, false, false, false, false]);
    }

    fn opp(expected_close: Option<NaiveDate>) -> Opportunity {
        let mut opp = crate::domain::test_support::opportunity(1, 3, "Acme");
        opp.expected_close = expected_close;
        opp
    }
}
