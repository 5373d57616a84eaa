//! The page for an unknown address.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::*;

/// Nothing here: a way back home.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="not-found">
            <p>"404"</p>
            <A href="/">{t!(i18n, nav_home)}</A>
        </section>
    }
}
