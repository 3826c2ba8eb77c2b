//! Goals' progress in the period holding today: what is achieved, where a steady pace would
//! be by today, and the coverage — the weighted open deals expected to close in the period
//! against what is left to win.

use chrono::{Datelike as _, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Data, DealFacts, NONE, Period, id_key, money};
use crate::domain::{Calendar, Every, Goal, Id, Measure, StageKind};
use crate::i18n::jalali::JalaliDate;

/// An activity marked done, as the goals count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DoneActivity {
    pub due: NaiveDate,
    /// The salesperson of its deal (None for an activity of an account or a lead, or a deal
    /// without one): counted for everyone's goals only.
    pub salesperson: Option<Id>,
}

/// One goal's progress in the period holding today.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GoalRow {
    #[serde(skip)]
    pub goal: Goal,
    pub id: Id,
    pub measure: &'static str,
    pub every: &'static str,
    /// Its salesperson's name; None for everyone's.
    pub salesperson: Option<String>,
    /// The period's name: `2026-12`, `2026-Q4`, `2026`, or the week's first day; in the Jalali
    /// calendar the month's or season's name and the year.
    pub period: String,
    /// The period's first and last days.
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(serialize_with = "money")]
    pub target: Decimal,
    #[serde(serialize_with = "money")]
    pub achieved: Decimal,
    /// What a steady pace from nothing on the first day to the target on the last would have
    /// achieved by the end of today.
    #[serde(serialize_with = "money")]
    pub pace: Decimal,
    /// For the won value and the deals won: the open deals expected to close in the period,
    /// weighted by their probability (money, or a count of deals).
    #[serde(serialize_with = "optional_money")]
    pub expected: Option<Decimal>,
    /// `expected` against what is left to reach the target (None when nothing is left or the
    /// measure has no expected part).
    pub coverage: Option<f64>,
    /// What was achieved by the end of each day from the first to today (or the last).
    pub by_day: Vec<Decimal>,
}

impl GoalRow {
    /// The share of the target achieved (0 for a target of nothing).
    pub fn share(&self) -> f64 {
        share(self.achieved, self.target)
    }

    /// The share a steady pace would have achieved by today.
    pub fn pace_share(&self) -> f64 {
        share(self.pace, self.target)
    }
}

fn share(part: Decimal, whole: Decimal) -> f64 {
    if whole.is_zero() {
        0.0
    } else {
        f64::try_from(part / whole).unwrap_or(0.0)
    }
}

/// The name of the period of `every` starting on `from`.
pub(super) fn period_name(every: Every, from: NaiveDate) -> String {
    match every {
        Every::Week => crate::i18n::format_date(from),
        Every::Month => Period::Month.of(from),
        Every::Quarter => Period::Quarter.of(from),
        Every::Year => {
            let year = match crate::i18n::calendar() {
                Calendar::Jalali => JalaliDate::from_gregorian(from).year,
                Calendar::Gregorian => from.year(),
            };
            crate::i18n::localize_digits(&year.to_string()).into_owned()
        }
    }
}

#[expect(
    clippy::ref_option,
    reason = "serde's serialize_with hands the field by reference"
)]
fn optional_money<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => money(v, s),
        None => s.serialize_none(),
    }
}

/// Each goal of `data`'s in the period holding `data`'s today, in the goals' order.
pub fn goals(data: &Data) -> Vec<GoalRow> {
    let today = data.today();
    let mut tallies: Vec<Tally> = (data.goals().iter())
        .map(|g| Tally::new(g, today))
        .collect();
    // One walk of the deals for every goal that counts them: at a million deals the board's
    // header does this after each change.
    if tallies
        .iter()
        .any(|t| t.goal.measure != Measure::ActivitiesDone)
    {
        for f in data.each() {
            for t in &mut tallies {
                t.deal(f);
            }
        }
    }
    for a in data.done() {
        for t in &mut tallies {
            t.activity(a);
        }
    }
    tallies.into_iter().map(|t| t.row(data)).collect()
}

/// One goal's period and what is counted in it so far.
struct Tally<'g> {
    goal: &'g Goal,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    /// Each day's achievement, by the day's number in the period.
    per_day: Vec<Decimal>,
    /// The open deals expected in the period, weighted.
    expected: Decimal,
}

impl<'g> Tally<'g> {
    fn new(goal: &'g Goal, today: NaiveDate) -> Tally<'g> {
        let (from, end) = goal.every.bounds(today);
        let to = end.pred_opt().unwrap_or(end);
        let days = usize::try_from((to - from).num_days() + 1).unwrap_or(1);
        Tally {
            goal,
            today,
            from,
            to,
            per_day: vec![Decimal::ZERO; days],
            expected: Decimal::ZERO,
        }
    }

    fn mine(&self, salesperson: Option<Id>) -> bool {
        (self.goal.salesperson).is_none_or(|s| salesperson == Some(s))
    }

    /// Counts `value` on `date` when it falls in the period. What is counted on a day still
    /// to come (an activity done before its due day) counts today, so the days so far add up
    /// to what is achieved.
    fn add(&mut self, date: Option<NaiveDate>, value: Decimal) {
        let (from, to) = (self.from, self.to);
        if let Some(date) = date.filter(|d| (from..=to).contains(d))
            && let Ok(at) = usize::try_from((date.min(self.today.max(from)) - from).num_days())
        {
            self.per_day[at] += value;
        }
    }

    fn deal(&mut self, f: &DealFacts) {
        let measure = self.goal.measure;
        if measure == Measure::ActivitiesDone || !self.mine(f.salesperson()) {
            return;
        }
        match (measure, f.kind) {
            (Measure::DealsAdded, _) => self.add(Some(f.created), Decimal::ONE),
            (Measure::WonValue, Some(StageKind::Won)) => self.add(f.closed, f.amount),
            (Measure::WonCount, Some(StageKind::Won)) => self.add(f.closed, Decimal::ONE),
            (_, Some(StageKind::Open))
                if f.active
                    && f.expected_close
                        .is_some_and(|d| d >= self.from && d <= self.to) =>
            {
                self.expected += match measure {
                    Measure::WonValue => f.weighted,
                    _ => Decimal::from(f.probability) / Decimal::ONE_HUNDRED,
                };
            }
            _ => {}
        }
    }

    fn activity(&mut self, a: &DoneActivity) {
        if self.goal.measure == Measure::ActivitiesDone && self.mine(a.salesperson) {
            self.add(Some(a.due), Decimal::ONE);
        }
    }

    fn row(self, data: &Data) -> GoalRow {
        let Tally {
            goal,
            today,
            from,
            to,
            per_day,
            expected,
        } = self;
        let days = per_day.len();
        let shown = usize::try_from((today.min(to) - from).num_days() + 1).unwrap_or(0);
        let by_day: Vec<Decimal> = (per_day.iter())
            .scan(Decimal::ZERO, |sum, d| {
                *sum += d;
                Some(*sum)
            })
            .take(shown)
            .collect();
        let achieved = per_day.iter().sum::<Decimal>();
        let elapsed = Decimal::from(u64::try_from(shown).unwrap_or(0));
        let pace =
            (goal.target * elapsed / Decimal::from(u64::try_from(days).unwrap_or(1))).round_dp(2);
        let won = matches!(goal.measure, Measure::WonValue | Measure::WonCount);
        let expected = won.then_some(expected.round_dp(2));
        let left = goal.target - achieved;
        let coverage = expected
            .filter(|_| left > Decimal::ZERO)
            .map(|e| (share(e, left) * 100.0).round() / 100.0);
        GoalRow {
            goal: goal.clone(),
            id: goal.id,
            measure: goal.measure.key(),
            every: goal.every.key(),
            salesperson: goal.salesperson.map(|s| match data.name(id_key(Some(s))) {
                name if name == NONE => crate::tr!("a salesperson deleted since"),
                name => name,
            }),
            period: period_name(goal.every, from),
            from,
            to,
            target: goal.target,
            achieved,
            pace,
            expected,
            coverage,
            by_day,
        }
    }
}
