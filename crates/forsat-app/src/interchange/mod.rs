//! Files in and out: CSV and XLSX export, CSV and workbook import of Forsat's own format and of
//! Odoo, `SuiteCRM` and Pipedrive exports.
//!
//! **Export** makes the rows of typed cells from the workspace one at a time (`export.rs`) and
//! hands each to a writer as it comes: CSV ([`crate::analytics::csv`], the one CSV writer:
//! UTF-8, a header row, RFC 4180 quoting, CRLF line ends, plain decimals, ISO 8601 dates,
//! RFC 3339 UTC timestamps) or XLSX (numbers, dates and money as typed cells with formats, a
//! bold frozen header, rows past Excel's limit on a second sheet). A CSV text cell beginning
//! with `=`, `+`, `-`, `@`, tab or carriage return is written with a leading `'` so no
//! spreadsheet evaluates it (CSV injection); the importer removes that one apostrophe again.
//! A file is written through [`crate::store::files::write_file`]: never onto the database or
//! its backups, never over another file unless agreed, never left half written.
//!
//! **Import** reads a CSV file (a workbook is first made the CSV text of its sheet with the
//! header, `workbook.rs`), detects its format from the header, parses every cell (numbers
//! and dates column by column, never row by row), and writes every deal with the accounts,
//! contacts, lookups, products and stages it needs in one [`crate::command::Command`]. Any bad
//! cell stops the import before anything is written, unless
//! [`ImportOptions::skip_bad_rows`] is set. Each format is a table of headers naming the
//! importer's fields plus a few value rules (how tags are separated, how a deal is won or
//! lost); see `formats.rs`. Everything after the header is shared. What other systems write
//! in ways Forsat's fields do not take (a name exported as a multi-line cell, Odoo's HTML
//! notes, an email written with its owner's name) is repaired and counted in the summary's
//! notes (`clean.rs`); what cannot be repaired without guessing is refused. A deal's contact
//! comes with its email and phone, found among the account's contacts by email, then by name.
//!
//! Each deal's stage history is what the file implies (`Plan::build` in `import/plan.rs`,
//! `import/deals.rs`): a won or lost deal of Odoo or Pipedrive entered the stage the file names
//! (at the file's stage change time, else at creation), then closed, so the funnel and the
//! leakage count it where it was; new stages follow the system's default order, else their
//! deals' probabilities, or the user's [`ImportOptions::stage_order`].
//!
//! The columns of each kind are listed in [`columns`]; the opportunity columns are named by
//! [`crate::domain::Field::key`] where the field exists.

mod calendar;
mod clean;
pub mod columns;
mod csv_file;
mod error;
mod export;
mod formats;
mod import;
pub mod invitation;
mod parse;
mod rates;
pub mod vcard;
mod workbook;
mod xlsx;

use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

// Typed cells live with the reports, the lowest layer that writes them.
use crate::analytics::cells as table;
use crate::domain::Id;
use crate::store::files::{FileError, Replace, write_file};
use crate::tr;
use crate::workspace::Workspace;

pub use columns::FileColumn;
pub use error::{ExportError, ReadError};
pub use formats::Target;
pub use import::{
    ImportError, ImportJob, ImportOptions, ImportSummary, NewStage, RowError, capped,
};

/// What an export contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Kind {
    /// Every deal with every field, references by name.
    Opportunities,
    /// Every account.
    Accounts,
    /// Every stage move of every deal.
    StageEvents,
    /// Every change of every deal.
    History,
    /// Every activity of every deal and account (of the deals only, for some deals).
    Activities,
    /// Every contact (of the deals' accounts, for some deals).
    Contacts,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Opportunities,
        Kind::Accounts,
        Kind::StageEvents,
        Kind::History,
        Kind::Activities,
        Kind::Contacts,
    ];

    /// The spelling of the command line (`stage-events`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Opportunities => "opportunities",
            Kind::Accounts => "accounts",
            Kind::StageEvents => "stage-events",
            Kind::History => "history",
            Kind::Activities => "activities",
            Kind::Contacts => "contacts",
        }
    }
}

/// The file format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Comma-separated values, UTF-8.
    Csv,
    /// An Excel workbook with typed cells.
    Xlsx,
    /// An iCalendar file (activities only), for calendar apps.
    Ics,
    /// A vCard file (contacts only), for address books.
    Vcf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ics => "ics",
            Format::Vcf => "vcf",
        }
    }

    /// The format a file name's extension names (`.xlsx`, `.ics`, `.vcf`, anything else
    /// CSV).
    pub fn of_path(path: &Path) -> Format {
        let extension = path.extension().unwrap_or_default();
        if extension.eq_ignore_ascii_case("vcard") {
            return Format::Vcf;
        }
        [Format::Xlsx, Format::Ics, Format::Vcf]
            .into_iter()
            .find(|f| extension.eq_ignore_ascii_case(f.as_str()))
            .unwrap_or(Format::Csv)
    }

    /// Whether `what` can be written in this format (iCalendar holds activities only, vCard
    /// contacts only).
    pub fn holds(self, what: Kind) -> bool {
        match self {
            Format::Ics => what == Kind::Activities,
            Format::Vcf => what == Kind::Contacts,
            Format::Csv | Format::Xlsx => true,
        }
    }
}

/// The system a file to import comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Source {
    /// Detected from the header row.
    #[default]
    Auto,
    /// A Forsat opportunities export (or any CSV with its column names).
    Forsat,
    /// An Odoo CRM list export (crm.lead), with field labels or technical names as headers.
    Odoo,
    /// A `SuiteCRM` or `SugarCRM` Opportunities export.
    Suitecrm,
    /// A Pipedrive deals export.
    Pipedrive,
}

impl Source {
    /// Every source, in the order an import dialog offers them.
    pub const ALL: [Source; 5] = [
        Source::Auto,
        Source::Forsat,
        Source::Odoo,
        Source::Suitecrm,
        Source::Pipedrive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Auto => "auto",
            Source::Forsat => "forsat",
            Source::Odoo => "odoo",
            Source::Suitecrm => "suitecrm",
            Source::Pipedrive => "pipedrive",
        }
    }

    /// The system's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Auto => "auto",
            Source::Forsat => "Forsat",
            Source::Odoo => "Odoo",
            Source::Suitecrm => "SuiteCRM",
            Source::Pipedrive => "Pipedrive",
        }
    }
}

/// Writes one kind, of every deal or only of the deals `ids` (the list's filter or selection,
/// in its order: those deals, their stage moves or history, or their accounts), to `out` as CSV,
/// each row as it is made.
pub fn write_csv(
    ws: &Workspace,
    what: Kind,
    ids: Option<&[Id]>,
    out: impl Write,
) -> io::Result<()> {
    let (_, headers) = export::header(what);
    let mut csv = crate::analytics::csv::Writer::new(out, &headers)?;
    export::rows(ws, what, ids, &mut |cells| csv.row(cells))?;
    csv.finish()?.flush()
}

/// Writes one kind (as [`write_csv`]) to `out` in a text format (CSV, iCalendar or vCard),
/// which needs no seeking: standard output.
pub fn write_text(ws: &Workspace, what: Kind, format: Format, out: impl Write) -> io::Result<()> {
    match format {
        Format::Ics | Format::Vcf => write_exchange(ws, what, format, None, out),
        Format::Csv | Format::Xlsx => write_csv(ws, what, None, out),
    }
}

/// Writes the activities as an iCalendar file or the contacts as a vCard file (of the deals
/// `ids`, if given); another kind is refused.
fn write_exchange(
    ws: &Workspace,
    what: Kind,
    format: Format,
    ids: Option<&[Id]>,
    mut out: impl Write,
) -> io::Result<()> {
    let text = match (format, what) {
        (Format::Ics, Kind::Activities) => {
            calendar::draft(ws, ids).write(&mut out)?;
            return out.flush();
        }
        (Format::Vcf, Kind::Contacts) => {
            let accounts = ids.map(|ids| {
                ids.iter()
                    .filter_map(|id| ws.opportunity(*id))
                    .map(|o| o.account)
                    .collect::<Vec<_>>()
            });
            vcard::contacts_vcf(ws, accounts.as_deref())
        }
        (Format::Ics, _) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                tr!("Only activities can be written as an iCalendar file (.ics)."),
            ));
        }
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                tr!("Only contacts can be written as a vCard file (.vcf)."),
            ));
        }
    };
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes one kind (as [`write_csv`]) to `out` in `format`.
pub fn write(
    ws: &Workspace,
    what: Kind,
    ids: Option<&[Id]>,
    format: Format,
    out: impl Write + Seek + Send,
) -> io::Result<()> {
    match format {
        Format::Csv => write_csv(ws, what, ids, out),
        Format::Ics | Format::Vcf => write_exchange(ws, what, format, ids, out),
        Format::Xlsx => {
            let (sheet, headers) = export::header(what);
            let mut book = xlsx::Writer::new(sheet, headers)?;
            export::rows(ws, what, ids, &mut |cells| book.row(cells))?;
            book.save(out)
        }
    }
}

/// Writes one kind (as [`write_csv`]) to the file at `target` in `format`, through
/// [`write_file`]: the database and its backups are refused, an existing file is replaced only
/// with [`Replace::Allow`], and a failure leaves the old file as it was.
pub fn export_to(
    ws: &Workspace,
    what: Kind,
    ids: Option<&[Id]>,
    format: Format,
    target: &Path,
    replace: Replace,
) -> Result<(), FileError> {
    write_file(ws.path(), target, replace, |out| {
        write(ws, what, ids, format, out)
    })
}

/// The first 60 characters of a line, for a message.
fn clip(line: &str) -> String {
    line.chars().take(60).collect()
}

/// What calcard could not read in `text` (whose first line is line `first` of its file), in
/// words: the line it stopped at, by number, when it names one.
fn unreadable(entry: &calcard::Entry, text: &str, first: usize) -> String {
    if let calcard::Entry::InvalidLine(bad) = entry {
        let bad = bad.trim();
        let found = (first..)
            .zip(text.lines())
            .find(|(_, line)| !bad.is_empty() && line.contains(bad));
        if let Some((n, line)) = found {
            return tr!(
                "line {line}: “{text}” cannot be read",
                line = n,
                text = clip(line)
            );
        }
    }
    match entry {
        calcard::Entry::VCard(_) => tr!("it is a vCard file of contacts"),
        calcard::Entry::ICalendar(_) => tr!("it is an iCalendar file"),
        calcard::Entry::UnexpectedComponentEnd { expected, found } => tr!(
            "END:{found} where END:{expected} was due",
            found = found.as_str(),
            expected = expected.as_str()
        ),
        calcard::Entry::UnterminatedComponent(name) => {
            tr!("BEGIN:{name} has no END", name = name)
        }
        calcard::Entry::TooManyComponents => tr!("it holds too many parts"),
        calcard::Entry::Eof | calcard::Entry::InvalidLine(_) => {
            tr!("it ends before its last END line")
        }
        other => format!("{other:?}"),
    }
}

/// Keeps the settings' calendar file up to date: after a change of an activity, the file is
/// made and written on a thread of its own (a million activities take seconds), one write at a
/// time; a change made during a write is written after it. The user chose the file to be
/// replaced each time; the database and its backups are refused as for any export.
#[derive(Default)]
pub struct CalendarKeeper {
    /// The file and [`Workspace::activities_changed`] last sent to be written.
    sent: Option<(PathBuf, u64)>,
    writing: Option<std::thread::JoinHandle<Result<(), FileError>>>,
}

impl CalendarKeeper {
    /// Starts writing the file when its activities changed since it was last written and no
    /// write is under way; returns the outcome of a write that has finished. A failure is said
    /// once; the next change tries again.
    pub fn keep(&mut self, ws: &Workspace) -> Option<Result<(), FileError>> {
        let finished = if self
            .writing
            .as_ref()
            .is_some_and(std::thread::JoinHandle::is_finished)
        {
            self.finish()
        } else {
            None
        };
        if self.writing.is_none()
            && let Some(path) = ws.calendar_file()
        {
            let now = (path.to_owned(), ws.activities_changed());
            if self.sent.as_ref() != Some(&now) {
                let draft = calendar::draft(ws, None);
                let (db, target) = (ws.path().to_owned(), path.to_owned());
                self.writing = Some(std::thread::spawn(move || {
                    write_file(&db, &target, Replace::Allow, |out| draft.write(out))
                }));
                self.sent = Some(now);
            }
        }
        finished
    }

    /// Whether a write is under way.
    pub fn busy(&self) -> bool {
        self.writing.is_some()
    }

    /// Waits for the write under way, if any, and returns how it went.
    pub fn finish(&mut self) -> Option<Result<(), FileError>> {
        let writing = self.writing.take()?;
        Some(
            writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    }
}

/// The whole of one kind as the bytes of a file.
pub fn export(ws: &Workspace, what: Kind, format: Format) -> Result<Vec<u8>, ExportError> {
    in_memory(|out| write(ws, what, None, format, out))
}

/// One kind restricted to the deals `ids`, as the bytes of a file.
pub fn export_filtered(
    ws: &Workspace,
    what: Kind,
    ids: &[Id],
    format: Format,
) -> Result<Vec<u8>, ExportError> {
    in_memory(|out| write(ws, what, Some(ids), format, out))
}

fn in_memory(
    write: impl FnOnce(&mut io::Cursor<Vec<u8>>) -> io::Result<()>,
) -> Result<Vec<u8>, ExportError> {
    let mut out = io::Cursor::new(Vec::new());
    write(&mut out)?;
    Ok(out.into_inner())
}

/// A table (a report's rows) as a workbook written to `out`.
pub fn write_table_xlsx(
    table: &crate::analytics::Table,
    out: impl Write + Seek + Send,
) -> io::Result<()> {
    xlsx::write(table, out)
}

/// Imports the deals of a CSV file or a workbook into `ws` (see [`ImportOptions`]). On error nothing was
/// written, and the error lists every bad cell.
pub fn import(
    ws: &mut Workspace,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    import::import(ws, bytes, options)
}

/// Imports the deals of the CSV file or workbook at `path`, as [`import`] does. The file is held once in
/// memory, as its bytes: rows are read from them as they are checked.
pub fn import_file(
    ws: &mut Workspace,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let unreadable = |source: std::io::Error| {
        ImportError::from(ReadError::File {
            path: path.to_owned(),
            source,
        })
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    let len = usize::try_from(len).map_err(|e| unreadable(std::io::Error::other(e)))?;
    // Allocated once at its size, then filled: no second copy of a large file.
    let mut bytes: std::sync::Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    let buffer = std::sync::Arc::get_mut(&mut bytes)
        .ok_or_else(|| unreadable(std::io::Error::other("shared buffer")))?;
    std::io::Read::read_exact(&mut file, buffer).map_err(unreadable)?;
    import::import(ws, bytes, options)
}

/// The command importing a CSV file and what it will do, without applying it (None when there
/// is nothing to write): the window runs it through its undo stack.
pub fn prepare_import(
    ws: &Workspace,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<(ImportSummary, Option<crate::command::Command>), ImportError> {
    import::prepare(ws, bytes, options)
}

/// Checks a CSV file as [`import`] would and says what it would create, writing nothing.
pub fn check(
    ws: &Workspace,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportSummary, ImportError> {
    import::check(ws, bytes, options)
}
