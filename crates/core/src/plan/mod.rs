//! The community (ПОС) plan: the model (aim, tasks, members, events with periods and kinds,
//! observation protocols, the bank of practices), goals whose indicators are computed from
//! evidence, and the importer of plans pasted from document tables.
//!
//! - [`period`]: months, ranges that wrap the September → August school year, «В течение
//!   года», «по графику», dates, deadlines, quarters and halves, the end of the year, the
//!   August before it, school years, and the order the year runs in;
//! - [`kind`]: event kinds and their inference from a title;
//! - [`model`]: the validated plan, members, events, protocols, practices;
//! - [`calendar`]: the year September → August and overdue events;
//! - [`goals`]: indicators, their current values and trends, goals suggested from wording;
//! - [`protocol`]: an open lesson's observation form and holding the event it records;
//! - [`bank`]: searching and filtering the bank of practices;
//! - [`report`]: «Анализ работы ПОС за год», the year's report data (events by status, goals
//!   against their targets with trends, open lessons, practices, diagnostics, what was not done);
//! - [`import`]: [`import_plan`] / [`try_import_plan`], total and linear, bounded in size,
//!   every line used or reported: header tables, direction grids, and headerless text read by
//!   its cues.
//!
//! [`import_plan`] takes any `&str`, never panics and runs in time linear in its length, so a
//! fuzz target can call it directly (`if let Ok(s) = std::str::from_utf8(data) {
//! let _ = import_plan(s); }`).

pub mod bank;
pub mod calendar;
pub mod goals;
pub mod import;
pub mod kind;
pub mod model;
pub mod period;
pub mod protocol;
pub mod report;

pub use bank::{PracticeQuery, subjects};
pub use calendar::{Slot, current_year, is_overdue, period_end, year_calendar};
pub use goals::{
    BandSnapshot, Goal, GoalInputs, Indicator, Measured, Tracked, band_shift, lessons_behind,
    measure, measure_all, suggest_goals, suggest_indicators, technique_lessons_by_month, trend,
};
pub use import::{
    ColumnRole, ImportError, ImportProblem, ImportedEvent, ImportedHeader, ImportedMember, Layout,
    LineUse, MAX_PLAN_BYTES, MAX_PROBLEMS, OUTPUT_FACTOR, PlanImport, ProblemCause, UnreadLine,
    import_plan, try_import_plan,
};
pub use kind::EventKind;
pub use model::{
    Event, EventStatus, Link, Member, MemberRole, ObservationProtocol, Plan, PlanDraft, PlanError,
    Practice, PracticeDraft,
};
pub use period::{EXCERPT_CHARS, Half, Month, Period, PeriodError, Quarter, SchoolYear, excerpt};
pub use protocol::{ProtocolForm, Seen, hold_open_lesson};
pub use report::{
    DiagnosticsShift, EventLine, GoalLine, IndicatorLine, NotDone, OpenLessonLine, StatusCounts,
    YearReport, year_report,
};
