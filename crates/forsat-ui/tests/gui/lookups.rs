//! Settings → Lists: the lookup tables editor. Renaming, replacing a value in use, adding and
//! deactivating.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Id, Lookup, LookupKind, Record};
use forsat_ui::App;

use crate::{Fixture, deal, harness, label, retype, stage_id};

const NORDWIND: &str = "Nordwind – fleet renewal";

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

/// Opens Settings and, when the view has tabs, its Lists tab; then the table called `table`.
fn open_list(harness: &mut Harness<'_, App>, table: &str) {
    click_button(harness, "Settings");
    if harness
        .query_by_role_and_label(Role::Button, "Lists")
        .is_some()
    {
        click_button(harness, "Lists");
    }
    click_button(harness, table);
}

/// The id of the value called `name` in the table `kind`.
fn lookup_id(ws: &Workspace, kind: LookupKind, name: &str) -> Id {
    ws.all_lookups(kind)
        .into_iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} called {name}"))
        .id
}

fn put_lookup(ws: &mut Workspace, kind: LookupKind, name: &str) -> Id {
    let lookup = Lookup {
        id: 0,
        kind,
        name: name.to_owned(),
        active: true,
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Lookup(
        lookup,
    )))))
    .unwrap();
    lookup_id(ws, kind, name)
}

#[test]
fn renaming_a_loss_reason_renames_it_on_the_lost_deal() {
    let fixture = Fixture::two_deals();
    let no_budget = {
        let mut ws = fixture.reopen();
        let no_budget = lookup_id(&ws, LookupKind::LossReason, "No budget");
        let opp = deal(&ws, NORDWIND).id;
        let lost = stage_id(&ws, "Lost");
        ws.apply(Command::MoveToStage {
            opp,
            stage: lost,
            loss_reason: Some(no_budget),
        })
        .unwrap();
        no_budget
    };
    let mut harness = harness(&fixture.path);
    open_list(&mut harness, "Loss reasons");

    click_button(&mut harness, "Edit No budget");
    // A name already in the table is refused inline, and the typed text stays.
    retype(&mut harness, "New name for No budget", "too expensive");
    click_button(&mut harness, "Save");
    label(&harness, "“too expensive” is already in this list.");
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "New name for No budget")
            .value()
            .as_deref(),
        Some("too expensive")
    );
    // So is an empty one.
    retype(&mut harness, "New name for No budget", "  ");
    click_button(&mut harness, "Save");
    label(&harness, "Name: is required");

    retype(&mut harness, "New name for No budget", "Budget frozen");
    click_button(&mut harness, "Save");
    harness.run();

    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.lookup(no_budget).unwrap().name, "Budget frozen");
    let lost = deal(ws, NORDWIND);
    assert_eq!(lost.loss_reason, Some(no_budget));
    assert_eq!(ws.lookup_name(lost.loss_reason), "Budget frozen");
    // The editor closed: the row shows the new name with its one use.
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "New name for No budget")
            .is_none()
    );
    label(&harness, "Budget frozen");
    harness.get_by_role_and_label(Role::Button, "Edit Budget frozen");
}

#[test]
fn deleting_a_source_in_use_replaces_it_and_undo_brings_it_back() {
    let fixture = Fixture::two_deals();
    let (partner, conference) = {
        let mut ws = fixture.reopen();
        let partner = lookup_id(&ws, LookupKind::Source, "Partner");
        let conference = lookup_id(&ws, LookupKind::Source, "Conference");
        let mut opp = deal(&ws, NORDWIND).clone();
        opp.source = Some(partner);
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
        (partner, conference)
    };
    let mut harness = harness(&fixture.path);
    open_list(&mut harness, "Sources");

    click_button(&mut harness, "Delete Partner");
    let question = "“Partner” is used by 1 record. Replace it with:";
    label(&harness, question);
    // Nothing is deleted before the replacement is chosen.
    let go = harness.get_by_role_and_label(Role::Button, "Replace and delete");
    assert!(go.accesskit_node().is_disabled());
    harness
        .get_by_role_and_label(Role::ComboBox, question)
        .click();
    harness.run();
    click_button(&mut harness, "Conference");
    click_button(&mut harness, "Replace and delete");
    harness.run();

    let ws = harness.state().workspace().unwrap();
    assert!(ws.lookup(partner).is_none(), "the value is gone");
    assert_eq!(deal(ws, NORDWIND).source, Some(conference));
    assert!(
        harness.query_by_label(question).is_none(),
        "the question closed"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Delete Partner")
            .is_none()
    );

    click_button(&mut harness, "Undo");
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.lookup(partner).unwrap().name, "Partner");
    assert_eq!(deal(ws, NORDWIND).source, Some(partner));
    harness.get_by_role_and_label(Role::Button, "Delete Partner");
}

#[test]
fn an_unused_value_is_deleted_after_a_confirmation() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_list(&mut harness, "Loss reasons");
    let id = lookup_id(
        harness.state().workspace().unwrap(),
        LookupKind::LossReason,
        "No decision",
    );
    click_button(&mut harness, "Delete No decision");
    label(&harness, "Delete “No decision”? No record uses it.");
    click_button(&mut harness, "Yes, delete");
    harness.run();
    assert!(harness.state().workspace().unwrap().lookup(id).is_none());
}

#[test]
fn a_new_campaign_is_offered_and_an_inactive_one_is_not() {
    let fixture = Fixture::two_deals();
    let spring = {
        let mut ws = fixture.reopen();
        put_lookup(&mut ws, LookupKind::Campaign, "Spring fair")
    };
    let mut harness = harness(&fixture.path);
    open_list(&mut harness, "Campaigns");

    // A name already in the table, in another case, is refused and stays typed.
    retype(&mut harness, "New value", "SPRING FAIR");
    click_button(&mut harness, "Add");
    label(&harness, "“SPRING FAIR” is already in this list.");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.all_lookups(LookupKind::Campaign).len(), 1);

    retype(&mut harness, "New value", "Winter webinar");
    click_button(&mut harness, "Add");
    harness.run();
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "New value")
            .value()
            .as_deref(),
        Some(""),
        "the field is empty again for the next value"
    );

    harness.get_by_label("Active: Spring fair").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let offered: Vec<&str> = ws
        .lookups(LookupKind::Campaign)
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(offered, ["Winter webinar"]);
    let inactive = ws.lookup(spring).expect("the inactive one still exists");
    assert!(!inactive.active);
    assert_eq!(ws.all_lookups(LookupKind::Campaign).len(), 2);
    // It is still listed, to be turned back on.
    label(&harness, "Spring fair");
}
