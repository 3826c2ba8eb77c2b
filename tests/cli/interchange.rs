//! Export to CSV and XLSX, import of Forsat CSV: round trips, injection, fixtures, refusals.

use std::fmt::Write as _;
use std::path::Path;

use crate::forsat as cli;

use forsat_app::interchange::{self, ImportOptions, Kind};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Currency, ID_LIMIT, Id, LookupKind, Record};
use rust_decimal::Decimal;
use tempfile::TempDir;

use super::open;

#[path = "../../crates/forsat-app/tests/common/interchange.rs"]
mod common;
use common::{csv, deal, dec, fixture, fresh};

#[test]
fn the_cli_exports_and_imports() {
    let dir = TempDir::new().unwrap();
    let from = dir.path().join("from.redb");
    let mut ws = open(&from);
    let (batch, _) = forsat_app::demo::generate(&ws, 30, 5);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let currencies: Vec<Currency> = ws.currencies().into_iter().cloned().collect();
    let exported = csv(&ws, Kind::Opportunities);
    drop(ws);

    // Export: to a file (the format from the extension), to standard output, XLSX needs a file.
    let file = dir.path().join("deals.csv");
    let (code, said, _) = cli(&from, &["export", "--out", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), exported);
    let (code, stdout, _) = cli(&from, &["export", "--what", "accounts"]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("id,name,source"), "{stdout}");
    let (code, _, err) = cli(&from, &["export", "--format", "xlsx"]);
    assert_eq!(
        (code, err.trim()),
        (Some(1), "forsat: an XLSX export needs --out FILE")
    );

    // Import into a new file that lists the same currencies: a dry run writes nothing, then
    // every deal comes in with its id.
    let to = dir.path().join("to.redb");
    let mut ws = open(&to);
    for c in currencies {
        let c = Currency { id: 0, ..c };
        ws.apply(Command::Change(Box::new(Change::put(Record::Currency(c)))))
            .unwrap();
    }
    drop(ws);
    let (code, said, err) = cli(&to, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with("Would import 30 deals"), "{said}");
    assert_eq!(open(&to).opportunity_count(), 0);
    let (code, said, err) = cli(&to, &["import", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with("Imported 30 deals"), "{said}");
    assert_eq!(csv(&open(&to), Kind::Opportunities), exported);

    // A file with a bad row: nothing imported, the row named, exit code 1.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, fixture("bad-rows.csv")).unwrap();
    let (code, _, err) = cli(&to, &["import", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("row 3"), "{err}");
    assert_eq!(open(&to).opportunity_count(), 30);
}

#[test]
fn ids_past_the_limit_are_refused_with_row_and_column_and_nothing_wraps() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("ids.redb");
    let reasons = || -> Vec<(Id, String)> {
        open(&db)
            .lookups(LookupKind::LossReason)
            .iter()
            .map(|l| (l.id, l.name.clone()))
            .collect()
    };
    let before = reasons();
    for id in ["18446744073709551614", "9007199254740992"] {
        let file = dir.path().join(format!("{id}.csv"));
        std::fs::write(
            &file,
            format!("id,name,account,stage\r\n7,First,Acme,New\r\n{id},Far,Acme,New\r\n"),
        )
        .unwrap();
        let (code, _, err) = cli(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains(&format!("row 3, id “{id}”: is above the highest id")),
            "{err}"
        );
    }
    // Later records get fresh ids: the default lookups are as they were.
    let (code, _, err) = cli(&db, &["demo", "--opps", "5"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(reasons(), before);
    let ws = open(&db);
    assert_eq!(ws.opportunity_count(), 5);
    assert!(ws.next_id() < ID_LIMIT);
}

#[test]
fn a_column_whose_numbers_read_two_ways_is_refused_until_the_separator_is_given() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("a.redb");
    drop(open(&db));
    let file = dir.path().join("pipedrive-unclear.csv");
    std::fs::write(&file, fixture("pipedrive-unclear.csv")).unwrap();
    let file = file.to_str().unwrap();
    let (code, _, err) = cli(&db, &["import", file]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("column “Deal - Value”: no value shows whether “.” or “,” is the decimal separator (“1.500” could be either)"),
        "{err}"
    );
    assert_eq!(open(&db).opportunity_count(), 0);
    let (code, said, err) = cli(&db, &["import", file, "--decimal-separator", ","]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with("Imported 3 deals"), "{said}");
    let ws = open(&db);
    let amounts: Vec<Decimal> = ["Licences", "Training", "Hardware"]
        .iter()
        .map(|n| deal(&ws, n).amount)
        .collect();
    assert_eq!(amounts, [dec("1500"), dec("2000"), dec("750")]);
    drop(ws);
    // Told the other way, the same file reads as decimals.
    let mut ws = fresh(&dir, "b.redb");
    let options = ImportOptions {
        decimal_separator: Some('.'),
        ..ImportOptions::default()
    };
    interchange::import(
        &mut ws,
        fixture("pipedrive-unclear.csv").as_slice(),
        &options,
    )
    .unwrap();
    assert_eq!(deal(&ws, "Licences").amount, dec("1.5"));
}

#[test]
fn hostile_text_is_refused_in_names_escaped_in_messages_and_error_lists_are_capped() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("a.redb");
    drop(open(&db));
    // A Pipedrive export whose organisation hides a right-to-left override, whose value
    // carries a sequence that would clear the terminal, and 120 rows with a bad date.
    let mut text = String::from(
        "\"Deal - Title\",\"Deal - Organization\",\"Deal - Value\",\"Deal - Expected close date\"\r\n",
    );
    text.push_str("\"Invoice\",\"Acme\u{202E}gpj.exe\",\"100\",\"2027-01-31\"\r\n");
    text.push_str("\"Screen\",\"Globex\",\"\u{1b}[2J\u{1b}[H12\",\"2027-01-31\"\r\n");
    text.push_str("\"Persian\",\"شرکت مهندسی پارس‌آب\",\"100\",\"2027-01-31\"\r\n");
    for n in 0..120 {
        write!(text, "\"Deal {n}\",\"Initech\",\"10\",\"2027-02-30\"\r\n").unwrap();
    }
    let file = dir.path().join("deals.csv");
    std::fs::write(&file, &text).unwrap();
    let errors_file = dir.path().join("errors.txt");
    let import_listing_to = |target: &Path| {
        let args = ["import", file.to_str().unwrap(), "--errors-file"];
        let target = target.to_str().unwrap();
        cli(&db, &[&args[..], &[target]].concat())
    };
    let (code, _, err) = import_listing_to(&errors_file);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202E}'),
        "{err:?}"
    );
    assert!(
        err.contains("row 2, Deal - Organization “Acme\\u{202e}gpj.exe”: must not contain invisible or direction-changing characters (here U+202E)"),
        "{err}"
    );
    assert!(err.contains("“\\u{1b}[2J\\u{1b}[H12”"), "{err}");
    assert!(!err.contains("پارس"), "a Persian name was refused: {err}");
    // The first 50 bad cells, then a count; the file has them all.
    let listed = err.lines().filter(|l| l.starts_with("  row ")).count();
    assert_eq!(listed, 50, "{err}");
    assert!(err.trim_end().ends_with("and 72 more"), "{err}");
    let all = std::fs::read_to_string(&errors_file).unwrap();
    assert_eq!(all.lines().count(), 122, "{all}");
    assert!(
        all.lines().last().unwrap().starts_with("row 124, "),
        "{all}"
    );
    assert!(!all.contains('\u{1b}'));
    assert_eq!(open(&db).opportunity_count(), 0);
    // The errors file never goes over the database, nor over a file that exists.
    for target in [&db, &errors_file] {
        let (code, _, err) = import_listing_to(target);
        assert_eq!(code, Some(1));
        assert!(err.contains("nothing was written"), "{err}");
    }
    assert_eq!(open(&db).opportunity_count(), 0);
    assert_eq!(std::fs::read_to_string(&errors_file).unwrap(), all);
    // A good file with an errors file that is refused: nothing imported either.
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "account,name
Acme,Fine
",
    )
    .unwrap();
    let (code, _, err) = cli(
        &db,
        &[
            "import",
            good.to_str().unwrap(),
            "--errors-file",
            errors_file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(open(&db).opportunity_count(), 0);
    // One bad row is said in the singular.
    let one = dir.path().join("one.csv");
    std::fs::write(&one, "account,name\r\nAcme\u{202E},Bad\r\n").unwrap();
    let (code, _, err) = cli(&db, &["import", one.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("1 row has bad cells; nothing was imported:"),
        "{err}"
    );
}

/// `export --what activities --format ics`: the demo's activities as a calendar on standard
/// output, or in a file named on the command line; another kind is refused in that format.
#[test]
fn the_cli_exports_the_activities_as_an_icalendar_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let (code, _, err) = cli(&db, &["demo", "--opps", "30", "--seed", "4"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, ics, err) = cli(&db, &["export", "--what", "activities", "--format", "ics"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("BEGIN:VTODO"),
        "{ics}"
    );
    assert!(ics.trim_end().ends_with("END:VCALENDAR"));
    // The extension says the format.
    let out = dir.path().join("plan.ics");
    let out_arg = out.to_str().unwrap();
    let (code, said, err) = cli(&db, &["export", "--what", "activities", "--out", out_arg]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.contains("Wrote activities to"), "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), ics);
    // Tried first: said, nothing written.
    let (code, said, _) = cli(&db, &["import", out_arg, "--dry-run"]);
    assert_eq!(code, Some(0));
    assert!(
        said.ends_with("Nothing was written (--dry-run).\n"),
        "{said}"
    );
    // Imported back: every activity updated in place, none added.
    let events = ics.matches("BEGIN:VEVENT").count() + ics.matches("BEGIN:VTODO").count();
    let todos = ics.matches("BEGIN:VTODO").count();
    let (code, said, err) = cli(&db, &["import", out_arg]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(said.matches("Updated “").count(), events - todos, "{said}");
    let (_, again, _) = cli(&db, &["export", "--what", "activities", "--format", "ics"]);
    assert_eq!(
        again.matches("BEGIN:VEVENT").count() + again.matches("BEGIN:VTODO").count(),
        events
    );
    let (code, _, err) = cli(&db, &["export", "--what", "accounts", "--format", "ics"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("Only activities can be written as an iCalendar file"),
        "{err}"
    );
}

/// Contacts written as a vCard file and read into another database; read again, every card
/// is a duplicate, left out unless `--duplicates` says otherwise; a bad card writes nothing.
#[test]
fn contacts_go_out_as_vcard_and_come_back_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crm.redb");
    let (code, _, err) = cli(&db, &["demo", "--opps", "30", "--seed", "4"]);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("people.vcf");
    let out_arg = out.to_str().unwrap();
    let (code, said, err) = cli(&db, &["export", "--what", "contacts", "--out", out_arg]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.contains("Wrote contacts to"), "{said}");
    let vcf = std::fs::read_to_string(&out).unwrap();
    let cards = vcf.matches("BEGIN:VCARD\r\nVERSION:3.0\r\n").count();
    assert!(cards >= 5, "{vcf}");

    let other = dir.path().join("other.redb");
    let (code, said, err) = cli(&other, &["import", out_arg, "--dry-run"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with(&format!("{cards} new contacts")), "{said}");
    assert!(
        said.ends_with("Nothing was written (--dry-run).\n"),
        "{said}"
    );
    let (code, _, err) = cli(&other, &["import", out_arg]);
    assert_eq!(code, Some(0), "{err}");
    let (_, again, _) = cli(&other, &["export", "--what", "contacts", "--format", "vcf"]);
    assert_eq!(again.matches("BEGIN:VCARD").count(), cards);
    // Twice: all duplicates, left out, and the way to merge them said.
    let (code, said, err) = cli(&other, &["import", out_arg]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        said.starts_with(&format!("0 new contacts, {cards} duplicates left out")),
        "{said}"
    );
    assert!(said.contains("--duplicates merge"), "{said}");
    let (code, said, err) = cli(&other, &["import", out_arg, "--duplicates", "add"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(said.starts_with(&format!("{cards} new contacts")), "{said}");

    // A card with a bad email: refused by line, nothing written.
    let bad = dir.path().join("bad.vcf");
    std::fs::write(
        &bad,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ali\nEMAIL:ali at pars\nEND:VCARD\n",
    )
    .unwrap();
    let (code, _, err) = cli(&other, &["import", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 1 (Ali): Email: “ali at pars”"), "{err}");
    let (_, after, _) = cli(&other, &["export", "--what", "contacts", "--format", "vcf"]);
    assert_eq!(after.matches("BEGIN:VCARD").count(), 2 * cards);
    let (code, _, err) = cli(&db, &["export", "--what", "accounts", "--format", "vcf"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("Only contacts can be written as a vCard file"),
        "{err}"
    );
}
