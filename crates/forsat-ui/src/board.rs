//! The pipeline board: a column per open stage with totals, draggable cards in the order the
//! user picks, Won and Lost drop zones while a card is dragged, and the filter bar above it.

mod activity_bar;
mod card;
mod close_zones;
mod sort;

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::{HashMap, HashSet};

use egui::{Align, FontId, RichText, ScrollArea, Sense, vec2};

use super::app::{Action, Ctx};
use super::cursor::{self, Step};
use super::empty::{Empty, empty_ui};
use super::theme;
use super::widgets::lookup_combo;
use crate::analytics::StageTotals;
use crate::analytics::reports::{GoalRow, Params, Rows, Scope};
use crate::domain::{Id, LookupKind, Show, Stage, StageKind};
use crate::i18n::{deals, format_count, format_money};
use crate::tr;
use crate::workspace::{CloseWindow, Filter, Workspace};
pub use sort::CardSort;

/// What a dragged card carries.
#[derive(Clone, Copy, Debug)]
struct CardDrag {
    opp: Id,
    from: Id,
}

/// The columns as shown when filtered or sorted otherwise than the workspace's columns,
/// recomputed only when the data, the filter, the pipeline or the order changes.
struct ShownColumns {
    generation: u64,
    filter: Filter,
    pipeline: Id,
    sort: CardSort,
    columns: HashMap<Id, (Vec<Id>, StageTotals)>,
}

/// The board view. Unfiltered and by priority, it reads the workspace's cached columns directly.
#[derive(Default)]
pub struct BoardView {
    shown: Option<ShownColumns>,
    /// Folded stages the user opened in this session.
    unfolded: HashSet<Id>,
    /// The cards' order, kept while the window is open.
    sort: CardSort,
    /// The card the arrows moved to, scrolled into sight when next drawn.
    reveal: Option<Id>,
    /// Where the cursor's card was last frame (column, row).
    cursor_at: Option<(usize, usize)>,
    /// The goals' progress for the header, as of a change and a day.
    goals: Option<((u64, chrono::NaiveDate, Id), Vec<GoalRow>)>,
    /// The columns' activity states.
    bars: Option<activity_bar::ActivityBars>,
}

impl BoardView {
    /// Draws the board of the pipeline shown.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let (ws, pipeline) = (cx.ws, cx.pipeline);
        // The list's status and trash are its own: the board shows the deals outside the
        // trash, open ones in its columns and closed ones in its Won and Lost zones.
        let filter = &Filter {
            show: Show::default(),
            ..cx.filter.clone()
        };
        let board = ui.max_rect();
        ui.horizontal(|ui| {
            sort_ui(ui, &mut self.sort);
            let goals = self.goal_rows(ws, pipeline);
            if !goals.is_empty() {
                ui.separator();
                crate::reports::goals::header_ui(ui, ws, goals, filter.salesperson);
            }
        });
        self.refresh(ws, filter, pipeline);
        let mut actions = Vec::new();
        let stages: Vec<&Stage> = ws.stages_of(pipeline).collect();
        self.count_activities(ws, pipeline, filter, &stages);
        let shown = stages
            .iter()
            .filter(|s| s.kind == StageKind::Open)
            .map(|s| self.column(ws, s.id).0.len())
            .sum();
        if let Some(empty) = Empty::of(ws, shown, !filter.is_empty(), false) {
            actions.extend(empty_ui(ui, cx, empty));
            return actions;
        }
        actions.extend(self.keys(ui.ctx(), cx, &stages));
        let reveal = self.reveal.take();

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
                        let (ids, totals) = self.column(ws, stage.id);
                        let (column, toggle) = if folded(stage) {
                            folded_column_ui(ui, ws, stage, totals)
                        } else {
                            let shown = Shown {
                                ids,
                                totals,
                                sort: self.sort,
                                reveal,
                                activities: self
                                    .bars
                                    .as_ref()
                                    .map(|b| b.of(stage.id))
                                    .unwrap_or_default(),
                            };
                            column_ui(ui, cx, stage, &shown, width)
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

        // Drawn last, over the columns, and only while a card is dragged.
        let closing: Vec<(&Stage, StageTotals)> = stages
            .iter()
            .filter(|s| s.kind != StageKind::Open)
            .map(|s| (*s, self.column(ws, s.id).1))
            .collect();
        let currency = &ws.settings().base_currency;
        actions.extend(close_zones::close_zones_ui(
            ui.ctx(),
            board,
            &closing,
            currency,
        ));
        actions
    }

    /// What the cursor keys ask: the cursor moved to another card (in sight when next drawn),
    /// or the deal under it opened. A deal under the cursor that left the board (won, lost,
    /// trashed) hands the cursor to the card now in its place, ready for the next key.
    fn keys(&mut self, ctx: &egui::Context, cx: &Ctx, stages: &[&Stage]) -> Option<Action> {
        // The columns whose cards show: open stages, not folded.
        let columns: Vec<&[Id]> = stages
            .iter()
            .filter(|s| s.kind == StageKind::Open && (!s.folded || self.unfolded.contains(&s.id)))
            .map(|s| self.column(cx.ws, s.id).0)
            .collect();
        let at = cx.cursor.and_then(|id| cursor::position(&columns, id));
        let follow = match (cx.cursor, at, self.cursor_at) {
            (Some(_), None, Some((column, row))) => cursor::nearest(&columns, column, row),
            _ => None,
        };
        let step = if follow.is_none() {
            cursor::step(ctx, cx.keys_free, cx.cursor.map(card::widget_id))
        } else {
            None
        };
        let to = match step {
            Some(Step::Open) => None,
            Some(step) => cursor::moved(&columns, cx.cursor.or(cx.selected), step),
            None => follow,
        };
        self.cursor_at = at;
        if step == Some(Step::Open) {
            return cx.cursor.map(Action::Edit);
        }
        let to = to?;
        self.reveal = Some(to);
        Some(Action::Select(to))
    }

    /// The goals' progress in the pipeline shown (as the Goals card shows it for that
    /// pipeline), worked out again after a change, past midnight or in another pipeline;
    /// nothing while there is no goal.
    fn goal_rows(&mut self, ws: &Workspace, pipeline: Id) -> &[GoalRow] {
        let key = (ws.generation(), ws.today(), pipeline);
        if self.goals.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = match ws.goals() {
                [] => Vec::new(),
                _ => match ws
                    .report(&Scope::of_pipeline(pipeline), &Params::Goals)
                    .rows
                {
                    Rows::Goals(rows) => rows,
                    _ => Vec::new(),
                },
            };
            self.goals = Some((key, rows));
        }
        self.goals.as_ref().map_or(&[], |(_, rows)| rows)
    }

    fn refresh(&mut self, ws: &Workspace, filter: &Filter, pipeline: Id) {
        let sort = self.sort;
        if filter.is_empty() && sort == CardSort::Priority {
            self.shown = None;
            return;
        }
        let fresh = self.shown.as_ref().is_some_and(|f| {
            f.generation == ws.generation()
                && f.filter == *filter
                && f.pipeline == pipeline
                && f.sort == sort
        });
        if fresh {
            return;
        }
        let columns = ws
            .stages_of(pipeline)
            .map(|stage| {
                let (mut ids, totals) = ws.filtered_column(stage.id, filter);
                // The workspace's columns are already by priority.
                if sort != CardSort::Priority {
                    sort.sort(ws, &mut ids);
                }
                (stage.id, (ids, totals))
            })
            .collect();
        self.shown = Some(ShownColumns {
            generation: ws.generation(),
            filter: filter.clone(),
            pipeline,
            sort,
            columns,
        });
    }

    /// Counts the open columns' deals by their next activity, when the board changed.
    fn count_activities(
        &mut self,
        ws: &Workspace,
        pipeline: Id,
        filter: &Filter,
        stages: &[&Stage],
    ) {
        if self
            .bars
            .as_ref()
            .is_some_and(|b| b.is_for(ws, pipeline, filter))
        {
            return;
        }
        let open = stages.iter().filter(|s| s.kind == StageKind::Open);
        let columns = open.map(|s| (s.id, self.column(ws, s.id).0));
        self.bars = Some(activity_bar::ActivityBars::count(
            ws, pipeline, filter, columns,
        ));
    }

    /// A stage's visible deal ids, in card order, and their totals.
    fn column<'a>(&'a self, ws: &'a Workspace, stage: Id) -> (&'a [Id], StageTotals) {
        match &self.shown {
            Some(f) => f
                .columns
                .get(&stage)
                .map_or((&[][..], StageTotals::ZERO), |(ids, t)| {
                    (ids.as_slice(), *t)
                }),
            None => {
                let column = ws.column(stage);
                (&column.ids, column.totals)
            }
        }
    }
}

/// The cards' order, named above the board so that no card's place is a mystery.
fn sort_ui(ui: &mut egui::Ui, sort: &mut CardSort) {
    ui.horizontal(|ui| {
        let label =
            ui.text(RichText::new(tr!("Cards sorted by")).color(theme::colors(ui).text_muted));
        egui::ComboBox::from_id_salt("card_sort")
            .selected_text(ui.rtl(sort.label()))
            .show_ui(ui, |ui| {
                for choice in CardSort::ALL {
                    ui.selectable_value_text(sort, choice, choice.label())
                        .on_hover_text(ui.rtl(choice.explanation()));
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(ui.rtl(sort.explanation()));
    });
}

/// What a column shows: its cards in order, their totals, their order, and the card to scroll
/// into sight.
struct Shown<'a> {
    ids: &'a [Id],
    totals: StageTotals,
    sort: CardSort,
    reveal: Option<Id>,
    /// Its deals by the state of their next activity.
    activities: activity_bar::Counts,
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
    let (_, dropped) = drop_zone_ui(ui, 8, |ui| {
        ui.set_width(theme::FOLDED_WIDTH - 16.0);
        ui.set_min_height(ui.available_height());
        let title = ui.text(RichText::new(&stage.name).strong().size(15.0));
        if !stage.requirements.is_empty() {
            title.on_hover_text(ui.rtl(&stage.requirements));
        }
        ui.text(RichText::new(deals(totals.count)).color(theme::colors(ui).text_muted));
        ui.text(
            RichText::new(format_money(totals.expected, &ws.settings().base_currency))
                .color(theme::colors(ui).text_muted),
        );
        show = ui
            .small_button_text(tr!("Show"))
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
/// While a card from another column is dragged over it, a line shows where the order will put
/// it; a card dropped back into its own column is not reordered, and the status bar says why.
fn column_ui(
    ui: &mut egui::Ui,
    cx: &Ctx,
    stage: &Stage,
    shown: &Shown<'_>,
    width: f32,
) -> (Vec<Action>, bool) {
    let &Shown {
        ids, totals, sort, ..
    } = shown;
    let ws = cx.ws;
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
                .fill(theme::colors(ui).column_fill)
                .corner_radius(theme::CARD_RADIUS)
                .inner_margin(egui::Margin::same(8))
                .show(ui, |ui| {
                    ui.set_width(width - 16.0);
                    ui.horizontal(|ui| {
                        let title =
                            ui.text(RichText::new(&stage.name).strong().size(15.0));
                        if !stage.requirements.is_empty() {
                            title.on_hover_text(ui.rtl(&stage.requirements));
                        }
                        ui.text(RichText::new(format_count(totals.count)).color(theme::colors(ui).text_muted));
                        ui.with_layout(direction::end_to_start(Align::Center), |ui| {
                            let add = ui
                                .small_button_text("+")
                                .accessible_name(tr!("New deal in {stage}", stage = stage.name))
                                .on_hover_text(ui.rtl(tr!("New deal in {stage}", stage = stage.name)));
                            if add.clicked() {
                                actions.push(Action::New { stage: stage.id });
                            }
                            fold = stage.folded
                                && ui
                                    .small_button_text(tr!("Fold"))
                                    .accessible_name(tr!("Fold {stage}", stage = stage.name))
                                    .clicked();
                        });
                    });
                    ui.horizontal(|ui| {
                        ui.text(RichText::new(format_money(totals.expected, currency))
                                .strong()
                                .color(theme::colors(ui).text_strong))
                        .on_hover_text(ui.rtl(tr!("Expected revenue")));
                        ui.text(RichText::new(tr!(
                                "weighted {amount}",
                                amount = format_money(totals.weighted, currency)
                            ))
                            .color(theme::colors(ui).text_muted))
                        .on_hover_text(ui.rtl(tr!("Expected revenue × probability")));
                    });
                    probability_bar_ui(ui, stage);
                    ui.add_space(2.0);
                    activity_bar::bar_ui(ui, shown.activities);
                });
            let (zone, dropped) = drop_zone_ui(ui, 6, |ui| {
                ui.set_width(width - 12.0);
                let scroll = ScrollArea::vertical()
                    .id_salt(("column", stage.id))
                    .auto_shrink(false)
                    .show_rows(ui, card_height, ids.len(), |ui, range| {
                        actions.extend(cards_ui(ui, cx, shown, range, card_height));
                    });
                (scroll.inner_rect, scroll.state.clamped_offset().y)
            });
            let (cards, scrolled) = zone.inner;
            let hovering = zone.response.dnd_hover_payload::<CardDrag>();
            if let Some(drag) = hovering.filter(|d| d.from != stage.id)
                && let Some(opp) = ws.opportunity(drag.opp)
            {
                let at = sort.landing(ws, ids, opp);
                let row = card_height + ui.spacing().item_spacing.y;
                let y = cards.top() - scrolled + at as f32 * row - ui.spacing().item_spacing.y / 2.0;
                drop_marker_ui(ui, cards, y, sort);
            }
            match dropped {
                Some(drag) if drag.from != stage.id => actions.push(Action::Move {
                    opp: drag.opp,
                    stage: stage.id,
                }),
                Some(_) => actions.push(Action::Done(tr!(
                    "The cards are sorted by {sort}: a card cannot be placed by hand. Choose the order in “Cards sorted by” above the board.",
                    sort = sort.label()
                ))),
                None => {}
            }
        },
    );
    (actions, fold)
}

/// The cards of `shown` in the rows `range` (those in sight), the one to reveal scrolled to.
fn cards_ui(
    ui: &mut egui::Ui,
    cx: &Ctx,
    shown: &Shown<'_>,
    range: std::ops::Range<usize>,
    card_height: f32,
) -> Vec<Action> {
    let ids = shown.ids;
    if let Some(at) = shown
        .reveal
        .and_then(|r| ids.iter().position(|id| *id == r))
    {
        reveal_row(ui, at, range.start, card_height);
    }
    ids[range]
        .iter()
        .filter_map(|id| cx.ws.opportunity(*id))
        .filter_map(|opp| {
            let look = card::Look {
                selected: cx.selected == Some(opp.id),
                cursor: cx.cursor == Some(opp.id),
            };
            card::card_ui(ui, cx.ws, opp, look, card_height, cx.predictions)
        })
        .collect()
}

/// Scrolls the card at row `at` into sight, from inside the column's scroll area whose rows
/// drawn start at `first`: the card may be out of them.
fn reveal_row(ui: &egui::Ui, at: usize, first: usize, card_height: f32) {
    let row = card_height + ui.spacing().item_spacing.y;
    let top = ui.max_rect().top() + (at as f32 - first as f32) * row;
    let rect = egui::Rect::from_min_size(
        egui::pos2(ui.max_rect().left(), top),
        vec2(ui.max_rect().width(), card_height),
    );
    ui.scroll_to_rect(rect, None);
}

/// The line across `cards` at `y` where a dropped card will land, with the order that puts it
/// there; at the top or bottom edge, with an arrow, when that place is scrolled out of sight.
fn drop_marker_ui(ui: &egui::Ui, cards: egui::Rect, y: f32, sort: CardSort) {
    let (top, bottom) = (cards.top() + 2.0, cards.bottom() - 2.0);
    // Which way the place is, when it is out of sight (-1 above, 1 below); the gap above the
    // first card and below the last is in sight.
    let slack = ui.spacing().item_spacing.y;
    let beyond = if y < cards.top() - slack {
        -1.0
    } else if y > cards.bottom() + slack {
        1.0
    } else {
        0.0
    };
    let y = y.clamp(top, bottom);
    let painter = ui.painter();
    let stroke = egui::Stroke::new(3.0, theme::colors(ui).drop_marker);
    painter.hline(cards.x_range().shrink(2.0), y, stroke);
    let job = egui::text::LayoutJob::simple_singleline(
        tr!("Lands here · by {sort}", sort = sort.label()),
        FontId::proportional(11.5),
        theme::TEXT_ON_COLOR,
    );
    let galley = painter.layout_job(crate::text::bidi_job(job));
    let pill = egui::Rect::from_center_size(
        egui::pos2(cards.center().x, y),
        galley.size() + vec2(12.0, 4.0),
    );
    // Kept inside the column at its edges.
    let pill = pill.translate(vec2(
        0.0,
        (cards.top() - pill.top()).max(0.0) + (cards.bottom() - pill.bottom()).min(0.0),
    ));
    painter.rect_filled(pill, theme::CHIP_RADIUS, theme::colors(ui).drop_marker);
    painter.galley(pill.min + vec2(6.0, 2.0), galley, theme::TEXT_ON_COLOR);
    if beyond != 0.0 {
        // An arrowhead beside the pill, pointing to the place out of sight.
        let tip = egui::pos2(pill.right() + 12.0, y + beyond * 8.0);
        let base = y - beyond * 2.0;
        painter.add(egui::Shape::convex_polygon(
            vec![
                tip,
                egui::pos2(tip.x - 7.0, base),
                egui::pos2(tip.x + 7.0, base),
            ],
            theme::colors(ui).drop_marker,
            egui::Stroke::NONE,
        ));
    }
}

/// A column's body, taking dropped cards. egui's own drop zone turns a hovered one dark grey;
/// this one tints it light blue with a blue edge, and keeps its size (nothing moves).
fn drop_zone_ui<R>(
    ui: &mut egui::Ui,
    margin: i8,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> (egui::InnerResponse<R>, Option<std::sync::Arc<CardDrag>>) {
    let mut frame = egui::Frame::new()
        .fill(theme::colors(ui).column_fill)
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(egui::Margin::same(margin))
        .begin(ui);
    let inner = add(&mut frame.content_ui);
    let response = frame.allocate_space(ui);
    if response.dnd_hover_payload::<CardDrag>().is_some() {
        frame.frame.fill = theme::colors(ui).column_drop_fill;
        frame.frame.stroke = egui::Stroke::new(2.0, theme::colors(ui).column_drop_stroke);
    }
    frame.paint(ui);
    let dropped = response.dnd_release_payload::<CardDrag>();
    (egui::InnerResponse::new(inner, response), dropped)
}

/// A thin bar under the column header showing the stage's default probability.
fn probability_bar_ui(ui: &mut egui::Ui, stage: &Stage) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 3.0), Sense::hover());
    ui.painter()
        .rect_filled(rect, 1.5, theme::colors(ui).card_stroke);
    let share =
        (stage.probability.to_string().parse::<f32>().unwrap_or(0.0) / 100.0).clamp(0.0, 1.0);
    let mut filled = rect;
    filled.set_width(rect.width() * share);
    ui.painter()
        .rect_filled(filled, 1.5, theme::colors(ui).progress);
}

/// The filter bar: text, salesperson and expected-close window. `focus`: the search takes the
/// keyboard (`/`, Ctrl+F); Escape in it clears it and gives the keyboard back to the board.
pub fn filter_bar_ui(ui: &mut egui::Ui, ws: &Workspace, filter: &mut Filter, focus: &mut bool) {
    let label = ui.text(tr!("Search"));
    let id = ui.make_persistent_id("deal_search");
    // egui drops the field's focus on Escape before it is drawn: it had it last frame.
    let cleared = ui.memory(|m| m.had_focus_last_frame(id))
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
    if cleared {
        filter.text.clear();
    }
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut filter.text)
                .id(id)
                .hint_text(ui.rtl(tr!("name, account, next step…")))
                .desired_width(200.0),
        )
        .labelled_by(label.id)
        .on_hover_text(ui.rtl(tr!("Search deals (/ or Ctrl+F); Escape clears")));
    if *focus || search.gained_focus() {
        // Folding every deal's text for the search takes a moment at a million: now, not
        // at the first keystroke.
        ws.prepare_search();
    }
    if std::mem::take(focus) {
        search.request_focus();
    } else if cleared {
        // The arrows and letters are the board's and the list's again.
        search.surrender_focus();
    }
    let label = ui.text(tr!("Salesperson"));
    lookup_combo(
        ui,
        label.id,
        ws,
        LookupKind::Salesperson,
        &mut filter.salesperson,
        &tr!("Everyone"),
    );
    let label = ui.text(tr!("Closing"));
    egui::ComboBox::from_id_salt("filter_close")
        .selected_text(ui.rtl(filter.close.label()))
        .show_ui(ui, |ui| {
            for window in CloseWindow::ALL {
                ui.selectable_value_text(&mut filter.close, window, window.label());
            }
        })
        .response
        .labelled_by(label.id);
    // Always there (greyed out without a filter), so what follows never shifts when it appears.
    let clear = ui.add_enabled(
        !filter.is_empty(),
        egui::Button::new(ui.rtl(tr!("Clear filters"))),
    );
    if clear.clicked() {
        *filter = Filter::default();
    }
}
