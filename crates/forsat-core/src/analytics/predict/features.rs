//! A deal's situation on a day — what the model reads — and the factors it is made of.

use crate::domain::{FastMap, Id, IdMap, StageKind};

use super::book::{Book, Day, Deal};

/// Upper ends (included) of the day spans for days in stage and age; the last span has no
/// end.
pub const DAY_SPANS: [Day; 5] = [7, 14, 30, 60, 120];
/// Upper ends (excluded) of the amount spans in the base currency; the last has no end.
pub const AMOUNT_SPANS: [f64; 4] = [1_000.0, 10_000.0, 100_000.0, 1_000_000.0];

/// One thing the model weighs. Spans are indexes into [`DAY_SPANS`] / [`AMOUNT_SPANS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Factor {
    Stage(Id),
    DaysInStage(u8),
    Age(u8),
    Amount(u8),
    Source(Id),
    Salesperson(Id),
    /// The account's deals won before (the log of one more than their count).
    AccountWon,
    /// The account's deals lost before (the log of one more than their count).
    AccountLost,
    /// Its close date pushed later before (the log of one more than how many times).
    Pushed,
}

/// The span index of `days` in [`DAY_SPANS`].
pub fn day_span(days: Day) -> u8 {
    DAY_SPANS
        .iter()
        .position(|&end| days <= end)
        .unwrap_or(DAY_SPANS.len()) as u8
}

/// The days of span `i` of [`DAY_SPANS`]: first and last (None: no end).
pub fn day_span_bounds(i: u8) -> (Day, Option<Day>) {
    let i = usize::from(i);
    let from = if i == 0 { 0 } else { DAY_SPANS[i - 1] + 1 };
    (from, DAY_SPANS.get(i).copied())
}

fn amount_span(amount: f64) -> u8 {
    AMOUNT_SPANS
        .iter()
        .position(|&end| amount < end)
        .unwrap_or(AMOUNT_SPANS.len()) as u8
}

/// What is known of a deal on one day while it was open.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Situation {
    pub stage: Id,
    pub days_in_stage: Day,
    pub age: Day,
    pub amount: f64,
    pub source: Option<Id>,
    pub salesperson: Option<Id>,
    pub account_won: u32,
    pub account_lost: u32,
    /// How many times its close date had been pushed.
    pub pushed: u32,
}

impl Situation {
    /// Its factors with their values (1 for one of several kinds).
    pub fn factors(&self) -> impl Iterator<Item = (Factor, f32)> {
        let one = |f: Factor| Some((f, 1.0));
        [
            one(Factor::Stage(self.stage)),
            one(Factor::DaysInStage(day_span(self.days_in_stage))),
            one(Factor::Age(day_span(self.age))),
            one(Factor::Amount(amount_span(self.amount))),
            self.source.and_then(|s| one(Factor::Source(s))),
            self.salesperson.and_then(|s| one(Factor::Salesperson(s))),
            (self.account_won > 0)
                .then(|| (Factor::AccountWon, (1.0 + self.account_won as f32).ln())),
            (self.account_lost > 0)
                .then(|| (Factor::AccountLost, (1.0 + self.account_lost as f32).ln())),
            (self.pushed > 0).then(|| (Factor::Pushed, (1.0 + self.pushed as f32).ln())),
        ]
        .into_iter()
        .flatten()
    }
}

/// Every account's closed deals by day, each with how many of the account's were won up to
/// it, so the wins and losses before a day are one binary search.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    /// (account, day closed, wins of the account up to and including this one), by account
    /// then day.
    closes: Vec<(Id, Day, u32)>,
    /// Where each account's closes are in `closes`: first and how many.
    start: IdMap<(u32, u32)>,
}

impl Accounts {
    pub fn new(deals: &[Deal]) -> Accounts {
        let mut closes: Vec<(Id, Day, u32)> = deals
            .iter()
            .filter_map(|d| Some((d.record.account, d.end.closed()?, u32::from(d.end.won()))))
            .collect();
        closes.sort_unstable();
        let mut start = IdMap::default();
        let mut won = 0;
        for i in 0..closes.len() {
            let account = closes[i].0;
            if i == 0 || closes[i - 1].0 != account {
                won = 0;
            }
            start.entry(account).or_insert((i as u32, 0)).1 += 1;
            won += closes[i].2;
            closes[i].2 = won;
        }
        Accounts { closes, start }
    }

    /// The account's deals won and lost before `day`.
    fn before(&self, account: Id, day: Day) -> (u32, u32) {
        let Some(&(first, count)) = self.start.get(&account) else {
            return (0, 0);
        };
        let theirs = &self.closes[first as usize..(first + count) as usize];
        let end = theirs.partition_point(|c| c.1 < day);
        match end.checked_sub(1) {
            None => (0, 0),
            Some(last) => (theirs[last].2, end as u32 - theirs[last].2),
        }
    }
}

/// `deal`'s situation on `day`, from what was known by then; None when it was not in an open
/// stage that day (not made yet, or closed).
pub fn situation(book: &Book, deal: &Deal, day: Day) -> Option<Situation> {
    if day < deal.created {
        return None;
    }
    let moves = book.moves(deal);
    let (stage, entered) = match moves.iter().rposition(|m| m.day <= day) {
        Some(i) => (moves[i].stage, moves[i].day),
        // No move recorded: it has sat in its stage since it was made.
        None if moves.is_empty() => (deal.record.stage, deal.created),
        None => return None,
    };
    if book.stages.get(&stage)?.kind != StageKind::Open {
        return None;
    }
    let (account_won, account_lost) = book.accounts.before(deal.record.account, day);
    Some(Situation {
        stage,
        days_in_stage: day - entered,
        age: day - deal.created,
        amount: deal.record.amount,
        source: deal.record.source,
        salesperson: deal.record.salesperson,
        account_won,
        account_lost,
        pushed: book.pushes_by(deal, day),
    })
}

/// The factors a model knows, each with its column.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    index: FastMap<Factor, u16>,
}

/// A factor is weighed only when this many looks had it: fewer say nothing a ridge would keep.
const MIN_SEEN: u32 = 10;
/// At most this many factors are weighed (the most frequent): the model solves its normal
/// equations exactly, a cube of their number, so a file with thousands of sources or stages
/// still learns in a second.
const MAX_FACTORS: usize = 300;

impl Vocabulary {
    /// The factors worth a column among `seen` (each factor as often as it was seen): those
    /// seen [`MIN_SEEN`] times, the [`MAX_FACTORS`] most often seen, in a fixed order.
    pub fn of(seen: impl Iterator<Item = (Factor, f32)>) -> Vocabulary {
        let mut counts: FastMap<Factor, u32> = FastMap::default();
        for (factor, _) in seen {
            *counts.entry(factor).or_default() += 1;
        }
        let mut kept: Vec<(Factor, u32)> = counts.into_iter().filter(|c| c.1 >= MIN_SEEN).collect();
        // Most seen first; ties by the factor's own order, so every run has the same columns.
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        kept.truncate(MAX_FACTORS);
        // Column 0 is the intercept's.
        let index = kept
            .into_iter()
            .zip(1..)
            .map(|((f, _), column)| (f, column));
        Vocabulary {
            index: index.collect(),
        }
    }

    /// The column of `factor` if known.
    pub fn get(&self, factor: Factor) -> Option<u16> {
        self.index.get(&factor).copied()
    }

    /// Columns, the intercept's included.
    pub fn dims(&self) -> usize {
        self.index.len() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_factors_get_no_column_and_at_most_the_most_seen_are_kept() {
        // 1,000 sources seen 10 to 1,009 times, one seen 9 times.
        let seen = (0..1_000u64)
            .flat_map(|i| std::iter::repeat_n((Factor::Source(i + 1), 1.0), 10 + i as usize))
            .chain(std::iter::repeat_n((Factor::Source(5_000), 1.0), 9));
        let vocabulary = Vocabulary::of(seen);
        assert_eq!(vocabulary.dims(), MAX_FACTORS + 1);
        assert_eq!(vocabulary.get(Factor::Source(5_000)), None);
        // The most seen first.
        assert_eq!(vocabulary.get(Factor::Source(1_000)), Some(1));
        assert_eq!(vocabulary.get(Factor::Source(1)), None);
    }
}
