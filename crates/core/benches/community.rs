//! Benchmark of a community's (ПОС) year: 12 teachers × one school year, ≈ 600,000 evidence
//! records, and every goal indicator of the leader's plan computed from them.
//!
//! Each of the 12 teachers has 4 classes of 25 students; each class has 250 lessons from
//! 1 September to the end of May, and in each lesson the class answers one technique
//! (светофор, лесенка, fist-to-five, thumbs, an exit ticket) on 2 criteria: 12 × 4 × 250 × 25 ×
//! 2 = 600,000 records, made by a seeded inline generator. The plan has 12 members, an event a
//! month, a protocol per teacher, 30 practices, and a goal per indicator kind (technique use
//! for any technique and for each fixed-scale one). Goal: «indicators native» ≤ 100 ms.
//! The bench also prints, and writes to `target/bench/results.json`, the bytes the year's
//! evidence takes in the compact journal (one chunk per lesson) and as localStorage's UTF-16
//! text («community year evidence bytes», «community year storage bytes»).

use std::hint::black_box;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Source};
use lesenka_core::ids::{
    ClassId, CriterionId, EventId, EvidenceId, GoalId, LessonId, MemberId, PlanId, PracticeId,
    ProtocolId, StudentId,
};
use lesenka_core::persist::compact::{encode_chunk, to_storage_text};
use lesenka_core::plan::{
    Event, EventStatus, Goal, Indicator, Member, MemberRole, Month, ObservationProtocol, Period,
    Plan, PlanDraft, Practice, SchoolYear, measure_all, year_report,
};
use lesenka_core::technique::{Light, Response, TechniqueKind, Thumb};
use lesenka_core::text::Name;

mod support;
use support::Rng;

const TEACHERS: u128 = 12;
const CLASSES: u128 = 4;
const LESSONS: u64 = 250;
const STUDENTS: u128 = 25;
const CRITERIA: u128 = 2;

/// The community's year, one `Vec` per lesson.
fn year_lessons() -> Vec<Vec<EvidenceRecord>> {
    let mut rng = Rng(0x505_2025_0901);
    let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
    let mut lessons = Vec::new();
    for teacher in 0..TEACHERS {
        for class_no in 0..CLASSES {
            let class = ClassId::from_u128(0xc1a5_0000 + teacher * 16 + class_no);
            for l in 0..LESSONS {
                // 250 lessons over the 272 days to the end of May.
                let date = start + Days::new(l * 272 / LESSONS);
                let lesson = LessonId::from_u128(
                    0x1e55_0000_0000 + (teacher * 16 + class_no) * 1000 + u128::from(l),
                );
                let kind = match rng.below(10) {
                    0..=3 => TechniqueKind::TrafficLight,
                    4..=6 => TechniqueKind::Ladder,
                    7 => TechniqueKind::FistToFive,
                    _ => TechniqueKind::Thumbs,
                };
                let at = Utc.from_utc_datetime(&date.and_hms_opt(9, 0, 0).unwrap_or_default());
                let mut records = Vec::with_capacity((STUDENTS * CRITERIA) as usize);
                for c in 0..CRITERIA {
                    for s in 0..STUDENTS {
                        let value = match kind {
                            TechniqueKind::TrafficLight => {
                                Response::Light(Light::ALL[rng.below(3) as usize])
                            }
                            TechniqueKind::Ladder => Response::Step(1 + rng.below(5) as u8),
                            TechniqueKind::FistToFive => Response::Fingers(rng.below(6) as u8),
                            _ => Response::Thumb(Thumb::ALL[rng.below(3) as usize]),
                        };
                        let record = EvidenceRecord::new(EvidenceDraft {
                            id: EvidenceId::from_u128(rng.uuid()),
                            lesson,
                            lesson_date: date,
                            class,
                            student: Some(StudentId::from_u128(
                                0x5700_0000 + (teacher * 16 + class_no) * 100 + s,
                            )),
                            criterion: CriterionId::from_u128(
                                0xc700_0000 + (teacher * 16 + class_no) * 10 + c,
                            ),
                            technique: kind,
                            value,
                            source: Source::SelfAssessment,
                            author: None,
                            recorded_at: at
                                + chrono::Duration::milliseconds(rng.below(2_700_000) as i64),
                        });
                        match record {
                            Ok(r) => records.push(r),
                            Err(e) => panic!("the generator made a record core refuses: {e:?}"),
                        }
                    }
                }
                lessons.push(records);
            }
        }
    }
    lessons
}

/// The leader's plan: 12 members, an event a month, a protocol per teacher, 30 practices,
/// a goal per indicator kind.
fn plan() -> Plan {
    let name = |s: &str| Name::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
    let members: Vec<Member> = (0..TEACHERS)
        .map(|t| {
            let role = if t == 0 { MemberRole::Leader } else { MemberRole::Member };
            Member::new(MemberId::from_u128(t + 1), &format!("Учитель {}", t + 1), None, role)
                .unwrap_or_else(|e| panic!("{e:?}"))
        })
        .collect();
    let events: Vec<Event> = Month::SCHOOL_YEAR
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let mut e =
                Event::new(EventId::from_u128(k as u128 + 1), Period::Month(*m), "Открытый урок")
                    .unwrap_or_else(|e| panic!("{e:?}"));
            if k % 2 == 0 {
                e.status = EventStatus::Done;
                e.given_by = vec![members[k % members.len()].id];
            }
            e
        })
        .collect();
    let protocols = (0..TEACHERS)
        .map(|t| ObservationProtocol {
            id: ProtocolId::from_u128(t + 1),
            lesson: LessonId::from_u128(0x1e55_0000_0000 + t * 16 * 1000 + 40),
            teacher: MemberId::from_u128(t + 1),
            observer: MemberId::from_u128(1),
            date: NaiveDate::from_ymd_opt(2025, 11, 10).unwrap_or_default(),
            techniques_seen: [TechniqueKind::TrafficLight].into_iter().collect(),
            criteria: vec![],
            notes: None,
        })
        .collect();
    let practices = (0..30u128)
        .map(|n| {
            Practice::from_form(
                PracticeId::from_u128(n + 1),
                &format!("Практика {}", n + 1),
                Some(TechniqueKind::ALL[n as usize % 5]),
                "Математика",
                Some(1 + (n % 11) as u8),
                "",
                "",
                NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default() + Days::new(n as u64 * 7),
            )
            .unwrap_or_else(|e| panic!("{e:?}"))
        })
        .collect();
    let mut indicators = vec![
        Indicator::TechniqueUse { technique: None, lessons_per_month: 40 },
        Indicator::OpenLessonsHeld { target: 12 },
        Indicator::PracticeBankSize { target: 30 },
        Indicator::PracticeBankGrowth { target: 20 },
        Indicator::EveryMemberOpenLesson,
        Indicator::DiagnosticsAtStartAndEnd,
        Indicator::ExperiencePresented { target: 6 },
        Indicator::SatisfactionMeasured { responses: 20 },
    ];
    for t in [
        TechniqueKind::TrafficLight,
        TechniqueKind::Ladder,
        TechniqueKind::FistToFive,
        TechniqueKind::Thumbs,
    ] {
        indicators.push(Indicator::TechniqueUse { technique: Some(t), lessons_per_month: 10 });
    }
    let goals = indicators
        .into_iter()
        .enumerate()
        .map(|(k, i)| Goal {
            id: GoalId::from_u128(k as u128 + 1),
            title: name("Цель"),
            indicators: vec![i],
        })
        .collect();
    Plan::new(PlanDraft {
        id: PlanId::from_u128(1),
        year: SchoolYear::new(2025).unwrap_or_else(|e| panic!("{e:?}")),
        title: name("План работы ПОС на 2025-2026 учебный год"),
        aim: None,
        tasks: vec![],
        members,
        events,
        goals,
        protocols,
        practices,
    })
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Adds `figures` (name, value, unit, goal) to `target/bench/results.json`, replacing those
/// of the same name.
fn record(figures: &[(&str, f64, &str, &str)]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench");
    let path = dir.join("results.json");
    let mut list: Vec<serde_json::Value> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    list.retain(|r| !figures.iter().any(|f| r["name"] == f.0));
    for (name, value, unit, goal) in figures {
        println!("  {name}: {value} {unit} (goal {goal})");
        list.push(serde_json::json!({"name": name, "value": value, "unit": unit, "goal": goal}));
    }
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(&path, serde_json::to_string_pretty(&list).unwrap_or_default())
    });
    if let Err(e) = written {
        panic!("{}: {e}", path.display());
    }
}

fn bench(c: &mut Criterion) {
    let lessons = year_lessons();
    let chunks: Vec<Vec<u8>> = lessons.iter().map(|l| encode_chunk(l)).collect();
    let bytes: usize = chunks.iter().map(Vec::len).sum();
    let units: usize = chunks.iter().map(|c| to_storage_text(c).encode_utf16().count()).sum();
    let records: Vec<EvidenceRecord> = lessons.into_iter().flatten().collect();
    println!(
        "community year: {} records in {} lessons; compact journal {bytes} bytes ({:.2}/record), \
         localStorage text {units} UTF-16 units = {} bytes",
        records.len(),
        chunks.len(),
        bytes as f64 / records.len() as f64,
        units * 2
    );
    record(&[
        ("community year evidence records", records.len() as f64, "records", "≈ 600000"),
        ("community year evidence bytes", bytes as f64, "bytes", "none stated"),
        ("community year storage bytes", (units * 2) as f64, "bytes", "none stated"),
    ]);
    let plan = plan();
    let as_of = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap_or_default();
    let inputs = plan.goal_inputs(as_of, &records, &[], 25);
    let measured = measure_all(&plan.draft().goals, &inputs);
    println!(
        "indicators: {:?}",
        measured
            .iter()
            .flatten()
            .map(|t| (t.measured.current, t.measured.target))
            .collect::<Vec<_>>()
    );
    c.bench_function("indicators native", |b| {
        b.iter(|| black_box(measure_all(black_box(&plan.draft().goals), black_box(&inputs))))
    });
    let mut group = c.benchmark_group("community");
    group.sample_size(20);
    group.bench_function("year_report 600k", |b| {
        b.iter(|| black_box(year_report(black_box(&plan), black_box(&records), &[], &[], as_of)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
