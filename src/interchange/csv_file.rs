//! CSV in and out: RFC 4180 through the `csv` crate, and the guard against CSV injection.

use std::borrow::Cow;

use csv::StringRecord;

use super::table::{Cell, Table};

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

/// The table as CSV: UTF-8, a header row, fields quoted only when needed, CRLF line ends.
pub fn write(table: &Table) -> Result<Vec<u8>, String> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(&table.headers)
        .map_err(|e| e.to_string())?;
    let mut record: Vec<String> = Vec::with_capacity(table.headers.len());
    for row in &table.rows {
        record.clear();
        record.extend(row.iter().map(|cell| match cell {
            Cell::Text(text) => defuse(text).into_owned(),
            other => other.plain(),
        }));
        out.write_record(&record).map_err(|e| e.to_string())?;
    }
    out.into_inner().map_err(|e| e.to_string())
}

/// A CSV file's records as text, the header first. Accepts a UTF-8 byte-order mark and a comma,
/// semicolon or tab as separator (the one the header line uses most); rows may be shorter or
/// longer than the header. A record keeps its cells in one buffer (two allocations a row, not
/// one a cell: 100k rows of 40 columns are 4M cells).
pub fn read(bytes: &[u8]) -> Result<Vec<StringRecord>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(crate::tr!(
            "the file is not UTF-8 text (byte {at}): save it as “CSV UTF-8”",
            at = e.valid_up_to() + 1
        ));
    }
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(bytes))
        .from_reader(bytes);
    reader
        .into_records()
        .map(|record| record.map_err(|e| e.to_string()))
        .collect()
}

/// The separator the first line uses most, outside quotes: `,` unless `;` or tab wins.
fn separator(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    best.map_or(b',', |i| seps[i])
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
    fn the_separator_is_the_header_lines_most_used() {
        assert_eq!(separator(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(separator(b"a;b;\"c,d,e\"\n"), b';');
        assert_eq!(separator(b"a\tb\n"), b'\t');
        assert_eq!(separator(b"single\n"), b',');
    }
}
