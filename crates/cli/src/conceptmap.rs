//! `lesenka conceptmap score STUDENT TEACHER [--synonyms FILE]`: the components of core's
//! [`compare`] (proposition match, Novak & Gowin, closeness index), as JSON or text.
//!
//! A map file is core's [`MapDraft`] (concepts with UUID ids) or the simple form in [`HELP`],
//! where concepts are named by their labels.

use std::path::Path;

use lesenka_core::conceptmap::{
    ConceptDraft, ConceptKind, ConceptMap, MapComparison, MapDraft, PropositionDraft, Ratio,
    ScoringSettings, Synonyms, compare, normalise_text,
};
use lesenka_core::ids::ConceptId;
use serde::{Deserialize, Serialize};

use crate::input::{self, DataError};
use crate::output::{self, Format, Lang};

/// The long help of `conceptmap score`.
pub const HELP: &str = "\
Scores a student's concept map against the teacher's (criterion) map and prints the components:
proposition precision / recall / F1 (with the matched, missing and extra propositions), the
Novak & Gowin structural score (valid propositions ×1, hierarchy levels ×5, branchings ×1,
cross-links ×10, examples ×1, and relative to the teacher map's own score) and the closeness
index. Labels are compared after normalisation (case, ё→е, spaces, punctuation) and the
teacher's synonyms.

A map file is either core's form {\"concepts\": [{\"id\": UUID, \"label\": …, \"kind\":
\"concept\"|\"example\"}], \"propositions\": [{\"from\": UUID, \"linking\": …, \"to\": UUID}],
\"root\": UUID|null}, or the simple form with concepts named by their labels:

  {
    \"concepts\": [\"Растения\", \"Кислород\", {\"label\": \"Ель\", \"kind\": \"example\"}],
    \"propositions\": [[\"Растения\", \"выделяют\", \"Кислород\"],
                     {\"from\": \"Ель\", \"linking\": \"пример\", \"to\": \"Растения\"}],
    \"root\": \"Растения\"
  }

The synonym list is a JSON object {\"variant\": \"canonical\"} or a text with one pair a line:
«variant = canonical» (also «→», «->» or a tab); lines starting with # are comments.";

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SimpleConcept {
    Label(String),
    Full {
        label: String,
        #[serde(default)]
        kind: ConceptKind,
    },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SimpleProposition {
    Triple(String, String, String),
    Object { from: String, linking: String, to: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SimpleMap {
    concepts: Vec<SimpleConcept>,
    #[serde(default)]
    propositions: Vec<SimpleProposition>,
    #[serde(default)]
    root: Option<String>,
}

fn from_simple(map: SimpleMap) -> Result<MapDraft, String> {
    let concepts: Vec<ConceptDraft> = map
        .concepts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let (label, kind) = match c {
                SimpleConcept::Label(label) => (label, ConceptKind::Concept),
                SimpleConcept::Full { label, kind } => (label, kind),
            };
            ConceptDraft { id: ConceptId::from_u128(i as u128 + 1), label, kind }
        })
        .collect();
    let find = |label: &str, what: &str| {
        let key = normalise_text(label);
        concepts
            .iter()
            .find(|c| normalise_text(&c.label) == key)
            .map(|c| c.id)
            .ok_or_else(|| format!("{what}: «{label}» is not one of the concepts"))
    };
    let mut propositions = Vec::new();
    for (i, p) in map.propositions.into_iter().enumerate() {
        let (from, linking, to) = match p {
            SimpleProposition::Triple(f, l, t) => (f, l, t),
            SimpleProposition::Object { from, linking, to } => (from, linking, to),
        };
        let what = format!("proposition {}", i + 1);
        propositions.push(PropositionDraft {
            from: find(&from, &what)?,
            linking,
            to: find(&to, &what)?,
        });
    }
    let root = map.root.as_deref().map(|r| find(r, "root")).transpose()?;
    Ok(MapDraft { concepts, propositions, root })
}

/// Reads a map draft in either form.
fn read_draft(path: &Path, lang: Lang) -> anyhow::Result<MapDraft> {
    let (text, _) = input::read_text(path, lang)?;
    let value: serde_json::Value = input::parse_json(path, &text, lang)?;
    let core_form = value
        .get("concepts")
        .and_then(|c| c.as_array())
        .and_then(|c| c.first())
        .is_some_and(|c| c.get("id").is_some());
    if core_form {
        Ok(input::parse_json::<MapDraft>(path, &text, lang)?)
    } else {
        let simple: SimpleMap = input::parse_json(path, &text, lang)?;
        Ok(from_simple(simple).map_err(|cause| DataError::new(path, lang, cause))?)
    }
}

/// The pairs of a synonym text, one «variant = canonical» (or →, ->, tab) a line; blank lines
/// and `#` comments are skipped. `Err` gives the 1-based line of a line without a separator.
fn synonym_pairs(text: &str) -> Result<Vec<(String, String)>, usize> {
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let split = ["→", "->", "=", "\t"].iter().find_map(|sep| t.split_once(sep));
        match split {
            Some((v, c)) => pairs.push((v.trim().to_owned(), c.trim().to_owned())),
            None => return Err(i + 1),
        }
    }
    Ok(pairs)
}

/// Reads a synonym list (JSON object or «variant = canonical» lines).
fn read_synonyms(path: &Path, lang: Lang) -> anyhow::Result<Synonyms> {
    let (text, _) = input::read_text(path, lang)?;
    if text.trim_start().starts_with('{') {
        let map: std::collections::BTreeMap<String, String> = input::parse_json(path, &text, lang)?;
        return Ok(Synonyms::new(map.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(|e| DataError::new(path, lang, e.to_string()))?);
    }
    let pairs = synonym_pairs(&text).map_err(|line| {
        let cause = lang.pick(
            "ожидалась пара «вариант = основная форма»",
            "expected a pair «variant = canonical»",
        );
        DataError::at(path, lang, line, None, cause)
    })?;
    Ok(Synonyms::new(pairs.iter().map(|(v, c)| (v.as_str(), c.as_str())))
        .map_err(|e| DataError::new(path, lang, e.to_string()))?)
}

#[derive(Serialize)]
struct ScoreOut<'a> {
    student: String,
    teacher: String,
    #[serde(flatten)]
    comparison: &'a MapComparison,
}

/// Runs `conceptmap score`.
pub fn score(
    student: &Path,
    teacher: &Path,
    synonyms: Option<&Path>,
    ignore_linking: bool,
    format: Format,
    lang: Lang,
) -> anyhow::Result<()> {
    let synonyms = match synonyms {
        Some(p) => read_synonyms(p, lang)?,
        None => Synonyms::none(),
    };
    // The teacher's map is checked with the synonyms (two labels they make equal are an error of
    // the criterion map); the student's is checked without them, so a student is never refused
    // because of the teacher's list.
    let student_map = ConceptMap::new(read_draft(student, lang)?, &Synonyms::none())
        .map_err(|e| DataError::new(student, lang, e.to_string()))?;
    let teacher_map = ConceptMap::new(read_draft(teacher, lang)?, &synonyms)
        .map_err(|e| DataError::new(teacher, lang, e.to_string()))?;
    let settings = ScoringSettings {
        synonyms,
        match_linking_phrase: !ignore_linking,
        ..ScoringSettings::default()
    };
    let comparison = compare(&student_map, &teacher_map, &settings);
    let out = ScoreOut {
        student: student.display().to_string(),
        teacher: teacher.display().to_string(),
        comparison: &comparison,
    };
    let printed = match format {
        Format::Json => output::json(&out)?,
        Format::Text => text_report(&comparison, lang),
    };
    output::print(&printed)
}

fn ratio(r: Ratio, lang: Lang) -> String {
    if r.defined {
        lang.number(format!("{:.2}", r.value))
    } else {
        lang.pick("не определено", "undefined").to_owned()
    }
}

fn text_report(c: &MapComparison, lang: Lang) -> String {
    let p = &c.propositions;
    let n = &c.novak_gowin;
    let w = &n.weights;
    let mut s = String::new();
    s.push_str(&match lang {
        Lang::Ru => format!(
            "Пропозиции: совпало {} (у ученика {}, у учителя {}); точность {}, полнота {}, F1 {}\n",
            p.matched,
            p.student_propositions,
            p.teacher_propositions,
            ratio(p.precision, lang),
            ratio(p.recall, lang),
            ratio(p.f1, lang)
        ),
        Lang::En => format!(
            "Propositions: {} matched (student {}, teacher {}); precision {}, recall {}, F1 {}\n",
            p.matched,
            p.student_propositions,
            p.teacher_propositions,
            ratio(p.precision, lang),
            ratio(p.recall, lang),
            ratio(p.f1, lang)
        ),
    });
    s.push_str(&format!(
        "{}: {}·{} + {}·{} + {}·{} + {}·{} + {}·{} = {} ({} {}; {})\n",
        lang.pick("Новак–Гоуин", "Novak & Gowin"),
        n.valid_propositions,
        w.proposition,
        n.hierarchy_levels,
        w.level,
        n.branchings,
        w.branching,
        n.cross_links,
        w.cross_link,
        n.examples,
        w.example,
        n.total,
        lang.pick("у учителя", "teacher"),
        n.teacher_total,
        ratio(n.relative, lang)
    ));
    s.push_str(&format!(
        "{}: {} ({} {})\n",
        lang.pick("Индекс близости", "Closeness index"),
        ratio(c.closeness.index, lang),
        lang.pick("общих понятий", "shared concepts"),
        c.closeness.per_concept.len()
    ));
    let list = |title: &str, items: Vec<String>, s: &mut String| {
        if !items.is_empty() {
            s.push_str(&format!("{title}: {}\n", items.join("; ")));
        }
    };
    let prop = |t: &lesenka_core::conceptmap::PropositionText| {
        format!("«{}» —{}→ «{}»", t.from, t.linking, t.to)
    };
    list(
        lang.pick("Совпали", "Matched"),
        p.matched_list.iter().map(|m| prop(&m.student)).collect(),
        &mut s,
    );
    list(lang.pick("Нет у ученика", "Missing"), p.missing.iter().map(prop).collect(), &mut s);
    list(lang.pick("Нет у учителя", "Extra"), p.extra.iter().map(prop).collect(), &mut s);
    list(
        lang.pick("Понятий нет у ученика", "Concepts missing"),
        c.closeness.missing_concepts.clone(),
        &mut s,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_pairs(text: &str, expected: Result<&[(&str, &str)], usize>) {
        let expected = expected
            .map(|pairs| pairs.iter().map(|(v, c)| (v.to_string(), c.to_string())).collect());
        assert_eq!(synonym_pairs(text), expected, "{text:?}");
    }

    #[test]
    fn reads_synonym_lines() {
        check_pairs("", Ok(&[]));
        check_pairs("# comment\n\n a = b \r\n", Ok(&[("a", "b")]));
        check_pairs(
            "O2 → кислород\nфото-синтез -> фотосинтез",
            Ok(&[("O2", "кислород"), ("фото-синтез", "фотосинтез")]),
        );
        check_pairs("лист\tлистья", Ok(&[("лист", "листья")]));
        check_pairs("a = b\nбез разделителя", Err(2));
    }

    /// Number of concepts, propositions as (from, linking, to) by concept number, the root.
    type Expected<'a> = (usize, &'a [(u128, &'a str, u128)], Option<u128>);

    fn check_simple(json: &str, expected: Result<Expected<'_>, &str>) {
        let simple: SimpleMap = serde_json::from_str(json).expect("test JSON");
        let got = from_simple(simple).map(|d| {
            let props: Vec<(ConceptId, String, ConceptId)> =
                d.propositions.iter().map(|p| (p.from, p.linking.clone(), p.to)).collect();
            (d.concepts.len(), props, d.root)
        });
        let expected = expected.map(|(n, props, root)| {
            let props = props
                .iter()
                .map(|(f, l, t)| {
                    (ConceptId::from_u128(*f), l.to_string(), ConceptId::from_u128(*t))
                })
                .collect();
            (n, props, root.map(ConceptId::from_u128))
        });
        assert_eq!(got, expected.map_err(str::to_owned), "{json}");
    }

    #[test]
    fn reads_maps_named_by_labels() {
        check_simple(
            r#"{"concepts": ["Вода", {"label": "Лёд", "kind": "example"}],
                "propositions": [["вода", "бывает", "ЛЕД"], {"from": "Лёд", "linking": "это", "to": "Вода"}],
                "root": "Вода"}"#,
            Ok((2, &[(1, "бывает", 2), (2, "это", 1)], Some(1))),
        );
        check_simple(r#"{"concepts": []}"#, Ok((0, &[], None)));
        check_simple(
            r#"{"concepts": ["А"], "propositions": [["А", "к", "Б"]]}"#,
            Err("proposition 1: «Б» is not one of the concepts"),
        );
        check_simple(
            r#"{"concepts": ["А"], "root": "Я"}"#,
            Err("root: «Я» is not one of the concepts"),
        );
    }
}
