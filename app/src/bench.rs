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
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Journal, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::technique::{Light, Response, TechniqueKind};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::future_to_promise;

use crate::clock;
use crate::storage::Store;

const SCRATCH: Store = Store::scratch("lesenka-bench.");
const STUDENTS: usize = 30;
const CRITERIA: usize = 3;

/// A synthetic record number `i` of a class-year.
fn synthetic(i: usize) -> Option<EvidenceRecord> {
    let per_lesson = STUDENTS * CRITERIA;
    let lesson = i / per_lesson;
    let criterion = (i / STUDENTS) % CRITERIA;
    let student = i % STUDENTS;
    let start = NaiveDate::from_ymd_opt(2025, 9, 1)?;
    let date = start.checked_add_days(Days::new((lesson / 2) as u64))?;
    EvidenceRecord::new(EvidenceDraft {
        id: EvidenceId::from_u128(0xbe00_0000_0000 + i as u128),
        lesson: LessonId::from_u128(0x1e00_0000 + lesson as u128),
        lesson_date: date,
        class: ClassId::from_u128(0xc1),
        student: Some(StudentId::from_u128(0x5700 + student as u128)),
        criterion: CriterionId::from_u128(0xc700 + (lesson * CRITERIA + criterion) as u128),
        technique: TechniqueKind::TrafficLight,
        value: Response::Light(Light::ALL[(i * 7 + lesson) % 3]),
        source: Source::SelfAssessment,
        recorded_at: clock::now(),
    })
    .ok()
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
    let Some(template) = synthetic(0) else { return -1.0 };
    let mut draft = template.as_draft().clone();
    draft.id = EvidenceId::from_uuid(clock::new_uuid());
    let Ok(record) = EvidenceRecord::new(draft) else { return -1.0 };
    let start = clock::performance_now();
    let ok = SCRATCH.append_records(&[record]).is_ok();
    let took = clock::performance_now() - start;
    if ok { took } else { -1.0 }
}

/// Stores `n` synthetic records as a class-year in the scratch namespace (one chunk per lesson
/// and criterion); the records, or `None` (scratch cleared) when storing failed.
fn store_year(n: u32) -> Option<Vec<EvidenceRecord>> {
    SCRATCH.clear_namespace();
    let records: Vec<EvidenceRecord> = (0..n as usize).filter_map(synthetic).collect();
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
