//! Accounts, contacts, leads, activities, products and currencies through commands.

use chrono::NaiveDate;
use forsat_app::workspace::UndoStack;
use forsat_core::analytics::reports::{GroupBy, Params, Rows, Scope};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Currency, EntityKind, Record};
use tempfile::TempDir;

use super::{create, open, stage};

#[path = "../../crates/forsat-app/tests/common/related.rs"]
mod common;
use common::{add_currency, dec, put};

#[test]
fn column_totals_convert_to_the_base_currency_and_follow_rate_changes() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let eur = add_currency(&mut ws, "EUR", "1.08");
    create(&mut ws, "Acme", "Dollar deal", "1000");
    let euro = create(&mut ws, "Brandt GmbH", "Euro deal", "2000");
    let mut opp = ws.opportunity(euro).unwrap().clone();
    opp.currency = "EUR".into();
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    let new = stage(&ws, "New");
    // 1000 USD + 2000 EUR × 1.08 = 3160 USD; weighted at 10 %.
    assert_eq!(ws.stage_totals(new).expected, dec("3160.00"));
    assert_eq!(ws.stage_totals(new).weighted, dec("316.00"));
    let scope = Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    };
    let report = ws.report(&scope, &Params::Pipeline { by: GroupBy::Stage });
    let Rows::Pipeline(rows) = report.rows else {
        panic!("a pipeline report");
    };
    assert_eq!(rows[0].expected, dec("3160.00"));
    // The CLI's report converts too.
    let path = ws.path().to_owned();
    drop(ws);
    let output = crate::bin::forsat()
        .arg("--db")
        .arg(&path)
        .args(["report", "pipeline", "--format", "csv"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(csv.contains("New,2,3160.00,316.00"), "{csv}");
    let mut ws = open(&path);

    // A new rate changes every total at once, and undo brings the old one back.
    let mut currency = ws.currency(eur).unwrap().clone();
    currency.rate = dec("1.1");
    let mut undo = UndoStack::default();
    undo.run(
        &mut ws,
        Command::Change(Box::new(Change::put(Record::Currency(currency)))),
        String::new(),
    )
    .unwrap();
    assert_eq!(ws.stage_totals(new).expected, dec("3200.00"));
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.stage_totals(new).expected, dec("3160.00"));

    // An unknown currency on a deal, a duplicate code, and deleting a currency in use are refused.
    let mut opp = ws.opportunity(euro).unwrap().clone();
    opp.currency = "GBP".into();
    let err = ws
        .apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Currency: refers to a record that does not exist"
    );
    let dup = put(
        &mut ws,
        Record::Currency(Currency {
            id: 0,
            code: "eur".into(),
            name: String::new(),
            rate: dec("1"),
            rate_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            active: true,
        }),
    );
    assert_eq!(dup.unwrap_err(), "Code: “EUR” is already taken");
    let err = ws
        .apply(Command::Change(Box::new(Change {
            remove: vec![(EntityKind::Currency, eur)],
            ..Change::default()
        })))
        .unwrap_err();
    assert_eq!(err.to_string(), "Currency: is still in use (1 record)");
}
