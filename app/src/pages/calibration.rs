//! A class's self-assessment calibration: core's `calibrate` over the class's evidence, the
//! class's figures and their trend lesson by lesson, and (teacher's screen only) the figures per
//! student and criterion. Every figure is core's; the page finds the class and its criteria.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::calibration::{CalibrationReport, calibrate};
use lesenka_core::ids::{ClassId, CriterionId};
use lesenka_core::lesson::class_criteria;

use crate::components::calibration_summary::CalibrationSummary;
use crate::components::calibration_table::CalibrationTable;
use crate::components::gap_chart::GapChart;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The calibration of the class named in the address.
#[component]
pub fn CalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let class_id = move || params.with(|p| p.get("class").and_then(|s| s.parse::<ClassId>().ok()));
    let class = Memo::new(move |_| {
        let id = class_id()?;
        data.classes.with(|c| c.iter().find(|c| c.id == id).cloned())
    });
    let report = Memo::new(move |_| match class_id() {
        Some(id) => data.journal.with(|j| calibrate(j.for_class(id))),
        None => CalibrationReport::default(),
    });
    let criteria = Memo::new(move |_| {
        let Some(id) = class_id() else { return Vec::new() };
        data.lessons.with(|l| {
            class_criteria(l, id)
                .into_iter()
                .map(|c| (c.id(), c.text().to_string()))
                .collect::<Vec<(CriterionId, String)>>()
        })
    });
    view! {
        {move || match class.get() {
            None => view! { <p class="card" data-testid="class-not-found">{t!(i18n, class_not_found)}</p> }.into_any(),
            Some(c) => {
                let id = c.id;
                let name = c.name.to_string();
                let body = move || {
                    let r = report.get();
                    let Some(summary) = r.classes.get(&id).copied() else {
                        let note = if data.stored_ready.get() {
                            view! { <p class="muted" data-testid="calibration-none">{t!(i18n, calib_none)}</p> }.into_any()
                        } else {
                            view! { <p class="muted" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> }.into_any()
                        };
                        return view! { <section class="card">{note}</section> }.into_any();
                    };
                    let series = r.series(id, None);
                    let students = if projector.0.get() {
                        view! { <p class="muted" data-testid="calibration-hidden">{t!(i18n, calib_hidden_projector)}</p> }.into_any()
                    } else {
                        view! { <CalibrationTable class=c.clone() criteria=criteria.get() report=r /> }.into_any()
                    };
                    view! {
                        <section class="card">
                            <h2>{t!(i18n, calib_class_heading)}</h2>
                            <CalibrationSummary summary prefix="calib-class" />
                            <GapChart points=series testid="calibration-chart" />
                        </section>
                        <section class="card">
                            <h2>{t!(i18n, calib_students_heading)}</h2>
                            {students}
                        </section>
                    }
                    .into_any()
                };
                view! {
                    <section class="card" data-testid="calibration-page">
                        <div class="card-head">
                            <h1 data-testid="calibration-title">
                                {move || t_string!(i18n, calib_title, class = name.clone()).to_string()}
                            </h1>
                            <A href=format!("/classes/{id}") attr:class="btn ghost" attr:data-testid="back-to-class">{t!(i18n, back)}</A>
                        </div>
                        <p class="muted">{t!(i18n, calib_about)}</p>
                    </section>
                    {body}
                }
                .into_any()
            }
        }}
    }
}
