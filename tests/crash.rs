//! Crash safety, tested as `SQLite` and redb test themselves: a child process applies a stream of
//! commands (new deals, edits that move deals between stages, bulk imports) through the real
//! workspace and prints each commit once `apply` has returned; the parent kills it with SIGKILL
//! at a random moment, reopens the file, runs redb's integrity check and verifies that every
//! acknowledged commit is there and that no import is there in part.
//!
//! `cargo test --test crash` kills a handful of children; `scripts/crash-test [RUNS]` runs 100
//! or more (`FORSAT_CRASH_RUNS`).

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::Duration;

use forsat::command::Command;
use forsat::demo::Rng;
use forsat::domain::{Account, Id, Opportunity, StageKind};
use forsat::interchange::{self, ImportOptions};
use forsat::workspace::Workspace;

/// Set for the child: `PATH|RUN`.
const CHILD: &str = "FORSAT_CRASH_CHILD";
/// Rows of each bulk import.
const IMPORT_ROWS: usize = 40;

fn open(path: &Path) -> Result<Workspace, forsat::store::StoreError> {
    Workspace::open(path, Arc::new(chrono::Utc::now))
}

/// The child: writes until it is killed. Does nothing when run as an ordinary test.
#[test]
fn child_writer() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (path, run) = spec.split_once('|').expect("PATH|RUN");
    let run: u64 = run.parse().expect("a run number");
    let mut ws = open(Path::new(path)).expect("the child opens the file");
    let pipeline = ws.default_pipeline().id;
    let stages: Vec<_> = ws
        .stages_of(pipeline)
        .filter(|s| s.kind == StageKind::Open)
        .cloned()
        .collect();
    let mut deals: Vec<Id> = ws.opportunities().map(|o| o.id).collect();
    let mut rng = Rng(run);
    let mut out = std::io::stdout().lock();
    // Versions grow from run to run, so a later edit always carries a higher one.
    for version in run * 1_000_000.. {
        let line = match rng.below(20) {
            0 => {
                let mut csv = String::from("name,account,amount\r\n");
                for row in 0..IMPORT_ROWS {
                    write!(csv, "imp-{version}-{row},Import {version},{row}\r\n").unwrap();
                }
                interchange::import(&mut ws, csv.as_bytes(), &ImportOptions::default())
                    .expect("the import is written");
                format!("imported {version}")
            }
            n if n < 7 || deals.is_empty() => {
                let stage = &stages[rng.below(stages.len() as u64) as usize];
                let mut opp =
                    Opportunity::draft(&Account::default(), stage, ws.settings(), ws.now());
                opp.name = format!("crash-{version}");
                let applied = ws
                    .apply(Command::CreateOpportunity {
                        opp: Box::new(opp),
                        new_account: Some(format!("Crash account {}", version % 7)),
                    })
                    .expect("the deal is created");
                deals.push(applied.created.expect("a new deal"));
                format!("created crash-{version}")
            }
            _ => {
                let id = deals[rng.below(deals.len() as u64) as usize];
                let mut opp = ws.opportunity(id).expect("a deal of the file").clone();
                opp.stage = stages[rng.below(stages.len() as u64) as usize].id;
                opp.amount = version.into();
                opp.next_step = format!("v{version}");
                ws.apply(Command::UpdateOpportunity {
                    opp: Box::new(opp),
                    new_account: None,
                })
                .expect("the deal is updated");
                format!("updated {id} {version}")
            }
        };
        // Printed only once the commit returned: what the user would have seen saved.
        writeln!(out, "ack {line}")
            .and_then(|()| out.flush())
            .expect("stdout");
    }
}

/// What the children acknowledged, over every run.
#[derive(Default)]
struct Acked {
    created: BTreeSet<String>,
    /// Each deal's highest acknowledged version.
    updated: BTreeMap<Id, u64>,
    imported: BTreeSet<u64>,
    commits: usize,
}

impl Acked {
    fn take(&mut self, line: &str) {
        let Some(ack) = line.strip_prefix("ack ") else {
            return;
        };
        self.commits += 1;
        let words: Vec<&str> = ack.split(' ').collect();
        match words[..] {
            ["created", name] => {
                self.created.insert(name.to_owned());
            }
            ["updated", id, version] => {
                let version = version.parse().expect("a version");
                let id = id.parse().expect("an id");
                let kept = self.updated.entry(id).or_default();
                *kept = (*kept).max(version);
            }
            ["imported", version] => {
                self.imported.insert(version.parse().expect("a version"));
            }
            _ => panic!("unexpected line from the child: {line}"),
        }
    }

    /// Every acknowledged commit is in `ws`, and every import is whole or absent.
    fn verify(&self, ws: &Workspace, run: u64) {
        let names: BTreeSet<&str> = ws.opportunities().map(|o| o.name.as_str()).collect();
        for name in &self.created {
            assert!(names.contains(name.as_str()), "run {run}: {name} was lost");
        }
        for (id, version) in &self.updated {
            let opp = ws
                .opportunity(*id)
                .unwrap_or_else(|| panic!("run {run}: deal {id} was lost"));
            let kept: u64 = opp
                .next_step
                .strip_prefix('v')
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("run {run}: deal {id} lost its edits"));
            // A later edit may have committed just before the kill, unacknowledged.
            assert!(
                kept >= *version,
                "run {run}: deal {id} has v{kept}, acked v{version}"
            );
            assert_eq!(opp.amount, kept.into(), "run {run}: deal {id} half-edited");
        }
        let mut rows: BTreeMap<&str, usize> = BTreeMap::new();
        for name in &names {
            if let Some((version, _)) = name.strip_prefix("imp-").and_then(|r| r.split_once('-')) {
                *rows.entry(version).or_default() += 1;
            }
        }
        for (version, count) in &rows {
            assert_eq!(
                *count, IMPORT_ROWS,
                "run {run}: import {version} is in part"
            );
        }
        for version in &self.imported {
            assert!(
                rows.contains_key(version.to_string().as_str()),
                "run {run}: import {version} was lost"
            );
        }
    }
}

/// Kills `runs` children at random moments, checking the file after each.
fn kill_and_check(runs: u64) -> Acked {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.redb");
    drop(open(&path).expect("a new file"));
    let exe = std::env::current_exe().unwrap();
    let mut acked = Acked::default();
    let mut rng = Rng(0xC4A5);
    for run in 1..=runs {
        let mut child = Process::new(&exe)
            .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, format!("{}|{run}", path.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child starts");
        let stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(100 + rng.below(400)));
        child.kill().expect("SIGKILL");
        child.wait().expect("the child ends");
        for line in reader.join().expect("the reader ends") {
            acked.take(&line);
        }
        let mut ws = open(&path).unwrap_or_else(|e| panic!("run {run}: not reopened: {e}"));
        ws.check_integrity()
            .unwrap_or_else(|e| panic!("run {run}: integrity: {e}"));
        acked.verify(&ws, run);
    }
    acked
}

#[test]
fn acknowledged_commits_survive_sigkill() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let runs = std::env::var("FORSAT_CRASH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let acked = kill_and_check(runs);
    println!(
        "crash test: {runs}/{runs} runs, {} acknowledged commits, 0 lost",
        acked.commits
    );
    assert!(acked.commits > 0, "the children committed nothing to check");
}
