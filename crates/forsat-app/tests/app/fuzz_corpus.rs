//! The fuzzers' corpus (the workspace's `fuzz/corpus`: seeds, and the inputs `cargo fuzz` kept for reaching new
//! code) replayed on every test run, so what once reached a corner of the importers or the
//! decoder is tried again by every build.

use std::path::Path;

/// Runs `each` on every file of the target's corpus; how many there were.
fn replay(target: &str, mut each: impl FnMut(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        each(&std::fs::read(&path).unwrap());
        count += 1;
    }
    count
}

#[test]
fn the_fuzz_corpus_replays_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let ws = super::open(&dir.path().join("fuzz.redb"));
    let imports = replay("import_csv", |data| {
        forsat_app::fuzzing::import_csv(&ws, data);
    });
    let records = replay("decode_record", forsat_app::fuzzing::decode_record);
    assert!(
        imports >= 45 && records >= 19,
        "{imports} CSV files, {records} records"
    );
    // Nothing was written: the importer only checked.
    assert_eq!(ws.opportunity_count(), 0);
}
