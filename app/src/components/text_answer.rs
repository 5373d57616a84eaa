//! The answer form of a technique without a fixed scale — билет на выход (a content check, confidence
//! 1–4 and text items), «две звезды и пожелание», 3-2-1, незаконченное предложение, синквейн —
//! used alike on the teacher's run screen (`technique_run.rs`, for a chosen student) and on the
//! shared tablet (`pages/student_lesson.rs`). It only gathers the fields into core's
//! [`Response`]: core checks it (an exit ticket through `ExitTicket::response`, a peer review
//! through `peer::feedback`, then the run's `accept`), and a refusal is shown translated
//! ([`errors`]); nothing is kept when it is refused.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::peer::{self, PeerError};
use lesenka_core::technique::{ExitAnswer, ExitItemKind, Response, ResponseError, Technique};

use crate::errors;
use crate::i18n::*;

/// What a form's submission ran into.
#[derive(Debug, Clone, PartialEq)]
enum FormError {
    Response(ResponseError),
    Peer(PeerError),
    Live(LiveError),
}

/// One field of the form.
#[derive(Debug, Clone)]
enum Field {
    /// A text field with its label (`multi`: a textarea).
    Text { label: String, multi: bool },
    /// A content check: right or wrong.
    Check { label: String },
    /// Confidence 1–4.
    Confidence { label: String },
}

/// The form's fields for `technique`, in the response's order.
fn fields(i18n: leptos_i18n::I18nContext<Locale>, technique: &Technique) -> Vec<Field> {
    let text = |label: String| Field::Text { label, multi: false };
    match technique {
        Technique::UnfinishedSentence { stem } => {
            vec![Field::Text { label: stem.to_string(), multi: true }]
        }
        Technique::TwoStarsAndAWish => vec![
            text(t_string!(i18n, peer_star_n, n = 1).to_string()),
            text(t_string!(i18n, peer_star_n, n = 2).to_string()),
            text(t_string!(i18n, peer_wish).to_string()),
        ],
        Technique::ThreeTwoOne => (1..=3)
            .map(|n| text(t_string!(i18n, text_learnt_n, n).to_string()))
            .chain((1..=2).map(|n| text(t_string!(i18n, text_interesting_n, n).to_string())))
            .chain([text(t_string!(i18n, text_question).to_string())])
            .collect(),
        Technique::Cinquain => {
            (1..=5).map(|n| text(t_string!(i18n, text_line_n, n).to_string())).collect()
        }
        Technique::ExitTicket(ticket) => ticket
            .items()
            .iter()
            .map(|item| {
                let label = item.prompt.to_string();
                match item.kind {
                    ExitItemKind::ContentCheck => Field::Check { label },
                    ExitItemKind::Confidence => Field::Confidence { label },
                    ExitItemKind::NeedHelp | ExitItemKind::FreeText => {
                        Field::Text { label, multi: true }
                    }
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Core's response from the fields' values (`peer`: a review checked by `peer::feedback`).
fn response(
    technique: &Technique,
    texts: &[String],
    items: &[Option<ExitAnswer>],
    peer: bool,
) -> Result<Response, FormError> {
    let t = |i: usize| texts.get(i).cloned().unwrap_or_default();
    Ok(match technique {
        Technique::UnfinishedSentence { .. } => Response::Text(t(0)),
        Technique::TwoStarsAndAWish if peer => {
            peer::feedback(&[t(0), t(1)], &t(2)).map_err(FormError::Peer)?
        }
        Technique::TwoStarsAndAWish => {
            Response::TwoStarsAndAWish { stars: [t(0), t(1)], wish: t(2) }
        }
        Technique::ThreeTwoOne => {
            Response::ThreeTwoOne { three: [t(0), t(1), t(2)], two: [t(3), t(4)], one: t(5) }
        }
        Technique::Cinquain => Response::Lines((0..5).map(t).collect()),
        Technique::ExitTicket(ticket) => {
            let parts: Vec<Option<ExitAnswer>> = ticket
                .items()
                .iter()
                .enumerate()
                .map(|(i, item)| match item.kind {
                    ExitItemKind::ContentCheck | ExitItemKind::Confidence => {
                        items.get(i).cloned().flatten()
                    }
                    ExitItemKind::NeedHelp | ExitItemKind::FreeText => Some(ExitAnswer::Text(t(i))),
                })
                .collect();
            ticket.response(&parts).map_err(FormError::Response)?
        }
        _ => return Err(FormError::Response(ResponseError::Empty)),
    })
}

/// The answer form of `technique`; `on_submit` gets core's response and says whether the run
/// took it (the form is emptied when it did).
#[component]
pub fn TextAnswer(
    /// The technique as configured.
    technique: Technique,
    /// Whether a «две звезды и пожелание» is a peer review (checked by core's `peer::feedback`).
    #[prop(optional)]
    peer: bool,
    /// Gives the response to the run; an error is shown and the fields are kept.
    on_submit: Callback<Response, Result<(), LiveError>>,
    /// The submit button's words.
    #[prop(into)]
    submit_label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shape = fields(i18n, &technique);
    let texts = RwSignal::new(vec![String::new(); shape.len()]);
    let items = RwSignal::new(vec![None::<ExitAnswer>; shape.len()]);
    let (error, set_error) = signal(None::<FormError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let made =
            texts.with_untracked(|t| items.with_untracked(|i| response(&technique, t, i, peer)));
        let outcome = made.and_then(|r| on_submit.run(r).map_err(FormError::Live));
        match outcome {
            Ok(()) => {
                // The form may be gone already (the tablet moved on): then there is nothing to empty.
                texts.try_update(|t| t.iter_mut().for_each(String::clear));
                items.try_update(|i| i.iter_mut().for_each(|a| *a = None));
                set_error.try_set(None);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let choice = move |i: usize, answer: ExitAnswer, testid: String, label: String| {
        let pressed = answer.clone();
        view! {
            <button
                type="button"
                class="btn pick answer-choice"
                data-testid=testid
                aria-pressed=move || items.with(|a| a.get(i) == Some(&Some(pressed.clone()))).to_string()
                on:click=move |_| items.update(|a| a[i] = Some(answer.clone()))
            >
                {label}
            </button>
        }
    };
    let body = shape
        .into_iter()
        .enumerate()
        .map(|(i, field)| match field {
            Field::Text { label, multi } => {
                let id = format!("answer-field-{i}");
                let input = move |ev| texts.update(|t| t[i] = event_target_value(&ev));
                let value = move || texts.with(|t| t[i].clone());
                let control = if multi {
                    view! {
                        <textarea id=id.clone() rows="2" data-testid=format!("answer-text-{i}")
                            prop:value=value on:input=input></textarea>
                    }
                    .into_any()
                } else {
                    view! {
                        <input id=id.clone() type="text" data-testid=format!("answer-text-{i}")
                            prop:value=value on:input=input />
                    }
                    .into_any()
                };
                view! {
                    <div class="answer-field">
                        <label for=id>{label}</label>
                        {control}
                    </div>
                }
                .into_any()
            }
            Field::Check { label } => view! {
                <fieldset class="answer-field">
                    <legend>{label}</legend>
                    {choice(i, ExitAnswer::Check(true), format!("answer-{i}-right"), t_string!(i18n, exit_check_right).to_string())}
                    {choice(i, ExitAnswer::Check(false), format!("answer-{i}-wrong"), t_string!(i18n, exit_check_wrong).to_string())}
                </fieldset>
            }
            .into_any(),
            Field::Confidence { label } => view! {
                <fieldset class="answer-field">
                    <legend>{label}</legend>
                    {(1..=4u8).map(|c| choice(i, ExitAnswer::Confidence(c), format!("answer-{i}-conf-{c}"), c.to_string())).collect_view()}
                </fieldset>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <form class="text-answer" data-testid="text-answer" on:submit=submit>
            {body}
            <button type="submit" class="btn primary big-submit" data-testid="answer-submit">
                {move || submit_label.get()}
            </button>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="answer-error">
                    {move || match &e {
                        FormError::Response(e) => errors::response(i18n, e),
                        FormError::Peer(e) => errors::peer(i18n, e),
                        FormError::Live(e) => errors::live(i18n, e),
                    }}
                </p>
            })}
        </form>
    }
}
