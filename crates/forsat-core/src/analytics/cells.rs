//! Typed cells and tables of them: what a report or an export produces before a writer (CSV,
//! XLSX, a terminal table) turns it into text or bytes.

use chrono::{DateTime, NaiveDate, Timelike as _, Utc};
use rust_decimal::Decimal;

use crate::domain::DateFormat;

/// One typed value of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// An id, a count or a priority.
    Integer(u64),
    /// A number that is not money (a probability, a rate).
    Decimal(Decimal),
    /// An amount of money.
    Money(Decimal),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Bool(bool),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    /// The date, or an empty cell.
    pub fn date(date: Option<NaiveDate>) -> Cell {
        date.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as plain text, as CSV writes it before the injection guard: decimals without
    /// grouping or trailing zeros, ISO dates, RFC 3339 UTC timestamps.
    pub fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Integer(n) => n.to_string(),
            Cell::Decimal(d) | Cell::Money(d) => decimal_text(*d),
            Cell::Date(d) => date_text(*d),
            Cell::Timestamp(at) => timestamp_text(*at),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// A decimal as exported: no grouping, no exponent, no trailing zeros (`1500`, `0.01`).
pub fn decimal_text(value: Decimal) -> String {
    let value = value.normalize();
    if value.is_zero() {
        "0".to_owned()
    } else {
        value.to_string()
    }
}

/// A date as exported: ISO 8601 (`2026-11-22`).
pub fn date_text(date: NaiveDate) -> String {
    date.format(DateFormat::Iso.pattern()).to_string()
}

/// A timestamp as exported: RFC 3339 in UTC, to the millisecond as records keep it, the
/// milliseconds written only when there are some (`2026-11-22T09:30:00Z`,
/// `2026-11-22T09:30:00.250Z`).
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    let at = to_millis(at);
    if at.nanosecond() == 0 {
        at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }
}

/// `at` without what is finer than a millisecond (records are stored to the millisecond).
pub fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = at.nanosecond() % 1_000_000_000;
    at.with_nanosecond(nanos - nanos % 1_000_000).unwrap_or(at)
}

/// A header row and rows of typed cells, with the name a workbook gives its sheet (a report's
/// rows; exports stream their rows instead).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub sheet: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}
