//! The community (ПОС) leader's page: the chosen plan's community, aim and tasks
//! (`community_members.rs`), open lessons' protocols (`community_protocol.rs`), its goals measured from evidence (`community_goals.rs`), its
//! year as a calendar (`community_calendar.rs`), members' bundles imported
//! (`community_bundles.rs`), then what exists and technique use by month. Plans come in
//! through `/pos/import` (`plan_import.rs`); the chosen plan's bank of practices is
//! `/pos/practices` (`practices.rs`) and its year's report `/pos/report` (`report.rs`).

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::ids::PlanId;

use crate::components::community_bundles::CommunityBundles;
use crate::components::community_calendar::CommunityCalendar;
use crate::components::community_diagnostics::CommunityDiagnostics;
use crate::components::community_goals::CommunityGoals;
use crate::components::community_members::CommunityMembers;
use crate::components::community_protocol::CommunityProtocol;
use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// `path` for the chosen plan (`?plan=…`).
fn plan_link(path: &str, plan: Option<PlanId>) -> String {
    plan.map_or_else(|| path.to_owned(), |id| format!("{path}?plan={id}"))
}

/// The chosen plan (the latest one unless another is picked), its parts, the bundles, then
/// totals of classes, lessons and records and how often each technique was used per month.
#[component]
pub fn Community() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let (chosen, set_chosen) = signal(None::<PlanId>);
    let plan: Signal<Option<lesenka_core::plan::Plan>> =
        data.chosen_plan(move || chosen.get()).into();
    let has_plan = move || plan.with(Option::is_some);
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
        <nav class="card card-head" aria-label=move || t_string!(i18n, pos_plans).to_string()>
            <A href="/pos/import" attr:class="btn primary" attr:data-testid="pos-import-link">
                {t!(i18n, pos_import_link)}
            </A>
            <Show when=has_plan>
                <a class="btn" data-testid="pos-practices-link" href=move || plan_link("/pos/practices", plan.with(|p| p.as_ref().map(|p| p.id())))>
                    {t!(i18n, practices_title)}
                </a>
                <a class="btn" data-testid="pos-report-link" href=move || plan_link("/pos/report", plan.with(|p| p.as_ref().map(|p| p.id())))>
                    {t!(i18n, report_title)}
                </a>
            </Show>
            <Show when=move || data.plans.with(|p| p.len() > 1)>
                <label class="form-row">
                    <span>{t!(i18n, pos_plans)}</span>
                    <select data-testid="pos-plan-select" on:change=move |ev| {
                        // The options' values are plan ids; anything else picks the latest plan.
                        set_chosen.set(event_target_value(&ev).parse().ok());
                    }>
                        {move || {
                            let current = plan.with(|p| p.as_ref().map(|p| p.id()));
                            data.plans.with(|plans| plans.iter().map(|p| {
                                let id = p.id();
                                view! {
                                    <option value=id.to_string() selected=current == Some(id)>
                                        {format!("{} ({})", p.draft().title, p.draft().year)}
                                    </option>
                                }
                            }).collect_view())
                        }}
                    </select>
                </label>
            </Show>
        </nav>
        <Show
            when=has_plan
            fallback=move || view! { <p class="card muted" data-testid="pos-no-plan">{t!(i18n, pos_no_plan)}</p> }
        >
            <CommunityMembers plan />
            <CommunityGoals plan />
            <CommunityCalendar plan />
            <CommunityProtocol plan />
            // Diagnostics of the plan's year (components/community_diagnostics.rs).
            <CommunityDiagnostics plan />
        </Show>
        <CommunityBundles plan />
        <section class="card">
            <h2>{t!(i18n, community_title)}</h2>
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
