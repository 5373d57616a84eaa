//! What the projector shows of a run: the question (the criterion and the technique) and the
//! live anonymous count as a large chart, on one screen with no scrolling. No student is named
//! or numbered here, not even by pseudonym: the tiles stay on the teacher's own screen.

use leptos::prelude::*;

use crate::components::bar_chart::BarChart;
use crate::components::scale_legend::ScaleLegend;
use crate::format;
use crate::i18n::*;
use crate::runs::{RunKey, use_runs};
use crate::scale::{self, Audience};
use crate::state::use_projector;

/// The projector view of the run `run`, over the whole screen.
#[component]
pub fn ProjectorView(
    /// The run in progress.
    run: RunKey,
    /// The question: the criterion's text.
    question: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let runs = use_runs();
    let projector = use_projector();
    let kind = runs.with_untracked(run, |r| r.technique().kind());
    let bars = Signal::derive(move || runs.with(run, |r| scale::bars(i18n, r)).unwrap_or_default());
    view! {
        <section class="projector-view" data-testid="projector-view">
            <header>
                <p class="projector-technique">{move || kind.map(|k| format::technique(i18n, k))}</p>
                <h2 data-testid="projector-question">{question}</h2>
            </header>
            <div class="projector-body">
                <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                <aside>
                    <ScaleLegend run=run audience=Audience::Class />
                    <p class="answered" data-testid="answered">
                        {move || runs.with(run, |r| scale::answered(i18n, r))}
                    </p>
                </aside>
            </div>
            <button class="btn" data-testid="projector-exit" on:click=move |_| projector.0.set(false)>
                {t!(i18n, projector_off)}
            </button>
        </section>
    }
}
