//! The "save a backup" button.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::transfer::download_export;

/// Downloads everything (including records only held in memory) as one JSON file.
#[component]
pub fn ExportButton() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let (error, set_error) = signal(None::<String>);
    view! {
        <button
            class="btn primary"
            data-testid="export-button"
            on:click=move |_| {
                spawn_local(async move { set_error.set(download_export(data, status).await.err()) })
            }
        >
            {t!(i18n, export_button)}
        </button>
        {move || error.get().map(|e| view! { <span class="error">{e}</span> })}
    }
}
