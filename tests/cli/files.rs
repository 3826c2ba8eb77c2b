//! Opening files: the checked-in fixture, refusals of files that are not ours, a second instance.

use std::path::Path;
use std::process::Command as Process;

use forsat_app::workspace::Workspace;
use forsat_store::StoreError;

use crate::{clock, open};

#[path = "../../crates/forsat-app/tests/common/files.rs"]
mod common;
use common::{FIXTURE_REPORT, copy_fixture, demo_file, export_of, refused};

#[test]
fn a_second_instance_is_told_forsat_is_already_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.redb");
    let _first = open(&path);
    let (code, stderr) = forsat(&path, &["report", "pipeline"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("Forsat is already running with this file"),
        "{stderr}"
    );
}

/// Runs the binary on `db`: its exit code, and what it printed on both streams.
fn forsat(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = crate::bin::forsat()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

#[test]
fn the_cli_reports_the_pipeline_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let output = crate::bin::forsat()
        .arg("--db")
        .arg(&path)
        .args(["report", "pipeline", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["base_currency"], "USD");
    let stages: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["New", "Qualified", "Proposition"]);
    assert_eq!(
        json.to_string(),
        serde_json::from_str::<serde_json::Value>(FIXTURE_REPORT)
            .unwrap()
            .to_string()
    );
}

#[test]
fn the_cli_prints_an_opportunitys_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    // A deal that moved at least once after its creation.
    let id = {
        let ws = open(&path);
        ws.opportunities()
            .map(|o| o.id)
            .filter(|id| {
                ws.stage_events()
                    .iter()
                    .filter(|e| e.opportunity == *id)
                    .count()
                    > 1
            })
            .min()
            .unwrap()
    };
    let run = |args: &[&str]| {
        crate::bin::forsat()
            .arg("--db")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    };
    let output = run(&["history", &id.to_string(), "--format", "json"]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines = json.as_array().unwrap();
    assert_eq!(lines[0]["field"], "created");
    assert!(
        lines
            .iter()
            .any(|l| l["field"] == "stage" && l["old"] == "New")
    );
    assert!(lines[0]["at"].as_str().unwrap().ends_with('Z'));

    let table = run(&["history", &id.to_string()]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.starts_with("At "), "{text}");
    assert!(text.contains("stage"), "{text}");

    let missing = run(&["history", "987654321"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no opportunity 987654321"));
}

/// A damaged copy is refused with a message and left byte for byte as it was, or — damage in
/// a part of the file nothing uses — opens with every deal as it was. Never a panic.
fn refused_or_intact(path: &Path, export: &str, what: &str) -> bool {
    let before = std::fs::read(path).unwrap();
    match Workspace::open(path, clock()) {
        Err(err) => {
            assert!(
                matches!(err, StoreError::Corrupt { .. } | StoreError::Foreign { .. }),
                "{what}: {err}"
            );
            assert!(err.to_string().contains("left untouched"), "{what}: {err}");
            assert_eq!(std::fs::read(path).unwrap(), before, "{what}: modified");
            true
        }
        Ok(ws) => {
            assert_eq!(export_of(&ws), export, "{what}: opened with other data");
            false
        }
    }
}

#[test]
fn truncated_and_bit_flipped_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (good, export) = demo_file(dir.path());
    let bytes = std::fs::read(&good).unwrap();
    let len = bytes.len();
    // Each case under its own name: the first open of a day checks a copy page by page.
    let damaged = |case: &str| dir.path().join(format!("{case}.redb"));
    for cut in [1, 100, 512, 4096, len / 3, len / 2, len - 4096, len - 1] {
        let damaged = damaged(&format!("cut-{cut}"));
        std::fs::write(&damaged, &bytes[..cut]).unwrap();
        assert!(
            refused_or_intact(&damaged, &export, &format!("cut at {cut}")),
            "a file cut at {cut} of {len} bytes opened"
        );
    }
    let mut rng = forsat_app::demo::Rng(9);
    let mut caught = Vec::new();
    for n in 0..20 {
        let at = rng.below(len as u64) as usize;
        let mut flipped = bytes.clone();
        flipped[at] ^= 1 << rng.below(8);
        let damaged = damaged(&format!("flip-{n}"));
        std::fs::write(&damaged, &flipped).unwrap();
        if refused_or_intact(&damaged, &export, &format!("flip {n} at {at}")) {
            caught.push(flipped);
        }
    }
    println!(
        "{} of 20 flipped files refused, the others intact",
        caught.len()
    );
    let flipped = caught
        .first()
        .expect("no flip was caught: the check reads nothing");

    // The refusal names the newest backup that opens.
    let named = damaged("named");
    std::fs::write(&named, flipped).unwrap();
    let backup = dir.path().join("named.redb.2026-11-20.backup");
    std::fs::write(&backup, &bytes).unwrap();
    let err = refused(&named);
    assert!(
        err.to_string().contains(&format!(
            "the newest backup that opens is {}",
            backup.display()
        )),
        "{err}"
    );

    // The command line says so and exits with 1.
    let damaged = damaged("cli");
    std::fs::write(&damaged, &bytes[..len / 2]).unwrap();
    let (code, stderr) = forsat(&damaged, &["report", "pipeline"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("is damaged and cannot be opened"),
        "{stderr}"
    );
}

#[test]
fn the_cli_checks_a_file_and_backs_it_up_without_changing_it() {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = demo_file(dir.path());
    let bytes = std::fs::read(&good).unwrap();
    let (code, text) = forsat(&good, &["check"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("is sound: every page and record checked (300 deals"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&good).unwrap(),
        bytes,
        "check wrote to the file"
    );

    let (code, text) = forsat(&good, &["backup"]);
    assert_eq!(code, Some(0), "{text}");
    let backups = forsat_store::backups_of(&good);
    assert_eq!(backups.len(), 1);
    assert!(text.contains(&backups[0].display().to_string()), "{text}");
    assert_eq!(
        std::fs::read(&good).unwrap(),
        bytes,
        "backup wrote to the file"
    );

    // A damaged file: exit 1, the file as it was, the backup named.
    let mut rng = forsat_app::demo::Rng(9);
    let damaged = loop {
        let mut flipped = bytes.clone();
        let at = rng.below(bytes.len() as u64) as usize;
        flipped[at] ^= 1 << rng.below(8);
        std::fs::write(&good, &flipped).unwrap();
        if forsat(&good, &["check"]).0 == Some(1) {
            break flipped;
        }
    };
    let (code, text) = forsat(&good, &["check"]);
    assert_eq!(code, Some(1));
    assert!(text.contains("is damaged"), "{text}");
    assert!(
        text.contains(&format!(
            "the newest backup that opens is {}",
            backups[0].display()
        )),
        "{text}"
    );
    assert_eq!(std::fs::read(&good).unwrap(), damaged);

    // Neither runs while Forsat has the file open.
    std::fs::write(&good, &bytes).unwrap();
    let _open = open(&good);
    for command in ["check", "backup"] {
        let (code, text) = forsat(&good, &[command]);
        assert_eq!(code, Some(1), "{command}: {text}");
        assert!(text.contains("already running"), "{command}: {text}");
    }
}

/// Runs the binary on `db` to its end, or kills it after ten seconds: its exit code (None when
/// it had to be killed) and what it printed.
fn forsat_within_ten_seconds(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = crate::bin::forsat()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            child.wait().unwrap();
            return (None, "still running after ten seconds".to_owned());
        }
        std::thread::yield_now();
    }
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

#[test]
fn a_pipe_a_folder_or_a_dangling_link_as_the_database_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.redb");
    let made = Process::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let folder = dir.path().join("folder.redb");
    std::fs::create_dir(&folder).unwrap();
    let dangling = dir.path().join("dangling.redb");
    std::os::unix::fs::symlink(dir.path().join("nowhere.redb"), &dangling).unwrap();
    for (db, says) in [
        (&pipe, "it is a named pipe (FIFO), not a file"),
        (&folder, "it is a folder"),
        (&dangling, "it is a link to a file that does not exist"),
    ] {
        for command in [&["report", "pipeline"][..], &["check"], &["backup"]] {
            let (code, text) = forsat_within_ten_seconds(db, command);
            assert_eq!(code, Some(1), "{command:?} on {}: {text}", db.display());
            assert!(text.contains("is not a Forsat database"), "{text}");
            assert!(text.contains(says), "{text}");
        }
    }
    assert!(
        !dir.path().join("nowhere.redb").exists(),
        "created through the link"
    );
}

#[test]
fn check_leaves_no_copy_behind_even_when_killed() {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = demo_file(dir.path());
    // The shared temporary folder is not used: check works when it does not even exist.
    let run = |temp: &Path| {
        crate::bin::forsat()
            .arg("--db")
            .arg(&good)
            .arg("check")
            .env("TMPDIR", temp)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let output = run(&dir.path().join("no-such-folder"))
        .wait_with_output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{text}");
    // Killed at every stage of its work, it leaves nothing behind, where it works or elsewhere.
    let temp = tempfile::tempdir().unwrap();
    let mut rng = forsat_app::demo::Rng(3);
    for _ in 0..20 {
        let mut child = run(temp.path());
        std::thread::sleep(std::time::Duration::from_micros(rng.below(20_000)));
        let _ = child.kill();
        child.wait().unwrap();
    }
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .chain(std::fs::read_dir(temp.path()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["good.redb", "good.redb.lock"]);
}

#[test]
fn a_daily_backup_that_fails_is_reported_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let (good, export) = demo_file(dir.path());
    // A file where the backups folder should be: no backup can be made.
    std::fs::write(dir.path().join("backups"), b"not a folder").unwrap();
    let output = crate::bin::forsat()
        .arg("--db")
        .arg(&good)
        .args(["export", "--what", "opportunities"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&output.stdout), export);
    assert!(
        stderr.contains("forsat: No backup could be made today: Cannot use"),
        "{stderr}"
    );
}

#[test]
fn backups_dated_in_the_future_never_evict_todays() {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = demo_file(dir.path());
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    // Made while the clock was years ahead: as many as the settings keep (7).
    for day in 1..=7 {
        let name = format!("good.redb.2099-01-0{day}.backup");
        std::fs::copy(&good, backups.join(name)).unwrap();
    }
    let (code, text) = forsat(&good, &["backup"]);
    assert_eq!(code, Some(0), "{text}");
    let today = chrono::Utc::now().date_naive();
    let kept = forsat_store::backups_of(&good);
    assert_eq!(kept.len(), 7);
    assert!(
        kept.contains(&backups.join(format!("good.redb.{today}.backup"))),
        "{kept:?}"
    );
    assert!(!kept.contains(&backups.join("good.redb.2099-01-01.backup")));
}

#[test]
fn backup_and_check_of_a_missing_file_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.redb");
    for command in ["backup", "check"] {
        let (code, text) = forsat(&missing, &[command]);
        assert_eq!(code, Some(1), "{command}: {text}");
        assert!(
            text.contains(&format!("{} does not exist.", missing.display())),
            "{command}: {text}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
