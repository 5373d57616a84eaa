//! A student's self-assessment on a shared tablet: pick your name, tap a light per criterion.
//!
//! Each criterion is a core [`LiveRun`] of светофор for the class, held by the page (outside the
//! part that another tab's change renders again); only the chosen student answers, and the
//! runs' records are kept together when the student is done.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::ids::{CriterionId, LessonId, StudentId};
use lesenka_core::live::{LiveError, LiveRun, On};
use lesenka_core::technique::{Light, Response, Technique};

use crate::components::save_outcome::SaveOutcome;
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, close_now, keep};
use crate::state::{use_data, use_status};

/// One student at a time answers светофор for each of the lesson's criteria; the answers are
/// saved as self-assessment evidence, and the tablet returns to the name list.
#[component]
pub fn StudentLesson() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let params = use_params_map();
    let lesson = Memo::new(move |_| {
        let id = params.with(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()))?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let class = Memo::new(move |_| {
        let class_id = lesson.with(|l| l.as_ref().map(|l| l.class()))?;
        data.classes.with(|c| c.iter().find(|c| c.id == class_id).cloned())
    });
    let (who, set_who) = signal(None::<StudentId>);
    // One run per criterion, made when a student picks their name.
    let runs = RwSignal::new(Vec::<LiveRun>::new());
    let (done, set_done) = signal(None::<Closed>);
    let (error, set_error) = signal(None::<LiveError>);

    let pick = move |student: StudentId| {
        let (Some(lesson), Some(class)) = (lesson.get_untracked(), class.get_untracked()) else {
            return;
        };
        let made: Result<Vec<LiveRun>, LiveError> = lesson
            .criteria()
            .iter()
            .map(|c| {
                let on = On::Criterion(c.id());
                LiveRun::for_class(
                    &lesson,
                    on,
                    Technique::TrafficLight,
                    Source::SelfAssessment,
                    &class,
                )
            })
            .collect();
        match made {
            Ok(made) => {
                runs.set(made);
                set_who.set(Some(student));
                set_error.set(None);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let choose = move |criterion: CriterionId, light: Light| {
        let Some(student) = who.get_untracked() else { return };
        let outcome = runs.try_update(|rs| {
            rs.iter_mut()
                .find(|r| r.on() == On::Criterion(criterion))
                .map(|r| r.answer(student, Response::Light(light)))
        });
        set_error.set(outcome.flatten().and_then(Result::err));
    };
    let chosen = move |criterion: CriterionId| {
        let student = who.get()?;
        runs.with(|rs| {
            let run = rs.iter().find(|r| r.on() == On::Criterion(criterion))?;
            match run.answer_of(student) {
                Some(Response::Light(l)) => Some(*l),
                _ => None,
            }
        })
    };
    let submit = move |_| {
        let records: Result<Vec<Vec<EvidenceRecord>>, LiveError> =
            runs.with_untracked(|rs| rs.iter().map(close_now).collect());
        match records {
            Ok(records) => {
                set_done.set(Some(keep(data, status, records.concat())));
                runs.set(Vec::new());
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let next = move |_| {
        set_who.set(None);
        runs.set(Vec::new());
        set_done.set(None);
    };
    view! {
        <section class="student-mode" data-testid="student-lesson-page">
            {move || {
                let Some(lesson) = lesson.get() else {
                    return view! { <p class="big">{t!(i18n, lesson_not_found)}</p> }.into_any();
                };
                if done.with(Option::is_some) {
                    return view! {
                        <p class="big" role="status" data-testid="student-thanks">{t!(i18n, student_thanks)}</p>
                        <SaveOutcome outcome=done />
                        <button class="big-button" data-testid="student-next" on:click=next>{t!(i18n, student_next)}</button>
                    }.into_any();
                }
                match who.get() {
                    None => {
                        let students = class.get().map(|c| c.students().to_vec()).unwrap_or_default();
                        view! {
                            <h1>{lesson.topic().to_string()}</h1>
                            <h2>{t!(i18n, student_pick_name)}</h2>
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
                    Some(_) => {
                        let criteria = lesson.criteria().to_vec();
                        view! {
                            <h1>{lesson.topic().to_string()}</h1>
                            <p class="big">{t!(i18n, student_how_sure)}</p>
                            {criteria.into_iter().enumerate().map(|(i, c)| {
                                let cid = c.id();
                                view! {
                                    <div class="self-criterion">
                                        <p class="big-title">{c.text().to_string()}</p>
                                        <div class="light-choices">
                                            {Light::ALL.into_iter().map(|l| {
                                                let selected = move || chosen(cid) == Some(l);
                                                view! {
                                                    <button
                                                        class=move || format!("light-choice {}{}", format::light_class(l), if selected() { " selected" } else { "" })
                                                        aria-pressed=move || selected().to_string()
                                                        data-testid=format!("self-{i}-{}", format::light_class(l))
                                                        on:click=move |_| choose(cid, l)
                                                    >
                                                        <b>{move || format::light(i18n, l)}</b>
                                                        <span>{move || format::light_meaning(i18n, l)}</span>
                                                    </button>
                                                }
                                            }).collect_view()}
                                        </div>
                                    </div>
                                }
                            }).collect_view()}
                            <button
                                class="big-button primary"
                                data-testid="student-submit"
                                disabled=move || runs.with(|rs| rs.iter().all(|r| r.answered() == 0))
                                on:click=submit
                            >
                                {t!(i18n, close_technique)}
                            </button>
                        }.into_any()
                    }
                }
            }}
            {move || error.get().map(|e| view! {
                <p class="error big" role="alert" data-testid="run-error">{move || format::live_error(i18n, &e)}</p>
            })}
            <A href="/s" attr:class="btn ghost">{t!(i18n, back)}</A>
        </section>
    }
}
