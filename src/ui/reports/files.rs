//! Writing a report card to a file: its rows as CSV or XLSX, or its chart as a PNG cut out of a
//! screenshot of the window.

use crate::ui::direction;
use crate::ui::text::bidi;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::NaiveDate;
use egui::{ColorImage, Rect, RichText};

use super::super::dialogs::{Asked, Overwrite};
use super::super::file_field::{FileField, Pick};
use super::super::screenshot::write_png;
use super::super::theme;
use super::Card;
use crate::analytics::reports::Report;
use crate::interchange;
use crate::store::files::{self, Replace, write_file};
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
    /// Save the chart as a PNG, once the dialog no longer covers it.
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
            ui.label(bidi(
                ui,
                RichText::new(tr!("Export {report}", report = title)).heading(),
            ));
            ui.add_space(6.0);
            direction::grid_scope(ui, |ui| {
                egui::Grid::new("report_file_grid")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        ui.label(bidi(ui, tr!("Format")));
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut self.kind, FileKind::Csv, bidi(ui, "CSV"));
                            ui.radio_value(
                                &mut self.kind,
                                FileKind::Xlsx,
                                bidi(ui, "XLSX (Excel)"),
                            );
                            ui.radio_value(
                                &mut self.kind,
                                FileKind::Png,
                                bidi(ui, tr!("PNG (the chart)")),
                            );
                        });
                        ui.end_row();
                        let label = ui.label(bidi(ui, tr!("File")));
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
                ui.label(bidi(ui, RichText::new(error).color(theme::ERROR)));
            }
            ui.add_space(10.0);
            outcome = match self.overwrite.ui(ui, self.file.path().as_deref()) {
                Asked::Replace => self.write(db, report, Replace::Allow),
                Asked::Waiting => SaveOutcome::Open,
                Asked::No => {
                    ui.horizontal(|ui| {
                        let save = ui.button(bidi(ui, RichText::new(tr!("Save")).strong()));
                        if save.clicked() {
                            self.write(db, report, Replace::Refuse)
                        } else if ui.button(bidi(ui, tr!("Cancel"))).clicked() {
                            SaveOutcome::Cancel
                        } else {
                            SaveOutcome::Open
                        }
                    })
                    .inner
                }
            };
        });
        if matches!(outcome, SaveOutcome::Open) && crate::ui::dialogs::closes(&modal, true) {
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

/// Asks for a screenshot of the window and writes the part under `rect` to `png` (never onto
/// the database `db`); the message for the status bar (or the error) arrives on `done`.
pub fn capture_png(
    ctx: &egui::Context,
    rect: Rect,
    db: PathBuf,
    png: PngFile,
    done: mpsc::Sender<Result<String, String>>,
) {
    let pixels_per_point = ctx.pixels_per_point();
    let repaint = ctx.clone();
    ctx.request_screenshot(move |image| {
        let PngFile { path, replace } = png;
        let result = crop(&image, rect, pixels_per_point)
            .and_then(|chart| write_png(&db, &path, replace, &chart))
            .map(|()| tr!("Saved the chart to {path}.", path = path.display()));
        // The view may be gone (the window closing): then nobody waits for the message.
        done.send(result).ok();
        repaint.request_repaint();
    });
}

/// The pixels of `image` under `rect` (in points), cut to the image.
fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Result<ColorImage, String> {
    let [width, height] = image.size;
    let px = |v: f32, max: usize| ((v * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (px(rect.min.x, width), px(rect.max.x, width));
    let (y0, y1) = (px(rect.min.y, height), px(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 {
        return Err(tr!(
            "The chart is not on screen: scroll to it and save it again."
        ));
    }
    Ok(image.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, pos2};

    #[test]
    fn a_chart_is_cut_from_the_screenshot_in_pixels_and_kept_inside_it() {
        // A 4x3 image whose pixel (x, y) has red = x and green = y.
        let pixels = (0..3)
            .flat_map(|y| (0..4).map(move |x| Color32::from_rgb(x, y, 0)))
            .collect();
        let image = ColorImage::new([4, 3], pixels);
        // At 2 pixels per point, points (0.5, 0.5)-(1.5, 1.0) are pixels (1, 1)-(3, 2).
        let cut = crop(
            &image,
            Rect::from_min_max(pos2(0.5, 0.5), pos2(1.5, 1.0)),
            2.0,
        )
        .unwrap();
        assert_eq!(cut.size, [2, 1]);
        assert_eq!(
            cut.pixels,
            [Color32::from_rgb(1, 1, 0), Color32::from_rgb(2, 1, 0)]
        );
        // A rect reaching past the window is cut at its edge; one outside it is an error.
        let edge = crop(
            &image,
            Rect::from_min_max(pos2(1.0, 0.0), pos2(9.0, 9.0)),
            1.0,
        )
        .unwrap();
        assert_eq!(edge.size, [3, 3]);
        assert!(
            crop(
                &image,
                Rect::from_min_max(pos2(5.0, 0.0), pos2(9.0, 9.0)),
                1.0
            )
            .is_err()
        );
    }
}
