//! Core's refusals in the user's language: one function per core error type the app shows, each
//! an exhaustive `match` (a new core variant does not compile until it is translated here), and a
//! school server's refusals by their stable codes (`server`, `server_code`).
//!
//! Core's `Display` stays the English of the CLI; the app never shows it. Where an error only
//! holds an id, the caller passes what it knows (the rubric version's criteria) so the message
//! names the criterion by its title. Numbers are written as the interface writes them
//! ([`format::number`]). Only the lazily loaded pages that refuse input call these, so neither
//! they nor their translations' code are in the first load.

use leptos_i18n::I18nContext;
use lesenka_core::criteria::{Criterion, CriterionError};
use lesenka_core::diagnostics::{AnswerError, RunError};
use lesenka_core::ids::CriterionId;
use lesenka_core::lesson::LessonError;
use lesenka_core::marks::average::{AverageError, MAX_PLACES};
use lesenka_core::marks::{AssessedError, GradebookError, PolicyError, PolicyPlace, TableError};
use lesenka_core::rubric::{RubricError, ScoreError};
use lesenka_core::technique::TechniqueError;
use lesenka_core::text::TextError;

use crate::format;
use crate::i18n::*;

/// A criterion of `criteria` by its title («Аргументы»), or, when the id is not among them,
/// words saying it is from another version (never the id itself).
fn criterion_name(i18n: I18nContext<Locale>, criteria: &[Criterion], id: CriterionId) -> String {
    match criteria.iter().find(|c| c.id() == id) {
        Some(c) => format!("«{}»", c.title()),
        None => t_string!(i18n, err_criterion_elsewhere).to_string(),
    }
}

/// A problem with criterion `n` (1-based) of the criteria editor, as a sentence.
pub fn criterion(i18n: I18nContext<Locale>, n: usize, e: &CriterionError) -> String {
    match e {
        CriterionError::TooFewLevels(_) => t_string!(i18n, rubric_too_few_levels, n).to_string(),
        CriterionError::PointsNotIncreasing { index, .. } => {
            t_string!(i18n, rubric_points_not_increasing, n, level = *index + 1).to_string()
        }
        CriterionError::DuplicateLabel(label) => {
            t_string!(i18n, rubric_duplicate_label, n, label = label.clone()).to_string()
        }
    }
}

/// Why a rubric, an edit or an assessment was refused; `criteria` are those of the version in
/// question, to name a criterion by its title.
pub fn rubric(i18n: I18nContext<Locale>, e: &RubricError, criteria: &[Criterion]) -> String {
    let name = |id: &CriterionId| criterion_name(i18n, criteria, *id);
    match e {
        RubricError::NoCriteria => t_string!(i18n, err_rubric_no_criteria).to_string(),
        RubricError::DuplicateCriterion(id) => {
            t_string!(i18n, err_rubric_duplicate_criterion, name = name(id)).to_string()
        }
        RubricError::TooManyPoints => {
            t_string!(i18n, err_rubric_too_many_points, max = u32::MAX).to_string()
        }
        RubricError::NoVersions => t_string!(i18n, err_rubric_no_versions).to_string(),
        RubricError::VersionsOutOfOrder { expected, found } => {
            t_string!(i18n, err_rubric_versions_order, expected = *expected, found = *found)
                .to_string()
        }
        RubricError::UnknownVersion(n) => {
            t_string!(i18n, err_rubric_unknown_version, n = *n).to_string()
        }
        RubricError::WrongRubric { .. } => t_string!(i18n, err_rubric_wrong_rubric).to_string(),
        RubricError::MissingChoice(id) => {
            t_string!(i18n, err_rubric_missing_choice, name = name(id)).to_string()
        }
        RubricError::UnknownCriterion(_) => {
            t_string!(i18n, err_rubric_unknown_criterion).to_string()
        }
        RubricError::DuplicateChoice(id) => {
            t_string!(i18n, err_rubric_duplicate_choice, name = name(id)).to_string()
        }
        RubricError::LevelOutOfRange { criterion, level, levels } => t_string!(
            i18n,
            err_rubric_level_out_of_range,
            name = name(criterion),
            levels = format::levels(i18n, *levels),
            level = *level + 1
        )
        .to_string(),
    }
}

/// Why a score could not be scaled to a grade.
pub fn score(i18n: I18nContext<Locale>, e: &ScoreError) -> String {
    match e {
        ScoreError::OutOfRange { s, min, max } => {
            t_string!(i18n, err_score_out_of_range, s = *s, min = *min, max = *max).to_string()
        }
        ScoreError::ZeroMaximum => t_string!(i18n, err_score_zero_maximum).to_string(),
        ScoreError::NoSpread(v) => t_string!(i18n, err_score_no_spread, value = *v).to_string(),
        ScoreError::GradeMaxNotPositive(g) => {
            t_string!(i18n, err_score_grade_max, value = format::number(i18n, *g)).to_string()
        }
        ScoreError::Overflow => t_string!(i18n, err_overflow).to_string(),
    }
}

/// Why a points → mark table was refused or gave no mark (bands are numbered from 1).
pub fn table(i18n: I18nContext<Locale>, e: &TableError) -> String {
    let num = |f| format::number(i18n, f);
    match e {
        TableError::NoBands => t_string!(i18n, err_table_no_bands).to_string(),
        TableError::DoesNotStartAtZero(from) => {
            t_string!(i18n, err_table_not_from_zero, from = num(*from)).to_string()
        }
        TableError::EmptyBand { index, from, to } => {
            t_string!(i18n, err_table_empty_band, n = *index + 1, from = num(*from), to = num(*to))
                .to_string()
        }
        TableError::NotWhole { index, value } => {
            t_string!(i18n, err_table_not_whole, n = *index + 1, value = num(*value)).to_string()
        }
        TableError::Gap { after, before } => {
            t_string!(i18n, err_table_gap, after = num(*after), before = num(*before)).to_string()
        }
        TableError::Overlap { after, before } => {
            t_string!(i18n, err_table_overlap, after = num(*after), before = num(*before))
                .to_string()
        }
        TableError::DoesNotCoverRange { found, expected } => {
            t_string!(i18n, err_table_not_covered, found = num(*found), expected = num(*expected))
                .to_string()
        }
        TableError::LowestBandHasConditions => {
            t_string!(i18n, err_table_lowest_conditions).to_string()
        }
        TableError::ZeroMaximum => t_string!(i18n, err_table_zero_maximum).to_string(),
        TableError::OutOfRange { points, max } => {
            t_string!(i18n, err_score_out_of_range, s = num(*points), min = 0, max = num(*max))
                .to_string()
        }
        TableError::MaxMismatch { table, work } => {
            t_string!(i18n, err_table_max_mismatch, table = *table, work = num(*work)).to_string()
        }
        TableError::MissingFact { mark, counter } => {
            t_string!(i18n, err_table_missing_fact, mark = mark.clone(), counter = counter.clone())
                .to_string()
        }
    }
}

/// Why an assessment gives no mark; `criteria` are those of the version it pinned.
pub fn assessed(i18n: I18nContext<Locale>, e: &AssessedError, criteria: &[Criterion]) -> String {
    match e {
        AssessedError::NoTable => t_string!(i18n, err_assessed_no_table).to_string(),
        AssessedError::Table(e) => table(i18n, e),
        AssessedError::Rubric(e) => rubric(i18n, e, criteria),
    }
}

/// Why a weight, a term rule or an average was refused.
pub fn average(i18n: I18nContext<Locale>, e: &AverageError) -> String {
    let num = |f| format::number(i18n, f);
    match e {
        AverageError::WeightNotPositive(w) => {
            t_string!(i18n, err_average_weight, value = num(*w)).to_string()
        }
        AverageError::Overflow => t_string!(i18n, err_overflow).to_string(),
        AverageError::NoThresholds => t_string!(i18n, err_average_no_thresholds).to_string(),
        AverageError::ThresholdsNotDecreasing { previous, next } => t_string!(
            i18n,
            err_average_thresholds_order,
            previous = num(*previous),
            next = num(*next)
        )
        .to_string(),
        AverageError::TooManyPlaces(n) => {
            t_string!(i18n, err_average_places, max = MAX_PLACES, n = *n).to_string()
        }
        AverageError::MarginOutOfRange(m) => {
            t_string!(i18n, err_average_margin, value = num(*m)).to_string()
        }
    }
}

/// Why the gradebook refused a mark or could not compute a student's average.
pub fn gradebook(i18n: I18nContext<Locale>, e: &GradebookError) -> String {
    match e {
        GradebookError::DuplicateMark(_) => t_string!(i18n, err_gradebook_duplicate).to_string(),
        GradebookError::UnknownMark(_) => t_string!(i18n, err_gradebook_unknown).to_string(),
        GradebookError::UnknownWorkType(_) => {
            t_string!(i18n, err_gradebook_unknown_work).to_string()
        }
        GradebookError::NotOnScale(label) => {
            t_string!(i18n, err_gradebook_not_on_scale, label = label.clone()).to_string()
        }
        GradebookError::NotAveraged(scale) => {
            t_string!(i18n, err_gradebook_not_averaged, scale = scale.clone()).to_string()
        }
        GradebookError::PeriodReversed { from, to } => t_string!(
            i18n,
            err_gradebook_period,
            from = format::date(i18n, *from),
            to = format::date(i18n, *to)
        )
        .to_string(),
        GradebookError::Average(e) => average(i18n, e),
    }
}

/// Where in the rules a mark was found: «в правиле отметки за период», «в таблице «ОГЭ 19»».
fn place(i18n: I18nContext<Locale>, place: &PolicyPlace) -> String {
    match place {
        PolicyPlace::TermRule => t_string!(i18n, err_place_term_rule).to_string(),
        PolicyPlace::Table(name) => {
            t_string!(i18n, err_place_table, name = name.clone()).to_string()
        }
    }
}

/// Why the school's marking policy was refused.
pub fn policy(i18n: I18nContext<Locale>, e: &PolicyError) -> String {
    match e {
        PolicyError::NoWorkTypes => t_string!(i18n, err_policy_no_work_types).to_string(),
        PolicyError::DuplicateWorkType(_) => t_string!(i18n, err_policy_work_twice).to_string(),
        PolicyError::DuplicateWorkTypeName(name) => {
            t_string!(i18n, err_policy_work_name_twice, name = name.clone()).to_string()
        }
        PolicyError::DuplicateTableName(name) => {
            t_string!(i18n, err_policy_table_name_twice, name = name.clone()).to_string()
        }
        PolicyError::NotOnScale { place: at, label } => {
            t_string!(i18n, err_policy_not_on_scale, place = place(i18n, at), label = label.clone())
                .to_string()
        }
        PolicyError::MarksGoDown { place: at, higher, lower } => t_string!(
            i18n,
            err_policy_marks_go_down,
            place = place(i18n, at),
            higher = higher.clone(),
            lower = lower.clone()
        )
        .to_string(),
        PolicyError::Overflow => t_string!(i18n, err_overflow).to_string(),
    }
}

/// Why a lesson was refused (its topic or criteria wording, or too many criteria).
pub fn lesson(i18n: I18nContext<Locale>, e: &LessonError) -> String {
    let chars = |len: &usize| format::characters(i18n, *len);
    match e {
        LessonError::Topic(TextError::Empty) => t_string!(i18n, err_lesson_topic_empty).to_string(),
        LessonError::Topic(TextError::TooLong { len, max }) => {
            t_string!(i18n, err_lesson_topic_long, len = chars(len), max = *max).to_string()
        }
        LessonError::CriterionText { index, error: TextError::Empty } => {
            t_string!(i18n, err_lesson_criterion_empty, n = *index).to_string()
        }
        LessonError::CriterionText { index, error: TextError::TooLong { len, max } } => {
            t_string!(i18n, err_lesson_criterion_long, n = *index, len = chars(len), max = *max)
                .to_string()
        }
        LessonError::DuplicateCriterion(_) => {
            t_string!(i18n, err_lesson_duplicate_criterion).to_string()
        }
        LessonError::TooManyCriteria { got, max } => {
            t_string!(i18n, err_lesson_too_many, got = format::criteria(i18n, *got), max = *max)
                .to_string()
        }
    }
}

/// Why a technique's configuration was refused (a teacher's own ladder: steps, wording).
pub fn technique(i18n: I18nContext<Locale>, error: &TechniqueError) -> String {
    match error {
        TechniqueError::LadderSteps { got, min, max } => {
            t_string!(i18n, err_ladder_steps, got = *got, min = *min, max = *max).to_string()
        }
        TechniqueError::Text { index, error: TextError::Empty } => {
            t_string!(i18n, err_ladder_step_empty, index = *index).to_string()
        }
        TechniqueError::Text { index, error: TextError::TooLong { max, .. } } => {
            t_string!(i18n, err_ladder_step_long, index = *index, max = *max).to_string()
        }
        TechniqueError::DuplicateStep(label) => {
            t_string!(i18n, err_ladder_step_twice, label = label.clone()).to_string()
        }
        TechniqueError::NoPreset(_) | TechniqueError::ExitItems { .. } => {
            t_string!(i18n, err_technique_refused).to_string()
        }
    }
}

/// Why a technique refused a response (core's `accept`), in words.
pub fn response(
    i18n: I18nContext<Locale>,
    error: &lesenka_core::technique::ResponseError,
) -> String {
    use lesenka_core::technique::ResponseError as E;
    match error {
        E::WrongShape { .. } => t_string!(i18n, err_response_shape).to_string(),
        E::OutOfRange { value, min, max } => {
            t_string!(i18n, err_response_range, value = *value, min = *min, max = *max).to_string()
        }
        E::TextTooLong { max, .. } => {
            t_string!(i18n, err_response_long, max = format::characters(i18n, *max)).to_string()
        }
        E::Empty => t_string!(i18n, err_response_empty).to_string(),
        E::WrongCount { expected, got } => {
            t_string!(i18n, err_response_count, expected = *expected, got = *got).to_string()
        }
    }
}

/// Why a run refused an answer or a start: a refused response in core's words translated
/// ([`response`]), the rest as [`format::live_error`] words them.
pub fn live(i18n: I18nContext<Locale>, error: &lesenka_core::live::LiveError) -> String {
    match error {
        lesenka_core::live::LiveError::Refused(e) => response(i18n, e),
        other => format::live_error(i18n, other),
    }
}

/// Why a peer review or a pairing was refused, in words.
pub fn peer(i18n: I18nContext<Locale>, error: &lesenka_core::peer::PeerError) -> String {
    use lesenka_core::peer::{Part, PeerError as E};
    let part = |part: &Part| match part {
        Part::Star(n) => t_string!(i18n, peer_star_n, n = *n).to_string(),
        Part::Wish => t_string!(i18n, peer_wish).to_string(),
    };
    match error {
        E::StarCount { expected, .. } => {
            t_string!(i18n, err_peer_stars, expected = *expected).to_string()
        }
        E::TooShort { part: p, min, .. } => {
            t_string!(i18n, err_peer_short, part = part(p), min = format::characters(i18n, *min))
                .to_string()
        }
        E::TooLong { part: p, max, .. } => {
            t_string!(i18n, err_peer_long, part = part(p), max = format::characters(i18n, *max))
                .to_string()
        }
        E::SelfReview(_) => t_string!(i18n, err_peer_self).to_string(),
    }
}

/// Why a plan period text could not be read.
pub fn period(i18n: I18nContext<Locale>, e: &lesenka_core::plan::PeriodError) -> String {
    use lesenka_core::plan::PeriodError as P;
    match e {
        P::Empty => t_string!(i18n, err_period_empty).to_string(),
        P::Unknown(text) => t_string!(i18n, err_period_unknown, text = text.clone()).to_string(),
        P::BadDate(text) => t_string!(i18n, err_period_bad_date, text = text.clone()).to_string(),
        P::YearOutOfRange(year) => t_string!(i18n, err_period_year, year = *year).to_string(),
        P::EmptyRange(text) => t_string!(i18n, err_period_range, text = text.clone()).to_string(),
    }
}

/// The field of a plan that core names in English («event title») in the user's words.
fn plan_field(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "event title" => t_string!(i18n, pos_field_title).to_string(),
        "planned result" => t_string!(i18n, pos_field_result).to_string(),
        "responsible" => t_string!(i18n, pos_field_responsible).to_string(),
        "member name" => t_string!(i18n, pos_member_name).to_string(),
        "practice title" => t_string!(i18n, practices_name).to_string(),
        "practice subject" => t_string!(i18n, practices_subject).to_string(),
        "practice description" => t_string!(i18n, practices_description).to_string(),
        _ => t_string!(i18n, pos_field_other).to_string(),
    }
}

/// Why core refused a plan value.
pub fn plan(i18n: I18nContext<Locale>, e: &lesenka_core::plan::PlanError) -> String {
    use lesenka_core::plan::PlanError as P;
    match e {
        P::Text { field, source: TextError::Empty } => {
            t_string!(i18n, err_plan_empty, field = plan_field(i18n, field)).to_string()
        }
        P::Text { field, source: TextError::TooLong { max, .. } } => {
            t_string!(i18n, err_plan_too_long, field = plan_field(i18n, field), max = *max)
                .to_string()
        }
        P::BadLink(link) => t_string!(i18n, err_plan_link, link = link.clone()).to_string(),
        P::BadGrade(grade) => t_string!(i18n, err_plan_grade, grade = *grade).to_string(),
        P::DuplicateId(..) => t_string!(i18n, err_plan_duplicate).to_string(),
        P::NoPeriod => t_string!(i18n, err_period_empty).to_string(),
        P::UnknownMember(_) => t_string!(i18n, err_plan_member).to_string(),
    }
}

/// Why a concept map was refused, one problem at a time, shown next to the concept or link it
/// concerns; `label` names a concept by its label (never its id).
pub fn lesson_map(
    i18n: I18nContext<Locale>,
    problem: &lesenka_core::conceptmap::stored::LessonMapProblem,
    label: &dyn Fn(lesenka_core::ids::ConceptId) -> String,
) -> String {
    use lesenka_core::conceptmap::stored::LessonMapProblem as P;
    use lesenka_core::conceptmap::{MapProblem as M, SynonymError as S, TextFault as F};
    match problem {
        P::Map(M::DuplicateConceptId { .. }) => t_string!(i18n, err_map_duplicate_id).to_string(),
        P::Map(M::BadLabel { error: F::Empty, .. }) => {
            t_string!(i18n, err_map_label_empty).to_string()
        }
        P::Map(M::BadLabel { error: F::TooLong { max, .. }, .. })
        | P::Map(M::BadLinkingPhrase { error: F::TooLong { max, .. }, .. }) => {
            t_string!(i18n, err_map_text_long, max = *max).to_string()
        }
        P::Map(M::LabelWithoutWords { .. }) | P::Map(M::LinkingWithoutWords { .. }) => {
            t_string!(i18n, err_map_no_words).to_string()
        }
        P::Map(M::DuplicateLabel { first, .. }) => {
            t_string!(i18n, err_map_duplicate_label, other = label(*first)).to_string()
        }
        P::Map(M::BadLinkingPhrase { error: F::Empty, .. }) => {
            t_string!(i18n, err_map_phrase_empty).to_string()
        }
        P::Map(M::DanglingLink { .. }) => t_string!(i18n, err_map_dangling).to_string(),
        P::Map(M::SelfLink { .. }) => t_string!(i18n, err_map_self_link).to_string(),
        P::Map(M::DuplicateProposition { first, .. }) => {
            t_string!(i18n, err_map_duplicate_link, n = *first + 1).to_string()
        }
        P::Map(M::UnknownRoot { .. }) => t_string!(i18n, err_map_root).to_string(),
        P::Synonym(S::Empty { variant, .. }) => {
            t_string!(i18n, err_map_synonym_empty, variant = variant.clone()).to_string()
        }
        P::Synonym(S::Conflict { variant, first, second }) => t_string!(
            i18n,
            err_map_synonym_conflict,
            variant = variant.clone(),
            first = first.clone(),
            second = second.clone()
        )
        .to_string(),
        P::Synonym(S::Cycle { variant }) => {
            t_string!(i18n, err_map_synonym_cycle, variant = variant.clone()).to_string()
        }
        P::SynonymOfUnknownConcept { .. } => t_string!(i18n, err_map_dangling).to_string(),
        P::PlaceOfUnknownConcept { .. } => t_string!(i18n, err_map_place_unknown).to_string(),
        P::SynonymsOnStudentMap => t_string!(i18n, err_map_student_synonyms).to_string(),
        P::CriterionNotOfLesson { .. } => t_string!(i18n, err_map_criterion).to_string(),
    }
}

/// Why an edit of a concept map was refused.
pub fn map_edit(
    i18n: I18nContext<Locale>,
    error: &lesenka_core::conceptmap::edit::EditError,
) -> String {
    use lesenka_core::conceptmap::edit::EditError as E;
    match error {
        E::UnknownConcept | E::UnknownLink => t_string!(i18n, err_map_edit_gone).to_string(),
        E::DuplicateConcept => t_string!(i18n, err_map_duplicate_id).to_string(),
        E::SelfLink => t_string!(i18n, err_map_self_link).to_string(),
    }
}

/// A school server's refusal (its stable code) or a lost connection, in the user's words.
pub fn server(i18n: I18nContext<Locale>, error: &crate::server::ServerError) -> String {
    use crate::server::ServerError;
    match error {
        ServerError::Offline => t_string!(i18n, server_offline).to_string(),
        ServerError::Unreadable(_) => t_string!(i18n, server_unreadable).to_string(),
        ServerError::Refused { code, .. } => server_code(i18n, code),
    }
}

/// A school server's stable error code in the user's words.
pub fn server_code(i18n: I18nContext<Locale>, code: &str) -> String {
    match code {
        "bad_credentials" => t_string!(i18n, server_bad_credentials),
        "too_many_tries" => t_string!(i18n, server_too_many_tries),
        "sign_in_required" => t_string!(i18n, server_sign_in_required),
        "forbidden" | "not_yours" | "wrong_key" => t_string!(i18n, server_forbidden),
        "csrf" => t_string!(i18n, server_csrf),
        "unknown_code" => t_string!(i18n, server_unknown_code),
        "locked" => t_string!(i18n, server_locked),
        "closed" => t_string!(i18n, server_closed),
        "unknown_token" | "unknown_participant" => t_string!(i18n, server_removed),
        "not_in_roster" => t_string!(i18n, server_not_in_roster),
        "too_many_answers" => t_string!(i18n, server_too_many_answers),
        "refused" | "invalid" | "bad_seq" => t_string!(i18n, server_refused),
        "unknown_session" => t_string!(i18n, server_unknown_session),
        _ => t_string!(i18n, server_failed),
    }
    .to_string()
}

/// Why a questionnaire sheet was not taken (the tablet's, or a corrected or deleted one).
pub fn diagnostic_run(i18n: I18nContext<Locale>, e: &RunError) -> String {
    match e {
        RunError::Sheet { error: AnswerError::Unanswered { item }, .. } => {
            t_string!(i18n, diag_err_unanswered, n = item + 1).to_string()
        }
        RunError::Sheet { .. } | RunError::Likert(_) | RunError::WrongForm => {
            t_string!(i18n, diag_err_sheet).to_string()
        }
        RunError::DuplicateRespondent(_) | RunError::DuplicateSheet(_) => {
            t_string!(i18n, diag_err_duplicate).to_string()
        }
        RunError::NoSuchSheet(_) => t_string!(i18n, diag_err_no_sheet).to_string(),
    }
}
