//! What the learner reads: every deal's life as day numbers — when it was made, each stage it
//! entered and when, how it ended — copied out of the records once, so training and the
//! backtest walk compact vectors on another thread.
//!
//! Activities are not read: an activity keeps whether it is done but not the day it was done,
//! so a look at a past day could not tell a task done by then from one ticked off later (more
//! often on deals that were won) — an outcome leaking into the past.

use std::ops::Range;

use chrono::{Datelike as _, NaiveDate};

use super::features::Accounts;
use crate::domain::{CloseDateChange, Id, IdMap, Stage, StageEvent, StageKind, push_spans};

/// A day as a number (days since 1 January of year 1), so ages are subtractions.
pub type Day = i32;

/// The day number of `date`.
pub fn day(date: NaiveDate) -> Day {
    date.num_days_from_ce()
}

/// How a deal ended, or that it has not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Open,
    Won(Day),
    /// The day, and the stage it was in when it was moved to a lost stage.
    Lost(Day, Option<Id>),
}

impl End {
    /// The day it closed.
    pub fn closed(self) -> Option<Day> {
        match self {
            End::Open => None,
            End::Won(d) | End::Lost(d, _) => Some(d),
        }
    }

    pub fn won(self) -> bool {
        matches!(self, End::Won(_))
    }
}

/// A deal as the learner sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Deal {
    pub record: DealRecord,
    pub created: Day,
    pub end: End,
    /// Its stage moves in [`Book::moves`], oldest first.
    moves: Range<u32>,
    /// Its close date's pushes in [`Book::pushes`], oldest first.
    pushes: Range<u32>,
}

/// A deal's entry into a stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Move {
    pub day: Day,
    pub stage: Id,
}

/// A push of a deal's close date: the day it was pushed and the day it was put back
/// ([`Day::MAX`] while it stands).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub from: Day,
    pub until: Day,
}

/// What the learner knows of a stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageInfo {
    pub pipeline: Id,
    pub sequence: u32,
    pub kind: StageKind,
    /// Its default probability, 0–1.
    pub probability: f64,
}

/// Every deal's life, and the stages.
#[derive(Clone, Debug, Default)]
pub struct Book {
    pub deals: Vec<Deal>,
    moves: Vec<Move>,
    pushes: Vec<Span>,
    pub stages: IdMap<StageInfo>,
    /// Each pipeline's stages in order.
    pub pipelines: IdMap<Vec<Id>>,
    pub today: Day,
    /// Each account's closed deals, to count those before a day.
    pub(super) accounts: Accounts,
}

/// One deal's record as the workspace hands it to [`Book::new`].
#[derive(Clone, Debug, PartialEq)]
pub struct DealRecord {
    pub id: Id,
    pub pipeline: Id,
    pub account: Id,
    pub source: Option<Id>,
    pub salesperson: Option<Id>,
    /// Its amount in the base currency.
    pub amount: f64,
    pub created: NaiveDate,
    /// The stage it is in now.
    pub stage: Id,
    pub closed: Option<NaiveDate>,
    /// Its probability is its stage's default, not one of its own: read for the deals that
    /// follow their prediction (see [`super::Predictions::at_stage_default`]), not learnt from.
    pub at_stage_default: bool,
}

/// What a book is made of, gathered a piece at a time (the workspace copies a million deals
/// over several frames, so none waits); [`Gathered::finish`] lays it out, on any thread.
#[derive(Clone, Debug, Default)]
pub struct Gathered {
    deals: Vec<DealRecord>,
    moves: Vec<(Id, Move)>,
    pushes: Vec<(Id, Span)>,
    stages: IdMap<StageInfo>,
    pipelines: IdMap<Vec<Id>>,
    today: Day,
}

impl Gathered {
    /// Nothing gathered yet, for a file with `stages` on `today`.
    pub fn new(stages: &[Stage], today: NaiveDate) -> Gathered {
        let mut gathered = Gathered {
            stages: stages
                .iter()
                .map(|s| {
                    let info = StageInfo {
                        pipeline: s.pipeline,
                        sequence: s.sequence,
                        kind: s.kind,
                        probability: f64::try_from(s.probability).unwrap_or(0.0) / 100.0,
                    };
                    (s.id, info)
                })
                .collect(),
            today: day(today),
            ..Gathered::default()
        };
        for s in stages {
            gathered.pipelines.entry(s.pipeline).or_default().push(s.id);
        }
        for ids in gathered.pipelines.values_mut() {
            ids.sort_by_key(|id| (gathered.stages[id].sequence, *id));
        }
        gathered
    }

    /// Room for `deals` deals and `moves` stage moves, so gathering a million never copies
    /// what it has gathered to grow.
    pub fn reserve(&mut self, deals: usize, moves: usize) {
        self.deals.reserve(deals);
        self.moves.reserve(moves);
    }

    pub fn deal(&mut self, record: DealRecord) {
        self.deals.push(record);
    }

    /// A stage move (in the order they happened); one of a deal not gathered is left out.
    pub fn event(&mut self, e: &StageEvent) {
        let stage = Move {
            day: day(e.at.date_naive()),
            stage: e.to,
        };
        self.moves.push((e.opportunity, stage));
    }

    /// The pushes among one deal's close-date changes (oldest first), with the day each was
    /// put back if it was ([`push_spans`]); those of a deal not gathered are left out.
    pub fn close_dates(&mut self, changes: &[CloseDateChange]) {
        for (push, end) in push_spans(changes) {
            let span = Span {
                from: day(push.at.date_naive()),
                until: end.map_or(Day::MAX, |at| day(at.date_naive())),
            };
            self.pushes.push((push.opportunity, span));
        }
    }

    /// The book of what was gathered.
    pub fn finish(self) -> Book {
        let mut book = Book {
            stages: self.stages,
            pipelines: self.pipelines,
            today: self.today,
            ..Book::default()
        };
        let mut deals = self.deals;
        // By id, so what is learnt and scored comes out in that order with no sort.
        deals.sort_unstable_by_key(|r| r.id);
        let mut index: IdMap<u32> = IdMap::default();
        for r in deals {
            index.insert(r.id, book.deals.len() as u32);
            let kind = book.stages.get(&r.stage).map(|s| s.kind);
            let closed = r.closed.map_or(book.today, day);
            book.deals.push(Deal {
                created: day(r.created),
                end: match kind {
                    Some(StageKind::Won) => End::Won(closed),
                    Some(StageKind::Lost) => End::Lost(closed, None),
                    _ => End::Open,
                },
                moves: 0..0,
                pushes: 0..0,
                record: r,
            });
        }
        let at = |id: &Id| index.get(id).copied();
        let moves = self.moves.iter().filter_map(|(id, m)| Some((at(id)?, *m)));
        book.moves = group(&mut book.deals, moves.collect(), |d| &mut d.moves);
        let mut pushes: Vec<(u32, Span)> = (self.pushes.iter())
            .filter_map(|(id, d)| Some((at(id)?, *d)))
            .collect();
        pushes.sort_unstable();
        book.pushes = group(&mut book.deals, pushes, |d| &mut d.pushes);
        // A lost deal's stage when it was lost: the stage before its last move into a lost one.
        for deal in &mut book.deals {
            if let End::Lost(at, _) = deal.end {
                let moves = &book.moves[range(&deal.moves)];
                let last_lost = moves.iter().rposition(|m| {
                    book.stages.get(&m.stage).map(|s| s.kind) == Some(StageKind::Lost)
                });
                let from = last_lost
                    .and_then(|i| i.checked_sub(1))
                    .map(|i| moves[i].stage);
                deal.end = End::Lost(at, from);
            }
        }
        book.accounts = Accounts::new(&book.deals);
        book
    }
}

impl Book {
    /// The book of `deals` (not in the trash), their stage moves `events` (in the order they
    /// happened), the `stages` and `today`.
    pub fn new(
        deals: impl IntoIterator<Item = DealRecord>,
        events: &[StageEvent],
        stages: &[Stage],
        today: NaiveDate,
    ) -> Book {
        let mut gathered = Gathered::new(stages, today);
        for deal in deals {
            gathered.deal(deal);
        }
        for e in events {
            gathered.event(e);
        }
        gathered.finish()
    }

    /// A deal's stage moves, oldest first.
    pub fn moves(&self, deal: &Deal) -> &[Move] {
        &self.moves[range(&deal.moves)]
    }

    /// How many pushes of the deal's close date stood at the end of `day` (that day's
    /// included, as its stage moves are): one put back later still stood then.
    pub fn pushes_by(&self, deal: &Deal, day: Day) -> u32 {
        let spans = &self.pushes[range(&deal.pushes)];
        let known = &spans[..spans.partition_point(|s| s.from <= day)];
        known.iter().filter(|s| s.until > day).count() as u32
    }
}

fn range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

/// Lays `items` (deal index and item, each deal's in order) out deal after deal, setting each
/// deal's range through `slot`: two passes, counting first, so a million deals' items lie in
/// one vector instead of a vector each.
fn group<T: Copy + Default>(
    deals: &mut [Deal],
    items: Vec<(u32, T)>,
    slot: impl Fn(&mut Deal) -> &mut Range<u32>,
) -> Vec<T> {
    let mut counts = vec![0u32; deals.len()];
    for (i, _) in &items {
        counts[*i as usize] += 1;
    }
    let mut start = 0;
    for (deal, count) in deals.iter_mut().zip(&counts) {
        *slot(deal) = start..start;
        start += count;
    }
    let mut out = vec![T::default(); start as usize];
    for (i, item) in items {
        let r = slot(&mut deals[i as usize]);
        out[r.end as usize] = item;
        r.end += 1;
    }
    out
}
