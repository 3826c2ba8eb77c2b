//! The list's status and stages, its light cells and column chooser, and what the board and
//! the list offer when there is nothing to show: as a person clicks, ticks and types.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::Command;

use crate::list::list_harness;
use crate::{Fixture, card, clock, deal, harness, label, settle, stage_id, type_into};

type Harness = egui_kittest::Harness<'static, forsat_ui::App>;

const CAFE: &str = "Café Müller – espresso machines";
const NORDWIND: &str = "Nordwind – fleet renewal";
const ZAGROS: &str = "Zagros – depot racking";

/// Whether a row (or card) of the deal called `name` is shown.
fn shown(harness: &Harness, name: &str) -> bool {
    harness
        .query_all_by(|n| n.value().as_deref() == Some(name))
        .next()
        .is_some()
}

/// The three deals of the list fixture, Café Müller won.
fn with_cafe_won() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let won = stage_id(&ws, "Won");
    let cafe = deal(&ws, CAFE).id;
    ws.apply(Command::MoveToStage {
        opp: cafe,
        stage: won,
        loss_reason: None,
    })
    .unwrap();
    fixture
}

#[test]
fn the_list_opens_on_open_deals_and_won_shows_only_won_ones_with_their_total() {
    let fixture = with_cafe_won();
    let mut harness = list_harness(&fixture);
    assert!(!shown(&harness, CAFE), "a won deal is not an open one");
    assert!(shown(&harness, NORDWIND) && shown(&harness, ZAGROS));
    // Nordwind 40,000 at Qualified's 30 % and Zagros 7,250.50 at Proposition's 70 %:
    // 12,000 + 5,075.35 weighted; the won 12,500 in neither.
    label(
        &harness,
        "Open: 2 deals, expected $47,250.50, weighted $17,075.35",
    );

    harness.get_by_label("Show won deals").click();
    harness.run();
    assert!(shown(&harness, CAFE));
    assert!(!shown(&harness, NORDWIND) && !shown(&harness, ZAGROS));
    label(&harness, "Won: 1 deal, $12,500.00");
    assert!(
        harness
            .query_all_by(|n| n.value().is_some_and(|v| v.starts_with("Open: ")))
            .next()
            .is_none(),
        "no open total over won deals"
    );

    // All: each total apart.
    harness
        .get_by_label("Show all deals, open and closed")
        .click();
    harness.run();
    assert!(shown(&harness, CAFE) && shown(&harness, NORDWIND));
    label(
        &harness,
        "Open: 2 deals, expected $47,250.50, weighted $17,075.35",
    );
    label(&harness, "Won: 1 deal, $12,500.00");
    label(&harness, "Lost: 0 deals, $0.00");

    // Lost: none, and the list says so with the way back.
    harness.get_by_label("Show lost deals").click();
    harness.run();
    label(&harness, "No deal matches the search/filter");
    harness
        .get_by_label("Clear filters and show every deal")
        .click();
    harness.run();
    assert!(
        shown(&harness, NORDWIND) && !shown(&harness, CAFE),
        "open again"
    );
}

#[test]
fn two_stages_ticked_in_a_menu_that_stays_open_then_escape_closes_it() {
    let fixture = Fixture::two_deals();
    let mut harness = list_harness(&fixture);
    harness.get_by_label("More filters").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::ComboBox, "Stages")
        .click();
    harness.run();
    harness.get_by_role_and_label(Role::CheckBox, "New").click();
    harness.run();
    assert!(shown(&harness, CAFE) && !shown(&harness, NORDWIND));
    // Still open: the second one by keyboard.
    harness
        .get_by_role_and_label(Role::CheckBox, "Proposition")
        .focus();
    harness.run();
    harness.key_press(Key::Space);
    harness.run();
    assert!(shown(&harness, CAFE) && shown(&harness, ZAGROS));
    assert!(!shown(&harness, NORDWIND), "Qualified is not ticked");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::CheckBox, "Qualified")
            .is_none(),
        "Escape closed the menu"
    );
    // The button says what is ticked; the filter stays.
    let stages = harness.get_by_role_and_label(Role::ComboBox, "Stages");
    assert_eq!(stages.value().as_deref(), Some("New, Proposition"));
    assert!(!shown(&harness, NORDWIND));
}

#[test]
fn a_stage_cell_becomes_a_dropdown_and_ctrl_z_takes_the_move_back() {
    use forsat_core::command::Change;
    use forsat_core::domain::{Lookup, LookupKind, Record};
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let sara = Lookup {
            id: 0,
            kind: LookupKind::Salesperson,
            name: "Sara Rahimi".into(),
            active: true,
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Lookup(sara)))))
            .unwrap();
    }
    let mut harness = list_harness(&fixture);
    // Rows are light: text, no dropdown until a cell is clicked; to assistive technology a
    // combo box per row.
    let stage_cells = harness
        .query_all_by(|n| {
            n.role() == Role::ComboBox && n.label().is_some_and(|l| l.starts_with("Stage of "))
        })
        .count();
    assert_eq!(stage_cells, 3);
    assert!(harness.query_by_label("Lost").is_none());
    harness
        .get_by_label(&format!("Stage of {NORDWIND}"))
        .click();
    harness.run();
    harness.get_by_label("Proposition").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, NORDWIND).stage, stage_id(ws, "Proposition"));
    assert!(
        harness.query_by_label("Lost").is_none(),
        "the dropdown closed"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, NORDWIND).stage, stage_id(ws, "Qualified"));

    // The salesperson too, from the keyboard: Enter on the cell opens its dropdown.
    harness
        .get_by_label(&format!("Salesperson of {CAFE}"))
        .focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Sara Rahimi").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let sara = ws.lookups(LookupKind::Salesperson)[0].id;
    assert_eq!(deal(ws, CAFE).salesperson, Some(sara));
}

#[test]
fn the_column_chooser_adds_two_columns_stays_open_and_closes_on_escape() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        // Café Müller entered New twelve days before the tests' today (22 November).
        let mut cafe = deal(&ws, CAFE).clone();
        cafe.stage_entered =
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 10, 8, 0, 0).unwrap();
        cafe.priority = 2;
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(cafe),
            new_account: None,
        })
        .unwrap();
    }
    let mut harness = list_harness(&fixture);
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Days in stage")
            .is_none()
    );
    harness.get_by_label("Columns").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "Days in stage")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "Priority")
        .click();
    harness.run();
    // Both columns are there, and the menu is still open.
    harness.get_by_role_and_label(Role::Button, "Days in stage");
    harness.get_by_role_and_label(Role::Button, "Priority");
    harness.get_by_role_and_label(Role::CheckBox, "Tags");
    // 10 November to 22 November: 12 days; the others entered New today.
    label(&harness, "12");
    label(&harness, "2 of 3 stars");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::CheckBox, "Tags")
            .is_none()
    );
    let ws = harness.state().workspace().unwrap();
    assert!(
        ws.list_columns()
            .iter()
            .any(|c| c.label() == "Days in stage")
    );
}

/// A file the window has started on before, with no deal left.
fn empty_file() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    ws.apply(Command::FirstStart { sample: None }).unwrap();
    let ids: Vec<_> = ws.opportunities().map(|o| o.id).collect();
    for id in ids {
        ws.apply(Command::DeleteOpportunity { id, account: None })
            .unwrap();
    }
    assert_eq!(ws.opportunity_count(), 0);
    fixture
}

#[test]
fn an_empty_file_offers_a_deal_an_import_or_the_sample_which_fills_the_board() {
    let fixture = empty_file();
    let mut harness = crate::harness_at(&fixture.path, clock());
    label(&harness, "No deals yet");
    // Import from Pipedrive opens the wizard with Pipedrive chosen.
    harness.get_by_label("Import from Pipedrive").click();
    settle(&mut harness);
    let format = harness.get_by_role_and_label(Role::ComboBox, "Format");
    assert_eq!(format.value().as_deref(), Some("Pipedrive"));
    harness.key_press(Key::Escape);
    settle(&mut harness);
    // Add a deal opens the form on a new deal.
    harness.get_by_label("Add a deal").click();
    harness.run();
    label(&harness, "New deal");
    harness.key_press(Key::Escape);
    settle(&mut harness);

    // The list offers the same.
    harness.get_by_label("List").click();
    harness.run();
    label(&harness, "No deals yet");
    harness.get_by_label("Pipeline").click();
    harness.run();
    harness.get_by_label("Load the sample pipeline").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.opportunity_count(), 36);
    assert_eq!(ws.stages_of(ws.default_pipeline().id).count(), 5);
    assert!(harness.query_by_label("No deals yet").is_none());
    // A deal of the sample in an open stage, whose name no other deal has.
    let open = ws
        .opportunities()
        .filter(|o| {
            ws.stage(o.stage)
                .is_some_and(|s| s.kind == forsat_core::domain::StageKind::Open)
        })
        .map(|o| o.name.clone())
        .find(|name| ws.opportunities().filter(|o| o.name == *name).count() == 1)
        .unwrap();
    card(&harness, &open);

    // One step: Ctrl+Z takes it all back, and the offers return.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 0);
    label(&harness, "No deals yet");
}

#[test]
fn a_search_that_hides_every_deal_says_so_and_clear_filters_brings_them_back() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    type_into(&mut harness, "Search", "no such deal");
    label(&harness, "No deal matches the search/filter");
    assert!(
        harness
            .query_by_role_and_label(Role::Button, CAFE)
            .is_none()
    );
    harness
        .get_by_label("Clear filters and show every deal")
        .click();
    harness.run();
    card(&harness, CAFE);
    card(&harness, NORDWIND);
    assert!(
        harness
            .query_by_label("No deal matches the search/filter")
            .is_none()
    );
}

#[test]
fn with_every_column_the_list_scrolls_sideways_and_persian_starts_at_the_deal_names() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.with_language(forsat_core::domain::Language::Persian);
        ws.apply(Command::SetListColumns {
            columns: forsat_app::workspace::ListColumn::ALL.to_vec(),
        })
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    harness.get_by_label("فهرست").click();
    settle(&mut harness);
    // Seventeen columns are wider than the window: the name column, read first in Persian,
    // is at the right and whole on screen.
    let window =
        egui::Rect::from_min_size(egui::Pos2::ZERO, egui::Vec2::from(forsat_ui::WINDOW_SIZE));
    let name = harness.get_by_value(CAFE).rect();
    assert!(window.contains_rect(name), "{name:?} is cut by the window");
    assert!(
        name.center().x > window.center().x,
        "{name:?} is not at the right"
    );
}
