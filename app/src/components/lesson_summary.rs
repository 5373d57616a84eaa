//! The lesson's summary on the teacher's own screen (never in projector mode): per criterion
//! and fixed-scale technique the distribution of answers, and who gave the lowest answer (red,
//! step 1, a fist, thumb down), and who over- or under-estimated against the teacher's own
//! assessment, from core's `summary::summarise` over the journal.

use leptos::prelude::*;
use lesenka_core::lesson::Lesson;
use lesenka_core::roster::Class;
use lesenka_core::summary::summarise;

use crate::components::summary_estimates::SummaryEstimates;
use crate::components::summary_line::SummaryLine;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The summary of `lesson` for its class (names from `class`); nothing before any answer.
#[component]
pub fn LessonSummary(
    /// The lesson.
    lesson: Lesson,
    /// Its class (the names of who gave the lowest answer).
    class: Option<Class>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let criteria = lesson.criteria().to_vec();
    let summary = Memo::new(move |_| data.journal.with(|j| summarise(&lesson, j)));
    move || {
        if projector.0.get() || summary.with(Vec::is_empty) {
            return None;
        }
        let items = summary
            .get()
            .into_iter()
            .filter_map(|c| {
                let index = criteria.iter().position(|k| k.id() == c.criterion)?;
                let text = criteria[index].text().to_string();
                let class = class.clone();
                Some(view! {
                    <li data-testid=format!("summary-{index}")>
                        <h3>{text}</h3>
                        {c.techniques
                            .into_iter()
                            .map(|t| view! { <SummaryLine summary=t class=class.clone() /> })
                            .collect_view()}
                        <SummaryEstimates estimates=c.estimates class=class.clone() />
                    </li>
                })
            })
            .collect_view();
        Some(view! {
            <section class="card" data-testid="lesson-summary">
                <h2>{t!(i18n, summary_title)}</h2>
                <p class="muted">{t!(i18n, summary_private)}</p>
                <ol class="summary">{items}</ol>
            </section>
        })
    }
}
