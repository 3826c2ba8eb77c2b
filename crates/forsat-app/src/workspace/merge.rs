//! Merging duplicates into one deal, and undoing it.

use std::collections::HashMap;

use super::Workspace;
use super::apply::{Applied, ApplyError, MovesDone, Staged, Stamp, history, lifecycle};
use crate::command::{Command, Moves};
use crate::domain::{Activity, ActivityLink, EntityKind, Id, Opportunity, Record};
use crate::store::{TrashEntry, Tx};

impl Workspace {
    /// Merges the deals `merged` into `new` (the survivor's new version); a change of its
    /// stage puts back the move `moves` names (a redo) or records a new one.
    pub(super) fn merge(
        &mut self,
        mut new: Opportunity,
        mut merged: Vec<Id>,
        moves: &Moves,
    ) -> Result<Applied, ApplyError> {
        merged.sort_unstable();
        merged.dedup();
        let missing = |id| ApplyError::Missing(EntityKind::Opportunity, id);
        let old = self.opportunity(new.id).cloned().ok_or(missing(new.id))?;
        if let Some(&bad) = merged
            .iter()
            .find(|m| **m == new.id || self.opportunity(**m).is_none() || self.is_trashed(**m))
        {
            return Err(missing(bad));
        }
        let now = self.now();
        self.prepare(Some(&old), &mut new, now, &Staged::default())
            .map_err(ApplyError::Invalid)?;
        let moved_events: Vec<(Id, Id)> = self
            .stage_events
            .iter()
            .filter(|e| merged.contains(&e.opportunity))
            .map(|e| (e.id, e.opportunity))
            .collect();
        let names: Vec<String> = merged
            .iter()
            .map(|m| self.opportunities[m].name.clone())
            .collect();
        let moved_activities: Vec<(Id, Id)> = merged
            .iter()
            .flat_map(|m| {
                self.activities_of(ActivityLink::Opportunity(*m))
                    .into_iter()
                    .map(|a| (a.id, *m))
            })
            .collect();
        let survivor = new.id;
        let (done, moved_history, activities) = self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            let mut done = MovesDone::default();
            let pending = Staged::default();
            self.write_undoable(tx, &stamp, (&old, &new), &pending, moves, &mut done)?;
            self.repoint_events(tx, &moved_events, |_| survivor)?;
            let activities = self.repoint_activities(tx, &moved_activities, |_| survivor)?;
            let mut moved = Vec::new();
            for m in &merged {
                let ids = tx.move_history(EntityKind::Opportunity, *m, survivor, None)?;
                moved.extend(ids.into_iter().map(|h| (h, *m)));
                tx.put_trash(&TrashEntry {
                    opportunity: *m,
                    at: now,
                })?;
                let into = new.name.clone();
                history(
                    tx,
                    &stamp,
                    EntityKind::Opportunity,
                    *m,
                    "merged_into",
                    String::new(),
                    into,
                )?;
            }
            let joined = names.join(", ");
            history(
                tx,
                &stamp,
                EntityKind::Opportunity,
                survivor,
                "merged",
                String::new(),
                joined,
            )?;
            Ok((done, moved, activities))
        })?;
        let moves = done.inverse();
        done.install(self);
        self.reassign_events(&moved_events, |_| survivor);
        for a in activities {
            self.install_record(Record::Activity(a));
        }
        self.install(Some(&old), new);
        for m in &merged {
            self.leave_board(*m);
            self.trash.insert(*m, now);
        }
        Ok(Applied {
            inverse: Some(Command::Unmerge {
                survivor: Box::new(old),
                merged,
                events: moved_events,
                history: moved_history,
                activities: moved_activities,
                moves,
            }),
            created: None,
        })
    }

    /// Undoes a merge (see [`Command::Unmerge`]): the survivor's stage move the merge made is
    /// taken back, as every undo does, instead of a move back being recorded.
    pub(super) fn unmerge(
        &mut self,
        mut earlier: Opportunity,
        merged: Vec<Id>,
        events: &[(Id, Id)],
        moved_history: &[(Id, Id)],
        moved_activities: &[(Id, Id)],
        moves: &Moves,
    ) -> Result<Applied, ApplyError> {
        let missing = |id| ApplyError::Missing(EntityKind::Opportunity, id);
        let current = self
            .opportunity(earlier.id)
            .cloned()
            .ok_or(missing(earlier.id))?;
        if let Some(&bad) = merged.iter().find(|m| !self.is_trashed(**m)) {
            return Err(missing(bad));
        }
        let now = self.now();
        self.prepare(Some(&current), &mut earlier, now, &Staged::default())
            .map_err(ApplyError::Invalid)?;
        let survivor = earlier.id;
        let (done, activities) = self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            let mut done = MovesDone::default();
            let pending = Staged::default();
            self.write_undoable(tx, &stamp, (&current, &earlier), &pending, moves, &mut done)?;
            self.repoint_events(tx, events, |from| from)?;
            let activities = self.repoint_activities(tx, moved_activities, |from| from)?;
            for m in &merged {
                let ids: Vec<Id> = moved_history
                    .iter()
                    .filter(|(_, from)| from == m)
                    .map(|(h, _)| *h)
                    .collect();
                tx.move_history(EntityKind::Opportunity, survivor, *m, Some(&ids))?;
                tx.delete_trash(*m)?;
                let name = &self.opportunities[m].name;
                lifecycle(tx, &stamp, EntityKind::Opportunity, *m, "restored", name)?;
            }
            Ok((done, activities))
        })?;
        let moves = done.inverse();
        done.install(self);
        self.reassign_events(events, |from| from);
        for a in activities {
            self.install_record(Record::Activity(a));
        }
        self.install(Some(&current), earlier);
        for m in &merged {
            self.trash.remove(m);
            let opp = (*self.opportunities[m]).clone();
            self.install(None, opp);
        }
        Ok(Applied {
            inverse: Some(Command::Merge {
                survivor: Box::new(current),
                merged,
                moves,
            }),
            created: None,
        })
    }

    /// Writes the stage events `moves` (event id, the deal it came from) pointed at the deal
    /// `owner` names for that origin: the survivor in a merge, the origin itself in its undo.
    pub(super) fn repoint_events(
        &self,
        tx: &mut Tx<'_>,
        moves: &[(Id, Id)],
        owner: impl Fn(Id) -> Id,
    ) -> Result<(), crate::store::TxError> {
        for (event, from) in moves {
            if let Some(e) = self.stage_events.iter().find(|e| e.id == *event) {
                let mut e = e.clone();
                e.opportunity = owner(*from);
                tx.put_stage_event(&e)?;
            }
        }
        Ok(())
    }

    /// Writes the activities `moves` (activity id, the deal it came from) linked to the deal
    /// `owner` names, as [`Self::repoint_events`] does; returns them for memory.
    fn repoint_activities(
        &self,
        tx: &mut Tx<'_>,
        moves: &[(Id, Id)],
        owner: impl Fn(Id) -> Id,
    ) -> Result<Vec<Activity>, crate::store::TxError> {
        let mut out = Vec::with_capacity(moves.len());
        for (id, from) in moves {
            if let Some(a) = self.activity(*id) {
                let moved = Activity {
                    link: ActivityLink::Opportunity(owner(*from)),
                    ..a.clone()
                };
                tx.put_record(&Record::Activity(moved.clone()))?;
                out.push(moved);
            }
        }
        Ok(out)
    }

    /// [`Self::repoint_events`] for the events in memory.
    pub(super) fn reassign_events(&mut self, moves: &[(Id, Id)], owner: impl Fn(Id) -> Id) {
        self.facts_stale();
        let origin: HashMap<Id, Id> = moves.iter().copied().collect();
        for e in &mut self.stage_events {
            if let Some(from) = origin.get(&e.id) {
                e.opportunity = owner(*from);
            }
        }
    }
}
