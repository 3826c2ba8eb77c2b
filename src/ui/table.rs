//! The opportunity list: a virtualised table sortable by any column, with inline editing of the
//! fields people fix in bulk and the totals of the rows shown.

use crate::ui::direction;
use crate::ui::text::bidi;
use std::collections::HashSet;

use egui::{Align, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use super::app::{Action, Ctx};
use super::mass_update::MassUpdateBar;
use super::reply::{self, Reply, Sent};
use super::theme;
use super::widgets::lookup_combo_box;
use crate::analytics::StageTotals;
use crate::command::Command;
use crate::domain::*;
use crate::i18n::{
    deals, editable, format_date, format_money_cents, format_number, format_percent,
};
use crate::workspace::{Filter, ListColumn, Sort, Workspace};
use crate::{tr, trn};

/// A column's initial width; the last shown column takes the rest of the table.
fn initial_width(column: ListColumn) -> f32 {
    match column {
        ListColumn::Name => 240.0,
        ListColumn::Account => 150.0,
        ListColumn::Stage => 125.0,
        ListColumn::Amount => 100.0,
        ListColumn::Probability => 80.0,
        ListColumn::Weighted => 95.0,
        ListColumn::ExpectedClose => 105.0,
        ListColumn::Salesperson => 145.0,
        ListColumn::NextStep => 170.0,
        ListColumn::Created => 90.0,
    }
}

/// Height of a row; fixed, so the table lays out only the visible rows.
const ROW_HEIGHT: f32 = 26.0;

/// The rows in order, recomputed only when the data, the filter or the order changes.
struct Rows {
    generation: u64,
    filter: Filter,
    pipeline: Id,
    sort: Sort,
    ids: Vec<Id>,
    totals: StageTotals,
}

/// A transient restriction of the rows to some deals (a funnel stage's), on top of the
/// search; unlike the search it is never saved.
struct Pinned {
    label: String,
    ids: HashSet<Id>,
}

/// A cell being edited in place: the text typed so far. It stays open until its command is
/// applied, so a refused value is still there to correct.
struct CellEdit {
    opp: Id,
    column: ListColumn,
    text: String,
    /// Set when the editor should take the keyboard focus: opened, or its value refused.
    focus: bool,
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
}

impl ListView {
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

    /// Draws the deals of `pipeline`; `selected` is the deal open in the form.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Ctx,
        filter: &mut Filter,
        pipeline: Id,
        selected: Option<Id>,
    ) -> Vec<Action> {
        let ws = cx.ws;
        self.refresh(ws, filter, pipeline);
        let mut actions = Vec::new();
        if let Some(((opp, column), reply)) = cx.replies.take(&mut self.sent) {
            let edited = |e: &CellEdit| e.opp == opp && e.column == column;
            match reply {
                Reply::Applied { .. } => {
                    if self.editing.as_ref().is_some_and(edited) {
                        self.editing = None;
                    }
                    actions.push(Action::Done(tr!("Saved.")));
                }
                // The app says why; the typed value stays in its cell to be corrected.
                Reply::Refused { .. } => {
                    if let Some(edit) = self.editing.as_mut().filter(|e| edited(e)) {
                        edit.focus = true;
                    }
                }
            }
        }
        // Taken out for the frame, so cells can borrow `self` mutably; never cloned per frame.
        let Some(rows) = self.rows.take() else {
            return actions;
        };
        let currency = &ws.settings().base_currency;
        egui::Panel::bottom("list_totals").show(ui, |ui| {
            direction::reading(ui, |ui| {
                ui.horizontal(|ui| {
                    let t = &rows.totals;
                    ui.label(bidi(ui, RichText::new(deals(t.count)).strong()));
                    ui.separator();
                    ui.label(bidi(
                        ui,
                        tr!(
                            "Expected {amount}",
                            amount = format_money_cents(t.expected, currency)
                        ),
                    ));
                    ui.separator();
                    ui.label(bidi(
                        ui,
                        tr!(
                            "Weighted {amount}",
                            amount = format_money_cents(t.weighted, currency)
                        ),
                    ));
                    ui.separator();
                    if ui.button(bidi(ui, tr!("Find duplicates"))).clicked() {
                        let live = ws.opportunities().filter(|o| !ws.is_trashed(o.id));
                        self.duplicates = Some((ws.generation(), duplicate_groups(live)));
                    }
                    ui.with_layout(direction::end_to_start(Align::Center), |ui| {
                        actions.extend(column_chooser_ui(ui, ws));
                        let trash = trn!(ws.trash_count(), "Trash ({n})");
                        ui.toggle_value(&mut filter.trash, trash)
                            .on_hover_text(bidi(ui, tr!("Show the deals in the trash")));
                        if filter.trash
                            && ws.trash_count() > 0
                            && ui.button(bidi(ui, tr!("Empty trash…"))).clicked()
                        {
                            actions.push(Action::AskEmptyTrash);
                        }
                    });
                });
            })
            .inner
        });
        if let Some((generation, groups)) = &mut self.duplicates {
            if *generation != ws.generation() {
                // A merge (or any change) happened: find them again among what is left.
                let live = ws.opportunities().filter(|o| !ws.is_trashed(o.id));
                *groups = duplicate_groups(live);
                *generation = ws.generation();
            }
            let mut hide = false;
            egui::Panel::top("duplicates").show(ui, |ui| {
                direction::reading(ui, |ui| {
                    hide = duplicates_ui(ui, ws, groups, &mut actions);
                })
                .inner
            });
            if hide {
                self.duplicates = None;
            }
        }
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
            })
            .inner
        });
        let ids = &rows.ids;
        let mut sort = self.sort;
        // A child ui: the table draws its column lines down to its ui's bottom, which must stop
        // above the totals.
        ui.vertical(|ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt("opportunity_list")
                .striped(true)
                .resizable(true)
                .auto_shrink(false)
                .cell_layout(direction::start_to_end(Align::Center));
            // Columns in reading order: the deal's name at the right in Persian.
            let mut columns = ws.list_columns().to_vec();
            if crate::i18n::right_to_left() {
                columns.reverse();
            }
            let columns = &columns;
            for (i, column) in columns.iter().enumerate() {
                let width = initial_width(*column);
                table = table.column(if i + 1 == columns.len() {
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
                    body.rows(ROW_HEIGHT, ids.len(), |mut row| {
                        let Some(opp) = ws.opportunity(ids[row.index()]) else {
                            return;
                        };
                        row.set_selected(
                            selected == Some(opp.id) || self.selection.contains(&opp.id),
                        );
                        for column in columns {
                            row.col(|ui| actions.extend(self.cell_ui(ui, ws, opp, *column)));
                        }
                    });
                });
        });
        if let Some((id, modifiers)) = self.clicked.take() {
            actions.extend(self.select(&rows.ids, id, modifiers));
        }
        // Unpinned, the rows are computed again next frame.
        if !unpinned {
            self.rows = Some(rows);
        }
        self.sort = sort;
        actions
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
            let mut ids = ws.list(filter, self.sort);
            ids.retain(|id| ws.opportunity(*id).is_some_and(|o| o.pipeline == pipeline));
            if let Some(pinned) = &self.pinned {
                ids.retain(|id| pinned.ids.contains(id));
            }
            let totals =
                StageTotals::of(ids.iter().filter_map(|id| ws.opportunity(*id)), ws.rates());
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

    fn cell_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        opp: &Opportunity,
        column: ListColumn,
    ) -> Option<Action> {
        if let Some(edit) = self
            .editing
            .as_mut()
            .filter(|e| e.opp == opp.id && e.column == column)
        {
            return match edit_cell_ui(ui, ws, opp, edit) {
                CellOutcome::Open => None,
                CellOutcome::Cancel => {
                    self.editing = None;
                    None
                }
                CellOutcome::Invalid(message) => Some(Action::Error(message)),
                CellOutcome::Send(command) => {
                    Some(reply::send(&mut self.sent, (opp.id, column), command))
                }
            };
        }
        let muted = |text: String| RichText::new(text).color(theme::TEXT_MUTED);
        match column {
            ListColumn::Name if ws.is_trashed(opp.id) => {
                let restore = ui
                    .small_button(bidi(ui, tr!("Restore")))
                    .accessible_name(tr!("Restore {name}", name = opp.name));
                ui.label(bidi(ui, &opp.name));
                if restore.clicked() {
                    return Some(Action::Apply(Command::RestoreFromTrash {
                        ids: vec![opp.id],
                    }));
                }
            }
            ListColumn::Name => {
                let name = ui
                    .add(
                        egui::Label::new(bidi(ui, &opp.name))
                            .truncate()
                            .sense(Sense::click()),
                    )
                    .on_hover_text(bidi(
                        ui,
                        tr!("Open the deal; Ctrl-click or Shift-click to select"),
                    ));
                if name.clicked() {
                    self.clicked = Some((opp.id, ui.input(|i| i.modifiers)));
                }
            }
            ListColumn::Account => {
                ui.add(
                    egui::Label::new(bidi(
                        ui,
                        ws.account(opp.account).map_or("", |a| a.name.as_str()),
                    ))
                    .truncate(),
                );
            }
            ListColumn::Stage => return stage_cell_ui(ui, ws, opp),
            ListColumn::Salesperson => {
                let mut value = opp.salesperson;
                let (response, changed) = lookup_combo_box(
                    ui,
                    ("salesperson", opp.id),
                    ws,
                    LookupKind::Salesperson,
                    &mut value,
                    &tr!("Nobody"),
                );
                response.accessible_name(tr!("Salesperson of {name}", name = opp.name));
                if changed {
                    let mut changed = opp.clone();
                    changed.salesperson = value;
                    let cell = (opp.id, column);
                    return Some(reply::send(&mut self.sent, cell, update(changed)));
                }
            }
            ListColumn::Weighted => {
                let weighted = muted(format_money_cents(opp.weighted(), &opp.currency));
                number_layout(ui, |ui| ui.label(bidi(ui, weighted)));
            }
            ListColumn::Amount if opp.amount_mode == AmountMode::FromLines => {
                // Saved, a typed amount would be replaced by the lines' sum at once.
                let why = tr!("Priced from its lines: open the deal to change them");
                let amount = muted(format_money_cents(opp.amount, &opp.currency));
                let response = number_layout(ui, |ui| {
                    ui.add(
                        egui::Label::new(bidi(ui, amount))
                            .truncate()
                            .sense(Sense::click()),
                    )
                })
                .on_hover_text(bidi(ui, &why));
                if response.clicked() {
                    return Some(Action::Done(why));
                }
            }
            ListColumn::Created => {
                ui.label(bidi(ui, muted(format_date(opp.created.date_naive()))));
            }
            ListColumn::Amount
            | ListColumn::Probability
            | ListColumn::ExpectedClose
            | ListColumn::NextStep => {
                let (shown, text) = editable_text(opp, column);
                let mut label = RichText::new(shown);
                if column == ListColumn::ExpectedClose && opp.is_overdue(ws.today()) {
                    label = label.color(theme::OVERDUE);
                }
                let add = |ui: &mut egui::Ui| {
                    ui.add(
                        egui::Label::new(bidi(ui, label))
                            .truncate()
                            .sense(Sense::click()),
                    )
                };
                let response = if is_number(column) {
                    number_layout(ui, add)
                } else {
                    add(ui)
                }
                .on_hover_text(bidi(ui, tr!("Click to edit")));
                if response.clicked() {
                    self.editing = Some(CellEdit {
                        opp: opp.id,
                        column,
                        text,
                        focus: true,
                    });
                }
            }
        }
        None
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
                    .fill(theme::CHIP_FILL)
                    .corner_radius(theme::CARD_RADIUS)
                    .inner_margin(egui::Margin::symmetric(10, 3))
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.label(bidi(
                                ui,
                                RichText::new(label).strong().color(theme::TEXT_STRONG),
                            ));
                            ui.label(bidi(
                                ui,
                                RichText::new(deals(shown as u64)).color(theme::TEXT_MUTED),
                            ));
                            clear = ui
                                .small_button(bidi(ui, "×"))
                                .accessible_name(tr!("Show all deals again"))
                                .on_hover_text(bidi(ui, tr!("Show all deals again")))
                                .clicked();
                        });
                    });
            });
        })
        .inner
    });
    clear
}

/// A column header that sorts by its column; a second click reverses the order.
fn sort_header_ui(ui: &mut egui::Ui, column: ListColumn, sort: &mut Sort) {
    let active = sort.column == column;
    let response = ui.add(
        egui::Button::new(bidi(ui, RichText::new(column.label()).strong()))
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
            theme::TEXT_STRONG,
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

/// The stage as a dropdown; picking a Lost stage asks for the reason like a drop on the board.
fn stage_cell_ui(ui: &mut egui::Ui, ws: &Workspace, opp: &Opportunity) -> Option<Action> {
    let mut stage = opp.stage;
    let current = ws.stage(stage).map_or(String::new(), |s| s.name.clone());
    egui::ComboBox::from_id_salt(("stage", opp.id))
        .selected_text(bidi(ui, current))
        .width(ui.available_width().min(120.0))
        .show_ui(ui, |ui| {
            for s in ws.stages_of(opp.pipeline) {
                ui.selectable_value(&mut stage, s.id, bidi(ui, &s.name));
            }
        })
        .response
        .accessible_name(tr!("Stage of {name}", name = opp.name));
    (stage != opp.stage).then_some(Action::Move { opp: opp.id, stage })
}

/// What an editable cell shows, and the text its editor starts with.
fn editable_text(opp: &Opportunity, column: ListColumn) -> (String, String) {
    match column {
        ListColumn::Amount => (
            format_money_cents(opp.amount, &opp.currency),
            editable(format_number(
                opp.amount,
                opp.amount.normalize().scale().min(2),
            )),
        ),
        ListColumn::Probability => (
            format_percent(opp.probability),
            opp.probability.normalize().to_string(),
        ),
        ListColumn::ExpectedClose => {
            let date = opp.expected_close.map(format_date).unwrap_or_default();
            (date.clone(), editable(date))
        }
        _ => (opp.next_step.clone(), opp.next_step.clone()),
    }
}

/// What a cell's editor did this frame.
enum CellOutcome {
    Open,
    /// Escape, or the value left as it was: the editor closes.
    Cancel,
    /// The value does not parse: the message says why, the editor keeps the text.
    Invalid(String),
    /// The changed deal, to send; the editor stays until the reply says it was saved.
    Send(Command),
}

/// The editor of a cell: Enter or leaving the cell saves, Escape cancels.
fn edit_cell_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: &Opportunity,
    edit: &mut CellEdit,
) -> CellOutcome {
    let response = ui.add(egui::TextEdit::singleline(&mut edit.text).desired_width(f32::INFINITY));
    let response = response.accessible_name(tr!(
        "{field} of {name}",
        field = edit.column.label(),
        name = opp.name
    ));
    if std::mem::take(&mut edit.focus) {
        response.request_focus();
        return CellOutcome::Open;
    }
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        return CellOutcome::Cancel;
    }
    if !response.lost_focus() {
        return CellOutcome::Open;
    }
    let mut changed = opp.clone();
    let parsed = match edit.column {
        ListColumn::Amount => parse_amount(Field::Amount, &edit.text).map(|a| changed.amount = a),
        ListColumn::Probability => parse_probability(&edit.text).map(|p| {
            if let Some(stage) = ws.stage(opp.stage) {
                changed.set_probability(p, stage);
            }
        }),
        ListColumn::ExpectedClose => {
            parse_date(Field::ExpectedClose, &edit.text).map(|d| changed.expected_close = d)
        }
        _ => {
            changed.next_step = edit.text.trim().to_owned();
            Ok(())
        }
    };
    match parsed {
        Err(error) => {
            // Enter keeps the user in the cell to correct it; a click elsewhere leaves it.
            edit.focus = ui.input(|i| i.key_pressed(egui::Key::Enter));
            CellOutcome::Invalid(format!("{}: {error}", opp.name))
        }
        Ok(()) if changed == *opp => CellOutcome::Cancel,
        Ok(()) => CellOutcome::Send(update(changed)),
    }
}

/// Whether a column holds numbers, which line up at the cell's right edge.
fn is_number(column: ListColumn) -> bool {
    matches!(
        column,
        ListColumn::Amount | ListColumn::Probability | ListColumn::Weighted
    )
}

/// Lays out a number's cell from its right edge, in both reading directions: digits run left
/// to right in Persian too, and an amount's currency name follows it on the left, so only the
/// right edge lines up the units of every row.
fn number_layout<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.with_layout(egui::Layout::right_to_left(Align::Center), add)
        .inner
}

fn update(opp: Opportunity) -> Command {
    Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    }
}
/// The "Columns" menu: a checkbox per column; the name always shows.
fn column_chooser_ui(ui: &mut egui::Ui, ws: &Workspace) -> Option<Action> {
    let mut chosen = None;
    ui.menu_button(bidi(ui, tr!("Columns")), |ui| {
        let shown = ws.list_columns();
        for column in ListColumn::ALL.into_iter().skip(1) {
            let mut on = shown.contains(&column);
            if ui.checkbox(&mut on, bidi(ui, column.label())).changed() {
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
        ui.label(bidi(ui, RichText::new(title).strong()));
        hide = ui.button(bidi(ui, tr!("Hide"))).clicked();
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
                        .button(bidi(ui, tr!("Merge…")))
                        .accessible_name(tr!("Merge {names}", names = names.join(" / ")));
                    if merge.clicked() {
                        actions.push(Action::AskMerge(group.clone()));
                    }
                    ui.label(bidi(ui, names.join("  /  ")));
                });
            }
        },
    );
    hide
}
