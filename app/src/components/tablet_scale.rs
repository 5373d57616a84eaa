//! One criterion's fixed scale on the shared tablet, as large buttons in the student's own
//! words: a light with its meaning, a ladder step with the step's student wording (core's
//! `LadderScale::student_label`), fingers, a thumb. The choice goes to the page's `LiveRun`.

use leptos::prelude::*;
use lesenka_core::technique::{Response, Technique};

use crate::format;
use crate::i18n::*;
use crate::scale::{self, Audience};

/// The options of `technique` for criterion `index` (testids `self-{index}-{key}`).
#[component]
pub fn TabletScale(
    /// The criterion's 0-based position.
    index: usize,
    /// The technique as the teacher set it.
    technique: Technique,
    /// The student's answer so far.
    #[prop(into)]
    chosen: Signal<Option<Response>>,
    /// Called with the option the student taps.
    on_choose: Callback<Response>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = technique.options();
    let columns = options.len().min(5);
    view! {
        <div class="light-choices" style=format!("grid-template-columns:repeat({columns},1fr)")>
            {options
                .into_iter()
                .map(|value| {
                    let key = technique.option_key(&value).unwrap_or_default();
                    let meaning = scale::meaning(i18n, &technique, &value, Audience::Class);
                    let label = format::option_label(i18n, &value);
                    let pressed = value.clone();
                    let selected = Memo::new(move |_| chosen.with(|c| c.as_ref() == Some(&pressed)));
                    let class_key = key.clone();
                    view! {
                        <button
                            class=move || format!("light-choice {class_key}{}", if selected.get() { " selected" } else { "" })
                            aria-pressed=move || selected.get().to_string()
                            data-testid=format!("self-{index}-{key}")
                            on:click=move |_| on_choose.run(value.clone())
                        >
                            <b>{label}</b>
                            {meaning.map(|m| view! { <span>{m}</span> })}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
