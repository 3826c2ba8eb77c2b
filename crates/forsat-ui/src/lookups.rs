//! The lookup tables editor (Settings → Lists): the values every dropdown offers, which the
//! user adds, renames, deactivates and deletes. A value in use is replaced by another one (or
//! cleared) on every deal, account and lead in the same undoable change.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashMap;

use egui::{Align, Margin, RichText, Stroke, TextEdit};

use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::settings::{Form, Switch};
use super::theme;
use super::unsaved;
use crate::command::{Change, Command};
use crate::domain::{Field, Id, Lookup, LookupKind, Record};
use crate::i18n::format_count;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The tables, in the order the selector lists them.
const KINDS: [LookupKind; 6] = [
    LookupKind::LossReason,
    LookupKind::Source,
    LookupKind::Campaign,
    LookupKind::Competitor,
    LookupKind::Salesperson,
    LookupKind::Tag,
];

/// Width of the table selector on the left.
const TABLES_WIDTH: f32 = 190.0;
/// Height of a value's row.
const ROW_HEIGHT: f32 = 28.0;
/// Widths of the Active, Used by and buttons columns; the name takes the rest.
const ACTIVE_WIDTH: f32 = 64.0;
const USES_WIDTH: f32 = 84.0;
const BUTTONS_WIDTH: f32 = 130.0;
/// The name column never gets narrower than this (the area scrolls sideways instead).
const NAME_MIN_WIDTH: f32 = 140.0;
/// Nor wider than this: further apart, a name and its checkbox no longer read as one row.
const NAME_MAX_WIDTH: f32 = 420.0;
/// Width of the text field adding a value.
const NEW_VALUE_WIDTH: f32 = 240.0;

/// The lookup tables editor.
#[derive(Default)]
pub struct LookupsEditor {
    /// The table shown; None before one is picked, which shows the first (loss reasons).
    kind: Option<LookupKind>,
    /// The name typed for a new value, and why adding it was refused.
    new_name: String,
    add_error: Option<String>,
    /// The value being renamed.
    rename: Option<Rename>,
    /// The value whose deletion is being asked about.
    delete: Option<DeleteAsk>,
    /// How many records use each value of a table, counted at a data generation.
    uses: Option<Uses>,
    /// A command sent, and what it was for: its editor closes once it is applied, and keeps
    /// what was typed, saying why, when it was refused.
    sent: Option<Sent<ValueEdit>>,
}

/// An inline rename.
struct Rename {
    id: Id,
    /// The stored name: anything else is an unsaved edit.
    original: String,
    name: String,
    error: Option<String>,
    /// Give the field the keyboard focus on the next frame (it has just opened).
    focus: bool,
}

/// The inline question asked before deleting a value.
struct DeleteAsk {
    id: Id,
    /// What replaces the value where it is used: None until chosen, `Some(None)` to clear it.
    replace_with: Option<Option<Id>>,
}

/// The use counts of one table's values.
struct Uses {
    generation: u64,
    kind: LookupKind,
    counts: HashMap<Id, usize>,
}

/// The edit of a list value a sent command makes: its editor closes once it is applied.
#[derive(Clone, Copy)]
enum ValueEdit {
    Add,
    Rename,
    Delete,
}

/// The widths of a row's columns, and of the whole row.
#[derive(Clone, Copy)]
struct Widths {
    name: f32,
    active: f32,
    uses: f32,
    buttons: f32,
    total: f32,
}

impl Widths {
    /// The columns in `available` width, `spacing` apart.
    fn fitting(available: f32, spacing: f32) -> Self {
        let fixed = ACTIVE_WIDTH + USES_WIDTH + BUTTONS_WIDTH + 3.0 * spacing;
        let name = (available - fixed).clamp(NAME_MIN_WIDTH, NAME_MAX_WIDTH);
        Widths {
            name,
            active: ACTIVE_WIDTH,
            uses: USES_WIDTH,
            buttons: BUTTONS_WIDTH,
            total: name + fixed,
        }
    }
}

impl LookupsEditor {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let kind = self.kind.unwrap_or(LookupKind::LossReason);
        direction::start_panel("lookup_tables")
            .resizable(false)
            .exact_size(TABLES_WIDTH)
            .frame(egui::Frame::new().inner_margin(Margin {
                left: 0,
                right: 10,
                top: 4,
                bottom: 4,
            }))
            .show(ui, |ui| {
                direction::reading(ui, |ui| Self::tables_ui(ui, ws, kind, switch));
            });
        egui::ScrollArea::both()
            .id_salt("lookup_values")
            .auto_shrink(false)
            .show(ui, |ui| {
                egui::Frame::new()
                    .inner_margin(Margin::symmetric(12, 4))
                    .show(ui, |ui| self.values_ui(ui, ws, kind, actions, switch));
            });
    }

    /// Closes the editors whose command was applied (a refused one keeps what was typed and
    /// says why), and those of values that are gone.
    pub(super) fn settle(&mut self, cx: &Ctx) {
        match cx.replies.take(&mut self.sent) {
            Some((edit, Reply::Applied { .. })) => match edit {
                ValueEdit::Add => {
                    self.new_name.clear();
                    self.add_error = None;
                }
                ValueEdit::Rename => self.rename = None,
                ValueEdit::Delete => self.delete = None,
            },
            Some((ValueEdit::Add, Reply::Refused { message, .. })) => {
                self.add_error = Some(message);
            }
            Some((ValueEdit::Rename, Reply::Refused { message, .. })) => {
                if let Some(rename) = &mut self.rename {
                    rename.error = Some(message);
                }
            }
            // The status bar says why; the question stays.
            Some((ValueEdit::Delete, Reply::Refused { .. })) | None => {}
        }
        if self
            .rename
            .as_ref()
            .is_some_and(|r| cx.ws.lookup(r.id).is_none())
        {
            self.rename = None;
        }
        if self
            .delete
            .as_ref()
            .is_some_and(|d| cx.ws.lookup(d.id).is_none())
        {
            self.delete = None;
        }
    }

    /// Sends `change`; its editor closes once it is applied.
    fn send(&mut self, change: Change, edit: ValueEdit, actions: &mut Vec<Action>) {
        let command = Command::Change(Box::new(change));
        actions.push(reply::send(&mut self.sent, edit, command));
    }

    /// The value being renamed or the one typed to be added, when either is unsaved, with the
    /// name the unsaved-edits question gives it.
    pub(super) fn unsaved(&self) -> Option<(Form, String)> {
        let renamed = self
            .rename
            .as_ref()
            .filter(|r| r.name.trim() != r.original)
            .map(|r| (Form::ListValue, r.original.clone()));
        renamed.or_else(|| {
            let typed = self.new_name.trim();
            (!typed.is_empty()).then(|| {
                let kind = self.kind.unwrap_or(LookupKind::LossReason);
                (
                    Form::NewListValue,
                    tr!("The new value of {list}", list = table_name(kind)),
                )
            })
        })
    }

    /// The command saving `form` (the rename or the new value); None when it is wrong, the
    /// reason then shown under it.
    pub(super) fn command(&mut self, ws: &Workspace, form: Form) -> Option<Command> {
        let (lookup, error) = match form {
            Form::ListValue => {
                let rename = self.rename.as_mut()?;
                let stored = ws.lookup(rename.id)?;
                let edited = Lookup {
                    name: rename.name.clone(),
                    ..stored.clone()
                };
                (edited, &mut rename.error)
            }
            _ => {
                let lookup = Lookup {
                    id: 0,
                    kind: self.kind.unwrap_or(LookupKind::LossReason),
                    name: self.new_name.clone(),
                    active: true,
                };
                (lookup, &mut self.add_error)
            }
        };
        match validated(ws, lookup) {
            Ok(record) => {
                *error = None;
                Some(Command::Change(Box::new(Change::put(record))))
            }
            Err(message) => {
                *error = Some(message);
                None
            }
        }
    }

    /// Drops the rename or the typed new value.
    pub(super) fn discard(&mut self, form: Form) {
        if form == Form::ListValue {
            self.rename = None;
        } else {
            self.new_name.clear();
            self.add_error = None;
        }
    }

    /// Shows why saving `form` was refused.
    pub(super) fn refused(&mut self, form: Form, message: String) {
        match (&mut self.rename, form) {
            (Some(rename), Form::ListValue) => rename.error = Some(message),
            _ => self.add_error = Some(message),
        }
    }

    /// Shows the table `kind`.
    pub(super) fn show(&mut self, kind: LookupKind) {
        self.kind = Some(kind);
        self.rename = None;
        self.delete = None;
        self.add_error = None;
    }

    /// Opens the rename field of the value `id`, focused.
    pub(super) fn rename(&mut self, ws: &Workspace, id: Id) {
        if let Some(lookup) = ws.lookup(id) {
            self.rename = Some(Rename {
                id,
                original: lookup.name.clone(),
                name: lookup.name.clone(),
                error: None,
                focus: true,
            });
        }
    }

    /// The selector of the six tables, each with how many values it holds.
    fn tables_ui(
        ui: &mut egui::Ui,
        ws: &Workspace,
        shown: LookupKind,
        switch: &mut Option<Switch>,
    ) {
        ui.text(RichText::new(tr!("Dropdown lists")).strong());
        ui.add_space(4.0);
        for kind in KINDS {
            let name = table_name(kind);
            let count = format_count(ws.all_lookups(kind).len() as u64);
            let button = egui::Button::selectable(kind == shown, name.clone())
                .right_text(RichText::new(count).color(theme::colors(ui).text_muted))
                .min_size(egui::vec2(ui.available_width(), 26.0));
            if ui.add(button).accessible_name(name).clicked() && kind != shown {
                *switch = Some(Switch::List(kind));
            }
        }
    }

    /// The chosen table: what it is for, the field adding a value, and its values.
    fn values_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        kind: LookupKind,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        ui.text(RichText::new(table_name(kind)).heading());
        ui.text(RichText::new(table_help(kind)).color(theme::colors(ui).text_muted));
        ui.text(
            RichText::new(tr!(
                "An inactive value stays on the records that use it but is no longer offered in dropdowns."
            ))
            .small()
            .color(theme::colors(ui).text_muted));
        ui.add_space(8.0);
        self.add_ui(ui, ws, kind, actions);
        ui.add_space(10.0);
        let values = ws.all_lookups(kind);
        if values.is_empty() {
            ui.text(
                RichText::new(tr!("This list is empty. Add its first value above."))
                    .color(theme::colors(ui).text_muted),
            );
            return;
        }
        self.count_uses(ws, kind);
        let widths = Widths::fitting(ui.available_width(), ui.spacing().item_spacing.x);
        ui.scope(|ui| {
            // The header's rule ends with the columns.
            ui.set_max_width(widths.total);
            header_ui(ui, widths);
            ui.separator();
            for lookup in values {
                let uses = self
                    .uses
                    .as_ref()
                    .and_then(|u| u.counts.get(&lookup.id).copied())
                    .unwrap_or(0);
                if self.rename.as_ref().is_some_and(|r| r.id == lookup.id) {
                    self.rename_ui(ui, ws, lookup, widths, actions, switch);
                } else {
                    self.row_ui(ui, lookup, uses, widths, actions, switch);
                }
                if self.delete.as_ref().is_some_and(|d| d.id == lookup.id) {
                    self.delete_ui(ui, ws, lookup, uses, actions);
                }
            }
        });
    }

    /// Counts, once per data generation, how many records use each value of `kind`.
    fn count_uses(&mut self, ws: &Workspace, kind: LookupKind) {
        let fresh = self
            .uses
            .as_ref()
            .is_some_and(|u| u.generation == ws.generation() && u.kind == kind);
        if !fresh {
            let counts = ws
                .all_lookups(kind)
                .into_iter()
                .map(|l| (l.id, ws.lookup_uses(l.id)))
                .collect();
            self.uses = Some(Uses {
                generation: ws.generation(),
                kind,
                counts,
            });
        }
    }

    /// The field and button adding a value to the table.
    fn add_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        kind: LookupKind,
        actions: &mut Vec<Action>,
    ) {
        let mut add = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.text(tr!("New value"));
            let field = ui
                .add(
                    TextEdit::singleline(&mut self.new_name)
                        .hint_text(ui.rtl(tr!("Name")))
                        .desired_width(NEW_VALUE_WIDTH),
                )
                .labelled_by(label.id);
            let enter = unsaved::submitted(ui, &field);
            if enter {
                // Values are often added one after another.
                field.request_focus();
            }
            add = ui.button_text(tr!("Add")).clicked() || enter;
        });
        if add {
            let lookup = Lookup {
                id: 0,
                kind,
                name: self.new_name.clone(),
                active: true,
            };
            match validated(ws, lookup) {
                Ok(record) => {
                    self.add_error = None;
                    self.send(Change::put(record), ValueEdit::Add, actions);
                }
                Err(error) => self.add_error = Some(error),
            }
        }
        error_ui(ui, self.add_error.as_deref());
    }

    /// One value: its name, Active checkbox, use count, Edit and Delete.
    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        lookup: &Lookup,
        uses: usize,
        widths: Widths,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let name = &lookup.name;
        ui.horizontal(|ui| {
            cell(ui, widths.name, |ui| {
                let mut text = RichText::new(name);
                if !lookup.active {
                    text = text.italics().color(theme::colors(ui).text_muted);
                }
                ui.add(egui::Label::new(ui.rtl(text)).truncate());
            });
            cell(ui, widths.active, |ui| {
                let mut active = lookup.active;
                let toggled = ui
                    .checkbox(&mut active, "")
                    .accessible_name(tr!("Active: {name}", name = name))
                    .on_hover_text(ui.rtl(tr!("Offered in dropdowns")))
                    .changed();
                if toggled {
                    let record = Record::Lookup(Lookup {
                        active,
                        ..lookup.clone()
                    });
                    actions.push(Action::Apply(Command::Change(Box::new(Change::put(
                        record,
                    )))));
                }
            });
            cell(ui, widths.uses, |ui| {
                let text = if uses == 0 {
                    RichText::new("—").color(theme::colors(ui).text_muted)
                } else {
                    RichText::new(format_count(uses as u64))
                };
                ui.text(text);
            });
            cell(ui, widths.buttons, |ui| {
                let edit = ui
                    .small_button_text(tr!("Edit"))
                    .accessible_name(tr!("Edit {name}", name = name));
                if edit.clicked() {
                    *switch = Some(Switch::Value(lookup.id));
                }
                let delete = ui
                    .small_button_text(tr!("Delete"))
                    .accessible_name(tr!("Delete {name}", name = name));
                if delete.clicked() {
                    self.delete = Some(DeleteAsk {
                        id: lookup.id,
                        replace_with: None,
                    });
                }
            });
        });
    }

    /// The row of the value being renamed: its name in a field, Save and Cancel.
    fn rename_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        lookup: &Lookup,
        widths: Widths,
        actions: &mut Vec<Action>,
        switch: &mut Option<Switch>,
    ) {
        let Some(rename) = &mut self.rename else {
            return;
        };
        let (mut save, mut cancel) = (false, false);
        ui.horizontal(|ui| {
            ui.set_min_height(ROW_HEIGHT);
            let field = ui
                .add(TextEdit::singleline(&mut rename.name).desired_width(widths.name))
                .accessible_name(tr!("New name for {name}", name = lookup.name));
            if rename.focus {
                field.request_focus();
                rename.focus = false;
            }
            if field.lost_focus() {
                save = unsaved::submitted(ui, &field);
                cancel = ui.input(|i| i.key_pressed(egui::Key::Escape));
            }
            save |= ui
                .button_text(RichText::new(tr!("Save")).strong())
                .clicked();
            cancel |= ui.button_text(tr!("Cancel")).clicked();
        });
        error_ui(ui, rename.error.as_deref());
        if cancel {
            *switch = Some(Switch::Close(Form::ListValue));
        } else if save {
            if rename.name.trim() == lookup.name {
                self.rename = None;
                return;
            }
            let edited = Lookup {
                name: rename.name.clone(),
                ..lookup.clone()
            };
            match validated(ws, edited) {
                Ok(record) => {
                    rename.error = None;
                    self.send(Change::put(record), ValueEdit::Rename, actions);
                }
                Err(error) => rename.error = Some(error),
            }
        }
    }

    /// The inline question before deleting a value: a plain confirmation when no record uses
    /// it, otherwise what replaces it on those records.
    fn delete_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        lookup: &Lookup,
        uses: usize,
        actions: &mut Vec<Action>,
    ) {
        let Some(ask) = &mut self.delete else {
            return;
        };
        let name = &lookup.name;
        // What to send: the value replacing the deleted one, None to clear it.
        let mut go: Option<Option<Id>> = None;
        let mut close = false;
        egui::Frame::new()
            .fill(theme::colors(ui).card_fill)
            .stroke(Stroke::new(
                1.0,
                theme::colors(ui).error.gamma_multiply(0.4),
            ))
            .corner_radius(6)
            .inner_margin(Margin::same(10))
            .outer_margin(Margin::symmetric(0, 4))
            .show(ui, |ui| {
                if uses == 0 {
                    ui.text(
                        RichText::new(tr!("Delete “{name}”? No record uses it.", name = name))
                            .strong(),
                    );
                    ui.horizontal(|ui| {
                        if ui.button_text(tr!("Yes, delete")).clicked() {
                            go = Some(None);
                        }
                        close = ui.button_text(tr!("Cancel")).clicked();
                    });
                    return;
                }
                let text = trn!(
                    uses,
                    "“{name}” is used by {n} records. Replace it with:",
                    name = name
                );
                let label = ui.text(RichText::new(text).strong());
                ui.horizontal_wrapped(|ui| {
                    replace_combo(ui, label.id, ws, lookup, &mut ask.replace_with);
                    let button = egui::Button::new(ui.rtl(tr!("Replace and delete")));
                    if ui.add_enabled(ask.replace_with.is_some(), button).clicked() {
                        go = ask.replace_with;
                    }
                    close = ui.button_text(tr!("Cancel")).clicked();
                });
            });
        if let Some(replace_with) = go {
            let change = ws.delete_lookup_change(lookup.id, replace_with);
            self.send(change, ValueEdit::Delete, actions);
        } else if close {
            self.delete = None;
        }
    }
}

/// The dropdown of what replaces a deleted value: the table's other values, or nothing.
fn replace_combo(
    ui: &mut egui::Ui,
    label: egui::Id,
    ws: &Workspace,
    deleted: &Lookup,
    choice: &mut Option<Option<Id>>,
) {
    let none = if deleted.kind == LookupKind::Tag {
        tr!("(none — remove the tag)")
    } else {
        tr!("(none — clear the field)")
    };
    let selected = match *choice {
        None => tr!("Choose a value"),
        Some(None) => none.clone(),
        Some(Some(id)) => ws.lookup_name(Some(id)).to_owned(),
    };
    egui::ComboBox::from_id_salt(("replace_lookup", deleted.id))
        .selected_text(ui.rtl(selected))
        .width(220.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            for other in ws.all_lookups(deleted.kind) {
                if other.id == deleted.id {
                    continue;
                }
                let text = if other.active {
                    RichText::new(&other.name)
                } else {
                    RichText::new(tr!("{name} (inactive)", name = other.name))
                        .color(theme::colors(ui).text_muted)
                };
                ui.selectable_value_text(choice, Some(Some(other.id)), text);
            }
            ui.separator();
            ui.selectable_value_text(choice, Some(None), none);
        })
        .response
        .labelled_by(label);
}

/// The column titles above the values.
fn header_ui(ui: &mut egui::Ui, widths: Widths) {
    ui.horizontal(|ui| {
        cell(ui, widths.name, |ui| {
            ui.text(RichText::new(Field::Name.label()).strong());
        });
        cell(ui, widths.active, |ui| {
            ui.text(RichText::new(Field::Active.label()).strong());
        });
        cell(ui, widths.uses, |ui| {
            ui.text(RichText::new(tr!("Used by")).strong()).on_hover_text(ui.rtl(tr!(
                "How many deals, accounts and leads use the value, archived and trashed deals included."
            )));
        });
    });
}

/// A column of a row, `width` wide, its contents centred vertically.
fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ROW_HEIGHT),
        direction::start_to_end(Align::Center),
        |ui| {
            ui.set_width(width);
            ui.set_min_height(ROW_HEIGHT);
            add(ui);
        },
    );
}

/// The value trimmed and checked, as the record to put: its name is required and not already
/// in the table (ignoring case); or what is wrong with it.
fn validated(ws: &Workspace, lookup: Lookup) -> Result<Record, String> {
    let name = lookup.name.trim().to_owned();
    let wanted = name.to_lowercase();
    let taken = ws
        .all_lookups(lookup.kind)
        .into_iter()
        .any(|l| l.id != lookup.id && l.name.trim().to_lowercase() == wanted);
    let mut record = Record::Lookup(lookup);
    if let Err(errors) = record.normalize_and_validate() {
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(text.join("; "));
    }
    if taken {
        return Err(tr!("“{name}” is already in this list.", name = name));
    }
    Ok(record)
}

/// A refused value's reason, in red.
fn error_ui(ui: &mut egui::Ui, error: Option<&str>) {
    if let Some(error) = error {
        ui.text(RichText::new(error).color(theme::colors(ui).error));
    }
}

/// The name of a table in the selector.
fn table_name(kind: LookupKind) -> String {
    match kind {
        LookupKind::LossReason => tr!("Loss reasons"),
        LookupKind::Source => tr!("Sources"),
        LookupKind::Campaign => tr!("Campaigns"),
        LookupKind::Competitor => tr!("Competitors"),
        LookupKind::Salesperson => tr!("Salespeople"),
        LookupKind::Tag => tr!("Tags"),
    }
}

/// What a table's values are for.
fn table_help(kind: LookupKind) -> String {
    match kind {
        LookupKind::LossReason => {
            tr!("Why deals are lost: asked for when a deal moves to a Lost stage.")
        }
        LookupKind::Source => tr!("Where deals, accounts and leads come from."),
        LookupKind::Campaign => tr!("The marketing campaign a deal came from."),
        LookupKind::Competitor => tr!("Who else the customer is considering."),
        LookupKind::Salesperson => tr!("Who owns a deal or a lead."),
        LookupKind::Tag => tr!("Free labels on deals; a deal can have several."),
    }
}
