//! Placeholder, being written.

use super::app::Action;
use crate::workspace::Workspace;

#[derive(Default)]
pub struct SettingsView {}

impl SettingsView {
    pub fn ui(&mut self, _ui: &mut egui::Ui, _ws: &Workspace) -> Vec<Action> {
        Vec::new()
    }
}
