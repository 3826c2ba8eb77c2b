//! XLSX out through `rust_xlsxwriter` in its constant-memory mode: each row goes to a temporary
//! file as it comes, so a million deals take megabytes, not gigabytes. Typed cells with date and
//! money formats, a bold frozen header row, columns wide enough for their content. A sheet holds
//! Excel's 1,048,576 rows at most: the rows go on in a second sheet (`Opportunities (2)`),
//! under the header again.

use std::io::{self, Seek, SeekFrom, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{Datelike as _, NaiveDate, Timelike as _};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::table::{Cell, Table, to_millis};

/// Excel's limit on the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// No column gets wider than this many characters; longer text wraps or is cut on screen.
const MAX_WIDTH: usize = 60;
/// Excel's limit on the rows of one sheet, its header included.
const EXCEL_ROWS: u32 = 1_048_576;

/// The formats of typed cells.
struct Formats {
    header: Format,
    date: Format,
    timestamp: Format,
    money: Format,
    integer: Format,
}

/// A workbook being written row by row; [`Writer::save`] writes the file.
pub struct Writer {
    book: Workbook,
    sheet: &'static str,
    headers: Vec<&'static str>,
    formats: Formats,
    /// How many sheets are begun; rows go to the last.
    sheets: usize,
    /// The next row of the last sheet.
    next: u32,
    /// The rows a sheet holds, its header included.
    rows_per_sheet: u32,
    /// Each column's widest content in characters, over every sheet.
    widths: Vec<usize>,
}

impl Writer {
    /// A workbook whose first sheet, named `sheet`, has its header row.
    pub fn new(sheet: &'static str, headers: Vec<&'static str>) -> io::Result<Writer> {
        let mut writer = Writer {
            book: Workbook::new(),
            sheet,
            widths: headers.iter().map(|h| h.chars().count()).collect(),
            headers,
            formats: Formats {
                header: Format::new().set_bold(),
                date: Format::new().set_num_format("yyyy-mm-dd"),
                timestamp: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
                money: Format::new().set_num_format("#,##0.00"),
                integer: Format::new().set_num_format("0"),
            },
            sheets: 0,
            next: 0,
            rows_per_sheet: EXCEL_ROWS,
        };
        writer.begin_sheet()?;
        Ok(writer)
    }

    /// A new sheet, its header written and frozen.
    fn begin_sheet(&mut self) -> io::Result<()> {
        self.sheets += 1;
        let name = match self.sheets {
            1 => self.sheet.to_owned(),
            n => format!("{} ({n})", self.sheet),
        };
        let sheet = guarded(|| Ok(self.book.add_worksheet_with_constant_memory()))?;
        sheet.set_name(name).map_err(to_io)?;
        sheet.set_freeze_panes(1, 0).map_err(to_io)?;
        for (col, name) in (0..).zip(&self.headers) {
            guarded(|| sheet.write_string_with_format(0, col, *name, &self.formats.header))?;
        }
        self.next = 1;
        Ok(())
    }

    /// Writes one row, on a new sheet when the last is full.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        if self.next >= self.rows_per_sheet {
            self.begin_sheet()?;
        }
        let row = self.next;
        let sheet = self
            .book
            .worksheet_from_index(self.sheets - 1)
            .map_err(to_io)?;
        for ((col, cell), slot) in (0..).zip(cells).zip(&mut self.widths) {
            let width = guarded(|| write_cell(sheet, &self.formats, row, col, cell))?;
            *slot = (*slot).max(width);
        }
        self.next += 1;
        Ok(())
    }

    /// Sets the columns' widths and writes the workbook to `out`.
    pub fn save<W: Write + Seek + Send>(mut self, out: W) -> io::Result<()> {
        for index in 0..self.sheets {
            let sheet = self.book.worksheet_from_index(index).map_err(to_io)?;
            for (col, width) in (0..).zip(&self.widths) {
                let width = ((*width).clamp(6, MAX_WIDTH) + 2) as f64;
                sheet.set_column_width(col, width).map_err(to_io)?;
            }
        }
        let mut out = Sticky::new(out);
        guarded(|| self.book.save_to_writer(&mut out))?;
        out.error.map_or(Ok(()), Err)
    }
}

/// A table (a report's rows) as a workbook written to `out`.
pub fn write(table: &Table, out: impl Write + Seek + Send) -> io::Result<()> {
    let mut book = Writer::new(table.sheet, table.headers.clone())?;
    for row in &table.rows {
        book.row(row)?;
    }
    book.save(out)
}

/// Writes one cell; its width in characters.
fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<usize, XlsxError> {
    Ok(match cell {
        Cell::Empty => 0,
        Cell::Text(text) => {
            let text = cut(text);
            sheet.write_string(row, col, text)?;
            text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
        }
        Cell::Integer(n) => {
            // Excel numbers are doubles: exact up to 2^53, which ids never reach.
            sheet.write_number_with_format(row, col, *n as f64, &formats.integer)?;
            n.to_string().len()
        }
        Cell::Decimal(d) => {
            sheet.write_number(row, col, to_f64(*d))?;
            cell.plain().len()
        }
        Cell::Money(d) => {
            sheet.write_number_with_format(row, col, to_f64(*d), &formats.money)?;
            crate::i18n::format_number(*d, 2).len()
        }
        Cell::Date(d) => {
            match excel_date(*d) {
                Some(value) => sheet.write_datetime_with_format(row, col, value, &formats.date)?,
                None => sheet.write_string(row, col, cell.plain())?,
            };
            10
        }
        Cell::Timestamp(at) => {
            let at = to_millis(*at);
            let value = excel_date(at.date_naive()).and_then(|day| {
                let ms = (at.nanosecond() / 1_000_000) as u16;
                day.and_hms_milli(at.hour() as u16, at.minute() as u8, at.second() as u8, ms)
                    .ok()
            });
            match value {
                Some(value) => {
                    sheet.write_datetime_with_format(row, col, value, &formats.timestamp)?
                }
                None => sheet.write_string(row, col, cell.plain())?,
            };
            19
        }
        Cell::Bool(b) => {
            sheet.write_boolean(row, col, *b)?;
            5
        }
    })
}

thread_local! {
    /// Set while a [`guarded`] call runs: its panic is an error, not a message on stderr.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a `rust_xlsxwriter` call that may panic: in constant-memory mode it panics when its
/// scratch file in the system's temporary folder cannot be made or written (a full disk). The
/// panic becomes an error, printed by nobody.
fn guarded<T>(f: impl FnOnce() -> Result<T, XlsxError>) -> io::Result<T> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.get() {
                previous(info);
            }
        }));
    });
    GUARDED.set(true);
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.set(false);
    match result {
        Ok(result) => result.map_err(to_io),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(io::Error::other(crate::tr!(
                "the workbook's scratch file in {folder} could not be written ({detail})",
                folder = std::env::temp_dir().display(),
                detail = detail
            )))
        }
    }
}

fn to_io(e: XlsxError) -> io::Error {
    match e {
        XlsxError::IoError(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

/// A writer that keeps its first error instead of returning it: `rust_xlsxwriter` panics on
/// a failed write of a constant-memory sheet, and the zip it writes complains on stderr, so the
/// failure (a full disk) is kept here and reported after the save. After it, writes and seeks
/// go nowhere, their positions followed as if they had happened.
struct Sticky<W> {
    out: W,
    error: Option<io::Error>,
    /// Where the next byte would go, and the end of what was written.
    at: u64,
    end: u64,
}

impl<W> Sticky<W> {
    fn new(out: W) -> Sticky<W> {
        Sticky {
            out,
            error: None,
            at: 0,
            end: 0,
        }
    }

    /// Keeps `result`'s error, if it is the first.
    fn keep<T>(&mut self, result: io::Result<T>) -> Option<T> {
        result.map_err(|e| self.error = Some(e)).ok()
    }

    fn moved_to(&mut self, at: u64) -> u64 {
        self.at = at;
        self.end = self.end.max(at);
        at
    }
}

impl<W: Write> Write for Sticky<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            let written = self.out.write_all(buf);
            self.keep(written);
        }
        self.moved_to(self.at + buf.len() as u64);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.error.is_none() {
            let flushed = self.out.flush();
            self.keep(flushed);
        }
        Ok(())
    }
}

impl<W: Seek> Seek for Sticky<W> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        if self.error.is_none() {
            let sought = self.out.seek(pos);
            if let Some(at) = self.keep(sought) {
                return Ok(self.moved_to(at));
            }
        }
        let at = match pos {
            SeekFrom::Start(at) => at,
            SeekFrom::Current(by) => self.at.saturating_add_signed(by),
            SeekFrom::End(by) => self.end.saturating_add_signed(by),
        };
        Ok(self.moved_to(at))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_past_a_full_sheet_go_on_in_the_next_under_the_header_again() {
        let mut book = Writer::new("Deals", vec!["id", "name"]).unwrap();
        // A sheet of 3 rows: the header and two deals.
        book.rows_per_sheet = 3;
        for id in 1..=5 {
            book.row(&[Cell::Integer(id), Cell::text(format!("Deal {id}"))])
                .unwrap();
        }
        let names: Vec<String> = book
            .book
            .worksheets()
            .iter()
            .map(rust_xlsxwriter::Worksheet::name)
            .collect();
        assert_eq!(names, ["Deals", "Deals (2)", "Deals (3)"]);
        let mut bytes = io::Cursor::new(Vec::new());
        book.save(&mut bytes).unwrap();
        let mut zip = zip::ZipArchive::new(bytes).unwrap();
        let mut sheet = |n: usize| {
            let mut xml = String::new();
            let path = format!("xl/worksheets/sheet{n}.xml");
            io::Read::read_to_string(&mut zip.by_name(&path).unwrap(), &mut xml).unwrap();
            xml
        };
        let texts = |xml: &str| -> Vec<String> {
            xml.split("<t>")
                .skip(1)
                .map(|t| t.split("</t>").next().unwrap().to_owned())
                .collect()
        };
        assert_eq!(texts(&sheet(1)), ["id", "name", "Deal 1", "Deal 2"]);
        assert_eq!(texts(&sheet(2)), ["id", "name", "Deal 3", "Deal 4"]);
        let last = sheet(3);
        assert_eq!(texts(&last), ["id", "name", "Deal 5"]);
        assert!(
            last.contains("<c r=\"A2\" s=\"2\"><v>5</v></c>"),
            "a number: {last}"
        );
        assert!(
            last.contains("<pane ySplit=\"1\""),
            "the header is frozen: {last}"
        );
    }

    #[test]
    fn a_failed_write_is_an_error_not_a_panic() {
        // A full disk: writes fail, and so do seeks (a buffered file flushes before seeking).
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        impl Seek for Full {
            fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
        }
        let mut book = Writer::new("Deals", vec!["id"]).unwrap();
        book.row(&[Cell::Integer(1)]).unwrap();
        let failed = book.save(Full).unwrap_err();
        assert_eq!(failed.kind(), io::ErrorKind::StorageFull);
    }
}
