//! Choosing a technique of core's catalogue: on one criterion any fixed-scale technique, on the
//! whole lesson the lesson-scope ones (exit ticket, 3-2-1, …), for the shared tablet the ones a
//! student answers there; for a лесенка успеха the 3-, 4- or 5-step preset or the teacher's own
//! ladder (one step per line, the teacher's wording and the student's separated by «|»), for an
//! unfinished sentence its stem. Core builds and checks the technique; what it refuses is shown
//! in words ([`errors::technique`]).

use leptos::prelude::*;
use lesenka_core::technique::{LadderScale, StepWording, Technique, TechniqueError, TechniqueKind};

use crate::components::choice_select::ChoiceSelect;
use crate::errors;
use crate::format;
use crate::i18n::*;

/// The value of the custom-ladder choice of the preset select.
const CUSTOM: &str = "custom";

/// The kinds with a fixed scale (core's `Technique::options` is not empty), in catalogue order.
pub fn fixed_scale_kinds() -> Vec<TechniqueKind> {
    TechniqueKind::ALL
        .into_iter()
        .filter(|k| !Technique::default_of(*k, lesenka_core::text::Lang::Ru).options().is_empty())
        .collect()
}

/// The kinds run on the whole lesson (core's `Scope::Lesson`), in catalogue order.
pub fn lesson_kinds() -> Vec<TechniqueKind> {
    TechniqueKind::ALL
        .into_iter()
        .filter(|k| {
            Technique::default_of(*k, lesenka_core::text::Lang::Ru).scope()
                == lesenka_core::technique::Scope::Lesson
        })
        .collect()
}

/// The teacher's ladder from its lines: «учительская формулировка | для ученика» (one wording
/// alone serves both); blank lines are skipped.
fn custom_ladder(text: &str) -> Result<LadderScale, TechniqueError> {
    let steps: Vec<StepWording> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| match line.split_once('|') {
            Some((teacher, student)) => {
                StepWording { teacher: teacher.to_owned(), student: student.to_owned() }
            }
            None => StepWording { teacher: line.to_owned(), student: line.to_owned() },
        })
        .collect();
    LadderScale::worded(&steps)
}

/// The technique chooser of criterion `index`; `on_start` gets the technique core built.
#[component]
pub fn TechniquePicker(
    /// The criterion's 0-based position (for the testids).
    index: usize,
    /// Whether starting is not possible now (a run in progress, no class).
    #[prop(into)]
    disabled: Signal<bool>,
    /// Called with the chosen technique.
    on_start: Callback<Technique>,
    /// The kinds offered (default: the fixed scales), in catalogue order.
    #[prop(optional)]
    kinds: Option<Vec<TechniqueKind>>,
    /// Put before `index` in the testids (`lesson-`, `tablet-`).
    #[prop(optional)]
    prefix: &'static str,
    /// Whether the button opens the shared tablet rather than running the technique here.
    #[prop(optional)]
    tablet: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let offered = kinds.unwrap_or_else(fixed_scale_kinds);
    let first = if offered.contains(&TechniqueKind::Ladder) {
        TechniqueKind::Ladder
    } else {
        offered.first().copied().unwrap_or(TechniqueKind::TrafficLight)
    };
    let offered = StoredValue::new(offered);
    let index = format!("{prefix}{index}");
    let (ladder_id, custom_id, stem_id) = (
        format!("choose-ladder-{index}"),
        format!("ladder-custom-{index}"),
        format!("stem-{index}"),
    );
    let kind = RwSignal::new(first);
    let stem = RwSignal::new(String::new());
    let preset = RwSignal::new("5".to_owned());
    let custom = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<TechniqueError>);
    let kinds = Signal::derive(move || {
        offered
            .get_value()
            .into_iter()
            .map(|k| (k.code().to_string(), format::technique(i18n, k)))
            .collect::<Vec<_>>()
    });
    let presets = Signal::derive(move || {
        vec![
            ("3".to_owned(), t_string!(i18n, ladder_preset_3).to_string()),
            ("4".to_owned(), t_string!(i18n, ladder_preset_4).to_string()),
            ("5".to_owned(), t_string!(i18n, ladder_preset_5).to_string()),
            (CUSTOM.to_owned(), t_string!(i18n, ladder_custom).to_string()),
        ]
    });
    let start = move |_| {
        let lang = format::lang(i18n);
        let technique = match kind.get_untracked() {
            TechniqueKind::Ladder => {
                let scale = match preset.get_untracked().as_str() {
                    CUSTOM => custom_ladder(&custom.get_untracked()),
                    steps => LadderScale::preset(steps.parse().unwrap_or(5), lang),
                };
                scale.map(Technique::Ladder)
            }
            TechniqueKind::UnfinishedSentence if stem.with_untracked(|s| !s.trim().is_empty()) => {
                Technique::unfinished_sentence(&stem.get_untracked())
            }
            other => Ok(Technique::default_of(other, lang)),
        };
        match technique {
            Ok(technique) => {
                set_error.set(None);
                on_start.run(technique);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let is_ladder = move || kind.get() == TechniqueKind::Ladder;
    view! {
        <div class="technique-picker">
            <label>
                <span class="muted">{t!(i18n, technique_choice)}</span>
                <ChoiceSelect
                    testid=format!("choose-technique-{index}")
                    choices=kinds
                    selected=Signal::derive(move || Some(kind.get().code().to_string()))
                    on_change=Callback::new(move |code: String| {
                        if let Some(k) = code.parse().ok().and_then(TechniqueKind::from_code) {
                            kind.set(k);
                        }
                    })
                />
            </label>
            <Show when=is_ladder>
                <label>
                    <span class="muted">{t!(i18n, ladder_choice)}</span>
                    <ChoiceSelect
                        testid=ladder_id.clone()
                        choices=presets
                        selected=Signal::derive(move || Some(preset.get()))
                        on_change=Callback::new(move |p: String| preset.set(p))
                    />
                </label>
            </Show>
            <Show when=move || is_ladder() && preset.with(|p| p == CUSTOM)>
                <label class="custom-ladder">
                    <span class="muted">{t!(i18n, ladder_custom_hint)}</span>
                    <textarea
                        data-testid=custom_id.clone()
                        rows="5"
                        prop:value=move || custom.get()
                        on:input=move |ev| custom.set(event_target_value(&ev))
                    ></textarea>
                </label>
            </Show>
            <Show when=move || kind.get() == TechniqueKind::UnfinishedSentence>
                <label>
                    <span class="muted">{t!(i18n, text_stem)}</span>
                    <input
                        type="text"
                        data-testid=stem_id.clone()
                        placeholder=move || t_string!(i18n, text_stem_default).to_string()
                        prop:value=move || stem.get()
                        on:input=move |ev| stem.set(event_target_value(&ev))
                    />
                </label>
            </Show>
            <button
                class="btn primary"
                data-testid=format!("run-technique-{index}")
                disabled=move || disabled.get()
                on:click=start
            >
                {move || if tablet { t_string!(i18n, tablet_open) } else { t_string!(i18n, run_technique) }}
            </button>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid=format!("technique-error-{index}")>
                    {move || errors::technique(i18n, &e)}
                </p>
            })}
        </div>
    }
}
