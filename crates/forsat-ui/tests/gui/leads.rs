use chrono::NaiveDate;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Activity, ActivityKind, ActivityLink, Lead, Record};
use forsat_ui::App;

use crate::{Fixture, deal, harness, label, type_into};

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

fn open_view(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_label(name).click();
    harness.run();
}

#[test]
fn convert_a_lead_from_its_form_then_undo() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    ws.apply(Command::Change(Box::new(Change::put(Record::Lead(Lead {
        name: "Fleet tracking".into(),
        company: "Nordwind GmbH".into(),
        contact_name: "Jonas Berg".into(),
        ..Lead::default()
    })))))
    .unwrap();
    let nordwind = ws.account_by_name("Nordwind GmbH").unwrap().id;
    let accounts = ws.accounts().count();
    drop(ws);

    let mut harness = harness(&fixture.path);
    open_view(&mut harness, "Leads");
    click_button(&mut harness, "Fleet tracking");
    label(&harness, "Matches existing account “Nordwind GmbH”");
    click_button(&mut harness, "Convert to opportunity");

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Fleet tracking");
    assert_eq!(opp.account, nordwind, "the existing account is matched");
    assert_eq!(ws.accounts().count(), accounts, "no account is created");
    let contact = ws.contact(opp.contact.unwrap()).unwrap();
    assert_eq!(contact.name, "Jonas Berg");
    assert_eq!(contact.account, nordwind);
    let lead = ws.leads().find(|l| l.name == "Fleet tracking").unwrap();
    let conversion = lead.converted.as_ref().expect("the lead is converted");
    assert_eq!(conversion.opportunity, opp.id);
    assert_eq!(conversion.account, nordwind);
    let (opp_id, contact_id) = (opp.id, contact.id);
    // The lead stays selected and shows what it became.
    harness.run();
    label(
        &harness,
        "Converted on 2026-11-22 into deal “Fleet tracking” (account “Nordwind GmbH”)",
    );

    click_button(&mut harness, "Undo");
    let ws = harness.state().workspace().unwrap();
    assert!(ws.opportunity(opp_id).is_none(), "the deal is gone");
    assert!(ws.contact(contact_id).is_none(), "the contact is gone");
    assert!(ws.account(nordwind).is_some(), "the matched account stays");
    let lead = ws.leads().find(|l| l.name == "Fleet tracking").unwrap();
    assert!(lead.converted.is_none(), "the lead is open again");
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Convert to opportunity");
}

#[test]
fn convert_into_an_account_picked_from_the_list() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    ws.apply(Command::Change(Box::new(Change::put(Record::Lead(Lead {
        name: "Espresso bar".into(),
        company: "Müller Kaffeehaus".into(),
        ..Lead::default()
    })))))
    .unwrap();
    let cafe = ws.account_by_name("Café Müller").unwrap().id;
    drop(ws);

    let mut harness = harness(&fixture.path);
    open_view(&mut harness, "Leads");
    click_button(&mut harness, "Espresso bar");
    label(&harness, "Creates the account “Müller Kaffeehaus”");
    harness.get_by_label("Existing accounts").click();
    harness.run();
    assert!(
        harness.get_by_label("Find an account").is_focused(),
        "typing narrows the list at once"
    );
    harness.get_by_label("Find an account").type_text("café");
    harness.run();
    harness.get_by_label("Café Müller").click();
    harness.run();
    label(&harness, "Uses the existing account “Café Müller”");
    click_button(&mut harness, "Convert to opportunity");

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Espresso bar");
    assert_eq!(opp.account, cafe);
    assert_eq!(
        opp.contact, None,
        "a lead without a contact name makes no contact"
    );
    assert!(ws.account_by_name("Müller Kaffeehaus").is_none());
}

#[test]
fn create_a_lead_by_typing_into_the_form() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_view(&mut harness, "Leads");
    click_button(&mut harness, "New lead");
    type_into(&mut harness, "Name", "Harbour cranes");
    type_into(&mut harness, "Company", "Øresund Shipping");
    type_into(&mut harness, "Contact name", "Mette Holm");
    type_into(&mut harness, "Email", "mette@oresund.example");
    click_button(&mut harness, "Save");
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let lead = ws.leads().find(|l| l.name == "Harbour cranes").unwrap();
    assert_eq!(lead.company, "Øresund Shipping");
    assert_eq!(lead.contact_name, "Mette Holm");
    assert_eq!(lead.email, "mette@oresund.example");
    assert!(lead.converted.is_none());
    let id = lead.id;
    // The new lead is in the list and selected: its form offers the conversion.
    harness.get_by_role_and_label(Role::Button, "Harbour cranes");
    label(&harness, "Creates the account “Øresund Shipping”");
    drop(harness);
    assert_eq!(fixture.reopen().lead(id).unwrap().name, "Harbour cranes");
}

#[test]
fn a_lead_without_a_name_is_not_saved() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_view(&mut harness, "Leads");
    click_button(&mut harness, "New lead");
    type_into(&mut harness, "Company", "Nameless AB");
    click_button(&mut harness, "Save");
    label(&harness, "is required");
    assert_eq!(harness.state().workspace().unwrap().leads().count(), 0);
}

#[test]
fn activities_are_grouped_by_due_date_and_marked_done() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let opp = deal(&ws, "Nordwind – fleet renewal").id;
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    for (summary, due) in [
        ("Call about the fleet", day(18)),
        ("Send the offer", day(27)),
    ] {
        ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
            Activity::planned(
                ActivityKind::Call,
                summary.into(),
                due,
                ActivityLink::Opportunity(opp),
            ),
        )))))
        .unwrap();
    }
    drop(ws);

    let mut harness = harness(&fixture.path);
    open_view(&mut harness, "Activities");
    label(&harness, "Overdue (1)");
    label(&harness, "Today (0)");
    label(&harness, "Upcoming (1)");
    click_button(&mut harness, "Mark “Call about the fleet” done");

    let ws = harness.state().workspace().unwrap();
    let done: Vec<(&str, bool)> = ws
        .activities_of(ActivityLink::Opportunity(opp))
        .iter()
        .map(|a| (a.summary.as_str(), a.done))
        .collect();
    assert_eq!(
        done,
        [("Send the offer", false), ("Call about the fleet", true)]
    );
    harness.run();
    label(&harness, "Overdue (0)");
    label(&harness, "Upcoming (1)");

    // The done row stays until the user hides it; then the link opens the deal in the form.
    click_button(&mut harness, "Hide done (1)");
    harness
        .get_by_role_and_label(Role::Link, "Nordwind – fleet renewal")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Move to trash");
}
