use egui_kittest::kittest::Queryable as _;
use forsat::command::{Change, Command};
use forsat::domain::{Currency, Record};
use rust_decimal::Decimal;

use crate::{Fixture, deal, harness, stage_id};

#[test]
fn a_new_rate_changes_the_column_totals_at_once() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let eur = Currency {
            id: 0,
            code: "EUR".into(),
            name: "Euro".into(),
            rate: "1.08".parse().unwrap(),
            rate_date: ws.today(),
            active: true,
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Currency(
            eur,
        )))))
        .unwrap();
        let mut opp = deal(&ws, "Nordwind – fleet renewal").clone();
        opp.currency = "EUR".into();
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
        let qualified = stage_id(&ws, "Qualified");
        assert_eq!(ws.stage_totals(qualified).expected, Decimal::from(43_200));
    }
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Currencies").click();
    harness.run();
    harness.get_by_label("EUR").click();
    harness.run();
    let input = egui::accesskit::Role::TextInput;
    harness.get_by_role_and_label(input, "Rate").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(input, "Rate")
        .type_text("1.25");
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let eur = ws.currencies()[0].clone();
    assert_eq!(eur.rate, "1.25".parse::<Decimal>().unwrap());
    assert_eq!(eur.rate_date, ws.today());
    // 40,000 EUR at 1.25.
    let qualified = stage_id(ws, "Qualified");
    assert_eq!(ws.stage_totals(qualified).expected, Decimal::from(50_000));
    harness.get_by_label("Pipeline").click();
    harness.run();
    crate::label(&harness, "$50,000");
}
