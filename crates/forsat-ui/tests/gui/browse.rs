//! "Browse…" where no file dialog can open (no desktop portal on the session bus and no zenity,
//! as under a bare X server): the field says so, and the typed path still works.

use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;

use crate::{Fixture, harness};

const NO_DIALOG: &str = "No file dialog on this system: type the path";

#[test]
fn browse_without_a_file_dialog_says_to_type_the_path() {
    if forsat_ui::file_dialog_available() {
        // A real dialog would open and wait for a person.
        eprintln!("skipped: a file dialog can open on this system");
        return;
    }
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    harness.get_by_role_and_label(Role::Button, "File").click();
    harness.run();
    harness.get_by_label("Export…").click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Browse…")
        .click();
    harness.run();
    // The dialog is looked for on a thread of its own: the window keeps drawing meanwhile.
    let deadline = Instant::now() + Duration::from_secs(10);
    while harness.query_by_label(NO_DIALOG).is_none() && Instant::now() < deadline {
        harness.run();
    }
    assert!(
        harness.query_by_label(NO_DIALOG).is_some(),
        "Browse… says why nothing opened"
    );

    // Typing the path takes the message away.
    let out = fixture.path.with_file_name("deals.csv");
    crate::retype(&mut harness, "File", out.to_str().unwrap());
    assert!(harness.query_by_label(NO_DIALOG).is_none());
}
