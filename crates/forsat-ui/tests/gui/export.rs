//! Files written from the window: File → Export… and a report card's Export… ask before
//! replacing a file, refuse the database, and guard formulas in CSV.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Lookup, LookupKind, Record, StageKind};
use forsat_ui::App;

use crate::{Fixture, add_deal, harness, label, stage_id};

const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";
const REASON: &str = "@SUM(A1)";

/// The two fixture deals, a third named like a formula and lost for a reason named like one.
fn hostile() -> Fixture {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let reason = Lookup {
        name: REASON.into(),
        ..ws.lookups(LookupKind::LossReason)[0].clone()
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Lookup(
        reason.clone(),
    )))))
    .unwrap();
    let opp = add_deal(&mut ws, "Acme", FORMULA, "900", StageKind::Open, 0);
    let lost = stage_id(&ws, "Lost");
    ws.apply(Command::MoveToStage {
        opp,
        stage: lost,
        loss_reason: Some(reason.id),
    })
    .unwrap();
    fixture
}

fn press(harness: &mut Harness<'static, App>, button: &str) {
    harness.get_by_role_and_label(Role::Button, button).click();
    harness.run();
}

/// The app with File → Export… open, the path typed.
fn export_dialog(fixture: &Fixture, path: &Path) -> Harness<'static, App> {
    let mut harness = harness(&fixture.path);
    press(&mut harness, "File");
    harness.get_by_label("Export…").click();
    harness.run();
    crate::retype(&mut harness, "File", path.to_str().unwrap());
    harness
}

#[test]
fn export_to_an_existing_file_asks_and_cancel_keeps_it_and_replace_replaces_it() {
    let fixture = hostile();
    let out = fixture.path.with_file_name("deals.csv");
    std::fs::write(&out, "my own notes").unwrap();
    let mut harness = export_dialog(&fixture, &out);
    press(&mut harness, "Export");
    label(&harness, "Replace deals.csv?");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own notes");

    // Cancel keeps the file and the dialog, which asks again.
    press(&mut harness, "Cancel");
    assert!(harness.query_by_label("Replace deals.csv?").is_none());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own notes");
    press(&mut harness, "Export");
    press(&mut harness, "Replace");
    label(
        &harness,
        &format!("Exported opportunities to {}.", out.display()),
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("id,name,account,"), "{csv}");
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Acme,"),
        "{csv}"
    );
    assert!(csv.contains(",'@SUM(A1),"), "{csv}");
}

#[test]
fn export_onto_the_database_is_refused_with_a_message_in_the_window() {
    let fixture = hostile();
    let link = fixture.path.with_file_name("deals.csv");
    std::os::unix::fs::symlink(&fixture.path, &link).unwrap();
    for target in [fixture.path.clone(), link] {
        let before = std::fs::metadata(&fixture.path).unwrap().len();
        let mut harness = export_dialog(&fixture, &target);
        press(&mut harness, "Export");
        label(
            &harness,
            &format!(
                "{} is the database itself: nothing was written. Choose another file.",
                target.display()
            ),
        );
        // Even agreeing to replace a file cannot reach it: no question was asked.
        assert!(harness.query_by_label("Replace").is_none());
        assert_eq!(std::fs::metadata(&fixture.path).unwrap().len(), before);
        assert!(std::fs::read(&fixture.path).unwrap().starts_with(b"redb"));
        assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 3);
    }
}

#[test]
fn a_report_card_export_asks_before_replacing_and_guards_formulas() {
    let fixture = hostile();
    let out = fixture.path.with_file_name("lost.csv");
    std::fs::write(&out, "my own notes").unwrap();
    let mut harness = harness(&fixture.path);
    harness.get_by_label("Reports").click();
    harness.run();
    let button = "Export Won and lost";
    harness
        .get_by_role_and_label(Role::Button, button)
        .scroll_to_me();
    harness.run();
    press(&mut harness, button);
    crate::retype(&mut harness, "File", out.to_str().unwrap());
    press(&mut harness, "Save");
    label(&harness, "Replace lost.csv?");
    press(&mut harness, "Cancel");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my own notes");
    press(&mut harness, "Save");
    press(&mut harness, "Replace");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("key,won,lost,"), "{csv}");
    assert!(csv.contains(&format!("\r\n'{REASON},0,1,")), "{csv}");
    label(
        &harness,
        &format!("Exported the report to {}.", out.display()),
    );

    // The chart's PNG is refused on the database before the screenshot is taken.
    press(&mut harness, "Save the Won and lost chart as PNG");
    crate::retype(&mut harness, "File", fixture.path.to_str().unwrap());
    press(&mut harness, "Save");
    label(
        &harness,
        &format!(
            "{} is the database itself: nothing was written. Choose another file.",
            fixture.path.display()
        ),
    );
}

#[test]
fn a_hurried_export_keeps_its_dialog_names_the_folder_and_follows_the_format() {
    let fixture = hostile();
    let folder = fixture.path.with_file_name("reports");
    std::fs::create_dir(&folder).unwrap();
    // A folder is said to be one, not offered for replacing.
    let mut harness = export_dialog(&fixture, &folder);
    press(&mut harness, "Export");
    label(
        &harness,
        &format!(
            "{} is a folder: nothing was written. Give the name of a file in it.",
            folder.display()
        ),
    );
    assert!(harness.query_by_label("Replace").is_none());

    // A click beside the dialog (where a button was a moment ago) keeps it and what was typed.
    harness.hover_at(egui::pos2(5.0, 5.0));
    harness.run();
    harness.drag_at(egui::pos2(5.0, 5.0));
    harness.run();
    harness.drop_at(egui::pos2(5.0, 5.0));
    harness.run();
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "File")
            .is_some(),
        "a click beside the dialog closed it"
    );

    // A new path clears what was said of the old one; a missing folder is named.
    let missing = folder.with_file_name("nosuchdir");
    crate::retype(
        &mut harness,
        "File",
        missing.join("deals.csv").to_str().unwrap(),
    );
    assert!(harness.query_by_label_contains("is a folder").is_none());
    press(&mut harness, "Export");
    label(
        &harness,
        &format!(
            "The folder {} does not exist: nothing was written.",
            missing.display()
        ),
    );

    // A name typed for CSV becomes .xlsx when XLSX is chosen, and the file is a workbook.
    let typed = folder.join("mine.csv");
    crate::retype(&mut harness, "File", typed.to_str().unwrap());
    harness.get_by_label("XLSX (Excel)").click();
    harness.run();
    let workbook = folder.join("mine.xlsx");
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "File")
            .value()
            .as_deref(),
        Some(workbook.to_str().unwrap())
    );
    press(&mut harness, "Export");
    assert!(std::fs::read(&workbook).unwrap().starts_with(b"PK"));
    assert!(!typed.exists());
}

/// File → Export…: iCalendar is offered for activities only; chosen, the file's name follows
/// and the calendar is written.
#[test]
fn activities_export_as_an_icalendar_file_from_the_window() {
    use forsat_core::domain::{Activity, ActivityKind, ActivityLink};
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let deal = ws.opportunities().next().unwrap().id;
        let call = Activity {
            time: chrono::NaiveTime::from_hms_opt(10, 0, 0),
            ..Activity::planned(
                ActivityKind::Call,
                "Call about the fleet".into(),
                chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                ActivityLink::Opportunity(deal),
            )
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
            call,
        )))))
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    press(&mut harness, "File");
    harness.get_by_label("Export…").click();
    harness.run();
    let ics = harness.get_by_role_and_label(Role::RadioButton, "iCalendar (.ics)");
    assert!(ics.accesskit_node().is_disabled(), "not for deals");
    harness
        .get_by_role_and_label(Role::RadioButton, "Activities")
        .click();
    harness.run();
    label(&harness, "Of the deals");
    harness
        .get_by_role_and_label(Role::RadioButton, "iCalendar (.ics)")
        .click();
    harness.run();
    let suggested = harness
        .get_by_role_and_label(Role::TextInput, "File")
        .value()
        .unwrap();
    assert!(
        suggested.ends_with("forsat-activities-2026-11-22.ics"),
        "{suggested}"
    );
    let out = fixture.path.with_file_name("plan.ics");
    crate::retype(&mut harness, "File", out.to_str().unwrap());
    press(&mut harness, "Export");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("BEGIN:VCALENDAR\r\n"), "{written}");
    assert!(
        written.contains("SUMMARY:Call about the fleet"),
        "{written}"
    );
}
