//! One student's tile in no-device mode (the teacher's own screen, never the projector): a tap
//! gives the picked value, or the next one round the scale; the tile shows the answer in words.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::roster::Student;
use lesenka_core::technique::Response;

use crate::format;
use crate::i18n::*;
use crate::runs::{RunKey, use_runs};

/// The tile of `student` in the run `run`.
#[component]
pub fn StudentTile(
    /// The run in progress.
    run: RunKey,
    /// The student (their full name: the teacher's screen only).
    student: Student,
    /// What a tap gives; `None`: the next value round the scale.
    #[prop(into)]
    picked: Signal<Option<Response>>,
    /// Where a refused answer goes (shown as the run's error).
    on_error: WriteSignal<Option<LiveError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let id = student.id;
    let answer = move || runs.with(run, |r| r.answer_of(id).cloned()).flatten();
    // The option's stable key (`green`, `3`, `up`…), `none` before the first answer.
    let key = move || {
        runs.with(run, |r| r.answer_of(id).and_then(|a| r.technique().option_key(a)))
            .flatten()
            .unwrap_or_else(|| "none".to_owned())
    };
    let tap = move |_| {
        let outcome = match picked.get_untracked() {
            Some(value) => runs.update(run, |r| r.answer(id, value)),
            None => runs.update(run, |r| r.tap(id).map(drop)),
        };
        on_error.set(outcome.and_then(Result::err));
    };
    view! {
        <button
            class=move || {
                let key = key();
                if key == "none" { "student-tile none".to_owned() } else { format!("student-tile answered {key}") }
            }
            data-testid=format!("tile-{id}")
            data-light=key
            on:click=tap
        >
            <span class="tile-name">{student.display_name.to_string()}</span>
            <span class="tile-light">
                {move || match answer() {
                    Some(value) => format::option_label(i18n, &value),
                    None => t_string!(i18n, light_none).to_string(),
                }}
            </span>
        </button>
    }
}
