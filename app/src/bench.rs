//! `window.lesenkaBench`: timings of the real storage code path, for the browser benchmark.
//!
//! `lesenkaBench.appendOne()` appends one evidence record (one new chunk plus the index update)
//! and returns the milliseconds it took; `lesenkaBench.loadYear(n)` stores a class-year journal
//! of `n` records (30 students, one chunk per lesson and criterion), then returns the milliseconds
//! taken to load it back into a journal; `lesenkaBench.countUse(n)` stores the same and times
//! counting the storage in use over every key. They use a scratch namespace, never the teacher's data.
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
}

/// Runs one timing; milliseconds, or -1 when it failed. Lazily loaded (one split point for
/// all the benchmark's code).
#[lazy]
pub fn time(what: Timed) -> f64 {
    match what {
        Timed::AppendOne => append_one(),
        Timed::LoadYear(n) => load_year(n),
        Timed::CountUse(n) => count_use(n),
    }
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
    let clear = Closure::<dyn Fn()>::new(|| SCRATCH.clear_namespace());
    let _ = js_sys::Reflect::set(&bench, &"appendOne".into(), append.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"loadYear".into(), load.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"countUse".into(), count.as_ref());
    let _ = js_sys::Reflect::set(&bench, &"clear".into(), clear.as_ref());
    let _ = js_sys::Reflect::set(&window, &"lesenkaBench".into(), &JsValue::from(bench));
    // They live as long as the page.
    append.forget();
    load.forget();
    count.forget();
    clear.forget();
}
