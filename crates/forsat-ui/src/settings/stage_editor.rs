//! The stage editor: a stage being created or edited.

use crate::direction;
use crate::ui_ext::UiExt;

use egui::{RichText, TextEdit};
use rust_decimal::Decimal;

use super::{LABEL_WIDTH, NUMBER_WIDTH, ask_frame, editor_frame, kind_label, muted};
use crate::command::{Change, Command};
use crate::domain::{
    Field, FieldError, ForecastCategory, Id, Problem, Record, Stage, StageKind, parse_probability,
};
use crate::i18n::format_percent;
use crate::theme;
use crate::unsaved::{self, FormKey};
use crate::widgets::category_label;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Width of a one-line text field in the editors.
const FIELD_WIDTH: f32 = 320.0;

/// What the stage editor asked for this frame.
pub(super) enum EditorOutcome {
    /// Save with this change: it closes once the change is applied.
    Send(Box<Change>),
    /// Close (Cancel, Escape): asks first when there are unsaved edits.
    Close,
}

/// A stage being created (id 0) or edited; numbers stay text until saved.
pub(crate) struct StageEditor {
    pub(super) stage: Stage,
    /// The name when the editor opened, for its title.
    pub(super) title: String,
    probability: String,
    rotting: String,
    /// What the editor opened with: anything else is an unsaved edit.
    opened: (Stage, String, String),
    errors: Vec<FieldError>,
    /// Why the workspace refused the last save, when no field is to blame.
    refusal: Option<String>,
    /// A checked stage waiting for the answer on the deals following its default probability:
    /// how many there are.
    followers: Option<(Stage, usize)>,
    /// Whether the forecast category was picked; until then a new stage's follows its typed
    /// probability, as [`ForecastCategory::for_probability`] gives it.
    category_picked: bool,
}

impl StageEditor {
    pub(super) fn of(stage: &Stage) -> Self {
        let probability = stage.probability.normalize().to_string();
        let rotting = stage
            .rotting_days
            .map(|d| d.to_string())
            .unwrap_or_default();
        StageEditor {
            opened: (stage.clone(), probability.clone(), rotting.clone()),
            stage: stage.clone(),
            title: stage.name.clone(),
            probability,
            rotting,
            errors: Vec::new(),
            refusal: None,
            followers: None,
            category_picked: false,
        }
    }

    pub(super) fn dirty(&self) -> bool {
        let (stage, probability, rotting) = &self.opened;
        *stage != self.stage || *probability != self.probability || *rotting != self.rotting
    }

    /// Shows why the workspace refused the save.
    pub(super) fn refused(&mut self, message: String, fields: Vec<FieldError>) {
        self.refusal = fields.is_empty().then_some(message);
        self.errors = fields;
    }

    /// The command saving the stage, for the unsaved-edits question; None when it does not
    /// validate or when the deals following its default probability must be asked about first
    /// (the editor then shows why, or the question).
    pub(super) fn command(&mut self, ws: &Workspace) -> Option<Command> {
        match self.save(ws)? {
            EditorOutcome::Send(change) => Some(Command::Change(change)),
            EditorOutcome::Close => None,
        }
    }

    pub(super) fn new_in(pipeline: Id, sequence: u32) -> Self {
        let stage = Stage {
            id: 0,
            pipeline,
            name: String::new(),
            sequence,
            probability: Decimal::from(10),
            kind: StageKind::Open,
            requirements: String::new(),
            rotting_days: None,
            folded: false,
            forecast: ForecastCategory::default(),
        };
        StageEditor {
            title: String::new(),
            ..StageEditor::of(&stage)
        }
    }

    fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// The stage as typed, trimmed and checked.
    fn checked(&self) -> Result<Stage, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut stage = self.stage.clone();
        if stage.kind == StageKind::Open {
            match parse_probability(&self.probability) {
                Ok(p) => stage.probability = p,
                Err(e) => errors.push(e),
            }
        }
        let rotting = self.rotting.trim();
        stage.rotting_days = if rotting.is_empty() {
            None
        } else {
            match rotting.parse::<u32>() {
                Ok(days) => Some(days),
                Err(_) => {
                    errors.push(FieldError::new(
                        Field::RottingDays,
                        Problem::NotANumber(rotting.to_owned()),
                    ));
                    None
                }
            }
        };
        let mut record = Record::Stage(stage);
        errors.extend(record.normalize_and_validate().err().unwrap_or_default());
        match record {
            Record::Stage(stage) if errors.is_empty() => Ok(stage),
            _ => Err(errors),
        }
    }

    /// Draws the editor. `held`: how many deals the stage holds (its kind is then fixed).
    pub(super) fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        held: usize,
    ) -> Option<EditorOutcome> {
        let mut outcome = match unsaved::form_key(ui) {
            Some(FormKey::Save) if self.followers.is_none() => self.save(ws),
            Some(FormKey::Close) => Some(EditorOutcome::Close),
            _ => None,
        };
        let dirty = self.dirty();
        editor_frame(ui, |ui| {
            let title = if self.stage.id == 0 {
                tr!("New stage")
            } else {
                tr!("Edit stage “{stage}”", stage = self.title)
            };
            ui.horizontal(|ui| {
                ui.text(
                    RichText::new(title)
                        .strong()
                        .size(15.0)
                        .color(theme::colors(ui).text_strong),
                );
                unsaved::marker(ui, dirty);
            });
            ui.add_space(4.0);
            if let Some(refusal) = &self.refusal {
                ui.text(RichText::new(refusal).color(theme::colors(ui).error));
            }
            let shown = [
                Field::Name,
                Field::Kind,
                Field::Probability,
                Field::Requirements,
                Field::RottingDays,
            ];
            let others: Vec<&FieldError> = self
                .errors
                .iter()
                .filter(|e| !shown.contains(&e.field))
                .collect();
            for e in others {
                ui.text(RichText::new(e.to_string()).color(theme::colors(ui).error));
            }
            let entered = self.fields_ui(ui, held);
            ui.add_space(6.0);
            if self.followers.is_some() {
                outcome = self.followers_ui(ui, ws).or(outcome.take());
                return;
            }
            if entered {
                outcome = self.save(ws);
            }
            ui.horizontal(|ui| {
                let save = if self.stage.id == 0 {
                    tr!("Add stage")
                } else {
                    tr!("Save stage")
                };
                if ui.button_text(RichText::new(save).strong()).clicked() {
                    outcome = self.save(ws);
                }
                if ui.button_text(tr!("Cancel")).clicked() {
                    outcome = Some(EditorOutcome::Close);
                }
            });
        });
        if self.dirty() != dirty {
            // The marker follows the typing at once.
            ui.ctx().request_repaint();
        }
        outcome
    }

    /// A labelled row of the form, in reading order; the field's error shows under its widget.
    fn row<R>(
        &self,
        ui: &mut egui::Ui,
        label: String,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
    ) -> R {
        let label = ui.rtl(label);
        direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
            let inner = add(ui, label);
            if let Some(error) = self.error(field) {
                ui.text(RichText::new(error.reason()).color(theme::colors(ui).error));
            }
            inner
        })
    }

    /// The fields; true when Enter was pressed in a one-line one.
    fn fields_ui(&mut self, ui: &mut egui::Ui, held: usize) -> bool {
        let mut stage = self.stage.clone();
        let mut probability = std::mem::take(&mut self.probability);
        let mut rotting = std::mem::take(&mut self.rotting);
        let mut entered = self.row(ui, Field::Name.label(), Field::Name, |ui, l| {
            let field = ui
                .add(TextEdit::singleline(&mut stage.name).desired_width(FIELD_WIDTH))
                .labelled_by(l);
            unsaved::submitted(ui, &field)
        });
        self.kind_row(ui, &mut stage, held);
        entered |= self.probability_row(ui, stage.kind, &mut probability);
        if stage.id == 0
            && !self.category_picked
            && let Ok(typed) = parse_probability(&probability)
        {
            stage.forecast = ForecastCategory::for_probability(typed);
        }
        if stage.kind == StageKind::Open {
            let before = stage.forecast;
            self.row(ui, tr!("Forecast category"), Field::Forecast, |ui, l| {
                ui.horizontal(|ui| {
                    egui::ComboBox::from_id_salt("settings_stage_forecast")
                        .selected_text(ui.rtl(category_label(stage.forecast)))
                        .show_ui(ui, |ui| {
                            for category in ForecastCategory::ALL {
                                let name = category_label(category);
                                ui.selectable_value_text(&mut stage.forecast, category, name);
                            }
                        })
                        .response
                        .labelled_by(l);
                    ui.text(muted(
                        ui,
                        tr!("Its deals' category unless one is chosen on the deal."),
                    ));
                });
            });
            self.category_picked |= stage.forecast != before;
        }
        self.row(
            ui,
            Field::Requirements.label(),
            Field::Requirements,
            |ui, l| {
                ui.add(
                    TextEdit::multiline(&mut stage.requirements)
                        .hint_text(ui.rtl(tr!("What a deal must meet before it moves on")))
                        .desired_rows(2)
                        .desired_width(FIELD_WIDTH * 1.5),
                )
                .labelled_by(l);
                ui.text(muted(
                    ui,
                    tr!("Shown when hovering the stage's column on the board."),
                ));
            },
        );
        entered |= self.row(ui, tr!("Stale after"), Field::RottingDays, |ui, l| {
            ui.horizontal(|ui| {
                let field = ui
                    .add(
                        TextEdit::singleline(&mut rotting)
                            .hint_text(ui.rtl(tr!("never")))
                            .desired_width(NUMBER_WIDTH),
                    )
                    .labelled_by(l);
                ui.text(tr!("days in the stage"));
                ui.text(muted(ui, tr!("(empty: never)")));
                unsaved::submitted(ui, &field)
            })
            .inner
        });
        self.row(ui, Field::Folded.label(), Field::Folded, |ui, _| {
            ui.checkbox_text(&mut stage.folded, tr!("Shown folded on the board"));
        });
        self.stage = stage;
        self.probability = probability;
        self.rotting = rotting;
        entered
    }

    /// The kind: fixed while a stored stage holds deals.
    fn kind_row(&self, ui: &mut egui::Ui, stage: &mut Stage, held: usize) {
        let kind_fixed = stage.id != 0 && held > 0;
        self.row(ui, Field::Kind.label(), Field::Kind, |ui, l| {
            ui.horizontal(|ui| {
                ui.add_enabled_ui(!kind_fixed, |ui| {
                    egui::ComboBox::from_id_salt("settings_stage_kind")
                        .selected_text(ui.rtl(kind_label(stage.kind)))
                        .show_ui(ui, |ui| {
                            for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
                                ui.selectable_value_text(&mut stage.kind, kind, kind_label(kind));
                            }
                        })
                        .response
                        .labelled_by(l);
                });
                let note = if kind_fixed {
                    tr!("Fixed while the stage holds deals.")
                } else {
                    tr!("Won and Lost stages close the deals dropped on them.")
                };
                ui.text(muted(ui, note));
            });
        });
    }

    /// The default probability: typed for an open stage, 100 or 0 for a won or lost one; true
    /// when Enter was pressed in it.
    fn probability_row(
        &self,
        ui: &mut egui::Ui,
        kind: StageKind,
        probability: &mut String,
    ) -> bool {
        self.row(
            ui,
            tr!("Default probability"),
            Field::Probability,
            |ui, l| {
                ui.horizontal(|ui| {
                    let mut entered = false;
                    match kind {
                        StageKind::Open => {
                            let field = ui
                                .add(TextEdit::singleline(probability).desired_width(NUMBER_WIDTH))
                                .labelled_by(l);
                            entered = unsaved::submitted(ui, &field);
                        }
                        StageKind::Won | StageKind::Lost => {
                            let mut fixed = if kind == StageKind::Won {
                                "100".to_owned()
                            } else {
                                "0".to_owned()
                            };
                            ui.add_enabled(
                                false,
                                TextEdit::singleline(&mut fixed).desired_width(NUMBER_WIDTH),
                            )
                            .labelled_by(l);
                        }
                    }
                    ui.text("%");
                    ui.text(muted(ui, tr!("what a deal gets on entering the stage")));
                    entered
                })
                .inner
            },
        )
    }

    /// Checks the stage; saves it, or first asks about the deals following its default.
    fn save(&mut self, ws: &Workspace) -> Option<EditorOutcome> {
        let stage = match self.checked() {
            Ok(stage) => stage,
            Err(errors) => {
                self.errors = errors;
                return None;
            }
        };
        self.errors.clear();
        self.refusal = None;
        let redefaulted = ws.stage(stage.id).is_some_and(|old| {
            old.kind == StageKind::Open
                && stage.kind == StageKind::Open
                && old.probability != stage.probability
        });
        let followers = if redefaulted {
            ws.opportunities()
                .filter(|o| o.stage == stage.id && !o.probability_overridden)
                .filter(|o| o.closed.is_none() && o.probability != stage.probability)
                .count()
        } else {
            0
        };
        if followers > 0 {
            self.followers = Some((stage, followers));
            return None;
        }
        Some(EditorOutcome::Send(Box::new(ws.stage_change(stage, false))))
    }

    /// The question on the open deals that follow the stage's default probability.
    fn followers_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<EditorOutcome> {
        let (stage, n) = self.followers.clone()?;
        let mut outcome = None;
        ask_frame(ui, theme::colors(ui).progress, |ui| {
            let percent = format_percent(stage.probability);
            let text = trn!(
                n,
                "Apply {percent} to the {n} open deals that follow the stage's default? (deals with a probability of their own keep it)",
                percent = percent
            );
            ui.text(RichText::new(text).strong());
            ui.horizontal(|ui| {
                for (answer, apply) in
                    [(tr!("Apply to them"), true), (tr!("Only new deals"), false)]
                {
                    if ui.button_text(answer).clicked() {
                        let change = ws.stage_change(stage.clone(), apply);
                        outcome = Some(EditorOutcome::Send(Box::new(change)));
                    }
                }
                if ui.button_text(tr!("Back")).clicked() {
                    self.followers = None;
                }
            });
        });
        if outcome.is_some() {
            self.followers = None;
        }
        outcome
    }
}
