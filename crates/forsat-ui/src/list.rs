//! The opportunity list: a virtualised table sortable by any column, with inline editing of the
//! fields people fix in bulk and the totals of the rows shown.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashSet;

use egui::{Align, RichText, Sense};
use egui_extras::{Column, TableBuilder};

mod cells;

use super::app::{Action, Ctx};
use super::cursor::Step;
use super::empty::{Empty, empty_ui};
use super::mass_update::MassUpdateBar;
use super::reply::{Reply, Sent};
use super::theme;
use super::widgets::sticky_menu_ui;
use crate::command::Command;
use crate::domain::{Id, Show, duplicate_groups};
use crate::i18n::{deals, format_money_cents};
use crate::workspace::{Filter, ListColumn, ListTotals, Sort, Workspace};
use crate::{tr, trn};
use cells::{CellEdit, initial_width, is_number, number_layout};

/// Height of a row; fixed, so the table lays out only the visible rows.
const ROW_HEIGHT: f32 = 26.0;

/// The rows in order, recomputed only when the data, the filter or the order changes.
struct Rows {
    generation: u64,
    filter: Filter,
    pipeline: Id,
    sort: Sort,
    ids: Vec<Id>,
    totals: ListTotals,
}

/// A transient restriction of the rows to some deals (a funnel stage's), on top of the
/// search; unlike the search it is never saved.
struct Pinned {
    label: String,
    ids: HashSet<Id>,
}

/// The part of the keyboard's ring around a row in one of its cells: its top and bottom, and
/// its ends in the `first` and `last` cells. Drawn cell by cell, so the table's clipping holds.
fn ring_ui(ui: &egui::Ui, first: bool, last: bool) {
    // Inside the cell's height (the cell clips what is beyond); across the gap to the next cell.
    let rect = ui
        .max_rect()
        .expand2(egui::vec2(ui.spacing().item_spacing.x / 2.0, -1.0));
    let stroke = egui::Stroke::new(2.0, super::theme::colors(ui).focus_ring);
    let painter = ui.painter();
    painter.hline(rect.x_range(), rect.top(), stroke);
    painter.hline(rect.x_range(), rect.bottom(), stroke);
    if first {
        painter.vline(rect.left(), rect.y_range(), stroke);
    }
    if last {
        painter.vline(rect.right(), rect.y_range(), stroke);
    }
}

/// The rows that stand out: the deal open in the form, the one the keyboard is on, and the
/// row to scroll into sight (the arrows moved there).
#[derive(Clone, Copy)]
struct Marks {
    selected: Option<Id>,
    cursor: Option<Id>,
    reveal: Option<usize>,
}

/// Which cell a sent command changes.
type Cell = (Id, ListColumn);

/// The list view.
#[derive(Default)]
pub struct ListView {
    sort: Sort,
    rows: Option<Rows>,
    editing: Option<CellEdit>,
    /// Selected deals, for mass updates.
    selection: HashSet<Id>,
    /// The row a Shift-click selects from.
    anchor: Option<Id>,
    /// A name clicked this frame, with the keys held; handled after the table is drawn.
    clicked: Option<(Id, egui::Modifiers)>,
    mass_update: MassUpdateBar,
    /// Duplicate groups found by "Find duplicates", with the data generation they were found at.
    duplicates: Option<(u64, Vec<Vec<Id>>)>,
    pinned: Option<Pinned>,
    /// The cell edit sent, until its reply says whether it was saved.
    sent: Option<Sent<Cell>>,
    /// The widths the user gave columns (remembered between runs); the others start at
    /// [`initial_width`].
    widths: Vec<(ListColumn, f32)>,
}

impl ListView {
    /// The widths the user gave the columns.
    pub fn widths(&self) -> &[(ListColumn, f32)] {
        &self.widths
    }

    /// Starts the columns at the widths remembered.
    pub fn set_widths(&mut self, widths: Vec<(ListColumn, f32)>) {
        self.widths = widths;
    }

    fn width(&self, column: ListColumn) -> f32 {
        self.widths
            .iter()
            .find(|(c, _)| *c == column)
            .map_or_else(|| initial_width(column), |(_, w)| *w)
    }

    /// The deals the list shows (its search, in its order) and those selected, for an export.
    pub fn shown_and_selected(
        &mut self,
        ws: &Workspace,
        filter: &Filter,
        pipeline: Id,
    ) -> (Vec<Id>, Vec<Id>) {
        // The list may not have been drawn since the data or the search changed.
        self.refresh(ws, filter, pipeline);
        let shown: Vec<Id> = self
            .rows
            .as_ref()
            .map(|r| r.ids.clone())
            .unwrap_or_default();
        let selected = shown
            .iter()
            .copied()
            .filter(|id| self.selection.contains(id))
            .collect();
        (shown, selected)
    }

    /// Shows only `ids` (and what the search lets through of them) until the chip's ✖ is
    /// clicked; `label` says what they are.
    pub fn pin(&mut self, label: String, ids: impl IntoIterator<Item = Id>) {
        self.pinned = Some(Pinned {
            label,
            ids: ids.into_iter().collect(),
        });
        self.rows = None;
        self.selection.clear();
    }

    /// Draws the deals of the pipeline shown; a status or the trash picked is a new filter.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let (ws, filter) = (cx.ws, cx.filter);
        self.refresh(ws, filter, cx.pipeline);
        let mut actions = Vec::new();
        if let Some((cell, reply)) = cx.replies.take(&mut self.sent) {
            self.settle(cell, &reply, &mut actions);
        }
        // Taken out for the frame, so cells can borrow `self` mutably; never cloned per frame.
        let Some(rows) = self.rows.take() else {
            return actions;
        };
        egui::Panel::bottom("list_totals").show(ui, |ui| {
            direction::reading(ui, |ui| {
                self.totals_bar_ui(ui, ws, filter, &rows.totals, &mut actions);
            });
        });
        egui::Panel::top("list_status").show(ui, |ui| {
            direction::reading(ui, |ui| {
                if let Some(show) = status_ui(ui, filter.show) {
                    actions.push(showing(filter, show));
                }
            });
        });
        self.duplicates_panel_ui(ui, ws, &mut actions);
        let unpinned = self
            .pinned
            .as_ref()
            .is_some_and(|p| pinned_chip_ui(ui, &p.label, rows.ids.len()));
        if unpinned {
            self.pinned = None;
        }
        // Always there, so a first Ctrl-click does not push the rows down under the pointer.
        egui::Panel::top("mass_update").show(ui, |ui| {
            direction::reading(ui, |ui| {
                let bar = self.mass_update.ui(ui, cx, &mut self.selection, &rows.ids);
                actions.extend(bar);
            });
        });
        if rows.ids.is_empty() {
            let filtered = !filter.is_empty() || self.pinned.is_some();
            match Empty::of(ws, 0, filtered, filter.is_trash()) {
                Some(empty) => actions.extend(empty_ui(ui, cx, empty)),
                // Unfiltered, no open deal: the closed ones are a click away.
                None => {
                    if no_open_deal_ui(ui) {
                        actions.push(showing(filter, Show::All));
                    }
                }
            }
        } else {
            let mut marks = Marks {
                selected: cx.selected,
                cursor: cx.cursor,
                reveal: None,
            };
            match super::cursor::step(ui.ctx(), cx.keys_free, None) {
                Some(Step::Open) => actions.extend(cx.cursor.map(Action::Edit)),
                Some(step) => {
                    let to = super::cursor::moved(&[&rows.ids], cx.cursor.or(cx.selected), step);
                    if let Some(to) = to {
                        marks.cursor = Some(to);
                        marks.reveal = rows.ids.iter().position(|id| *id == to);
                        actions.push(Action::Select(to));
                    }
                }
                None => {}
            }
            self.table_ui(ui, ws, &rows.ids, marks, &mut actions);
            if let Some((id, modifiers)) = self.clicked.take() {
                actions.extend(self.select(&rows.ids, id, modifiers));
            }
        }
        // Unpinned, the rows are computed again next frame.
        if !unpinned {
            self.rows = Some(rows);
        }
        actions
    }

    /// Does what the reply to a cell edit calls for: applied, its editor closes; refused, the
    /// typed value stays in its cell to be corrected (the app says why).
    fn settle(&mut self, (opp, column): Cell, reply: &Reply, actions: &mut Vec<Action>) {
        let edited = |e: &CellEdit| e.opp == opp && e.column == column;
        match reply {
            Reply::Applied { .. } => {
                if self.editing.as_ref().is_some_and(edited) {
                    self.editing = None;
                }
                actions.push(Action::Done(tr!("Saved.")));
            }
            Reply::Refused { .. } => {
                if let Some(edit) = self.editing.as_mut().filter(|e| edited(e)) {
                    edit.focus = true;
                }
            }
        }
    }

    /// The bar under the table: the totals of the rows shown, "Find duplicates", the columns
    /// and the trash.
    fn totals_bar_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        filter: &Filter,
        totals: &ListTotals,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal(|ui| {
            totals_ui(ui, totals, filter.show, &ws.settings().base_currency);
            ui.separator();
            if ui.button_text(tr!("Find duplicates")).clicked() {
                let live = ws.opportunities().filter(|o| !ws.is_trashed(o.id));
                self.duplicates = Some((ws.generation(), duplicate_groups(live)));
            }
            ui.with_layout(direction::end_to_start(Align::Center), |ui| {
                actions.extend(column_chooser_ui(ui, ws));
                let trash = trn!(ws.trash_count(), "Trash ({n})");
                let mut in_trash = filter.is_trash();
                if ui
                    .toggle_value(&mut in_trash, trash)
                    .on_hover_text(ui.rtl(tr!("Show the deals in the trash")))
                    .clicked()
                {
                    let show = if in_trash { Show::Trash } else { Show::Open };
                    actions.push(showing(filter, show));
                }
                if filter.is_trash()
                    && ws.trash_count() > 0
                    && ui.button_text(tr!("Empty trash…")).clicked()
                {
                    actions.push(Action::AskEmptyTrash);
                }
            });
        });
    }

    /// The duplicate groups found, above the table, while they are asked for.
    fn duplicates_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
    ) {
        let Some((generation, groups)) = &mut self.duplicates else {
            return;
        };
        if *generation != ws.generation() {
            // A merge (or any change) happened: find them again among what is left.
            let live = ws.opportunities().filter(|o| !ws.is_trashed(o.id));
            *groups = duplicate_groups(live);
            *generation = ws.generation();
        }
        let mut hide = false;
        egui::Panel::top("duplicates").show(ui, |ui| {
            direction::reading(ui, |ui| {
                hide = duplicates_ui(ui, ws, groups, actions);
            });
        });
        if hide {
            self.duplicates = None;
        }
    }

    /// The table of the deals `ids`, with a header sorting by any column.
    fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        ids: &[Id],
        marks: Marks,
        actions: &mut Vec<Action>,
    ) {
        // A copy: the rows' cells borrow `self` while the header sorts.
        let mut sort = self.sort;
        // Columns wider than the window scroll sideways; in Persian the view starts at the right
        // end, where the deal's name is. A child ui: the table draws its column lines down to its
        // ui's bottom, which must stop above the totals.
        let right_to_left = crate::i18n::right_to_left();
        // Columns in reading order: the deal's name at the right in Persian.
        let mut columns = ws.list_columns().to_vec();
        if right_to_left {
            columns.reverse();
        }
        let columns = &columns;
        // The last column drawn takes the room left: in Persian the deal's name, at the right
        // end of the row, whose width is therefore not remembered there.
        let remainder = columns.last();
        let mut drawn = Vec::new();
        egui::ScrollArea::horizontal()
            .id_salt("opportunity_list_columns")
            .auto_shrink(false)
            .stick_to_right(right_to_left)
            .show(ui, |ui| {
                let mut table = TableBuilder::new(ui);
                if let Some(row) = marks.reveal {
                    table = table.scroll_to_row(row, None);
                }
                let mut table = table
                    // Its state (the columns' widths, by place) is the column set's: another
                    // set, or the same in the other reading order, starts from its own widths.
                    .id_salt(("opportunity_list", columns))
                    .striped(true)
                    .resizable(true)
                    .auto_shrink(false)
                    .cell_layout(direction::start_to_end(Align::Center));
                for column in columns {
                    let width = self.width(*column);
                    table = table.column(if Some(column) == remainder {
                        Column::remainder().at_least(width.min(120.0))
                    } else {
                        Column::initial(width).at_least(60.0).clip(true)
                    });
                }
                table
                    .header(28.0, |mut header| {
                        for column in columns {
                            header.col(|ui| {
                                if is_number(*column) {
                                    number_layout(ui, |ui| sort_header_ui(ui, *column, &mut sort));
                                } else {
                                    sort_header_ui(ui, *column, &mut sort);
                                }
                            });
                        }
                    })
                    .body(|body| {
                        drawn = body.widths().to_vec();
                        body.rows(ROW_HEIGHT, ids.len(), |mut row| {
                            let Some(opp) = ws.opportunity(ids[row.index()]) else {
                                return;
                            };
                            row.set_selected(
                                marks.selected == Some(opp.id)
                                    || marks.cursor == Some(opp.id)
                                    || self.selection.contains(&opp.id),
                            );
                            let ring = marks.cursor == Some(opp.id);
                            let last = columns.len() - 1;
                            for (i, column) in columns.iter().enumerate() {
                                row.col(|ui| {
                                    actions.extend(self.cell_ui(ui, ws, opp, *column));
                                    if ring {
                                        ring_ui(ui, i == 0, i == last);
                                    }
                                });
                            }
                        });
                    });
            });
        self.sort = sort;
        self.keep_widths(columns, remainder, &drawn);
    }

    /// Remembers the widths the user gave columns: all but `remainder`, which takes what is
    /// left.
    fn keep_widths(
        &mut self,
        columns: &[ListColumn],
        remainder: Option<&ListColumn>,
        drawn: &[f32],
    ) {
        for (column, width) in columns.iter().zip(drawn) {
            if Some(column) == remainder {
                continue;
            }
            self.widths.retain(|(c, _)| c != column);
            if (width - initial_width(*column)).abs() > 0.5 {
                self.widths.push((*column, *width));
            }
        }
    }

    /// Click selects one deal and opens it; Ctrl-click toggles; Shift-click selects the range
    /// from the last clicked row.
    fn select(&mut self, ids: &[Id], id: Id, modifiers: egui::Modifiers) -> Option<Action> {
        let position = |id: Id| ids.iter().position(|x| *x == id);
        if modifiers.shift
            && let (Some(from), Some(to)) = (self.anchor.and_then(position), position(id))
        {
            let (from, to) = (from.min(to), from.max(to));
            self.selection = ids[from..=to].iter().copied().collect();
            return None;
        }
        self.anchor = Some(id);
        if modifiers.command {
            if !self.selection.remove(&id) {
                self.selection.insert(id);
            }
            return None;
        }
        self.selection.clear();
        Some(Action::Open(id))
    }

    fn refresh(&mut self, ws: &Workspace, filter: &Filter, pipeline: Id) {
        let fresh = self.rows.as_ref().is_some_and(|r| {
            r.generation == ws.generation()
                && r.filter == *filter
                && r.sort == self.sort
                && r.pipeline == pipeline
        });
        if !fresh {
            let (mut ids, mut totals) = ws.list_with_totals(filter, self.sort, Some(pipeline));
            if let Some(pinned) = &self.pinned {
                ids.retain(|id| pinned.ids.contains(id));
                totals = ws.list_totals(&ids);
            }
            self.rows = Some(Rows {
                generation: ws.generation(),
                filter: filter.clone(),
                pipeline,
                sort: self.sort,
                ids,
                totals,
            });
            // Only what is shown stays selected: a mass update never reaches hidden deals.
            if self.selection.is_empty() {
                return;
            }
            let shown: HashSet<Id> = self
                .rows
                .iter()
                .flat_map(|r| r.ids.iter().copied())
                .collect();
            self.selection.retain(|id| shown.contains(id));
        }
    }
}

/// The chip over the rows saying which deals they are pinned to, with a ✖ that shows the
/// whole search again. True when it was clicked.
fn pinned_chip_ui(ui: &mut egui::Ui, label: &str, shown: usize) -> bool {
    let mut clear = false;
    egui::Panel::top("pinned").show(ui, |ui| {
        direction::reading(ui, |ui| {
            ui.horizontal(|ui| {
                egui::Frame::new()
                    .fill(theme::colors(ui).chip_fill)
                    .corner_radius(theme::CARD_RADIUS)
                    .inner_margin(egui::Margin::symmetric(10, 3))
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.text(
                                RichText::new(label)
                                    .strong()
                                    .color(theme::colors(ui).text_strong),
                            );
                            ui.text(
                                RichText::new(deals(shown as u64))
                                    .color(theme::colors(ui).text_muted),
                            );
                            clear = ui
                                .small_button_text("×")
                                .accessible_name(tr!("Show all deals again"))
                                .on_hover_text(ui.rtl(tr!("Show all deals again")))
                                .clicked();
                        });
                    });
            });
        });
    });
    clear
}

/// A column header that sorts by its column; a second click reverses the order.
fn sort_header_ui(ui: &mut egui::Ui, column: ListColumn, sort: &mut Sort) {
    let active = sort.column == column;
    let response = ui.add(
        egui::Button::new(ui.rtl(RichText::new(column.label()).strong()))
            .frame(false)
            .sense(Sense::click()),
    );
    if active {
        // A small triangle: the default fonts have no arrow glyphs.
        let r = response.rect;
        let (x, y) = (r.right() + 8.0, r.center().y);
        let points = if sort.descending {
            vec![
                egui::pos2(x - 4.0, y - 2.5),
                egui::pos2(x + 4.0, y - 2.5),
                egui::pos2(x, y + 3.5),
            ]
        } else {
            vec![
                egui::pos2(x - 4.0, y + 2.5),
                egui::pos2(x + 4.0, y + 2.5),
                egui::pos2(x, y - 3.5),
            ]
        };
        ui.painter().add(egui::Shape::convex_polygon(
            points,
            theme::colors(ui).text_strong,
            egui::Stroke::NONE,
        ));
    }
    if response.clicked() {
        *sort = Sort {
            column,
            descending: active && !sort.descending,
        };
    }
}

/// What the rows add up to, each figure saying what it sums: the open deals' count, expected
/// and weighted revenue; the won and the lost deals apart, when the status shows them.
fn totals_ui(ui: &mut egui::Ui, totals: &ListTotals, show: Show, currency: &str) {
    let money = |amount| format_money_cents(amount, currency);
    let mut parts = Vec::new();
    if matches!(show, Show::Open | Show::All | Show::Trash) {
        let open = &totals.open;
        parts.push(tr!(
            "Open: {deals}, expected {expected}, weighted {weighted}",
            deals = deals(open.count),
            expected = money(open.expected),
            weighted = money(open.weighted)
        ));
    }
    for (kind, closed) in [(Show::Won, &totals.won), (Show::Lost, &totals.lost)] {
        if show == kind || matches!(show, Show::All | Show::Trash) {
            let (deals, amount) = (deals(closed.count), money(closed.amount));
            parts.push(match kind {
                Show::Won => tr!("Won: {deals}, {amount}", deals = deals, amount = amount),
                _ => tr!("Lost: {deals}, {amount}", deals = deals, amount = amount),
            });
        }
    }
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            ui.text(RichText::new("·").color(theme::colors(ui).text_muted));
        }
        ui.text(RichText::new(part).strong());
    }
}

/// The search `filter` showing the deals `show` picks instead.
fn showing(filter: &Filter, show: Show) -> Action {
    Action::SetFilter(Filter {
        show,
        ..filter.clone()
    })
}

/// Open, won, lost or all deals: the list's status, part of its search. The one picked, if
/// another than `show`.
fn status_ui(ui: &mut egui::Ui, show: Show) -> Option<Show> {
    let mut picked = show;
    ui.horizontal(|ui| {
        ui.text(RichText::new(tr!("Show")).color(theme::colors(ui).text_muted));
        for choice in Show::OUTCOMES {
            let name = match choice {
                Show::Open => tr!("Show open deals"),
                Show::Won => tr!("Show won deals"),
                Show::Lost => tr!("Show lost deals"),
                _ => tr!("Show all deals, open and closed"),
            };
            ui.selectable_value_text(&mut picked, choice, choice.label())
                .accessible_name(name);
        }
    });
    (picked != show).then_some(picked)
}

/// The list's status shows no deal while others exist, with nothing else filtered: the
/// closed deals are one click away. Whether "Show all deals" was clicked.
fn no_open_deal_ui(ui: &mut egui::Ui) -> bool {
    let mut show_all = false;
    ui.add_space((ui.available_height() / 2.0 - 40.0).max(12.0));
    ui.vertical_centered(|ui| {
        ui.text(
            RichText::new(tr!("No open deals"))
                .heading()
                .color(theme::colors(ui).text_strong),
        );
        ui.text(
            RichText::new(tr!("Every deal is won or lost.")).color(theme::colors(ui).text_muted),
        );
        ui.add_space(10.0);
        show_all = ui.button_text(tr!("Show all deals")).clicked();
    });
    show_all
}

/// The "Columns" menu: a checkbox per column; the name always shows. It stays open while
/// several are ticked, and closes on Escape or a click outside it.
fn column_chooser_ui(ui: &mut egui::Ui, ws: &Workspace) -> Option<Action> {
    let mut chosen = None;
    sticky_menu_ui(ui, ui.rtl(tr!("Columns")), |ui| {
        let shown = ws.list_columns();
        for column in ListColumn::ALL.into_iter().skip(1) {
            let mut on = shown.contains(&column);
            if ui.checkbox_text(&mut on, column.label()).changed() {
                // Keep the canonical order, so a column comes back where it was.
                let columns = ListColumn::ALL
                    .into_iter()
                    .filter(|c| if *c == column { on } else { shown.contains(c) })
                    .collect();
                chosen = Some(Action::Apply(Command::SetListColumns { columns }));
            }
        }
    });
    chosen
}

/// The duplicate groups, each with a Merge button. Returns true when the user hides them.
fn duplicates_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    groups: &[Vec<Id>],
    actions: &mut Vec<Action>,
) -> bool {
    let mut hide = false;
    ui.horizontal(|ui| {
        let title = match groups.len() {
            0 => tr!("No duplicates found."),
            n => trn!(n, "Possible duplicates: {n} groups"),
        };
        ui.text(RichText::new(title).strong());
        hide = ui.button_text(tr!("Hide")).clicked();
    });
    // Virtualised: a large pipeline can hold thousands of groups.
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical().max_height(140.0).show_rows(
        ui,
        row_height,
        groups.len(),
        |ui, range| {
            for group in &groups[range] {
                ui.horizontal(|ui| {
                    let names: Vec<&str> = group
                        .iter()
                        .filter_map(|id| ws.opportunity(*id))
                        .map(|o| o.name.as_str())
                        .collect();
                    let merge = ui
                        .button_text(tr!("Merge…"))
                        .accessible_name(tr!("Merge {names}", names = names.join(" / ")));
                    if merge.clicked() {
                        actions.push(Action::AskMerge(group.clone()));
                    }
                    ui.text(names.join("  /  "));
                });
            }
        },
    );
    hide
}
