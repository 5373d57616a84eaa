//! A school's marking policy: its scale, work types with weights, term rule and points tables.
//!
//! [`MarkingPolicy`] checks that everything refers to the same scale: every band of every table
//! and every term-rule mark is a mark of the scale, and marks never go down as bands or
//! thresholds go up. It also prepares the integer form of weights and values used by the
//! gradebook: with D_w the least common denominator of the weights and D_x that of the mark
//! values, every wᵢ·D_w and xᵢ·D_x is a whole number, so Σ wᵢxᵢ and Σ wᵢ are sums of integers and
//! X̄ = Σ(wᵢD_w·xᵢD_x) / (Σ(wᵢD_w) · D_x) — exact and with no fraction reduction per mark.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::average::{Rounding, TermRule, WorkType, example_work_types};
use super::exact::Fraction;
use super::scale::{MarkScale, label_key};
use super::table::MarkTable;
use super::table::presets::percent_50_70_90;
use crate::ids::WorkTypeId;

/// «Контрольная работа» of [`MarkingPolicy::school_default`]. The default work types have fixed
/// ids, so the defaults of every device (and of every shell) agree.
pub const CONTROL_WORK: WorkTypeId = WorkTypeId::from_u128(1);
/// «Работа на уроке» of [`MarkingPolicy::school_default`].
pub const LESSON_WORK: WorkTypeId = WorkTypeId::from_u128(2);
/// «Домашняя работа» of [`MarkingPolicy::school_default`].
pub const HOMEWORK: WorkTypeId = WorkTypeId::from_u128(3);

/// Where in a policy a mark was found: its term rule or one of its tables. `Display` is the
/// English the CLI prints («term rule», «table «ОГЭ 19»»); shells translate the variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPlace {
    /// The term rule's thresholds (and its mark below them).
    TermRule,
    /// The points → mark table of this name.
    Table(String),
}

impl std::fmt::Display for PolicyPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TermRule => f.write_str("term rule"),
            Self::Table(name) => write!(f, "table «{name}»"),
        }
    }
}

/// Why a policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// No work types.
    #[error("the policy needs at least one work type")]
    NoWorkTypes,
    /// Two work types share an id.
    #[error("work type {0} is listed twice")]
    DuplicateWorkType(WorkTypeId),
    /// Two work types share a name.
    #[error("two work types are called «{0}»")]
    DuplicateWorkTypeName(String),
    /// Two tables share a name.
    #[error("two tables are called «{0}»")]
    DuplicateTableName(String),
    /// A table or the term rule names a mark the scale does not have.
    #[error("{place} gives «{label}», which is not a mark of the scale")]
    NotOnScale {
        /// Where the mark was found.
        place: PolicyPlace,
        /// The label.
        label: String,
    },
    /// A higher band or threshold gives a lower mark.
    #[error("{place}: «{higher}» is given above «{lower}» but is a lower mark")]
    MarksGoDown {
        /// Where.
        place: PolicyPlace,
        /// The mark given for the higher band.
        higher: String,
        /// The mark given for the lower band.
        lower: String,
    },
    /// Denominators too large for exact integer sums.
    #[error("the weights and mark values have denominators too large to add exactly")]
    Overflow,
}

/// The fields of a policy before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDraft {
    /// The mark scale.
    pub scale: MarkScale,
    /// Work types and their weights.
    pub work_types: Vec<WorkType>,
    /// From average to term mark.
    pub term_rule: TermRule,
    /// Points → mark tables.
    #[serde(default)]
    pub tables: Vec<MarkTable>,
}

/// Integer units of weights and values (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Units {
    /// D_w.
    pub weight_den: i128,
    /// D_x.
    pub value_den: i128,
    /// wᵢ·D_w per work type, in the policy's order.
    pub weights: Vec<(WorkTypeId, i128)>,
    /// xᵢ·D_x per scale mark, in scale order.
    pub values: Vec<i128>,
}

/// A validated marking policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicyDraft", into = "PolicyDraft")]
pub struct MarkingPolicy {
    draft: PolicyDraft,
    units: Units,
}

fn lcm(a: i128, b: i128) -> Option<i128> {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    (a / x).checked_mul(b)
}

impl MarkingPolicy {
    /// Validates a policy.
    pub fn new(
        scale: MarkScale,
        work_types: Vec<WorkType>,
        term_rule: TermRule,
        tables: Vec<MarkTable>,
    ) -> Result<Self, PolicyError> {
        Self::try_from(PolicyDraft { scale, work_types, term_rule, tables })
    }

    /// The defaults of the domain reference, used until a school sets its own: the 5-point
    /// scale; контрольная 5, работа на уроке 3, домашняя 1 ([`CONTROL_WORK`], [`LESSON_WORK`],
    /// [`HOMEWORK`]); term mark ≥ 4.65 → 5, ≥ 3.65 → 4, ≥ 2.65 → 3 after rounding half up to 2
    /// decimals; the band table < 50 % → 2, 50–69 → 3, 70–89 → 4, ≥ 90 → 5.
    pub fn school_default() -> Self {
        let margin = Fraction::new(65, 100).expect("a valid fraction");
        let rule = TermRule::five_point(margin, Rounding::HalfUp { places: 2 })
            .expect("the default rule is valid");
        Self::new(
            MarkScale::russian_five(None),
            example_work_types(CONTROL_WORK, LESSON_WORK, HOMEWORK),
            rule,
            vec![percent_50_70_90()],
        )
        .expect("the default policy is valid")
    }

    /// The scale.
    pub fn scale(&self) -> &MarkScale {
        &self.draft.scale
    }

    /// Work types.
    pub fn work_types(&self) -> &[WorkType] {
        &self.draft.work_types
    }

    /// A work type by id.
    pub fn work_type(&self, id: WorkTypeId) -> Option<&WorkType> {
        self.draft.work_types.iter().find(|w| w.id == id)
    }

    /// The term rule.
    pub fn term_rule(&self) -> &TermRule {
        &self.draft.term_rule
    }

    /// Tables.
    pub fn tables(&self) -> &[MarkTable] {
        &self.draft.tables
    }

    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&MarkTable> {
        self.draft.tables.iter().find(|t| t.name().as_str() == name)
    }

    pub(crate) fn units(&self) -> &Units {
        &self.units
    }

    fn position(&self, place: &PolicyPlace, label: &str) -> Result<usize, PolicyError> {
        self.draft.scale.position(label).ok_or_else(|| PolicyError::NotOnScale {
            place: place.clone(),
            label: label.to_owned(),
        })
    }

    /// Checks that marks given in order from lower to higher never go down on the scale.
    fn check_rising<'a>(
        &self,
        place: &PolicyPlace,
        labels: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), PolicyError> {
        let mut previous: Option<(usize, &str)> = None;
        for label in labels {
            let pos = self.position(place, label)?;
            if let Some((p, lower)) = previous {
                let values = self.draft.scale.marks();
                if values[pos].value < values[p].value {
                    return Err(PolicyError::MarksGoDown {
                        place: place.clone(),
                        higher: label.to_owned(),
                        lower: lower.to_owned(),
                    });
                }
            }
            previous = Some((pos, label));
        }
        Ok(())
    }
}

impl TryFrom<PolicyDraft> for MarkingPolicy {
    type Error = PolicyError;
    fn try_from(draft: PolicyDraft) -> Result<Self, Self::Error> {
        if draft.work_types.is_empty() {
            return Err(PolicyError::NoWorkTypes);
        }
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for w in &draft.work_types {
            if !ids.insert(w.id) {
                return Err(PolicyError::DuplicateWorkType(w.id));
            }
            if !names.insert(label_key(&w.name.key())) {
                return Err(PolicyError::DuplicateWorkTypeName(w.name.to_string()));
            }
        }
        let mut table_names = BTreeSet::new();
        for t in &draft.tables {
            if !table_names.insert(t.name().as_str()) {
                return Err(PolicyError::DuplicateTableName(t.name().to_string()));
            }
        }
        let weight_den = draft
            .work_types
            .iter()
            .try_fold(1i128, |acc, w| lcm(acc, w.weight.value().denom()))
            .ok_or(PolicyError::Overflow)?;
        let value_den = draft
            .scale
            .marks()
            .iter()
            .try_fold(1i128, |acc, m| lcm(acc, m.value.denom()))
            .ok_or(PolicyError::Overflow)?;
        let scaled = |x: Fraction, den: i128| {
            x.checked_mul(Fraction::new(den, 1).map_err(|_| PolicyError::Overflow)?)
                .map(|v| v.numer())
                .ok_or(PolicyError::Overflow)
        };
        let weights = draft
            .work_types
            .iter()
            .map(|w| Ok((w.id, scaled(w.weight.value(), weight_den)?)))
            .collect::<Result<_, PolicyError>>()?;
        let values = draft
            .scale
            .marks()
            .iter()
            .map(|m| scaled(m.value, value_den))
            .collect::<Result<_, PolicyError>>()?;
        weight_den.checked_mul(value_den).ok_or(PolicyError::Overflow)?;
        let policy = Self { units: Units { weight_den, value_den, weights, values }, draft };
        let rule = &policy.draft.term_rule;
        let rule_marks: Vec<&str> = std::iter::once(rule.below().as_str())
            .chain(rule.thresholds().iter().rev().map(|t| t.mark.as_str()))
            .collect();
        policy.check_rising(&PolicyPlace::TermRule, rule_marks)?;
        for t in &policy.draft.tables {
            let place = PolicyPlace::Table(t.name().to_string());
            policy.check_rising(&place, t.bands().iter().map(|b| b.mark.as_str()))?;
        }
        Ok(policy)
    }
}

impl From<MarkingPolicy> for PolicyDraft {
    fn from(value: MarkingPolicy) -> Self {
        value.draft
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::marks::average::{Threshold, Weight, WorkType};
    use crate::marks::gradebook::Period;
    use crate::marks::scale::PlusMinus;
    use crate::marks::table::Facts;
    use crate::marks::table::presets::{conditioned_30, oge_19, percent_50_70_90};
    use crate::text::Name;

    pub(crate) const CONTROL: WorkTypeId = CONTROL_WORK;
    pub(crate) const LESSON: WorkTypeId = LESSON_WORK;
    pub(crate) const HOMEWORK: WorkTypeId = super::HOMEWORK;

    /// The example policy: 5-point with ± = 0.25, к/р 5, урок 3, д/з 1, the 4.65 rule rounded
    /// to 2 decimals and the three tables of the domain reference.
    pub(crate) fn example() -> MarkingPolicy {
        MarkingPolicy::new(
            MarkScale::russian_five(Some(PlusMinus::quarter())),
            example_work_types(CONTROL, LESSON, HOMEWORK),
            TermRule::five_point(Fraction::parse("0.65").unwrap(), Rounding::HalfUp { places: 2 })
                .unwrap(),
            vec![percent_50_70_90(), oge_19(), conditioned_30("задания части 2")],
        )
        .unwrap()
    }

    #[test]
    fn example_policy_and_its_units() {
        let p = example();
        assert_eq!((p.units().weight_den, p.units().value_den), (1, 4));
        assert_eq!(p.units().weights, vec![(CONTROL, 5), (LESSON, 3), (HOMEWORK, 1)]);
        assert_eq!(p.units().values, vec![8, 9, 11, 12, 13, 15, 16, 17, 19, 20]);
        assert!(p.table("ОГЭ 19").is_some());
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<MarkingPolicy>(&json).unwrap(), p);
    }

    #[test]
    fn the_school_default_is_the_domain_reference() {
        let p = MarkingPolicy::school_default();
        let weights: Vec<(WorkTypeId, String, String)> = p
            .work_types()
            .iter()
            .map(|w| (w.id, w.name.to_string(), w.weight.value().exact_text()))
            .collect();
        let row = |id, name: &str, w: &str| (id, name.to_owned(), w.to_owned());
        assert_eq!(
            weights,
            [
                row(CONTROL_WORK, "Контрольная работа", "5"),
                row(LESSON_WORK, "Работа на уроке", "3"),
                row(HOMEWORK, "Домашняя работа", "1"),
            ]
        );
        assert_eq!(p.scale().highest().label.as_str(), "5");
        assert_eq!(p.scale().marks().len(), 4);
        assert_eq!(p.term_rule().rounding(), Rounding::HalfUp { places: 2 });
        assert_eq!(p.term_rule().threshold_for("5"), Some(Fraction::parse("4.65").unwrap()));
        assert_eq!(p.tables().len(), 1);
        // Two devices make the same default: equal, and equal to what the other stored.
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            serde_json::from_str::<MarkingPolicy>(&json).unwrap(),
            MarkingPolicy::school_default()
        );
    }

    fn check(draft: PolicyDraft, expected: Result<(), PolicyError>) {
        assert_eq!(MarkingPolicy::try_from(draft).map(|_| ()), expected);
    }

    #[test]
    fn validation() {
        let base: PolicyDraft = example().into();
        let mut d = base.clone();
        d.work_types.clear();
        check(d, Err(PolicyError::NoWorkTypes));
        let mut d = base.clone();
        d.work_types.push(d.work_types[0].clone());
        check(d, Err(PolicyError::DuplicateWorkType(CONTROL)));
        let mut d = base.clone();
        d.work_types[1].name = d.work_types[0].name.clone();
        check(d, Err(PolicyError::DuplicateWorkTypeName("Контрольная работа".into())));
        let mut d = base.clone();
        d.tables.push(oge_19());
        check(d, Err(PolicyError::DuplicateTableName("ОГЭ 19".into())));
        let mut d = base.clone();
        d.scale = MarkScale::ten_point();
        check(d, Ok(()));
        let mut d = base.clone();
        d.scale = MarkScale::pass_fail();
        check(d, Err(PolicyError::NotOnScale { place: PolicyPlace::TermRule, label: "2".into() }));
        // The English the CLI prints names the place as before.
        let table = PolicyPlace::Table("ОГЭ 19".into());
        let text = PolicyError::NotOnScale { place: table, label: "2".into() }.to_string();
        assert_eq!(text, "table «ОГЭ 19» gives «2», which is not a mark of the scale");
        assert_eq!(PolicyPlace::TermRule.to_string(), "term rule");
        let mut d = base.clone();
        let name = |t: &str| Name::parse(t).unwrap();
        d.term_rule = TermRule::new(
            vec![
                Threshold { at_least: Fraction::integer(4), mark: name("4") },
                Threshold { at_least: Fraction::integer(3), mark: name("5") },
            ],
            name("2"),
            Rounding::Exact,
        )
        .unwrap();
        check(
            d,
            Err(PolicyError::MarksGoDown {
                place: PolicyPlace::TermRule,
                higher: "4".into(),
                lower: "5".into(),
            }),
        );
    }

    fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).unwrap();
        prop_assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value);
        Ok(())
    }

    proptest! {
        #[test]
        fn stored_types_round_trip(
            weights in proptest::collection::vec((1i128..=50, 1i128..=4), 1..6),
            offset in proptest::option::of(0i128..=12),
            days in (0u32..300, 0u32..300),
            count in 0u32..10,
        ) {
            let work_types: Vec<WorkType> = weights
                .iter()
                .enumerate()
                .map(|(i, (n, d))| WorkType {
                    id: WorkTypeId::from_u128(i as u128 + 1),
                    name: Name::parse(&format!("вид {i}")).unwrap(),
                    weight: Weight::new(Fraction::new(*n, *d).unwrap()).unwrap(),
                })
                .collect();
            let pm = offset.map(|o| PlusMinus::new(Fraction::new(o, 24).unwrap()).unwrap());
            let policy = MarkingPolicy::new(
                MarkScale::russian_five(pm),
                work_types.clone(),
                example().term_rule().clone(),
                example().tables().to_vec(),
            )
            .unwrap();
            round_trip(&policy)?;
            round_trip(&work_types)?;
            let start = chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap();
            let (a, b) = (start + chrono::Days::new(u64::from(days.0.min(days.1))), start + chrono::Days::new(u64::from(days.0.max(days.1))));
            round_trip(&Period::new(a, b).unwrap())?;
            let facts = Facts::new().with("задания части 2", count);
            round_trip(&facts)?;
            let table = &policy.tables()[2];
            let choice = table.lookup(Fraction::from(count * 3), Fraction::integer(30), &facts).unwrap();
            round_trip(&choice)?;
            round_trip(&table.explain(Fraction::from(count * 3), &choice))?;
        }
    }
}
