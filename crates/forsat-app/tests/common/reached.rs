//! Helpers of the reached tests, shared by forsat-app's tests and the binary's (tests/cli).

use forsat_app::workspace::Workspace;
use forsat_core::analytics::reports::Scope;
use forsat_core::command::Command;
use forsat_core::domain::Id;

pub fn sales(ws: &Workspace) -> Scope {
    Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    }
}

pub fn move_to(opp: Id, stage: Id) -> Command {
    Command::MoveToStage {
        opp,
        stage,
        loss_reason: None,
    }
}
