//! Running totals of a set of deals, kept up to date one deal at a time.

use rust_decimal::Decimal;

use crate::domain::{Opportunity, Rates};

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

    /// Adds one deal, converted to the base currency at `rates`.
    pub fn add(&mut self, opp: &Opportunity, rates: &Rates) {
        self.count += 1;
        self.expected += opp.expected_base(rates);
        self.weighted += opp.weighted_base(rates);
    }

    /// Removes a deal added before at the same rates: the exact inverse of [`Self::add`], since
    /// decimals are exact.
    pub fn remove(&mut self, opp: &Opportunity, rates: &Rates) {
        self.count -= 1;
        self.expected -= opp.expected_base(rates);
        self.weighted -= opp.weighted_base(rates);
    }

    /// Totals of `opps` in the base currency.
    pub fn of<'a>(opps: impl IntoIterator<Item = &'a Opportunity>, rates: &Rates) -> StageTotals {
        let mut totals = StageTotals::default();
        for opp in opps {
            totals.add(opp, rates);
        }
        totals
    }
}
