//! `lesenka marks average FILE`: per-student weighted average, term mark and their calculation,
//! and the what-if answer, from a gradebook file.
//!
//! Two input formats are read into one [`Book`] (a validated [`MarkingPolicy`] and each
//! student's marks): a Lesenka envelope of kind `gradebook` whose payload is [`GradebookFile`]
//! (core's policy and gradebook types), and the plain format described in [`HELP`]. Every number
//! comes from core: [`Average::of`], [`TermRule::decide`], [`explain_average`],
//! [`TermRule::explain`], [`fewest_marks`] / [`fewest_marks_any`] and [`explain_what_if`].

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use lesenka_core::explain::Explanation;
use lesenka_core::ids::{StudentId, WorkTypeId};
use lesenka_core::marks::{
    AnyWhatIf, Average, Entry, Fraction, Gradebook, MarkScale, MarkingPolicy, Period, PlusMinus,
    Rounding, ScaleMark, TermMark, TermRule, Threshold, WhatIf, WorkType, explain_average,
    explain_what_if, fewest_marks, fewest_marks_any,
};
use lesenka_core::persist::Kind;
use lesenka_core::text::Name;
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

/// One mark of a [`Book`].
#[derive(Debug, Clone)]
pub struct BookMark {
    /// Its work type (in the policy).
    pub work_type: WorkTypeId,
    /// Its label as the scale spells it.
    pub label: Name,
    /// The date, when known.
    pub date: Option<NaiveDate>,
}

/// A student of a [`Book`] with their marks.
#[derive(Debug, Clone)]
pub struct BookStudent {
    /// The id, when the file has one.
    pub id: Option<StudentId>,
    /// The name to show.
    pub name: String,
    /// Marks in the order given.
    pub marks: Vec<BookMark>,
}

/// A gradebook file read and checked: the policy and each student's marks.
#[derive(Debug, Clone)]
pub struct Book {
    /// The school's policy.
    pub policy: MarkingPolicy,
    /// Students in the file's order.
    pub students: Vec<BookStudent>,
}

impl Book {
    /// A student's marks as explanation entries, in date order (undated first, as given).
    pub fn entries<'a>(&self, student: &'a BookStudent) -> Vec<(Entry, &'a BookMark)> {
        let mut marks: Vec<&BookMark> = student.marks.iter().collect();
        marks.sort_by_key(|m| m.date);
        marks
            .into_iter()
            .filter_map(|m| {
                let work = self.policy.work_type(m.work_type)?;
                let value = self.policy.scale().value_of(m.label.as_str())?;
                let label = match m.date {
                    Some(d) => format!("{} {}", work.name, d.format("%d.%m.%Y")),
                    None => work.name.to_string(),
                };
                Some((Entry { label, value, weight: work.weight }, m))
            })
            .collect()
    }

    /// Keeps only the marks dated within `period` (a term); a mark without a date cannot be
    /// placed and is an error.
    pub fn restrict(&mut self, period: Period) -> Result<(), String> {
        for s in &mut self.students {
            if let Some(i) = s.marks.iter().position(|m| m.date.is_none()) {
                return Err(format!(
                    "student «{}», mark {}: no date, so it cannot be placed in --from/--to",
                    s.name,
                    i + 1
                ));
            }
            s.marks.retain(|m| m.date.is_some_and(|d| period.contains(d)));
        }
        Ok(())
    }

    /// The work type with this name (case and spaces ignored).
    pub fn work_type(&self, name: &str) -> Option<&WorkType> {
        let key = fold(name);
        self.policy.work_types().iter().find(|w| fold(w.name.as_str()) == key)
    }
}

fn fold(text: &str) -> String {
    lesenka_core::text::fold_spaces(text).to_lowercase().replace('ё', "е")
}

/// Reads a gradebook file in either format.
pub fn read_book(path: &Path, lang: Lang) -> anyhow::Result<Book> {
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

fn from_envelope(file: GradebookFile) -> Result<Book, String> {
    // The policy may have changed since a mark was given: a mark it cannot place is reported,
    // never skipped.
    for m in file.gradebook.marks() {
        if file.policy.work_type(m.work_type).is_none() {
            return Err(format!(
                "mark {}: work type {} is not in the policy's work types",
                m.id, m.work_type
            ));
        }
        if file.policy.scale().mark(m.value.as_str()).is_none() {
            return Err(format!(
                "mark {}: «{}» is not a mark of the scale «{}»",
                m.id,
                m.value,
                file.policy.scale().name()
            ));
        }
    }
    let mut order: Vec<StudentId> = Vec::new();
    for m in file.gradebook.marks() {
        if !order.contains(&m.student) {
            order.push(m.student);
        }
    }
    for s in &file.students {
        if !order.contains(&s.id) {
            order.push(s.id);
        }
    }
    // Named students first, in the names' order, then the others in the gradebook's order.
    order.sort_by_key(|id| file.students.iter().position(|s| s.id == *id).unwrap_or(usize::MAX));
    let students = order
        .into_iter()
        .map(|id| BookStudent {
            id: Some(id),
            name: file
                .students
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.name.clone()),
            marks: file
                .gradebook
                .marks_of(id)
                .map(|m| BookMark {
                    work_type: m.work_type,
                    label: m.value.clone(),
                    date: Some(m.date),
                })
                .collect(),
        })
        .collect();
    Ok(Book { policy: file.policy, students })
}

fn name(text: &str, what: &str) -> Result<Name, String> {
    Name::parse(text).map_err(|e| format!("{what} «{text}»: {e}"))
}

fn from_plain(plain: PlainGradebook) -> Result<Book, String> {
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
    let mut book = Book { policy, students: Vec::new() };
    for s in plain.students {
        let mut marks = Vec::new();
        for (i, m) in s.marks.iter().enumerate() {
            let at = || format!("student «{}», mark {}", s.name, i + 1);
            let work = book.work_type(&m.work_type).ok_or_else(|| {
                let known: Vec<String> =
                    book.policy.work_types().iter().map(|w| format!("«{}»", w.name)).collect();
                format!(
                    "{}: work type «{}» is not in work_types ({})",
                    at(),
                    m.work_type,
                    known.join(", ")
                )
            })?;
            let label = m.mark.text();
            let on_scale = book.policy.scale().mark(&label).ok_or_else(|| {
                format!(
                    "{}: «{label}» is not a mark of the scale «{}»",
                    at(),
                    book.policy.scale().name()
                )
            })?;
            marks.push(BookMark {
                work_type: work.id,
                label: on_scale.label.clone(),
                date: m.date,
            });
        }
        book.students.push(BookStudent { id: None, name: s.name, marks });
    }
    Ok(book)
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
    marks: usize,
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

/// The checked what-if question.
struct Question<'a> {
    target: Fraction,
    target_text: String,
    work: &'a WorkType,
    mark: Option<&'a ScaleMark>,
}

fn question<'a>(book: &'a Book, args: &WhatIfArgs, lang: Lang) -> Result<Question<'a>, UsageError> {
    let target = Fraction::parse(&args.target)
        .map_err(|e| UsageError(format!("--what-if {}: {e}", args.target)))?;
    let work = book.work_type(&args.work_type).ok_or_else(|| {
        let known: Vec<String> =
            book.policy.work_types().iter().map(|w| format!("«{}»", w.name)).collect();
        UsageError(format!(
            "--work-type «{}»: {} ({})",
            args.work_type,
            lang.pick("такого вида работ нет в файле", "not a work type of the file"),
            known.join(", ")
        ))
    })?;
    let mark = match &args.mark {
        Some(label) => Some(book.policy.scale().mark(label).ok_or_else(|| {
            UsageError(format!(
                "--mark «{label}»: {} «{}»",
                lang.pick("такой отметки нет в шкале", "not a mark of the scale"),
                book.policy.scale().name()
            ))
        })?),
        None => None,
    };
    Ok(Question { target, target_text: args.target.clone(), work, mark })
}

fn what_if(
    book: &Book,
    q: &Question<'_>,
    current: Option<&Average>,
    lang: Lang,
) -> anyhow::Result<WhatIfOut> {
    let scale = book.policy.scale();
    let rounding = book.policy.term_rule().rounding();
    let weight = q.work.weight;
    let (answer, any, mark) = match q.mark {
        Some(m) => (fewest_marks(current, m.value, weight, q.target, rounding)?, None, m),
        None => {
            let any: AnyWhatIf = fewest_marks_any(
                current,
                scale,
                scale.highest().value,
                weight,
                q.target,
                rounding,
            )?;
            (any.answer, Some(any), scale.highest())
        }
    };
    let explanation = explain_what_if(current, mark.value, weight, q.target, rounding, &answer)?;
    Ok(WhatIfOut {
        target: q.target_text.clone(),
        work_type: q.work.name.to_string(),
        weight: weight.value().exact_text(),
        mark: mark.label.to_string(),
        answer,
        lowest_uniform: any
            .as_ref()
            .and_then(|a| a.lowest_uniform.as_ref().map(ToString::to_string)),
        least_total: any.as_ref().and_then(|a| a.least_total.map(|t| t.exact_text())),
        explanation: Explained::new(explanation, lang),
    })
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
    let mut book = read_book(path, lang)?;
    if let Some((from, to)) = period {
        let term = Period::new(from, to).map_err(|e| UsageError(format!("--from/--to: {e}")))?;
        book.restrict(term).map_err(|cause| DataError::new(path, lang, cause))?;
    }
    if !book.policy.scale().averaged() {
        return Err(DataError::new(
            path,
            lang,
            format!("marks of the scale «{}» are not averaged", book.policy.scale().name()),
        )
        .into());
    }
    let q = what_if_args.as_ref().map(|a| question(&book, a, lang)).transpose()?;
    let selected: Vec<&BookStudent> = match only {
        None => book.students.iter().collect(),
        Some(who) => {
            let key = fold(who);
            let found: Vec<&BookStudent> = book
                .students
                .iter()
                .filter(|s| fold(&s.name) == key || s.id.is_some_and(|id| id.to_string() == who))
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
    let rule = book.policy.term_rule();
    let mut students = Vec::new();
    for s in selected {
        let entries: Vec<Entry> = book.entries(s).into_iter().map(|(e, _)| e).collect();
        let avg = Average::of(entries.iter().map(|e| (e.value, e.weight)))
            .with_context(|| format!("the average of «{}»", s.name))?;
        let term = avg.map(|a| rule.decide(a.value()));
        let explanation = match (&avg, &term) {
            (Some(a), Some(t)) => Some(StudentExplanation {
                average: Explained::new(explain_average(&entries)?, lang),
                term_mark: Explained::new(rule.explain(a.value(), t), lang),
            }),
            _ => None,
        };
        let what_if = q.as_ref().map(|q| what_if(&book, q, avg.as_ref(), lang)).transpose()?;
        students.push(StudentOut {
            student: s.name.clone(),
            id: s.id,
            marks: entries.len(),
            average: avg.map(|a| Number::of(a.value())),
            term_mark: term,
            explanation,
            what_if,
        });
    }
    let out = AverageOut {
        file: path.display().to_string(),
        period: period.map(|(from, to)| PeriodOut { from, to }),
        scale: book.policy.scale().name().to_string(),
        work_types: book.policy.work_types(),
        term_rule: rule,
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
            (Ok(book), Ok(want)) => {
                let got: Vec<(String, Option<String>)> = book
                    .students
                    .iter()
                    .map(|s| {
                        let entries: Vec<Entry> =
                            book.entries(s).into_iter().map(|(e, _)| e).collect();
                        let avg = Average::of(entries.iter().map(|e| (e.value, e.weight))).unwrap();
                        (s.name.clone(), avg.map(|a| a.value().exact_text()))
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
