//! The ПОС leader's mailbox on the school server: members send their exported files there
//! (`community_send.rs`, on their «Данные» page) instead of handing them over, and the leader
//! takes them all in with one button, through the same import as a file chosen by hand
//! (`transfer::import`: core's idempotent merge, a newer version's file refused in words), so
//! taking them in twice changes nothing. Shown only when the app was served by a Lesenka server
//! (`server::detect`); the mailbox's id is the plan's. Neighbours: `community_bundles.rs` (the
//! card it sits in), `server.rs`, `server_sign_in.rs`.

use leptos::prelude::*;
use lesenka_core::plan::Plan;

use crate::components::server_sign_in::{ServerSignIn, school_account};
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::messages;
use crate::server::{self, BundleInfo, CommunityInfo, ServerError};
use crate::state::{use_data, use_status};
use crate::transfer::{self, ImportError, ImportSummary};

/// What became of one member's file.
#[derive(Debug, Clone)]
enum Taken {
    Imported(ImportSummary),
    Refused(ImportError),
    Failed(ServerError),
}

/// The mailbox part of the members' data card (nothing without a server).
#[component]
pub fn CommunityMailbox(
    /// The chosen plan (its id names the mailbox).
    plan: Signal<Option<Plan>>,
) -> impl IntoView {
    let (served, me) = school_account();
    let i18n = use_i18n();
    view! {
        <Show when=move || served.get() && plan.with(Option::is_some)>
            <div class="mailbox" data-testid="pos-mailbox">
                <h3>{t!(i18n, pos_mailbox)}</h3>
                {move || match me.get() {
                    None => view! {
                        <ServerSignIn me=me prefix="pos-server" hint=Signal::derive(move || t_string!(i18n, pos_mailbox_sign_in).to_string()) />
                    }.into_any(),
                    Some(signed) => view! { <Mailbox plan=plan csrf=signed.csrf /> }.into_any(),
                }}
            </div>
        </Show>
    }
}

/// The signed-in leader's mailbox: open it, or see and take in the files.
#[component]
fn Mailbox(plan: Signal<Option<Plan>>, csrf: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let mailbox = RwSignal::new(None::<CommunityInfo>);
    let files = RwSignal::new(Vec::<BundleInfo>::new());
    let taken = RwSignal::new(Vec::<(String, Taken)>::new());
    let error = RwSignal::new(None::<ServerError>);
    let busy = RwSignal::new(false);
    let csrf = StoredValue::new(csrf);
    let plan_id = move || plan.with(|p| p.as_ref().map(|p| *p.id().as_uuid()));
    // The mailbox of the chosen plan, and its files, again whenever the plan changes.
    Effect::new(move |_| {
        let Some(id) = plan_id() else { return };
        wasm_bindgen_futures::spawn_local(async move {
            let found = match server::communities().await {
                Ok(list) => list.into_iter().find(|c| c.id == id),
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            if found.is_some() {
                match server::bundles(id).await {
                    Ok(list) => files.set(list),
                    Err(e) => error.set(Some(e)),
                }
            }
            mailbox.set(found);
        });
    });
    let open = move |_| {
        let Some((id, name)) = plan.with_untracked(|p| {
            p.as_ref().map(|p| (*p.id().as_uuid(), p.draft().title.to_string()))
        }) else {
            return;
        };
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match server::open_community(&csrf.get_value(), id, &name).await {
                Ok(info) => {
                    error.set(None);
                    mailbox.set(Some(info));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let take_all = move |_| {
        let Some(id) = plan_id() else { return };
        busy.set(true);
        taken.set(Vec::new());
        wasm_bindgen_futures::spawn_local(async move {
            let list = match server::bundles(id).await {
                Ok(list) => list,
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                    return;
                }
            };
            files.set(list.clone());
            error.set(None);
            // One file at a time: each import saves before the next one reads the data.
            for info in list {
                let outcome = match server::bundle(id, &info.member).await {
                    Ok(bundle) => match transfer::import(data, status, &bundle.file).await {
                        Ok(summary) => Taken::Imported(summary),
                        Err(e) => Taken::Refused(e),
                    },
                    Err(e) => Taken::Failed(e),
                };
                taken.update(|t| t.push((info.member, outcome)));
            }
            busy.set(false);
        });
    };
    view! {
        {move || match mailbox.get() {
            None => view! {
                <p class="muted">{t!(i18n, pos_mailbox_closed)}</p>
                <button class="btn" data-testid="pos-mailbox-open" disabled=move || busy.get() on:click=open>
                    {t!(i18n, pos_mailbox_open)}
                </button>
            }.into_any(),
            Some(_) => view! {
                <p class="muted">{t!(i18n, pos_mailbox_intro)}</p>
                {move || {
                    let list = files.get();
                    if list.is_empty() {
                        view! { <p class="muted" data-testid="pos-mailbox-empty">{t!(i18n, pos_mailbox_empty)}</p> }.into_any()
                    } else {
                        view! {
                            <ul data-testid="pos-mailbox-files">
                                {list.into_iter().map(|f| {
                                    let when = f.sent_at.get(..16).unwrap_or(&f.sent_at).replace('T', " ");
                                    let size = format::mebibytes(i18n, f.bytes);
                                    view! { <li data-testid="pos-mailbox-file">{f.member} " · " {when} " UTC · " {size}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
                <button class="btn primary" data-testid="pos-mailbox-take" disabled=move || busy.get() || files.with(Vec::is_empty) on:click=take_all>
                    {t!(i18n, pos_mailbox_take)}
                </button>
                <ul class="mailbox-taken" role="status" data-testid="pos-mailbox-results">
                    {move || taken.get().into_iter().map(|(member, outcome)| {
                        let text = match outcome {
                            Taken::Imported(s) => {
                                let lessons = format::lessons(i18n, s.lessons);
                                let records = format::records(i18n, s.records);
                                let skipped = s.duplicates;
                                t_string!(i18n, pos_bundle_result, lessons, records, skipped).to_string()
                            }
                            Taken::Refused(e) => messages::import_error(i18n, &e),
                            Taken::Failed(e) => errors::server(i18n, &e),
                        };
                        view! { <li data-testid="pos-mailbox-result">{member} ": " {text}</li> }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="pos-mailbox-error">{move || errors::server(i18n, &e)}</p>
        })}
    }
}
