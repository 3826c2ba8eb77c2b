//! Writing a report card to a file: its rows as CSV or XLSX, or its chart as a PNG (painted
//! offscreen by `picture.rs` once the dialog has checked the file).

use crate::direction;
use crate::ui_ext::UiExt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::RichText;

use super::super::dialogs::{Asked, Overwrite};
use super::super::file_field::{FileField, Pick};
use super::super::theme;
use super::Card;
use crate::analytics::reports::Report;
use crate::files::{self, Replace, write_file};
use crate::interchange;
use crate::tr;

/// What a card is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
    Png,
}

impl FileKind {
    fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
            FileKind::Png => "png",
        }
    }
}

/// The dialog writing one card to a file.
pub struct SaveFile {
    pub card: Card,
    kind: FileKind,
    /// The report's name in file names, e.g. `pipeline-by-month`.
    stem: String,
    today: NaiveDate,
    file: FileField,
    /// Whether the user typed a path of their own (else it follows the format).
    path_typed: bool,
    error: Option<String>,
    /// "Replace funnel.csv?" when the file exists.
    overwrite: Overwrite,
}

/// What the user did with the dialog this frame.
pub enum SaveOutcome {
    Open,
    Cancel,
    /// Written: the message for the status bar.
    Written(String),
    /// Save the chart as a PNG: the file checked, the picture still to paint.
    Png(PngFile),
}

/// Where a chart's PNG goes, and whether a file there may be replaced (the user agreed).
pub struct PngFile {
    pub path: PathBuf,
    pub replace: Replace,
}

impl SaveFile {
    pub fn new(card: Card, stem: String, kind: FileKind, today: NaiveDate) -> SaveFile {
        let mut dialog = SaveFile {
            card,
            kind,
            stem,
            today,
            file: FileField::default(),
            path_typed: false,
            error: None,
            overwrite: Overwrite::default(),
        };
        dialog.file.path = dialog.default_path().display().to_string();
        dialog
    }

    /// `forsat-funnel-2026-11-22.csv` in the user's documents folder (or home), as exports go.
    fn default_path(&self) -> PathBuf {
        super::super::file_field::documents_dir().join(format!(
            "forsat-{}-{}.{}",
            self.stem,
            self.today.format("%Y-%m-%d"),
            self.kind.extension()
        ))
    }

    /// Shows the dialog as a modal window over the view; `report` is the card's, written as
    /// CSV or XLSX beside the database `db` (never onto it).
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        db: &Path,
        title: &str,
        report: &Report,
    ) -> SaveOutcome {
        let mut outcome = SaveOutcome::Open;
        let kind_before = self.kind;
        let modal = egui::Modal::new(egui::Id::unique("report_file")).show(ctx, |ui| {
            ui.set_min_width(560.0);
            ui.text(RichText::new(tr!("Export {report}", report = title)).heading());
            ui.add_space(6.0);
            direction::grid_scope(ui, |ui| {
                egui::Grid::new("report_file_grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        ui.text(tr!("Format"));
                        ui.horizontal(|ui| {
                            ui.radio_value_text(&mut self.kind, FileKind::Csv, "CSV");
                            ui.radio_value_text(&mut self.kind, FileKind::Xlsx, "XLSX (Excel)");
                            ui.radio_value_text(
                                &mut self.kind,
                                FileKind::Png,
                                tr!("PNG (the chart)"),
                            );
                        });
                        ui.end_row();
                        let label = ui.text(tr!("File"));
                        let filter = match self.kind {
                            FileKind::Csv => ("CSV", ["csv"].as_slice()),
                            FileKind::Xlsx => ("Excel", ["xlsx"].as_slice()),
                            FileKind::Png => ("PNG", ["png"].as_slice()),
                        };
                        if self.file.ui(ui, label.id, Pick::Save, filter) {
                            self.path_typed = true;
                            self.error = None;
                        }
                        // Only a change of format renames: a name the user types stays theirs.
                        if self.kind != kind_before {
                            self.file
                                .follow_extension(filter.1[0], &["csv", "xlsx", "png"]);
                        }
                        ui.end_row();
                    })
            });
            // The suggested name follows the format until the user types their own.
            if !self.path_typed {
                self.file.path = self.default_path().display().to_string();
            }
            if let Some(error) = &self.error {
                ui.text(RichText::new(error).color(theme::colors(ui).error));
            }
            ui.add_space(10.0);
            outcome = match self.overwrite.ui(ui, self.file.path().as_deref()) {
                Asked::Replace => self.write(db, report, Replace::Allow),
                Asked::Waiting => SaveOutcome::Open,
                Asked::No => {
                    ui.horizontal(|ui| {
                        let save = ui.button_text(RichText::new(tr!("Save")).strong());
                        if save.clicked() {
                            self.write(db, report, Replace::Refuse)
                        } else if ui.button_text(tr!("Cancel")).clicked() {
                            SaveOutcome::Cancel
                        } else {
                            SaveOutcome::Open
                        }
                    })
                    .inner
                }
            };
        });
        if matches!(outcome, SaveOutcome::Open) && crate::dialogs::closes(&modal, true) {
            outcome = SaveOutcome::Cancel;
        }
        outcome
    }

    /// Writes the file, replacing one there only when `replace` allows (else the dialog asks);
    /// a chart is only checked here, and taken once the dialog is gone.
    fn write(&mut self, db: &Path, report: &Report, replace: Replace) -> SaveOutcome {
        let Some(path) = self.file.path() else {
            self.error = Some(tr!("File: is required"));
            return SaveOutcome::Open;
        };
        let written = match self.kind {
            FileKind::Png => files::check(db, &path, replace),
            FileKind::Csv => write_file(db, &path, replace, |out| {
                out.write_all(report.to_csv().as_bytes())
            }),
            FileKind::Xlsx => write_file(db, &path, replace, |out| {
                interchange::write_table_xlsx(&report.table(), out)
            }),
        };
        match self.overwrite.settle(written, &mut self.error) {
            Some(()) if self.kind == FileKind::Png => SaveOutcome::Png(PngFile { path, replace }),
            Some(()) => {
                let path = std::path::absolute(&path).unwrap_or(path);
                SaveOutcome::Written(tr!("Exported the report to {path}.", path = path.display()))
            }
            None => SaveOutcome::Open,
        }
    }
}
