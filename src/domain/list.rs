//! The columns of the opportunity list; which are shown is a stored preference.

use serde::{Deserialize, Serialize};

use crate::tr;

/// A column of the opportunity list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListColumn {
    Name,
    Account,
    Stage,
    Amount,
    Probability,
    Weighted,
    ExpectedClose,
    Salesperson,
    NextStep,
    Created,
}

impl ListColumn {
    /// Every column, in display order.
    pub const ALL: [ListColumn; 10] = [
        ListColumn::Name,
        ListColumn::Account,
        ListColumn::Stage,
        ListColumn::Amount,
        ListColumn::Probability,
        ListColumn::Weighted,
        ListColumn::ExpectedClose,
        ListColumn::Salesperson,
        ListColumn::NextStep,
        ListColumn::Created,
    ];

    pub fn label(self) -> String {
        match self {
            ListColumn::Name => tr!("Opportunity"),
            ListColumn::Account => tr!("Account"),
            ListColumn::Stage => tr!("Stage"),
            ListColumn::Amount => tr!("Amount"),
            ListColumn::Probability => tr!("Probability"),
            ListColumn::Weighted => tr!("Weighted"),
            ListColumn::ExpectedClose => tr!("Expected close"),
            ListColumn::Salesperson => tr!("Salesperson"),
            ListColumn::NextStep => tr!("Next step"),
            ListColumn::Created => tr!("Created"),
        }
    }
}
