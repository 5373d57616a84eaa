//! A drop-down over (value, label) choices: how every `<select>` of the app is drawn.

use leptos::prelude::*;

/// A `<select>` whose options are `choices`, with `selected` shown as chosen.
#[component]
pub fn ChoiceSelect(
    /// The `data-testid` of the `<select>`.
    testid: &'static str,
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
