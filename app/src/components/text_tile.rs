//! One student's tile on the run screen of a technique without a fixed scale (the teacher's
//! own screen, never the projector): whether the student has answered; a tap gives the picked
//! exit-ticket answer, or chooses the student whose written answer the teacher types in.

use leptos::prelude::*;
use lesenka_core::ids::StudentId;
use lesenka_core::live::LiveError;
use lesenka_core::roster::Student;
use lesenka_core::technique::Response;

use crate::i18n::*;
use crate::runs::{RunKey, use_runs};

/// The tile of `student` in the run `run`.
#[component]
pub fn TextTile(
    /// The run in progress.
    run: RunKey,
    /// The student (their full name: the teacher's screen only).
    student: Student,
    /// What a tap gives; `None`: the tap chooses the student for the answer form.
    #[prop(into)]
    picked: Signal<Option<Response>>,
    /// The student whose answer the form takes.
    chosen: RwSignal<Option<StudentId>>,
    /// Where a refused answer goes (shown as the run's error).
    on_error: WriteSignal<Option<LiveError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let id = student.id;
    let answered = move || runs.with(run, |r| r.answer_of(id).is_some()).unwrap_or(false);
    let tap = move |_| match picked.get_untracked() {
        Some(value) => {
            let outcome = runs.update(run, |r| r.answer(id, value));
            on_error.set(outcome.and_then(Result::err));
        }
        None => chosen.set(Some(id)),
    };
    view! {
        <button
            class=move || if answered() { "student-tile answered" } else { "student-tile none" }
            data-testid=format!("tile-{id}")
            data-answered=move || answered().to_string()
            aria-pressed=move || chosen.with(|c| *c == Some(id)).to_string()
            on:click=tap
        >
            <span class="tile-name">{student.display_name.to_string()}</span>
            <span class="tile-light">
                {move || if answered() { t_string!(i18n, text_answered) } else { t_string!(i18n, light_none) }}
            </span>
        </button>
    }
}
