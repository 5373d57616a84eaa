//! `lesenka merge A B -o OUT`: merges backup B into backup A with core's
//! [`merge_backup`] (idempotent: duplicates are ignored, an item whose id is on both sides with
//! different content keeps A's version and is reported), and writes OUT atomically.
//!
//! OUT may be A (A only grows). OUT may be B only when nothing of B is lost (no conflicts).
//! Any other existing file is replaced only with `--force`. A file made by a newer Lesenka is
//! refused and left untouched, and so is a file holding what cannot be right (core's
//! [`plausible::check`] of A and [`plausible::check_import`] of B into A: a mark off the scale in
//! force, a date outside the school years 2000/01–2100/01, one student id for two students);
//! then nothing is written.

use std::path::Path;

use lesenka_core::persist::Kind;
use lesenka_core::persist::backup::{
    Backup, Collection, Counts, ImportConflict, export_backup, merge_backup,
};
use lesenka_core::persist::plausible::{self, Implausible};
use serde::Serialize;

use crate::input::{self, DataError, UsageError};
use crate::output::{self, Format, Lang};

#[derive(Serialize)]
struct MergeOut {
    a: String,
    b: String,
    output: String,
    added: Counts,
    duplicates: Counts,
    conflicts: Vec<ConflictOut>,
    /// Items in the merged backup.
    total: Counts,
}

#[derive(Serialize)]
struct ConflictOut {
    #[serde(flatten)]
    conflict: ImportConflict,
    message: String,
}

fn read_backup(path: &Path, lang: Lang) -> anyhow::Result<Backup> {
    let (text, _) = input::read_text(path, lang)?;
    Ok(input::open_envelope(path, Kind::Backup, &text, lang)?)
}

/// Runs `merge`.
pub fn merge(
    a: &Path,
    b: &Path,
    out: &Path,
    force: bool,
    format: Format,
    lang: Lang,
) -> anyhow::Result<()> {
    let first = read_backup(a, lang)?;
    let second = read_backup(b, lang)?;
    // A is judged alone, by the rules the result will have; B as merged into A.
    let a_problems = plausible::check(&first, &plausible::scale_in_force(&first, &second));
    for (path, problems) in [(a, a_problems), (b, plausible::check_import(&first, &second))] {
        if !problems.is_empty() {
            return Err(implausible_error(path, &problems, lang).into());
        }
    }
    let report = merge_backup(&first, &second);
    let target = output::resolved(out).ok_or_else(|| {
        UsageError(format!(
            "{}: {}",
            out.display(),
            lang.pick("папка для результата не найдена", "the output folder does not exist")
        ))
    })?;
    let is_a = output::resolved(a).is_some_and(|p| p == target);
    let is_b = output::resolved(b).is_some_and(|p| p == target);
    if is_b && !is_a && !report.conflicts.is_empty() {
        let cause = lang.pick(
            "результат нельзя записать поверх B: при конфликтах версии из B не попадают в \
             результат, и часть данных B пропала бы; укажите другой файл -o",
            "the result cannot be written over B: conflicting items of B are not in the result, \
             so some of B's data would be lost; choose another -o file",
        );
        return Err(DataError::new(b, lang, cause).into());
    }
    if !is_a && !is_b && target.exists() && !force {
        return Err(UsageError(format!(
            "{}: {}",
            out.display(),
            lang.pick(
                "файл уже существует; чтобы заменить его, добавьте --force",
                "the file already exists; add --force to replace it",
            )
        ))
        .into());
    }
    output::write_atomic(out, export_backup(&report.merged).as_bytes())?;
    let result = MergeOut {
        a: a.display().to_string(),
        b: b.display().to_string(),
        output: out.display().to_string(),
        added: report.added,
        duplicates: report.duplicates,
        total: Counts::of(&report.merged),
        conflicts: report
            .conflicts
            .iter()
            .map(|c| ConflictOut { conflict: c.clone(), message: conflict_message(c, lang) })
            .collect(),
    };
    let printed = match format {
        Format::Json => output::json(&result)?,
        Format::Text => text_report(&result, lang),
    };
    output::print(&printed)
}

/// The refusal of a file with implausible content: every problem, one per line.
fn implausible_error(path: &Path, problems: &[Implausible], lang: Lang) -> DataError {
    let lines: Vec<String> = problems.iter().map(|p| p.describe(lang.core())).collect();
    let cause = format!(
        "{}:\n  {}",
        lang.pick(
            "в файле есть то, что не может быть верным; ничего не записано",
            "the file holds what cannot be right; nothing was written",
        ),
        lines.join("\n  ")
    );
    DataError::new(path, lang, cause)
}

/// Core's message in English; in Russian written here from the typed conflict.
fn conflict_message(c: &ImportConflict, lang: Lang) -> String {
    match lang {
        Lang::En => c.to_string(),
        Lang::Ru => {
            let what = c.collection.name(lesenka_core::text::Lang::Ru);
            let label = c
                .label
                .strip_prefix("of ")
                .map_or_else(|| c.label.replace(" of ", " от "), |date| format!("от {date}"));
            format!(
                "{what} {label} ({}) во втором файле отличается от уже имеющегося; оставлен \
                 имеющийся вариант",
                c.id
            )
        }
    }
}

fn line(c: &Counts, lang: Lang) -> String {
    // Classes, lessons and evidence always; the rest when there are any.
    Collection::ALL
        .into_iter()
        .filter(|k| {
            c.get(*k) > 0
                || matches!(k, Collection::Classes | Collection::Lessons | Collection::Evidence)
        })
        .map(|k| format!("{} {}", k.counted(lang.core()), c.get(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_report(r: &MergeOut, lang: Lang) -> String {
    let mut s = String::new();
    s.push_str(&format!("{}: {}\n", lang.pick("Добавлено", "Added"), line(&r.added, lang)));
    s.push_str(&format!(
        "{}: {}\n",
        lang.pick("Уже были (дубликаты)", "Already there (duplicates)"),
        line(&r.duplicates, lang)
    ));
    s.push_str(&format!("{}: {}\n", lang.pick("Конфликтов", "Conflicts"), r.conflicts.len()));
    for c in &r.conflicts {
        s.push_str(&format!("  {}\n", c.message));
    }
    s.push_str(&format!(
        "{} {}: {}\n",
        lang.pick("Записано в", "Written to"),
        r.output,
        line(&r.total, lang)
    ));
    s
}
