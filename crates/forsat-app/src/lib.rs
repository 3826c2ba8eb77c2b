//! Forsat's application layer: the in-memory `workspace` every change goes through (and the one
//! door to the store, restore included), imports and exports (`interchange`) and the sample
//! pipeline (`demo`), the language of the last run (`last_language`) and the command palette's
//! fuzzy index (`finder`).

use forsat_core::cores;
pub mod demo;
pub mod finder;
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
