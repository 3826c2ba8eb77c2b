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

/// What a refused target is to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guarded {
    /// The database itself.
    Database,
    /// The lock file of the database.
    Lock,
    /// One of its backups, or anything else in its backups folder.
    Backup,
    /// A new name in its backups folder, which only backups are written to.
    BackupsFolder,
    /// Another Forsat (or redb) database: an export never replaces one, even when agreed.
    OtherDatabase,
}

/// Why a file was not written. The target is never left half written.
#[derive(Debug)]
pub enum FileError {
    /// The target is the database, its lock, one of its backups or another database.
    Protected {
        target: PathBuf,
        database: PathBuf,
        what: Guarded,
    },
    /// The target exists and replacing it was not agreed to.
    Exists(PathBuf),
    /// The target is a folder.
    Folder(PathBuf),
    /// The folder the target would be written in does not exist.
    NoFolder(PathBuf),
    /// Writing failed (a full disk, no permission): the target is as it was.
    Io { path: PathBuf, detail: String },
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            FileError::Protected {
                target,
                database,
                what,
            } => {
                let (target, database) = (target.display(), database.display());
                match what {
                    Guarded::Database => crate::tr!(
                        "{target} is the database itself: nothing was written. Choose another file.",
                        target = target
                    ),
                    Guarded::Lock => crate::tr!(
                        "{target} is the lock of the database {database}: nothing was written. Choose another file.",
                        target = target,
                        database = database
                    ),
                    Guarded::Backup => crate::tr!(
                        "{target} is a backup of the database {database}: nothing was written. Choose another file.",
                        target = target,
                        database = database
                    ),
                    Guarded::BackupsFolder => crate::tr!(
                        "{target} is in the backups folder of {database}, which holds only its backups: nothing was written. Choose another folder.",
                        target = target,
                        database = database
                    ),
                    Guarded::OtherDatabase => crate::tr!(
                        "{target} is a Forsat database: an export never replaces one. Choose another name.",
                        target = target
                    ),
                }
            }
            FileError::Exists(path) => crate::tr!(
                "{path} already exists: nothing was written. Choose another name, or replace it (--force).",
                path = path.display()
            ),
            FileError::Folder(path) => crate::tr!(
                "{path} is a folder: nothing was written. Give the name of a file in it.",
                path = path.display()
            ),
            FileError::NoFolder(folder) => crate::tr!(
                "The folder {folder} does not exist: nothing was written.",
                folder = folder.display()
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

/// What `target` is to the database at `db` when no write may land on it: the database, its
/// lock, one of its backups or another file in its backups folder, under any spelling (the
/// same device and inode after following links), a new name in its backups folder, or another
/// Forsat database.
fn guarded(db: &Path, target: &Path) -> Option<Guarded> {
    let absolute = |p: &Path| std::path::absolute(p).ok();
    let named = absolute(target);
    // New names (nothing there yet) that would become the database or its lock.
    if named.is_some() && named == absolute(db) {
        return Some(Guarded::Database);
    }
    if named.is_some() && named == absolute(&lock_path(db)) {
        return Some(Guarded::Lock);
    }
    let same =
        |a: &Path, b: &same_file::Handle| same_file::Handle::from_path(a).is_ok_and(|h| h == *b);
    let backups = backup::folder(db);
    let backups_folder = same_file::Handle::from_path(&backups).ok();
    let Ok(handle) = same_file::Handle::from_path(target) else {
        // Nothing there yet (or unreadable): no file to clobber, unless in the backups folder,
        // where a name like tomorrow's backup would stand in its place.
        return backups_folder
            .is_some_and(|b| same(folder_of(target), &b))
            .then_some(Guarded::BackupsFolder);
    };
    if same(db, &handle) {
        return Some(Guarded::Database);
    }
    if same(&lock_path(db), &handle) {
        return Some(Guarded::Lock);
    }
    let in_backups_folder = std::fs::read_dir(&backups)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path());
    if backup::backups_of(db)
        .into_iter()
        .chain(in_backups_folder)
        .any(|p| same(&p, &handle))
    {
        return Some(Guarded::Backup);
    }
    super::check_header(target)
        .is_ok()
        .then_some(Guarded::OtherDatabase)
}

/// The folder a file named `path` is in ("." for a bare name).
pub(super) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
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

/// Whether [`write_file`] would write `target` now: asked before work that ends in the write
/// (a screenshot to take), or to ask the user before replacing a file.
pub fn check(db: &Path, target: &Path, replace: Replace) -> Result<(), FileError> {
    if let Some(what) = guarded(db, target) {
        return Err(FileError::Protected {
            target: target.to_owned(),
            database: db.to_owned(),
            what,
        });
    }
    match std::fs::metadata(target) {
        Ok(meta) if meta.is_dir() => Err(FileError::Folder(target.to_owned())),
        Ok(_) if replace == Replace::Refuse => Err(FileError::Exists(target.to_owned())),
        Err(_) if !folder_of(target).is_dir() => {
            Err(FileError::NoFolder(folder_of(target).to_owned()))
        }
        Ok(_) | Err(_) => Ok(()),
    }
}

/// Writes the file at `target` with `write`, as described in the module's documentation: the
/// database `db` and its companions are refused whatever `replace` says.
pub fn write_file(
    db: &Path,
    target: &Path,
    replace: Replace,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), FileError> {
    check(db, target, replace)?;
    // A link is followed: the file it names is replaced, the link kept.
    let target_resolved = std::fs::canonicalize(target).ok();
    let resolved = target_resolved.as_deref().unwrap_or(target);
    // The error names the file as the user named it, not its temporary.
    write_atomically(resolved, write).map_err(|(_, e)| FileError::Io {
        path: target.to_owned(),
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
        File::open(folder_of(path))?.sync_all()
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
        let other = dir.path().join("other.redb");
        std::fs::write(
            &other,
            b"redb\x1A\x0A\xA9\x0D\x0A and the rest of a database",
        )
        .unwrap();
        for (target, what) in [
            (db.clone(), Guarded::Database),
            (dotted, Guarded::Database),
            (dir.path().join("link.csv"), Guarded::Database),
            (dir.path().join("hard.csv"), Guarded::Database),
            (lock_path(&db), Guarded::Lock),
            (backup.clone(), Guarded::Backup),
            (
                dir.path().join("backups/x.redb.2026-12-05.backup"),
                Guarded::BackupsFolder,
            ),
            (
                dir.path().join("backups/../backups/deals.csv"),
                Guarded::BackupsFolder,
            ),
            (other.clone(), Guarded::OtherDatabase),
        ] {
            let refused = write_text(&db, &target, Replace::Allow, "export");
            assert!(
                matches!(refused, Err(FileError::Protected { what: w, .. }) if w == what),
                "{} was not refused as {what:?}: {refused:?}",
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
        assert!(
            matches!(&failed, Err(FileError::Io { path, .. }) if *path == target),
            "{failed:?}"
        );
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
    fn a_folder_or_a_missing_folder_is_named_not_asked_about() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.redb");
        let folder = dir.path().join("reports");
        std::fs::create_dir(&folder).unwrap();
        assert!(matches!(
            write_text(&db, &folder, Replace::Allow, "x"),
            Err(FileError::Folder(p)) if p == folder
        ));
        let missing = dir.path().join("nosuchdir");
        assert!(matches!(
            write_text(&db, &missing.join("deals.csv"), Replace::Refuse, "x"),
            Err(FileError::NoFolder(p)) if p == missing
        ));
        assert!(folder.is_dir() && !missing.exists());
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
