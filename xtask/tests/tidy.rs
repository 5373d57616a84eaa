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
