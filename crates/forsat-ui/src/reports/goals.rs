//! Goals: the Goals card (each goal's progress against a steady pace and its coverage, a
//! chart of every goal's pace, a row to set a new one) and the board's header progress.

use egui::{RichText, Ui};
use egui_plot::{Line, PlotPoints};
use rust_decimal::Decimal;

use super::charts::{legend_row_ui, percent, round_marks, still_plot};
use crate::analytics::reports::GoalRow;
use crate::app::Action;
use crate::command::Command;
use crate::domain::{Every, Goal, LookupKind, Measure};
use crate::i18n::{format_count, format_money, format_number};
use crate::text::one_run;
use crate::ui_ext::UiExt as _;
use crate::widgets::{choice_combo, lookup_combo};
use crate::workspace::Workspace;
use crate::{direction, theme, tr};

/// A goal's figure: money in the base currency, or a count (with a tenth where a pace or an
/// expectation has one).
fn figure(measure: Measure, value: Decimal, currency: &str) -> String {
    let tenths = value.round_dp(1);
    if measure.is_money() {
        format_money(value, currency)
    } else if tenths.fract().is_zero() {
        format_count(u64::try_from(tenths).unwrap_or(0))
    } else {
        format_number(tenths, 1)
    }
}

/// "Won value, monthly (2026-12), Daniel Okafor" — what a goal is, for its row and its line.
pub fn title(row: &GoalRow) -> String {
    let who = (row.salesperson.clone()).unwrap_or_else(|| tr!("everyone"));
    tr!(
        "{measure}, {every} ({period}), {who}",
        measure = row.goal.measure.label(),
        every = row.goal.every.label(),
        period = row.period,
        who = who
    )
}

/// "45,000 of 100,000 (45 %)".
fn progress_text(row: &GoalRow, currency: &str) -> String {
    let measure = row.goal.measure;
    tr!(
        "{achieved} of {target} ({share})",
        achieved = figure(measure, row.achieved, currency),
        target = figure(measure, row.target, currency),
        share = percent(row.share())
    )
}

/// Where the goal stands against a steady pace, and its coverage when it has one.
fn pace_text(row: &GoalRow, currency: &str) -> String {
    let measure = row.goal.measure;
    let pace = figure(measure, row.pace, currency);
    let mut text = if row.achieved >= row.target {
        tr!("Reached.")
    } else if row.achieved >= row.pace {
        tr!("Ahead of a steady pace ({pace} by today).", pace = pace)
    } else {
        tr!("Behind a steady pace ({pace} by today).", pace = pace)
    };
    if let Some(expected) = row.expected.filter(|_| row.achieved < row.target) {
        let left = figure(measure, row.target - row.achieved, currency);
        let expected = figure(measure, expected, currency);
        let coverage = row.coverage.unwrap_or(0.0);
        text.push(' ');
        text.push_str(&tr!(
            "Coverage {coverage}: open deals expected in the period bring {expected} weighted, {left} is left.",
            coverage = crate::i18n::localize_number(&format!("{coverage:.1}×")),
            expected = expected,
            left = left
        ));
    }
    text
}

/// The Goals card, its chart `height` tall at most: the goals' progress, each with a button
/// to remove it, and the row that sets a new one.
pub fn card_ui(
    ui: &mut Ui,
    ws: &Workspace,
    rows: &[GoalRow],
    currency: &str,
    height: f32,
    actions: &mut Vec<Action>,
) {
    progress_ui(ui, rows, currency, height, |ui, row| {
        let remove = ui
            .small_button_text("×")
            .accessible_name(tr!("Remove the goal {goal}", goal = title(row)))
            .on_hover_text(ui.rtl(tr!("Remove this goal")));
        if remove.clicked() {
            let goals = (ws.goals().iter())
                .filter(|g| g.id != row.goal.id)
                .cloned()
                .collect();
            actions.push(Action::Apply(Command::SetGoals { goals }));
        }
    });
    ui.add_space(8.0);
    add_ui(ui, ws, actions);
}

/// The chart of every goal's pace, then each goal's progress and pace in words; `beside`
/// draws what follows a goal's title (the card's remove button).
pub fn progress_ui(
    ui: &mut Ui,
    rows: &[GoalRow],
    currency: &str,
    height: f32,
    mut beside: impl FnMut(&mut Ui, &GoalRow),
) {
    if rows.is_empty() {
        ui.text(RichText::new(tr!(
            "No goal yet. Set one below: what to win, add or do each week, month, quarter or year."
        ))
        .color(theme::colors(ui).text_muted));
        return;
    }
    pace_chart_ui(ui, rows, height.min(220.0));
    for row in rows {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.text(RichText::new(title(row)).strong());
            beside(ui, row);
        });
        ui.horizontal(|ui| {
            bar_ui(ui, row, 240.0);
            ui.text(progress_text(row, currency));
        });
        // Red where the open deals expected cannot make up what is left.
        let short = row.coverage.is_some_and(|c| c < 1.0);
        let colour = if short {
            theme::colors(ui).activity_late
        } else {
            theme::colors(ui).text_muted
        };
        ui.with_layout(direction::top_down_start(), |ui| {
            let text = RichText::new(pace_text(row, currency)).color(colour);
            ui.add(egui::Label::new(ui.rtl(text)).wrap())
        });
    }
}

/// Each goal's achievement by day, as a share of its target over the share of its period
/// gone, against the steady pace (the diagonal).
fn pace_chart_ui(ui: &mut Ui, rows: &[GoalRow], height: f32) {
    let steady = tr!("Steady pace");
    let colours = theme::CHART_SERIES;
    let mut legend = vec![(
        steady.clone(),
        theme::colors(ui).text_muted,
        super::charts::Swatch::Line,
    )];
    let names: Vec<String> = rows.iter().map(title).collect();
    for (k, name) in names.iter().enumerate() {
        legend.push((
            name.clone(),
            colours[k % colours.len()],
            super::charts::Swatch::Line,
        ));
    }
    legend_row_ui(ui, &legend);
    // Up to the goal furthest past its target.
    let top = rows.iter().map(GoalRow::share).fold(0.0, f64::max);
    let height = height - ui.spacing().interact_size.y;
    let plot = still_plot("goals_chart", height)
        .auto_bounds(egui::Vec2b::FALSE)
        .default_x_bounds(0.0, 1.0)
        .x_grid_spacer(round_marks)
        .y_grid_spacer(round_marks)
        .x_axis_label(tr!("Period gone"))
        .y_axis_label(tr!("Target reached"))
        .x_axis_formatter(|mark, _| one_run(&percent(mark.value)))
        .y_axis_formatter(|mark, _| one_run(&percent(mark.value)));
    let plot = plot.default_y_bounds(0.0, top.max(1.05));
    plot.show(ui, |plot_ui| {
        plot_ui.line(
            Line::new(
                steady.as_str(),
                PlotPoints::new(vec![[0.0, 0.0], [1.0, 1.0]]),
            )
            .color(theme::colors_of(plot_ui.ctx()).text_muted)
            .style(egui_plot::LineStyle::dashed_dense())
            .allow_hover(false),
        );
        for (k, (row, name)) in rows.iter().zip(&names).enumerate() {
            let days = ((row.to - row.from).num_days() + 1) as f64;
            let target = f64::try_from(row.target)
                .unwrap_or(1.0)
                .max(f64::MIN_POSITIVE);
            let points: Vec<[f64; 2]> = std::iter::once([0.0, 0.0])
                .chain(row.by_day.iter().enumerate().map(|(day, done)| {
                    let done = f64::try_from(*done).unwrap_or(0.0);
                    [(day as f64 + 1.0) / days, done / target]
                }))
                .collect();
            plot_ui.line(
                Line::new(name.as_str(), PlotPoints::new(points))
                    .color(colours[k % colours.len()])
                    .width(2.0)
                    .allow_hover(false),
            );
        }
    });
}

/// A goal being set, kept between frames.
#[derive(Clone, Default)]
struct Draft {
    salesperson: Option<crate::domain::Id>,
    measure: Measure,
    every: Every,
    target: String,
    error: Option<String>,
}

/// The row that sets a new goal.
fn add_ui(ui: &mut Ui, ws: &Workspace, actions: &mut Vec<Action>) {
    let id = ui.make_persistent_id("goal_draft");
    let mut draft: Draft = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    // A salesperson deleted since the draft began is no longer a choice.
    if draft.salesperson.is_some_and(|s| ws.lookup(s).is_none()) {
        draft.salesperson = None;
    }
    let typed = draft.target.clone();
    ui.horizontal_wrapped(|ui| {
        ui.text(RichText::new(tr!("Set a goal")).strong());
        choice_combo(
            ui,
            &tr!("Measure"),
            &mut draft.measure,
            &Measure::ALL,
            Measure::label,
        );
        choice_combo(
            ui,
            &tr!("Period"),
            &mut draft.every,
            &Every::ALL,
            Every::label,
        );
        let label = ui.text(crate::domain::Field::Salesperson.label());
        lookup_combo(
            ui,
            label.id,
            ws,
            LookupKind::Salesperson,
            &mut draft.salesperson,
            &tr!("Everyone"),
        );
        let label = ui.text(crate::domain::Field::Target.label());
        let field = crate::widgets::digits_field(
            ui,
            ui.make_persistent_id("goal_target"),
            &mut draft.target,
            crate::i18n::localize_number,
            |edit| edit.desired_width(110.0),
        )
        .labelled_by(label.id);
        if draft.target != typed {
            draft.error = None;
        }
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(ui.rtl(tr!("Set goal"))).clicked() || enter {
            match Goal::parse_target(draft.measure, &draft.target) {
                Ok(target) => {
                    let goal = Goal {
                        id: ws.next_id(),
                        salesperson: draft.salesperson,
                        measure: draft.measure,
                        every: draft.every,
                        target,
                    };
                    // The same measure, period and people again: its target changes.
                    let mut goals = ws.goals().to_vec();
                    match goals.iter_mut().find(|g| g.same_as(&goal)) {
                        Some(same) => same.target = target,
                        None => goals.push(goal),
                    }
                    actions.push(Action::Apply(Command::SetGoals { goals }));
                    draft.target.clear();
                }
                Err(e) => draft.error = Some(e.to_string()),
            }
        }
    });
    if let Some(error) = &draft.error {
        ui.text(RichText::new(error).color(theme::colors(ui).lost));
    }
    ui.data_mut(|d| d.insert_temp(id, draft));
}

/// A goal's share of its target as a bar `width` wide, filled from where reading starts:
/// green, amber while behind a steady pace.
fn bar_ui(ui: &mut Ui, row: &GoalRow, width: f32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 10.0), egui::Sense::hover());
    let painter = ui.painter();
    let radius = egui::CornerRadius::same(3);
    painter.rect_filled(rect, radius, theme::colors(ui).column_fill);
    let behind = row.achieved < row.pace && row.achieved < row.target;
    let filled = width * row.share().clamp(0.0, 1.0) as f32;
    let fill = if crate::i18n::right_to_left() {
        egui::Rect::from_min_max(egui::pos2(rect.max.x - filled, rect.min.y), rect.max)
    } else {
        egui::Rect::from_min_size(rect.min, egui::vec2(filled, rect.height()))
    };
    let colour = if behind {
        theme::colors(ui).activity_today
    } else {
        theme::colors(ui).won
    };
    painter.rect_filled(fill, radius, colour);
    painter.rect_stroke(
        rect,
        radius,
        egui::Stroke::new(1.0, theme::colors(ui).card_stroke),
        egui::StrokeKind::Inside,
    );
}

/// The goals' progress in the board's header: a short bar per goal, the whole story on hover.
pub fn header_ui(
    ui: &mut Ui,
    ws: &Workspace,
    rows: &[GoalRow],
    salesperson: Option<crate::domain::Id>,
) {
    /// More would run off the window: the others are named on hover.
    const SHOWN: usize = 3;
    let currency = &ws.settings().base_currency;
    // The board showing one salesperson's deals shows their goals and everyone's.
    let rows: Vec<&GoalRow> = (rows.iter())
        .filter(|r| {
            salesperson.is_none() || r.goal.salesperson.is_none_or(|s| Some(s) == salesperson)
        })
        .collect();
    for row in rows.iter().take(SHOWN) {
        let measure = row.goal.measure.label();
        let text = match &row.salesperson {
            Some(who) => format!("{measure} · {who}"),
            None => measure,
        };
        let hover = format!(
            "{}\n{}\n{}",
            title(row),
            progress_text(row, currency),
            pace_text(row, currency)
        );
        let shown = ui.horizontal(|ui| {
            ui.text(tr!(
                "{measure} {share}",
                measure = text,
                share = percent(row.share())
            ));
            bar_ui(ui, row, 70.0);
        });
        shown.response.on_hover_text(ui.rtl(hover));
    }
    if rows.len() > SHOWN {
        let others: Vec<String> = rows[SHOWN..]
            .iter()
            .map(|r| format!("{}: {}", title(r), progress_text(r, currency)))
            .collect();
        ui.text(tr!("+{n} more", n = rows.len() - SHOWN))
            .on_hover_text(ui.rtl(others.join("\n")));
    }
}
