use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use forsat::domain::EntityKind;
use rust_decimal::Decimal;

use crate::{Fixture, card, deal, harness, label, stage_id};

fn type_into(harness: &mut egui_kittest::Harness<'_, forsat::ui::App>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn create_an_opportunity_through_the_form() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("New deal in New").click();
    harness.run();
    type_into(&mut harness, "Account", "Øresund Shipping");
    type_into(&mut harness, "Amount", "75,000");
    type_into(&mut harness, "Expected close", "2027-03-01");
    harness.get_by_label("Save").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Øresund Shipping");
    assert_eq!(opp.amount, Decimal::from(75_000));
    assert_eq!(opp.stage, stage_id(ws, "New"));
    assert_eq!(opp.probability, Decimal::from(10));
    assert_eq!(opp.expected_close.unwrap().to_string(), "2027-03-01");
    assert_eq!(ws.account(opp.account).unwrap().name, "Øresund Shipping");
    // The card is on the board.
    card(&harness, "Øresund Shipping");
    let id = opp.id;
    drop(harness);
    let ws = fixture.reopen();
    let stored = ws.opportunity(id).expect("the new deal persisted");
    assert_eq!(stored.amount, Decimal::from(75_000));
    let history = ws.history(EntityKind::Opportunity, id).unwrap();
    assert_eq!(history[0].field, "created");
}

#[test]
fn a_bad_amount_shows_a_message_and_saves_nothing() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, "Nordwind – fleet renewal").click();
    harness.run();
    type_into(&mut harness, "Amount", "12k");
    harness.get_by_label("Save").click();
    harness.run();

    label(&harness, "“12k” is not a number");
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(opp.amount, Decimal::from(40_000));
    let id = opp.id;
    let history_len = ws.history(EntityKind::Opportunity, id).unwrap().len();
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.opportunity(id).unwrap().amount, Decimal::from(40_000));
    assert_eq!(
        ws.history(EntityKind::Opportunity, id).unwrap().len(),
        history_len
    );
}

#[test]
fn saving_an_edited_form_keeps_a_move_made_on_the_board_meanwhile() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, "Café Müller – espresso machines").click();
    harness.run();
    type_into(&mut harness, "Next step", "Taste test on Friday");
    let from = card(&harness, "Café Müller – espresso machines")
        .rect()
        .center();
    let plus = harness.get_by_label("New deal in Qualified").rect();
    crate::board::drag(
        &mut harness,
        from,
        egui::Pos2::new(plus.center().x - 60.0, plus.bottom() + 250.0),
    );
    harness.get_by_label("Save").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    assert_eq!(opp.stage, stage_id(ws, "Qualified"));
    assert_eq!(opp.probability, Decimal::from(30));
    assert_eq!(opp.next_step, "Taste test on Friday");
}
