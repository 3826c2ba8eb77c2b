//! Damaged files through the real binary: each page of a file zeroed, or one bit of it flipped,
//! in a copy that is then checked, opened and exported. A damaged file is refused with a message
//! (never a panic), or — the damage in space nothing uses — shows exactly the original's data.

use std::path::{Path, PathBuf};

use forsat::demo::Rng;

use crate::{Run, forsat, today};

/// redb's page size.
const PAGE: usize = 4096;

/// What the binary's commands do on the file as it is: the data a damaged copy must show or
/// refuse.
pub struct Original {
    pub path: PathBuf,
    bytes: Vec<u8>,
    /// Whether each damaged copy gets today's backup beside it.
    backup: bool,
    outputs: Vec<String>,
}

/// The commands run on each damaged copy, `check` first: it never opens the file for writing.
const COMMANDS: [&[&str]; 3] = [
    &["check"],
    &["export", "--what", "opportunities"],
    &["export", "--what", "history"],
];

impl Original {
    /// A file of `deals` demo deals made by the binary in `dir`, with today's backup when
    /// `backup` (then no open today checks the file page by page again).
    pub fn demo(dir: &Path, deals: usize, backup: bool) -> Original {
        let path = dir.join("original.redb");
        let made = forsat(&path, &["demo", "--opps", &deals.to_string()]);
        assert_eq!(made.code, Some(0), "{}", made.stderr);
        if backup {
            let made = forsat(&path, &["backup"]);
            assert_eq!(made.code, Some(0), "{}", made.stderr);
        }
        let outputs = COMMANDS[1..]
            .iter()
            .map(|args| {
                let run = forsat(&path, args);
                assert_eq!(run.code, Some(0), "{}", run.stderr);
                run.stdout
            })
            .collect();
        let bytes = std::fs::read(&path).unwrap();
        Original {
            path,
            bytes,
            backup,
            outputs,
        }
    }

    /// The pages holding anything: damage to a page of zeros that stays zeros changes nothing.
    pub fn used_pages(&self) -> Vec<usize> {
        (0..self.bytes.len() / PAGE)
            .filter(|p| self.bytes[p * PAGE..(p + 1) * PAGE].iter().any(|&b| b != 0))
            .collect()
    }

    pub fn pages(&self) -> usize {
        self.bytes.len() / PAGE
    }
}

/// What the damaged copies came to.
#[derive(Default, Debug)]
pub struct Damage {
    pub copies: usize,
    /// Copies refused by at least one command with a message.
    pub refused: usize,
    /// Copies that some command showed with data other than the original's.
    pub wrong: usize,
    /// Runs that panicked (exit 101 or a panic message), with what they printed.
    pub panics: Vec<String>,
    /// Refused copies whose bytes changed: a damaged file was written.
    pub written: usize,
}

impl Damage {
    /// One line of figures.
    pub fn summary(&self, what: &str) -> String {
        format!(
            "{what}: {} copies, {} refused, {} opened with wrong data, {} panics, {} damaged files written",
            self.copies,
            self.refused,
            self.wrong,
            self.panics.len(),
            self.written
        )
    }
}

/// Damages a copy of `original` at each page of `pages` in turn with `damage` (given the page's
/// bytes) and runs every command on it. Each copy sits in its own folder with the original's
/// backups renamed for it.
pub fn damage_each(
    original: &Original,
    pages: &[usize],
    mut damage: impl FnMut(&mut [u8]),
) -> Damage {
    let mut found = Damage::default();
    let backups = if original.backup {
        forsat::store::backups_of(&original.path)
    } else {
        Vec::new()
    };
    for &page in pages {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy.redb");
        let mut bytes = original.bytes.clone();
        damage(&mut bytes[page * PAGE..(page + 1) * PAGE]);
        std::fs::write(&copy, &bytes).unwrap();
        if !backups.is_empty() {
            std::fs::create_dir(dir.path().join("backups")).unwrap();
            let name = format!("copy.redb.{}.backup", today().format("%Y-%m-%d"));
            std::fs::copy(&backups[0], dir.path().join("backups").join(name)).unwrap();
        }
        let runs: Vec<Run> = COMMANDS.iter().map(|args| forsat(&copy, args)).collect();
        found.copies += 1;
        let mut refused = false;
        for (n, run) in runs.iter().enumerate() {
            if run.panicked() {
                found
                    .panics
                    .push(format!("page {page}, {:?}: {}", COMMANDS[n], run.stderr));
            } else if run.code != Some(0) {
                refused = true;
            }
        }
        let wrong = runs[1..]
            .iter()
            .zip(&original.outputs)
            .any(|(run, expected)| run.code == Some(0) && run.stdout != *expected);
        found.wrong += usize::from(wrong);
        found.refused += usize::from(refused);
        found.written += usize::from(refused && std::fs::read(&copy).unwrap() != bytes);
    }
    found
}

/// Flips one random bit of the page.
fn flip(rng: &mut Rng) -> impl FnMut(&mut [u8]) + '_ {
    |page| {
        let at = rng.below(page.len() as u64) as usize;
        page[at] ^= 1 << rng.below(8);
    }
}

/// Asserts no run panicked, printing the first few when any did.
fn no_panics(found: &Damage) {
    let first: Vec<String> = found
        .panics
        .iter()
        .take(5)
        .map(|p| p.lines().take(3).collect::<Vec<_>>().join(" / "))
        .collect();
    assert!(
        found.panics.is_empty(),
        "{} panics, the first: {first:#?}",
        found.panics.len()
    );
}

#[test]
fn every_zeroed_page_of_a_small_file_is_refused_or_harmless_and_never_panics() {
    for backup in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let original = Original::demo(dir.path(), 30, backup);
        let found = damage_each(&original, &original.used_pages(), |page| page.fill(0));
        println!(
            "{}",
            found.summary(&format!(
                "zeroed pages of a 30-deal file (today's backup made: {backup})"
            ))
        );
        no_panics(&found);
        assert_eq!(found.written, 0, "{found:?}");
        assert!(found.refused > 0, "no zeroed page was refused: {found:?}");
    }
}

#[test]
fn flipped_bits_in_a_sample_of_pages_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let original = Original::demo(dir.path(), 1200, true);
    let mut rng = Rng(17);
    let pages: Vec<usize> = (0..12)
        .map(|_| rng.below(original.pages() as u64) as usize)
        .collect();
    let found = damage_each(&original, &pages, flip(&mut rng));
    println!(
        "{}",
        found.summary("bit flips in 12 pages of a 1,200-deal file")
    );
    no_panics(&found);
}

/// `scripts/abuse`: one flipped bit in every page of a 1,200-deal file after today's backup.
#[test]
#[ignore = "long: run by scripts/abuse"]
fn flipped_bits_over_every_page_of_a_1200_deal_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = Original::demo(dir.path(), 1200, true);
    let pages: Vec<usize> = (0..original.pages()).collect();
    let mut rng = Rng(0x17);
    let found = damage_each(&original, &pages, flip(&mut rng));
    println!(
        "{}",
        found.summary(&format!(
            "bit flips over every page ({}) of a 1,200-deal file after today's backup",
            original.pages()
        ))
    );
    no_panics(&found);
    assert_eq!(found.wrong, 0, "copies opened with wrong data");
    assert_eq!(found.written, 0, "damaged files written");
}
