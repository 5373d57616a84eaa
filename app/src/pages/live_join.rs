//! A student's own tablet in a live lesson (`/s/join?code=…`, the address in the projector's QR
//! code): type the code, pick your name, answer with the same tablet components the shared
//! tablet uses (`TabletScale` for a fixed scale, `TextAnswer` for the others).
//!
//! Everything goes through `server.rs`: the join (every refusal — wrong code, locked room, too
//! many tries, removed — in words from `errors::server`), and the answers through its
//! `Outbox`, which queues each answer in storage under the device's next sequence number before
//! sending, resends after a lost connection and shows the link's state (sent, on its way, no
//! connection). The token and the queue are kept in storage (`storage::LiveTablet`), so a
//! reload or a second tab resumes the same participant and never counts an answer twice.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use lesenka_core::ids::StudentId;
use lesenka_core::live::LiveError;
use lesenka_core::technique::Response;

use crate::components::tablet_scale::TabletScale;
use crate::components::text_answer::TextAnswer;
use crate::errors;
use crate::i18n::*;
use crate::server::{self, Joined, Link, Outbox, RosterEntry, ServerError};
use crate::storage::{LiveTablet, Store};

/// The join page's own styles (44 px touch targets at least).
const JOIN_CSS: &str = "\
.live-join{display:flex;flex-direction:column;gap:1rem}\
.live-join input{min-height:56px;font-size:2rem;letter-spacing:.2em;max-width:12ch}\
.live-join .big-button{min-height:56px}\
.live-join form{display:flex;flex-wrap:wrap;gap:1rem;align-items:end}\
.live-join label{display:flex;flex-direction:column;font-size:1.25rem}\
.live-link{font-size:1.25rem;font-weight:600}";

/// Where the tablet is in joining.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Typing the code.
    Code,
    /// Picking a name from the class list.
    Pick(Vec<RosterEntry>),
    /// Joined: answering.
    Answer(Box<LiveTablet>),
}

/// The join page.
#[component]
pub fn LiveJoin() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let from_address = query.with_untracked(|q| q.get("code")).unwrap_or_default();
    // A tablet that joined this session already (a reload, a second tab) answers on.
    let stored =
        Store::app().live_tablet().filter(|t| from_address.is_empty() || t.code == from_address);
    let step = RwSignal::new(match stored {
        Some(t) => Step::Answer(Box::new(t)),
        None => Step::Code,
    });
    let code = RwSignal::new(from_address);
    let error = RwSignal::new(None::<ServerError>);
    let busy = RwSignal::new(false);
    let join = move |student: Option<StudentId>| {
        let typed: String = code.get_untracked().chars().filter(char::is_ascii_digit).collect();
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match server::join(&typed, student).await {
                Ok(Joined::PickName { roster, .. }) => {
                    error.set(None);
                    step.set(Step::Pick(roster));
                }
                Ok(Joined::Joined { session, token, technique }) => {
                    error.set(None);
                    server::remember_tablet(&typed, session, token, technique);
                    match Store::app().live_tablet() {
                        Some(t) => step.set(Step::Answer(Box::new(t))),
                        None => error.set(Some(ServerError::Unreadable("storage".into()))),
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="student-mode live-join" data-testid="live-join-page">
            <style>{JOIN_CSS}</style>
            <h1>{t!(i18n, live_join_heading)}</h1>
            {move || match step.get() {
                Step::Code => view! {
                    <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); join(None); }>
                        <label>
                            {t!(i18n, live_join_code)}
                            <input
                                data-testid="live-join-code"
                                inputmode="numeric"
                                autocomplete="off"
                                maxlength="6"
                                bind:value=code
                            />
                        </label>
                        <button class="big-button primary" type="submit" data-testid="live-join-submit" disabled=move || busy.get()>
                            {t!(i18n, live_join_submit)}
                        </button>
                    </form>
                }.into_any(),
                Step::Pick(roster) => view! {
                    <h2>{t!(i18n, student_pick_name)}</h2>
                    <div class="big-grid">
                        {roster.into_iter().map(|s| {
                            let id = s.id;
                            view! {
                                <button class="big-button" data-testid=format!("live-pick-{id}") disabled=move || busy.get() on:click=move |_| join(Some(id))>
                                    {s.name}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }.into_any(),
                Step::Answer(tablet) => view! { <LiveAnswer tablet=*tablet step_back=Callback::new(move |()| { step.set(Step::Code); }) /> }.into_any(),
            }}
            {move || error.get().map(|e| view! {
                <p class="error big" role="alert" data-testid="live-join-error">{move || errors::server(i18n, &e)}</p>
            })}
        </section>
    }
}

/// Answering the session's technique; the link's state under the answer.
#[component]
fn LiveAnswer(
    /// The tablet as stored.
    tablet: LiveTablet,
    /// Back to typing a code (after leaving).
    step_back: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = Outbox::new();
    let technique = tablet.technique.clone();
    // What the student chose last: the newest queued answer, else the acknowledged one.
    let chosen =
        RwSignal::new(tablet.queue.last().map(|q| q.response.clone()).or(tablet.acked.clone()));
    outbox.acked.set(tablet.acked.clone());
    // Resend what an earlier visit left unacknowledged.
    outbox.flush();
    let save_error = RwSignal::new(None::<String>);
    let send = move |response: Response| {
        chosen.set(Some(response.clone()));
        match outbox.send(response) {
            Ok(()) => save_error.set(None),
            Err(e) => save_error.set(Some(crate::format::save_error(i18n, &e))),
        }
    };
    let fixed = !technique.options().is_empty();
    let leave = move |_| {
        if let Err(e) = Store::app().save_live_tablet(None) {
            save_error.set(Some(crate::format::save_error(i18n, &e)));
            return;
        }
        step_back.run(());
    };
    let body = if fixed {
        view! {
            <p class="big">{t!(i18n, student_how_sure)}</p>
            <TabletScale index=0 technique=technique.clone() chosen=chosen on_choose=Callback::new(send) />
        }
        .into_any()
    } else {
        view! {
            <TextAnswer
                technique=technique.clone()
                on_submit=Callback::new(move |r: Response| -> Result<(), LiveError> { send(r); Ok(()) })
                submit_label=Signal::derive(move || t_string!(i18n, live_send).to_string())
            />
        }
        .into_any()
    };
    view! {
        {body}
        <p class="live-link" role="status" data-testid="live-link" data-state=move || match outbox.link.get() {
            Link::Synced => if outbox.acked.with(Option::is_some) { "acked" } else { "idle" },
            Link::Sending => "sending",
            Link::Offline => "offline",
            Link::Refused(_) => "refused",
        }>
            {move || match outbox.link.get() {
                Link::Synced if outbox.acked.with(Option::is_some) => t_string!(i18n, live_acked).to_string(),
                Link::Synced => String::new(),
                Link::Sending => t_string!(i18n, live_sending).to_string(),
                Link::Offline => t_string!(i18n, live_offline).to_string(),
                Link::Refused(code) => errors::server_code(i18n, &code),
            }}
        </p>
        {move || save_error.get().map(|e| view! { <p class="error" role="alert" data-testid="live-save-error">{e}</p> })}
        <button class="btn ghost" data-testid="live-leave" on:click=leave>{t!(i18n, live_leave)}</button>
    }
}
