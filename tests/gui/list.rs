use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use rust_decimal::Decimal;

use crate::{Fixture, add_deal, deal, harness, label, stage_id};
use forsat::domain::StageKind;

/// The fixture plus a third deal, opened on the List view.
fn list_harness(fixture: &Fixture) -> egui_kittest::Harness<'static, forsat::ui::App> {
    let mut ws = fixture.reopen();
    add_deal(
        &mut ws,
        "Zagros Logistics",
        "Zagros – depot racking",
        "7250.50",
        StageKind::Open,
        2,
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    harness
}

/// The deal names in the order the rows appear on screen.
fn row_order(harness: &egui_kittest::Harness<'static, forsat::ui::App>) -> Vec<String> {
    let mut rows: Vec<(f32, String)> = [
        "Café Müller – espresso machines",
        "Nordwind – fleet renewal",
        "Zagros – depot racking",
    ]
    .iter()
    .map(|name| (label(harness, name).rect().top(), name.to_string()))
    .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, name)| name).collect()
}

#[test]
fn sort_by_amount_both_ways() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    harness.get_by_label("Amount").click();
    harness.run();
    assert_eq!(
        row_order(&harness),
        [
            "Zagros – depot racking",
            "Café Müller – espresso machines",
            "Nordwind – fleet renewal"
        ]
    );
    harness.get_by_label("Amount").click();
    harness.run();
    assert_eq!(
        row_order(&harness),
        [
            "Nordwind – fleet renewal",
            "Café Müller – espresso machines",
            "Zagros – depot racking"
        ]
    );
    label(&harness, "Weighted $18,325");
    label(&harness, "Expected $59,751");
}

#[test]
fn inline_edits_save_through_commands() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    label(&harness, "$40,000").click();
    harness.run();
    let editor = "Amount of Nordwind – fleet renewal";
    harness.get_by_label(editor).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(editor).type_text("45,500");
    harness.key_press(Key::Enter);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(45_500)
    );
    label(&harness, "$45,500");

    // A value that does not parse is reported and not saved.
    label(&harness, "$45,500").click();
    harness.run();
    harness.get_by_label(editor).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(editor).type_text("lots");
    harness.key_press(Key::Enter);
    harness.run();
    label(
        &harness,
        "Nordwind – fleet renewal: Amount: “lots” is not a number",
    );
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(45_500)
    );

    // The stage dropdown moves the deal like a drag on the board.
    harness
        .get_by_label("Stage of Café Müller – espresso machines")
        .click();
    harness.run();
    harness.get_by_label("Proposition").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    assert_eq!(opp.stage, stage_id(ws, "Proposition"));
    assert_eq!(opp.probability, Decimal::from(70));
}
