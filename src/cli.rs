//! The command line: `forsat [--db PATH]` opens the window; subcommands work headless on the
//! same database, for scripts and tests.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::analytics::Cell;
use crate::analytics::reports::{GroupBy, Params, Period, Scope, VelocityBy, WinLossBy};
use crate::command::{Change, Command};
use crate::domain::{EntityKind, Every, Language, LookupKind};
use crate::interchange;
use crate::interchange::vcard::OnDuplicate;
use crate::store::StoreError;
use crate::store::files::{FileError, Replace};
use crate::ui::{ThemePreference, View};
use crate::workspace::{ApplyError, Workspace, system_clock};
use crate::{tr, trn};

/// Forsat: a local-first sales-pipeline CRM. Without a subcommand it opens the window.
#[derive(Debug, Parser)]
#[command(name = "forsat", version, about, long_about = None)]
pub struct Cli {
    /// The database file. Default: forsat.redb in the user's data folder
    /// (~/.local/share/forsat on Linux).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Render the window once at 1400x900, save it as a PNG and exit.
    #[arg(long, value_name = "OUT.png")]
    pub screenshot: Option<PathBuf>,
    /// The language of the window and the messages (en, fa or fr), whatever the settings say.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_language)]
    pub locale: Option<Language>,
    /// Open the window, print the time from start to its first painted frame and the resident
    /// memory then, and exit (for benchmarks).
    #[arg(long)]
    pub timing: bool,
    /// The view the window opens on. Default: the one it showed last.
    #[arg(long, value_enum)]
    pub view: Option<View>,
    /// The window's theme: light, dark or the system's. Default: the one chosen last.
    #[arg(long, value_enum)]
    pub theme: Option<Theme>,
    /// An existing database file to open in the window, as a file manager passes it (a new
    /// one is made with --db).
    // Existing only: a mistyped subcommand must not become a new database's name.
    #[arg(value_name = "FILE", conflicts_with = "db", value_parser = existing_file)]
    pub file: Option<PathBuf>,
    /// Replace the file that --out or --screenshot names if it exists (never the database,
    /// its lock or its backups).
    #[arg(long, global = true)]
    pub force: bool,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// The window's themes, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Theme {
    Light,
    Dark,
    /// The desktop's (light where it does not say).
    System,
}

impl From<Theme> for ThemePreference {
    fn from(theme: Theme) -> Self {
        match theme {
            Theme::Light => ThemePreference::Light,
            Theme::Dark => ThemePreference::Dark,
            Theme::System => ThemePreference::System,
        }
    }
}

fn existing_file(given: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(given);
    if path.is_file() {
        Ok(path)
    } else if path.extension().is_some() || path.components().count() > 1 {
        Err(tr!(
            "there is no file {path}: a new database is made with --db {path}",
            path = given
        ))
    } else {
        Err(tr!(
            "“{word}” is neither a command nor a file (--help lists the commands)",
            word = given
        ))
    }
}

fn parse_language(code: &str) -> Result<Language, String> {
    Language::from_code(code).ok_or_else(|| tr!("“{code}” is not one of en, fa, fr", code = code))
}

/// Why a subcommand failed: its message for standard error (exit code 1).
#[derive(Debug)]
pub enum CliError {
    /// The database could not be opened, checked, read or backed up.
    Store(StoreError),
    /// A change was refused or not saved.
    Apply(ApplyError),
    /// A file to write (`--out`, `--errors-file`) was refused or not written.
    File(FileError),
    /// An import that wrote nothing.
    Import(interchange::ImportError),
    /// A calendar invitation or a file of cards that was not imported: why.
    NotImported(String),
    /// Standard output could not be written.
    Io(std::io::Error),
    /// The history could not be written as JSON.
    Json(serde_json::Error),
    /// The PNG chart could not be drawn or written.
    Chart(String),
    /// An import that left rows out: its summary, a failure for scripts all the same.
    RowsSkipped(String),
    /// `--salesperson` names no salesperson.
    NoSalesperson(String),
    /// `--pipeline` names no pipeline.
    NoPipeline { name: String, known: Vec<String> },
    /// A report that follows one pipeline's stages, asked for every pipeline.
    OnePipeline(&'static str),
    /// A PNG report without `--out`.
    PngNeedsOut,
    /// An XLSX export without `--out`.
    XlsxNeedsOut,
    /// `history` of an id that is no opportunity.
    NoOpportunity { id: u64, path: PathBuf },
    /// `check` or `backup` sent to the commands that open the file.
    NotOpened,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Store(e) => e.fmt(f),
            CliError::Apply(e) => e.fmt(f),
            CliError::File(e) => e.fmt(f),
            CliError::Import(e) => e.fmt(f),
            CliError::Io(e) => e.fmt(f),
            CliError::Json(e) => e.fmt(f),
            CliError::Chart(text) | CliError::RowsSkipped(text) | CliError::NotImported(text) => {
                f.write_str(text)
            }
            CliError::NoSalesperson(name) => f.write_str(&tr!(
                "Salesperson: there is no salesperson “{name}”",
                name = name
            )),
            CliError::NoPipeline { name, known } => f.write_str(&tr!(
                "there is no pipeline “{name}” (there are: {known}; or all)",
                name = name,
                known = known.join(", ")
            )),
            CliError::OnePipeline(report) => f.write_str(&tr!(
                "the {report} report follows one pipeline's stages: name it with --pipeline",
                report = report
            )),
            CliError::PngNeedsOut => f.write_str(&tr!("a PNG report needs --out FILE")),
            CliError::XlsxNeedsOut => f.write_str(&tr!("an XLSX export needs --out FILE")),
            CliError::NoOpportunity { id, path } => f.write_str(&tr!(
                "there is no opportunity {id} in {path}",
                id = id,
                path = path.display()
            )),
            CliError::NotOpened => f.write_str(&tr!("this command does not open the file")),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Store(e) => Some(e),
            CliError::Apply(e) => Some(e),
            CliError::File(e) => Some(e),
            CliError::Import(e) => Some(e),
            CliError::Io(e) => Some(e),
            CliError::Json(e) => Some(e),
            _ => None,
        }
    }
}

/// `?` on the layers' calls gives a [`CliError`].
macro_rules! cli_error_from {
    ($($variant:ident($error:ty)),*) => {$(
        impl From<$error> for CliError {
            fn from(e: $error) -> CliError {
                CliError::$variant(e)
            }
        }
    )*};
}

cli_error_from!(
    Store(StoreError),
    Apply(ApplyError),
    File(FileError),
    Import(interchange::ImportError),
    Io(std::io::Error),
    Json(serde_json::Error)
);

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Check the whole file (every page's checksum, every record) without changing it; a
    /// damaged file's message names the newest backup that opens. Exit code 1 when damaged.
    Check,
    /// Make today's backup now (beside the file, checked, the oldest beyond the number the
    /// settings keep removed).
    Backup,
    /// Add realistic generated opportunities (deterministic for a seed).
    Demo {
        /// How many opportunities to add.
        #[arg(long, default_value_t = 1000)]
        opps: usize,
        /// Seed of the generator: the same seed gives the same deals.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print one opportunity's history: every change with its time, field, old and new value.
    History {
        /// The opportunity's id (shown by exports and `report`).
        id: u64,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print a report.
    Report {
        #[command(subcommand)]
        report: Report,
    },
    /// Write records to a CSV or XLSX file (CSV to standard output without --out), or the
    /// activities to an iCalendar file (`--what activities --format ics`).
    Export {
        #[arg(long, value_enum, default_value_t = interchange::Kind::Opportunities)]
        what: interchange::Kind,
        /// The file format; by default the extension of --out, else CSV.
        #[arg(long, value_enum)]
        format: Option<interchange::Format>,
        /// The file to write; one that exists is replaced only with --force.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add the deals of a CSV file or a workbook (.xlsx, .xls, .ods: the sheet with the
    /// header), with the accounts, contacts, lists and currencies they need, in one
    /// transaction: all or nothing unless --skip-bad-rows. A calendar invitation (.ics)
    /// plans its events as activities of the contacts its attendees are; a vCard file (.vcf)
    /// adds its cards as contacts.
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = interchange::Source::Auto)]
        from: interchange::Source,
        /// Check the file and say what would be created, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows and report the bad ones (exit code 1 when any was skipped).
        #[arg(long)]
        skip_bad_rows: bool,
        /// The decimal separator (. or ,) of number columns whose values do not show it
        /// (every value like 1.500); such a column is refused until this says.
        #[arg(long, value_name = "MARK", value_parser = parse_decimal_separator)]
        decimal_separator: Option<char>,
        /// Write every bad cell to FILE, one a line (the terminal shows the first 50).
        #[arg(long, value_name = "FILE")]
        errors_file: Option<PathBuf>,
        /// The order of the new stages the file adds, by name ("Lead In,Demo Scheduled"):
        /// these first, the others after them in the import's own order.
        #[arg(long, value_name = "NAMES", value_delimiter = ',')]
        stage_order: Vec<String>,
        /// A vCard file's cards whose email or phone a contact already has: left out (skip),
        /// given to that contact (merge), or added all the same (add).
        #[arg(long, value_enum, default_value_t = OnDuplicate::Skip)]
        duplicates: OnDuplicate,
    },
}

/// `export`: to the file `out` names, or to standard output (CSV and iCalendar).
fn export(
    ws: &Workspace,
    what: interchange::Kind,
    format: Option<interchange::Format>,
    out: Option<PathBuf>,
    replace: Replace,
) -> Result<String, CliError> {
    let format = format.unwrap_or_else(|| {
        out.as_deref()
            .map_or(interchange::Format::Csv, interchange::Format::of_path)
    });
    match out {
        Some(path) => {
            interchange::export_to(ws, what, None, format, &path, replace)?;
            Ok(tr!(
                "Wrote {what} to {path}.",
                what = what.as_str(),
                path = path.display()
            ) + "\n")
        }
        None if format == interchange::Format::Xlsx => Err(CliError::XlsxNeedsOut),
        // CSV and iCalendar are text: they go to standard output.
        None => {
            match interchange::write_text(ws, what, format, std::io::stdout().lock()) {
                // The reader stopped early (`| head`): what it read was what it wanted.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
                _ => Ok(String::new()),
            }
        }
    }
}

/// The text of a calendar or vCard file, and its name for messages.
fn read_text(file: &Path) -> Result<(String, String), CliError> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).map_err(|e| {
        CliError::NotImported(tr!(
            "{file} could not be read: {error}",
            file = name,
            error = e
        ))
    })?;
    Ok((name, text))
}

/// Applies what a calendar or vCard file plans, in one undo step, and says what it did; with
/// `dry_run`, says what it would do and writes nothing.
fn apply_planned(
    ws: &mut Workspace,
    change: Change,
    mut lines: Vec<String>,
    dry_run: bool,
) -> Result<String, CliError> {
    if dry_run {
        lines.push(tr!("Nothing was written (--dry-run)."));
    } else {
        ws.apply(Command::Change(Box::new(change)))?;
    }
    Ok(lines.join("\n") + "\n")
}

/// Plans the events of a calendar invitation (.ics) as activities.
fn import_invitation(ws: &mut Workspace, file: &Path, dry_run: bool) -> Result<String, CliError> {
    let (name, text) = read_text(file)?;
    let planned = interchange::invitation::plan(ws, &name, &text).map_err(CliError::NotImported)?;
    apply_planned(ws, planned.change, planned.lines, dry_run)
}

/// Adds the cards of a vCard file (.vcf) as contacts, duplicates kept as `duplicates` says.
fn import_cards(
    ws: &mut Workspace,
    file: &Path,
    dry_run: bool,
    duplicates: OnDuplicate,
) -> Result<String, CliError> {
    let (name, text) = read_text(file)?;
    let plan = interchange::vcard::plan_cards(ws, &name, &text, &|_| duplicates)
        .map_err(|problems| CliError::NotImported(problems.join("\n")))?;
    let mut lines = plan.lines;
    lines.extend(plan.duplicates.iter().map(|d| d.said.clone()));
    if duplicates == OnDuplicate::Skip && !plan.duplicates.is_empty() {
        lines.push(tr!(
            "Run again with --duplicates merge to give the contacts what their duplicates have, or --duplicates add to add them all the same."
        ));
    }
    apply_planned(ws, plan.change, lines, dry_run)
}

fn parse_decimal_separator(mark: &str) -> Result<char, String> {
    match mark {
        "." => Ok('.'),
        "," => Ok(','),
        _ => Err(tr!("“{mark}” is not . or ,", mark = mark)),
    }
}

/// The reports the CLI prints (definitions in the README, "Reports").
#[derive(Debug, Subcommand)]
pub enum Report {
    /// Open active deals with count, expected and weighted revenue, by stage, salesperson,
    /// source or expected-close month.
    Pipeline {
        #[arg(long, value_enum, default_value_t = GroupBy::Stage)]
        by: GroupBy,
        #[command(flatten)]
        common: ReportOptions,
    },
    /// How many deals reached each open stage, and the conversion from the stage before.
    Funnel {
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Per open stage: deals entered, advanced, lost there (and their amount), open now, and
    /// the conversion to the next stage; then the stage to review and its main cause (causes
    /// tied for the largest share are all named, or past three "no single main cause").
    Leakage {
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Open forecast deals by expected close, won deals by closing, per period and salesperson.
    Forecast {
        #[arg(long, value_enum, default_value_t = Period::Month)]
        by: Period,
        /// Two years back to a year ahead by default.
        #[command(flatten)]
        period: Dates,
        /// Only this salesperson's deals.
        #[arg(long, value_name = "NAME")]
        salesperson: Option<String>,
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Deals won and lost (closed in the period), by loss reason, competitor, source or
    /// salesperson, with the win rate.
    Winloss {
        #[arg(long, value_enum, default_value_t = WinLossBy::Reason)]
        by: WinLossBy,
        /// Every closed deal by default.
        #[command(flatten)]
        period: Dates,
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Per salesperson and period: deals won and the pipeline expected to close.
    Grid {
        #[arg(long, value_enum, default_value_t = Period::Month)]
        by: Period,
        /// Two years back to a year ahead by default.
        #[command(flatten)]
        period: Dates,
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Days deals spend in each open stage (median, 75th percentile) and the sales velocity
    /// (open deals × win rate × average won ÷ average cycle) in money per day; --by deal
    /// lists each deal's days in each stage, adding up to its age.
    Velocity {
        #[arg(long, value_enum, default_value_t = VelocityBy::Stage)]
        by: VelocityBy,
        /// The closing dates of the won and lost deals measured; every one by default.
        #[command(flatten)]
        period: Dates,
        #[command(flatten)]
        common: ReportOptions,
    },
    /// How well the predicted probability forecasts: learnt from the deals closed before a
    /// day (about the last quarter of closes after it) and tested on the deals open that day
    /// that closed after — its Brier score beside the stage defaults' and Odoo's naive Bayes,
    /// and ten bins of predicted against won.
    Calibration {
        #[command(flatten)]
        common: ReportOptions,
    },
    /// Each goal's progress in the period holding today (its week, month, quarter or year):
    /// achieved, the target, where a steady pace would be, and the coverage (open deals
    /// expected in the period, weighted, against what is left to win).
    Goals {
        #[command(flatten)]
        common: ReportOptions,
    },
    /// The deals whose expected close date was pushed later in this week, month, quarter or
    /// year (of the calendar in use): the date before and now, how many times, and whether
    /// it was due in the period and no longer is. An undone push does not count.
    Slipped {
        #[arg(long, value_enum, default_value_t = Every::Month)]
        every: Every,
        #[command(flatten)]
        common: ReportOptions,
    },
}

/// The period of a report, both days included.
#[derive(Debug, clap::Args)]
pub struct Dates {
    /// The first day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// The last day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<NaiveDate>,
}

/// What every report takes: which deals, and how to print.
#[derive(Debug, clap::Args)]
pub struct ReportOptions {
    /// png draws the chart as the Reports view shows it, at twice the screen's scale, with no
    /// window (it needs --out).
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Write to this file instead of standard output; one that exists is replaced only with
    /// --force.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The pipeline's name, or `all` for every pipeline; the first pipeline when omitted.
    #[arg(long, value_name = "NAME|all")]
    pipeline: Option<String>,
    /// Only deals created on or after this day (YYYY-MM-DD).
    #[arg(long)]
    created_from: Option<NaiveDate>,
    /// Only deals created on or before this day (YYYY-MM-DD).
    #[arg(long)]
    created_to: Option<NaiveDate>,
}

impl Report {
    /// The report's parameters (names resolved in `ws`) and the options common to all.
    fn params(self, ws: &Workspace) -> Result<(Params, ReportOptions), CliError> {
        Ok(match self {
            Report::Pipeline { by, common } => (Params::Pipeline { by }, common),
            Report::Funnel { common } => (Params::Funnel, common),
            Report::Leakage { common } => (Params::Leakage, common),
            Report::Forecast {
                by,
                period: Dates { from, to },
                salesperson,
                common,
            } => {
                let salesperson = salesperson
                    .map(|name| {
                        ws.all_lookups(LookupKind::Salesperson)
                            .into_iter()
                            .find(|l| l.name.eq_ignore_ascii_case(name.trim()))
                            .map(|l| l.id)
                            .ok_or_else(|| CliError::NoSalesperson(name.clone()))
                    })
                    .transpose()?;
                let params = Params::Forecast {
                    by,
                    from,
                    to,
                    salesperson,
                };
                (params, common)
            }
            Report::Winloss {
                by,
                period: Dates { from, to },
                common,
            } => (Params::WinLoss { by, from, to }, common),
            Report::Grid {
                by,
                period: Dates { from, to },
                common,
            } => (Params::Grid { by, from, to }, common),
            Report::Velocity {
                by,
                period: Dates { from, to },
                common,
            } => (Params::Velocity { by, from, to }, common),
            Report::Calibration { common } => (Params::Calibration, common),
            Report::Goals { common } => (Params::Goals, common),
            Report::Slipped { every, common } => (Params::Slipped { every }, common),
        })
    }
}

/// Prints a report, or writes it to `--out` (never onto the database; over another file only
/// as `replace` says).
fn report(ws: &Workspace, report: Report, replace: Replace) -> Result<String, CliError> {
    let (params, options) = report.params(ws)?;
    let pipeline = match options.pipeline.as_deref().map(str::trim) {
        None => Some(ws.default_pipeline().id),
        Some(name) if name.eq_ignore_ascii_case("all") => None,
        Some(name) => Some(
            ws.pipelines()
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| CliError::NoPipeline {
                    name: name.to_owned(),
                    known: ws.pipelines().iter().map(|p| p.name.clone()).collect(),
                })?
                .id,
        ),
    };
    if pipeline.is_none()
        && matches!(
            params,
            Params::Funnel | Params::Leakage | Params::Velocity { .. }
        )
    {
        return Err(CliError::OnePipeline(params.name()));
    }
    let scope = Scope {
        pipeline,
        created_from: options.created_from,
        created_to: options.created_to,
    };
    let text = |report: crate::analytics::reports::Report| match options.format {
        ReportFormat::Csv => report.to_csv(),
        ReportFormat::Json => report.to_json(),
        ReportFormat::Table | ReportFormat::Png => report.to_text(),
    };
    match (options.format, options.out) {
        (ReportFormat::Png, Some(path)) => {
            crate::ui::write_chart(ws, &scope, &params, &path, replace)
                .map(|done| done + "\n")
                .map_err(CliError::Chart)
        }
        (ReportFormat::Png, None) => Err(CliError::PngNeedsOut),
        (_, Some(path)) => {
            let report = ws.report(&scope, &params);
            crate::store::files::write_file(ws.path(), &path, replace, |out| {
                use std::io::Write as _;
                out.write_all(text(report).as_bytes())
            })?;
            let path = std::path::absolute(&path).unwrap_or(path);
            Ok(tr!("Exported the report to {path}.", path = path.display()) + "\n")
        }
        (_, None) => Ok(text(ws.report(&scope, &params))),
    }
}

/// Output formats of reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    /// The chart as a PNG image.
    Png,
}

/// Output formats of the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The database used when `--db` is not given: `forsat.redb` in the user's data folder.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "Forsat").map_or_else(
        || PathBuf::from("forsat.redb"),
        |dirs| dirs.data_dir().join("forsat.redb"),
    )
}

/// Where the language of the last run is kept (see [`crate::last_language`]): `language` in
/// the user's config folder (~/.config/forsat on Linux).
pub fn language_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Forsat").map(|dirs| dirs.config_dir().join("language"))
}

/// Where the window keeps what it remembers (its size and place, the theme, the view…; see
/// [`crate::ui::Remembered`]): `window.ron` in the user's config folder.
pub fn remembered_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Forsat")
        .map(|dirs| dirs.config_dir().join("window.ron"))
}

/// Runs a headless subcommand and returns what it prints; the error is the message for stderr.
/// `replace` says whether a file that `--out` names may be replaced (`--force`).
pub fn run(command: CliCommand, db: &Path, replace: Replace) -> Result<String, CliError> {
    // These two work on the file as it is, damaged or not, and never open it for writing.
    match command {
        CliCommand::Check => {
            let records = crate::store::check(db)?;
            Ok(tr!(
                "{path} is sound: every page and record checked ({deals} deals, {accounts} accounts, {events} stage moves).",
                path = db.display(),
                deals = records.opportunities.len(),
                accounts = records.accounts.len(),
                events = records.stage_events.len()
            ) + "\n")
        }
        CliCommand::Backup => {
            let today = system_clock()().date_naive();
            let made = crate::store::back_up_now(db, today)?;
            Ok(tr!("Backed up to {path} (checked).", path = made.display()) + "\n")
        }
        command => run_on(command, db, replace),
    }
}

/// The commands that work on the open workspace.
fn run_on(command: CliCommand, db: &Path, replace: Replace) -> Result<String, CliError> {
    let mut ws = Workspace::open(db, system_clock())?;
    // The work goes on without today's backup, but not without saying so.
    if let Some(e) = ws.backup_failed() {
        eprintln!(
            "forsat: {}",
            tr!("No backup could be made today: {error}", error = e)
        );
    }
    let done = match command {
        CliCommand::Check | CliCommand::Backup => Err(CliError::NotOpened),
        CliCommand::Demo { opps, seed } => demo(&mut ws, db, opps, seed),
        CliCommand::History { id, format } => history(&ws, id, format),
        CliCommand::Export { what, format, out } => export(&ws, what, format, out, replace),
        CliCommand::Import { file, dry_run, .. }
            if interchange::Format::of_path(&file) == interchange::Format::Ics =>
        {
            import_invitation(&mut ws, &file, dry_run)
        }
        CliCommand::Import {
            file,
            dry_run,
            duplicates,
            ..
        } if interchange::Format::of_path(&file) == interchange::Format::Vcf => {
            import_cards(&mut ws, &file, dry_run, duplicates)
        }
        CliCommand::Import {
            file,
            from,
            dry_run,
            skip_bad_rows,
            decimal_separator,
            errors_file,
            stage_order,
            ..
        } => {
            let options = interchange::ImportOptions {
                from,
                dry_run,
                skip_bad_rows,
                decimal_separator,
                stage_order: stage_order
                    .into_iter()
                    .map(|name| name.trim().to_owned())
                    .filter(|name| !name.is_empty())
                    .collect(),
                ..interchange::ImportOptions::default()
            };
            // The errors file is checked before anything is imported, so a refused one leaves
            // the database as it was; it is written once, when the import is done.
            if let Some(path) = &errors_file {
                crate::store::files::check(db, path, replace)?;
            }
            let imported = interchange::import_file(&mut ws, &file, &options);
            if let Some(path) = &errors_file {
                let errors = match &imported {
                    Ok(summary) => summary.errors.as_slice(),
                    Err(interchange::ImportError::BadRows { errors, .. }) => errors.as_slice(),
                    Err(_) => &[],
                };
                write_errors(db, path, errors, replace)?;
            }
            let summary = imported?;
            let mut lines = vec![tr!(
                "{verb} {deals} deals ({accounts} new accounts, {contacts} contacts, {lookups} list values, {stages} stages) from {rows} rows of {file}; {skipped} rows skipped.",
                verb = if dry_run {
                    tr!("Would import")
                } else {
                    tr!("Imported")
                },
                deals = summary.deals,
                accounts = summary.accounts,
                contacts = summary.contacts,
                lookups = summary.lookups,
                stages = summary.stages,
                rows = summary.rows,
                file = file.display(),
                skipped = summary.skipped_rows
            )];
            lines.extend(summary.messages.iter().cloned());
            lines.extend(interchange::capped(&summary.errors));
            let text = lines.join("\n");
            // Rows left out are a failure for scripts, even though the rest was imported.
            if summary.skipped_rows > 0 {
                Err(CliError::RowsSkipped(text))
            } else {
                Ok(text + "\n")
            }
        }
        CliCommand::Report { report: r } => report(&ws, r, replace),
    };
    // A command that changed activities keeps the settings' calendar file up to date too.
    if ws.activities_changed() > 0 {
        let mut keeper = interchange::CalendarKeeper::default();
        keeper.keep(&ws);
        if let Some(Err(e)) = keeper.finish() {
            eprintln!(
                "forsat: {}",
                tr!("The calendar file could not be written: {error}", error = e)
            );
        }
    }
    ws.close_for_exit();
    done
}

/// `forsat demo`: generated deals written in one transaction, with progress on stderr.
fn demo(ws: &mut Workspace, db: &Path, opps: usize, seed: u64) -> Result<String, CliError> {
    let started = Instant::now();
    // Progress on stderr, so scripts reading stdout get only the summary.
    eprintln!("{}", trn!(opps, "Generating {n} deals…"));
    let (batch, summary) = crate::demo::generate(ws, opps, seed);
    eprintln!(
        "{}",
        tr!(
            "Writing them in one transaction ({seconds} s so far)…",
            seconds = format!("{:.1}", started.elapsed().as_secs_f64())
        )
    );
    ws.apply(Command::InsertBatch(Box::new(batch)))?;
    let added = tr!(
        "Added {deals} opportunities ({won} won, {lost} lost), {accounts} accounts, {salespeople} salespeople and {events} stage events to {path} in {seconds} s.",
        deals = summary.opportunities,
        won = summary.won,
        lost = summary.lost,
        accounts = summary.accounts,
        salespeople = summary.salespeople,
        events = summary.stage_events,
        path = db.display(),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64())
    );
    Ok(format!("{added}\n"))
}

/// Every bad cell of an import, one a line, to the file at `path` (never over the database, its
/// lock or its backups; over another existing file only as `replace` says).
fn write_errors(
    db: &Path,
    path: &Path,
    errors: &[interchange::RowError],
    replace: Replace,
) -> Result<(), FileError> {
    use std::io::Write as _;
    crate::store::files::write_file(db, path, replace, |out| {
        errors.iter().try_for_each(|e| writeln!(out, "{e}"))
    })
}

/// One history line as the CLI prints it.
#[derive(serde::Serialize)]
struct HistoryLine {
    at: String,
    field: String,
    old: String,
    new: String,
}

fn history(ws: &Workspace, id: u64, format: Format) -> Result<String, CliError> {
    let entries = ws.history(EntityKind::Opportunity, id)?;
    if entries.is_empty() && ws.opportunity(id).is_none() {
        return Err(CliError::NoOpportunity {
            id,
            path: ws.path().to_owned(),
        });
    }
    let lines: Vec<HistoryLine> = entries
        .into_iter()
        .map(|h| HistoryLine {
            at: h.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            field: h.field,
            old: h.old,
            new: h.new,
        })
        .collect();
    let rows = lines
        .iter()
        .map(|l| [l.at.clone(), l.field.clone(), l.old.clone(), l.new.clone()]);
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&lines)? + "\n",
        Format::Csv => {
            let cells = rows.map(|row| row.map(Cell::Text));
            let headers = ["at", "field", "old", "new"];
            crate::analytics::csv::to_string(&headers, cells)
        }
        Format::Table => crate::analytics::table(&["At", "Field", "Old", "New"], rows),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names file names and dialogs use are the command line's.
    #[test]
    fn every_choice_is_named_as_the_command_line_spells_it() {
        fn check<T: ValueEnum>(name: fn(&T) -> &'static str) {
            for value in T::value_variants() {
                let spelt = value.to_possible_value().expect("not skipped");
                assert_eq!(name(value), spelt.get_name());
            }
        }
        check::<GroupBy>(|v| v.name());
        check::<Period>(|v| v.name());
        check::<WinLossBy>(|v| v.name());
        check::<interchange::Source>(|v| v.as_str());
        check::<interchange::Kind>(|v| v.as_str());
        check::<interchange::Format>(|v| v.as_str());
        assert_eq!(
            interchange::Source::ALL.as_slice(),
            interchange::Source::value_variants()
        );
    }
}
