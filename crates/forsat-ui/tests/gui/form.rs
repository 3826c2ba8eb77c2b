use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::EntityKind;
use rust_decimal::Decimal;

use crate::{Fixture, card, deal, harness, label, pick, stage_id, type_into};

#[test]
fn create_an_opportunity_through_the_form() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("New deal in New").click();
    harness.run();
    type_into(&mut harness, "Account", "Øresund Shipping");
    harness.get_by_label("New account").click();
    harness.run();
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

/// Adds two products to the fixture's file.
fn add_products(fixture: &Fixture) {
    use forsat_core::command::{Change, Command};
    use forsat_core::domain::{Product, Record};
    let mut ws = fixture.reopen();
    for (code, name, price) in [
        ("LIC", "Seat licence", "450"),
        ("ONB", "Onboarding workshop", "2400"),
    ] {
        let product = Product {
            id: 0,
            code: code.into(),
            name: name.into(),
            unit_price: price.parse().unwrap(),
            currency: "USD".into(),
            active: true,
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Product(
            product,
        )))))
        .unwrap();
    }
}

#[test]
fn two_lines_on_the_form_make_the_amount() {
    let fixture = Fixture::two_deals();
    add_products(&fixture);
    let mut harness = harness(&fixture.path);
    card(&harness, "Nordwind – fleet renewal").click();
    harness.run();
    harness.get_by_label("From lines").click();
    harness.run();
    harness.get_by_label("Add line").click();
    harness.run();
    harness.get_by_label("Add line").click();
    harness.run();
    pick(&mut harness, "Line 1 product", "LIC · Seat licence");
    type_into(&mut harness, "Line 1 Quantity", "3");
    type_into(&mut harness, "Line 1 Discount %", "10");
    pick(&mut harness, "Line 2 product", "ONB · Onboarding workshop");
    // 3 × 450 less 10 % = 1,215.00, plus 2,400.00.
    label(&harness, "$1,215.00");
    // The amount, exact with cents, beside the lines' own total.
    let totals = harness
        .query_all(egui_kittest::kittest::by().value("$3,615.00"))
        .count();
    assert!(totals > 0, "the amount reads $3,615.00");
    harness.get_by_label("Save").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(opp.amount, Decimal::from(3615));
    assert_eq!(opp.lines.len(), 2);
    assert_eq!(opp.lines[0].discount_pct, Decimal::from(10));
    let qualified = stage_id(ws, "Qualified");
    assert_eq!(ws.stage_totals(qualified).expected, Decimal::from(3615));

    // Back to a typed amount keeps the computed one.
    card(&harness, "Nordwind – fleet renewal").click();
    harness.run();
    harness.get_by_label("Typed in").click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let opp = deal(
        harness.state().workspace().unwrap(),
        "Nordwind – fleet renewal",
    );
    assert_eq!(opp.amount_mode, forsat_core::domain::AmountMode::Manual);
    assert_eq!(opp.amount, Decimal::from(3615));
}

#[test]
fn a_save_on_a_full_disk_says_so_and_keeps_the_form_as_typed() {
    let Some(disk) = crate::tmpfs::Tmpfs::mount("4m") else {
        eprintln!("full-disk test not run: cannot mount a tmpfs here");
        return;
    };
    let path = disk.path().join("pipeline.redb");
    {
        let mut ws = forsat_app::workspace::Workspace::open(&path, crate::clock()).unwrap();
        crate::add_deal(
            &mut ws,
            "Nordwind GmbH",
            "Nordwind – fleet renewal",
            "40000",
            forsat_core::domain::StageKind::Open,
            0,
        );
    }
    let mut harness = harness(&path);
    let filler = disk.fill();
    card(&harness, "Nordwind – fleet renewal").click();
    harness.run();
    let long = "x".repeat(20_000);
    type_into(&mut harness, "Amount", "55,000");
    type_into(&mut harness, "Description", &long);
    harness.get_by_label("Save").click();
    harness.run();

    assert!(
        harness
            .query_by_label_contains("Nothing of this change was saved")
            .is_some(),
        "the status bar says the save failed"
    );
    assert_eq!(
        harness.get_by_label("Amount").value().as_deref(),
        Some("55,000"),
        "the form keeps what was typed"
    );
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(40_000)
    );

    // Space back: the same Save goes through.
    std::fs::remove_file(filler).unwrap();
    harness.get_by_label("Save").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(55_000)
    );
}
