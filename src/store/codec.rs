//! Record encoding: one version byte, then postcard. Decoding is strict: an unknown version or
//! leftover bytes are errors, and a record from a newer Forsat is never rewritten.

use serde::{Serialize, de::DeserializeOwned};

/// The version byte written in front of every record.
pub const RECORD_VERSION: u8 = 1;

/// Why a stored record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    Empty,
    /// Written by a newer Forsat: this build must not touch it.
    NewerVersion(u8),
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
            CodecError::Malformed(detail) => write!(f, "malformed record: {detail}"),
            CodecError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the record"),
        }
    }
}

/// Encodes `value` behind the version byte.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![RECORD_VERSION];
    // postcard only fails to serialize on types it cannot represent (maps with non-serializable
    // keys, unknown-length sequences); none of ours are such, so this is a programming error.
    out.extend(postcard::to_allocvec(value).expect("stored records are postcard-serializable"));
    out
}

/// Decodes a record written by [`encode`], refusing other versions and leftover bytes.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    let (&version, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    match version {
        RECORD_VERSION => {}
        v if v > RECORD_VERSION => return Err(CodecError::NewerVersion(v)),
        v => return Err(CodecError::Malformed(format!("unknown version {v}"))),
    }
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

    #[test]
    fn round_trip_and_strictness() {
        let account = Account {
            id: 42,
            name: "شرکت داده‌پردازان آریا".to_owned(),
            source: Some(3),
            ..Account::default()
        };
        let bytes = encode(&account);
        assert_eq!(bytes[0], RECORD_VERSION);
        assert_eq!(decode::<Account>(&bytes), Ok(account));

        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            decode::<Account>(&longer),
            Err(CodecError::TrailingBytes(1))
        );

        let mut newer = bytes.clone();
        newer[0] = RECORD_VERSION + 1;
        assert_eq!(
            decode::<Account>(&newer),
            Err(CodecError::NewerVersion(RECORD_VERSION + 1))
        );
        assert_eq!(decode::<Account>(&[]), Err(CodecError::Empty));
        assert!(matches!(
            decode::<Settings>(&bytes[..3]),
            Err(CodecError::Malformed(_))
        ));
    }
}
