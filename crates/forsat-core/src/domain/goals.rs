//! Goals: what the user means to win, add or do per week, month, quarter or year, for
//! everyone or one salesperson (as Pipedrive's goals; progress is worked out by
//! `analytics::reports::goals`).

use chrono::{Datelike as _, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::rules::check_amount;
use super::{Field, FieldError, Id, Problem, parse_amount};
use crate::i18n::jalali::JalaliDate;
use crate::i18n::{Calendar, calendar};
use crate::tr;

/// A target for one measure in each period of one length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: Id,
    /// The salesperson whose deals count; None for everyone's.
    pub salesperson: Option<Id>,
    pub measure: Measure,
    pub every: Every,
    /// In the base currency for [`Measure::WonValue`], a count otherwise.
    #[serde(with = "rust_decimal::serde::str")]
    pub target: Decimal,
}

impl Goal {
    /// Its target read from what the user typed: more than nothing, in money (two decimals at
    /// most) or a whole count as its measure asks.
    pub fn parse_target(measure: Measure, text: &str) -> Result<Decimal, FieldError> {
        let value = parse_amount(Field::Target, text)?;
        Goal::check_target(measure, value)?;
        Ok(value)
    }

    /// Whether its target is one [`Goal::parse_target`] takes.
    pub fn check(&self) -> Result<(), FieldError> {
        check_amount(Field::Target, self.target)?;
        Goal::check_target(self.measure, self.target)
    }

    fn check_target(measure: Measure, value: Decimal) -> Result<(), FieldError> {
        if value <= Decimal::ZERO {
            return Err(FieldError::new(Field::Target, Problem::NotPositive));
        }
        if !measure.is_money() && !value.fract().is_zero() {
            return Err(FieldError::new(Field::Target, Problem::NotWhole));
        }
        Ok(())
    }
}

impl Goal {
    /// Whether `other` counts the same thing for the same people over the same periods (a
    /// second target for it would be a duplicate: setting it changes the target).
    pub fn same_as(&self, other: &Goal) -> bool {
        (self.salesperson, self.measure, self.every)
            == (other.salesperson, other.measure, other.every)
    }
}

/// What a goal counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// The amounts of the deals won in the period, in the base currency (other currencies at
    /// their rate).
    #[default]
    WonValue,
    /// How many deals were won in the period.
    WonCount,
    /// How many deals were created in the period.
    DealsAdded,
    /// How many activities due in the period are done.
    ActivitiesDone,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::WonValue,
        Measure::WonCount,
        Measure::DealsAdded,
        Measure::ActivitiesDone,
    ];

    pub fn label(self) -> String {
        match self {
            Measure::WonValue => tr!("Won value"),
            Measure::WonCount => tr!("Deals won"),
            Measure::DealsAdded => tr!("Deals added"),
            Measure::ActivitiesDone => tr!("Activities done"),
        }
    }

    /// Its name on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Measure::WonValue => "won_value",
            Measure::WonCount => "won_count",
            Measure::DealsAdded => "deals_added",
            Measure::ActivitiesDone => "activities_done",
        }
    }

    /// Whether it is money (else a count).
    pub fn is_money(self) -> bool {
        self == Measure::WonValue
    }
}

/// The length of a goal's periods, in the calendar in use: Jalali months, seasons and years
/// in the Jalali calendar, its weeks from Saturday.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Every {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
}

impl Every {
    pub const ALL: [Every; 4] = [Every::Week, Every::Month, Every::Quarter, Every::Year];

    pub fn label(self) -> String {
        match self {
            Every::Week => tr!("Weekly"),
            Every::Month => tr!("Monthly"),
            Every::Quarter => tr!("Quarterly"),
            Every::Year => tr!("Yearly"),
        }
    }

    /// The period of this length holding today, as a choice.
    pub fn current_label(self) -> String {
        match self {
            Every::Week => tr!("This week"),
            Every::Month => tr!("This month"),
            Every::Quarter => tr!("This quarter"),
            Every::Year => tr!("This year"),
        }
    }

    /// Its name on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Every::Week => "week",
            Every::Month => "month",
            Every::Quarter => "quarter",
            Every::Year => "year",
        }
    }

    /// The period `day` falls in: its first day and the first day after it.
    pub fn bounds(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        let jalali = calendar() == Calendar::Jalali;
        match self {
            Every::Week => {
                let first = first_weekday();
                let start = day - Days::new(day.weekday().days_since(first).into());
                (start, start + Days::new(7))
            }
            Every::Month if jalali => JalaliDate::from_gregorian(day).months_from_start(1),
            Every::Quarter if jalali => JalaliDate::from_gregorian(day).months_from_start(3),
            Every::Year if jalali => JalaliDate::from_gregorian(day).months_from_start(12),
            Every::Month | Every::Quarter | Every::Year => {
                let months = match self {
                    Every::Month => 1,
                    Every::Quarter => 3,
                    _ => 12,
                };
                let month0 = day.month0() / months * months;
                let start = NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).unwrap_or(day);
                (start, start + Months::new(months))
            }
        }
    }
}

/// The day weeks start on: Saturday in the Jalali calendar (Iran's week), else the one the
/// settings say.
pub fn first_weekday() -> chrono::Weekday {
    match calendar() {
        Calendar::Jalali => chrono::Weekday::Sat,
        Calendar::Gregorian => crate::i18n::week_start().weekday(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_in_the_gregorian_calendar() {
        let today = day("2026-12-04");
        assert_eq!(
            Every::Month.bounds(today),
            (day("2026-12-01"), day("2027-01-01"))
        );
        assert_eq!(
            Every::Quarter.bounds(today),
            (day("2026-10-01"), day("2027-01-01"))
        );
        assert_eq!(
            Every::Year.bounds(today),
            (day("2026-01-01"), day("2027-01-01"))
        );
        // 4 Dec 2026 is a Friday; weeks start on Monday by default.
        assert_eq!(
            Every::Week.bounds(today),
            (day("2026-11-30"), day("2026-12-07"))
        );
    }

    #[test]
    fn periods_in_the_jalali_calendar() {
        crate::i18n::speak(crate::i18n::Language::Persian);
        let today = day("2026-12-04"); // 13 Azar 1405
        // Azar 1405: 22 Nov to 21 Dec; autumn: 23 Sep to 21 Dec; 1405: 21 Mar 2026 to 20 Mar 2027.
        assert_eq!(
            Every::Month.bounds(today),
            (day("2026-11-22"), day("2026-12-22"))
        );
        assert_eq!(
            Every::Quarter.bounds(today),
            (day("2026-09-23"), day("2026-12-22"))
        );
        assert_eq!(
            Every::Year.bounds(today),
            (day("2026-03-21"), day("2027-03-21"))
        );
        // The week from Saturday 28 Nov.
        assert_eq!(
            Every::Week.bounds(today),
            (day("2026-11-28"), day("2026-12-05"))
        );
    }
}
