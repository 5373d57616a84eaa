//! A criterion's line of a lesson's summary comparing the students' self-assessment with the
//! teacher's (the teacher's screen only): who over- and who under-estimated, named, with the
//! gap in steps, and how many agreed — core's `summary::Estimates`.

use leptos::prelude::*;
use lesenka_core::roster::Class;
use lesenka_core::summary::{Estimate, Estimates};

use crate::format;
use crate::i18n::*;

/// Who over- and under-estimated on one criterion; nothing when the teacher assessed nobody.
#[component]
pub fn SummaryEstimates(
    /// The criterion's estimates.
    estimates: Estimates,
    /// The class (the names).
    class: Option<Class>,
) -> impl IntoView {
    let i18n = use_i18n();
    let named = move |list: &[Estimate]| {
        list.iter()
            .map(|e| {
                let name = format::student_names(i18n, class.as_ref(), &[e.student]);
                format!("{name} ({:+})", e.gap)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let over = named(&estimates.over);
    let under = named(&estimates.under);
    let agreed = estimates.agreed;
    (!estimates.is_empty()).then(|| {
        view! {
            <div class="summary-estimates" data-testid="summary-estimates">
                <p data-testid="summary-over">
                    {move || if over.is_empty() { t_string!(i18n, summary_over_none).to_string() } else { t_string!(i18n, summary_over, names = over.clone()).to_string() }}
                </p>
                <p data-testid="summary-under">
                    {move || if under.is_empty() { t_string!(i18n, summary_under_none).to_string() } else { t_string!(i18n, summary_under, names = under.clone()).to_string() }}
                </p>
                <p class="muted" data-testid="summary-agreed">{move || t_string!(i18n, summary_agreed, count = agreed).to_string()}</p>
            </div>
        }
    })
}
