//! Workbooks in (.xlsx, .xlsm, .xlsb, .xls, .ods, read by `calamine`): the sheet with the
//! header row becomes the text of a CSV file, written by the one CSV writer, so a workbook goes
//! through the same mapping, checks and wizard as a CSV export of the same data.
//!
//! Typed cells are written as a CSV export writes them: numbers as the spreadsheet shows them
//! (Excel keeps 15 significant digits, so `0.1 + 0.2` is `0.3`, `1250.5` stays `1250.5`, whole
//! numbers have no `.0`), dates as ISO dates, dates with a time as ISO date and time (read as
//! UTC, as the workbooks of Odoo, Pipedrive and Forsat write them), booleans as `true` /
//! `false`, an error cell as the error Excel shows (`#N/A`: a bad cell, if the column is read).

use std::io::Cursor;

use calamine::{Data, Range, Reader as _};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ReadError;
use crate::analytics::cells::Cell;
use crate::tr;

/// How many rows of a sheet, from its first, may come before its header row (a title, a
/// date line): past them the sheet is taken to have none.
const HEADER_SEARCH: usize = 10;

/// The rows of a workbook's sheet as CSV text.
pub struct Sheet {
    /// The CSV text: the header row, then every row below it (empty ones included, so row
    /// numbers stay those of the sheet).
    pub csv: Vec<u8>,
    /// The header's row in the sheet, 1 for the first.
    pub header_row: usize,
    /// For each column, whether every filled cell below the header is a number: its decimal
    /// separator is `.` whatever its values look like.
    pub numeric: Vec<bool>,
    /// What the user should know: which sheet was read, rows above the header, other sheets.
    pub notes: Vec<String>,
}

/// Whether `bytes` are a workbook rather than text, by their first bytes: a zip archive
/// (.xlsx, .xlsm, .xlsb, .ods) or an OLE compound file (.xls). A CSV never begins so.
pub fn is_workbook(bytes: &[u8]) -> bool {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    bytes.starts_with(ZIP) || bytes.starts_with(OLE)
}

/// The first sheet (in the workbook's order) with a row among its first [`HEADER_SEARCH`] that
/// `is_header` accepts, as CSV text from that row on; else the first sheet with data, from its
/// first row. Later sheets with the very same header (an export past Excel's row limit goes on
/// in `Opportunities (2)`) follow it, their rows numbered on.
pub fn read(bytes: &[u8], is_header: impl Fn(&[String]) -> bool) -> Result<Sheet, ReadError> {
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(ReadError::workbook)?;
    let mut sheets: Vec<(String, Range<Data>)> = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(ReadError::workbook)?;
        sheets.push((name, range));
    }
    let header_of = |range: &Range<Data>| -> Option<usize> {
        range
            .rows()
            .take(HEADER_SEARCH)
            .position(|row| is_header(&row.iter().map(header_text).collect::<Vec<_>>()))
    };
    let found = sheets
        .iter()
        .enumerate()
        .find_map(|(n, (_, range))| Some((n, header_of(range)?)));
    let (first, at) = match found {
        Some(found) => found,
        None => {
            let n = sheets
                .iter()
                .position(|(_, range)| !range.is_empty())
                .ok_or(ReadError::NoSheetWithData)?;
            (n, 0)
        }
    };
    let (name, range) = &sheets[first];
    let headers: Vec<String> = range
        .rows()
        .nth(at)
        .map(|row| row.iter().map(header_text).collect())
        .unwrap_or_default();
    // Rows and columns before the range's start are empty: the sheet's own numbering is the
    // range's plus its start.
    let (top, left) = range.start().unwrap_or((0, 0));
    let header_row = top as usize + at + 1;
    let mut notes = vec![tr!("read sheet “{sheet}” of the workbook", sheet = name)];
    if header_row > 1 {
        notes.push(tr!(
            "rows 1 to {last} of sheet “{sheet}” are above its header row: not read",
            last = header_row - 1,
            sheet = name
        ));
    }
    if left > 0 {
        notes.push(tr!(
            "the first {n} columns of sheet “{sheet}” are empty: not read",
            n = left,
            sheet = name
        ));
    }
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut out =
        crate::analytics::csv::Writer::new(Vec::new(), &refs).map_err(ReadError::workbook)?;
    let mut numeric = vec![true; headers.len()];
    let mut cells = Vec::with_capacity(headers.len());
    let mut write_rows = |range: &Range<Data>, skip: usize| -> std::io::Result<()> {
        for row in range.rows().skip(skip) {
            cells.clear();
            cells.extend(row.iter().map(cell));
            for (typed, data) in numeric.iter_mut().zip(row) {
                *typed &= matches!(data, Data::Empty | Data::Int(_) | Data::Float(_));
            }
            out.row(&cells)?;
        }
        Ok(())
    };
    write_rows(range, at + 1).map_err(ReadError::workbook)?;
    for (other, range) in sheets.iter().skip(first + 1) {
        let same = range
            .rows()
            .next()
            .is_some_and(|row| row.iter().map(header_text).eq(headers.iter().cloned()));
        if same && range.start() == sheets[first].1.start() {
            write_rows(range, 1).map_err(ReadError::workbook)?;
            notes.push(tr!(
                "sheet “{other}” has the same header: its rows follow those of “{sheet}”, numbered on",
                other = other,
                sheet = name
            ));
        } else if !range.is_empty() {
            notes.push(tr!(
                "sheet “{other}” of the workbook: not read",
                other = other
            ));
        }
    }
    let csv = out.finish().map_err(ReadError::workbook)?;
    Ok(Sheet {
        csv,
        header_row,
        numeric,
        notes,
    })
}

/// A header cell's text (a number as a header is written as the spreadsheet shows it).
fn header_text(data: &Data) -> String {
    cell(data).plain()
}

/// A workbook cell as the typed cell a CSV export writes.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(n) => number(*n as f64),
        Data::Float(x) => number(*x),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(at) if at.is_datetime() => moment(at.to_ymd_hms_milli()),
        // A duration (`[hh]:mm:ss`) as Excel shows it.
        Data::DateTime(at) => {
            let seconds = (at.as_f64() * 86_400.0).round() as i64;
            Cell::Text(format!(
                "{}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            ))
        }
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cell::Text(text.clone())
        }
        Data::Error(e) => Cell::Text(e.to_string()),
    }
}

/// A number as the spreadsheet shows it: to Excel's 15 significant digits, no exponent, no
/// trailing zeros.
fn number(x: f64) -> Cell {
    // Past the range of a decimal (1e28) the number is no amount: its own text, for the
    // importer to refuse by name.
    let Some(decimal) = Decimal::from_f64_retain(x) else {
        return Cell::Text(x.to_string());
    };
    let shown = decimal.round_sf(15).unwrap_or(decimal);
    Cell::Decimal(shown)
}

/// A date cell: the date alone at midnight, else the date and time (to the millisecond).
fn moment((year, month, day, hour, minute, second, milli): (u16, u8, u8, u8, u8, u8, u16)) -> Cell {
    let date = NaiveDate::from_ymd_opt(year.into(), month.into(), day.into());
    let time = chrono::NaiveTime::from_hms_milli_opt(
        hour.into(),
        minute.into(),
        second.into(),
        milli.into(),
    );
    match (date, time) {
        (Some(date), Some(time)) if time == chrono::NaiveTime::MIN => Cell::Date(date),
        (Some(date), Some(time)) => Cell::Timestamp(date.and_time(time).and_utc()),
        // Excel's 1900-02-29, which never was: written as Excel shows it, refused by the
        // date reader by name.
        _ => Cell::Text(format!("{year:04}-{month:02}-{day:02}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_spreadsheet_shows_them() {
        let shown = |x: f64| number(x).plain();
        assert_eq!(shown(1250.5), "1250.5");
        assert_eq!(shown(1250.0), "1250");
        assert_eq!(shown(0.1 + 0.2), "0.3");
        assert_eq!(shown(-42.25), "-42.25");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(123_456_789_012.34), "123456789012.34");
        assert_eq!(shown(1e30), "1000000000000000000000000000000");
    }

    #[test]
    fn a_date_at_midnight_is_a_date_and_one_with_a_time_a_moment() {
        assert_eq!(moment((2026, 12, 31, 0, 0, 0, 0)).plain(), "2026-12-31");
        assert_eq!(
            moment((2026, 11, 22, 9, 30, 0, 250)).plain(),
            "2026-11-22T09:30:00.250Z"
        );
        assert_eq!(moment((1900, 2, 29, 0, 0, 0, 0)).plain(), "1900-02-29");
    }

    #[test]
    fn workbooks_are_told_from_text_by_their_first_bytes() {
        assert!(is_workbook(b"PK\x03\x04rest"));
        assert!(is_workbook(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"));
        assert!(!is_workbook(b"id,name,account\r\n"));
        assert!(!is_workbook(b"PK,name\r\n"));
    }
}
