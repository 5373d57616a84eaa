//! Work-type weights, the weighted average (средневзвешенный балл), term marks and what-if.
//!
//! X̄ = Σ wᵢ·xᵢ / Σ wᵢ, computed exactly with [`Fraction`]s: the domain check 5 (w 3), 5 (w 1),
//! 4 (w 5) gives 40/9 ≈ 4.44 (not 4.33).
//!
//! A [`TermRule`] turns an average into a term mark by thresholds (one published rule: ≥ 4.65 → 5,
//! ≥ 3.65 → 4, ≥ 2.65 → 3, else 2; other schools use a margin of .5 or .7). Its [`Rounding`] is
//! stated, not implied: with [`Rounding::HalfUp`] the average is first rounded half up to that many
//! decimals and the rounded value is compared (4.645 → 4.65 → «5»); with [`Rounding::Exact`] the
//! exact average is compared (4.645 < 4.65 → «4»).
//!
//! ## What-if, solved exactly
//! With the current sums A = Σ wᵢxᵢ and W = Σ wᵢ, n more marks of value v and weight w give
//! (A + n·w·v) / (W + n·w). Under the rule's rounding the target T is reached once the average is at
//! least T′ (T′ = T for exact comparison; T′ = ⌈T⌉ₚ − ½·10⁻ᵖ when rounding half up to p decimals).
//! So n·w·(v − T′) ≥ T′·W − A: if the average already reaches T′ the answer is 0; if v ≤ T′ no
//! number of such marks reaches it (the average only approaches v); otherwise
//! n = ⌈(T′·W − A) / (w·(v − T′))⌉. Every step is rational arithmetic — no floating point, no
//! loop adding one mark at a time — so "n reaches the target and n − 1 does not" holds exactly.

use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use super::scale::MarkScale;
use crate::explain::{Explanation, Piece, Sym, Term, Topic, Word};
use crate::ids::WorkTypeId;
use crate::text::Name;

/// Why an average, a rule or a what-if could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AverageError {
    /// A weight that is zero or negative.
    #[error("a weight must be above 0, not {0}")]
    WeightNotPositive(Fraction),
    /// The numbers grew beyond exact arithmetic (pathological weights).
    #[error("the numbers are too large to compute exactly")]
    Overflow,
    /// A term rule without thresholds.
    #[error("a term rule needs at least one threshold")]
    NoThresholds,
    /// Thresholds not strictly decreasing.
    #[error("thresholds must go strictly down: {next} follows {previous}")]
    ThresholdsNotDecreasing {
        /// The earlier threshold.
        previous: Fraction,
        /// The one after it.
        next: Fraction,
    },
    /// A rounding rule keeping more than [`MAX_PLACES`] decimals.
    #[error("a rounding rule may keep at most {MAX_PLACES} decimals, not {0}")]
    TooManyPlaces(u8),
    /// A preset margin outside 0..1.
    #[error("the margin must be at least 0 and below 1, not {0}")]
    MarginOutOfRange(Fraction),
}

/// A positive weight of a work type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Fraction", into = "Fraction")]
pub struct Weight(Fraction);

impl Weight {
    /// Validates a positive weight.
    pub fn new(value: Fraction) -> Result<Self, AverageError> {
        if !value.is_positive() {
            return Err(AverageError::WeightNotPositive(value));
        }
        Ok(Self(value))
    }

    /// A whole positive weight (0 is refused).
    pub fn whole(value: u32) -> Result<Self, AverageError> {
        Self::new(Fraction::from(value))
    }

    /// The value.
    pub fn value(&self) -> Fraction {
        self.0
    }
}

impl TryFrom<Fraction> for Weight {
    type Error = AverageError;
    fn try_from(value: Fraction) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Weight> for Fraction {
    fn from(value: Weight) -> Self {
        value.0
    }
}

/// A kind of work with its weight (контрольная 5, работа на уроке 3, домашняя 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkType {
    /// Stable id.
    pub id: WorkTypeId,
    /// «Контрольная работа».
    pub name: Name,
    /// Its weight in the average.
    pub weight: Weight,
}

/// The example preset of the domain reference: контрольная 5, работа на уроке 3, домашняя 1.
pub fn example_work_types(
    control: WorkTypeId,
    lesson: WorkTypeId,
    homework: WorkTypeId,
) -> Vec<WorkType> {
    [
        (control, "Контрольная работа", 5),
        (lesson, "Работа на уроке", 3),
        (homework, "Домашняя работа", 1),
    ]
    .into_iter()
    .map(|(id, name, w)| WorkType {
        id,
        name: Name::parse(name).expect("valid name"),
        weight: Weight::whole(w).expect("positive"),
    })
    .collect()
}

/// Exact sums behind a weighted average of at least one mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Average {
    /// Σ wᵢ·xᵢ.
    pub sum_weighted: Fraction,
    /// Σ wᵢ (always above 0).
    pub total_weight: Fraction,
    /// How many marks.
    pub count: u64,
    /// The lowest mark value.
    pub lowest: Fraction,
    /// The highest mark value.
    pub highest: Fraction,
}

/// One weighted mark for an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What to call it («к/р 12.09»).
    pub label: String,
    /// The mark's value.
    pub value: Fraction,
    /// Its weight.
    pub weight: Weight,
}

impl Average {
    /// The weighted average of `(value, weight)` pairs; `None` for no marks.
    pub fn of(
        items: impl IntoIterator<Item = (Fraction, Weight)>,
    ) -> Result<Option<Self>, AverageError> {
        let mut acc: Option<Self> = None;
        for (value, weight) in items {
            acc = Some(match acc {
                None => Self::single(value, weight)?,
                Some(a) => a.with(value, weight, 1)?,
            });
        }
        Ok(acc)
    }

    /// Builds an average from exact sums (used by the gradebook's integer accumulator).
    pub(crate) fn from_parts(
        sum_weighted: Fraction,
        total_weight: Fraction,
        count: u64,
        lowest: Fraction,
        highest: Fraction,
    ) -> Self {
        Self { sum_weighted, total_weight, count, lowest, highest }
    }

    fn single(value: Fraction, weight: Weight) -> Result<Self, AverageError> {
        let sum_weighted = value.checked_mul(weight.0).ok_or(AverageError::Overflow)?;
        Ok(Self { sum_weighted, total_weight: weight.0, count: 1, lowest: value, highest: value })
    }

    /// The average after `n` more marks of `value` with `weight`.
    pub fn with(&self, value: Fraction, weight: Weight, n: u64) -> Result<Self, AverageError> {
        let n_f = Fraction::new(i128::from(n), 1).map_err(|_| AverageError::Overflow)?;
        let added_weight = weight.0.checked_mul(n_f).ok_or(AverageError::Overflow)?;
        let added = added_weight.checked_mul(value).ok_or(AverageError::Overflow)?;
        Ok(Self {
            sum_weighted: self.sum_weighted.checked_add(added).ok_or(AverageError::Overflow)?,
            total_weight: self
                .total_weight
                .checked_add(added_weight)
                .ok_or(AverageError::Overflow)?,
            count: self.count.saturating_add(n),
            lowest: if n > 0 { self.lowest.min(value) } else { self.lowest },
            highest: if n > 0 { self.highest.max(value) } else { self.highest },
        })
    }

    /// X̄ = Σ wᵢxᵢ / Σ wᵢ, exact.
    pub fn value(&self) -> Fraction {
        self.sum_weighted.checked_div(self.total_weight).unwrap_or(Fraction::ZERO)
    }
}

/// "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44"; the terms are the entries.
pub fn explain_average(entries: &[Entry]) -> Result<Explanation, AverageError> {
    let mut e = Explanation::new(Topic::WeightedAverage);
    let average = Average::of(entries.iter().map(|x| (x.value, x.weight)))?;
    e.terms = entries
        .iter()
        .map(|x| Term { label: x.label.clone(), value: x.value, weight: Some(x.weight.0) })
        .collect();
    let Some(average) = average else {
        return Ok(e);
    };
    e.sym(Sym::Open);
    for (i, x) in entries.iter().enumerate() {
        if i > 0 {
            e.sym(Sym::Plus);
        }
        e.num(x.value).sym(Sym::Times).num(x.weight.0);
    }
    e.sym(Sym::Close).sym(Sym::Divide).sym(Sym::Open);
    for (i, x) in entries.iter().enumerate() {
        if i > 0 {
            e.sym(Sym::Plus);
        }
        e.num(x.weight.0);
    }
    e.sym(Sym::Close).sym(Sym::Equals);
    e.push(Piece::Ratio { num: average.sum_weighted, den: average.total_weight });
    let value = average.value();
    if value.round_half_up(2) == value {
        e.sym(Sym::Equals).num(value);
    } else {
        e.sym(Sym::Approx).push(Piece::Rounded { value, places: 2 });
    }
    Ok(e)
}

/// The most decimals a rounding rule may keep.
pub const MAX_PLACES: u8 = 6;

/// How an average is rounded before it is compared with thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Rounding {
    /// Compare the exact average.
    Exact,
    /// Round half up to `places` decimals (at most [`MAX_PLACES`]), then compare.
    HalfUp {
        /// Decimals kept.
        places: u8,
    },
}

impl Rounding {
    /// The value that is compared.
    pub fn apply(&self, value: Fraction) -> Fraction {
        match self {
            Self::Exact => value,
            Self::HalfUp { places } => value.round_half_up((*places).min(MAX_PLACES)),
        }
    }

    /// The least exact average that counts as reaching `target` under this rounding.
    pub fn effective_threshold(&self, target: Fraction) -> Result<Fraction, AverageError> {
        match self {
            Self::Exact => Ok(target),
            Self::HalfUp { places } => {
                let places = (*places).min(MAX_PLACES);
                let step = Fraction::new(1, 10i128.pow(u32::from(places)) * 2)
                    .map_err(|_| AverageError::Overflow)?;
                target.ceil_to(places).checked_sub(step).ok_or(AverageError::Overflow)
            }
        }
    }
}

/// A term-rule threshold: an average of at least `at_least` gives `mark`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    /// The least (rounded) average.
    pub at_least: Fraction,
    /// The mark label.
    pub mark: Name,
}

/// The fields of a term rule; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRuleDraft {
    /// Thresholds from the highest to the lowest.
    pub thresholds: Vec<Threshold>,
    /// The mark for an average below every threshold.
    pub below: Name,
    /// How the average is rounded before comparing.
    pub rounding: Rounding,
}

/// A validated term rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TermRuleDraft", into = "TermRuleDraft")]
pub struct TermRule(TermRuleDraft);

/// A term mark decided from an average.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMark {
    /// The mark.
    pub mark: Name,
    /// The average as compared (after rounding).
    pub compared: Fraction,
    /// The threshold reached, or `None` when below all of them.
    pub threshold: Option<Fraction>,
}

impl TermRule {
    /// Validates a rule: at least one threshold, strictly decreasing.
    pub fn new(
        thresholds: Vec<Threshold>,
        below: Name,
        rounding: Rounding,
    ) -> Result<Self, AverageError> {
        Self::try_from(TermRuleDraft { thresholds, below, rounding })
    }

    /// The 5-point rule with a margin: ≥ 4 + m → 5, ≥ 3 + m → 4, ≥ 2 + m → 3, else 2
    /// (m = 0.65 gives the published 4.65 / 3.65 / 2.65 rule; 0.5 and 0.7 are also in use).
    pub fn five_point(margin: Fraction, rounding: Rounding) -> Result<Self, AverageError> {
        if margin.is_negative() || margin >= Fraction::ONE {
            return Err(AverageError::MarginOutOfRange(margin));
        }
        let thresholds = [(4, "5"), (3, "4"), (2, "3")]
            .into_iter()
            .map(|(k, mark)| {
                Ok(Threshold {
                    at_least: Fraction::integer(k)
                        .checked_add(margin)
                        .ok_or(AverageError::Overflow)?,
                    mark: Name::parse(mark).expect("valid label"),
                })
            })
            .collect::<Result<_, AverageError>>()?;
        Self::new(thresholds, Name::parse("2").expect("valid label"), rounding)
    }

    /// Thresholds, highest first.
    pub fn thresholds(&self) -> &[Threshold] {
        &self.0.thresholds
    }

    /// The mark below every threshold.
    pub fn below(&self) -> &Name {
        &self.0.below
    }

    /// The rounding rule.
    pub fn rounding(&self) -> Rounding {
        self.0.rounding
    }

    /// The least (rounded) average that gives `mark`, if a threshold gives it: the target of a
    /// what-if such as "what brings me to a 5?".
    pub fn threshold_for(&self, mark: &str) -> Option<Fraction> {
        let key = super::scale::label_key(mark);
        self.0
            .thresholds
            .iter()
            .rev()
            .find(|t| super::scale::label_key(t.mark.as_str()) == key)
            .map(|t| t.at_least)
    }

    /// The term mark for an average.
    pub fn decide(&self, average: Fraction) -> TermMark {
        let compared = self.0.rounding.apply(average);
        match self.0.thresholds.iter().find(|t| compared >= t.at_least) {
            Some(t) => TermMark { mark: t.mark.clone(), compared, threshold: Some(t.at_least) },
            None => TermMark { mark: self.0.below.clone(), compared, threshold: None },
        }
    }

    /// "X̄ = 40/9 ≈ 4.44; rounded to 2 decimals: 4.44 ≥ 3.65 → 4".
    pub fn explain(&self, average: Fraction, decided: &TermMark) -> Explanation {
        let mut e = Explanation::new(Topic::TermMark);
        e.text("X̄").result(average, 2);
        if let Rounding::HalfUp { places } = self.0.rounding {
            e.sym(Sym::Semicolon).word(Word::RoundedTo(places)).sym(Sym::Colon);
            e.num(decided.compared);
        }
        match decided.threshold {
            Some(t) => {
                e.sym(Sym::AtLeast).num(t);
            }
            None => {
                let lowest = self.0.thresholds[self.0.thresholds.len() - 1].at_least;
                e.sym(Sym::Less).num(lowest);
            }
        }
        e.sym(Sym::Arrow).text(decided.mark.as_str());
        e
    }
}

impl TryFrom<TermRuleDraft> for TermRule {
    type Error = AverageError;
    fn try_from(draft: TermRuleDraft) -> Result<Self, Self::Error> {
        if draft.thresholds.is_empty() {
            return Err(AverageError::NoThresholds);
        }
        if let Rounding::HalfUp { places } = draft.rounding
            && places > MAX_PLACES
        {
            return Err(AverageError::TooManyPlaces(places));
        }
        for pair in draft.thresholds.windows(2) {
            if pair[1].at_least >= pair[0].at_least {
                return Err(AverageError::ThresholdsNotDecreasing {
                    previous: pair[0].at_least,
                    next: pair[1].at_least,
                });
            }
        }
        Ok(Self(draft))
    }
}

impl From<TermRule> for TermRuleDraft {
    fn from(value: TermRule) -> Self {
        value.0
    }
}

/// The answer to "how many more marks of this kind reach the target?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum WhatIf {
    /// The current average already reaches the target.
    AlreadyReached,
    /// `count` more marks reach it; the average then is `average`.
    Needs {
        /// How many marks (≥ 1).
        count: u64,
        /// The exact average after them.
        average: Fraction,
    },
    /// No number of such marks reaches the target.
    Unreachable,
}

/// The fewest further marks of `value` with `weight` that bring the average to `target` under
/// `rounding` (see the module docs for the exact solution). `current` is `None` when the student
/// has no marks yet.
pub fn fewest_marks(
    current: Option<&Average>,
    value: Fraction,
    weight: Weight,
    target: Fraction,
    rounding: Rounding,
) -> Result<WhatIf, AverageError> {
    let goal = rounding.effective_threshold(target)?;
    let (a, w_total) = match current {
        Some(avg) if avg.value() >= goal => return Ok(WhatIf::AlreadyReached),
        Some(avg) => (avg.sum_weighted, avg.total_weight),
        None => (Fraction::ZERO, Fraction::ZERO),
    };
    if value <= goal {
        return Ok(WhatIf::Unreachable);
    }
    let overflow = || AverageError::Overflow;
    // n·w·(v − T′) ≥ T′·W − A
    let deficit = goal.checked_mul(w_total).and_then(|x| x.checked_sub(a)).ok_or_else(overflow)?;
    let gain =
        weight.0.checked_mul(value.checked_sub(goal).ok_or_else(overflow)?).ok_or_else(overflow)?;
    let needed = deficit.checked_div(gain).ok_or_else(overflow)?.ceil().max(1);
    let count = u64::try_from(needed).map_err(|_| AverageError::Overflow)?;
    let after = match current {
        Some(avg) => avg.with(value, weight, count)?,
        None => Average::single(value, weight)?.with(value, weight, count - 1)?,
    };
    Ok(WhatIf::Needs { count, average: after.value() })
}

/// The answer to "how many more marks of any value (up to a ceiling) reach the target?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnyWhatIf {
    /// The answer for the best mark allowed (the fewest marks of any value).
    pub answer: WhatIf,
    /// With that many marks: the lowest single mark of the scale that, given every time, is enough.
    pub lowest_uniform: Option<Name>,
    /// With that many marks: the least total of their values that is enough (marks may differ).
    pub least_total: Option<Fraction>,
}

/// The fewest further marks of any scale value ≤ `ceiling` (e.g. ≤ 5) with `weight` reaching
/// `target`, the lowest uniform mark that does it in that many, and the least total of values.
pub fn fewest_marks_any(
    current: Option<&Average>,
    scale: &MarkScale,
    ceiling: Fraction,
    weight: Weight,
    target: Fraction,
    rounding: Rounding,
) -> Result<AnyWhatIf, AverageError> {
    let best = scale.marks().iter().rev().find(|m| m.value <= ceiling);
    let Some(best) = best else {
        return Ok(AnyWhatIf {
            answer: WhatIf::Unreachable,
            lowest_uniform: None,
            least_total: None,
        });
    };
    let answer = fewest_marks(current, best.value, weight, target, rounding)?;
    let WhatIf::Needs { count, .. } = answer else {
        return Ok(AnyWhatIf { answer, lowest_uniform: None, least_total: None });
    };
    let mut lowest_uniform = None;
    for mark in scale.marks().iter().filter(|m| m.value <= ceiling) {
        if let WhatIf::Needs { count: c, .. } =
            fewest_marks(current, mark.value, weight, target, rounding)?
            && c <= count
        {
            lowest_uniform = Some(mark.label.clone());
            break;
        }
    }
    // Σv ≥ (T′·(W + n·w) − A) / w
    let goal = rounding.effective_threshold(target)?;
    let (a, w_total) =
        current.map_or((Fraction::ZERO, Fraction::ZERO), |c| (c.sum_weighted, c.total_weight));
    let n = Fraction::new(i128::from(count), 1).map_err(|_| AverageError::Overflow)?;
    let least_total = weight
        .0
        .checked_mul(n)
        .and_then(|nw| nw.checked_add(w_total))
        .and_then(|total| goal.checked_mul(total))
        .and_then(|x| x.checked_sub(a))
        .and_then(|x| x.checked_div(weight.0))
        .ok_or(AverageError::Overflow)?;
    Ok(AnyWhatIf { answer, lowest_uniform, least_total: Some(least_total) })
}

/// "(40 + 5·5·n) / (9 + 5·n) ≥ 4.645 → 2 marks: 90/19 ≈ 4.74".
pub fn explain_what_if(
    current: Option<&Average>,
    value: Fraction,
    weight: Weight,
    target: Fraction,
    rounding: Rounding,
    answer: &WhatIf,
) -> Result<Explanation, AverageError> {
    let goal = rounding.effective_threshold(target)?;
    let mut e = Explanation::new(Topic::WhatIf);
    e.terms.push(Term { label: String::from("+n"), value, weight: Some(weight.0) });
    if let Rounding::HalfUp { places } = rounding {
        e.word(Word::RoundedTo(places)).sym(Sym::Colon).num(goal).sym(Sym::Arrow).num(target);
        e.push(Piece::Break);
    }
    let (a, w_total) =
        current.map_or((Fraction::ZERO, Fraction::ZERO), |c| (c.sum_weighted, c.total_weight));
    e.sym(Sym::Open).num(a).sym(Sym::Plus).num(value).sym(Sym::Times).num(weight.0);
    e.sym(Sym::Times).text("n").sym(Sym::Close).sym(Sym::Divide).sym(Sym::Open).num(w_total);
    e.sym(Sym::Plus).num(weight.0).sym(Sym::Times).text("n").sym(Sym::Close);
    e.sym(Sym::AtLeast).num(goal).sym(Sym::Arrow);
    match answer {
        WhatIf::AlreadyReached => {
            e.word(Word::AlreadyReached);
        }
        WhatIf::Unreachable => {
            e.word(Word::Unreachable);
        }
        WhatIf::Needs { count, average } => {
            e.text("n").sym(Sym::Equals).num(Fraction::from(*count));
            e.sym(Sym::Arrow).text("X̄").result(*average, 2);
        }
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::explain::Lang;
    use crate::marks::scale::PlusMinus;

    fn f(t: &str) -> Fraction {
        Fraction::parse(t).unwrap()
    }

    fn w(n: u32) -> Weight {
        Weight::whole(n).unwrap()
    }

    fn avg(marks: &[(&str, u32)]) -> Option<Average> {
        Average::of(marks.iter().map(|(v, wt)| (f(v), w(*wt)))).unwrap()
    }

    fn check_average(marks: &[(&str, u32)], expected: Option<&str>) {
        assert_eq!(avg(marks).map(|a| a.value()), expected.map(f), "{marks:?}");
    }

    #[test]
    fn weighted_averages() {
        // Domain check: 5 (урок, w3), 5 (д/з, w1), 4 (к/р, w5) → 40/9 ≈ 4.44, not 4.33.
        check_average(&[("5", 3), ("5", 1), ("4", 5)], Some("40/9"));
        assert_eq!(avg(&[("5", 3), ("5", 1), ("4", 5)]).unwrap().value().decimal(2), "4.44");
        check_average(&[], None);
        check_average(&[("3", 2)], Some("3"));
        check_average(&[("5", 1), ("2", 1)], Some("3.5"));
        check_average(&[("4.75", 1), ("3.75", 3)], Some("4"));
        assert_eq!(Weight::whole(0), Err(AverageError::WeightNotPositive(Fraction::ZERO)));
        assert!(serde_json::from_str::<Weight>("\"-1\"").is_err());
    }

    #[test]
    fn average_is_explained() {
        let entries: Vec<Entry> = [("5", 3, "урок"), ("5", 1, "д/з"), ("4", 5, "к/р")]
            .into_iter()
            .map(|(v, wt, l)| Entry { label: l.into(), value: f(v), weight: w(wt) })
            .collect();
        let e = explain_average(&entries).unwrap();
        assert_eq!(e.render(Lang::En), "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44");
        assert_eq!(e.render(Lang::Ru), "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4,44");
        assert_eq!(e.terms.len(), 3);
        assert_eq!(e.terms[2].weight, Some(f("5")));
        assert!(explain_average(&[]).unwrap().formula.is_empty());
    }

    fn check_term(rule: &TermRule, average: &str, expected: &str) {
        assert_eq!(rule.decide(f(average)).mark.as_str(), expected, "{average}");
    }

    #[test]
    fn term_marks() {
        let exact = TermRule::five_point(f("0.65"), Rounding::Exact).unwrap();
        let rounded = TermRule::five_point(f("0.65"), Rounding::HalfUp { places: 2 }).unwrap();
        let half = TermRule::five_point(f("0.5"), Rounding::Exact).unwrap();
        let seven = TermRule::five_point(f("0.7"), Rounding::HalfUp { places: 1 }).unwrap();
        for (average, e, r, h, s) in [
            ("5", "5", "5", "5", "5"),
            ("4.65", "5", "5", "5", "5"),
            ("4.645", "4", "5", "5", "4"),
            ("4.6449", "4", "4", "5", "4"),
            ("40/9", "4", "4", "4", "4"),
            ("4.5", "4", "4", "5", "4"),
            ("3.65", "4", "4", "4", "4"),
            ("3.64", "3", "3", "4", "3"),
            ("2.65", "3", "3", "3", "3"),
            ("2.5", "2", "2", "3", "2"),
            ("2", "2", "2", "2", "2"),
        ] {
            check_term(&exact, average, e);
            check_term(&rounded, average, r);
            check_term(&half, average, h);
            check_term(&seven, average, s);
        }
        assert_eq!(
            TermRule::five_point(f("1"), Rounding::Exact),
            Err(AverageError::MarginOutOfRange(f("1")))
        );
        assert_eq!(
            TermRule::five_point(f("0.5"), Rounding::HalfUp { places: 7 }),
            Err(AverageError::TooManyPlaces(7))
        );
        assert_eq!(rounded.threshold_for("5"), Some(f("4.65")));
        assert_eq!(rounded.threshold_for("3"), Some(f("2.65")));
        assert_eq!(rounded.threshold_for("2"), None);
        let t = |x: &str, m: &str| Threshold { at_least: f(x), mark: Name::parse(m).unwrap() };
        assert_eq!(
            TermRule::new(
                vec![t("3.5", "4"), t("4.5", "5")],
                Name::parse("3").unwrap(),
                Rounding::Exact
            ),
            Err(AverageError::ThresholdsNotDecreasing { previous: f("3.5"), next: f("4.5") })
        );
        assert_eq!(
            TermRule::new(vec![], Name::parse("3").unwrap(), Rounding::Exact),
            Err(AverageError::NoThresholds)
        );
    }

    #[test]
    fn term_mark_is_explained() {
        let rounded = TermRule::five_point(f("0.65"), Rounding::HalfUp { places: 2 }).unwrap();
        let a = f("40/9");
        assert_eq!(
            rounded.explain(a, &rounded.decide(a)).render(Lang::En),
            "X̄ = 40/9 ≈ 4.44; rounded to 2 decimals: 4.44 ≥ 3.65 → 4"
        );
        let a = f("4.645");
        assert_eq!(
            rounded.explain(a, &rounded.decide(a)).render(Lang::Ru),
            "X̄ = 4,645 ≈ 4,65; округляем до 2 знаков: 4,65 ≥ 4,65 → 5"
        );
        let exact = TermRule::five_point(f("0.65"), Rounding::Exact).unwrap();
        let a = f("2.5");
        assert_eq!(exact.explain(a, &exact.decide(a)).render(Lang::En), "X̄ = 2.5 < 2.65 → 2");
    }

    fn check_what_if(
        marks: &[(&str, u32)],
        value: &str,
        weight: u32,
        target: &str,
        rounding: Rounding,
        expected: WhatIf,
    ) {
        let current = avg(marks);
        let got = fewest_marks(current.as_ref(), f(value), w(weight), f(target), rounding).unwrap();
        assert_eq!(got, expected, "{marks:?} + {value} (w{weight}) → {target}");
    }

    #[test]
    fn what_if() {
        let r2 = Rounding::HalfUp { places: 2 };
        let base = [("5", 3), ("5", 1), ("4", 5)];
        // 40/9: two контрольные (w5) on 5 → 90/19 ≈ 4.74 (one gives 65/14 ≈ 4.643 → 4.64 < 4.65).
        check_what_if(&base, "5", 5, "4.65", r2, WhatIf::Needs { count: 2, average: f("90/19") });
        // Homework (w1) on 5: n ≥ 1.805 / 0.355 → 6.
        check_what_if(&base, "5", 1, "4.65", r2, WhatIf::Needs { count: 6, average: f("14/3") });
        check_what_if(&base, "4", 5, "4.65", r2, WhatIf::Unreachable);
        check_what_if(&base, "4.65", 5, "4.65", Rounding::Exact, WhatIf::Unreachable);
        check_what_if(&base, "5", 5, "4.4", r2, WhatIf::AlreadyReached);
        check_what_if(&[], "5", 1, "4.65", r2, WhatIf::Needs { count: 1, average: f("5") });
        check_what_if(&[], "4", 1, "4.65", r2, WhatIf::Unreachable);
        check_what_if(
            &[("2", 1)],
            "5",
            1,
            "3.65",
            Rounding::Exact,
            WhatIf::Needs { count: 2, average: f("4") },
        );
    }

    #[test]
    fn what_if_any_value() {
        let r2 = Rounding::HalfUp { places: 2 };
        let scale = MarkScale::russian_five(Some(PlusMinus::quarter()));
        let current = avg(&[("5", 3), ("5", 1), ("4", 5)]);
        let any = fewest_marks_any(current.as_ref(), &scale, f("5"), w(5), f("4.65"), r2).unwrap();
        assert_eq!(any.answer, WhatIf::Needs { count: 2, average: f("90/19") });
        // Two uniform 5− (4.75) are not enough: (40 + 2·5·4.75) / 19 ≈ 4.605 < 4.645.
        assert_eq!(any.lowest_uniform.as_ref().map(Name::as_str), Some("5"));
        // Σv ≥ (4.645·19 − 40) / 5 = 9.651: a 5 and a 5− (9.75) are enough.
        assert_eq!(any.least_total, Some(f("9.651")));
        let low = fewest_marks_any(current.as_ref(), &scale, f("4"), w(5), f("4.65"), r2).unwrap();
        assert_eq!(low.answer, WhatIf::Unreachable);
        let easy = fewest_marks_any(current.as_ref(), &scale, f("5"), w(1), f("4.4"), r2).unwrap();
        assert_eq!(easy.answer, WhatIf::AlreadyReached);
    }

    #[test]
    fn what_if_is_explained() {
        let r2 = Rounding::HalfUp { places: 2 };
        let current = avg(&[("5", 3), ("5", 1), ("4", 5)]);
        let answer = fewest_marks(current.as_ref(), f("5"), w(5), f("4.65"), r2).unwrap();
        let e = explain_what_if(current.as_ref(), f("5"), w(5), f("4.65"), r2, &answer).unwrap();
        assert_eq!(
            e.render(Lang::En),
            "rounded to 2 decimals: 4.645 → 4.65\n(40 + 5·5·n) / (9 + 5·n) ≥ 4.645 → n = 2 → X̄ = 90/19 ≈ 4.74"
        );
        let unreachable = explain_what_if(
            current.as_ref(),
            f("4"),
            w(5),
            f("4.65"),
            Rounding::Exact,
            &WhatIf::Unreachable,
        )
        .unwrap();
        assert_eq!(unreachable.render(Lang::Ru), "(40 + 4·5·n) / (9 + 5·n) ≥ 4,65 → недостижимо");
    }

    fn marks_strategy() -> impl Strategy<Value = Vec<(Fraction, Weight)>> {
        proptest::collection::vec((2i128..=20, 1u32..=10), 1..40).prop_map(|v| {
            v.into_iter().map(|(x4, wt)| (Fraction::new(x4, 4).unwrap(), w(wt))).collect()
        })
    }

    proptest! {
        #[test]
        fn average_lies_between_min_and_max(marks in marks_strategy()) {
            let a = Average::of(marks.clone()).unwrap().unwrap();
            let min = marks.iter().map(|m| m.0).min().unwrap();
            let max = marks.iter().map(|m| m.0).max().unwrap();
            prop_assert!(min <= a.value() && a.value() <= max);
            prop_assert_eq!((a.lowest, a.highest), (min, max));
        }

        #[test]
        fn what_if_reaches_and_one_fewer_does_not(
            marks in marks_strategy(),
            value4 in 8i128..=20,
            wt in 1u32..=10,
            target100 in 200i128..=500,
            places in proptest::option::of(0u8..=2),
        ) {
            let current = Average::of(marks).unwrap().unwrap();
            let value = Fraction::new(value4, 4).unwrap();
            let target = Fraction::new(target100, 100).unwrap();
            let rounding = places.map_or(Rounding::Exact, |places| Rounding::HalfUp { places });
            let reaches = |a: &Average| rounding.apply(a.value()) >= target;
            match fewest_marks(Some(&current), value, w(wt), target, rounding).unwrap() {
                WhatIf::AlreadyReached => prop_assert!(reaches(&current)),
                WhatIf::Unreachable => {
                    prop_assert!(!reaches(&current));
                    prop_assert!(!reaches(&current.with(value, w(wt), 10_000).unwrap()));
                }
                WhatIf::Needs { count, average } => {
                    let after = current.with(value, w(wt), count).unwrap();
                    prop_assert_eq!(after.value(), average);
                    prop_assert!(reaches(&after));
                    prop_assert!(!reaches(&current.with(value, w(wt), count - 1).unwrap()));
                }
            }
        }

        #[test]
        fn stored_types_round_trip(margin100 in 0i128..100, places in proptest::option::of(0u8..=3), marks in marks_strategy()) {
            let rounding = places.map_or(Rounding::Exact, |places| Rounding::HalfUp { places });
            let rule = TermRule::five_point(Fraction::new(margin100, 100).unwrap(), rounding).unwrap();
            let json = serde_json::to_string(&rule).unwrap();
            prop_assert_eq!(serde_json::from_str::<TermRule>(&json).unwrap(), rule);
            let a = Average::of(marks).unwrap().unwrap();
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Average>(&json).unwrap(), a);
            let answer = WhatIf::Needs { count: 3, average: a.value() };
            let json = serde_json::to_string(&answer).unwrap();
            prop_assert_eq!(serde_json::from_str::<WhatIf>(&json).unwrap(), answer);
        }
    }
}
