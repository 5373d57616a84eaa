//! The lesson's criterion a concept-map page is about, kept in the address (`?criterion=<id>`;
//! none: the whole lesson, as every address made before criteria were chosen): read by
//! [`criterion_in_address`], chosen with [`MapCriterionChoice`] (the lesson's criteria and
//! «Весь урок»), carried into links by [`criterion_query`]. Only the lazy concept-map pages use
//! it (`pages/map_teacher.rs`, `pages/map_student.rs`, `pages/map_scores.rs`).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use lesenka_core::ids::CriterionId;
use lesenka_core::lesson::Lesson;

use crate::components::choice_select::ChoiceSelect;
use crate::i18n::*;

/// The criterion the address names (none: the whole lesson; an unreadable value counts as none,
/// and [`MapCriterionChoice`] says the lesson has no such criterion).
pub fn criterion_in_address() -> Memo<Option<CriterionId>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("criterion").and_then(|s| s.parse().ok())))
}

/// The query of an address for `criterion`: `?criterion=<id>`, or nothing for the whole lesson.
pub fn criterion_query(criterion: Option<CriterionId>) -> String {
    criterion.map(|c| format!("?criterion={c}")).unwrap_or_default()
}

/// The choice of criterion (`data-testid="map-criterion"`): «Весь урок», then the lesson's
/// criteria in its order; choosing one goes to `path` with it in the address. An address whose
/// criterion is not the lesson's gets an alert (core refuses to save a map for it).
#[component]
pub fn MapCriterionChoice(
    /// The lesson whose criteria are offered.
    lesson: Lesson,
    /// The page's path without a query (`/lessons/<id>/map`).
    path: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let raw = Memo::new(move |_| query.with(|q| q.get("criterion")));
    let known: Vec<String> = lesson.criteria().iter().map(|c| c.id().to_string()).collect();
    let unknown =
        Signal::derive(move || raw.with(|r| r.as_ref().is_some_and(|r| !known.contains(r))));
    let criteria: Vec<(String, String)> =
        lesson.criteria().iter().map(|c| (c.id().to_string(), c.text().to_string())).collect();
    let choices = Signal::derive(move || {
        let whole = (String::new(), t_string!(i18n, map_whole_lesson).to_string());
        std::iter::once(whole).chain(criteria.iter().cloned()).collect::<Vec<_>>()
    });
    let selected = Signal::derive(move || Some(raw.get().unwrap_or_default()));
    let on_change = Callback::new(move |value: String| {
        let query = if value.is_empty() { String::new() } else { format!("?criterion={value}") };
        navigate(&format!("{path}{query}"), Default::default());
    });
    view! {
        <p class="map-row">
            <label>
                {t!(i18n, map_criterion)} " "
                <ChoiceSelect testid="map-criterion" choices selected on_change />
            </label>
        </p>
        {move || unknown.get().then(|| view! {
            <p class="error" role="alert" data-testid="map-criterion-unknown">{t!(i18n, err_map_criterion)}</p>
        })}
    }
}
