//! Criteria of assessment and the reusable criteria bank.
//!
//! A [`Criterion`] belongs (optionally) to a [`PlannedResult`] (планируемый результат) and has two
//! or more ordered [`Level`]s, each with a label, a teacher's and a student's descriptor and a
//! number of points. A criterion is valid by construction: levels strictly increase in points and
//! their labels are unique (compared after [`normalise`]). The [`CriteriaBank`] keeps a school's or
//! a teacher's criteria for reuse in lessons and rubrics: add, replace, remove, find by planned
//! result and search by normalised text.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{CriterionId, PlannedResultId};
use crate::text::Name;

/// A planned learning result (планируемый результат) that criteria serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedResult {
    /// Stable id.
    pub id: PlannedResultId,
    /// «Умеет находить значение выражения…».
    pub title: Name,
}

/// One level of a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Short label: «не достигнут», «базовый», «3».
    pub label: Name,
    /// What the teacher looks for.
    pub teacher: Name,
    /// The same level in the student's words («Я могу…»).
    pub student: Name,
    /// Points for this level (whole, non-negative).
    pub points: u32,
}

/// Why a criterion was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CriterionError {
    /// Fewer than two levels.
    #[error("a criterion needs at least 2 levels, it has {0}")]
    TooFewLevels(usize),
    /// Points do not strictly increase from one level to the next.
    #[error(
        "level {index} («{label}») has {points} points, not more than the level before it ({previous})"
    )]
    PointsNotIncreasing {
        /// 0-based index of the offending level.
        index: usize,
        /// Its label.
        label: String,
        /// Its points.
        points: u32,
        /// The points of the level before.
        previous: u32,
    },
    /// Two levels share a label.
    #[error("two levels are labelled «{0}»")]
    DuplicateLabel(String),
}

/// The fields of a criterion before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDraft {
    /// Stable id.
    pub id: CriterionId,
    /// The planned result it serves, if any.
    pub planned_result: Option<PlannedResultId>,
    /// «Вычисления», «Аргументация».
    pub title: Name,
    /// Levels from the lowest to the highest.
    pub levels: Vec<Level>,
}

/// A validated criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CriterionDraft", into = "CriterionDraft")]
pub struct Criterion(CriterionDraft);

impl Criterion {
    /// Validates a criterion: ≥ 2 levels, strictly increasing points, unique labels.
    pub fn new(
        id: CriterionId,
        planned_result: Option<PlannedResultId>,
        title: Name,
        levels: Vec<Level>,
    ) -> Result<Self, CriterionError> {
        Self::try_from(CriterionDraft { id, planned_result, title, levels })
    }

    /// Stable id.
    pub fn id(&self) -> CriterionId {
        self.0.id
    }

    /// The planned result it serves.
    pub fn planned_result(&self) -> Option<PlannedResultId> {
        self.0.planned_result
    }

    /// Title.
    pub fn title(&self) -> &Name {
        &self.0.title
    }

    /// Levels, lowest first (at least two).
    pub fn levels(&self) -> &[Level] {
        &self.0.levels
    }

    /// The lowest level's points.
    pub fn min_points(&self) -> u32 {
        self.0.levels[0].points
    }

    /// The highest level's points.
    pub fn max_points(&self) -> u32 {
        self.0.levels[self.0.levels.len() - 1].points
    }

    /// The level with the given label (compared after [`normalise`]).
    pub fn level_by_label(&self, label: &str) -> Option<(usize, &Level)> {
        let key = normalise(label);
        self.0.levels.iter().enumerate().find(|(_, l)| normalise(l.label.as_str()) == key)
    }

    /// Everything searchable about the criterion, normalised.
    fn haystack(&self) -> String {
        let mut text = normalise(self.0.title.as_str());
        for level in &self.0.levels {
            for part in [&level.label, &level.teacher, &level.student] {
                text.push(' ');
                text.push_str(&normalise(part.as_str()));
            }
        }
        text
    }
}

impl TryFrom<CriterionDraft> for Criterion {
    type Error = CriterionError;
    fn try_from(draft: CriterionDraft) -> Result<Self, Self::Error> {
        if draft.levels.len() < 2 {
            return Err(CriterionError::TooFewLevels(draft.levels.len()));
        }
        for (index, pair) in draft.levels.windows(2).enumerate() {
            if pair[1].points <= pair[0].points {
                return Err(CriterionError::PointsNotIncreasing {
                    index: index + 1,
                    label: pair[1].label.to_string(),
                    points: pair[1].points,
                    previous: pair[0].points,
                });
            }
        }
        let mut seen = BTreeSet::new();
        for level in &draft.levels {
            if !seen.insert(normalise(level.label.as_str())) {
                return Err(CriterionError::DuplicateLabel(level.label.to_string()));
            }
        }
        Ok(Self(draft))
    }
}

impl From<Criterion> for CriterionDraft {
    fn from(value: Criterion) -> Self {
        value.0
    }
}

/// Normalises a text for matching: lower case, ё → е, punctuation to spaces, spaces folded.
pub fn normalise(text: &str) -> String {
    let mapped: String = text
        .chars()
        .flat_map(crate::text::fold_char)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    crate::text::fold_spaces(&mapped)
}

/// Why a bank change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankError {
    /// A criterion with this id is already in the bank.
    #[error("criterion {0} is already in the bank")]
    DuplicateCriterion(CriterionId),
    /// No criterion with this id.
    #[error("criterion {0} is not in the bank")]
    UnknownCriterion(CriterionId),
    /// A planned result with this id is already in the bank.
    #[error("planned result {0} is already in the bank")]
    DuplicatePlannedResult(PlannedResultId),
    /// A criterion refers to a planned result the bank does not have.
    #[error("planned result {0} is not in the bank")]
    UnknownPlannedResult(PlannedResultId),
    /// A planned result cannot be removed while criteria refer to it.
    #[error("planned result {result} is used by {criteria} criteria")]
    PlannedResultInUse {
        /// The planned result.
        result: PlannedResultId,
        /// How many criteria refer to it.
        criteria: usize,
    },
}

/// The serialised form of a bank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDraft {
    /// Planned results, in the order they were added.
    pub planned_results: Vec<PlannedResult>,
    /// Criteria, in the order they were added.
    pub criteria: Vec<Criterion>,
}

/// A reusable bank of planned results and criteria (ids unique, references resolved).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BankDraft", into = "BankDraft")]
pub struct CriteriaBank(BankDraft);

impl CriteriaBank {
    /// An empty bank.
    pub fn new() -> Self {
        Self::default()
    }

    /// Planned results in the order they were added.
    pub fn planned_results(&self) -> &[PlannedResult] {
        &self.0.planned_results
    }

    /// Criteria in the order they were added.
    pub fn criteria(&self) -> &[Criterion] {
        &self.0.criteria
    }

    /// Adds a planned result.
    pub fn add_planned_result(&mut self, result: PlannedResult) -> Result<(), BankError> {
        if self.0.planned_results.iter().any(|r| r.id == result.id) {
            return Err(BankError::DuplicatePlannedResult(result.id));
        }
        self.0.planned_results.push(result);
        Ok(())
    }

    /// Removes a planned result no criterion refers to.
    pub fn remove_planned_result(
        &mut self,
        id: PlannedResultId,
    ) -> Result<PlannedResult, BankError> {
        let criteria = self.find_by_planned_result(id).count();
        let index = self
            .0
            .planned_results
            .iter()
            .position(|r| r.id == id)
            .ok_or(BankError::UnknownPlannedResult(id))?;
        if criteria > 0 {
            return Err(BankError::PlannedResultInUse { result: id, criteria });
        }
        Ok(self.0.planned_results.remove(index))
    }

    /// Finds a criterion.
    pub fn get(&self, id: CriterionId) -> Option<&Criterion> {
        self.0.criteria.iter().find(|c| c.id() == id)
    }

    /// Adds a new criterion (its planned result, if any, must be in the bank).
    pub fn add(&mut self, criterion: Criterion) -> Result<(), BankError> {
        if self.get(criterion.id()).is_some() {
            return Err(BankError::DuplicateCriterion(criterion.id()));
        }
        self.check_reference(&criterion)?;
        self.0.criteria.push(criterion);
        Ok(())
    }

    /// Replaces the criterion with the same id, keeping its place; returns the old one.
    pub fn replace(&mut self, criterion: Criterion) -> Result<Criterion, BankError> {
        self.check_reference(&criterion)?;
        let slot = self
            .0
            .criteria
            .iter_mut()
            .find(|c| c.id() == criterion.id())
            .ok_or(BankError::UnknownCriterion(criterion.id()))?;
        Ok(std::mem::replace(slot, criterion))
    }

    /// Removes a criterion and returns it.
    pub fn remove(&mut self, id: CriterionId) -> Result<Criterion, BankError> {
        let index = self
            .0
            .criteria
            .iter()
            .position(|c| c.id() == id)
            .ok_or(BankError::UnknownCriterion(id))?;
        Ok(self.0.criteria.remove(index))
    }

    /// The criteria serving a planned result, in bank order.
    pub fn find_by_planned_result(
        &self,
        id: PlannedResultId,
    ) -> impl Iterator<Item = &Criterion> + '_ {
        self.0.criteria.iter().filter(move |c| c.planned_result() == Some(id))
    }

    /// The criteria whose title or level texts contain every word of the query (after
    /// [`normalise`]: case, ё/е and punctuation do not matter), in bank order. An empty query
    /// matches everything.
    pub fn search(&self, query: &str) -> Vec<&Criterion> {
        let query = normalise(query);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        self.0
            .criteria
            .iter()
            .filter(|c| {
                let hay = c.haystack();
                words.iter().all(|w| hay.contains(w))
            })
            .collect()
    }

    fn check_reference(&self, criterion: &Criterion) -> Result<(), BankError> {
        match criterion.planned_result() {
            Some(id) if !self.0.planned_results.iter().any(|r| r.id == id) => {
                Err(BankError::UnknownPlannedResult(id))
            }
            _ => Ok(()),
        }
    }
}

impl TryFrom<BankDraft> for CriteriaBank {
    type Error = BankError;
    fn try_from(draft: BankDraft) -> Result<Self, Self::Error> {
        let mut bank = CriteriaBank::new();
        for result in draft.planned_results {
            bank.add_planned_result(result)?;
        }
        for criterion in draft.criteria {
            bank.add(criterion)?;
        }
        Ok(bank)
    }
}

impl From<CriteriaBank> for BankDraft {
    fn from(value: CriteriaBank) -> Self {
        value.0
    }
}

/// Test and bench helpers: a level from plain texts.
#[cfg(test)]
pub(crate) fn level(label: &str, points: u32) -> Level {
    Level {
        label: Name::parse(label).unwrap(),
        teacher: Name::parse(&format!("учитель: {label}")).unwrap(),
        student: Name::parse(&format!("я: {label}")).unwrap(),
        points,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn name(t: &str) -> Name {
        Name::parse(t).unwrap()
    }

    fn check(levels: &[(&str, u32)], expected: Result<(), CriterionError>) {
        let built = levels.iter().map(|(l, p)| level(l, *p)).collect();
        let got = Criterion::new(CriterionId::from_u128(1), None, name("Вычисления"), built);
        assert_eq!(got.map(|_| ()), expected, "{levels:?}");
    }

    #[test]
    fn criterion_validation() {
        check(&[("не достигнут", 0), ("базовый", 1), ("повышенный", 2)], Ok(()));
        check(&[("0", 0), ("2", 2)], Ok(()));
        check(&[("один", 1)], Err(CriterionError::TooFewLevels(1)));
        check(&[], Err(CriterionError::TooFewLevels(0)));
        check(
            &[("a", 0), ("b", 2), ("c", 2)],
            Err(CriterionError::PointsNotIncreasing {
                index: 2,
                label: "c".into(),
                points: 2,
                previous: 2,
            }),
        );
        check(
            &[("a", 3), ("b", 1)],
            Err(CriterionError::PointsNotIncreasing {
                index: 1,
                label: "b".into(),
                points: 1,
                previous: 3,
            }),
        );
        check(
            &[("Базовый", 0), ("базовый!", 1)],
            Err(CriterionError::DuplicateLabel("базовый!".into())),
        );
    }

    #[test]
    fn normalising() {
        for (raw, expected) in [
            ("  Ёлка, ЁЖИК!  ", "елка ежик"),
            ("Решает\tзадачи — part 2", "решает задачи part 2"),
            ("...", ""),
        ] {
            assert_eq!(normalise(raw), expected);
        }
    }

    fn criterion(id: u128, planned: Option<u128>, title: &str) -> Criterion {
        Criterion::new(
            CriterionId::from_u128(id),
            planned.map(PlannedResultId::from_u128),
            name(title),
            vec![level("нет", 0), level("частично", 1), level("полностью", 2)],
        )
        .unwrap()
    }

    fn bank() -> CriteriaBank {
        let mut bank = CriteriaBank::new();
        for (id, title) in [(10, "Вычисляет значения выражений"), (11, "Решает текстовые задачи")]
        {
            bank.add_planned_result(PlannedResult {
                id: PlannedResultId::from_u128(id),
                title: name(title),
            })
            .unwrap();
        }
        bank.add(criterion(1, Some(10), "Порядок действий")).unwrap();
        bank.add(criterion(2, Some(11), "Краткая запись задачи")).unwrap();
        bank.add(criterion(3, Some(10), "Действия с дробями; ёмкость")).unwrap();
        bank.add(criterion(4, None, "Аккуратность")).unwrap();
        bank
    }

    fn ids<'a>(found: impl IntoIterator<Item = &'a Criterion>) -> Vec<u128> {
        found.into_iter().map(|c| c.id().as_uuid().as_u128()).collect()
    }

    #[test]
    fn bank_search_and_lookup() {
        let bank = bank();
        for (query, expected) in [
            ("порядок", vec![1]),
            ("ЕМКОСТЬ", vec![3]),
            ("дробями, емкость!", vec![3]),
            ("задачи", vec![2]),
            ("частично", vec![1, 2, 3, 4]),
            ("", vec![1, 2, 3, 4]),
            ("нет такого", vec![]),
        ] {
            assert_eq!(ids(bank.search(query)), expected, "{query}");
        }
        assert_eq!(ids(bank.find_by_planned_result(PlannedResultId::from_u128(10))), [1, 3]);
        assert_eq!(ids(bank.find_by_planned_result(PlannedResultId::from_u128(99))), [0u128; 0]);
    }

    #[test]
    fn bank_changes() {
        let mut bank = bank();
        assert_eq!(
            bank.add(criterion(1, None, "x")),
            Err(BankError::DuplicateCriterion(CriterionId::from_u128(1)))
        );
        assert_eq!(
            bank.add(criterion(5, Some(99), "x")),
            Err(BankError::UnknownPlannedResult(PlannedResultId::from_u128(99)))
        );
        let old = bank.replace(criterion(2, None, "Схема к задаче")).unwrap();
        assert_eq!(old.title().as_str(), "Краткая запись задачи");
        assert_eq!(ids(bank.search("схема")), [2]);
        assert_eq!(ids(bank.criteria()), [1, 2, 3, 4]);
        assert_eq!(
            bank.replace(criterion(9, None, "x")),
            Err(BankError::UnknownCriterion(CriterionId::from_u128(9)))
        );
        assert_eq!(
            bank.remove_planned_result(PlannedResultId::from_u128(10)),
            Err(BankError::PlannedResultInUse {
                result: PlannedResultId::from_u128(10),
                criteria: 2
            })
        );
        assert_eq!(bank.remove(CriterionId::from_u128(3)).unwrap().id(), CriterionId::from_u128(3));
        assert!(bank.remove(CriterionId::from_u128(3)).is_err());
        bank.remove(CriterionId::from_u128(1)).unwrap();
        assert!(bank.remove_planned_result(PlannedResultId::from_u128(10)).is_ok());
        assert_eq!(ids(bank.criteria()), [2, 4]);
    }

    #[test]
    fn serde_validates() {
        let bank = bank();
        let json = serde_json::to_string(&bank).unwrap();
        assert_eq!(serde_json::from_str::<CriteriaBank>(&json).unwrap(), bank);
        let bad = r#"{"id":"00000000-0000-0000-0000-000000000001","planned_result":null,
            "title":"x","levels":[{"label":"a","teacher":"t","student":"s","points":1}]}"#;
        assert!(serde_json::from_str::<Criterion>(bad).is_err());
        let dangling = r#"{"planned_results":[],"criteria":[{"id":"00000000-0000-0000-0000-000000000001",
            "planned_result":"00000000-0000-0000-0000-000000000009","title":"x","levels":[
            {"label":"a","teacher":"t","student":"s","points":0},
            {"label":"b","teacher":"t","student":"s","points":1}]}]}"#;
        assert!(serde_json::from_str::<CriteriaBank>(dangling).is_err());
    }

    proptest! {
        #[test]
        fn criteria_round_trip(points in proptest::collection::btree_set(0u32..100, 2..6)) {
            let levels: Vec<Level> =
                points.iter().enumerate().map(|(i, p)| level(&format!("L{i}"), *p)).collect();
            let c = Criterion::new(CriterionId::from_u128(7), None, name("t"), levels).unwrap();
            let json = serde_json::to_string(&c).unwrap();
            prop_assert_eq!(serde_json::from_str::<Criterion>(&json).unwrap(), c);
        }
    }
}
