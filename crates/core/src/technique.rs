//! Formative techniques (приёмы формирующего оценивания) and the responses they accept.
//!
//! [`TechniqueKind`] names a technique; [`Response`] is one answer to it, as stored in an
//! evidence record. [`Response::fits`] is the kind-level check every stored record passes.

use serde::{Deserialize, Serialize};

use crate::text::Name;

/// The techniques Lesenka knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechniqueKind {
    /// Светофор: green, yellow, red.
    TrafficLight,
    /// Лесенка успеха: an ordinal self-assessment scale of 3 or more steps.
    Ladder,
    /// Билет на выход: 1–3 short items at the end of a lesson.
    ExitTicket,
    /// Кулак–пять: 0 to 5 fingers.
    FistToFive,
    /// Большой палец: up, sideways, down.
    Thumbs,
    /// Две звезды и пожелание: peer feedback.
    TwoStarsAndAWish,
    /// 3-2-1: three things learnt, two interesting, one question.
    ThreeTwoOne,
    /// Незаконченное предложение: the student finishes a sentence stem.
    UnfinishedSentence,
    /// Синквейн: a five-line poem about a concept.
    Cinquain,
}

impl TechniqueKind {
    /// Every kind, in catalogue order.
    pub const ALL: [TechniqueKind; 9] = [
        Self::TrafficLight,
        Self::Ladder,
        Self::ExitTicket,
        Self::FistToFive,
        Self::Thumbs,
        Self::TwoStarsAndAWish,
        Self::ThreeTwoOne,
        Self::UnfinishedSentence,
        Self::Cinquain,
    ];

    /// The technique's name in `lang` («Светофор», "Traffic light"): the one table of names the
    /// app, the CLI and the CSV export all show.
    pub const fn name(self, lang: Lang) -> &'static str {
        let (ru, en) = match self {
            Self::TrafficLight => ("Светофор", "Traffic light"),
            Self::Ladder => ("Лесенка успеха", "Ladder of success"),
            Self::ExitTicket => ("Билет на выход", "Exit ticket"),
            Self::FistToFive => ("Кулак–пять", "Fist to five"),
            Self::Thumbs => ("Большой палец", "Thumbs"),
            Self::TwoStarsAndAWish => ("Две звезды и пожелание", "Two stars and a wish"),
            Self::ThreeTwoOne => ("3-2-1", "3-2-1"),
            Self::UnfinishedSentence => ("Незаконченное предложение", "Unfinished sentence"),
            Self::Cinquain => ("Синквейн", "Cinquain"),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// A stable small number for compact encodings (never reuse a retired number).
    pub const fn code(self) -> u8 {
        match self {
            Self::TrafficLight => 0,
            Self::Ladder => 1,
            Self::ExitTicket => 2,
            Self::FistToFive => 3,
            Self::Thumbs => 4,
            Self::TwoStarsAndAWish => 5,
            Self::ThreeTwoOne => 6,
            Self::UnfinishedSentence => 7,
            Self::Cinquain => 8,
        }
    }

    /// The kind with the given [`code`](Self::code).
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A светофор answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// «Знаю, могу».
    Green,
    /// «Не уверен».
    Yellow,
    /// «Не знаю, не могу».
    Red,
}

impl Light {
    /// All lights, green first.
    pub const ALL: [Light; 3] = [Self::Green, Self::Yellow, Self::Red];

    /// The next light in the one-tap cycle green → yellow → red → green.
    pub const fn next(self) -> Self {
        match self {
            Self::Green => Self::Yellow,
            Self::Yellow => Self::Red,
            Self::Red => Self::Green,
        }
    }
}

/// A thumbs answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thumb {
    /// Understood.
    Up,
    /// Partly.
    Sideways,
    /// Not understood.
    Down,
}

impl Thumb {
    /// All thumbs, up first.
    pub const ALL: [Thumb; 3] = [Self::Up, Self::Sideways, Self::Down];
}

/// One answer to one exit-ticket item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum ExitAnswer {
    /// A content check, scored on correctness only (never speed).
    Check(bool),
    /// Confidence 1 (not at all) to 4 (fully).
    Confidence(u8),
    /// Free text («мне нужна помощь с…»).
    Text(String),
}

/// One response to a technique, as stored in an evidence record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Response {
    /// A светофор light.
    Light(Light),
    /// A ladder step, 1-based (1 = lowest).
    Step(u8),
    /// Fingers shown, 0 to 5.
    Fingers(u8),
    /// A thumb.
    Thumb(Thumb),
    /// Two stars and a wish.
    TwoStarsAndAWish {
        /// Two things done well.
        stars: [String; 2],
        /// One thing to improve.
        wish: String,
    },
    /// Three learnt, two interesting, one question.
    ThreeTwoOne {
        /// Three things learnt.
        three: [String; 3],
        /// Two interesting things.
        two: [String; 2],
        /// One question.
        one: String,
    },
    /// A finished sentence or another free text.
    Text(String),
    /// The lines of a cinquain.
    Lines(Vec<String>),
    /// Answers to an exit ticket's items, in item order.
    ExitTicket(Vec<ExitAnswer>),
}

/// The most characters any single text in a response may have.
pub const MAX_RESPONSE_TEXT: usize = 2000;
/// The most steps a ladder may have.
pub const MAX_LADDER_STEPS: u8 = 10;
/// The most items an exit ticket may have.
pub const MAX_EXIT_ITEMS: usize = 3;

/// Why a response does not fit a technique.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The response is of another technique's shape.
    #[error("a {got} answer does not fit the technique {technique:?}")]
    WrongShape {
        /// The technique.
        technique: TechniqueKind,
        /// The shape received.
        got: &'static str,
    },
    /// A number outside the technique's range.
    #[error("{value} is outside {min}..={max}")]
    OutOfRange {
        /// The value received.
        value: u8,
        /// The lowest allowed.
        min: u8,
        /// The highest allowed.
        max: u8,
    },
    /// A text too long to keep.
    #[error("a text of {len} characters is longer than {max}")]
    TextTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// An empty answer where one is needed.
    #[error("the answer is empty")]
    Empty,
    /// Wrong number of answers or lines.
    #[error("expected {expected} answers, got {got}")]
    WrongCount {
        /// How many were expected (an upper bound for tickets and cinquains).
        expected: usize,
        /// How many came.
        got: usize,
    },
}

impl Response {
    /// A short name of the response's shape, for messages.
    pub const fn shape(&self) -> &'static str {
        match self {
            Self::Light(_) => "light",
            Self::Step(_) => "step",
            Self::Fingers(_) => "fingers",
            Self::Thumb(_) => "thumb",
            Self::TwoStarsAndAWish { .. } => "two_stars_and_a_wish",
            Self::ThreeTwoOne { .. } => "three_two_one",
            Self::Text(_) => "text",
            Self::Lines(_) => "lines",
            Self::ExitTicket(_) => "exit_ticket",
        }
    }

    /// Checks that the response has the shape and ranges any instance of `kind` accepts.
    ///
    /// A configured technique may be stricter (a 4-step ladder refuses step 5); this is the check
    /// that every stored record passes whatever its technique's settings were.
    pub fn fits(&self, kind: TechniqueKind) -> Result<(), ResponseError> {
        use TechniqueKind as K;
        let wrong = || ResponseError::WrongShape { technique: kind, got: self.shape() };
        match (kind, self) {
            (K::TrafficLight, Self::Light(_)) | (K::Thumbs, Self::Thumb(_)) => Ok(()),
            (K::Ladder, Self::Step(step)) => in_range(*step, 1, MAX_LADDER_STEPS),
            (K::FistToFive, Self::Fingers(n)) => in_range(*n, 0, 5),
            (K::TwoStarsAndAWish, Self::TwoStarsAndAWish { stars, wish }) => {
                stars.iter().chain([wish]).try_for_each(|t| text_ok(t))
            }
            (K::ThreeTwoOne, Self::ThreeTwoOne { three, two, one }) => {
                three.iter().chain(two).chain([one]).try_for_each(|t| text_ok(t))
            }
            (K::UnfinishedSentence, Self::Text(text)) => {
                text_ok(text)?;
                if text.trim().is_empty() { Err(ResponseError::Empty) } else { Ok(()) }
            }
            (K::Cinquain, Self::Lines(lines)) => {
                if lines.is_empty() || lines.len() > 5 {
                    return Err(ResponseError::WrongCount { expected: 5, got: lines.len() });
                }
                lines.iter().try_for_each(|t| text_ok(t))
            }
            (K::ExitTicket, Self::ExitTicket(answers)) => {
                if answers.is_empty() || answers.len() > MAX_EXIT_ITEMS {
                    return Err(ResponseError::WrongCount {
                        expected: MAX_EXIT_ITEMS,
                        got: answers.len(),
                    });
                }
                answers.iter().try_for_each(|a| match a {
                    ExitAnswer::Check(_) => Ok(()),
                    ExitAnswer::Confidence(c) => in_range(*c, 1, 4),
                    ExitAnswer::Text(t) => text_ok(t),
                })
            }
            _ => Err(wrong()),
        }
    }
}

fn in_range(value: u8, min: u8, max: u8) -> Result<(), ResponseError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(ResponseError::OutOfRange { value, min, max })
    }
}

fn text_ok(text: &str) -> Result<(), ResponseError> {
    let len = text.chars().count();
    if len > MAX_RESPONSE_TEXT {
        Err(ResponseError::TextTooLong { len, max: MAX_RESPONSE_TEXT })
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Configured techniques
// ---------------------------------------------------------------------------------------------

pub use crate::text::Lang;

/// The fewest steps a ladder may have.
pub const MIN_LADDER_STEPS: u8 = 3;
/// The most characters a ladder step label or an exit-ticket prompt may have.
pub const MAX_LABEL_CHARS: usize = 200;

/// Why a technique configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TechniqueError {
    /// A ladder needs 3 to 10 steps (presets exist for 3, 4 and 5).
    #[error("a ladder has {got} steps; it needs {min} to {max}")]
    LadderSteps {
        /// Steps given.
        got: usize,
        /// The fewest allowed.
        min: u8,
        /// The most allowed.
        max: u8,
    },
    /// No built-in preset has this many steps.
    #[error("there is no built-in ladder preset with {0} steps (presets have 3, 4 or 5)")]
    NoPreset(u8),
    /// A label, prompt or stem is empty or too long.
    #[error("text {index} is not usable: {error}")]
    Text {
        /// 1-based position of the text in its list.
        index: usize,
        /// What is wrong.
        error: crate::text::TextError,
    },
    /// Two ladder steps have the same label.
    #[error("ladder step label «{0}» appears twice")]
    DuplicateStep(String),
    /// An exit ticket needs 1 to 3 items.
    #[error("an exit ticket has {got} items; it needs 1 to {max}")]
    ExitItems {
        /// Items given.
        got: usize,
        /// The most allowed.
        max: usize,
    },
}

/// The steps of a лесенка успеха, lowest first; 3 to 10 labelled steps, each with the teacher's
/// wording (the teacher's screen) and the student's (the projector, the tablet).
///
/// Stored as a list of labels when both wordings agree (every preset, and the stored form of
/// earlier versions), else as a list of `{"teacher", "student"}` pairs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StoredLadder", into = "StoredLadder")]
pub struct LadderScale {
    steps: Vec<Name>,
    student: Vec<Name>,
}

/// One step's two wordings, as given to [`LadderScale::worded`] and stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StepWording {
    /// How the teacher's screen names the step.
    pub teacher: String,
    /// How the student sees it.
    pub student: String,
}

/// A ladder's stored form: plain labels, or both wordings per step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum StoredLadder {
    Labels(Vec<String>),
    Worded(Vec<StepWording>),
}

const LADDER_3_RU: [&str; 3] = ["ничего не понял", "остались вопросы", "всё понял"];
const LADDER_4_RU: [&str; 4] =
    ["нуждаюсь в помощи", "нужно повторить", "практически всё понял", "уверен в знаниях"];
const LADDER_5_RU: [&str; 5] = [
    "услышал и забыл",
    "услышал и не понял",
    "увидел и запомнил",
    "сделал и понял",
    "смогу научить другого",
];
const LADDER_3_EN: [&str; 3] =
    ["I didn't understand anything", "I still have questions", "I understood everything"];
const LADDER_4_EN: [&str; 4] = [
    "I need help",
    "I need to go over it again",
    "I understood almost everything",
    "I am confident in my knowledge",
];
const LADDER_5_EN: [&str; 5] = [
    "I heard and forgot",
    "I heard and didn't understand",
    "I saw and remembered",
    "I did it and understood",
    "I can teach someone else",
];

impl LadderScale {
    /// A built-in preset of 3, 4 or 5 steps, in the given language (wording from the methodological
    /// material: 3 — «ничего не понял / остались вопросы / всё понял», and so on).
    pub fn preset(steps: u8, lang: Lang) -> Result<Self, TechniqueError> {
        let labels: &[&str] = match (steps, lang) {
            (3, Lang::Ru) => &LADDER_3_RU,
            (4, Lang::Ru) => &LADDER_4_RU,
            (5, Lang::Ru) => &LADDER_5_RU,
            (3, Lang::En) => &LADDER_3_EN,
            (4, Lang::En) => &LADDER_4_EN,
            (5, Lang::En) => &LADDER_5_EN,
            _ => return Err(TechniqueError::NoPreset(steps)),
        };
        Self::custom(labels)
    }

    /// A teacher's own ladder: 3 to 10 distinct, non-empty labels, lowest step first.
    pub fn custom<S: AsRef<str>>(labels: &[S]) -> Result<Self, TechniqueError> {
        if !(usize::from(MIN_LADDER_STEPS)..=usize::from(MAX_LADDER_STEPS)).contains(&labels.len())
        {
            return Err(TechniqueError::LadderSteps {
                got: labels.len(),
                min: MIN_LADDER_STEPS,
                max: MAX_LADDER_STEPS,
            });
        }
        let steps = parse_labels(labels)?;
        refuse_duplicates(&steps)?;
        Ok(Self { student: steps.clone(), steps })
    }

    /// A teacher's own ladder with both wordings per step, lowest first: 3 to 10 steps; within
    /// each wording the labels are non-empty and distinct. An empty student wording is refused
    /// like an empty teacher one (the student must see something).
    pub fn worded(steps: &[StepWording]) -> Result<Self, TechniqueError> {
        let teacher: Vec<&str> = steps.iter().map(|s| s.teacher.as_str()).collect();
        let scale = Self::custom(&teacher)?;
        let student: Vec<&str> = steps.iter().map(|s| s.student.as_str()).collect();
        let student = parse_labels(&student)?;
        refuse_duplicates(&student)?;
        Ok(Self { student, ..scale })
    }

    /// The number of steps (3..=10).
    pub fn len(&self) -> u8 {
        // At most MAX_LADDER_STEPS, checked on construction.
        u8::try_from(self.steps.len()).unwrap_or(MAX_LADDER_STEPS)
    }

    /// Always false: a ladder has at least 3 steps.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The step labels, lowest first.
    pub fn steps(&self) -> &[Name] {
        &self.steps
    }

    /// The label of a 1-based step (the teacher's wording).
    pub fn label(&self, step: u8) -> Option<&Name> {
        usize::from(step).checked_sub(1).and_then(|i| self.steps.get(i))
    }

    /// The student's wording of every step, lowest first.
    pub fn student_steps(&self) -> &[Name] {
        &self.student
    }

    /// The student's wording of a 1-based step.
    pub fn student_label(&self, step: u8) -> Option<&Name> {
        usize::from(step).checked_sub(1).and_then(|i| self.student.get(i))
    }
}

/// Refuses the second of two labels that fold to the same key.
fn refuse_duplicates(labels: &[Name]) -> Result<(), TechniqueError> {
    for (i, s) in labels.iter().enumerate() {
        if labels[..i].iter().any(|o| o.key() == s.key()) {
            return Err(TechniqueError::DuplicateStep(s.to_string()));
        }
    }
    Ok(())
}

fn parse_labels<S: AsRef<str>>(labels: &[S]) -> Result<Vec<Name>, TechniqueError> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            Name::parse_with_limit(l.as_ref(), MAX_LABEL_CHARS)
                .map_err(|error| TechniqueError::Text { index: i + 1, error })
        })
        .collect()
}

impl TryFrom<StoredLadder> for LadderScale {
    type Error = TechniqueError;
    fn try_from(stored: StoredLadder) -> Result<Self, Self::Error> {
        match stored {
            StoredLadder::Labels(labels) => Self::custom(&labels),
            StoredLadder::Worded(steps) => Self::worded(&steps),
        }
    }
}

impl From<LadderScale> for StoredLadder {
    fn from(scale: LadderScale) -> Self {
        if scale.steps == scale.student {
            return Self::Labels(scale.steps.into_iter().map(String::from).collect());
        }
        Self::Worded(
            scale
                .steps
                .into_iter()
                .zip(scale.student)
                .map(|(t, s)| StepWording { teacher: t.into(), student: s.into() })
                .collect(),
        )
    }
}

/// What an exit-ticket item asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitItemKind {
    /// A content check answered right or wrong ([`ExitAnswer::Check`]); correctness only, never speed.
    ContentCheck,
    /// «Насколько я уверен»: 1 (not at all) to 4 (fully) ([`ExitAnswer::Confidence`]).
    Confidence,
    /// «Мне нужна помощь с…» ([`ExitAnswer::Text`]; may be left empty: no help needed).
    NeedHelp,
    /// Any other short free answer ([`ExitAnswer::Text`], not empty).
    FreeText,
}

/// One item of an exit ticket: what it asks and the prompt shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExitItem {
    /// What kind of answer it takes.
    pub kind: ExitItemKind,
    /// The question or prompt as shown (validated text).
    pub prompt: Name,
}

/// A билет на выход: 1 to 3 items.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<ExitItem>", into = "Vec<ExitItem>")]
pub struct ExitTicket {
    items: Vec<ExitItem>,
}

impl ExitTicket {
    /// An exit ticket of 1..=3 items.
    pub fn new(items: Vec<ExitItem>) -> Result<Self, TechniqueError> {
        if items.is_empty() || items.len() > MAX_EXIT_ITEMS {
            return Err(TechniqueError::ExitItems { got: items.len(), max: MAX_EXIT_ITEMS });
        }
        for (i, item) in items.iter().enumerate() {
            let len = item.prompt.as_str().chars().count();
            if len > MAX_LABEL_CHARS {
                return Err(TechniqueError::Text {
                    index: i + 1,
                    error: crate::text::TextError::TooLong { len, max: MAX_LABEL_CHARS },
                });
            }
        }
        Ok(Self { items })
    }

    /// Builds the items from `(kind, prompt)` pairs, validating the prompts.
    pub fn from_prompts(items: &[(ExitItemKind, &str)]) -> Result<Self, TechniqueError> {
        let prompts: Vec<&str> = items.iter().map(|(_, p)| *p).collect();
        let names = parse_labels(&prompts)?;
        Self::new(
            items
                .iter()
                .zip(names)
                .map(|((kind, _), prompt)| ExitItem { kind: *kind, prompt })
                .collect(),
        )
    }

    /// The default ticket: a content check, confidence 1–4 and «мне нужна помощь с…».
    pub fn default_for(lang: Lang) -> Self {
        let prompts = match lang {
            Lang::Ru => ["Проверь себя", "Насколько ты уверен (1–4)?", "Мне нужна помощь с…"],
            Lang::En => ["Check yourself", "How confident are you (1–4)?", "I need help with…"],
        };
        let kinds = [ExitItemKind::ContentCheck, ExitItemKind::Confidence, ExitItemKind::NeedHelp];
        let items = kinds
            .into_iter()
            .zip(prompts)
            // Built-in constants: never fail.
            .map(|(kind, p)| ExitItem { kind, prompt: Name::parse(p).expect("prompt is a name") })
            .collect();
        Self { items }
    }

    /// The items, in order.
    pub fn items(&self) -> &[ExitItem] {
        &self.items
    }

    /// The response of answers given item by item (`None`: not answered), as a form or the
    /// no-device grid collects them: an unanswered text item is an empty text (which
    /// «мне нужна помощь с…» accepts), an unanswered check or confidence is refused as
    /// [`ResponseError::Empty`]; the whole response then passes [`Technique::accept`].
    pub fn response(&self, answers: &[Option<ExitAnswer>]) -> Result<Response, ResponseError> {
        if answers.len() != self.items.len() {
            return Err(ResponseError::WrongCount {
                expected: self.items.len(),
                got: answers.len(),
            });
        }
        let answers: Vec<ExitAnswer> = self
            .items
            .iter()
            .zip(answers)
            .map(|(item, answer)| match (item.kind, answer) {
                (_, Some(a)) => Ok(a.clone()),
                (ExitItemKind::NeedHelp | ExitItemKind::FreeText, None) => {
                    Ok(ExitAnswer::Text(String::new()))
                }
                (ExitItemKind::ContentCheck | ExitItemKind::Confidence, None) => {
                    Err(ResponseError::Empty)
                }
            })
            .collect::<Result<_, _>>()?;
        let response = Response::ExitTicket(answers);
        Technique::ExitTicket(self.clone()).accept(&response)?;
        Ok(response)
    }
}

impl TryFrom<Vec<ExitItem>> for ExitTicket {
    type Error = TechniqueError;
    fn try_from(items: Vec<ExitItem>) -> Result<Self, Self::Error> {
        Self::new(items)
    }
}

impl From<ExitTicket> for Vec<ExitItem> {
    fn from(t: ExitTicket) -> Self {
        t.items
    }
}

/// A technique as configured for a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "config")]
pub enum Technique {
    /// Светофор.
    TrafficLight,
    /// Лесенка успеха with its steps.
    Ladder(LadderScale),
    /// Билет на выход with its items.
    ExitTicket(ExitTicket),
    /// Кулак–пять.
    FistToFive,
    /// Большой палец.
    Thumbs,
    /// Две звезды и пожелание.
    TwoStarsAndAWish,
    /// 3-2-1.
    ThreeTwoOne,
    /// Незаконченное предложение with its stem («Сегодня я узнал…»).
    UnfinishedSentence {
        /// The beginning of the sentence the students finish.
        stem: Name,
    },
    /// Синквейн.
    Cinquain,
}

/// Whether a technique is run once per lesson criterion or once for the whole lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One answer per criterion (светофор, лесенка, кулак–пять, большой палец).
    PerCriterion,
    /// One answer per lesson (its record carries the lesson's main criterion).
    Lesson,
}

/// The number of lines of a синквейн.
pub const CINQUAIN_LINES: usize = 5;

impl Technique {
    /// The technique's kind.
    pub fn kind(&self) -> TechniqueKind {
        match self {
            Self::TrafficLight => TechniqueKind::TrafficLight,
            Self::Ladder(_) => TechniqueKind::Ladder,
            Self::ExitTicket(_) => TechniqueKind::ExitTicket,
            Self::FistToFive => TechniqueKind::FistToFive,
            Self::Thumbs => TechniqueKind::Thumbs,
            Self::TwoStarsAndAWish => TechniqueKind::TwoStarsAndAWish,
            Self::ThreeTwoOne => TechniqueKind::ThreeTwoOne,
            Self::UnfinishedSentence { .. } => TechniqueKind::UnfinishedSentence,
            Self::Cinquain => TechniqueKind::Cinquain,
        }
    }

    /// The default configuration of a kind (5-step ladder, default exit ticket, stem
    /// «Сегодня на уроке я…» / "Today in the lesson I…").
    pub fn default_of(kind: TechniqueKind, lang: Lang) -> Self {
        match kind {
            TechniqueKind::TrafficLight => Self::TrafficLight,
            TechniqueKind::Ladder => Self::Ladder(
                // A built-in constant, checked by the tests: never fails.
                LadderScale::preset(5, lang).expect("the 5-step preset is valid"),
            ),
            TechniqueKind::ExitTicket => Self::ExitTicket(ExitTicket::default_for(lang)),
            TechniqueKind::FistToFive => Self::FistToFive,
            TechniqueKind::Thumbs => Self::Thumbs,
            TechniqueKind::TwoStarsAndAWish => Self::TwoStarsAndAWish,
            TechniqueKind::ThreeTwoOne => Self::ThreeTwoOne,
            TechniqueKind::UnfinishedSentence => {
                let stem = match lang {
                    Lang::Ru => "Сегодня на уроке я…",
                    Lang::En => "Today in the lesson I…",
                };
                // A built-in constant: never fails.
                Self::UnfinishedSentence { stem: Name::parse(stem).expect("the stem is a name") }
            }
            TechniqueKind::Cinquain => Self::Cinquain,
        }
    }

    /// An unfinished-sentence technique with the given stem (a [`Name`]: 1..=500 characters).
    pub fn unfinished_sentence(stem: &str) -> Result<Self, TechniqueError> {
        let stem = Name::parse(stem).map_err(|error| TechniqueError::Text { index: 1, error })?;
        Ok(Self::UnfinishedSentence { stem })
    }

    /// Whether it is run per criterion or per lesson.
    pub fn scope(&self) -> Scope {
        scope_of(self.kind())
    }

    /// Whether it can be run without names (counts only).
    pub fn anonymous_capable(&self) -> bool {
        anonymous_capable(self.kind())
    }

    /// The values of a fixed scale in display order (светофор green first, ladder steps lowest
    /// first, fingers 0 to 5, thumbs up first); empty for free-form techniques and exit tickets.
    pub fn options(&self) -> Vec<Response> {
        match self {
            Self::TrafficLight => Light::ALL.into_iter().map(Response::Light).collect(),
            Self::Ladder(scale) => (1..=scale.len()).map(Response::Step).collect(),
            Self::FistToFive => (0..=5).map(Response::Fingers).collect(),
            Self::Thumbs => Thumb::ALL.into_iter().map(Response::Thumb).collect(),
            _ => Vec::new(),
        }
    }

    /// The answer of least understanding on a fixed scale (светофор red, ladder step 1, a fist,
    /// thumb down): the one a teacher follows up; `None` for techniques without a fixed scale.
    pub fn lowest(&self) -> Option<Response> {
        lowest_of(self.kind())
    }

    /// The stable key ([`TallyOption::key`]) of one of this technique's [options](Self::options);
    /// `None` for an answer not on its scale.
    pub fn option_key(&self, value: &Response) -> Option<String> {
        self.options().contains(value).then(|| option_key(value))
    }

    /// One tap on a fixed scale: the first option when there is no answer yet, else the option
    /// after `current`, wrapping round (green → yellow → red → green, as [`Light::next`]); `None`
    /// for techniques without a fixed scale. An answer not on the scale starts it again.
    pub fn cycle(&self, current: Option<&Response>) -> Option<Response> {
        let options = self.options();
        let next = current
            .and_then(|c| options.iter().position(|o| o == c))
            .map_or(0, |i| (i + 1) % options.len());
        options.into_iter().nth(next)
    }

    /// Checks a response against this configuration: the right shape, a step within this ladder,
    /// one answer of the right kind per exit-ticket item, non-empty texts, five cinquain lines.
    /// Stricter than [`Response::fits`], which it includes.
    pub fn accept(&self, response: &Response) -> Result<(), ResponseError> {
        response.fits(self.kind())?;
        let non_empty =
            |t: &str| if t.trim().is_empty() { Err(ResponseError::Empty) } else { Ok(()) };
        match (self, response) {
            (Self::Ladder(scale), Response::Step(step)) => in_range(*step, 1, scale.len()),
            (Self::ExitTicket(ticket), Response::ExitTicket(answers)) => {
                if answers.len() != ticket.items.len() {
                    return Err(ResponseError::WrongCount {
                        expected: ticket.items.len(),
                        got: answers.len(),
                    });
                }
                ticket.items.iter().zip(answers).try_for_each(|(item, answer)| {
                    match (item.kind, answer) {
                        (ExitItemKind::ContentCheck, ExitAnswer::Check(_))
                        | (ExitItemKind::Confidence, ExitAnswer::Confidence(_))
                        | (ExitItemKind::NeedHelp, ExitAnswer::Text(_)) => Ok(()),
                        (ExitItemKind::FreeText, ExitAnswer::Text(t)) => non_empty(t),
                        (kind, _) => Err(ResponseError::WrongShape {
                            technique: TechniqueKind::ExitTicket,
                            got: match (kind, answer) {
                                (_, ExitAnswer::Check(_)) => "check",
                                (_, ExitAnswer::Confidence(_)) => "confidence",
                                (_, ExitAnswer::Text(_)) => "text",
                            },
                        }),
                    }
                })
            }
            (Self::TwoStarsAndAWish, Response::TwoStarsAndAWish { stars, wish }) => {
                stars.iter().chain([wish]).try_for_each(|t| non_empty(t))
            }
            (Self::ThreeTwoOne, Response::ThreeTwoOne { three, two, one }) => {
                three.iter().chain(two).chain([one]).try_for_each(|t| non_empty(t))
            }
            (Self::Cinquain, Response::Lines(lines)) => {
                if lines.len() != CINQUAIN_LINES {
                    return Err(ResponseError::WrongCount {
                        expected: CINQUAIN_LINES,
                        got: lines.len(),
                    });
                }
                lines.iter().try_for_each(|t| non_empty(t))
            }
            _ => Ok(()),
        }
    }
}

/// [`Technique::lowest`] for a kind (the lowest does not depend on the configuration).
pub fn lowest_of(kind: TechniqueKind) -> Option<Response> {
    match kind {
        TechniqueKind::TrafficLight => Some(Response::Light(Light::Red)),
        TechniqueKind::Ladder => Some(Response::Step(1)),
        TechniqueKind::FistToFive => Some(Response::Fingers(0)),
        TechniqueKind::Thumbs => Some(Response::Thumb(Thumb::Down)),
        _ => None,
    }
}

fn scope_of(kind: TechniqueKind) -> Scope {
    match kind {
        TechniqueKind::TrafficLight
        | TechniqueKind::Ladder
        | TechniqueKind::FistToFive
        | TechniqueKind::Thumbs => Scope::PerCriterion,
        _ => Scope::Lesson,
    }
}

fn anonymous_capable(kind: TechniqueKind) -> bool {
    // Peer feedback is addressed to a named classmate's work; everything else can be anonymous.
    kind != TechniqueKind::TwoStarsAndAWish
}

/// One entry of the technique catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    /// The kind; its name is [`TechniqueKind::name`].
    pub kind: TechniqueKind,
    /// Default configuration (Russian wording).
    pub default: Technique,
    /// Per criterion or per lesson.
    pub scope: Scope,
    /// Whether it can be run anonymously.
    pub anonymous_capable: bool,
    /// The [`Response::shape`] it takes.
    pub response: &'static str,
}

/// Every technique Lesenka knows, in [`TechniqueKind::ALL`] order.
pub fn catalogue() -> Vec<CatalogueEntry> {
    TechniqueKind::ALL
        .into_iter()
        .map(|kind| {
            let response = match kind {
                TechniqueKind::TrafficLight => "light",
                TechniqueKind::Ladder => "step",
                TechniqueKind::ExitTicket => "exit_ticket",
                TechniqueKind::FistToFive => "fingers",
                TechniqueKind::Thumbs => "thumb",
                TechniqueKind::TwoStarsAndAWish => "two_stars_and_a_wish",
                TechniqueKind::ThreeTwoOne => "three_two_one",
                TechniqueKind::UnfinishedSentence => "text",
                TechniqueKind::Cinquain => "lines",
            };
            CatalogueEntry {
                kind,
                default: Technique::default_of(kind, Lang::Ru),
                scope: scope_of(kind),
                anonymous_capable: anonymous_capable(kind),
                response,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tally
// ---------------------------------------------------------------------------------------------

/// One option's count on the projector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyOption {
    /// A stable key: `green`/`yellow`/`red`, ladder step `1`..`n`, fingers `0`..`5`,
    /// `up`/`sideways`/`down`.
    pub key: String,
    /// The answer it counts (a shell names it from this, never from the key).
    pub value: Response,
    /// How many answers chose it.
    pub count: u32,
}

/// Counts for one exit-ticket item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExitItemTally {
    /// What the item asks.
    pub kind: ExitItemKind,
    /// Content checks answered right.
    pub correct: u32,
    /// Content checks answered wrong.
    pub incorrect: u32,
    /// Confidence answers 1, 2, 3, 4.
    pub confidence: [u32; 4],
    /// Text answers that are not empty.
    pub texts: u32,
}

/// The anonymous aggregate a projector shows: counts only, never names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The technique counted.
    pub kind: TechniqueKind,
    /// Counts per option in display order (empty for text techniques and exit tickets).
    pub options: Vec<TallyOption>,
    /// Per-item counts (exit tickets only).
    pub items: Vec<ExitItemTally>,
    /// Accepted answers.
    pub total: u32,
    /// Answers that did not fit the configuration and were not counted.
    pub rejected: u32,
}

impl Tally {
    /// Counts the responses the technique [accepts](Technique::accept); the others go to
    /// `rejected`. Correctness only: no time is ever looked at.
    pub fn of<'a>(
        technique: &Technique,
        responses: impl IntoIterator<Item = &'a Response>,
    ) -> Tally {
        let mut options: Vec<TallyOption> = technique
            .options()
            .into_iter()
            .map(|value| TallyOption { key: option_key(&value), value, count: 0 })
            .collect();
        let mut items: Vec<ExitItemTally> = match technique {
            Technique::ExitTicket(t) => t
                .items
                .iter()
                .map(|i| ExitItemTally {
                    kind: i.kind,
                    correct: 0,
                    incorrect: 0,
                    confidence: [0; 4],
                    texts: 0,
                })
                .collect(),
            _ => Vec::new(),
        };
        let (mut total, mut rejected) = (0u32, 0u32);
        for response in responses {
            if technique.accept(response).is_err() {
                rejected = rejected.saturating_add(1);
                continue;
            }
            total = total.saturating_add(1);
            let slot = match response {
                Response::Light(l) => Light::ALL.iter().position(|x| x == l),
                Response::Step(s) => usize::from(*s).checked_sub(1),
                Response::Fingers(n) => Some(usize::from(*n)),
                Response::Thumb(t) => Thumb::ALL.iter().position(|x| x == t),
                Response::ExitTicket(answers) => {
                    for (tally, answer) in items.iter_mut().zip(answers) {
                        match answer {
                            ExitAnswer::Check(true) => tally.correct += 1,
                            ExitAnswer::Check(false) => tally.incorrect += 1,
                            ExitAnswer::Confidence(c) => {
                                if let Some(n) = usize::from(*c)
                                    .checked_sub(1)
                                    .and_then(|i| tally.confidence.get_mut(i))
                                {
                                    *n += 1;
                                }
                            }
                            ExitAnswer::Text(t) => {
                                if !t.trim().is_empty() {
                                    tally.texts += 1;
                                }
                            }
                        }
                    }
                    None
                }
                _ => None,
            };
            if let Some(option) = slot.and_then(|i| options.get_mut(i)) {
                option.count += 1;
            }
        }
        Tally { kind: technique.kind(), options, items, total, rejected }
    }
}

/// The stable key of a fixed-scale answer ([`TallyOption::key`]).
fn option_key(value: &Response) -> String {
    match value {
        Response::Light(Light::Green) => "green".into(),
        Response::Light(Light::Yellow) => "yellow".into(),
        Response::Light(Light::Red) => "red".into(),
        Response::Thumb(Thumb::Up) => "up".into(),
        Response::Thumb(Thumb::Sideways) => "sideways".into(),
        Response::Thumb(Thumb::Down) => "down".into(),
        Response::Step(n) | Response::Fingers(n) => n.to_string(),
        other => other.shape().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in TechniqueKind::ALL {
            assert_eq!(TechniqueKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(TechniqueKind::from_code(200), None);
    }

    #[test]
    fn responses_fit_only_their_kind() {
        use TechniqueKind as K;
        assert!(Response::Light(Light::Red).fits(K::TrafficLight).is_ok());
        assert!(Response::Light(Light::Red).fits(K::Ladder).is_err());
        assert_eq!(
            Response::Step(0).fits(K::Ladder),
            Err(ResponseError::OutOfRange { value: 0, min: 1, max: 10 })
        );
        assert!(Response::Fingers(5).fits(K::FistToFive).is_ok());
        assert!(Response::Fingers(6).fits(K::FistToFive).is_err());
        assert!(Response::Text("  ".into()).fits(K::UnfinishedSentence).is_err());
        assert!(Response::ExitTicket(vec![]).fits(K::ExitTicket).is_err());
        assert!(Response::ExitTicket(vec![ExitAnswer::Confidence(5)]).fits(K::ExitTicket).is_err());
    }

    #[test]
    fn light_cycle() {
        assert_eq!(Light::Green.next().next().next(), Light::Green);
        assert_eq!(Light::Green.next(), Light::Yellow);
    }

    #[test]
    fn ladder_presets_use_the_methodological_wording() {
        fn check(steps: u8, lang: Lang, expected: Result<&[&str], TechniqueError>) {
            let got = LadderScale::preset(steps, lang);
            let got = got.map(|s| s.steps().iter().map(|n| n.to_string()).collect::<Vec<_>>());
            let expected = expected.map(|e| e.iter().map(|x| x.to_string()).collect::<Vec<_>>());
            assert_eq!(got, expected, "{steps} {lang:?}");
        }
        check(3, Lang::Ru, Ok(&["ничего не понял", "остались вопросы", "всё понял"]));
        check(
            4,
            Lang::Ru,
            Ok(&[
                "нуждаюсь в помощи",
                "нужно повторить",
                "практически всё понял",
                "уверен в знаниях",
            ]),
        );
        check(
            5,
            Lang::Ru,
            Ok(&[
                "услышал и забыл",
                "услышал и не понял",
                "увидел и запомнил",
                "сделал и понял",
                "смогу научить другого",
            ]),
        );
        check(4, Lang::En, Ok(&LADDER_4_EN));
        check(6, Lang::Ru, Err(TechniqueError::NoPreset(6)));
        check(2, Lang::En, Err(TechniqueError::NoPreset(2)));
    }

    #[test]
    fn custom_ladders() {
        fn check(labels: &[&str], expected: Result<u8, TechniqueError>) {
            assert_eq!(LadderScale::custom(labels).map(|s| s.len()), expected, "{labels:?}");
        }
        let ten: Vec<String> = (1..=10).map(|i| format!("шаг {i}")).collect();
        let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
        check(&["a", "b", "c"], Ok(3));
        check(&ten, Ok(10));
        check(&["a", "b"], Err(TechniqueError::LadderSteps { got: 2, min: 3, max: 10 }));
        check(
            &[&ten[..], &["ещё"]].concat(),
            Err(TechniqueError::LadderSteps { got: 11, min: 3, max: 10 }),
        );
        check(
            &["a", " ", "c"],
            Err(TechniqueError::Text { index: 2, error: crate::text::TextError::Empty }),
        );
        check(&["Да", "нет", "да"], Err(TechniqueError::DuplicateStep("да".into())));
        check(
            &["Не понял", "Всё понял", "Все понял"],
            Err(TechniqueError::DuplicateStep("Все понял".into())),
        );
        assert!(serde_json::from_str::<LadderScale>(r#"["a","b"]"#).is_err());
    }

    #[test]
    fn worded_ladders_keep_both_wordings() {
        fn w(teacher: &str, student: &str) -> StepWording {
            StepWording { teacher: teacher.into(), student: student.into() }
        }
        let steps = [
            w("не освоил", "я пока не умею"),
            w("освоил с помощью", "я умею с подсказкой"),
            w("освоил", "я умею сам"),
        ];
        let scale = LadderScale::worded(&steps).unwrap();
        assert_eq!(scale.label(2).map(Name::as_str), Some("освоил с помощью"));
        assert_eq!(scale.student_label(2).map(Name::as_str), Some("я умею с подсказкой"));
        assert_eq!(scale.student_label(4), None);
        let json = serde_json::to_string(&scale).unwrap();
        assert!(json.contains(r#""student":"я умею сам""#), "{json}");
        assert_eq!(serde_json::from_str::<LadderScale>(&json).unwrap(), scale);
        // Presets and plain labels keep their stored form: a list of labels.
        let preset = LadderScale::preset(3, Lang::Ru).unwrap();
        assert_eq!(preset.student_steps(), preset.steps());
        assert_eq!(
            serde_json::to_string(&preset).unwrap(),
            r#"["ничего не понял","остались вопросы","всё понял"]"#
        );
        let refused = |steps: &[StepWording]| LadderScale::worded(steps).unwrap_err();
        assert_eq!(
            refused(&[w("a", "x"), w("b", " "), w("c", "z")]),
            TechniqueError::Text { index: 2, error: crate::text::TextError::Empty }
        );
        assert_eq!(
            refused(&[w("a", "x"), w("b", "y"), w("c", "Y")]),
            TechniqueError::DuplicateStep("Y".into())
        );
        assert_eq!(
            refused(&[w("a", "x"), w("b", "y")]),
            TechniqueError::LadderSteps { got: 2, min: 3, max: 10 }
        );
        let stored = r#"[{"teacher":"a","student":"x"},{"teacher":"b","student":""},{"teacher":"c","student":"z"}]"#;
        assert!(serde_json::from_str::<LadderScale>(stored).is_err());
    }

    fn ticket() -> Technique {
        Technique::ExitTicket(
            ExitTicket::from_prompts(&[
                (ExitItemKind::ContentCheck, "2/3 + 1/3 = ?"),
                (ExitItemKind::Confidence, "Уверенность"),
                (ExitItemKind::FreeText, "Что было главным?"),
            ])
            .unwrap(),
        )
    }

    #[test]
    fn accept_is_stricter_than_fits() {
        use ExitAnswer as A;
        fn check(technique: &Technique, response: Response, expected: Result<(), ResponseError>) {
            assert_eq!(technique.accept(&response), expected, "{technique:?} {response:?}");
        }
        let four = Technique::Ladder(LadderScale::preset(4, Lang::Ru).unwrap());
        let s = |t: &str| t.to_owned();
        check(&four, Response::Step(4), Ok(()));
        check(
            &four,
            Response::Step(5),
            Err(ResponseError::OutOfRange { value: 5, min: 1, max: 4 }),
        );
        check(
            &four,
            Response::Light(Light::Red),
            Err(ResponseError::WrongShape { technique: TechniqueKind::Ladder, got: "light" }),
        );
        check(&Technique::TrafficLight, Response::Light(Light::Yellow), Ok(()));
        check(&Technique::FistToFive, Response::Fingers(0), Ok(()));
        check(
            &ticket(),
            Response::ExitTicket(vec![A::Check(true), A::Confidence(3), A::Text(s("дроби"))]),
            Ok(()),
        );
        check(
            &ticket(),
            Response::ExitTicket(vec![A::Check(true)]),
            Err(ResponseError::WrongCount { expected: 3, got: 1 }),
        );
        check(
            &ticket(),
            Response::ExitTicket(vec![A::Confidence(2), A::Confidence(3), A::Text(s("x"))]),
            Err(ResponseError::WrongShape {
                technique: TechniqueKind::ExitTicket,
                got: "confidence",
            }),
        );
        check(
            &ticket(),
            Response::ExitTicket(vec![A::Check(false), A::Confidence(3), A::Text(s(" "))]),
            Err(ResponseError::Empty),
        );
        // «Мне нужна помощь с…» may be left empty.
        let help = Technique::ExitTicket(ExitTicket::default_for(Lang::Ru));
        check(
            &help,
            Response::ExitTicket(vec![A::Check(false), A::Confidence(1), A::Text(String::new())]),
            Ok(()),
        );
        check(
            &Technique::Cinquain,
            Response::Lines(vec![s("a"); 4]),
            Err(ResponseError::WrongCount { expected: 5, got: 4 }),
        );
        check(&Technique::Cinquain, Response::Lines(vec![s("a"); 5]), Ok(()));
        check(
            &Technique::TwoStarsAndAWish,
            Response::TwoStarsAndAWish { stars: [s("ясно"), s("")], wish: s("крупнее") },
            Err(ResponseError::Empty),
        );
        check(
            &Technique::ThreeTwoOne,
            Response::ThreeTwoOne {
                three: [s("a"), s("b"), s("c")],
                two: [s("d"), s("e")],
                one: s("f"),
            },
            Ok(()),
        );
        let stem = Technique::unfinished_sentence("Сегодня я понял, что…").unwrap();
        check(&stem, Response::Text(s("дроби можно сокращать")), Ok(()));
        check(&stem, Response::Text(s("")), Err(ResponseError::Empty));
        assert!(Technique::unfinished_sentence("   ").is_err());
    }

    #[test]
    fn exit_ticket_responses_from_items() {
        use ExitAnswer as A;
        let help = ExitTicket::default_for(Lang::Ru);
        assert_eq!(
            help.response(&[Some(A::Check(true)), Some(A::Confidence(4)), None]),
            Ok(Response::ExitTicket(vec![
                A::Check(true),
                A::Confidence(4),
                A::Text(String::new())
            ]))
        );
        assert_eq!(help.response(&[Some(A::Check(true)), None, None]), Err(ResponseError::Empty));
        assert_eq!(
            help.response(&[Some(A::Check(true))]),
            Err(ResponseError::WrongCount { expected: 3, got: 1 })
        );
        assert_eq!(
            help.response(&[Some(A::Check(true)), Some(A::Confidence(5)), None]),
            Err(ResponseError::OutOfRange { value: 5, min: 1, max: 4 })
        );
        let Technique::ExitTicket(free) = ticket() else { unreachable!() };
        assert_eq!(
            free.response(&[Some(A::Check(false)), Some(A::Confidence(2)), None]),
            Err(ResponseError::Empty),
            "a free-text item needs a text"
        );
    }

    #[test]
    fn catalogue_covers_every_kind() {
        let cat = catalogue();
        assert_eq!(cat.iter().map(|e| e.kind).collect::<Vec<_>>(), TechniqueKind::ALL.to_vec());
        for e in &cat {
            assert_eq!(e.default.kind(), e.kind);
            assert_eq!(e.default.scope(), e.scope);
        }
        let light = &cat[0];
        assert_eq!(
            (light.kind.name(Lang::Ru), light.scope, light.anonymous_capable),
            ("Светофор", Scope::PerCriterion, true)
        );
        assert_eq!(TechniqueKind::TwoStarsAndAWish.name(Lang::En), "Two stars and a wish");
        let ladder = &cat[1];
        assert_eq!(ladder.default, Technique::Ladder(LadderScale::preset(5, Lang::Ru).unwrap()));
        assert_eq!(cat[2].scope, Scope::Lesson);
        assert!(!cat[5].anonymous_capable);
    }

    #[test]
    fn fixed_scales_cycle_through_their_options() {
        fn check(technique: &Technique, current: Option<Response>, expected: Option<Response>) {
            assert_eq!(technique.cycle(current.as_ref()), expected, "{technique:?} {current:?}");
        }
        use Response::{Fingers, Light as L, Step, Thumb as T};
        let three = Technique::Ladder(LadderScale::preset(3, Lang::Ru).unwrap());
        check(&Technique::TrafficLight, None, Some(L(Light::Green)));
        for light in Light::ALL {
            check(&Technique::TrafficLight, Some(L(light)), Some(L(light.next())));
        }
        check(&three, None, Some(Step(1)));
        check(&three, Some(Step(2)), Some(Step(3)));
        check(&three, Some(Step(3)), Some(Step(1)));
        check(&three, Some(Step(9)), Some(Step(1)));
        check(&Technique::FistToFive, Some(Fingers(5)), Some(Fingers(0)));
        check(&Technique::Thumbs, Some(T(Thumb::Up)), Some(T(Thumb::Sideways)));
        check(&Technique::Cinquain, None, None);
        check(&ticket(), None, None);
        for technique in
            [Technique::TrafficLight, three.clone(), Technique::FistToFive, Technique::Thumbs]
        {
            let lowest = technique.lowest().expect("a fixed scale has a lowest answer");
            assert!(technique.options().contains(&lowest), "{technique:?}");
        }
        assert_eq!(Technique::TrafficLight.lowest(), Some(L(Light::Red)));
        assert_eq!(three.lowest(), Some(Step(1)));
        assert_eq!(Technique::Cinquain.lowest(), None);
    }

    #[test]
    fn tallies_count_in_display_order() {
        fn check(
            technique: &Technique,
            responses: &[Response],
            options: &[(&str, u32)],
            total: u32,
            rejected: u32,
        ) {
            let tally = Tally::of(technique, responses);
            let got: Vec<(&str, u32)> =
                tally.options.iter().map(|o| (o.key.as_str(), o.count)).collect();
            assert_eq!(got, options, "{technique:?}");
            let values: Vec<Response> = tally.options.iter().map(|o| o.value.clone()).collect();
            assert_eq!(values, technique.options(), "each option carries the answer it counts");
            for option in &tally.options {
                assert_eq!(technique.option_key(&option.value).as_ref(), Some(&option.key));
            }
            assert_eq!((tally.total, tally.rejected), (total, rejected));
        }
        use Light::*;
        let lights: Vec<Response> =
            [Red, Green, Red, Yellow, Red].into_iter().map(Response::Light).collect();
        check(&Technique::TrafficLight, &lights, &[("green", 1), ("yellow", 1), ("red", 3)], 5, 0);
        let three = Technique::Ladder(LadderScale::preset(3, Lang::Ru).unwrap());
        let steps: Vec<Response> = [1, 3, 3, 4].into_iter().map(Response::Step).collect();
        check(&three, &steps, &[("1", 1), ("2", 0), ("3", 2)], 3, 1);
        check(
            &Technique::Thumbs,
            &[Response::Thumb(Thumb::Down), Response::Fingers(2)],
            &[("up", 0), ("sideways", 0), ("down", 1)],
            1,
            1,
        );
        check(
            &Technique::FistToFive,
            &[Response::Fingers(5)],
            &[("0", 0), ("1", 0), ("2", 0), ("3", 0), ("4", 0), ("5", 1)],
            1,
            0,
        );
        let texts =
            [Response::Text("a".into()), Response::Text("b".into()), Response::Text(" ".into())];
        check(&Technique::unfinished_sentence("Я…").unwrap(), &texts, &[], 2, 1);
        assert_eq!(three.option_key(&Response::Step(4)), None, "not on a 3-step ladder");
        assert_eq!(Technique::Thumbs.option_key(&Response::Light(Red)), None);
    }

    #[test]
    fn exit_ticket_tally_per_item() {
        use ExitAnswer as A;
        let answers = [
            Response::ExitTicket(vec![A::Check(true), A::Confidence(4), A::Text("x".into())]),
            Response::ExitTicket(vec![A::Check(false), A::Confidence(2), A::Text("y".into())]),
            Response::ExitTicket(vec![A::Check(true), A::Confidence(4), A::Text("z".into())]),
        ];
        let tally = Tally::of(&ticket(), &answers);
        assert_eq!(tally.total, 3);
        assert_eq!((tally.items[0].correct, tally.items[0].incorrect), (2, 1));
        assert_eq!(tally.items[1].confidence, [0, 1, 0, 2]);
        assert_eq!(tally.items[2].texts, 3);
    }

    #[test]
    fn technique_serde_round_trip() {
        for e in catalogue() {
            for t in [e.default.clone(), Technique::default_of(e.kind, Lang::En)] {
                let json = serde_json::to_string(&t).unwrap();
                assert_eq!(serde_json::from_str::<Technique>(&json).unwrap(), t, "{json}");
            }
        }
        assert!(
            serde_json::from_str::<Technique>(r#"{"kind":"exit_ticket","config":[]}"#).is_err()
        );
    }
}
