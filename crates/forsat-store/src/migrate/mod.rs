//! Schema migrations: each runs in one write transaction, after a copy of the file was kept.
//!
//! Only 5 → 6 rewrites the file ([`v5_to_v6`]), 6 → 7 its stages, 9 → 10 its activities and
//! 10 → 11 its contacts. The earlier steps are per-record upgrades:
//! an old record is brought to this build's layout as it is read ([`crate::upgrade`], the
//! settings in `tables`), so a file of schema 1 to 5 is readable as it is.
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
//! - 6 → 7: every stage gains its forecast category and the settings the choice of predicted
//!   probabilities ([`v6_to_v7`]); a deal's forecast bool reads as its forecast choice as it is.
//! - 7 → 8: `meta` may hold the goals; nothing to convert, the schema number changes so that
//!   an older Forsat refuses the file as too new rather than as damaged (done by the step
//!   below, which stamps the schema).
//! - 8 → 9: the close-date changes (`close_dates`), an index of the deals' history, filled
//!   from the history as it is ([`v8_to_v9`]).
//! - 9 → 10: every activity gains a time of day, a duration, notes, a salesperson and a UID
//!   ([`v9_to_v10`]).
//! - 10 → 11: every contact gains other emails, other phones and notes ([`v10_to_v11`]).
//!
//! The last step run stamps the schema.

mod v10_to_v11;
mod v5_to_v6;
mod v6_to_v7;
mod v8_to_v9;
mod v9_to_v10;

use std::path::{Path, PathBuf};

use crate::domain::{Activity, CloseDateChange};
use crate::tables::ReadError;
use crate::{SCHEMA_VERSION, Store, StoreError, read_refusal};

/// Copies the file before a migration, as `NAME.schema-N-UNIXTIME.bak` beside it.
pub(super) fn back_up(path: &Path, schema: u32) -> Result<PathBuf, StoreError> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".schema-{schema}-{stamp}.bak"));
    let backup = path.with_file_name(name);
    crate::backup::copy_over(path, &backup)?;
    Ok(backup)
}

/// What a migration wrote that the records read before it lack.
#[derive(Default)]
pub(super) struct Migrated {
    /// The close-date changes found in the history, when their table was filled.
    pub(super) close_dates: Option<Vec<CloseDateChange>>,
    /// The activities in this build's layout, with their UIDs.
    pub(super) activities: Option<Vec<Activity>>,
}

/// Brings a file of schema `from` up to [`SCHEMA_VERSION`].
pub(super) fn run(store: &Store, from: u32) -> Result<Migrated, StoreError> {
    if from >= SCHEMA_VERSION {
        return Ok(Migrated::default());
    }
    let txn = store.begin()?;
    let steps = || {
        if from < 6 {
            v5_to_v6::migrate(&txn, from)?;
        }
        if from < 7 {
            v6_to_v7::migrate(&txn, from)?;
        }
        let close_dates = if from < 9 {
            Some(v8_to_v9::migrate(&txn)?)
        } else {
            None
        };
        let activities = if from < 10 {
            Some(v9_to_v10::migrate(&txn)?)
        } else {
            None
        };
        v10_to_v11::migrate(&txn)?;
        Ok(Migrated {
            close_dates,
            activities,
        })
    };
    let found = steps().map_err(|e| match e {
        ReadError::Storage(e) => store.write_failed(e),
        damaged => read_refusal(store.path(), damaged),
    })?;
    txn.commit().map_err(|e| store.write_failed(e))?;
    Ok(found)
}
