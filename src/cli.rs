//! The command line: `forsat [--db PATH]` opens the window; subcommands work headless on the
//! same database, for scripts and tests.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analytics::PipelineReport;
use crate::command::Command;
use crate::domain::{EntityKind, Id};
use crate::interchange;
use crate::tr;
use crate::workspace::{Workspace, system_clock};

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
    /// The view the window opens on.
    #[arg(long, value_enum, default_value_t = View::Pipeline)]
    pub view: View,
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// The views the window can open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum View {
    /// The pipeline board.
    Pipeline,
    /// The opportunity list.
    List,
    /// Accounts and their detail.
    Accounts,
    /// Leads and their conversion.
    Leads,
    /// Open activities: overdue, today, upcoming.
    Activities,
    /// The product catalog.
    Products,
    /// Currencies and their rates.
    Currencies,
    /// Pipelines, stages, lookup tables and settings.
    Settings,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
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
    /// Write records to a CSV or XLSX file (CSV to standard output without --out).
    Export {
        #[arg(long, value_enum, default_value_t = interchange::Kind::Opportunities)]
        what: interchange::Kind,
        /// The file format; by default the extension of --out, else CSV.
        #[arg(long, value_enum)]
        format: Option<interchange::Format>,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Add the deals of a CSV file, with the accounts, contacts and lists they need, in one
    /// transaction: all or nothing unless --skip-bad-rows.
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
    },
}

/// The reports the CLI prints.
#[derive(Debug, Subcommand)]
pub enum Report {
    /// Open stages of a pipeline with count, expected and weighted revenue of their active
    /// deals, then won and lost totals.
    Pipeline {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// The pipeline's name, or `all` for every pipeline; the first pipeline when omitted.
        #[arg(long, value_name = "NAME|all")]
        pipeline: Option<String>,
    },
}

/// Output formats of reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The database used when `--db` is not given: `forsat.redb` in the user's data folder.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "Forsat")
        .map(|dirs| dirs.data_dir().join("forsat.redb"))
        .unwrap_or_else(|| PathBuf::from("forsat.redb"))
}

/// Runs a headless subcommand and returns what it prints; the error is the message for stderr.
pub fn run(command: CliCommand, db: &Path) -> Result<String, String> {
    let mut ws = Workspace::open(db, system_clock()).map_err(|e| e.to_string())?;
    match command {
        CliCommand::Demo { opps, seed } => {
            let started = Instant::now();
            let (batch, summary) = crate::demo::generate(&ws, opps, seed);
            ws.apply(Command::InsertBatch(Box::new(batch)))
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "Added {} opportunities ({} won, {} lost), {} accounts, {} salespeople and {} stage events to {} in {:.1} s.\n",
                summary.opportunities,
                summary.won,
                summary.lost,
                summary.accounts,
                summary.salespeople,
                summary.stage_events,
                db.display(),
                started.elapsed().as_secs_f64()
            ))
        }
        CliCommand::History { id, format } => history(&ws, id, format),
        CliCommand::Export { what, format, out } => {
            let format = format.unwrap_or_else(|| {
                out.as_deref()
                    .map_or(interchange::Format::Csv, interchange::Format::of_path)
            });
            let bytes = interchange::export(&ws, what, format)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, &bytes)
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    Ok(tr!(
                        "Wrote {what} to {path}.",
                        what = what.as_str(),
                        path = path.display()
                    ) + "\n")
                }
                None if format == interchange::Format::Xlsx => {
                    Err(tr!("an XLSX export needs --out FILE"))
                }
                // CSV is text: it goes to standard output as it is.
                None => String::from_utf8(bytes).map_err(|e| e.to_string()),
            }
        }
        CliCommand::Import {
            file,
            from,
            dry_run,
            skip_bad_rows,
        } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let options = interchange::ImportOptions {
                from,
                dry_run,
                skip_bad_rows,
                ..interchange::ImportOptions::default()
            };
            let summary =
                interchange::import(&mut ws, &bytes, &options).map_err(|e| e.to_string())?;
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
            lines.extend(summary.errors.iter().map(ToString::to_string));
            let text = lines.join("\n");
            // Rows left out are a failure for scripts, even though the rest was imported.
            if summary.skipped_rows > 0 {
                Err(text)
            } else {
                Ok(text + "\n")
            }
        }
        CliCommand::Report {
            report: Report::Pipeline { format, pipeline },
        } => {
            let pipelines: Vec<Id> = match pipeline.as_deref().map(str::trim) {
                None => vec![ws.default_pipeline().id],
                Some(name) if name.eq_ignore_ascii_case("all") => {
                    ws.pipelines().iter().map(|p| p.id).collect()
                }
                Some(name) => vec![
                    ws.pipelines()
                        .iter()
                        .find(|p| p.name.eq_ignore_ascii_case(name))
                        .ok_or_else(|| {
                            let known: Vec<&str> =
                                ws.pipelines().iter().map(|p| p.name.as_str()).collect();
                            tr!(
                                "there is no pipeline “{name}” (there are: {known}; or all)",
                                name = name,
                                known = known.join(", ")
                            )
                        })?
                        .id,
                ],
            };
            let reports: Vec<PipelineReport> =
                pipelines.iter().map(|p| ws.pipeline_report(*p)).collect();
            let all = pipeline.is_some_and(|p| p.trim().eq_ignore_ascii_case("all"));
            Ok(PipelineReport::render_all(&reports, format, all))
        }
    }
}

impl PipelineReport {
    /// Reports of one or more pipelines in `format`: tables titled by pipeline, one CSV, or a
    /// JSON object (one pipeline asked for by name) or array (`all`, however many there are).
    fn render_all(reports: &[PipelineReport], format: Format, all: bool) -> String {
        match (format, reports) {
            (Format::Table, [one]) if !all => one.to_table(),
            (Format::Table, _) => reports
                .iter()
                .map(|r| format!("{}\n{}", r.pipeline, r.to_table()))
                .collect::<Vec<_>>()
                .join("\n"),
            (Format::Csv, _) => PipelineReport::csv_of(reports),
            (Format::Json, [one]) if !all => one.to_json() + "\n",
            (Format::Json, _) => {
                serde_json::to_string_pretty(reports).expect("reports serialize to JSON") + "\n"
            }
        }
    }
}

/// One history line as the CLI prints it.
#[derive(serde::Serialize)]
struct HistoryLine {
    at: String,
    field: String,
    old: String,
    new: String,
}

fn history(ws: &Workspace, id: u64, format: Format) -> Result<String, String> {
    let entries = ws
        .history(EntityKind::Opportunity, id)
        .map_err(|e| e.to_string())?;
    if entries.is_empty() && ws.opportunity(id).is_none() {
        return Err(format!(
            "there is no opportunity {id} in {}",
            ws.path().display()
        ));
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
        Format::Json => serde_json::to_string_pretty(&lines).map_err(|e| e.to_string())? + "\n",
        Format::Csv => crate::analytics::csv(&["at", "field", "old", "new"], rows),
        Format::Table => crate::analytics::table(&["At", "Field", "Old", "New"], rows),
    })
}
