//! What the benchmarks share: the cached fixtures (a Forsat file and a `SQLite` file holding the
//! same generated pipeline), the `SQLite` baseline, the workloads of both sides and a headless
//! frame driver for the real window.

// Each bench binary uses its own part of this module.
#![allow(dead_code)]

pub mod fixtures;
pub mod frames;
pub mod palette;
pub mod sqlite;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone as _, Utc};
use forsat::analytics::reports::{GroupBy, Params, Period, Report, Rows, Scope, WinLossBy};
use forsat::command::{Change, Command};
use forsat::domain::{Currency, Id, Record, StageKind};
use forsat::interchange::{self, ImportOptions};
use forsat::workspace::{Clock, Workspace};

/// Sunday 22 November 2026, 09:30 UTC: every run sees the same "now", so fixtures, reports
/// and the board's overdue dates do not drift from one day to the next.
pub fn clock() -> Clock {
    Arc::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
            .single()
            .expect("a valid instant")
    })
}

/// The demo generator's seed for every fixture.
pub const SEED: u64 = 8;

/// The deal counts the issue asks about.
pub const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

/// "1k", "100k", "1M".
pub fn size_label(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// Where fixtures are cached: `target/bench-data/` (or under `CARGO_TARGET_DIR`), never in
/// the repository.
pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("bench-data")
}

/// A scratch folder under [`data_dir`] (large copies do not fit a RAM-backed /tmp).
pub fn scratch() -> tempfile::TempDir {
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("the bench-data folder can be created");
    tempfile::tempdir_in(dir).expect("a scratch folder")
}

/// The median of `runs` timings of `f`, after one untimed warm-up run.
pub fn median_of(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs.max(1)).map(|_| f()).collect();
    median(&mut times)
}

/// The median of `times` (sorted in place).
pub fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// How long `f` takes.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// The reports of `forsat::analytics::reports` the benchmarks run, with the names the
/// summary prints: pipeline by stage, salesperson and month, funnel, leakage, forecast,
/// win/loss and the sales grid, each with the defaults the Reports view opens with.
pub fn reports() -> Vec<(&'static str, Params)> {
    vec![
        ("pipeline by stage", Params::Pipeline { by: GroupBy::Stage }),
        (
            "pipeline by salesperson",
            Params::Pipeline {
                by: GroupBy::Salesperson,
            },
        ),
        ("pipeline by month", Params::Pipeline { by: GroupBy::Month }),
        ("funnel", Params::Funnel),
        ("leakage", Params::Leakage),
        (
            "forecast",
            Params::Forecast {
                by: Period::Month,
                from: None,
                to: None,
                salesperson: None,
            },
        ),
        (
            "winloss",
            Params::WinLoss {
                by: WinLossBy::Reason,
                from: None,
                to: None,
            },
        ),
        (
            "grid",
            Params::Grid {
                by: Period::Month,
                from: None,
                to: None,
            },
        ),
    ]
}

/// Runs one report on the workspace, as the Reports view does (every pipeline, no period).
pub fn forsat_report(ws: &Workspace, params: &Params) -> Report {
    ws.report(&Scope::default(), params)
}

/// The deals a report counts, summed over its rows: the figure both sides must agree on.
pub fn report_count(report: &Report) -> u64 {
    match &report.rows {
        Rows::Pipeline(rows) => rows.iter().map(|r| r.count).sum(),
        Rows::Funnel(rows) => rows.iter().map(|r| r.reached).sum(),
        Rows::Leakage(rows) => rows.iter().map(|r| r.entered + r.lost + r.open).sum(),
        Rows::Forecast(rows) => rows.iter().map(|r| r.open_count + r.won_count).sum(),
        Rows::WinLoss(rows) => rows.iter().map(|r| r.won + r.lost).sum(),
        Rows::Grid(rows) => rows.iter().map(|r| r.won_count + r.pipeline_count).sum(),
        Rows::Velocity(report) => {
            let v = &report.velocity;
            let stages: u64 = report.stages.iter().map(|s| s.left + s.now).sum();
            stages + v.open_deals + v.won + v.lost
        }
        Rows::DealTimes(rows) => rows.len() as u64,
        Rows::Calibration(c) => c.closed_train + c.closed_test,
        // Goals count no deals of their own: the benches set none.
        Rows::Goals(rows) => rows.len() as u64,
        Rows::Slipped(rows) => rows.len() as u64,
    }
}

/// The default period of the forecast and the grid for the benchmarks' clock.
pub fn default_period(ws: &Workspace) -> (NaiveDate, NaiveDate) {
    ws.report_data(&Scope::default()).default_period()
}

/// Two open stages of the default pipeline a deal is moved between, and an open deal in the
/// first: the durable edit of both sides.
pub fn edit_target(ws: &Workspace) -> (Id, [Id; 2]) {
    let open: Vec<Id> = ws
        .stages_of(ws.default_pipeline().id)
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let opp = ws
        .column(open[0])
        .ids
        .first()
        .copied()
        .expect("the first stage has deals");
    (opp, [open[0], open[1]])
}

/// One durable stage move through the real command path: the deal, its history entries and a
/// stage event in one redb write transaction.
pub fn forsat_move(ws: &mut Workspace, opp: Id, stage: Id) {
    ws.apply(Command::MoveToStage {
        opp,
        stage,
        loss_reason: None,
    })
    .expect("the move is applied");
}

/// An empty Forsat database at `path` with the currencies of `from` (the demo prices deals in
/// euros and pounds, which an import needs to know).
pub fn empty_forsat(path: &Path, from: &[Currency]) -> Workspace {
    let mut ws = Workspace::open(path, clock()).expect("a new database opens");
    for c in from {
        let record = Record::Currency(Currency { id: 0, ..c.clone() });
        ws.apply(Command::Change(Box::new(Change::put(record))))
            .expect("the currency is added");
    }
    ws
}

/// The real CSV import of Forsat's own format into `ws`.
pub fn forsat_import(ws: &mut Workspace, csv: &[u8]) -> usize {
    interchange::import(ws, csv, &ImportOptions::default())
        .expect("the export imports")
        .deals
}
