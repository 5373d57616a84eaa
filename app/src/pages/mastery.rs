//! A class's mastery per criterion per student by a method the teacher picks among core's
//! presets, from the teacher's, the students' or all evidence. The method is the class's own
//! (`Class::mastery_method`, saved with the class when the teacher changes it, so every view of
//! the class and every device it is exported to rolls up the same way); whose evidence counts
//! lives in the address (`?from=…`), a way of looking rather than a setting.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use lesenka_core::evidence::Source;
use lesenka_core::mastery::{Method, MethodKind};

use crate::components::choice_select::ChoiceSelect;
use crate::components::class_view_head::ClassViewHead;
use crate::components::mastery_table::MasteryTable;
use crate::format;
use crate::i18n::*;
use crate::pages::class_scope::{class_in_address, criteria_of, with_class};
use crate::state::{use_data, use_projector, use_status};

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
    let query = use_query_map();
    let navigate = use_navigate();
    let (class_id, class) = class_in_address();
    let status = use_status();
    let method = Memo::new(move |_| {
        class.with(|c| c.as_ref().map(|c| c.mastery_method())).unwrap_or_default()
    });
    let (save_error, set_save_error) = signal(None::<String>);
    let from = Memo::new(move |_| query.with(|q| sources(q.get("from").as_deref()).0));
    let criteria = criteria_of(class_id);
    let records = Memo::new(move |_| match class_id.get() {
        Some(id) => data.journal.with(|j| j.for_class(id).cloned().collect::<Vec<_>>()),
        None => Vec::new(),
    });
    let on_method = Callback::new(move |key: String| {
        // The chooser offers only core's presets' keys, and the page shows a class.
        let (Some(chosen), Some(mut changed)) = (MethodKind::from_key(&key), class.get_untracked())
        else {
            return;
        };
        changed.set_mastery_method(chosen);
        let saved = data.save_item(status, changed);
        set_save_error.set(saved.err().map(|e| format::save_failed(i18n, &e)));
    });
    let on_from = Callback::new(move |word: String| {
        if let Some(id) = class_id.get() {
            navigate(&format!("/classes/{id}/mastery?from={word}"), Default::default());
        }
    });
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
        {with_class(class, move |c| {
                let id = c.id;
                let name = c.name.to_string();
                let title = Signal::derive(move || t_string!(i18n, mastery_title, class = name.clone()).to_string());
                view! {
                    <ClassViewHead class=id title testid="mastery">
                        <p class="muted">{t!(i18n, mastery_about)}</p>
                        <div style="display:flex;flex-wrap:wrap;gap:1rem">
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
                        {move || save_error.get().map(|e| view! { <p class="error" role="alert" data-testid="mastery-save-error">{e}</p> })}
                    </ClassViewHead>
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
        })}
    }
}
