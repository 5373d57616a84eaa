//! Opening a lesson: date, topic, criteria.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use lesenka_core::ids::{ClassId, CriterionId, LessonId};
use lesenka_core::lesson::{Lesson, LessonCriterion, LessonError};
use lesenka_core::text::{Name, TextError};

use crate::clock::{new_uuid, today};
use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// A form for a new lesson of the class in the address; criteria are one per line.
#[component]
pub fn NewLesson() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let navigate = use_navigate();
    let params = use_params_map();
    let class_id = move || params.with(|p| p.get("class").and_then(|s| s.parse::<ClassId>().ok()));
    let (date, set_date) = signal(today().format("%Y-%m-%d").to_string());
    let (topic, set_topic) = signal(String::new());
    let (criteria, set_criteria) = signal(String::new());
    let (error, set_error) = signal(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(class) = class_id() else { return };
        let Ok(date) = NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d") else {
            set_error.set(Some(t_string!(i18n, lesson_date_bad).to_string()));
            return;
        };
        let topic = topic.get_untracked();
        // A topic too long is core's refusal below, with its length; an empty one is asked for.
        if let Err(TextError::Empty) = Name::parse(&topic) {
            set_error.set(Some(t_string!(i18n, lesson_topic_empty).to_string()));
            return;
        }
        let refused = move |err: LessonError| {
            let reason = errors::lesson(i18n, &err);
            set_error.set(Some(t_string!(i18n, lesson_error, reason).to_string()));
        };
        let criteria = criteria
            .get_untracked()
            .lines()
            .filter(|line| !line.trim().is_empty())
            .enumerate()
            .map(|(i, line)| {
                LessonCriterion::new(CriterionId::from_uuid(new_uuid()), line)
                    .map_err(|error| LessonError::CriterionText { index: i + 1, error })
            })
            .collect::<Result<Vec<_>, _>>();
        let criteria = match criteria {
            Ok(criteria) => criteria,
            Err(err) => return refused(err),
        };
        if criteria.is_empty() {
            set_error.set(Some(t_string!(i18n, lesson_criteria_empty).to_string()));
            return;
        }
        let lesson =
            match Lesson::new(LessonId::from_uuid(new_uuid()), class, date, &topic, criteria) {
                Ok(lesson) => lesson,
                Err(err) => return refused(err),
            };
        let id = lesson.id();
        match data.add_lesson(status, lesson) {
            Ok(()) => navigate(&format!("/lessons/{id}"), Default::default()),
            Err(err) => set_error.set(Some(format::save_failed(i18n, &err))),
        }
    };
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, new_lesson_title)}</h1>
            <form class="form" on:submit=save>
                <label>
                    <span>{t!(i18n, lesson_date)}</span>
                    <input
                        type="date"
                        data-testid="lesson-date"
                        prop:value=date
                        on:input=move |ev| set_date.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{t!(i18n, lesson_topic)}</span>
                    <input
                        type="text"
                        data-testid="lesson-topic"
                        placeholder=move || t_string!(i18n, lesson_topic_placeholder).to_string()
                        prop:value=topic
                        on:input=move |ev| set_topic.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{t!(i18n, lesson_criteria)}</span>
                    <textarea
                        rows="5"
                        data-testid="lesson-criteria"
                        placeholder=move || t_string!(i18n, lesson_criteria_placeholder).to_string()
                        prop:value=criteria
                        on:input=move |ev| set_criteria.set(event_target_value(&ev))
                    ></textarea>
                </label>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <div class="actions">
                    <A href=move || class_id().map(|c| format!("/classes/{c}")).unwrap_or_else(|| "/".into()) attr:class="btn ghost">
                        {t!(i18n, cancel)}
                    </A>
                    <button type="submit" class="btn primary" data-testid="save-lesson">{t!(i18n, save_lesson)}</button>
                </div>
            </form>
        </section>
    }
}
