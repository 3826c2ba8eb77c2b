//! Configuration through changes: stages, pipelines, lookups, settings, stale deals.

use forsat_core::command::Change;
use forsat_core::domain::{Pipeline, Record, Stage, StageKind};
use rust_decimal::Decimal;
use tempfile::TempDir;

use super::{create, open};

#[path = "../../crates/forsat-app/tests/common/config.rs"]
mod common;
use common::change;

#[test]
fn the_cli_reports_one_pipeline_or_all() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("f.redb");
    let mut ws = open(&path);
    create(&mut ws, "Acme", "Renewal", "1000");
    let services = Pipeline {
        id: 0,
        name: "Services".into(),
        sequence: 2,
    };
    change(&mut ws, Change::put(Record::Pipeline(services))).unwrap();
    let pipeline = ws.pipelines()[1].id;
    let scoping = Stage {
        id: 0,
        pipeline,
        name: "Scoping".into(),
        sequence: 1,
        probability: Decimal::from(20),
        kind: StageKind::Open,
        requirements: String::new(),
        rotting_days: None,
        folded: false,
        forecast: forsat_core::domain::ForecastCategory::default(),
    };
    change(&mut ws, Change::put(Record::Stage(scoping))).unwrap();
    drop(ws);
    let report = |args: &[&str]| {
        let out = crate::bin::forsat()
            .arg("--db")
            .arg(&path)
            .args(["report", "pipeline"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, csv, _) = report(&["--pipeline", "all", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(csv.starts_with("key,count,expected,weighted\r\n"), "{csv}");
    assert!(csv.contains("Sales / New,1,1000.00,100.00\r\n"), "{csv}");
    assert!(csv.contains("Services / Scoping,0,0.00,0.00\r\n"), "{csv}");
    let (_, json, _) = report(&["--pipeline", "services", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["report"], "pipeline");
    assert_eq!(json["rows"][0]["key"], "Scoping");
    let (code, _, err) = report(&["--pipeline", "Nope"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("there is no pipeline “Nope” (there are: Sales, Services; or all)"),
        "{err}"
    );
}
