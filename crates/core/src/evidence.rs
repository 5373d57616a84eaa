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
    /// Who wrote it, when not the student it is about: a peer's review names its reviewer
    /// (source `Peer`); none for everything else. Records stored before it was kept have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<StudentId>,
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
    /// Who wrote it, when not the student it is about (a peer review's reviewer).
    pub fn author(&self) -> Option<StudentId> {
        self.0.author
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

/// What [`Journal::admit`] took in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Admitted {
    /// The records to write to storage, in the order given.
    pub to_write: Vec<EvidenceRecord>,
    /// Records that clashed with one already held under their id.
    pub conflicts: Vec<Conflict>,
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
///
/// The journal keeps two small summaries up to date as records come in (technique counts per
/// month, светофор counts per class × criterion × lesson), so the reports the community and the
/// projector ask for most are answered without scanning every record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<EvidenceRecord>", into = "Vec<EvidenceRecord>")]
pub struct Journal {
    records: BTreeMap<EvidenceId, EvidenceRecord>,
    summaries: Summaries,
}

const KINDS: usize = TechniqueKind::ALL.len();

/// Aggregates that are a pure function of the set of records, kept up to date on every change.
/// Entries whose counts fall to zero are removed, so equal record sets give equal summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Summaries {
    /// Records per month of lesson date, one slot per technique code.
    monthly: BTreeMap<YearMonth, [u32; KINDS]>,
    /// Светофор answers (green, yellow, red) per class, criterion, lesson and lesson date.
    lights: BTreeMap<(ClassId, CriterionId, LessonId, NaiveDate), [u32; 3]>,
}

impl Summaries {
    fn add(&mut self, r: &EvidenceRecord) {
        let month = self.monthly.entry(YearMonth::of(r.lesson_date())).or_default();
        month[usize::from(r.technique().code())] += 1;
        if let Response::Light(light) = r.value() {
            let key = (r.class(), r.criterion(), r.lesson(), r.lesson_date());
            self.lights.entry(key).or_default()[light_slot(*light)] += 1;
        }
    }

    fn remove(&mut self, r: &EvidenceRecord) {
        let month = YearMonth::of(r.lesson_date());
        if let Some(counts) = self.monthly.get_mut(&month) {
            let slot = &mut counts[usize::from(r.technique().code())];
            *slot = slot.saturating_sub(1);
            if counts.iter().all(|n| *n == 0) {
                self.monthly.remove(&month);
            }
        }
        if let Response::Light(light) = r.value() {
            let key = (r.class(), r.criterion(), r.lesson(), r.lesson_date());
            if let Some(counts) = self.lights.get_mut(&key) {
                let slot = &mut counts[light_slot(*light)];
                *slot = slot.saturating_sub(1);
                if counts.iter().all(|n| *n == 0) {
                    self.lights.remove(&key);
                }
            }
        }
    }
}

fn light_slot(light: Light) -> usize {
    match light {
        Light::Green => 0,
        Light::Yellow => 1,
        Light::Red => 2,
    }
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
                self.summaries.add(&record);
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
                    self.summaries.remove(&dropped);
                    self.summaries.add(&record);
                    Err(Conflict { id, kept: Box::new(record), dropped: Box::new(dropped) })
                }
            }
        }
    }

    /// Appends new records as a shell does before writing them: returns the records to write
    /// (new here, or kept by the journal over a clash) and the clashes, as values. A record the
    /// journal refuses (a duplicate already held, or the loser of a clash) is never among those
    /// to write, so storage never holds what memory does not.
    pub fn admit(&mut self, records: impl IntoIterator<Item = EvidenceRecord>) -> Admitted {
        let mut admitted = Admitted::default();
        for record in records {
            match self.append(record.clone()) {
                Ok(Appended::New) => admitted.to_write.push(record),
                Ok(Appended::Duplicate) => {}
                Err(conflict) => {
                    if *conflict.kept == record {
                        admitted.to_write.push(record);
                    }
                    admitted.conflicts.push(conflict);
                }
            }
        }
        admitted
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

    /// Records of a lesson.
    pub fn for_lesson(&self, lesson: LessonId) -> impl Iterator<Item = &EvidenceRecord> + '_ {
        self.iter().filter(move |r| r.lesson() == lesson)
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
    /// date (then lesson id): the teacher watches the reds fall. Read from a summary kept up to
    /// date on append, so it costs O(lessons × criteria of the class), not O(records).
    pub fn traffic_light_trend(
        &self,
        class: ClassId,
        criterion: Option<CriterionId>,
    ) -> Vec<TrendPoint> {
        let lowest = (CriterionId::from_u128(0), LessonId::from_u128(0), NaiveDate::MIN);
        let highest =
            (CriterionId::from_u128(u128::MAX), LessonId::from_u128(u128::MAX), NaiveDate::MAX);
        let (lo, hi) = match criterion {
            Some(c) => ((c, lowest.1, lowest.2), (c, highest.1, highest.2)),
            None => (lowest, highest),
        };
        let range = (class, lo.0, lo.1, lo.2)..=(class, hi.0, hi.1, hi.2);
        let mut by_lesson: HashMap<LessonId, TrendPoint> = HashMap::new();
        for (&(_, _, lesson, date), &[green, yellow, red]) in self.summaries.lights.range(range) {
            let point = by_lesson.entry(lesson).or_insert(TrendPoint {
                lesson,
                date,
                green: 0,
                yellow: 0,
                red: 0,
            });
            // A lesson recorded under two dates (inconsistent devices) shows at the earlier.
            point.date = point.date.min(date);
            point.green += green;
            point.yellow += yellow;
            point.red += red;
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

    /// How many records each technique produced, per month of lesson date (read from a summary
    /// kept up to date on append: no scan of the records).
    pub fn monthly_technique_counts(&self) -> BTreeMap<YearMonth, BTreeMap<TechniqueKind, u32>> {
        self.summaries
            .monthly
            .iter()
            .map(|(month, counts)| {
                let kinds = TechniqueKind::ALL
                    .into_iter()
                    .filter_map(|k| {
                        let n = counts[usize::from(k.code())];
                        (n > 0).then_some((k, n))
                    })
                    .collect();
                (*month, kinds)
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::technique::Light;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// A record for tests: small numbers become ids, `day` is a day of September 2024 (or of
    /// the following months past 30).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        id: u128,
        lesson: u128,
        day: u32,
        class: u128,
        student: Option<u128>,
        criterion: u128,
        value: Response,
        source: Source,
    ) -> EvidenceRecord {
        let technique = match &value {
            Response::Light(_) => TechniqueKind::TrafficLight,
            Response::Step(_) => TechniqueKind::Ladder,
            Response::Fingers(_) => TechniqueKind::FistToFive,
            Response::Thumb(_) => TechniqueKind::Thumbs,
            Response::Text(_) => TechniqueKind::UnfinishedSentence,
            Response::ExitTicket(_) => TechniqueKind::ExitTicket,
            Response::Lines(_) => TechniqueKind::Cinquain,
            Response::TwoStarsAndAWish { .. } => TechniqueKind::TwoStarsAndAWish,
            Response::ThreeTwoOne { .. } => TechniqueKind::ThreeTwoOne,
        };
        let lesson_date = NaiveDate::from_ymd_opt(2024, 9, 1).unwrap()
            + chrono::Days::new(u64::from(day.saturating_sub(1)));
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(id),
            lesson: LessonId::from_u128(lesson),
            lesson_date,
            class: ClassId::from_u128(class),
            student: student.map(StudentId::from_u128),
            criterion: CriterionId::from_u128(criterion),
            technique,
            value,
            source,
            author: None,
            recorded_at: Utc.with_ymd_and_hms(2024, 9, 1, 8, 0, 0).unwrap()
                + chrono::Duration::minutes(i64::try_from(id % 100_000).unwrap_or(0)),
        })
        .unwrap()
    }

    fn light(id: u128, lesson: u128, day: u32, criterion: u128, l: Light) -> EvidenceRecord {
        record(
            id,
            lesson,
            day,
            1,
            Some(id % 7),
            criterion,
            Response::Light(l),
            Source::SelfAssessment,
        )
    }

    pub(crate) fn arb_record() -> impl Strategy<Value = EvidenceRecord> {
        let value = prop_oneof![
            prop::sample::select(Light::ALL.to_vec()).prop_map(Response::Light),
            (1u8..=5).prop_map(Response::Step),
            (0u8..=5).prop_map(Response::Fingers),
            "[а-я]{1,3}( [а-я]{1,3})?".prop_map(Response::Text),
        ];
        (
            0u128..24,
            0u128..4,
            1u32..70,
            0u128..2,
            proptest::option::of(0u128..4),
            0u128..3,
            value,
            prop::sample::select(Source::ALL.to_vec()),
        )
            .prop_map(|(id, lesson, day, class, student, criterion, value, source)| {
                record(id, lesson, day, class, student, criterion, value, source)
            })
    }

    fn journal(records: Vec<EvidenceRecord>) -> Journal {
        Journal::from_records(records).0
    }

    #[test]
    fn a_record_losing_its_clash_is_not_written() {
        let light = |l| Response::Light(l);
        let held = record(1, 0, 1, 0, Some(1), 0, light(Light::Green), Source::SelfAssessment);
        let other = record(1, 0, 1, 0, Some(1), 0, light(Light::Red), Source::SelfAssessment);
        let (winner, loser) = if resolve(&held, &other) { (held, other) } else { (other, held) };
        let mut journal = journal(vec![winner.clone()]);
        let admitted = journal.admit([loser.clone(), winner.clone()]);
        assert!(admitted.to_write.is_empty(), "neither the loser nor a duplicate is written");
        assert_eq!(admitted.conflicts.len(), 1);
        assert_eq!(*admitted.conflicts[0].dropped, loser);
        let mut journal = Journal::from_records([loser.clone()]).0;
        let admitted = journal.admit([winner.clone()]);
        assert_eq!(admitted.to_write, vec![winner], "the winner is written, so a reload agrees");
    }

    #[test]
    fn months() {
        fn check(text: &str, expected: Result<(i32, u32), YearMonthError>) {
            let got = YearMonth::parse(text);
            assert_eq!(got.clone().map(|m| (m.year(), m.month())), expected, "{text}");
            if let Ok(m) = got {
                assert_eq!(m.to_string(), text);
                assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{text}\""));
            }
        }
        check("2024-09", Ok((2024, 9)));
        check("2025-12", Ok((2025, 12)));
        check("2024-13", Err(YearMonthError::Month(13)));
        check("2024-00", Err(YearMonthError::Month(0)));
        check("2024-9", Err(YearMonthError::Format("2024-9".into())));
        check("сентябрь", Err(YearMonthError::Format("сентябрь".into())));
        assert!(YearMonth::new(2024, 8).unwrap() < YearMonth::new(2024, 9).unwrap());
        assert!(YearMonth::new(2023, 12).unwrap() < YearMonth::new(2024, 1).unwrap());
        assert_eq!(
            YearMonth::of(NaiveDate::from_ymd_opt(2024, 9, 30).unwrap()).to_string(),
            "2024-09"
        );
        assert!(serde_json::from_str::<YearMonth>("\"2024-99\"").is_err());
    }

    #[test]
    fn append_is_idempotent_and_reports_conflicts() {
        let a = light(1, 1, 2, 1, Light::Red);
        let b = light(1, 1, 2, 1, Light::Green);
        let mut j = Journal::new();
        assert_eq!(j.append(a.clone()), Ok(Appended::New));
        assert_eq!(j.append(a.clone()), Ok(Appended::Duplicate));
        assert_eq!(j.len(), 1);
        let conflict = j.append(b.clone()).unwrap_err();
        assert_eq!(conflict.id, a.id());
        // The same record wins whichever came first.
        let mut k = Journal::new();
        k.append(b.clone()).unwrap();
        let other = k.append(a.clone()).unwrap_err();
        assert_eq!(j, k);
        assert_eq!(conflict.kept, other.kept);
        assert_eq!(j.get(a.id()), Some(conflict.kept.as_ref()));
        assert_ne!(conflict.kept, conflict.dropped);
    }

    #[test]
    fn stored_journal_refuses_conflicts() {
        let a = light(1, 1, 2, 1, Light::Red);
        let b = light(1, 1, 2, 1, Light::Green);
        let json = serde_json::to_string(&vec![a.clone(), b]).unwrap();
        let err = serde_json::from_str::<Journal>(&json).unwrap_err();
        assert!(err.to_string().contains("inconsistent"), "{err}");
        let json = serde_json::to_string(&vec![a.clone(), a]).unwrap();
        assert_eq!(serde_json::from_str::<Journal>(&json).unwrap().len(), 1);
    }

    #[test]
    fn red_trend_over_lessons() {
        use Light::*;
        // Lesson 3 is on day 2, lesson 1 on day 5, lesson 2 on day 9: order by date.
        let records = vec![
            light(1, 1, 5, 1, Red),
            light(2, 1, 5, 1, Red),
            light(3, 1, 5, 2, Green),
            light(4, 2, 9, 1, Yellow),
            light(5, 2, 9, 1, Red),
            light(6, 3, 2, 1, Red),
            light(7, 3, 2, 1, Red),
            light(8, 3, 2, 1, Red),
            record(9, 3, 2, 2, Some(1), 1, Response::Light(Red), Source::SelfAssessment),
            record(10, 3, 2, 1, Some(1), 1, Response::Step(2), Source::SelfAssessment),
        ];
        let j = journal(records);
        let reds = |c: Option<u128>| -> Vec<(u128, u32, u32, u32)> {
            j.traffic_light_trend(ClassId::from_u128(1), c.map(CriterionId::from_u128))
                .iter()
                .map(|p| (p.lesson.as_uuid().as_u128(), p.green, p.yellow, p.red))
                .collect()
        };
        assert_eq!(reds(Some(1)), vec![(3, 0, 0, 3), (1, 0, 0, 2), (2, 0, 1, 1)]);
        assert_eq!(reds(None), vec![(3, 0, 0, 3), (1, 1, 0, 2), (2, 0, 1, 1)]);
        assert_eq!(reds(Some(9)), vec![]);
    }

    #[test]
    fn ladder_history_and_queries() {
        let s = |n: u8| Response::Step(n);
        let records = vec![
            record(1, 2, 10, 1, Some(5), 1, s(2), Source::SelfAssessment),
            record(2, 1, 3, 1, Some(5), 1, s(1), Source::SelfAssessment),
            record(3, 3, 20, 1, Some(5), 2, s(3), Source::Teacher),
            record(4, 3, 20, 1, Some(6), 1, s(4), Source::SelfAssessment),
            record(5, 3, 40, 1, Some(5), 1, Response::Fingers(3), Source::SelfAssessment),
        ];
        let j = journal(records);
        let steps = |c: Option<u128>| -> Vec<u8> {
            j.ladder_history(StudentId::from_u128(5), c.map(CriterionId::from_u128))
                .iter()
                .map(|p| p.step)
                .collect()
        };
        assert_eq!(steps(None), vec![1, 2, 3]);
        assert_eq!(steps(Some(1)), vec![1, 2]);
        assert_eq!(j.for_student(StudentId::from_u128(5)).count(), 4);
        assert_eq!(j.for_class(ClassId::from_u128(1)).count(), 5);
        assert_eq!(j.for_lesson(LessonId::from_u128(3)).count(), 3);
        assert_eq!(j.for_criterion(CriterionId::from_u128(2)).count(), 1);
        assert_eq!(j.for_technique(TechniqueKind::FistToFive).count(), 1);
        assert_eq!(j.in_month(YearMonth::new(2024, 10).unwrap()).count(), 1);
        assert_eq!(j.in_month(YearMonth::new(2024, 9).unwrap()).count(), 4);
        let ids: Vec<_> = j.iter().map(|r| r.id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn monthly_counts() {
        let records = vec![
            light(1, 1, 3, 1, Light::Red),
            light(2, 1, 3, 1, Light::Red),
            record(3, 1, 3, 1, None, 1, Response::Step(2), Source::SelfAssessment),
            light(4, 2, 35, 1, Light::Green),
        ];
        let counts = journal(records).monthly_technique_counts();
        let got: Vec<(String, Vec<(TechniqueKind, u32)>)> =
            counts.into_iter().map(|(m, k)| (m.to_string(), k.into_iter().collect())).collect();
        assert_eq!(
            got,
            vec![
                (
                    "2024-09".into(),
                    vec![(TechniqueKind::TrafficLight, 2), (TechniqueKind::Ladder, 1)]
                ),
                ("2024-10".into(), vec![(TechniqueKind::TrafficLight, 1)]),
            ]
        );
    }

    /// The светофор trend by scanning every record: the reference for the kept summary.
    fn naive_trend(j: &Journal, class: ClassId, criterion: Option<CriterionId>) -> Vec<TrendPoint> {
        let mut by_lesson: BTreeMap<LessonId, TrendPoint> = BTreeMap::new();
        for r in j.iter() {
            let Response::Light(light) = r.value() else { continue };
            if r.class() != class || criterion.is_some_and(|c| c != r.criterion()) {
                continue;
            }
            let p = by_lesson.entry(r.lesson()).or_insert(TrendPoint {
                lesson: r.lesson(),
                date: r.lesson_date(),
                green: 0,
                yellow: 0,
                red: 0,
            });
            p.date = p.date.min(r.lesson_date());
            match light {
                Light::Green => p.green += 1,
                Light::Yellow => p.yellow += 1,
                Light::Red => p.red += 1,
            }
        }
        let mut points: Vec<TrendPoint> = by_lesson.into_values().collect();
        points.sort_by_key(|p| (p.date, p.lesson));
        points
    }

    fn merged(a: &Journal, b: &Journal) -> Journal {
        let mut m = a.clone();
        m.merge(b);
        m
    }

    proptest! {
        /// What `admit` says to write is what a journal rebuilt from storage would hold: storing
        /// the records to write next to what was stored gives the same journal as memory.
        #[test]
        fn a_refused_record_is_never_written(
            stored in prop::collection::vec(arb_record(), 0..20),
            new in prop::collection::vec(arb_record(), 0..20),
        ) {
            let (mut memory, _) = Journal::from_records(stored.clone());
            let admitted = memory.admit(new.clone());
            // A record already stored as it is is never written again.
            for record in &admitted.to_write {
                prop_assert!(!stored.contains(record));
            }
            let (reread, _) = Journal::from_records(stored.iter().cloned().chain(admitted.to_write));
            prop_assert_eq!(reread, memory);
        }

        #[test]
        fn merge_is_idempotent_commutative_associative(
            a in proptest::collection::vec(arb_record(), 0..20),
            b in proptest::collection::vec(arb_record(), 0..20),
            c in proptest::collection::vec(arb_record(), 0..20),
        ) {
            let (a, b, c) = (journal(a), journal(b), journal(c));
            prop_assert_eq!(&merged(&a, &a), &a);
            prop_assert_eq!(merged(&a, &b), merged(&b, &a));
            prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
            // Every id of both sides is present, and every conflict is reported.
            let mut m = a.clone();
            let conflicts = m.merge(&b);
            for r in a.iter().chain(b.iter()) {
                prop_assert!(m.get(r.id()).is_some());
            }
            let differing = b.iter().filter(|r| a.get(r.id()).is_some_and(|x| x != *r)).count();
            prop_assert_eq!(conflicts.len(), differing);
        }

        #[test]
        fn summaries_match_a_full_scan(
            a in proptest::collection::vec(arb_record(), 0..30),
            b in proptest::collection::vec(arb_record(), 0..30),
        ) {
            // Merging with conflicts replaces records: the summaries must follow.
            let j = merged(&journal(a), &journal(b));
            let rebuilt = journal(j.iter().cloned().collect());
            prop_assert_eq!(&rebuilt.summaries, &j.summaries);
            for class in 0..2 {
                let class = ClassId::from_u128(class);
                for criterion in [None, Some(0), Some(1), Some(2)] {
                    let criterion = criterion.map(CriterionId::from_u128);
                    prop_assert_eq!(
                        j.traffic_light_trend(class, criterion),
                        naive_trend(&j, class, criterion)
                    );
                }
            }
        }

        #[test]
        fn from_records_ignores_order(mut records in proptest::collection::vec(arb_record(), 0..30)) {
            let (forward, c1) = Journal::from_records(records.clone());
            records.reverse();
            let (backward, c2) = Journal::from_records(records);
            prop_assert_eq!(forward, backward);
            prop_assert_eq!(c1.len(), c2.len());
        }

        #[test]
        fn serde_round_trips(records in proptest::collection::vec(arb_record(), 0..20)) {
            let j = journal(records);
            let json = serde_json::to_string(&j).unwrap();
            prop_assert_eq!(serde_json::from_str::<Journal>(&json).unwrap(), j.clone());
            for r in j.iter() {
                let json = serde_json::to_string(r).unwrap();
                prop_assert_eq!(&serde_json::from_str::<EvidenceRecord>(&json).unwrap(), r);
            }
        }

        #[test]
        fn monthly_counts_add_up(records in proptest::collection::vec(arb_record(), 0..40)) {
            let j = journal(records);
            let counts = j.monthly_technique_counts();
            let total: u32 = counts.values().flat_map(|k| k.values()).sum();
            prop_assert_eq!(total as usize, j.len());
            for (month, kinds) in &counts {
                for (kind, n) in kinds {
                    let direct = j.in_month(*month).filter(|r| r.technique() == *kind).count();
                    prop_assert_eq!(*n as usize, direct);
                }
            }
        }
    }
}
