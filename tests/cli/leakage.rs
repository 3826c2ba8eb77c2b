//! The sales leakage as a sales manager reads it, through the real binary: per stage the deals
//! stuck past its expected days, the causes of its losses, and the stage to review. Figures are
//! worked out by hand in the comments.

use std::fmt::Write as _;

use chrono::{Days, Utc};
use forsat_core::command::{Change, Command};
use forsat_core::domain::Record;
use serde_json::{Value, json};

use super::{forsat, open, stage};

/// A moment `days` before now, as a Forsat file writes it: the binary measures time in a stage
/// from the machine's clock, so the fixture is dated from it too.
fn days_ago(days: u64) -> String {
    (Utc::now() - Days::new(days))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Gives stage `name` of the default pipeline `days` expected days (its stale threshold).
fn expect_days(ws: &mut forsat_app::workspace::Workspace, name: &str, days: u32) {
    let mut s = ws.stage(stage(ws, name)).unwrap().clone();
    s.rotting_days = Some(days);
    let change = Change::put(Record::Stage(s));
    ws.apply(Command::Change(Box::new(change))).unwrap();
}

/// Eleven deals, all created 90 days ago, in a Forsat file with the stage each closed deal
/// closed from: (name, stage, amount, loss reason, competitor, days in its stage, closed from).
const DEALS: [(&str, &str, u32, &str, &str, u64, &str); 11] = [
    ("Atlas – kiosks", "New", 1000, "", "", 40, ""),
    ("Bosphorus – racks", "Qualified", 2000, "", "", 30, ""),
    ("Caspian – lockers", "Qualified", 500, "", "", 3, ""),
    ("Darya – scanners", "Proposition", 4000, "", "", 25, ""),
    ("Elbrus – tablets", "Proposition", 3000, "", "", 5, ""),
    (
        "Fanavari – servers",
        "Lost",
        6000,
        "Too expensive",
        "Rival Systems",
        20,
        "Proposition",
    ),
    (
        "Golestan – cloud",
        "Lost",
        3000,
        "Too expensive",
        "",
        20,
        "Proposition",
    ),
    (
        "Hormoz – POS",
        "Lost",
        1000,
        "Timing",
        "Rival Systems",
        20,
        "Proposition",
    ),
    ("Ilam – support", "Lost", 800, "Timing", "", 20, "Qualified"),
    ("Jolfa – audit", "Lost", 200, "", "", 20, "New"),
    ("Kish – rollout", "Won", 5000, "", "", 20, "Proposition"),
];

fn file() -> String {
    let mut csv = String::from(
        "name,account,stage,amount,loss_reason,competitor,created,stage_entered,closed_from\r\n",
    );
    for (name, stage, amount, reason, competitor, days, from) in DEALS {
        let account = name.split(" – ").next().unwrap();
        let (created, entered) = (days_ago(90), days_ago(days));
        write!(
            csv,
            "{name},{account},{stage},{amount},{reason},{competitor},{created},{entered},{from}\r\n"
        )
        .unwrap();
    }
    csv
}

fn cause(key: &str, lost: u64, amount: &str, share: f64) -> Value {
    json!({ "key": key, "lost": lost, "lost_amount": amount, "share": share })
}

#[test]
fn the_leakage_names_stuck_deals_the_causes_of_losses_and_the_stage_to_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let mut ws = open(&db);
    forsat_app::interchange::import(&mut ws, file().as_bytes(), &Default::default()).unwrap();
    // New has no expected days; Qualified 14, Proposition 10.
    expect_days(&mut ws, "Qualified", 14);
    expect_days(&mut ws, "Proposition", 10);
    drop(ws);

    let (code, out, err) = forsat(&db, &["report", "leakage", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let rows = report["rows"].as_array().unwrap();
    // Reached (an import's deals passed the open stages before theirs; a closed one the stage
    // it closed from and those before): New all 11; Qualified all but Atlas and Jolfa, 9;
    // Proposition Darya Elbrus Fanavari Golestan Hormoz Kish, 6.
    // Went further: from New 9 (not Atlas, open there, nor Jolfa, lost there): 9/11 = 0.8182;
    // from Qualified Darya Elbrus Fanavari Golestan Hormoz Kish, 6/9 = 0.6667; from
    // Proposition Kish, won, 1/6 = 0.1667.
    // Lost from: New Jolfa 200; Qualified Ilam 800; Proposition Fanavari Golestan Hormoz
    // 6000 + 3000 + 1000 = 10000. Open now: New Atlas; Qualified Bosphorus Caspian;
    // Proposition Darya Elbrus.
    // Stuck: New has no expected days, so it is not measured (null, not 0). Qualified (14
    // days): Bosphorus 30 days, 2000; Caspian 3 days is not. Proposition (10 days): Darya 25
    // days, 4000; Elbrus 5 days is not.
    // Causes: Jolfa names neither; Ilam Timing; from Proposition Too expensive 2 of 3
    // (6000 + 3000 = 9000), Timing 1 (1000); Rival Systems 2 of 3 (6000 + 1000 = 7000),
    // none named 1 (Golestan, 3000). 2/3 = 0.6667, 1/3 = 0.3333.
    // Review: lost + stuck amount per stage: New 200; Qualified 800 + 2000 = 2800;
    // Proposition 10000 + 4000 = 14000, the largest.
    assert_eq!(
        rows[0],
        json!({"stage": "New", "entered": 11, "advanced": 9, "lost": 1, "lost_amount": "200.00",
               "open": 1, "conversion_to_next": 0.8182,
               "stuck_after_days": null, "stuck": null, "stuck_amount": null,
               "lost_by_reason": [cause("none", 1, "200.00", 1.0)],
               "lost_by_competitor": [cause("none", 1, "200.00", 1.0)],
               "needs_review": false})
    );
    assert_eq!(
        rows[1],
        json!({"stage": "Qualified", "entered": 9, "advanced": 6, "lost": 1,
               "lost_amount": "800.00", "open": 2, "conversion_to_next": 0.6667,
               "stuck_after_days": 14, "stuck": 1, "stuck_amount": "2000.00",
               "lost_by_reason": [cause("Timing", 1, "800.00", 1.0)],
               "lost_by_competitor": [cause("none", 1, "800.00", 1.0)],
               "needs_review": false})
    );
    assert_eq!(
        rows[2],
        json!({"stage": "Proposition", "entered": 6, "advanced": 1, "lost": 3,
               "lost_amount": "10000.00", "open": 2, "conversion_to_next": 0.1667,
               "stuck_after_days": 10, "stuck": 1, "stuck_amount": "4000.00",
               "lost_by_reason": [cause("Too expensive", 2, "9000.00", 0.6667),
                                  cause("Timing", 1, "1000.00", 0.3333)],
               "lost_by_competitor": [cause("Rival Systems", 2, "7000.00", 0.6667),
                                      cause("none", 1, "3000.00", 0.3333)],
               "needs_review": true})
    );
    assert_eq!(report["review"], "Proposition");
    let verdict = "Review Proposition: 3 deals lost ($10,000), 67 % Too expensive, \
                   67 % to Rival Systems; 1 deal stuck past 10 days ($4,000).";
    assert_eq!(report["verdict"], verdict);

    // The same in CSV, new columns after the old, and under the table.
    let (_, csv, _) = forsat(&db, &["report", "leakage", "--format", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "stage,entered,advanced,lost,lost_amount,open,conversion_to_next,stuck_after_days,\
         stuck,stuck_amount,lost_by_reason,lost_by_competitor,needs_review"
    );
    assert_eq!(
        lines[1],
        "New,11,9,1,200.00,1,0.8182,,,,none: 1 (100%),none: 1 (100%),false"
    );
    assert_eq!(
        lines[3],
        "Proposition,6,1,3,10000.00,2,0.1667,10,1,4000.00,\
         Too expensive: 2 (66.67%); Timing: 1 (33.33%),\
         Rival Systems: 2 (66.67%); none: 1 (33.33%),true"
    );
    let (_, table, _) = forsat(&db, &["report", "leakage"]);
    assert!(table.trim_end().ends_with(verdict), "{table}");
}

#[test]
fn with_no_loss_and_nothing_stuck_the_verdict_says_so_and_what_it_could_not_measure() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let mut ws = open(&db);
    let file = format!(
        "name,account,stage,amount,created,stage_entered\r\n\
         Atlas – kiosks,Atlas,Qualified,1000,{},{}\r\n",
        days_ago(90),
        days_ago(60)
    );
    forsat_app::interchange::import(&mut ws, file.as_bytes(), &Default::default()).unwrap();
    drop(ws);
    // No stage has expected days: 60 days in Qualified is not "stuck", it is not measured.
    let (_, out, _) = forsat(&db, &["report", "leakage", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["review"], Value::Null);
    assert_eq!(
        report["verdict"],
        "Nothing to review: no deal was lost from an open stage. Stuck deals are not \
         measured: no stage has expected days (a stale threshold)."
    );
    // Qualified holds its only deal: nothing moved on or was lost from it, so its conversion
    // is not measured yet (null), where New's is: Atlas passed it, 1/1.
    let conversions: Vec<&Value> = (report["rows"].as_array().unwrap().iter())
        .map(|r| &r["conversion_to_next"])
        .collect();
    assert_eq!(conversions, [&json!(1.0), &Value::Null, &Value::Null]);

    // With expected days of 90 in Qualified, Atlas (60 days) is not stuck either.
    let mut ws = open(&db);
    expect_days(&mut ws, "Qualified", 90);
    drop(ws);
    let (_, out, _) = forsat(&db, &["report", "leakage", "--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["verdict"],
        "Nothing to review: no deal was lost from an open stage, and none is stuck past its \
         stage's expected days."
    );
    assert_eq!(report["rows"][1]["stuck"], 0);
}
