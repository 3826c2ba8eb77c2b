//! Small reusable pieces shared by the views.

use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, FontId, Pos2, Rect};

use crate::domain::{Id, LookupKind};
use crate::workspace::Workspace;

/// A dropdown over one lookup table, with an empty choice named `none`.
/// Returns true when the choice changed.
pub fn lookup_combo(
    ui: &mut egui::Ui,
    label: egui::Id,
    ws: &Workspace,
    kind: LookupKind,
    value: &mut Option<Id>,
    none: &str,
) -> bool {
    let before = *value;
    let selected = match ws.lookup_name(*value) {
        "" => none.to_owned(),
        name => name.to_owned(),
    };
    egui::ComboBox::from_id_salt((label, kind as u8))
        .selected_text(selected)
        .width(ui.available_width().min(240.0))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, none);
            for lookup in ws.lookups(kind) {
                ui.selectable_value(value, Some(lookup.id), &lookup.name);
            }
        })
        .response
        .labelled_by(label);
    before != *value
}

/// Paints one line of text at `pos` (left-top), cut with `…` at `max_width`. Returns its rect.
pub fn text_line(
    painter: &egui::Painter,
    pos: Pos2,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
) -> Rect {
    let mut job = LayoutJob::single_section(text.to_owned(), egui::TextFormat::simple(font, color));
    job.wrap = TextWrapping::truncate_at_width(max_width.max(1.0));
    let galley = painter.layout_job(job);
    let rect = Rect::from_min_size(pos, galley.size());
    painter.galley(pos, galley, color);
    rect
}

/// Paints one line of text whose right edge is at `right_top`. Returns its rect.
pub fn text_line_right(
    painter: &egui::Painter,
    right_top: Pos2,
    text: &str,
    font: FontId,
    color: Color32,
) -> Rect {
    let galley = painter.layout_no_wrap(text.to_owned(), font, color);
    let pos = Pos2::new(right_top.x - galley.size().x, right_top.y);
    let rect = Rect::from_min_size(pos, galley.size());
    painter.galley(pos, galley, color);
    rect
}

/// `★★☆` for a priority of 2 out of 3.
pub fn stars(priority: u8) -> String {
    (0..3)
        .map(|i| if i < priority { '★' } else { '☆' })
        .collect()
}
