//! Accounts, Leads and Activities as a hurried user edits them: switching records with unsaved
//! edits, the keys every form answers, rows that stay under the pointer, right to left.

use chrono::NaiveDate;
use egui::accesskit::{Role, Toggled};
use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{
    Account, Activity, ActivityKind, ActivityLink, Contact, Language, Lead, Record,
};
use forsat_ui::App;

use crate::{Fixture, deal, harness, label, settle};

const NORDWIND: &str = "Nordwind GmbH";
const CAFE: &str = "Café Müller";

fn click_button(harness: &mut Harness<'_, App>, name: &str) {
    harness.get_by_role_and_label(Role::Button, name).click();
    harness.run();
}

/// Clicks into the field named `name` and types `text` at its end, as a person does.
fn click_and_type(harness: &mut Harness<'_, App>, name: &str, text: &str) {
    harness.get_by_label(name).click();
    harness.run();
    harness.get_by_label(name).type_text(text);
    harness.run();
}

/// A press and release at `at`, the pointer staying there afterwards (as a mouse does;
/// `drop_at` would take the pointer off the window).
fn click_at(harness: &mut Harness<'_, App>, at: Pos2) {
    harness.hover_at(at);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run();
    }
}

fn open_account(harness: &mut Harness<'_, App>, name: &str) {
    click_button(harness, "Accounts");
    harness.get_by_role_and_label(Role::ListItem, name).click();
    harness.run();
}

fn field(harness: &Harness<'_, App>, name: &str) -> String {
    harness.get_by_label(name).value().unwrap_or_default()
}

fn selected(harness: &Harness<'_, App>, name: &str) -> bool {
    harness
        .get_by_role_and_label(Role::ListItem, name)
        .accesskit_node()
        .toggled()
        == Some(Toggled::True)
}

fn put(ws: &mut Workspace, records: Vec<Record>) {
    ws.apply(Command::Change(Box::new(Change {
        put: records,
        ..Change::default()
    })))
    .unwrap();
}

fn activity(summary: &str, due: NaiveDate, link: ActivityLink) -> Record {
    Record::Activity(Activity::planned(
        ActivityKind::Call,
        summary.into(),
        due,
        link,
    ))
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

#[test]
fn another_account_picked_with_unsaved_edits_asks_and_keeps_saves_or_discards_them() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, NORDWIND);
    click_and_type(&mut harness, "Phone", "+49 40 555 0101");
    label(&harness, "Unsaved changes");

    // Keep editing: Nordwind stays with the typing.
    harness.get_by_role_and_label(Role::ListItem, CAFE).click();
    settle(&mut harness);
    label(&harness, "Nordwind GmbH has changes that are not saved.");
    click_button(&mut harness, "Keep editing");
    settle(&mut harness);
    assert!(harness.query_by_label("Keep editing").is_none());
    assert_eq!(field(&harness, "Phone"), "+49 40 555 0101");
    assert!(selected(&harness, NORDWIND));

    // Save: the phone is written and Café Müller shows.
    harness.get_by_role_and_label(Role::ListItem, CAFE).click();
    settle(&mut harness);
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    assert!(selected(&harness, CAFE));
    assert_eq!(field(&harness, "Name"), CAFE);

    // Another view with an unsaved edit asks too; Discard drops it and goes there.
    click_and_type(&mut harness, "Industry", "Coffee");
    click_button(&mut harness, "Pipeline");
    settle(&mut harness);
    label(&harness, "Café Müller has changes that are not saved.");
    click_button(&mut harness, "Discard changes");
    settle(&mut harness);
    crate::card(&harness, "Café Müller – espresso machines");
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(
        ws.account_by_name(NORDWIND).unwrap().phone,
        "+49 40 555 0101"
    );
    assert_eq!(ws.account_by_name(CAFE).unwrap().industry, "");
}

#[test]
fn enter_creates_an_account_shown_by_its_id_and_escape_asks_before_closing_an_edit() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Accounts");
    click_button(&mut harness, "New account");
    // A name another account already starts with: found by the created id, not by name.
    click_and_type(&mut harness, "Name", "Nordwind");
    harness.key_press(Key::Enter);
    harness.run();
    harness.run();
    assert!(selected(&harness, "Nordwind"), "the new account is shown");
    assert_eq!(field(&harness, "Name"), "Nordwind");
    assert!(harness.query_by_label("Unsaved changes").is_none());

    // Ctrl+Enter saves from a many-line field; Escape on a clean form asks nothing.
    click_and_type(&mut harness, "Notes", "Sister company of Nordwind GmbH");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());

    // Escape on an edited form asks; Discard puts the stored text back.
    click_and_type(&mut harness, "Website", "nordwind.example");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    label(&harness, "Nordwind has changes that are not saved.");
    click_button(&mut harness, "Discard changes");
    settle(&mut harness);
    assert_eq!(field(&harness, "Website"), "");
    drop(harness);
    let ws = fixture.reopen();
    let created = ws.accounts().filter(|a| a.name == "Nordwind").count();
    assert_eq!(created, 1, "saved once");
    let account = ws.account_by_name("Nordwind").unwrap();
    assert_eq!(account.notes, "Sister company of Nordwind GmbH");
    assert_eq!(account.website, "");
}

#[test]
fn a_phone_that_is_not_a_number_is_refused_with_the_field_and_value_named() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, NORDWIND);
    click_and_type(&mut harness, "Phone", "abc");
    click_button(&mut harness, "Save account");
    let message =
        "“abc” is not a phone number (digits, spaces, + ( ) - . and an extension like “ext. 12”)";
    label(&harness, message);
    assert_eq!(field(&harness, "Phone"), "abc", "the typing stays to fix");

    // A contact's phone and a lead's are checked the same way.
    click_and_type(&mut harness, "New contact name", "Jana Novák");
    click_and_type(&mut harness, "New contact phone", "ring me");
    click_button(&mut harness, "Add contact");
    label(
        &harness,
        "Phone: “ring me” is not a phone number (digits, spaces, + ( ) - . and an extension like “ext. 12”)",
    );
    harness.get_by_label("Revert").click();
    harness.run();
    click_button(&mut harness, "Leads");
    click_button(&mut harness, "New lead");
    click_and_type(&mut harness, "Name", "Fleet tracking");
    click_and_type(&mut harness, "Phone", "n/a");
    click_button(&mut harness, "Save");
    label(
        &harness,
        "“n/a” is not a phone number (digits, spaces, + ( ) - . and an extension like “ext. 12”)",
    );
    drop(harness);
    let ws = fixture.reopen();
    assert_eq!(ws.account_by_name(NORDWIND).unwrap().phone, "");
    assert_eq!(ws.leads().count(), 0);
    assert!(
        ws.contacts_of(ws.account_by_name(NORDWIND).unwrap().id)
            .is_empty()
    );
}

#[test]
fn an_account_counts_and_lists_the_activities_of_its_deals_with_exact_amounts() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let opp = deal(&ws, "Nordwind – fleet renewal").id;
    put(
        &mut ws,
        vec![activity(
            "Call about the fleet",
            day(25),
            ActivityLink::Opportunity(opp),
        )],
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, NORDWIND);
    label(&harness, "1 deal · 0 contacts · 1 activity");
    harness.get_by_label_contains("Activities (1)");
    label(&harness, "Call about the fleet");
    // Money on a detail page is exact, to the cent, on every line.
    label(&harness, "$40,000.00");
    label(&harness, "Open: 1 · $40,000.00");
}

#[test]
fn account_names_sort_in_natural_order() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let names = ["Co. 100", "Co. 11", "Co. 9", "Co. 101", "Co. 10"];
    let accounts = names
        .iter()
        .map(|name| {
            Record::Account(Account {
                name: (*name).into(),
                ..Account::default()
            })
        })
        .collect();
    put(&mut ws, accounts);
    drop(ws);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Accounts");
    let mut rows: Vec<(f32, String)> = harness
        .query_all_by_role(Role::ListItem)
        .map(|n| {
            (
                n.rect().top(),
                n.accesskit_node().label().unwrap_or_default(),
            )
        })
        .filter(|(_, name)| name.starts_with("Co. "))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let order: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(order, ["Co. 9", "Co. 10", "Co. 11", "Co. 100", "Co. 101"]);
}

#[test]
fn add_contact_stays_under_the_pointer_and_a_second_click_deletes_nothing_more() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let nordwind = ws.account_by_name(NORDWIND).unwrap().id;
    let contact = |name: &str| {
        Record::Contact(Contact {
            id: 0,
            account: nordwind,
            name: name.into(),
            role: "Buyer".into(),
            email: String::new(),
            phone: String::new(),
            ..Default::default()
        })
    };
    put(&mut ws, vec![contact("Anna Berg"), contact("Anne Borg")]);
    drop(ws);
    let mut harness = harness(&fixture.path);
    open_account(&mut harness, NORDWIND);

    // After "Add contact", the button is still where the pointer is: no row slid under it.
    click_and_type(&mut harness, "New contact name", "Jana Novák");
    let add = harness.get_by_label("Add contact").rect().center();
    click_at(&mut harness, add);
    harness.run();
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.contacts_of(nordwind).len(), 3);
    assert!(harness.get_by_label("Add contact").rect().contains(add));
    for name in ["Anna Berg", "Anne Borg", "Jana Novák"] {
        let delete = harness.get_by_label(&format!("Delete {name}")).rect();
        assert!(
            !delete.contains(add),
            "{name}'s Delete is under the pointer"
        );
    }
    assert_eq!(field(&harness, "New contact name"), "");

    // A double click on Delete deletes one contact: the next row's Delete waits for a move.
    let delete = harness.get_by_label("Delete Anna Berg").rect().center();
    click_at(&mut harness, delete);
    click_at(&mut harness, delete);
    let ws = harness.state().workspace().unwrap();
    let left: Vec<&str> = ws
        .contacts_of(nordwind)
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(left.len(), 2, "one deleted: {left:?}");
    assert!(!left.contains(&"Anna Berg"));
    drop(harness);
    assert_eq!(fixture.reopen().contacts_of(nordwind).len(), 2);
}

#[test]
fn a_double_click_on_done_closes_one_activity_and_its_row_stays_struck_through() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let opp = deal(&ws, "Nordwind – fleet renewal").id;
    put(
        &mut ws,
        vec![
            activity(
                "Call about the fleet",
                day(17),
                ActivityLink::Opportunity(opp),
            ),
            activity("Send the brochure", day(18), ActivityLink::Opportunity(opp)),
        ],
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Activities");
    label(&harness, "Overdue (2)");
    let done = harness
        .get_by_label("Mark “Call about the fleet” done")
        .rect()
        .center();
    click_at(&mut harness, done);
    click_at(&mut harness, done);
    let ws = harness.state().workspace().unwrap();
    let states: Vec<(&str, bool)> = ws
        .activities_of(ActivityLink::Opportunity(opp))
        .iter()
        .map(|a| (a.summary.as_str(), a.done))
        .collect();
    assert_eq!(
        states,
        [("Send the brochure", false), ("Call about the fleet", true)]
    );
    // The done row stays in place; the next one's Done is where it was.
    label(&harness, "Overdue (1)");
    harness.get_by_label("Edit activity Call about the fleet");
    let next = harness.get_by_label("Mark “Send the brochure” done").rect();
    assert!(!next.contains(done));
    click_button(&mut harness, "Hide done (1)");
    assert!(
        harness
            .query_by_label("Edit activity Call about the fleet")
            .is_none()
    );
    drop(harness);
    let ws = fixture.reopen();
    let open: Vec<String> = ws
        .open_activities()
        .into_iter()
        .map(|o| o.activity.summary)
        .collect();
    assert_eq!(open, ["Send the brochure"]);
}

#[test]
fn a_lead_edit_asks_before_another_lead_and_ctrl_enter_saves_a_new_one_shown_by_its_id() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.reopen();
    let lead = |name: &str| {
        Record::Lead(Lead {
            name: name.into(),
            company: NORDWIND.into(),
            ..Lead::default()
        })
    };
    put(
        &mut ws,
        vec![lead("Fleet tracking"), lead("Fleet tracking 2")],
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "Leads");
    click_button(&mut harness, "Fleet tracking");
    click_and_type(&mut harness, "Contact name", "Jonas Berg");
    label(&harness, "Unsaved changes");
    click_button(&mut harness, "Fleet tracking 2");
    settle(&mut harness);
    label(&harness, "Fleet tracking has changes that are not saved.");
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    assert_eq!(field(&harness, "Name"), "Fleet tracking 2");

    // New, typed, Ctrl+Enter: the form shows the new lead as stored (not the newest by id).
    click_button(&mut harness, "New lead");
    click_and_type(&mut harness, "Name", "Fleet tracking");
    click_and_type(&mut harness, "Company", "Café Müller");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    assert_eq!(field(&harness, "Company"), "Café Müller");
    harness.get_by_label("Delete lead…");

    // Escape with an edit asks; Keep editing keeps it, the window's other views ask too.
    click_and_type(&mut harness, "Notes", "Met at the fair");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    click_button(&mut harness, "Keep editing");
    settle(&mut harness);
    assert_eq!(field(&harness, "Notes"), "Met at the fair");
    click_button(&mut harness, "Accounts");
    settle(&mut harness);
    click_button(&mut harness, "Save changes");
    settle(&mut harness);
    harness.get_by_role_and_label(Role::ListItem, NORDWIND);
    drop(harness);
    let ws = fixture.reopen();
    let first = ws.leads().find(|l| l.name == "Fleet tracking").unwrap();
    assert_eq!(first.contact_name, "Jonas Berg");
    let new = ws.leads().find(|l| l.company == "Café Müller").unwrap();
    assert_eq!(new.name, "Fleet tracking");
    assert_eq!(new.notes, "Met at the fair");
}

#[test]
fn an_undo_elsewhere_keeps_the_account_draft_being_typed() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let from = crate::card(&harness, "Café Müller – espresso machines")
        .rect()
        .center();
    let plus = harness.get_by_label("New deal in Proposition").rect();
    crate::board::drag(
        &mut harness,
        from,
        Pos2::new(plus.center().x - 100.0, plus.bottom() + 300.0),
    );
    open_account(&mut harness, CAFE);
    click_and_type(&mut harness, "Industry", "Coffee machines");
    // The Undo button, with the pointer: the move goes back, the typing stays.
    harness.get_by_label("Undo").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let stage = deal(ws, "Café Müller – espresso machines").stage;
    assert_eq!(stage, crate::stage_id(ws, "New"));
    assert_eq!(field(&harness, "Industry"), "Coffee machines");
    label(&harness, "Unsaved changes");
}

#[test]
fn persian_account_and_lead_forms_put_their_labels_at_the_right() {
    let fixture = Fixture::two_deals();
    let mut ws = fixture.with_language(Language::Persian);
    put(
        &mut ws,
        vec![Record::Lead(Lead {
            name: "ردیابی ناوگان".into(),
            ..Lead::default()
        })],
    );
    drop(ws);
    let mut harness = harness(&fixture.path);
    click_button(&mut harness, "حساب‌ها");
    for name in ["نام", "تلفن", "صنعت"] {
        let text = label(&harness, name).rect();
        let input = harness.get_by_role_and_label(Role::TextInput, name).rect();
        assert!(
            text.left() > input.right() - 1.0,
            "{name}: the label {text:?} is right of its field {input:?}"
        );
    }
    click_button(&mut harness, "سرنخ‌ها");
    let text = label(&harness, "تلفن").rect();
    let input = harness
        .get_by_role_and_label(Role::TextInput, "تلفن")
        .rect();
    assert!(text.left() > input.right() - 1.0, "{text:?} {input:?}");
}
