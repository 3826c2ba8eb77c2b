//! Schema 8 to 9: the changes of deals' expected close dates get a table of their own
//! (`close_dates`), written from then on with their history entries; here it is filled from
//! the history as it is, so the pushes of earlier years count.

use redb::WriteTransaction;

use crate::domain::CloseDateChange;
use crate::tables::{ReadError, Tx};

/// Returns the changes found, in id order.
pub(super) fn migrate(txn: &WriteTransaction) -> Result<Vec<CloseDateChange>, ReadError> {
    let mut tx = Tx::open(txn)?;
    let found = tx.index_close_dates()?;
    tx.finish()?;
    Ok(found)
}
