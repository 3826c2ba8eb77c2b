//! Criterion benchmarks of issue 8: each workload on Forsat and on `SQLite` (bundled, WAL,
//! `synchronous=FULL`, indexed schema) over the same generated records, in the same process,
//! so each pair of results reads as a ratio. Fixtures are cached under `target/bench-data/`.
//!
//! `cargo bench --bench compare [FILTER]`, e.g. `cargo bench --bench compare -- frame/board`.
//! Each benchmark loads what it needs only when the filter selects it, so a filtered run (or
//! `-- --profile-time 10 FILTER` under `perf record`) starts quickly. For one table of
//! everything, run `scripts/bench-summary` instead.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark's setup that fails stops it, at its line"
)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use common::fixtures::Fixture;
use common::frames::Window;
use common::{SIZES, clock, scratch, size_label, sqlite, timed};
use criterion::{Criterion, criterion_group, criterion_main};
use forsat::command::Command;
use forsat::domain::{Id, Language};
use forsat::ui::View;
use forsat::workspace::Workspace;

/// Opening the database and loading every deal into memory, the cost of starting the app:
/// Forsat's `Workspace::open` against `SQLite` reading the same rows into Forsat's structs.
fn open_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("open_load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100));
    for deals in SIZES {
        let label = size_label(deals);
        group.bench_function(format!("forsat/{label}"), |b| {
            let f = Fixture::get(deals);
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        // The drop of a loaded workspace is not part of opening it.
                        let (ws, t) = timed(|| Workspace::open(&f.forsat, clock()).unwrap());
                        drop(ws);
                        t
                    })
                    .sum()
            });
        });
        group.bench_function(format!("sqlite/{label}"), |b| {
            let f = Fixture::get(deals);
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| {
                        let (loaded, t) = timed(|| sqlite::open_and_load(&f.sqlite));
                        drop(loaded);
                        t
                    })
                    .sum()
            });
        });
    }
    group.finish();
}

/// Copies of the 1M fixtures, open on both sides, for the edits and the reports.
struct Large {
    _dir: tempfile::TempDir,
    ws: Workspace,
    conn: rusqlite::Connection,
    mover: sqlite::Mover,
    opp: Id,
    stages: [Id; 2],
    period: (NaiveDate, NaiveDate),
    step: usize,
}

impl Large {
    fn open() -> Large {
        let dir = scratch();
        let copy = Fixture::get(1_000_000).copy_to(dir.path());
        let ws = Workspace::open(&copy.forsat, clock()).unwrap();
        let conn = sqlite::open(&copy.sqlite);
        let (opp, stages) = common::edit_target(&ws);
        Large {
            mover: sqlite::Mover::new(&conn),
            period: common::default_period(&ws),
            _dir: dir,
            ws,
            conn,
            opp,
            stages,
            step: 0,
        }
    }
}

/// One durable edit at 1M deals: a stage move with its history entries and stage event,
/// committed to disk (redb `Durability::Immediate` against `SQLite`'s synced WAL commit). The
/// deal goes back and forth between the first two open stages, on copies of the fixtures, the
/// same number of times on each side. Then each report over the same 1M deals against its
/// `GROUP BY` SQL.
fn edit_and_reports(c: &mut Criterion) {
    let mut large: Option<Large> = None;
    let mut group = c.benchmark_group("durable_edit");
    group.sample_size(30);
    group.bench_function("forsat/1M", |b| {
        let l = large.get_or_insert_with(Large::open);
        b.iter(|| {
            l.step += 1;
            common::forsat_move(&mut l.ws, l.opp, l.stages[l.step % 2]);
        });
    });
    group.bench_function("sqlite/1M", |b| {
        let l = large.get_or_insert_with(Large::open);
        let mut step = 0;
        b.iter(|| {
            step += 1;
            let (from, to) = (l.stages[(step + 1) % 2], l.stages[step % 2]);
            l.mover.move_to(&mut l.conn, l.opp, from, to, l.ws.now());
        });
    });
    group.finish();

    let mut group = c.benchmark_group("report_1M");
    group.sample_size(10);
    for (name, params) in common::reports() {
        let key = name.replace(' ', "_");
        group.bench_function(format!("{key}/forsat"), |b| {
            let l = large.get_or_insert_with(Large::open);
            b.iter(|| black_box(common::forsat_report(&l.ws, &params)));
        });
        group.bench_function(format!("{key}/sqlite"), |b| {
            let l = large.get_or_insert_with(Large::open);
            let (from, to) = l.period;
            b.iter(|| black_box(sqlite::report(&l.conn, name, from, to)));
        });
    }
    group.finish();
}

/// Importing 100k rows of Forsat's own CSV export into an empty database: Forsat's importer
/// (parse, check, one transaction) against the same CSV parsed and inserted into `SQLite` in one
/// transaction. Making the empty database is not timed.
fn import(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_100k");
    group.sample_size(10);
    group.bench_function("forsat", |b| {
        let medium = Fixture::get(100_000);
        let csv = medium.csv();
        let currencies: Vec<_> = Workspace::open(&medium.forsat, clock())
            .unwrap()
            .currencies()
            .into_iter()
            .cloned()
            .collect();
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let dir = scratch();
                    let mut ws = common::empty_forsat(&dir.path().join("import.redb"), &currencies);
                    timed(|| common::forsat_import(&mut ws, &csv)).1
                })
                .sum()
        });
    });
    group.bench_function("sqlite", |b| {
        let medium = Fixture::get(100_000);
        let csv = medium.csv();
        let source = sqlite::open(&medium.sqlite);
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let dir = scratch();
                    let mut conn = sqlite::empty_like(&dir.path().join("import.db"), &source);
                    timed(|| sqlite::import(&mut conn, &csv)).1
                })
                .sum()
        });
    });
    group.finish();
}

/// The CPU cost of one frame of the real window — input, layout, tessellation, no GPU — on
/// the board and on the list at 1k, 100k and 1M deals, scrolling each frame. The issue asks for
/// a flat cost: the 1M frame within 1.5x of the 1k frame and under 4 ms.
fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    for (view, name) in [(View::Pipeline, "board"), (View::List, "list")] {
        for deals in SIZES {
            let mut window: Option<Window> = None;
            group.bench_function(format!("{name}/{}", size_label(deals)), |b| {
                let window =
                    window.get_or_insert_with(|| Window::open(&Fixture::get(deals).forsat, view));
                b.iter_custom(|iters| (0..iters).map(|_| window.frame(true)).sum());
            });
        }
    }
    group.finish();
}

/// The same frames at 100k deals with the window in Persian: every label laid out by the bidi
/// helper (directional runs, Persian digits), the board and the list mirrored.
fn persian_frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame-fa");
    let dir = scratch();
    for (view, name) in [(View::Pipeline, "board"), (View::List, "list")] {
        let mut window: Option<Window> = None;
        group.bench_function(format!("{name}/100k"), |b| {
            let window = window.get_or_insert_with(|| {
                let copy = dir.path().join(format!("{name}.redb"));
                std::fs::copy(&Fixture::get(100_000).forsat, &copy).expect("copied");
                let mut ws = Workspace::open(&copy, clock()).expect("opens");
                let mut settings = ws.settings().clone();
                settings.language = Some(Language::Persian);
                let change = ws.settings_change(settings);
                ws.apply(Command::Change(Box::new(change))).expect("saved");
                drop(ws);
                Window::open(&copy, view)
            });
            b.iter_custom(|iters| (0..iters).map(|_| window.frame(true)).sum());
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    open_load,
    edit_and_reports,
    import,
    frames,
    persian_frames
);
criterion_main!(benches);
