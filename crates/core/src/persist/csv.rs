//! CSV exports that open correctly in Russian Excel.
//!
//! Russian Excel opens a double-clicked `.csv` with the system list separator `;` and the system
//! code page unless the file starts with a UTF-8 byte-order mark. So every file here starts with
//! the BOM, separates cells with `;`, ends lines with CRLF, quotes a cell that holds `;`, `"`,
//! CR or LF (doubling inner quotes), writes numbers with a decimal comma (`4,44`) and dates as
//! ДД.ММ.ГГГГ. A free text that starts with `=`, `+`, `-` or `@` gets a leading apostrophe so
//! Excel never runs it as a formula (students type these texts).
//!
//! [`evidence_csv`] writes one row per evidence record; [`gradebook_csv`] writes a plain table
//! (students × columns plus the average) that [`gradebook_table`] fills from the gradebooks and
//! core's report. Both are [`write_csv`] over rows of [`Cell`]s ([`evidence_rows`],
//! [`gradebook_rows`]), which other spreadsheet writers (the app's .xlsx) take as they are.
//! [`concept_map_csv`] writes the lessons' concept maps, one row per proposition
//! ([`concept_map_rows`]); [`practice_csv`] the community's bank of practices, one row per
//! practice ([`practice_rows`]); [`diagnostic_csv`] the questionnaire runs, one row per sheet
//! ([`diagnostic_rows`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::conceptmap::ConceptKind;
use crate::conceptmap::stored::{LessonMap, MapAuthor};
use crate::diagnostics::{DiagnosticRun, RunForm};
use crate::evidence::{EvidenceRecord, Source};
use crate::ids::{ClassId, CriterionId, LessonId, StudentId};
use crate::lesson::Lesson;
use crate::marks::{Gradebook, GradebookError, Mark, MarkingPolicy};
use crate::roster::Class;
use crate::technique::{ExitAnswer, Light, Response, Thumb};
use crate::text::Lang;

/// The UTF-8 byte-order mark every file starts with.
pub const BOM: &str = "\u{feff}";

/// One cell of a CSV row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// A free text (guarded against formula injection).
    Text(String),
    /// A number, written with a decimal comma and as few decimals as it needs.
    Number(f64),
    /// A number written with exactly this many decimals (averages: 2).
    Fixed(f64, usize),
    /// A date, written ДД.ММ.ГГГГ.
    Date(NaiveDate),
}

impl Cell {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }
}

/// Writes `value` with a decimal comma and `decimals` digits after it; not-a-number is empty.
pub fn decimal_comma(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let text = format!("{value:.decimals$}");
    let text = if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    text.replace('.', ",")
}

fn shortest_decimal(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let value = if value == 0.0 { 0.0 } else { value };
    format!("{value}").replace('.', ",")
}

/// A date as ДД.ММ.ГГГГ.
pub fn date_ru(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

fn push_cell(out: &mut String, cell: &Cell) {
    let text = match cell {
        Cell::Empty => return,
        Cell::Number(x) => return out.push_str(&shortest_decimal(*x)),
        Cell::Fixed(x, d) => return out.push_str(&decimal_comma(*x, *d)),
        Cell::Date(d) => return out.push_str(&date_ru(*d)),
        Cell::Text(t) => t,
    };
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@']) {
        guarded = format!("'{text}");
        &guarded
    } else {
        text
    };
    if text.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Writes rows as an Excel-ready CSV text: BOM, `;`, CRLF after every row.
pub fn write_csv<R: AsRef<[Cell]>>(rows: impl IntoIterator<Item = R>) -> String {
    let mut out = String::from(BOM);
    for row in rows {
        for (i, cell) in row.as_ref().iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            push_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
}

/// Which name to show for a named student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameMode {
    /// The real display name (for the teacher's own files).
    #[default]
    RealNames,
    /// The pseudonym (for files shared beyond the teacher).
    Pseudonyms,
}

/// Names of a student for exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentNames {
    /// The real name.
    pub display_name: String,
    /// The pseudonym.
    pub pseudonym: String,
}

/// Lookup tables turning the ids in evidence into words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceLookup {
    /// Class names.
    pub classes: BTreeMap<ClassId, String>,
    /// Student names.
    pub students: BTreeMap<StudentId, StudentNames>,
    /// Criterion texts (the bank's or any lesson's wording).
    pub criteria: BTreeMap<CriterionId, String>,
    /// A lesson's own wording of a criterion, preferred over [`criteria`](Self::criteria).
    pub lesson_criteria: BTreeMap<(LessonId, CriterionId), String>,
}

impl EvidenceLookup {
    /// Tables of class and student names from the rosters.
    pub fn from_classes(classes: &[Class]) -> Self {
        let mut lookup = Self::default();
        for class in classes {
            lookup.classes.insert(class.id, class.name.to_string());
            for student in class.students() {
                lookup.students.insert(
                    student.id,
                    StudentNames {
                        display_name: student.display_name.to_string(),
                        pseudonym: student.pseudonym.as_str().to_owned(),
                    },
                );
            }
        }
        lookup
    }

    /// Adds the lessons' own criterion wordings (and each criterion's first wording as a fallback).
    pub fn with_lessons(mut self, lessons: &[Lesson]) -> Self {
        for lesson in lessons {
            for criterion in lesson.criteria() {
                let text = criterion.text().to_string();
                self.criteria.entry(criterion.id()).or_insert_with(|| text.clone());
                self.lesson_criteria.insert((lesson.id(), criterion.id()), text);
            }
        }
        self
    }

    /// A student's name as `names` asks (the id itself when the student is not in the tables).
    pub fn student_name(&self, id: StudentId, names: NameMode) -> String {
        match (self.students.get(&id), names) {
            (Some(n), NameMode::RealNames) => n.display_name.clone(),
            (Some(n), NameMode::Pseudonyms) => n.pseudonym.clone(),
            (None, _) => id.to_string(),
        }
    }

    /// Adds a criterion's wording.
    pub fn with_criterion(mut self, id: CriterionId, text: impl Into<String>) -> Self {
        self.criteria.insert(id, text.into());
        self
    }
}

/// The Russian word for who produced the evidence.
pub const fn source_ru(source: Source) -> &'static str {
    match source {
        Source::SelfAssessment => "самооценка",
        Source::Teacher => "учитель",
        Source::Peer => "взаимооценка",
    }
}

fn fingers_ru(n: u8) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "пальцев",
        (1, _) => "палец",
        (2..=4, _) => "пальца",
        _ => "пальцев",
    };
    format!("{n} {word}")
}

/// A response in Russian words.
pub fn response_ru(value: &Response) -> String {
    match value {
        Response::Light(Light::Green) => "зелёный".into(),
        Response::Light(Light::Yellow) => "жёлтый".into(),
        Response::Light(Light::Red) => "красный".into(),
        Response::Step(s) => format!("ступень {s}"),
        Response::Fingers(n) => fingers_ru(*n),
        Response::Thumb(Thumb::Up) => "палец вверх".into(),
        Response::Thumb(Thumb::Sideways) => "палец в сторону".into(),
        Response::Thumb(Thumb::Down) => "палец вниз".into(),
        Response::TwoStarsAndAWish { stars, wish } => {
            format!("звёзды: {}; {}; пожелание: {wish}", stars[0], stars[1])
        }
        Response::ThreeTwoOne { three, two, one } => {
            format!("3: {}; 2: {}; 1: {one}", three.join(", "), two.join(", "))
        }
        Response::Text(t) => t.clone(),
        Response::Lines(lines) => lines.join(" / "),
        Response::ExitTicket(answers) => answers
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let text = match a {
                    ExitAnswer::Check(true) => "верно".to_owned(),
                    ExitAnswer::Check(false) => "неверно".to_owned(),
                    ExitAnswer::Confidence(c) => format!("уверенность {c} из 4"),
                    ExitAnswer::Text(t) => t.clone(),
                };
                format!("{}) {text}", i + 1)
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The header row of [`evidence_csv`].
pub const EVIDENCE_HEADER: [&str; 7] =
    ["Дата", "Класс", "Ученик", "Критерий", "Приём", "Ответ", "Источник"];

/// One row per evidence record, ordered by lesson date, then time recorded: date, class, student
/// (display name, pseudonym, or «аноним»), criterion, technique, answer in words, source (a peer
/// review's with its reviewer: «взаимооценка: Анна Иванова»).
///
/// Ids missing from `lookup` are written as the id itself so nothing is silently dropped.
pub fn evidence_csv<'a>(
    records: impl IntoIterator<Item = &'a EvidenceRecord>,
    lookup: &EvidenceLookup,
    names: NameMode,
) -> String {
    write_csv(evidence_rows(records, lookup, names))
}

/// The rows [`evidence_csv`] writes, header first: what any spreadsheet writer (CSV here, the
/// app's .xlsx) puts in its cells.
pub fn evidence_rows<'a>(
    records: impl IntoIterator<Item = &'a EvidenceRecord>,
    lookup: &EvidenceLookup,
    names: NameMode,
) -> Vec<Vec<Cell>> {
    let mut records: Vec<&EvidenceRecord> = records.into_iter().collect();
    records.sort_by_key(|r| (r.lesson_date(), r.recorded_at(), r.id()));
    let header = EVIDENCE_HEADER.map(Cell::text).to_vec();
    let rows = records.into_iter().map(|r| {
        let class =
            lookup.classes.get(&r.class()).cloned().unwrap_or_else(|| r.class().to_string());
        let student = match r.student() {
            None => "аноним".to_owned(),
            Some(id) => lookup.student_name(id, names),
        };
        let criterion = lookup
            .lesson_criteria
            .get(&(r.lesson(), r.criterion()))
            .or_else(|| lookup.criteria.get(&r.criterion()))
            .cloned()
            .unwrap_or_else(|| r.criterion().to_string());
        vec![
            Cell::Date(r.lesson_date()),
            Cell::Text(class),
            Cell::Text(student),
            Cell::Text(criterion),
            Cell::text(r.technique().name(Lang::Ru)),
            Cell::Text(response_ru(r.value())),
            Cell::Text(match r.author() {
                Some(author) => {
                    format!("{}: {}", source_ru(r.source()), lookup.student_name(author, names))
                }
                None => source_ru(r.source()).to_owned(),
            }),
        ]
    });
    std::iter::once(header).chain(rows).collect()
}

/// A column of the gradebook: a date, a title (work type, topic), or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GradebookColumn {
    /// The date of the work.
    pub date: Option<NaiveDate>,
    /// Its title («к/р», «Дроби»).
    pub title: String,
}

/// A student's row of the gradebook.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GradebookRow {
    /// The student's name as it should appear.
    pub student: String,
    /// One cell per column (marks as numbers, «н» as text, several marks as text «5 4»).
    pub cells: Vec<Cell>,
    /// The weighted average, written with two decimals.
    pub average: Option<f64>,
}

/// A plain gradebook table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GradebookTable {
    /// Column headers, in order.
    pub columns: Vec<GradebookColumn>,
    /// Rows, in roster order.
    pub rows: Vec<GradebookRow>,
}

/// The gradebook as CSV: «Ученик», the columns («02.09.2024 к/р»), «Средний балл».
///
/// Short rows are padded with empty cells so the average stays in its column; extra cells
/// beyond the headers are kept under empty headers rather than dropped.
pub fn gradebook_csv(table: &GradebookTable) -> String {
    write_csv(gradebook_rows(table))
}

/// The rows [`gradebook_csv`] writes, header first (for any spreadsheet writer).
pub fn gradebook_rows(table: &GradebookTable) -> Vec<Vec<Cell>> {
    let width = table.rows.iter().map(|r| r.cells.len()).fold(table.columns.len(), usize::max);
    let mut header = vec![Cell::text("Ученик")];
    header.extend(table.columns.iter().map(|c| {
        let date = c.date.map(date_ru).unwrap_or_default();
        Cell::Text(format!("{date} {}", c.title).trim().to_owned())
    }));
    header.resize(width + 1, Cell::Empty);
    header.push(Cell::text("Средний балл"));
    let rows = table.rows.iter().map(|row| {
        let mut cells = vec![Cell::Text(row.student.clone())];
        cells.extend(row.cells.iter().cloned());
        cells.resize(width + 1, Cell::Empty);
        cells.push(row.average.map_or(Cell::Empty, |a| Cell::Fixed(a, 2)));
        cells
    });
    std::iter::once(header).chain(rows).collect()
}

/// One class's gradebook as an export reads it.
pub struct GradebookSheet<'a> {
    /// The policy the marks are read and averaged under.
    pub policy: &'a MarkingPolicy,
    /// The marks.
    pub gradebook: &'a Gradebook,
    /// The students, in roster order, with the name the export shows.
    pub students: Vec<(StudentId, String)>,
    /// The date a mark is shown with (`None`: a mark its file gave without a date).
    pub date_of: &'a dyn Fn(&Mark) -> Option<NaiveDate>,
}

/// The gradebook table of one or more classes: one column per (date, work type) that has a
/// mark, in date order then the policy's work-type order; a cell holds the marks of that column
/// (a number for one numeric mark, else the labels separated by spaces); the average is core's
/// report's, rounded half up to two decimals exactly. Several classes share the columns.
pub fn gradebook_table(sheets: &[GradebookSheet<'_>]) -> Result<GradebookTable, GradebookError> {
    // A column: the date as shown, the work type's place in the policy, and its name.
    let column = |sheet: &GradebookSheet<'_>, m: &Mark| {
        let types = sheet.policy.work_types();
        let position = types.iter().position(|w| w.id == m.work_type).unwrap_or(usize::MAX);
        let title = types.get(position).map(|w| w.name.to_string()).unwrap_or_default();
        ((sheet.date_of)(m), position, title)
    };
    let mut keys: BTreeSet<(Option<NaiveDate>, usize, String)> = BTreeSet::new();
    for sheet in sheets {
        for (id, _) in &sheet.students {
            keys.extend(sheet.gradebook.marks_of(*id).map(|m| column(sheet, m)));
        }
    }
    let keys: Vec<(Option<NaiveDate>, usize, String)> = keys.into_iter().collect();
    let columns = keys
        .iter()
        .map(|(date, _, title)| GradebookColumn { date: *date, title: title.clone() })
        .collect();
    let mut rows = Vec::new();
    for sheet in sheets {
        for (id, name) in &sheet.students {
            let marks: Vec<&Mark> = sheet.gradebook.marks_of(*id).collect();
            let cells = keys
                .iter()
                .map(|key| {
                    let here: Vec<&Mark> =
                        marks.iter().copied().filter(|m| column(sheet, m) == *key).collect();
                    let value = |m: &Mark| sheet.policy.scale().value_of(m.value.as_str());
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
            let report = sheet.gradebook.report(*id, sheet.policy, None)?;
            rows.push(GradebookRow {
                student: name.clone(),
                cells,
                // Rounded exactly first, so the two decimals printed are the exact half-up ones.
                average: report.average.map(|a| a.value().round_half_up(2).to_f64()),
            });
        }
    }
    Ok(GradebookTable { columns, rows })
}

/// The header row of [`practice_csv`].
pub const PRACTICE_HEADER: [&str; 10] = [
    "Добавлена",
    "Название",
    "Приём",
    "Предмет",
    "Класс",
    "Автор",
    "Описание",
    "Урок",
    "Записей",
    "Ссылка",
];

/// The bank of practices as CSV (see [`practice_rows`]).
pub fn practice_csv(
    practices: &[crate::plan::Practice],
    members: &[crate::plan::Member],
    lessons: &[Lesson],
) -> String {
    write_csv(practice_rows(practices, members, lessons))
}

/// The rows [`practice_csv`] writes, header first, one per practice in the order given: the
/// date added, title, technique (Russian name), subject, grade, author (a member's name),
/// description, the lesson where it was used (topic and date; its id when the lesson is
/// unknown), the number of evidence records attached, the link.
pub fn practice_rows(
    practices: &[crate::plan::Practice],
    members: &[crate::plan::Member],
    lessons: &[Lesson],
) -> Vec<Vec<Cell>> {
    let mut rows = vec![PRACTICE_HEADER.map(Cell::text).to_vec()];
    let text = |t: Option<&crate::text::Name>| t.map_or(Cell::Empty, |t| Cell::text(t.as_str()));
    for p in practices {
        let d = p.draft();
        let author = d.author.map(|a| {
            members.iter().find(|m| m.id == a).map_or_else(|| a.to_string(), |m| m.name.to_string())
        });
        let lesson = d.lesson.map(|id| {
            lessons.iter().find(|l| l.id() == id).map_or_else(
                || id.to_string(),
                |l| format!("{} ({})", l.topic(), date_ru(l.date())),
            )
        });
        rows.push(vec![
            Cell::Date(d.added_on),
            Cell::text(d.title.as_str()),
            d.technique.map_or(Cell::Empty, |t| Cell::text(t.name(Lang::Ru))),
            text(d.subject.as_ref()),
            d.grade.map_or(Cell::Empty, |g| Cell::Number(f64::from(g))),
            author.map_or(Cell::Empty, Cell::Text),
            text(d.description.as_ref()),
            lesson.map_or(Cell::Empty, Cell::Text),
            Cell::Number(d.evidence.len() as f64),
            d.link.as_ref().map_or(Cell::Empty, |l| Cell::text(l.as_str())),
        ]);
    }
    rows
}

/// The header row of [`concept_map_csv`].
pub const CONCEPT_MAP_HEADER: [&str; 9] = [
    "Дата",
    "Класс",
    "Тема урока",
    "Критерий",
    "Автор карты",
    "Понятие",
    "Связь",
    "Понятие",
    "Тип",
];

/// The criterion cell of a map drawn for the whole lesson.
pub const WHOLE_LESSON: &str = "весь урок";

/// The concept maps as CSV: one row per proposition (see [`concept_map_rows`]).
pub fn concept_map_csv(
    maps: &[LessonMap],
    lessons: &[Lesson],
    lookup: &EvidenceLookup,
    names: NameMode,
) -> String {
    write_csv(concept_map_rows(maps, lessons, lookup, names))
}

/// The rows [`concept_map_csv`] writes, header first: per map (ordered by lesson date, then by
/// criterion — the whole lesson's maps first, then the lesson's criteria in its order — then
/// the teacher's map before the students' in name order), one row per proposition — lesson
/// date, class, topic, the criterion as the lesson words it ([`WHOLE_LESSON`] for a map of the
/// whole lesson), author («учитель» or the student's name), source concept, linking phrase,
/// target concept, «пример» when the target is an example — and a row with only the concept
/// for each concept that no proposition touches, so nothing of a map is left out. A lesson,
/// criterion or student missing from the tables is written as its id.
pub fn concept_map_rows(
    maps: &[LessonMap],
    lessons: &[Lesson],
    lookup: &EvidenceLookup,
    names: NameMode,
) -> Vec<Vec<Cell>> {
    let author = |m: &LessonMap| match m.author() {
        MapAuthor::Teacher => "учитель".to_owned(),
        MapAuthor::Student(id) => lookup.student_name(id, names),
    };
    let lesson_of = |m: &LessonMap| lessons.iter().find(|l| l.id() == m.lesson());
    let mut maps: Vec<(&LessonMap, String)> = maps.iter().map(|m| (m, author(m))).collect();
    // The whole lesson first, then the lesson's criteria in its order, then criteria it lacks.
    let criterion_place = |m: &LessonMap| match m.criterion() {
        None => (0, 0, None),
        Some(c) => match lesson_of(m).and_then(|l| l.criteria().iter().position(|x| x.id() == c)) {
            Some(i) => (1, i, None),
            None => (2, 0, Some(c)),
        },
    };
    maps.sort_by(|(a, an), (b, bn)| {
        let date = |m: &LessonMap| lesson_of(m).map(Lesson::date);
        (date(a), a.lesson(), criterion_place(a), a.author() != MapAuthor::Teacher, an).cmp(&(
            date(b),
            b.lesson(),
            criterion_place(b),
            b.author() != MapAuthor::Teacher,
            bn,
        ))
    });
    let mut rows = vec![CONCEPT_MAP_HEADER.map(Cell::text).to_vec()];
    for (m, author) in maps {
        let (date, class, topic) = match lesson_of(m) {
            Some(l) => (
                Cell::Date(l.date()),
                lookup.classes.get(&l.class()).cloned().unwrap_or_else(|| l.class().to_string()),
                l.topic().to_string(),
            ),
            None => (Cell::Empty, String::new(), m.lesson().to_string()),
        };
        let criterion = match m.criterion() {
            None => WHOLE_LESSON.to_owned(),
            Some(c) => lesson_of(m)
                .and_then(|l| l.criterion(c))
                .map_or_else(|| c.to_string(), |c| c.text().to_string()),
        };
        let map = m.map();
        let label = |id| map.concept(id).map(|c| c.label.to_string()).unwrap_or_default();
        let head = || {
            vec![
                date.clone(),
                Cell::text(class.clone()),
                Cell::text(topic.clone()),
                Cell::text(criterion.clone()),
                Cell::text(author.clone()),
            ]
        };
        for p in map.propositions() {
            let example = map.concept(p.to).is_some_and(|c| c.kind == ConceptKind::Example);
            let mut row = head();
            row.extend([
                Cell::Text(label(p.from)),
                Cell::Text(p.linking.to_string()),
                Cell::Text(label(p.to)),
                if example { Cell::text("пример") } else { Cell::Empty },
            ]);
            rows.push(row);
        }
        for c in map.concepts() {
            if !map.propositions().iter().any(|p| p.from == c.id || p.to == c.id) {
                let mut row = head();
                row.extend([
                    Cell::Text(c.label.to_string()),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
                rows.push(row);
            }
        }
    }
    rows
}

/// The header row of [`diagnostic_csv`].
pub const DIAGNOSTIC_HEADER: [&str; 6] =
    ["Дата", "Класс", "Ученик", "Анкета", "Баллы", "Уровень мотивации"];

/// The questionnaire runs as CSV: one row per sheet (see [`diagnostic_rows`]).
pub fn diagnostic_csv(runs: &[DiagnosticRun], lookup: &EvidenceLookup, names: NameMode) -> String {
    write_csv(diagnostic_rows(runs, lookup, names))
}

/// The rows [`diagnostic_csv`] writes, header first: runs by date (then id), each sheet in the
/// run's order — the run's date, the class, the student as `names` asks («анонимно» for a
/// survey's sheet), the form («Анкета Лускановой» or the survey's title), and for the
/// Лусканова form core's total and the band's Russian wording (a survey has neither, so those
/// cells are empty). A class or student missing from the tables is written as its id.
pub fn diagnostic_rows(
    runs: &[DiagnosticRun],
    lookup: &EvidenceLookup,
    names: NameMode,
) -> Vec<Vec<Cell>> {
    let mut runs: Vec<&DiagnosticRun> = runs.iter().collect();
    runs.sort_by_key(|r| (r.date(), r.id()));
    let mut rows = vec![DIAGNOSTIC_HEADER.map(Cell::text).to_vec()];
    for run in runs {
        let class =
            lookup.classes.get(&run.class()).cloned().unwrap_or_else(|| run.class().to_string());
        let head = |who: String, form: String| {
            vec![
                Cell::Date(run.date()),
                Cell::Text(class.clone()),
                Cell::Text(who),
                Cell::Text(form),
            ]
        };
        match run.form() {
            RunForm::Luskanova { .. } => {
                for score in run.student_scores() {
                    let mut row = head(
                        lookup.student_name(score.respondent, names),
                        "Анкета Лускановой".into(),
                    );
                    row.push(Cell::Number(f64::from(score.total)));
                    row.push(Cell::text(score.level.label_ru()));
                    rows.push(row);
                }
            }
            RunForm::Likert { survey, sheets } => {
                for _ in sheets {
                    let mut row = head("анонимно".into(), survey.title().to_string());
                    row.extend([Cell::Empty, Cell::Empty]);
                    rows.push(row);
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceDraft;
    use crate::ids::EvidenceId;
    use crate::technique::TechniqueKind;
    use crate::text::Name;
    use chrono::DateTime;

    fn check(rows: Vec<Vec<Cell>>, expected: &str) {
        assert_eq!(write_csv(rows), format!("{BOM}{expected}"));
    }

    #[test]
    fn diagnostics_are_one_row_per_sheet() {
        use crate::diagnostics::likert::{Audience, LikertSheet};
        use crate::diagnostics::run::{AnonymousSheet, satisfaction_survey};
        use crate::diagnostics::{AnswerSheet, DiagnosticRunDraft};
        use crate::ids::{DiagnosticRunId, ResponseSheetId};
        let mut class = Class::new(ClassId::from_u128(1), Name::parse("2А").unwrap());
        let (a, b) = (StudentId::from_u128(11), StudentId::from_u128(12));
        class.add_student(a, Name::parse("Иванов Пётр").unwrap()).unwrap();
        class.add_student(b, Name::parse("Сидорова Анна").unwrap()).unwrap();
        let lookup = EvidenceLookup::from_classes(std::slice::from_ref(&class));
        let sheet = |who, answers: [usize; 10]| AnswerSheet {
            respondent: who,
            answers: answers.iter().map(|x| Some(*x)).collect(),
        };
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        let may = DiagnosticRun::new(DiagnosticRunDraft {
            id: DiagnosticRunId::from_u128(2),
            class: class.id,
            date: day(5, 14),
            form: RunForm::Luskanova {
                sheets: vec![sheet(b, [1, 2, 2, 0, 1, 1, 0, 2, 1, 0]), sheet(a, [0; 10])],
            },
        })
        .unwrap();
        let survey = DiagnosticRun::survey(
            DiagnosticRunId::from_u128(1),
            class.id,
            day(3, 1),
            satisfaction_survey(Audience::Parents),
        )
        .with_anonymous(AnonymousSheet {
            id: ResponseSheetId::from_u128(5),
            sheet: LikertSheet { answers: vec![Some(2), None, Some(1)] },
        })
        .unwrap();
        let runs = [may.clone(), survey];
        check(
            diagnostic_rows(&runs, &lookup, NameMode::RealNames),
            "Дата;Класс;Ученик;Анкета;Баллы;Уровень мотивации\r\n\
             01.03.2025;2А;анонимно;Удовлетворённость родителей;;\r\n\
             14.05.2025;2А;Сидорова Анна;Анкета Лускановой;30;высокая школьная мотивация, учебная активность\r\n\
             14.05.2025;2А;Иванов Пётр;Анкета Лускановой;14;низкая школьная мотивация\r\n",
        );
        // The totals are core's scoring; pseudonyms replace the names.
        let scores = may.student_scores();
        assert_eq!((scores[0].total, scores[1].total), (30, 14));
        let text = diagnostic_csv(&runs, &lookup, NameMode::Pseudonyms);
        assert!(text.starts_with(BOM) && !text.contains("Иванов"));
        assert!(text.contains(class.students()[0].pseudonym.as_str()));
    }

    #[test]
    fn cells_are_written_as_excel_expects() {
        check(vec![vec![Cell::text("a"), Cell::text("b")]], "a;b\r\n");
        check(vec![vec![Cell::text("a;b"), Cell::text("x\"y")]], "\"a;b\";\"x\"\"y\"\r\n");
        check(
            vec![vec![Cell::text("две\nстроки"), Cell::text("cr\r")]],
            "\"две\nстроки\";\"cr\r\"\r\n",
        );
        check(
            vec![vec![Cell::Number(4.44), Cell::Number(5.0), Cell::Number(-0.5)]],
            "4,44;5;-0,5\r\n",
        );
        check(
            vec![vec![Cell::Fixed(40.0 / 9.0, 2), Cell::Fixed(4.5, 2), Cell::Fixed(-0.001, 2)]],
            "4,44;4,50;0,00\r\n",
        );
        check(vec![vec![Cell::Number(f64::NAN), Cell::Empty, Cell::text("")]], ";;\r\n");
        check(
            vec![vec![Cell::Date(NaiveDate::from_ymd_opt(2024, 9, 2).unwrap())]],
            "02.09.2024\r\n",
        );
        check(vec![vec![Cell::text("=1+1"), Cell::text("-")]], "'=1+1;'-\r\n");
        check(vec![vec![Cell::text("=a;b")]], "\"'=a;b\"\r\n");
        check(vec![], "");
    }

    #[test]
    fn plural_fingers() {
        let words: Vec<String> = (0..=5).map(fingers_ru).collect();
        assert_eq!(
            words,
            ["0 пальцев", "1 палец", "2 пальца", "3 пальца", "4 пальца", "5 пальцев"]
        );
    }

    fn record(
        id: u128,
        student: Option<u128>,
        technique: TechniqueKind,
        value: Response,
        day: u32,
    ) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(id),
            lesson: LessonId::from_u128(1),
            lesson_date: NaiveDate::from_ymd_opt(2024, 9, day).unwrap(),
            class: ClassId::from_u128(5),
            student: student.map(StudentId::from_u128),
            criterion: CriterionId::from_u128(7),
            technique,
            value,
            source: if student.is_some() { Source::SelfAssessment } else { Source::Peer },
            author: None,
            recorded_at: DateTime::from_timestamp(1_725_265_800 + id as i64, 0).unwrap(),
        })
        .unwrap()
    }

    #[test]
    fn evidence_rows() {
        let mut class = Class::new(ClassId::from_u128(5), Name::parse("5А").unwrap());
        class.add_student(StudentId::from_u128(10), Name::parse("Иванова Мария").unwrap()).unwrap();
        let lookup = EvidenceLookup::from_classes(&[class])
            .with_criterion(CriterionId::from_u128(7), "Сравниваю дроби; объясняю");
        let records = [
            record(
                2,
                None,
                TechniqueKind::UnfinishedSentence,
                Response::Text("Сегодня я \"понял\"".into()),
                3,
            ),
            record(1, Some(10), TechniqueKind::TrafficLight, Response::Light(Light::Yellow), 2),
            record(
                3,
                Some(10),
                TechniqueKind::ExitTicket,
                Response::ExitTicket(vec![ExitAnswer::Check(true), ExitAnswer::Confidence(3)]),
                3,
            ),
        ];
        let expected = concat!(
            "\u{feff}Дата;Класс;Ученик;Критерий;Приём;Ответ;Источник\r\n",
            "02.09.2024;5А;Иванова Мария;\"Сравниваю дроби; объясняю\";Светофор;жёлтый;самооценка\r\n",
            "03.09.2024;5А;аноним;\"Сравниваю дроби; объясняю\";Незаконченное предложение;\"Сегодня я \"\"понял\"\"\";взаимооценка\r\n",
            "03.09.2024;5А;Иванова Мария;\"Сравниваю дроби; объясняю\";Билет на выход;\"1) верно; 2) уверенность 3 из 4\";самооценка\r\n",
        );
        assert_eq!(evidence_csv(&records, &lookup, NameMode::RealNames), expected);
        let pseudo = evidence_csv(&records, &lookup, NameMode::Pseudonyms);
        assert!(pseudo.contains(";🦊 1;"));
        assert!(!pseudo.contains("Иванова"));
        let lesson = Lesson::with_texts(
            LessonId::from_u128(1),
            ClassId::from_u128(5),
            NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
            "Дроби",
            &[(CriterionId::from_u128(7), "Сравниваю дроби с одинаковыми знаменателями")],
        )
        .unwrap();
        let worded = evidence_csv(
            &records[1..2],
            &lookup.clone().with_lessons(&[lesson]),
            NameMode::RealNames,
        );
        assert!(worded.contains(";Сравниваю дроби с одинаковыми знаменателями;"));
        let bare = evidence_csv(&records[1..2], &EvidenceLookup::default(), NameMode::RealNames);
        assert!(bare.contains(&StudentId::from_u128(10).to_string()));
        // A peer review names its reviewer in the source column, as names are shown.
        let mut two = Class::new(ClassId::from_u128(5), Name::parse("5А").unwrap());
        two.add_student(StudentId::from_u128(10), Name::parse("Иванова Мария").unwrap()).unwrap();
        two.add_student(StudentId::from_u128(11), Name::parse("Петров Борис").unwrap()).unwrap();
        let review = Response::TwoStarsAndAWish {
            stars: ["ясно".into(), "чисто".into()],
            wish: "пример".into(),
        };
        let mut draft =
            record(4, Some(10), TechniqueKind::TwoStarsAndAWish, review, 4).as_draft().clone();
        draft.source = Source::Peer;
        draft.author = Some(StudentId::from_u128(11));
        let reviewed = [EvidenceRecord::new(draft).unwrap()];
        let lookup = EvidenceLookup::from_classes(&[two]);
        let named = evidence_csv(&reviewed, &lookup, NameMode::RealNames);
        assert!(named.ends_with(";взаимооценка: Петров Борис\r\n"), "{named}");
        let hidden = evidence_csv(&reviewed, &lookup, NameMode::Pseudonyms);
        assert!(!hidden.contains("Петров") && hidden.contains(";взаимооценка: "), "{hidden}");
    }

    #[test]
    fn gradebook() {
        let table = GradebookTable {
            columns: vec![
                GradebookColumn {
                    date: NaiveDate::from_ymd_opt(2024, 9, 2),
                    title: "работа на уроке".into(),
                },
                GradebookColumn {
                    date: NaiveDate::from_ymd_opt(2024, 9, 3), title: "д/з".into()
                },
                GradebookColumn { date: None, title: "к/р".into() },
            ],
            rows: vec![
                GradebookRow {
                    student: "Иванова Мария".into(),
                    cells: vec![Cell::Number(5.0), Cell::Number(5.0), Cell::Number(4.0)],
                    average: Some(40.0 / 9.0),
                },
                GradebookRow {
                    student: "Петров Пётр".into(),
                    cells: vec![Cell::text("н")],
                    average: None,
                },
            ],
        };
        let expected = concat!(
            "\u{feff}Ученик;02.09.2024 работа на уроке;03.09.2024 д/з;к/р;Средний балл\r\n",
            "Иванова Мария;5;5;4;4,44\r\n",
            "Петров Пётр;н;;;\r\n",
        );
        assert_eq!(gradebook_csv(&table), expected);
    }

    #[test]
    fn concept_maps_as_rows_of_propositions() {
        use crate::conceptmap::stored::fixtures::{student, teacher};
        use crate::conceptmap::stored::{LessonMapDraft, MapAuthor};
        use crate::conceptmap::{ConceptDraft, ConceptKind};
        let mut class = Class::new(ClassId::from_u128(1), Name::parse("5А").unwrap());
        class.add_student(StudentId::from_u128(10), Name::parse("Иванова Мария").unwrap()).unwrap();
        let lesson = Lesson::with_texts(
            LessonId::from_u128(100),
            ClassId::from_u128(1),
            NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
            "Фотосинтез",
            &[(CriterionId::from_u128(7), "Объясняю фотосинтез")],
        )
        .unwrap();
        // The student's map has a lone example concept too.
        let mut d: LessonMapDraft = student(2).draft();
        d.map.concepts.push(ConceptDraft {
            id: crate::ids::ConceptId::from_u128(13),
            label: "=роза".into(),
            kind: ConceptKind::Example,
        });
        let with_lone = LessonMap::new(d).unwrap();
        assert_eq!(with_lone.author(), MapAuthor::Student(StudentId::from_u128(10)));
        let lookup = EvidenceLookup::from_classes(&[class]);
        let csv = concept_map_csv(
            &[with_lone.clone(), teacher(1)],
            std::slice::from_ref(&lesson),
            &lookup,
            NameMode::RealNames,
        );
        let expected = concat!(
            "\u{feff}Дата;Класс;Тема урока;Критерий;Автор карты;Понятие;Связь;Понятие;Тип\r\n",
            "02.09.2024;5А;Фотосинтез;весь урок;учитель;Растения;выделяют;Кислород;\r\n",
            "02.09.2024;5А;Фотосинтез;весь урок;учитель;Растения;поглощают;Углекислый газ;\r\n",
            "02.09.2024;5А;Фотосинтез;весь урок;Иванова Мария;растение;выделяют;кислород;\r\n",
            "02.09.2024;5А;Фотосинтез;весь урок;Иванова Мария;растение;дышат;кислород;\r\n",
            "02.09.2024;5А;Фотосинтез;весь урок;Иванова Мария;'=роза;;;\r\n",
        );
        assert_eq!(csv, expected);
        // Maps of a criterion come after the whole lesson's, worded as the lesson words the
        // criterion; one the lesson does not have is written as its id, last.
        let of = |m: &LessonMap, id: u128, criterion: u128| {
            let mut d = m.draft();
            d.id = crate::ids::ConceptMapId::from_u128(id);
            d.criterion = Some(CriterionId::from_u128(criterion));
            LessonMap::new(d).unwrap()
        };
        let maps = [of(&with_lone, 5, 9), of(&teacher(1), 3, 7), teacher(1)];
        let rows =
            concept_map_rows(&maps, std::slice::from_ref(&lesson), &lookup, NameMode::RealNames);
        let criteria: Vec<String> = rows[1..]
            .iter()
            .map(|r| match &r[3] {
                Cell::Text(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        let nine = CriterionId::from_u128(9).to_string();
        assert_eq!(
            criteria,
            [["весь урок"; 2].as_slice(), &["Объясняю фотосинтез"; 2], &[nine.as_str(); 3]]
                .concat()
        );
        let pseudo =
            concept_map_csv(std::slice::from_ref(&with_lone), &[], &lookup, NameMode::Pseudonyms);
        assert!(!pseudo.contains("Иванова"));
        // An unknown lesson is named by its id, nothing dropped.
        assert!(pseudo.contains(&LessonId::from_u128(100).to_string()));
        assert_eq!(concept_map_rows(&[with_lone], &[], &lookup, NameMode::Pseudonyms).len(), 4);
    }

    #[test]
    fn practices_are_written_for_russian_excel() {
        use crate::ids::{EvidenceId, LessonId, MemberId, PracticeId};
        use crate::plan::{Member, MemberRole, Practice};
        let date = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        let member =
            Member::new(MemberId::from_u128(1), "Иванова И.И.", None, MemberRole::Leader).unwrap();
        let practice = Practice::from_form(
            PracticeId::from_u128(1),
            "Светофор; в конце урока",
            Some(crate::technique::TechniqueKind::TrafficLight),
            "Математика",
            Some(3),
            "=ученики показывают карточки",
            "https://example.org/a",
            date,
        )
        .unwrap()
        .by(Some(member.id))
        .used_in(
            Some(LessonId::from_u128(9)),
            vec![EvidenceId::from_u128(1), EvidenceId::from_u128(2)],
        );
        let csv = practice_csv(&[practice], &[member], &[]);
        assert!(csv.starts_with(BOM));
        let lines: Vec<&str> = csv[BOM.len()..].split("\r\n").collect();
        assert_eq!(lines[0], PRACTICE_HEADER.join(";"));
        assert_eq!(
            lines[1],
            format!(
                "01.10.2025;\"Светофор; в конце урока\";Светофор;Математика;3;Иванова И.И.;'=ученики показывают карточки;{};2;https://example.org/a",
                LessonId::from_u128(9)
            )
        );
    }
}
