//! Helpers of the config tests, shared by forsat-app's tests and the binary's (tests/cli).

use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};

pub fn change(ws: &mut Workspace, change: Change) -> Result<(), String> {
    ws.apply(Command::Change(Box::new(change)))
        .map(drop)
        .map_err(|e| e.to_string())
}
