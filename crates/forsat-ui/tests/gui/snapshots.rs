//! Snapshot images of the main views on the sample pipeline, in English and in Persian (right
//! to left), painted on the CPU: a layout regression shows as a failing comparison with
//! tests/snapshots/NAME.png and a NAME.diff.png beside it. `UPDATE_SNAPSHOTS=1 cargo test
//! -p forsat-ui --test gui snapshots` rewrites the images that differ.

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use egui_kittest::{Harness, SnapshotError, SnapshotOptions, SnapshotResults};
use forsat_app::workspace::Workspace;
use forsat_core::domain::{Language, StageKind};
use forsat_ui::{App, SnapshotRenderer, View};

use crate::{clock, harness_with, set_language, settle};

/// The window of every snapshot, in points (one pixel each).
const SIZE: [f32; 2] = [1280.0, 800.0];

/// How two pictures may differ: a pixel counts as changed past kittest's usual colour
/// distance (what anti-aliasing on another machine may move), and a few such pixels pass; a
/// widget moved by one point changes far more.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(0.6).max_failed_pixels(8)
}

/// The sample pipeline in a new file speaking `language`, at a path that is the same on every
/// run and machine: the status bar shows it.
fn sample_file(name: &str, language: Language) -> PathBuf {
    let dir = Path::new("target/snapshot-files").join(name);
    // A file from a run before would not be new: no first start, yesterday's backups.
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pipeline.redb");
    let mut ws = Workspace::open(&path, clock()).unwrap();
    let sample = forsat_app::demo::sample(&ws);
    ws.apply(forsat_core::command::Command::FirstStart {
        sample: Some(Box::new(sample)),
    })
    .unwrap();
    set_language(&mut ws, language);
    path
}

/// The real app on a sample file of its own speaking `language`, opened on `view` in `theme`,
/// settled.
fn window(
    name: &str,
    language: Language,
    view: View,
    theme: egui::ThemePreference,
) -> Harness<'static, App> {
    let path = sample_file(name, language);
    let builder = Harness::builder()
        .with_size(egui::Vec2::from(SIZE))
        .with_options(options())
        .renderer(SnapshotRenderer::default());
    let mut opening = crate::options(&path, clock(), view);
    opening.theme = theme;
    let mut harness = harness_with(builder, opening);
    // Plots size their axes from the frame before; popups fade in.
    settle(&mut harness);
    harness
}

/// Snapshots the window opened on `view` and brought by `open` to what is pictured, in English
/// and in Persian, as `NAME_en` and `NAME_fa`.
fn snapshot_both(name: &str, view: View, open: impl Fn(&mut Harness<'static, App>)) {
    snapshot_both_in(name, view, egui::ThemePreference::Light, open);
}

/// [`snapshot_both`] in `theme`.
fn snapshot_both_in(
    name: &str,
    view: View,
    theme: egui::ThemePreference,
    open: impl Fn(&mut Harness<'static, App>),
) {
    let mut results = SnapshotResults::new();
    for (language, code) in [(Language::English, "en"), (Language::Persian, "fa")] {
        let name = format!("{name}_{code}");
        let mut harness = window(&name, language, view, theme);
        open(&mut harness);
        harness.snapshot(&name);
        results.extend_harness(&mut harness);
    }
}

#[test]
fn board() {
    snapshot_both("board", View::Pipeline, |_| {});
}

/// The dark theme: every colour from the theme's dark tokens (columns, cards, the activity
/// dots, stale edges, chips).
#[test]
fn board_dark() {
    snapshot_both_in(
        "board_dark",
        View::Pipeline,
        egui::ThemePreference::Dark,
        |_| {},
    );
}

/// The reports in the dark theme: charts, won and lost, tables.
#[test]
fn reports_dark() {
    snapshot_both_in(
        "reports_dark",
        View::Reports,
        egui::ThemePreference::Dark,
        |_| {},
    );
}

#[test]
fn list() {
    snapshot_both("list", View::List, |_| {});
}

#[test]
fn reports() {
    snapshot_both("reports", View::Reports, |_| {});
}

#[test]
fn accounts() {
    snapshot_both("accounts", View::Accounts, |_| {});
}

#[test]
fn settings() {
    snapshot_both("settings", View::Settings, |_| {});
}

#[test]
fn deal_form() {
    snapshot_both("deal_form", View::Pipeline, |harness| {
        // The first deal of the sample in an open stage whose name no other deal has: its
        // card is found by its name.
        let ws = harness.state().workspace().unwrap();
        let named = |name: &str| ws.opportunities().filter(|o| o.name == name).count();
        let deal = ws
            .opportunities()
            .filter(|o| ws.stage(o.stage).is_some_and(|s| s.kind == StageKind::Open))
            .find(|o| named(&o.name) == 1)
            .unwrap()
            .name
            .clone();
        harness.get_by_role_and_label(Role::Button, &deal).click();
        settle(harness);
    });
}

/// Two buttons in the window's theme, the second `gap` points further along.
fn buttons(gap: f32) -> Harness<'static> {
    Harness::builder()
        .with_size([240.0, 48.0])
        .renderer(SnapshotRenderer::default())
        .build_ui(move |ui| {
            ui.horizontal(|ui| {
                let _ = ui.button("Save");
                ui.add_space(gap);
                let _ = ui.button("Cancel");
            });
        })
}

#[test]
fn the_comparison_passes_the_same_picture_and_fails_a_button_moved_by_one_point() {
    let dir = tempfile::tempdir().unwrap();
    let options = options().output_path(dir.path());
    let picture = buttons(0.0).render().unwrap();
    picture.save(dir.path().join("buttons.png")).unwrap();
    buttons(0.0)
        .try_snapshot_options("buttons", &options)
        .unwrap();
    let moved = buttons(1.0).try_snapshot_options("buttons", &options);
    let updating = std::env::var("UPDATE_SNAPSHOTS")
        .is_ok_and(|v| !matches!(v.as_str(), "0" | "false" | "no" | "off"));
    if updating {
        // A picture failing the comparison then replaces the old one, kept aside.
        moved.unwrap();
        assert!(dir.path().join("buttons.old.png").exists(), "not replaced");
    } else {
        let error = moved.unwrap_err();
        assert!(matches!(error, SnapshotError::Diff { .. }), "{error}");
    }
}
