//! The Won and Lost drop zones. They take no room on the board: they appear over its bottom
//! edge only while a card is dragged (as Pipedrive's do), in strong colours, so a card can be
//! closed by dropping it there; nothing under the pointer moves when they appear.

use egui::text::LayoutJob;
use egui::{FontId, Sense};

use super::CardDrag;
use crate::analytics::StageTotals;
use crate::app::Action;
use crate::domain::{Stage, StageKind};
use crate::i18n::{deals, format_money};
use crate::text::bidi_job;
use crate::theme;
use crate::tr;

/// Draws the zones of `stages` (a Won and a Lost one, with their totals) over the bottom of
/// `board` while a card is dragged; returns the move of a card dropped on one.
pub(super) fn close_zones_ui(
    ctx: &egui::Context,
    board: egui::Rect,
    stages: &[(&Stage, StageTotals)],
    currency: &str,
) -> Option<Action> {
    if !egui::DragAndDrop::has_payload_of_type::<CardDrag>(ctx) {
        return None;
    }
    let margin = theme::CLOSE_ZONE_MARGIN;
    let strip = egui::Rect::from_min_max(
        egui::pos2(
            board.left() + margin,
            board.bottom() - margin - theme::CLOSE_ZONE_HEIGHT,
        ),
        egui::pos2(board.right() - margin, board.bottom() - margin),
    );
    ctx.data_mut(|d| d.insert_temp(strip_id(), strip));
    egui::Area::new(egui::Id::unique("close_zones"))
        .order(egui::Order::Foreground)
        .fixed_pos(strip.min)
        .show(ctx, |ui| {
            ui.set_min_size(strip.size());
            // Won where reading starts.
            let mut kinds = [StageKind::Won, StageKind::Lost];
            if crate::i18n::right_to_left() {
                kinds.reverse();
            }
            let half = (strip.width() - margin) / 2.0;
            let mut dropped = None;
            for (i, kind) in kinds.into_iter().enumerate() {
                let Some((stage, totals)) = stages.iter().find(|(s, _)| s.kind == kind) else {
                    continue;
                };
                let left = strip.left() + i as f32 * (half + margin);
                let rect = egui::Rect::from_min_size(
                    egui::pos2(left, strip.top()),
                    egui::vec2(half, strip.height()),
                );
                dropped = dropped.or(zone_ui(ui, rect, stage, *totals, currency));
            }
            dropped
        })
        .inner
}

fn strip_id() -> egui::Id {
    egui::Id::unique("close_zones_strip")
}

/// Whether `pos` is over the zones (as they were last drawn): the dragged card is then painted
/// faint, so that the zone's words show through it.
pub(super) fn covers(ctx: &egui::Context, pos: egui::Pos2) -> bool {
    ctx.data(|d| d.get_temp::<egui::Rect>(strip_id()))
        .is_some_and(|strip| strip.contains(pos))
}

/// One zone: a strong fill, brighter under the pointer, the stage's name and totals in white.
fn zone_ui(
    ui: &mut egui::Ui,
    rect: egui::Rect,
    stage: &Stage,
    totals: StageTotals,
    currency: &str,
) -> Option<Action> {
    let response = ui.interact(
        rect,
        egui::Id::unique(("close_zone", stage.id)),
        Sense::hover(),
    );
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Group,
            true,
            tr!("Drop a card here to mark it {stage}", stage = stage.name),
        )
    });
    let hovered = response.contains_pointer();
    let (fill, hover) = match stage.kind {
        StageKind::Lost => (
            theme::colors(ui).lost_zone,
            theme::colors(ui).lost_zone_hover,
        ),
        _ => (theme::colors(ui).won_zone, theme::colors(ui).won_zone_hover),
    };
    let painter = ui.painter();
    painter.rect(
        rect,
        theme::CARD_RADIUS,
        if hovered { hover } else { fill },
        egui::Stroke::new(if hovered { 3.0 } else { 0.0 }, theme::TEXT_ON_COLOR),
        egui::StrokeKind::Inside,
    );
    let title = if hovered {
        tr!("Release to mark it {stage}", stage = stage.name)
    } else {
        stage.name.clone()
    };
    let totals = tr!(
        "{deals} · {amount}",
        deals = deals(totals.count),
        amount = format_money(totals.expected, currency)
    );
    let lines = [
        (title, 17.0, rect.center().y - 11.0),
        (totals, 13.0, rect.center().y + 11.0),
    ];
    for (text, size, y) in lines {
        let mut job =
            LayoutJob::simple_singleline(text, FontId::proportional(size), theme::TEXT_ON_COLOR);
        job.wrap = egui::text::TextWrapping::truncate_at_width(rect.width() - 16.0);
        let galley = painter.layout_job(bidi_job(job));
        let at = egui::pos2(rect.center().x, y) - galley.size() / 2.0;
        painter.galley(at, galley, theme::TEXT_ON_COLOR);
    }
    response
        .dnd_release_payload::<CardDrag>()
        .filter(|d| d.from != stage.id)
        .map(|d| Action::Move {
            opp: d.opp,
            stage: stage.id,
        })
}
