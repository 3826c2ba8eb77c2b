//! The pipeline board: a column per open stage with totals, draggable cards, Won and Lost drop
//! zones, and the filter bar above it.

use crate::ui::direction;
use crate::ui::text::bidi;
use std::collections::{HashMap, HashSet};

use egui::{Align, FontId, RichText, ScrollArea, Sense, Stroke, vec2};

use super::app::{Action, Ctx};
use super::theme;
use super::widgets::{lookup_combo, paint_card_frame, paint_priority, text_line};
use crate::analytics::StageTotals;
use crate::domain::{ActivityState, Id, LookupKind, Opportunity, Stage, StageKind};
use crate::i18n::{deals, format_count, format_date, format_money, format_percent};
use crate::workspace::{CloseWindow, Filter, Workspace};
use crate::{tr, trn};

/// What a dragged card carries.
#[derive(Clone, Copy, Debug)]
struct CardDrag {
    opp: Id,
    from: Id,
}

/// Filtered columns, recomputed only when the data, the filter or the pipeline changes.
struct FilteredColumns {
    generation: u64,
    filter: Filter,
    pipeline: Id,
    columns: HashMap<Id, (Vec<Id>, StageTotals)>,
}

/// The board view. Without a filter it reads the workspace's cached columns directly.
#[derive(Default)]
pub struct BoardView {
    filtered: Option<FilteredColumns>,
    /// Folded stages the user opened in this session.
    unfolded: HashSet<Id>,
}

impl BoardView {
    /// Draws the board of `pipeline`; `selected` is the deal open in the form.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Ctx,
        filter: &Filter,
        pipeline: Id,
        selected: Option<Id>,
    ) -> Vec<Action> {
        let ws = cx.ws;
        // The trash is the list's: the board always shows the deals outside it.
        let filter = &Filter {
            trash: false,
            ..filter.clone()
        };
        self.refresh(ws, filter, pipeline);
        let mut actions = Vec::new();
        let stages: Vec<&Stage> = ws.stages_of(pipeline).collect();

        egui::Panel::bottom("close_zones")
            .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(0, 6)))
            .show_separator_line(false)
            .show(ui, |ui| {
                direction::reading(ui, |ui| {
                    ui.columns(2, |cols| {
                        // Won where reading starts.
                        let mut kinds = [StageKind::Won, StageKind::Lost];
                        if crate::i18n::right_to_left() {
                            kinds.reverse();
                        }
                        for (ui, kind) in cols.iter_mut().zip(kinds) {
                            if let Some(stage) = stages.iter().find(|s| s.kind == kind) {
                                let (_, totals) = self.column(ws, filter, stage.id);
                                let currency = &ws.settings().base_currency;
                                actions.extend(close_zone_ui(ui, stage, totals, currency));
                            }
                        }
                    });
                })
                .inner
            });

        ScrollArea::horizontal()
            .id_salt("board")
            .auto_shrink(false)
            .show(ui, |ui| {
                let open: Vec<&&Stage> = stages
                    .iter()
                    .filter(|s| s.kind == StageKind::Open)
                    .collect();
                let folded = |s: &Stage| s.folded && !self.unfolded.contains(&s.id);
                let (narrow, wide) =
                    open.iter().fold(
                        (0, 0),
                        |(n, w), s| {
                            if folded(s) { (n + 1, w) } else { (n, w + 1) }
                        },
                    );
                // Columns share the width left by folded ones, within readable bounds; beyond
                // that the board scrolls.
                let gap = ui.spacing().item_spacing.x;
                let room = ui.available_width() - narrow as f32 * (theme::FOLDED_WIDTH + gap);
                let width = (room / wide.max(1) as f32 - gap)
                    .clamp(theme::COLUMN_WIDTH, theme::COLUMN_MAX_WIDTH);
                let mut toggled = None;
                ui.horizontal_top(|ui| {
                    for stage in open {
                        let (ids, totals) = self.column(ws, filter, stage.id);
                        let (column, toggle) = if folded(stage) {
                            folded_column_ui(ui, ws, stage, totals)
                        } else {
                            column_ui(ui, ws, stage, ids, totals, selected, width)
                        };
                        actions.extend(column);
                        if toggle {
                            toggled = Some(stage.id);
                        }
                    }
                });
                if let Some(stage) = toggled
                    && !self.unfolded.remove(&stage)
                {
                    self.unfolded.insert(stage);
                }
            });
        actions
    }

    fn refresh(&mut self, ws: &Workspace, filter: &Filter, pipeline: Id) {
        if filter.is_empty() {
            self.filtered = None;
            return;
        }
        let fresh = self.filtered.as_ref().is_some_and(|f| {
            f.generation == ws.generation() && f.filter == *filter && f.pipeline == pipeline
        });
        if fresh {
            return;
        }
        let columns = ws
            .stages_of(pipeline)
            .map(|stage| {
                let ids = ws.filtered_column(stage.id, filter);
                let totals =
                    StageTotals::of(ids.iter().filter_map(|id| ws.opportunity(*id)), ws.rates());
                (stage.id, (ids, totals))
            })
            .collect();
        self.filtered = Some(FilteredColumns {
            generation: ws.generation(),
            filter: filter.clone(),
            pipeline,
            columns,
        });
    }

    /// A stage's visible deal ids and their totals.
    fn column<'a>(
        &'a self,
        ws: &'a Workspace,
        filter: &Filter,
        stage: Id,
    ) -> (&'a [Id], StageTotals) {
        match &self.filtered {
            Some(f) if !filter.is_empty() => f
                .columns
                .get(&stage)
                .map_or((&[][..], StageTotals::ZERO), |(ids, t)| {
                    (ids.as_slice(), *t)
                }),
            _ => {
                let column = ws.column(stage);
                (&column.ids, column.totals)
            }
        }
    }
}

/// A folded stage: a narrow column with its name and totals that takes dropped cards; "Show"
/// unfolds it for the session. Returns the actions and whether "Show" was clicked.
fn folded_column_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    stage: &Stage,
    totals: StageTotals,
) -> (Vec<Action>, bool) {
    let mut actions = Vec::new();
    let mut show = false;
    let frame = egui::Frame::new()
        .fill(theme::COLUMN_FILL)
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(egui::Margin::same(8));
    let (_, dropped) = ui.dnd_drop_zone::<CardDrag, ()>(frame, |ui| {
        ui.set_width(theme::FOLDED_WIDTH - 16.0);
        ui.set_min_height(ui.available_height());
        let title = ui.label(bidi(ui, RichText::new(&stage.name).strong().size(15.0)));
        if !stage.requirements.is_empty() {
            title.on_hover_text(bidi(ui, &stage.requirements));
        }
        ui.label(bidi(
            ui,
            RichText::new(deals(totals.count)).color(theme::TEXT_MUTED),
        ));
        ui.label(bidi(
            ui,
            RichText::new(format_money(totals.expected, &ws.settings().base_currency))
                .color(theme::TEXT_MUTED),
        ));
        show = ui
            .small_button(bidi(ui, tr!("Show")))
            .accessible_name(tr!("Show the cards of {stage}", stage = stage.name))
            .clicked();
    });
    if let Some(drag) = dropped.filter(|d| d.from != stage.id) {
        actions.push(Action::Move {
            opp: drag.opp,
            stage: stage.id,
        });
    }
    (actions, show)
}

/// A stage's column; for a folded stage shown anyway, returns whether "Fold" was clicked.
fn column_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    stage: &Stage,
    ids: &[Id],
    totals: StageTotals,
    selected: Option<Id>,
    width: f32,
) -> (Vec<Action>, bool) {
    let mut fold = false;
    let mut actions = Vec::new();
    let currency = &ws.settings().base_currency;
    // Once per column: it asks the fonts for four row heights.
    let card_height = theme::card_height(ui.ctx());
    ui.allocate_ui_with_layout(
        vec2(width, ui.available_height()),
        direction::top_down_start(),
        |ui| {
            egui::Frame::new()
                .fill(theme::COLUMN_FILL)
                .corner_radius(theme::CARD_RADIUS)
                .inner_margin(egui::Margin::same(8))
                .show(ui, |ui| {
                    ui.set_width(width - 16.0);
                    ui.horizontal(|ui| {
                        let title =
                            ui.label(bidi(ui, RichText::new(&stage.name).strong().size(15.0)));
                        if !stage.requirements.is_empty() {
                            title.on_hover_text(bidi(ui, &stage.requirements));
                        }
                        ui.label(bidi(
                            ui,
                            RichText::new(format_count(totals.count)).color(theme::TEXT_MUTED),
                        ));
                        ui.with_layout(direction::end_to_start(Align::Center), |ui| {
                            let add = ui
                                .small_button(bidi(ui, "+"))
                                .accessible_name(tr!("New deal in {stage}", stage = stage.name))
                                .on_hover_text(bidi(
                                    ui,
                                    tr!("New deal in {stage}", stage = stage.name),
                                ));
                            if add.clicked() {
                                actions.push(Action::New { stage: stage.id });
                            }
                            fold = stage.folded
                                && ui
                                    .small_button(bidi(ui, tr!("Fold")))
                                    .accessible_name(tr!("Fold {stage}", stage = stage.name))
                                    .clicked();
                        });
                    });
                    ui.horizontal(|ui| {
                        ui.label(bidi(
                            ui,
                            RichText::new(format_money(totals.expected, currency))
                                .strong()
                                .color(theme::TEXT_STRONG),
                        ))
                        .on_hover_text(bidi(ui, tr!("Expected revenue")));
                        ui.label(bidi(
                            ui,
                            RichText::new(tr!(
                                "weighted {amount}",
                                amount = format_money(totals.weighted, currency)
                            ))
                            .color(theme::TEXT_MUTED),
                        ))
                        .on_hover_text(bidi(ui, tr!("Expected revenue × probability")));
                    });
                    probability_bar_ui(ui, stage);
                });
            let frame = egui::Frame::new()
                .fill(theme::COLUMN_FILL)
                .corner_radius(theme::CARD_RADIUS)
                .inner_margin(egui::Margin::same(6));
            let (_, dropped) = ui.dnd_drop_zone::<CardDrag, ()>(frame, |ui| {
                ui.set_width(width - 12.0);
                ScrollArea::vertical()
                    .id_salt(("column", stage.id))
                    .auto_shrink(false)
                    .show_rows(ui, card_height, ids.len(), |ui, range| {
                        for id in &ids[range] {
                            if let Some(opp) = ws.opportunity(*id) {
                                actions.extend(card_ui(
                                    ui,
                                    ws,
                                    opp,
                                    selected == Some(*id),
                                    card_height,
                                ));
                            }
                        }
                    });
            });
            if let Some(drag) = dropped
                && drag.from != stage.id
            {
                actions.push(Action::Move {
                    opp: drag.opp,
                    stage: stage.id,
                });
            }
        },
    );
    (actions, fold)
}

/// A thin bar under the column header showing the stage's default probability.
fn probability_bar_ui(ui: &mut egui::Ui, stage: &Stage) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 3.0), Sense::hover());
    ui.painter().rect_filled(rect, 1.5, theme::CARD_STROKE);
    let share =
        (stage.probability.to_string().parse::<f32>().unwrap_or(0.0) / 100.0).clamp(0.0, 1.0);
    let mut filled = rect;
    filled.set_width(rect.width() * share);
    ui.painter().rect_filled(filled, 1.5, theme::PROGRESS);
}

/// One deal's card: painted directly (no child widgets), clickable and draggable. While it is
/// dragged, a faded placeholder keeps its place and the card follows the pointer.
fn card_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: &Opportunity,
    selected: bool,
    height: f32,
) -> Option<Action> {
    let id = egui::Id::unique(("card", opp.id));
    let size = vec2(ui.available_width(), height);
    if ui.ctx().is_being_dragged(id) {
        egui::DragAndDrop::set_payload(
            ui.ctx(),
            CardDrag {
                opp: opp.id,
                from: opp.stage,
            },
        );
        let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
        ui.painter().rect_filled(
            rect,
            theme::CARD_RADIUS,
            theme::CARD_STROKE.gamma_multiply(0.5),
        );
        if let Some(pointer) = ui.ctx().pointer_interact_pos() {
            let layer = egui::LayerId::new(egui::Order::Tooltip, id);
            let floating = egui::Rect::from_center_size(pointer, size);
            paint_card(&ui.ctx().layer_painter(layer), floating, ws, opp, true);
        }
        return None;
    }
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let response = ui
        .interact(rect, id, Sense::click_and_drag())
        .on_hover_cursor(egui::CursorIcon::Grab);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &opp.name));
    if ui.is_rect_visible(rect) {
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        paint_card(&painter, rect, ws, opp, selected || response.hovered());
    }
    response.clicked().then_some(Action::Open(opp.id))
}

fn paint_card(
    painter: &egui::Painter,
    rect: egui::Rect,
    ws: &Workspace,
    opp: &Opportunity,
    highlight: bool,
) {
    paint_card_frame(painter, rect, highlight, false);
    // A deal sitting in its stage too long has an amber edge and says for how long.
    let stale = ws.stale_days(opp);
    if stale.is_some() && !highlight {
        painter.rect_stroke(
            rect,
            theme::CARD_RADIUS,
            Stroke::new(2.0, theme::STALE),
            egui::StrokeKind::Inside,
        );
    }
    let inner = rect.shrink2(vec2(
        theme::CARD_MARGIN.left as f32,
        theme::CARD_MARGIN.top as f32,
    ));
    let width = inner.width();
    let account = ws.account(opp.account).map_or("", |a| a.name.as_str());
    let (left, right) = (inner.left(), inner.right());
    // Lines start where reading does: mirrored in right-to-left languages.
    let rtl = crate::i18n::right_to_left();
    let from_start = |offset: f32| if rtl { right - offset } else { left + offset };
    let at_start = |offset: f32, y: f32, text: &str, font: FontId, color, max: f32| {
        text_line(
            painter,
            egui::pos2(from_start(offset), y),
            rtl,
            text,
            font,
            color,
            max,
        )
    };
    let line = |y: f32, text: &str, size: f32, color, max: f32| {
        at_start(0.0, y, text, FontId::proportional(size), color, max).bottom()
    };
    let name_bottom = line(inner.top(), &opp.name, 14.0, theme::TEXT_STRONG, width);
    let account_bottom = line(name_bottom + 2.0, account, 12.5, theme::TEXT_MUTED, width);
    let y = account_bottom + 5.0;
    let money = format_money(opp.amount, &opp.currency);
    let amount_bottom = line(y, &money, 13.5, theme::TEXT_STRONG, width * 0.6);
    let percent = format_percent(opp.probability);
    let font = FontId::proportional(12.5);
    text_line(
        painter,
        egui::pos2(from_start(width), y),
        !rtl,
        &percent,
        font,
        theme::TEXT_MUTED,
        width * 0.4,
    );
    let y = amount_bottom + 3.0;
    let mut offset = 0.0;
    if let Some(date) = opp.expected_close {
        let overdue = opp.is_overdue(ws.today());
        let color = if overdue {
            theme::OVERDUE
        } else {
            theme::TEXT_MUTED
        };
        let font = FontId::proportional(12.0);
        offset = at_start(0.0, y, &format_date(date), font, color, width * 0.4).width() + 8.0;
    }
    if let Some(days) = stale {
        at_start(
            offset,
            y,
            &trn!(days, "stale {n} days"),
            FontId::proportional(12.0),
            theme::STALE,
            (width - 64.0 - offset).max(1.0),
        );
    }
    // The next activity's dot sits before the stars, which take up to 3 × 14 px at the end.
    painter.circle_filled(
        egui::pos2(from_start(width - 56.0), y + 7.0),
        4.5,
        next_activity_color(ws, opp.id),
    );
    paint_priority(
        painter,
        egui::pos2(if rtl { left + 44.0 } else { right }, y),
        14.0,
        opp.priority,
        theme::STAR,
    );
}

/// The colour of a card's next-activity dot: late red, today amber, planned green, none grey.
fn next_activity_color(ws: &Workspace, opp: Id) -> egui::Color32 {
    let state = ws
        .next_activity(opp)
        .map(|due| ActivityState::of(due, ws.today()));
    match state {
        Some(ActivityState::Late) => theme::ACTIVITY_LATE,
        Some(ActivityState::Today) => theme::ACTIVITY_TODAY,
        Some(ActivityState::Planned) => theme::ACTIVITY_PLANNED,
        None => theme::ACTIVITY_NONE,
    }
}

/// The Won or Lost drop zone under the columns, with that stage's totals.
fn close_zone_ui(
    ui: &mut egui::Ui,
    stage: &Stage,
    totals: StageTotals,
    currency: &str,
) -> Option<Action> {
    let color = if stage.kind == StageKind::Won {
        theme::WON
    } else {
        theme::LOST
    };
    let frame = egui::Frame::new()
        .fill(color.gamma_multiply(0.08))
        .stroke(Stroke::new(1.0, color.gamma_multiply(0.5)))
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(egui::Margin::symmetric(12, 6));
    let (_, dropped) = ui.dnd_drop_zone::<CardDrag, ()>(frame, |ui| {
        ui.set_width(ui.available_width());
        ui.set_height(theme::CLOSE_ZONE_HEIGHT - 12.0);
        ui.horizontal_centered(|ui| {
            ui.label(bidi(
                ui,
                RichText::new(&stage.name).strong().size(15.0).color(color),
            ));
            ui.label(bidi(
                ui,
                RichText::new(tr!(
                    "{deals} · {amount}",
                    deals = deals(totals.count),
                    amount = format_money(totals.expected, currency)
                ))
                .color(theme::TEXT_MUTED),
            ));
            ui.with_layout(direction::end_to_start(Align::Center), |ui| {
                // Only where it fits (longer languages), never over the totals: cut short, a
                // right-to-left line would lose its beginning.
                let hint = bidi(
                    ui,
                    RichText::new(tr!(
                        "Drop a card here to mark it {stage}",
                        stage = stage.name
                    ))
                    .italics()
                    .color(theme::TEXT_MUTED),
                );
                let galley = hint.into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Body,
                );
                if galley.size().x <= ui.available_width() {
                    ui.label(galley);
                }
            });
        });
    });
    dropped
        .filter(|d| d.from != stage.id)
        .map(|d| Action::Move {
            opp: d.opp,
            stage: stage.id,
        })
}

/// The filter bar: text, salesperson and expected-close window.
pub fn filter_bar_ui(ui: &mut egui::Ui, ws: &Workspace, filter: &mut Filter) {
    let label = ui.label(bidi(ui, tr!("Search")));
    ui.add(
        egui::TextEdit::singleline(&mut filter.text)
            .hint_text(bidi(ui, tr!("name, account, next step…")))
            .desired_width(200.0),
    )
    .labelled_by(label.id);
    let label = ui.label(bidi(ui, tr!("Salesperson")));
    lookup_combo(
        ui,
        label.id,
        ws,
        LookupKind::Salesperson,
        &mut filter.salesperson,
        &tr!("Everyone"),
    );
    let label = ui.label(bidi(ui, tr!("Closing")));
    egui::ComboBox::from_id_salt("filter_close")
        .selected_text(bidi(ui, filter.close.label()))
        .show_ui(ui, |ui| {
            for window in CloseWindow::ALL {
                ui.selectable_value(&mut filter.close, window, bidi(ui, window.label()));
            }
        })
        .response
        .labelled_by(label.id);
    // Always there (greyed out without a filter), so what follows never shifts when it appears.
    let clear = ui.add_enabled(
        !filter.is_empty(),
        egui::Button::new(bidi(ui, tr!("Clear filters"))),
    );
    if clear.clicked() {
        *filter = Filter::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{Change, Command};
    use crate::domain::{Activity, ActivityKind, ActivityLink, Record};
    use chrono::{Days, TimeZone as _};

    #[test]
    fn a_card_shows_its_next_activity_in_colour() {
        let dir = tempfile::tempdir().unwrap();
        let clock: crate::workspace::Clock =
            std::sync::Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let mut ws = Workspace::open(&dir.path().join("f.redb"), clock).unwrap();
        let stage = ws
            .stage_of_kind(ws.default_pipeline().id, StageKind::Open)
            .unwrap()
            .clone();
        let opp = Opportunity::draft(&Default::default(), &stage, ws.settings(), ws.now());
        let id = ws
            .apply(Command::CreateOpportunity {
                opp: Box::new(opp),
                new_account: Some("Acme".into()),
            })
            .unwrap()
            .created
            .unwrap();
        assert_eq!(next_activity_color(&ws, id), theme::ACTIVITY_NONE);
        let today = ws.today();
        let plan = |ws: &mut Workspace, due, summary: &str| {
            let activity = Activity {
                id: 0,
                kind: ActivityKind::Call,
                summary: summary.into(),
                due,
                done: false,
                link: ActivityLink::Opportunity(id),
            };
            ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
                activity,
            )))))
            .unwrap();
        };
        plan(&mut ws, today + Days::new(3), "planned");
        assert_eq!(next_activity_color(&ws, id), theme::ACTIVITY_PLANNED);
        plan(&mut ws, today, "today");
        assert_eq!(next_activity_color(&ws, id), theme::ACTIVITY_TODAY);
        plan(&mut ws, today - Days::new(1), "late");
        assert_eq!(next_activity_color(&ws, id), theme::ACTIVITY_LATE);
    }
}
