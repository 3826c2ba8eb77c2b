//! Nodes a screen reader walks along a chart's bars. `egui_plot` paints its bars and gives
//! them no node of their own: the plot alone would be read, as a name.

use egui::Sense;
use egui_plot::{Bar, PlotPoint, PlotResponse};

use crate::tr;

/// A bar a screen reader can land on: the corners of the plot area it covers and what it says.
pub(super) struct SpokenBar {
    min: PlotPoint,
    max: PlotPoint,
    text: String,
}

impl SpokenBar {
    /// The bar across `argument` (`width` wide) from `from` to `to` along the value axis, along
    /// x when `horizontal`, saying `text`.
    pub fn new(
        argument: f64,
        width: f64,
        (from, to): (f64, f64),
        horizontal: bool,
        text: String,
    ) -> Self {
        let (a0, a1) = (argument - width / 2.0, argument + width / 2.0);
        let (min, max) = if horizontal {
            (PlotPoint::new(from, a0), PlotPoint::new(to, a1))
        } else {
            (PlotPoint::new(a0, from), PlotPoint::new(a1, to))
        };
        SpokenBar { min, max, text }
    }

    /// Where `bar` stands (drawn across when `horizontal`: its chart sets that, not the bar).
    pub fn of(bar: &Bar, horizontal: bool, text: String) -> Self {
        let base = bar.base_offset.unwrap_or(0.0);
        SpokenBar::new(
            bar.argument,
            bar.bar_width,
            (base, base + bar.value),
            horizontal,
            text,
        )
    }
}

/// What a bar of one series says: "Qualified: 4 deals, $112,500.00".
pub(super) fn bar_text(category: &str, figures: &str) -> String {
    tr!(
        "{category}: {figures}",
        category = category,
        figures = figures
    )
}

/// What a bar of one of several series says: "Qualified, Weighted: $33,750.00".
pub(super) fn series_bar_text(category: &str, series: &str, figures: &str) -> String {
    tr!(
        "{category}, {series}: {figures}",
        category = category,
        series = series,
        figures = figures
    )
}

/// Gives each of `bars` a node under the node of the plot `response` drew, at the bar's place
/// on screen. `bars` come in reading order (the first stage, month or key first: at the right
/// in a right-to-left language, whose plots run from the right), which is the order a screen
/// reader walks them in.
pub(super) fn bar_nodes_ui<R>(ui: &mut egui::Ui, response: &PlotResponse<R>, bars: Vec<SpokenBar>) {
    let plot = &response.response;
    // A child that takes no room, its nodes under the plot's rather than beside it.
    let nodes = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(plot.rect)
            .accessibility_parent(plot.id),
    );
    for (k, bar) in bars.into_iter().enumerate() {
        let rect = response.transform.rect_from_values(&bar.min, &bar.max);
        // Hover only: the plot under it still gets the clicks and shows its tooltip.
        let node = nodes.interact(rect, plot.id.with(("bar", k)), Sense::hover());
        node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &bar.text));
    }
}
