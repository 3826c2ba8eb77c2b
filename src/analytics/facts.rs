//! What the reports need of each deal beyond its record, worked out in one pass over the deals
//! and their stage moves and kept until the data changes: so a dashboard of reports over a
//! million deals converts each amount and walks the stage moves once, not once per report.

use std::num::NonZeroU64;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::{Id, IdMap, Opportunity, Rates, Stage, StageEvent, StageKind};

/// One deal's facts: the fields reports read, copied out of the record so a report walks one
/// compact vector instead of a map of whole deals, and what is worked out from its stage
/// moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DealFacts {
    pub id: Id,
    pub pipeline: Id,
    pub stage: Id,
    /// Its stage's kind (None for a stage the data does not have).
    pub kind: Option<StageKind>,
    pub active: bool,
    pub forecast: bool,
    /// In the trash: on no report.
    pub trashed: bool,
    salesperson: Ref,
    source: Ref,
    loss_reason: Ref,
    competitor: Ref,
    pub created: NaiveDate,
    pub expected_close: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    /// The amount in the base currency.
    pub amount: Decimal,
    /// The weighted amount in the base currency.
    pub weighted: Decimal,
    /// The stage it was in when it was last moved to a lost stage.
    lost_from: Ref,
    /// Where its entered stages start in [`Facts::entered`], and how many.
    entered: (u32, u32),
}

/// An optional reference in half the room of an `Option<Id>`: ids start at 1, so 0 is free to
/// mean none. A million deals' facts are read by every report, so their size is its speed.
type Ref = Option<NonZeroU64>;

fn to_ref(id: Option<Id>) -> Ref {
    id.and_then(NonZeroU64::new)
}

impl DealFacts {
    pub fn salesperson(&self) -> Option<Id> {
        self.salesperson.map(NonZeroU64::get)
    }

    pub fn source(&self) -> Option<Id> {
        self.source.map(NonZeroU64::get)
    }

    pub fn loss_reason(&self) -> Option<Id> {
        self.loss_reason.map(NonZeroU64::get)
    }

    pub fn competitor(&self) -> Option<Id> {
        self.competitor.map(NonZeroU64::get)
    }

    /// The stage it was in when it was last moved to a lost stage.
    pub fn lost_from(&self) -> Option<Id> {
        self.lost_from.map(NonZeroU64::get)
    }
}

/// The facts of every deal.
#[derive(Debug, Default)]
pub struct Facts {
    deals: Vec<DealFacts>,
    /// Each deal's distinct entered stages (creation counts), one deal after the other.
    entered: Vec<Id>,
}

impl Facts {
    /// The facts of `opportunities` (those `trashed` says are in the trash marked so) from
    /// their stage moves `events` (in the order they happened) through `stages`.
    pub fn new<'a>(
        opportunities: impl IntoIterator<Item = &'a Opportunity>,
        trashed: impl Fn(Id) -> bool,
        events: &[StageEvent],
        stages: &[Stage],
        rates: &Rates,
    ) -> Facts {
        let kinds: IdMap<StageKind> = stages.iter().map(|s| (s.id, s.kind)).collect();
        let mut index = IdMap::default();
        let mut deals = Vec::new();
        for opp in opportunities {
            index.insert(opp.id, deals.len() as u32);
            let amount = opp.expected_base(rates);
            deals.push(DealFacts {
                id: opp.id,
                pipeline: opp.pipeline,
                stage: opp.stage,
                kind: kinds.get(&opp.stage).copied(),
                active: opp.active,
                forecast: opp.forecast,
                trashed: trashed(opp.id),
                salesperson: to_ref(opp.salesperson),
                source: to_ref(opp.source),
                loss_reason: to_ref(opp.loss_reason),
                competitor: to_ref(opp.competitor),
                created: opp.created.date_naive(),
                expected_close: opp.expected_close,
                closed: opp.closed,
                amount,
                weighted: crate::domain::weighted(amount, opp.probability),
                lost_from: None,
                entered: (0, 0),
            });
        }
        // Two passes over the moves: count each deal's, then place them, so every deal's
        // stages lie together in one vector instead of a vector each.
        let owner: Vec<Option<u32>> = events
            .iter()
            .map(|e| index.get(&e.opportunity).copied())
            .collect();
        let mut counts = vec![0u32; deals.len()];
        for i in owner.iter().flatten() {
            counts[*i as usize] += 1;
        }
        let mut start = 0u32;
        for (facts, count) in deals.iter_mut().zip(&counts) {
            facts.entered = (start, 0);
            start += count;
        }
        let mut entered = vec![0; start as usize];
        for (event, i) in events.iter().zip(&owner) {
            let Some(i) = i else { continue };
            let facts = &mut deals[*i as usize];
            let (first, len) = facts.entered;
            let taken = &entered[first as usize..(first + len) as usize];
            if !taken.contains(&event.to) {
                entered[(first + len) as usize] = event.to;
                facts.entered.1 += 1;
            }
            if kinds.get(&event.to) == Some(&StageKind::Lost) {
                facts.lost_from = to_ref(event.from);
            }
        }
        Facts { deals, entered }
    }

    /// Every deal's facts.
    pub fn deals(&self) -> &[DealFacts] {
        &self.deals
    }

    /// The distinct stages `facts`' deal ever entered.
    pub fn entered(&self, facts: &DealFacts) -> &[Id] {
        let (first, len) = facts.entered;
        &self.entered[first as usize..(first + len) as usize]
    }
}
