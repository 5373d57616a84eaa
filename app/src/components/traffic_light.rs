//! Светофор in no-device mode: the class's students in a grid, one tap per student cycles
//! green → yellow → red, with undo; a live anonymous bar chart; closing saves the answers as
//! evidence records.
//!
//! The run itself is core's [`LiveRun`](lesenka_core::live::LiveRun), kept in the tab's
//! [`Runs`](crate::runs::Runs) context: this component only shows it and passes the taps on, so
//! rendering it again (another tab saved the class or the lesson) never loses an answer.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::roster::Class;
use lesenka_core::technique::{Light, Response};

use crate::components::bar_chart::{Bar, BarChart};
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, RunKey, use_runs};
use crate::state::{use_data, use_projector, use_status};

/// The CSS class of a tile's answer (`none` before the first tap).
fn light_of(answer: Option<&Response>) -> &'static str {
    match answer {
        Some(Response::Light(l)) => format::light_class(*l),
        _ => "none",
    }
}

/// Shows the светофор run `run` (in the runs context) for one class.
#[component]
pub fn TrafficLightRun(
    /// The class (names and pseudonyms; only the run's roster gets tiles).
    class: Class,
    /// The run in progress.
    run: RunKey,
    /// Called after the answers were closed (with what became of them) or dropped (`None`).
    #[prop(into)]
    on_close: Callback<Option<Closed>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let runs = use_runs();
    let (error, set_error) = signal(None::<LiveError>);

    let tap = move |id| {
        let outcome = runs.update(run, |r| r.tap(id));
        set_error.set(outcome.and_then(Result::err));
    };
    let undo = move |_| {
        runs.update(run, |r| r.undo());
        set_error.set(None);
    };
    let bars = Signal::derive(move || {
        let tally = runs.with(run, |r| r.tally());
        tally
            .map(|t| t.options)
            .unwrap_or_default()
            .into_iter()
            .map(|option| Bar {
                label: format::option_label(i18n, &option.value),
                key: option.key,
                count: option.count,
            })
            .collect::<Vec<_>>()
    });
    // A run core cannot close stays open, with the reason shown.
    let close = move |_| match runs.close(data, status, run) {
        Ok(closed) => on_close.run(Some(closed)),
        Err(e) => set_error.set(Some(e)),
    };
    let discard = move |_| {
        runs.discard(run);
        on_close.run(None);
    };
    // The tiles are made once; each one follows its student's answer.
    let students: Vec<_> = runs
        .with_untracked(run, |r| {
            class.students().iter().filter(|s| r.allows(s.id)).cloned().collect()
        })
        .unwrap_or_default();
    view! {
        <section class="technique traffic-light" data-testid="traffic-light">
            <div class="technique-head">
                <h2>{t!(i18n, traffic_light_title)}</h2>
                <p class="muted">{t!(i18n, traffic_light_hint)}</p>
                <ul class="legend">
                    {Light::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <li class=format!("chip {}", format::light_class(l))>
                                    <b>{move || format::light(i18n, l)}</b>
                                    " — "
                                    {move || format::light_meaning(i18n, l)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
            <div class="technique-body">
                <div class="student-grid" data-testid="student-grid">
                    {students
                        .into_iter()
                        .map(|student| {
                            let id = student.id;
                            let light = move || {
                                runs.with(run, |r| light_of(r.answer_of(id))).unwrap_or("none")
                            };
                            let answer = move || runs.with(run, |r| r.answer_of(id).cloned()).flatten();
                            let name = student.display_name.to_string();
                            let pseudonym = student.pseudonym.as_str().to_owned();
                            view! {
                                <button
                                    class=move || format!("student-tile {}", light())
                                    data-testid=format!("tile-{id}")
                                    data-light=light
                                    on:click=move |_| tap(id)
                                >
                                    <span class="tile-name">
                                        {move || {
                                            if projector.0.get() { pseudonym.clone() } else { name.clone() }
                                        }}
                                    </span>
                                    <span class="tile-light">
                                        {move || match answer() {
                                            Some(value) => format::option_label(i18n, &value),
                                            None => t_string!(i18n, light_none).to_string(),
                                        }}
                                    </span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <aside class="chart-panel">
                    <h3>{t!(i18n, chart_title)}</h3>
                    <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                    <p class="answered" data-testid="answered">
                        {move || {
                            let (answered, total) =
                                runs.with(run, |r| (r.answered(), r.roster_len())).unwrap_or_default();
                            t_string!(i18n, answered_of, answered, total).to_string()
                        }}
                    </p>
                </aside>
            </div>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="run-error">{move || format::live_error(i18n, &e)}</p>
            })}
            <div class="actions">
                <button
                    class="btn"
                    data-testid="undo"
                    disabled=move || !runs.with(run, |r| r.can_undo()).unwrap_or(false)
                    on:click=undo
                >
                    {t!(i18n, undo)}
                </button>
                <button class="btn ghost" data-testid="discard-technique" on:click=discard>
                    {t!(i18n, discard_technique)}
                </button>
                <button class="btn primary" data-testid="close-technique" on:click=close>
                    {t!(i18n, close_technique)}
                </button>
            </div>
        </section>
    }
}
