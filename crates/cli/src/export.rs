//! `lesenka export csv FILE [-o OUT] [--what evidence|gradebook|maps|diagnostics]`: CSV for Russian Excel through
//! core's [`persist::csv`](lesenka_core::persist::csv) (UTF-8 BOM, `;`, CRLF, decimal comma).
//!
//! Evidence comes from a backup (names from its rosters, criteria from its lessons); the
//! gradebook comes from a gradebook file (see `lesenka marks average --help`) or from a backup's
//! gradebooks under its policy, one column per date and work type, with the weighted average of
//! core's report. Concept maps come from a backup: one row per proposition of the teacher's and
//! the students' maps. Diagnostics come from a backup: one row per questionnaire sheet, with
//! core's total and band for the Лусканова form (`persist::csv::diagnostic_csv`).

use std::path::Path;

use lesenka_core::marks::Mark;
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::csv::{
    EvidenceLookup, GradebookSheet, GradebookTable, NameMode, concept_map_csv, diagnostic_csv,
    evidence_csv, gradebook_csv, gradebook_table,
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
        What::Maps => maps(path, pseudonyms, lang)?,
        What::Diagnostics => diagnostics(path, pseudonyms, lang)?,
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

fn maps(path: &Path, pseudonyms: bool, lang: Lang) -> anyhow::Result<String> {
    let (text, _) = input::read_text(path, lang)?;
    let backup: Backup = input::open_envelope(path, Kind::Backup, &text, lang)?;
    let lookup = EvidenceLookup::from_classes(&backup.classes);
    let names = if pseudonyms { NameMode::Pseudonyms } else { NameMode::RealNames };
    Ok(concept_map_csv(&backup.maps, &backup.lessons, &lookup, names))
}

fn diagnostics(path: &Path, pseudonyms: bool, lang: Lang) -> anyhow::Result<String> {
    let (text, _) = input::read_text(path, lang)?;
    let backup: Backup = input::open_envelope(path, Kind::Backup, &text, lang)?;
    let lookup = EvidenceLookup::from_classes(&backup.classes);
    let names = if pseudonyms { NameMode::Pseudonyms } else { NameMode::RealNames };
    Ok(diagnostic_csv(&backup.diagnostics, &lookup, names))
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

/// Core's gradebook table of `inputs` (a backup's classes share its columns).
fn table(inputs: &[GradebookInput]) -> anyhow::Result<GradebookTable> {
    // One closure (of one type) per input: the date each of its marks is shown with.
    let dates: Vec<_> = inputs.iter().map(|input| move |m: &Mark| input.date(m)).collect();
    let sheets: Vec<GradebookSheet<'_>> = inputs
        .iter()
        .zip(&dates)
        .map(|(input, date_of)| GradebookSheet {
            policy: &input.policy,
            gradebook: &input.gradebook,
            students: input.students.iter().map(|s| (s.id, s.name.clone())).collect(),
            date_of,
        })
        .collect();
    Ok(gradebook_table(&sheets)?)
}
