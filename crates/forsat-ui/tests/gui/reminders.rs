//! Reminders in the window: an activity whose time comes while it is open is said in the
//! status bar once; one whose time came while it was closed is said when it opens again.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{Local, NaiveDate, NaiveTime, TimeZone as _, Utc};
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Record};

use crate::{Fixture, deal, harness_at, has_label};

/// A clock the test moves: seconds since the epoch.
fn movable(start: i64) -> (Arc<AtomicI64>, forsat_app::workspace::Clock) {
    let now = Arc::new(AtomicI64::new(start));
    let read = now.clone();
    let clock = Arc::new(move || Utc.timestamp_opt(read.load(Ordering::SeqCst), 0).unwrap());
    (now, clock)
}

/// 22 November 2026 at `h:m` on this system's clock, in seconds since the epoch.
fn local(h: u32, m: u32) -> i64 {
    let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    Local
        .from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap())
        .earliest()
        .unwrap()
        .timestamp()
}

fn plan(fixture: &Fixture, summary: &str, h: u32, m: u32) {
    let mut ws = fixture.reopen();
    let id = deal(&ws, "Nordwind – fleet renewal").id;
    let activity = Activity {
        time: NaiveTime::from_hms_opt(h, m, 0),
        ..Activity::planned(
            ActivityKind::Call,
            summary.into(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            ActivityLink::Opportunity(id),
        )
    };
    let change = Change::put(Record::Activity(activity));
    ws.apply(Command::Change(Box::new(change))).unwrap();
}

#[test]
fn an_activity_is_said_when_its_time_comes_and_once_more_never() {
    let fixture = Fixture::two_deals();
    plan(&fixture, "Call about the fleet", 10, 0);
    let (now, clock) = movable(local(9, 30));
    let mut harness = harness_at(&fixture.path, clock.clone());
    assert!(!has_label(&harness, "activity due"));
    now.store(local(10, 1), Ordering::SeqCst);
    harness.run();
    let said = "1 activity due: 2026-11-22 10:00 — Call about the fleet (Nordwind – fleet renewal)";
    assert!(has_label(&harness, said));
    // It stays while the user works (a change says "Saved." in the status bar) until dismissed.
    harness.get_by_label("Activities").click();
    harness.run();
    harness
        .get_by_label("Mark “Call about the fleet” done")
        .click();
    harness.run();
    harness.get_by_label("Not now").click();
    harness.run();
    assert!(has_label(&harness, said));
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(!has_label(&harness, said));
    drop(harness);
    // Its time came before this start: not said again. One whose time came while the window
    // was closed is said as it opens.
    plan(&fixture, "Send the offer", 10, 30);
    now.store(local(11, 0), Ordering::SeqCst);
    let harness = harness_at(&fixture.path, clock);
    assert!(has_label(
        &harness,
        "1 activity due: 2026-11-22 10:30 — Send the offer"
    ));
    assert!(!has_label(&harness, "Call about the fleet ("));
}
