//! What a desktop and its file manager ask of the binary: its version, and a file to open given
//! as the one argument.

use crate::bin;

#[test]
fn the_version_is_said() {
    let out = bin::forsat().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("forsat {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_file_given_with_another_db_is_refused_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let (file, db) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    let out = bin::forsat()
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .args(["--locale", "en"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("cannot be used with"), "{said}");
    assert!(!file.exists() && !db.exists());
}

#[test]
fn a_file_in_a_folder_that_does_not_exist_is_refused_as_with_db() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("missing").join("deals.redb");
    let out = bin::forsat()
        .arg(&file)
        .args(["--locale", "en"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("does not exist: nothing was created"),
        "{said}"
    );
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn subcommands_are_not_taken_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("deals.redb");
    let (code, _, said) = crate::forsat(&db, &["demo", "--opps", "5", "--seed", "1"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(db.exists());
}
