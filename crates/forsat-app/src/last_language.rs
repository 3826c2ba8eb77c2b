//! The language of the last run, kept in a small file outside the database: a file that is
//! locked or damaged cannot say which language its errors are to be shown in.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::i18n::Language;

/// Where the language is kept; none until the binary names its config folder's file, so tests
/// and other embedders leave the user's folder alone.
static FILE: OnceLock<PathBuf> = OnceLock::new();

/// Keeps the language in `file` from now on.
pub fn keep_in(file: PathBuf) {
    FILE.set(file).ok();
}

/// The language the last run remembered, if any.
pub fn load() -> Option<Language> {
    let text = std::fs::read_to_string(FILE.get()?).ok()?;
    Language::from_code(text.trim())
}

/// Remembers the language the settings choose; `None` (the system's) forgets it. Best effort:
/// a config folder that cannot be written only loses the memory, never the user's work.
pub(crate) fn remember(language: Option<Language>) {
    let Some(file) = FILE.get() else {
        return;
    };
    if load() == language {
        return;
    }
    match language {
        Some(language) => {
            if let Some(folder) = file.parent() {
                std::fs::create_dir_all(folder).ok();
            }
            std::fs::write(file, language.code()).ok();
        }
        None => {
            std::fs::remove_file(file).ok();
        }
    }
}
