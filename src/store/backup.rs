//! Daily backups: a verified copy of the file the first time it is opened each day, the
//! newest few kept beside it as `NAME.YYYY-MM-DD.backup`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{StoreError, check_header, check_meta, guard, open_refusal};

/// The backups of `path`, newest first.
pub fn backups_of(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(
        "{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".backup")
        })
        .collect();
    // The date in the name sorts the copies.
    out.sort();
    out.reverse();
    out
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
    std::fs::copy(path, &partial).map_err(io(&partial))?;
    if let Err(e) = verify(&partial) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &target).map_err(io(&target))?;
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
