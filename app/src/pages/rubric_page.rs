//! One rubric: its versions, editing (a used version is never changed: core adds a new one),
//! assessing a student's work with the latest version, and the saved assessments, each of which
//! can become a gradebook mark through the policy's points → mark table.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lesenka_core::explain::Explanation;
use lesenka_core::ids::{AssessmentId, ClassId, MarkId, RubricId, StudentId, WorkTypeId};
use lesenka_core::marks::{Facts, Fraction, GradebookError, Mark, MarkingPolicy};
use lesenka_core::roster::Class;
use lesenka_core::rubric::{Assessment, Choice, Edit, Normalisation, Score};
use lesenka_core::text::Name;

use crate::clock::{new_uuid, today};
use crate::components::choice_select::ChoiceSelect;
use crate::components::criteria_editor::{CriteriaEditor, CriterionForm, build, problem_text};
use crate::format::{self, student_label};
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};

/// The mark for a score by the policy's first points → mark table, with core's explanation.
fn band_mark(policy: &MarkingPolicy, score: &Score) -> Result<(Name, Explanation), String> {
    let table = policy.tables().first().ok_or_else(|| "no points → mark table".to_owned())?;
    let points = Fraction::from(score.s());
    let choice = table
        .lookup(points, Fraction::from(score.max()), &Facts::new())
        .map_err(|e| e.to_string())?;
    let explanation = table.explain(points, &choice);
    Ok((choice.mark, explanation))
}

/// The class and student of a student id.
fn find_student(classes: &[Class], student: StudentId) -> Option<(ClassId, String, String)> {
    classes.iter().find_map(|c| {
        c.student(student)
            .map(|s| (c.id, s.display_name.to_string(), s.pseudonym.as_str().to_owned()))
    })
}

/// The rubric named in the address.
#[component]
pub fn RubricPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let params = use_params_map();
    let rubric_id =
        move || params.with(|p| p.get("rubric").and_then(|s| s.parse::<RubricId>().ok()));
    let rubric = Memo::new(move |_| {
        let id = rubric_id()?;
        data.rubrics.with(|r| r.iter().find(|r| r.id() == id).cloned())
    });

    // Editing the latest version.
    let forms = RwSignal::new(Vec::<CriterionForm>::new());
    let (edit_note, set_edit_note) = signal(None::<Result<String, String>>);
    Effect::new(move |_| {
        let latest = rubric.with(|r| {
            r.as_ref().map(|r| r.latest().criteria().iter().map(CriterionForm::of).collect())
        });
        forms.set(latest.unwrap_or_default());
    });
    let save_edit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut current) = rubric.get_untracked() else { return };
        let criteria = match forms.with_untracked(|f| build(f)) {
            Ok(c) => c,
            Err(problem) => {
                set_edit_note.set(Some(Err(problem_text(i18n, &problem))));
                return;
            }
        };
        let before = current.latest().number();
        let edit = match current.edit(criteria) {
            Ok(edit) => edit,
            Err(err) => {
                let reason = err.to_string();
                set_edit_note.set(Some(Err(t_string!(i18n, rubric_refused, reason).to_string())));
                return;
            }
        };
        let note = match edit {
            Edit::Unchanged(n) => t_string!(i18n, rubric_edit_unchanged, n).to_string(),
            Edit::Replaced(n) => t_string!(i18n, rubric_edit_replaced, n).to_string(),
            Edit::NewVersion(n) => {
                t_string!(i18n, rubric_edit_new_version, old = before, n).to_string()
            }
        };
        if matches!(edit, Edit::Unchanged(_)) {
            set_edit_note.set(Some(Ok(note)));
            return;
        }
        match data.save_rubric(status, current) {
            Ok(()) => set_edit_note.set(Some(Ok(note))),
            Err(err) => set_edit_note.set(Some(Err(t_string!(
                i18n,
                storage_failed,
                reason = err.to_string()
            )
            .to_string()))),
        }
    };

    // Assessing with the latest version.
    let (class_choice, set_class_choice) = signal(None::<ClassId>);
    let (student_choice, set_student_choice) = signal(None::<StudentId>);
    let choices = RwSignal::new(Vec::<Option<usize>>::new());
    let (grade_max, set_grade_max) = signal(String::from("100"));
    let (assess_note, set_assess_note) = signal(None::<Result<String, String>>);
    Effect::new(move |_| {
        let n = rubric.with(|r| r.as_ref().map_or(0, |r| r.latest().criteria().len()));
        choices.set(vec![None; n]);
    });
    let class = Memo::new(move |_| {
        data.classes.with(|classes| {
            let chosen = class_choice.get();
            classes.iter().find(|c| Some(c.id) == chosen).or_else(|| classes.first()).cloned()
        })
    });
    let student = Memo::new(move |_| {
        let class = class.get()?;
        let chosen = student_choice.get();
        class
            .students()
            .iter()
            .find(|s| Some(s.id) == chosen)
            .or_else(|| class.students().first())
            .map(|s| s.id)
    });
    let chosen_levels = move || -> Option<Vec<Choice>> {
        let r = rubric.get()?;
        let picked = choices.get();
        r.latest()
            .criteria()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                picked.get(i).copied().flatten().map(|level| Choice { criterion: c.id(), level })
            })
            .collect()
    };
    let preview = move || -> Option<Result<(Score, String), String>> {
        let mut r = rubric.get()?;
        let levels = chosen_levels()?;
        let version = r.latest().number();
        let who = student.get().unwrap_or(StudentId::from_u128(0));
        let outcome = r
            .assess(AssessmentId::from_u128(0), who, version, levels)
            .and_then(|a| Ok((r.score(&a)?, r.explain_score(&a)?.render(format::lang(i18n)))));
        Some(outcome.map_err(|e| e.to_string()))
    };
    let save_assessment = move |_| {
        let Some(mut current) = rubric.get_untracked() else { return };
        let Some(who) = student.get_untracked() else {
            set_assess_note.set(Some(Err(t_string!(i18n, assess_no_student).to_string())));
            return;
        };
        let Some(levels) = chosen_levels() else {
            set_assess_note.set(Some(Err(t_string!(i18n, assess_incomplete).to_string())));
            return;
        };
        let version = current.latest().number();
        let id = AssessmentId::from_uuid(new_uuid());
        let assessment = match current.assess(id, who, version, levels) {
            Ok(a) => a,
            Err(err) => {
                let reason = err.to_string();
                set_assess_note.set(Some(Err(t_string!(i18n, rubric_refused, reason).to_string())));
                return;
            }
        };
        match data.save_assessment(status, current, assessment) {
            Ok(()) => {
                set_assess_note
                    .set(Some(Ok(t_string!(i18n, assess_saved, n = version).to_string())));
                let n = choices.with_untracked(Vec::len);
                choices.set(vec![None; n]);
            }
            Err(err) => set_assess_note.set(Some(Err(t_string!(
                i18n,
                storage_failed,
                reason = err.to_string()
            )
            .to_string()))),
        }
    };

    // Saved assessments and turning them into gradebook marks.
    let assessments = move || {
        let Some(id) = rubric_id() else { return Vec::new() };
        data.assessments.with(|a| a.iter().filter(|a| a.rubric() == id).cloned().collect())
    };
    let (work_choice, set_work_choice) = signal(None::<WorkTypeId>);
    let (book_note, set_book_note) = signal(None::<Result<String, String>>);
    let to_gradebook = move |a: Assessment| {
        let Some(r) = rubric.get_untracked() else { return };
        let policy = data.policy();
        let fail = |text: String| set_book_note.set(Some(Err(text)));
        let Some((class, name, _)) = data.classes.with_untracked(|c| find_student(c, a.student()))
        else {
            fail(t_string!(i18n, student_not_found).to_string());
            return;
        };
        let mark = match r.score(&a).map_err(|e| e.to_string()).and_then(|s| band_mark(&policy, &s))
        {
            Ok((mark, _)) => mark,
            Err(reason) => {
                fail(t_string!(i18n, rubric_refused, reason).to_string());
                return;
            }
        };
        let work = work_choice
            .get_untracked()
            .filter(|w| policy.work_type(*w).is_some())
            .or_else(|| policy.work_types().first().map(|w| w.id));
        let Some(work_type) = work else { return };
        let mut book = data.gradebook(class);
        let entry = Mark {
            // The assessment's own id: turning it into a mark twice is refused, not doubled.
            id: MarkId::from_uuid(*a.id().as_uuid()),
            student: a.student(),
            work_type,
            date: today(),
            value: mark.clone(),
            comment: Some(r.title().clone()),
        };
        if let Err(err) = book.add(entry, &policy) {
            fail(match err {
                GradebookError::DuplicateMark(_) => {
                    t_string!(i18n, to_gradebook_already, student = name).to_string()
                }
                other => t_string!(i18n, rubric_refused, reason = other.to_string()).to_string(),
            });
            return;
        }
        match data.save_gradebook(status, book) {
            Ok(()) => set_book_note.set(Some(Ok(t_string!(
                i18n,
                to_gradebook_done,
                mark = mark.to_string(),
                student = name
            )
            .to_string()))),
            Err(err) => fail(t_string!(i18n, storage_failed, reason = err.to_string()).to_string()),
        }
    };

    let note_view = move |note: Option<Result<String, String>>, id: &'static str| {
        note.map(|n| match n {
            Ok(text) => {
                view! { <p class="notice" role="status" data-testid=id>{text}</p> }.into_any()
            }
            Err(text) => {
                view! { <p class="error" role="alert" data-testid=id>{text}</p> }.into_any()
            }
        })
    };

    view! {
        {move || match rubric.get() {
            None => view! { <p class="card" data-testid="rubric-not-found">{t!(i18n, rubric_not_found)}</p> }.into_any(),
            Some(r) => {
                let latest = r.latest().number();
                let versions = r.versions().to_vec();
                view! {
                    <section class="card">
                        <h1 data-testid="rubric-name">{r.title().to_string()}</h1>
                        <p class="muted" data-testid="rubric-latest">
                            {move || t_string!(i18n, rubric_latest, n = latest).to_string()}
                        </p>
                        <ul class="list" data-testid="rubric-versions">
                            {versions
                                .into_iter()
                                .map(|v| {
                                    let n = v.number();
                                    let count = v.criteria().len();
                                    let used = v.used();
                                    let (min, max) = (v.min_points(), v.max_points());
                                    view! {
                                        <li data-testid=format!("rubric-version-{n}")>
                                            {move || {
                                                let mut line = format!(
                                                    "{} · {} · {}",
                                                    t_string!(i18n, rubric_version_n, n),
                                                    format::criteria(i18n, count),
                                                    t_string!(i18n, rubric_points_range, min, max),
                                                );
                                                if used {
                                                    line.push_str(&format!(" · {}", t_string!(i18n, rubric_version_used)));
                                                }
                                                line
                                            }}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
                    .into_any()
            }
        }}
        <Show when=move || rubric.with(Option::is_some)>
            <section class="card">
                <h2>{t!(i18n, assess_title)}</h2>
                <div class="form">
                    <label>
                        <span>{t!(i18n, assess_class)}</span>
                        <ChoiceSelect
                            testid="assess-class"
                            choices=Signal::derive(move || {
                                data.classes.with(|cs| {
                                    cs.iter().map(|c| (c.id.to_string(), c.name.to_string())).collect()
                                })
                            })
                            selected=Signal::derive(move || class.get().map(|c| c.id.to_string()))
                            on_change=Callback::new(move |v: String| {
                                set_class_choice.set(v.parse().ok());
                                set_student_choice.set(None);
                            })
                        />
                    </label>
                    <label>
                        <span>{t!(i18n, assess_student)}</span>
                        <ChoiceSelect
                            testid="assess-student"
                            choices=Signal::derive(move || {
                                let on = projector.0.get();
                                class.with(|c| {
                                    c.iter()
                                        .flat_map(|c| c.students())
                                        .map(|s| (s.id.to_string(), student_label(s, on)))
                                        .collect()
                                })
                            })
                            selected=Signal::derive(move || student.get().map(|id| id.to_string()))
                            on_change=Callback::new(move |v: String| set_student_choice.set(v.parse().ok()))
                        />
                    </label>
                </div>
                <div class="assess-criteria">
                    {move || {
                        let Some(r) = rubric.get() else { return ().into_any() };
                        r.latest()
                            .criteria()
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let levels = c.levels().to_vec();
                                view! {
                                    <fieldset class="criterion-form" data-testid=format!("assess-criterion-{i}")>
                                        <legend>{c.title().to_string()}</legend>
                                        {levels
                                            .into_iter()
                                            .enumerate()
                                            .map(|(j, l)| {
                                                let points = l.points;
                                                view! {
                                                    <label class="level-choice">
                                                        <input
                                                            type="radio"
                                                            name=format!("assess-{i}")
                                                            data-testid=format!("assess-{i}-{j}")
                                                            prop:checked=move || choices.with(|c| c.get(i).copied().flatten() == Some(j))
                                                            on:change=move |_| choices.update(|c| {
                                                                if let Some(slot) = c.get_mut(i) {
                                                                    *slot = Some(j);
                                                                }
                                                            })
                                                        />
                                                        <b>{l.label.to_string()}</b>
                                                        {move || format!(" ({}) — ", format::points(i18n, points as usize))}
                                                        {l.teacher.to_string()}
                                                        <span class="muted">{format!(" «{}»", l.student)}</span>
                                                    </label>
                                                }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </div>
                <label class="form">
                    <span>{t!(i18n, assess_grade_max)}</span>
                    <input
                        type="text"
                        inputmode="decimal"
                        data-testid="grade-max"
                        prop:value=grade_max
                        on:input=move |ev| set_grade_max.set(event_target_value(&ev))
                    />
                </label>
                <div class="score" data-testid="assess-result">
                    {move || match preview() {
                        None => view! { <p class="muted" data-testid="assess-incomplete">{t!(i18n, assess_incomplete)}</p> }.into_any(),
                        Some(Err(reason)) => view! { <p class="error" role="alert" data-testid="assess-error">{t_string!(i18n, rubric_refused, reason).to_string()}</p> }.into_any(),
                        Some(Ok((score, line))) => {
                            let lang = format::lang(i18n);
                            let g_max = format::parse_number(&grade_max.get());
                            let grades = match g_max {
                                None => view! { <p class="error" role="alert" data-testid="grade-error">{t!(i18n, assess_grade_max_bad)}</p> }.into_any(),
                                Some(g) => [
                                    (Normalisation::OfMaximum, "grade-of-max", "grade-of-max-explain"),
                                    (Normalisation::MinToMax, "grade-min-to-max", "grade-min-to-max-explain"),
                                ]
                                .into_iter()
                                .map(|(mode, id, explain_id)| {
                                    let title = match mode {
                                        Normalisation::OfMaximum => t_string!(i18n, assess_of_max).to_string(),
                                        Normalisation::MinToMax => t_string!(i18n, assess_min_to_max).to_string(),
                                    };
                                    match (score.normalise(mode, g), score.explain(mode, g)) {
                                        (Ok(value), Ok(e)) => view! {
                                            <p>
                                                {title}": "
                                                <b data-testid=id>{format::number(i18n, value)}</b>
                                                " "
                                                <code data-testid=explain_id>{e.render(lang)}</code>
                                            </p>
                                        }.into_any(),
                                        (Err(err), _) | (_, Err(err)) => view! {
                                            <p class="error" data-testid=id>{title}": "{t_string!(i18n, rubric_refused, reason = err.to_string()).to_string()}</p>
                                        }.into_any(),
                                    }
                                })
                                .collect_view()
                                .into_any(),
                            };
                            let band = match band_mark(&data.policy(), &score) {
                                Ok((mark, e)) => view! {
                                    <p>
                                        {t!(i18n, assess_mark)}": "
                                        <b class="mark" data-testid="band-mark">{mark.to_string()}</b>
                                        " "
                                        <code data-testid="band-explain">{e.render(lang)}</code>
                                    </p>
                                }.into_any(),
                                Err(reason) => view! { <p class="error" data-testid="band-mark">{t_string!(i18n, rubric_refused, reason).to_string()}</p> }.into_any(),
                            };
                            view! {
                                <p>
                                    "S = " <b data-testid="score-s">{score.s()}</b>
                                    ", S_min = " <b data-testid="score-min">{score.min()}</b>
                                    ", S_max = " <b data-testid="score-max">{score.max()}</b>
                                </p>
                                <p><code data-testid="score-explain">{line}</code></p>
                                {grades}
                                {band}
                            }.into_any()
                        }
                    }}
                </div>
                <div class="actions">
                    <button type="button" class="btn primary" data-testid="save-assessment" on:click=save_assessment>
                        {t!(i18n, assess_save)}
                    </button>
                </div>
                {move || note_view(assess_note.get(), "assessment-note")}
            </section>
            <section class="card">
                <h2>{t!(i18n, assessments_title)}</h2>
                <label class="form">
                    <span>{t!(i18n, to_gradebook_work)}</span>
                    <ChoiceSelect
                        testid="to-gradebook-work"
                        choices=Signal::derive(move || {
                            data.policy()
                                .work_types()
                                .iter()
                                .map(|w| (w.id.to_string(), w.name.to_string()))
                                .collect()
                        })
                        selected=Signal::derive(move || work_choice.get().map(|id| id.to_string()))
                        on_change=Callback::new(move |v: String| set_work_choice.set(v.parse().ok()))
                    />
                </label>
                <ul class="list" data-testid="assessment-list">
                    {move || {
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
                                let scored = r.score(&a).map_err(|e| e.to_string()).and_then(|s| {
                                    let (mark, _) = band_mark(&policy, &s)?;
                                    Ok((s, mark))
                                });
                                let detail = match scored {
                                    Ok((s, mark)) => t_string!(i18n, assessment_line, s = s.s(), max = s.max(), mark = mark.to_string()).to_string(),
                                    Err(reason) => t_string!(i18n, rubric_refused, reason).to_string(),
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
                    }}
                </ul>
                {move || note_view(book_note.get(), "to-gradebook-note")}
            </section>
            <section class="card">
                <h2>{t!(i18n, rubric_edit_title)}</h2>
                <p class="muted">{t!(i18n, rubric_edit_hint)}</p>
                <form on:submit=save_edit class="form">
                    <CriteriaEditor forms=forms />
                    <div class="actions">
                        <button type="submit" class="btn primary" data-testid="save-edit">
                            {t!(i18n, rubric_edit_save)}
                        </button>
                    </div>
                </form>
                {move || note_view(edit_note.get(), "edit-note")}
            </section>
        </Show>
    }
}
