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
pub use crate::calendar::Page;
use crate::domain::{Id, ListColumn};
use crate::reports::ReportSettings;

/// The keys in eframe's storage: one a part, so that a part another version wrote and this
/// one cannot read (a view or report it does not know) is forgotten alone.
const THEME: &str = "theme";
const VIEW: &str = "view";
const LIST_WIDTHS: &str = "list_widths";
const ACTIVITIES: &str = "activities_calendar";
/// The files remembered, most recently looked at last; each has its own keys ([`file_key`]).
const FILES: &str = "files";

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
    /// The activities' week or month calendar, or None for their list.
    pub activities_calendar: Option<Page>,
    /// Most recently looked at last.
    pub files: Vec<(PathBuf, FileMemory)>,
}

impl Default for Remembered {
    fn default() -> Self {
        Remembered {
            theme: ThemePreference::System,
            view: View::Pipeline,
            list_widths: Vec::new(),
            activities_calendar: None,
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
    /// What `storage` remembers; each part's default where nothing, or something unreadable.
    pub fn load(storage: &dyn eframe::Storage) -> Remembered {
        let files: Vec<PathBuf> = eframe::get_value(storage, FILES).unwrap_or_default();
        let defaults = Remembered::default();
        Remembered {
            theme: eframe::get_value(storage, THEME).unwrap_or(defaults.theme),
            view: eframe::get_value(storage, VIEW).unwrap_or(defaults.view),
            list_widths: eframe::get_value(storage, LIST_WIDTHS).unwrap_or_default(),
            activities_calendar: eframe::get_value(storage, ACTIVITIES).unwrap_or_default(),
            files: files
                .into_iter()
                .map(|path| {
                    let memory = FileMemory {
                        pipeline: eframe::get_value(storage, &file_key("pipeline", &path)),
                        reports: eframe::get_value(storage, &file_key("reports", &path)),
                    };
                    (path, memory)
                })
                .collect(),
        }
    }

    /// Writes it to `storage` (eframe writes the file), forgetting the files it no longer
    /// remembers.
    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        let before: Vec<PathBuf> = eframe::get_value(storage, FILES).unwrap_or_default();
        for gone in before
            .iter()
            .filter(|p| !self.files.iter().any(|(f, _)| f == *p))
        {
            put::<Id>(storage, &file_key("pipeline", gone), None);
            put::<ReportSettings>(storage, &file_key("reports", gone), None);
        }
        eframe::set_value(storage, THEME, &self.theme);
        eframe::set_value(storage, VIEW, &self.view);
        eframe::set_value(storage, LIST_WIDTHS, &self.list_widths);
        eframe::set_value(storage, ACTIVITIES, &self.activities_calendar);
        let files: Vec<&PathBuf> = self.files.iter().map(|(path, _)| path).collect();
        eframe::set_value(storage, FILES, &files);
        for (path, memory) in &self.files {
            put(
                storage,
                &file_key("pipeline", path),
                memory.pipeline.as_ref(),
            );
            put(storage, &file_key("reports", path), memory.reports.as_ref());
        }
    }

    /// What is remembered of the file at `db`.
    pub fn file(&self, db: &Path) -> Option<&FileMemory> {
        let key = full_path(db);
        self.files
            .iter()
            .find(|(path, _)| *path == key)
            .map(|(_, f)| f)
    }

    /// Remembers `memory` for the file at `db`, as the one looked at last.
    pub fn set_file(&mut self, db: &Path, memory: FileMemory) {
        let key = full_path(db);
        self.files.retain(|(path, _)| *path != key);
        self.files.push((key, memory));
        let extra = self.files.len().saturating_sub(FILES_KEPT);
        self.files.drain(..extra);
    }
}

/// Keeps `value` under `key`, or no value. A key already so is left alone: eframe writes its file
/// again after any removal.
fn put<T: Serialize>(storage: &mut dyn eframe::Storage, key: &str, value: Option<&T>) {
    match value {
        Some(value) => eframe::set_value(storage, key, value),
        None if storage.get_string(key).is_some() => storage.remove_string(key),
        None => {}
    }
}

/// The key of one file's `part`.
fn file_key(part: &str, path: &Path) -> String {
    format!("{part} of {}", path.display())
}

/// The file's full path, links followed, so `--db ./x.redb` and the same file opened from a
/// file manager are one; the path as given when it cannot be resolved.
fn full_path(db: &Path) -> PathBuf {
    std::fs::canonicalize(db).unwrap_or_else(|_| db.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::Storage as _;

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

    /// eframe's storage as a map, as its file holds it.
    #[derive(Default)]
    struct Map(std::collections::BTreeMap<String, String>);

    impl eframe::Storage for Map {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn what_is_saved_is_loaded_and_a_part_that_cannot_be_read_is_forgotten_alone() {
        let mut remembered = Remembered {
            theme: ThemePreference::Dark,
            view: View::Reports,
            list_widths: vec![(ListColumn::Amount, 130.0)],
            activities_calendar: Some(Page::Month),
            files: Vec::new(),
        };
        let (a, b) = (
            PathBuf::from("/nowhere/a.redb"),
            PathBuf::from("/nowhere/b.redb"),
        );
        let memory = FileMemory {
            pipeline: Some(3),
            reports: None,
        };
        remembered.set_file(&a, memory.clone());
        remembered.set_file(&b, memory.clone());
        let mut storage = Map::default();
        remembered.save(&mut storage);
        assert_eq!(Remembered::load(&storage), remembered);

        // Another version's view, and a file's pipeline it wrote otherwise.
        storage.set_string(VIEW, "Timeline".to_owned());
        storage.set_string(&file_key("pipeline", &a), "(id: 3)".to_owned());
        let read = Remembered::load(&storage);
        assert_eq!(read.view, View::Pipeline);
        assert_eq!(read.theme, ThemePreference::Dark);
        assert_eq!(read.file(&a).unwrap().pipeline, None);
        assert_eq!(read.file(&b), Some(&memory));

        // A file forgotten takes its keys with it.
        remembered.files.retain(|(path, _)| *path != a);
        remembered.save(&mut storage);
        assert!(
            storage.0.keys().all(|key| !key.contains("a.redb")),
            "{:?}",
            storage.0
        );
    }
}
