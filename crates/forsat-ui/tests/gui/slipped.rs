//! Slipped close dates as a person meets them: a deal's close date pushed later in its form,
//! then the Reports view's card listing it, its period chosen in the popup, its name opening
//! the deal, and an undo that takes the push back.

use egui_kittest::kittest::Queryable as _;
use forsat_core::command::Command;
use forsat_core::domain::{Account, Opportunity, pushes};

use crate::reports::{click, five_deals};
use crate::{card, deal, harness, has_label, pick, type_into};

/// Opens the deal's card and saves `date` as its expected close.
fn set_close(harness: &mut egui_kittest::Harness<'static, forsat_ui::App>, name: &str, date: &str) {
    card(harness, name).click();
    harness.run();
    type_into(harness, "Expected close", date);
    harness.get_by_label("Save").click();
    harness.run();
}

#[test]
fn a_close_date_pushed_in_the_form_is_listed_on_the_card_which_opens_the_deal() {
    let fixture = five_deals();
    // A deal made due on 10 December (its creation is no change of its date).
    let name = "Bluefin – CRM rollout";
    let mut ws = fixture.reopen();
    let stage = ws
        .stages_of(ws.default_pipeline().id)
        .next()
        .unwrap()
        .clone();
    let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), ws.now());
    (opp.name, opp.amount) = (name.to_owned(), 40_000.into());
    opp.expected_close = "2026-12-10".parse().ok();
    let new_account = Some("Bluefin".to_owned());
    let create = Command::CreateOpportunity {
        opp: Box::new(opp),
        new_account,
    };
    ws.apply(create).unwrap();
    drop(ws);
    let mut harness = harness(&fixture.path);
    // Pulled in is no push; a later date is.
    set_close(&mut harness, name, "2026-12-05");
    set_close(&mut harness, name, "2027-01-15");
    let id = deal(harness.state().workspace().unwrap(), name).id;
    assert_eq!(
        pushes(harness.state().workspace().unwrap().close_dates(id)).len(),
        1
    );

    harness.get_by_label("Reports").click();
    harness.run();
    click(&mut harness, "Open Slipped close dates full size");
    assert!(has_label(
        &harness,
        "1 deal had its close date pushed later in 2026-11."
    ));
    // It was not due in November: November's forecast lost nothing.
    assert!(!has_label(&harness, "no longer"));

    // The quarter, picked in the popup: it was due in it, and no longer is.
    pick(&mut harness, "Period", "This quarter");
    assert!(has_label(&harness, "pushed later in 2026-Q4."));
    assert!(has_label(
        &harness,
        "1 of them, $40,000, was due in it and no longer is."
    ));

    // The deal's name opens it in the form.
    harness.get_by_label(name).click();
    harness.run();
    assert!(harness.query_by_label("Save").is_some(), "the form is open");
    assert_eq!(
        harness.get_by_label("Expected close").value().as_deref(),
        Some("2027-01-15")
    );
    harness.get_by_label("Cancel").click();
    harness.run();

    // Undone (Ctrl+Z with no field focused): the push did not happen.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert!(pushes(ws.close_dates(id)).is_empty());
    assert!(has_label(
        &harness,
        "No deal's close date was pushed later in this period."
    ));
}
