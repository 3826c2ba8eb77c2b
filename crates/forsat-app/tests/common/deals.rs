//! A workspace on a fixed clock and deals created through commands: shared by forsat-app's
//! tests and the binary's (tests/cli).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone as _, Utc};
use forsat_app::workspace::{Clock, Workspace};
use forsat_core::command::Command;
use forsat_core::domain::{Account, Id, Opportunity, StageKind};

/// forsat-app's fixture files, from whichever crate's tests include this module.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::FIXTURES)
}

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
