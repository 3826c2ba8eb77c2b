//! Placeholder, being written.

use super::app::Action;
use crate::workspace::Workspace;

#[derive(Default)]
pub struct AccountsView {}

impl AccountsView {
    pub fn ui(&mut self, _ui: &mut egui::Ui, _ws: &Workspace) -> Vec<Action> {
        Vec::new()
    }
}

impl AccountsView {
    /// Shows the account's detail.
    pub fn select(&mut self, _id: crate::domain::Id) {}
}
