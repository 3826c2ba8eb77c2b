//! Running totals of a set of deals, kept up to date one deal at a time.

use rust_decimal::Decimal;

use crate::domain::Opportunity;

/// Count, expected revenue and weighted revenue of a set of deals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageTotals {
    pub count: u64,
    pub expected: Decimal,
    pub weighted: Decimal,
}

impl StageTotals {
    /// No deals.
    pub const ZERO: StageTotals = StageTotals {
        count: 0,
        expected: Decimal::ZERO,
        weighted: Decimal::ZERO,
    };

    /// Adds one deal.
    pub fn add(&mut self, opp: &Opportunity) {
        self.count += 1;
        self.expected += opp.amount;
        self.weighted += opp.weighted();
    }

    /// Removes a deal added before: the exact inverse of [`Self::add`], since decimals are exact.
    pub fn remove(&mut self, opp: &Opportunity) {
        self.count -= 1;
        self.expected -= opp.amount;
        self.weighted -= opp.weighted();
    }

    /// Totals of `opps`.
    pub fn of<'a>(opps: impl IntoIterator<Item = &'a Opportunity>) -> StageTotals {
        let mut totals = StageTotals::default();
        for opp in opps {
            totals.add(opp);
        }
        totals
    }
}
