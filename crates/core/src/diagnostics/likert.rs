//! Likert satisfaction surveys of participants (students, parents, teachers): items on 3- to
//! 7-point scales, summarised as the count and share of each answer per item.
//!
//! Shares are taken over the respondents who answered the item (skips are counted apart), so the
//! shares of an answered item add up to 1. Answers are 0-based points of the item's scale, from
//! its first (lowest) label to its last.

use serde::{Deserialize, Serialize};

use crate::text::{Name, TextError};

/// Who a survey is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Students.
    Students,
    /// Parents.
    Parents,
    /// Teachers.
    Teachers,
    /// Anyone else (guests of an open lesson, partners).
    Other,
}

/// Why a survey, or its answers, were refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum LikertError {
    /// A scale has too few or too many points.
    #[error("a scale has {points} point(s); 3 to 7 are allowed")]
    ScaleSize {
        /// How many it has.
        points: usize,
    },
    /// Two points of a scale read the same.
    #[error("the scale has the label «{0}» twice")]
    DuplicateLabel(String),
    /// A survey without items.
    #[error("the survey has no items")]
    NoItems,
    /// A sheet has a different number of answers than the survey has items.
    #[error("sheet {sheet} has {got} answer(s) but the survey has {expected} item(s)")]
    WrongCount {
        /// The sheet (0-based).
        sheet: usize,
        /// Items of the survey.
        expected: usize,
        /// Answers on the sheet.
        got: usize,
    },
    /// An answer beyond the item's scale.
    #[error("sheet {sheet}, item {item}: answer {answer} is outside the {points}-point scale")]
    OutOfScale {
        /// The sheet (0-based).
        sheet: usize,
        /// The item (0-based).
        item: usize,
        /// The answer given (0-based point).
        answer: u8,
        /// Points of the scale.
        points: usize,
    },
}

/// An ordered scale of 3 to 7 labelled points, from the lowest to the highest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Name>", into = "Vec<Name>")]
pub struct LikertScale(Vec<Name>);

impl LikertScale {
    /// Fewest points.
    pub const MIN_POINTS: usize = 3;
    /// Most points.
    pub const MAX_POINTS: usize = 7;

    /// A scale from its labels, lowest first.
    pub fn new(labels: Vec<Name>) -> Result<Self, LikertError> {
        if !(Self::MIN_POINTS..=Self::MAX_POINTS).contains(&labels.len()) {
            return Err(LikertError::ScaleSize { points: labels.len() });
        }
        for (i, l) in labels.iter().enumerate() {
            if labels[..i].iter().any(|m| m.key() == l.key()) {
                return Err(LikertError::DuplicateLabel(l.to_string()));
            }
        }
        Ok(Self(labels))
    }

    /// A scale from label texts, lowest first.
    pub fn parse(labels: &[&str]) -> Result<Self, LikertScaleError> {
        let names = labels.iter().map(|l| Name::parse(l)).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(names)?)
    }

    /// The usual 5-point agreement scale («полностью не согласен» … «полностью согласен»).
    pub fn agreement_5() -> Self {
        Self::standard(&[
            "полностью не согласен",
            "скорее не согласен",
            "затрудняюсь ответить",
            "скорее согласен",
            "полностью согласен",
        ])
    }

    /// The usual 3-point satisfaction scale («не удовлетворён», «частично», «полностью»).
    pub fn satisfaction_3() -> Self {
        Self::standard(&["не удовлетворён", "частично удовлетворён", "полностью удовлетворён"])
    }

    fn standard(labels: &[&str]) -> Self {
        Self::parse(labels).expect("the built-in scales are valid (checked by their tests)")
    }

    /// The labels, lowest first.
    pub fn labels(&self) -> &[Name] {
        &self.0
    }

    /// Number of points.
    pub fn points(&self) -> usize {
        self.0.len()
    }
}

/// Why a scale could not be built from texts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LikertScaleError {
    /// A label is empty or too long.
    #[error("a scale label is not acceptable: {0}")]
    Label(#[from] TextError),
    /// The scale itself is not acceptable.
    #[error(transparent)]
    Scale(#[from] LikertError),
}

impl TryFrom<Vec<Name>> for LikertScale {
    type Error = LikertError;
    fn try_from(value: Vec<Name>) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<LikertScale> for Vec<Name> {
    fn from(value: LikertScale) -> Self {
        value.0
    }
}

/// One statement or question with its scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikertItem {
    /// The statement («Мне интересно на уроках»).
    pub text: Name,
    /// Its scale.
    pub scale: LikertScale,
}

/// A survey as written (also its stored form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikertSurveyDraft {
    /// Its title.
    pub title: Name,
    /// Who answers it.
    pub audience: Audience,
    /// The items.
    pub items: Vec<LikertItem>,
}

/// A valid survey: at least one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LikertSurveyDraft", into = "LikertSurveyDraft")]
pub struct LikertSurvey {
    title: Name,
    audience: Audience,
    items: Vec<LikertItem>,
}

/// One respondent's answers: per item the 0-based point, or None if skipped. Anonymous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LikertSheet {
    /// Per item.
    pub answers: Vec<Option<u8>>,
}

/// One answer of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerShare {
    /// The point's label.
    pub label: String,
    /// Respondents who chose it.
    pub count: u32,
    /// count ÷ respondents who answered the item (0 when nobody did).
    pub share: f64,
}

/// One item, summarised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    /// The statement.
    pub text: String,
    /// Respondents who answered it.
    pub answered: u32,
    /// Respondents who skipped it.
    pub skipped: u32,
    /// Per point of the scale, lowest first.
    pub answers: Vec<AnswerShare>,
    /// Mean point on the 1..=n scale (None when nobody answered).
    pub mean_point: Option<f64>,
}

/// A survey, summarised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikertSummary {
    /// The survey's title.
    pub title: String,
    /// Who answered.
    pub audience: Audience,
    /// Sheets received.
    pub respondents: u32,
    /// Per item, in order.
    pub items: Vec<ItemSummary>,
}

impl LikertSurvey {
    /// Validates a draft.
    pub fn new(draft: LikertSurveyDraft) -> Result<Self, LikertError> {
        if draft.items.is_empty() {
            return Err(LikertError::NoItems);
        }
        Ok(Self { title: draft.title, audience: draft.audience, items: draft.items })
    }

    /// The title.
    pub fn title(&self) -> &Name {
        &self.title
    }

    /// Who answers it.
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// The items.
    pub fn items(&self) -> &[LikertItem] {
        &self.items
    }

    /// Counts and shares of each answer per item. Every sheet must fit the survey.
    pub fn summarise(&self, sheets: &[LikertSheet]) -> Result<LikertSummary, LikertError> {
        let mut counts: Vec<Vec<u32>> =
            self.items.iter().map(|i| vec![0; i.scale.points()]).collect();
        for (sheet, s) in sheets.iter().enumerate() {
            if s.answers.len() != self.items.len() {
                return Err(LikertError::WrongCount {
                    sheet,
                    expected: self.items.len(),
                    got: s.answers.len(),
                });
            }
            for (item, (answer, c)) in s.answers.iter().zip(counts.iter_mut()).enumerate() {
                let Some(answer) = answer else { continue };
                let slot = c.get_mut(usize::from(*answer)).ok_or(LikertError::OutOfScale {
                    sheet,
                    item,
                    answer: *answer,
                    points: self.items[item].scale.points(),
                })?;
                *slot += 1;
            }
        }
        let respondents = u32::try_from(sheets.len()).unwrap_or(u32::MAX);
        let items = self
            .items
            .iter()
            .zip(counts)
            .map(|(item, c)| {
                let answered: u32 = c.iter().sum();
                let weighted: f64 =
                    c.iter().enumerate().map(|(p, n)| (p as f64 + 1.0) * f64::from(*n)).sum();
                ItemSummary {
                    text: item.text.to_string(),
                    answered,
                    skipped: respondents - answered,
                    answers: item
                        .scale
                        .labels()
                        .iter()
                        .zip(&c)
                        .map(|(label, n)| AnswerShare {
                            label: label.to_string(),
                            count: *n,
                            share: if answered == 0 {
                                0.0
                            } else {
                                f64::from(*n) / f64::from(answered)
                            },
                        })
                        .collect(),
                    mean_point: (answered > 0).then(|| weighted / f64::from(answered)),
                }
            })
            .collect();
        Ok(LikertSummary {
            title: self.title.to_string(),
            audience: self.audience,
            respondents,
            items,
        })
    }
}

impl TryFrom<LikertSurveyDraft> for LikertSurvey {
    type Error = LikertError;
    fn try_from(value: LikertSurveyDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<LikertSurvey> for LikertSurveyDraft {
    fn from(value: LikertSurvey) -> Self {
        Self { title: value.title, audience: value.audience, items: value.items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_scale(labels: &[&str], expected: Result<usize, LikertScaleError>) {
        assert_eq!(LikertScale::parse(labels).map(|s| s.points()), expected);
    }

    #[test]
    fn scales() {
        check_scale(&["нет", "скорее нет", "да"], Ok(3));
        check_scale(&["1", "2", "3", "4", "5", "6", "7"], Ok(7));
        check_scale(&["нет", "да"], Err(LikertError::ScaleSize { points: 2 }.into()));
        check_scale(
            &["1", "2", "3", "4", "5", "6", "7", "8"],
            Err(LikertError::ScaleSize { points: 8 }.into()),
        );
        check_scale(&["да", "нет", "Да"], Err(LikertError::DuplicateLabel("Да".into()).into()));
        check_scale(&["да", " ", "нет"], Err(TextError::Empty.into()));
        assert_eq!(LikertScale::agreement_5().points(), 5);
        assert_eq!(LikertScale::satisfaction_3().points(), 3);
    }

    fn survey() -> LikertSurvey {
        let item =
            |text: &str, scale: LikertScale| LikertItem { text: Name::parse(text).unwrap(), scale };
        LikertSurvey::new(LikertSurveyDraft {
            title: Name::parse("Удовлетворённость родителей").unwrap(),
            audience: Audience::Parents,
            items: vec![
                item("Ребёнку интересно на уроках", LikertScale::agreement_5()),
                item("Я понимаю, за что ставится отметка", LikertScale::satisfaction_3()),
            ],
        })
        .unwrap()
    }

    fn sheet(a: Option<u8>, b: Option<u8>) -> LikertSheet {
        LikertSheet { answers: vec![a, b] }
    }

    /// (counts per point, skipped, mean point) of an item.
    type ItemFigures = (Vec<u32>, u32, Option<f64>);

    fn check(sheets: &[LikertSheet], expected: Result<Vec<ItemFigures>, LikertError>) {
        let got = survey().summarise(sheets).map(|s| {
            s.items
                .iter()
                .map(|i| (i.answers.iter().map(|a| a.count).collect(), i.skipped, i.mean_point))
                .collect()
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn summarises_answers() {
        check(
            &[
                sheet(Some(4), Some(2)),
                sheet(Some(3), None),
                sheet(Some(4), Some(0)),
                sheet(None, Some(2)),
            ],
            Ok(vec![
                (vec![0, 0, 0, 1, 2], 1, Some((4.0 + 5.0 + 5.0) / 3.0)),
                (vec![1, 0, 2], 1, Some((3.0 + 1.0 + 3.0) / 3.0)),
            ]),
        );
        check(&[], Ok(vec![(vec![0; 5], 0, None), (vec![0; 3], 0, None)]));
        check(
            &[sheet(Some(1), Some(3))],
            Err(LikertError::OutOfScale { sheet: 0, item: 1, answer: 3, points: 3 }),
        );
        check(
            &[sheet(None, None), LikertSheet { answers: vec![Some(1)] }],
            Err(LikertError::WrongCount { sheet: 1, expected: 2, got: 1 }),
        );
        let s = survey().summarise(&[sheet(Some(4), Some(2)), sheet(Some(3), Some(2))]).unwrap();
        assert_eq!(s.items[0].answers[4].label, "полностью согласен");
        assert_eq!(s.items[0].answers[4].share, 0.5);
        assert_eq!(s.items[1].answers[2].share, 1.0);
    }

    #[test]
    fn survey_round_trips_and_validates_on_load() {
        let s = survey();
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"audience\":\"parents\""));
        assert_eq!(serde_json::from_str::<LikertSurvey>(&json).unwrap(), s);
        let no_items = r#"{"title":"x","audience":"students","items":[]}"#;
        assert!(serde_json::from_str::<LikertSurvey>(no_items).is_err());
        let short_scale =
            r#"{"title":"x","audience":"students","items":[{"text":"a","scale":["да","нет"]}]}"#;
        assert!(serde_json::from_str::<LikertSurvey>(short_scale).is_err());
    }

    proptest! {
        #[test]
        fn shares_are_proportions(answers in proptest::collection::vec((proptest::option::of(0u8..5), proptest::option::of(0u8..3)), 0..40)) {
            let sheets: Vec<LikertSheet> = answers.iter().map(|(a, b)| sheet(*a, *b)).collect();
            let s = survey().summarise(&sheets).unwrap();
            prop_assert_eq!(s.respondents as usize, sheets.len());
            for item in &s.items {
                prop_assert_eq!(item.answered + item.skipped, s.respondents);
                let shares: f64 = item.answers.iter().map(|a| a.share).sum();
                if item.answered > 0 {
                    prop_assert!((shares - 1.0).abs() < 1e-9);
                } else {
                    prop_assert_eq!(shares, 0.0);
                }
                for a in &item.answers {
                    prop_assert!((0.0..=1.0).contains(&a.share));
                }
                if let Some(m) = item.mean_point {
                    prop_assert!(m >= 1.0 && m <= item.answers.len() as f64);
                }
            }
        }
    }
}
