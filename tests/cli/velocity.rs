//! Time in stage and sales velocity on six deals moved on chosen days, every figure worked out
//! by hand in the comments, read through the real binary's `report velocity`.

use std::path::Path;

use chrono::Utc;
use forsat_core::domain::Id;
use serde_json::{Value, json};

use super::forsat;
use super::velocity_fixture::{day, fixture};

/// The JSON the binary prints for `args`, which must succeed.
fn report(db: &Path, args: &[&str]) -> Value {
    let (code, out, err) = forsat(db, args);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Days from `from` to the day the binary ran (its clock is the real one).
fn days_to_today(from: &str) -> i64 {
    (Utc::now().date_naive() - day(from)).num_days()
}

/// A deal's stages and days, as JSON lists them.
fn stages(pairs: &[(&str, i64)]) -> Value {
    pairs
        .iter()
        .map(|(stage, days)| json!({ "stage": stage, "days": days }))
        .collect()
}

#[test]
fn each_deals_days_in_its_stages_add_up_to_its_age() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let d = fixture(&db);
    let json = report(
        &db,
        &["report", "velocity", "--by", "deal", "--format", "json"],
    );
    let rows = json["rows"].as_array().unwrap();
    let deal = |id: Id| rows.iter().find(|r| r["id"] == json!(id)).unwrap();
    // Closed deals end on the day they closed (see the fixture's table).
    for (id, created, until, age, per_stage) in [
        (
            d.alborz,
            "2026-01-01",
            "2026-02-10",
            40,
            stages(&[("New", 10), ("Qualified", 20), ("Proposition", 10)]),
        ),
        (
            d.bandar,
            "2026-02-01",
            "2026-03-03",
            30,
            stages(&[("New", 4), ("Proposition", 26)]),
        ),
        (
            d.soleil,
            "2026-03-01",
            "2026-04-06",
            36,
            stages(&[("New", 6), ("Qualified", 30)]),
        ),
        (
            d.fars,
            "2026-04-01",
            "2026-05-20",
            49,
            stages(&[("New", 9), ("Qualified", 40)]),
        ),
    ] {
        let row = deal(id);
        assert_eq!(row["created"], created);
        assert_eq!(row["until"], until);
        assert_eq!(row["age_days"], age);
        assert_eq!(row["stages"], per_stage, "deal {id}");
    }
    // Open deals run to today: Dena 20 days in New, then Qualified from 10-21 on; Elbrus in
    // New since 11-02. Each adds up to its age.
    let dena = deal(d.dena);
    assert_eq!(dena["age_days"], days_to_today("2026-10-01"));
    let in_qualified = days_to_today("2026-10-21");
    assert_eq!(
        dena["stages"],
        stages(&[("New", 20), ("Qualified", in_qualified)])
    );
    let elbrus = deal(d.elbrus);
    let age = days_to_today("2026-11-02");
    assert_eq!(elbrus["age_days"], age);
    assert_eq!(elbrus["stages"], stages(&[("New", age)]));
    for row in rows {
        let sum: i64 = (row["stages"].as_array().unwrap().iter())
            .map(|s| s["days"].as_i64().unwrap())
            .sum();
        assert_eq!(json!(sum), row["age_days"]);
    }
}

#[test]
fn stage_medians_percentiles_and_velocity_match_the_hand_computed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    fixture(&db);
    let json = report(&db, &["report", "velocity", "--format", "json"]);
    // New: left by Alborz 10, Bandar 4, Soleil 6, Fars 9 (4 + 5), Dena 20: sorted 4 6 9 10 20,
    // median 9. The 75th percentile (Hyndman & Fan 8): h = (5 + 1/3) × 0.75 + 1/3 = 4.3333,
    // x4 + 0.3333 × (x5 − x4) = 10 + 0.3333 × 10 = 13.3. In it now: Elbrus, since 11-02.
    // Qualified: left by Alborz 20, Soleil 30, Fars 40 (10 + 30); Bandar skipped it. Median
    // 30; h = (3 + 1/3) × 0.75 + 1/3 = 2.8333: 30 + 0.8333 × 10 = 38.3. Now: Dena, since 10-21.
    // Proposition: left by Alborz 10 and Bandar 26, median (10 + 26) / 2 = 18; h = (2 + 1/3) ×
    // 0.75 + 1/3 = 2.0833 ≥ 2, so the largest: 26. Nobody in it now.
    let elbrus = days_to_today("2026-11-02");
    let dena = days_to_today("2026-10-21");
    assert_eq!(
        json["rows"],
        json!([
            { "stage": "New", "left": 5, "median_days": 9.0, "p75_days": 13.3, "now": 1,
              "now_median_days": elbrus as f64 },
            { "stage": "Qualified", "left": 3, "median_days": 30.0, "p75_days": 38.3, "now": 1,
              "now_median_days": dena as f64 },
            { "stage": "Proposition", "left": 2, "median_days": 18.0, "p75_days": 26.0,
              "now": 0, "now_median_days": null },
        ])
    );
    // Open: Dena and Elbrus, 2. Won: Alborz, Bandar, Fars; lost: Soleil: win rate 3 / 4 =
    // 0.75. Average won (1000 + 3000 + 5000) / 3 = 3000. Cycle (40 + 30 + 49) / 3 = 119 / 3 =
    // 39.67 days. Velocity 2 × 0.75 × 3000 / (119 / 3) = 13500 / 119 = 113.45 a day.
    assert_eq!(
        json["velocity"],
        json!({
            "open_deals": 2, "won": 3, "lost": 1, "win_rate": 0.75, "average_won": "3000.00",
            "average_cycle_days": 39.67, "per_day": "113.45", "missing": null
        })
    );
    // Closed from 2026-03-01 on: Bandar (03-03) and Fars (05-20) won, Soleil (04-06) lost;
    // Alborz (02-10) is before. Win rate 2 / 3 = 0.6667; average won (3000 + 5000) / 2 = 4000;
    // cycle (30 + 49) / 2 = 39.5; velocity 2 × (2/3) × 4000 / 39.5 = 32000 / 237 = 135.02.
    let since_march = report(
        &db,
        &[
            "report",
            "velocity",
            "--from",
            "2026-03-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        since_march["velocity"],
        json!({
            "open_deals": 2, "won": 2, "lost": 1, "win_rate": 0.6667, "average_won": "4000.00",
            "average_cycle_days": 39.5, "per_day": "135.02", "missing": null
        })
    );
    // Time in stage is over every deal of the scope, whatever the closing period.
    assert_eq!(since_march["rows"], json["rows"]);
}

#[test]
fn the_velocity_says_what_it_needs_when_it_cannot_be_worked_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    fixture(&db);
    // Closed after May: nothing won or lost, so no win rate.
    let json = report(
        &db,
        &[
            "report",
            "velocity",
            "--from",
            "2026-06-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(json["velocity"]["missing"], "no_closed_deals");
    assert_eq!(json["velocity"]["per_day"], Value::Null);
    assert_eq!(json["velocity"]["win_rate"], Value::Null);
    // Closed in April: only Soleil, lost: a win rate of 0, but no won deal to measure.
    let april = ["--from", "2026-04-01", "--to", "2026-04-30"];
    let json = report(
        &db,
        &[&["report", "velocity"][..], &april, &["--format", "json"]].concat(),
    );
    assert_eq!(json["velocity"]["missing"], "no_won_deals");
    assert_eq!(json["velocity"]["win_rate"], 0.0);
    assert_eq!(json["velocity"]["average_cycle_days"], Value::Null);
    // CSV says it in the velocity's row, a figure a row.
    let (code, csv, _) = forsat(
        &db,
        &[&["report", "velocity"][..], &april, &["--format", "csv"]].concat(),
    );
    assert_eq!(code, Some(0));
    assert!(csv.starts_with("figure,stage,deals,value\r\n"), "{csv}");
    assert!(csv.contains("median_days,New,5,9\r\n"), "{csv}");
    assert!(csv.contains("win_rate,,1,0\r\n"), "{csv}");
    assert!(csv.contains("velocity_per_day,,,no_won_deals\r\n"), "{csv}");
    // Every pipeline at once has no stages to follow.
    let (code, _, err) = forsat(&db, &["report", "velocity", "--pipeline", "all"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("follows one pipeline"), "{err}");
}

#[test]
fn an_empty_file_measures_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let json = report(&db, &["report", "velocity", "--format", "json"]);
    for row in json["rows"].as_array().unwrap() {
        assert_eq!((&row["left"], &row["now"]), (&json!(0), &json!(0)));
        assert_eq!(row["median_days"], Value::Null);
    }
    assert_eq!(json["velocity"]["open_deals"], 0);
    assert_eq!(json["velocity"]["missing"], "no_closed_deals");
}
