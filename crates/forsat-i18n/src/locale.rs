//! The language, calendar and date conventions a user chooses (kept in the settings).

use serde::{Deserialize, Serialize};

/// How dates are written and read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateFormat {
    /// 2026-11-22
    #[default]
    Iso,
    /// 22/11/2026
    DayMonthYear,
    /// 11/22/2026
    MonthDayYear,
}

impl DateFormat {
    pub const ALL: [DateFormat; 3] = [
        DateFormat::Iso,
        DateFormat::DayMonthYear,
        DateFormat::MonthDayYear,
    ];

    /// The chrono pattern of the format.
    pub fn pattern(self) -> &'static str {
        match self {
            DateFormat::Iso => "%Y-%m-%d",
            DateFormat::DayMonthYear => "%d/%m/%Y",
            DateFormat::MonthDayYear => "%m/%d/%Y",
        }
    }

    /// The format as a hint in an empty date field.
    pub fn hint(self) -> &'static str {
        match self {
            DateFormat::Iso => "YYYY-MM-DD",
            DateFormat::DayMonthYear => "DD/MM/YYYY",
            DateFormat::MonthDayYear => "MM/DD/YYYY",
        }
    }
}

/// The day weeks start on ("this week" filters, calendars).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
    Saturday,
}

impl WeekStart {
    pub const ALL: [WeekStart; 3] = [WeekStart::Monday, WeekStart::Sunday, WeekStart::Saturday];

    pub fn weekday(self) -> chrono::Weekday {
        match self {
            WeekStart::Monday => chrono::Weekday::Mon,
            WeekStart::Sunday => chrono::Weekday::Sun,
            WeekStart::Saturday => chrono::Weekday::Sat,
        }
    }
}

/// The language of the window and of the command line's messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    English,
    Persian,
    French,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::English, Language::Persian, Language::French];

    /// The ISO 639-1 code: `en`, `fa`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Persian => "fa",
            Language::French => "fr",
        }
    }

    /// The language for a code or a POSIX locale name (`fa`, `fr_FR.UTF-8`, `en-GB`).
    pub fn from_code(code: &str) -> Option<Language> {
        let lang = code
            .split(['_', '-', '.', '@'])
            .next()?
            .to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == lang)
    }

    /// The language's own name, as its speakers look for it in a list.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::Persian => "فارسی",
            Language::French => "Français",
        }
    }

    /// Whether it is written right to left (the layout mirrors).
    pub fn right_to_left(self) -> bool {
        self == Language::Persian
    }

    /// The calendar its speakers date by.
    pub fn calendar(self) -> Calendar {
        match self {
            Language::Persian => Calendar::Jalali,
            Language::English | Language::French => Calendar::Gregorian,
        }
    }
}

/// The calendar dates are shown and typed in; stored dates are always Gregorian (ISO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Calendar {
    #[default]
    Gregorian,
    /// The Solar Hijri calendar of Iran (months from Farvardin, years from 1 AP).
    Jalali,
}
