//! The layout's reading direction: mirrored in right-to-left languages (Persian), so rows
//! start at the right, lists sit on the right and details on the left.

use egui::{Align, InnerResponse, Layout, Panel, Ui};

fn right_to_left() -> bool {
    crate::i18n::right_to_left()
}

/// A row from where reading starts.
pub fn start_to_end(valign: Align) -> Layout {
    if right_to_left() {
        Layout::right_to_left(valign)
    } else {
        Layout::left_to_right(valign)
    }
}

/// A row from where reading ends (buttons at the end of a header).
pub fn end_to_start(valign: Align) -> Layout {
    if right_to_left() {
        Layout::left_to_right(valign)
    } else {
        Layout::right_to_left(valign)
    }
}

/// A column aligned where reading starts; rows inside it (`ui.horizontal`) run in reading order.
pub fn top_down_start() -> Layout {
    Layout::top_down(if right_to_left() {
        Align::Max
    } else {
        Align::Min
    })
}

/// A panel on the side reading starts from (lists, filters).
pub fn start_panel(id: &'static str) -> Panel {
    if right_to_left() {
        Panel::right(id)
    } else {
        Panel::left(id)
    }
}

/// A panel on the side reading ends at (the deal's form).
pub fn end_panel(id: &'static str) -> Panel {
    if right_to_left() {
        Panel::left(id)
    } else {
        Panel::right(id)
    }
}

/// Lays out `add` in reading order: at the top of every panel.
pub fn reading<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> InnerResponse<R> {
    ui.with_layout(top_down_start(), add)
}

/// Lays out `add` left to right whatever the language: egui's `Grid` cannot run right to left
/// (its cells would have no room), so label–field grids keep their Latin order in Persian.
pub fn grid_scope<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> InnerResponse<R> {
    ui.with_layout(Layout::top_down(Align::Min), add)
}

/// One label–field row of a form, in reading order (the label at the right in Persian), in
/// place of egui's `Grid`, which cannot run right to left. The label takes `label_width` at the
/// reading start; `add` gets the rest of the row (and the label's id, to label its widget) and
/// lays out top-down, so a message under the field stays in the field's column.
pub fn field_row<R>(
    ui: &mut Ui,
    label_width: f32,
    label: impl Into<egui::WidgetText>,
    add: impl FnOnce(&mut Ui, egui::Id) -> R,
) -> R {
    ui.with_layout(start_to_end(Align::Min), |ui| {
        let height = ui.spacing().interact_size.y;
        let label = ui
            .allocate_ui_with_layout(egui::vec2(label_width, height), top_down_start(), |ui| {
                ui.set_width(label_width);
                ui.add_space(2.0);
                ui.add(egui::Label::new(label).wrap())
            })
            .inner;
        ui.with_layout(top_down_start(), |ui| add(ui, label.id))
            .inner
    })
    .inner
}
