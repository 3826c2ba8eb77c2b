//! The funnel and the sales leakage count the stages deals really went through, in the three
//! situations users meet: a stage added to a running pipeline, an undone move, an import.
//! Figures are worked out by hand in the comments.

use forsat_app::workspace::Workspace;
use forsat_core::analytics::reports::{Params, Rows};

use super::{create, open, stage};

#[path = "../../crates/forsat-app/tests/common/reached.rs"]
mod common;
use common::{move_to, sales};

/// Per open stage, `stage lost lost_amount` as the leakage counts them.
fn lost(ws: &Workspace) -> String {
    let Rows::Leakage(rows) = ws.report(&sales(ws), &Params::Leakage).rows else {
        panic!("a leakage report");
    };
    let rows: Vec<String> = (rows.iter())
        .map(|r| format!("{} {} {}", r.stage, r.lost, r.lost_amount))
        .collect();
    rows.join(" | ")
}

#[test]
fn a_forsat_export_keeps_the_stage_its_lost_deals_were_lost_at() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.redb");
    let mut ws = open(&source);
    let acme = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let delta = create(&mut ws, "Delta", "Delta – racks", "500");
    let lost_stage = stage(&ws, "Lost");
    ws.apply(move_to(acme, stage(&ws, "Proposition"))).unwrap();
    ws.apply(move_to(acme, lost_stage)).unwrap();
    ws.apply(move_to(delta, lost_stage)).unwrap();
    // Acme lost from Proposition, 1000; Delta from New, 500.
    let at_their_stages = "New 1 500 | Qualified 0 0 | Proposition 1 1000";
    assert_eq!(lost(&ws), at_their_stages);
    drop(ws);
    let file = dir.path().join("deals.csv");
    let file_arg = file.to_str().unwrap();
    let (code, _, err) = super::forsat(&source, &["export", "--out", file_arg]);
    assert_eq!(code, Some(0), "{err}");

    // Imported into a new file by the real binary: each is lost where it was.
    let copy = dir.path().join("copy.redb");
    let (code, _, err) = super::forsat(&copy, &["import", file_arg]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(lost(&open(&copy)), at_their_stages);

    // A Forsat file without the column (an export of an older Forsat) says nothing of where
    // they were: both count as lost at the first stage, New, 1500, as before.
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| {
            let cells = l.split(',').map(str::to_owned);
            cells.collect()
        })
        .collect();
    let at = rows[0].iter().position(|h| h == "closed_from").unwrap();
    let older: String = (rows.into_iter())
        .map(|mut cells| {
            cells.remove(at);
            cells.join(",") + "\r\n"
        })
        .collect();
    let older_file = dir.path().join("older.csv");
    std::fs::write(&older_file, older).unwrap();
    let third = dir.path().join("third.redb");
    let (code, _, err) = super::forsat(&third, &["import", older_file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        lost(&open(&third)),
        "New 2 1500 | Qualified 0 0 | Proposition 0 0"
    );
}
