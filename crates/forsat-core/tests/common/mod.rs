//! Helpers of forsat-core's tests; `reports` is shared with forsat-app's tests and the binary's.

pub mod reports;
