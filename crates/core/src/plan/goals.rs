//! Goals of a community plan and their indicators, whose current values are computed from the
//! evidence the community collects: techniques used in lessons by month, open lessons held,
//! the bank of practices, who gave an open lesson, diagnostics at the start and end of the year,
//! satisfaction surveys.
//!
//! Nothing here reads a clock: the caller passes the school year and the "as of" date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::model::{Event, EventStatus, Member, MemberRole, ObservationProtocol, Practice};
use super::period::{Month, SchoolYear};
use crate::evidence::{EvidenceRecord, YearMonth};
use crate::ids::{GoalId, LessonId, MemberId};
use crate::technique::TechniqueKind;
use crate::text::Name;

/// A measurable sign that a goal is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Indicator {
    /// Every month of the year so far has at least `lessons_per_month` lessons using the
    /// technique (any technique when `None`). The current value is the lowest monthly count.
    TechniqueUse {
        /// The technique, or any.
        technique: Option<TechniqueKind>,
        /// Lessons per month wanted.
        lessons_per_month: u32,
    },
    /// At least `target` open lessons held (protocols or open-lesson events marked done).
    OpenLessonsHeld {
        /// Open lessons wanted.
        target: u32,
    },
    /// The bank of practices holds at least `target` practices.
    PracticeBankSize {
        /// Practices wanted.
        target: u32,
    },
    /// At least `target` practices added during the school year.
    PracticeBankGrowth {
        /// New practices wanted.
        target: u32,
    },
    /// Every teaching member (all but invited experts) gave an open lesson.
    EveryMemberOpenLesson,
    /// Diagnostics taken both at the start (September–November) and at the end (March–August).
    DiagnosticsAtStartAndEnd,
    /// The community presented its experience at least `target` times: held events of a
    /// presenting kind (доклад, мастер-класс, открытый урок, семинар, семинар-практикум,
    /// вебинар, круглый стол, фестиваль, экспертная сессия).
    ExperiencePresented {
        /// Presentations wanted.
        target: u32,
    },
    /// A satisfaction survey gathered at least `responses` answers.
    SatisfactionMeasured {
        /// Answers wanted.
        responses: u32,
    },
}

/// A goal of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Id, made by the caller.
    pub id: GoalId,
    /// The goal as the plan words it.
    pub title: Name,
    /// How it is measured.
    pub indicators: Vec<Indicator>,
}

/// Counts of a diagnostic's bands at one moment (the diagnostics module computes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandSnapshot {
    /// When the diagnostic was taken.
    pub taken_on: NaiveDate,
    /// Band label and count, in the diagnostic's own order (highest band first).
    pub bands: Vec<(String, u32)>,
}

impl BandSnapshot {
    /// Everyone counted.
    pub fn total(&self) -> u32 {
        self.bands.iter().map(|(_, n)| n).sum()
    }
}

/// Everything the indicators are computed from.
#[derive(Debug, Clone, Copy)]
pub struct GoalInputs<'a> {
    /// The school year measured.
    pub year: SchoolYear,
    /// Measure as of this date (months after it are not counted yet).
    pub as_of: NaiveDate,
    /// Evidence from lessons.
    pub evidence: &'a [EvidenceRecord],
    /// The plan's events.
    pub events: &'a [Event],
    /// The plan's members.
    pub members: &'a [Member],
    /// Observation protocols of open lessons.
    pub protocols: &'a [ObservationProtocol],
    /// The bank of practices.
    pub practices: &'a [Practice],
    /// Diagnostics band counts, any number of moments.
    pub diagnostics: &'a [BandSnapshot],
    /// Answers gathered by satisfaction surveys this year.
    pub satisfaction_responses: u32,
}

/// An indicator's value now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// The indicator.
    pub indicator: Indicator,
    /// Current value.
    pub current: u32,
    /// Value wanted.
    pub target: u32,
    /// Whether it is reached.
    pub met: bool,
}

/// For each month, for each technique, the number of distinct lessons in which it was used
/// (a technique used with 25 students in one lesson counts once).
pub fn technique_lessons_by_month(
    evidence: &[EvidenceRecord],
) -> BTreeMap<YearMonth, BTreeMap<TechniqueKind, u32>> {
    LessonsByMonth::of(evidence).by_technique
}

/// Distinct lessons per month, per technique and with any technique, from one pass.
struct LessonsByMonth {
    by_technique: BTreeMap<YearMonth, BTreeMap<TechniqueKind, u32>>,
    any: BTreeMap<YearMonth, u32>,
}

impl LessonsByMonth {
    fn of(evidence: &[EvidenceRecord]) -> Self {
        // Records of one lesson and technique mostly come together (a class answers at once),
        // so a record repeating the previous one's lesson and technique is skipped before the
        // set is touched: the sets then hold a few entries per lesson, not one per record.
        let mut with_technique: BTreeSet<(YearMonth, TechniqueKind, LessonId)> = BTreeSet::new();
        let mut lessons: BTreeSet<(YearMonth, LessonId)> = BTreeSet::new();
        let mut previous: Option<(LessonId, TechniqueKind)> = None;
        for r in evidence {
            let key = (r.lesson(), r.technique());
            if previous == Some(key) {
                continue;
            }
            previous = Some(key);
            let month = YearMonth::of(r.lesson_date());
            with_technique.insert((month, r.technique(), r.lesson()));
            lessons.insert((month, r.lesson()));
        }
        let mut by_technique: BTreeMap<YearMonth, BTreeMap<TechniqueKind, u32>> = BTreeMap::new();
        for (month, technique, _) in with_technique {
            *by_technique.entry(month).or_default().entry(technique).or_default() += 1;
        }
        let mut any: BTreeMap<YearMonth, u32> = BTreeMap::new();
        for (month, _) in lessons {
            *any.entry(month).or_default() += 1;
        }
        Self { by_technique, any }
    }
}

/// The months of `year` from September up to and including the month of `as_of`.
pub fn elapsed_months(year: SchoolYear, as_of: NaiveDate) -> Vec<YearMonth> {
    Month::SCHOOL_YEAR
        .iter()
        .filter_map(|&month| YearMonth::new(year.year_of(month), month.number()).ok())
        .filter(|m| *m <= YearMonth::of(as_of))
        .collect()
}

/// Distinct open lessons held up to `as_of`: lessons with a protocol, plus open-lesson events
/// marked done (an event linked to a lesson that has a protocol counts once).
pub fn open_lessons_held(inputs: &GoalInputs<'_>) -> u32 {
    let mut lessons: BTreeSet<LessonId> =
        inputs.protocols.iter().filter(|p| p.date <= inputs.as_of).map(|p| p.lesson).collect();
    let mut unlinked = 0u32;
    for e in inputs.events.iter().filter(|e| e.is_held_open_lesson()) {
        match e.lesson {
            Some(l) => {
                lessons.insert(l);
            }
            None => unlinked += 1,
        }
    }
    u32::try_from(lessons.len()).unwrap_or(u32::MAX).saturating_add(unlinked)
}

/// Members who gave an open lesson (a protocol names them as the teacher, or a held
/// open-lesson event lists them).
pub fn members_with_open_lesson(inputs: &GoalInputs<'_>) -> BTreeSet<MemberId> {
    let mut who: BTreeSet<MemberId> =
        inputs.protocols.iter().filter(|p| p.date <= inputs.as_of).map(|p| p.teacher).collect();
    for e in inputs.events.iter().filter(|e| e.is_held_open_lesson()) {
        who.extend(e.given_by.iter().copied());
    }
    who
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Computes one indicator.
pub fn measure(indicator: &Indicator, inputs: &GoalInputs<'_>) -> Measured {
    measure_by(indicator, inputs, None)
}

/// An indicator measured, with its trend ([`trend`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    /// Its value now.
    pub measured: Measured,
    /// Its value month by month over the elapsed months.
    pub trend: Vec<(YearMonth, u32)>,
}

/// Every indicator of every goal, measured with its trend, in the goals' order: the same
/// figures as [`measure`] and [`trend`], with the evidence read once for all of them.
pub fn measure_all(goals: &[Goal], inputs: &GoalInputs<'_>) -> Vec<Vec<Tracked>> {
    let uses_evidence = goals
        .iter()
        .flat_map(|g| &g.indicators)
        .any(|i| matches!(i, Indicator::TechniqueUse { .. }));
    let by_month = uses_evidence.then(|| LessonsByMonth::of(inputs.evidence));
    goals
        .iter()
        .map(|g| {
            g.indicators
                .iter()
                .map(|i| Tracked {
                    measured: measure_by(i, inputs, by_month.as_ref()),
                    trend: trend_by(i, inputs, by_month.as_ref()),
                })
                .collect()
        })
        .collect()
}

/// [`measure`] with the lessons by month already counted (counted here when `None`).
fn measure_by(
    indicator: &Indicator,
    inputs: &GoalInputs<'_>,
    counted: Option<&LessonsByMonth>,
) -> Measured {
    let (current, target) = match indicator {
        Indicator::TechniqueUse { technique, lessons_per_month } => {
            let own;
            let by_month = match counted {
                Some(c) => c,
                None => {
                    own = LessonsByMonth::of(inputs.evidence);
                    &own
                }
            };
            let lowest = elapsed_months(inputs.year, inputs.as_of)
                .iter()
                .map(|m| match technique {
                    Some(t) => {
                        by_month.by_technique.get(m).and_then(|c| c.get(t)).copied().unwrap_or(0)
                    }
                    // Any technique: distinct lessons with any evidence that month.
                    None => by_month.any.get(m).copied().unwrap_or(0),
                })
                .min()
                .unwrap_or(0);
            (lowest, *lessons_per_month)
        }
        Indicator::OpenLessonsHeld { target } => (open_lessons_held(inputs), *target),
        Indicator::PracticeBankSize { target } => (
            count(inputs.practices.iter().filter(|p| p.added_on() <= inputs.as_of).count()),
            *target,
        ),
        Indicator::PracticeBankGrowth { target } => (
            count(
                inputs
                    .practices
                    .iter()
                    .filter(|p| inputs.year.contains(p.added_on()) && p.added_on() <= inputs.as_of)
                    .count(),
            ),
            *target,
        ),
        Indicator::EveryMemberOpenLesson => {
            let teaching: BTreeSet<MemberId> = inputs
                .members
                .iter()
                .filter(|m| m.role != MemberRole::Expert)
                .map(|m| m.id)
                .collect();
            let gave = members_with_open_lesson(inputs);
            (count(teaching.intersection(&gave).count()), count(teaching.len()))
        }
        Indicator::DiagnosticsAtStartAndEnd => {
            let taken: Vec<&BandSnapshot> = inputs
                .diagnostics
                .iter()
                .filter(|d| inputs.year.contains(d.taken_on) && d.total() > 0)
                .filter(|d| d.taken_on <= inputs.as_of)
                .collect();
            let month = |d: &&BandSnapshot| d.taken_on.month();
            let start = taken.iter().any(|d| (9..=11).contains(&month(d)));
            let end = taken.iter().any(|d| (3..=8).contains(&month(d)));
            (u32::from(start) + u32::from(end), 2)
        }
        Indicator::ExperiencePresented { target } => (
            count(
                inputs
                    .events
                    .iter()
                    .filter(|e| e.status == EventStatus::Done && e.kind.presents_experience())
                    .count(),
            ),
            *target,
        ),
        Indicator::SatisfactionMeasured { responses } => {
            (inputs.satisfaction_responses, *responses)
        }
    };
    let met = target > 0 && current >= target;
    Measured { indicator: indicator.clone(), current, target, met }
}

impl Goal {
    /// Every indicator of the goal, measured.
    pub fn progress(&self, inputs: &GoalInputs<'_>) -> Vec<Measured> {
        self.indicators.iter().map(|i| measure(i, inputs)).collect()
    }

    /// Whether every indicator is met (a goal without indicators is never met).
    pub fn is_met(&self, inputs: &GoalInputs<'_>) -> bool {
        let progress = self.progress(inputs);
        !progress.is_empty() && progress.iter().all(|m| m.met)
    }
}

/// Indicators a plan's wording calls for, with starting targets the leader then adjusts:
/// «банк практик» → bank size (10) and growth (5); «открытый урок» with «каждый» → every member
/// gives one, otherwise 4 open lessons; «приём…/техник… формирующего оценивания» on lessons →
/// 4 lessons a month with any technique; «диагности…» → start and end diagnostics;
/// «удовлетворённост…» → a survey with 20 answers; «опыт» with «обобщ/описа/предъяв/
/// распростран/представ» → 3 presentations. Each indicator appears once, in this order.
pub fn suggest_indicators(text: &str) -> Vec<Indicator> {
    let t = crate::text::fold_case(text);
    let has = |stems: &[&str]| stems.iter().any(|s| t.contains(s));
    let mut out = Vec::new();
    if has(&["банк практик", "банка практик", "банке практик"]) {
        out.push(Indicator::PracticeBankSize { target: 10 });
        out.push(Indicator::PracticeBankGrowth { target: 5 });
    }
    if has(&["открыт"]) && has(&["урок"]) {
        if has(&["кажд", "всеми член", "все член"]) {
            out.push(Indicator::EveryMemberOpenLesson);
        } else {
            out.push(Indicator::OpenLessonsHeld { target: 4 });
        }
    }
    if has(&["прием", "приемов", "техник", "технологи"]) && has(&["формирующ"]) && has(&["урок"])
    {
        out.push(Indicator::TechniqueUse { technique: None, lessons_per_month: 4 });
    }
    if has(&["диагности"]) {
        out.push(Indicator::DiagnosticsAtStartAndEnd);
    }
    if has(&["удовлетворенност"]) {
        out.push(Indicator::SatisfactionMeasured { responses: 20 });
    }
    if has(&["опыт"]) && has(&["обобщ", "описа", "предъяв", "распростран", "представ"])
    {
        out.push(Indicator::ExperiencePresented { target: 3 });
    }
    out
}

impl Indicator {
    /// The target the leader can adjust, when the indicator has one (every member's open
    /// lesson and the two diagnostics have a fixed one).
    pub fn target(&self) -> Option<u32> {
        match self {
            Self::TechniqueUse { lessons_per_month: n, .. }
            | Self::OpenLessonsHeld { target: n }
            | Self::PracticeBankSize { target: n }
            | Self::PracticeBankGrowth { target: n }
            | Self::ExperiencePresented { target: n }
            | Self::SatisfactionMeasured { responses: n } => Some(*n),
            Self::EveryMemberOpenLesson | Self::DiagnosticsAtStartAndEnd => None,
        }
    }

    /// The same indicator with another target (unchanged when it has none).
    pub fn with_target(&self, target: u32) -> Indicator {
        let mut out = self.clone();
        match &mut out {
            Self::TechniqueUse { lessons_per_month: n, .. }
            | Self::OpenLessonsHeld { target: n }
            | Self::PracticeBankSize { target: n }
            | Self::PracticeBankGrowth { target: n }
            | Self::ExperiencePresented { target: n }
            | Self::SatisfactionMeasured { responses: n } => *n = target,
            Self::EveryMemberOpenLesson | Self::DiagnosticsAtStartAndEnd => {}
        }
        out
    }
}

/// Goals suggested from a plan's wording: one per text (the aim, then each task) whose words
/// call for indicators ([`suggest_indicators`]), titled by the text (cut to a name's length);
/// an indicator already suggested by an earlier text is not repeated. `id` makes each goal's id.
pub fn suggest_goals<'t>(
    texts: impl IntoIterator<Item = &'t str>,
    mut id: impl FnMut() -> GoalId,
) -> Vec<Goal> {
    let mut seen: Vec<Indicator> = Vec::new();
    let mut goals = Vec::new();
    for text in texts {
        let indicators: Vec<Indicator> =
            suggest_indicators(text).into_iter().filter(|i| !seen.contains(i)).collect();
        if indicators.is_empty() {
            continue;
        }
        let cut: String = text.chars().take(Name::MAX_CHARS).collect();
        let Ok(title) = Name::parse(&cut) else { continue };
        seen.extend(indicators.iter().cloned());
        goals.push(Goal { id: id(), title, indicators });
    }
    goals
}

#[cfg(test)]
mod suggested_goals {
    use super::*;

    #[test]
    fn one_goal_per_text_and_each_indicator_once() {
        let mut n = 0u128;
        let goals = suggest_goals(
            [
                "Внедрить приёмы формирующего оценивания на уроках",
                "Разработать нормативную базу",
                "Провести открытые уроки; использовать техники формирующего оценивания на уроке",
            ],
            || {
                n += 1;
                GoalId::from_u128(n)
            },
        );
        assert_eq!(goals.len(), 2);
        assert_eq!(
            goals[0].indicators,
            vec![Indicator::TechniqueUse { technique: None, lessons_per_month: 4 }]
        );
        assert_eq!(goals[1].indicators, vec![Indicator::OpenLessonsHeld { target: 4 }]);
        assert_eq!(goals[1].id, GoalId::from_u128(2));
        let long = "открытый урок ".repeat(100);
        let cut = suggest_goals([long.as_str()], || GoalId::from_u128(9));
        assert!(cut[0].title.as_str().chars().count() <= Name::MAX_CHARS);
    }

    #[test]
    fn targets_change_only_where_there_is_one() {
        let i = Indicator::OpenLessonsHeld { target: 4 };
        assert_eq!(i.target(), Some(4));
        assert_eq!(i.with_target(7), Indicator::OpenLessonsHeld { target: 7 });
        let every = Indicator::EveryMemberOpenLesson;
        assert_eq!(every.target(), None);
        assert_eq!(every.with_target(7), every);
    }
}

/// An indicator month by month over the elapsed months of the year (its trend): for technique
/// use, the lessons of each month with the technique; for the others, the value measured as of
/// each month's last day (or `as_of` in the current month).
pub fn trend(indicator: &Indicator, inputs: &GoalInputs<'_>) -> Vec<(YearMonth, u32)> {
    trend_by(indicator, inputs, None)
}

/// [`trend`] with the lessons by month already counted (counted here when `None`).
fn trend_by(
    indicator: &Indicator,
    inputs: &GoalInputs<'_>,
    counted: Option<&LessonsByMonth>,
) -> Vec<(YearMonth, u32)> {
    let months = elapsed_months(inputs.year, inputs.as_of);
    if let Indicator::TechniqueUse { technique, .. } = indicator {
        let own;
        let by_month = match counted {
            Some(c) => c,
            None => {
                own = LessonsByMonth::of(inputs.evidence);
                &own
            }
        };
        return months
            .into_iter()
            .map(|m| {
                let n = match technique {
                    Some(t) => by_month.by_technique.get(&m).and_then(|c| c.get(t)).copied(),
                    None => by_month.any.get(&m).copied(),
                };
                (m, n.unwrap_or(0))
            })
            .collect();
    }
    months
        .into_iter()
        .map(|m| {
            let next = if m.month() == 12 { (m.year() + 1, 1) } else { (m.year(), m.month() + 1) };
            let end = NaiveDate::from_ymd_opt(next.0, next.1, 1)
                .and_then(|d| d.pred_opt())
                .map_or(inputs.as_of, |d| d.min(inputs.as_of));
            (m, measure(indicator, &GoalInputs { as_of: end, ..*inputs }).current)
        })
        .collect()
}

#[cfg(test)]
mod trends {
    use super::*;

    #[test]
    fn trend_of_a_count_is_measured_at_each_month_end() {
        let year = SchoolYear::new(2023).unwrap();
        let inputs = GoalInputs {
            year,
            as_of: NaiveDate::from_ymd_opt(2023, 11, 15).unwrap(),
            evidence: &[],
            events: &[],
            members: &[],
            protocols: &[],
            practices: &[],
            diagnostics: &[],
            satisfaction_responses: 3,
        };
        let t = trend(&Indicator::SatisfactionMeasured { responses: 5 }, &inputs);
        assert_eq!(t.len(), 3);
        assert!(t.iter().all(|(_, n)| *n == 3));
        let t = trend(&Indicator::TechniqueUse { technique: None, lessons_per_month: 1 }, &inputs);
        assert_eq!(t.iter().map(|(_, n)| *n).collect::<Vec<_>>(), vec![0, 0, 0]);
        assert_eq!(t[0].0, YearMonth::new(2023, 9).unwrap());
    }
}

/// The lessons behind a technique-use indicator, for drilling down: each lesson of the
/// elapsed months of the year with evidence of the technique (any technique when `None`), with
/// its date, its records of that technique and the students they are about, in date order.
pub fn lessons_behind(
    technique: Option<TechniqueKind>,
    inputs: &GoalInputs<'_>,
) -> Vec<(LessonId, NaiveDate, u32, BTreeSet<crate::ids::StudentId>)> {
    let months: BTreeSet<YearMonth> =
        elapsed_months(inputs.year, inputs.as_of).into_iter().collect();
    let mut by_lesson: BTreeMap<LessonId, (NaiveDate, u32, BTreeSet<crate::ids::StudentId>)> =
        BTreeMap::new();
    for r in inputs.evidence {
        if technique.is_some_and(|t| t != r.technique())
            || !months.contains(&YearMonth::of(r.lesson_date()))
        {
            continue;
        }
        let entry = by_lesson.entry(r.lesson()).or_insert((r.lesson_date(), 0, BTreeSet::new()));
        entry.1 += 1;
        entry.2.extend(r.student());
    }
    let mut out: Vec<_> = by_lesson.into_iter().map(|(l, (d, n, s))| (l, d, n, s)).collect();
    out.sort_by_key(|(l, d, ..)| (*d, *l));
    out
}

#[cfg(test)]
mod drill_down {
    use super::*;
    use crate::evidence::{EvidenceDraft, Source};
    use crate::ids::{ClassId, CriterionId, EvidenceId, StudentId};
    use crate::technique::{Light, Response};
    use chrono::{TimeZone, Utc};

    #[test]
    fn lessons_behind_count_records_and_students_per_lesson() {
        let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).unwrap();
        let rec = |n: u128, lesson: u128, date: NaiveDate, student: u128, t: TechniqueKind| {
            EvidenceRecord::new(EvidenceDraft {
                id: EvidenceId::from_u128(n),
                lesson: LessonId::from_u128(lesson),
                lesson_date: date,
                class: ClassId::from_u128(1),
                student: Some(StudentId::from_u128(student)),
                criterion: CriterionId::from_u128(1),
                technique: t,
                value: if t == TechniqueKind::Ladder {
                    Response::Step(1)
                } else {
                    Response::Light(Light::Green)
                },
                source: Source::SelfAssessment,
                author: None,
                recorded_at: Utc.with_ymd_and_hms(2023, 9, 1, 9, 0, 0).unwrap(),
            })
            .unwrap()
        };
        let tl = TechniqueKind::TrafficLight;
        let evidence = vec![
            rec(1, 2, d(10, 3), 1, tl),
            rec(2, 2, d(10, 3), 2, tl),
            rec(3, 1, d(9, 5), 1, tl),
            rec(4, 1, d(9, 5), 1, TechniqueKind::Ladder),
            rec(5, 3, d(12, 1), 1, tl), // after "as of"
        ];
        let inputs = GoalInputs {
            year: SchoolYear::new(2023).unwrap(),
            as_of: d(11, 30),
            evidence: &evidence,
            events: &[],
            members: &[],
            protocols: &[],
            practices: &[],
            diagnostics: &[],
            satisfaction_responses: 0,
        };
        let behind = lessons_behind(Some(tl), &inputs);
        let lessons: Vec<(u32, usize)> = behind.iter().map(|(_, _, n, s)| (*n, s.len())).collect();
        assert_eq!(lessons, vec![(1, 1), (2, 2)]);
        assert_eq!(behind[0].0, LessonId::from_u128(1));
        assert_eq!(lessons_behind(None, &inputs)[0].2, 2);
        // The drill-down's lessons are the ones the indicator's months count.
        let counted: u32 =
            trend(&Indicator::TechniqueUse { technique: Some(tl), lessons_per_month: 1 }, &inputs)
                .iter()
                .map(|(_, n)| n)
                .sum();
        assert_eq!(counted as usize, behind.len());
    }
}

/// Share (0..1) of each band at two moments: `(label, start share, end share)`; bands are
/// matched by label, in the start snapshot's order. A moment with nobody counted gives 0.
pub fn band_shift(start: &BandSnapshot, end: &BandSnapshot) -> Vec<(String, f64, f64)> {
    let share = |s: &BandSnapshot, label: &str| {
        let total = s.total();
        if total == 0 {
            return 0.0;
        }
        let n: u32 = s.bands.iter().filter(|(l, _)| l == label).map(|(_, n)| n).sum();
        f64::from(n) / f64::from(total)
    };
    start.bands.iter().map(|(l, _)| (l.clone(), share(start, l), share(end, l))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{EvidenceDraft, Source};
    use crate::ids::{ClassId, CriterionId, EventId, EvidenceId, PracticeId, ProtocolId};
    use crate::plan::model::PracticeDraft;
    use crate::plan::period::Period;
    use crate::technique::{Light, Response};
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn record(n: u128, lesson: u128, date: NaiveDate, technique: TechniqueKind) -> EvidenceRecord {
        let value = match technique {
            TechniqueKind::Ladder => Response::Step(2),
            _ => Response::Light(Light::Green),
        };
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(n),
            lesson: LessonId::from_u128(lesson),
            lesson_date: date,
            class: ClassId::from_u128(1),
            student: None,
            criterion: CriterionId::from_u128(1),
            technique,
            value,
            source: Source::SelfAssessment,
            author: None,
            recorded_at: Utc.with_ymd_and_hms(2023, 9, 1, 9, 0, 0).unwrap(),
        })
        .unwrap()
    }

    fn member(n: u128, role: MemberRole) -> Member {
        Member::new(MemberId::from_u128(n), &format!("Учитель {n}"), None, role).unwrap()
    }

    fn practice(n: u128, added_on: NaiveDate) -> Practice {
        Practice::new(PracticeDraft {
            id: PracticeId::from_u128(n),
            title: Name::parse("Светофор").unwrap(),
            technique: Some(TechniqueKind::TrafficLight),
            subject: None,
            grade: Some(3),
            author: None,
            description: None,
            link: None,
            added_on,
            lesson: None,
            evidence: vec![],
        })
        .unwrap()
    }

    fn inputs<'a>(
        evidence: &'a [EvidenceRecord],
        events: &'a [Event],
        members: &'a [Member],
        protocols: &'a [ObservationProtocol],
        practices: &'a [Practice],
        diagnostics: &'a [BandSnapshot],
    ) -> GoalInputs<'a> {
        GoalInputs {
            year: SchoolYear::new(2023).unwrap(),
            as_of: d(2023, 10, 31),
            evidence,
            events,
            members,
            protocols,
            practices,
            diagnostics,
            satisfaction_responses: 40,
        }
    }

    #[test]
    fn technique_counts_are_per_lesson() {
        let tl = TechniqueKind::TrafficLight;
        let evidence = vec![
            record(1, 1, d(2023, 9, 5), tl),
            record(2, 1, d(2023, 9, 5), tl), // same lesson: counts once
            record(3, 2, d(2023, 9, 12), tl),
            record(4, 3, d(2023, 10, 3), tl),
            record(5, 3, d(2023, 10, 3), TechniqueKind::Ladder),
        ];
        let by_month = technique_lessons_by_month(&evidence);
        let sep = YearMonth::new(2023, 9).unwrap();
        let oct = YearMonth::new(2023, 10).unwrap();
        assert_eq!(by_month[&sep][&tl], 2);
        assert_eq!(by_month[&oct][&tl], 1);
        assert_eq!(by_month[&oct][&TechniqueKind::Ladder], 1);

        let check = |indicator: Indicator, current: u32, target: u32, met: bool| {
            let i = inputs(&evidence, &[], &[], &[], &[], &[]);
            let m = measure(&indicator, &i);
            assert_eq!((m.current, m.target, m.met), (current, target, met), "{indicator:?}");
        };
        // September has 2 lessons, October 1: the lowest month is 1.
        check(Indicator::TechniqueUse { technique: Some(tl), lessons_per_month: 1 }, 1, 1, true);
        check(Indicator::TechniqueUse { technique: Some(tl), lessons_per_month: 2 }, 1, 2, false);
        check(Indicator::TechniqueUse { technique: None, lessons_per_month: 1 }, 1, 1, true);
        check(
            Indicator::TechniqueUse {
                technique: Some(TechniqueKind::Ladder),
                lessons_per_month: 1,
            },
            0,
            1,
            false,
        );
    }

    #[test]
    fn open_lessons_members_bank_diagnostics() {
        let members = vec![
            member(1, MemberRole::Leader),
            member(2, MemberRole::Member),
            member(3, MemberRole::Expert),
        ];
        let mut held =
            Event::new(EventId::from_u128(1), Period::Month(Month::October), "Открытый урок")
                .unwrap();
        held.status = EventStatus::Done;
        held.given_by = vec![MemberId::from_u128(2)];
        held.lesson = Some(LessonId::from_u128(7));
        let mut unlinked = held.clone();
        unlinked.id = EventId::from_u128(2);
        unlinked.lesson = None;
        let planned =
            Event::new(EventId::from_u128(3), Period::Month(Month::May), "Открытый урок").unwrap();
        let events = vec![held, unlinked, planned];
        let protocol = ObservationProtocol {
            id: ProtocolId::from_u128(1),
            lesson: LessonId::from_u128(7),
            teacher: MemberId::from_u128(1),
            observer: MemberId::from_u128(2),
            date: d(2023, 10, 10),
            techniques_seen: [TechniqueKind::TrafficLight].into_iter().collect(),
            criteria: vec![],
            notes: None,
        };
        let protocols = vec![protocol];
        let practices = vec![
            practice(1, d(2023, 5, 1)),
            practice(2, d(2023, 9, 20)),
            practice(3, d(2024, 1, 1)),
        ];
        let diagnostics = vec![BandSnapshot {
            taken_on: d(2023, 9, 15),
            bands: vec![("высокий".into(), 5), ("нормальный".into(), 15)],
        }];
        let i = inputs(&[], &events, &members, &protocols, &practices, &diagnostics);
        let check = |indicator: Indicator, current: u32, target: u32, met: bool| {
            let m = measure(&indicator, &i);
            assert_eq!((m.current, m.target, m.met), (current, target, met), "{indicator:?}");
        };
        // Lesson 7 (protocol + linked event) once, plus the unlinked held event.
        check(Indicator::OpenLessonsHeld { target: 2 }, 2, 2, true);
        // Members 1 (protocol) and 2 (event) of the two teaching members.
        check(Indicator::EveryMemberOpenLesson, 2, 2, true);
        // The practice of January 2024 is after "as of".
        check(Indicator::PracticeBankSize { target: 3 }, 2, 3, false);
        check(Indicator::PracticeBankGrowth { target: 1 }, 1, 1, true);
        check(Indicator::DiagnosticsAtStartAndEnd, 1, 2, false);
        check(Indicator::SatisfactionMeasured { responses: 30 }, 40, 30, true);
        // Two held open lessons present experience; the planned one does not yet.
        check(Indicator::ExperiencePresented { target: 3 }, 2, 3, false);

        let goal = Goal {
            id: GoalId::from_u128(1),
            title: Name::parse("Каждый член ПОС проводит открытый урок").unwrap(),
            indicators: vec![Indicator::EveryMemberOpenLesson],
        };
        assert!(goal.is_met(&i));
    }

    fn check_suggest(text: &str, expected: &[Indicator]) {
        assert_eq!(suggest_indicators(text), expected, "text {text:?}");
    }

    #[test]
    fn indicators_suggested_by_wording() {
        use Indicator as I;
        let cases: Vec<(&str, Vec<Indicator>)> = vec![
            (
                "Диагностировать учебную мотивацию, учебные достижения школьников, а также \
                 удовлетворенность участников образовательного процесса.",
                vec![I::DiagnosticsAtStartAndEnd, I::SatisfactionMeasured { responses: 20 }],
            ),
            (
                "Сформированный банк практик использования педагогами формирующего оценивания",
                vec![I::PracticeBankSize { target: 10 }, I::PracticeBankGrowth { target: 5 }],
            ),
            ("Каждый член ПОС проводит открытый урок", vec![I::EveryMemberOpenLesson]),
            ("Открытые уроки", vec![I::OpenLessonsHeld { target: 4 }]),
            (
                "способность педагога использовать приемы формирующего оценивания на уроке",
                vec![I::TechniqueUse { technique: None, lessons_per_month: 4 }],
            ),
            ("Обобщить и описать опыт работы", vec![I::ExperiencePresented { target: 3 }]),
            ("Разработать нормативную базу", vec![]),
        ];
        for (text, expected) in cases {
            check_suggest(text, &expected);
        }
    }

    #[test]
    fn band_shares() {
        let start = BandSnapshot {
            taken_on: d(2023, 9, 15),
            bands: vec![("высокий".into(), 5), ("низкий".into(), 15)],
        };
        let end = BandSnapshot {
            taken_on: d(2024, 5, 15),
            bands: vec![("высокий".into(), 10), ("низкий".into(), 10)],
        };
        assert_eq!(
            band_shift(&start, &end),
            vec![("высокий".to_string(), 0.25, 0.5), ("низкий".to_string(), 0.75, 0.5)]
        );
    }
}
