//! Workbooks import as their CSV does (Odoo and Pipedrive export .xlsx by default), and a
//! Forsat export brings its currencies into a new file.

use tempfile::TempDir;

/// A database of `deals` demo deals, some in euros and pounds (as `forsat demo` makes them).
fn demo(dir: &TempDir, deals: usize) -> std::path::PathBuf {
    let db = dir.path().join("demo.redb");
    let (code, _, err) = super::forsat(&db, &["demo", "--opps", &deals.to_string()]);
    assert_eq!(code, Some(0), "{err}");
    db
}

#[test]
fn a_demo_export_with_euros_and_pounds_imports_into_a_new_file_and_exports_the_same() {
    let dir = TempDir::new().unwrap();
    let db = demo(&dir, 400);
    for format in ["csv", "xlsx"] {
        let file = dir.path().join(format!("deals.{format}"));
        let file = file.to_str().unwrap();
        let (code, _, err) =
            super::forsat(&db, &["export", "--what", "opportunities", "--out", file]);
        assert_eq!(code, Some(0), "{err}");
        let new = dir.path().join(format!("new-{format}.redb"));
        let (code, said, err) = super::forsat(&new, &["import", file]);
        assert_eq!(code, Some(0), "{err}");
        assert!(said.starts_with("Imported 400 deals"), "{said}");
        assert!(
            said.contains("created currencies EUR (rate 1.08), GBP (rate 1.27) from the file"),
            "{said}"
        );
        let again = dir.path().join(format!("again-{format}.csv"));
        let again = again.to_str().unwrap();
        let (code, _, err) =
            super::forsat(&new, &["export", "--what", "opportunities", "--out", again]);
        assert_eq!(code, Some(0), "{err}");
        let first = std::fs::read(dir.path().join("deals.csv")).unwrap();
        let second = std::fs::read(again).unwrap();
        assert!(
            first == second,
            "{format}: the new file exports the same bytes as the first"
        );
        let text = String::from_utf8(first).unwrap();
        assert!(
            text.contains(",EUR,") && text.contains(",GBP,"),
            "euros and pounds"
        );
    }
}
