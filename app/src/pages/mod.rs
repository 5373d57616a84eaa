//! Pages, one per route, one component per file.

pub mod calibration;
pub mod catalogue;
pub mod class_page;
pub mod class_scope;
pub mod community;
pub mod data_page;
pub mod diagnostic_run;
pub mod diagnostic_tablet;
pub mod diagnostics;
pub mod gradebook;
pub mod home;
pub mod lesson_page;
pub mod map_scores;
pub mod map_student;
pub mod map_teacher;
pub mod mastery;
pub mod new_class;
pub mod new_lesson;
pub mod not_found;
pub mod plan_import;
pub mod rubric_page;
pub mod rubrics;
pub mod student_history;
pub mod student_lesson;
pub mod student_mode;
