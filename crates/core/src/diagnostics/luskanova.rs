//! Н. Г. Лусканова's school-motivation questionnaire («Анкета для оценки уровня школьной
//! мотивации», primary school), with its per-item key and its five bands.
//!
//! Ten questions, each with three answers in the order of the standard form; a pro-school answer
//! scores 3, a neutral one 1, a negative one 0, so the total is 0–30. Because the pro-school
//! answer is first in some items and last in others, the key is stored per item.
//!
//! Bands: 25–30 high motivation; 20–24 normal; 15–19 external (school attracts by its
//! non-academic sides); 10–14 low; below 10 negative attitude to school, maladjustment.
//!
//! **A screening tool, not a diagnosis.** The result shows where to look closer (a conversation,
//! the school psychologist, another method); it must not be used to label a child, and it is
//! most useful as a comparison of the same class in September and in May
//! ([`super::cohort::compare_waves`]).

use serde::{Deserialize, Serialize};

use super::{
    AnswerOption, Band, Questionnaire, QuestionnaireDraft, QuestionnaireError, ScoredItem, name,
};

/// The ten items of the standard form: question, then its three answers with their points.
pub const ITEMS: [(&str, [(&str, u32); 3]); 10] = [
    ("Тебе нравится в школе или не очень?", [("не очень", 1), ("нравится", 3), ("не нравится", 0)]),
    (
        "Утром, когда ты просыпаешься, ты всегда с радостью идёшь в школу или тебе часто хочется \
         остаться дома?",
        [("чаще хочется остаться дома", 0), ("бывает по-разному", 1), ("иду с радостью", 3)],
    ),
    (
        "Если бы учитель сказал, что завтра в школу не обязательно приходить всем ученикам, что \
         желающие могут остаться дома, ты пошёл бы в школу или остался бы дома?",
        [("не знаю", 1), ("остался бы дома", 0), ("пошёл бы в школу", 3)],
    ),
    (
        "Тебе нравится, когда у вас отменяют какие-нибудь уроки?",
        [("не нравится", 3), ("бывает по-разному", 1), ("нравится", 0)],
    ),
    (
        "Ты хотел бы, чтобы тебе не задавали домашних заданий?",
        [("хотел бы", 0), ("не хотел бы", 3), ("не знаю", 1)],
    ),
    (
        "Ты хотел бы, чтобы в школе остались одни перемены?",
        [("не знаю", 1), ("не хотел бы", 3), ("хотел бы", 0)],
    ),
    (
        "Ты часто рассказываешь о школе своим родителям?",
        [("часто", 3), ("редко", 1), ("не рассказываю", 0)],
    ),
    (
        "Ты хотел бы, чтобы у тебя был менее строгий учитель?",
        [("точно не знаю", 1), ("хотел бы", 0), ("не хотел бы", 3)],
    ),
    ("У тебя в классе много друзей?", [("мало", 1), ("много", 3), ("нет друзей", 0)]),
    ("Тебе нравятся твои одноклассники?", [("нравятся", 3), ("не очень", 1), ("не нравятся", 0)]),
];

/// The motivation level of a total, from the lowest band to the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotivationLevel {
    /// Below 10: negative attitude to school, maladjustment.
    Negative,
    /// 10–14: low school motivation.
    Low,
    /// 15–19: positive attitude, but school attracts by its non-academic sides.
    External,
    /// 20–24: normal school motivation.
    Normal,
    /// 25–30: high school motivation and learning activity.
    High,
}

impl MotivationLevel {
    /// Every level, from the lowest to the highest.
    pub const ALL: [Self; 5] =
        [Self::Negative, Self::Low, Self::External, Self::Normal, Self::High];

    /// The level of a total 0..=30 (None above 30).
    pub fn from_total(total: u32) -> Option<Self> {
        match total {
            0..=9 => Some(Self::Negative),
            10..=14 => Some(Self::Low),
            15..=19 => Some(Self::External),
            20..=24 => Some(Self::Normal),
            25..=30 => Some(Self::High),
            _ => None,
        }
    }

    /// The totals of the level.
    pub fn range(self) -> (u32, u32) {
        match self {
            Self::Negative => (0, 9),
            Self::Low => (10, 14),
            Self::External => (15, 19),
            Self::Normal => (20, 24),
            Self::High => (25, 30),
        }
    }

    /// The stable code, as in the questionnaire's bands.
    pub fn code(self) -> &'static str {
        match self {
            Self::Negative => "negative",
            Self::Low => "low",
            Self::External => "external",
            Self::Normal => "normal",
            Self::High => "high",
        }
    }

    /// What the level means, in Russian, for the teacher.
    pub fn label_ru(self) -> &'static str {
        match self {
            Self::Negative => "негативное отношение к школе, возможна школьная дезадаптация",
            Self::Low => "низкая школьная мотивация",
            Self::External => {
                "внешняя мотивация: положительное отношение к школе, но школа привлекает \
                 больше внеучебными сторонами"
            }
            Self::Normal => "нормальная (хорошая) школьная мотивация",
            Self::High => "высокая школьная мотивация, учебная активность",
        }
    }

    /// The level of a band index of [`luskanova`] (bands are in the order of [`Self::ALL`]).
    pub fn from_band(band: usize) -> Option<Self> {
        Self::ALL.get(band).copied()
    }
}

/// Builds the questionnaire; fails only if the built-in texts were broken.
pub fn build() -> Result<Questionnaire, QuestionnaireError> {
    let mut items = Vec::with_capacity(ITEMS.len());
    for (i, (question, answers)) in ITEMS.iter().enumerate() {
        let mut options = Vec::with_capacity(answers.len());
        for (text, points) in answers {
            options.push(AnswerOption {
                text: name(&format!("item {i} answer"), text)?,
                points: *points,
            });
        }
        items.push(ScoredItem { text: name(&format!("item {i}"), question)?, options });
    }
    let mut bands = Vec::with_capacity(MotivationLevel::ALL.len());
    for level in MotivationLevel::ALL {
        let (min, max) = level.range();
        bands.push(Band {
            code: name("band code", level.code())?,
            label: name("band label", level.label_ru())?,
            min,
            max,
        });
    }
    Questionnaire::new(QuestionnaireDraft {
        title: name("title", "Анкета для оценки уровня школьной мотивации (Н. Г. Лусканова)")?,
        items,
        bands,
    })
}

/// The Лусканова questionnaire (a screening tool, not a diagnosis).
pub fn luskanova() -> Questionnaire {
    build().expect("the built-in Лусканова questionnaire is valid (checked by its tests)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn builds_the_standard_form() {
        let q = build().unwrap();
        assert_eq!(q.items().len(), 10);
        assert_eq!((q.min_total(), q.max_total()), (0, 30));
        for item in q.items() {
            let mut points: Vec<u32> = item.options.iter().map(|o| o.points).collect();
            points.sort_unstable();
            assert_eq!(points, vec![0, 1, 3], "{}", item.text);
        }
        let key: Vec<Vec<u32>> =
            q.items().iter().map(|i| i.options.iter().map(|o| o.points).collect()).collect();
        assert_eq!(
            key,
            vec![
                vec![1, 3, 0],
                vec![0, 1, 3],
                vec![1, 0, 3],
                vec![3, 1, 0],
                vec![0, 3, 1],
                vec![1, 3, 0],
                vec![3, 1, 0],
                vec![1, 0, 3],
                vec![1, 3, 0],
                vec![3, 1, 0],
            ]
        );
        assert_eq!(luskanova(), q);
    }

    fn check(answers: [usize; 10], expected: (u32, MotivationLevel)) {
        let q = luskanova();
        let sheet: Vec<Option<usize>> = answers.iter().map(|a| Some(*a)).collect();
        let s = q.score(&sheet).unwrap();
        assert_eq!((s.total, MotivationLevel::from_band(s.band).unwrap()), expected);
    }

    #[test]
    fn scores_sheets() {
        // Every pro-school answer.
        check([1, 2, 2, 0, 1, 1, 0, 2, 1, 0], (30, MotivationLevel::High));
        // Every negative answer.
        check([2, 0, 1, 2, 0, 2, 2, 1, 2, 2], (0, MotivationLevel::Negative));
        // Every neutral answer: 10.
        check([0, 1, 0, 1, 2, 0, 1, 0, 0, 1], (10, MotivationLevel::Low));
        // The first answer everywhere: 1+0+1+3+0+1+3+1+1+3 = 14.
        check([0; 10], (14, MotivationLevel::Low));
        // Pro-school on 8 items, neutral on 2: 26.
        check([1, 2, 2, 0, 1, 1, 0, 2, 0, 1], (26, MotivationLevel::High));
        // Pro-school on 5, neutral on 5: 20.
        check([1, 2, 2, 0, 1, 0, 1, 0, 0, 1], (20, MotivationLevel::Normal));
        // Pro-school on 5, neutral on 4, negative on 1: 19.
        check([1, 2, 2, 0, 1, 0, 1, 0, 0, 2], (19, MotivationLevel::External));
    }

    #[test]
    fn bands_match_the_levels() {
        let q = luskanova();
        for total in 0..=30 {
            let band = q.band_of(total).unwrap();
            let level = MotivationLevel::from_total(total).unwrap();
            assert_eq!(q.bands()[band].code.as_str(), level.code());
            assert_eq!(MotivationLevel::from_band(band), Some(level));
        }
        assert_eq!(MotivationLevel::from_total(31), None);
        assert_eq!(q.band_of(31), None);
        let edges: Vec<(u32, MotivationLevel)> = [0, 9, 10, 14, 15, 19, 20, 24, 25, 30]
            .iter()
            .map(|t| (*t, MotivationLevel::from_total(*t).unwrap()))
            .collect();
        use MotivationLevel::*;
        assert_eq!(
            edges,
            vec![
                (0, Negative),
                (9, Negative),
                (10, Low),
                (14, Low),
                (15, External),
                (19, External),
                (20, Normal),
                (24, Normal),
                (25, High),
                (30, High),
            ]
        );
    }

    proptest! {
        #[test]
        fn band_function_is_total_and_monotone(a in 0u32..=30, b in 0u32..=30) {
            let (la, lb) = (MotivationLevel::from_total(a), MotivationLevel::from_total(b));
            prop_assert!(la.is_some() && lb.is_some());
            if a <= b {
                prop_assert!(la <= lb);
            }
            let (min, max) = la.unwrap().range();
            prop_assert!((min..=max).contains(&a));
        }

        #[test]
        fn every_sheet_scores_within_0_to_30(answers in proptest::collection::vec(0usize..3, 10)) {
            let q = luskanova();
            let sheet: Vec<Option<usize>> = answers.into_iter().map(Some).collect();
            let s = q.score(&sheet).unwrap();
            prop_assert!(s.total <= 30);
            prop_assert_eq!(MotivationLevel::from_band(s.band), MotivationLevel::from_total(s.total));
        }

        #[test]
        fn level_round_trips_through_json(total in 0u32..=30) {
            let level = MotivationLevel::from_total(total).unwrap();
            let json = serde_json::to_string(&level).unwrap();
            prop_assert_eq!(json.clone(), format!("\"{}\"", level.code()));
            prop_assert_eq!(serde_json::from_str::<MotivationLevel>(&json).unwrap(), level);
        }
    }
}
