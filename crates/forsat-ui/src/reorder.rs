//! Rows put in order by dragging them by a dotted handle, or by their Move up / Move down
//! arrows: the stages in Settings and the new stages of an import. A row is dragged by its
//! key; a list of keys of one type only takes drops of that type.

use egui::{FontId, Stroke, vec2};

use super::theme;
use crate::tr;
use crate::ui_ext::UiExt;

/// What a dragged row carries: its key.
#[derive(Clone, Copy, Debug)]
struct Dragged<K>(K);

/// A row's drag handle of `size`, dragging `key`; `name` names the row to screen readers.
pub fn handle<K: Copy + Send + Sync + 'static>(
    ui: &mut egui::Ui,
    drag_id: egui::Id,
    key: K,
    size: egui::Vec2,
    name: &str,
) -> egui::Response {
    let handle = ui
        .dnd_drag_source(drag_id, Dragged(key), |ui| {
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            paint_grip(ui.painter(), rect);
        })
        .response;
    let name = tr!("Drag {stage} to reorder", stage = name);
    handle.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    handle.on_hover_text(ui.rtl(tr!("Drag to reorder")))
}

/// The Move up / Move down buttons of the `index`th of `keys`; returns the new order if
/// clicked.
pub fn arrows<K: Clone>(ui: &mut egui::Ui, keys: &[K], index: usize, name: &str) -> Option<Vec<K>> {
    let up = arrow_button(ui, index > 0, true)
        .accessible_name(tr!("Move {name} up", name = name))
        .on_hover_text(ui.rtl(tr!("Move up")));
    let down = arrow_button(ui, index + 1 < keys.len(), false)
        .accessible_name(tr!("Move {name} down", name = name))
        .on_hover_text(ui.rtl(tr!("Move down")));
    let mut order = keys.to_vec();
    if up.clicked() {
        order.swap(index, index - 1);
    } else if down.clicked() {
        order.swap(index, index + 1);
    } else {
        return None;
    }
    Some(order)
}

/// A small button showing a triangle pointing up or down (the bundled font has no arrows).
fn arrow_button(ui: &mut egui::Ui, enabled: bool, up: bool) -> egui::Response {
    let button = egui::Button::new("").small().min_size(vec2(20.0, 18.0));
    let response = ui.add_enabled(enabled, button);
    let color = if enabled {
        ui.visuals().widgets.style(&response).fg_stroke.color
    } else {
        theme::colors(ui).card_stroke
    };
    let c = response.rect.center();
    let (w, h) = (4.5, 3.0);
    let points = if up {
        vec![c + vec2(-w, h), c + vec2(w, h), c + vec2(0.0, -h)]
    } else {
        vec![c + vec2(-w, -h), c + vec2(w, -h), c + vec2(0.0, h)]
    };
    ui.painter()
        .add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
    response
}

/// A drag handle: two columns of three dots.
fn paint_grip(painter: &egui::Painter, rect: egui::Rect) {
    let c = rect.center();
    for dx in [-2.5, 2.5] {
        for dy in [-5.0, 0.0, 5.0] {
            painter.circle_filled(
                c + vec2(dx, dy),
                1.4,
                theme::colors_of(painter.ctx()).text_muted,
            );
        }
    }
}

/// While one of the rows `keys` (laid out at `rows`, top to bottom) is dragged over them: a
/// line where it would land, and on release the order with the row moved there (None when
/// nothing is dropped or the order is unchanged).
pub fn dropped<K: Copy + PartialEq + Send + Sync + 'static>(
    ui: &egui::Ui,
    keys: &[K],
    rows: &[egui::Rect],
) -> Option<Vec<K>> {
    let dragged = egui::DragAndDrop::payload::<Dragged<K>>(ui.ctx())?;
    let from = keys.iter().position(|key| *key == dragged.0)?;
    let pointer = ui.input(|i| i.pointer.latest_pos())?;
    let (first, last) = (rows.first()?, rows.last()?);
    let area = first.union(*last).expand2(vec2(0.0, first.height()));
    if !area.contains(pointer) {
        return None;
    }
    // The slot before the first row whose middle is below the pointer.
    let slot = rows.iter().filter(|r| r.center().y < pointer.y).count();
    let y = match slot {
        0 => first.top() - 2.0,
        n if n == rows.len() => last.bottom() + 2.0,
        n => f32::midpoint(rows[n - 1].bottom(), rows[n].top()),
    };
    ui.painter().hline(
        first.x_range(),
        y,
        Stroke::new(2.5, theme::colors(ui).card_selected),
    );
    if !ui.input(|i| i.pointer.any_released()) {
        return None;
    }
    egui::DragAndDrop::clear_payload(ui.ctx());
    let mut order = keys.to_vec();
    let moved = order.remove(from);
    order.insert(if slot > from { slot - 1 } else { slot }, moved);
    (order != keys).then_some(order)
}

/// The dragged row's name beside the pointer.
pub fn paint_ghost(ui: &egui::Ui, drag_id: egui::Id, name: &str) {
    let Some(pointer) = ui.ctx().pointer_interact_pos() else {
        return;
    };
    let layer = egui::LayerId::new(egui::Order::Tooltip, drag_id.with("ghost"));
    let painter = ui.ctx().layer_painter(layer);
    let galley = painter.layout_no_wrap(
        name.to_owned(),
        FontId::proportional(14.0),
        theme::colors(ui).text_strong,
    );
    let rect = egui::Rect::from_min_size(
        pointer + vec2(16.0, -galley.size().y / 2.0 - 5.0),
        galley.size() + vec2(20.0, 10.0),
    );
    painter.rect(
        rect,
        theme::CARD_RADIUS,
        theme::colors(ui).card_fill,
        Stroke::new(1.0, theme::colors(ui).card_selected),
        egui::StrokeKind::Inside,
    );
    painter.galley(
        rect.min + vec2(10.0, 5.0),
        galley,
        theme::colors(ui).text_strong,
    );
}
