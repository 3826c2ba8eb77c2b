//! Schema 8 to 9: the changes of deals' expected close dates get a table of their own
//! (`close_dates`), written from then on with their history entries; here it is filled from
//! the history as it is, so the pushes of earlier years count.

use redb::WriteTransaction;

use crate::SCHEMA_VERSION;
use crate::domain::CloseDateChange;
use crate::tables::{META, META_SCHEMA, ReadError, Tx};

/// Returns the changes found, in id order.
pub(super) fn migrate(txn: &WriteTransaction) -> Result<Vec<CloseDateChange>, ReadError> {
    txn.open_table(META)?
        .insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    let mut tx = Tx::open(txn)?;
    let found = tx.index_close_dates()?;
    tx.finish()?;
    Ok(found)
}
