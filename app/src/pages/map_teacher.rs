//! The teacher's map of a lesson's criterion (`/lessons/:lesson/map?criterion=<id>`; without
//! one, the whole lesson's map): the criterion chosen with `components/map_criterion.rs`,
//! concepts, links with their phrases and other wordings per concept, drawn on the canvas or
//! typed in the list editor over one [`MapModel`]; saved as the teacher's [`LessonMap`] of that
//! lesson and criterion after core's `check_in`, whose problems are shown next to their fields.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::conceptmap::edit::EditMap;
use lesenka_core::conceptmap::stored::{
    LessonMap, LessonMapProblem, MapAuthor, check_in, teacher_map,
};
use lesenka_core::ids::{ConceptMapId, CriterionId, LessonId};

use crate::clock::new_uuid;
use crate::components::concept_list_editor::ConceptListEditor;
use crate::components::concept_map_canvas::{ConceptMapCanvas, MAP_CSS};
use crate::components::map_criterion::{MapCriterionChoice, criterion_in_address, criterion_query};
use crate::format;
use crate::i18n::*;
use crate::mapedit::MapModel;
use crate::state::{use_data, use_status};
use crate::storage::SaveError;

/// What became of the last save.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Stored.
    Yes,
    /// Core refused the map (the problems are shown at their fields).
    Refused,
    /// The storage refused it.
    Failed(SaveError),
}

/// The save outcome line.
#[component]
pub fn MapSaved(saved: ReadSignal<Option<Saved>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match saved.get() {
        None => ().into_any(),
        Some(Saved::Yes) => view! { <p class="ok" role="status" data-testid="map-saved">{t!(i18n, map_saved)}</p> }.into_any(),
        Some(Saved::Refused) => view! { <p class="error" role="alert" data-testid="map-refused">{t!(i18n, map_refused)}</p> }.into_any(),
        Some(Saved::Failed(e)) => view! { <p class="error" role="alert" data-testid="save-failed">{format::save_failed(i18n, &e)}</p> }.into_any(),
    }
    }
}

/// The teacher's map of a lesson's criterion (chosen in the address, `?criterion=<id>`; none:
/// the whole lesson), drawn and saved by the teacher.
#[component]
pub fn MapTeacher() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let params = use_params_map();
    let lesson_id =
        params.with_untracked(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()));
    let lesson = Memo::new(move |_| {
        let id = lesson_id?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let criterion = criterion_in_address();
    view! {
        <section class="card" data-testid="map-teacher-page">
            <style>{MAP_CSS}</style>
            {move || match lesson.get() {
                None => view! { <p data-testid="lesson-not-found">{t!(i18n, lesson_not_found)}</p> }.into_any(),
                Some(l) => {
                    let (id, topic) = (l.id(), l.topic().to_string());
                    let scores = move || format!("/lessons/{id}/maps{}", criterion_query(criterion.get()));
                    view! {
                    <p class="muted"><A href=format!("/lessons/{id}")>{topic}</A></p>
                    <p><A href=scores attr:data-testid="open-map-scores">{t!(i18n, map_scores_link)}</A></p>
                    <h1 data-testid="map-title">{t!(i18n, map_teacher_title)}</h1>
                    <p class="muted">{t!(i18n, map_teacher_about)}</p>
                    <MapCriterionChoice lesson=l path=format!("/lessons/{id}/map") />
                }.into_any()
                }
            }}
            // A new editor for each criterion: the map of the one chosen, read once.
            {move || {
                let criterion = criterion.get();
                view! { <TeacherMapEditor lesson_id criterion /> }
            }}
        </section>
    }
}

/// The editor of the teacher's map of `criterion`, read once: another tab's save does not
/// replace the map being drawn.
#[component]
fn TeacherMapEditor(lesson_id: Option<LessonId>, criterion: Option<CriterionId>) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let stored = lesson_id
        .and_then(|id| data.maps.with_untracked(|m| teacher_map(m, id, criterion).cloned()));
    let map_id = stored.as_ref().map_or_else(|| ConceptMapId::from_uuid(new_uuid()), LessonMap::id);
    let model = MapModel::new(stored.as_ref().map(EditMap::from_lesson_map).unwrap_or_default());
    let tried = RwSignal::new(false);
    let problems = Signal::derive(move || {
        if !tried.get() {
            return Vec::<LessonMapProblem>::new();
        }
        let Some(lesson) = lesson_id else { return Vec::new() };
        let draft = model.map.with(|m| m.draft(map_id, lesson, criterion, MapAuthor::Teacher));
        data.lessons.with(|l| check_in(&draft, l))
    });
    let (saved, set_saved) = signal(None::<Saved>);
    let save = move |_| {
        let Some(lesson) = lesson_id else { return };
        tried.set(true);
        let draft =
            model.map.with_untracked(|m| m.draft(map_id, lesson, criterion, MapAuthor::Teacher));
        let outcome = match data.lessons.with_untracked(|l| LessonMap::new_in(draft, l)) {
            Err(_) => Saved::Refused,
            Ok(map) => match data.save_item(status, map) {
                Ok(()) => Saved::Yes,
                Err(e) => Saved::Failed(e),
            },
        };
        set_saved.set(Some(outcome));
    };
    view! {
        <div class="map-layout">
            <ConceptMapCanvas model />
            <ConceptListEditor model synonyms=true problems />
        </div>
        <button class="btn primary map-button" data-testid="map-save" on:click=save>{t!(i18n, map_save)}</button>
        <MapSaved saved />
    }
}
