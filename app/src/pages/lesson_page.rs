//! A lesson: its criteria, who answers (the students or the teacher, `AssessorChoice`), and the
//! techniques run on them — per criterion the fixed scales, on
//! the whole lesson the lesson-scope techniques (exit ticket, 3-2-1, …) — and the shared
//! tablet: the technique students answer there (carried in the tablet's address, so the tablet
//! page builds the same `LiveRun`s a student's own device will) and the pairs of peer feedback;
//! when a school server served the app, the same techniques from the students' own tablets
//! (`LiveSession`).
//!
//! The page shows what it reads through memos, so another tab's save of other lessons or classes
//! does not render it again; the run in progress lives in the tab's [`Runs`](crate::runs::Runs)
//! context, so even a change to this lesson or its class keeps every answer.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use lesenka_core::evidence::Source;
use lesenka_core::ids::LessonId;
use lesenka_core::live::{LiveError, LiveRun, On};
use lesenka_core::technique::{Technique, TechniqueKind};

use crate::components::assessor_choice::AssessorChoice;
use crate::components::criterion_row::CriterionRow;
use crate::components::lesson_summary::LessonSummary;
use crate::components::live_session::LiveSession;
use crate::components::peer_pairs::PeerPairsEditor;
use crate::components::save_outcome::SaveOutcome;
use crate::components::sheet_buttons::SheetButtons;
use crate::components::technique_picker::{TechniquePicker, lesson_kinds};
use crate::components::technique_run::TechniqueRun;
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, use_runs};
use crate::state::{use_data, use_projector};

/// The criteria list's own styles: each criterion over its technique chooser (in this lazily
/// loaded page, so the first load's CSS does not carry them).
const LESSON_CSS: &str = "\
.criterion{flex-direction:column;align-items:stretch}\
.criterion-line{display:flex;gap:1rem;align-items:center}\
.technique-picker{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;padding-top:.4rem}\
.technique-picker label{display:flex;flex-direction:column}\
.assessor{border:0;padding:0;margin:0 0 .6rem;display:flex;flex-wrap:wrap;gap:1rem}\
.assessor legend{padding:0;margin-bottom:.3rem}.assessor-option{min-height:44px;display:flex;align-items:center}\
.peer-list{columns:2;padding-left:1.4rem}.peer-list label{display:flex;flex-direction:column;margin:.2rem 0}";

/// The kinds a student answers alone on the shared tablet: all but peer feedback, which has
/// its own pairing.
fn tablet_kinds() -> Vec<TechniqueKind> {
    TechniqueKind::ALL.into_iter().filter(|k| *k != TechniqueKind::TwoStarsAndAWish).collect()
}

/// The shared tablet's address for a lesson and the technique its students answer.
fn tablet_address(lesson: LessonId, technique: &Technique) -> String {
    // A technique always serialises.
    let json = serde_json::to_string(technique).unwrap_or_default();
    format!("/s/lessons/{lesson}?technique={}", js_sys::encode_uri_component(&json))
}

/// The lesson in the address. Each criterion can run any fixed-scale technique; one technique
/// runs at a time.
#[component]
pub fn LessonPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let runs = use_runs();
    let projector = use_projector();
    let params = use_params_map();
    let lesson_id = Memo::new(move |_| {
        params.with(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()))
    });
    let current_lesson = Memo::new(move |_| {
        let id = lesson_id.get()?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let current_class = Memo::new(move |_| {
        let class_id = current_lesson.with(|l| l.as_ref().map(|l| l.class()))?;
        data.classes.with(|c| c.iter().find(|c| c.id == class_id).cloned())
    });
    let running = Memo::new(move |_| runs.running(lesson_id.get()?));
    let (saved, set_saved) = signal(None::<Closed>);
    let (start_error, set_start_error) = signal(None::<LiveError>);
    // Who answers the next run: the students themselves unless the teacher says it is theirs.
    let assessor = RwSignal::new(Source::SelfAssessment);
    view! {
        {move || {
            let Some(lesson) = current_lesson.get() else {
                return view! { <p class="card" data-testid="lesson-not-found">{t!(i18n, lesson_not_found)}</p> }.into_any();
            };
            let class = current_class.get();
            let class_name = class.as_ref().map(|c| c.name.to_string()).unwrap_or_default();
            let class_id = lesson.class();
            let date = lesson.date();
            let criteria = lesson.criteria().to_vec();
            let topic = lesson.topic().to_string();
            let no_class = class.is_none();
            let lesson_id_now = lesson.id();
            let start = move |on: On, technique: Technique| {
                let (Some(lesson), Some(class)) =
                    (current_lesson.get_untracked(), current_class.get_untracked())
                else {
                    return;
                };
                set_saved.set(None);
                // Peer feedback typed in by the teacher is about the tile's student, by a peer.
                let source = if technique.kind() == TechniqueKind::TwoStarsAndAWish {
                    Source::Peer
                } else {
                    assessor.get_untracked()
                };
                match LiveRun::for_class(&lesson, on, technique, source, &class) {
                    Ok(run) => {
                        runs.start(run);
                        set_start_error.set(None);
                    }
                    Err(e) => set_start_error.set(Some(e)),
                }
            };
            let disabled = Signal::derive(move || running.get().is_some() || no_class);
            view! {
                <section class="card">
                    <style>{LESSON_CSS}</style>
                    <p class="muted">
                        <A href=format!("/classes/{class_id}")>{class_name}</A>
                        {move || format!(" · {}", format::date(i18n, date))}
                    </p>
                    <h1 data-testid="lesson-title">{lesson.topic().to_string()}</h1>
                    <p><A href=format!("/lessons/{}/map", lesson.id()) attr:data-testid="open-map">{t!(i18n, map_open)}</A></p>
                    <h2>{t!(i18n, lesson_criteria_heading)}</h2>
                    <AssessorChoice source=assessor disabled=Signal::derive(move || running.get().is_some()) />
                    <ol class="criteria" data-testid="criteria">
                        {criteria
                            .iter()
                            .cloned()
                            .enumerate()
                            .map(|(i, c)| {
                                let id = c.id();
                                view! {
                                    <CriterionRow
                                        index=i
                                        criterion=c
                                        disabled=disabled
                                        on_start=Callback::new(move |t: Technique| start(On::Criterion(id), t))
                                    />
                                }
                            })
                            .collect_view()}
                    </ol>
                    {move || start_error.get().map(|e| view! {
                        <p class="error" role="alert" data-testid="run-error">{move || format::live_error(i18n, &e)}</p>
                    })}
                    <h2>{t!(i18n, lesson_techniques_heading)}</h2>
                    <TechniquePicker
                        index=0
                        prefix="lesson-"
                        kinds=lesson_kinds()
                        disabled=disabled
                        on_start=Callback::new(move |t: Technique| start(On::Lesson, t))
                    />
                    <SaveOutcome outcome=saved />
                </section>
                <section class="card tablet-setup" data-testid="tablet-setup">
                    <h2>{t!(i18n, tablet_setup_heading)}</h2>
                    <p class="muted">{t!(i18n, tablet_setup_hint)}</p>
                    <TechniquePicker
                        index=0
                        prefix="tablet-"
                        kinds=tablet_kinds()
                        tablet=true
                        disabled=Signal::derive(move || no_class)
                        on_start=Callback::new(move |t: Technique| {
                            use_navigate()(&tablet_address(lesson_id_now, &t), Default::default());
                        })
                    />
                </section>
                // Served by a school server: the same techniques from the students' own tablets.
                <LiveSession lesson=lesson.clone() class=class.clone() />
                // Names of the pairs: the teacher's screen only, never in projector mode.
                {move || (!projector.0.get()).then(|| class.clone().map(|class| view! { <PeerPairsEditor lesson=lesson_id_now class=class /> }))}
                // The lesson's records as a spreadsheet: the teacher's screen only (names).
                {move || (!projector.0.get()).then(|| view! {
                    <section class="card" data-testid="lesson-sheets" aria-labelledby="lesson-sheets-heading">
                        <h2 id="lesson-sheets-heading">{t!(i18n, lesson_sheets_heading)}</h2>
                        <SheetButtons class=class_id lesson=lesson_id_now />
                    </section>
                })}
                {move || {
                    let lesson = current_lesson.get()?;
                    running.get().is_none().then(|| view! {
                        <LessonSummary lesson=lesson class=current_class.get() />
                    })
                }}
                {move || {
                    let run = running.get()?;
                    let class = current_class.get()?;
                    let question = match run.1 {
                        On::Criterion(id) => criteria.iter().find(|c| c.id() == id)?.text().to_string(),
                        On::Lesson => topic.clone(),
                    };
                    Some(view! {
                        <TechniqueRun
                            class=class
                            run=run
                            question=question
                            on_close=Callback::new(move |closed: Option<Closed>| set_saved.set(closed))
                        />
                    })
                }}
            }
                .into_any()
        }}
    }
}
