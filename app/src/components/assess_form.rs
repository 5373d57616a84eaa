//! Assessing a student's work with a rubric's latest version: the class and student, one level
//! per criterion, and core's S, S_min, S_max, both normalisations and the band-table mark, each
//! with its calculation; saving pins the version.

use leptos::prelude::*;
use lesenka_core::ids::{AssessmentId, ClassId, StudentId};
use lesenka_core::rubric::{Choice, Normalisation, Rubric, Score};

use crate::clock::new_uuid;
use crate::components::choice_select::{ChoiceSelect, student_choices};
use crate::components::note::Note;
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};
use crate::{errors, format};

/// The assessment form of a rubric.
#[component]
pub fn AssessForm(
    /// The rubric (`None` when it is not found).
    #[prop(into)]
    rubric: Signal<Option<Rubric>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let (class_choice, set_class_choice) = signal(None::<ClassId>);
    let (student_choice, set_student_choice) = signal(None::<StudentId>);
    let choices = RwSignal::new(Vec::<Option<usize>>::new());
    let (note, set_note) = signal(None::<Result<String, String>>);
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
    let preview = Signal::derive(move || -> Option<Result<(Score, String), String>> {
        let mut r = rubric.get()?;
        let levels = chosen_levels()?;
        let version = r.latest().number();
        let who = student.get().unwrap_or(StudentId::from_u128(0));
        let outcome = r
            .assess(AssessmentId::from_u128(0), who, version, levels)
            .and_then(|a| Ok((r.score(&a)?, r.explain_score(&a)?.render(format::lang(i18n)))));
        Some(outcome.map_err(|e| errors::rubric(i18n, &e, r.latest().criteria())))
    });
    let save = move |_| {
        let Some(mut current) = rubric.get_untracked() else { return };
        let Some(who) = student.get_untracked() else {
            set_note.set(Some(Err(t_string!(i18n, assess_no_student).to_string())));
            return;
        };
        let Some(levels) = chosen_levels() else {
            set_note.set(Some(Err(t_string!(i18n, assess_incomplete).to_string())));
            return;
        };
        let version = current.latest().number();
        let id = AssessmentId::from_uuid(new_uuid());
        let assessment = match current.assess(id, who, version, levels) {
            Ok(a) => a,
            Err(err) => {
                let reason = errors::rubric(i18n, &err, current.latest().criteria());
                set_note.set(Some(Err(t_string!(i18n, rubric_refused, reason).to_string())));
                return;
            }
        };
        match data.save_assessment(status, current, assessment) {
            Ok(()) => {
                set_note.set(Some(Ok(t_string!(i18n, assess_saved, n = version).to_string())));
                let n = choices.with_untracked(Vec::len);
                choices.set(vec![None; n]);
            }
            Err(err) => set_note.set(Some(Err(format::save_failed(i18n, &err)))),
        }
    };
    view! {
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
                        choices=Signal::derive(move || class.with(|c| student_choices(c.as_ref(), projector.0.get())))
                        selected=Signal::derive(move || student.get().map(|id| id.to_string()))
                        on_change=Callback::new(move |v: String| set_student_choice.set(v.parse().ok()))
                    />
                </label>
            </div>
            <LevelChoices rubric choices />
            <ScorePreview preview />
            <div class="actions">
                <button type="button" class="btn primary" data-testid="save-assessment" on:click=save>
                    {t!(i18n, assess_save)}
                </button>
            </div>
            <Note note testid="assessment-note" />
        </section>
    }
}

/// One radio group per criterion of the latest version.
#[component]
fn LevelChoices(
    rubric: Signal<Option<Rubric>>,
    choices: RwSignal<Vec<Option<usize>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
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
    }
}

/// S, S_min, S_max with core's calculation, G_max and both normalisations, and the mark of the
/// policy's band table ([`MarkingPolicy::band_mark`](lesenka_core::marks::MarkingPolicy::band_mark)).
#[component]
fn ScorePreview(preview: Signal<Option<Result<(Score, String), String>>>) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let (grade_max, set_grade_max) = signal(String::from("100"));
    view! {
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
            {move || match preview.get() {
                None => view! { <p class="muted" data-testid="assess-incomplete">{t!(i18n, assess_incomplete)}</p> }.into_any(),
                Some(Err(reason)) => view! { <p class="error" role="alert" data-testid="assess-error">{t_string!(i18n, rubric_refused, reason).to_string()}</p> }.into_any(),
                Some(Ok((score, line))) => {
                    let lang = format::lang(i18n);
                    let grades = match format::parse_number(&grade_max.get()) {
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
                                    <p class="error" data-testid=id>{title}": "{t_string!(i18n, rubric_refused, reason = errors::score(i18n, &err)).to_string()}</p>
                                }.into_any(),
                            }
                        })
                        .collect_view()
                        .into_any(),
                    };
                    let band = match data.policy().band_mark(&score) {
                        Ok(band) => view! {
                            <p>
                                {t!(i18n, assess_mark)}": "
                                <b class="mark" data-testid="band-mark">{band.mark().to_string()}</b>
                                " "
                                <code data-testid="band-explain">{band.explanation.render(lang)}</code>
                            </p>
                        }.into_any(),
                        // A band mark is refused only for the policy's table (no rubric is
                        // involved), so no criteria are needed to word it.
                        Err(err) => view! { <p class="error" data-testid="band-mark">{t_string!(i18n, rubric_refused, reason = errors::assessed(i18n, &err, &[])).to_string()}</p> }.into_any(),
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
    }
}
