//! The teacher's home: classes, rubrics and recent lessons.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// Classes with their size, the latest lessons, and the way to create a class.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let recent = move || {
        let mut lessons = data.lessons.get();
        lessons.sort_by_key(|l| std::cmp::Reverse(l.date()));
        lessons.truncate(8);
        lessons
    };
    let class_name =
        move |id| data.classes.with(|c| c.iter().find(|c| c.id == id).map(|c| c.name.to_string()));
    view! {
        <section class="hero">
            <h1>{t!(i18n, app_title)}</h1>
            <p class="muted">{t!(i18n, app_tagline)}</p>
        </section>
        <section class="card">
            <div class="card-head">
                <h2>{t!(i18n, home_classes)}</h2>
                <A href="/classes/new" attr:class="btn primary" attr:data-testid="new-class">
                    {t!(i18n, home_new_class)}
                </A>
            </div>
            <Show
                when=move || data.classes.with(|c| !c.is_empty())
                fallback=move || view! { <p class="muted" data-testid="no-classes">{t!(i18n, home_no_classes)}</p> }
            >
                <ul class="tiles" data-testid="class-list">
                    <For each=move || data.classes.get() key=|c| c.id let:class>
                        <li>
                            <A href=format!("/classes/{}", class.id) attr:class="tile" attr:data-testid="class-link">
                                <span class="tile-title">{class.name.to_string()}</span>
                                <span class="muted">
                                    {
                                        let n = class.students().len();
                                        move || format::students(i18n, n)
                                    }
                                </span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
        <section class="card">
            <div class="card-head">
                <h2>{t!(i18n, rubrics_title)}</h2>
                <A href="/rubrics" attr:class="btn" attr:data-testid="home-rubrics">
                    {t!(i18n, home_rubrics)}
                </A>
            </div>
            <p class="muted" data-testid="home-rubric-count">
                // Until the stored rubrics are read, no count rather than a wrong «0 рубрик».
                {move || {
                    data.stored_ready
                        .get()
                        .then(|| format::rubrics(i18n, data.rubrics.with(Vec::len)))
                }}
            </p>
        </section>
        <section class="card">
            <h2>{t!(i18n, home_recent_lessons)}</h2>
            <Show
                when=move || data.lessons.with(|l| !l.is_empty())
                fallback=move || view! { <p class="muted">{t!(i18n, home_no_lessons)}</p> }
            >
                <ul class="list" data-testid="recent-lessons">
                    <For each=recent key=|l| l.id() let:lesson>
                        {
                            let href = format!("/lessons/{}", lesson.id());
                            let topic = lesson.topic().to_string();
                            let date = lesson.date();
                            let class = lesson.class();
                            view! {
                                <li>
                                    <A href=href attr:data-testid="lesson-link">
                                        <b>{topic}</b>
                                    </A>
                                    <span class="muted">
                                        {move || {
                                            format!(
                                                " · {} · {}",
                                                class_name(class).unwrap_or_default(),
                                                format::date(i18n, date),
                                            )
                                        }}
                                    </span>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}
