//! Any bytes as a CSV file, read by each format's importer (the first byte picks it) against a
//! database with a pipeline: a message or a plan, never a panic (`forsat::fuzzing`).
#![no_main]

use std::sync::OnceLock;

use forsat::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    ws: Workspace,
}

fn workspace() -> &'static Workspace {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    &FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join("fuzz.redb");
            let ws =
                Workspace::open(&path, forsat::workspace::system_clock()).expect("a new database");
            Fixture { _dir: dir, ws }
        })
        .ws
}

fuzz_target!(|data: &[u8]| forsat::fuzzing::import_csv(workspace(), data));
