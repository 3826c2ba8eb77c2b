//! Every record carries a checksum over its table, key and body, checked at every read: damaged
//! data is refused (naming the table and the key), never shown. An old file's records are
//! framed again by the migration and read back equal.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use forsat_core::analytics::reports::SavedReport;
use forsat_core::domain::{
    Account, Activity, ActivityV9, Contact, ContactV10, Currency, EntityKind, HistoryEntry, Id,
    Lead, ListColumn, Lookup, Opportunity, Pipeline, Product, SavedFilter, Settings, SettingsV6,
    Stage, StageEvent, StageV6,
};
use forsat_store::{RECORD_VERSION, SCHEMA_VERSION, Store, StoreError, TrashEntry, seal};
use redb::{ReadableDatabase as _, ReadableTable as _, TableDefinition, TableHandle as _};
use serde::de::DeserializeOwned;

use crate::{create, open};

const SCHEMA5: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema5.redb");
const SCHEMA1: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema1.redb");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const HISTORY: TableDefinition<(u8, u64, u64), &[u8]> = TableDefinition::new("history");
const ID_TABLES: [&str; 13] = [
    "pipelines",
    "stages",
    "lookups",
    "accounts",
    "opportunities",
    "stage_events",
    "close_dates",
    "trash",
    "contacts",
    "leads",
    "activities",
    "products",
    "currencies",
];

/// A table's keys (as the checksums cover them) and values, as stored.
type Rows = Vec<(Vec<u8>, Vec<u8>)>;

/// The keys and values of every table of the file at `path`, as stored.
fn raw_tables(path: &Path) -> BTreeMap<String, Rows> {
    let db = redb::ReadOnlyDatabase::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let mut out = BTreeMap::new();
    for handle in txn.list_tables().unwrap() {
        let name = handle.name().to_owned();
        let rows = if name == "meta" {
            rows(&txn.open_table(META).unwrap(), |k| k.as_bytes().to_vec())
        } else if name == "history" {
            rows(&txn.open_table(HISTORY).unwrap(), |k| {
                [
                    vec![k.0],
                    k.1.to_le_bytes().to_vec(),
                    k.2.to_le_bytes().to_vec(),
                ]
                .concat()
            })
        } else {
            let def = TableDefinition::<u64, &[u8]>::new(&name);
            rows(&txn.open_table(def).unwrap(), |k| k.to_le_bytes().to_vec())
        };
        out.insert(name, rows);
    }
    out
}

fn rows<K: redb::Key + 'static>(
    table: &redb::ReadOnlyTable<K, &[u8]>,
    key: impl Fn(K::SelfType<'_>) -> Vec<u8>,
) -> Rows {
    table
        .iter()
        .unwrap()
        .map(|row| {
            let (k, v) = row.unwrap();
            (key(k.value()), v.value().to_vec())
        })
        .collect()
}

/// Replaces the record of `table` under `key` (bytes as [`raw_tables`] gives them) with
/// `new_key` → `value`, as a flip on disk would leave it (the tally is not told).
fn overwrite(path: &Path, table: &str, key: &[u8], new_key: &[u8], value: &[u8]) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    match table {
        "meta" => {
            let mut t = txn.open_table(META).unwrap();
            t.remove(std::str::from_utf8(key).unwrap()).unwrap();
            let new_key = String::from_utf8_lossy(new_key);
            t.insert(new_key.as_ref(), value).unwrap();
        }
        "history" => {
            let tuple = |k: &[u8]| {
                (
                    k[0],
                    u64::from_le_bytes(k[1..9].try_into().unwrap()),
                    u64::from_le_bytes(k[9..].try_into().unwrap()),
                )
            };
            let mut t = txn.open_table(HISTORY).unwrap();
            t.remove(tuple(key)).unwrap();
            t.insert(tuple(new_key), value).unwrap();
        }
        _ => {
            let id = |k: &[u8]| u64::from_le_bytes(k.try_into().unwrap());
            let mut t = txn
                .open_table(TableDefinition::<u64, &[u8]>::new(table))
                .unwrap();
            t.remove(id(key)).unwrap();
            t.insert(id(new_key), value).unwrap();
        }
    }
    txn.commit().unwrap();
}

/// Opens `path` and, for a history entry, reads the history it belongs to: the refusal.
fn refusal(path: &Path, table: &str, key: &[u8]) -> StoreError {
    match Store::open(path, today()) {
        Err(e) => e,
        Ok(_) if table != "history" => panic!("opened with a damaged {table} record"),
        Ok((store, _, _)) => {
            let deal = u64::from_le_bytes(key[1..9].try_into().unwrap());
            store
                .history(EntityKind::Opportunity, deal)
                .expect_err("read a damaged history entry")
        }
    }
}

#[test]
fn a_flipped_bit_in_any_record_or_key_of_any_table_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let pristine = dir.path().join("pristine.redb");
    std::fs::copy(SCHEMA5, &pristine).unwrap();
    // Migrated (every record is checksummed), and a deal's close date pushed, so that every
    // table holds records.
    let mut ws = open(&pristine);
    let mut deal = ws
        .opportunities()
        .find(|o| o.expected_close.is_some())
        .unwrap()
        .clone();
    deal.expected_close = deal.expected_close.map(|d| d + chrono::Days::new(30));
    let opp = Box::new(deal);
    let push = forsat_core::command::Command::UpdateOpportunity {
        opp,
        new_account: None,
    };
    ws.apply(push).unwrap();
    drop(ws);
    let path = dir.path().join("flipped.redb");
    let tables = raw_tables(&pristine);
    assert!(
        ID_TABLES.iter().all(|t| !tables[*t].is_empty()),
        "{tables:?}"
    );
    let mut tried = 0;
    for (table, rows) in &tables {
        let picked: Vec<_> = if table == "meta" {
            rows.iter().collect() // the app tag, the schema, the tally, the counter…
        } else if table == "history" {
            // Deals' entries (the history read below is a deal's).
            rows.iter().filter(|(k, _)| k[0] == 5).take(2).collect()
        } else {
            [rows.first(), rows.last()].into_iter().flatten().collect()
        };
        for (key, value) in picked {
            let mut flips = Vec::new();
            for at in [0, 1, value.len() / 2, value.len() - 1] {
                let mut v = value.clone();
                v[at] ^= 0x04;
                flips.push((key.clone(), v, format!("byte {at} of the value")));
            }
            // History keys: the entry's own id (its record's range is read).
            let at = if table == "history" { 9 } else { 0 };
            let mut k = key.clone();
            k[at] ^= 0x02;
            flips.push((k, value.clone(), "the key".to_owned()));
            for (new_key, new_value, what) in flips {
                // A new file each time: a store that met damage keeps its handle (and lock)
                // on the damaged file rather than close it (closing writes), as it left it.
                let _ = std::fs::remove_file(&path);
                std::fs::copy(&pristine, &path).unwrap();
                overwrite(&path, table, key, &new_key, &new_value);
                let err = refusal(&path, table, key);
                let message = err.to_string();
                assert!(
                    matches!(err, StoreError::Corrupt { .. }) && message.contains(table.as_str()),
                    "{table} {key:?}, {what}: {message}"
                );
                tried += 1;
            }
        }
    }
    assert!(tried > 100, "{tried}");
}

/// A schema-8 file whose deal's history holds a damaged entry: the migration, which reads the
/// whole history to find the close-date changes, refuses it naming the history, writes none of
/// it, and the next opening refuses it again (no silent repair).
#[test]
fn a_damaged_history_entry_stops_the_migration_to_schema_9() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eight.redb");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema8.redb");
    std::fs::copy(fixture, &path).unwrap();
    let before = raw_tables(&path);
    let (key, value) = before["history"]
        .iter()
        .find(|(k, v)| k[0] == 5 && v.windows(14).any(|w| w == b"expected_close"))
        .unwrap()
        .clone();
    let mut damaged = value.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x04;
    overwrite(&path, "history", &key, &key, &damaged);
    let written = raw_tables(&path);
    assert!(!written.contains_key("close_dates"));
    // The refused file stays open in this process, left as after a crash (damage is never
    // closed over, as closing writes): each look is at a copy of it, recovered by redb.
    let mut file = path.clone();
    for round in 1..=2 {
        let err = Store::open(&file, today()).map(drop).unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt { .. }) && err.to_string().contains("history"),
            "{err}"
        );
        let copy = dir.path().join(format!("copy-{round}.redb"));
        std::fs::copy(&file, &copy).unwrap();
        drop(redb::Database::open(&copy).unwrap());
        assert_eq!(
            raw_tables(&copy),
            written,
            "nothing of the migration was written"
        );
        file = copy;
    }
}

#[test]
fn records_missing_added_or_rolled_back_behind_the_tally_are_refused() {
    type Deals<'t> = redb::Table<'t, u64, &'static [u8]>;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Tally Co", "Counted", "5");
    drop(ws);
    let pristine = std::fs::read(&path).unwrap();
    let deals = TableDefinition::<u64, &[u8]>::new("opportunities");
    let value = {
        let db = redb::ReadOnlyDatabase::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let t = txn.open_table(deals).unwrap();
        t.get(id).unwrap().unwrap().value().to_vec()
    };
    let change = |f: &dyn Fn(&mut Deals)| {
        std::fs::write(&path, &pristine).unwrap();
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        f(&mut txn.open_table(deals).unwrap());
        txn.commit().unwrap();
    };
    let refused = |f: &dyn Fn(&mut Deals), expected: &str| {
        change(f);
        let message = Store::open(&path, today()).unwrap_err().to_string();
        assert!(message.contains(expected), "{message}");
    };
    // A record lost (as a damaged branch page would drop it).
    refused(
        &|t| drop(t.remove(id).unwrap()),
        "opportunities table: 0 records were found where 1 were written",
    );
    // A sound record more than was written (a copy under its own key, checksum and all).
    let copy = id + 1000;
    let mut opp: Opportunity =
        forsat_store::decode("opportunities", &id.to_le_bytes(), &value).unwrap();
    opp.id = copy;
    let sealed = forsat_store::encode("opportunities", &copy.to_le_bytes(), &opp);
    refused(
        &|t| drop(t.insert(copy, sealed.as_slice()).unwrap()),
        "opportunities table: 2 records were found where 1 were written",
    );
    // An older version of the record, sound under its key, as a damaged branch pointing at a
    // freed page would show it: as many records, but not the ones last written.
    opp.id = id;
    opp.amount = "4".parse().unwrap();
    let older = forsat_store::encode("opportunities", &id.to_le_bytes(), &opp);
    refused(
        &|t| drop(t.insert(id, older.as_slice()).unwrap()),
        "opportunities table: its records are not the ones last written",
    );
    // Untouched, it opens.
    std::fs::write(&path, &pristine).unwrap();
    assert_eq!(open(&path).opportunity(id).unwrap().name, "Counted");
}

/// The values of a table of an old file, decoded as schema 5 wrote them (a version byte 1,
/// then postcard), by key.
fn legacy<T: DeserializeOwned>(path: &Path, table: &str) -> Vec<(u64, T)> {
    let db = redb::ReadOnlyDatabase::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let Ok(t) = txn.open_table(TableDefinition::<u64, &[u8]>::new(table)) else {
        return Vec::new();
    };
    t.iter()
        .unwrap()
        .map(|row| {
            let (k, v) = row.unwrap();
            let (version, body) = v.value().split_first().unwrap();
            assert_eq!(*version, 1, "{table} {}", k.value());
            (k.value(), postcard::from_bytes(body).unwrap())
        })
        .collect()
}

fn legacy_meta<T: DeserializeOwned>(path: &Path, key: &str) -> Option<T> {
    let db = redb::ReadOnlyDatabase::open(path).unwrap();
    let txn = db.begin_read().unwrap();
    let meta = txn.open_table(META).unwrap();
    let value = meta.get(key).unwrap()?;
    let (version, body) = value.value().split_first().unwrap();
    assert_eq!(*version, 1);
    Some(postcard::from_bytes(body).unwrap())
}

/// The records of a table of an old file in the layout it wrote (`Old`), in this build's.
fn legacy_into<Old: DeserializeOwned, New: From<Old>>(path: &Path, table: &str) -> Vec<(u64, New)> {
    legacy::<Old>(path, table)
        .into_iter()
        .map(|(id, old)| (id, New::from(old)))
        .collect()
}

/// The activities without the calendar UID the migration gave each, from its id.
fn without_uids(activities: &[Activity]) -> Vec<Activity> {
    activities
        .iter()
        .map(|a| {
            assert!(a.uid.ends_with(&format!("-{}@forsat", a.id)), "{a:?}");
            Activity {
                uid: String::new(),
                ..a.clone()
            }
        })
        .collect()
}

fn values<T: Clone>(rows: &[(u64, T)]) -> Vec<T> {
    rows.iter().map(|(_, v)| v.clone()).collect()
}

#[test]
fn a_schema_5_file_migrates_and_every_record_reads_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("five.redb");
    std::fs::copy(SCHEMA5, &path).unwrap();

    // What schema 5 wrote, read without Forsat's codec.
    let pipelines = legacy::<Pipeline>(&path, "pipelines");
    let stages: Vec<(u64, Stage)> = legacy::<StageV6>(&path, "stages")
        .into_iter()
        .map(|(id, stage)| (id, Stage::from(stage)))
        .collect();
    let lookups = legacy::<Lookup>(&path, "lookups");
    let accounts = legacy::<Account>(&path, "accounts");
    let opportunities = legacy::<Opportunity>(&path, "opportunities");
    let stage_events = legacy::<StageEvent>(&path, "stage_events");
    let trash = legacy::<TrashEntry>(&path, "trash");
    let contacts = legacy_into::<ContactV10, Contact>(&path, "contacts");
    let leads = legacy::<Lead>(&path, "leads");
    let activities = legacy_into::<ActivityV9, Activity>(&path, "activities");
    let products = legacy::<Product>(&path, "products");
    let currencies = legacy::<Currency>(&path, "currencies");
    let history: Vec<HistoryEntry> = {
        let db = redb::ReadOnlyDatabase::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let t = txn.open_table(HISTORY).unwrap();
        t.iter()
            .unwrap()
            .map(|row| postcard::from_bytes(&row.unwrap().1.value()[1..]).unwrap())
            .collect()
    };
    let next_id = {
        let db = redb::ReadOnlyDatabase::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let meta = txn.open_table(META).unwrap();
        u64::from_le_bytes(
            meta.get("next_id")
                .unwrap()
                .unwrap()
                .value()
                .try_into()
                .unwrap(),
        )
    };
    let settings = Settings::from(legacy_meta::<SettingsV6>(&path, "settings").unwrap());
    let sample = legacy_meta::<Vec<(EntityKind, Id)>>(&path, "sample").unwrap();
    let filters = legacy_meta::<Vec<SavedFilter>>(&path, "saved_filters").unwrap();
    let reports = legacy_meta::<Vec<SavedReport>>(&path, "saved_reports").unwrap();
    let columns = legacy_meta::<Vec<ListColumn>>(&path, "list_columns").unwrap();
    let first_start = legacy_meta::<bool>(&path, "first_start_done").unwrap();
    assert!(
        [
            opportunities.len(),
            trash.len(),
            contacts.len(),
            leads.len(),
            activities.len()
        ]
        .iter()
        .all(|n| *n > 0)
            && history.len() > opportunities.len()
            && !filters.is_empty()
            && !reports.is_empty(),
        "the fixture holds every kind of record"
    );

    // Opened: migrated; opened again: read through the checksums.
    drop(Store::open(&path, today()).unwrap());
    let (store, records, _) = Store::open(&path, today()).unwrap();
    assert_eq!(records.pipelines, values(&pipelines));
    assert_eq!(records.stages, values(&stages));
    assert_eq!(records.lookups, values(&lookups));
    assert_eq!(records.accounts, values(&accounts));
    assert_eq!(records.opportunities, boxed(values(&opportunities)));
    assert_eq!(records.stage_events, values(&stage_events));
    assert_eq!(records.trash, values(&trash));
    assert_eq!(records.contacts, values(&contacts));
    assert_eq!(records.leads, values(&leads));
    assert_eq!(without_uids(&records.activities), values(&activities));
    assert_eq!(records.products, values(&products));
    assert_eq!(records.currencies, values(&currencies));
    assert_eq!(records.settings, Some(settings));
    assert_eq!(records.sample, sample);
    assert_eq!(records.saved_filters, filters);
    assert_eq!(records.saved_reports, reports);
    assert_eq!(records.list_columns, Some(columns));
    assert_eq!(records.first_start_done, first_start);
    assert_eq!(records.next_id, next_id);
    let mut read_back = Vec::new();
    let mut owners: Vec<_> = history.iter().map(|h| (h.entity, h.entity_id)).collect();
    owners.dedup();
    for (entity, id) in owners {
        read_back.extend(store.history(entity, id).unwrap());
    }
    assert_eq!(read_back, history);
    drop(store);

    // On disk: schema 6, every record framed with its checksum; the old file kept beside it.
    every_record_is_checksummed(&path);
    assert!(
        std::fs::read_dir(dir.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".schema-5-")),
        "the copy made before the migration"
    );
}

/// Every record of the file at `path` is of this version and sound where it is stored, and
/// the schema is this build's.
fn every_record_is_checksummed(path: &Path) {
    let tables = raw_tables(path);
    for (table, rows) in &tables {
        for (key, value) in rows {
            match (table.as_str(), key.as_slice()) {
                ("meta", b"app") => assert_eq!(value, b"forsat"),
                ("meta", b"schema") => assert_eq!(value, &SCHEMA_VERSION.to_le_bytes()),
                _ => {
                    // Framed again from its body, it is the same bytes: sound where it is.
                    assert_eq!(value[0], RECORD_VERSION, "{table} {key:?}");
                    assert_eq!(&seal(table, key, &value[5..]), value, "{table} {key:?}");
                }
            }
        }
    }
}

#[test]
fn a_schema_1_file_migrates_to_checksummed_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.redb");
    std::fs::copy(SCHEMA1, &path).unwrap();
    let deals = raw_tables(&path)["opportunities"].len();
    assert_eq!(open(&path).opportunity_count(), deals);
    every_record_is_checksummed(&path);
    assert_eq!(open(&path).opportunity_count(), deals);
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn boxed<T>(values: Vec<T>) -> Vec<Box<T>> {
    values.into_iter().map(Box::new).collect()
}
