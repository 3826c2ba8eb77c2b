//! Schema 7 to 8: `meta` may hold the goals. No record changes; the schema number (and the
//! tally that vouches for it) says so, so an older Forsat refuses the file as too new instead
//! of taking its goals for damage.

use redb::WriteTransaction;

use crate::SCHEMA_VERSION;
use crate::tables::{META, META_SCHEMA, ReadError, Tx};

pub(super) fn migrate(txn: &WriteTransaction) -> Result<(), ReadError> {
    txn.open_table(META)?
        .insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    Tx::open(txn)?.finish()?;
    Ok(())
}
