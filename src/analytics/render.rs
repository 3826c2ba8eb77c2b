//! Plain-text renderings of report rows for the CLI: CSV (RFC 4180) and an aligned table.

use std::fmt::Write as _;

/// Rows as CSV with a header line; cells are quoted when they hold a separator, quote or
/// line break.
pub fn csv<const N: usize>(
    header: &[&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let quoted: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        let _ = writeln!(out, "{}", quoted.join(","));
    };
    line(header);
    for row in rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Rows as a table aligned for a terminal; columns whose every cell is a number are
/// right-aligned.
pub fn table<const N: usize>(
    header: &[&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> String {
    let rows: Vec<[String; N]> = rows.into_iter().collect();
    let numeric: Vec<bool> = (0..N)
        .map(|c| {
            !rows.is_empty()
                && rows
                    .iter()
                    .all(|r| r[c].parse::<rust_decimal::Decimal>().is_ok())
        })
        .collect();
    let widths: Vec<usize> = (0..N)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = (0..N)
            .map(|c| {
                let pad = " ".repeat(widths[c] - row[c].chars().count());
                if numeric[c] {
                    format!("{pad}{}", row[c])
                } else {
                    format!("{}{pad}", row[c])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_table_aligns_numbers_right() {
        let rows = || {
            [
                ["Acme, Inc.".to_owned(), "12.50".to_owned()],
                ["Say \"hi\"".to_owned(), "3".to_owned()],
            ]
        };
        assert_eq!(
            csv(&["name", "amount"], rows()),
            "name,amount\n\"Acme, Inc.\",12.50\n\"Say \"\"hi\"\"\",3\n"
        );
        assert_eq!(
            table(&["Name", "Amount"], rows()),
            "Name        Amount\nAcme, Inc.   12.50\nSay \"hi\"         3\n"
        );
    }
}
