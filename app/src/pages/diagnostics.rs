//! A class's questionnaires (`/classes/:class/diagnostics`): start «Анкета Лускановой» or a
//! satisfaction survey (core's `diagnostics::run`), the runs so far, and, where the class has
//! both, the September-vs-May comparison computed by core's `latest_both`. Each run opens on
//! `pages/diagnostic_run.rs`; students answer on the shared tablet (`diagnostic_tablet.rs`).

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use lesenka_core::diagnostics::DiagnosticRun;
use lesenka_core::diagnostics::likert::Audience;
use lesenka_core::diagnostics::run::{latest_both, satisfaction_survey};
use lesenka_core::ids::{ClassId, DiagnosticRunId};

use crate::clock::{new_uuid, today};
use crate::components::band_chart::{WaveChart, audience_name};
use crate::format;
use crate::i18n::*;
use crate::pages::class_scope::{class_in_address, with_class};
use crate::state::{use_data, use_status};

/// The class's runs and the buttons that start one.
#[component]
pub fn DiagnosticsPage() -> impl IntoView {
    let (_, class) = class_in_address();
    with_class(class, |c| {
        view! { <ClassDiagnostics class=c.id name=c.name.to_string() /> }.into_any()
    })
}

#[component]
fn ClassDiagnostics(class: ClassId, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let navigate = use_navigate();
    let (error, set_error) = signal(None::<String>);
    let (date, set_date) = signal(today().format("%Y-%m-%d").to_string());
    // The run made for the date typed (the day it is given: September or May for the waves).
    let start = move |make: &dyn Fn(NaiveDate) -> DiagnosticRun| {
        let Some(day) = lesenka_core::iso::parse_date(&date.get_untracked()) else {
            set_error.set(Some(t_string!(i18n, diag_date_bad).to_string()));
            return;
        };
        let run = make(day);
        let id = run.id();
        match data.save_item(status, run) {
            Ok(()) => navigate(&format!("/classes/{class}/diagnostics/{id}"), Default::default()),
            Err(e) => set_error.set(Some(format::save_error(i18n, &e))),
        }
    };
    let fresh = || DiagnosticRunId::from_uuid(new_uuid());
    let runs = move || {
        let mut list: Vec<DiagnosticRun> =
            data.diagnostics.with(|d| d.iter().filter(|r| r.class() == class).cloned().collect());
        list.sort_by_key(|r| std::cmp::Reverse((r.date(), r.id())));
        list
    };
    // Core's start-vs-end comparison (a run that does not score is never stored, so this is
    // only None when the class has no year with both waves).
    let waves = move || data.diagnostics.with(|d| latest_both(d, class).ok().flatten());
    let start_l = start.clone();
    let surveys = [Audience::Students, Audience::Parents, Audience::Teachers];
    view! {
        <section class="card" data-testid="diagnostics-page">
            <h1>{t!(i18n, diag_title)} " · " {name}</h1>
            <p class="muted">{t!(i18n, diag_screening_note)}</p>
            <label class="form-row">
                <span>{t!(i18n, diag_date)}</span>
                <input type="date" data-testid="diag-date" prop:value=date on:input=move |ev| set_date.set(event_target_value(&ev)) />
            </label>
            <div class="actions">
                <button class="btn primary" data-testid="diag-start-luskanova" on:click=move |_| {
                    start_l(&|day| DiagnosticRun::luskanova(fresh(), class, day));
                }>{t!(i18n, diag_start_luskanova)}</button>
                {surveys.into_iter().map(|a| {
                    let start = start.clone();
                    view! {
                        <button class="btn" data-testid=format!("diag-start-survey-{}", audience_key(a)) on:click=move |_| {
                            start(&|day| DiagnosticRun::survey(fresh(), class, day, satisfaction_survey(a)));
                        }>{t!(i18n, diag_start_survey)} " · " {move || audience_name(i18n, a)}</button>
                    }
                }).collect_view()}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
        <section class="card">
            <h2>{t!(i18n, diag_runs)}</h2>
            <Show when=move || data.diagnostics.with(|d| d.iter().any(|r| r.class() == class))
                fallback=move || view! { <p class="muted" data-testid="diag-no-runs">{t!(i18n, diag_no_runs)}</p> }>
                <ul class="plain-list" data-testid="diag-runs">
                    <For each=runs key=|r| (r.id(), r.form().sheets()) let:run>
                        {
                            let href = format!("/classes/{class}/diagnostics/{}", run.id());
                            let date = run.date();
                            let audience = run.audience();
                            let sheets = run.form().sheets();
                            view! {
                                <li>
                                    <A href=href attr:data-testid="diag-run-link">
                                        {move || format::date(i18n, date)} " · "
                                        {move || match audience {
                                            None => t_string!(i18n, diag_luskanova).to_string(),
                                            Some(a) => format!("{} · {}", t_string!(i18n, diag_survey), audience_name(i18n, a)),
                                        }}
                                    </A>
                                    " — " {move || t_string!(i18n, diag_sheets, count = sheets).to_string()}
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
        {move || waves().map(|w| view! {
            <section class="card" data-testid="diag-september-may">
                <h2>{t!(i18n, diag_september_may)} " " {format!("{}–{}", w.year.start(), w.year.end())}</h2>
                <WaveChart comparison=w.comparison.clone() />
            </section>
        })}
    }
}

/// The address key of an audience (test ids).
pub fn audience_key(a: Audience) -> &'static str {
    match a {
        Audience::Students => "students",
        Audience::Parents => "parents",
        Audience::Teachers => "teachers",
        Audience::Other => "other",
    }
}
