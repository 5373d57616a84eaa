//! Display helpers built on the translations: dates with month names, technique and light names.

use chrono::{Datelike, NaiveDate};
use lesenka_core::dataset::{Collection, ItemConflict};
use lesenka_core::ids::StudentId;
use lesenka_core::live::LiveError;
use lesenka_core::roster::{Class, Student};
use lesenka_core::technique::{ExitAnswer, Light, Response, TechniqueKind, Thumb};
use lesenka_core::text::{Lang, Plural};

use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::storage::SaveError;

/// The month's name in the genitive («ноября»), as Russian dates need.
pub fn month_genitive(i18n: I18nContext<Locale>, month: u32) -> String {
    match month {
        1 => t_string!(i18n, month_1),
        2 => t_string!(i18n, month_2),
        3 => t_string!(i18n, month_3),
        4 => t_string!(i18n, month_4),
        5 => t_string!(i18n, month_5),
        6 => t_string!(i18n, month_6),
        7 => t_string!(i18n, month_7),
        8 => t_string!(i18n, month_8),
        9 => t_string!(i18n, month_9),
        10 => t_string!(i18n, month_10),
        11 => t_string!(i18n, month_11),
        _ => t_string!(i18n, month_12),
    }
    .to_string()
}

/// The month's name on its own («Ноябрь»).
pub fn month_name(i18n: I18nContext<Locale>, month: u32) -> String {
    match month {
        1 => t_string!(i18n, monthn_1),
        2 => t_string!(i18n, monthn_2),
        3 => t_string!(i18n, monthn_3),
        4 => t_string!(i18n, monthn_4),
        5 => t_string!(i18n, monthn_5),
        6 => t_string!(i18n, monthn_6),
        7 => t_string!(i18n, monthn_7),
        8 => t_string!(i18n, monthn_8),
        9 => t_string!(i18n, monthn_9),
        10 => t_string!(i18n, monthn_10),
        11 => t_string!(i18n, monthn_11),
        _ => t_string!(i18n, monthn_12),
    }
    .to_string()
}

/// A date in words: «22 ноября 2026 г.», "22 November 2026".
pub fn date(i18n: I18nContext<Locale>, date: NaiveDate) -> String {
    let month = month_genitive(i18n, date.month());
    let day = date.day();
    let year = date.year();
    t_string!(i18n, date_format, day, month, year).to_string()
}

/// A technique's name, from core's one table of names (the CLI and the CSV export show the same).
pub fn technique(i18n: I18nContext<Locale>, kind: TechniqueKind) -> String {
    kind.name(lang(i18n)).to_owned()
}

/// A technique's one-line description.
pub fn technique_about(i18n: I18nContext<Locale>, kind: TechniqueKind) -> String {
    match kind {
        TechniqueKind::TrafficLight => t_string!(i18n, tech_traffic_light_about),
        TechniqueKind::Ladder => t_string!(i18n, tech_ladder_about),
        TechniqueKind::ExitTicket => t_string!(i18n, tech_exit_ticket_about),
        TechniqueKind::FistToFive => t_string!(i18n, tech_fist_to_five_about),
        TechniqueKind::Thumbs => t_string!(i18n, tech_thumbs_about),
        TechniqueKind::TwoStarsAndAWish => t_string!(i18n, tech_two_stars_about),
        TechniqueKind::ThreeTwoOne => t_string!(i18n, tech_three_two_one_about),
        TechniqueKind::UnfinishedSentence => t_string!(i18n, tech_unfinished_sentence_about),
        TechniqueKind::Cinquain => t_string!(i18n, tech_cinquain_about),
    }
    .to_string()
}

/// A light's name («Зелёный»).
pub fn light(i18n: I18nContext<Locale>, light: Light) -> String {
    match light {
        Light::Green => t_string!(i18n, light_green),
        Light::Yellow => t_string!(i18n, light_yellow),
        Light::Red => t_string!(i18n, light_red),
    }
    .to_string()
}

/// What a light means («знаю, могу»).
pub fn light_meaning(i18n: I18nContext<Locale>, light: Light) -> String {
    match light {
        Light::Green => t_string!(i18n, light_green_meaning),
        Light::Yellow => t_string!(i18n, light_yellow_meaning),
        Light::Red => t_string!(i18n, light_red_meaning),
    }
    .to_string()
}

/// The CSS class of a light (`green`, `yellow`, `red`).
pub const fn light_class(light: Light) -> &'static str {
    match light {
        Light::Green => "green",
        Light::Yellow => "yellow",
        Light::Red => "red",
    }
}

/// A stored response, in words.
pub fn response(i18n: I18nContext<Locale>, value: &Response) -> String {
    match value {
        Response::Light(l) => format!("{} — {}", light(i18n, *l), light_meaning(i18n, *l)),
        Response::Step(step) => step.to_string(),
        Response::Fingers(n) => n.to_string(),
        Response::Thumb(t) => match t {
            Thumb::Up => t_string!(i18n, thumb_up),
            Thumb::Sideways => t_string!(i18n, thumb_sideways),
            Thumb::Down => t_string!(i18n, thumb_down),
        }
        .to_string(),
        Response::Text(text) => text.clone(),
        Response::Lines(lines) => lines.join(" / "),
        Response::TwoStarsAndAWish { stars, wish } => {
            format!("★ {} ★ {} — {}", stars[0], stars[1], wish)
        }
        Response::ThreeTwoOne { three, two, one } => {
            format!("{} | {} | {}", three.join(", "), two.join(", "), one)
        }
        Response::ExitTicket(answers) => answers
            .iter()
            .map(|a| match a {
                ExitAnswer::Check(true) => t_string!(i18n, exit_check_right).to_string(),
                ExitAnswer::Check(false) => t_string!(i18n, exit_check_wrong).to_string(),
                ExitAnswer::Confidence(c) => format!("{} {c}/4", t_string!(i18n, exit_confidence)),
                ExitAnswer::Text(t) => t.clone(),
            })
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

/// A fixed-scale answer's short name, as a chart labels its bar: a light's name («Зелёный»),
/// a step's or a hand's number, a thumb.
pub fn option_label(i18n: I18nContext<Locale>, value: &Response) -> String {
    match value {
        Response::Light(l) => light(i18n, *l),
        other => response(i18n, other),
    }
}

/// Why a technique run refused a tap, an answer or a start, in words.
pub fn live_error(i18n: I18nContext<Locale>, error: &LiveError) -> String {
    match error {
        LiveError::NotInRoster(_) => t_string!(i18n, live_not_in_roster),
        LiveError::Refused(_) => t_string!(i18n, live_refused),
        LiveError::NotAFixedScale(_) => t_string!(i18n, live_not_a_fixed_scale),
        LiveError::UnknownCriterion(_) => t_string!(i18n, live_unknown_criterion),
        LiveError::NoCriteria => t_string!(i18n, live_no_criteria),
        LiveError::Scope { .. } => t_string!(i18n, live_scope),
        LiveError::WrongClass { .. } => t_string!(i18n, live_wrong_class),
        LiveError::NotAPeer(_) => t_string!(i18n, live_not_a_peer),
    }
    .to_string()
}

/// How a student is named on screen: the pseudonym in projector mode (no names on the big
/// screen), the full name otherwise.
pub fn student_label(student: &Student, projector: bool) -> String {
    if projector { student.pseudonym.as_str().to_owned() } else { student.display_name.to_string() }
}

/// The full names of `students` in `class`, comma-separated, for the teacher's own screen (a
/// student no longer on the list is said so).
pub fn student_names(
    i18n: I18nContext<Locale>,
    class: Option<&Class>,
    students: &[StudentId],
) -> String {
    let name = |id: &StudentId| {
        class
            .and_then(|c| c.students().iter().find(|s| s.id == *id))
            .map(|s| s.display_name.to_string())
            .unwrap_or_else(|| t_string!(i18n, summary_unknown_student).to_string())
    };
    students.iter().map(name).collect::<Vec<_>>().join(", ")
}

/// The language core speaks for the interface's current locale (reactive, like `t!`).
pub fn lang(i18n: I18nContext<Locale>) -> Lang {
    match i18n.get_locale() {
        Locale::ru => Lang::Ru,
        Locale::en => Lang::En,
    }
}

/// Bytes in mebibytes with two decimals: «1,25 МБ», "1.25 MiB" (integer arithmetic, rounded
/// half up: the app needs no float formatting for this).
pub fn mebibytes(i18n: I18nContext<Locale>, bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let hundredths = (u128::from(bytes) * 100 + u128::from(MIB / 2)) / u128::from(MIB);
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match lang(i18n) {
        Lang::Ru => format!("{whole},{frac:02} МБ"),
        Lang::En => format!("{whole}.{frac:02} MiB"),
    }
}

/// A whole percentage of `part` in `total` (rounded half up; 0 when `total` is 0).
pub fn percent(part: u64, total: u64) -> u64 {
    if total == 0 {
        return 0;
    }
    ((u128::from(part) * 200 + u128::from(total)) / (u128::from(total) * 2)) as u64
}

/// `count` with its noun in the right plural form («21 ученик», «22 ученика», «25 учеников»):
/// core picks the form, the translations hold the words.
macro_rules! counted {
    ($i18n:expr, $count:expr, $key:ident) => {{
        let (i18n, count) = ($i18n, $count);
        match lang(i18n).plural(count as u64) {
            Plural::One => t_string!(i18n, $key.one, count).to_string(),
            Plural::Few => t_string!(i18n, $key.few, count).to_string(),
            Plural::Many => t_string!(i18n, $key.many, count).to_string(),
        }
    }};
}

/// «5 учеников», "5 students".
pub fn students(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, students)
}

/// «5 записей», "5 records".
pub fn records(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, records)
}

/// «5 уроков», "5 lessons".
pub fn lessons(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, lessons)
}

/// «5 ответов», "5 answers".
pub fn answers(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, answers)
}

/// «5 классов», "5 classes".
pub fn classes(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, classes)
}

/// A number in the interface's convention: exact when it has at most 2 decimals («7», «4,5»),
/// else rounded half up to 2 («4,44»).
pub fn number(i18n: I18nContext<Locale>, value: lesenka_core::marks::Fraction) -> String {
    let text = if value.round_half_up(2) == value { value.exact_text() } else { value.decimal(2) };
    lesenka_core::explain::number_text(text, lang(i18n))
}

/// «5 критериев», "5 criteria".
pub fn criteria(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, criteria_count)
}

/// «5 отметок», "5 marks".
pub fn marks(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, marks_count)
}

/// A number the teacher typed («4,65», «4.65», «100») as an exact fraction; `None` if it is not
/// one.
pub fn parse_number(text: &str) -> Option<lesenka_core::marks::Fraction> {
    lesenka_core::marks::Fraction::parse(text).ok()
}

/// «5 рубрик», "5 rubrics".
pub fn rubrics(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, rubrics_count)
}

/// «5 баллов», "5 points".
pub fn points(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, points_n)
}

/// «5 уровней», "5 levels".
pub fn levels(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, levels_n)
}

/// «5 символов», "5 characters".
pub fn characters(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, characters_n)
}

/// What a collection of core's registry is called, in the user's language (core's words).
pub fn collection(i18n: I18nContext<Locale>, collection: Collection) -> &'static str {
    collection.name(lang(i18n))
}

/// An item both tabs changed, for the banner: «класс «5А»».
pub fn conflict(i18n: I18nContext<Locale>, conflict: &ItemConflict) -> String {
    format!("{} {}", collection(i18n, conflict.collection), conflict.label)
}

/// Why a save did not happen, in the user's language.
pub fn save_error(i18n: I18nContext<Locale>, error: &SaveError) -> String {
    match error {
        SaveError::QuotaExceeded => t_string!(i18n, save_error_full).to_string(),
        SaveError::ReadOnly => t_string!(i18n, save_error_read_only).to_string(),
        SaveError::NotLoaded => t_string!(i18n, save_error_not_loaded).to_string(),
        SaveError::Unavailable(reason) => {
            t_string!(i18n, save_error_unavailable, reason = reason.clone()).to_string()
        }
    }
}

/// «Не удалось сохранить: …» with why, in the user's language.
pub fn save_failed(i18n: I18nContext<Locale>, error: &SaveError) -> String {
    t_string!(i18n, storage_failed, reason = save_error(i18n, error)).to_string()
}

/// A share in 0..=1 as a whole percentage (core's `explain::whole_percent`): «50 %», "50%".
pub fn share(i18n: I18nContext<Locale>, value: f64) -> String {
    lesenka_core::explain::whole_percent(value, lang(i18n))
}

/// «5 пар оценок», "5 pairs of assessments".
pub fn calibration_pairs(i18n: I18nContext<Locale>, count: u32) -> String {
    counted!(i18n, count, calib_pairs)
}

/// «5 оценок», "5 scores".
pub fn scores(i18n: I18nContext<Locale>, count: usize) -> String {
    counted!(i18n, count, mastery_scored)
}

/// A mastery method with its settings: «Взвешенное среднее: последняя оценка с весом 65 %».
pub fn mastery_method(i18n: I18nContext<Locale>, method: &lesenka_core::mastery::Method) -> String {
    use lesenka_core::mastery::Method;
    match *method {
        Method::WeightedAverage { weight } => {
            let weight = share(i18n, weight);
            t_string!(i18n, mastery_method_weighted_average, weight).to_string()
        }
        Method::DecayingAverage { weight } => {
            let weight = share(i18n, weight);
            t_string!(i18n, mastery_method_decaying_average, weight).to_string()
        }
        Method::NTimes { n, threshold } => {
            let threshold = share(i18n, threshold);
            t_string!(i18n, mastery_method_n_times, n, threshold).to_string()
        }
        Method::Latest => t_string!(i18n, mastery_method_latest).to_string(),
        Method::Highest => t_string!(i18n, mastery_method_highest).to_string(),
        Method::Average => t_string!(i18n, mastery_method_average).to_string(),
    }
}

/// How |gap| moves per lesson (core's slope: negative = converging), worded with the figure:
/// «−0,25 (оценки сближаются)»; «нет данных» without a slope.
pub fn gap_slope(i18n: I18nContext<Locale>, slope: Option<f64>) -> String {
    let Some(slope) = slope else { return t_string!(i18n, calib_no_value).to_string() };
    let word = match ((slope * 100.0).round() as i64).signum() {
        -1 => t_string!(i18n, calib_converging),
        1 => t_string!(i18n, calib_diverging),
        _ => t_string!(i18n, calib_steady),
    };
    format!("{} ({word})", hundredths(i18n, slope, true))
}

/// An optional figure to hundredths, «нет данных» when there is none.
pub fn maybe_hundredths(i18n: I18nContext<Locale>, value: Option<f64>) -> String {
    match value {
        Some(v) => hundredths(i18n, v, false),
        None => t_string!(i18n, calib_no_value).to_string(),
    }
}

/// A measured figure to hundredths in the interface's language (core's `explain::hundredths`):
/// «0,25», with `signed` «+0,25» / «−0,25».
pub fn hundredths(i18n: I18nContext<Locale>, value: f64, signed: bool) -> String {
    lesenka_core::explain::hundredths(value, signed, lang(i18n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_half_up_without_floats() {
        let cases = [(0, 100, 0), (1, 200, 1), (1, 201, 0), (3, 4, 75), (5, 5, 100), (7, 0, 0)];
        for (part, total, expected) in cases {
            assert_eq!(percent(part, total), expected, "{part}/{total}");
        }
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }
}
