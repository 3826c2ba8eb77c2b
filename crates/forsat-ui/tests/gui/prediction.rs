//! The predicted probability as a person meets it: on a deal's form beside the probability,
//! taken with one click; explained; absent (and why) on a file with few closed deals; and the
//! calibration card in Reports. Predictions are learnt on another thread: the tests wait as a
//! person would, frame after frame.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::command::Command;
use forsat_ui::App;
use rust_decimal::Decimal;

use crate::{Fixture, card, clock, harness};
use forsat_app::workspace::Workspace;

/// A file of `count` demo deals (about a quarter won and a quarter lost), kept with its folder.
fn demo_file(count: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.redb");
    let mut ws = Workspace::open(&path, clock()).unwrap();
    let (batch, _) = forsat_app::demo::generate(&ws, count, 5);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    (dir, path)
}

/// Runs frames (the learner's thread working between them) until a label starting with
/// `start` shows; its text.
fn wait_for(harness: &mut Harness<'static, App>, start: &str) -> String {
    for _ in 0..400 {
        harness.run();
        let found = harness
            .query_all_by(|n| n.value().is_some_and(|v| v.starts_with(start)))
            .next()
            .and_then(|n| n.value());
        if let Some(text) = found {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("nothing starting with “{start}” showed");
}

/// Runs frames (the learner's thread working between them) until `done` holds of the data,
/// or about four seconds have passed.
fn wait_until(harness: &mut Harness<'static, App>, done: impl Fn(&Workspace) -> bool) {
    for _ in 0..400 {
        harness.run();
        if done(harness.state().workspace().unwrap()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Deal `id` as the window's data holds it.
fn deal_of(
    harness: &Harness<'static, App>,
    id: forsat_core::domain::Id,
) -> forsat_core::domain::Opportunity {
    harness
        .state()
        .workspace()
        .unwrap()
        .opportunity(id)
        .unwrap()
        .clone()
}

/// The name of the open deal nearest the top of the first column whose name no other deal
/// has (the demo repeats some: a card is found, and clicked, by its name).
fn first_open_card(harness: &Harness<'static, App>) -> String {
    let ws = harness.state().workspace().unwrap();
    let stage = ws.stages_of(ws.default_pipeline().id).next().unwrap().id;
    let named = |name: &str| ws.opportunities().filter(|o| o.name == name).count();
    (ws.column(stage).ids.iter())
        .map(|id| ws.opportunity(*id).unwrap().name.clone())
        .find(|name| named(name) == 1)
        .unwrap()
}

#[test]
fn the_form_shows_the_prediction_and_use_predicted_takes_it() {
    let (_dir, path) = demo_file(400);
    let mut harness = harness(&path);
    let name = first_open_card(&harness);
    harness
        .query_all_by_role_and_label(egui::accesskit::Role::Button, &name)
        .next()
        .unwrap()
        .click();
    harness.run();
    let predicted = wait_for(&mut harness, "Predicted ");
    // A screen reader hears it on the card too.
    let described = harness
        .query_all_by_role_and_label(egui::accesskit::Role::Button, &name)
        .next()
        .unwrap()
        .accesskit_node()
        .description()
        .unwrap_or_default();
    assert!(
        described.ends_with(&format!(", {predicted}")),
        "{described}"
    );
    let percent: u32 = predicted
        .trim_start_matches("Predicted ")
        .trim_end_matches(" %")
        .parse()
        .unwrap_or_else(|_| panic!("{predicted}"));
    // Why: the factors that raise and lower it, in words.
    harness.get_by_label("Why this prediction").click();
    harness.run();
    let explained = harness
        .query_all_by(|n| {
            n.value()
                .is_some_and(|v| v == "Raises it:" || v == "Lowers it:")
        })
        .count();
    assert!(explained > 0, "no factor listed");
    harness.get_by_label("Use predicted").click();
    harness.run();
    // Taken: the button goes, the field holds the prediction until saved.
    assert!(harness.query_by_label("Use predicted").is_none());
    harness.get_by_label("Save").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = ws.opportunities().find(|o| o.name == name).unwrap();
    assert_eq!(opp.probability, Decimal::from(percent));
    assert!(
        opp.probability_overridden,
        "the user's choice, kept past stage moves"
    );
}

#[test]
fn a_file_with_few_closed_deals_says_why_there_is_no_prediction() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    card(&harness, "Nordwind – fleet renewal").click();
    harness.run();
    let why = wait_for(&mut harness, "No prediction yet");
    assert!(why.contains("(so far 0 won, 0 lost)"), "{why}");
    assert!(harness.query_by_label("Use predicted").is_none());
}

/// A 2,000-deal demo file open on the calibration card, full size.
fn calibration_card() -> (tempfile::TempDir, Harness<'static, App>) {
    let (dir, path) = demo_file(2_000);
    let mut harness = harness(&path);
    harness.get_by_label("Reports").click();
    harness.run();
    let open = "Open Predicted probability: calibration full size";
    harness.get_by_label(open).scroll_to_me();
    harness.run();
    harness.get_by_label(open).click();
    harness.run();
    (dir, harness)
}

#[test]
fn the_calibration_card_compares_the_model_with_the_stage_defaults() {
    let (_dir, mut harness) = calibration_card();
    let summary = wait_for(&mut harness, "Learnt from ");
    assert!(summary.contains("Brier score"), "{summary}");
    harness.get_by_label("Calibration chart");
}

#[test]
fn a_new_scope_never_shows_the_last_scope_s_backtest() {
    let (_dir, mut harness) = calibration_card();
    wait_for(&mut harness, "Learnt from ");
    // Only the deals created from next year: none. The last answer is not shown for them.
    crate::type_into(&mut harness, "from", "2027-01-01");
    let stale = harness
        .query_all_by(|n| n.value().is_some_and(|v| v.starts_with("Learnt from ")))
        .count();
    assert_eq!(stale, 0, "the backtest of every deal shown for none");
    let why = wait_for(&mut harness, "Not enough closed deals");
    assert!(why.contains("(0 won and 0 lost so far)"), "{why}");
}

/// Ticking the setting in General makes the deals that follow their stage take their
/// predictions, as soon as they are learnt; a deal's card then shows the same figure twice.
#[test]
fn the_setting_lets_following_deals_take_their_predictions() {
    use egui::accesskit::Role;
    let (_dir, path) = demo_file(400);
    let mut harness = harness(&path);
    let name = first_open_card(&harness);
    let (id, before) = {
        let ws = harness.state().workspace().unwrap();
        let deal = ws.opportunities().find(|o| o.name == name).unwrap();
        assert!(!deal.probability_overridden, "it follows its stage");
        (deal.id, deal.probability)
    };
    harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "General")
        .click();
    harness.run();
    harness
        .get_by_label("Deals without a probability of their own take the predicted one")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Save settings")
        .click();
    harness.run();
    // Learnt on another thread while the Settings view stays open: wait as a person would.
    // (A prediction equal to the stage's default changes nothing: the wait then ends.)
    wait_until(&mut harness, |ws| {
        ws.opportunity(id).unwrap().probability != before
    });
    harness
        .get_by_role_and_label(Role::Button, "Pipeline")
        .click();
    harness.run();
    card(&harness, &name).click();
    harness.run();
    let predicted = wait_for(&mut harness, "Predicted ");
    let percent: u32 = predicted
        .trim_start_matches("Predicted ")
        .trim_end_matches(" %")
        .parse()
        .unwrap_or_else(|_| panic!("{predicted}"));
    let deal = deal_of(&harness, id);
    assert_eq!(deal.probability, Decimal::from(percent));
    assert!(
        !deal.probability_overridden,
        "still following, now the prediction"
    );
    // The form says so, and offers no "Use predicted" (it would make the figure the user's).
    harness.get_by_label("(followed, as the General settings ask)");
    assert!(harness.query_by_label("Use predicted").is_none());

    // A probability of one's own stays; "Follow the prediction" gives it back to the model.
    let own = if percent == 55 { "56" } else { "55" };
    crate::type_into(&mut harness, "Probability", own);
    harness.get_by_label("Save").click();
    harness.run();
    let deal = deal_of(&harness, id);
    assert_eq!(
        (deal.probability_overridden, deal.probability.to_string()),
        (true, own.to_owned())
    );
    card(&harness, &name).click();
    harness.run();
    harness.get_by_label("Follow the prediction").click();
    harness.run();
    harness.get_by_label("Save").click();
    wait_until(&mut harness, |ws| {
        ws.opportunity(id).unwrap().probability == Decimal::from(percent)
    });
    let deal = deal_of(&harness, id);
    assert!(!deal.probability_overridden);
    assert_eq!(
        deal.probability,
        Decimal::from(percent),
        "its prediction again"
    );
}
