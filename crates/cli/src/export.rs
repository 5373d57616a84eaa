//! `lesenka export csv FILE [-o OUT] [--what evidence|gradebook]`: CSV for Russian Excel through
//! core's [`persist::csv`](lesenka_core::persist::csv) (UTF-8 BOM, `;`, CRLF, decimal comma).
//!
//! Evidence comes from a backup (names from its rosters, criteria from its lessons); the
//! gradebook comes from a gradebook file (see `lesenka marks average --help`), one column per
//! date and work type, with the weighted average computed by core.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use lesenka_core::marks::{Average, Fraction};
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::csv::{
    Cell, EvidenceLookup, GradebookColumn, GradebookRow, GradebookTable, NameMode, evidence_csv,
    gradebook_csv,
};
use lesenka_core::persist::{self, Kind};

use crate::What;
use crate::input::{self, DataError};
use crate::marks::{self, Book};
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
        What::Gradebook => gradebook(path, lang)?,
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

fn gradebook(path: &Path, lang: Lang) -> anyhow::Result<String> {
    let (text, _) = input::read_text(path, lang)?;
    if let Ok(header) = persist::peek(&text)
        && header.kind == Kind::Backup
    {
        let cause = lang.pick(
            "в резервной копии нет журнала отметок; укажите файл журнала (см. lesenka marks \
                 average --help) или --what evidence",
            "a backup holds no gradebook; give a gradebook file (see lesenka marks average \
                 --help) or use --what evidence",
        );
        return Err(DataError::new(path, lang, cause).into());
    }
    let book = marks::read_book(path, lang)?;
    Ok(gradebook_csv(&table(&book)?))
}

/// One column per (date, work type) that has a mark, in date order; a cell holds the marks of
/// that column (a number for one numeric mark, else the labels separated by spaces).
fn table(book: &Book) -> anyhow::Result<GradebookTable> {
    let mut keys: BTreeSet<(Option<NaiveDate>, usize)> = BTreeSet::new();
    let position = |id| book.policy.work_types().iter().position(|w| w.id == id);
    for s in &book.students {
        for m in &s.marks {
            if let Some(p) = position(m.work_type) {
                keys.insert((m.date, p));
            }
        }
    }
    let keys: Vec<(Option<NaiveDate>, usize)> = keys.into_iter().collect();
    let columns = keys
        .iter()
        .map(|(date, p)| GradebookColumn {
            date: *date,
            title: book.policy.work_types()[*p].name.to_string(),
        })
        .collect();
    let mut rows = Vec::new();
    for s in &book.students {
        let entries = book.entries(s);
        let cells = keys
            .iter()
            .map(|key| {
                let here: Vec<_> = entries
                    .iter()
                    .filter(|(_, m)| (m.date, position(m.work_type).unwrap_or(usize::MAX)) == *key)
                    .collect();
                match here.as_slice() {
                    [] => Cell::Empty,
                    [(e, m)] if m.label.as_str() == e.value.exact_text() => {
                        Cell::Number(e.value.to_f64())
                    }
                    many => Cell::Text(
                        many.iter().map(|(_, m)| m.label.to_string()).collect::<Vec<_>>().join(" "),
                    ),
                }
            })
            .collect();
        let average = Average::of(entries.iter().map(|(e, _)| (e.value, e.weight)))?;
        rows.push(GradebookRow {
            student: s.name.clone(),
            cells,
            // Rounded exactly first, so the two decimals printed are the exact half-up ones.
            average: average.map(|a| rounded(a.value())),
        });
    }
    Ok(GradebookTable { columns, rows })
}

fn rounded(value: Fraction) -> f64 {
    value.round_half_up(2).to_f64()
}
