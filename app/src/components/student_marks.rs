//! A student's marks on their page (the teacher's screen): each mark with its date and work type,
//! oldest first, then the weighted average and the period's mark from core's
//! [`Gradebook::report`] with both calculations. Shown once the stored marks are read; the
//! gradebook page (`pages/gradebook.rs`) is where marks are added and removed.

use leptos::prelude::*;
use lesenka_core::ids::{ClassId, StudentId};
use lesenka_core::marks::Gradebook;

use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::state::use_data;

/// The marks of `student` in `class`'s gradebook.
#[component]
pub fn StudentMarks(
    /// The class.
    class: ClassId,
    /// The student.
    student: StudentId,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let book = Memo::new(move |_| data.gradebook(class));
    let policy = Memo::new(move |_| data.policy());
    let marks = move || {
        let p = policy.get();
        let mut marks: Vec<_> = book.with(|b: &Gradebook| b.marks_of(student).cloned().collect());
        marks.sort_by_key(|m| (m.date, m.id));
        marks
            .into_iter()
            .enumerate()
            .map(|(k, m)| {
                let work = p.work_type(m.work_type).map(|w| w.name.to_string()).unwrap_or_default();
                let comment = m.comment.map(|c| c.to_string()).unwrap_or_default();
                view! {
                    <tr data-testid=format!("student-mark-{k}")>
                        <td>{format::date(i18n, m.date)}</td>
                        <td>{work}</td>
                        <td><b>{m.value.to_string()}</b></td>
                        <td>{comment}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let report = move || {
        let report = policy.with(|p| book.with(|b| b.report(student, p, None)));
        let lang = format::lang(i18n);
        match report {
            Err(e) => view! {
                <p class="error" data-testid="student-report">
                    {t_string!(i18n, mark_refused, reason = errors::gradebook(i18n, &e)).to_string()}
                </p>
            }
            .into_any(),
            Ok(r) => match (r.average, r.term, r.explanation) {
                (Some(average), Some(term), Some(explained)) => view! {
                    <p data-testid="student-report">
                        {t!(i18n, gradebook_average)} ": "
                        <b data-testid="student-average">{format::number(i18n, average.value())}</b>
                        " · " {t!(i18n, gradebook_term)} ": "
                        <b class="mark" data-testid="student-term">{term.mark.to_string()}</b>
                    </p>
                    <p class="muted"><small data-testid="student-average-explained">{explained.average.render(lang)}</small></p>
                    <p class="muted"><small>{explained.term.render(lang)}</small></p>
                }
                .into_any(),
                _ => view! { <p class="muted" data-testid="student-report">{t!(i18n, student_no_marks)}</p> }.into_any(),
            },
        }
    };
    view! {
        <section class="card" data-testid="student-marks">
            <h2>{t!(i18n, gradebook_marks)}</h2>
            <Show when=move || data.stored_ready.get() fallback=move || view! { <p class="muted">{t!(i18n, marking_loading)}</p> }>
                <Show when=move || book.with(|b| b.marks_of(student).next().is_some())>
                    <table class="evidence">
                        <thead>
                            <tr>
                                <th>{t!(i18n, evidence_date)}</th>
                                <th>{t!(i18n, mark_work)}</th>
                                <th>{t!(i18n, mark_value)}</th>
                                <th>{t!(i18n, student_mark_comment)}</th>
                            </tr>
                        </thead>
                        <tbody>{marks}</tbody>
                    </table>
                </Show>
                {report}
            </Show>
        </section>
    }
}
