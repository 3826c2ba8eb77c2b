//! The charts and tables of the report cards. Nothing here computes a report: each frame only
//! turns the cached rows on screen into bars, so the work follows what is drawn.

use crate::direction;
use crate::text::{bidi_with, one_run};
use crate::ui_ext::UiExt;
use egui::{Align2, Color32, PopupAnchor, Rect, RichText, Stroke, Vec2, vec2};
use egui_extras::{Column, TableBuilder};
use egui_plot::{
    Bar, BarChart, GridInput, GridMark, Line, Plot, PlotPoint, PlotPoints, PlotResponse, Points,
    Text,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

use super::super::theme;
use super::bar_nodes::{SpokenBar, bar_nodes_ui, bar_text, series_bar_text};
use crate::analytics::reports::{
    AtStart, Cause, ForecastRow, FunnelRow, GridRow, LeakageRow, NONE, PipelineRow, WinLossRow,
};
use crate::i18n::{deals, format_count, format_money, format_money_cents, format_percent};
use crate::widgets::{TableShape, reading_table};
use crate::{tr, trn};

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// What was won plus the weighted pipeline: one figure for past and future periods.
    #[default]
    WonAndWeighted,
    Won,
    Commit,
    /// Best case and Commit.
    BestCase,
    Weighted,
    Unweighted,
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::WonAndWeighted,
        Measure::Won,
        Measure::Commit,
        Measure::BestCase,
        Measure::Weighted,
        Measure::Unweighted,
    ];

    pub fn label(self) -> String {
        match self {
            Measure::WonAndWeighted => tr!("Won + weighted pipeline"),
            Measure::Won => tr!("Won"),
            Measure::Commit => tr!("Commit"),
            Measure::BestCase => tr!("Best case (with Commit)"),
            Measure::Weighted => tr!("Weighted pipeline"),
            Measure::Unweighted => tr!("Pipeline (unweighted)"),
        }
    }

    /// The amount of `row` the bars show.
    pub fn of(self, row: &ForecastRow) -> Decimal {
        match self {
            Measure::WonAndWeighted => row.won_amount + row.weighted,
            Measure::Won => row.won_amount,
            Measure::Commit => row.commit,
            Measure::BestCase => row.best_case,
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
    // egui_plot fades x labels closer than 80 points apart, and hides them under 60.
    let step = (widest(ui, &labels) + 16.0).max(80.0);
    let stride = ((n as f32 * step / room.max(1.0)).ceil() as usize).max(1);
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
#[expect(
    clippy::needless_pass_by_value,
    reason = "egui_plot's grid spacer hands its input over by value"
)]
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

/// How a legend entry shows its colour.
#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Bar,
    Line,
}

/// The room of a legend entry's colour sample.
const SWATCH: Vec2 = vec2(14.0, 10.0);

/// A legend above a chart, where it covers no bar and no label.
pub(super) fn legend_row_ui(ui: &mut egui::Ui, entries: &[(String, Color32, Swatch)]) {
    ui.horizontal_wrapped(|ui| {
        for (name, color, swatch) in entries {
            // A swatch and its name stay on one line: an entry that does not fit what is left
            // of this one starts the next (a name would otherwise run past the card's edge).
            let entry =
                SWATCH.x + ui.spacing().item_spacing.x + widest(ui, std::slice::from_ref(name));
            if entry > ui.available_size_before_wrap().x && ui.min_rect().width() > 0.0 {
                ui.end_row();
            }
            let (rect, _) = ui.allocate_exact_size(SWATCH, egui::Sense::hover());
            match swatch {
                Swatch::Bar => {
                    let square = Rect::from_center_size(rect.center(), vec2(10.0, 10.0));
                    ui.painter().rect_filled(square, 2.0, *color);
                }
                Swatch::Line => {
                    let y = rect.center().y;
                    let line = [egui::pos2(rect.left(), y), egui::pos2(rect.right(), y)];
                    ui.painter().line_segment(line, Stroke::new(2.0, *color));
                    ui.painter().circle_filled(rect.center(), 3.0, *color);
                }
            }
            ui.text(RichText::new(name).color(theme::colors(ui).text_muted));
            ui.add_space(6.0);
        }
    });
}

/// Names the plot `name` for screen readers and, while the pointer is over it, shows the lines
/// `tip` gives for the plot point under it in a tooltip beside the pointer. `egui_plot`'s own
/// hover text is painted (no screen reader reads it) and names one bar of one series; ours
/// gives every figure of the category at once.
pub(super) fn hover_ui<R>(
    response: &PlotResponse<R>,
    name: String,
    tip: impl FnOnce(PlotPoint) -> Option<Vec<String>>,
) {
    let plot = response.response.clone().accessible_name(name);
    let Some(pointer) = plot.hover_pos() else {
        return;
    };
    let Some(lines) = tip(response.transform.value_from_position(pointer)) else {
        return;
    };
    let anchor = PopupAnchor::Pointer;
    egui::Tooltip::always_open(plot.ctx.clone(), plot.layer_id, plot.id, anchor)
        .gap(12.0)
        .show(|ui| {
            for (k, line) in lines.into_iter().enumerate() {
                let text = RichText::new(line);
                let text = ui.rtl(if k == 0 { text.strong() } else { text });
                // Unwrapped: a line of mixed directions broken in two reads out of order.
                ui.add(egui::Label::new(text).extend());
            }
        });
}

/// The category `0..n` whose bars stand at `value` (within 0.45 of it).
pub(super) fn category_at(value: f64, n: usize) -> Option<usize> {
    let i = value.round();
    (i >= 0.0 && i < n as f64 && (value - i).abs() <= 0.45).then_some(i as usize)
}

/// A count of deals and their amount to the cent: "2 deals, $67,250.50".
fn deals_worth(count: u64, amount: Decimal, currency: &str) -> String {
    tr!(
        "{deals}, {amount}",
        deals = deals(count),
        amount = format_money_cents(amount, currency)
    )
}

/// The funnel: a centred bar per open stage, as wide as the deals that reached it, labelled
/// with the count, the amount and the conversion from the stage before: inside the bar where
/// it fits, beside it where the bar is too narrow. Returns where it is drawn and the stage
/// whose bar (or label) was clicked.
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
                .fill(theme::colors(ui).chart_funnel)
                .stroke(Stroke::new(1.0, theme::colors(ui).chart_expected))
        })
        .collect();
    let spoken = funnel_spoken(rows, currency);
    let labels: Vec<String> = (0..n).map(|k| funnel_label(rows, k, currency)).collect();
    let font = egui::FontId::proportional(FUNNEL_TEXT_SIZE);
    let label_widths: Vec<f32> = labels
        .iter()
        .map(|l| {
            let galley = ui
                .painter()
                .layout_no_wrap(l.clone(), font.clone(), Color32::BLACK);
            galley.size().x
        })
        .collect();
    let values: Vec<f64> = rows.iter().map(|r| r.reached as f64).collect();
    let place = FunnelPlaces::of(&values, &label_widths, ui.available_width());
    let rtl = crate::i18n::right_to_left();
    let plot = still_plot("funnel_chart", height)
        .show_axes(false)
        .show_grid(false)
        // Bands of equal height, so a click maps to a stage by its y alone.
        .set_margin_fraction(vec2(FUNNEL_MARGIN as f32, 0.0))
        .include_x(-widest / 2.0)
        .include_x(place.right)
        .include_y(-0.5)
        .include_y(n as f64 - 0.5);
    let style = ui.style().clone();
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new("funnel", bars)
                .horizontal()
                .width(FUNNEL_BAR_WIDTH)
                .allow_hover(false),
        );
        for (k, label) in labels.into_iter().enumerate() {
            let (x, anchor) = match place.beside[k] {
                // Past the bar's end, reading away from it.
                Some(x) if rtl => (x, Align2::RIGHT_CENTER),
                Some(x) => (x, Align2::LEFT_CENTER),
                None => (0.0, Align2::CENTER_CENTER),
            };
            plot_ui.text(
                Text::new(
                    "",
                    PlotPoint::new(x, y(k)),
                    bidi_with(
                        &style,
                        RichText::new(label)
                            .size(FUNNEL_TEXT_SIZE)
                            .color(theme::colors_of(plot_ui.ctx()).text_strong),
                    ),
                )
                .anchor(anchor)
                .id(("funnel_label", k))
                .allow_hover(false),
            );
        }
    });
    let band = |point: PlotPoint| {
        let band = point.y.round();
        (band >= 0.0 && band < n as f64).then(|| n - 1 - band as usize)
    };
    hover_ui(&response, tr!("Funnel chart"), |point| {
        let k = band(point)?;
        let r = &rows[k];
        let mut lines = vec![
            r.stage.clone(),
            deals_worth(r.reached, r.reached_amount, currency),
        ];
        if let (Some(c), Some(prev)) = (r.conversion_from_previous, k.checked_sub(1)) {
            lines.push(tr!(
                "{percent} of {stage}",
                percent = percent(c),
                stage = rows[prev].stage
            ));
        }
        Some(lines)
    });
    bar_nodes_ui(ui, &response, spoken);
    let plot = response
        .response
        .clone()
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    let clicked = plot
        .clicked()
        .then(|| plot.interact_pointer_pos())
        .flatten()
        .and_then(|pos| band(response.transform.value_from_position(pos)));
    (plot.rect, clicked)
}

/// What the funnel's bars say, the first stage (the top one) first.
fn funnel_spoken(rows: &[FunnelRow], currency: &str) -> Vec<SpokenBar> {
    rows.iter()
        .enumerate()
        .map(|(k, r)| {
            let v = r.reached as f64;
            let text = bar_text(
                &r.stage,
                &deals_worth(r.reached, r.reached_amount, currency),
            );
            // The band funnel_ui puts the stage in, centred on 0 as its bar is.
            let band = (rows.len() - 1 - k) as f64;
            SpokenBar::new(band, FUNNEL_BAR_WIDTH, (-v / 2.0, v / 2.0), true, text)
        })
        .collect()
}

/// The share of its band a funnel bar fills.
const FUNNEL_BAR_WIDTH: f64 = 0.84;
/// The size of the funnel's labels.
const FUNNEL_TEXT_SIZE: f32 = 14.0;
/// The funnel plot's margin each side, as a share of its width.
const FUNNEL_MARGIN: f64 = 0.02;

/// Where the funnel's labels go.
#[derive(Debug, PartialEq)]
struct FunnelPlaces {
    /// Per stage, None for a label centred in its bar, else the x where it starts beside it.
    beside: Vec<Option<f64>>,
    /// How far right the plot must reach for the labels beside their bars.
    right: f64,
}

impl FunnelPlaces {
    /// Places labels `widths` points wide on bars of `values` (centred on 0) in a plot `plot`
    /// points wide: a label goes beside its bar when it is wider than the bar, and the plot
    /// reaches right enough to show it whole.
    fn of(values: &[f64], widths: &[f32], plot: f32) -> FunnelPlaces {
        // Room between a label and a bar's edges.
        const GAP: f64 = 8.0;
        let half = values.iter().copied().fold(1.0, f64::max) / 2.0;
        let plot = f64::from(plot).max(1.0);
        let mut right = half;
        let mut inside = vec![true; values.len()];
        // Reaching further right makes every bar narrower on screen, which can push another
        // label out of its bar: a few rounds settle it.
        for _ in 0..4 {
            let per_value = plot / ((right + half) * (1.0 + 2.0 * FUNNEL_MARGIN));
            for (k, (v, w)) in values.iter().zip(widths).enumerate() {
                inside[k] = f64::from(*w) + 2.0 * GAP <= v * per_value;
            }
            // A label beside a bar of value v ends at v/2 + (GAP + w) / per_value: the share
            // of the plot it takes is fixed, so the right end it needs is solved directly.
            right = values
                .iter()
                .zip(widths)
                .zip(&inside)
                .filter(|(_, inside)| !**inside)
                .map(|((v, w), _)| {
                    let share =
                        ((GAP + f64::from(*w)) * (1.0 + 2.0 * FUNNEL_MARGIN) / plot).min(0.9);
                    (v / 2.0 + share * half) / (1.0 - share)
                })
                .fold(half, f64::max);
        }
        let per_value = plot / ((right + half) * (1.0 + 2.0 * FUNNEL_MARGIN));
        let beside = values
            .iter()
            .zip(&inside)
            .map(|(v, inside)| (!inside).then_some(v / 2.0 + GAP / per_value))
            .collect();
        FunnelPlaces { beside, right }
    }
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
                    ui.text(RichText::new(title).strong());
                }
                ui.end_row();
                for (k, r) in rows.iter().enumerate() {
                    let link = ui
                        .link(&r.stage)
                        .accessible_name(tr!(
                            "Show the deals that reached {stage}",
                            stage = r.stage
                        ))
                        .on_hover_text(ui.rtl(tr!("Show these deals in the list")));
                    if link.clicked() {
                        clicked = Some(k);
                    }
                    ui.text(deals(r.reached));
                    ui.text(format_money(r.reached_amount, currency));
                    ui.text(r.conversion_from_previous.map(percent).unwrap_or_default());
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
        theme::colors(ui).chart_expected,
    );
    let weighted = series(
        rows.iter().map(|r| to_f64(r.weighted)),
        &labels,
        0.2,
        theme::colors(ui).chart_weighted,
    );
    let n = rows.len();
    let spoken = rows
        .iter()
        .zip(&labels)
        .zip(expected.iter().zip(&weighted))
        .flat_map(|((r, label), (e, w))| {
            let e_text = deals_worth(r.count, r.expected, currency);
            let w_text = format_money_cents(r.weighted, currency);
            [
                SpokenBar::of(e, false, series_bar_text(label, &tr!("Expected"), &e_text)),
                SpokenBar::of(w, false, series_bar_text(label, &tr!("Weighted"), &w_text)),
            ]
        })
        .collect();
    legend_row_ui(
        ui,
        &[
            (
                tr!("Expected"),
                theme::colors(ui).chart_expected,
                Swatch::Bar,
            ),
            (
                tr!("Weighted"),
                theme::colors(ui).chart_weighted,
                Swatch::Bar,
            ),
        ],
    );
    let height = height - ui.spacing().interact_size.y;
    let plot = money_axis(categories(ui, still_plot(id, height), labels), currency);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new(tr!("Expected"), expected)
                .color(theme::colors_of(plot_ui.ctx()).chart_expected),
        );
        plot_ui.bar_chart(
            BarChart::new(tr!("Weighted"), weighted)
                .color(theme::colors_of(plot_ui.ctx()).chart_weighted),
        );
    });
    let name = match id {
        "revenue_by_month_chart" => tr!("Revenue by month chart"),
        _ => tr!("Revenue chart"),
    };
    hover_ui(&response, name, |point| {
        let r = &rows[category_at(point.x, n)?];
        Some(vec![
            key_label(&r.key, none),
            deals(r.count),
            tr!(
                "Expected: {amount}",
                amount = format_money_cents(r.expected, currency)
            ),
            tr!(
                "Weighted: {amount}",
                amount = format_money_cents(r.weighted, currency)
            ),
        ])
    });
    bar_nodes_ui(ui, &response, spoken);
    response.response.rect
}

/// The stage with the lowest conversion to the next among those whose conversion is measured
/// (a deal moved on or was lost from it): a stage holding only deals still in it is not named.
pub fn lowest_conversion(rows: &[LeakageRow]) -> Option<usize> {
    rows.iter()
        .enumerate()
        .filter_map(|(k, r)| Some((k, r.conversion_to_next?)))
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
        .map(|(k, _)| k)
}

/// Per stage, the amount lost from it (the stage to review in full red) beside the amount
/// stuck in it past its expected days — or centred on the stage, with no stuck series, when no
/// stage has expected days; the conversion to the next stage as a line scaled so 100 % is the
/// tallest bar, each point labelled, "not yet" where none is measured.
pub fn leakage_ui(ui: &mut egui::Ui, rows: &[LeakageRow], currency: &str, height: f32) -> Rect {
    let labels: Vec<String> = rows.iter().map(|r| r.stage.clone()).collect();
    // Stuck deals are measured only in stages with expected days: with none, a stuck series
    // would hold no data yet push every lost bar off its stage's label and conversion point.
    let measured = rows.iter().any(|r| r.stuck.is_some());
    let (lost, stuck) = leakage_bars(theme::colors(ui), rows, &labels, measured);
    let lost_name = tr!("Lost amount");
    let stuck_name = tr!("Stuck past the stage's expected days");
    let spoken = leakage_spoken(
        rows,
        (&lost, stuck.as_deref()),
        (&lost_name, &stuck_name),
        currency,
    );
    let scale = rows
        .iter()
        .map(|r| to_f64(r.lost_amount).max(to_f64(r.stuck_amount.unwrap_or_default())))
        .fold(0.0, f64::max);
    // Without losses or stuck deals the line still needs a height, and the money axis no
    // labels: it would count money from 0 to 1.
    let no_losses = scale <= 0.0;
    let scale = if no_losses { 1.0 } else { scale };
    let points: Vec<Option<[f64; 2]>> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| r.conversion_to_next.map(|c| [k as f64, c * scale]))
        .collect();
    let line_text = tr!("Conversion to the next stage (100 % = tallest bar)");
    // The plot draws its series' names as one run; the legend's label orders its own text.
    let line_name = one_run(&line_text);
    // Series with long names: their legend sits above the chart, hiding no bar.
    let mut legend = vec![(lost_name.clone(), theme::colors(ui).lost, Swatch::Bar)];
    if measured {
        legend.push((stuck_name.clone(), theme::colors(ui).stale, Swatch::Bar));
    }
    legend.push((line_text, theme::colors(ui).chart_line, Swatch::Line));
    legend_row_ui(ui, &legend);
    let height = height - ui.spacing().interact_size.y;
    let plot = money_axis(
        categories(ui, still_plot("leakage_chart", height), labels),
        currency,
    )
    .show_axes([true, !no_losses])
    // Room above the tallest point for its label.
    .include_y(scale * 1.2);
    let response = plot.show(ui, |plot_ui| {
        plot_ui
            .bar_chart(BarChart::new(lost_name, lost).color(theme::colors_of(plot_ui.ctx()).lost));
        if let Some(stuck) = stuck {
            plot_ui.bar_chart(
                BarChart::new(stuck_name, stuck).color(theme::colors_of(plot_ui.ctx()).stale),
            );
        }
        conversion_ui(plot_ui, &points, rows, &line_name);
    });
    hover_ui(&response, tr!("Sales leakage chart"), |point| {
        let r = &rows[category_at(point.x, rows.len())?];
        Some(leakage_hover_lines(r, currency))
    });
    bar_nodes_ui(ui, &response, spoken);
    response.response.rect
}

/// What the leakage chart's bars say, a stage's lost bar before its stuck one: the order they
/// stand in from where reading starts. `names` are the two series'.
fn leakage_spoken(
    rows: &[LeakageRow],
    (lost, stuck): (&[Bar], Option<&[Bar]>),
    (lost_name, stuck_name): (&str, &str),
    currency: &str,
) -> Vec<SpokenBar> {
    let mut spoken = Vec::with_capacity(2 * rows.len());
    for (k, (r, bar)) in rows.iter().zip(lost).enumerate() {
        let figures = deals_worth(r.lost, r.lost_amount, currency);
        spoken.push(SpokenBar::of(
            bar,
            false,
            series_bar_text(&r.stage, lost_name, &figures),
        ));
        if let (Some(bar), Some(count), Some(amount)) =
            (stuck.and_then(|s| s.get(k)), r.stuck, r.stuck_amount)
        {
            let figures = deals_worth(count, amount, currency);
            spoken.push(SpokenBar::of(
                bar,
                false,
                series_bar_text(&r.stage, stuck_name, &figures),
            ));
        }
    }
    spoken
}

/// The leakage chart's bars: the amount lost from each stage (in full red where it needs
/// review) and, when `measured`, the amount stuck in it.
fn leakage_bars(
    colors: &theme::Colors,
    rows: &[LeakageRow],
    labels: &[String],
    measured: bool,
) -> (Vec<Bar>, Option<Vec<Bar>>) {
    let mut lost = series(
        rows.iter().map(|r| to_f64(r.lost_amount)),
        labels,
        if measured { -0.2 } else { 0.0 },
        colors.chart_lost_muted,
    );
    for (bar, r) in lost.iter_mut().zip(rows) {
        if r.needs_review {
            *bar = bar
                .clone()
                .fill(colors.lost)
                .stroke(Stroke::new(1.0, colors.lost));
        }
    }
    let stuck_amounts = rows
        .iter()
        .map(|r| to_f64(r.stuck_amount.unwrap_or_default()));
    let stuck = measured.then(|| series(stuck_amounts, labels, 0.2, colors.stale));
    (lost, stuck)
}

/// The conversion line through each run of measured stages and every stage's label: its
/// conversion above its point, "not yet" where none is measured.
fn conversion_ui(
    plot_ui: &mut egui_plot::PlotUi<'_>,
    points: &[Option<[f64; 2]>],
    rows: &[LeakageRow],
    line_name: &str,
) {
    // Points up the y axis per screen point, to lift each label clear of its point.
    let lift = LABEL_LIFT * plot_ui.transform().dvalue_dpos()[1].abs();
    // A line through each run of measured stages: none drawn across a stage not measured.
    for run in points.split(Option::is_none).filter(|run| !run.is_empty()) {
        let run: Vec<[f64; 2]> = run.iter().flatten().copied().collect();
        plot_ui.line(
            Line::new(line_name, PlotPoints::new(run.clone()))
                .color(theme::colors_of(plot_ui.ctx()).chart_line)
                .width(2.0)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new(line_name, PlotPoints::new(run))
                .color(theme::colors_of(plot_ui.ctx()).chart_line)
                .radius(4.0)
                .filled(true)
                .allow_hover(false),
        );
    }
    for (k, (point, r)) in points.iter().zip(rows).enumerate() {
        let (at, text) = match (point, r.conversion_to_next) {
            (Some(point), Some(c)) => ([point[0], point[1]], percent(c)),
            _ => ([k as f64, 0.0], tr!("not yet")),
        };
        plot_ui.text(
            Text::new(
                "",
                // Above the point, clear of its dot and the line.
                PlotPoint::new(at[0], at[1] + lift),
                RichText::new(one_run(&text))
                    .size(13.0)
                    .strong()
                    .color(theme::colors_of(plot_ui.ctx()).chart_line)
                    .background_color(theme::colors_of(plot_ui.ctx()).card_fill),
            )
            .anchor(Align2::CENTER_BOTTOM)
            .id(("conversion_label", k))
            .allow_hover(false),
        );
    }
}

/// The hover's lines over a stage of the leakage chart.
fn leakage_hover_lines(r: &LeakageRow, currency: &str) -> Vec<String> {
    vec![
        r.stage.clone(),
        tr!(
            "Lost from it: {deals}",
            deals = deals_worth(r.lost, r.lost_amount, currency)
        ),
        tr!(
            "Moved on: {advanced} of {entered} ({percent})",
            advanced = format_count(r.advanced),
            entered = deals(r.entered),
            percent = r.conversion_to_next.map_or_else(|| tr!("not yet"), percent)
        ),
        tr!("In it now: {deals}", deals = deals(r.open)),
        match (r.stuck, r.stuck_amount) {
            (Some(count), Some(amount)) => tr!(
                "Stuck past its expected days: {deals}",
                deals = deals_worth(count, amount, currency)
            ),
            _ => tr!("Not measured: no expected days"),
        },
    ]
}

/// How far above a chart's point its label stands, in screen points: clear of the dot.
const LABEL_LIFT: f64 = 7.0;

/// The sentence under the leakage chart naming the weakest step, when one is measured.
pub fn leakage_summary(rows: &[LeakageRow]) -> Option<String> {
    let k = lowest_conversion(rows)?;
    let r = &rows[k];
    Some(tr!(
        "The lowest conversion is from {stage} to the next step: {percent} of {entered}.",
        stage = r.stage,
        percent = percent(r.conversion_to_next?),
        entered = deals(r.entered)
    ))
}

/// Causes as a reader says them, the most first: "67 % Too expensive, 33 % Timing".
fn causes_text(causes: &[Cause], none: &str) -> String {
    let parts: Vec<String> = causes
        .iter()
        .map(|c| format!("{} {}", percent(c.share), key_label(&c.key, none)))
        .collect();
    parts.join(", ")
}

/// Why deals were lost after one stage: "Lost after Proposition: 67 % Too expensive, 33 %
/// Timing; to competitors: 67 % Rival Systems" (competitors only when one is named).
fn why_lost(r: &LeakageRow) -> String {
    let reasons = causes_text(&r.lost_by_reason, &tr!("without a reason"));
    let why = tr!(
        "Lost after {stage}: {reasons}",
        stage = r.stage,
        reasons = reasons
    );
    if r.lost_by_competitor.iter().all(|c| c.key == NONE) {
        return why;
    }
    let competitors = causes_text(&r.lost_by_competitor, &tr!("None named"));
    tr!(
        "{why}; to competitors: {competitors}",
        why = why,
        competitors = competitors
    )
}

/// Per stage, what leaks there: deals lost after it, deals stuck past its expected days, the
/// conversion to the next ("not yet" when no deal has moved on or been lost from it); then,
/// per stage with losses, why they were lost (loss reasons, competitors).
pub fn leakage_rows_ui(ui: &mut egui::Ui, rows: &[LeakageRow], currency: &str) {
    direction::grid_scope(ui, |ui| {
        egui::Grid::new("leakage_rows")
            .num_columns(4)
            .spacing([14.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for title in [
                    tr!("Stage"),
                    tr!("Lost after it"),
                    tr!("Stuck past expected days"),
                    tr!("To the next stage"),
                ] {
                    ui.text(RichText::new(title).strong());
                }
                ui.end_row();
                for r in rows {
                    let stage = RichText::new(&r.stage);
                    let stage = if r.needs_review {
                        stage.color(theme::colors(ui).lost).strong()
                    } else {
                        stage
                    };
                    ui.text(stage);
                    let lost = if r.lost == 0 {
                        String::new()
                    } else {
                        format!(
                            "{} · {}",
                            deals(r.lost),
                            format_money(r.lost_amount, currency)
                        )
                    };
                    ui.text(lost);
                    let stuck = match (r.stuck_after_days, r.stuck, r.stuck_amount) {
                        (Some(days), Some(count), Some(amount)) => trn!(
                            days,
                            "{deals} · {amount} (over {n} days)",
                            deals = deals(count),
                            amount = format_money(amount, currency)
                        ),
                        _ => tr!("Not measured: no expected days"),
                    };
                    let color = if r.stuck.unwrap_or(0) > 0 {
                        theme::colors(ui).stale
                    } else {
                        theme::colors(ui).text_muted
                    };
                    ui.text(RichText::new(stuck).color(color));
                    let conversion = r.conversion_to_next.map_or_else(|| tr!("not yet"), percent);
                    ui.text(conversion);
                    ui.end_row();
                }
            })
    });
    ui.with_layout(direction::top_down_start(), |ui| {
        for r in rows.iter().filter(|r| r.lost > 0) {
            ui.add(egui::Label::new(ui.rtl(why_lost(r))).wrap());
        }
    });
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
        names.push((name.clone(), color, Swatch::Bar));
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
        let chart = BarChart::new(name, bars)
            .color(color)
            .width(FORECAST_BAR_WIDTH);
        let below: Vec<&BarChart> = charts.iter().collect();
        let chart = chart.stack_on(&below);
        charts.push(chart);
    }
    let spoken = forecast_spoken(rows, pivot, measure, &names, currency);
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
    hover_ui(&response, tr!("Forecast chart"), |point| {
        let t = category_at(point.x, pivot.periods.len())?;
        let mut lines = vec![pivot.periods[t].clone(), measure.label()];
        let mut total = Decimal::ZERO;
        for ((name, _, _), cells) in names.iter().zip(&pivot.cells) {
            if let Some(r) = cells[t] {
                let value = measure.of(&rows[r]);
                total += value;
                let amount = format_money_cents(value, currency);
                lines.push(format!("{name}: {amount}"));
            }
        }
        let total = format_money_cents(total, currency);
        lines.push(tr!("Total: {amount}", amount = total));
        Some(lines)
    });
    bar_nodes_ui(ui, &response, spoken);
    response.response.rect
}

/// The share of its period a forecast bar fills.
const FORECAST_BAR_WIDTH: f64 = 0.7;

/// What the forecast's bars say: period by period, each stack from its bottom up, a bar per
/// salesperson (`names`, as the legend gives them) with an amount in it.
fn forecast_spoken(
    rows: &[ForecastRow],
    pivot: &Pivot,
    measure: Measure,
    names: &[(String, Color32, Swatch)],
    currency: &str,
) -> Vec<SpokenBar> {
    let mut spoken = Vec::new();
    for (t, period) in pivot.periods.iter().enumerate() {
        let mut base = 0.0;
        for ((name, _, _), cells) in names.iter().zip(&pivot.cells) {
            let Some(r) = cells[t] else { continue };
            let value = measure.of(&rows[r]);
            let top = base + to_f64(value);
            let text = series_bar_text(period, name, &format_money_cents(value, currency));
            spoken.push(SpokenBar::new(
                t as f64,
                FORECAST_BAR_WIDTH,
                (base, top),
                false,
                text,
            ));
            base = top;
        }
    }
    spoken
}

/// A column of the forecast's table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ForecastColumn {
    Period,
    Salesperson,
    ClosedWon,
    AtStart,
    Commit,
    BestCase,
    Weighted,
    Pipeline,
    Deals,
}

impl ForecastColumn {
    /// Its title, size and whether it holds numbers.
    fn head(self) -> (String, Column, bool) {
        let money = |title: String| (title, Column::remainder().at_least(72.0).clip(true), true);
        match self {
            ForecastColumn::Period => (tr!("Period"), Column::auto().at_least(70.0), false),
            // Room for most names; a longer one is cut with an ellipsis.
            ForecastColumn::Salesperson => (
                tr!("Salesperson"),
                Column::auto().at_least(110.0).clip(true),
                false,
            ),
            ForecastColumn::ClosedWon => money(tr!("Closed won")),
            ForecastColumn::AtStart => money(tr!("Committed at start")),
            ForecastColumn::Commit => money(tr!("Commit")),
            ForecastColumn::BestCase => money(tr!("Best case")),
            ForecastColumn::Weighted => money(tr!("Weighted")),
            ForecastColumn::Pipeline => money(tr!("Pipeline")),
            ForecastColumn::Deals => money(tr!("Deals")),
        }
    }
}

/// The forecast's rows as a table in reading order; only the rows in view are laid out. A
/// card at half the window (`full` false) leaves out what was kept at the start, the Pipeline
/// and the count. Returns the row whose period was clicked (to show its deals).
pub fn forecast_table_ui(
    ui: &mut egui::Ui,
    rows: &[ForecastRow],
    currency: &str,
    height: f32,
    full: bool,
) -> Option<usize> {
    use ForecastColumn as C;
    let shown: Vec<ForecastColumn> = [
        C::Period,
        C::Salesperson,
        C::ClosedWon,
        C::AtStart,
        C::Commit,
        C::BestCase,
        C::Weighted,
        C::Pipeline,
        C::Deals,
    ]
    .into_iter()
    .filter(|c| full || !matches!(c, C::AtStart | C::Pipeline | C::Deals))
    .collect();
    let columns: Vec<(String, Column, bool)> = shown.iter().map(|c| c.head()).collect();
    let nobody = tr!("No salesperson");
    let mut clicked = None;
    let shape = TableShape::new("forecast_table", theme::REPORT_ROW_HEIGHT).scrolled(height);
    // A card narrower than the columns scrolls them sideways instead of spilling into the
    // next card; in Persian it starts at the right, where the period is.
    egui::ScrollArea::horizontal()
        .id_salt("forecast_table_scroll")
        .stick_to_right(crate::i18n::right_to_left())
        .show(ui, |ui| {
            reading_table(ui, shape, &columns, rows.len(), |ui, index, column| {
                let r = &rows[index];
                let person = || key_label(&r.salesperson, &nobody);
                let text = match shown[column] {
                    C::Period => {
                        let link = ui
                            .link(ui.rtl(r.period.clone()))
                            .accessible_name(tr!(
                                "Show the deals of {period}, {salesperson}",
                                period = r.period,
                                salesperson = person()
                            ))
                            .on_hover_text(ui.rtl(tr!("Show these deals in the list")));
                        if link.clicked() {
                            clicked = Some(index);
                        }
                        return;
                    }
                    C::AtStart => return at_start_ui(ui, r.at_start.as_ref(), currency),
                    C::Salesperson => person(),
                    C::ClosedWon => format_money(r.won_amount, currency),
                    C::Commit => format_money(r.commit, currency),
                    C::BestCase => format_money(r.best_case, currency),
                    C::Weighted => format_money(r.weighted, currency),
                    C::Pipeline => format_money(r.unweighted, currency),
                    C::Deals => format_count(r.won_count + r.open_count),
                };
                ui.add(egui::Label::new(ui.rtl(text)).truncate());
            });
        });
    clicked
}

/// The forecast kept when a row's period began (a dash before it ends, or when none was
/// kept), its other figures on hover.
fn at_start_ui(ui: &mut egui::Ui, at_start: Option<&AtStart>, currency: &str) {
    let Some(at) = at_start else {
        ui.add(egui::Label::new("—"))
            .on_hover_text(ui.rtl(tr!("Kept when the period begins, shown once it has ended")));
        return;
    };
    let figures = tr!(
        "Kept on {day}: Commit {commit}, Best case {best_case}, weighted {weighted}, pipeline {pipeline}",
        day = crate::i18n::format_date(at.taken),
        commit = format_money(at.commit, currency),
        best_case = format_money(at.best_case, currency),
        weighted = format_money(at.weighted, currency),
        pipeline = format_money(at.unweighted, currency)
    );
    ui.add(egui::Label::new(ui.rtl(format_money(at.commit, currency))).truncate())
        .on_hover_text(ui.rtl(figures));
}

/// Won and lost deals as horizontal bars per key (names read best on their own lines). By
/// loss reason (`by_reason`), a red bar per reason with its share of the lost deals and a green
/// bar for the won deals with the win rate; otherwise a won and a lost bar per key with the
/// key's win rate.
pub fn winloss_ui(
    ui: &mut egui::Ui,
    rows: &[WinLossRow],
    by_reason: bool,
    currency: &str,
    height: f32,
) -> Rect {
    let n = rows.len();
    let chart = WinLossChart {
        rows,
        by_reason,
        lost_deals: rows.iter().map(|r| r.lost).sum(),
    };
    let labels = chart.labels();
    let (won, lost) = chart.bars(theme::colors(ui));
    let spoken = chart.spoken(&won, &lost, &labels, currency);
    let ends = chart.ends();
    let top = rows
        .iter()
        .map(|r| r.won.max(r.lost))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    legend_row_ui(
        ui,
        &[
            (tr!("Lost"), theme::colors(ui).lost, Swatch::Bar),
            (tr!("Won"), theme::colors(ui).won, Swatch::Bar),
        ],
    );
    let height = height - ui.spacing().interact_size.y;
    let plot = winloss_plot(ui, &labels, top, height);
    // Past each bar's end, reading away from it (leftwards when right to left).
    let anchor = if crate::i18n::right_to_left() {
        Align2::RIGHT_CENTER
    } else {
        Align2::LEFT_CENTER
    };
    let response = plot.show(ui, |plot_ui| {
        plot_ui.bar_chart(
            BarChart::new(tr!("Won"), won)
                .horizontal()
                .color(theme::colors_of(plot_ui.ctx()).won),
        );
        plot_ui.bar_chart(
            BarChart::new(tr!("Lost"), lost)
                .horizontal()
                .color(theme::colors_of(plot_ui.ctx()).lost),
        );
        for (k, (y, x, text)) in ends.into_iter().enumerate() {
            plot_ui.text(
                Text::new(
                    "",
                    PlotPoint::new(x + top * 0.02, y),
                    RichText::new(one_run(&text))
                        .size(13.0)
                        .color(theme::colors_of(plot_ui.ctx()).text_strong),
                )
                .anchor(anchor)
                .id(("win_rate", k))
                .allow_hover(false),
            );
        }
    });
    hover_ui(&response, tr!("Won and lost chart"), |point| {
        let band = point.y.round();
        let i = (band >= 0.0 && band < n as f64).then(|| n - 1 - band as usize)?;
        Some(chart.hover_lines(i, &labels[i], currency))
    });
    bar_nodes_ui(ui, &response, spoken);
    response.response.rect
}

/// The won-and-lost chart's plot: a band per row named on the y axis, the first on top; deals
/// along x, with room past the longest bar (`top`) for its text.
fn winloss_plot(ui: &egui::Ui, labels: &[String], top: f64, height: f32) -> Plot<'static> {
    let n = labels.len();
    let axis_width = widest(ui, labels) + 12.0;
    let from_bottom: Vec<String> = labels.iter().rev().cloned().collect();
    still_plot("winloss_chart", height)
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
        // Room right of the longest bar for the text at its end.
        .include_x(top * 1.45)
        .include_y(-0.5)
        .include_y(n as f64 - 0.5)
}

/// The won-and-lost chart's rows and how they read: shared by its bars, the texts at their
/// ends and the hover.
struct WinLossChart<'a> {
    rows: &'a [WinLossRow],
    by_reason: bool,
    /// The lost deals of all rows: the whole that each reason's share is of.
    lost_deals: u64,
}

impl WinLossChart<'_> {
    /// By reason, the row with a win rate is the won deals'.
    fn is_won_row(&self, r: &WinLossRow) -> bool {
        self.by_reason && r.win_rate.is_some()
    }

    fn share_of_lost(&self, r: &WinLossRow) -> f64 {
        r.lost as f64 / self.lost_deals.max(1) as f64
    }

    /// The band of row `i`: the first key on top.
    fn y(&self, i: usize) -> f64 {
        (self.rows.len() - 1 - i) as f64
    }

    /// Each row's name on the axis.
    fn labels(&self) -> Vec<String> {
        let none = if self.by_reason {
            tr!("No reason given")
        } else {
            tr!("None")
        };
        self.rows
            .iter()
            .map(|r| {
                if self.is_won_row(r) {
                    tr!("Won")
                } else {
                    key_label(&r.key, &none)
                }
            })
            .collect()
    }

    /// The won bars and the lost bars.
    fn bars(&self, colors: &theme::Colors) -> (Vec<Bar>, Vec<Bar>) {
        let bar = |i: usize, offset: f64, value: u64, width: f64, color: Color32| {
            Bar::new(self.y(i) + offset, value as f64)
                .width(width)
                .fill(color)
                .stroke(Stroke::new(1.0, color))
        };
        let (mut won, mut lost) = (Vec::new(), Vec::new());
        for (i, r) in self.rows.iter().enumerate() {
            if !self.by_reason {
                won.push(bar(i, 0.2, r.won, 0.38, colors.won));
                lost.push(bar(i, -0.2, r.lost, 0.38, colors.lost));
            } else if self.is_won_row(r) {
                won.push(bar(i, 0.0, r.won, 0.6, colors.won));
            } else {
                lost.push(bar(i, 0.0, r.lost, 0.6, colors.lost));
            }
        }
        (won, lost)
    }

    /// What the bars `won` and `lost` (as [`Self::bars`] made them) say, row by row from the
    /// top: by key, its won bar (the upper) before its lost one.
    fn spoken(
        &self,
        won: &[Bar],
        lost: &[Bar],
        labels: &[String],
        currency: &str,
    ) -> Vec<SpokenBar> {
        let (mut won, mut lost) = (won.iter(), lost.iter());
        let mut spoken = Vec::with_capacity(2 * self.rows.len());
        for (r, label) in self.rows.iter().zip(labels) {
            let won_figures = deals_worth(r.won, r.won_amount, currency);
            let lost_figures = deals_worth(r.lost, r.lost_amount, currency);
            let texts = if !self.by_reason {
                vec![
                    (true, series_bar_text(label, &tr!("Won"), &won_figures)),
                    (false, series_bar_text(label, &tr!("Lost"), &lost_figures)),
                ]
            } else if self.is_won_row(r) {
                vec![(true, bar_text(label, &won_figures))]
            } else {
                vec![(false, bar_text(label, &lost_figures))]
            };
            for (is_won, text) in texts {
                let bar = if is_won { won.next() } else { lost.next() };
                spoken.extend(bar.map(|bar| SpokenBar::of(bar, true, text)));
            }
        }
        spoken
    }

    /// The text at the end of each row's longer bar, as (band, bar's end, text).
    fn ends(&self) -> Vec<(f64, f64, String)> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let text = if !self.by_reason {
                    let rate = percent(r.win_rate.unwrap_or_default());
                    tr!("{rate} won", rate = rate)
                } else if self.is_won_row(r) {
                    let rate = percent(r.win_rate.unwrap_or_default());
                    tr!("Win rate: {percent}", percent = rate)
                } else {
                    let share = percent(self.share_of_lost(r));
                    tr!("{percent} of the lost deals", percent = share)
                };
                (self.y(i), r.won.max(r.lost) as f64, text)
            })
            .collect()
    }

    /// The hover's lines over row `i`, named `label`.
    fn hover_lines(&self, i: usize, label: &str, currency: &str) -> Vec<String> {
        let r = &self.rows[i];
        let won = || {
            tr!(
                "Won: {deals}",
                deals = deals_worth(r.won, r.won_amount, currency)
            )
        };
        let lost = || {
            tr!(
                "Lost: {deals}",
                deals = deals_worth(r.lost, r.lost_amount, currency)
            )
        };
        let rate = || {
            tr!(
                "Win rate: {percent}",
                percent = percent(r.win_rate.unwrap_or_default())
            )
        };
        let mut lines = vec![label.to_owned()];
        if !self.by_reason {
            lines.extend([won(), lost(), rate()]);
        } else if self.is_won_row(r) {
            lines.extend([won(), rate()]);
        } else {
            let share = percent(self.share_of_lost(r));
            lines.extend([lost(), tr!("{percent} of the lost deals", percent = share)]);
        }
        lines
    }
}

/// Deals won and the pipeline, summed over cells of the sales grid.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GridSum {
    won_count: u64,
    won_amount: Decimal,
    pipeline_count: u64,
    pipeline_amount: Decimal,
}

impl GridSum {
    fn add(&mut self, r: &GridRow) {
        self.won_count += r.won_count;
        self.won_amount += r.won_amount;
        self.pipeline_count += r.pipeline_count;
        self.pipeline_amount += r.pipeline_amount;
    }

    fn is_empty(&self) -> bool {
        self.won_count == 0 && self.pipeline_count == 0
    }
}

/// The sales grid's totals: per salesperson (every period), per period (everyone) and of all.
#[derive(Debug, PartialEq)]
struct GridTotals {
    people: Vec<GridSum>,
    periods: Vec<GridSum>,
    all: GridSum,
}

impl GridTotals {
    fn of(rows: &[GridRow], pivot: &Pivot) -> GridTotals {
        let mut totals = GridTotals {
            people: vec![GridSum::default(); pivot.people.len()],
            periods: vec![GridSum::default(); pivot.periods.len()],
            all: GridSum::default(),
        };
        for (p, cells) in pivot.cells.iter().enumerate() {
            for (t, cell) in cells.iter().enumerate() {
                if let Some(r) = cell.map(|r| &rows[r]) {
                    totals.people[p].add(r);
                    totals.periods[t].add(r);
                    totals.all.add(r);
                }
            }
        }
        totals
    }
}

/// The sales grid's columns, in points: the names, the salespeople's totals, each period.
pub(super) const GRID_COLUMNS: [f32; 3] = [150.0, 120.0, 110.0];

/// The sales grid: a row per salesperson, a column per period, each cell the amount won
/// (green) over the pipeline expected to close then (grey); each salesperson's total beside
/// the names, each period's total in the last row. Scrolls both ways.
pub fn grid_ui(
    ui: &mut egui::Ui,
    rows: &[GridRow],
    pivot: &Pivot,
    currency: &str,
    height: f32,
) -> Rect {
    let nobody = tr!("No salesperson");
    let totals = GridTotals::of(rows, pivot);
    let cell = |person: Option<usize>, t: usize| -> Option<GridSum> {
        let sum = match person {
            Some(p) => {
                let mut sum = GridSum::default();
                sum.add(&rows[pivot.cells[p][t]?]);
                sum
            }
            None => totals.periods[t],
        };
        (!sum.is_empty()).then_some(sum)
    };
    ui.scope(|ui| {
        ui.horizontal(|ui| {
            ui.text(
                RichText::new(tr!("Won"))
                    .color(theme::colors(ui).won)
                    .strong(),
            );
            ui.text(
                RichText::new(tr!("Pipeline"))
                    .color(theme::colors(ui).text_muted)
                    .strong(),
            );
            ui.text(
                RichText::new(tr!("(deals expected to close in the period)"))
                    .color(theme::colors(ui).text_muted),
            );
        });
        egui::ScrollArea::horizontal()
            .id_salt("grid_scroll")
            .show(ui, |ui| {
                TableBuilder::new(ui)
                    .id_salt("grid_table")
                    .striped(true)
                    .min_scrolled_height(height)
                    .max_scroll_height(height)
                    .column(Column::exact(GRID_COLUMNS[0]))
                    .column(Column::exact(GRID_COLUMNS[1]))
                    .columns(Column::exact(GRID_COLUMNS[2]), pivot.periods.len())
                    .header(theme::REPORT_ROW_HEIGHT, |mut header| {
                        let total = tr!("Total");
                        let salesperson = tr!("Salesperson");
                        for title in [&salesperson, &total].into_iter().chain(&pivot.periods) {
                            header.col(|ui| {
                                ui.text(RichText::new(title).strong());
                            });
                        }
                    })
                    .body(|body| {
                        // A row per salesperson, then the periods' totals.
                        let people = pivot.people.len();
                        body.rows(2.0 * theme::REPORT_ROW_HEIGHT, people + 1, |mut row| {
                            let p = (row.index() < people).then_some(row.index());
                            let (name, total) = match p {
                                Some(p) => (key_label(&pivot.people[p], &nobody), totals.people[p]),
                                None => (tr!("Total"), totals.all),
                            };
                            row.col(|ui| {
                                ui.text(RichText::new(name).strong());
                            });
                            row.col(|ui| grid_cell_ui(ui, Some(total), currency, true));
                            for t in 0..pivot.periods.len() {
                                row.col(|ui| grid_cell_ui(ui, cell(p, t), currency, p.is_none()));
                            }
                        });
                    });
            });
    })
    .response
    .rect
}

/// One cell of the sales grid: the amount won over the pipeline, each with its deals and the
/// exact amount on hover; nothing for no deals. Totals are `strong`.
fn grid_cell_ui(ui: &mut egui::Ui, sum: Option<GridSum>, currency: &str, strong: bool) {
    let Some(sum) = sum else {
        return;
    };
    let won = tr!(
        "Won: {deals}",
        deals = deals_worth(sum.won_count, sum.won_amount, currency)
    );
    let pipeline = tr!(
        "Pipeline: {deals}",
        deals = deals_worth(sum.pipeline_count, sum.pipeline_amount, currency)
    );
    ui.vertical(|ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        for (amount, color, hover) in [
            (sum.won_amount, theme::colors(ui).won, won),
            (sum.pipeline_amount, theme::colors(ui).text_muted, pipeline),
        ] {
            let text = RichText::new(format_money(amount, currency)).color(color);
            let text = if strong { text.strong() } else { text };
            ui.text(text).on_hover_text(ui.rtl(hover));
        }
    });
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
    fn a_funnel_label_wider_than_its_bar_goes_beside_it_and_the_plot_makes_room() {
        // Bars of 15, 2 and 1 deals in 600 points: 600 / (15 × 1.04) = 38.46 points a deal.
        // New's label (150 + 2 × 8) fits in 15 × 38.46 = 577; Qualified's (190) does not fit
        // in 77, nor Proposition's in 38. Beside, Qualified's ends at 1 + (8 + 190) / 38.46
        // = 6.15, within the half width 7.5: the plot keeps its width; the labels start
        // 8 / 38.46 = 0.208 past the bars' ends (1 and 0.5).
        let places = FunnelPlaces::of(&[15.0, 2.0, 1.0], &[150.0, 190.0, 190.0], 600.0);
        assert_eq!(places.right, 7.5);
        assert!(places.beside[0].is_none());
        let beside: Vec<f64> = places.beside[1..].iter().map(|x| x.unwrap()).collect();
        assert!((beside[0] - 1.208).abs() < 1e-3, "{beside:?}");
        assert!((beside[1] - 0.708).abs() < 1e-3, "{beside:?}");
        // A 400-point label on a bar of 1 beside one of 10: it takes (8 + 400) × 1.04 / 600
        // = 0.7072 of the plot, so the plot reaches (0.5 + 0.7072 × 5) / (1 − 0.7072)
        // = 13.784 right; then 600 / (18.784 × 1.04) = 30.713 points a deal, and the label
        // starts at 0.5 + 8 / 30.713 = 0.760.
        let places = FunnelPlaces::of(&[10.0, 1.0], &[100.0, 400.0], 600.0);
        assert!((places.right - 13.784).abs() < 1e-3, "{places:?}");
        assert!(
            (places.beside[1].unwrap() - 0.760).abs() < 1e-3,
            "{places:?}"
        );
        assert!(places.beside[0].is_none());
    }

    #[test]
    fn the_pointer_finds_the_category_whose_bars_it_is_over() {
        assert_eq!(category_at(1.3, 3), Some(1));
        assert_eq!(category_at(1.5, 3), None, "between two categories");
        assert_eq!(category_at(2.4, 3), Some(2));
        assert_eq!(category_at(3.0, 3), None, "past the last");
        assert_eq!(category_at(-0.3, 3), Some(0));
    }

    #[test]
    fn the_lowest_conversion_is_named_only_among_stages_whose_conversion_is_measured() {
        let row = |stage: &str, entered, conversion| LeakageRow {
            stage: stage.to_owned(),
            entered,
            conversion_to_next: conversion,
            ..LeakageRow::default()
        };
        let rows = [
            row("New", 10, Some(0.6)),
            row("Qualified", 6, Some(0.5)),
            row("Proposition", 3, Some(0.3333)),
            // Three deals all still in it: 0 % would be named, but nothing is measured yet.
            row("Negotiation", 3, None),
        ];
        assert_eq!(lowest_conversion(&rows), Some(2));
        assert_eq!(lowest_conversion(&rows[3..]), None);
        assert_eq!(percent(0.3333), "33.3 %");
    }
}
