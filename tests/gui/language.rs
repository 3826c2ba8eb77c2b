//! The window in Persian: chosen in Settings without a restart, remembered, right to left.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use forsat::domain::{Calendar, Language};

use super::{Fixture, card, harness, label};

fn click_button(harness: &mut egui_kittest::Harness<'_, forsat::ui::App>, name: &str) {
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
    assert_eq!(forsat::i18n::calendar(), Calendar::Jalali);
    let close = ws
        .opportunities()
        .find(|o| o.name == "Café Müller – espresso machines")
        .and_then(|o| o.expected_close)
        .unwrap();
    // 22 Nov 2026 + 42 days = 3 Jan 2027 = 13 Dey 1405.
    assert_eq!(forsat::i18n::format_date(close), "۱۴۰۵/۱۰/۱۳");
}
