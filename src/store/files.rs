//! Every file Forsat writes beside the database (exports, report files, chart images, backups,
//! restores) goes through [`write_file`]: it refuses a target that is the database, its lock or
//! one of its backups under any spelling (same file after following links: same device and
//! inode), refuses to replace another existing file unless told to, and writes through a
//! temporary file in the target's folder that is synced and renamed over it, the folder synced
//! after, so a full disk or a kill leaves the old file or the new one, never a fragment.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::backup;

/// Whether an existing file at the target may be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Refuse: the CLI without `--force`, the window before the user agreed.
    Refuse,
    /// The user agreed (`--force`, or yes in the window's question).
    Allow,
}

/// Why a file was not written. The target is never left half written.
#[derive(Debug)]
pub enum FileError {
    /// The target is the database, its lock or one of its backups.
    Protected { target: PathBuf, database: PathBuf },
    /// The target exists and replacing it was not agreed to.
    Exists(PathBuf),
    /// Writing failed (a full disk, no permission): the target is as it was.
    Io { path: PathBuf, detail: String },
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            FileError::Protected { target, database } => crate::tr!(
                "{target} is the database {database}, its lock or one of its backups: nothing was written. Choose another file.",
                target = target.display(),
                database = database.display()
            ),
            FileError::Exists(path) => crate::tr!(
                "{path} already exists: nothing was written. Choose another name, or replace it (--force).",
                path = path.display()
            ),
            FileError::Io { path, detail } => crate::tr!(
                "Could not write {path}: {detail}. The file is as it was.",
                path = path.display(),
                detail = detail
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for FileError {}

/// The lock file held by the one process that has the database at `db` open.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    db.with_file_name(name)
}

/// The files no write may land on: the database, its lock and every file in its backups folder
/// (its backups, their partial copies, anything else kept there) and its backups beside it.
fn protected(db: &Path) -> impl Iterator<Item = PathBuf> {
    let in_folder = std::fs::read_dir(backup::folder(db))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path());
    [db.to_owned(), lock_path(db)]
        .into_iter()
        .chain(backup::backups_of(db))
        .chain(in_folder)
}

/// Whether `target` is (or, through links, resolves to) a file that must not be written over.
pub fn is_protected(db: &Path, target: &Path) -> bool {
    let Ok(handle) = same_file::Handle::from_path(target) else {
        // Nothing there yet (or unreadable): no existing file to clobber, unless it is named
        // like one not yet made (today's lock before the database is created).
        return same_name(db, target);
    };
    same_name(db, target)
        || protected(db).any(|p| same_file::Handle::from_path(&p).is_ok_and(|h| h == handle))
}

/// A new name that would become the database or its lock (nothing exists there yet).
fn same_name(db: &Path, target: &Path) -> bool {
    let absolute = |p: &Path| std::path::absolute(p).ok();
    let target = absolute(target);
    target.is_some() && (target == absolute(db) || target == absolute(&lock_path(db)))
}

/// A name no other process or call uses: two writers never share a temporary file.
fn temporary_beside(target: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    target.with_file_name(name)
}

/// Writes the file at `target` with `write`, as described in the module's documentation: the
/// database `db` and its companions are refused whatever `replace` says.
pub fn write_file(
    db: &Path,
    target: &Path,
    replace: Replace,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), FileError> {
    if is_protected(db, target) {
        return Err(FileError::Protected {
            target: target.to_owned(),
            database: db.to_owned(),
        });
    }
    // A link is followed: the file it names is replaced, the link kept.
    let target_resolved = std::fs::canonicalize(target).ok();
    let exists = target_resolved.is_some();
    if exists && replace == Replace::Refuse {
        return Err(FileError::Exists(target.to_owned()));
    }
    let target = target_resolved.as_deref().unwrap_or(target);
    write_atomically(target, write).map_err(|(path, e)| FileError::Io {
        path,
        detail: e.to_string(),
    })
}

/// The temporary-file-and-rename half of [`write_file`], for callers that have already checked
/// the target (a backup into the backups folder). The error names the file it happened to.
pub(super) fn write_atomically(
    target: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let temporary = temporary_beside(target);
    let at = |path: &Path| {
        let path = path.to_owned();
        move |e| (path, e)
    };
    let written = (|| {
        // Readable too: a backup is checked through it before it is renamed.
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(at(&temporary))?;
        // An existing file's permissions are kept (a private export stays private).
        if let Ok(meta) = std::fs::metadata(target) {
            file.set_permissions(meta.permissions())
                .map_err(at(&temporary))?;
        }
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out).map_err(at(&temporary))?;
        out.flush().map_err(at(&temporary))?;
        let file = out
            .into_inner()
            .map_err(|e| (temporary.clone(), e.into_error()))?;
        file.sync_all().map_err(at(&temporary))?;
        drop(file);
        std::fs::rename(&temporary, target).map_err(at(target))?;
        sync_folder(target).map_err(at(target))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Syncs the folder holding `path`, so a rename into it survives a power cut.
pub(super) fn sync_folder(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let folder = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(db: &Path, target: &Path, replace: Replace, text: &str) -> Result<(), FileError> {
        write_file(db, target, replace, |out| out.write_all(text.as_bytes()))
    }

    #[test]
    fn the_database_its_lock_and_backups_are_refused_under_any_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.redb");
        std::fs::write(&db, b"database").unwrap();
        std::fs::create_dir(dir.path().join("backups")).unwrap();
        let backup = dir.path().join("backups/x.redb.2026-12-04.backup");
        std::fs::write(&backup, b"backup").unwrap();
        std::os::unix::fs::symlink(&db, dir.path().join("link.csv")).unwrap();
        std::fs::hard_link(&db, dir.path().join("hard.csv")).unwrap();
        let dotted = dir.path().join(".").join("x.redb");
        for target in [
            db.clone(),
            dotted,
            dir.path().join("link.csv"),
            dir.path().join("hard.csv"),
            lock_path(&db),
            backup.clone(),
        ] {
            let refused = write_text(&db, &target, Replace::Allow, "export");
            assert!(
                matches!(refused, Err(FileError::Protected { .. })),
                "{} was not refused: {refused:?}",
                target.display()
            );
        }
        assert_eq!(std::fs::read(&db).unwrap(), b"database");
        assert_eq!(std::fs::read(&backup).unwrap(), b"backup");
    }

    #[test]
    fn another_file_is_replaced_only_when_agreed_and_never_left_half_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.redb");
        let target = dir.path().join("deals.csv");
        write_text(&db, &target, Replace::Refuse, "first").unwrap();
        assert!(matches!(
            write_text(&db, &target, Replace::Refuse, "second"),
            Err(FileError::Exists(_))
        ));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "first");
        // A write that fails half way (a full disk) leaves the old file and no temporary.
        let failed = write_file(&db, &target, Replace::Allow, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(matches!(failed, Err(FileError::Io { .. })), "{failed:?}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "first");
        write_text(&db, &target, Replace::Allow, "second").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["deals.csv"], "a temporary file was left behind");
    }

    #[test]
    fn a_link_to_another_file_replaces_the_file_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.redb");
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_text(&db, &link, Replace::Allow, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    }
}
