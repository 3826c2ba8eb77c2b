//! Schema migrations: each runs in one write transaction, after a copy of the file was kept.
//!
//! - 1 → 2: adds the `trash` table (deals moved to the trash). Nothing to convert.

use std::path::{Path, PathBuf};

use super::tables::{META, META_SCHEMA};
use super::{SCHEMA_VERSION, Store, StoreError};

/// Copies the file before a migration, as `NAME.schema-N-UNIXTIME.bak` beside it.
pub(super) fn back_up(path: &Path, schema: u32) -> Result<PathBuf, StoreError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".schema-{schema}-{stamp}.bak"));
    let backup = path.with_file_name(name);
    std::fs::copy(path, &backup).map_err(|source| StoreError::Io {
        path: backup.clone(),
        source,
    })?;
    Ok(backup)
}

/// Brings a file of schema `from` up to [`SCHEMA_VERSION`].
pub(super) fn run(store: &Store, from: u32) -> Result<(), StoreError> {
    if from >= SCHEMA_VERSION {
        return Ok(());
    }
    let txn = store.begin()?;
    {
        // Schema 2's trash table is created by opening it; later steps convert records here.
        txn.open_table(super::tables::TRASH)
            .map_err(|e| store.write_failed(e))?;
        let mut meta = txn.open_table(META).map_err(|e| store.write_failed(e))?;
        meta.insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())
            .map_err(|e| store.write_failed(e))?;
    }
    txn.commit().map_err(|e| store.write_failed(e))
}
