//! The teacher's rubrics: the list, and a form creating one.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use lesenka_core::ids::RubricId;
use lesenka_core::rubric::Rubric;
use lesenka_core::text::{Name, TextError};

use crate::clock::new_uuid;
use crate::components::criteria_editor::{CriteriaEditor, CriterionForm, build, problem_text};
use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// Every rubric with its latest version, and a form for a new rubric (title and criteria).
#[component]
pub fn Rubrics() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let navigate = use_navigate();
    let (title, set_title) = signal(String::new());
    let forms = RwSignal::new(vec![CriterionForm::blank()]);
    let (error, set_error) = signal(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = match Name::parse(&title.get_untracked()) {
            Ok(n) => n,
            Err(TextError::Empty) => {
                set_error.set(Some(t_string!(i18n, rubric_title_empty).to_string()));
                return;
            }
            Err(TextError::TooLong { .. }) => {
                set_error.set(Some(t_string!(i18n, rubric_title_too_long).to_string()));
                return;
            }
        };
        let criteria = match forms.with_untracked(|f| build(f)) {
            Ok(c) => c,
            Err(problem) => {
                set_error.set(Some(problem_text(i18n, &problem)));
                return;
            }
        };
        let named = criteria.clone();
        let rubric = match Rubric::new(RubricId::from_uuid(new_uuid()), name, criteria) {
            Ok(r) => r,
            Err(err) => {
                let reason = errors::rubric(i18n, &err, &named);
                set_error.set(Some(t_string!(i18n, rubric_refused, reason).to_string()));
                return;
            }
        };
        let id = rubric.id();
        match data.save_rubric(status, rubric) {
            Ok(()) => navigate(&format!("/rubrics/{id}"), Default::default()),
            Err(err) => set_error.set(Some(format::save_failed(i18n, &err))),
        }
    };
    view! {
        <section class="card">
            <h1>{t!(i18n, rubrics_title)}</h1>
            <Show
                when=move || data.rubrics.with(|r| !r.is_empty())
                fallback=move || view! { <p class="muted" data-testid="no-rubrics">{t!(i18n, rubrics_none)}</p> }
            >
                <ul class="list" data-testid="rubric-list">
                    <For each=move || data.rubrics.get() key=|r| (r.id(), r.versions().len()) let:rubric>
                        {
                            let href = format!("/rubrics/{}", rubric.id());
                            let title = rubric.title().to_string();
                            let version = rubric.latest().number();
                            let criteria = rubric.latest().criteria().len();
                            view! {
                                <li>
                                    <A href=href attr:data-testid="rubric-link">
                                        <b>{title}</b>
                                    </A>
                                    <span class="muted">
                                        {move || {
                                            format!(
                                                " · {} · {}",
                                                t_string!(i18n, rubric_version_n, n = version),
                                                format::criteria(i18n, criteria),
                                            )
                                        }}
                                    </span>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
        <section class="card">
            <h2>{t!(i18n, rubric_new)}</h2>
            <form on:submit=save class="form">
                <label>
                    <span>{t!(i18n, rubric_title_label)}</span>
                    <input
                        type="text"
                        data-testid="rubric-title"
                        placeholder=move || t_string!(i18n, rubric_title_placeholder).to_string()
                        prop:value=title
                        on:input=move |ev| set_title.set(event_target_value(&ev))
                    />
                </label>
                <CriteriaEditor forms=forms />
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <div class="actions">
                    <button type="submit" class="btn primary" data-testid="save-rubric">
                        {t!(i18n, rubric_save)}
                    </button>
                </div>
            </form>
        </section>
    }
}
