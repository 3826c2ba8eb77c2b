//! The durable truth: one redb file holding every record as a version byte plus postcard.
//!
//! Opening never writes to a file it has not recognised: a missing file is created, a Forsat
//! file is opened, and anything else (empty, foreign, damaged, newer, not a regular file) is
//! refused untouched. One process at a time opens a file: it takes the lock file beside it
//! before reading a byte and keeps it until the last byte is written. The file is read through
//! a read-only handle, opened for writing only at the first write; damage met at any point (a
//! panic of redb included) is a refusal, after which nothing more is written.

mod backup;
mod codec;
mod error;
pub mod files;
mod migrate;
mod tables;
mod upgrade;

use std::cell::Cell;
use std::fs::{File, OpenOptions, TryLockError};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, PoisonError};
use std::time::Duration;

use redb::{Database, DatabaseError, Durability};

pub use backup::{backups_of, check, newest_good, now as back_up_now, restore};
pub use codec::{CodecError, RECORD_VERSION, decode, decode_legacy, encode, seal};
pub use error::{StoreError, TxError};
pub use files::{FileError, Replace, write_file};
pub use tables::{CloseEdit, Records, SCHEMA_VERSION, TrashEntry, Tx};

use crate::domain::{EntityKind, HistoryEntry, Id};
use forsat_core::{analytics, domain};
use forsat_i18n::tr;
use tables::{APP_TAG, META, META_APP, META_SCHEMA, ReadError};

/// The first bytes of every redb file.
const REDB_MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];

/// An open database file. This process is its one writer for as long as the store lives: the
/// lock is taken before the first byte is read and released after the last is written.
pub struct Store {
    /// None after a failed write: redb refuses every transaction after an I/O error (a full
    /// disk) until the file is opened again, which the next write does.
    db: Mutex<Option<Database>>,
    /// The read-only handle the records were loaded through, kept until the first write
    /// (which closes it and opens `db`): a session that only reads never writes the file.
    reader: Mutex<Option<redb::ReadOnlyDatabase>>,
    /// Set when a read or write met damage: the handle is then abandoned without closing it,
    /// since closing writes, and nothing more is read or written in this run. The file is left
    /// as after a crash, so the next opening checks every page.
    damaged: Mutex<Option<String>>,
    path: PathBuf,
    /// The lock file, locked: released when dropped, after [`Drop`] closed the database.
    _lock: File,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Drop for Store {
    /// Closes the database before the lock is released. Closing writes (the allocator state, the
    /// header) and reads pages to do it: a panic there on a damaged file is caught like any
    /// other, never reported as a crash.
    fn drop(&mut self) {
        let db = lock_ignoring_poison(&self.db).take();
        let reader = lock_ignoring_poison(&self.reader).take();
        let _ = guard(&self.path, || {
            drop(db);
            drop(reader);
            Ok(())
        });
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

    /// Everything before the writable open reads the file through a read-only handle: a file
    /// is written only once it has been read whole (and, on the day's first opening or after a
    /// crash, checked page by page in a copy) without damage.
    fn open_checked(
        path: &Path,
        today: chrono::NaiveDate,
    ) -> Result<(Store, Records, Option<StoreError>), StoreError> {
        let existed = is_regular_file(path)?;
        if let Some(dir) = path
            .parent()
            .filter(|d| !existed && !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let lock = lock(path)?;
        // Another process may have created it before this one took the lock.
        if !existed && !is_regular_file(path)? {
            return Self::create(path, lock).map(|(store, records)| (store, records, None));
        }
        check_header(path)?;
        let read_only = guard(path, || {
            Ok(redb::Builder::new()
                .set_cache_size(CACHE_SIZE)
                .open_read_only(path))
        })?;
        let (records, schema, backup_failed, reader) = match read_only {
            Ok(db) => {
                let (schema, records) = guard(path, || {
                    let schema = check_meta(path, &db)?;
                    let records = tables::load(&db, schema).map_err(|e| read_refusal(path, e))?;
                    Ok((schema, records))
                })?;
                // Before anything writes, the file is a clean copy of the last commit.
                let backup_failed = match &records.settings {
                    Some(s) if s.backups => match backup::daily(path, today, s.backups_keep) {
                        Err(e @ StoreError::Corrupt { .. }) => return Err(e),
                        made => made.err(),
                    },
                    _ => None,
                };
                (records, schema, backup_failed, Some(db))
            }
            // Not shut down cleanly: a copy is recovered and checked page by page first; the
            // file itself is recovered (written) only once the copy proved sound.
            Err(DatabaseError::RepairAborted) => {
                let (schema, records) = backup::recovered_copy(path)?;
                (records, schema, None, None)
            }
            Err(e) => return Err(open_refusal(path, e)),
        };
        if schema == SCHEMA_VERSION
            && let Some(reader) = reader
        {
            return Ok((
                Store::wrap(None, Some(reader), path, lock),
                records,
                backup_failed,
            ));
        }
        // A migration or a recovery writes now.
        let recovering = reader.is_none();
        if let Some(reader) = reader {
            guard(path, || {
                drop(reader);
                Ok(())
            })?;
        }
        if schema < SCHEMA_VERSION {
            migrate::back_up(path, schema)?;
        }
        let db = guard(path, || {
            Database::builder()
                .set_cache_size(CACHE_SIZE)
                .set_check_integrity_on_open(recovering)
                .open(path)
                .map_err(|e| open_refusal(path, e))
        })?;
        let store = Store::wrap(Some(db), None, path, lock);
        let mut records = records;
        let migrated = store.guarded(|| migrate::run(&store, schema))?;
        if let Some(close_dates) = migrated.close_dates {
            records.close_dates = close_dates;
        }
        if let Some(activities) = migrated.activities {
            records.activities = activities;
        }
        Ok((store, records, backup_failed))
    }

    fn create(path: &Path, lock: File) -> Result<(Store, Records), StoreError> {
        let db = guard(path, || {
            Database::builder()
                .set_cache_size(CACHE_SIZE)
                .create(path)
                .map_err(|e| open_refusal(path, e))
        })?;
        let store = Store::wrap(Some(db), None, path, lock);
        store.guarded(|| {
            let txn = store.begin()?;
            tables::create(&txn).map_err(|e| store.write_failed(e))?;
            txn.commit().map_err(|e| store.write_failed(e))
        })?;
        Ok((
            store,
            Records {
                next_id: 1,
                ..Records::default()
            },
        ))
    }

    fn wrap(
        db: Option<Database>,
        reader: Option<redb::ReadOnlyDatabase>,
        path: &Path,
        lock: File,
    ) -> Store {
        Store {
            db: Mutex::new(db),
            reader: Mutex::new(reader),
            damaged: Mutex::new(None),
            path: path.to_owned(),
            _lock: lock,
        }
    }

    /// Runs `f` on the database opened for writing: opened first on the first write (the
    /// read-only handle closed), or again if a failed write closed it. Damage met on the way (a
    /// panic included) leaves the store damaged.
    fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Database) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if let Some(detail) = lock_ignoring_poison(&self.damaged).as_deref() {
            return Err(self.damaged(detail));
        }
        let mut slot = lock_ignoring_poison(&self.db);
        let done = match &mut *slot {
            Some(db) => guard(&self.path, || f(db)),
            None => guard(&self.path, || {
                drop(lock_ignoring_poison(&self.reader).take());
                Database::builder()
                    .set_cache_size(CACHE_SIZE)
                    .open(&self.path)
                    .map_err(|e| open_refusal(&self.path, e))
            })
            .and_then(|db| guard(&self.path, || f(slot.insert(db)))),
        };
        drop(slot);
        if let Err(StoreError::Corrupt { detail, .. }) = &done {
            self.abandon(detail);
        }
        done
    }

    /// Runs `f`, which works on this store's transactions, turning a panic into a refusal that
    /// leaves the store damaged.
    fn guarded<T>(&self, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
        guard(&self.path, f).inspect_err(|e| {
            if let StoreError::Corrupt { detail, .. } = e {
                self.abandon(detail);
            }
        })
    }

    /// Gives up the handle after damage without closing it: closing writes (the allocator
    /// state, the header), and nothing is written to a damaged file. Its memory and file handle
    /// are kept until the process ends; the file is left marked for recovery, as after a crash.
    fn abandon(&self, detail: &str) {
        lock_ignoring_poison(&self.damaged).get_or_insert_with(|| detail.to_owned());
        if let Some(db) = lock_ignoring_poison(&self.db).take() {
            std::mem::forget(db);
        }
        if let Some(reader) = lock_ignoring_poison(&self.reader).take() {
            std::mem::forget(reader);
        }
    }

    fn damaged(&self, detail: &str) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail: detail.to_owned(),
        }
    }

    /// The file this store writes to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The error for a failed write to this store.
    pub fn write_failed(&self, e: impl Into<TxError>) -> StoreError {
        match e.into().0 {
            redb::Error::Corrupted(detail) => {
                // Noted for `write`, which abandons the handle when the transaction fails.
                lock_ignoring_poison(&self.damaged).get_or_insert_with(|| detail.clone());
                self.damaged(&detail)
            }
            e => StoreError::Write {
                path: self.path.clone(),
                detail: e.to_string(),
            },
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
        // The transaction is moved in: a panic drops it while unwinding, when redb writes nothing.
        let written = self.guarded(move || {
            Ok((|| {
                let value = {
                    let mut tx = Tx::open(&txn).map_err(|e| self.write_failed(e))?;
                    let value = f(&mut tx)?;
                    tx.finish().map_err(|e| self.write_failed(e))?;
                    value
                };
                txn.commit().map_err(|e| self.write_failed(e))?;
                Ok(value)
            })())
        })?;
        if written.is_err() {
            match lock_ignoring_poison(&self.damaged).clone() {
                Some(detail) => self.abandon(&detail),
                // Closed and opened again by the next write; the lock stays held.
                None => *lock_ignoring_poison(&self.db) = None,
            }
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
                detail: tr!("damaged pages were found and repaired"),
            }),
            Err(e) => Err(open_refusal(&self.path, e)),
        })
    }

    /// One record's history, oldest first. A damaged entry's refusal names the backup to restore.
    pub fn history(&self, entity: EntityKind, id: Id) -> Result<Vec<HistoryEntry>, StoreError> {
        self.read_history(Some((entity, id)))
    }

    /// Checks every history entry and that none is missing, before the whole history is
    /// written out (a record's own read cannot see an entry that damage hides).
    pub fn check_history(&self) -> Result<(), StoreError> {
        self.read_history(None).map(drop)
    }

    fn read_history(&self, of: Option<(EntityKind, Id)>) -> Result<Vec<HistoryEntry>, StoreError> {
        let refusal = |e| with_backup(&self.path, read_refusal(&self.path, e));
        let reader = lock_ignoring_poison(&self.reader);
        let Some(db) = reader.as_ref() else {
            drop(reader);
            return self.with_db(|db| tables::history(db, of).map_err(refusal));
        };
        let found = guard(&self.path, || tables::history(db, of).map_err(refusal));
        drop(reader);
        if let Err(StoreError::Corrupt { detail, .. }) = &found {
            self.abandon(detail);
        }
        found
    }
}

/// A mutex's value, also after a panic while it was held (caught by [`guard`]).
fn lock_ignoring_poison<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Takes the lock that makes this process the one that opens the file at `db` (the database
/// itself, a check, a backup or a restore): another process holding it is told at once.
fn lock(db: &Path) -> Result<File, StoreError> {
    let path = files::lock_path(db);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        // An existing lock file this user may not write is locked all the same.
        .or_else(|e| File::open(&path).map_err(|_| e))
        .map_err(io(&path))?;
    // A process started by this one holds a copy of every descriptor, the lock's included,
    // from its fork to its exec: an instant, waited for (0.1 s at most) before a refusal.
    for _ in 0..20 {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(5)),
            Err(TryLockError::Error(source)) => return Err(StoreError::Io { path, source }),
        }
    }
    Err(StoreError::AlreadyOpen(db.to_owned()))
}

/// Whether a file is at `path` (following links); anything else there — a folder, a named
/// pipe, a device, a link to nothing — is refused before it is opened (a pipe would block).
fn is_regular_file(path: &Path) -> Result<bool, StoreError> {
    let kind = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => return Ok(true),
        Ok(meta) => meta.file_type(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match std::fs::symlink_metadata(path) {
                Ok(_) => Err(StoreError::Foreign {
                    path: path.to_owned(),
                    detail: tr!("it is a link to a file that does not exist"),
                }),
                Err(_) => Ok(false),
            };
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    #[cfg(unix)]
    let pipe = std::os::unix::fs::FileTypeExt::is_fifo(&kind);
    #[cfg(not(unix))]
    let pipe = false;
    let detail = if kind.is_dir() {
        tr!("it is a folder")
    } else if pipe {
        tr!("it is a named pipe (FIFO), not a file")
    } else {
        tr!("it is a device or another special file, not a regular file")
    };
    Err(StoreError::Foreign {
        path: path.to_owned(),
        detail,
    })
}

/// An I/O error's conversion naming the file it happened to.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_owned();
    move |source| StoreError::Io { path, source }
}

/// Refuses empty files and files that are not redb databases, reading only their first bytes.
fn check_header(path: &Path) -> Result<(), StoreError> {
    let mut file = File::open(path).map_err(io(path))?;
    check_head(path, &mut file)
}

/// [`check_header`] of the file at `path`, read from `file`.
fn check_head(path: &Path, file: &mut impl std::io::Read) -> Result<(), StoreError> {
    let mut head = [0u8; REDB_MAGIC.len()];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(io(path))? {
            0 => break,
            n => read += n,
        }
    }
    let detail = if read == 0 {
        tr!("the file is empty")
    } else if head[..read] != REDB_MAGIC[..read.min(REDB_MAGIC.len())] || read < head.len() {
        tr!("it is not a database file")
    } else {
        return Ok(());
    };
    Err(StoreError::Foreign {
        path: path.to_owned(),
        detail,
    })
}

/// Refuses redb files of other programs and files of a newer schema; returns the file's schema.
fn check_meta(path: &Path, db: &impl redb::ReadableDatabase) -> Result<u32, StoreError> {
    let foreign = || StoreError::Foreign {
        path: path.to_owned(),
        detail: tr!("a database of another program"),
    };
    let corrupt = |e: redb::Error| StoreError::Corrupt {
        path: path.to_owned(),
        detail: e.to_string(),
    };
    let txn = db.begin_read().map_err(|e| corrupt(e.into()))?;
    let meta = match txn.open_table(META) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => {
            return Err(foreign());
        }
        Err(e) => return Err(corrupt(e.into())),
    };
    tables::vouch(&meta).map_err(|e| read_refusal(path, e))?;
    let app = meta.get(META_APP).map_err(|e| corrupt(e.into()))?;
    if app.as_ref().map(redb::AccessGuard::value) != Some(APP_TAG) {
        return Err(foreign());
    }
    let schema = meta
        .get(META_SCHEMA)
        .map_err(|e| corrupt(e.into()))?
        .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            path: path.to_owned(),
            detail: tr!("its schema version is missing"),
        })?;
    if schema > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            detail: tr!(
                "schema {schema}; this version reads up to {newest}",
                schema = schema,
                newest = SCHEMA_VERSION
            ),
        });
    }
    Ok(schema)
}

thread_local! {
    /// How many [`guard`]s this thread is inside: their panics are caught and reported as a
    /// damaged file, so the panic hook stays silent for them.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` on a thread that a [`guard`] on another thread waits for (a scoped thread of its
/// work): a panic there prints nothing either, and reaches the guard through the join.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    GUARDED.with(|g| g.set(g.get() + 1));
    let out = f();
    GUARDED.with(|g| g.set(g.get() - 1));
    out
}

/// Runs redb calls that may panic on a damaged file (redb's debug builds panic where release
/// builds return an error), turning a panic into a refusal. The panic prints nothing: the
/// refusal is the one message. Panics anywhere else keep the default report.
fn guard<T>(path: &Path, f: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                report(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(g.get() + 1));
    let caught = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    caught.unwrap_or_else(|panic| {
        Err(StoreError::Corrupt {
            path: path.to_owned(),
            detail: panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| tr!("the storage engine could not read it")),
        })
    })
}

/// A refusal of a damaged file that names the newest backup to restore, if one opens.
fn with_backup(path: &Path, e: StoreError) -> StoreError {
    match (e, backup::newest_good(path)) {
        // A file whose own backups open was a Forsat database: a header that no longer says so
        // (a flipped byte, a zeroed first page, a file cut to nothing) is damage, with a backup
        // to restore, not another program's file.
        (
            StoreError::Corrupt { path, detail } | StoreError::Foreign { path, detail },
            Some(backup),
        ) => StoreError::Corrupt {
            path,
            detail: tr!(
                "{detail}; the newest backup that opens is {backup}",
                detail = detail,
                backup = backup.display()
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
            detail: tr!("storage format {version}", version = v),
        },
        // A page past the end of the file: the file was cut short.
        DatabaseError::Storage(redb::StorageError::Io(source))
            if source.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            StoreError::Corrupt {
                path: path.to_owned(),
                detail: tr!("it ends before its last page: the file was cut short"),
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
