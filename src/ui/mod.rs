//! The egui window: a thin [`App`] shell routing to one file per view.

mod accounts;
mod activities;
mod activity_panel;
mod app;
mod board;
mod catalog;
mod date_picker;
mod dialogs;
pub mod direction;
mod export;
mod file_field;
mod form;
mod import;
mod leads;
mod lines;
mod lookups;
mod mass_update;
mod merge;
mod reports;
mod screenshot;
mod search;
mod settings;
mod table;
pub mod text;
mod theme;
mod widgets;

use std::path::Path;
use std::process::ExitCode;

pub use app::{App, AppOptions};

use crate::cli::View;
use crate::workspace::system_clock;

/// The window's size, also the size of `--screenshot` images.
pub const WINDOW_SIZE: [f32; 2] = [1400.0, 900.0];

/// Opens the window on `db`. With `screenshot`, renders once, writes the PNG and exits.
pub fn run(db: &Path, screenshot: Option<&Path>, view: View) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Forsat")
            .with_app_id("forsat")
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    let outcome = screenshot::Outcome::default();
    let app_options = AppOptions {
        db: db.to_owned(),
        clock: system_clock(),
        view,
        screenshot: screenshot.map(|path| (path.to_owned(), outcome.clone())),
    };
    let result = eframe::run_native(
        "Forsat",
        options,
        Box::new(move |cc| Ok(Box::new(App::new(&cc.egui_ctx, app_options)))),
    );
    if let Err(e) = result {
        eprintln!("forsat: cannot open the window: {e}");
        return ExitCode::FAILURE;
    }
    match screenshot {
        None => ExitCode::SUCCESS,
        Some(path) => outcome.exit_code(path),
    }
}
