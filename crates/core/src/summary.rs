//! A lesson's summary once its techniques are closed: per criterion and fixed-scale technique,
//! the distribution of the students' answers in scale order and who gave the scale's lowest
//! answer (red, step 1, a fist, thumb down) — for the teacher's own screen, never a projector.
//!
//! Each student counts once per criterion and technique: with their latest answer in the
//! lesson (by the time it was recorded, then by id), so a technique run twice is not counted
//! twice. Anonymous answers count each. Records keep a ladder's answers, not its settings, so a
//! ladder's distribution runs from step 1 to the highest step answered (at least 3 steps).

use std::collections::BTreeMap;

use crate::evidence::{EvidenceRecord, Journal};
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

/// One criterion of the lesson with the fixed-scale techniques run on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionSummary {
    /// The criterion.
    pub criterion: CriterionId,
    /// The techniques, in catalogue order.
    pub techniques: Vec<TechniqueSummary>,
}

/// The summary of `lesson` from the journal's records of it: its criteria in the lesson's order,
/// each with the fixed-scale techniques answered on it (criteria with none are left out).
pub fn summarise(lesson: &Lesson, journal: &Journal) -> Vec<CriterionSummary> {
    // The latest answer of each student (anonymous answers each on their own).
    let mut latest: BTreeMap<(CriterionId, TechniqueKind), Vec<&EvidenceRecord>> = BTreeMap::new();
    for record in journal.for_lesson(lesson.id()) {
        if lowest_of(record.technique()).is_none() {
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
    lesson
        .criteria()
        .iter()
        .filter_map(|criterion| {
            let techniques: Vec<TechniqueSummary> = latest
                .iter()
                .filter(|((c, _), _)| *c == criterion.id())
                .filter_map(|((_, kind), records)| technique_summary(*kind, records))
                .collect();
            (!techniques.is_empty())
                .then_some(CriterionSummary { criterion: criterion.id(), techniques })
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
    use crate::evidence::{EvidenceDraft, Source};
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
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(n),
            lesson,
            lesson_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            class: CLASS,
            student: student.map(StudentId::from_u128),
            criterion,
            technique,
            value,
            source: Source::SelfAssessment,
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
                },
            ]
        );
        assert!(summarise(&lesson(), &Journal::new()).is_empty());
    }
}
