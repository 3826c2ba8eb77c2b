//! Imports of the other systems' exports that need repairs: line breaks in one-line fields,
//! contacts with their email and phone, Odoo's sales teams, HTML notes and tags. Each repair is
//! named in the summary; what cannot be repaired is refused at its row, column and value.

use forsat::domain::*;
use forsat::interchange::{self, ImportOptions, ImportSummary, Source};
use forsat::workspace::Workspace;
use tempfile::TempDir;

use super::interchange::{bad_cells, deal, dec, fixture, fresh, owner, stage_name};

fn import(ws: &mut Workspace, bytes: &[u8]) -> ImportSummary {
    interchange::import(ws, bytes, &ImportOptions::default()).unwrap()
}

fn notes(summary: &ImportSummary) -> String {
    summary.messages.join("\n")
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
    let said = notes(&summary);
    assert!(
        said.contains(
            "4 values of Name (column “Opportunity”) had line breaks or tabs: joined with a space"
        ),
        "{said}"
    );
    assert!(
        said.contains("1 value of Contact (column “Contact Name”) had line breaks"),
        "{said}"
    );
    assert!(
        said.contains("1 value of Account (column “Customer”) had line breaks or tabs"),
        "{said}"
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
    let said = notes(&summary);
    assert!(
        said.contains("3 values of Name (column “Deal - Title”) had line breaks or tabs"),
        "{said}"
    );
    assert!(
        said.contains("1 value of Salesperson (column “Deal - Owner”) had line breaks"),
        "{said}"
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
    let said = notes(&summary);
    assert!(
        said.contains("2 values of Name (column “Opportunity Name”) had line breaks"),
        "{said}"
    );
    assert!(
        said.contains("1 value of Next step (column “Next Step”) had line breaks"),
        "{said}"
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
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let summary = interchange::import(&mut ws, text.as_bytes(), &options).unwrap();
    assert_eq!((summary.deals, summary.skipped_rows), (4, 1));
    deal(&ws, "Fleet \"XL\" order");
    deal(&ws, "Trucks, vans and trailers");
    assert!(
        notes(&summary).contains("3 values of Name (column “Deal - Title”) had line breaks"),
        "{}",
        notes(&summary)
    );
}
