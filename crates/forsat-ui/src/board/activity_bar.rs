//! Each stage column's activity state, as Odoo's kanban columns show it: a thin bar split
//! between the deals whose next activity is late, due today or planned, and those with none.

use std::collections::HashMap;

use chrono::NaiveDate;
use egui::{Sense, vec2};

use crate::domain::{ActivityState, Id};
use crate::theme;
use crate::trn;
use crate::ui_ext::UiExt as _;
use crate::workspace::{Filter, Workspace};

/// A column's deals by the state of their next activity: late, today, planned, none.
pub(super) type Counts = [u64; 4];

/// The columns' counts as of a change, a day, a pipeline and a search.
pub(super) struct ActivityBars {
    key: (u64, NaiveDate, Id, Filter),
    counts: HashMap<Id, Counts>,
}

impl ActivityBars {
    /// Whether these counts are those of the board as it is.
    pub(super) fn is_for(&self, ws: &Workspace, pipeline: Id, filter: &Filter) -> bool {
        let (generation, today, shown, searched) = &self.key;
        *generation == ws.generation()
            && *today == ws.today()
            && *shown == pipeline
            && searched == filter
    }

    /// Counts the deals of each column `columns` gives (stage, its shown deals).
    pub(super) fn count<'a>(
        ws: &Workspace,
        pipeline: Id,
        filter: &Filter,
        columns: impl Iterator<Item = (Id, &'a [Id])>,
    ) -> ActivityBars {
        let today = ws.today();
        let counts = columns
            .map(|(stage, ids)| {
                let mut counts = Counts::default();
                for id in ids {
                    let slot = match ws
                        .next_activity(*id)
                        .map(|due| ActivityState::of(due, today))
                    {
                        Some(ActivityState::Late) => 0,
                        Some(ActivityState::Today) => 1,
                        Some(ActivityState::Planned) => 2,
                        None => 3,
                    };
                    counts[slot] += 1;
                }
                (stage, counts)
            })
            .collect();
        ActivityBars {
            key: (ws.generation(), today, pipeline, filter.clone()),
            counts,
        }
    }

    pub(super) fn of(&self, stage: Id) -> Counts {
        self.counts.get(&stage).copied().unwrap_or_default()
    }
}

/// The bar: its parts in the order late, today, planned, none, from where reading starts; the
/// counts on hover.
pub(super) fn bar_ui(ui: &mut egui::Ui, counts: Counts) {
    let total: u64 = counts.iter().sum();
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), 4.0), Sense::hover());
    if total == 0 {
        return;
    }
    let colors = [
        theme::colors(ui).activity_late,
        theme::colors(ui).activity_today,
        theme::colors(ui).activity_planned,
        theme::colors(ui).activity_none,
    ];
    let rtl = crate::i18n::right_to_left();
    let mut at = 0.0;
    for (count, color) in counts.into_iter().zip(colors) {
        let width = rect.width() * count as f32 / total as f32;
        let (left, right) = if rtl {
            (rect.right() - at - width, rect.right() - at)
        } else {
            (rect.left() + at, rect.left() + at + width)
        };
        let part = egui::Rect::from_x_y_ranges(left..=right, rect.y_range());
        ui.painter().rect_filled(part, 0.0, color);
        at += width;
    }
    let [late, today, planned, none] = counts;
    let said = [
        trn!(late, "{n} late"),
        trn!(today, "{n} due today"),
        trn!(planned, "{n} planned"),
        trn!(none, "{n} without an activity"),
    ]
    .join(" · ");
    response
        .on_hover_text(ui.rtl(said.clone()))
        .accessible_name(said);
}
