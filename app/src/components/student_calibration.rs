//! One student's self-assessment calibration on their page: core's figures for the student and
//! their gap lesson by lesson. Teacher's screen only: hidden in projector mode.

use leptos::prelude::*;
use lesenka_core::calibration::calibrate;
use lesenka_core::ids::{ClassId, StudentId};

use crate::components::calibration_summary::CalibrationSummary;
use crate::components::gap_chart::GapChart;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The calibration of `student` among their class's evidence.
#[component]
pub fn StudentCalibration(
    /// The student's class.
    class: ClassId,
    /// The student.
    student: StudentId,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let report = Memo::new(move |_| data.journal.with(|j| calibrate(j.for_class(class))));
    view! {
        <section class="card" data-testid="student-calibration">
            <h2>{t!(i18n, calib_student_heading)}</h2>
            {move || {
                if projector.0.get() {
                    return view! { <p class="muted">{t!(i18n, calib_hidden_projector)}</p> }.into_any();
                }
                let r = report.get();
                match r.students.get(&student).copied() {
                    None => view! { <p class="muted" data-testid="student-calibration-none">{t!(i18n, calib_student_none)}</p> }.into_any(),
                    Some(summary) => {
                        let series = r.series(class, Some(student));
                        view! {
                            <CalibrationSummary summary prefix="calib-student" />
                            <GapChart points=series testid="student-calibration-chart" />
                        }
                        .into_any()
                    }
                }
            }}
        </section>
    }
}
