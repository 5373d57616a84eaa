//! Marks: scales, points → mark tables, work-type weights, weighted averages, term marks,
//! what-if answers and the class gradebook.
//!
//! - [`exact`]: [`Fraction`], exact rational arithmetic for every number that decides a mark;
//! - [`scale`]: [`MarkScale`] (Russian 5-point with optional ± valued by [`PlusMinus`], 10-point,
//!   pass/fail, custom);
//! - [`table`]: [`MarkTable`], points/percent → mark bands with conditions;
//! - [`average`]: [`WorkType`] weights, [`Average`] (X̄ = Σwᵢxᵢ / Σwᵢ), [`TermRule`] with a stated
//!   [`Rounding`], and the exact what-if solver [`fewest_marks`];
//! - [`policy`]: [`MarkingPolicy`], a school's scale, weights, rule and tables, checked together;
//! - [`gradebook`]: [`Gradebook`], a class's marks with per-student averages and term marks;
//! - [`report`]: what shells show — each student's [`StudentReport`] (average, term mark, both
//!   calculations) and the explained what-if [`WhatIfReport`];
//! - [`assessed`]: a rubric assessment → a gradebook mark by the policy's table
//!   ([`assessment_mark`], [`MarkingPolicy::band_mark`]).
//!
//! [`MarkingPolicy::school_default`] is the policy every shell uses until the school sets one;
//! its work types have the fixed ids [`CONTROL_WORK`], [`LESSON_WORK`] and [`HOMEWORK`].
//!
//! Every figure can be explained with [`crate::explain`].

pub mod assessed;
pub mod average;
pub mod exact;
pub mod gradebook;
pub mod policy;
pub mod report;
pub mod scale;
pub mod table;

pub use assessed::{AssessedError, AssessmentMark, BandMark, assessment_mark};
pub use average::{
    AnyWhatIf, Average, AverageError, Entry, Rounding, TermMark, TermRule, Threshold, Weight,
    WhatIf, WorkType, example_work_types, explain_average, explain_what_if, fewest_marks,
    fewest_marks_any,
};
pub use exact::{Fraction, FractionError};
pub use gradebook::{Gradebook, GradebookError, Mark, Period, StudentSummary};
pub use policy::{CONTROL_WORK, HOMEWORK, LESSON_WORK, MarkingPolicy, PolicyError, PolicyPlace};
pub use report::{ReportExplanation, StudentReport, WhatIfQuestion, WhatIfReport};
pub use scale::{MarkScale, PlusMinus, ScaleError, ScaleMark};
pub use table::{Band, BandChoice, Basis, Condition, Facts, MarkTable, TableError};
