//! The rubric criteria editor: criteria with ordered levels (label, the teacher's and the
//! student's wording, points), turned into core's validated [`Criterion`]s by [`build`].

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use lesenka_core::criteria::{Criterion, CriterionError, Level};
use lesenka_core::ids::CriterionId;
use lesenka_core::text::Name;

use crate::clock::new_uuid;
use crate::errors;
use crate::i18n::*;

/// One level as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelForm {
    /// Short label.
    pub label: String,
    /// What the teacher looks for.
    pub teacher: String,
    /// The student's wording.
    pub student: String,
    /// Points, as typed.
    pub points: String,
}

/// One criterion as typed; the id is kept so an unchanged criterion stays the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionForm {
    /// The criterion's id.
    pub id: CriterionId,
    /// Title.
    pub title: String,
    /// Levels, lowest first.
    pub levels: Vec<LevelForm>,
}

impl CriterionForm {
    /// An empty criterion with two empty levels.
    pub fn blank() -> Self {
        Self {
            id: CriterionId::from_uuid(new_uuid()),
            title: String::new(),
            levels: vec![LevelForm::default(), LevelForm::default()],
        }
    }

    /// The form of an existing criterion.
    pub fn of(criterion: &Criterion) -> Self {
        Self {
            id: criterion.id(),
            title: criterion.title().to_string(),
            levels: criterion
                .levels()
                .iter()
                .map(|l| LevelForm {
                    label: l.label.to_string(),
                    teacher: l.teacher.to_string(),
                    student: l.student.to_string(),
                    points: l.points.to_string(),
                })
                .collect(),
        }
    }
}

/// What is wrong with the typed criteria (criterion and level numbers are 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormProblem {
    /// No criteria at all.
    NoCriteria,
    /// A criterion without a title (or one too long).
    Title(usize),
    /// A level's label, teacher or student wording is empty or too long.
    LevelText(usize, usize),
    /// A level's points are not a whole number ≥ 0.
    Points(usize, usize),
    /// Core refused the criterion.
    Criterion(usize, CriterionError),
}

/// Turns the forms into core's criteria, or says what to fix.
pub fn build(forms: &[CriterionForm]) -> Result<Vec<Criterion>, FormProblem> {
    if forms.is_empty() {
        return Err(FormProblem::NoCriteria);
    }
    forms
        .iter()
        .enumerate()
        .map(|(i, form)| {
            let n = i + 1;
            let title = Name::parse(&form.title).map_err(|_| FormProblem::Title(n))?;
            let levels = form
                .levels
                .iter()
                .enumerate()
                .map(|(j, l)| {
                    let text =
                        |t: &str| Name::parse(t).map_err(|_| FormProblem::LevelText(n, j + 1));
                    Ok(Level {
                        label: text(&l.label)?,
                        teacher: text(&l.teacher)?,
                        student: text(&l.student)?,
                        points: l
                            .points
                            .trim()
                            .parse::<u32>()
                            .map_err(|_| FormProblem::Points(n, j + 1))?,
                    })
                })
                .collect::<Result<Vec<_>, FormProblem>>()?;
            Criterion::new(form.id, None, title, levels).map_err(|e| FormProblem::Criterion(n, e))
        })
        .collect()
}

/// The problem in the interface's language.
pub fn problem_text(i18n: I18nContext<Locale>, problem: &FormProblem) -> String {
    match problem {
        FormProblem::NoCriteria => t_string!(i18n, rubric_no_criteria).to_string(),
        FormProblem::Title(n) => {
            t_string!(i18n, rubric_criterion_title_bad, n = *n, max = Name::MAX_CHARS).to_string()
        }
        FormProblem::LevelText(n, level) => {
            t_string!(i18n, rubric_level_text_bad, n = *n, level = *level).to_string()
        }
        FormProblem::Points(n, level) => {
            t_string!(i18n, rubric_points_bad, n = *n, level = *level).to_string()
        }
        FormProblem::Criterion(n, e) => errors::criterion(i18n, *n, e),
    }
}

/// Edits `forms` in place. Typing does not re-render the editor (the signal is updated
/// untracked); adding or removing a criterion or level does.
#[component]
pub fn CriteriaEditor(
    /// The criteria being edited.
    forms: RwSignal<Vec<CriterionForm>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit = move |i: usize, j: Option<usize>, field: u8, value: String| {
        forms.update_untracked(|f| {
            let Some(c) = f.get_mut(i) else { return };
            match j {
                None => c.title = value,
                Some(j) => {
                    let Some(l) = c.levels.get_mut(j) else { return };
                    match field {
                        0 => l.label = value,
                        1 => l.teacher = value,
                        2 => l.student = value,
                        _ => l.points = value,
                    }
                }
            }
        });
    };
    view! {
        <div class="criteria-editor">
            {move || {
                let list = forms.get();
                let count = list.len();
                list.into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let level_count = c.levels.len();
                        view! {
                            <fieldset class="criterion-form" data-testid=format!("criterion-{i}")>
                                <legend>{move || t_string!(i18n, rubric_criterion_n, n = i + 1).to_string()}</legend>
                                <label>
                                    <span>{t!(i18n, rubric_criterion_title)}</span>
                                    <input
                                        type="text"
                                        data-testid=format!("criterion-{i}-title")
                                        prop:value=c.title.clone()
                                        on:input=move |ev| edit(i, None, 0, event_target_value(&ev))
                                    />
                                </label>
                                <table class="levels">
                                    <thead>
                                        <tr>
                                            <th>{t!(i18n, rubric_level_label)}</th>
                                            <th>{t!(i18n, rubric_level_teacher)}</th>
                                            <th>{t!(i18n, rubric_level_student)}</th>
                                            <th>{t!(i18n, rubric_level_points)}</th>
                                            <th></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {c.levels
                                            .into_iter()
                                            .enumerate()
                                            .map(|(j, l)| {
                                                let cell = move |field: u8, value: String, kind: &'static str| {
                                                    let input_type = if field == 3 { "number" } else { "text" };
                                                    // The column heading is not a label: say which level and column.
                                                    let label = move || {
                                                        let column = match field {
                                                            0 => t_string!(i18n, rubric_level_label),
                                                            1 => t_string!(i18n, rubric_level_teacher),
                                                            2 => t_string!(i18n, rubric_level_student),
                                                            _ => t_string!(i18n, rubric_level_points),
                                                        };
                                                        t_string!(i18n, rubric_level_input, n = j + 1, column).to_string()
                                                    };
                                                    view! {
                                                        <td>
                                                            <input
                                                                type=input_type
                                                                min="0"
                                                                aria-label=label
                                                                data-testid=format!("level-{i}-{j}-{kind}")
                                                                prop:value=value
                                                                on:input=move |ev| edit(i, Some(j), field, event_target_value(&ev))
                                                            />
                                                        </td>
                                                    }
                                                };
                                                view! {
                                                    <tr>
                                                        {cell(0, l.label, "label")}
                                                        {cell(1, l.teacher, "teacher")}
                                                        {cell(2, l.student, "student")}
                                                        {cell(3, l.points, "points")}
                                                        <td>
                                                            <Show when=move || { level_count > 2 }>
                                                                <button
                                                                    type="button"
                                                                    class="btn ghost"
                                                                    data-testid=format!("remove-level-{i}-{j}")
                                                                    on:click=move |_| forms.update(|f| {
                                                                        let fits = |c: &&mut CriterionForm| c.levels.len() > 2 && j < c.levels.len();
                                                                        if let Some(c) = f.get_mut(i).filter(fits) {
                                                                            c.levels.remove(j);
                                                                        }
                                                                    })
                                                                >
                                                                    "×"
                                                                </button>
                                                            </Show>
                                                        </td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                                <div class="actions">
                                    <button
                                        type="button"
                                        class="btn"
                                        data-testid=format!("add-level-{i}")
                                        on:click=move |_| forms.update(|f| {
                                            if let Some(c) = f.get_mut(i) {
                                                c.levels.push(LevelForm::default());
                                            }
                                        })
                                    >
                                        {t!(i18n, rubric_add_level)}
                                    </button>
                                    <Show when=move || { count > 1 }>
                                        <button
                                            type="button"
                                            class="btn ghost"
                                            data-testid=format!("remove-criterion-{i}")
                                            on:click=move |_| forms.update(|f| {
                                                if f.len() > 1 && i < f.len() {
                                                    f.remove(i);
                                                }
                                            })
                                        >
                                            {t!(i18n, rubric_remove_criterion)}
                                        </button>
                                    </Show>
                                </div>
                            </fieldset>
                        }
                    })
                    .collect_view()
            }}
            <button
                type="button"
                class="btn"
                data-testid="add-criterion"
                on:click=move |_| forms.update(|f| f.push(CriterionForm::blank()))
            >
                {t!(i18n, rubric_add_criterion)}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, levels: &[(&str, &str)]) -> CriterionForm {
        CriterionForm {
            id: CriterionId::from_u128(1),
            title: title.to_owned(),
            levels: levels
                .iter()
                .map(|(label, points)| LevelForm {
                    label: (*label).to_owned(),
                    teacher: format!("учитель: {label}"),
                    student: format!("Я: {label}"),
                    points: (*points).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn typed_criteria_become_core_criteria_or_a_named_problem() {
        let good = form("Аргументы", &[("нет", "0"), ("один", "1"), ("два", "2")]);
        let built = build(std::slice::from_ref(&good)).unwrap();
        assert_eq!((built[0].min_points(), built[0].max_points()), (0, 2));
        assert_eq!(CriterionForm::of(&built[0]), good);
        let cases = [
            (vec![], FormProblem::NoCriteria),
            (vec![form(" ", &[("a", "0"), ("b", "1")])], FormProblem::Title(1)),
            (
                vec![good.clone(), form("Факты", &[("a", "0"), ("", "1")])],
                FormProblem::LevelText(2, 2),
            ),
            (vec![form("Факты", &[("a", "0"), ("b", "x")])], FormProblem::Points(1, 2)),
            (vec![form("Факты", &[("a", "0"), ("b", "-1")])], FormProblem::Points(1, 2)),
            (
                vec![form("Факты", &[("a", "0")])],
                FormProblem::Criterion(1, CriterionError::TooFewLevels(1)),
            ),
        ];
        for (forms, expected) in cases {
            assert_eq!(build(&forms), Err(expected.clone()), "{expected:?}");
        }
        let not_rising = build(&[form("Факты", &[("a", "2"), ("b", "2")])]);
        assert!(matches!(
            not_rising,
            Err(FormProblem::Criterion(1, CriterionError::PointsNotIncreasing { index: 1, .. }))
        ));
    }
}
