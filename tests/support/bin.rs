//! The `forsat` binary as the tests run it.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The `forsat` binary in English, with a config folder of its own under the tests' scratch
/// space: a run that remembers its language (`forsat_app::last_language`) never writes to the
/// user's folder, and no run reads a language another run left there.
pub fn forsat() -> Command {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let config = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "config-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ));
    let mut command = Command::new(env!("CARGO_BIN_EXE_forsat"));
    command
        .env("XDG_CONFIG_HOME", config)
        .env("LC_ALL", "C.UTF-8")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    command
}
