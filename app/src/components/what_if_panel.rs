//! The gradebook's what-if: which further marks of a work type bring a student's average to a
//! target (by default the threshold of the scale's highest mark)? Core answers it exactly and
//! explains it ([`Gradebook::what_if_explained`]); the panel only words the answer.

use leptos::prelude::*;
use lesenka_core::ids::{StudentId, WorkTypeId};
use lesenka_core::marks::{Gradebook, MarkingPolicy, WhatIf, WhatIfQuestion, WhatIfReport};
use lesenka_core::roster::Class;

use crate::components::choice_select::{ChoiceSelect, student_choices, work_choices};
use crate::i18n::*;
use crate::state::use_projector;
use crate::{errors, format};

/// The what-if inputs and core's answer.
#[component]
pub fn WhatIfPanel(
    /// The class.
    #[prop(into)]
    class: Signal<Option<Class>>,
    /// Its gradebook (`None` before it is read).
    #[prop(into)]
    book: Signal<Option<Gradebook>>,
    /// The policy in force.
    #[prop(into)]
    policy: Signal<MarkingPolicy>,
) -> impl IntoView {
    let i18n = use_i18n();
    let projector = use_projector();
    let (what_student, set_what_student) = signal(None::<StudentId>);
    let (what_work, set_what_work) = signal(None::<WorkTypeId>);
    let (what_target, set_what_target) = signal(None::<String>);
    let first_student =
        move || class.with(|c| c.as_ref().and_then(|c| c.students().first().map(|s| s.id)));
    let student = move || what_student.get().or_else(first_student);
    let work =
        move || what_work.get().or_else(|| policy.with(|p| p.work_types().first().map(|w| w.id)));
    let target_text = move || {
        what_target.get().unwrap_or_else(|| {
            policy.with(|p| {
                let top = p.scale().highest().label.to_string();
                p.term_rule()
                    .threshold_for(&top)
                    .map(|t| format::number(i18n, t))
                    .unwrap_or_default()
            })
        })
    };
    let answer = move || {
        let student = student()?;
        let work_type = work()?;
        let Some(target) = format::parse_number(&target_text()) else {
            return Some(Err(t_string!(i18n, whatif_target_bad).to_string()));
        };
        let question = WhatIfQuestion { work_type, mark: None, target };
        book.with(|b| {
            let b = b.as_ref()?;
            Some(policy.with(|p| b.what_if_explained(student, p, None, &question)).map_err(|err| {
                t_string!(i18n, mark_refused, reason = errors::gradebook(i18n, &err)).to_string()
            }))
        })
    };
    view! {
        <div class="form-row">
            <label>
                <span>{t!(i18n, evidence_student)}</span>
                <ChoiceSelect
                    testid="whatif-student"
                    choices=Signal::derive(move || class.with(|c| student_choices(c.as_ref(), projector.0.get())))
                    selected=Signal::derive(move || student().map(|id| id.to_string()))
                    on_change=Callback::new(move |v: String| set_what_student.set(v.parse().ok()))
                />
            </label>
            <label>
                <span>{t!(i18n, mark_work)}</span>
                <ChoiceSelect
                    testid="whatif-work"
                    choices=Signal::derive(move || policy.with(work_choices))
                    selected=Signal::derive(move || work().map(|id| id.to_string()))
                    on_change=Callback::new(move |v: String| set_what_work.set(v.parse().ok()))
                />
            </label>
            <label>
                <span>{t!(i18n, whatif_target)}</span>
                <input type="text" inputmode="decimal" data-testid="whatif-target" prop:value=target_text on:input=move |ev| set_what_target.set(Some(event_target_value(&ev))) />
            </label>
        </div>
        <div data-testid="whatif-result">
            {move || answer().map(|a| match a {
                Err(text) => view! { <p class="error" role="alert" data-testid="whatif-error">{text}</p> }.into_any(),
                Ok(report) => view! { <WhatIfAnswer report /> }.into_any(),
            })}
        </div>
    }
}

/// Core's answer in words, and its calculation.
#[component]
fn WhatIfAnswer(report: WhatIfReport) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let target = format::number(i18n, report.target);
        let top = report.mark.to_string();
        let answer = match report.answer {
            WhatIf::AlreadyReached => t_string!(i18n, whatif_reached, target).to_string(),
            WhatIf::Unreachable => t_string!(i18n, whatif_unreachable, target).to_string(),
            WhatIf::Needs { count, average } => {
                let marks = format::marks(i18n, count as usize);
                let average = format::number(i18n, average);
                let mut text =
                    t_string!(i18n, whatif_needs, marks, mark = top.clone(), target, average)
                        .to_string();
                if let Some(low) = report.lowest_uniform.as_ref().filter(|l| l.as_str() != top) {
                    text.push(' ');
                    let low = low.to_string();
                    text.push_str(&t_string!(i18n, whatif_lowest, mark = low).to_string());
                }
                text
            }
        };
        let explain = report.explanation.render(format::lang(i18n));
        view! {
            <p data-testid="whatif-answer"><b>{answer}</b></p>
            <p><code data-testid="whatif-explain">{explain}</code></p>
        }
    }
}
