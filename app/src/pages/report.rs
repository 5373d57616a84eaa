//! «Анализ работы ПОС за год» (`/pos/report`, `?plan=` picks a plan, else the latest): core's
//! `year_report` over the plan, the journal's evidence and the lessons as of today, shown as
//! the HTML `report_html::body` writes (so the page, its A4 print and the saved file are one
//! text), with «Печать» and «Сохранить как HTML» (`report_html::document`, one standalone file).
//! Neighbours: `pages/community.rs` (links here), `report_html.rs`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use lesenka_core::diagnostics::run::band_snapshots;
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::ids::PlanId;
use lesenka_core::plan::year_report;

use crate::clock::today;
use crate::i18n::*;
use crate::report_html::{self, REPORT_CSS};
use crate::state::{use_data, use_status};
use crate::transfer::download_bytes;

/// The report page.
#[component]
pub fn Report() -> impl IntoView {
    let i18n = use_i18n();
    let (data, status) = (use_data(), use_status());
    let query = use_query_map();
    let plan = data
        .chosen_plan(move || query.with(|q| q.get("plan").and_then(|v| v.parse::<PlanId>().ok())));
    let evidence = Memo::new(move |_| {
        data.journal.with(|j| j.iter().cloned().collect::<Vec<EvidenceRecord>>())
    });
    let report = Memo::new(move |_| {
        let as_of = today();
        plan.with(|p| {
            p.as_ref().map(|p| {
                // Diagnostics before and after: core's snapshots of the stored runs.
                let diagnostics = data.diagnostics.with(|runs| band_snapshots(runs));
                evidence
                    .with(|ev| data.lessons.with(|ls| year_report(p, ev, ls, &diagnostics, as_of)))
            })
        })
    });
    let (error, set_error) = signal(None::<String>);
    let print = move |_| {
        // A browser without printing (none the app supports) has nothing to report.
        if let Err(e) = window().print() {
            set_error.set(Some(format!("{e:?}")));
        }
    };
    let save_html = move |_| {
        let Some(r) = report.get_untracked() else { return };
        let html = report_html::document(i18n, &r);
        let name = format!("analiz-pos-{}-{}.html", r.year.start(), r.year.end());
        set_error.set(download_bytes(&name, "text/html;charset=utf-8", html.as_bytes()).err());
    };
    // The stored journal is read after the first render: wait for it so the figures are whole.
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { data.stored_loaded(status).await });
    });
    view! {
        <style>{REPORT_CSS}</style>
        <Show
            when=move || report.with(Option::is_some)
            fallback=move || view! { <p class="card muted" data-testid="pos-no-plan">{t!(i18n, pos_no_plan)}</p> }
        >
            <div class="report-actions no-print">
                <button type="button" class="btn primary" data-testid="report-print" on:click=print>{t!(i18n, report_print)}</button>
                <button type="button" class="btn" data-testid="report-save-html" on:click=save_html>{t!(i18n, report_save_html)}</button>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            </div>
            {move || (!data.stored_ready.get()).then(|| view! { <p class="muted no-print" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> })}
            <div class="card report-card" inner_html=move || report.with(|r| r.as_ref().map(|r| report_html::body(i18n, r)).unwrap_or_default())></div>
        </Show>
    }
}
