//! Slipped close dates: the deals whose expected close date was pushed later this week,
//! month, quarter or year — a sentence on what left the period, then a line per deal.

use egui::RichText;
use egui_extras::Column;
use rust_decimal::Decimal;

use crate::analytics::reports::SlipRow;
use crate::app::Action;
use crate::i18n::{format_count, format_date, format_money};
use crate::ui_ext::UiExt as _;
use crate::widgets::{TableShape, reading_table};
use crate::{direction, theme, tr, trn};

/// "5 deals had their close date pushed later in 2026-12. 2 of them, $40,000 in all, were due
/// in it and no longer are." `rows` is not empty.
pub fn summary(rows: &[SlipRow], currency: &str) -> String {
    let left: Vec<&SlipRow> = rows.iter().filter(|r| r.left_period).collect();
    let slipped = trn!(
        rows.len() as u64,
        "{n} deals had their close date pushed later in {period}.",
        period = rows[0].period
    );
    if left.is_empty() {
        return slipped;
    }
    let amount: Decimal = left.iter().map(|r| r.amount).sum();
    let out = trn!(
        left.len() as u64,
        "{n} of them, {amount} in all, were due in it and no longer are.",
        amount = format_money(amount, currency)
    );
    format!("{slipped} {out}")
}

/// The card: its sentence, a link to the deals in the list, and a line per deal (its name
/// opens it), those that left the period first. A picture (`actions` None) has no links.
pub fn card_ui(
    ui: &mut egui::Ui,
    rows: &[SlipRow],
    currency: &str,
    height: f32,
    mut actions: Option<&mut Vec<Action>>,
) {
    let Some(first) = rows.first() else {
        return;
    };
    ui.with_layout(direction::top_down_start(), |ui| {
        let text = RichText::new(summary(rows, currency)).strong();
        ui.add(egui::Label::new(ui.rtl(text)).wrap());
        let Some(actions) = actions.as_deref_mut() else {
            return;
        };
        let label = tr!("Show these deals in the list");
        if ui.link(ui.rtl(label)).clicked() {
            actions.push(Action::OpenPinned {
                label: tr!("Close date pushed in {period}", period = first.period),
                ids: rows.iter().map(|r| r.id).collect(),
            });
        }
    });
    ui.add_space(4.0);
    let mut columns = vec![
        (
            tr!("Deal"),
            Column::remainder().at_least(140.0).clip(true),
            false,
        ),
        (
            tr!("Salesperson"),
            Column::auto().at_least(90.0).clip(true),
            false,
        ),
        (tr!("Amount"), Column::auto().at_least(80.0), true),
        (tr!("Was due"), Column::auto().at_least(80.0), true),
        (tr!("Now due"), Column::auto().at_least(80.0), true),
        (tr!("Pushed"), Column::auto().at_least(60.0), true),
    ];
    // Room for the scroll bar, drawn over the rightmost column: the last in reading order, or
    // in Persian the first.
    let gap = (String::new(), Column::exact(12.0), false);
    let rtl = crate::i18n::right_to_left();
    let at = if rtl { 0 } else { columns.len() };
    columns.insert(at, gap);
    let shape = TableShape::new("slipped_table", theme::REPORT_ROW_HEIGHT).scrolled(height);
    reading_table(ui, shape, &columns, rows.len(), |ui, index, column| {
        let r = &rows[index];
        let column = if rtl { column.wrapping_sub(1) } else { column };
        let text = match column {
            0 if actions.is_none() => r.deal.clone(),
            0 => {
                let link = ui
                    .link(ui.rtl(r.deal.clone()))
                    // The name in full: the column cuts a long one.
                    .on_hover_text(ui.rtl(r.deal.clone()));
                if let Some(actions) = actions.as_deref_mut().filter(|_| link.clicked()) {
                    actions.push(Action::Open(r.id));
                }
                return;
            }
            1 => r.salesperson.clone().unwrap_or_default(),
            2 => format_money(r.amount, currency),
            3 => format_date(r.was),
            4 => {
                let now = RichText::new(r.now.map(format_date).unwrap_or_default());
                // Red: no longer due in the period.
                ui.text(if r.left_period {
                    now.color(theme::colors(ui).lost)
                } else {
                    now
                });
                return;
            }
            5 => pushed(r),
            _ => return,
        };
        ui.text(text);
    });
}

/// "2 (3 in all)": its pushes in the period, and in all when it has others.
fn pushed(r: &SlipRow) -> String {
    let here = format_count(r.pushes);
    if r.pushes_total > r.pushes {
        tr!(
            "{here} ({total} in all)",
            here = here,
            total = format_count(r.pushes_total)
        )
    } else {
        here
    }
}
