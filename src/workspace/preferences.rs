//! Saved searches and the list's columns: preferences kept in the database, with history.

use super::Workspace;
use super::apply::{Applied, ApplyError, Stamp, history, lifecycle};
use crate::command::Command;
use crate::domain::*;

impl Workspace {
    /// Replaces the saved searches, with a history entry for each one added, changed or removed.
    pub(super) fn set_saved_filters(
        &mut self,
        filters: Vec<SavedFilter>,
    ) -> Result<Applied, ApplyError> {
        let before = std::mem::take(&mut self.saved_filters);
        let now = self.now();
        let kind = EntityKind::SavedFilter;
        let written = self.write(|tx| {
            // Ids come from the store's counter: mark the ones handed out in advance as taken
            // before the action takes its own.
            let max = filters.iter().map(|f| f.id + 1).max().unwrap_or(0);
            tx.take_ids_below(max);
            let stamp = Stamp::begin(tx, now);
            for f in &filters {
                match before.iter().find(|b| b.id == f.id) {
                    None => lifecycle(tx, &stamp, kind, f.id, "created", &f.name)?,
                    Some(b) if b != f => history(
                        tx,
                        &stamp,
                        kind,
                        f.id,
                        "filter",
                        b.name.clone(),
                        f.name.clone(),
                    )?,
                    Some(_) => {}
                }
            }
            for b in before
                .iter()
                .filter(|b| !filters.iter().any(|f| f.id == b.id))
            {
                lifecycle(tx, &stamp, kind, b.id, "deleted", &b.name)?;
            }
            tx.put_saved_filters(&filters)
        });
        if let Err(e) = written {
            self.saved_filters = before;
            return Err(e.into());
        }
        self.saved_filters = filters;
        Ok(Applied {
            inverse: Some(Command::SetSavedFilters { filters: before }),
            created: None,
        })
    }

    /// Chooses the list's columns. The name column always stays, first.
    pub(super) fn set_list_columns(
        &mut self,
        mut columns: Vec<ListColumn>,
    ) -> Result<Applied, ApplyError> {
        columns.retain(|c| *c != ListColumn::Name);
        columns.insert(0, ListColumn::Name);
        columns.dedup();
        let names = |cols: &[ListColumn]| {
            cols.iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (old, new) = (names(&self.list_columns), names(&columns));
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            history(
                tx,
                &stamp,
                EntityKind::Settings,
                0,
                "list_columns",
                old,
                new,
            )?;
            tx.put_list_columns(&columns)
        })?;
        let before = std::mem::replace(&mut self.list_columns, columns);
        Ok(Applied {
            inverse: Some(Command::SetListColumns { columns: before }),
            created: None,
        })
    }
}
