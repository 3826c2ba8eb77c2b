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
        self.add_amounts(opp.expected_base(rates), opp.weighted_base(rates));
    }

    /// Adds one deal already worth `expected` and `weighted` in the base currency.
    pub fn add_amounts(&mut self, expected: Decimal, weighted: Decimal) {
        self.count += 1;
        self.expected += expected;
        self.weighted += weighted;
    }

    /// Removes a deal added before at the same rates: the exact inverse of [`Self::add`], since
    /// decimals are exact.
    pub fn remove(&mut self, opp: &Opportunity, rates: &Rates) {
        self.remove_amounts(opp.expected_base(rates), opp.weighted_base(rates));
    }

    /// Takes back what [`Self::add_amounts`] added.
    pub fn remove_amounts(&mut self, expected: Decimal, weighted: Decimal) {
        self.count -= 1;
        self.expected -= expected;
        self.weighted -= weighted;
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
