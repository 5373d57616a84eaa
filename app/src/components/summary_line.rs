//! One technique's line of a lesson's summary (the teacher's screen only): its name, the
//! counts in scale order, and who gave the lowest answer, named.

use leptos::prelude::*;
use lesenka_core::roster::Class;
use lesenka_core::summary::TechniqueSummary;

use crate::format;
use crate::i18n::*;

/// One technique's line of the summary.
#[component]
pub fn SummaryLine(
    /// The technique's answers on one criterion.
    summary: TechniqueSummary,
    /// The class (the names of who gave the lowest answer).
    class: Option<Class>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || format::technique(i18n, summary.kind);
    let counts = summary.counts.clone();
    let distribution = move || {
        counts
            .iter()
            .map(|(value, n)| format!("{} — {n}", format::option_label(i18n, value)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let (lowest, students) = (summary.lowest, summary.lowest_students);
    let who = move || {
        let value = format::option_label(i18n, &lowest);
        if students.is_empty() {
            return t_string!(i18n, summary_lowest_none, value).to_string();
        }
        let names = format::student_names(i18n, class.as_ref(), &students);
        t_string!(i18n, summary_lowest, value, names).to_string()
    };
    view! {
        <div class="summary-technique" data-testid="summary-technique" data-kind=summary.kind.code()>
            <p><b>{name}</b>": " {distribution}</p>
            <p class="muted" data-testid="summary-lowest">{who}</p>
        </div>
    }
}
