//! The import dialog: a file, its format (detected or chosen), a check that says what would be
//! created and lists bad cells, then the import as one undoable step.

use clap::ValueEnum as _;
use egui::RichText;

use super::theme;
use crate::command::Command;
use crate::interchange::{self, ImportOptions, ImportSummary, Source};
use crate::tr;
use crate::workspace::Workspace;

/// How many bad cells the dialog lists; the rest are counted.
const SHOWN_ERRORS: usize = 12;

/// The dialog's state.
#[derive(Default)]
pub struct ImportDialog {
    path: String,
    from: Source,
    skip_bad_rows: bool,
    /// The last check: what it found, or why the file cannot be imported.
    checked: Option<Result<ImportSummary, String>>,
}

/// What the user did this frame.
pub enum ImportOutcome {
    Open,
    Cancel,
    Import(Command),
}

fn source_label(source: Source) -> String {
    match source {
        Source::Auto => tr!("Detect from the header"),
        other => other.label().to_owned(),
    }
}

impl ImportDialog {
    fn options(&self, dry_run: bool) -> ImportOptions {
        ImportOptions {
            from: self.from,
            dry_run,
            skip_bad_rows: self.skip_bad_rows,
        }
    }

    fn read(&self) -> Result<Vec<u8>, String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(tr!("File: is required"));
        }
        std::fs::read(path).map_err(|e| format!("{path}: {e}"))
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> ImportOutcome {
        ui.set_min_width(560.0);
        ui.heading(tr!("Import deals"));
        ui.label(
            RichText::new(tr!(
                "A CSV exported by Forsat, Odoo, SuiteCRM or Pipedrive. Missing accounts, stages and list values are created; everything is one step you can undo."
            ))
            .color(theme::TEXT_MUTED),
        );
        ui.add_space(6.0);
        let before = (self.path.clone(), self.from, self.skip_bad_rows);
        egui::Grid::new("import_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let label = ui.label(tr!("File"));
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(420.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(tr!("Format"));
                egui::ComboBox::from_id_salt("import_from")
                    .selected_text(source_label(self.from))
                    .show_ui(ui, |ui| {
                        for source in Source::value_variants() {
                            ui.selectable_value(&mut self.from, *source, source_label(*source));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("");
                ui.checkbox(
                    &mut self.skip_bad_rows,
                    tr!("Import the good rows and leave out the bad ones"),
                );
                ui.end_row();
            });
        // A check is only good for what it checked.
        if before != (self.path.clone(), self.from, self.skip_bad_rows) {
            self.checked = None;
        }
        self.result_ui(ui);
        ui.add_space(10.0);
        let mut outcome = ImportOutcome::Open;
        ui.horizontal(|ui| {
            if ui.button(tr!("Check")).clicked() {
                self.checked = Some(self.read().and_then(|bytes| {
                    interchange::check(ws, &bytes, &self.options(true)).map_err(|e| e.to_string())
                }));
            }
            let ready = matches!(&self.checked, Some(Ok(s)) if s.deals > 0);
            let import = ui.add_enabled(
                ready,
                egui::Button::new(RichText::new(tr!("Import")).strong()),
            );
            if import.clicked() {
                let prepared = self.read().and_then(|bytes| {
                    interchange::prepare_import(ws, &bytes, &self.options(false))
                        .map_err(|e| e.to_string())
                });
                match prepared {
                    Ok((_, Some(command))) => outcome = ImportOutcome::Import(command),
                    Ok((summary, None)) => self.checked = Some(Ok(summary)),
                    Err(e) => self.checked = Some(Err(e)),
                }
            }
            if ui.button(tr!("Cancel")).clicked() {
                outcome = ImportOutcome::Cancel;
            }
        });
        outcome
    }

    /// What the last check found.
    fn result_ui(&self, ui: &mut egui::Ui) {
        match &self.checked {
            None => {}
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(theme::ERROR));
            }
            Some(Ok(s)) => {
                ui.label(
                    RichText::new(tr!(
                        "{format}: {deals} deals from {rows} rows; {accounts} new accounts, {contacts} contacts, {lookups} list values, {stages} stages.",
                        format = s.format.label(),
                        deals = s.deals,
                        rows = s.rows,
                        accounts = s.accounts,
                        contacts = s.contacts,
                        lookups = s.lookups,
                        stages = s.stages
                    ))
                    .strong(),
                );
                if s.skipped_rows > 0 {
                    ui.label(
                        RichText::new(tr!("{n} rows left out:", n = s.skipped_rows))
                            .color(theme::ERROR),
                    );
                }
                for e in s.errors.iter().take(SHOWN_ERRORS) {
                    ui.label(RichText::new(e.to_string()).small().color(theme::ERROR));
                }
                for m in &s.messages {
                    ui.label(RichText::new(m).small().color(theme::TEXT_MUTED));
                }
            }
        }
    }
}
