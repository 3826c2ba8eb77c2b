//! The one CSV writer: exports, report files, `report --format csv` and `history --format csv`
//! all write through [`Writer`]. UTF-8, a header row, RFC 4180 quoting (through the `csv`
//! crate), CRLF line ends; a text cell beginning with `=`, `+`, `-`, `@`, tab or carriage return
//! is written with a leading `'` so no spreadsheet evaluates it (CSV injection). The importer
//! removes that one apostrophe again ([`restore`]).

use std::borrow::Cow;
use std::io::{self, Write};

use rust_decimal::Decimal;

use super::cells::{Cell, decimal_text};

/// The first characters that make a spreadsheet read a cell as a formula (OWASP's list).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would evaluate `text`: it begins with a trigger, or with
/// apostrophes and then a trigger (text that would read as a guarded cell).
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// Text as a CSV cell: with a leading `'` when it begins like a formula (or like a guarded
/// one), so no spreadsheet evaluates it.
pub fn defuse(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV cell as the text it guards: exactly one leading `'` is dropped when what follows
/// begins like a formula, possibly after more apostrophes (the inverse of [`defuse`]).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// A CSV error as the I/O error it was, kind kept (a closed pipe stays `BrokenPipe`).
fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Rows of typed cells written as CSV to `W` one at a time: text guarded, numbers, dates and
/// booleans as [`Cell::plain`] (a number is never guarded: `-5` stays a number).
pub struct Writer<W: Write> {
    out: csv::Writer<W>,
    money: fn(Decimal) -> String,
}

impl<W: Write> Writer<W> {
    /// A writer that has written the header row; amounts as plain decimals (`1500`, `0.01`).
    pub fn new(out: W, headers: &[&str]) -> io::Result<Writer<W>> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(headers).map_err(io_error)?;
        Ok(Writer {
            out,
            money: decimal_text,
        })
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[Cell]) -> io::Result<()> {
        for cell in cells {
            match cell {
                Cell::Text(text) => self.out.write_field(defuse(text).as_bytes()),
                Cell::Money(amount) => self.out.write_field((self.money)(*amount)),
                other => self.out.write_field(other.plain()),
            }
            .map_err(io_error)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(io_error)
    }

    /// Writes what is buffered and gives the output back.
    pub fn finish(self) -> io::Result<W> {
        self.out
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)
    }
}

/// Rows as CSV text (a report, a deal's history), amounts with two decimals as reports show
/// them.
pub fn to_string<R: AsRef<[Cell]>>(headers: &[&str], rows: impl IntoIterator<Item = R>) -> String {
    let written = (|| {
        let mut out = Writer {
            money: super::money_string,
            ..Writer::new(Vec::new(), headers)?
        };
        for row in rows {
            out.row(row.as_ref())?;
        }
        out.finish()
    })();
    // Memory takes every write, and every cell is UTF-8 text.
    String::from_utf8(written.expect("writing to memory cannot fail")).expect("CSV of text is text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_restored() {
        for text in [
            "=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "'=x", "''=x", "'x", "''x", "'", "x", "",
        ] {
            assert_eq!(restore(&defuse(text)), text, "{text:?}");
        }
        assert_eq!(defuse("=1"), "'=1");
        assert_eq!(defuse("a=1"), "a=1");
        assert_eq!(defuse("'=1"), "''=1");
        assert_eq!(defuse("'1"), "'1");
    }

    #[test]
    fn text_is_guarded_and_quoted_numbers_are_not_guarded() {
        let rows = [
            vec![
                Cell::text("=HYPERLINK(\"http://x\",\"y\")"),
                Cell::Money(Decimal::new(-500, 2)),
            ],
            vec![Cell::text("Acme, Inc."), Cell::Integer(3)],
        ];
        assert_eq!(
            to_string(&["name", "amount"], &rows),
            "name,amount\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-5.00\r\n\"Acme, Inc.\",3\r\n"
        );
    }
}
