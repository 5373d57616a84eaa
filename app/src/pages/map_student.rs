//! A student's concept map on a shared tablet (`/s/lessons/:lesson/map?criterion=<id>`; without
//! one, the whole lesson): the criterion chosen on the name list (`components/map_criterion.rs`),
//! pick your name, draw the map (canvas or list editor over one [`MapModel`]), save it as your
//! [`LessonMap`] of the lesson and criterion; the tablet then returns to the name list with
//! nothing of the map left on screen.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::conceptmap::edit::EditMap;
use lesenka_core::conceptmap::stored::{
    LessonMap, LessonMapProblem, MapAuthor, check_in, student_map,
};
use lesenka_core::ids::{ConceptMapId, CriterionId, LessonId, StudentId};

use crate::clock::new_uuid;
use crate::components::concept_list_editor::ConceptListEditor;
use crate::components::concept_map_canvas::{ConceptMapCanvas, MAP_CSS};
use crate::components::map_criterion::{MapCriterionChoice, criterion_in_address};
use crate::i18n::*;
use crate::mapedit::MapModel;
use crate::pages::map_teacher::{MapSaved, Saved};
use crate::state::{use_data, use_status};

/// Who is drawing: the student, the map's id, the criterion chosen when the name was picked.
type Drawing = (StudentId, ConceptMapId, Option<CriterionId>);

/// One student at a time draws their map of the lesson's criterion.
#[component]
pub fn MapStudent() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let params = use_params_map();
    let lesson_id =
        params.with_untracked(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()));
    let lesson = Memo::new(move |_| {
        let id = lesson_id?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let class = Memo::new(move |_| {
        let class_id = lesson.with(|l| l.as_ref().map(|l| l.class()))?;
        data.classes.with(|c| c.iter().find(|c| c.id == class_id).cloned())
    });
    let criterion = criterion_in_address();
    let model = MapModel::new(EditMap::new());
    let who = RwSignal::new(None::<Drawing>);
    let tried = RwSignal::new(false);
    let (saved, set_saved) = signal(None::<Saved>);
    let draft = move || {
        let (student, id, criterion) = who.get()?;
        let lesson = lesson_id?;
        Some(model.map.with(|m| m.draft(id, lesson, criterion, MapAuthor::Student(student))))
    };
    let problems = Signal::derive(move || {
        if !tried.get() {
            return Vec::<LessonMapProblem>::new();
        }
        draft().map(|d| data.lessons.with(|l| check_in(&d, l))).unwrap_or_default()
    });
    let pick = move |student: StudentId| {
        let Some(lesson) = lesson_id else { return };
        let criterion = criterion.get_untracked();
        let own = data.maps.with_untracked(|m| student_map(m, lesson, criterion, student).cloned());
        let id = own.as_ref().map_or_else(|| ConceptMapId::from_uuid(new_uuid()), LessonMap::id);
        model.reset(own.as_ref().map(EditMap::from_lesson_map).unwrap_or_default());
        tried.set(false);
        set_saved.set(None);
        who.set(Some((student, id, criterion)));
    };
    let back_to_names = move || {
        who.set(None);
        tried.set(false);
        model.reset(EditMap::new());
    };
    let save = move |_| {
        let Some(d) = draft_untracked(model, who, lesson_id) else { return };
        tried.set(true);
        match data.lessons.with_untracked(|l| LessonMap::new_in(d, l)) {
            Err(_) => set_saved.set(Some(Saved::Refused)),
            Ok(map) => match data.save_item(status, map) {
                Ok(()) => {
                    set_saved.set(Some(Saved::Yes));
                    back_to_names();
                }
                Err(e) => set_saved.set(Some(Saved::Failed(e))),
            },
        }
    };
    view! {
        <section class="student-mode" data-testid="map-student-page">
            <style>{MAP_CSS}</style>
            {move || {
                let Some(lesson) = lesson.get() else {
                    return view! { <p class="big">{t!(i18n, lesson_not_found)}</p> }.into_any();
                };
                match who.get() {
                    None => {
                        let students = class.get().map(|c| c.students().to_vec()).unwrap_or_default();
                        let path = format!("/s/lessons/{}/map", lesson.id());
                        view! {
                            <h1>{lesson.topic().to_string()}</h1>
                            <MapCriterionChoice lesson=lesson.clone() path />
                            <h2>{t!(i18n, map_student_pick)}</h2>
                            <div class="big-grid">
                                {students.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <button class="big-button" data-testid=format!("pick-{id}") on:click=move |_| pick(id)>
                                            {s.display_name.to_string()}
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                    Some((_, _, chosen)) => view! {
                        <h1>{lesson.topic().to_string()}</h1>
                        <p class="big" data-testid="map-student-criterion">{match chosen.map(|c| lesson.criterion(c)) {
                            None => t_string!(i18n, map_whole_lesson).to_string(),
                            Some(Some(c)) => c.text().to_string(),
                            Some(None) => t_string!(i18n, err_map_criterion).to_string(),
                        }}</p>
                        <p class="big">{t!(i18n, map_student_about)}</p>
                        <ConceptMapCanvas model />
                        <details class="map-keyboard">
                            <summary class="map-button" data-testid="map-list-open">{t!(i18n, map_list_way)}</summary>
                            <ConceptListEditor model synonyms=false problems />
                        </details>
                        <div class="map-row">
                            <button class="big-button primary" data-testid="map-save" on:click=save>{t!(i18n, map_save)}</button>
                            <button class="btn ghost map-button" data-testid="map-leave" on:click=move |_| back_to_names()>{t!(i18n, map_leave)}</button>
                        </div>
                    }.into_any(),
                }
            }}
            <MapSaved saved />
            <A href="/s" attr:class="btn ghost">{t!(i18n, back)}</A>
        </section>
    }
}

/// The draft of the map being drawn by the chosen student (read without tracking).
fn draft_untracked(
    model: MapModel,
    who: RwSignal<Option<Drawing>>,
    lesson: Option<LessonId>,
) -> Option<lesenka_core::conceptmap::stored::LessonMapDraft> {
    let (student, id, criterion) = who.get_untracked()?;
    let lesson = lesson?;
    Some(model.map.with_untracked(|m| m.draft(id, lesson, criterion, MapAuthor::Student(student))))
}
