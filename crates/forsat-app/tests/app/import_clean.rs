//! Imports of the other systems' exports that need repairs: line breaks in one-line fields,
//! contacts with their email and phone, Odoo's sales teams, HTML notes and tags. Each repair is
//! named in the summary; what cannot be repaired is refused at its row, column and value.

use forsat_app::interchange::{self, ImportOptions, ImportSummary, Source};
use forsat_app::workspace::Workspace;
use forsat_core::domain::{Contact, LookupKind, Record};
use std::fmt::Write as _;
use tempfile::TempDir;

use super::interchange::{bad_cells, deal, dec, fixture, fresh, owner, stage_name};

fn import(ws: &mut Workspace, bytes: &[u8]) -> ImportSummary {
    interchange::import(ws, bytes, &ImportOptions::default()).unwrap()
}

/// Options importing the good rows and reporting the bad ones.
fn skipping() -> ImportOptions {
    ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    }
}

/// A contact's name, email and phone.
fn details(contact: &Contact) -> (&str, &str, &str) {
    (&contact.name, &contact.email, &contact.phone)
}

fn notes(summary: &ImportSummary) -> String {
    summary.messages.join("\n")
}

/// Fails unless the summary's notes say each of `expected`.
fn assert_says(summary: &ImportSummary, expected: &[&str]) {
    let said = notes(summary);
    for note in expected {
        assert!(said.contains(note), "{note}\nnot in:\n{said}");
    }
}

#[test]
fn multi_line_names_in_odoo_pipedrive_and_suitecrm_exports_import_whole_joined_and_counted() {
    let dir = TempDir::new().unwrap();

    let mut ws = fresh(&dir, "odoo.redb");
    let summary = import(&mut ws, &fixture("clean-odoo-multiline.csv"));
    assert_eq!(
        (summary.format, summary.rows, summary.deals),
        (Source::Odoo, 5, 5)
    );
    assert_says(
        &summary,
        &[
            "4 values of Name (column “Opportunity”) had line breaks or tabs: joined with a space",
            "1 value of Contact (column “Contact Name”) had line breaks",
            "1 value of Account (column “Customer”) had line breaks or tabs",
        ],
    );
    for name in [
        "Office Design Phase 2",
        "فروش سرور و نصب",
        "Café \"Le Zinc\" machines",
        "Quote for racks",
        "Plain deal",
    ] {
        deal(&ws, name);
    }
    let persian = deal(&ws, "فروش سرور و نصب");
    assert_eq!(
        ws.contact(persian.contact.unwrap()).unwrap().name,
        "مریم حسینی"
    );
    let cafe = deal(&ws, "Café \"Le Zinc\" machines");
    assert_eq!(ws.account(cafe.account).unwrap().name, "Société Générale");
    let tags: Vec<&str> = cafe.tags.iter().map(|t| ws.lookup_name(Some(*t))).collect();
    assert_eq!(tags, ["VIP", "Renewal"]);
    // Multi-line fields keep their line breaks.
    assert_eq!(
        deal(&ws, "Office Design Phase 2").description,
        "Two floors\nopen plan"
    );

    let mut ws = fresh(&dir, "pipedrive.redb");
    let summary = import(&mut ws, &fixture("clean-pipedrive-multiline.csv"));
    assert_eq!((summary.format, summary.deals), (Source::Pipedrive, 4));
    assert_says(
        &summary,
        &[
            "3 values of Name (column “Deal - Title”) had line breaks or tabs",
            "1 value of Salesperson (column “Deal - Owner”) had line breaks",
        ],
    );
    let fleet = deal(&ws, "Fleet \"XL\" order");
    assert_eq!(stage_name(&ws, fleet), "Qualified");
    deal(&ws, "قرارداد پشتیبانی");
    let trucks = deal(&ws, "Trucks, vans and trailers");
    assert_eq!(stage_name(&ws, trucks), "Won");
    // “Jane\nRoe” is the same salesperson as “Jane Roe”: one lookup.
    assert_eq!(owner(&ws, deal(&ws, "قرارداد پشتیبانی")), "Jane Roe");
    assert_eq!(ws.all_lookups(LookupKind::Salesperson).len(), 1);

    let mut ws = fresh(&dir, "suitecrm.redb");
    let summary = import(&mut ws, &fixture("clean-suitecrm-multiline.csv"));
    assert_eq!((summary.format, summary.deals), (Source::Suitecrm, 3));
    assert_says(
        &summary,
        &[
            "2 values of Name (column “Opportunity Name”) had line breaks",
            "1 value of Next step (column “Next Step”) had line breaks",
        ],
    );
    let hosting = deal(&ws, "Hosting \"Gold\" renewal");
    assert_eq!(hosting.next_step, "Call back on Monday");
    assert_eq!(hosting.description, "Line one\nline two");
    assert_eq!(ws.account(hosting.account).unwrap().name, "Müller GmbH");
    assert_eq!(hosting.amount, dec("1500"));
    deal(&ws, "نرم‌افزار حسابداری");
}

#[test]
fn skipping_bad_rows_keeps_multi_line_names_and_drops_only_what_cannot_be_repaired() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    // An escape sequence is no line break: nobody can say what the name was meant to be.
    let mut text = String::from_utf8(fixture("clean-pipedrive-multiline.csv")).unwrap();
    text.push_str("\"15\",\"Screen\u{1b}[2J\",\"Acme\",\"\",\"10\",\"USD\",\"Sales\",\"Qualified\",\"open\",\"Jane Roe\",\"2027-01-31\",\"\"\r\n");
    let errors = bad_cells(interchange::import(
        &mut ws,
        text.as_bytes(),
        &ImportOptions::default(),
    ));
    assert_eq!(
        errors,
        [
            "row 6, Deal - Title “Screen\\u{1b}[2J”: must not contain control characters (invisible codes, tabs or line breaks)"
        ]
    );
    assert_eq!(ws.opportunity_count(), 0);
    let summary = interchange::import(&mut ws, text.as_bytes(), &skipping()).unwrap();
    assert_eq!((summary.deals, summary.skipped_rows), (4, 1));
    deal(&ws, "Fleet \"XL\" order");
    deal(&ws, "Trucks, vans and trailers");
    assert!(
        notes(&summary).contains("3 values of Name (column “Deal - Title”) had line breaks"),
        "{}",
        notes(&summary)
    );
}

fn contact_of<'a>(ws: &'a Workspace, deal_name: &str) -> &'a Contact {
    let id = deal(ws, deal_name).contact.expect("a contact");
    ws.contact(id).unwrap()
}

fn account_of<'a>(ws: &'a Workspace, deal_name: &str) -> &'a str {
    &ws.account(deal(ws, deal_name).account).unwrap().name
}

fn tags_of<'a>(ws: &'a Workspace, deal_name: &str) -> Vec<&'a str> {
    let opp = deal(ws, deal_name);
    opp.tags.iter().map(|t| ws.lookup_name(Some(*t))).collect()
}

#[test]
fn an_odoo_export_brings_its_contacts_teams_html_notes_and_tags() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    // Gemini Furniture and Edwin Hansen are already known, with another email.
    let existing = super::create(&mut ws, "Gemini Furniture", "Existing deal", "100");
    let gemini = ws.opportunity(existing).unwrap().account;
    ws.apply(forsat_core::command::Command::Change(Box::new(
        forsat_core::command::Change::put(Record::Contact(Contact {
            id: 0,
            account: gemini,
            name: "Edwin Hansen".into(),
            role: "Buyer".into(),
            email: "edwin@gemini.example".into(),
            phone: String::new(),
            ..Default::default()
        })),
    )))
    .unwrap();
    let edwin = ws.contacts_of(gemini)[0].id;

    let summary = import(&mut ws, &fixture("clean-odoo-contacts.csv"));
    assert_eq!((summary.format, summary.deals), (Source::Odoo, 6));
    assert_eq!(summary.contacts, 4, "Willie, Maryam, Chloé and info@");
    assert_eq!(summary.pipelines, 1, "the Middle East team");
    assert_says(
        &summary,
        &[
            "column “Sales Team”: each deal's sales team is its pipeline",
            "new pipeline “Middle East”",
            "1 customer was written “Company, Contact” (as Odoo names a company's contact): the company taken as the account",
            "1 email was written with a name (“Name <address>”): the address kept",
            "1 row has more than one Contact's email for its contact: the first kept",
            "1 row has more than one Contact's phone for its contact: the first kept",
            "1 contact has no name but an email or a phone: named by it",
            "3 values of Description (column “Notes”) were HTML: made text",
            "1 row names a contact by an email that a contact of the account with another name has: the deal has that contact",
            "1 contact already in Forsat keeps its own email and phone, though the file writes others: “Edwin Hansen”",
        ],
    );

    // “Deco Addict, Willie Burke” is Willie Burke of Deco Addict.
    assert_eq!(account_of(&ws, "Office Design Phase 2"), "Deco Addict");
    let willie = contact_of(&ws, "Office Design Phase 2");
    assert_eq!(
        details(willie),
        ("Willie Burke", "willie.burke@example.com", "+1 555-0100")
    );
    // Found by email, case ignored, though the file calls him W. Burke.
    assert_eq!(contact_of(&ws, "Chairs for Deco").id, willie.id);
    assert_eq!(
        deal(&ws, "Office Design Phase 2").description,
        "Two floors\nopen plan & kitchen"
    );
    assert_eq!(tags_of(&ws, "Office Design Phase 2"), ["Design", "Office"]);

    // The company name of a deal without a customer, the address out of “Name <address>”,
    // the mobile when there is no phone, the team as the pipeline, the HTML as lines.
    let persian = deal(&ws, "فروش سرور");
    assert_eq!(account_of(&ws, "فروش سرور"), "شرکت آریا");
    let maryam = contact_of(&ws, "فروش سرور");
    assert_eq!(
        details(maryam),
        ("مریم حسینی", "maryam@arya.example", "+98 912 345 6789")
    );
    let pipeline = ws
        .pipelines()
        .iter()
        .find(|p| p.id == persian.pipeline)
        .unwrap();
    assert_eq!(pipeline.name, "Middle East");
    assert_eq!(stage_name(&ws, persian), "Proposition");
    assert_eq!(
        persian.description,
        "تماس دوباره\nپنجشنبه\nپیش‌فاکتور\nنمایش «دمو»"
    );
    assert_eq!(tags_of(&ws, "فروش سرور"), ["آموزش", "Service"]);
    assert_eq!(
        deal(&ws, "Office Design Phase 2").pipeline,
        ws.default_pipeline().id,
        "the Sales team is the stored Sales pipeline"
    );

    // Two addresses and two numbers: the first of each.
    let chloe = contact_of(&ws, "Café machines");
    assert_eq!(
        details(chloe),
        (
            "Chloé Bernard",
            "chloe.bernard@sg.example",
            "01 42 68 53 00"
        )
    );
    assert_eq!(
        deal(&ws, "Café machines").description,
        "Livraison à l'étage étage 3"
    );
    // Known by an address alone; a text note that only mentions “<” stays as written.
    let info = contact_of(&ws, "Website redesign");
    assert_eq!(
        details(info),
        ("info@azure.example", "info@azure.example", "")
    );
    assert_eq!(
        deal(&ws, "Website redesign").description,
        "Plain text note, not HTML: 3 < 5"
    );
    // A stored contact keeps what it had.
    let kept = contact_of(&ws, "Standing desks");
    assert_eq!(kept.id, edwin);
    assert_eq!(
        (kept.email.as_str(), kept.phone.as_str(), kept.role.as_str()),
        ("edwin@gemini.example", "", "Buyer")
    );
}

#[test]
fn a_pipedrive_export_brings_its_persons_and_several_labels() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let summary = import(&mut ws, &fixture("clean-pipedrive-contacts.csv"));
    assert_eq!((summary.format, summary.deals), (Source::Pipedrive, 4));
    assert_eq!(summary.contacts, 2);
    assert_says(
        &summary,
        &["2 rows have more than one Contact's phone for their contact: the first kept"],
    );
    assert!(!notes(&summary).contains("Contact's email for"));
    let asa = contact_of(&ws, "Fleet order");
    assert_eq!(
        details(asa),
        ("Åsa Lindqvist", "asa@orsted.example", "+45 70 10 20 30")
    );
    assert_eq!(contact_of(&ws, "Fleet \"XL\" follow-up").id, asa.id);
    // The home address when there is no work one; the first of two numbers in one cell.
    let reza = contact_of(&ws, "Support contract");
    assert_eq!(
        (reza.email.as_str(), reza.phone.as_str()),
        ("reza@arya.example", "0912 345 6789")
    );
    assert_eq!(account_of(&ws, "Support contract"), "شرکت آریا");
    assert_eq!(deal(&ws, "No person").contact, None);
    assert_eq!(tags_of(&ws, "Fleet order"), ["Hot", "Big", "VIP"]);
    assert_eq!(tags_of(&ws, "Support contract"), ["پشتیبانی"]);
    assert_eq!(tags_of(&ws, "Fleet \"XL\" follow-up"), ["Hot"]);
}

#[test]
fn bad_emails_and_phones_are_refused_at_their_row_column_and_value() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let bytes = fixture("clean-odoo-bad-contacts.csv");
    let errors = bad_cells(interchange::import(
        &mut ws,
        &bytes,
        &ImportOptions::default(),
    ));
    assert_eq!(
        errors,
        [
            "row 3, Email “willie-at-example.com”: “willie-at-example.com” is not an email address",
            "row 4, Phone “call me maybe”: “call me maybe” is not a phone number (digits, spaces, + ( ) - . and an extension like “ext. 12”)",
            "row 5, Email “brandon@azure.example; not an address”: “not an address” is not an email address",
        ]
    );
    assert_eq!(ws.opportunity_count(), 0);
    let summary = interchange::import(&mut ws, &bytes, &skipping()).unwrap();
    assert_eq!(
        (summary.deals, summary.skipped_rows, summary.contacts),
        (1, 3, 1)
    );
    assert_eq!(
        contact_of(&ws, "Good one").email,
        "willie.burke@example.com"
    );
}

#[test]
fn a_generated_odoo_export_with_multi_line_names_html_notes_and_emails_imports_whole() {
    const ROWS: usize = 3000;
    let names = [
        "Office Design",
        "فروش سرور",
        "Café \"Le Zinc\"",
        "Núñez & Hijos",
    ];
    let mut text = String::from(
        "\"Opportunity\",\"Customer\",\"Contact Name\",\"Email\",\"Stage\",\"Expected Revenue\",\"Notes\"\r\n",
    );
    for n in 0..ROWS {
        let name = names[n % names.len()].replace('"', "\"\"");
        // Every third name has a line break, every fifth note is HTML.
        let name = if n % 3 == 0 {
            format!("{name}\n#{n}")
        } else {
            format!("{name} #{n}")
        };
        let notes = if n % 5 == 0 {
            "<p>Call back<br>Thursday</p><ul><li>Quote &amp; demo</li></ul>"
        } else {
            ""
        };
        write!(text,
            "\"{name}\",\"Account {a}\",\"Person {p}\",\"person{p}@example.com\",\"New\",\"{n}.50\",\"{notes}\"\r\n",
            a = n % 40,
            p = n % 120,
        ).unwrap();
    }
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let started = std::time::Instant::now();
    let summary = import(&mut ws, text.as_bytes());
    eprintln!("{ROWS} rows imported in {:?}", started.elapsed());
    assert_eq!(summary.deals, ROWS);
    assert_eq!(summary.contacts, 120);
    assert_says(
        &summary,
        &[
            "1,000 values of Name (column “Opportunity”) had line breaks or tabs",
            "600 values of Description (column “Notes”) were HTML",
        ],
    );
    let first = deal(&ws, "Office Design #0");
    assert_eq!(first.description, "Call back\nThursday\nQuote & demo");
    let contact = ws.contact(first.contact.unwrap()).unwrap();
    assert_eq!(contact.email, "person0@example.com");
}
