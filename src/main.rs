use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser as _;
use forsat::cli::{Cli, default_db_path, language_file, remembered_file, run};
use forsat::i18n;
use forsat::last_language;
use forsat::store::files::Replace;

/// mimalloc rather than the system's: see the dependency's note in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `--timing` counts from here: what a user waits for starts when the process does.
    let started = Instant::now();
    let cli = Cli::parse();
    let given = cli.db.clone().or_else(|| cli.file.clone());
    let db = given.clone().unwrap_or_else(default_db_path);
    // The language is decided before the file is opened: a locked or damaged one cannot say it.
    if let Some(file) = language_file() {
        last_language::keep_in(file);
    }
    let language = i18n::startup_language(cli.locale, last_language::load(), |name| {
        std::env::var(name).ok()
    });
    match cli.locale {
        Some(_) => i18n::override_language(language),
        None => i18n::speak(language),
    }
    // A file to open is for the window: a command names its file with --db.
    if let (Some(file), Some(_)) = (&cli.file, &cli.command) {
        return refused(&forsat::tr!(
            "{file} is opened in the window; a command works on the file given with --db",
            file = file.display()
        ));
    }
    // A mistyped --db must not quietly become a new database in new folders (the default
    // path's folder is made on first start).
    if let Some(folder) = given.as_deref().and_then(Path::parent)
        && !folder.as_os_str().is_empty()
        && !folder.is_dir()
    {
        return refused(&forsat::tr!(
            "the folder {folder} does not exist: nothing was created. Check the path given to --db, or make the folder first.",
            folder = folder.display()
        ));
    }
    let replace = if cli.force {
        Replace::Allow
    } else {
        Replace::Refuse
    };
    match cli.command {
        Some(command) => match run(command, &db, replace) {
            Ok(output) => {
                let mut stdout = std::io::stdout().lock();
                match stdout
                    .write_all(output.as_bytes())
                    .and_then(|()| stdout.flush())
                {
                    // A reader that stopped early (`| head`) had what it wanted.
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        eprintln!("forsat: {e}");
                        ExitCode::FAILURE
                    }
                    _ => ExitCode::SUCCESS,
                }
            }
            Err(message) => {
                eprintln!("forsat: {message}");
                ExitCode::FAILURE
            }
        },
        None => forsat::ui::run(forsat::ui::Launch {
            db: &db,
            screenshot: cli.screenshot.as_deref(),
            replace,
            view: cli.view,
            theme: cli.theme.map(Into::into),
            timing: cli.timing.then_some(started),
            remember_in: remembered_file(),
        }),
    }
}

/// Says why nothing was done, and fails.
fn refused(message: &str) -> ExitCode {
    eprintln!("forsat: {message}");
    ExitCode::FAILURE
}
