//! Benchmark of the compact evidence journal: a realistic class-year of 54,000 records.
//!
//! One class of 30 students, 180 lessons (one per school day from 2 September), 300 records per
//! lesson: светофор on 3 criteria, ladder on 3, fist-to-five on 2, thumbs on 1, and one mixed
//! slot (exit tickets, an anonymous light now and then, an unfinished sentence or two stars and a
//! wish every few lessons). Evidence ids are random UUIDs from a seeded inline PRNG, times are
//! milliseconds inside the 45-minute lesson. The journal is encoded one chunk per lesson; the
//! bench prints bytes and UTF-16 code units per record, then times encoding and decoding the year.

use std::hint::black_box;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use criterion::{Criterion, criterion_group, criterion_main};
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::persist::compact::{decode_chunk, encode_chunk, to_storage_text};
use lesenka_core::technique::{ExitAnswer, Light, Response, TechniqueKind, Thumb};

mod support;
use support::Rng;

const STUDENTS: usize = 30;
const LESSONS: usize = 180;
const PER_LESSON: usize = 300;

/// A light skewed the way classes answer: mostly green, some yellow, few red.
fn light(rng: &mut Rng) -> Light {
    match rng.below(10) {
        0..=5 => Light::Green,
        6..=8 => Light::Yellow,
        _ => Light::Red,
    }
}

fn class_year(seed: u64) -> Vec<Vec<EvidenceRecord>> {
    let mut rng = Rng(seed);
    let class = ClassId::from_u128(rng.uuid());
    let students: Vec<StudentId> =
        (0..STUDENTS).map(|_| StudentId::from_u128(rng.uuid())).collect();
    let bank: Vec<CriterionId> = (0..24).map(|_| CriterionId::from_u128(rng.uuid())).collect();
    let mut date = NaiveDate::from_ymd_opt(2024, 9, 2).expect("valid date");
    let mut year = Vec::with_capacity(LESSONS);
    for lesson_no in 0..LESSONS {
        while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            date += Duration::days(1);
        }
        let lesson = LessonId::from_u128(rng.uuid());
        let start =
            date.and_hms_opt(8 + (lesson_no % 5) as u32, 0, 0).expect("valid time").and_utc();
        // Criteria move through the bank over the year, three per lesson.
        let criteria: Vec<CriterionId> =
            (0..3).map(|k| bank[(lesson_no / 8 + k) % bank.len()]).collect();
        let mut records = Vec::with_capacity(PER_LESSON);
        let mut push = |rng: &mut Rng,
                        student: Option<StudentId>,
                        criterion: CriterionId,
                        technique: TechniqueKind,
                        value: Response,
                        source: Source| {
            let at = start + Duration::milliseconds(rng.below(45 * 60 * 1000) as i64);
            let draft = EvidenceDraft {
                id: EvidenceId::from_u128(rng.uuid()),
                lesson,
                lesson_date: date,
                class,
                student,
                criterion,
                technique,
                value,
                source,
                author: None,
                recorded_at: at,
            };
            records.push(EvidenceRecord::new(draft).expect("generated records are valid"));
        };
        for &criterion in &criteria {
            for &s in &students {
                let v = Response::Light(light(&mut rng));
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::TrafficLight,
                    v,
                    Source::SelfAssessment,
                );
            }
        }
        for (k, &criterion) in criteria.iter().enumerate() {
            for &s in &students {
                let step = 1 + rng.below(4) as u8 + u8::from(rng.below(3) > 0);
                let source = if k == 2 { Source::Teacher } else { Source::SelfAssessment };
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::Ladder,
                    Response::Step(step.min(5)),
                    source,
                );
            }
        }
        for &criterion in &criteria[..2] {
            for &s in &students {
                let v = Response::Fingers(rng.below(6) as u8);
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::FistToFive,
                    v,
                    Source::SelfAssessment,
                );
            }
        }
        for &s in &students {
            let v = Response::Thumb(Thumb::ALL[rng.below(3) as usize]);
            push(&mut rng, Some(s), criteria[0], TechniqueKind::Thumbs, v, Source::SelfAssessment);
        }
        for (i, &s) in students.iter().enumerate() {
            let criterion = criteria[i % 3];
            if lesson_no % 6 == 0 && i < 4 {
                let text = [
                    "Сегодня я понял, как сравнивать дроби",
                    "Мне было трудно",
                    "Хочу ещё раз разобрать задачу 5",
                    "Я научился",
                ][i];
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::UnfinishedSentence,
                    Response::Text(text.into()),
                    Source::SelfAssessment,
                );
            } else if lesson_no % 9 == 0 && i < 8 {
                let v = Response::TwoStarsAndAWish {
                    stars: ["понятно объяснил".into(), "аккуратно".into()],
                    wish: "говорить громче".into(),
                };
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::TwoStarsAndAWish,
                    v,
                    Source::Peer,
                );
            } else if lesson_no % 2 == 0 {
                let v = Response::ExitTicket(vec![
                    ExitAnswer::Check(rng.below(4) > 0),
                    ExitAnswer::Confidence(1 + rng.below(4) as u8),
                ]);
                push(
                    &mut rng,
                    Some(s),
                    criterion,
                    TechniqueKind::ExitTicket,
                    v,
                    Source::SelfAssessment,
                );
            } else {
                let v = Response::Light(light(&mut rng));
                push(
                    &mut rng,
                    None,
                    criterion,
                    TechniqueKind::TrafficLight,
                    v,
                    Source::SelfAssessment,
                );
            }
        }
        assert_eq!(records.len(), PER_LESSON);
        year.push(records);
        date += Duration::days(1);
    }
    year
}

fn bench(c: &mut Criterion) {
    let year = class_year(0x1E5E_4CA0);
    let count: usize = year.iter().map(Vec::len).sum();
    let chunks: Vec<Vec<u8>> = year.iter().map(|lesson| encode_chunk(lesson)).collect();
    let bytes: usize = chunks.iter().map(Vec::len).sum();
    let units: usize = chunks.iter().map(|c| to_storage_text(c).encode_utf16().count()).sum();
    for (chunk, lesson) in chunks.iter().zip(&year) {
        assert_eq!(&decode_chunk(chunk).expect("chunks decode"), lesson);
    }
    let json: usize =
        year.iter().flatten().map(|r| serde_json::to_string(r).map_or(0, |s| s.len())).sum();
    let first = year[0][0].recorded_at();
    let last = year[LESSONS - 1][0].recorded_at();
    println!(
        "journal: {count} records in {} chunks ({} .. {}), {bytes} bytes = {:.2} bytes/record; \
         storage text {units} UTF-16 code units = {:.2} units/record; JSON would be {:.1} bytes/record",
        chunks.len(),
        first.date_naive(),
        last.date_naive(),
        bytes as f64 / count as f64,
        units as f64 / count as f64,
        json as f64 / count as f64,
    );

    c.bench_function("encode class-year (54,000 records, chunk per lesson)", |b| {
        b.iter(|| year.iter().map(|l| encode_chunk(black_box(l)).len()).sum::<usize>())
    });
    c.bench_function("decode class-year (54,000 records, chunk per lesson)", |b| {
        b.iter(|| {
            chunks.iter().map(|c| decode_chunk(black_box(c)).map_or(0, |r| r.len())).sum::<usize>()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
