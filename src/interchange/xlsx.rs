//! XLSX out through `rust_xlsxwriter`: typed cells, date and money formats, a bold frozen
//! header row and columns wide enough for their content.

use chrono::{Datelike as _, NaiveDate, Timelike as _};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{Cell, Table, to_millis};

/// Excel's limit on the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// No column gets wider than this many characters; longer text wraps or is cut on screen.
const MAX_WIDTH: usize = 60;

/// The table as the bytes of a workbook with one sheet.
pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    fill(sheet, table).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

fn fill(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let timestamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let money = Format::new().set_num_format("#,##0.00");
    let integer = Format::new().set_num_format("0");
    sheet.set_name(table.sheet)?;
    let mut widths: Vec<usize> = table.headers.iter().map(|h| h.chars().count()).collect();
    for (col, name) in (0..).zip(&table.headers) {
        sheet.write_string_with_format(0, col, *name, &header)?;
    }
    for (row, cells) in (1..).zip(&table.rows) {
        for (col, cell) in (0..).zip(cells) {
            let width = match cell {
                Cell::Empty => 0,
                Cell::Text(text) => {
                    let text = cut(text);
                    sheet.write_string(row, col, text)?;
                    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
                }
                Cell::Integer(n) => {
                    // Excel numbers are doubles: exact up to 2^53, which ids never reach.
                    sheet.write_number_with_format(row, col, *n as f64, &integer)?;
                    n.to_string().len()
                }
                Cell::Decimal(d) => {
                    sheet.write_number(row, col, to_f64(*d))?;
                    cell.plain().len()
                }
                Cell::Money(d) => {
                    sheet.write_number_with_format(row, col, to_f64(*d), &money)?;
                    crate::i18n::format_number(*d, 2).len()
                }
                Cell::Date(d) => {
                    match excel_date(*d) {
                        Some(value) => sheet.write_datetime_with_format(row, col, value, &date)?,
                        None => sheet.write_string(row, col, cell.plain())?,
                    };
                    10
                }
                Cell::Timestamp(at) => {
                    let at = to_millis(*at);
                    let value = excel_date(at.date_naive()).and_then(|day| {
                        let ms = (at.nanosecond() / 1_000_000) as u16;
                        day.and_hms_milli(
                            at.hour() as u16,
                            at.minute() as u8,
                            at.second() as u8,
                            ms,
                        )
                        .ok()
                    });
                    match value {
                        Some(value) => {
                            sheet.write_datetime_with_format(row, col, value, &timestamp)?
                        }
                        None => sheet.write_string(row, col, cell.plain())?,
                    };
                    19
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(row, col, *b)?;
                    5
                }
            };
            let slot = &mut widths[usize::from(col)];
            *slot = (*slot).max(width);
        }
    }
    for (col, width) in (0..).zip(widths) {
        sheet.set_column_width(col, (width.clamp(6, MAX_WIDTH) + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Text within Excel's limit for one cell.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn to_f64(value: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive as _;
    value.to_f64().unwrap_or(0.0)
}

/// The date as Excel stores it, when Excel can (1900 to 9999).
fn excel_date(date: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}
