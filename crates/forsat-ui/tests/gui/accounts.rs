//! The Accounts view: the list, an account's detail, its inline forms and deletion.

use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::domain::{ActivityKind, ActivityLink, Id};
use forsat_ui::App;

use crate::{Fixture, deal, harness, label, type_into};

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

/// Opens the Accounts view and selects the account called `name` in its list.
fn open_account(harness: &mut Harness<'_, App>, name: &str) {
    click_button(harness, "Accounts");
    harness.get_by_role_and_label(Role::ListItem, name).click();
    harness.run();
}

fn account_id(harness: &Harness<'_, App>, name: &str) -> Id {
    let ws = harness.state().workspace().unwrap();
    ws.account_by_name(name).unwrap().id
}

#[test]
fn an_account_shows_its_deal_totals_and_takes_a_new_contact() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, "Nordwind GmbH");

    // The detail is Nordwind's: its fields, and its one open deal in the totals.
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some("Nordwind GmbH")
    );
    label(&harness, "Open: 1 · $40,000.00");
    label(&harness, "Won: 0 · $0.00");
    harness.get_by_role_and_label(Role::Link, "Nordwind – fleet renewal");

    type_into(&mut harness, "New contact name", "Jana Novák");
    type_into(&mut harness, "New contact role", "Fleet manager");
    type_into(&mut harness, "New contact email", "jana@nordwind.example");
    click_button(&mut harness, "Add contact");
    harness.run();

    let nordwind = account_id(&harness, "Nordwind GmbH");
    let ws = harness.state().workspace().unwrap();
    let contacts = ws.contacts_of(nordwind);
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0].name, "Jana Novák");
    assert_eq!(contacts[0].role, "Fleet manager");
    assert_eq!(contacts[0].email, "jana@nordwind.example");
    // The row shows it and the form is empty again for the next one.
    label(&harness, "Jana Novák");
    assert_eq!(
        harness.get_by_label("New contact name").value().as_deref(),
        Some("")
    );
    let id = contacts[0].id;
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.contact(id).unwrap().account, nordwind, "persisted");
}

#[test]
fn a_bad_contact_email_is_refused_inline() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, "Nordwind GmbH");
    type_into(&mut harness, "New contact name", "Jana Novák");
    type_into(&mut harness, "New contact email", "jana-at-nordwind");
    click_button(&mut harness, "Add contact");

    label(
        &harness,
        "Email: “jana-at-nordwind” is not an email address",
    );
    let nordwind = account_id(&harness, "Nordwind GmbH");
    let ws = harness.state().workspace().unwrap();
    assert!(ws.contacts_of(nordwind).is_empty());
    // The typed text stays for the user to fix.
    assert_eq!(
        harness.get_by_label("New contact name").value().as_deref(),
        Some("Jana Novák")
    );
}

#[test]
fn deleting_an_account_with_a_deal_reassigns_it_first() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, "Nordwind GmbH");
    let nordwind = account_id(&harness, "Nordwind GmbH");
    let cafe = account_id(&harness, "Café Müller");

    click_button(&mut harness, "Delete account…");
    let question = "Nordwind GmbH has 1 deal. Reassign it to:";
    label(&harness, question);
    // Nothing can be deleted before a target is chosen.
    let go = harness.get_by_role_and_label(Role::Button, "Reassign and delete");
    assert!(go.accesskit_node().is_disabled());
    harness
        .get_by_role_and_label(Role::ComboBox, question)
        .click();
    harness.run();
    click_button(&mut harness, "Café Müller");
    click_button(&mut harness, "Reassign and delete");
    harness.run();

    let ws = harness.state().workspace().unwrap();
    assert!(ws.account(nordwind).is_none(), "the account is deleted");
    let moved = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(moved.account, cafe, "the deal moved to Café Müller");
    // The view now shows Café Müller with both deals.
    label(&harness, "Open: 2 · $52,500.00");
    assert!(
        harness
            .query_by_role_and_label(Role::ListItem, "Nordwind GmbH")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    assert!(ws.account(nordwind).is_none());
    assert_eq!(deal(&ws, "Nordwind – fleet renewal").account, cafe);
}

#[test]
fn a_new_account_with_an_activity_and_no_deals_is_deleted_after_asking() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Accounts");
    click_button(&mut harness, "New account");
    type_into(&mut harness, "Name", "Øresund Shipping");
    type_into(&mut harness, "Industry", "Logistics");
    click_button(&mut harness, "Create account");
    harness.run();

    let id = account_id(&harness, "Øresund Shipping");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.account(id).unwrap().industry, "Logistics");
    // The new account is selected in the list and shown.
    let row = harness.get_by_role_and_label(Role::ListItem, "Øresund Shipping");
    assert_eq!(row.accesskit_node().toggled(), Some(Toggled::True));
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some("Øresund Shipping")
    );

    type_into(
        &mut harness,
        "New activity summary",
        "Call about the tender",
    );
    type_into(&mut harness, "New activity due date", "2026-11-20");
    click_button(&mut harness, "Add activity");
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let activities = ws.activities_of(ActivityLink::Account(id));
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].summary, "Call about the tender");
    assert_eq!(activities[0].kind, ActivityKind::Call);
    assert_eq!(activities[0].due.to_string(), "2026-11-20");
    assert!(!activities[0].done);
    // Done from its row.
    harness.get_by_label("Done: Call about the tender").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert!(ws.activities_of(ActivityLink::Account(id))[0].done);

    click_button(&mut harness, "Delete account…");
    label(
        &harness,
        "Delete Øresund Shipping with its contacts and activities?",
    );
    click_button(&mut harness, "Yes, delete");
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert!(ws.account(id).is_none());
    assert!(ws.activities_of(ActivityLink::Account(id)).is_empty());
}

#[test]
fn a_deal_opens_its_account_and_the_account_opens_its_deal() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    crate::card(&harness, "Café Müller – espresso machines").click();
    harness.run();
    click_button(&mut harness, "Open account");
    // Café Müller's detail: its one open deal in the totals.
    label(&harness, "Open: 1 · $12,500.00");
    harness
        .get_by_role_and_label(Role::Link, "Café Müller – espresso machines")
        .click();
    harness.run();
    // The deal's form, beside the account.
    click_button(&mut harness, "Move to trash");
    let ws = harness.state().workspace().unwrap();
    let deal = deal(ws, "Café Müller – espresso machines");
    assert!(ws.is_trashed(deal.id));
}
