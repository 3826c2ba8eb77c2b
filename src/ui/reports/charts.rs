//! The charts and tables of the report cards. Nothing here computes a report: each frame only
//! turns the cached rows on screen into bars, so the work follows what is drawn.

use crate::ui::direction;
use crate::ui::text::{bidi, bidi_with, one_run};
use egui::{Align2, Rect, RichText, Stroke, vec2};
use egui_extras::{Column, TableBuilder};
use egui_plot::{
    Bar, BarChart, Corner, GridInput, GridMark, Legend, Line, Plot, PlotPoint, PlotPoints, Points,
    Text,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

use super::super::theme;
use crate::analytics::reports::{
    ForecastRow, FunnelRow, GridRow, LeakageRow, NONE, PipelineRow, WinLossRow,
};
use crate::i18n::{deals, format_count, format_money, format_percent};
use crate::tr;

/// The rows of the forecast or the grid by salesperson and period, worked out once per report.
pub struct Pivot {
    /// Every period of the range, in order.
    pub periods: Vec<String>,
    /// Salespeople by name, deals without one last.
    pub people: Vec<String>,
    /// `cells[person][period]`: the index of that salesperson's row for that period.
    cells: Vec<Vec<Option<usize>>>,
}

impl Pivot {
    /// Places rows given as `(salesperson, period)` keys, in row order.
    pub fn of<'a>(periods: Vec<String>, keys: impl Iterator<Item = (&'a str, &'a str)>) -> Pivot {
        let keys: Vec<(&str, &str)> = keys.collect();
        let mut people: Vec<String> = keys.iter().map(|(p, _)| (*p).to_owned()).collect();
        people.sort_by_key(|p| (p == NONE, p.to_lowercase()));
        people.dedup();
        let mut cells = vec![vec![None; periods.len()]; people.len()];
        for (row, (person, period)) in keys.iter().enumerate() {
            let p = people.iter().position(|x| x == person);
            let t = periods.iter().position(|x| x == period);
            if let (Some(p), Some(t)) = (p, t) {
                cells[p][t] = Some(row);
            }
        }
        Pivot {
            periods,
            people,
            cells,
        }
    }
}

/// Which amount the forecast's bars stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Measure {
    /// What was won plus the weighted pipeline: one figure for past and future periods.
    #[default]
    WonAndWeighted,
    Won,
    Weighted,
    Unweighted,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::WonAndWeighted,
        Measure::Won,
        Measure::Weighted,
        Measure::Unweighted,
    ];

    pub fn label(self) -> String {
        match self {
            Measure::WonAndWeighted => tr!("Won + weighted pipeline"),
            Measure::Won => tr!("Won"),
            Measure::Weighted => tr!("Weighted pipeline"),
            Measure::Unweighted => tr!("Pipeline (unweighted)"),
        }
    }

    fn of(self, row: &ForecastRow) -> Decimal {
        match self {
            Measure::WonAndWeighted => row.won_amount + row.weighted,
            Measure::Won => row.won_amount,
            Measure::Weighted => row.weighted,
            Measure::Unweighted => row.unweighted,
        }
    }
}

/// A key of a report as the user reads it: [`NONE`] as `none` says it.
pub fn key_label(key: &str, none: &str) -> String {
    if key == NONE {
        none.to_owned()
    } else {
        key.to_owned()
    }
}

fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

fn money(value: f64, currency: &str) -> String {
    format_money(
        Decimal::from_f64_retain(value).unwrap_or_default(),
        currency,
    )
}

/// A ratio (0.625) as a percentage with one decimal at most (62.5 %).
pub fn percent(ratio: f64) -> String {
    let value = Decimal::from_f64_retain(ratio * 100.0).unwrap_or_default();
    format_percent(value.round_dp(1))
}

/// A plot that neither zooms nor pans: report charts are read, not explored.
pub(super) fn still_plot(id: &'static str, height: f32) -> Plot<'static> {
    // In a right-to-left language the x axis runs from the right (the first stage, the
    // earliest month at the right) and the y axis stands on the right.
    let rtl = crate::i18n::right_to_left();
    Plot::new(id)
        .invert_x(rtl)
        .y_axis_position(if rtl {
            egui_plot::HPlacement::Right
        } else {
            egui_plot::HPlacement::Left
        })
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .allow_axis_zoom_drag(false)
        .show_x(false)
        .show_y(false)
        .show_background(false)
}

/// The width of the widest of `labels` in the body font, as axis tick labels are drawn.
fn widest(ui: &egui::Ui, labels: &[String]) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    labels
        .iter()
        .map(|l| {
            ui.painter()
                .layout_no_wrap(l.clone(), font.clone(), egui::Color32::BLACK)
                .size()
                .x
        })
        .fold(0.0, f32::max)
}

/// Labels the x axis of categories `0..n` by `labels`, every `stride`-th one so that they fit
/// side by side in the plot's width (the plot hides a label wider than its step).
pub(super) fn categories(ui: &egui::Ui, plot: Plot<'static>, labels: Vec<String>) -> Plot<'static> {
    let n = labels.len();
    let room = ui.available_width() - 80.0;
    let stride = ((n as f32 * (widest(ui, &labels) + 16.0) / room.max(1.0)).ceil() as usize).max(1);
    plot.show_grid([false, true])
        .x_grid_spacer(move |input: GridInput| {
            let (min, max) = input.bounds;
            (0..n)
                .step_by(stride)
                .filter(|i| (min..=max).contains(&(*i as f64)))
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: stride as f64,
                })
                .collect()
        })
        .x_axis_formatter(move |mark, _| category(&labels, mark.value))
        .x_axis_label("")
}

/// The label of the category at `value`: nothing between categories.
fn category(labels: &[String], value: f64) -> String {
    let i = value.round();
    if i < 0.0 || (value - i).abs() > 1e-6 {
        return String::new();
    }
    labels
        .get(i as usize)
        .map(|label| one_run(label))
        .unwrap_or_default()
}

/// About five marks at round values (1, 2 or 5 times a power of ten) across `input`, so every
/// one has room for its label.
pub(super) fn round_marks(input: GridInput) -> Vec<GridMark> {
    let (min, max) = input.bounds;
    let rough = (max - min) / 5.0;
    if rough <= 0.0 || !rough.is_finite() {
        return Vec::new();
    }
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    (first..=last)
        .map(|k| GridMark {
            value: k as f64 * step,
            step_size: step,
        })
        .collect()
}

/// A whole count as an axis label; nothing between whole numbers or below zero.
pub(super) fn count_label(value: f64) -> String {
    let whole = value.round();
    if value < 0.0 || (value - whole).abs() > 1e-6 {
        String::new()
    } else {
        one_run(&format_count(whole as u64))
    }
}

/// A y axis of money from zero.
fn money_axis(plot: Plot<'static>, currency: &str) -> Plot<'static> {
    let currency = currency.to_owned();
    plot.y_grid_spacer(round_marks)
        .include_y(0.0)
        .y_axis_formatter(move |mark, _| {
            if mark.value < 0.0 {
                String::new()
            } else {
                one_run(&money(mark.value, &currency))
            }
        })
        .y_axis_label("")
        .y_axis_min_width(60.0)
}

/// Bars of one colour, one per category, shifted by `offset` so two series sit side by side.
fn series(
    values: impl Iterator<Item = f64>,
    labels: &[String],
    offset: f64,
    color: egui::Color32,
) -> Vec<Bar> {
    values
        .zip(labels)
        .enumerate()
        .map(|(i, (value, label))| {
            Bar::new(i as f64 + offset, value)
                .name(label)
                .width(0.38)
                .fill(color)
                .stroke(Stroke::new(1.0, color))
        })
        .collect()
}

/// Hover text of a bar: its category and its amount.
fn money_bars(chart: BarChart, currency: &str) -> BarChart {
    let currency = currency.to_owned();
    chart.element_formatter(Box::new(move |bar, _| {
        one_run(&format!("{}\n{}", bar.name, money(bar.value, &currency)))
    }))
}

/// A legend above a chart, for series too many to sit inside it without hiding bars.
pub(super) fn legend_row_ui(ui: &mut egui::Ui, entries: &[(String, egui::Color32)]) {
    ui.horizontal_wrapped(|ui| {
        for (name, color) in entries {
            let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, *color);
            ui.label(bidi(ui, RichText::new(name).color(theme::TEXT_MUTED)));
            ui.add_space(6.0);
        }
    });
}

pub(super) fn legend() -> Legend {
    // Away from the first category, which a right-to-left chart puts at the right.
    let corner = if crate::i18n::right_to_left() {
        Corner::LeftTop
    } else {
        Corner::RightTop
    };
    Legend::default().position(corner)
}

/// The funnel: a centred bar per open stage, as wide as the deals that reached it, labelled
/// with the count, the amount and the conversion from the stage before. Returns where it is
/// drawn and the stage whose bar (or label) was clicked.
pub fn funnel_ui(
    ui: &mut egui::Ui,
    rows: &[FunnelRow],
    currency: &str,
    height: f32,
) -> (Rect, Option<usize>) {
    let n = rows.len();
    // The first stage on top.
    let y = move |k: usize| (n - 1 - k) as f64;
    let widest = rows.iter().map(|r| r.reached).max().unwrap_or(0).max(1) as f64;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let v = r.reached as f64;
            Bar::new(y(k), v)
                .base_offset(-v / 2.0)
                .name(&r.stage)
                .fill(theme::CHART_FUNNEL)
                .stroke(Stroke::new(1.0, theme::CHART_EXPECTED))
        })
        .collect();
    let labels: Vec<(f64, String)> = (0..n)
        .map(|k| (y(k), funnel_label(rows, k, currency)))
        .collect();
    let plot = still_plot("funnel_chart", height)
        .show_axes(false)
        .show_grid(false)
        // Bands of equal height, so a click maps to a stage by its y alone.
        .set_margin_fraction(vec2(0.02, 0.0))
        .include_x(-widest / 2.0)
        .include_x(widest / 2.0)
        .include_y(-0.5)
        .include_y(n as f64 - 0.5);
    let style = ui.style().clone();
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new("funnel", bars)
                .horizontal()
                .width(0.84)
                .allow_hover(false),
        );
        for (k, (y, label)) in labels.into_iter().enumerate() {
            plot_ui.text(
                Text::new(
                    "",
                    PlotPoint::new(0.0, y),
                    bidi_with(
                        &style,
                        RichText::new(label).size(14.0).color(theme::TEXT_STRONG),
                    ),
                )
                .id(("funnel_label", k))
                .allow_hover(false),
            );
        }
    });
    let plot = response
        .response
        .accessible_name(tr!("Funnel chart"))
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    let clicked = plot
        .clicked()
        .then(|| plot.interact_pointer_pos())
        .flatten()
        .and_then(|pos| {
            let band = response.transform.value_from_position(pos).y.round();
            (band >= 0.0 && band < n as f64).then(|| n - 1 - band as usize)
        });
    (plot.rect, clicked)
}

/// "Qualified: 12 deals · $340,000", then "60 % of New" under it.
fn funnel_label(rows: &[FunnelRow], k: usize, currency: &str) -> String {
    let r = &rows[k];
    let first = format!(
        "{}: {} · {}",
        r.stage,
        deals(r.reached),
        format_money(r.reached_amount, currency)
    );
    match (r.conversion_from_previous, k.checked_sub(1)) {
        (Some(c), Some(prev)) => format!(
            "{first}\n{}",
            tr!(
                "{percent} of {stage}",
                percent = percent(c),
                stage = rows[prev].stage
            )
        ),
        _ => first,
    }
}

/// The funnel's stages as rows; a stage's name opens its deals. Returns the stage clicked.
pub fn funnel_rows_ui(ui: &mut egui::Ui, rows: &[FunnelRow], currency: &str) -> Option<usize> {
    let mut clicked = None;
    direction::grid_scope(ui, |ui| {
        egui::Grid::new("funnel_rows")
            .num_columns(4)
            .spacing([18.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for title in [
                    tr!("Stage"),
                    tr!("Reached"),
                    tr!("Amount"),
                    tr!("From the stage before"),
                ] {
                    ui.label(bidi(ui, RichText::new(title).strong()));
                }
                ui.end_row();
                for (k, r) in rows.iter().enumerate() {
                    let link = ui
                        .link(&r.stage)
                        .accessible_name(tr!(
                            "Show the deals that reached {stage}",
                            stage = r.stage
                        ))
                        .on_hover_text(bidi(ui, tr!("Show these deals in the list")));
                    if link.clicked() {
                        clicked = Some(k);
                    }
                    ui.label(bidi(ui, deals(r.reached)));
                    ui.label(bidi(ui, format_money(r.reached_amount, currency)));
                    ui.label(bidi(
                        ui,
                        r.conversion_from_previous.map(percent).unwrap_or_default(),
                    ));
                    ui.end_row();
                }
            })
    });
    clicked
}

/// Expected and weighted revenue side by side per key (stage, salesperson, source or month).
pub fn revenue_ui(
    ui: &mut egui::Ui,
    id: &'static str,
    rows: &[PipelineRow],
    none: &str,
    currency: &str,
    height: f32,
) -> Rect {
    let labels: Vec<String> = rows.iter().map(|r| key_label(&r.key, none)).collect();
    let expected = series(
        rows.iter().map(|r| to_f64(r.expected)),
        &labels,
        -0.2,
        theme::CHART_EXPECTED,
    );
    let weighted = series(
        rows.iter().map(|r| to_f64(r.weighted)),
        &labels,
        0.2,
        theme::CHART_WEIGHTED,
    );
    let top = rows.iter().map(|r| to_f64(r.expected)).fold(0.0, f64::max);
    let plot = money_axis(categories(ui, still_plot(id, height), labels), currency)
        .legend(legend())
        // Room above the tallest bar for the legend.
        .include_y(top * 1.2);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(money_bars(
            BarChart::new(tr!("Expected"), expected).color(theme::CHART_EXPECTED),
            currency,
        ));
        plot_ui.bar_chart(money_bars(
            BarChart::new(tr!("Weighted"), weighted).color(theme::CHART_WEIGHTED),
            currency,
        ));
    });
    response.response.rect
}

/// The stage with the largest lost amount, and the one with the lowest conversion among
/// stages deals entered.
pub fn worst_leaks(rows: &[LeakageRow]) -> (Option<usize>, Option<usize>) {
    let worst = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.lost_amount > Decimal::ZERO)
        .max_by(|(_, a), (_, b)| a.lost_amount.cmp(&b.lost_amount))
        .map(|(k, _)| k);
    let lowest = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.entered > 0)
        .min_by(|(_, a), (_, b)| a.conversion_to_next.total_cmp(&b.conversion_to_next))
        .map(|(k, _)| k);
    (worst, lowest)
}

/// Lost amount per stage as bars (the worst leak in full red), the conversion to the next
/// stage as a line scaled so 100 % is the tallest bar, each point labelled.
pub fn leakage_ui(ui: &mut egui::Ui, rows: &[LeakageRow], currency: &str, height: f32) -> Rect {
    let (worst, _) = worst_leaks(rows);
    let labels: Vec<String> = rows.iter().map(|r| r.stage.clone()).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let color = if worst == Some(k) {
                theme::LOST
            } else {
                theme::CHART_LOST_MUTED
            };
            Bar::new(k as f64, to_f64(r.lost_amount))
                .name(&r.stage)
                .width(0.6)
                .fill(color)
                .stroke(Stroke::new(1.0, theme::LOST))
        })
        .collect();
    let scale = rows
        .iter()
        .map(|r| to_f64(r.lost_amount))
        .fold(0.0, f64::max);
    // Without losses the line still needs a height: the axis then counts money from 0 to 1.
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let points: Vec<[f64; 2]> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| [k as f64, r.conversion_to_next * scale])
        .collect();
    let plot = money_axis(
        categories(ui, still_plot("leakage_chart", height), labels),
        currency,
    )
    .legend(legend())
    // Room above the tallest point for its label and the legend.
    .include_y(scale * 1.3);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(money_bars(
            BarChart::new(tr!("Lost amount"), bars).color(theme::LOST),
            currency,
        ));
        let line_name = one_run(&tr!("Conversion to the next stage (100 % = tallest bar)"));
        plot_ui.line(
            Line::new(line_name.clone(), PlotPoints::new(points.clone()))
                .color(theme::CHART_LINE)
                .width(2.0)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new(line_name, PlotPoints::new(points.clone()))
                .color(theme::CHART_LINE)
                .radius(4.0)
                .filled(true)
                .allow_hover(false),
        );
        for (k, (point, r)) in points.iter().zip(rows).enumerate() {
            plot_ui.text(
                Text::new(
                    "",
                    // Just above the point, clear of the line.
                    PlotPoint::new(point[0], point[1] + scale * 0.04),
                    RichText::new(one_run(&percent(r.conversion_to_next)))
                        .size(13.0)
                        .strong()
                        .color(theme::CHART_LINE)
                        .background_color(theme::CARD_FILL),
                )
                .anchor(Align2::CENTER_BOTTOM)
                .id(("conversion_label", k))
                .allow_hover(false),
            );
        }
    });
    response.response.rect
}

/// The sentences under the leakage chart: where most money is lost, and the weakest step.
pub fn leakage_summary(rows: &[LeakageRow], currency: &str) -> (Option<String>, Option<String>) {
    let (worst, lowest) = worst_leaks(rows);
    let worst = worst.map(|k| {
        let r = &rows[k];
        tr!(
            "The worst leak is at {stage}: {lost} lost there, {amount}.",
            stage = r.stage,
            lost = deals(r.lost),
            amount = format_money(r.lost_amount, currency)
        )
    });
    let lowest = lowest.map(|k| {
        let r = &rows[k];
        tr!(
            "The lowest conversion is from {stage} to the next step: {percent} of {entered}.",
            stage = r.stage,
            percent = percent(r.conversion_to_next),
            entered = deals(r.entered)
        )
    });
    (worst, lowest)
}

/// The forecast as bars per period stacked by salesperson, one colour each.
pub fn forecast_ui(
    ui: &mut egui::Ui,
    rows: &[ForecastRow],
    pivot: &Pivot,
    measure: Measure,
    currency: &str,
    height: f32,
) -> Rect {
    let mut charts: Vec<BarChart> = Vec::with_capacity(pivot.people.len());
    let mut names = Vec::with_capacity(pivot.people.len());
    for (p, person) in pivot.people.iter().enumerate() {
        let color = theme::CHART_SERIES[p % theme::CHART_SERIES.len()];
        let name = key_label(person, &tr!("No salesperson"));
        names.push((name.clone(), color));
        let bars = pivot
            .periods
            .iter()
            .zip(&pivot.cells[p])
            .enumerate()
            .map(|(t, (period, cell))| {
                let value = cell.map_or(0.0, |r| to_f64(measure.of(&rows[r])));
                Bar::new(t as f64, value)
                    .name(format!("{period} · {name}"))
                    .fill(color)
                    .stroke(Stroke::new(1.0, color))
            })
            .collect();
        let chart = money_bars(BarChart::new(name, bars).color(color).width(0.7), currency);
        let below: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&below);
        charts.push(chart);
    }
    legend_row_ui(ui, &names);
    let plot = money_axis(
        categories(
            ui,
            still_plot("forecast_chart", height - ui.spacing().interact_size.y),
            pivot.periods.clone(),
        ),
        currency,
    );
    let response = plot.show(ui, |plot_ui| {
        for chart in charts {
            plot_ui.bar_chart(chart);
        }
    });
    response.response.rect
}

/// The forecast's rows as a table; only the rows in view are laid out.
pub fn forecast_table_ui(ui: &mut egui::Ui, rows: &[ForecastRow], currency: &str, height: f32) {
    let headers = [
        tr!("Period"),
        tr!("Salesperson"),
        tr!("Open deals"),
        tr!("Pipeline"),
        tr!("Weighted"),
        tr!("Won deals"),
        tr!("Won"),
    ];
    let nobody = tr!("No salesperson");
    TableBuilder::new(ui)
        .id_salt("forecast_table")
        .striped(true)
        .min_scrolled_height(height)
        .max_scroll_height(height)
        .column(Column::auto().at_least(70.0))
        // Room for a full name: a narrow column would break it letter by letter.
        .column(Column::auto().at_least(140.0))
        .columns(Column::remainder().at_least(80.0), 5)
        .header(theme::REPORT_ROW_HEIGHT, |mut header| {
            for title in headers {
                header.col(|ui| {
                    ui.label(bidi(ui, RichText::new(title).strong()));
                });
            }
        })
        .body(|body| {
            body.rows(theme::REPORT_ROW_HEIGHT, rows.len(), |mut row| {
                let r = &rows[row.index()];
                let cells = [
                    r.period.clone(),
                    key_label(&r.salesperson, &nobody),
                    format_count(r.open_count),
                    format_money(r.unweighted, currency),
                    format_money(r.weighted, currency),
                    format_count(r.won_count),
                    format_money(r.won_amount, currency),
                ];
                for text in cells {
                    row.col(|ui| {
                        ui.add(egui::Label::new(bidi(ui, text)).truncate());
                    });
                }
            });
        });
}

/// Won and lost deals as horizontal bars per key (names read best on their own lines), the
/// win rate at the end of each pair.
pub fn winloss_ui(ui: &mut egui::Ui, rows: &[WinLossRow], none: &str, height: f32) -> Rect {
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| key_label(&r.key, none)).collect();
    // The first key on top.
    let y = move |i: usize| (n - 1 - i) as f64;
    let pair = |value: fn(&WinLossRow) -> u64, offset: f64, color| -> Vec<Bar> {
        rows.iter()
            .zip(&labels)
            .enumerate()
            .map(|(i, (r, label))| {
                Bar::new(y(i) + offset, value(r) as f64)
                    .name(label)
                    .width(0.38)
                    .fill(color)
                    .stroke(Stroke::new(1.0, color))
            })
            .collect()
    };
    let won = pair(|r| r.won, 0.2, theme::WON);
    let lost = pair(|r| r.lost, -0.2, theme::LOST);
    let rates: Vec<(f64, f64, String)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (y(i), r.won.max(r.lost) as f64, percent(r.win_rate)))
        .collect();
    let top = rows
        .iter()
        .map(|r| r.won.max(r.lost))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let axis_width = widest(ui, &labels) + 12.0;
    let from_bottom: Vec<String> = labels.iter().rev().cloned().collect();
    let plot = still_plot("winloss_chart", height)
        .show_grid([true, false])
        .x_grid_spacer(round_marks)
        .x_axis_formatter(|mark, _| count_label(mark.value))
        .x_axis_label("")
        .y_grid_spacer(move |input: GridInput| {
            let (min, max) = input.bounds;
            (0..n)
                .filter(|i| (min..=max).contains(&(*i as f64)))
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(move |mark, _| category(&from_bottom, mark.value))
        .y_axis_label("")
        .y_axis_min_width(axis_width)
        .include_x(0.0)
        // Room right of the longest bar for its win rate and the legend.
        .include_x(top * 1.35)
        .include_y(-0.5)
        .include_y(n as f64 - 0.5)
        .legend(legend());
    let counts = |chart: BarChart| {
        chart.horizontal().element_formatter(Box::new(|bar, _| {
            one_run(&format!(
                "{}\n{}",
                bar.name,
                deals(bar.value.round() as u64)
            ))
        }))
    };
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(counts(BarChart::new(tr!("Won"), won).color(theme::WON)));
        plot_ui.bar_chart(counts(BarChart::new(tr!("Lost"), lost).color(theme::LOST)));
        for (k, (y, x, rate)) in rates.into_iter().enumerate() {
            plot_ui.text(
                Text::new(
                    "",
                    PlotPoint::new(x + top * 0.02, y),
                    RichText::new(one_run(&tr!("{rate} won", rate = rate)))
                        .size(13.0)
                        .color(theme::TEXT_STRONG),
                )
                .anchor(Align2::LEFT_CENTER)
                .id(("win_rate", k))
                .allow_hover(false),
            );
        }
    });
    response.response.rect
}

/// The sales grid: a row per salesperson, a column per period, each cell the amount won
/// (green) over the pipeline expected to close then (grey). Scrolls both ways.
pub fn grid_ui(
    ui: &mut egui::Ui,
    rows: &[GridRow],
    pivot: &Pivot,
    currency: &str,
    height: f32,
) -> Rect {
    let nobody = tr!("No salesperson");
    ui.scope(|ui| {
        ui.horizontal(|ui| {
            ui.label(bidi(
                ui,
                RichText::new(tr!("Won")).color(theme::WON).strong(),
            ));
            ui.label(bidi(
                ui,
                RichText::new(tr!("Pipeline"))
                    .color(theme::TEXT_MUTED)
                    .strong(),
            ));
            ui.label(bidi(
                ui,
                RichText::new(tr!("(deals expected to close in the period)"))
                    .color(theme::TEXT_MUTED),
            ));
        });
        egui::ScrollArea::horizontal()
            .id_salt("grid_scroll")
            .show(ui, |ui| {
                TableBuilder::new(ui)
                    .id_salt("grid_table")
                    .striped(true)
                    .min_scrolled_height(height)
                    .max_scroll_height(height)
                    .column(Column::exact(150.0))
                    .columns(Column::exact(110.0), pivot.periods.len())
                    .header(theme::REPORT_ROW_HEIGHT, |mut header| {
                        header.col(|ui| {
                            ui.label(bidi(ui, RichText::new(tr!("Salesperson")).strong()));
                        });
                        for period in &pivot.periods {
                            header.col(|ui| {
                                ui.label(bidi(ui, RichText::new(period).strong()));
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(
                            2.0 * theme::REPORT_ROW_HEIGHT,
                            pivot.people.len(),
                            |mut row| {
                                let p = row.index();
                                row.col(|ui| {
                                    ui.label(bidi(ui, key_label(&pivot.people[p], &nobody)));
                                });
                                for cell in &pivot.cells[p] {
                                    row.col(|ui| {
                                        let Some(r) = cell.map(|r| &rows[r]) else {
                                            return;
                                        };
                                        ui.vertical(|ui| {
                                            ui.spacing_mut().item_spacing.y = 0.0;
                                            ui.label(bidi(
                                                ui,
                                                RichText::new(format_money(r.won_amount, currency))
                                                    .color(theme::WON),
                                            ))
                                            .on_hover_text(bidi(
                                                ui,
                                                tr!("Won: {deals}", deals = deals(r.won_count)),
                                            ));
                                            ui.label(bidi(
                                                ui,
                                                RichText::new(format_money(
                                                    r.pipeline_amount,
                                                    currency,
                                                ))
                                                .color(theme::TEXT_MUTED),
                                            ))
                                            .on_hover_text(bidi(
                                                ui,
                                                tr!(
                                                    "Pipeline: {deals}",
                                                    deals = deals(r.pipeline_count)
                                                ),
                                            ));
                                        });
                                    });
                                }
                            },
                        );
                    });
            });
    })
    .response
    .rect
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pivot_places_each_row_under_its_salesperson_and_period() {
        let periods = vec!["2026-Q3".to_owned(), "2026-Q4".to_owned()];
        let keys = [
            ("Élodie", "2026-Q4"),
            (NONE, "2026-Q3"),
            ("arash", "2026-Q3"),
        ];
        let pivot = Pivot::of(periods, keys.into_iter());
        assert_eq!(pivot.people, ["arash", "Élodie", NONE]);
        assert_eq!(
            pivot.cells,
            [[Some(2), None], [None, Some(0)], [Some(1), None]]
        );
    }

    #[test]
    fn the_worst_leak_is_the_largest_lost_amount_and_the_lowest_conversion_is_named_too() {
        let row = |stage: &str, entered, lost_amount: i64, conversion| LeakageRow {
            stage_id: 0,
            stage: stage.to_owned(),
            entered,
            advanced: 0,
            lost: 1,
            lost_amount: Decimal::from(lost_amount),
            open: 0,
            conversion_to_next: conversion,
        };
        let rows = [
            row("New", 10, 5_000, 0.6),
            row("Qualified", 6, 90_000, 0.5),
            row("Proposition", 3, 20_000, 0.3333),
            row("Empty", 0, 0, 0.0),
        ];
        assert_eq!(worst_leaks(&rows), (Some(1), Some(2)));
        assert_eq!(percent(0.3333), "33.3 %");
    }
}
