//! Mastery roll-up per criterion over time (the Canvas Outcomes calculation methods).
//!
//! Scores are taken in **lesson-date** order (Canvas orders by grading date, which users
//! complain about): [`roll_up`] takes scores already in order, [`roll_up_dated`] sorts
//! `(date, score)` pairs by date first. [`roll_up_evidence`] turns a student's evidence on a
//! criterion into scores on a common 0..=1 scale (see [`evidence_score`]) and rolls them up.
//!
//! Methods (w = weight, sₖ = k-th score):
//! - weighted average (Canvas "decaying_average", w = 0.65 default): w·sₙ + (1−w)·mean(s₁..sₙ₋₁),
//!   sₙ if n = 1;
//! - decaying average: D₁ = s₁, Dₖ = w·sₖ + (1−w)·Dₖ₋₁, w in 0.50..=0.99;
//! - n times: keep scores ≥ the mastery threshold; fewer than n → no result; else their mean;
//! - latest, highest, average.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::evidence::{EvidenceRecord, Source};
use crate::ids::{CriterionId, LessonId, StudentId};
use crate::technique::{ExitAnswer, Light, Response, Thumb};

/// Why a method's settings were refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MethodError {
    /// A weight outside its allowed range.
    #[error("weight {got} is outside {min}..={max}")]
    Weight {
        /// The weight given.
        got: f64,
        /// The lowest allowed.
        min: f64,
        /// The highest allowed.
        max: f64,
    },
    /// n must be at least 1 (and at most 100).
    #[error("n = {0} must be between 1 and 100")]
    Count(u32),
    /// The mastery threshold must be a finite number.
    #[error("the mastery threshold {0} is not a finite number")]
    Threshold(f64),
}

/// How a criterion's scores over time roll up into one mastery figure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MethodRepr", into = "MethodRepr")]
pub enum Method {
    /// w·sₙ + (1−w)·mean(s₁..sₙ₋₁) (Canvas calls it "decaying_average").
    WeightedAverage {
        /// Weight of the latest score, 0.01..=0.99.
        weight: f64,
    },
    /// D₁ = s₁, Dₖ = w·sₖ + (1−w)·Dₖ₋₁.
    DecayingAverage {
        /// Weight of each new score, 0.50..=0.99.
        weight: f64,
    },
    /// The mean of scores at or above the threshold, once there are at least n of them.
    NTimes {
        /// How many scores must reach the threshold, 1..=100.
        n: u32,
        /// The mastery threshold.
        threshold: f64,
    },
    /// The latest score.
    Latest,
    /// The highest score.
    Highest,
    /// The plain mean.
    Average,
}

/// The serialised form of a [`Method`], validated on the way in.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
enum MethodRepr {
    WeightedAverage { weight: f64 },
    DecayingAverage { weight: f64 },
    NTimes { n: u32, threshold: f64 },
    Latest,
    Highest,
    Average,
}

impl TryFrom<MethodRepr> for Method {
    type Error = MethodError;
    fn try_from(r: MethodRepr) -> Result<Self, Self::Error> {
        match r {
            MethodRepr::WeightedAverage { weight } => Method::weighted_average(weight),
            MethodRepr::DecayingAverage { weight } => Method::decaying_average(weight),
            MethodRepr::NTimes { n, threshold } => Method::n_times(n, threshold),
            MethodRepr::Latest => Ok(Method::Latest),
            MethodRepr::Highest => Ok(Method::Highest),
            MethodRepr::Average => Ok(Method::Average),
        }
    }
}

impl From<Method> for MethodRepr {
    fn from(m: Method) -> Self {
        match m {
            Method::WeightedAverage { weight } => Self::WeightedAverage { weight },
            Method::DecayingAverage { weight } => Self::DecayingAverage { weight },
            Method::NTimes { n, threshold } => Self::NTimes { n, threshold },
            Method::Latest => Self::Latest,
            Method::Highest => Self::Highest,
            Method::Average => Self::Average,
        }
    }
}

/// Canvas's default weight.
pub const DEFAULT_WEIGHT: f64 = 0.65;

fn check_weight(weight: f64, min: f64, max: f64) -> Result<f64, MethodError> {
    if (min..=max).contains(&weight) {
        Ok(weight)
    } else {
        Err(MethodError::Weight { got: weight, min, max })
    }
}

impl Method {
    /// Weighted average with the latest score's weight in 0.01..=0.99.
    pub fn weighted_average(weight: f64) -> Result<Self, MethodError> {
        Ok(Self::WeightedAverage { weight: check_weight(weight, 0.01, 0.99)? })
    }

    /// Decaying average with weight in 0.50..=0.99.
    pub fn decaying_average(weight: f64) -> Result<Self, MethodError> {
        Ok(Self::DecayingAverage { weight: check_weight(weight, 0.50, 0.99)? })
    }

    /// n times at or above a finite mastery threshold, n in 1..=100.
    pub fn n_times(n: u32, threshold: f64) -> Result<Self, MethodError> {
        if !(1..=100).contains(&n) {
            return Err(MethodError::Count(n));
        }
        if !threshold.is_finite() {
            return Err(MethodError::Threshold(threshold));
        }
        Ok(Self::NTimes { n, threshold })
    }
}

/// The defaults of n times on the 0..=1 evidence scale: 3 scores at or above 0.75 (светофор:
/// green only; a 5-step ladder: step 4 or 5).
pub const DEFAULT_N_TIMES: (u32, f64) = (3, 0.75);

impl Method {
    /// One method of each kind with its default settings, in the order a chooser lists them.
    pub fn presets() -> [Method; 6] {
        MethodKind::ALL.map(MethodKind::preset)
    }

    /// The method's kind as a short stable word (its serialised tag), for an address or a
    /// chooser: `weighted_average`, `decaying_average`, `n_times`, `latest`, `highest`, `average`.
    pub fn key(&self) -> &'static str {
        self.kind().key()
    }

    /// The preset of the kind [`Method::key`] names; none for an unknown word.
    pub fn from_key(key: &str) -> Option<Method> {
        MethodKind::from_key(key).map(MethodKind::preset)
    }

    /// The method's kind, without its settings.
    pub fn kind(&self) -> MethodKind {
        match self {
            Method::WeightedAverage { .. } => MethodKind::WeightedAverage,
            Method::DecayingAverage { .. } => MethodKind::DecayingAverage,
            Method::NTimes { .. } => MethodKind::NTimes,
            Method::Latest => MethodKind::Latest,
            Method::Highest => MethodKind::Highest,
            Method::Average => MethodKind::Average,
        }
    }
}

/// A kind of [`Method`] with no settings: what a class keeps as its choice (its preset is the
/// method), stored as the word [`MethodKind::key`] gives (read through `String`, whose reader
/// every build already has, rather than a derived enum reader: classes load on the first screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum MethodKind {
    /// [`Method::WeightedAverage`].
    WeightedAverage,
    /// [`Method::DecayingAverage`].
    DecayingAverage,
    /// [`Method::NTimes`].
    NTimes,
    /// [`Method::Latest`].
    Latest,
    /// [`Method::Highest`].
    Highest,
    /// [`Method::Average`].
    Average,
}

/// A word that names no [`MethodKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mastery method {0:?}")]
pub struct UnknownMethod(pub String);

impl TryFrom<String> for MethodKind {
    type Error = UnknownMethod;
    fn try_from(word: String) -> Result<Self, Self::Error> {
        MethodKind::from_key(&word).ok_or(UnknownMethod(word))
    }
}

impl From<MethodKind> for &'static str {
    fn from(kind: MethodKind) -> Self {
        kind.key()
    }
}

impl MethodKind {
    /// Every kind, in the order of [`Method::presets`].
    pub const ALL: [MethodKind; 6] = [
        MethodKind::WeightedAverage,
        MethodKind::DecayingAverage,
        MethodKind::NTimes,
        MethodKind::Latest,
        MethodKind::Highest,
        MethodKind::Average,
    ];

    /// The kind's word (its serialised form and [`Method`]'s tag).
    pub fn key(self) -> &'static str {
        match self {
            MethodKind::WeightedAverage => "weighted_average",
            MethodKind::DecayingAverage => "decaying_average",
            MethodKind::NTimes => "n_times",
            MethodKind::Latest => "latest",
            MethodKind::Highest => "highest",
            MethodKind::Average => "average",
        }
    }

    /// The kind `key` names; none for an unknown word.
    pub fn from_key(key: &str) -> Option<MethodKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind's method with its default settings.
    pub fn preset(self) -> Method {
        match self {
            MethodKind::WeightedAverage => Method::WeightedAverage { weight: DEFAULT_WEIGHT },
            MethodKind::DecayingAverage => Method::DecayingAverage { weight: DEFAULT_WEIGHT },
            MethodKind::NTimes => {
                Method::NTimes { n: DEFAULT_N_TIMES.0, threshold: DEFAULT_N_TIMES.1 }
            }
            MethodKind::Latest => Method::Latest,
            MethodKind::Highest => Method::Highest,
            MethodKind::Average => Method::Average,
        }
    }
}

impl Default for Method {
    /// Canvas's default: weighted average with w = 0.65.
    fn default() -> Self {
        Self::WeightedAverage { weight: DEFAULT_WEIGHT }
    }
}

/// Rolls up scores given in lesson order (oldest first). Non-finite scores are ignored; no
/// scores (or too few for n times) give `None`. The result lies within the scores' range (up to
/// floating-point rounding).
pub fn roll_up(method: &Method, scores: &[f64]) -> Option<f64> {
    let s: Vec<f64> = scores.iter().copied().filter(|x| x.is_finite()).collect();
    let (&last, earlier) = s.split_last()?;
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let value = match *method {
        Method::WeightedAverage { weight } => {
            if earlier.is_empty() {
                last
            } else {
                weight * last + (1.0 - weight) * mean(earlier)
            }
        }
        Method::DecayingAverage { weight } => {
            s[1..].iter().fold(s[0], |d, &x| weight * x + (1.0 - weight) * d)
        }
        Method::NTimes { n, threshold } => {
            let kept: Vec<f64> = s.iter().copied().filter(|&x| x >= threshold).collect();
            if kept.len() < n as usize {
                return None;
            }
            mean(&kept)
        }
        Method::Latest => last,
        Method::Highest => s.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        Method::Average => mean(&s),
    };
    Some(value)
}

/// Rolls up `(lesson date, score)` pairs: sorted by date first (stably, so scores of one date
/// keep their given order).
pub fn roll_up_dated(method: &Method, scores: &[(NaiveDate, f64)]) -> Option<f64> {
    let mut sorted = scores.to_vec();
    sorted.sort_by_key(|(d, _)| *d);
    let s: Vec<f64> = sorted.into_iter().map(|(_, x)| x).collect();
    roll_up(method, &s)
}

/// A record's score on the common 0..=1 scale, where one exists:
/// - светофор: red 0, yellow 0.5, green 1;
/// - ladder step s of an n-step scale: (s − 1)/(n − 1) (n comes from `ladder_steps`; a step
///   beyond n, or an unknown n, gives no score);
/// - fist to five: fingers/5; thumbs: down 0, sideways 0.5, up 1;
/// - exit ticket: the share of its content checks answered right (none → no score);
/// - text techniques: no score.
pub fn evidence_score(record: &EvidenceRecord, ladder_steps: Option<u8>) -> Option<f64> {
    match record.value() {
        Response::Light(l) => Some(match l {
            Light::Red => 0.0,
            Light::Yellow => 0.5,
            Light::Green => 1.0,
        }),
        Response::Step(s) => {
            let n = ladder_steps.filter(|n| *n >= 2 && s <= n)?;
            Some(f64::from(s.saturating_sub(1)) / f64::from(n - 1))
        }
        Response::Fingers(f) => Some(f64::from(*f).min(5.0) / 5.0),
        Response::Thumb(t) => Some(match t {
            Thumb::Down => 0.0,
            Thumb::Sideways => 0.5,
            Thumb::Up => 1.0,
        }),
        Response::ExitTicket(answers) => {
            let checks: Vec<bool> = answers
                .iter()
                .filter_map(|a| if let ExitAnswer::Check(c) = a { Some(*c) } else { None })
                .collect();
            (!checks.is_empty())
                .then(|| checks.iter().filter(|c| **c).count() as f64 / checks.len() as f64)
        }
        _ => None,
    }
}

/// A student's mastery of a criterion from the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EvidenceMastery {
    /// The rolled-up score on the 0..=1 scale, if the method gives one.
    pub value: Option<f64>,
    /// How many records were scored.
    pub scored: usize,
}

/// Rolls up a student's evidence on a criterion, from `sources` only (e.g. the teacher's, or
/// self-assessment), in lesson-date order (then record time, then id). Scores are on the 0..=1
/// scale of [`evidence_score`], so an n-times threshold is a share too (e.g. 0.75).
/// `ladder_steps` says how many steps the ladder of a lesson had.
pub fn roll_up_evidence<'a>(
    method: &Method,
    records: impl IntoIterator<Item = &'a EvidenceRecord>,
    student: StudentId,
    criterion: CriterionId,
    sources: &[Source],
    ladder_steps: impl Fn(LessonId) -> Option<u8>,
) -> EvidenceMastery {
    let mut scored: Vec<(NaiveDate, chrono::DateTime<chrono::Utc>, crate::ids::EvidenceId, f64)> =
        records
            .into_iter()
            .filter(|r| {
                r.student() == Some(student)
                    && r.criterion() == criterion
                    && sources.contains(&r.source())
            })
            .filter_map(|r| {
                evidence_score(r, ladder_steps(r.lesson()))
                    .map(|s| (r.lesson_date(), r.recorded_at(), r.id(), s))
            })
            .collect();
    scored.sort_by_key(|a| (a.0, a.1, a.2));
    let scores: Vec<f64> = scored.iter().map(|x| x.3).collect();
    EvidenceMastery { value: roll_up(method, &scores), scored: scores.len() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(method: Method, scores: &[f64], expected: Option<f64>) {
        let got = roll_up(&method, scores);
        match (got, expected) {
            (Some(g), Some(e)) => assert!((g - e).abs() < 0.005, "{method:?}: got {g}, want {e}"),
            _ => assert_eq!(got, expected, "{method:?}"),
        }
    }

    #[test]
    fn canvas_vectors() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        let cases = [
            (Method::weighted_average(0.65).unwrap(), Some(4.13)),
            (Method::decaying_average(0.65).unwrap(), Some(4.47)),
            (Method::n_times(3, 3.0).unwrap(), Some(4.0)),
            (Method::n_times(4, 3.0).unwrap(), None),
            (Method::Latest, Some(5.0)),
            (Method::Highest, Some(5.0)),
            (Method::Average, Some(3.0)),
        ];
        for (m, e) in cases {
            check(m, &s, e);
        }
    }

    #[test]
    fn edge_cases() {
        let cases = [
            (Method::default(), vec![], None),
            (Method::default(), vec![3.0], Some(3.0)),
            (Method::decaying_average(0.65).unwrap(), vec![2.0], Some(2.0)),
            (Method::Highest, vec![2.0, f64::NAN, 1.0], Some(2.0)),
            (Method::Latest, vec![4.0, 1.0], Some(1.0)),
        ];
        for (m, s, e) in cases {
            check(m, &s, e);
        }
    }

    #[test]
    fn settings_are_validated() {
        assert!(Method::decaying_average(0.49).is_err());
        assert!(Method::decaying_average(1.0).is_err());
        assert!(Method::decaying_average(0.99).is_ok());
        assert!(Method::weighted_average(0.0).is_err());
        assert!(Method::n_times(0, 3.0).is_err());
        assert!(Method::n_times(2, f64::NAN).is_err());
        assert!(
            serde_json::from_str::<Method>(r#"{"method":"decaying_average","weight":0.3}"#)
                .is_err()
        );
        let m: Method =
            serde_json::from_str(r#"{"method":"n_times","n":3,"threshold":3.0}"#).unwrap();
        assert_eq!(m, Method::NTimes { n: 3, threshold: 3.0 });
    }

    #[test]
    fn presets_are_named_by_their_serialised_tag() {
        for m in Method::presets() {
            assert_eq!(Method::from_key(m.key()), Some(m));
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(json["method"], m.key());
            assert_eq!(serde_json::from_value::<Method>(json).unwrap(), m, "presets are valid");
        }
        assert_eq!(Method::presets()[0], Method::default());
        assert_eq!(Method::from_key("median"), None);
        assert!(serde_json::from_str::<MethodKind>("\"median\"").is_err());
        for kind in MethodKind::ALL {
            assert_eq!(kind.preset().kind(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
            assert_eq!(MethodKind::from_key(kind.key()), Some(kind));
            let back: MethodKind = serde_json::from_value(kind.key().into()).unwrap();
            assert_eq!(back, kind);
        }
    }

    #[test]
    fn dated_scores_follow_lesson_date() {
        let d = |day| NaiveDate::from_ymd_opt(2024, 10, day).unwrap();
        // Given out of order: lesson order is 1, 2, 5 → latest is the 5th's score.
        let scores = [(d(5), 4.0), (d(1), 1.0), (d(2), 2.0)];
        assert_eq!(roll_up_dated(&Method::Latest, &scores), Some(4.0));
    }

    #[test]
    fn evidence_rolls_up_in_lesson_order() {
        use crate::evidence::tests::record;
        let (st, cr) = (StudentId::from_u128(1), CriterionId::from_u128(1));
        // Lesson 1 (3-step ladder) on day 9, lesson 2 (5-step ladder) on day 2.
        let steps = |l: LessonId| match l.as_uuid().as_u128() {
            1 => Some(3),
            2 => Some(5),
            _ => None,
        };
        let recs = vec![
            record(1, 1, 9, 1, Some(1), 1, Response::Step(3), Source::SelfAssessment),
            record(2, 2, 2, 1, Some(1), 1, Response::Step(2), Source::SelfAssessment),
            record(3, 2, 2, 1, Some(1), 1, Response::Light(Light::Yellow), Source::Teacher),
            record(4, 3, 20, 1, Some(1), 1, Response::Step(4), Source::SelfAssessment),
            record(5, 3, 20, 1, Some(2), 1, Response::Step(1), Source::SelfAssessment),
        ];
        let latest =
            roll_up_evidence(&Method::Latest, &recs, st, cr, &[Source::SelfAssessment], steps);
        // Lesson 3's ladder size is unknown: skipped; latest by date is lesson 1's top step.
        assert_eq!(latest, EvidenceMastery { value: Some(1.0), scored: 2 });
        let all = [Source::SelfAssessment, Source::Teacher];
        let avg = roll_up_evidence(&Method::Average, &recs, st, cr, &all, steps);
        assert_eq!(avg, EvidenceMastery { value: Some((0.25 + 0.5 + 1.0) / 3.0), scored: 3 });
    }

    #[test]
    fn evidence_scores() {
        use crate::evidence::tests::record;
        use crate::technique::ExitAnswer as A;
        fn check(value: Response, steps: Option<u8>, expected: Option<f64>) {
            let r = record(1, 1, 1, 1, Some(1), 1, value.clone(), Source::SelfAssessment);
            assert_eq!(evidence_score(&r, steps), expected, "{value:?}");
        }
        check(Response::Light(Light::Red), None, Some(0.0));
        check(Response::Light(Light::Green), None, Some(1.0));
        check(Response::Step(3), Some(5), Some(0.5));
        check(Response::Step(6), Some(5), None);
        check(Response::Step(2), None, None);
        check(Response::Fingers(4), None, Some(0.8));
        check(Response::Thumb(Thumb::Sideways), None, Some(0.5));
        check(
            Response::ExitTicket(vec![A::Check(true), A::Check(false), A::Confidence(2)]),
            None,
            Some(0.5),
        );
        check(Response::ExitTicket(vec![A::Confidence(2)]), None, None);
        check(Response::Text("всё".into()), None, None);
    }

    fn methods() -> impl Strategy<Value = Method> {
        prop_oneof![
            (1u32..=99).prop_map(|w| Method::weighted_average(f64::from(w) / 100.0).unwrap()),
            (50u32..=99).prop_map(|w| Method::decaying_average(f64::from(w) / 100.0).unwrap()),
            (1u32..5, 0u32..=20).prop_map(|(n, t)| Method::n_times(n, f64::from(t) / 4.0).unwrap()),
            Just(Method::Latest),
            Just(Method::Highest),
            Just(Method::Average),
        ]
    }

    proptest! {
        #[test]
        fn result_within_range(method in methods(), scores in proptest::collection::vec(0.0f64..5.0, 0..20)) {
            if let Some(v) = roll_up(&method, &scores) {
                let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(lo - 1e-9 <= v && v <= hi + 1e-9, "{} not in {}..={}", v, lo, hi);
            } else {
                let enough = match method {
                    Method::NTimes { .. } => true,
                    _ => scores.is_empty(),
                };
                prop_assert!(enough);
            }
        }

        #[test]
        fn method_serde_round_trip(method in methods()) {
            let json = serde_json::to_string(&method).unwrap();
            prop_assert_eq!(serde_json::from_str::<Method>(&json).unwrap(), method);
        }
    }
}
