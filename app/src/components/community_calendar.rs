//! The plan's year as a calendar, September → August then the whole year (core's
//! `year_calendar`): each event with its kind, responsible and status, overdue ones marked
//! (core's `is_overdue` on the app clock's date); changing a status saves the plan.
//! Neighbours: `pages/community.rs` (the chosen plan), `community_save.rs` (saving it).

use leptos::prelude::*;
use lesenka_core::plan::{EventStatus, Plan, Slot, is_overdue, year_calendar};

use crate::clock::today;
use crate::components::community_save::save_plan;
use crate::format;
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::state::{use_data, use_status};

/// The statuses an event can be given, with their stored keys.
const STATUSES: [(EventStatus, &str); 4] = [
    (EventStatus::Planned, "planned"),
    (EventStatus::Done, "done"),
    (EventStatus::Moved, "moved"),
    (EventStatus::Cancelled, "cancelled"),
];

/// The status's key (`data-status`, the select's value).
pub fn status_key(status: EventStatus) -> &'static str {
    STATUSES.iter().find(|(s, _)| *s == status).map_or("planned", |(_, k)| k)
}

/// The status in words.
pub fn status_name(i18n: I18nContext<Locale>, status: EventStatus) -> String {
    match status {
        EventStatus::Planned => t_string!(i18n, pos_status_planned),
        EventStatus::Done => t_string!(i18n, pos_status_done),
        EventStatus::Moved => t_string!(i18n, pos_status_moved),
        EventStatus::Cancelled => t_string!(i18n, pos_status_cancelled),
    }
    .to_string()
}

/// The calendar of `plan`.
#[component]
pub fn CommunityCalendar(plan: Signal<Option<Plan>>) -> impl IntoView {
    let i18n = use_i18n();
    let (data, store) = (use_data(), use_status());
    let (error, set_error) = signal(None::<String>);
    let set_status = move |k: usize, status: EventStatus| {
        let Some(plan) = plan.get_untracked() else { return };
        let mut draft = plan.draft().clone();
        if let Some(event) = draft.events.get_mut(k) {
            event.status = status;
        }
        set_error.set(save_plan(i18n, data, store, draft).err());
    };
    let slots = move || plan.with(|p| p.as_ref().map(year_calendar).unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="pos-calendar-heading">
            <h2 id="pos-calendar-heading">{t!(i18n, pos_calendar)}</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <div class="pos-calendar" data-testid="pos-calendar">
                {move || {
                    slots()
                        .into_iter()
                        .map(|(slot, events)| {
                            let (name, key) = match slot {
                                Slot::Month(m) => (format::month_name(i18n, m.number()), m.number().to_string()),
                                Slot::Year => (t_string!(i18n, pos_whole_year).to_string(), "year".to_string()),
                            };
                            let rows = events
                                .into_iter()
                                .filter_map(|k| {
                                    plan.with_untracked(|p| {
                                        let p = p.as_ref()?;
                                        let e = p.draft().events.get(k)?.clone();
                                        Some((k, is_overdue(&e, p.draft().year, today()), e))
                                    })
                                })
                                .map(|(k, overdue, e)| {
                                    let status = e.status;
                                    view! {
                                        <li
                                            class="pos-event"
                                            class:overdue=overdue
                                            data-testid="pos-event"
                                            data-status=status_key(status)
                                            data-overdue=overdue.to_string()
                                        >
                                            <span class="pos-kind">{e.kind.russian()}</span>
                                            <span data-testid="pos-event-title">{e.title.to_string()}</span>
                                            {e.responsible.map(|r| view! { <span class="muted">{r.to_string()}</span> })}
                                            {overdue.then(|| view! { <strong class="pos-overdue" data-testid="pos-overdue">{t!(i18n, pos_overdue)}</strong> })}
                                            <select
                                                data-testid=format!("event-status-{k}")
                                                aria-label=t_string!(i18n, pos_status_of, title = e.title.to_string()).to_string()
                                                on:change=move |ev| {
                                                    let value = event_target_value(&ev);
                                                    if let Some((s, _)) = STATUSES.iter().find(|(_, key)| *key == value) {
                                                        set_status(k, *s);
                                                    }
                                                }
                                            >
                                                {STATUSES
                                                    .iter()
                                                    .map(|(s, key)| view! {
                                                        <option value=*key selected=*s == status>{status_name(i18n, *s)}</option>
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                <div class="pos-month" data-testid=format!("pos-month-{key}")>
                                    <h3>{name}</h3>
                                    <ul>{rows}</ul>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </section>
    }
}
