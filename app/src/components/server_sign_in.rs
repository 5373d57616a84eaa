//! Signing in to the school server that served the app (`server.rs`): [`school_account`] says
//! whether there is one and who is signed in; [`ServerSignIn`] is the form: login and password, a
//! refusal shown in words with the fields kept. Used by the lesson's live session
//! (`live_session.rs`) and the ПОС mailbox (`community_mailbox.rs`, `community_send.rs`), each
//! with its own hint and test-id prefix.

use leptos::prelude::*;

use crate::errors;
use crate::i18n::*;
use crate::server::{self, Me, ServerError};

/// The form's own styles.
const SIGN_IN_CSS: &str = "\
.server-form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}\
.server-form label{display:flex;flex-direction:column}\
.server-form input,.server-form .btn{min-height:44px;font:inherit}";

/// Whether a Lesenka school server served the app (set once `/api/health` answered) and the
/// account signed in to it (none: the sign-in form is due). Asked once, when called.
pub fn school_account() -> (RwSignal<bool>, RwSignal<Option<Me>>) {
    let served = RwSignal::new(false);
    let me = RwSignal::new(None::<Me>);
    wasm_bindgen_futures::spawn_local(async move {
        if !server::detect().await {
            return;
        }
        // Not signed in (or the server unreachable just now): the sign-in form is shown.
        if let Ok(found) = server::me().await {
            me.set(Some(found));
        }
        served.set(true);
    });
    (served, me)
}

/// The sign-in form; `me` is set once signed in.
#[component]
pub fn ServerSignIn(
    /// Set once signed in.
    me: RwSignal<Option<Me>>,
    /// The test ids' prefix (`live` gives `live-login`, `live-sign-in-submit`, `live-error`).
    prefix: &'static str,
    /// Why to sign in, in the user's words (the live session's by default).
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ServerError>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match server::sign_in(&login.get_untracked(), &password.get_untracked()).await {
                Ok(signed) => {
                    error.set(None);
                    me.set(Some(signed));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let hint = move || match hint {
        Some(h) => h.get(),
        None => t_string!(i18n, live_sign_in_hint).to_string(),
    };
    view! {
        <style>{SIGN_IN_CSS}</style>
        <p class="muted">{hint}</p>
        <form class="server-form" data-testid=format!("{prefix}-sign-in") on:submit=submit>
            <label>
                {t!(i18n, live_login)}
                <input data-testid=format!("{prefix}-login") autocomplete="username" bind:value=login />
            </label>
            <label>
                {t!(i18n, live_password)}
                <input data-testid=format!("{prefix}-password") type="password" autocomplete="current-password" bind:value=password />
            </label>
            <button class="btn primary" type="submit" data-testid=format!("{prefix}-sign-in-submit") disabled=move || busy.get()>
                {t!(i18n, live_sign_in)}
            </button>
        </form>
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid=format!("{prefix}-error")>{move || errors::server(i18n, &e)}</p>
        })}
    }
}
