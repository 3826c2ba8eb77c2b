//! Helpers of the reports tests, shared by forsat-core's and forsat-app's tests and the binary's (tests/cli).

use chrono::NaiveDate;

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}
