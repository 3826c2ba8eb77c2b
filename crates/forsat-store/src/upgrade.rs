//! Per-record upgrades: a record of an older schema brought to this build's layout as it is
//! read. Loading (`tables`) and migrating (`migrate`) both use them; keeping them here, apart
//! from both, leaves the modules one-way: `migrate` → `tables` → `upgrade`, never back.

use std::borrow::Cow;

/// A record that needs no upgrade.
pub(crate) fn as_is(bytes: &[u8]) -> Cow<'_, [u8]> {
    Cow::Borrowed(bytes)
}

/// A stored deal of a file of `schema` in this build's layout.
pub(crate) fn opportunity(bytes: &[u8], schema: u32) -> Cow<'_, [u8]> {
    if schema < 3 {
        let mut bytes = bytes.to_vec();
        bytes.push(0);
        Cow::Owned(bytes)
    } else {
        Cow::Borrowed(bytes)
    }
}
