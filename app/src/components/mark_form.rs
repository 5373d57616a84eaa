//! The new-mark form of the gradebook: student, mark, work type, date and an optional note.
//! Core's [`Gradebook::add`] checks the mark against the policy.

use chrono::NaiveDate;
use leptos::prelude::*;
use lesenka_core::ids::{MarkId, StudentId, WorkTypeId};
use lesenka_core::marks::{Gradebook, Mark, MarkingPolicy};
use lesenka_core::roster::Class;
use lesenka_core::text::{Name, TextError};

use crate::clock::{new_uuid, today};
use crate::components::choice_select::{ChoiceSelect, student_choices, work_choices};
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};
use crate::{errors, format};

/// The form that adds a mark to the class's gradebook.
#[component]
pub fn MarkForm(
    /// The class.
    #[prop(into)]
    class: Signal<Option<Class>>,
    /// Its gradebook (`None` before it is read).
    #[prop(into)]
    book: Signal<Option<Gradebook>>,
    /// The policy in force.
    #[prop(into)]
    policy: Signal<MarkingPolicy>,
    /// The form's error, shared with the table's removals.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let (mark_student, set_mark_student) = signal(None::<StudentId>);
    let (mark_value, set_mark_value) = signal(None::<String>);
    let (mark_work, set_mark_work) = signal(None::<WorkTypeId>);
    let (mark_date, set_mark_date) = signal(today().format("%Y-%m-%d").to_string());
    let (mark_comment, set_mark_comment) = signal(String::new());

    let student_choices =
        Signal::derive(move || class.with(|c| student_choices(c.as_ref(), projector.0.get())));
    let work_choices = Signal::derive(move || policy.with(work_choices));
    let value_choices = Signal::derive(move || {
        policy.with(|p| {
            p.scale()
                .marks()
                .iter()
                .rev()
                .map(|m| (m.label.to_string(), m.label.to_string()))
                .collect()
        })
    });
    let first_student =
        move || class.with(|c| c.as_ref().and_then(|c| c.students().first().map(|s| s.id)));
    let chosen_student = move || mark_student.get().or_else(first_student);
    let chosen_value = move || {
        mark_value.get().or_else(|| policy.with(|p| Some(p.scale().highest().label.to_string())))
    };
    let chosen_work =
        move || mark_work.get().or_else(|| policy.with(|p| p.work_types().first().map(|w| w.id)));

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut b) = book.get_untracked() else { return };
        let fail = |text: String| error.set(Some(text));
        let Some(student) = chosen_student() else {
            fail(t_string!(i18n, assess_no_student).to_string());
            return;
        };
        let Ok(date) = NaiveDate::parse_from_str(&mark_date.get_untracked(), "%Y-%m-%d") else {
            fail(t_string!(i18n, mark_date_bad).to_string());
            return;
        };
        let comment = match Name::parse(&mark_comment.get_untracked()) {
            Ok(c) => Some(c),
            Err(TextError::Empty) => None,
            Err(TextError::TooLong { .. }) => {
                fail(t_string!(i18n, mark_comment_too_long).to_string());
                return;
            }
        };
        let (Some(value), Some(work_type)) = (chosen_value(), chosen_work()) else { return };
        let Ok(value) = Name::parse(&value) else {
            fail(t_string!(i18n, mark_value_bad, value).to_string());
            return;
        };
        let mark =
            Mark { id: MarkId::from_uuid(new_uuid()), student, work_type, date, value, comment };
        if let Err(err) = policy.with_untracked(|p| b.add(mark, p)) {
            fail(t_string!(i18n, mark_refused, reason = errors::gradebook(i18n, &err)).to_string());
            return;
        }
        match data.save_gradebook(status, b) {
            Ok(()) => {
                error.set(None);
                set_mark_comment.set(String::new());
            }
            Err(err) => fail(format::save_failed(i18n, &err)),
        }
    };

    view! {
        <form class="form" on:submit=add>
            <div class="form-row">
                <label>
                    <span>{t!(i18n, evidence_student)}</span>
                    <ChoiceSelect
                        testid="mark-student"
                        choices=student_choices
                        selected=Signal::derive(move || chosen_student().map(|id| id.to_string()))
                        on_change=Callback::new(move |v: String| set_mark_student.set(v.parse().ok()))
                    />
                </label>
                <label>
                    <span>{t!(i18n, mark_value)}</span>
                    <ChoiceSelect
                        testid="mark-value"
                        choices=value_choices
                        selected=Signal::derive(chosen_value)
                        on_change=Callback::new(move |v: String| set_mark_value.set(Some(v)))
                    />
                </label>
                <label>
                    <span>{t!(i18n, mark_work)}</span>
                    <ChoiceSelect
                        testid="mark-work"
                        choices=work_choices
                        selected=Signal::derive(move || chosen_work().map(|id| id.to_string()))
                        on_change=Callback::new(move |v: String| set_mark_work.set(v.parse().ok()))
                    />
                </label>
                <label>
                    <span>{t!(i18n, lesson_date)}</span>
                    <input type="date" data-testid="mark-date" prop:value=mark_date on:input=move |ev| set_mark_date.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>{t!(i18n, mark_comment)}</span>
                    <input type="text" data-testid="mark-comment" prop:value=mark_comment on:input=move |ev| set_mark_comment.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <div class="actions">
                <button type="submit" class="btn primary" data-testid="add-mark">{t!(i18n, mark_add)}</button>
            </div>
        </form>
    }
}
