//! Rubrics with immutable used versions, assessments and rubric scores.
//!
//! A [`Rubric`] is a set of criteria kept as numbered [`RubricVersion`]s (1, 2, …). Once an
//! assessment uses a version, that version is frozen: [`Rubric::edit`] of a used latest version
//! adds a new version, while an edit of an unused latest version replaces it in place. An
//! [`Assessment`] pins `(rubric id, version number)` and chooses one level per criterion of that
//! version.
//!
//! Score: S = Σ chosen level points; S_min and S_max are the sums of the lowest and highest level
//! points. [`Score::normalise`] gives a grade G out of G_max, either as Moodle does by default,
//! G = S / S_max · G_max ([`Normalisation::OfMaximum`]), or G = (S − S_min) / (S_max − S_min) · G_max
//! ([`Normalisation::MinToMax`]). A zero denominator is a typed error, never NaN.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::criteria::Criterion;
use crate::explain::{Explanation, Sym, Term, Topic, Word};
use crate::ids::{AssessmentId, CriterionId, RubricId, StudentId};
use crate::marks::Fraction;
use crate::text::Name;

/// Why a rubric change, an assessment or a score was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    /// A version without criteria.
    #[error("a rubric version needs at least one criterion")]
    NoCriteria,
    /// A criterion appears twice in a version.
    #[error("criterion {0} appears twice in the rubric")]
    DuplicateCriterion(CriterionId),
    /// The highest levels' points add up beyond what a score can hold.
    #[error("the criteria's points add up to more than {}", u32::MAX)]
    TooManyPoints,
    /// A rubric without versions.
    #[error("a rubric needs at least one version")]
    NoVersions,
    /// Versions not numbered 1, 2, 3…
    #[error("version {found} stands where version {expected} should be")]
    VersionsOutOfOrder {
        /// The number expected at that place.
        expected: u32,
        /// The number found.
        found: u32,
    },
    /// A version the rubric does not have.
    #[error("the rubric has no version {0}")]
    UnknownVersion(u32),
    /// An assessment of another rubric.
    #[error("the assessment is for rubric {found}, not {expected}")]
    WrongRubric {
        /// This rubric.
        expected: RubricId,
        /// The assessment's rubric.
        found: RubricId,
    },
    /// A criterion of the version has no chosen level.
    #[error("no level chosen for criterion {0}")]
    MissingChoice(CriterionId),
    /// A choice for a criterion the version does not have.
    #[error("criterion {0} is not in this rubric version")]
    UnknownCriterion(CriterionId),
    /// Two choices for one criterion.
    #[error("two levels chosen for criterion {0}")]
    DuplicateChoice(CriterionId),
    /// A level index beyond the criterion's levels.
    #[error("criterion {criterion} has {levels} levels; level {level} does not exist")]
    LevelOutOfRange {
        /// The criterion.
        criterion: CriterionId,
        /// The 0-based level chosen.
        level: usize,
        /// How many levels it has.
        levels: usize,
    },
}

/// Why a score could not be normalised or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// S outside S_min..=S_max.
    #[error("score {s} is outside {min}..={max}")]
    OutOfRange {
        /// S.
        s: u32,
        /// S_min.
        min: u32,
        /// S_max.
        max: u32,
    },
    /// S_max = 0: S / S_max is undefined.
    #[error("the maximum score is 0, so the score cannot be scaled")]
    ZeroMaximum,
    /// S_max = S_min: (S − S_min) / (S_max − S_min) is undefined.
    #[error("the lowest and highest scores are equal ({0}), so the score cannot be scaled")]
    NoSpread(u32),
    /// G_max ≤ 0.
    #[error("the grade maximum must be above 0, not {0}")]
    GradeMaxNotPositive(Fraction),
    /// Too large to compute exactly.
    #[error("the numbers are too large to compute exactly")]
    Overflow,
}

/// One version of a rubric's criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricVersion {
    number: u32,
    criteria: Vec<Criterion>,
    used: bool,
}

impl RubricVersion {
    fn new(number: u32, criteria: Vec<Criterion>) -> Result<Self, RubricError> {
        check_criteria(&criteria)?;
        Ok(Self { number, criteria, used: false })
    }

    /// The version number (1 for the first).
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The criteria, in order.
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    /// Whether an assessment uses it (then it never changes).
    pub fn used(&self) -> bool {
        self.used
    }

    /// S_min: the sum of the lowest levels' points.
    pub fn min_points(&self) -> u32 {
        self.criteria.iter().map(Criterion::min_points).sum()
    }

    /// S_max: the sum of the highest levels' points.
    pub fn max_points(&self) -> u32 {
        self.criteria.iter().map(Criterion::max_points).sum()
    }

    /// Checks choices against this version: one valid level for each criterion, nothing else.
    pub fn check(&self, choices: &[Choice]) -> Result<(), RubricError> {
        let mut seen = BTreeSet::new();
        for choice in choices {
            if !seen.insert(choice.criterion) {
                return Err(RubricError::DuplicateChoice(choice.criterion));
            }
            let criterion = self
                .criteria
                .iter()
                .find(|c| c.id() == choice.criterion)
                .ok_or(RubricError::UnknownCriterion(choice.criterion))?;
            if choice.level >= criterion.levels().len() {
                return Err(RubricError::LevelOutOfRange {
                    criterion: choice.criterion,
                    level: choice.level,
                    levels: criterion.levels().len(),
                });
            }
        }
        if let Some(missing) = self.criteria.iter().find(|c| !seen.contains(&c.id())) {
            return Err(RubricError::MissingChoice(missing.id()));
        }
        Ok(())
    }

    /// The score of valid choices.
    pub fn score(&self, choices: &[Choice]) -> Result<Score, RubricError> {
        self.check(choices)?;
        let s = self
            .criteria
            .iter()
            .map(|c| {
                let level =
                    choices.iter().find(|ch| ch.criterion == c.id()).map_or(0, |ch| ch.level);
                c.levels()[level].points
            })
            .sum();
        Ok(Score { s, min: self.min_points(), max: self.max_points() })
    }
}

fn check_criteria(criteria: &[Criterion]) -> Result<(), RubricError> {
    if criteria.is_empty() {
        return Err(RubricError::NoCriteria);
    }
    let mut seen = BTreeSet::new();
    for c in criteria {
        if !seen.insert(c.id()) {
            return Err(RubricError::DuplicateCriterion(c.id()));
        }
    }
    criteria
        .iter()
        .try_fold(0u32, |sum, c| sum.checked_add(c.max_points()))
        .ok_or(RubricError::TooManyPoints)?;
    Ok(())
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "version")]
pub enum Edit {
    /// The criteria were the same; nothing changed.
    Unchanged(u32),
    /// The unused latest version was replaced in place.
    Replaced(u32),
    /// The latest version was used, so a new version was added.
    NewVersion(u32),
}

/// The serialised form of a rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricDraft {
    /// Stable id shared by every version.
    pub id: RubricId,
    /// «Развёрнутый ответ по истории».
    pub title: Name,
    /// Versions 1, 2, … in order.
    pub versions: Vec<RubricVersion>,
}

/// A rubric and its versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RubricDraft", into = "RubricDraft")]
pub struct Rubric(RubricDraft);

impl Rubric {
    /// A rubric with version 1.
    pub fn new(id: RubricId, title: Name, criteria: Vec<Criterion>) -> Result<Self, RubricError> {
        Ok(Self(RubricDraft { id, title, versions: vec![RubricVersion::new(1, criteria)?] }))
    }

    /// Stable id.
    pub fn id(&self) -> RubricId {
        self.0.id
    }

    /// Title.
    pub fn title(&self) -> &Name {
        &self.0.title
    }

    /// Renames the rubric (titles are not part of a version).
    pub fn rename(&mut self, title: Name) {
        self.0.title = title;
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> &[RubricVersion] {
        &self.0.versions
    }

    /// The latest version.
    pub fn latest(&self) -> &RubricVersion {
        &self.0.versions[self.0.versions.len() - 1]
    }

    /// A version by number.
    pub fn version(&self, number: u32) -> Result<&RubricVersion, RubricError> {
        self.0
            .versions
            .iter()
            .find(|v| v.number == number)
            .ok_or(RubricError::UnknownVersion(number))
    }

    /// Edits the latest version: replaced if no assessment uses it, else a new version.
    pub fn edit(&mut self, criteria: Vec<Criterion>) -> Result<Edit, RubricError> {
        check_criteria(&criteria)?;
        let last = self.0.versions.len() - 1;
        let latest = &mut self.0.versions[last];
        if latest.criteria == criteria {
            return Ok(Edit::Unchanged(latest.number));
        }
        if latest.used {
            let number = latest.number + 1;
            self.0.versions.push(RubricVersion::new(number, criteria)?);
            Ok(Edit::NewVersion(number))
        } else {
            latest.criteria = criteria;
            Ok(Edit::Replaced(latest.number))
        }
    }

    /// Records that an assessment made elsewhere (another device) uses a version.
    pub fn mark_used(&mut self, number: u32) -> Result<(), RubricError> {
        let v = self
            .0
            .versions
            .iter_mut()
            .find(|v| v.number == number)
            .ok_or(RubricError::UnknownVersion(number))?;
        v.used = true;
        Ok(())
    }

    /// Assesses a student's work with a version; the version becomes immutable.
    pub fn assess(
        &mut self,
        id: AssessmentId,
        student: StudentId,
        version: u32,
        choices: Vec<Choice>,
    ) -> Result<Assessment, RubricError> {
        self.version(version)?.check(&choices)?;
        self.mark_used(version)?;
        Ok(Assessment(AssessmentDraft { id, rubric: self.0.id, version, student, choices }))
    }

    fn pinned(&self, assessment: &Assessment) -> Result<&RubricVersion, RubricError> {
        if assessment.rubric() != self.0.id {
            return Err(RubricError::WrongRubric {
                expected: self.0.id,
                found: assessment.rubric(),
            });
        }
        self.version(assessment.version())
    }

    /// The score of an assessment against the version it pinned (checked again).
    pub fn score(&self, assessment: &Assessment) -> Result<Score, RubricError> {
        self.pinned(assessment)?.score(assessment.choices())
    }

    /// "S = 2 + 3 + 1 = 6 (min 3, max 9)": one term per criterion with the chosen level's points.
    pub fn explain_score(&self, assessment: &Assessment) -> Result<Explanation, RubricError> {
        let version = self.pinned(assessment)?;
        let score = version.score(assessment.choices())?;
        let mut e = Explanation::new(Topic::RubricScore);
        e.text("S").sym(Sym::Equals);
        for (i, c) in version.criteria().iter().enumerate() {
            let level = assessment
                .choices()
                .iter()
                .find(|ch| ch.criterion == c.id())
                .map_or(0, |ch| ch.level);
            let points = Fraction::from(c.levels()[level].points);
            e.terms.push(Term { label: c.title().to_string(), value: points, weight: None });
            if i > 0 {
                e.sym(Sym::Plus);
            }
            e.num(points);
        }
        if version.criteria().len() > 1 {
            e.sym(Sym::Equals).num(Fraction::from(score.s));
        }
        e.sym(Sym::Open).word(Word::Min).num(Fraction::from(score.min)).sym(Sym::Comma);
        e.word(Word::Max).num(Fraction::from(score.max)).sym(Sym::Close);
        Ok(e)
    }
}

impl TryFrom<RubricDraft> for Rubric {
    type Error = RubricError;
    fn try_from(draft: RubricDraft) -> Result<Self, Self::Error> {
        if draft.versions.is_empty() {
            return Err(RubricError::NoVersions);
        }
        for (i, v) in draft.versions.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if v.number != expected {
                return Err(RubricError::VersionsOutOfOrder { expected, found: v.number });
            }
            check_criteria(&v.criteria)?;
        }
        Ok(Self(draft))
    }
}

impl From<Rubric> for RubricDraft {
    fn from(value: Rubric) -> Self {
        value.0
    }
}

/// A chosen level for one criterion (0 = the lowest level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The criterion.
    pub criterion: CriterionId,
    /// The 0-based index of the chosen level.
    pub level: usize,
}

/// The serialised form of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentDraft {
    /// Stable id.
    pub id: AssessmentId,
    /// The rubric.
    pub rubric: RubricId,
    /// The version it pinned.
    pub version: u32,
    /// Whose work.
    pub student: StudentId,
    /// One choice per criterion.
    pub choices: Vec<Choice>,
}

/// An assessment of one student's work with a pinned rubric version. Made by
/// [`Rubric::assess`]; when read back, its choices are unique per criterion, and scoring checks
/// them against the pinned version again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AssessmentDraft", into = "AssessmentDraft")]
pub struct Assessment(AssessmentDraft);

impl Assessment {
    /// Stable id.
    pub fn id(&self) -> AssessmentId {
        self.0.id
    }

    /// The rubric.
    pub fn rubric(&self) -> RubricId {
        self.0.rubric
    }

    /// The pinned version.
    pub fn version(&self) -> u32 {
        self.0.version
    }

    /// Whose work.
    pub fn student(&self) -> StudentId {
        self.0.student
    }

    /// The choices.
    pub fn choices(&self) -> &[Choice] {
        &self.0.choices
    }
}

impl TryFrom<AssessmentDraft> for Assessment {
    type Error = RubricError;
    fn try_from(draft: AssessmentDraft) -> Result<Self, Self::Error> {
        let mut seen = BTreeSet::new();
        for c in &draft.choices {
            if !seen.insert(c.criterion) {
                return Err(RubricError::DuplicateChoice(c.criterion));
            }
        }
        if draft.version == 0 {
            return Err(RubricError::UnknownVersion(0));
        }
        Ok(Self(draft))
    }
}

impl From<Assessment> for AssessmentDraft {
    fn from(value: Assessment) -> Self {
        value.0
    }
}

/// How a rubric score becomes a grade out of G_max.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// G = S / S_max · G_max (Moodle's default).
    #[default]
    OfMaximum,
    /// G = (S − S_min) / (S_max − S_min) · G_max.
    MinToMax,
}

/// The serialised form of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreDraft {
    /// S.
    pub s: u32,
    /// S_min.
    pub min: u32,
    /// S_max.
    pub max: u32,
}

/// A rubric score with its bounds, `min ≤ s ≤ max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScoreDraft", into = "ScoreDraft")]
pub struct Score {
    s: u32,
    min: u32,
    max: u32,
}

impl TryFrom<ScoreDraft> for Score {
    type Error = ScoreError;
    fn try_from(d: ScoreDraft) -> Result<Self, Self::Error> {
        Self::new(d.s, d.min, d.max)
    }
}

impl From<Score> for ScoreDraft {
    fn from(v: Score) -> Self {
        Self { s: v.s, min: v.min, max: v.max }
    }
}

impl Score {
    /// A score with `min ≤ s ≤ max`.
    pub fn new(s: u32, min: u32, max: u32) -> Result<Self, ScoreError> {
        if s < min || s > max {
            return Err(ScoreError::OutOfRange { s, min, max });
        }
        Ok(Self { s, min, max })
    }

    /// S.
    pub fn s(&self) -> u32 {
        self.s
    }

    /// S_min.
    pub fn min(&self) -> u32 {
        self.min
    }

    /// S_max.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The grade out of `grade_max`, exactly.
    pub fn normalise(
        &self,
        mode: Normalisation,
        grade_max: Fraction,
    ) -> Result<Fraction, ScoreError> {
        if !grade_max.is_positive() {
            return Err(ScoreError::GradeMaxNotPositive(grade_max));
        }
        let (num, den) = match mode {
            Normalisation::OfMaximum => {
                if self.max == 0 {
                    return Err(ScoreError::ZeroMaximum);
                }
                (self.s, self.max)
            }
            Normalisation::MinToMax => {
                if self.max == self.min {
                    return Err(ScoreError::NoSpread(self.max));
                }
                (self.s - self.min, self.max - self.min)
            }
        };
        Fraction::from(num)
            .checked_div(Fraction::from(den))
            .and_then(|r| r.checked_mul(grade_max))
            .ok_or(ScoreError::Overflow)
    }

    /// "G = 6 / 9 · 10 = 20/3 ≈ 6.67" or "G = (6 − 3) / (9 − 3) · 10 = 5".
    pub fn explain(
        &self,
        mode: Normalisation,
        grade_max: Fraction,
    ) -> Result<Explanation, ScoreError> {
        let grade = self.normalise(mode, grade_max)?;
        let mut e = Explanation::new(Topic::RubricGrade);
        let (s, min, max) =
            (Fraction::from(self.s), Fraction::from(self.min), Fraction::from(self.max));
        e.terms = vec![
            Term { label: String::from("S"), value: s, weight: None },
            Term { label: String::from("S_min"), value: min, weight: None },
            Term { label: String::from("S_max"), value: max, weight: None },
            Term { label: String::from("G_max"), value: grade_max, weight: None },
        ];
        e.text("G").sym(Sym::Equals);
        match mode {
            Normalisation::OfMaximum => {
                e.num(s).sym(Sym::Divide).num(max);
            }
            Normalisation::MinToMax => {
                e.sym(Sym::Open).num(s).sym(Sym::Minus).num(min).sym(Sym::Close).sym(Sym::Divide);
                e.sym(Sym::Open).num(max).sym(Sym::Minus).num(min).sym(Sym::Close);
            }
        }
        e.sym(Sym::TimesWide).num(grade_max).result(grade, 2);
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::criteria::level;
    use crate::explain::Lang;

    fn f(t: &str) -> Fraction {
        Fraction::parse(t).unwrap()
    }

    fn criterion(id: u128, points: &[u32]) -> Criterion {
        let levels = points.iter().map(|p| level(&format!("уровень {p}"), *p)).collect();
        let title = Name::parse(&format!("Критерий {id}")).unwrap();
        Criterion::new(CriterionId::from_u128(id), None, title, levels).unwrap()
    }

    fn rubric() -> Rubric {
        let criteria =
            vec![criterion(1, &[0, 1, 2]), criterion(2, &[1, 2, 3, 4]), criterion(3, &[2, 3])];
        Rubric::new(RubricId::from_u128(9), Name::parse("Эссе").unwrap(), criteria).unwrap()
    }

    fn choices(levels: &[(u128, usize)]) -> Vec<Choice> {
        levels
            .iter()
            .map(|(c, l)| Choice { criterion: CriterionId::from_u128(*c), level: *l })
            .collect()
    }

    fn check(levels: &[(u128, usize)], expected: Result<(u32, u32, u32), RubricError>) {
        let got = rubric().latest().score(&choices(levels)).map(|s| (s.s(), s.min(), s.max()));
        assert_eq!(got, expected, "{levels:?}");
    }

    #[test]
    fn scores() {
        check(&[(1, 2), (2, 3), (3, 1)], Ok((9, 3, 9)));
        check(&[(1, 0), (2, 0), (3, 0)], Ok((3, 3, 9)));
        check(&[(3, 1), (1, 1), (2, 2)], Ok((7, 3, 9)));
        let c = |n| CriterionId::from_u128(n);
        check(&[(1, 2), (2, 3)], Err(RubricError::MissingChoice(c(3))));
        check(&[(1, 2), (2, 3), (3, 1), (4, 0)], Err(RubricError::UnknownCriterion(c(4))));
        check(&[(1, 2), (1, 1), (2, 3), (3, 1)], Err(RubricError::DuplicateChoice(c(1))));
        check(
            &[(1, 3), (2, 3), (3, 1)],
            Err(RubricError::LevelOutOfRange { criterion: c(1), level: 3, levels: 3 }),
        );
    }

    fn check_grade(
        score: (u32, u32, u32),
        mode: Normalisation,
        g_max: &str,
        expected: Result<&str, ScoreError>,
    ) {
        let s = Score::new(score.0, score.1, score.2).unwrap();
        assert_eq!(s.normalise(mode, f(g_max)), expected.map(f), "{score:?} {mode:?}");
    }

    #[test]
    fn normalisation() {
        use Normalisation::*;
        check_grade((6, 3, 9), OfMaximum, "10", Ok("20/3"));
        check_grade((6, 3, 9), MinToMax, "10", Ok("5"));
        check_grade((3, 3, 9), MinToMax, "100", Ok("0"));
        check_grade((3, 3, 9), OfMaximum, "100", Ok("100/3"));
        check_grade((9, 3, 9), OfMaximum, "5", Ok("5"));
        check_grade((0, 0, 0), OfMaximum, "10", Err(ScoreError::ZeroMaximum));
        check_grade((4, 4, 4), MinToMax, "10", Err(ScoreError::NoSpread(4)));
        check_grade((4, 4, 4), OfMaximum, "10", Ok("10"));
        check_grade(
            (1, 0, 2),
            OfMaximum,
            "0",
            Err(ScoreError::GradeMaxNotPositive(Fraction::ZERO)),
        );
        assert_eq!(Score::new(10, 3, 9), Err(ScoreError::OutOfRange { s: 10, min: 3, max: 9 }));
    }

    #[test]
    fn explanations() {
        let mut r = rubric();
        let a = r
            .assess(
                AssessmentId::from_u128(1),
                StudentId::from_u128(5),
                1,
                choices(&[(1, 1), (2, 2), (3, 1)]),
            )
            .unwrap();
        let e = r.explain_score(&a).unwrap();
        assert_eq!(e.render(Lang::En), "S = 1 + 3 + 3 = 7 (min 3, max 9)");
        assert_eq!(e.render(Lang::Ru), "S = 1 + 3 + 3 = 7 (мин. 3, макс. 9)");
        assert_eq!(e.terms[1].label, "Критерий 2");
        let s = r.score(&a).unwrap();
        assert_eq!(
            s.explain(Normalisation::OfMaximum, f("10")).unwrap().render(Lang::En),
            "G = 7 / 9 · 10 = 70/9 ≈ 7.78"
        );
        assert_eq!(
            s.explain(Normalisation::MinToMax, f("10")).unwrap().render(Lang::Ru),
            "G = (7 − 3) / (9 − 3) · 10 = 20/3 ≈ 6,67"
        );
    }

    #[test]
    fn used_versions_are_immutable() {
        let mut r = rubric();
        let v1 = r.latest().criteria().to_vec();
        let mut edited = v1.clone();
        edited.push(criterion(4, &[0, 5]));
        // Unused: replaced in place.
        assert_eq!(r.edit(edited.clone()), Ok(Edit::Replaced(1)));
        assert_eq!(r.edit(edited.clone()), Ok(Edit::Unchanged(1)));
        assert_eq!(r.versions().len(), 1);
        let all = choices(&[(1, 2), (2, 3), (3, 1), (4, 1)]);
        let a =
            r.assess(AssessmentId::from_u128(1), StudentId::from_u128(5), 1, all.clone()).unwrap();
        assert!(r.latest().used());
        // Used: an edit makes version 2; version 1 stays as the assessment saw it.
        assert_eq!(r.edit(v1.clone()), Ok(Edit::NewVersion(2)));
        assert_eq!(r.version(1).unwrap().criteria(), edited.as_slice());
        assert_eq!(r.score(&a).unwrap().s(), 14);
        assert_eq!(
            r.assess(AssessmentId::from_u128(2), StudentId::from_u128(5), 2, all.clone()),
            Err(RubricError::UnknownCriterion(CriterionId::from_u128(4)))
        );
        // Version 2 is unused until assessed: it can still be replaced.
        assert_eq!(r.edit(edited.clone()), Ok(Edit::Replaced(2)));
        assert_eq!(
            r.assess(AssessmentId::from_u128(3), StudentId::from_u128(5), 3, all),
            Err(RubricError::UnknownVersion(3))
        );
        assert_eq!(r.edit(vec![]), Err(RubricError::NoCriteria));
        assert_eq!(
            r.edit(vec![criterion(5, &[0, u32::MAX]), criterion(6, &[0, 1])]),
            Err(RubricError::TooManyPoints)
        );
        assert_eq!(
            r.edit(vec![criterion(1, &[0, 1]), criterion(1, &[0, 2])]),
            Err(RubricError::DuplicateCriterion(CriterionId::from_u128(1)))
        );
        let other = Rubric::new(RubricId::from_u128(10), Name::parse("x").unwrap(), v1).unwrap();
        assert_eq!(
            other.score(&a),
            Err(RubricError::WrongRubric {
                expected: RubricId::from_u128(10),
                found: RubricId::from_u128(9)
            })
        );
    }

    #[test]
    fn deserialising_validates() {
        let mut r = rubric();
        r.mark_used(1).unwrap();
        r.edit(vec![criterion(7, &[0, 1])]).unwrap();
        let mut draft: RubricDraft = r.clone().into();
        draft.versions.swap(0, 1);
        let json = serde_json::to_string(&draft).unwrap();
        assert!(serde_json::from_str::<Rubric>(&json).is_err());
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Rubric>(&json).unwrap(), r);
        let dup = AssessmentDraft {
            id: AssessmentId::from_u128(1),
            rubric: RubricId::from_u128(9),
            version: 1,
            student: StudentId::from_u128(5),
            choices: choices(&[(1, 0), (1, 1)]),
        };
        let json = serde_json::to_string(&dup).unwrap();
        assert!(serde_json::from_str::<Assessment>(&json).is_err());
        assert!(serde_json::from_str::<Score>(r#"{"s":1,"min":2,"max":3}"#).is_err());
    }

    proptest! {
        #[test]
        fn scores_stay_in_bounds_and_round_trip(l1 in 0usize..3, l2 in 0usize..4, l3 in 0usize..2, g in 1i128..=100) {
            let mut r = rubric();
            let a = r.assess(AssessmentId::from_u128(1), StudentId::from_u128(5), 1, choices(&[(1, l1), (2, l2), (3, l3)])).unwrap();
            let s = r.score(&a).unwrap();
            prop_assert!(s.min() <= s.s() && s.s() <= s.max());
            let g_max = Fraction::integer(g as i64);
            for mode in [Normalisation::OfMaximum, Normalisation::MinToMax] {
                let grade = s.normalise(mode, g_max).unwrap();
                prop_assert!(Fraction::ZERO <= grade && grade <= g_max);
            }
            let json = serde_json::to_string(&a).unwrap();
            prop_assert_eq!(serde_json::from_str::<Assessment>(&json).unwrap(), a);
            let json = serde_json::to_string(&r).unwrap();
            prop_assert_eq!(serde_json::from_str::<Rubric>(&json).unwrap(), r);
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(serde_json::from_str::<Score>(&json).unwrap(), s);
            for edit in [Edit::Unchanged(l1 as u32), Edit::Replaced(1), Edit::NewVersion(l2 as u32 + 2)] {
                let json = serde_json::to_string(&edit).unwrap();
                prop_assert_eq!(serde_json::from_str::<Edit>(&json).unwrap(), edit);
            }
            for mode in [Normalisation::OfMaximum, Normalisation::MinToMax] {
                let json = serde_json::to_string(&mode).unwrap();
                prop_assert_eq!(serde_json::from_str::<Normalisation>(&json).unwrap(), mode);
            }
        }
    }
}
