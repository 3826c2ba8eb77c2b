//! Issue 17's randomised checks, each through the real binary: two writers started together on
//! one file, and damaged files (zeroed pages, flipped bits) opened, checked and exported.
//!
//! `cargo test --test abuse` runs short variants; `scripts/abuse` runs the long ones
//! (`--ignored`) and prints their figures.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

#[path = "../support/bin.rs"]
mod bin;
mod damage;
mod writers;

use std::path::Path;
use std::process::{Command, Output};

/// What one run of the binary did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// A panic reached the user: exit code 101 or a panic message on stderr.
    pub fn panicked(&self) -> bool {
        self.code == Some(101) || self.stderr.contains("panicked")
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// The binary on `db` with `args`, not yet started.
pub fn command(db: &Path, args: &[&str]) -> Command {
    let mut command = bin::forsat();
    command
        .arg("--db")
        .arg(db)
        .args(["--locale", "en"])
        .args(args);
    command
}

/// Runs the binary on `db` with `args` to its end.
pub fn forsat(db: &Path, args: &[&str]) -> Run {
    command(db, args)
        .output()
        .expect("the binary starts")
        .into()
}

/// Today as the binary sees it (the system clock, UTC).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
