//! The dialog that edits one activity — kind, summary, day, time, length, salesperson, notes —
//! and the question asked once a deal's activity is done and nothing else is planned for the
//! deal: "Plan the next activity?", prefilled from the deal's next step (as Pipedrive asks).

use chrono::Days;
use egui::{RichText, TextEdit};

use super::accounts::field_row;
use super::activity_panel::kind_label;
use super::theme;
use super::widgets::{digits_field, lookup_combo};
use crate::command::{Change, Command};
use crate::domain::{
    Activity, ActivityKind, ActivityLink, Field, FieldError, Id, LookupKind, Problem, Record,
    StageKind, parse_date, parse_minutes, parse_time,
};
use crate::i18n::{editable, format_date, localize_digits};
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// The labels' column.
const LABEL_WIDTH: f32 = 110.0;
/// The dialog's width.
const DIALOG_WIDTH: f32 = 420.0;

/// An activity being edited, as typed.
pub struct ActivityEditor {
    /// The activity as stored; id 0 for the next one being planned.
    base: Activity,
    kind: ActivityKind,
    summary: String,
    due: String,
    time: String,
    minutes: String,
    salesperson: Option<Id>,
    notes: String,
    errors: Vec<FieldError>,
    /// The summary takes the keyboard when first drawn.
    focus: bool,
}

/// What the user did with the editor this frame.
pub enum EditorOutcome {
    Open,
    Cancel,
    Save(Command),
}

impl ActivityEditor {
    /// Edits a stored activity.
    pub fn edit(activity: &Activity) -> Self {
        ActivityEditor {
            kind: activity.kind,
            summary: activity.summary.clone(),
            due: editable(format_date(activity.due)),
            time: activity
                .time
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            minutes: match activity.minutes {
                0 => String::new(),
                n => n.to_string(),
            },
            salesperson: activity.salesperson,
            notes: activity.notes.clone(),
            errors: Vec::new(),
            focus: true,
            base: activity.clone(),
        }
    }

    /// The next activity of the deal `done` was about, once it was marked done: None unless
    /// that deal is open and has no other open activity. Its summary is the deal's next step,
    /// its day tomorrow, its kind and salesperson those of the one done.
    pub fn next_after(ws: &Workspace, done: &Activity) -> Option<Self> {
        let ActivityLink::Opportunity(deal) = done.link else {
            return None;
        };
        let opp = ws.opportunity(deal)?;
        let open = ws
            .stage(opp.stage)
            .is_some_and(|s| s.kind == StageKind::Open);
        let planned = ws.activities_of(done.link).iter().any(|a| !a.done);
        if !open || planned || ws.is_trashed(deal) {
            return None;
        }
        let today = ws.today();
        let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
        let next = Activity {
            salesperson: done.salesperson,
            ..Activity::planned(done.kind, opp.next_step.clone(), tomorrow, done.link)
        };
        Some(ActivityEditor::edit(&next))
    }

    /// Whether it plans the next activity (rather than edits a stored one).
    fn is_next(&self) -> bool {
        self.base.id == 0
    }

    /// Shows the fields and the buttons.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> EditorOutcome {
        // A set width: rows laid out from the reading start (right to left in Persian) would
        // otherwise widen the dialog frame after frame.
        ui.set_width(DIALOG_WIDTH);
        let mut outcome = EditorOutcome::Open;
        let title = if self.is_next() {
            tr!("Plan the next activity?")
        } else {
            tr!("Edit activity")
        };
        ui.text(RichText::new(title).heading());
        ui.text(RichText::new(about(ws, self.base.link)).color(theme::colors(ui).text_muted));
        ui.add_space(6.0);
        let mut errors = std::mem::take(&mut self.errors);
        let before = self.typed();
        let submit = self.fields_ui(ui, ws, &errors);
        // An error goes once its field is typed in again: it spoke of what was there.
        let after = self.typed();
        errors.retain(|e| {
            before
                .iter()
                .zip(&after)
                .all(|((field, was), (_, is))| *field != e.field || was == is)
        });
        // Errors of fields the dialog does not show (the deal it is about was deleted).
        for e in errors.iter().filter(|e| e.field == Field::Link) {
            ui.text(RichText::new(e.to_string()).color(theme::colors(ui).error));
        }
        self.errors = errors;
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let save = if self.is_next() {
                tr!("Plan activity")
            } else {
                tr!("Save")
            };
            if ui.button_text(RichText::new(save).strong()).clicked() || submit {
                match self.activity() {
                    Ok(activity) => {
                        outcome = EditorOutcome::Save(Command::Change(Box::new(Change::put(
                            Record::Activity(activity),
                        ))));
                    }
                    Err(errors) => self.errors = errors,
                }
            }
            let cancel = if self.is_next() {
                tr!("Not now")
            } else {
                tr!("Cancel")
            };
            if ui.button_text(cancel).clicked() {
                outcome = EditorOutcome::Cancel;
            }
        });
        outcome
    }

    /// What is typed in each text field.
    fn typed(&self) -> [(Field, String); 5] {
        [
            (Field::Summary, self.summary.clone()),
            (Field::Due, self.due.clone()),
            (Field::Time, self.time.clone()),
            (Field::Duration, self.minutes.clone()),
            (Field::Notes, self.notes.clone()),
        ]
    }

    /// The fields, each with its error; whether Enter was pressed in a one-line one.
    fn fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, errors: &[FieldError]) -> bool {
        let mut submit = false;
        let error = |field: Field| errors.iter().find(|e| e.field == field);
        field_row(
            ui,
            LABEL_WIDTH,
            Field::Kind,
            error(Field::Kind),
            |ui, label| {
                egui::ComboBox::from_id_salt("activity_editor_kind")
                    .selected_text(ui.rtl(kind_label(self.kind)))
                    .show_ui(ui, |ui| {
                        for kind in ActivityKind::ALL {
                            ui.selectable_value_text(&mut self.kind, kind, kind_label(kind));
                        }
                    })
                    .response
                    .labelled_by(label);
            },
        );
        field_row(
            ui,
            LABEL_WIDTH,
            Field::Summary,
            error(Field::Summary),
            |ui, label| {
                let field = ui
                    .add(
                        TextEdit::singleline(&mut self.summary)
                            .hint_text(ui.rtl(tr!("What is next?")))
                            .desired_width(280.0),
                    )
                    .labelled_by(label);
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
                submit |= crate::unsaved::submitted(ui, &field);
            },
        );
        let today = ws.today();
        let hint = crate::i18n::date_hint();
        submit |= digits_row(ui, Field::Due, error, &mut self.due, hint, Some(today));
        let hint = tr!("14:30, or empty for any time");
        submit |= digits_row(ui, Field::Time, error, &mut self.time, &hint, None);
        let hint = tr!("minutes, or 1:30");
        submit |= digits_row(ui, Field::Duration, error, &mut self.minutes, &hint, None);
        field_row(
            ui,
            LABEL_WIDTH,
            Field::Salesperson,
            error(Field::Salesperson),
            |ui, label| {
                let none = tr!("The deal's salesperson");
                lookup_combo(
                    ui,
                    label,
                    ws,
                    LookupKind::Salesperson,
                    &mut self.salesperson,
                    &none,
                );
            },
        );
        field_row(
            ui,
            LABEL_WIDTH,
            Field::Notes,
            error(Field::Notes),
            |ui, label| {
                ui.add(
                    TextEdit::multiline(&mut self.notes)
                        .desired_rows(3)
                        .desired_width(280.0),
                )
                .labelled_by(label);
            },
        );
        submit
    }

    /// Shows why the workspace refused the activity; the dialog stays open with what was typed.
    pub fn refused(&mut self, fields: Vec<FieldError>) {
        self.errors = fields;
    }

    /// The activity as typed, or every field that is wrong.
    fn activity(&self) -> Result<Activity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let due = match parse_date(Field::Due, &self.due) {
            Ok(Some(due)) => due,
            Ok(None) => {
                errors.push(FieldError::new(Field::Due, Problem::Required));
                self.base.due
            }
            Err(e) => {
                errors.push(e);
                self.base.due
            }
        };
        let time = parse_time(Field::Time, &self.time).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let minutes = parse_minutes(&self.minutes).unwrap_or_else(|e| {
            errors.push(e);
            0
        });
        let mut record = Record::Activity(Activity {
            kind: self.kind,
            summary: self.summary.clone(),
            due,
            time,
            minutes,
            salesperson: self.salesperson,
            notes: self.notes.clone(),
            ..self.base.clone()
        });
        if let Err(more) = record.normalize_and_validate() {
            errors.extend(more);
        }
        match record {
            Record::Activity(activity) if errors.is_empty() => Ok(activity),
            _ => Err(errors),
        }
    }
}

/// A row of a day, a time or a length typed in digits (shown in the language's), with a
/// calendar to pick from for a day (`today` given); whether Enter was pressed in it.
fn digits_row<'a>(
    ui: &mut egui::Ui,
    field: Field,
    error: impl Fn(Field) -> Option<&'a FieldError>,
    text: &mut String,
    hint: &str,
    today: Option<chrono::NaiveDate>,
) -> bool {
    field_row(ui, LABEL_WIDTH, field, error(field), |ui, label| {
        ui.horizontal(|ui| {
            let id = ui.make_persistent_id(("activity_editor", field.key()));
            let hint = ui.rtl(hint);
            let edit = digits_field(ui, id, text, localize_digits, |e| {
                e.hint_text(hint).desired_width(180.0)
            })
            .labelled_by(label);
            if let Some(today) = today {
                super::date_picker::picker_button(ui, text, today, &field.label());
            }
            crate::unsaved::submitted(ui, &edit)
        })
        .inner
    })
}

/// "Deal: Fleet renewal", "Account: Acme".
fn about(ws: &Workspace, link: ActivityLink) -> String {
    let name = ws.activity_about(link).unwrap_or_default();
    match link {
        ActivityLink::Opportunity(_) => tr!("Deal: {name}", name = name),
        ActivityLink::Account(_) => tr!("Account: {name}", name = name),
    }
}
