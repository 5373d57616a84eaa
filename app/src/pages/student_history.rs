//! One student's page: their history of evidence, their marks with the weighted average and
//! the period's mark, their concept maps with their scores, and their self-assessment
//! calibration.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::{ClassId, StudentId};

use crate::components::evidence_table::EvidenceTable;
use crate::components::student_calibration::StudentCalibration;
use crate::components::student_maps::StudentMaps;
use crate::components::student_marks::StudentMarks;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// Every record about the student named in the address, newest first, then their calibration.
#[component]
pub fn StudentHistory() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            let class = p.get("class")?.parse::<ClassId>().ok()?;
            let student = p.get("student")?.parse::<StudentId>().ok()?;
            Some((class, student))
        })
    };
    let student = move || {
        let (class, student) = ids()?;
        data.classes.with(|c| {
            let class = c.iter().find(|c| c.id == class)?;
            let s = class.student(student)?;
            let name = if projector.0.get() {
                s.pseudonym.as_str().to_owned()
            } else {
                s.display_name.to_string()
            };
            Some((class.name.to_string(), name, class.id))
        })
    };
    let records = Signal::derive(move || {
        let Some((_, student)) = ids() else { return Vec::new() };
        data.journal.with(|j| j.for_student(student).cloned().collect::<Vec<_>>())
    });
    view! {
        {move || match student() {
            None => view! { <p class="card" data-testid="student-not-found">{t!(i18n, student_not_found)}</p> }.into_any(),
            Some((class_name, name, class_id)) => view! {
                <section class="card">
                    <p><A href=format!("/classes/{class_id}")>{class_name}</A></p>
                    <h1 data-testid="student-name">{name}</h1>
                    <p class="muted">{t!(i18n, student_history_title)} " · "
                        <span data-testid="history-count">{move || format::records(i18n, records.with(Vec::len))}</span>
                    </p>
                    <Show
                        when=move || records.with(|r| !r.is_empty())
                        fallback=move || {
                    if data.stored_ready.get() {
                        view! { <p class="muted">{t!(i18n, student_no_history)}</p> }.into_any()
                    } else {
                        view! { <p class="muted" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> }.into_any()
                    }
                }
                    >
                        <EvidenceTable records=records />
                    </Show>
                </section>
                {ids().map(|(class, student)| view! {
                    <StudentMarks class student />
                    <StudentMaps class student />
                    <StudentCalibration class student />
                })}
            }.into_any(),
        }}
    }
}
