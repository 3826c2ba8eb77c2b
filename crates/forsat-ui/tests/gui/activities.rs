//! The activities as a person plans them: a click on one opens its editor (time, length,
//! salesperson, notes), and marking one done asks for the deal's next.

use chrono::{NaiveDate, NaiveTime};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Id, Lookup, LookupKind, Record};
use forsat_ui::App;

use crate::{Fixture, deal, harness, has_label, label, type_into};

/// Opens the last dropdown called `combo` (a dialog's, over the view's of the same name) and
/// clicks `choice` among its items (a row of the list may read the same).
fn choose(harness: &mut Harness<'static, App>, combo: &str, choice: &str) {
    harness
        .get_all_by_role_and_label(Role::ComboBox, combo)
        .last()
        .unwrap()
        .click();
    harness.run();
    harness
        .get_all_by_role_and_label(Role::Button, choice)
        .next()
        .unwrap()
        .click();
    harness.run();
}

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

fn put(ws: &mut Workspace, record: Record) {
    ws.apply(Command::Change(Box::new(Change::put(record))))
        .unwrap();
}

/// The fixture with the Nordwind deal's next step set and `summaries` planned for it (due on
/// 27 November); returns the deal's id.
fn planned(fixture: &Fixture, summaries: &[&str]) -> Id {
    let mut ws = fixture.reopen();
    let mut opp = deal(&ws, "Nordwind – fleet renewal").clone();
    opp.next_step = "Send the revised offer".into();
    let id = opp.id;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    for summary in summaries {
        put(
            &mut ws,
            Record::Activity(Activity::planned(
                ActivityKind::Call,
                (*summary).into(),
                NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                ActivityLink::Opportunity(id),
            )),
        );
    }
    put(
        &mut ws,
        Record::Lookup(Lookup {
            id: 0,
            kind: LookupKind::Salesperson,
            name: "Daniel Okafor".into(),
            active: true,
        }),
    );
    id
}

/// The window on the fixture, showing the Activities view.
fn activities_view(fixture: &Fixture) -> Harness<'static, App> {
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Activities").click();
    harness.run();
    harness
}

fn activities(harness: &Harness<'static, App>, deal: Id) -> Vec<Activity> {
    let ws = harness.state().workspace().unwrap();
    ws.activities_of(ActivityLink::Opportunity(deal))
        .into_iter()
        .cloned()
        .collect()
}

#[test]
fn done_asks_for_the_next_activity_with_the_deal_s_next_step() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &["Call about the fleet"]);
    let mut harness = activities_view(&fixture);
    click_button(&mut harness, "Mark “Call about the fleet” done");
    label(&harness, "Plan the next activity?");
    let summary = harness.get_by_role_and_label(Role::TextInput, "Summary");
    assert_eq!(summary.value().as_deref(), Some("Send the revised offer"));
    type_into(&mut harness, "Time", "2:30 pm");
    type_into(&mut harness, "Duration", "45");
    click_button(&mut harness, "Plan activity");
    assert!(
        !has_label(&harness, "Plan the next activity?"),
        "closed once planned"
    );
    let next = activities(&harness, id)
        .into_iter()
        .find(|a| !a.done)
        .expect("the next activity is planned");
    assert_eq!(next.summary, "Send the revised offer");
    // The fixture's today is 22 November: tomorrow.
    assert_eq!(next.due, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    assert_eq!(next.time, NaiveTime::from_hms_opt(14, 30, 0));
    assert_eq!((next.minutes, next.kind), (45, ActivityKind::Call));
}

#[test]
fn no_question_while_another_activity_is_planned_and_not_now_plans_nothing() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &["Call about the fleet", "Visit the depot"]);
    let mut harness = activities_view(&fixture);
    click_button(&mut harness, "Mark “Call about the fleet” done");
    assert!(!has_label(&harness, "Plan the next activity?"));
    click_button(&mut harness, "Mark “Visit the depot” done");
    label(&harness, "Plan the next activity?");
    click_button(&mut harness, "Not now");
    assert!(!has_label(&harness, "Plan the next activity?"));
    assert!(activities(&harness, id).iter().all(|a| a.done));
}

#[test]
fn a_click_on_an_activity_edits_its_time_length_salesperson_and_notes() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &["Call about the fleet"]);
    let mut harness = activities_view(&fixture);
    harness
        .get_by_role_and_label(Role::Button, "Edit activity Call about the fleet")
        .click();
    harness.run();
    label(&harness, "Edit activity");

    // A time that is none is refused where it was typed; nothing is saved, the dialog stays.
    type_into(&mut harness, "Time", "25:00");
    click_button(&mut harness, "Save");
    assert!(has_label(&harness, "is not a time of day"));
    assert_eq!(activities(&harness, id)[0].time, None);

    type_into(&mut harness, "Time", "9:15");
    // Typed again, the time's error goes: it spoke of what was there.
    assert!(!has_label(&harness, "is not a time of day"));
    type_into(&mut harness, "Duration", "1:30");
    choose(&mut harness, "Salesperson", "Daniel Okafor");
    type_into(&mut harness, "Notes", "Ask for the CFO");
    // A click beside the dialog keeps what was typed.
    label(&harness, "Upcoming (1)").click();
    harness.run();
    click_button(&mut harness, "Save");
    let edited = &activities(&harness, id)[0];
    assert_eq!(edited.time, NaiveTime::from_hms_opt(9, 15, 0));
    assert_eq!(edited.minutes, 90);
    assert_eq!(edited.notes, "Ask for the CFO");
    let salesperson = {
        let ws = harness.state().workspace().unwrap();
        ws.lookup_name(edited.salesperson).to_owned()
    };
    assert_eq!(salesperson, "Daniel Okafor");
    // The list shows the time and the end beside the day.
    harness.run();
    assert!(has_label(&harness, "2026-11-27 09:15–10:45"));
}

/// The summaries the Activities view lists, in order.
fn listed(harness: &Harness<'static, App>) -> Vec<String> {
    harness
        .query_all_by_role(Role::Button)
        .filter_map(|n| {
            let name = n.accesskit_node().label()?;
            name.strip_prefix("Edit activity ").map(str::to_owned)
        })
        .collect()
}

#[test]
fn the_search_narrows_the_activities_by_words_salesperson_kind_status_and_days() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &["Call about the fleet"]);
    {
        let mut ws = fixture.reopen();
        let daniel = ws.lookups(LookupKind::Salesperson)[0].id;
        let on_deal = ActivityLink::Opportunity(id);
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        put(
            &mut ws,
            Record::Activity(Activity {
                salesperson: Some(daniel),
                notes: "Bring the depot plans".into(),
                ..Activity::planned(ActivityKind::Meeting, "Visit".into(), day(30), on_deal)
            }),
        );
        put(
            &mut ws,
            Record::Activity(Activity {
                done: true,
                ..Activity::planned(ActivityKind::Task, "Brochure".into(), day(15), on_deal)
            }),
        );
        put(
            &mut ws,
            Record::Activity(Activity::planned(
                ActivityKind::Email,
                "Overdue email".into(),
                day(18),
                on_deal,
            )),
        );
    }
    let mut harness = activities_view(&fixture);
    assert_eq!(
        listed(&harness),
        ["Overdue email", "Call about the fleet", "Visit"]
    );
    // Words of the notes.
    type_into(&mut harness, "Search activities", "DEPOT");
    assert_eq!(listed(&harness), ["Visit"]);
    type_into(&mut harness, "Search activities", "nothing like it");
    label(&harness, "No activity matches this search.");
    harness.get_by_label("Clear search").click();
    harness.run();
    assert_eq!(listed(&harness).len(), 3);

    choose(&mut harness, "Show", "Done");
    label(&harness, "Done (1)");
    assert_eq!(listed(&harness), ["Brochure"]);
    choose(&mut harness, "Show", "Overdue");
    assert_eq!(listed(&harness), ["Overdue email"]);
    choose(&mut harness, "Show", "Open");
    choose(&mut harness, "Kind", "Meeting");
    assert_eq!(listed(&harness), ["Visit"]);
    choose(&mut harness, "Kind", "Any kind");
    choose(&mut harness, "Salesperson", "Daniel Okafor");
    assert_eq!(listed(&harness), ["Visit"]);
    choose(&mut harness, "Salesperson", "Anyone");
    // Days from the 26th on; a day that is none leaves the search as it was.
    type_into(&mut harness, "From", "2026-11-26");
    assert_eq!(listed(&harness), ["Call about the fleet", "Visit"]);
    type_into(&mut harness, "To", "not a day");
    assert_eq!(listed(&harness), ["Call about the fleet", "Visit"]);
    type_into(&mut harness, "To", "2026-11-28");
    assert_eq!(listed(&harness), ["Call about the fleet"]);
}

/// Done in a deal's form asks for the next activity as the Activities view does; the status
/// bar's undo names what was undone.
#[test]
fn done_in_the_deal_s_form_asks_too_and_undo_says_what_it_undid() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &["Call about the fleet"]);
    let mut harness = activities_view(&fixture);
    harness
        .get_by_role_and_label(Role::Link, "Nordwind – fleet renewal")
        .click();
    harness.run();
    // Below the deal's fields, as a person scrolls to it.
    harness
        .get_by_label("Done: Call about the fleet")
        .scroll_to_me();
    harness.run();
    harness.get_by_label("Done: Call about the fleet").click();
    harness.run();
    label(&harness, "Plan the next activity?");
    click_button(&mut harness, "Not now");
    assert!(activities(&harness, id)[0].done);
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert!(has_label(&harness, "marked Call about the fleet done"));
    assert!(!activities(&harness, id)[0].done);
}

/// Each stage column's bar counts its deals by their next activity: marked done, the late one
/// leaves the count, and the search narrows it with the cards.
#[test]
fn each_column_counts_its_deals_by_their_next_activity() {
    let fixture = Fixture::two_deals();
    let id = planned(&fixture, &[]);
    {
        let mut ws = fixture.reopen();
        let late = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        put(
            &mut ws,
            Record::Activity(Activity::planned(
                ActivityKind::Call,
                "Chase the signature".into(),
                late,
                ActivityLink::Opportunity(id),
            )),
        );
    }
    let mut harness = harness(&fixture.path);
    // The deal's column (Qualified), and the other's (New).
    harness.get_by_label("1 late · 0 due today · 0 planned · 0 without an activity");
    harness.get_by_label("0 late · 0 due today · 0 planned · 1 without an activity");
    let none = "0 late · 0 due today · 0 planned · 1 without an activity";
    type_into(&mut harness, "Search", "Café");
    assert!(
        harness
            .query_by_label("1 late · 0 due today · 0 planned · 0 without an activity")
            .is_none()
    );
    assert_eq!(harness.query_all_by_label(none).count(), 1);
    // Done: the deal has no next activity left.
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .focus();
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("Activities").click();
    harness.run();
    click_button(&mut harness, "Mark “Chase the signature” done");
    click_button(&mut harness, "Not now");
    harness.get_by_label("Pipeline").click();
    harness.run();
    assert_eq!(harness.query_all_by_label(none).count(), 2);
}

#[test]
fn an_account_without_activities_of_its_own_points_to_its_deals() {
    let fixture = Fixture::two_deals();
    planned(&fixture, &["Call about the fleet"]);
    let mut harness = harness(&fixture.path);
    let account = {
        let ws = harness.state().workspace().unwrap();
        let id = deal(ws, "Nordwind – fleet renewal").account;
        ws.account(id).unwrap().name.clone()
    };
    click_button(&mut harness, "Accounts");
    harness
        .get_by_role_and_label(Role::ListItem, &account)
        .click();
    harness.run();
    label(&harness, "None of its own: those of its deals are below.");
    assert!(!has_label(&harness, "No activities yet."));
    assert!(has_label(&harness, "Call about the fleet"));
}
