//! What this computer remembers of the window between runs: the theme, the view, the list's
//! column widths and, for each database file, its pipeline and the reports' settings. The
//! window's size and position are eframe's own.
//!
//! Kept in eframe's storage (a RON file in the user's config folder), never in the database:
//! looking at a file must not change it (a backup or sync tool would see a change, a file on
//! read-only media could not be looked at), and the file carries its data, not how one
//! computer last showed it. Per file, the pipeline and report settings are keyed by the file's
//! full path: ids belong to one file.

use std::path::{Path, PathBuf};

use egui::ThemePreference;
use serde::{Deserialize, Serialize};

use crate::View;
use crate::domain::{Id, ListColumn};
use crate::reports::ReportSettings;

/// The key in eframe's storage.
const KEY: &str = "forsat";

/// Files remembered at most: the oldest looked at are forgotten past it.
const FILES_KEPT: usize = 20;

/// See the module's documentation. Every field has a default, so a file written by another
/// version (a field added or gone) still reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub theme: ThemePreference,
    pub view: View,
    /// The widths the user gave the list's columns.
    pub list_widths: Vec<(ListColumn, f32)>,
    /// Most recently looked at last.
    pub files: Vec<(PathBuf, FileMemory)>,
}

impl Default for Remembered {
    fn default() -> Self {
        Remembered {
            theme: ThemePreference::System,
            view: View::Pipeline,
            list_widths: Vec::new(),
            files: Vec::new(),
        }
    }
}

/// What is remembered of one database file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileMemory {
    /// The pipeline the board, the list and the reports showed.
    pub pipeline: Option<Id>,
    pub reports: Option<ReportSettings>,
}

impl Remembered {
    /// What `storage` remembers; the defaults when nothing, or something unreadable.
    pub fn load(storage: &dyn eframe::Storage) -> Remembered {
        eframe::get_value(storage, KEY).unwrap_or_default()
    }

    /// Writes it to `storage` (eframe writes the file).
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, KEY, self);
    }

    /// What is remembered of the file at `db`.
    pub fn file(&self, db: &Path) -> Option<&FileMemory> {
        let key = file_key(db);
        self.files
            .iter()
            .find(|(path, _)| *path == key)
            .map(|(_, f)| f)
    }

    /// Remembers `memory` for the file at `db`, as the one looked at last.
    pub fn set_file(&mut self, db: &Path, memory: FileMemory) {
        let key = file_key(db);
        self.files.retain(|(path, _)| *path != key);
        self.files.push((key, memory));
        let extra = self.files.len().saturating_sub(FILES_KEPT);
        self.files.drain(..extra);
    }

    /// The width remembered for `column`.
    pub fn list_width(&self, column: ListColumn) -> Option<f32> {
        self.list_widths
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, w)| *w)
    }
}

/// The file's full path, links followed, so `--db ./x.redb` and the same file opened from a
/// file manager are one; the path as given when it cannot be resolved.
fn file_key(db: &Path) -> PathBuf {
    std::fs::canonicalize(db).unwrap_or_else(|_| db.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_found_by_any_path_to_it_and_the_oldest_are_forgotten() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let db = folder.path().join("deals.redb");
        std::fs::write(&db, b"x").expect("written");
        let mut remembered = Remembered::default();
        let memory = FileMemory {
            pipeline: Some(7),
            reports: None,
        };
        remembered.set_file(&folder.path().join(".").join("deals.redb"), memory.clone());
        assert_eq!(remembered.file(&db), Some(&memory));
        for n in 0..FILES_KEPT {
            remembered.set_file(
                &folder.path().join(format!("{n}.redb")),
                FileMemory::default(),
            );
        }
        assert_eq!(remembered.files.len(), FILES_KEPT);
        assert_eq!(remembered.file(&db), None, "the oldest file is forgotten");
    }

    #[test]
    fn what_another_version_wrote_still_reads() {
        let text = r#"(theme: Dark, view: List, unknown_field: 3)"#;
        let read: Remembered = ron_read(text);
        assert_eq!(read.theme, ThemePreference::Dark);
        assert_eq!(read.view, View::List);
        assert!(read.files.is_empty());
    }

    fn ron_read(text: &str) -> Remembered {
        struct One(String);
        impl eframe::Storage for One {
            fn get_string(&self, _: &str) -> Option<String> {
                Some(self.0.clone())
            }
            fn set_string(&mut self, _: &str, _: String) {}
            fn remove_string(&mut self, _: &str) {}
            fn flush(&mut self) {}
        }
        Remembered::load(&One(text.to_owned()))
    }
}
