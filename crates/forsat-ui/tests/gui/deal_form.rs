//! The deal form as a hurried user fills it: an account picked from its suggestions by click
//! and by keys, Enter to save, the account's contacts at once, a new contact inline, a form that
//! opens at its top, and the form right to left in Persian.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Contact, Language, Record, StageKind};
use forsat_ui::App;
use rust_decimal::Decimal;

use crate::{Fixture, add_deal, card, deal, harness, label, settle};

const NORDWIND: &str = "Nordwind – fleet renewal";
const GLOBEX_DEAL: &str = "Globex – warehouse robots";

/// The two-deal fixture plus Globex, with a deal and one contact.
pub fn with_globex() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    add_deal(
        &mut ws,
        "Globex",
        GLOBEX_DEAL,
        "12500.5",
        StageKind::Open,
        1,
    );
    let globex = ws.account_by_name("Globex").unwrap().id;
    ws.apply(Command::Change(Box::new(Change::put(Record::Contact(
        Contact {
            id: 0,
            account: globex,
            name: "Hana Ito".into(),
            role: "CFO".into(),
            email: "hana@globex.example".into(),
            phone: String::new(),
            ..Default::default()
        },
    )))))
    .unwrap();
    fixture
}

/// Clicks into the field named `name` and types `text`, as a person does.
fn click_and_type(harness: &mut Harness<'static, App>, name: &str, text: &str) {
    harness.get_by_label(name).click();
    harness.run();
    harness.get_by_label(name).type_text(text);
    harness.run();
}

/// The window on [`with_globex`], a new deal from the "+" of the New column, "Glob" typed
/// into its Account.
fn new_deal_typing_glob() -> (Fixture, Harness<'static, App>) {
    let fixture = with_globex();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("New deal in New").click();
    harness.run();
    click_and_type(&mut harness, "Account", "Glob");
    settle(&mut harness);
    (fixture, harness)
}

/// Clicks the suggestion "Globex" under the Account field.
fn click_globex(harness: &mut Harness<'static, App>) {
    harness
        .get_by_role_and_label(Role::Button, "Globex")
        .click();
    settle(harness);
}

fn account_field(harness: &Harness<'static, App>) -> String {
    harness.get_by_label("Account").value().unwrap_or_default()
}

/// The new deal is saved for the stored Globex: no second account of that name.
fn assert_saved_for_globex(fixture: &Fixture, harness: Harness<'static, App>) {
    let ws = harness.state().workspace().unwrap();
    let accounts_before = 3;
    let globex = ws.account_by_name("Globex").unwrap().id;
    let new = deal(ws, "Globex");
    assert_eq!(new.account, globex);
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(deal(&ws, "Globex").account, globex);
    assert_eq!(
        ws.accounts().count(),
        accounts_before,
        "no duplicate account"
    );
}

#[test]
fn clicking_a_suggested_account_picks_it_and_saving_links_it() {
    let (fixture, mut harness) = new_deal_typing_glob();
    click_globex(&mut harness);
    assert_eq!(account_field(&harness), "Globex");
    assert!(
        harness.query_by_label_contains("New account").is_none(),
        "an existing account is not offered as new"
    );
    harness.get_by_label("Save").click();
    harness.run();
    assert_saved_for_globex(&fixture, harness);
}

#[test]
fn down_and_enter_pick_a_suggested_account_and_enter_again_saves() {
    let (fixture, mut harness) = new_deal_typing_glob();
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(account_field(&harness), "Globex");
    assert!(
        harness.query_by_label("Not saved:").is_none()
            && harness.state().workspace().unwrap().opportunities().count() == 3,
        "Enter in the open list picks, it does not save"
    );
    // The list is closed: Enter now saves the form.
    harness.key_press(Key::Enter);
    harness.run();
    label(&harness, "Saved.");
    assert_saved_for_globex(&fixture, harness);
}

#[test]
fn escape_closes_the_suggestions_and_leaves_the_form_open() {
    let (_fixture, mut harness) = new_deal_typing_glob();
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Globex")
            .is_none()
    );
    assert_eq!(account_field(&harness), "Glob", "the form is still open");
    assert!(
        harness.query_by_label("Keep editing").is_none(),
        "Escape closed the list, it did not ask to close the form"
    );
}

#[test]
fn a_typed_new_account_is_created_only_once_confirmed_as_new() {
    let (fixture, mut harness) = new_deal_typing_glob();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    label(
        &harness,
        "“Glob” is not an account yet: pick one from the list, or tick “New account”.",
    );
    assert_eq!(
        harness.state().workspace().unwrap().accounts().count(),
        3,
        "nothing created"
    );

    harness.get_by_label("New account").click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let glob = ws.account_by_name("Glob").expect("the new account");
    assert_eq!(deal(ws, "Glob").account, glob.id);
    drop(harness);
    assert_eq!(fixture.reopen().accounts().count(), 4);
}

#[test]
fn a_picked_account_offers_its_contacts_at_once_and_a_new_one_inline() {
    let (fixture, mut harness) = new_deal_typing_glob();
    click_globex(&mut harness);
    harness.get_by_label("Contact").click();
    settle(&mut harness);
    harness.get_by_label("Hana Ito (CFO)");
    harness.get_by_label("New contact…").click();
    settle(&mut harness);
    click_and_type(&mut harness, "Contact name", "Bruno Díaz");
    click_and_type(&mut harness, "Email", "bruno@globex.example");
    harness.get_by_label("Add contact").click();
    settle(&mut harness);
    assert_eq!(
        harness.get_by_label("Contact").value().as_deref(),
        Some("Bruno Díaz"),
        "the new contact is the deal's"
    );
    harness.get_by_label("Save").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let globex = ws.account_by_name("Globex").unwrap().id;
    let contact = deal(ws, "Globex").contact.and_then(|c| ws.contact(c));
    assert_eq!(contact.map(|c| c.name.as_str()), Some("Bruno Díaz"));
    assert_eq!(contact.map(|c| c.account), Some(globex));
    drop(harness);
    let ws = fixture.reopen();
    let stored = deal(&ws, "Globex").contact.and_then(|c| ws.contact(c));
    assert_eq!(
        stored.map(|c| c.email.as_str()),
        Some("bruno@globex.example")
    );
}

#[test]
fn enter_in_a_one_line_field_saves_the_deal() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, NORDWIND).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Send the quote");
    harness.key_press(Key::Enter);
    harness.run();
    label(&harness, "Saved.");
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(deal(&ws, NORDWIND).next_step, "Send the quote");
}

#[test]
fn the_form_opens_at_its_top_and_a_new_deal_has_name_focused() {
    let fixture = with_globex();
    let mut harness = harness(&fixture.path);
    card(&harness, NORDWIND).click();
    harness.run();
    let top = harness.get_by_label("Name").rect().top();
    // Scrolled down to the history with the wheel.
    harness.hover_at(harness.get_by_label("Next step").rect().center());
    for _ in 0..6 {
        let delta = egui::vec2(0.0, -400.0);
        harness.event(egui::Event::MouseWheel {
            delta,
            unit: egui::MouseWheelUnit::Point,
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        harness.run();
    }
    assert!(
        harness.get_by_label("Name").rect().top() < top - 100.0,
        "the form scrolled"
    );
    card(&harness, GLOBEX_DEAL).click();
    settle(&mut harness);
    assert_eq!(
        harness.get_by_label("Name").rect().top(),
        top,
        "another deal opens at the top"
    );
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some(GLOBEX_DEAL)
    );

    harness.key_press(Key::Escape);
    settle(&mut harness);
    harness.get_by_label("New deal in Qualified").click();
    settle(&mut harness);
    assert!(harness.get_by_label("Name").is_focused());
    harness.get_by_label("Name").type_text("Robots, phase two");
    harness.run();
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some("Robots, phase two")
    );
}

#[test]
fn an_amount_reads_exactly_in_its_field_and_with_cents_on_its_account() {
    let fixture = with_globex();
    let mut harness = harness(&fixture.path);
    card(&harness, GLOBEX_DEAL).click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Amount").value().as_deref(),
        Some("12,500.5")
    );
    harness.get_by_label("Open account").click();
    settle(&mut harness);
    label(&harness, "$12,500.50");
}

/// Sets the file's language to Persian.
fn persian(fixture: &Fixture) {
    fixture.with_language(Language::Persian);
}

#[test]
fn the_persian_form_reads_right_to_left_with_persian_digits_until_edited() {
    let fixture = with_globex();
    persian(&fixture);
    let mut harness = harness(&fixture.path);
    card(&harness, GLOBEX_DEAL).click();
    settle(&mut harness);
    let name = forsat_core::domain::Field::Name.label();
    let field = harness.get_by_label(&name).rect();
    let name_label = label(&harness, &name).rect();
    assert!(
        name_label.left() > field.right(),
        "the label sits right of its field: label {name_label:?}, field {field:?}"
    );
    let amount = forsat_core::domain::Field::Amount.label();
    assert_eq!(
        harness.get_by_label(&amount).value().as_deref(),
        Some("۱۲٬۵۰۰٫۵"),
        "Persian digits while not edited"
    );
    harness.get_by_label(&amount).click();
    harness.run();
    assert_eq!(
        harness.get_by_label(&amount).value().as_deref(),
        Some("12,500.5"),
        "Latin digits while edited"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(&amount).type_text("۱۳٬۰۰۰");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, GLOBEX_DEAL).amount, Decimal::from(13_000));
    drop(harness);
    assert_eq!(
        deal(&fixture.reopen(), GLOBEX_DEAL).amount,
        Decimal::from(13_000)
    );
}
