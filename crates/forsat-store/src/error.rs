//! Store errors, worded for the person who has to act on them.

use std::path::PathBuf;

use crate::tr;

/// Why the database could not be opened, read or written.
#[derive(Debug)]
pub enum StoreError {
    /// Another Forsat (or another program) holds the file's lock.
    AlreadyOpen(PathBuf),
    /// No file is there (`check` and `backup` need one; they never create it).
    Missing(PathBuf),
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
        let text = match self {
            StoreError::AlreadyOpen(path) => tr!(
                "Forsat is already running with this file: {path}. Switch to that window, or close it first.",
                path = path.display()
            ),
            StoreError::Missing(path) => tr!(
                "{path} does not exist. Check the name, or choose the file with --db.",
                path = path.display()
            ),
            StoreError::Foreign { path, detail } => tr!(
                "{path} is not a Forsat database ({detail}). It was left untouched; choose another file with --db.",
                path = path.display(),
                detail = detail
            ),
            StoreError::Corrupt { path, detail } => tr!(
                "{path} is damaged and cannot be opened ({detail}). It was left untouched; restore a backup copy.",
                path = path.display(),
                detail = detail
            ),
            StoreError::TooNew { path, detail } => tr!(
                "{path} was written by a newer version of Forsat ({detail}). It was left untouched; update Forsat to open it.",
                path = path.display(),
                detail = detail
            ),
            StoreError::Io { path, source } => tr!(
                "Cannot use {path}: {error}",
                path = path.display(),
                error = source
            ),
            StoreError::Write { path, detail } => tr!(
                "Could not save to {path}: {detail}. Nothing of this change was saved.",
                path = path.display(),
                detail = detail
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for StoreError {}

/// A read or write inside a transaction that failed (disk full, I/O error, damaged page). The
/// store's own type: redb's errors stay inside this crate, and [`crate::Store::write_failed`]
/// words it for the user.
#[derive(Debug)]
pub struct TxError(pub(crate) redb::Error);

impl std::fmt::Display for TxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TxError {}

/// `?` on redb's calls inside the store gives a [`TxError`].
macro_rules! from_redb {
    ($($error:ty),*) => {$(
        impl From<$error> for TxError {
            fn from(e: $error) -> TxError {
                TxError(e.into())
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// Back inside the store (migrations, checks), a failed write is redb's error again.
impl From<TxError> for redb::Error {
    fn from(e: TxError) -> redb::Error {
        e.0
    }
}
