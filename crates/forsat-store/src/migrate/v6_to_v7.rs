//! Schema 6 to 7: every stage gains its forecast category, from its probability as a new
//! stage gets it, and the settings the choice of predicted probabilities (off). A deal's
//! forecast choice needs nothing: schema 6's bool ("in the forecast") is stored as the bytes
//! of its first two variants (omitted, following the stage).

use redb::{ReadableTable as _, TableHandle as _, WriteTransaction};

use crate::SCHEMA_VERSION;
use crate::domain::{Settings, SettingsV6, Stage, StageV6};
use crate::tables::{META, META_SCHEMA, META_SETTINGS, ReadError, STAGES, Tx, unseal};

/// `from`: the schema the file had; one older than 6 was given this build's settings by the
/// step before.
pub(super) fn migrate(txn: &WriteTransaction, from: u32) -> Result<(), ReadError> {
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
    let settings = {
        let mut meta = txn.open_table(META)?;
        let settings = match meta.get(META_SETTINGS)? {
            Some(bytes) if from == 6 => {
                let old: SettingsV6 = unseal(META.name(), META_SETTINGS, bytes.value())?;
                Some(Settings::from(old))
            }
            _ => None,
        };
        meta.insert(META_SCHEMA, SCHEMA_VERSION.to_le_bytes().as_slice())?;
        settings
    };
    let mut tx = Tx::open(txn)?;
    for stage in &stages {
        tx.put_stage(stage).map_err(redb::Error::from)?;
    }
    if let Some(settings) = &settings {
        tx.put_settings(settings).map_err(redb::Error::from)?;
    }
    tx.finish()?;
    Ok(())
}
