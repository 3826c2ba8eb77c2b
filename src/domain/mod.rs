//! Plain data and the rules of a sales pipeline: no egui, no redb, no I/O.

mod filter;
mod list;
mod records;
mod rules;

pub use filter::*;
pub use list::*;
pub use records::*;
pub use rules::*;
