//! The durable truth: one redb file holding every record as a version byte plus postcard.
//!
//! Opening never writes to a file it has not recognised: a missing file is created, a Forsat
//! file is opened, and anything else (empty, foreign, damaged, newer) is refused untouched.

mod backup;
mod codec;
mod error;
pub mod files;
mod migrate;
mod tables;

use std::io::Read as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use redb::{Database, DatabaseError, Durability};

pub use backup::{backups_of, check, newest_good, now as back_up_now, restore};
pub use codec::{CodecError, RECORD_VERSION, decode, decode_legacy, encode, seal};
pub use error::StoreError;
pub use files::{FileError, Replace, write_file};
pub use tables::{Records, SCHEMA_VERSION, TrashEntry, Tx};

use crate::domain::{EntityKind, HistoryEntry, Id};
use tables::{APP_TAG, META, META_APP, META_SCHEMA, ReadError};

/// The first bytes of every redb file.
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// An open database file, locked against other processes for as long as it lives.
pub struct Store {
    /// None after a failed write: redb refuses every transaction after an I/O error (a full
    /// disk) until the file is opened again, which the next write does.
    db: Mutex<Option<Database>>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// redb's page cache. Everything is read once into memory at open, and each change writes a few
/// pages, so a large cache (redb's default is 1 GiB) would only hold a second copy of the file:
/// with a million deals it kept half a gigabyte resident after loading.
const CACHE_SIZE: usize = 32 * 1024 * 1024;

impl Store {
    /// Opens the Forsat database at `path`, creating it (and its folder) when missing, and
    /// reads every record into memory. A file closed cleanly is first copied as the backup of
    /// `today` when its settings keep backups (see [`backups_of`]); a failed backup does not stop
    /// the opening but is returned beside it.
    pub fn open(
        path: &Path,
        today: chrono::NaiveDate,
    ) -> Result<(Store, Records, Option<StoreError>), StoreError> {
        // A damaged file's refusal names the backup to restore.
        Self::open_checked(path, today).map_err(|e| with_backup(path, e))
    }

    fn open_checked(
        path: &Path,
        today: chrono::NaiveDate,
    ) -> Result<(Store, Records, Option<StoreError>), StoreError> {
        if !path.exists() {
            return Self::create(path).map(|(store, records)| (store, records, None));
        }
        check_header(path)?;
        let refusal = |e: ReadError| read_refusal(path, e);
        // A read-only look first: a foreign, newer or damaged file is refused before any
        // write. Only a file that needs crash recovery goes on to the repairing open below.
        let read_only = guard(path, || {
            redb::Builder::new()
                .set_cache_size(CACHE_SIZE)
                .open_read_only(path)
        })?;
        match read_only {
            Ok(db) => {
                let schema = check_meta(path, &db)?;
                let records = guard(path, || tables::load(&db, schema))?.map_err(refusal)?;
                drop(db);
                // Now, before anything writes, the file is a clean copy of the last commit.
                let backup_failed = match &records.settings {
                    Some(s) if s.backups => match backup::daily(path, today, s.backups_keep) {
                        Err(e @ StoreError::Corrupt { .. }) => return Err(e),
                        made => made.err(),
                    },
                    _ => None,
                };
                if schema < SCHEMA_VERSION {
                    migrate::back_up(path, schema)?;
                }
                let db = guard(path, || {
                    Database::builder().set_cache_size(CACHE_SIZE).open(path)
                })?
                .map_err(|e| open_refusal(path, e))?;
                let store = Store::wrap(db, path);
                migrate::run(&store, schema)?;
                return Ok((store, records, backup_failed));
            }
            // Not shut down cleanly: redb recovers it below, checking every page as it goes.
            Err(DatabaseError::RepairAborted) => {}
            Err(e) => return Err(open_refusal(path, e)),
        }
        let db = guard(path, || {
            Database::builder()
                .set_cache_size(CACHE_SIZE)
                .set_check_integrity_on_open(true)
                .open(path)
        })?
        .map_err(|e| open_refusal(path, e))?;
        let schema = check_meta(path, &db)?;
        let records = guard(path, || tables::load(&db, schema))?.map_err(refusal)?;
        if schema < SCHEMA_VERSION {
            migrate::back_up(path, schema)?;
        }
        let store = Store::wrap(db, path);
        migrate::run(&store, schema)?;
        Ok((store, records, None))
    }

    fn create(path: &Path) -> Result<(Store, Records), StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        let db = Database::builder()
            .set_cache_size(CACHE_SIZE)
            .create(path)
            .map_err(|e| open_refusal(path, e))?;
        let store = Store::wrap(db, path);
        let txn = store.begin()?;
        tables::create(&txn).map_err(|e| store.write_failed(e))?;
        txn.commit().map_err(|e| store.write_failed(e))?;
        Ok((
            store,
            Records {
                next_id: 1,
                ..Records::default()
            },
        ))
    }

    fn wrap(db: Database, path: &Path) -> Store {
        Store {
            db: Mutex::new(Some(db)),
            path: path.to_owned(),
        }
    }

    /// Runs `f` on the open database, opened again first if a failed write closed it.
    fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Database) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        let db = match &mut *slot {
            Some(db) => db,
            None => {
                let reopened = guard(&self.path, || {
                    Database::builder()
                        .set_cache_size(CACHE_SIZE)
                        .open(&self.path)
                })?
                .map_err(|e| open_refusal(&self.path, e))?;
                slot.insert(reopened)
            }
        };
        f(db)
    }

    /// The file this store writes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error for a failed write to this store.
    pub fn write_failed(&self, e: impl Into<redb::Error>) -> StoreError {
        StoreError::Write {
            path: self.path.clone(),
            detail: e.into().to_string(),
        }
    }

    fn begin(&self) -> Result<redb::WriteTransaction, StoreError> {
        self.with_db(|db| {
            let mut txn = db.begin_write().map_err(|e| self.write_failed(e))?;
            txn.set_durability(Durability::Immediate)
                .map_err(|e| self.write_failed(e))?;
            Ok(txn)
        })
    }

    /// Runs `f` in one durable write transaction: everything it writes commits together when it
    /// returns `Ok`; when it (or the commit) fails the transaction is dropped and nothing is written.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let txn = self.begin()?;
        let written = (|| {
            let value = {
                let mut tx = Tx::open(&txn).map_err(|e| self.write_failed(e))?;
                let value = f(&mut tx)?;
                tx.finish().map_err(|e| self.write_failed(e))?;
                value
            };
            txn.commit().map_err(|e| self.write_failed(e))?;
            Ok(value)
        })();
        if written.is_err() {
            // The file is closed (the lock released too) and opened again by the next write.
            *self.db.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
        written
    }

    /// redb's full check of the open file: every page's checksum and every tree's structure.
    /// A damaged file it could repair is reported as damaged all the same (what was lost
    /// cannot be told).
    pub fn check_integrity(&mut self) -> Result<(), StoreError> {
        self.with_db(|db| match db.check_integrity() {
            Ok(true) => Ok(()),
            Ok(false) => Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: "damaged pages were found and repaired".to_owned(),
            }),
            Err(e) => Err(open_refusal(&self.path, e)),
        })
    }

    /// One record's history, oldest first. A damaged entry's refusal names the backup to restore.
    pub fn history(&self, entity: EntityKind, id: Id) -> Result<Vec<HistoryEntry>, StoreError> {
        self.with_db(|db| {
            tables::history(db, entity, id)
                .map_err(|e| with_backup(&self.path, read_refusal(&self.path, e)))
        })
    }
}

/// Refuses empty files and files that are not redb databases, reading only their first bytes.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; REDB_MAGIC.len()];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    let detail = if read == 0 {
        "the file is empty"
    } else if head[..read] != REDB_MAGIC[..read.min(REDB_MAGIC.len())] || read < head.len() {
        "it is not a database file"
    } else {
        return Ok(());
    };
    Err(StoreError::Foreign {
        path: path.to_owned(),
        detail: detail.to_owned(),
    })
}

/// Refuses redb files of other programs and files of a newer schema; returns the file's schema.
fn check_meta(path: &Path, db: &impl redb::ReadableDatabase) -> Result<u32, StoreError> {
    let foreign = |detail: &str| StoreError::Foreign {
        path: path.to_owned(),
        detail: detail.to_owned(),
    };
    let corrupt = |e: redb::Error| StoreError::Corrupt {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let txn = db.begin_read().map_err(|e| corrupt(e.into()))?;
    let meta = match txn.open_table(META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return Err(foreign("a database of another program"));
        }
        Err(e) => return Err(corrupt(e.into())),
    };
    tables::vouch(&meta).map_err(|e| read_refusal(path, e))?;
    let app = meta.get(META_APP).map_err(|e| corrupt(e.into()))?;
    if app.as_ref().map(|v| v.value()) != Some(APP_TAG) {
        return Err(foreign("a database of another program"));
    }
    let schema = meta
        .get(META_SCHEMA)
        .map_err(|e| corrupt(e.into()))?
        .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            path: path.to_owned(),
            detail: "its schema version is missing".to_owned(),
        })?;
    if schema > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            detail: format!("schema {schema}; this version reads up to {SCHEMA_VERSION}"),
        });
    }
    Ok(schema)
}

/// Runs a redb call that may panic on a damaged file, turning the panic into a refusal.
fn guard<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T, StoreError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| StoreError::Corrupt {
        path: path.to_owned(),
        detail: panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "the storage engine could not read it".to_owned()),
    })
}

/// A refusal of a damaged file that names the newest backup to restore, if one opens.
fn with_backup(path: &Path, e: StoreError) -> StoreError {
    match (e, backup::newest_good(path)) {
        (StoreError::Corrupt { path, detail }, Some(backup)) => StoreError::Corrupt {
            path,
            detail: format!(
                "{detail}; the newest backup that opens is {}",
                backup.display()
            ),
        },
        (e, _) => e,
    }
}

fn open_refusal(path: &Path, e: DatabaseError) -> StoreError {
    match e {
        DatabaseError::DatabaseAlreadyOpen => StoreError::AlreadyOpen(path.to_owned()),
        DatabaseError::UpgradeRequired(v) => StoreError::TooNew {
            path: path.to_owned(),
            detail: format!("storage format {v}"),
        },
        // A page past the end of the file: the file was cut short.
        DatabaseError::Storage(redb::StorageError::Io(source))
            if source.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: "it ends before its last page: the file was cut short".to_owned(),
            }
        }
        DatabaseError::Storage(redb::StorageError::Io(source)) => StoreError::Io {
            path: path.to_owned(),
            source,
        },
        other => StoreError::Corrupt {
            path: path.to_owned(),
            detail: other.to_string(),
        },
    }
}

fn read_refusal(path: &Path, e: ReadError) -> StoreError {
    match e {
        ReadError::Record {
            table,
            key,
            error: error @ CodecError::NewerVersion(_),
        } => StoreError::TooNew {
            path: path.to_owned(),
            detail: format!("{table} record {key}: {error}"),
        },
        ReadError::Record { table, key, error } => StoreError::Corrupt {
            path: path.to_owned(),
            detail: format!("{table} record {key}: {error}"),
        },
        ReadError::Structure { table, detail } => StoreError::Corrupt {
            path: path.to_owned(),
            detail: format!("{table} table: {detail}"),
        },
        ReadError::Storage(e) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: e.to_string(),
        },
    }
}
