//! The sheet of keyboard shortcuts (`?`): every verb of the keys table with its keys, and the
//! keys that move around the board, the list and the forms.

use egui::RichText;

use super::keys::{self, Verb};
use crate::direction;
use crate::tr;
use crate::ui_ext::UiExt;

/// The keys that are not verbs: moving, opening, saving and closing.
fn moving() -> [(String, String); 8] {
    let arrows = if crate::i18n::right_to_left() {
        "→ ← ↑ ↓"
    } else {
        "← → ↑ ↓"
    };
    [
        // Apart from J and K: in a right-to-left line the arrows and the letters would trade
        // places around the "or".
        (
            arrows.to_owned(),
            tr!("Move between cards and columns, or rows of the list"),
        ),
        ("J K".to_owned(), tr!("Down and up, as the arrows")),
        (tr!("Enter"), tr!("Open the selected deal")),
        (tr!("Ctrl+Enter"), tr!("Save the form")),
        (
            tr!("Escape"),
            tr!("Close the form (asks when there are unsaved changes); in the search, clear it"),
        ),
        (tr!("Enter in a field"), tr!("Save the form")),
        (tr!("Tab, Shift+Tab"), tr!("Next field, previous field")),
        (
            tr!("↑ ↓ Enter"),
            tr!("Choose in a list of suggestions or of loss reasons"),
        ),
    ]
}

/// The sheet: two tables, commands and moving around.
pub fn sheet_ui(ui: &mut egui::Ui) {
    let rtl = crate::i18n::right_to_left();
    ui.text(RichText::new(tr!("Keyboard shortcuts")).heading());
    ui.text(
        RichText::new(tr!(
            "Letter keys work when no text field has the keyboard; Ctrl and Alt keys work everywhere."
        ))
        .color(super::theme::colors(ui).text_muted),
    );
    ui.add_space(6.0);
    let commands = Verb::all()
        .filter_map(|verb| {
            let keys = verb.shortcuts(rtl);
            (!keys.is_empty()).then(|| {
                let keys: Vec<String> = keys.iter().map(keys::format).collect();
                (keys.join(tr!(" or ").as_str()), verb.label())
            })
        })
        .chain(moving());
    for (keys, what) in commands {
        let keys = ui.rtl(RichText::new(keys).monospace().strong());
        direction::field_row(ui, 210.0, keys, |ui, _| ui.text(what));
    }
}
