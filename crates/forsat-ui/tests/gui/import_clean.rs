//! The import wizard with a file that needs repairs: a multi-line name, a contact's email
//! mapped by hand.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;

use crate::list::{check_disabled, import_wizard};
use crate::{deal, label};

#[test]
fn a_contacts_email_is_mapped_by_hand_and_a_multi_line_name_is_joined_and_said() {
    let (_fixture, mut harness) = import_wizard(
        "own.csv",
        "Deal,Firm,Person,Reach me at\r\n\
         \"Kiosk\r\nrollout\",Nordwind GmbH,Åsa Lindqvist,asa@nordwind.example\r\n",
    );
    assert!(check_disabled(&harness), "no account yet");
    // What a person does: open each column's list and pick what it holds.
    for (column, target) in [
        ("Firm", "Account"),
        ("Person", "Contact"),
        ("Reach me at", "Contact's email"),
    ] {
        harness
            .get_by_role_and_label(Role::ComboBox, column)
            .click();
        harness.run();
        harness.get_by_role_and_label(Role::Button, target).click();
        harness.run();
    }
    harness.get_by_role_and_label(Role::Button, "Check").click();
    harness.run();
    label(
        &harness,
        "Forsat: 1 deals from 1 rows; 0 new accounts, 1 contacts, 0 list values, 0 stages.",
    );
    label(
        &harness,
        "1 value of Name (column “Deal”) had line breaks or tabs: joined with a space",
    );
    harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let kiosk = deal(ws, "Kiosk rollout");
    let contact = ws.contact(kiosk.contact.unwrap()).unwrap();
    assert_eq!(
        (contact.name.as_str(), contact.email.as_str()),
        ("Åsa Lindqvist", "asa@nordwind.example")
    );
}
