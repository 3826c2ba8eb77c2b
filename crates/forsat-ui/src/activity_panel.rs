//! The activities of one deal or account: a list with "Done" buttons and a line to plan a new
//! one. Shared by the deal form and the account detail.

use crate::direction;
use crate::ui_ext::UiExt;
use chrono::Days;
use egui::{RichText, TextEdit};

use super::app::Action;
use super::theme;
use crate::command::{Change, Command};
use crate::domain::{
    Activity, ActivityKind, ActivityLink, ActivityState, EntityKind, Field, FieldError, Problem,
    Record, clean_name, parse_date, parse_time,
};
use crate::i18n::{editable, format_date};
use crate::tr;
use crate::workspace::Workspace;

/// What is typed for the next activity.
#[derive(Debug, Default)]
pub struct ActivityPanel {
    kind: ActivityKind,
    summary: String,
    due: String,
    /// The time of day, optional.
    time: String,
    error: Option<String>,
    /// The summary takes the keyboard, in sight, when next drawn (`A` on a deal).
    focus: bool,
}

/// An activity kind's name.
pub fn kind_label(kind: ActivityKind) -> String {
    match kind {
        ActivityKind::Call => tr!("Call"),
        ActivityKind::Meeting => tr!("Meeting"),
        ActivityKind::Email => tr!("Email"),
        ActivityKind::Task => tr!("Task"),
    }
}

/// When an activity is: its day, and its time when it has one, to its end when it has a
/// length ("2026-12-08 14:30", "2026-12-08 14:30–15:15").
pub fn when_label(a: &Activity) -> String {
    let Some(time) = a.time else {
        return format_date(a.due);
    };
    let clock = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    let span = match a.minutes {
        0 => clock(time),
        n => {
            let end = time + chrono::Duration::minutes(i64::from(n));
            format!("{}–{}", clock(time), clock(end))
        }
    };
    format!(
        "{} {}",
        format_date(a.due),
        crate::i18n::localize_digits(&span)
    )
}

/// The summary of an activity, struck through once done; a click on it opens its editor.
pub fn summary_link(ui: &mut egui::Ui, a: &Activity, truncate: bool) -> Option<Action> {
    let summary = RichText::new(&a.summary);
    let summary = if a.done {
        summary.strikethrough().color(theme::colors(ui).text_muted)
    } else {
        summary.color(theme::colors(ui).text_strong)
    };
    // A button without a frame: it reads as text, and as "Edit activity …" to assistive
    // technology.
    let button = egui::Button::new(ui.rtl(summary)).frame(false);
    let button = if truncate { button.truncate() } else { button };
    let response = ui
        .add(button)
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(ui.rtl(tr!("Edit: time, length, salesperson, notes")))
        .accessible_name(tr!("Edit activity {summary}", summary = a.summary));
    response.clicked().then_some(Action::EditActivity(a.id))
}

/// The colour of an activity due on `due`: late red, today amber, planned green.
pub fn state_color(
    ui: &egui::Ui,
    due: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> egui::Color32 {
    theme::colors(ui).activity(ActivityState::of(due, today))
}

/// The command saving `activity` (new with id 0, or changed).
fn put(activity: Activity) -> Action {
    Action::Apply(Command::Change(Box::new(Change::put(Record::Activity(
        activity,
    )))))
}

/// One activity: done box, kind, summary (struck through once done), due date in its state's
/// colour, Delete.
fn row_ui(ui: &mut egui::Ui, ws: &Workspace, a: &Activity, actions: &mut Vec<Action>) {
    let mut done = a.done;
    let done_box = ui
        .add(egui::Checkbox::without_text(&mut done))
        .on_hover_text(ui.rtl(tr!("Mark as done")))
        .accessible_name(tr!("Done: {summary}", summary = a.summary));
    if done_box.changed() {
        actions.push(if done {
            Action::MarkDone(a.id)
        } else {
            put(Activity { done, ..a.clone() })
        });
    }
    ui.text(RichText::new(kind_label(a.kind)).color(theme::colors(ui).text_muted));
    actions.extend(summary_link(ui, a, false));
    let color = if a.done {
        theme::colors(ui).text_muted
    } else {
        state_color(ui, a.due, ws.today())
    };
    ui.text(RichText::new(when_label(a)).color(color));
    let delete = ui
        .small_button_text(tr!("Delete"))
        .accessible_name(tr!("Delete activity {summary}", summary = a.summary));
    if delete.clicked() {
        let change = Change {
            remove: vec![(EntityKind::Activity, a.id)],
            ..Change::default()
        };
        actions.push(Action::Apply(Command::Change(Box::new(change))));
    }
}

impl ActivityPanel {
    /// Puts the keyboard in the summary of the next activity when the panel is next drawn.
    pub fn take_keyboard(&mut self) {
        self.focus = true;
    }

    /// Lists the activities of `link`, open ones first, and the line to add one; `elsewhere`
    /// activities are listed below it (an account's deals').
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        link: ActivityLink,
        elsewhere: usize,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let activities = ws.activities_of(link);
        if activities.is_empty() {
            let none = if elsewhere > 0 {
                tr!("None of its own: those of its deals are below.")
            } else {
                tr!("No activities yet.")
            };
            ui.text(RichText::new(none).color(theme::colors(ui).text_muted));
        } else {
            direction::grid_scope(ui, |ui| {
                egui::Grid::new(("activities_grid", link))
                    .num_columns(5)
                    .striped(true)
                    .spacing([12.0, 4.0])
                    .show(ui, |ui| {
                        for a in activities {
                            row_ui(ui, ws, a, &mut actions);
                            ui.end_row();
                        }
                    })
            });
        }
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_id_salt(("activity_kind", link))
                .selected_text(ui.rtl(kind_label(self.kind)))
                .width(90.0)
                .show_ui(ui, |ui| {
                    for kind in ActivityKind::ALL {
                        ui.selectable_value_text(&mut self.kind, kind, kind_label(kind));
                    }
                })
                .response
                .accessible_name(tr!("New activity kind"));
            let summary = ui
                .add(
                    TextEdit::singleline(&mut self.summary)
                        .hint_text(ui.rtl(tr!("What is next?")))
                        .desired_width(170.0),
                )
                .accessible_name(tr!("New activity summary"));
            if std::mem::take(&mut self.focus) {
                summary.request_focus();
                summary.scroll_to_me(Some(egui::Align::Center));
            }
            let add = ui.input(|i| i.key_pressed(egui::Key::Enter)) && summary.lost_focus();
            if self.due.is_empty() {
                let today = ws.today();
                self.due = editable(format_date(
                    today.checked_add_days(Days::new(1)).unwrap_or(today),
                ));
            }
            ui.add(
                TextEdit::singleline(&mut self.due)
                    .hint_text(ui.rtl(crate::i18n::date_hint()))
                    .desired_width(84.0),
            )
            .accessible_name(tr!("New activity due date"));
            let name = tr!("New activity due date");
            super::date_picker::picker_button(ui, &mut self.due, ws.today(), &name);
            let time = ui
                .add(
                    TextEdit::singleline(&mut self.time)
                        .hint_text(ui.rtl(tr!("time")))
                        .desired_width(52.0),
                )
                .accessible_name(tr!("New activity time"));
            let add = add || (ui.input(|i| i.key_pressed(egui::Key::Enter)) && time.lost_focus());
            if ui.button_text(tr!("Add activity")).clicked() || add {
                match self.planned(link) {
                    Ok(activity) => {
                        actions.push(put(activity));
                        self.summary.clear();
                        self.time.clear();
                        self.error = None;
                        // Added with Enter: the keyboard stays for the next one, in sight
                        // under the list that just grew.
                        self.focus |= add;
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
        });
        if let Some(error) = &self.error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        actions
    }

    /// The activity typed in, or what is wrong with it.
    fn planned(&self, link: ActivityLink) -> Result<Activity, FieldError> {
        let due = parse_date(Field::Due, &self.due)?
            .ok_or_else(|| FieldError::new(Field::Due, Problem::Required))?;
        let summary = clean_name(Field::Summary, &self.summary)?;
        Ok(Activity {
            time: parse_time(Field::Time, &self.time)?,
            ..Activity::planned(self.kind, summary, due, link)
        })
    }
}
