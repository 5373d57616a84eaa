//! `lesenka marks average FILE`: per-student weighted average, term mark and their calculation,
//! and the what-if answer, from a gradebook file.
//!
//! Two input formats are read into core's types at the boundary, a [`GradebookInput`] (a
//! validated [`MarkingPolicy`], a [`Gradebook`] and the students' names): a Lesenka envelope of
//! kind `gradebook` whose payload is [`GradebookFile`], and the plain format described in
//! [`HELP`] (its students and marks get ids in file order). An app backup's gradebooks are read
//! the same way ([`from_backup`]) for CSV export. Every number and calculation comes from core's
//! report API: [`Gradebook::report_labelled`] and [`Gradebook::what_if_explained`].

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use lesenka_core::explain::Explanation;
use lesenka_core::ids::{ClassId, MarkId, StudentId, WorkTypeId};
use lesenka_core::marks::gradebook::mark_label;
use lesenka_core::marks::{
    Fraction, Gradebook, GradebookError, Mark, MarkScale, MarkingPolicy, Period, PlusMinus,
    Rounding, ScaleMark, StudentReport, TermMark, TermRule, Threshold, WhatIf, WhatIfQuestion,
    WhatIfReport, WorkType,
};
use lesenka_core::persist::Kind;
use lesenka_core::persist::backup::Backup;
use lesenka_core::text::{Name, fold_key};
use serde::{Deserialize, Serialize};

use crate::input::{self, DataError, UsageError};
use crate::output::{self, Format, Lang};

/// The long help of `marks average`, documenting the plain format.
pub const HELP: &str = "\
Weighted average (средневзвешенный балл), term mark and the calculation behind them, per student.

X̄ = Σ wᵢ·xᵢ / Σ wᵢ, computed exactly; the term mark follows the file's term rule and its stated
rounding. With --what-if TARGET --work-type NAME it also prints the fewest further marks of that
work type that bring the average to TARGET (e.g. 4.65), under the rule's rounding.

FILE is either a Lesenka envelope {\"format\":\"lesenka\",\"version\":1,\"kind\":\"gradebook\",
\"payload\":{\"policy\":…,\"gradebook\":…,\"students\":[{\"id\":…,\"name\":…}]}} (core's
MarkingPolicy and Gradebook), or this plain JSON:

  {
    \"scale\": \"five\",
    \"work_types\": [
      {\"name\": \"Контрольная работа\", \"weight\": 5},
      {\"name\": \"Работа на уроке\", \"weight\": 3},
      {\"name\": \"Домашняя работа\", \"weight\": 1}
    ],
    \"term_rule\": {
      \"thresholds\": [{\"at_least\": 4.65, \"mark\": \"5\"},
                     {\"at_least\": 3.65, \"mark\": \"4\"},
                     {\"at_least\": 2.65, \"mark\": \"3\"}],
      \"below\": \"2\",
      \"round_to\": 2
    },
    \"students\": [
      {\"name\": \"Иванов Иван\", \"marks\": [
        {\"work_type\": \"Работа на уроке\", \"mark\": 5, \"date\": \"2024-09-02\"},
        {\"work_type\": \"Домашняя работа\", \"mark\": \"5\"},
        {\"work_type\": \"Контрольная работа\", \"mark\": 4, \"date\": \"2024-09-12\"}]}
    ]
  }

- scale: \"five\" (2..5, the default), \"five_plus_minus\" (adds 3-, 3+, …; the offset is
  \"plus_minus\", 0.25 by default), \"ten\" (1..10), or a list [{\"label\": \"5\", \"value\": 5}, …]
  from the lowest mark to the highest.
- weight, at_least, value: a number (5, 4.65) or a text (\"4,65\", \"1/3\").
- term_rule: thresholds from the highest down, the mark below all of them, and round_to — the
  decimals the average is rounded to (half up) before comparing; leave round_to out to compare
  the exact average. Shorthand for the 5-point rule: {\"margin\": 0.65, \"round_to\": 2} means
  ≥ 4.65 → 5, ≥ 3.65 → 4, ≥ 2.65 → 3, else 2.
- mark: the label on the scale (5, \"4-\"); work_type: a name from work_types (case ignored);
  date: YYYY-MM-DD, optional (it labels the mark in the explanation).
Unknown fields are refused, so a typo is reported with its line and column.";

/// The payload of a gradebook envelope read by the command line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradebookFile {
    /// The school's scale, work types and term rule.
    pub policy: MarkingPolicy,
    /// The class's marks.
    pub gradebook: Gradebook,
    /// Names of the students (students without a name are shown by id).
    #[serde(default)]
    pub students: Vec<StudentName>,
}

/// A student's name in a gradebook file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudentName {
    /// The student.
    pub id: StudentId,
    /// The name to show.
    pub name: String,
}

/// A number written as a JSON number or a text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Num {
    Number(serde_json::Number),
    Text(String),
}

impl Num {
    fn fraction(&self) -> Result<Fraction, String> {
        let text = match self {
            Num::Number(n) => n.to_string(),
            Num::Text(t) => t.clone(),
        };
        Fraction::parse(&text).map_err(|e| format!("«{text}»: {e}"))
    }
}

/// A mark label written as a number or a text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Label {
    Number(serde_json::Number),
    Text(String),
}

impl Label {
    fn text(&self) -> String {
        match self {
            Label::Number(n) => n.to_string(),
            Label::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PlainScale {
    Preset(String),
    Marks(Vec<PlainScaleMark>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainScaleMark {
    label: Label,
    value: Num,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainWorkType {
    name: String,
    weight: Num,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainThreshold {
    at_least: Num,
    mark: Label,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainRule {
    #[serde(default)]
    thresholds: Option<Vec<PlainThreshold>>,
    #[serde(default)]
    below: Option<Label>,
    #[serde(default)]
    margin: Option<Num>,
    #[serde(default)]
    round_to: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainMark {
    work_type: String,
    mark: Label,
    #[serde(default)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainStudent {
    name: String,
    #[serde(default)]
    marks: Vec<PlainMark>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainGradebook {
    #[serde(default)]
    scale: Option<PlainScale>,
    #[serde(default)]
    plus_minus: Option<Num>,
    work_types: Vec<PlainWorkType>,
    term_rule: PlainRule,
    students: Vec<PlainStudent>,
}

/// A student of a [`GradebookInput`].
#[derive(Debug, Clone)]
pub struct Student {
    /// The student in core's gradebook.
    pub id: StudentId,
    /// The name to show.
    pub name: String,
    /// Whether the id came from the file (the plain format has none: it is made up on reading).
    pub id_in_file: bool,
}

/// A gradebook file read and checked into core's types: the policy, the class's [`Gradebook`]
/// and the students to show, in order.
#[derive(Debug, Clone)]
pub struct GradebookInput {
    /// The school's policy.
    pub policy: MarkingPolicy,
    /// The marks.
    pub gradebook: Gradebook,
    /// Students in the file's order.
    pub students: Vec<Student>,
    /// Marks the plain format gave without a date: core's marks are dated, so these carry
    /// [`NaiveDate::MIN`] (first in date order, as the file gave them), are labelled without a
    /// date, and cannot be placed in a period.
    undated: BTreeSet<MarkId>,
}

impl GradebookInput {
    /// The date of a mark as the file gave it.
    pub fn date(&self, mark: &Mark) -> Option<NaiveDate> {
        (!self.undated.contains(&mark.id)).then_some(mark.date)
    }

    /// A student's report from core, an undated mark labelled by its work type alone.
    pub fn report(
        &self,
        student: StudentId,
        period: Option<Period>,
    ) -> Result<StudentReport, GradebookError> {
        self.gradebook.report_labelled(student, &self.policy, period, |m, w| match self.date(m) {
            Some(_) => mark_label(m, w),
            None => w.name.to_string(),
        })
    }

    /// Refuses a period when a mark has no date to place it by.
    pub fn check_dated(&self) -> Result<(), String> {
        for s in &self.students {
            let marks = self.gradebook.marks_of(s.id);
            if let Some(i) = marks.into_iter().position(|m| self.undated.contains(&m.id)) {
                return Err(format!(
                    "student «{}», mark {}: no date, so it cannot be placed in --from/--to",
                    s.name,
                    i + 1
                ));
            }
        }
        Ok(())
    }

    /// The work type with this name (case, ё and spaces ignored).
    pub fn work_type(&self, name: &str) -> Option<&WorkType> {
        let key = fold_key(name);
        self.policy.work_types().iter().find(|w| fold_key(w.name.as_str()) == key)
    }
}

/// Reads a gradebook file in either format.
pub fn read_gradebook(path: &Path, lang: Lang) -> anyhow::Result<GradebookInput> {
    let (text, _) = input::read_text(path, lang)?;
    let value: serde_json::Value = input::parse_json(path, &text, lang)?;
    if input::is_envelope(&value) {
        let file: GradebookFile = input::open_envelope(path, Kind::Gradebook, &text, lang)?;
        Ok(from_envelope(file).map_err(|cause| DataError::new(path, lang, cause))?)
    } else {
        let plain: PlainGradebook = input::parse_json(path, &text, lang)?;
        Ok(from_plain(plain).map_err(|cause| DataError::new(path, lang, cause))?)
    }
}

/// The policy may have changed since a mark was given: a mark it cannot place is reported,
/// never skipped.
fn check_placed(policy: &MarkingPolicy, gradebook: &Gradebook) -> Result<(), String> {
    for m in gradebook.marks() {
        if policy.work_type(m.work_type).is_none() {
            return Err(format!(
                "mark {}: work type {} is not in the policy's work types",
                m.id, m.work_type
            ));
        }
        if policy.scale().mark(m.value.as_str()).is_none() {
            return Err(format!(
                "mark {}: «{}» is not a mark of the scale «{}»",
                m.id,
                m.value,
                policy.scale().name()
            ));
        }
    }
    Ok(())
}

fn from_envelope(file: GradebookFile) -> Result<GradebookInput, String> {
    check_placed(&file.policy, &file.gradebook)?;
    let mut order: Vec<StudentId> = Vec::new();
    for id in
        file.gradebook.marks().iter().map(|m| m.student).chain(file.students.iter().map(|s| s.id))
    {
        if !order.contains(&id) {
            order.push(id);
        }
    }
    // Named students first, in the names' order, then the others in the gradebook's order.
    order.sort_by_key(|id| file.students.iter().position(|s| s.id == *id).unwrap_or(usize::MAX));
    let students = order
        .into_iter()
        .map(|id| Student {
            id,
            name: file
                .students
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone()),
            id_in_file: true,
        })
        .collect();
    Ok(GradebookInput {
        policy: file.policy,
        gradebook: file.gradebook,
        students,
        undated: BTreeSet::new(),
    })
}

/// The gradebooks of an app backup, one per class with marks, under the backup's policy (the
/// app's default, core's [`MarkingPolicy::school_default`], when it has none): students in
/// roster order, then any with marks who left the roster. With `pseudonyms` students are
/// named by their pseudonyms.
pub fn from_backup(backup: Backup, pseudonyms: bool) -> Result<Vec<GradebookInput>, String> {
    let policy = backup.policy.unwrap_or_else(MarkingPolicy::school_default);
    let several = backup.gradebooks.iter().filter(|g| !g.marks().is_empty()).count() > 1;
    let mut inputs = Vec::new();
    for gradebook in backup.gradebooks.into_iter().filter(|g| !g.marks().is_empty()) {
        check_placed(&policy, &gradebook)?;
        let class = backup.classes.iter().find(|c| c.id == gradebook.class());
        let mut students: Vec<Student> = class
            .into_iter()
            .flat_map(|c| c.students())
            .map(|s| Student {
                id: s.id,
                name: if pseudonyms {
                    s.pseudonym.as_str().to_owned()
                } else {
                    s.display_name.to_string()
                },
                id_in_file: true,
            })
            .collect();
        for id in gradebook.marks().iter().map(|m| m.student) {
            if !students.iter().any(|s| s.id == id) {
                students.push(Student { id, name: id.to_string(), id_in_file: true });
            }
        }
        if several {
            let class_name =
                class.map_or_else(|| gradebook.class().to_string(), |c| c.name.to_string());
            for s in &mut students {
                s.name = format!("{class_name} · {}", s.name);
            }
        }
        inputs.push(GradebookInput {
            policy: policy.clone(),
            gradebook,
            students,
            undated: BTreeSet::new(),
        });
    }
    Ok(inputs)
}

fn name(text: &str, what: &str) -> Result<Name, String> {
    Name::parse(text).map_err(|e| format!("{what} «{text}»: {e}"))
}

fn from_plain(plain: PlainGradebook) -> Result<GradebookInput, String> {
    let scale = match &plain.scale {
        None => MarkScale::russian_five(None),
        Some(PlainScale::Preset(p)) => match p.as_str() {
            "five" => MarkScale::russian_five(None),
            "five_plus_minus" => {
                let pm = match &plain.plus_minus {
                    Some(n) => {
                        PlusMinus::new(n.fraction()?).map_err(|e| format!("plus_minus: {e}"))?
                    }
                    None => PlusMinus::quarter(),
                };
                MarkScale::russian_five(Some(pm))
            }
            "ten" => MarkScale::ten_point(),
            other => {
                return Err(format!(
                    "scale «{other}» is not known; use \"five\", \"five_plus_minus\", \"ten\" or a \
                     list of marks"
                ));
            }
        },
        Some(PlainScale::Marks(marks)) => {
            let marks = marks
                .iter()
                .map(|m| {
                    Ok(ScaleMark {
                        label: name(&m.label.text(), "scale mark")?,
                        value: m.value.fraction()?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            MarkScale::new(Name::parse("Шкала").map_err(|e| e.to_string())?, marks, true)
                .map_err(|e| format!("scale: {e}"))?
        }
    };
    let work_types = plain
        .work_types
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let weight = lesenka_core::marks::Weight::new(w.weight.fraction()?)
                .map_err(|e| format!("work type «{}»: {e}", w.name))?;
            Ok(WorkType {
                id: WorkTypeId::from_u128(i as u128 + 1),
                name: name(&w.name, "work type")?,
                weight,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let rule = &plain.term_rule;
    let rounding = match rule.round_to {
        Some(places) => Rounding::HalfUp { places },
        None => Rounding::Exact,
    };
    let term_rule = match (&rule.thresholds, &rule.below, &rule.margin) {
        (Some(thresholds), Some(below), None) => {
            let thresholds = thresholds
                .iter()
                .map(|t| {
                    Ok(Threshold {
                        at_least: t.at_least.fraction()?,
                        mark: name(&t.mark.text(), "term rule mark")?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            TermRule::new(thresholds, name(&below.text(), "term rule mark")?, rounding)
        }
        (None, None, Some(margin)) => TermRule::five_point(margin.fraction()?, rounding),
        _ => {
            return Err("term_rule needs either \"thresholds\" and \"below\", or \"margin\"".into());
        }
    }
    .map_err(|e| format!("term_rule: {e}"))?;
    let policy = MarkingPolicy::new(scale, work_types, term_rule, Vec::new())
        .map_err(|e| format!("the marking policy: {e}"))?;
    // The plain format names no class, student or mark ids: they are numbered in file order.
    let mut input = GradebookInput {
        policy,
        gradebook: Gradebook::new(ClassId::from_u128(0)),
        students: Vec::new(),
        undated: BTreeSet::new(),
    };
    let mut next_mark = 0u128;
    for (k, s) in plain.students.into_iter().enumerate() {
        let student = StudentId::from_u128(k as u128 + 1);
        for (i, m) in s.marks.iter().enumerate() {
            let at = || format!("student «{}», mark {}", s.name, i + 1);
            let work = input.work_type(&m.work_type).ok_or_else(|| {
                let known: Vec<String> =
                    input.policy.work_types().iter().map(|w| format!("«{}»", w.name)).collect();
                format!(
                    "{}: work type «{}» is not in work_types ({})",
                    at(),
                    m.work_type,
                    known.join(", ")
                )
            })?;
            let work_type = work.id;
            let label = m.mark.text();
            if input.policy.scale().mark(&label).is_none() {
                return Err(format!(
                    "{}: «{label}» is not a mark of the scale «{}»",
                    at(),
                    input.policy.scale().name()
                ));
            }
            next_mark += 1;
            let id = MarkId::from_u128(next_mark);
            if m.date.is_none() {
                input.undated.insert(id);
            }
            let mark = Mark {
                id,
                student,
                work_type,
                date: m.date.unwrap_or(NaiveDate::MIN),
                value: name(&label, "mark")?,
                comment: None,
            };
            input.gradebook.add(mark, &input.policy).map_err(|e| format!("{}: {e}", at()))?;
        }
        input.students.push(Student { id: student, name: s.name, id_in_file: false });
    }
    Ok(input)
}

/// The options of the what-if question.
#[derive(Debug, Clone)]
pub struct WhatIfArgs {
    /// The target average, as typed.
    pub target: String,
    /// The work type's name.
    pub work_type: String,
    /// A fixed mark for the further marks, if asked.
    pub mark: Option<String>,
}

/// An exact number with its readable forms.
#[derive(Serialize)]
struct Number {
    /// Exact: «40/9», «4.5».
    exact: String,
    /// Rounded to 2 decimals.
    rounded: String,
}

impl Number {
    fn of(value: Fraction) -> Self {
        Self { exact: value.exact_text(), rounded: value.decimal(2) }
    }
}

#[derive(Serialize)]
struct Explained {
    /// Core's explanation (terms and formula).
    #[serde(flatten)]
    explanation: Explanation,
    /// The formula rendered in the chosen language.
    text: String,
}

impl Explained {
    fn new(explanation: Explanation, lang: Lang) -> Self {
        let text = explanation.render(lang.core());
        Self { explanation, text }
    }
}

#[derive(Serialize)]
struct WhatIfOut {
    target: String,
    work_type: String,
    weight: String,
    /// The mark the further marks are assumed to be (the highest of the scale unless asked).
    mark: String,
    answer: WhatIf,
    /// With that many marks: the lowest single mark that, given every time, is enough.
    #[serde(skip_serializing_if = "Option::is_none")]
    lowest_uniform: Option<String>,
    /// With that many marks: the least total of their values that is enough.
    #[serde(skip_serializing_if = "Option::is_none")]
    least_total: Option<String>,
    explanation: Explained,
}

#[derive(Serialize)]
struct StudentOut {
    student: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<StudentId>,
    marks: u64,
    average: Option<Number>,
    term_mark: Option<TermMark>,
    explanation: Option<StudentExplanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    what_if: Option<WhatIfOut>,
}

#[derive(Serialize)]
struct StudentExplanation {
    average: Explained,
    term_mark: Explained,
}

#[derive(Serialize)]
struct AverageOut<'a> {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<PeriodOut>,
    scale: String,
    work_types: &'a [WorkType],
    term_rule: &'a TermRule,
    students: Vec<StudentOut>,
}

/// The dates whose marks were counted.
#[derive(Serialize)]
struct PeriodOut {
    from: NaiveDate,
    to: NaiveDate,
}

/// The checked what-if question, with the target as typed.
struct Question {
    question: WhatIfQuestion,
    target_text: String,
}

fn question(input: &GradebookInput, args: &WhatIfArgs, lang: Lang) -> Result<Question, UsageError> {
    let target = Fraction::parse(&args.target)
        .map_err(|e| UsageError(format!("--what-if {}: {e}", args.target)))?;
    let work = input.work_type(&args.work_type).ok_or_else(|| {
        let known: Vec<String> =
            input.policy.work_types().iter().map(|w| format!("«{}»", w.name)).collect();
        UsageError(format!(
            "--work-type «{}»: {} ({})",
            args.work_type,
            lang.pick("такого вида работ нет в файле", "not a work type of the file"),
            known.join(", ")
        ))
    })?;
    let mark = match &args.mark {
        Some(label) => Some(
            input
                .policy
                .scale()
                .mark(label)
                .ok_or_else(|| {
                    UsageError(format!(
                        "--mark «{label}»: {} «{}»",
                        lang.pick("такой отметки нет в шкале", "not a mark of the scale"),
                        input.policy.scale().name()
                    ))
                })?
                .label
                .clone(),
        ),
        None => None,
    };
    Ok(Question {
        question: WhatIfQuestion { work_type: work.id, mark, target },
        target_text: args.target.clone(),
    })
}

fn what_if_out(q: &Question, w: WhatIfReport, lang: Lang) -> WhatIfOut {
    WhatIfOut {
        target: q.target_text.clone(),
        work_type: w.work_type.name.to_string(),
        weight: w.weight().value().exact_text(),
        mark: w.mark.to_string(),
        answer: w.answer,
        lowest_uniform: w.lowest_uniform.as_ref().map(ToString::to_string),
        least_total: w.least_total.map(|t| t.exact_text()),
        explanation: Explained::new(w.explanation, lang),
    }
}

/// Runs `marks average`.
pub fn average(
    path: &Path,
    what_if_args: Option<WhatIfArgs>,
    only: Option<&str>,
    period: Option<(NaiveDate, NaiveDate)>,
    format: Format,
    lang: Lang,
) -> anyhow::Result<()> {
    let input = read_gradebook(path, lang)?;
    let term = match period {
        Some((from, to)) => {
            let term =
                Period::new(from, to).map_err(|e| UsageError(format!("--from/--to: {e}")))?;
            input.check_dated().map_err(|cause| DataError::new(path, lang, cause))?;
            Some(term)
        }
        None => None,
    };
    if !input.policy.scale().averaged() {
        return Err(DataError::new(
            path,
            lang,
            format!("marks of the scale «{}» are not averaged", input.policy.scale().name()),
        )
        .into());
    }
    let q = what_if_args.as_ref().map(|a| question(&input, a, lang)).transpose()?;
    let selected: Vec<&Student> = match only {
        None => input.students.iter().collect(),
        Some(who) => {
            let key = fold_key(who);
            let found: Vec<&Student> = input
                .students
                .iter()
                .filter(|s| fold_key(&s.name) == key || (s.id_in_file && s.id.to_string() == who))
                .collect();
            if found.is_empty() {
                return Err(UsageError(format!(
                    "--student «{who}»: {} {}",
                    lang.pick("такого ученика нет в файле", "no such student in"),
                    path.display()
                ))
                .into());
            }
            found
        }
    };
    let mut students = Vec::new();
    for s in selected {
        let report =
            input.report(s.id, term).with_context(|| format!("the average of «{}»", s.name))?;
        let what_if = match &q {
            Some(q) => {
                let w = input
                    .gradebook
                    .what_if_explained(s.id, &input.policy, term, &q.question)
                    .with_context(|| format!("the what-if of «{}»", s.name))?;
                Some(what_if_out(q, w, lang))
            }
            None => None,
        };
        students.push(StudentOut {
            student: s.name.clone(),
            id: s.id_in_file.then_some(s.id),
            marks: report.count,
            average: report.average.map(|a| Number::of(a.value())),
            term_mark: report.term,
            explanation: report.explanation.map(|e| StudentExplanation {
                average: Explained::new(e.average, lang),
                term_mark: Explained::new(e.term, lang),
            }),
            what_if,
        });
    }
    let out = AverageOut {
        file: path.display().to_string(),
        period: period.map(|(from, to)| PeriodOut { from, to }),
        scale: input.policy.scale().name().to_string(),
        work_types: input.policy.work_types(),
        term_rule: input.policy.term_rule(),
        students,
    };
    let printed = match format {
        Format::Json => output::json(&out)?,
        Format::Text => text_report(&out, lang),
    };
    output::print(&printed)
}

fn marks_word(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Ru => {
            format!("{n} {}", lesenka_core::explain::ru_plural(n, "отметка", "отметки", "отметок"))
        }
        Lang::En => format!("{n} {}", if n == 1 { "mark" } else { "marks" }),
    }
}

fn text_report(out: &AverageOut<'_>, lang: Lang) -> String {
    let mut s = String::new();
    for st in &out.students {
        s.push_str(&format!("{}\n", st.student));
        match (&st.explanation, &st.term_mark) {
            (Some(e), Some(t)) => {
                s.push_str(&format!(
                    "  {}: {}\n",
                    lang.pick("Средний балл", "Weighted average"),
                    e.average.text
                ));
                s.push_str(&format!(
                    "  {} «{}»: {}\n",
                    lang.pick("Отметка за период", "Term mark"),
                    t.mark,
                    e.term_mark.text
                ));
            }
            _ => s.push_str(&format!("  {}\n", lang.pick("отметок нет", "no marks"))),
        }
        if let Some(w) = &st.what_if {
            let target = lang.number(w.target.clone());
            let head = match lang {
                Lang::Ru => format!(
                    "Что если (цель {target}; «{}», вес {})",
                    w.work_type,
                    lang.number(w.weight.clone())
                ),
                Lang::En => {
                    format!("What if (target {target}; «{}», weight {})", w.work_type, w.weight)
                }
            };
            let answer = match w.answer {
                WhatIf::AlreadyReached => lang.pick("уже достигнуто", "already reached").to_owned(),
                WhatIf::Unreachable => lang
                    .pick("недостижимо такими отметками", "unreachable with such marks")
                    .to_owned(),
                WhatIf::Needs { count, average } => {
                    let mut a = match lang {
                        Lang::Ru => format!(
                            "нужно ещё {} «{}» → {}",
                            marks_word(count, lang),
                            w.mark,
                            lang.number(average.decimal(2))
                        ),
                        Lang::En => format!(
                            "needs {count} more {} «{}» → {}",
                            if count == 1 { "mark" } else { "marks" },
                            w.mark,
                            average.decimal(2)
                        ),
                    };
                    if let Some(low) = w.lowest_uniform.as_ref().filter(|l| **l != w.mark) {
                        a.push_str(&match lang {
                            Lang::Ru => format!(" (хватит и {count} × «{low}»)"),
                            Lang::En => format!(" ({count} × «{low}» would do too)"),
                        });
                    }
                    a
                }
            };
            s.push_str(&format!("  {head}: {answer}\n"));
            for line in w.explanation.text.lines() {
                s.push_str(&format!("    {line}\n"));
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a plain gradebook and returns each student's exact average, or the error text.
    fn check(json: &str, expected: Result<&[(&str, Option<&str>)], &str>) {
        let plain: PlainGradebook = serde_json::from_str(json).expect("test JSON");
        match (from_plain(plain), expected) {
            (Ok(input), Ok(want)) => {
                let got: Vec<(String, Option<String>)> = input
                    .students
                    .iter()
                    .map(|s| {
                        let report = input.report(s.id, None).unwrap();
                        (s.name.clone(), report.average.map(|a| a.value().exact_text()))
                    })
                    .collect();
                let want: Vec<(String, Option<String>)> =
                    want.iter().map(|(n, a)| (n.to_string(), a.map(str::to_owned))).collect();
                assert_eq!(got, want, "{json}");
            }
            (Err(e), Err(want)) => assert_eq!(e, want, "{json}"),
            (got, want) => panic!("{json}: got {got:?}, expected {want:?}"),
        }
    }

    const TYPES: &str = r#""work_types": [{"name": "К/р", "weight": 5}, {"name": "Урок", "weight": "3"},
        {"name": "Д/з", "weight": 1}]"#;

    fn file(scale: &str, rule: &str, marks: &str) -> String {
        format!(
            r#"{{ {scale} {TYPES}, "term_rule": {rule},
               "students": [{{"name": "А", "marks": [{marks}]}}]}}"#
        )
    }

    #[test]
    fn reads_the_plain_format() {
        let rule = r#"{"margin": 0.65, "round_to": 2}"#;
        let domain = r#"{"work_type": "урок", "mark": 5}, {"work_type": "Д/З", "mark": "5"},
                        {"work_type": "к/р", "mark": 4}"#;
        check(&file("", rule, domain), Ok(&[("А", Some("40/9"))]));
        check(&file("", rule, ""), Ok(&[("А", None)]));
        let pm = r#""scale": "five_plus_minus", "plus_minus": "0,5","#;
        check(&file(pm, rule, r#"{"work_type": "Урок", "mark": "4-"}"#), Ok(&[("А", Some("3.5"))]));
        let pm = r#""scale": "five_plus_minus","#;
        check(
            &file(pm, rule, r#"{"work_type": "Урок", "mark": "4−"}"#),
            Ok(&[("А", Some("3.75"))]),
        );
        let ten = r#""scale": "ten","#;
        let rule10 = r#"{"thresholds": [{"at_least": 8, "mark": 10}], "below": 1}"#;
        check(&file(ten, rule10, r#"{"work_type": "Урок", "mark": 9}"#), Ok(&[("А", Some("9"))]));
        let custom = r#""scale": [{"label": "н/з", "value": 0}, {"label": "з", "value": 1}],"#;
        let rule_c = r#"{"thresholds": [{"at_least": "1/2", "mark": "з"}], "below": "н/з"}"#;
        let marks = r#"{"work_type": "Урок", "mark": "з"}, {"work_type": "К/р", "mark": "н/з"}"#;
        check(&file(custom, rule_c, marks), Ok(&[("А", Some("0.375"))]));
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        let rule = r#"{"margin": 0.65}"#;
        check(
            &file("", rule, r#"{"work_type": "Зачёт", "mark": 5}"#),
            Err(
                "student «А», mark 1: work type «Зачёт» is not in work_types («К/р», «Урок», «Д/з»)",
            ),
        );
        check(
            &file("", rule, r#"{"work_type": "Урок", "mark": 6}"#),
            Err("student «А», mark 1: «6» is not a mark of the scale «Пятибалльная»"),
        );
        check(
            &file(r#""scale": "hundred","#, rule, ""),
            Err(
                "scale «hundred» is not known; use \"five\", \"five_plus_minus\", \"ten\" or a list of marks",
            ),
        );
        check(
            &file("", r#"{"margin": 1.5}"#, ""),
            Err("term_rule: the margin must be at least 0 and below 1, not 1.5"),
        );
        check(
            &file("", r#"{"margin": 0.5, "below": "2"}"#, ""),
            Err("term_rule needs either \"thresholds\" and \"below\", or \"margin\""),
        );
        check(
            &file(
                "",
                r#"{"thresholds": [{"at_least": 3, "mark": "4"}, {"at_least": 4, "mark": "5"}], "below": "2"}"#,
                "",
            ),
            Err("term_rule: thresholds must go strictly down: 4 follows 3"),
        );
        check(
            &file(
                "",
                r#"{"thresholds": [{"at_least": 4, "mark": "3"}, {"at_least": 3, "mark": "4"}], "below": "2"}"#,
                "",
            ),
            Err("the marking policy: term rule: «3» is given above «4» but is a lower mark"),
        );
    }
}
