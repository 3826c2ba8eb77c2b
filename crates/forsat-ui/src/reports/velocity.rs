//! The "Time in stage & velocity" card: median days per open stage as bars with the 75th
//! percentile marked, a row of figures per stage, and the velocity with its four factors. A
//! figure that cannot be worked out says what it needs instead of showing a zero.

use crate::direction;
use crate::text::one_run;
use crate::ui_ext::UiExt;
use egui::{RichText, Stroke};
use egui_plot::{Bar, BarChart, Line, PlotPoints};
use rust_decimal::Decimal;

use super::super::theme;
use super::bar_nodes::{SpokenBar, bar_nodes_ui, series_bar_text};
use super::charts::{
    Swatch, categories, category_at, count_label, hover_ui, legend_row_ui, percent, round_marks,
    still_plot,
};
use crate::analytics::velocity::{Missing, StageTimeRow, Velocity, VelocityReport};
use crate::i18n::{deals, format_money, format_number};
use crate::{tr, trn};

/// Days as the user reads them: "1 day", "12 days", "4.5 days".
pub fn days_text(days: f64) -> String {
    if days.fract() == 0.0 && days >= 0.0 {
        trn!(days as u64, "{n} days")
    } else {
        let value = Decimal::from_f64_retain(days)
            .unwrap_or_default()
            .round_dp(1);
        tr!("{days} days", days = format_number(value, 1))
    }
}

/// A figure in days, or a dash when there is none.
fn maybe_days(days: Option<f64>) -> String {
    days.map_or_else(|| "—".to_owned(), days_text)
}

/// The whole card below its controls (when `needs` has nothing to say): the chart, its table
/// and the velocity.
pub fn card_ui(ui: &mut egui::Ui, report: &VelocityReport, currency: &str, height: f32) {
    chart_ui(ui, &report.stages, height);
    ui.add_space(6.0);
    rows_ui(ui, &report.stages);
    ui.add_space(8.0);
    velocity_ui(ui, &report.velocity, currency);
}

/// What the time in stage needs when it has nothing to chart.
pub fn needs(report: &VelocityReport) -> Option<String> {
    if report.stages.is_empty() {
        Some(tr!(
            "Time in stage follows one pipeline: it has no open stage."
        ))
    } else if report.stages.iter().all(|s| s.left == 0 && s.now == 0) {
        Some(tr!(
            "Needs deals in the pipeline's open stages to measure the time spent in each."
        ))
    } else {
        None
    }
}

/// The height the card takes beside its chart: the legend, the table of stages (a row each,
/// and its header) and the velocity's five lines, so a full-size chart leaves them room.
pub fn room_beside_chart(report: &VelocityReport) -> f32 {
    let row = 24.0;
    row + (report.stages.len() + 1) as f32 * row + 14.0 + 5.0 * row
}

/// A bar of median days per stage over the deals that left it, a mark at its 75th percentile.
/// A stage no deal has left has no bar.
pub(super) fn chart_ui(ui: &mut egui::Ui, rows: &[StageTimeRow], height: f32) {
    let labels: Vec<String> = rows.iter().map(|r| r.stage.clone()).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            let median = r.median_days?;
            let name = format!("{}\n{}", r.stage, deals(r.left));
            Some(
                Bar::new(k as f64, median)
                    .name(name)
                    .width(0.6)
                    .fill(theme::colors(ui).chart_expected)
                    .stroke(Stroke::new(1.0, theme::colors(ui).chart_expected)),
            )
        })
        .collect();
    let top = rows.iter().filter_map(|r| r.p75_days).fold(1.0, f64::max);
    let median_name = tr!("Median days (deals that left the stage)");
    // The stages with a bar, in the bars' order.
    let spoken = rows
        .iter()
        .filter_map(|r| Some((r, r.median_days?)))
        .zip(&bars)
        .map(|((r, median), bar)| {
            let text = series_bar_text(&r.stage, &median_name, &days_text(median));
            SpokenBar::of(bar, false, text)
        })
        .collect();
    let p75_name = one_run(&tr!("75th percentile"));
    // Above the chart, where it hides no mark (a stage's percentile can reach the top).
    legend_row_ui(
        ui,
        &[
            (
                median_name.clone(),
                theme::colors(ui).chart_expected,
                Swatch::Bar,
            ),
            (
                tr!("75th percentile"),
                theme::colors(ui).chart_weighted,
                Swatch::Line,
            ),
        ],
    );
    let plot = categories(ui, still_plot("velocity_chart", height - 24.0), labels)
        .y_grid_spacer(round_marks)
        .y_axis_formatter(|mark, _| count_label(mark.value))
        .y_axis_label("")
        .include_y(0.0)
        .include_y(top * 1.1);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new(one_run(&median_name), bars)
                .color(theme::colors_of(plot_ui.ctx()).chart_expected)
                .allow_hover(false),
        );
        for (k, r) in rows.iter().enumerate() {
            let Some(p75) = r.p75_days else { continue };
            let x = k as f64;
            plot_ui.line(
                Line::new(
                    p75_name.clone(),
                    PlotPoints::new(vec![[x - 0.34, p75], [x + 0.34, p75]]),
                )
                .color(theme::colors_of(plot_ui.ctx()).chart_weighted)
                .width(3.0)
                .id(("velocity_p75", k))
                .allow_hover(false),
            );
        }
    });
    hover_ui(&response, tr!("Days in each stage chart"), |point| {
        let r = &rows[category_at(point.x, rows.len())?];
        Some(vec![
            r.stage.clone(),
            tr!("Left it: {deals}", deals = deals(r.left)),
            tr!("Median: {days}", days = maybe_days(r.median_days)),
            tr!("75th percentile: {days}", days = maybe_days(r.p75_days)),
            tr!("In it now: {deals}", deals = deals(r.now)),
        ])
    });
    bar_nodes_ui(ui, &response, spoken);
}

/// Each stage's figures: deals that left it, their median and 75th percentile, and those in
/// it now with their median so far.
fn rows_ui(ui: &mut egui::Ui, rows: &[StageTimeRow]) {
    direction::grid_scope(ui, |ui| {
        egui::Grid::new("velocity_rows")
            .num_columns(6)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for title in [
                    tr!("Stage"),
                    tr!("Left it"),
                    tr!("Median"),
                    tr!("75th percentile"),
                    tr!("In it now"),
                    tr!("Median so far"),
                ] {
                    ui.text(RichText::new(title).strong());
                }
                ui.end_row();
                for r in rows {
                    ui.text(&r.stage);
                    ui.text(deals(r.left));
                    ui.text(maybe_days(r.median_days));
                    ui.text(maybe_days(r.p75_days));
                    ui.text(deals(r.now));
                    ui.text(maybe_days(r.now_median_days));
                    ui.end_row();
                }
            });
    });
}

/// The velocity in money per day and the four factors it multiplies, each on its own line;
/// when it cannot be worked out, what it needs.
pub(super) fn velocity_ui(ui: &mut egui::Ui, v: &Velocity, currency: &str) {
    let headline = match (v.per_day, v.missing) {
        (Some(per_day), _) => RichText::new(tr!(
            "Velocity: {amount} per day",
            amount = format_money(per_day, currency)
        ))
        .color(theme::colors(ui).won),
        (None, missing) => RichText::new(match missing {
            Some(Missing::NoClosedDeals) | None => {
                tr!("Velocity needs won or lost deals in the period to measure the win rate.")
            }
            Some(Missing::NoWonDeals) => tr!("Velocity needs won deals to measure the cycle length."),
            Some(Missing::ZeroCycle) => tr!(
                "Velocity needs a cycle longer than a day: every deal won in the period closed the day it was created."
            ),
        })
        .color(theme::colors(ui).text_muted),
    };
    ui.text(headline.strong().size(15.0));
    let none = || "—".to_owned();
    let factors = [
        tr!("Open deals: {count}", count = deals(v.open_deals)),
        tr!(
            "Win rate: {rate} ({won} won of {closed} closed)",
            rate = v.win_rate.map_or_else(none, percent),
            won = crate::i18n::format_count(v.won),
            closed = crate::i18n::format_count(v.won + v.lost)
        ),
        tr!(
            "Average won deal: {amount}",
            amount = v
                .average_won
                .map_or_else(none, |a| format_money(a, currency))
        ),
        tr!(
            "Average cycle: {days} from creation to won",
            days = maybe_days(v.average_cycle_days)
        ),
    ];
    // A line each, open × win rate × average won ÷ cycle, so no factor breaks across lines.
    for (sign, factor) in ["", "× ", "× ", "÷ "].into_iter().zip(factors) {
        ui.text(format!("{sign}{factor}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_whole_or_with_one_decimal() {
        assert_eq!(days_text(1.0), "1 day");
        assert_eq!(days_text(12.0), "12 days");
        assert_eq!(days_text(4.5), "4.5 days");
        assert_eq!(maybe_days(None), "—");
    }
}
