//! When a plan event happens: a month, a month range, the whole year, "by schedule", a date, a
//! deadline, a school quarter or half-year, the end of the year or a school year, as Russian
//! plans write it («Сентябрь», «Апрель - Август», «В течение года», «по графику», «26.11.2018»,
//! «до 01.06.2018», «1 четверть», «I полугодие», «ежеквартально», «в конце учебного года»,
//! «2023-2024 гг»).
//!
//! The school year runs September → August, so a range such as «Август – октябрь» wraps: it
//! covers August, September and October, and its August is the one before the school year. An
//! «Август» alone is the August at the year's end unless the plan puts it first
//! ([`Period::AugustBefore`], decided by the importer, which sees the plan's order).
//! [`Period::position`] orders periods as the year really runs, that leading August first.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Month {
    /// Январь.
    January,
    /// Февраль.
    February,
    /// Март.
    March,
    /// Апрель.
    April,
    /// Май.
    May,
    /// Июнь.
    June,
    /// Июль.
    July,
    /// Август.
    August,
    /// Сентябрь.
    September,
    /// Октябрь.
    October,
    /// Ноябрь.
    November,
    /// Декабрь.
    December,
}

impl Month {
    /// Every month in calendar order.
    pub const ALL: [Month; 12] = [
        Self::January,
        Self::February,
        Self::March,
        Self::April,
        Self::May,
        Self::June,
        Self::July,
        Self::August,
        Self::September,
        Self::October,
        Self::November,
        Self::December,
    ];

    /// Every month in school-year order, September first.
    pub const SCHOOL_YEAR: [Month; 12] = [
        Self::September,
        Self::October,
        Self::November,
        Self::December,
        Self::January,
        Self::February,
        Self::March,
        Self::April,
        Self::May,
        Self::June,
        Self::July,
        Self::August,
    ];

    /// The month's number, 1 (January) to 12 (December).
    pub fn number(self) -> u32 {
        self as u32 + 1
    }

    /// The month with this number (1..=12).
    pub fn from_number(number: u32) -> Option<Month> {
        number.checked_sub(1).and_then(|i| Self::ALL.get(i as usize)).copied()
    }

    /// The position in the school year: September is 0, August is 11.
    pub fn school_index(self) -> usize {
        (self as usize + 4) % 12
    }

    /// The Russian name in the nominative, capitalised («Сентябрь»).
    pub fn russian(self) -> &'static str {
        match self {
            Self::January => "Январь",
            Self::February => "Февраль",
            Self::March => "Март",
            Self::April => "Апрель",
            Self::May => "Май",
            Self::June => "Июнь",
            Self::July => "Июль",
            Self::August => "Август",
            Self::September => "Сентябрь",
            Self::October => "Октябрь",
            Self::November => "Ноябрь",
            Self::December => "Декабрь",
        }
    }

    /// Reads one Russian month word in any case and grammatical form («сентябрь», «СЕНТЯБРЯ»,
    /// «в мае», «сент.»). Returns `None` for anything else.
    pub fn from_russian(word: &str) -> Option<Month> {
        let w = crate::text::fold_case(word.trim().trim_end_matches('.'));
        let count = w.chars().count();
        if count < 3 {
            return None;
        }
        // Full stems first; then the short forms people abbreviate to (сент, окт, дек…).
        const STEMS: [(&str, Month); 12] = [
            ("январ", Month::January),
            ("феврал", Month::February),
            ("март", Month::March),
            ("апрел", Month::April),
            ("июн", Month::June),
            ("июл", Month::July),
            ("август", Month::August),
            ("сентябр", Month::September),
            ("октябр", Month::October),
            ("ноябр", Month::November),
            ("декабр", Month::December),
            ("ма", Month::May),
        ];
        for (stem, month) in STEMS {
            if month == Month::May {
                if matches!(w.as_str(), "май" | "мая" | "мае" | "маю" | "маем") {
                    return Some(month);
                }
            } else if let Some(rest) = w.strip_prefix(stem) {
                // Allow inflection endings only (a few letters), not unrelated words.
                if rest.chars().count() <= 3 && rest.chars().all(|c| c.is_alphabetic()) {
                    return Some(month);
                }
            }
        }
        const SHORT: [(&str, Month); 11] = [
            ("янв", Month::January),
            ("фев", Month::February),
            ("мар", Month::March),
            ("апр", Month::April),
            ("авг", Month::August),
            ("сен", Month::September),
            ("сент", Month::September),
            ("окт", Month::October),
            ("ноя", Month::November),
            ("нояб", Month::November),
            ("дек", Month::December),
        ];
        SHORT.iter().find(|(s, _)| *s == w).map(|(_, m)| *m)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.russian())
    }
}

/// A school year, named by the calendar year it starts in (2023 for «2023-2024»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct SchoolYear(i32);

impl SchoolYear {
    /// Earliest start year accepted.
    pub const MIN: i32 = 1900;
    /// Latest start year accepted.
    pub const MAX: i32 = 2200;

    /// A school year starting in September of `start`.
    pub fn new(start: i32) -> Result<Self, PeriodError> {
        if (Self::MIN..=Self::MAX).contains(&start) {
            Ok(Self(start))
        } else {
            Err(PeriodError::YearOutOfRange(start))
        }
    }

    /// The calendar year of September.
    pub fn start(self) -> i32 {
        self.0
    }

    /// The calendar year of August (start + 1).
    pub fn end(self) -> i32 {
        self.0 + 1
    }

    /// The school year a date falls in (September..August).
    pub fn of_date(date: NaiveDate) -> Option<Self> {
        let start = if date.month() >= 9 { date.year() } else { date.year() - 1 };
        Self::new(start).ok()
    }

    /// The calendar year in which `month` of this school year falls.
    pub fn year_of(self, month: Month) -> i32 {
        if month.number() >= 9 { self.0 } else { self.0 + 1 }
    }

    /// Whether a date lies in this school year (1 September to 31 August).
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of_date(date) == Some(self)
    }

    /// Finds «2023-2024», «2023 – 2024», «2023/2024» inside a text (the second year must follow the
    /// first). Returns the first such pair.
    pub fn find_in(text: &str) -> Option<Self> {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if let Some((first, after)) = four_digits(&chars, i) {
                let mut j = after;
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if j < chars.len() && is_dash(chars[j]) || j < chars.len() && chars[j] == '/' {
                    j += 1;
                    while j < chars.len() && chars[j] == ' ' {
                        j += 1;
                    }
                    if let Some((second, _)) = four_digits(&chars, j)
                        && second == first + 1
                        && let Ok(year) = Self::new(first)
                    {
                        return Some(year);
                    }
                }
                i = after;
            } else {
                i += 1;
            }
        }
        None
    }
}

fn four_digits(chars: &[char], at: usize) -> Option<(i32, usize)> {
    if at > 0 && chars.get(at - 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = chars.get(at..at + 4)?;
    if !digits.iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if chars.get(at + 4).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = digits.iter().fold(0i32, |acc, c| acc * 10 + (*c as i32 - '0' as i32));
    Some((value, at + 4))
}

impl TryFrom<i32> for SchoolYear {
    type Error = PeriodError;
    fn try_from(value: i32) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<SchoolYear> for i32 {
    fn from(value: SchoolYear) -> Self {
        value.0
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.0, self.0 + 1)
    }
}

/// The longest excerpt of a cell an error message quotes, in characters (with «…» when cut).
pub const EXCERPT_CHARS: usize = 60;

/// At most [`EXCERPT_CHARS`] characters of `text`, spaces folded, with «…» when it was cut.
pub fn excerpt(text: &str) -> String {
    let folded = crate::text::fold_spaces(text);
    if folded.chars().count() <= EXCERPT_CHARS {
        folded
    } else {
        let mut s: String = folded.chars().take(EXCERPT_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// A quarter (четверть) of the school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quarter {
    /// I четверть: September, October.
    First,
    /// II четверть: November, December.
    Second,
    /// III четверть: January to March.
    Third,
    /// IV четверть: April, May.
    Fourth,
}

impl Quarter {
    /// The quarter with this number (1..=4).
    pub fn from_number(n: u32) -> Option<Quarter> {
        [Self::First, Self::Second, Self::Third, Self::Fourth]
            .get(n.checked_sub(1)? as usize)
            .copied()
    }

    /// 1..=4.
    pub fn number(self) -> u32 {
        self as u32 + 1
    }

    /// The months of the quarter, in order.
    pub fn months(self) -> &'static [Month] {
        use Month::*;
        match self {
            Self::First => &[September, October],
            Self::Second => &[November, December],
            Self::Third => &[January, February, March],
            Self::Fourth => &[April, May],
        }
    }
}

/// A half (полугодие) of the school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Half {
    /// I полугодие: September to December.
    First,
    /// II полугодие: January to May.
    Second,
}

impl Half {
    /// The half with this number (1 or 2).
    pub fn from_number(n: u32) -> Option<Half> {
        match n {
            1 => Some(Self::First),
            2 => Some(Self::Second),
            _ => None,
        }
    }

    /// 1 or 2.
    pub fn number(self) -> u32 {
        self as u32 + 1
    }

    /// The months of the half, in order.
    pub fn months(self) -> &'static [Month] {
        use Month::*;
        match self {
            Self::First => &[September, October, November, December],
            Self::Second => &[January, February, March, April, May],
        }
    }
}

fn roman(n: u32) -> &'static str {
    ["I", "II", "III", "IV"].get(n.saturating_sub(1) as usize).copied().unwrap_or("?")
}

/// When an event takes place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Period {
    /// One month («Сентябрь»).
    Month(Month),
    /// Several separate months («Сентябрь, май»), in school-year order, no repeats, at least two.
    Months(Vec<Month>),
    /// A range of months, both ends included, in school-year direction; may wrap over the
    /// start of the school year («Август – октябрь» is August, September, October).
    Range {
        /// First month.
        from: Month,
        /// Last month.
        to: Month,
    },
    /// «В течение года», «В течение учебного года», «Ежемесячно».
    WholeYear,
    /// «По графику», «По плану», «По отдельному графику».
    BySchedule,
    /// An explicit date («26.11.2018»).
    Date(NaiveDate),
    /// A whole school year written with its years («2023-2024», «2023-2024 гг»).
    SchoolYear(SchoolYear),
    /// A school quarter («1 четверть», «II четверть», «в 3-й четверти»).
    Quarter(Quarter),
    /// A half of the school year («I полугодие», «второе полугодие»).
    Half(Half),
    /// Once a quarter («Ежеквартально»): September to May.
    Quarterly,
    /// By a date at the latest («до 01.06.2018», «не позднее 01.06.2018»).
    Deadline(NaiveDate),
    /// At the end of the school year («В конце учебного года», «до конца года»): May.
    EndOfYear,
    /// The August before the school year starts: an «Август» at the top of a plan.
    AugustBefore,
}

/// Why a period text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The cell is empty.
    #[error("срок не указан")]
    Empty,
    /// Not a month, range, date or phrase we know.
    #[error("не удалось понять срок «{0}»")]
    Unknown(String),
    /// A date with impossible numbers («31.02.2023»).
    #[error("такой даты нет: «{0}»")]
    BadDate(String),
    /// A year outside 1900..=2200.
    #[error("год {0} вне допустимого диапазона 1900–2200")]
    YearOutOfRange(i32),
    /// A range whose ends are the same month.
    #[error("диапазон из одного месяца: «{0}»")]
    EmptyRange(String),
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '‐' | '‑' | '‒' | '−')
}

fn normalise(raw: &str) -> String {
    crate::text::fold_key(raw).chars().map(|c| if is_dash(c) { '-' } else { c }).collect()
}

impl Period {
    /// Reads a period cell. Case, spaces and dash style («-», «–», «—») do not matter.
    pub fn parse(raw: &str) -> Result<Period, PeriodError> {
        let text = normalise(raw);
        let text = text
            .trim_matches(|c: char| matches!(c, '"' | '«' | '»' | '“' | '”') || c.is_whitespace())
            .trim_end_matches(['.', ',', ';'])
            .trim();
        if text.is_empty() {
            return Err(PeriodError::Empty);
        }
        let unknown = || PeriodError::Unknown(excerpt(raw));

        // Phrases.
        let phrase = text.trim_start_matches("в ").trim_start_matches("на ");
        const WHOLE: [&str; 6] = [
            "течение года",
            "течение учебного года",
            "течение всего года",
            "течение всего учебного года",
            "ежемесячно",
            "постоянно",
        ];
        if WHOLE.contains(&phrase)
            || WHOLE.contains(&text)
            || (phrase.starts_with("течение") && phrase.contains("год"))
        {
            return Ok(Period::WholeYear);
        }
        if let Some(period) = school_part(phrase) {
            return Ok(period);
        }
        if text.starts_with("ежекварт") {
            return Ok(Period::Quarterly);
        }
        const END: [&str; 8] = [
            "конце учебного года",
            "конце года",
            "конец учебного года",
            "конец года",
            "конца учебного года",
            "конца года",
            "итогам года",
            "итогам учебного года",
        ];
        let end = phrase
            .trim_start_matches("до ")
            .trim_start_matches("по ")
            .trim_start_matches("к ")
            .trim_start_matches("в ");
        if END.contains(&end) {
            return Ok(Period::EndOfYear);
        }
        if let Some(rest) = ["до ", "не позднее ", "не позже ", "к "]
            .iter()
            .find_map(|p| text.strip_prefix(p))
            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        {
            return match parse_date(rest.trim()) {
                Some(Ok(Period::Date(d))) => Ok(Period::Deadline(d)),
                Some(Err(e)) => Err(e),
                _ => Err(unknown()),
            };
        }
        if matches!(phrase, "август перед учебным годом" | "август (перед учебным годом)")
            || text == "август (перед учебным годом)"
        {
            return Ok(Period::AugustBefore);
        }
        if text.starts_with("по графику")
            || text.starts_with("по отдельному графику")
            || text == "по плану"
            || text.starts_with("согласно графику")
        {
            return Ok(Period::BySchedule);
        }

        // A date dd.mm.yyyy (optionally followed by «г» / «г.» / «года»).
        if text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            if let Some(date) = parse_date(text) {
                return date;
            }
            // A school year «2023-2024», «2023-2024 гг», «2023 - 2024 учебный год».
            if let Some(year) = parse_school_year(text) {
                return year;
            }
            return Err(unknown());
        }

        // Months: one, a range, or a list.
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '/')
            .filter(|w| !w.is_empty())
            .collect();
        // A range written without spaces («апрель-август») is one word with a dash.
        let mut tokens: Vec<Token> = Vec::new();
        for word in words {
            let mut first = true;
            for part in word.split('-') {
                if !first {
                    tokens.push(Token::Dash);
                }
                first = false;
                if part.is_empty() {
                    continue;
                }
                match part {
                    "и" => tokens.push(Token::And),
                    "с" | "со" | "в" | "во" | "по" | "до" | "месяц" | "г" | "года" | "год" => {
                        tokens.push(Token::Filler(part == "по" || part == "до"))
                    }
                    _ if part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) => {
                        tokens.push(Token::Filler(false))
                    }
                    _ => match Month::from_russian(part) {
                        Some(m) => tokens.push(Token::Month(m)),
                        None => return Err(unknown()),
                    },
                }
            }
        }
        let months: Vec<Month> = tokens
            .iter()
            .filter_map(|t| if let Token::Month(m) = t { Some(*m) } else { None })
            .collect();
        let range_marker = tokens.iter().any(|t| matches!(t, Token::Dash | Token::Filler(true)));
        match (months.as_slice(), range_marker) {
            ([], _) => Err(unknown()),
            ([one], false) => Ok(Period::Month(*one)),
            ([from, to], true) => {
                if from == to {
                    Err(PeriodError::EmptyRange(excerpt(raw)))
                } else {
                    Ok(Period::Range { from: *from, to: *to })
                }
            }
            (many, false) if tokens.iter().all(|t| !matches!(t, Token::Filler(_))) => {
                let mut list: Vec<Month> = many.to_vec();
                list.sort_by_key(|m| m.school_index());
                list.dedup();
                if list.len() == 1 { Ok(Period::Month(list[0])) } else { Ok(Period::Months(list)) }
            }
            _ => Err(unknown()),
        }
    }

    /// The months this period covers, in school-year order (every month for the whole year,
    /// by-schedule and a school year; the date's month for a date).
    pub fn months(&self) -> Vec<Month> {
        match self {
            Period::Month(m) => vec![*m],
            Period::Months(list) => list.clone(),
            Period::Range { from, to } => {
                let start = from.school_index();
                let end = to.school_index();
                let len = if end >= start { end - start + 1 } else { 12 - start + end + 1 };
                (0..len).map(|k| Month::SCHOOL_YEAR[(start + k) % 12]).collect()
            }
            Period::WholeYear | Period::BySchedule | Period::SchoolYear(_) => {
                Month::SCHOOL_YEAR.to_vec()
            }
            Period::Date(d) | Period::Deadline(d) => {
                Month::from_number(d.month()).into_iter().collect()
            }
            Period::Quarter(q) => q.months().to_vec(),
            Period::Half(h) => h.months().to_vec(),
            Period::Quarterly => Month::SCHOOL_YEAR[..9].to_vec(),
            Period::EndOfYear => vec![Month::May],
            Period::AugustBefore => vec![Month::August],
        }
    }

    /// Where the period starts in the year as it really runs, for sorting: the month's place
    /// (−1 for the August before the school year, 0 for September … 11 for August) times 32,
    /// plus the day for dates. A range from August starts in the August before; the whole year,
    /// by-schedule and quarterly start in September; a deadline sorts at its date; a date
    /// before the 1st of September of `year` (when known) sorts before September.
    pub fn position(&self, year: Option<SchoolYear>) -> i32 {
        let slot = |m: Month| m.school_index() as i32 * 32;
        let dated = |d: &NaiveDate| {
            let before = year.is_some_and(|y| {
                NaiveDate::from_ymd_opt(y.start(), 9, 1).is_some_and(|first| *d < first)
            });
            if before {
                -32 + d.day() as i32
            } else {
                slot(Month::from_number(d.month()).unwrap_or(Month::September)) + d.day() as i32
            }
        };
        match self {
            Period::AugustBefore => -32,
            Period::Range { from: Month::August, to } if *to != Month::August => -32,
            Period::Date(d) | Period::Deadline(d) => dated(d),
            other => other.first_month().map_or(0, slot),
        }
    }

    /// Whether the period covers a month.
    pub fn covers(&self, month: Month) -> bool {
        self.months().contains(&month)
    }

    /// The earliest month covered, in school-year order (to sort a plan's events).
    pub fn first_month(&self) -> Option<Month> {
        self.months().into_iter().next()
    }
}

enum Token {
    Month(Month),
    Dash,
    And,
    /// A preposition or word we skip; `true` when it marks a range end («по», «до»).
    Filler(bool),
}

/// «1 четверть», «I четверть», «1-я четверть», «в 3-й четверти», «за II четв.», «I полугодие»,
/// «первое полугодие», «2-е полугодие»; the text is already folded and without a leading «в».
fn school_part(text: &str) -> Option<Period> {
    let text = text.trim_start_matches("за ").trim_start_matches("во ").trim_start_matches("в ");
    let mut words = text.split_whitespace();
    let (first, second) = (words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let number = first.split('-').next().unwrap_or(first);
    let n = match number {
        "1" | "i" | "первая" | "первой" | "первое" | "первом" | "первого" => {
            1
        }
        "2" | "ii" | "вторая" | "второй" | "второе" | "втором" | "второго" => {
            2
        }
        "3" | "iii" | "третья" | "третьей" => 3,
        "4" | "iv" | "четвертая" | "четвертой" => 4,
        _ => return None,
    };
    let unit = second.trim_end_matches('.');
    if unit.starts_with("четв") {
        Quarter::from_number(n).map(Period::Quarter)
    } else if unit.starts_with("полугод") {
        Half::from_number(n).map(Period::Half)
    } else {
        None
    }
}

fn parse_date(text: &str) -> Option<Result<Period, PeriodError>> {
    let core = text
        .trim_end_matches("года")
        .trim_end_matches("г.")
        .trim_end_matches('г')
        .trim()
        .trim_end_matches('.');
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let mut year: i32 = parts[2].parse().ok()?;
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    if parts[2].len() == 2 {
        year += 2000;
    } else if parts[2].len() != 4 {
        return None;
    }
    if !(SchoolYear::MIN..=SchoolYear::MAX).contains(&year) {
        return Some(Err(PeriodError::YearOutOfRange(year)));
    }
    Some(match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => Ok(Period::Date(d)),
        None => Err(PeriodError::BadDate(excerpt(text))),
    })
}

fn parse_school_year(text: &str) -> Option<Result<Period, PeriodError>> {
    let year = SchoolYear::find_in(text)?;
    // Only the years and the usual words may surround it.
    let rest: String = text.chars().filter(|c| !c.is_ascii_digit() && !is_dash(*c)).collect();
    let rest = rest.replace(['.', '/'], " ");
    let ok = rest.split_whitespace().all(|w| {
        matches!(
            w,
            "гг" | "г" | "год" | "года" | "годы" | "уч" | "учебный" | "учебного" | "учебные"
        )
    });
    if ok { Some(Ok(Period::SchoolYear(year))) } else { None }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => write!(f, "{m}"),
            Period::Months(list) => {
                for (i, m) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{m}")?;
                }
                Ok(())
            }
            Period::Range { from, to } => write!(f, "{from} – {to}"),
            Period::WholeYear => f.write_str("В течение года"),
            Period::BySchedule => f.write_str("По графику"),
            Period::Date(d) => write!(f, "{}", d.format("%d.%m.%Y")),
            Period::SchoolYear(y) => write!(f, "{y} учебный год"),
            Period::Quarter(q) => write!(f, "{} четверть", roman(q.number())),
            Period::Half(h) => write!(f, "{} полугодие", roman(h.number())),
            Period::Quarterly => f.write_str("Ежеквартально"),
            Period::Deadline(d) => write!(f, "до {}", d.format("%d.%m.%Y")),
            Period::EndOfYear => f.write_str("В конце учебного года"),
            Period::AugustBefore => f.write_str("Август (перед учебным годом)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<Period, PeriodError>) {
        assert_eq!(Period::parse(input), expected, "input {input:?}");
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods() {
        use Month::*;
        let cases: Vec<(&str, Result<Period, PeriodError>)> = vec![
            ("Сентябрь", Ok(Period::Month(September))),
            ("СЕНТЯБРЬ", Ok(Period::Month(September))),
            ("  октябрь ", Ok(Period::Month(October))),
            ("в мае", Ok(Period::Month(May))),
            ("Май", Ok(Period::Month(May))),
            ("Март", Ok(Period::Month(March))),
            ("январь.", Ok(Period::Month(January))),
            ("\"Ноябрь\"", Ok(Period::Month(November))),
            ("Апрель - Август", Ok(Period::Range { from: April, to: August })),
            ("Август – октябрь ", Ok(Period::Range { from: August, to: October })),
            ("август—ноябрь", Ok(Period::Range { from: August, to: November })),
            ("Август-сентябрь", Ok(Period::Range { from: August, to: September })),
            ("с сентября по май", Ok(Period::Range { from: September, to: May })),
            ("Сентябрь, май", Ok(Period::Months(vec![September, May]))),
            ("май и сентябрь", Ok(Period::Months(vec![September, May]))),
            ("В течение года", Ok(Period::WholeYear)),
            ("в течение учебного года", Ok(Period::WholeYear)),
            ("В течение всего учебного года", Ok(Period::WholeYear)),
            ("Ежемесячно", Ok(Period::WholeYear)),
            ("В течение года (по плану ОО)", Ok(Period::WholeYear)),
            ("в течение месяца", Err(PeriodError::Unknown("в течение месяца".into()))),
            ("по графику", Ok(Period::BySchedule)),
            ("По графику МКУ КИМЦ", Ok(Period::BySchedule)),
            ("26.11.2018", Ok(Period::Date(date(2018, 11, 26)))),
            ("26.11.2018 г.", Ok(Period::Date(date(2018, 11, 26)))),
            ("5.3.2024", Ok(Period::Date(date(2024, 3, 5)))),
            ("01.09.23", Ok(Period::Date(date(2023, 9, 1)))),
            ("31.02.2023", Err(PeriodError::BadDate("31.02.2023".into()))),
            ("2023-2024", Ok(Period::SchoolYear(SchoolYear(2023)))),
            ("2023-2024 гг", Ok(Period::SchoolYear(SchoolYear(2023)))),
            ("2023 – 2024 учебный год", Ok(Period::SchoolYear(SchoolYear(2023)))),
            ("2023-2024 уч. год", Ok(Period::SchoolYear(SchoolYear(2023)))),
            ("2023-2025", Err(PeriodError::Unknown("2023-2025".into()))),
            ("", Err(PeriodError::Empty)),
            ("   ", Err(PeriodError::Empty)),
            ("Сентябрь - сентябрь", Err(PeriodError::EmptyRange("Сентябрь - сентябрь".into()))),
            ("скоро", Err(PeriodError::Unknown("скоро".into()))),
            ("Марта", Ok(Period::Month(March))),
            ("Сентябрь 2022 г.", Ok(Period::Month(September))),
            ("Мартовский кот", Err(PeriodError::Unknown("Мартовский кот".into()))),
            ("ма", Err(PeriodError::Unknown("ма".into()))),
            ("1 четверть", Ok(Period::Quarter(Quarter::First))),
            ("II четверть", Ok(Period::Quarter(Quarter::Second))),
            ("в 3-й четверти", Ok(Period::Quarter(Quarter::Third))),
            ("за IV четв.", Ok(Period::Quarter(Quarter::Fourth))),
            ("5 четверть", Err(PeriodError::Unknown("5 четверть".into()))),
            ("I полугодие", Ok(Period::Half(Half::First))),
            ("Второе полугодие", Ok(Period::Half(Half::Second))),
            ("во 2-м полугодии", Ok(Period::Half(Half::Second))),
            ("3 полугодие", Err(PeriodError::Unknown("3 полугодие".into()))),
            ("Ежеквартально", Ok(Period::Quarterly)),
            ("до 01.06.2018", Ok(Period::Deadline(date(2018, 6, 1)))),
            ("Не позднее 15.05.2024 г.", Ok(Period::Deadline(date(2024, 5, 15)))),
            ("до 31.02.2018", Err(PeriodError::BadDate("31.02.2018".into()))),
            ("В конце учебного года", Ok(Period::EndOfYear)),
            ("в конце года", Ok(Period::EndOfYear)),
            ("До конца учебного года", Ok(Period::EndOfYear)),
            ("по итогам года", Ok(Period::EndOfYear)),
            ("Август (перед учебным годом)", Ok(Period::AugustBefore)),
            ("по графику", Ok(Period::BySchedule)),
            (
                "совсем непонятный срок, который тянется и тянется дальше шестидесяти знаков",
                Err(PeriodError::Unknown(
                    "совсем непонятный срок, который тянется и тянется дальше ше…".into(),
                )),
            ),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    fn check_months(period: Period, expected: &[Month]) {
        assert_eq!(period.months(), expected, "period {period:?}");
    }

    #[test]
    fn months_covered_wrap_the_school_year() {
        use Month::*;
        let cases = vec![
            (Period::Range { from: August, to: October }, vec![August, September, October]),
            (Period::Range { from: April, to: August }, vec![April, May, June, July, August]),
            (
                Period::Range { from: November, to: February },
                vec![November, December, January, February],
            ),
            (Period::Month(May), vec![May]),
            (Period::Date(date(2018, 11, 26)), vec![November]),
        ];
        for (period, expected) in cases {
            check_months(period, &expected);
        }
        assert_eq!(Period::WholeYear.months().len(), 12);
        assert_eq!(Period::WholeYear.first_month(), Some(September));
    }

    #[test]
    fn school_years() {
        let check = |text: &str, expected: Option<i32>| {
            assert_eq!(SchoolYear::find_in(text).map(SchoolYear::start), expected, "{text:?}");
        };
        check(" 2022-2023 учебный год", Some(2022));
        check("по внедрению 2021-2022 уч. год**", Some(2021));
        check("за 2021 – 2022 уч. год", Some(2021));
        check("2019/2020", Some(2019));
        check("12023-2024", None);
        check("2023-2025", None);
        check("нет года", None);
        let y = SchoolYear::new(2023).unwrap();
        assert!(y.contains(date(2023, 9, 1)));
        assert!(y.contains(date(2024, 8, 31)));
        assert!(!y.contains(date(2024, 9, 1)));
        assert_eq!(y.year_of(Month::May), 2024);
        assert_eq!(y.to_string(), "2023–2024");
    }

    #[test]
    fn display_reads_back() {
        use Month::*;
        for period in [
            Period::Month(March),
            Period::Months(vec![September, May]),
            Period::Range { from: August, to: October },
            Period::WholeYear,
            Period::BySchedule,
            Period::Date(date(2018, 11, 26)),
            Period::SchoolYear(SchoolYear(2023)),
            Period::Quarter(Quarter::First),
            Period::Quarter(Quarter::Fourth),
            Period::Half(Half::Second),
            Period::Quarterly,
            Period::Deadline(date(2018, 6, 1)),
            Period::EndOfYear,
            Period::AugustBefore,
        ] {
            assert_eq!(Period::parse(&period.to_string()), Ok(period.clone()));
        }
    }

    #[test]
    fn periods_sort_as_the_year_runs() {
        use Month::*;
        let year = Some(SchoolYear(2023));
        // In the order a plan's year really runs: the August before first, then September on.
        let ordered = [
            Period::AugustBefore,
            Period::Range { from: August, to: October },
            Period::Date(date(2023, 8, 28)),
            Period::WholeYear,
            Period::Quarter(Quarter::First),
            Period::Month(October),
            Period::Half(Half::Second),
            Period::Month(March),
            Period::Quarter(Quarter::Fourth),
            Period::EndOfYear,
            Period::Deadline(date(2024, 6, 1)),
            Period::Month(August),
        ];
        let positions: Vec<i32> = ordered.iter().map(|p| p.position(year)).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(positions, sorted, "{ordered:?}");
        // Without the year, an August date is the August at the end.
        assert!(Period::Date(date(2023, 8, 28)).position(None) > Period::Month(May).position(None));
        assert_eq!(Period::Quarterly.months().len(), 9);
        assert_eq!(Period::Half(Half::First).months(), [September, October, November, December]);
    }

    #[test]
    fn month_numbers() {
        for m in Month::ALL {
            assert_eq!(Month::from_number(m.number()), Some(m));
            assert_eq!(Month::SCHOOL_YEAR[m.school_index()], m);
            assert_eq!(Month::from_russian(m.russian()), Some(m));
        }
        assert_eq!(Month::from_number(0), None);
        assert_eq!(Month::from_number(13), None);
    }
}
