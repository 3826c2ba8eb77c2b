//! The import in steps: the file read and its columns mapped, rows checked a slice at a time
//! (on every core for the rest), then the plan made.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use csv::StringRecord;

use super::super::clean::Repairs;
use super::super::columns::FileColumn;
use super::super::csv_file;
use super::super::formats::{self, Target};
use super::super::parse::{DateVotes, DayMonth, NumberStyle, NumberVotes};
use super::super::rates;
use super::super::workbook;
use super::super::{ReadError, Source};
use super::mapping::Mapping;
use super::plan::Plan;
use super::report::{ImportError, ImportSummary, RowError};
use super::rows::{DATE_TARGETS, RowIn, RowReader, Shared, Styles};
use super::{ImportOptions, f, normalize_header};
use crate::command::Command;
use crate::domain::{Field, escaped};
use crate::tr;
use crate::workspace::Workspace;

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
        let mut record = StringRecord::new();
        if !reader.read_record(&mut record).map_err(unreadable)? {
            return Err(ImportError::Unreadable(tr!("the file is empty")));
        }
        let headers: Vec<String> = record.iter().map(str::to_owned).collect();
        let mapping = map_columns(&headers, options)?;
        let scan = Scan::of(&mut reader, record, &mapping, header_row)?;
        let last = scan.last;
        let from = usize::try_from(last.at).unwrap_or(usize::MAX);
        if last.row > header_row
            && csv_file::unclosed_quote(text.get(from..).unwrap_or_default(), separator)
        {
            return Err(ImportError::Unreadable(tr!(
                "row {row}: a quoted cell opens here and is never closed, so the rest of the file would be read into it; nothing was imported. Close the quote (a quote inside a cell is written twice: \"\")",
                row = last.row
            )));
        }
        let mut summary = ImportSummary {
            format: mapping.dialect.source,
            dry_run: options.dry_run,
            rows: scan.rows.len(),
            ..ImportSummary::default()
        };
        if let Some(book) = &book {
            summary.messages.extend(book.notes.iter().cloned());
        }
        summary.messages.extend(mapping.notes());
        let styles = scan.styles(book.as_ref(), &mapping, options, &mut summary.messages);
        Ok(ImportJob {
            options: options.clone(),
            mapping,
            styles,
            text_start,
            bytes,
            separator,
            good: Vec::with_capacity(scan.rows.len()),
            rows: scan.rows,
            samples: scan.samples,
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
        let account_column = mapping
            .position(FileColumn::Field(Field::Account))
            .is_some();
        let fallback_column = mapping.position(FileColumn::Field(Field::Name)).is_some()
            || mapping
                .position(FileColumn::Field(Field::Contact))
                .is_some()
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

/// A file's CSV that cannot be read.
fn unreadable(e: csv::Error) -> ImportError {
    ImportError::from(ReadError::Csv(e))
}

/// The mapping of a file's columns: the format asked for (else the one its headers show),
/// with the columns the options map by hand.
fn map_columns(headers: &[String], options: &ImportOptions) -> Result<Mapping, ImportError> {
    let mapping = match options.from {
        Source::Auto => Mapping::detect(headers).ok_or_else(|| {
            ImportError::Unreadable(tr!(
                "the columns ({headers}) are not those of a format Forsat imports",
                headers = escaped(&headers.join(", "))
            ))
        })?,
        source => Mapping::new(source, headers, &options.columns),
    };
    Ok(if options.columns.is_empty() {
        mapping
    } else {
        Mapping::new(mapping.dialect.source, headers, &options.columns)
    })
}

/// One pass over a file's rows: where each begins, the first ones for the mapping step, and
/// what the number and date columns show about their style.
struct Scan {
    rows: Vec<RowAt>,
    samples: Vec<StringRecord>,
    /// The last row read, empty or not: an unclosed quote swallows the rest of the file into it.
    last: RowAt,
    amount: NumberVotes,
    probability: NumberVotes,
    /// One per [`DATE_TARGETS`], in its order.
    dates: Vec<DateVotes>,
}

impl Scan {
    /// Reads the rows after the header (`record`'s buffer is reused).
    fn of(
        reader: &mut csv::Reader<&[u8]>,
        mut record: StringRecord,
        mapping: &Mapping,
        header_row: usize,
    ) -> Result<Scan, ImportError> {
        let mut scan = Scan {
            rows: Vec::new(),
            samples: Vec::new(),
            last: RowAt {
                row: header_row,
                at: 0,
            },
            amount: NumberVotes::default(),
            probability: NumberVotes::default(),
            dates: vec![DateVotes::default(); DATE_TARGETS.len()],
        };
        for row in header_row + 1.. {
            if !reader.read_record(&mut record).map_err(unreadable)? {
                break;
            }
            scan.last = RowAt {
                row,
                at: record.position().map_or(0, csv::Position::byte),
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            scan.rows.push(scan.last);
            if scan.samples.len() < SAMPLES {
                scan.samples.push(record.clone());
            }
            if let Some(v) = mapping.cell(&record, f(Field::Amount)) {
                scan.amount.add(v);
            }
            if let Some(v) = mapping.cell(&record, f(Field::Probability)) {
                scan.probability.add(v);
            }
            for (votes, target) in scan.dates.iter_mut().zip(DATE_TARGETS) {
                if let Some(v) = mapping.cell(&record, target) {
                    votes.add(v);
                }
            }
        }
        Ok(scan)
    }

    /// Each number and date column's style, from its votes; a date order only guessed is
    /// said in `messages`.
    fn styles(
        &self,
        book: Option<&workbook::Sheet>,
        mapping: &Mapping,
        options: &ImportOptions,
        messages: &mut Vec<String>,
    ) -> Styles {
        let format_setting = crate::i18n::date_format();
        let chosen = options.decimal_separator;
        // A column of number cells in a workbook has no separator to decide.
        let style = |votes: &NumberVotes, target: Target| match book {
            Some(book) if mapping.index.get(&target).is_some_and(|&i| book.numeric[i]) => {
                NumberStyle::plain()
            }
            _ => votes.style(chosen),
        };
        let mut styles = Styles {
            amount: style(&self.amount, f(Field::Amount)),
            probability: style(&self.probability, f(Field::Probability)),
            dates: HashMap::new(),
        };
        for (votes, target) in self.dates.iter().zip(DATE_TARGETS) {
            let style = votes.style(format_setting);
            if style.guessed {
                let order = match style.order {
                    DayMonth::DayFirst => tr!("day/month/year"),
                    DayMonth::MonthFirst => tr!("month/day/year"),
                };
                messages.push(tr!(
                "column “{column}”: no date shows whether the day or the month comes first; read as {order} (the date format of the settings)",
                column = escaped(&mapping.target_header(target)),
                order = order
            ));
            }
            styles.dates.insert(target, style);
        }
        styles
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
