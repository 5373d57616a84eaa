//! What a shell shows of a gradebook: each student's [`StudentReport`] (weighted average, term
//! mark and both calculations) and the explained what-if ([`WhatIfReport`]).
//!
//! Shells (the app's gradebook page, the command line's `marks average` and CSV export) call
//! [`Gradebook::report`] and [`Gradebook::what_if_explained`] and only format what they get:
//! none of them computes an average, a term mark or a what-if, or assembles an explanation.

use serde::{Deserialize, Serialize};

use super::average::{Average, TermMark, Weight, WhatIf, WorkType, explain_what_if};
use super::exact::Fraction;
use super::gradebook::{Gradebook, GradebookError, Mark, Period, mark_label};
use super::policy::MarkingPolicy;
use crate::explain::Explanation;
use crate::ids::{StudentId, WorkTypeId};
use crate::text::Name;

/// One student's line of the gradebook, with its "show calculation".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentReport {
    /// The student.
    pub student: StudentId,
    /// How many marks were counted (those in the period).
    pub count: u64,
    /// The weighted average, or `None` without marks.
    pub average: Option<Average>,
    /// The term mark by the policy's rule, or `None` without marks.
    pub term: Option<TermMark>,
    /// Both calculations, or `None` without marks.
    pub explanation: Option<ReportExplanation>,
}

/// The calculations behind a [`StudentReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportExplanation {
    /// "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44", one term per mark in date order.
    pub average: Explanation,
    /// "X̄ = 40/9 ≈ 4.44; rounded to 2 decimals: 4.44 ≥ 3.65 → 4".
    pub term: Explanation,
}

/// A what-if question: which further marks of a work type bring the average to a target?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIfQuestion {
    /// The work type of the further marks.
    pub work_type: WorkTypeId,
    /// The mark every further mark is, or `None` for any mark up to the scale's highest.
    pub mark: Option<Name>,
    /// The target average (e.g. 4.65), compared under the term rule's rounding.
    pub target: Fraction,
}

/// The explained answer to a [`WhatIfQuestion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIfReport {
    /// The target asked for.
    pub target: Fraction,
    /// The work type of the further marks.
    pub work_type: WorkType,
    /// The mark assumed for every further mark: the one asked for, else the scale's highest.
    pub mark: Name,
    /// The student's average now (`None` without marks): the same as [`StudentReport::average`].
    pub current: Option<Average>,
    /// The fewest further marks, or why there is no such number.
    pub answer: WhatIf,
    /// When any mark was allowed: the lowest single mark that, given every time, is enough in
    /// that many marks.
    pub lowest_uniform: Option<Name>,
    /// When any mark was allowed: the least total of the further marks' values that is enough.
    pub least_total: Option<Fraction>,
    /// "(40 + 5·5·n) / (9 + 5·n) ≥ 4.645 → n = 2 → X̄ = 90/19 ≈ 4.74".
    pub explanation: Explanation,
}

impl WhatIfReport {
    /// The weight of the further marks.
    pub fn weight(&self) -> Weight {
        self.work_type.weight
    }
}

impl Gradebook {
    /// A student's report over a period (all marks with `None`): average, term mark and both
    /// calculations, each mark labelled «work type date».
    pub fn report(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
    ) -> Result<StudentReport, GradebookError> {
        self.report_labelled(student, policy, period, mark_label)
    }

    /// [`Gradebook::report`] with each mark of the calculation labelled by `label` (the command
    /// line labels a mark its file gave no date without one).
    pub fn report_labelled(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
        label: impl Fn(&Mark, &WorkType) -> String,
    ) -> Result<StudentReport, GradebookError> {
        let Some(average) = self.average(student, policy, period)? else {
            return Ok(StudentReport {
                student,
                count: 0,
                average: None,
                term: None,
                explanation: None,
            });
        };
        let rule = policy.term_rule();
        let term = rule.decide(average.value());
        let explanation = ReportExplanation {
            average: self.explain_average_labelled(student, policy, period, label)?,
            term: rule.explain(average.value(), &term),
        };
        Ok(StudentReport {
            student,
            count: average.count,
            average: Some(average),
            term: Some(term),
            explanation: Some(explanation),
        })
    }

    /// The explained what-if for a student over a period.
    pub fn what_if_explained(
        &self,
        student: StudentId,
        policy: &MarkingPolicy,
        period: Option<Period>,
        question: &WhatIfQuestion,
    ) -> Result<WhatIfReport, GradebookError> {
        let work = policy
            .work_type(question.work_type)
            .ok_or(GradebookError::UnknownWorkType(question.work_type))?
            .clone();
        let scale = policy.scale();
        let (mark, answer, lowest_uniform, least_total) = match &question.mark {
            Some(label) => {
                let on_scale = scale
                    .mark(label.as_str())
                    .ok_or_else(|| GradebookError::NotOnScale(label.to_string()))?;
                let answer = self.what_if(
                    student,
                    policy,
                    period,
                    work.id,
                    on_scale.label.as_str(),
                    question.target,
                )?;
                (on_scale, answer, None, None)
            }
            None => {
                let any = self.what_if_any(student, policy, period, work.id, question.target)?;
                (scale.highest(), any.answer, any.lowest_uniform, any.least_total)
            }
        };
        let current = self.average(student, policy, period)?;
        let explanation = explain_what_if(
            current.as_ref(),
            mark.value,
            work.weight,
            question.target,
            policy.term_rule().rounding(),
            &answer,
        )?;
        Ok(WhatIfReport {
            target: question.target,
            work_type: work,
            mark: mark.label.clone(),
            current,
            answer,
            lowest_uniform,
            least_total,
            explanation,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::explain::Lang;
    use crate::ids::{ClassId, MarkId};
    use crate::marks::gradebook::tests::{day, f};
    use crate::marks::policy::{CONTROL_WORK, HOMEWORK, LESSON_WORK};

    const WORKS: [WorkTypeId; 3] = [CONTROL_WORK, LESSON_WORK, HOMEWORK];

    /// A gradebook of student 1 under the school default: (work type index, day, mark).
    fn book(marks: &[(usize, u32, &str)]) -> Gradebook {
        let policy = MarkingPolicy::school_default();
        let mut b = Gradebook::new(ClassId::from_u128(5));
        for (i, (w, d, v)) in marks.iter().enumerate() {
            let mark = Mark {
                id: MarkId::from_u128(i as u128 + 1),
                student: StudentId::from_u128(1),
                work_type: WORKS[*w],
                date: day(*d),
                value: Name::parse(v).unwrap(),
                comment: None,
            };
            b.add(mark, &policy).unwrap();
        }
        b
    }

    /// The domain check: 5 (урок, w3), 5 (д/з, w1), 4 (к/р, w5).
    const DOMAIN: &[(usize, u32, &str)] = &[(1, 2, "5"), (2, 3, "5"), (0, 12, "4")];

    /// (marks, period) → (count, exact average, term mark, average and term calculations in
    /// English), or `None` without marks.
    fn check(
        marks: &[(usize, u32, &str)],
        period: Option<(u32, u32)>,
        expected: Option<(u64, &str, &str, &str, &str)>,
    ) {
        let policy = MarkingPolicy::school_default();
        let period = period.map(|(a, b)| Period::new(day(a), day(b)).unwrap());
        let r = book(marks).report(StudentId::from_u128(1), &policy, period).unwrap();
        let got = r.average.map(|a| {
            let e = r.explanation.as_ref().unwrap();
            (
                r.count,
                a.value().exact_text(),
                r.term.as_ref().unwrap().mark.to_string(),
                e.average.render(Lang::En),
                e.term.render(Lang::En),
            )
        });
        let expected = expected
            .map(|(n, a, t, ea, et)| (n, a.to_owned(), t.to_owned(), ea.to_owned(), et.to_owned()));
        assert_eq!(got, expected, "{marks:?} {period:?}");
        if got.is_none() {
            assert_eq!((r.count, &r.term, &r.explanation), (0, &None, &None));
        }
    }

    #[test]
    fn reports() {
        check(
            DOMAIN,
            None,
            Some((
                3,
                "40/9",
                "4",
                "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44",
                "X̄ = 40/9 ≈ 4.44; rounded to 2 decimals: 4.44 ≥ 3.65 → 4",
            )),
        );
        check(
            DOMAIN,
            Some((1, 10)),
            Some((
                2,
                "5",
                "5",
                "(5·3 + 5·1) / (3 + 1) = 20/4 = 5",
                "X̄ = 5; rounded to 2 decimals: 5 ≥ 4.65 → 5",
            )),
        );
        check(DOMAIN, Some((20, 30)), None);
        check(&[], None, None);
        // Dates order the calculation, not the order the marks were given.
        check(
            &[(2, 9, "2"), (0, 1, "3")],
            None,
            Some((
                2,
                "17/6",
                "3",
                "(3·5 + 2·1) / (5 + 1) = 17/6 ≈ 2.83",
                "X̄ = 17/6 ≈ 2.83; rounded to 2 decimals: 2.83 ≥ 2.65 → 3",
            )),
        );
        let policy = MarkingPolicy::school_default();
        let r = book(DOMAIN).report(StudentId::from_u128(1), &policy, None).unwrap();
        let terms = &r.explanation.unwrap().average.terms;
        assert_eq!(terms[0].label, "Работа на уроке 02.09.2024");
        let labelled = book(DOMAIN)
            .report_labelled(StudentId::from_u128(1), &policy, None, |_, w| w.name.to_string())
            .unwrap();
        assert_eq!(labelled.explanation.unwrap().average.terms[2].label, "Контрольная работа");
    }

    /// (marks, work type index, fixed mark, target) → (answer, assumed mark, lowest uniform
    /// mark, calculation in English).
    fn check_what_if(
        marks: &[(usize, u32, &str)],
        work: usize,
        mark: Option<&str>,
        target: &str,
        expected: (WhatIf, &str, Option<&str>, &str),
    ) {
        let policy = MarkingPolicy::school_default();
        let question = WhatIfQuestion {
            work_type: WORKS[work],
            mark: mark.map(|m| Name::parse(m).unwrap()),
            target: f(target),
        };
        let w = book(marks)
            .what_if_explained(StudentId::from_u128(1), &policy, None, &question)
            .unwrap();
        let got = (
            w.answer,
            w.mark.to_string(),
            w.lowest_uniform.as_ref().map(Name::to_string),
            w.explanation.render(Lang::En),
        );
        let (answer, m, low, e) = expected;
        assert_eq!(got, (answer, m.to_owned(), low.map(str::to_owned), e.to_owned()));
        assert_eq!(w.weight(), policy.work_type(WORKS[work]).unwrap().weight);
    }

    #[test]
    fn what_if_is_answered_and_explained() {
        let needs = |count, average: &str| WhatIf::Needs { count, average: f(average) };
        check_what_if(
            DOMAIN,
            0,
            None,
            "4.65",
            (
                needs(2, "90/19"),
                "5",
                Some("5"),
                "rounded to 2 decimals: 4.645 → 4.65\n\
                 (40 + 5·5·n) / (9 + 5·n) ≥ 4.645 → n = 2 → X̄ = 90/19 ≈ 4.74",
            ),
        );
        check_what_if(
            DOMAIN,
            2,
            Some("4"),
            "4.65",
            (
                WhatIf::Unreachable,
                "4",
                None,
                "rounded to 2 decimals: 4.645 → 4.65\n(40 + 4·1·n) / (9 + 1·n) ≥ 4.645 → unreachable",
            ),
        );
        check_what_if(
            DOMAIN,
            1,
            None,
            "4",
            (
                WhatIf::AlreadyReached,
                "5",
                None,
                "rounded to 2 decimals: 3.995 → 4\n(40 + 5·3·n) / (9 + 3·n) ≥ 3.995 → already reached",
            ),
        );
        // Without marks one mark decides; a 4 is the lowest that gives 3.65 in one mark.
        check_what_if(
            &[],
            1,
            None,
            "3.65",
            (
                needs(1, "5"),
                "5",
                Some("4"),
                "rounded to 2 decimals: 3.645 → 3.65\n(0 + 5·3·n) / (0 + 3·n) ≥ 3.645 → n = 1 → X̄ = 5",
            ),
        );
    }

    #[test]
    fn what_if_refuses_what_the_policy_does_not_have() {
        let policy = MarkingPolicy::school_default();
        let b = book(DOMAIN);
        let ask = |work_type, mark: Option<&str>| {
            let mark = mark.map(|m| Name::parse(m).unwrap());
            let q = WhatIfQuestion { work_type, mark, target: f("4.65") };
            b.what_if_explained(StudentId::from_u128(1), &policy, None, &q).map(|w| w.answer)
        };
        let unknown = WorkTypeId::from_u128(99);
        assert_eq!(ask(unknown, None), Err(GradebookError::UnknownWorkType(unknown)));
        assert_eq!(ask(CONTROL_WORK, Some("5+")), Err(GradebookError::NotOnScale("5+".into())));
    }

    fn marks_strategy() -> impl Strategy<Value = Vec<(usize, u32, usize)>> {
        proptest::collection::vec((0usize..3, 1u32..29, 0usize..4), 0..40)
    }

    fn book_of(marks: &[(usize, u32, usize)]) -> Gradebook {
        let policy = MarkingPolicy::school_default();
        let labels: Vec<String> =
            marks.iter().map(|(_, _, v)| policy.scale().marks()[*v].label.to_string()).collect();
        let given: Vec<(usize, u32, &str)> =
            marks.iter().zip(&labels).map(|((w, d, _), l)| (*w, *d, l.as_str())).collect();
        book(&given)
    }

    proptest! {
        #[test]
        fn the_report_is_the_weighted_average_of_the_marks_in_the_period(
            marks in marks_strategy(),
            (from, to) in (1u32..29, 1u32..29),
        ) {
            let policy = MarkingPolicy::school_default();
            let period = Period::new(day(from.min(to)), day(from.max(to))).unwrap();
            let r = book_of(&marks).report(StudentId::from_u128(1), &policy, Some(period)).unwrap();
            let counted: Vec<_> = marks.iter().filter(|(_, d, _)| period.contains(day(*d))).collect();
            let expected = Average::of(counted.iter().map(|(w, _, v)| {
                (policy.scale().marks()[*v].value, policy.work_types()[*w].weight)
            }))
            .unwrap();
            prop_assert_eq!(r.average, expected);
            prop_assert_eq!(r.count, counted.len() as u64);
            prop_assert_eq!(&r.term, &expected.map(|a| policy.term_rule().decide(a.value())));
            let terms = r.explanation.map_or(0, |e| e.average.terms.len());
            prop_assert_eq!(terms, counted.len());
        }

        #[test]
        fn the_what_if_starts_from_the_report(
            marks in marks_strategy(),
            work in 0usize..3,
            target100 in 200i128..=500,
        ) {
            let policy = MarkingPolicy::school_default();
            let b = book_of(&marks);
            let student = StudentId::from_u128(1);
            let report = b.report(student, &policy, None).unwrap();
            let target = Fraction::new(target100, 100).unwrap();
            let q = WhatIfQuestion { work_type: WORKS[work], mark: None, target };
            let w = b.what_if_explained(student, &policy, None, &q).unwrap();
            prop_assert_eq!(w.current, report.average);
            let rounding = policy.term_rule().rounding();
            let reached = report.average.is_some_and(|a| rounding.apply(a.value()) >= target);
            match w.answer {
                // Zero further marks: the report as it is reaches the target.
                WhatIf::AlreadyReached => prop_assert!(reached),
                WhatIf::Unreachable => prop_assert!(!reached),
                WhatIf::Needs { count, average } => {
                    prop_assert!(!reached);
                    let top = policy.scale().highest().value;
                    let after = match report.average {
                        Some(a) => a.with(top, w.weight(), count).unwrap(),
                        None => Average::of([(top, w.weight())]).unwrap().unwrap()
                            .with(top, w.weight(), count - 1).unwrap(),
                    };
                    prop_assert_eq!(after.value(), average);
                }
            }
        }
    }
}
