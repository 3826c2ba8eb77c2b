//! Importing deals from a CSV file: read, check every cell, then write every deal with the
//! records it needs in one transaction — or nothing.
//!
//! The steps, each in its file: the file's columns mapped to a format's fields (`mapping.rs`),
//! the import run a slice of rows at a time (`job.rs`), each row's cells read and checked
//! (`rows.rs`, `cells.rs`), the stages rows name and the ones the import creates
//! (`stages.rs`), the accounts, contacts, lookups and products they name (`references.rs`),
//! the one command writing it all (`plan.rs`), and what the import tells (`report.rs`).

mod cells;
mod deals;
mod job;
mod mapping;
mod plan;
mod references;
mod report;
mod rows;
mod stages;

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Source;
use super::columns::FileColumn;
use super::formats::Target;
use crate::command::Command;
use crate::domain::Field;
use crate::workspace::Workspace;

pub use job::ImportJob;
pub use report::{ImportError, ImportSummary, NewStage, RowError, capped};

/// How to import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The format of the file; [`Source::Auto`] detects it from the header.
    pub from: Source,
    /// Check everything and report what would be created, writing nothing.
    pub dry_run: bool,
    /// Import the good rows and report the bad ones, instead of importing nothing.
    pub skip_bad_rows: bool,
    /// The user's column mapping: what the file's column at each position (0 for the first)
    /// feeds, over what the format says. A column given the target of another loses it to
    /// the other; [`Target::Ignored`] leaves a column out.
    pub columns: BTreeMap<usize, Target>,
    /// The decimal separator (`.` or `,`) of number columns whose values do not show it
    /// (every value like `1.500`); without it such a column is refused, never guessed.
    pub decimal_separator: Option<char>,
    /// The order of the new open stages the file adds, by name (case ignored): these first,
    /// in this order, the others after them as the import orders them. A name that is not a
    /// stage the file adds is refused ([`ImportError::Options`]).
    pub stage_order: Vec<String>,
}

/// Imports, or with `dry_run` checks.
pub fn import(
    ws: &mut Workspace,
    bytes: impl Into<Arc<[u8]>>,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let (summary, command) = ImportJob::start(bytes, options)?.finish(ws)?;
    if let Some(command) = command {
        ws.apply(command)
            .map_err(|e| ImportError::Write(e.to_string()))?;
    }
    Ok(summary)
}

/// What [`import`] would write, as one command (None for a dry run or a file without deals),
/// for a caller that applies it itself (the window, through its undo stack).
pub fn prepare(
    ws: &Workspace,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(ImportSummary, Option<Command>), ImportError> {
    ImportJob::start(bytes, options)?.finish(ws)
}

/// What [`import`] would do, writing nothing.
pub fn check(
    ws: &Workspace,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let options = ImportOptions {
        dry_run: true,
        ..options.clone()
    };
    prepare(ws, bytes, &options).map(|(summary, _)| summary)
}

/// A header as compared: case, spaces, underscores and a trailing colon ignored.
pub(super) fn normalize_header(header: &str) -> String {
    header
        .trim()
        .trim_end_matches(':')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The target of a Forsat field's column.
const fn f(field: Field) -> Target {
    Target::Column(FileColumn::Field(field))
}
