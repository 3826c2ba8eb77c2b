//! The translation layer and locale-aware formatting of numbers, money and dates.
//!
//! Strings are looked up by their English text (gettext style), so English needs no catalog and
//! a missing translation falls back to readable English. Persian and French catalogs plug in here.

use std::fmt::Display;

use chrono::NaiveDate;

use crate::domain::{DateFormat, WeekStart};
use rust_decimal::{Decimal, RoundingStrategy};

/// Translates `key` in the current locale, filling `{name}` placeholders:
/// `tr!("Lost {n} deals", n = count)`.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::translate($key).to_owned()
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::fill(
            $crate::i18n::translate($key),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}

/// The current locale's text for `key`. Only English exists so far: the key is its own text.
pub fn translate(key: &'static str) -> &'static str {
    key
}

/// Replaces each `{name}` in `template` by its value.
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// Groups the integer digits by thousands: `1234567.5` → `1,234,567.50` with 2 decimals.
pub fn format_number(value: Decimal, decimals: u32) -> String {
    let rounded = value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", decimals as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + int.len() / 3 + 1);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        grouped.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if !frac.is_empty() {
        grouped.push('.');
        grouped.push_str(frac);
    }
    grouped
}

/// A count with grouped thousands: `16,683`.
pub fn format_count(count: impl Into<u64>) -> String {
    format_number(Decimal::from(count.into()), 0)
}

/// "1 deal", "12 deals": a count of deals with its noun. English plural rules until the
/// catalogs bring their own (Persian and French count differently).
pub fn deals(count: impl Into<u64>) -> String {
    match count.into() {
        1 => crate::tr!("1 deal"),
        n => crate::tr!("{n} deals", n = format_count(n)),
    }
}

/// Money as shown on cards and totals: whole units with the currency's symbol or code.
pub fn format_money(value: Decimal, currency: &str) -> String {
    money_with(format_number(value, 0), currency)
}

/// Money to the cent, where cents matter: line totals, prices.
pub fn format_money_cents(value: Decimal, currency: &str) -> String {
    money_with(format_number(value, 2), currency)
}

fn money_with(number: String, currency: &str) -> String {
    match currency_symbol(currency) {
        Some(symbol) => format!("{symbol}{number}"),
        None => format!("{number} {currency}"),
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

/// A probability as `30 %` (no trailing zeros).
pub fn format_percent(value: Decimal) -> String {
    format!("{} %", value.normalize())
}

thread_local! {
    /// The date format and first day of the week of the open workspace. Per thread, since
    /// each window (and each test) runs its workspace on one thread.
    static DATES: std::cell::Cell<(DateFormat, WeekStart)> =
        const { std::cell::Cell::new((DateFormat::Iso, WeekStart::Monday)) };
}

/// Makes dates follow the settings (called when a workspace opens and when they change).
pub fn set_dates(format: DateFormat, week_start: WeekStart) {
    DATES.with(|d| d.set((format, week_start)));
}

/// The date format in use.
pub fn date_format() -> DateFormat {
    DATES.with(|d| d.get().0)
}

/// The first day of the week in use.
pub fn week_start() -> WeekStart {
    DATES.with(|d| d.get().1)
}

/// A date as history entries store it: ISO, whatever the display format, so the stored text
/// never changes meaning; [`display_stored`] shows it in the format of the settings.
pub fn stored_date(date: NaiveDate) -> String {
    date.format(DateFormat::Iso.pattern()).to_string()
}

/// A stored value as the user reads it: an ISO date in the format of the settings, other text
/// unchanged.
pub fn display_stored(value: &str) -> std::borrow::Cow<'_, str> {
    match NaiveDate::parse_from_str(value, DateFormat::Iso.pattern()) {
        Ok(date) if value.len() == 10 => format_date(date).into(),
        _ => value.into(),
    }
}

/// A date as the user reads it, in the format of the settings.
pub fn format_date(date: NaiveDate) -> String {
    date.format(date_format().pattern()).to_string()
}

/// `text` with Persian (۰–۹) and Arabic-Indic (٠–٩) digits, the Arabic decimal point (٫),
/// thousands separator (٬) and percent sign (٪) as their Latin counterparts, so typed numbers
/// and dates are read whichever digits the keyboard gives.
pub fn latin_digits(text: &str) -> std::borrow::Cow<'_, str> {
    let latin = |c: char| match c {
        '\u{06F0}'..='\u{06F9}' => char::from_digit(u32::from(c) - 0x06F0, 10),
        '\u{0660}'..='\u{0669}' => char::from_digit(u32::from(c) - 0x0660, 10),
        '\u{066B}' => Some('.'),
        '\u{066C}' => Some(','),
        '\u{066A}' => Some('%'),
        _ => None,
    };
    if text.chars().any(|c| latin(c).is_some()) {
        std::borrow::Cow::Owned(text.chars().map(|c| latin(c).unwrap_or(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_and_round_half_away_from_zero() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(format_number(d("1234567.505"), 2), "1,234,567.51");
        assert_eq!(format_number(d("999.5"), 0), "1,000");
        assert_eq!(format_number(d("-1200"), 0), "-1,200");
        assert_eq!(format_number(d("12"), 2), "12.00");
        assert_eq!(format_money(d("104000"), "USD"), "$104,000");
        assert_eq!(format_money(d("2500000000"), "IRR"), "2,500,000,000 IRR");
        assert_eq!(format_percent(d("30.00")), "30 %");
        assert_eq!(format_count(1_000_000u64), "1,000,000");
        assert_eq!(deals(1u64), "1 deal");
        assert_eq!(deals(12_500u64), "12,500 deals");
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tr!("{a} of {b}", a = 3, b = "five"), "3 of five");
    }
}
