//! Core's calibration figures over a set of self/teacher pairs (a class's or a student's), as a
//! list of terms and values.

use leptos::prelude::*;
use lesenka_core::calibration::Summary;

use crate::format;
use crate::i18n::*;

/// The style of a list of figures: terms and values side by side (inline, so the first load's
/// CSS does not carry what only lazily loaded views use).
pub const FIGURES: &str = "display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem";
/// The style of a figure's value.
pub const FIGURE: &str = "margin:0;font-weight:600";

/// The figures of `summary`; each value carries `data-testid="{prefix}-{figure}"`.
#[component]
pub fn CalibrationSummary(
    /// Core's figures.
    summary: Summary,
    /// The prefix of the values' test ids (`calib-class`, `calib-student`).
    prefix: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = move |figure: &str| format!("{prefix}-{figure}");
    let s = summary;
    view! {
        <p class="muted" data-testid=id("pairs")>{move || format::calibration_pairs(i18n, s.pairs)}</p>
        <dl style=FIGURES>
            <dt>{t!(i18n, calib_mean_gap)}</dt>
            <dd style=FIGURE data-testid=id("mean-gap")>{move || format::hundredths(i18n, s.mean_gap, true)}</dd>
            <dt>{t!(i18n, calib_mean_abs_gap)}</dt>
            <dd style=FIGURE data-testid=id("mean-abs-gap")>{move || format::hundredths(i18n, s.mean_abs_gap, false)}</dd>
            <dt>{t!(i18n, calib_exact)}</dt>
            <dd style=FIGURE data-testid=id("exact")>{move || format::share(i18n, s.exact_share)}</dd>
            <dt>{t!(i18n, calib_over)}</dt>
            <dd style=FIGURE data-testid=id("over")>{move || format::share(i18n, s.over_share)}</dd>
            <dt>{t!(i18n, calib_under)}</dt>
            <dd style=FIGURE data-testid=id("under")>{move || format::share(i18n, s.under_share)}</dd>
            <dt>{t!(i18n, calib_slope)}</dt>
            <dd style=FIGURE data-testid=id("slope")>{move || format::gap_slope(i18n, s.trend.slope)}</dd>
            <dt>{t!(i18n, calib_halves)}</dt>
            <dd style=FIGURE data-testid=id("halves")>
                {move || {
                    let first = format::maybe_hundredths(i18n, s.trend.first_half);
                    let second = format::maybe_hundredths(i18n, s.trend.second_half);
                    t_string!(i18n, calib_halves_value, first, second).to_string()
                }}
            </dd>
        </dl>
    }
}
