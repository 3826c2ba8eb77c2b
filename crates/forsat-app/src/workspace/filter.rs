//! Matching deals against a [`Filter`]: the search shared by the board and the list.

use super::Workspace;
use std::sync::Arc;

use super::IdBits;
use crate::analytics::StageTotals;
use crate::domain::{Filter, Id, Opportunity, Status};

impl Workspace {
    /// Whether `opp` passes `filter`. `text` holds the deals matching the filter's text, as
    /// [`Self::filter_text`] finds them once for all deals (None: the filter has no text).
    pub fn matches(&self, opp: &Opportunity, filter: &Filter, text: Option<&IdBits>) -> bool {
        if text.is_some_and(|found| !found.contains(opp.id)) {
            return false;
        }
        if self.is_trashed(opp.id) != filter.is_trash() {
            return false;
        }
        if !filter.matches_fields(opp, self.today()) {
            return false;
        }
        if filter.forecast.is_some()
            && !filter.matches_forecast(opp.forecast, self.stage_category(opp))
        {
            return false;
        }
        filter.status != Status::Stale || self.stale_days(opp).is_some()
    }

    /// The deals whose name, account name, next step or description holds the filter's
    /// text, ignoring case; None when the filter has no text.
    pub fn filter_text(&self, filter: &Filter) -> Option<Arc<IdBits>> {
        let needle = filter.text.trim().to_lowercase();
        (!needle.is_empty()).then(|| self.text_matches(&needle))
    }

    /// How long the deal has sat in its stage, when that is beyond the stage's threshold.
    pub fn stale_days(&self, opp: &Opportunity) -> Option<i64> {
        self.stage(opp.stage)
            .and_then(|stage| opp.stale_days(stage, self.today()))
    }

    /// The ids of `stage`'s active deals that pass `filter`, in card order, and their totals.
    pub fn filtered_column(&self, stage: Id, filter: &Filter) -> (Vec<Id>, StageTotals) {
        let text = self.filter_text(filter);
        let column = self.column(stage);
        if filter.only_text() {
            // A column holds active deals out of the trash, as such a filter asks.
            return match text {
                Some(found) => column.filtered(|id| found.contains(id)),
                None => (column.ids.clone(), column.totals),
            };
        }
        column.filtered(|id| {
            self.opportunity(id)
                .is_some_and(|o| self.matches(o, filter, text.as_deref()))
        })
    }
}
