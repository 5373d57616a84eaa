//! The projector-mode toggle.

use leptos::prelude::*;

use crate::i18n::*;
use crate::state::use_projector;

/// Turns projector mode on and off: large type, high contrast, no names.
#[component]
pub fn ProjectorToggle() -> impl IntoView {
    let i18n = use_i18n();
    let projector = use_projector();
    view! {
        <button
            class="btn ghost"
            data-testid="projector-toggle"
            aria-pressed=move || projector.0.get().to_string()
            on:click=move |_| projector.0.update(|on| *on = !*on)
        >
            {move || {
                if projector.0.get() {
                    t_string!(i18n, projector_off).to_string()
                } else {
                    t_string!(i18n, projector_on).to_string()
                }
            }}
        </button>
    }
}
