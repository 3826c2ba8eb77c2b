//! The redb tables and the write transaction every change goes through.
//!
//! Every record is framed by [`codec`] with a checksum over its table, its key and its body,
//! verified at every read. What a per-record checksum cannot see — damage to redb's own
//! structure that drops a record, reads one twice, out of order, or an older version of it
//! from a freed page — is guarded at open by the tally (how many records each table holds and
//! the sum of their checksums, kept in `meta` under its own checksum and brought up to date by
//! every transaction) and by keys that must come in strictly increasing order.

use crate::analytics::reports::{ForecastSnapshot, SavedReport};
use std::collections::BTreeMap;

use redb::{ReadableTable, ReadableTableMetadata as _, Table, TableDefinition, TableHandle as _};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::codec::{self, CodecError};
use crate::TxError;
use crate::domain::{
    Account, Activity, ActivityV9, CloseDateChange, Contact, ContactV10, Currency, EntityKind,
    Field, Goal, HistoryEntry, ID_LIMIT, Id, Lead, ListColumn, Lookup, Opportunity, Pipeline,
    Product, Record, SavedFilter, Settings, SettingsV3, SettingsV4, SettingsV6, Stage, StageEvent,
    StageV6,
};
use crate::upgrade::{self, as_is};

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
/// Each change of a deal's expected close date by its history entry's id: an index of the
/// history, written with its entry (from schema 9 on), so pushes are counted without reading
/// the history.
pub(super) const CLOSE_DATES: TableDefinition<u64, &[u8]> = TableDefinition::new("close_dates");
/// History keyed by (entity kind, record id, entry id): one record's history is one range.
pub(super) const HISTORY: TableDefinition<(u8, u64, u64), &[u8]> = TableDefinition::new("history");

/// `meta.app` and `meta.schema` are plain bytes (every Forsat, old or new, must read them to
/// refuse what it does not know); every other value is a framed record.
pub(super) const META_APP: &str = "app";
pub(super) const META_SCHEMA: &str = "schema";
const META_NEXT_ID: &str = "next_id";
pub(super) const META_SETTINGS: &str = "settings";
const META_SAMPLE: &str = "sample";
const META_FIRST_START: &str = "first_start_done";
const META_SAVED_FILTERS: &str = "saved_filters";
const META_SAVED_REPORTS: &str = "saved_reports";
const META_LIST_COLUMNS: &str = "list_columns";
/// The forecasts kept at the start of periods (from schema 7 on).
const META_FORECASTS: &str = "forecast_snapshots";
/// The goals (from schema 8 on).
const META_GOALS: &str = "goals";
/// The moment (the system's clock) up to which activities due were reminded (from schema 11).
const META_REMINDED: &str = "reminded_through";
/// The iCalendar file kept up to date with the activities (from schema 11).
const META_CALENDAR_FILE: &str = "calendar_file";
/// The [`Tally`] (from schema 6 on).
const META_TALLY: &str = "tally";

/// The value of `meta.app` in every Forsat database.
pub(super) const APP_TAG: &[u8] = b"forsat";
/// The schema this build writes; older ones are migrated on open, newer ones refused.
pub const SCHEMA_VERSION: u32 = 11;
/// The first schema whose records carry a checksum (and whose meta holds a tally).
const CHECKSUM_SCHEMA: u32 = 6;
/// The first schema whose stages carry their forecast category.
const FORECAST_SCHEMA: u32 = 7;
/// The first schema whose meta may hold goals.
const GOALS_SCHEMA: u32 = 8;
/// The first schema whose activities carry a time, a duration, notes, an owner and a UID.
const PLANNER_SCHEMA: u32 = 10;
/// The first schema whose contacts carry several emails and phones and notes.
const CONTACTS_SCHEMA: u32 = 11;
/// The code of a deal's history entries.
const DEAL_CODE: u8 = 5;

fn entity_code(kind: EntityKind) -> u8 {
    match kind {
        EntityKind::Pipeline => 1,
        EntityKind::Stage => 2,
        EntityKind::Lookup => 3,
        EntityKind::Account => 4,
        EntityKind::Opportunity => DEAL_CODE,
        EntityKind::SavedFilter => 6,
        EntityKind::Settings => 7,
        EntityKind::Contact => 8,
        EntityKind::Lead => 9,
        EntityKind::Activity => 10,
        EntityKind::Product => 11,
        EntityKind::Currency => 12,
        EntityKind::SavedReport => 13,
        EntityKind::Goal => 14,
    }
}

/// A table's key as the bytes its records' checksums cover: an id in little-endian, a meta
/// key's UTF-8, a history key's fields in turn.
pub(super) trait RecordKey: Copy + std::fmt::Debug {
    type Bytes: AsRef<[u8]>;
    fn bytes(self) -> Self::Bytes;
}

impl RecordKey for u64 {
    type Bytes = [u8; 8];
    fn bytes(self) -> [u8; 8] {
        self.to_le_bytes()
    }
}

impl<'a> RecordKey for &'a str {
    type Bytes = &'a [u8];
    fn bytes(self) -> &'a [u8] {
        self.as_bytes()
    }
}

impl RecordKey for (u8, u64, u64) {
    type Bytes = [u8; 17];
    fn bytes(self) -> [u8; 17] {
        let mut out = [0; 17];
        out[0] = self.0;
        out[1..9].copy_from_slice(&self.1.to_le_bytes());
        out[9..].copy_from_slice(&self.2.to_le_bytes());
        out
    }
}

/// `value` as the record of `table` under `key`.
pub(super) fn seal<T: Serialize>(table: &str, key: impl RecordKey, value: &T) -> Vec<u8> {
    codec::encode(table, key.bytes().as_ref(), value)
}

/// The record of `table` under `key`, its checksum verified.
pub(super) fn unseal<T: DeserializeOwned>(
    table: &str,
    key: impl RecordKey,
    bytes: &[u8],
) -> Result<T, ReadError> {
    codec::decode(table, key.bytes().as_ref(), bytes)
        .map_err(|error| record_error(table, key, error))
}

/// The record of `table` under `key` as a file of schema 5 or older holds it (no checksum).
pub(super) fn unseal_legacy<T: DeserializeOwned>(
    table: &str,
    key: impl RecordKey,
    bytes: &[u8],
) -> Result<T, ReadError> {
    codec::decode_legacy(bytes).map_err(|error| record_error(table, key, error))
}

/// The record of `table` under `key` in a file of `schema`.
fn read_record<T: DeserializeOwned>(
    schema: u32,
    table: &str,
    key: impl RecordKey,
    bytes: &[u8],
) -> Result<T, ReadError> {
    if schema >= CHECKSUM_SCHEMA {
        unseal(table, key, bytes)
    } else {
        unseal_legacy(table, key, bytes)
    }
}

fn record_error(table: &str, key: impl RecordKey, error: CodecError) -> ReadError {
    ReadError::Record {
        table: table.to_owned(),
        key: format!("{key:?}"),
        error,
    }
}

/// How many records each table of a file holds, the sum of their checksums, and its schema:
/// kept in `meta` under its own checksum, brought up to date by every write transaction, and
/// compared with what is read at open. Damage to redb's structure (a branch page, a length)
/// that drops, repeats or rolls back records passes every record's checksum, but not these.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Tally {
    /// A copy of `meta.schema`, which stays plain bytes so that every Forsat can read it. It
    /// stays the first field: an older Forsat compares it to tell damage from a newer file.
    schema: u32,
    /// Records per table, by table name; `meta`'s own entries included.
    records: BTreeMap<String, u64>,
    /// The wrapping sum of the checksums the records of each table carry ([`Sums`]).
    sums: Sums,
}

/// The wrapping sum of the checksums a table's records carry, by table name: an older version
/// of a record (a freed page read as current) carries another. The history, read one record at
/// a time, and the plain and tally values of `meta` are not summed.
type Sums = BTreeMap<String, u64>;

/// The checksum a framed record carries.
fn carried(bytes: &[u8]) -> u64 {
    bytes.get(1..5).map_or(0, |c| {
        u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    })
}

/// Brings `table`'s sum up to date when a record carrying the checksum `removed` (0: none) is
/// replaced by one carrying `added` (0: none).
fn account(sums: &mut Sums, table: &str, removed: u64, added: u64) {
    let sum = match sums.get_mut(table) {
        Some(sum) => sum,
        None => sums.entry(table.to_owned()).or_default(),
    };
    *sum = sum.wrapping_sub(removed).wrapping_add(added);
}

/// Whether a value of `meta` is summed: not the plain ones, nor the tally itself.
fn summed(key: &str) -> bool {
    ![META_APP, META_SCHEMA, META_TALLY].contains(&key)
}

impl Tally {
    /// Refuses a table of which `read` records were found (their checksums summing to `sum`,
    /// when they were read) where the tally counted others.
    fn check(&self, table: &str, read: u64, sum: Option<u64>) -> Result<(), ReadError> {
        let written = self.records.get(table).copied().unwrap_or(0);
        let detail = if read != written {
            format!("{read} records were found where {written} were written")
        } else if sum.is_some_and(|sum| sum != self.sums.get(table).copied().unwrap_or(0)) {
            "its records are not the ones last written".to_owned()
        } else {
            return Ok(());
        };
        Err(ReadError::Structure {
            table: table.to_owned(),
            detail,
        })
    }
}

/// Everything a database holds except the history, which is read one record at a time.
#[derive(Debug, Default, Clone)]
pub struct Records {
    pub pipelines: Vec<Pipeline>,
    pub stages: Vec<Stage>,
    pub lookups: Vec<Lookup>,
    pub accounts: Vec<Account>,
    /// Boxed as they are read: the workspace keeps each deal in a box of its own, and a
    /// million read inline then moved into boxes held both at once.
    pub opportunities: Vec<Box<Opportunity>>,
    pub stage_events: Vec<StageEvent>,
    /// Every change of a deal's expected close date, in id order.
    pub close_dates: Vec<CloseDateChange>,
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
    /// The forecasts kept at the start of periods.
    pub forecasts: Vec<ForecastSnapshot>,
    pub goals: Vec<Goal>,
    /// Up to when the activities due were reminded, once the window has reminded any.
    pub reminded_through: Option<chrono::NaiveDateTime>,
    /// The iCalendar file kept up to date with the activities, when one is.
    pub calendar_file: Option<std::path::PathBuf>,
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
    /// The table as a whole is not what was written: records missing, repeated or out of order.
    Structure {
        table: String,
        detail: String,
    },
}

impl<E: Into<redb::Error>> From<E> for ReadError {
    fn from(e: E) -> Self {
        ReadError::Storage(e.into())
    }
}

/// Reads every record of a table of a file of `schema`, each checked, their keys in strictly
/// increasing order and as many as the tally counted.
fn read_all<T: DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: TableDefinition<u64, &[u8]>,
    schema: u32,
    tally: Option<&Tally>,
) -> Result<Vec<T>, ReadError> {
    read_all_upgraded(txn, def, schema, tally, as_is)
}

/// [`read_all`] for a table whose records of old schemas `upgrade` brings to this build's
/// layout first.
fn read_all_upgraded<T: DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: TableDefinition<u64, &[u8]>,
    schema: u32,
    tally: Option<&Tally>,
    upgrade: impl Fn(&[u8]) -> std::borrow::Cow<'_, [u8]>,
) -> Result<Vec<T>, ReadError> {
    let name = def.name();
    let table = match txn.open_table(def) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return tally
                .map_or(Ok(()), |t| t.check(name, 0, Some(0)))
                .map(|()| Vec::new());
        }
        Err(e) => return Err(e.into()),
    };
    // redb's length is not covered by any checksum: the tally's is, when there is one.
    let expected = tally.map_or(table.len()?, |t| t.records.get(name).copied().unwrap_or(0));
    let mut out = Vec::with_capacity(usize::try_from(expected.min(table.len()?)).unwrap_or(0));
    let mut last = None;
    let mut sum = 0u64;
    for row in table.iter()? {
        let (key, value) = row?;
        let key = key.value();
        if last.is_some_and(|last| key <= last) {
            return Err(ReadError::Structure {
                table: name.to_owned(),
                detail: format!("record {key} comes after record {}", last.unwrap_or(key)),
            });
        }
        last = Some(key);
        out.push(read_record(schema, name, key, &upgrade(value.value()))?);
        sum = sum.wrapping_add(carried(value.value()));
    }
    if let Some(tally) = tally {
        tally.check(name, out.len() as u64, Some(sum))?;
    }
    Ok(out)
}

/// The settings of a file of `schema`, in this build's layout.
fn read_settings(schema: u32, bytes: &[u8]) -> Result<Settings, ReadError> {
    let key = META_SETTINGS;
    match schema {
        ..4 => unseal_legacy::<SettingsV3>(META.name(), key, bytes).map(Settings::from),
        4 => unseal_legacy::<SettingsV4>(META.name(), key, bytes).map(Settings::from),
        5 => unseal_legacy::<SettingsV6>(META.name(), key, bytes).map(Settings::from),
        6 => unseal::<SettingsV6>(META.name(), key, bytes).map(Settings::from),
        _ => unseal(META.name(), key, bytes),
    }
}

/// The settings alone (what a backup needs to know how many to keep).
pub(super) fn settings(
    db: &impl redb::ReadableDatabase,
    schema: u32,
) -> Result<Option<Settings>, ReadError> {
    let txn = db.begin_read()?;
    let meta = txn.open_table(META)?;
    let Some(bytes) = meta.get(META_SETTINGS)? else {
        return Ok(None);
    };
    read_settings(schema, bytes.value()).map(Some)
}

/// The id counter as a file of schema 5 or older holds it: 8 little-endian bytes.
fn legacy_next_id(bytes: &[u8]) -> Result<Id, ReadError> {
    <[u8; 8]>::try_from(bytes)
        .map(u64::from_le_bytes)
        .map_err(|_| {
            record_error(
                META.name(),
                META_NEXT_ID,
                CodecError::Malformed(format!("{} bytes where 8 were expected", bytes.len())),
            )
        })
}

/// Reads the values of `meta` into `records`, each checked: every key must be one this build
/// knows, and from schema 6 on there must be as many as the tally counted. Returns the tally.
pub(super) fn read_meta(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
    schema: u32,
    records: &mut Records,
) -> Result<Option<Tally>, ReadError> {
    let table = META.name();
    let mut tally = None;
    let mut count = 0u64;
    let mut sum = 0u64;
    let mut last: Option<String> = None;
    for row in meta.iter()? {
        let (key, value) = row?;
        let (key, bytes) = (key.value(), value.value());
        if last.as_deref().is_some_and(|last| key <= last) {
            return Err(ReadError::Structure {
                table: table.to_owned(),
                detail: format!("record {key:?} is out of order"),
            });
        }
        last = Some(key.to_owned());
        count += 1;
        if summed(key) {
            sum = sum.wrapping_add(carried(bytes));
        }
        match key {
            // Plain bytes, checked by `check_meta` and vouched for by the tally (`vouch`).
            META_APP | META_SCHEMA => {}
            META_TALLY if schema >= CHECKSUM_SCHEMA => tally = Some(unseal(table, key, bytes)?),
            META_NEXT_ID if schema >= CHECKSUM_SCHEMA => {
                records.next_id = unseal::<Id>(table, key, bytes)?;
            }
            META_NEXT_ID => records.next_id = legacy_next_id(bytes)?,
            META_SETTINGS => records.settings = Some(read_settings(schema, bytes)?),
            META_SAMPLE => records.sample = read_record(schema, table, key, bytes)?,
            META_FIRST_START => records.first_start_done = read_record(schema, table, key, bytes)?,
            META_SAVED_FILTERS => records.saved_filters = read_record(schema, table, key, bytes)?,
            META_SAVED_REPORTS => records.saved_reports = read_record(schema, table, key, bytes)?,
            META_LIST_COLUMNS => {
                records.list_columns = Some(read_record(schema, table, key, bytes)?);
            }
            META_FORECASTS if schema >= FORECAST_SCHEMA => {
                records.forecasts = read_record(schema, table, key, bytes)?;
            }
            META_GOALS if schema >= GOALS_SCHEMA => {
                records.goals = read_record(schema, table, key, bytes)?;
            }
            META_REMINDED if schema >= CONTACTS_SCHEMA => {
                records.reminded_through = Some(read_record(schema, table, key, bytes)?);
            }
            META_CALENDAR_FILE if schema >= CONTACTS_SCHEMA => {
                records.calendar_file = read_record(schema, table, key, bytes)?;
            }
            // No key was ever retired: another is damage (a flipped bit in a key).
            other => {
                return Err(ReadError::Structure {
                    table: table.to_owned(),
                    detail: format!("it holds a record {other:?} this version does not know"),
                });
            }
        }
    }
    records.next_id = records.next_id.max(1);
    if schema < CHECKSUM_SCHEMA {
        return Ok(None);
    }
    let tally: Tally = tally.ok_or_else(|| ReadError::Structure {
        table: table.to_owned(),
        detail: "its tally of records is missing".to_owned(),
    })?;
    tally.check(table, count, Some(sum))?;
    Ok(Some(tally))
}

/// From schema 6 on, the tally's checksum vouches for the two plain values of `meta`: an app
/// tag or a schema number that differs from it is damage, not another program's file or a
/// newer Forsat's. Files without a tally (older, foreign or newer) are left to `check_meta`.
pub(super) fn vouch(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<(), ReadError> {
    let schema = meta
        .get(META_SCHEMA)?
        .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
        .map(u32::from_le_bytes);
    let ours = meta.get(META_APP)?.is_some_and(|v| v.value() == APP_TAG);
    let damaged = |key: &str, detail: String| ReadError::Structure {
        table: META.name().to_owned(),
        detail: format!("record {key:?} {detail}"),
    };
    let Some(bytes) = meta.get(META_TALLY)? else {
        return match schema {
            Some(s) if ours && (CHECKSUM_SCHEMA..=SCHEMA_VERSION).contains(&s) => {
                Err(damaged(META_TALLY, "is missing".to_owned()))
            }
            _ => Ok(()),
        };
    };
    match unseal::<Tally>(META.name(), META_TALLY, bytes.value()) {
        Ok(_) if !ours => Err(damaged(
            META_APP,
            format!("does not hold {:?}", String::from_utf8_lossy(APP_TAG)),
        )),
        Ok(tally) if schema != Some(tally.schema) => Err(damaged(
            META_SCHEMA,
            format!("says {schema:?} where the tally says {}", tally.schema),
        )),
        Ok(_) => Ok(()),
        // A newer Forsat may keep its tally otherwise.
        Err(_) if schema.is_some_and(|s| s > SCHEMA_VERSION) => Ok(()),
        Err(e) => Err(e),
    }
}

pub(super) fn load(db: &impl redb::ReadableDatabase, schema: u32) -> Result<Records, ReadError> {
    let txn = db.begin_read()?;
    let mut records = Records::default();
    let tally = read_meta(&txn.open_table(META)?, schema, &mut records)?;
    let tally = tally.as_ref();
    // The deals are read on a second core while this one reads the rest (as much work at a
    // million deals: the stage moves outnumber them).
    let (deals, rest) = std::thread::scope(|scope| {
        let deals = scope.spawn(|| {
            super::quietly(|| {
                read_all_upgraded(&txn, OPPORTUNITIES, schema, tally, |bytes| {
                    upgrade::opportunity(bytes, schema)
                })
            })
        });
        let rest = load_rest(&txn, schema, tally, &mut records);
        (
            deals
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            rest,
        )
    });
    records.opportunities = deals?;
    rest?;
    // The history is read one record at a time, each entry checked then; its length is not.
    if let Some(tally) = tally {
        let length = match txn.open_table(HISTORY) {
            Ok(t) => t.len()?,
            Err(redb::TableError::TableDoesNotExist(_)) => 0,
            Err(e) => return Err(e.into()),
        };
        tally.check(HISTORY.name(), length, None)?;
    }
    Ok(records)
}

/// Every table of [`load`] but the deals and the history.
fn load_rest(
    txn: &redb::ReadTransaction,
    schema: u32,
    tally: Option<&Tally>,
    records: &mut Records,
) -> Result<(), ReadError> {
    records.pipelines = read_all(txn, PIPELINES, schema, tally)?;
    records.stages = if schema < FORECAST_SCHEMA {
        let old: Vec<StageV6> = read_all(txn, STAGES, schema, tally)?;
        old.into_iter().map(Stage::from).collect()
    } else {
        read_all(txn, STAGES, schema, tally)?
    };
    records.lookups = read_all(txn, LOOKUPS, schema, tally)?;
    records.accounts = read_all(txn, ACCOUNTS, schema, tally)?;
    records.stage_events = read_all(txn, STAGE_EVENTS, schema, tally)?;
    records.close_dates = read_all(txn, CLOSE_DATES, schema, tally)?;
    records.trash = read_all(txn, TRASH, schema, tally)?;
    records.contacts = if schema < CONTACTS_SCHEMA {
        let old: Vec<ContactV10> = read_all(txn, CONTACTS, schema, tally)?;
        old.into_iter().map(Contact::from).collect()
    } else {
        read_all(txn, CONTACTS, schema, tally)?
    };
    records.leads = read_all(txn, LEADS, schema, tally)?;
    records.activities = if schema < PLANNER_SCHEMA {
        let old: Vec<ActivityV9> = read_all(txn, ACTIVITIES, schema, tally)?;
        old.into_iter().map(Activity::from).collect()
    } else {
        read_all(txn, ACTIVITIES, schema, tally)?
    };
    records.products = read_all(txn, PRODUCTS, schema, tally)?;
    records.currencies = read_all(txn, CURRENCIES, schema, tally)?;
    Ok(())
}

/// Reads one record's history, oldest first; with `of` None, every entry of every record,
/// each checked, in order, and counted against the tally, keeping none: an entry that damage to
/// redb's own pages hides from a record's read is found only so (run before the whole history
/// is written out).
pub(super) fn history(
    db: &impl redb::ReadableDatabase,
    of: Option<(EntityKind, Id)>,
) -> Result<Vec<HistoryEntry>, ReadError> {
    let txn = db.begin_read()?;
    let tally = match of {
        Some(_) => None,
        None => read_meta(
            &txn.open_table(META)?,
            SCHEMA_VERSION,
            &mut Records::default(),
        )?,
    };
    let table = match txn.open_table(HISTORY) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return tally
                .map_or(Ok(()), |t| t.check(HISTORY.name(), 0, None))
                .map(|()| Vec::new());
        }
        Err(e) => return Err(e.into()),
    };
    let range = match of {
        Some((entity, id)) => {
            let code = entity_code(entity);
            (code, id, 0)..=(code, id, u64::MAX)
        }
        None => (0, 0, 0)..=(u8::MAX, u64::MAX, u64::MAX),
    };
    let mut out = Vec::new();
    let mut count = 0u64;
    let mut last = None;
    for row in table.range(range.clone())? {
        let (key, value) = row?;
        let key = key.value();
        if !range.contains(&key) || last.is_some_and(|last| key <= last) {
            return Err(ReadError::Structure {
                table: HISTORY.name().to_owned(),
                detail: format!("record {key:?} is out of order"),
            });
        }
        last = Some(key);
        count += 1;
        let entry = unseal(HISTORY.name(), key, value.value())?;
        if of.is_some() {
            out.push(entry);
        }
    }
    if let Some(tally) = tally {
        tally.check(HISTORY.name(), count, None)?;
    }
    Ok(out)
}

/// The close-date change a history entry records, if it is one: a deal's `expected_close`.
pub(super) fn close_date_change(h: &HistoryEntry) -> Option<CloseDateChange> {
    (h.entity == EntityKind::Opportunity && h.field == Field::ExpectedClose.key())
        .then(|| CloseDateChange::of_entry(h.id, h.entity_id, (&h.old, &h.new), h.at))
}

/// Writes what a new file starts with: its app tag, its schema and its (empty) tables.
pub(super) fn create(txn: &redb::WriteTransaction) -> Result<(), redb::Error> {
    {
        let mut meta = txn.open_table(META)?;
        meta.insert(META_APP, APP_TAG)?;
        meta.insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    }
    Tx::open(txn)?.finish()
}
/// The error of a write that would need an id at or above [`ID_LIMIT`].
fn ids_used_up() -> TxError {
    TxError(redb::Error::Io(std::io::Error::other(crate::tr!(
        "every record id below {limit} is taken: no new record can be added to this file",
        limit = ID_LIMIT
    ))))
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
    close_dates: Table<'t, u64, &'static [u8]>,
    trash: Table<'t, u64, &'static [u8]>,
    contacts: Table<'t, u64, &'static [u8]>,
    leads: Table<'t, u64, &'static [u8]>,
    activities: Table<'t, u64, &'static [u8]>,
    products: Table<'t, u64, &'static [u8]>,
    currencies: Table<'t, u64, &'static [u8]>,
    history: Table<'t, (u8, u64, u64), &'static [u8]>,
    next_id: Id,
    next_id_dirty: bool,
    /// The tally's sums, brought up to date by every put and delete.
    sums: Sums,
    /// The close-date changes written and removed, for memory once committed.
    close_journal: Vec<CloseEdit>,
}

/// What a transaction did to the close-date changes ([`Tx::take_close_journal`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseEdit {
    Put(CloseDateChange),
    /// The change `id` of deal `opportunity` is gone (its history moved or deleted).
    Remove {
        opportunity: Id,
        id: Id,
    },
}

/// A damaged record met while writing, as redb's own error (the write is abandoned).
fn damaged(e: ReadError) -> redb::Error {
    match e {
        ReadError::Storage(e) => e,
        ReadError::Record { table, key, error } => {
            redb::Error::Corrupted(format!("{table} record {key}: {error}"))
        }
        ReadError::Structure { table, detail } => {
            redb::Error::Corrupted(format!("{table} table: {detail}"))
        }
    }
}

impl<'t> Tx<'t> {
    pub(super) fn open(txn: &'t redb::WriteTransaction) -> Result<Self, redb::Error> {
        let meta = txn.open_table(META)?;
        // Ids start at 1.
        let next_id = match meta.get(META_NEXT_ID)? {
            Some(v) => unseal::<Id>(META.name(), META_NEXT_ID, v.value())
                .map_err(damaged)?
                .max(1),
            None => 1,
        };
        let sums = match meta.get(META_TALLY)? {
            Some(v) => {
                unseal::<Tally>(META.name(), META_TALLY, v.value())
                    .map_err(damaged)?
                    .sums
            }
            None => Sums::new(),
        };
        let mut tx = Tx {
            meta,
            pipelines: txn.open_table(PIPELINES)?,
            stages: txn.open_table(STAGES)?,
            lookups: txn.open_table(LOOKUPS)?,
            accounts: txn.open_table(ACCOUNTS)?,
            opportunities: txn.open_table(OPPORTUNITIES)?,
            stage_events: txn.open_table(STAGE_EVENTS)?,
            close_dates: txn.open_table(CLOSE_DATES)?,
            trash: txn.open_table(TRASH)?,
            contacts: txn.open_table(CONTACTS)?,
            leads: txn.open_table(LEADS)?,
            activities: txn.open_table(ACTIVITIES)?,
            products: txn.open_table(PRODUCTS)?,
            currencies: txn.open_table(CURRENCIES)?,
            history: txn.open_table(HISTORY)?,
            next_id,
            next_id_dirty: false,
            sums,
            close_journal: Vec::new(),
        };
        if tx.sums.is_empty() {
            // A new file, or one just migrated: summed once, kept up to date from then on.
            tx.sums = tx.sum_all()?;
        }
        Ok(tx)
    }

    /// The sums of every table as they are, read record by record.
    fn sum_all(&self) -> Result<Sums, redb::Error> {
        let mut sums = Sums::new();
        for table in self.id_tables() {
            for row in table.iter()? {
                account(&mut sums, table.name(), 0, carried(row?.1.value()));
            }
        }
        for row in self.meta.iter()? {
            let (key, value) = row?;
            if summed(key.value()) {
                account(&mut sums, self.meta.name(), 0, carried(value.value()));
            }
        }
        Ok(sums)
    }

    /// Every table keyed by id.
    fn id_tables(&self) -> [&Table<'t, u64, &'static [u8]>; 13] {
        [
            &self.pipelines,
            &self.stages,
            &self.lookups,
            &self.accounts,
            &self.opportunities,
            &self.stage_events,
            &self.close_dates,
            &self.trash,
            &self.contacts,
            &self.leads,
            &self.activities,
            &self.products,
            &self.currencies,
        ]
    }

    /// Writes back the id counter if ids were taken, and the tally of what the file now holds.
    pub(super) fn finish(mut self) -> Result<(), redb::Error> {
        if self.next_id_dirty {
            let next_id = self.next_id;
            self.put_meta(META_NEXT_ID, &next_id)?;
        }
        let mut records = BTreeMap::new();
        for table in self.id_tables() {
            records.insert(table.name().to_owned(), table.len()?);
        }
        records.insert(self.history.name().to_owned(), self.history.len()?);
        let has_tally = self.meta.get(META_TALLY)?.is_some();
        records.insert(
            self.meta.name().to_owned(),
            self.meta.len()? + u64::from(!has_tally),
        );
        let tally = Tally {
            schema: SCHEMA_VERSION,
            records,
            sums: std::mem::take(&mut self.sums),
        };
        Ok(self.put_meta(META_TALLY, &tally)?)
    }

    /// Takes a fresh id, unique across all tables. Ids stay below [`ID_LIMIT`]: running out
    /// is an error, never a wrap to 0 (which would write over the first records).
    pub fn new_id(&mut self) -> Result<Id, TxError> {
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
    pub fn take_ids_through(&mut self, last: Id) -> Result<(), TxError> {
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
        sums: &mut Sums,
        id: Id,
        value: &T,
    ) -> Result<(), TxError> {
        let bytes = seal(table.name(), id, value);
        let old = table
            .insert(id, bytes.as_slice())?
            .map(|v| carried(v.value()));
        account(sums, table.name(), old.unwrap_or(0), carried(&bytes));
        Ok(())
    }

    fn remove(
        table: &mut Table<'t, u64, &'static [u8]>,
        sums: &mut Sums,
        id: Id,
    ) -> Result<(), TxError> {
        let old = table.remove(id)?.map(|v| carried(v.value()));
        account(sums, table.name(), old.unwrap_or(0), 0);
        Ok(())
    }

    pub fn put_pipeline(&mut self, p: &Pipeline) -> Result<(), TxError> {
        Self::put(&mut self.pipelines, &mut self.sums, p.id, p)
    }

    pub fn put_stage(&mut self, s: &Stage) -> Result<(), TxError> {
        Self::put(&mut self.stages, &mut self.sums, s.id, s)
    }

    pub fn put_lookup(&mut self, l: &Lookup) -> Result<(), TxError> {
        Self::put(&mut self.lookups, &mut self.sums, l.id, l)
    }

    pub fn put_account(&mut self, a: &Account) -> Result<(), TxError> {
        Self::put(&mut self.accounts, &mut self.sums, a.id, a)
    }

    pub fn put_opportunity(&mut self, o: &Opportunity) -> Result<(), TxError> {
        Self::put(&mut self.opportunities, &mut self.sums, o.id, o)
    }

    /// Creates or replaces an account, contact, lead, activity, product or currency.
    pub fn put_record(&mut self, record: &Record) -> Result<(), TxError> {
        let id = record.id();
        match record {
            Record::Account(r) => Self::put(&mut self.accounts, &mut self.sums, id, r),
            Record::Contact(r) => Self::put(&mut self.contacts, &mut self.sums, id, r),
            Record::Lead(r) => Self::put(&mut self.leads, &mut self.sums, id, r),
            Record::Activity(r) => Self::put(&mut self.activities, &mut self.sums, id, r),
            Record::Product(r) => Self::put(&mut self.products, &mut self.sums, id, r),
            Record::Currency(r) => Self::put(&mut self.currencies, &mut self.sums, id, r),
            Record::Pipeline(r) => Self::put(&mut self.pipelines, &mut self.sums, id, r),
            Record::Stage(r) => Self::put(&mut self.stages, &mut self.sums, id, r),
            Record::Lookup(r) => Self::put(&mut self.lookups, &mut self.sums, id, r),
        }
    }

    /// Deletes a record of a kind [`Self::put_record`] writes; other kinds are ignored.
    pub fn delete_record(&mut self, kind: EntityKind, id: Id) -> Result<(), TxError> {
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
        Self::remove(table, &mut self.sums, id)
    }

    pub fn put_stage_event(&mut self, e: &StageEvent) -> Result<(), TxError> {
        Self::put(&mut self.stage_events, &mut self.sums, e.id, e)
    }

    /// Writes a history entry; one of a deal's close date goes to the close-date changes too.
    pub fn put_history(&mut self, h: &HistoryEntry) -> Result<(), TxError> {
        let key = (entity_code(h.entity), h.entity_id, h.id);
        self.history
            .insert(key, seal(HISTORY.name(), key, h).as_slice())?;
        if let Some(change) = close_date_change(h) {
            Self::put(&mut self.close_dates, &mut self.sums, change.id, &change)?;
            self.close_journal.push(CloseEdit::Put(change));
        }
        Ok(())
    }

    /// Takes the entry `key` out of the close-date changes, if it is one.
    fn remove_close_date(&mut self, (code, opportunity, id): (u8, Id, Id)) -> Result<(), TxError> {
        if code == DEAL_CODE && self.close_dates.get(id)?.is_some() {
            Self::remove(&mut self.close_dates, &mut self.sums, id)?;
            self.close_journal
                .push(CloseEdit::Remove { opportunity, id });
        }
        Ok(())
    }

    /// Fills the close-date changes from the deals' history as it is (a file of schema 8);
    /// returns them in id order.
    pub(super) fn index_close_dates(&mut self) -> Result<Vec<CloseDateChange>, ReadError> {
        let mut found = Vec::new();
        let deals = (DEAL_CODE, 0, 0)..=(DEAL_CODE, u64::MAX, u64::MAX);
        for row in self.history.range(deals)? {
            let (key, value) = row?;
            let entry: HistoryEntry = unseal(HISTORY.name(), key.value(), value.value())?;
            found.extend(close_date_change(&entry));
        }
        for change in &found {
            Self::put(&mut self.close_dates, &mut self.sums, change.id, change)
                .map_err(|e| ReadError::Storage(e.into()))?;
        }
        found.sort_unstable_by_key(|c| c.id);
        Ok(found)
    }

    /// What this transaction did to the close-date changes so far, for memory.
    pub fn take_close_journal(&mut self) -> Vec<CloseEdit> {
        std::mem::take(&mut self.close_journal)
    }

    pub fn put_trash(&mut self, entry: &TrashEntry) -> Result<(), TxError> {
        Self::put(&mut self.trash, &mut self.sums, entry.opportunity, entry)
    }

    pub fn delete_trash(&mut self, opportunity: Id) -> Result<(), TxError> {
        Self::remove(&mut self.trash, &mut self.sums, opportunity)?;
        Ok(())
    }

    pub fn delete_lookup(&mut self, id: Id) -> Result<(), TxError> {
        Self::remove(&mut self.lookups, &mut self.sums, id)?;
        Ok(())
    }

    pub fn delete_account(&mut self, id: Id) -> Result<(), TxError> {
        Self::remove(&mut self.accounts, &mut self.sums, id)?;
        Ok(())
    }

    pub fn delete_opportunity(&mut self, id: Id) -> Result<(), TxError> {
        Self::remove(&mut self.opportunities, &mut self.sums, id)?;
        Ok(())
    }

    pub fn delete_stage_event(&mut self, id: Id) -> Result<(), TxError> {
        Self::remove(&mut self.stage_events, &mut self.sums, id)?;
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
    ) -> Result<Vec<Id>, TxError> {
        let code = entity_code(entity);
        let mut entries = Vec::new();
        for row in self
            .history
            .range((code, from, 0)..=(code, from, u64::MAX))?
        {
            let (key, value) = row?;
            let key = key.value();
            if only.is_none_or(|ids| ids.contains(&key.2)) {
                let entry: HistoryEntry =
                    unseal(HISTORY.name(), key, value.value()).map_err(damaged)?;
                entries.push((key, entry));
            }
        }
        let mut moved = Vec::with_capacity(entries.len());
        for (key, mut entry) in entries {
            self.history.remove(key)?;
            self.remove_close_date(key)?;
            entry.entity_id = to;
            self.put_history(&entry)?;
            moved.push(entry.id);
        }
        Ok(moved)
    }

    /// Removes a record's whole history (used when the sample pipeline is cleared).
    pub fn delete_history_of(&mut self, entity: EntityKind, id: Id) -> Result<(), TxError> {
        let code = entity_code(entity);
        let range = (code, id, 0)..=(code, id, u64::MAX);
        let keys = (self.history.range(range.clone())?)
            .map(|row| row.map(|(key, _)| key.value()))
            .collect::<Result<Vec<_>, _>>()?;
        for key in keys {
            self.remove_close_date(key)?;
        }
        self.history.retain_in(range, |_, _| false)?;
        Ok(())
    }

    fn put_meta<T: Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), TxError> {
        let bytes = seal(META.name(), key, value);
        let old = self
            .meta
            .insert(key, bytes.as_slice())?
            .map(|v| carried(v.value()));
        if summed(key) {
            account(
                &mut self.sums,
                self.meta.name(),
                old.unwrap_or(0),
                carried(&bytes),
            );
        }
        Ok(())
    }

    pub fn put_settings(&mut self, s: &Settings) -> Result<(), TxError> {
        self.put_meta(META_SETTINGS, s)
    }

    pub fn put_sample(&mut self, sample: &[(EntityKind, Id)]) -> Result<(), TxError> {
        self.put_meta(META_SAMPLE, &sample)
    }

    pub fn put_saved_filters(&mut self, filters: &[SavedFilter]) -> Result<(), TxError> {
        self.put_meta(META_SAVED_FILTERS, &filters)
    }

    pub fn put_saved_reports(&mut self, reports: &[SavedReport]) -> Result<(), TxError> {
        self.put_meta(META_SAVED_REPORTS, &reports)
    }

    pub fn put_list_columns(&mut self, columns: &[ListColumn]) -> Result<(), TxError> {
        self.put_meta(META_LIST_COLUMNS, &columns)
    }

    pub fn put_forecasts(&mut self, snapshots: &[ForecastSnapshot]) -> Result<(), TxError> {
        self.put_meta(META_FORECASTS, &snapshots)
    }

    pub fn put_goals(&mut self, goals: &[Goal]) -> Result<(), TxError> {
        self.put_meta(META_GOALS, &goals)
    }

    pub fn put_first_start_done(&mut self) -> Result<(), TxError> {
        self.put_meta(META_FIRST_START, &true)
    }

    pub fn put_reminded_through(&mut self, at: chrono::NaiveDateTime) -> Result<(), TxError> {
        self.put_meta(META_REMINDED, &at)
    }

    pub fn put_calendar_file(&mut self, path: Option<&std::path::Path>) -> Result<(), TxError> {
        self.put_meta(META_CALENDAR_FILE, &path)
    }
}
