//! Activities as an iCalendar file (RFC 5545), made with calcard: one VEVENT for each activity
//! with a time of day, one VTODO for each without. Each keeps its stored UID, so a calendar that
//! imports the file again updates its events instead of adding them twice. Times are the
//! system's clock, written in UTC.

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarParameter, ICalendarProperty,
    ICalendarStatus, ICalendarValueType,
};
use chrono::{
    DateTime, Datelike as _, Duration, Local, NaiveDate, TimeZone as _, Timelike as _, Utc,
};

use crate::domain::{Activity, ActivityKind, ActivityLink, Id};
use crate::tr;
use crate::workspace::Workspace;

/// What an iCalendar file of activities needs from the workspace, taken out of it: the text is
/// made from it apart (on another thread, for a file kept up to date at a million activities).
pub struct CalendarDraft {
    stamp: PartialDateTime,
    /// Each activity with its description (the deal, account and salesperson by name).
    items: Vec<(Activity, String)>,
}

impl CalendarDraft {
    /// Writes the iCalendar file to `out` one activity at a time: a million activities never
    /// stand in memory as one calendar (three gigabytes as calcard's model, measured).
    pub fn write(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut root = ICalendarComponent::new(ICalendarComponentType::VCalendar);
        root.add_property(ICalendarProperty::Version, "2.0");
        root.add_property(
            ICalendarProperty::Prodid,
            concat!("-//Forsat//Forsat ", env!("CARGO_PKG_VERSION"), "//EN"),
        );
        // The calendar's own lines as calcard writes them, its END kept for the last.
        let shell = ICalendar {
            components: vec![root],
        }
        .to_string();
        let end = shell.rfind("END:VCALENDAR").unwrap_or(shell.len());
        out.write_all(&shell.as_bytes()[..end])?;
        let mut text = String::new();
        for (a, description) in &self.items {
            text.clear();
            let one = ICalendar {
                components: vec![component(a, description, &self.stamp)],
            };
            one.write_to(&mut text).map_err(std::io::Error::other)?;
            out.write_all(text.as_bytes())?;
        }
        out.write_all(&shell.as_bytes()[end..])
    }
}

/// The activities of every deal and account, or of the deals `ids` only, in id order, taken
/// from the workspace for an iCalendar file.
pub fn draft(ws: &Workspace, ids: Option<&[Id]>) -> CalendarDraft {
    let activities: Vec<&Activity> = match ids {
        Some(ids) => {
            let mut of: Vec<&Activity> = ids
                .iter()
                .flat_map(|id| ws.activities_of(ActivityLink::Opportunity(*id)))
                .collect();
            of.sort_by_key(|a| a.id);
            of.dedup_by_key(|a| a.id);
            of
        }
        None => ws.activities().collect(),
    };
    CalendarDraft {
        stamp: utc(ws.now()),
        items: activities
            .into_iter()
            .map(|a| (a.clone(), description(ws, a)))
            .collect(),
    }
}

/// One activity's VEVENT or VTODO.
fn component(a: &Activity, description: &str, stamp: &PartialDateTime) -> ICalendarComponent {
    let timed = a.time.map(|time| a.due.and_time(time));
    let kind = if timed.is_some() {
        ICalendarComponentType::VEvent
    } else {
        ICalendarComponentType::VTodo
    };
    let mut c = ICalendarComponent::new(kind);
    c.add_uid(&a.uid);
    c.add_dtstamp(stamp.clone());
    c.add_property(ICalendarProperty::Summary, a.summary.as_str());
    match timed {
        Some(start) => {
            // The system's clock; a time the clock skips (a spring-forward hour) is read an
            // hour on.
            let start = Local
                .from_local_datetime(&start)
                .earliest()
                .or_else(|| {
                    Local
                        .from_local_datetime(&(start + Duration::hours(1)))
                        .earliest()
                })
                .map_or_else(|| start.and_utc(), |t| t.with_timezone(&Utc));
            c.add_property(ICalendarProperty::Dtstart, utc(start));
            if a.minutes > 0 {
                let end = start + Duration::minutes(i64::from(a.minutes));
                c.add_property(ICalendarProperty::Dtend, utc(end));
            }
        }
        None => {
            c.add_property_with_params(
                ICalendarProperty::Due,
                [ICalendarParameter::value(ICalendarValueType::Date)],
                date(a.due),
            );
            let status = if a.done {
                ICalendarStatus::Completed
            } else {
                ICalendarStatus::NeedsAction
            };
            c.add_property(ICalendarProperty::Status, status);
        }
    }
    c.add_property(ICalendarProperty::Categories, category(a.kind));
    c.add_property(ICalendarProperty::Description, description);
    c
}

/// What the activity is about, then its notes.
fn description(ws: &Workspace, a: &Activity) -> String {
    let about = match a.link {
        ActivityLink::Opportunity(id) => ws.opportunity(id).map(|o| {
            let account = ws.account(o.account).map_or("", |acc| acc.name.as_str());
            tr!("Deal: {name}", name = o.name) + "\n" + &tr!("Account: {name}", name = account)
        }),
        ActivityLink::Account(id) => ws
            .account(id)
            .map(|acc| tr!("Account: {name}", name = acc.name)),
    };
    let mut text = about.unwrap_or_default();
    if let Some(name) = a.salesperson.map(|s| ws.lookup_name(Some(s))) {
        text = text + "\n" + &tr!("Salesperson: {name}", name = name);
    }
    if !a.notes.is_empty() {
        text = text + "\n\n" + &a.notes;
    }
    text
}

/// The kind as a category, in English whatever the language: calendars match categories by
/// name.
fn category(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Call => "Call",
        ActivityKind::Meeting => "Meeting",
        ActivityKind::Email => "Email",
        ActivityKind::Task => "Task",
    }
}

fn utc(at: DateTime<Utc>) -> PartialDateTime {
    PartialDateTime {
        year: u16::try_from(at.year()).ok(),
        month: u8::try_from(at.month()).ok(),
        day: u8::try_from(at.day()).ok(),
        hour: u8::try_from(at.hour()).ok(),
        minute: u8::try_from(at.minute()).ok(),
        second: u8::try_from(at.second()).ok(),
        tz_hour: Some(0),
        tz_minute: Some(0),
        tz_minus: false,
    }
}

fn date(day: NaiveDate) -> PartialDateTime {
    PartialDateTime {
        year: u16::try_from(day.year()).ok(),
        month: u8::try_from(day.month()).ok(),
        day: u8::try_from(day.day()).ok(),
        ..PartialDateTime::default()
    }
}
