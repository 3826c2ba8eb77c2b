use std::sync::Arc;

use chrono::{TimeZone as _, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_app::workspace::{Clock, Workspace};
use forsat_core::analytics::reports::{Params, Period};
use forsat_core::command::Command;
use forsat_core::domain::{Id, Language, LookupKind, StageKind};
use forsat_ui::App;

use crate::{
    Fixture, add_deal, assert_on_row, harness, harness_at, label, retype, settle, stage_id,
    type_into,
};

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
pub fn five_deals() -> Fixture {
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
pub fn reports_harness(fixture: &Fixture) -> Harness<'static, App> {
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Reports").click();
    harness.run();
    harness
}

/// Scrolls the widget named `name` into view and clicks it: the dashboard is taller than the
/// window.
pub fn click(harness: &mut Harness<'static, App>, name: &str) {
    harness.get_by_label(name).scroll_to_me();
    harness.run();
    harness.get_by_label(name).click();
    harness.run();
}

/// How many labels read exactly `text`.
pub fn count(harness: &Harness<'static, App>, text: &str) -> usize {
    harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(text)
        })
        .count()
}

/// The periods of the forecast's table, in order (each a link to its deals).
pub fn forecast_periods(harness: &Harness<'static, App>) -> Vec<String> {
    let mut periods: Vec<String> = harness
        .query_all_by(|n| n.role() == egui::accesskit::Role::Link)
        .filter_map(|n| {
            let label = n.accesskit_node().label()?;
            let rest = label.strip_prefix("Show the deals of ")?;
            Some(rest.split(", ").next()?.to_owned())
        })
        .collect();
    periods.dedup();
    periods
}

/// The deals the list shows, by name.
pub fn listed(harness: &Harness<'static, App>) -> Vec<&'static str> {
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
        );
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
    // The chip counts them; the totals count the open ones and the closed ones apart:
    // Nordwind 40,000 at 30 % and Zagros 7,250.50 at 70 % (12,000 + 5,075.35 weighted), the
    // won Hôtel Lumière's 60,000 and the lost Tabriz's 20,000.
    assert_eq!(count(&harness, "4 deals"), 1);
    label(
        &harness,
        "Open: 2 deals, expected $47,250.50, weighted $17,075.35",
    );
    label(&harness, "Won: 1 deal, $60,000.00");
    label(&harness, "Lost: 1 deal, $20,000.00");
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
    for text in ["$59,751", "$18,325", "$60,000"] {
        assert_eq!(count(&harness, text), 1, "{text}");
    }
    assert_eq!(
        forecast_periods(&harness),
        ["2026-Q4", "2027-Q1"],
        "months are gone"
    );
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
    assert_eq!(forecast_periods(&harness), ["2026-11", "2027-01"]);
    harness.get_by_label("Quarterly forecast").click();
    harness.run();
    assert_eq!(forecast_periods(&harness), ["2026-Q4", "2027-Q1"]);
}

#[test]
fn the_leakage_card_names_the_stage_to_review_why_deals_are_lost_and_those_stuck() {
    let fixture = five_deals();
    // Tabriz was lost from Qualified because it was too expensive.
    let mut ws = fixture.reopen();
    let expensive = (ws.lookups(LookupKind::LossReason).into_iter())
        .find(|l| l.name == "Too expensive")
        .unwrap()
        .id;
    let mut tabriz = crate::deal(&ws, "Tabriz – looms").clone();
    tabriz.loss_reason = Some(expensive);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(tabriz),
        new_account: None,
    })
    .unwrap();
    drop(ws);
    // A month later: Zagros has sat in Proposition since 22 November, 30 days.
    let later: Clock = Arc::new(|| Utc.with_ymd_and_hms(2026, 12, 22, 9, 30, 0).unwrap());
    let mut harness = harness_at(&fixture.path, later);
    harness.get_by_label("Reports").click();
    harness.run();
    // Lost after Qualified: Tabriz, 20,000, all of it too expensive; nothing stuck is
    // measured (no stage has expected days): Qualified needs review.
    let verdict = "Review Qualified: 1 deal lost ($20,000), 100 % Too expensive.";
    label(&harness, verdict);
    label(&harness, "Lost after Qualified: 100 % Too expensive");
    assert_eq!(count(&harness, "Not measured: no expected days"), 3);
    // With no stage measured, the chart has no stuck series: its legend names the lost
    // amount and the conversion only.
    let stuck_series = "Stuck past the stage's expected days";
    assert_eq!(count(&harness, "Lost amount"), 1);
    assert_eq!(count(&harness, stuck_series), 0);

    // The manager gives Proposition 14 expected days in the settings.
    click(&mut harness, "Settings");
    click(&mut harness, "Edit Proposition");
    retype(&mut harness, "Stale after", "14");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    click(&mut harness, "Reports");
    // Zagros, 7,250.50, is stuck there (30 days > 14); Qualified's 20,000 lost is still the
    // larger leak, so the verdict names Qualified and now says nothing of stuck deals there.
    label(&harness, verdict);
    assert_eq!(count(&harness, "1 deal · $7,251 (over 14 days)"), 1);
    assert_eq!(count(&harness, "Not measured: no expected days"), 2);
    // Proposition is measured now: the stuck series and its legend entry are back.
    assert_eq!(count(&harness, stuck_series), 1);
}

/// The distinct colours of `pixels`, up to `enough`.
fn colours(pixels: impl Iterator<Item = [u8; 4]>, enough: usize) -> usize {
    let mut seen = std::collections::HashSet::new();
    for pixel in pixels {
        seen.insert(pixel);
        if seen.len() >= enough {
            break;
        }
    }
    seen.len()
}

#[test]
fn the_leakage_png_paints_its_title_scope_axis_values_stage_names_and_legend_at_twice_the_scale() {
    let fixture = five_deals();
    let ws = fixture.reopen();
    let scope = forsat_core::analytics::reports::Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Default::default()
    };
    let painted = forsat_ui::paint_chart(&ws, &scope, &Params::Leakage);
    let texts = &painted.texts;
    // Tabriz (20,000) is the only deal lost, from Qualified: the bars reach 20,000 and the
    // chart makes room up to 1.3 x 20,000 = 26,000 from 0. Round marks about a fifth of that
    // (5,200 plus the plot's margins) apart are 10,000 apart: $0, $10,000 and $20,000.
    for text in [
        "Sales leakage",
        "Pipeline: Sales · Deals created at any time",
        "$0",
        "$10,000",
        "$20,000",
        "New",
        "Qualified",
        "Proposition",
        "Lost amount",
        "Conversion to the next stage (100 % = tallest bar)",
    ] {
        assert!(
            texts.iter().any(|t| t == text),
            "“{text}” is not painted; painted: {texts:?}"
        );
    }
    // No stage has expected days: no stuck series, nor its legend entry.
    assert!(
        !texts
            .iter()
            .any(|t| t == "Stuck past the stage's expected days"),
        "{texts:?}"
    );
    // 960 points wide at 2 pixels per point: a full-HD slide's 1920 pixels.
    assert_eq!(painted.image.size[0], 1920);
    assert!(painted.image.size[1] > 2 * 440, "{:?}", painted.image.size);

    // The file is that picture: a PNG of the same size with the chart's colours in it.
    let out = fixture.path.with_file_name("leakage.png");
    let saved = forsat_ui::write_chart(
        &ws,
        &scope,
        &Params::Leakage,
        &out,
        forsat_app::files::Replace::Refuse,
    )
    .unwrap();
    assert_eq!(saved, format!("Saved the chart to {}.", out.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        [frame.width as usize, frame.height as usize],
        painted.image.size
    );
    let rgba = pixels.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]]);
    // White, the text's greys, the bars' reds, the line's violet, the grid: far more than 10.
    assert_eq!(colours(rgba, 10), 10);
}

/// Where `text` is painted in `painted`, lowest first when painted more than once.
fn painted_at(painted: &forsat_ui::Painted, text: &str) -> Vec<egui::Rect> {
    let mut rects: Vec<egui::Rect> = painted
        .texts
        .iter()
        .zip(&painted.rects)
        .filter(|(t, _)| *t == text)
        .map(|(_, r)| *r)
        .collect();
    rects.sort_by(|a, b| b.top().total_cmp(&a.top()));
    rects
}

#[test]
fn the_grid_png_shows_every_period_of_its_subtitle_and_the_total_row() {
    let fixture = five_deals();
    let ws = fixture.reopen();
    let scope = forsat_core::analytics::reports::Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Default::default()
    };
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    // Twelve months and nine quarters: wider than a slide (150 + 120 + 9 × 110 points
    // already), so the picture widens to its last column.
    for (by, from, to, first, last) in [
        (
            Period::Month,
            "2026-11-01",
            "2027-10-31",
            "2026-11",
            "2027-10",
        ),
        (
            Period::Quarter,
            "2026-10-01",
            "2028-12-31",
            "2026-Q4",
            "2028-Q4",
        ),
    ] {
        let params = Params::Grid {
            by,
            from: day(from),
            to: day(to),
        };
        let painted = forsat_ui::paint_chart(&ws, &scope, &params);
        // 2 pixels per point.
        let [width, height] = painted.image.size.map(|side| side as f32 / 2.0);
        let inside = |rect: egui::Rect| {
            rect.min.x >= 0.0 && rect.max.x <= width && rect.min.y >= 0.0 && rect.max.y <= height
        };
        let by = if by == Period::Month {
            "month"
        } else {
            "quarter"
        };
        let subtitle =
            format!("Pipeline: Sales · Deals created at any time · By {by}, {first} to {last}");
        assert_eq!(
            painted_at(&painted, &subtitle).len(),
            1,
            "{:?}",
            painted.texts
        );
        // The subtitle's last period is the last column's header, inside the picture.
        for period in [first, last] {
            let header = painted_at(&painted, period);
            assert!(
                header.len() == 1 && inside(header[0]),
                "{period}: {header:?}"
            );
        }
        // "Total" heads the salespeople's totals and names the last row, below the one
        // salesperson row (no deal has a salesperson).
        let totals = painted_at(&painted, "Total");
        assert_eq!(totals.len(), 2, "{:?}", painted.texts);
        let (row, column) = (totals[0], totals[1]);
        let nobody = painted_at(&painted, "No salesperson")[0];
        assert!(row.top() > nobody.bottom() && inside(row), "{row:?}");
        // Its total, under the Total column: won Hôtel Lumière's 60,000; in the pipeline
        // Nordwind's 40,000, Café Müller's 12,500 and Zagros's 7,250.50 = 59,750.50, in whole
        // dollars $59,751 (the salesperson row's total reads the same, above it).
        for amount in ["$60,000", "$59,751"] {
            let cells = painted_at(&painted, amount);
            assert!(
                cells.iter().any(|cell| cell.top() >= row.top() - 2.0
                    && (cell.left() - column.left()).abs() < 4.0
                    && inside(*cell)),
                "{amount} at {cells:?}, the Total row at {row:?}"
            );
        }
    }
}

#[test]
fn png_from_a_card_saves_the_finished_chart_while_the_window_goes_on() {
    let fixture = five_deals();
    let out = fixture.path.with_file_name("funnel slide.png");
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Save the Funnel chart as PNG");
    crate::retype(&mut harness, "File", out.to_str().unwrap());
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Save")
        .click();
    harness.run();
    // The picture is painted and written on a thread of its own; the window keeps drawing
    // frames until it reports back.
    let saved = format!("Saved the chart to {}.", out.display());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while count(&harness, &saved) == 0 && std::time::Instant::now() < deadline {
        harness.step();
    }
    label(&harness, &saved);
    // The file is the finished picture at twice the scale, not the small card cut from the
    // screen: 960 points wide at 2 pixels per point.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
    let info = decoder.read_info().unwrap();
    assert_eq!(info.info().width, 1920);
    assert!(info.info().height > 2 * 440, "{}", info.info().height);
}

#[test]
fn a_chart_with_nothing_to_show_says_so_instead_of_empty_axes() {
    // The two fixture deals are open: no deal is won or lost.
    let fixture = Fixture::two_deals();
    let ws = fixture.reopen();
    let scope = forsat_core::analytics::reports::Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Default::default()
    };
    let params = Params::WinLoss {
        by: forsat_core::analytics::reports::WinLossBy::Reason,
        from: None,
        to: None,
    };
    let texts = forsat_ui::paint_chart(&ws, &scope, &params).texts;
    assert_eq!(
        texts,
        [
            "Won and lost",
            "Pipeline: Sales · Deals created at any time · By: Loss reason · Every closed deal",
            "Win/loss needs won or lost deals closed in the period.",
        ]
    );
}

#[test]
fn every_card_of_the_sample_dashboard_fits_its_half_of_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness(&dir.path().join("sample.redb"));
    harness.get_by_label("Reports").click();
    harness.run();
    let width = crate::WINDOW_SIZE[0];
    for card in [
        "Funnel",
        "Sales leakage",
        "Expected vs weighted revenue",
        "Revenue by expected-close month",
        "Forecast",
        "Sales grid",
        "Won and lost",
        "Time in stage & velocity",
    ] {
        let save = format!("Save the {card} report");
        harness.get_by_label(&save).scroll_to_me();
        harness.run();
        let rect = harness.get_by_label(&save).rect();
        assert!(
            rect.right() <= width,
            "{card}'s Save… ends at {}",
            rect.right()
        );
    }
}

#[test]
fn in_persian_the_dashboard_reads_from_the_right_the_funnel_first() {
    let fixture = five_deals();
    fixture.with_language(Language::Persian);
    let mut harness = harness(&fixture.path);
    harness.get_by_label("گزارش‌ها").click();
    harness.run();
    let funnel = label(&harness, "قیف").rect();
    let leakage = label(&harness, "نشت فروش").rect();
    assert!(
        (funnel.center().y - leakage.center().y).abs() < 1.0,
        "one row"
    );
    assert!(
        funnel.center().x > leakage.center().x,
        "the funnel, first, at the right"
    );
    // In each card the title starts the row, at the right; its buttons end it.
    let full_size = harness
        .get_by_label("نمایش تمام‌صفحهٔ نشت فروش")
        .rect()
        .center()
        .x;
    assert!(
        full_size < leakage.left(),
        "the leakage card's buttons left of its title: {full_size} vs {leakage:?}"
    );
}

#[test]
fn escape_leaves_a_card_shown_full_size() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Funnel full size");
    assert_eq!(count(&harness, "Back"), 0, "Back is a button, not a label");
    harness.get_by_label("Back");
    assert!(
        harness
            .query_by_label("Open Sales leakage full size")
            .is_none()
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Back").is_none());
    harness.get_by_label("Open Sales leakage full size");
}
