//! Correcting or deleting one student's stored Лусканова sheet on the teacher's run page
//! (`pages/diagnostic_run.rs`, never in projector mode): the sheet's ten answers as choices in
//! the form's wording (core's `luskanova_in`, in the interface's language), saved through core's
//! `DiagnosticRun::corrected`; a deletion asks first, then goes through `without_sheet`. Both
//! are saved with `Data::save_item`, so the class's bands follow; a refusal (an item left
//! without an answer, a sheet another tab deleted) is worded by `errors::diagnostic_run` and
//! leaves what is stored as it was. Neighbours: `note.rs` (the outcome line).

use leptos::prelude::*;
use lesenka_core::diagnostics::DiagnosticRun;
use lesenka_core::diagnostics::luskanova::luskanova_in;
use lesenka_core::ids::{DiagnosticRunId, StudentId};

use crate::components::note::Note;
use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// What the teacher is doing with a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetAction {
    /// Correcting the student's answers.
    Edit(StudentId),
    /// Asked to confirm the deletion of the student's sheet.
    Delete(StudentId),
}

/// The state of the run page's sheet panel, kept outside the page's re-rendered body.
#[derive(Debug, Clone, Copy)]
pub struct SheetState {
    /// The open action, if any.
    pub action: RwSignal<Option<SheetAction>>,
    /// The answers being corrected.
    pub answers: RwSignal<Vec<Option<usize>>>,
    /// The last outcome.
    pub outcome: RwSignal<Option<Result<String, String>>>,
}

impl SheetState {
    /// Nothing open.
    pub fn new() -> Self {
        Self {
            action: RwSignal::new(None),
            answers: RwSignal::new(Vec::new()),
            outcome: RwSignal::new(None),
        }
    }

    /// Opens a student's stored sheet for correction.
    pub fn edit(self, run: &DiagnosticRun, student: StudentId) {
        let Some(sheet) = run.sheet(student) else { return };
        self.answers.set(sheet.answers.clone());
        self.outcome.set(None);
        self.action.set(Some(SheetAction::Edit(student)));
    }

    /// Asks to confirm a student's sheet's deletion.
    pub fn delete(self, student: StudentId) {
        self.outcome.set(None);
        self.action.set(Some(SheetAction::Delete(student)));
    }
}

impl Default for SheetState {
    fn default() -> Self {
        Self::new()
    }
}

/// The open correction form or deletion question (nothing when none is open), and the outcome.
#[component]
pub fn SheetPanel(
    /// The run.
    run: DiagnosticRunId,
    /// The panel's state.
    state: SheetState,
    /// The student's name as the teacher sees it.
    name: Callback<StudentId, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let current =
        move || data.diagnostics.with_untracked(|d| d.iter().find(|r| r.id() == run).cloned());
    // Core's change, saved; on a refusal or a failed save the form stays open with the reason.
    let apply = move |change: &dyn Fn(&DiagnosticRun) -> Result<DiagnosticRun, _>, done: String| {
        let Some(now) = current() else { return };
        match change(&now) {
            Ok(next) => match data.save_item(status, next) {
                Ok(()) => {
                    state.action.set(None);
                    state.outcome.set(Some(Ok(done)));
                }
                Err(e) => state.outcome.set(Some(Err(format::save_failed(i18n, &e)))),
            },
            Err(e) => state.outcome.set(Some(Err(errors::diagnostic_run(i18n, &e)))),
        }
    };
    let save = move |student: StudentId| {
        let answers = state.answers.get_untracked();
        apply(
            &|r| r.corrected(student, answers.clone()),
            t_string!(i18n, diag_sheet_saved).to_string(),
        );
    };
    let remove = move |student: StudentId| {
        apply(&|r| r.without_sheet(student), t_string!(i18n, diag_sheet_deleted).to_string());
    };
    let cancel = move |_| {
        state.action.set(None);
        state.outcome.set(None);
    };
    view! {
        {move || match state.action.get() {
            None => ().into_any(),
            Some(SheetAction::Delete(student)) => view! {
                <div class="card" role="group" aria-labelledby="diag-sheet-confirm-text" data-testid="diag-sheet-confirm">
                    <p id="diag-sheet-confirm-text">{move || t_string!(i18n, diag_sheet_confirm, name = name.run(student)).to_string()}</p>
                    <div class="actions">
                        <button type="button" class="btn" data-testid="diag-sheet-confirm-delete" on:click=move |_| remove(student)>
                            {t!(i18n, diag_sheet_confirm_yes)}
                        </button>
                        <button type="button" class="btn ghost" data-testid="diag-sheet-confirm-cancel" on:click=cancel>
                            {t!(i18n, diag_sheet_cancel)}
                        </button>
                    </div>
                </div>
            }.into_any(),
            Some(SheetAction::Edit(student)) => {
                let items = move || luskanova_in(format::lang(i18n)).items().to_vec();
                view! {
                    <form class="card" data-testid="diag-sheet-editor" on:submit=move |ev| { ev.prevent_default(); save(student); }>
                        <h3>{move || t_string!(i18n, diag_sheet_edit_title, name = name.run(student)).to_string()}</h3>
                        {move || items().into_iter().enumerate().map(|(i, item)| {
                            let (id, label_for, testid) = (format!("diag-sheet-item-{i}"), format!("diag-sheet-item-{i}"), format!("diag-sheet-item-{i}"));
                            let chosen = move || state.answers.with(|a| a.get(i).copied().flatten().map(|o| o.to_string()).unwrap_or_default());
                            view! {
                                <label class="form-row" for=label_for>
                                    <span>{format!("{}. {}", i + 1, item.text)}</span>
                                    <select id=id data-testid=testid prop:value=chosen on:change=move |ev| {
                                        let value = event_target_value(&ev).parse::<usize>().ok();
                                        state.answers.update(|a| if let Some(slot) = a.get_mut(i) { *slot = value; });
                                    }>
                                        <option value="" selected=move || chosen().is_empty()>{t!(i18n, diag_sheet_no_answer)}</option>
                                        {item.options.iter().enumerate().map(|(o, opt)| {
                                            let value = o.to_string();
                                            let mine = value.clone();
                                            view! { <option value=value selected=move || chosen() == mine>{opt.text.to_string()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                            }
                        }).collect_view()}
                        <div class="actions">
                            <button type="submit" class="btn primary" data-testid="diag-sheet-save">{t!(i18n, diag_sheet_save)}</button>
                            <button type="button" class="btn ghost" data-testid="diag-sheet-cancel" on:click=cancel>{t!(i18n, diag_sheet_cancel)}</button>
                        </div>
                    </form>
                }.into_any()
            }
        }}
        <Note note=state.outcome testid="diag-sheet-outcome" />
    }
}
