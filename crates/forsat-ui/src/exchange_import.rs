//! File → Import contacts or an invitation: a vCard file's cards as contacts, or a calendar
//! invitation's events as activities. The file is read as soon as it is named and what it
//! would do is said before anything is written: each card that repeats a contact's email or
//! phone is listed with a choice (leave it out, merge it into that contact, add it all the
//! same), and a file that cannot be taken is named by line. Import is one undoable change.

use std::collections::HashMap;
use std::path::Path;

use egui::RichText;

use super::file_field::{FileField, Pick};
use super::theme;
use super::widgets::choice_combo;
use crate::command::{Change, Command};
use crate::interchange::vcard::{self, OnDuplicate};
use crate::interchange::{Format, invitation};
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// What the file would do, made again when the file, a choice or the data changes.
struct Planned {
    generation: u64,
    choices: HashMap<usize, OnDuplicate>,
    /// The change and what it does, line by line; or why the file cannot be taken.
    plan: Result<(Change, Vec<String>), Vec<String>>,
    /// The duplicate cards: line, name, and what is said of them (who they repeat, what they
    /// share, what a merge adds).
    duplicates: Vec<(usize, String, String)>,
}

/// The dialog's state.
#[derive(Default)]
pub struct ExchangeImport {
    file: FileField,
    /// The file's name and text as read; or why it could not be read.
    read: Option<Result<(String, String, Format), String>>,
    choices: HashMap<usize, OnDuplicate>,
    planned: Option<Planned>,
}

/// What the user did this frame.
pub enum ExchangeOutcome {
    Open,
    Cancel,
    Import(Command),
}

fn choice_label(choice: OnDuplicate) -> String {
    match choice {
        OnDuplicate::Skip => tr!("Leave out"),
        OnDuplicate::Merge => tr!("Merge into the contact"),
        OnDuplicate::Add => tr!("Add as a new contact"),
    }
}

impl ExchangeImport {
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> ExchangeOutcome {
        ui.set_min_width(620.0);
        ui.text(RichText::new(tr!("Import contacts or an invitation")).heading());
        ui.text(
            RichText::new(tr!(
                "A vCard file (.vcf) of contacts from a phone or an address book, or a calendar invitation (.ics). Nothing is written until you import; Undo takes it back."
            ))
            .color(theme::colors(ui).text_muted),
        );
        ui.add_space(6.0);
        let changed = ui
            .horizontal(|ui| {
                let label = ui.text(tr!("File"));
                let filter = ("vCard, iCalendar", ["vcf", "vcard", "ics"].as_slice());
                self.file.ui(ui, label.id, Pick::Open, filter)
            })
            .inner;
        if changed {
            self.read = self.file.path().map(|path| read(&path));
            self.choices.clear();
            self.planned = None;
        }
        self.plan(ws);
        ui.add_space(6.0);
        let importable = self.plan_ui(ui);
        ui.add_space(10.0);
        let mut outcome = ExchangeOutcome::Open;
        ui.horizontal(|ui| {
            let import = ui.add_enabled(
                importable,
                egui::Button::new(ui.rtl(RichText::new(tr!("Import")).strong())),
            );
            if import.clicked()
                && let Some(Planned {
                    plan: Ok((change, _)),
                    ..
                }) = self.planned.take()
            {
                outcome = ExchangeOutcome::Import(Command::Change(Box::new(change)));
            }
            if ui.button_text(tr!("Cancel")).clicked() {
                outcome = ExchangeOutcome::Cancel;
            }
        });
        outcome
    }

    /// Plans the file read, unless the plan is of these choices and this data already.
    fn plan(&mut self, ws: &Workspace) {
        let Some(Ok((name, text, format))) = &self.read else {
            self.planned = None;
            return;
        };
        let fresh = self
            .planned
            .as_ref()
            .is_some_and(|p| p.generation == ws.generation() && p.choices == self.choices);
        if fresh {
            return;
        }
        let choices = self.choices.clone();
        let (plan, duplicates) = if *format == Format::Ics {
            let plan = invitation::plan(ws, name, text)
                .map(|p| (p.change, p.lines))
                .map_err(|e| vec![e]);
            (plan, Vec::new())
        } else {
            let choose = |line: usize| choices.get(&line).copied().unwrap_or_default();
            match vcard::plan_cards(ws, name, text, &choose) {
                Ok(p) => {
                    let duplicates = p
                        .duplicates
                        .iter()
                        .map(|d| (d.card.line, d.card.name.clone(), duplicate_said(d)))
                        .collect();
                    (Ok((p.change, p.lines)), duplicates)
                }
                Err(problems) => (Err(problems), Vec::new()),
            }
        };
        self.planned = Some(Planned {
            generation: ws.generation(),
            choices,
            plan,
            duplicates,
        });
    }

    /// What the file would do, or why it cannot be imported; true when it can.
    fn plan_ui(&mut self, ui: &mut egui::Ui) -> bool {
        match &self.read {
            None => {
                ui.text(
                    RichText::new(tr!("Name a file to see what it holds."))
                        .color(theme::colors(ui).text_muted),
                );
                return false;
            }
            Some(Err(why)) => {
                ui.text(RichText::new(why).color(theme::colors(ui).error));
                return false;
            }
            Some(Ok(_)) => {}
        }
        let Some(planned) = &self.planned else {
            return false;
        };
        let lines = match &planned.plan {
            Ok((_, lines)) => lines,
            Err(problems) => {
                ui.text(
                    RichText::new(tr!("This file cannot be imported; nothing was written:"))
                        .color(theme::colors(ui).error),
                );
                lines_ui(ui, problems, theme::colors(ui).error);
                return false;
            }
        };
        // The summary and the repairs, then each duplicate with its choice.
        if let Some(summary) = lines.first() {
            ui.text(RichText::new(summary).strong());
        }
        lines_ui(ui, &lines[1..], theme::colors(ui).text_muted);
        let duplicates = planned.duplicates.clone();
        if !duplicates.is_empty() {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.text(tr!("These cards repeat a contact's email or phone:"));
                ui.add_space(8.0);
                ui.text(RichText::new(tr!("All:")).color(theme::colors(ui).text_muted));
                for choice in [OnDuplicate::Skip, OnDuplicate::Merge, OnDuplicate::Add] {
                    let all = ui
                        .small_button_text(choice_label(choice))
                        .accessible_name(tr!("All: {choice}", choice = choice_label(choice)));
                    if all.clicked() {
                        for (line, ..) in &duplicates {
                            self.choices.insert(*line, choice);
                        }
                    }
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("duplicate_cards")
                .max_height(220.0)
                .show(ui, |ui| {
                    for (line, name, said) in duplicates {
                        ui.horizontal(|ui| {
                            let mut choice = self.choices.get(&line).copied().unwrap_or_default();
                            let label = tr!("{name} (line {line})", name = name, line = line);
                            choice_combo(
                                ui,
                                &label,
                                &mut choice,
                                &[OnDuplicate::Skip, OnDuplicate::Merge, OnDuplicate::Add],
                                choice_label,
                            );
                            ui.text(RichText::new(said).color(theme::colors(ui).text_muted));
                            self.choices.insert(line, choice);
                        });
                    }
                });
        }
        match &planned.plan {
            Ok((change, _)) => !change.put.is_empty(),
            Err(_) => false,
        }
    }
}

/// What is said of a duplicate card beside its choice: who has what it shares, and what a
/// merge would give them.
fn duplicate_said(d: &vcard::Duplicate) -> String {
    let has = tr!(
        "{other} has {shared}",
        other = d.repeats_name,
        shared = d.shared
    );
    if d.adds.is_empty() {
        tr!("{has}; the card holds nothing new", has = has)
    } else {
        tr!(
            "{has}; a merge adds {what}",
            has = has,
            what = d.adds.join(", ")
        )
    }
}

/// Lines of text in a box that scrolls when there are many.
fn lines_ui(ui: &mut egui::Ui, lines: &[String], color: egui::Color32) {
    if lines.is_empty() {
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt(("exchange_lines", lines.len()))
        .max_height(160.0)
        .show(ui, |ui| {
            for line in lines {
                ui.text(RichText::new(line).color(color));
            }
        });
}

/// The file at `path`: its name, text and format (vCard unless it ends in .ics).
fn read(path: &Path) -> Result<(String, String, Format), String> {
    let name = path.display().to_string();
    let format = match Format::of_path(path) {
        Format::Ics => Format::Ics,
        _ => Format::Vcf,
    };
    std::fs::read_to_string(path)
        .map(|text| (name.clone(), text, format))
        .map_err(|e| tr!("{file} could not be read: {error}", file = name, error = e))
}
