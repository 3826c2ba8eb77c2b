//! Every command a key or the command palette can give, in one table: its name, its shortcuts
//! and when it may fire. The `?` sheet, the palette and the keyboard all read this table, so a
//! shortcut shown is always the one that works.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::View;
use crate::tr;

/// A command of the window, given by a shortcut or picked in the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    /// Open the command palette.
    Palette,
    /// Show the sheet of shortcuts.
    Shortcuts,
    /// A new deal in the selected deal's column (else the first), its form open on Name.
    NewDeal,
    /// Put the keyboard in the search field.
    Search,
    /// Move the selected deal to the next open stage.
    NextStage,
    /// Move the selected deal to the previous open stage.
    PreviousStage,
    /// Mark the selected deal won.
    MarkWon,
    /// Mark the selected deal lost, asking the reason.
    MarkLost,
    /// Plan an activity on the selected deal.
    PlanActivity,
    /// Move the selected deal to the trash (undoable).
    Trash,
    /// Show this view.
    Go(View),
    Undo,
    Redo,
    /// The import wizard.
    Import,
    /// The export dialog.
    Export,
}

/// The views in the order of their tabs, `Ctrl+1` to `Ctrl+9`.
pub const VIEWS: [View; 9] = [
    View::Pipeline,
    View::List,
    View::Accounts,
    View::Leads,
    View::Activities,
    View::Reports,
    View::Products,
    View::Currencies,
    View::Settings,
];

const DIGITS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// A view's name, as on its tab.
pub fn view_name(view: View) -> String {
    match view {
        View::Pipeline => tr!("Pipeline"),
        View::List => tr!("List"),
        View::Accounts => tr!("Accounts"),
        View::Leads => tr!("Leads"),
        View::Activities => tr!("Activities"),
        View::Reports => tr!("Reports"),
        View::Products => tr!("Products"),
        View::Currencies => tr!("Currencies"),
        View::Settings => tr!("Settings"),
    }
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

impl Verb {
    /// Every verb, in the order the sheet lists them and shortcuts are matched: a shortcut
    /// with more modifiers comes before the one it extends (egui ignores an extra Shift or
    /// Alt), so Ctrl+Shift+Z is Redo, not Undo.
    pub fn all() -> impl Iterator<Item = Verb> {
        [
            Verb::Palette,
            Verb::Shortcuts,
            Verb::Search,
            Verb::NewDeal,
            Verb::NextStage,
            Verb::PreviousStage,
            Verb::MarkWon,
            Verb::MarkLost,
            Verb::PlanActivity,
            Verb::Trash,
            Verb::Redo,
            Verb::Undo,
        ]
        .into_iter()
        .chain(VIEWS.into_iter().map(Verb::Go))
        .chain([Verb::Import, Verb::Export])
    }

    /// What the verb does, as the palette and the sheet name it.
    pub fn label(self) -> String {
        match self {
            Verb::Palette => tr!("Command palette"),
            Verb::Shortcuts => tr!("Keyboard shortcuts"),
            Verb::NewDeal => tr!("New deal"),
            Verb::Search => tr!("Search deals"),
            Verb::NextStage => tr!("Move the deal to the next stage"),
            Verb::PreviousStage => tr!("Move the deal to the previous stage"),
            Verb::MarkWon => tr!("Mark the deal won"),
            Verb::MarkLost => tr!("Mark the deal lost…"),
            Verb::PlanActivity => tr!("Plan an activity on the deal"),
            Verb::Trash => tr!("Move the deal to the trash"),
            Verb::Go(View::Settings) => tr!("Go to Settings: pipelines and stages"),
            Verb::Go(view) => tr!("Go to {view}", view = view_name(view)),
            Verb::Undo => tr!("Undo"),
            Verb::Redo => tr!("Redo"),
            Verb::Import => tr!("Import…"),
            Verb::Export => tr!("Export…"),
        }
    }

    /// The keys that give the verb, the first one shown; `rtl` mirrors the stage moves (the
    /// next stage is to the left in a right-to-left board).
    pub fn shortcuts(self, rtl: bool) -> Vec<KeyboardShortcut> {
        let (forward, back) = if rtl {
            (Key::ArrowLeft, Key::ArrowRight)
        } else {
            (Key::ArrowRight, Key::ArrowLeft)
        };
        match self {
            Verb::Palette => vec![ctrl(Key::K), ctrl(Key::P)],
            Verb::Shortcuts => vec![plain(Key::Questionmark), plain(Key::F1)],
            Verb::NewDeal => vec![plain(Key::N)],
            Verb::Search => vec![plain(Key::Slash), ctrl(Key::F)],
            Verb::NextStage => vec![KeyboardShortcut::new(Modifiers::ALT, forward)],
            Verb::PreviousStage => vec![KeyboardShortcut::new(Modifiers::ALT, back)],
            Verb::MarkWon => vec![plain(Key::W)],
            Verb::MarkLost => vec![plain(Key::L)],
            Verb::PlanActivity => vec![plain(Key::A)],
            Verb::Trash => vec![plain(Key::Delete)],
            Verb::Go(view) => VIEWS
                .iter()
                .position(|v| *v == view)
                .map(|i| vec![ctrl(DIGITS[i])])
                .unwrap_or_default(),
            Verb::Undo => vec![ctrl(Key::Z)],
            Verb::Redo => vec![KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )],
            Verb::Import | Verb::Export => Vec::new(),
        }
    }

    /// The first shortcut as the user reads it ("Ctrl+K"), if the verb has one.
    pub fn shortcut_text(self, rtl: bool) -> Option<String> {
        self.shortcuts(rtl).first().map(format)
    }

    /// Whether the verb may fire while a text field has the keyboard: only shortcuts held
    /// with Ctrl or Alt do, and never Undo and Redo, which belong to the field then (the
    /// app's would take back another change than the typing the user sees).
    fn fires_while_typing(self, shortcut: &KeyboardShortcut) -> bool {
        !matches!(self, Verb::Undo | Verb::Redo)
            && (shortcut.modifiers.command || shortcut.modifiers.alt)
    }
}

/// A shortcut as the user reads it: "Ctrl+K", "Alt+Right", "?".
pub fn format(shortcut: &KeyboardShortcut) -> String {
    // egui names these two "Questionmark" and "Slash"; the key caps read "?" and "/".
    match (shortcut.modifiers.is_none(), shortcut.logical_key) {
        (true, Key::Questionmark) => "?".to_owned(),
        (true, Key::Slash) => "/".to_owned(),
        _ => shortcut.format(&egui::ModifierNames::NAMES, cfg!(target_os = "macos")),
    }
}

/// The verb whose shortcut was pressed this frame, taking its key; none while a dialog, a
/// popup or another modal has the keyboard. `typing`: a text field has the keyboard.
pub fn pressed(ctx: &egui::Context, typing: bool, rtl: bool) -> Option<Verb> {
    if egui::Popup::is_any_open(ctx) || ctx.memory(egui::Memory::top_modal_layer).is_some() {
        return None;
    }
    ctx.input_mut(|i| {
        Verb::all().find(|verb| {
            verb.shortcuts(rtl).iter().any(|shortcut| {
                (!typing || verb.fires_while_typing(shortcut)) && i.consume_shortcut(shortcut)
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_verbs_share_a_shortcut() {
        for rtl in [false, true] {
            let mut seen = std::collections::HashMap::new();
            for verb in Verb::all() {
                for shortcut in verb.shortcuts(rtl) {
                    if let Some(other) = seen.insert(shortcut, verb) {
                        panic!("{verb:?} and {other:?} share {}", format(&shortcut));
                    }
                }
            }
        }
    }

    #[test]
    fn the_stage_moves_follow_the_reading_direction() {
        let next = |rtl| Verb::NextStage.shortcuts(rtl)[0].logical_key;
        assert_eq!(next(false), Key::ArrowRight);
        assert_eq!(next(true), Key::ArrowLeft);
    }

    #[test]
    fn keys_read_as_on_their_caps() {
        assert_eq!(Verb::Shortcuts.shortcut_text(false).unwrap(), "?");
        assert_eq!(Verb::Search.shortcut_text(false).unwrap(), "/");
        assert_eq!(Verb::Palette.shortcut_text(false).unwrap(), "Ctrl+K");
    }

    #[test]
    fn every_view_has_its_digit_in_tab_order() {
        assert_eq!(
            Verb::Go(View::Pipeline).shortcut_text(false).unwrap(),
            "Ctrl+1"
        );
        assert_eq!(
            Verb::Go(View::Settings).shortcut_text(false).unwrap(),
            "Ctrl+9"
        );
    }
}
