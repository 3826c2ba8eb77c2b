//! A salesperson's day with the keys only: a new deal with its account picked from the
//! suggestions, the card found with the arrows, moved two stages and won; a lost deal's reason
//! picked with the arrows; the search, the trash, an activity and the views, by their keys. In
//! English and in Persian, whose board runs right to left (Alt+Left moves a deal on).

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::{Language, LookupKind, StageKind};
use forsat_ui::{App, WINDOW_SIZE};

use crate::deal_form::with_globex;
use crate::{Fixture, deal, harness, label, set_language, settle};

/// Presses `key` and lets the window answer.
fn press(harness: &mut Harness<'static, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Presses `key` with `modifiers` held.
fn chord(harness: &mut Harness<'static, App>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

/// Types `text` into whatever has the keyboard, as the keyboard does.
fn typed(harness: &mut Harness<'static, App>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run();
}

/// The stage kind and name of the deal called `name`.
fn stage_of(harness: &Harness<'static, App>, name: &str) -> (StageKind, String) {
    let ws = harness.state().workspace().unwrap();
    let stage = ws.stage(deal(ws, name).stage).unwrap();
    (stage.kind, stage.name.clone())
}

/// Moves the keyboard's cursor onto the card of `name` with the arrows, from the first card,
/// and opens it with Enter to prove it is there.
fn arrow_to(harness: &mut Harness<'static, App>, name: &str, forward: Key) {
    let (column, row) = {
        let ws = harness.state().workspace().unwrap();
        let id = deal(ws, name).id;
        let pipeline = ws.default_pipeline().id;
        ws.stages_of(pipeline)
            .filter(|s| s.kind == StageKind::Open)
            .enumerate()
            .find_map(|(c, s)| {
                ws.column(s.id)
                    .ids
                    .iter()
                    .position(|x| *x == id)
                    .map(|r| (c, r))
            })
            .unwrap()
    };
    // The first arrow puts the cursor on the first card.
    press(harness, Key::ArrowDown);
    for _ in 0..column {
        press(harness, forward);
    }
    for _ in 0..row {
        press(harness, Key::J);
    }
    press(harness, Key::Enter);
    label(harness, name);
    press(harness, Key::Escape);
    assert!(
        harness.query_by_label("Save").is_none(),
        "Escape closed the unchanged form"
    );
}

/// The issue's walk: N, a name, Tab to Account (`account`, in the window's language), "Glob"
/// and its suggestion, Ctrl+Enter; the card found with the arrows; Alt+forward twice; W. Then
/// the file says it all.
fn a_deal_from_new_to_won(fixture: &Fixture, name: &str, account: &str, forward: Key) {
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::N);
    settle(&mut harness);
    typed(&mut harness, name);
    press(&mut harness, Key::Tab);
    typed(&mut harness, "Glob");
    settle(&mut harness);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    assert_eq!(
        harness.get_by_label(account).value().as_deref(),
        Some("Globex")
    );
    chord(&mut harness, Modifiers::COMMAND, Key::Enter);
    assert_eq!(stage_of(&harness, name).1, "New");

    arrow_to(&mut harness, name, forward);
    chord(&mut harness, Modifiers::ALT, forward);
    assert_eq!(stage_of(&harness, name).1, "Qualified");
    chord(&mut harness, Modifiers::ALT, forward);
    assert_eq!(stage_of(&harness, name).1, "Proposition");
    press(&mut harness, Key::W);
    assert_eq!(stage_of(&harness, name).0, StageKind::Won);
    drop(harness);

    let ws = fixture.reopen();
    let saved = deal(&ws, name);
    assert_eq!(ws.account(saved.account).unwrap().name, "Globex");
    assert_eq!(ws.stage(saved.stage).unwrap().kind, StageKind::Won);
    let moves: Vec<&str> = ws
        .stage_events()
        .iter()
        .filter(|e| e.opportunity == saved.id)
        .map(|e| ws.stage(e.to).unwrap().name.as_str())
        .collect();
    assert_eq!(moves, ["New", "Qualified", "Proposition", "Won"]);
}

#[test]
fn a_deal_is_created_moved_and_won_with_the_keys_only() {
    a_deal_from_new_to_won(&with_globex(), "Keyboard deal", "Account", Key::ArrowRight);
}

#[test]
fn in_persian_the_keys_run_right_to_left() {
    let fixture = with_globex();
    set_language(&mut fixture.reopen(), Language::Persian);
    a_deal_from_new_to_won(&fixture, "قرارداد صفحه‌کلید", "حساب", Key::ArrowLeft);
}

#[test]
fn l_asks_the_loss_reason_and_the_arrows_pick_it() {
    let fixture = Fixture::two_deals();
    let reason = {
        let ws = fixture.reopen();
        ws.lookups(LookupKind::LossReason)[1].clone()
    };
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::L);
    settle(&mut harness);
    label(&harness, "Why was this deal lost?");
    // "No reason given" is first: two steps down is the second reason.
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    let ws = harness.state().workspace().unwrap();
    let lost = deal(ws, "Café Müller – espresso machines");
    assert_eq!(ws.stage(lost.stage).unwrap().kind, StageKind::Lost);
    assert_eq!(lost.loss_reason, Some(reason.id), "{}", reason.name);
}

#[test]
fn letters_typed_in_the_search_search_and_escape_clears_it() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::Slash);
    typed(&mut harness, "nord");
    harness.key_press(Key::N);
    harness.key_press(Key::W);
    harness.run();
    assert!(
        harness.query_by_label("New deal").is_none(),
        "N in the search opened no form"
    );
    let search = || harness.get_by_label("Search").value().unwrap_or_default();
    assert_eq!(search(), "nord");
    assert!(harness.query_by_label("Nordwind – fleet renewal").is_some());
    assert!(
        harness
            .query_by_label("Café Müller – espresso machines")
            .is_none(),
        "the search narrows the board"
    );
    press(&mut harness, Key::Escape);
    assert_eq!(
        harness.get_by_label("Search").value().unwrap_or_default(),
        ""
    );
    let ws = harness.state().workspace().unwrap();
    assert!(
        ws.opportunities()
            .all(|o| ws.stage(o.stage).unwrap().kind == StageKind::Open),
        "W in the search won nothing"
    );
}

#[test]
fn delete_trashes_the_selected_deal_and_ctrl_z_brings_it_back() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Delete);
    let trashed = |harness: &Harness<'static, App>| {
        let ws = harness.state().workspace().unwrap();
        ws.is_trashed(deal(ws, "Café Müller – espresso machines").id)
    };
    assert!(trashed(&harness));
    label(&harness, "Done: moved 1 deal to the trash");
    // The cursor went to the card now nearest its place, ready for the next key.
    settle(&mut harness);
    press(&mut harness, Key::Enter);
    label(&harness, "Nordwind – fleet renewal");
    press(&mut harness, Key::Escape);
    chord(&mut harness, Modifiers::COMMAND, Key::Z);
    assert!(!trashed(&harness));
}

#[test]
fn a_deal_opened_by_enter_takes_the_typing_and_enter_saves_when_asked() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    // The keyboard is in Name: letters edit the deal, W wins nothing.
    harness.key_press(Key::End);
    harness.key_press(Key::W);
    typed(&mut harness, " (w)");
    let name = "Café Müller – espresso machines (w)";
    assert_eq!(harness.get_by_label("Name").value().as_deref(), Some(name));
    assert_eq!(
        stage_of(&harness, "Café Müller – espresso machines").0,
        StageKind::Open
    );
    // Another view asks first; Enter keeps what was typed.
    chord(&mut harness, Modifiers::COMMAND, Key::Num3);
    settle(&mut harness);
    label(&harness, "Unsaved changes");
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    deal(harness.state().workspace().unwrap(), name);
}

#[test]
fn a_plans_an_activity_typed_at_once() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::A);
    settle(&mut harness);
    typed(&mut harness, "Call about the quote");
    press(&mut harness, Key::Enter);
    let ws = harness.state().workspace().unwrap();
    let id = deal(ws, "Café Müller – espresso machines").id;
    let planned: Vec<&str> = ws
        .activities_of(forsat_core::domain::ActivityLink::Opportunity(id))
        .iter()
        .map(|a| a.summary.as_str())
        .collect();
    assert_eq!(planned, ["Call about the quote"]);
    // The form did not jump to its top: the line for the next one is still in sight.
    settle(&mut harness);
    let line = harness.get_by_label("New activity summary").rect();
    assert!(line.bottom() <= WINDOW_SIZE[1], "{line:?}");
}

#[test]
fn ctrl_and_a_digit_open_the_views_and_question_mark_the_sheet() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    chord(&mut harness, Modifiers::COMMAND, Key::Num3);
    assert!(harness.query_by_label("New account").is_some(), "Accounts");
    chord(&mut harness, Modifiers::COMMAND, Key::Num1);
    press(&mut harness, Key::Questionmark);
    settle(&mut harness);
    label(&harness, "Command palette");
    label(&harness, "Ctrl+K or Ctrl+P");
    label(&harness, "Mark the deal won");
    press(&mut harness, Key::Escape);
    settle(&mut harness);
    assert!(harness.query_by_label("Mark the deal won").is_none());
    // W with no deal selected says how to select one.
    press(&mut harness, Key::W);
    label(
        &harness,
        "Select a deal first: click it, or move to it with the arrow keys.",
    );
}

#[test]
#[expect(
    clippy::redundant_closure_for_method_calls,
    reason = "the method's path does not meet the query's lifetimes"
)]
fn tab_keeps_the_field_it_reaches_in_sight() {
    let fixture = Fixture::two_deals();
    let size = egui::vec2(1000.0, 560.0);
    let window = Harness::builder().with_size(size);
    let mut harness = crate::app_harness(
        window,
        &fixture.path,
        crate::clock(),
        forsat_ui::View::Pipeline,
    );
    crate::card(&harness, "Nordwind – fleet renewal").click();
    settle(&mut harness);
    harness.get_by_label("Name").click();
    harness.run();
    let mut reached = Vec::new();
    for _ in 0..24 {
        press(&mut harness, Key::Tab);
        settle(&mut harness);
        if let Some(node) = harness.query_by(|n| n.is_focused()) {
            let rect = node.rect();
            assert!(
                rect.top() >= 0.0 && rect.bottom() <= size.y + 1.0,
                "{node:?} at {rect:?} is out of sight"
            );
            reached.push(rect.bottom());
        }
    }
    assert!(
        reached.iter().any(|bottom| *bottom > size.y / 2.0),
        "Tab went down the form: {reached:?}"
    );
}

#[test]
fn a_dropdown_opens_moves_and_picks_with_the_keys() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Closing").focus();
    harness.run();
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::Enter);
    settle(&mut harness);
    let shown = harness.get_by_label("Closing").value().unwrap_or_default();
    assert_ne!(shown, "Any time", "a window was picked: {shown}");
}

#[test]
fn each_letter_typed_in_the_search_narrows_the_cards_and_the_column_totals_follow() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    crate::add_deal(
        &mut ws,
        "Zagros Logistics",
        "Zagros – fleet renewal",
        "7000",
        StageKind::Open,
        0,
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    // New holds Café Müller (12,500) and Zagros (7,000); Qualified holds Nordwind (40,000).
    label(&harness, "$19,500");
    press(&mut harness, Key::Slash);
    // "r" and "re" are in every name ("espresso"): the whole columns, their totals whole.
    for letter in ["r", "e"] {
        typed(&mut harness, letter);
        label(&harness, "$19,500");
        label(&harness, "$40,000");
    }
    // "ren" is in the renewals only: Café Müller leaves, and its amount with it.
    typed(&mut harness, "n");
    assert!(
        harness
            .query_by_label("Café Müller – espresso machines")
            .is_none()
    );
    assert!(
        harness.query_by_label("$19,500").is_none(),
        "New's total is Zagros's alone"
    );
    label(&harness, "$7,000");
    // An account's name finds its deals too: "GmbH" is Nordwind's.
    press(&mut harness, Key::Escape);
    press(&mut harness, Key::Slash);
    typed(&mut harness, "GmbH");
    assert!(harness.query_by_label("Nordwind – fleet renewal").is_some());
    assert!(harness.query_by_label("Zagros – fleet renewal").is_none());
    label(&harness, "$40,000");
    assert!(harness.query_by_label("$19,500").is_none());
    press(&mut harness, Key::Escape);
    label(&harness, "$19,500");
}
