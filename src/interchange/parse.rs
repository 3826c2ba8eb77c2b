//! Reading cells: numbers and dates in the styles spreadsheets and other CRMs write, decided
//! per column from all its values and never row by row.

use std::str::FromStr as _;

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::table::to_millis;
use crate::domain::DateFormat;
use crate::i18n::latin_digits;

/// Dates outside these years are typos (the domain's own rule for typed dates).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Characters that group thousands besides `.` and `,`.
fn is_group_mark(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_' | '’')
}

/// Whether `c` may be part of a number: digits, separators, signs, parentheses.
fn numeric_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+' | '(' | ')') || is_group_mark(c)
}

/// `text` without the currency symbols, spaces and currency words around a number: symbols
/// (`$`, `€`, `%`), a word of up to five letters set apart by a space (`1 500 kr`, `EUR 3,5`)
/// or a three-capital code against it (`12USD`). `12abc` keeps its letters.
fn strip_decoration(text: &str) -> &str {
    let symbol = |c: char| c.is_whitespace() || !(c.is_alphanumeric() || numeric_char(c));
    let word = |w: &str, apart: bool| {
        let letters = w.chars().count();
        (apart && letters <= 5) || (letters == 3 && w.chars().all(|c| c.is_ascii_uppercase()))
    };
    let mut s = text;
    loop {
        let before = s.len();
        s = s.trim_matches(symbol);
        let start = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
        if start > 0 && word(&s[..start], s[start..].starts_with(symbol)) {
            s = &s[start..];
        }
        let end = s
            .rfind(|c: char| !c.is_alphabetic())
            .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
        if end < s.len() && word(&s[end..], s[..end].ends_with(symbol)) {
            s = &s[..end];
        }
        if s.len() == before {
            return s;
        }
    }
}

/// A number's digits and separators without its sign and the currency symbol or code around
/// it: `-$1,500.00` → (true, `1,500.00`). None when what is left is not number-like.
fn numeric_core(text: &str) -> Option<(bool, String)> {
    let text = latin_digits(text.trim());
    let mut core = strip_decoration(&text);
    let mut negative = false;
    if let Some(rest) = core.strip_prefix('-') {
        negative = true;
        core = rest;
    } else if let Some(rest) = core.strip_prefix('+') {
        core = rest;
    } else if let Some(rest) = core.strip_prefix('(').and_then(|c| c.strip_suffix(')')) {
        negative = true;
        core = rest;
    }
    let core = strip_decoration(core);
    let number_like = core.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_mark(c));
    number_like.then(|| (negative, core.to_owned()))
}

/// Which of `.` and `,` a column uses as its decimal separator (the other groups thousands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: char,
}

impl NumberStyle {
    /// The separator the column's values show: a value with both marks decides by the last
    /// one, a single mark followed by other than three digits is decimal, a repeated mark
    /// groups. The majority wins; without evidence, `.`.
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>) -> NumberStyle {
        let mut dot = 0usize;
        let mut comma = 0usize;
        for value in values {
            let Some((_, core)) = numeric_core(value) else {
                continue;
            };
            let dots = core.matches('.').count();
            let commas = core.matches(',').count();
            let after = |mark: char| {
                core.rfind(mark)
                    .map_or(0, |i| core[i + 1..].chars().count())
            };
            match (dots, commas) {
                (0, 0) => {}
                (d, c) if d > 0 && c > 0 => {
                    if core.rfind('.') > core.rfind(',') {
                        dot += 1;
                    } else {
                        comma += 1;
                    }
                }
                (1, 0) if after('.') != 3 => dot += 1,
                (0, 1) if after(',') != 3 => comma += 1,
                (d, 0) if d > 1 => comma += 1,
                (0, c) if c > 1 => dot += 1,
                _ => {}
            }
        }
        NumberStyle {
            decimal: if comma > dot { ',' } else { '.' },
        }
    }

    /// The number `text` writes, with its sign; None when it is not one in this style.
    pub fn parse(self, text: &str) -> Option<Decimal> {
        let (negative, core) = numeric_core(text)?;
        let group = if self.decimal == '.' { ',' } else { '.' };
        let (int, frac) = match core.rfind(self.decimal) {
            Some(i) => (&core[..i], &core[i + self.decimal.len_utf8()..]),
            None => (core.as_str(), ""),
        };
        if !frac.chars().all(|c| c.is_ascii_digit()) || int.contains(self.decimal) {
            return None;
        }
        let groups: Vec<&str> = int.split(|c| c == group || is_group_mark(c)).collect();
        let digits_only = |g: &str| g.chars().all(|c| c.is_ascii_digit());
        if !groups.iter().all(|g| digits_only(g)) {
            return None;
        }
        if groups.len() > 1 {
            // 1,500,000 and the Indian 15,00,000: 1–3 digits first, then 2 or 3, then 3.
            let last = groups.len() - 1;
            let fits = groups.iter().enumerate().all(|(i, g)| match i {
                0 => (1..=3).contains(&g.len()),
                i if i == last => g.len() == 3,
                _ => (2..=3).contains(&g.len()),
            });
            if !fits {
                return None;
            }
        }
        let int: String = groups.concat();
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let int = if int.is_empty() { "0" } else { &int };
        let text = if frac.is_empty() {
            int.to_owned()
        } else {
            format!("{int}.{frac}")
        };
        let value = Decimal::from_str(&text).ok()?;
        Some(if negative { -value } else { value })
    }
}

/// Whether `d/m/y` dates of a column put the day or the month first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayMonth {
    DayFirst,
    MonthFirst,
}

/// How a column writes dates that are not ISO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateStyle {
    pub order: DayMonth,
    /// True when the column had `d/m/y` dates and none showed which part is the day: the
    /// order came from the workspace's date format.
    pub guessed: bool,
}

/// The three numbers of a `d/m/y`-like date (`/`, `.` or `-` between), when the year is last.
fn day_month_year(date: &str) -> Option<(u32, u32, i32)> {
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let [a, b, y] = parts[..] else {
        return None;
    };
    let short = |p: &str| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit());
    if !short(a) || !short(b) || y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?, y.parse().ok()?))
}

/// The date part of a date or date-time cell: what comes before a time.
fn date_part(text: &str) -> &str {
    let text = text.trim();
    match text.find([' ', 'T']) {
        Some(i) if i >= 8 => &text[..i],
        _ => text,
    }
}

impl DateStyle {
    /// The order the column's `d/m/y` dates show: a first part above 12 means day first, a
    /// second part above 12 month first (the majority wins if both occur); when no value
    /// decides, the workspace's `format` does (day first unless it is month/day/year).
    pub fn infer<'a>(values: impl IntoIterator<Item = &'a str>, format: DateFormat) -> DateStyle {
        let mut day_first = 0usize;
        let mut month_first = 0usize;
        let mut slashed = false;
        for value in values {
            let digits = latin_digits(value);
            let Some((a, b, _)) = day_month_year(date_part(&digits)) else {
                continue;
            };
            slashed = true;
            if a > 12 && b <= 12 {
                day_first += 1;
            } else if b > 12 && a <= 12 {
                month_first += 1;
            }
        }
        let fallback = match format {
            DateFormat::MonthDayYear => DayMonth::MonthFirst,
            DateFormat::DayMonthYear | DateFormat::Iso => DayMonth::DayFirst,
        };
        let order = match (day_first, month_first) {
            (0, 0) => fallback,
            (d, m) if m > d => DayMonth::MonthFirst,
            _ => DayMonth::DayFirst,
        };
        DateStyle {
            order,
            guessed: slashed && day_first == 0 && month_first == 0,
        }
    }

    /// A date: ISO (`2026-12-31`, a time after it ignored) or `d/m/y` in the column's order.
    pub fn parse_date(self, text: &str) -> Option<NaiveDate> {
        let digits = latin_digits(text);
        let part = date_part(&digits);
        let date = match NaiveDate::parse_from_str(part, DateFormat::Iso.pattern()) {
            Ok(date) => date,
            Err(_) => {
                let (a, b, year) = day_month_year(part)?;
                let (day, month) = match self.order {
                    DayMonth::DayFirst => (a, b),
                    DayMonth::MonthFirst => (b, a),
                };
                NaiveDate::from_ymd_opt(year, month, day)?
            }
        };
        YEARS.contains(&date.year()).then_some(date)
    }

    /// A moment: RFC 3339 with any offset, an ISO date and time read as UTC, a date (in the
    /// column's order) with a time, or a date alone (midnight UTC). Kept to the millisecond.
    pub fn parse_timestamp(self, text: &str) -> Option<DateTime<Utc>> {
        let text = latin_digits(text.trim());
        let at = DateTime::parse_from_rfc3339(&text)
            .map(|at| at.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                [
                    "%Y-%m-%d %H:%M:%S%.f",
                    "%Y-%m-%dT%H:%M:%S%.f",
                    "%Y-%m-%d %H:%M",
                    "%Y-%m-%dT%H:%M",
                ]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
                .map(|at| at.and_utc())
            })
            .or_else(|| {
                let (date, time) = match text.split_once([' ', 'T']) {
                    Some((date, time)) => (date, time.trim()),
                    None => (&*text, ""),
                };
                let date = self.parse_date(date)?;
                let time = if time.is_empty() {
                    NaiveTime::MIN
                } else {
                    ["%H:%M:%S%.f", "%H:%M", "%I:%M %p", "%I:%M%p", "%I:%M:%S %p"]
                        .iter()
                        .find_map(|f| NaiveTime::parse_from_str(time, f).ok())?
                };
                Some(date.and_time(time).and_utc())
            })?;
        YEARS.contains(&at.year()).then(|| to_millis(at))
    }
}

/// `true`/`false`, `yes`/`no`, `1`/`0`, case ignored.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn numbers_follow_the_columns_separator() {
        let us = NumberStyle::infer(["$1,500.00", "2,000", "12"]);
        assert_eq!(us.decimal, '.');
        assert_eq!(us.parse("$1,500.00"), Some(dec("1500")));
        assert_eq!(us.parse("1,500"), Some(dec("1500")));
        assert_eq!(us.parse("-$5"), Some(dec("-5")));
        assert_eq!(us.parse("1,50"), None);
        assert_eq!(us.parse("12 apples 3"), None);
        assert_eq!(us.parse("12abc"), None);
        assert_eq!(us.parse("12USD"), Some(dec("12")));
        assert_eq!(us.parse("1,500 kr"), Some(dec("1500")));
        assert_eq!(us.parse("(1,500)"), Some(dec("-1500")));
        assert_eq!(us.parse("50 %"), Some(dec("50")));
        let eu = NumberStyle::infer(["1 500,00 €", "2.000", "3,5"]);
        assert_eq!(eu.decimal, ',');
        assert_eq!(eu.parse("1 500,00 €"), Some(dec("1500")));
        assert_eq!(eu.parse("1.234.567,89"), Some(dec("1234567.89")));
        assert_eq!(eu.parse("EUR 3,5"), Some(dec("3.5")));
        assert_eq!(us.parse("۱٬۵۰۰٫۵"), Some(dec("1500.5")));
        assert_eq!(NumberStyle::infer(["1,500"]).decimal, '.');
        assert_eq!(NumberStyle::infer(["0.01", "999999999999.99"]).decimal, '.');
    }

    #[test]
    fn day_and_month_order_comes_from_the_whole_column() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let dmy = DateStyle::infer(["01/02/2026", "31/12/2026"], DateFormat::Iso);
        assert_eq!((dmy.order, dmy.guessed), (DayMonth::DayFirst, false));
        assert_eq!(dmy.parse_date("01/02/2026"), ymd(2026, 2, 1));
        let mdy = DateStyle::infer(["01/02/2026", "12/31/2026"], DateFormat::Iso);
        assert_eq!(mdy.order, DayMonth::MonthFirst);
        assert_eq!(mdy.parse_date("01/02/2026"), ymd(2026, 1, 2));
        assert_eq!(mdy.parse_date("31/12/2026"), None);
        let guessed = DateStyle::infer(["01/02/2026"], DateFormat::MonthDayYear);
        assert_eq!(
            (guessed.order, guessed.guessed),
            (DayMonth::MonthFirst, true)
        );
        assert_eq!(dmy.parse_date("2026-12-31"), ymd(2026, 12, 31));
        assert_eq!(dmy.parse_date("1800-01-01"), None);
        let at = dmy
            .parse_timestamp("2026-11-22T13:00:00.250+03:30")
            .unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-22T09:30:00.250+00:00");
        let at = mdy.parse_timestamp("12/31/2026 10:30 PM").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-31T22:30:00+00:00");
    }
}
