use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat::analytics::reports::{Params, Period};
use forsat::command::Command;
use forsat::domain::{Id, StageKind};
use forsat::ui::App;
use forsat::workspace::Workspace;

use crate::{Fixture, add_deal, assert_on_row, harness, label, stage_id, type_into};

/// Moves a deal through a command, as the board does.
fn move_to(ws: &mut Workspace, opp: Id, stage: &str) {
    let stage = stage_id(ws, stage);
    ws.apply(Command::MoveToStage {
        opp,
        stage,
        loss_reason: None,
    })
    .unwrap();
}

/// The two fixture deals (Café Müller, 12,500 in New; Nordwind, 40,000 created in Qualified)
/// and three more:
/// - Zagros, 7,250.50, created in New and moved straight to Proposition (skipping Qualified);
/// - Tabriz, 20,000, New, then Qualified, then lost;
/// - Hôtel Lumière, 60,000, New, then Proposition, then won today.
///
/// The funnel, by hand: New reached by all 5 (139,750.50), Qualified by Nordwind, Zagros,
/// Tabriz and Hôtel Lumière (127,250.50; 4 of 5 = 80 %), Proposition by Zagros and Hôtel
/// Lumière (67,250.50; 2 of 4 = 50 %).
fn five_deals() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let zagros = add_deal(
        &mut ws,
        "Zagros Logistics",
        "Zagros – depot racking",
        "7250.50",
        StageKind::Open,
        0,
    );
    move_to(&mut ws, zagros, "Proposition");
    let tabriz = add_deal(
        &mut ws,
        "Tabriz Textiles",
        "Tabriz – looms",
        "20000",
        StageKind::Open,
        0,
    );
    move_to(&mut ws, tabriz, "Qualified");
    move_to(&mut ws, tabriz, "Lost");
    let hotel = add_deal(
        &mut ws,
        "Hôtel Lumière",
        "Hôtel Lumière – renovation",
        "60000",
        StageKind::Open,
        0,
    );
    move_to(&mut ws, hotel, "Proposition");
    move_to(&mut ws, hotel, "Won");
    fixture
}

const NAMES: [&str; 5] = [
    "Café Müller – espresso machines",
    "Nordwind – fleet renewal",
    "Zagros – depot racking",
    "Tabriz – looms",
    "Hôtel Lumière – renovation",
];

/// The app on the Reports view.
fn reports_harness(fixture: &Fixture) -> Harness<'static, App> {
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Reports").click();
    harness.run();
    harness
}

/// Scrolls the widget named `name` into view and clicks it: the dashboard is taller than the
/// window.
fn click(harness: &mut Harness<'static, App>, name: &str) {
    harness.get_by_label(name).scroll_to_me();
    harness.run();
    harness.get_by_label(name).click();
    harness.run();
}

/// How many labels read exactly `text`.
fn count(harness: &Harness<'static, App>, text: &str) -> usize {
    harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(text)
        })
        .count()
}

/// The deals the list shows, by name.
fn listed(harness: &Harness<'static, App>) -> Vec<&'static str> {
    NAMES
        .into_iter()
        .filter(|name| count(harness, name) > 0)
        .collect()
}

/// Asserts that the row of the funnel's table whose link is named `link` reads `cells`.
fn funnel_row(harness: &Harness<'static, App>, link: &str, cells: &[&str]) {
    let y = harness.get_by_label(link).rect().center().y;
    assert_on_row(harness, link, y, cells);
}

#[test]
fn the_funnel_shows_each_stage_reached_with_amount_and_conversion() {
    let fixture = five_deals();
    let harness = reports_harness(&fixture);
    let row = |stage: &str, cells: &[&str]| {
        funnel_row(
            &harness,
            &format!("Show the deals that reached {stage}"),
            cells,
        )
    };
    row("New", &["5 deals", "$139,751"]);
    row("Qualified", &["4 deals", "$127,251", "80 %"]);
    row("Proposition", &["2 deals", "$67,251", "50 %"]);
}

#[test]
fn clicking_a_funnel_stage_opens_the_list_pinned_to_the_deals_that_reached_it() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    harness
        .get_by_label("Show the deals that reached Qualified")
        .click();
    harness.run();
    label(&harness, "Reached Qualified");
    // The chip and the totals both count them.
    assert_eq!(count(&harness, "4 deals"), 2);
    assert_eq!(
        listed(&harness),
        [
            "Nordwind – fleet renewal",
            "Zagros – depot racking",
            "Tabriz – looms",
            "Hôtel Lumière – renovation"
        ]
    );

    // The chip's ✖ shows every deal again.
    harness.get_by_label("Show all deals again").click();
    harness.run();
    assert!(harness.query_by_label("Reached Qualified").is_none());
    assert_eq!(listed(&harness), NAMES);
}

#[test]
fn clicking_a_funnel_bar_pins_the_list_to_that_stage() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    // Three bands of equal height, New on top: Proposition's is the bottom third.
    let chart = harness.get_by_label("Funnel chart").rect();
    let bar = egui::pos2(chart.center().x, chart.top() + chart.height() * 5.0 / 6.0);
    harness.hover_at(bar);
    harness.run();
    harness.drag_at(bar);
    harness.run();
    harness.drop_at(bar);
    harness.run();
    label(&harness, "Reached Proposition");
    assert_eq!(
        listed(&harness),
        ["Zagros – depot racking", "Hôtel Lumière – renovation"]
    );
}

#[test]
fn the_forecast_by_quarter_shows_quarters_with_their_figures() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Forecast full size");
    click(&mut harness, "Forecast by quarter");
    // Open deals close 42 days after today (22 November 2026): 3 January 2027, in Q1.
    // Café Müller 12,500 × 10 % + Nordwind 40,000 × 30 % + Zagros 7,250.50 × 70 %
    // = 1,250 + 12,000 + 5,075.35 = 18,325.35 weighted, 59,750.50 in all. Tabriz is lost.
    // Hôtel Lumière was won today, in Q4.
    for text in ["2027-Q1", "$59,751", "$18,325", "2026-Q4", "$60,000"] {
        assert_eq!(count(&harness, text), 1, "{text}");
    }
    assert!(count(&harness, "2027-01") == 0, "months are gone");
}

#[test]
fn a_report_saved_under_a_name_is_listed_and_opens_with_its_settings() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Forecast full size");
    click(&mut harness, "Forecast by quarter");
    click(&mut harness, "Save the Forecast report");
    type_into(&mut harness, "Report name", "Quarterly forecast");
    harness.get_by_label("Save").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let saved = ws.saved_reports();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "Quarterly forecast");
    assert_eq!(saved[0].scope.pipeline, Some(ws.default_pipeline().id));
    assert!(matches!(
        saved[0].params,
        Params::Forecast {
            by: Period::Quarter,
            from: None,
            to: None,
            salesperson: None
        }
    ));

    // Back on the dashboard with the forecast by month, the saved report brings quarters back.
    click(&mut harness, "Forecast by month");
    click(&mut harness, "Back");
    assert_eq!(count(&harness, "2027-Q1"), 0);
    harness.get_by_label("Quarterly forecast").click();
    harness.run();
    assert_eq!(count(&harness, "2027-Q1"), 1);
}
