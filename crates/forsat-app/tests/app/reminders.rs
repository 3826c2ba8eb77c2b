//! Reminders: an activity at a time is said once when its time comes, one that came while no
//! window was open is said at the next start, and neither is said again after a restart.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Id, Record};

use crate::{create, open};

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
}

/// Plans `summary` on `deal` at `time` today (untimed with None), done or not.
fn plan(ws: &mut Workspace, deal: Id, summary: &str, time: Option<(u32, u32)>, done: bool) {
    let activity = Activity {
        time: time.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
        done,
        ..Activity::planned(
            ActivityKind::Call,
            summary.into(),
            at(0, 0).date(),
            ActivityLink::Opportunity(deal),
        )
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
        activity,
    )))))
    .unwrap();
}

fn due(ws: &Workspace, now: NaiveDateTime) -> Vec<String> {
    ws.reminders_due(now)
        .into_iter()
        .map(|a| a.summary.clone())
        .collect()
}

#[test]
fn each_activity_is_reminded_once_and_none_is_lost_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let deal = create(&mut ws, "Pars Data", "Pars Data – renewal", "5000");
    let gone = create(&mut ws, "Kavir Steel", "Kavir Steel – racks", "100");
    plan(&mut ws, deal, "Before reminders began", Some((8, 0)), false);
    plan(&mut ws, deal, "Call Sara", Some((9, 30)), false);
    plan(&mut ws, deal, "Already done", Some((9, 40)), true);
    plan(&mut ws, deal, "No time of day", None, false);
    plan(
        &mut ws,
        gone,
        "Of a deal in the trash",
        Some((9, 45)),
        false,
    );
    ws.apply(Command::Trash { ids: vec![gone] }).unwrap();
    // A file that never reminded says nothing of what came before.
    assert!(due(&ws, at(9, 0)).is_empty());
    ws.remind_from(at(9, 0)).unwrap();
    assert!(due(&ws, at(9, 20)).is_empty());
    assert_eq!(due(&ws, at(9, 50)), ["Call Sara"]);
    ws.reminded_through(at(9, 50)).unwrap();
    assert!(due(&ws, at(9, 55)).is_empty(), "once");
    // Due while no window is open: said at the next start, and only it.
    plan(&mut ws, deal, "Send the offer", Some((10, 30)), false);
    drop(ws);
    let mut ws = open(&path);
    ws.remind_from(at(11, 0)).unwrap();
    assert_eq!(due(&ws, at(11, 0)), ["Send the offer"]);
    ws.reminded_through(at(11, 0)).unwrap();
    drop(ws);
    let ws = open(&path);
    assert!(due(&ws, at(11, 5)).is_empty(), "not again after a restart");
}
