//! A student's turn on a shared tablet (`/s/lessons/:lesson`): pick your name, answer the
//! technique the teacher set for the tablet, and the tablet returns to the name list with
//! nothing personal left on screen.
//!
//! The teacher sets the technique on the lesson page; it travels in the address
//! (`?technique=` core's `Technique` as JSON; none: светофор), peer feedback with its pairs
//! (`&pairs=`, core's `PeerPairs`). Each answer goes through a core [`LiveRun`] made here for
//! the chosen student — per criterion for a fixed scale ([`TabletScale`]), on the lesson for the
//! others ([`TextAnswer`]), about the reviewed classmate with source `Peer` for peer feedback —
//! and `LiveRun::close` makes the records: the same path, and the same records, as a student's
//! own device over the network. «Моя лесенка» shows the student's own ladder history
//! ([`LadderHistory`]).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::ids::{LessonId, StudentId};
use lesenka_core::live::{LiveError, LiveRun, On};
use lesenka_core::peer::PeerPairs;
use lesenka_core::technique::{Response, Scope, Technique, TechniqueKind};

use crate::components::save_outcome::SaveOutcome;
use crate::components::tablet_ladder_history::LadderHistory;
use crate::components::tablet_scale::TabletScale;
use crate::components::text_answer::TextAnswer;
use crate::errors;
use crate::i18n::*;
use crate::runs::{Closed, close_now, keep};
use crate::state::{use_data, use_status};

/// The tablet's own styles (in this lazily loaded page).
const TABLET_CSS: &str = "\
.student-mode .text-answer{font-size:1.25rem}\
.student-mode .answer-field input,.student-mode .answer-field textarea{min-height:56px;font-size:1.25rem}\
.student-mode .answer-choice{min-height:56px;min-width:56px}\
.ladder-chart{width:100%;height:auto}.ladder-chart .grid{stroke:var(--line)}\
.ladder-chart .axis-label{font-size:20px;fill:var(--ink)}\
.ladder-line{fill:none;stroke:var(--accent);stroke-width:4}.ladder-point{fill:var(--accent)}\
.tablet-actions{display:flex;flex-wrap:wrap;gap:1rem}";

/// One student at a time answers the tablet's technique; the answers are saved as evidence,
/// and the tablet returns to the name list.
#[component]
pub fn StudentLesson() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let params = use_params_map();
    let query = use_query_map();
    let lesson = Memo::new(move |_| {
        let id = params.with(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()))?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let class = Memo::new(move |_| {
        let class_id = lesson.with(|l| l.as_ref().map(|l| l.class()))?;
        data.classes.with(|c| c.iter().find(|c| c.id == class_id).cloned())
    });
    // The technique the teacher set (`None`: the address holds one core does not read).
    let technique = Memo::new(move |_| {
        query.with(|q| match q.get("technique") {
            None => Some(Technique::TrafficLight),
            Some(json) => serde_json::from_str::<Technique>(&json).ok(),
        })
    });
    // Pairs core does not read are no pairs: no reviewer is listed, nothing is recorded.
    let pairs = Memo::new(move |_| {
        query
            .with(|q| q.get("pairs").and_then(|json| serde_json::from_str::<PeerPairs>(&json).ok()))
    });
    let (who, set_who) = signal(None::<StudentId>);
    let (history, set_history) = signal(false);
    // The chosen student's runs: one per criterion, or one on the lesson.
    let runs = RwSignal::new(Vec::<LiveRun>::new());
    let (done, set_done) = signal(None::<Closed>);
    let (error, set_error) = signal(None::<LiveError>);

    let pick = move |student: StudentId| {
        let (Some(lesson), Some(class), Some(technique)) =
            (lesson.get_untracked(), class.get_untracked(), technique.get_untracked())
        else {
            return;
        };
        let made: Result<Vec<LiveRun>, LiveError> =
            if technique.kind() == TechniqueKind::TwoStarsAndAWish {
                // A review is about the classmate whose work it is, written by a peer.
                let reviewed = pairs.get_untracked().and_then(|p| p.reviewed_by(student));
                let Some(reviewed) = reviewed else { return };
                LiveRun::new(&lesson, On::Lesson, technique, Source::Peer, [reviewed])
                    .and_then(|r| r.written_by(student))
                    .map(|r| vec![r])
            } else {
                match technique.scope() {
                    Scope::PerCriterion => lesson
                        .criteria()
                        .iter()
                        .map(|c| {
                            LiveRun::new(
                                &lesson,
                                On::Criterion(c.id()),
                                technique.clone(),
                                Source::SelfAssessment,
                                [student],
                            )
                        })
                        .collect(),
                    Scope::Lesson => LiveRun::for_class(
                        &lesson,
                        On::Lesson,
                        technique,
                        Source::SelfAssessment,
                        &class,
                    )
                    .map(|r| vec![r]),
                }
            };
        match made {
            Ok(made) => {
                runs.set(made);
                set_who.set(Some(student));
                set_history.set(false);
                set_error.set(None);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    // Closes the runs: core makes the records, which are kept; the tablet thanks and forgets.
    let finish = move || {
        let records: Result<Vec<Vec<EvidenceRecord>>, LiveError> =
            runs.with_untracked(|rs| rs.iter().map(close_now).collect());
        match records {
            Ok(records) => {
                set_done.set(Some(keep(data, status, records.concat())));
                runs.set(Vec::new());
                set_who.set(None);
                Ok(())
            }
            Err(e) => Err(e),
        }
    };
    let next = move |_| {
        set_who.set(None);
        runs.set(Vec::new());
        set_done.set(None);
        set_history.set(false);
    };
    view! {
        <section class="student-mode" data-testid="student-lesson-page">
            <style>{TABLET_CSS}</style>
            {move || {
                let Some(lesson) = lesson.get() else {
                    return view! { <p class="big">{t!(i18n, lesson_not_found)}</p> }.into_any();
                };
                let Some(technique) = technique.get() else {
                    return view! { <p class="big error" role="alert" data-testid="tablet-bad-technique">{t!(i18n, tablet_bad_technique)}</p> }.into_any();
                };
                if done.with(Option::is_some) {
                    return view! {
                        <p class="big" role="status" data-testid="student-thanks">{t!(i18n, student_thanks)}</p>
                        <SaveOutcome outcome=done />
                        <button class="big-button" data-testid="student-next" on:click=next>{t!(i18n, student_next)}</button>
                    }.into_any();
                }
                let peer_mode = technique.kind() == TechniqueKind::TwoStarsAndAWish;
                let Some(student) = who.get() else {
                    let pairs = pairs.get();
                    let students: Vec<_> = class
                        .get()
                        .map(|c| c.students().to_vec())
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|s| !peer_mode || pairs.as_ref().is_some_and(|p| p.reviewed_by(s.id).is_some()))
                        .collect();
                    return view! {
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
                    }.into_any();
                };
                let class_id = lesson.class();
                let head = view! {
                    <h1>{lesson.topic().to_string()}</h1>
                    <div class="tablet-actions">
                        <button
                            class="big-button"
                            data-testid="my-ladder"
                            aria-pressed=move || history.get().to_string()
                            on:click=move |_| set_history.update(|h| *h = !*h)
                        >
                            {t!(i18n, tablet_my_ladder)}
                        </button>
                    </div>
                    <Show when=move || history.get()>
                        <LadderHistory student=student class=class_id />
                    </Show>
                };
                let body = if technique.scope() == Scope::PerCriterion && !peer_mode {
                    let criteria = lesson.criteria().to_vec();
                    view! {
                        <p class="big">{t!(i18n, student_how_sure)}</p>
                        {criteria.into_iter().enumerate().map(|(i, c)| {
                            let cid = c.id();
                            let chosen = Signal::derive(move || {
                                runs.with(|rs| rs.iter().find(|r| r.on() == On::Criterion(cid))?.answer_of(student).cloned())
                            });
                            let choose = Callback::new(move |value: Response| {
                                let outcome = runs.try_update(|rs| {
                                    rs.iter_mut()
                                        .find(|r| r.on() == On::Criterion(cid))
                                        .map(|r| r.answer(student, value))
                                });
                                set_error.set(outcome.flatten().and_then(Result::err));
                            });
                            view! {
                                <div class="self-criterion">
                                    <p class="big-title">{c.text().to_string()}</p>
                                    <TabletScale index=i technique=technique.clone() chosen=chosen on_choose=choose />
                                </div>
                            }
                        }).collect_view()}
                        <button
                            class="big-button primary"
                            data-testid="student-submit"
                            disabled=move || runs.with(|rs| rs.iter().all(|r| r.answered() == 0))
                            on:click=move |_| {
                                if let Err(e) = finish() {
                                    set_error.set(Some(e));
                                }
                            }
                        >
                            {t!(i18n, close_technique)}
                        </button>
                    }.into_any()
                } else {
                    // The one run's student: the reviewed classmate for a review, else the student.
                    let about = runs.with_untracked(|rs| rs.first().and_then(|r| r.roster().iter().next().copied()));
                    let about = if peer_mode { about.unwrap_or(student) } else { student };
                    let peer_name = peer_mode.then(|| {
                        class.get().and_then(|c| c.student(about).map(|s| s.display_name.to_string()))
                    }).flatten();
                    let submit = Callback::new(move |response: Response| {
                        runs.try_update(|rs| rs.first_mut().map(|r| r.answer(about, response)))
                            .flatten()
                            .unwrap_or(Ok(()))?;
                        finish()
                    });
                    view! {
                        {peer_name.map(|name| view! {
                            <p class="big" data-testid="peer-whom">{t!(i18n, peer_about)} " " {name}</p>
                        })}
                        <TextAnswer
                            technique=technique.clone()
                            peer=peer_mode
                            on_submit=submit
                            submit_label=Signal::derive(move || t_string!(i18n, close_technique).to_string())
                        />
                    }.into_any()
                };
                view! { {head} {body} }.into_any()
            }}
            {move || error.get().map(|e| view! {
                <p class="error big" role="alert" data-testid="run-error">{move || errors::live(i18n, &e)}</p>
            })}
            <A href="/s" attr:class="btn ghost">{t!(i18n, back)}</A>
        </section>
    }
}
