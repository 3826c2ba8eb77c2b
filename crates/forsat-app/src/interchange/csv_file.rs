//! CSV in: RFC 4180 through the `csv` crate. CSV out is [`crate::analytics::csv`], the one
//! writer, whose guard against CSV injection the importer undoes ([`restore`]).

/// The guard every CSV Forsat writes puts before formulas, removed again on reading.
pub(super) use crate::analytics::csv::restore;

use super::ReadError;

/// The text of a CSV file: its bytes without a UTF-8 byte-order mark; an error when it is not
/// UTF-8.
pub fn text(bytes: &[u8]) -> Result<&[u8], ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(bytes),
        Err(e) => Err(ReadError::NotUtf8 {
            byte: e.valid_up_to() + 1,
        }),
    }
}

/// A reader of the records of `text` (a whole file, or a file from the start of one of its
/// records), a record at a time: RFC 4180 quoting, rows may be shorter or longer than the
/// header (the importer says what a longer one means).
pub fn reader(text: &[u8], separator: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text)
}

/// Whether the last record of a file, `record` (from its first byte to the end of the file),
/// has a quoted cell that is never closed: everything after its opening quote would be read
/// into that one cell. A quote opens a cell only as its first character, as RFC 4180 and the
/// reader have it; `""` inside a quoted cell is a quote.
pub fn unclosed_quote(record: &[u8], separator: u8) -> bool {
    let mut quoted = false;
    let mut cell_start = true;
    let mut bytes = record.iter().peekable();
    while let Some(&b) = bytes.next() {
        if quoted {
            if b == b'"' && bytes.next_if_eq(&&b'"').is_none() {
                quoted = false;
            }
        } else if cell_start && b == b'"' {
            quoted = true;
            cell_start = false;
        } else {
            cell_start = b == separator || b == b'\n' || b == b'\r';
        }
    }
    quoted
}

/// The separator the first line uses most, outside quotes: `,` unless `;` or tab wins.
pub fn separator(bytes: &[u8]) -> u8 {
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
    fn a_quote_left_open_is_found_and_quoted_line_breaks_are_not() {
        assert!(unclosed_quote(b"3,\"Broken,x\r\n4,y,z\r\n", b','));
        assert!(!unclosed_quote(b"3,\"Line one\nline two\",x\r\n", b','));
        assert!(!unclosed_quote(b"3,\"He said \"\"hi\"\"\",x\r\n", b','));
        // A quote inside an unquoted cell is a character, not an opening.
        assert!(!unclosed_quote(b"3,15\" screen,x\r\n", b','));
        assert!(unclosed_quote(b"3;\"a;b\n", b';'));
    }

    #[test]
    fn the_separator_is_the_header_lines_most_used() {
        assert_eq!(separator(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(separator(b"a;b;\"c,d,e\"\n"), b';');
        assert_eq!(separator(b"a\tb\n"), b'\t');
        assert_eq!(separator(b"single\n"), b',');
    }
}
