//! What the sales leakage adds to the funnel's counts, per open stage: the deals stuck past the
//! stage's expected days, the causes of its losses (loss reason, competitor), and the stage
//! that needs review, said in one line.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{
    Data, DealFacts, Key, LeakageRow, NONE, Place, Sums, by_name, id_key, money, open_stages, ratio,
};
use crate::domain::{FastMap, Stage};
use crate::i18n::{deals, format_count, format_money, format_percent};
use crate::{tr, trn};

/// The deals lost from one stage for one cause: a loss reason or a competitor ([`NONE`] for
/// the deals that name none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    pub key: String,
    pub lost: u64,
    #[serde(serialize_with = "money")]
    pub lost_amount: Decimal,
    /// Its share of the deals lost from the stage.
    pub share: f64,
}

/// The stuck deals and the causes of losses of each open stage, added deal by deal in the
/// pass that counts the leakage.
pub(super) struct Leaks<'a> {
    stages: Vec<&'a Stage>,
    today: NaiveDate,
    stuck: Vec<(u64, Decimal)>,
    reasons: Vec<FastMap<Key, Sums>>,
    competitors: Vec<FastMap<Key, Sums>>,
}

impl<'a> Leaks<'a> {
    /// Nothing counted yet over the open stages of the scope's one pipeline.
    pub(super) fn new(data: &Data<'a>) -> Option<Leaks<'a>> {
        let stages = open_stages(data)?;
        let n = stages.len();
        Some(Leaks {
            stages,
            today: data.today,
            stuck: vec![(0, Decimal::ZERO); n],
            reasons: vec![FastMap::default(); n],
            competitors: vec![FastMap::default(); n],
        })
    }

    /// Counts a deal lost from an open stage under its causes, or an open one as stuck when
    /// it is stale as the board says.
    pub(super) fn add(&mut self, f: &DealFacts, place: Place) {
        match place {
            Place::Lost(k) => {
                let reason = self.reasons[k].entry(id_key(f.loss_reason()));
                reason.or_default().add(f);
                let competitor = self.competitors[k].entry(id_key(f.competitor()));
                competitor.or_default().add(f);
            }
            Place::Open(k) => {
                let stage = self.stages[k];
                if stage
                    .stale_days(f.stage_entered, f.closed, self.today)
                    .is_some()
                {
                    self.stuck[k].0 += 1;
                    self.stuck[k].1 += f.amount;
                }
            }
        }
    }

    /// Open stage `k`'s expected days, and its stuck deals and their amount when it has
    /// expected days (None otherwise: not measured).
    pub(super) fn stuck(&self, k: usize) -> (Option<u32>, Option<u64>, Option<Decimal>) {
        let days = self.stages[k].rotting_days;
        let (count, amount) = self.stuck[k];
        (days, days.map(|_| count), days.map(|_| amount))
    }

    /// Open stage `k`'s `lost` deals by loss reason and by competitor, the most first (the
    /// larger amount, then the name, breaking a tie).
    pub(super) fn causes(&mut self, data: &Data, k: usize, lost: u64) -> (Vec<Cause>, Vec<Cause>) {
        let list = |groups: FastMap<Key, Sums>| {
            let mut causes: Vec<Cause> = by_name(data, groups)
                .into_iter()
                .map(|(key, sums)| Cause {
                    key,
                    lost: sums.count,
                    lost_amount: sums.amount,
                    share: ratio(sums.count, lost),
                })
                .collect();
            // Stable: names stay in order among equals.
            causes.sort_by_key(|c| std::cmp::Reverse((c.lost, c.lost_amount)));
            causes
        };
        let reasons = list(std::mem::take(&mut self.reasons[k]));
        (reasons, list(std::mem::take(&mut self.competitors[k])))
    }
}

/// The stage that needs review: the one whose leak — the amount lost from it plus the amount
/// stuck in it past its expected days — is the largest; then the one with more deals lost and
/// stuck, then the earlier. None when no deal was lost from an open stage and none is stuck.
pub fn review(rows: &[LeakageRow]) -> Option<usize> {
    rows.iter()
        .enumerate()
        .map(|(k, r)| {
            let amount = r.lost_amount + r.stuck_amount.unwrap_or_default();
            (k, amount, r.lost + r.stuck.unwrap_or(0))
        })
        .filter(|(_, _, count)| *count > 0)
        .max_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)).then(b.0.cmp(&a.0)))
        .map(|(k, ..)| k)
}

/// A share as a whole percentage (0.6 as 60 %), as a sentence reads it.
fn whole_percent(share: f64) -> String {
    format_percent(Decimal::from_f64_retain(share * 100.0).map_or(Decimal::ZERO, |d| d.round_dp(0)))
}

/// The causes sharing the largest share of a stage's losses (`causes` is the most first;
/// those naming none left out when `named`): their number, that share, and up to three of
/// their names ("A", "A and B", "A, B and C"; none past three, as no single one stands out).
fn main_causes(causes: &[Cause], named: bool) -> Option<(u64, String, String)> {
    let mut causes = causes.iter().filter(|c| !named || c.key != NONE);
    let first = causes.next()?;
    // Shares of one stage's losses are equal exactly when their deal counts are.
    let tied: Vec<&Cause> = std::iter::once(first)
        .chain(causes.take_while(|c| c.lost == first.lost))
        .collect();
    let name = |c: &Cause| {
        if c.key == NONE {
            tr!("without a reason")
        } else {
            c.key.clone()
        }
    };
    let names = match tied.as_slice() {
        [one] => name(one),
        [first, second] => tr!(
            "{first} and {second}",
            first = name(first),
            second = name(second)
        ),
        [first, second, third] => tr!(
            "{first}, {second} and {third}",
            first = name(first),
            second = name(second),
            third = name(third)
        ),
        _ => String::new(),
    };
    Some((tied.len() as u64, whole_percent(first.share), names))
}

/// The one line that names the stage needing review (the row marked `needs_review`) and its
/// main cause: "Review Proposition: 3 deals lost ($8,400), 67 % Too expensive; 2 deals stuck
/// past 14 days ($5,000)." Causes sharing the largest share are all named ("50 % each: Too
/// expensive and Timing"), or, past three, said to leave no single main cause; the same for
/// competitors. Without a stage to review, it says there is nothing to review, and whether
/// stuck deals could be measured at all.
pub fn verdict(rows: &[LeakageRow], currency: &str) -> String {
    let Some(r) = rows.iter().find(|r| r.needs_review) else {
        return if rows.iter().any(|r| r.stuck_after_days.is_some()) {
            tr!(
                "Nothing to review: no deal was lost from an open stage, and none is stuck past its stage's expected days."
            )
        } else {
            tr!(
                "Nothing to review: no deal was lost from an open stage. Stuck deals are not measured: no stage has expected days (a stale threshold)."
            )
        };
    };
    let lost = main_causes(&r.lost_by_reason, false).map(|(count, percent, reasons)| {
        let deals = deals(r.lost);
        let amount = format_money(r.lost_amount, currency);
        let lost = match count {
            1 => tr!(
                "{deals} lost ({amount}), {percent} {reason}",
                deals = deals,
                amount = amount,
                percent = percent,
                reason = reasons
            ),
            2 | 3 => tr!(
                "{deals} lost ({amount}), {percent} each: {reasons}",
                deals = deals,
                amount = amount,
                percent = percent,
                reasons = reasons
            ),
            _ => tr!(
                "{deals} lost ({amount}), no single main cause ({count} causes at {percent} each)",
                deals = deals,
                amount = amount,
                count = format_count(count),
                percent = percent
            ),
        };
        match main_causes(&r.lost_by_competitor, true) {
            Some((1, percent, competitor)) => tr!(
                "{lost}, {percent} to {competitor}",
                lost = lost,
                percent = percent,
                competitor = competitor
            ),
            Some((2 | 3, percent, competitors)) => tr!(
                "{lost}, {percent} each to {competitors}",
                lost = lost,
                percent = percent,
                competitors = competitors
            ),
            Some((count, percent, _)) => tr!(
                "{lost}, no single main competitor ({count} at {percent} each)",
                lost = lost,
                count = format_count(count),
                percent = percent
            ),
            None => lost,
        }
    });
    let stuck = match (r.stuck_after_days, r.stuck, r.stuck_amount) {
        (Some(days), Some(count), Some(amount)) if count > 0 => Some(trn!(
            days,
            "{deals} stuck past {n} days ({amount})",
            deals = deals(count),
            amount = format_money(amount, currency)
        )),
        _ => None,
    };
    match (lost, stuck) {
        (Some(lost), Some(stuck)) => tr!(
            "Review {stage}: {lost}; {stuck}.",
            stage = r.stage,
            lost = lost,
            stuck = stuck
        ),
        (Some(why), None) | (None, Some(why)) => {
            tr!("Review {stage}: {why}.", stage = r.stage, why = why)
        }
        // Marked for review with neither: not made by `leakage`; named all the same.
        (None, None) => tr!("Review {stage}.", stage = r.stage),
    }
}
