//! Importing deals from a CSV file: read, check every cell, then write every deal with the
//! records it needs in one transaction — or nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;

use super::Source;
use super::clean::{self, Repair, Repairs};
use super::columns::Column;
use super::csv_file;
use super::formats::{self, Dialect, Outcome, Target};
use super::parse::{
    DateStyle, DateVotes, DayMonth, NumberStyle, NumberVotes, currencies_of, parse_bool,
};
use super::rates;
use super::table::decimal_text;
use super::workbook;
use crate::command::{Batch, Command};
use crate::domain::*;
use crate::workspace::Workspace;
use crate::{tr, trn};

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
            ImportError::Unreadable(why) => f.write_str(why),
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
            ImportError::Write(why) | ImportError::Options(why) => f.write_str(why),
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
    Target::Column(Column::Field(field))
}

/// Which file column holds each field of a format.
struct Mapping {
    dialect: Dialect,
    index: HashMap<Target, usize>,
    headers: Vec<String>,
    /// What each column feeds (None: a header the format does not know).
    targets: Vec<Option<Target>>,
    unknown: Vec<String>,
    /// Headers of the format that Forsat does not keep.
    ignored: Vec<String>,
    /// Headers naming a column an earlier header already named.
    repeated: Vec<String>,
    /// The further columns of a target several may feed ([`Target::takes_several`]), in
    /// the file's order after the one in `index`.
    further: HashMap<Target, Vec<usize>>,
    /// Whether the header row has one of the format's signature headers.
    signed: bool,
}

impl Mapping {
    /// The format's mapping of `headers`, then the user's `choices` over it (see
    /// [`ImportOptions::columns`]).
    fn new(source: Source, headers: &[String], choices: &BTreeMap<usize, Target>) -> Mapping {
        let keys: HashMap<String, Target> = formats::headers(source)
            .into_iter()
            .map(|(h, t)| (normalize_header(h), t))
            .collect();
        let signature = formats::signature(source);
        let mut signed = false;
        let mut targets: Vec<Option<Target>> = headers
            .iter()
            .map(|header| {
                let key = normalize_header(header);
                signed |= signature.contains(&key.as_str());
                keys.get(&key).copied()
            })
            .collect();
        let mut index = HashMap::new();
        // The user's choices first, so a chosen target is taken from the header that had it.
        for (&i, &target) in choices.iter().filter(|(i, _)| **i < headers.len()) {
            targets[i] = Some(target);
            if target != Target::Ignored {
                index.insert(target, i);
            }
        }
        let mut unknown = Vec::new();
        let mut ignored = Vec::new();
        let mut repeated = Vec::new();
        let mut further: HashMap<Target, Vec<usize>> = HashMap::new();
        for (i, header) in headers.iter().enumerate() {
            if choices.contains_key(&i) {
                continue;
            }
            match targets[i] {
                Some(Target::Ignored) => ignored.push(header.clone()),
                Some(target) if !index.contains_key(&target) => {
                    index.insert(target, i);
                }
                Some(target)
                    if target.takes_several() && !choices.values().any(|t| *t == target) =>
                {
                    further.entry(target).or_default().push(i);
                }
                Some(target) => {
                    // Named by the user elsewhere: this column quietly gives way.
                    if !choices.values().any(|t| *t == target) {
                        repeated.push(header.clone());
                    }
                    targets[i] = Some(Target::Ignored);
                }
                None if header.trim().is_empty() => {}
                None => unknown.push(header.clone()),
            }
        }
        Mapping {
            dialect: Dialect::of(source),
            index,
            headers: headers.to_vec(),
            targets,
            unknown,
            ignored,
            repeated,
            further,
            signed,
        }
    }

    /// The mapping of the format the header row is in: one of the format's signature
    /// headers, more known columns than unknown ones, and the most known columns.
    fn detect(headers: &[String]) -> Option<Mapping> {
        let mut best: Option<Mapping> = None;
        for source in formats::DETECTED {
            let mapping = Mapping::new(source, headers, &BTreeMap::new());
            let known = mapping.known();
            if mapping.signed
                && known > mapping.unknown.len()
                && best.as_ref().is_none_or(|b| known > b.known())
            {
                best = Some(mapping);
            }
        }
        best
    }

    /// How many headers the format knows.
    fn known(&self) -> usize {
        self.index.len() + self.ignored.len() + self.further.values().map(Vec::len).sum::<usize>()
    }

    /// Every column feeding the target, in the file's order.
    fn columns_of(&self, target: Target) -> impl Iterator<Item = usize> + '_ {
        let further = self.further.get(&target).map_or(&[][..], Vec::as_slice);
        self.index.get(&target).into_iter().chain(further).copied()
    }

    /// Where the column is in the file.
    fn position(&self, column: Column) -> Option<usize> {
        self.index.get(&Target::Column(column)).copied()
    }

    /// The column's header as the file writes it, or its key when the file lacks it.
    fn header(&self, column: Column) -> String {
        self.position(column)
            .map_or_else(|| column.key().to_owned(), |i| self.headers[i].clone())
    }

    /// The target's header as the file writes it.
    fn target_header(&self, target: Target) -> String {
        match target {
            Target::Column(column) => self.header(column),
            _ => self
                .index
                .get(&target)
                .map_or_else(String::new, |&i| self.headers[i].clone()),
        }
    }

    /// The target's cell of a record, apostrophe guard removed.
    fn cell<'r>(&self, record: &'r StringRecord, target: Target) -> Option<&'r str> {
        let i = *self.index.get(&target)?;
        record.get(i).map(csv_file::restore)
    }
}

/// One row as read: cells parsed, references still names.
/// Names (accounts, stages, salespeople...) are shared between the rows that repeat them:
/// a file of 250,000 deals names a few thousand accounts and a handful of stages.
struct RowIn {
    id: Option<Id>,
    name: String,
    account: Arc<str>,
    contact: Arc<str>,
    /// The contact's email and phone, checked (empty when the file has none).
    contact_email: String,
    contact_phone: String,
    business_type: BusinessType,
    source: Arc<str>,
    pipeline: Arc<str>,
    stage: Arc<str>,
    next_step: String,
    campaign: Arc<str>,
    salesperson: Arc<str>,
    currency: String,
    amount: Decimal,
    /// The rate the file gives the deal's currency, and the currency it is in (empty when the
    /// file does not say): see `rates.rs`.
    rate: Option<Decimal>,
    rate_base: Arc<str>,
    amount_mode: AmountMode,
    lines: Vec<LineIn>,
    expected_close: Option<NaiveDate>,
    active: bool,
    probability: Option<Decimal>,
    probability_overridden: Option<bool>,
    forecast: bool,
    competitor: Arc<str>,
    loss_reason: Arc<str>,
    description: String,
    win_loss_report: String,
    priority: u8,
    tags: Vec<Arc<str>>,
    created: DateTime<Utc>,
    updated: Option<DateTime<Utc>>,
    stage_entered: Option<DateTime<Utc>>,
    closed: Option<NaiveDate>,
    trashed: bool,
    /// Won or lost by the format's own rule: the deal goes to its pipeline's won or lost
    /// stage, whatever stage the file names.
    outcome: Option<StageKind>,
    /// For a deal won or lost by that rule, the stage the file names, where it was when it
    /// closed (empty when the file names none), and when it entered it when the file says.
    closed_from: Arc<str>,
    closed_from_since: Option<DateTime<Utc>>,
}

struct LineIn {
    product: String,
    line: Line,
}

/// Every number and date column's style, decided from all its values.
struct Styles {
    amount: NumberStyle,
    probability: NumberStyle,
    dates: HashMap<Target, DateStyle>,
}

/// The columns whose style is decided from all their values, before any row is read.
const DATE_TARGETS: [Target; 7] = [
    f(Field::ExpectedClose),
    f(Field::Closed),
    Target::Column(Column::Created),
    Target::Column(Column::Updated),
    Target::Column(Column::StageEntered),
    Target::WonTime,
    Target::LostTime,
];

/// A row with data: its number as a spreadsheet shows it and where its record begins in the
/// file's text. Rows are read again from the text when they are checked, so a file is held
/// once, as its bytes, not a second time as cells.
#[derive(Clone, Copy, Debug)]
struct RowAt {
    row: usize,
    at: u64,
}

/// An import in steps, so a window can show its progress: [`ImportJob::start`] reads the file
/// and maps its columns (what the mapping step of the window shows), [`ImportJob::step`] checks
/// rows a slice at a time, [`ImportJob::finish`] checks the rest and plans the one command.
pub struct ImportJob {
    options: ImportOptions,
    mapping: Mapping,
    styles: Styles,
    /// The file as read, and where its text begins (after a byte-order mark).
    bytes: Arc<[u8]>,
    text_start: usize,
    separator: u8,
    rows: Vec<RowAt>,
    /// The first rows with data, for the mapping step.
    samples: Vec<StringRecord>,
    summary: ImportSummary,
    /// The rows checked so far: the good ones read, the bad ones' cells.
    good: Vec<RowIn>,
    errors: Vec<RowError>,
    bad_rows: usize,
    /// The repairs made to the good rows.
    repairs: Repairs,
}

/// How many rows the mapping step may show.
const SAMPLES: usize = 5;

impl ImportJob {
    /// Reads the file, detects or takes its format, maps its columns and decides how each
    /// number and date column is written. Fails when the file is no CSV of deals, or when a
    /// quoted cell is never closed (the rest of the file would be read into it).
    pub fn start(
        bytes: impl Into<Arc<[u8]>>,
        options: &ImportOptions,
    ) -> Result<ImportJob, ImportError> {
        let (bytes, book) = as_text(bytes.into(), options)?;
        let header_row = book.as_ref().map_or(1, |b| b.header_row);
        let text = csv_file::text(&bytes)?;
        let text_start = bytes.len() - text.len();
        let separator = csv_file::separator(text);
        let mut reader = csv_file::reader(text, separator);
        let unreadable = |e: csv::Error| ImportError::from(super::ReadError::Csv(e));
        let mut record = StringRecord::new();
        if !reader.read_record(&mut record).map_err(unreadable)? {
            return Err(ImportError::Unreadable(tr!("the file is empty")));
        }
        let headers: Vec<String> = record.iter().map(str::to_owned).collect();
        let mapping = match options.from {
            Source::Auto => Mapping::detect(&headers).ok_or_else(|| {
                ImportError::Unreadable(tr!(
                    "the columns ({headers}) are not those of a format Forsat imports",
                    headers = escaped(&headers.join(", "))
                ))
            })?,
            source => Mapping::new(source, &headers, &options.columns),
        };
        let mapping = if options.columns.is_empty() {
            mapping
        } else {
            Mapping::new(mapping.dialect.source, &headers, &options.columns)
        };
        // One pass over the rows: where each begins, and what the number and date columns
        // show about their style.
        let mut amount = NumberVotes::default();
        let mut probability = NumberVotes::default();
        let mut dates: Vec<DateVotes> = vec![DateVotes::default(); DATE_TARGETS.len()];
        let mut rows = Vec::new();
        let mut samples = Vec::new();
        let mut last = RowAt {
            row: header_row,
            at: 0,
        };
        for row in header_row + 1.. {
            if !reader.read_record(&mut record).map_err(unreadable)? {
                break;
            }
            last = RowAt {
                row,
                at: record.position().map_or(0, csv::Position::byte),
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(last);
            if samples.len() < SAMPLES {
                samples.push(record.clone());
            }
            if let Some(v) = mapping.cell(&record, f(Field::Amount)) {
                amount.add(v);
            }
            if let Some(v) = mapping.cell(&record, f(Field::Probability)) {
                probability.add(v);
            }
            for (votes, target) in dates.iter_mut().zip(DATE_TARGETS) {
                if let Some(v) = mapping.cell(&record, target) {
                    votes.add(v);
                }
            }
        }
        let from = usize::try_from(last.at).unwrap_or(usize::MAX);
        if last.row > header_row
            && csv_file::unclosed_quote(text.get(from..).unwrap_or_default(), separator)
        {
            return Err(ImportError::Unreadable(tr!(
                "row {row}: a quoted cell opens here and is never closed, so the rest of the file would be read into it; nothing was imported. Close the quote (a quote inside a cell is written twice: \"\")",
                row = last.row
            )));
        }
        let format = mapping.dialect.source;
        let mut summary = ImportSummary {
            format,
            dry_run: options.dry_run,
            rows: rows.len(),
            ..ImportSummary::default()
        };
        if let Some(book) = &book {
            summary.messages.extend(book.notes.iter().cloned());
        }
        for header in &mapping.unknown {
            let header = escaped(header);
            summary.messages.push(if format == Source::Forsat {
                tr!(
                    "column “{header}” is not a Forsat column: ignored",
                    header = header
                )
            } else {
                tr!(
                    "column “{header}” is not a {format} column Forsat knows: ignored",
                    header = header,
                    format = format.label()
                )
            });
        }
        for header in &mapping.ignored {
            summary.messages.push(tr!(
                "column “{header}” has nothing to go to in Forsat: not imported",
                header = escaped(header)
            ));
        }
        for header in &mapping.repeated {
            summary.messages.push(tr!(
                "column “{header}” repeats an earlier column: ignored",
                header = escaped(header)
            ));
        }
        if let Some(i) = mapping.position(Column::Field(Field::Pipeline))
            && format == Source::Odoo
            && matches!(
                normalize_header(&mapping.headers[i]).as_str(),
                "salesteam" | "teamid"
            )
        {
            summary.messages.push(tr!(
                "column “{header}”: each deal's sales team is its pipeline (in Odoo a sales team has its own pipeline)",
                header = escaped(&mapping.headers[i])
            ));
        }
        let format_setting = crate::i18n::date_format();
        let chosen = options.decimal_separator;
        // A column of number cells in a workbook has no separator to decide.
        let style = |votes: &NumberVotes, target: Target| match &book {
            Some(book) if mapping.index.get(&target).is_some_and(|&i| book.numeric[i]) => {
                NumberStyle::plain()
            }
            _ => votes.style(chosen),
        };
        let mut styles = Styles {
            amount: style(&amount, f(Field::Amount)),
            probability: style(&probability, f(Field::Probability)),
            dates: HashMap::new(),
        };
        for (votes, target) in dates.iter().zip(DATE_TARGETS) {
            let style = votes.style(format_setting);
            if style.guessed {
                let order = match style.order {
                    DayMonth::DayFirst => tr!("day/month/year"),
                    DayMonth::MonthFirst => tr!("month/day/year"),
                };
                summary.messages.push(tr!(
                "column “{column}”: no date shows whether the day or the month comes first; read as {order} (the date format of the settings)",
                column = escaped(&mapping.target_header(target)),
                order = order
            ));
            }
            styles.dates.insert(target, style);
        }
        Ok(ImportJob {
            options: options.clone(),
            mapping,
            styles,
            text_start,
            bytes,
            separator,
            good: Vec::with_capacity(rows.len()),
            rows,
            samples,
            summary,
            errors: Vec::new(),
            bad_rows: 0,
            repairs: Repairs::default(),
        })
    }

    /// The number columns whose values read two ways (`1.500`: 1500 or 1.5): each column's
    /// header and such a value. The import refuses them until
    /// [`ImportOptions::decimal_separator`] says which.
    pub fn unclear_numbers(&self) -> Vec<(String, String)> {
        [
            (f(Field::Amount), &self.styles.amount),
            (f(Field::Probability), &self.styles.probability),
        ]
        .into_iter()
        .filter_map(|(target, style)| {
            let value = style.unclear.clone()?;
            Some((self.mapping.target_header(target), value))
        })
        .collect()
    }

    /// The format read (never [`Source::Auto`]).
    pub fn format(&self) -> Source {
        self.mapping.dialect.source
    }

    /// The file's header row.
    pub fn headers(&self) -> &[String] {
        &self.mapping.headers
    }

    /// What each column of the file feeds: None for a header the format does not know,
    /// [`Target::Ignored`] for one left out.
    pub fn targets(&self) -> &[Option<Target>] {
        &self.mapping.targets
    }

    /// The first `n` rows with data, as the file writes them.
    pub fn sample(&self, n: usize) -> impl Iterator<Item = Vec<&str>> {
        self.samples
            .iter()
            .take(n)
            .map(|cells| cells.iter().collect())
    }

    /// Why the columns as mapped cannot be imported (no column names the deals' accounts).
    pub fn unusable(&self) -> Option<String> {
        let mapping = &self.mapping;
        let account_column = mapping.position(Column::Field(Field::Account)).is_some();
        let fallback_column = mapping.position(Column::Field(Field::Name)).is_some()
            || mapping.position(Column::Field(Field::Contact)).is_some()
            || mapping.index.contains_key(&Target::CompanyName);
        let names_accounts =
            account_column || (mapping.dialect.account_fallback && fallback_column);
        (!names_accounts)
            .then(|| tr!("the file has no “account” column: every deal needs an account"))
    }

    /// A first guess for the columns the format does not know, from the names other
    /// spreadsheets give a deal's fields ("Company", "Value", "Owner"...), each target once and
    /// only where no column has it yet: what the wizard proposes for the user to check.
    pub fn guesses(&self) -> BTreeMap<usize, Target> {
        let mut taken: HashSet<Target> = self.mapping.index.keys().copied().collect();
        let mut guesses = BTreeMap::new();
        for (i, header) in self.mapping.headers.iter().enumerate() {
            if self.mapping.targets[i].is_some() {
                continue;
            }
            if let Some(target) = formats::usual(&normalize_header(header))
                && taken.insert(target)
            {
                guesses.insert(i, target);
            }
        }
        guesses
    }

    /// Rows with data in the file.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Rows checked so far.
    pub fn checked(&self) -> usize {
        self.good.len() + self.bad_rows
    }

    /// Checks up to `n` more rows; true when every row is checked.
    pub fn step(&mut self, ws: &Workspace, n: usize) -> bool {
        let from = self.checked();
        let to = from.saturating_add(n).min(self.rows.len());
        let checked = self.check(ws, from..to);
        self.take(checked);
        to == self.rows.len()
    }

    /// Checks every row left, on every core: rows are checked independently, and the halves
    /// are joined in the file's order.
    fn step_all(&mut self, ws: &Workspace) {
        let from = self.checked();
        let left = self.rows.len() - from;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        if threads < 2 || left < 4096 {
            self.step(ws, usize::MAX);
            return;
        }
        let chunk = left.div_ceil(threads);
        let this = &*self;
        // Messages are in the language and date format of the calling thread.
        let local = crate::i18n::current();
        let parts: Vec<Checked> = std::thread::scope(|scope| {
            let handles: Vec<_> = (from..self.rows.len())
                .step_by(chunk)
                .map(|start| {
                    let end = (start + chunk).min(this.rows.len());
                    scope.spawn(move || {
                        crate::i18n::install(local);
                        this.check(ws, start..end)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a row check does not panic"))
                .collect()
        });
        for part in parts {
            self.take(part);
        }
    }

    /// Reads the rows in `range`, again from the file's text.
    fn check(&self, ws: &Workspace, range: std::ops::Range<usize>) -> Checked {
        let template = RowReader::template(ws);
        let mut checked = Checked {
            good: Vec::with_capacity(range.len()),
            errors: Vec::new(),
            bad_rows: 0,
            repairs: Repairs::default(),
        };
        let Some(first) = self.rows.get(range.start) else {
            return checked;
        };
        let text = &self.bytes[self.text_start..];
        let from = usize::try_from(first.at).unwrap_or(usize::MAX);
        let mut reader = csv_file::reader(text.get(from..).unwrap_or_default(), self.separator);
        let mut record = StringRecord::new();
        let mut shared = Shared::default();
        for wanted in &self.rows[range] {
            // Blank records between rows with data are passed over. The file was read whole
            // once already: it reads the same again.
            let found = loop {
                match reader.read_record(&mut record) {
                    Ok(true) => {
                        let at = first.at + record.position().map_or(0, csv::Position::byte);
                        if at == wanted.at {
                            break true;
                        }
                    }
                    Ok(false) | Err(_) => break false,
                }
            };
            if !found {
                checked.bad_rows += 1;
                checked.errors.push(RowError {
                    row: wanted.row,
                    column: String::new(),
                    value: String::new(),
                    reason: tr!("the row could not be read again from the file"),
                });
                continue;
            }
            if let Some(e) = self.misshapen(wanted.row, &record) {
                checked.bad_rows += 1;
                checked.errors.push(e);
                continue;
            }
            let mut reader = RowReader {
                ws,
                mapping: &self.mapping,
                styles: &self.styles,
                row: wanted.row,
                cells: &record,
                shared: &mut shared,
                errors: Vec::new(),
                repairs: Repairs::default(),
            };
            let parsed = reader.read(&template);
            if reader.errors.is_empty() {
                checked.good.push(parsed);
                // Only the rows imported count: a skipped row's repairs were not made.
                checked.repairs.merge(reader.repairs);
            } else {
                checked.bad_rows += 1;
                checked.errors.append(&mut reader.errors);
            }
        }
        checked
    }

    /// Why a row longer than the header cannot be read: it lost its shape (an unquoted
    /// separator, a quote out of place), so its cells cannot be trusted to be in their
    /// columns. Empty cells past the end (a trailing separator) hold nothing and are no harm.
    fn misshapen(&self, row: usize, cells: &StringRecord) -> Option<RowError> {
        let width = self.mapping.headers.len();
        let extra = cells.iter().skip(width).find(|c| !c.trim().is_empty())?;
        Some(RowError {
            row,
            column: tr!("after the last column"),
            value: extra.to_owned(),
            reason: tr!(
                "the row has {cells} cells but the header only {columns}: a separator or a quote out of place?",
                cells = cells.len(),
                columns = width
            ),
        })
    }

    fn take(&mut self, mut checked: Checked) {
        self.good.append(&mut checked.good);
        self.errors.append(&mut checked.errors);
        self.bad_rows += checked.bad_rows;
        self.repairs.merge(checked.repairs);
    }

    /// Checks the rows left and plans the import: what it does, and the command that does it
    /// (None for a dry run or a file without deals). Bad rows stop it unless
    /// [`ImportOptions::skip_bad_rows`] is set.
    pub fn finish(
        mut self,
        ws: &Workspace,
    ) -> Result<(ImportSummary, Option<Command>), ImportError> {
        if let Some(why) = self.unusable() {
            return Err(ImportError::Unreadable(why));
        }
        let unclear = self.unclear_numbers().into_iter().next();
        if let (Some((column, value)), None) = (unclear, self.options.decimal_separator) {
            return Err(ImportError::Unreadable(tr!(
                "column “{column}”: no value shows whether “.” or “,” is the decimal separator (“{value}” could be either); nothing was imported. Say which (--decimal-separator . or ,)",
                column = escaped(&column),
                value = escaped(&value)
            )));
        }
        self.step_all(ws);
        // Every row is read: the file's bytes are let go before the plan is made.
        self.bytes = Arc::from([]);
        let mut summary = self.summary;
        if !self.errors.is_empty() && !self.options.skip_bad_rows {
            return Err(ImportError::BadRows {
                errors: self.errors,
                rows: self.bad_rows,
                messages: summary.messages,
            });
        }
        summary.skipped_rows = self.bad_rows;
        summary.errors = self.errors;
        let mapping = &self.mapping;
        summary
            .messages
            .extend(self.repairs.messages(|t| mapping.target_header(t)));
        let quotes = self.good.iter().filter_map(|r| {
            Some(rates::Quote {
                code: &r.currency,
                rate: r.rate?,
                base: &r.rate_base,
                at: r.updated.unwrap_or(r.created),
            })
        });
        let currencies = rates::new_currencies(ws, quotes).map_err(ImportError::Unreadable)?;
        let mut plan = Plan::build(ws, self.good, &self.mapping, &self.options.stage_order)?;
        plan.describe(ws, &mut summary);
        plan.add_currencies(currencies, &mut summary);
        if self.options.dry_run || plan.batch.opportunities.is_empty() {
            return Ok((summary, None));
        }
        summary.kept_ids = plan.kept_ids;
        Ok((summary, Some(plan.command())))
    }
}

/// The file as CSV text: a workbook's sheet with the header (see [`workbook::read`]) converted,
/// with what it tells of the sheet (its CSV text taken out); a CSV as it is.
fn as_text(
    bytes: Arc<[u8]>,
    options: &ImportOptions,
) -> Result<(Arc<[u8]>, Option<workbook::Sheet>), ImportError> {
    if !workbook::is_workbook(&bytes) {
        return Ok((bytes, None));
    }
    let is_header = |headers: &[String]| match options.from {
        Source::Auto => Mapping::detect(headers).is_some(),
        source => Mapping::new(source, headers, &BTreeMap::new()).signed,
    };
    let mut sheet = workbook::read(&bytes, is_header)?;
    let text = Arc::from(std::mem::take(&mut sheet.csv));
    Ok((text, Some(sheet)))
}

/// Rows read: the good ones, the bad ones' cells.
struct Checked {
    good: Vec<RowIn>,
    errors: Vec<RowError>,
    bad_rows: usize,
    repairs: Repairs,
}

/// Reads one row's cells, collecting every bad one.
struct RowReader<'a> {
    ws: &'a Workspace,
    mapping: &'a Mapping,
    styles: &'a Styles,
    row: usize,
    cells: &'a StringRecord,
    /// The names read so far by this reader's thread, each held once.
    shared: &'a mut Shared,
    errors: Vec<RowError>,
    /// What was repaired in the row's cells.
    repairs: Repairs,
}

/// Names read from a file, each held once.
type Shared = foldhash::HashSet<Arc<str>>;

impl<'a> RowReader<'a> {
    /// `text` held once for every row that has it.
    fn share(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.shared.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.shared.insert(Arc::clone(&shared));
        shared
    }

    /// The cell's text without the apostrophe guarding a formula; empty when absent.
    fn raw(&self, column: Column) -> &'a str {
        self.raw_target(Target::Column(column))
    }

    fn raw_target(&self, target: Target) -> &'a str {
        self.mapping
            .index
            .get(&target)
            .and_then(|&i| self.cells.get(i))
            .map_or("", csv_file::restore)
    }

    fn fail(&mut self, column: Column, reason: String) {
        self.errors.push(RowError {
            row: self.row,
            column: self.mapping.header(column),
            value: self.raw(column).to_owned(),
            reason,
        });
    }

    fn field_error(&mut self, column: Column, error: &FieldError) {
        self.fail(column, error.reason());
    }

    /// Free text kept as written (descriptions keep their spaces and line breaks).
    fn text(&self, field: Field) -> String {
        self.raw(Column::Field(field)).to_owned()
    }

    /// The contact's email or phone: the first value of the target's columns (a cell may
    /// list several), each value checked; values past the first are not kept (a contact has
    /// one email and one phone) and counted.
    fn contact_detail(&mut self, target: Target) -> String {
        let (field, email) = match target {
            Target::ContactEmail => (Field::Email, true),
            _ => (Field::Phone, false),
        };
        let mut kept: Option<String> = None;
        let mut more = false;
        let mapping = self.mapping;
        for i in mapping.columns_of(target) {
            let raw = self.cells.get(i).map_or("", csv_file::restore);
            let cell = match clean::one_line(raw) {
                Some(folded) => {
                    self.repairs.add(Repair::Folded(target));
                    std::borrow::Cow::Owned(folded)
                }
                None => raw.trim().into(),
            };
            for part in clean::listed(&cell) {
                let value = match clean::bare_address(part) {
                    Some(address) if email => {
                        self.repairs.add(Repair::NamedEmail);
                        address
                    }
                    _ => part,
                };
                let checked = clean_name(field, value).and_then(|_| {
                    if email {
                        check_email_address(value)
                    } else {
                        check_phone(value)
                    }
                });
                if let Err(e) = checked {
                    self.errors.push(RowError {
                        row: self.row,
                        column: mapping.headers[i].clone(),
                        value: cell.to_string(),
                        reason: e.reason(),
                    });
                    continue;
                }
                match &kept {
                    None => kept = Some(value.to_owned()),
                    Some(first) => more |= first.to_lowercase() != value.to_lowercase(),
                }
            }
        }
        if more {
            self.repairs.add(Repair::Extra(target));
        }
        kept.unwrap_or_default()
    }

    /// The deal's next step: one line, as written (its spaces are kept, as the deal keeps
    /// them) unless it had line breaks or tabs.
    fn next_step(&mut self) -> String {
        let target = f(Field::NextStep);
        let raw = self.raw_target(target);
        if !raw.contains(clean::breaks_line) {
            return raw.to_owned();
        }
        self.repairs.add(Repair::Folded(target));
        clean::one_line(raw).unwrap_or_else(|| raw.trim().to_owned())
    }

    /// The deal's description as written; Odoo's are HTML (its notes are an Html field),
    /// made text.
    fn description(&mut self) -> String {
        let raw = self.raw(Column::Field(Field::Description));
        if self.mapping.dialect.source == Source::Odoo && clean::is_html(raw) {
            self.repairs.add(Repair::Html(f(Field::Description)));
            return clean::html_text(raw);
        }
        raw.to_owned()
    }

    /// The target's cell as one line ([`clean::one_line`]: trimmed, line breaks and tabs
    /// joined with a space), the repair counted. The checks see the text as it is kept.
    fn line(&mut self, target: Target) -> std::borrow::Cow<'a, str> {
        let raw = self.raw_target(target);
        match clean::one_line(raw) {
            None => raw.trim().into(),
            Some(folded) => {
                self.repairs.add(Repair::Folded(target));
                folded.into()
            }
        }
    }

    /// A one-line name (of an account, a lookup, a stage): one line, at most 200 characters.
    fn name(&mut self, field: Field) -> Arc<str> {
        self.name_in(Column::Field(field), field)
    }

    /// A name of the kind `field` holds, read from `column`.
    fn name_in(&mut self, column: Column, field: Field) -> Arc<str> {
        let text = self.line(Target::Column(column));
        if !text.is_empty()
            && let Err(e) = clean_name(field, &text)
        {
            self.field_error(column, &e);
        }
        self.share(&text)
    }

    fn bool(&mut self, column: Column, default: bool) -> bool {
        let text = self.raw(column).trim();
        if text.is_empty() {
            return default;
        }
        parse_bool(text).unwrap_or_else(|| {
            self.fail(
                column,
                tr!("is not true or false (write true/false, yes/no or 1/0)"),
            );
            default
        })
    }

    fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let column = Column::Field(field);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return None;
        }
        let parsed = self.styles.dates[&Target::Column(column)].parse_date(text);
        if parsed.is_none() {
            let e = FieldError::new(field, Problem::NotADate(text.to_owned()));
            self.field_error(column, &e);
        }
        parsed
    }

    fn timestamp(&mut self, column: Column) -> Option<DateTime<Utc>> {
        self.moment(Target::Column(column))
    }

    fn moment(&mut self, target: Target) -> Option<DateTime<Utc>> {
        let text = self.raw_target(target).trim();
        if text.is_empty() {
            return None;
        }
        let parsed = self.styles.dates[&target].parse_timestamp(text);
        if parsed.is_none() {
            self.errors.push(RowError {
                row: self.row,
                column: self.mapping.target_header(target),
                value: text.to_owned(),
                reason: tr!("is not a date and time (write it like 2026-11-22T09:30:00Z)"),
            });
        }
        parsed
    }

    /// The amount and the currency symbol or code written beside it (`€12`, `12 EUR`).
    fn amount(&mut self) -> (Option<Decimal>, Option<String>) {
        let column = Column::Field(Field::Amount);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return (None, None);
        }
        let Some(number) = self.styles.amount.parse(text) else {
            let e = FieldError::new(Field::Amount, Problem::NotANumber(text.to_owned()));
            self.field_error(column, &e);
            return (None, None);
        };
        let checked = parse_amount(Field::Amount, &decimal_text(number.value));
        (
            checked.map_err(|e| self.field_error(column, &e)).ok(),
            number.unit,
        )
    }

    fn probability(&mut self) -> Option<Decimal> {
        let column = Column::Field(Field::Probability);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return None;
        }
        let checked = match self.styles.probability.parse(text) {
            Some(number) if number.unit.as_ref().is_none_or(|u| u == "%") => {
                parse_probability(&decimal_text(number.value))
            }
            _ => Err(FieldError::new(
                Field::Probability,
                Problem::NotANumber(text.to_owned()),
            )),
        };
        checked.map_err(|e| self.field_error(column, &e)).ok()
    }

    /// The deal's currency: the currency column's (`column`, None when empty), else the one
    /// written beside the amount (`unit`), else the base currency. A unit that is no currency,
    /// that could be several, that the currency column contradicts or that is not in the
    /// list of currencies is an error on the amount: the amount is never taken in another
    /// currency than the one it was written in.
    fn currency(&mut self, column: Option<String>, unit: Option<&str>) -> String {
        let base = &self.ws.settings().base_currency;
        let amount = Column::Field(Field::Amount);
        let Some(unit) = unit else {
            return column.unwrap_or_else(|| base.clone());
        };
        let Some((codes, alone)) = currencies_of(unit) else {
            self.fail(
                amount,
                tr!(
                    "“{unit}” beside the amount is not a currency Forsat knows: write the amount alone and the currency's code in the currency column",
                    unit = escaped(unit)
                ),
            );
            return column.unwrap_or_else(|| base.clone());
        };
        match column {
            Some(code) if codes.contains(&code) => code,
            Some(code) => {
                self.fail(
                    amount,
                    tr!(
                        "is written in “{unit}” but the currency column says {currency}",
                        unit = escaped(unit),
                        currency = escaped(&code)
                    ),
                );
                code
            }
            None => {
                let code = if codes.contains(base) {
                    base.clone()
                } else if alone {
                    codes[0].clone()
                } else {
                    self.fail(
                        amount,
                        tr!(
                            "“{unit}” may be any of {codes}: write the code (like 12 {first}) or fill the currency column",
                            unit = escaped(unit),
                            codes = codes.join(", "),
                            first = codes[0]
                        ),
                    );
                    return base.clone();
                };
                if self.ws.rates().rate(&code).is_none() {
                    let e = FieldError::new(Field::Amount, Problem::NotListed(code.clone()));
                    self.field_error(amount, &e);
                }
                code
            }
        }
    }

    /// The rate the row gives its currency (`rate`, checked as a rate) and the currency that
    /// rate is in (`base_currency`, empty when the file does not say).
    fn rate(&mut self) -> (Option<Decimal>, Arc<str>) {
        let base = self.raw(Column::BaseCurrency).trim().to_uppercase();
        if !base.is_empty() && !is_currency_code(&base) {
            let e = FieldError::new(Field::Currency, Problem::BadCurrency(base.clone()));
            self.field_error(Column::BaseCurrency, &e);
        }
        let base = self.share(&base);
        let column = Column::Field(Field::Rate);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return (None, base);
        }
        let rate = match self.styles.amount.parse(text) {
            Some(number) if number.unit.is_none() => parse_rate(&decimal_text(number.value)),
            _ => Err(FieldError::new(
                Field::Rate,
                Problem::NotANumber(text.to_owned()),
            )),
        };
        (rate.map_err(|e| self.field_error(column, &e)).ok(), base)
    }

    fn lines(&mut self) -> Vec<LineIn> {
        let column = Column::Field(Field::Lines);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return Vec::new();
        }
        match lines_from_json(text) {
            Ok(lines) => lines,
            Err(reason) => {
                self.fail(column, reason);
                Vec::new()
            }
        }
    }

    /// The code of the listed currency named `name` (SuiteCRM writes "US Dollars").
    fn currency_named(&self, name: &str) -> Option<String> {
        let name = name.trim().to_lowercase();
        self.ws
            .currencies()
            .into_iter()
            .find(|c| c.name.trim().to_lowercase() == name)
            .map(|c| c.code.clone())
    }

    /// Applies the format's rule for won and lost deals: such a deal goes to its pipeline's
    /// won or lost stage at 100 or 0 %, closed when the file says it was won or lost, else on
    /// its expected close.
    fn outcome(&mut self, row: &mut RowIn) {
        let outcome = match self.mapping.dialect.outcome {
            Outcome::Stage => None,
            // Odoo archives a lost deal at 0 %; an archived deal at another probability is
            // only archived.
            Outcome::Archived => {
                (!row.active && row.probability == Some(Decimal::ZERO)).then_some(StageKind::Lost)
            }
            Outcome::ClosedStage => match normalize_header(&row.stage).as_str() {
                "closedwon" => Some(StageKind::Won),
                "closedlost" => Some(StageKind::Lost),
                _ => None,
            },
            Outcome::Status => match normalize_header(self.raw_target(Target::Status)).as_str() {
                "" | "open" => None,
                "won" => Some(StageKind::Won),
                "lost" => Some(StageKind::Lost),
                "deleted" => {
                    row.trashed = true;
                    None
                }
                _ => {
                    self.errors.push(RowError {
                        row: self.row,
                        column: self.mapping.target_header(Target::Status),
                        value: self.raw_target(Target::Status).to_owned(),
                        reason: tr!("is not “open”, “won” or “lost”"),
                    });
                    None
                }
            },
        };
        let Some(kind) = outcome else {
            return;
        };
        let (template, time) = match kind {
            StageKind::Won => (&DEFAULT_STAGES[3], Target::WonTime),
            _ => (&DEFAULT_STAGES[4], Target::LostTime),
        };
        row.outcome = Some(kind);
        row.active = true;
        // Odoo and Pipedrive keep a closed deal in the stage it closed at, and their stage
        // change time is when it entered that stage; SuiteCRM's "Closed Won" and "Closed
        // Lost" are no such stage.
        if self.mapping.dialect.outcome != Outcome::ClosedStage {
            row.closed_from = std::mem::replace(&mut row.stage, self.share(template.name));
            row.closed_from_since = row.stage_entered.take();
        } else {
            row.stage = self.share(template.name);
        }
        row.probability = None;
        row.probability_overridden = None;
        match self.moment(time) {
            Some(at) => {
                row.closed = Some(at.date_naive());
                row.stage_entered = Some(at.max(row.created));
            }
            None => {
                // Odoo's Closed Date is the moment it was marked won or lost.
                let closed = self.raw(Column::Field(Field::Closed)).trim();
                let style = &self.styles.dates[&f(Field::Closed)];
                if let (Some(_), Some(at)) = (row.closed, style.parse_timestamp(closed)) {
                    row.stage_entered = Some(at.max(row.created));
                }
                row.closed = row.closed.or(row.expected_close);
            }
        }
    }

    /// The draft a row's values are checked on (made once per batch of rows: it allocates).
    fn template(ws: &Workspace) -> Opportunity {
        let mut draft = Opportunity::draft(
            &Account::default(),
            &default_stages(0).next().expect("five default stages"),
            ws.settings(),
            ws.now(),
        );
        draft.currency.clear();
        draft
    }

    fn read(&mut self, template: &Opportunity) -> RowIn {
        let id = match self.raw(Column::Id).trim() {
            "" => None,
            text => match text.parse::<Id>() {
                Ok(id) if id >= ID_LIMIT => {
                    self.fail(
                        Column::Id,
                        tr!(
                            "is above the highest id a file may have ({max}), the largest that spreadsheets and JSON keep exact",
                            max = ID_LIMIT - 1
                        ),
                    );
                    None
                }
                Ok(id) if id > 0 => Some(id),
                _ => {
                    self.fail(Column::Id, tr!("is not an id (a whole number above 0)"));
                    None
                }
            },
        };
        let mut account = self.name(Field::Account);
        let mut contact = self.name(Field::Contact);
        let mut name = self.line(f(Field::Name)).into_owned();
        if account.is_empty() {
            // Odoo's company name of a deal no customer is linked to yet.
            let company = self.line(Target::CompanyName);
            if let Err(e) = clean_name(Field::Account, &company)
                && !company.is_empty()
            {
                self.errors.push(RowError {
                    row: self.row,
                    column: self.mapping.target_header(Target::CompanyName),
                    value: company.to_string(),
                    reason: e.reason(),
                });
            }
            account = self.share(&company);
        }
        let odoo = self.mapping.dialect.source == Source::Odoo;
        if odoo
            && !contact.is_empty()
            && let Some(company) = account
                .strip_suffix(&*contact)
                .and_then(|rest| rest.trim_end().strip_suffix(','))
                .map(str::trim)
                .filter(|company| !company.is_empty())
        {
            // Odoo shows a company's contact as “Company, Person”: with the person in the
            // contact column too, the company is the account.
            account = self.share(company);
            self.repairs.add(Repair::CustomerWithContact);
        }
        if account.is_empty() && self.mapping.dialect.account_fallback {
            // Deals of the other systems may have no company: the contact's name, else the
            // deal's own, names the account.
            account = if contact.is_empty() {
                self.share(&name)
            } else {
                Arc::clone(&contact)
            };
        }
        if account.is_empty() {
            let e = FieldError::new(Field::Account, Problem::Required);
            self.field_error(Column::Field(Field::Account), &e);
        }
        let contact_email = self.contact_detail(Target::ContactEmail);
        let contact_phone = self.contact_detail(Target::ContactPhone);
        if contact.is_empty() && !(contact_email.is_empty() && contact_phone.is_empty()) {
            // A person known by their email or phone alone is still the deal's contact.
            let known_by = if contact_email.is_empty() {
                &contact_phone
            } else {
                &contact_email
            };
            contact = self.share(known_by);
            self.repairs.add(Repair::Unnamed);
        }
        if name.is_empty() {
            name = account.to_string();
        }
        let business_type =
            match normalize_header(self.raw(Column::Field(Field::BusinessType))).as_str() {
                "" | "new" | "newbusiness" => BusinessType::New,
                "existing" | "existingbusiness" => BusinessType::Existing,
                _ => {
                    self.fail(
                        Column::Field(Field::BusinessType),
                        tr!("is not “new” or “existing”"),
                    );
                    BusinessType::New
                }
            };
        let amount_mode =
            match normalize_header(self.raw(Column::Field(Field::AmountMode))).as_str() {
                "" | "manual" => AmountMode::Manual,
                "fromlines" => AmountMode::FromLines,
                _ => {
                    self.fail(
                        Column::Field(Field::AmountMode),
                        tr!("is not “manual” or “from_lines”"),
                    );
                    AmountMode::Manual
                }
            };
        let (rate, rate_base) = self.rate();
        let written_currency = match self.raw(Column::Field(Field::Currency)).trim() {
            // SuiteCRM writes its default currency as -99.
            "" | "-99" => None,
            name if !is_currency_code(&name.to_uppercase())
                && self.currency_named(name).is_some() =>
            {
                self.currency_named(name)
            }
            code => {
                let code = code.to_uppercase();
                let problem = if !is_currency_code(&code) {
                    Some(Problem::BadCurrency(code.clone()))
                } else if self.ws.rates().rate(&code).is_none()
                    && rate.is_none()
                    && self.raw(Column::Field(Field::Rate)).trim().is_empty()
                {
                    // With a rate the file brings the currency along (a bad rate is
                    // reported on its own cell).
                    Some(Problem::NotListed(code.clone()))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    let e = FieldError::new(Field::Currency, problem);
                    self.field_error(Column::Field(Field::Currency), &e);
                }
                Some(code)
            }
        };
        let (amount, unit) = self.amount();
        let currency = self.currency(written_currency, unit.as_deref());
        let lines = self.lines();
        let amount = amount.unwrap_or_else(|| {
            if amount_mode == AmountMode::FromLines {
                lines.iter().map(|l| l.line.total()).sum()
            } else {
                Decimal::ZERO
            }
        });
        let priority = match normalize_header(self.raw(Column::Field(Field::Priority))).as_str() {
            "" | "normal" | "low" => 0,
            "good" | "medium" => 1,
            "verygood" | "high" => 2,
            "excellent" | "veryhigh" => 3,
            text => match text.parse::<u8>() {
                Ok(p) if p <= 3 => p,
                _ => {
                    let e =
                        FieldError::new(Field::Priority, Problem::OutOfRange { min: 0, max: 3 });
                    self.field_error(Column::Field(Field::Priority), &e);
                    0
                }
            },
        };
        let mut tags: Vec<Arc<str>> = Vec::new();
        let separator = self.mapping.dialect.tag_separator;
        let mut folded = false;
        for tag in self.raw(Column::Field(Field::Tags)).split(separator) {
            let one_line = clean::one_line(tag);
            folded |= one_line.is_some();
            let tag = one_line.as_deref().unwrap_or(tag.trim());
            if tag.is_empty() || tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                continue;
            }
            if let Err(e) = clean_name(Field::Tags, tag) {
                self.field_error(Column::Field(Field::Tags), &e);
            }
            tags.push(self.share(tag));
        }
        if folded {
            self.repairs.add(Repair::Folded(f(Field::Tags)));
        }
        let created = self.timestamp(Column::Created);
        let mut row = RowIn {
            id,
            contact,
            contact_email,
            contact_phone,
            business_type,
            source: self.name(Field::Source),
            pipeline: self.name(Field::Pipeline),
            stage: self.name(Field::Stage),
            next_step: self.next_step(),
            campaign: self.name(Field::Campaign),
            salesperson: self.name(Field::Salesperson),
            amount,
            rate,
            rate_base,
            amount_mode,
            expected_close: self.date(Field::ExpectedClose),
            active: self.bool(Column::Field(Field::Active), true),
            probability: self.probability(),
            probability_overridden: match self
                .raw(Column::Field(Field::ProbabilityOverridden))
                .trim()
            {
                "" => None,
                _ => Some(self.bool(Column::Field(Field::ProbabilityOverridden), false)),
            },
            forecast: self.bool(Column::Field(Field::Forecast), true),
            competitor: self.name(Field::Competitor),
            loss_reason: self.name(Field::LossReason),
            description: self.description(),
            win_loss_report: self.text(Field::WinLossReport),
            priority,
            tags,
            created: created.unwrap_or_else(|| self.ws.now()),
            updated: self.timestamp(Column::Updated),
            stage_entered: self.timestamp(Column::StageEntered),
            closed: self.date(Field::Closed),
            trashed: self.bool(Column::Trashed, false),
            name,
            account,
            currency,
            lines,
            outcome: None,
            // Forsat's own export names the open stage a closed deal closed from.
            closed_from: self.name_in(Column::ClosedFrom, Field::Stage),
            closed_from_since: None,
        };
        self.outcome(&mut row);
        // The deal's own rules, on a draft with the row's values: its text is lent to the
        // draft and taken back, not copied.
        let mut draft = Opportunity {
            created: row.created,
            amount: row.amount,
            lines: row.lines.iter().map(|l| l.line.clone()).collect(),
            probability: row.probability.unwrap_or_default(),
            priority: row.priority,
            ..template.clone()
        };
        let lent = |draft: &mut Opportunity, row: &mut RowIn| {
            std::mem::swap(&mut draft.name, &mut row.name);
            std::mem::swap(&mut draft.next_step, &mut row.next_step);
            std::mem::swap(&mut draft.description, &mut row.description);
            std::mem::swap(&mut draft.win_loss_report, &mut row.win_loss_report);
            std::mem::swap(&mut draft.currency, &mut row.currency);
        };
        lent(&mut draft, &mut row);
        let valid = draft.validate();
        lent(&mut draft, &mut row);
        if let Err(found) = valid {
            let reported: HashSet<String> = self.errors.iter().map(|e| e.column.clone()).collect();
            for e in found {
                let field = match e.field {
                    Field::Quantity | Field::UnitPrice | Field::Discount => Field::Lines,
                    field => field,
                };
                let column = Column::Field(field);
                // A cell already reported (a bad currency code, a missing account the name
                // defaults to) is not reported twice.
                let account_missing = field == Field::Name && row.account.is_empty();
                if account_missing || reported.contains(&self.mapping.header(column)) {
                    continue;
                }
                let reason = if field == e.field {
                    e.reason()
                } else {
                    e.to_string()
                };
                self.fail(column, reason);
            }
        }
        row
    }
}

/// The lines of a deal from its `lines` cell: a JSON array of objects with `product` (code or
/// name), `description`, `quantity`, `unit_price` and `discount_pct` (numbers or strings).
fn lines_from_json(text: &str) -> Result<Vec<LineIn>, String> {
    use serde_json::Value;
    let not_lines = || {
        tr!(
            "is not a list of lines (a JSON array like [{{\"product\":\"SVC-ONB\",\"quantity\":\"2\",\"unit_price\":\"2400\"}}])"
        )
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(not_lines());
    };
    let mut lines = Vec::with_capacity(items.len());
    for (n, item) in (1..).zip(items) {
        let Value::Object(map) = item else {
            return Err(not_lines());
        };
        let field = |key: &str| -> Result<String, String> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                Some(_) => Err(not_lines()),
            }
        };
        let in_line = |e: FieldError| tr!("line {n}: {error}", n = n, error = e);
        let product = field("product")?.trim().to_owned();
        if !product.is_empty() {
            clean_name(Field::Product, &product).map_err(in_line)?;
        }
        let unit_price = field("unit_price")?;
        let line = Line {
            product: None,
            description: field("description")?,
            quantity: parse_quantity(&field("quantity")?).map_err(in_line)?,
            unit_price: parse_amount(Field::UnitPrice, &unit_price).map_err(in_line)?,
            discount_pct: parse_discount(&field("discount_pct")?).map_err(in_line)?,
        };
        lines.push(LineIn { product, line });
    }
    Ok(lines)
}

/// A stage a row names: stored, or one the import creates (index into `Plan::new_stages`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum StageRef {
    Stored(Id),
    New(usize),
}

/// A pipeline a row names: stored, or one the import creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum PipelineRef {
    Stored(Id),
    New(usize),
}

/// The pipelines and stages rows name, each spelling resolved once (rows name few): stored
/// ones found by name (case ignored), new ones collected to be created.
struct StageNames<'w> {
    ws: &'w Workspace,
    stored_pipelines: HashMap<String, Id>,
    /// New pipelines, named as first written.
    pipelines: Vec<String>,
    /// New stages: their pipeline, caseless name, and name as first written.
    stages: Vec<(PipelineRef, String, Arc<str>)>,
    resolved: foldhash::HashMap<Spelling, StageRef>,
}

/// A pipeline and stage as a row writes them, and whether the row is won or lost.
type Spelling = (Arc<str>, Arc<str>, Option<StageKind>);

impl<'w> StageNames<'w> {
    fn new(ws: &'w Workspace) -> StageNames<'w> {
        StageNames {
            ws,
            stored_pipelines: ws
                .pipelines()
                .iter()
                .map(|p| (p.name.trim().to_lowercase(), p.id))
                .collect(),
            pipelines: Vec::new(),
            stages: Vec::new(),
            resolved: foldhash::HashMap::default(),
        }
    }

    /// The stage `stage` of pipeline `pipeline` (the default one when empty). A deal won or
    /// lost (`outcome`) goes to a stored pipeline's won or lost stage; an empty stage is the
    /// pipeline's first open one.
    fn resolve(
        &mut self,
        pipeline: &Arc<str>,
        stage: &Arc<str>,
        outcome: Option<StageKind>,
    ) -> StageRef {
        let spelling = (Arc::clone(pipeline), Arc::clone(stage), outcome);
        if let Some(&found) = self.resolved.get(&spelling) {
            return found;
        }
        let ws = self.ws;
        let pipeline = if pipeline.is_empty() {
            PipelineRef::Stored(ws.default_pipeline().id)
        } else {
            let key = pipeline.to_lowercase();
            match self.stored_pipelines.get(&key) {
                Some(id) => PipelineRef::Stored(*id),
                None => PipelineRef::New(
                    match self.pipelines.iter().position(|n| n.to_lowercase() == key) {
                        Some(n) => n,
                        None => {
                            self.pipelines.push(pipeline.to_string());
                            self.pipelines.len() - 1
                        }
                    },
                ),
            }
        };
        let stored = match pipeline {
            PipelineRef::Stored(p) if outcome.is_some_and(|k| ws.stage_of_kind(p, k).is_some()) => {
                outcome.and_then(|k| ws.stage_of_kind(p, k))
            }
            PipelineRef::Stored(p) if stage.is_empty() => ws
                .stage_of_kind(p, StageKind::Open)
                .or_else(|| ws.stages_of(p).next()),
            PipelineRef::Stored(p) => {
                let key = stage.to_lowercase();
                ws.stages_of(p)
                    .find(|s| s.name.trim().to_lowercase() == key)
            }
            PipelineRef::New(_) => None,
        };
        let found = match stored {
            Some(stored) => StageRef::Stored(stored.id),
            None => {
                let name: Arc<str> = if stage.is_empty() {
                    Arc::from(DEFAULT_STAGES[0].name)
                } else {
                    Arc::clone(stage)
                };
                let key = name.to_lowercase();
                let n = match self
                    .stages
                    .iter()
                    .position(|(p, k, _)| *p == pipeline && *k == key)
                {
                    Some(n) => n,
                    None => {
                        self.stages.push((pipeline, key, name));
                        self.stages.len() - 1
                    }
                };
                StageRef::New(n)
            }
        };
        self.resolved.insert(spelling, found);
        found
    }
}

/// A stage the import creates, before its id and place.
struct StageDraft {
    pipeline: PipelineRef,
    name: String,
    kind: StageKind,
    probability: Decimal,
    /// The middle probability of its open deals in the file: where it goes among the others.
    rank: Option<Decimal>,
}

/// The order new stages are created in, so each pipeline's sequences follow it: each
/// pipeline's open stages as [`stage_order`] puts them, then won, then lost stages. `chosen`
/// may only name new open stages.
fn creation_order(
    drafts: &[StageDraft],
    usual: &[&str],
    chosen: &[String],
) -> Result<Vec<usize>, ImportError> {
    let mut pipelines: Vec<PipelineRef> = Vec::new();
    for d in drafts {
        if !pipelines.contains(&d.pipeline) {
            pipelines.push(d.pipeline);
        }
    }
    let mut order = Vec::with_capacity(drafts.len());
    for pipeline in pipelines {
        let open: Vec<usize> = (0..drafts.len())
            .filter(|&n| drafts[n].pipeline == pipeline && drafts[n].kind == StageKind::Open)
            .collect();
        let stages: Vec<(&str, Option<Decimal>)> = open
            .iter()
            .map(|&n| (drafts[n].name.as_str(), drafts[n].rank))
            .collect();
        order.extend(
            stage_order(&stages, usual, chosen)
                .into_iter()
                .map(|k| open[k]),
        );
    }
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    if let Some(stray) = chosen
        .iter()
        .find(|c| !order.iter().any(|&n| same(&drafts[n].name, c)))
    {
        // Listed in the import's own order.
        let own = creation_order(drafts, usual, &[])?;
        let mut new: Vec<&str> = Vec::new();
        for &n in own.iter().filter(|&&n| drafts[n].kind == StageKind::Open) {
            if !new.contains(&drafts[n].name.as_str()) {
                new.push(&drafts[n].name);
            }
        }
        return Err(ImportError::Options(if new.is_empty() {
            tr!(
                "the stage order names “{name}”, but this file adds no stage",
                name = escaped(stray)
            )
        } else {
            tr!(
                "the stage order names “{name}”, which is not one of the stages this file adds ({stages})",
                name = escaped(stray),
                stages = new.join(", ")
            )
        }));
    }
    for kind in [StageKind::Won, StageKind::Lost] {
        order.extend((0..drafts.len()).filter(|&n| drafts[n].kind == kind));
    }
    Ok(order)
}

/// The order of one pipeline's new open stages, given as their names and the middle
/// probability of their deals in the file, in the order the file first names them: the
/// system's default stages (`usual`, case ignored) in its order; each other stage whose deals
/// have probabilities before the first stage so placed of a higher one; the rest after, as
/// the file names them. The user's `chosen` names go over that: those stages first, in its
/// order.
fn stage_order(
    stages: &[(&str, Option<Decimal>)],
    usual: &[&str],
    chosen: &[String],
) -> Vec<usize> {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let known = |n: usize| usual.iter().position(|u| same(u, stages[n].0));
    let mut order: Vec<usize> = (0..stages.len()).filter(|&n| known(n).is_some()).collect();
    order.sort_by_key(|&n| known(n));
    let mut ranked: Vec<usize> = (0..stages.len())
        .filter(|&n| known(n).is_none() && stages[n].1.is_some())
        .collect();
    ranked.sort_by_key(|&n| stages[n].1);
    for n in ranked {
        let at = order
            .iter()
            .position(|&o| stages[o].1 > stages[n].1)
            .unwrap_or(order.len());
        order.insert(at, n);
    }
    order.extend((0..stages.len()).filter(|&n| known(n).is_none() && stages[n].1.is_none()));
    order.sort_by_key(|&n| {
        chosen
            .iter()
            .position(|c| same(c, stages[n].0))
            .unwrap_or(usize::MAX)
    });
    order
}

/// Ids for the new records: from the workspace's counter, skipping the ids the file's deals
/// keep.
struct Ids {
    next: Id,
    reserved: HashSet<Id>,
}

impl Ids {
    /// The next free id. Past [`ID_LIMIT`] the ids repeat and the write refuses the batch
    /// (never a wrap to the ids of the first records).
    fn take(&mut self) -> Id {
        while self.next < ID_LIMIT && self.reserved.contains(&self.next) {
            self.next += 1;
        }
        let id = self.next;
        self.next = id.saturating_add(1);
        id
    }
}

/// Everything an import writes, ids assigned.
struct Plan {
    /// New pipelines and stages.
    config: Vec<Record>,
    batch: Batch,
    /// Deals to put in the trash once written.
    trash: Vec<Id>,
    kept_ids: bool,
    new_pipelines: Vec<Pipeline>,
    new_stages: Vec<Stage>,
    new_lookups: BTreeMap<LookupKind, Vec<String>>,
    /// What finding the contacts showed.
    contact_notes: Vec<String>,
    /// Closed deals recorded as entering the open stage the file names, then closing.
    kept_stage: usize,
    /// Lost deals whose file says they were lost at no open stage.
    lost_nowhere: usize,
}

impl Plan {
    /// The one command writing everything: new pipelines and stages, the deals with what they
    /// need, the trashed ones put in the trash; one transaction, one undo step.
    fn command(self) -> Command {
        let mut batch = self.batch;
        batch.records.splice(0..0, self.config);
        batch.trash = self.trash;
        Command::InsertBatch(Box::new(batch))
    }

    /// The plan writing `rows` as a file of `dialect` says; new open stages are ordered by
    /// [`stage_order`], the user's `chosen` order over it (an error when it names a stage the
    /// file does not add).
    fn build(
        ws: &Workspace,
        rows: Vec<RowIn>,
        mapping: &Mapping,
        chosen: &[String],
    ) -> Result<Plan, ImportError> {
        let dialect = &mapping.dialect;
        let file_ids: Vec<Id> = rows.iter().filter_map(|r| r.id).collect();
        let distinct: HashSet<Id> = file_ids.iter().copied().collect();
        let kept_ids = ws.opportunity_count() == 0
            && !rows.is_empty()
            && file_ids.len() == rows.len()
            && distinct.len() == rows.len()
            && file_ids.iter().all(|&id| id >= ws.next_id());
        let mut ids = Ids {
            next: ws.next_id(),
            reserved: if kept_ids { distinct } else { HashSet::new() },
        };

        // Each row's stage, and the open stage a closed deal closed at when the file names it.
        let mut names = StageNames::new(ws);
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut row_stages: Vec<StageRef> = Vec::with_capacity(rows.len());
        let mut row_closed_from: Vec<Option<StageRef>> = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let stage = names.resolve(&r.pipeline, &r.stage, r.outcome);
            let closed_from = (!r.closed_from.is_empty())
                .then(|| names.resolve(&r.pipeline, &r.closed_from, None));
            members.resize_with(names.stages.len(), Vec::new);
            if let StageRef::New(n) = stage {
                members[n].push(i);
            }
            row_stages.push(stage);
            row_closed_from.push(closed_from);
        }
        // A new stage's kind and probability come from its deals: all closed at 100 % (or 0 %)
        // make it a Won (Lost) stage. A stage only named as where closed deals were is open.
        // Every new pipeline gets an open stage.
        let first_stage_name = DEFAULT_STAGES[0].name;
        let mut drafts: Vec<StageDraft> = names
            .stages
            .iter()
            .zip(&members)
            .map(|((pipeline, _, name), members)| {
                let (kind, probability) = if members.is_empty() {
                    (StageKind::Open, DEFAULT_STAGES[0].probability.into())
                } else {
                    infer_stage(name, members.iter().map(|&i| &rows[i]))
                };
                let mut open: Vec<Decimal> = members
                    .iter()
                    .map(|&i| &rows[i])
                    .filter(|r| r.outcome.is_none() && r.closed.is_none())
                    .filter_map(|r| r.probability)
                    .collect();
                open.sort_unstable();
                StageDraft {
                    pipeline: *pipeline,
                    name: name.to_string(),
                    kind,
                    probability,
                    rank: open.get(open.len() / 2).copied(),
                }
            })
            .collect();
        for n in 0..names.pipelines.len() {
            let has_open = drafts
                .iter()
                .any(|d| d.pipeline == PipelineRef::New(n) && d.kind == StageKind::Open);
            if !has_open {
                drafts.push(StageDraft {
                    pipeline: PipelineRef::New(n),
                    name: first_stage_name.to_owned(),
                    kind: StageKind::Open,
                    probability: DEFAULT_STAGES[0].probability.into(),
                    rank: None,
                });
            }
        }
        let order = creation_order(&drafts, dialect.stage_order, chosen)?;
        let max_sequence = ws.pipelines().iter().map(|p| p.sequence).max().unwrap_or(0);
        let new_pipelines: Vec<Pipeline> = names
            .pipelines
            .iter()
            .zip(1..)
            .map(|(name, n)| Pipeline {
                id: ids.take(),
                name: name.clone(),
                sequence: max_sequence + n,
            })
            .collect();
        let pipeline_id = |p: PipelineRef| match p {
            PipelineRef::Stored(id) => id,
            PipelineRef::New(n) => new_pipelines[n].id,
        };
        let mut new_stages: Vec<Stage> = drafts
            .iter()
            .map(|d| Stage {
                id: 0,
                pipeline: pipeline_id(d.pipeline),
                name: d.name.clone(),
                sequence: 0,
                probability: d.probability,
                kind: d.kind,
                requirements: String::new(),
                rotting_days: None,
                folded: d.kind == StageKind::Lost,
            })
            .collect();
        let mut sequences: HashMap<Id, u32> = HashMap::new();
        for &n in &order {
            let stage = &mut new_stages[n];
            let next = sequences.entry(stage.pipeline).or_insert_with(|| {
                ws.stages_of(stage.pipeline)
                    .map(|s| s.sequence)
                    .max()
                    .unwrap_or(0)
            });
            *next += 1;
            stage.sequence = *next;
            stage.id = ids.take();
        }
        let stage_of = |r: StageRef| -> &Stage {
            match r {
                StageRef::Stored(id) => ws.stage(id).expect("a stored stage"),
                StageRef::New(n) => &new_stages[n],
            }
        };
        // A pipeline's first open stage: where a deal is taken to have been created when the
        // file says it moved later, as these systems put a new deal there.
        let first_open = |pipeline: Id| -> Option<Id> {
            ws.stage_of_kind(pipeline, StageKind::Open)
                .map(|s| s.id)
                .or_else(|| {
                    order
                        .iter()
                        .map(|&n| &new_stages[n])
                        .find(|s| s.pipeline == pipeline && s.kind == StageKind::Open)
                        .map(|s| s.id)
                })
        };
        // The other systems' files say where a closed deal was (or that they cannot): it
        // starts where it closed from, else in its closing stage. So do Forsat's own files with
        // a `closed_from` column (empty: it closed from no open stage); without one they say
        // nothing, and a lost deal is created in the first open stage as it always was, a won
        // one created won.
        let foreign = dialect.outcome != Outcome::Stage;
        let says_closed_from =
            foreign || (mapping.index).contains_key(&Target::Column(Column::ClosedFrom));
        let mut kept_stage = 0;
        let mut lost_nowhere = 0;

        let mut refs = References::new(ws);
        let mut batch = Batch::default();
        let mut trash = Vec::new();
        // The rows' texts move into the deals: a file's descriptions are never held twice.
        for ((r, stage_ref), closed_from) in rows.into_iter().zip(&row_stages).zip(row_closed_from)
        {
            let stage = stage_of(*stage_ref);
            let account = refs.account(&mut ids, &r.account);
            let opp_id = if kept_ids {
                r.id.expect("kept ids are all present")
            } else {
                ids.take()
            };
            let probability = r.probability.unwrap_or(match stage.kind {
                StageKind::Won => Decimal::ONE_HUNDRED,
                StageKind::Lost => Decimal::ZERO,
                StageKind::Open => stage.probability,
            });
            let stage_entered = r.stage_entered.unwrap_or(r.created);
            let closed = match stage.kind {
                StageKind::Open => None,
                StageKind::Won | StageKind::Lost => {
                    Some(r.closed.unwrap_or(stage_entered.date_naive()))
                }
            };
            let lines = r
                .lines
                .iter()
                .map(|l| Line {
                    product: refs.product(&mut ids, &l.product, &l.line, &r.currency),
                    ..l.line.clone()
                })
                .collect();
            let opp = Opportunity {
                id: opp_id,
                name: r.name,
                account,
                business_type: r.business_type,
                source: refs.lookup(&mut ids, LookupKind::Source, &r.source),
                pipeline: stage.pipeline,
                stage: stage.id,
                next_step: r.next_step,
                campaign: refs.lookup(&mut ids, LookupKind::Campaign, &r.campaign),
                salesperson: refs.lookup(&mut ids, LookupKind::Salesperson, &r.salesperson),
                currency: r.currency,
                amount: r.amount,
                amount_mode: r.amount_mode,
                lines,
                expected_close: r.expected_close,
                active: r.active,
                probability,
                probability_overridden: r
                    .probability_overridden
                    .unwrap_or(probability != stage.probability),
                forecast: r.forecast,
                competitor: refs.lookup(&mut ids, LookupKind::Competitor, &r.competitor),
                loss_reason: refs.lookup(&mut ids, LookupKind::LossReason, &r.loss_reason),
                description: r.description,
                win_loss_report: r.win_loss_report,
                priority: r.priority,
                tags: r
                    .tags
                    .iter()
                    .filter_map(|t| refs.lookup(&mut ids, LookupKind::Tag, t))
                    .collect(),
                created: r.created,
                updated: r.updated.unwrap_or(stage_entered.max(r.created)),
                stage_entered,
                closed,
                contact: refs.contact(
                    &mut ids,
                    account,
                    &r.contact,
                    &r.contact_email,
                    &r.contact_phone,
                ),
            };
            // Its stage history as the file implies it: the open stage it was in (entered when
            // the file says, after creation in the first open stage), then its closing stage.
            let closed_from = closed_from
                .map(stage_of)
                .filter(|s| s.kind == StageKind::Open && s.pipeline == stage.pipeline);
            let open = match (stage.kind, closed_from) {
                (StageKind::Open, _) => Some((stage.id, stage_entered)),
                (_, Some(from)) => {
                    kept_stage += 1;
                    Some((from.id, r.closed_from_since.unwrap_or(opp.created)))
                }
                (kind, None) if says_closed_from => {
                    lost_nowhere += usize::from(kind == StageKind::Lost);
                    None
                }
                // Created won: the file says nothing of its way, so it passed through every
                // open stage before (the funnel counts it there), not just the first.
                (StageKind::Won, None) => None,
                (_, None) => first_open(stage.pipeline).map(|id| (id, opp.created)),
            };
            let mut path: Vec<(Id, DateTime<Utc>)> = Vec::with_capacity(3);
            if let Some((open, since)) = open {
                let moved = foreign && since > opp.created;
                match first_open(stage.pipeline).filter(|first| moved && *first != open) {
                    Some(first) => path.extend([(first, opp.created), (open, since)]),
                    None => path.push((open, opp.created)),
                }
            }
            if let Some(closed) = opp
                .closed
                .filter(|_| path.last().is_none_or(|p| p.0 != stage.id))
            {
                let at = match path.last() {
                    None => opp.created,
                    Some(_) if stage_entered.date_naive() == closed => stage_entered,
                    Some(_) => closed.and_time(NaiveTime::MIN).and_utc(),
                };
                path.push((stage.id, at));
            }
            let mut from = None;
            let mut after = opp.created;
            for (to, at) in path {
                // Never before the move before it, whatever the file's times say.
                after = at.max(after);
                batch.stage_events.push(StageEvent {
                    id: ids.take(),
                    opportunity: opp.id,
                    from,
                    to,
                    at: after,
                });
                from = Some(to);
            }
            if r.trashed {
                trash.push(opp.id);
            }
            batch.opportunities.push(opp);
        }
        let contact_notes = refs.contact_messages();
        batch.lookups = refs.new_lookups;
        batch.accounts = refs.new_accounts;
        batch.records = refs.new_records;
        let mut new_lookups: BTreeMap<LookupKind, Vec<String>> = BTreeMap::new();
        for l in &batch.lookups {
            new_lookups.entry(l.kind).or_default().push(l.name.clone());
        }
        let ordered_stages: Vec<Stage> = order.iter().map(|&n| new_stages[n].clone()).collect();
        Ok(Plan {
            config: new_pipelines
                .iter()
                .cloned()
                .map(Record::Pipeline)
                .chain(ordered_stages.iter().cloned().map(Record::Stage))
                .collect(),
            batch,
            trash,
            kept_ids,
            new_pipelines,
            new_stages: ordered_stages,
            new_lookups,
            contact_notes,
            kept_stage,
            lost_nowhere,
        })
    }

    /// Adds the currencies the file brings (ids after every other new record's), first, and
    /// tells about them.
    fn add_currencies(&mut self, new: rates::NewCurrencies, summary: &mut ImportSummary) {
        let batch = &self.batch;
        let last = self
            .config
            .iter()
            .chain(&batch.records)
            .map(Record::id)
            .chain(batch.lookups.iter().map(|l| l.id))
            .chain(batch.accounts.iter().map(|a| a.id))
            .chain(batch.opportunities.iter().map(|o| o.id))
            .chain(batch.stage_events.iter().map(|e| e.id))
            .max();
        let mut next = last.map_or(0, |id| id + 1);
        let currencies = new.currencies.into_iter().map(|c| {
            next += 1;
            Record::Currency(Currency { id: next - 1, ..c })
        });
        self.config.splice(0..0, currencies);
        summary.messages.extend(new.messages);
    }

    /// Fills the summary's counts and tells what is new.
    fn describe(&self, ws: &Workspace, summary: &mut ImportSummary) {
        let count = |kind: EntityKind| {
            self.batch
                .records
                .iter()
                .filter(|r| r.kind() == kind)
                .count()
        };
        summary.deals = self.batch.opportunities.len();
        summary.accounts = self.batch.accounts.len();
        summary.contacts = count(EntityKind::Contact);
        summary.products = count(EntityKind::Product);
        summary.lookups = self.batch.lookups.len();
        summary.pipelines = self.new_pipelines.len();
        summary.stages = self.new_stages.len();
        summary.kept_ids = self.kept_ids;
        for p in &self.new_pipelines {
            summary
                .messages
                .push(tr!("new pipeline “{name}”", name = p.name));
        }
        for s in &self.new_stages {
            let pipeline = ws
                .pipelines()
                .iter()
                .chain(&self.new_pipelines)
                .find(|p| p.id == s.pipeline)
                .map_or("", |p| p.name.as_str());
            summary.new_stages.push(NewStage {
                pipeline: pipeline.to_owned(),
                name: s.name.clone(),
                kind: s.kind,
            });
            let kind = match s.kind {
                StageKind::Open => tr!("open"),
                StageKind::Won => tr!("won"),
                StageKind::Lost => tr!("lost"),
            };
            summary.messages.push(tr!(
                "new stage “{name}” ({kind}, {probability} %) at the end of pipeline “{pipeline}”",
                name = s.name,
                kind = kind,
                probability = s.probability.normalize(),
                pipeline = pipeline
            ));
        }
        if self.kept_stage > 0 {
            summary.messages.push(trn!(
                self.kept_stage,
                "{n} won or lost deals keep the stage the file names: they entered it, then closed"
            ));
        }
        if self.lost_nowhere > 0 {
            summary.messages.push(trn!(
                self.lost_nowhere,
                "{n} lost deals name no stage they were lost at: they count as lost, at no stage of the funnel or the sales leakage"
            ));
        }
        for (kind, names) in &self.new_lookups {
            let what = match kind {
                LookupKind::Source => tr!("new sources"),
                LookupKind::Campaign => tr!("new campaigns"),
                LookupKind::Salesperson => tr!("new salespeople"),
                LookupKind::LossReason => tr!("new loss reasons"),
                LookupKind::Competitor => tr!("new competitors"),
                LookupKind::Tag => tr!("new tags"),
            };
            summary
                .messages
                .push(format!("{what}: {}", names.join(", ")));
        }
        summary.messages.extend(self.contact_notes.iter().cloned());
        if summary.products > 0 {
            let codes: Vec<&str> = self
                .batch
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Product(p) => Some(p.code.as_str()),
                    _ => None,
                })
                .collect();
            summary.messages.push(tr!(
                "new products (priced as on their first line): {codes}",
                codes = codes.join(", ")
            ));
        }
    }
}

/// The kind and default probability of a stage the import creates, from its deals: all
/// closed at 100 % make it won, all closed at 0 % lost (a name with "lost" decides when the
/// probabilities do not), otherwise open at its deals' usual probability.
fn infer_stage<'a>(name: &str, rows: impl Iterator<Item = &'a RowIn>) -> (StageKind, Decimal) {
    let rows: Vec<&RowIn> = rows.collect();
    for kind in [StageKind::Won, StageKind::Lost] {
        if !rows.is_empty() && rows.iter().all(|r| r.outcome == Some(kind)) {
            let probability = if kind == StageKind::Won {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            };
            return (kind, probability);
        }
    }
    let all_closed = !rows.is_empty() && rows.iter().all(|r| r.closed.is_some());
    if all_closed {
        let all_at = |p: Decimal| rows.iter().all(|r| r.probability == Some(p));
        if all_at(Decimal::ONE_HUNDRED) {
            return (StageKind::Won, Decimal::ONE_HUNDRED);
        }
        if all_at(Decimal::ZERO) || name.to_lowercase().contains("lost") {
            return (StageKind::Lost, Decimal::ZERO);
        }
        return (StageKind::Won, Decimal::ONE_HUNDRED);
    }
    let probability = rows
        .iter()
        .filter(|r| r.closed.is_none() && r.probability_overridden != Some(true))
        .find_map(|r| r.probability)
        .unwrap_or(DEFAULT_STAGES[0].probability.into());
    (StageKind::Open, probability)
}

/// Accounts, contacts, lookups and products by name: stored ones found (case ignored), new
/// ones created once.
struct References<'w> {
    ws: &'w Workspace,
    accounts: Names,
    lookups: foldhash::HashMap<LookupKind, Names>,
    /// Each account's contacts, loaded when a row first names one (see
    /// [`References::contact`]).
    contacts: foldhash::HashMap<Id, ContactsOf>,
    /// Where each new contact is in `new_records`, to take an email or a phone a later row
    /// gives it.
    new_contacts: foldhash::HashMap<Id, usize>,
    /// What the contacts found tell the user.
    contact_notes: ContactNotes,
    products: Names,
    /// The caseless key being looked up: reused, so a name found costs no allocation.
    key: String,
    new_accounts: Vec<Account>,
    new_lookups: Vec<Lookup>,
    new_records: Vec<Record>,
}

/// Ids by caseless name.
type Names = foldhash::HashMap<String, Id>;

/// The contacts of one account by caseless email and by caseless name.
#[derive(Default)]
struct ContactsOf {
    by_email: Names,
    by_name: Names,
}

/// What finding the deals' contacts showed, for the summary.
#[derive(Default)]
struct ContactNotes {
    /// Contacts already stored whose email or phone the file writes otherwise: kept as
    /// stored, named here.
    stored_differ: Vec<String>,
    /// Rows whose contact was found by its email under another name.
    by_email_named_otherwise: usize,
    /// New contacts whose rows give them different emails or phones: the first kept.
    new_differ: usize,
}

/// `name` trimmed and lower-cased into `key` (cleared first).
fn caseless<'k>(key: &'k mut String, name: &str) -> &'k str {
    key.clear();
    key.extend(name.trim().chars().flat_map(char::to_lowercase));
    key
}

/// Adds `name` under its caseless key unless the key is taken.
fn keep_first(names: &mut Names, name: &str, id: Id) {
    let mut key = String::new();
    caseless(&mut key, name);
    names.entry(key).or_insert(id);
}

impl<'w> References<'w> {
    fn new(ws: &'w Workspace) -> References<'w> {
        let mut lookups = foldhash::HashMap::default();
        for kind in LookupKind::ALL {
            let names: &mut Names = lookups.entry(kind).or_default();
            for l in ws.all_lookups(kind) {
                keep_first(names, &l.name, l.id);
            }
        }
        let mut accounts = Names::default();
        for a in ws.accounts_by_name() {
            keep_first(&mut accounts, &a.name, a.id);
        }
        let mut products = Names::default();
        let stored = ws.products();
        for p in &stored {
            if !p.code.trim().is_empty() {
                keep_first(&mut products, &p.code, p.id);
            }
        }
        for p in &stored {
            keep_first(&mut products, &p.name, p.id);
        }
        References {
            ws,
            accounts,
            lookups,
            contacts: foldhash::HashMap::default(),
            new_contacts: foldhash::HashMap::default(),
            contact_notes: ContactNotes::default(),
            products,
            key: String::new(),
            new_accounts: Vec::new(),
            new_lookups: Vec::new(),
            new_records: Vec::new(),
        }
    }

    /// The id `names` has for `name`, else a new one `create` makes the record of.
    fn find_or(
        names: &mut Names,
        key: &mut String,
        ids: &mut Ids,
        name: &str,
        create: impl FnOnce(Id),
    ) -> Id {
        if let Some(id) = names.get(caseless(key, name)) {
            return *id;
        }
        let id = ids.take();
        create(id);
        names.insert(key.clone(), id);
        id
    }

    fn account(&mut self, ids: &mut Ids, name: &str) -> Id {
        let new = &mut self.new_accounts;
        Self::find_or(&mut self.accounts, &mut self.key, ids, name, |id| {
            new.push(Account {
                id,
                name: name.to_owned(),
                ..Account::default()
            });
        })
    }

    fn lookup(&mut self, ids: &mut Ids, kind: LookupKind, name: &str) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let names = self.lookups.entry(kind).or_default();
        let new = &mut self.new_lookups;
        Some(Self::find_or(names, &mut self.key, ids, name, |id| {
            new.push(Lookup {
                id,
                kind,
                name: name.to_owned(),
                active: true,
            });
        }))
    }

    /// The deal's contact at `account`: the one with its email (case ignored), else with its
    /// name, else a new one with the row's email and phone. A stored contact keeps its data
    /// (an import adds, and its undo removes only what it added): a different email or phone
    /// in the file is reported. A contact new in this import takes the first email and phone
    /// its rows give.
    fn contact(
        &mut self,
        ids: &mut Ids,
        account: Id,
        name: &str,
        email: &str,
        phone: &str,
    ) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let ws = self.ws;
        let of = self.contacts.entry(account).or_insert_with(|| {
            let mut of = ContactsOf::default();
            for c in ws.contacts_of(account) {
                keep_first(&mut of.by_name, &c.name, c.id);
                if !c.email.trim().is_empty() {
                    keep_first(&mut of.by_email, &c.email, c.id);
                }
            }
            of
        });
        let by_email = (!email.is_empty())
            .then(|| of.by_email.get(caseless(&mut self.key, email)).copied())
            .flatten();
        let found = by_email.or_else(|| of.by_name.get(caseless(&mut self.key, name)).copied());
        let Some(id) = found else {
            let id = ids.take();
            self.new_contacts.insert(id, self.new_records.len());
            self.new_records.push(Record::Contact(Contact {
                id,
                account,
                name: name.to_owned(),
                email: email.to_owned(),
                phone: phone.to_owned(),
                ..Contact::default()
            }));
            keep_first(&mut of.by_name, name, id);
            if !email.is_empty() {
                keep_first(&mut of.by_email, email, id);
            }
            return Some(id);
        };
        let differs = |kept: &str, file: &str| {
            !file.is_empty() && kept.trim().to_lowercase() != file.to_lowercase()
        };
        let notes = &mut self.contact_notes;
        match self.new_contacts.get(&id) {
            Some(&at) => {
                let Record::Contact(c) = &mut self.new_records[at] else {
                    unreachable!("new contacts are contacts");
                };
                if by_email.is_some() && c.name.to_lowercase() != name.to_lowercase() {
                    notes.by_email_named_otherwise += 1;
                }
                let mut taken = false;
                for (kept, file) in [(&mut c.email, email), (&mut c.phone, phone)] {
                    if kept.is_empty() {
                        kept.push_str(file);
                        taken |= !file.is_empty();
                    } else if differs(kept, file) {
                        notes.new_differ += 1;
                    }
                }
                if taken && !c.email.is_empty() {
                    keep_first(&mut of.by_email, &c.email, id);
                }
            }
            None => {
                let stored = ws.contact(id).expect("a stored contact");
                if by_email.is_some() && stored.name.to_lowercase() != name.to_lowercase() {
                    notes.by_email_named_otherwise += 1;
                }
                if (differs(&stored.email, email) || differs(&stored.phone, phone))
                    && !notes.stored_differ.contains(&stored.name)
                {
                    notes.stored_differ.push(stored.name.clone());
                }
            }
        }
        Some(id)
    }

    /// What finding the contacts showed, as notes for the summary.
    fn contact_messages(&self) -> Vec<String> {
        /// How many names a note lists.
        const NAMED: usize = 10;
        let ContactNotes {
            stored_differ,
            by_email_named_otherwise,
            new_differ,
        } = &self.contact_notes;
        let mut notes = Vec::new();
        if !stored_differ.is_empty() {
            let mut names: Vec<String> = stored_differ
                .iter()
                .take(NAMED)
                .map(|n| format!("“{}”", escaped(n)))
                .collect();
            if stored_differ.len() > NAMED {
                names.push("…".to_owned());
            }
            notes.push(trn!(
                stored_differ.len(),
                "{n} contacts already in Forsat keep their own email and phone, though the file writes others: {names}",
                names = names.join(", ")
            ));
        }
        if *by_email_named_otherwise > 0 {
            notes.push(trn!(
                *by_email_named_otherwise,
                "{n} rows name a contact by an email that a contact of the account with another name has: the deal has that contact"
            ));
        }
        if *new_differ > 0 {
            notes.push(trn!(
                *new_differ,
                "{n} times a row gives a new contact another email or phone than an earlier row: the first kept"
            ));
        }
        notes
    }

    /// The product a line names (by code, else by name); a new one takes the line's price
    /// in the deal's currency.
    fn product(&mut self, ids: &mut Ids, key: &str, line: &Line, currency: &str) -> Option<Id> {
        if key.is_empty() {
            return None;
        }
        let new = &mut self.new_records;
        Some(Self::find_or(
            &mut self.products,
            &mut self.key,
            ids,
            key,
            |id| {
                new.push(Record::Product(Product {
                    id,
                    code: key.to_owned(),
                    name: key.to_owned(),
                    unit_price: line.unit_price,
                    currency: currency.to_owned(),
                    active: true,
                }));
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_ignore_case_spaces_underscores_and_a_trailing_colon() {
        assert_eq!(normalize_header(" Expected Close: "), "expectedclose");
        assert_eq!(normalize_header("expected_close"), "expectedclose");
        let headers = |hs: &[&str]| -> Vec<String> { hs.iter().map(|h| (*h).to_owned()).collect() };
        let mapping = Mapping::detect(&headers(&["Account:", "STAGE", "Colour"])).expect("Forsat");
        assert_eq!(mapping.dialect.source, Source::Forsat);
        assert_eq!(mapping.unknown, vec!["Colour".to_owned()]);
        let detected = |hs: &[&str]| Mapping::detect(&headers(hs)).map(|m| m.dialect.source);
        assert_eq!(
            detected(&["Opportunity", "Customer", "Expected Revenue", "Stage"]),
            Some(Source::Odoo)
        );
        assert_eq!(
            detected(&["name", "partner_id", "expected_revenue", "stage_id"]),
            Some(Source::Odoo)
        );
        assert_eq!(
            detected(&[
                "Opportunity Name",
                "Opportunity Amount",
                "Sales Stage",
                "Account Name"
            ]),
            Some(Source::Suitecrm)
        );
        assert_eq!(
            detected(&["Deal - Title", "DEAL - VALUE:", "deal -  status"]),
            Some(Source::Pipedrive)
        );
        assert_eq!(detected(&["Colour", "Size"]), None);
    }

    #[test]
    fn new_stages_go_in_the_systems_order_then_by_probability_then_as_named() {
        let p = |text: &str| Some(text.parse::<Decimal>().unwrap());
        let usual = formats::Dialect::of(Source::Odoo).stage_order;
        let named = |order: Vec<usize>, stages: &[(&str, Option<Decimal>)]| -> Vec<String> {
            order.into_iter().map(|n| stages[n].0.to_owned()).collect()
        };
        let stages = [
            ("Proposition", p("70")),
            ("Later", None),
            ("Demo", p("50")),
            ("new", p("10")),
            ("Early", p("5")),
            ("Qualified", None),
            ("Also later", None),
        ];
        // Known ones in Odoo's order (case ignored); Demo before the first known stage of a
        // higher probability, Early before New; the rest as the file names them.
        assert_eq!(
            named(stage_order(&stages, usual, &[]), &stages),
            [
                "Early",
                "new",
                "Qualified",
                "Demo",
                "Proposition",
                "Later",
                "Also later"
            ]
        );
        let chosen = ["also later".to_owned(), "Proposition".to_owned()];
        assert_eq!(
            named(stage_order(&stages, usual, &chosen), &stages),
            [
                "Also later",
                "Proposition",
                "Early",
                "new",
                "Qualified",
                "Demo",
                "Later"
            ]
        );
        // No known stage and no probabilities: as the file names them.
        let plain = [("B", None), ("A", None)];
        assert_eq!(named(stage_order(&plain, &[], &[]), &plain), ["B", "A"]);
    }

    #[test]
    fn lines_cells_are_json_arrays() {
        let lines = lines_from_json(
            r#"[{"product":"SVC-ONB","description":"Onboarding","quantity":"2","unit_price":2400,"discount_pct":"5"}]"#,
        )
        .unwrap();
        assert_eq!(lines[0].product, "SVC-ONB");
        assert_eq!(lines[0].line.total(), Decimal::from(4560));
        assert!(lines_from_json("not json").is_err());
        let err = lines_from_json(r#"[{"quantity":"0"}]"#).err().unwrap();
        assert!(err.starts_with("line 1: Quantity"), "{err}");
    }
}
