//! Workbooks import as their CSV does (Odoo and Pipedrive export .xlsx by default), and a
//! Forsat export brings its currencies into a new file.

use chrono::NaiveDate;
use forsat_app::interchange::{self, Format, ImportError, ImportOptions, ImportSummary, Kind};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Currency, Record, StageKind};
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
use tempfile::TempDir;

use super::open;

/// A cell as an exporting system writes it: typed in its workbook, as text in its CSV.
#[derive(Clone, Copy)]
enum V {
    T(&'static str),
    N(f64),
    /// A number whose binary value is not what the spreadsheet shows: the CSV has the shown.
    Shown(f64, &'static str),
    /// A date cell (`yyyy-mm-dd`).
    D(u16, u8, u8),
    /// A date-and-time cell (`yyyy-mm-dd hh:mm:ss`).
    At(u16, u8, u8, u8, u8, u8),
    B(bool),
    Empty,
}

/// The CSV text the system writes for `rows` under `headers`: numbers plain, dates ISO,
/// moments `yyyy-mm-dd hh:mm:ss`, booleans `True` / `False` (Odoo's spelling).
fn as_csv(headers: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(headers).unwrap();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| match *v {
                V::T(text) => text.to_owned(),
                V::N(x) => x.to_string(),
                V::Shown(_, shown) => shown.to_owned(),
                V::D(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
                V::At(y, m, d, h, mi, s) => {
                    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
                }
                V::B(b) => if b { "True" } else { "False" }.to_owned(),
                V::Empty => String::new(),
            })
            .collect();
        out.write_record(&cells).unwrap();
    }
    out.into_inner().unwrap()
}

/// The workbook the system writes: a bold header row, text cells wrapped, numbers as numbers
/// (`#,##0.00`), dates and moments as date cells, booleans as booleans; `above` rows (a title
/// and a blank line) before the header when asked.
fn as_xlsx(sheet: &str, headers: &[&str], rows: &[Vec<V>], title: Option<&str>) -> Vec<u8> {
    let mut book = Workbook::new();
    add_sheet(&mut book, sheet, headers, rows, title);
    book.save_to_buffer().unwrap()
}

/// Adds one sheet as [`as_xlsx`] writes it.
fn add_sheet(
    book: &mut Workbook,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<V>],
    title: Option<&str>,
) {
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    let bold = CellFormat::new().set_bold();
    let wrap = CellFormat::new().set_text_wrap();
    let money = CellFormat::new().set_num_format("#,##0.00");
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let moment = CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let mut top = 0;
    if let Some(title) = title {
        ws.write_string_with_format(0, 0, title, &bold).unwrap();
        top = 2;
    }
    for (c, h) in (0..).zip(headers) {
        ws.write_string_with_format(top, c, *h, &bold).unwrap();
    }
    for (r, row) in (top + 1..).zip(rows) {
        for (c, v) in (0..).zip(row) {
            match *v {
                V::T(text) => {
                    ws.write_string_with_format(r, c, text, &wrap).unwrap();
                }
                V::N(x) | V::Shown(x, _) => {
                    ws.write_number_with_format(r, c, x, &money).unwrap();
                }
                V::D(y, m, d) => {
                    let at = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    ws.write_datetime_with_format(r, c, &at, &date).unwrap();
                }
                V::At(y, m, d, h, mi, s) => {
                    let at = ExcelDateTime::from_ymd(y, m, d)
                        .unwrap()
                        .and_hms(h.into(), mi, s)
                        .unwrap();
                    ws.write_datetime_with_format(r, c, &at, &moment).unwrap();
                }
                V::B(b) => {
                    ws.write_boolean(r, c, b).unwrap();
                }
                V::Empty => {}
            }
        }
    }
}

/// The deals `bytes` import into a new file, as that file exports them.
fn imported(dir: &TempDir, name: &str, bytes: &[u8]) -> (String, ImportSummary, Workspace) {
    let mut ws = open(&dir.path().join(name));
    let summary = import(&mut ws, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    (csv(&ws, Kind::Opportunities), summary, ws)
}

const ODOO_HEADERS: [&str; 13] = [
    "Opportunity",
    "Customer",
    "Contact Name",
    "Salesperson",
    "Stage",
    "Expected Revenue",
    "Probability",
    "Expected Closing",
    "Active",
    "Tags",
    "Created on",
    "Lost Reason",
    "Description",
];

fn odoo_rows() -> Vec<Vec<V>> {
    use V::*;
    vec![
        vec![
            T("Fleet tablets"),
            T("Nordwind GmbH"),
            T("Jonas Berg"),
            T("Lucas Martin"),
            T("Qualified"),
            N(12500.5),
            N(20.0),
            D(2027, 1, 15),
            B(true),
            T("vip,fleet"),
            At(2026, 10, 2, 9, 15, 0),
            Empty,
            T("First line\nSecond line, with “quotes”"),
        ],
        vec![
            T("Café renovation"),
            T("Café Müller"),
            Empty,
            T("Amélie Durand"),
            T("New"),
            N(4500.0),
            N(10.0),
            D(2026, 12, 31),
            B(true),
            Empty,
            At(2026, 11, 1, 14, 0, 30),
            Empty,
            Empty,
        ],
        vec![
            T("فرش دستباف"),
            T("فرش تبریز"),
            T("بابک علوی"),
            T("Sara Rahimi"),
            T("Proposition"),
            Shown(0.1 + 0.2, "0.3"),
            N(0.0),
            D(2026, 9, 30),
            B(false),
            T("export"),
            At(2026, 8, 20, 8, 0, 0),
            T("Too expensive"),
            Empty,
        ],
        vec![
            T("Kiosk rollout"),
            T("Alborz Textiles"),
            Empty,
            T("Lucas Martin"),
            T("Won"),
            N(98000.0),
            N(100.0),
            D(2026, 11, 10),
            B(true),
            Empty,
            At(2026, 7, 1, 10, 0, 0),
            Empty,
            Empty,
        ],
    ]
}

#[test]
fn an_odoo_xlsx_export_imports_as_its_csv_does() {
    let dir = TempDir::new().unwrap();
    let rows = odoo_rows();
    let xlsx = as_xlsx("Sheet1", &ODOO_HEADERS, &rows, None);
    let text = as_csv(&ODOO_HEADERS, &rows);
    let (from_csv, csv_summary, _) = imported(&dir, "csv.redb", &text);
    let (from_xlsx, summary, ws) = imported(&dir, "xlsx.redb", &xlsx);
    assert_eq!(from_xlsx, from_csv, "the same deals, cell for cell");
    assert_eq!(summary.format, interchange::Source::Odoo);
    assert_eq!(summary.deals, 4);
    assert_eq!(
        summary.messages[0], "read sheet “Sheet1” of the workbook",
        "{:?}",
        summary.messages
    );
    assert_eq!(summary.messages[1..], csv_summary.messages[..]);
    let tablets = ws
        .opportunities()
        .find(|o| o.name == "Fleet tablets")
        .unwrap();
    assert_eq!(tablets.amount, "12500.5".parse::<Decimal>().unwrap());
    assert_eq!(tablets.expected_close, NaiveDate::from_ymd_opt(2027, 1, 15));
    assert_eq!(
        tablets.created.to_rfc3339(),
        "2026-10-02T09:15:00+00:00",
        "a date-and-time cell is that moment"
    );
    assert_eq!(
        tablets.description,
        "First line\nSecond line, with “quotes”"
    );
    // 0.1 + 0.2 in a cell is the 0.3 Excel shows, not 0.30000000000000004.
    let carpet = ws.opportunities().find(|o| o.name == "فرش دستباف").unwrap();
    assert_eq!(carpet.amount, "0.3".parse::<Decimal>().unwrap());
    assert_eq!(ws.stage(carpet.stage).unwrap().kind, StageKind::Lost);
}

const PIPEDRIVE_HEADERS: [&str; 11] = [
    "Deal - Title",
    "Deal - Value",
    "Deal - Currency",
    "Deal - Stage",
    "Deal - Status",
    "Deal - Organization",
    "Deal - Owner",
    "Deal - Expected close date",
    "Deal - Deal created",
    "Deal - Won time",
    "Deal - Lost time",
];

fn pipedrive_rows() -> Vec<Vec<V>> {
    use V::*;
    let row = |title, value, stage, status, org, won, lost| {
        vec![
            T(title),
            N(value),
            T("USD"),
            T(stage),
            T(status),
            T(org),
            T("Emma Thompson"),
            D(2027, 2, 1),
            At(2026, 9, 1, 8, 30, 0),
            won,
            lost,
        ]
    };
    vec![
        row(
            "Fleet tablets",
            12000.0,
            "Contact Made",
            "open",
            "Nordwind GmbH",
            Empty,
            Empty,
        ),
        row(
            "Point of sale upgrade",
            1125.5,
            "Proposal Made",
            "won",
            "Boulangerie Paul",
            At(2026, 11, 5, 16, 45, 10),
            Empty,
        ),
        row(
            "Solar roof",
            75000.0,
            "Demo Scheduled",
            "lost",
            "Alborz Textiles",
            Empty,
            At(2026, 10, 20, 11, 0, 0),
        ),
    ]
}

#[test]
fn a_pipedrive_xlsx_export_imports_as_its_csv_does_and_typed_numbers_are_never_asked_about() {
    let dir = TempDir::new().unwrap();
    let rows = pipedrive_rows();
    let xlsx = as_xlsx("Deals", &PIPEDRIVE_HEADERS, &rows, None);
    let (from_xlsx, summary, ws) = imported(&dir, "xlsx.redb", &xlsx);
    let (from_csv, _, _) = imported(&dir, "csv.redb", &as_csv(&PIPEDRIVE_HEADERS, &rows));
    assert_eq!(from_xlsx, from_csv);
    assert_eq!(summary.format, interchange::Source::Pipedrive);
    assert_eq!(summary.deals, 3);
    let won = ws
        .opportunities()
        .find(|o| o.name == "Point of sale upgrade")
        .unwrap();
    assert_eq!(won.amount, "1125.5".parse::<Decimal>().unwrap());
    assert_eq!(ws.stage(won.stage).unwrap().kind, StageKind::Won);
    assert_eq!(won.closed, NaiveDate::from_ymd_opt(2026, 11, 5));

    // A value column where every value reads two ways (1.125: a thousand or one?) is asked
    // about in a CSV; a number cell of a workbook is a number, so the same value is plainly
    // too precise for an amount.
    let headers = ["Deal - Title", "Deal - Value", "Deal - Organization"];
    let mut ws = open(&dir.path().join("thousandths.redb"));
    let as_text = as_csv(&headers, &[vec![V::T("A"), V::T("1.125"), V::T("Acme")]]);
    let Err(ImportError::Unreadable(asked)) = import(&mut ws, &as_text) else {
        panic!("1.125 in a CSV is asked about");
    };
    assert!(asked.contains("decimal separator"), "{asked}");
    let cells = [vec![V::T("A"), V::N(1.125), V::T("Acme")]];
    let Err(ImportError::BadRows { errors, .. }) =
        import(&mut ws, &as_xlsx("Deals", &headers, &cells, None))
    else {
        panic!("three decimals are refused");
    };
    assert_eq!(
        errors[0].to_string(),
        "row 2, Deal - Value “1.125”: allows at most 2 decimals"
    );
}

#[test]
fn a_header_below_a_title_is_found_and_bad_cells_are_named_by_their_sheet_row() {
    let dir = TempDir::new().unwrap();
    let mut rows = odoo_rows();
    rows[1][7] = V::T("sometime");
    let xlsx = as_xlsx("Pipeline", &ODOO_HEADERS, &rows, Some("Pipeline — Q4"));
    let mut ws = open(&dir.path().join("a.redb"));
    let Err(ImportError::BadRows {
        errors, messages, ..
    }) = import(&mut ws, &xlsx)
    else {
        panic!("a bad date is refused");
    };
    // Title on row 1, a blank row 2, the header on row 3: the second deal is row 5.
    assert!(
        errors[0]
            .to_string()
            .starts_with("row 5, Expected Closing “sometime”:"),
        "{errors:?}"
    );
    assert!(
        messages.contains(
            &"rows 1 to 2 of sheet “Pipeline” are above its header row: not read".to_owned()
        ),
        "{messages:?}"
    );
    assert_eq!(ws.opportunity_count(), 0);
}

#[test]
fn a_workbook_is_told_by_its_content_and_a_second_sheet_with_the_header_goes_on() {
    let dir = TempDir::new().unwrap();
    let rows = odoo_rows();
    // Two sheets of the same export (as Forsat writes past Excel's row limit), and a sheet of
    // notes: a workbook named .csv is still a workbook.
    let mut book = Workbook::new();
    add_sheet(&mut book, "Leads", &ODOO_HEADERS, &rows[..2], None);
    add_sheet(&mut book, "Leads (2)", &ODOO_HEADERS, &rows[2..], None);
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "exported by hand")
        .unwrap();
    let path = dir.path().join("leads.csv");
    std::fs::write(&path, book.save_to_buffer().unwrap()).unwrap();
    let mut ws = open(&dir.path().join("a.redb"));
    let summary = interchange::import_file(&mut ws, &path, &ImportOptions::default()).unwrap();
    // Zip bytes that are no workbook: refused, saying what was tried, nothing written.
    let mut other = open(&dir.path().join("b.redb"));
    let Err(ImportError::Unreadable(why)) = import(&mut other, b"PK\x03\x04 no archive") else {
        panic!("refused");
    };
    assert!(
        why.starts_with("the file looks like a workbook (.xlsx, .xls or .ods) but cannot be read:"),
        "{why}"
    );
    assert_eq!(other.opportunity_count(), 0);
    assert_eq!(summary.deals, 4);
    assert_eq!(
        summary.messages[..3],
        [
            "read sheet “Leads” of the workbook",
            "sheet “Leads (2)” has the same header: its rows follow those of “Leads”, numbered on",
            "sheet “Notes” of the workbook: not read",
        ]
    );
}

fn put_currency(ws: &mut Workspace, code: &str, rate: &str) {
    let c = Currency {
        id: 0,
        code: code.into(),
        name: String::new(),
        rate: rate.parse().unwrap(),
        rate_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        active: true,
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Currency(c)))))
        .unwrap();
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_file_in_another_base_currency_is_converted_through_the_files_own_rate() {
    let dir = TempDir::new().unwrap();
    // Exported from a database in euros: a dollar was 0.925925925926 euros.
    let file = "account,name,currency,amount,rate,base_currency\r\n\
                Acme,In euros,EUR,100,1,EUR\r\n\
                Acme,In dollars,USD,200,0.925925925926,EUR\r\n\
                Acme,In pounds,GBP,300,1.175,EUR\r\n";
    let mut ws = open(&dir.path().join("usd.redb"));
    let summary = import(&mut ws, file.as_bytes()).unwrap();
    // 1 / 0.925925925926 = 1.0799999999999136 is 1.08 to a rate's 12 decimals; 1.175 × 1.08.
    assert_eq!(rate(&ws, "EUR"), Some(dec("1.08")));
    assert_eq!(rate(&ws, "GBP"), Some(dec("1.269")));
    assert!(
        summary.messages.contains(
            &"the file's rates are in EUR, this database's in USD: converted at 1 EUR = 1.08 USD, from the file's rate for USD"
                .to_owned()
        ),
        "{:?}",
        summary.messages
    );
    assert!(summary.messages.contains(
        &"created currencies EUR (rate 1.08), GBP (rate 1.269) from the file".to_owned()
    ));
    assert_eq!(ws.opportunity_count(), 3);
}

#[test]
fn a_file_in_a_base_currency_the_database_lists_is_converted_at_its_rate() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("usd.redb"));
    put_currency(&mut ws, "EUR", "1.08");
    let file = "account,name,currency,amount,rate,base_currency\r\n\
                Acme,In pounds,GBP,300,1.175,EUR\r\n\
                Acme,Also pounds,GBP,300,1.175,EUR\r\n\
                Acme,Old rate,GBP,300,1.2,EUR\r\n";
    let summary = import(&mut ws, file.as_bytes()).unwrap();
    assert_eq!(
        rate(&ws, "GBP"),
        Some(dec("1.269")),
        "1.175 × 1.08, the most common"
    );
    assert!(summary.messages.contains(
        &"the file's rates are in EUR, this database's in USD: converted at 1 EUR = 1.08 USD, the rate this database lists"
            .to_owned()
    ));
    assert!(summary.messages.contains(
        &"GBP: the file gives 2 different rates; the most common (the newest on a tie) is taken"
            .to_owned()
    ));
    assert_eq!(rate(&ws, "EUR"), Some(dec("1.08")), "a listed rate is kept");
}

#[test]
fn rates_that_cannot_be_converted_or_read_are_refused_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("usd.redb"));
    let file = "account,name,currency,amount,rate,base_currency\r\n\
                Acme,In pounds,GBP,300,1.175,EUR\r\n";
    let Err(ImportError::Unreadable(why)) = import(&mut ws, file.as_bytes()) else {
        panic!("refused");
    };
    assert_eq!(
        why,
        "the file's rates are in EUR, which this database does not list, and no deal of the file is in USD to convert them: add EUR with its rate under Currencies first"
    );
    let bad = "account,name,currency,amount,rate,base_currency\r\n\
               Acme,A,GBP,300,abc,USD\r\n\
               Acme,B,GBP,300,1.27,US\r\n\
               Acme,C,CHF,300,,USD\r\n";
    let Err(ImportError::BadRows { errors, .. }) = import(&mut ws, bad.as_bytes()) else {
        panic!("refused");
    };
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines.len(),
        3,
        "a bad rate is not also a missing one: {lines:?}"
    );
    assert!(lines[0].starts_with("row 2, rate “abc”:"), "{lines:?}");
    assert!(
        lines[1].starts_with("row 3, base_currency “US”:"),
        "{lines:?}"
    );
    assert!(
        lines[2].ends_with("“CHF” is not in the list of currencies: add it with its rate first"),
        "a currency without a rate is still refused: {lines:?}"
    );
    assert_eq!(ws.opportunity_count(), 0);
    assert!(ws.currencies().is_empty());
}

fn csv(ws: &Workspace, what: Kind) -> String {
    String::from_utf8(interchange::export(ws, what, Format::Csv).unwrap()).unwrap()
}

fn import(ws: &mut Workspace, bytes: &[u8]) -> Result<ImportSummary, ImportError> {
    interchange::import(ws, bytes, &ImportOptions::default())
}

fn rate(ws: &Workspace, code: &str) -> Option<Decimal> {
    ws.rates().rate(code)
}
