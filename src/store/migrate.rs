//! Schema migrations: each runs in one write transaction, after a copy of the file was kept.
//!
//! - 1 → 2: adds the `trash` table (deals moved to the trash). Nothing to convert.
//! - 2 → 3: adds contacts, leads, activities, products and currencies; every deal gains its
//!   primary contact (last field, so an old record plus postcard's one-byte `None` is the new
//!   layout, checked by decoding it before it is written).
//! - 3 → 4: the settings gain date format, week start and backups (decoded as schema 3 wrote
//!   them, written back with the defaults for the new fields).
//! - 4 → 5: the settings gain language and calendar (both "follow the system").

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use redb::ReadableTable as _;

use super::codec;
use super::tables::*;
use super::{SCHEMA_VERSION, Store, StoreError};
use crate::domain::{Opportunity, Settings, SettingsV3, SettingsV4};

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
        // New tables are created by opening them.
        for table in [TRASH, CONTACTS, LEADS, ACTIVITIES, PRODUCTS, CURRENCIES] {
            txn.open_table(table).map_err(|e| store.write_failed(e))?;
        }
        if from < 3 {
            add_opportunity_contact(store, &txn)?;
        }
        let mut meta = txn.open_table(META).map_err(|e| store.write_failed(e))?;
        if from < 5 {
            let old = meta
                .get(META_SETTINGS)
                .map_err(|e| store.write_failed(e))?
                .map(|v| match from {
                    ..4 => codec::decode::<SettingsV3>(v.value()).map(Settings::from),
                    _ => codec::decode::<SettingsV4>(v.value()).map(Settings::from),
                });
            match old {
                Some(Ok(old)) => {
                    let new = codec::encode(&old);
                    meta.insert(META_SETTINGS, new.as_slice())
                        .map_err(|e| store.write_failed(e))?;
                }
                Some(Err(error)) => {
                    return Err(StoreError::Corrupt {
                        path: store.path().to_owned(),
                        detail: format!("the settings cannot be converted: {error}"),
                    });
                }
                None => {}
            }
        }
        meta.insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())
            .map_err(|e| store.write_failed(e))?;
    }
    txn.commit().map_err(|e| store.write_failed(e))
}

/// A stored deal of a file of `schema` in this build's layout.
pub(super) fn upgrade_opportunity(bytes: &[u8], schema: u32) -> Cow<'_, [u8]> {
    if schema < 3 {
        let mut bytes = bytes.to_vec();
        bytes.push(0);
        Cow::Owned(bytes)
    } else {
        Cow::Borrowed(bytes)
    }
}

fn add_opportunity_contact(store: &Store, txn: &redb::WriteTransaction) -> Result<(), StoreError> {
    let mut table = txn
        .open_table(OPPORTUNITIES)
        .map_err(|e| store.write_failed(e))?;
    let mut converted = Vec::new();
    for row in table.iter().map_err(|e| store.write_failed(e))? {
        let (key, value) = row.map_err(|e| store.write_failed(e))?;
        let bytes = upgrade_opportunity(value.value(), 2).into_owned();
        if let Err(error) = codec::decode::<Opportunity>(&bytes) {
            return Err(StoreError::Corrupt {
                path: store.path().to_owned(),
                detail: format!("opportunity {} cannot be converted: {error}", key.value()),
            });
        }
        converted.push((key.value(), bytes));
    }
    for (key, bytes) in converted {
        table
            .insert(key, bytes.as_slice())
            .map_err(|e| store.write_failed(e))?;
    }
    Ok(())
}
