//! Fuzz target: loading saved data (envelopes of every kind, journal chunks, their storage text)
//! never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    lesenka_core::persist::fuzz_load(bytes);
});
