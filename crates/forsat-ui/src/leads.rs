//! The leads: a filterable, virtualised list beside a form that edits, deletes and converts the
//! selected lead into an account, a contact and a deal.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{FontId, RichText, ScrollArea, Sense, TextEdit, vec2};

use super::accounts::{Switch, field_row};
use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved::{self, Choice, Draft as _, Editing, FormKey, Leave};
use super::widgets::{history_ui, lookup_combo, paint_card_frame, text_line};
use crate::command::{Change, Command, ConvertLead};
use crate::domain::{
    Conversion, EntityKind, Field, FieldError, HistoryEntry, Id, Lead, LookupKind, Record, Stage,
    StageKind,
};
use crate::i18n::format_date;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// The sizes of a list row's three lines: name, company and contact, origin.
const LINE_SIZES: [f32; 3] = [14.0, 12.5, 11.5];

/// Height of a row of the list: its three lines in the fonts in use (Persian ones are
/// taller), with the card's margins. The same for every row, so the list lays out only the
/// visible rows.
fn row_height(ui: &egui::Ui) -> f32 {
    let lines: f32 = ui.fonts_mut(|f| {
        LINE_SIZES
            .iter()
            .map(|&size| f.row_height(&FontId::proportional(size)))
            .sum()
    });
    lines + 2.0 * 2.0 + 2.0 * 5.0 + 2.0 * 2.0
}
/// How many existing accounts the account picker offers at most.
const ACCOUNT_CHOICES: usize = 20;
/// The form's widest extent: wider fields only spread the text apart.
const FORM_MAX_WIDTH: f32 = 720.0;

/// The width of the form's label column, shared by its two forms so their fields line up.
const LABEL_WIDTH: f32 = 100.0;

/// Which leads the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Show {
    #[default]
    Open,
    Converted,
    All,
}

impl Show {
    fn label(self) -> String {
        match self {
            Show::Open => tr!("Open"),
            Show::Converted => tr!("Converted"),
            Show::All => tr!("All"),
        }
    }

    fn admits(self, lead: &Lead) -> bool {
        match self {
            Show::Open => lead.converted.is_none(),
            Show::Converted => lead.converted.is_some(),
            Show::All => true,
        }
    }
}

/// The list's rows, newest first, recomputed only when the data or the filter changes.
struct Rows {
    generation: u64,
    show: Show,
    search: String,
    ids: Vec<Id>,
}

/// The leads view.
#[derive(Default)]
pub struct LeadsView {
    show: Show,
    search: String,
    rows: Option<Rows>,
    editor: Option<Editor>,
    /// Whether the view was shown before (the first time, the first lead is selected).
    started: bool,
    /// The data generation the editor was last brought in line with.
    synced: u64,
    /// The lead's save, sent: the form moves on once it is applied and keeps what was typed,
    /// saying why, when it was refused. With where the user was going, if anywhere.
    sent: Option<Sent<Option<Switch>>>,
    /// Asked because the form has unsaved edits and would close: where the user was going.
    leave: Option<Leave<Switch>>,
    /// The selected lead's history with the lead id and data generation it was read at.
    history: Option<(Id, u64, Vec<HistoryEntry>)>,
}

impl LeadsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        self.sync(ws);
        if let Some((then, reply)) = cx.replies.take(&mut self.sent) {
            self.settle(ws, then, reply);
        }
        self.refresh(ws);
        if !self.started {
            self.started = true;
            if self.editor.is_none()
                && let Some(lead) = self.rows.as_ref().and_then(|r| r.ids.first())
                && let Some(lead) = ws.lead(*lead)
            {
                self.editor = Some(Editor::edit(lead.clone()));
            }
        }
        let mut switch = None;
        match unsaved::form_key(ui) {
            Some(FormKey::Save) => self.save(ws, None, &mut actions),
            Some(FormKey::Close) => switch = Some(Switch::Close),
            None => {}
        }
        direction::start_panel("leads_list")
            .resizable(true)
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| {
                direction::reading(ui, |ui| {
                    switch = switch.or(self.list_ui(ui, ws));
                })
            });
        if let Some(editor) = &mut self.editor {
            let id = editor.id();
            if let Some(id) = id
                && !self
                    .history
                    .as_ref()
                    .is_some_and(|(h, g, _)| *h == id && *g == ws.generation())
            {
                let entries = ws.history(EntityKind::Lead, id).unwrap_or_default();
                self.history = Some((id, ws.generation(), entries));
            }
            let history = match (&self.history, id) {
                (Some((h, _, entries)), Some(id)) if *h == id => entries.as_slice(),
                _ => &[],
            };
            // Beside the list, where reading starts (at the right in Persian).
            let outcome = direction::reading(ui, |ui| {
                ui.set_max_width(FORM_MAX_WIDTH);
                egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(12, 0))
                    .show(ui, |ui| editor.ui(ui, ws, history))
                    .inner
            })
            .inner;
            match outcome {
                Outcome::None => {}
                Outcome::Close => switch = switch.or(Some(Switch::Close)),
                Outcome::Save => self.save(ws, None, &mut actions),
                Outcome::Act(action) => actions.push(action),
            }
        } else {
            empty_form_ui(ui);
        }
        if let Some(to) = switch {
            self.switch(ws, to);
        }
        self.leave_ui(ui.ctx(), ws, &mut actions);
        actions
    }

    /// Sends the form's save, to go on to `then` once it is applied.
    fn save(&mut self, ws: &Workspace, then: Option<Switch>, actions: &mut Vec<Action>) {
        if let Some(command) = self.editor.as_mut().and_then(|e| e.save(ws)) {
            actions.push(reply::send(&mut self.sent, then, command));
        }
    }

    /// What the save's reply calls for: a new lead shows as stored, the user goes on where
    /// they were going; a refusal keeps the typing and says why.
    fn settle(&mut self, ws: &Workspace, then: Option<Switch>, reply: Reply) {
        match reply {
            Reply::Applied { created } => match then {
                Some(to) => self.go(ws, to),
                None => {
                    let new = self.editor.as_ref().is_some_and(|e| e.original.is_none());
                    if new && let Some(lead) = created.and_then(|id| ws.lead(id)) {
                        self.editor = Some(Editor::edit(lead.clone()));
                    }
                }
            },
            Reply::Refused { message, fields } => {
                if let Some(editor) = &mut self.editor {
                    if fields.is_empty() {
                        editor.refused = Some(message);
                    } else {
                        editor.errors = fields;
                    }
                }
            }
        }
    }

    /// Goes to `to`, first asking when the form has unsaved edits.
    fn switch(&mut self, ws: &Workspace, to: Switch) {
        let current = self.editor.as_ref().and_then(Editor::id);
        if matches!(to, Switch::Pick(id) if current == Some(id)) {
            return;
        }
        if self.editor.as_ref().is_some_and(Editor::is_dirty) {
            self.leave = Some(Leave { then: to });
        } else {
            self.go(ws, to);
        }
    }

    /// Shows `lead` in the form (the palette's pick), asking first when the form has unsaved
    /// edits.
    pub fn select(&mut self, ws: &Workspace, lead: Id) {
        self.started = true;
        self.switch(ws, Switch::Pick(lead));
    }

    /// Goes to `to` now, dropping what the form holds.
    fn go(&mut self, ws: &Workspace, to: Switch) {
        self.editor = match to {
            Switch::Pick(id) => ws.lead(id).cloned().map(Editor::edit),
            Switch::New => Some(Editor::new()),
            Switch::Close => None,
        };
    }

    /// The unsaved-edits question, while asked, and what the user answers.
    fn leave_ui(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        let (Some(leave), Some(editor)) = (&self.leave, &self.editor) else {
            return;
        };
        let Some(choice) = leave.ui(ctx, &editor.record_name()) else {
            return;
        };
        let then = leave.then;
        self.leave = None;
        match choice {
            Choice::Keep => {}
            Choice::Discard => self.go(ws, then),
            Choice::Save => self.save(ws, Some(then), actions),
        }
    }

    /// Brings the form in line with the stored data after a change: a lead saved, converted,
    /// undone or deleted; a new lead selected once it exists.
    fn sync(&mut self, ws: &Workspace) {
        if self.synced == ws.generation() {
            return;
        }
        self.synced = ws.generation();
        let Some(editor) = &mut self.editor else {
            return;
        };
        let Some(original) = &editor.original else {
            return;
        };
        match ws.lead(original.id) {
            None => self.editor = None,
            Some(stored) if stored != original => {
                // No edits, or edits that are what is stored now (just saved): show the stored
                // lead. Otherwise keep the user's edits.
                if same_fields(&editor.draft, original) || same_fields(&editor.draft, stored) {
                    editor.draft = stored.clone();
                    editor.errors.clear();
                }
                if stored.converted != original.converted {
                    editor.convert = ConvertDraft::default();
                }
                editor.original = Some(stored.clone());
            }
            Some(_) => {}
        }
    }

    fn refresh(&mut self, ws: &Workspace) {
        let fresh = self.rows.as_ref().is_some_and(|r| {
            r.generation == ws.generation() && r.show == self.show && r.search == self.search
        });
        if fresh {
            return;
        }
        let needle = self.search.trim().to_lowercase();
        let matches = |l: &Lead| {
            needle.is_empty()
                || [&l.name, &l.company, &l.contact_name, &l.email]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&needle))
        };
        // Newest first: the leads are kept in id order, and ids only grow.
        let ids = ws
            .leads()
            .filter(|l| self.show.admits(l) && matches(l))
            .map(|l| l.id)
            .rev()
            .collect();
        self.rows = Some(Rows {
            generation: ws.generation(),
            show: self.show,
            search: self.search.clone(),
            ids,
        });
    }

    /// The filters, the search and the list; where the user asked to go.
    fn list_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Switch> {
        let mut switch = None;
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.text(RichText::new(tr!("Leads")).heading());
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                if ui.button_text(tr!("New lead")).clicked() {
                    switch = Some(Switch::New);
                }
            });
        });
        ui.horizontal(|ui| {
            for show in [Show::Open, Show::Converted, Show::All] {
                ui.selectable_value_text(&mut self.show, show, show.label());
            }
        });
        ui.add(
            TextEdit::singleline(&mut self.search)
                .hint_text(ui.rtl(tr!("Search leads")))
                .desired_width(f32::INFINITY),
        )
        .on_hover_text(ui.rtl(tr!("Name, company, contact or email")));
        // The rows follow the filter typed this frame.
        self.refresh(ws);
        let Some(rows) = &self.rows else {
            return switch;
        };
        ui.text(
            RichText::new(trn!(rows.ids.len(), "{n} shown"))
                .small()
                .color(theme::colors(ui).text_muted),
        );
        if rows.ids.is_empty() {
            ui.add_space(12.0);
            ui.text(RichText::new(tr!("No leads here.")).color(theme::colors(ui).text_muted));
            return switch;
        }
        let selected = self.editor.as_ref().and_then(Editor::id);
        let mut clicked = None;
        ScrollArea::vertical()
            .id_salt("leads_rows")
            .auto_shrink(false)
            .show_rows(ui, row_height(ui), rows.ids.len(), |ui, range| {
                for id in &rows.ids[range] {
                    if let Some(lead) = ws.lead(*id)
                        && lead_row_ui(ui, ws, lead, selected == Some(*id))
                    {
                        clicked = Some(lead.id);
                    }
                }
            });
        switch.or(clicked.map(Switch::Pick))
    }
}

/// One lead in the list, painted: name and a Converted tag, company and contact, source and
/// salesperson. Returns whether it was clicked.
fn lead_row_ui(ui: &mut egui::Ui, ws: &Workspace, lead: &Lead, selected: bool) -> bool {
    let size = vec2(ui.available_width(), row_height(ui));
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &lead.name));
    if !ui.is_rect_visible(rect) {
        return response.clicked();
    }
    let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
    let card = rect.shrink2(vec2(2.0, 2.0));
    paint_card_frame(&painter, card, selected, response.hovered());
    let inner = card.shrink2(vec2(10.0, 5.0));
    // Lines start where reading starts: at the right in Persian, the tag at the other end.
    let rtl = crate::i18n::right_to_left();
    let mut name_width = inner.width();
    if lead.converted.is_some() {
        let tag = tr!("Converted");
        let galley = painter.layout_no_wrap(tag, FontId::proportional(11.0), theme::colors(ui).won);
        let tag_size = galley.size() + vec2(12.0, 4.0);
        let tag_x = if rtl {
            inner.left()
        } else {
            inner.right() - tag_size.x
        };
        let tag_rect = egui::Rect::from_min_size(egui::pos2(tag_x, inner.top()), tag_size);
        painter.rect_filled(tag_rect, 8.0, theme::colors(ui).won.gamma_multiply(0.12));
        painter.galley(tag_rect.min + vec2(6.0, 2.0), galley, theme::colors(ui).won);
        name_width -= tag_rect.width() + 8.0;
    }
    let line = |y: f32, text: &str, size: f32, color, max: f32| {
        let x = if rtl { inner.right() } else { inner.left() };
        let font = FontId::proportional(size);
        text_line(&painter, egui::pos2(x, y), rtl, text, font, color, max).bottom()
    };
    let joined = |parts: [&str; 2]| {
        parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let bottom = line(
        inner.top(),
        &lead.name,
        LINE_SIZES[0],
        theme::colors(ui).text_strong,
        name_width,
    );
    let who = joined([&lead.company, &lead.contact_name]);
    let bottom = line(
        bottom + 2.0,
        &who,
        LINE_SIZES[1],
        theme::colors(ui).text_muted,
        inner.width(),
    );
    let source = ws.lookup_name(lead.source);
    let salesperson = ws.lookup_name(lead.salesperson);
    let origin = match (source, salesperson) {
        ("", "") => String::new(),
        (s, "") => tr!("Source: {source}", source = s),
        ("", p) => p.to_owned(),
        (s, p) => tr!("{salesperson} · from {source}", salesperson = p, source = s),
    };
    line(
        bottom + 2.0,
        &origin,
        LINE_SIZES[2],
        theme::colors(ui).text_muted,
        inner.width(),
    );
    response.clicked()
}

fn empty_form_ui(ui: &mut egui::Ui) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.text(
            RichText::new(tr!("Select a lead, or create one with “New lead”."))
                .color(theme::colors(ui).text_muted),
        );
    });
}

/// Whether two versions of a lead have the same fields, conversion aside.
fn same_fields(a: &Lead, b: &Lead) -> bool {
    (
        a.id,
        &a.name,
        &a.company,
        &a.contact_name,
        &a.email,
        &a.phone,
        a.source,
        &a.notes,
        a.salesperson,
    ) == (
        b.id,
        &b.name,
        &b.company,
        &b.contact_name,
        &b.email,
        &b.phone,
        b.source,
        &b.notes,
        b.salesperson,
    )
}

/// What the form asks for.
enum Outcome {
    None,
    Close,
    /// Save (its button or Enter in a one-line field).
    Save,
    Act(Action),
}

/// The form on one lead, stored or new.
struct Editor {
    /// The lead as stored; None while creating.
    original: Option<Lead>,
    draft: Lead,
    errors: Vec<FieldError>,
    /// Why the last save was refused, when no field is at fault.
    refused: Option<String>,
    confirm_delete: bool,
    convert: ConvertDraft,
}

impl Editor {
    fn new() -> Self {
        Editor {
            original: None,
            draft: Lead::default(),
            errors: Vec::new(),
            refused: None,
            confirm_delete: false,
            convert: ConvertDraft::default(),
        }
    }

    fn edit(lead: Lead) -> Self {
        Editor {
            original: Some(lead.clone()),
            draft: lead,
            ..Editor::new()
        }
    }

    /// The stored lead's id; None for a new one.
    fn id(&self) -> Option<Id> {
        self.original.as_ref().map(|l| l.id)
    }

    fn error(&self, field: Field) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, history: &[HistoryEntry]) -> Outcome {
        let mut outcome = Outcome::None;
        ui.add_space(6.0);
        let title = match &self.original {
            Some(lead) => lead.name.clone(),
            None => tr!("New lead"),
        };
        let dirty = self.is_dirty();
        ui.horizontal(|ui| {
            ui.text(RichText::new(title).heading());
            unsaved::marker(ui, dirty);
        });
        ScrollArea::vertical()
            .id_salt("lead_form")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                if let Some(refused) = &self.refused {
                    ui.text(
                        RichText::new(tr!("Not saved:\n{errors}", errors = refused))
                            .color(theme::colors(ui).error),
                    );
                }
                if self.fields_ui(ui, ws) && dirty {
                    outcome = Outcome::Save;
                }
                ui.add_space(8.0);
                if let Some(o) = self.buttons_ui(ui) {
                    outcome = o;
                }
                if let Some(original) = &self.original {
                    ui.add_space(10.0);
                    let dirty = self.is_dirty();
                    let action = egui::Frame::new()
                        .fill(theme::colors(ui).column_fill)
                        .corner_radius(theme::CARD_RADIUS)
                        .inner_margin(egui::Margin::same(10))
                        .show(ui, |ui| {
                            ui.set_width(ui.available_width());
                            match &original.converted {
                                Some(conversion) => converted_ui(ui, ws, conversion),
                                None => self.convert.ui(ui, ws, original, &self.draft, dirty),
                            }
                        })
                        .inner;
                    if let Some(action) = action {
                        outcome = Outcome::Act(action);
                    }
                    ui.add_space(10.0);
                    history_ui(ui, history);
                }
            });
        outcome
    }

    /// One label–field row, in reading order, with the field's error under its widget.
    fn row<R>(
        &self,
        ui: &mut egui::Ui,
        field: Field,
        add: impl FnOnce(&mut egui::Ui, egui::Id) -> R,
    ) -> R {
        field_row(ui, LABEL_WIDTH, field, self.error(field), add)
    }

    /// The lead's fields; true when Enter was pressed in a one-line one.
    fn fields_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> bool {
        let mut draft = std::mem::take(&mut self.draft);
        let mut entered = false;
        for (field, text) in [
            (Field::Name, &mut draft.name),
            (Field::Company, &mut draft.company),
            (Field::ContactName, &mut draft.contact_name),
            (Field::Email, &mut draft.email),
            (Field::Phone, &mut draft.phone),
        ] {
            entered |= self.row(ui, field, |ui, label| {
                let response = ui
                    .add(TextEdit::singleline(text).desired_width(f32::INFINITY))
                    .labelled_by(label);
                unsaved::submitted(ui, &response)
            });
        }
        let none = tr!("None");
        for (field, kind, value) in [
            (Field::Source, LookupKind::Source, &mut draft.source),
            (
                Field::Salesperson,
                LookupKind::Salesperson,
                &mut draft.salesperson,
            ),
        ] {
            self.row(ui, field, |ui, label| {
                lookup_combo(ui, label, ws, kind, value, &none);
            });
        }
        self.row(ui, Field::Notes, |ui, label| {
            ui.add(
                TextEdit::multiline(&mut draft.notes)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        });
        self.draft = draft;
        entered
    }

    /// Save, Revert or Cancel, and Delete with its confirmation.
    fn buttons_ui(&mut self, ui: &mut egui::Ui) -> Option<Outcome> {
        let mut outcome = None;
        let dirty = self.is_dirty();
        ui.horizontal(|ui| {
            let save = ui.add_enabled(
                dirty,
                egui::Button::new(ui.rtl(RichText::new(tr!("Save")).strong())),
            );
            if save.clicked() {
                outcome = Some(Outcome::Save);
            }
            match &self.original {
                None => {
                    if ui.button_text(tr!("Cancel")).clicked() {
                        outcome = Some(Outcome::Close);
                    }
                }
                Some(original) => {
                    let revert = ui
                        .add_enabled(dirty, egui::Button::new(ui.rtl(tr!("Revert"))))
                        .on_hover_text(ui.rtl(tr!("Forget the changes not saved")));
                    if revert.clicked() {
                        self.draft = original.clone();
                        self.errors.clear();
                        self.refused = None;
                    }
                    if !self.confirm_delete
                        && ui
                            .button_text(
                                RichText::new(tr!("Delete lead…")).color(theme::colors(ui).error),
                            )
                            .clicked()
                    {
                        self.confirm_delete = true;
                    }
                }
            }
        });
        if let (true, Some(original)) = (self.confirm_delete, &self.original) {
            ui.horizontal_wrapped(|ui| {
                ui.text(
                    RichText::new(tr!("Delete the lead “{name}”?", name = original.name))
                        .color(theme::colors(ui).error),
                );
                if ui.button_text(tr!("Delete")).clicked() {
                    self.confirm_delete = false;
                    outcome = Some(Outcome::Act(Action::Apply(Command::Change(Box::new(
                        Change {
                            remove: vec![(EntityKind::Lead, original.id)],
                            ..Change::default()
                        },
                    )))));
                }
                if ui.button_text(tr!("Keep it")).clicked() {
                    self.confirm_delete = false;
                }
            });
        }
        outcome
    }

    /// Checks the draft: the command storing it, or None with errors under their fields.
    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        let id = self.id();
        let converted = id
            .and_then(|id| ws.lead(id))
            .and_then(|l| l.converted.clone());
        let mut record = Record::Lead(Lead {
            id: id.unwrap_or(0),
            converted,
            ..self.draft.clone()
        });
        if let Err(errors) = record.normalize_and_validate() {
            self.errors = errors;
            return None;
        }
        self.errors.clear();
        self.refused = None;
        if let Record::Lead(lead) = &record {
            // What will be stored, so the form reads as saved once it is.
            self.draft = lead.clone();
        }
        Some(Command::Change(Box::new(Change::put(record))))
    }
}

impl unsaved::Draft for Editor {
    fn is_dirty(&self) -> bool {
        match &self.original {
            Some(original) => !same_fields(&self.draft, original),
            None => !same_fields(&self.draft, &Lead::default()),
        }
    }

    /// The form's name in the unsaved-edits question.
    fn record_name(&self) -> String {
        match &self.original {
            Some(lead) => lead.name.clone(),
            None => tr!("The new lead"),
        }
    }
}

/// "Converted on DATE into deal “NAME” (account “A”)" with buttons opening both.
fn converted_ui(ui: &mut egui::Ui, ws: &Workspace, conversion: &Conversion) -> Option<Action> {
    let mut action = None;
    let deal = ws.opportunity(conversion.opportunity);
    let account = ws.account(conversion.account);
    ui.text(
        RichText::new(tr!("Converted"))
            .strong()
            .color(theme::colors(ui).won),
    );
    ui.text(tr!(
        "Converted on {date} into deal “{deal}” (account “{account}”)",
        date = format_date(conversion.at.date_naive()),
        deal = deal.map_or_else(|| tr!("deleted"), |d| d.name.clone()),
        account = account.map_or_else(|| tr!("deleted"), |a| a.name.clone()),
    ));
    if let Some(contact) = conversion.contact.and_then(|c| ws.contact(c)) {
        ui.text(
            RichText::new(tr!("Contact: {name}", name = contact.name))
                .color(theme::colors(ui).text_muted),
        );
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(deal.is_some(), egui::Button::new(ui.rtl(tr!("Open deal"))))
            .clicked()
        {
            action = Some(Action::Open(conversion.opportunity));
        }
        if ui
            .add_enabled(
                account.is_some(),
                egui::Button::new(ui.rtl(tr!("Open account"))),
            )
            .clicked()
        {
            action = Some(Action::OpenAccount(conversion.account));
        }
    });
    action
}

/// What an account name matches, worked out once per text and data change (a scan of every
/// account each frame would cost at 100k accounts).
#[derive(Default)]
struct NameMatch {
    key: Option<(String, u64)>,
    existing: Option<(Id, String)>,
}

impl NameMatch {
    fn get(&mut self, ws: &Workspace, text: &str) -> Option<&(Id, String)> {
        let key = (text.to_owned(), ws.generation());
        if self.key.as_ref() != Some(&key) {
            self.existing = ws
                .account_by_name(text)
                .filter(|_| !text.trim().is_empty())
                .map(|a| (a.id, a.name.clone()));
            self.key = Some(key);
        }
        self.existing.as_ref()
    }
}

/// The existing accounts the picker offers: those containing its search text, by name.
#[derive(Default)]
struct Choices {
    key: Option<(String, u64)>,
    accounts: Vec<(Id, String)>,
}

impl Choices {
    fn get(&mut self, ws: &Workspace, text: &str) -> &[(Id, String)] {
        let key = (text.to_owned(), ws.generation());
        if self.key.as_ref() != Some(&key) {
            self.accounts = first_accounts_containing(ws, text, ACCOUNT_CHOICES);
            self.key = Some(key);
        }
        &self.accounts
    }
}

/// Up to `limit` accounts whose name contains `text` (ignoring case), by name. Picks the first
/// ones without sorting every match, which would cost at 100k accounts.
fn first_accounts_containing(ws: &Workspace, text: &str, limit: usize) -> Vec<(Id, String)> {
    let wanted = text.trim().to_lowercase();
    let mut found: Vec<(String, Id, &str)> = ws
        .accounts()
        .filter_map(|a| {
            let lower = a.name.to_lowercase();
            lower
                .contains(&wanted)
                .then_some((lower, a.id, a.name.as_str()))
        })
        .collect();
    // Natural order, as the Accounts list: "Co. 9" before "Co. 10".
    let order = |a: &(String, Id, &str), b: &(String, Id, &str)| {
        alphanumeric_sort::compare_str(&a.0, &b.0).then(a.1.cmp(&b.1))
    };
    if found.len() > limit {
        found.select_nth_unstable_by(limit, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
    found
        .into_iter()
        .map(|(_, id, name)| (id, name.to_owned()))
        .collect()
}

/// The conversion's choices: the account (typed, matched or picked) and the stage.
#[derive(Default)]
struct ConvertDraft {
    account_text: String,
    /// Whether the user typed the account name (else it follows the company).
    edited: bool,
    /// An existing account picked from the list.
    picked: Option<(Id, String)>,
    stage: Option<Id>,
    matched: NameMatch,
    /// The text the account picker's list is narrowed by.
    find: String,
    /// Whether the account picker was open last frame.
    picker_open: bool,
    choices: Choices,
}

impl ConvertDraft {
    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        lead: &Lead,
        draft: &Lead,
        dirty: bool,
    ) -> Option<Action> {
        if !self.edited {
            let from = if draft.company.trim().is_empty() {
                &draft.name
            } else {
                &draft.company
            };
            from.trim().clone_into(&mut self.account_text);
        }
        ui.text(RichText::new(tr!("Convert to opportunity")).strong());
        let explained = tr!(
            "Creates a deal from the lead, a contact for its contact name, and the account if new."
        );
        ui.text(
            RichText::new(explained)
                .small()
                .color(theme::colors(ui).text_muted),
        );
        ui.add_space(4.0);
        let pipeline = ws.default_pipeline();
        let stages: Vec<&Stage> = ws
            .stages_of(pipeline.id)
            .filter(|s| s.kind == StageKind::Open)
            .collect();
        if self.stage.is_none_or(|s| !stages.iter().any(|x| x.id == s)) {
            self.stage = stages.first().map(|s| s.id);
        }
        field_row(ui, LABEL_WIDTH, Field::Account, None, |ui, label| {
            self.account_ui(ui, ws, label);
        });
        field_row(ui, LABEL_WIDTH, Field::Pipeline, None, |ui, _| {
            ui.text(&pipeline.name);
        });
        field_row(ui, LABEL_WIDTH, Field::Stage, None, |ui, label| {
            let current = self
                .stage
                .and_then(|s| ws.stage(s))
                .map_or(String::new(), |s| s.name.clone());
            egui::ComboBox::from_id_salt("convert_stage")
                .selected_text(ui.rtl(current))
                .show_ui(ui, |ui| {
                    for s in &stages {
                        ui.selectable_value_text(&mut self.stage, Some(s.id), &s.name);
                    }
                })
                .response
                .labelled_by(label);
        });
        ui.add_space(6.0);
        let named = self.picked.is_some() || !self.account_text.trim().is_empty();
        let ready = named && self.stage.is_some() && !dirty;
        let button = ui
            .add_enabled(
                ready,
                egui::Button::new(ui.rtl(RichText::new(tr!("Convert to opportunity")).strong())),
            )
            .on_disabled_hover_text(ui.rtl(if dirty {
                tr!("Save the lead's changes first.")
            } else {
                tr!("Name the account and choose a stage.")
            }));
        if dirty {
            ui.text(
                RichText::new(tr!("Save the lead's changes first."))
                    .small()
                    .color(theme::colors(ui).text_muted),
            );
        }
        if button.clicked()
            && let Some(stage) = self.stage
        {
            let (account, account_name) = match &self.picked {
                Some((id, name)) => (Some(*id), name.clone()),
                None => (None, self.account_text.trim().to_owned()),
            };
            return Some(Action::Apply(Command::ConvertLead(Box::new(ConvertLead {
                lead: lead.id,
                account,
                account_name,
                stage,
            }))));
        }
        None
    }

    /// The account name, what it will do, and a picker of existing accounts like it.
    fn account_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, label: egui::Id) {
        let mut picked = None;
        ui.horizontal(|ui| {
            let edit = ui
                .add(
                    TextEdit::singleline(&mut self.account_text)
                        .hint_text(ui.rtl(tr!("Account name")))
                        .desired_width(ui.available_width() - 150.0),
                )
                .labelled_by(label);
            if edit.changed() {
                self.edited = true;
            }
            let picker = egui::ComboBox::from_id_salt("convert_account_pick")
                .selected_text(ui.rtl(tr!("Existing accounts")))
                .width(140.0)
                .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
                .show_ui(ui, |ui| {
                    ui.set_min_width(260.0);
                    let find = ui
                        .add(
                            TextEdit::singleline(&mut self.find)
                                .hint_text(ui.rtl(tr!("Find an account")))
                                .desired_width(f32::INFINITY),
                        )
                        .accessible_name(tr!("Find an account"));
                    if !self.picker_open {
                        // Just opened: typing narrows the list.
                        find.request_focus();
                        self.picker_open = true;
                    }
                    let choices = self.choices.get(ws, self.find.trim());
                    if choices.is_empty() {
                        ui.text(
                            RichText::new(tr!("No account matches"))
                                .color(theme::colors(ui).text_muted),
                        );
                    }
                    for (id, name) in choices {
                        if ui.selectable_label_text(false, name).clicked() {
                            picked = Some((*id, name.clone()));
                            ui.close();
                        }
                    }
                    if choices.len() == ACCOUNT_CHOICES {
                        ui.text(
                            RichText::new(tr!("Type more of the name to see others."))
                                .small()
                                .color(theme::colors(ui).text_muted),
                        );
                    }
                });
            if picker.inner.is_none() {
                self.picker_open = false;
            }
            picker
                .response
                .accessible_name(tr!("Existing accounts"))
                .on_hover_text(ui.rtl(tr!("Pick an existing account")));
        });
        if let Some((id, name)) = picked {
            self.account_text = name.clone();
            self.edited = true;
            self.picked = Some((id, name));
        }
        // A picked account holds while its name is the text.
        if self
            .picked
            .as_ref()
            .is_some_and(|(_, name)| *name != self.account_text)
        {
            self.picked = None;
        }
        let text = self.account_text.trim();
        let (message, color) = if let Some((_, name)) = &self.picked {
            (
                tr!("Uses the existing account “{name}”", name = name),
                theme::colors(ui).won,
            )
        } else if let Some((_, name)) = self.matched.get(ws, text) {
            (
                tr!("Matches existing account “{name}”", name = name),
                theme::colors(ui).won,
            )
        } else if text.is_empty() {
            (tr!("Name the account."), theme::colors(ui).error)
        } else {
            (
                tr!("Creates the account “{name}”", name = text),
                theme::colors(ui).text_muted,
            )
        };
        ui.text(RichText::new(message).small().color(color));
    }
}

impl Editing for LeadsView {
    fn unsaved(&self) -> Option<String> {
        unsaved::unsaved_of(self.editor.as_ref())
    }

    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        self.editor.as_mut()?.save(ws)
    }

    fn discard(&mut self, ws: &Workspace) {
        self.leave = None;
        // The form shows the lead as stored (a new one closes).
        let stored = self.editor.as_ref().and_then(Editor::id);
        self.editor = stored.and_then(|id| ws.lead(id)).cloned().map(Editor::edit);
    }
}
