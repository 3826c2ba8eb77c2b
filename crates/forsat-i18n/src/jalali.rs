//! The Jalali (Solar Hijri) calendar, by ICU's Persian calendar: conversion, month and
//! season names. Dates are stored Gregorian; this is how they are shown and typed in Iran.

use chrono::{Datelike as _, NaiveDate};
use icu_calendar::{Date, Iso, cal::Persian};

use crate::tr;

/// A day of the Jalali calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct JalaliDate {
    pub year: i32,
    /// 1 (Farvardin) to 12 (Esfand).
    pub month: u8,
    pub day: u8,
}

impl JalaliDate {
    /// The Jalali day of a Gregorian date.
    pub fn from_gregorian(date: NaiveDate) -> JalaliDate {
        let month = u8::try_from(date.month()).unwrap_or(1);
        let day = u8::try_from(date.day()).unwrap_or(1);
        let persian = Date::try_new_iso(date.year(), month, day)
            .map(|iso| iso.to_calendar(Persian))
            .expect("a chrono date is a valid ISO date");
        JalaliDate {
            year: persian.year().extended_year(),
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        }
    }

    /// The Gregorian date of a Jalali day; None when there is no such day (Esfand 30 of a
    /// common year, month 13).
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        let iso: Date<Iso> = Date::try_new_persian(self.year, self.month, self.day)
            .ok()?
            .to_calendar(Iso);
        NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            u32::from(iso.month().ordinal),
            u32::from(iso.day_of_month().0),
        )
    }

    /// How many days its month has (29 or 30 for Esfand, by leap year).
    pub fn days_in_month(self) -> u8 {
        Date::try_new_persian(self.year, self.month, 1).map_or(30, |d| d.days_in_month())
    }

    /// The first day of the next month.
    pub fn next_month(self) -> JalaliDate {
        match self.month {
            12 => JalaliDate {
                year: self.year + 1,
                month: 1,
                day: 1,
            },
            m => JalaliDate {
                month: m + 1,
                day: 1,
                ..self
            },
        }
    }

    /// The first day of the period of `months` months (1: its month, 3: its season) this day
    /// falls in, and the first day after it, as Gregorian dates.
    pub fn months_from_start(self, months: u8) -> (NaiveDate, NaiveDate) {
        let first_month = (self.month - 1) / months * months + 1;
        let start = JalaliDate {
            month: first_month,
            day: 1,
            ..self
        };
        let end = (0..months).fold(start, |day, _| day.next_month());
        let gregorian = |day: JalaliDate| day.to_gregorian().unwrap_or(NaiveDate::MIN);
        (gregorian(start), gregorian(end))
    }

    /// The first day of the previous month.
    pub fn previous_month(self) -> JalaliDate {
        match self.month {
            1 => JalaliDate {
                year: self.year - 1,
                month: 12,
                day: 1,
            },
            m => JalaliDate {
                month: m - 1,
                day: 1,
                ..self
            },
        }
    }
}

/// The name of Jalali month `month` (1–12) in the language in use.
pub fn month_name(month: u8) -> String {
    match month {
        1 => tr!("Farvardin"),
        2 => tr!("Ordibehesht"),
        3 => tr!("Khordad"),
        4 => tr!("Tir"),
        5 => tr!("Mordad"),
        6 => tr!("Shahrivar"),
        7 => tr!("Mehr"),
        8 => tr!("Aban"),
        9 => tr!("Azar"),
        10 => tr!("Dey"),
        11 => tr!("Bahman"),
        _ => tr!("Esfand"),
    }
}

/// The name of Jalali season `season` (1 = spring, Farvardin to Khordad … 4 = winter).
pub fn season_name(season: u8) -> String {
    match season {
        1 => tr!("Spring"),
        2 => tr!("Summer"),
        3 => tr!("Autumn"),
        _ => tr!("Winter"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn jalali(year: i32, month: u8, day: u8) -> JalaliDate {
        JalaliDate { year, month, day }
    }

    #[test]
    fn known_dates_convert_both_ways() {
        for (gregorian, expected) in [
            // Nowruz 1405 and 1404.
            (day(2026, 3, 21), jalali(1405, 1, 1)),
            (day(2025, 3, 21), jalali(1404, 1, 1)),
            // The last day of 1404 (a common year: Esfand has 29 days).
            (day(2026, 3, 20), jalali(1404, 12, 29)),
            // 1403 is leap: Esfand 30 exists.
            (day(2025, 3, 20), jalali(1403, 12, 30)),
            // Month boundaries: the first six months have 31 days, the next five 30.
            (day(2026, 4, 20), jalali(1405, 1, 31)),
            (day(2026, 4, 21), jalali(1405, 2, 1)),
            (day(2026, 9, 22), jalali(1405, 6, 31)),
            (day(2026, 9, 23), jalali(1405, 7, 1)),
            (day(2026, 10, 22), jalali(1405, 7, 30)),
            (day(2026, 11, 22), jalali(1405, 9, 1)),
            (day(1979, 2, 11), jalali(1357, 11, 22)),
            (day(2000, 1, 1), jalali(1378, 10, 11)),
        ] {
            assert_eq!(
                JalaliDate::from_gregorian(gregorian),
                expected,
                "{gregorian}"
            );
            assert_eq!(expected.to_gregorian(), Some(gregorian), "{expected:?}");
        }
        assert_eq!(
            jalali(1404, 12, 30).to_gregorian(),
            None,
            "1404 is a common year"
        );
        assert_eq!(jalali(1405, 13, 1).to_gregorian(), None);
        assert_eq!(jalali(1403, 12, 1).days_in_month(), 30);
        assert_eq!(jalali(1404, 12, 1).days_in_month(), 29);
        assert_eq!(jalali(1405, 1, 1).days_in_month(), 31);
        assert_eq!(jalali(1405, 12, 9).next_month(), jalali(1406, 1, 1));
        assert_eq!(jalali(1405, 1, 9).previous_month(), jalali(1404, 12, 1));
        // Azar 1405 runs 22 Nov – 21 Dec 2026; autumn from 1 Mehr (23 Sep) to 1 Dey (22 Dec).
        assert_eq!(
            jalali(1405, 9, 1).months_from_start(1),
            (day(2026, 11, 22), day(2026, 12, 22))
        );
        assert_eq!(
            jalali(1405, 9, 15).months_from_start(3),
            (day(2026, 9, 23), day(2026, 12, 22))
        );
        assert_eq!(
            jalali(1404, 12, 29).months_from_start(3),
            (day(2025, 12, 22), day(2026, 3, 21))
        );
    }
}
