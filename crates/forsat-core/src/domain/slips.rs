//! Close-date slippage: each change of a deal's expected close date, as its history records
//! it, and which of them are pushes — the promise moved later.
//!
//! The store keeps these changes beside the history, in the same transaction as their entry
//! (an index of it, so a million deals' pushes are counted without decoding every entry).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// One change of a deal's expected close date; `id` is its history entry's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseDateChange {
    pub id: Id,
    pub opportunity: Id,
    /// The date before (None: there was none).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}

impl CloseDateChange {
    /// The change as its history entry's old and new values (ISO dates, empty for none) hold
    /// it; a value that is not a date reads as none.
    pub fn of_entry(
        id: Id,
        opportunity: Id,
        (old, new): (&str, &str),
        at: DateTime<Utc>,
    ) -> CloseDateChange {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        CloseDateChange {
            id,
            opportunity,
            from: date(old),
            to: date(new),
            at,
        }
    }

    /// Whether it moved a date later.
    pub fn is_push(&self) -> bool {
        matches!((self.from, self.to), (Some(from), Some(to)) if to > from)
    }

    /// Whether it puts back what `earlier` did (an undo, or a date set back by hand).
    fn reverses(&self, earlier: &CloseDateChange) -> bool {
        self.from == earlier.to && self.to == earlier.from
    }
}

/// Every push among one deal's close-date changes (`changes` in the order they happened),
/// with when a change put it straight back — an undo, or the old date typed again — if one
/// did: from then on it no longer stands, as an undone stage move is no move. A pull-in that
/// is not its reverse leaves it standing. Before it was put back it stood: a look at a past day
/// sees what was known on that day.
pub fn push_spans(changes: &[CloseDateChange]) -> Vec<(&CloseDateChange, Option<DateTime<Utc>>)> {
    let mut standing: Vec<usize> = Vec::with_capacity(changes.len());
    let mut spans: Vec<(usize, Option<DateTime<Utc>>)> = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        match standing.last() {
            Some(&last) if change.reverses(&changes[last]) => {
                standing.pop();
                spans.push((last, Some(change.at)));
            }
            _ => standing.push(i),
        }
    }
    spans.extend(standing.into_iter().map(|i| (i, None)));
    spans.retain(|(i, _)| changes[*i].is_push());
    spans.sort_unstable_by_key(|(i, _)| *i);
    spans
        .into_iter()
        .map(|(i, end)| (&changes[i], end))
        .collect()
}

/// The pushes that stand now among one deal's close-date changes (see [`push_spans`]).
pub fn pushes(changes: &[CloseDateChange]) -> Vec<&CloseDateChange> {
    (push_spans(changes).into_iter())
        .filter_map(|(push, end)| end.is_none().then_some(push))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(id: Id, from: &str, to: &str) -> CloseDateChange {
        let at = DateTime::from_timestamp(i64::try_from(id).unwrap_or(0) * 86_400, 0)
            .unwrap_or_default();
        CloseDateChange::of_entry(id, 7, (from, to), at)
    }

    #[test]
    fn a_later_date_is_a_push_an_earlier_or_a_first_one_is_not() {
        assert!(change(1, "2026-12-01", "2027-01-15").is_push());
        assert!(!change(1, "2027-01-15", "2026-12-01").is_push());
        assert!(!change(1, "", "2026-12-01").is_push());
        assert!(!change(1, "2026-12-01", "").is_push());
        assert_eq!(change(1, "not a date", "2026-12-01").from, None);
    }

    #[test]
    fn a_push_put_straight_back_cancels_and_others_stand() {
        let undone = [
            change(1, "2026-12-01", "2027-01-15"),
            change(2, "2027-01-15", "2026-12-01"),
        ];
        assert!(pushes(&undone).is_empty());
        let two = [
            change(1, "2026-12-01", "2027-01-15"),
            change(2, "2027-01-15", "2027-02-01"),
            change(3, "2027-02-01", "2027-01-15"),
            change(4, "2027-01-15", "2027-03-01"),
        ];
        let ids: Vec<Id> = pushes(&two).iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 4], "the second push was undone, the fourth stands");
        let pulled = [
            change(1, "2026-12-01", "2027-01-15"),
            change(2, "2027-01-15", "2026-12-20"),
        ];
        assert_eq!(
            pushes(&pulled).len(),
            1,
            "a pull-in that is no undo leaves the push"
        );
        // Put back on day 2: it stood on day 1, and is known not to from day 2 on.
        let spans = push_spans(&undone);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].0.id, spans[0].1), (1, Some(undone[1].at)));
    }
}
