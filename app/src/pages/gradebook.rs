//! A class's gradebook: students × marks ([`GradebookTable`]), the new-mark form
//! ([`MarkForm`]), the what-if ([`WhatIfPanel`]) and the school's policy ([`PolicyEditor`]).
//! Every figure comes from core's report; the page only finds the class and its gradebook.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::gradebook_table::GradebookTable;
use crate::components::mark_form::MarkForm;
use crate::components::policy_editor::PolicyEditor;
use crate::components::policy_summary::PolicySummary;
use crate::components::what_if_panel::WhatIfPanel;
use crate::i18n::*;
use crate::pages::class_scope::{class_in_address, with_class};
use crate::state::use_data;

/// The gradebook of the class named in the address.
#[component]
pub fn GradebookPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let (class_id, class) = class_in_address();
    let book = Memo::new(move |_| class_id.get().map(|id| data.gradebook(id)));
    let policy = Memo::new(move |_| data.policy());
    let error = RwSignal::new(None::<String>);

    view! {
        {with_class(class, move |c| {
                let id = c.id;
                let name = c.name.to_string();
                view! {
                    <section class="card">
                        <div class="card-head">
                            <h1 data-testid="gradebook-title">
                                {move || t_string!(i18n, gradebook_title, class = name.clone()).to_string()}
                            </h1>
                            <A href=format!("/classes/{id}") attr:class="btn ghost" attr:data-testid="back-to-class">{t!(i18n, back)}</A>
                        </div>
                        <PolicySummary policy />
                        <GradebookTable class=c book policy error />
                    </section>
                }
                    .into_any()
        })}
        <Show when=move || class.with(Option::is_some)>
            <section class="card">
                <h2>{t!(i18n, mark_add_title)}</h2>
                <MarkForm class book policy error />
            </section>
            <section class="card">
                <h2>{t!(i18n, whatif_title)}</h2>
                <WhatIfPanel class book policy />
            </section>
            <section class="card">
                <h2>{t!(i18n, policy_title)}</h2>
                <PolicyEditor />
            </section>
        </Show>
    }
}
