//! One questionnaire run on the teacher's screen (`/classes/:class/diagnostics/:run`): the link
//! to the shared tablet (`/s/diagnostics/:run`), for the Лусканова form the item the teacher
//! reads aloud in large type (a stepper over core's items), then the results — each student's
//! total and band from core's scoring (teacher's screen only: hidden in projector mode) and the
//! class distribution by band, with each sheet's «Исправить» and «Удалить»
//! (`components/diag_sheet.rs`); for a survey, the answers per item. The items are read in the
//! interface's language (core's `luskanova_in`). Charts: `band_chart.rs`.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::diagnostics::luskanova;
use lesenka_core::diagnostics::luskanova::luskanova_in;
use lesenka_core::ids::{ClassId, DiagnosticRunId, StudentId};

use crate::components::band_chart::{DistributionChart, LikertCharts, audience_name, level_name};
use crate::components::diag_sheet::{SheetPanel, SheetState};
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The diagnostics pages' own styles (in their lazily loaded chunks).
pub const DIAG_CSS: &str = "\
.read-aloud{font-size:2rem;line-height:1.3;margin:1rem 0}\
.read-aloud-options{display:flex;flex-wrap:wrap;gap:1rem;font-size:1.5rem;padding:0;list-style:none}\
.diag-waves{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:1rem}\
.diag-chart{margin:0;max-width:640px}.diag-chart .bar-chart{width:100%;height:auto}\
.diag-chart .bar rect{fill:var(--accent)}.diag-chart .bar-label{font-size:20px}\
.diag-answers{display:grid;grid-template-columns:repeat(3,1fr);gap:1rem}\
.diag-answer{min-height:120px;min-width:44px;display:flex;flex-direction:column;align-items:center;\
justify-content:center;gap:.5rem;font-size:1.25rem;border-radius:16px;border:2px solid var(--line);\
background:var(--card,#fff);color:var(--ink);cursor:pointer}\
.diag-answer[aria-pressed=true]{border-color:var(--accent);border-width:4px}\
.diag-answer svg{width:72px;height:72px}\
.diag-item{font-size:1.6rem;line-height:1.35}";

/// The run in the address, its read-aloud stepper and results.
#[component]
pub fn DiagnosticRunPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let ids = Memo::new(move |_| {
        params.with(|p| {
            Some((
                p.get("class")?.parse::<ClassId>().ok()?,
                p.get("run")?.parse::<DiagnosticRunId>().ok()?,
            ))
        })
    });
    let run = Memo::new(move |_| {
        let (class, id) = ids.get()?;
        data.diagnostics.with(|d| d.iter().find(|r| r.id() == id && r.class() == class).cloned())
    });
    let (item, set_item) = signal(0usize);
    let sheets = SheetState::new();
    // A student's name as the teacher's screen shows it (the run's class roster).
    let name = Callback::new(move |student: StudentId| {
        data.classes
            .with_untracked(|c| {
                c.iter()
                    .flat_map(|c| c.students())
                    .find(|s| s.id == student)
                    .map(|s| s.display_name.to_string())
            })
            .unwrap_or_default()
    });
    let q = luskanova();
    let items = q.items().len();
    move || {
        let Some(run) = run.get() else {
            return if data.stored_ready.get() {
                view! { <p class="card" data-testid="diag-run-not-found">{t!(i18n, diag_run_not_found)}</p> }.into_any()
            } else {
                view! { <p class="muted" data-testid="marking-loading">{t!(i18n, marking_loading)}</p> }.into_any()
            };
        };
        let class = run.class();
        let class_name = data
            .classes
            .with(|c| c.iter().find(|c| c.id == class).map(|c| c.name.to_string()))
            .unwrap_or_default();
        let date = run.date();
        let tablet = format!("/s/diagnostics/{}", run.id());
        let title = match run.audience() {
            None => t_string!(i18n, diag_luskanova).to_string(),
            Some(a) => format!("{} · {}", t_string!(i18n, diag_survey), audience_name(i18n, a)),
        };
        let head = view! {
            <style>{DIAG_CSS}</style>
            <section class="card" data-testid="diag-run-page">
                <h1>{title.clone()}</h1>
                <p>{class_name} " · " {format::date(i18n, date)}</p>
                <div class="actions">
                    <A href=tablet attr:class="btn primary" attr:data-testid="diag-open-tablet">{t!(i18n, diag_open_tablet)}</A>
                    <A href=format!("/classes/{class}/diagnostics") attr:class="btn ghost">{t!(i18n, back)}</A>
                </div>
            </section>
        };
        let body = if let Some(summary) = run.likert_summary() {
            view! {
                <section class="card" data-testid="diag-likert-results">
                    <h2>{t!(i18n, diag_results)}</h2>
                    <LikertCharts summary />
                </section>
            }
            .into_any()
        } else {
            let reading = move || {
                let i = item.get().min(items - 1);
                let q = luskanova_in(format::lang(i18n));
                let it = &q.items()[i];
                view! {
                    <p class="muted" data-testid="read-aloud-number">{t_string!(i18n, diag_item_of, n = i + 1, total = items).to_string()}</p>
                    <p class="read-aloud" data-testid="read-aloud-text">{it.text.to_string()}</p>
                    <ul class="read-aloud-options">
                        {it.options.iter().map(|o| view! { <li>{o.text.to_string()}</li> }).collect_view()}
                    </ul>
                }
            };
            let scores = run.student_scores();
            let students = data
                .classes
                .with(|c| c.iter().find(|c| c.id == class).map(|c| c.students().to_vec()))
                .unwrap_or_default();
            let rows: Vec<(StudentId, String, u32, String, &'static str)> = students
                .iter()
                .filter_map(|s| {
                    let score = scores.iter().find(|x| x.respondent == s.id)?;
                    Some((
                        s.id,
                        s.display_name.to_string(),
                        score.total,
                        level_name(i18n, score.level),
                        score.level.code(),
                    ))
                })
                .collect();
            let distribution = run.distribution();
            let (run_for_rows, run_id) = (run.clone(), run.id());
            view! {
                <section class="card" data-testid="diag-read-aloud">
                    <h2>{t!(i18n, diag_read_aloud)}</h2>
                    {reading}
                    <div class="actions">
                        <button class="btn" data-testid="read-aloud-prev" disabled=move || item.get() == 0
                            on:click=move |_| set_item.update(|i| *i = i.saturating_sub(1))>{t!(i18n, diag_prev)}</button>
                        <button class="btn" data-testid="read-aloud-next" disabled=move || { item.get() + 1 >= items }
                            on:click=move |_| set_item.update(|i| *i = (*i + 1).min(items - 1))>{t!(i18n, diag_next)}</button>
                    </div>
                </section>
                <section class="card" data-testid="diag-results">
                    <h2>{t!(i18n, diag_results)}</h2>
                    <p class="muted">{t!(i18n, diag_screening_note)}</p>
                    {distribution.map(|wave| view! {
                        <DistributionChart wave title=Signal::derive(move || t_string!(i18n, diag_distribution).to_string()) testid="diag-distribution" />
                    })}
                    <Show when=move || !projector.0.get()>
                        <table class="evidence" data-testid="diag-student-bands">
                            <thead><tr>
                                <th>{t!(i18n, diag_student)}</th>
                                <th>{t!(i18n, diag_total)}</th>
                                <th>{t!(i18n, diag_band)}</th>
                                <th>{t!(i18n, diag_actions)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.clone().into_iter().map(|(student, name, total, band, code)| {
                                    let (for_edit, id) = (run_for_rows.clone(), student.to_string());
                                    view! {
                                        <tr data-testid="diag-student-row" data-band=code data-student=id>
                                            <td>{name}</td><td data-testid="diag-student-total">{total}</td><td>{band}</td>
                                            <td class="actions">
                                                <button type="button" class="btn" data-testid="diag-sheet-edit" on:click=move |_| sheets.edit(&for_edit, student)>{t!(i18n, diag_sheet_edit)}</button>
                                                <button type="button" class="btn" data-testid="diag-sheet-delete" on:click=move |_| sheets.delete(student)>{t!(i18n, diag_sheet_delete)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <SheetPanel run=run_id state=sheets name />
                    </Show>
                </section>
            }
            .into_any()
        };
        view! { {head} {body} }.into_any()
    }
}
