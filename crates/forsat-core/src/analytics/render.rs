//! Report rows as a table aligned for a terminal (CSV is [`super::csv`]).

use std::fmt::Write as _;

/// Rows as a table aligned for a terminal; columns whose every cell is a number are
/// right-aligned.
pub fn table<R: AsRef<[String]>>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String {
    let n = header.len();
    let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r.as_ref().to_vec()).collect();
    let numeric: Vec<bool> = (0..n)
        .map(|c| {
            rows.iter().any(|r| !r[c].is_empty())
                && rows
                    .iter()
                    .all(|r| r[c].is_empty() || r[c].parse::<rust_decimal::Decimal>().is_ok())
        })
        .collect();
    let widths: Vec<usize> = (0..n)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = (0..n)
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
    fn table_aligns_numbers_right() {
        let rows = || {
            [
                ["Acme, Inc.".to_owned(), "12.50".to_owned()],
                ["Say \"hi\"".to_owned(), "3".to_owned()],
            ]
        };
        assert_eq!(
            table(&["Name", "Amount"], rows()),
            "Name        Amount\nAcme, Inc.   12.50\nSay \"hi\"         3\n"
        );
    }
}
