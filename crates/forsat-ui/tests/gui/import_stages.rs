//! The import wizard's Check step: the new stages of a file in their order, dragged into
//! another before importing, and the board's columns in that order.

use std::path::Path;

use egui::accesskit::Role;
use egui::vec2;
use egui_kittest::kittest::Queryable as _;

use crate::list::{import_file, open_import};
use crate::{Fixture, harness, label};

/// Asserts the wizard lists the stages `names` from top to bottom, by their drag handles.
fn listed_in_order(harness: &egui_kittest::Harness<'static, forsat_ui::App>, names: &[&str]) {
    let tops: Vec<f32> = names
        .iter()
        .map(|name| {
            harness
                .get_by_role_and_label(Role::Button, &format!("Drag {name} to reorder"))
                .rect()
                .top()
        })
        .collect();
    assert!(
        tops.windows(2).all(|t| t[0] < t[1]),
        "{names:?} at {tops:?}"
    );
}

#[test]
fn new_stages_show_in_pipedrives_order_and_a_dragged_one_makes_the_boards_order() {
    let fixture = Fixture::two_deals();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../forsat-app/tests/fixtures/interchange/hist-pipedrive.csv");
    let mut harness = harness(&fixture.path);
    open_import(&mut harness);
    import_file(&mut harness, &file);
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    label(&harness, "New stages, in their order on the board");
    label(&harness, "Pipeline “Pipeline”");
    label(&harness, "Then the closing stages: Won, Lost");

    // The file names Proposal Made first and Contact Made fifth: shown in Pipedrive's order.
    let pipedrive = [
        "Lead In",
        "Contact Made",
        "Demo Scheduled",
        "Proposal Made",
        "Negotiations Started",
    ];
    listed_in_order(&harness, &pipedrive);

    // Drag Negotiations Started by its handle to just above the middle of Contact Made.
    let from = harness
        .get_by_role_and_label(Role::Button, "Drag Negotiations Started to reorder")
        .rect()
        .center();
    let contact = harness
        .get_by_role_and_label(Role::Button, "Drag Contact Made to reorder")
        .rect()
        .center();
    crate::board::drag(&mut harness, from, contact - vec2(0.0, 6.0));
    let dragged = [
        "Lead In",
        "Negotiations Started",
        "Contact Made",
        "Demo Scheduled",
        "Proposal Made",
    ];
    listed_in_order(&harness, &dragged);
    // And an arrow: Proposal Made up, before Demo Scheduled.
    harness
        .get_by_role_and_label(Role::Button, "Move Proposal Made up")
        .click();
    harness.run();
    let chosen = [
        "Lead In",
        "Negotiations Started",
        "Contact Made",
        "Proposal Made",
        "Demo Scheduled",
    ];
    listed_in_order(&harness, &chosen);

    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.opportunity_count(), 2 + 9);
    let open = crate::stages::open_stage_names(ws, "Pipeline");
    assert_eq!(open, chosen);

    // The board of the new pipeline has its columns in that order.
    harness.get_by_label("Pipeline shown").click();
    crate::settle(&mut harness);
    // The view's own "Pipeline" button is in the top bar; the pipeline is in the list below.
    harness
        .get_all_by_label("Pipeline")
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .click();
    harness.run();
    let lefts: Vec<f32> = chosen
        .iter()
        .map(|name| label(&harness, name).rect().left())
        .collect();
    assert!(
        lefts.windows(2).all(|x| x[0] < x[1]),
        "columns at {lefts:?}"
    );
}
