//! Matching deals against a [`Filter`]: the search shared by the board and the list.

use super::Workspace;
use crate::domain::{Filter, Id, Opportunity, Status};

impl Workspace {
    /// Whether `opp` passes `filter`. `needle` is the filter's text, trimmed and lowercased
    /// once by the caller.
    pub fn matches(&self, opp: &Opportunity, filter: &Filter, needle: &str) -> bool {
        if self.is_trashed(opp.id) != filter.is_trash() {
            return false;
        }
        if !filter.matches_fields(opp, self.today()) {
            return false;
        }
        if filter.status == Status::Stale && self.stale_days(opp).is_none() {
            return false;
        }
        if needle.is_empty() {
            return true;
        }
        let account = self.account(opp.account).map_or("", |a| a.name.as_str());
        [
            opp.name.as_str(),
            account,
            opp.next_step.as_str(),
            opp.description.as_str(),
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(needle))
    }

    /// How long the deal has sat in its stage, when that is beyond the stage's threshold.
    pub fn stale_days(&self, opp: &Opportunity) -> Option<i64> {
        self.stage(opp.stage)
            .and_then(|stage| opp.stale_days(stage, self.today()))
    }

    /// The ids of `stage`'s active deals that pass `filter`, in card order.
    pub fn filtered_column(&self, stage: Id, filter: &Filter) -> Vec<Id> {
        let needle = filter.text.trim().to_lowercase();
        self.column(stage)
            .ids
            .iter()
            .copied()
            .filter(|id| {
                self.opportunity(*id)
                    .is_some_and(|o| self.matches(o, filter, &needle))
            })
            .collect()
    }
}
