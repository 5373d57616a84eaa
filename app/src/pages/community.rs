//! The community (ПОС) leader's page: what exists, and technique use by month.

use leptos::prelude::*;

use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// Totals of classes, lessons and records, and how often each technique was used per month.
#[component]
pub fn Community() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let rows = move || {
        data.journal.with(|j| {
            j.monthly_technique_counts()
                .into_iter()
                .flat_map(|(month, counts)| {
                    counts.into_iter().map(move |(kind, n)| (month, kind, n))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card">
            <h1>{t!(i18n, community_title)}</h1>
            <p class="muted">{t!(i18n, community_intro)}</p>
            <p class="totals" data-testid="community-totals">
                {move || {
                    let classes = format::classes(i18n, data.classes.with(Vec::len));
                    let lessons = format::lessons(i18n, data.lessons.with(Vec::len));
                    let records = format::records(i18n, data.journal.with(|j| j.len()));
                    t_string!(i18n, community_totals, classes, lessons, records).to_string()
                }}
            </p>
        </section>
        <section class="card">
            <h2>{t!(i18n, community_by_month)}</h2>
            <Show
                when=move || data.journal.with(|j| !j.is_empty())
                fallback=move || {
                    if data.stored_ready.get() {
                        view! { <p class="muted">{t!(i18n, community_empty)}</p> }.into_any()
                    } else {
                        view! { <p class="muted" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> }.into_any()
                    }
                }
            >
                <table class="evidence" data-testid="technique-months">
                    <thead>
                        <tr>
                            <th>{t!(i18n, community_month)}</th>
                            <th>{t!(i18n, community_technique)}</th>
                            <th>{t!(i18n, community_count)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows()
                                .into_iter()
                                .map(|(month, kind, n)| {
                                    view! {
                                        <tr>
                                            <td>{move || format!("{} {}", format::month_name(i18n, month.month()), month.year())}</td>
                                            <td>{move || format::technique(i18n, kind)}</td>
                                            <td>{n}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
