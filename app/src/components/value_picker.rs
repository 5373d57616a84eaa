//! No-device mode's value picker: choose what a tap on a student gives (one of the scale's
//! values, or the next value round the scale), and give every student who has not answered the
//! chosen value at once, so only the exceptions need a tap.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::technique::Response;

use crate::format;
use crate::i18n::*;
use crate::runs::{RunKey, use_runs};

/// The picker of the run `run`: `picked` is what a tap on a tile gives (`None`: the next value).
#[component]
pub fn ValuePicker(
    /// The run in progress.
    run: RunKey,
    /// The value a tap gives; `None` cycles round the scale.
    picked: RwSignal<Option<Response>>,
    /// Where a refused answer goes (shown as the run's error).
    on_error: WriteSignal<Option<LiveError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let options = runs.with_untracked(run, |r| r.tally().options).unwrap_or_default();
    let unanswered = move || runs.with(run, |r| r.roster_len() - r.answered()).unwrap_or(0);
    let set_rest = move |_| {
        let Some(value) = picked.get_untracked() else { return };
        let outcome = runs.update(run, |r| r.answer_unanswered(value));
        on_error.set(outcome.and_then(Result::err));
    };
    view! {
        <div class="value-picker" role="group" aria-label=move || t_string!(i18n, pick_label).to_string()>
            <span class="muted">{t!(i18n, pick_label)}</span>
            <button
                class="btn pick"
                data-testid="pick-cycle"
                aria-pressed=move || picked.with(Option::is_none).to_string()
                on:click=move |_| picked.set(None)
            >
                {t!(i18n, pick_cycle)}
            </button>
            {options
                .into_iter()
                .map(|option| {
                    let value = option.value;
                    let chosen = value.clone();
                    let label = format::option_label(i18n, &value);
                    view! {
                        <button
                            class=format!("btn pick {}", option.key)
                            data-testid=format!("pick-{}", option.key)
                            aria-pressed=move || picked.with(|p| p.as_ref() == Some(&chosen)).to_string()
                            on:click=move |_| picked.set(Some(value.clone()))
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
            <button
                class="btn primary"
                data-testid="set-rest"
                disabled=move || picked.with(Option::is_none) || unanswered() == 0
                on:click=set_rest
            >
                {move || match picked.get() {
                    Some(value) => {
                        let value = format::option_label(i18n, &value);
                        t_string!(i18n, set_rest_to, value, count = unanswered()).to_string()
                    }
                    None => t_string!(i18n, set_rest_pick_first).to_string(),
                }}
            </button>
        </div>
    }
}
