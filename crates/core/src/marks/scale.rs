//! Mark scales: the Russian 5-point mark (2..5, optionally with ± marks), 10-point, pass/fail and
//! custom scales.
//!
//! A [`MarkScale`] is an ordered list of [`ScaleMark`]s — a label and an exact numeric value —
//! from the lowest to the highest. Labels are unique and values never decrease.
//!
//! ## The value of a ± mark (a school setting)
//! Schools that write «4−» or «4+» differ in what such a mark counts for in an average. Lesenka
//! makes it a setting, [`PlusMinus::offset`]: a mark «k+» counts as k + offset and «k−» as
//! k − offset. Common choices: `0.25` (4− = 3.75, 4+ = 4.25), `1/3` (4− = 3 2/3, kept exact),
//! `0.5` (4+ = 5− = 4.5) and `0` (the sign is shown but the mark counts as a plain 4). The offset
//! must lie in 0..=1/2 so that the scale stays ordered (4+ never exceeds 5−).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use crate::text::Name;

/// One mark of a scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleMark {
    /// What is written in the gradebook: «5», «4−», «зачёт».
    pub label: Name,
    /// What it counts for in an average.
    pub value: Fraction,
}

/// Why a scale or a ± setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaleError {
    /// Fewer than two marks.
    #[error("a mark scale needs at least 2 marks, it has {0}")]
    TooFewMarks(usize),
    /// Two marks share a label.
    #[error("two marks of the scale are labelled «{0}»")]
    DuplicateLabel(String),
    /// A mark's value is below the value of the mark before it.
    #[error("mark «{label}» ({value}) is lower than the mark before it ({previous})")]
    ValuesDecreasing {
        /// The offending mark.
        label: String,
        /// Its value.
        value: Fraction,
        /// The value of the mark before.
        previous: Fraction,
    },
    /// The lowest and the highest mark have the same value.
    #[error("all marks of the scale have the same value")]
    NoSpread,
    /// A ± offset outside 0..=1/2.
    #[error("the ± offset must be between 0 and 1/2, not {0}")]
    OffsetOutOfRange(Fraction),
}

/// The numeric value of ± marks: «k+» = k + offset, «k−» = k − offset (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Fraction", into = "Fraction")]
pub struct PlusMinus(Fraction);

impl PlusMinus {
    /// Validates an offset in 0..=1/2.
    pub fn new(offset: Fraction) -> Result<Self, ScaleError> {
        let half = Fraction::new(1, 2).expect("non-zero denominator");
        if offset.is_negative() || offset > half {
            return Err(ScaleError::OffsetOutOfRange(offset));
        }
        Ok(Self(offset))
    }

    /// A quarter: 4− = 3.75, 4+ = 4.25 (a common e-journal setting).
    pub fn quarter() -> Self {
        Self(Fraction::new(1, 4).expect("non-zero denominator"))
    }

    /// The offset.
    pub fn offset(&self) -> Fraction {
        self.0
    }
}

impl TryFrom<Fraction> for PlusMinus {
    type Error = ScaleError;
    fn try_from(value: Fraction) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<PlusMinus> for Fraction {
    fn from(value: PlusMinus) -> Self {
        value.0
    }
}

/// The fields of a scale before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleDraft {
    /// «Пятибалльная», «Зачёт/незачёт».
    pub name: Name,
    /// Marks from the lowest to the highest.
    pub marks: Vec<ScaleMark>,
    /// Whether marks of this scale are averaged (false for pass/fail).
    pub averaged: bool,
}

/// A validated mark scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScaleDraft", into = "ScaleDraft")]
pub struct MarkScale(ScaleDraft);

fn name(text: &str) -> Name {
    Name::parse(text).expect("built-in names are valid")
}

/// Compares mark labels: trimmed, and the typographic minus/dash read as `-`.
pub fn label_key(label: &str) -> String {
    label.trim().replace(['−', '–', '—'], "-")
}

impl MarkScale {
    /// Validates a scale.
    pub fn new(name: Name, marks: Vec<ScaleMark>, averaged: bool) -> Result<Self, ScaleError> {
        Self::try_from(ScaleDraft { name, marks, averaged })
    }

    /// The Russian 5-point mark 2, 3, 4, 5; with `plus_minus`, also 2+, 3−, 3+, 4−, 4+, 5− valued
    /// by the school's offset.
    pub fn russian_five(plus_minus: Option<PlusMinus>) -> Self {
        let mut marks = Vec::new();
        for k in 2..=5i64 {
            let base = Fraction::integer(k);
            if let (Some(pm), true) = (plus_minus, k > 2) {
                let value = base.checked_sub(pm.offset()).expect("small numbers");
                marks.push(ScaleMark { label: name(&format!("{k}-")), value });
            }
            marks.push(ScaleMark { label: name(&k.to_string()), value: base });
            if let (Some(pm), true) = (plus_minus, k < 5) {
                let value = base.checked_add(pm.offset()).expect("small numbers");
                marks.push(ScaleMark { label: name(&format!("{k}+")), value });
            }
        }
        let title = if plus_minus.is_some() {
            "Пятибалльная с ±"
        } else {
            "Пятибалльная"
        };
        Self::new(name(title), marks, true).expect("the built-in scale is valid")
    }

    /// A 10-point scale 1..10.
    pub fn ten_point() -> Self {
        let marks = (1..=10i64)
            .map(|k| ScaleMark { label: name(&k.to_string()), value: Fraction::integer(k) })
            .collect();
        Self::new(name("Десятибалльная"), marks, true).expect("the built-in scale is valid")
    }

    /// «незачёт» (0) / «зачёт» (1), not averaged.
    pub fn pass_fail() -> Self {
        let marks = vec![
            ScaleMark { label: name("незачёт"), value: Fraction::ZERO },
            ScaleMark { label: name("зачёт"), value: Fraction::ONE },
        ];
        Self::new(name("Зачёт/незачёт"), marks, false).expect("the built-in scale is valid")
    }

    /// The scale's name.
    pub fn name(&self) -> &Name {
        &self.0.name
    }

    /// Marks, lowest first.
    pub fn marks(&self) -> &[ScaleMark] {
        &self.0.marks
    }

    /// Whether marks of this scale are averaged.
    pub fn averaged(&self) -> bool {
        self.0.averaged
    }

    /// The mark with this label (see [`label_key`]).
    pub fn mark(&self, label: &str) -> Option<&ScaleMark> {
        self.position(label).map(|i| &self.0.marks[i])
    }

    /// The position of a mark (0 = lowest).
    pub fn position(&self, label: &str) -> Option<usize> {
        // The stored spelling first (no allocation), then the lenient comparison.
        self.0.marks.iter().position(|m| m.label.as_str() == label).or_else(|| {
            let key = label_key(label);
            self.0.marks.iter().position(|m| label_key(m.label.as_str()) == key)
        })
    }

    /// The value of the mark with this label.
    pub fn value_of(&self, label: &str) -> Option<Fraction> {
        self.mark(label).map(|m| m.value)
    }

    /// The lowest mark.
    pub fn lowest(&self) -> &ScaleMark {
        &self.0.marks[0]
    }

    /// The highest mark.
    pub fn highest(&self) -> &ScaleMark {
        &self.0.marks[self.0.marks.len() - 1]
    }
}

impl TryFrom<ScaleDraft> for MarkScale {
    type Error = ScaleError;
    fn try_from(draft: ScaleDraft) -> Result<Self, Self::Error> {
        if draft.marks.len() < 2 {
            return Err(ScaleError::TooFewMarks(draft.marks.len()));
        }
        let mut seen = BTreeSet::new();
        for mark in &draft.marks {
            if !seen.insert(label_key(mark.label.as_str())) {
                return Err(ScaleError::DuplicateLabel(mark.label.to_string()));
            }
        }
        for pair in draft.marks.windows(2) {
            if pair[1].value < pair[0].value {
                return Err(ScaleError::ValuesDecreasing {
                    label: pair[1].label.to_string(),
                    value: pair[1].value,
                    previous: pair[0].value,
                });
            }
        }
        if draft.marks[0].value == draft.marks[draft.marks.len() - 1].value {
            return Err(ScaleError::NoSpread);
        }
        Ok(Self(draft))
    }
}

impl From<MarkScale> for ScaleDraft {
    fn from(value: MarkScale) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn f(t: &str) -> Fraction {
        Fraction::parse(t).unwrap()
    }

    fn check(scale: &MarkScale, expected: &[(&str, &str)]) {
        let got: Vec<(String, Fraction)> =
            scale.marks().iter().map(|m| (m.label.to_string(), m.value)).collect();
        let expected: Vec<(String, Fraction)> =
            expected.iter().map(|(l, v)| (l.to_string(), f(v))).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn presets() {
        check(&MarkScale::russian_five(None), &[("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]);
        check(
            &MarkScale::russian_five(Some(PlusMinus::quarter())),
            &[
                ("2", "2"),
                ("2+", "2.25"),
                ("3-", "2.75"),
                ("3", "3"),
                ("3+", "3.25"),
                ("4-", "3.75"),
                ("4", "4"),
                ("4+", "4.25"),
                ("5-", "4.75"),
                ("5", "5"),
            ],
        );
        let third = MarkScale::russian_five(Some(PlusMinus::new(f("1/3")).unwrap()));
        assert_eq!(third.value_of("4−"), Some(f("11/3")));
        let half = MarkScale::russian_five(Some(PlusMinus::new(f("0.5")).unwrap()));
        assert_eq!(half.value_of("4+"), half.value_of("5-"));
        let zero = MarkScale::russian_five(Some(PlusMinus::new(Fraction::ZERO).unwrap()));
        assert_eq!(zero.value_of("4+"), Some(f("4")));
        assert_eq!(MarkScale::ten_point().highest().value, f("10"));
        assert!(!MarkScale::pass_fail().averaged());
        assert_eq!(MarkScale::pass_fail().position("зачёт"), Some(1));
    }

    #[test]
    fn validation() {
        let m = |l: &str, v: &str| ScaleMark { label: Name::parse(l).unwrap(), value: f(v) };
        let n = Name::parse("s").unwrap();
        for (marks, expected) in [
            (vec![m("a", "1")], Err(ScaleError::TooFewMarks(1))),
            (vec![m("a", "1"), m(" a", "2")], Err(ScaleError::DuplicateLabel("a".into()))),
            (
                vec![m("a", "2"), m("b", "1")],
                Err(ScaleError::ValuesDecreasing {
                    label: "b".into(),
                    value: f("1"),
                    previous: f("2"),
                }),
            ),
            (vec![m("a", "1"), m("b", "1")], Err(ScaleError::NoSpread)),
            (vec![m("н/а", "0"), m("a", "1"), m("b", "1")], Ok(())),
        ] {
            assert_eq!(MarkScale::new(n.clone(), marks, true).map(|_| ()), expected);
        }
        assert_eq!(PlusMinus::new(f("0.6")), Err(ScaleError::OffsetOutOfRange(f("0.6"))));
        assert_eq!(PlusMinus::new(f("-0.1")), Err(ScaleError::OffsetOutOfRange(f("-0.1"))));
        assert!(serde_json::from_str::<PlusMinus>("\"0.75\"").is_err());
    }

    proptest! {
        #[test]
        fn scales_round_trip(num in 0i128..=50, with in any::<bool>()) {
            let pm = PlusMinus::new(Fraction::new(num, 100).unwrap()).unwrap();
            let scale = MarkScale::russian_five(with.then_some(pm));
            let json = serde_json::to_string(&scale).unwrap();
            prop_assert_eq!(serde_json::from_str::<MarkScale>(&json).unwrap(), scale);
            let json = serde_json::to_string(&pm).unwrap();
            prop_assert_eq!(serde_json::from_str::<PlusMinus>(&json).unwrap(), pm);
        }
    }
}
