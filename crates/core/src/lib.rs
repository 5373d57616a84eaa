//! Lesenka's domain: formative and criteria-based assessment, pure and sans-IO.
//!
//! Everything the app, the school server and the command line compute lives here: criteria and
//! rubrics, points → marks, the weighted average, mastery over time, formative techniques and the
//! evidence they produce, self/teacher calibration, concept-map scoring, the community (ПОС) plan
//! and its importer, diagnostics, and the versioned persistence format.
//!
//! Core never does I/O, never reads a clock and never makes randomness: ids, dates and times are
//! passed in by the caller.

pub mod calibration;
pub mod conceptmap;
pub mod criteria;
pub mod dataset;
pub mod diagnostics;
pub mod evidence;
pub mod explain;
pub mod ids;
pub mod iso;
pub mod lesson;
pub mod live;
pub mod marks;
pub mod mastery;
pub mod peer;
pub mod persist;
pub mod plan;
pub mod roster;
pub mod rubric;
pub mod summary;
pub mod technique;
pub mod text;
