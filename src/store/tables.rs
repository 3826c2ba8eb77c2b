//! The redb tables and the write transaction every change goes through.

use redb::{
    ReadableTable as _, ReadableTableMetadata as _, Table, TableDefinition, TableHandle as _,
};
use serde::Serialize;

use super::codec::{self, CodecError};
use crate::domain::*;

pub(super) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(super) const PIPELINES: TableDefinition<u64, &[u8]> = TableDefinition::new("pipelines");
pub(super) const STAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("stages");
pub(super) const LOOKUPS: TableDefinition<u64, &[u8]> = TableDefinition::new("lookups");
pub(super) const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
pub(super) const OPPORTUNITIES: TableDefinition<u64, &[u8]> = TableDefinition::new("opportunities");
pub(super) const STAGE_EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("stage_events");
/// Deals in the trash: id → when they were trashed (a timestamp in milliseconds).
pub(super) const TRASH: TableDefinition<u64, &[u8]> = TableDefinition::new("trash");
pub(super) const CONTACTS: TableDefinition<u64, &[u8]> = TableDefinition::new("contacts");
pub(super) const LEADS: TableDefinition<u64, &[u8]> = TableDefinition::new("leads");
pub(super) const ACTIVITIES: TableDefinition<u64, &[u8]> = TableDefinition::new("activities");
pub(super) const PRODUCTS: TableDefinition<u64, &[u8]> = TableDefinition::new("products");
pub(super) const CURRENCIES: TableDefinition<u64, &[u8]> = TableDefinition::new("currencies");
/// History keyed by (entity kind, record id, entry id): one record's history is one range.
pub(super) const HISTORY: TableDefinition<(u8, u64, u64), &[u8]> = TableDefinition::new("history");

pub(super) const META_APP: &str = "app";
pub(super) const META_SCHEMA: &str = "schema";
const META_NEXT_ID: &str = "next_id";
pub(super) const META_SETTINGS: &str = "settings";
const META_SAMPLE: &str = "sample";
const META_FIRST_START: &str = "first_start_done";
const META_SAVED_FILTERS: &str = "saved_filters";
const META_SAVED_REPORTS: &str = "saved_reports";
const META_LIST_COLUMNS: &str = "list_columns";

/// The value of `meta.app` in every Forsat database.
pub(super) const APP_TAG: &[u8] = b"forsat";
/// The schema this build writes; older ones are migrated on open, newer ones refused.
pub const SCHEMA_VERSION: u32 = 5;

fn entity_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Pipeline => 1,
        EntityKind::Stage => 2,
        EntityKind::Lookup => 3,
        EntityKind::Account => 4,
        EntityKind::Opportunity => 5,
        EntityKind::SavedFilter => 6,
        EntityKind::Settings => 7,
        EntityKind::Contact => 8,
        EntityKind::Lead => 9,
        EntityKind::Activity => 10,
        EntityKind::Product => 11,
        EntityKind::Currency => 12,
        EntityKind::SavedReport => 13,
    }
}

/// Everything a database holds except the history, which is read one record at a time.
#[derive(Debug, Default, Clone)]
pub struct Records {
    pub pipelines: Vec<Pipeline>,
    pub stages: Vec<Stage>,
    pub lookups: Vec<Lookup>,
    pub accounts: Vec<Account>,
    pub opportunities: Vec<Opportunity>,
    pub stage_events: Vec<StageEvent>,
    /// None until the database has been given its default pipeline.
    pub settings: Option<Settings>,
    /// Records created as the sample pipeline, removed by "Clear sample data".
    pub sample: Vec<(EntityKind, Id)>,
    /// Whether the GUI has started on this file before (the sample is offered only once).
    pub first_start_done: bool,
    /// The id the next new record gets.
    pub next_id: Id,
    /// Deals in the trash, with when they were put there.
    pub trash: Vec<TrashEntry>,
    /// Searches the user named.
    pub saved_filters: Vec<SavedFilter>,
    pub saved_reports: Vec<SavedReport>,
    /// The list's visible columns, when the user chose them.
    pub list_columns: Option<Vec<ListColumn>>,
    pub contacts: Vec<Contact>,
    pub leads: Vec<Lead>,
    pub activities: Vec<Activity>,
    pub products: Vec<Product>,
    pub currencies: Vec<Currency>,
}

/// A deal in the trash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TrashEntry {
    pub opportunity: Id,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A failure while reading records: which table and record, and why.
#[derive(Debug)]
pub(super) enum ReadError {
    Storage(redb::Error),
    Record {
        table: String,
        key: String,
        error: CodecError,
    },
}

impl<E: Into<redb::Error>> From<E> for ReadError {
    fn from(e: E) -> Self {
        ReadError::Storage(e.into())
    }
}

fn read_all<T: serde::de::DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: TableDefinition<u64, &[u8]>,
) -> Result<Vec<T>, ReadError> {
    read_all_upgraded(txn, def, |bytes| std::borrow::Cow::Borrowed(bytes))
}

/// Reads a table whose records `upgrade` brings to this build's layout first.
fn read_all_upgraded<T: serde::de::DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: TableDefinition<u64, &[u8]>,
    upgrade: impl Fn(&[u8]) -> std::borrow::Cow<'_, [u8]>,
) -> Result<Vec<T>, ReadError> {
    let table = match txn.open_table(def) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut out = Vec::with_capacity(table.len()? as usize);
    for row in table.iter()? {
        let (key, value) = row?;
        out.push(
            codec::decode(&upgrade(value.value())).map_err(|error| ReadError::Record {
                table: def.name().to_owned(),
                key: key.value().to_string(),
                error,
            })?,
        );
    }
    Ok(out)
}

fn read_meta<T: serde::de::DeserializeOwned>(
    meta: &redb::ReadOnlyTable<&str, &[u8]>,
    key: &'static str,
) -> Result<Option<T>, ReadError> {
    match meta.get(key)? {
        None => Ok(None),
        Some(v) => codec::decode(v.value())
            .map(Some)
            .map_err(|error| ReadError::Record {
                table: "meta".to_owned(),
                key: key.to_owned(),
                error,
            }),
    }
}

/// The error of a write that would need an id at or above [`ID_LIMIT`].
fn ids_used_up() -> redb::Error {
    redb::Error::Io(std::io::Error::other(crate::tr!(
        "every record id below {limit} is taken: no new record can be added to this file",
        limit = ID_LIMIT
    )))
}

fn read_next_id(
    meta: &impl redb::ReadableTable<&'static str, &'static [u8]>,
) -> Result<Id, redb::Error> {
    // Stored as 8 little-endian bytes; ids start at 1.
    Ok(meta
        .get(META_NEXT_ID)?
        .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
        .map_or(1, u64::from_le_bytes)
        .max(1))
}

/// Reads every table of a file of `schema` into memory, in this build's layout.
fn read_settings(
    meta: &redb::ReadOnlyTable<&str, &[u8]>,
    schema: u32,
) -> Result<Option<Settings>, ReadError> {
    match schema {
        ..4 => Ok(read_meta::<SettingsV3>(meta, META_SETTINGS)?.map(Settings::from)),
        4 => Ok(read_meta::<SettingsV4>(meta, META_SETTINGS)?.map(Settings::from)),
        _ => read_meta(meta, META_SETTINGS),
    }
}

/// The settings alone (what a backup needs to know how many to keep).
pub(super) fn settings(
    db: &impl redb::ReadableDatabase,
    schema: u32,
) -> Result<Option<Settings>, ReadError> {
    read_settings(&db.begin_read()?.open_table(META)?, schema)
}

pub(super) fn load(db: &impl redb::ReadableDatabase, schema: u32) -> Result<Records, ReadError> {
    let txn = db.begin_read()?;
    let meta = txn.open_table(META)?;
    Ok(Records {
        pipelines: read_all(&txn, PIPELINES)?,
        stages: read_all(&txn, STAGES)?,
        lookups: read_all(&txn, LOOKUPS)?,
        accounts: read_all(&txn, ACCOUNTS)?,
        opportunities: read_all_upgraded(&txn, OPPORTUNITIES, |bytes| {
            super::migrate::upgrade_opportunity(bytes, schema)
        })?,
        stage_events: read_all(&txn, STAGE_EVENTS)?,
        settings: read_settings(&meta, schema)?,
        sample: read_meta(&meta, META_SAMPLE)?.unwrap_or_default(),
        first_start_done: read_meta(&meta, META_FIRST_START)?.unwrap_or(false),
        next_id: read_next_id(&meta)?,
        trash: read_all(&txn, TRASH)?,
        saved_filters: read_meta(&meta, META_SAVED_FILTERS)?.unwrap_or_default(),
        saved_reports: read_meta(&meta, META_SAVED_REPORTS)?.unwrap_or_default(),
        list_columns: read_meta(&meta, META_LIST_COLUMNS)?,
        contacts: read_all(&txn, CONTACTS)?,
        leads: read_all(&txn, LEADS)?,
        activities: read_all(&txn, ACTIVITIES)?,
        products: read_all(&txn, PRODUCTS)?,
        currencies: read_all(&txn, CURRENCIES)?,
    })
}

/// Reads one record's history, oldest first.
pub(super) fn history(
    db: &impl redb::ReadableDatabase,
    entity: EntityKind,
    id: Id,
) -> Result<Vec<HistoryEntry>, ReadError> {
    let txn = db.begin_read()?;
    let table = match txn.open_table(HISTORY) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let code = entity_code(entity);
    let mut out = Vec::new();
    for row in table.range((code, id, 0)..=(code, id, u64::MAX))? {
        let (key, value) = row?;
        out.push(
            codec::decode(value.value()).map_err(|error| ReadError::Record {
                table: "history".to_owned(),
                key: format!("{:?}", key.value()),
                error,
            })?,
        );
    }
    Ok(out)
}

/// The open tables of one write transaction. Created by [`super::Store::write`]; everything
/// written through it commits together or not at all.
pub struct Tx<'t> {
    meta: Table<'t, &'static str, &'static [u8]>,
    pipelines: Table<'t, u64, &'static [u8]>,
    stages: Table<'t, u64, &'static [u8]>,
    lookups: Table<'t, u64, &'static [u8]>,
    accounts: Table<'t, u64, &'static [u8]>,
    opportunities: Table<'t, u64, &'static [u8]>,
    stage_events: Table<'t, u64, &'static [u8]>,
    trash: Table<'t, u64, &'static [u8]>,
    contacts: Table<'t, u64, &'static [u8]>,
    leads: Table<'t, u64, &'static [u8]>,
    activities: Table<'t, u64, &'static [u8]>,
    products: Table<'t, u64, &'static [u8]>,
    currencies: Table<'t, u64, &'static [u8]>,
    history: Table<'t, (u8, u64, u64), &'static [u8]>,
    next_id: Id,
    next_id_dirty: bool,
}

impl<'t> Tx<'t> {
    pub(super) fn open(txn: &'t redb::WriteTransaction) -> Result<Self, redb::Error> {
        let meta = txn.open_table(META)?;
        let next_id = read_next_id(&meta)?;
        Ok(Tx {
            meta,
            pipelines: txn.open_table(PIPELINES)?,
            stages: txn.open_table(STAGES)?,
            lookups: txn.open_table(LOOKUPS)?,
            accounts: txn.open_table(ACCOUNTS)?,
            opportunities: txn.open_table(OPPORTUNITIES)?,
            stage_events: txn.open_table(STAGE_EVENTS)?,
            trash: txn.open_table(TRASH)?,
            contacts: txn.open_table(CONTACTS)?,
            leads: txn.open_table(LEADS)?,
            activities: txn.open_table(ACTIVITIES)?,
            products: txn.open_table(PRODUCTS)?,
            currencies: txn.open_table(CURRENCIES)?,
            history: txn.open_table(HISTORY)?,
            next_id,
            next_id_dirty: false,
        })
    }

    /// Writes back the id counter if ids were taken.
    pub(super) fn finish(mut self) -> Result<(), redb::Error> {
        if self.next_id_dirty {
            self.meta
                .insert(META_NEXT_ID, self.next_id.to_le_bytes().as_slice())?;
        }
        Ok(())
    }

    /// Takes a fresh id, unique across all tables. Ids stay below [`ID_LIMIT`]: running out
    /// is an error, never a wrap to 0 (which would write over the first records).
    pub fn new_id(&mut self) -> Result<Id, redb::Error> {
        let id = self.next_id;
        if id >= ID_LIMIT {
            return Err(ids_used_up());
        }
        self.next_id = id + 1;
        self.next_id_dirty = true;
        Ok(id)
    }

    /// The id the next [`Self::new_id`] returns.
    pub fn next_id(&self) -> Id {
        self.next_id
    }

    /// Marks every id up to `last` as taken, for records whose ids were assigned in advance;
    /// an id at or above [`ID_LIMIT`] is refused.
    pub fn take_ids_through(&mut self, last: Id) -> Result<(), redb::Error> {
        if last >= ID_LIMIT {
            return Err(ids_used_up());
        }
        if last >= self.next_id {
            self.next_id = last + 1;
            self.next_id_dirty = true;
        }
        Ok(())
    }

    fn put<T: Serialize>(
        table: &mut Table<'t, u64, &'static [u8]>,
        id: Id,
        value: &T,
    ) -> Result<(), redb::Error> {
        table.insert(id, codec::encode(value).as_slice())?;
        Ok(())
    }

    pub fn put_pipeline(&mut self, p: &Pipeline) -> Result<(), redb::Error> {
        Self::put(&mut self.pipelines, p.id, p)
    }

    pub fn put_stage(&mut self, s: &Stage) -> Result<(), redb::Error> {
        Self::put(&mut self.stages, s.id, s)
    }

    pub fn put_lookup(&mut self, l: &Lookup) -> Result<(), redb::Error> {
        Self::put(&mut self.lookups, l.id, l)
    }

    pub fn put_account(&mut self, a: &Account) -> Result<(), redb::Error> {
        Self::put(&mut self.accounts, a.id, a)
    }

    pub fn put_opportunity(&mut self, o: &Opportunity) -> Result<(), redb::Error> {
        Self::put(&mut self.opportunities, o.id, o)
    }

    /// Creates or replaces an account, contact, lead, activity, product or currency.
    pub fn put_record(&mut self, record: &Record) -> Result<(), redb::Error> {
        let id = record.id();
        match record {
            Record::Account(r) => Self::put(&mut self.accounts, id, r),
            Record::Contact(r) => Self::put(&mut self.contacts, id, r),
            Record::Lead(r) => Self::put(&mut self.leads, id, r),
            Record::Activity(r) => Self::put(&mut self.activities, id, r),
            Record::Product(r) => Self::put(&mut self.products, id, r),
            Record::Currency(r) => Self::put(&mut self.currencies, id, r),
            Record::Pipeline(r) => Self::put(&mut self.pipelines, id, r),
            Record::Stage(r) => Self::put(&mut self.stages, id, r),
            Record::Lookup(r) => Self::put(&mut self.lookups, id, r),
        }
    }

    /// Deletes a record of a kind [`Self::put_record`] writes; other kinds are ignored.
    pub fn delete_record(&mut self, kind: EntityKind, id: Id) -> Result<(), redb::Error> {
        let table = match kind {
            EntityKind::Account => &mut self.accounts,
            EntityKind::Contact => &mut self.contacts,
            EntityKind::Lead => &mut self.leads,
            EntityKind::Activity => &mut self.activities,
            EntityKind::Product => &mut self.products,
            EntityKind::Currency => &mut self.currencies,
            EntityKind::Pipeline => &mut self.pipelines,
            EntityKind::Stage => &mut self.stages,
            EntityKind::Lookup => &mut self.lookups,
            _ => return Ok(()),
        };
        table.remove(id)?;
        Ok(())
    }

    pub fn put_stage_event(&mut self, e: &StageEvent) -> Result<(), redb::Error> {
        Self::put(&mut self.stage_events, e.id, e)
    }

    pub fn put_history(&mut self, h: &HistoryEntry) -> Result<(), redb::Error> {
        self.history.insert(
            (entity_code(h.entity), h.entity_id, h.id),
            codec::encode(h).as_slice(),
        )?;
        Ok(())
    }

    pub fn put_trash(&mut self, entry: &TrashEntry) -> Result<(), redb::Error> {
        Self::put(&mut self.trash, entry.opportunity, entry)
    }

    pub fn delete_trash(&mut self, opportunity: Id) -> Result<(), redb::Error> {
        self.trash.remove(opportunity)?;
        Ok(())
    }

    pub fn delete_lookup(&mut self, id: Id) -> Result<(), redb::Error> {
        self.lookups.remove(id)?;
        Ok(())
    }

    pub fn delete_account(&mut self, id: Id) -> Result<(), redb::Error> {
        self.accounts.remove(id)?;
        Ok(())
    }

    pub fn delete_opportunity(&mut self, id: Id) -> Result<(), redb::Error> {
        self.opportunities.remove(id)?;
        Ok(())
    }

    pub fn delete_stage_event(&mut self, id: Id) -> Result<(), redb::Error> {
        self.stage_events.remove(id)?;
        Ok(())
    }

    /// Moves history entries from record `from` to record `to` (a merge, or its undo): all of
    /// them, or only those in `only`. Returns the ids of the moved entries.
    pub fn move_history(
        &mut self,
        entity: EntityKind,
        from: Id,
        to: Id,
        only: Option<&[Id]>,
    ) -> Result<Vec<Id>, redb::Error> {
        let code = entity_code(entity);
        let mut entries = Vec::new();
        for row in self
            .history
            .range((code, from, 0)..=(code, from, u64::MAX))?
        {
            let (key, value) = row?;
            let id = key.value().2;
            if only.is_none_or(|ids| ids.contains(&id)) {
                entries.push(value.value().to_vec());
            }
        }
        let mut moved = Vec::with_capacity(entries.len());
        for bytes in entries {
            let mut entry: HistoryEntry = codec::decode(&bytes)
                .map_err(|e| redb::Error::Corrupted(format!("history entry: {e}")))?;
            self.history.remove((code, from, entry.id))?;
            entry.entity_id = to;
            self.put_history(&entry)?;
            moved.push(entry.id);
        }
        Ok(moved)
    }

    /// Removes a record's whole history (used when the sample pipeline is cleared).
    pub fn delete_history_of(&mut self, entity: EntityKind, id: Id) -> Result<(), redb::Error> {
        let code = entity_code(entity);
        self.history
            .retain_in((code, id, 0)..=(code, id, u64::MAX), |_, _| false)?;
        Ok(())
    }

    fn put_meta<T: Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), redb::Error> {
        self.meta.insert(key, codec::encode(value).as_slice())?;
        Ok(())
    }

    pub fn put_settings(&mut self, s: &Settings) -> Result<(), redb::Error> {
        self.put_meta(META_SETTINGS, s)
    }

    pub fn put_sample(&mut self, sample: &[(EntityKind, Id)]) -> Result<(), redb::Error> {
        self.put_meta(META_SAMPLE, &sample)
    }

    pub fn put_saved_filters(&mut self, filters: &[SavedFilter]) -> Result<(), redb::Error> {
        self.put_meta(META_SAVED_FILTERS, &filters)
    }

    pub fn put_saved_reports(&mut self, reports: &[SavedReport]) -> Result<(), redb::Error> {
        self.put_meta(META_SAVED_REPORTS, &reports)
    }

    pub fn put_list_columns(&mut self, columns: &[ListColumn]) -> Result<(), redb::Error> {
        self.put_meta(META_LIST_COLUMNS, &columns)
    }

    pub fn put_first_start_done(&mut self) -> Result<(), redb::Error> {
        self.put_meta(META_FIRST_START, &true)
    }
}
