//! The list and the saved searches as a hurried user works them: names typed into a dialog that
//! stays open, cells that say why they cannot change, bulk closes that ask, a layout that stays
//! under the pointer.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use crate::{Fixture, card, harness, label};

const CAFE: &str = "Café Müller – espresso machines";
const NORDWIND: &str = "Nordwind – fleet renewal";

type Harness = egui_kittest::Harness<'static, forsat::ui::App>;

/// Runs frames until a dialog that fades in stops moving, as a person waits before clicking.
fn settle(harness: &mut Harness) {
    for _ in 0..10 {
        harness.run();
    }
}

/// The names of the saved searches, as the workspace holds them.
fn saved_names(harness: &Harness) -> Vec<String> {
    let ws = harness.state().workspace().unwrap();
    ws.saved_filters().iter().map(|s| s.name.clone()).collect()
}

/// Opens the "Saved searches" menu.
fn open_saved_searches(harness: &mut Harness) {
    harness.get_by_label("Saved searches").click();
    harness.run();
}

/// Clicks into the dialog's name field, replaces what it holds with `name` and presses Enter.
fn name_and_enter(harness: &mut Harness, name: &str) {
    settle(harness);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text(name);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

#[test]
fn a_search_is_saved_picked_renamed_replaced_and_deleted_by_mouse_and_keyboard() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("Search").type_text("nordwind");
    harness.run();

    // Save: the name field takes clicks and keys without the dialog closing; Enter saves.
    open_saved_searches(&mut harness);
    harness.get_by_label("Save search…").click();
    harness.run();
    name_and_enter(&mut harness, "Nordwind deals");
    assert_eq!(saved_names(&harness), ["Nordwind deals"]);
    label(&harness, "Saved the search “Nordwind deals”.");
    assert!(harness.query_by_label("Save the current search").is_none());

    // Pick it again after clearing the search.
    harness.get_by_label("Clear filters").click();
    harness.run();
    card(&harness, CAFE);
    open_saved_searches(&mut harness);
    harness.get_by_label("Nordwind deals").click();
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CAFE)
            .is_none()
    );
    card(&harness, NORDWIND);

    // Rename it.
    open_saved_searches(&mut harness);
    harness
        .get_by_label("Rename the saved search Nordwind deals")
        .click();
    harness.run();
    name_and_enter(&mut harness, "Fleet");
    assert_eq!(saved_names(&harness), ["Fleet"]);
    label(&harness, "Renamed the saved search to “Fleet”.");

    // A name already used asks before it replaces; Escape leaves everything as it was.
    harness.get_by_label("Clear filters").click();
    harness.run();
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("Search").type_text("café");
    harness.run();
    open_saved_searches(&mut harness);
    harness.get_by_label("Save search…").click();
    harness.run();
    name_and_enter(&mut harness, "fleet");
    label(
        &harness,
        "A saved search called “Fleet” already exists. Replace it?",
    );
    harness.key_press(Key::Escape);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.saved_filters()[0].filter.text, "nordwind");
    open_saved_searches(&mut harness);
    harness.get_by_label("Save search…").click();
    harness.run();
    name_and_enter(&mut harness, "Fleet");
    harness
        .get_by_role_and_label(Role::Button, "Replace")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.saved_filters().len(), 1);
    assert_eq!(ws.saved_filters()[0].filter.text, "café");

    // Delete it; undo brings it back.
    open_saved_searches(&mut harness);
    harness
        .get_by_label("Delete the saved search Fleet")
        .click();
    harness.run();
    assert!(saved_names(&harness).is_empty());
    label(
        &harness,
        "Deleted the saved search “Fleet” (Undo brings it back).",
    );
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(saved_names(&harness), ["Fleet"]);
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.saved_filters()[0].name, "Fleet");
    assert_eq!(ws.saved_filters()[0].filter.text, "café");
}
