//! The General section: base currency, default expected close, date format, first day of
//! the week, predicted probabilities and backups.

use crate::direction;
use crate::ui_ext::UiExt;

use egui::{Margin, RichText, TextEdit, ThemePreference};

use super::{Form, LABEL_WIDTH, NUMBER_WIDTH, Switch, muted};
use crate::app::Action;
use crate::command::Command;
use crate::domain::{Calendar, DateFormat, Language, Settings, WeekStart};
use crate::reply::{self, Replies, Reply, Sent};
use crate::theme;
use crate::tr;
use crate::unsaved::{self, FormKey};
use crate::workspace::Workspace;

/// The default expected close is at most ten years away.
const MAX_CLOSE_DAYS: u32 = 3650;
/// The most daily backups kept.
const MAX_BACKUPS: u32 = 365;

/// The settings as the General grid edits them; numbers stay text until saved.
#[derive(Clone, Debug, PartialEq)]
struct GeneralDraft {
    base_currency: String,
    close_days: String,
    date_format: DateFormat,
    week_start: WeekStart,
    backups: bool,
    backups_keep: String,
    language: Option<Language>,
    calendar: Option<Calendar>,
    predicted_probability: bool,
}

/// A row of the General grid that can hold a bad number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberRow {
    CloseDays,
    BackupsKeep,
}

impl GeneralDraft {
    fn of(s: &Settings) -> Self {
        GeneralDraft {
            base_currency: s.base_currency.clone(),
            close_days: s.close_offset_days.to_string(),
            date_format: s.date_format,
            week_start: s.week_start,
            backups: s.backups,
            backups_keep: s.backups_keep.to_string(),
            language: s.language,
            calendar: s.calendar,
            predicted_probability: s.predicted_probability,
        }
    }

    /// The settings typed; or each bad number's row and message.
    fn settings(&self) -> Result<Settings, Vec<(NumberRow, String)>> {
        let whole = |text: &str, min: u32, max: u32| {
            text.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (min..=max).contains(n))
        };
        let close = whole(&self.close_days, 0, MAX_CLOSE_DAYS);
        let keep = whole(&self.backups_keep, 1, MAX_BACKUPS);
        let mut errors = Vec::new();
        if close.is_none() {
            errors.push((
                NumberRow::CloseDays,
                tr!(
                    "Default expected close: enter a whole number of days from 0 to {max}",
                    max = MAX_CLOSE_DAYS
                ),
            ));
        }
        if keep.is_none() {
            errors.push((
                NumberRow::BackupsKeep,
                tr!(
                    "How many: enter a whole number of backups from 1 to {max}",
                    max = MAX_BACKUPS
                ),
            ));
        }
        match (close, keep) {
            (Some(close), Some(keep)) => Ok(Settings {
                base_currency: self.base_currency.clone(),
                close_offset_days: close,
                date_format: self.date_format,
                week_start: self.week_start,
                backups: self.backups,
                backups_keep: keep,
                language: self.language,
                calendar: self.calendar,
                predicted_probability: self.predicted_probability,
            }),
            _ => Err(errors),
        }
    }
}

/// A row of the General form choosing one of `choices` from a dropdown, each shown as `name`
/// says.
fn choice_row<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: String,
    id: &str,
    value: &mut T,
    choices: impl IntoIterator<Item = T>,
    name: impl Fn(T) -> String,
) {
    let label = ui.rtl(label);
    direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
        egui::ComboBox::from_id_salt(id)
            .selected_text(ui.rtl(name(*value)))
            .width(200.0)
            .show_ui(ui, |ui| {
                for choice in choices {
                    ui.selectable_value_text(value, choice, name(choice));
                }
            })
            .response
            .labelled_by(label);
    });
}

fn week_start_label(day: WeekStart) -> String {
    match day {
        WeekStart::Monday => tr!("Monday"),
        WeekStart::Sunday => tr!("Sunday"),
        WeekStart::Saturday => tr!("Saturday"),
    }
}

/// The General section.
#[derive(Default)]
pub(super) struct GeneralTab {
    draft: Option<GeneralDraft>,
    /// The stored settings the draft was taken from.
    stored: Option<GeneralDraft>,
    errors: Vec<(NumberRow, String)>,
    /// Why the workspace refused the last save.
    pub(super) refused: Option<String>,
    /// "Save settings", sent.
    sent: Option<Sent<()>>,
    calendar: super::calendar_file::CalendarFileRow,
}

impl GeneralTab {
    pub(super) fn settle(&mut self, replies: &Replies) {
        match replies.take(&mut self.sent) {
            // Saved: show the settings as stored.
            Some(((), Reply::Applied { .. })) => self.discard(),
            Some(((), Reply::Refused { message, .. })) => self.refused = Some(message),
            None => {}
        }
    }

    /// Whether the draft differs from the stored settings.
    pub(super) fn dirty(&self) -> bool {
        self.draft.is_some() && self.draft != self.stored
    }

    /// Drops the draft: the form shows the stored settings.
    pub(super) fn discard(&mut self) {
        self.draft = None;
        self.errors.clear();
        self.refused = None;
    }

    /// The command saving the draft; None, with each bad number's message, when one is wrong.
    pub(super) fn command(&mut self, ws: &Workspace) -> Option<Command> {
        match self.draft.as_ref()?.settings() {
            Ok(settings) => {
                self.errors.clear();
                self.refused = None;
                Some(Command::Change(Box::new(ws.settings_change(settings))))
            }
            Err(errors) => {
                self.errors = errors;
                None
            }
        }
    }

    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let stored = GeneralDraft::of(ws.settings());
        // Follow the stored settings (an undo) unless the user has edits of their own.
        if self.stored.as_ref() != Some(&stored) {
            if self.draft.is_none() || self.draft == self.stored {
                self.draft = Some(stored.clone());
            }
            self.stored = Some(stored.clone());
        }
        let mut save = false;
        match unsaved::form_key(ui) {
            Some(FormKey::Save) => save = true,
            Some(FormKey::Close) => *switch = Some(Switch::Close(Form::General)),
            None => {}
        }
        let mut draft = self.draft.take().unwrap_or_else(|| stored.clone());
        let dirty = draft != stored;
        egui::ScrollArea::vertical()
            .id_salt("settings_general")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(18, 10))
                    .show(ui, |ui| {
                        appearance_ui(ui);
                        ui.add_space(18.0);
                        ui.horizontal(|ui| {
                            ui.text(
                                RichText::new(tr!("General"))
                                    .strong()
                                    .size(17.0)
                                    .color(theme::colors(ui).text_strong),
                            );
                            unsaved::marker(ui, dirty);
                        });
                        ui.add_space(8.0);
                        save |= self.rows_ui(ui, ws, &stored, &mut draft);
                        if let Some(refused) = &self.refused {
                            ui.text(RichText::new(refused).color(theme::colors(ui).error));
                        }
                        ui.add_space(10.0);
                        ui.horizontal(|ui| {
                            let button = egui::Button::new(
                                ui.rtl(RichText::new(tr!("Save settings")).strong()),
                            );
                            save |= ui.add_enabled(dirty, button).clicked();
                            if dirty && ui.button_text(tr!("Discard")).clicked() {
                                *switch = Some(Switch::Close(Form::General));
                            }
                        });
                        ui.add_space(18.0);
                        self.calendar.ui(ui, ws, actions);
                    });
            });
        if (draft != stored) != dirty {
            // The marker follows the typing at once.
            ui.ctx().request_repaint();
        }
        self.draft = Some(draft);
        if save
            && self.dirty()
            && let Some(command) = self.command(ws)
        {
            actions.push(reply::send(&mut self.sent, (), command));
        }
    }

    fn error_ui(&self, ui: &mut egui::Ui, row: NumberRow) {
        if let Some((_, message)) = self.errors.iter().find(|(r, _)| *r == row) {
            ui.text(RichText::new(message).color(theme::colors(ui).error));
        }
    }

    /// The rows of the form, in reading order; true when Enter was pressed in a number field.
    fn rows_ui(
        &self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        stored: &GeneralDraft,
        draft: &mut GeneralDraft,
    ) -> bool {
        currency_row(ui, ws, stored, draft);
        let mut entered = self.close_days_row(ui, draft);
        language_rows(ui, ws.today(), draft);
        prediction_row(ui, draft);
        entered |= self.backups_rows(ui, draft);
        entered
    }

    /// The days a new deal's expected close is set ahead; true when Enter was pressed in it.
    fn close_days_row(&self, ui: &mut egui::Ui, draft: &mut GeneralDraft) -> bool {
        let mut entered = false;
        let label = ui.rtl(tr!("Default expected close"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            ui.horizontal(|ui| {
                let field = ui
                    .add(TextEdit::singleline(&mut draft.close_days).desired_width(NUMBER_WIDTH))
                    .labelled_by(label);
                entered |= unsaved::submitted(ui, &field);
                ui.text(tr!("days from today, for a new deal"));
            });
            self.error_ui(ui, NumberRow::CloseDays);
        });
        entered
    }

    /// Daily backups and how many are kept; true when Enter was pressed in the number.
    fn backups_rows(&self, ui: &mut egui::Ui, draft: &mut GeneralDraft) -> bool {
        let mut entered = false;
        let label = ui.rtl(tr!("Daily backups"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
            ui.checkbox_text(
                &mut draft.backups,
                tr!("Keep a copy of the file each day it is opened"),
            );
        });

        let label = ui.rtl(tr!("How many"));
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            ui.horizontal(|ui| {
                let field = ui
                    .add_enabled(
                        draft.backups,
                        TextEdit::singleline(&mut draft.backups_keep).desired_width(NUMBER_WIDTH),
                    )
                    .labelled_by(label);
                entered |= unsaved::submitted(ui, &field);
                ui.text(tr!("copies, the oldest removed first"));
            });
            self.error_ui(ui, NumberRow::BackupsKeep);
        });
        entered
    }
}

/// Whether deals that follow their stage's probability take the predicted one.
fn prediction_row(ui: &mut egui::Ui, draft: &mut GeneralDraft) {
    let label = ui.rtl(tr!("Probability"));
    direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
        ui.checkbox_text(
            &mut draft.predicted_probability,
            tr!("Deals without a probability of their own take the predicted one"),
        );
        ui.text(muted(ui, tr!(
            "Learnt from your own closed deals; a probability you type on a deal stays yours. Saving updates every such deal at once; then a deal moved to another stage takes its new prediction as soon as it is learnt, the others once a day."
        )));
    });
}

/// The base currency, with what changing it does.
fn currency_row(
    ui: &mut egui::Ui,
    ws: &Workspace,
    stored: &GeneralDraft,
    draft: &mut GeneralDraft,
) {
    let label = ui.rtl(tr!("Base currency"));
    direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
        egui::ComboBox::from_id_salt("settings_base_currency")
            .selected_text(ui.rtl(&draft.base_currency))
            .width(200.0)
            .show_ui(ui, |ui| {
                for code in ws.currency_codes() {
                    ui.selectable_value_text(&mut draft.base_currency, code.clone(), code);
                }
            })
            .response
            .labelled_by(label);
        let note = if draft.base_currency == stored.base_currency {
            tr!(
                "Every total is reported in it. Changing it rebases every exchange rate; add currencies under Currencies."
            )
        } else {
            tr!(
                "Saving rebases every exchange rate on {new}: {old} becomes a currency at its rate.",
                new = draft.base_currency,
                old = stored.base_currency
            )
        };
        ui.text(muted(ui, note));
    });
}

/// The theme: this computer's choice, taken at once, not one of the file's settings to save.
fn appearance_ui(ui: &mut egui::Ui) {
    ui.text(
        RichText::new(tr!("Appearance"))
            .strong()
            .size(17.0)
            .color(theme::colors(ui).text_strong),
    );
    let was = ui.ctx().options(|o| o.theme_preference);
    let mut choice = was;
    let name = |choice: ThemePreference| match choice {
        ThemePreference::System => tr!("As the system"),
        ThemePreference::Light => tr!("Light"),
        ThemePreference::Dark => tr!("Dark"),
    };
    choice_row(
        ui,
        tr!("Theme"),
        "settings_theme",
        &mut choice,
        [
            ThemePreference::System,
            ThemePreference::Light,
            ThemePreference::Dark,
        ],
        name,
    );
    if choice != was {
        ui.ctx().set_theme(choice);
        // This frame was begun in the other theme's style.
        ui.ctx().request_discard("the theme changed");
    }
    ui.text(muted(
        ui,
        tr!("Taken at once; remembered on this computer, not in the file, when the window closes."),
    ));
}

/// The language, the calendar, the date format and the week's first day.
fn language_rows(ui: &mut egui::Ui, today: chrono::NaiveDate, draft: &mut GeneralDraft) {
    let example = |format: DateFormat| {
        tr!(
            "{date} ({pattern})",
            date = today.format(format.pattern()),
            pattern = format.hint()
        )
    };
    let language_name = |language: Option<Language>| match language {
        Some(language) => language.native_name().to_owned(),
        None => tr!(
            "As the system ({language})",
            language = crate::i18n::system_language().native_name()
        ),
    };
    choice_row(
        ui,
        tr!("Language"),
        "settings_language",
        &mut draft.language,
        std::iter::once(None).chain(Language::ALL.map(Some)),
        language_name,
    );
    let calendar_name = |calendar: Option<Calendar>| match calendar {
        None => tr!("As the language"),
        Some(Calendar::Gregorian) => tr!("Gregorian"),
        Some(Calendar::Jalali) => tr!("Jalali (Solar Hijri)"),
    };
    choice_row(
        ui,
        tr!("Calendar"),
        "settings_calendar",
        &mut draft.calendar,
        [None, Some(Calendar::Gregorian), Some(Calendar::Jalali)],
        calendar_name,
    );
    choice_row(
        ui,
        tr!("Date format"),
        "settings_date_format",
        &mut draft.date_format,
        DateFormat::ALL,
        example,
    );
    // The Jalali calendar's weeks start on Saturday (Iran's week): its date picker, "This
    // week" and weekly goals all count so.
    let language = draft.language.unwrap_or_else(crate::i18n::system_language);
    let jalali = draft.calendar.unwrap_or(language.calendar()) == Calendar::Jalali;
    ui.add_enabled_ui(!jalali, |ui| {
        choice_row(
            ui,
            tr!("First day of the week"),
            "settings_week_start",
            &mut draft.week_start,
            WeekStart::ALL,
            week_start_label,
        );
    })
    .response
    .on_disabled_hover_text(ui.rtl(tr!("In the Jalali calendar weeks start on Saturday.")));
}
