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
