//! The activities, overdue first, then today's, then upcoming ones, then (when asked for) the
//! done ones, most recent first: each marked done with one click, and linked to the deal or
//! account it is about. A search narrows them by words, salesperson, kind, whether done and
//! days. A row marked done here stays in place, struck through, until the user hides the done
//! ones or comes back to the view: the next row never slides under the pointer (a double click
//! would close two).

use crate::direction;
use crate::ui_ext::UiExt;
use chrono::NaiveDate;
use egui::{Align, RichText, ScrollArea, vec2};

use super::activity_panel::{kind_label, summary_link, when_label};
use super::app::{Action, Ctx};
use super::calendar::{CalendarView, Page, Went};
use super::theme;
use super::widgets::{choice_combo, lookup_combo};
use crate::domain::{
    ActivityFilter, ActivityKind, ActivityLink, ActivityState, ActivityStatus, Field, LookupKind,
    parse_date,
};
use crate::workspace::{ListedActivity, Workspace};
use crate::{tr, trn};

/// Height of a row (a heading or an activity); fixed, so only the visible rows are laid out.
const ROW_HEIGHT: f32 = 28.0;

/// A group of the list.
#[derive(Clone, Copy)]
enum Group {
    Due(ActivityState),
    Done,
}

/// A row of the list: a group's heading or one activity.
enum Row {
    Heading(Group, usize),
    Item(ListedActivity),
}

/// The rows, recomputed only when the data, the day, the search or the rows kept done change.
struct Rows {
    generation: u64,
    today: NaiveDate,
    filter: ActivityFilter,
    /// How many rows marked done here it shows.
    kept: usize,
    rows: Vec<Row>,
    count: usize,
}

/// How the activities are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Shape {
    #[default]
    List,
    Calendar(Page),
}

/// The activities view.
#[derive(Default)]
pub struct ActivitiesView {
    shape: Shape,
    /// The week or month shown, kept while the list is.
    calendar: Option<CalendarView>,
    rows: Option<Rows>,
    /// The activities marked done in this visit, kept in their rows.
    marked: Vec<ListedActivity>,
    /// The frame the view was last drawn in: a gap means the user was elsewhere.
    drawn: u64,
    filter: ActivityFilter,
    /// The search's first and last days as typed.
    from: String,
    to: String,
}

impl ActivitiesView {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let today = ws.today();
        let frame = ui.ctx().cumulative_frame_nr();
        if frame > self.drawn + 1 {
            // Back from elsewhere: the done rows are gone.
            self.marked.clear();
        }
        self.drawn = frame;
        ui.add_space(6.0);
        let kept = self.rows.as_ref().map_or(0, |r| r.kept);
        let count = self.rows.as_ref().map_or(0, |r| r.count);
        let mut hide = false;
        ui.horizontal(|ui| {
            ui.text(RichText::new(tr!("Activities")).heading());
            self.shape_ui(ui, today);
            if self.shape != Shape::List {
                return;
            }
            ui.text(RichText::new(trn!(count, "{n} open")).color(theme::colors(ui).text_muted));
            if kept > 0 {
                hide = ui
                    .button_text(trn!(kept, "Hide done ({n})"))
                    .on_hover_text(ui.rtl(tr!("Take the rows marked done off the list")))
                    .clicked();
            }
        });
        self.search_ui(ui, ws);
        let mut actions = Vec::new();
        if let (Shape::Calendar(_), Some(calendar)) = (self.shape, &mut self.calendar) {
            ui.add_space(4.0);
            match calendar.ui(ui, ws, &self.filter, &mut actions) {
                // "+n more" in a week's strip: that day's activities as a list.
                Some(Went::Day(day)) => {
                    self.shape = Shape::List;
                    self.filter.from = Some(day);
                    self.filter.to = Some(day);
                    self.from = crate::i18n::editable(crate::i18n::format_date(day));
                    self.to = self.from.clone();
                }
                // In a month: that day's week.
                Some(Went::Week(_)) => self.shape = Shape::Calendar(Page::Week),
                None => {}
            }
            return actions;
        }
        self.refresh(ws, today);
        let Some(rows) = &self.rows else {
            return actions;
        };
        ui.add_space(4.0);
        if rows.rows.iter().all(|r| matches!(r, Row::Heading(..))) && rows.kept == 0 {
            let searched = !rows.filter.is_default();
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                let (said, hint) = if searched {
                    (
                        tr!("No activity matches this search."),
                        tr!("Clear the search to see every open activity."),
                    )
                } else {
                    (
                        tr!("Nothing to do: no open activities."),
                        tr!("Plan calls, meetings and tasks from a deal or an account."),
                    )
                };
                ui.text(
                    RichText::new(said)
                        .size(16.0)
                        .color(theme::colors(ui).text_muted),
                );
                ui.text(RichText::new(hint).color(theme::colors(ui).text_muted));
            });
            return actions;
        }
        let mut marked = None;
        ScrollArea::vertical()
            .id_salt("open_activities")
            .auto_shrink(false)
            .show_rows(ui, ROW_HEIGHT, rows.rows.len(), |ui, range| {
                for row in &rows.rows[range] {
                    match row {
                        Row::Heading(group, n) => heading_ui(ui, *group, *n),
                        Row::Item(open) => {
                            if let Some(action) = item_ui(ui, open, today) {
                                if matches!(action, Action::MarkDone(_)) {
                                    marked = Some(open.clone());
                                }
                                actions.push(action);
                            }
                        }
                    }
                }
            });
        if let Some(open) = marked {
            self.marked.push(open);
        }
        if hide {
            self.marked.clear();
        }
        actions
    }

    /// The calendar shown (week or month), or None for the list: remembered between runs.
    pub fn calendar_page(&self) -> Option<Page> {
        match self.shape {
            Shape::List => None,
            Shape::Calendar(page) => Some(page),
        }
    }

    /// Shows the calendar `page` (None: the list), at the day it showed, else `today`'s.
    pub fn show_calendar(&mut self, page: Option<Page>, today: NaiveDate) {
        self.choose(page.map_or(Shape::List, Shape::Calendar), today);
    }

    fn choose(&mut self, shape: Shape, today: NaiveDate) {
        self.shape = shape;
        if let Shape::Calendar(page) = shape {
            let calendar = self
                .calendar
                .get_or_insert_with(|| CalendarView::new(page, today));
            let day = calendar.day;
            calendar.show(page, day);
        }
    }

    /// List, Week or Month; in a calendar, Today and the arrows to the weeks or months around
    /// it, and its title.
    fn shape_ui(&mut self, ui: &mut egui::Ui, today: NaiveDate) {
        ui.add_space(12.0);
        let shapes = [
            (Shape::List, tr!("List")),
            (Shape::Calendar(Page::Week), tr!("Week")),
            (Shape::Calendar(Page::Month), tr!("Month")),
        ];
        for (shape, name) in shapes {
            if ui
                .selectable_label_text(self.shape == shape, name)
                .clicked()
            {
                self.choose(shape, today);
            }
        }
        let Some(calendar) = self.calendar.as_mut().filter(|_| self.shape != Shape::List) else {
            return;
        };
        ui.add_space(12.0);
        if ui.button_text(tr!("Today")).clicked() {
            calendar.show(calendar.page, today);
        }
        // Mirrored in a right-to-left layout, where earlier days are on the right.
        let (back, forth) = ("<", ">");
        let (before, after) = match calendar.page {
            Page::Week => (tr!("Previous week"), tr!("Next week")),
            Page::Month => (tr!("Previous month"), tr!("Next month")),
        };
        let previous = ui.button(back).accessible_name(&before);
        if previous.on_hover_text(ui.rtl(before)).clicked() {
            calendar.step(-1);
        }
        let next = ui.button(forth).accessible_name(&after);
        if next.on_hover_text(ui.rtl(after)).clicked() {
            calendar.step(1);
        }
        ui.text(RichText::new(calendar.title()).strong().size(15.0));
        if let Some(n) = calendar.count() {
            let color = if n == 0 && !self.filter.is_default() {
                theme::colors(ui).error
            } else {
                theme::colors(ui).text_muted
            };
            let said = if n == 0 && !self.filter.is_default() {
                tr!("No activity matches this search.")
            } else {
                trn!(n, "{n} activities")
            };
            ui.text(RichText::new(said).color(color));
        }
    }

    /// The search: words, salesperson, kind, status, first and last day, and Clear.
    fn search_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .hint_text(ui.rtl(tr!("Search activities")))
                    .desired_width(200.0),
            )
            .accessible_name(tr!("Search activities"));
            let label = ui.text(Field::Salesperson.label());
            let anyone = tr!("Anyone");
            let people = LookupKind::Salesperson;
            lookup_combo(
                ui,
                label.id,
                ws,
                people,
                &mut self.filter.salesperson,
                &anyone,
            );
            let kinds = [None, Some(ActivityKind::Call), Some(ActivityKind::Meeting)]
                .into_iter()
                .chain([Some(ActivityKind::Email), Some(ActivityKind::Task)])
                .collect::<Vec<_>>();
            choice_combo(
                ui,
                &Field::Kind.label(),
                &mut self.filter.kind,
                &kinds,
                kind_choice,
            );
            let shown = tr!("Show");
            choice_combo(
                ui,
                &shown,
                &mut self.filter.status,
                &ActivityStatus::ALL,
                status_label,
            );
            let today = ws.today();
            let from = tr!("From");
            self.filter.from = day_field(ui, &from, &mut self.from, self.filter.from, today);
            let to = tr!("To");
            self.filter.to = day_field(ui, &to, &mut self.to, self.filter.to, today);
            let cleared = ActivityFilter::default();
            let clear = ui.add_enabled(
                self.filter != cleared,
                egui::Button::new(ui.rtl(tr!("Clear search"))),
            );
            if clear.clicked() {
                self.filter = cleared;
                self.from.clear();
                self.to.clear();
            }
        });
    }

    fn refresh(&mut self, ws: &Workspace, today: NaiveDate) {
        // The rows marked done that are done now (not undone, not deleted).
        let kept: Vec<ListedActivity> = self
            .marked
            .iter()
            .filter_map(|o| {
                let activity = ws.activity(o.activity.id).filter(|a| a.done)?;
                Some(ListedActivity {
                    activity: activity.clone(),
                    about: o.about.clone(),
                })
            })
            .collect();
        let fresh = self.rows.as_ref().is_some_and(|r| {
            r.generation == ws.generation()
                && r.today == today
                && r.kept == kept.len()
                && r.filter == self.filter
        });
        if fresh {
            return;
        }
        let listed = ws.listed_activities(&self.filter);
        let count = listed.iter().filter(|o| !o.activity.done).count();
        let kept_count = kept.len();
        // Those marked done here stay where they were, among the open ones.
        let mut groups: [Vec<ListedActivity>; 4] = Default::default();
        for o in listed.into_iter().chain(kept) {
            let group = match ActivityState::of(o.activity.due, today) {
                _ if o.activity.done
                    && !self.marked.iter().any(|m| m.activity.id == o.activity.id) =>
                {
                    3
                }
                ActivityState::Late => 0,
                ActivityState::Today => 1,
                ActivityState::Planned => 2,
            };
            groups[group].push(o);
        }
        for group in &mut groups[..3] {
            group.sort_by_key(|o| (o.activity.due, o.activity.time, o.activity.id));
        }
        // The latest done first.
        groups[3].reverse();
        let mut rows = Vec::with_capacity(count + 4);
        let kinds = [
            Group::Due(ActivityState::Late),
            Group::Due(ActivityState::Today),
            Group::Due(ActivityState::Planned),
            Group::Done,
        ];
        // Every open group is named while open ones are listed ("Today (0) none"); the others
        // when they hold rows.
        let open_listed = matches!(
            self.filter.status,
            ActivityStatus::Open | ActivityStatus::All
        );
        for (group, items) in kinds.into_iter().zip(groups) {
            let named = match group {
                Group::Due(_) => open_listed || !items.is_empty(),
                Group::Done => !items.is_empty(),
            };
            if !named {
                continue;
            }
            let n = match group {
                Group::Due(_) => items.iter().filter(|o| !o.activity.done).count(),
                Group::Done => items.len(),
            };
            rows.push(Row::Heading(group, n));
            rows.extend(items.into_iter().map(Row::Item));
        }
        self.rows = Some(Rows {
            generation: ws.generation(),
            today,
            filter: self.filter.clone(),
            kept: kept_count,
            rows,
            count,
        });
    }
}

/// A kind of the search, or any.
fn kind_choice(kind: Option<ActivityKind>) -> String {
    kind.map_or_else(|| tr!("Any kind"), kind_label)
}

fn status_label(status: ActivityStatus) -> String {
    match status {
        ActivityStatus::Open => tr!("Open"),
        ActivityStatus::Overdue => tr!("Overdue"),
        ActivityStatus::Done => tr!("Done"),
        ActivityStatus::All => tr!("All"),
    }
}

/// A labelled day of the search, typed or picked: the day it says, none when empty, the day
/// before (`was`) while what is typed is no date, which shows in red.
fn day_field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    was: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let name = label.to_owned();
    let label = ui.text(label);
    let parsed = parse_date(Field::Due, text);
    let color = if parsed.is_err() {
        theme::colors(ui).error
    } else {
        ui.visuals().text_color()
    };
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text(ui.rtl(crate::i18n::date_hint()))
            .text_color(color)
            .desired_width(112.0),
    )
    .labelled_by(label.id);
    crate::date_picker::picker_button(ui, text, today, &name);
    parse_date(Field::Due, text).unwrap_or(was)
}

fn heading_ui(ui: &mut egui::Ui, group: Group, n: usize) {
    let colors = theme::colors(ui);
    let (title, tint) = match group {
        Group::Due(state @ ActivityState::Late) => {
            (trn!(n, "Overdue ({n})"), colors.activity(state))
        }
        Group::Due(state @ ActivityState::Today) => {
            (trn!(n, "Today ({n})"), colors.activity(state))
        }
        Group::Due(state @ ActivityState::Planned) => {
            (trn!(n, "Upcoming ({n})"), colors.activity(state))
        }
        Group::Done => (trn!(n, "Done ({n})"), colors.text_muted),
    };
    ui.allocate_ui_with_layout(
        vec2(ui.available_width(), ROW_HEIGHT),
        direction::start_to_end(Align::Max),
        |ui| {
            // Clear of the scroll bar in a right-to-left layout, in line with the rows.
            ui.add_space(4.0);
            let text = RichText::new(title).strong().size(15.0).color(tint);
            ui.text(text);
            if n == 0 {
                ui.text(RichText::new(tr!("none")).color(theme::colors(ui).text_muted));
            }
        },
    );
}

/// How far the due date is from today: "3 days late", "today", "in 5 days".
fn relative(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        0 => tr!("today"),
        1 => tr!("tomorrow"),
        n if n < 0 => trn!(n.unsigned_abs(), "{n} days late"),
        n => trn!(n, "in {n} days"),
    }
}

/// A fixed-width cell of a row.
fn cell<R>(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.allocate_ui_with_layout(
        vec2(width, ROW_HEIGHT),
        direction::start_to_end(Align::Center),
        |ui| {
            ui.set_width(width);
            add(ui)
        },
    )
    .inner
}

/// One activity: Done, kind, summary, due date and what it is about.
fn item_ui(ui: &mut egui::Ui, open: &ListedActivity, today: NaiveDate) -> Option<Action> {
    let a = &open.activity;
    let state = ActivityState::of(a.due, today);
    let mut action = None;
    ui.allocate_ui_with_layout(
        vec2(ui.available_width(), ROW_HEIGHT),
        direction::start_to_end(Align::Center),
        |ui| {
            ui.add_space(12.0);
            cell(ui, 64.0, |ui| {
                if a.done {
                    // Marked done here: no button where the pointer just clicked.
                    let done =
                        ui.rtl(RichText::new(tr!("Done")).color(theme::colors(ui).text_muted));
                    ui.add(egui::Label::new(done).selectable(false));
                    return;
                }
                let done = ui
                    .button_text(tr!("Done"))
                    .accessible_name(tr!("Mark “{summary}” done", summary = a.summary))
                    .on_hover_text(ui.rtl(tr!("Mark as done")));
                if done.clicked() {
                    action = Some(Action::MarkDone(a.id));
                }
            });
            cell(ui, 70.0, |ui| {
                ui.text(RichText::new(kind_label(a.kind)).color(theme::colors(ui).text_muted));
            });
            let rest = ui.available_width();
            let summary_width = (rest * 0.4).clamp(160.0, 380.0);
            if let Some(edit) = cell(ui, summary_width, |ui| summary_link(ui, a, true)) {
                action = Some(edit);
            }
            cell(ui, 170.0, |ui| {
                ui.text(RichText::new(when_label(a)).color(theme::colors(ui).activity(state)));
            });
            cell(ui, 100.0, |ui| {
                ui.text(RichText::new(relative(a.due, today)).color(theme::colors(ui).text_muted));
            });
            let (what, target) = match a.link {
                ActivityLink::Opportunity(id) => (tr!("Deal"), Action::Open(id)),
                ActivityLink::Account(id) => (tr!("Account"), Action::OpenAccount(id)),
            };
            ui.text(
                RichText::new(what)
                    .size(12.0)
                    .color(theme::colors(ui).text_muted),
            );
            let link = ui
                .add(egui::Link::new(&open.about))
                .on_hover_text(ui.rtl(tr!("Open {name}", name = open.about)));
            if link.clicked() {
                action = Some(target);
            }
        },
    );
    action
}
