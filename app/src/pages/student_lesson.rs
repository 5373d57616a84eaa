//! A student's self-assessment on a shared tablet: pick your name, tap a light per criterion.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Source};
use lesenka_core::ids::{CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::technique::{Light, Response, Technique, TechniqueKind};

use crate::clock;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_status};

/// One student at a time answers светофор for each of the lesson's criteria; the answers are
/// saved as self-assessment evidence, and the tablet returns to the name list.
#[component]
pub fn StudentLesson() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let params = use_params_map();
    let lesson = move || {
        let id = params.with(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()))?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    };
    let (who, set_who) = signal(None::<StudentId>);
    let (chosen, set_chosen) = signal(BTreeMap::<CriterionId, Light>::new());
    let (done, set_done) = signal(false);

    let submit = move |_| {
        let (Some(lesson), Some(student)) = (lesson(), who.get_untracked()) else { return };
        let now = clock::now();
        let records: Vec<EvidenceRecord> = chosen
            .get_untracked()
            .into_iter()
            .filter_map(|(criterion, light)| {
                let value = Response::Light(light);
                Technique::TrafficLight.accept(&value).ok()?;
                EvidenceRecord::new(EvidenceDraft {
                    id: EvidenceId::from_uuid(clock::new_uuid()),
                    lesson: lesson.id(),
                    lesson_date: lesson.date(),
                    class: lesson.class(),
                    student: Some(student),
                    criterion,
                    technique: TechniqueKind::TrafficLight,
                    value,
                    source: Source::SelfAssessment,
                    recorded_at: now,
                })
                .ok()
            })
            .collect();
        let _ = data.record(status, records);
        set_done.set(true);
    };
    let next = move |_| {
        set_who.set(None);
        set_chosen.set(BTreeMap::new());
        set_done.set(false);
    };
    view! {
        <section class="student-mode" data-testid="student-lesson-page">
            {move || {
                let Some(lesson) = lesson() else {
                    return view! { <p class="big">{t!(i18n, lesson_not_found)}</p> }.into_any();
                };
                let class = data.classes.with(|c| c.iter().find(|c| c.id == lesson.class()).cloned());
                if done.get() {
                    return view! {
                        <p class="big" role="status" data-testid="student-thanks">{t!(i18n, student_thanks)}</p>
                        <button class="big-button" data-testid="student-next" on:click=next>{t!(i18n, student_next)}</button>
                    }.into_any();
                }
                match who.get() {
                    None => {
                        let students = class.map(|c| c.students().to_vec()).unwrap_or_default();
                        view! {
                            <h1>{lesson.topic().to_string()}</h1>
                            <h2>{t!(i18n, student_pick_name)}</h2>
                            <div class="big-grid">
                                {students.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <button class="big-button" data-testid=format!("pick-{id}") on:click=move |_| set_who.set(Some(id))>
                                            {s.display_name.to_string()}
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    Some(_) => {
                        let criteria = lesson.criteria().to_vec();
                        view! {
                            <h1>{lesson.topic().to_string()}</h1>
                            <p class="big">{t!(i18n, student_how_sure)}</p>
                            {criteria.into_iter().enumerate().map(|(i, c)| {
                                let cid = c.id();
                                view! {
                                    <div class="self-criterion">
                                        <p class="big-title">{c.text().to_string()}</p>
                                        <div class="light-choices">
                                            {Light::ALL.into_iter().map(|l| {
                                                let selected = move || chosen.with(|m| m.get(&cid) == Some(&l));
                                                view! {
                                                    <button
                                                        class=move || format!("light-choice {}{}", format::light_class(l), if selected() { " selected" } else { "" })
                                                        aria-pressed=move || selected().to_string()
                                                        data-testid=format!("self-{i}-{}", format::light_class(l))
                                                        on:click=move |_| set_chosen.update(|m| { m.insert(cid, l); })
                                                    >
                                                        <b>{move || format::light(i18n, l)}</b>
                                                        <span>{move || format::light_meaning(i18n, l)}</span>
                                                    </button>
                                                }
                                            }).collect_view()}
                                        </div>
                                    </div>
                                }
                            }).collect_view()}
                            <button
                                class="big-button primary"
                                data-testid="student-submit"
                                disabled=move || chosen.with(BTreeMap::is_empty)
                                on:click=submit
                            >
                                {t!(i18n, close_technique)}
                            </button>
                        }.into_any()
                    }
                }
            }}
            <A href="/s" attr:class="btn ghost">{t!(i18n, back)}</A>
        </section>
    }
}
