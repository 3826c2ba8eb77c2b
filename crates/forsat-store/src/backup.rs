//! Daily backups: a verified copy of the file the first time it is opened each day, the
//! newest few kept in the `backups` folder beside it as `NAME.YYYY-MM-DD.backup`.

use std::fs::File;
use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use super::tables::{self, Records};
use super::{
    StoreError, check_head, check_header, check_meta, files, guard, io, is_regular_file, lock,
    open_refusal, read_refusal, with_backup,
};
use crate::domain::Settings;
use crate::tr;

/// The backups of `path`, newest first: files named exactly `NAME.YYYY-MM-DD.backup` in the
/// `backups` folder beside it, or beside it (where earlier versions kept them). Another file's
/// backups, or anything named by hand, are never counted or pruned.
pub fn backups_of(path: &Path) -> Vec<PathBuf> {
    let mut dated: Vec<(NaiveDate, PathBuf)> = entries(path)
        .filter_map(|p| {
            let date = backup_date(path, &p)?;
            Some((date, p))
        })
        .collect();
    dated.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    dated.into_iter().map(|(_, p)| p).collect()
}

/// The date in the name of `candidate` when it is a backup of `path`.
fn backup_date(path: &Path, candidate: &Path) -> Option<NaiveDate> {
    let base = path.file_name()?.to_str()?;
    let name = candidate.file_name()?.to_str()?;
    let date = name
        .strip_prefix(base)?
        .strip_prefix('.')?
        .strip_suffix(".backup")?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .filter(|_| date.len() == 10)
}

/// Where new backups of `path` go.
pub fn folder(path: &Path) -> PathBuf {
    files::folder_of(path).join("backups")
}

/// The files beside `path` and in its backups folder.
fn entries(path: &Path) -> impl Iterator<Item = PathBuf> {
    [files::folder_of(path).to_owned(), folder(path)]
        .into_iter()
        .flat_map(std::fs::read_dir)
        .flatten()
        .flatten()
        .map(|e| e.path())
}

/// Copies the file at `path` (closed cleanly: nothing has it open for writing) as today's
/// backup unless there is one, checks that the copy opens as a Forsat database, and keeps only
/// the newest `keep`. The caller holds the file's lock.
/// Returns the new copy, if one was made.
pub(super) fn daily(
    path: &Path,
    today: NaiveDate,
    keep: u32,
) -> Result<Option<PathBuf>, StoreError> {
    let target = dated(path, today);
    if target.exists() {
        return Ok(None);
    }
    make(path, &target, keep, today).map(Some)
}

/// Today's backup of `path`, made now (replacing one made earlier today) while no Forsat has
/// the file open, checked and pruned to the number the settings keep (`forsat backup`).
pub fn now(path: &Path, today: NaiveDate) -> Result<PathBuf, StoreError> {
    existing(path)?;
    let _lock = lock(path)?;
    check_header(path)?;
    let read_only = guard(path, || Ok(redb::Builder::new().open_read_only(path)))?;
    let keep = match read_only {
        Ok(db) => guard(path, || {
            let schema = check_meta(path, &db)?;
            let settings = tables::settings(&db, schema).map_err(|e| read_refusal(path, e))?;
            drop(db);
            Ok(settings.unwrap_or_default().backups_keep)
        }),
        // Left unclean by a crash: copied as it is (the copy's check recovers it).
        Err(redb::DatabaseError::RepairAborted) => Ok(Settings::default().backups_keep),
        Err(e) => Err(open_refusal(path, e)),
    };
    keep.and_then(|keep| make(path, &dated(path, today), keep, today))
        .map_err(|e| with_backup(path, e))
}

/// Checks the whole file at `path`, leaving it untouched, while no Forsat has it open: a
/// private copy is checked page by page, then every record of it decoded (`forsat check`). A
/// damaged file's refusal names the newest backup that opens.
pub fn check(path: &Path) -> Result<Records, StoreError> {
    existing(path)?;
    let _lock = match lock(path) {
        // A file on a read-only disk: no Forsat can be writing it.
        Err(StoreError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::ReadOnlyFilesystem =>
        {
            None
        }
        locked => Some(locked?),
    };
    check_header(path)?;
    private_copy(path)
        .and_then(|copy| {
            verified(path, copy, |db, schema| {
                tables::load(db, schema).map_err(|e| read_refusal(path, e))
            })
        })
        .map_err(|e| with_backup(path, damaged(path, e)))
}

/// The records of the file at `path`, left unclean by a crash, read from a private copy that
/// redb recovered and checked page by page: the file itself is not written until its copy
/// proved sound. The caller holds the file's lock. Returns the schema and the records.
pub(super) fn recovered_copy(path: &Path) -> Result<(u32, Records), StoreError> {
    private_copy(path)
        .and_then(|copy| {
            verified(path, copy, |db, schema| {
                let records = tables::load(db, schema).map_err(|e| read_refusal(path, e))?;
                Ok((schema, records))
            })
        })
        .map_err(|e| damaged(path, e))
}

/// Refuses a `path` where no file is (`check` and `backup` never create one).
fn existing(path: &Path) -> Result<(), StoreError> {
    if is_regular_file(path)? {
        Ok(())
    } else {
        Err(StoreError::Missing(path.to_owned()))
    }
}

/// A copy of the file at `path` no other process can open or see: unnamed (removed by the
/// system whenever this process ends, a kill included) and readable only by this user. It is
/// made in the file's folder (the same disk, not a small shared temporary folder) or, where
/// that cannot be written, in the temporary folder.
fn private_copy(path: &Path) -> Result<File, StoreError> {
    let folder = files::folder_of(path);
    let mut copy = tempfile::tempfile_in(folder)
        .or_else(|_| tempfile::tempfile())
        .map_err(io(folder))?;
    let mut source = File::open(path).map_err(io(path))?;
    std::io::copy(&mut source, &mut copy).map_err(io(folder))?;
    Ok(copy)
}

/// Puts `backup` in the place of the file at `path` (closed: no Forsat has it open), which
/// is kept beside it renamed `NAME.damaged-TIME`, never deleted. Returns that new name.
pub fn restore(path: &Path, backup: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
    let _lock = lock(path)?;
    let mut kept = path.file_name().unwrap_or_default().to_owned();
    kept.push(format!(".damaged-{}", now.format("%Y-%m-%d-%H%M%S")));
    let kept = path.with_file_name(kept);
    // The damaged file gets its second name before anything is replaced: a failure or a kill
    // leaves it in place. A disk without hard links gets a synced copy instead.
    match std::fs::hard_link(path, &kept) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(io(&kept)(e)),
        Err(_) => copy_over(path, &kept)?,
    }
    // The backup replaces the file in one rename, synced with its folder.
    copy_over(backup, path)?;
    Ok(kept)
}

/// Copies `from` to `to` through a synced temporary file renamed over it.
pub(super) fn copy_over(from: &Path, to: &Path) -> Result<(), StoreError> {
    files::write_atomically(to, |out| copy_into(from, out))
        .map_err(|(path, source)| StoreError::Io { path, source })
}

/// Copies the file at `from` into `out` with its permissions: a copy of a private database
/// stays private.
fn copy_into(from: &Path, out: &mut std::io::BufWriter<File>) -> std::io::Result<()> {
    let mut source = File::open(from)?;
    out.get_ref()
        .set_permissions(source.metadata()?.permissions())?;
    std::io::copy(&mut source, out).map(drop)
}

/// The backup of `path` made on `day`.
fn dated(path: &Path, day: NaiveDate) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.backup", day.format("%Y-%m-%d")));
    folder(path).join(name)
}

/// Copies `path` to `target` through a temporary file of this process, checks the copy, syncs
/// it and renames it to `target`, then keeps the newest `keep` backups. The caller holds the
/// file's lock, so no other process is making a backup of it.
fn make(path: &Path, target: &Path, keep: u32, today: NaiveDate) -> Result<PathBuf, StoreError> {
    if let Some(folder) = target.parent().filter(|f| !f.is_dir()) {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        // The new folder's name survives a power cut with the backup in it.
        files::sync_folder(folder).map_err(io(folder))?;
    }
    // A copy cut short (a full disk, a kill) must not stay to fill the disk.
    for stale in entries(path).filter(|p| is_unfinished(path, p)) {
        let _ = std::fs::remove_file(stale);
    }
    let mut found = None;
    let written = files::write_atomically(target, |out| {
        copy_into(path, out)?;
        out.flush()?;
        let copy = out.get_ref().try_clone()?;
        verified(path, copy, |_, _| Ok(())).map_err(|e| {
            let failed = std::io::Error::other(e.to_string());
            found = Some(e);
            failed
        })
    });
    match (written, found) {
        (Ok(()), _) => {}
        (Err(_), Some(e)) => return Err(damaged(path, e)),
        (Err((at, source)), None) => return Err(StoreError::Io { path: at, source }),
    }
    // Backups dated after today (made while the clock was wrong) go first: they never push
    // out today's.
    let (ahead, dated_by_now): (Vec<PathBuf>, Vec<PathBuf>) = backups_of(path)
        .into_iter()
        .partition(|b| backup_date(path, b).is_some_and(|d| d > today));
    for old in dated_by_now
        .into_iter()
        .chain(ahead)
        .skip(keep.max(1) as usize)
        .filter(|old| old != target)
    {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    Ok(target.to_owned())
}

/// Whether `candidate` is a backup of `path` left unfinished: this version's temporary file
/// (`.NAME.DATE.backup.PID-N.tmp`) or an earlier version's `NAME.DATE.backup.partial`.
fn is_unfinished(path: &Path, candidate: &Path) -> bool {
    let Some(name) = candidate.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let backup = match name.strip_suffix(".partial") {
        Some(backup) => backup,
        None => match name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
        {
            Some((backup, _process)) => backup,
            None => return false,
        },
    };
    backup_date(path, Path::new(backup)).is_some()
}

/// Opens `copy`, a fresh copy of the file at `path`, checking it page by page — redb's
/// integrity check verifies the checksum of every page of the committed trees and recovers a
/// file left unclean, writing only to the copy — and that it is a Forsat database this build
/// reads, then runs `read` on it with its schema. A plain open trusts the pages it reads: a
/// flipped bit in a record would be read as data. Errors name `path`.
fn verified<T>(
    path: &Path,
    mut copy: File,
    read: impl FnOnce(&redb::Database, u32) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    copy.seek(SeekFrom::Start(0)).map_err(io(path))?;
    check_head(path, &mut copy)?;
    guard(path, || {
        let backend = redb::backends::FileBackend::new(copy).map_err(|e| open_refusal(path, e))?;
        let db = redb::Builder::new()
            .set_check_integrity_on_open(true)
            .create_with_backend(backend)
            .map_err(|e| open_refusal(path, e))?;
        let schema = check_meta(path, &db)?;
        let value = read(&db, schema)?;
        drop(db);
        Ok(value)
    })
}

/// What a failed check of a fresh byte-for-byte copy says about the original.
fn damaged(path: &Path, found: StoreError) -> StoreError {
    match found {
        StoreError::Corrupt { detail, .. } | StoreError::Foreign { detail, .. } => {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: tr!("a check of every page found: {detail}", detail = detail),
            }
        }
        other => other,
    }
}

/// The newest backup of `path` that opens as a Forsat database (read-only: it is not changed).
pub fn newest_good(path: &Path) -> Option<PathBuf> {
    backups_of(path).into_iter().find(|backup| {
        check_header(backup).is_ok()
            && guard(backup, || {
                let db = redb::Builder::new()
                    .open_read_only(backup)
                    .map_err(|e| open_refusal(backup, e))?;
                check_meta(backup, &db).map(drop)
            })
            .is_ok()
    })
}
