//! The command line through the real binary: reports, exports and imports, checks and backups,
//! on files prepared through the workspace (forsat-app's tests hold the same flows without the
//! binary, and the helpers both share).

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

#[path = "../support/bin.rs"]
mod bin;
mod config;
#[path = "../../crates/forsat-app/tests/common/deals.rs"]
mod deals;
mod desktop;
mod files;
mod integrity;
mod interchange;
mod leakage;
mod migrations;
mod reached;
mod related;
mod reports;
mod velocity;
#[path = "../../crates/forsat-app/tests/common/velocity.rs"]
mod velocity_fixture;
mod workbooks;

use std::path::Path;

pub use deals::{clock, create, open, stage};

/// forsat-app's fixture files, from the workspace's root.
const FIXTURES: &str = "crates/forsat-app/tests/fixtures";

/// Runs the real binary on `db` in English: exit code, standard output, standard error.
pub fn forsat(db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = bin::forsat()
        // Headless as in CI or over ssh: no subcommand may need a display (chart PNGs included).
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .arg("--db")
        .arg(db)
        .args(["--locale", "en"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
