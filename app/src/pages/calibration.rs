//! A class's self-assessment calibration: core's `calibrate` over the class's evidence, the
//! class's figures and their trend lesson by lesson, and (teacher's screen only) the figures per
//! student and criterion. Every figure is core's; the page finds the class and its criteria.

use leptos::prelude::*;
use lesenka_core::calibration::{CalibrationReport, calibrate};

use crate::components::calibration_summary::CalibrationSummary;
use crate::components::calibration_table::CalibrationTable;
use crate::components::class_view_head::ClassViewHead;
use crate::components::gap_chart::GapChart;
use crate::i18n::*;
use crate::pages::class_scope::{class_in_address, criteria_of, with_class};
use crate::state::{use_data, use_projector};

/// The calibration of the class named in the address.
#[component]
pub fn CalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let (class_id, class) = class_in_address();
    let criteria = criteria_of(class_id);
    let report = Memo::new(move |_| match class_id.get() {
        Some(id) => data.journal.with(|j| calibrate(j.for_class(id))),
        None => CalibrationReport::default(),
    });
    view! {
        {with_class(class, move |c| {
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
                let title = Signal::derive(move || t_string!(i18n, calib_title, class = name.clone()).to_string());
                view! {
                    <ClassViewHead class=id title testid="calibration">
                        <p class="muted">{t!(i18n, calib_about)}</p>
                    </ClassViewHead>
                    {body}
                }
                .into_any()
        })}
    }
}
