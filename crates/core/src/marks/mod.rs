//! Marks: scales, points → mark tables, work-type weights, weighted averages, term marks,
//! what-if answers and the class gradebook.

pub mod exact;

pub use exact::{Fraction, FractionError};
