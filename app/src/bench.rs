//! `window.lesenkaBench`: timings of the real storage code path, for the browser benchmark.
//!
//! `lesenkaBench.appendOne()` appends one evidence record (one new chunk plus the index update)
//! and returns the milliseconds it took; `lesenkaBench.loadYear(n)` stores a class-year journal
//! of `n` records (30 students, one chunk per lesson and criterion), then returns the milliseconds
//! taken to load it back into a journal; `lesenkaBench.countUse(n)` stores the same and times
//! counting the storage in use over every key; `lesenkaBench.indicators(n)` makes a community's
//! year of `n` records (12 teachers × 4 classes of 25 students, each lesson one technique on 2
//! criteria, as `crates/core/benches/community.rs` does) and times computing every goal
//! indicator of a plan over them (core's `measure_all`). They use a scratch namespace, never
//! the teacher's data.
//!
//! The timed code is lazy-loaded (`#[lazy]`), so a teacher's first load carries none of it; each
//! call returns a promise (WebDriver's "execute script" waits for it).

use chrono::{Days, NaiveDate};
use js_sys::Promise;
use leptos::lazy;
use lesenka_core::evidence::{EvidenceRecord, Journal, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::live::{LiveRun, On};
use lesenka_core::technique::{Light, Response, Technique};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::future_to_promise;

use crate::clock;
use crate::storage::Store;

const SCRATCH: Store = Store::scratch("lesenka-bench.");
const STUDENTS: usize = 30;
const CRITERIA: usize = 3;

/// The first `n` records of a synthetic class-year: 30 students answer светофор on 3 criteria
/// a lesson, two lessons a day from 1 September 2025, each lesson's criterion one core run closed
/// into records (as the app makes them), record `i` with id `first_id + i`. `None` if core
/// refused the fixed data (then the timing reports -1).
fn synthetic_year(n: usize, first_id: u128) -> Option<Vec<EvidenceRecord>> {
    let per_lesson = STUDENTS * CRITERIA;
    let start = NaiveDate::from_ymd_opt(2025, 9, 1)?;
    let roster: Vec<StudentId> =
        (0..STUDENTS).map(|s| StudentId::from_u128(0x5700 + s as u128)).collect();
    let now = clock::now();
    let mut records = Vec::with_capacity(n);
    for lesson_no in 0..n.div_ceil(per_lesson) {
        let date = start.checked_add_days(Days::new((lesson_no / 2) as u64))?;
        let criteria: Vec<(CriterionId, &str)> = (0..CRITERIA)
            .map(|c| {
                (CriterionId::from_u128(0xc700 + (lesson_no * CRITERIA + c) as u128), "критерий")
            })
            .collect();
        let id = LessonId::from_u128(0x1e00_0000 + lesson_no as u128);
        let lesson =
            Lesson::with_texts(id, ClassId::from_u128(0xc1), date, "урок", &criteria).ok()?;
        for (c, (criterion, _)) in criteria.iter().enumerate() {
            let first = lesson_no * per_lesson + c * STUDENTS;
            let on = On::Criterion(*criterion);
            let technique = Technique::TrafficLight;
            let mut run = LiveRun::new(
                &lesson,
                on,
                technique,
                Source::SelfAssessment,
                roster.iter().copied(),
            )
            .ok()?;
            for (s, student) in roster.iter().enumerate() {
                let light = Light::ALL[((first + s) * 7 + lesson_no) % 3];
                run.answer(*student, Response::Light(light)).ok()?;
            }
            let mut next = first as u128;
            let new_id = || {
                next += 1;
                EvidenceId::from_u128(first_id.wrapping_add(next - 1))
            };
            records.extend(run.close(new_id, now).ok()?);
        }
    }
    records.truncate(n);
    Some(records)
}

/// What the benchmark times.
#[derive(Debug, Clone, Copy)]
pub enum Timed {
    /// Appending one record.
    AppendOne,
    /// Loading a stored class-year of this many records.
    LoadYear(u32),
    /// Counting the storage in use with a class-year of this many records stored.
    CountUse(u32),
    /// Every goal indicator over a community year of this many records.
    Indicators(u32),
}

/// Runs one timing; milliseconds, or -1 when it failed. Lazily loaded (one split point for
/// all the benchmark's code).
#[lazy]
pub fn time(what: Timed) -> f64 {
    match what {
        Timed::AppendOne => append_one(),
        Timed::LoadYear(n) => load_year(n),
        Timed::CountUse(n) => count_use(n),
        Timed::Indicators(n) => indicators(n),
    }
}

/// A community's year: 12 teachers × 4 classes of 25 students, 250 lessons per class from
/// 1 September 2025 to the end of May, each lesson one technique (светофор, лесенка,
/// fist-to-five, thumbs) on 2 criteria, closed by core's `LiveRun` into records; the first `n`.
fn community_year(n: usize) -> Option<Vec<EvidenceRecord>> {
    use lesenka_core::technique::{TechniqueKind, Thumb};
    use lesenka_core::text::Lang;
    const PER_CLASS: u64 = 250;
    let start = NaiveDate::from_ymd_opt(2025, 9, 1)?;
    let now = clock::now();
    let mut records = Vec::with_capacity(n);
    let mut next_id: u128 = 0xc0_0000_0000;
    'all: for group in 0..48u128 {
        let class = ClassId::from_u128(0xc1a5_0000 + group);
        let roster: Vec<StudentId> =
            (0..25).map(|s| StudentId::from_u128(0x5700_0000 + group * 100 + s)).collect();
        for l in 0..PER_CLASS {
            let date = start.checked_add_days(Days::new(l * 272 / PER_CLASS))?;
            let criteria: Vec<(CriterionId, &str)> = (0..2)
                .map(|c| (CriterionId::from_u128(0xc700_0000 + group * 10 + c), "критерий"))
                .collect();
            let id = LessonId::from_u128(0x1e55_0000_0000 + group * 1000 + u128::from(l));
            let lesson = Lesson::with_texts(id, class, date, "урок", &criteria).ok()?;
            let pick = (group as u64 * 7 + l * 13) % 10;
            let kind = match pick {
                0..=3 => TechniqueKind::TrafficLight,
                4..=6 => TechniqueKind::Ladder,
                7 => TechniqueKind::FistToFive,
                _ => TechniqueKind::Thumbs,
            };
            let technique = Technique::default_of(kind, Lang::Ru);
            for (criterion, _) in &criteria {
                let mut run = LiveRun::new(
                    &lesson,
                    On::Criterion(*criterion),
                    technique.clone(),
                    Source::SelfAssessment,
                    roster.iter().copied(),
                )
                .ok()?;
                for (s, student) in roster.iter().enumerate() {
                    let k = (s as u64 + l) as usize;
                    let answer = match pick {
                        0..=3 => Response::Light(Light::ALL[k % 3]),
                        4..=6 => Response::Step(1 + (k % 3) as u8),
                        7 => Response::Fingers((k % 6) as u8),
                        _ => Response::Thumb(Thumb::ALL[k % 3]),
                    };
                    run.answer(*student, answer).ok()?;
                }
                let new_id = || {
                    next_id += 1;
                    EvidenceId::from_u128(next_id)
                };
                records.extend(run.close(new_id, now).ok()?);
                if records.len() >= n {
                    break 'all;
                }
            }
        }
    }
    records.truncate(n);
    Some(records)
}

/// Times every goal indicator (technique use for any technique and each fixed-scale one, open
/// lessons, the bank, every member, diagnostics, presentations, satisfaction) of a 12-member
/// plan over a community year of `n` records; -1 when the data could not be made.
fn indicators(n: u32) -> f64 {
    use lesenka_core::ids::{GoalId, MemberId, PlanId};
    use lesenka_core::plan::{
        Goal, Indicator, Member, MemberRole, Plan, PlanDraft, SchoolYear, measure_all,
    };
    use lesenka_core::technique::TechniqueKind;
    use lesenka_core::text::Name;
    let Some(records) = community_year(n as usize) else { return -1.0 };
    let members: Option<Vec<Member>> = (0..12u128)
        .map(|t| {
            let role = if t == 0 { MemberRole::Leader } else { MemberRole::Member };
            Member::new(MemberId::from_u128(t + 1), &format!("Учитель {}", t + 1), None, role).ok()
        })
        .collect();
    let mut kinds = vec![
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
        kinds.push(Indicator::TechniqueUse { technique: Some(t), lessons_per_month: 10 });
    }
    let (Ok(title), Ok(year), Some(members)) =
        (Name::parse("Цель"), SchoolYear::new(2025), members)
    else {
        return -1.0;
    };
    let goals = kinds
        .into_iter()
        .enumerate()
        .map(|(k, i)| Goal {
            id: GoalId::from_u128(k as u128 + 1),
            title: title.clone(),
            indicators: vec![i],
        })
        .collect();
    let Ok(plan) = Plan::new(PlanDraft {
        id: PlanId::from_u128(1),
        year,
        title: title.clone(),
        aim: None,
        tasks: vec![],
        members,
        events: vec![],
        goals,
        protocols: vec![],
        practices: vec![],
    }) else {
        return -1.0;
    };
    let Some(as_of) = NaiveDate::from_ymd_opt(2026, 5, 31) else { return -1.0 };
    let inputs = plan.goal_inputs(as_of, &records, &[], 25);
    let start = clock::performance_now();
    let measured = measure_all(&plan.draft().goals, &inputs);
    let took = clock::performance_now() - start;
    // The figure only counts when every indicator was measured and the year was whole.
    let whole = records.len() == n as usize && measured.iter().flatten().count() == 12;
    if whole { took } else { -1.0 }
}

/// Appends one record; milliseconds, or -1 when the save failed.
fn append_one() -> f64 {
    let first_id = clock::new_uuid().as_u128();
    let Some(record) = synthetic_year(1, first_id).and_then(|r| r.into_iter().next()) else {
        return -1.0;
    };
    let start = clock::performance_now();
    let ok = SCRATCH.append_records(&[record]).is_ok();
    let took = clock::performance_now() - start;
    if ok { took } else { -1.0 }
}

/// Stores `n` synthetic records as a class-year in the scratch namespace (one chunk per lesson
/// and criterion); the records, or `None` (scratch cleared) when storing failed.
fn store_year(n: u32) -> Option<Vec<EvidenceRecord>> {
    SCRATCH.clear_namespace();
    let records = synthetic_year(n as usize, 0xbe00_0000_0000)?;
    for chunk in records.chunks(STUDENTS) {
        if SCRATCH.append_records(chunk).is_err() {
            SCRATCH.clear_namespace();
            return None;
        }
    }
    Some(records)
}

/// Stores `n` records as a class-year and times loading them; -1 when storing failed.
fn load_year(n: u32) -> f64 {
    let Some(records) = store_year(n) else { return -1.0 };
    let start = clock::performance_now();
    let (loaded, _) = SCRATCH.load_journal();
    let (journal, _) = Journal::from_records(loaded);
    let took = clock::performance_now() - start;
    let complete = journal.len() == records.len();
    SCRATCH.clear_namespace();
    if complete { took } else { -1.0 }
}

/// Stores `n` records as a class-year and times counting the storage in use over every key
/// (done once per tab, and again after another tab's change). Checks on the way that the count
/// the writes kept up to date agrees with a full count, after storing and after clearing; -1
/// when storing failed or they disagree.
fn count_use(n: u32) -> f64 {
    let _ = SCRATCH.used_bytes();
    if store_year(n).is_none() {
        return -1.0;
    }
    let kept = SCRATCH.used_bytes();
    let start = clock::performance_now();
    let counted = SCRATCH.count_used_bytes();
    let took = clock::performance_now() - start;
    SCRATCH.clear_namespace();
    let agree = kept == counted && SCRATCH.used_bytes() == SCRATCH.count_used_bytes();
    if counted > 0 && agree { took } else { -1.0 }
}

/// Adds `lesenkaBench.exportText()`: a promise of the text the export button would download
/// (for tests).
pub fn install_export(data: crate::state::Data, status: crate::state::Status) {
    let Some(window) = web_sys::window() else { return };
    let Ok(bench) = js_sys::Reflect::get(&window, &"lesenkaBench".into()) else { return };
    let export = Closure::<dyn Fn() -> Promise>::new(move || {
        future_to_promise(async move {
            data.stored_loaded(status).await;
            Ok(JsValue::from(crate::transfer::export_text(data).await))
        })
    });
    let _ = js_sys::Reflect::set(&bench, &"exportText".into(), export.as_ref());
    export.forget();
}

/// Puts `lesenkaBench` on `window`.
pub fn install() {
    let Some(window) = web_sys::window() else { return };
    let bench = js_sys::Object::new();
    let append = Closure::<dyn Fn() -> Promise>::new(|| {
        future_to_promise(async { Ok(JsValue::from_f64(time(Timed::AppendOne).await)) })
    });
    let load = Closure::<dyn Fn(u32) -> Promise>::new(|n| {
        future_to_promise(async move { Ok(JsValue::from_f64(time(Timed::LoadYear(n)).await)) })
    });
    let count = Closure::<dyn Fn(u32) -> Promise>::new(|n| {
        future_to_promise(async move { Ok(JsValue::from_f64(time(Timed::CountUse(n)).await)) })
    });
    let indicators = Closure::<dyn Fn(u32) -> Promise>::new(|n| {
        future_to_promise(async move { Ok(JsValue::from_f64(time(Timed::Indicators(n)).await)) })
    });
    let clear = Closure::<dyn Fn()>::new(|| SCRATCH.clear_namespace());
    let _ = js_sys::Reflect::set(&bench, &"appendOne".into(), append.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"loadYear".into(), load.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"countUse".into(), count.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"clear".into(), clear.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"indicators".into(), indicators.as_ref());
    let _ = js_sys::Reflect::set(&window, &"lesenkaBench".into(), &JsValue::from(bench));
    // They live as long as the page.
    append.forget();
    load.forget();
    count.forget();
    clear.forget();
    indicators.forget();
}
