//! The activities of one deal or account: a list with "Done" buttons and a line to plan a new
//! one. Shared by the deal form and the account detail.

use chrono::Days;
use egui::{RichText, TextEdit};

use super::app::Action;
use super::theme;
use crate::command::{Change, Command};
use crate::domain::*;
use crate::i18n::format_date;
use crate::tr;
use crate::workspace::Workspace;

/// What is typed for the next activity.
#[derive(Debug, Default)]
pub struct ActivityPanel {
    kind: ActivityKind,
    summary: String,
    due: String,
    error: Option<String>,
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

/// The colour of an activity due on `due`: late red, today amber, planned green.
pub fn state_color(due: chrono::NaiveDate, today: chrono::NaiveDate) -> egui::Color32 {
    match ActivityState::of(due, today) {
        ActivityState::Late => theme::ACTIVITY_LATE,
        ActivityState::Today => theme::ACTIVITY_TODAY,
        ActivityState::Planned => theme::ACTIVITY_PLANNED,
    }
}

/// The "Done" command for an activity.
pub fn mark_done(activity: &Activity) -> Action {
    Action::Apply(Command::Change(Box::new(Change::put(Record::Activity(
        Activity {
            done: true,
            ..activity.clone()
        },
    )))))
}

impl ActivityPanel {
    /// Lists the activities of `link`, open ones first, and the line to add one.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, link: ActivityLink) -> Vec<Action> {
        let mut actions = Vec::new();
        let today = ws.today();
        let activities = ws.activities_of(link);
        if activities.is_empty() {
            ui.label(RichText::new(tr!("No activities yet.")).color(theme::TEXT_MUTED));
        }
        for a in activities {
            ui.horizontal(|ui| {
                if a.done {
                    ui.label(RichText::new(tr!("Done")).small().color(theme::TEXT_MUTED));
                } else {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter()
                        .circle_filled(rect.center(), 4.5, state_color(a.due, today));
                }
                let color = if a.done {
                    theme::TEXT_MUTED
                } else {
                    theme::TEXT_STRONG
                };
                ui.label(RichText::new(kind_label(a.kind)).strong().color(color));
                ui.label(RichText::new(&a.summary).color(color));
                ui.label(RichText::new(format_date(a.due)).color(if a.done {
                    theme::TEXT_MUTED
                } else {
                    state_color(a.due, today)
                }));
                if !a.done
                    && ui
                        .small_button(tr!("Done"))
                        .on_hover_text(tr!("Mark “{summary}” as done", summary = a.summary))
                        .clicked()
                {
                    actions.push(mark_done(a));
                }
            });
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt(("activity_kind", link))
                .selected_text(kind_label(self.kind))
                .width(90.0)
                .show_ui(ui, |ui| {
                    for kind in ActivityKind::ALL {
                        ui.selectable_value(&mut self.kind, kind, kind_label(kind));
                    }
                })
                .response
                .accessible_name(tr!("New activity kind"));
            let name = tr!("New activity summary");
            ui.add(
                TextEdit::singleline(&mut self.summary)
                    .hint_text(tr!("What is next?"))
                    .desired_width(150.0),
            )
            .accessible_name(name);
            if self.due.is_empty() {
                self.due = format_date(today.checked_add_days(Days::new(1)).unwrap_or(today));
            }
            let name = tr!("New activity due date");
            ui.add(TextEdit::singleline(&mut self.due).desired_width(84.0))
                .accessible_name(name);
            if ui.button(tr!("Plan")).clicked() {
                match self.planned(link) {
                    Ok(activity) => {
                        actions.push(Action::Apply(Command::Change(Box::new(Change::put(
                            Record::Activity(activity),
                        )))));
                        self.summary.clear();
                        self.error = None;
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
        });
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme::ERROR));
        }
        actions
    }

    /// The activity typed in, or what is wrong with it.
    fn planned(&self, link: ActivityLink) -> Result<Activity, FieldError> {
        let due = parse_date(Field::Due, &self.due)?
            .ok_or_else(|| FieldError::new(Field::Due, Problem::Required))?;
        let summary = clean_name(Field::Summary, &self.summary)?;
        Ok(Activity {
            id: 0,
            kind: self.kind,
            summary,
            due,
            done: false,
            link,
        })
    }
}
