//! Schema 6 to 7: every stage gains its forecast category, from its probability as a new
//! stage gets it. A deal's forecast choice needs nothing: schema 6's bool ("in the forecast")
//! is stored as the bytes of its first two variants (omitted, following the stage).

use redb::{ReadableTable as _, TableHandle as _, WriteTransaction};

use crate::SCHEMA_VERSION;
use crate::domain::{Stage, StageV6};
use crate::tables::{META, META_SCHEMA, ReadError, STAGES, Tx, unseal};

pub(super) fn migrate(txn: &WriteTransaction) -> Result<(), ReadError> {
    let stages = {
        let table = txn.open_table(STAGES)?;
        let mut stages = Vec::new();
        for row in table.iter()? {
            let (key, value) = row?;
            let old: StageV6 = unseal(STAGES.name(), key.value(), value.value())?;
            stages.push(Stage::from(old));
        }
        stages
    };
    txn.open_table(META)?
        .insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    let mut tx = Tx::open(txn)?;
    for stage in &stages {
        tx.put_stage(stage).map_err(redb::Error::from)?;
    }
    tx.finish()?;
    Ok(())
}
