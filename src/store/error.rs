//! Store errors, worded for the person who has to act on them.

use std::path::PathBuf;

/// Why the database could not be opened, read or written.
#[derive(Debug)]
pub enum StoreError {
    /// Another Forsat (or another program) holds the file's lock.
    AlreadyOpen(PathBuf),
    /// The file exists but is not a Forsat database: it is left untouched.
    Foreign { path: PathBuf, detail: String },
    /// The file is a Forsat database but damaged: it is left untouched.
    Corrupt { path: PathBuf, detail: String },
    /// The file was written by a newer Forsat: it is left untouched.
    TooNew { path: PathBuf, detail: String },
    /// The file or its folder could not be read or created.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A write failed (disk full, I/O error); nothing of it was committed.
    Write { path: PathBuf, detail: String },
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::AlreadyOpen(path) => write!(
                f,
                "Forsat is already running with this file: {}. Switch to that window, or close it first.",
                path.display()
            ),
            StoreError::Foreign { path, detail } => write!(
                f,
                "{} is not a Forsat database ({detail}). It was left untouched; choose another file with --db.",
                path.display()
            ),
            StoreError::Corrupt { path, detail } => write!(
                f,
                "{} is damaged and cannot be opened ({detail}). It was left untouched; restore a backup copy.",
                path.display()
            ),
            StoreError::TooNew { path, detail } => write!(
                f,
                "{} was written by a newer version of Forsat ({detail}). It was left untouched; update Forsat to open it.",
                path.display()
            ),
            StoreError::Io { path, source } => {
                write!(f, "Cannot use {}: {source}", path.display())
            }
            StoreError::Write { path, detail } => write!(
                f,
                "Could not save to {}: {detail}. Nothing of this change was saved.",
                path.display()
            ),
        }
    }
}

impl std::error::Error for StoreError {}
