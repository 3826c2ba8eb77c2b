//! The cached fixtures: for a deal count, a Forsat file made by the real demo generator and a
//! `SQLite` file holding the same records, plus the Forsat CSV export of it. Generating a million
//! deals takes about a minute, so each is made once under `target/bench-data/`, keyed by size,
//! seed and Forsat's schema version, and reused by later runs. Delete the folder after
//! changing the demo generator.

use std::path::{Path, PathBuf};

use forsat::command::Command;
use forsat::domain::LookupKind;
use forsat::interchange::{self, Format, Kind};
use forsat::store::SCHEMA_VERSION;
use forsat::workspace::Workspace;

use super::{SEED, clock, data_dir, size_label, sqlite};

/// The two database files of one deal count.
pub struct Fixture {
    pub deals: usize,
    pub forsat: PathBuf,
    pub sqlite: PathBuf,
}

impl Fixture {
    /// The fixture of `deals` generated deals, made now unless cached.
    pub fn get(deals: usize) -> Fixture {
        let dir = data_dir();
        let stem = format!("{}-seed{SEED}-schema{SCHEMA_VERSION}", size_label(deals));
        let fixture = Fixture {
            deals,
            forsat: dir.join(format!("forsat-{stem}.redb")),
            sqlite: dir.join(format!("sqlite-{stem}.db")),
        };
        if !fixture.forsat.exists() || !fixture.sqlite.exists() {
            fixture.generate();
        }
        fixture
    }

    /// Generates both files side by side: the demo batch is written to `SQLite`, then applied to
    /// the Forsat file in one command, as `forsat demo` does. Each is made under a temporary
    /// name and renamed when complete, so an interrupted run leaves no half fixture.
    fn generate(&self) {
        std::fs::create_dir_all(data_dir()).expect("the bench-data folder can be created");
        eprintln!(
            "bench: generating {} deals (seed {SEED}) into {}",
            self.deals,
            data_dir().display()
        );
        let forsat_tmp = self.forsat.with_extension("redb.partial");
        let sqlite_tmp = self.sqlite.with_extension("db.partial");
        for path in [&forsat_tmp, &sqlite_tmp, &self.forsat, &self.sqlite] {
            remove(path);
        }
        let mut ws = Workspace::open(&forsat_tmp, clock()).expect("a new database opens");
        let (batch, summary) = forsat::demo::generate(&ws, self.deals, SEED);
        assert_eq!(summary.opportunities, self.deals);

        let config = sqlite::Config {
            pipelines: ws.pipelines().to_vec(),
            stages: ws
                .pipelines()
                .iter()
                .flat_map(|p| ws.stages_of(p.id).cloned())
                .collect(),
            lookups: LookupKind::ALL
                .iter()
                .flat_map(|k| ws.all_lookups(*k).into_iter().cloned())
                .collect(),
            currencies: ws.currencies().into_iter().cloned().collect(),
        };
        sqlite::create(&sqlite_tmp, &config, &batch);

        ws.apply(Command::InsertBatch(Box::new(batch)))
            .expect("the demo batch is written");
        // The first GUI start on this file would otherwise write its own marker.
        ws.apply(Command::FirstStart { sample: None })
            .expect("the first start is recorded");
        drop(ws);
        // Reopen once to check every deal was written; the backup that opening made is of the
        // temporary name, so it goes (the first timed run's warm-up makes the fixture's own).
        let ws = Workspace::open(&forsat_tmp, clock()).expect("the fixture reopens");
        assert_eq!(ws.opportunity_count(), self.deals);
        drop(ws);
        for backup in forsat::store::backups_of(&forsat_tmp) {
            remove(&backup);
        }
        std::fs::rename(&forsat_tmp, &self.forsat).expect("the Forsat fixture is renamed");
        std::fs::rename(&sqlite_tmp, &self.sqlite).expect("the SQLite fixture is renamed");
    }

    /// Copies of both files in `dir`, for workloads that write.
    pub fn copy_to(&self, dir: &Path) -> Fixture {
        let copy = Fixture {
            deals: self.deals,
            forsat: dir.join("forsat.redb"),
            sqlite: dir.join("sqlite.db"),
        };
        std::fs::copy(&self.forsat, &copy.forsat).expect("the Forsat fixture is copied");
        std::fs::copy(&self.sqlite, &copy.sqlite).expect("the SQLite fixture is copied");
        copy
    }

    /// The Forsat CSV export of this fixture's deals (cached beside it).
    pub fn csv(&self) -> Vec<u8> {
        let path = self.forsat.with_extension("csv");
        if let Ok(bytes) = std::fs::read(&path) {
            return bytes;
        }
        let ws = Workspace::open(&self.forsat, clock()).expect("the fixture opens");
        let bytes =
            interchange::export(&ws, Kind::Opportunities, Format::Csv).expect("the deals export");
        let partial = path.with_extension("csv.partial");
        std::fs::write(&partial, &bytes).expect("the CSV is written");
        std::fs::rename(&partial, &path).expect("the CSV is renamed");
        bytes
    }
}

fn remove(path: &Path) {
    if path.exists() {
        std::fs::remove_file(path).expect("a stale fixture can be removed");
    }
}
