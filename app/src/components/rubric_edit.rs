//! Editing a rubric's latest version: core decides whether the edit replaces it (unused) or
//! makes a new version (used), and the form says which.

use leptos::prelude::*;
use lesenka_core::rubric::{Edit, Rubric};

use crate::components::criteria_editor::{CriteriaEditor, CriterionForm, build, problem_text};
use crate::components::note::Note;
use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// The criteria editor over the latest version, and its save.
#[component]
pub fn RubricEdit(
    /// The rubric (`None` when it is not found).
    #[prop(into)]
    rubric: Signal<Option<Rubric>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let forms = RwSignal::new(Vec::<CriterionForm>::new());
    let (note, set_note) = signal(None::<Result<String, String>>);
    Effect::new(move |_| {
        let latest = rubric.with(|r| {
            r.as_ref().map(|r| r.latest().criteria().iter().map(CriterionForm::of).collect())
        });
        forms.set(latest.unwrap_or_default());
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut current) = rubric.get_untracked() else { return };
        let criteria = match forms.with_untracked(|f| build(f)) {
            Ok(c) => c,
            Err(problem) => {
                set_note.set(Some(Err(problem_text(i18n, &problem))));
                return;
            }
        };
        let before = current.latest().number();
        let named = criteria.clone();
        let edit = match current.edit(criteria) {
            Ok(edit) => edit,
            Err(err) => {
                let reason = errors::rubric(i18n, &err, &named);
                set_note.set(Some(Err(t_string!(i18n, rubric_refused, reason).to_string())));
                return;
            }
        };
        let text = match edit {
            Edit::Unchanged(n) => t_string!(i18n, rubric_edit_unchanged, n).to_string(),
            Edit::Replaced(n) => t_string!(i18n, rubric_edit_replaced, n).to_string(),
            Edit::NewVersion(n) => {
                t_string!(i18n, rubric_edit_new_version, old = before, n).to_string()
            }
        };
        if matches!(edit, Edit::Unchanged(_)) {
            set_note.set(Some(Ok(text)));
            return;
        }
        match data.save_rubric(status, current) {
            Ok(()) => set_note.set(Some(Ok(text))),
            Err(err) => set_note.set(Some(Err(format::save_failed(i18n, &err)))),
        }
    };
    view! {
        <section class="card">
            <h2>{t!(i18n, rubric_edit_title)}</h2>
            <p class="muted">{t!(i18n, rubric_edit_hint)}</p>
            <form on:submit=save class="form">
                <CriteriaEditor forms=forms />
                <div class="actions">
                    <button type="submit" class="btn primary" data-testid="save-edit">
                        {t!(i18n, rubric_edit_save)}
                    </button>
                </div>
            </form>
            <Note note testid="edit-note" />
        </section>
    }
}
