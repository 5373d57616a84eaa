//! Tidy: repository-wide rules no compiler checks.
//!
//! Every Rust module starts with a `//!` doc saying what it is for, and no stub macro is left in
//! the tree. Test, bench and build files are exempt from the doc rule, as in the before-stop hook.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").into()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | "dist" | ".git" | ".tools" | "node_modules") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn tree() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    files.sort();
    assert!(files.len() > 20, "the walk found too few files: {files:?}");
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[test]
fn every_module_starts_with_a_doc_comment() {
    let exempt = |rel: &str| {
        // `tests/` at the top is the browser-test package, whose library is a module like any
        // other; integration-test folders inside a package are exempt.
        rel.split('/').skip(1).any(|part| matches!(part, "tests" | "benches" | "examples"))
            || rel.ends_with("build.rs")
    };
    let missing: Vec<String> = tree()
        .iter()
        .map(|path| (relative(path), fs::read_to_string(path).unwrap_or_default()))
        .filter(|(rel, text)| {
            !exempt(rel) && !text.lines().take(5).any(|line| line.starts_with("//!"))
        })
        .map(|(rel, _)| rel)
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` doc at the top: {missing:#?}");
}

#[test]
fn no_stubs_or_debug_prints_are_left() {
    let banned = [concat!("todo", "!("), concat!("unimplemented", "!("), concat!("dbg", "!(")];
    let found: Vec<String> = tree()
        .iter()
        .flat_map(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            let rel = relative(path);
            text.lines()
                .enumerate()
                .filter(|(_, line)| banned.iter().any(|b| line.contains(b)))
                .map(|(n, line)| format!("{rel}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(found.is_empty(), "left in the code: {found:#?}");
}

/// Core's functions and methods that compute a weighted average, a term mark or a what-if, or
/// assemble their calculation. Shells (`app/`, `crates/cli/`) get all of these through core's
/// report API instead — `Gradebook::report`, `Gradebook::report_labelled` and
/// `Gradebook::what_if_explained` — so none of them is named there.
const MARKS_FREE_FUNCTIONS: [&str; 4] =
    ["explain_average", "fewest_marks", "fewest_marks_any", "explain_what_if"];
/// Calls of core's methods and associated functions that compute the same (`b.average(…)` of a
/// gradebook, `rule.decide(…)` of a term rule, …).
const MARKS_CALLS: [&str; 8] = [
    ".average(",
    ".summary(",
    ".what_if(",
    ".what_if_any(",
    ".explain_average(",
    ".decide(",
    "term_rule().explain(",
    "Average::of(",
];

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `word` occurs in `line` as a whole identifier (so `fewest_marks` is not found in
/// `fewest_marks_any`, nor `explain_what_if` in `explain_what_if_answer`).
fn has_word(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// The lines of `text` (1-based) that name a marks computation outside the report API, with
/// what they name. Comment lines are skipped.
fn marks_computations(text: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        for word in MARKS_FREE_FUNCTIONS {
            if has_word(code, word) {
                found.push((n + 1, word));
            }
        }
        for call in MARKS_CALLS {
            if code.contains(call) {
                found.push((n + 1, call));
            }
        }
    }
    found
}

#[test]
fn shells_compute_no_average_term_mark_or_what_if() {
    // The check itself: it finds each way of computing, and not the report API.
    let sample = "\
        use lesenka_core::marks::average::{WhatIf, explain_what_if};\n\
        let avg = b.average(sid, &p, None)?;\n\
        let term = p.term_rule().decide(avg.value());\n\
        let rule = p.term_rule().explain(value, &term);\n\
        let any = b.what_if_any(student, &p, None, work, target)?;\n\
        let a = Average::of(entries.iter().map(|e| (e.value, e.weight)))?;\n\
        let n = fewest_marks_any(current, scale, top, w, t, r)?;\n\
        // b.average(s, &p, None) in a comment is prose\n\
        let r = b.report(sid, &p, None)?;\n\
        let r = input.gradebook.report_labelled(s.id, &input.policy, None, label)?;\n\
        let w = b.what_if_explained(student, p, None, &question)?;\n\
        let shown = report.average.map(|a| a.value());\n\
        marks::average(&file, what_if, student.as_deref(), period, format, lang)?;\n\
        if let Some(w) = &st.what_if {}\n";
    let lines: Vec<usize> = marks_computations(sample).iter().map(|(n, _)| *n).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7], "{:?}", marks_computations(sample));

    let shells = [root().join("app"), root().join("crates").join("cli")];
    let found: Vec<String> = tree()
        .iter()
        .filter(|path| shells.iter().any(|shell| path.starts_with(shell)))
        .flat_map(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            let rel = relative(path);
            marks_computations(&text)
                .into_iter()
                .map(|(n, what)| format!("{rel}:{n}: {what}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "shells compute marks themselves; call core's Gradebook::report / what_if_explained: \
         {found:#?}"
    );
}

#[test]
fn only_core_builds_evidence_drafts_in_the_shells() {
    // Technique answers become records in core's `live::LiveRun::close`; the app and the CLI
    // never assemble a record's fields themselves.
    let needle = concat!("EvidenceDraft", " {");
    let found: Vec<String> = tree()
        .iter()
        .map(|path| relative(path))
        .filter(|rel| rel.starts_with("app/") || rel.starts_with("crates/cli/"))
        .filter(|rel| fs::read_to_string(root().join(rel)).unwrap_or_default().contains(needle))
        .collect();
    assert!(found.is_empty(), "shell files that build an `EvidenceDraft`: {found:#?}");
}

/// Whether a line folds «ё» or case by hand: `to_lowercase().replace('ё'…`, or `'ё'` (or `'Ё'`)
/// compared, matched or replaced.
fn folds_yo_by_hand(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or(line);
    code.contains("to_lowercase().replace('ё'")
        || ["'ё'", "'Ё'"].iter().any(|yo| {
            code.match_indices(yo).any(|(at, _)| {
                let before = code[..at].trim_end();
                let after = code[at + yo.len()..].trim_start();
                before.ends_with("==")
                    || before.ends_with('|')
                    || before.ends_with("replace(")
                    || after.starts_with("==")
                    || after.starts_with("=>")
                    || after.starts_with('|')
            })
        })
}

#[test]
fn case_and_yo_are_folded_only_in_text_rs() {
    let allowed = ["crates/core/src/text.rs"];
    let found: Vec<String> = tree()
        .iter()
        .map(|path| (relative(path), path))
        .filter(|(rel, _)| {
            ["app/", "crates/cli/", "crates/core/"].iter().any(|dir| rel.starts_with(dir))
                && !allowed.contains(&rel.as_str())
        })
        .flat_map(|(rel, path)| {
            let text = fs::read_to_string(path).unwrap_or_default();
            text.lines()
                .enumerate()
                .filter(|(_, line)| folds_yo_by_hand(line))
                .map(|(n, line)| format!("{rel}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "case and «ё» folded by hand; use lesenka_core::text::fold_key (or fold_case, fold_char): \
         {found:#?}"
    );
}

#[test]
fn the_yo_rule_recognises_hand_folding() {
    assert!(folds_yo_by_hand(r#"let k = s.to_lowercase().replace('ё', "е");"#));
    assert!(folds_yo_by_hand("        'ё' | 'Ё' => 'е',"));
    assert!(folds_yo_by_hand("    .map(|c| if c == 'ё' { 'е' } else { c })"));
    assert!(folds_yo_by_hand("            'ё' => chars.push('е'),"));
    assert!(!folds_yo_by_hand("        '°', '±', 'І', 'і', 'ґ', 'µ', '¶', '·', 'ё', '№', 'є',"));
    assert!(!folds_yo_by_hand("    // 'ё' => 'е' is written once, in text.rs"));
}
