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
    let output = Process::new(env!("CARGO_BIN_EXE_forsat"))
        .arg("--db")
        .arg(&path)
        .args(["report", "pipeline"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Forsat is already running with this file"),
        "{stderr}"
    );
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
    let db = redb::ReadOnlyDatabase::open(&path).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn
        .open_table(TableDefinition::<&str, &[u8]>::new("meta"))
        .unwrap();
    let schema = meta.get("schema").unwrap().unwrap().value().to_vec();
    assert_eq!(schema, forsat::store::SCHEMA_VERSION.to_le_bytes());
}
