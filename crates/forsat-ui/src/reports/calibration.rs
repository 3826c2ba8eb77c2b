//! The calibration card's reliability diagram: for each tenth of predicted probability, the
//! share of those deals won, against the diagonal a perfectly calibrated model would follow.

use egui::Rect;
use egui_plot::{Line, PlotPoints, Points};

use super::charts::{hover_ui, percent, round_marks, still_plot};
use crate::analytics::predict::Calibration;
use crate::i18n::deals;
use crate::text::one_run;
use crate::theme;
use crate::tr;

/// The diagram, `height` tall; where it is drawn.
pub fn chart_ui(ui: &mut egui::Ui, calibration: &Calibration, height: f32) -> Rect {
    let measured: Vec<[f64; 2]> = calibration
        .bins
        .iter()
        .filter_map(|b| Some([b.predicted?, b.won_rate?]))
        .collect();
    let model = tr!("Predicted");
    let perfect = tr!("Perfectly calibrated");
    super::charts::legend_row_ui(
        ui,
        &[
            (
                model.clone(),
                theme::colors(ui).chart_line,
                super::charts::Swatch::Line,
            ),
            (
                perfect.clone(),
                theme::colors(ui).text_muted,
                super::charts::Swatch::Line,
            ),
        ],
    );
    let height = height - ui.spacing().interact_size.y;
    let plot = still_plot("calibration_chart", height)
        .auto_bounds(egui::Vec2b::FALSE)
        .default_x_bounds(-0.02, 1.02)
        .default_y_bounds(-0.02, 1.02)
        .x_grid_spacer(round_marks)
        .y_grid_spacer(round_marks)
        .x_axis_label(tr!("Predicted probability"))
        .y_axis_label(tr!("Share won"))
        // Painted labels: as the other charts', one run so Persian digits keep their order.
        .x_axis_formatter(|mark, _| one_run(&percent(mark.value)))
        .y_axis_formatter(|mark, _| one_run(&percent(mark.value)));
    let response = plot.show(ui, |plot_ui| {
        plot_ui.line(
            Line::new(
                perfect.as_str(),
                PlotPoints::new(vec![[0.0, 0.0], [1.0, 1.0]]),
            )
            .color(theme::colors_of(plot_ui.ctx()).text_muted)
            .style(egui_plot::LineStyle::dashed_dense())
            .allow_hover(false),
        );
        plot_ui.line(
            Line::new(model.as_str(), PlotPoints::new(measured.clone()))
                .color(theme::colors_of(plot_ui.ctx()).chart_line)
                .width(2.0)
                .allow_hover(false),
        );
        plot_ui.points(
            Points::new(model.as_str(), PlotPoints::new(measured))
                .color(theme::colors_of(plot_ui.ctx()).chart_line)
                .radius(4.0)
                .filled(true)
                .allow_hover(false),
        );
    });
    hover_ui(&response, tr!("Calibration chart"), |point| {
        let bin = calibration
            .bins
            .iter()
            .find(|b| (b.from..b.to).contains(&point.x.clamp(0.0, 0.999)))?;
        let (Some(predicted), Some(won)) = (bin.predicted, bin.won_rate) else {
            return None;
        };
        Some(vec![
            tr!(
                "Predicted {from} to {to}",
                from = percent(bin.from),
                to = percent(bin.to)
            ),
            tr!(
                "{deals}: predicted {predicted} on average, {won} won",
                deals = deals(bin.count),
                predicted = percent(predicted),
                won = percent(won)
            ),
        ])
    });
    response.response.rect
}
