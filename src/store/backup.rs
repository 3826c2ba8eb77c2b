//! Daily backups: a verified copy of the file the first time it is opened each day, the
//! newest few kept in the `backups` folder beside it as `NAME.YYYY-MM-DD.backup`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use super::tables::{self, Records};
use super::{StoreError, check_header, check_meta, guard, open_refusal, read_refusal, with_backup};
use crate::domain::Settings;

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

/// The folder of `path`.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Where new backups of `path` go.
pub fn folder(path: &Path) -> PathBuf {
    folder_of(path).join("backups")
}

/// The files beside `path` and in its backups folder.
fn entries(path: &Path) -> impl Iterator<Item = PathBuf> {
    [folder_of(path), folder(path)]
        .into_iter()
        .flat_map(std::fs::read_dir)
        .flatten()
        .flatten()
        .map(|e| e.path())
}

/// Copies the file at `path` (closed cleanly: nothing has it open for writing) as today's
/// backup unless there is one, checks that the copy opens as a Forsat database, and keeps only
/// the newest `keep`.
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
    make(path, &target, keep).map(Some)
}

/// Today's backup of `path`, made now (replacing one made earlier today) while no Forsat has
/// the file open, checked and pruned to the number the settings keep (`forsat backup`).
pub fn now(path: &Path, today: NaiveDate) -> Result<PathBuf, StoreError> {
    let reader = reader(path)?;
    let keep = match &reader {
        Some(db) => {
            let schema = check_meta(path, db)?;
            guard(path, || tables::settings(db, schema))?
                .map_err(|e| read_refusal(path, e))?
                .unwrap_or_default()
                .backups_keep
        }
        None => Settings::default().backups_keep,
    };
    make(path, &dated(path, today), keep)
}

/// Checks the whole file at `path`, leaving it untouched, while no Forsat has it open: a copy
/// is checked page by page, then every record of it decoded (`forsat check`). A damaged file's
/// refusal names the newest backup that opens.
pub fn check(path: &Path) -> Result<Records, StoreError> {
    let _reader = reader(path)?;
    let copy = std::env::temp_dir().join(format!(
        "forsat-check-{}-{}.redb",
        std::process::id(),
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    let checked = std::fs::copy(path, &copy)
        .map_err(io(&copy))
        .and_then(|_| verify(&copy))
        .and_then(|()| {
            let db = guard(&copy, || redb::Builder::new().open_read_only(&copy))?
                .map_err(|e| open_refusal(&copy, e))?;
            let schema = check_meta(&copy, &db)?;
            guard(&copy, || tables::load(&db, schema))?.map_err(|e| read_refusal(&copy, e))
        });
    let _ = std::fs::remove_file(&copy);
    checked.map_err(|e| with_backup(path, damaged(path, e)))
}

/// A read-only handle on `path`, held while it is copied: opening it fails while a Forsat has
/// the file open, and no Forsat opens it for writing meanwhile. A file left unclean by a crash
/// is copied as it is (its copy's check recovers it).
fn reader(path: &Path) -> Result<Option<redb::ReadOnlyDatabase>, StoreError> {
    check_header(path)?;
    match guard(path, || redb::Builder::new().open_read_only(path))? {
        Ok(db) => Ok(Some(db)),
        Err(redb::DatabaseError::RepairAborted) => Ok(None),
        Err(e) => Err(with_backup(path, open_refusal(path, e))),
    }
}

/// Puts `backup` in the place of the file at `path` (closed: no Forsat has it open), which
/// is kept beside it renamed `NAME.damaged-TIME`, never deleted. Returns that new name.
pub fn restore(path: &Path, backup: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
    let mut kept = path.file_name().unwrap_or_default().to_owned();
    kept.push(format!(".damaged-{}", now.format("%Y-%m-%d-%H%M%S")));
    let kept = path.with_file_name(kept);
    let mut partial = path.file_name().unwrap_or_default().to_owned();
    partial.push(".restoring.partial");
    let partial = path.with_file_name(partial);
    // The copy is complete before anything is renamed: a failure leaves the damaged file.
    std::fs::copy(backup, &partial).map_err(io(&partial))?;
    std::fs::rename(path, &kept).map_err(io(path))?;
    std::fs::rename(&partial, path).map_err(io(path))?;
    Ok(kept)
}

/// An I/O error's conversion naming the file it happened to.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_owned();
    move |source| StoreError::Io { path, source }
}

/// The backup of `path` made on `day`.
fn dated(path: &Path, day: NaiveDate) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.backup", day.format("%Y-%m-%d")));
    folder(path).join(name)
}

/// Copies `path` to `target` through a partial file, checks the copy, and keeps the newest
/// `keep` backups.
fn make(path: &Path, target: &Path, keep: u32) -> Result<PathBuf, StoreError> {
    let mut partial_name = target.file_name().unwrap_or_default().to_owned();
    partial_name.push(".partial");
    let partial = target.with_file_name(partial_name);
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
    }
    // A copy cut short (a full disk, a crash) must not stay to fill the disk.
    for stale in entries(path).filter(|p| {
        p.extension().is_some_and(|e| e == "partial")
            && backup_date(path, &p.with_extension("")).is_some()
    }) {
        let _ = std::fs::remove_file(stale);
    }
    let made = std::fs::copy(path, &partial)
        .map_err(io(&partial))
        .and_then(|_| verify(&partial).map_err(|e| damaged(path, e)))
        .and_then(|()| std::fs::rename(&partial, target).map_err(io(target)));
    if let Err(e) = made {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    for old in backups_of(path).into_iter().skip(keep.max(1) as usize) {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    Ok(target.to_owned())
}

/// Checks a new copy page by page — redb's integrity check verifies the checksum of every page
/// of the committed trees, and writes only to the copy — and that it is a Forsat database this
/// build reads. A plain open trusts the pages it reads: a flipped bit in a record would be
/// read as data.
fn verify(copy: &Path) -> Result<(), StoreError> {
    check_header(copy)?;
    let db = guard(copy, || {
        redb::Builder::new()
            .set_check_integrity_on_open(true)
            .open(copy)
    })?
    .map_err(|e| open_refusal(copy, e))?;
    check_meta(copy, &db).map(drop)
}

/// What a failed check of a fresh byte-for-byte copy says about the original.
fn damaged(path: &Path, found: StoreError) -> StoreError {
    match found {
        StoreError::Corrupt { detail, .. } | StoreError::Foreign { detail, .. } => {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: format!("a check of every page found: {detail}"),
            }
        }
        other => other,
    }
}

/// The newest backup of `path` that opens as a Forsat database (read-only: it is not changed).
pub fn newest_good(path: &Path) -> Option<PathBuf> {
    backups_of(path).into_iter().find(|backup| {
        check_header(backup).is_ok()
            && guard(backup, || redb::Builder::new().open_read_only(backup))
                .ok()
                .and_then(Result::ok)
                .is_some_and(|db| check_meta(backup, &db).is_ok())
    })
}
