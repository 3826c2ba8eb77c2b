//! The command palette (Ctrl+K, Ctrl+P): one fuzzy search over the deals, accounts, contacts,
//! leads and every command, the command's shortcut at the end of its line. The matching is
//! forsat-app's [`Finder`], kept across openings; this is its window.

use std::sync::Arc;
use std::time::Duration;

use egui::{Key, Modifiers, RichText};

use super::keys::Verb;
use super::theme;
use crate::View;
use crate::direction;
use crate::domain::Id;
use crate::finder::{Finder, Found, Hit};
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// How many lines the palette shows.
const LINES: usize = 20;
/// The time a frame may spend feeding the index: a million deals fill it over a few dozen
/// frames while the window keeps drawing.
const FEED_BUDGET: Duration = Duration::from_millis(6);

/// What the user picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Verb(Verb),
    Pipeline(Id),
    Deal(Id),
    Account(Id),
    Lead(Id),
}

/// A command line of the palette: what it does and its name.
struct Command {
    pick: Pick,
    label: String,
}

/// The palette: closed, or open with what is typed and the line the keyboard is on.
#[derive(Default)]
pub struct Palette {
    /// Made on the first opening (it needs the window to ask for repaints) and kept.
    finder: Option<Finder>,
    open: bool,
    query: String,
    at: usize,
    commands: Vec<Command>,
    /// The field takes the keyboard when next drawn.
    focus: bool,
}

impl Palette {
    /// Opens the palette on an empty query, naming the commands in the current language.
    pub fn open(&mut self, ws: &Workspace) {
        self.open = true;
        self.query.clear();
        self.at = 0;
        self.focus = true;
        self.commands = commands(ws);
    }

    /// Whether the palette is open (the window's shortcuts wait meanwhile).
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Draws the open palette; what was picked, which closes it.
    pub fn ui(&mut self, ctx: &egui::Context, ws: &Workspace) -> Option<Pick> {
        if !self.open {
            return None;
        }
        let finder = self.finder.get_or_insert_with(|| {
            let ctx = ctx.clone();
            Finder::new(Arc::new(move || ctx.request_repaint()))
        });
        if self.focus {
            finder.set_commands(self.commands.iter().map(|c| c.label.clone()).collect());
        }
        finder.feed(ws, FEED_BUDGET);
        finder.set_query(&self.query);
        let hits = finder.results(ws, LINES);
        if finder.busy() {
            ctx.request_repaint();
        }
        self.at = self.at.min(hits.len().saturating_sub(1));
        let (up, down, enter) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::Enter),
            )
        });
        if up {
            self.at = self.at.saturating_sub(1);
        }
        if down && self.at + 1 < hits.len() {
            self.at += 1;
        }
        let mut picked = enter.then_some(self.at);
        let modal = egui::Modal::new(egui::Id::unique("command_palette")).show(ctx, |ui| {
            ui.set_width(560.0);
            direction::reading(ui, |ui| {
                let what = tr!("Search deals, accounts, contacts, leads and commands");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.query)
                            .desired_width(f32::INFINITY)
                            .hint_text(ui.rtl(what.as_str())),
                    )
                    .accessible_name(what);
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
                if field.changed() {
                    self.at = 0;
                }
                ui.add_space(4.0);
                if hits.is_empty() {
                    ui.text(RichText::new(tr!("No match.")).color(theme::colors(ui).text_muted));
                }
                for (i, hit) in hits.iter().enumerate() {
                    if self.line_ui(ui, ws, hit, i == self.at).clicked() {
                        picked = Some(i);
                    }
                }
            });
        });
        let pick = picked
            .and_then(|i| hits.get(i))
            .and_then(|hit| self.pick(ws, hit.found));
        if pick.is_some() || super::dialogs::closes(&modal, false) {
            self.open = false;
        }
        pick
    }

    /// What a line leads to, remembered as a recent pick.
    fn pick(&mut self, ws: &Workspace, found: Found) -> Option<Pick> {
        let pick = match found {
            Found::Deal(id) => Pick::Deal(id),
            Found::Account(id) => Pick::Account(id),
            Found::Contact(id) => Pick::Account(ws.contact(id)?.account),
            Found::Lead(id) => Pick::Lead(id),
            Found::Command(i) => self.commands.get(i)?.pick,
        };
        if let Some(finder) = &mut self.finder {
            finder.picked(found);
        }
        Some(pick)
    }

    /// One line: its kind, its name and what tells it apart, and a command's shortcut at the
    /// line's end. Returns the line's response (clicked: picked).
    fn line_ui(
        &self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        hit: &Hit,
        current: bool,
    ) -> egui::Response {
        let rtl = crate::i18n::right_to_left();
        let (kind, name, detail, shortcut) = match hit.found {
            Found::Command(i) => {
                let command = &self.commands[i];
                let shortcut = match command.pick {
                    Pick::Verb(verb) => verb.shortcut_text(rtl),
                    _ => None,
                };
                (tr!("Command"), command.label.as_str(), "", shortcut)
            }
            record => {
                let (name, detail) = crate::finder::describe(ws, record).unwrap_or_default();
                (kind_name(record), name, detail, None)
            }
        };
        let fill = if current {
            ui.visuals().selection.bg_fill
        } else {
            egui::Color32::TRANSPARENT
        };
        egui::Frame::new()
            .fill(fill)
            .inner_margin(egui::Margin::symmetric(6, 3))
            .corner_radius(4.0)
            .show(ui, |ui| {
                // One line high: a centred row in a ui without a height would take all of it.
                let line = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
                ui.allocate_ui_with_layout(
                    line,
                    direction::start_to_end(egui::Align::Center),
                    |ui| {
                        // The whole line is lit and clickable, not only its text.
                        ui.set_min_size(line);
                        ui.add_sized(
                            [72.0, ui.spacing().interact_size.y],
                            egui::Label::new(
                                ui.rtl(
                                    RichText::new(kind)
                                        .small()
                                        .color(theme::colors(ui).text_muted),
                                ),
                            ),
                        );
                        ui.text(RichText::new(name).strong());
                        if !detail.is_empty() {
                            ui.text(RichText::new(detail).color(theme::colors(ui).text_muted));
                        }
                        if let Some(shortcut) = shortcut {
                            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                                ui.text(
                                    RichText::new(shortcut)
                                        .monospace()
                                        .color(theme::colors(ui).text_muted),
                                );
                            });
                        }
                    },
                );
            })
            .response
            .interact(egui::Sense::click())
            .on_hover_cursor(egui::CursorIcon::PointingHand)
    }
}

/// A record's kind, as the line names it.
fn kind_name(found: Found) -> String {
    match found {
        Found::Deal(_) => tr!("Deal"),
        Found::Account(_) => tr!("Account"),
        Found::Contact(_) => tr!("Contact"),
        Found::Lead(_) => tr!("Lead"),
        Found::Command(_) => tr!("Command"),
    }
}

/// Every command the palette offers: the keys table's verbs (not the palette itself), the
/// stages' settings and one line per pipeline. The verbs come first and keep their places, so a
/// remembered pick still names the same command after a pipeline is added.
fn commands(ws: &Workspace) -> Vec<Command> {
    let verbs = Verb::all()
        .filter(|verb| *verb != Verb::Palette)
        .map(|verb| Command {
            pick: Pick::Verb(verb),
            label: verb.label(),
        });
    let stages = Command {
        pick: Pick::Verb(Verb::Go(View::Settings)),
        label: tr!("Settings: stages"),
    };
    let pipelines = ws.pipelines().iter().map(|p| Command {
        pick: Pick::Pipeline(p.id),
        label: tr!("Switch pipeline: {name}", name = p.name.clone()),
    });
    verbs.chain([stages]).chain(pipelines).collect()
}
