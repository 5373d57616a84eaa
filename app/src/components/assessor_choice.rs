//! Who is answering the lesson's next technique run: the students assessing themselves, or the
//! teacher giving their own assessment (which the lesson summary and the calibration view set
//! against the students'). A radio group on the lesson page; peer feedback is always a peer's.

use leptos::prelude::*;
use lesenka_core::evidence::Source;

use crate::i18n::*;

/// The choice of [`Source`] for the next run: self-assessment or the teacher's.
#[component]
pub fn AssessorChoice(
    /// The chosen source.
    source: RwSignal<Source>,
    /// Whether the choice is locked (a run is in progress).
    #[prop(into)]
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let option = move |value: Source, testid: &'static str, label: String| {
        view! {
            <label class="assessor-option">
                <input
                    type="radio"
                    name="assessor"
                    data-testid=testid
                    prop:checked=move || source.get() == value
                    disabled=disabled
                    on:change=move |_| source.set(value)
                />
                " " {label}
            </label>
        }
    };
    view! {
        <fieldset class="assessor" data-testid="assessor">
            <legend>{t!(i18n, assessor_legend)}</legend>
            {move || option(Source::SelfAssessment, "assessor-self", t_string!(i18n, assessor_self).to_string())}
            {move || option(Source::Teacher, "assessor-teacher", t_string!(i18n, assessor_teacher).to_string())}
        </fieldset>
    }
}
