//! Forsat's application layer: the in-memory `workspace` every change goes through (and the one
//! door to the store, restore included), imports and exports (`interchange`) and the sample
//! pipeline (`demo`), and the language of the last run (`last_language`).

// Issue 21: fixed after the parallel branches merge.
#![allow(
    clippy::doc_markdown,
    clippy::format_push_string,
    clippy::if_not_else,
    clippy::items_after_statements,
    clippy::match_same_arms,
    clippy::needless_for_each,
    clippy::needless_pass_by_value,
    clippy::redundant_closure_for_method_calls,
    clippy::semicolon_if_nothing_returned,
    clippy::single_match_else,
    clippy::too_many_lines,
    clippy::wildcard_imports
)]

pub mod demo;
pub mod fuzzing;
pub mod interchange;
pub mod last_language;
pub mod workspace;

use forsat_core::{analytics, command, domain};
use forsat_i18n as i18n;
use forsat_i18n::{tr, trn};
use forsat_store as store;

/// What the window and the command line use beside the workspace: file writes that refuse the
/// database, its lock and its backups ([`files`]), and the store's errors, worded for the user.
pub use forsat_store::{StoreError, files};
