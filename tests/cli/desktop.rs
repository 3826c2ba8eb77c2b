//! What a desktop and its file manager ask of the binary: its version, and a file to open given
//! as the one argument.

use crate::bin;

/// Runs `command`, which must fail: what it said on standard error.
fn refused(command: &mut std::process::Command) -> String {
    let out = command.output().unwrap();
    assert!(!out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

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
    std::fs::write(&file, b"").unwrap();
    let said = refused(bin::forsat().arg(&file).arg("--db").arg(&db));
    assert!(said.contains("cannot be used with"), "{said}");
    assert!(!db.exists());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"",
        "the file is left as it was"
    );
}

/// A word that is no command is not taken for a new database's name.
#[test]
fn a_mistyped_command_makes_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let said = refused(
        bin::forsat()
            .current_dir(dir.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .arg("chek"),
    );
    assert!(
        said.contains("“chek” is neither a command nor a file"),
        "{said}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A file to open and a command: the command would work on another file than the one named
/// first, so neither runs.
#[test]
fn a_file_to_open_with_a_command_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, db) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    let (code, _, said) = crate::forsat(&file, &["demo", "--opps", "5", "--seed", "1"]);
    assert_eq!(code, Some(0), "{said}");
    let before = std::fs::read(&file).unwrap();
    let said = refused(
        bin::forsat()
            .arg(&file)
            .args(["demo", "--opps", "5", "--db"])
            .arg(&db),
    );
    assert!(said.contains("is opened in the window"), "{said}");
    assert!(!db.exists());
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn subcommands_are_not_taken_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("deals.redb");
    let (code, _, said) = crate::forsat(&db, &["demo", "--opps", "5", "--seed", "1"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(db.exists());
}
