//! What a screen reader says: a card and a list row speak the whole deal on one line, each bar
//! of a chart has a node of its own saying its figures, in the order the language reads.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::domain::Language;
use forsat_ui::{App, View, WINDOW_SIZE};

use super::reports::five_deals;
use crate::{Fixture, app_harness, card, clock};

/// The app on `fixture` opened on `view`, speaking `language`.
fn opened(fixture: &Fixture, view: View, language: Language) -> Harness<'static, App> {
    fixture.with_language(language);
    let window = Harness::builder().with_size(egui::Vec2::from(WINDOW_SIZE));
    app_harness(window, &fixture.path, clock(), view)
}

/// The description of the label reading `name`: the list's name cell.
fn row_description(harness: &Harness<'static, App>, name: &str) -> Option<String> {
    harness
        .get_by(|n| n.role() == Role::Label && n.value().as_deref() == Some(name))
        .accesskit_node()
        .description()
}

/// The nodes of the bars of the chart named `chart`, in the order a screen reader walks them:
/// what each says and where its middle is.
fn bars(harness: &Harness<'static, App>, chart: &str) -> Vec<(String, egui::Pos2)> {
    let chart = harness.get_by_label(chart);
    let mut found = Vec::new();
    let mut stack: Vec<_> = chart.children().collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        let ak = node.accesskit_node();
        if ak.role() == Role::Image {
            found.push((ak.label().unwrap_or_default(), node.rect().center()));
        }
        let mut children: Vec<_> = node.children().collect();
        children.reverse();
        stack.extend(children);
    }
    found
}

fn texts(bars: &[(String, egui::Pos2)]) -> Vec<&str> {
    bars.iter().map(|(text, _)| text.as_str()).collect()
}

#[test]
fn a_card_keeps_the_deal_s_name_and_describes_the_whole_deal() {
    let fixture = Fixture::two_deals();
    let harness = opened(&fixture, View::Pipeline, Language::English);
    // Found by its name, as before; Qualified's default probability is 30 %, and a new deal
    // is expected to close six weeks on from 22 November 2026.
    let node = card(&harness, "Nordwind – fleet renewal");
    assert_eq!(
        node.accesskit_node().description().as_deref(),
        Some(
            "Nordwind – fleet renewal, Nordwind GmbH, $40,000.00, stage Qualified, \
             expected to close 2027-01-03, probability 30 %"
        )
    );
}

#[test]
fn a_card_speaks_persian_in_persian_order_and_digits() {
    let fixture = Fixture::two_deals();
    let harness = opened(&fixture, View::Pipeline, Language::Persian);
    // 3 January 2027 is 13 Dey 1405; the amount is followed by its currency's name.
    let node = card(&harness, "Nordwind – fleet renewal");
    assert_eq!(
        node.accesskit_node().description().as_deref(),
        Some(
            "Nordwind – fleet renewal، Nordwind GmbH، ۴۰٬۰۰۰٫۰۰ دلار، مرحله Qualified، \
             تاریخ بسته\u{200c}شدن مورد انتظار ۱۴۰۵/۱۰/۱۳، احتمال ۳۰٪"
        )
    );
}

#[test]
fn a_list_row_speaks_the_whole_deal_on_its_name() {
    let fixture = Fixture::two_deals();
    let harness = opened(&fixture, View::List, Language::English);
    assert_eq!(
        row_description(&harness, "Café Müller – espresso machines").as_deref(),
        Some(
            "Café Müller – espresso machines, Café Müller, $12,500.00, stage New, \
             expected to close 2027-01-03, probability 10 %"
        )
    );
    // The file is the window's while it is open.
    drop(harness);
    let harness = opened(&fixture, View::List, Language::Persian);
    assert_eq!(
        row_description(&harness, "Café Müller – espresso machines").as_deref(),
        Some(
            "Café Müller – espresso machines، Café Müller، ۱۲٬۵۰۰٫۰۰ دلار، مرحله New، \
             تاریخ بسته\u{200c}شدن مورد انتظار ۱۴۰۵/۱۰/۱۳، احتمال ۱۰٪"
        )
    );
}

#[test]
fn each_funnel_bar_says_its_stage_deals_and_amount_top_down() {
    let fixture = five_deals();
    let harness = opened(&fixture, View::Reports, Language::English);
    let funnel = bars(&harness, "Funnel chart");
    // New: all five, 139,750.50; Qualified: all but Café Müller, 127,250.50; Proposition:
    // Zagros and Hôtel Lumière, 67,250.50.
    assert_eq!(
        texts(&funnel),
        [
            "New: 5 deals, $139,750.50",
            "Qualified: 4 deals, $127,250.50",
            "Proposition: 2 deals, $67,250.50",
        ]
    );
    assert!(
        funnel.windows(2).all(|w| w[0].1.y < w[1].1.y),
        "the first stage on top: {funnel:?}"
    );
}

#[test]
fn revenue_bars_read_from_the_right_in_persian() {
    let fixture = five_deals();
    let harness = opened(&fixture, View::Reports, Language::Persian);
    let revenue = bars(&harness, "نمودار درآمد");
    // The open deals per stage, expected then weighted (10 %, 30 % and 70 % of them).
    assert_eq!(
        texts(&revenue),
        [
            "New، مورد انتظار: ۱ فرصت، ۱۲٬۵۰۰٫۰۰ دلار",
            "New، وزنی: ۱٬۲۵۰٫۰۰ دلار",
            "Qualified، مورد انتظار: ۱ فرصت، ۴۰٬۰۰۰٫۰۰ دلار",
            "Qualified، وزنی: ۱۲٬۰۰۰٫۰۰ دلار",
            "Proposition، مورد انتظار: ۱ فرصت، ۷٬۲۵۰٫۵۰ دلار",
            "Proposition، وزنی: ۵٬۰۷۵٫۳۵ دلار",
        ]
    );
    // Walked in that order, each bar stands left of the one before: right to left.
    assert!(
        revenue.windows(2).all(|w| w[0].1.x > w[1].1.x),
        "read from the right: {revenue:?}"
    );
}
