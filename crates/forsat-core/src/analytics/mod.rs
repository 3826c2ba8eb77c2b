//! Pure report functions over records: no storage, no GUI. Each report renders to JSON, CSV
//! and a text table for the CLI.

pub mod cells;
pub mod csv;
pub mod facts;
pub mod predict;
mod render;
pub mod reports;
mod totals;
pub mod velocity;

pub use cells::{Cell, Table};
pub use render::table;
pub use totals::StageTotals;

/// Money in reports: a decimal string with exactly two decimals, e.g. `"104000.00"`.
pub fn money_string(value: rust_decimal::Decimal) -> String {
    format!(
        "{:.2}",
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}
