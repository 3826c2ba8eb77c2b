use std::process::ExitCode;

use clap::Parser as _;
use forsat::cli::{Cli, default_db_path, run};
use forsat::store::files::Replace;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    if let Some(language) = cli.locale {
        forsat::i18n::override_language(language);
    }
    let replace = if cli.force {
        Replace::Allow
    } else {
        Replace::Refuse
    };
    match cli.command {
        Some(command) => match run(command, &db, replace) {
            Ok(output) => {
                print!("{output}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("forsat: {message}");
                ExitCode::FAILURE
            }
        },
        None => forsat::ui::run(&db, cli.screenshot.as_deref(), replace, cli.view),
    }
}
