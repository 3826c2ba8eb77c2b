//! At home on the desktop: the theme chosen in Settings, what the window remembers between
//! runs, and the About box.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{ListColumn, Pipeline, Record};
use forsat_ui::remembered::{FileMemory, Page};
use forsat_ui::{App, Remembered, View, WINDOW_SIZE};

use crate::{Fixture, clock, harness, harness_with, has_label, options, pick};

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

fn window() -> egui_kittest::HarnessBuilder<App> {
    Harness::builder().with_size(egui::Vec2::from(WINDOW_SIZE))
}

#[test]
fn the_theme_chosen_in_settings_is_taken_at_once_everywhere() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    click_button(&mut harness, "Settings");
    click_button(&mut harness, "General");
    pick(&mut harness, "Theme", "Dark");
    assert_eq!(harness.ctx.theme(), egui::Theme::Dark, "no Save needed");
    // Nothing of the file's settings is waiting to be saved: the theme is not one of them.
    assert!(!has_label(&harness, "changes that are not saved"));
    // The board is painted dark: its columns and cards take the dark theme's colours.
    click_button(&mut harness, "Pipeline");
    assert!(harness.ctx.global_style().visuals.dark_mode);
    click_button(&mut harness, "Settings");
    pick(&mut harness, "Theme", "Light");
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
}

/// A second pipeline in the fixture's file: its id.
fn add_pipeline(fixture: &Fixture, name: &str) -> u64 {
    let mut ws = fixture.reopen();
    let pipeline = Pipeline {
        id: 0,
        name: name.into(),
        sequence: 2,
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Pipeline(
        pipeline,
    )))))
    .unwrap();
    ws.pipelines().iter().find(|p| p.name == name).unwrap().id
}

#[test]
fn the_window_takes_up_what_it_remembered_and_remembers_what_the_user_changed() {
    let fixture = Fixture::two_deals();
    let services = add_pipeline(&fixture, "Services");
    let mut remembered = Remembered {
        theme: egui::ThemePreference::Dark,
        list_widths: vec![(ListColumn::Name, 310.0)],
        activities_calendar: Some(Page::Month),
        ..Remembered::default()
    };
    remembered.set_file(
        &fixture.path,
        FileMemory {
            pipeline: Some(services),
            reports: None,
        },
    );
    let mut opening = options(&fixture.path, clock(), View::List);
    opening.theme = remembered.theme;
    opening.remembered = Some(remembered);
    let mut harness = harness_with(window(), opening);
    // The pipeline of last time, on the view asked for.
    assert!(has_label(&harness, "Services"));
    let now = harness.state().remembered().unwrap();
    assert_eq!(now.view, View::List);
    assert_eq!(now.theme, egui::ThemePreference::Dark);
    assert_eq!(now.file(&fixture.path).unwrap().pipeline, Some(services));
    assert_eq!(now.list_widths, vec![(ListColumn::Name, 310.0)]);

    // The activities open on their month, as left.
    click_button(&mut harness, "Activities");
    harness.get_by_role_and_label(Role::Button, "Previous month");
    assert_eq!(
        harness.state().remembered().unwrap().activities_calendar,
        Some(Page::Month)
    );

    // The user goes to the reports and back to the first pipeline: both are remembered.
    click_button(&mut harness, "Reports");
    let first = harness
        .state()
        .workspace()
        .unwrap()
        .default_pipeline()
        .clone();
    harness.get_by_label("Pipeline shown").click();
    harness.run();
    harness.get_by_label(&first.name).click();
    harness.run();
    let now = harness.state().remembered().unwrap();
    assert_eq!(now.view, View::Reports);
    let first = first.id;
    let memory = now.file(&fixture.path).unwrap();
    assert_eq!(memory.pipeline, Some(first));
    assert!(memory.reports.is_some(), "the reports' settings are kept");
}

#[test]
fn a_pipeline_remembered_but_deleted_since_gives_way_to_the_first() {
    let fixture = Fixture::two_deals();
    let mut remembered = Remembered::default();
    remembered.set_file(
        &fixture.path,
        FileMemory {
            pipeline: Some(987_654),
            reports: None,
        },
    );
    let mut opening = options(&fixture.path, clock(), View::Pipeline);
    opening.remembered = Some(remembered);
    let harness = harness_with(window(), opening);
    let first = harness.state().workspace().unwrap().default_pipeline().id;
    let now = harness.state().remembered().unwrap();
    assert_eq!(now.file(&fixture.path).unwrap().pipeline, Some(first));
}

#[test]
fn tests_and_screenshots_remember_nothing() {
    let fixture = Fixture::two_deals();
    let harness = harness(&fixture.path);
    assert_eq!(harness.state().remembered(), None);
}

#[test]
fn about_names_the_version_and_the_data_file_and_closes() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About Forsat").click();
    harness.run();
    harness.get_by_label(&format!("Version {}", env!("CARGO_PKG_VERSION")));
    let path = fixture.path.display().to_string();
    assert_eq!(
        harness.get_all_by_label(&path).count(),
        2,
        "the status bar's and the About box's"
    );
    harness.get_by_role_and_label(Role::Button, "Open its folder");
    assert!(has_label(&harness, "Vazirmatn — SIL Open Font License 1.1"));
    click_button(&mut harness, "Close");
    assert!(!has_label(&harness, "Vazirmatn"));
}

/// In Persian too the box shows, inside the window, its lines from the right.
#[test]
fn about_shows_in_persian() {
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        crate::set_language(&mut ws, forsat_core::domain::Language::Persian);
    }
    let mut harness = harness(&fixture.path);
    harness.get_by_label("راهنما").click();
    harness.run();
    harness.get_by_label("درباره فرصت").click();
    harness.run();
    let line = harness.get_by_label("Vazirmatn — SIL Open Font License 1.1");
    let rect = line.rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::Vec2::from(WINDOW_SIZE));
    assert!(window.contains_rect(rect), "{rect:?}");
}
