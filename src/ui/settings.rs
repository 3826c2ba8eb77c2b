//! Placeholder, being written.

use super::app::Action;
use crate::workspace::Workspace;

#[derive(Default)]
pub struct SettingsView {
    lookups: super::lookups::LookupsEditor,
}

impl SettingsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Vec<Action> {
        self.lookups.ui(ui, ws)
    }
}
