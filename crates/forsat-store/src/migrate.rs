//! Schema migrations: each runs in one write transaction, after a copy of the file was kept.
//!
//! - 1 → 2: adds the `trash` table (deals moved to the trash). Nothing to convert.
//! - 2 → 3: adds contacts, leads, activities, products and currencies; every deal gains its
//!   primary contact (last field, so an old record plus postcard's one-byte `None` is the new
//!   layout, checked by decoding it before it is written).
//! - 3 → 4: the settings gain date format, week start and backups (decoded as schema 3 wrote
//!   them, written back with the defaults for the new fields).
//! - 4 → 5: the settings gain language and calendar (both "follow the system").
//! - 5 → 6: every record (each table, the history, the values of `meta`, the id counter) is
//!   decoded as it was written and framed again with a checksum over its table, key and body;
//!   `meta` gains the tally of records per table. The conversions of the earlier steps happen
//!   in the same pass, as each record is decoded; a record that does not decode stops the
//!   migration (the file is refused as damaged, untouched).

use std::borrow::Cow;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use redb::{ReadableTable as _, TableDefinition, TableHandle as _, WriteTransaction};
use serde::{Serialize, de::DeserializeOwned};

use super::tables::*;
use super::{SCHEMA_VERSION, Store, StoreError, read_refusal};
use crate::domain::*;

/// Copies the file before a migration, as `NAME.schema-N-UNIXTIME.bak` beside it.
pub(super) fn back_up(path: &Path, schema: u32) -> Result<PathBuf, StoreError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".schema-{schema}-{stamp}.bak"));
    let backup = path.with_file_name(name);
    super::backup::copy_over(path, &backup)?;
    Ok(backup)
}

/// Brings a file of schema `from` up to [`SCHEMA_VERSION`].
pub(super) fn run(store: &Store, from: u32) -> Result<(), StoreError> {
    if from >= SCHEMA_VERSION {
        return Ok(());
    }
    let txn = store.begin()?;
    migrate(&txn, from).map_err(|e| match e {
        ReadError::Storage(e) => store.write_failed(e),
        damaged => read_refusal(store.path(), damaged),
    })?;
    txn.commit().map_err(|e| store.write_failed(e))
}

fn migrate(txn: &WriteTransaction, from: u32) -> Result<(), ReadError> {
    // Every file older than 6 holds records without a checksum.
    reframe::<_, Pipeline>(txn, PIPELINES, as_is)?;
    reframe::<_, Stage>(txn, STAGES, as_is)?;
    reframe::<_, Lookup>(txn, LOOKUPS, as_is)?;
    reframe::<_, Account>(txn, ACCOUNTS, as_is)?;
    reframe::<_, Opportunity>(txn, OPPORTUNITIES, |bytes| upgrade_opportunity(bytes, from))?;
    reframe::<_, StageEvent>(txn, STAGE_EVENTS, as_is)?;
    // Opening a table creates it: the tables schemas 2 and 3 added.
    reframe::<_, TrashEntry>(txn, TRASH, as_is)?;
    reframe::<_, Contact>(txn, CONTACTS, as_is)?;
    reframe::<_, Lead>(txn, LEADS, as_is)?;
    reframe::<_, Activity>(txn, ACTIVITIES, as_is)?;
    reframe::<_, Product>(txn, PRODUCTS, as_is)?;
    reframe::<_, Currency>(txn, CURRENCIES, as_is)?;
    reframe::<_, HistoryEntry>(txn, HISTORY, as_is)?;

    // The values of meta, read as `from` wrote them (the settings converted), are written
    // again through the transaction, which frames them and adds the tally.
    let mut records = Records::default();
    {
        let mut meta = txn.open_table(META)?;
        read_meta(&meta, from, &mut records)?;
        meta.retain(|key, _| key == META_APP || key == META_SCHEMA)?;
        meta.insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    }
    let mut tx = Tx::open(txn)?;
    tx.take_ids_through(records.next_id.saturating_sub(1))?;
    if let Some(settings) = &records.settings {
        tx.put_settings(settings)?;
    }
    if !records.sample.is_empty() {
        tx.put_sample(&records.sample)?;
    }
    if records.first_start_done {
        tx.put_first_start_done()?;
    }
    if !records.saved_filters.is_empty() {
        tx.put_saved_filters(&records.saved_filters)?;
    }
    if !records.saved_reports.is_empty() {
        tx.put_saved_reports(&records.saved_reports)?;
    }
    if let Some(columns) = &records.list_columns {
        tx.put_list_columns(columns)?;
    }
    tx.finish()?;
    Ok(())
}

/// Decodes every record of `def` as a file of schema 5 or older holds it (`upgrade` first
/// bringing it to this build's layout) and writes it framed with its checksum; a few thousand
/// at a time, so that a million deals are never all held at once.
fn reframe<K, T>(
    txn: &WriteTransaction,
    def: TableDefinition<K, &[u8]>,
    upgrade: impl Fn(&[u8]) -> Cow<'_, [u8]>,
) -> Result<(), ReadError>
where
    K: RecordKey + redb::Key + for<'a> redb::Value<SelfType<'a> = K> + 'static,
    T: Serialize + DeserializeOwned,
{
    const CHUNK: usize = 4096;
    let name = def.name();
    let mut table = txn.open_table(def)?;
    let mut after = Bound::Unbounded;
    loop {
        let mut chunk = Vec::with_capacity(CHUNK);
        for row in table.range::<K>((after, Bound::Unbounded))?.take(CHUNK) {
            let (key, value) = row?;
            let key = key.value();
            let record: T = unseal_legacy(name, key, &upgrade(value.value()))?;
            chunk.push((key, seal(name, key, &record)));
        }
        for (key, bytes) in &chunk {
            table.insert(*key, bytes.as_slice())?;
        }
        match chunk.last() {
            Some(&(last, _)) if chunk.len() == CHUNK => after = Bound::Excluded(last),
            _ => return Ok(()),
        }
    }
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
