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
//! The form's wording is kept in Russian ([`ITEMS`]) and, for the English interface, in a
//! faithful English translation ([`ITEMS_EN`], the same items and answers in the same order):
//! [`luskanova_in`] builds the form in either [`Lang`]; the key (points by position) is the
//! same in both, so a sheet scores the same whatever language it was answered in.
//!
//! **A screening tool, not a diagnosis.** The result shows where to look closer (a conversation,
//! the school psychologist, another method); it must not be used to label a child, and it is
//! most useful as a comparison of the same class in September and in May
//! ([`super::cohort::compare_waves`]).

use serde::{Deserialize, Serialize};

use super::{
    AnswerOption, Band, Questionnaire, QuestionnaireDraft, QuestionnaireError, ScoredItem, name,
};
use crate::text::Lang;

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

/// The same ten items in English, each question with its three answers in the order of
/// [`ITEMS`] (whose points they take).
pub const ITEMS_EN: [(&str, [&str; 3]); 10] = [
    ("Do you like school or not really?", ["not really", "I like it", "I don't like it"]),
    (
        "When you wake up in the morning, are you always glad to go to school, or do you often \
         want to stay at home?",
        ["I more often want to stay at home", "it varies", "I go gladly"],
    ),
    (
        "If the teacher said that tomorrow not all pupils have to come to school and that those \
         who wish may stay at home, would you go to school or stay at home?",
        ["I don't know", "I would stay at home", "I would go to school"],
    ),
    (
        "Do you like it when some of your lessons are cancelled?",
        ["I don't like it", "it varies", "I like it"],
    ),
    ("Would you like not to be given any homework?", ["I would", "I would not", "I don't know"]),
    ("Would you like school to have only breaks?", ["I don't know", "I would not", "I would"]),
    ("Do you often tell your parents about school?", ["often", "rarely", "I don't tell them"]),
    (
        "Would you like to have a less strict teacher?",
        ["I don't know for sure", "I would", "I would not"],
    ),
    ("Do you have many friends in your class?", ["few", "many", "I have no friends"]),
    ("Do you like your classmates?", ["I like them", "not really", "I don't like them"]),
];

/// The question of item `item` (0-based) in `lang` (None past the tenth).
pub fn item_text(item: usize, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Ru => ITEMS.get(item).map(|(q, _)| *q),
        Lang::En => ITEMS_EN.get(item).map(|(q, _)| *q),
    }
}

/// Answer `option` (0-based, in the form's order) of item `item` in `lang`.
pub fn answer_text(item: usize, option: usize, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Ru => ITEMS.get(item)?.1.get(option).map(|(a, _)| *a),
        Lang::En => ITEMS_EN.get(item)?.1.get(option).copied(),
    }
}

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

    /// What the level means, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::Negative => "negative attitude to school, possible school maladjustment",
            Self::Low => "low school motivation",
            Self::External => {
                "external motivation: a positive attitude to school, but school attracts more by \
                 its non-academic sides"
            }
            Self::Normal => "normal (good) school motivation",
            Self::High => "high school motivation, learning activity",
        }
    }

    /// What the level means, in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.label_ru(),
            Lang::En => self.label_en(),
        }
    }

    /// The level of a band index of [`luskanova`] (bands are in the order of [`Self::ALL`]).
    pub fn from_band(band: usize) -> Option<Self> {
        Self::ALL.get(band).copied()
    }
}

/// Builds the questionnaire in Russian; fails only if the built-in texts were broken.
pub fn build() -> Result<Questionnaire, QuestionnaireError> {
    build_in(Lang::Ru)
}

/// Builds the questionnaire with its wording in `lang` (the points are [`ITEMS`]' in either).
pub fn build_in(lang: Lang) -> Result<Questionnaire, QuestionnaireError> {
    let mut items = Vec::with_capacity(ITEMS.len());
    for (i, (_, answers)) in ITEMS.iter().enumerate() {
        let mut options = Vec::with_capacity(answers.len());
        for (o, (_, points)) in answers.iter().enumerate() {
            let text = answer_text(i, o, lang).unwrap_or_default();
            options.push(AnswerOption {
                text: name(&format!("item {i} answer"), text)?,
                points: *points,
            });
        }
        let question = item_text(i, lang).unwrap_or_default();
        items.push(ScoredItem { text: name(&format!("item {i}"), question)?, options });
    }
    let mut bands = Vec::with_capacity(MotivationLevel::ALL.len());
    for level in MotivationLevel::ALL {
        let (min, max) = level.range();
        bands.push(Band {
            code: name("band code", level.code())?,
            label: name("band label", level.label(lang))?,
            min,
            max,
        });
    }
    let title = match lang {
        Lang::Ru => "Анкета для оценки уровня школьной мотивации (Н. Г. Лусканова)",
        Lang::En => "School motivation questionnaire (N. G. Luskanova)",
    };
    Questionnaire::new(QuestionnaireDraft { title: name("title", title)?, items, bands })
}

/// The Лусканова questionnaire (a screening tool, not a diagnosis), in Russian: the form runs
/// are validated and scored by.
pub fn luskanova() -> Questionnaire {
    luskanova_in(Lang::Ru)
}

/// The Лусканова questionnaire worded in `lang`; it scores every sheet as [`luskanova`] does.
pub fn luskanova_in(lang: Lang) -> Questionnaire {
    build_in(lang).expect("the built-in Лусканова questionnaire is valid (checked by its tests)")
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

    #[test]
    fn every_item_has_both_languages() {
        let (ru, en) = (build_in(Lang::Ru).unwrap(), build_in(Lang::En).unwrap());
        assert_eq!(ITEMS.len(), ITEMS_EN.len());
        assert_eq!(ru.items().len(), en.items().len());
        for (i, (r, e)) in ru.items().iter().zip(en.items()).enumerate() {
            assert_eq!(r.options.len(), e.options.len(), "item {i}");
            assert_eq!(r.text.as_str(), ITEMS[i].0);
            assert_eq!(e.text.as_str(), ITEMS_EN[i].0);
            assert_ne!(r.text, e.text, "item {i} is not translated");
            for (o, (ro, eo)) in r.options.iter().zip(&e.options).enumerate() {
                assert_eq!(ro.points, eo.points, "item {i} answer {o}");
                assert_eq!(answer_text(i, o, Lang::Ru), Some(ro.text.as_str()));
                assert_eq!(answer_text(i, o, Lang::En), Some(eo.text.as_str()));
                assert!(eo.text.as_str().is_ascii(), "item {i} answer {o} is not English");
            }
            assert_eq!(answer_text(i, 3, Lang::En), None);
        }
        assert_eq!(item_text(10, Lang::En), None);
        assert_eq!(item_text(0, Lang::En), Some("Do you like school or not really?"));
        assert_eq!(ru.bands().len(), en.bands().len());
        for (rb, eb) in ru.bands().iter().zip(en.bands()) {
            assert_eq!((&rb.code, rb.min, rb.max), (&eb.code, eb.min, eb.max));
        }
        for level in MotivationLevel::ALL {
            assert_eq!(level.label(Lang::Ru), level.label_ru());
            assert!(level.label(Lang::En).is_ascii());
        }
        assert_eq!(luskanova_in(Lang::Ru), luskanova());
        // The per-item key is the same in both languages: the pro-school answers of the
        // Russian form are those of the English one.
        let key = |q: &Questionnaire| -> Vec<Vec<u32>> {
            q.items().iter().map(|i| i.options.iter().map(|o| o.points).collect()).collect()
        };
        assert_eq!(key(&ru), key(&en));
    }

    proptest! {
        #[test]
        fn scoring_is_the_same_in_both_languages(
            answers in proptest::collection::vec(proptest::option::weighted(0.95, 0usize..4), 9..=11)
        ) {
            let (ru, en) = (luskanova_in(Lang::Ru), luskanova_in(Lang::En));
            prop_assert_eq!(ru.score(&answers), en.score(&answers));
        }

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
