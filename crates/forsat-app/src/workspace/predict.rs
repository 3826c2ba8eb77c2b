//! What the learner of predicted probabilities reads of the workspace: a [`Book`] copied out
//! on the calling thread, so training and scoring run on another.

use crate::analytics::predict::{Book, DealRecord};
use crate::analytics::reports::Scope;
use crate::domain::ActivityLink;

use super::Workspace;

impl Workspace {
    /// Every deal of `scope` out of the trash as the learner sees it: its life from its stage
    /// moves, the days its activities were done, its amount in the base currency.
    pub fn prediction_book(&self, scope: &Scope) -> Book {
        let deals = self
            .opportunities()
            .filter(|o| !self.is_trashed(o.id))
            .filter(|o| scope.pipeline.is_none_or(|p| o.pipeline == p))
            .filter(|o| {
                let created = o.created.date_naive();
                scope.created_from.is_none_or(|from| created >= from)
                    && scope.created_to.is_none_or(|to| created <= to)
            })
            .map(|o| DealRecord {
                id: o.id,
                pipeline: o.pipeline,
                account: o.account,
                source: o.source,
                salesperson: o.salesperson,
                amount: f64::try_from(o.expected_base(&self.rates)).unwrap_or(0.0),
                created: o.created.date_naive(),
                stage: o.stage,
                closed: o.closed,
            });
        let done = self.activities.values().filter_map(|a| match a.link {
            ActivityLink::Opportunity(deal) if a.done => Some((deal, a.due)),
            _ => None,
        });
        Book::new(deals, &self.stage_events, done, &self.stages, self.today())
    }
}
