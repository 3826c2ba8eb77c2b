//! The reports a sales manager steers by — pipeline analysis, funnel, sales leakage, forecast,
//! win/loss and the sales grid — as pure functions of a [`Data`] snapshot. Definitions are in
//! the README ("Reports"); amounts are in the base currency, ratios have 4 decimals.

use std::sync::Arc;

use chrono::{Datelike as _, Months, NaiveDate};

use crate::domain::{Calendar, Every};
use crate::i18n::jalali::{self, JalaliDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::cells::{Cell, Table};
use super::facts::{DealFacts, Facts};
use super::predict::{self, Book, Calibration};

mod forecast;
mod goals;
mod leakage;
mod slipped;
use super::velocity::{self, DealTimes, VelocityReport};
use crate::domain::{
    FastMap, Goal, Id, IdMap, Lookup, Pipeline, Rates, Stage, StageEvent, StageKind,
};
pub use forecast::{
    AtStart, ForecastDeal, ForecastRow, ForecastSnapshot, SnapshotRow, forecast, forecast_deals,
};
pub use goals::{DoneActivity, GoalRow, goals};
pub use leakage::{Cause, review, verdict};
pub use slipped::{Push, Slip, SlipRow, slipped};

/// The key of deals without a value for what they are grouped by (no salesperson, no date).
pub const NONE: &str = "none";

/// Which deals a report looks at: one pipeline or all, optionally only those created in a
/// period (both ends included). Deals in the trash are never looked at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// None for every pipeline.
    pub pipeline: Option<Id>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
}

impl Scope {
    /// Every deal of `pipeline`.
    pub fn of_pipeline(pipeline: Id) -> Scope {
        Scope {
            pipeline: Some(pipeline),
            ..Scope::default()
        }
    }

    /// Whether a deal of `pipeline` created on `created` is in the scope (trash aside).
    pub fn holds(&self, pipeline: Id, created: NaiveDate) -> bool {
        self.pipeline.is_none_or(|p| pipeline == p)
            && self.created_from.is_none_or(|from| created >= from)
            && self.created_to.is_none_or(|to| created <= to)
    }
}

/// What a report reads: the deals in its scope (their [`Facts`]), and what names them,
/// borrowed from the workspace.
pub struct Data<'a> {
    /// Where each deal in the scope is in `facts`.
    deals: Vec<u32>,
    facts: Arc<Facts>,
    stages: IdMap<&'a Stage>,
    /// The pipelines in the scope, in order, with their stages in order.
    pipelines: Vec<(&'a Pipeline, Vec<&'a Stage>)>,
    names: IdMap<&'a str>,
    rates: &'a Rates,
    today: NaiveDate,
    /// Every stage move, in the order they happened: only the velocity report reads them.
    events: &'a [StageEvent],
    /// The deals' lives as the predictions' learner reads them: only the calibration reads it.
    book: Option<&'a Book>,
    snapshots: &'a [ForecastSnapshot],
    /// The goals and the activities done, which only the goals read.
    goals: &'a [Goal],
    done: &'a [DoneActivity],
    /// The deals' close-date pushes, which only the slipped close dates read.
    slips: &'a [Slip<'a>],
    /// Whether the scope keeps only the deals created in a period.
    created_scoped: bool,
    scope: Scope,
}

/// What names and converts the deals of a report, as the workspace holds it.
#[derive(Clone, Copy)]
pub struct Records<'a, L> {
    pub pipelines: &'a [Pipeline],
    /// Every stage, in pipeline order.
    pub stages: &'a [Stage],
    /// Every lookup value (salespeople, sources, reasons...).
    pub lookups: L,
    pub rates: &'a Rates,
    pub today: NaiveDate,
}

impl<'a> Data<'a> {
    /// The deals of `scope` among `facts` (worked out by [`Facts::new`]; the workspace keeps
    /// them until the data changes), named by `records`.
    pub fn new<L>(scope: &Scope, records: Records<'a, L>, facts: Arc<Facts>) -> Data<'a>
    where
        L: IntoIterator<Item = &'a Lookup>,
    {
        let in_scope = |f: &DealFacts| !f.trashed && scope.holds(f.pipeline, f.created);
        // (`Data::holds` asks the same of one deal.)
        let deals = (0u32..)
            .zip(facts.deals())
            .filter(|(_, f)| in_scope(f))
            .map(|(i, _)| i)
            .collect();
        let pipelines = records
            .pipelines
            .iter()
            .filter(|p| scope.pipeline.is_none_or(|id| p.id == id))
            .map(|p| {
                let stages = records.stages.iter().filter(|s| s.pipeline == p.id);
                (p, stages.collect())
            })
            .collect();
        Data {
            deals,
            facts,
            stages: records.stages.iter().map(|s| (s.id, s)).collect(),
            pipelines,
            names: records
                .lookups
                .into_iter()
                .map(|l| (l.id, l.name.as_str()))
                .collect(),
            rates: records.rates,
            today: records.today,
            events: &[],
            book: None,
            snapshots: &[],
            goals: &[],
            done: &[],
            slips: &[],
            created_scoped: scope.created_from.is_some() || scope.created_to.is_some(),
            scope: scope.clone(),
        }
    }

    /// The same data with the forecasts kept at the start of periods, which the forecast
    /// sets against what was won once a period ends.
    pub fn with_snapshots(self, snapshots: &'a [ForecastSnapshot]) -> Data<'a> {
        Data { snapshots, ..self }
    }

    /// The same data with the goals and the activities done (those of deals in the scope,
    /// and of accounts and leads when it holds every pipeline), which the goals count.
    pub fn with_goals(self, goals: &'a [Goal], done: &'a [DoneActivity]) -> Data<'a> {
        Data {
            goals,
            done,
            ..self
        }
    }

    /// The same data with the deals' close-date pushes `slips`.
    pub fn with_slips(self, slips: &'a [Slip<'a>]) -> Data<'a> {
        Data { slips, ..self }
    }

    fn slips(&self) -> &'a [Slip<'a>] {
        self.slips
    }

    fn goals(&self) -> &'a [Goal] {
        self.goals
    }

    fn done(&self) -> &'a [DoneActivity] {
        self.done
    }

    /// The forecasts kept at the start of periods.
    fn snapshots(&self) -> &'a [ForecastSnapshot] {
        self.snapshots
    }

    /// Whether a deal is in the scope (as [`Data::each`] lists them).
    fn holds(&self, f: &DealFacts) -> bool {
        !f.trashed && self.scope.holds(f.pipeline, f.created)
    }

    /// Whether the scope keeps only the deals created in a period.
    fn created_scoped(&self) -> bool {
        self.created_scoped
    }

    /// Whether lookup `id` (a salesperson, a source...) exists.
    fn knows(&self, id: Id) -> bool {
        self.names.contains_key(&id)
    }

    /// Whether pipeline `id` is in the scope.
    fn has_pipeline(&self, id: Id) -> bool {
        self.pipelines.iter().any(|(p, _)| p.id == id)
    }

    /// The same data with the stage moves `events` (in the order they happened), which the
    /// velocity report reads; without them every deal sat in its stage since its creation.
    pub fn with_events(self, events: &'a [StageEvent]) -> Data<'a> {
        Data { events, ..self }
    }

    /// The same data with the deals' lives `book` (of the same scope), which the calibration
    /// reads; without it there is nothing to learn from.
    pub fn with_book(self, book: &'a Book) -> Data<'a> {
        Data {
            book: Some(book),
            ..self
        }
    }

    /// Every stage move, in the order they happened.
    pub(super) fn events(&self) -> &'a [StageEvent] {
        self.events
    }

    /// The day reports see as today.
    pub(super) fn today(&self) -> NaiveDate {
        self.today
    }

    /// A stage by its id.
    pub(super) fn stage(&self, id: Id) -> Option<&'a Stage> {
        self.stages.get(&id).copied()
    }

    /// Where each deal of the scope is in [`Facts::deals`], in the order [`Data::each`] lists
    /// them; and those facts.
    pub(super) fn positions(&self) -> (&[u32], &Facts) {
        (&self.deals, &self.facts)
    }

    /// The facts of each deal in the scope.
    pub(super) fn each(&self) -> impl Iterator<Item = &DealFacts> + '_ {
        let all = self.facts.deals();
        self.deals.iter().map(move |&i| &all[i as usize])
    }

    /// The base currency amounts are in.
    pub fn base_currency(&self) -> &str {
        self.rates.base()
    }

    /// Deals in the scope.
    pub fn deals(&self) -> usize {
        self.deals.len()
    }

    fn is_open(f: &DealFacts) -> bool {
        f.active && f.kind == Some(StageKind::Open)
    }

    /// The name of the lookup a group's key holds; [`NONE`] for no value.
    fn name(&self, key: Key) -> String {
        key.and_then(|id| self.names.get(&(id as Id)))
            .map_or_else(|| NONE.to_owned(), |n| (*n).to_owned())
    }

    /// The only pipeline of the scope, for the reports that follow one pipeline's stages.
    pub(super) fn pipeline(&self) -> Option<&(&'a Pipeline, Vec<&'a Stage>)> {
        match self.pipelines.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The default period of the forecast and the grid (see [`default_period`]).
    pub fn default_period(&self) -> (NaiveDate, NaiveDate) {
        default_period(self.today)
    }

    /// `from` to `to`, the [`default_period`]'s ends where not given.
    fn period_or_default(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (NaiveDate, NaiveDate) {
        let (default_from, default_to) = self.default_period();
        (from.unwrap_or(default_from), to.unwrap_or(default_to))
    }
}

/// The default period of the forecast and the grid seen on `today`: two years back to one year
/// forward, whole months.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month = today.with_day(1).expect("day 1 exists");
    let from = month - Months::new(24);
    let to = month + Months::new(13) - chrono::Days::new(1);
    (from, to)
}

/// A ratio with 4 decimals; 0 when there is nothing to divide.
pub(super) fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
    }
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::money_string(*value))
}

/// What `pipeline` groups open deals by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum GroupBy {
    #[default]
    Stage,
    Salesperson,
    Source,
    /// The expected-close month, `YYYY-MM`.
    Month,
}

impl GroupBy {
    /// Its name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Stage => "stage",
            GroupBy::Salesperson => "salesperson",
            GroupBy::Source => "source",
            GroupBy::Month => "month",
        }
    }
}

/// Open active deals grouped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipelineRow {
    pub key: String,
    pub count: u64,
    #[serde(serialize_with = "money")]
    pub expected: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
}

/// Count, amount and weighted amount of a group of deals, in the base currency.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    count: u64,
    amount: Decimal,
    weighted: Decimal,
}

impl Sums {
    fn add(&mut self, facts: &DealFacts) {
        self.count += 1;
        self.amount += facts.amount;
        self.weighted += facts.weighted;
    }
}

/// A group's key while summing: an id (None: no value), so no text is made per deal.
type Key = Option<i64>;

fn id_key(id: Option<Id>) -> Key {
    id.map(|id| id as i64)
}

/// Pipeline analysis: the open active deals by stage (in pipeline order, every open stage),
/// salesperson, source or expected-close month.
pub fn pipeline(data: &Data, by: GroupBy) -> Vec<PipelineRow> {
    let mut groups: FastMap<Key, Sums> = FastMap::default();
    for f in data.each().filter(|f| Data::is_open(f)) {
        let key = match by {
            GroupBy::Stage => id_key(Some(f.stage)),
            GroupBy::Salesperson => id_key(f.salesperson()),
            GroupBy::Source => id_key(f.source()),
            GroupBy::Month => f.expected_close.map(|d| Period::Month.code(d)),
        };
        groups.entry(key).or_default().add(f);
    }
    let row = |key: String, sums: Sums| PipelineRow {
        key,
        count: sums.count,
        expected: sums.amount,
        weighted: sums.weighted,
    };
    match by {
        GroupBy::Stage => {
            let several = data.pipelines.len() > 1;
            data.pipelines
                .iter()
                .flat_map(|(p, stages)| {
                    stages
                        .iter()
                        .filter(|s| s.kind == StageKind::Open)
                        .map(move |s| (p, s))
                })
                .map(|(p, s)| {
                    let key = if several {
                        format!("{} / {}", p.name, s.name)
                    } else {
                        s.name.clone()
                    };
                    let sums = groups.get(&id_key(Some(s.id))).copied().unwrap_or_default();
                    row(key, sums)
                })
                .collect()
        }
        GroupBy::Month => {
            // Every month from the earliest to the latest, those without deals at zero, so
            // a chart of them has no gap in its axis; no date last.
            let months = groups.keys().flatten().copied();
            let span = months.clone().min().zip(months.max());
            let keys = span
                .into_iter()
                .flat_map(|(first, last)| (first..=last).map(Some));
            let none = groups.contains_key(&None).then_some(None);
            keys.chain(none)
                .map(|k| {
                    let sums = groups.get(&k).copied().unwrap_or_default();
                    row(Period::Month.label(k), sums)
                })
                .collect()
        }
        GroupBy::Salesperson | GroupBy::Source => by_name(data, groups)
            .into_iter()
            .map(|(name, sums)| row(name, sums))
            .collect(),
    }
}

/// Groups keyed by a lookup's id as (name, group), by name with case ignored, no value last.
fn by_name<T>(data: &Data, groups: FastMap<Key, T>) -> Vec<(String, T)> {
    let mut rows: Vec<(String, T)> = groups.into_iter().map(|(k, v)| (data.name(k), v)).collect();
    rows.sort_by(|(a, _), (b, _)| person_order(a, b));
    rows
}

/// What the funnel and the leakage count over the one pipeline's open stages, in one pass.
struct Progress {
    open: Vec<Id>,
    /// Per open stage, the deals that reached it and their amount.
    reached: Vec<(u64, Decimal)>,
    /// Per open stage after the first, the deals that reached both it and the stage before.
    kept: Vec<u64>,
    /// Per open stage, the deals that reached it and went no further (not won, no later open
    /// stage reached): `reached − stopped` advanced.
    stopped: Vec<u64>,
    /// Per open stage, the deals lost from it and their amount.
    lost: Vec<(u64, Decimal)>,
    /// Per open stage, the active deals in it now.
    now: Vec<u64>,
}

/// The open stages of the scope's one pipeline, in order; None when the scope has several.
fn open_stages<'a>(data: &Data<'a>) -> Option<Vec<&'a Stage>> {
    let (_, stages) = data.pipeline()?;
    Some(
        stages
            .iter()
            .copied()
            .filter(|s| s.kind == StageKind::Open)
            .collect(),
    )
}

/// Where a deal stands for the sales leakage: lost from the open stage at this index, or open
/// and active in it now.
#[derive(Clone, Copy)]
enum Place {
    Lost(usize),
    Open(usize),
}

/// Which of the open stages one deal reached (see the README's "Reports"), with buffers kept
/// from deal to deal so a million deals allocate nothing.
struct Reach {
    /// The open stages of the pipeline, in order. A stage's id also says when it was added:
    /// ids only grow, so a move with a larger id was recorded after it existed.
    open: Vec<Id>,
    /// Per open stage, the latest move of the deal at hand into it; 0 for none.
    last: Vec<Id>,
    /// Per open stage, whether the deal at hand reached it.
    reached: Vec<bool>,
}

impl Reach {
    /// The open stages of the scope's one pipeline.
    fn new(data: &Data) -> Option<Reach> {
        let open: Vec<Id> = open_stages(data)?.iter().map(|s| s.id).collect();
        let n = open.len();
        Some(Reach {
            open,
            last: vec![0; n],
            reached: vec![false; n],
        })
    }

    fn position(&self, stage: Id) -> Option<usize> {
        // A pipeline has a handful of stages: a scan beats hashing.
        self.open.iter().position(|s| *s == stage)
    }

    /// Marks in `self.reached` the open stages deal `f` reached: those it was moved into
    /// (created in counts), and those before a stage it was moved into later, when the move
    /// came after they were added. A won deal never in an open stage (created won, as an
    /// import whose file names no earlier stage) passed through those that existed when it
    /// was won. Returns the furthest it reached, None for none.
    fn of(&mut self, data: &Data, f: &DealFacts) -> Option<usize> {
        self.last.fill(0);
        let mut won_by = 0;
        for entered in data.facts.entered(f) {
            match self.position(entered.stage) {
                Some(k) => self.last[k] = self.last[k].max(entered.by),
                None if entered.stage == f.stage => won_by = entered.by,
                None => {}
            }
        }
        // In its stage without a recorded move (data from before moves were kept): as an
        // import without history, it passed through the stages before.
        if let Some(k) = self.position(f.stage).filter(|k| self.last[*k] == 0) {
            self.last[k] = Id::MAX;
        }
        let never_open = self.last.iter().all(|by| *by == 0);
        let mut later = match f.kind {
            // Won without a recorded move: as old as the data.
            Some(StageKind::Won) if never_open && won_by == 0 => Id::MAX,
            Some(StageKind::Won) if never_open => won_by,
            _ => 0,
        };
        let mut furthest = None;
        for k in (0..self.open.len()).rev() {
            let reached = self.last[k] > 0 || later > self.open[k];
            self.reached[k] = reached;
            if reached && furthest.is_none() {
                furthest = Some(k);
            }
            later = later.max(self.last[k]);
        }
        furthest
    }
}

impl Progress {
    fn of(data: &Data) -> Option<Progress> {
        Progress::walk(data, |_, _| {})
    }

    /// Counts the progress of the scope's deals, handing each deal lost from an open stage or
    /// open in one now to `visit`, so the leakage adds its figures in the same pass.
    fn walk(data: &Data, mut visit: impl FnMut(&DealFacts, Place)) -> Option<Progress> {
        let mut reach = Reach::new(data)?;
        let n = reach.open.len();
        // Deals that reached every stage up to their furthest, counted there and summed
        // backwards once; those whose stages have a gap are counted stage by stage.
        let mut up_to = vec![(0u64, Decimal::ZERO); n];
        let mut reached = vec![(0u64, Decimal::ZERO); n];
        let mut kept = vec![0u64; n];
        let mut stopped = vec![0u64; n];
        let mut lost = vec![(0u64, Decimal::ZERO); n];
        let mut now = vec![0u64; n];
        for f in data.each() {
            if let Some(top) = reach.of(data, f) {
                if reach.reached[..top].iter().all(|r| *r) {
                    up_to[top].0 += 1;
                    up_to[top].1 += f.amount;
                } else {
                    for (k, _) in reach.reached.iter().enumerate().filter(|(_, r)| **r) {
                        reached[k].0 += 1;
                        reached[k].1 += f.amount;
                        kept[k] += u64::from(k > 0 && reach.reached[k - 1]);
                    }
                }
                if f.kind != Some(StageKind::Won) {
                    stopped[top] += 1;
                }
            }
            match f.kind {
                Some(StageKind::Lost) => {
                    if let Some(k) = f.lost_from().and_then(|s| reach.position(s)) {
                        lost[k].0 += 1;
                        lost[k].1 += f.amount;
                        visit(f, Place::Lost(k));
                    }
                }
                Some(StageKind::Open) if f.active => {
                    if let Some(k) = reach.position(f.stage) {
                        now[k] += 1;
                        visit(f, Place::Open(k));
                    }
                }
                _ => {}
            }
        }
        let mut beyond = (0u64, Decimal::ZERO);
        for k in (0..n).rev() {
            beyond.0 += up_to[k].0;
            beyond.1 += up_to[k].1;
            reached[k].0 += beyond.0;
            reached[k].1 += beyond.1;
            kept[k] += if k > 0 { beyond.0 } else { 0 };
        }
        Some(Progress {
            open: reach.open,
            reached,
            kept,
            stopped,
            lost,
            now,
        })
    }
}

/// The deals that reached the open stage `stage` as [`funnel`] counts them, in the scope's
/// order; empty when the scope has several pipelines or `stage` is not one of its open stages.
pub fn reached_deals(data: &Data, stage: Id) -> Vec<Id> {
    let Some(mut reach) = Reach::new(data) else {
        return Vec::new();
    };
    let Some(k) = reach.position(stage) else {
        return Vec::new();
    };
    data.each()
        .filter(|f| reach.of(data, f).is_some() && reach.reached[k])
        .map(|f| f.id)
        .collect()
}

/// One open stage of the funnel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FunnelRow {
    #[serde(skip)]
    pub stage_id: Id,
    pub stage: String,
    pub reached: u64,
    #[serde(serialize_with = "money")]
    pub reached_amount: Decimal,
    /// The share of the deals that reached the stage before that reached this one too; None
    /// for the first stage.
    pub conversion_from_previous: Option<f64>,
}

/// The funnel of the scope's one pipeline (empty when the scope has several): how many deals
/// reached each open stage — moved into it, or into a later open stage once it existed.
pub fn funnel(data: &Data) -> Vec<FunnelRow> {
    let Some(progress) = Progress::of(data) else {
        return Vec::new();
    };
    let mut rows: Vec<FunnelRow> = Vec::with_capacity(progress.open.len());
    for (k, stage) in progress.open.iter().enumerate() {
        let (reached, reached_amount) = progress.reached[k];
        // No conversion from a stage no deal reached: "0 %" would read as a measured figure.
        let conversion_from_previous = rows
            .last()
            .filter(|prev| prev.reached > 0)
            .map(|prev| ratio(progress.kept[k], prev.reached));
        rows.push(FunnelRow {
            stage_id: *stage,
            stage: data.stages[stage].name.clone(),
            reached,
            reached_amount,
            conversion_from_previous,
        });
    }
    rows
}

/// One open stage of the leakage report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LeakageRow {
    #[serde(skip)]
    pub stage_id: Id,
    pub stage: String,
    /// Deals that reached the stage (as the funnel counts them).
    pub entered: u64,
    /// Deals that reached the stage and went further: a later open stage, or won.
    pub advanced: u64,
    /// Lost deals that were in this stage when they were (last) lost.
    pub lost: u64,
    #[serde(serialize_with = "money")]
    pub lost_amount: Decimal,
    /// Active deals in the stage now.
    pub open: u64,
    /// advanced / entered; None while no deal has moved on or been lost from the stage (its
    /// deals are all still in it, or went back): no conversion is measured yet.
    pub conversion_to_next: Option<f64>,
    /// The days a deal is expected to take in the stage (its stale threshold); None when the
    /// stage has none, and then nothing is stuck there: it is not measured.
    pub stuck_after_days: Option<u32>,
    /// Open, active deals in the stage longer than its expected days (as the board's stale
    /// deals); None when the stage has no expected days.
    pub stuck: Option<u64>,
    #[serde(serialize_with = "money_or_null")]
    pub stuck_amount: Option<Decimal>,
    /// The deals lost from the stage by loss reason, the most first.
    pub lost_by_reason: Vec<Cause>,
    /// The deals lost from the stage by competitor, the most first.
    pub lost_by_competitor: Vec<Cause>,
    /// The stage the verdict names for review (see [`review`]).
    pub needs_review: bool,
}

#[expect(
    clippy::ref_option,
    reason = "serde's `serialize_with` hands the field by reference"
)]
fn money_or_null<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => money(value, s),
        None => s.serialize_none(),
    }
}

/// Sales leakage of the scope's one pipeline (empty when the scope has several): at which
/// stage deals are lost and why, which overstay the stage's expected days, and the stage that
/// needs review.
pub fn leakage(data: &Data) -> Vec<LeakageRow> {
    let Some(mut leaks) = leakage::Leaks::new(data) else {
        return Vec::new();
    };
    let Some(progress) = Progress::walk(data, |f, place| leaks.add(f, place)) else {
        return Vec::new();
    };
    let mut rows: Vec<LeakageRow> = progress
        .open
        .iter()
        .enumerate()
        .map(|(k, stage)| {
            let entered = progress.reached[k].0;
            let advanced = entered - progress.stopped[k];
            let lost = progress.lost[k].0;
            let (stuck_after_days, stuck, stuck_amount) = leaks.stuck(k);
            let (lost_by_reason, lost_by_competitor) = leaks.causes(data, k, lost);
            LeakageRow {
                stage_id: *stage,
                stage: data.stages[stage].name.clone(),
                entered,
                advanced,
                lost,
                lost_amount: progress.lost[k].1,
                open: progress.now[k],
                conversion_to_next: (advanced + lost > 0).then(|| ratio(advanced, entered)),
                stuck_after_days,
                stuck,
                stuck_amount,
                lost_by_reason,
                lost_by_competitor,
                needs_review: false,
            }
        })
        .collect();
    if let Some(k) = review(&rows) {
        rows[k].needs_review = true;
    }
    rows
}

/// The periods of the forecast and the grid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Period {
    /// `YYYY-MM`.
    #[default]
    Month,
    /// `YYYY-Qn`.
    Quarter,
}

impl Period {
    /// Its name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
        }
    }

    /// The period `date` falls in.
    pub fn of(self, date: NaiveDate) -> String {
        self.label(Some(self.code(date)))
    }

    /// The period `date` falls in as a number that sorts like the periods (months or
    /// quarters since year 0 of the calendar in use), for grouping without making text for
    /// each deal. In the Jalali calendar quarters are its seasons (spring from Farvardin).
    fn code(self, date: NaiveDate) -> i64 {
        let months = match crate::i18n::calendar() {
            Calendar::Gregorian => i64::from(date.year()) * 12 + i64::from(date.month0()),
            Calendar::Jalali => {
                let day = JalaliDate::from_gregorian(date);
                i64::from(day.year) * 12 + i64::from(day.month) - 1
            }
        };
        match self {
            Period::Month => months,
            Period::Quarter => months.div_euclid(3),
        }
    }

    /// The text of a period's code: `YYYY-MM` or `YYYY-Qn`; in the Jalali calendar the
    /// month's or season's name and the year (آذر ۱۴۰۵, Azar 1405); [`NONE`] for no date.
    fn label(self, code: Key) -> String {
        let Some(code) = code else {
            return NONE.to_owned();
        };
        match (self, crate::i18n::calendar()) {
            (Period::Month, Calendar::Gregorian) => {
                format!("{:04}-{:02}", code.div_euclid(12), code.rem_euclid(12) + 1)
            }
            (Period::Quarter, Calendar::Gregorian) => {
                format!("{}-Q{}", code.div_euclid(4), code.rem_euclid(4) + 1)
            }
            (Period::Month, Calendar::Jalali) => {
                let month = u8::try_from(code.rem_euclid(12) + 1).unwrap_or(1);
                let year =
                    crate::i18n::localize_digits(&code.div_euclid(12).to_string()).into_owned();
                format!("{} {year}", jalali::month_name(month))
            }
            (Period::Quarter, Calendar::Jalali) => {
                let season = u8::try_from(code.rem_euclid(4) + 1).unwrap_or(1);
                let year =
                    crate::i18n::localize_digits(&code.div_euclid(4).to_string()).into_owned();
                format!("{} {year}", jalali::season_name(season))
            }
        }
    }

    /// Every period from the one holding `from` to the one holding `to`, in order.
    pub fn all(self, from: NaiveDate, to: NaiveDate) -> Vec<String> {
        (self.code(from)..=self.code(to))
            .map(|code| self.label(Some(code)))
            .collect()
    }
}

/// Salespeople by name, no salesperson last.
fn person_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a == NONE)
        .cmp(&(b == NONE))
        .then(a.to_lowercase().cmp(&b.to_lowercase()))
}

/// What `winloss` groups closed deals by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum WinLossBy {
    /// The loss reason: lost deals by their reason, won deals (which have none) in a row of
    /// their own keyed [`WON`].
    #[default]
    Reason,
    Competitor,
    Source,
    Salesperson,
}

impl WinLossBy {
    /// Its name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            WinLossBy::Reason => "reason",
            WinLossBy::Competitor => "competitor",
            WinLossBy::Source => "source",
            WinLossBy::Salesperson => "salesperson",
        }
    }
}

/// The key of the won deals' row when closed deals are grouped by loss reason.
pub const WON: &str = "won";

/// Won and lost deals of one key.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WinLossRow {
    pub key: String,
    pub won: u64,
    pub lost: u64,
    #[serde(serialize_with = "money")]
    pub won_amount: Decimal,
    #[serde(serialize_with = "money")]
    pub lost_amount: Decimal,
    /// won / (won + lost). By loss reason, a reason's row has none (only lost deals have a
    /// reason) and the won row has the win rate of every deal closed.
    pub win_rate: Option<f64>,
}

/// Won and lost deals closed from `from` to `to` (each end open when None), grouped. By loss
/// reason: a row per reason of the lost deals, by most lost (ties by name, no reason last),
/// then the won deals' row; no row at all when nothing was closed.
pub fn winloss(
    data: &Data,
    by: WinLossBy,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Vec<WinLossRow> {
    // Per key: won deals, lost deals.
    let mut groups: FastMap<Key, (Sums, Sums)> = FastMap::default();
    let mut won_deals = Sums::default();
    for f in data.each() {
        let won = match f.kind {
            Some(StageKind::Won) => true,
            Some(StageKind::Lost) => false,
            _ => continue,
        };
        let closed = f.closed;
        let in_period = from.is_none_or(|f| closed.is_some_and(|c| c >= f))
            && to.is_none_or(|t| closed.is_some_and(|c| c <= t));
        if !in_period {
            continue;
        }
        if won && by == WinLossBy::Reason {
            won_deals.add(f);
            continue;
        }
        let key = id_key(match by {
            WinLossBy::Reason => f.loss_reason(),
            WinLossBy::Competitor => f.competitor(),
            WinLossBy::Source => f.source(),
            WinLossBy::Salesperson => f.salesperson(),
        });
        let group = groups.entry(key).or_default();
        if won { &mut group.0 } else { &mut group.1 }.add(f);
    }
    let row = |key: String, won: Sums, lost: Sums, win_rate| WinLossRow {
        key,
        won: won.count,
        lost: lost.count,
        won_amount: won.amount,
        lost_amount: lost.amount,
        win_rate,
    };
    let mut rows = by_name(data, groups);
    if by != WinLossBy::Reason {
        return rows
            .into_iter()
            .map(|(key, (won, lost))| {
                let rate = ratio(won.count, won.count + lost.count);
                row(key, won, lost, Some(rate))
            })
            .collect();
    }
    // The stable sort keeps the names' order among equal counts, no reason last.
    rows.sort_by_key(|(key, (_, lost))| (key == NONE, std::cmp::Reverse(lost.count)));
    let lost_deals: u64 = rows.iter().map(|(_, (_, lost))| lost.count).sum();
    let closed = lost_deals + won_deals.count;
    let mut rows: Vec<WinLossRow> = rows
        .into_iter()
        .map(|(key, (won, lost))| row(key, won, lost, None))
        .collect();
    if closed > 0 {
        let rate = ratio(won_deals.count, closed);
        rows.push(row(WON.to_owned(), won_deals, Sums::default(), Some(rate)));
    }
    rows
}

/// One salesperson's period in the sales grid.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GridRow {
    pub salesperson: String,
    pub period: String,
    pub won_count: u64,
    #[serde(serialize_with = "money")]
    pub won_amount: Decimal,
    pub pipeline_count: u64,
    #[serde(serialize_with = "money")]
    pub pipeline_amount: Decimal,
}

/// The sales grid from `from` to `to`: per salesperson and period, deals won (by closing
/// date) and the pipeline (open active deals by expected-close date).
pub fn grid(data: &Data, by: Period, from: NaiveDate, to: NaiveDate) -> Vec<GridRow> {
    // Per (salesperson, period): won deals, the pipeline.
    let mut groups: FastMap<(Key, i64), (Sums, Sums)> = FastMap::default();
    for f in data.each() {
        let (date, won) = match f.kind {
            Some(StageKind::Open) if f.active => (f.expected_close, false),
            Some(StageKind::Won) => (f.closed, true),
            _ => continue,
        };
        let Some(date) = date.filter(|d| (from..=to).contains(d)) else {
            continue;
        };
        let group = groups
            .entry((id_key(f.salesperson()), by.code(date)))
            .or_default();
        if won { &mut group.0 } else { &mut group.1 }.add(f);
    }
    let mut rows: Vec<(i64, GridRow)> = groups
        .into_iter()
        .map(|((person, code), (won, pipeline))| {
            let row = GridRow {
                salesperson: data.name(person),
                period: by.label(Some(code)),
                won_count: won.count,
                won_amount: won.amount,
                pipeline_count: pipeline.count,
                pipeline_amount: pipeline.amount,
            };
            (code, row)
        })
        .collect();
    rows.sort_by(|(a, ra), (b, rb)| person_order(&ra.salesperson, &rb.salesperson).then(a.cmp(b)));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// A report the user named, to open again from the Reports view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReport {
    pub id: Id,
    pub name: String,
    pub scope: Scope,
    pub params: Params,
}

/// A report and its parameters, as the command line, the Reports view and saved reports name
/// them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Params {
    Pipeline {
        by: GroupBy,
    },
    Funnel,
    Leakage,
    /// `from` / `to` default to [`Data::default_period`].
    Forecast {
        by: Period,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        salesperson: Option<Id>,
    },
    WinLoss {
        by: WinLossBy,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// `from` / `to` default to [`Data::default_period`].
    Grid {
        by: Period,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// Time in stage and velocity; won and lost deals closed from `from` to `to` (all time
    /// when None). Last, so the variants saved before it keep their indexes.
    Velocity {
        by: VelocityBy,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// The backtest of the predicted probability against the stages' defaults and Odoo's
    /// naive Bayes (see [`predict::calibration`]).
    Calibration,
    /// Each goal's progress in the period holding today.
    Goals,
    /// The deals whose close date was pushed later in the period holding today.
    Slipped {
        every: Every,
    },
}

/// What the velocity report lists: each open stage with the velocity, or each deal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum VelocityBy {
    /// Days in each open stage (median, 75th percentile) and the velocity's factors.
    #[default]
    Stage,
    /// Each deal's days in each stage it was in, adding up to its age.
    Deal,
}

impl Params {
    /// The report's name on the command line and in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Params::Pipeline { .. } => "pipeline",
            Params::Funnel => "funnel",
            Params::Leakage => "leakage",
            Params::Forecast { .. } => "forecast",
            Params::WinLoss { .. } => "winloss",
            Params::Grid { .. } => "grid",
            Params::Velocity { .. } => "velocity",
            Params::Calibration => "calibration",
            Params::Goals => "goals",
            Params::Slipped { .. } => "slipped",
        }
    }
}

/// A report's rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Rows {
    Pipeline(Vec<PipelineRow>),
    Funnel(Vec<FunnelRow>),
    Leakage(Vec<LeakageRow>),
    Forecast(Vec<ForecastRow>),
    WinLoss(Vec<WinLossRow>),
    Grid(Vec<GridRow>),
    Velocity(VelocityReport),
    DealTimes(Vec<DealTimes>),
    Calibration(Calibration),
    Goals(Vec<GoalRow>),
    Slipped(Vec<SlipRow>),
}

/// A report computed.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub name: &'static str,
    pub base_currency: String,
    pub rows: Rows,
}

/// Computes the report `params` names over `data`.
pub fn run(data: &Data, params: &Params) -> Report {
    let rows = match params {
        Params::Pipeline { by } => Rows::Pipeline(pipeline(data, *by)),
        Params::Funnel => Rows::Funnel(funnel(data)),
        Params::Leakage => Rows::Leakage(leakage(data)),
        Params::Forecast {
            by,
            from,
            to,
            salesperson,
        } => {
            let (from, to) = data.period_or_default(*from, *to);
            Rows::Forecast(forecast(data, *by, from, to, *salesperson))
        }
        Params::WinLoss { by, from, to } => Rows::WinLoss(winloss(data, *by, *from, *to)),
        Params::Grid { by, from, to } => {
            let (from, to) = data.period_or_default(*from, *to);
            Rows::Grid(grid(data, *by, from, to))
        }
        Params::Velocity {
            by: VelocityBy::Stage,
            from,
            to,
        } => Rows::Velocity(velocity::report(data, *from, *to)),
        Params::Velocity {
            by: VelocityBy::Deal,
            ..
        } => Rows::DealTimes(velocity::deal_times(data)),
        Params::Calibration => {
            Rows::Calibration(predict::calibration(data.book.unwrap_or(&Book::default())))
        }
        Params::Goals => Rows::Goals(goals(data)),
        Params::Slipped { every } => Rows::Slipped(slipped(data, *every)),
    };
    Report {
        name: params.name(),
        base_currency: data.base_currency().to_owned(),
        rows,
    }
}

/// A goal's target or achievement: money, or a whole count.
fn goal_cell(measure: crate::domain::Measure, value: Decimal) -> Cell {
    match u64::try_from(value) {
        Ok(count) if !measure.is_money() => Cell::Integer(count),
        _ => Cell::Money(value),
    }
}

impl Report {
    /// `{"report": NAME, "base_currency": ..., "rows": [...]}`, amounts as decimal strings.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a, R: Serialize> {
            report: &'a str,
            base_currency: &'a str,
            rows: &'a [R],
        }
        fn out<R: Serialize>(report: &Report, rows: &[R]) -> String {
            let out = Out {
                report: report.name,
                base_currency: &report.base_currency,
                rows,
            };
            serde_json::to_string_pretty(&out).expect("reports serialize to JSON") + "\n"
        }
        /// The leakage also names the stage to review and says why, in one line.
        #[derive(Serialize)]
        struct Leaks<'a> {
            report: &'a str,
            base_currency: &'a str,
            review: Option<&'a str>,
            verdict: String,
            rows: &'a [LeakageRow],
        }
        match &self.rows {
            Rows::Pipeline(rows) => out(self, rows),
            Rows::Funnel(rows) => out(self, rows),
            Rows::Leakage(rows) => {
                let out = Leaks {
                    report: self.name,
                    base_currency: &self.base_currency,
                    review: rows
                        .iter()
                        .find(|r| r.needs_review)
                        .map(|r| r.stage.as_str()),
                    verdict: verdict(rows, &self.base_currency),
                    rows,
                };
                serde_json::to_string_pretty(&out).expect("reports serialize to JSON") + "\n"
            }
            Rows::Forecast(rows) => out(self, rows),
            Rows::Goals(rows) => out(self, rows),
            Rows::Slipped(rows) => out(self, rows),
            Rows::WinLoss(rows) => out(self, rows),
            Rows::Grid(rows) => out(self, rows),
            Rows::DealTimes(rows) => out(self, rows),
            Rows::Velocity(report) => {
                #[derive(Serialize)]
                struct Out<'a> {
                    report: &'a str,
                    base_currency: &'a str,
                    rows: &'a [velocity::StageTimeRow],
                    velocity: &'a velocity::Velocity,
                }
                let out = Out {
                    report: self.name,
                    base_currency: &self.base_currency,
                    rows: &report.stages,
                    velocity: &report.velocity,
                };
                serde_json::to_string_pretty(&out).expect("reports serialize to JSON") + "\n"
            }
            Rows::Calibration(calibration) => {
                #[derive(Serialize)]
                struct Out<'a> {
                    report: &'a str,
                    #[serde(flatten)]
                    calibration: &'a Calibration,
                    /// What the figures say, or why there are none.
                    summary: String,
                }
                let out = Out {
                    report: self.name,
                    calibration,
                    summary: predict::summary(calibration),
                };
                serde_json::to_string_pretty(&out).expect("reports serialize to JSON") + "\n"
            }
        }
    }

    /// The rows as a table of typed cells, headed by the JSON keys: for CSV, XLSX and the
    /// terminal.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per report, its headers beside its cells; split, a report's columns would be read in two places"
    )]
    pub fn table(&self) -> Table {
        let (headers, rows): (&[&'static str], Vec<Vec<Cell>>) = match &self.rows {
            Rows::Pipeline(rows) => (
                &["key", "count", "expected", "weighted"],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.key),
                            Cell::Integer(r.count),
                            Cell::Money(r.expected),
                            Cell::Money(r.weighted),
                        ]
                    })
                    .collect(),
            ),
            Rows::Funnel(rows) => (
                &[
                    "stage",
                    "reached",
                    "reached_amount",
                    "conversion_from_previous",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.stage),
                            Cell::Integer(r.reached),
                            Cell::Money(r.reached_amount),
                            r.conversion_from_previous.map_or(Cell::Empty, ratio_cell),
                        ]
                    })
                    .collect(),
            ),
            Rows::Leakage(rows) => (
                &[
                    "stage",
                    "entered",
                    "advanced",
                    "lost",
                    "lost_amount",
                    "open",
                    "conversion_to_next",
                    "stuck_after_days",
                    "stuck",
                    "stuck_amount",
                    "lost_by_reason",
                    "lost_by_competitor",
                    "needs_review",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.stage),
                            Cell::Integer(r.entered),
                            Cell::Integer(r.advanced),
                            Cell::Integer(r.lost),
                            Cell::Money(r.lost_amount),
                            Cell::Integer(r.open),
                            r.conversion_to_next.map_or(Cell::Empty, ratio_cell),
                            r.stuck_after_days
                                .map_or(Cell::Empty, |d| Cell::Integer(d.into())),
                            r.stuck.map_or(Cell::Empty, Cell::Integer),
                            r.stuck_amount.map_or(Cell::Empty, Cell::Money),
                            causes_cell(&r.lost_by_reason),
                            causes_cell(&r.lost_by_competitor),
                            Cell::Bool(r.needs_review),
                        ]
                    })
                    .collect(),
            ),
            Rows::Forecast(rows) => (
                &[
                    "period",
                    "salesperson",
                    "open_count",
                    "unweighted",
                    "weighted",
                    "commit",
                    "best_case",
                    "won_count",
                    "won_amount",
                    "kept_on",
                    "commit_at_start",
                    "best_case_at_start",
                    "weighted_at_start",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.period),
                            Cell::text(&r.salesperson),
                            Cell::Integer(r.open_count),
                            Cell::Money(r.unweighted),
                            Cell::Money(r.weighted),
                            Cell::Money(r.commit),
                            Cell::Money(r.best_case),
                            Cell::Integer(r.won_count),
                            Cell::Money(r.won_amount),
                            Cell::date(r.at_start.map(|a| a.taken)),
                            r.at_start.map_or(Cell::Empty, |a| Cell::Money(a.commit)),
                            r.at_start.map_or(Cell::Empty, |a| Cell::Money(a.best_case)),
                            r.at_start.map_or(Cell::Empty, |a| Cell::Money(a.weighted)),
                        ]
                    })
                    .collect(),
            ),
            Rows::WinLoss(rows) => (
                &[
                    "key",
                    "won",
                    "lost",
                    "won_amount",
                    "lost_amount",
                    "win_rate",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.key),
                            Cell::Integer(r.won),
                            Cell::Integer(r.lost),
                            Cell::Money(r.won_amount),
                            Cell::Money(r.lost_amount),
                            r.win_rate.map_or(Cell::Empty, ratio_cell),
                        ]
                    })
                    .collect(),
            ),
            Rows::Grid(rows) => (
                &[
                    "salesperson",
                    "period",
                    "won_count",
                    "won_amount",
                    "pipeline_count",
                    "pipeline_amount",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.salesperson),
                            Cell::text(&r.period),
                            Cell::Integer(r.won_count),
                            Cell::Money(r.won_amount),
                            Cell::Integer(r.pipeline_count),
                            Cell::Money(r.pipeline_amount),
                        ]
                    })
                    .collect(),
            ),
            Rows::Goals(rows) => (
                &[
                    "measure",
                    "every",
                    "period",
                    "salesperson",
                    "from",
                    "to",
                    "target",
                    "achieved",
                    "pace",
                    "expected",
                    "coverage",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(r.measure),
                            Cell::text(r.every),
                            Cell::text(&r.period),
                            r.salesperson.as_deref().map_or(Cell::Empty, Cell::text),
                            Cell::date(Some(r.from)),
                            Cell::date(Some(r.to)),
                            goal_cell(r.goal.measure, r.target),
                            goal_cell(r.goal.measure, r.achieved),
                            Cell::Money(r.pace),
                            r.expected.map_or(Cell::Empty, Cell::Money),
                            r.coverage.map_or(Cell::Empty, ratio_cell),
                        ]
                    })
                    .collect(),
            ),
            Rows::Slipped(rows) => (
                &[
                    "id",
                    "deal",
                    "stage",
                    "salesperson",
                    "amount",
                    "period",
                    "from",
                    "to",
                    "was",
                    "now",
                    "pushes",
                    "pushes_total",
                    "last_pushed",
                    "left_period",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::Integer(r.id),
                            Cell::text(&r.deal),
                            Cell::text(&r.stage),
                            r.salesperson.as_deref().map_or(Cell::Empty, Cell::text),
                            Cell::Money(r.amount),
                            Cell::text(&r.period),
                            Cell::date(Some(r.from)),
                            Cell::date(Some(r.to)),
                            Cell::date(Some(r.was)),
                            Cell::date(r.now),
                            Cell::Integer(r.pushes.into()),
                            Cell::Integer(r.pushes_total.into()),
                            Cell::date(Some(r.last_pushed)),
                            Cell::text(if r.left_period { "yes" } else { "no" }),
                        ]
                    })
                    .collect(),
            ),
            Rows::Velocity(report) => (&velocity::FIGURE_HEADERS, velocity::figure_rows(report)),
            Rows::DealTimes(rows) => (&velocity::DEAL_HEADERS, velocity::deal_rows(rows)),
            Rows::Calibration(c) => (
                &["from", "to", "count", "predicted", "won_rate"],
                c.bins
                    .iter()
                    .map(|b| {
                        let share = |v: Option<f64>| v.map_or(Cell::Empty, ratio_cell);
                        vec![
                            ratio_cell(b.from),
                            ratio_cell(b.to),
                            Cell::Integer(b.count),
                            share(b.predicted),
                            share(b.won_rate),
                        ]
                    })
                    .collect(),
            ),
        };
        Table {
            sheet: self.name,
            headers: headers.to_vec(),
            rows,
        }
    }
}

impl Report {
    /// The rows as text cells: amounts with two decimals, ratios with up to four.
    fn text_rows(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let table = self.table();
        let rows = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Cell::Money(amount) => super::money_string(*amount),
                        other => other.plain(),
                    })
                    .collect()
            })
            .collect();
        (table.headers, rows)
    }

    /// CSV with a header line of the JSON keys, amounts with two decimals.
    pub fn to_csv(&self) -> String {
        let table = self.table();
        super::csv::to_string(&table.headers, &table.rows)
    }

    /// An aligned table for a terminal, amounts in the base currency; the leakage's verdict
    /// under it.
    pub fn to_text(&self) -> String {
        let (headers, rows) = self.text_rows();
        let table = super::render::table(&headers, rows);
        match &self.rows {
            Rows::Leakage(rows) => format!("{table}\n{}\n", verdict(rows, &self.base_currency)),
            Rows::Calibration(c) => format!("{table}\n{}\n", predict::summary(c)),
            _ => table,
        }
    }
}

/// Causes of losses as one cell: `Too expensive: 3 (60%); Timing: 2 (40%)`.
fn causes_cell(causes: &[Cause]) -> Cell {
    let parts: Vec<String> = causes
        .iter()
        .map(|c| {
            let percent = Decimal::from_f64_retain(c.share * 100.0).unwrap_or_default();
            format!(
                "{}: {} ({}%)",
                c.key,
                c.lost,
                percent.round_dp(2).normalize()
            )
        })
        .collect();
    Cell::Text(parts.join("; "))
}

/// A ratio as a cell: exact to its 4 decimals.
pub(super) fn ratio_cell(value: f64) -> Cell {
    Cell::Decimal(Decimal::from_f64_retain(value).map_or(Decimal::ZERO, |d| d.round_dp(4)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DateFormat, Language, WeekStart};
    use crate::i18n::{Local, current, install};

    #[test]
    fn jalali_reports_group_by_jalali_months_and_seasons() {
        let before = current();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        for (language, month, season, span) in [
            (
                Language::Persian,
                "آذر ۱۴۰۵",
                "پاییز ۱۴۰۵",
                ["اسفند ۱۴۰۴", "فروردین ۱۴۰۵", "اردیبهشت ۱۴۰۵"],
            ),
            (
                Language::English,
                "Azar 1405",
                "Autumn 1405",
                ["Esfand 1404", "Farvardin 1405", "Ordibehesht 1405"],
            ),
        ] {
            install(Local {
                language,
                calendar: Calendar::Jalali,
                date_format: DateFormat::Iso,
                week_start: WeekStart::Saturday,
            });
            assert_eq!(Period::Month.of(day(11, 22)), month);
            assert_eq!(Period::Quarter.of(day(11, 22)), season);
            // Nowruz (21 March) starts Farvardin and spring.
            assert_eq!(Period::Month.all(day(3, 20), day(4, 21)), span);
            assert_ne!(
                Period::Quarter.of(day(3, 20)),
                Period::Quarter.of(day(3, 21))
            );
        }
        install(before);
        assert_eq!(Period::Month.of(day(11, 22)), "2026-11");
        assert_eq!(Period::Quarter.of(day(11, 22)), "2026-Q4");
    }
}
