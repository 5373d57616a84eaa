//! «Анализ работы ПОС за год»: everything the year's report shows, computed here so a shell
//! only renders it — the plan's events in the year's order with what was held, moved (from
//! when) and cancelled, each goal's indicators against their targets with their trends
//! ([`super::goals::measure_all`] over the evidence), the open lessons from their observation
//! protocols, the bank of practices, diagnostics before and after when there are both, and
//! what was not done (events not held whose time has passed, cancelled events, indicators
//! short of their targets).
//!
//! Neighbours: [`super::model`] (the plan), [`super::goals`] (the figures),
//! [`super::calendar`] (when an event is overdue).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::is_overdue;
use super::goals::{BandSnapshot, Tracked, band_shift, measure_all};
use super::kind::EventKind;
use super::model::{EventStatus, MemberRole, Plan, Practice};
use super::period::SchoolYear;
use crate::evidence::EvidenceRecord;
use crate::ids::{EventId, LessonId, PlanId, ProtocolId};
use crate::lesson::Lesson;
use crate::technique::TechniqueKind;

/// One event as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLine {
    /// Id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: EventKind,
    /// When (as the plan writes it, the new period for a moved event).
    pub period: String,
    /// The period first planned, for a moved event.
    pub moved_from: Option<String>,
    /// Where it stands.
    pub status: EventStatus,
    /// Not held and its time has passed.
    pub overdue: bool,
    /// Who is responsible.
    pub responsible: Option<String>,
}

/// Events per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Held.
    pub done: u32,
    /// Moved.
    pub moved: u32,
    /// Cancelled.
    pub cancelled: u32,
    /// Planned and not yet due.
    pub planned: u32,
    /// Planned or moved, and past due.
    pub overdue: u32,
}

/// One indicator of a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorLine {
    /// Value, target, met, and the trend.
    pub tracked: Tracked,
}

/// One goal with its indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalLine {
    /// The goal as the plan words it.
    pub title: String,
    /// Its indicators, measured.
    pub indicators: Vec<IndicatorLine>,
    /// Every indicator met (a goal without indicators is never met).
    pub met: bool,
}

/// An open lesson from its observation protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenLessonLine {
    /// The protocol.
    pub protocol: ProtocolId,
    /// When.
    pub date: NaiveDate,
    /// The lesson.
    pub lesson: LessonId,
    /// The lesson's topic, when the lesson is known.
    pub topic: Option<String>,
    /// Who gave it (a member's name; empty when the member left the plan).
    pub teacher: String,
    /// Who observed.
    pub observer: String,
    /// Techniques seen.
    pub techniques: Vec<TechniqueKind>,
    /// The checklist lines ticked.
    pub seen: Vec<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// Diagnostics at the start and at the end of the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsShift {
    /// The first taken in September–November.
    pub start: BandSnapshot,
    /// The last taken in March–August.
    pub end: BandSnapshot,
    /// Per band: its share at the start and at the end ([`band_shift`]).
    pub shares: Vec<(String, f64, f64)>,
}

/// Something of the plan that was not done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NotDone {
    /// An event whose time has passed without being held.
    Overdue {
        /// Its title.
        title: String,
        /// When it was due.
        period: String,
    },
    /// An event cancelled.
    Cancelled {
        /// Its title.
        title: String,
        /// When it was planned.
        period: String,
    },
    /// An indicator short of its target.
    Short {
        /// The goal's title.
        goal: String,
        /// Index of the goal.
        goal_index: usize,
        /// Index of the indicator in the goal.
        indicator_index: usize,
    },
}

/// «Анализ работы ПОС за год»: the report's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearReport {
    /// The plan.
    pub plan: PlanId,
    /// The plan's title.
    pub title: String,
    /// The school year.
    pub year: SchoolYear,
    /// Measured as of.
    pub as_of: NaiveDate,
    /// Aim.
    pub aim: Option<String>,
    /// Tasks.
    pub tasks: Vec<String>,
    /// Members: name, position, role.
    pub members: Vec<(String, Option<String>, MemberRole)>,
    /// Events in the year's order.
    pub events: Vec<EventLine>,
    /// Events per status.
    pub counts: StatusCounts,
    /// Goals against their targets.
    pub goals: Vec<GoalLine>,
    /// Open lessons with protocols, by date.
    pub open_lessons: Vec<OpenLessonLine>,
    /// The bank of practices, in the order added.
    pub practices: Vec<Practice>,
    /// Diagnostics before and after, when both were taken this year.
    pub diagnostics: Option<DiagnosticsShift>,
    /// What was not done.
    pub not_done: Vec<NotDone>,
}

/// The year's report of `plan` as of `as_of`, from the evidence, the lessons (for protocols'
/// topics) and any diagnostics' band counts.
pub fn year_report(
    plan: &Plan,
    evidence: &[EvidenceRecord],
    lessons: &[Lesson],
    diagnostics: &[BandSnapshot],
    as_of: NaiveDate,
) -> YearReport {
    let d = plan.draft();
    let inputs = plan.goal_inputs(as_of, evidence, diagnostics, 0);
    let mut counts = StatusCounts::default();
    let mut not_done = Vec::new();
    let events: Vec<EventLine> = plan
        .events_by_month()
        .into_iter()
        .map(|e| {
            let overdue = is_overdue(e, d.year, as_of);
            let slot = match e.status {
                _ if overdue => &mut counts.overdue,
                EventStatus::Done => &mut counts.done,
                EventStatus::Moved => &mut counts.moved,
                EventStatus::Cancelled => &mut counts.cancelled,
                EventStatus::Planned => &mut counts.planned,
            };
            *slot += 1;
            let (title, period) = (e.title.to_string(), e.period.to_string());
            if overdue {
                not_done.push(NotDone::Overdue { title: title.clone(), period: period.clone() });
            } else if e.status == EventStatus::Cancelled {
                not_done.push(NotDone::Cancelled { title: title.clone(), period: period.clone() });
            }
            EventLine {
                id: e.id,
                title,
                kind: e.kind,
                period,
                moved_from: e.moved_from.as_ref().map(ToString::to_string),
                status: e.status,
                overdue,
                responsible: e.responsible.as_ref().map(ToString::to_string),
            }
        })
        .collect();
    let goals: Vec<GoalLine> = d
        .goals
        .iter()
        .zip(measure_all(&d.goals, &inputs))
        .enumerate()
        .map(|(g, (goal, tracked))| {
            for (i, t) in tracked.iter().enumerate() {
                if !t.measured.met {
                    not_done.push(NotDone::Short {
                        goal: goal.title.to_string(),
                        goal_index: g,
                        indicator_index: i,
                    });
                }
            }
            GoalLine {
                title: goal.title.to_string(),
                met: !tracked.is_empty() && tracked.iter().all(|t| t.measured.met),
                indicators: tracked.into_iter().map(|tracked| IndicatorLine { tracked }).collect(),
            }
        })
        .collect();
    let name =
        |id| d.members.iter().find(|m| m.id == id).map_or_else(String::new, |m| m.name.to_string());
    let mut open_lessons: Vec<OpenLessonLine> = d
        .protocols
        .iter()
        .filter(|p| p.date <= as_of)
        .map(|p| OpenLessonLine {
            protocol: p.id,
            date: p.date,
            lesson: p.lesson,
            topic: lessons.iter().find(|l| l.id() == p.lesson).map(|l| l.topic().to_string()),
            teacher: name(p.teacher),
            observer: name(p.observer),
            techniques: p.techniques_seen.iter().copied().collect(),
            seen: p.criteria.iter().map(ToString::to_string).collect(),
            notes: p.notes.as_ref().map(ToString::to_string),
        })
        .collect();
    open_lessons.sort_by_key(|l| (l.date, l.protocol));
    let taken: Vec<&BandSnapshot> = diagnostics
        .iter()
        .filter(|s| d.year.contains(s.taken_on) && s.taken_on <= as_of && s.total() > 0)
        .collect();
    let start =
        taken.iter().filter(|s| (9..=11).contains(&s.taken_on.month())).min_by_key(|s| s.taken_on);
    let end =
        taken.iter().filter(|s| (3..=8).contains(&s.taken_on.month())).max_by_key(|s| s.taken_on);
    let diagnostics = match (start, end) {
        (Some(s), Some(e)) => Some(DiagnosticsShift {
            start: (*s).clone(),
            end: (*e).clone(),
            shares: band_shift(s, e),
        }),
        _ => None,
    };
    YearReport {
        plan: d.id,
        title: d.title.to_string(),
        year: d.year,
        as_of,
        aim: d.aim.as_ref().map(ToString::to_string),
        tasks: d.tasks.iter().map(ToString::to_string).collect(),
        members: d
            .members
            .iter()
            .map(|m| (m.name.to_string(), m.position.as_ref().map(ToString::to_string), m.role))
            .collect(),
        events,
        counts,
        goals,
        open_lessons,
        practices: d.practices.iter().filter(|p| p.added_on() <= as_of).cloned().collect(),
        diagnostics,
        not_done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{EvidenceDraft, Source};
    use crate::ids::{ClassId, CriterionId, EvidenceId, GoalId, MemberId, PracticeId, StudentId};
    use crate::plan::goals::{Goal, Indicator, measure, trend};
    use crate::plan::model::{Event, Member, ObservationProtocol, PlanDraft};
    use crate::plan::period::{Month, Period};
    use crate::technique::{Light, Response};
    use crate::text::Name;
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn record(n: u128, lesson: u128, date: NaiveDate) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(n),
            student: Some(StudentId::from_u128(n % 5)),
            class: ClassId::from_u128(1),
            lesson: LessonId::from_u128(lesson),
            lesson_date: date,
            criterion: CriterionId::from_u128(1),
            technique: TechniqueKind::TrafficLight,
            source: Source::SelfAssessment,
            author: None,
            value: Response::Light(Light::Green),
            recorded_at: Utc.with_ymd_and_hms(2025, 9, 1, 9, 0, 0).unwrap(),
        })
        .unwrap()
    }

    fn plan() -> Plan {
        let ev = |n, month, title: &str, status| {
            let mut e = Event::new(EventId::from_u128(n), Period::Month(month), title).unwrap();
            e.status = status;
            e
        };
        let mut moved = ev(4, Month::December, "Круглый стол", EventStatus::Planned);
        moved.move_to(Period::Month(Month::February));
        let members = vec![
            Member::new(MemberId::from_u128(1), "Иванова И.И.", None, MemberRole::Leader).unwrap(),
            Member::new(MemberId::from_u128(2), "Петрова П.П.", None, MemberRole::Member).unwrap(),
        ];
        let protocol = ObservationProtocol {
            id: ProtocolId::from_u128(1),
            lesson: LessonId::from_u128(10),
            teacher: MemberId::from_u128(2),
            observer: MemberId::from_u128(1),
            date: d(2025, 11, 12),
            techniques_seen: [TechniqueKind::TrafficLight].into_iter().collect(),
            criteria: vec![Name::parse("Дана обратная связь").unwrap()],
            notes: None,
        };
        let practice = Practice::from_form(
            PracticeId::from_u128(1),
            "Светофор",
            Some(TechniqueKind::TrafficLight),
            "Математика",
            Some(3),
            "",
            "",
            d(2025, 10, 1),
        )
        .unwrap();
        Plan::new(PlanDraft {
            id: PlanId::from_u128(1),
            year: SchoolYear::new(2025).unwrap(),
            title: Name::parse("План работы ПОС").unwrap(),
            aim: None,
            tasks: vec![],
            members,
            events: vec![
                ev(1, Month::September, "Семинар", EventStatus::Done),
                ev(2, Month::October, "Открытый урок", EventStatus::Planned),
                ev(3, Month::March, "Мастер-класс", EventStatus::Cancelled),
                moved,
                ev(5, Month::May, "Анализ работы ПОС за год", EventStatus::Planned),
            ],
            goals: vec![Goal {
                id: GoalId::from_u128(1),
                title: Name::parse("Формирующее оценивание на уроках").unwrap(),
                indicators: vec![
                    Indicator::TechniqueUse { technique: None, lessons_per_month: 2 },
                    Indicator::OpenLessonsHeld { target: 1 },
                    Indicator::PracticeBankSize { target: 2 },
                ],
            }],
            protocols: vec![protocol],
            practices: vec![practice],
        })
        .unwrap()
    }

    #[test]
    fn the_report_counts_events_and_measures_goals_as_core_does() {
        let plan = plan();
        let evidence = vec![
            record(1, 10, d(2025, 9, 3)),
            record(2, 10, d(2025, 9, 3)),
            record(3, 11, d(2025, 9, 10)),
            record(4, 12, d(2025, 10, 1)),
        ];
        let as_of = d(2025, 11, 20);
        let r = year_report(&plan, &evidence, &[], &[], as_of);
        assert_eq!(
            r.counts,
            StatusCounts { done: 1, moved: 1, cancelled: 1, planned: 1, overdue: 1 }
        );
        assert_eq!(r.events[0].title, "Семинар");
        let moved = r.events.iter().find(|e| e.status == EventStatus::Moved).unwrap();
        assert_eq!(
            moved.moved_from.as_deref(),
            Some(Period::Month(Month::December).to_string().as_str())
        );
        let inputs = plan.goal_inputs(as_of, &evidence, &[], 0);
        for (line, i) in r.goals[0].indicators.iter().zip(&plan.draft().goals[0].indicators) {
            assert_eq!(line.tracked.measured, measure(i, &inputs));
            assert_eq!(line.tracked.trend, trend(i, &inputs));
        }
        // September 2 lessons, October 1, November 0: the lowest is 0 of 2.
        assert_eq!(r.goals[0].indicators[0].tracked.measured.current, 0);
        assert_eq!(r.goals[0].indicators[1].tracked.measured.current, 1);
        assert_eq!(r.goals[0].indicators[2].tracked.measured.current, 1);
        assert!(!r.goals[0].met);
        assert_eq!(r.open_lessons.len(), 1);
        assert_eq!(r.open_lessons[0].teacher, "Петрова П.П.");
        assert_eq!(r.practices.len(), 1);
        assert!(r.diagnostics.is_none());
        assert_eq!(
            r.not_done,
            vec![
                NotDone::Overdue {
                    title: "Открытый урок".into(),
                    period: r.events[1].period.clone()
                },
                NotDone::Cancelled {
                    title: "Мастер-класс".into(),
                    period: r.events[3].period.clone()
                },
                NotDone::Short {
                    goal: r.goals[0].title.clone(),
                    goal_index: 0,
                    indicator_index: 0
                },
                NotDone::Short {
                    goal: r.goals[0].title.clone(),
                    goal_index: 0,
                    indicator_index: 2
                },
            ]
        );
    }

    #[test]
    fn diagnostics_before_and_after_only_when_both_were_taken() {
        let plan = plan();
        let snap = |date, high, low| BandSnapshot {
            taken_on: date,
            bands: vec![("высокий".into(), high), ("низкий".into(), low)],
        };
        let start = snap(d(2025, 9, 20), 5, 15);
        let end = snap(d(2026, 5, 15), 10, 10);
        let r = year_report(&plan, &[], &[], std::slice::from_ref(&start), d(2026, 5, 30));
        assert!(r.diagnostics.is_none());
        let r = year_report(&plan, &[], &[], &[end.clone(), start.clone()], d(2026, 5, 30));
        let shift = r.diagnostics.unwrap();
        assert_eq!((shift.start, shift.end), (start.clone(), end.clone()));
        assert_eq!(shift.shares, band_shift(&start, &end));
    }
}
