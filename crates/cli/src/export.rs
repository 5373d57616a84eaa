//! `lesenka export csv FILE [-o OUT] [--what evidence|gradebook]`: CSV for Russian Excel through
//! core's [`persist::csv`](lesenka_core::persist::csv) (UTF-8 BOM, `;`, CRLF, decimal comma).
//!
//! Evidence comes from a backup (names from its rosters, criteria from its lessons); the
//! gradebook comes from a gradebook file (see `lesenka marks average --help`) or from a backup's
//! gradebooks under its policy, one column per date and work type, with the weighted average of
//! core's report.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use lesenka_core::marks::{Fraction, Mark};
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::csv::{
    Cell, EvidenceLookup, GradebookColumn, GradebookRow, GradebookTable, NameMode, evidence_csv,
    gradebook_csv,
};
use lesenka_core::persist::{self, Kind};

use crate::What;
use crate::input::{self, DataError};
use crate::marks::{self, GradebookInput};
use crate::output::{self, Lang};

/// Runs `export csv`.
pub fn csv(
    path: &Path,
    out: Option<&Path>,
    what: What,
    pseudonyms: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let text = match what {
        What::Evidence => evidence(path, pseudonyms, lang)?,
        What::Gradebook => gradebook(path, pseudonyms, lang)?,
    };
    match out {
        Some(p) => output::write_atomic(p, text.as_bytes()),
        None => output::print(&text),
    }
}

fn evidence(path: &Path, pseudonyms: bool, lang: Lang) -> anyhow::Result<String> {
    let (text, _) = input::read_text(path, lang)?;
    if let Ok(header) = persist::peek(&text)
        && header.kind == Kind::Gradebook
    {
        let cause = lang.pick(
            "это журнал отметок; для него укажите --what gradebook",
            "this is a gradebook; use --what gradebook",
        );
        return Err(DataError::new(path, lang, cause).into());
    }
    let backup: Backup = input::open_envelope(path, Kind::Backup, &text, lang)?;
    let lookup = EvidenceLookup::from_classes(&backup.classes).with_lessons(&backup.lessons);
    let names = if pseudonyms { NameMode::Pseudonyms } else { NameMode::RealNames };
    Ok(evidence_csv(backup.evidence.iter(), &lookup, names))
}

fn gradebook(path: &Path, pseudonyms: bool, lang: Lang) -> anyhow::Result<String> {
    let (text, _) = input::read_text(path, lang)?;
    let inputs = match persist::peek(&text) {
        Ok(header) if header.kind == Kind::Backup => {
            let backup: Backup = input::open_envelope(path, Kind::Backup, &text, lang)?;
            let inputs = marks::from_backup(backup, pseudonyms)
                .map_err(|cause| DataError::new(path, lang, cause))?;
            if inputs.is_empty() {
                let cause = lang.pick(
                    "в резервной копии нет журнала отметок: ни в одном классе нет отметок",
                    "the backup holds no gradebook: no class has a mark",
                );
                return Err(DataError::new(path, lang, cause).into());
            }
            inputs
        }
        _ => vec![marks::read_gradebook(path, lang)?],
    };
    Ok(gradebook_csv(&table(&inputs)?))
}

/// One column per (date, work type) that has a mark, in date order; a cell holds the marks of
/// that column (a number for one numeric mark, else the labels separated by spaces); the
/// average is core's report's. Several gradebooks (a backup's classes) share the columns.
fn table(inputs: &[GradebookInput]) -> anyhow::Result<GradebookTable> {
    // A column: the date as the file gave it, and the work type (in the policy's order).
    let column = |input: &GradebookInput, m: &Mark| {
        let types = input.policy.work_types();
        let position = types.iter().position(|w| w.id == m.work_type).unwrap_or(usize::MAX);
        let title = types.get(position).map(|w| w.name.to_string()).unwrap_or_default();
        (input.date(m), position, title)
    };
    let mut keys: BTreeSet<(Option<NaiveDate>, usize, String)> = BTreeSet::new();
    for input in inputs {
        for s in &input.students {
            keys.extend(input.gradebook.marks_of(s.id).map(|m| column(input, m)));
        }
    }
    let keys: Vec<(Option<NaiveDate>, usize, String)> = keys.into_iter().collect();
    let columns = keys
        .iter()
        .map(|(date, _, title)| GradebookColumn { date: *date, title: title.clone() })
        .collect();
    let mut rows = Vec::new();
    for input in inputs {
        for s in &input.students {
            let marks: Vec<&Mark> = input.gradebook.marks_of(s.id).collect();
            let cells = keys
                .iter()
                .map(|key| {
                    let here: Vec<&Mark> =
                        marks.iter().copied().filter(|m| column(input, m) == *key).collect();
                    let value = |m: &Mark| input.policy.scale().value_of(m.value.as_str());
                    match here.as_slice() {
                        [] => Cell::Empty,
                        [m] => match value(m) {
                            Some(v) if m.value.as_str() == v.exact_text() => {
                                Cell::Number(v.to_f64())
                            }
                            _ => Cell::Text(m.value.to_string()),
                        },
                        many => Cell::Text(
                            many.iter().map(|m| m.value.to_string()).collect::<Vec<_>>().join(" "),
                        ),
                    }
                })
                .collect();
            let report = input.report(s.id, None)?;
            rows.push(GradebookRow {
                student: s.name.clone(),
                cells,
                // Rounded exactly first, so the two decimals printed are the exact half-up ones.
                average: report.average.map(|a| rounded(a.value())),
            });
        }
    }
    Ok(GradebookTable { columns, rows })
}

fn rounded(value: Fraction) -> f64 {
    value.round_half_up(2).to_f64()
}
