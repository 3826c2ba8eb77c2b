//! File → Import contacts or an invitation, as a person uses it: the file named, what it
//! would do said before anything is written, a duplicate card merged by choosing so in its
//! dropdown, Import as one change Undo takes back; a bad file named by line, nothing written.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Contact, Record};
use forsat_ui::App;

use crate::{Fixture, deal, harness, has_label, label, pick};

/// The fixture with Sara, the Nordwind deal's contact, by her email.
fn with_sara(fixture: &Fixture) {
    let mut ws = fixture.reopen();
    let mut opp = deal(&ws, "Nordwind – fleet renewal").clone();
    let sara = Contact {
        account: opp.account,
        name: "Sara Ahmadi".into(),
        email: "sara@nordwind.example".into(),
        ..Contact::default()
    };
    let change = Change::put(Record::Contact(sara));
    opp.contact = ws.apply(Command::Change(Box::new(change))).unwrap().created;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
}

/// The window with the dialog open on the file `name` holding `text`.
fn importing(fixture: &Fixture, name: &str, text: &str) -> Harness<'static, App> {
    let path = fixture.path.with_file_name(name);
    std::fs::write(&path, text).unwrap();
    let mut harness = harness(&fixture.path);
    harness.get_by_role_and_label(Role::Button, "File").click();
    harness.run();
    harness
        .get_by_label("Import contacts or an invitation…")
        .click();
    harness.run();
    crate::retype(&mut harness, "File", path.to_str().unwrap());
    harness
}

fn sara(harness: &Harness<'static, App>) -> Contact {
    let ws = harness.state().workspace().unwrap();
    ws.contacts()
        .find(|c| c.name == "Sara Ahmadi")
        .unwrap()
        .clone()
}

const CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:S. Ahmadi\r\nORG:Nordwind\r\n\
EMAIL:SARA@nordwind.example\r\nEMAIL:sara.a@gmail.example\r\nTEL:+49 30 1234 5678\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Reza Karimi\r\nORG:Kavir Steel\r\nEMAIL:reza@kavir.example\r\nEND:VCARD\r\n";

#[test]
fn a_duplicate_card_merged_by_its_dropdown_and_undone_as_one_change() {
    let fixture = Fixture::two_deals();
    with_sara(&fixture);
    let mut harness = importing(&fixture, "people.vcf", CARDS);
    label(
        &harness,
        "1 new contact, 1 duplicate left out, 1 new account.",
    );
    assert!(has_label(&harness, "has SARA@nordwind.example"));
    assert_eq!(
        harness.state().workspace().unwrap().contacts().count(),
        1,
        "nothing written yet"
    );
    // Every duplicate at once, then this one otherwise.
    harness.get_by_label("All: Add as a new contact").click();
    harness.run();
    harness.run();
    // Added, S. Ahmadi comes with an account "Nordwind" (the fixture's is named otherwise).
    label(&harness, "2 new contacts, 2 new accounts.");
    pick(&mut harness, "S. Ahmadi (line 1)", "Merge into the contact");
    label(
        &harness,
        "1 new contact, 1 contact completed from a duplicate card, 1 new account.",
    );
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    assert!(
        !has_label(&harness, "Import contacts or an invitation"),
        "closed"
    );
    let merged = sara(&harness);
    assert_eq!(
        merged.emails().collect::<Vec<_>>(),
        ["sara@nordwind.example", "sara.a@gmail.example"]
    );
    assert_eq!(merged.phone, "+49 30 1234 5678");
    let ws = harness.state().workspace().unwrap();
    assert!(ws.contacts().any(|c| c.name == "Reza Karimi"));
    assert!(ws.accounts().any(|a| a.name == "Kavir Steel"));
    // One change: Undo takes the new contact, the new account and the merge back.
    harness.get_by_label("Undo").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.contacts().count(), 1);
    assert!(!ws.accounts().any(|a| a.name == "Kavir Steel"));
    assert_eq!(sara(&harness).emails().count(), 1);
}

#[test]
fn a_bad_card_is_named_by_line_and_import_stays_off() {
    let fixture = Fixture::two_deals();
    let bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ali\r\nEMAIL:ali at pars\r\nEND:VCARD\r\n";
    let harness = importing(&fixture, "bad.vcf", bad);
    label(
        &harness,
        "This file cannot be imported; nothing was written:",
    );
    assert!(has_label(&harness, "line 1 (Ali): Email: “ali at pars”"));
    let import = harness.get_by_role_and_label(Role::Button, "Import");
    assert!(import.accesskit_node().is_disabled());
}

#[test]
fn an_invitation_plans_its_meeting_on_the_attendee_s_deal() {
    let fixture = Fixture::two_deals();
    with_sara(&fixture);
    let ics = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Example//Mail//EN",
        "BEGIN:VEVENT",
        "UID:fleet-review-1@mail.example",
        "DTSTAMP:20261120T090000Z",
        "DTSTART:20261125T100000Z",
        "DTEND:20261125T110000Z",
        "SUMMARY:Fleet review",
        "ATTENDEE;CN=Sara:mailto:sara@nordwind.example",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    let mut harness = importing(&fixture, "invite.ics", &ics);
    assert!(has_label(&harness, "Fleet review"));
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let meeting = ws
        .activities()
        .find(|a| a.summary == "Fleet review")
        .unwrap();
    let nordwind = deal(ws, "Nordwind – fleet renewal").id;
    assert_eq!(
        meeting.link,
        forsat_core::domain::ActivityLink::Opportunity(nordwind)
    );
}
