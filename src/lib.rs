//! Forsat: a local-first desktop sales-pipeline CRM.
//!
//! Layers, each depending only on those above it in this list:
//! `domain` (plain data and rules) → `store` (redb) and `analytics` (pure reports) →
//! `workspace` + `command` (the in-memory model every change goes through) → `interchange`
//! (import and export files) → `cli` and `ui`.

pub mod analytics;
pub mod cli;
pub mod command;
pub mod demo;
pub mod domain;
pub mod fuzzing;
pub mod i18n;
pub mod interchange;
pub mod store;
pub mod ui;
pub mod workspace;
