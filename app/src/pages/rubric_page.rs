//! One rubric: its versions ([`RubricVersions`]), assessing a student's work with the latest
//! version ([`AssessForm`]), the saved assessments and their way into the gradebook by core's
//! rule ([`AssessmentList`]), and editing ([`RubricEdit`]: a used version is never changed,
//! core adds a new one).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::RubricId;

use crate::components::assess_form::AssessForm;
use crate::components::assessment_list::AssessmentList;
use crate::components::rubric_edit::RubricEdit;
use crate::components::rubric_versions::RubricVersions;
use crate::i18n::*;
use crate::state::use_data;

/// The rubric named in the address.
#[component]
pub fn RubricPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let params = use_params_map();
    let rubric_id =
        move || params.with(|p| p.get("rubric").and_then(|s| s.parse::<RubricId>().ok()));
    let rubric = Memo::new(move |_| {
        let id = rubric_id()?;
        data.rubrics.with(|r| r.iter().find(|r| r.id() == id).cloned())
    });
    view! {
        {move || match rubric.get() {
            None => view! { <p class="card" data-testid="rubric-not-found">{t!(i18n, rubric_not_found)}</p> }.into_any(),
            Some(r) => view! { <RubricVersions rubric=r /> }.into_any(),
        }}
        <Show when=move || rubric.with(Option::is_some)>
            <AssessForm rubric />
            <AssessmentList rubric />
            <RubricEdit rubric />
        </Show>
    }
}
