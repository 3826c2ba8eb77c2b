//! The week and month calendars as a person uses them: an activity dragged to another hour,
//! day or the strip of the day's untimed ones moves there in one change, which Undo takes
//! back; in Persian the week runs from Saturday, on the right.

use chrono::{NaiveDate, NaiveTime};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Language, Record};
use forsat_ui::App;

use crate::board::drag;
use crate::{Fixture, deal, harness, label};

/// Height of an hour in the week's grid (the window's points).
const HOUR: f32 = 44.0;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// An activity to plan: summary, day of November, hour and minute (none: untimed).
type Planned<'a> = (&'a str, u32, Option<(u32, u32)>);

/// The fixture (today 22 November, a Sunday) with these activities on the Nordwind deal:
/// summary, day, time (none: untimed).
fn with_activities(fixture: &Fixture, planned: &[Planned]) {
    let mut ws = fixture.reopen();
    let id = deal(&ws, "Nordwind – fleet renewal").id;
    for (summary, d, time) in planned {
        let activity = Activity {
            time: time.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
            minutes: 30,
            ..Activity::planned(
                ActivityKind::Call,
                (*summary).into(),
                day(*d),
                ActivityLink::Opportunity(id),
            )
        };
        let change = Change::put(Record::Activity(activity));
        ws.apply(Command::Change(Box::new(change))).unwrap();
    }
}

/// The window on the Activities view, showing `page` ("Week" or "Month").
fn calendar(fixture: &Fixture, page: &str) -> Harness<'static, App> {
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Activities").click();
    harness.run();
    harness.get_by_label(page).click();
    harness.run();
    harness
}

/// Where an activity is drawn, found by the name it is read by (`Edit activity {summary}`).
fn drawn(harness: &Harness<'static, App>, name: &str) -> egui::Rect {
    harness.get_by_role_and_label(Role::Button, name).rect()
}

/// Where an activity is drawn in English.
fn chip(harness: &Harness<'static, App>, summary: &str) -> egui::Rect {
    drawn(harness, &format!("Edit activity {summary}"))
}

/// The activity called `summary`: its day and time.
fn when(harness: &Harness<'static, App>, summary: &str) -> (NaiveDate, Option<NaiveTime>) {
    let ws = harness.state().workspace().unwrap();
    let a = ws.activities().find(|a| a.summary == summary).unwrap();
    (a.due, a.time)
}

fn at(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

#[test]
fn an_activity_dragged_to_another_day_and_hour_moves_in_one_undoable_change() {
    let fixture = Fixture::two_deals();
    let planned = [
        ("Call about the fleet", 20, Some((10, 0))),
        ("Visit the depot", 18, Some((15, 0))),
        ("Send the offer", 17, None),
    ];
    with_activities(&fixture, &planned);
    let mut harness = calendar(&fixture, "Week");
    let depot = chip(&harness, "Visit the depot");
    // Held by its middle (a quarter hour below its start), let go two hours below the
    // depot visit's middle: Wednesday 17:00.
    let target = depot.center() + egui::vec2(0.0, 2.0 * HOUR);
    let fleet = chip(&harness, "Call about the fleet").center();
    drag(&mut harness, fleet, target);
    assert_eq!(when(&harness, "Call about the fleet"), (day(18), at(17, 0)));
    let moved = chip(&harness, "Call about the fleet");
    assert!(
        (moved.center().x - depot.center().x).abs() < 1.0,
        "in Wednesday's column"
    );
    // One change: Undo puts it back where it was, and says what it took back.
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(when(&harness, "Call about the fleet"), (day(20), at(10, 0)));
    label(
        &harness,
        "Undid: moved Call about the fleet to 2026-11-18 17:00–17:30",
    );
    // Onto the strip of Tuesday's untimed activities: due Tuesday, without a time.
    let strip = chip(&harness, "Send the offer").center();
    let fleet = chip(&harness, "Call about the fleet").center();
    drag(&mut harness, fleet, strip);
    assert_eq!(when(&harness, "Call about the fleet"), (day(17), None));
    // A click (no drag) opens the editor.
    harness
        .get_by_role_and_label(Role::Button, "Edit activity Visit the depot")
        .click();
    harness.run();
    label(&harness, "Edit activity");
}

#[test]
fn a_month_day_takes_a_dragged_activity_keeping_its_time_and_the_weeks_page() {
    let fixture = Fixture::two_deals();
    let planned = [
        ("Call about the fleet", 20, Some((10, 0))),
        ("Visit the depot", 3, Some((15, 0))),
    ];
    with_activities(&fixture, &planned);
    let mut harness = calendar(&fixture, "Month");
    label(&harness, "November 2026");
    let depot = chip(&harness, "Visit the depot").center();
    let fleet = chip(&harness, "Call about the fleet").center();
    drag(&mut harness, fleet, depot);
    assert_eq!(when(&harness, "Call about the fleet"), (day(3), at(10, 0)));
    // The arrows page through the months, Today comes back.
    harness.get_by_label("Next month").click();
    harness.run();
    label(&harness, "December 2026");
    assert!(
        harness
            .query_by_label("Edit activity Visit the depot")
            .is_none()
    );
    harness.get_by_label("Today").click();
    harness.run();
    label(&harness, "November 2026");
    // The search narrows the calendar too.
    crate::type_into(&mut harness, "Search activities", "depot");
    assert!(
        harness
            .query_by_label("Edit activity Call about the fleet")
            .is_none()
    );
    chip(&harness, "Visit the depot");
}

#[test]
fn a_persian_week_runs_from_saturday_on_the_right() {
    let fixture = Fixture::two_deals();
    let planned = [
        ("Friday call", 20, Some((9, 0))),
        ("Saturday call", 21, Some((9, 0))),
        ("Sunday call", 22, Some((9, 0))),
    ];
    with_activities(&fixture, &planned);
    fixture.with_language(Language::Persian);
    let mut harness = harness(&fixture.path);
    harness.get_by_label("فعالیت‌ها").click();
    harness.run();
    harness.get_by_label("هفته").click();
    harness.run();
    let saturday = drawn(&harness, "ویرایش فعالیت Saturday call");
    let sunday = drawn(&harness, "ویرایش فعالیت Sunday call");
    assert!(
        saturday.center().x > sunday.center().x,
        "Saturday first, on the right"
    );
    let width = harness.ctx.content_rect().width();
    assert!(
        saturday.center().x > width * 0.75,
        "in the week's first column"
    );
    // Today's week (Sunday 22 November) starts on Saturday the 21st: Friday the 20th ended
    // the week before.
    assert!(
        harness
            .query_by_label("ویرایش فعالیت Friday call")
            .is_none()
    );
}

/// The file at `path` once the window (writing it on a thread of its own) has made it other
/// than `before`.
fn written(harness: &mut Harness<'static, App>, path: &std::path::Path, before: &str) -> String {
    for _ in 0..200 {
        harness.run();
        let now = std::fs::read_to_string(path).unwrap_or_default();
        if !now.is_empty() && now != before {
            return now;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("{} was not written", path.display());
}

#[test]
fn the_settings_calendar_file_is_written_again_after_a_drag_and_a_foreign_file_is_kept() {
    let fixture = Fixture::two_deals();
    with_activities(&fixture, &[("Call about the fleet", 20, Some((10, 0)))]);
    let mut harness = harness(&fixture.path);
    let press = |harness: &mut Harness<'static, App>, name: &str| {
        harness.get_by_role_and_label(Role::Button, name).click();
        harness.run();
    };
    press(&mut harness, "Settings");
    press(&mut harness, "General");
    // A file of the user's own is not taken.
    let mine = fixture.path.with_file_name("mine.ics");
    std::fs::write(&mine, "my own notes").unwrap();
    crate::retype(&mut harness, "Path", mine.to_str().unwrap());
    press(&mut harness, "Keep this file up to date");
    assert!(crate::has_label(&harness, "is not a calendar Forsat wrote"));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "my own notes");
    let kept = fixture.path.with_file_name("subscribed.ics");
    crate::retype(&mut harness, "Path", kept.to_str().unwrap());
    press(&mut harness, "Keep this file up to date");
    harness.run();
    let first = written(&mut harness, &kept, "");
    assert!(first.starts_with("BEGIN:VCALENDAR") && first.contains("SUMMARY:Call about the fleet"));
    // Dragged two hours later: the file says so at once.
    press(&mut harness, "Activities");
    press(&mut harness, "Week");
    let fleet = chip(&harness, "Call about the fleet").center();
    drag(&mut harness, fleet, fleet + egui::vec2(0.0, 2.0 * HOUR));
    harness.run();
    assert_eq!(when(&harness, "Call about the fleet"), (day(20), at(12, 0)));
    let second = written(&mut harness, &kept, &first);
    assert_ne!(first, second);
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        second,
        String::from_utf8(
            forsat_app::interchange::export(
                ws,
                forsat_app::interchange::Kind::Activities,
                forsat_app::interchange::Format::Ics
            )
            .unwrap()
        )
        .unwrap()
    );
    press(&mut harness, "Settings");
    press(&mut harness, "Stop keeping it");
    assert!(
        harness
            .state()
            .workspace()
            .unwrap()
            .calendar_file()
            .is_none()
    );
}
