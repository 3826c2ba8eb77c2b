//! A short pass over every workload of issue 8, Forsat and `SQLite` side by side in one process,
//! printed as one table with the targets: open and load 1k/100k/1M deals, one durable
//! stage move, a 100k-row CSV import, each report over 1M deals, exporting 1M deals to CSV and
//! XLSX, the board's and the list's frame cost at 1k/100k/1M and resident memory after loading
//! 1M. Medians of a few runs, without criterion's long sampling (`cargo bench --bench compare`
//! for that). Run it with `scripts/bench-summary`.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark's setup that fails stops it, at its line"
)]

mod common;

use std::path::Path;
use std::process::Command as Process;
use std::time::Duration;

use common::fixtures::Fixture;
use common::frames::Window;
use common::{SIZES, clock, median_of, scratch, size_label, sqlite, timed};
use egui_kittest::Harness;
use forsat::analytics::predict::Predictions;
use forsat::interchange::{self, Format, Kind};
use forsat::store::files::Replace;
use forsat::ui::View;
use forsat::ui::{App, AppOptions, WINDOW_SIZE};
use forsat::workspace::Workspace;

#[expect(
    clippy::too_many_lines,
    reason = "the table's rows, measured in the order printed"
)]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--resident") {
        resident_child(&args[i + 1], Path::new(&args[i + 2]));
        return;
    }
    println!("{}", machine());
    let mut table = Table::default();
    // `-- --palette` / `-- --predict`: only the command palette's or the predictions' rows, on
    // a copy of the 1M fixture (deals following their prediction are written).
    for (flag, rows) in [
        ("--palette", palette_rows as fn(&mut Table, &mut Workspace)),
        ("--predict", predict_rows),
    ] {
        if args.iter().any(|a| a == flag) {
            let dir = scratch();
            let copy = Fixture::get(1_000_000).copy_to(dir.path());
            let mut ws = Workspace::open(&copy.forsat, clock()).expect("the copy opens");
            rows(&mut table, &mut ws);
            table.print();
            return;
        }
    }
    let fixtures: Vec<Fixture> = SIZES.iter().map(|n| Fixture::get(*n)).collect();
    let large = &fixtures[fixtures.len() - 1];
    // `-- --waits`: only what a user waits for, on the real binary.
    if args.iter().any(|a| a == "--waits") {
        waits(&mut table, &fixtures);
        table.print();
        return;
    }

    for f in &fixtures {
        let runs = if f.deals >= 1_000_000 { 3 } else { 7 };
        progress(&format!("open + load {}", size_label(f.deals)));
        let forsat = median_of(runs, || {
            let (ws, t) = timed(|| Workspace::open(&f.forsat, clock()).expect("the fixture opens"));
            drop(ws);
            t
        });
        let sql = median_of(runs, || {
            let (loaded, t) = timed(|| sqlite::open_and_load(&f.sqlite));
            drop(loaded);
            t
        });
        let target = (f.deals == 100_000).then_some(Target::Ratio(1.0));
        table.compare(
            &format!("open + load {}", size_label(f.deals)),
            forsat,
            sql,
            target,
        );
    }

    // The writes and the reports run on copies of the 1M fixtures, sharing one loaded workspace.
    let dir = scratch();
    let copy = large.copy_to(dir.path());
    progress("durable edit at 1M");
    let mut ws = Workspace::open(&copy.forsat, clock()).expect("the copy opens");
    let mut conn = sqlite::open(&copy.sqlite);
    let (opp, stages) = common::edit_target(&ws);
    let mut step = 0;
    let forsat = median_of(30, || {
        step += 1;
        let to = stages[step % 2];
        timed(|| common::forsat_move(&mut ws, opp, to)).1
    });
    let mut mover = sqlite::Mover::new(&conn);
    let mut step = 0;
    let sql = median_of(30, || {
        step += 1;
        let (from, to) = (stages[(step + 1) % 2], stages[step % 2]);
        timed(|| mover.move_to(&mut conn, opp, from, to, ws.now())).1
    });
    table.compare(
        "durable edit (stage move) at 1M",
        forsat,
        sql,
        Some(Target::Ratio(2.0)),
    );

    let (from, to) = common::default_period(&ws);
    for (name, params) in common::reports() {
        progress(&format!("report {name} at 1M"));
        let expected = common::report_count(&common::forsat_report(&ws, &params));
        let (got, _) = sqlite::report(&conn, name, from, to);
        assert_eq!(
            got, expected,
            "the SQL of {name} counts the deals Forsat's report counts"
        );
        let forsat = median_of(5, || timed(|| common::forsat_report(&ws, &params)).1);
        let sql = median_of(5, || timed(|| sqlite::report(&conn, name, from, to)).1);
        table.compare(
            &format!("report {name} at 1M"),
            forsat,
            sql,
            Some(Target::Within(Duration::from_millis(50))),
        );
    }
    // The reports' facts are worked out once per change of the data: the first report after
    // an edit pays for them.
    progress("report after an edit at 1M");
    let funnel = common::reports()
        .into_iter()
        .find(|(name, _)| *name == "funnel")
        .expect("the funnel is benchmarked")
        .1;
    let mut step = 0;
    let after_edit = median_of(5, || {
        step += 1;
        common::forsat_move(&mut ws, opp, stages[step % 2]);
        timed(|| common::forsat_report(&ws, &funnel)).1
    });
    table.single(
        "report funnel after an edit at 1M",
        after_edit,
        Some(Target::Within(Duration::from_millis(50))),
    );
    goals_row(&mut table, &mut ws, opp, stages);
    slipped_row(&mut table, &ws);
    palette_rows(&mut table, &mut ws);
    predict_rows(&mut table, &mut ws);
    // Exports stream their rows into the file: one run each, as the file is large.
    for format in [Format::Csv, Format::Xlsx] {
        let name = format!("export 1M deals to {}", format.as_str().to_uppercase());
        progress(&name);
        let out = dir.path().join(format!("deals.{}", format.as_str()));
        let (written, t) = timed(|| {
            interchange::export_to(&ws, Kind::Opportunities, None, format, &out, Replace::Allow)
        });
        written.expect("the export is written");
        table.single(&name, t, None);
    }
    drop((ws, conn, dir));

    progress("import 100k rows of Forsat CSV");
    let medium = &fixtures[1];
    let csv = medium.csv();
    let currencies: Vec<_> = Workspace::open(&medium.forsat, clock())
        .expect("the fixture opens")
        .currencies()
        .into_iter()
        .cloned()
        .collect();
    let forsat = median_of(3, || {
        let dir = scratch();
        let mut ws = common::empty_forsat(&dir.path().join("import.redb"), &currencies);
        let (deals, t) = timed(|| common::forsat_import(&mut ws, &csv));
        assert_eq!(deals, medium.deals);
        t
    });
    let source = sqlite::open(&medium.sqlite);
    let sql = median_of(3, || {
        let dir = scratch();
        let mut conn = sqlite::empty_like(&dir.path().join("import.db"), &source);
        let (deals, t) = timed(|| sqlite::import(&mut conn, &csv));
        assert_eq!(deals, medium.deals);
        t
    });
    drop(source);
    table.compare(
        "import 100k CSV rows",
        forsat,
        sql,
        Some(Target::Within(Duration::from_secs(1))),
    );

    for (view, name) in [(View::Pipeline, "board"), (View::List, "list")] {
        let mut frames = Vec::new();
        for f in &fixtures {
            progress(&format!("{name} frames at {}", size_label(f.deals)));
            let mut window = Window::open(&f.forsat, view);
            let frame = window.median_frame(if f.deals >= 1_000_000 { 150 } else { 300 });
            let target = (f.deals >= 1_000_000).then_some(Target::Within(Duration::from_millis(4)));
            table.single(
                &format!(
                    "{name} frame at {} (median, scrolling)",
                    size_label(f.deals)
                ),
                frame,
                target,
            );
            frames.push(frame);
        }
        table.ratio(
            &format!("{name} frame(1M) / frame(1k)"),
            frames[frames.len() - 1].as_secs_f64() / frames[0].as_secs_f64(),
            1.5,
        );
    }

    progress("resident memory after loading 1M");
    let forsat = resident(Side::Forsat, &large.forsat);
    let sql = resident(Side::Sqlite, &large.sqlite);
    table.memory("resident memory after loading 1M", forsat, sql, 1 << 30);

    progress("kittest's own cost per frame, board at 100k");
    let kittest = kittest_overhead(&fixtures[1].forsat);

    let mut user = Table::default();
    waits(&mut user, &fixtures);

    println!();
    table.print();
    println!();
    println!("What the user waits for, on the release binary:");
    user.print();
    println!();
    println!("{kittest}");
}

/// The predicted probability at 1M deals: copying what the learner reads out of the workspace
/// (on the UI thread), learning from every closed deal, scoring every open one, and the
/// calibration's backtest (the last three on another thread).
fn predict_rows(table: &mut Table, ws: &mut Workspace) {
    use forsat::analytics::predict::{self, Model};
    use forsat::analytics::reports::Scope;
    use forsat::workspace::BookCopy;
    progress("predictions at 1M");
    let book = ws.prediction_book(&Scope::default());
    // As the window copies: slices of 8 ms, one a frame; the longest is what a frame waits.
    let mut copy = BookCopy::new(ws, &Scope::default());
    let mut longest = Duration::ZERO;
    let mut slices = 0;
    let (gathered, total) = timed(|| {
        loop {
            slices += 1;
            let (done, t) = timed(|| copy.step(ws, Duration::from_millis(8)));
            longest = longest.max(t);
            if let Some(gathered) = done {
                break gathered;
            }
        }
    });
    table.single(
        &format!("predictions: copy the deals' lives at 1M ({slices} slices)"),
        total,
        None,
    );
    table.single(
        "predictions: the longest slice of the copy (a frame's wait)",
        longest,
        Some(Target::Within(Duration::from_millis(16))),
    );
    let finish = median_of(3, || timed(|| gathered.clone().finish()).1);
    table.single(
        "predictions: lay the copy out (another thread)",
        finish,
        None,
    );
    let model = Model::train(&book, None).expect("the fixture has closed deals");
    let train = median_of(3, || timed(|| Model::train(&book, None)).1);
    table.single(
        "predictions: learn from every closed deal at 1M",
        train,
        Some(Target::Within(Duration::from_secs(2))),
    );
    let score = median_of(3, || timed(|| Predictions::score(&book, model.clone())).1);
    table.single(
        "predictions: score every open deal at 1M",
        score,
        Some(Target::Within(Duration::from_millis(200))),
    );
    let backtest = median_of(3, || timed(|| predict::calibration(&book)).1);
    table.single("predictions: calibration backtest at 1M", backtest, None);
    follow_rows(table, ws, &Predictions::score(&book, model));
}

/// The board's header with three goals at 1M: their progress worked out after an edit (one
/// goal counting activities), as the header does on the UI thread.
fn goals_row(
    table: &mut Table,
    ws: &mut Workspace,
    opp: forsat::domain::Id,
    stages: [forsat::domain::Id; 2],
) {
    use forsat::analytics::reports::{Params, Scope};
    use forsat::command::Command;
    use forsat::domain::{Every, Goal, Measure};
    progress("goals after an edit at 1M");
    let first = ws.next_id();
    let goals = [
        Measure::WonValue,
        Measure::DealsAdded,
        Measure::ActivitiesDone,
    ]
    .into_iter()
    .zip(first..)
    .map(|(measure, id)| Goal {
        id,
        salesperson: None,
        measure,
        every: Every::Month,
        target: 1000.into(),
    })
    .collect();
    ws.apply(Command::SetGoals { goals }).expect("goals set");
    let scope = Scope::of_pipeline(ws.default_pipeline().id);
    let mut step = 0;
    let after_edit = median_of(5, || {
        step += 1;
        common::forsat_move(ws, opp, stages[step % 2]);
        timed(|| ws.report(&scope, &Params::Goals)).1
    });
    table.single(
        "goals in the board's header after an edit at 1M (a frame's wait)",
        after_edit,
        Some(Target::Within(Duration::from_millis(50))),
    );
}

/// The slipped close dates of the month at 1M, as the Reports view's card waits for them
/// after a change: every deal's close-date changes walked, the month's pushes kept.
fn slipped_row(table: &mut Table, ws: &Workspace) {
    use forsat::analytics::reports::{Params, Rows, Scope};
    use forsat::domain::Every;
    progress("slipped close dates at 1M");
    let params = Params::Slipped {
        every: Every::Month,
    };
    let t = median_of(5, || timed(|| ws.report(&Scope::default(), &params)).1);
    if let Rows::Slipped(rows) = ws.report(&Scope::default(), &params).rows {
        progress(&format!("{} deals slipped this month", rows.len()));
    }
    table.single(
        "report slipped (this month) at 1M",
        t,
        Some(Target::Within(Duration::from_millis(50))),
    );
}

/// Deals following their prediction (Settings → General), on the UI thread: the setting
/// ticked (every following deal rewritten in one change, as a mass update of that many is),
/// then the check after each learning.
fn follow_rows(table: &mut Table, ws: &mut Workspace, predicted: &Predictions) {
    use forsat::analytics::reports::Scope;
    progress("deals following their prediction at 1M");
    let mut settings = ws.settings().clone();
    settings.predicted_probability = true;
    let change = ws.settings_change(settings);
    ws.apply(forsat::command::Command::Change(Box::new(change)))
        .expect("saved");
    let change = ws
        .followers_change(Some(predicted), true)
        .expect("deals to update");
    let deals = change.update_deals.len();
    let (applied, t) = timed(|| ws.apply(forsat::command::Command::Change(Box::new(change))));
    applied.expect("the deals are updated");
    table.single(
        &format!("predictions followed: {deals} deals updated in one change (a frame's wait)"),
        t,
        None,
    );
    let learnt = Predictions::new(&ws.prediction_book(&Scope::default()));
    let check = median_of(5, || timed(|| ws.followers_change(Some(&learnt), false)).1);
    table.single(
        "predictions followed: the check after a learning (a frame's wait)",
        check,
        Some(Target::Within(Duration::from_millis(16))),
    );
}

/// What a user waits for, measured on the real release binary at 100k and 1M deals (each on a
/// copy of its fixture, as opening the window may write the day's backup): start to the
/// first painted board frame and the resident memory then (`--timing`, in a real window; under
/// Xvfb where there is no display), `report pipeline` from the CLI start to exit, a keystroke
/// in the board's and the list's search (the real app typed into, the keystroke's frame and the
/// next), and importing 100k CSV rows with the CLI.
fn waits(table: &mut Table, fixtures: &[Fixture]) {
    let exe = Path::new(env!("CARGO_BIN_EXE_forsat"));
    for f in fixtures.iter().filter(|f| f.deals >= 100_000) {
        let size = size_label(f.deals);
        let large = f.deals >= 1_000_000;
        let dir = scratch();
        let db = dir.path().join("forsat.redb");
        std::fs::copy(&f.forsat, &db).expect("the fixture is copied");
        let runs = if large { 3 } else { 5 };

        progress(&format!("start to first board frame at {size}"));
        // The day's first opening also backs the file up: not what every start waits for.
        window_timing(exe, &db);
        let starts: Vec<(Duration, u64)> = (0..runs).map(|_| window_timing(exe, &db)).collect();
        let first = common::median(&mut starts.iter().map(|s| s.0).collect::<Vec<_>>());
        let (target, memory) = if large {
            (1500, Some(1 << 30))
        } else {
            (300, None)
        };
        table.single(
            &format!("start to first board frame at {size}"),
            first,
            Some(Target::Within(Duration::from_millis(target))),
        );
        let mut resident: Vec<u64> = starts.iter().map(|s| s.1).collect();
        resident.sort_unstable();
        table.bytes(
            &format!("window's resident memory at {size}"),
            resident[resident.len() / 2],
            memory,
        );

        progress(&format!("CLI report pipeline at {size}"));
        let report = median_of(runs, || {
            timed(|| run_cli(exe, &db, &["report", "pipeline"])).1
        });
        table.single(
            &format!("CLI report pipeline at {size} (start to exit)"),
            report,
            Some(Target::Within(Duration::from_millis(if large {
                1000
            } else {
                200
            }))),
        );

        for (view, name) in [(View::Pipeline, "board"), (View::List, "list")] {
            progress(&format!("{name} search at {size}"));
            let mut window = Window::open(&db, view);
            let (focus, mut waits) = window.type_in_search(SEARCHED);
            for _ in 0..2 {
                waits.extend(window.type_in_search(SEARCHED).1);
            }
            waits.sort_unstable();
            if view == View::Pipeline {
                table.single(
                    &format!("search takes the keyboard (texts folded) at {size}"),
                    focus,
                    None,
                );
            }
            table.single(
                &format!("{name} search: slowest keystroke at {size}"),
                waits[waits.len() - 1],
                Some(Target::Within(Duration::from_millis(if large {
                    50
                } else {
                    10
                }))),
            );
        }

        if !large {
            progress("CLI import of 100k CSV rows");
            let csv = f.forsat.with_extension("csv");
            f.csv();
            let import = median_of(3, || {
                let target = scratch();
                let new = target.path().join("import.redb");
                timed(|| run_cli(exe, &new, &["import", &csv.to_string_lossy()])).1
            });
            table.single(
                "CLI import of 100k CSV rows (start to exit)",
                import,
                Some(Target::Within(Duration::from_secs(1))),
            );
        }
    }
}

/// What the search benchmark types: a word of about one deal in twelve, whose first letters
/// match far more.
const SEARCHED: &str = "renewal";

/// Runs the binary on `db` with `args`, checking it succeeded.
fn run_cli(exe: &Path, db: &Path, args: &[&str]) {
    let mut command = Process::new(exe);
    command.arg("--db").arg(db).args(args);
    succeeded(command);
}

/// Runs `command`, checking it succeeded, and returns what it printed on standard output.
fn succeeded(mut command: Process) -> String {
    let out = command.output().expect("the program runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{command:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// One start of the window with `--timing`: the time to its first painted frame and its
/// resident memory then. Without a display, under `xvfb-run` (package xvfb).
fn window_timing(exe: &Path, db: &Path) -> (Duration, u64) {
    let headless =
        std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none();
    let mut command = if headless {
        let mut c = Process::new("xvfb-run");
        c.args(["-a", "-s", "-screen 0 1400x900x24"]).arg(exe);
        c
    } else {
        Process::new(exe)
    };
    // Without a display, xvfb-run must be there (package xvfb).
    command.arg("--db").arg(db).arg("--timing");
    let stdout = succeeded(command);
    let value = |key: &str| -> f64 {
        stdout
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("--timing printed {key}: {stdout}"))
    };
    (
        Duration::from_secs_f64(value("first_frame_ms") / 1e3),
        value("resident_bytes") as u64,
    )
}

/// The command palette at 1M deals: feeding its index (the whole, and the longest slice a frame
/// pays), then the top 20 for a typed query and for one more keystroke.
fn palette_rows(table: &mut Table, ws: &mut Workspace) {
    progress("command palette at 1M");
    let runs: Vec<common::palette::Latency> =
        (0..3).map(|_| common::palette::measure(ws)).collect();
    let median = |of: fn(&common::palette::Latency) -> Duration| {
        let mut times: Vec<Duration> = runs.iter().map(of).collect();
        common::median(&mut times)
    };
    table.single(
        "palette: feed the index at 1M (in slices)",
        median(|l| l.feed),
        None,
    );
    table.single(
        "palette: longest feeding slice (one frame)",
        median(|l| l.slice),
        Some(Target::Within(Duration::from_millis(16))),
    );
    table.single(
        "palette: top 20 for a 4-letter query at 1M",
        median(|l| l.query),
        Some(Target::Within(Duration::from_millis(50))),
    );
    table.single(
        "palette: top 20 after one more keystroke at 1M",
        median(|l| l.keystroke),
        Some(Target::Within(Duration::from_millis(50))),
    );
}

/// One step of `egui_kittest`'s Harness against a bare frame on the same window, both still with
/// the pointer on the same spot: kittest builds an AccessKit tree each step (a real window
/// without a screen reader does not) but also switches animations off. Told, not tabled: the
/// frame rows are bare frames, as eframe runs them.
fn kittest_overhead(db: &Path) -> String {
    let bare = Window::open(db, View::Pipeline).median_frame_still(100);
    let path = db.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::from(WINDOW_SIZE))
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppOptions {
                    opening: None,
                    desktop_notifications: false,
                    db: path,
                    clock: clock(),
                    view: View::Pipeline,
                    screenshot: None,
                    theme: egui::ThemePreference::Light,
                    remembered: None,
                },
            )
        });
    // The pointer rests where the bare window's does, so both draw the same hovered card.
    harness.hover_at(common::frames::POINTER);
    harness.step();
    let step = median_of(100, || timed(|| harness.step()).1);
    format!(
        "egui_kittest step, board at 100k, still: {} (bare frame, still: {}; kittest also \
         turns animations off, so the difference is not all AccessKit)",
        human(step),
        human(bare)
    )
}

#[derive(Clone, Copy)]
enum Side {
    Forsat,
    Sqlite,
}

/// Resident memory (`VmRSS`) of a fresh process that loaded `db` on `side`, in bytes: measured
/// in a child so neither side's allocations linger in the other's figure.
fn resident(side: Side, db: &Path) -> u64 {
    let name = match side {
        Side::Forsat => "forsat",
        Side::Sqlite => "sqlite",
    };
    let mut child = Process::new(std::env::current_exe().expect("the summary's own path"));
    child.arg("--resident").arg(name).arg(db);
    succeeded(child)
        .trim()
        .parse()
        .expect("the child prints its resident bytes")
}

/// The child of [`resident`]: loads, then prints `VmRSS` in bytes with everything still held.
fn resident_child(side: &str, db: &Path) {
    let held: Box<dyn std::any::Any> = match side {
        "forsat" => Box::new(Workspace::open(db, clock()).expect("the fixture opens")),
        _ => Box::new(sqlite::open_and_load(db).1),
    };
    println!(
        "{}",
        forsat::ui::timing::resident_bytes().expect("VmRSS is reported")
    );
    drop(held);
}

/// CPU model, cores and memory, for the README beside the table.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let ram = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(
            || "unknown".to_owned(),
            |kib| format!("{:.1} GiB", kib as f64 / 1048576.0),
        );
    format!(
        "Machine: {cpu}, {cores} cores, {ram} RAM; SQLite {}",
        rusqlite::version()
    )
}

fn progress(what: &str) {
    eprintln!("bench: {what}");
}

/// What the issue asks of a row.
#[derive(Clone, Copy)]
enum Target {
    /// Forsat / `SQLite` at most this.
    Ratio(f64),
    /// Forsat within this time.
    Within(Duration),
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 6]>,
}

impl Table {
    fn compare(&mut self, workload: &str, forsat: Duration, sql: Duration, target: Option<Target>) {
        let ratio = forsat.as_secs_f64() / sql.as_secs_f64();
        let (target, met) = match target {
            Some(Target::Ratio(max)) => (format!("<= {max}x SQLite"), Some(ratio <= max)),
            Some(Target::Within(max)) => (format!("<= {}", human(max)), Some(forsat <= max)),
            None => (String::new(), None),
        };
        self.rows.push([
            workload.to_owned(),
            human(forsat),
            human(sql),
            format!("{ratio:.2}"),
            target,
            verdict(met),
        ]);
    }

    fn single(&mut self, workload: &str, forsat: Duration, target: Option<Target>) {
        let (target, met) = match target {
            Some(Target::Within(max)) => (format!("<= {}", human(max)), Some(forsat <= max)),
            _ => (String::new(), None),
        };
        self.rows.push([
            workload.to_owned(),
            human(forsat),
            "-".to_owned(),
            "-".to_owned(),
            target,
            verdict(met),
        ]);
    }

    fn ratio(&mut self, workload: &str, ratio: f64, max: f64) {
        self.rows.push([
            workload.to_owned(),
            format!("{ratio:.2}"),
            "-".to_owned(),
            "-".to_owned(),
            format!("<= {max}"),
            verdict(Some(ratio <= max)),
        ]);
    }

    fn bytes(&mut self, workload: &str, forsat: u64, max: Option<u64>) {
        self.rows.push([
            workload.to_owned(),
            mib(forsat),
            "-".to_owned(),
            "-".to_owned(),
            max.map_or_else(String::new, |m| format!("<= {}", mib(m))),
            verdict(max.map(|m| forsat <= m)),
        ]);
    }

    fn memory(&mut self, workload: &str, forsat: u64, sql: u64, max: u64) {
        self.rows.push([
            workload.to_owned(),
            mib(forsat),
            mib(sql),
            format!("{:.2}", forsat as f64 / sql as f64),
            format!("<= {}", mib(max)),
            verdict(Some(forsat <= max)),
        ]);
    }

    fn print(&self) {
        let header = ["workload", "Forsat", "SQLite", "ratio", "target", "met"];
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([header[c].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (cell, w))| {
                    let pad = w - cell.chars().count();
                    if i == 0 {
                        format!("{cell}{}", " ".repeat(pad))
                    } else {
                        format!("{}{cell}", " ".repeat(pad))
                    }
                })
                .collect();
            format!("| {} |", padded.join(" | "))
        };
        println!("{}", line(&header.map(String::from)));
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    "-".repeat(w + 2)
                } else {
                    format!("{}:", "-".repeat(w + 1))
                }
            })
            .collect();
        println!("|{}|", rule.join("|"));
        for row in &self.rows {
            println!("{}", line(row));
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / 1048576.0)
}

fn verdict(met: Option<bool>) -> String {
    match met {
        Some(true) => "yes".to_owned(),
        Some(false) => "NO".to_owned(),
        None => String::new(),
    }
}

/// A duration with a unit that keeps three significant digits.
fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}
