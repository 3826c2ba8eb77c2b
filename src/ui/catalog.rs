//! Placeholder, being written.

use super::app::Action;
use crate::workspace::Workspace;

#[derive(Default)]
pub struct CatalogView {}

impl CatalogView {
    pub fn ui(
        &mut self,
        _ui: &mut egui::Ui,
        _ws: &Workspace,
        _view: crate::cli::View,
    ) -> Vec<Action> {
        Vec::new()
    }
}
