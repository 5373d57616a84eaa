//! A drop-down over (value, label) choices: how every `<select>` of the app is drawn, and the
//! choices the gradebook and rubric pages share (students of a class, work types of a policy).

use leptos::prelude::*;
use lesenka_core::marks::MarkingPolicy;
use lesenka_core::roster::Class;

use crate::format::student_label;

/// A `<select>` whose options are `choices`, with `selected` shown as chosen.
#[component]
pub fn ChoiceSelect(
    /// The `data-testid` of the `<select>`.
    #[prop(into)]
    testid: String,
    /// The choices as (value, label), in order.
    #[prop(into)]
    choices: Signal<Vec<(String, String)>>,
    /// The value shown as chosen (none: the browser shows the first).
    #[prop(into)]
    selected: Signal<Option<String>>,
    /// Called with the value the user picks.
    on_change: Callback<String>,
) -> impl IntoView {
    view! {
        <select data-testid=testid on:change=move |ev| on_change.run(event_target_value(&ev))>
            {move || {
                let current = selected.get();
                choices
                    .get()
                    .into_iter()
                    .map(|(value, label)| {
                        let chosen = current.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=chosen>{label}</option> }
                    })
                    .collect_view()
            }}
        </select>
    }
}

/// The students of a class as choices (pseudonyms in projector mode).
pub fn student_choices(class: Option<&Class>, projector: bool) -> Vec<(String, String)> {
    class
        .iter()
        .flat_map(|c| c.students())
        .map(|s| (s.id.to_string(), student_label(s, projector)))
        .collect()
}

/// The work types of a policy as choices, in the policy's order.
pub fn work_choices(policy: &MarkingPolicy) -> Vec<(String, String)> {
    policy.work_types().iter().map(|w| (w.id.to_string(), w.name.to_string())).collect()
}
