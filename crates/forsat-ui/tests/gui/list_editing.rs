//! The list and the saved searches as a hurried user works them: names typed into a dialog that
//! stays open, cells that say why they cannot change, bulk closes that ask, a layout that stays
//! under the pointer.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use forsat_core::command::Command;
use forsat_core::domain::{AmountMode, Line};
use rust_decimal::Decimal;

use crate::list::{add_zagros, apply_stage_to_selection, labels, list_harness};
use crate::{Fixture, card, deal, harness, label, settle, stage_id};

const CAFE: &str = "Café Müller – espresso machines";
const NORDWIND: &str = "Nordwind – fleet renewal";

type Harness = egui_kittest::Harness<'static, forsat_ui::App>;

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
    // By keyboard: the arrows reach it in the menu, Enter picks it.
    open_saved_searches(&mut harness);
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
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

const ZAGROS: &str = "Zagros – depot racking";

#[test]
fn the_amount_of_a_deal_priced_from_its_lines_says_why_it_cannot_be_typed() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let mut priced = deal(&ws, NORDWIND).clone();
    priced.amount_mode = AmountMode::FromLines;
    priced.lines = vec![Line {
        product: None,
        description: "Delivery van".into(),
        quantity: Decimal::from(2),
        unit_price: Decimal::from(20_000),
        discount_pct: Decimal::ZERO,
    }];
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(priced),
        new_account: None,
    })
    .unwrap();
    drop(ws);
    let mut harness = list_harness(&fixture);
    label(&harness, "$40,000.00").click();
    harness.run();
    assert!(
        harness
            .query_by_label(&format!("Amount of {NORDWIND}"))
            .is_none(),
        "no editor for an amount its lines make"
    );
    label(
        &harness,
        "Priced from its lines: open the deal to change them",
    );
    assert_eq!(labels(&harness, "Saved."), 0);
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, NORDWIND).amount, Decimal::from(40_000));
}

#[test]
fn a_cell_edit_keeps_a_refused_value_says_saved_once_applied_and_leaves_the_form_open() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    // Café Müller open in the form beside the list.
    label(&harness, CAFE).click();
    harness.run();
    assert!(harness.query_by_label("Move to trash").is_some());

    let editor = format!("Probability of {NORDWIND}");
    label(&harness, "30 %").click();
    harness.run();
    harness.get_by_label(&editor).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(&editor).type_text("150");
    harness.key_press(Key::Enter);
    harness.run();
    // Refused: the typed value stays in its cell, with the reason in the status bar.
    assert_eq!(
        harness.get_by_label(&editor).value().as_deref(),
        Some("150")
    );
    assert!(harness.query_by_label_contains("Probability:").is_some());
    assert_eq!(labels(&harness, "Saved."), 0);
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, NORDWIND).probability, Decimal::from(30));

    // Corrected, it is saved, said so, and the deal open in the form stays open.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(&editor).type_text("45");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_by_label(&editor).is_none());
    label(&harness, "Saved.");
    label(&harness, "45 %");
    assert!(
        harness.query_by_label("Move to trash").is_some(),
        "the form stays open"
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(deal(&ws, NORDWIND).probability, Decimal::from(45));
}

#[test]
fn a_mass_update_to_lost_asks_one_reason_for_all_confirms_and_reports() {
    use egui_kittest::kittest::NodeT as _;
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    // The won deal is among the closed ones, which the list shows on request.
    harness
        .get_by_label("Show all deals, open and closed")
        .click();
    harness.run();
    label(&harness, CAFE).click_modifiers(Modifiers::COMMAND);
    harness.run();
    label(&harness, ZAGROS).click_modifiers(Modifiers::COMMAND);
    harness.run();
    label(&harness, "2 selected");
    apply_stage_to_selection(&mut harness, "Lost", 2);
    settle(&mut harness);
    label(&harness, "Close 2 deals as lost?");
    let lost = |harness: &Harness| {
        let ws = harness.state().workspace().unwrap();
        let stage = stage_id(ws, "Lost");
        [CAFE, NORDWIND, ZAGROS].map(|n| deal(ws, n).stage == stage)
    };
    assert_eq!(
        lost(&harness),
        [false; 3],
        "nothing closed before the answer"
    );

    // Escape takes the question back; the choices stay for another try.
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(harness.query_by_label("Close 2 deals as lost?").is_none());
    assert_eq!(lost(&harness), [false; 3]);
    harness.get_by_label("Apply to 2 deals").click();
    settle(&mut harness);

    // The reason, by keyboard: Tab to the reasons, the arrows to the one, Space picks it.
    harness.key_press(Key::Tab);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Space);
    harness.run();
    let picked = harness.get_by(|n| {
        n.role() == Role::RadioButton && n.toggled() == Some(egui::accesskit::Toggled::True)
    });
    assert_eq!(
        picked.accesskit_node().label().as_deref(),
        Some("No budget")
    );
    harness.get_by_label("Close 2 deals as lost").click();
    harness.run();
    assert_eq!(lost(&harness), [true, false, true]);
    label(&harness, "2 deals updated");
    let ws = harness.state().workspace().unwrap();
    let reason = ws.lookup_name(deal(ws, CAFE).loss_reason).to_owned();
    assert_eq!(reason, "No budget");
    assert_eq!(deal(ws, ZAGROS).loss_reason, deal(ws, CAFE).loss_reason);
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.lookup_name(deal(&ws, ZAGROS).loss_reason), "No budget");
}

#[test]
fn selecting_a_row_or_typing_a_search_moves_nothing_under_the_pointer() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    let row = label(&harness, ZAGROS).rect();
    label(&harness, CAFE).click_modifiers(Modifiers::COMMAND);
    harness.run();
    label(&harness, "1 selected");
    assert_eq!(label(&harness, ZAGROS).rect(), row, "the rows stay put");

    let more = harness.get_by_label("More filters").rect();
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("Search").type_text("zagros");
    harness.run();
    assert!(harness.query_by_label("Clear filters").is_some());
    assert_eq!(harness.get_by_label("More filters").rect(), more);
}

#[test]
fn numbers_line_up_at_the_right_edge_of_their_columns_in_english_and_persian() {
    for persian in [false, true] {
        let fixture = Fixture::two_deals();
        if persian {
            fixture.with_language(forsat_core::domain::Language::Persian);
        }
        add_zagros(&fixture);
        let mut harness = harness(&fixture.path);
        let list = if persian { "فهرست" } else { "List" };
        harness.get_by_label(list).click();
        harness.run();
        let amounts = if persian {
            // As drawn: in display order, the currency's name at the left.
            ["دلار۰۰٫۰۰۵٬۲۱", "دلار۰۰٫۰۰۰٬۰۴", "دلار۰۵٫۰۵۲٬۷"]
        } else {
            ["$12,500.00", "$40,000.00", "$7,250.50"]
        };
        let rights: Vec<f32> = amounts
            .iter()
            .map(|a| {
                harness
                    .get_by(|n| {
                        n.role() == Role::Label && n.value().is_some_and(|v| v.trim() == *a)
                    })
                    .rect()
                    .right()
            })
            .collect();
        assert!(
            rights.iter().all(|r| (r - rights[0]).abs() < 0.5),
            "persian {persian}: {rights:?}"
        );
        let header = if persian { "مبلغ" } else { "Amount" };
        let header = harness.get_by_role_and_label(Role::Button, header).rect();
        assert!(
            (header.right() - rights[0]).abs() < 16.0,
            "persian {persian}: the header {header:?} over its numbers {rights:?}"
        );
    }
}

#[test]
fn closing_a_won_deal_as_lost_with_others_says_so_before_it_happens() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let ids = vec![deal(&ws, CAFE).id];
        let patch = forsat_core::command::MassPatch {
            stage: Some(stage_id(&ws, "Won")),
            ..Default::default()
        };
        ws.apply(Command::MassUpdate { ids, patch }).unwrap();
    }
    let mut harness = list_harness(&fixture);
    // The won deal is among the closed ones, which the list shows on request.
    harness
        .get_by_label("Show all deals, open and closed")
        .click();
    harness.run();
    label(&harness, CAFE).click_modifiers(Modifiers::COMMAND);
    harness.run();
    label(&harness, ZAGROS).click_modifiers(Modifiers::COMMAND);
    harness.run();
    apply_stage_to_selection(&mut harness, "Lost", 2);
    settle(&mut harness);
    label(&harness, "Close 2 deals as lost?");
    label(&harness, "1 of them is won now and becomes lost.");
    // Cancelled, the won deal stays won.
    harness.get_by_label("Cancel").click();
    settle(&mut harness);
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, CAFE).stage, stage_id(ws, "Won"));
}
