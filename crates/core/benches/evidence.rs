//! Benchmarks of the evidence journal's aggregate queries on a realistic 100,000-record journal.
//!
//! The journal is made by a deterministic generator (a seeded SplitMix64 written inline, no OS
//! randomness): 12 classes of 25 students, a school year of lessons from September to May, each
//! lesson with 2–3 criteria and a mix of techniques (mostly светофор and лесенка, some exit
//! tickets, fist-to-five, thumbs and text techniques). Goal: each query ≤ 20 ms.

use std::hint::black_box;

use chrono::{DateTime, Days, Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Journal, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::plan::{GoalInputs, Indicator, SchoolYear, measure, technique_lessons_by_month};
use lesenka_core::technique::{ExitAnswer, Light, Response, TechniqueKind, Thumb};

mod support;
use support::Rng;

const RECORDS: usize = 100_000;
const CLASSES: u128 = 12;
const STUDENTS: u128 = 25;

fn response(rng: &mut Rng, kind: TechniqueKind) -> Response {
    match kind {
        TechniqueKind::TrafficLight => Response::Light(Light::ALL[rng.below(3) as usize]),
        TechniqueKind::Ladder => Response::Step(1 + rng.below(5) as u8),
        TechniqueKind::FistToFive => Response::Fingers(rng.below(6) as u8),
        TechniqueKind::Thumbs => Response::Thumb(Thumb::ALL[rng.below(3) as usize]),
        TechniqueKind::ExitTicket => Response::ExitTicket(vec![
            ExitAnswer::Check(rng.below(4) > 0),
            ExitAnswer::Confidence(1 + rng.below(4) as u8),
        ]),
        _ => Response::Text("сегодня я понял, как сравнивать дроби".to_owned()),
    }
}

/// A deterministic, realistic list of [`RECORDS`] records.
fn records() -> Vec<EvidenceRecord> {
    let mut rng = Rng(0x1E5E_4CA0_2024_0901);
    let start = NaiveDate::from_ymd_opt(2024, 9, 2).unwrap_or_default();
    let epoch: DateTime<Utc> = Utc.with_ymd_and_hms(2024, 9, 2, 8, 0, 0).unwrap();
    let mut records = Vec::with_capacity(RECORDS);
    let mut lesson_no: u128 = 0;
    while records.len() < RECORDS {
        lesson_no += 1;
        let class = lesson_no % CLASSES;
        // About 270 school days, lessons spread over them.
        let day = (lesson_no / CLASSES) * 2 % 270;
        let date = start + Days::new(day as u64);
        let kind = match rng.below(20) {
            0..=7 => TechniqueKind::TrafficLight,
            8..=13 => TechniqueKind::Ladder,
            14..=15 => TechniqueKind::ExitTicket,
            16 => TechniqueKind::FistToFive,
            17 => TechniqueKind::Thumbs,
            18 => TechniqueKind::UnfinishedSentence,
            _ => TechniqueKind::ThreeTwoOne,
        };
        let kind = if kind == TechniqueKind::ThreeTwoOne { TechniqueKind::Cinquain } else { kind };
        let criteria = 2 + rng.below(2) as u128;
        for c in 0..criteria {
            for s in 0..STUDENTS {
                if records.len() >= RECORDS || rng.below(10) == 0 {
                    continue; // absent
                }
                let value = match kind {
                    TechniqueKind::Cinquain => Response::Lines(vec!["дробь".to_owned(); 5]),
                    _ => response(&mut rng, kind),
                };
                let draft = EvidenceDraft {
                    id: EvidenceId::from_u128(rng.uuid()),
                    lesson: LessonId::from_u128(lesson_no),
                    lesson_date: date,
                    class: ClassId::from_u128(class),
                    student: Some(StudentId::from_u128(class * 100 + s)),
                    criterion: CriterionId::from_u128((lesson_no % 40) * 4 + c),
                    technique: kind,
                    value,
                    source: if rng.below(5) == 0 {
                        Source::Teacher
                    } else {
                        Source::SelfAssessment
                    },
                    author: None,
                    recorded_at: epoch + Duration::minutes(records.len() as i64),
                };
                if let Ok(record) = EvidenceRecord::new(draft) {
                    records.push(record);
                }
            }
        }
    }
    records
}

fn bench(c: &mut Criterion) {
    let records = records();
    let (journal, conflicts) = Journal::from_records(records.clone());
    assert!(conflicts.is_empty() && journal.len() == RECORDS);
    c.bench_function("monthly_technique_counts 100k", |b| {
        b.iter(|| black_box(black_box(&journal).monthly_technique_counts()))
    });
    c.bench_function("traffic_light_trend class 100k", |b| {
        b.iter(|| black_box(journal.traffic_light_trend(black_box(ClassId::from_u128(3)), None)))
    });
    c.bench_function("traffic_light_trend class+criterion 100k", |b| {
        b.iter(|| {
            black_box(journal.traffic_light_trend(
                black_box(ClassId::from_u128(3)),
                Some(CriterionId::from_u128(3 * 4)),
            ))
        })
    });
    let month = lesenka_core::evidence::YearMonth::new(2024, 11).unwrap();
    c.bench_function("in_month count 100k", |b| {
        b.iter(|| black_box(journal.in_month(black_box(month)).count()))
    });
    // The ПОС goal indicators a leader's dashboard computes from the same evidence.
    let year = SchoolYear::new(2024).unwrap();
    let inputs = GoalInputs {
        year,
        as_of: NaiveDate::from_ymd_opt(2025, 5, 31).unwrap(),
        evidence: &records,
        events: &[],
        members: &[],
        protocols: &[],
        practices: &[],
        diagnostics: &[],
        satisfaction_responses: 0,
    };
    let indicators: Vec<Indicator> =
        [None, Some(TechniqueKind::TrafficLight), Some(TechniqueKind::Ladder)]
            .into_iter()
            .map(|technique| Indicator::TechniqueUse { technique, lessons_per_month: 4 })
            .collect();
    c.bench_function("goal indicators (technique use per month) 100k", |b| {
        b.iter(|| {
            black_box(indicators.iter().map(|i| measure(i, black_box(&inputs))).collect::<Vec<_>>())
        })
    });
    c.bench_function("technique_lessons_by_month 100k", |b| {
        b.iter(|| black_box(technique_lessons_by_month(black_box(&records))))
    });
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("clone + Journal::from_records 100k", |b| {
        b.iter(|| black_box(Journal::from_records(black_box(&records).clone())))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
