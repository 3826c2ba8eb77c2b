//! The Settings view: stages reordered, edited and deleted, pipelines created, and the general
//! settings, each checked in the workspace and on the board.

use egui::accesskit::Role;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_app::workspace::Workspace;
use forsat_core::command::Command;
use forsat_core::domain::{DateFormat, StageKind};
use forsat_ui::App;
use rust_decimal::Decimal;

use crate::{Fixture, add_deal, card, deal, harness, label, retype, settle, stage_id, type_into};

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

/// The stage names of the first pipeline, in order.
fn names(ws: &Workspace) -> Vec<String> {
    ws.stages_of(ws.default_pipeline().id)
        .map(|s| s.name.clone())
        .collect()
}

/// The left edge of the board column headed `name`.
fn column_x(harness: &Harness<'static, App>, name: &str) -> f32 {
    label(harness, name).rect().left()
}

#[test]
fn reordered_stages_reorder_the_board_columns() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Move Proposition up");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        names(ws),
        ["New", "Proposition", "Qualified", "Won", "Lost"]
    );

    // Drag New by its handle to just below the middle of Qualified's row.
    let from = harness
        .get_by_role_and_label(Role::Button, "Drag New to reorder")
        .rect()
        .center();
    let qualified = harness
        .get_by_role_and_label(Role::Button, "Drag Qualified to reorder")
        .rect()
        .center();
    crate::board::drag(&mut harness, from, qualified + vec2(0.0, 6.0));
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        names(ws),
        ["Proposition", "Qualified", "New", "Won", "Lost"]
    );
    let sequences: Vec<u32> = ws
        .stages_of(ws.default_pipeline().id)
        .map(|s| s.sequence)
        .collect();
    assert_eq!(sequences, [1, 2, 3, 4, 5]);

    click_button(&mut harness, "Pipeline");
    let (proposition, qualified, new) = (
        column_x(&harness, "Proposition"),
        column_x(&harness, "Qualified"),
        column_x(&harness, "New"),
    );
    assert!(
        proposition < qualified && qualified < new,
        "columns at {proposition}, {qualified}, {new}"
    );
    // The cards moved with their columns.
    let cafe = card(&harness, "Café Müller – espresso machines").rect();
    assert!(cafe.left() >= new - 20.0, "{cafe:?} under New at {new}");
}

#[test]
fn deleting_a_stage_moves_its_deal_and_undo_brings_both_back() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let qualified = stage_id(harness.state().workspace().unwrap(), "Qualified");
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Delete Qualified");
    let question = "1 deal is in Qualified. Move it to:";
    label(&harness, question);
    let go = harness.get_by_role_and_label(Role::Button, "Move and delete");
    assert!(go.accesskit_node().is_disabled(), "a target comes first");
    harness
        .get_by_role_and_label(Role::ComboBox, question)
        .click();
    harness.run();
    click_button(&mut harness, "Proposition");
    click_button(&mut harness, "Move and delete");

    let ws = harness.state().workspace().unwrap();
    let proposition = stage_id(ws, "Proposition");
    let moved = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(moved.stage, proposition);
    assert_eq!(moved.probability, Decimal::from(70));
    assert!(ws.stage(qualified).is_none(), "the stage is gone");
    assert_eq!(names(ws), ["New", "Proposition", "Won", "Lost"]);
    assert!(
        harness.query_by_label(question).is_none(),
        "the question closed"
    );

    click_button(&mut harness, "Undo");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        names(ws),
        ["New", "Qualified", "Proposition", "Won", "Lost"]
    );
    let back = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(back.stage, qualified);
    assert_eq!(back.probability, Decimal::from(30));
    // The settings table shows it again, with its deal.
    harness.get_by_role_and_label(Role::Button, "Delete Qualified");
}

#[test]
fn a_new_default_probability_goes_to_the_deals_that_follow_it() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let own = add_deal(
            &mut ws,
            "Globex",
            "Globex – own probability",
            "1000",
            StageKind::Open,
            0,
        );
        let new = ws.stage(stage_id(&ws, "New")).unwrap().clone();
        let mut opp = ws.opportunity(own).unwrap().clone();
        opp.set_probability(Decimal::from(25), &new);
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Edit New");
    type_into(&mut harness, "Default probability", "15");
    click_button(&mut harness, "Save stage");
    label(
        &harness,
        "Apply 15 % to the 1 open deal that follows the stage's default? (deals with a probability of their own keep it)",
    );
    // Nothing is saved before the answer.
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        ws.stage(stage_id(ws, "New")).unwrap().probability,
        Decimal::from(10)
    );
    click_button(&mut harness, "Apply to them");

    let ws = harness.state().workspace().unwrap();
    let new = ws.stage(stage_id(ws, "New")).unwrap();
    assert_eq!(new.probability, Decimal::from(15));
    let follower = deal(ws, "Café Müller – espresso machines");
    assert_eq!(follower.probability, Decimal::from(15));
    assert!(!follower.probability_overridden);
    let own = deal(ws, "Globex – own probability");
    assert_eq!(
        own.probability,
        Decimal::from(25),
        "its own probability stays"
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "Save stage")
            .is_none(),
        "the editor closed once saved"
    );
    label(&harness, "15 %");
}

#[test]
fn a_renamed_stage_heads_its_board_column() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Edit Qualified");
    // A name is required: the editor says so and keeps the rest.
    type_into(&mut harness, "Name", "  ");
    click_button(&mut harness, "Save stage");
    label(&harness, "is required");
    type_into(&mut harness, "Name", "Needs analysis");
    type_into(
        &mut harness,
        "Expected result",
        "Pains, budget and decision process written down.",
    );
    click_button(&mut harness, "Save stage");

    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        names(ws),
        ["New", "Needs analysis", "Proposition", "Won", "Lost"]
    );
    let stage = ws.stage(stage_id(ws, "Needs analysis")).unwrap();
    assert_eq!(
        stage.requirements,
        "Pains, budget and decision process written down."
    );
    assert_eq!(deal(ws, "Nordwind – fleet renewal").stage, stage.id);

    click_button(&mut harness, "Pipeline");
    label(&harness, "Needs analysis");
    assert!(
        harness.query_by_label("New deal in Qualified").is_none(),
        "no column is called Qualified any more"
    );
    harness.get_by_label("New deal in Needs analysis");
}

#[test]
fn a_new_date_format_shows_on_the_deals() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "General");

    // A bad number is named and nothing is saved.
    type_into(&mut harness, "Default expected close", "six weeks");
    click_button(&mut harness, "Save settings");
    label(
        &harness,
        "Default expected close: enter a whole number of days from 0 to 3650",
    );
    assert_eq!(
        harness
            .state()
            .workspace()
            .unwrap()
            .settings()
            .close_offset_days,
        42
    );
    type_into(&mut harness, "Default expected close", "42");

    harness
        .get_by_role_and_label(Role::ComboBox, "Date format")
        .click();
    harness.run();
    click_button(&mut harness, "22/11/2026 (DD/MM/YYYY)");
    click_button(&mut harness, "Save settings");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.settings().date_format, DateFormat::DayMonthYear);
    assert_eq!(ws.settings().close_offset_days, 42);
    let save = harness.get_by_role_and_label(Role::Button, "Save settings");
    assert!(save.accesskit_node().is_disabled(), "nothing left to save");

    // The deal's expected close (22 Nov 2026 + 42 days) reads the new way in its form.
    click_button(&mut harness, "Pipeline");
    card(&harness, "Café Müller – espresso machines").click();
    harness.run();
    let close = harness.get_by_role_and_label(Role::TextInput, "Expected close");
    assert_eq!(close.value().as_deref(), Some("03/01/2027"));
}

#[test]
fn a_new_pipeline_gets_the_default_stages_and_the_last_one_stays() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    let delete = harness.get_by_role_and_label(Role::Button, "Delete pipeline…");
    assert!(delete.accesskit_node().is_disabled(), "the last pipeline");

    click_button(&mut harness, "New pipeline");
    type_into(&mut harness, "New pipeline name", "Partners");
    click_button(&mut harness, "Create");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.pipelines().len(), 2);
    let partners = ws.pipelines()[1].clone();
    assert_eq!(partners.name, "Partners");
    let stages: Vec<(&str, StageKind)> = ws
        .stages_of(partners.id)
        .map(|s| (s.name.as_str(), s.kind))
        .collect();
    assert_eq!(
        stages,
        [
            ("New", StageKind::Open),
            ("Qualified", StageKind::Open),
            ("Proposition", StageKind::Open),
            ("Won", StageKind::Won),
            ("Lost", StageKind::Lost),
        ]
    );
    // The new pipeline is shown, and it can be renamed and deleted.
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "Pipeline name")
            .value()
            .as_deref(),
        Some("Partners")
    );
    type_into(&mut harness, "Pipeline name", "Partner channel");
    click_button(&mut harness, "Save name");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.pipelines()[1].name, "Partner channel");
    click_button(&mut harness, "Delete pipeline…");
    label(
        &harness,
        "Delete the pipeline Partner channel and its 5 stages?",
    );
    click_button(&mut harness, "Yes, delete");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.pipelines().len(), 1);
    assert!(ws.stages_of(partners.id).next().is_none());
    assert_eq!(
        names(ws),
        ["New", "Qualified", "Proposition", "Won", "Lost"]
    );
    // Each step undoes: the deletion, the rename, the creation with its stages.
    for _ in 0..3 {
        click_button(&mut harness, "Undo");
    }
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.pipelines().len(), 1);
    assert!(ws.stages_of(partners.id).next().is_none());
    click_button(&mut harness, "Redo");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.stages_of(partners.id).count(), 5);
}

fn field_value(harness: &Harness<'static, App>, name: &str) -> String {
    harness
        .get_by_role_and_label(Role::TextInput, name)
        .value()
        .unwrap_or_default()
}

#[test]
fn unsaved_general_settings_ask_before_another_view_and_enter_saves_them() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "General");
    retype(&mut harness, "Default expected close", "30");
    label(&harness, "Unsaved changes");

    // Another view: asked first; Keep editing stays with the typing.
    click_button(&mut harness, "Pipeline");
    settle(&mut harness);
    label(&harness, "The General tab has changes that are not saved.");
    click_button(&mut harness, "Keep editing");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Default expected close"), "30");

    // Enter in the field saves.
    harness
        .get_by_role_and_label(Role::TextInput, "Default expected close")
        .click();
    harness.run();
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert_eq!(
        harness
            .state()
            .workspace()
            .unwrap()
            .settings()
            .close_offset_days,
        30
    );
    assert!(harness.query_by_label("Unsaved changes").is_none());

    // Escape with an edit asks; Discard puts back what is stored.
    retype(&mut harness, "Default expected close", "45");
    harness.key_press(egui::Key::Escape);
    settle(&mut harness);
    click_button(&mut harness, "Discard changes");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Default expected close"), "30");
    drop(harness);
    assert_eq!(fixture.reopen().settings().close_offset_days, 30);
}

#[test]
fn another_stage_edited_with_unsaved_edits_asks_and_enter_saves_the_next() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Edit Qualified");
    retype(&mut harness, "Name", "Qualified lead");
    label(&harness, "Unsaved changes");

    // Another stage's Edit asks; Save writes the rename and opens the other stage.
    click_button(&mut harness, "Edit Proposition");
    settle(&mut harness);
    label(&harness, "Qualified has changes that are not saved.");
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Name"), "Proposition");
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        names(ws),
        ["New", "Qualified lead", "Proposition", "Won", "Lost"]
    );

    // Enter in a one-line field saves and closes the editor.
    retype(&mut harness, "Stale after", "7");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Name")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    let proposition = ws.stage(stage_id(&ws, "Proposition")).unwrap();
    assert_eq!(proposition.rotting_days, Some(7));
}

#[test]
fn a_renamed_list_value_left_for_another_list_asks_first() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "Lists");
    click_button(&mut harness, "Sources");
    let first = harness
        .state()
        .workspace()
        .unwrap()
        .all_lookups(forsat_core::domain::LookupKind::Source)[0]
        .name
        .clone();
    click_button(&mut harness, &format!("Edit {first}"));
    let field = format!("New name for {first}");
    retype(&mut harness, &field, "Trade fair 2027");

    click_button(&mut harness, "Campaigns");
    settle(&mut harness);
    label(
        &harness,
        &format!("{first} has changes that are not saved."),
    );
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    let ws = harness.state().workspace().unwrap();
    let sources: Vec<String> = ws
        .all_lookups(forsat_core::domain::LookupKind::Source)
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert!(
        sources.contains(&"Trade fair 2027".to_owned()),
        "{sources:?}"
    );
    label(&harness, "The marketing campaign a deal came from.");
}

#[test]
fn the_general_form_and_the_stage_editor_read_right_to_left_in_persian() {
    let fixture = Fixture::two_deals();
    fixture.with_language(forsat_core::domain::Language::Persian);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "تنظیمات");
    click_button(&mut harness, "ویرایش New");
    let name = harness.get_by_role_and_label(Role::TextInput, "نام").rect();
    let label_rect = label(&harness, "نام").rect();
    assert!(
        label_rect.left() > name.right(),
        "the label {label_rect:?} is at the right of its field {name:?}"
    );
    click_button(&mut harness, "عمومی");
    let field = harness
        .get_by_role_and_label(Role::TextInput, "بسته‌شدن مورد انتظار پیش‌فرض")
        .rect();
    let label_rect = label(&harness, "بسته‌شدن مورد انتظار پیش‌فرض").rect();
    assert!(
        label_rect.left() > field.right(),
        "the label {label_rect:?} is at the right of its field {field:?}"
    );
    // The Jalali calendar's weeks start on Saturday: the first day is not a choice.
    let week = harness.get_by_role_and_label(Role::ComboBox, "نخستین روز هفته");
    assert!(week.accesskit_node().is_disabled());
}

/// The pipeline renamed and the General tab edited, both unsaved, then the board asked for: the
/// question about the first is showing.
fn two_unsaved_settings_forms_left() -> (Fixture, Harness<'static, App>) {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Settings");
    retype(&mut harness, "Pipeline name", "Sales Pipe");
    click_button(&mut harness, "General");
    retype(&mut harness, "Default expected close", "30");
    click_button(&mut harness, "Pipeline");
    settle(&mut harness);
    label(&harness, "Sales has changes that are not saved.");
    (fixture, harness)
}

#[test]
fn two_unsaved_settings_forms_are_each_asked_about_before_another_view() {
    let (fixture, mut harness) = two_unsaved_settings_forms_left();
    // Leaving asks about the pipeline's name, then about the General tab: both are saved.
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    label(&harness, "The General tab has changes that are not saved.");
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.default_pipeline().name, "Sales Pipe");
    assert_eq!(ws.settings().close_offset_days, 30);
}

#[test]
fn discarding_one_settings_form_asks_about_the_next() {
    let (fixture, mut harness) = two_unsaved_settings_forms_left();
    // Discarding the first asks about the second; Keep editing stays in Settings with it.
    click_button(&mut harness, "Discard changes");
    settle(&mut harness);
    label(&harness, "The General tab has changes that are not saved.");
    click_button(&mut harness, "Keep editing");
    settle(&mut harness);
    assert_eq!(field_value(&harness, "Default expected close"), "30");
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.default_pipeline().name, "Sales");
}
