//! The forecast per period and salesperson: what was won, and what the open deals are expected
//! to bring by forecast category (Commit, Best case, Pipeline), weighted or not. Every total is
//! the sum of the deals [`forecast_deals`] lists for its row: both walk the same entries.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Data, DealFacts, FastMap, Key, Params, Period, id_key, money, person_order};
use crate::domain::{ForecastCategory, Id, StageKind};

/// One salesperson's forecast for one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ForecastRow {
    pub period: String,
    pub salesperson: String,
    /// Open deals in the forecast (every category but Omitted).
    pub open_count: u64,
    /// Their amount: the Pipeline total.
    #[serde(serialize_with = "money")]
    pub unweighted: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
    /// The amount of the open deals in Commit.
    #[serde(serialize_with = "money")]
    pub commit: Decimal,
    /// The amount of the open deals in Best case or Commit.
    #[serde(serialize_with = "money")]
    pub best_case: Decimal,
    /// Closed won: deals won in the period.
    pub won_count: u64,
    #[serde(serialize_with = "money")]
    pub won_amount: Decimal,
    /// The period as [`Period`] numbers them, to list the row's deals.
    #[serde(skip)]
    pub code: i64,
    #[serde(skip)]
    pub person: Option<Id>,
}

/// A deal counted in a forecast row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ForecastDeal {
    pub id: Id,
    /// None for a won deal (Closed won); an open deal's category otherwise.
    pub category: Option<ForecastCategory>,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
}

/// The deals the forecast counts from `from` to `to` (both included), `salesperson`'s only
/// when given: open, active deals outside Omitted by expected close, won deals by closing
/// day; each with its period's number and salesperson.
fn entries<'d>(
    data: &'d Data,
    by: Period,
    from: NaiveDate,
    to: NaiveDate,
    salesperson: Option<Id>,
) -> impl Iterator<Item = (i64, Key, &'d DealFacts)> {
    data.each().filter_map(move |f| {
        if salesperson.is_some_and(|s| f.salesperson() != Some(s)) {
            return None;
        }
        let date = match f.kind {
            Some(StageKind::Open) if f.active && f.forecast != ForecastCategory::Omitted => {
                f.expected_close
            }
            Some(StageKind::Won) => f.closed,
            _ => None,
        };
        let date = date.filter(|d| (from..=to).contains(d))?;
        Some((by.code(date), id_key(f.salesperson()), f))
    })
}

/// The forecast from `from` to `to` (both included) per period and salesperson (only
/// `salesperson`'s when given). Periods without deals have no row.
pub fn forecast(
    data: &Data,
    by: Period,
    from: NaiveDate,
    to: NaiveDate,
    salesperson: Option<Id>,
) -> Vec<ForecastRow> {
    let mut groups: FastMap<(i64, Key), ForecastRow> = FastMap::default();
    for (code, person, f) in entries(data, by, from, to, salesperson) {
        let row = groups.entry((code, person)).or_default();
        if f.kind == Some(StageKind::Won) {
            row.won_count += 1;
            row.won_amount += f.amount;
            continue;
        }
        row.open_count += 1;
        row.unweighted += f.amount;
        row.weighted += f.weighted;
        match f.forecast {
            ForecastCategory::Commit => {
                row.commit += f.amount;
                row.best_case += f.amount;
            }
            ForecastCategory::BestCase => row.best_case += f.amount,
            ForecastCategory::Pipeline | ForecastCategory::Omitted => {}
        }
    }
    let mut rows: Vec<ForecastRow> = groups
        .into_iter()
        .map(|((code, person), row)| ForecastRow {
            period: by.label(Some(code)),
            salesperson: data.name(person),
            code,
            person: person.map(|p| p as Id),
            ..row
        })
        .collect();
    rows.sort_by(|a, b| {
        a.code
            .cmp(&b.code)
            .then(person_order(&a.salesperson, &b.salesperson))
    });
    rows
}

/// The deals `row` of the forecast `params` asks for counts (none for another report): won
/// first, then Commit, Best case and Pipeline, each by amount, largest first.
pub fn forecast_deals(data: &Data, params: &Params, row: &ForecastRow) -> Vec<ForecastDeal> {
    let &Params::Forecast { by, from, to, .. } = params else {
        return Vec::new();
    };
    let (default_from, default_to) = data.default_period();
    let (from, to) = (from.unwrap_or(default_from), to.unwrap_or(default_to));
    let mut deals: Vec<ForecastDeal> = entries(data, by, from, to, None)
        .filter(|&(code, person, _)| code == row.code && person == id_key(row.person))
        .map(|(_, _, f)| ForecastDeal {
            id: f.id,
            category: (f.kind != Some(StageKind::Won)).then_some(f.forecast),
            amount: f.amount,
            weighted: f.weighted,
        })
        .collect();
    let rank = |d: &ForecastDeal| match d.category {
        None => 0,
        Some(ForecastCategory::Commit) => 1,
        Some(ForecastCategory::BestCase) => 2,
        Some(ForecastCategory::Pipeline | ForecastCategory::Omitted) => 3,
    };
    deals.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(b.amount.cmp(&a.amount))
            .then(a.id.cmp(&b.id))
    });
    deals
}
