//! Calendar invitations (.ics, read with calcard): each event becomes an activity of the
//! contact one of its attendees (or its organiser) is, by email — on that contact's open deal
//! when there is exactly one, else on the contact's account. An event whose UID an activity
//! already carries updates that activity: importing the same invitation twice, or Forsat's own
//! calendar file, never adds it twice. A file that cannot be read, or an event that matches no
//! contact, changes nothing and is named in the message.

use calcard::common::timezone::Tz;
use calcard::icalendar::dates::{CalendarEvent, TimeOrDelta};
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty, ICalendarValue, Uri,
};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeDelta};

use crate::command::Change;
use crate::domain::{
    Activity, ActivityKind, ActivityLink, Contact, MAX_ACTIVITY_MINUTES, Record, StageKind,
};
use crate::tr;
use crate::workspace::Workspace;

/// What an invitation plans: the change, and a line for each event.
#[derive(Debug)]
pub struct Planned {
    pub change: Change,
    pub lines: Vec<String>,
}

/// Reads the invitation `text` (of the file `name`) and plans its events as activities.
pub fn plan(ws: &Workspace, name: &str, text: &str) -> Result<Planned, String> {
    let calendar = ICalendar::parse(text).map_err(|entry| {
        tr!(
            "{file} is not an iCalendar file that can be read ({detail}).",
            file = name,
            detail = super::unreadable(&entry, text, 1)
        )
    })?;
    let events: Vec<(u32, &ICalendarComponent)> = (0u32..)
        .zip(&calendar.components)
        .filter(|(_, c)| c.component_type == ICalendarComponentType::VEvent)
        .collect();
    if events.is_empty() {
        return Err(tr!("{file} holds no event (VEVENT).", file = name));
    }
    // Every start and end resolved with the file's own time zones (floating times are the
    // system's clock).
    let expanded = calendar.expand_dates(Tz::Floating, 10_000);
    let mut change = Change::default();
    let mut lines = Vec::new();
    for (n, (comp_id, event)) in (1..).zip(events) {
        let text_of = |property: ICalendarProperty| {
            event
                .property(&property)
                .and_then(|e| e.values.first())
                .and_then(ICalendarValue::as_text)
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        let summary = match text_of(ICalendarProperty::Summary) {
            s if s.is_empty() => tr!("Meeting"),
            s => s,
        };
        let event_name = tr!(
            "Event {n} of {file} (“{summary}”)",
            n = n,
            file = name,
            summary = summary
        );
        let when = expanded
            .events
            .iter()
            .find(|e| e.comp_id == comp_id)
            .ok_or_else(|| {
                tr!(
                    "{event} has no start date (DTSTART) that can be read.",
                    event = event_name
                )
            })?;
        let (start, span) = timing(when, event);
        let uid = text_of(ICalendarProperty::Uid);
        let existing = (!uid.is_empty())
            .then(|| ws.activities().find(|a| a.uid == uid))
            .flatten();
        let link = link_for(ws, event, existing, &event_name)?;
        let kind = existing.map_or(ActivityKind::Meeting, |a| a.kind);
        let due: NaiveDate = start.date();
        let activity = Activity {
            id: existing.map_or(0, |a| a.id),
            done: existing.is_some_and(|a| a.done),
            salesperson: existing.and_then(|a| a.salesperson),
            time: span.map(|_| start.time()),
            minutes: span.unwrap_or(0),
            // An update keeps the notes: Forsat's own file describes the deal there.
            notes: existing.map_or_else(
                || text_of(ICalendarProperty::Description),
                |a| a.notes.clone(),
            ),
            uid,
            ..Activity::planned(kind, summary.clone(), due, link)
        };
        let about = ws.activity_about(link).unwrap_or_default();
        lines.push(if existing.is_some() {
            tr!(
                "Updated “{summary}” on {about}.",
                summary = summary,
                about = about
            )
        } else {
            tr!(
                "Planned “{summary}” on {about}.",
                summary = summary,
                about = about
            )
        });
        change.put.push(Record::Activity(activity));
    }
    Ok(Planned { change, lines })
}

/// When an event starts on the system's clock, and its length in minutes unless it lasts
/// whole days (None: an activity without a time).
fn timing(
    when: &CalendarEvent<DateTime<Tz>, TimeOrDelta<DateTime<Tz>, TimeDelta>>,
    event: &ICalendarComponent,
) -> (NaiveDateTime, Option<u32>) {
    let start = if when.start.timezone().is_floating() {
        when.start.naive_local()
    } else {
        when.start.with_timezone(&Local).naive_local()
    };
    let all_day = event
        .property(&ICalendarProperty::Dtstart)
        .and_then(|e| e.values.first())
        .is_some_and(|v| matches!(v, ICalendarValue::PartialDateTime(d) if d.hour.is_none()));
    let (start_ts, end_ts) = when.timestamps();
    let minutes = u32::try_from((end_ts - start_ts).max(0) / 60)
        .unwrap_or(u32::MAX)
        .min(MAX_ACTIVITY_MINUTES);
    (start, (!all_day).then_some(minutes))
}

/// What an event is about: what the activity it updates is about, else the attendee's open
/// deal or account; `event_name` names it in the refusal.
fn link_for(
    ws: &Workspace,
    event: &ICalendarComponent,
    existing: Option<&Activity>,
    event_name: &str,
) -> Result<ActivityLink, String> {
    // An event already imported (or exported by Forsat) keeps what it is about.
    if let Some(a) = existing {
        return Ok(a.link);
    }
    let emails = attendees(event);
    match emails.iter().find_map(|email| contact_of(ws, email)) {
        Some(contact) => Ok(link_of(ws, contact)),
        None => Err(tr!(
            "{event}: no contact has the email {emails}. Add the contact to its account first.",
            event = event_name,
            emails = if emails.is_empty() {
                tr!("(none given)")
            } else {
                emails.join(", ")
            }
        )),
    }
}

/// The emails of an event's attendees, then its organiser's, as written after `mailto:`.
fn attendees(event: &ICalendarComponent) -> Vec<String> {
    let mut emails: Vec<String> = [ICalendarProperty::Attendee, ICalendarProperty::Organizer]
        .iter()
        .flat_map(|property| event.properties(property))
        .filter_map(|entry| entry.values.first())
        .filter_map(|value| match value {
            ICalendarValue::Uri(Uri::Location(address)) => Some(address.clone()),
            ICalendarValue::Text(text) => Some(text.clone()),
            _ => None,
        })
        .map(|address| {
            let address = address.trim();
            let bare = address
                .get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
                .map_or(address, |_| &address[7..]);
            bare.trim().to_lowercase()
        })
        .filter(|email| !email.is_empty())
        .collect();
    emails.dedup();
    emails
}

/// The contact one of whose emails is `email` (case ignored).
fn contact_of<'a>(ws: &'a Workspace, email: &str) -> Option<&'a Contact> {
    ws.contacts()
        .find(|c| c.emails().any(|e| e.trim().eq_ignore_ascii_case(email)))
}

/// The contact's one open deal with them, else its account.
fn link_of(ws: &Workspace, contact: &Contact) -> ActivityLink {
    let open: Vec<_> = ws
        .opportunities()
        .filter(|o| o.contact == Some(contact.id) && !ws.is_trashed(o.id))
        .filter(|o| ws.stage(o.stage).is_some_and(|s| s.kind == StageKind::Open))
        .collect();
    match open.as_slice() {
        [deal] => ActivityLink::Opportunity(deal.id),
        _ => ActivityLink::Account(contact.account),
    }
}
