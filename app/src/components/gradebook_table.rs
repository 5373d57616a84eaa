//! The gradebook's table: one row per student of the class, with their marks (each removable),
//! and the weighted average and term mark of core's [`Gradebook::report`] with both
//! calculations. The rows only format the report.

use leptos::prelude::*;
use lesenka_core::ids::MarkId;
use lesenka_core::marks::{Gradebook, Mark, MarkingPolicy, StudentReport};
use lesenka_core::roster::{Class, Student};

use crate::errors;
use crate::format::{self, student_label};
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};

/// The students × marks table of a class.
#[component]
pub fn GradebookTable(
    /// The class whose gradebook is shown.
    class: Class,
    /// Its gradebook (`None` before it is read).
    #[prop(into)]
    book: Signal<Option<Gradebook>>,
    /// The policy in force.
    #[prop(into)]
    policy: Signal<MarkingPolicy>,
    /// Where a failed save is reported.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let remove = Callback::new(move |id: MarkId| {
        let Some(mut b) = book.get_untracked() else { return };
        // A mark already gone (another tab removed it) leaves nothing to save.
        if b.remove(id).is_err() {
            return;
        }
        match data.save_gradebook(status, b) {
            Ok(()) => error.set(None),
            Err(err) => error.set(Some(format::save_failed(i18n, &err))),
        }
    });
    let rows = class
        .students()
        .iter()
        .enumerate()
        .map(|(index, s)| {
            view! { <StudentRow index student=s.clone() book policy remove /> }
        })
        .collect_view();
    view! {
        <table class="evidence gradebook" data-testid="gradebook-table">
            <thead>
                <tr>
                    <th>{t!(i18n, evidence_student)}</th>
                    <th>{t!(i18n, gradebook_marks)}</th>
                    <th>{t!(i18n, gradebook_average)}</th>
                    <th>{t!(i18n, gradebook_term)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One student's row: name, marks, and the cells of their report.
#[component]
fn StudentRow(
    index: usize,
    student: Student,
    book: Signal<Option<Gradebook>>,
    policy: Signal<MarkingPolicy>,
    remove: Callback<MarkId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let projector = use_projector();
    let i = index;
    let id = student.id;
    let name = move || student_label(&student, projector.0.get());
    let marks = Signal::derive(move || {
        book.with(|b| b.as_ref().map(|b| b.marks_of(id).cloned().collect()).unwrap_or_default())
    });
    let report = Signal::derive(move || {
        book.with(|b| {
            let b = b.as_ref()?;
            Some(policy.with(|p| b.report(id, p, None)).map_err(|e| errors::gradebook(i18n, &e)))
        })
    });
    view! {
        <tr data-testid=format!("gb-row-{i}")>
            <td data-testid=format!("gb-name-{i}")>{name}</td>
            <td data-testid=format!("gb-marks-{i}")>
                <MarkChips index marks policy remove />
            </td>
            <ReportCells index report />
        </tr>
    }
}

/// A student's marks as chips, each with its work type and a remove button.
#[component]
fn MarkChips(
    index: usize,
    marks: Signal<Vec<Mark>>,
    policy: Signal<MarkingPolicy>,
    remove: Callback<MarkId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    move || {
        let p = policy.get();
        marks
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, m)| {
                let work = p.work_type(m.work_type).map(|w| w.name.to_string()).unwrap_or_default();
                let date = format::date(i18n, m.date);
                let comment = m.comment.as_ref().map(|c| format!(" — {c}")).unwrap_or_default();
                let title = format!("{work}, {date}{comment}");
                let label = title.clone();
                let id = m.id;
                view! {
                    <span class="mark-chip" title=title data-testid=format!("gb-mark-{i}-{k}")>
                        <b>{m.value.to_string()}</b>
                        <small class="muted">{format!(" {work}")}</small>
                        <button
                            type="button"
                            class="btn ghost"
                            aria-label=move || t_string!(i18n, mark_remove, title = label.clone()).to_string()
                            data-testid=format!("remove-mark-{i}-{k}")
                            on:click=move |_| remove.run(id)
                        >
                            "×"
                        </button>
                    </span>
                }
            })
            .collect_view()
    }
}

/// The average and term-mark cells of a report: «—» without marks, core's refusal, or the
/// figures with their calculations.
#[component]
fn ReportCells(
    index: usize,
    report: Signal<Option<Result<StudentReport, String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    move || {
        let shown = report.get().map(|r| {
            r.map(|r| match (r.average, r.term, r.explanation) {
                (Some(average), Some(term), Some(explained)) => Some((average, term, explained)),
                _ => None,
            })
        });
        match shown {
            None | Some(Ok(None)) => view! {
                <td data-testid=format!("gb-average-{i}")>"—"</td>
                <td data-testid=format!("gb-term-{i}")>"—"</td>
            }
            .into_any(),
            Some(Err(reason)) => view! {
                <td colspan="2" class="error" data-testid=format!("gb-average-{i}")>
                    {t_string!(i18n, mark_refused, reason).to_string()}
                </td>
            }
            .into_any(),
            Some(Ok(Some((average, term, explained)))) => {
                let lang = format::lang(i18n);
                view! {
                    <td>
                        <b data-testid=format!("gb-average-{i}")>{format::number(i18n, average.value())}</b>
                        <br />
                        <small class="muted" data-testid=format!("gb-explain-{i}")>{explained.average.render(lang)}</small>
                    </td>
                    <td>
                        <b class="mark" data-testid=format!("gb-term-{i}")>{term.mark.to_string()}</b>
                        <br />
                        <small class="muted" data-testid=format!("gb-rule-{i}")>{explained.term.render(lang)}</small>
                    </td>
                }
                .into_any()
            }
        }
    }
}
