//! Two writers started together on one file: the second waits for nothing and overwrites
//! nothing. It is told at once that Forsat is already running, or it runs after the first;
//! every import acknowledged by exit code 0 is in the file.

use std::fmt::Write as _;
use std::path::Path;

use crate::{Run, command, forsat};

/// Rows each writer imports.
const ROWS: usize = 5;

/// What the rounds of two writers came to.
#[derive(Default, Debug)]
pub struct Starts {
    pub rounds: usize,
    /// Imports that exited 0.
    pub acknowledged: usize,
    /// Records of acknowledged imports missing from the file afterwards.
    pub lost: usize,
    /// Writers refused with "already running".
    pub refused: usize,
    /// Writers that failed any other way (a damaged-file message, a panic): each a failure.
    pub other_failures: Vec<String>,
}

fn rows(round: usize, writer: char) -> String {
    let mut csv = String::from("name,account,amount\r\n");
    for k in 0..ROWS {
        write!(csv, "w{round}{writer}{k},Writer {writer},{k}\r\n").unwrap();
    }
    csv
}

fn names(round: usize, writer: char) -> impl Iterator<Item = String> {
    (0..ROWS).map(move |k| format!("w{round}{writer}{k}"))
}

/// Starts two importing processes together on a fresh copy of `template` (no backup made today
/// yet, so each opening starts by making one), `rounds` times.
pub fn start_two_writers(template: &Path, rounds: usize) -> Starts {
    let mut starts = Starts::default();
    for round in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("shared.redb");
        std::fs::copy(template, &db).unwrap();
        let mut children = Vec::new();
        for writer in ['a', 'b'] {
            let csv = dir.path().join(format!("{writer}.csv"));
            std::fs::write(&csv, rows(round, writer)).unwrap();
            let child = command(&db, &["import", csv.to_str().unwrap()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the binary starts");
            children.push((writer, child));
        }
        let done: Vec<(char, Run)> = children
            .into_iter()
            .map(|(w, c)| (w, c.wait_with_output().unwrap().into()))
            .collect();
        let export = forsat(&db, &["export", "--what", "opportunities"]);
        assert_eq!(export.code, Some(0), "round {round}: {}", export.stderr);
        for (writer, run) in done {
            if run.code == Some(0) {
                starts.acknowledged += ROWS;
                starts.lost += names(round, writer)
                    .filter(|n| !export.stdout.contains(n.as_str()))
                    .count();
            } else if run
                .stderr
                .contains("Forsat is already running with this file")
                && !run.panicked()
                && !run.stderr.contains("damaged")
            {
                starts.refused += 1;
            } else {
                starts.other_failures.push(format!(
                    "round {round}, writer {writer}: exit {:?}: {}",
                    run.code, run.stderr
                ));
            }
        }
        starts.rounds += 1;
    }
    starts
}

/// A file as the binary makes it: settings that keep backups, a few deals, no backup yet.
pub fn template(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("template.redb");
    let made = forsat(&db, &["demo", "--opps", "5"]);
    assert_eq!(made.code, Some(0), "{}", made.stderr);
    let _ = std::fs::remove_dir_all(dir.join("backups"));
    db
}

#[test]
fn two_writers_started_together_fifty_times_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let starts = start_two_writers(&template(dir.path()), 50);
    println!(
        "50 simultaneous starts: {} records acknowledged, {} lost; {} second writers told Forsat is already running",
        starts.acknowledged, starts.lost, starts.refused
    );
    assert!(
        starts.other_failures.is_empty(),
        "{:#?}",
        starts.other_failures
    );
    assert_eq!(starts.lost, 0, "{starts:?}");
    assert!(starts.acknowledged > 0);
}
