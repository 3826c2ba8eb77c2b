//! Saved searches, saved reports, goals and the list's columns: preferences kept in the database, with history.

use super::Workspace;
use super::apply::{Applied, ApplyError, Stamp, history, lifecycle};
use crate::analytics::reports::SavedReport;
use crate::command::Command;
use crate::domain::{
    EntityKind, Field, FieldError, Goal, Id, ListColumn, LookupKind, Problem, SavedFilter,
};

/// A list of things kept as one preference: saved searches, saved reports and goals.
pub(super) trait Saved: Clone + PartialEq + Sized {
    const KIND: EntityKind;
    /// The history field of a change to one.
    const FIELD: &'static str;
    fn id(&self) -> Id;
    /// What its history entries call it.
    fn name(&self) -> String;
    /// Where the workspace keeps the list.
    fn list(ws: &mut Workspace) -> &mut Vec<Self>;
    /// Writes the whole list.
    fn put(tx: &mut crate::store::Tx, all: &[Self]) -> Result<(), crate::store::TxError>;
    /// The command that sets the list to `all` (a change's undo).
    fn command(all: Vec<Self>) -> Command;
}

impl Saved for SavedFilter {
    const KIND: EntityKind = EntityKind::SavedFilter;
    const FIELD: &'static str = "filter";
    fn id(&self) -> Id {
        self.id
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn list(ws: &mut Workspace) -> &mut Vec<Self> {
        &mut ws.saved_filters
    }
    fn put(tx: &mut crate::store::Tx, all: &[Self]) -> Result<(), crate::store::TxError> {
        tx.put_saved_filters(all)
    }
    fn command(filters: Vec<Self>) -> Command {
        Command::SetSavedFilters { filters }
    }
}

impl Saved for SavedReport {
    const KIND: EntityKind = EntityKind::SavedReport;
    const FIELD: &'static str = "report";
    fn id(&self) -> Id {
        self.id
    }
    fn name(&self) -> String {
        self.name.clone()
    }
    fn list(ws: &mut Workspace) -> &mut Vec<Self> {
        &mut ws.saved_reports
    }
    fn put(tx: &mut crate::store::Tx, all: &[Self]) -> Result<(), crate::store::TxError> {
        tx.put_saved_reports(all)
    }
    fn command(reports: Vec<Self>) -> Command {
        Command::SetSavedReports { reports }
    }
}

impl Saved for Goal {
    const KIND: EntityKind = EntityKind::Goal;
    const FIELD: &'static str = "goal";
    fn id(&self) -> Id {
        self.id
    }
    /// "`won_value`, month: 100000" (with the salesperson's id when it is one's).
    fn name(&self) -> String {
        let who = self
            .salesperson
            .map(|s| format!(" #{s}"))
            .unwrap_or_default();
        let (measure, every) = (self.measure.key(), self.every.key());
        format!("{measure}, {every}{who}: {}", self.target)
    }
    fn list(ws: &mut Workspace) -> &mut Vec<Self> {
        &mut ws.goals
    }
    fn put(tx: &mut crate::store::Tx, all: &[Self]) -> Result<(), crate::store::TxError> {
        tx.put_goals(all)
    }
    fn command(goals: Vec<Self>) -> Command {
        Command::SetGoals { goals }
    }
}

impl Workspace {
    /// Replaces a list of saved things (searches, reports, goals), with a history entry for
    /// each one added, changed or removed.
    pub(super) fn set_saved<T: Saved>(&mut self, after: Vec<T>) -> Result<Applied, ApplyError> {
        let before = std::mem::take(T::list(self));
        let result = self.write_saved(&before, &after);
        let (kept, undo) = if result.is_ok() {
            (after, before)
        } else {
            (before, Vec::new())
        };
        *T::list(self) = kept;
        result.map(|()| Applied {
            inverse: Some(T::command(undo)),
            created: None,
        })
    }

    /// The problems of the goals `goals` adds or changes: a target of nothing, or a
    /// salesperson who is not one. The goals kept as they are pass (one of a salesperson
    /// deleted since stays, to be removed).
    pub(super) fn check_goals(&self, goals: &[Goal]) -> Result<(), Vec<FieldError>> {
        let changed: Vec<&Goal> = (goals.iter()).filter(|g| !self.goals.contains(g)).collect();
        let mut errors: Vec<FieldError> =
            (changed.iter()).filter_map(|g| g.check().err()).collect();
        let unknown = (changed.iter().filter_map(|g| g.salesperson))
            .any(|id| (self.lookup(id)).is_none_or(|l| l.kind != LookupKind::Salesperson));
        if unknown {
            errors.push(FieldError::new(Field::Salesperson, Problem::Unknown));
        }
        // A second target for the same measure, period and people.
        for g in &changed {
            if goals.iter().any(|o| o.id != g.id && o.same_as(g)) {
                let what = format!("{}, {}", g.measure.label(), g.every.label());
                errors.push(FieldError::new(Field::Target, Problem::Duplicate(what)));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Writes a new list of saved things in one transaction with its history.
    fn write_saved<T: Saved>(&mut self, before: &[T], after: &[T]) -> Result<(), ApplyError> {
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
                    None => lifecycle(tx, &stamp, kind, f.id(), "created", &f.name())?,
                    Some(b) if b != f => {
                        history(tx, &stamp, kind, f.id(), T::FIELD, b.name(), f.name())?;
                    }
                    Some(_) => {}
                }
            }
            for b in before
                .iter()
                .filter(|b| !after.iter().any(|f| f.id() == b.id()))
            {
                lifecycle(tx, &stamp, kind, b.id(), "deleted", &b.name())?;
            }
            T::put(tx, after)
        })?;
        Ok(())
    }

    /// Writes one preference with `put`, its history saying it went from `old` to `new`.
    fn write_preference(
        &self,
        field: &'static str,
        old: String,
        new: String,
        put: impl FnOnce(&mut crate::store::Tx) -> Result<(), crate::store::TxError>,
    ) -> Result<(), ApplyError> {
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            history(tx, &stamp, EntityKind::Settings, 0, field, old, new)?;
            put(tx)
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
        self.write_preference("list_columns", old, new, |tx| tx.put_list_columns(&columns))?;
        let before = std::mem::replace(&mut self.list_columns, columns);
        Ok(Applied {
            inverse: Some(Command::SetListColumns { columns: before }),
            created: None,
        })
    }

    /// Keeps the activities written to `path` after every change, or stops (None).
    pub(super) fn set_calendar_file(
        &mut self,
        path: Option<std::path::PathBuf>,
    ) -> Result<Applied, ApplyError> {
        let shown = |p: &Option<std::path::PathBuf>| {
            p.as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        };
        let (old, new) = (shown(&self.calendar_file), shown(&path));
        self.write_preference("calendar_file", old, new, |tx| {
            tx.put_calendar_file(path.as_deref())
        })?;
        let before = std::mem::replace(&mut self.calendar_file, path);
        Ok(Applied {
            inverse: Some(Command::SetCalendarFile { path: before }),
            created: None,
        })
    }

    /// The iCalendar file kept up to date with the activities, when one is.
    pub fn calendar_file(&self) -> Option<&std::path::Path> {
        self.calendar_file.as_deref()
    }

    /// How many times an activity was put or removed since the file was opened: the calendar
    /// file is written again when this moves.
    pub fn activities_changed(&self) -> u64 {
        self.activities_changed
    }
}
