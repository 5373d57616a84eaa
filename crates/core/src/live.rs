//! A technique run in progress: the answers a class gives during a lesson, before they become
//! evidence.
//!
//! A [`LiveRun`] is made for one lesson, one target ([`On`]: a criterion, or the whole lesson for
//! lesson-scope techniques), one configured [`Technique`], one [`Source`] and the roster of
//! students allowed to answer. Every answer passes [`Technique::accept`] and the roster check, so a
//! run never holds an answer its technique refuses; fixed scales have a one-tap cycle
//! ([`LiveRun::tap`]); every operation that changed an answer can be stepped back exactly
//! ([`LiveRun::undo`]); [`LiveRun::tally`] is the anonymous projector count; and
//! [`LiveRun::close`] turns the answers into [`EvidenceRecord`]s — the one place technique
//! answers become records. A run is serialisable (and validated again when read back), so a
//! shell can keep it across a reload.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence::{EvidenceDraft, EvidenceRecord, Source};
use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use crate::lesson::Lesson;
use crate::roster::Class;
use crate::technique::{Response, ResponseError, Scope, Tally, Technique, TechniqueKind};

/// What a run is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "on", content = "criterion")]
pub enum On {
    /// One of the lesson's criteria (per-criterion techniques: светофор, лесенка, …).
    Criterion(CriterionId),
    /// The whole lesson (lesson-scope techniques: exit tickets, 3-2-1, …); the records carry the
    /// lesson's first criterion, its main one.
    Lesson,
}

/// Why a run could not be made or an operation on it was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// The student is not on the run's roster.
    #[error("student {0} is not in the class this run is for")]
    NotInRoster(StudentId),
    /// The technique refuses the answer.
    #[error("the answer does not fit the technique: {0}")]
    Refused(#[from] ResponseError),
    /// One-tap cycling needs a fixed scale (светофор, лесенка, кулак–пять, большой палец).
    #[error("the technique {0:?} has no fixed scale to tap through")]
    NotAFixedScale(TechniqueKind),
    /// The criterion is not one of the lesson's.
    #[error("criterion {0} is not one of the lesson's criteria")]
    UnknownCriterion(CriterionId),
    /// A lesson-scope technique needs the lesson to have a criterion its records can carry.
    #[error("the lesson has no criteria, so a lesson-scope technique cannot be recorded")]
    NoCriteria,
    /// The target does not match the technique's scope.
    #[error("the technique {technique:?} is run {scope:?}, not on this target")]
    Scope {
        /// The technique.
        technique: TechniqueKind,
        /// How it is run.
        scope: Scope,
    },
    /// Only a peer's run names an author, and never one whose work it is about.
    #[error("student {0} cannot write this run's records: only a peer reviews a classmate")]
    NotAPeer(StudentId),
    /// The roster's class is not the lesson's.
    #[error("the lesson is for class {lesson}, not class {class}")]
    WrongClass {
        /// The lesson's class.
        lesson: ClassId,
        /// The class given.
        class: ClassId,
    },
}

/// What one operation changed for one student: the answer before it (`None`: no answer), which
/// undo puts back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Change {
    student: StudentId,
    before: Option<Response>,
}

/// A technique being run with a class: answers by student, and the way back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RunState", into = "RunState")]
pub struct LiveRun(RunState);

/// A run's fields; also its serialised form, validated on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct RunState {
    lesson: LessonId,
    #[serde(with = "crate::iso::date")]
    lesson_date: NaiveDate,
    class: ClassId,
    on: On,
    criterion: CriterionId,
    technique: Technique,
    source: Source,
    roster: BTreeSet<StudentId>,
    answers: BTreeMap<StudentId, Response>,
    history: Vec<Vec<Change>>,
    /// Who writes the answers, when not the students they are about (a peer's review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    author: Option<StudentId>,
}

impl LiveRun {
    /// A run with no answers yet. A per-criterion technique runs [`On::Criterion`] (one of the
    /// lesson's); a lesson-scope one runs [`On::Lesson`], and its records carry the lesson's
    /// first criterion. `roster` lists the students allowed to answer.
    pub fn new(
        lesson: &Lesson,
        on: On,
        technique: Technique,
        source: Source,
        roster: impl IntoIterator<Item = StudentId>,
    ) -> Result<Self, LiveError> {
        let criterion = target_criterion(lesson, on, &technique)?;
        Ok(Self(RunState {
            lesson: lesson.id(),
            lesson_date: lesson.date(),
            class: lesson.class(),
            on,
            criterion,
            technique,
            source,
            roster: roster.into_iter().collect(),
            answers: BTreeMap::new(),
            history: Vec::new(),
            author: None,
        }))
    }

    /// A run whose roster is the class's students; the class must be the lesson's.
    pub fn for_class(
        lesson: &Lesson,
        on: On,
        technique: Technique,
        source: Source,
        class: &Class,
    ) -> Result<Self, LiveError> {
        if class.id != lesson.class() {
            return Err(LiveError::WrongClass { lesson: lesson.class(), class: class.id });
        }
        Self::new(lesson, on, technique, source, class.students().iter().map(|s| s.id))
    }

    /// The lesson.
    pub fn lesson(&self) -> LessonId {
        self.0.lesson
    }
    /// What the run is about.
    pub fn on(&self) -> On {
        self.0.on
    }
    /// The criterion the records will carry.
    pub fn criterion(&self) -> CriterionId {
        self.0.criterion
    }
    /// The technique as configured.
    pub fn technique(&self) -> &Technique {
        &self.0.technique
    }
    /// Who answers.
    pub fn source(&self) -> Source {
        self.0.source
    }
    /// The students allowed to answer.
    pub fn roster(&self) -> &BTreeSet<StudentId> {
        &self.0.roster
    }
    /// Whether the student may answer.
    pub fn allows(&self, student: StudentId) -> bool {
        self.0.roster.contains(&student)
    }
    /// The student's answer so far.
    pub fn answer_of(&self, student: StudentId) -> Option<&Response> {
        self.0.answers.get(&student)
    }
    /// Every answer so far, by student.
    pub fn answers(&self) -> &BTreeMap<StudentId, Response> {
        &self.0.answers
    }
    /// How many students have answered.
    pub fn answered(&self) -> usize {
        self.0.answers.len()
    }
    /// How many students may answer.
    pub fn roster_len(&self) -> usize {
        self.0.roster.len()
    }
    /// Whether there is an operation to step back.
    pub fn can_undo(&self) -> bool {
        !self.0.history.is_empty()
    }

    /// Sets a student's answer (replacing an earlier one).
    pub fn answer(&mut self, student: StudentId, response: Response) -> Result<(), LiveError> {
        self.admit(student)?;
        self.0.technique.accept(&response)?;
        self.apply([(student, Some(response))]);
        Ok(())
    }

    /// One tap on a fixed scale: no answer → the first option, then the next one, wrapping
    /// round (светофор green → yellow → red → green). Returns the new answer.
    pub fn tap(&mut self, student: StudentId) -> Result<Response, LiveError> {
        self.admit(student)?;
        let next = self
            .0
            .technique
            .cycle(self.0.answers.get(&student))
            .ok_or(LiveError::NotAFixedScale(self.0.technique.kind()))?;
        self.apply([(student, Some(next.clone()))]);
        Ok(next)
    }

    /// Gives every student on the roster who has not answered the same answer (one operation,
    /// undone at once); returns how many were set.
    pub fn answer_unanswered(&mut self, response: Response) -> Result<usize, LiveError> {
        self.0.technique.accept(&response)?;
        let unanswered: Vec<StudentId> =
            self.0.roster.iter().copied().filter(|s| !self.0.answers.contains_key(s)).collect();
        let count = unanswered.len();
        self.apply(unanswered.into_iter().map(|s| (s, Some(response.clone()))));
        Ok(count)
    }

    /// Removes a student's answer.
    pub fn clear(&mut self, student: StudentId) -> Result<(), LiveError> {
        self.admit(student)?;
        self.apply([(student, None)]);
        Ok(())
    }

    /// Steps back the last operation that changed an answer, exactly; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(changes) = self.0.history.pop() else { return false };
        for Change { student, before } in changes.into_iter().rev() {
            match before {
                Some(r) => self.0.answers.insert(student, r),
                None => self.0.answers.remove(&student),
            };
        }
        true
    }

    /// The anonymous counts of the answers so far (never names).
    pub fn tally(&self) -> Tally {
        Tally::of(&self.0.technique, self.0.answers.values())
    }

    /// The evidence records of the answers: one per student who answered, with the lesson's
    /// id, date and class, the run's criterion, technique and source, ids from `new_id` and the
    /// time `now`. The run itself is left as it was (a shell drops it once the records are kept).
    pub fn close(
        &self,
        mut new_id: impl FnMut() -> EvidenceId,
        now: DateTime<Utc>,
    ) -> Result<Vec<EvidenceRecord>, LiveError> {
        self.0
            .answers
            .iter()
            .map(|(student, value)| {
                self.0.technique.accept(value)?;
                Ok(EvidenceRecord::new(EvidenceDraft {
                    id: new_id(),
                    lesson: self.0.lesson,
                    lesson_date: self.0.lesson_date,
                    class: self.0.class,
                    student: Some(*student),
                    criterion: self.0.criterion,
                    technique: self.0.technique.kind(),
                    value: value.clone(),
                    source: self.0.source,
                    author: self.0.author,
                    recorded_at: now,
                })?)
            })
            .collect()
    }

    /// The same run written by `reviewer`: its records name them as their author. Only a peer's
    /// run (source `Peer`) has an author, and never a student it is about.
    pub fn written_by(mut self, reviewer: StudentId) -> Result<Self, LiveError> {
        if self.0.source != Source::Peer || self.0.roster.contains(&reviewer) {
            return Err(LiveError::NotAPeer(reviewer));
        }
        self.0.author = Some(reviewer);
        Ok(self)
    }

    /// Who writes the answers, when not the students they are about.
    pub fn author(&self) -> Option<StudentId> {
        self.0.author
    }

    /// The free texts of the answers so far, for the projector once the teacher reveals them,
    /// grouped by the part of the answer they fill (3-2-1's «узнал», «интересно», «вопрос»; the
    /// stars and the wish; an exit ticket's text items) in the form's order: every non-empty text
    /// (trimmed) without who wrote it, sorted by the text itself within its group, so the order
    /// says nothing of the roster or of who answered first. A cinquain stays whole: one text of
    /// its non-empty lines, one per line. Groups with no text are left out.
    pub fn texts(&self) -> Vec<TextGroup> {
        let mut groups: BTreeMap<TextPart, Vec<String>> = BTreeMap::new();
        for (part, text) in self.0.answers.values().flat_map(response_texts) {
            let text = text.trim();
            if !text.is_empty() {
                groups.entry(part).or_default().push(text.to_owned());
            }
        }
        groups
            .into_iter()
            .map(|(part, mut texts)| {
                texts.sort();
                TextGroup { part, texts }
            })
            .collect()
    }

    fn admit(&self, student: StudentId) -> Result<(), LiveError> {
        if self.allows(student) { Ok(()) } else { Err(LiveError::NotInRoster(student)) }
    }

    /// Applies the new answers as one operation; records it for undo only if something changed.
    fn apply(&mut self, updates: impl IntoIterator<Item = (StudentId, Option<Response>)>) {
        let mut changes = Vec::new();
        for (student, after) in updates {
            let before = match after {
                Some(r) => {
                    if self.0.answers.get(&student) == Some(&r) {
                        continue;
                    }
                    self.0.answers.insert(student, r)
                }
                None => match self.0.answers.remove(&student) {
                    Some(before) => Some(before),
                    None => continue,
                },
            };
            changes.push(Change { student, before });
        }
        if !changes.is_empty() {
            self.0.history.push(changes);
        }
    }
}

/// Which part of an answer a revealed text fills; ordered as the answer form asks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextPart {
    /// The one text of an unfinished sentence.
    Sentence,
    /// A whole cinquain, its lines joined by line breaks.
    Cinquain,
    /// 3-2-1: one of the three things learnt.
    Learnt,
    /// 3-2-1: one of the two things found interesting.
    Interesting,
    /// 3-2-1: the question.
    Question,
    /// «Две звезды и пожелание»: a star, what went well.
    Star,
    /// «Две звезды и пожелание»: the wish.
    Wish,
    /// An exit ticket's text item, by its index among the ticket's items.
    Item(usize),
}

/// The revealed texts of one part of the answers, sorted by the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextGroup {
    /// The part of the answer these texts fill.
    pub part: TextPart,
    /// The texts, trimmed, non-empty, sorted.
    pub texts: Vec<String>,
}

/// The free texts of one response with the part each fills (none for fixed scales).
fn response_texts(response: &Response) -> Vec<(TextPart, String)> {
    use crate::technique::ExitAnswer;
    let parts = |part: TextPart, texts: &[String]| -> Vec<(TextPart, String)> {
        texts.iter().map(|t| (part, t.clone())).collect()
    };
    match response {
        Response::Text(t) => vec![(TextPart::Sentence, t.clone())],
        Response::Lines(lines) => {
            let poem: Vec<&str> =
                lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
            vec![(TextPart::Cinquain, poem.join("\n"))]
        }
        Response::TwoStarsAndAWish { stars, wish } => {
            let mut texts = parts(TextPart::Star, stars);
            texts.push((TextPart::Wish, wish.clone()));
            texts
        }
        Response::ThreeTwoOne { three, two, one } => {
            let mut texts = parts(TextPart::Learnt, three);
            texts.extend(parts(TextPart::Interesting, two));
            texts.push((TextPart::Question, one.clone()));
            texts
        }
        Response::ExitTicket(answers) => answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match a {
                ExitAnswer::Text(t) => Some((TextPart::Item(i), t.clone())),
                _ => None,
            })
            .collect(),
        Response::Light(_) | Response::Step(_) | Response::Fingers(_) | Response::Thumb(_) => {
            Vec::new()
        }
    }
}

/// The criterion a run's records carry, checked against the technique's scope.
fn target_criterion(
    lesson: &Lesson,
    on: On,
    technique: &Technique,
) -> Result<CriterionId, LiveError> {
    let scope = technique.scope();
    let mismatch = || LiveError::Scope { technique: technique.kind(), scope };
    match (scope, on) {
        (Scope::PerCriterion, On::Criterion(id)) => {
            lesson.criterion(id).map(|c| c.id()).ok_or(LiveError::UnknownCriterion(id))
        }
        (Scope::Lesson, On::Lesson) => {
            lesson.criteria().first().map(|c| c.id()).ok_or(LiveError::NoCriteria)
        }
        _ => Err(mismatch()),
    }
}

impl TryFrom<RunState> for LiveRun {
    type Error = LiveError;
    fn try_from(state: RunState) -> Result<Self, Self::Error> {
        match (state.technique.scope(), state.on) {
            (Scope::PerCriterion, On::Criterion(id)) if id != state.criterion => {
                return Err(LiveError::UnknownCriterion(id));
            }
            (Scope::PerCriterion, On::Criterion(_)) | (Scope::Lesson, On::Lesson) => {}
            (scope, _) => {
                return Err(LiveError::Scope { technique: state.technique.kind(), scope });
            }
        }
        if let Some(author) = state.author
            && (state.source != Source::Peer || state.roster.contains(&author))
        {
            return Err(LiveError::NotAPeer(author));
        }
        let stored = state.answers.iter().map(|(s, r)| (*s, Some(r)));
        let earlier = state.history.iter().flatten().map(|c| (c.student, c.before.as_ref()));
        for (student, response) in stored.chain(earlier) {
            if !state.roster.contains(&student) {
                return Err(LiveError::NotInRoster(student));
            }
            if let Some(r) = response {
                state.technique.accept(r)?;
            }
        }
        Ok(Self(state))
    }
}

impl From<LiveRun> for RunState {
    fn from(run: LiveRun) -> Self {
        run.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::technique::{LadderScale, Light, Thumb};
    use crate::text::Lang;
    use proptest::prelude::*;

    const CLASS: ClassId = ClassId::from_u128(0xc1);
    const FIRST: CriterionId = CriterionId::from_u128(0xa1);
    const SECOND: CriterionId = CriterionId::from_u128(0xa2);

    fn student(n: u128) -> StudentId {
        StudentId::from_u128(0x500 + n)
    }

    fn lesson(criteria: &[(CriterionId, &str)]) -> Lesson {
        let date = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        Lesson::with_texts(LessonId::from_u128(0x1e), CLASS, date, "Дроби", criteria).unwrap()
    }

    fn two_criteria() -> Lesson {
        lesson(&[(FIRST, "Складываю дроби"), (SECOND, "Сокращаю ответ")])
    }

    fn run(technique: Technique, students: u128) -> LiveRun {
        let on = match technique.scope() {
            Scope::PerCriterion => On::Criterion(FIRST),
            Scope::Lesson => On::Lesson,
        };
        LiveRun::new(
            &two_criteria(),
            on,
            technique,
            Source::SelfAssessment,
            (0..students).map(student),
        )
        .unwrap()
    }

    #[test]
    fn revealed_texts_are_sorted_and_nameless() {
        use crate::technique::ExitAnswer as A;
        let mut ticket = run(Technique::default_of(TechniqueKind::ExitTicket, Lang::Ru), 4);
        let answer = |help: &str| {
            Response::ExitTicket(vec![A::Check(true), A::Confidence(3), A::Text(help.into())])
        };
        ticket.answer(student(0), answer("  с дробями ")).unwrap();
        ticket.answer(student(1), answer("")).unwrap();
        ticket.answer(student(2), answer("с задачами")).unwrap();
        ticket.answer(student(3), answer("а ещё с делением")).unwrap();
        let group = |part: TextPart, texts: &[&str]| TextGroup {
            part,
            texts: texts.iter().map(|t| (*t).to_owned()).collect(),
        };
        assert_eq!(
            ticket.texts(),
            [group(TextPart::Item(2), &["а ещё с делением", "с дробями", "с задачами"])]
        );
        let mut stars = run(Technique::TwoStarsAndAWish, 1);
        let review = Response::TwoStarsAndAWish {
            stars: ["ясно".into(), "аккуратно".into()],
            wish: "больше примеров".into(),
        };
        stars.answer(student(0), review).unwrap();
        assert_eq!(
            stars.texts(),
            [
                group(TextPart::Star, &["аккуратно", "ясно"]),
                group(TextPart::Wish, &["больше примеров"])
            ]
        );
        let mut three = run(Technique::ThreeTwoOne, 2);
        let said = |learnt: &str, question: &str| Response::ThreeTwoOne {
            three: [learnt.into(), "дроби".into(), " функции ".into()],
            two: ["графики".into(), "задачи".into()],
            one: question.into(),
        };
        three.answer(student(0), said("корни", "зачем?")).unwrap();
        three.answer(student(1), said("степени", "как?")).unwrap();
        assert_eq!(
            three.texts(),
            [
                group(
                    TextPart::Learnt,
                    &["дроби", "дроби", "корни", "степени", "функции", "функции"]
                ),
                group(TextPart::Interesting, &["графики", "графики", "задачи", "задачи"]),
                group(TextPart::Question, &["зачем?", "как?"]),
            ]
        );
        let mut poem = run(Technique::Cinquain, 1);
        let lines = [
            "Дробь",
            "простая, десятичная",
            "делится, сокращается, растёт",
            "часть целого числа",
            "доля",
        ];
        poem.answer(student(0), Response::Lines(lines.map(String::from).to_vec())).unwrap();
        assert_eq!(poem.texts(), [group(TextPart::Cinquain, &[&lines.join("\n")])]);
        assert!(run(Technique::TrafficLight, 2).texts().is_empty());
    }

    fn ladder(steps: u8) -> Technique {
        Technique::Ladder(LadderScale::preset(steps, Lang::Ru).unwrap())
    }

    #[test]
    fn runs_are_made_for_their_target() {
        fn check(
            lesson: &Lesson,
            on: On,
            technique: Technique,
            expected: Result<CriterionId, LiveError>,
        ) {
            let got = LiveRun::new(lesson, on, technique.clone(), Source::Teacher, [student(0)]);
            assert_eq!(got.map(|r| r.criterion()), expected, "{on:?} {technique:?}");
        }
        let two = two_criteria();
        let ticket = Technique::default_of(TechniqueKind::ExitTicket, Lang::Ru);
        check(&two, On::Criterion(SECOND), Technique::TrafficLight, Ok(SECOND));
        check(&two, On::Criterion(SECOND), ladder(3), Ok(SECOND));
        check(&two, On::Lesson, ticket.clone(), Ok(FIRST));
        check(&two, On::Lesson, Technique::Cinquain, Ok(FIRST));
        let stranger = CriterionId::from_u128(0xff);
        check(
            &two,
            On::Criterion(stranger),
            Technique::Thumbs,
            Err(LiveError::UnknownCriterion(stranger)),
        );
        check(
            &two,
            On::Lesson,
            Technique::TrafficLight,
            Err(LiveError::Scope {
                technique: TechniqueKind::TrafficLight,
                scope: Scope::PerCriterion,
            }),
        );
        check(
            &two,
            On::Criterion(FIRST),
            ticket.clone(),
            Err(LiveError::Scope { technique: TechniqueKind::ExitTicket, scope: Scope::Lesson }),
        );
        check(&lesson(&[]), On::Lesson, ticket, Err(LiveError::NoCriteria));
    }

    #[test]
    fn a_class_roster_must_be_the_lessons_class() {
        let mut class = Class::new(CLASS, crate::text::Name::parse("5А").unwrap());
        class.add_student(student(1), crate::text::Name::parse("Иванова Мария").unwrap()).unwrap();
        let on = On::Criterion(FIRST);
        let ok = LiveRun::for_class(
            &two_criteria(),
            on,
            Technique::TrafficLight,
            Source::Teacher,
            &class,
        )
        .unwrap();
        assert_eq!(ok.roster().iter().copied().collect::<Vec<_>>(), vec![student(1)]);
        let other = Class::new(ClassId::from_u128(0xc2), crate::text::Name::parse("5Б").unwrap());
        assert_eq!(
            LiveRun::for_class(
                &two_criteria(),
                on,
                Technique::TrafficLight,
                Source::Teacher,
                &other
            ),
            Err(LiveError::WrongClass { lesson: CLASS, class: other.id })
        );
    }

    /// An operation on a run, for the table-driven and property tests.
    #[derive(Debug, Clone)]
    enum Op {
        Answer(u128, Response),
        Tap(u128),
        Unanswered(Response),
        Clear(u128),
        Undo,
    }

    fn apply(run: &mut LiveRun, op: &Op) -> Result<(), LiveError> {
        match op {
            Op::Answer(s, r) => run.answer(student(*s), r.clone()),
            Op::Tap(s) => run.tap(student(*s)).map(drop),
            Op::Unanswered(r) => run.answer_unanswered(r.clone()).map(drop),
            Op::Clear(s) => run.clear(student(*s)),
            Op::Undo => {
                run.undo();
                Ok(())
            }
        }
    }

    #[test]
    fn operations_change_answers_or_say_why_not() {
        use Light::*;
        use Op::{Answer, Clear, Tap, Unanswered, Undo};
        use Response::{Fingers, Step};
        type Answers<'a> = &'a [(u128, Response)];
        fn check(technique: Technique, ops: &[Op], last: Result<(), LiveError>, want: Answers<'_>) {
            let mut run = run(technique, 3);
            let (init, tail) = ops.split_at(ops.len() - 1);
            for op in init {
                apply(&mut run, op).unwrap();
            }
            assert_eq!(apply(&mut run, &tail[0]), last, "{ops:?}");
            let want: BTreeMap<StudentId, Response> =
                want.iter().map(|(s, r)| (student(*s), r.clone())).collect();
            assert_eq!(run.answers(), &want, "{ops:?}");
        }
        let (l, tl) = (Response::Light, || Technique::TrafficLight);
        let off = |n| Err(LiveError::NotInRoster(student(n)));
        let refused = |e| Err(LiveError::Refused(e));
        check(tl(), &[Tap(0)], Ok(()), &[(0, l(Green))]);
        check(tl(), &[Tap(0), Tap(0), Tap(0)], Ok(()), &[(0, l(Red))]);
        check(tl(), &[Tap(0), Tap(0), Tap(0), Tap(0)], Ok(()), &[(0, l(Green))]);
        check(tl(), &[Tap(1), Tap(1), Undo], Ok(()), &[(1, l(Green))]);
        check(tl(), &[Tap(7)], off(7), &[]);
        let wrong =
            ResponseError::WrongShape { technique: TechniqueKind::TrafficLight, got: "step" };
        check(tl(), &[Answer(0, Step(2))], refused(wrong), &[]);
        let all = [(0, l(Green)), (1, l(Green)), (2, l(Red))];
        check(tl(), &[Answer(2, l(Red)), Unanswered(l(Green))], Ok(()), &all);
        check(tl(), &[Answer(2, l(Red)), Unanswered(l(Green)), Undo], Ok(()), &[(2, l(Red))]);
        check(tl(), &[Tap(0), Tap(1), Clear(0)], Ok(()), &[(1, l(Green))]);
        check(tl(), &[Tap(0), Clear(0), Undo], Ok(()), &[(0, l(Green))]);
        check(tl(), &[Clear(5)], off(5), &[]);
        check(ladder(4), &[Tap(0), Tap(0), Tap(0), Tap(0)], Ok(()), &[(0, Step(4))]);
        check(ladder(4), &[Answer(0, Step(4)), Tap(0)], Ok(()), &[(0, Step(1))]);
        let range = ResponseError::OutOfRange { value: 5, min: 1, max: 4 };
        check(ladder(4), &[Answer(0, Step(5))], refused(range), &[]);
        check(Technique::FistToFive, &[Tap(0)], Ok(()), &[(0, Fingers(0))]);
        check(
            Technique::Thumbs,
            &[Tap(0), Tap(0)],
            Ok(()),
            &[(0, Response::Thumb(Thumb::Sideways))],
        );
        let no_scale = Err(LiveError::NotAFixedScale(TechniqueKind::Cinquain));
        check(Technique::Cinquain, &[Tap(0)], no_scale, &[]);
        let text = Response::Text("дроби можно сокращать".into());
        let sentence = Technique::default_of(TechniqueKind::UnfinishedSentence, Lang::Ru);
        check(sentence, &[Answer(1, text.clone())], Ok(()), &[(1, text)]);
    }

    #[test]
    fn undo_steps_back_only_what_changed() {
        let mut run = run(Technique::TrafficLight, 2);
        assert!(!run.undo(), "nothing to undo in a new run");
        run.answer(student(0), Response::Light(Light::Red)).unwrap();
        // Setting the same answer again, or clearing an empty one, changes nothing to undo.
        run.answer(student(0), Response::Light(Light::Red)).unwrap();
        run.clear(student(1)).unwrap();
        assert_eq!(run.answer_unanswered(Response::Light(Light::Green)), Ok(1));
        assert_eq!(run.answer_unanswered(Response::Light(Light::Yellow)), Ok(0));
        assert!(run.undo());
        assert!(run.undo());
        assert!(!run.can_undo());
        assert_eq!(run, self::run(Technique::TrafficLight, 2));
    }

    #[test]
    fn the_tally_counts_the_answers_with_their_typed_values() {
        let mut run = run(Technique::TrafficLight, 4);
        for (s, taps) in [(0, 1), (1, 3), (2, 3)] {
            for _ in 0..taps {
                run.tap(student(s)).unwrap();
            }
        }
        let tally = run.tally();
        let got: Vec<(Response, u32)> =
            tally.options.iter().map(|o| (o.value.clone(), o.count)).collect();
        assert_eq!(
            got,
            vec![
                (Response::Light(Light::Green), 1),
                (Response::Light(Light::Yellow), 0),
                (Response::Light(Light::Red), 2)
            ]
        );
        assert_eq!((tally.total, tally.rejected), (3, 0));
        assert_eq!((run.answered(), run.roster_len()), (3, 4));
    }

    #[test]
    fn close_builds_one_record_per_answer() {
        let mut run = LiveRun::new(
            &two_criteria(),
            On::Criterion(SECOND),
            ladder(3),
            Source::Teacher,
            (0..3).map(student),
        )
        .unwrap();
        run.answer(student(2), Response::Step(3)).unwrap();
        run.answer(student(0), Response::Step(1)).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-24T09:30:00Z").unwrap().to_utc();
        let mut next = 0u128;
        let records = run
            .close(
                || {
                    next += 1;
                    EvidenceId::from_u128(next)
                },
                now,
            )
            .unwrap();
        // Technique, criterion and source are the run's; one record per answer, in student order.
        let got: Vec<_> =
            records.iter().map(|r| (r.id(), r.student(), r.value().clone())).collect();
        let want = [(1, 0, Response::Step(1)), (2, 2, Response::Step(3))]
            .map(|(id, s, v)| (EvidenceId::from_u128(id), Some(student(s)), v));
        assert_eq!(got, want);
        for r in &records {
            assert_eq!(
                (r.criterion(), r.technique(), r.source()),
                (SECOND, TechniqueKind::Ladder, Source::Teacher)
            );
        }
        for r in &records {
            assert_eq!(
                (r.lesson(), r.lesson_date(), r.class(), r.recorded_at()),
                (run.lesson(), two_criteria().date(), CLASS, now)
            );
        }
    }

    #[test]
    fn a_peers_review_names_its_reviewer() {
        let review = Response::TwoStarsAndAWish {
            stars: ["ясный вывод".into(), "аккуратно".into()],
            wish: "добавь пример".into(),
        };
        let peer = || {
            LiveRun::new(
                &two_criteria(),
                On::Lesson,
                Technique::TwoStarsAndAWish,
                Source::Peer,
                [student(1)],
            )
            .unwrap()
        };
        // The reviewed student cannot be the author, nor can a run that is not a peer's name one.
        assert_eq!(peer().written_by(student(1)), Err(LiveError::NotAPeer(student(1))));
        assert_eq!(
            run(Technique::TrafficLight, 3).written_by(student(7)),
            Err(LiveError::NotAPeer(student(7)))
        );
        let mut run = peer().written_by(student(0)).unwrap();
        assert_eq!(run.author(), Some(student(0)));
        run.answer(student(1), review.clone()).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-24T09:30:00Z").unwrap().to_utc();
        let records = run.close(|| EvidenceId::from_u128(5), now).unwrap();
        let got: Vec<_> = records.iter().map(|r| (r.student(), r.author(), r.source())).collect();
        assert_eq!(got, [(Some(student(1)), Some(student(0)), Source::Peer)]);
        // Kept through serde; an author on the roster is refused on the way in.
        let json = serde_json::to_string(&run).unwrap();
        assert_eq!(serde_json::from_str::<LiveRun>(&json).unwrap(), run);
        let mut tampered: serde_json::Value = serde_json::from_str(&json).unwrap();
        tampered["author"] = serde_json::json!(student(1).to_string());
        assert!(serde_json::from_value::<LiveRun>(tampered).is_err(), "the reviewed as author");
        // A record's author survives its own serde round trip; older records have none.
        let record = &records[0];
        let text = serde_json::to_string(record).unwrap();
        assert_eq!(&serde_json::from_str::<EvidenceRecord>(&text).unwrap(), record);
        let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
        old.as_object_mut().unwrap().remove("author");
        assert_eq!(serde_json::from_value::<EvidenceRecord>(old).unwrap().author(), None);
    }

    #[test]
    fn serde_round_trips_and_validates() {
        let mut run = run(Technique::TrafficLight, 3);
        run.tap(student(0)).unwrap();
        run.tap(student(0)).unwrap();
        run.answer_unanswered(Response::Light(Light::Red)).unwrap();
        let json = serde_json::to_string(&run).unwrap();
        assert_eq!(serde_json::from_str::<LiveRun>(&json).unwrap(), run);
        let mut tampered: serde_json::Value = serde_json::from_str(&json).unwrap();
        tampered["answers"][student(0).to_string()] =
            serde_json::json!({"type": "step", "value": 2});
        assert!(serde_json::from_value::<LiveRun>(tampered).is_err(), "a refused answer");
        let mut outsider: serde_json::Value = serde_json::from_str(&json).unwrap();
        outsider["history"][0][0]["student"] = serde_json::json!(student(9).to_string());
        assert!(serde_json::from_value::<LiveRun>(outsider).is_err(), "a student off the roster");
    }

    fn technique_strategy() -> impl Strategy<Value = Technique> {
        prop_oneof![
            Just(Technique::TrafficLight),
            (3u8..=5).prop_map(ladder),
            Just(Technique::FistToFive),
            Just(Technique::Thumbs),
        ]
    }

    fn op_strategy() -> impl Strategy<Value = Op> {
        // Students 0..6 on a roster of 5 (5 is off it); values of every fixed scale, some refused.
        let value = prop_oneof![
            proptest::sample::select(Light::ALL.to_vec()).prop_map(Response::Light),
            (0u8..=6).prop_map(Response::Step),
            (0u8..=6).prop_map(Response::Fingers),
            proptest::sample::select(Thumb::ALL.to_vec()).prop_map(Response::Thumb),
        ];
        prop_oneof![
            1 => (0u128..6, value.clone()).prop_map(|(s, r)| Op::Answer(s, r)),
            3 => (0u128..6).prop_map(Op::Tap),
            1 => value.prop_map(Op::Unanswered),
            1 => (0u128..6).prop_map(Op::Clear),
            2 => Just(Op::Undo),
        ]
    }

    proptest! {
        #[test]
        fn a_run_is_the_replay_of_its_surviving_operations(
            technique in technique_strategy(),
            ops in proptest::collection::vec(op_strategy(), 0..40),
        ) {
            let mut live = run(technique.clone(), 5);
            // The operations that changed an answer and are not undone, oldest first.
            let mut surviving: Vec<Op> = Vec::new();
            for op in &ops {
                let before = live.clone();
                let outcome = apply(&mut live, op);
                if let Op::Undo = op {
                    if surviving.pop().is_none() {
                        prop_assert_eq!(&live, &before);
                    }
                } else if outcome.is_err() {
                    prop_assert_eq!(&live, &before, "a refused operation changes nothing");
                } else if live.answers() != before.answers() {
                    surviving.push(op.clone());
                    let mut back = live.clone();
                    back.undo();
                    prop_assert_eq!(&back, &before, "undo is exact");
                }
            }
            let mut replayed = run(technique.clone(), 5);
            for op in &surviving {
                prop_assert!(apply(&mut replayed, op).is_ok());
            }
            prop_assert_eq!(&replayed, &live);

            let tally = live.tally();
            prop_assert_eq!(tally.total as usize, live.answered());
            prop_assert_eq!(tally.rejected, 0);
            prop_assert!(live.answered() <= live.roster_len());

            let now = DateTime::parse_from_rfc3339("2026-11-24T09:30:00Z").unwrap().to_utc();
            let mut n = 0u128;
            let records = live.close(|| { n += 1; EvidenceId::from_u128(n) }, now).unwrap();
            prop_assert_eq!(records.len(), live.answered());
            let lesson = two_criteria();
            for r in &records {
                prop_assert!(technique.accept(r.value()).is_ok());
                prop_assert_eq!(r.student().and_then(|s| live.answer_of(s)), Some(r.value()));
                prop_assert_eq!((r.lesson(), r.lesson_date(), r.class()), (lesson.id(), lesson.date(), lesson.class()));
            }

            let json = serde_json::to_string(&live).unwrap();
            prop_assert_eq!(&serde_json::from_str::<LiveRun>(&json).unwrap(), &live);

            while live.undo() {}
            prop_assert_eq!(live, run(technique, 5));
        }
    }
}
