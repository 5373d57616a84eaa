//! Diagnostics: scored questionnaires with per-item answer keys, the Лусканова school-motivation
//! questionnaire, start-vs-end cohort comparison, and Likert satisfaction surveys.
//!
//! * A [`Questionnaire`] has items; each item lists its answer options *in the order shown* and
//!   the points of each option — the key is per item because the order of answers varies from
//!   item to item. Totals fall into [`Band`]s that cover every possible total without gaps or
//!   overlaps.
//! * [`luskanova()`] builds Н. Г. Лусканова's school-motivation questionnaire (10 items, answers
//!   scored 3 / 1 / 0, total 0–30) with its bands ([`luskanova::MotivationLevel`]).
//!   **It is a screening tool, not a diagnosis**: a low score is a reason for the teacher and the
//!   school psychologist to look closer, never a label for a child.
//! * [`cohort::compare_waves`] compares two waves of the same questionnaire (September vs May):
//!   band counts and shares for both, and, paired by respondent where both exist, the mean change
//!   of the total and who moved up or down a band.
//! * [`likert`] summarises satisfaction surveys (students, parents, teachers): 3- to 7-point
//!   items, the share of each answer per item.
//! * [`run`] is a run as a teacher keeps it (class, date, form, answers), a collection of the
//!   registry, with each student's band, the class distribution and the year's two waves.

pub mod cohort;
pub mod likert;
pub mod luskanova;
pub mod run;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::StudentId;
use crate::text::{Name, TextError};

pub use cohort::{
    BandCount, CohortError, PairedChange, RespondentChange, WaveComparison, WaveSummary,
    compare_waves,
};
pub use likert::{
    Audience, LikertError, LikertItem, LikertScale, LikertSheet, LikertSummary, LikertSurvey,
};
pub use luskanova::{MotivationLevel, luskanova};
pub use run::{DiagnosticRun, DiagnosticRunDraft, RunError, RunForm};

/// Why a questionnaire was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    /// A text (title, item, option, band label) is empty or too long.
    #[error("{what}: {error}")]
    Text {
        /// Which text.
        what: String,
        /// Why.
        error: TextError,
    },
    /// No items.
    #[error("the questionnaire has no items")]
    NoItems,
    /// An item has fewer than two options.
    #[error("item {item} has {options} answer option(s); at least 2 are needed")]
    TooFewOptions {
        /// The item (0-based).
        item: usize,
        /// How many it has.
        options: usize,
    },
    /// Two options of one item read the same.
    #[error("item {item} has the answer «{option}» twice")]
    DuplicateOption {
        /// The item (0-based).
        item: usize,
        /// The option text.
        option: String,
    },
    /// No bands.
    #[error("the questionnaire has no bands")]
    NoBands,
    /// A band's lower bound is above its upper bound.
    #[error("band «{band}» runs from {min} down to {max}")]
    EmptyBand {
        /// The band's code.
        band: String,
        /// Lower bound.
        min: u32,
        /// Upper bound.
        max: u32,
    },
    /// Bands do not start at the lowest possible total, leave a gap, overlap, or stop short.
    #[error("the bands must cover every total from {lowest} to {highest} once; {problem}")]
    BandCoverage {
        /// The lowest possible total.
        lowest: u32,
        /// The highest possible total.
        highest: u32,
        /// What is wrong.
        problem: String,
    },
    /// Two bands share a code.
    #[error("two bands have the code «{0}»")]
    DuplicateBandCode(String),
}

/// Why an answer sheet could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AnswerError {
    /// The sheet has a different number of answers than the questionnaire has items.
    #[error("the sheet has {got} answer(s) but the questionnaire has {expected} item(s)")]
    WrongCount {
        /// Items of the questionnaire.
        expected: usize,
        /// Answers on the sheet.
        got: usize,
    },
    /// An item was left unanswered.
    #[error("item {item} is not answered")]
    Unanswered {
        /// The item (0-based).
        item: usize,
    },
    /// An answer is not one of the item's options.
    #[error("item {item} has {options} option(s); answer {answer} does not exist")]
    NoSuchOption {
        /// The item (0-based).
        item: usize,
        /// The answer given (0-based option index).
        answer: usize,
        /// How many options the item has.
        options: usize,
    },
}

/// One answer option and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerOption {
    /// The answer as shown.
    pub text: Name,
    /// Points for choosing it.
    pub points: u32,
}

/// An item with its options in the order shown, each with its points (the item's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredItem {
    /// The question.
    pub text: Name,
    /// The options, in the order shown.
    pub options: Vec<AnswerOption>,
}

impl ScoredItem {
    /// The fewest points the item can give.
    pub fn min_points(&self) -> u32 {
        self.options.iter().map(|o| o.points).min().unwrap_or(0)
    }

    /// The most points the item can give.
    pub fn max_points(&self) -> u32 {
        self.options.iter().map(|o| o.points).max().unwrap_or(0)
    }
}

/// A range of totals with a meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// A stable code («high»).
    pub code: Name,
    /// What it means, for the teacher.
    pub label: Name,
    /// Lowest total in the band.
    pub min: u32,
    /// Highest total in the band.
    pub max: u32,
}

/// A questionnaire as written, before validation (also its stored form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireDraft {
    /// Its title.
    pub title: Name,
    /// The items.
    pub items: Vec<ScoredItem>,
    /// The bands, from the lowest totals to the highest.
    pub bands: Vec<Band>,
}

/// A valid scored questionnaire: at least one item, each with at least two distinct options;
/// bands in ascending order covering every possible total exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "QuestionnaireDraft", into = "QuestionnaireDraft")]
pub struct Questionnaire {
    title: Name,
    items: Vec<ScoredItem>,
    bands: Vec<Band>,
}

/// A respondent's answers: for each item, the 0-based index of the chosen option as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSheet {
    /// Who answered.
    pub respondent: StudentId,
    /// Per item, the chosen option (None: not answered).
    pub answers: Vec<Option<usize>>,
}

/// A scored sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// The total points.
    pub total: u32,
    /// The band it falls into (index into [`Questionnaire::bands`]).
    pub band: usize,
}

impl Questionnaire {
    /// Validates a draft.
    pub fn new(draft: QuestionnaireDraft) -> Result<Self, QuestionnaireError> {
        if draft.items.is_empty() {
            return Err(QuestionnaireError::NoItems);
        }
        for (i, item) in draft.items.iter().enumerate() {
            if item.options.len() < 2 {
                return Err(QuestionnaireError::TooFewOptions {
                    item: i,
                    options: item.options.len(),
                });
            }
            let mut seen = BTreeSet::new();
            for o in &item.options {
                if !seen.insert(o.text.key()) {
                    return Err(QuestionnaireError::DuplicateOption {
                        item: i,
                        option: o.text.to_string(),
                    });
                }
            }
        }
        let lowest = draft.items.iter().map(ScoredItem::min_points).fold(0u32, u32::saturating_add);
        let highest =
            draft.items.iter().map(ScoredItem::max_points).fold(0u32, u32::saturating_add);
        let coverage =
            |problem: String| QuestionnaireError::BandCoverage { lowest, highest, problem };
        if draft.bands.is_empty() {
            return Err(QuestionnaireError::NoBands);
        }
        let mut codes = BTreeSet::new();
        let mut next = lowest;
        for (i, b) in draft.bands.iter().enumerate() {
            if !codes.insert(b.code.as_str()) {
                return Err(QuestionnaireError::DuplicateBandCode(b.code.to_string()));
            }
            if b.min > b.max {
                return Err(QuestionnaireError::EmptyBand {
                    band: b.code.to_string(),
                    min: b.min,
                    max: b.max,
                });
            }
            if b.min != next {
                return Err(coverage(format!(
                    "band «{}» starts at {} instead of {next}",
                    b.code, b.min
                )));
            }
            if i + 1 == draft.bands.len() {
                if b.max != highest {
                    return Err(coverage(format!(
                        "the last band «{}» ends at {} instead of {highest}",
                        b.code, b.max
                    )));
                }
            } else {
                next = b.max.saturating_add(1);
            }
        }
        Ok(Self { title: draft.title, items: draft.items, bands: draft.bands })
    }

    /// The title.
    pub fn title(&self) -> &Name {
        &self.title
    }

    /// The items, in order.
    pub fn items(&self) -> &[ScoredItem] {
        &self.items
    }

    /// The bands, from the lowest totals to the highest.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The lowest possible total.
    pub fn min_total(&self) -> u32 {
        self.bands.first().map_or(0, |b| b.min)
    }

    /// The highest possible total.
    pub fn max_total(&self) -> u32 {
        self.bands.last().map_or(0, |b| b.max)
    }

    /// The band of a total (None outside `min_total()..=max_total()`).
    pub fn band_of(&self, total: u32) -> Option<usize> {
        self.bands.iter().position(|b| (b.min..=b.max).contains(&total))
    }

    /// Scores one respondent's answers (every item must be answered).
    pub fn score(&self, answers: &[Option<usize>]) -> Result<Score, AnswerError> {
        if answers.len() != self.items.len() {
            return Err(AnswerError::WrongCount { expected: self.items.len(), got: answers.len() });
        }
        let mut total = 0u32;
        for (item, (answer, it)) in answers.iter().zip(&self.items).enumerate() {
            let answer = answer.ok_or(AnswerError::Unanswered { item })?;
            let option = it.options.get(answer).ok_or(AnswerError::NoSuchOption {
                item,
                answer,
                options: it.options.len(),
            })?;
            total = total.saturating_add(option.points);
        }
        // A total of valid answers lies between min_total and max_total, which the validated
        // bands cover, so the fallback (the last band) is never taken.
        let band = self.band_of(total).unwrap_or(self.bands.len().saturating_sub(1));
        Ok(Score { total, band })
    }
}

impl TryFrom<QuestionnaireDraft> for Questionnaire {
    type Error = QuestionnaireError;
    fn try_from(value: QuestionnaireDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Questionnaire> for QuestionnaireDraft {
    fn from(value: Questionnaire) -> Self {
        Self { title: value.title, items: value.items, bands: value.bands }
    }
}

/// Builds a [`Name`] for static texts of the standard questionnaires, naming the text on failure.
pub(crate) fn name(what: &str, text: &str) -> Result<Name, QuestionnaireError> {
    Name::parse(text).map_err(|error| QuestionnaireError::Text { what: what.to_owned(), error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(options: &[(&str, u32)]) -> ScoredItem {
        ScoredItem {
            text: Name::parse("Вопрос").unwrap(),
            options: options
                .iter()
                .map(|(t, p)| AnswerOption { text: Name::parse(t).unwrap(), points: *p })
                .collect(),
        }
    }

    fn band(code: &str, min: u32, max: u32) -> Band {
        Band { code: Name::parse(code).unwrap(), label: Name::parse(code).unwrap(), min, max }
    }

    fn draft(items: Vec<ScoredItem>, bands: Vec<Band>) -> QuestionnaireDraft {
        QuestionnaireDraft { title: Name::parse("Анкета").unwrap(), items, bands }
    }

    fn check(d: QuestionnaireDraft, expected: Result<(u32, u32), QuestionnaireError>) {
        assert_eq!(Questionnaire::new(d).map(|q| (q.min_total(), q.max_total())), expected);
    }

    #[test]
    fn validates_questionnaires() {
        let yes_no = || item(&[("да", 2), ("нет", 0)]);
        let ok_bands = || vec![band("low", 0, 1), band("mid", 2, 2), band("high", 3, 4)];
        check(draft(vec![yes_no(), yes_no()], ok_bands()), Ok((0, 4)));
        check(draft(vec![], ok_bands()), Err(QuestionnaireError::NoItems));
        check(
            draft(vec![item(&[("да", 1)])], ok_bands()),
            Err(QuestionnaireError::TooFewOptions { item: 0, options: 1 }),
        );
        check(
            draft(vec![yes_no(), item(&[("Да", 1), ("да", 0)])], ok_bands()),
            Err(QuestionnaireError::DuplicateOption { item: 1, option: "да".into() }),
        );
        check(draft(vec![yes_no()], vec![]), Err(QuestionnaireError::NoBands));
        let coverage = |problem: &str| QuestionnaireError::BandCoverage {
            lowest: 0,
            highest: 4,
            problem: problem.into(),
        };
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 0, 1), band("high", 3, 4)]),
            Err(coverage("band «high» starts at 3 instead of 2")),
        );
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 0, 2), band("high", 2, 4)]),
            Err(coverage("band «high» starts at 2 instead of 3")),
        );
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 0, 3)]),
            Err(coverage("the last band «low» ends at 3 instead of 4")),
        );
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 1, 4)]),
            Err(coverage("band «low» starts at 1 instead of 0")),
        );
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 0, 1), band("low", 2, 4)]),
            Err(QuestionnaireError::DuplicateBandCode("low".into())),
        );
        check(
            draft(vec![yes_no(), yes_no()], vec![band("low", 0, 1), band("x", 3, 2)]),
            Err(QuestionnaireError::EmptyBand { band: "x".into(), min: 3, max: 2 }),
        );
    }

    #[test]
    fn scores_sheets() {
        let q = Questionnaire::new(draft(
            vec![item(&[("да", 2), ("нет", 0)]), item(&[("нет", 0), ("иногда", 1), ("да", 2)])],
            vec![band("low", 0, 1), band("mid", 2, 2), band("high", 3, 4)],
        ))
        .unwrap();
        let check = |answers: &[Option<usize>], expected: Result<(u32, &str), AnswerError>| {
            let got = q.score(answers).map(|s| (s.total, q.bands()[s.band].code.as_str()));
            assert_eq!(got, expected);
        };
        check(&[Some(0), Some(2)], Ok((4, "high")));
        check(&[Some(1), Some(1)], Ok((1, "low")));
        check(&[Some(0), Some(0)], Ok((2, "mid")));
        check(&[Some(0)], Err(AnswerError::WrongCount { expected: 2, got: 1 }));
        check(&[Some(0), None], Err(AnswerError::Unanswered { item: 1 }));
        check(
            &[Some(2), Some(0)],
            Err(AnswerError::NoSuchOption { item: 0, answer: 2, options: 2 }),
        );
    }

    #[test]
    fn questionnaire_round_trips_and_validates_on_load() {
        let q = luskanova::luskanova();
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(serde_json::from_str::<Questionnaire>(&json).unwrap(), q);
        let mut d = QuestionnaireDraft::from(q);
        d.bands.pop();
        let bad = serde_json::to_string(&d).unwrap();
        let err = serde_json::from_str::<Questionnaire>(&bad).unwrap_err().to_string();
        assert!(err.contains("the last band"), "{err}");
    }
}
