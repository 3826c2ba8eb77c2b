//! What the fuzzers (`fuzz/`, run with `cargo fuzz`) feed arbitrary bytes to, shared with the
//! test that replays their corpus on every `cargo test`: each must answer with a message or a
//! result, never panic.

use crate::domain::*;
use crate::interchange::{self, ImportOptions, Source};
use crate::store::decode;
use crate::workspace::Workspace;

/// Bytes as a CSV file for an import check (nothing is written): the first byte picks the
/// format (and whether bad rows are skipped), so one corpus explores every importer.
pub fn import_csv(ws: &Workspace, data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    const SOURCES: [Source; 5] = [
        Source::Auto,
        Source::Forsat,
        Source::Odoo,
        Source::Suitecrm,
        Source::Pipedrive,
    ];
    let options = ImportOptions {
        from: SOURCES[usize::from(pick) % SOURCES.len()],
        skip_bad_rows: pick & 0x80 != 0,
        ..ImportOptions::default()
    };
    let _ = interchange::check(ws, file, &options);
}

/// Bytes as a stored record of every kind the store reads.
pub fn decode_record(data: &[u8]) {
    let _ = decode::<Opportunity>(data);
    let _ = decode::<Account>(data);
    let _ = decode::<Stage>(data);
    let _ = decode::<StageEvent>(data);
    let _ = decode::<HistoryEntry>(data);
    let _ = decode::<Lead>(data);
    let _ = decode::<Activity>(data);
    let _ = decode::<Settings>(data);
    let _ = decode::<Vec<SavedReport>>(data);
}
