//! Slipped close dates: the deals whose expected close date was pushed later in the period
//! holding today — the date promised before, the date now, how often — those pushed out of
//! the period first.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::goals::period_name;
use super::{Data, id_key, money};
use crate::domain::{Every, Id};

/// One deal's pushes of its close date that stand (undone ones left out), as the workspace
/// hands them to the report: each push's day, the date before and the date after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slip<'a> {
    pub deal: Id,
    pub name: &'a str,
    /// Oldest first.
    pub pushes: Vec<Push>,
    /// The date it was due when the period began (before its first change in the period).
    pub was: Option<NaiveDate>,
}

/// One push of a close date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Push {
    /// The day it was pushed.
    pub on: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A deal whose close date was pushed in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlipRow {
    pub id: Id,
    pub deal: String,
    pub stage: String,
    pub salesperson: Option<String>,
    /// Its amount in the base currency.
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
    /// The period's name and its first and last days.
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The close date when the period began; without one then, the date its first push in
    /// the period moved.
    pub was: NaiveDate,
    /// The close date now (None: cleared since).
    pub now: Option<NaiveDate>,
    /// Its pushes in the period, and in all.
    pub pushes: u32,
    pub pushes_total: u32,
    /// The day of its last push in the period.
    pub last_pushed: NaiveDate,
    /// Whether it is open, was due in the period and is no longer: the period's forecast
    /// lost it.
    pub left_period: bool,
}

/// The deals of `data` whose close date was pushed in the period of `every` holding today.
pub fn slipped(data: &Data, every: Every) -> Vec<SlipRow> {
    let (from, end) = every.bounds(data.today());
    let to = end.pred_opt().unwrap_or(end);
    let facts = data.positions().1;
    let period = match every {
        // A day alone would read as the day it was pushed.
        Every::Week => crate::tr!("the week of {day}", day = crate::i18n::format_date(from)),
        _ => period_name(every, from),
    };
    let mut rows: Vec<SlipRow> = data
        .slips()
        .iter()
        .filter_map(|slip| {
            let f = &facts.deals()[facts.position(slip.deal)?];
            if !data.holds(f) {
                return None;
            }
            let inside: Vec<&Push> = (slip.pushes.iter())
                .filter(|p| (from..end).contains(&p.on))
                .collect();
            let (first, last) = (inside.first()?, inside.last()?);
            // Without a date when the period began, the one its first push there moved.
            let was = slip.was.unwrap_or(first.from);
            let now = f.expected_close;
            Some(SlipRow {
                id: slip.deal,
                deal: slip.name.to_owned(),
                stage: data
                    .stage(f.stage)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                salesperson: (f.salesperson())
                    .filter(|id| data.knows(*id))
                    .map(|id| data.name(id_key(Some(id)))),
                amount: f.amount,
                period: period.clone(),
                from,
                to,
                was,
                now,
                pushes: inside.len() as u32,
                pushes_total: slip.pushes.len() as u32,
                last_pushed: last.on,
                // An open deal's: a closed one is no longer in any period's forecast.
                left_period: Data::is_open(f)
                    && (from..end).contains(&was)
                    && now.is_none_or(|d| d >= end),
            })
        })
        .collect();
    rows.sort_by(|a, b| (b.left_period, b.amount, a.id).cmp(&(a.left_period, a.amount, b.id)));
    rows
}
