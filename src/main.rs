use std::process::ExitCode;

use clap::Parser as _;
use forsat::cli::{Cli, default_db_path, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    if let Some(language) = cli.locale {
        forsat::i18n::override_language(language);
    }
    match cli.command {
        Some(command) => match run(command, &db) {
            Ok(output) => {
                print!("{output}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("forsat: {message}");
                ExitCode::FAILURE
            }
        },
        None => forsat::ui::run(&db, cli.screenshot.as_deref(), cli.view),
    }
}
