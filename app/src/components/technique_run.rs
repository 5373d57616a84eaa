//! One run screen for every technique of core's catalogue, in no-device mode: the class's
//! students in a grid on the teacher's screen; for a fixed scale (светофор, лесенка успеха,
//! кулак–пять, большой палец) a picked value (or one tap cycling round the scale), the rest of
//! the class set at once; for the other techniques a tile shows who answered and a tap opens
//! the student's answer form ([`TextAnswer`]), and an exit ticket's content check and
//! confidence are picked like a fixed scale ([`ExitPicker`]); undo, the live anonymous chart
//! and the answered count; in projector mode only the question, the counts and, once the
//! teacher reveals them, the texts without names ([`ProjectorView`]).
//!
//! The run itself is core's [`LiveRun`](lesenka_core::live::LiveRun), kept in the tab's
//! [`Runs`](crate::runs::Runs) context: this component shows it and passes the taps on, so
//! rendering it again (another tab saved the class or the lesson) never loses an answer.

use leptos::prelude::*;
use lesenka_core::ids::StudentId;
use lesenka_core::live::LiveError;
use lesenka_core::roster::Class;
use lesenka_core::technique::{Response, TechniqueKind};

use crate::components::bar_chart::BarChart;
use crate::components::projector_view::ProjectorView;
use crate::components::run_actions::RunActions;
use crate::components::scale_legend::ScaleLegend;
use crate::components::student_tile::StudentTile;
use crate::components::text_answer::TextAnswer;
use crate::components::text_exit_picker::ExitPicker;
use crate::components::text_tally::exit_bars;
use crate::components::text_tile::TextTile;
use crate::components::value_picker::ValuePicker;
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, RunKey, use_runs};
use crate::scale::{self, Audience};
use crate::state::use_projector;

/// The run screen's own styles: the value picker, an answered tile, the projector view over the
/// whole screen (in this lazily loaded component, so the first load's CSS does not carry them).
const RUN_CSS: &str = "\
.value-picker{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.6rem 0}\
.btn.pick[aria-pressed=true]{outline:3px solid var(--accent);font-weight:700}\
.student-tile.answered:not(.green,.yellow,.red){border-color:var(--accent)}\
.projector-view{position:fixed;inset:0;z-index:50;background:#000;color:#fff;font-size:32px;\
display:flex;flex-direction:column;gap:12px;padding:16px 32px;overflow:hidden}\
.projector-view h2{font-size:48px;margin:0;line-height:1.15}\
.projector-view p,.projector-view .btn,.projector-view .chip{font-size:32px;margin:0}\
.projector-body{flex:1;min-height:0;display:flex;gap:32px}\
.projector-body .bar-chart{flex:1;min-width:0;height:100%}\
.projector-body aside{width:36%;display:flex;flex-direction:column;gap:12px}\
.projector-view .legend{list-style:none;padding:0;margin:0;display:flex;flex-direction:column;gap:8px}\
.projector-view .btn{align-self:flex-start}\
.projector-texts{flex:1;min-width:0;display:flex;flex-direction:column;gap:16px;overflow:auto}\
.text-group h3{font-size:36px;margin:0 0 8px}\
.text-group ul{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:12px}\
.text-group li{font-size:32px;background:#222;border-radius:12px;padding:8px 16px}\
.text-group ul.poems li{white-space:pre-line}\
.projector-count{font-size:64px;font-weight:700}\
.text-answer{display:flex;flex-direction:column;gap:.6rem;margin:.6rem 0}\
.answer-field{display:flex;flex-direction:column;gap:.3rem;border:0;padding:0;margin:0}\
.answer-field input,.answer-field textarea{font:inherit;min-height:44px;padding:.4rem}\
.answer-field legend{padding:0;margin-bottom:.3rem}\
.answer-choice{min-height:44px;min-width:44px;margin-right:.4rem}\
.answer-choice[aria-pressed=true]{outline:3px solid var(--accent);font-weight:700}\
body:has(.projector-view){overflow:hidden}";

/// The `data-testid` of a running technique.
fn testid(kind: Option<TechniqueKind>) -> &'static str {
    match kind {
        Some(TechniqueKind::TrafficLight) => "traffic-light",
        Some(TechniqueKind::Ladder) => "ladder",
        Some(TechniqueKind::FistToFive) => "fist-to-five",
        Some(TechniqueKind::Thumbs) => "thumbs",
        Some(TechniqueKind::ExitTicket) => "exit-ticket",
        Some(TechniqueKind::TwoStarsAndAWish) => "two-stars",
        Some(TechniqueKind::ThreeTwoOne) => "three-two-one",
        Some(TechniqueKind::UnfinishedSentence) => "unfinished-sentence",
        Some(TechniqueKind::Cinquain) => "cinquain",
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
    let technique = runs.with_untracked(run, |r| r.technique().clone());
    let fixed = technique.as_ref().is_some_and(|t| !t.options().is_empty());
    let chosen = RwSignal::new(None::<StudentId>);
    let bars = Signal::derive(move || {
        runs.with(run, |r| if fixed { scale::bars(i18n, r) } else { exit_bars(i18n, r) })
            .unwrap_or_default()
    });
    let all_answered = move || {
        runs.with(run, |r| r.answered() == r.roster_len() && r.answered() > 0).unwrap_or(false)
    };
    // The tiles are made once; each one follows its student's answer.
    let students: Vec<_> = runs
        .with_untracked(run, |r| {
            class.students().iter().filter(|s| r.allows(s.id)).cloned().collect()
        })
        .unwrap_or_default();
    let names = StoredValue::new(students.clone());
    // The answer form of the chosen student (techniques without a fixed scale).
    let form = move || {
        let student = chosen.get()?;
        let technique = technique.clone()?;
        let name = names.with_value(|s| {
            s.iter().find(|s| s.id == student).map(|s| s.display_name.to_string())
        })?;
        let submit = Callback::new(move |response: Response| {
            runs.update(run, |r| r.answer(student, response)).unwrap_or(Ok(())).map(|()| {
                chosen.set(None);
            })
        });
        Some(view! {
            <div class="card answer-for" data-testid="answer-for">
                <h3>{t!(i18n, text_answer_of)} " " {name}</h3>
                <TextAnswer
                    technique=technique
                    on_submit=submit
                    submit_label=Signal::derive(move || t_string!(i18n, text_save_answer).to_string())
                />
            </div>
        })
    };
    view! {
        <section class="technique" data-testid=testid(kind)>
            <style>{RUN_CSS}</style>
            {move || {
                if projector.0.get() {
                    return view! { <ProjectorView run=run question=question.clone() /> }.into_any();
                }
                let students = students.clone();
                view! {
                    <div class="technique-head">
                        <h2>{move || kind.map(|k| format::technique(i18n, k))}</h2>
                        {if fixed {
                            view! {
                                <p class="muted">{t!(i18n, run_hint)}</p>
                                <ScaleLegend run=run audience=Audience::Teacher />
                                <ValuePicker run=run picked=picked on_error=set_error />
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="muted">{t!(i18n, text_run_hint)}</p>
                                <ExitPicker run=run picked=picked on_error=set_error />
                            }
                                .into_any()
                        }}
                    </div>
                    <div class="technique-body">
                        <div class="student-grid" data-testid="student-grid">
                            {students
                                .into_iter()
                                .map(|student| if fixed {
                                    view! {
                                        <StudentTile run=run student=student picked=picked on_error=set_error />
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <TextTile run=run student=student picked=picked chosen=chosen on_error=set_error />
                                    }
                                        .into_any()
                                })
                                .collect_view()}
                        </div>
                        <aside class="chart-panel">
                            <h3>{t!(i18n, chart_title)}</h3>
                            <Show when=move || bars.with(|b| !b.is_empty())>
                                <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                            </Show>
                            <p class="answered" data-testid="answered">
                                {move || runs.with(run, |r| scale::answered(i18n, r))}
                            </p>
                            <Show when=all_answered>
                                <p class="notice" role="status" data-testid="all-answered">{t!(i18n, all_answered)}</p>
                            </Show>
                        </aside>
                    </div>
                    {form.clone()}
                    {move || error.get().map(|e| view! {
                        <p class="error" role="alert" data-testid="run-error">{move || errors::live(i18n, &e)}</p>
                    })}
                    <RunActions run=run on_close=on_close on_error=set_error />
                }
                    .into_any()
            }}
        </section>
    }
}
