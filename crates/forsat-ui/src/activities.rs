//! The open activities, overdue first, then today's, then upcoming ones: each marked done with
//! one click, and linked to the deal or account it is about. A row marked done here stays in
//! place, struck through, until the user hides the done ones or comes back to the view: the
//! next row never slides under the pointer (a double click would close two).

use crate::direction;
use crate::ui_ext::UiExt;
use chrono::NaiveDate;
use egui::{Align, Color32, RichText, ScrollArea, vec2};

use super::activity_panel::{kind_label, summary_link, when_label};
use super::app::{Action, Ctx};
use super::theme;
use crate::domain::{ActivityLink, ActivityState};
use crate::workspace::{OpenActivity, Workspace};
use crate::{tr, trn};

/// Height of a row (a heading or an activity); fixed, so only the visible rows are laid out.
const ROW_HEIGHT: f32 = 28.0;

/// A row of the list: a group's heading or one activity.
enum Row {
    Heading(ActivityState, usize),
    Item(OpenActivity),
}

/// The rows, recomputed only when the data, the day or the rows kept done change.
struct Rows {
    generation: u64,
    today: NaiveDate,
    /// How many rows marked done here it shows.
    kept: usize,
    rows: Vec<Row>,
    count: usize,
}

/// The activities view.
#[derive(Default)]
pub struct ActivitiesView {
    rows: Option<Rows>,
    /// The activities marked done in this visit, kept in their rows.
    marked: Vec<OpenActivity>,
    /// The frame the view was last drawn in: a gap means the user was elsewhere.
    drawn: u64,
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
        self.refresh(ws, today);
        let mut actions = Vec::new();
        let Some(rows) = &self.rows else {
            return actions;
        };
        ui.add_space(6.0);
        let mut hide = false;
        ui.horizontal(|ui| {
            ui.text(RichText::new(tr!("Activities")).heading());
            ui.text(RichText::new(trn!(rows.count, "{n} open")).color(theme::TEXT_MUTED));
            if rows.kept > 0 {
                hide = ui
                    .button_text(trn!(rows.kept, "Hide done ({n})"))
                    .on_hover_text(ui.rtl(tr!("Take the rows marked done off the list")))
                    .clicked();
            }
        });
        ui.add_space(4.0);
        if rows.count == 0 && rows.kept == 0 {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.text(
                    RichText::new(tr!("Nothing to do: no open activities."))
                        .size(16.0)
                        .color(theme::TEXT_MUTED),
                );
                let hint = tr!("Plan calls, meetings and tasks from a deal or an account.");
                ui.text(RichText::new(hint).color(theme::TEXT_MUTED));
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
                        Row::Heading(state, n) => heading_ui(ui, *state, *n),
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

    fn refresh(&mut self, ws: &Workspace, today: NaiveDate) {
        // The rows marked done that are done now (not undone, not deleted).
        let kept: Vec<OpenActivity> = self
            .marked
            .iter()
            .filter_map(|o| {
                let activity = ws.activity(o.activity.id).filter(|a| a.done)?;
                Some(OpenActivity {
                    activity: activity.clone(),
                    about: o.about.clone(),
                })
            })
            .collect();
        let fresh = self.rows.as_ref().is_some_and(|r| {
            r.generation == ws.generation() && r.today == today && r.kept == kept.len()
        });
        if fresh {
            return;
        }
        let open = ws.open_activities();
        let count = open.len();
        let kept_count = kept.len();
        let mut all = open;
        all.extend(kept);
        all.sort_by_key(|o| (o.activity.due, o.activity.id));
        let mut groups: [Vec<OpenActivity>; 3] = Default::default();
        for o in all {
            let group = match ActivityState::of(o.activity.due, today) {
                ActivityState::Late => 0,
                ActivityState::Today => 1,
                ActivityState::Planned => 2,
            };
            groups[group].push(o);
        }
        let mut rows = Vec::with_capacity(count + 3);
        let states = [
            ActivityState::Late,
            ActivityState::Today,
            ActivityState::Planned,
        ];
        for (state, group) in states.into_iter().zip(groups) {
            let open = group.iter().filter(|o| !o.activity.done).count();
            rows.push(Row::Heading(state, open));
            rows.extend(group.into_iter().map(Row::Item));
        }
        self.rows = Some(Rows {
            generation: ws.generation(),
            today,
            kept: kept_count,
            rows,
            count,
        });
    }
}

fn color(state: ActivityState) -> Color32 {
    match state {
        ActivityState::Late => theme::ACTIVITY_LATE,
        ActivityState::Today => theme::ACTIVITY_TODAY,
        ActivityState::Planned => theme::ACTIVITY_PLANNED,
    }
}

fn heading_ui(ui: &mut egui::Ui, state: ActivityState, n: usize) {
    let title = match state {
        ActivityState::Late => trn!(n, "Overdue ({n})"),
        ActivityState::Today => trn!(n, "Today ({n})"),
        ActivityState::Planned => trn!(n, "Upcoming ({n})"),
    };
    ui.allocate_ui_with_layout(
        vec2(ui.available_width(), ROW_HEIGHT),
        direction::start_to_end(Align::Max),
        |ui| {
            let text = RichText::new(title).strong().size(15.0).color(color(state));
            ui.text(text);
            if n == 0 {
                ui.text(RichText::new(tr!("none")).color(theme::TEXT_MUTED));
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
fn item_ui(ui: &mut egui::Ui, open: &OpenActivity, today: NaiveDate) -> Option<Action> {
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
                    let done = ui.rtl(RichText::new(tr!("Done")).color(theme::TEXT_MUTED));
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
                ui.text(RichText::new(kind_label(a.kind)).color(theme::TEXT_MUTED));
            });
            let rest = ui.available_width();
            let summary_width = (rest * 0.4).clamp(160.0, 380.0);
            if let Some(edit) = cell(ui, summary_width, |ui| summary_link(ui, a, true)) {
                action = Some(edit);
            }
            cell(ui, 130.0, |ui| {
                ui.text(RichText::new(when_label(a)).color(color(state)));
            });
            cell(ui, 100.0, |ui| {
                ui.text(RichText::new(relative(a.due, today)).color(theme::TEXT_MUTED));
            });
            let (what, target) = match a.link {
                ActivityLink::Opportunity(id) => (tr!("Deal"), Action::Open(id)),
                ActivityLink::Account(id) => (tr!("Account"), Action::OpenAccount(id)),
            };
            ui.text(RichText::new(what).size(12.0).color(theme::TEXT_MUTED));
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
