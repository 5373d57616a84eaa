//! The community's diagnostics on the ПОС page: the start and end waves of the plan's school
//! year over every class (core's `run::compare_year` without a class), and the plan's
//! «диагностика в начале и в конце года» indicator measured by core's `plan::goals::measure`
//! from the runs' band snapshots — never typed in. Charts: `band_chart.rs`.

use leptos::prelude::*;
use lesenka_core::diagnostics::run::{band_snapshots, compare_year, satisfaction_responses};
use lesenka_core::plan::{GoalInputs, Indicator, Plan, measure};

use crate::clock::today;
use crate::components::band_chart::WaveChart;
use crate::i18n::*;
use crate::state::use_data;

/// The waves of the chosen plan's year and the indicator's value.
#[component]
pub fn CommunityDiagnostics(
    /// The chosen plan.
    plan: Signal<Option<Plan>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let year = move || plan.with(|p| p.as_ref().map(|p| p.draft().year));
    let waves = move || {
        let year = year()?;
        data.diagnostics.with(|d| compare_year(d, year, None).ok().flatten())
    };
    let indicator = move || {
        let year = year()?;
        data.diagnostics.with(|d| {
            let snapshots = band_snapshots(d);
            let inputs = GoalInputs {
                year,
                as_of: today(),
                evidence: &[],
                events: &[],
                members: &[],
                protocols: &[],
                practices: &[],
                diagnostics: &snapshots,
                satisfaction_responses: satisfaction_responses(d, year),
            };
            Some(measure(&Indicator::DiagnosticsAtStartAndEnd, &inputs))
        })
    };
    view! {
        <section class="card" data-testid="pos-diagnostics">
            <style>{crate::pages::diagnostic_run::DIAG_CSS}</style>
            <h2>{t!(i18n, pos_diag_title)}</h2>
            {move || indicator().map(|m| view! {
                <p data-testid="pos-diag-indicator" data-met=m.met.to_string()>
                    {t_string!(i18n, pos_diag_indicator, current = m.current, target = m.target).to_string()}
                </p>
            })}
            {move || match waves() {
                Some(w) => view! { <WaveChart comparison=w.comparison /> }.into_any(),
                None => view! { <p class="muted" data-testid="pos-diag-none">{t!(i18n, pos_diag_none)}</p> }.into_any(),
            }}
        </section>
    }
}
