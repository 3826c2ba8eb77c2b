//! The bar above the list: set the same fields on every selected deal in one command (one
//! transaction, one undo step). It is always there, greyed out until rows are selected, so a
//! Ctrl-click never pushes the rows down under the pointer. Closing deals in bulk asks first.

use crate::ui_ext::UiExt;
use std::collections::HashSet;

use egui::RichText;

use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::theme;
use super::widgets::{choice_label, forecast_combo, optional_stage_combo};
use crate::command::{Command, MassPatch};
use crate::domain::{Field, ForecastChoice, Id, LookupKind, StageKind, parse_date};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Width of the count at the bar's start: "No deals selected" and "12 selected" take the same
/// room, so the fields after them stay where they are.
const COUNT_WIDTH: f32 = 130.0;
/// Width of "Apply to 12 deals", whatever the count, so the bar never wraps differently.
const APPLY_WIDTH: f32 = 140.0;

/// What the user has chosen so far; every field starts as "keep".
#[derive(Default)]
pub struct MassUpdateBar {
    patch: MassPatch,
    close_text: String,
    /// A bulk move to a Won or Lost stage, waiting for the user's word (and a loss reason).
    closing: Option<Closing>,
    /// The update sent, with the number of deals it names.
    sent: Option<Sent<usize>>,
}

/// A mass update that closes deals, asked about before it is sent.
struct Closing {
    ids: Vec<Id>,
    patch: MassPatch,
    kind: StageKind,
}

impl MassUpdateBar {
    /// Draws the bar for `selection` (possibly empty); returns the command once the user
    /// applies it, and what became of it once the reply is in.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Ctx,
        selection: &mut HashSet<Id>,
        shown: &[Id],
    ) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        // A refusal is said by the app; the choices stay for another try.
        if let Some((count, Reply::Applied { .. })) = cx.replies.take(&mut self.sent) {
            *self = MassUpdateBar::default();
            actions.push(Action::Done(trn!(count, "{n} deals updated")));
        }
        // The same widgets whether rows are selected or not (greyed out when none are), so the
        // bar wraps to the same height either way.
        ui.horizontal_wrapped(|ui| {
            self.fields_ui(ui, ws, selection, shown, &mut actions);
        });
        if let Some(closing) = &mut self.closing {
            match closing.ui(ui.ctx(), ws) {
                Asked::Open => {}
                Asked::Cancel => self.closing = None,
                Asked::Confirm => {
                    if let Some(Closing { ids, patch, .. }) = self.closing.take() {
                        let count = ids.len();
                        let command = Command::MassUpdate { ids, patch };
                        actions.push(reply::send(&mut self.sent, count, command));
                    }
                }
            }
        }
        actions
    }

    fn fields_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        selection: &mut HashSet<Id>,
        shown: &[Id],
        actions: &mut Vec<Action>,
    ) {
        let count = match selection.len() {
            0 => tr!("No deals selected"),
            n => trn!(n, "{n} selected"),
        };
        let height = ui.spacing().interact_size.y;
        ui.add_sized(
            [COUNT_WIDTH, height],
            egui::Label::new(ui.rtl(RichText::new(count).strong())).truncate(),
        )
        .on_hover_text(ui.rtl(tr!(
            "Ctrl-click or Shift-click the deals' names to change several at once"
        )));
        if ui.button_text(tr!("Select all")).clicked() {
            selection.extend(shown.iter().copied());
        }
        let clear = ui.add_enabled(
            !selection.is_empty(),
            egui::Button::new(ui.rtl(tr!("Clear selection"))),
        );
        if clear.clicked() {
            selection.clear();
        }
        ui.separator();
        ui.add_enabled_ui(!selection.is_empty(), |ui| {
            let keep = tr!("Keep");
            optional_stage_combo(ui, ws, &mut self.patch.stage, &keep);
            for (field, kind) in [
                (Field::Salesperson, LookupKind::Salesperson),
                (Field::Source, LookupKind::Source),
                (Field::Campaign, LookupKind::Campaign),
            ] {
                let value = match kind {
                    LookupKind::Salesperson => &mut self.patch.salesperson,
                    LookupKind::Source => &mut self.patch.source,
                    _ => &mut self.patch.campaign,
                };
                keep_or_lookup_ui(ui, field, kind, ws, value, &keep);
            }
            let label = ui.text(Field::ExpectedClose.label());
            ui.add(
                egui::TextEdit::singleline(&mut self.close_text)
                    .hint_text(ui.rtl(tr!("keep")))
                    .desired_width(90.0),
            )
            .labelled_by(label.id);
            forecast_combo(
                ui,
                &mut self.patch.forecast,
                &keep,
                (&ForecastChoice::ALL, choice_label),
            );
            ui.separator();
            let apply = trn!(selection.len(), "Apply to {n} deals");
            let apply = egui::Button::new(ui.rtl(RichText::new(apply).strong()))
                .min_size(egui::vec2(APPLY_WIDTH, 0.0));
            if ui.add(apply).clicked() {
                // The ids are listed only when applied: a selection can hold a million deals.
                let mut ids: Vec<Id> = selection.iter().copied().collect();
                ids.sort_unstable();
                actions.extend(self.command(ws, ids));
            }
        });
    }

    /// The mass update, a question when it closes deals, or a message when the date does not
    /// parse or nothing was chosen.
    fn command(&mut self, ws: &Workspace, ids: Vec<Id>) -> Option<Action> {
        let mut patch = self.patch.clone();
        if !self.close_text.trim().is_empty() {
            match parse_date(Field::ExpectedClose, &self.close_text) {
                Ok(date) => patch.expected_close = Some(date),
                Err(e) => return Some(Action::Error(e.to_string())),
            }
        }
        if patch.is_empty() {
            return Some(Action::Error(tr!("Choose at least one field to change.")));
        }
        let kind = patch.stage.and_then(|s| ws.stage(s)).map(|s| s.kind);
        if let Some(kind @ (StageKind::Won | StageKind::Lost)) = kind {
            self.closing = Some(Closing { ids, patch, kind });
            return None;
        }
        let count = ids.len();
        Some(reply::send(
            &mut self.sent,
            count,
            Command::MassUpdate { ids, patch },
        ))
    }
}

/// What the user did with the bulk close question this frame.
enum Asked {
    Open,
    Cancel,
    Confirm,
}

impl Closing {
    /// "Close 5 deals as lost?", with the loss reason given to all of them.
    fn ui(&mut self, ctx: &egui::Context, ws: &Workspace) -> Asked {
        let n = self.ids.len();
        let lost = self.kind == StageKind::Lost;
        let mut asked = Asked::Open;
        let modal = egui::Modal::new(egui::Id::unique("mass_close")).show(ctx, |ui| {
            ui.set_width(380.0);
            super::direction::reading(ui, |ui| {
                let (title, confirm) = if lost {
                    (
                        trn!(n, "Close {n} deals as lost?"),
                        trn!(n, "Close {n} deals as lost"),
                    )
                } else {
                    (
                        trn!(n, "Close {n} deals as won?"),
                        trn!(n, "Close {n} deals as won"),
                    )
                };
                ui.text(RichText::new(title).heading());
                ui.add_space(6.0);
                // Closing the other way changes an outcome already recorded: say how many.
                let other = if lost {
                    StageKind::Won
                } else {
                    StageKind::Lost
                };
                let flipped = self
                    .ids
                    .iter()
                    .filter_map(|&id| ws.opportunity(id))
                    .filter(|o| ws.stage(o.stage).is_some_and(|s| s.kind == other))
                    .count();
                if flipped > 0 {
                    let warning = if lost {
                        trn!(flipped, "{n} of them is won now and becomes lost.")
                    } else {
                        trn!(flipped, "{n} of them is lost now and becomes won.")
                    };
                    ui.text(RichText::new(warning).color(theme::colors(ui).stale));
                    ui.add_space(6.0);
                }
                if lost {
                    reasons_ui(ui, ws, &mut self.patch.loss_reason);
                    ui.add_space(10.0);
                }
                ui.horizontal(|ui| {
                    if ui.button_text(RichText::new(confirm).strong()).clicked() {
                        asked = Asked::Confirm;
                    }
                    if ui.button_text(tr!("Cancel")).clicked() {
                        asked = Asked::Cancel;
                    }
                });
            });
        });
        if matches!(asked, Asked::Open) && super::dialogs::closes(&modal, true) {
            asked = Asked::Cancel;
        }
        asked
    }
}

/// The loss reasons as radio buttons: Tab reaches them, the arrows move between them and
/// Space picks one, which a dropdown's popup in a dialog does not allow (Escape, needed to
/// close it, would close the dialog).
fn reasons_ui(ui: &mut egui::Ui, ws: &Workspace, reason: &mut Option<Id>) {
    ui.text(tr!("Loss reason, for all of them"));
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .show(ui, |ui| {
            ui.radio_value_text(reason, None, tr!("No reason given"));
            for lookup in ws.lookups(LookupKind::LossReason) {
                ui.radio_value_text(reason, Some(lookup.id), &lookup.name);
            }
        });
}

/// A dropdown offering "keep", "none" and the lookup's values.
fn keep_or_lookup_ui(
    ui: &mut egui::Ui,
    field: Field,
    kind: LookupKind,
    ws: &Workspace,
    value: &mut Option<Option<Id>>,
    keep: &str,
) {
    let label = ui.text(field.label());
    let none = tr!("None");
    let shown = match value {
        None => keep.to_owned(),
        Some(None) => none.clone(),
        Some(Some(id)) => ws.lookup_name(Some(*id)).to_owned(),
    };
    egui::ComboBox::from_id_salt(("mass", kind as u8))
        .selected_text(ui.rtl(shown))
        .show_ui(ui, |ui| {
            ui.selectable_value_text(value, None, keep);
            ui.selectable_value_text(value, Some(None), &none);
            for lookup in ws.lookups(kind) {
                ui.selectable_value_text(value, Some(Some(lookup.id)), &lookup.name);
            }
        })
        .response
        .labelled_by(label.id);
}
