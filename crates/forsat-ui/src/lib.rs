//! The egui window: a thin [`App`] shell routing to one file per view.

mod about;
mod accounts;
mod activities;
mod activity_editor;
mod activity_panel;
mod app;
mod board;
mod calendar;
mod catalog;
mod cursor;
mod date_picker;
mod describe;
mod dialogs;
pub mod direction;
mod empty;
mod exchange_import;
mod export;
mod file_field;
mod form;
mod import;
mod keys;
mod leads;
mod learner;
mod lines;
mod list;
mod lookups;
mod mass_update;
mod merge;
mod offscreen;
mod palette;
mod prediction;
pub mod remembered;
mod reminders;
mod reorder;
mod reply;
mod reports;
mod screenshot;
mod search;
mod settings;
mod shortcuts;
mod spoken;
mod system_theme;
pub mod text;
mod theme;
pub mod timing;
mod ui_ext;
mod unsaved;
mod widgets;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub use app::{App, AppOptions};
pub use egui::ThemePreference;
pub use file_field::dialog_available as file_dialog_available;
pub use offscreen::Painted;
#[cfg(feature = "snapshot")]
pub use offscreen::SnapshotRenderer;
pub use remembered::Remembered;
pub use reports::{paint_chart, write_chart};

use crate::files::Replace;
use crate::workspace::system_clock;

/// The window's size, also the size of `--screenshot` images.
pub const WINDOW_SIZE: [f32; 2] = [1400.0, 900.0];

/// How the binary opens the window.
pub struct Launch<'a> {
    pub db: &'a Path,
    /// Render once, write this PNG (replacing a file there only when `replace` allows) and
    /// exit.
    pub screenshot: Option<&'a Path>,
    pub replace: Replace,
    /// The view to open on; None for the one remembered.
    pub view: Option<View>,
    /// The theme, whatever was remembered (and remembered from now on).
    pub theme: Option<egui::ThemePreference>,
    /// The process's start: print the time to the first painted frame and the resident
    /// memory then, and exit.
    pub timing: Option<Instant>,
    /// The file where eframe keeps what the window remembers (see [`remembered`]) and the
    /// window's size and place; None to remember nothing.
    pub remember_in: Option<PathBuf>,
}

/// The window's icon, in the title bar and the task switcher: 128 px, as a 256 px one (256 KiB)
/// is past the largest request an X server takes and is dropped (the desktop entry's icon
/// theme has every size).
const ICON: &[u8] =
    include_bytes!("../../../assets/icons/hicolor/128x128/apps/app.forsat.Forsat.png");

/// The application's id: the desktop entry's name, so the desktop matches the window to its
/// icon and launcher (Wayland's app id, X11's class).
pub const APP_ID: &str = "app.forsat.Forsat";

/// Opens the window as `launch` says.
pub fn run(launch: Launch) -> ExitCode {
    let Launch {
        db,
        screenshot,
        replace,
        view,
        theme,
        timing,
        remember_in,
    } = launch;
    // A PNG that could not be written is refused before the window opens.
    if let Some(Err(refused)) = screenshot.map(|path| files::check(db, path, replace)) {
        eprintln!("forsat: {refused}");
        return ExitCode::FAILURE;
    }
    // A picture or a timing is of the window as it starts on any computer: light unless told,
    // and eframe's storage a file of its own, read and written by nobody else.
    let ephemeral = screenshot.is_some() || timing.is_some();
    let remember_in = remember_in.filter(|_| !ephemeral);
    let theme = theme.or(ephemeral.then_some(egui::ThemePreference::Light));
    let scratch = match tempfile::tempdir() {
        Ok(scratch) => scratch,
        Err(e) => {
            eprintln!("forsat: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Forsat")
        .with_app_id(APP_ID)
        .with_inner_size(WINDOW_SIZE)
        .with_min_inner_size([800.0, 500.0]);
    match eframe::icon_data::from_png_bytes(ICON) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => eprintln!("forsat: the window's icon could not be read: {e}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: remember_in.is_some(),
        persistence_path: Some(
            remember_in
                .clone()
                .unwrap_or_else(|| scratch.path().join("window.ron")),
        ),
        ..Default::default()
    };
    let outcome = screenshot::Outcome::default();
    let clock = system_clock();
    // Read on the other core while this one makes the window; waited for below when the
    // window could not be made, so that nothing is left half written.
    let opening = Arc::new(Mutex::new(Some(app::open_in_background(
        db.to_owned(),
        clock.clone(),
    ))));
    let pending = opening.clone();
    let mut app_options = AppOptions {
        opening: None,
        desktop_notifications: true,
        db: db.to_owned(),
        clock,
        view: view.unwrap_or(View::Pipeline),
        theme: theme.unwrap_or(egui::ThemePreference::System),
        remembered: None,
        screenshot: screenshot.map(|path| screenshot::Request {
            path: path.to_owned(),
            replace,
            outcome: outcome.clone(),
        }),
    };
    let result = eframe::run_native(
        "Forsat",
        options,
        Box::new(move |cc| {
            app_options.opening = lock(&pending).take();
            if remember_in.is_some() {
                let remembered = cc.storage.map(Remembered::load).unwrap_or_default();
                app_options.view = view.unwrap_or(remembered.view);
                app_options.theme = theme.unwrap_or(remembered.theme);
                app_options.remembered = Some(remembered);
            }
            let app = App::new(&cc.egui_ctx, app_options);
            if !ephemeral {
                system_theme::follow(&cc.egui_ctx);
            }
            Ok(match timing {
                Some(started) => Box::new(timing::Timed::new(app, started)),
                None => Box::new(app),
            })
        }),
    );
    if let Some(opening) = lock(&opening).take() {
        drop(opening.join());
    }
    if let Err(e) = result {
        eprintln!("forsat: cannot open the window: {e}");
        return ExitCode::FAILURE;
    }
    match screenshot {
        None => ExitCode::SUCCESS,
        Some(path) => outcome.exit_code(path),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The views the window can open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum View {
    /// The pipeline board.
    Pipeline,
    /// The opportunity list.
    List,
    /// Accounts and their detail.
    Accounts,
    /// Leads and their conversion.
    Leads,
    /// Open activities: overdue, today, upcoming.
    Activities,
    /// Reports and charts: funnel, revenue, leakage, forecast, won and lost, sales grid, time
    /// in stage and velocity.
    Reports,
    /// The product catalog.
    Products,
    /// Currencies and their rates.
    Currencies,
    /// Pipelines, stages, lookup tables and settings.
    Settings,
}

use forsat_app::{demo, files, finder, interchange, workspace};
use forsat_core::{analytics, command, domain};
use forsat_i18n as i18n;
use forsat_i18n::{tr, trn};
