//! Formative techniques (приёмы формирующего оценивания) and the responses they accept.
//!
//! [`TechniqueKind`] names a technique; [`Response`] is one answer to it, as stored in an
//! evidence record. [`Response::fits`] is the kind-level check every stored record passes.

use serde::{Deserialize, Serialize};

/// The techniques Lesenka knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechniqueKind {
    /// Светофор: green, yellow, red.
    TrafficLight,
    /// Лесенка успеха: an ordinal self-assessment scale of 3 or more steps.
    Ladder,
    /// Билет на выход: 1–3 short items at the end of a lesson.
    ExitTicket,
    /// Кулак–пять: 0 to 5 fingers.
    FistToFive,
    /// Большой палец: up, sideways, down.
    Thumbs,
    /// Две звезды и пожелание: peer feedback.
    TwoStarsAndAWish,
    /// 3-2-1: three things learnt, two interesting, one question.
    ThreeTwoOne,
    /// Незаконченное предложение: the student finishes a sentence stem.
    UnfinishedSentence,
    /// Синквейн: a five-line poem about a concept.
    Cinquain,
}

impl TechniqueKind {
    /// Every kind, in catalogue order.
    pub const ALL: [TechniqueKind; 9] = [
        Self::TrafficLight,
        Self::Ladder,
        Self::ExitTicket,
        Self::FistToFive,
        Self::Thumbs,
        Self::TwoStarsAndAWish,
        Self::ThreeTwoOne,
        Self::UnfinishedSentence,
        Self::Cinquain,
    ];

    /// A stable small number for compact encodings (never reuse a retired number).
    pub const fn code(self) -> u8 {
        match self {
            Self::TrafficLight => 0,
            Self::Ladder => 1,
            Self::ExitTicket => 2,
            Self::FistToFive => 3,
            Self::Thumbs => 4,
            Self::TwoStarsAndAWish => 5,
            Self::ThreeTwoOne => 6,
            Self::UnfinishedSentence => 7,
            Self::Cinquain => 8,
        }
    }

    /// The kind with the given [`code`](Self::code).
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A светофор answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// «Знаю, могу».
    Green,
    /// «Не уверен».
    Yellow,
    /// «Не знаю, не могу».
    Red,
}

impl Light {
    /// All lights, green first.
    pub const ALL: [Light; 3] = [Self::Green, Self::Yellow, Self::Red];

    /// The next light in the one-tap cycle green → yellow → red → green.
    pub const fn next(self) -> Self {
        match self {
            Self::Green => Self::Yellow,
            Self::Yellow => Self::Red,
            Self::Red => Self::Green,
        }
    }
}

/// A thumbs answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thumb {
    /// Understood.
    Up,
    /// Partly.
    Sideways,
    /// Not understood.
    Down,
}

impl Thumb {
    /// All thumbs, up first.
    pub const ALL: [Thumb; 3] = [Self::Up, Self::Sideways, Self::Down];
}

/// One answer to one exit-ticket item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum ExitAnswer {
    /// A content check, scored on correctness only (never speed).
    Check(bool),
    /// Confidence 1 (not at all) to 4 (fully).
    Confidence(u8),
    /// Free text («мне нужна помощь с…»).
    Text(String),
}

/// One response to a technique, as stored in an evidence record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Response {
    /// A светофор light.
    Light(Light),
    /// A ladder step, 1-based (1 = lowest).
    Step(u8),
    /// Fingers shown, 0 to 5.
    Fingers(u8),
    /// A thumb.
    Thumb(Thumb),
    /// Two stars and a wish.
    TwoStarsAndAWish {
        /// Two things done well.
        stars: [String; 2],
        /// One thing to improve.
        wish: String,
    },
    /// Three learnt, two interesting, one question.
    ThreeTwoOne {
        /// Three things learnt.
        three: [String; 3],
        /// Two interesting things.
        two: [String; 2],
        /// One question.
        one: String,
    },
    /// A finished sentence or another free text.
    Text(String),
    /// The lines of a cinquain.
    Lines(Vec<String>),
    /// Answers to an exit ticket's items, in item order.
    ExitTicket(Vec<ExitAnswer>),
}

/// The most characters any single text in a response may have.
pub const MAX_RESPONSE_TEXT: usize = 2000;
/// The most steps a ladder may have.
pub const MAX_LADDER_STEPS: u8 = 10;
/// The most items an exit ticket may have.
pub const MAX_EXIT_ITEMS: usize = 3;

/// Why a response does not fit a technique.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The response is of another technique's shape.
    #[error("a {got} answer does not fit the technique {technique:?}")]
    WrongShape {
        /// The technique.
        technique: TechniqueKind,
        /// The shape received.
        got: &'static str,
    },
    /// A number outside the technique's range.
    #[error("{value} is outside {min}..={max}")]
    OutOfRange {
        /// The value received.
        value: u8,
        /// The lowest allowed.
        min: u8,
        /// The highest allowed.
        max: u8,
    },
    /// A text too long to keep.
    #[error("a text of {len} characters is longer than {max}")]
    TextTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An empty answer where one is needed.
    #[error("the answer is empty")]
    Empty,
    /// Wrong number of answers or lines.
    #[error("expected {expected} answers, got {got}")]
    WrongCount {
        /// How many were expected (an upper bound for tickets and cinquains).
        expected: usize,
        /// How many came.
        got: usize,
    },
}

impl Response {
    /// A short name of the response's shape, for messages.
    pub const fn shape(&self) -> &'static str {
        match self {
            Self::Light(_) => "light",
            Self::Step(_) => "step",
            Self::Fingers(_) => "fingers",
            Self::Thumb(_) => "thumb",
            Self::TwoStarsAndAWish { .. } => "two_stars_and_a_wish",
            Self::ThreeTwoOne { .. } => "three_two_one",
            Self::Text(_) => "text",
            Self::Lines(_) => "lines",
            Self::ExitTicket(_) => "exit_ticket",
        }
    }

    /// Checks that the response has the shape and ranges any instance of `kind` accepts.
    ///
    /// A configured technique may be stricter (a 4-step ladder refuses step 5); this is the check
    /// that every stored record passes whatever its technique's settings were.
    pub fn fits(&self, kind: TechniqueKind) -> Result<(), ResponseError> {
        use TechniqueKind as K;
        let wrong = || ResponseError::WrongShape { technique: kind, got: self.shape() };
        match (kind, self) {
            (K::TrafficLight, Self::Light(_)) | (K::Thumbs, Self::Thumb(_)) => Ok(()),
            (K::Ladder, Self::Step(step)) => in_range(*step, 1, MAX_LADDER_STEPS),
            (K::FistToFive, Self::Fingers(n)) => in_range(*n, 0, 5),
            (K::TwoStarsAndAWish, Self::TwoStarsAndAWish { stars, wish }) => {
                stars.iter().chain([wish]).try_for_each(|t| text_ok(t))
            }
            (K::ThreeTwoOne, Self::ThreeTwoOne { three, two, one }) => {
                three.iter().chain(two).chain([one]).try_for_each(|t| text_ok(t))
            }
            (K::UnfinishedSentence, Self::Text(text)) => {
                text_ok(text)?;
                if text.trim().is_empty() { Err(ResponseError::Empty) } else { Ok(()) }
            }
            (K::Cinquain, Self::Lines(lines)) => {
                if lines.is_empty() || lines.len() > 5 {
                    return Err(ResponseError::WrongCount { expected: 5, got: lines.len() });
                }
                lines.iter().try_for_each(|t| text_ok(t))
            }
            (K::ExitTicket, Self::ExitTicket(answers)) => {
                if answers.is_empty() || answers.len() > MAX_EXIT_ITEMS {
                    return Err(ResponseError::WrongCount {
                        expected: MAX_EXIT_ITEMS,
                        got: answers.len(),
                    });
                }
                answers.iter().try_for_each(|a| match a {
                    ExitAnswer::Check(_) => Ok(()),
                    ExitAnswer::Confidence(c) => in_range(*c, 1, 4),
                    ExitAnswer::Text(t) => text_ok(t),
                })
            }
            _ => Err(wrong()),
        }
    }
}

fn in_range(value: u8, min: u8, max: u8) -> Result<(), ResponseError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ResponseError::OutOfRange { value, min, max })
    }
}

fn text_ok(text: &str) -> Result<(), ResponseError> {
    let len = text.chars().count();
    if len > MAX_RESPONSE_TEXT {
        Err(ResponseError::TextTooLong { len, max: MAX_RESPONSE_TEXT })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in TechniqueKind::ALL {
            assert_eq!(TechniqueKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(TechniqueKind::from_code(200), None);
    }

    #[test]
    fn responses_fit_only_their_kind() {
        use TechniqueKind as K;
        assert!(Response::Light(Light::Red).fits(K::TrafficLight).is_ok());
        assert!(Response::Light(Light::Red).fits(K::Ladder).is_err());
        assert_eq!(
            Response::Step(0).fits(K::Ladder),
            Err(ResponseError::OutOfRange { value: 0, min: 1, max: 10 })
        );
        assert!(Response::Fingers(5).fits(K::FistToFive).is_ok());
        assert!(Response::Fingers(6).fits(K::FistToFive).is_err());
        assert!(Response::Text("  ".into()).fits(K::UnfinishedSentence).is_err());
        assert!(Response::ExitTicket(vec![]).fits(K::ExitTicket).is_err());
        assert!(Response::ExitTicket(vec![ExitAnswer::Confidence(5)]).fits(K::ExitTicket).is_err());
    }

    #[test]
    fn light_cycle() {
        assert_eq!(Light::Green.next().next().next(), Light::Green);
        assert_eq!(Light::Green.next(), Light::Yellow);
    }
}
