//! The board's columns: each stage's active deals in card order, with running totals, updated
//! one deal at a time so a move never rescans the pipeline.

use std::cmp::Reverse;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::analytics::StageTotals;
use crate::domain::{Id, IdMap, Opportunity, Rates};

/// Every deal by id, boxed (see `Workspace::opportunities`).
pub type Deals = IdMap<Box<Opportunity>>;

/// One stage's active deals.
#[derive(Clone, Debug, Default)]
pub struct BoardColumn {
    /// Deal ids in card order: priority first, then the nearest expected close, then age.
    pub ids: Vec<Id>,
    /// Each card's revenue, beside `ids`: a filtered column adds these up rather than visit
    /// every deal (a search's keystroke at a million deals).
    worth: Vec<Worth>,
    pub totals: StageTotals,
}

/// A card's expected and weighted revenue in the base currency, as [`StageTotals::add`]
/// counts them.
#[derive(Clone, Copy, Debug)]
struct Worth {
    expected: Decimal,
    weighted: Decimal,
}

impl Worth {
    fn of(opp: &Opportunity, rates: &Rates) -> Worth {
        Worth {
            expected: opp.expected_base(rates),
            weighted: opp.weighted_base(rates),
        }
    }
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
        worth: Vec::new(),
        totals: StageTotals::ZERO,
    };

    /// The columns of `deals` (those on the board), each sorted once by keys worked out once.
    pub(super) fn build<'a>(
        deals: impl Iterator<Item = &'a Opportunity>,
        rates: &Rates,
    ) -> IdMap<BoardColumn> {
        let mut keyed: IdMap<(Vec<(CardKey, Worth)>, StageTotals)> = IdMap::default();
        for opp in deals {
            let (keys, totals) = keyed.entry(opp.stage).or_default();
            keys.push((card_key(opp), Worth::of(opp, rates)));
            totals.add(opp, rates);
        }
        keyed
            .into_iter()
            .map(|(stage, (mut keys, totals))| {
                // Keys end with the id: no two are equal, so an unstable sort is exact.
                keys.sort_unstable_by_key(|(key, _)| *key);
                let (ids, worth) = keys.into_iter().map(|((_, _, id), w)| (id, w)).unzip();
                (stage, BoardColumn { ids, worth, totals })
            })
            .collect()
    }

    /// Appends without keeping the order; [`Self::sort`] must follow (bulk loading).
    pub(super) fn push_unsorted(&mut self, opp: &Opportunity, rates: &Rates) {
        self.ids.push(opp.id);
        self.worth.push(Worth::of(opp, rates));
        self.totals.add(opp, rates);
    }

    pub(super) fn sort(&mut self, opps: &Deals) {
        let mut cards: Vec<(Id, Worth)> = self.ids.drain(..).zip(self.worth.drain(..)).collect();
        cards.sort_by_cached_key(|(id, _)| card_key(&opps[id]));
        (self.ids, self.worth) = cards.into_iter().unzip();
    }

    /// The cards `pass` lets through, in card order, and their totals: added up from each
    /// card's worth, or when most pass, the column's totals less those left out.
    pub fn filtered(&self, pass: impl Fn(Id) -> bool) -> (Vec<Id>, StageTotals) {
        let mut ids = Vec::new();
        let mut left_out = Vec::new();
        for (at, id) in self.ids.iter().enumerate() {
            if pass(*id) {
                ids.push(*id);
            } else {
                left_out.push(at);
            }
        }
        let totals = if left_out.len() < ids.len() {
            let mut totals = self.totals;
            for worth in left_out.iter().map(|at| self.worth[*at]) {
                totals.remove_amounts(worth.expected, worth.weighted);
            }
            totals
        } else {
            let mut totals = StageTotals::ZERO;
            let mut left_out = left_out.iter().peekable();
            for (at, worth) in self.worth.iter().enumerate() {
                if left_out.next_if_eq(&&at).is_none() {
                    totals.add_amounts(worth.expected, worth.weighted);
                }
            }
            totals
        };
        (ids, totals)
    }

    /// Removes the deals `olds` (as they were when inserted) at once: one pass over the
    /// column, where removing each would shift the column once per deal.
    pub(super) fn remove_many<'a>(
        &mut self,
        olds: impl IntoIterator<Item = &'a Opportunity>,
        rates: &Rates,
    ) {
        let mut gone = crate::domain::IdSet::default();
        for old in olds {
            self.totals.remove(old, rates);
            gone.insert(old.id);
        }
        let mut worth = std::mem::take(&mut self.worth).into_iter();
        let mut kept = Vec::with_capacity(self.ids.len());
        self.ids.retain(|id| {
            let w = worth.next();
            let keep = !gone.contains(id);
            kept.extend(w.filter(|_| keep));
            keep
        });
        self.worth = kept;
    }

    /// Inserts `opp` at its place in card order.
    pub(super) fn insert(&mut self, opp: &Opportunity, opps: &Deals, rates: &Rates) {
        let key = card_key(opp);
        let at = self
            .ids
            .partition_point(|id| opps.get(id).map(|o| card_key(o)).is_some_and(|k| k < key));
        self.ids.insert(at, opp.id);
        self.worth.insert(at, Worth::of(opp, rates));
        self.totals.add(opp, rates);
    }

    /// Removes `opp` (as it was when inserted).
    pub(super) fn remove(&mut self, opp: &Opportunity, opps: &Deals, rates: &Rates) {
        let key = card_key(opp);
        let at = self
            .ids
            .partition_point(|id| opps.get(id).map(|o| card_key(o)).is_some_and(|k| k < key));
        let at = if self.ids.get(at) == Some(&opp.id) {
            Some(at)
        } else {
            // Only reached if the map already holds the new version: stay correct regardless.
            self.ids.iter().position(|&id| id == opp.id)
        };
        if let Some(at) = at {
            self.ids.remove(at);
            self.worth.remove(at);
        }
        self.totals.remove(opp, rates);
    }
}
