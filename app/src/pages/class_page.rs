//! A class: its roster, its lessons and its evidence.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::ClassId;

use crate::components::evidence_table::EvidenceTable;
use crate::components::sheet_buttons::SheetButtons;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The class named in the address.
#[component]
pub fn ClassPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let class_id = move || params.with(|p| p.get("class").and_then(|s| s.parse::<ClassId>().ok()));
    let class = move || {
        let id = class_id()?;
        data.classes.with(|c| c.iter().find(|c| c.id == id).cloned())
    };
    let records = Signal::derive(move || {
        let Some(id) = class_id() else { return Vec::new() };
        data.journal.with(|j| j.for_class(id).cloned().collect::<Vec<_>>())
    });
    let lessons = move || {
        let Some(id) = class_id() else { return Vec::new() };
        let mut list: Vec<_> =
            data.lessons.with(|l| l.iter().filter(|l| l.class() == id).cloned().collect());
        list.sort_by_key(|l| std::cmp::Reverse(l.date()));
        list
    };
    view! {
        {move || match class() {
            None => view! { <p class="card" data-testid="class-not-found">{t!(i18n, class_not_found)}</p> }.into_any(),
            Some(class) => {
                let id = class.id;
                let students = class.students().to_vec();
                let count = students.len();
                view! {
                    <section class="card">
                        <div class="card-head">
                            <div>
                                <h1 data-testid="class-title">{class.name.to_string()}</h1>
                                <p class="muted" data-testid="class-size">{move || format::students(i18n, count)}</p>
                            </div>
                            <div class="actions">
                                <A href=format!("/classes/{id}/gradebook") attr:class="btn" attr:data-testid="open-gradebook">
                                    {t!(i18n, gradebook_open)}
                                </A>
                                <A href=format!("/classes/{id}/calibration") attr:class="btn" attr:data-testid="open-calibration">
                                    {t!(i18n, calib_open)}
                                </A>
                                <A href=format!("/classes/{id}/mastery") attr:class="btn" attr:data-testid="open-mastery">
                                    {t!(i18n, mastery_open)}
                                </A>
                                <A href=format!("/classes/{id}/diagnostics") attr:class="btn" attr:data-testid="open-diagnostics">
                                    {t!(i18n, diag_open)}
                                </A>
                                <A href=format!("/classes/{id}/lessons/new") attr:class="btn primary" attr:data-testid="new-lesson">
                                    {t!(i18n, new_lesson)}
                                </A>
                            </div>
                        </div>
                        <h2>{t!(i18n, class_roster)}</h2>
                        <ol class="roster" data-testid="roster-list">
                            {students
                                .into_iter()
                                .map(|s| {
                                    let name = s.display_name.to_string();
                                    let pseudonym = s.pseudonym.as_str().to_owned();
                                    view! {
                                        <li data-testid="roster-student">
                                            <A href=format!("/classes/{id}/students/{}", s.id)>
                                                {move || if projector.0.get() { pseudonym.clone() } else { name.clone() }}
                                            </A>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
                    .into_any()
            }
        }}
        <section class="card">
            <h2>{t!(i18n, class_lessons)}</h2>
            <ul class="list" data-testid="class-lessons">
                <For each=lessons key=|l| l.id() let:lesson>
                    {
                        let href = format!("/lessons/{}", lesson.id());
                        let topic = lesson.topic().to_string();
                        let date = lesson.date();
                        view! {
                            <li>
                                <A href=href attr:data-testid="lesson-link">
                                    <b>{topic}</b>
                                </A>
                                {move || format!(" · {}", format::date(i18n, date))}
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
        {move || class_id().map(|id| view! {
            <section class="card">
                <h2>{t!(i18n, sheet_title)}</h2>
                <SheetButtons class=id />
            </section>
        })}
        <section class="card">
            <div class="card-head">
                <h2>{t!(i18n, class_evidence)}</h2>
                <span class="muted" data-testid="evidence-count">
                    {move || format::records(i18n, records.with(Vec::len))}
                </span>
            </div>
            <Show
                when=move || records.with(|r| !r.is_empty())
                fallback=move || {
                    if data.stored_ready.get() {
                        view! { <p class="muted">{t!(i18n, class_no_evidence)}</p> }.into_any()
                    } else {
                        view! { <p class="muted" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> }.into_any()
                    }
                }
            >
                <EvidenceTable records=records show_student=true />
            </Show>
        </section>
    }
}
