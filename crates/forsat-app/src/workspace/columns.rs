//! The board's columns: each stage's active deals in card order, with running totals, updated
//! one deal at a time so a move never rescans the pipeline.

use std::cmp::Reverse;

use chrono::NaiveDate;

use crate::analytics::StageTotals;
use crate::domain::{Id, IdMap, Opportunity, Rates};

/// Every deal by id, boxed (see `Workspace::opportunities`).
pub type Deals = IdMap<Box<Opportunity>>;

/// One stage's active deals.
#[derive(Clone, Debug, Default)]
pub struct BoardColumn {
    /// Deal ids in card order: priority first, then the nearest expected close, then age.
    pub ids: Vec<Id>,
    pub totals: StageTotals,
}

type CardKey = (Reverse<u8>, NaiveDate, Id);

fn card_key(opp: &Opportunity) -> CardKey {
    (
        Reverse(opp.priority),
        opp.expected_close.unwrap_or(NaiveDate::MAX),
        opp.id,
    )
}

impl BoardColumn {
    pub(super) const EMPTY: BoardColumn = BoardColumn {
        ids: Vec::new(),
        totals: StageTotals::ZERO,
    };

    /// The columns of `deals` (those on the board), each sorted once by keys worked out once.
    pub(super) fn build<'a>(
        deals: impl Iterator<Item = &'a Opportunity>,
        rates: &Rates,
    ) -> IdMap<BoardColumn> {
        let mut keyed: IdMap<(Vec<CardKey>, StageTotals)> = IdMap::default();
        for opp in deals {
            let (keys, totals) = keyed.entry(opp.stage).or_default();
            keys.push(card_key(opp));
            totals.add(opp, rates);
        }
        keyed
            .into_iter()
            .map(|(stage, (mut keys, totals))| {
                // Keys end with the id: no two are equal, so an unstable sort is exact.
                keys.sort_unstable();
                let ids = keys.into_iter().map(|(_, _, id)| id).collect();
                (stage, BoardColumn { ids, totals })
            })
            .collect()
    }

    /// Appends without keeping the order; [`Self::sort`] must follow (bulk loading).
    pub(super) fn push_unsorted(&mut self, opp: &Opportunity, rates: &Rates) {
        self.ids.push(opp.id);
        self.totals.add(opp, rates);
    }

    pub(super) fn sort(&mut self, opps: &Deals) {
        self.ids.sort_by_cached_key(|id| card_key(&opps[id]));
    }

    /// Inserts `opp` at its place in card order.
    pub(super) fn insert(&mut self, opp: &Opportunity, opps: &Deals, rates: &Rates) {
        let key = card_key(opp);
        let at = self
            .ids
            .partition_point(|id| opps.get(id).map(|o| card_key(o)).is_some_and(|k| k < key));
        self.ids.insert(at, opp.id);
        self.totals.add(opp, rates);
    }

    /// Removes `opp` (as it was when inserted).
    pub(super) fn remove(&mut self, opp: &Opportunity, opps: &Deals, rates: &Rates) {
        let key = card_key(opp);
        let at = self
            .ids
            .partition_point(|id| opps.get(id).map(|o| card_key(o)).is_some_and(|k| k < key));
        if self.ids.get(at) == Some(&opp.id) {
            self.ids.remove(at);
        } else if let Some(pos) = self.ids.iter().position(|&id| id == opp.id) {
            // Only reached if the map already holds the new version: stay correct regardless.
            self.ids.remove(pos);
        }
        self.totals.remove(opp, rates);
    }
}
