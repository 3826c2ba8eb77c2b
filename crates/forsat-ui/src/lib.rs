//! The egui window: a thin [`App`] shell routing to one file per view.

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
mod reminders;
mod reorder;
mod reply;
mod reports;
mod screenshot;
mod search;
mod settings;
mod shortcuts;
mod spoken;
pub mod text;
mod theme;
pub mod timing;
mod ui_ext;
mod unsaved;
mod widgets;

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub use app::{App, AppOptions};
pub use file_field::dialog_available as file_dialog_available;
pub use offscreen::Painted;
#[cfg(feature = "snapshot")]
pub use offscreen::SnapshotRenderer;
pub use reports::{paint_chart, write_chart};

use crate::files::Replace;
use crate::workspace::system_clock;

/// The window's size, also the size of `--screenshot` images.
pub const WINDOW_SIZE: [f32; 2] = [1400.0, 900.0];

/// Opens the window on `db`. With `screenshot`, renders once, writes the PNG (replacing a file
/// there only when `replace` allows) and exits. With `timing` (the process's start), prints
/// the time to the first painted frame and the resident memory then, and exits.
pub fn run(
    db: &Path,
    screenshot: Option<&Path>,
    replace: Replace,
    view: View,
    timing: Option<Instant>,
) -> ExitCode {
    // A PNG that could not be written is refused before the window opens.
    if let Some(Err(refused)) = screenshot.map(|path| files::check(db, path, replace)) {
        eprintln!("forsat: {refused}");
        return ExitCode::FAILURE;
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Forsat")
            .with_app_id("forsat")
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size([800.0, 500.0]),
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
        view,
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
            let app = App::new(&cc.egui_ctx, app_options);
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
