//! The report cards read as a person reads them: the exact figures of a bar in its tooltip,
//! every month on the axis, the sales grid's totals, and a sentence where there is nothing
//! to draw. Figures are worked out by hand in the comments.

use chrono::NaiveDate;
use egui::pos2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Lookup, LookupKind, Record};
use forsat_ui::App;

use super::reports::{click, count, five_deals, reports_harness};
use crate::{Fixture, deal, harness, label, type_into};

/// Runs the pointer over the chart named `chart` along its middle — down it when `down`,
/// else across — as a person runs the mouse over the bars, until a tooltip line reads `line`.
fn hover_until(harness: &mut Harness<'static, App>, chart: &str, down: bool, line: &str) {
    let rect = harness.get_by_label(chart).rect();
    assert_eq!(count(harness, line), 0, "{line} before hovering");
    for k in 0..48 {
        let t = (k as f32 + 0.5) / 48.0;
        let at = if down {
            pos2(rect.center().x, rect.top() + t * rect.height())
        } else {
            pos2(rect.left() + t * rect.width(), rect.center().y)
        };
        harness.hover_at(at);
        harness.run();
        if count(harness, line) > 0 {
            return;
        }
    }
    panic!("no tooltip over {chart} reads {line}");
}

/// Asserts that the tooltip shown reads each of `lines`.
fn tooltip_reads(harness: &Harness<'static, App>, lines: &[&str]) {
    for line in lines {
        assert_eq!(count(harness, line), 1, "the tooltip lacks {line}");
    }
}

#[test]
fn hovering_a_funnel_bar_shows_its_deals_and_amount_to_the_cent() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    // Proposition: Zagros 7,250.50 + Hôtel Lumière 60,000 = 67,250.50, reached by 2 of the 4
    // that reached Qualified (50 %). The bar's own label rounds it to $67,251.
    hover_until(&mut harness, "Funnel chart", true, "2 deals, $67,250.50");
    tooltip_reads(&harness, &["50 % of Qualified"]);
    // New: all five, 12,500 + 40,000 + 7,250.50 + 20,000 + 60,000 = 139,750.50.
    hover_until(&mut harness, "Funnel chart", true, "5 deals, $139,750.50");
}

#[test]
fn hovering_a_leakage_bar_shows_what_was_lost_there_and_what_moved_on() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Sales leakage full size");
    // Qualified: reached by Nordwind, Zagros, Tabriz and Hôtel Lumière (4); Zagros and Hôtel
    // Lumière went on to Proposition (2 of 4 = 50 %); Tabriz (20,000) was lost from it;
    // Nordwind is in it now.
    hover_until(
        &mut harness,
        "Sales leakage chart",
        false,
        "Lost from it: 1 deal, $20,000.00",
    );
    tooltip_reads(
        &harness,
        &["Moved on: 2 of 4 deals (50 %)", "In it now: 1 deal"],
    );
}

#[test]
fn hovering_a_revenue_bar_shows_expected_and_weighted_to_the_cent() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Expected vs weighted revenue full size");
    // Proposition holds Zagros only: 7,250.50 at 70 % = 5,075.35.
    hover_until(&mut harness, "Revenue chart", false, "Expected: $7,250.50");
    tooltip_reads(&harness, &["Weighted: $5,075.35", "1 deal"]);
}

#[test]
fn a_month_without_deals_stands_on_the_axis_at_zero() {
    let fixture = five_deals();
    {
        let mut ws = fixture.reopen();
        let mut nordwind = deal(&ws, "Nordwind – fleet renewal").clone();
        nordwind.expected_close = NaiveDate::from_ymd_opt(2027, 3, 10);
        let update = Command::UpdateOpportunity {
            opp: Box::new(nordwind),
            new_account: None,
        };
        ws.apply(update).unwrap();
    }
    let mut harness = reports_harness(&fixture);
    click(
        &mut harness,
        "Open Revenue by expected-close month full size",
    );
    // Café Müller and Zagros close on 3 January (12,500 + 7,250.50 = 19,750.50), Nordwind on
    // 10 March (40,000): February is between them, with nothing.
    hover_until(
        &mut harness,
        "Revenue by month chart",
        false,
        "Expected: $19,750.50",
    );
    hover_until(
        &mut harness,
        "Revenue by month chart",
        false,
        "Expected: $0.00",
    );
    tooltip_reads(&harness, &["2027-02", "0 deals", "Weighted: $0.00"]);
    hover_until(
        &mut harness,
        "Revenue by month chart",
        false,
        "Expected: $40,000.00",
    );
}

#[test]
fn won_and_lost_by_reason_lists_losses_by_reason_and_the_won_deals_apart() {
    let fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Won and lost full size");
    // Tabriz (20,000) was lost with no reason: the only loss, 100 % of them. Hôtel Lumière
    // (60,000) was won: 1 of the 2 deals closed, a win rate of 50 %.
    hover_until(
        &mut harness,
        "Won and lost chart",
        true,
        "Won: 1 deal, $60,000.00",
    );
    tooltip_reads(&harness, &["Win rate: 50 %"]);
    hover_until(
        &mut harness,
        "Won and lost chart",
        true,
        "Lost: 1 deal, $20,000.00",
    );
    tooltip_reads(&harness, &["No reason given", "100 % of the lost deals"]);
    assert_eq!(count(&harness, "Win rate: 0 %"), 0);
}

/// The height of a row of the sales grid: two lines (won, pipeline) of 22 points.
const GRID_ROW: f32 = 44.0;

/// Where the label reading `text` highest in the window is: a column's header (the grid's
/// last row is named "Total" as its total column is).
fn top_label(harness: &Harness<'static, App>, text: &str) -> egui::Rect {
    harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(text)
        })
        .map(|n| n.rect())
        .min_by(|a, b| a.top().total_cmp(&b.top()))
        .unwrap_or_else(|| panic!("no {text}"))
}

/// The labels in the sales grid's cell at the row named `row` and the column headed `column`.
fn grid_cell(harness: &Harness<'static, App>, row: &str, column: &str) -> Vec<String> {
    let header = top_label(harness, column);
    let name = label(harness, row).rect();
    let mut texts: Vec<(f32, String)> = harness
        .query_all_by(|n| n.role() == egui::accesskit::Role::Label)
        .filter(|n| {
            let r = n.rect();
            (r.left() - header.left()).abs() < 4.0
                && r.top() >= name.top() - 2.0
                && r.top() < name.top() + GRID_ROW - 4.0
        })
        .map(|n| (n.rect().top(), n.value().unwrap_or_default()))
        .collect();
    texts.sort_by(|a, b| a.0.total_cmp(&b.0));
    texts.into_iter().map(|(_, t)| t).collect()
}

#[test]
fn the_sales_grid_totals_each_salesperson_and_each_period_by_month_and_by_quarter() {
    let fixture = five_deals();
    {
        let mut ws = fixture.reopen();
        let person = |name: &str| {
            Record::Lookup(Lookup {
                id: 0,
                kind: LookupKind::Salesperson,
                name: name.into(),
                active: true,
            })
        };
        let put = vec![person("Reza Tehrani"), person("Sara Karimi")];
        let change = Change {
            put,
            ..Change::default()
        };
        ws.apply(Command::Change(Box::new(change))).unwrap();
        for (name, who) in [
            ("Café Müller – espresso machines", "Sara Karimi"),
            ("Zagros – depot racking", "Sara Karimi"),
            ("Nordwind – fleet renewal", "Reza Tehrani"),
            ("Hôtel Lumière – renovation", "Reza Tehrani"),
        ] {
            let people = ws.lookups(LookupKind::Salesperson);
            let id = people.iter().find(|l| l.name == who).unwrap().id;
            let mut opp = deal(&ws, name).clone();
            opp.salesperson = Some(id);
            ws.apply(Command::UpdateOpportunity {
                opp: Box::new(opp),
                new_account: None,
            })
            .unwrap();
        }
    }
    let mut harness = reports_harness(&fixture);
    click(&mut harness, "Open Sales grid full size");
    harness.get_by_label("Period").click();
    harness.run();
    harness.get_by_label("Next 12 months").click();
    harness.run();
    // November 2026 to October 2027. Reza: Hôtel Lumière won today (60,000, November),
    // Nordwind open to close on 3 January (40,000). Sara: Café Müller and Zagros open to close
    // on 3 January (12,500 + 7,250.50 = 19,750.50). Tabriz is lost: in no cell.
    // Totals: Reza won 60,000, pipeline 40,000; Sara won 0, pipeline 19,750.50; November won
    // 60,000; January pipeline 40,000 + 19,750.50 = 59,750.50; all: 60,000 won, 59,750.50 in
    // the pipeline. Cells show whole dollars.
    let expect = |harness: &Harness<'static, App>, cells: &[(&str, &str, &[&str])]| {
        for (row, column, texts) in cells {
            assert_eq!(grid_cell(harness, row, column), *texts, "{row} × {column}");
        }
    };
    expect(
        &harness,
        &[
            ("Reza Tehrani", "2026-11", &["$60,000", "$0"]),
            ("Reza Tehrani", "2027-01", &["$0", "$40,000"]),
            ("Reza Tehrani", "2026-12", &[]),
            ("Sara Karimi", "2027-01", &["$0", "$19,751"]),
            ("Sara Karimi", "2026-11", &[]),
        ],
    );
    let totals: &[(&str, &str, &[&str])] = &[
        ("Reza Tehrani", "Total", &["$60,000", "$40,000"]),
        ("Sara Karimi", "Total", &["$0", "$19,751"]),
    ];
    expect(&harness, totals);
    // The last row's name is "Total" too: its cells are under the names' column.
    let total_row = harness
        .query_all_by(|n| {
            n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some("Total")
        })
        .map(|n| n.rect())
        .max_by(|a, b| a.top().total_cmp(&b.top()))
        .unwrap();
    let in_total_row = |harness: &Harness<'static, App>, column: &str| {
        let header = top_label(harness, column);
        let mut texts: Vec<(f32, String)> = harness
            .query_all_by(|n| n.role() == egui::accesskit::Role::Label)
            .filter(|n| {
                let r = n.rect();
                (r.left() - header.left()).abs() < 4.0
                    && r.top() >= total_row.top() - 2.0
                    && r.top() < total_row.top() + GRID_ROW - 4.0
            })
            .map(|n| (n.rect().top(), n.value().unwrap_or_default()))
            .collect();
        texts.sort_by(|a, b| a.0.total_cmp(&b.0));
        texts.into_iter().map(|(_, t)| t).collect::<Vec<String>>()
    };
    assert_eq!(in_total_row(&harness, "2026-11"), ["$60,000", "$0"]);
    assert_eq!(in_total_row(&harness, "2027-01"), ["$0", "$59,751"]);
    assert!(in_total_row(&harness, "2026-12").is_empty());

    // By quarter: November in 2026-Q4, January in 2027-Q1; the totals stay.
    click(&mut harness, "Sales grid by quarter");
    assert_eq!(count(&harness, "2026-11"), 0, "months are gone");
    expect(
        &harness,
        &[
            ("Reza Tehrani", "2026-Q4", &["$60,000", "$0"]),
            ("Reza Tehrani", "2027-Q1", &["$0", "$40,000"]),
            ("Sara Karimi", "2027-Q1", &["$0", "$19,751"]),
            ("Sara Karimi", "2026-Q4", &[]),
        ],
    );
    expect(&harness, totals);
    assert_eq!(in_total_row(&harness, "2026-Q4"), ["$60,000", "$0"]);
    assert_eq!(in_total_row(&harness, "2027-Q1"), ["$0", "$59,751"]);
}

/// Each card's sentence on a file without deals, and the chart it stands for.
const NEEDS: [(&str, &str); 7] = [
    ("The funnel needs deals in this pipeline.", "Funnel chart"),
    (
        "Sales leakage needs deals in this pipeline.",
        "Sales leakage chart",
    ),
    (
        "Expected vs weighted revenue needs open deals.",
        "Revenue chart",
    ),
    (
        "Revenue by month needs open deals.",
        "Revenue by month chart",
    ),
    (
        "The forecast needs open deals with an expected close date in the period, or deals won in it.",
        "Forecast chart",
    ),
    (
        "The sales grid needs deals won or expected to close in the period.",
        "Total",
    ),
    (
        "Win/loss needs won or lost deals closed in the period.",
        "Won and lost chart",
    ),
];

#[test]
fn on_a_file_without_deals_each_card_says_what_it_needs_and_draws_no_axes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.redb");
    let mut harness = harness(&path);
    // A new user clears the sample, then opens the reports.
    crate::clear_sample(&mut harness);
    harness.get_by_label("Reports").click();
    harness.run();
    for (sentence, chart) in NEEDS {
        harness.get_by_label(sentence).scroll_to_me();
        harness.run();
        label(&harness, sentence);
        assert!(harness.query_by_label(chart).is_none(), "{chart} is drawn");
    }
    // No figure that is not one: no "$0", no "0 %" (the status bar's "0 deals" is true).
    let figures: Vec<String> = harness
        .query_all_by(|n| n.role() == egui::accesskit::Role::Label)
        .filter_map(|n| n.value())
        .filter(|v| v.contains("$0") || v.contains("0 %"))
        .collect();
    assert!(figures.is_empty(), "{figures:?}");
    assert!(
        harness
            .query_by_label("Only the deals created in the dates chosen above count.")
            .is_none()
    );
}

#[test]
fn a_period_or_dates_that_leave_no_deal_say_so() {
    let fixture: Fixture = five_deals();
    let mut harness = reports_harness(&fixture);
    let why = "Only the deals created in the dates chosen above count.";
    // Won and lost last year (2025): Tabriz and Hôtel Lumière closed in 2026.
    click(&mut harness, "Open Won and lost full size");
    harness.get_by_label("Period").click();
    harness.run();
    harness.get_by_label("Last year").click();
    harness.run();
    label(
        &harness,
        "Win/loss needs won or lost deals closed in the period.",
    );
    assert!(harness.query_by_label("Won and lost chart").is_none());
    assert_eq!(count(&harness, why), 0, "no dates narrow the deals");
    click(&mut harness, "Back");
    // Every deal was created on 22 November 2026: none from December on.
    type_into(&mut harness, "from", "2026-12-01");
    label(&harness, "The funnel needs deals in this pipeline.");
    label(&harness, "Sales leakage needs deals in this pipeline.");
    // The funnel, the leakage and the two revenue cards are in view; the rest below.
    assert!(
        count(&harness, why) >= 4,
        "{} cards say why",
        count(&harness, why)
    );
}
