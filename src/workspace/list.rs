//! The opportunity list: every active deal passing the filter, sorted by any column.

use std::cmp::Reverse;

use rust_decimal::Decimal;

use super::{Filter, Workspace};
use crate::domain::{Id, ListColumn, Opportunity};

/// The list's order: a column and a direction. Ties keep creation order in both directions.
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
        }
    }

    /// The deals passing `filter`, in `sort` order. O(n log n): callers cache the result
    /// until the data, the filter or the order changes.
    pub fn list(&self, filter: &Filter, sort: Sort) -> Vec<Id> {
        let needle = filter.text.trim().to_lowercase();
        let mut ids: Vec<Id> = self
            .opportunities()
            .filter(|o| self.matches(o, filter, &needle))
            .map(|o| o.id)
            .collect();
        ids.sort_unstable();
        let key = |id: &Id| self.sort_key(&self.opportunities[id], sort.column);
        // `sort_by_cached_key` is stable, so equal keys keep the id order set above.
        if sort.descending {
            ids.sort_by_cached_key(|id| Reverse(key(id)));
        } else {
            ids.sort_by_cached_key(key);
        }
        ids
    }
}
