//! A lesson: its criteria, and the techniques run on them.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::{CriterionId, LessonId};

use crate::components::traffic_light::TrafficLightRun;
use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// The lesson in the address. Each criterion can run светофор; one technique runs at a time.
#[component]
pub fn LessonPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let params = use_params_map();
    let lesson_id =
        move || params.with(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()));
    let lesson = move || {
        let id = lesson_id()?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    };
    let (running, set_running) = signal(None::<CriterionId>);
    let (saved, set_saved) = signal(None::<usize>);
    view! {
        {move || {
            let Some(lesson) = lesson() else {
                return view! { <p class="card" data-testid="lesson-not-found">{t!(i18n, lesson_not_found)}</p> }.into_any();
            };
            let class = data.classes.with(|c| c.iter().find(|c| c.id == lesson.class()).cloned());
            let class_name = class.as_ref().map(|c| c.name.to_string()).unwrap_or_default();
            let class_id = lesson.class();
            let date = lesson.date();
            let criteria = lesson.criteria().to_vec();
            let lesson_for_run = lesson.clone();
            let no_class = class.is_none();
            view! {
                <section class="card">
                    <p class="muted">
                        <A href=format!("/classes/{class_id}")>{class_name}</A>
                        {move || format!(" · {}", format::date(i18n, date))}
                    </p>
                    <h1 data-testid="lesson-title">{lesson.topic().to_string()}</h1>
                    <h2>{t!(i18n, lesson_criteria_heading)}</h2>
                    <ol class="criteria" data-testid="criteria">
                        {criteria
                            .into_iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let id = c.id();
                                let count = move || data.journal.with(|j| j.for_criterion(id).count());
                                view! {
                                    <li class="criterion">
                                        <span class="criterion-text">{c.text().to_string()}</span>
                                        <span class="muted" data-testid=format!("criterion-count-{i}")>
                                            {move || format::records(i18n, count())}
                                        </span>
                                        <button
                                            class="btn"
                                            data-testid=format!("run-traffic-light-{i}")
                                            disabled=move || running.get().is_some() || no_class
                                            on:click=move |_| {
                                                set_saved.set(None);
                                                set_running.set(Some(id));
                                            }
                                        >
                                            {t!(i18n, run_traffic_light)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                    {move || saved.get().map(|n| view! {
                        <p class="notice" role="status" data-testid="saved-notice">
                            {move || t_string!(i18n, saved_records, records = format::records(i18n, n)).to_string()}
                        </p>
                    })}
                </section>
                {move || {
                    let criterion = running.get()?;
                    let class = class.clone()?;
                    Some(view! {
                        <TrafficLightRun
                            class=class
                            lesson=lesson_for_run.clone()
                            criterion=criterion
                            on_close=Callback::new(move |n: usize| {
                                set_running.set(None);
                                set_saved.set(Some(n));
                            })
                        />
                    })
                }}
            }
                .into_any()
        }}
    }
}
