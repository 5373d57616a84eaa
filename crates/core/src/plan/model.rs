//! The community (ПОС) plan: aim, tasks, members with roles, events with periods, statuses and
//! links; observation protocols of open lessons; the bank of practices.
//!
//! Everything here is validated on construction and on deserialisation.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::goals::Goal;
use super::kind::EventKind;
use super::period::{Period, SchoolYear};
use crate::ids::{EventId, EvidenceId, GoalId, LessonId, MemberId, PlanId, PracticeId, ProtocolId};
use crate::technique::TechniqueKind;
use crate::text::{Name, TextError};

/// The longest long text (an aim, a planned result, notes) in characters.
pub const LONG_TEXT_CHARS: usize = 4000;

/// Why a plan value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A text field is empty or too long.
    #[error("{field}: {source}")]
    Text {
        /// Which field.
        field: &'static str,
        /// What is wrong with it.
        source: TextError,
    },
    /// A link that is not an http(s) address.
    #[error("«{0}» is not a web link (expected http://…, https://… or www.…)")]
    BadLink(String),
    /// A grade outside 1..=11.
    #[error("grade {0} is outside 1..=11")]
    BadGrade(u8),
    /// Two items share an id.
    #[error("the id {0} is used twice among the {1}")]
    DuplicateId(String, &'static str),
    /// An imported event whose period could not be read.
    #[error("the event has no period")]
    NoPeriod,
    /// Something refers to a member who is not in the plan.
    #[error("{0} refers to a member who is not in the community")]
    UnknownMember(&'static str),
}

fn text(field: &'static str, raw: &str, max: usize) -> Result<Name, PlanError> {
    Name::parse_with_limit(raw, max).map_err(|source| PlanError::Text { field, source })
}

fn optional_text(field: &'static str, raw: Option<&str>) -> Result<Option<Name>, PlanError> {
    match raw.map(crate::text::fold_spaces) {
        Some(s) if !s.is_empty() => text(field, &s, LONG_TEXT_CHARS).map(Some),
        _ => Ok(None),
    }
}

/// A web link found in a plan cell or attached to a practice.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Link(String);

impl Link {
    /// Accepts `http://…`, `https://…` and `www.…` without spaces, up to 2000 characters.
    pub fn parse(raw: &str) -> Result<Link, PlanError> {
        let s = raw.trim();
        let lower = s.to_lowercase();
        let has_scheme = lower.starts_with("http://") || lower.starts_with("https://");
        let rest_len = if has_scheme {
            s.split_once("//").map_or(0, |(_, r)| r.len())
        } else if lower.starts_with("www.") {
            s.len() - 4
        } else {
            0
        };
        if rest_len == 0 || s.chars().any(char::is_whitespace) || s.chars().count() > 2000 {
            return Err(PlanError::BadLink(raw.to_owned()));
        }
        Ok(Link(s.to_owned()))
    }

    /// The link text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Link {
    type Error = PlanError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Link> for String {
    fn from(value: Link) -> Self {
        value.0
    }
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Link({:?})", self.0)
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's role in the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// Руководитель.
    Leader,
    /// Секретарь.
    Secretary,
    /// Методист.
    Methodologist,
    /// Член сообщества.
    Member,
    /// Приглашённый эксперт / консультант.
    Expert,
}

impl MemberRole {
    /// The Russian name.
    pub fn russian(self) -> &'static str {
        match self {
            Self::Leader => "руководитель",
            Self::Secretary => "секретарь",
            Self::Methodologist => "методист",
            Self::Member => "член",
            Self::Expert => "эксперт",
        }
    }

    /// Finds a role word in a text («– учитель начальных классов – секретарь ПОС.»). The last
    /// role word wins, since the role usually follows the position.
    pub fn find_in(text: &str) -> Option<MemberRole> {
        let lower = crate::text::fold_case(text);
        const WORDS: [(&str, MemberRole); 7] = [
            ("руководител", MemberRole::Leader),
            ("председател", MemberRole::Leader),
            ("секретар", MemberRole::Secretary),
            ("методист", MemberRole::Methodologist),
            ("член", MemberRole::Member),
            ("участник", MemberRole::Member),
            ("эксперт", MemberRole::Expert),
        ];
        WORDS
            .iter()
            .filter_map(|(w, role)| lower.rfind(w).map(|at| (at, *role)))
            .max_by_key(|(at, _)| *at)
            .map(|(_, role)| role)
    }
}

/// A community member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Id, made by the caller.
    pub id: MemberId,
    /// Full name («Еремеева А.В.»).
    pub name: Name,
    /// Position («учитель начальных классов»), if given.
    pub position: Option<Name>,
    /// Role in the community.
    pub role: MemberRole,
}

impl Member {
    /// A member with a validated name and position.
    pub fn new(
        id: MemberId,
        name: &str,
        position: Option<&str>,
        role: MemberRole,
    ) -> Result<Member, PlanError> {
        Ok(Member {
            id,
            name: text("member name", name, Name::MAX_CHARS)?,
            position: optional_text("member position", position)?,
            role,
        })
    }
}

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Not yet held.
    Planned,
    /// Held.
    Done,
    /// Moved to another date (the period shows the new one).
    Moved,
    /// Will not be held.
    Cancelled,
}

/// One event of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Id, made by the caller.
    pub id: EventId,
    /// When.
    pub period: Period,
    /// What sort of event.
    pub kind: EventKind,
    /// The title as the plan writes it.
    pub title: Name,
    /// Planned (expected) result.
    pub planned_result: Option<Name>,
    /// Who is responsible, as written.
    pub responsible: Option<Name>,
    /// The plan task the event serves, if the plan groups events by task.
    pub task: Option<Name>,
    /// Where it stands.
    pub status: EventStatus,
    /// Links found in the plan or added later.
    pub links: Vec<Link>,
    /// Members who give the event (the teacher of an open lesson, the speaker of a report).
    pub given_by: Vec<MemberId>,
    /// The lesson held as this event (for an open lesson), if recorded.
    pub lesson: Option<LessonId>,
    /// The period the plan first gave, when the event was moved.
    #[serde(default)]
    pub moved_from: Option<Period>,
    /// The direction of a network plan the event belongs to («II направление»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Name>,
}

impl Event {
    /// A planned event with the kind inferred from its title.
    pub fn new(id: EventId, period: Period, title: &str) -> Result<Event, PlanError> {
        let title = text("event title", title, LONG_TEXT_CHARS)?;
        Ok(Event {
            id,
            period,
            kind: EventKind::infer(title.as_str()),
            title,
            planned_result: None,
            responsible: None,
            task: None,
            status: EventStatus::Planned,
            links: Vec::new(),
            given_by: Vec::new(),
            lesson: None,
            moved_from: None,
            direction: None,
        })
    }

    /// Moves the event to another period: the status becomes moved and the first planned
    /// period is kept (moving twice keeps the original one).
    pub fn move_to(&mut self, period: Period) {
        if self.period == period {
            return;
        }
        let previous = std::mem::replace(&mut self.period, period);
        if self.moved_from.is_none() {
            self.moved_from = Some(previous);
        }
        self.status = EventStatus::Moved;
    }

    /// Sets the planned result (an empty text clears it).
    pub fn with_result(mut self, result: &str) -> Result<Event, PlanError> {
        self.planned_result = optional_text("planned result", Some(result))?;
        Ok(self)
    }

    /// Sets who is responsible (an empty text clears it).
    pub fn with_responsible(mut self, responsible: &str) -> Result<Event, PlanError> {
        self.responsible = optional_text("responsible", Some(responsible))?;
        Ok(self)
    }

    /// Whether this is an open lesson that was held.
    pub fn is_held_open_lesson(&self) -> bool {
        self.kind == EventKind::OpenLesson && self.status == EventStatus::Done
    }
}

/// A protocol of observing an open lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservationProtocol {
    /// Id, made by the caller.
    pub id: ProtocolId,
    /// The lesson observed.
    pub lesson: LessonId,
    /// The member who gave the lesson.
    pub teacher: MemberId,
    /// The member who observed.
    pub observer: MemberId,
    /// When.
    pub date: NaiveDate,
    /// Techniques the observer saw used.
    pub techniques_seen: BTreeSet<TechniqueKind>,
    /// Observation criteria used («критерии оценивания озвучены…»).
    pub criteria: Vec<Name>,
    /// Free notes.
    pub notes: Option<Name>,
}

/// One practice in the community's bank of practices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PracticeDraft", into = "PracticeDraft")]
pub struct Practice(PracticeDraft);

/// The fields of a [`Practice`] before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeDraft {
    /// Id, made by the caller.
    pub id: PracticeId,
    /// Title.
    pub title: Name,
    /// The technique it shows, if it is about one.
    pub technique: Option<TechniqueKind>,
    /// School subject.
    pub subject: Option<Name>,
    /// Grade 1..=11.
    pub grade: Option<u8>,
    /// The member who wrote it.
    pub author: Option<MemberId>,
    /// Description.
    pub description: Option<Name>,
    /// Link to materials.
    pub link: Option<Link>,
    /// When it was added to the bank (for growth over time).
    pub added_on: NaiveDate,
    /// The lesson where it was used, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<LessonId>,
    /// Evidence records attached (what the students answered in that lesson).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceId>,
}

impl Practice {
    /// Validates a draft (grade 1..=11; attached records listed once each, in the order given).
    pub fn new(mut draft: PracticeDraft) -> Result<Practice, PlanError> {
        if let Some(g) = draft.grade
            && !(1..=11).contains(&g)
        {
            return Err(PlanError::BadGrade(g));
        }
        let mut seen = BTreeSet::new();
        draft.evidence.retain(|id| seen.insert(*id));
        Ok(Practice(draft))
    }

    /// A practice from the bank's form: the title required, the other texts optional (empty
    /// for none), the link checked, the grade 1..=11.
    #[allow(clippy::too_many_arguments)]
    pub fn from_form(
        id: PracticeId,
        title: &str,
        technique: Option<TechniqueKind>,
        subject: &str,
        grade: Option<u8>,
        description: &str,
        link: &str,
        added_on: NaiveDate,
    ) -> Result<Practice, PlanError> {
        let link = match link.trim() {
            "" => None,
            raw => Some(Link::parse(raw)?),
        };
        Practice::new(PracticeDraft {
            id,
            title: text("practice title", title, Name::MAX_CHARS)?,
            technique,
            subject: optional_text("practice subject", Some(subject))?,
            grade,
            author: None,
            description: optional_text("practice description", Some(description))?,
            link,
            added_on,
            lesson: None,
            evidence: Vec::new(),
        })
    }

    /// The same practice used in `lesson`, with these records attached (none clears both).
    pub fn used_in(mut self, lesson: Option<LessonId>, evidence: Vec<EvidenceId>) -> Practice {
        self.0.lesson = lesson;
        let mut seen = BTreeSet::new();
        self.0.evidence = if lesson.is_some() { evidence } else { Vec::new() };
        self.0.evidence.retain(|id| seen.insert(*id));
        self
    }

    /// The same practice by `author` (none clears it).
    pub fn by(mut self, author: Option<MemberId>) -> Practice {
        self.0.author = author;
        self
    }

    /// The lesson where it was used, if recorded.
    pub fn lesson(&self) -> Option<LessonId> {
        self.0.lesson
    }

    /// The evidence records attached.
    pub fn evidence(&self) -> &[EvidenceId] {
        &self.0.evidence
    }

    /// The fields.
    pub fn draft(&self) -> &PracticeDraft {
        &self.0
    }

    /// Id.
    pub fn id(&self) -> PracticeId {
        self.0.id
    }

    /// When it was added.
    pub fn added_on(&self) -> NaiveDate {
        self.0.added_on
    }

    /// The technique, if any.
    pub fn technique(&self) -> Option<TechniqueKind> {
        self.0.technique
    }

    /// The author, if any.
    pub fn author(&self) -> Option<MemberId> {
        self.0.author
    }
}

impl TryFrom<PracticeDraft> for Practice {
    type Error = PlanError;
    fn try_from(value: PracticeDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Practice> for PracticeDraft {
    fn from(value: Practice) -> Self {
        value.0
    }
}

/// A community's plan for one school year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PlanDraft", into = "PlanDraft")]
pub struct Plan(PlanDraft);

/// The fields of a [`Plan`] before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDraft {
    /// Id, made by the caller.
    pub id: PlanId,
    /// The school year.
    pub year: SchoolYear,
    /// Title («План работы ПОС на 2022-2023 учебный год»).
    pub title: Name,
    /// Aim (цель).
    pub aim: Option<Name>,
    /// Tasks (задачи), in order.
    pub tasks: Vec<Name>,
    /// Members.
    pub members: Vec<Member>,
    /// Events.
    pub events: Vec<Event>,
    /// Goals with indicators.
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// Observation protocols of the year's open lessons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<ObservationProtocol>,
    /// The community's bank of practices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub practices: Vec<Practice>,
}

impl Plan {
    /// Validates a draft: unique ids; events may only name members of the plan.
    pub fn new(draft: PlanDraft) -> Result<Plan, PlanError> {
        unique(draft.members.iter().map(|m| m.id.to_string()), "members")?;
        unique(draft.events.iter().map(|e| e.id.to_string()), "events")?;
        unique(draft.goals.iter().map(|g| g.id.to_string()), "goals")?;
        unique(draft.protocols.iter().map(|p| p.id.to_string()), "protocols")?;
        unique(draft.practices.iter().map(|p| p.id().to_string()), "practices")?;
        let members: BTreeSet<MemberId> = draft.members.iter().map(|m| m.id).collect();
        if draft.events.iter().flat_map(|e| &e.given_by).any(|m| !members.contains(m)) {
            return Err(PlanError::UnknownMember("an event"));
        }
        if draft.practices.iter().filter_map(Practice::author).any(|m| !members.contains(&m)) {
            return Err(PlanError::UnknownMember("a practice"));
        }
        Ok(Plan(draft))
    }

    /// The fields.
    pub fn draft(&self) -> &PlanDraft {
        &self.0
    }

    /// Id.
    pub fn id(&self) -> PlanId {
        self.0.id
    }

    /// The events in the order the plan's year runs ([`Period::position`]: the August before
    /// the school year first, then September → August; stable for equal positions).
    pub fn events_by_month(&self) -> Vec<&Event> {
        let mut events: Vec<&Event> = self.0.events.iter().collect();
        events.sort_by_key(|e| e.period.position(Some(self.0.year)));
        events
    }

    /// The event with this id.
    pub fn event(&self, id: EventId) -> Option<&Event> {
        self.0.events.iter().find(|e| e.id == id)
    }

    /// The goal with this id.
    pub fn goal(&self, id: GoalId) -> Option<&Goal> {
        self.0.goals.iter().find(|g| g.id == id)
    }

    /// The plan with `practice` in its bank: replacing the one of the same id (an edit), else
    /// added at the end.
    pub fn with_practice(&self, practice: Practice) -> Result<Plan, PlanError> {
        let mut draft = self.0.clone();
        match draft.practices.iter_mut().find(|p| p.id() == practice.id()) {
            Some(p) => *p = practice,
            None => draft.practices.push(practice),
        }
        Plan::new(draft)
    }

    /// What the goals' indicators are computed from: this plan's events, members, protocols
    /// and practices, with the evidence, diagnostics and surveys given, as of `as_of`.
    pub fn goal_inputs<'a>(
        &'a self,
        as_of: NaiveDate,
        evidence: &'a [crate::evidence::EvidenceRecord],
        diagnostics: &'a [super::goals::BandSnapshot],
        satisfaction_responses: u32,
    ) -> super::goals::GoalInputs<'a> {
        super::goals::GoalInputs {
            year: self.0.year,
            as_of,
            evidence,
            events: &self.0.events,
            members: &self.0.members,
            protocols: &self.0.protocols,
            practices: &self.0.practices,
            diagnostics,
            satisfaction_responses,
        }
    }

    /// Members with a role.
    pub fn members_with(&self, role: MemberRole) -> impl Iterator<Item = &Member> {
        self.0.members.iter().filter(move |m| m.role == role)
    }
}

fn unique(ids: impl Iterator<Item = String>, what: &'static str) -> Result<(), PlanError> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id.clone()) {
            return Err(PlanError::DuplicateId(id, what));
        }
    }
    Ok(())
}

impl TryFrom<PlanDraft> for Plan {
    type Error = PlanError;
    fn try_from(value: PlanDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Plan> for PlanDraft {
    fn from(value: Plan) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        let check = |raw: &str, ok: bool| assert_eq!(Link::parse(raw).is_ok(), ok, "{raw:?}");
        check("https://www.yaklass.ru/", true);
        check("http://example.org/a?b=c", true);
        check("www.school34.ru", true);
        check("https://", false);
        check("ftp://x", false);
        check("https://a b", false);
        check("", false);
    }

    #[test]
    fn roles() {
        let check = |raw: &str, role: Option<MemberRole>| {
            assert_eq!(MemberRole::find_in(raw), role, "{raw:?}")
        };
        check("– учитель начальных классов – руководитель ПОС.", Some(MemberRole::Leader));
        check("– учитель начальных классов – секретарь ПОС.", Some(MemberRole::Secretary));
        check("Иванова И.И. – учитель – член ПОС", Some(MemberRole::Member));
        check("Еремеева А.В., методист МКУ КИМЦ", Some(MemberRole::Methodologist));
        check("Руководитель МО, методист", Some(MemberRole::Methodologist));
        check("учитель", None);
    }

    #[test]
    fn practice_grade_is_checked() {
        let draft = |grade| PracticeDraft {
            id: PracticeId::from_u128(1),
            title: Name::parse("Светофор на уроке математики").unwrap(),
            technique: Some(TechniqueKind::TrafficLight),
            subject: None,
            grade,
            author: None,
            description: None,
            link: None,
            added_on: NaiveDate::from_ymd_opt(2023, 10, 1).unwrap(),
            lesson: None,
            evidence: vec![],
        };
        assert!(Practice::new(draft(Some(4))).is_ok());
        assert!(Practice::new(draft(None)).is_ok());
        assert_eq!(Practice::new(draft(Some(12))), Err(PlanError::BadGrade(12)));
        assert_eq!(Practice::new(draft(Some(0))), Err(PlanError::BadGrade(0)));
        let json = serde_json::to_string(&Practice::new(draft(Some(4))).unwrap()).unwrap();
        assert!(serde_json::from_str::<Practice>(&json).is_ok());
        let bad = json.replace("\"grade\":4", "\"grade\":40");
        assert!(serde_json::from_str::<Practice>(&bad).is_err());
    }

    #[test]
    fn plan_checks_ids_and_members() {
        let event = |n| Event::new(EventId::from_u128(n), Period::WholeYear, "Доклад").unwrap();
        let draft = PlanDraft {
            id: PlanId::from_u128(1),
            year: SchoolYear::new(2022).unwrap(),
            title: Name::parse("План работы ПОС").unwrap(),
            aim: None,
            tasks: vec![],
            members: vec![
                Member::new(MemberId::from_u128(1), "Иванова И.И.", None, MemberRole::Leader)
                    .unwrap(),
            ],
            events: vec![event(1), event(2)],
            goals: vec![],
            protocols: vec![],
            practices: vec![],
        };
        assert!(Plan::new(draft.clone()).is_ok());
        let mut twice = draft.clone();
        twice.events.push(event(1));
        assert!(matches!(Plan::new(twice), Err(PlanError::DuplicateId(_, "events"))));
        let mut stranger = draft.clone();
        stranger.events[0].given_by.push(MemberId::from_u128(99));
        assert_eq!(Plan::new(stranger), Err(PlanError::UnknownMember("an event")));
        assert_eq!(event(3).kind, EventKind::Report);
        let mut moved = event(4);
        moved.move_to(Period::Month(super::super::period::Month::March));
        moved.move_to(Period::Month(super::super::period::Month::April));
        assert_eq!(moved.status, EventStatus::Moved);
        assert_eq!(moved.moved_from, Some(Period::WholeYear));
        assert_eq!(moved.period, Period::Month(super::super::period::Month::April));
        let plan = Plan::new(draft).unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan);
    }
}
