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

/// A number cell taken apart: its sign, its digits and separators, and the symbol or word
/// written beside it.
struct Numeric {
    negative: bool,
    core: String,
    unit: Option<String>,
}

/// Splits a cell into its number and what is written around it: `-$1,500.00` → negative,
/// `1,500.00`, `$`; `1.200,50 €` → `1.200,50`, `€`; `(12) EUR` → negative, `12`, `EUR`. None
/// when there are no digits, when the digits are interrupted by other than separators
/// (`12 apples 3`), or when the signs make no sense (`--5`, an unclosed parenthesis).
fn split_number(text: &str) -> Option<Numeric> {
    let text = latin_digits(text.trim());
    let begins_number = |i: usize| {
        let mut rest = text[i..].chars();
        match rest.next() {
            Some(c) if c.is_ascii_digit() => true,
            Some('.' | ',') => rest.next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        }
    };
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| begins_number(i))?;
    let end = text.rfind(|c: char| c.is_ascii_digit())? + 1;
    let core = &text[start..end];
    let separator = |c: char| c == '.' || c == ',' || is_group_mark(c);
    if !core.chars().all(|c| c.is_ascii_digit() || separator(c)) {
        return None;
    }
    let (before, after) = (&text[..start], &text[end..]);
    // Small letters against the digits are a typo (`12abc`), not a currency (`12USD`, `12 eur`).
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase());
    if glued(before.chars().next_back()) || glued(after.chars().next()) {
        return None;
    }
    let count = |part: &str, marks: &[char]| part.chars().filter(|c| marks.contains(c)).count();
    let minus = ['-', '\u{2212}'];
    let parenthesised = count(before, &['(']) + count(after, &[')']);
    let signs = count(before, &minus) + count(before, &['+']) + count(after, &minus);
    if signs > 1 || parenthesised == 1 || parenthesised > 2 || (signs == 1 && parenthesised == 2) {
        return None;
    }
    let negative = count(before, &minus) + count(after, &minus) == 1 || parenthesised == 2;
    let words: Vec<String> = [before, after]
        .into_iter()
        .map(|part| {
            part.chars()
                .filter(|c| !c.is_whitespace() && !"()+-\u{2212}".contains(*c))
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    Some(Numeric {
        negative,
        core: core.to_owned(),
        unit: (!words.is_empty()).then(|| words.join(" ")),
    })
}

/// A number read from a cell, with the symbol or word written beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    pub value: Decimal,
    /// `€`, `EUR`, `%`... as written; None for a bare number.
    pub unit: Option<String>,
}

/// What a number column's values show about its decimal separator, gathered a value at a
/// time (the whole column is seen before any value is read).
#[derive(Clone, Debug, Default)]
pub struct NumberVotes {
    dot: usize,
    comma: usize,
    /// The first value that reads either way (`1.500`, `2,000`: one mark, then three digits).
    unclear: Option<String>,
}

impl NumberVotes {
    /// Counts one value: a value with both marks decides by the last one, a single mark
    /// followed by other than three digits is decimal, a repeated mark groups; one mark
    /// followed by exactly three digits decides nothing.
    pub fn add(&mut self, value: &str) {
        let Some(Numeric { core, .. }) = split_number(value) else {
            return;
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
                    self.dot += 1;
                } else {
                    self.comma += 1;
                }
            }
            (1, 0) if after('.') != 3 => self.dot += 1,
            (0, 1) if after(',') != 3 => self.comma += 1,
            (d, 0) if d > 1 => self.comma += 1,
            (0, c) if c > 1 => self.dot += 1,
            _ => {
                if self.unclear.is_none() {
                    self.unclear = Some(value.trim().to_owned());
                }
            }
        }
    }

    /// The column's style: the majority's separator; without evidence, `chosen` (the user's
    /// answer) or `.`, and then [`NumberStyle::unclear`] says so when a value could be read
    /// both ways.
    pub fn style(&self, chosen: Option<char>) -> NumberStyle {
        let decided = self.dot + self.comma > 0;
        let decimal = if decided {
            if self.comma > self.dot { ',' } else { '.' }
        } else {
            chosen.unwrap_or('.')
        };
        NumberStyle {
            decimal,
            unclear: if decided { None } else { self.unclear.clone() },
        }
    }
}

/// Which of `.` and `,` a column uses as its decimal separator (the other groups thousands).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberStyle {
    pub decimal: char,
    /// A value of the column that reads either way when no value decided (`1.500` is 1500 or
    /// 1.5): the import asks instead of guessing, and the user's answer is the decimal.
    pub unclear: Option<String>,
}

impl NumberStyle {
    /// Numbers as a program writes them: `.` the decimal separator, no grouping to doubt.
    pub fn plain() -> NumberStyle {
        NumberStyle {
            decimal: '.',
            unclear: None,
        }
    }

    /// The number `text` writes, with its sign and unit; None when it is not one in this style.
    pub fn parse(&self, text: &str) -> Option<Number> {
        let Numeric {
            negative,
            core,
            unit,
        } = split_number(text)?;
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
        Some(Number {
            value: if negative { -value } else { value },
            unit,
        })
    }
}

/// Currency symbols and words written beside amounts, and the codes each may mean, the one
/// it means alone first when it has one (`$` alone is the US dollar; `kr` alone is any of four).
const SYMBOLS: &[(&str, &[&str], bool)] = &[
    (
        "$",
        &["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"],
        true,
    ),
    ("US$", &["USD"], true),
    ("C$", &["CAD"], true),
    ("CA$", &["CAD"], true),
    ("A$", &["AUD"], true),
    ("AU$", &["AUD"], true),
    ("NZ$", &["NZD"], true),
    ("HK$", &["HKD"], true),
    ("S$", &["SGD"], true),
    ("R$", &["BRL"], true),
    ("€", &["EUR"], true),
    ("£", &["GBP"], true),
    ("¥", &["JPY", "CNY"], false),
    ("CN¥", &["CNY"], true),
    ("元", &["CNY"], true),
    ("₹", &["INR"], true),
    ("₽", &["RUB"], true),
    ("₺", &["TRY"], true),
    ("₩", &["KRW"], true),
    ("₪", &["ILS"], true),
    ("₫", &["VND"], true),
    ("₱", &["PHP"], true),
    ("฿", &["THB"], true),
    ("zł", &["PLN"], true),
    ("Kč", &["CZK"], true),
    ("Ft", &["HUF"], true),
    ("kr", &["SEK", "NOK", "DKK", "ISK"], false),
    ("Fr", &["CHF"], true),
    ("﷼", &["IRR", "SAR", "QAR", "OMR", "YER"], false),
    // The words Forsat itself writes after an amount in Persian.
    ("ریال", &["IRR"], true),
    ("تومان", &["IRT"], true),
    ("دلار", &["USD", "CAD", "AUD", "NZD", "SGD", "HKD"], true),
    ("یورو", &["EUR"], true),
    ("پوند", &["GBP"], true),
    ("درهم", &["AED"], true),
    ("ر.س", &["SAR"], true),
    ("د.إ", &["AED"], true),
];

/// The currency codes the symbol or word `unit` written beside an amount may mean, and
/// whether the first is what it means alone: a three-letter code means itself. None for what
/// is no currency Forsat knows.
pub fn currencies_of(unit: &str) -> Option<(Vec<String>, bool)> {
    if unit.chars().count() == 3 && unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some((vec![unit.to_ascii_uppercase()], true));
    }
    SYMBOLS
        .iter()
        .find(|(symbol, _, _)| symbol.eq_ignore_ascii_case(unit))
        .map(|(_, codes, alone)| (codes.iter().map(|c| (*c).to_owned()).collect(), *alone))
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

/// What a date column's `d/m/y` values show about their order, gathered a value at a time.
#[derive(Clone, Debug, Default)]
pub struct DateVotes {
    day_first: usize,
    month_first: usize,
    slashed: bool,
}

impl DateVotes {
    /// Counts one value: a first part above 12 means day first, a second part above 12
    /// month first.
    pub fn add(&mut self, value: &str) {
        let digits = latin_digits(value);
        let Some((a, b, _)) = day_month_year(date_part(&digits)) else {
            return;
        };
        self.slashed = true;
        if a > 12 && b <= 12 {
            self.day_first += 1;
        } else if b > 12 && a <= 12 {
            self.month_first += 1;
        }
    }

    /// The column's order (the majority wins if both occur); when no value decides, the
    /// workspace's `format` does (day first unless it is month/day/year).
    pub fn style(&self, format: DateFormat) -> DateStyle {
        let fallback = match format {
            DateFormat::MonthDayYear => DayMonth::MonthFirst,
            DateFormat::DayMonthYear | DateFormat::Iso => DayMonth::DayFirst,
        };
        let order = match (self.day_first, self.month_first) {
            (0, 0) => fallback,
            (d, m) if m > d => DayMonth::MonthFirst,
            _ => DayMonth::DayFirst,
        };
        DateStyle {
            order,
            guessed: self.slashed && self.day_first == 0 && self.month_first == 0,
        }
    }
}

impl DateStyle {
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

    fn numbers(values: &[&str]) -> NumberStyle {
        let mut votes = NumberVotes::default();
        for v in values {
            votes.add(v);
        }
        votes.style(None)
    }

    fn dates(values: &[&str], format: DateFormat) -> DateStyle {
        let mut votes = DateVotes::default();
        for v in values {
            votes.add(v);
        }
        votes.style(format)
    }

    /// The value alone, for a number written without a unit.
    fn value(number: Option<Number>) -> Option<Decimal> {
        number.map(|n| n.value)
    }

    #[test]
    fn numbers_follow_the_columns_separator() {
        let us = numbers(&["$1,500.00", "2,000", "12"]);
        assert_eq!(us.decimal, '.');
        assert_eq!(value(us.parse("$1,500.00")), Some(dec("1500")));
        assert_eq!(value(us.parse("1,500")), Some(dec("1500")));
        assert_eq!(value(us.parse("-$5")), Some(dec("-5")));
        assert_eq!(value(us.parse("1,50")), None);
        assert_eq!(value(us.parse("12 apples 3")), None);
        assert_eq!(value(us.parse("--5")), None);
        assert_eq!(value(us.parse("(5")), None);
        assert_eq!(value(us.parse("(1,500)")), Some(dec("-1500")));
        assert_eq!(value(us.parse("50 %")), Some(dec("50")));
        let eu = numbers(&["1 500,00 €", "2.000", "3,5"]);
        assert_eq!(eu.decimal, ',');
        assert_eq!(value(eu.parse("1 500,00 €")), Some(dec("1500")));
        assert_eq!(value(eu.parse("1.234.567,89")), Some(dec("1234567.89")));
        assert_eq!(value(eu.parse("EUR 3,5")), Some(dec("3.5")));
        assert_eq!(value(us.parse("۱٬۵۰۰٫۵")), Some(dec("1500.5")));
        assert_eq!(numbers(&["0.01", "999999999999.99"]).decimal, '.');
    }

    #[test]
    fn the_symbol_or_code_beside_a_number_is_kept() {
        let us = numbers(&["1.5"]);
        let unit = |text: &str| us.parse(text).and_then(|n| n.unit);
        assert_eq!(unit("12 EUR").as_deref(), Some("EUR"));
        assert_eq!(unit("€12").as_deref(), Some("€"));
        assert_eq!(unit("-£12").as_deref(), Some("£"));
        assert_eq!(unit("$1,200.50").as_deref(), Some("$"));
        assert_eq!(unit("12 abc").as_deref(), Some("abc"));
        assert_eq!(us.parse("12abc"), None);
        assert_eq!(unit("50%").as_deref(), Some("%"));
        assert_eq!(unit("12"), None);
        assert_eq!(currencies_of("eur"), Some((vec!["EUR".to_owned()], true)));
        assert_eq!(
            currencies_of("€").map(|c| c.0),
            Some(vec!["EUR".to_owned()])
        );
        assert_eq!(currencies_of("kr").map(|c| c.1), Some(false));
        // What Forsat writes in Persian reads back.
        let toman = us.parse("۱۵۰٬۰۰۱ تومان").unwrap();
        assert_eq!(toman.value, dec("150001"));
        assert_eq!(
            currencies_of(&toman.unit.unwrap()).map(|c| c.0),
            Some(vec!["IRT".to_owned()])
        );
        assert_eq!(currencies_of("ab"), None);
        assert_eq!(currencies_of("apples"), None);
    }

    #[test]
    fn a_column_whose_values_read_either_way_is_unclear_until_the_user_says() {
        // Every value is one mark and three digits: 1.500 is 1500 or 1.5.
        let mut votes = NumberVotes::default();
        for v in ["1.500", "2.000", "12"] {
            votes.add(v);
        }
        assert_eq!(votes.style(None).unclear.as_deref(), Some("1.500"));
        let chosen = votes.style(Some(','));
        assert_eq!(chosen.decimal, ',');
        assert_eq!(value(chosen.parse("1.500")), Some(dec("1500")));
        assert_eq!(
            value(votes.style(Some('.')).parse("1.500")),
            Some(dec("1.5"))
        );
        // One value that decides is enough.
        votes.add("3.25");
        assert_eq!(votes.style(None).unclear, None);
        assert_eq!(numbers(&["1,500"]).unclear.as_deref(), Some("1,500"));
    }

    #[test]
    fn day_and_month_order_comes_from_the_whole_column() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let dmy = dates(&["01/02/2026", "31/12/2026"], DateFormat::Iso);
        assert_eq!((dmy.order, dmy.guessed), (DayMonth::DayFirst, false));
        assert_eq!(dmy.parse_date("01/02/2026"), ymd(2026, 2, 1));
        let mdy = dates(&["01/02/2026", "12/31/2026"], DateFormat::Iso);
        assert_eq!(mdy.order, DayMonth::MonthFirst);
        assert_eq!(mdy.parse_date("01/02/2026"), ymd(2026, 1, 2));
        assert_eq!(mdy.parse_date("31/12/2026"), None);
        let guessed = dates(&["01/02/2026"], DateFormat::MonthDayYear);
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
