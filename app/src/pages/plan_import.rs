//! `/pos/import`: a community plan pasted from a Word or PDF table. Core's `import_plan` reads
//! it; the screen shows the events it found beside the lines it could not read, every event
//! editable (period, kind, title, responsible, planned result) and the school year, and
//! «Принять» saves the plan core builds from the edited rows. Neighbours: `pages/community.rs`
//! (the saved plan's year), `errors.rs` (core's refusals worded).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use lesenka_core::ids::{EventId, MemberId, PlanId};
use lesenka_core::plan::model::LONG_TEXT_CHARS;
use lesenka_core::plan::{
    Event, EventKind, ImportedEvent, Member, MemberRole, Period, PeriodError, Plan, PlanError,
    PlanImport, SchoolYear, current_year, import_plan,
};
use lesenka_core::text::Name;

use crate::clock::{new_uuid, today};
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_status};

/// One editable event row, first filled from core's imported event.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    period: String,
    kind: EventKind,
    title: String,
    responsible: String,
    result: String,
    /// The period core read and the text it was shown as: kept while the text is unchanged.
    read: Option<(Period, String)>,
}

impl Row {
    fn of(e: &ImportedEvent) -> Row {
        let period = e.period.as_ref().map_or_else(|| e.period_text.clone(), Period::to_string);
        Row {
            read: e.period.clone().map(|p| (p, period.clone())),
            period,
            kind: e.kind,
            title: e.title.clone(),
            responsible: e.responsible.clone().unwrap_or_default(),
            result: e.planned_result.clone().unwrap_or_default(),
        }
    }

    /// The plan event of this row, keeping what the import found beyond the edited fields.
    fn event(&self, id: EventId, found: &ImportedEvent) -> Result<Event, Refusal> {
        let period = match &self.read {
            Some((p, shown)) if *shown == self.period => p.clone(),
            _ => Period::parse(&self.period).map_err(Refusal::Period)?,
        };
        let mut event = Event::new(id, period, &self.title)
            .and_then(|e| e.with_result(&self.result))
            .and_then(|e| e.with_responsible(&self.responsible))
            .map_err(Refusal::Plan)?;
        event.kind = self.kind;
        event.status = found.status;
        event.links = found.links.clone();
        // A task core could not hold as text is left out rather than refusing the row.
        event.task =
            found.task.as_deref().and_then(|t| Name::parse_with_limit(t, LONG_TEXT_CHARS).ok());
        Ok(event)
    }
}

/// Why «Принять» saved nothing.
#[derive(Debug, Clone, PartialEq)]
enum Refusal {
    /// No event to save.
    Empty,
    /// The school year is not «2025-2026».
    Year,
    /// A row's period cannot be read.
    Period(PeriodError),
    /// Core refused a value.
    Plan(PlanError),
}

/// The screen's model: core's reading of the paste and the rows as edited.
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    found: Option<PlanImport>,
    rows: Vec<Row>,
    year: String,
}

impl Draft {
    /// Reads a paste through core (the year from the plan, else the current school year).
    fn read(text: &str, fallback: Option<SchoolYear>) -> Draft {
        let found = import_plan(text);
        let rows = found.events.iter().map(Row::of).collect();
        let year = found.header.year.or(fallback).map(|y| y.to_string()).unwrap_or_default();
        Draft { found: Some(found), rows, year }
    }

    /// The plan of the edited rows; `(row, refusal)` for the first row core refuses.
    fn accept(&self) -> Result<Plan, (Option<usize>, Refusal)> {
        let found = self.found.as_ref().filter(|_| !self.rows.is_empty());
        let found = found.ok_or((None, Refusal::Empty))?;
        let year = SchoolYear::find_in(&self.year).ok_or((None, Refusal::Year))?;
        let header = PlanImport { events: Vec::new(), ..found.clone() };
        let id = PlanId::from_uuid(new_uuid());
        let mut draft = header
            .to_plan(id, year, |_| EventId::from_uuid(new_uuid()))
            .map_err(|e| (None, Refusal::Plan(e)))?
            .0
            .draft()
            .clone();
        draft.year = year;
        draft.events = self
            .rows
            .iter()
            .zip(&found.events)
            .enumerate()
            .map(|(k, (row, e))| {
                row.event(EventId::from_uuid(new_uuid()), e).map_err(|r| (Some(k), r))
            })
            .collect::<Result<_, _>>()?;
        draft.members = found
            .header
            .members
            .iter()
            .filter_map(|m| m.name.as_deref().map(|name| (m, name)))
            .map(|(m, name)| {
                let role = m.role.unwrap_or(MemberRole::Member);
                Member::new(MemberId::from_uuid(new_uuid()), name, m.position.as_deref(), role)
            })
            .collect::<Result<_, _>>()
            .map_err(|e| (None, Refusal::Plan(e)))?;
        Plan::new(draft).map_err(|e| (None, Refusal::Plan(e)))
    }
}

/// The paste, core's events beside the lines it could not read, and «Принять».
#[component]
pub fn PlanImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let navigate = use_navigate();
    let draft = RwSignal::new(Draft::default());
    let (error, set_error) = signal(None::<String>);
    let count = move || draft.with(|d| d.rows.len());
    let problems =
        move || draft.with(|d| d.found.as_ref().map(|f| f.problems.clone()).unwrap_or_default());
    let on_paste = move |ev| {
        let text = event_target_value(&ev);
        draft.set(Draft::read(&text, current_year(today())));
        set_error.set(None);
    };
    let accept = move |_| match draft.with_untracked(Draft::accept) {
        Ok(plan) => match data.save_item(status, plan) {
            Ok(()) => navigate("/pos", Default::default()),
            Err(err) => set_error.set(Some(format::save_failed(i18n, &err))),
        },
        Err((row, refusal)) => {
            let why = match refusal {
                Refusal::Empty => t_string!(i18n, pos_import_nothing).to_string(),
                Refusal::Year => t_string!(i18n, pos_import_bad_year).to_string(),
                Refusal::Period(e) => errors::period(i18n, &e),
                Refusal::Plan(e) => errors::plan(i18n, &e),
            };
            set_error.set(Some(match row {
                Some(k) => t_string!(i18n, pos_import_row_error, row = k + 1, why).to_string(),
                None => why,
            }));
        }
    };
    view! {
        <section class="card">
            <h1>{t!(i18n, pos_import_title)}</h1>
            <p class="muted">{t!(i18n, pos_import_intro)}</p>
            <label class="form">
                <span>{t!(i18n, pos_import_paste)}</span>
                <textarea rows="8" data-testid="plan-paste" on:input=on_paste></textarea>
            </label>
            <p class="muted" role="status" data-testid="plan-found">
                {move || {
                    let events = count();
                    let lines = problems().len();
                    t_string!(i18n, pos_import_found, events, lines).to_string()
                }}
            </p>
            <label class="form narrow">
                <span>{t!(i18n, pos_year)}</span>
                <input
                    type="text"
                    data-testid="plan-year"
                    prop:value=move || draft.with(|d| d.year.clone())
                    on:input=move |ev| draft.update(|d| d.year = event_target_value(&ev))
                />
            </label>
        </section>
        <div class="pos-import-grid">
            <section class="card" aria-labelledby="plan-events-heading">
                <h2 id="plan-events-heading">{t!(i18n, pos_import_events)}</h2>
                <ol class="plan-rows" data-testid="plan-events">
                    <For each=move || 0..count() key=|k| *k let:k>
                        <PlanRow draft k />
                    </For>
                </ol>
            </section>
            <section class="card" aria-labelledby="plan-problems-heading">
                <h2 id="plan-problems-heading">{t!(i18n, pos_import_problems)}</h2>
                <ul class="problems" data-testid="plan-problems">
                    {move || {
                        problems()
                            .into_iter()
                            .map(|p| {
                                let lines = if p.last_line > p.line {
                                    format!("{}–{}", p.line, p.last_line)
                                } else {
                                    p.line.to_string()
                                };
                                view! {
                                    <li data-testid="plan-problem">
                                        <strong>{t_string!(i18n, pos_import_lines, lines).to_string()}</strong>
                                        " "
                                        <q>{p.text.clone()}</q>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </section>
        </div>
        <section class="card">
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <div class="actions">
                <A href="/pos" attr:class="btn ghost">{t!(i18n, cancel)}</A>
                <button type="button" class="btn primary" data-testid="plan-accept" on:click=accept>
                    {t!(i18n, pos_import_accept)}
                </button>
            </div>
        </section>
    }
}

/// Row `k` of the draft: period, kind, title, responsible, planned result.
#[component]
fn PlanRow(draft: RwSignal<Draft>, k: usize) -> impl IntoView {
    let i18n = use_i18n();
    let field = move |f: fn(&Row) -> String| {
        move || draft.with(|d| d.rows.get(k).map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut Row, String)| {
        move |ev| {
            let value = event_target_value(&ev);
            draft.update(|d| {
                if let Some(row) = d.rows.get_mut(k) {
                    f(row, value);
                }
            });
        }
    };
    let n = k + 1;
    let id = move |what: &str| format!("plan-event-{k}-{what}");
    let label = move |what: String| t_string!(i18n, pos_import_field, what, n).to_string();
    let kind = move || draft.with(|d| d.rows.get(k).map(|r| r.kind));
    view! {
        <li class="plan-row" data-testid=format!("plan-event-{k}")>
            <input
                type="text"
                class="plan-period"
                data-testid=id("period")
                aria-label=move || label(t_string!(i18n, pos_field_period).to_string())
                prop:value=field(|r| r.period.clone())
                on:input=set(|r, v| r.period = v)
            />
            <select
                data-testid=id("kind")
                aria-label=move || label(t_string!(i18n, pos_field_kind).to_string())
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    let chosen = EventKind::ALL.iter().find(|k| format!("{k:?}") == value);
                    if let Some(chosen) = chosen.copied() {
                        draft.update(|d| {
                            if let Some(row) = d.rows.get_mut(k) {
                                row.kind = chosen;
                            }
                        });
                    }
                }
            >
                {EventKind::ALL
                    .iter()
                    .map(|kind_| {
                        let kind_ = *kind_;
                        view! {
                            <option value=format!("{kind_:?}") selected=move || kind() == Some(kind_)>
                                {kind_.russian()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <input
                type="text"
                class="plan-title"
                data-testid=id("title")
                aria-label=move || label(t_string!(i18n, pos_field_title).to_string())
                prop:value=field(|r| r.title.clone())
                on:input=set(|r, v| r.title = v)
            />
            <input
                type="text"
                data-testid=id("responsible")
                aria-label=move || label(t_string!(i18n, pos_field_responsible).to_string())
                prop:value=field(|r| r.responsible.clone())
                on:input=set(|r, v| r.responsible = v)
            />
            <input
                type="text"
                data-testid=id("result")
                aria-label=move || label(t_string!(i18n, pos_field_result).to_string())
                prop:value=field(|r| r.result.clone())
                on:input=set(|r, v| r.result = v)
            />
        </li>
    }
}
