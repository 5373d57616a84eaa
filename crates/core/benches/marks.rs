//! Benchmark: a class's weighted averages and term marks (30 students × 60 marks; goal ≤ 1 ms),
//! and what-if answers for the whole class.
//!
//! Run: `cargo bench -p lesenka-core --bench marks`.

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use lesenka_core::ids::{ClassId, MarkId, StudentId, WorkTypeId};
use lesenka_core::marks::{
    Fraction, Gradebook, Mark, MarkScale, MarkingPolicy, PlusMinus, Rounding, TermRule,
    example_work_types,
};
use lesenka_core::text::Name;

const STUDENTS: u128 = 30;
const MARKS_PER_STUDENT: u128 = 60;

fn policy() -> MarkingPolicy {
    let rule = TermRule::five_point(
        Fraction::parse("0.65").expect("number"),
        Rounding::HalfUp { places: 2 },
    )
    .expect("valid rule");
    MarkingPolicy::new(
        MarkScale::russian_five(Some(PlusMinus::quarter())),
        example_work_types(
            WorkTypeId::from_u128(1),
            WorkTypeId::from_u128(2),
            WorkTypeId::from_u128(3),
        ),
        rule,
        Vec::new(),
    )
    .expect("valid policy")
}

/// A deterministic class: marks spread over the scale and the three work types.
fn gradebook(policy: &MarkingPolicy) -> Gradebook {
    let mut book = Gradebook::new(ClassId::from_u128(1));
    let labels: Vec<Name> = policy.scale().marks().iter().map(|m| m.label.clone()).collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let start = NaiveDate::from_ymd_opt(2024, 9, 2).expect("date");
    for s in 0..STUDENTS {
        for k in 0..MARKS_PER_STUDENT {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = state >> 33;
            let mark = Mark {
                id: MarkId::from_u128(s * 1000 + k + 1),
                student: StudentId::from_u128(s + 1),
                work_type: WorkTypeId::from_u128(u128::from(r % 3) + 1),
                date: start + chrono::Days::new(r % 100),
                value: labels[(r / 3 % labels.len() as u64) as usize].clone(),
                comment: None,
            };
            book.add(mark, policy).expect("valid mark");
        }
    }
    book
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let book = gradebook(&policy);
    let students: Vec<StudentId> = (1..=STUDENTS).map(StudentId::from_u128).collect();

    // A plain figure besides criterion's statistics: the mean over many runs.
    let runs = 2_000u32;
    let started = Instant::now();
    for _ in 0..runs {
        black_box(book.summary(students.iter().copied(), &policy, None).expect("summary"));
    }
    let per_class = started.elapsed() / runs;
    println!(
        "class summary (30 students × 60 marks: weighted averages + term marks): {per_class:?} per class (goal ≤ 1 ms)"
    );

    c.bench_function("summary_30x60", |b| {
        b.iter(|| {
            book.summary(black_box(students.iter().copied()), &policy, None).expect("summary")
        })
    });
    let target = Fraction::parse("4.65").expect("number");
    c.bench_function("what_if_any_30x60", |b| {
        b.iter(|| {
            for s in &students {
                black_box(
                    book.what_if_any(*s, &policy, None, WorkTypeId::from_u128(1), target)
                        .expect("what-if"),
                );
            }
        })
    });
    c.bench_function("explain_average_30x60", |b| {
        b.iter(|| {
            for s in &students {
                black_box(book.explain_average(*s, &policy, None).expect("explanation"));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
