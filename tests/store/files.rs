//! Opening files: the checked-in fixture, refusals of files that are not ours, a second instance.

use std::path::Path;
use std::process::Command as Process;

use forsat::analytics::reports::{GroupBy, Params, Rows, Scope, WinLossBy};
use forsat::store::StoreError;
use forsat::workspace::Workspace;
use redb::{ReadableDatabase as _, ReadableTable as _, TableDefinition};
use rust_decimal::Decimal;

use crate::{clock, open};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema1.redb");
const FIXTURE_REPORT: &str = include_str!("../fixtures/schema1-pipeline.json");

fn copy_fixture(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("copy.redb");
    std::fs::copy(FIXTURE, &path).unwrap();
    path
}

#[test]
fn a_database_written_by_schema_1_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&copy_fixture(dir.path()));
    assert_eq!(ws.opportunity_count(), 40);
    let scope = Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    };
    let report = ws.report(&scope, &Params::Pipeline { by: GroupBy::Stage });
    assert_eq!(report.to_json().trim(), FIXTURE_REPORT.trim());
    // Won and lost deals as the schema-1 build counted them: 5 won, 12 lost.
    let closed = Params::WinLoss {
        by: WinLossBy::Reason,
        from: None,
        to: None,
    };
    let Rows::WinLoss(rows) = ws.report(&scope, &closed).rows else {
        panic!("a win/loss report");
    };
    let won: u64 = rows.iter().map(|r| r.won).sum();
    let lost: u64 = rows.iter().map(|r| r.lost).sum();
    let won_amount: Decimal = rows.iter().map(|r| r.won_amount).sum();
    let lost_amount: Decimal = rows.iter().map(|r| r.lost_amount).sum();
    assert_eq!((won, lost), (5, 12));
    assert_eq!(won_amount, Decimal::from(1_403_350));
    assert_eq!(lost_amount, Decimal::from(4_884_900));
    let opp = ws.opportunities().next().unwrap();
    let history = ws
        .history(forsat::domain::EntityKind::Opportunity, opp.id)
        .unwrap();
    assert_eq!(history[0].field, "created");
}

/// Opens `path`, expects a refusal, and checks the file was not touched.
fn refused(path: &Path) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let err = Workspace::open(path, clock()).unwrap_err();
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{} was modified",
        path.display()
    );
    err
}

#[test]
fn empty_and_foreign_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.redb");
    std::fs::write(&empty, b"").unwrap();
    let err = refused(&empty);
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("is not a Forsat database (the file is empty)")
    );

    let png = dir.path().join("picture.redb");
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend((0..4000u32).map(|i| (i * 31 % 251) as u8));
    std::fs::write(&png, &bytes).unwrap();
    assert!(matches!(refused(&png), StoreError::Foreign { .. }));

    // A redb database of some other program.
    let other = dir.path().join("other.redb");
    {
        let db = redb::Database::create(&other).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(TableDefinition::<u64, u64>::new("contacts"))
            .unwrap()
            .insert(1, 2)
            .unwrap();
        txn.commit().unwrap();
    }
    let err = refused(&other);
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
}

#[test]
fn a_forsat_file_whose_header_was_damaged_is_damaged_with_its_backup_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.redb");
    drop(open(&path));
    let backup = forsat::store::back_up_now(&path, clock()().date_naive()).unwrap();
    let sound = std::fs::read(&path).unwrap();
    // One flipped byte in the magic, the first page zeroed, the file cut to nothing.
    let mut flipped = sound.clone();
    flipped[1] ^= 0xff;
    let mut zeroed = sound.clone();
    zeroed[..4096].fill(0);
    for damaged in [flipped, zeroed, Vec::new()] {
        std::fs::write(&path, &damaged).unwrap();
        let err = refused(&path);
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(
            err.to_string().contains(&backup.display().to_string()),
            "{err}"
        );
    }
}

#[test]
fn a_record_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    {
        let db = redb::Database::open(&path).unwrap();
        let table = TableDefinition::<u64, &[u8]>::new("opportunities");
        let (key, mut value) = {
            let txn = db.begin_read().unwrap();
            let t = txn.open_table(table).unwrap();
            let (k, v) = t.first().unwrap().unwrap();
            (k.value(), v.value().to_vec())
        };
        value[0] = forsat::store::RECORD_VERSION + 1;
        let txn = db.begin_write().unwrap();
        txn.open_table(table)
            .unwrap()
            .insert(key, value.as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    let err = refused(&path);
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("written by a newer version of Forsat")
    );
}

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
    let output = Process::new(env!("CARGO_BIN_EXE_forsat"))
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
    let output = Process::new(env!("CARGO_BIN_EXE_forsat"))
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
        Process::new(env!("CARGO_BIN_EXE_forsat"))
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

#[test]
fn opening_a_schema_1_file_migrates_it_after_a_backup_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let original = std::fs::read(&path).unwrap();
    let mut ws = open(&path);
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("copy.redb.schema-1-"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        std::fs::read(&backups[0]).unwrap(),
        original,
        "the backup is the old file"
    );
    // The migrated file takes schema-2 records (the trash) and keeps them.
    let id = ws.opportunities().next().unwrap().id;
    ws.apply(forsat::command::Command::Trash { ids: vec![id] })
        .unwrap();
    drop(ws);
    assert!(open(&path).is_trashed(id));
    assert_eq!(
        stored_schema(&path),
        forsat::store::SCHEMA_VERSION.to_le_bytes()
    );
}

/// A clean file with a few hundred demo deals, and what it holds as an export.
fn demo_file(dir: &Path) -> (std::path::PathBuf, String) {
    let path = dir.join("good.redb");
    let mut ws = open(&path);
    let (batch, _) = forsat::demo::generate(&ws, 300, 5);
    ws.apply(forsat::command::Command::InsertBatch(Box::new(batch)))
        .unwrap();
    let export = export_of(&ws);
    (path, export)
}

fn export_of(ws: &Workspace) -> String {
    let what = forsat::interchange::Kind::Opportunities;
    let bytes = forsat::interchange::export(ws, what, forsat::interchange::Format::Csv).unwrap();
    String::from_utf8(bytes).unwrap()
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
    let mut rng = forsat::demo::Rng(9);
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
    let backups = forsat::store::backups_of(&good);
    assert_eq!(backups.len(), 1);
    assert!(text.contains(&backups[0].display().to_string()), "{text}");
    assert_eq!(
        std::fs::read(&good).unwrap(),
        bytes,
        "backup wrote to the file"
    );

    // A damaged file: exit 1, the file as it was, the backup named.
    let mut rng = forsat::demo::Rng(9);
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

/// A full disk: the write that does not fit is refused with a message, nothing of it is kept,
/// everything before it is, and once space is back the next write goes through.
#[test]
fn a_full_disk_refuses_the_write_keeps_the_file_and_recovers() {
    let Some(disk) = crate::tmpfs::Tmpfs::mount("4m") else {
        // CI and the developers' machines run as root; elsewhere this cannot be arranged.
        eprintln!("full-disk test not run: cannot mount a tmpfs here");
        return;
    };
    let path = disk.path().join("crm.redb");
    let mut ws = open(&path);
    let saved: Vec<_> = (0..20)
        .map(|n| crate::create(&mut ws, &format!("Account {n}"), &format!("Deal {n}"), "10"))
        .collect();
    let filler = disk.fill();
    // Deals with long descriptions until one does not fit in what redb had left in the file.
    let mut saved = saved;
    let refusal = (20..10_000)
        .find_map(|n| {
            let mut opp = ws.opportunity(saved[0]).unwrap().clone();
            opp.id = 0;
            opp.name = format!("Deal {n}");
            opp.description = "x".repeat(20_000);
            let applied = ws.apply(forsat::command::Command::CreateOpportunity {
                opp: Box::new(opp),
                new_account: None,
            });
            match applied {
                Ok(applied) => {
                    saved.extend(applied.created);
                    None
                }
                Err(e) => Some(e),
            }
        })
        .expect("the disk never filled");
    let free = |ws: &Workspace| ws.opportunity_count();
    let message = refusal.to_string();
    assert!(message.contains("Could not save to"), "{message}");
    assert!(
        message.contains("Nothing of this change was saved"),
        "{message}"
    );
    assert_eq!(free(&ws), saved.len(), "the refused deal is not in memory");

    // Space back: the next change is saved, and every saved deal is in the file.
    std::fs::remove_file(&filler).unwrap();
    crate::create(&mut ws, "After", "After the disk had room", "1");
    drop(ws);
    let ws = open(&path);
    for id in &saved {
        assert!(ws.opportunity(*id).is_some(), "deal {id} was lost");
    }
    assert_eq!(ws.opportunity_count(), saved.len() + 1);
}

#[test]
fn a_schema_4_file_keeps_its_settings_and_gains_language_and_calendar() {
    use forsat::domain::{DateFormat, SettingsV4, WeekStart};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("four.redb");
    // A file as schema 5 wrote it (records without a checksum), made schema 4 below.
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema5.redb");
    let five = dir.path().join("five.redb");
    std::fs::copy(fixture, &five).unwrap();
    let deals = open(&five).opportunity_count();
    std::fs::copy(fixture, &path).unwrap();
    // The file as schema 4 wrote it: its settings without language and calendar.
    let old = SettingsV4 {
        base_currency: "EUR".into(),
        close_offset_days: 30,
        date_format: DateFormat::DayMonthYear,
        week_start: WeekStart::Saturday,
        backups: false,
        backups_keep: 3,
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut meta = txn
                .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
                .unwrap();
            // Version 1 records: no checksum.
            let record = [&[1u8][..], &postcard::to_allocvec(&old).unwrap()].concat();
            meta.insert("settings", record.as_slice()).unwrap();
            meta.insert("schema", 4u32.to_le_bytes().as_slice())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let ws = open(&path);
    let settings = ws.settings();
    assert_eq!(settings.base_currency, "EUR");
    assert_eq!(settings.close_offset_days, 30);
    assert_eq!(settings.date_format, DateFormat::DayMonthYear);
    assert_eq!(settings.week_start, WeekStart::Saturday);
    assert!(!settings.backups);
    assert_eq!(settings.backups_keep, 3);
    assert_eq!((settings.language, settings.calendar), (None, None));
    assert_eq!(ws.opportunity_count(), deals);
    drop(ws);
    // Migrated: it opens again as schema 5 with the same settings.
    assert_eq!(open(&path).settings().date_format, DateFormat::DayMonthYear);
    assert_eq!(
        stored_schema(&path),
        forsat::store::SCHEMA_VERSION.to_le_bytes()
    );
}

/// The schema number a file's meta table holds, as stored.
fn stored_schema(path: &Path) -> Vec<u8> {
    let db = redb::ReadOnlyDatabase::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    meta.get("schema").unwrap().unwrap().value().to_vec()
}

/// Runs the binary on `db` to its end, or kills it after ten seconds: its exit code (None when
/// it had to be killed) and what it printed.
fn forsat_within_ten_seconds(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_forsat"))
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
        Process::new(env!("CARGO_BIN_EXE_forsat"))
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
    let mut rng = forsat::demo::Rng(3);
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
    let output = Process::new(env!("CARGO_BIN_EXE_forsat"))
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
    let kept = forsat::store::backups_of(&good);
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

#[test]
fn a_restore_is_refused_while_forsat_has_the_file_open() {
    let dir = tempfile::tempdir().unwrap();
    let (good, export) = demo_file(dir.path());
    let backup = dir.path().join("good.redb.2026-11-20.backup");
    std::fs::copy(&good, &backup).unwrap();
    let ws = open(&good);
    let refused = forsat::store::restore(&good, &backup, chrono::Utc::now());
    assert!(
        matches!(refused, Err(StoreError::AlreadyOpen(_))),
        "{refused:?}"
    );
    drop(ws);
    assert_eq!(export_of(&open(&good)), export);
    let names = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(
        names, 4,
        "the file, its lock, its backup and the backups folder"
    );
}

#[test]
fn damage_met_after_a_write_is_refused_and_the_file_is_not_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let (good, _) = demo_file(dir.path());
    let first = open(&good).opportunities().map(|o| o.id).min().unwrap();
    // Damage the opening does not read (history is read on demand): every page of history
    // entries zeroed, as a failing disk leaves them.
    let mut bytes = std::fs::read(&good).unwrap();
    let mut zeroed = 0;
    for page in bytes.chunks_mut(4096) {
        if page.windows(7).any(|w| w == b"created") {
            page.fill(0);
            zeroed += 1;
        }
    }
    assert!(zeroed > 1, "no history pages found");
    std::fs::write(&good, &bytes).unwrap();
    let mut ws = open(&good);
    // A write opens the file for writing and meets the damage: refused, nothing of it written.
    let attempt = |ws: &mut Workspace| {
        let stage = ws
            .stages_of(ws.default_pipeline().id)
            .next()
            .unwrap()
            .clone();
        let account = forsat::domain::Account::default();
        let opp = forsat::domain::Opportunity::draft(&account, &stage, ws.settings(), ws.now());
        ws.apply(forsat::command::Command::CreateOpportunity {
            opp: Box::new(opp),
            new_account: Some("Acme".to_owned()),
        })
    };
    let write = attempt(&mut ws);
    assert!(
        matches!(
            write,
            Err(forsat::workspace::ApplyError::Store(
                StoreError::Corrupt { .. }
            ))
        ),
        "{write:?}"
    );
    let after = std::fs::read(&good).unwrap();
    // Nothing more is read or written in this run, closing included.
    assert!(attempt(&mut ws).is_err());
    let history = ws.history(forsat::domain::EntityKind::Opportunity, first);
    assert!(
        matches!(history, Err(StoreError::Corrupt { .. })),
        "{history:?}"
    );
    drop(ws);
    assert_eq!(
        std::fs::read(&good).unwrap(),
        after,
        "the damaged file was written"
    );
}

#[test]
fn a_private_database_gets_private_backups() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("private.redb");
    drop(open(&path));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let backup = forsat::store::back_up_now(&path, clock()().date_naive()).unwrap();
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}
