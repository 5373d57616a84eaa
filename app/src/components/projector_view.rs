//! What the projector shows of a run: the question (the criterion and the technique) and the
//! live anonymous count as a large chart, on one screen with no scrolling. No student is named
//! or numbered here, not even by pseudonym: the tiles stay on the teacher's own screen. For a
//! technique without a fixed scale it shows how many answered (and an exit ticket's checks and
//! confidence as a chart); the texts appear only when the teacher presses «Показать ответы»,
//! in the chart's place, as core gives them (`LiveRun::texts`: grouped by the part of the answer
//! they fill, each group headed by its words, sorted by the text, never with a name, so their
//! order says nothing of the roster; a cinquain stays whole).

use leptos::prelude::*;
use lesenka_core::live::TextPart;
use lesenka_core::technique::Technique;

use crate::components::bar_chart::BarChart;
use crate::components::scale_legend::ScaleLegend;
use crate::components::text_tally::exit_bars;
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
    let fixed = runs.with_untracked(run, |r| !r.technique().options().is_empty()).unwrap_or(true);
    let bars = Signal::derive(move || {
        runs.with(run, |r| if fixed { scale::bars(i18n, r) } else { exit_bars(i18n, r) })
            .unwrap_or_default()
    });
    let revealed = RwSignal::new(false);
    let texts = move || runs.with(run, |r| r.texts()).unwrap_or_default();
    let technique = StoredValue::new(runs.with_untracked(run, |r| r.technique().clone()));
    view! {
        <section class="projector-view" data-testid="projector-view">
            <header>
                <p class="projector-technique">{move || kind.map(|k| format::technique(i18n, k))}</p>
                <h2 data-testid="projector-question">{question}</h2>
            </header>
            <div class="projector-body">
                // Revealed texts take the chart's place, so each stays large.
                <Show when=move || !revealed.get() && bars.with(|b| !b.is_empty())>
                    <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                </Show>
                {(!fixed).then(|| view! {
                    <Show when=move || revealed.get()>
                        <div class="projector-texts" data-testid="projector-texts">
                            {move || texts().into_iter().map(|group| {
                                let heading = technique.with_value(|t| part_heading(i18n, t, group.part));
                                let poem = group.part == TextPart::Cinquain;
                                view! {
                                    <section class="text-group" data-testid="projector-text-group">
                                        {heading.map(|h| view! { <h3>{h}</h3> })}
                                        <ul class:poems=poem>
                                            {group.texts.into_iter().map(|t| view! {
                                                <li data-testid="projector-text">{t}</li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }
                            }).collect_view()}
                        </div>
                    </Show>
                })}
                <aside>
                    {fixed.then(|| view! { <ScaleLegend run=run audience=Audience::Class /> })}
                    <p class="answered" data-testid="answered">
                        {move || runs.with(run, |r| scale::answered(i18n, r))}
                    </p>
                    {(!fixed).then(|| view! {
                        <button
                            class="btn"
                            data-testid="reveal-texts"
                            aria-pressed=move || revealed.get().to_string()
                            on:click=move |_| revealed.update(|r| *r = !*r)
                        >
                            {move || if revealed.get() { t_string!(i18n, text_hide_answers) } else { t_string!(i18n, text_show_answers) }}
                        </button>
                    })}
                </aside>
            </div>
            <button class="btn" data-testid="projector-exit" on:click=move |_| projector.0.set(false)>
                {t!(i18n, projector_off)}
            </button>
        </section>
    }
}

/// The heading of a group of revealed texts: the part's words, an exit ticket's item prompt; none
/// where the question already says it (an unfinished sentence, a cinquain).
fn part_heading(
    i18n: leptos_i18n::I18nContext<Locale>,
    technique: &Option<Technique>,
    part: TextPart,
) -> Option<String> {
    Some(match part {
        TextPart::Sentence | TextPart::Cinquain => return None,
        TextPart::Learnt => t_string!(i18n, text_part_learnt).to_string(),
        TextPart::Interesting => t_string!(i18n, text_part_interesting).to_string(),
        TextPart::Question => t_string!(i18n, text_part_question).to_string(),
        TextPart::Star => t_string!(i18n, text_part_star).to_string(),
        TextPart::Wish => t_string!(i18n, text_part_wish).to_string(),
        TextPart::Item(i) => match technique {
            Some(Technique::ExitTicket(ticket)) => ticket.items().get(i)?.prompt.to_string(),
            _ => return None,
        },
    })
}
