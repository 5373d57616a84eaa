//! A rubric's saved assessments, each with its score and mark, and turning one into a gradebook
//! mark of the chosen work type by core's rule ([`assessment_mark`]).

use leptos::prelude::*;
use lesenka_core::criteria::Criterion;
use lesenka_core::ids::{ClassId, StudentId, WorkTypeId};
use lesenka_core::marks::{GradebookError, assessment_mark};
use lesenka_core::roster::Class;
use lesenka_core::rubric::{Assessment, Rubric};

use crate::clock::today;
use crate::components::choice_select::{ChoiceSelect, work_choices};
use crate::components::note::Note;
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};
use crate::{errors, format};

/// The class and student of a student id: (class, name, pseudonym).
fn find_student(classes: &[Class], student: StudentId) -> Option<(ClassId, String, String)> {
    classes.iter().find_map(|c| {
        c.student(student)
            .map(|s| (c.id, s.display_name.to_string(), s.pseudonym.as_str().to_owned()))
    })
}

/// The criteria of the version an assessment pinned, to name them in a refusal (none when the
/// rubric lacks that version: that is then the refusal itself, and it names no criterion).
fn pinned_criteria<'a>(rubric: &'a Rubric, assessment: &Assessment) -> &'a [Criterion] {
    rubric.version(assessment.version()).map_or(&[], |v| v.criteria())
}

/// The saved assessments of a rubric and their way into the gradebook.
#[component]
pub fn AssessmentList(
    /// The rubric (`None` when it is not found).
    #[prop(into)]
    rubric: Signal<Option<Rubric>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let (work_choice, set_work_choice) = signal(None::<WorkTypeId>);
    let (note, set_note) = signal(None::<Result<String, String>>);
    let assessments = move || -> Vec<Assessment> {
        let Some(id) = rubric.with(|r| r.as_ref().map(Rubric::id)) else { return Vec::new() };
        data.assessments.with(|a| a.iter().filter(|a| a.rubric() == id).cloned().collect())
    };
    let to_gradebook = move |a: Assessment| {
        let Some(r) = rubric.get_untracked() else { return };
        let policy = data.policy();
        let fail = |text: String| set_note.set(Some(Err(text)));
        let Some((class, name, _)) = data.classes.with_untracked(|c| find_student(c, a.student()))
        else {
            fail(t_string!(i18n, student_not_found).to_string());
            return;
        };
        let made = match assessment_mark(&r, &a, &policy, work_choice.get_untracked(), today()) {
            Ok(made) => made,
            Err(err) => {
                let reason = errors::assessed(i18n, &err, pinned_criteria(&r, &a));
                fail(t_string!(i18n, rubric_refused, reason).to_string());
                return;
            }
        };
        let mark = made.mark.value.to_string();
        let mut book = data.gradebook(class);
        if let Err(err) = book.add(made.mark, &policy) {
            fail(match err {
                GradebookError::DuplicateMark(_) => {
                    t_string!(i18n, to_gradebook_already, student = name).to_string()
                }
                other => t_string!(i18n, mark_refused, reason = errors::gradebook(i18n, &other))
                    .to_string(),
            });
            return;
        }
        match data.save_gradebook(status, book) {
            Ok(()) => {
                set_note.set(Some(Ok(
                    t_string!(i18n, to_gradebook_done, mark, student = name).to_string()
                )))
            }
            Err(err) => fail(format::save_failed(i18n, &err)),
        }
    };
    let rows = move || {
        let Some(r) = rubric.get() else { return ().into_any() };
        let policy = data.policy();
        let on = projector.0.get();
        assessments()
            .into_iter()
            .enumerate()
            .map(|(k, a)| {
                let who = data
                    .classes
                    .with(|c| find_student(c, a.student()))
                    .map(|(_, name, pseudonym)| if on { pseudonym } else { name })
                    .unwrap_or_else(|| t_string!(i18n, student_not_found).to_string());
                let version = a.version();
                let detail = match assessment_mark(&r, &a, &policy, None, today()) {
                    Ok(made) => t_string!(
                        i18n,
                        assessment_line,
                        s = made.score.s(),
                        max = made.score.max(),
                        mark = made.mark.value.to_string()
                    )
                    .to_string(),
                    Err(err) => {
                        let reason = errors::assessed(i18n, &err, pinned_criteria(&r, &a));
                        t_string!(i18n, rubric_refused, reason).to_string()
                    }
                };
                let a2 = a.clone();
                view! {
                    <li data-testid="assessment-row" data-version=version.to_string()>
                        <b>{who}</b>
                        {format!(" · {} · {}", t_string!(i18n, rubric_version_n, n = version), detail)}
                        " "
                        <button
                            type="button"
                            class="btn"
                            data-testid=format!("to-gradebook-{k}")
                            on:click=move |_| to_gradebook(a2.clone())
                        >
                            {t!(i18n, to_gradebook)}
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, assessments_title)}</h2>
            <label class="form">
                <span>{t!(i18n, to_gradebook_work)}</span>
                <ChoiceSelect
                    testid="to-gradebook-work"
                    choices=Signal::derive(move || work_choices(&data.policy()))
                    selected=Signal::derive(move || work_choice.get().map(|id| id.to_string()))
                    on_change=Callback::new(move |v: String| set_work_choice.set(v.parse().ok()))
                />
            </label>
            <ul class="list" data-testid="assessment-list">{rows}</ul>
            <Note note testid="to-gradebook-note" />
        </section>
    }
}
