//! What an import tells: its summary, and the bad cells and other reasons it stops.

use std::fmt;

use super::super::Source;
use crate::domain::{StageKind, escaped};
use crate::{tr, trn};

/// A cell that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The row as a spreadsheet numbers it: the header is row 1.
    pub row: usize,
    /// The column's header as the file has it (a Forsat column key when the file lacks it).
    pub column: String,
    /// The cell's text.
    pub value: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = if self.value.is_empty() {
            tr!(
                "row {row}, {column}: {reason}",
                row = self.row,
                column = escaped(&self.column),
                reason = self.reason
            )
        } else {
            tr!(
                "row {row}, {column} “{value}”: {reason}",
                row = self.row,
                column = escaped(&self.column),
                value = shorten(&self.value),
                reason = self.reason
            )
        };
        f.write_str(&text)
    }
}

/// A long or multi-line value cut for a one-line message, its other control characters
/// escaped.
fn shorten(value: &str) -> String {
    let one_line = escaped(&value.replace(['\r', '\n'], " ")).into_owned();
    if one_line.chars().count() > 60 {
        one_line.chars().take(57).chain("...".chars()).collect()
    } else {
        one_line
    }
}

/// What an import did (or, for a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The format read (never [`Source::Auto`]).
    pub format: Source,
    pub dry_run: bool,
    /// Rows with data read from the file (blank rows are not counted).
    pub rows: usize,
    /// Deals created.
    pub deals: usize,
    pub accounts: usize,
    pub contacts: usize,
    /// Sources, campaigns, salespeople, competitors, loss reasons and tags.
    pub lookups: usize,
    pub products: usize,
    pub pipelines: usize,
    pub stages: usize,
    /// Rows left out because of bad cells ([`ImportOptions::skip_bad_rows`]).
    pub skipped_rows: usize,
    /// The bad cells of the skipped rows.
    pub errors: Vec<RowError>,
    /// Whether the deals kept the ids of the file (an import into an empty database).
    pub kept_ids: bool,
    /// What else to tell the user: columns ignored, records created, date orders guessed.
    pub messages: Vec<String>,
    /// The stages the import adds, each pipeline's in their order (open ones first).
    pub new_stages: Vec<NewStage>,
}

/// A stage an import adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStage {
    /// Its pipeline's name.
    pub pipeline: String,
    pub name: String,
    pub kind: StageKind,
}

/// Why nothing was imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The file cannot be read as a CSV of deals (not UTF-8, no header, unknown format).
    Unreadable(String),
    /// Cells that are not valid; `rows` rows have at least one.
    BadRows {
        errors: Vec<RowError>,
        rows: usize,
        messages: Vec<String>,
    },
    /// The database refused or failed the write.
    Write(String),
    /// The options do not fit the file (a stage order naming a stage the file does not add).
    Options(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::BadRows { errors, rows, .. } => {
                writeln!(
                    f,
                    "{}",
                    trn!(*rows, "{n} rows have bad cells; nothing was imported:")
                )?;
                for line in capped(errors) {
                    writeln!(f, "  {line}")?;
                }
                Ok(())
            }
            ImportError::Unreadable(why) | ImportError::Write(why) | ImportError::Options(why) => {
                f.write_str(why)
            }
        }
    }
}

impl std::error::Error for ImportError {}

/// How many bad cells a message lists; the rest are counted (the CLI writes them all to
/// `--errors-file`).
pub const SHOWN_ERRORS: usize = 50;

/// The first [`SHOWN_ERRORS`] errors as lines, then "and N more" when there are more: a file
/// of a million bad rows makes a message of a few lines, not megabytes.
pub fn capped(errors: &[RowError]) -> impl Iterator<Item = String> + '_ {
    let more = errors.len().saturating_sub(SHOWN_ERRORS);
    errors
        .iter()
        .take(SHOWN_ERRORS)
        .map(ToString::to_string)
        .chain((more > 0).then(|| trn!(more, "and {n} more")))
}
