//! Every record carries a checksum over its table, key and body, checked at every read: damaged
//! data is refused (naming the table and the key), never shown. An old file's records are
//! framed again by the migration and read back equal.

use std::path::{Path, PathBuf};

use forsat_core::domain::Id;

use crate::{create, forsat, open};

/// Where `needle` occurs in `haystack`.
fn occurrences(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(at, _)| at)
        .collect()
}

/// A file with one deal named `name` (and a history entry whose old value is `old`), opened
/// once by the binary so that today's backup exists: later opens skip redb's page check.
fn file_with_deal(dir: &Path, name: &str, old: &str) -> (PathBuf, Id) {
    let path = dir.join("flip.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Flip Co", name, "13373.10");
    let mut opp = ws.opportunity(id).unwrap().clone();
    opp.description = old.to_owned();
    ws.apply(forsat_core::command::Command::UpdateOpportunity {
        opp: Box::new(opp.clone()),
        new_account: None,
    })
    .unwrap();
    opp.description = "now".to_owned();
    ws.apply(forsat_core::command::Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    drop(ws);
    let (code, _, stderr) = forsat(&path, &["report", "pipeline"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!forsat_store::backups_of(&path).is_empty());
    (path, id)
}

/// Flips one bit at each place `needle` is in the file (one place at a time, the file put back
/// after), runs `args` and hands each outcome to `judge`; returns how many were refused.
fn flip_each(
    path: &Path,
    needle: &[u8],
    args: &[&str],
    judge: impl Fn(Option<i32>, &str, &str),
) -> usize {
    let pristine = std::fs::read(path).unwrap();
    let places = occurrences(&pristine, needle);
    assert!(!places.is_empty(), "{needle:?} is not in the file");
    let mut refused = 0;
    for at in places {
        let mut bytes = pristine.clone();
        bytes[at] ^= 0x01;
        std::fs::write(path, &bytes).unwrap();
        let (code, stdout, stderr) = forsat(path, args);
        refused += usize::from(code == Some(1));
        judge(code, &stdout, &stderr);
        std::fs::write(path, &pristine).unwrap();
    }
    refused
}

#[test]
fn a_flipped_byte_of_a_deal_on_disk_is_refused_on_a_later_open() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = file_with_deal(dir.path(), "Needle 7f3a", "before");
    // The flipped name would read "Oeedle 7f3a". Old copies of the record in freed pages are
    // never read: those opens must show the deal as it was written.
    let refused = flip_each(
        &path,
        b"Needle 7f3a",
        &["export"],
        |code, stdout, stderr| {
            if code == Some(1) {
                assert!(
                    stderr.contains(&format!("opportunities record {id}"))
                        && stderr.contains("is damaged"),
                    "{stderr}"
                );
                assert!(
                    stderr.contains("the newest backup that opens is"),
                    "{stderr}"
                );
            } else {
                assert_eq!(code, Some(0), "{stderr}");
                assert!(stdout.contains("Needle 7f3a"), "{stdout}");
            }
            assert!(!stdout.contains("Oeedle"), "damaged data shown: {stdout}");
        },
    );
    assert!(refused >= 1, "the live record's flip was not refused");
}

#[test]
fn a_flipped_history_entry_is_refused_when_its_history_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let (path, id) = file_with_deal(dir.path(), "Thread deal", "Before 9c1e");
    // "Before 9c1e" is only in the history now (the old value of the description).
    let id_text = id.to_string();
    let refused = flip_each(
        &path,
        b"Before 9c1e",
        &["history", &id_text],
        |code, stdout, stderr| {
            if code == Some(1) {
                assert!(stderr.contains("history record (5, "), "{stderr}");
                assert!(stderr.contains("is damaged"), "{stderr}");
                assert!(
                    stderr.contains("the newest backup that opens is"),
                    "{stderr}"
                );
            } else {
                assert_eq!(code, Some(0), "{stderr}");
                assert!(stdout.contains("Before 9c1e"), "{stdout}");
            }
            assert!(!stdout.contains("Cefore"), "damaged data shown: {stdout}");
        },
    );
    assert!(
        refused >= 1,
        "the live history entry's flip was not refused"
    );
    // The file itself still opens: the deals are sound.
    assert_eq!(forsat(&path, &["report", "pipeline"]).0, Some(0));
}
