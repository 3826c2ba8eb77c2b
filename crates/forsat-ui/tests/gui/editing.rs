//! Everyday editing as a hurried user does it: undo while typing, switching cards with unsaved
//! edits, the keys every form answers, and a status bar that stays true.

use egui::{Key, Modifiers, Pos2};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::domain::EntityKind;

use crate::board::drag;
use crate::{Fixture, card, deal, harness, label, settle, stage_id};

const CAFE: &str = "Café Müller – espresso machines";
const NORDWIND: &str = "Nordwind – fleet renewal";

/// Moves Café Müller's card to Proposition with the pointer.
fn move_cafe_to_proposition(harness: &mut egui_kittest::Harness<'static, forsat_ui::App>) {
    let from = card(harness, CAFE).rect().center();
    let plus = harness.get_by_label("New deal in Proposition").rect();
    drag(
        harness,
        from,
        Pos2::new(plus.center().x - 100.0, plus.bottom() + 300.0),
    );
}

/// Clicks into the field named `name` and types `text` at its end, as a person does.
fn click_and_type(
    harness: &mut egui_kittest::Harness<'static, forsat_ui::App>,
    name: &str,
    text: &str,
) {
    harness.get_by_label(name).click();
    harness.run();
    harness.get_by_label(name).type_text(text);
    harness.run();
}

#[test]
fn ctrl_z_in_a_text_field_leaves_an_earlier_move_alone_and_undo_names_what_it_undid() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    move_cafe_to_proposition(&mut harness);
    card(&harness, NORDWIND).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Call Jan");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, CAFE).stage,
        stage_id(ws, "Proposition"),
        "Ctrl+Z in a text field must not undo the move"
    );
    assert!(harness.query_by_label_contains("Undid").is_none());

    // Out of the field, the app's undo takes the move back and says which.
    harness.get_by_label("Undo").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, CAFE).stage, stage_id(ws, "New"));
    label(&harness, &format!("Undid: moved {CAFE} to Proposition"));
    harness.get_by_label("Redo").click();
    harness.run();
    label(&harness, &format!("Redid: moved {CAFE} to Proposition"));
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(deal(&ws, CAFE).stage, stage_id(&ws, "Proposition"));
}

#[test]
fn another_card_clicked_with_unsaved_edits_asks_and_keeps_saves_or_discards_them() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, CAFE).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Taste test on Friday");
    label(&harness, "Unsaved changes");

    // Keep editing: the form stays on Café Müller with the typing.
    card(&harness, NORDWIND).click();
    settle(&mut harness);
    label(&harness, &format!("{CAFE} has changes that are not saved."));
    harness.get_by_label("Keep editing").click();
    settle(&mut harness);
    assert!(harness.query_by_label("Keep editing").is_none());
    let typed = harness
        .get_by_label("Next step")
        .value()
        .unwrap_or_default();
    assert_eq!(typed, "Taste test on Friday");

    // Save: Café Müller's edit is written, and Nordwind opens.
    card(&harness, NORDWIND).click();
    settle(&mut harness);
    harness.get_by_label("Save changes").click();
    settle(&mut harness);
    let ws = harness.state().workspace().unwrap();
    assert_eq!(deal(ws, CAFE).next_step, "Taste test on Friday");
    assert_eq!(
        harness
            .get_by_label("Next step")
            .value()
            .unwrap_or_default(),
        deal(ws, NORDWIND).next_step
    );

    // Discard: the edit to Nordwind is dropped, the form closes with Escape.
    click_and_type(&mut harness, "Next step", "Never saved");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    harness.get_by_label("Discard changes").click();
    settle(&mut harness);
    assert!(
        harness.query_by_label("Next step").is_none(),
        "the form closed"
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(deal(&ws, CAFE).next_step, "Taste test on Friday");
    assert!(!deal(&ws, NORDWIND).next_step.contains("Never saved"));
}

#[test]
fn ctrl_enter_saves_the_deal_form_and_escape_closes_a_clean_one() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, NORDWIND).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Send the quote");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let id = deal(ws, NORDWIND).id;
    assert_eq!(deal(ws, NORDWIND).next_step, "Send the quote");
    label(&harness, "Saved.");

    card(&harness, NORDWIND).click();
    harness.run();
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(harness.query_by_label("Next step").is_none());
    assert!(
        harness.query_by_label("Keep editing").is_none(),
        "a clean form closes at once"
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.opportunity(id).unwrap().next_step, "Send the quote");
    let history = ws.history(EntityKind::Opportunity, id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.field == "next_step" || h.new == "Send the quote")
    );
}

#[test]
fn the_status_bar_counts_deals_as_they_are_now() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    label(&harness, "2 deals");
    card(&harness, CAFE).click();
    harness.run();
    harness.get_by_label("Move to trash").click();
    harness.run();
    label(&harness, "1 deal");
    harness.get_by_label("Undo").click();
    harness.run();
    label(&harness, "2 deals");
}

/// Asks the window to close, as its title bar's close button does; the commands the app sent
/// back in that frame.
fn close_window(
    harness: &mut egui_kittest::Harness<'static, forsat_ui::App>,
) -> Vec<egui::ViewportCommand> {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.step();
    let commands = harness.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .clone();
    settle(harness);
    commands
}

#[test]
fn closing_the_window_with_unsaved_edits_asks_first() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, CAFE).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Bring samples");
    let commands = close_window(&mut harness);
    assert!(commands.contains(&egui::ViewportCommand::CancelClose));
    harness.get_by_label("Keep editing").click();
    settle(&mut harness);
    assert_eq!(
        harness
            .get_by_label("Next step")
            .value()
            .unwrap_or_default(),
        "Bring samples"
    );
    close_window(&mut harness);
    harness.get_by_label("Save changes").click();
    harness.step();
    let commands = harness.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .clone();
    assert!(
        commands.contains(&egui::ViewportCommand::Close),
        "{commands:?}"
    );
    drop(harness);
    assert_eq!(deal(&fixture.reopen(), CAFE).next_step, "Bring samples");
}

#[test]
fn closing_the_window_with_nothing_unsaved_closes_at_once() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, CAFE).click();
    harness.run();
    let commands = close_window(&mut harness);
    assert!(!commands.contains(&egui::ViewportCommand::CancelClose));
    assert!(harness.query_by_label("Keep editing").is_none());
}

#[test]
fn a_second_pipeline_leaves_the_top_bar_where_it_was() {
    let fixture = Fixture::two_deals();
    let tab = |fixture: &Fixture| harness(&fixture.path).get_by_label("Reports").rect();
    let before = tab(&fixture);
    let mut ws = fixture.reopen();
    let change = ws.new_pipeline_change("Partnerships and resellers in the Nordics");
    ws.apply(forsat_core::command::Command::Change(Box::new(change)))
        .unwrap();
    drop(ws);
    let after = tab(&fixture);
    assert_eq!(before, after, "the tabs must not move");
}

#[test]
fn escape_in_the_question_keeps_editing() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, CAFE).click();
    harness.run();
    click_and_type(&mut harness, "Next step", "Call back");
    card(&harness, NORDWIND).click();
    settle(&mut harness);
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(
        harness.query_by_label("Keep editing").is_none(),
        "the question closed"
    );
    assert_eq!(
        harness
            .get_by_label("Next step")
            .value()
            .unwrap_or_default(),
        "Call back",
        "the form stays with the typing"
    );
}

#[test]
fn saving_a_form_with_nothing_changed_writes_nothing_and_says_so() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let id = deal(harness.state().workspace().unwrap(), CAFE).id;
    let history = fixture_history(&harness, id);
    card(&harness, CAFE).click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    label(&harness, "Nothing to save: no field was changed.");
    assert!(
        harness.query_by_label("Next step").is_none(),
        "the form closed"
    );
    let undo = harness.get_by_label("Undo");
    assert!(undo.accesskit_node().is_disabled(), "no undo step");
    assert_eq!(fixture_history(&harness, id), history);
}

fn fixture_history(
    harness: &egui_kittest::Harness<'static, forsat_ui::App>,
    id: forsat_core::domain::Id,
) -> usize {
    let ws = harness.state().workspace().unwrap();
    ws.history(EntityKind::Opportunity, id).unwrap().len()
}
