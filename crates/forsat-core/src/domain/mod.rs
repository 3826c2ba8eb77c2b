//! Plain data and the rules of a sales pipeline: no egui, no redb, no I/O.

mod duplicates;
mod filter;
mod goals;
mod ids;
mod list;
mod planner;
mod records;
mod related;
mod rules;
mod slips;

pub use duplicates::*;
pub use filter::*;
pub use goals::*;
pub use ids::*;
pub use list::*;
pub use planner::*;
pub use records::*;
pub use related::*;
pub use rules::*;
pub use slips::*;

/// Records for unit tests of the domain.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use chrono::TimeZone as _;

    /// A new deal of `account` in an open "New" stage, created Sunday 22 Nov 2026 at noon.
    pub fn opportunity(id: Id, account: Id, name: &str) -> Opportunity {
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
            forecast: ForecastCategory::Pipeline,
        };
        let account = Account {
            id: account,
            name: "Acme".into(),
            ..Account::default()
        };
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
            .unwrap();
        let mut opp = Opportunity::draft(&account, &stage, &Settings::default(), now);
        opp.id = id;
        opp.name = name.into();
        opp
    }
}
