//! Student mode (/s): a full-screen tablet view with large touch targets.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// The lessons a student can answer for, newest first, as large buttons.
#[component]
pub fn StudentMode() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let lessons = move || {
        let mut list = data.lessons.get();
        list.sort_by_key(|l| std::cmp::Reverse(l.date()));
        list.truncate(12);
        list
    };
    // The questionnaires a tablet can be handed round for, newest first.
    let runs = move || {
        let mut list = data.diagnostics.get();
        list.sort_by_key(|r| std::cmp::Reverse((r.date(), r.id())));
        list.truncate(6);
        list
    };
    view! {
        <section class="student-mode" data-testid="student-mode">
            <h1>{t!(i18n, student_pick_lesson)}</h1>
            <Show
                when=move || data.lessons.with(|l| !l.is_empty())
                fallback=move || view! { <p class="big muted">{t!(i18n, student_no_lessons)}</p> }
            >
                <div class="big-grid">
                    <For each=lessons key=|l| l.id() let:lesson>
                        {
                            let class = data.classes.with(|c| {
                                c.iter().find(|c| c.id == lesson.class()).map(|c| c.name.to_string())
                            });
                            let date = lesson.date();
                            let map_href = format!("/s/lessons/{}/map", lesson.id());
                            view! {
                                <A href=format!("/s/lessons/{}", lesson.id()) attr:class="big-button" attr:data-testid="student-lesson">
                                    <span class="big-title">{lesson.topic().to_string()}</span>
                                    <span>{class.unwrap_or_default()} " · " {move || format::date(i18n, date)}</span>
                                </A>
                                <A href=map_href attr:class="big-button" attr:data-testid="student-lesson-map">{t!(i18n, map_open)}</A>
                            }
                        }
                    </For>
                </div>
            </Show>
            <Show when=move || data.diagnostics.with(|d| !d.is_empty())>
                <h2>{t!(i18n, diag_tablet_pick)}</h2>
                <div class="big-grid">
                    <For each=runs key=|r| r.id() let:run>
                        {
                            let class = data.classes.with(|c| {
                                c.iter().find(|c| c.id == run.class()).map(|c| c.name.to_string())
                            });
                            let date = run.date();
                            let luskanova = run.is_luskanova();
                            view! {
                                <A href=format!("/s/diagnostics/{}", run.id()) attr:class="big-button" attr:data-testid="student-diagnostic">
                                    <span class="big-title">{move || if luskanova { t_string!(i18n, diag_luskanova) } else { t_string!(i18n, diag_survey) }}</span>
                                    <span>{class.unwrap_or_default()} " · " {move || format::date(i18n, date)}</span>
                                </A>
                            }
                        }
                    </For>
                </div>
            </Show>
            <A href="/" attr:class="btn ghost" attr:data-testid="student-exit">{t!(i18n, student_exit)}</A>
        </section>
    }
}
