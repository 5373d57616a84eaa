//! A ПОС member sends their data to the community's leader through the school server: on the
//! «Данные» page, the same exported file as the download (`transfer::export_text`), put into
//! the mailbox the leader opened (`community_mailbox.rs`); a later send replaces the earlier one.
//! Shown only when the app was served by a Lesenka server (`server::detect`). Neighbours:
//! `pages/data_page.rs`, `server.rs`, `server_sign_in.rs`.

use leptos::prelude::*;

use crate::components::server_sign_in::{ServerSignIn, school_account};
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::server::{self, BundleInfo, CommunityInfo, ServerError};
use crate::state::{use_data, use_status};
use crate::transfer;

/// The card (nothing without a server).
#[component]
pub fn CommunitySend() -> impl IntoView {
    let i18n = use_i18n();
    let (served, me) = school_account();
    view! {
        <Show when=move || served.get()>
            <section class="card" aria-labelledby="pos-send-heading" data-testid="pos-send">
                <h2 id="pos-send-heading">{t!(i18n, pos_send)}</h2>
                {move || match me.get() {
                    None => view! {
                        <ServerSignIn me=me prefix="pos-send" hint=Signal::derive(move || t_string!(i18n, pos_send_sign_in).to_string()) />
                    }.into_any(),
                    Some(signed) => view! { <Send csrf=signed.csrf /> }.into_any(),
                }}
            </section>
        </Show>
    }
}

/// Choosing the community and sending.
#[component]
fn Send(csrf: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let mailboxes = RwSignal::new(None::<Vec<CommunityInfo>>);
    let chosen = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<(String, BundleInfo)>);
    let error = RwSignal::new(None::<ServerError>);
    let busy = RwSignal::new(false);
    let csrf = StoredValue::new(csrf);
    wasm_bindgen_futures::spawn_local(async move {
        match server::communities().await {
            Ok(list) => {
                if let Some(first) = list.first() {
                    chosen.set(first.id.to_string());
                }
                mailboxes.set(Some(list));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let send = move |_| {
        let Ok(id) = chosen.get_untracked().parse::<uuid::Uuid>() else { return };
        let name = mailboxes.with_untracked(|m| {
            m.iter().flatten().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_default()
        });
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            data.stored_loaded(status).await;
            let file = transfer::export_text(data).await;
            match server::send_bundle(&csrf.get_value(), id, file).await {
                Ok(info) => {
                    error.set(None);
                    sent.set(Some((name, info)));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        {move || match mailboxes.get() {
            None => ().into_any(),
            Some(list) if list.is_empty() => view! {
                <p class="muted" data-testid="pos-send-none">{t!(i18n, pos_send_none)}</p>
            }.into_any(),
            Some(list) => view! {
                <p class="muted">{t!(i18n, pos_send_intro)}</p>
                <div class="form-row">
                    <label>
                        <span>{t!(i18n, pos_send_to)}</span>
                        <select data-testid="pos-send-community" on:change=move |ev| chosen.set(event_target_value(&ev))>
                            {list.into_iter().map(|c| {
                                let id = c.id.to_string();
                                let selected = chosen.get_untracked() == id;
                                view! { <option value=id selected=selected>{format!("{} ({})", c.name, c.leader)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button class="btn primary" data-testid="pos-send-submit" disabled=move || busy.get() on:click=send>
                        {t!(i18n, pos_send_submit)}
                    </button>
                </div>
            }.into_any(),
        }}
        {move || sent.get().map(|(name, info)| {
            let size = format::mebibytes(i18n, info.bytes);
            view! {
                <p class="notice" role="status" data-testid="pos-send-result">
                    {move || t_string!(i18n, pos_send_done, name = name.clone(), size = size.clone()).to_string()}
                </p>
            }
        })}
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="pos-send-error">{move || errors::server(i18n, &e)}</p>
        })}
    }
}
