//! The import wizard: a file and its format (detected or chosen); its columns, each mapped to
//! what it feeds with the first rows beside it; a check that says what would be created and
//! lists bad cells; then the import, with a progress bar, as one undoable step.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use egui::RichText;

use super::file_field::{FileField, Pick};
use super::reorder;
use super::theme;
use crate::command::Command;
use crate::domain::{StageKind, escaped};
use crate::i18n::format_count;
use crate::interchange::{ImportJob, ImportOptions, ImportSummary, NewStage, Source, Target};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// What Browse… offers: CSV text and the workbooks calamine reads (a file is told by its
/// content, so another name imports too).
const IMPORTABLE: (&str, &[&str]) = (
    "CSV, Excel, OpenDocument",
    &["csv", "txt", "xlsx", "xlsm", "xlsb", "xls", "ods"],
);

/// Rows shown beside each column in the mapping step.
const SAMPLE_ROWS: usize = 3;
/// How long one frame may spend checking rows, so the window stays responsive.
const FRAME_BUDGET: Duration = Duration::from_millis(30);
/// Rows checked between two looks at the clock.
const ROWS_PER_SLICE: usize = 500;
/// The width and height of a new stage's row in the check step, and room for its arrows.
const STAGE_ROW_WIDTH: f32 = 340.0;
const STAGE_ROW_HEIGHT: f32 = 26.0;
const STAGE_ARROWS_WIDTH: f32 = 56.0;

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    #[default]
    File,
    Columns,
    Check,
    Import,
}

/// Rows being checked a slice per frame: a dry run for the check, or the import itself.
struct Run {
    job: ImportJob,
    dry_run: bool,
    /// Every row is checked; the plan is made and the command returned on the next frame,
    /// after one frame has said so.
    rows_done: bool,
}

/// The dialog's state.
#[derive(Default)]
pub struct ImportDialog {
    step: Step,
    file: FileField,
    from: Source,
    skip_bad_rows: bool,
    /// The user's mapping over the format's, by column position.
    columns: BTreeMap<usize, Target>,
    /// The file as read when leaving the first step.
    bytes: std::sync::Arc<[u8]>,
    /// The decimal separator the user chose for number columns that do not show theirs.
    decimal_separator: Option<char>,
    /// The file read and mapped, for the mapping step; or why it cannot be.
    mapped: Option<Result<ImportJob, String>>,
    /// Whether no format matched the file's header, so its columns are mapped by hand from
    /// Forsat's own (the user's choice of format stays as it was, for the next file).
    by_hand: bool,
    /// The order of the new stages as the user dragged them (empty: the import's own).
    stage_order: Vec<String>,
    /// The last check: what it found, or why the file cannot be imported.
    checked: Option<Result<ImportSummary, String>>,
    run: Option<Run>,
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
    /// The wizard with the file's format chosen beforehand (the board's "Import from Odoo").
    pub fn from_source(from: Source) -> Self {
        ImportDialog {
            from,
            ..ImportDialog::default()
        }
    }

    fn options(&self, dry_run: bool) -> ImportOptions {
        ImportOptions {
            from: if self.by_hand {
                Source::Forsat
            } else {
                self.from
            },
            dry_run,
            skip_bad_rows: self.skip_bad_rows,
            columns: self.columns.clone(),
            decimal_separator: self.decimal_separator,
            // The check shows the import's own order for the user to change; the import takes
            // the user's, of the stages that check found.
            stage_order: if dry_run {
                Vec::new()
            } else {
                self.stage_order
                    .iter()
                    .filter(|name| self.new_stages().any(|s| s.name == **name))
                    .cloned()
                    .collect()
            },
        }
    }

    /// Reads and maps the file. A header no format has is mapped by hand, from Forsat's
    /// column names, starting from a guess.
    fn map(&mut self) {
        let mut mapped = ImportJob::start(self.bytes.clone(), &self.options(true));
        if mapped.is_err() && self.from == Source::Auto && !self.by_hand {
            self.by_hand = true;
            match ImportJob::start(self.bytes.clone(), &self.options(true)) {
                Ok(job) => {
                    // Headers such as "Company" or "Value" are most likely what they say.
                    self.columns.extend(job.guesses());
                    mapped = ImportJob::start(self.bytes.clone(), &self.options(true));
                }
                Err(_) => self.by_hand = false,
            }
        }
        self.mapped = Some(mapped.map_err(|e| e.to_string()));
        self.checked = None;
    }

    /// Leaves the first step: reads the file, detects its format, maps its columns. False
    /// (with the reason kept to show) when the file cannot be read or is no CSV of deals.
    fn read_file(&mut self) -> bool {
        let read = self
            .file
            .path()
            .ok_or_else(|| tr!("File: is required"))
            .and_then(|path| std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display())));
        match read {
            Ok(bytes) => {
                self.bytes = bytes.into();
                self.columns.clear();
                self.decimal_separator = None;
                self.stage_order.clear();
                self.by_hand = false;
                self.map();
            }
            Err(e) => self.mapped = Some(Err(e)),
        }
        matches!(self.mapped, Some(Ok(_)))
    }

    /// Starts checking (a dry run) or importing, a slice of rows per frame.
    fn start_run(&mut self, dry_run: bool) {
        match ImportJob::start(self.bytes.clone(), &self.options(dry_run)) {
            Ok(job) => {
                self.run = Some(Run {
                    job,
                    dry_run,
                    rows_done: false,
                });
            }
            Err(e) => self.checked = Some(Err(e.to_string())),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> ImportOutcome {
        ui.set_min_width(640.0);
        // Rows run in reading order: from the right in Persian.
        direction::reading(ui, |ui| self.steps_in_order(ui, ws)).inner
    }

    fn steps_in_order(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> ImportOutcome {
        ui.text(RichText::new(tr!("Import deals")).heading());
        self.steps_ui(ui);
        ui.add_space(6.0);
        if let Some(outcome) = self.run_ui(ui, ws) {
            return outcome;
        }
        match self.step {
            Step::File => self.file_ui(ui),
            Step::Columns => self.columns_ui(ui),
            Step::Check | Step::Import => self.check_ui(ui),
        }
    }

    /// Where the wizard is: "1 File › 2 Columns › 3 Check › 4 Import".
    fn steps_ui(&self, ui: &mut egui::Ui) {
        let names = [
            (Step::File, tr!("1 File")),
            (Step::Columns, tr!("2 Columns")),
            (Step::Check, tr!("3 Check")),
            (Step::Import, tr!("4 Import")),
        ];
        ui.horizontal(|ui| {
            for (i, (step, name)) in names.into_iter().enumerate() {
                if i > 0 {
                    ui.text(RichText::new("›").color(theme::colors(ui).text_muted));
                }
                let text = RichText::new(name);
                ui.text(if step == self.step {
                    text.strong().color(theme::colors(ui).text_strong)
                } else {
                    text.color(theme::colors(ui).text_muted)
                });
            }
        });
    }

    fn file_ui(&mut self, ui: &mut egui::Ui) -> ImportOutcome {
        ui.text(
            RichText::new(tr!(
                "A CSV or a workbook (.xlsx, .xls, .ods) exported by Forsat, Odoo, SuiteCRM or Pipedrive, or any such file whose columns you map. Missing accounts, stages and list values are created; everything is one step you can undo."
            ))
            .color(theme::colors(ui).text_muted));
        ui.add_space(6.0);
        let mut changed = false;
        direction::grid_scope(ui, |ui| {
            egui::Grid::new("import_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    let label = ui.text(tr!("File"));
                    changed |= self.file.ui(ui, label.id, Pick::Open, IMPORTABLE);
                    ui.end_row();
                    let label = ui.text(tr!("Format"));
                    egui::ComboBox::from_id_salt("import_from")
                        .selected_text(ui.rtl(source_label(self.from)))
                        .show_ui(ui, |ui| {
                            for source in Source::ALL {
                                changed |= ui
                                    .selectable_value_text(
                                        &mut self.from,
                                        source,
                                        source_label(source),
                                    )
                                    .changed();
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();
                })
        });
        if changed {
            self.mapped = None;
        }
        if let Some(Err(e)) = &self.mapped {
            ui.text(RichText::new(e).color(theme::colors(ui).error));
        }
        self.buttons(ui, false, &tr!("Next"), true, |dialog| {
            if dialog.read_file() {
                dialog.step = Step::Columns;
            }
        })
    }

    fn columns_ui(&mut self, ui: &mut egui::Ui) -> ImportOutcome {
        let Some(Ok(job)) = &self.mapped else {
            self.step = Step::File;
            return ImportOutcome::Open;
        };
        let heading = if self.by_hand {
            RichText::new(tr!(
                "{rows} rows. Forsat does not recognise this format: check what each column holds.",
                rows = job.rows()
            ))
            .color(theme::colors(ui).stale)
        } else {
            RichText::new(tr!(
                "{format} file, {rows} rows. Check what each column holds; columns marked “Not imported” are left out.",
                format = job.format().label(),
                rows = job.rows()
            ))
        };
        ui.text(heading.strong());
        let mut chosen = None;
        egui::ScrollArea::vertical()
            .max_height(340.0)
            .min_scrolled_height(300.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                direction::grid_scope(ui, |ui| {
                    egui::Grid::new("import_columns")
                        .num_columns(3)
                        .striped(true)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            ui.text(RichText::new(tr!("Column in the file")).strong());
                            ui.text(RichText::new(tr!("Imported as")).strong());
                            ui.text(RichText::new(tr!("First rows")).strong());
                            ui.end_row();
                            let samples: Vec<Vec<&str>> = job.sample(SAMPLE_ROWS).collect();
                            for (i, (header, target)) in
                                job.headers().iter().zip(job.targets()).enumerate()
                            {
                                // A file's text shown with its hidden characters escaped.
                                let label = ui.text(escaped(header));
                                if let Some(target) = target_combo(ui, i, *target, label.id) {
                                    chosen = Some((i, target));
                                }
                                let values: Vec<&str> = samples
                                    .iter()
                                    .filter_map(|row| row.get(i).copied())
                                    .filter(|v| !v.trim().is_empty())
                                    .collect();
                                ui.text(
                                    RichText::new(escaped(&shorten(&values.join(" · "), 60)))
                                        .color(theme::colors(ui).text_muted),
                                );
                                ui.end_row();
                            }
                        })
                });
            });
        let unusable = job.unusable();
        if let Some(why) = &unusable {
            ui.text(RichText::new(why).color(theme::colors(ui).error));
        }
        // Numbers that read two ways are asked about, never guessed.
        let unclear = job.unclear_numbers().into_iter().next();
        let mut decimal = self.decimal_separator;
        if let Some((column, value)) = &unclear {
            ui.horizontal(|ui| {
                ui.text(
                    RichText::new(tr!(
                        "Column “{column}”: “{value}” reads two ways. The decimal separator is",
                        column = escaped(column),
                        value = escaped(value)
                    ))
                    .color(theme::colors(ui).stale),
                );
                for mark in ['.', ','] {
                    ui.selectable_value(&mut decimal, Some(mark), mark.to_string());
                }
            });
        }
        if let Some((i, target)) = chosen {
            self.columns.insert(i, target);
            self.map();
        }
        if decimal != self.decimal_separator {
            self.decimal_separator = decimal;
            self.map();
        }
        let ready = unusable.is_none() && (unclear.is_none() || self.decimal_separator.is_some());
        self.buttons(ui, true, &tr!("Check"), ready, |dialog| {
            dialog.step = Step::Check;
            dialog.start_run(true);
        })
    }

    fn check_ui(&mut self, ui: &mut egui::Ui) -> ImportOutcome {
        let skip = ui.checkbox_text(
            &mut self.skip_bad_rows,
            tr!("Import the good rows and leave out the bad ones"),
        );
        if skip.changed() {
            self.start_run(true);
        }
        self.result_ui(ui);
        self.stages_ui(ui);
        let ready = matches!(&self.checked, Some(Ok(s)) if s.deals > 0);
        self.buttons(ui, true, &tr!("Import"), ready, |dialog| {
            dialog.step = Step::Import;
            dialog.start_run(false);
        })
    }

    /// Back (except on the first step), the step's action, and Cancel.
    fn buttons(
        &mut self,
        ui: &mut egui::Ui,
        back: bool,
        action: &str,
        enabled: bool,
        run: impl FnOnce(&mut Self),
    ) -> ImportOutcome {
        ui.add_space(10.0);
        let mut outcome = ImportOutcome::Open;
        ui.horizontal(|ui| {
            if back && ui.button_text(tr!("Back")).clicked() {
                self.step = match self.step {
                    Step::Import | Step::Check => Step::Columns,
                    _ => Step::File,
                };
            }
            let button = egui::Button::new(ui.rtl(RichText::new(action).strong()));
            if ui.add_enabled(enabled, button).clicked() {
                run(self);
            }
            if ui.button_text(tr!("Cancel")).clicked() {
                outcome = ImportOutcome::Cancel;
            }
        });
        outcome
    }

    /// Checks rows for a frame's budget and shows the progress; when every row is checked,
    /// the check's result, or the import's command. None when nothing is running.
    fn run_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<ImportOutcome> {
        let run = self.run.as_mut()?;
        if run.rows_done {
            let Run { job, dry_run, .. } = self.run.take()?;
            return Some(match job.finish(ws) {
                Ok((_, Some(command))) if !dry_run => ImportOutcome::Import(command),
                result => {
                    self.step = Step::Check;
                    self.checked = Some(result.map(|(s, _)| s).map_err(|e| e.to_string()));
                    ImportOutcome::Open
                }
            });
        }
        let started = Instant::now();
        while !run.rows_done && started.elapsed() < FRAME_BUDGET {
            run.rows_done = run.job.step(ws, ROWS_PER_SLICE);
        }
        let (done, total) = (run.job.checked(), run.job.rows().max(1));
        let text = if run.rows_done {
            trn!(done, "Planning {n} deals…")
        } else if run.dry_run {
            tr!(
                "Checking row {done} of {total}…",
                done = done,
                total = total
            )
        } else {
            tr!(
                "Importing row {done} of {total}…",
                done = done,
                total = total
            )
        };
        ui.text(text);
        ui.add(egui::ProgressBar::new(done as f32 / total as f32).show_percentage());
        ui.add_space(10.0);
        if ui.button_text(tr!("Stop")).clicked() {
            // Nothing is written before the last frame: stopping leaves the database as it was.
            self.run = None;
            self.step = Step::Columns;
        } else {
            ui.ctx().request_repaint();
        }
        Some(ImportOutcome::Open)
    }

    /// What the last check found; a long list of bad cells scrolls inside the dialog, so its
    /// buttons stay in the window.
    fn result_ui(&self, ui: &mut egui::Ui) {
        egui::ScrollArea::vertical()
            .id_salt("import_result")
            .max_height(300.0)
            .show(ui, |ui| self.result_lines(ui));
    }

    fn result_lines(&self, ui: &mut egui::Ui) {
        match &self.checked {
            None => {}
            Some(Err(e)) => {
                ui.text(RichText::new(e).color(theme::colors(ui).error));
            }
            Some(Ok(s)) => {
                ui.text(
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
                    .strong());
                if s.skipped_rows > 0 {
                    ui.text(
                        RichText::new(trn!(s.skipped_rows, "{n} rows left out:"))
                            .color(theme::colors(ui).error),
                    );
                }
                for line in crate::interchange::capped(&s.errors) {
                    ui.text(RichText::new(line).small().color(theme::colors(ui).error));
                }
                for m in &s.messages {
                    ui.text(RichText::new(m).small().color(theme::colors(ui).text_muted));
                }
            }
        }
    }
}

impl ImportDialog {
    /// The open stages the last check found the file adds.
    fn new_stages(&self) -> impl Iterator<Item = &NewStage> {
        let checked = match &self.checked {
            Some(Ok(summary)) => summary.new_stages.as_slice(),
            _ => &[],
        };
        checked.iter().filter(|s| s.kind == StageKind::Open)
    }

    /// The new open stages by pipeline, each pipeline's in the order the user put them, the
    /// import's own for the rest.
    fn stage_groups(&self) -> Vec<(&str, Vec<&str>)> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for stage in self.new_stages() {
            match groups.iter_mut().find(|(p, _)| *p == stage.pipeline) {
                Some((_, names)) => names.push(&stage.name),
                None => groups.push((&stage.pipeline, vec![&stage.name])),
            }
        }
        for (_, names) in &mut groups {
            names.sort_by_key(|name| {
                self.stage_order
                    .iter()
                    .position(|chosen| chosen == name)
                    .unwrap_or(usize::MAX)
            });
        }
        groups
    }

    /// The stages the import adds, each pipeline's open ones in order, dragged by their handle
    /// or moved by their arrows to change it; the won and lost stages after them.
    fn stages_ui(&mut self, ui: &mut egui::Ui) {
        let groups = self.stage_groups();
        if groups.is_empty() {
            return;
        }
        ui.add_space(8.0);
        ui.text(RichText::new(tr!("New stages, in their order on the board")).strong());
        ui.text(
            RichText::new(tr!(
                "Drag a stage by its dotted handle, or use the arrows, to reorder."
            ))
            .small()
            .color(theme::colors(ui).text_muted),
        );
        let mut moved: Option<(usize, Vec<&str>)> = None;
        for (g, (pipeline, names)) in groups.iter().enumerate() {
            ui.add_space(4.0);
            ui.text(
                RichText::new(tr!("Pipeline “{pipeline}”", pipeline = pipeline))
                    .small()
                    .color(theme::colors(ui).text_muted),
            );
            let mut rows = Vec::with_capacity(names.len());
            for k in 0..names.len() {
                let (row, order) = new_stage_row_ui(ui, pipeline, names, g, k);
                rows.push(row);
                if let Some(order) = order {
                    moved = Some((g, order));
                }
            }
            let keys: Vec<StageKey> = (0..names.len()).map(|k| StageKey(g, k)).collect();
            if let Some(order) = reorder::dropped(ui, &keys, &rows) {
                moved = Some((g, order.into_iter().map(|key| names[key.1]).collect()));
            }
        }
        self.closing_stages_ui(ui);
        if let Some((g, order)) = moved {
            let order: Vec<String> = groups
                .iter()
                .enumerate()
                .flat_map(|(n, (_, names))| if n == g { &order } else { names })
                .map(|name| (*name).to_owned())
                .collect();
            self.stage_order = order;
        }
    }

    /// The won and lost stages the import adds, named after the open ones.
    fn closing_stages_ui(&self, ui: &mut egui::Ui) {
        let closing: Vec<String> = match &self.checked {
            Some(Ok(summary)) => summary
                .new_stages
                .iter()
                .filter(|s| s.kind != StageKind::Open)
                .map(|s| s.name.clone())
                .collect(),
            _ => Vec::new(),
        };
        if !closing.is_empty() {
            ui.text(
                RichText::new(tr!(
                    "Then the closing stages: {stages}",
                    stages = escaped(&closing.join(", "))
                ))
                .small()
                .color(theme::colors(ui).text_muted),
            );
        }
    }
}

/// The `k`th new stage of pipeline group `g` (`names`, of `pipeline`): its row's rect, and the
/// group's new order when one of the row's arrows was clicked.
fn new_stage_row_ui<'a>(
    ui: &mut egui::Ui,
    pipeline: &str,
    names: &[&'a str],
    g: usize,
    k: usize,
) -> (egui::Rect, Option<Vec<&'a str>>) {
    let name = names[k];
    let drag_id = egui::Id::unique(("import_stage_drag", (pipeline, name)));
    let dragged = ui.ctx().is_being_dragged(drag_id);
    let mut moved = None;
    let row = egui::Frame::new()
        .fill(if dragged {
            theme::colors(ui).card_stroke.gamma_multiply(0.5)
        } else {
            theme::colors(ui).card_fill
        })
        .stroke(egui::Stroke::new(1.0, theme::colors(ui).card_stroke))
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(egui::Margin::symmetric(8, 1))
        .show(ui, |ui| {
            ui.set_width(STAGE_ROW_WIDTH);
            ui.horizontal(|ui| {
                let size = egui::vec2(18.0, STAGE_ROW_HEIGHT);
                reorder::handle(ui, drag_id, StageKey(g, k), size, name);
                ui.text(
                    RichText::new(format_count(k as u64 + 1)).color(theme::colors(ui).text_muted),
                );
                let width = (ui.available_width() - STAGE_ARROWS_WIDTH).max(40.0);
                ui.allocate_ui_with_layout(
                    egui::vec2(width, STAGE_ROW_HEIGHT),
                    direction::start_to_end(egui::Align::Center),
                    |ui| {
                        ui.set_min_size(egui::vec2(width, STAGE_ROW_HEIGHT));
                        ui.add(
                            egui::Label::new(
                                ui.rtl(
                                    RichText::new(escaped(name))
                                        .strong()
                                        .color(theme::colors(ui).text_strong),
                                ),
                            )
                            .truncate(),
                        );
                    },
                );
                moved = reorder::arrows(ui, names, k, name);
            });
        });
    if dragged {
        reorder::paint_ghost(ui, drag_id, name);
    }
    (row.response.rect, moved)
}

/// A new stage's row while it is dragged: its pipeline's group and place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StageKey(usize, usize);

/// The choice of what column `i` feeds; Some when the user picked another.
fn target_combo(
    ui: &mut egui::Ui,
    i: usize,
    current: Option<Target>,
    label: egui::Id,
) -> Option<Target> {
    let shown = match current {
        Some(target) => RichText::new(target.label()),
        None => RichText::new(tr!("Not recognised: not imported")).color(theme::colors(ui).stale),
    };
    let mut picked = None;
    egui::ComboBox::from_id_salt(("import_column", i))
        .selected_text(ui.rtl(shown))
        .width(220.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            // The format's own special columns (Pipedrive's status) stay choosable.
            let special = current.filter(|t| !Target::choices().any(|c| c == *t));
            for target in special.into_iter().chain(Target::choices()) {
                if ui
                    .selectable_label_text(current == Some(target), target.label())
                    .clicked()
                    && current != Some(target)
                {
                    picked = Some(target);
                }
            }
        })
        .response
        .labelled_by(label);
    picked
}

/// A value cut to `max` characters on one line.
fn shorten(value: &str, max: usize) -> String {
    let one_line = value.replace(['\r', '\n'], " ");
    if one_line.chars().count() > max {
        one_line.chars().take(max - 1).chain(['…']).collect()
    } else {
        one_line
    }
}
