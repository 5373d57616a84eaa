//! The kind of a plan event (доклад, мастер-класс, открытый урок…) and how to infer it from the
//! words of the event's title.
//!
//! The first kind word of the title wins; words inside «quotes» (the event's theme) count only
//! when nothing outside them names a kind, so «Педагогический фестиваль «Открытый урок»» is a
//! festival, not an open lesson.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What sort of event a plan row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Доклад.
    Report,
    /// Мастер-класс.
    MasterClass,
    /// Открытый урок.
    OpenLesson,
    /// Семинар.
    Seminar,
    /// Семинар-практикум (also a practicum alone).
    SeminarWorkshop,
    /// Круглый стол.
    RoundTable,
    /// Вебинар.
    Webinar,
    /// Педсовет (педагогический совет).
    TeachersCouncil,
    /// Совещание (also заседание).
    Meeting,
    /// Фестиваль.
    Festival,
    /// Экспертная сессия.
    ExpertSession,
    /// Анализ (e.g. «Анализ работы ПОС за год»).
    Analysis,
    /// Anything else (разработка, консультации, участие…).
    Other,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 13] = [
        Self::Report,
        Self::MasterClass,
        Self::OpenLesson,
        Self::Seminar,
        Self::SeminarWorkshop,
        Self::RoundTable,
        Self::Webinar,
        Self::TeachersCouncil,
        Self::Meeting,
        Self::Festival,
        Self::ExpertSession,
        Self::Analysis,
        Self::Other,
    ];

    /// The Russian name, capitalised.
    pub fn russian(self) -> &'static str {
        match self {
            Self::Report => "Доклад",
            Self::MasterClass => "Мастер-класс",
            Self::OpenLesson => "Открытый урок",
            Self::Seminar => "Семинар",
            Self::SeminarWorkshop => "Семинар-практикум",
            Self::RoundTable => "Круглый стол",
            Self::Webinar => "Вебинар",
            Self::TeachersCouncil => "Педсовет",
            Self::Meeting => "Совещание",
            Self::Festival => "Фестиваль",
            Self::ExpertSession => "Экспертная сессия",
            Self::Analysis => "Анализ",
            Self::Other => "Другое",
        }
    }

    /// Whether holding such an event presents the community's experience to others
    /// (everything but meetings, teachers' councils, analysis and other work).
    pub fn presents_experience(self) -> bool {
        !matches!(self, Self::Meeting | Self::TeachersCouncil | Self::Analysis | Self::Other)
    }

    /// Infers the kind from an event title («Доклад «…»», «Проведение обучающих семинаров…»).
    pub fn infer(title: &str) -> EventKind {
        let (outside, inside) = split_quotes(title);
        first_kind(&words(&outside))
            .or_else(|| first_kind(&words(&inside)))
            .unwrap_or(EventKind::Other)
    }

    /// The kind named by the first words of a text («Семинар «…»», «Открытые уроки»,
    /// «2. Вебинар …»), list numbers and quotes skipped; `None` when the text does not start
    /// with a kind word («Проведение семинаров» does not).
    pub fn leading(text: &str) -> Option<EventKind> {
        let w = words(text);
        let start = w.iter().position(|x| !x.chars().all(|c| c.is_ascii_digit()))?;
        PRIORITY.into_iter().find(|k| k.matches_at(&w[start..]))
    }

    /// Whether a word sequence starting at `w[0]` names this kind.
    fn matches_at(self, w: &[String]) -> bool {
        let Some(first) = w.first() else { return false };
        let second = w.get(1).map(String::as_str).unwrap_or("");
        let f = first.as_str();
        match self {
            Self::Report => f.starts_with("доклад"),
            Self::MasterClass => {
                f.starts_with("мастер-класс") || (f == "мастер" && second.starts_with("класс"))
            }
            Self::OpenLesson => f.starts_with("открыт") && second.starts_with("урок"),
            Self::SeminarWorkshop => {
                (f.starts_with("семинар") && f.contains("-практикум"))
                    || (f.starts_with("семинар") && second.starts_with("практикум"))
                    || f.starts_with("практикум")
            }
            Self::Seminar => f.starts_with("семинар"),
            Self::RoundTable => f.starts_with("кругл") && second.starts_with("стол"),
            Self::Webinar => f.starts_with("вебинар"),
            Self::TeachersCouncil => {
                f.starts_with("педсовет")
                    || (f.starts_with("педагогическ") && second.starts_with("совет"))
            }
            Self::Meeting => f.starts_with("совещани") || f.starts_with("заседани"),
            Self::Festival => f.starts_with("фестивал"),
            Self::ExpertSession => f.starts_with("экспертн") && second.starts_with("сесси"),
            Self::Analysis => f.starts_with("анализ"),
            Self::Other => false,
        }
    }
}

/// Kinds in matching priority at one word (the more specific first).
const PRIORITY: [EventKind; 12] = [
    EventKind::SeminarWorkshop,
    EventKind::Seminar,
    EventKind::Report,
    EventKind::MasterClass,
    EventKind::OpenLesson,
    EventKind::RoundTable,
    EventKind::Webinar,
    EventKind::TeachersCouncil,
    EventKind::Meeting,
    EventKind::Festival,
    EventKind::ExpertSession,
    EventKind::Analysis,
];

fn first_kind(words: &[String]) -> Option<EventKind> {
    (0..words.len()).find_map(|i| PRIORITY.into_iter().find(|k| k.matches_at(&words[i..])))
}

/// Lower-cased words (letters, digits and inner hyphens), ё folded to е, dashes unified.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let c = match c {
            '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
            other => other,
        };
        if c.is_alphanumeric() || (c == '-' && !current.is_empty()) {
            current.extend(crate::text::fold_char(c));
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current).trim_end_matches('-').to_owned());
        }
    }
    if !current.is_empty() {
        out.push(current.trim_end_matches('-').to_owned());
    }
    out
}

/// Splits a title into the text outside «…» / "…" quotes and the text inside them (nested
/// quotes allowed; an unbalanced opening quote runs to the end).
fn split_quotes(title: &str) -> (String, String) {
    let mut outside = String::new();
    let mut inside = String::new();
    let mut depth = 0usize;
    let mut straight_open = false;
    for c in title.chars() {
        match c {
            '«' | '„' | '“' => {
                depth += 1;
                inside.push(' ');
            }
            '»' | '”' if depth > 0 => {
                depth -= 1;
                inside.push(' ');
            }
            '"' => {
                if straight_open {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                }
                straight_open = !straight_open;
                inside.push(' ');
            }
            _ if depth > 0 => inside.push(c),
            _ => outside.push(c),
        }
    }
    (outside, inside)
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.russian())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_kind_words() {
        let cases = [
            ("Семинар «Критерии»", Some(EventKind::Seminar)),
            ("2. Вебинар «Лесенка»", Some(EventKind::Webinar)),
            ("Открытые уроки", Some(EventKind::OpenLesson)),
            ("Мастер-классы", Some(EventKind::MasterClass)),
            ("Проведение семинаров", None),
            ("", None),
            ("12", None),
        ];
        for (text, expected) in cases {
            assert_eq!(EventKind::leading(text), expected, "{text:?}");
        }
    }

    fn check(title: &str, expected: EventKind) {
        assert_eq!(EventKind::infer(title), expected, "title {title:?}");
    }

    #[test]
    fn kinds_from_titles() {
        use EventKind::*;
        let cases = [
            ("Доклад «Роль формирующего оценивания в развитии ученика»", Report),
            ("Мастер-класс «Критериальное оценивание как основа современного урока»", MasterClass),
            ("мастер – класс для молодых педагогов", MasterClass),
            ("Мастер класс", MasterClass),
            ("Открытый урок", OpenLesson),
            ("Проведение открытых уроков", OpenLesson),
            ("Семинар «Техники формирующего оценивания – карта понятий»", Seminar),
            ("Проведение обучающих семинаров с коллективом", Seminar),
            ("Семинар-практикум «Критерии»", SeminarWorkshop),
            ("Семинар – практикум «Критерии»", SeminarWorkshop),
            ("Круглый стол ««Лестница» вместо пятерки в дневнике: 5 принципов»", RoundTable),
            ("Вебинар «Формирующее оценивание: миф или реальность?» https://yandex.ru", Webinar),
            ("Педсовет «Итоги года»", TeachersCouncil),
            ("Проведение педагогических советов, совещаний по повышению качества", TeachersCouncil),
            ("Совещание «Планирование деятельности»", Meeting),
            ("Заседание ПОС №1", Meeting),
            ("Практикум «Рубрики»", SeminarWorkshop),
            ("Педагогический фестиваль для школ города «Открытый урок»", Festival),
            ("Методический фестиваль «От идеи до результата»", Festival),
            ("Экспертная сессия по введению формирующего оценивания", ExpertSession),
            ("Анализ деятельности ГБП", Analysis),
            ("Анализ работы ПОС за 2022 – 2023 учебный год", Analysis),
            ("Методическое сопровождение, консультации", Other),
            ("Обобщение опыта работы «Использование элементов формирующего оценивания»", Other),
            ("«Открытый урок»", OpenLesson),
            ("", Other),
            ("«незакрытая кавычка доклад", Report),
            ("ДОКЛАД", Report),
        ];
        for (title, expected) in cases {
            check(title, expected);
        }
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<&str> = EventKind::ALL.iter().map(|k| k.russian()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventKind::ALL.len());
    }
}
