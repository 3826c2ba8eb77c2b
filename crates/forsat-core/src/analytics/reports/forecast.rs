//! The forecast per period and salesperson: what was won, and what the open deals are expected
//! to bring by forecast category (Commit, Best case, Pipeline), weighted or not. Every total is
//! the sum of the deals [`forecast_deals`] lists for its row: both walk the same entries.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Data, DealFacts, FastMap, Key, Params, Period, id_key, money, person_order};
use crate::domain::{Calendar, ForecastCategory, Id, StageKind};

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
    /// The forecast kept when the period began, once it has ended (None before, or when no
    /// Forsat window was open during the period to keep one).
    pub at_start: Option<AtStart>,
    /// The period as [`Period`] numbers them, to list the row's deals.
    #[serde(skip)]
    pub code: i64,
    #[serde(skip)]
    pub person: Option<Id>,
}

/// What a salesperson's forecast of a period was on the day it was kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AtStart {
    /// The day it was kept: the period's first day the window was open.
    pub taken: NaiveDate,
    #[serde(serialize_with = "money")]
    pub commit: Decimal,
    #[serde(serialize_with = "money")]
    pub best_case: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
    #[serde(serialize_with = "money")]
    pub unweighted: Decimal,
}

/// The forecast of one period as it stood on the day it was kept, per pipeline and
/// salesperson: kept once a period, when it begins, for the period's forecast against what was
/// won once it ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastSnapshot {
    pub by: Period,
    /// The calendar the period is of (a Jalali month is not a Gregorian one).
    pub calendar: Calendar,
    /// The period, as [`Period::code`] numbers it in `calendar`.
    pub code: i64,
    pub taken: NaiveDate,
    pub rows: Vec<SnapshotRow>,
}

/// One pipeline's and salesperson's forecast in a [`ForecastSnapshot`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRow {
    pub pipeline: Id,
    pub salesperson: Option<Id>,
    #[serde(with = "rust_decimal::serde::str")]
    pub commit: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub best_case: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub weighted: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub unweighted: Decimal,
}

impl ForecastSnapshot {
    /// The kinds of period whose forecast for the period holding `today` is not among `kept`
    /// yet (in the calendar in use).
    pub fn due(kept: &[ForecastSnapshot], today: NaiveDate) -> Vec<Period> {
        let calendar = crate::i18n::calendar();
        [Period::Month, Period::Quarter]
            .into_iter()
            .filter(|&by| {
                let code = by.code(today);
                !kept
                    .iter()
                    .any(|s| s.by == by && s.calendar == calendar && s.code == code)
            })
            .collect()
    }

    /// The forecast `by` month or quarter of the period holding `data`'s today, over all of
    /// `data`'s deals.
    pub fn take(data: &Data, by: Period) -> ForecastSnapshot {
        let today = data.today();
        let code = by.code(today);
        let mut rows: FastMap<(Id, Key), AtStart> = FastMap::default();
        let every_day = (NaiveDate::MIN, NaiveDate::MAX);
        for (_, person, f) in entries(data, by, every_day, None).filter(|e| e.0 == code) {
            if f.kind == Some(StageKind::Won) {
                continue;
            }
            rows.entry((f.pipeline, person)).or_default().add(f);
        }
        let mut rows: Vec<SnapshotRow> = rows
            .into_iter()
            .map(|((pipeline, person), figures)| SnapshotRow {
                pipeline,
                salesperson: person.map(|p| p as Id),
                commit: figures.commit,
                best_case: figures.best_case,
                weighted: figures.weighted,
                unweighted: figures.unweighted,
            })
            .collect();
        rows.sort_by_key(|r| (r.pipeline, r.salesperson));
        ForecastSnapshot {
            by,
            calendar: crate::i18n::calendar(),
            code,
            taken: today,
            rows,
        }
    }
}

/// What open deals add up to: a forecast's row, or a forecast kept at a period's start.
trait OpenSums {
    /// The unweighted, weighted, Commit and Best case totals.
    fn sums(&mut self) -> [&mut Decimal; 4];

    /// Counts an open deal in the totals.
    fn add(&mut self, f: &DealFacts) {
        let [unweighted, weighted, commit, best_case] = self.sums();
        *unweighted += f.amount;
        *weighted += f.weighted;
        match f.forecast {
            ForecastCategory::Commit => {
                *commit += f.amount;
                *best_case += f.amount;
            }
            ForecastCategory::BestCase => *best_case += f.amount,
            ForecastCategory::Pipeline | ForecastCategory::Omitted => {}
        }
    }
}

impl OpenSums for ForecastRow {
    fn sums(&mut self) -> [&mut Decimal; 4] {
        [
            &mut self.unweighted,
            &mut self.weighted,
            &mut self.commit,
            &mut self.best_case,
        ]
    }
}

impl OpenSums for AtStart {
    fn sums(&mut self) -> [&mut Decimal; 4] {
        [
            &mut self.unweighted,
            &mut self.weighted,
            &mut self.commit,
            &mut self.best_case,
        ]
    }
}

impl AtStart {
    /// The figures with a snapshot's row of `taken` added.
    fn plus(self, taken: NaiveDate, row: &SnapshotRow) -> AtStart {
        AtStart {
            taken,
            commit: self.commit + row.commit,
            best_case: self.best_case + row.best_case,
            weighted: self.weighted + row.weighted,
            unweighted: self.unweighted + row.unweighted,
        }
    }
}

/// A deal counted in a forecast row, with what it adds to the row's totals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForecastDeal {
    pub id: Id,
    /// None for a won deal (Closed won); an open deal's category otherwise.
    pub category: Option<ForecastCategory>,
    pub amount: Decimal,
    pub weighted: Decimal,
}

/// The deals the forecast counts from `from` to `to` (both included), `salesperson`'s only
/// when given: open, active deals outside Omitted by expected close, won deals by closing
/// day; each with its period's number and salesperson.
fn entries<'d>(
    data: &'d Data,
    by: Period,
    (from, to): (NaiveDate, NaiveDate),
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
    for (code, person, f) in entries(data, by, (from, to), salesperson) {
        let row = groups.entry((code, person)).or_default();
        if f.kind == Some(StageKind::Won) {
            row.won_count += 1;
            row.won_amount += f.amount;
            continue;
        }
        row.open_count += 1;
        row.add(f);
    }
    // The forecasts kept at the start of the periods that have ended, even where nothing was
    // won nor is still open: a forecast that came to nothing is what they are kept for. Only
    // periods wholly from `from` to `to` (a part of one would set part of what it won against
    // all it expected), and none when the scope counts only some deals by their creation
    // (the kept forecast counted them all).
    let whole = |day: NaiveDate, step: i64| {
        let next = day.checked_add_signed(chrono::Duration::days(step));
        next.is_none_or(|next| by.code(next) != by.code(day))
    };
    let first = by.code(from) + i64::from(!whole(from, -1));
    let last = (by.code(to) - i64::from(!whole(to, 1))).min(by.code(data.today()) - 1);
    let snapshots = if data.created_scoped() {
        &[]
    } else {
        data.snapshots()
    };
    for snapshot in snapshots {
        let ended = (first..=last).contains(&snapshot.code);
        if snapshot.by != by || snapshot.calendar != crate::i18n::calendar() || !ended {
            continue;
        }
        for r in &snapshot.rows {
            let outside = salesperson.is_some_and(|s| r.salesperson != Some(s));
            if outside || !data.has_pipeline(r.pipeline) {
                continue;
            }
            // A salesperson deleted since counts as none, as the deals' rows do.
            let person = r.salesperson.filter(|&p| data.knows(p));
            let row = groups.entry((snapshot.code, id_key(person))).or_default();
            let before = row.at_start.unwrap_or_default();
            row.at_start = Some(before.plus(snapshot.taken, r));
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

/// The deals `row` of the forecast `params` asks for counts (none for another report).
pub fn forecast_deals(data: &Data, params: &Params, row: &ForecastRow) -> Vec<ForecastDeal> {
    let &Params::Forecast { by, from, to, .. } = params else {
        return Vec::new();
    };
    entries(data, by, data.period_or_default(from, to), None)
        .filter(|&(code, person, _)| code == row.code && person == id_key(row.person))
        .map(|(_, _, f)| ForecastDeal {
            id: f.id,
            category: (f.kind != Some(StageKind::Won)).then_some(f.forecast),
            amount: f.amount,
            weighted: f.weighted,
        })
        .collect()
}
