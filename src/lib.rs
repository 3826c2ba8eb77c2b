//! Forsat: a local-first desktop sales-pipeline CRM.
//!
//! The crates, each depending only on those before it (ARCHITECTURE.md):
//! `forsat-i18n` (catalogs, formats) → `forsat-core` (domain, commands, reports) →
//! `forsat-store` (the redb file) → `forsat-app` (the workspace, imports and exports) →
//! `forsat-ui` (the window) → this crate (the command line and `main`). It re-exports them
//! under the module names the tests and benchmarks use.

pub mod cli;

pub use forsat_app::{demo, finder, fuzzing, interchange, last_language, workspace};
pub use forsat_core::{analytics, command, domain};
pub use forsat_i18n as i18n;
pub use forsat_i18n::{tr, trn};
pub use forsat_store as store;
pub use forsat_ui as ui;
