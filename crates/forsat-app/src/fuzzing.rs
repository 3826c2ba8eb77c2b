//! What the fuzzers (`fuzz/`, run with `cargo fuzz`) feed arbitrary bytes to, shared with the
//! test that replays their corpus on every `cargo test`: each must answer with a message or a
//! result, never panic.

use crate::analytics::reports::SavedReport;
use crate::domain::{
    Account, Activity, HistoryEntry, Lead, Opportunity, Settings, Stage, StageEvent,
};
use crate::interchange::{self, ImportOptions, Source};
use crate::store::{decode, decode_legacy, seal};
use crate::workspace::Workspace;

/// Bytes as a CSV file for an import check (nothing is written): the first byte picks the
/// format (and whether bad rows are skipped), so one corpus explores every importer.
pub fn import_csv(ws: &Workspace, data: &[u8]) {
    const SOURCES: [Source; 5] = [
        Source::Auto,
        Source::Forsat,
        Source::Odoo,
        Source::Suitecrm,
        Source::Pipedrive,
    ];
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let options = ImportOptions {
        from: SOURCES[usize::from(pick) % SOURCES.len()],
        skip_bad_rows: pick & 0x80 != 0,
        ..ImportOptions::default()
    };
    let _ = interchange::check(ws, file, &options);
}

/// Bytes as a stored record of every kind the store reads: as they are (the version and
/// checksum checks), as a record of a file of schema 5 or older (no checksum), and framed with
/// a sound checksum around all but their first byte, so that postcard's decoding of every kind
/// is reached (the corpus holds such old records: a version byte, then postcard).
pub fn decode_record(data: &[u8]) {
    const TABLE: &str = "fuzz";
    const KEY: &[u8] = &[1, 0, 0, 0, 0, 0, 0, 0];
    fn each_way<T: serde::de::DeserializeOwned>(data: &[u8], sealed: &[u8]) {
        let _ = decode::<T>(TABLE, KEY, data);
        let _ = decode::<T>(TABLE, KEY, sealed);
        let _ = decode_legacy::<T>(data);
    }
    let sealed = seal(TABLE, KEY, data.get(1..).unwrap_or_default());
    each_way::<Opportunity>(data, &sealed);
    each_way::<Account>(data, &sealed);
    each_way::<Stage>(data, &sealed);
    each_way::<StageEvent>(data, &sealed);
    each_way::<HistoryEntry>(data, &sealed);
    each_way::<Lead>(data, &sealed);
    each_way::<Activity>(data, &sealed);
    each_way::<Settings>(data, &sealed);
    each_way::<Vec<SavedReport>>(data, &sealed);
}
