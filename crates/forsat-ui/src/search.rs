//! The advanced search (ranges, lookups, status, forecast) and the saved searches, shared by
//! the board and the list.

use crate::ui_ext::UiExt;
use egui::RichText;

use super::app::{Action, Ctx};
use super::direction;
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved;
use super::widgets::{filter_label, forecast_combo, lookup_combo, stages_filter_ui};
use crate::command::Command;
use crate::domain::{
    Field, FieldError, Filter, ForecastFilter, Id, LookupKind, SavedFilter, Status, clean_name,
    parse_amount, parse_date, parse_probability,
};
use crate::i18n::{editable, format_date, format_number};
use crate::tr;
use crate::workspace::Workspace;

/// A bound of a range in the advanced search, typed as text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    AmountMin,
    AmountMax,
    ProbabilityMin,
    ProbabilityMax,
    CloseFrom,
    CloseTo,
    CreatedFrom,
    CreatedTo,
}

impl Bound {
    const ALL: [Bound; 8] = [
        Bound::AmountMin,
        Bound::AmountMax,
        Bound::ProbabilityMin,
        Bound::ProbabilityMax,
        Bound::CloseFrom,
        Bound::CloseTo,
        Bound::CreatedFrom,
        Bound::CreatedTo,
    ];

    fn label(self) -> String {
        match self {
            Bound::AmountMin => tr!("Amount from"),
            Bound::AmountMax => tr!("Amount to"),
            Bound::ProbabilityMin => tr!("Probability from"),
            Bound::ProbabilityMax => tr!("Probability to"),
            Bound::CloseFrom => tr!("Closing from"),
            Bound::CloseTo => tr!("Closing to"),
            Bound::CreatedFrom => tr!("Created from"),
            Bound::CreatedTo => tr!("Created to"),
        }
    }

    /// The bound as the filter holds it, as text.
    fn text(self, f: &Filter) -> String {
        let money = |v: Option<rust_decimal::Decimal>| {
            v.map(|v| editable(format_number(v, v.normalize().scale().min(2))))
                .unwrap_or_default()
        };
        let date =
            |d: Option<chrono::NaiveDate>| d.map(|d| editable(format_date(d))).unwrap_or_default();
        match self {
            Bound::AmountMin => money(f.amount_min),
            Bound::AmountMax => money(f.amount_max),
            Bound::ProbabilityMin => money(f.probability_min),
            Bound::ProbabilityMax => money(f.probability_max),
            Bound::CloseFrom => date(f.close_from),
            Bound::CloseTo => date(f.close_to),
            Bound::CreatedFrom => date(f.created_from),
            Bound::CreatedTo => date(f.created_to),
        }
    }

    /// Parses `text` into the filter; empty clears the bound.
    fn set(self, f: &mut Filter, text: &str) -> Result<(), FieldError> {
        let amount = |t: &str| match t.trim() {
            "" => Ok(None),
            t => parse_amount(Field::Amount, t).map(Some),
        };
        let probability = |t: &str| match t.trim() {
            "" => Ok(None),
            t => parse_probability(t).map(Some),
        };
        match self {
            Bound::AmountMin => f.amount_min = amount(text)?,
            Bound::AmountMax => f.amount_max = amount(text)?,
            Bound::ProbabilityMin => f.probability_min = probability(text)?,
            Bound::ProbabilityMax => f.probability_max = probability(text)?,
            Bound::CloseFrom => f.close_from = parse_date(Field::ExpectedClose, text)?,
            Bound::CloseTo => f.close_to = parse_date(Field::ExpectedClose, text)?,
            Bound::CreatedFrom => f.created_from = parse_date(Field::Closed, text)?,
            Bound::CreatedTo => f.created_to = parse_date(Field::Closed, text)?,
        }
        Ok(())
    }
}

/// The advanced search's state: whether it is open, the typed bounds, the saved searches'
/// naming dialog and the command it sent.
#[derive(Default)]
pub struct Search {
    open: bool,
    texts: [String; 8],
    /// The filter as this panel last left it: a difference means it changed elsewhere
    /// (cleared, or a saved search picked), and the typed bounds are reloaded from it.
    last: Filter,
    errors: Vec<String>,
    naming: Option<Naming>,
    sent: Option<Sent<Done>>,
}

/// The dialog naming a saved search: a modal, so a click or Tab in its field keeps it open.
struct Naming {
    /// The saved search renamed; None saves the current search under a new name.
    renaming: Option<Id>,
    name: String,
    error: Option<String>,
    /// Another saved search of the typed name, which the user is asked to replace.
    replacing: Option<Id>,
    /// Set until the name field has taken the keyboard focus.
    focus: bool,
}

/// What a command about the saved searches did, for the status bar once it is applied.
enum Done {
    Saved(String),
    Renamed(String),
    Deleted(String),
}

impl Done {
    fn message(&self) -> String {
        match self {
            Done::Saved(name) => tr!("Saved the search “{name}”.", name = name),
            Done::Renamed(name) => tr!("Renamed the saved search to “{name}”.", name = name),
            Done::Deleted(name) => tr!(
                "Deleted the saved search “{name}” (Undo brings it back).",
                name = name
            ),
        }
    }
}

impl Search {
    /// The "More filters" toggle and the "Saved searches" menu, for the top bar. A saved
    /// search picked is a new filter.
    pub fn buttons_ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let (ws, filter) = (cx.ws, cx.filter);
        let mut actions = Vec::new();
        if let Some((done, reply)) = cx.replies.take(&mut self.sent) {
            match reply {
                Reply::Applied { .. } => {
                    self.naming = None;
                    actions.push(Action::Done(done.message()));
                }
                Reply::Refused { message, .. } => match &mut self.naming {
                    Some(naming) => naming.error = Some(message),
                    None => actions.push(Action::Error(message)),
                },
            }
        }
        if ui
            .toggle_value(&mut self.open, tr!("More filters"))
            .clicked()
            && self.open
        {
            self.load(filter);
        }
        ui.menu_button_text(tr!("Saved searches"), |ui| {
            direction::reading(ui, |ui| self.saved_menu_ui(ui, cx, &mut actions));
        });
        if let Some(naming) = &mut self.naming {
            match naming.ui(ui.ctx(), ws, filter) {
                Named::Open => {}
                Named::Cancel => self.naming = None,
                Named::Send(done, command) => {
                    actions.push(reply::send(&mut self.sent, done, command));
                }
            }
        }
        actions
    }

    /// The saved searches, each picked by a click (or arrows and Enter), renamed or deleted;
    /// then "Save search…".
    fn saved_menu_ui(&mut self, ui: &mut egui::Ui, cx: &Ctx, actions: &mut Vec<Action>) {
        let saved = cx.ws.saved_filters();
        if saved.is_empty() {
            ui.text(
                RichText::new(tr!("No saved searches yet")).color(theme::colors(ui).text_muted),
            );
        }
        for s in saved {
            ui.horizontal(|ui| {
                let pick = ui
                    .button_text(&s.name)
                    .on_hover_text(ui.rtl(tr!("Show the deals of this search")));
                // Closed by hand: a click by keyboard (Enter) does not close a menu.
                // The panel loads its typed bounds once the app has applied the filter.
                if pick.clicked() {
                    actions.push(Action::SetFilter(s.filter.clone()));
                    ui.close();
                }
                let rename = ui
                    .small_button_text(tr!("Rename…"))
                    .accessible_name(tr!("Rename the saved search {name}", name = s.name));
                if rename.clicked() {
                    self.naming = Some(Naming::new(Some(s.id), s.name.clone()));
                    ui.close();
                }
                let forget = ui
                    .small_button_text(tr!("Delete"))
                    .accessible_name(tr!("Delete the saved search {name}", name = s.name));
                if forget.clicked() {
                    let done = Done::Deleted(s.name.clone());
                    let command = Command::DeleteSavedFilter { id: s.id };
                    actions.push(reply::send(&mut self.sent, done, command));
                    ui.close();
                }
            });
        }
        ui.separator();
        let save = ui
            .add_enabled(
                !cx.filter.is_empty(),
                egui::Button::new(ui.rtl(tr!("Save search…"))),
            )
            .on_disabled_hover_text(ui.rtl(tr!("Search or filter first, then save it")));
        if save.clicked() {
            self.naming = Some(Naming::new(None, String::new()));
            ui.close();
        }
    }

    /// Whether the advanced panel is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Refreshes the typed bounds from `filter` (after a saved search was picked).
    fn load(&mut self, filter: &Filter) {
        self.texts = Bound::ALL.map(|b| b.text(filter));
        self.last = filter.clone();
        self.errors.clear();
    }

    /// The advanced panel: lookups, ranges, status and forecast.
    pub fn panel_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, filter: &mut Filter) {
        if *filter != self.last {
            self.load(filter);
        }
        ui.horizontal_wrapped(|ui| {
            let none = tr!("Any");
            stages_filter_ui(ui, ws, &mut filter.stages);
            for (field, kind) in [
                (Field::Source, LookupKind::Source),
                (Field::Campaign, LookupKind::Campaign),
            ] {
                let label = ui.text(field.label());
                let value = if kind == LookupKind::Source {
                    &mut filter.source
                } else {
                    &mut filter.campaign
                };
                lookup_combo(ui, label.id, ws, kind, value, &none);
            }
            let label = ui.text(tr!("Status"));
            egui::ComboBox::from_id_salt("search_status")
                .selected_text(ui.rtl(filter.status.label()))
                .show_ui(ui, |ui| {
                    for s in Status::ALL {
                        ui.selectable_value_text(&mut filter.status, s, s.label());
                    }
                })
                .response
                .labelled_by(label.id);
            forecast_combo(
                ui,
                &mut filter.forecast,
                &none,
                (&ForecastFilter::ALL, filter_label),
            );
        });
        ui.horizontal_wrapped(|ui| {
            let mut errors = Vec::new();
            let names = [
                tr!("Amount"),
                tr!("Probability"),
                tr!("Closing"),
                tr!("Created"),
            ];
            for (i, (bound, text)) in Bound::ALL.into_iter().zip(&mut self.texts).enumerate() {
                // Bounds come in pairs: "Amount [from] – [to]".
                if i % 2 == 0 {
                    ui.text(&names[i / 2]);
                } else {
                    ui.text("–");
                }
                ui.add(egui::TextEdit::singleline(text).desired_width(85.0))
                    .accessible_name(bound.label());
                // The filter keeps its bound while the text does not parse.
                if let Err(e) = bound.set(filter, text) {
                    errors.push(format!("{}: {}", bound.label(), e.reason()));
                }
                if i % 2 == 1 {
                    ui.add_space(12.0);
                }
            }
            self.errors = errors;
        });
        for error in &self.errors {
            ui.text(RichText::new(error).color(theme::colors(ui).error));
        }
        self.last = filter.clone();
    }
}

/// What the naming dialog did this frame.
enum Named {
    Open,
    Cancel,
    Send(Done, Command),
}

impl Naming {
    fn new(renaming: Option<Id>, name: String) -> Self {
        Naming {
            renaming,
            name,
            error: None,
            replacing: None,
            focus: true,
        }
    }

    /// The modal: the name (Enter saves, Escape cancels), and the question when another saved
    /// search has that name.
    fn ui(&mut self, ctx: &egui::Context, ws: &Workspace, filter: &Filter) -> Named {
        let mut named = Named::Open;
        let renamed = self
            .renaming
            .and_then(|id| ws.saved_filters().iter().find(|s| s.id == id));
        let modal = egui::Modal::new(egui::Id::unique("saved_search_name")).show(ctx, |ui| {
            ui.set_width(360.0);
            direction::reading(ui, |ui| {
                let title = match renamed {
                    Some(s) => tr!("Rename the saved search “{name}”", name = s.name),
                    None => tr!("Save the current search"),
                };
                ui.text(RichText::new(title).heading());
                ui.add_space(6.0);
                let label = ui.text(tr!("Name"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.name).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
                if field.changed() {
                    self.replacing = None;
                    self.error = None;
                }
                let enter = unsaved::submitted(ui, &field);
                if let Some(error) = &self.error {
                    ui.text(RichText::new(error).color(theme::colors(ui).error));
                }
                ui.add_space(8.0);
                let other = self
                    .replacing
                    .and_then(|id| ws.saved_filters().iter().find(|s| s.id == id));
                if let Some(other) = other {
                    ui.text(tr!(
                        "A saved search called “{name}” already exists. Replace it?",
                        name = other.name
                    ));
                    ui.add_space(6.0);
                }
                ui.horizontal(|ui| {
                    let confirm = match other {
                        Some(_) => tr!("Replace"),
                        None => tr!("Save"),
                    };
                    let confirmed = ui.button_text(RichText::new(confirm).strong()).clicked();
                    if ui.button_text(tr!("Cancel")).clicked() {
                        named = Named::Cancel;
                    } else if confirmed || (enter && other.is_none()) {
                        named = self.submit(ws, filter);
                    }
                });
            })
        });
        if matches!(named, Named::Open) && super::dialogs::closes(&modal, true) {
            named = Named::Cancel;
        }
        named
    }

    /// The command naming the search, or a question or an error shown in the dialog.
    fn submit(&mut self, ws: &Workspace, filter: &Filter) -> Named {
        let name = match clean_name(Field::Name, &self.name) {
            Ok(name) => name,
            Err(error) => {
                self.error = Some(error.to_string());
                return Named::Open;
            }
        };
        let saved = ws.saved_filters();
        let unchanged = |id| saved.iter().any(|s| s.id == id && s.name == name);
        if self.renaming.is_some_and(unchanged) {
            return Named::Cancel;
        }
        let same = saved
            .iter()
            .find(|s| s.name.to_lowercase() == name.to_lowercase() && Some(s.id) != self.renaming)
            .map(|s| s.id);
        if same.is_some() && self.replacing != same {
            self.replacing = same;
            return Named::Open;
        }
        match self.renaming {
            // The workspace gives a name already saved the new filter.
            None => Named::Send(
                Done::Saved(name.clone()),
                Command::SaveFilter {
                    name,
                    filter: Box::new(filter.clone()),
                },
            ),
            // One step for undo: the search renamed, the one it replaces gone.
            Some(id) => {
                let filters = saved
                    .iter()
                    .filter(|s| Some(s.id) != same)
                    .map(|s| SavedFilter {
                        name: if s.id == id {
                            name.clone()
                        } else {
                            s.name.clone()
                        },
                        ..s.clone()
                    })
                    .collect();
                Named::Send(Done::Renamed(name), Command::SetSavedFilters { filters })
            }
        }
    }
}
