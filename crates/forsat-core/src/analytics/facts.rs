//! What the reports need of each deal beyond its record, worked out in one pass over the deals
//! and their stage moves and kept until the data changes: so a dashboard of reports over a
//! million deals converts each amount and walks the stage moves once, not once per report.

use std::num::NonZeroU64;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::{
    ForecastCategory, Id, IdMap, IdSet, Opportunity, Rates, Stage, StageEvent, StageKind,
};

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
    /// Its forecast category: its own, or its stage's.
    pub forecast: ForecastCategory,
    /// In the trash: on no report.
    pub trashed: bool,
    salesperson: Ref,
    source: Ref,
    loss_reason: Ref,
    competitor: Ref,
    pub created: NaiveDate,
    /// The day it entered its stage (its last stage move), for how long it has sat there.
    pub stage_entered: NaiveDate,
    pub expected_close: Option<NaiveDate>,
    pub closed: Option<NaiveDate>,
    /// The amount in the base currency.
    pub amount: Decimal,
    /// The weighted amount in the base currency.
    pub weighted: Decimal,
    /// Its probability of being won, in percent.
    pub probability: u8,
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

/// A stage a deal entered (its creation in it counts), and the latest stage move that took it
/// there. Ids only grow, so the move's id tells whether a stage added to the pipeline later
/// (a larger id) existed when the deal moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entered {
    pub stage: Id,
    /// The id of the latest stage event into `stage`.
    pub by: Id,
}

/// Each stage's kind and forecast category.
type Kinds = IdMap<(StageKind, ForecastCategory)>;

/// The facts of every deal.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    deals: Vec<DealFacts>,
    /// Each deal's distinct entered stages, one deal after the other.
    entered: Vec<Entered>,
    /// Where each deal is in `deals`.
    index: IdMap<u32>,
    /// Entered stages no deal points at any more (left behind by [`Facts::patch`]).
    unused: usize,
}

/// What the facts of a deal are worked out from.
pub struct Sources<'a, T> {
    /// Whether a deal is in the trash.
    pub trashed: T,
    /// Every stage move, in the order they happened.
    pub events: &'a [StageEvent],
    pub stages: &'a [Stage],
    pub rates: &'a Rates,
}

impl<T: Fn(Id) -> bool> Sources<'_, T> {
    fn kinds(&self) -> IdMap<(StageKind, ForecastCategory)> {
        self.stages
            .iter()
            .map(|s| (s.id, (s.kind, s.forecast)))
            .collect()
    }

    /// A deal's facts from its record, before its stage moves are placed.
    fn record(&self, opp: &Opportunity, kinds: &Kinds) -> DealFacts {
        let stage = kinds.get(&opp.stage).copied();
        let amount = opp.expected_base(self.rates);
        DealFacts {
            id: opp.id,
            pipeline: opp.pipeline,
            stage: opp.stage,
            kind: stage.map(|(kind, _)| kind),
            active: opp.active,
            forecast: opp
                .forecast
                .category(stage.map_or(ForecastCategory::Pipeline, |(_, c)| c)),
            trashed: (self.trashed)(opp.id),
            salesperson: to_ref(opp.salesperson),
            source: to_ref(opp.source),
            loss_reason: to_ref(opp.loss_reason),
            competitor: to_ref(opp.competitor),
            created: opp.created.date_naive(),
            stage_entered: opp.stage_entered.date_naive(),
            expected_close: opp.expected_close,
            closed: opp.closed,
            amount,
            weighted: crate::domain::weighted(amount, opp.probability),
            probability: rust_decimal::prelude::ToPrimitive::to_u8(&opp.probability.round())
                .unwrap_or(0),
            lost_from: None,
            entered: (0, 0),
        }
    }
}

impl Facts {
    /// The facts of `opportunities` from `sources`.
    pub fn new<'a>(
        opportunities: impl IntoIterator<Item = &'a Opportunity>,
        sources: &Sources<'_, impl Fn(Id) -> bool>,
    ) -> Facts {
        let kinds = sources.kinds();
        let mut facts = Facts::default();
        for opp in opportunities {
            facts.index.insert(opp.id, facts.deals.len() as u32);
            facts.deals.push(sources.record(opp, &kinds));
        }
        let index = &facts.index;
        let moves: Vec<(u32, &StageEvent)> = sources
            .events
            .iter()
            .filter_map(|e| Some((*index.get(&e.opportunity)?, e)))
            .collect();
        facts.place(&moves, &kinds);
        facts
    }

    /// Brings the facts up to date after changes: the deals `changed` (created, edited,
    /// moved, trashed, restored or deleted) are read again, the stage moves of the deals
    /// `replaced` (an undo took one of theirs back) are forgotten, and the stage moves `added`
    /// since (in any order; every move of a replaced deal) are placed after those of their
    /// deals. Only those deals are visited. Otherwise moves are only ever added to a deal that
    /// stays (its others are deleted with it, or re-pointed by a merge, after which the facts
    /// are worked out afresh).
    pub fn patch<'a>(
        &mut self,
        changed: &IdSet,
        replaced: &IdSet,
        added: &[StageEvent],
        deal: impl Fn(Id) -> Option<&'a Opportunity>,
        sources: &Sources<'_, impl Fn(Id) -> bool>,
    ) {
        let kinds = sources.kinds();
        for &id in changed {
            let at = self.index.get(&id).map(|&i| i as usize);
            match (deal(id), at) {
                (Some(opp), Some(at)) => {
                    let old = self.deals[at];
                    self.deals[at] = DealFacts {
                        lost_from: old.lost_from,
                        entered: old.entered,
                        ..sources.record(opp, &kinds)
                    };
                }
                (Some(opp), None) => {
                    self.index.insert(id, self.deals.len() as u32);
                    self.deals.push(sources.record(opp, &kinds));
                }
                // A deleted deal stays, on no report, so no index moves; its moves come back
                // with it if it is restored.
                (None, Some(at)) => {
                    let facts = &mut self.deals[at];
                    self.unused += facts.entered.1 as usize;
                    facts.trashed = true;
                    facts.entered = (0, 0);
                    facts.lost_from = None;
                }
                (None, None) => {}
            }
        }
        for id in replaced {
            if let Some(&at) = self.index.get(id) {
                let facts = &mut self.deals[at as usize];
                self.unused += facts.entered.1 as usize;
                facts.entered = (0, 0);
                facts.lost_from = None;
            }
        }
        let mut added: Vec<&StageEvent> = added.iter().collect();
        added.sort_by_key(|e| (e.at, e.id));
        for event in added {
            if deal(event.opportunity).is_none() {
                continue;
            }
            if let Some(&i) = self.index.get(&event.opportunity) {
                self.enter(i as usize, event, &kinds);
            }
        }
    }

    /// Places one more stage move of deal `i` after its others, moving its entered stages to
    /// the end of the vector when they are not there already.
    fn enter(&mut self, i: usize, event: &StageEvent, kinds: &Kinds) {
        let (first, len) = self.deals[i].entered;
        let (first, len) = (first as usize, len as usize);
        let taken = &mut self.entered[first..first + len];
        if let Some(entry) = taken.iter_mut().find(|e| e.stage == event.to) {
            entry.by = entry.by.max(event.id);
        } else {
            if first + len != self.entered.len() {
                self.entered.extend_from_within(first..first + len);
                self.unused += len;
            }
            self.entered.push(Entered {
                stage: event.to,
                by: event.id,
            });
            self.deals[i].entered = ((self.entered.len() - len - 1) as u32, len as u32 + 1);
        }
        if kinds
            .get(&event.to)
            .is_some_and(|(kind, _)| *kind == StageKind::Lost)
        {
            self.deals[i].lost_from = to_ref(event.from);
        }
    }

    /// Stage moves and the entries left unused by patches; past half, a rebuild pays.
    pub fn worn(&self) -> bool {
        self.unused > self.entered.len() / 2
    }

    /// Places the deals' stage `moves` (in the order they happened) after the entered stages
    /// already placed: two passes, counting each deal's first, so every deal's stages lie
    /// together in one vector instead of a vector each.
    fn place(&mut self, moves: &[(u32, &StageEvent)], kinds: &Kinds) {
        let mut counts = vec![0u32; self.deals.len()];
        for (i, _) in moves {
            counts[*i as usize] += 1;
        }
        let mut start = self.entered.len() as u32;
        for (facts, count) in self.deals.iter_mut().zip(&counts) {
            if *count > 0 {
                facts.entered = (start, 0);
                start += count;
            }
        }
        self.entered
            .resize(start as usize, Entered { stage: 0, by: 0 });
        for (i, event) in moves {
            let facts = &mut self.deals[*i as usize];
            let (first, len) = facts.entered;
            let taken = &mut self.entered[first as usize..(first + len) as usize];
            if let Some(entry) = taken.iter_mut().find(|e| e.stage == event.to) {
                entry.by = entry.by.max(event.id);
            } else {
                self.entered[(first + len) as usize] = Entered {
                    stage: event.to,
                    by: event.id,
                };
                facts.entered.1 += 1;
            }
            if kinds
                .get(&event.to)
                .is_some_and(|(kind, _)| *kind == StageKind::Lost)
            {
                facts.lost_from = to_ref(event.from);
            }
        }
    }

    /// Every deal's facts.
    pub fn deals(&self) -> &[DealFacts] {
        &self.deals
    }

    /// The distinct stages `facts`' deal ever entered, each with its latest move there.
    pub fn entered(&self, facts: &DealFacts) -> &[Entered] {
        let (first, len) = facts.entered;
        &self.entered[first as usize..(first + len) as usize]
    }

    /// Where deal `id` is in [`Facts::deals`].
    pub fn position(&self, id: Id) -> Option<usize> {
        self.index.get(&id).map(|&i| i as usize)
    }
}
