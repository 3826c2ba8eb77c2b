//! Forsat's core: the records and rules of a sales pipeline (`domain`), every change as a
//! `Command`, and the reports computed from the records (`analytics`). Plain data: no window,
//! no file, no command line.

pub mod analytics;
pub mod command;
pub mod cores;
pub mod domain;

use forsat_i18n as i18n;
use forsat_i18n::{tr, trn};
