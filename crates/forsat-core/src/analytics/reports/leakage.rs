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
use crate::i18n::{deals, format_money, format_percent};
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

/// The one line that names the stage needing review (the row marked `needs_review`) and its
/// main cause: "Review Proposition: 3 deals lost ($8,400), 67 % Too expensive; 2 deals stuck
/// past 14 days ($5,000)." Without one, it says there is nothing to review, and whether stuck
/// deals could be measured at all.
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
    let lost = r.lost_by_reason.first().map(|reason| {
        let name = if reason.key == NONE {
            tr!("without a reason")
        } else {
            reason.key.clone()
        };
        let lost = tr!(
            "{deals} lost ({amount}), {percent} {reason}",
            deals = deals(r.lost),
            amount = format_money(r.lost_amount, currency),
            percent = whole_percent(reason.share),
            reason = name
        );
        match r.lost_by_competitor.iter().find(|c| c.key != NONE) {
            Some(c) => tr!(
                "{lost}, {percent} to {competitor}",
                lost = lost,
                percent = whole_percent(c.share),
                competitor = c.key
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
