//! The technique catalogue.

use leptos::prelude::*;
use lesenka_core::technique::{Scope, catalogue};

use crate::format;
use crate::i18n::*;

/// Every technique core knows, with what it assesses and whether it can be anonymous.
#[component]
pub fn Catalogue() -> impl IntoView {
    let i18n = use_i18n();
    let entries = catalogue();
    view! {
        <section class="card">
            <h1>{t!(i18n, catalogue_title)}</h1>
            <ul class="catalogue" data-testid="catalogue">
                {entries
                    .into_iter()
                    .map(|entry| {
                        let kind = entry.kind;
                        let per_criterion = entry.scope == Scope::PerCriterion;
                        let anonymous = entry.anonymous_capable;
                        view! {
                            <li class="catalogue-entry" data-testid=format!("technique-{kind:?}")>
                                <h3>{move || format::technique(i18n, kind)}</h3>
                                <p>{move || format::technique_about(i18n, kind)}</p>
                                <p class="tags">
                                    <span class="tag">
                                        {move || if per_criterion {
                                            t_string!(i18n, catalogue_per_criterion).to_string()
                                        } else {
                                            t_string!(i18n, catalogue_whole_lesson).to_string()
                                        }}
                                    </span>
                                    <span class="tag">
                                        {move || if anonymous {
                                            t_string!(i18n, catalogue_anonymous).to_string()
                                        } else {
                                            t_string!(i18n, catalogue_named).to_string()
                                        }}
                                    </span>
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
