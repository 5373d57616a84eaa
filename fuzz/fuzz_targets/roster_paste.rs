//! Fuzz target: reading a pasted roster never panics and keeps every non-blank line accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let paste = lesenka_core::roster::parse_roster(text);
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(paste.names.len() + paste.problems.len() <= lines);
});
