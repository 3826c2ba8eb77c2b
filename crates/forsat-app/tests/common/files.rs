//! Helpers of the files tests, shared by forsat-app's tests and the binary's (tests/cli).

use std::path::Path;

use forsat_app::workspace::Workspace;
use forsat_store::StoreError;

use crate::{clock, open};

pub const FIXTURE_REPORT: &str = include_str!("../fixtures/schema1-pipeline.json");

pub fn copy_fixture(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("copy.redb");
    std::fs::copy(crate::deals::fixtures().join("schema1.redb"), &path).unwrap();
    path
}

/// Opens `path`, expects a refusal, and checks the file was not touched.
pub fn refused(path: &Path) -> StoreError {
    let before = std::fs::read(path).unwrap();
    let err = Workspace::open(path, clock()).unwrap_err();
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{} was modified",
        path.display()
    );
    err
}

/// A clean file with a few hundred demo deals, and what it holds as an export.
pub fn demo_file(dir: &Path) -> (std::path::PathBuf, String) {
    let path = dir.join("good.redb");
    let mut ws = open(&path);
    let (batch, _) = forsat_app::demo::generate(&ws, 300, 5);
    ws.apply(forsat_core::command::Command::InsertBatch(Box::new(batch)))
        .unwrap();
    let export = export_of(&ws);
    (path, export)
}

pub fn export_of(ws: &Workspace) -> String {
    let what = forsat_app::interchange::Kind::Opportunities;
    let bytes =
        forsat_app::interchange::export(ws, what, forsat_app::interchange::Format::Csv).unwrap();
    String::from_utf8(bytes).unwrap()
}
