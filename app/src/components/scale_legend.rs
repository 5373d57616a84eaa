//! The options of a run's fixed scale with what each means (a light's meaning, a ladder step's
//! wording for the teacher or for the class).

use leptos::prelude::*;

use crate::format;
use crate::i18n::*;
use crate::runs::{RunKey, use_runs};
use crate::scale::{self, Audience};

/// The legend of the run `run`'s scale, in the scale's order.
#[component]
pub fn ScaleLegend(
    /// The run in progress.
    run: RunKey,
    /// Whose wording: the teacher's screen or the class on the projector.
    audience: Audience,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let items = move || {
        runs.with(run, |r| {
            let technique = r.technique();
            r.tally()
                .options
                .into_iter()
                .map(|o| {
                    let meaning = scale::meaning(i18n, technique, &o.value, audience);
                    (o.key, format::option_label(i18n, &o.value), meaning)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    view! {
        <ul class="legend" data-testid="scale-legend">
            {move || {
                items()
                    .into_iter()
                    .map(|(key, label, meaning)| {
                        view! {
                            <li class=format!("chip {key}")>
                                <b>{label}</b>
                                {meaning.map(|m| format!(" — {m}"))}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
