//! Any bytes as a stored record of each kind: decoded or refused, never a panic
//! (`forsat::fuzzing`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| forsat::fuzzing::decode_record(data));
