//! Time in stage and sales velocity (definitions in the README, "Time in stage and velocity").
//! Worked out from the stage moves only when the velocity report asks, never for the other
//! reports: the facts every report reads keep no times.
//!
//! A deal's age runs from the day it was created to the day it closed (open deals: today). It
//! is cut into the stages it was in by the days of its moves, so its days in each stage add up
//! to its age. Before its first recorded move a deal sat in the stage that move took it from
//! (for the move that created it, the stage it was created in); a deal without moves sat in its
//! stage. When that stage is Won or Lost (a deal imported or created closed) where it was is
//! not known: that time is "no stage history".

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use statrs::statistics::{Data as Sample, OrderStatistics as _};

use super::cells::Cell;
use super::facts::DealFacts;
use super::reports::{Data, NONE};
use crate::domain::{Id, StageEvent, StageKind};

/// The stages one deal was in and the days it spent in each, as [`walk`] cuts its age.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DealTimes {
    pub id: Id,
    pub created: NaiveDate,
    /// The day its age ends: closed, or today for an open deal.
    pub until: NaiveDate,
    /// Days from `created` to `until`: the sum of `stages`' days.
    pub age_days: i64,
    /// Each stage it was in, in the order it first entered it, with its days there (every visit
    /// added up); [`NONE`] for time before any stage history.
    pub stages: Vec<StageDays>,
}

/// Days a deal spent in one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageDays {
    pub stage: String,
    pub days: i64,
}

/// Time in one open stage: over the deals that left it, and over those in it now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageTimeRow {
    #[serde(skip)]
    pub stage_id: Id,
    pub stage: String,
    /// Deals that were in the stage and are no longer (moved on, moved back, or closed).
    pub left: u64,
    /// The median of their days in the stage; None when no deal left it.
    pub median_days: Option<f64>,
    /// The 75th percentile of their days in the stage; None when no deal left it.
    pub p75_days: Option<f64>,
    /// Active deals in the stage now.
    pub now: u64,
    /// The median of their days in the stage so far; None when none is in it.
    pub now_median_days: Option<f64>,
}

/// Why the velocity cannot be worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// No deal won or lost in the period: no win rate.
    NoClosedDeals,
    /// No deal won in the period: no average won amount, no cycle length.
    NoWonDeals,
    /// Every deal won in the period closed the day it was created: the cycle is 0 days.
    ZeroCycle,
}

/// Sales velocity and its four factors: how much money the pipeline turns into won deals per
/// day, `open_deals × win_rate × average_won / average_cycle_days`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Velocity {
    /// Active deals in an open stage now.
    pub open_deals: u64,
    /// Deals won and lost in the period.
    pub won: u64,
    pub lost: u64,
    /// won / (won + lost), 4 decimals.
    pub win_rate: Option<f64>,
    /// The won deals' amounts added up, divided by their count.
    #[serde(serialize_with = "money_or_null")]
    pub average_won: Option<Decimal>,
    /// Days from creation to closing, averaged over the won deals; 2 decimals.
    pub average_cycle_days: Option<f64>,
    /// Money per day, from the factors unrounded.
    #[serde(serialize_with = "money_or_null")]
    pub per_day: Option<Decimal>,
    /// Why `per_day` is None.
    pub missing: Option<Missing>,
}

/// The velocity report: time in each open stage of the pipeline, and the velocity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VelocityReport {
    pub stages: Vec<StageTimeRow>,
    pub velocity: Velocity,
}

#[expect(
    clippy::ref_option,
    reason = "serde's `serialize_with` hands the field by reference"
)]
fn money_or_null<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(&super::money_string(*v)),
        None => s.serialize_none(),
    }
}

/// Each deal's stage moves, in the order they happened, all in one vector.
struct Moves<'a> {
    /// Where each deal's moves start in `moves` (one entry per deal of the scope, and one more).
    start: Vec<u32>,
    moves: Vec<&'a StageEvent>,
}

impl<'a> Moves<'a> {
    /// The moves of the deals of `data`'s scope, indexed as [`Data::each`] lists them: counted
    /// first, then placed, so a million deals' moves take a few flat vectors, not a vector
    /// each; a deal is found through the facts' own index, no map is built.
    fn of(data: &Data<'a>) -> Moves<'a> {
        const NOT: u32 = u32::MAX;
        let (positions, facts) = data.positions();
        // Per deal of the facts, its index in the scope.
        let mut scoped = vec![NOT; facts.deals().len()];
        for (i, p) in (0u32..).zip(positions) {
            scoped[*p as usize] = i;
        }
        let events = data.events();
        let owners: Vec<u32> = events
            .iter()
            .map(|e| facts.position(e.opportunity).map_or(NOT, |p| scoped[p]))
            .collect();
        let mut start = vec![0u32; positions.len() + 1];
        for owner in owners.iter().filter(|o| **o != NOT) {
            start[*owner as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut moves: Vec<&StageEvent> = vec![&PLACEHOLDER; start[start.len() - 1] as usize];
        for (e, owner) in events.iter().zip(&owners) {
            // A deal outside the scope (NOT) is past the end of `next`.
            if let Some(slot) = next.get_mut(*owner as usize) {
                moves[*slot as usize] = e;
                *slot += 1;
            }
        }
        // Moves are kept in time order (those of one instant in the order they were made);
        // only a deal whose moves are not is sorted.
        for i in 0..positions.len() {
            let own = &mut moves[start[i] as usize..start[i + 1] as usize];
            if !own.is_sorted_by_key(|e| (e.at, e.id)) {
                own.sort_by_key(|e| (e.at, e.id));
            }
        }
        Moves { start, moves }
    }

    fn of_deal(&self, i: usize) -> &[&'a StageEvent] {
        &self.moves[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// What an empty slot of [`Moves`] holds until it is filled.
static PLACEHOLDER: StageEvent = StageEvent {
    id: 0,
    opportunity: 0,
    from: None,
    to: 0,
    at: chrono::DateTime::UNIX_EPOCH,
};

/// The day a deal's age ends: when it closed (without a closing date, its last move, else its
/// creation), today for an open deal; never before its creation.
fn until(f: &DealFacts, moves: &[&StageEvent], today: NaiveDate) -> NaiveDate {
    let end = match f.kind {
        Some(StageKind::Won | StageKind::Lost) => f
            .closed
            .or_else(|| moves.last().map(|e| e.at.date_naive()))
            .unwrap_or(f.created),
        _ => today,
    };
    end.max(f.created)
}

/// Whether `stage` is a Won or Lost stage.
fn closing(data: &Data, stage: Id) -> bool {
    data.stage(stage).is_some_and(|s| s.kind != StageKind::Open)
}

/// Cuts deal `f`'s age into the stages it was in: calls `add(stage, days)` once per stretch
/// (a stage may come back), None for time before any stage history (see the module's note).
/// The days add up to `until − created`.
fn walk(
    data: &Data,
    f: &DealFacts,
    moves: &[&StageEvent],
    until: NaiveDate,
    mut add: impl FnMut(Option<Id>, i64),
) {
    let first = match moves.first() {
        Some(e) => e.from.unwrap_or(e.to),
        None => f.stage,
    };
    let mut stage = Some(first).filter(|s| !closing(data, *s));
    let mut since = f.created;
    for e in moves {
        let at = e.at.date_naive().clamp(since, until);
        add(stage, (at - since).num_days());
        stage = Some(e.to);
        since = at;
    }
    add(stage, (until - since).num_days());
}

/// Every deal of the scope with its days in each stage, by id.
pub fn deal_times(data: &Data) -> Vec<DealTimes> {
    let moves = Moves::of(data);
    let today = data.today();
    let mut rows: Vec<DealTimes> = data
        .each()
        .enumerate()
        .map(|(i, f)| {
            let moves = moves.of_deal(i);
            let until = until(f, moves, today);
            let mut stages: Vec<(Option<Id>, i64)> = Vec::new();
            walk(data, f, moves, until, |stage, days| {
                // The move that closed it starts no time: its age ends there.
                if days == 0 && stage.is_some_and(|s| closing(data, s)) {
                    return;
                }
                match stages.iter_mut().find(|(s, _)| *s == stage) {
                    Some(entry) => entry.1 += days,
                    None => stages.push((stage, days)),
                }
            });
            DealTimes {
                id: f.id,
                created: f.created,
                until,
                age_days: (until - f.created).num_days(),
                stages: stages
                    .into_iter()
                    .map(|(stage, days)| StageDays {
                        stage: stage
                            .and_then(|s| data.stage(s))
                            .map_or_else(|| NONE.to_owned(), |s| s.name.clone()),
                        days,
                    })
                    .collect(),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.id);
    rows
}

/// A figure in days with one decimal.
fn days(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The median and the 75th percentile of `sample`, in days with one decimal; None for none.
/// The percentile is Hyndman and Fan's method 8 (as `statrs` computes it), which does not
/// depend on how the sample is skewed.
fn spread(sample: Vec<f64>) -> (Option<f64>, Option<f64>) {
    if sample.is_empty() {
        return (None, None);
    }
    let mut sample = Sample::new(sample);
    (
        Some(days(sample.median())),
        Some(days(sample.quantile(0.75))),
    )
}

/// Time in each open stage of the scope's one pipeline (empty when the scope has several).
pub fn stage_times(data: &Data) -> Vec<StageTimeRow> {
    let Some((_, stages)) = data.pipeline() else {
        return Vec::new();
    };
    let open: Vec<Id> = (stages.iter())
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let n = open.len();
    let moves = Moves::of(data);
    let today = data.today();
    let mut left: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut now: Vec<Vec<f64>> = vec![Vec::new(); n];
    // The deal at hand's days per open stage, None for a stage it was never in.
    let mut spent: Vec<Option<i64>> = vec![None; n];
    for (i, f) in data.each().enumerate() {
        spent.fill(None);
        let moves = moves.of_deal(i);
        walk(data, f, moves, until(f, moves, today), |stage, d| {
            if let Some(k) = stage.and_then(|s| open.iter().position(|o| *o == s)) {
                *spent[k].get_or_insert(0) += d;
            }
        });
        let here = (f.kind == Some(StageKind::Open))
            .then(|| open.iter().position(|o| *o == f.stage))
            .flatten();
        for (k, d) in spent.iter().enumerate() {
            let Some(d) = *d else { continue };
            match here {
                Some(h) if h == k && f.active => now[k].push(d as f64),
                // An archived deal is not worked in its stage, nor has it left it.
                Some(h) if h == k => {}
                _ => left[k].push(d as f64),
            }
        }
    }
    open.iter()
        .zip(left.into_iter().zip(now))
        .map(|(stage, (left, now))| {
            let (count_left, count_now) = (left.len() as u64, now.len() as u64);
            let (median_days, p75_days) = spread(left);
            StageTimeRow {
                stage_id: *stage,
                stage: data
                    .stage(*stage)
                    .map_or_else(String::new, |s| s.name.clone()),
                left: count_left,
                median_days,
                p75_days,
                now: count_now,
                now_median_days: spread(now).0,
            }
        })
        .collect()
}

/// The velocity of the scope: open deals now; won and lost deals closed from `from` to `to`
/// (each end open when None).
pub fn velocity(data: &Data, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Velocity {
    let (mut open, mut won, mut lost) = (0u64, 0u64, 0u64);
    let (mut won_amount, mut cycle) = (Decimal::ZERO, 0i64);
    for f in data.each() {
        let in_period = || {
            from.is_none_or(|d| f.closed.is_some_and(|c| c >= d))
                && to.is_none_or(|d| f.closed.is_some_and(|c| c <= d))
        };
        match f.kind {
            Some(StageKind::Open) if f.active => open += 1,
            Some(StageKind::Won) if in_period() => {
                won += 1;
                won_amount += f.amount;
                cycle += (until(f, &[], data.today()) - f.created).num_days();
            }
            Some(StageKind::Lost) if in_period() => lost += 1,
            _ => {}
        }
    }
    let closed = won + lost;
    let missing = if closed == 0 {
        Some(Missing::NoClosedDeals)
    } else if won == 0 {
        Some(Missing::NoWonDeals)
    } else if cycle == 0 {
        Some(Missing::ZeroCycle)
    } else {
        None
    };
    // open × (won / closed) × (amount / won) / (cycle / won), the counts cancelled first so
    // nothing is rounded before the end.
    let per_day = missing.is_none().then(|| {
        Decimal::from(open) * won_amount * Decimal::from(won)
            / (Decimal::from(closed) * Decimal::from(cycle))
    });
    Velocity {
        open_deals: open,
        won,
        lost,
        win_rate: (closed > 0).then(|| super::reports::ratio(won, closed)),
        average_won: (won > 0).then(|| won_amount / Decimal::from(won)),
        average_cycle_days: (won > 0).then(|| (cycle as f64 / won as f64 * 100.0).round() / 100.0),
        per_day,
        missing,
    }
}

/// The velocity report of the scope: [`stage_times`] and [`velocity`].
pub fn report(data: &Data, from: Option<NaiveDate>, to: Option<NaiveDate>) -> VelocityReport {
    VelocityReport {
        stages: stage_times(data),
        velocity: velocity(data, from, to),
    }
}

/// The velocity report as one table, a figure a row: for each open stage its median and 75th
/// percentile days over the deals that left it and its median over those in it now, then the
/// velocity's factors and the velocity (its value says why when it cannot be worked out).
pub const FIGURE_HEADERS: [&str; 4] = ["figure", "stage", "deals", "value"];

/// The rows under [`FIGURE_HEADERS`].
pub fn figure_rows(report: &VelocityReport) -> Vec<Vec<Cell>> {
    let days = |value: Option<f64>| {
        value
            .and_then(Decimal::from_f64_retain)
            .map_or(Cell::Empty, |d| Cell::Decimal(d.round_dp(1)))
    };
    let row = |figure: &str, stage: &str, deals: Option<u64>, value: Cell| {
        vec![
            Cell::text(figure),
            Cell::text(stage),
            deals.map_or(Cell::Empty, Cell::Integer),
            value,
        ]
    };
    let mut rows = Vec::with_capacity(report.stages.len() * 3 + 5);
    for s in &report.stages {
        rows.push(row(
            "median_days",
            &s.stage,
            Some(s.left),
            days(s.median_days),
        ));
        rows.push(row("p75_days", &s.stage, Some(s.left), days(s.p75_days)));
        let now = days(s.now_median_days);
        rows.push(row("now_median_days", &s.stage, Some(s.now), now));
    }
    let v = &report.velocity;
    let open = Some(v.open_deals);
    rows.push(row("open_deals", "", open, Cell::Integer(v.open_deals)));
    let rate = v.win_rate.map_or(Cell::Empty, super::reports::ratio_cell);
    rows.push(row("win_rate", "", Some(v.won + v.lost), rate));
    let average = v.average_won.map_or(Cell::Empty, Cell::Money);
    rows.push(row("average_won", "", Some(v.won), average));
    let cycle = v.average_cycle_days.and_then(Decimal::from_f64_retain);
    let cycle = cycle.map_or(Cell::Empty, |d| Cell::Decimal(d.round_dp(2)));
    rows.push(row("average_cycle_days", "", Some(v.won), cycle));
    let per_day = match (v.per_day, v.missing) {
        (Some(amount), _) => Cell::Money(amount),
        (None, Some(missing)) => Cell::text(missing.code()),
        (None, None) => Cell::Empty,
    };
    rows.push(row("velocity_per_day", "", None, per_day));
    rows
}

impl Missing {
    /// How JSON, CSV and the terminal name it.
    pub fn code(self) -> &'static str {
        match self {
            Missing::NoClosedDeals => "no_closed_deals",
            Missing::NoWonDeals => "no_won_deals",
            Missing::ZeroCycle => "zero_cycle",
        }
    }
}

/// Each deal's days in each stage, a row per deal and stage.
pub const DEAL_HEADERS: [&str; 6] = ["id", "created", "until", "age_days", "stage", "days"];

/// The rows under [`DEAL_HEADERS`].
pub fn deal_rows(deals: &[DealTimes]) -> Vec<Vec<Cell>> {
    let days = |d: i64| Cell::Integer(d.max(0) as u64);
    deals
        .iter()
        .flat_map(|d| {
            d.stages.iter().map(move |s| {
                vec![
                    Cell::Integer(d.id),
                    Cell::Date(d.created),
                    Cell::Date(d.until),
                    days(d.age_days),
                    Cell::text(&s.stage),
                    days(s.days),
                ]
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analytics::facts::{Facts, Sources};
    use crate::analytics::reports::{Records, Scope};
    use crate::domain::{Account, ForecastCategory, Opportunity, Pipeline, Rates, Settings, Stage};

    const NEW: Id = 10;
    const QUALIFIED: Id = 11;
    const WON: Id = 13;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
        day(text).and_hms_opt(9, 0, 0).unwrap().and_utc()
    }

    fn stage(id: Id, name: &str, kind: StageKind) -> Stage {
        Stage {
            id,
            pipeline: 1,
            name: name.to_owned(),
            sequence: id as u32,
            probability: Decimal::from(50),
            kind,
            requirements: String::new(),
            rotting_days: None,
            folded: false,
            forecast: ForecastCategory::default(),
        }
    }

    /// A deal in `stage` created on `created`, closed on `closed` when given.
    fn deal(id: Id, stage: &Stage, created: &str, closed: Option<&str>) -> Opportunity {
        let mut opp = Opportunity::draft(
            &Account::default(),
            stage,
            &Settings::default(),
            at(created),
        );
        opp.id = id;
        opp.amount = Decimal::from(100);
        opp.closed = closed.map(day);
        opp
    }

    /// Deal 1 open in New since 02-01, deal 2 won, created and closed on the days `won` gives,
    /// with no recorded move.
    fn open_and_won(won: (&str, &str)) -> [Opportunity; 2] {
        let new = stage(NEW, "New", StageKind::Open);
        let won_stage = stage(WON, "Won", StageKind::Won);
        [
            deal(1, &new, "2026-02-01", None),
            deal(2, &won_stage, won.0, Some(won.1)),
        ]
    }

    fn event(id: Id, opp: Id, from: Option<Id>, to: Id, on: &str) -> StageEvent {
        StageEvent {
            id,
            opportunity: opp,
            from,
            to,
            at: at(on),
        }
    }

    /// `f` of the data of `deals` and `events` seen on 2026-03-01, in a pipeline of New,
    /// Qualified and Won.
    fn with_data<R>(deals: &[Opportunity], events: &[StageEvent], f: impl FnOnce(&Data) -> R) -> R {
        let pipelines = [Pipeline {
            id: 1,
            name: "Sales".into(),
            sequence: 0,
        }];
        let stages = [
            stage(NEW, "New", StageKind::Open),
            stage(QUALIFIED, "Qualified", StageKind::Open),
            stage(WON, "Won", StageKind::Won),
        ];
        let rates = Rates::new("USD", []);
        let sources = Sources {
            trashed: |_| false,
            events,
            stages: &stages,
            rates: &rates,
        };
        let facts = Arc::new(Facts::new(deals, &sources));
        let records = Records {
            pipelines: &pipelines,
            stages: &stages,
            lookups: [],
            rates: &rates,
            today: day("2026-03-01"),
        };
        f(&Data::new(&Scope::default(), records, facts).with_events(events))
    }

    /// Each deal's stages and days, "Stage days" apart by ", ", deals by " | ".
    fn times(deals: &[Opportunity], events: &[StageEvent]) -> String {
        let rows: Vec<String> = with_data(deals, events, deal_times)
            .iter()
            .map(|d| {
                let sum: i64 = d.stages.iter().map(|s| s.days).sum();
                assert_eq!(sum, d.age_days, "deal {}", d.id);
                let stages: Vec<String> = (d.stages.iter())
                    .map(|s| format!("{} {}", s.stage, s.days))
                    .collect();
                stages.join(", ")
            })
            .collect();
        rows.join(" | ")
    }

    #[test]
    fn a_deal_without_moves_sat_in_its_stage_since_its_creation() {
        // Open in New since 02-01: 28 days to 03-01. Won without a recorded move, created
        // 01-10 and closed 02-09: 21 + 9 = 30 days, where it was is not known.
        let deals = open_and_won(("2026-01-10", "2026-02-09"));
        assert_eq!(times(&deals, &[]), "New 28 | none 30");
    }

    #[test]
    fn before_its_first_recorded_move_a_deal_sat_where_that_move_took_it_from() {
        let qualified = stage(QUALIFIED, "Qualified", StageKind::Open);
        let won = stage(WON, "Won", StageKind::Won);
        // History kept from 01-20 on: created 01-01, moved New → Qualified on 01-20, so 19
        // days in New, then 01-20 → 03-01: 11 + 29 = 40 days in Qualified.
        let moved = deal(1, &qualified, "2026-01-01", None);
        // Imported on 02-15 as created in Qualified on 01-05 (its file's date): in Qualified
        // from its creation, 26 + 15 = 41 days, won on 02-15 the day of the import.
        let imported = deal(2, &won, "2026-01-05", Some("2026-02-15"));
        let events = [
            event(100, 1, Some(NEW), QUALIFIED, "2026-01-20"),
            event(101, 2, None, QUALIFIED, "2026-02-15"),
            event(102, 2, Some(QUALIFIED), WON, "2026-02-15"),
        ];
        assert_eq!(
            times(&[moved, imported], &events),
            "New 19, Qualified 40 | Qualified 41"
        );
    }

    #[test]
    fn moves_outside_a_deals_life_are_cut_to_it() {
        let won = stage(WON, "Won", StageKind::Won);
        // Created 02-01, closed 02-11; a move dated before its creation counts on 02-01 and
        // one after its closing on 02-11: New 0, Qualified 10, Won 0 (not listed).
        let deal = deal(1, &won, "2026-02-01", Some("2026-02-11"));
        let events = [
            event(100, 1, None, NEW, "2026-01-15"),
            event(101, 1, Some(NEW), QUALIFIED, "2026-01-20"),
            event(102, 1, Some(QUALIFIED), WON, "2026-02-20"),
        ];
        assert_eq!(times(&[deal], &events), "New 0, Qualified 10");
    }

    #[test]
    fn spread_takes_the_median_and_method_8_percentile() {
        // Median of 4, 10, 16: 10. Method 8: h = (3 + 1/3) × 0.75 + 1/3 = 2.8333, so
        // p75 = x2 + 0.8333 × (x3 − x2) = 10 + 0.8333 × 6 = 15.
        assert_eq!(spread(vec![16.0, 4.0, 10.0]), (Some(10.0), Some(15.0)));
        // Even count: the median is the mean of the middle two, (2 + 6) / 2 = 4; h = (4 +
        // 1/3) × 0.75 + 1/3 = 3.5833: p75 = 6 + 0.5833 × (8 − 6) = 7.1667, 7.2 at 1 decimal.
        assert_eq!(spread(vec![0.0, 2.0, 6.0, 8.0]), (Some(4.0), Some(7.2)));
        // One value is its own median and percentile; none has neither.
        assert_eq!(spread(vec![5.0]), (Some(5.0), Some(5.0)));
        assert_eq!(spread(Vec::new()), (None, None));
    }

    #[test]
    fn deals_won_the_day_they_were_created_leave_no_cycle_to_divide_by() {
        // One open deal; one won on 02-01, the day it was created: a win rate of 1 and an
        // average of 100, but a cycle of 0 days.
        let deals = open_and_won(("2026-02-01", "2026-02-01"));
        let v = with_data(&deals, &[], |data| velocity(data, None, None));
        assert_eq!((v.open_deals, v.win_rate), (1, Some(1.0)));
        assert_eq!(v.average_won, Some(Decimal::from(100)));
        assert_eq!(v.average_cycle_days, Some(0.0));
        assert_eq!((v.per_day, v.missing), (None, Some(Missing::ZeroCycle)));
    }

    #[test]
    fn saved_reports_keep_their_variant_indexes_with_velocity_last() {
        use crate::analytics::reports::{Params, VelocityBy};
        // Postcard writes a variant as its index: the six reports saved before keep 0 to 5.
        let index = |params: &Params| postcard::to_allocvec(params).unwrap()[0];
        assert_eq!(index(&Params::Funnel), 1);
        let velocity = Params::Velocity {
            by: VelocityBy::Stage,
            from: Some(day("2026-01-01")),
            to: None,
        };
        assert_eq!(index(&velocity), 6);
        let bytes = postcard::to_allocvec(&velocity).unwrap();
        assert_eq!(postcard::from_bytes::<Params>(&bytes).unwrap(), velocity);
    }
}
