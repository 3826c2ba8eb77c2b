//! Help → About Forsat: the version, the data file (its folder opened on a click) and the
//! licences of Forsat and of the fonts it carries.

use egui::RichText;

use crate::theme;
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// The fonts built into the binary and their licences (`assets/fonts/README.md`; the texts are
/// installed in the package's documentation folder).
const FONTS: [(&str, &str); 4] = [
    ("Vazirmatn", "SIL Open Font License 1.1"),
    ("Ubuntu Light", "Ubuntu Font Licence 1.0"),
    ("Hack", "MIT, Bitstream Vera Licence"),
    ("egui-icons", "MIT"),
];

/// The About box's state: why the folder could not be opened, once tried.
#[derive(Default)]
pub struct About {
    error: Option<String>,
}

impl About {
    /// Draws the box; true when it is closed.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> bool {
        let colors = theme::colors(ui);
        ui.text(RichText::new("Forsat").heading().strong());
        ui.text(tr!(
            "Version {version}",
            version = env!("CARGO_PKG_VERSION")
        ));
        ui.text(
            RichText::new(tr!(
                "A sales pipeline kept in one file on this computer: no server, no account."
            ))
            .color(colors.text_muted),
        );
        ui.add_space(10.0);
        ui.text(RichText::new(tr!("Data file")).strong());
        // Whole, so that a file named from its own folder (`forsat deals.redb`) has one.
        let path = std::path::absolute(ws.path()).unwrap_or_else(|_| ws.path().to_owned());
        ui.add(egui::Label::new(ui.rtl(path.display().to_string())).selectable(true));
        if let Some(folder) = path.parent()
            && ui.button_text(tr!("Open its folder")).clicked()
        {
            // The launcher's own words (an exit status) say nothing to a user.
            self.error = open::that_detached(folder).err().map(|_| {
                tr!(
                    "No file manager opened {folder}: open it from your desktop.",
                    folder = folder.display()
                )
            });
        }
        if let Some(error) = &self.error {
            ui.text(RichText::new(error).color(colors.error));
        }
        ui.add_space(10.0);
        ui.text(RichText::new(tr!("Licences")).strong());
        ui.text(tr!(
            "Forsat is free software under the MIT or the Apache 2.0 licence, at your choice."
        ));
        ui.text(RichText::new(tr!("Fonts built in:")).color(colors.text_muted));
        // Lines, not a grid: egui's Grid cannot run right to left.
        for (font, licence) in FONTS {
            ui.text(format!("{font} — {licence}"));
        }
        ui.add_space(10.0);
        ui.button_text(tr!("Close")).clicked()
    }
}
