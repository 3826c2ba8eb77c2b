use std::fmt::Write as _;
use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use rust_decimal::Decimal;

use crate::{Fixture, add_deal, deal, harness, label, stage_id};
use forsat_core::domain::StageKind;

/// Adds a third deal to the fixture, in Proposition.
pub fn add_zagros(fixture: &Fixture) {
    let mut ws = fixture.reopen();
    add_deal(
        &mut ws,
        "Zagros Logistics",
        "Zagros – depot racking",
        "7250.50",
        StageKind::Open,
        2,
    );
}

/// The fixture plus a third deal, opened on the List view.
pub fn list_harness(fixture: &Fixture) -> egui_kittest::Harness<'static, forsat_ui::App> {
    add_zagros(fixture);
    let mut harness = harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    harness
}

/// Picks `stage` in the bar over the list and applies it to the `n` selected deals.
pub fn apply_stage_to_selection(
    harness: &mut egui_kittest::Harness<'static, forsat_ui::App>,
    stage: &str,
    n: usize,
) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Stage")
        .click();
    harness.run();
    harness.get_by_label(stage).click();
    harness.run();
    harness.get_by_label(&format!("Apply to {n} deals")).click();
    harness.run();
}

/// How many labels read exactly `text` (the list's footer and the status bar may both).
pub fn labels(harness: &egui_kittest::Harness<'static, forsat_ui::App>, text: &str) -> usize {
    harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(text)
        })
        .count()
}

/// The deal names in the order the rows appear on screen.
fn row_order(harness: &egui_kittest::Harness<'static, forsat_ui::App>) -> Vec<String> {
    let mut rows: Vec<(f32, String)> = [
        "Café Müller – espresso machines",
        "Nordwind – fleet renewal",
        "Zagros – depot racking",
    ]
    .iter()
    .map(|name| (label(harness, name).rect().top(), name.to_string()))
    .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, name)| name).collect()
}

#[test]
fn sort_by_amount_both_ways() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    harness.get_by_label("Amount").click();
    harness.run();
    assert_eq!(
        row_order(&harness),
        [
            "Zagros – depot racking",
            "Café Müller – espresso machines",
            "Nordwind – fleet renewal"
        ]
    );
    harness.get_by_label("Amount").click();
    harness.run();
    assert_eq!(
        row_order(&harness),
        [
            "Nordwind – fleet renewal",
            "Café Müller – espresso machines",
            "Zagros – depot racking"
        ]
    );
    // The list shows amounts exactly, its totals too: 12,500 + 40,000 + 7,250.50 expected;
    // 12,500 × 10 % + 40,000 × 30 % + 7,250.50 × 70 % = 1,250 + 12,000 + 5,075.35 weighted.
    label(
        &harness,
        "Open: 3 deals, expected $59,750.50, weighted $18,325.35",
    );
}

#[test]
fn inline_edits_save_through_commands() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    label(&harness, "$40,000.00").click();
    harness.run();
    let editor = "Amount of Nordwind – fleet renewal";
    harness.get_by_label(editor).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(editor).type_text("45,500");
    harness.key_press(Key::Enter);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(45_500)
    );
    label(&harness, "$45,500.00");

    // A value that does not parse is reported and not saved.
    label(&harness, "$45,500.00").click();
    harness.run();
    harness.get_by_label(editor).focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(editor).type_text("lots");
    harness.key_press(Key::Enter);
    harness.run();
    label(
        &harness,
        "Nordwind – fleet renewal: Amount: “lots” is not a number",
    );
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Nordwind – fleet renewal").amount,
        Decimal::from(45_500)
    );

    // The stage dropdown moves the deal like a drag on the board.
    harness
        .get_by_label("Stage of Café Müller – espresso machines")
        .click();
    harness.run();
    harness.get_by_label("Proposition").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    assert_eq!(opp.stage, stage_id(ws, "Proposition"));
    assert_eq!(opp.probability, Decimal::from(70));
}

#[test]
fn delete_to_trash_restore_and_empty_the_trash() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let name = "Café Müller – espresso machines";
    crate::card(&harness, name).click();
    harness.run();
    harness.get_by_label("Move to trash").click();
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::Button, name)
            .is_none()
    );
    let ws = harness.state().workspace().unwrap();
    assert!(ws.is_trashed(deal(ws, name).id));

    harness.get_by_label("List").click();
    harness.run();
    harness.get_by_label("Trash (1)").click();
    harness.run();
    harness.get_by_label(&format!("Restore {name}")).click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert!(!ws.is_trashed(deal(ws, name).id));
    assert_eq!(ws.stage_totals(stage_id(ws, "New")).count, 1);

    // Trash it again from the list's trash view, and empty the trash for good.
    harness.get_by_label("Trash (0)").click();
    harness.run();
    label(&harness, name).click();
    harness.run();
    harness.get_by_label("Move to trash").click();
    harness.run();
    harness.get_by_label("Trash (1)").click();
    harness.run();
    harness.get_by_label("Empty trash…").click();
    harness.run();
    harness.get_by_label("Delete for good").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert!(ws.opportunities().all(|o| o.name != name));
    assert_eq!(ws.trash_count(), 0);
}

#[test]
fn select_three_rows_mass_update_the_stage_then_undo_and_redo() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    label(&harness, "Café Müller – espresso machines").click();
    harness.run();
    harness.get_by_label("Close").click();
    harness.run();
    label(&harness, "Zagros – depot racking").click_modifiers(Modifiers::SHIFT);
    harness.run();
    label(&harness, "3 selected");
    apply_stage_to_selection(&mut harness, "Won", 3);
    harness.get_by_label("Close 3 deals as won").click();
    harness.run();

    let names = [
        "Café Müller – espresso machines",
        "Nordwind – fleet renewal",
        "Zagros – depot racking",
    ];
    let stages = |harness: &egui_kittest::Harness<'static, forsat_ui::App>| {
        let ws = harness.state().workspace().unwrap();
        names
            .map(|n| ws.stage(deal(ws, n).stage).unwrap().name.clone())
            .to_vec()
    };
    assert_eq!(stages(&harness), ["Won", "Won", "Won"]);
    let ws = harness.state().workspace().unwrap();
    assert!(
        names
            .iter()
            .all(|n| deal(ws, n).probability == Decimal::from(100))
    );
    assert_eq!(ws.stage_totals(stage_id(ws, "Won")).count, 3);

    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(stages(&harness), ["New", "Qualified", "Proposition"]);
    harness.get_by_label("Redo").click();
    harness.run();
    assert_eq!(stages(&harness), ["Won", "Won", "Won"]);
}

#[test]
fn the_advanced_search_filters_by_amount_range() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    harness.get_by_label("More filters").click();
    harness.run();
    harness.get_by_label("Amount from").focus();
    harness.get_by_label("Amount from").type_text("10,000");
    harness.run();
    harness.get_by_label("Amount to").focus();
    harness.get_by_label("Amount to").type_text("20000");
    harness.run();
    // 12,500 at 10 %.
    label(
        &harness,
        "Open: 1 deal, expected $12,500.00, weighted $1,250.00",
    );
    label(&harness, "Café Müller – espresso machines");
    harness.get_by_label("Amount to").focus();
    harness.get_by_label("Amount to").type_text("x");
    harness.run();
    label(&harness, "Amount to: “20000x” is not a number");
}

#[test]
fn the_column_chooser_hides_a_column_and_remembers_it() {
    use egui::accesskit::Role;
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Next step")
            .is_some()
    );
    harness.get_by_label("Columns").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "Next step")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Next step")
            .is_none()
    );
    drop(harness);
    let mut harness = crate::harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Next step")
            .is_none()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Amount")
            .is_some()
    );
}

#[test]
fn merge_two_duplicates_picking_fields_from_each() {
    use egui::accesskit::Role;
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let dup = add_deal(
        &mut ws,
        "café müller",
        "cafe muller – ESPRESSO machines",
        "9000",
        StageKind::Open,
        1,
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    // The list's footer and the status bar both count the deals, before and after:
    // 12,500 + 40,000 + 9,000 expected; 1,250 + 12,000 + 9,000 × 30 % = 15,950 weighted.
    let three = "Open: 3 deals, expected $61,500.00, weighted $15,950.00";
    assert_eq!(labels(&harness, "3 deals"), 1);
    label(&harness, three);
    harness.get_by_label("Find duplicates").click();
    harness.run();
    label(&harness, "Possible duplicates: 1 group");
    harness
        .get_by_label("Merge Café Müller – espresso machines / cafe muller – ESPRESSO machines")
        .click();
    harness.run();
    // Keep the first deal, but take the duplicate's amount and stage.
    harness
        .get_by_role_and_label(Role::RadioButton, "$9,000")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::RadioButton, "Qualified")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Merge").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let kept = deal(ws, "Café Müller – espresso machines");
    assert_eq!(kept.amount, Decimal::from(9000));
    assert_eq!(kept.stage, stage_id(ws, "Qualified"));
    assert_eq!(kept.probability, Decimal::from(30));
    assert!(ws.is_trashed(dup));
    let history = ws
        .history(forsat_core::domain::EntityKind::Opportunity, kept.id)
        .unwrap();
    assert!(history.iter().any(|h| h.field == "merged"));
    assert_eq!(history.iter().filter(|h| h.field == "created").count(), 2);
    label(&harness, "No duplicates found.");
    // 9,000 (the duplicate's amount, at Qualified's 30 %) + 40,000: 2,700 + 12,000 weighted.
    assert_eq!(labels(&harness, "2 deals"), 1);
    label(
        &harness,
        "Open: 2 deals, expected $49,000.00, weighted $14,700.00",
    );
    assert_eq!(labels(&harness, "3 deals"), 0);
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(labels(&harness, "3 deals"), 1);
    label(&harness, three);
    label(&harness, "Possible duplicates: 1 group");
}

#[test]
fn the_list_search_is_exported_to_a_file_the_user_names() {
    use egui::accesskit::Role;
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "File").click();
    harness.run();
    harness.get_by_label("Export…").click();
    harness.run();
    harness.get_by_label("XLSX (Excel)").click();
    harness.run();
    let out = fixture.path.with_file_name("deals.xlsx");
    crate::retype(&mut harness, "File", out.to_str().unwrap());
    harness
        .get_by_role_and_label(Role::Button, "Export")
        .click();
    harness.run();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX (zip) file");
    label(
        &harness,
        &format!("Exported opportunities to {}.", out.display()),
    );
}

/// File → Import…
pub(crate) fn open_import(harness: &mut egui_kittest::Harness<'static, forsat_ui::App>) {
    use egui::accesskit::Role;
    harness.get_by_role_and_label(Role::Button, "File").click();
    harness.run();
    harness.get_by_label("Import…").click();
    harness.run();
}

/// Types `file` into the import wizard's first step and goes on to its columns.
pub(crate) fn import_file(
    harness: &mut egui_kittest::Harness<'static, forsat_ui::App>,
    file: &Path,
) {
    use egui::accesskit::Role;
    let field = harness.get_by_role_and_label(Role::TextInput, "File");
    field.focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "File")
        .type_text(file.to_str().unwrap());
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Next").click();
    harness.run();
}

/// Checks the file in the import wizard, expects each of `lines` in what the check says, then
/// imports it.
pub(crate) fn check_then_import(
    harness: &mut egui_kittest::Harness<'static, forsat_ui::App>,
    lines: &[&str],
) {
    use egui::accesskit::Role;
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    for line in lines {
        label(harness, line);
    }
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
}

/// Whether the import dialog's Check button is disabled.
pub(crate) fn check_disabled(harness: &egui_kittest::Harness<'static, forsat_ui::App>) -> bool {
    use egui_kittest::kittest::NodeT as _;
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Check")
        .accesskit_node()
        .is_disabled()
}

/// Two deals, and the import wizard at the columns of the file `name` holding `text`.
pub(crate) fn import_wizard(
    name: &str,
    text: &str,
) -> (Fixture, egui_kittest::Harness<'static, forsat_ui::App>) {
    let fixture = Fixture::two_deals();
    let file = fixture.path.with_file_name(name);
    std::fs::write(&file, text).unwrap();
    let mut harness = harness(&fixture.path);
    open_import(&mut harness);
    import_file(&mut harness, &file);
    (fixture, harness)
}

#[test]
fn a_file_is_checked_then_imported_as_one_undoable_step() {
    use egui::accesskit::Role;
    let (_fixture, mut harness) = import_wizard(
        "pipedrive.csv",
        "Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Status,Deal - Organization,Deal - Owner\n\
         Fleet tablets,\"12,000\",USD,Qualified,open,Nordwind GmbH,Lucas Martin\n\
         Café renovation,4500,USD,New,open,Café Müller,Lucas Martin\n",
    );
    label(
        &harness,
        "Pipedrive file, 2 rows. Check what each column holds; columns marked “Not imported” are left out.",
    );
    // 12,000 is twelve thousand or twelve: asked, not guessed.
    label(
        &harness,
        "Column “Deal - Value”: “12,000” reads two ways. The decimal separator is",
    );
    assert!(
        check_disabled(&harness),
        "no check before the separator is chosen"
    );
    harness.get_by_role_and_label(Role::Button, ".").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    label(
        &harness,
        "Pipedrive: 2 deals from 2 rows; 0 new accounts, 0 contacts, 1 list values, 0 stages.",
    );
    assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 2);
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.opportunity_count(), 4);
    let tablets = deal(ws, "Fleet tablets");
    assert_eq!(tablets.amount, Decimal::from(12_000));
    assert_eq!(tablets.stage, stage_id(ws, "Qualified"));
    assert_eq!(ws.account(tablets.account).unwrap().name, "Nordwind GmbH");
    label(&harness, "Imported 2 deals (Undo takes them back).");
    harness.get_by_role_and_label(Role::Button, "Undo").click();
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 2);
}

#[test]
fn columns_no_format_has_are_mapped_by_hand_with_the_first_rows_beside_them() {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT as _;
    let fixture = Fixture::two_deals();
    let file = fixture.path.with_file_name("own.csv");
    std::fs::write(
        &file,
        "Deal,Firm,Worth,Colour\nKiosk rollout,Nordwind GmbH,\"7,500\",blue\n",
    )
    .unwrap();
    let mut harness = harness(&fixture.path);
    open_import(&mut harness);
    harness.get_by_role_and_label(Role::Button, "Next").click();
    harness.run();
    label(&harness, "File: is required");
    import_file(&mut harness, &file);
    label(
        &harness,
        "1 rows. Forsat does not recognise this format: check what each column holds.",
    );
    label(&harness, "Kiosk rollout");
    label(
        &harness,
        "the file has no “account” column: every deal needs an account",
    );
    assert!(
        check_disabled(&harness),
        "no check before every deal has an account"
    );
    // "Deal" and "Worth" are guessed; "Firm" is the user's to map.
    for (column, guess) in [("Deal", "Name"), ("Worth", "Amount")] {
        assert_eq!(
            harness
                .get_by_role_and_label(Role::ComboBox, column)
                .accesskit_node()
                .value()
                .as_deref(),
            Some(guess)
        );
    }
    harness
        .get_by_role_and_label(Role::ComboBox, "Firm")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Account")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, ".").click();
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    label(
        &harness,
        "Forsat: 1 deals from 1 rows; 0 new accounts, 0 contacts, 0 list values, 0 stages.",
    );
    label(&harness, "column “Colour” is not a Forsat column: ignored");
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let kiosk = deal(ws, "Kiosk rollout");
    assert_eq!(kiosk.amount, Decimal::from(7_500));
    assert_eq!(ws.account(kiosk.account).unwrap().name, "Nordwind GmbH");
}

#[test]
fn the_import_dialog_lists_the_first_fifty_bad_cells_and_counts_the_rest() {
    use egui::accesskit::Role;
    let fixture = Fixture::two_deals();
    let file = fixture.path.with_file_name("bad.csv");
    let mut text = String::from("account,name,expected_close\n");
    for n in 0..60 {
        writeln!(text, "Acme,Deal {n},2027-02-30").unwrap();
    }
    std::fs::write(&file, text).unwrap();
    let mut harness = harness(&fixture.path);
    open_import(&mut harness);
    import_file(&mut harness, &file);
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    // Refused, the message lists 50 cells and counts the rest.
    let message = harness
        .get_by(|n| {
            n.role() == Role::Label
                && n.value()
                    .is_some_and(|v| v.starts_with("60 rows have bad cells"))
        })
        .value()
        .unwrap();
    let cells = message.lines().filter(|l| l.starts_with("  row ")).count();
    assert_eq!(cells, 50, "{message}");
    assert!(message.trim_end().ends_with("and 10 more"), "{message}");
    // The dialog grows to the list's height over a few frames; a person clicks once it is still.
    let skip = "Import the good rows and leave out the bad ones";
    let mut at = harness.get_by_label(skip).rect();
    for _ in 0..100 {
        harness.run();
        let now = harness.get_by_label(skip).rect();
        if now == at {
            break;
        }
        at = now;
    }
    // The refusal's 50 lines scroll inside the dialog: its buttons stay in the window.
    let screen = harness.ctx.content_rect();
    let import = harness.get_by_role_and_label(Role::Button, "Import").rect();
    assert!(
        screen.contains_rect(import),
        "{import:?} is outside {screen:?}"
    );
    // Left out, the bad rows are listed the same way (the check runs a slice of rows a frame).
    harness.get_by_label(skip).click();
    let first = "row 2, expected_close “2027-02-30”: “2027-02-30” is not a date (use YYYY-MM-DD)";
    for _ in 0..100 {
        harness.run();
        let listed =
            harness.query_by(|n| n.role() == Role::Label && n.value().as_deref() == Some(first));
        if listed.is_some() {
            break;
        }
    }
    // Scrolled to its end with the wheel, the list shows the last cells and the count of the rest.
    harness.hover_at(label(&harness, first).rect().center());
    for _ in 0..10 {
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -400.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        harness.run();
    }
    label(
        &harness,
        "row 51, expected_close “2027-02-30”: “2027-02-30” is not a date (use YYYY-MM-DD)",
    );
    label(&harness, "and 10 more");
}
