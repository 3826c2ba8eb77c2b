//! Which activities the Activities view lists: words, salesperson, kind, whether done, days.

use chrono::NaiveDate;

use super::{Activity, ActivityKind, Id};

/// Which activities are listed by whether they are done and when they are due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ActivityStatus {
    /// Not done yet (late, today's and planned).
    #[default]
    Open,
    /// Not done and due before today.
    Overdue,
    Done,
    All,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 4] = [
        ActivityStatus::Open,
        ActivityStatus::Overdue,
        ActivityStatus::Done,
        ActivityStatus::All,
    ];
}

/// The Activities view's search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// Words found in the summary, the notes or the deal's or account's name (case ignored).
    pub text: String,
    /// Whose activities: an activity's own salesperson, else its deal's.
    pub salesperson: Option<Id>,
    pub kind: Option<ActivityKind>,
    pub status: ActivityStatus,
    /// The first and last due days listed, each optional.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl ActivityFilter {
    /// Whether it lists every open activity, as the view opens.
    pub fn is_default(&self) -> bool {
        *self == ActivityFilter::default()
    }

    /// The filter's words in lower case, for [`ActivityFilter::matches`] (made once a search).
    pub fn words(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// Whether `a` is listed on `today`, done by `salesperson` (its own or its deal's) and about
    /// the deal or account named `about`; `words` are [`ActivityFilter::words`].
    pub fn matches(
        &self,
        a: &Activity,
        salesperson: Option<Id>,
        about: &str,
        today: NaiveDate,
        words: &[String],
    ) -> bool {
        let status = match self.status {
            ActivityStatus::Open => !a.done,
            ActivityStatus::Overdue => !a.done && a.due < today,
            ActivityStatus::Done => a.done,
            ActivityStatus::All => true,
        };
        let said = || {
            let text = [a.summary.as_str(), a.notes.as_str(), about]
                .join("\n")
                .to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        };
        status
            && self.kind.is_none_or(|k| k == a.kind)
            && self.salesperson.is_none_or(|s| salesperson == Some(s))
            && self.from.is_none_or(|from| a.due >= from)
            && self.to.is_none_or(|to| a.due <= to)
            && (words.is_empty() || said())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ActivityLink;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn each_part_of_the_search_narrows_the_list() {
        let today = day(22);
        let call = Activity {
            notes: "Ask about the Fleet budget".into(),
            ..Activity::planned(
                ActivityKind::Call,
                "Call Sara".into(),
                day(20),
                ActivityLink::Opportunity(7),
            )
        };
        let done = Activity {
            done: true,
            ..call.clone()
        };
        let listed = |filter: &ActivityFilter, a: &Activity, salesperson| {
            filter.matches(a, salesperson, "Nordwind – renewal", today, &filter.words())
        };
        let open = ActivityFilter::default();
        assert!(open.is_default() && listed(&open, &call, None) && !listed(&open, &done, None));
        let overdue = ActivityFilter {
            status: ActivityStatus::Overdue,
            ..ActivityFilter::default()
        };
        assert!(listed(&overdue, &call, None));
        let not_late = Activity {
            due: today,
            ..call.clone()
        };
        assert!(!listed(&overdue, &not_late, None));
        let finished = ActivityFilter {
            status: ActivityStatus::Done,
            ..ActivityFilter::default()
        };
        assert!(listed(&finished, &done, None) && !listed(&finished, &call, None));
        // Words in the notes and the deal's name, any case, all of them.
        let words = ActivityFilter {
            text: " fleet  NORDWIND ".into(),
            ..ActivityFilter::default()
        };
        assert!(listed(&words, &call, None));
        let missing = ActivityFilter {
            text: "fleet tender".into(),
            ..ActivityFilter::default()
        };
        assert!(!listed(&missing, &call, None));
        let daniel = ActivityFilter {
            salesperson: Some(3),
            ..ActivityFilter::default()
        };
        assert!(listed(&daniel, &call, Some(3)) && !listed(&daniel, &call, Some(4)));
        let meetings = ActivityFilter {
            kind: Some(ActivityKind::Meeting),
            ..ActivityFilter::default()
        };
        assert!(!listed(&meetings, &call, None));
        let week = ActivityFilter {
            from: Some(day(16)),
            to: Some(day(20)),
            ..ActivityFilter::default()
        };
        assert!(listed(&week, &call, None) && !listed(&week, &not_late, None));
    }
}
