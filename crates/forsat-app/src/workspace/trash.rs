//! The trash: deals moved out of sight, restorable until the trash is emptied.

use std::collections::HashSet;

use super::Workspace;
use super::apply::{Applied, ApplyError, Stamp, lifecycle};
use crate::command::Command;
use crate::domain::{ActivityLink, EntityKind, Id};
use crate::store::TrashEntry;

impl Workspace {
    /// Moves deals to the trash, or back from it: one transaction, one history entry each.
    pub(super) fn set_trashed(
        &mut self,
        mut ids: Vec<Id>,
        trashed: bool,
    ) -> Result<Applied, ApplyError> {
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            if self.opportunity(*id).is_none() || self.is_trashed(*id) == trashed {
                return Err(ApplyError::Missing(EntityKind::Opportunity, *id));
            }
        }
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            for id in &ids {
                let name = &self.opportunities[id].name;
                if trashed {
                    tx.put_trash(&TrashEntry {
                        opportunity: *id,
                        at: now,
                    })?;
                    lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "trashed", name)?;
                } else {
                    tx.delete_trash(*id)?;
                    lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "restored", name)?;
                }
            }
            Ok(())
        })?;
        self.deals_changed(ids.iter().copied());
        for id in &ids {
            if trashed {
                self.leave_board(*id);
                self.trash.insert(*id, now);
            } else {
                self.trash.remove(id);
                let opp = (*self.opportunities[id]).clone();
                self.install(None, opp);
            }
        }
        let inverse = if trashed {
            Command::RestoreFromTrash { ids }
        } else {
            Command::Trash { ids }
        };
        Ok(Applied {
            inverse: Some(inverse),
            created: None,
        })
    }

    /// Deletes every deal in the trash for good, with its stage events and activities; its
    /// history stays.
    pub(super) fn empty_trash(&mut self) -> Result<Applied, ApplyError> {
        let ids: HashSet<Id> = self.trash.keys().copied().collect();
        let events = self.events_of(&ids);
        let activities: Vec<(Id, String)> = ids
            .iter()
            .flat_map(|id| self.activities_of(ActivityLink::Opportunity(*id)))
            .map(|a| (a.id, a.summary.clone()))
            .collect();
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            for id in &ids {
                tx.delete_opportunity(*id)?;
                tx.delete_trash(*id)?;
                let name = &self.opportunities[id].name;
                lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "deleted", name)?;
            }
            for e in &events {
                tx.delete_stage_event(*e)?;
            }
            for (id, summary) in &activities {
                tx.delete_record(EntityKind::Activity, *id)?;
                lifecycle(tx, &stamp, EntityKind::Activity, *id, "deleted", summary)?;
            }
            Ok(())
        })?;
        self.uninstall(&ids);
        for (id, _) in &activities {
            self.uninstall_record(EntityKind::Activity, *id);
        }
        Ok(Applied::default())
    }
}
