//! Schema 9 to 10: every activity gains a time of day, a duration, notes and a salesperson,
//! all empty, and the UID of its calendar event (given now): the activities are written again
//! in the new layout. The step stamps the schema.

use redb::{ReadableTable as _, TableHandle as _, WriteTransaction};

use crate::SCHEMA_VERSION;
use crate::domain::{Activity, ActivityV9, Record};
use crate::tables::{ACTIVITIES, META, META_SCHEMA, ReadError, Tx, unseal};

/// Returns the activities as written, in id order.
pub(super) fn migrate(txn: &WriteTransaction) -> Result<Vec<Activity>, ReadError> {
    let now = chrono::Utc::now();
    let activities = {
        let table = txn.open_table(ACTIVITIES)?;
        let mut activities = Vec::new();
        for row in table.iter()? {
            let (key, value) = row?;
            let old: ActivityV9 = unseal(ACTIVITIES.name(), key.value(), value.value())?;
            let mut activity = Activity::from(old);
            activity.give_uid(now);
            activities.push(activity);
        }
        activities
    };
    txn.open_table(META)?
        .insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    let mut tx = Tx::open(txn)?;
    for activity in &activities {
        tx.put_record(&Record::Activity(activity.clone()))
            .map_err(redb::Error::from)?;
    }
    tx.finish()?;
    Ok(activities)
}
