//! A lesson's summary once its techniques are closed: per criterion and fixed-scale technique,
//! the distribution of the students' answers in scale order and who gave the scale's lowest
//! answer (red, step 1, a fist, thumb down) — for the teacher's own screen, never a projector.
//!
//! The distribution counts the students' self-assessment only. Each student counts once per
//! criterion and technique: with their latest answer in the
//! lesson (by the time it was recorded, then by id), so a technique run twice is not counted
//! twice. Anonymous answers count each. Records keep a ladder's answers, not its settings, so a
//! ladder's distribution runs from step 1 to the highest step answered (at least 3 steps).
//!
//! Where the teacher assessed students on the criterion with the same technique as their
//! self-assessment, the summary also says who over- or under-estimated (self − teacher, from
//! [`crate::calibration::calibrate`] over the lesson's records, so the lesson's summary and the
//! class's calibration view always agree).

use std::collections::BTreeMap;

use crate::calibration::calibrate;
use crate::evidence::{EvidenceRecord, Journal, Source};
use crate::ids::{CriterionId, StudentId};
use crate::lesson::Lesson;
use crate::technique::{Lang, MIN_LADDER_STEPS, Response, Technique, TechniqueKind, lowest_of};

/// One fixed-scale technique's answers on one criterion of the lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechniqueSummary {
    /// The technique.
    pub kind: TechniqueKind,
    /// Each option of the scale with how many answered it, in scale order.
    pub counts: Vec<(Response, u32)>,
    /// The scale's lowest answer.
    pub lowest: Response,
    /// The students whose answer was the lowest, in id order.
    pub lowest_students: Vec<StudentId>,
    /// How many answers were counted.
    pub answers: u32,
}

/// One student's self-assessment against the teacher's on one technique's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// The student.
    pub student: StudentId,
    /// The technique both answered.
    pub technique: TechniqueKind,
    /// self − teacher in the scale's steps (positive: the student over-estimated).
    pub gap: i32,
}

/// How the students' self-assessment on a criterion compares with the teacher's in the lesson.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Estimates {
    /// Who rated themselves higher than the teacher did, the widest gap first (then by student).
    pub over: Vec<Estimate>,
    /// Who rated themselves lower than the teacher did, the widest gap first (then by student).
    pub under: Vec<Estimate>,
    /// How many self-assessments agreed with the teacher's exactly.
    pub agreed: u32,
}

impl Estimates {
    /// Whether the teacher assessed anyone who also assessed themselves.
    pub fn is_empty(&self) -> bool {
        self.over.is_empty() && self.under.is_empty() && self.agreed == 0
    }
}

/// One criterion of the lesson with the fixed-scale techniques run on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionSummary {
    /// The criterion.
    pub criterion: CriterionId,
    /// The techniques, in catalogue order.
    pub techniques: Vec<TechniqueSummary>,
    /// Self-assessment against the teacher's assessment (empty when the teacher assessed none).
    pub estimates: Estimates,
}

/// The summary of `lesson` from the journal's records of it: its criteria in the lesson's order,
/// each with the fixed-scale techniques answered on it (criteria with none are left out).
pub fn summarise(lesson: &Lesson, journal: &Journal) -> Vec<CriterionSummary> {
    // The latest answer of each student (anonymous answers each on their own).
    let mut latest: BTreeMap<(CriterionId, TechniqueKind), Vec<&EvidenceRecord>> = BTreeMap::new();
    for record in journal.for_lesson(lesson.id()) {
        // The distribution is the students' own answers; the teacher's count only as estimates.
        if lowest_of(record.technique()).is_none() || record.source() != Source::SelfAssessment {
            continue;
        }
        let answers = latest.entry((record.criterion(), record.technique())).or_default();
        let earlier =
            record.student().and_then(|s| answers.iter().position(|r| r.student() == Some(s)));
        match earlier {
            Some(i) if newer(record, answers[i]) => answers[i] = record,
            Some(_) => {}
            None => answers.push(record),
        }
    }
    // Self-assessments are compared with the teacher's on the same technique, never across.
    let pairs = calibrate(journal.for_lesson(lesson.id())).pairs;
    lesson
        .criteria()
        .iter()
        .filter_map(|criterion| {
            let id = criterion.id();
            let techniques: Vec<TechniqueSummary> = latest
                .iter()
                .filter(|((c, _), _)| *c == id)
                .filter_map(|((_, kind), records)| technique_summary(*kind, records))
                .collect();
            let mut estimates = Estimates::default();
            for p in pairs.iter().filter(|p| p.criterion == id) {
                let e = Estimate { student: p.student, technique: p.technique, gap: p.gap };
                match p.gap {
                    0 => estimates.agreed += 1,
                    g if g > 0 => estimates.over.push(e),
                    _ => estimates.under.push(e),
                }
            }
            let widest_first = |e: &Estimate| (std::cmp::Reverse(e.gap.abs()), e.student);
            estimates.over.sort_by_key(widest_first);
            estimates.under.sort_by_key(widest_first);
            (!techniques.is_empty()).then_some(CriterionSummary {
                criterion: id,
                techniques,
                estimates,
            })
        })
        .collect()
}

/// Whether `a` was recorded after `b` (ties broken by id, so the choice is deterministic).
fn newer(a: &EvidenceRecord, b: &EvidenceRecord) -> bool {
    (a.recorded_at(), a.id()) > (b.recorded_at(), b.id())
}

fn technique_summary(kind: TechniqueKind, records: &[&EvidenceRecord]) -> Option<TechniqueSummary> {
    let lowest = lowest_of(kind)?;
    let scale: Vec<Response> = match kind {
        TechniqueKind::Ladder => {
            let top = records
                .iter()
                .filter_map(|r| match r.value() {
                    Response::Step(s) => Some(*s),
                    _ => None,
                })
                .max()
                .unwrap_or(MIN_LADDER_STEPS)
                .max(MIN_LADDER_STEPS);
            (1..=top).map(Response::Step).collect()
        }
        other => Technique::default_of(other, Lang::Ru).options(),
    };
    let counts = scale
        .into_iter()
        .map(|option| {
            let n = records.iter().filter(|r| *r.value() == option).count();
            (option, u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect();
    let mut lowest_students: Vec<StudentId> =
        records.iter().filter(|r| *r.value() == lowest).filter_map(|r| r.student()).collect();
    lowest_students.sort();
    Some(TechniqueSummary {
        kind,
        counts,
        lowest,
        lowest_students,
        answers: u32::try_from(records.len()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceDraft;
    use crate::ids::{ClassId, EvidenceId, LessonId};
    use crate::technique::{Light, Thumb};
    use chrono::{DateTime, NaiveDate, Utc};

    const CLASS: ClassId = ClassId::from_u128(0xc1);
    const FIRST: CriterionId = CriterionId::from_u128(0xa1);
    const SECOND: CriterionId = CriterionId::from_u128(0xa2);
    const LESSON: LessonId = LessonId::from_u128(0x1e);

    fn lesson() -> Lesson {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        Lesson::with_texts(
            LESSON,
            CLASS,
            date,
            "Дроби",
            &[(FIRST, "Складываю"), (SECOND, "Сокращаю")],
        )
        .unwrap()
    }

    fn record(
        n: u128,
        lesson: LessonId,
        student: Option<u128>,
        criterion: CriterionId,
        technique: TechniqueKind,
        value: Response,
        second: i64,
    ) -> EvidenceRecord {
        let s = Source::SelfAssessment;
        record_by(s, n, lesson, student, criterion, technique, value, second)
    }

    #[allow(clippy::too_many_arguments, reason = "a record's fields, named at each call")]
    fn record_by(
        source: Source,
        n: u128,
        lesson: LessonId,
        student: Option<u128>,
        criterion: CriterionId,
        technique: TechniqueKind,
        value: Response,
        second: i64,
    ) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(n),
            lesson,
            lesson_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            class: CLASS,
            student: student.map(StudentId::from_u128),
            criterion,
            technique,
            value,
            source,
            author: None,
            recorded_at: DateTime::<Utc>::from_timestamp(1_800_000_000 + second, 0).unwrap(),
        })
        .unwrap()
    }

    #[test]
    fn a_lesson_summary_counts_each_students_latest_answer_and_names_the_lowest() {
        use TechniqueKind as K;
        let light = |l| Response::Light(l);
        let records = vec![
            record(1, LESSON, Some(1), FIRST, K::TrafficLight, light(Light::Red), 0),
            record(2, LESSON, Some(2), FIRST, K::TrafficLight, light(Light::Green), 0),
            record(3, LESSON, Some(3), FIRST, K::TrafficLight, light(Light::Red), 0),
            // Student 1 answered again later: green replaces red.
            record(4, LESSON, Some(1), FIRST, K::TrafficLight, light(Light::Green), 60),
            // An answer recorded before the latest one does not replace it.
            record(5, LESSON, Some(3), FIRST, K::TrafficLight, light(Light::Yellow), -60),
            record(6, LESSON, None, FIRST, K::TrafficLight, light(Light::Red), 0),
            record(7, LESSON, Some(1), SECOND, K::Ladder, Response::Step(4), 0),
            record(8, LESSON, Some(2), SECOND, K::Ladder, Response::Step(1), 0),
            record(9, LESSON, Some(2), SECOND, K::Thumbs, Response::Thumb(Thumb::Down), 0),
            // Another lesson, and a technique without a fixed scale: not in the summary.
            record(
                10,
                LessonId::from_u128(0x2e),
                Some(1),
                FIRST,
                K::TrafficLight,
                light(Light::Red),
                0,
            ),
            record(
                11,
                LESSON,
                Some(1),
                FIRST,
                K::UnfinishedSentence,
                Response::Text("я…".into()),
                0,
            ),
        ];
        let (journal, conflicts) = Journal::from_records(records);
        assert!(conflicts.is_empty());
        let summary = summarise(&lesson(), &journal);
        let s = |n| StudentId::from_u128(n);
        let light_counts =
            vec![(light(Light::Green), 2), (light(Light::Yellow), 0), (light(Light::Red), 2)];
        assert_eq!(
            summary,
            vec![
                CriterionSummary {
                    criterion: FIRST,
                    techniques: vec![TechniqueSummary {
                        kind: K::TrafficLight,
                        counts: light_counts,
                        lowest: light(Light::Red),
                        lowest_students: vec![s(3)],
                        answers: 4,
                    }],
                    estimates: Estimates::default(),
                },
                CriterionSummary {
                    criterion: SECOND,
                    techniques: vec![
                        TechniqueSummary {
                            kind: K::Ladder,
                            counts: (1..=4)
                                .map(|n| (Response::Step(n), u32::from(n == 1 || n == 4)))
                                .collect(),
                            lowest: Response::Step(1),
                            lowest_students: vec![s(2)],
                            answers: 2,
                        },
                        TechniqueSummary {
                            kind: K::Thumbs,
                            counts: vec![
                                (Response::Thumb(Thumb::Up), 0),
                                (Response::Thumb(Thumb::Sideways), 0),
                                (Response::Thumb(Thumb::Down), 1),
                            ],
                            lowest: Response::Thumb(Thumb::Down),
                            lowest_students: vec![s(2)],
                            answers: 1,
                        },
                    ],
                    estimates: Estimates::default(),
                },
            ]
        );
        assert!(summarise(&lesson(), &Journal::new()).is_empty());
    }

    /// `record` by the teacher.
    fn teacher(n: u128, student: u128, criterion: CriterionId, value: Response) -> EvidenceRecord {
        let ladder = TechniqueKind::Ladder;
        record_by(Source::Teacher, n, LESSON, Some(student), criterion, ladder, value, 30)
    }

    #[test]
    fn the_teachers_assessment_names_who_over_and_under_estimated_and_stays_out_of_the_counts() {
        use TechniqueKind as K;
        let step = Response::Step;
        let records = vec![
            record(1, LESSON, Some(1), FIRST, K::Ladder, step(5), 0),
            record(2, LESSON, Some(2), FIRST, K::Ladder, step(2), 0),
            record(3, LESSON, Some(3), FIRST, K::Ladder, step(3), 0),
            record(4, LESSON, Some(4), FIRST, K::Ladder, step(4), 0),
            record(5, LESSON, Some(5), FIRST, K::TrafficLight, Response::Light(Light::Green), 0),
            teacher(11, 1, FIRST, step(3)),
            teacher(12, 2, FIRST, step(4)),
            teacher(13, 3, FIRST, step(3)),
            teacher(14, 4, FIRST, step(3)),
            // The teacher's ladder is not compared with a student's light.
            teacher(15, 5, FIRST, step(1)),
        ];
        let (journal, conflicts) = Journal::from_records(records);
        assert!(conflicts.is_empty());
        let summary = summarise(&lesson(), &journal);
        let first = &summary[0];
        let ladder = first.techniques.iter().find(|t| t.kind == K::Ladder).unwrap();
        assert_eq!(ladder.answers, 4, "the teacher's five answers are not counted");
        assert_eq!(ladder.lowest_students, Vec::<StudentId>::new());
        let e = |n, gap| Estimate { student: StudentId::from_u128(n), technique: K::Ladder, gap };
        assert_eq!(
            first.estimates,
            Estimates { over: vec![e(1, 2), e(4, 1)], under: vec![e(2, -2)], agreed: 1 }
        );
        assert!(!first.estimates.is_empty());
        // The same gaps as the class's calibration.
        let pairs = calibrate(journal.iter()).pairs;
        let mut gaps: Vec<i32> = pairs.iter().map(|p| p.gap).collect();
        gaps.sort();
        assert_eq!(gaps, vec![-2, 0, 1, 2]);
    }
}
