//! Activities as an iCalendar file: read back by calcard (which wrote it) and by a second,
//! independent parser (the `ical` crate), with the events and to-dos expected; the UIDs stay
//! the same from one export to the next.

use chrono::{Local, NaiveDate, NaiveTime, TimeZone as _, Utc};
use forsat_app::interchange::{self, Format, Kind};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{
    Activity, ActivityFilter, ActivityKind, ActivityLink, ActivityStatus, Id, Record,
};

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

/// An invitation as calendar apps send it: an organiser, attendees by `mailto:`, a time in UTC.
fn invitation(uid: &str, attendee: &str) -> String {
    [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        "DTSTART:20261201T070000Z",
        "DTEND:20261201T074500Z",
        "DTSTAMP:20261122T093000Z",
        "ORGANIZER;CN=Me:mailto:me@mycompany.example",
        &format!("UID:{uid}"),
        &format!("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=Sara:mailto:{attendee}"),
        "SUMMARY:Contract review",
        "DESCRIPTION:Bring the signed NDA\\, please.",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n")
}

fn contact(ws: &mut Workspace, account: Id, email: &str) -> Id {
    ws.apply(Command::Change(Box::new(Change::put(Record::Contact(
        forsat_core::domain::Contact {
            id: 0,
            account,
            name: "Sara Ahmadi".into(),
            role: "CFO".into(),
            email: email.into(),
            phone: String::new(),
            ..Default::default()
        },
    )))))
    .unwrap()
    .created
    .unwrap()
}

#[test]
fn an_invitation_plans_a_meeting_on_the_attendee_s_one_open_deal_and_again_updates_it() {
    use forsat_app::interchange::invitation;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let deal = create(&mut ws, "Pars Data", "Pars Data – contract", "5000");
    let account = ws.opportunity(deal).unwrap().account;
    let sara = contact(&mut ws, account, "sara@parsdata.example");
    let mut opp = ws.opportunity(deal).unwrap().clone();
    opp.contact = Some(sara);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();

    // The attendee's email in another case: the same person.
    let text = invitation("abc123@google.com", "Sara@ParsData.example");
    let planned = invitation::plan(&ws, "invite.ics", &text).unwrap();
    assert_eq!(
        planned.lines,
        ["Planned “Contract review” on Pars Data – contract."]
    );
    ws.apply(Command::Change(Box::new(planned.change))).unwrap();
    let meeting = ws.activities_of(ActivityLink::Opportunity(deal))[0].clone();
    let start = Utc
        .with_ymd_and_hms(2026, 12, 1, 7, 0, 0)
        .unwrap()
        .with_timezone(&Local);
    assert_eq!(meeting.due, start.date_naive());
    assert_eq!(meeting.time, Some(start.time()));
    assert_eq!((meeting.minutes, meeting.kind), (45, ActivityKind::Meeting));
    assert_eq!(meeting.notes, "Bring the signed NDA, please.");
    assert_eq!(meeting.uid, "abc123@google.com");

    // The same invitation again, moved an hour: the meeting moves, none is added.
    let moved = text
        .replace("T070000Z", "T080000Z")
        .replace("T074500Z", "T084500Z");
    let planned = invitation::plan(&ws, "invite.ics", &moved).unwrap();
    assert_eq!(
        planned.lines,
        ["Updated “Contract review” on Pars Data – contract."]
    );
    ws.apply(Command::Change(Box::new(planned.change))).unwrap();
    assert_eq!(ws.activities().len(), 1);
    let later = start + chrono::Duration::hours(1);
    assert_eq!(ws.activities().next().unwrap().time, Some(later.time()));

    // Forsat's own calendar file read back: every activity updated in place.
    let own = ics(&ws);
    let planned = invitation::plan(&ws, "plan.ics", &own).unwrap();
    ws.apply(Command::Change(Box::new(planned.change))).unwrap();
    assert_eq!(ws.activities().len(), 1);
    assert_eq!(
        ws.activities().next().unwrap().notes,
        "Bring the signed NDA, please."
    );

    // A second open deal with Sara: the account's, not a guess between them.
    let other = create(&mut ws, "Pars Data", "Pars Data – support", "900");
    let mut opp = ws.opportunity(other).unwrap().clone();
    opp.contact = Some(sara);
    opp.account = account;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    let planned = invitation::plan(
        &ws,
        "invite.ics",
        &invitation("new@google.com", "sara@parsdata.example"),
    )
    .unwrap();
    assert_eq!(planned.lines, ["Planned “Contract review” on Pars Data."]);
}

#[test]
fn an_invitation_nobody_is_known_by_or_a_file_that_is_none_is_refused_with_its_reason() {
    use forsat_app::interchange::invitation;
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("crm.redb"));
    let refused = invitation::plan(
        &ws,
        "invite.ics",
        &invitation("x@google.com", "nobody@else.example"),
    )
    .unwrap_err();
    assert!(
        refused.contains("Event 1 of invite.ics (“Contract review”)"),
        "{refused}"
    );
    assert!(
        refused.contains("nobody@else.example, me@mycompany.example"),
        "{refused}"
    );
    let refused = invitation::plan(&ws, "notes.ics", "Dear Sara, see you Monday.").unwrap_err();
    assert!(refused.starts_with("notes.ics"), "{refused}");
    // A line calcard cannot read is named by its number; a vCard is named as one.
    let refused =
        invitation::plan(&ws, "notes.ics", "\r\nDear Sara,\r\nsee you Monday.").unwrap_err();
    assert!(
        refused.contains("line 2: “Dear Sara,” cannot be read"),
        "{refused}"
    );
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sara\r\nEND:VCARD\r\n";
    let refused = invitation::plan(&ws, "sara.ics", card).unwrap_err();
    assert!(
        refused.contains("it is a vCard file of contacts"),
        "{refused}"
    );
    let empty = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    let refused = invitation::plan(&ws, "empty.ics", empty).unwrap_err();
    assert_eq!(refused, "empty.ics holds no event (VEVENT).");
}

/// The activities a search lists, by id.
fn listed(ws: &Workspace, filter: &ActivityFilter) -> Vec<Id> {
    ws.listed_activities(filter)
        .into_iter()
        .map(|o| o.activity.id)
        .collect()
}

#[test]
fn a_range_of_days_lists_what_a_walk_of_every_activity_finds_after_moves_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    planned(&mut ws);
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let all = ActivityFilter {
        status: ActivityStatus::All,
        ..ActivityFilter::default()
    };
    let week = ActivityFilter {
        from: Some(day(23)),
        to: Some(day(29)),
        ..all.clone()
    };
    // What the days' index finds is what filtering every activity by day finds.
    let walked = |ws: &Workspace, from: NaiveDate, to: NaiveDate| -> Vec<Id> {
        let mut ids: Vec<(NaiveDate, Option<NaiveTime>, Id)> = ws
            .activities()
            .filter(|a| a.due >= from && a.due <= to)
            .map(|a| (a.due, a.time, a.id))
            .collect();
        ids.sort();
        ids.into_iter().map(|(.., id)| id).collect()
    };
    assert_eq!(listed(&ws, &week).len(), 2, "the meeting and the call");
    assert_eq!(listed(&ws, &week), walked(&ws, day(23), day(29)));
    // The meeting moved out of the week, then back by Undo; the call deleted.
    let meeting = ws
        .activities()
        .find(|a| a.summary == "Contract meeting")
        .unwrap()
        .clone();
    put(
        &mut ws,
        Activity {
            due: day(2),
            ..meeting
        },
    );
    assert_eq!(listed(&ws, &week).len(), 1);
    assert_eq!(listed(&ws, &week), walked(&ws, day(23), day(29)));
    let mut undo = forsat_app::workspace::UndoStack::default();
    let call = ws
        .activities()
        .find(|a| a.summary == "تماس پیگیری")
        .unwrap()
        .id;
    let remove = Change {
        remove: vec![(forsat_core::domain::EntityKind::Activity, call)],
        ..Change::default()
    };
    let command = Command::Change(Box::new(remove));
    undo.run(&mut ws, command, String::new()).unwrap();
    assert!(listed(&ws, &week).is_empty());
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(listed(&ws, &week).len(), 1);
    // A first day after the last lists nothing; one bound alone lists from or up to it.
    let backwards = ActivityFilter {
        from: Some(day(29)),
        to: Some(day(23)),
        ..all.clone()
    };
    assert!(listed(&ws, &backwards).is_empty());
    let from = ActivityFilter {
        from: Some(day(24)),
        ..all.clone()
    };
    assert_eq!(listed(&ws, &from), walked(&ws, day(24), NaiveDate::MAX));
}

/// What the keeper wrote for `ws`, once its write (when it started one) is done.
fn written(
    keeper: &mut interchange::CalendarKeeper,
    ws: &Workspace,
) -> Option<Result<(), forsat_store::files::FileError>> {
    assert!(keeper.keep(ws).is_none(), "no write was under way");
    keeper.finish()
}

/// The settings' calendar file: written when set, again after an activity changes (not after
/// another change), never onto the database; the setting is undone like any change.
#[test]
fn the_calendar_file_follows_every_change_of_an_activity() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let mut ws = open(&db);
    planned(&mut ws);
    let file = dir.path().join("subscribed.ics");
    let mut undo = forsat_app::workspace::UndoStack::default();
    let keep = Command::SetCalendarFile {
        path: Some(file.clone()),
    };
    undo.run(&mut ws, keep, String::new()).unwrap();
    let mut keeper = interchange::CalendarKeeper::default();
    assert!(matches!(written(&mut keeper, &ws), Some(Ok(()))));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), ics(&ws));
    assert!(written(&mut keeper, &ws).is_none(), "nothing new");
    // A deal changed: not written again. An activity done: written again.
    create(&mut ws, "Kavir Steel", "Kavir Steel – racks", "100");
    assert!(written(&mut keeper, &ws).is_none());
    let before = std::fs::read_to_string(&file).unwrap();
    let call = ws
        .activities()
        .find(|a| a.summary == "تماس پیگیری")
        .unwrap()
        .clone();
    put(&mut ws, Activity { done: true, ..call });
    assert!(matches!(written(&mut keeper, &ws), Some(Ok(()))));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_ne!(text, before);
    assert_eq!(text.matches("STATUS:COMPLETED").count(), 2, "{text}");
    assert_eq!(text, ics(&ws));
    // Undone: kept no more.
    undo.undo(&mut ws).unwrap().unwrap();
    assert!(ws.calendar_file().is_none());
    assert!(written(&mut keeper, &ws).is_none());
    // The database itself is refused, as by any export.
    let onto_db = Command::SetCalendarFile {
        path: Some(db.clone()),
    };
    ws.apply(onto_db).unwrap();
    assert!(matches!(
        written(&mut interchange::CalendarKeeper::default(), &ws),
        Some(Err(_))
    ));
    drop(ws);
    // Kept in the file.
    assert_eq!(open(&db).calendar_file(), Some(db.as_path()));
}
