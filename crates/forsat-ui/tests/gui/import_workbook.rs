//! The import wizard reads a workbook (.xlsx) as it reads a CSV.

use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::list::{check_then_import, import_file, open_import};
use crate::{Fixture, deal, harness, label};

/// A Pipedrive deals export as Pipedrive writes its .xlsx: a bold header, values as numbers,
/// the expected close as a date cell.
fn pipedrive_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let headers = [
        "Deal - Title",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Stage",
        "Deal - Status",
        "Deal - Organization",
        "Deal - Expected close date",
    ];
    for (c, h) in (0..).zip(headers) {
        sheet.write_string_with_format(0, c, h, &bold).unwrap();
    }
    let rows = [
        ("Fleet tablets", 12_000.0, "Qualified", "Nordwind GmbH", 15),
        ("Café renovation", 4_500.5, "New", "Café Müller", 20),
    ];
    for ((title, value, stage, org, day), r) in rows.into_iter().zip(1..) {
        sheet.write_string(r, 0, title).unwrap();
        sheet.write_number(r, 1, value).unwrap();
        sheet.write_string(r, 2, "USD").unwrap();
        sheet.write_string(r, 3, stage).unwrap();
        sheet.write_string(r, 4, "open").unwrap();
        sheet.write_string(r, 5, org).unwrap();
        let at = ExcelDateTime::from_ymd(2027, 1, day).unwrap();
        sheet.write_datetime_with_format(r, 6, &at, &date).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_file_is_mapped_checked_and_imported_in_the_wizard() {
    let fixture = Fixture::two_deals();
    let file = fixture.path.with_file_name("deals.xlsx");
    std::fs::write(&file, pipedrive_xlsx()).unwrap();
    let mut harness = harness(&fixture.path);
    open_import(&mut harness);
    import_file(&mut harness, &file);
    label(
        &harness,
        "Pipedrive file, 2 rows. Check what each column holds; columns marked “Not imported” are left out.",
    );
    // The mapping step shows the cells as the sheet shows them: numbers without ".0", the
    // date cells as dates.
    label(&harness, "12000 · 4500.5");
    label(&harness, "2027-01-15 · 2027-01-20");
    check_then_import(
        &mut harness,
        &[
            "Pipedrive: 2 deals from 2 rows; 0 new accounts, 0 contacts, 0 list values, 0 stages.",
            "read sheet “Sheet1” of the workbook",
        ],
    );
    let ws = harness.state().workspace().unwrap();
    assert_eq!(ws.opportunity_count(), 4);
    let cafe = deal(ws, "Café renovation");
    assert_eq!(cafe.amount, "4500.5".parse::<Decimal>().unwrap());
    assert_eq!(
        cafe.expected_close,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 20)
    );
    label(&harness, "Imported 2 deals (Undo takes them back).");
}
