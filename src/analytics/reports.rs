//! The reports a sales manager steers by — pipeline analysis, funnel, sales leakage, forecast,
//! win/loss and the sales grid — as pure functions of a [`Data`] snapshot. Definitions are in
//! the README ("Reports"); amounts are in the base currency, ratios have 4 decimals.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike as _, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::domain::{Id, Lookup, Opportunity, Pipeline, Rates, Stage, StageEvent, StageKind};
use crate::interchange::{Cell, Table};

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

/// What a report reads: the deals in its scope and what names them, borrowed from the
/// workspace.
pub struct Data<'a> {
    deals: Vec<&'a Opportunity>,
    events: &'a [StageEvent],
    stages: HashMap<Id, &'a Stage>,
    /// The pipelines in the scope, in order, with their stages in order.
    pipelines: Vec<(&'a Pipeline, Vec<&'a Stage>)>,
    names: HashMap<Id, &'a str>,
    rates: &'a Rates,
    today: NaiveDate,
}

impl<'a> Data<'a> {
    /// The deals of `scope` among `opportunities` (those `trashed` says are in the trash left
    /// out); `stages` in pipeline order.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scope: &Scope,
        opportunities: impl IntoIterator<Item = &'a Opportunity>,
        trashed: impl Fn(Id) -> bool,
        events: &'a [StageEvent],
        pipelines: &'a [Pipeline],
        stages: impl IntoIterator<Item = &'a Stage>,
        lookups: impl IntoIterator<Item = &'a Lookup>,
        rates: &'a Rates,
        today: NaiveDate,
    ) -> Data<'a> {
        let in_scope = |o: &Opportunity| {
            let created = o.created.date_naive();
            scope.pipeline.is_none_or(|p| o.pipeline == p)
                && scope.created_from.is_none_or(|from| created >= from)
                && scope.created_to.is_none_or(|to| created <= to)
        };
        let deals = opportunities
            .into_iter()
            .filter(|o| in_scope(o) && !trashed(o.id))
            .collect();
        let stages: Vec<&Stage> = stages.into_iter().collect();
        let pipelines = pipelines
            .iter()
            .filter(|p| scope.pipeline.is_none_or(|id| p.id == id))
            .map(|p| {
                (
                    p,
                    stages
                        .iter()
                        .copied()
                        .filter(|s| s.pipeline == p.id)
                        .collect(),
                )
            })
            .collect();
        Data {
            deals,
            events,
            stages: stages.into_iter().map(|s| (s.id, s)).collect(),
            pipelines,
            names: lookups
                .into_iter()
                .map(|l| (l.id, l.name.as_str()))
                .collect(),
            rates,
            today,
        }
    }

    /// The base currency amounts are in.
    pub fn base_currency(&self) -> &str {
        self.rates.base()
    }

    /// Deals in the scope.
    pub fn deals(&self) -> usize {
        self.deals.len()
    }

    fn kind(&self, opp: &Opportunity) -> Option<StageKind> {
        self.stages.get(&opp.stage).map(|s| s.kind)
    }

    fn is_open(&self, opp: &Opportunity) -> bool {
        opp.active && self.kind(opp) == Some(StageKind::Open)
    }

    fn name(&self, id: Option<Id>) -> String {
        id.and_then(|id| self.names.get(&id))
            .map_or_else(|| NONE.to_owned(), |n| (*n).to_owned())
    }

    fn amount(&self, opp: &Opportunity) -> Decimal {
        opp.expected_base(self.rates)
    }

    /// The only pipeline of the scope, for the reports that follow one pipeline's stages.
    fn pipeline(&self) -> Option<&(&'a Pipeline, Vec<&'a Stage>)> {
        match self.pipelines.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The default period of the forecast and the grid: two years back to one year forward,
    /// whole months.
    pub fn default_period(&self) -> (NaiveDate, NaiveDate) {
        let month = self.today.with_day(1).expect("day 1 exists");
        let from = month - Months::new(24);
        let to = month + Months::new(13) - chrono::Days::new(1);
        (from, to)
    }
}

/// A ratio with 4 decimals; 0 when there is nothing to divide.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
    }
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::money_string(*value))
}

/// Keys in name order (case ignored), the deals without one last.
fn by_key<T>(rows: BTreeMap<String, T>) -> Vec<(String, T)> {
    let mut rows: Vec<(String, T)> = rows.into_iter().collect();
    rows.sort_by(|(a, _), (b, _)| person_order(a, b));
    rows
}

/// What `pipeline` groups open deals by.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum GroupBy {
    #[default]
    Stage,
    Salesperson,
    Source,
    /// The expected-close month, `YYYY-MM`.
    Month,
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

/// Pipeline analysis: the open active deals by stage (in pipeline order, every open stage),
/// salesperson, source or expected-close month.
pub fn pipeline(data: &Data, by: GroupBy) -> Vec<PipelineRow> {
    let mut groups: BTreeMap<String, PipelineRow> = BTreeMap::new();
    let several = data.pipelines.len() > 1;
    let stage_key =
        |stage: &Stage| match data.pipelines.iter().find(|(p, _)| p.id == stage.pipeline) {
            Some((p, _)) if several => format!("{} / {}", p.name, stage.name),
            _ => stage.name.clone(),
        };
    for opp in data.deals.iter().filter(|o| data.is_open(o)) {
        let key = match by {
            GroupBy::Stage => data
                .stages
                .get(&opp.stage)
                .map_or_else(String::new, |s| stage_key(s)),
            GroupBy::Salesperson => data.name(opp.salesperson),
            GroupBy::Source => data.name(opp.source),
            GroupBy::Month => opp.expected_close.map_or_else(|| NONE.to_owned(), month),
        };
        let row = groups.entry(key.clone()).or_insert_with(|| PipelineRow {
            key,
            count: 0,
            expected: Decimal::ZERO,
            weighted: Decimal::ZERO,
        });
        row.count += 1;
        row.expected += data.amount(opp);
        row.weighted += opp.weighted_base(data.rates);
    }
    match by {
        GroupBy::Stage => data
            .pipelines
            .iter()
            .flat_map(|(_, stages)| stages.iter().filter(|s| s.kind == StageKind::Open))
            .map(|s| {
                let key = stage_key(s);
                groups.remove(&key).unwrap_or(PipelineRow {
                    key,
                    count: 0,
                    expected: Decimal::ZERO,
                    weighted: Decimal::ZERO,
                })
            })
            .collect(),
        // `YYYY-MM` sorts by date; "none" after every digit.
        GroupBy::Month => groups.into_values().collect(),
        GroupBy::Salesperson | GroupBy::Source => {
            by_key(groups).into_iter().map(|(_, r)| r).collect()
        }
    }
}

/// How far each deal of the one pipeline got: the index of the furthest open stage it was
/// ever moved into (creation counts), all of them for a won deal; None when it never reached
/// an open stage. Also, for each deal, the stage it left for the last time it was lost.
struct Progress {
    open: Vec<Id>,
    furthest: Vec<Option<usize>>,
    lost_from: Vec<Option<Id>>,
}

impl Progress {
    fn of(data: &Data) -> Option<Progress> {
        let (_, stages) = data.pipeline()?;
        let open: Vec<Id> = stages
            .iter()
            .filter(|s| s.kind == StageKind::Open)
            .map(|s| s.id)
            .collect();
        let position: HashMap<Id, usize> = open.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        let index: HashMap<Id, usize> = data
            .deals
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id, i))
            .collect();
        let mut furthest: Vec<Option<usize>> = data
            .deals
            .iter()
            .map(|o| match data.kind(o) {
                Some(StageKind::Won) => open.len().checked_sub(1),
                _ => position.get(&o.stage).copied(),
            })
            .collect();
        let mut lost_from = vec![None; data.deals.len()];
        for event in data.events {
            let Some(&i) = index.get(&event.opportunity) else {
                continue;
            };
            if let Some(&k) = position.get(&event.to) {
                furthest[i] = furthest[i].max(Some(k));
            } else if data.stages.get(&event.to).map(|s| s.kind) == Some(StageKind::Lost) {
                lost_from[i] = event.from;
            }
        }
        Some(Progress {
            open,
            furthest,
            lost_from,
        })
    }

    /// Deals that reached open stage `k`, and their amount.
    fn reached(&self, data: &Data, k: usize) -> (u64, Decimal) {
        let mut count = 0;
        let mut amount = Decimal::ZERO;
        for (opp, furthest) in data.deals.iter().zip(&self.furthest) {
            if furthest.is_some_and(|f| f >= k) {
                count += 1;
                amount += data.amount(opp);
            }
        }
        (count, amount)
    }
}

/// The deals that reached the open stage `stage` as [`funnel`] counts them (moved into it or
/// a later open stage, or won), in the scope's order; empty when the scope has several
/// pipelines or `stage` is not one of its open stages.
pub fn reached_deals(data: &Data, stage: Id) -> Vec<Id> {
    let Some(progress) = Progress::of(data) else {
        return Vec::new();
    };
    let Some(k) = progress.open.iter().position(|s| *s == stage) else {
        return Vec::new();
    };
    data.deals
        .iter()
        .zip(&progress.furthest)
        .filter(|(_, furthest)| furthest.is_some_and(|f| f >= k))
        .map(|(opp, _)| opp.id)
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
    /// reached / reached by the stage before; None for the first stage.
    pub conversion_from_previous: Option<f64>,
}

/// The funnel of the scope's one pipeline (empty when the scope has several): how many deals
/// reached each open stage — moved into it or a later open stage at some time, or won.
pub fn funnel(data: &Data) -> Vec<FunnelRow> {
    let Some(progress) = Progress::of(data) else {
        return Vec::new();
    };
    let mut rows: Vec<FunnelRow> = Vec::with_capacity(progress.open.len());
    for (k, stage) in progress.open.iter().enumerate() {
        let (reached, reached_amount) = progress.reached(data, k);
        let conversion_from_previous = rows.last().map(|prev| ratio(reached, prev.reached));
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
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeakageRow {
    #[serde(skip)]
    pub stage_id: Id,
    pub stage: String,
    /// Deals that reached the stage (as the funnel counts them).
    pub entered: u64,
    /// Deals that reached the next open stage; won deals for the last.
    pub advanced: u64,
    /// Lost deals that were in this stage when they were (last) lost.
    pub lost: u64,
    #[serde(serialize_with = "money")]
    pub lost_amount: Decimal,
    /// Active deals in the stage now.
    pub open: u64,
    /// advanced / entered.
    pub conversion_to_next: f64,
}

/// Sales leakage of the scope's one pipeline (empty when the scope has several): at which
/// stage deals are lost.
pub fn leakage(data: &Data) -> Vec<LeakageRow> {
    let Some(progress) = Progress::of(data) else {
        return Vec::new();
    };
    let stage_of: HashMap<Id, usize> = progress
        .open
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i))
        .collect();
    let n = progress.open.len();
    let mut lost = vec![(0u64, Decimal::ZERO); n];
    let mut open = vec![0u64; n];
    let mut won = 0;
    for (i, opp) in data.deals.iter().enumerate() {
        match data.kind(opp) {
            Some(StageKind::Won) => won += 1,
            Some(StageKind::Lost) => {
                if let Some(&k) = progress.lost_from[i].and_then(|s| stage_of.get(&s)) {
                    lost[k].0 += 1;
                    lost[k].1 += data.amount(opp);
                }
            }
            Some(StageKind::Open) if opp.active => {
                if let Some(&k) = stage_of.get(&opp.stage) {
                    open[k] += 1;
                }
            }
            _ => {}
        }
    }
    let reached: Vec<u64> = (0..n).map(|k| progress.reached(data, k).0).collect();
    progress
        .open
        .iter()
        .enumerate()
        .map(|(k, stage)| {
            let advanced = reached.get(k + 1).copied().unwrap_or(won);
            LeakageRow {
                stage_id: *stage,
                stage: data.stages[stage].name.clone(),
                entered: reached[k],
                advanced,
                lost: lost[k].0,
                lost_amount: lost[k].1,
                open: open[k],
                conversion_to_next: ratio(advanced, reached[k]),
            }
        })
        .collect()
}

/// The periods of the forecast and the grid.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum Period {
    /// `YYYY-MM`.
    #[default]
    Month,
    /// `YYYY-Qn`.
    Quarter,
}

impl Period {
    /// The period `date` falls in.
    pub fn of(self, date: NaiveDate) -> String {
        match self {
            Period::Month => month(date),
            Period::Quarter => format!("{}-Q{}", date.year(), date.month0() / 3 + 1),
        }
    }

    /// Every period from the one holding `from` to the one holding `to`, in order.
    pub fn all(self, from: NaiveDate, to: NaiveDate) -> Vec<String> {
        let mut periods = Vec::new();
        let mut month = from.with_day(1).expect("day 1 exists");
        while month <= to {
            let period = self.of(month);
            if periods.last() != Some(&period) {
                periods.push(period);
            }
            month = month + Months::new(1);
        }
        periods
    }
}

fn month(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// One salesperson's forecast for one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ForecastRow {
    pub period: String,
    pub salesperson: String,
    pub open_count: u64,
    #[serde(serialize_with = "money")]
    pub unweighted: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
    pub won_count: u64,
    #[serde(serialize_with = "money")]
    pub won_amount: Decimal,
}

/// The forecast from `from` to `to` (both included): open, active deals counted in the
/// forecast by expected-close date, won deals by closing date, per period and salesperson
/// (only `salesperson`'s when given). Periods without deals have no row.
pub fn forecast(
    data: &Data,
    by: Period,
    from: NaiveDate,
    to: NaiveDate,
    salesperson: Option<Id>,
) -> Vec<ForecastRow> {
    let within = |d: Option<NaiveDate>| d.filter(|d| (from..=to).contains(d));
    let mut rows: BTreeMap<(String, String), ForecastRow> = BTreeMap::new();
    for opp in &data.deals {
        if salesperson.is_some_and(|s| opp.salesperson != Some(s)) {
            continue;
        }
        let (date, won) = match data.kind(opp) {
            Some(StageKind::Open) if opp.active && opp.forecast => (opp.expected_close, false),
            Some(StageKind::Won) => (opp.closed, true),
            _ => continue,
        };
        let Some(date) = within(date) else { continue };
        let key = (by.of(date), data.name(opp.salesperson));
        let row = rows.entry(key.clone()).or_insert_with(|| ForecastRow {
            period: key.0,
            salesperson: key.1,
            ..ForecastRow::default()
        });
        let amount = data.amount(opp);
        if won {
            row.won_count += 1;
            row.won_amount += amount;
        } else {
            row.open_count += 1;
            row.unweighted += amount;
            row.weighted += opp.weighted_base(data.rates);
        }
    }
    let mut rows: Vec<ForecastRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        a.period
            .cmp(&b.period)
            .then(person_order(&a.salesperson, &b.salesperson))
    });
    rows
}

/// Salespeople by name, no salesperson last.
fn person_order(a: &str, b: &str) -> std::cmp::Ordering {
    (a == NONE)
        .cmp(&(b == NONE))
        .then(a.to_lowercase().cmp(&b.to_lowercase()))
}

/// What `winloss` groups closed deals by.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
pub enum WinLossBy {
    /// The loss reason (won deals have none).
    #[default]
    Reason,
    Competitor,
    Source,
    Salesperson,
}

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
    /// won / (won + lost).
    pub win_rate: f64,
}

/// Won and lost deals closed from `from` to `to` (each end open when None), grouped.
pub fn winloss(
    data: &Data,
    by: WinLossBy,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Vec<WinLossRow> {
    let mut rows: BTreeMap<String, WinLossRow> = BTreeMap::new();
    for opp in &data.deals {
        let won = match data.kind(opp) {
            Some(StageKind::Won) => true,
            Some(StageKind::Lost) => false,
            _ => continue,
        };
        let closed = opp.closed;
        let in_period = from.is_none_or(|f| closed.is_some_and(|c| c >= f))
            && to.is_none_or(|t| closed.is_some_and(|c| c <= t));
        if !in_period {
            continue;
        }
        let key = data.name(match by {
            WinLossBy::Reason => opp.loss_reason,
            WinLossBy::Competitor => opp.competitor,
            WinLossBy::Source => opp.source,
            WinLossBy::Salesperson => opp.salesperson,
        });
        let row = rows.entry(key.clone()).or_insert_with(|| WinLossRow {
            key,
            ..WinLossRow::default()
        });
        if won {
            row.won += 1;
            row.won_amount += data.amount(opp);
        } else {
            row.lost += 1;
            row.lost_amount += data.amount(opp);
        }
    }
    by_key(rows)
        .into_iter()
        .map(|(_, mut row)| {
            row.win_rate = ratio(row.won, row.won + row.lost);
            row
        })
        .collect()
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
    let mut rows: BTreeMap<(String, String), GridRow> = BTreeMap::new();
    for opp in &data.deals {
        let (date, won) = match data.kind(opp) {
            Some(StageKind::Open) if opp.active => (opp.expected_close, false),
            Some(StageKind::Won) => (opp.closed, true),
            _ => continue,
        };
        let Some(date) = date.filter(|d| (from..=to).contains(d)) else {
            continue;
        };
        let key = (data.name(opp.salesperson), by.of(date));
        let row = rows.entry(key.clone()).or_insert_with(|| GridRow {
            salesperson: key.0,
            period: key.1,
            ..GridRow::default()
        });
        if won {
            row.won_count += 1;
            row.won_amount += data.amount(opp);
        } else {
            row.pipeline_count += 1;
            row.pipeline_amount += data.amount(opp);
        }
    }
    let mut rows: Vec<GridRow> = rows.into_values().collect();
    rows.sort_by(|a, b| person_order(&a.salesperson, &b.salesperson).then(a.period.cmp(&b.period)));
    rows
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
    let (default_from, default_to) = data.default_period();
    let rows = match params {
        Params::Pipeline { by } => Rows::Pipeline(pipeline(data, *by)),
        Params::Funnel => Rows::Funnel(funnel(data)),
        Params::Leakage => Rows::Leakage(leakage(data)),
        Params::Forecast {
            by,
            from,
            to,
            salesperson,
        } => Rows::Forecast(forecast(
            data,
            *by,
            from.unwrap_or(default_from),
            to.unwrap_or(default_to),
            *salesperson,
        )),
        Params::WinLoss { by, from, to } => Rows::WinLoss(winloss(data, *by, *from, *to)),
        Params::Grid { by, from, to } => Rows::Grid(grid(
            data,
            *by,
            from.unwrap_or(default_from),
            to.unwrap_or(default_to),
        )),
    };
    Report {
        name: params.name(),
        base_currency: data.base_currency().to_owned(),
        rows,
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
        match &self.rows {
            Rows::Pipeline(rows) => out(self, rows),
            Rows::Funnel(rows) => out(self, rows),
            Rows::Leakage(rows) => out(self, rows),
            Rows::Forecast(rows) => out(self, rows),
            Rows::WinLoss(rows) => out(self, rows),
            Rows::Grid(rows) => out(self, rows),
        }
    }

    /// The rows as a table of typed cells, headed by the JSON keys: for CSV, XLSX and the
    /// terminal.
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
                            ratio_cell(r.conversion_to_next),
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
                    "won_count",
                    "won_amount",
                ],
                rows.iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.period),
                            Cell::text(&r.salesperson),
                            Cell::Integer(r.open_count),
                            Cell::Money(r.unweighted),
                            Cell::Money(r.weighted),
                            Cell::Integer(r.won_count),
                            Cell::Money(r.won_amount),
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
                            ratio_cell(r.win_rate),
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

    /// CSV with a header line of the JSON keys.
    pub fn to_csv(&self) -> String {
        let (headers, rows) = self.text_rows();
        super::render::csv(&headers, rows)
    }

    /// An aligned table for a terminal, amounts in the base currency.
    pub fn to_text(&self) -> String {
        let (headers, rows) = self.text_rows();
        super::render::table(&headers, rows)
    }
}

/// A ratio as a cell: exact to its 4 decimals.
fn ratio_cell(value: f64) -> Cell {
    Cell::Decimal(Decimal::from_f64_retain(value).map_or(Decimal::ZERO, |d| d.round_dp(4)))
}
