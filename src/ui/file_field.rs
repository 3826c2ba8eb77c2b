//! A file's path, typed or picked: a text field and a "Browse…" button that opens the system's
//! file dialog (the XDG desktop portal, or zenity, on Linux) on its own thread so the window
//! keeps drawing. Where no dialog can open, the button gives nothing back and the typed path
//! is what counts, so the field always works.

use crate::ui::text::bidi;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::tr;

/// Where files are written by default: the user's documents folder, else their home.
pub fn documents_dir() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Which dialog the button opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Choose an existing file to read.
    Open,
    /// Choose where to write a file (a name may be new).
    Save,
}

/// The field's state: the path, and the dialog open on its thread.
#[derive(Default)]
pub struct FileField {
    pub path: String,
    waiting: Option<mpsc::Receiver<Option<PathBuf>>>,
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
                    if let Some(path) = picked {
                        self.path = path.display().to_string();
                        changed = true;
                    }
                    self.waiting = None;
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => self.waiting = None,
            }
        }
        ui.horizontal(|ui| {
            changed |= ui
                .add(egui::TextEdit::singleline(&mut self.path).desired_width(360.0))
                .labelled_by(label)
                .changed();
            let browse = ui.add_enabled(
                self.waiting.is_none(),
                egui::Button::new(bidi(ui, tr!("Browse…"))),
            );
            if browse.clicked() {
                self.waiting = Some(self.open_dialog(ui.ctx().clone(), pick, filter));
            }
            if self.waiting.is_some() {
                ui.spinner();
            }
        });
        changed
    }

    /// Opens the system's dialog on a thread; the path chosen (None when cancelled or when no
    /// dialog could open) arrives on the channel, and the window is woken to take it.
    fn open_dialog(
        &self,
        ctx: egui::Context,
        pick: Pick,
        (name, extensions): (&str, &[&str]),
    ) -> mpsc::Receiver<Option<PathBuf>> {
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
            let picked = match pick {
                Pick::Open => dialog.pick_file(),
                Pick::Save => dialog.save_file(),
            };
            let _ = tx.send(picked.filter(|p| p != Path::new("")));
            ctx.request_repaint();
        });
        rx
    }
}
