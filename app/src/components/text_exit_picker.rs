//! No-device mode for an exit ticket's fixed items (a content check, confidence 1–4): pick the
//! answer of each item, then tap the students who gave it, or give it to everyone who has not
//! answered («Остальным»), like the fixed scales' `value_picker.rs`. Core makes the answer
//! (`ExitTicket::response`: text items left empty) and refuses it if the ticket needs a text;
//! the refusal is shown translated.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::technique::{ExitAnswer, ExitItemKind, Response, Technique};

use crate::i18n::*;
use crate::runs::{RunKey, use_runs};

/// The exit-ticket picker of the run `run`: `picked` is what a tap on a tile gives (`None`:
/// a tap opens the student's full form).
#[component]
pub fn ExitPicker(
    /// The run in progress (an exit ticket).
    run: RunKey,
    /// The answer a tap gives.
    picked: RwSignal<Option<Response>>,
    /// Where a refusal goes (shown as the run's error).
    on_error: WriteSignal<Option<LiveError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let ticket = runs
        .with_untracked(run, |r| match r.technique() {
            Technique::ExitTicket(t) => Some(t.clone()),
            _ => None,
        })
        .flatten();
    let Some(ticket) = ticket else { return ().into_any() };
    let parts = RwSignal::new(vec![None::<ExitAnswer>; ticket.items().len()]);
    let ticket = StoredValue::new(ticket);
    let choose = move |i: usize, answer: ExitAnswer| {
        parts.update(|p| p[i] = Some(answer));
        let fixed_done = ticket.with_value(|t| {
            parts.with_untracked(|p| {
                t.items().iter().zip(p).all(|(item, a)| {
                    matches!(item.kind, ExitItemKind::NeedHelp | ExitItemKind::FreeText)
                        || a.is_some()
                })
            })
        });
        if !fixed_done {
            return;
        }
        match ticket.with_value(|t| parts.with_untracked(|p| t.response(p))) {
            Ok(r) => {
                picked.set(Some(r));
                on_error.set(None);
            }
            Err(e) => {
                picked.set(None);
                on_error.set(Some(LiveError::Refused(e)));
            }
        }
    };
    let button = move |i: usize, answer: ExitAnswer, key: String, label: String| {
        let pressed = answer.clone();
        view! {
            <button
                class="btn pick"
                data-testid=format!("pick-exit-{i}-{key}")
                aria-pressed=move || parts.with(|p| p[i] == Some(pressed.clone())).to_string()
                on:click=move |_| choose(i, answer.clone())
            >
                {label}
            </button>
        }
    };
    let unanswered = move || runs.with(run, |r| r.roster_len() - r.answered()).unwrap_or(0);
    let set_rest = move |_| {
        let Some(value) = picked.get_untracked() else { return };
        let outcome = runs.update(run, |r| r.answer_unanswered(value));
        on_error.set(outcome.and_then(Result::err));
    };
    let items = ticket.with_value(|t| t.items().to_vec());
    view! {
        <div class="value-picker" role="group" aria-label=move || t_string!(i18n, pick_label).to_string()>
            {items
                .into_iter()
                .enumerate()
                .map(|(i, item)| match item.kind {
                    ExitItemKind::ContentCheck => view! {
                        <span class="muted">{item.prompt.to_string()}</span>
                        {button(i, ExitAnswer::Check(true), "right".into(), format!("✓ {}", t_string!(i18n, exit_check_right)))}
                        {button(i, ExitAnswer::Check(false), "wrong".into(), format!("✗ {}", t_string!(i18n, exit_check_wrong)))}
                    }
                    .into_any(),
                    ExitItemKind::Confidence => view! {
                        <span class="muted">{item.prompt.to_string()}</span>
                        {(1..=4u8)
                            .map(|c| button(i, ExitAnswer::Confidence(c), format!("conf-{c}"), c.to_string()))
                            .collect_view()}
                    }
                    .into_any(),
                    ExitItemKind::NeedHelp | ExitItemKind::FreeText => ().into_any(),
                })
                .collect_view()}
            <button
                class="btn"
                data-testid="pick-form"
                aria-pressed=move || picked.with(Option::is_none).to_string()
                on:click=move |_| {
                    picked.set(None);
                    parts.update(|p| p.iter_mut().for_each(|a| *a = None));
                }
            >
                {t!(i18n, text_pick_form)}
            </button>
            <button
                class="btn primary"
                data-testid="set-rest"
                disabled=move || picked.with(Option::is_none) || unanswered() == 0
                on:click=set_rest
            >
                {move || t_string!(i18n, text_set_rest, count = unanswered()).to_string()}
            </button>
        </div>
    }
    .into_any()
}
