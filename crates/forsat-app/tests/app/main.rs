//! The workspace, imports and exports through forsat-app's public API: durability, history,
//! refusals. The same flows through the binary are the root crate's tests/cli.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

mod calendar;
mod config;
#[path = "../common/deals.rs"]
mod deals;
mod files;
mod finder;
mod fuzz_corpus;
mod import_clean;
mod import_history;
mod integrity;
mod interchange;
mod list;
mod predict;
mod reached;
mod related;
mod reminders;
mod reports;
mod search;
mod slipped;
#[path = "../common/tmpfs.rs"]
mod tmpfs;
mod vcard;
mod workbooks;
mod workspace;

pub use deals::{clock, create, open, stage};

/// The fixture files, from this crate's folder.
const FIXTURES: &str = "tests/fixtures";
