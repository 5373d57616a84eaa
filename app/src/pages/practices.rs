//! The community's bank of practices (`/pos/practices`, `?plan=` picks a plan, else the
//! latest): a form that adds or edits a practice through core's validated `Practice`
//! (technique, subject, grade, description, materials link, the lesson where it was used and
//! that lesson's records attached), kept in the plan (`Plan::with_practice`) and saved like it;
//! the list searched and filtered by core's `PracticeQuery` (text folded by `text::fold_key`,
//! technique, subject, grade) and downloaded as CSV for Russian Excel (core's `practice_csv`);
//! the bank's indicators measured by core. Neighbours: `pages/community.rs` (links here).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use lesenka_core::ids::{LessonId, PlanId, PracticeId};
use lesenka_core::persist::csv::practice_csv;
use lesenka_core::plan::{Indicator, Practice, PracticeQuery, measure, subjects};
use lesenka_core::technique::TechniqueKind;

use crate::clock::{new_uuid, today};
use crate::components::community_goals::indicator_name;
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::transfer::download_bytes;

/// A technique by its place in core's catalogue (a select's value), none for anything else.
fn technique_at(value: &str) -> Option<TechniqueKind> {
    value.parse::<usize>().ok().and_then(|i| TechniqueKind::ALL.get(i).copied())
}

/// A select's value of a technique.
fn technique_value(kind: Option<TechniqueKind>) -> String {
    kind.and_then(|k| TechniqueKind::ALL.iter().position(|x| *x == k))
        .map_or_else(String::new, |i| i.to_string())
}

/// The bank page.
#[component]
pub fn Practices() -> impl IntoView {
    let i18n = use_i18n();
    let (data, status) = (use_data(), use_status());
    let query = use_query_map();
    let plan = data
        .chosen_plan(move || query.with(|q| q.get("plan").and_then(|v| v.parse::<PlanId>().ok())));
    // The form.
    let editing = RwSignal::new(None::<PracticeId>);
    let title = RwSignal::new(String::new());
    let technique = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let grade = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let lesson = RwSignal::new(String::new());
    let attach = RwSignal::new(true);
    let (note, set_note) = signal(None::<Result<(), String>>);
    // The search.
    let find_text = RwSignal::new(String::new());
    let find_technique = RwSignal::new(String::new());
    let find_subject = RwSignal::new(String::new());
    let find_grade = RwSignal::new(String::new());
    let search = move || PracticeQuery {
        text: find_text.get(),
        technique: technique_at(&find_technique.get()),
        subject: Some(find_subject.get()).filter(|s| !s.is_empty()),
        grade: find_grade.get().parse().ok(),
    };
    let found = move || {
        let q = search();
        plan.with(|p| {
            p.as_ref().map_or_else(Vec::new, |p| {
                q.find(&p.draft().practices).into_iter().cloned().collect::<Vec<Practice>>()
            })
        })
    };
    let clear = move || {
        editing.set(None);
        for s in [title, technique, subject, grade, description, link, lesson] {
            s.set(String::new());
        }
        attach.set(true);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(plan) = plan.get_untracked() else { return };
        let grade_text = grade.get_untracked();
        let grade_value = match grade_text.trim() {
            "" => None,
            g => match g.parse::<u8>() {
                Ok(g) => Some(g),
                Err(_) => {
                    return set_note
                        .set(Some(Err(t_string!(i18n, practices_grade_bad).to_string())));
                }
            },
        };
        let id = editing.get_untracked().unwrap_or_else(|| PracticeId::from_uuid(new_uuid()));
        let previous = plan.draft().practices.iter().find(|p| p.id() == id).cloned();
        let added_on = previous.as_ref().map_or_else(today, Practice::added_on);
        let made = Practice::from_form(
            id,
            &title.get_untracked(),
            technique_at(&technique.get_untracked()),
            &subject.get_untracked(),
            grade_value,
            &description.get_untracked(),
            &link.get_untracked(),
            added_on,
        );
        let lesson_id: Option<LessonId> = lesson.get_untracked().parse().ok();
        let evidence = match (lesson_id, attach.get_untracked()) {
            (Some(l), true) => data
                .journal
                .with_untracked(|j| j.iter().filter(|r| r.lesson() == l).map(|r| r.id()).collect()),
            _ => Vec::new(),
        };
        let outcome = made
            .map(|p| p.by(previous.and_then(|p| p.author())).used_in(lesson_id, evidence))
            .and_then(|p| plan.with_practice(p))
            .map_err(|e| errors::plan(i18n, &e))
            .and_then(|plan| {
                data.save_item(status, plan).map_err(|e| format::save_failed(i18n, &e))
            });
        if outcome.is_ok() {
            clear();
        }
        set_note.set(Some(outcome));
    };
    let edit = move |p: Practice| {
        let d = p.draft();
        editing.set(Some(d.id));
        title.set(d.title.to_string());
        technique.set(technique_value(d.technique));
        subject.set(d.subject.as_ref().map(ToString::to_string).unwrap_or_default());
        grade.set(d.grade.map(|g| g.to_string()).unwrap_or_default());
        description.set(d.description.as_ref().map(ToString::to_string).unwrap_or_default());
        link.set(d.link.as_ref().map(ToString::to_string).unwrap_or_default());
        lesson.set(d.lesson.map(|l| l.to_string()).unwrap_or_default());
        attach.set(!d.evidence.is_empty());
        set_note.set(None);
    };
    let export = move |_| {
        let list = found();
        let csv = plan.with_untracked(|p| {
            p.as_ref().map(|p| {
                data.lessons.with_untracked(|ls| practice_csv(&list, &p.draft().members, ls))
            })
        });
        let Some(csv) = csv else { return };
        let name = format!("bank-praktik-{}.csv", today());
        if let Err(e) = download_bytes(&name, "text/csv;charset=utf-8", csv.as_bytes()) {
            set_note.set(Some(Err(e)));
        }
    };
    // The bank's indicators of the plan's goals, as core measures them.
    let indicators = move || {
        let as_of = today();
        plan.with(|p| {
            let Some(p) = p else { return Vec::new() };
            let inputs = p.goal_inputs(as_of, &[], &[], 0);
            p.draft()
                .goals
                .iter()
                .flat_map(|g| &g.indicators)
                .filter(|i| {
                    matches!(
                        i,
                        Indicator::PracticeBankSize { .. } | Indicator::PracticeBankGrowth { .. }
                    )
                })
                .map(|i| measure(i, &inputs))
                .collect::<Vec<_>>()
        })
    };
    let technique_options = move |any: bool| {
        let first = if any {
            t_string!(i18n, practices_any)
        } else {
            t_string!(i18n, practices_no_technique)
        }
        .to_string();
        std::iter::once(view! { <option value="">{first}</option> }.into_any())
            .chain(TechniqueKind::ALL.iter().enumerate().map(|(i, k)| {
                let k = *k;
                view! { <option value=i.to_string()>{move || format::technique(i18n, k)}</option> }
                    .into_any()
            }))
            .collect_view()
    };
    let grade_options = move || {
        std::iter::once(view! { <option value="">{t!(i18n, practices_any)}</option> }.into_any())
            .chain(
                (1..=11u8).map(|g| view! { <option value=g.to_string()>{g}</option> }.into_any()),
            )
            .collect_view()
    };
    view! {
        <Show
            when=move || plan.with(Option::is_some)
            fallback=move || view! { <p class="card muted" data-testid="pos-no-plan">{t!(i18n, pos_no_plan)}</p> }
        >
            <section class="card" aria-labelledby="practices-heading">
                <h1 id="practices-heading">{t!(i18n, practices_title)}</h1>
                <p class="muted">{t!(i18n, practices_intro)}</p>
                <ul class="pos-goals" data-testid="practices-indicators">
                    {move || indicators().into_iter().enumerate().map(|(k, m)| view! {
                        <li data-testid=format!("practices-indicator-{k}") data-current=m.current.to_string() data-target=m.target.to_string()>
                            {indicator_name(i18n, &m.indicator)}": "
                            <strong>{t_string!(i18n, pos_value_of, current = m.current, target = m.target).to_string()}</strong>
                        </li>
                    }).collect_view()}
                </ul>
                <form class="form" on:submit=save data-testid="practice-form">
                    <h2>{move || if editing.get().is_some() { t_string!(i18n, practices_edit_heading) } else { t_string!(i18n, practices_add_heading) }}</h2>
                    <label><span>{t!(i18n, practices_name)}</span>
                        <input type="text" data-testid="practice-title" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) /></label>
                    <div class="form-row">
                        <label><span>{t!(i18n, practices_technique)}</span>
                            <select data-testid="practice-technique" prop:value=technique on:change=move |ev| technique.set(event_target_value(&ev))>
                                {technique_options(false)}
                            </select></label>
                        <label><span>{t!(i18n, practices_subject)}</span>
                            <input type="text" data-testid="practice-subject" prop:value=subject on:input=move |ev| subject.set(event_target_value(&ev)) /></label>
                        <label><span>{t!(i18n, practices_grade)}</span>
                            <input type="text" inputmode="numeric" data-testid="practice-grade" prop:value=grade on:input=move |ev| grade.set(event_target_value(&ev)) /></label>
                    </div>
                    <label><span>{t!(i18n, practices_description)}</span>
                        <textarea rows="3" data-testid="practice-description" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea></label>
                    <label><span>{t!(i18n, practices_materials)}</span>
                        <input type="url" data-testid="practice-link" prop:value=link on:input=move |ev| link.set(event_target_value(&ev)) /></label>
                    <div class="form-row">
                        <label><span>{t!(i18n, practices_lesson)}</span>
                            <select data-testid="practice-lesson" prop:value=lesson on:change=move |ev| lesson.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {move || data.lessons.with(|ls| ls.iter().map(|l| view! {
                                    <option value=l.id().to_string()>{format!("{} — {}", l.topic(), format::date(i18n, l.date()))}</option>
                                }).collect_view())}
                            </select></label>
                        <label class="check">
                            <input type="checkbox" data-testid="practice-attach" prop:checked=attach on:change=move |ev| attach.set(event_target_checked(&ev)) />
                            <span>{t!(i18n, practices_attach)}</span>
                        </label>
                    </div>
                    {move || note.get().map(|n| match n {
                        Ok(()) => view! { <p class="notice" role="status" data-testid="practice-saved">{t!(i18n, practices_saved)}</p> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert" data-testid="form-error">{e}</p> }.into_any(),
                    })}
                    <div class="actions">
                        <button type="submit" class="btn primary" data-testid="save-practice">{t!(i18n, practices_save)}</button>
                        <Show when=move || editing.get().is_some()>
                            <button type="button" class="btn" data-testid="practice-cancel-edit" on:click=move |_| { clear(); set_note.set(None); }>{t!(i18n, practices_cancel_edit)}</button>
                        </Show>
                    </div>
                </form>
            </section>
            <section class="card" aria-labelledby="practices-find-heading">
                <h2 id="practices-find-heading">{t!(i18n, practices_find)}</h2>
                <div class="form-row">
                    <label><span>{t!(i18n, practices_search)}</span>
                        <input type="search" data-testid="practices-search" prop:value=find_text on:input=move |ev| find_text.set(event_target_value(&ev)) /></label>
                    <label><span>{t!(i18n, practices_technique)}</span>
                        <select data-testid="practices-filter-technique" on:change=move |ev| find_technique.set(event_target_value(&ev))>
                            {technique_options(true)}
                        </select></label>
                    <label><span>{t!(i18n, practices_subject)}</span>
                        <select data-testid="practices-filter-subject" on:change=move |ev| find_subject.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, practices_any)}</option>
                            {move || plan.with(|p| p.as_ref().map(|p| subjects(&p.draft().practices)).unwrap_or_default()).into_iter().map(|s| view! {
                                <option value=s.clone()>{s.clone()}</option>
                            }).collect_view()}
                        </select></label>
                    <label><span>{t!(i18n, practices_grade)}</span>
                        <select data-testid="practices-filter-grade" on:change=move |ev| find_grade.set(event_target_value(&ev))>
                            {grade_options()}
                        </select></label>
                    <button type="button" class="btn" data-testid="practices-csv" on:click=export>{t!(i18n, practices_csv)}</button>
                </div>
                <p class="muted" data-testid="practices-count">{move || t_string!(i18n, practices_found, count = found().len()).to_string()}</p>
                <table class="evidence" data-testid="practices-list">
                    <thead><tr>
                        <th>{t!(i18n, practices_name)}</th>
                        <th>{t!(i18n, practices_technique)}</th>
                        <th>{t!(i18n, practices_subject)}</th>
                        <th>{t!(i18n, practices_grade)}</th>
                        <th>{t!(i18n, practices_lesson)}</th>
                        <th>{t!(i18n, practices_records)}</th>
                        <th><span class="visually-hidden">{t!(i18n, practices_edit)}</span></th>
                    </tr></thead>
                    <tbody>
                        {move || found().into_iter().map(|p| {
                            let d = p.draft().clone();
                            let lesson_name = d.lesson.and_then(|l| data.lessons.with(|ls| ls.iter().find(|x| x.id() == l).map(|x| format!("{} — {}", x.topic(), format::date(i18n, x.date())))));
                            let edit_label = t_string!(i18n, practices_edit_of, title = d.title.to_string()).to_string();
                            view! {
                                <tr data-testid="practice-row" data-id=d.id.to_string()>
                                    <td>{d.title.to_string()}{d.description.as_ref().map(|s| view! { <br /><span class="muted">{s.to_string()}</span> })}</td>
                                    <td>{d.technique.map(|k| format::technique(i18n, k)).unwrap_or_default()}</td>
                                    <td>{d.subject.as_ref().map(ToString::to_string).unwrap_or_default()}</td>
                                    <td>{d.grade.map(|g| g.to_string()).unwrap_or_default()}</td>
                                    <td>{lesson_name.unwrap_or_default()}</td>
                                    <td data-testid="practice-records">{d.evidence.len()}</td>
                                    <td><button type="button" class="btn" data-testid="practice-edit" aria-label=edit_label on:click=move |_| edit(p.clone())>{t!(i18n, practices_edit)}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </Show>
    }
}
