//! Every file the CLI writes, through the real binary: never onto the database or its backups
//! under any spelling, over another file only with --force, never a fragment on a full disk,
//! and every CSV guarded against formulas.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

#[path = "support/bin.rs"]
mod bin;
#[path = "../crates/forsat-app/tests/common/stages.rs"]
mod stages;
#[path = "../crates/forsat-app/tests/common/tmpfs.rs"]
mod tmpfs;

use std::path::{Path, PathBuf};

use forsat::command::{Change, Command};
use forsat::domain::{Account, Lookup, LookupKind, Opportunity, Record, StageKind};
use forsat::workspace::{Workspace, system_clock};

/// What the binary did: its exit code, standard output and standard error.
struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

/// Runs `forsat --db DB ARGS…` in `dir`.
fn forsat(dir: &Path, db: &Path, args: &[&str]) -> Run {
    forsat_with(dir, db, args, &[])
}

/// Runs `forsat --db DB ARGS…` in `dir` with the environment variables `vars` set.
fn forsat_with(dir: &Path, db: &Path, args: &[&str], vars: &[(&str, &Path)]) -> Run {
    let out = bin::forsat()
        .current_dir(dir)
        .envs(vars.iter().copied())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A database of `deals` sample deals in a new folder, with today's backup made.
fn database(deals: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.redb");
    let opps = deals.to_string();
    let made = forsat(dir.path(), &db, &["demo", "--opps", &opps]);
    assert_eq!(made.code, Some(0), "{}", made.err);
    let backup = forsat(dir.path(), &db, &["backup"]);
    assert_eq!(backup.code, Some(0), "{}", backup.err);
    (dir, db)
}

#[test]
fn export_never_writes_onto_the_database_or_its_backup_under_any_spelling() {
    let (dir, db) = database(20);
    let backup = forsat::store::backups_of(&db)[0].clone();
    std::os::unix::fs::symlink(&db, dir.path().join("link.csv")).unwrap();
    std::fs::hard_link(&db, dir.path().join("hard.csv")).unwrap();
    // The database is opened by every run (its header changes): its records are compared.
    let records = || forsat(dir.path(), &db, &["export", "--what", "history"]).out;
    let before = records();
    assert!(before.lines().count() > 20, "{before}");
    let backup_before = std::fs::read(&backup).unwrap();
    let spellings = [
        db.to_str().unwrap().to_owned(),
        "./x.redb".to_owned(),
        "link.csv".to_owned(),
        "hard.csv".to_owned(),
        backup.to_str().unwrap().to_owned(),
    ];
    for target in &spellings {
        for force in [&[][..], &["--force"][..]] {
            let run = forsat(
                dir.path(),
                &db,
                &[&["export", "--out", target.as_str()][..], force].concat(),
            );
            assert_eq!(
                run.code,
                Some(1),
                "export --out {target} {force:?}: {}",
                run.out
            );
            let said = if target.ends_with(".backup") {
                "is a backup of the database"
            } else {
                "is the database itself: nothing was written"
            };
            assert!(run.err.contains(said), "{target}: {}", run.err);
        }
    }
    assert!(records() == before, "the database changed");
    assert!(
        std::fs::read(&backup).unwrap() == backup_before,
        "the backup changed"
    );
    let check = forsat(dir.path(), &db, &["check"]);
    assert_eq!(check.code, Some(0), "{}", check.err);
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let (dir, db) = database(5);
    for name in ["deals.csv", "deals.xlsx"] {
        let file = dir.path().join(name);
        std::fs::write(&file, "my own notes").unwrap();
        let refused = forsat(dir.path(), &db, &["export", "--out", name]);
        assert_eq!(refused.code, Some(1));
        assert_eq!(
            refused.err.trim(),
            "forsat: deals.".to_owned()
                + &name[6..]
                + " already exists: nothing was written. Choose another name, or replace it (--force)."
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own notes");
        let replaced = forsat(dir.path(), &db, &["export", "--out", name, "--force"]);
        assert_eq!(replaced.code, Some(0), "{}", replaced.err);
        assert_eq!(
            replaced.out.trim(),
            format!("Wrote opportunities to {name}.")
        );
        let bytes = std::fs::read(&file).unwrap();
        if name.ends_with(".csv") {
            assert!(bytes.starts_with(b"id,name,account,"));
            assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 6);
        } else {
            assert!(bytes.starts_with(b"PK\x03\x04"), "a workbook");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_full_disk_leaves_the_old_export_as_it_was() {
    let Some(disk) = tmpfs::Tmpfs::mount("512k") else {
        eprintln!("skipped: this process cannot mount a tmpfs");
        return;
    };
    // The database elsewhere; its exports on the small disk, which the big one does not fit.
    let (dir, small) = database(3);
    let big = dir.path().join("big.redb");
    let made = forsat(dir.path(), &big, &["demo", "--opps", "3000"]);
    assert_eq!(made.code, Some(0), "{}", made.err);
    for name in ["deals.csv", "deals.xlsx"] {
        let file = disk.path().join(name);
        let first = forsat(
            dir.path(),
            &small,
            &["export", "--out", file.to_str().unwrap()],
        );
        assert_eq!(first.code, Some(0), "{}", first.err);
        let old = std::fs::read(&file).unwrap();
        let filler = disk.fill();
        // Room for a little, not for the big export.
        let free = std::fs::read(&filler).unwrap().len();
        std::fs::write(&filler, vec![0; free.saturating_sub(64 * 1024)]).unwrap();
        let run = forsat(
            dir.path(),
            &big,
            &["export", "--out", file.to_str().unwrap(), "--force"],
        );
        assert_eq!(run.code, Some(1), "{name}: {}", run.out);
        assert_eq!(
            run.err.lines().collect::<Vec<_>>(),
            [format!(
                "forsat: Could not write {}: No space left on device (os error 28). The file is as it was.",
                file.display()
            )],
            "{name}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), old, "{name} was changed");
        std::fs::remove_file(&filler).unwrap();
        std::fs::remove_file(&file).unwrap();
        let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().collect();
        assert!(
            left.is_empty(),
            "a temporary file was left behind: {left:?}"
        );
    }
    // A workbook's rows wait in a scratch file in the temporary folder: that disk full too is
    // an error (the library panics there; nothing of it reaches the user).
    let filler = disk.fill();
    let file = dir.path().join("deals.xlsx");
    std::fs::write(&file, "my own notes").unwrap();
    let out = bin::forsat()
        .env("TMPDIR", disk.path())
        .arg("--db")
        .arg(&big)
        .args(["export", "--force", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("the workbook's scratch file in"), "{err}");
    assert!(err.ends_with("The file is as it was.\n"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own notes");
    std::fs::remove_file(filler).unwrap();
}

/// A lost deal named like a formula, lost for a reason named like one.
fn hostile(db: &Path) -> u64 {
    let mut ws = Workspace::open(db, system_clock()).unwrap();
    let reason = ws.lookups(LookupKind::LossReason)[0].clone();
    let reason = Lookup {
        name: "@SUM(A1)".into(),
        ..reason
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Lookup(
        reason.clone(),
    )))))
    .unwrap();
    let pipeline = ws.default_pipeline().id;
    let stage = ws.stage_of_kind(pipeline, StageKind::Open).unwrap().clone();
    let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), ws.now());
    opp.name = "=HYPERLINK(\"http://x\",\"y\")".into();
    opp.amount = 1200.into();
    let id = ws
        .apply(Command::CreateOpportunity {
            opp: Box::new(opp),
            new_account: Some("Acme".into()),
        })
        .unwrap()
        .created
        .unwrap();
    let lost = ws.stage_of_kind(pipeline, StageKind::Lost).unwrap().id;
    ws.apply(Command::MoveToStage {
        opp: id,
        stage: lost,
        loss_reason: Some(reason.id),
    })
    .unwrap();
    id
}

/// Checks that `csv` holds the hostile texts, each guarded, and no field a spreadsheet would
/// evaluate.
fn guarded(what: &str, csv: &str, texts: &[&str]) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let fields: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for text in texts {
        let guarded = format!("'{text}");
        assert!(
            fields.contains(&guarded),
            "{what}: {guarded} missing in\n{csv}"
        );
    }
    let raw = fields.iter().find(|f| {
        f.starts_with(['=', '+', '@']) || f.starts_with('-') && f.parse::<f64>().is_err()
    });
    assert_eq!(raw, None, "{what}: a field a spreadsheet evaluates");
}

#[test]
fn every_csv_the_cli_writes_guards_formulas() {
    let (dir, db) = database(0);
    let id = hostile(&db).to_string();
    let name = "=HYPERLINK(\"http://x\",\"y\")";
    let reason = "@SUM(A1)";
    let printed = |args: &[&str]| {
        let run = forsat(dir.path(), &db, args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.err);
        run.out
    };
    let reports = [
        (vec!["report", "winloss", "--format", "csv"], vec![reason]),
        (vec!["history", &id, "--format", "csv"], vec![name, reason]),
        (vec!["export"], vec![name, reason]),
        (vec!["export", "--what", "history"], vec![name, reason]),
        (vec!["export", "--what", "stage-events"], vec![name]),
    ];
    for (args, texts) in reports {
        guarded(&args.join(" "), &printed(&args), &texts);
    }
    let file = dir.path().join("deals.csv");
    printed(&["export", "--out", file.to_str().unwrap()]);
    guarded(
        "export --out",
        &std::fs::read_to_string(&file).unwrap(),
        &[name, reason],
    );
}

#[test]
fn a_screenshot_never_lands_on_the_database_or_an_existing_file() {
    let (dir, db) = database(2);
    let before = std::fs::read(&db).unwrap();
    let refused = forsat(dir.path(), &db, &["--screenshot", "./x.redb", "--force"]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused
            .err
            .contains("is the database itself: nothing was written"),
        "{}",
        refused.err
    );
    // Refused before the file is opened: not a byte of it changed.
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database changed"
    );
    std::fs::write(dir.path().join("board.png"), "mine").unwrap();
    let refused = forsat(dir.path(), &db, &["--screenshot", "board.png"]);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.err.contains("board.png already exists"),
        "{}",
        refused.err
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("board.png")).unwrap(),
        "mine"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let (dir, db) = database(600);
    // Far more than a pipe holds, so the writer meets the closed pipe.
    for args in [&["export", "--what", "history"][..], &["export"][..]] {
        let mut child = bin::forsat()
            .current_dir(dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: one line read, the pipe closed.
        let mut first = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn a_mistyped_db_in_a_missing_folder_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("nosuchdir/deeper/new.redb");
    let csv = dir.path().join("deals.csv");
    std::fs::write(&csv, "name,account,amount\r\nA,Acme,5\r\n").unwrap();
    for args in [
        &["import", csv.to_str().unwrap()][..],
        &["report", "pipeline"],
    ] {
        let run = forsat(dir.path(), &typo, args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.out);
        assert!(
            run.err
                .contains("nosuchdir/deeper does not exist: nothing was created"),
            "{}",
            run.err
        );
    }
    assert!(!dir.path().join("nosuchdir").exists());
}

#[test]
fn import_takes_the_order_of_the_new_stages_and_refuses_a_name_the_file_does_not_add() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.redb");
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/forsat-app/tests/fixtures/interchange/hist-pipedrive.csv");
    let file = file.to_str().unwrap();
    let refused = forsat(
        dir.path(),
        &db,
        &["import", file, "--stage-order", "Demo Scheduled,Closing"],
    );
    assert_eq!(refused.code, Some(1), "{}", refused.out);
    assert!(
        refused.err.contains("“Closing”")
            && refused.err.contains(
                "Lead In, Contact Made, Demo Scheduled, Proposal Made, Negotiations Started"
            ),
        "{}",
        refused.err
    );
    let run = forsat(
        dir.path(),
        &db,
        &["import", file, "--stage-order", "Demo Scheduled, Lead In"],
    );
    assert_eq!(run.code, Some(0), "{}", run.err);
    let ws = Workspace::open(&db, system_clock()).unwrap();
    assert_eq!(
        ws.opportunity_count(),
        9,
        "imported once, by the second run"
    );
    let open = stages::open_stage_names(&ws, "Pipeline");
    assert_eq!(
        open,
        [
            "Demo Scheduled",
            "Lead In",
            "Contact Made",
            "Proposal Made",
            "Negotiations Started"
        ]
    );
}

/// A locked file's message is in the user's language, though the language setting is inside
/// the file: `--locale`, else the last run's language, else the system's.
#[test]
fn a_locked_file_is_reported_in_the_users_language() {
    let (dir, db) = database(3);
    let config = tempfile::tempdir().unwrap();
    let persian = [
        ("LC_ALL", Path::new("")),
        ("LC_MESSAGES", Path::new("")),
        ("LANG", Path::new("fa_IR.UTF-8")),
        ("XDG_CONFIG_HOME", config.path()),
    ];
    let locked = |args: &[&str]| {
        let _open = Workspace::open(&db, system_clock()).unwrap();
        let run = forsat_with(dir.path(), &db, args, &persian);
        assert_eq!(run.code, Some(1), "{}", run.err);
        run.err
    };
    let err = locked(&["report", "pipeline"]);
    assert!(err.contains("هم‌اکنون با این پرونده در حال اجراست"), "{err}");
    let err = locked(&["--locale", "fr", "report", "pipeline"]);
    assert!(
        err.contains("Forsat est déjà ouvert sur ce fichier"),
        "{err}"
    );

    // A file in French, opened once, makes French the language of the next start's messages.
    let mut ws = Workspace::open(&db, system_clock()).unwrap();
    let mut settings = ws.settings().clone();
    settings.language = Some(forsat::domain::Language::French);
    let change = ws.settings_change(settings);
    ws.apply(Command::Change(Box::new(change))).unwrap();
    drop(ws);
    let opened = forsat_with(dir.path(), &db, &["report", "pipeline"], &persian);
    assert_eq!(opened.code, Some(0), "{}", opened.err);
    let err = locked(&["check"]);
    assert!(
        err.contains("Forsat est déjà ouvert sur ce fichier"),
        "{err}"
    );
}
