//! The gradebook of a class: marks, per-student weighted averages, term marks and what-if.
//!
//! A [`Gradebook`] holds [`Mark`]s with unique ids. Marks are checked against the school's
//! [`MarkingPolicy`] when added (the label must be on the scale, the work type must exist) and
//! stored with the scale's own spelling of the label. The policy may change later (a new weight,
//! a new work type), so every computation takes the current policy and reports a mark it can no
//! longer place instead of skipping it.
//!
//! Averages are summed in the policy's integer units (see [`super::policy`]), so a class's
//! averages cost one integer multiply-add per mark and stay exact.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::average::{
    AnyWhatIf, Average, AverageError, Entry, TermMark, WhatIf, WorkType, explain_average,
    fewest_marks, fewest_marks_any,
};
use super::exact::Fraction;
use super::policy::MarkingPolicy;
use crate::explain::Explanation;
use crate::ids::{ClassId, MarkId, StudentId, WorkTypeId};
use crate::persist::merge::merge3_removing;
use crate::text::Name;

/// One mark in the gradebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Stable id.
    pub id: MarkId,
    /// Whose mark.
    pub student: StudentId,
    /// For what kind of work.
    pub work_type: WorkTypeId,
    /// The date of the work.
    pub date: NaiveDate,
    /// The mark as written on the scale: «5», «4-».
    pub value: Name,
    /// The teacher's note («устный ответ»), if any; it does not change the average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Name>,
}

/// Why a gradebook change or computation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GradebookError {
    /// A mark with this id is already in the gradebook.
    #[error("mark {0} is already in the gradebook")]
    DuplicateMark(MarkId),
    /// No mark with this id.
    #[error("mark {0} is not in the gradebook")]
    UnknownMark(MarkId),
    /// A work type the policy does not have.
    #[error("work type {0} is not in the school's policy")]
    UnknownWorkType(WorkTypeId),
    /// A label that is not on the policy's scale.
    #[error("«{0}» is not a mark of the school's scale")]
    NotOnScale(String),
    /// The scale's marks are not averaged (pass/fail).
    #[error("marks of the scale «{0}» are not averaged")]
    NotAveraged(String),
    /// A period that ends before it starts.
    #[error("the period ends ({to}) before it starts ({from})")]
    PeriodReversed {
        /// Start.
        from: NaiveDate,
        /// End.
        to: NaiveDate,
    },
    /// An average could not be computed.
    #[error(transparent)]
    Average(#[from] AverageError),
}

/// An inclusive date range (a term, a quarter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PeriodDraft", into = "PeriodDraft")]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

/// The serialised form of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDraft {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// Validates `from ≤ to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, GradebookError> {
        if to < from {
            return Err(GradebookError::PeriodReversed { from, to });
        }
        Ok(Self { from, to })
    }

    /// Whether a date lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

impl TryFrom<PeriodDraft> for Period {
    type Error = GradebookError;
    fn try_from(d: PeriodDraft) -> Result<Self, Self::Error> {
        Self::new(d.from, d.to)
    }
}

impl From<Period> for PeriodDraft {
    fn from(p: Period) -> Self {
        Self { from: p.from, to: p.to }
    }
}

/// One student's line of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSummary {
    /// The student.
    pub student: StudentId,
    /// The weighted average, or `None` without marks.
    pub average: Option<Average>,
    /// The term mark, or `None` without marks.
    pub term: Option<TermMark>,
}

/// The serialised form of a gradebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradebookDraft {
    /// The class.
    pub class: ClassId,
    /// Marks in the order they were given.
    pub marks: Vec<Mark>,
}

/// A class's gradebook (mark ids unique).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GradebookDraft", into = "GradebookDraft")]
pub struct Gradebook(GradebookDraft);

/// Running integer sums for one student.
#[derive(Clone, Copy)]
struct Acc {
    wx: i128,
    w: i128,
    count: u64,
    lowest: i128,
    highest: i128,
}

impl Gradebook {
    /// An empty gradebook.
    pub fn new(class: ClassId) -> Self {
        Self(GradebookDraft { class, marks: Vec::new() })
    }

    /// The class.
    pub fn class(&self) -> ClassId {
        self.0.class
    }

    /// All marks, in the order they were given.
    pub fn marks(&self) -> &[Mark] {
        &self.0.marks
    }

    /// A student's marks, in the order they were given.
    pub fn marks_of(&self, student: StudentId) -> impl Iterator<Item = &Mark> + '_ {
        self.0.marks.iter().filter(move |m| m.student == student)
    }

    /// Adds a mark after checking it against the policy; the label is stored as the scale spells
    /// it («4−» becomes «4-»).
    pub fn add(&mut self, mut mark: Mark, policy: &MarkingPolicy) -> Result<(), GradebookError> {
        if self.0.marks.iter().any(|m| m.id == mark.id) {
            return Err(GradebookError::DuplicateMark(mark.id));
        }
        if policy.work_type(mark.work_type).is_none() {
            return Err(GradebookError::UnknownWorkType(mark.work_type));
        }
        let on_scale = policy
            .scale()
            .mark(mark.value.as_str())
            .ok_or_else(|| GradebookError::NotOnScale(mark.value.to_string()))?;
        mark.value = on_scale.label.clone();
        self.0.marks.push(mark);
        Ok(())
    }

    /// Merges two copies of this class's gradebook saved apart (two tabs) against the copy both
    /// started from: the marks each side added stay and the ones each side removed go (see
    /// [`merge3_removing`]).
    pub fn merged(base: Option<&Gradebook>, mine: &Gradebook, theirs: &Gradebook) -> Gradebook {
        let known = base.map_or(&[][..], |b| b.marks());
        let marks = merge3_removing(known, mine.marks(), theirs.marks(), |m| m.id);
        Self(GradebookDraft { class: mine.class(), marks })
    }

    /// Removes a mark and returns it.
    pub fn remove(&mut self, id: MarkId) -> Result<Mark, GradebookError> {
        let index =
            self.0.marks.iter().position(|m| m.id == id).ok_or(GradebookError::UnknownMark(id))?;
        Ok(self.0.marks.remove(index))
    }

    /// The integer units (wᵢD_w, xᵢD_x) of a mark under a policy.
    fn units(mark: &Mark, policy: &MarkingPolicy) -> Result<(i128, i128), GradebookError> {
        let units = policy.units();
        let w = units
            .weights
            .iter()
            .find(|(id, _)| *id == mark.work_type)
            .map(|(_, w)| *w)
            .ok_or(GradebookError::UnknownWorkType(mark.work_type))?;
        let label = mark.value.as_str();
        let index = policy
            .scale()
            .position(label)
            .ok_or_else(|| GradebookError::NotOnScale(label.to_owned()))?;
        Ok((w, units.values[index]))
    }

    fn accumulate<'a>(
        marks: impl Iterator<Item = &'a Mark>,
        policy: &MarkingPolicy,
    ) -> Result<BTreeMap<StudentId, Acc>, GradebookError> {
        if !policy.scale().averaged() {
            return Err(GradebookError::NotAveraged(policy.scale().name().to_string()));
        }
        let overflow = || GradebookError::Average(AverageError::Overflow);
        let mut by_student: BTreeMap<StudentId, Acc> = BTreeMap::new();
        for mark in marks {
            let (w, x) = Self::units(mark, policy)?;
            let wx = w.checked_mul(x).ok_or_else(overflow)?;
            let acc = by_student.entry(mark.student).or_insert(Acc {
                wx: 0,
                w: 0,
                count: 0,
                lowest: x,
                highest: x,
            });
            acc.wx = acc.wx.checked_add(wx).ok_or_else(overflow)?;
            acc.w = acc.w.checked_add(w).ok_or_else(overflow)?;
            acc.count += 1;
            acc.lowest = acc.lowest.min(x);
            acc.highest = acc.highest.max(x);
        }
        Ok(by_student)
    }

    fn to_average(acc: &Acc, policy: &MarkingPolicy) -> Result<Average, GradebookError> {
        let u = policy.units();
        let overflow = || GradebookError::Average(AverageError::Overflow);
        let frac = |n: i128, d: i128| Fraction::new(n, d).map_err(|_| overflow());
        let both = u.weight_den.checked_mul(u.value_den).ok_or_else(overflow)?;
        Ok(Average::from_parts(
            frac(acc.wx, both)?,
            frac(acc.w, u.weight_den)?,
            acc.count,
            frac(acc.lowest, u.value_den)?,
            frac(acc.highest, u.value_den)?,
        ))
    }

    fn in_period(period: Option<Period>) -> impl Fn(&&Mark) -> bool {
        move |m| period.is_none_or(|p| p.contains(m.date))
    }

    /// A student's weighted average over a period (all marks with `None`); `None` without marks.
    pub fn average(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
    ) -> Result<Option<Average>, GradebookError> {
        let marks = self.marks_of(student).filter(Self::in_period(period));
        let sums = Self::accumulate(marks, policy)?;
        sums.get(&student).map(|acc| Self::to_average(acc, policy)).transpose()
    }

    /// Averages and term marks for the given students, in the given order (students without
    /// marks get `None`).
    pub fn summary(
        &self,
        students: impl IntoIterator<Item = StudentId>,
        policy: &MarkingPolicy,
        period: Option<Period>,
    ) -> Result<Vec<StudentSummary>, GradebookError> {
        let sums = Self::accumulate(self.0.marks.iter().filter(Self::in_period(period)), policy)?;
        students
            .into_iter()
            .map(|student| {
                let average =
                    sums.get(&student).map(|a| Self::to_average(a, policy)).transpose()?;
                let term = average.map(|a| policy.term_rule().decide(a.value()));
                Ok(StudentSummary { student, average, term })
            })
            .collect()
    }

    /// Every student who has a mark, in id order.
    pub fn students(&self) -> BTreeSet<StudentId> {
        self.0.marks.iter().map(|m| m.student).collect()
    }

    /// The "show calculation" of a student's average: one term per mark, labelled
    /// «work type date» ([`mark_label`]), in date order.
    pub fn explain_average(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
    ) -> Result<Explanation, GradebookError> {
        self.explain_average_labelled(student, policy, period, mark_label)
    }

    /// [`Gradebook::explain_average`] with each term labelled by `label` (a shell whose input
    /// has marks without a known date labels them without one).
    pub(crate) fn explain_average_labelled(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
        label: impl Fn(&Mark, &WorkType) -> String,
    ) -> Result<Explanation, GradebookError> {
        let mut marks: Vec<&Mark> =
            self.marks_of(student).filter(Self::in_period(period)).collect();
        marks.sort_by_key(|m| m.date);
        let entries = marks
            .into_iter()
            .map(|m| {
                let work = policy
                    .work_type(m.work_type)
                    .ok_or(GradebookError::UnknownWorkType(m.work_type))?;
                let value = policy
                    .scale()
                    .value_of(m.value.as_str())
                    .ok_or_else(|| GradebookError::NotOnScale(m.value.to_string()))?;
                Ok(Entry { label: label(m, work), value, weight: work.weight })
            })
            .collect::<Result<Vec<_>, GradebookError>>()?;
        Ok(explain_average(&entries)?)
    }

    /// The fewest further marks `mark` of `work_type` that bring the student's average to
    /// `target` under the policy's rounding.
    pub fn what_if(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
        work_type: WorkTypeId,
        mark: &str,
        target: Fraction,
    ) -> Result<WhatIf, GradebookError> {
        let weight =
            policy.work_type(work_type).ok_or(GradebookError::UnknownWorkType(work_type))?.weight;
        let value = policy
            .scale()
            .value_of(mark)
            .ok_or_else(|| GradebookError::NotOnScale(mark.to_owned()))?;
        let current = self.average(student, policy, period)?;
        let rounding = policy.term_rule().rounding();
        Ok(fewest_marks(current.as_ref(), value, weight, target, rounding)?)
    }

    /// The fewest further marks of any value on the scale (up to its highest, e.g. ≤ 5) of
    /// `work_type` that bring the student's average to `target`.
    pub fn what_if_any(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
        work_type: WorkTypeId,
        target: Fraction,
    ) -> Result<AnyWhatIf, GradebookError> {
        let weight =
            policy.work_type(work_type).ok_or(GradebookError::UnknownWorkType(work_type))?.weight;
        let current = self.average(student, policy, period)?;
        let scale = policy.scale();
        let rounding = policy.term_rule().rounding();
        let ceiling = scale.highest().value;
        Ok(fewest_marks_any(current.as_ref(), scale, ceiling, weight, target, rounding)?)
    }
}

/// The label of a mark in the calculation of an average: «Работа на уроке 02.09.2024».
pub fn mark_label(mark: &Mark, work: &WorkType) -> String {
    let d = mark.date;
    format!("{} {:02}.{:02}.{}", work.name, d.day(), d.month(), d.year())
}

impl TryFrom<GradebookDraft> for Gradebook {
    type Error = GradebookError;
    fn try_from(draft: GradebookDraft) -> Result<Self, Self::Error> {
        let mut seen = BTreeSet::new();
        for m in &draft.marks {
            if !seen.insert(m.id) {
                return Err(GradebookError::DuplicateMark(m.id));
            }
        }
        Ok(Self(draft))
    }
}

impl From<Gradebook> for GradebookDraft {
    fn from(value: Gradebook) -> Self {
        value.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::explain::Lang;
    use crate::marks::policy::tests::{CONTROL, HOMEWORK, LESSON, example};

    pub(crate) fn f(t: &str) -> Fraction {
        Fraction::parse(t).unwrap()
    }

    /// A day of September 2024.
    pub(crate) fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 9, d).unwrap()
    }

    fn mark(id: u128, student: u128, work: WorkTypeId, d: u32, value: &str) -> Mark {
        Mark {
            id: MarkId::from_u128(id),
            student: StudentId::from_u128(student),
            work_type: work,
            date: day(d),
            value: Name::parse(value).unwrap(),
            comment: None,
        }
    }

    fn book() -> Gradebook {
        let policy = example();
        let mut b = Gradebook::new(ClassId::from_u128(5));
        for m in [
            mark(1, 1, LESSON, 2, "5"),
            mark(2, 1, HOMEWORK, 3, "5"),
            mark(3, 1, CONTROL, 20, "4"),
            mark(4, 2, CONTROL, 20, "4−"),
            mark(5, 2, HOMEWORK, 4, "5"),
        ] {
            b.add(m, &policy).unwrap();
        }
        b
    }

    #[test]
    fn two_copies_merge_their_added_and_removed_marks() {
        let policy = example();
        let base = book();
        // This tab adds mark 6 and removes mark 1; the other adds mark 7 and removes mark 5.
        let mut mine = base.clone();
        mine.add(mark(6, 2, LESSON, 21, "3"), &policy).unwrap();
        mine.remove(MarkId::from_u128(1)).unwrap();
        let mut theirs = base.clone();
        theirs.add(mark(7, 1, LESSON, 22, "5"), &policy).unwrap();
        theirs.remove(MarkId::from_u128(5)).unwrap();
        let ids =
            |b: &Gradebook| b.marks().iter().map(|m| m.id.as_uuid().as_u128()).collect::<Vec<_>>();
        let merged = Gradebook::merged(Some(&base), &mine, &theirs);
        assert_eq!(ids(&merged), [2, 3, 4, 6, 7]);
        assert_eq!(merged.class(), base.class());
        // Both created the class's gradebook apart: every mark of both.
        let first = Gradebook::merged(None, &mine, &theirs);
        assert_eq!(ids(&first), [2, 3, 4, 5, 6, 1, 7]);
        // The merge is a valid gradebook (ids unique) and round-trips through its stored form.
        let json = serde_json::to_string(&first).unwrap();
        assert_eq!(serde_json::from_str::<Gradebook>(&json).unwrap(), first);
    }

    fn check(student: u128, period: Option<Period>, expected: Option<(&str, &str)>) {
        let policy = example();
        let s = book().summary([StudentId::from_u128(student)], &policy, period).unwrap();
        let got =
            s[0].average.map(|a| a.value()).zip(s[0].term.as_ref().map(|t| t.mark.to_string()));
        assert_eq!(got, expected.map(|(a, m)| (f(a), m.to_string())), "student {student}");
    }

    #[test]
    fn averages_and_term_marks() {
        let september_first_half = Some(Period::new(day(1), day(15)).unwrap());
        check(1, None, Some(("40/9", "4")));
        check(2, None, Some(("23.75/6", "4")));
        check(3, None, None);
        check(1, september_first_half, Some(("5", "5")));
        check(2, september_first_half, Some(("5", "5")));
        assert_eq!(
            Period::new(day(2), day(1)),
            Err(GradebookError::PeriodReversed { from: day(2), to: day(1) })
        );
        assert_eq!(book().marks()[3].value.as_str(), "4-");
    }

    #[test]
    fn changes_are_checked() {
        let policy = example();
        let mut b = book();
        assert_eq!(
            b.add(mark(1, 1, LESSON, 2, "5"), &policy),
            Err(GradebookError::DuplicateMark(MarkId::from_u128(1)))
        );
        assert_eq!(
            b.add(mark(9, 1, WorkTypeId::from_u128(99), 2, "5"), &policy),
            Err(GradebookError::UnknownWorkType(WorkTypeId::from_u128(99)))
        );
        assert_eq!(
            b.add(mark(9, 1, LESSON, 2, "6"), &policy),
            Err(GradebookError::NotOnScale("6".into()))
        );
        assert_eq!(b.remove(MarkId::from_u128(3)).unwrap().value.as_str(), "4");
        assert_eq!(
            b.remove(MarkId::from_u128(3)),
            Err(GradebookError::UnknownMark(MarkId::from_u128(3)))
        );
        assert_eq!(
            b.average(StudentId::from_u128(1), &policy, None).unwrap().unwrap().value(),
            f("5")
        );
        assert_eq!(b.students().len(), 2);
    }

    #[test]
    fn explanation_and_what_if() {
        let policy = example();
        let b = book();
        let s1 = StudentId::from_u128(1);
        let e = b.explain_average(s1, &policy, None).unwrap();
        assert_eq!(e.render(Lang::En), "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44");
        assert_eq!(e.terms[0].label, "Работа на уроке 02.09.2024");
        let target = f("4.65");
        assert_eq!(
            b.what_if(s1, &policy, None, CONTROL, "5", target).unwrap(),
            WhatIf::Needs { count: 2, average: f("90/19") }
        );
        assert_eq!(
            b.what_if(s1, &policy, None, CONTROL, "4+", target).unwrap(),
            WhatIf::Unreachable
        );
        let any = b.what_if_any(s1, &policy, None, HOMEWORK, target).unwrap();
        assert_eq!(any.answer, WhatIf::Needs { count: 6, average: f("14/3") });
        assert_eq!(
            b.what_if(StudentId::from_u128(3), &policy, None, LESSON, "5", target).unwrap(),
            WhatIf::Needs { count: 1, average: f("5") }
        );
    }

    #[test]
    fn pass_fail_is_not_averaged() {
        let mut draft: crate::marks::policy::PolicyDraft = example().into();
        draft.scale = crate::marks::scale::MarkScale::pass_fail();
        draft.tables.clear();
        draft.term_rule = crate::marks::average::TermRule::new(
            vec![crate::marks::average::Threshold {
                at_least: f("0.5"),
                mark: Name::parse("зачёт").unwrap(),
            }],
            Name::parse("незачёт").unwrap(),
            crate::marks::average::Rounding::Exact,
        )
        .unwrap();
        let policy = MarkingPolicy::try_from(draft).unwrap();
        let mut b = Gradebook::new(ClassId::from_u128(5));
        b.add(mark(1, 1, LESSON, 2, "зачёт"), &policy).unwrap();
        assert_eq!(
            b.average(StudentId::from_u128(1), &policy, None),
            Err(GradebookError::NotAveraged("Зачёт/незачёт".into()))
        );
    }

    proptest! {
        #[test]
        fn integer_sums_agree_with_fractions(marks in proptest::collection::vec((0usize..10, 0usize..3, 1u32..28), 1..60)) {
            let policy = example();
            let works = [CONTROL, LESSON, HOMEWORK];
            let mut b = Gradebook::new(ClassId::from_u128(5));
            for (i, (v, w, d)) in marks.iter().enumerate() {
                let label = policy.scale().marks()[*v].label.to_string();
                b.add(mark(i as u128, 1, works[*w], *d, &label), &policy).unwrap();
            }
            let expected = Average::of(marks.iter().map(|(v, w, _)| {
                (policy.scale().marks()[*v].value, policy.work_types()[*w].weight)
            })).unwrap();
            let got = b.average(StudentId::from_u128(1), &policy, None).unwrap();
            prop_assert_eq!(got.map(|a| a.value()), expected.map(|a| a.value()));
            prop_assert_eq!(got, expected);
            let json = serde_json::to_string(&b).unwrap();
            prop_assert_eq!(serde_json::from_str::<Gradebook>(&json).unwrap(), b);
        }
    }
}
