//! The plan's goals and their indicators: suggested from the plan's aim and tasks (core's
//! `suggest_goals`), targets editable, every current value and its month-by-month trend
//! computed by core (`measure`, `trend`) from the journal's evidence and the plan's events,
//! protocols and bank of practices (`Plan::goal_inputs`) —
//! never typed in; a technique-use indicator drills down to the lessons and records behind it
//! (core's `lessons_behind`; students by pseudonym). Neighbours: `pages/community.rs`, `community_save.rs`.

use leptos::prelude::*;
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::ids::GoalId;
use lesenka_core::plan::{
    GoalInputs, Indicator, Plan, lessons_behind, measure, suggest_goals, trend,
};

use crate::clock::{new_uuid, today};
use crate::components::community_save::save_plan;
use crate::format;
use leptos_i18n::I18nContext;
use lesenka_core::diagnostics::run::{band_snapshots, satisfaction_responses};

use crate::i18n::*;
use crate::state::{use_data, use_status};

/// What an indicator counts, in words.
pub(crate) fn indicator_name(i18n: I18nContext<Locale>, indicator: &Indicator) -> String {
    match indicator {
        Indicator::TechniqueUse { .. } => t_string!(i18n, pos_ind_technique_use),
        Indicator::OpenLessonsHeld { .. } => t_string!(i18n, pos_ind_open_lessons),
        Indicator::PracticeBankSize { .. } => t_string!(i18n, pos_ind_bank_size),
        Indicator::PracticeBankGrowth { .. } => t_string!(i18n, pos_ind_bank_growth),
        Indicator::EveryMemberOpenLesson => t_string!(i18n, pos_ind_every_member),
        Indicator::DiagnosticsAtStartAndEnd => t_string!(i18n, pos_ind_diagnostics),
        Indicator::ExperiencePresented { .. } => t_string!(i18n, pos_ind_experience),
        Indicator::SatisfactionMeasured { .. } => t_string!(i18n, pos_ind_satisfaction),
    }
    .to_string()
}

/// A small SVG line of the monthly values (drawn from core's trend; no figure computed here).
fn sparkline(values: Vec<u32>, label: String) -> impl IntoView {
    let (w, h) = (120.0_f64, 32.0_f64);
    let top = f64::from(values.iter().copied().max().unwrap_or(0).max(1));
    let step = if values.len() > 1 { w / (values.len() - 1) as f64 } else { 0.0 };
    let points = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!("{:.1},{:.1}", i as f64 * step, h - 2.0 - f64::from(*v) / top * (h - 4.0))
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="pos-trend" width="120" height="32" viewBox="0 0 120 32" role="img" aria-label=label>
            <polyline points=points fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
    }
}

/// The goals of `plan` with their measured indicators.
#[component]
pub fn CommunityGoals(plan: Signal<Option<Plan>>) -> impl IntoView {
    let i18n = use_i18n();
    let (data, status) = (use_data(), use_status());
    let (error, set_error) = signal(None::<String>);
    let evidence = Memo::new(move |_| {
        data.journal.with(|j| j.iter().cloned().collect::<Vec<EvidenceRecord>>())
    });
    let suggest = move |_| {
        let Some(plan) = plan.get_untracked() else { return };
        let mut draft = plan.draft().clone();
        let texts: Vec<String> = draft
            .aim
            .iter()
            .chain(draft.tasks.iter())
            .map(ToString::to_string)
            .chain(draft.events.iter().map(|e| e.title.to_string()))
            .collect();
        draft.goals =
            suggest_goals(texts.iter().map(String::as_str), || GoalId::from_uuid(new_uuid()));
        set_error.set(save_plan(i18n, data, status, draft).err());
    };
    let set_target = move |g: usize, i: usize, value: String| {
        let Some(plan) = plan.get_untracked() else { return };
        let Ok(target) = value.trim().parse::<u32>() else {
            return set_error.set(Some(t_string!(i18n, pos_target_bad).to_string()));
        };
        let mut draft = plan.draft().clone();
        if let Some(ind) = draft.goals.get_mut(g).and_then(|goal| goal.indicators.get_mut(i)) {
            *ind = ind.with_target(target);
        }
        set_error.set(save_plan(i18n, data, status, draft).err());
    };
    // The lessons behind a technique-use indicator (core's `lessons_behind`), named by the
    // lesson's date, topic and class, and the students by their pseudonyms only.
    let behind = move |technique, inputs: &GoalInputs<'_>| -> Vec<(String, String, u32, String)> {
        lessons_behind(technique, inputs)
            .into_iter()
            .map(|(lesson, date, records, students)| {
                let (topic, class) = data.lessons.with(|ls| {
                    ls.iter()
                        .find(|l| l.id() == lesson)
                        .map_or((String::new(), None), |l| (l.topic().to_string(), Some(l.class())))
                });
                let pseudonyms = data.classes.with(|cs| {
                    cs.iter()
                        .filter(|c| Some(c.id) == class)
                        .flat_map(|c| c.students())
                        .filter(|st| students.contains(&st.id))
                        .map(|st| format::student_label(st, true))
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                (format::date(i18n, date), topic, records, pseudonyms)
            })
            .collect()
    };
    let goals = move || {
        let today = today();
        plan.with(|p| {
            let Some(p) = p else { return Vec::new() };
            let d = p.draft();
            // The diagnostics indicators count core's snapshots of the stored runs.
            let (diagnostics, satisfaction_responses) = data
                .diagnostics
                .with(|runs| (band_snapshots(runs), satisfaction_responses(runs, d.year)));
            evidence.with(|evidence| {
                // The plan's events, members, protocols and bank of practices, the journal and
                // the stored diagnostic runs.
                let inputs = p.goal_inputs(today, evidence, &diagnostics, satisfaction_responses);
                d.goals
                    .iter()
                    .map(|goal| {
                        let measured: Vec<_> = goal
                            .indicators
                            .iter()
                            .map(|i| {
                                let line: Vec<u32> =
                                    trend(i, &inputs).into_iter().map(|(_, n)| n).collect();
                                let lessons = match i {
                                    Indicator::TechniqueUse { technique, .. } => {
                                        Some(behind(*technique, &inputs))
                                    }
                                    _ => None,
                                };
                                (measure(i, &inputs), line, lessons)
                            })
                            .collect();
                        (goal.title.to_string(), measured)
                    })
                    .collect()
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="pos-goals-heading">
            <div class="card-head">
                <h2 id="pos-goals-heading">{t!(i18n, pos_goals)}</h2>
                <button type="button" class="btn" data-testid="pos-suggest-goals" on:click=suggest>
                    {t!(i18n, pos_suggest_goals)}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <ol class="pos-goals" data-testid="pos-goals">
                {move || goals().into_iter().enumerate().map(|(g, (title, measured))| view! {
                    <li data-testid=format!("goal-{g}")>
                        <strong>{title}</strong>
                        <ul>
                            {measured.into_iter().enumerate().map(|(i, (m, line, lessons))| {
                                let name = indicator_name(i18n, &m.indicator);
                                let editable = m.indicator.target().is_some();
                                let trend_label = t_string!(i18n, pos_trend_of, what = name.clone()).to_string();
                                let target_label = t_string!(i18n, pos_target_of, what = name.clone()).to_string();
                                view! {
                                    <li
                                        class="pos-indicator"
                                        class:met=m.met
                                        data-testid=format!("indicator-{g}-{i}")
                                        data-current=m.current.to_string()
                                        data-target=m.target.to_string()
                                        data-met=m.met.to_string()
                                    >
                                        <span>{name}</span>
                                        <span class="pos-value" data-testid=format!("indicator-{g}-{i}-current")>
                                            {t_string!(i18n, pos_value_of, current = m.current, target = m.target).to_string()}
                                        </span>
                                        {sparkline(line, trend_label)}
                                        {editable.then(|| view! {
                                            <input
                                                type="number"
                                                min="0"
                                                class="pos-target"
                                                data-testid=format!("indicator-{g}-{i}-target")
                                                aria-label=target_label
                                                prop:value=m.target.to_string()
                                                on:change=move |ev| set_target(g, i, event_target_value(&ev))
                                            />
                                        })}
                                        {lessons.map(|rows| view! {
                                            <details class="pos-behind" data-testid=format!("indicator-{g}-{i}-lessons")>
                                                <summary>{format::lessons(i18n, rows.len())}</summary>
                                                <table class="evidence">
                                                    <thead><tr>
                                                        <th>{t!(i18n, pos_behind_date)}</th>
                                                        <th>{t!(i18n, pos_behind_topic)}</th>
                                                        <th>{t!(i18n, pos_behind_records)}</th>
                                                        <th>{t!(i18n, pos_behind_students)}</th>
                                                    </tr></thead>
                                                    <tbody>
                                                        {rows.into_iter().map(|(date, topic, n, who)| view! {
                                                            <tr data-testid="behind-lesson"><td>{date}</td><td>{topic}</td><td>{n}</td><td>{who}</td></tr>
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            </details>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
