//! The export dialog: what to write (deals, accounts, stage moves, history), which deals (all,
//! the list's current search, or its selection), CSV or XLSX, and where.

use crate::direction;
use crate::ui_ext::UiExt;
use std::path::PathBuf;

use egui::RichText;

use super::dialogs::{Asked, Overwrite};
use super::file_field::{FileField, Pick};
use super::theme;
use crate::domain::Id;
use crate::files::Replace;
use crate::interchange::{self, Format, Kind};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Which deals an export covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Everything,
    Shown,
    Selected,
}

/// The dialog's state. The deals shown and selected are taken when it opens.
pub struct ExportDialog {
    what: Kind,
    scope: Scope,
    format: Format,
    file: FileField,
    /// Whether the user typed a path of their own (else it follows the choices).
    path_typed: bool,
    shown: Vec<Id>,
    selected: Vec<Id>,
    error: Option<String>,
    /// "Replace deals.csv?" when the file exists.
    overwrite: Overwrite,
}

/// What the user did this frame.
pub enum ExportOutcome {
    Open,
    Cancel,
    /// Written: the message for the status bar.
    Done(String),
}

fn kind_label(kind: Kind) -> String {
    match kind {
        Kind::Opportunities => tr!("Opportunities"),
        Kind::Accounts => tr!("Accounts"),
        Kind::StageEvents => tr!("Stage moves"),
        Kind::History => tr!("History"),
        Kind::Activities => tr!("Activities"),
        Kind::Contacts => tr!("Contacts"),
    }
}

impl ExportDialog {
    /// A dialog for the deals `shown` by the list (in its order) and those `selected`.
    pub fn new(ws: &Workspace, shown: Vec<Id>, selected: Vec<Id>) -> ExportDialog {
        let mut dialog = ExportDialog {
            what: Kind::Opportunities,
            scope: Scope::Everything,
            format: Format::Csv,
            file: FileField::default(),
            path_typed: false,
            shown,
            selected,
            error: None,
            overwrite: Overwrite::default(),
        };
        dialog.file.path = dialog.default_path(ws).display().to_string();
        dialog
    }

    /// `forsat-opportunities-2026-11-22.csv` in the user's documents folder (or home).
    fn default_path(&self, ws: &Workspace) -> PathBuf {
        super::file_field::documents_dir().join(format!(
            "forsat-{}-{}.{}",
            self.what.as_str(),
            ws.today().format("%Y-%m-%d"),
            self.format.as_str()
        ))
    }

    /// The formats: CSV and XLSX for everything, iCalendar for activities, vCard for
    /// contacts.
    fn format_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.radio_value_text(&mut self.format, Format::Csv, "CSV");
            ui.radio_value_text(&mut self.format, Format::Xlsx, "XLSX (Excel)");
            // A calendar file holds activities only, a vCard file contacts.
            let exchange = [
                (
                    Format::Ics,
                    "iCalendar (.ics)",
                    tr!("Only activities can be written as an iCalendar file (.ics)."),
                ),
                (
                    Format::Vcf,
                    "vCard (.vcf)",
                    tr!("Only contacts can be written as a vCard file (.vcf)."),
                ),
            ];
            for (format, name, only) in exchange {
                ui.add_enabled_ui(format.holds(self.what), |ui| {
                    ui.radio_value_text(&mut self.format, format, name)
                        .on_disabled_hover_text(ui.rtl(only));
                });
            }
        });
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> ExportOutcome {
        ui.set_min_width(560.0);
        let format_before = self.format;
        ui.text(RichText::new(tr!("Export")).heading());
        ui.add_space(6.0);
        direction::grid_scope(ui, |ui| {
            egui::Grid::new("export_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    ui.text(tr!("What"));
                    ui.horizontal(|ui| {
                        for kind in Kind::ALL {
                            ui.radio_value_text(&mut self.what, kind, kind_label(kind));
                        }
                    });
                    ui.end_row();
                    // Activities and contacts are those of the deals chosen (all: every one).
                    ui.text(if matches!(self.what, Kind::Activities | Kind::Contacts) {
                        tr!("Of the deals")
                    } else {
                        tr!("Deals")
                    });
                    ui.vertical(|ui| {
                        let all = trn!(ws.opportunity_count(), "All ({n})");
                        ui.radio_value_text(&mut self.scope, Scope::Everything, all);
                        let shown = trn!(self.shown.len(), "The current search ({n})");
                        ui.radio_value_text(&mut self.scope, Scope::Shown, shown);
                        let selected = trn!(self.selected.len(), "The selected rows ({n})");
                        ui.add_enabled_ui(!self.selected.is_empty(), |ui| {
                            ui.radio_value_text(&mut self.scope, Scope::Selected, selected);
                        });
                    });
                    ui.end_row();
                    ui.text(tr!("Format"));
                    self.format_ui(ui);
                    if !self.format.holds(self.what) {
                        self.format = Format::Csv;
                    }
                    ui.end_row();
                    let label = ui.text(tr!("File"));
                    let filter = match self.format {
                        Format::Csv => ("CSV", ["csv"].as_slice()),
                        Format::Xlsx => ("Excel", ["xlsx"].as_slice()),
                        Format::Ics => ("iCalendar", ["ics"].as_slice()),
                        Format::Vcf => ("vCard", ["vcf"].as_slice()),
                    };
                    if self.file.ui(ui, label.id, Pick::Save, filter) {
                        self.path_typed = true;
                        // What was said of the old path is not true of the new one.
                        self.error = None;
                    }
                    // Only a change of format renames: a name the user types stays theirs.
                    if self.format != format_before {
                        self.file
                            .follow_extension(filter.1[0], &["csv", "xlsx", "ics", "vcf"]);
                    }
                    ui.end_row();
                })
        });
        // The suggested name follows the choices until the user types their own.
        if !self.path_typed {
            self.file.path = self.default_path(ws).display().to_string();
        }
        if let Some(error) = &self.error {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        ui.add_space(10.0);
        match self.overwrite.ui(ui, self.file.path().as_deref()) {
            Asked::Replace => self.write(ws, Replace::Allow),
            Asked::Waiting => ExportOutcome::Open,
            Asked::No => {
                ui.horizontal(|ui| {
                    let export = ui.button_text(RichText::new(tr!("Export")).strong());
                    if export.clicked() {
                        self.write(ws, Replace::Refuse)
                    } else if ui.button_text(tr!("Cancel")).clicked() {
                        ExportOutcome::Cancel
                    } else {
                        ExportOutcome::Open
                    }
                })
                .inner
            }
        }
    }

    /// Writes the file, replacing one there only when `replace` allows (else the dialog asks).
    fn write(&mut self, ws: &Workspace, replace: Replace) -> ExportOutcome {
        let Some(path) = self.file.path() else {
            self.error = Some(tr!("File: is required"));
            return ExportOutcome::Open;
        };
        let ids = match self.scope {
            Scope::Everything => None,
            Scope::Shown => Some(self.shown.as_slice()),
            Scope::Selected => Some(self.selected.as_slice()),
        };
        let written = interchange::export_to(ws, self.what, ids, self.format, &path, replace);
        match self.overwrite.settle(written, &mut self.error) {
            Some(()) => ExportOutcome::Done(tr!(
                "Exported {what} to {path}.",
                what = kind_label(self.what).to_lowercase(),
                // A relative name lands in the folder Forsat was started from: say which.
                path = std::path::absolute(&path).unwrap_or(path).display()
            )),
            None => ExportOutcome::Open,
        }
    }
}
