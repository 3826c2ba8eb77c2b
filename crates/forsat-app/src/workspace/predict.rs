//! What the learner of predicted probabilities reads of the workspace: a [`Book`] copied out
//! a slice at a time (a million deals would hold a frame for a second), then learnt from on
//! another thread.

use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use crate::analytics::predict::{Book, DealRecord, Gathered, Predictions};
use crate::analytics::reports::Scope;
use crate::command::Change;
use crate::domain::{Id, Opportunity, StageKind};

use super::Workspace;

/// A copy of the deals of a scope for the learner, made a slice at a time.
pub struct BookCopy {
    generation: u64,
    today: chrono::NaiveDate,
    scope: Scope,
    deals: Vec<Id>,
    /// The deals whose close date changed.
    closes: Vec<Id>,
    /// How far the deals, the stage moves and the close-date changes have been copied.
    next: [usize; 3],
    gathered: Gathered,
}

/// How many records are copied between looks at the clock.
const SLICE: usize = 4096;

impl BookCopy {
    /// A copy of `scope`'s deals to be made from `ws` (nothing copied yet but their ids).
    pub fn new(ws: &Workspace, scope: &Scope) -> BookCopy {
        let mut gathered = Gathered::new(&ws.stages, ws.today());
        gathered.reserve(ws.opportunity_count(), ws.stage_events.len());
        BookCopy {
            generation: ws.generation(),
            today: ws.today(),
            scope: scope.clone(),
            deals: ws.opportunity_ids().collect(),
            closes: ws.close_dates.deals().collect(),
            next: [0; 3],
            gathered,
        }
    }

    /// Whether it copies `scope` of `ws` as it is now (and today).
    pub fn is_of(&self, ws: &Workspace, scope: &Scope) -> bool {
        self.generation == ws.generation() && self.today == ws.today() && self.scope == *scope
    }

    /// Copies for about `budget`; what was gathered once all is copied. `ws` must be the data
    /// it started from ([`BookCopy::is_of`]).
    pub fn step(&mut self, ws: &Workspace, budget: Duration) -> Option<Gathered> {
        let start = Instant::now();
        let [deals, events, closes] = &mut self.next;
        while *deals < self.deals.len() {
            let end = (*deals + SLICE).min(self.deals.len());
            for &id in &self.deals[*deals..end] {
                if let Some(record) = ws.prediction_record(id, &self.scope) {
                    self.gathered.deal(record);
                }
            }
            *deals = end;
            if start.elapsed() >= budget {
                return None;
            }
        }
        let moves = ws.stage_events();
        while *events < moves.len() {
            let end = (*events + 8 * SLICE).min(moves.len());
            for e in &moves[*events..end] {
                self.gathered.event(e);
            }
            *events = end;
            if start.elapsed() >= budget {
                return None;
            }
        }
        while *closes < self.closes.len() {
            let end = (*closes + SLICE).min(self.closes.len());
            for id in &self.closes[*closes..end] {
                self.gathered.close_dates(ws.close_dates(*id));
            }
            *closes = end;
            if start.elapsed() >= budget {
                return None;
            }
        }
        Some(std::mem::take(&mut self.gathered))
    }
}

impl Workspace {
    /// Every deal of `scope` out of the trash as the learner sees it: its life from its stage
    /// moves, its amount in the base currency. At a million
    /// deals this takes a second: the window copies a slice a frame ([`BookCopy`]).
    pub fn prediction_book(&self, scope: &Scope) -> Book {
        let mut copy = BookCopy::new(self, scope);
        copy.step(self, Duration::MAX)
            .expect("an unbounded step copies everything")
            .finish()
    }

    /// The open deals that follow their stage's probability, given what they should hold: the
    /// prediction (whole percent) when the settings ask for it and `predicted` has one, else
    /// their stage's default; only those that differ. With `all` false only the deals still at
    /// their stage's default (just moved or created) take their prediction: the window brings
    /// the others up to date once a day, not after every change (a closed deal moves every
    /// prediction a little, and each update is a change in a deal's history). None when
    /// nothing is to change.
    pub fn followers_change(&self, predicted: Option<&Predictions>, all: bool) -> Option<Change> {
        let follow = self.settings.predicted_probability;
        // The deals at their stage's default were listed while learning, off this thread:
        // walking a million deals here would hold a frame.
        let listed = predicted
            .filter(|_| follow && !all)
            .map(|p| (p.at_stage_default().iter()).filter_map(|id| self.opportunity(*id)));
        let deals: Box<dyn Iterator<Item = &Opportunity>> = match listed {
            Some(listed) => Box::new(listed),
            None => Box::new(self.opportunities()),
        };
        let update_deals: Vec<Opportunity> = deals
            .filter(|o| o.closed.is_none() && !o.probability_overridden)
            .filter(|o| !self.is_trashed(o.id))
            .filter_map(|o| {
                let stage = self.stage(o.stage).filter(|s| s.kind == StageKind::Open)?;
                let due = all || o.probability == stage.probability;
                // The prediction is looked up (a search among every open deal's) only when due.
                let prediction = (follow && due)
                    .then(|| predicted.and_then(|p| p.probability(o.id)))
                    .flatten();
                let target = match prediction {
                    Some(p) => Decimal::from((p * 100.0).round().clamp(0.0, 100.0) as u8),
                    _ if follow => return None,
                    _ => stage.probability,
                };
                (target != o.probability).then(|| Opportunity {
                    probability: target,
                    ..o.clone()
                })
            })
            .collect();
        (!update_deals.is_empty()).then(|| Change {
            update_deals,
            ..Change::default()
        })
    }

    /// Deal `id` as the learner reads it, when it is in `scope` and out of the trash.
    fn prediction_record(&self, id: Id, scope: &Scope) -> Option<DealRecord> {
        let o = self.opportunity(id)?;
        let created = o.created.date_naive();
        let in_scope = !self.is_trashed(id) && scope.holds(o.pipeline, created);
        in_scope.then(|| DealRecord {
            id,
            pipeline: o.pipeline,
            account: o.account,
            source: o.source,
            salesperson: o.salesperson,
            amount: f64::try_from(o.expected_base(&self.rates)).unwrap_or(0.0),
            created,
            stage: o.stage,
            closed: o.closed,
            at_stage_default: !o.probability_overridden
                && self
                    .stage(o.stage)
                    .is_some_and(|s| s.probability == o.probability),
        })
    }
}
