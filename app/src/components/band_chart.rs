//! The diagnostics' charts over core's summaries, drawn by `bar_chart.rs`: a class's (or the
//! community's) distribution by Лусканова band, the start and end waves side by side with
//! core's paired change, and a satisfaction survey's answers per item. The band and audience
//! words are the translations'; the counts are core's.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use lesenka_core::diagnostics::MotivationLevel;
use lesenka_core::diagnostics::cohort::{WaveComparison, WaveSummary};
use lesenka_core::diagnostics::likert::{Audience, LikertSummary};
use lesenka_core::diagnostics::run::survey_wording;

use crate::components::bar_chart::{Bar, BarChart};
use crate::format;
use crate::i18n::*;

/// A band's short name («высокая»).
pub fn level_name(i18n: I18nContext<Locale>, level: MotivationLevel) -> String {
    match level {
        MotivationLevel::Negative => t_string!(i18n, diag_level_negative),
        MotivationLevel::Low => t_string!(i18n, diag_level_low),
        MotivationLevel::External => t_string!(i18n, diag_level_external),
        MotivationLevel::Normal => t_string!(i18n, diag_level_normal),
        MotivationLevel::High => t_string!(i18n, diag_level_high),
    }
    .to_string()
}

/// Who a survey is for («родители»).
pub fn audience_name(i18n: I18nContext<Locale>, a: Audience) -> String {
    match a {
        Audience::Students => t_string!(i18n, diag_audience_students),
        Audience::Parents => t_string!(i18n, diag_audience_parents),
        Audience::Teachers => t_string!(i18n, diag_audience_teachers),
        Audience::Other => t_string!(i18n, diag_audience_other),
    }
    .to_string()
}

/// The bars of a wave: one per band, lowest first, keyed by the band's code.
fn bars(i18n: I18nContext<Locale>, wave: &WaveSummary) -> Vec<Bar> {
    wave.bands
        .iter()
        .zip(MotivationLevel::ALL)
        .map(|(b, level)| Bar {
            key: b.code.clone(),
            label: level_name(i18n, level),
            count: b.count,
        })
        .collect()
}

/// A wave's distribution by band (`testid`: its wrapper).
#[component]
pub fn DistributionChart(
    /// Core's summary of the wave.
    wave: WaveSummary,
    /// The chart's title.
    #[prop(into)]
    title: Signal<String>,
    /// The wrapper's test id.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let respondents = wave.respondents;
    let bars = Signal::derive(move || bars(i18n, &wave));
    view! {
        <figure class="diag-chart" data-testid=testid>
            <figcaption>{move || title.get()} " — " {move || t_string!(i18n, diag_respondents, count = respondents).to_string()}</figcaption>
            <BarChart bars title />
        </figure>
    }
}

/// The start and end waves of a year and who moved between bands (core's comparison).
#[component]
pub fn WaveChart(
    /// Core's comparison.
    comparison: WaveComparison,
) -> impl IntoView {
    let i18n = use_i18n();
    let p = comparison.paired.clone();
    let mean = p.mean_change;
    view! {
        <div class="diag-waves">
            <DistributionChart wave=comparison.start title=Signal::derive(move || t_string!(i18n, diag_wave_start).to_string()) testid="diag-wave-start" />
            <DistributionChart wave=comparison.end title=Signal::derive(move || t_string!(i18n, diag_wave_end).to_string()) testid="diag-wave-end" />
        </div>
        <p data-testid="diag-paired">
            {move || t_string!(i18n, diag_paired, pairs = p.pairs, up = p.moved_up, down = p.moved_down, stayed = p.stayed).to_string()}
            {move || mean.map(|m| format!(" {}", t_string!(i18n, diag_mean_change, change = lesenka_core::explain::hundredths(m, true, format::lang(i18n)))))}
        </p>
    }
}

/// A survey's answers: one chart per item, bars per point of its scale.
#[component]
pub fn LikertCharts(
    /// Core's summary.
    summary: LikertSummary,
) -> impl IntoView {
    let i18n = use_i18n();
    let respondents = summary.respondents;
    view! {
        <p data-testid="likert-respondents">{move || t_string!(i18n, diag_respondents, count = respondents).to_string()}</p>
        <div class="diag-waves">
            {summary.items.into_iter().enumerate().map(|(i, item)| {
                // Built-in surveys in the interface's language (stored in Russian).
                let lang = format::lang(i18n);
                let title = survey_wording(&item.text, lang).to_string();
                let bars: Vec<Bar> = item.answers.iter().enumerate().map(|(p, a)| Bar {
                    key: format!("{i}-{p}"),
                    label: survey_wording(&a.label, lang).to_string(),
                    count: a.count,
                }).collect();
                let caption = title.clone();
                view! {
                    <figure class="diag-chart" data-testid=format!("likert-item-{i}")>
                        <figcaption>{caption}</figcaption>
                        <BarChart bars=Signal::derive(move || bars.clone()) title=Signal::derive(move || title.clone()) />
                    </figure>
                }
            }).collect_view()}
        </div>
    }
}
