//! A class's mastery per criterion per student by a method the teacher picks among core's
//! presets, from the teacher's, the students' or all evidence. The choice lives in the address
//! (`?method=…&from=…`, the method by core's `Method::key`), so a bookmark or a reload keeps it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use lesenka_core::evidence::Source;
use lesenka_core::ids::{ClassId, CriterionId};
use lesenka_core::lesson::class_criteria;
use lesenka_core::mastery::Method;

use crate::components::choice_select::ChoiceSelect;
use crate::components::mastery_table::MasteryTable;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// Whose evidence counts, by its word in the address; `all` when the address names none.
fn sources(from: Option<&str>) -> (&'static str, Vec<Source>) {
    match from {
        Some("teacher") => ("teacher", vec![Source::Teacher]),
        Some("self") => ("self", vec![Source::SelfAssessment]),
        _ => ("all", Source::ALL.to_vec()),
    }
}

/// The mastery of the class named in the address.
#[component]
pub fn MasteryPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let class_id = move || params.with(|p| p.get("class").and_then(|s| s.parse::<ClassId>().ok()));
    let class = Memo::new(move |_| {
        let id = class_id()?;
        data.classes.with(|c| c.iter().find(|c| c.id == id).cloned())
    });
    let method = Memo::new(move |_| {
        query.with(|q| q.get("method").and_then(|k| Method::from_key(&k))).unwrap_or_default()
    });
    let from = Memo::new(move |_| query.with(|q| sources(q.get("from").as_deref()).0));
    let criteria = Memo::new(move |_| {
        let Some(id) = class_id() else { return Vec::new() };
        data.lessons.with(|l| {
            class_criteria(l, id)
                .into_iter()
                .map(|c| (c.id(), c.text().to_string()))
                .collect::<Vec<(CriterionId, String)>>()
        })
    });
    let records = Memo::new(move |_| match class_id() {
        Some(id) => data.journal.with(|j| j.for_class(id).cloned().collect::<Vec<_>>()),
        None => Vec::new(),
    });
    let go = move |method: &str, from: &str| {
        if let Some(id) = class_id() {
            navigate(
                &format!("/classes/{id}/mastery?method={method}&from={from}"),
                Default::default(),
            );
        }
    };
    let go_method = go.clone();
    let on_method = Callback::new(move |key: String| go_method(&key, from.get()));
    let on_from = Callback::new(move |word: String| go(method.get().key(), &word));
    let method_choices = Signal::derive(move || {
        Method::presets()
            .iter()
            .map(|m| (m.key().to_owned(), format::mastery_method(i18n, m)))
            .collect::<Vec<_>>()
    });
    let from_choices = Signal::derive(move || {
        vec![
            ("all".to_owned(), t_string!(i18n, mastery_from_all).to_string()),
            ("teacher".to_owned(), t_string!(i18n, mastery_from_teacher).to_string()),
            ("self".to_owned(), t_string!(i18n, mastery_from_self).to_string()),
        ]
    });
    view! {
        {move || match class.get() {
            None => view! { <p class="card" data-testid="class-not-found">{t!(i18n, class_not_found)}</p> }.into_any(),
            Some(c) => {
                let id = c.id;
                let name = c.name.to_string();
                view! {
                    <section class="card" data-testid="mastery-page">
                        <div class="card-head">
                            <h1 data-testid="mastery-title">
                                {move || t_string!(i18n, mastery_title, class = name.clone()).to_string()}
                            </h1>
                            <A href=format!("/classes/{id}") attr:class="btn ghost" attr:data-testid="back-to-class">{t!(i18n, back)}</A>
                        </div>
                        <p class="muted">{t!(i18n, mastery_about)}</p>
                        <div class="filters">
                            <label>
                                {t!(i18n, mastery_method)} " "
                                <ChoiceSelect
                                    testid="mastery-method"
                                    choices=method_choices
                                    selected=Signal::derive(move || Some(method.get().key().to_owned()))
                                    on_change=on_method
                                />
                            </label>
                            <label>
                                {t!(i18n, mastery_from)} " "
                                <ChoiceSelect
                                    testid="mastery-from"
                                    choices=from_choices
                                    selected=Signal::derive(move || Some(from.get().to_owned()))
                                    on_change=on_from
                                />
                            </label>
                        </div>
                    </section>
                    <section class="card">
                        {move || {
                            if projector.0.get() {
                                view! { <p class="muted" data-testid="mastery-hidden">{t!(i18n, calib_hidden_projector)}</p> }.into_any()
                            } else if records.with(Vec::is_empty) {
                                if data.stored_ready.get() {
                                    view! { <p class="muted" data-testid="mastery-none">{t!(i18n, mastery_none)}</p> }.into_any()
                                } else {
                                    view! { <p class="muted" data-testid="journal-loading">{t!(i18n, journal_loading)}</p> }.into_any()
                                }
                            } else {
                                let (_, sources) = sources(Some(from.get()));
                                view! {
                                    <MasteryTable
                                        class=c.clone()
                                        criteria=criteria.get()
                                        records=records.get()
                                        method=method.get()
                                        sources
                                    />
                                }
                                .into_any()
                            }
                        }}
                    </section>
                }
                .into_any()
            }
        }}
    }
}
