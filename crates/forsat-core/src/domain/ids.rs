//! Maps and sets keyed by record ids, hashed by one multiplication instead of `SipHash`.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::Id;

/// A hasher for record ids: ids are small distinct integers handed out in order, so one
/// multiplication spreads them well enough, at a fraction of `SipHash`'s cost. Not for keys an
/// attacker chooses.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(n.into());
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n.into());
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        // Fibonacci hashing (the golden ratio's 64-bit fraction), as FxHash does.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by integers the program makes (ids, period numbers), hashed by [`IdHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A map keyed by record ids.
pub type IdMap<V> = FastMap<Id, V>;

/// A set of record ids.
pub type IdSet = HashSet<Id, BuildHasherDefault<IdHasher>>;
