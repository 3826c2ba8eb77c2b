//! Schema 5 (or older) to 6: every record framed again with its checksum, `meta` given its
//! tally; the per-record upgrades of the earlier steps happen in the same pass.

use std::borrow::Cow;
use std::ops::Bound;

use redb::{ReadableTable as _, TableDefinition, TableHandle as _, WriteTransaction};
use serde::{Serialize, de::DeserializeOwned};

use crate::SCHEMA_VERSION;
use crate::domain::{
    Account, ActivityV9, ContactV10, Currency, HistoryEntry, Lead, Lookup, Opportunity, Pipeline,
    Product, StageEvent, StageV6,
};
use crate::tables::{
    ACCOUNTS, ACTIVITIES, CONTACTS, CURRENCIES, HISTORY, LEADS, LOOKUPS, META, META_APP,
    META_SCHEMA, OPPORTUNITIES, PIPELINES, PRODUCTS, ReadError, RecordKey, Records, STAGE_EVENTS,
    STAGES, TRASH, TrashEntry, Tx, read_meta, seal, unseal_legacy,
};
use crate::upgrade::{self, as_is};

pub(super) fn migrate(txn: &WriteTransaction, from: u32) -> Result<(), ReadError> {
    // Every file older than 6 holds records without a checksum.
    reframe::<_, Pipeline>(txn, PIPELINES, as_is)?;
    // As schema 6 kept them: the next step gives them their forecast category.
    reframe::<_, StageV6>(txn, STAGES, as_is)?;
    reframe::<_, Lookup>(txn, LOOKUPS, as_is)?;
    reframe::<_, Account>(txn, ACCOUNTS, as_is)?;
    reframe::<_, Opportunity>(txn, OPPORTUNITIES, |bytes| {
        upgrade::opportunity(bytes, from)
    })?;
    reframe::<_, StageEvent>(txn, STAGE_EVENTS, as_is)?;
    // Opening a table creates it: the tables schemas 2 and 3 added.
    reframe::<_, TrashEntry>(txn, TRASH, as_is)?;
    reframe::<_, ContactV10>(txn, CONTACTS, as_is)?;
    reframe::<_, Lead>(txn, LEADS, as_is)?;
    // As schema 9 kept them: the last step gives them their new fields.
    reframe::<_, ActivityV9>(txn, ACTIVITIES, as_is)?;
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
