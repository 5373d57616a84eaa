//! An open lesson's observation protocol as the observer fills it in: the checklist of
//! formative practices seen (criteria stated to students, a self-assessment moment, feedback
//! given, the techniques used) and comments, made into core's [`ObservationProtocol`]; and
//! holding the plan's open-lesson event it records (status held, the lesson and teacher linked),
//! which is what moves the open-lesson indicators of [`super::goals`].
//!
//! Neighbours: [`super::model`] (the protocol and event types), [`super::goals`] (what counts).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::model::{EventStatus, LONG_TEXT_CHARS, ObservationProtocol, PlanDraft, PlanError};
use crate::ids::{EventId, LessonId, MemberId, ProtocolId};
use crate::technique::TechniqueKind;
use crate::text::Name;

/// The practices an observer ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seen {
    /// The assessment criteria were stated to the students.
    CriteriaStated,
    /// The students had a moment of self-assessment.
    SelfAssessment,
    /// The teacher gave feedback on the work.
    FeedbackGiven,
}

impl Seen {
    /// Every practice of the checklist, in the form's order.
    pub const ALL: [Seen; 3] = [Seen::CriteriaStated, Seen::SelfAssessment, Seen::FeedbackGiven];

    /// The checklist line as the protocol keeps it (Russian, as the community's documents do).
    pub fn russian(self) -> &'static str {
        match self {
            Seen::CriteriaStated => "Критерии оценивания озвучены ученикам",
            Seen::SelfAssessment => "Был момент самооценивания",
            Seen::FeedbackGiven => "Дана обратная связь",
        }
    }
}

/// The observer's form, before it is made a protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolForm {
    /// The member who observed.
    pub observer: MemberId,
    /// The member who gave the lesson.
    pub teacher: MemberId,
    /// The lesson observed.
    pub lesson: LessonId,
    /// When.
    pub date: NaiveDate,
    /// Practices ticked.
    pub seen: BTreeSet<Seen>,
    /// Techniques seen used.
    pub techniques: BTreeSet<TechniqueKind>,
    /// Comments (empty for none).
    pub comments: String,
}

impl ProtocolForm {
    /// The protocol: the ticked practices become its criteria, in the checklist's order.
    pub fn protocol(&self, id: ProtocolId) -> Result<ObservationProtocol, PlanError> {
        let criteria = Seen::ALL
            .iter()
            .filter(|s| self.seen.contains(s))
            .map(|s| Name::parse(s.russian()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| PlanError::Text { field: "criteria", source })?;
        let notes = crate::text::fold_spaces(&self.comments);
        let notes = if notes.is_empty() {
            None
        } else {
            Some(
                Name::parse_with_limit(&notes, LONG_TEXT_CHARS)
                    .map_err(|source| PlanError::Text { field: "notes", source })?,
            )
        };
        Ok(ObservationProtocol {
            id,
            lesson: self.lesson,
            teacher: self.teacher,
            observer: self.observer,
            date: self.date,
            techniques_seen: self.techniques.clone(),
            criteria,
            notes,
        })
    }
}

/// The plan with `event` held as the open lesson `protocol` records: the protocol kept among
/// the plan's (replacing one of the same id), the event's status held, its lesson linked, its
/// teacher among those who gave it. Both members must be in the plan.
pub fn hold_open_lesson(
    plan: &PlanDraft,
    event: EventId,
    protocol: &ObservationProtocol,
) -> Result<PlanDraft, PlanError> {
    let known = |m: MemberId| plan.members.iter().any(|x| x.id == m);
    if !known(protocol.teacher) || !known(protocol.observer) {
        return Err(PlanError::UnknownMember("the protocol"));
    }
    let mut out = plan.clone();
    match out.protocols.iter_mut().find(|p| p.id == protocol.id) {
        Some(p) => *p = protocol.clone(),
        None => out.protocols.push(protocol.clone()),
    }
    if let Some(e) = out.events.iter_mut().find(|e| e.id == event) {
        e.status = EventStatus::Done;
        e.lesson = Some(protocol.lesson);
        if !e.given_by.contains(&protocol.teacher) {
            e.given_by.push(protocol.teacher);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PlanId;
    use crate::plan::goals::{GoalInputs, Indicator, measure};
    use crate::plan::model::{Event, Member, MemberRole};
    use crate::plan::period::{Month, Period, SchoolYear};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_held_open_lesson_moves_its_indicators() {
        let member = |n, role| {
            Member::new(MemberId::from_u128(n), &format!("Учитель {n}"), None, role).unwrap()
        };
        let event = Event::new(
            EventId::from_u128(1),
            Period::Month(Month::November),
            "Открытый урок по математике",
        )
        .unwrap();
        let plan = PlanDraft {
            id: PlanId::from_u128(1),
            year: SchoolYear::new(2025).unwrap(),
            title: Name::parse("План").unwrap(),
            aim: None,
            tasks: vec![],
            members: vec![member(1, MemberRole::Leader), member(2, MemberRole::Member)],
            events: vec![event],
            goals: vec![],
            protocols: vec![],
            practices: vec![],
        };
        let form = ProtocolForm {
            observer: MemberId::from_u128(1),
            teacher: MemberId::from_u128(2),
            lesson: LessonId::from_u128(5),
            date: d(2025, 11, 12),
            seen: [Seen::FeedbackGiven, Seen::CriteriaStated].into_iter().collect(),
            techniques: [TechniqueKind::TrafficLight].into_iter().collect(),
            comments: "  Хороший   урок ".into(),
        };
        let protocol = form.protocol(ProtocolId::from_u128(1)).unwrap();
        let criteria: Vec<&str> = protocol.criteria.iter().map(Name::as_str).collect();
        assert_eq!(criteria, vec![Seen::CriteriaStated.russian(), Seen::FeedbackGiven.russian()]);
        assert_eq!(protocol.notes.as_ref().map(Name::as_str), Some("Хороший урок"));

        let inputs = |p: &PlanDraft| {
            let measured = |i: Indicator| {
                let inputs = GoalInputs {
                    year: p.year,
                    as_of: d(2025, 12, 1),
                    evidence: &[],
                    events: &p.events,
                    members: &p.members,
                    protocols: &[],
                    practices: &[],
                    diagnostics: &[],
                    satisfaction_responses: 0,
                };
                measure(&i, &inputs).current
            };
            (
                measured(Indicator::OpenLessonsHeld { target: 1 }),
                measured(Indicator::EveryMemberOpenLesson),
            )
        };
        assert_eq!(inputs(&plan), (0, 0));
        let held = hold_open_lesson(&plan, EventId::from_u128(1), &protocol).unwrap();
        assert_eq!(inputs(&held), (1, 1));
        assert_eq!(held.events[0].lesson, Some(LessonId::from_u128(5)));
        assert_eq!(held.protocols, vec![protocol.clone()]);
        // Holding it again changes nothing.
        assert_eq!(hold_open_lesson(&held, EventId::from_u128(1), &protocol).unwrap(), held);

        let mut stranger = protocol.clone();
        stranger.teacher = MemberId::from_u128(9);
        assert_eq!(
            hold_open_lesson(&plan, EventId::from_u128(1), &stranger),
            Err(PlanError::UnknownMember("the protocol"))
        );
    }
}
