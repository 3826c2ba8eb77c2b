//! The command palette (Ctrl+K): typed, picked with Enter, closed with Escape, in English and
//! in Persian.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::Language;
use forsat_ui::App;

use crate::{Fixture, harness};

const FIELD: &str = "Search deals, accounts, contacts, leads and commands";
const FIELD_FA: &str = "جستجو در فرصت‌ها، حساب‌ها، مخاطبان، سرنخ‌ها و فرمان‌ها";

/// Ctrl+K, then `text` typed into the palette's field (which has the keyboard at once).
fn search(harness: &mut Harness<'static, App>, field: &str, text: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run();
    assert!(
        harness.get_by_label(field).is_focused(),
        "the field has the keyboard"
    );
    harness.get_by_label(field).type_text(text);
    // Nucleo matches on its threads: a few frames, as the window repaints when it is done.
    for _ in 0..5 {
        harness.run();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn palette_opens_a_deal_typed_in_part() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    assert!(harness.query_by_label("Save").is_none());
    let shown =
        |h: &Harness<'static, App>| h.query_all_by_value("Nordwind – fleet renewal").count();
    let before = shown(&harness);
    search(&mut harness, FIELD, "nrdw");
    // The line names its kind (the deal's name is on its card too).
    assert!(harness.query_all_by_label("Deal").count() >= 1);
    harness.key_press(Key::Enter);
    harness.run();
    assert!(
        harness.query_by_label(FIELD).is_none(),
        "the palette closed"
    );
    assert!(
        harness.query_by_label("Save").is_some(),
        "the deal's form is open"
    );
    assert!(
        shown(&harness) > before,
        "the form's Name field holds the deal picked"
    );
}

#[test]
fn palette_goes_to_a_view_and_shows_the_commands_shortcut() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    search(&mut harness, FIELD, "reports");
    harness.get_by_label("Go to Reports");
    harness.get_by_label("Ctrl+6");
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    assert!(harness.query_by_label(FIELD).is_none());
    harness.get_by_label("Funnel chart");
}

#[test]
fn palette_closes_on_escape_doing_nothing() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let generation = harness.state().workspace().unwrap().generation();
    search(&mut harness, FIELD, "nordwind");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label(FIELD).is_none(),
        "the palette closed"
    );
    assert!(harness.query_by_label("Save").is_none(), "no form opened");
    assert!(harness.query_by_label("Funnel chart").is_none());
    assert_eq!(
        harness.state().workspace().unwrap().generation(),
        generation
    );
    // Ctrl+P opens it too; with no query it lists the commands, a shortcut beside each.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::P);
    harness.run();
    harness.get_by_label(FIELD);
    harness.get_by_label("Ctrl+1");
}

#[test]
fn palette_works_in_persian() {
    let fixture = Fixture::two_deals();
    fixture.with_language(Language::Persian);
    let mut harness = harness(&fixture.path);
    search(&mut harness, FIELD_FA, "گزارش");
    // The view's command, with its shortcut.
    harness.get_by_label("Ctrl+6");
    harness.key_press(Key::Escape);
    harness.run();
    search(&mut harness, FIELD_FA, "nordwind");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_by_label(FIELD_FA).is_none());
    assert!(
        harness.query_by_label("ذخیره").is_some(),
        "the deal's form is open"
    );
}
