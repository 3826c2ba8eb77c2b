//! Schema 10 to 11: every contact gains other emails, other phones and notes, all empty: the
//! contacts are written again in the new layout. The step stamps the schema.

use redb::{ReadableTable as _, TableHandle as _, WriteTransaction};

use crate::SCHEMA_VERSION;
use crate::domain::{Contact, ContactV10, Record};
use crate::tables::{CONTACTS, META, META_SCHEMA, ReadError, Tx, unseal};

pub(super) fn migrate(txn: &WriteTransaction) -> Result<(), ReadError> {
    let contacts = {
        let table = txn.open_table(CONTACTS)?;
        let mut contacts = Vec::new();
        for row in table.iter()? {
            let (key, value) = row?;
            let old: ContactV10 = unseal(CONTACTS.name(), key.value(), value.value())?;
            contacts.push(Contact::from(old));
        }
        contacts
    };
    txn.open_table(META)?
        .insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    let mut tx = Tx::open(txn)?;
    for contact in contacts {
        tx.put_record(&Record::Contact(contact))
            .map_err(redb::Error::from)?;
    }
    tx.finish()?;
    Ok(())
}
