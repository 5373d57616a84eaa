//! A run's actions: undo the last change, drop the run, or close it and keep its answers as
//! evidence (through the runs context, the one way answers reach the journal).

use leptos::prelude::*;
use lesenka_core::live::LiveError;

use crate::i18n::*;
use crate::runs::{Closed, RunKey, use_runs};
use crate::state::{use_data, use_status};

/// Undo, discard and close of the run `run`.
#[component]
pub fn RunActions(
    /// The run in progress.
    run: RunKey,
    /// Called after the answers were closed (with what became of them) or dropped (`None`).
    on_close: Callback<Option<Closed>>,
    /// Where a refusal goes (shown as the run's error).
    on_error: WriteSignal<Option<LiveError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let runs = use_runs();
    let undo = move |_| {
        runs.update(run, |r| r.undo());
        on_error.set(None);
    };
    // A run core cannot close stays open, with the reason shown.
    let close = move |_| match runs.close(data, status, run) {
        Ok(closed) => on_close.run(Some(closed)),
        Err(e) => on_error.set(Some(e)),
    };
    let discard = move |_| {
        runs.discard(run);
        on_close.run(None);
    };
    view! {
        <div class="actions">
            <button
                class="btn"
                data-testid="undo"
                disabled=move || !runs.with(run, |r| r.can_undo()).unwrap_or(false)
                on:click=undo
            >
                {t!(i18n, undo)}
            </button>
            <button class="btn ghost" data-testid="discard-technique" on:click=discard>
                {t!(i18n, discard_technique)}
            </button>
            <button class="btn primary" data-testid="close-technique" on:click=close>
                {t!(i18n, close_technique)}
            </button>
        </div>
    }
}
