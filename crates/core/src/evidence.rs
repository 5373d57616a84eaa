//! Evidence: immutable records of what a technique showed in a lesson.
//!
//! An [`EvidenceRecord`] is built once from an [`EvidenceDraft`] that passed validation, and never
//! changes afterwards (its fields are private; corrections are new records). The [`Journal`] holds
//! records by id, append-only, merges journals from several devices as a union, and answers the
//! queries the app and the community reports need (per student, class, criterion, technique and
//! month, the светофор trend, ladder histories, monthly technique counts).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use crate::technique::{Light, Response, ResponseError, TechniqueKind};

/// Who produced a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The student about themself.
    #[serde(rename = "self")]
    SelfAssessment,
    /// The teacher about the student.
    Teacher,
    /// Another student.
    Peer,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 3] = [Self::SelfAssessment, Self::Teacher, Self::Peer];
}

/// The fields of a record before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceDraft {
    /// Unique id, made by the caller.
    pub id: EvidenceId,
    /// The lesson it belongs to.
    pub lesson: LessonId,
    /// The date of that lesson (mastery and monthly counts are ordered by it).
    pub lesson_date: NaiveDate,
    /// The class.
    pub class: ClassId,
    /// The student, or none for an anonymous answer.
    pub student: Option<StudentId>,
    /// The criterion assessed.
    pub criterion: CriterionId,
    /// The technique that produced it.
    pub technique: TechniqueKind,
    /// The answer.
    pub value: Response,
    /// Who answered.
    pub source: Source,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// One immutable piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EvidenceDraft", into = "EvidenceDraft")]
pub struct EvidenceRecord(EvidenceDraft);

impl EvidenceRecord {
    /// Validates a draft: the value must fit the technique.
    pub fn new(draft: EvidenceDraft) -> Result<Self, ResponseError> {
        draft.value.fits(draft.technique)?;
        Ok(Self(draft))
    }

    /// Unique id.
    pub fn id(&self) -> EvidenceId {
        self.0.id
    }
    /// The lesson.
    pub fn lesson(&self) -> LessonId {
        self.0.lesson
    }
    /// The lesson's date.
    pub fn lesson_date(&self) -> NaiveDate {
        self.0.lesson_date
    }
    /// The class.
    pub fn class(&self) -> ClassId {
        self.0.class
    }
    /// The student, if named.
    pub fn student(&self) -> Option<StudentId> {
        self.0.student
    }
    /// The criterion.
    pub fn criterion(&self) -> CriterionId {
        self.0.criterion
    }
    /// The technique.
    pub fn technique(&self) -> TechniqueKind {
        self.0.technique
    }
    /// The answer.
    pub fn value(&self) -> &Response {
        &self.0.value
    }
    /// Who answered.
    pub fn source(&self) -> Source {
        self.0.source
    }
    /// When it was recorded.
    pub fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    /// All fields, for encoders.
    pub fn as_draft(&self) -> &EvidenceDraft {
        &self.0
    }
}

impl TryFrom<EvidenceDraft> for EvidenceRecord {
    type Error = ResponseError;
    fn try_from(draft: EvidenceDraft) -> Result<Self, Self::Error> {
        Self::new(draft)
    }
}

impl From<EvidenceRecord> for EvidenceDraft {
    fn from(record: EvidenceRecord) -> Self {
        record.0
    }
}

// ---------------------------------------------------------------------------------------------
// Months
// ---------------------------------------------------------------------------------------------

/// Why a month was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearMonthError {
    /// Month outside 1..=12.
    #[error("month {0} is not between 1 and 12")]
    Month(u32),
    /// Year outside 1..=9999.
    #[error("year {0} is not between 1 and 9999")]
    Year(i32),
    /// Not of the form `YYYY-MM`.
    #[error("«{0}» is not a month of the form YYYY-MM")]
    Format(String),
}

/// A calendar month, ordered by time, written `2024-09`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// A month: year 1..=9999, month 1..=12.
    pub fn new(year: i32, month: u32) -> Result<Self, YearMonthError> {
        if !(1..=9999).contains(&year) {
            return Err(YearMonthError::Year(year));
        }
        match u8::try_from(month) {
            Ok(m @ 1..=12) => Ok(Self { year, month: m }),
            _ => Err(YearMonthError::Month(month)),
        }
    }

    /// The month a date falls in (dates outside years 1..=9999 are clamped to them).
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        // chrono months are always 1..=12.
        Self { year: date.year().clamp(1, 9999), month: date.month() as u8 }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Self, YearMonthError> {
        let bad = || YearMonthError::Format(text.to_owned());
        let (y, m) = text.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        Self::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for YearMonth {
    type Err = YearMonthError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = YearMonthError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> Self {
        m.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Journal
// ---------------------------------------------------------------------------------------------

/// Two different records under one id. The journal keeps the one with the smaller canonical
/// encoding (its JSON text), so that any order of appends and merges ends in the same journal;
/// the other is reported here, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "two different evidence records share the id {id}; the journal keeps one and reports the other"
)]
pub struct Conflict {
    /// The shared id.
    pub id: EvidenceId,
    /// The record the journal holds.
    pub kept: Box<EvidenceRecord>,
    /// The record that was not kept.
    pub dropped: Box<EvidenceRecord>,
}

/// What [`Journal::append`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// The record was new.
    New,
    /// An identical record was already there; nothing changed.
    Duplicate,
}

/// Why a stored journal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The stored list holds two different records under one id.
    #[error("the stored journal is inconsistent: {0}")]
    Conflict(Conflict),
}

/// The append-only journal of evidence, keyed by record id.
///
/// Records are immutable. Appending an identical record is a no-op; a different record under an
/// existing id is a [`Conflict`]. [`merge`](Journal::merge) is a union by id: idempotent,
/// commutative and associative (conflicts resolve deterministically, see [`Conflict`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<EvidenceRecord>", into = "Vec<EvidenceRecord>")]
pub struct Journal {
    records: BTreeMap<EvidenceId, EvidenceRecord>,
}

/// One lesson's светофор counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The lesson.
    pub lesson: LessonId,
    /// Its date.
    pub date: NaiveDate,
    /// Green answers.
    pub green: u32,
    /// Yellow answers.
    pub yellow: u32,
    /// Red answers.
    pub red: u32,
}

/// One ladder step in a student's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderPoint {
    /// The record.
    pub id: EvidenceId,
    /// The lesson.
    pub lesson: LessonId,
    /// Its date.
    pub date: NaiveDate,
    /// The criterion.
    pub criterion: CriterionId,
    /// The step, 1-based.
    pub step: u8,
    /// Who placed it (the student, the teacher, a peer).
    pub source: Source,
}

fn canonical(record: &EvidenceRecord) -> Vec<u8> {
    // Serialising plain data cannot fail; an empty encoding would still order deterministically.
    serde_json::to_vec(record).unwrap_or_default()
}

/// Chooses the winner of two different records deterministically (smaller canonical encoding).
fn resolve(a: &EvidenceRecord, b: &EvidenceRecord) -> bool {
    canonical(a) <= canonical(b)
}

impl Journal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a journal from records, reporting every conflict met on the way.
    pub fn from_records(
        records: impl IntoIterator<Item = EvidenceRecord>,
    ) -> (Self, Vec<Conflict>) {
        let mut journal = Self::new();
        let conflicts = records.into_iter().filter_map(|r| journal.append(r).err()).collect();
        (journal, conflicts)
    }

    /// Appends a record. An identical record already there is a [`Appended::Duplicate`]; a
    /// different record under the same id is a [`Conflict`], after which the journal holds the
    /// record with the smaller canonical encoding (named in [`Conflict::kept`]).
    pub fn append(&mut self, record: EvidenceRecord) -> Result<Appended, Conflict> {
        use std::collections::btree_map::Entry;
        match self.records.entry(record.id()) {
            Entry::Vacant(slot) => {
                slot.insert(record);
                Ok(Appended::New)
            }
            Entry::Occupied(mut slot) => {
                if *slot.get() == record {
                    return Ok(Appended::Duplicate);
                }
                let id = record.id();
                if resolve(slot.get(), &record) {
                    Err(Conflict {
                        id,
                        kept: Box::new(slot.get().clone()),
                        dropped: Box::new(record),
                    })
                } else {
                    let dropped = slot.insert(record.clone());
                    Err(Conflict { id, kept: Box::new(record), dropped: Box::new(dropped) })
                }
            }
        }
    }

    /// Adds every record of `other` (a union by id) and returns the conflicts met.
    pub fn merge(&mut self, other: &Journal) -> Vec<Conflict> {
        other.records.values().filter_map(|r| self.append(r.clone()).err()).collect()
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The record with this id.
    pub fn get(&self, id: EvidenceId) -> Option<&EvidenceRecord> {
        self.records.get(&id)
    }

    /// Every record, by id.
    pub fn iter(&self) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.records.values()
    }

    /// Records about a student.
    pub fn for_student(&self, student: StudentId) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| r.student() == Some(student))
    }

    /// Records of a class.
    pub fn for_class(&self, class: ClassId) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| r.class() == class)
    }

    /// Records on a criterion.
    pub fn for_criterion(
        &self,
        criterion: CriterionId,
    ) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| r.criterion() == criterion)
    }

    /// Records made with a technique.
    pub fn for_technique(
        &self,
        technique: TechniqueKind,
    ) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| r.technique() == technique)
    }

    /// Records of lessons held in a month.
    pub fn in_month(&self, month: YearMonth) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| YearMonth::of(r.lesson_date()) == month)
    }

    /// Светофор counts per lesson of a class (optionally of one criterion), ordered by lesson
    /// date (then lesson id): the teacher watches the reds fall.
    pub fn traffic_light_trend(
        &self,
        class: ClassId,
        criterion: Option<CriterionId>,
    ) -> Vec<TrendPoint> {
        let mut by_lesson: HashMap<LessonId, TrendPoint> = HashMap::new();
        for r in self.records.values() {
            let Response::Light(light) = r.value() else { continue };
            if r.class() != class || criterion.is_some_and(|c| c != r.criterion()) {
                continue;
            }
            let point = by_lesson.entry(r.lesson()).or_insert(TrendPoint {
                lesson: r.lesson(),
                date: r.lesson_date(),
                green: 0,
                yellow: 0,
                red: 0,
            });
            match light {
                Light::Green => point.green += 1,
                Light::Yellow => point.yellow += 1,
                Light::Red => point.red += 1,
            }
        }
        let mut points: Vec<TrendPoint> = by_lesson.into_values().collect();
        points.sort_by_key(|p| (p.date, p.lesson));
        points
    }

    /// A student's ladder steps (optionally on one criterion), ordered by lesson date, then
    /// record time, then id.
    pub fn ladder_history(
        &self,
        student: StudentId,
        criterion: Option<CriterionId>,
    ) -> Vec<LadderPoint> {
        let mut points: Vec<(DateTime<Utc>, LadderPoint)> = self
            .for_student(student)
            .filter(|r| criterion.is_none_or(|c| c == r.criterion()))
            .filter_map(|r| match r.value() {
                Response::Step(step) => Some((
                    r.recorded_at(),
                    LadderPoint {
                        id: r.id(),
                        lesson: r.lesson(),
                        date: r.lesson_date(),
                        criterion: r.criterion(),
                        step: *step,
                        source: r.source(),
                    },
                )),
                _ => None,
            })
            .collect();
        points.sort_by_key(|(at, p)| (p.date, *at, p.id));
        points.into_iter().map(|(_, p)| p).collect()
    }

    /// How many records each technique produced, per month of lesson date.
    pub fn monthly_technique_counts(&self) -> BTreeMap<YearMonth, BTreeMap<TechniqueKind, u32>> {
        // Count into a flat table: one row per month, one slot per technique code.
        let mut table: HashMap<YearMonth, [u32; TechniqueKind::ALL.len()]> = HashMap::new();
        for r in self.records.values() {
            table.entry(YearMonth::of(r.lesson_date())).or_default()
                [usize::from(r.technique().code())] += 1;
        }
        table
            .into_iter()
            .map(|(month, counts)| {
                let kinds = TechniqueKind::ALL
                    .into_iter()
                    .filter_map(|k| {
                        let n = counts[usize::from(k.code())];
                        (n > 0).then_some((k, n))
                    })
                    .collect();
                (month, kinds)
            })
            .collect()
    }
}

impl TryFrom<Vec<EvidenceRecord>> for Journal {
    type Error = JournalError;
    fn try_from(records: Vec<EvidenceRecord>) -> Result<Self, Self::Error> {
        let (journal, mut conflicts) = Journal::from_records(records);
        match conflicts.pop() {
            Some(c) => Err(JournalError::Conflict(c)),
            None => Ok(journal),
        }
    }
}

impl From<Journal> for Vec<EvidenceRecord> {
    fn from(journal: Journal) -> Self {
        journal.records.into_values().collect()
    }
}

impl<'a> IntoIterator for &'a Journal {
    type Item = &'a EvidenceRecord;
    type IntoIter = std::collections::btree_map::Values<'a, EvidenceId, EvidenceRecord>;
    fn into_iter(self) -> Self::IntoIter {
        self.records.values()
    }
}
