//! The words of a fixed scale's options on the run screens: a short label (a light's name, a
//! step's or a hand's number, a thumb) and what an option means to the teacher or to the class
//! (a light's meaning, a ladder step's teacher or student wording), all from core's technique.

use leptos_i18n::I18nContext;
use lesenka_core::live::LiveRun;
use lesenka_core::technique::{Response, Tally, Technique};

use crate::components::bar_chart::Bar;
use crate::format;
use crate::i18n::*;

/// Who reads an option's meaning: the teacher on their own screen, or the class on the
/// projector (a ladder's student wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The teacher's own screen.
    Teacher,
    /// The class, on the projector.
    Class,
}

/// What an option means, if the technique says more than its label: a light's meaning, a
/// ladder step's wording for `audience`.
pub fn meaning(
    i18n: I18nContext<Locale>,
    technique: &Technique,
    value: &Response,
    audience: Audience,
) -> Option<String> {
    match (technique, value) {
        (_, Response::Light(l)) => Some(format::light_meaning(i18n, *l)),
        (Technique::Ladder(scale), Response::Step(step)) => {
            let name = match audience {
                Audience::Teacher => scale.label(*step),
                Audience::Class => scale.student_label(*step),
            };
            name.map(|n| n.to_string())
        }
        _ => None,
    }
}

/// The run's anonymous count as chart bars, in the scale's order (core's tally).
pub fn bars(i18n: I18nContext<Locale>, run: &LiveRun) -> Vec<Bar> {
    tally_bars(i18n, &run.tally())
}

/// Core's anonymous tally as chart bars, in the scale's order (a run's here, or a school
/// server's board).
pub fn tally_bars(i18n: I18nContext<Locale>, tally: &Tally) -> Vec<Bar> {
    tally
        .options
        .iter()
        .cloned()
        .map(|option| Bar {
            label: format::option_label(i18n, &option.value),
            key: option.key,
            count: option.count,
        })
        .collect()
}

/// The `answered N of M` line of a run.
pub fn answered(i18n: I18nContext<Locale>, run: &LiveRun) -> String {
    let (answered, total) = (run.answered(), run.roster_len());
    t_string!(i18n, answered_of, answered, total).to_string()
}
