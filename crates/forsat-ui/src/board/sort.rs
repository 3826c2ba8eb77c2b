//! The order of the cards in a column, which the user chooses above the board. The board shows
//! it rather than keeping a hand-made order: a dropped card lands where the order puts it, and a
//! marker shows that place while it is dragged.

use std::cmp::Reverse;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::domain::{Id, Opportunity};
use crate::tr;
use crate::workspace::Workspace;

/// What the cards of every column are sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CardSort {
    /// Most stars first, then the nearest expected close: the workspace's own column order.
    #[default]
    Priority,
    /// Nearest expected close first; deals without one last.
    CloseDate,
    /// Largest amount first, in the base currency.
    Amount,
    /// A to Z.
    Name,
    /// The deal changed last first.
    LastChange,
}

/// A deal's place in a column's order; the id settles ties.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Priority(Reverse<u8>, NaiveDate),
    CloseDate(NaiveDate),
    Amount(Reverse<Decimal>),
    Name(String),
    LastChange(Reverse<DateTime<Utc>>),
}

impl CardSort {
    pub const ALL: [CardSort; 5] = [
        CardSort::Priority,
        CardSort::CloseDate,
        CardSort::Amount,
        CardSort::Name,
        CardSort::LastChange,
    ];

    pub fn label(self) -> String {
        match self {
            CardSort::Priority => tr!("Priority"),
            CardSort::CloseDate => tr!("Expected close"),
            CardSort::Amount => tr!("Amount"),
            CardSort::Name => tr!("Name"),
            CardSort::LastChange => tr!("Last change"),
        }
    }

    /// What the order means, for the chooser's tooltip.
    pub fn explanation(self) -> String {
        match self {
            CardSort::Priority => tr!("Most stars first, then the nearest close date"),
            CardSort::CloseDate => tr!("Nearest close date first"),
            CardSort::Amount => tr!("Largest amount first"),
            CardSort::Name => tr!("A to Z"),
            CardSort::LastChange => tr!("Changed last first"),
        }
    }

    /// `opp`'s key as it is, or as it will be once moved (`moved`: a move changes it now).
    fn key(self, ws: &Workspace, opp: &Opportunity, moved: bool) -> (Key, Id) {
        let close = opp.expected_close.unwrap_or(NaiveDate::MAX);
        let key = match self {
            CardSort::Priority => Key::Priority(Reverse(opp.priority), close),
            CardSort::CloseDate => Key::CloseDate(close),
            CardSort::Amount => Key::Amount(Reverse(opp.expected_base(ws.rates()))),
            CardSort::Name => Key::Name(opp.name.to_lowercase()),
            CardSort::LastChange => {
                Key::LastChange(Reverse(if moved { ws.now() } else { opp.updated }))
            }
        };
        (key, opp.id)
    }

    /// Puts `ids` in this order.
    pub fn sort(self, ws: &Workspace, ids: &mut [Id]) {
        ids.sort_by_cached_key(|id| ws.opportunity(*id).map(|o| self.key(ws, o, false)));
    }

    /// Where `opp`, moved into the column of `ids` (in this order), will sit.
    pub fn landing(self, ws: &Workspace, ids: &[Id], opp: &Opportunity) -> usize {
        let key = Some(self.key(ws, opp, true));
        ids.partition_point(|id| ws.opportunity(*id).map(|o| self.key(ws, o, false)) < key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::domain::StageKind;
    use chrono::TimeZone as _;

    #[test]
    fn each_order_sorts_a_column_and_says_where_a_moved_deal_lands() {
        let dir = tempfile::tempdir().unwrap();
        // A second passes at every reading: each deal is changed after the one before.
        let tick = std::sync::atomic::AtomicI64::new(0);
        let clock: crate::workspace::Clock = std::sync::Arc::new(move || {
            let seconds = tick.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
                + chrono::Duration::seconds(seconds)
        });
        let mut ws = Workspace::open(&dir.path().join("f.redb"), clock).unwrap();
        let stage = ws
            .stage_of_kind(ws.default_pipeline().id, StageKind::Open)
            .unwrap()
            .clone();
        let mut add = |name: &str, amount: u32, stars: u8, close: u32| {
            let mut opp = Opportunity::draft(&Default::default(), &stage, ws.settings(), ws.now());
            opp.name = name.into();
            opp.amount = amount.into();
            opp.priority = stars;
            opp.expected_close = NaiveDate::from_ymd_opt(2027, 1, close);
            ws.apply(Command::CreateOpportunity {
                opp: Box::new(opp),
                new_account: Some("Ærø Shipping".into()),
            })
            .unwrap()
            .created
            .unwrap()
        };
        let zeta = add("zeta", 5_000, 3, 20);
        let alpha = add("Alpha", 90_000, 0, 5);
        let mid = add("mid", 40_000, 1, 12);
        let column = [zeta, alpha, mid];
        let sorted = |sort: CardSort| {
            let mut ids = column.to_vec();
            sort.sort(&ws, &mut ids);
            ids
        };
        assert_eq!(sorted(CardSort::Priority), [zeta, mid, alpha]);
        assert_eq!(sorted(CardSort::CloseDate), [alpha, mid, zeta]);
        assert_eq!(sorted(CardSort::Amount), [alpha, mid, zeta]);
        assert_eq!(sorted(CardSort::Name), [alpha, mid, zeta]);
        assert_eq!(sorted(CardSort::LastChange), [mid, alpha, zeta]);

        // A 12,000 deal closing on 15 January with two stars, from another column.
        let mut moved = ws.opportunity(mid).unwrap().clone();
        moved.id = 999;
        moved.amount = 12_000.into();
        moved.priority = 2;
        moved.expected_close = NaiveDate::from_ymd_opt(2027, 1, 15);
        let others = |sort| {
            let ids: Vec<Id> = sorted(sort);
            sort.landing(&ws, &ids, &moved)
        };
        assert_eq!(others(CardSort::Priority), 1, "after three stars");
        assert_eq!(others(CardSort::CloseDate), 2, "after the 12th");
        assert_eq!(others(CardSort::Amount), 2, "after 40,000");
        assert_eq!(
            others(CardSort::LastChange),
            0,
            "a move makes it the latest"
        );
    }
}
