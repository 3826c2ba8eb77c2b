//! The window in Persian: chosen in Settings without a restart, remembered, right to left.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::{Calendar, Language};

use super::{Fixture, card, harness, label};

fn click_button(harness: &mut egui_kittest::Harness<'_, forsat_ui::App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

#[test]
fn persian_chosen_in_settings_mirrors_the_board_and_is_remembered() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let english_file_x = harness.get_by_label("File").rect().center().x;
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "General");
    harness
        .get_by_role_and_label(Role::ComboBox, "Language")
        .click();
    harness.run();
    click_button(&mut harness, "فارسی");
    click_button(&mut harness, "Save settings");

    // The window speaks Persian at once: the Save button and the views' names.
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.settings().language, Some(Language::Persian));
    harness.get_by_role_and_label(Role::Button, "ذخیرهٔ تنظیمات");
    let persian_file_x = harness.get_by_label("پرونده").rect().center().x;
    assert!(
        english_file_x < 100.0 && persian_file_x > 1300.0,
        "the top bar starts at the right: {english_file_x} → {persian_file_x}"
    );

    // The board's stages run right to left: New rightmost.
    click_button(&mut harness, "قیف فروش");
    let x = |name: &str| label(&harness, name).rect().center().x;
    let (new, qualified, proposition) = (x("New"), x("Qualified"), x("Proposition"));
    assert!(
        new > qualified && qualified > proposition,
        "New {new}, Qualified {qualified}, Proposition {proposition}"
    );
    // A card's title sits at the right edge of its card.
    let card_rect = card(&harness, "Café Müller – espresso machines").rect();
    assert!(
        card_rect.center().x > qualified,
        "the New column is rightmost"
    );
    drop(harness);

    // Reopened, the file keeps its language, and dates follow the Jalali calendar.
    let ws = fixture.reopen();
    assert_eq!(ws.settings().language, Some(Language::Persian));
    assert_eq!(forsat_i18n::calendar(), Calendar::Jalali);
    let close = ws
        .opportunities()
        .find(|o| o.name == "Café Müller – espresso machines")
        .and_then(|o| o.expected_close)
        .unwrap();
    // 22 Nov 2026 + 42 days = 3 Jan 2027 = 13 Dey 1405.
    assert_eq!(forsat_i18n::format_date(close), "۱۴۰۵/۱۰/۱۳");
}

#[test]
fn the_date_picker_shows_jalali_months_from_saturday_and_fills_the_field() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let mut settings = ws.settings().clone();
    settings.language = Some(Language::English);
    settings.calendar = Some(Calendar::Jalali);
    let change = ws.settings_change(settings);
    ws.apply(forsat_core::command::Command::Change(Box::new(change)))
        .unwrap();
    drop(ws);

    let mut harness = harness(&fixture.path);
    card(&harness, "Café Müller – espresso machines").click();
    harness.run();
    // The deal closes 42 days after 22 Nov 2026: 3 Jan 2027, 13 Dey 1405.
    let field = harness.get_by_label("Expected close");
    assert_eq!(field.value().as_deref(), Some("1405/10/13"));
    click_button(&mut harness, "Pick Expected close from a calendar");
    label(&harness, "Dey 1405");
    // Saturday first: the week's headers left to right.
    let x = |name: &str| label(&harness, name).rect().center().x;
    assert!(
        x("Sa") < x("Su") && x("Su") < x("Fr"),
        "Saturday starts the week"
    );
    click_button(&mut harness, "Next month");
    label(&harness, "Bahman 1405");
    harness.get_by_role_and_label(Role::Button, "15").click();
    harness.run();
    let field = harness.get_by_label("Expected close");
    assert_eq!(field.value().as_deref(), Some("1405/11/15"));
    click_button(&mut harness, "Save");
    let ws = harness.state().workspace().unwrap();
    let deal = super::deal(ws, "Café Müller – espresso machines");
    // 15 Bahman 1405 = 4 Feb 2027.
    assert_eq!(
        deal.expected_close,
        chrono::NaiveDate::from_ymd_opt(2027, 2, 4)
    );
}

#[test]
fn a_wrapped_persian_paragraph_starts_on_its_first_line() {
    let fixture = Fixture::two_deals();
    fixture.with_language(Language::Persian);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "تنظیمات");
    // The stages' help is wider than the view: broken into lines in reading order before
    // its runs are put in display order, so its first words are on its first line.
    let help = harness.get_by(|n| {
        n.role() == Role::Label && n.value().is_some_and(|v| v.contains("دستگیرهٔ نقطه‌چین"))
    });
    let text = help.value().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2, "{text}");
    assert!(lines[0].contains("برای تغییر ترتیب"), "{text}");
    assert!(lines[lines.len() - 1].contains("نگه دارید"), "{text}");
}
