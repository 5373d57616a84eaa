//! «Моя лесенка» on the shared tablet: the chosen student's own ladder steps per criterion of
//! their class, as an SVG line over the lessons (core's `Journal::ladder_history`, their own
//! self-assessments only; no one else's answer is read or shown).

use leptos::prelude::*;
use lesenka_core::evidence::Source;
use lesenka_core::ids::{ClassId, StudentId};
use lesenka_core::lesson::class_criteria;

use crate::format;
use crate::i18n::*;
use crate::state::use_data;

const W: f64 = 600.0;
const H: f64 = 220.0;
const PAD: f64 = 36.0;

/// The ladder history of `student` in the class `class`.
#[component]
pub fn LadderHistory(
    /// The student who picked their name.
    student: StudentId,
    /// Their class (whose criteria are charted).
    class: ClassId,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let charts = move || {
        let criteria: Vec<(lesenka_core::ids::CriterionId, String)> = data.lessons.with(|l| {
            class_criteria(l.iter(), class)
                .into_iter()
                .map(|c| (c.id(), c.text().to_string()))
                .collect()
        });
        data.journal.with(|j| {
            criteria
                .into_iter()
                .map(|(id, text)| {
                    let points: Vec<_> = j
                        .ladder_history(student, Some(id))
                        .into_iter()
                        .filter(|p| p.source == Source::SelfAssessment)
                        .collect();
                    (text, points)
                })
                .filter(|(_, p)| !p.is_empty())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="ladder-history" data-testid="ladder-history">
            <h2>{t!(i18n, tablet_my_ladder)}</h2>
            {move || {
                let charts = charts();
                if charts.is_empty() {
                    return view! { <p class="big muted" data-testid="ladder-history-none">{t!(i18n, tablet_no_ladder)}</p> }.into_any();
                }
                charts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, points))| {
                        let top = points.iter().map(|p| p.step).max().unwrap_or(1).max(5);
                        let n = points.len();
                        let x = move |k: usize| {
                            if n == 1 { W / 2.0 } else { PAD + (W - 2.0 * PAD) * k as f64 / (n - 1) as f64 }
                        };
                        let y = move |step: u8| H - PAD - (H - 2.0 * PAD) * f64::from(step - 1) / f64::from(top - 1);
                        let line: Vec<String> =
                            points.iter().enumerate().map(|(k, p)| format!("{:.1},{:.1}", x(k), y(p.step))).collect();
                        let steps: Vec<String> = points.iter().map(|p| p.step.to_string()).collect();
                        let label = t_string!(i18n, tablet_ladder_label, criterion = text.clone(), steps = steps.join(", ")).to_string();
                        let aria = label.clone();
                        view! {
                            <figure class="self-criterion">
                                <figcaption class="big-title">{text}</figcaption>
                                <svg
                                    class="ladder-chart"
                                    viewBox=format!("0 0 {W} {H}")
                                    role="img"
                                    aria-label=aria
                                    data-testid=format!("ladder-history-{i}")
                                    data-steps=steps.join(",")
                                >
                                    <title>{label}</title>
                                    {(1..=top).map(|s| view! {
                                        <line class="grid" x1=PAD x2=W - PAD y1=y(s) y2=y(s) />
                                        <text class="axis-label" x=PAD - 12.0 y=y(s) + 6.0 text-anchor="end">{s}</text>
                                    }).collect_view()}
                                    <polyline class="ladder-line" points=line.join(" ") />
                                    {points.iter().enumerate().map(|(k, p)| {
                                        let (date, step) = (p.date, p.step);
                                        view! {
                                            <circle class="ladder-point" cx=x(k) cy=y(p.step) r="9">
                                                <title>{move || format!("{} — {}", format::date(i18n, date), step)}</title>
                                            </circle>
                                        }
                                    }).collect_view()}
                                </svg>
                            </figure>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}
