//! CSV in: RFC 4180 through the `csv` crate. CSV out is [`crate::analytics::csv`], the one
//! writer, whose guard against CSV injection the importer undoes ([`restore`]).

use csv::StringRecord;

/// The guard every CSV Forsat writes puts before formulas, removed again on reading.
pub(super) use crate::analytics::csv::restore;

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
    fn the_separator_is_the_header_lines_most_used() {
        assert_eq!(separator(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(separator(b"a;b;\"c,d,e\"\n"), b';');
        assert_eq!(separator(b"a\tb\n"), b'\t');
        assert_eq!(separator(b"single\n"), b',');
    }
}
