//! Saved searches and the list's columns: preferences kept in the database, with history.

use super::Workspace;
use super::apply::{Applied, ApplyError, Stamp, history, lifecycle};
use crate::analytics::reports::SavedReport;
use crate::command::Command;
use crate::domain::{EntityKind, Id, ListColumn, SavedFilter};

/// A list of named things kept as one preference: saved searches and saved reports.
trait Saved: Clone + PartialEq {
    const KIND: EntityKind;
    /// The history field of a change to one.
    const FIELD: &'static str;
    fn id(&self) -> Id;
    fn name(&self) -> &str;
}

impl Saved for SavedFilter {
    const KIND: EntityKind = EntityKind::SavedFilter;
    const FIELD: &'static str = "filter";
    fn id(&self) -> Id {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Saved for SavedReport {
    const KIND: EntityKind = EntityKind::SavedReport;
    const FIELD: &'static str = "report";
    fn id(&self) -> Id {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Workspace {
    /// Replaces the saved searches, with a history entry for each one added, changed or removed.
    pub(super) fn set_saved_filters(
        &mut self,
        filters: Vec<SavedFilter>,
    ) -> Result<Applied, ApplyError> {
        let before = std::mem::take(&mut self.saved_filters);
        #[expect(
            clippy::redundant_closure_for_method_calls,
            reason = "the method's path is not general over the transaction's lifetime"
        )]
        let result = self.write_saved(&before, &filters, |tx, all| tx.put_saved_filters(all));
        let (kept, undo) = if result.is_ok() {
            (filters, before)
        } else {
            (before, Vec::new())
        };
        self.saved_filters = kept;
        result.map(|()| Applied {
            inverse: Some(Command::SetSavedFilters { filters: undo }),
            created: None,
        })
    }

    /// Replaces the saved reports, with a history entry for each one added, changed or removed.
    pub(super) fn set_saved_reports(
        &mut self,
        reports: Vec<SavedReport>,
    ) -> Result<Applied, ApplyError> {
        let before = std::mem::take(&mut self.saved_reports);
        #[expect(
            clippy::redundant_closure_for_method_calls,
            reason = "the method's path is not general over the transaction's lifetime"
        )]
        let result = self.write_saved(&before, &reports, |tx, all| tx.put_saved_reports(all));
        let (kept, undo) = if result.is_ok() {
            (reports, before)
        } else {
            (before, Vec::new())
        };
        self.saved_reports = kept;
        result.map(|()| Applied {
            inverse: Some(Command::SetSavedReports { reports: undo }),
            created: None,
        })
    }

    /// Writes a new list of saved things in one transaction with its history.
    fn write_saved<T: Saved>(
        &mut self,
        before: &[T],
        after: &[T],
        put: impl FnOnce(&mut crate::store::Tx, &[T]) -> Result<(), crate::store::TxError>,
    ) -> Result<(), ApplyError> {
        let now = self.now();
        let kind = T::KIND;
        self.write(|tx| {
            // Ids come from the store's counter: mark the ones handed out in advance as taken
            // before the action takes its own.
            if let Some(last) = after.iter().map(Saved::id).max() {
                tx.take_ids_through(last)?;
            }
            let stamp = Stamp::begin(tx, now)?;
            for f in after {
                match before.iter().find(|b| b.id() == f.id()) {
                    None => lifecycle(tx, &stamp, kind, f.id(), "created", f.name())?,
                    Some(b) if b != f => history(
                        tx,
                        &stamp,
                        kind,
                        f.id(),
                        T::FIELD,
                        b.name().to_owned(),
                        f.name().to_owned(),
                    )?,
                    Some(_) => {}
                }
            }
            for b in before
                .iter()
                .filter(|b| !after.iter().any(|f| f.id() == b.id()))
            {
                lifecycle(tx, &stamp, kind, b.id(), "deleted", b.name())?;
            }
            put(tx, after)
        })?;
        Ok(())
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
            let stamp = Stamp::begin(tx, now)?;
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
