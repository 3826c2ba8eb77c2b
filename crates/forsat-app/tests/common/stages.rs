//! The stages a test reads back: shared by the test crates that import files.

use forsat_app::workspace::Workspace;
use forsat_core::domain::StageKind;

/// The open stages of the pipeline called `pipeline`, in order.
pub fn open_stage_names(ws: &Workspace, pipeline: &str) -> Vec<String> {
    let id = ws
        .pipelines()
        .iter()
        .find(|p| p.name == pipeline)
        .unwrap_or_else(|| panic!("no pipeline {pipeline}"))
        .id;
    ws.stages_of(id)
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.name.clone())
        .collect()
}
