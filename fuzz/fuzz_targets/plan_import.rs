//! Fuzz target: importing a pasted plan never panics, accounts for every input line, and every
//! line marked as a problem is named by a located problem (nothing is dropped silently).
#![no_main]

use lesenka_core::plan::import::LineUse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let import = lesenka_core::plan::import_plan(text);
    assert_eq!(import.lines.len(), text.lines().count(), "every line gets a use");
    for (index, used) in import.lines.iter().enumerate() {
        if *used == LineUse::Problem {
            let line = index + 1;
            assert!(
                import.problems.iter().any(|p| p.line <= line && line <= p.last_line),
                "line {line} is marked as a problem but no problem names it"
            );
        }
    }
});
