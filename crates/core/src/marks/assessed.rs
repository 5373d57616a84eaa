//! From a rubric assessment to a gradebook mark.
//!
//! The rule: the score S of the assessment (against the version it pinned) is looked up, with
//! S_max as the maximum, in the policy's first points → mark table ([`MarkingPolicy::band_mark`]);
//! the mark it gives becomes a gradebook [`Mark`] of the chosen work type, dated as the shell
//! says, with the rubric's title as its note and the assessment's own id as its id — so turning
//! one assessment into a mark twice is refused by the gradebook as a duplicate, never doubled.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use super::gradebook::Mark;
use super::policy::MarkingPolicy;
use super::table::{BandChoice, Facts, TableError};
use crate::explain::Explanation;
use crate::ids::{MarkId, WorkTypeId};
use crate::rubric::{Assessment, Rubric, RubricError, Score};
use crate::text::Name;

/// Why an assessment gives no mark.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessedError {
    /// The policy has no points → mark table.
    #[error("the marking policy has no points → mark table")]
    NoTable,
    /// The table refused the score.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The assessment does not fit the rubric.
    #[error(transparent)]
    Rubric(#[from] RubricError),
}

/// The mark a score gets from the policy's table, with its calculation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandMark {
    /// The table used (the policy's first).
    pub table: Name,
    /// The band chosen and the mark it gives.
    pub choice: BandChoice,
    /// "16 points = 80% → 4".
    pub explanation: Explanation,
}

impl BandMark {
    /// The mark given.
    pub fn mark(&self) -> &Name {
        &self.choice.mark
    }
}

impl MarkingPolicy {
    /// The mark for a rubric score by the policy's first points → mark table (no band
    /// conditions are known for a rubric score, so conditioned bands fall to the next lower).
    pub fn band_mark(&self, score: &Score) -> Result<BandMark, AssessedError> {
        let table = self.tables().first().ok_or(AssessedError::NoTable)?;
        let points = Fraction::from(score.s());
        let choice = table.lookup(points, Fraction::from(score.max()), &Facts::new())?;
        let explanation = table.explain(points, &choice);
        Ok(BandMark { table: table.name().clone(), choice, explanation })
    }
}

/// An assessment turned into a gradebook mark (not yet added to a gradebook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentMark {
    /// The assessment's score.
    pub score: Score,
    /// The mark the score gets, with its calculation.
    pub band: BandMark,
    /// The mark to add to the student's class gradebook.
    pub mark: Mark,
}

/// Turns an assessment made with `rubric` into a gradebook mark of `work_type` (the policy's
/// first work type when `None`, or when the policy no longer has the one chosen), dated `date`.
pub fn assessment_mark(
    rubric: &Rubric,
    assessment: &Assessment,
    policy: &MarkingPolicy,
    work_type: Option<WorkTypeId>,
    date: NaiveDate,
) -> Result<AssessmentMark, AssessedError> {
    let score = rubric.score(assessment)?;
    let band = policy.band_mark(&score)?;
    let work_type =
        work_type.filter(|id| policy.work_type(*id).is_some()).unwrap_or(policy.work_types()[0].id);
    let mark = Mark {
        id: MarkId::from_uuid(*assessment.id().as_uuid()),
        student: assessment.student(),
        work_type,
        date,
        value: band.mark().clone(),
        comment: Some(rubric.title().clone()),
    };
    Ok(AssessmentMark { score, band, mark })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::criteria::{Criterion, Level};
    use crate::explain::Lang;
    use crate::ids::{AssessmentId, ClassId, CriterionId, RubricId, StudentId};
    use crate::marks::gradebook::{Gradebook, GradebookError};
    use crate::marks::policy::{CONTROL_WORK, HOMEWORK, PolicyDraft};
    use crate::rubric::Choice;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 9, 20).unwrap()
    }

    /// A rubric of `criteria` criteria, each with levels worth 0, 1, 2 and 3 points.
    fn rubric(criteria: usize) -> Rubric {
        let criteria = (0..criteria).map(|i| criterion(i as u128 + 1)).collect::<Vec<_>>();
        Rubric::new(RubricId::from_u128(7), Name::parse("Дроби").unwrap(), criteria).unwrap()
    }

    fn criterion(id: u128) -> Criterion {
        let levels = (0..4)
            .map(|p| Level {
                label: Name::parse(&format!("уровень {p}")).unwrap(),
                teacher: Name::parse("описание").unwrap(),
                student: Name::parse("я могу").unwrap(),
                points: p,
            })
            .collect();
        let title = Name::parse(&format!("критерий {id}")).unwrap();
        Criterion::new(CriterionId::from_u128(id), None, title, levels).unwrap()
    }

    fn assess(r: &mut Rubric, levels: &[usize]) -> Assessment {
        let choices = r
            .latest()
            .criteria()
            .iter()
            .zip(levels)
            .map(|(c, l)| Choice { criterion: c.id(), level: *l })
            .collect();
        let version = r.latest().number();
        r.assess(AssessmentId::from_u128(40), StudentId::from_u128(3), version, choices).unwrap()
    }

    /// (chosen levels of a 3-criterion rubric, 0..3 points each, of 9) → (mark, calculation).
    fn check(levels: &[usize], expected: (&str, &str)) {
        let mut r = rubric(3);
        let a = assess(&mut r, levels);
        let policy = MarkingPolicy::school_default();
        let got = assessment_mark(&r, &a, &policy, Some(HOMEWORK), day()).unwrap();
        assert_eq!(
            (got.mark.value.as_str(), got.band.explanation.render(Lang::En).as_str()),
            expected,
            "{levels:?}"
        );
        assert_eq!(got.band.mark(), &got.mark.value);
        assert_eq!(got.score, r.score(&a).unwrap());
    }

    #[test]
    fn the_band_table_gives_the_mark() {
        check(&[3, 3, 3], ("5", "9 points = 100% → 5"));
        check(&[3, 3, 2], ("4", "8 points ≈ 88.9% → 4"));
        check(&[2, 2, 2], ("3", "6 points ≈ 66.7% → 3"));
        check(&[0, 1, 0], ("2", "1 point ≈ 11.1% → 2"));
    }

    #[test]
    fn the_mark_is_the_assessments() {
        let mut r = rubric(2);
        let a = assess(&mut r, &[3, 2]);
        let policy = MarkingPolicy::school_default();
        let got = assessment_mark(&r, &a, &policy, None, day()).unwrap().mark;
        assert_eq!(got.id, MarkId::from_uuid(*a.id().as_uuid()));
        assert_eq!((got.student, got.date), (a.student(), day()));
        assert_eq!(got.comment.as_ref().map(Name::as_str), Some("Дроби"));
        // No choice, or one the policy no longer has: its first work type.
        assert_eq!(got.work_type, CONTROL_WORK);
        let stale = assessment_mark(&r, &a, &policy, Some(WorkTypeId::from_u128(99)), day());
        assert_eq!(stale.unwrap().mark.work_type, CONTROL_WORK);
        // Twice into the gradebook: refused as a duplicate.
        let mut book = Gradebook::new(ClassId::from_u128(1));
        book.add(got.clone(), &policy).unwrap();
        assert_eq!(book.add(got.clone(), &policy), Err(GradebookError::DuplicateMark(got.id)));
    }

    #[test]
    fn refusals() {
        let mut r = rubric(2);
        let a = assess(&mut r, &[1, 1]);
        let mut draft: PolicyDraft = MarkingPolicy::school_default().into();
        draft.tables.clear();
        let no_tables = MarkingPolicy::try_from(draft).unwrap();
        assert_eq!(assessment_mark(&r, &a, &no_tables, None, day()), Err(AssessedError::NoTable));
        let other = rubric(1);
        assert!(matches!(
            assessment_mark(&other, &a, &MarkingPolicy::school_default(), None, day()),
            Err(AssessedError::Rubric(_))
        ));
    }

    proptest! {
        #[test]
        fn more_points_never_give_a_lower_mark(levels in proptest::collection::vec(0usize..4, 4), up in 0usize..4) {
            let policy = MarkingPolicy::school_default();
            let mut r = rubric(4);
            let a = assess(&mut r, &levels);
            let mut better = levels.clone();
            better[up] = 3;
            let b = assess(&mut r, &better);
            let value = |x: &Assessment| {
                let m = assessment_mark(&r, x, &policy, None, day()).unwrap().mark;
                policy.scale().value_of(m.value.as_str()).unwrap()
            };
            prop_assert!(value(&a) <= value(&b));
        }
    }
}
