//! The board's filter bar: text, salesperson and expected-close window.

use chrono::{Datelike as _, Days, Months, NaiveDate};

use super::Workspace;
use crate::domain::{Id, Opportunity};
use crate::tr;

/// Which expected-close dates to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CloseWindow {
    #[default]
    Any,
    Overdue,
    ThisWeek,
    ThisMonth,
    ThisQuarter,
}

impl CloseWindow {
    pub const ALL: [CloseWindow; 5] = [
        CloseWindow::Any,
        CloseWindow::Overdue,
        CloseWindow::ThisWeek,
        CloseWindow::ThisMonth,
        CloseWindow::ThisQuarter,
    ];

    pub fn label(self) -> String {
        match self {
            CloseWindow::Any => tr!("Any time"),
            CloseWindow::Overdue => tr!("Overdue"),
            CloseWindow::ThisWeek => tr!("This week"),
            CloseWindow::ThisMonth => tr!("This month"),
            CloseWindow::ThisQuarter => tr!("This quarter"),
        }
    }

    /// Whether a deal closing on `date` falls in the window, seen from `today`. Weeks start on
    /// Monday until the first-day-of-week setting arrives.
    pub fn contains(self, opp: &Opportunity, today: NaiveDate) -> bool {
        let Some(date) = opp.expected_close else {
            return self == CloseWindow::Any;
        };
        let (start, end) = match self {
            CloseWindow::Any => return true,
            CloseWindow::Overdue => return opp.is_overdue(today),
            CloseWindow::ThisWeek => {
                let start = today - Days::new(today.weekday().num_days_from_monday().into());
                (start, start + Days::new(7))
            }
            CloseWindow::ThisMonth => {
                let start = today.with_day(1).unwrap_or(today);
                (start, start + Months::new(1))
            }
            CloseWindow::ThisQuarter => {
                let month0 = (today.month0() / 3) * 3;
                let start = NaiveDate::from_ymd_opt(today.year(), month0 + 1, 1).unwrap_or(today);
                (start, start + Months::new(3))
            }
        };
        start <= date && date < end
    }
}

/// What the board shows. The default shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Matched, ignoring case, against the deal's name, account, next step and description.
    pub text: String,
    pub salesperson: Option<Id>,
    pub close: CloseWindow,
    /// Show the deals in the trash instead of the others (the list's trash view).
    pub trash: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.salesperson.is_none()
            && self.close == CloseWindow::Any
            && !self.trash
    }
}

impl Workspace {
    /// Whether `opp` passes `filter`. `needle` is the filter's text, trimmed and lowercased
    /// once by the caller.
    pub fn matches(&self, opp: &Opportunity, filter: &Filter, needle: &str) -> bool {
        if self.is_trashed(opp.id) != filter.trash {
            return false;
        }
        if filter.salesperson.is_some() && opp.salesperson != filter.salesperson {
            return false;
        }
        if !filter.close.contains(opp, self.today()) {
            return false;
        }
        if needle.is_empty() {
            return true;
        }
        let account = self.account(opp.account).map_or("", |a| a.name.as_str());
        [
            opp.name.as_str(),
            account,
            opp.next_step.as_str(),
            opp.description.as_str(),
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(needle))
    }

    /// The ids of `stage`'s active deals that pass `filter`, in card order.
    pub fn filtered_column(&self, stage: Id, filter: &Filter) -> Vec<Id> {
        let needle = filter.text.trim().to_lowercase();
        self.column(stage)
            .ids
            .iter()
            .copied()
            .filter(|id| {
                self.opportunity(*id)
                    .is_some_and(|o| self.matches(o, filter, &needle))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_windows_are_calendar_periods() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(); // a Sunday
        let opp_dates = |d: Option<NaiveDate>| CloseWindow::ALL.map(|w| w.contains(&opp(d), today));
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day);
        // Any, Overdue, ThisWeek, ThisMonth, ThisQuarter
        assert_eq!(opp_dates(d(11, 16)), [true, true, true, true, true]);
        assert_eq!(opp_dates(d(11, 15)), [true, true, false, true, true]);
        assert_eq!(opp_dates(d(11, 30)), [true, false, false, true, true]);
        assert_eq!(opp_dates(d(12, 31)), [true, false, false, false, true]);
        assert_eq!(opp_dates(d(9, 30)), [true, true, false, false, false]);
        assert_eq!(opp_dates(None), [true, false, false, false, false]);
    }

    fn opp(expected_close: Option<NaiveDate>) -> Opportunity {
        use crate::domain::*;
        use chrono::TimeZone as _;
        let stage = Stage {
            id: 2,
            pipeline: 1,
            name: "New".into(),
            sequence: 1,
            probability: 10.into(),
            kind: StageKind::Open,
            requirements: String::new(),
            rotting_days: None,
            folded: false,
        };
        let account = Account {
            id: 3,
            name: "Acme".into(),
            ..Account::default()
        };
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
            .unwrap();
        let mut opp = Opportunity::draft(&account, &stage, &Settings::default(), now);
        opp.expected_close = expected_close;
        opp
    }
}
