//! The head of a class's view (calibration, mastery): its title, the way back to the class and
//! a line saying what the view shows.

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::ids::ClassId;

use crate::i18n::*;

/// A card with the `<h1>` `title`, a back link to the class and `about` under them.
#[component]
pub fn ClassViewHead(
    /// The class.
    class: ClassId,
    /// The view's title.
    #[prop(into)]
    title: Signal<String>,
    /// The card's `data-testid`; the title's is `{testid}-title`.
    testid: &'static str,
    /// What follows the title: what the view shows, its controls.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid=testid>
            <div class="card-head">
                <h1 data-testid=format!("{testid}-title")>{move || title.get()}</h1>
                <A href=format!("/classes/{class}") attr:class="btn ghost" attr:data-testid="back-to-class">{t!(i18n, back)}</A>
            </div>
            {children()}
        </section>
    }
}
