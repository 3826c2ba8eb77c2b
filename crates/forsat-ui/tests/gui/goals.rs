//! Goals as a person sets them: typed into the Goals card, refused with a message when the
//! target is not one, shown with their progress on the card and the board's header, removed.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::{Every, Measure};
use forsat_ui::App;
use rust_decimal::Decimal;

use crate::reports::{click, five_deals, reports_harness};
use crate::{has_label, pick};

/// Types `text` into the goal's Target field (focused by a click, as a person does) and
/// presses Enter.
fn type_target(harness: &mut Harness<'static, App>, text: &str) {
    click(harness, "Target");
    harness.get_by_label("Target").type_text(text);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn a_goal_typed_on_the_card_shows_its_progress_there_and_on_the_board_and_is_removed() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Goals full size");
    assert!(has_label(&harness, "No goal yet"));

    // Not a target: refused, with the field and the value named; nothing is set.
    type_target(&mut harness, "lots");
    assert!(
        has_label(&harness, "Target: “lots” is not a number"),
        "the message names the field and the value"
    );
    assert!(harness.state().workspace().unwrap().goals().is_empty());

    // The month's won value (the default measure), picked in the period's popup, typed over
    // the refused text and entered with Enter.
    pick(&mut harness, "Period", "Monthly");
    let field = harness.get_by_label("Target");
    field.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Target").type_text("100000");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let goals = harness.state().workspace().unwrap().goals().to_vec();
    assert_eq!(goals.len(), 1, "{goals:?}");
    assert_eq!(
        (goals[0].measure, goals[0].every, goals[0].target),
        (Measure::WonValue, Every::Month, Decimal::from(100_000))
    );
    // Hôtel Lumière's 60,000 was won this month (22 November).
    assert!(has_label(&harness, "$60,000 of $100,000 (60 %)"));
    assert!(has_label(
        &harness,
        "Won value, Monthly (2026-11), everyone"
    ));

    // Set again with another target: the goal's target changes, no second goal.
    type_target(&mut harness, "80000");
    let goals = harness.state().workspace().unwrap().goals().to_vec();
    assert_eq!(goals.len(), 1, "{goals:?}");
    assert_eq!(goals[0].target, Decimal::from(80_000));
    assert!(has_label(&harness, "$60,000 of $80,000 (75 %)"));

    // The board's header shows it too.
    harness.get_by_label("Pipeline").click();
    harness.run();
    assert!(has_label(&harness, "Won value 75 %"));

    // Removed from the card, and gone from the header.
    harness.get_by_label("Reports").click();
    harness.run();
    click(
        &mut harness,
        "Remove the goal Won value, Monthly (2026-11), everyone",
    );
    assert!(harness.state().workspace().unwrap().goals().is_empty());
    harness.get_by_label("Pipeline").click();
    harness.run();
    assert!(!has_label(&harness, "Won value 75 %"));
}
