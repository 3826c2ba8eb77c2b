//! The "Time in stage & velocity" card read as a person reads it, on the six deals of the
//! shared fixture (forsat-app's tests/common/velocity.rs) seen on 22 November 2026.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_ui::App;

use crate::velocity_fixture::fixture;
use crate::{assert_on_row, harness, label, settle, type_into};

const CARD: &str = "Time in stage & velocity";

/// The app on the velocity card, full size.
fn velocity_card(path: &std::path::Path) -> Harness<'static, App> {
    let mut harness = harness(path);
    harness.get_by_label("Reports").click();
    harness.run();
    let open = format!("Open {CARD} full size");
    harness.get_by_label(&open).scroll_to_me();
    harness.run();
    harness.get_by_label(&open).click();
    harness.run();
    harness
}

/// The shared fixture's file (kept while the folder lives) on the velocity card, full size.
fn fixture_card() -> (tempfile::TempDir, Harness<'static, App>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("velocity.redb");
    fixture(&path);
    let harness = velocity_card(&path);
    (dir, harness)
}

/// Asserts that the card's row for `stage` reads `cells`, left to right.
fn stage_row(harness: &Harness<'static, App>, stage: &str, cells: &[&str]) {
    let y = harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(stage)
        })
        .map(|n| n.rect().center().y)
        // The chart's axis names the stage too; the table's row is below it.
        .fold(f32::MIN, f32::max);
    assert_on_row(harness, stage, y, cells);
}

#[test]
fn the_card_shows_days_per_stage_and_the_velocity_with_its_factors() {
    let (_dir, harness) = fixture_card();
    harness.get_by_label("Days in each stage chart");
    // New: left by 5 deals (4, 6, 9, 10, 20 days): median 9, 75th percentile 13.3 (method 8:
    // 10 + 0.3333 × 10); Elbrus in it since 2 November: 20 days.
    stage_row(
        &harness,
        "New",
        &["5 deals", "9 days", "13.3 days", "1 deal", "20 days"],
    );
    // Qualified: 20, 30, 40: median 30, p75 30 + 0.8333 × 10 = 38.3; Dena since 21 October:
    // 10 + 22 = 32 days.
    stage_row(
        &harness,
        "Qualified",
        &["3 deals", "30 days", "38.3 days", "1 deal", "32 days"],
    );
    // Proposition: 10 and 26: median 18, p75 the largest, 26; nobody in it now.
    stage_row(
        &harness,
        "Proposition",
        &["2 deals", "18 days", "26 days", "0 deals", "—"],
    );
    // 2 open × 3/4 won × 3,000 average ÷ 119/3 days = 13,500 / 119 = 113.45 a day.
    label(&harness, "Velocity: $113 per day");
    label(&harness, "Open deals: 2 deals");
    label(&harness, "× Win rate: 75 % (3 won of 4 closed)");
    label(&harness, "× Average won deal: $3,000");
    label(&harness, "÷ Average cycle: 39.7 days from creation to won");
}

#[test]
fn typing_a_period_measures_only_the_deals_closed_in_it() {
    let (_dir, mut harness) = fixture_card();
    harness.get_by_label("Period").click();
    settle(&mut harness);
    harness.get_by_label("Dates…").click();
    settle(&mut harness);
    type_into(&mut harness, "From", "2026-03-01");
    // Closed since 1 March: Bandar and Fars won, Soleil lost: 2 of 3; (3,000 + 5,000) / 2 =
    // 4,000; cycle (30 + 49) / 2 = 39.5; 2 × 2/3 × 4,000 / 39.5 = 32,000 / 237 = 135.02.
    label(&harness, "Velocity: $135 per day");
    label(&harness, "× Win rate: 66.7 % (2 won of 3 closed)");
    label(&harness, "× Average won deal: $4,000");
    label(&harness, "÷ Average cycle: 39.5 days from creation to won");
    // From 1 June nothing closed: the velocity says what it needs instead of a zero.
    type_into(&mut harness, "From", "2026-06-01");
    label(
        &harness,
        "Velocity needs won or lost deals in the period to measure the win rate.",
    );
    label(&harness, "× Win rate: — (0 won of 0 closed)");
    assert!(harness.query_by_label("Velocity: $0 per day").is_none());
}

#[test]
fn on_a_file_without_deals_the_card_says_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.redb");
    // Started once without the sample, as after removing it: no deal at all.
    let mut ws = forsat_app::workspace::Workspace::open(&path, crate::clock()).unwrap();
    let first = forsat_core::command::Command::FirstStart { sample: None };
    ws.apply(first).unwrap();
    drop(ws);
    let harness = velocity_card(&path);
    label(
        &harness,
        "Needs deals in the pipeline's open stages to measure the time spent in each.",
    );
    // One sentence, as every empty card: no chart, and no velocity of zeros under it.
    assert!(harness.query_by_label("Days in each stage chart").is_none());
    assert!(
        harness
            .query_by_label(
                "Velocity needs won or lost deals in the period to measure the win rate."
            )
            .is_none()
    );
}

/// Every text file of the workbook `bytes` (an .xlsx is a zip of XML), one after the other.
fn workbook_text(bytes: Vec<u8>) -> String {
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..book.len() {
        let mut entry = book.by_index(i).unwrap();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    }
    text
}

#[test]
fn the_card_exports_its_figures_as_csv_and_xlsx() {
    let (dir, mut harness) = fixture_card();
    let export = format!("Export {CARD}");
    let csv = dir.path().join("velocity.csv");
    harness.get_by_label(&export).click();
    harness.run();
    crate::retype(&mut harness, "File", csv.to_str().unwrap());
    harness.get_by_label("Save").click();
    harness.run();
    // A figure a row, as on the card: New's median 9 over 5 deals, the velocity 113.45.
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("figure,stage,deals,value\r\n"), "{text}");
    for row in [
        "median_days,New,5,9",
        "p75_days,Qualified,3,38.3",
        "now_median_days,Qualified,1,32",
        "win_rate,,4,0.75",
        "average_won,,3,3000.00",
        "velocity_per_day,,,113.45",
    ] {
        assert!(text.contains(&format!("{row}\r\n")), "{row} in {text}");
    }
    // The same figures in a workbook.
    let xlsx = dir.path().join("velocity.xlsx");
    harness.get_by_label(&export).click();
    harness.run();
    harness.get_by_label("XLSX (Excel)").click();
    harness.run();
    crate::retype(&mut harness, "File", xlsx.to_str().unwrap());
    harness.get_by_label("Save").click();
    harness.run();
    let book = workbook_text(std::fs::read(&xlsx).unwrap());
    for text in ["velocity_per_day", "average_cycle_days", "Proposition"] {
        assert!(book.contains(text), "{text} in the workbook");
    }
}

/// The fixture's velocity picture painted in `language`: its texts, with where each is and the
/// picture's height, in points.
fn velocity_picture(language: forsat_i18n::Language) -> (forsat_ui::Painted, f32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("velocity.redb");
    fixture(&path);
    let ws = forsat_app::workspace::Workspace::open(&path, forsat_app::workspace::system_clock())
        .unwrap();
    forsat_i18n::install(forsat_i18n::Local {
        language,
        calendar: language.calendar(),
        ..forsat_i18n::current()
    });
    let scope = forsat_core::analytics::reports::Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Default::default()
    };
    let params = forsat_core::analytics::reports::Params::Velocity {
        by: forsat_core::analytics::reports::VelocityBy::Stage,
        from: None,
        to: None,
    };
    let painted = forsat_ui::paint_chart(&ws, &scope, &params);
    // 2 pixels per point.
    let height = painted.image.size[1] as f32 / 2.0;
    (painted, height)
}

/// Asserts that each of `lines` (in reading order) is painted whole, inside the picture and
/// at least its 20-point margin above the bottom edge.
fn painted_inside(painted: &forsat_ui::Painted, height: f32, lines: &[&str]) {
    for line in lines {
        // As laid out: Persian runs in display order.
        let job = egui::text::LayoutJob::single_section(line.to_string(), Default::default());
        let shown = forsat_ui::text::display_order(&job).text;
        let k = painted.texts.iter().position(|t| *t == shown);
        let k = k.unwrap_or_else(|| panic!("“{line}” is not painted: {:?}", painted.texts));
        let rect = painted.rects[k];
        assert!(
            rect.min.y >= 0.0 && rect.max.y <= height - 20.0,
            "“{line}” at {rect:?} in a picture {height} points high"
        );
    }
}

#[test]
fn the_velocity_picture_paints_its_four_factors_inside_it_in_english_and_persian() {
    // 2 open × 3/4 won × 3,000 average ÷ 119/3 = 39.67 days: 113.45 a day (as on the card).
    let (painted, height) = velocity_picture(forsat_i18n::Language::English);
    painted_inside(
        &painted,
        height,
        &[
            "Velocity: $113 per day",
            "Open deals: 2 deals",
            "× Win rate: 75 % (3 won of 4 closed)",
            "× Average won deal: $3,000",
            "÷ Average cycle: 39.7 days from creation to won",
        ],
    );
    // The same figures in Persian digits, with its separators (٬ thousands, ٫ decimals).
    let (painted, height) = velocity_picture(forsat_i18n::Language::Persian);
    painted_inside(
        &painted,
        height,
        &[
            "سرعت فروش: ۱۱۳ دلار در روز",
            "فرصت\u{200c}های باز: ۲ فرصت",
            "× نرخ موفقیت (۳ موفق از ۴ بسته\u{200c}شده): ۷۵٪",
            "× میانگین فرصت موفق: ۳٬۰۰۰ دلار",
            "÷ میانگین چرخه: ۳۹٫۷ روز از ایجاد تا موفقیت",
        ],
    );
}
