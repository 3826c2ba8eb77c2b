//! Forecast categories as a person meets them: chosen on a deal's form and kept through a
//! stage move, set per stage in Settings, and the forecast's row listing the deals it sums.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::domain::{ForecastCategory, ForecastChoice};
use forsat_ui::App;

use crate::reports::{click, count, five_deals, listed};
use crate::{card, deal, pick};

fn choice(harness: &Harness<'static, App>, name: &str) -> ForecastChoice {
    deal(harness.state().workspace().unwrap(), name).forecast
}

#[test]
fn commit_chosen_on_the_form_survives_a_stage_move_and_the_forecast_lists_its_deals() {
    let fixture = five_deals();
    let mut harness = crate::harness(&fixture.path);
    // Before: Nordwind (Qualified) follows its stage, which is in Pipeline.
    let nordwind = "Nordwind – fleet renewal";
    card(&harness, nordwind).click();
    harness.run();
    assert_eq!(
        harness
            .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Forecast category")
            .value()
            .as_deref(),
        Some("Stage's category (Pipeline)")
    );
    pick(&mut harness, "Forecast category", "Commit");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(choice(&harness, nordwind), ForecastChoice::Commit);

    // Moved on to Proposition (Best case by its stage) from the form: still committed.
    card(&harness, nordwind).click();
    harness.run();
    pick(&mut harness, "Stage", "Proposition");
    assert_eq!(
        harness
            .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Forecast category")
            .value()
            .as_deref(),
        Some("Commit")
    );
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(choice(&harness, nordwind), ForecastChoice::Commit);

    // The forecast: the open deals close on 3 January 2027 (42 days after 22 November), no
    // salesperson. Commit: Nordwind's 40,000; Best case adds Zagros' 7,250.50 (Proposition);
    // Pipeline adds Café Müller's 12,500.
    harness.get_by_label("Reports").click();
    harness.run();
    click(&mut harness, "Open Forecast full size");
    for text in ["$40,000", "$47,251", "$59,751"] {
        assert_eq!(count(&harness, text), 1, "{text}");
    }
    click(&mut harness, "Show the deals of 2027-01, No salesperson");
    assert_eq!(count(&harness, "Forecast of 2027-01, No salesperson"), 1);
    assert_eq!(
        listed(&harness),
        [
            "Café Müller – espresso machines",
            nordwind,
            "Zagros – depot racking"
        ]
    );
}

#[test]
fn a_stage_s_forecast_category_is_chosen_in_settings() {
    let fixture = five_deals();
    let mut harness = crate::harness(&fixture.path);
    harness.get_by_label("Settings").click();
    harness.run();
    harness.get_by_label("Edit Qualified").click();
    harness.run();
    pick(&mut harness, "Forecast category", "Best case");
    harness.get_by_label("Save stage").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let qualified = ws
        .stages_of(ws.default_pipeline().id)
        .find(|s| s.name == "Qualified")
        .unwrap();
    assert_eq!(qualified.forecast, ForecastCategory::BestCase);
    // Nordwind, in Qualified and following its stage, now counts as Best case with Zagros:
    // 40,000 + 7,250.50.
    harness.get_by_label("Reports").click();
    harness.run();
    click(&mut harness, "Open Forecast full size");
    assert_eq!(count(&harness, "$47,251"), 1);
}

/// A window open in January keeps January's forecast; in February the table sets it against
/// what January won, its figures on hover.
#[test]
fn an_ended_month_shows_the_forecast_kept_when_it_began() {
    use chrono::{TimeZone as _, Utc};
    use forsat_app::workspace::Clock;
    use forsat_core::command::Command;
    use std::sync::Arc;
    let fixture = five_deals();
    let mut ws = fixture.reopen();
    let mut nordwind = deal(&ws, "Nordwind – fleet renewal").clone();
    nordwind.forecast = ForecastChoice::Commit;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(nordwind),
        new_account: None,
    })
    .unwrap();
    drop(ws);
    let at = |month, day| -> Clock {
        Arc::new(move || Utc.with_ymd_and_hms(2027, month, day, 9, 0, 0).unwrap())
    };
    // A window open on 5 January keeps January's forecast: the three open deals close on the
    // 3rd (42 days after 22 November), Nordwind's 40,000 committed.
    let mut january = crate::harness_at(&fixture.path, at(1, 5));
    january.run();
    drop(january);
    let mut harness = crate::harness_at(&fixture.path, at(2, 2));
    harness.get_by_label("Reports").click();
    harness.run();
    click(&mut harness, "Open Forecast full size");
    // Nordwind is still open and committed (its close date passed): 40,000 now and at start.
    assert_eq!(count(&harness, "$40,000"), 2);
    harness.get_all_by_label("$40,000").next().unwrap().hover();
    harness.run();
    assert_eq!(
        count(
            &harness,
            "Kept on 2027-01-05: Commit $40,000, Best case $47,251, weighted $18,325, pipeline $59,751"
        ),
        1
    );
}

/// The search's forecast choice finds the deals in a category by their stage too, as the
/// forecast counts them; "Stage's category" finds those that follow their stage.
#[test]
fn the_search_finds_deals_in_a_category_by_their_stage_too() {
    let fixture = five_deals();
    let mut harness = crate::harness(&fixture.path);
    harness.get_by_label("List").click();
    harness.run();
    harness.get_by_label("More filters").click();
    harness.run();
    pick(&mut harness, "Forecast category", "Best case");
    // Zagros sits in Proposition, whose category is Best case; nothing chose it by hand.
    assert_eq!(listed(&harness), ["Zagros – depot racking"]);
    pick(&mut harness, "Forecast category", "Stage's category");
    assert_eq!(
        listed(&harness),
        [
            "Café Müller – espresso machines",
            "Nordwind – fleet renewal",
            "Zagros – depot racking"
        ]
    );
}
