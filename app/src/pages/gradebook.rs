//! A class's gradebook: students × marks, adding and removing marks, each student's weighted
//! average with core's calculation, the term mark by the school's policy, and a what-if.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::{ClassId, MarkId, StudentId, WorkTypeId};
use lesenka_core::marks::average::{WhatIf, explain_what_if};
use lesenka_core::marks::{Gradebook, Mark};
use lesenka_core::text::{Name, TextError};

use crate::clock::{new_uuid, today};
use crate::components::choice_select::ChoiceSelect;
use crate::components::policy_editor::PolicyEditor;
use crate::format::{self, student_label};
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};

/// The gradebook of the class named in the address.
#[component]
pub fn GradebookPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let params = use_params_map();
    let class_id = move || params.with(|p| p.get("class").and_then(|s| s.parse::<ClassId>().ok()));
    let class = Memo::new(move |_| {
        let id = class_id()?;
        data.classes.with(|c| c.iter().find(|c| c.id == id).cloned())
    });
    let book = Memo::new(move |_| class_id().map(|id| data.gradebook(id)));
    let policy = Memo::new(move |_| data.policy());
    let name_of = move |id: StudentId| {
        let on = projector.0.get();
        class.with(|c| c.as_ref().and_then(|c| c.student(id)).map(|s| student_label(s, on)))
    };
    // The choices of the drop-downs.
    let student_choices = Signal::derive(move || {
        let on = projector.0.get();
        class.with(|c| {
            c.iter()
                .flat_map(|c| c.students())
                .map(|s| (s.id.to_string(), student_label(s, on)))
                .collect::<Vec<_>>()
        })
    });
    let work_choices = Signal::derive(move || {
        policy.with(|p| {
            p.work_types()
                .iter()
                .map(|w| (w.id.to_string(), w.name.to_string()))
                .collect::<Vec<_>>()
        })
    });
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

    // The new mark.
    let (mark_student, set_mark_student) = signal(None::<StudentId>);
    let (mark_value, set_mark_value) = signal(None::<String>);
    let (mark_work, set_mark_work) = signal(None::<WorkTypeId>);
    let (mark_date, set_mark_date) = signal(today().format("%Y-%m-%d").to_string());
    let (mark_comment, set_mark_comment) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let first_student =
        move || class.with(|c| c.as_ref().and_then(|c| c.students().first().map(|s| s.id)));
    let chosen_student = move || mark_student.get().or_else(first_student);
    let chosen_value = move || {
        mark_value.get().or_else(|| policy.with(|p| Some(p.scale().highest().label.to_string())))
    };
    let chosen_work =
        move || mark_work.get().or_else(|| policy.with(|p| p.work_types().first().map(|w| w.id)));

    let save_book = move |b: Gradebook| match data.save_gradebook(status, b) {
        Ok(()) => {
            set_error.set(None);
            true
        }
        Err(err) => {
            set_error
                .set(Some(t_string!(i18n, storage_failed, reason = err.to_string()).to_string()));
            false
        }
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(mut b) = book.get_untracked() else { return };
        let fail = |text: String| set_error.set(Some(text));
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
        if let Err(err) = b.add(mark, &policy.get_untracked()) {
            fail(t_string!(i18n, mark_refused, reason = err.to_string()).to_string());
            return;
        }
        if save_book(b) {
            set_mark_comment.set(String::new());
        }
    };
    let remove = move |id: MarkId| {
        let Some(mut b) = book.get_untracked() else { return };
        if b.remove(id).is_ok() {
            save_book(b);
        }
    };

    // What-if.
    let (what_student, set_what_student) = signal(None::<StudentId>);
    let (what_work, set_what_work) = signal(None::<WorkTypeId>);
    let (what_target, set_what_target) = signal(None::<String>);
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

    view! {
        {move || match class.get() {
            None => view! { <p class="card" data-testid="class-not-found">{t!(i18n, class_not_found)}</p> }.into_any(),
            Some(c) => {
                let id = c.id;
                let students = c.students().to_vec();
                view! {
                    <section class="card">
                        <div class="card-head">
                            <h1 data-testid="gradebook-title">
                                {move || t_string!(i18n, gradebook_title, class = c.name.to_string()).to_string()}
                            </h1>
                            <A href=format!("/classes/{id}") attr:class="btn ghost" attr:data-testid="back-to-class">{t!(i18n, back)}</A>
                        </div>
                        <p class="muted" data-testid="policy-weights">
                            {move || {
                                let weights = policy.with(|p| {
                                    p.work_types()
                                        .iter()
                                        .map(|w| format!("{} — {}", w.name, format::number(i18n, w.weight.value())))
                                        .collect::<Vec<_>>()
                                        .join("; ")
                                });
                                t_string!(i18n, gradebook_weights, weights).to_string()
                            }}
                        </p>
                        <p class="muted" data-testid="policy-rule">
                            {move || {
                                let rule = policy.with(|p| {
                                    p.term_rule()
                                        .thresholds()
                                        .iter()
                                        .map(|t| format!("≥ {} → {}", format::number(i18n, t.at_least), t.mark))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                });
                                t_string!(i18n, gradebook_rule, rule).to_string()
                            }}
                        </p>
                        <table class="evidence gradebook" data-testid="gradebook-table">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, evidence_student)}</th>
                                    <th>{t!(i18n, gradebook_marks)}</th>
                                    <th>{t!(i18n, gradebook_average)}</th>
                                    <th>{t!(i18n, gradebook_term)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {students
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, s)| {
                                        let sid = s.id;
                                        let summary = move || -> Option<Result<(String, String, String, String), String>> {
                                            let b = book.get()?;
                                            let p = policy.get();
                                            let lang = format::lang(i18n);
                                            let result = (|| {
                                                let avg = b.average(sid, &p, None)?;
                                                let Some(avg) = avg else { return Ok(None) };
                                                let value = avg.value();
                                                let term = p.term_rule().decide(value);
                                                let explain = b.explain_average(sid, &p, None)?.render(lang);
                                                let rule = p.term_rule().explain(value, &term).render(lang);
                                                Ok(Some((format::number(i18n, value), term.mark.to_string(), explain, rule)))
                                            })();
                                            result.map_err(|e: lesenka_core::marks::GradebookError| e.to_string()).transpose()
                                        };
                                        view! {
                                            <tr data-testid=format!("gb-row-{i}")>
                                                <td data-testid=format!("gb-name-{i}")>{move || name_of(sid).unwrap_or_default()}</td>
                                                <td data-testid=format!("gb-marks-{i}")>
                                                    {move || {
                                                        let marks: Vec<Mark> = book.with(|b| b.as_ref().map(|b| b.marks_of(sid).cloned().collect()).unwrap_or_default());
                                                        let p = policy.get();
                                                        marks
                                                            .into_iter()
                                                            .enumerate()
                                                            .map(|(k, m)| {
                                                                let work = p.work_type(m.work_type).map(|w| w.name.to_string()).unwrap_or_default();
                                                                let date = format::date(i18n, m.date);
                                                                let comment = m.comment.as_ref().map(|c| format!(" — {c}")).unwrap_or_default();
                                                                let title = format!("{work}, {date}{comment}");
                                                                let mid = m.id;
                                                                let label = title.clone();
                                                                view! {
                                                                    <span class="mark-chip" title=title data-testid=format!("gb-mark-{i}-{k}")>
                                                                        <b>{m.value.to_string()}</b>
                                                                        <small class="muted">{format!(" {work}")}</small>
                                                                        <button
                                                                            type="button"
                                                                            class="btn ghost"
                                                                            aria-label=move || t_string!(i18n, mark_remove, title = label.clone()).to_string()
                                                                            data-testid=format!("remove-mark-{i}-{k}")
                                                                            on:click=move |_| remove(mid)
                                                                        >
                                                                            "×"
                                                                        </button>
                                                                    </span>
                                                                }
                                                            })
                                                            .collect_view()
                                                    }}
                                                </td>
                                                {move || match summary() {
                                                    None => view! {
                                                        <td data-testid=format!("gb-average-{i}")>"—"</td>
                                                        <td data-testid=format!("gb-term-{i}")>"—"</td>
                                                    }.into_any(),
                                                    Some(Err(reason)) => view! {
                                                        <td colspan="2" class="error" data-testid=format!("gb-average-{i}")>{t_string!(i18n, mark_refused, reason).to_string()}</td>
                                                    }.into_any(),
                                                    Some(Ok((avg, term, explain, rule))) => view! {
                                                        <td>
                                                            <b data-testid=format!("gb-average-{i}")>{avg}</b>
                                                            <br />
                                                            <small class="muted" data-testid=format!("gb-explain-{i}")>{explain}</small>
                                                        </td>
                                                        <td>
                                                            <b class="mark" data-testid=format!("gb-term-{i}")>{term}</b>
                                                            <br />
                                                            <small class="muted" data-testid=format!("gb-rule-{i}")>{rule}</small>
                                                        </td>
                                                    }.into_any(),
                                                }}
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
                    .into_any()
            }
        }}
        <Show when=move || class.with(Option::is_some)>
            <section class="card">
                <h2>{t!(i18n, mark_add_title)}</h2>
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
            </section>
            <section class="card">
                <h2>{t!(i18n, whatif_title)}</h2>
                <div class="form-row">
                    <label>
                        <span>{t!(i18n, evidence_student)}</span>
                        <ChoiceSelect
                            testid="whatif-student"
                            choices=student_choices
                            selected=Signal::derive(move || what_student.get().or_else(first_student).map(|id| id.to_string()))
                            on_change=Callback::new(move |v: String| set_what_student.set(v.parse().ok()))
                        />
                    </label>
                    <label>
                        <span>{t!(i18n, mark_work)}</span>
                        <ChoiceSelect
                            testid="whatif-work"
                            choices=work_choices
                            selected=Signal::derive(move || {
                                what_work
                                    .get()
                                    .or_else(|| policy.with(|p| p.work_types().first().map(|w| w.id)))
                                    .map(|id| id.to_string())
                            })
                            on_change=Callback::new(move |v: String| set_what_work.set(v.parse().ok()))
                        />
                    </label>
                    <label>
                        <span>{t!(i18n, whatif_target)}</span>
                        <input type="text" inputmode="decimal" data-testid="whatif-target" prop:value=target_text on:input=move |ev| set_what_target.set(Some(event_target_value(&ev))) />
                    </label>
                </div>
                <div data-testid="whatif-result">
                    {move || {
                        let b = book.get()?;
                        let p = policy.get();
                        let student = what_student.get().or_else(first_student)?;
                        let work = what_work.get().or_else(|| p.work_types().first().map(|w| w.id))?;
                        let Some(target) = format::parse_number(&target_text()) else {
                            return Some(view! { <p class="error" role="alert" data-testid="whatif-error">{t!(i18n, whatif_target_bad)}</p> }.into_any());
                        };
                        let lang = format::lang(i18n);
                        let target_shown = format::number(i18n, target);
                        let computed = (|| {
                            let any = b.what_if_any(student, &p, None, work, target)?;
                            let current = b.average(student, &p, None)?;
                            let top = p.scale().highest();
                            let weight = p.work_type(work).map(|w| w.weight).ok_or(lesenka_core::marks::GradebookError::UnknownWorkType(work))?;
                            let explain = explain_what_if(current.as_ref(), top.value, weight, target, p.term_rule().rounding(), &any.answer)?;
                            Ok::<_, lesenka_core::marks::GradebookError>((any, top.label.to_string(), explain.render(lang)))
                        })();
                        Some(match computed {
                            Err(err) => view! { <p class="error" role="alert" data-testid="whatif-error">{t_string!(i18n, mark_refused, reason = err.to_string()).to_string()}</p> }.into_any(),
                            Ok((any, top, explain)) => {
                                let answer = match any.answer {
                                    WhatIf::AlreadyReached => t_string!(i18n, whatif_reached, target = target_shown).to_string(),
                                    WhatIf::Unreachable => t_string!(i18n, whatif_unreachable, target = target_shown).to_string(),
                                    WhatIf::Needs { count, average } => {
                                        let marks = format::marks(i18n, count as usize);
                                        let mut text = t_string!(i18n, whatif_needs, marks, mark = top.clone(), target = target_shown, average = format::number(i18n, average)).to_string();
                                        if let Some(low) = any.lowest_uniform.filter(|l| l.as_str() != top) {
                                            text.push(' ');
                                            text.push_str(&t_string!(i18n, whatif_lowest, mark = low.to_string()).to_string());
                                        }
                                        text
                                    }
                                };
                                view! {
                                    <p data-testid="whatif-answer"><b>{answer}</b></p>
                                    <p><code data-testid="whatif-explain">{explain}</code></p>
                                }.into_any()
                            }
                        })
                    }}
                </div>
            </section>
            <section class="card">
                <h2>{t!(i18n, policy_title)}</h2>
                <PolicyEditor />
            </section>
        </Show>
    }
}
