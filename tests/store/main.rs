//! The store and workspace through their public API: durability, history, refusals.

// Issue 21: fixed after the parallel branches merge.
#![allow(
    clippy::format_push_string,
    clippy::items_after_statements,
    clippy::range_plus_one,
    clippy::semicolon_if_nothing_returned,
    clippy::stable_sort_primitive,
    clippy::too_many_lines,
    clippy::unwrap_used
)]

mod codec;
mod config;
mod files;
mod fuzz_corpus;
mod import_clean;
mod import_history;
mod integrity;
mod interchange;
mod leakage;
mod list;
mod migrations;
mod reached;
mod related;
mod reports;
#[path = "../common/tmpfs.rs"]
mod tmpfs;
mod velocity;
#[path = "../common/velocity.rs"]
mod velocity_fixture;
mod workbooks;
mod workspace;

use std::path::Path;
use std::sync::Arc;

use chrono::{TimeZone as _, Utc};
use forsat::command::Command;
use forsat::domain::{Account, Id, Opportunity, StageKind};
use forsat::workspace::{Clock, Workspace};

pub fn clock() -> Clock {
    Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap())
}

pub fn open(path: &Path) -> Workspace {
    Workspace::open(path, clock()).unwrap()
}

/// A new deal for `account` in the first open stage, created through a command.
pub fn create(ws: &mut Workspace, account: &str, name: &str, amount: &str) -> Id {
    let stage = ws
        .stage_of_kind(ws.default_pipeline().id, StageKind::Open)
        .unwrap()
        .clone();
    let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), ws.now());
    opp.name = name.to_owned();
    opp.amount = amount.parse().unwrap();
    ws.apply(Command::CreateOpportunity {
        opp: Box::new(opp),
        new_account: Some(account.to_owned()),
    })
    .unwrap()
    .created
    .unwrap()
}

pub fn stage(ws: &Workspace, name: &str) -> Id {
    ws.stages_of(ws.default_pipeline().id)
        .find(|s| s.name == name)
        .unwrap()
        .id
}

/// Runs the real binary on `db` in English: exit code, standard output, standard error.
pub fn forsat(db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_forsat"))
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
