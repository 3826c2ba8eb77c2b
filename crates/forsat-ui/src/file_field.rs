//! A file's path, typed or picked: a text field and a "Browse…" button that opens the system's
//! file dialog (the XDG desktop portal, or zenity, on Linux) on its own thread so the window
//! keeps drawing. Where no dialog can open (no portal on the session bus and no zenity, as
//! under a bare X server), the field says so and the typed path is what counts.

use crate::ui_ext::UiExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use egui::RichText;

use super::theme;
use crate::tr;

/// Where files are written by default: the user's documents folder, else their home.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new().map_or_else(
        || PathBuf::from("."),
        |d| d.document_dir().unwrap_or(d.home_dir()).to_owned(),
    )
}

/// Which dialog the button opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Choose an existing file to read.
    Open,
    /// Choose where to write a file (a name may be new).
    Save,
}

/// What the dialog's thread gives back.
enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No dialog can open on this system.
    NoDialog,
}

/// The field's state: the path, and the dialog open on its thread.
#[derive(Default)]
pub struct FileField {
    pub path: String,
    waiting: Option<mpsc::Receiver<Picked>>,
    /// "Browse…" found no dialog to open: said under the field until the path is typed.
    no_dialog: bool,
}

impl FileField {
    /// The path typed, trimmed; None when empty.
    pub fn path(&self) -> Option<PathBuf> {
        let path = self.path.trim();
        (!path.is_empty()).then(|| PathBuf::from(path))
    }

    /// Gives a typed path the extension `ext` when it ends in another of the `known` ones: the
    /// format was changed after the name was typed, and the name must not say another format.
    pub fn follow_extension(&mut self, ext: &str, known: &[&str]) {
        let Some(path) = self.path() else { return };
        let current = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !current.eq_ignore_ascii_case(ext)
            && known.iter().any(|k| k.eq_ignore_ascii_case(current))
        {
            self.path = path.with_extension(ext).display().to_string();
        }
    }

    /// Shows the field labelled by `label` and its button; `filter` names the kind of file and
    /// its extensions. True when the path changed, typed or picked.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        label: egui::Id,
        pick: Pick,
        filter: (&str, &[&str]),
    ) -> bool {
        let mut changed = false;
        if let Some(rx) = &self.waiting {
            match rx.try_recv() {
                Ok(picked) => {
                    match picked {
                        Picked::Path(path) => {
                            self.path = path.display().to_string();
                            changed = true;
                        }
                        Picked::Cancelled => {}
                        Picked::NoDialog => self.no_dialog = true,
                    }
                    self.waiting = None;
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => self.waiting = None,
            }
        }
        ui.horizontal(|ui| {
            let typed = ui
                .add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0))
                .labelled_by(label)
                .changed();
            if typed {
                self.no_dialog = false;
            }
            changed |= typed;
            let browse = ui.add_enabled(
                self.waiting.is_none(),
                egui::Button::new(ui.rtl(tr!("Browse…"))),
            );
            if browse.clicked() {
                self.waiting = Some(self.open_dialog(ui.ctx().clone(), pick, filter));
            }
            if self.waiting.is_some() {
                ui.spinner();
            }
        });
        if self.no_dialog {
            ui.text(
                RichText::new(tr!("No file dialog on this system: type the path"))
                    .color(theme::colors(ui).error),
            );
        }
        changed
    }

    /// Opens the system's dialog on a thread; the path chosen (None when cancelled or when no
    /// dialog could open) arrives on the channel, and the window is woken to take it.
    fn open_dialog(
        &self,
        ctx: egui::Context,
        pick: Pick,
        (name, extensions): (&str, &[&str]),
    ) -> mpsc::Receiver<Picked> {
        let mut dialog = rfd::FileDialog::new().add_filter(name, extensions);
        if let Some(current) = self.path() {
            let dir = if current.is_dir() {
                Some(current.as_path())
            } else {
                current.parent().filter(|p| p.is_dir())
            };
            if let Some(dir) = dir {
                dialog = dialog.set_directory(dir);
            }
            if pick == Pick::Save
                && let Some(file) = current.file_name().and_then(|f| f.to_str())
            {
                dialog = dialog.set_file_name(file);
            }
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let picked = if dialog_available() {
                let picked = match pick {
                    Pick::Open => dialog.pick_file(),
                    Pick::Save => dialog.save_file(),
                };
                match picked.filter(|p| p != Path::new("")) {
                    Some(path) => Picked::Path(path),
                    None => Picked::Cancelled,
                }
            } else {
                Picked::NoDialog
            };
            tx.send(picked).ok();
            ctx.request_repaint();
        });
        rx
    }
}

/// Whether rfd can show a file dialog here: the desktop portal answers on the session bus, or
/// zenity (its fallback) is installed. rfd itself gives back the same nothing for "no dialog"
/// as for "cancelled".
pub fn dialog_available() -> bool {
    zenity_installed() || portal_answers()
}

fn zenity_installed() -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("zenity").is_file()))
}

/// Whether the session bus has the desktop portal running, or can start it.
fn portal_answers() -> bool {
    const PORTAL: &str = "org.freedesktop.portal.Desktop";
    pollster::block_on(async {
        let bus = zbus::Connection::session().await.ok()?;
        let dbus = zbus::fdo::DBusProxy::new(&bus).await.ok()?;
        let name = zbus::names::BusName::try_from(PORTAL).ok()?;
        if dbus.name_has_owner(name).await.ok()? {
            return Some(true);
        }
        let startable = dbus.list_activatable_names().await.ok()?;
        Some(startable.iter().any(|n| n.as_str() == PORTAL))
    })
    .unwrap_or(false)
}
