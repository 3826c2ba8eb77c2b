//! The calendar file: an iCalendar file Forsat writes every activity to after each change, for
//! a calendar app to subscribe to. Only a new file or one Forsat wrote is taken: a file of the
//! user's own is never replaced.

use egui::RichText;

use crate::app::Action;
use crate::command::Command;
use crate::file_field::{FileField, Pick, documents_dir};
use crate::theme;
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// What every calendar file Forsat writes says in its first lines.
const FORSAT_CALENDAR: &str = "PRODID:-//Forsat//";

/// The calendar file's row of the General section.
#[derive(Default)]
pub(super) struct CalendarFileRow {
    file: FileField,
    /// Why the file named cannot be kept.
    error: Option<String>,
}

impl CalendarFileRow {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        ui.text(
            RichText::new(tr!("Calendar file"))
                .strong()
                .color(theme::colors(ui).text_strong),
        );
        ui.text(
            RichText::new(tr!(
                "Forsat writes every activity to this iCalendar file after each change, so a calendar app that subscribes to the file shows them."
            ))
            .color(theme::colors(ui).text_muted),
        );
        if let Some(path) = ws.calendar_file() {
            ui.horizontal(|ui| {
                ui.text(tr!("Kept up to date: {file}", file = path.display()));
                if ui.button_text(tr!("Stop keeping it")).clicked() {
                    let command = Command::SetCalendarFile { path: None };
                    actions.push(Action::Apply(command));
                }
            });
            return;
        }
        if self.file.path.is_empty() {
            let suggested = documents_dir().join("forsat-activities.ics");
            self.file.path = suggested.display().to_string();
        }
        ui.horizontal(|ui| {
            // Not "File": the menu of that name is there too.
            let label = ui.text(tr!("Path"));
            if self
                .file
                .ui(ui, label.id, Pick::Save, ("iCalendar", &["ics"]))
            {
                self.error = None;
            }
        });
        if ui.button_text(tr!("Keep this file up to date")).clicked() {
            match self.chosen() {
                Ok(path) => {
                    self.error = None;
                    let command = Command::SetCalendarFile { path: Some(path) };
                    actions.push(Action::Apply(command));
                }
                Err(why) => self.error = Some(why),
            }
        }
        if let Some(error) = &self.error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
    }

    /// The file named, as an absolute path, if it can be kept: an .ics file that is new or
    /// one Forsat wrote.
    fn chosen(&self) -> Result<std::path::PathBuf, String> {
        let Some(path) = self.file.path() else {
            return Err(tr!("Path: is required"));
        };
        let path = std::path::absolute(&path).unwrap_or(path);
        let file = path.display().to_string();
        let ics = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ics"));
        if !ics {
            return Err(tr!("{file} does not end in .ics.", file = file));
        }
        if path.exists() {
            let head = std::fs::read(&path)
                .map(|bytes| String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).into_owned())
                .unwrap_or_default();
            if !head.contains(FORSAT_CALENDAR) {
                return Err(tr!(
                    "{file} exists and is not a calendar Forsat wrote: it is not replaced. Choose another name.",
                    file = file
                ));
            }
        }
        Ok(path)
    }
}
