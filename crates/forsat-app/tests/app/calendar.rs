//! Activities as an iCalendar file: read back by calcard (which wrote it) and by a second,
//! independent parser (the `ical` crate), with the events and to-dos expected; the UIDs stay
//! the same from one export to the next.

use chrono::{Local, NaiveDate, NaiveTime, TimeZone as _, Utc};
use forsat_app::interchange::{self, Format, Kind};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Id, Record};

use crate::{create, open};

fn put(ws: &mut Workspace, activity: Activity) {
    ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
        activity,
    )))))
    .unwrap();
}

/// A deal with a timed meeting (90 minutes), an untimed call, a done task, and an account's
/// untimed email with notes full of the characters iCalendar escapes.
fn planned(ws: &mut Workspace) -> Id {
    let deal = create(ws, "Pars Data", "Pars Data – جلسهٔ قرارداد", "5000");
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let on_deal = ActivityLink::Opportunity(deal);
    put(
        ws,
        Activity {
            time: NaiveTime::from_hms_opt(14, 30, 0),
            minutes: 90,
            ..Activity::planned(
                ActivityKind::Meeting,
                "Contract meeting".into(),
                day(24),
                on_deal,
            )
        },
    );
    put(
        ws,
        Activity::planned(ActivityKind::Call, "تماس پیگیری".into(), day(25), on_deal),
    );
    put(
        ws,
        Activity {
            done: true,
            ..Activity::planned(
                ActivityKind::Task,
                "Send the offer".into(),
                day(20),
                on_deal,
            )
        },
    );
    let account = ws.opportunity(deal).unwrap().account;
    put(
        ws,
        Activity {
            notes: "Budget: 5,000; ask about the \\ share\nSecond line".into(),
            ..Activity::planned(
                ActivityKind::Email,
                "Renewal, first notice".into(),
                day(30),
                ActivityLink::Account(account),
            )
        },
    );
    deal
}

fn ics(ws: &Workspace) -> String {
    String::from_utf8(interchange::export(ws, Kind::Activities, Format::Ics).unwrap()).unwrap()
}

/// 14:30 on 24 November 2026 on this system's clock, in UTC as the file writes it.
fn meeting_start_utc() -> String {
    let local = NaiveDate::from_ymd_opt(2026, 11, 24)
        .unwrap()
        .and_hms_opt(14, 30, 0)
        .unwrap();
    Local
        .from_local_datetime(&local)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

#[test]
fn activities_are_written_as_events_and_to_dos_that_two_parsers_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    planned(&mut ws);
    let text = ics(&ws);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );

    // calcard, which wrote it.
    let calendar = calcard::icalendar::ICalendar::parse(&text).unwrap();
    let kinds: Vec<String> = calendar
        .components
        .iter()
        .map(|c| c.component_type.as_str().to_owned())
        .collect();
    assert_eq!(kinds, ["VCALENDAR", "VEVENT", "VTODO", "VTODO", "VTODO"]);
    let uids: Vec<String> = ws.activities().map(|a| a.uid.clone()).collect();
    let parsed_uids: Vec<&str> = calendar.uids().collect();
    assert_eq!(
        parsed_uids,
        uids.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(uids.iter().all(|u| u.ends_with("@forsat")));

    // `ical`, a parser of its own.
    let parsed = ical::IcalParser::new(text.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(parsed.events.len(), 1);
    let meeting = &parsed.events[0].properties;
    assert_eq!(prop(meeting, "SUMMARY"), "Contract meeting");
    assert_eq!(prop(meeting, "DTSTART"), meeting_start_utc());
    let end =
        chrono::NaiveDateTime::parse_from_str(&prop(meeting, "DTEND"), "%Y%m%dT%H%M%SZ").unwrap();
    let start =
        chrono::NaiveDateTime::parse_from_str(&meeting_start_utc(), "%Y%m%dT%H%M%SZ").unwrap();
    assert_eq!(end - start, chrono::Duration::minutes(90));
    assert_eq!(prop(meeting, "CATEGORIES"), "Meeting");
    let described = prop(meeting, "DESCRIPTION");
    assert!(
        described.contains("Pars Data – جلسهٔ قرارداد"),
        "{described}"
    );

    let todos: Vec<(String, String, String)> = parsed
        .todos
        .iter()
        .map(|t| {
            (
                prop(&t.properties, "SUMMARY"),
                prop(&t.properties, "DUE"),
                prop(&t.properties, "STATUS"),
            )
        })
        .collect();
    assert_eq!(
        todos,
        [
            (
                "تماس پیگیری".into(),
                "20261125".into(),
                "NEEDS-ACTION".into()
            ),
            (
                "Send the offer".into(),
                "20261120".into(),
                "COMPLETED".into()
            ),
            (
                "Renewal\\, first notice".into(),
                "20261130".into(),
                "NEEDS-ACTION".into()
            ),
        ]
    );
    // The notes, escaped on the way out, read back as typed through calcard.
    let email = &calendar.components[4];
    let notes = email
        .property(&calcard::icalendar::ICalendarProperty::Description)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_text())
        .unwrap();
    assert!(
        notes.ends_with("Budget: 5,000; ask about the \\ share\nSecond line"),
        "{notes}"
    );
}

#[test]
fn exporting_again_keeps_every_uid_and_a_reopened_file_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let deal = planned(&mut ws);
    let uids = |text: &str| -> Vec<String> {
        calcard::icalendar::ICalendar::parse(text)
            .unwrap()
            .uids()
            .map(str::to_owned)
            .collect()
    };
    let first = uids(&ics(&ws));
    // An edit changes the event, not its UID.
    let mut meeting = ws.activities().next().unwrap().clone();
    meeting.summary = "Contract meeting (moved)".into();
    put(&mut ws, meeting);
    drop(ws);
    let ws = open(&path);
    assert_eq!(uids(&ics(&ws)), first);
    // The deal's own activities, as the list's selection exports them: not the account's.
    let of_deal = String::from_utf8(
        interchange::export_filtered(&ws, Kind::Activities, &[deal], Format::Ics).unwrap(),
    )
    .unwrap();
    assert_eq!(uids(&of_deal), first[..3]);
    // Other kinds are refused in this format, with a message.
    let refused = interchange::export(&ws, Kind::Opportunities, Format::Ics).unwrap_err();
    assert!(refused.to_string().contains("Only activities"), "{refused}");
}
