//! The columns of the opportunity list; which are shown is a stored preference.

use serde::{Deserialize, Serialize};

use crate::tr;

/// A column of the opportunity list.
///
/// Stored by position (postcard) in the chosen columns: new columns go at the end, so a list
/// of columns stored by an earlier Forsat still decodes to the same columns.
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
    Source,
    /// The deal's primary contact.
    Contact,
    Priority,
    Tags,
    Currency,
    /// The due date and summary of the deal's next open activity.
    NextActivity,
    /// Days since the deal entered its stage.
    DaysInStage,
    /// Its forecast category, its own or its stage's.
    Forecast,
}

impl ListColumn {
    /// Every column, in display order.
    pub const ALL: [ListColumn; 18] = [
        ListColumn::Name,
        ListColumn::Account,
        ListColumn::Contact,
        ListColumn::Stage,
        ListColumn::DaysInStage,
        ListColumn::Amount,
        ListColumn::Currency,
        ListColumn::Probability,
        ListColumn::Weighted,
        ListColumn::Forecast,
        ListColumn::ExpectedClose,
        ListColumn::NextActivity,
        ListColumn::Salesperson,
        ListColumn::Source,
        ListColumn::Priority,
        ListColumn::Tags,
        ListColumn::NextStep,
        ListColumn::Created,
    ];

    /// The columns shown until the user chooses: those the list always had.
    pub const DEFAULT: [ListColumn; 10] = [
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
            ListColumn::Source => tr!("Source"),
            ListColumn::Contact => tr!("Contact"),
            ListColumn::Priority => tr!("Priority"),
            ListColumn::Tags => tr!("Tags"),
            ListColumn::Currency => tr!("Currency"),
            ListColumn::NextActivity => tr!("Next activity"),
            ListColumn::DaysInStage => tr!("Days in stage"),
            ListColumn::Forecast => tr!("Forecast category"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_stored_before_the_new_ones_decode_as_the_same_columns() {
        // The bytes an earlier Forsat stored for [Name, Stage, Amount, NextStep, Created]: a
        // length, then each column's position in the enum as it was (0..=9).
        let stored = [5u8, 0, 2, 3, 8, 9];
        let columns: Vec<ListColumn> = postcard::from_bytes(&stored).unwrap();
        assert_eq!(
            columns,
            [
                ListColumn::Name,
                ListColumn::Stage,
                ListColumn::Amount,
                ListColumn::NextStep,
                ListColumn::Created
            ]
        );
        // The new ones follow them.
        let new = postcard::to_stdvec(&vec![ListColumn::Source, ListColumn::DaysInStage]).unwrap();
        assert_eq!(new, [2, 10, 16]);
        // Every column is offered once.
        let all: std::collections::HashSet<ListColumn> = ListColumn::ALL.into_iter().collect();
        assert_eq!(all.len(), 18);
        assert!(ListColumn::DEFAULT.iter().all(|c| all.contains(c)));
    }
}
