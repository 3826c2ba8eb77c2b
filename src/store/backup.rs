//! Daily backups: a verified copy of the file the first time it is opened each day, the
//! newest few kept beside it as `NAME.YYYY-MM-DD.backup`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{StoreError, check_header, check_meta, guard, open_refusal};

/// The backups of `path`, newest first: files named exactly `NAME.YYYY-MM-DD.backup` beside it
/// (another file's backups, or anything named by hand, are never counted or pruned).
pub fn backups_of(path: &Path) -> Vec<PathBuf> {
    let mut dated: Vec<(NaiveDate, PathBuf)> = entries_beside(path)
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

/// The files in the folder of `path`.
fn entries_beside(path: &Path) -> impl Iterator<Item = PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::read_dir(dir)
        .into_iter()
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
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{}.backup", today.format("%Y-%m-%d")));
    let target = path.with_file_name(&name);
    if target.exists() {
        return Ok(None);
    }
    let mut partial_name = name.clone();
    partial_name.push(".partial");
    let partial = path.with_file_name(partial_name);
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| StoreError::Io { path: p, source }
    };
    // A copy cut short (a full disk, a crash) must not stay to fill the disk.
    for stale in entries_beside(path).filter(|p| {
        p.extension().is_some_and(|e| e == "partial")
            && backup_date(path, &p.with_extension("")).is_some()
    }) {
        let _ = std::fs::remove_file(stale);
    }
    let made = std::fs::copy(path, &partial)
        .map_err(io(&partial))
        .and_then(|_| verify(&partial))
        .and_then(|()| std::fs::rename(&partial, &target).map_err(io(&target)));
    if let Err(e) = made {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    for old in backups_of(path).into_iter().skip(keep.max(1) as usize) {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    Ok(Some(target))
}

/// Opens a copy read-only and checks it is a Forsat database this build reads.
fn verify(copy: &Path) -> Result<(), StoreError> {
    check_header(copy)?;
    let db = guard(copy, || redb::Builder::new().open_read_only(copy))?
        .map_err(|e| open_refusal(copy, e))?;
    check_meta(copy, &db).map(drop)
}
