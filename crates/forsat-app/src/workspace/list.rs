//! The opportunity list: every deal passing the filter, sorted by any column, and what its
//! rows add up to.

use std::cmp::Reverse;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::{Filter, Workspace};
use crate::analytics::StageTotals;
use crate::domain::{Activity, ForecastCategory, Id, IdMap, ListColumn, Opportunity, StageKind};

/// The list's order: a column and a direction. Ties keep creation order in both directions.
///
/// By default the soonest expected close first: the list opens on open deals, and those
/// overdue or closing next are the ones to act on (a deal without a date comes last).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: ListColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: ListColumn::ExpectedClose,
            descending: false,
        }
    }
}

/// A sortable value of one cell; one column always yields the same variant.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Text(String),
    Number(Decimal),
    /// Days since the common era, or milliseconds for timestamps; missing dates sort last.
    Instant(i64),
}

/// Closed deals of one outcome: how many, and their amount in the base currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Closed {
    pub count: u64,
    pub amount: Decimal,
}

impl Closed {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }

    fn take(&mut self, amount: Decimal) {
        self.count -= 1;
        self.amount -= amount;
    }
}

/// What the list's rows add up to, each figure over the deals it is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListTotals {
    /// The open deals: count, expected and weighted revenue.
    pub open: StageTotals,
    pub won: Closed,
    pub lost: Closed,
}

impl ListTotals {
    /// Adds a deal of stage kind `kind` worth `expected` and `weighted` in the base currency.
    /// A lost amount is never expected, and a won deal is never weighted at its 100 %.
    fn add(&mut self, kind: StageKind, expected: Decimal, weighted: Decimal) {
        match kind {
            StageKind::Open => self.open.add_amounts(expected, weighted),
            StageKind::Won => self.won.add(expected),
            StageKind::Lost => self.lost.add(expected),
        }
    }

    /// Takes back a row [`Self::add`] added (decimals are exact, so this is its inverse).
    fn take(&mut self, row: &Row) {
        match row.kind {
            StageKind::Open => self.open.remove_amounts(row.expected, row.weighted),
            StageKind::Won => self.won.take(row.expected),
            StageKind::Lost => self.lost.take(row.expected),
        }
    }
}

/// The list's rows in one order: the generation and the order they were sorted at, and them.
pub(super) type Sorted = (u64, Sort, Arc<SortedRows>);

/// Every deal in one order, and what those the list shows unfiltered add up to per pipeline.
pub(super) struct SortedRows {
    rows: Vec<Row>,
    listed: IdMap<ListTotals>,
}

/// One deal in the list's order, with what a search's keystroke needs of it, so that it
/// visits no deal: its pipeline, whether the list shows it unfiltered, and its worth.
pub(super) struct Row {
    id: Id,
    pipeline: Id,
    listed: bool,
    kind: StageKind,
    expected: Decimal,
    weighted: Decimal,
}

impl Workspace {
    fn sort_key(&self, opp: &Opportunity, column: ListColumn) -> Key {
        let text = |s: &str| Key::Text(s.to_lowercase());
        match column {
            ListColumn::Name => text(&opp.name),
            ListColumn::Account => text(self.account(opp.account).map_or("", |a| a.name.as_str())),
            ListColumn::Stage => Key::Number(
                self.stage(opp.stage)
                    .map_or(Decimal::MAX, |s| Decimal::from(s.sequence)),
            ),
            // Deals in other currencies sort by their value in the base currency.
            ListColumn::Amount => Key::Number(opp.expected_base(&self.rates)),
            ListColumn::Probability => Key::Number(opp.probability),
            ListColumn::Weighted => Key::Number(opp.weighted_base(&self.rates)),
            ListColumn::ExpectedClose => Key::Instant(opp.expected_close.map_or(i64::MAX, |d| {
                i64::from(chrono::Datelike::num_days_from_ce(&d))
            })),
            ListColumn::Salesperson => text(self.lookup_name(opp.salesperson)),
            ListColumn::NextStep => text(&opp.next_step),
            ListColumn::Created => Key::Instant(opp.created.timestamp_millis()),
            ListColumn::Source => text(self.lookup_name(opp.source)),
            ListColumn::Contact => text(self.contact_name(opp)),
            ListColumn::Priority => Key::Number(opp.priority.into()),
            ListColumn::Tags => text(&self.tag_names(opp)),
            ListColumn::Currency => text(&opp.currency),
            ListColumn::NextActivity => {
                Key::Instant(self.next_activity(opp.id).map_or(i64::MAX, |d| {
                    i64::from(chrono::Datelike::num_days_from_ce(&d))
                }))
            }
            ListColumn::DaysInStage => Key::Number(self.days_in_stage(opp).into()),
            ListColumn::Forecast => Key::Number(
                self.forecast_category(opp)
                    .map_or(u8::MAX, |c| c as u8)
                    .into(),
            ),
        }
    }

    /// The deal's forecast category: its own, or its stage's (a won or lost deal following
    /// its stage has none).
    pub fn forecast_category(&self, opp: &Opportunity) -> Option<ForecastCategory> {
        opp.forecast.category_in(self.stage_category(opp))
    }

    /// The forecast category of the deal's stage; None for a won or lost stage.
    pub fn stage_category(&self, opp: &Opportunity) -> Option<ForecastCategory> {
        self.stage(opp.stage)
            .filter(|s| s.kind == StageKind::Open)
            .map(|s| s.forecast)
    }

    /// The name of the deal's primary contact, or nothing.
    pub fn contact_name(&self, opp: &Opportunity) -> &str {
        opp.contact
            .and_then(|c| self.contact(c))
            .map_or("", |c| c.name.as_str())
    }

    /// The deal's tags, by name, separated by commas.
    pub fn tag_names(&self, opp: &Opportunity) -> String {
        let names: Vec<&str> = opp
            .tags
            .iter()
            .map(|t| self.lookup_name(Some(*t)))
            .collect();
        names.join(", ")
    }

    /// The deal's next open activity (the earliest due), if it has one.
    pub fn next_activity_of(&self, opp: Id) -> Option<&Activity> {
        self.next_activity
            .get(&opp)
            .and_then(|(_, id)| self.activity(*id))
    }

    /// Whole days since the deal entered its stage, as of today.
    pub fn days_in_stage(&self, opp: &Opportunity) -> i64 {
        (self.today() - opp.stage_entered.date_naive()).num_days()
    }

    /// The kind of the deal's stage (a deal whose stage is unknown counts as open).
    fn stage_kind(&self, opp: &Opportunity) -> StageKind {
        self.stage(opp.stage).map_or(StageKind::Open, |s| s.kind)
    }

    /// What `ids` add up to: the open deals' count, expected and weighted revenue, and the
    /// won and lost deals apart, in the base currency.
    pub fn list_totals(&self, ids: &[Id]) -> ListTotals {
        let mut totals = ListTotals::default();
        for opp in ids.iter().filter_map(|id| self.opportunity(*id)) {
            totals.add(
                self.stage_kind(opp),
                opp.expected_base(&self.rates),
                opp.weighted_base(&self.rates),
            );
        }
        totals
    }

    /// The deals passing `filter`, in `sort` order. Callers cache the result until the
    /// data, the filter or the order changes.
    pub fn list(&self, filter: &Filter, sort: Sort) -> Vec<Id> {
        self.list_with_totals(filter, sort, None).0
    }

    /// The deals of `pipeline` (None: every pipeline) passing `filter`, in `sort` order, and
    /// what they add up to. Every deal's order is worked out once per change of the data or
    /// the order (O(n log n)); a new filter only filters it, and a filter of text alone (a
    /// search's keystroke) visits no deal.
    pub fn list_with_totals(
        &self,
        filter: &Filter,
        sort: Sort,
        pipeline: Option<Id>,
    ) -> (Vec<Id>, ListTotals) {
        let text = self.filter_text(filter);
        let only_text = filter.only_text();
        let sorted = self.sorted(sort);
        let rows = &sorted.rows;
        let mut ids = Vec::new();
        let (mut shown, mut left_out) = (Vec::new(), Vec::new());
        for (at, row) in rows.iter().enumerate() {
            let passes = pipeline.is_none_or(|p| p == row.pipeline)
                && if only_text {
                    row.listed
                } else {
                    self.listed(&self.opportunities[&row.id], filter)
                };
            if !passes {
                continue;
            }
            if text.as_ref().is_none_or(|found| found.contains(row.id)) {
                ids.push(row.id);
                shown.push(at);
            } else {
                left_out.push(at);
            }
        }
        // A search's first letters leave out few: the pipeline's totals less theirs.
        let whole = pipeline
            .filter(|_| only_text && left_out.len() < shown.len())
            .map(|p| sorted.listed.get(&p).copied().unwrap_or_default());
        let totals = match whole {
            Some(mut totals) => {
                for at in left_out {
                    totals.take(&rows[at]);
                }
                totals
            }
            None => {
                let mut totals = ListTotals::default();
                for row in shown.into_iter().map(|at| &rows[at]) {
                    totals.add(row.kind, row.expected, row.weighted);
                }
                totals
            }
        };
        (ids, totals)
    }

    /// Whether the list shows `opp` under `filter`, its text aside.
    fn listed(&self, opp: &Opportunity, filter: &Filter) -> bool {
        filter.show.shows(self.stage_kind(opp)) && self.matches(opp, filter, None)
    }

    /// Every deal in `sort` order, kept until the data changes.
    fn sorted(&self, sort: Sort) -> Arc<SortedRows> {
        let mut cache = self
            .sorted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((generation, by, rows)) = &*cache
            && *generation == self.generation
            && *by == sort
        {
            return rows.clone();
        }
        let mut ids: Vec<Id> = self.opportunities.keys().copied().collect();
        ids.sort_unstable();
        let key = |id: &Id| self.sort_key(&self.opportunities[id], sort.column);
        // `sort_by_cached_key` is stable, so equal keys keep the id order set above.
        if sort.descending {
            ids.sort_by_cached_key(|id| Reverse(key(id)));
        } else {
            ids.sort_by_cached_key(key);
        }
        let everything = Filter::default();
        let rows: Vec<Row> = ids
            .into_iter()
            .map(|id| {
                let opp = &self.opportunities[&id];
                Row {
                    id,
                    pipeline: opp.pipeline,
                    listed: self.listed(opp, &everything),
                    kind: self.stage_kind(opp),
                    expected: opp.expected_base(&self.rates),
                    weighted: opp.weighted_base(&self.rates),
                }
            })
            .collect();
        let mut listed: IdMap<ListTotals> = IdMap::default();
        for row in rows.iter().filter(|r| r.listed) {
            listed
                .entry(row.pipeline)
                .or_default()
                .add(row.kind, row.expected, row.weighted);
        }
        let rows = Arc::new(SortedRows { rows, listed });
        *cache = Some((self.generation, sort, rows.clone()));
        rows
    }
}
