//! A member's exported bundle imported on the ПОС page, so that member's lessons and evidence
//! count toward the goals: the data page's import path (`transfer::import`, core's `Backup`
//! merge), idempotent, a newer version's file refused in words; or, on a school server, all
//! the files members sent to the plan's mailbox at once (`community_mailbox.rs`). Neighbours:
//! `pages/community.rs`, `transfer.rs`, `messages.rs`.

use leptos::prelude::*;
use lesenka_core::plan::Plan;

use crate::components::community_mailbox::CommunityMailbox;
use crate::format;
use crate::i18n::*;
use crate::messages;
use crate::state::{use_data, use_status};
use crate::transfer::{ImportError, ImportSummary, import_chosen_file};

/// The file input and what the last import added or why it took nothing.
#[component]
pub fn CommunityBundles(
    /// The chosen plan (its mailbox on a school server, when there is one).
    plan: Signal<Option<Plan>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let (imported, set_imported) = signal(None::<Result<ImportSummary, ImportError>>);
    let on_file = import_chosen_file(data, status, set_imported);
    view! {
        <section class="card" aria-labelledby="pos-bundles-heading">
            <h2 id="pos-bundles-heading">{t!(i18n, pos_bundles)}</h2>
            <p class="muted">{t!(i18n, pos_bundles_intro)}</p>
            <input
                type="file"
                accept="application/json,.json"
                aria-labelledby="pos-bundles-heading"
                data-testid="pos-bundle-file"
                on:change=on_file
            />
            <CommunityMailbox plan />
            {move || imported.get().map(|result| match result {
                Ok(s) => {
                    let lessons = format::lessons(i18n, s.lessons);
                    let records = format::records(i18n, s.records);
                    let skipped = s.duplicates;
                    view! {
                        <p class="notice" role="status" data-testid="pos-bundle-result">
                            {t_string!(i18n, pos_bundle_result, lessons, records, skipped).to_string()}
                        </p>
                    }
                    .into_any()
                }
                Err(e) => view! {
                    <p class="error" role="alert" data-testid="pos-bundle-error">
                        {messages::import_error(i18n, &e)}
                    </p>
                }
                .into_any(),
            })}
        </section>
    }
}
