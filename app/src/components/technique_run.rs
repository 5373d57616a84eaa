//! One run screen for every technique with a fixed scale (светофор, лесенка успеха, кулак–пять,
//! большой палец), in no-device mode: the class's students in a grid on the teacher's screen,
//! a picked value (or one tap cycling round the scale), the rest of the class set at once,
//! undo, the live anonymous chart and the answered count; in projector mode only the question
//! and the chart ([`ProjectorView`]).
//!
//! The run itself is core's [`LiveRun`](lesenka_core::live::LiveRun), kept in the tab's
//! [`Runs`](crate::runs::Runs) context: this component shows it and passes the taps on, so
//! rendering it again (another tab saved the class or the lesson) never loses an answer.

use leptos::prelude::*;
use lesenka_core::live::LiveError;
use lesenka_core::roster::Class;
use lesenka_core::technique::{Response, TechniqueKind};

use crate::components::bar_chart::BarChart;
use crate::components::projector_view::ProjectorView;
use crate::components::run_actions::RunActions;
use crate::components::scale_legend::ScaleLegend;
use crate::components::student_tile::StudentTile;
use crate::components::value_picker::ValuePicker;
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, RunKey, use_runs};
use crate::scale::{self, Audience};
use crate::state::use_projector;

/// The `data-testid` of a running technique.
fn testid(kind: Option<TechniqueKind>) -> &'static str {
    match kind {
        Some(TechniqueKind::TrafficLight) => "traffic-light",
        Some(TechniqueKind::Ladder) => "ladder",
        Some(TechniqueKind::FistToFive) => "fist-to-five",
        Some(TechniqueKind::Thumbs) => "thumbs",
        _ => "technique-run",
    }
}

/// Shows the run `run` (in the runs context) for one class.
#[component]
pub fn TechniqueRun(
    /// The class (names; only the run's roster gets tiles).
    class: Class,
    /// The run in progress.
    run: RunKey,
    /// The question: the criterion's text.
    question: String,
    /// Called after the answers were closed (with what became of them) or dropped (`None`).
    #[prop(into)]
    on_close: Callback<Option<Closed>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let projector = use_projector();
    let runs = use_runs();
    let (error, set_error) = signal(None::<LiveError>);
    let picked = RwSignal::new(None::<Response>);
    let kind = runs.with_untracked(run, |r| r.technique().kind());
    let bars = Signal::derive(move || runs.with(run, |r| scale::bars(i18n, r)).unwrap_or_default());
    let all_answered = move || {
        runs.with(run, |r| r.answered() == r.roster_len() && r.answered() > 0).unwrap_or(false)
    };
    // The tiles are made once; each one follows its student's answer.
    let students: Vec<_> = runs
        .with_untracked(run, |r| {
            class.students().iter().filter(|s| r.allows(s.id)).cloned().collect()
        })
        .unwrap_or_default();
    view! {
        <section class="technique" data-testid=testid(kind)>
            {move || {
                if projector.0.get() {
                    return view! { <ProjectorView run=run question=question.clone() /> }.into_any();
                }
                let students = students.clone();
                view! {
                    <div class="technique-head">
                        <h2>{move || kind.map(|k| format::technique(i18n, k))}</h2>
                        <p class="muted">{t!(i18n, run_hint)}</p>
                        <ScaleLegend run=run audience=Audience::Teacher />
                        <ValuePicker run=run picked=picked on_error=set_error />
                    </div>
                    <div class="technique-body">
                        <div class="student-grid" data-testid="student-grid">
                            {students
                                .into_iter()
                                .map(|student| view! {
                                    <StudentTile run=run student=student picked=picked on_error=set_error />
                                })
                                .collect_view()}
                        </div>
                        <aside class="chart-panel">
                            <h3>{t!(i18n, chart_title)}</h3>
                            <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                            <p class="answered" data-testid="answered">
                                {move || runs.with(run, |r| scale::answered(i18n, r))}
                            </p>
                            <Show when=all_answered>
                                <p class="notice" role="status" data-testid="all-answered">{t!(i18n, all_answered)}</p>
                            </Show>
                        </aside>
                    </div>
                    {move || error.get().map(|e| view! {
                        <p class="error" role="alert" data-testid="run-error">{move || format::live_error(i18n, &e)}</p>
                    })}
                    <RunActions run=run on_close=on_close on_error=set_error />
                }
                    .into_any()
            }}
        </section>
    }
}
