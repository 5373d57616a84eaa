//! One criterion of a lesson page: its wording, how many records it has, светофор in one click
//! and the chooser of any other fixed-scale technique.

use leptos::prelude::*;
use lesenka_core::lesson::LessonCriterion;
use lesenka_core::technique::Technique;

use crate::components::technique_picker::TechniquePicker;
use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// Criterion `index` of the lesson; `on_start` gets the technique to run on it.
#[component]
pub fn CriterionRow(
    /// The criterion's 0-based position (for the testids).
    index: usize,
    /// The criterion.
    criterion: LessonCriterion,
    /// Whether starting is not possible now (a run in progress, no class).
    #[prop(into)]
    disabled: Signal<bool>,
    /// Called with the technique to run on this criterion.
    on_start: Callback<Technique>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let id = criterion.id();
    let count = move || data.journal.with(|j| j.for_criterion(id).count());
    view! {
        <li class="criterion">
            <div class="criterion-line">
                <span class="criterion-text">{criterion.text().to_string()}</span>
                <span class="muted" data-testid=format!("criterion-count-{index}")>
                    {move || format::records(i18n, count())}
                </span>
                <button
                    class="btn"
                    data-testid=format!("run-traffic-light-{index}")
                    disabled=move || disabled.get()
                    on:click=move |_| on_start.run(Technique::TrafficLight)
                >
                    {t!(i18n, run_traffic_light)}
                </button>
            </div>
            <TechniquePicker index=index disabled=disabled on_start=on_start />
        </li>
    }
}
