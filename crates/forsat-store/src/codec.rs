//! Record encoding: one version byte, a CRC-32 of the record and of where it is stored, then
//! postcard. Decoding is strict: the checksum must match the table and key the record is read
//! from, and an unknown version or leftover bytes are errors. A record from a newer Forsat is
//! never rewritten.
//!
//! The checksum covers the version byte, the table's name, the key's bytes as redb stores them
//! and the body: a flipped bit anywhere in a record (or a record read under another key or from
//! another table) is refused, where a plain postcard decode would read most flips as other data
//! (another amount, another lookup, another date).

use serde::{Serialize, de::DeserializeOwned};

/// The version byte written in front of every record (from schema 6 on).
pub const RECORD_VERSION: u8 = 2;

/// The version of the records of files of schema 5 and older: no checksum. Read only to be
/// migrated.
const LEGACY_VERSION: u8 = 1;

/// Version byte and checksum.
const HEADER: usize = 1 + 4;

/// Why a stored record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    Empty,
    /// Written by a newer Forsat: this build must not touch it.
    NewerVersion(u8),
    /// The checksum does not match: the record was changed after it was written, or is read
    /// from another place than it was written to.
    Damaged,
    Malformed(String),
    TrailingBytes(usize),
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecError::Empty => write!(f, "empty record"),
            CodecError::NewerVersion(v) => write!(
                f,
                "record version {v} was written by a newer Forsat (this one reads version {RECORD_VERSION})"
            ),
            CodecError::Damaged => write!(
                f,
                "its checksum does not match: it was changed after it was written"
            ),
            CodecError::Malformed(detail) => write!(f, "malformed record: {detail}"),
            CodecError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the record"),
        }
    }
}

/// The checksum of a record of `table` stored under `key` (redb's bytes of it).
fn checksum(table: &str, key: &[u8], body: &[u8]) -> u32 {
    // Lengths first, so that no two (table, key) pairs feed the same bytes.
    let table_len = u32::try_from(table.len()).unwrap_or(u32::MAX).to_le_bytes();
    let key_len = u32::try_from(key.len()).unwrap_or(u32::MAX).to_le_bytes();
    let place: [&[u8]; 5] = [
        &[RECORD_VERSION],
        &table_len,
        table.as_bytes(),
        &key_len,
        key,
    ];
    let mut hasher = crc32fast::Hasher::new();
    // One short update rather than five: at a million records, short updates cost.
    let mut joined = [0u8; 64];
    let mut at = 0;
    for part in place {
        match joined.get_mut(at..at + part.len()) {
            Some(room) => room.copy_from_slice(part),
            None => {
                hasher.update(&joined[..at]);
                hasher.update(part);
                at = 0;
                continue;
            }
        }
        at += part.len();
    }
    hasher.update(&joined[..at]);
    hasher.update(body);
    hasher.finalize()
}

/// Encodes `value` as the record of `table` under `key` (redb's bytes of the key).
pub fn encode<T: Serialize>(table: &str, key: &[u8], value: &T) -> Vec<u8> {
    // postcard only fails to serialize on types it cannot represent (maps with non-serializable
    // keys, unknown-length sequences); none of ours are such, so this is a programming error.
    let body = postcard::to_allocvec(value).expect("stored records are postcard-serializable");
    seal(table, key, &body)
}

/// Frames an already serialized `body` as the record of `table` under `key`.
pub fn seal(table: &str, key: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.push(RECORD_VERSION);
    out.extend_from_slice(&checksum(table, key, body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The body of a version-2 record after its version byte, when its checksum matches.
fn verified<'b>(table: &str, key: &[u8], rest: &'b [u8]) -> Option<&'b [u8]> {
    let (sum, body) = rest.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*sum) == checksum(table, key, body)).then_some(body)
}

/// Decodes a record written by [`encode`] for the same `table` and `key`, refusing a checksum
/// that does not match, other versions and leftover bytes.
pub fn decode<T: DeserializeOwned>(table: &str, key: &[u8], bytes: &[u8]) -> Result<T, CodecError> {
    let (&version, rest) = bytes.split_first().ok_or(CodecError::Empty)?;
    if version != RECORD_VERSION {
        // A sound record whose version byte alone was flipped is damage, not a newer Forsat.
        if verified(table, key, rest).is_some() {
            return Err(CodecError::Damaged);
        }
        return Err(match version {
            v if v > RECORD_VERSION => CodecError::NewerVersion(v),
            v => CodecError::Malformed(format!(
                "version {v} where version {RECORD_VERSION} was expected"
            )),
        });
    }
    postcard_only(verified(table, key, rest).ok_or(CodecError::Damaged)?)
}

/// Decodes a record of a file of schema 5 or older (version 1: no checksum), to migrate it.
pub fn decode_legacy<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&version, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    match version {
        LEGACY_VERSION => postcard_only(body),
        v if v > LEGACY_VERSION => Err(CodecError::NewerVersion(v)),
        v => Err(CodecError::Malformed(format!("unknown version {v}"))),
    }
}

/// Decodes a postcard body that must be read to its last byte.
fn postcard_only<T: DeserializeOwned>(body: &[u8]) -> Result<T, CodecError> {
    let (value, rest) =
        postcard::take_from_bytes(body).map_err(|e| CodecError::Malformed(e.to_string()))?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(CodecError::TrailingBytes(rest.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Account, Settings};

    const KEY: &[u8] = &42u64.to_le_bytes();

    #[test]
    fn round_trip_and_strictness() {
        let account = Account {
            id: 42,
            name: "شرکت داده‌پردازان آریا".to_owned(),
            source: Some(3),
            ..Account::default()
        };
        let bytes = encode("accounts", KEY, &account);
        assert_eq!(bytes[0], RECORD_VERSION);
        assert_eq!(decode::<Account>("accounts", KEY, &bytes), Ok(account));

        // A byte more changes the checksummed body; sealed again, it is leftover bytes.
        let mut body = bytes[HEADER..].to_vec();
        body.push(0);
        assert_eq!(
            decode::<Account>("accounts", KEY, &seal("accounts", KEY, &body)),
            Err(CodecError::TrailingBytes(1))
        );

        // A newer Forsat's record (its own framing) is refused as newer, not as damage.
        let newer = [RECORD_VERSION + 1, 9, 9, 9, 9, 9];
        assert_eq!(
            decode::<Account>("accounts", KEY, &newer),
            Err(CodecError::NewerVersion(RECORD_VERSION + 1))
        );
        assert_eq!(
            decode::<Account>("accounts", KEY, &[]),
            Err(CodecError::Empty)
        );
        assert_eq!(
            decode::<Settings>("accounts", KEY, &bytes[..3]),
            Err(CodecError::Damaged)
        );
        let other = seal("meta", b"settings", &bytes[HEADER..]);
        assert!(matches!(
            decode::<Settings>("meta", b"settings", &other),
            Err(CodecError::Malformed(_))
        ));
    }

    #[test]
    fn a_record_is_sound_only_where_it_was_written() {
        let bytes = encode("accounts", KEY, &Account::default());
        assert_eq!(
            decode::<Account>("accounts", &43u64.to_le_bytes(), &bytes),
            Err(CodecError::Damaged)
        );
        assert_eq!(
            decode::<Account>("contacts", KEY, &bytes),
            Err(CodecError::Damaged)
        );
    }

    #[test]
    fn legacy_records_are_read_without_a_checksum() {
        let mut bytes = vec![LEGACY_VERSION];
        bytes.extend(postcard::to_allocvec(&true).unwrap());
        assert_eq!(decode_legacy::<bool>(&bytes), Ok(true));
        bytes[0] = RECORD_VERSION;
        assert_eq!(
            decode_legacy::<bool>(&bytes),
            Err(CodecError::NewerVersion(RECORD_VERSION))
        );
        // Not read as a current record: it has no checksum.
        assert!(decode::<bool>("meta", b"first_start_done", &bytes).is_err());
    }
}
