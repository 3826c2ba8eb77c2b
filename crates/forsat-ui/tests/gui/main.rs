//! GUI flows driven through the real `App` with `egui_kittest`: drag, click, type.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

mod accessibility;
mod accounts;
mod activities;
mod board;
mod browse;
mod calendar;
mod catalog;
mod deal_form;
mod desktop;
mod editing;
mod exchange;
mod export;
mod forecast;
mod form;
mod goals;
mod import_clean;
mod import_stages;
mod import_workbook;
mod keyboard;
mod language;
mod leads;
mod list;
mod list_editing;
mod list_status;
mod lookups;
mod palette;
mod prediction;
mod records;
mod reminders;
mod report_charts;
mod reports;
mod settings;
mod slipped;
mod snapshots;
#[path = "../../../forsat-app/tests/common/stages.rs"]
mod stages;
#[path = "../../../forsat-app/tests/common/tmpfs.rs"]
mod tmpfs;
mod velocity;
#[path = "../../../forsat-app/tests/common/velocity.rs"]
mod velocity_fixture;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{TimeZone as _, Utc};
use egui_kittest::kittest::Queryable as _;
use egui_kittest::{Harness, HarnessBuilder};
use forsat_app::workspace::{Clock, Workspace};
use forsat_core::command::Command;
use forsat_core::domain::{Account, Id, Opportunity, StageKind};
use forsat_ui::View;
use forsat_ui::{App, AppOptions, WINDOW_SIZE};

/// Sunday 22 November 2026, 09:30 UTC: every test sees the same "now".
pub fn clock() -> Clock {
    Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap())
}

/// A temporary database with two deals: one in New, one in Qualified.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub fn two_deals() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipeline.redb");
        let mut ws = Workspace::open(&path, clock()).unwrap();
        add_deal(
            &mut ws,
            "Café Müller",
            "Café Müller – espresso machines",
            "12500",
            StageKind::Open,
            0,
        );
        add_deal(
            &mut ws,
            "Nordwind GmbH",
            "Nordwind – fleet renewal",
            "40000",
            StageKind::Open,
            1,
        );
        Fixture { _dir: dir, path }
    }

    pub fn reopen(&self) -> Workspace {
        Workspace::open(&self.path, clock()).unwrap()
    }

    /// Sets the file's language (the window opened afterwards speaks it), returning the
    /// workspace for further setup.
    pub fn with_language(&self, language: forsat_core::domain::Language) -> Workspace {
        let mut ws = self.reopen();
        set_language(&mut ws, language);
        ws
    }
}

/// Sets the file's language: the window opened afterwards speaks it.
pub fn set_language(ws: &mut Workspace, language: forsat_core::domain::Language) {
    let mut settings = ws.settings().clone();
    settings.language = Some(language);
    let change = ws.settings_change(settings);
    ws.apply(Command::Change(Box::new(change))).unwrap();
}

/// Creates a deal for a new account in the `nth` stage of `kind`, through a command.
pub fn add_deal(
    ws: &mut Workspace,
    account: &str,
    name: &str,
    amount: &str,
    kind: StageKind,
    nth: usize,
) -> Id {
    let pipeline = ws.default_pipeline().id;
    let stage = ws
        .stages_of(pipeline)
        .filter(|s| s.kind == kind)
        .nth(nth)
        .unwrap()
        .clone();
    let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), ws.now());
    opp.name = name.to_owned();
    opp.amount = amount.parse().unwrap();
    let applied = ws
        .apply(Command::CreateOpportunity {
            opp: Box::new(opp),
            new_account: Some(account.to_owned()),
        })
        .unwrap();
    applied.created.unwrap()
}

/// The real app on `path`, in a 1400x900 window.
pub fn harness(path: &Path) -> Harness<'static, App> {
    harness_at(path, clock())
}

/// The real app on `path`, seeing the time `clock` gives.
pub fn harness_at(path: &Path, clock: Clock) -> Harness<'static, App> {
    let window = Harness::builder().with_size(egui::Vec2::from(WINDOW_SIZE));
    app_harness(window, path, clock, View::Pipeline)
}

/// The real app on `path` at `clock`, opened on `view`, in the window `builder` describes.
pub fn app_harness(
    builder: HarnessBuilder<App>,
    path: &Path,
    clock: Clock,
    view: View,
) -> Harness<'static, App> {
    harness_with(builder, options(path, clock, view))
}

/// How the tests open the app: light, remembering nothing, no desktop notifications.
pub fn options(path: &Path, clock: Clock, view: View) -> AppOptions {
    AppOptions {
        db: path.to_owned(),
        clock,
        view,
        screenshot: None,
        opening: None,
        desktop_notifications: false,
        theme: egui::ThemePreference::Light,
        remembered: None,
    }
}

/// The real app opened with `options`, in the window `builder` describes.
pub fn harness_with(builder: HarnessBuilder<App>, options: AppOptions) -> Harness<'static, App> {
    // The harness sets its own theme after the app is made (dark unless told): the app's.
    let theme = match options.theme {
        egui::ThemePreference::Dark => egui::Theme::Dark,
        _ => egui::Theme::Light,
    };
    let options = std::sync::Mutex::new(Some(options));
    let mut harness = builder
        .with_theme(theme)
        // Grids that gain rows take a few frames to settle their column widths (the export
        // dialog's grid twelve).
        .with_max_steps(16)
        .build_eframe(move |cc| {
            let options = options
                .lock()
                .unwrap()
                .take()
                .expect("the app is made once");
            App::new(&cc.egui_ctx, options)
        });
    harness.run();
    harness
}

/// Runs frames until a modal or popup that fades in stops moving, as a person waits before
/// clicking.
pub fn settle(harness: &mut Harness<'_, App>) {
    for _ in 0..10 {
        harness.run();
    }
}

/// File → Clear sample data… and its confirmation, as a new user empties the sample file.
pub fn clear_sample(harness: &mut Harness<'_, App>) {
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Clear sample data…").click();
    harness.run();
    harness.get_by_label("Clear sample data").click();
    harness.run();
}

/// The id of the stage called `name` in the default pipeline.
pub fn stage_id(ws: &Workspace, name: &str) -> Id {
    ws.stages_of(ws.default_pipeline().id)
        .find(|s| s.name == name)
        .unwrap()
        .id
}

/// The deal called `name`.
pub fn deal<'a>(ws: &'a Workspace, name: &str) -> &'a Opportunity {
    ws.opportunities().find(|o| o.name == name).unwrap()
}

/// Replaces the text of the field named `name` with `text`.
pub fn type_into(harness: &mut Harness<'_, App>, name: &str, text: &str) {
    harness.get_by_label(name).focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_label(name).type_text(text);
    harness.run();
}

/// Clicks into the text field called `name`, selects what it holds and types `text` over it.
pub fn retype(harness: &mut Harness<'_, App>, name: &str, text: &str) {
    let input = egui::accesskit::Role::TextInput;
    harness.get_by_role_and_label(input, name).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_role_and_label(input, name).type_text(text);
    harness.run();
}

/// The label showing exactly `text` (not its text-run child).
pub fn label<'a>(harness: &'a Harness<'static, App>, text: &'a str) -> egui_kittest::Node<'a> {
    harness.get_by(move |n| {
        n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(text)
    })
}

/// The card of the deal called `name` on the board.
pub fn card<'a>(harness: &'a Harness<'static, App>, name: &'a str) -> egui_kittest::Node<'a> {
    harness.get_by_role_and_label(egui::accesskit::Role::Button, name)
}

/// Asserts that a label reads each of `cells` on the row at height `y` (what a person reads
/// across a table's row); `row` names it in the message.
pub fn assert_on_row(harness: &Harness<'static, App>, row: &str, y: f32, cells: &[&str]) {
    for cell in cells {
        let on_row = harness
            .query_all_by(|n| {
                n.role() == egui::accesskit::Role::Label && n.value().as_deref() == Some(*cell)
            })
            .any(|n| (n.rect().center().y - y).abs() < 3.0);
        assert!(on_row, "{row}: no {cell} on its row");
    }
}

/// Whether a node's text or name holds `part`.
pub fn has_label(harness: &Harness<'static, App>, part: &str) -> bool {
    harness
        .query_all_by(|n| {
            n.value().is_some_and(|v| v.contains(part))
                || n.label().is_some_and(|v| v.contains(part))
        })
        .next()
        .is_some()
}

/// Opens the dropdown `combo` and clicks `choice` in its popup (shown over the rest, so its item is the
/// last node of that name: a column of the board may bear it too), as a person does.
pub fn pick(harness: &mut Harness<'static, App>, combo: &str, choice: &str) {
    // The first of its name: the search's comes before the list's mass update.
    harness
        .get_all_by_role_and_label(egui::accesskit::Role::ComboBox, combo)
        .next()
        .unwrap()
        .click();
    harness.run();
    harness.get_all_by_label(choice).last().unwrap().click();
    harness.run();
}
