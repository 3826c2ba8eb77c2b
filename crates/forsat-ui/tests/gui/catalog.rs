//! Products and Currencies: the editors above their tables, edited as a hurried user does.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Currency, Product, Record};
use forsat_ui::App;
use rust_decimal::Decimal;

use crate::{Fixture, deal, harness, label, retype, settle, stage_id};

const NORDWIND: &str = "Nordwind – fleet renewal";

fn put_currency(ws: &mut Workspace, code: &str, name: &str, rate: &str) {
    let currency = Currency {
        id: 0,
        code: code.into(),
        name: name.into(),
        rate: rate.parse().unwrap(),
        rate_date: ws.today(),
        active: true,
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Currency(
        currency,
    )))))
    .unwrap();
}

/// Two deals, Nordwind's in euros; the pound is listed and unused.
fn euro_deal() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    put_currency(&mut ws, "EUR", "Euro", "1.08");
    put_currency(&mut ws, "GBP", "Pound sterling", "1.27");
    let mut opp = deal(&ws, NORDWIND).clone();
    opp.currency = "EUR".into();
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    fixture
}

fn currency<'a>(ws: &'a Workspace, code: &str) -> &'a Currency {
    ws.currencies()
        .into_iter()
        .find(|c| c.code == code)
        .unwrap()
}

/// Clicks the button called `name`.
fn press(harness: &mut Harness<'static, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

fn field_value(harness: &Harness<'static, App>, name: &str) -> String {
    harness
        .get_by_role_and_label(Role::TextInput, name)
        .value()
        .unwrap_or_default()
}

#[test]
fn a_refused_delete_keeps_the_editor_and_the_typed_rate_which_ctrl_enter_then_saves() {
    let fixture = euro_deal();
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Currencies");
    harness.get_by_role_and_label(Role::Link, "EUR").click();
    harness.run();
    retype(&mut harness, "Rate", "1.3");
    label(&harness, "Unsaved changes");
    press(&mut harness, "Delete");
    settle(&mut harness);

    // The euro is in use: the editor stays, says why, and keeps the typing.
    assert_eq!(
        harness
            .query_all_by_label_contains("is still in use")
            .count(),
        2,
        "the refusal is shown in the editor, and in the status bar"
    );
    assert_eq!(field_value(&harness, "Rate"), "1.3");
    label(&harness, "Unsaved changes");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(currency(ws, "EUR").rate, "1.08".parse::<Decimal>().unwrap());

    // Ctrl+Enter saves what was typed and closes the editor.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Rate")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(currency(&ws, "EUR").rate, "1.3".parse::<Decimal>().unwrap());
}

#[test]
fn another_currency_picked_with_an_unsaved_rate_asks_keeps_saves_and_discards() {
    let fixture = euro_deal();
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Currencies");
    let eur = harness.get_by_role_and_label(Role::Link, "EUR").rect();
    harness.get_by_role_and_label(Role::Link, "EUR").click();
    harness.run();
    // The editor opens beside the table: the row clicked stays under the pointer.
    assert_eq!(harness.get_by_role_and_label(Role::Link, "EUR").rect(), eur);
    retype(&mut harness, "Rate", "1.1");

    // Keep editing: still on the euro, with the typed rate.
    harness.get_by_role_and_label(Role::Link, "GBP").click();
    settle(&mut harness);
    label(&harness, "EUR has changes that are not saved.");
    press(&mut harness, "Keep editing");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Rate"), "1.1");
    assert_eq!(field_value(&harness, "Code"), "EUR");

    // Save: the euro's rate is written and the pound opens.
    harness.get_by_role_and_label(Role::Link, "GBP").click();
    settle(&mut harness);
    press(&mut harness, "Save changes");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Code"), "GBP");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(currency(ws, "EUR").rate, "1.1".parse::<Decimal>().unwrap());

    // Escape with an edit asks; Discard drops it and closes the editor.
    retype(&mut harness, "Name", "Livre sterling");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    press(&mut harness, "Discard changes");
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Name")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(currency(&ws, "GBP").name, "Pound sterling");
    assert_eq!(currency(&ws, "EUR").rate, "1.1".parse::<Decimal>().unwrap());
}

#[test]
fn a_new_product_left_for_another_view_asks_and_enter_saves_the_next_one() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Products");
    press(&mut harness, "New product");
    retype(&mut harness, "Code", "ESP-01");
    retype(&mut harness, "Name", "Espresso grinder");
    retype(&mut harness, "Unit price", "1250");
    label(&harness, "Unsaved changes");

    // Another view: asked first; Save writes the product, then the board shows.
    press(&mut harness, "Pipeline");
    settle(&mut harness);
    label(&harness, "New product has changes that are not saved.");
    press(&mut harness, "Save changes");
    settle(&mut harness);
    assert!(harness.query_by_label("Espresso grinder").is_none());
    crate::card(&harness, NORDWIND);

    // Enter in a field saves the next one.
    press(&mut harness, "Products");
    press(&mut harness, "New product");
    retype(&mut harness, "Code", "MILK-02");
    retype(&mut harness, "Name", "Milk frother");
    retype(&mut harness, "Unit price", "89.5");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Code")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    let products: Vec<(String, Decimal)> = ws
        .products()
        .iter()
        .map(|p| (p.name.clone(), p.unit_price))
        .collect();
    assert!(products.contains(&("Espresso grinder".into(), Decimal::from(1250))));
    assert!(products.contains(&("Milk frother".into(), "89.5".parse().unwrap())));
}

#[test]
fn text_fields_show_on_the_white_editor_frames() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Products");
    press(&mut harness, "New product");
    // The editor's frame is white, and so is a text field's fill: its edge must show it.
    let visuals = harness.ctx.style_of(egui::Theme::Light).visuals.clone();
    let fill = visuals.text_edit_bg_color();
    let edge = visuals.widgets.inactive.bg_stroke;
    let contrast = |a: egui::Color32, b: egui::Color32| {
        (i32::from(a.r()) - i32::from(b.r())).abs()
            + (i32::from(a.g()) - i32::from(b.g())).abs()
            + (i32::from(a.b()) - i32::from(b.b())).abs()
    };
    assert!(
        contrast(fill, egui::Color32::WHITE) > 40
            || (edge.width >= 1.0 && contrast(edge.color, egui::Color32::WHITE) > 120),
        "a text field at rest ({fill:?}, edge {edge:?}) cannot be seen on white"
    );
    assert!(field_value(&harness, "Code").is_empty());
}

#[test]
fn prices_and_deal_counts_are_right_aligned() {
    let fixture = euro_deal();
    {
        let mut ws = fixture.reopen();
        let product = Product {
            code: "ESP-01".into(),
            name: "Espresso grinder".into(),
            unit_price: Decimal::from(7),
            currency: "USD".into(),
            active: true,
            ..Product::default()
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Product(
            product,
        )))))
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Products");
    let header = label(&harness, "Unit price").rect();
    let price = label(&harness, "7.00").rect();
    assert!(
        (price.right() - header.right()).abs() < 2.0 && price.left() > header.left() + 10.0,
        "price {price:?} under its header {header:?}"
    );
    let header = label(&harness, "Code").rect();
    let code = label(&harness, "ESP-01").rect();
    assert!(
        (code.left() - header.left()).abs() < 2.0,
        "text starts where its header does"
    );

    press(&mut harness, "Currencies");
    let header = label(&harness, "Deals").rect();
    // One deal in euros, one in dollars; none in pounds.
    let none = label(&harness, "0").rect();
    assert!(
        (none.right() - header.right()).abs() < 2.0,
        "count {none:?} under its header {header:?}"
    );
}

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
    retype(&mut harness, "Rate", "1.25");
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
    label(&harness, "$50,000");
}

#[test]
fn in_french_undo_and_cancel_are_two_words_on_the_product_editor() {
    let fixture = Fixture::two_deals();
    fixture.with_language(forsat_core::domain::Language::French);
    let mut harness = harness(&fixture.path);
    press(&mut harness, "Produits");
    press(&mut harness, "Nouveau produit");
    // One button each: the top bar's Undo and Redo, the editor's Cancel.
    for word in ["Défaire", "Refaire", "Annuler", "Enregistrer"] {
        assert_eq!(
            harness
                .query_all_by_role_and_label(Role::Button, word)
                .count(),
            1,
            "{word}"
        );
    }
    // Cancel closes the editor: it is not the app's undo.
    press(&mut harness, "Annuler");
    assert!(harness.query_by_role(Role::TextInput).is_none());
}
