//! Numbers, money and dates as the language and calendar in use write them, and the
//! language-neutral forms history entries store.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::jalali::JalaliDate;
use super::{Calendar, DateFormat, Language};

/// How a language writes numbers.
#[derive(Clone, Copy)]
struct Numerals {
    group: char,
    decimal: char,
    /// The language's digit zero; the other nine follow it in Unicode.
    zero: char,
}

const LATIN: Numerals = Numerals {
    group: ',',
    decimal: '.',
    zero: '0',
};

fn numerals(language: Language) -> Numerals {
    match language {
        Language::English => LATIN,
        // CLDR: a narrow no-break space groups thousands.
        Language::French => Numerals {
            group: '\u{202F}',
            decimal: ',',
            zero: '0',
        },
        // Extended Arabic-Indic digits with the Arabic thousands and decimal separators.
        Language::Persian => Numerals {
            group: '\u{066C}',
            decimal: '\u{066B}',
            zero: '\u{06F0}',
        },
    }
}

fn digit(numerals: Numerals, c: char) -> char {
    match c.to_digit(10) {
        Some(d) => char::from_u32(u32::from(numerals.zero) + d).unwrap_or(c),
        None => c,
    }
}

/// `value` rounded half away from zero to `decimals`, thousands grouped, in `numerals`.
fn write_number(value: Decimal, decimals: u32, numerals: Numerals) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() * 2);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(numerals.group);
        }
        out.push(digit(numerals, c));
    }
    if !frac.is_empty() {
        out.push(numerals.decimal);
        out.extend(frac.chars().map(|c| digit(numerals, c)));
    }
    out
}

/// A number as the language in use writes it: `1,234,567.50`, `1 234 567,50`, `۱٬۲۳۴٬۵۶۷٫۵۰`.
pub fn format_number(value: Decimal, decimals: u32) -> String {
    write_number(value, decimals, numerals(super::language()))
}

/// A number as history entries store it, whatever the language: `1,234,567.50`;
/// [`display_stored`] shows it in the language in use.
pub fn stored_number(value: Decimal, decimals: u32) -> String {
    write_number(value, decimals, LATIN)
}

/// A count with grouped thousands: `16,683`.
pub fn format_count(count: impl Into<u64>) -> String {
    format_number(Decimal::from(count.into()), 0)
}

/// Text's Latin digits in the digits of the language in use (dates, codes).
pub fn localize_digits(text: &str) -> Cow<'_, str> {
    let numerals = numerals(super::language());
    if numerals.zero == '0' {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| digit(numerals, c)).collect())
}

/// A number as a field holds it (Latin digits, `,` grouping, `.` decimals: see [`editable`])
/// in the language's digits and separators, for a field that is not being edited:
/// `12,500.5` reads `۱۲٬۵۰۰٫۵` in Persian. The inverse of [`editable`] for Persian.
pub fn localize_number(text: &str) -> Cow<'_, str> {
    let numerals = numerals(super::language());
    if numerals.zero == '0' {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                ',' => numerals.group,
                '.' => numerals.decimal,
                c => digit(numerals, c),
            })
            .collect(),
    )
}

/// "1 deal", "12 deals": a count of deals with its noun.
pub fn deals(count: impl Into<u64>) -> String {
    crate::trn!(count.into(), "{n} deals")
}

/// How many decimals a currency's amounts have: none for the yen, the won, the Iranian rial and
/// the toman (IRT), two for the others.
pub fn minor_units(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "IRR" | "IRT" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" => 0,
        _ => 2,
    }
}

/// Money as shown on cards and totals: whole units with the currency's symbol or name.
///
/// One money format per place, chosen on purpose, so the same amount never reads three ways:
/// - a field holds the amount exactly, as typed (`12,500.5`; no rounding, no symbol: it is
///   saved back as it reads), in the language's digits while not edited;
/// - a card, a column or report total, a chart: whole units ([`format_money`], `$12,501`),
///   where the eye compares sizes; a card gives the exact amount in its tooltip;
/// - a detail page (an account's deals and totals, a deal's lines, the form's computed
///   amounts): exact to the currency's minor unit ([`format_money_cents`], `$12,500.50`).
pub fn format_money(value: Decimal, currency: &str) -> String {
    money_with(&format_number(value, 0), currency)
}

/// Money to the currency's minor unit, where cents matter: line totals, prices.
pub fn format_money_cents(value: Decimal, currency: &str) -> String {
    money_with(&format_number(value, minor_units(currency)), currency)
}

fn money_with(number: &str, currency: &str) -> String {
    match super::language() {
        Language::English => match currency_symbol(currency) {
            Some(symbol) => format!("{symbol}{number}"),
            None => format!("{number} {currency}"),
        },
        Language::French => {
            let symbol = currency_symbol(currency).unwrap_or(currency);
            format!("{number}\u{A0}{symbol}")
        }
        Language::Persian => {
            let name = persian_currency(currency).unwrap_or(currency);
            format!("{number} {name}")
        }
    }
}

fn currency_symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        _ => None,
    }
}

/// The names Persian writes after an amount.
fn persian_currency(currency: &str) -> Option<&'static str> {
    match currency {
        "IRR" => Some("ریال"),
        "IRT" => Some("تومان"),
        "USD" => Some("دلار"),
        "EUR" => Some("یورو"),
        "GBP" => Some("پوند"),
        "AED" => Some("درهم"),
        _ => None,
    }
}

/// A probability as `30 %` (no trailing zeros): `30 %` in French, `۳۰٪` in Persian.
pub fn format_percent(value: Decimal) -> String {
    let number = value.normalize();
    let numerals = numerals(super::language());
    let text = write_number(number, number.scale(), numerals);
    match super::language() {
        Language::English => format!("{text} %"),
        Language::French => format!("{text}\u{A0}%"),
        Language::Persian => format!("{text}\u{066A}"),
    }
}

/// A probability as history entries store it: `30 %`.
pub fn stored_percent(value: Decimal) -> String {
    format!("{} %", value.normalize())
}

/// A date as history entries store it: ISO, whatever the display format, so the stored text
/// never changes meaning; [`display_stored`] shows it in the format of the settings.
pub fn stored_date(date: NaiveDate) -> String {
    date.format(DateFormat::Iso.pattern()).to_string()
}

/// A stored value as the user reads it: an ISO date in the calendar and format of the
/// settings, a stored number or percentage in the language's digits, other text unchanged.
pub fn display_stored(value: &str) -> Cow<'_, str> {
    if let Ok(date) = NaiveDate::parse_from_str(value, DateFormat::Iso.pattern())
        && value.len() == 10
    {
        return format_date(date).into();
    }
    let (number, percent) = match value.strip_suffix(" %") {
        Some(number) => (number, true),
        None => (value, false),
    };
    let plain = number.replace(',', "");
    let is_number = !plain.is_empty()
        && plain
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && number
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'-');
    match plain.parse::<Decimal>() {
        Ok(d) if is_number && percent => format_percent(d).into(),
        Ok(d) if is_number => format_number(d, d.scale()).into(),
        _ => value.into(),
    }
}

/// A date as the user reads it, in the calendar and format of the settings.
pub fn format_date(date: NaiveDate) -> String {
    let text = match super::calendar() {
        Calendar::Gregorian => date.format(super::date_format().pattern()).to_string(),
        Calendar::Jalali => {
            let j = JalaliDate::from_gregorian(date);
            format!("{:04}/{:02}/{:02}", j.year, j.month, j.day)
        }
    };
    localize_digits(&text).into_owned()
}

/// The format of a date field, as a hint in the empty field.
pub fn date_hint() -> &'static str {
    match super::calendar() {
        Calendar::Gregorian => super::date_format().hint(),
        Calendar::Jalali => "YYYY/MM/DD",
    }
}

/// A typed date: in the calendar and format of the settings, or ISO (YYYY-MM-DD); digits
/// Latin or Persian. In the Jalali calendar a year before 1700 is Jalali (1405/09/01), a later
/// one Gregorian ISO (2026-11-22), which no Jalali year of the years Forsat accepts can be.
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let latin = latin_digits(text.trim());
    if super::calendar() == Calendar::Jalali {
        let parts: Vec<&str> = latin.split(['/', '-', '.']).collect();
        if let [y, m, d] = parts[..]
            && let (Ok(year), Ok(month), Ok(day)) = (y.parse(), m.parse(), d.parse())
            && year < 1700
        {
            return JalaliDate { year, month, day }.to_gregorian();
        }
    }
    NaiveDate::parse_from_str(&latin, super::date_format().pattern())
        .or_else(|_| NaiveDate::parse_from_str(&latin, DateFormat::Iso.pattern()))
        .ok()
}

/// A formatted number or date put into a text field: in Latin digits, which the field can
/// show in order while it is edited (the parsers read both).
pub fn editable(text: String) -> String {
    match latin_digits(&text) {
        Cow::Owned(latin) => latin,
        Cow::Borrowed(_) => text,
    }
}

/// `text` with Persian (۰–۹) and Arabic-Indic (٠–٩) digits, the Arabic decimal point (٫),
/// thousands separator (٬) and percent sign (٪) as their Latin counterparts, so typed numbers
/// and dates are read whichever digits the keyboard gives.
pub fn latin_digits(text: &str) -> Cow<'_, str> {
    let latin = |c: char| match c {
        '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10),
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
        '\u{066B}' => Some('.'),
        '\u{066C}' => Some(','),
        '\u{066A}' => Some('%'),
        _ => None,
    };
    if text.chars().any(|c| latin(c).is_some()) {
        Cow::Owned(text.chars().map(|c| latin(c).unwrap_or(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Local, current, install};
    use super::*;
    use crate::WeekStart;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn speaking<T>(language: Language, calendar: Calendar, f: impl FnOnce() -> T) -> T {
        let before = current();
        install(Local {
            language,
            calendar,
            date_format: DateFormat::Iso,
            week_start: WeekStart::Monday,
        });
        let result = f();
        install(before);
        result
    }

    #[test]
    fn numbers_group_thousands_and_round_half_away_from_zero() {
        assert_eq!(format_number(d("1234567.505"), 2), "1,234,567.51");
        assert_eq!(format_number(d("999.5"), 0), "1,000");
        assert_eq!(format_number(d("-1200"), 0), "-1,200");
        assert_eq!(format_number(d("12"), 2), "12.00");
        assert_eq!(format_money(d("104000"), "USD"), "$104,000");
        assert_eq!(format_money(d("2500000000"), "IRR"), "2,500,000,000 IRR");
        assert_eq!(format_money_cents(d("2500.4"), "IRR"), "2,500 IRR");
        assert_eq!(format_money_cents(d("2500.4"), "EUR"), "€2,500.40");
        assert_eq!(format_percent(d("30.00")), "30 %");
        assert_eq!(format_count(1_000_000u64), "1,000,000");
        assert_eq!(deals(1u64), "1 deal");
        assert_eq!(deals(12_500u64), "12,500 deals");
    }

    #[test]
    fn persian_and_french_write_numbers_money_and_dates_their_way() {
        let nov22 = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        speaking(Language::Persian, Calendar::Jalali, || {
            assert_eq!(format_number(d("1500000"), 0), "۱٬۵۰۰٬۰۰۰");
            assert_eq!(format_number(d("-1234.5"), 2), "-۱٬۲۳۴٫۵۰");
            assert_eq!(format_money(d("1500000"), "IRR"), "۱٬۵۰۰٬۰۰۰ ریال");
            assert_eq!(format_money_cents(d("150000.7"), "IRT"), "۱۵۰٬۰۰۱ تومان");
            assert_eq!(format_percent(d("30.00")), "۳۰٪");
            assert_eq!(format_date(nov22), "۱۴۰۵/۰۹/۰۱");
            assert_eq!(parse_date_text("۱۴۰۵/۰۹/۰۱"), Some(nov22));
            assert_eq!(parse_date_text("1405-9-1"), Some(nov22));
            assert_eq!(
                parse_date_text("2026-11-22"),
                Some(nov22),
                "ISO stays Gregorian"
            );
            assert_eq!(parse_date_text("1404/12/30"), None, "1404 is a common year");
            assert_eq!(display_stored("2026-11-22"), "۱۴۰۵/۰۹/۰۱");
            assert_eq!(display_stored("1,500,000"), "۱٬۵۰۰٬۰۰۰");
            assert_eq!(display_stored("30 %"), "۳۰٪");
            assert_eq!(display_stored("Acme 2"), "Acme 2");
            assert_eq!(stored_number(d("1500000"), 0), "1,500,000");
        });
        speaking(Language::Persian, Calendar::Gregorian, || {
            assert_eq!(format_date(nov22), "۲۰۲۶-۱۱-۲۲");
        });
        speaking(Language::French, Calendar::Gregorian, || {
            assert_eq!(
                format_money_cents(d("1500000"), "EUR"),
                "1\u{202F}500\u{202F}000,00\u{A0}€"
            );
            assert_eq!(
                format_money(d("1500000"), "IRR"),
                "1\u{202F}500\u{202F}000\u{A0}IRR"
            );
            assert_eq!(format_percent(d("12.5")), "12,5\u{A0}%");
            assert_eq!(deals(0u64), "0 affaire");
            assert_eq!(deals(1u64), "1 affaire");
            assert_eq!(deals(2u64), "2 affaires");
        });
    }
}
