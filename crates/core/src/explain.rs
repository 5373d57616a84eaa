//! "Show calculation": language-neutral explanations of every number a user sees.
//!
//! Parents say e-journal weights are opaque, so each figure Lesenka computes (a weighted average,
//! a term mark, a band chosen from a points table, a rubric score, a what-if answer) comes with an
//! [`Explanation`]: the ordered [`Term`]s that went in (label, value, weight) and a formula made of
//! [`Piece`]s — exact numbers, symbols, user texts and [`Word`] keys. Nothing in it is prose in a
//! particular language; [`Explanation::render`] writes it as plain Russian or English text for the
//! command line, and the app can render the same data its own way.
//!
//! Example (the domain check): `(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44`; in Russian the
//! decimal separator is a comma: `… = 40/9 ≈ 4,44`. `=` is used when a value is exact and `≈`
//! when it has been rounded for display.

use serde::{Deserialize, Serialize};

use crate::marks::Fraction;

pub use crate::text::Lang;

/// What an explanation explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A weighted average of marks.
    WeightedAverage,
    /// A term mark chosen from an average by thresholds.
    TermMark,
    /// A mark chosen from a points/percent table, with its conditions.
    BandChoice,
    /// A rubric score S with S_min and S_max.
    RubricScore,
    /// A rubric score normalised to a grade G.
    RubricGrade,
    /// The fewest further marks that reach a target average.
    WhatIf,
}

/// One input of a calculation: a labelled value, optionally weighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// What the value is: a work type, a criterion, a band… (the user's own wording).
    pub label: String,
    /// The value.
    pub value: Fraction,
    /// Its weight, when the calculation weighs its inputs.
    pub weight: Option<Fraction>,
}

/// A symbol of a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sym {
    /// `+`
    Plus,
    /// `−`
    Minus,
    /// `·`, written tight (`5·3`).
    Times,
    /// `·`, written with spaces around it, between larger groups (`7 / 9 · 10`).
    TimesWide,
    /// `/`
    Divide,
    /// `=`
    Equals,
    /// `≈`
    Approx,
    /// `→`
    Arrow,
    /// `≥`
    AtLeast,
    /// `<`
    Less,
    /// `(`
    Open,
    /// `)`
    Close,
    /// `%`
    Percent,
    /// `:`
    Colon,
    /// `;`
    Semicolon,
    /// `,`
    Comma,
}

/// A word or phrase, rendered in the chosen language (with Russian plural forms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Word {
    /// "16 points" / «16 баллов».
    Points(Fraction),
    /// "3 marks" / «3 отметки».
    Marks(u64),
    /// "mark «4» requires" / «для отметки «4» нужно».
    MarkRequires(String),
    /// "got" / «есть».
    Got,
    /// "not met" / «не выполнено».
    NotMet,
    /// "met" / «выполнено».
    Met,
    /// "rounded to N decimals" / «округляем до N знаков».
    RoundedTo(u8),
    /// "below every threshold" / «ниже всех порогов».
    BelowEveryThreshold,
    /// "unreachable" / «недостижимо».
    Unreachable,
    /// "already reached" / «уже достигнуто».
    AlreadyReached,
    /// "of" / «из».
    Of,
    /// "min" / «мин.».
    Min,
    /// "max" / «макс.».
    Max,
    /// "each" / «каждая».
    Each,
    /// "with weight" / «с весом».
    WithWeight,
    /// "or" / «или».
    Or,
}

/// One piece of a formula.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Piece {
    /// An exact number: a terminating decimal (`4.65`) or a ratio (`40/9`).
    Num(Fraction),
    /// A number rounded for display to `places` decimals (`4.44`).
    Rounded {
        /// The exact value.
        value: Fraction,
        /// Decimals shown.
        places: u8,
    },
    /// A quotient shown unreduced, `sum/total` (`40/9`, `30/6`).
    Ratio {
        /// Above the line.
        num: Fraction,
        /// Below the line.
        den: Fraction,
    },
    /// A symbol.
    Sym(Sym),
    /// A word in the chosen language.
    Word(Word),
    /// The user's own text (a mark label, a work type, a condition's name), shown as is.
    Text(String),
    /// A line break.
    Break,
}

/// The calculation behind one number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// What is explained.
    pub topic: Topic,
    /// The inputs, in order.
    pub terms: Vec<Term>,
    /// The formula, ending with the result.
    pub formula: Vec<Piece>,
}

impl Explanation {
    /// Starts an explanation with no terms and an empty formula.
    pub fn new(topic: Topic) -> Self {
        Self { topic, terms: Vec::new(), formula: Vec::new() }
    }

    /// Appends a piece.
    pub fn push(&mut self, piece: Piece) -> &mut Self {
        self.formula.push(piece);
        self
    }

    /// Appends a symbol.
    pub fn sym(&mut self, sym: Sym) -> &mut Self {
        self.push(Piece::Sym(sym))
    }

    /// Appends an exact number.
    pub fn num(&mut self, value: Fraction) -> &mut Self {
        self.push(Piece::Num(value))
    }

    /// Appends a word.
    pub fn word(&mut self, word: Word) -> &mut Self {
        self.push(Piece::Word(word))
    }

    /// Appends the user's own text.
    pub fn text(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Piece::Text(text.into()))
    }

    /// Appends `= value` when `value` has at most `places` decimals, else `= exact ≈ rounded`
    /// (`= 40/9 ≈ 4.44`).
    pub fn result(&mut self, value: Fraction, places: u8) -> &mut Self {
        self.sym(Sym::Equals).num(value);
        if value.round_half_up(places) != value {
            self.sym(Sym::Approx).push(Piece::Rounded { value, places });
        }
        self
    }

    /// Plain text in the given language.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        let mut glue_next = true;
        for piece in &self.formula {
            if let Piece::Break = piece {
                out.push('\n');
                glue_next = true;
                continue;
            }
            let (text, glue_left, glue_right) = render_piece(piece, lang);
            if !glue_next && !glue_left {
                out.push(' ');
            }
            out.push_str(&text);
            glue_next = glue_right;
        }
        out
    }
}

/// Writes a number in the language's convention (decimal comma in Russian).
pub fn number_text(text: String, lang: Lang) -> String {
    match lang {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A measured figure (a mean gap, a slope) rounded half away from zero to hundredths, with the
/// language's decimal separator: «0,25», "0.25". With `signed`, a positive figure gets «+» and a
/// negative one «−» (U+2212), as a gap is written; zero has no sign.
pub fn hundredths(value: f64, signed: bool, lang: Lang) -> String {
    let h = (value * 100.0).round() as i64;
    let sign = match h.signum() {
        -1 => "−",
        1 if signed => "+",
        _ => "",
    };
    let a = h.unsigned_abs();
    number_text(format!("{sign}{}.{:02}", a / 100, a % 100), lang)
}

/// A share in 0..=1 as a whole percentage, rounded half away from zero: «48 %» (with a
/// no-break space, as Russian typography sets it), "48%".
pub fn whole_percent(share: f64, lang: Lang) -> String {
    let p = (share * 100.0).round() as i64;
    match lang {
        Lang::Ru => format!("{p}\u{a0}%"),
        Lang::En => format!("{p}%"),
    }
}

/// The Russian plural form for a count: `one` (1, 21…), `few` (2–4, 22–24…), `many`.
pub fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    Lang::Ru.plural(n).pick(one, few, many)
}

fn render_piece(piece: &Piece, lang: Lang) -> (String, bool, bool) {
    match piece {
        Piece::Num(v) => (number_text(v.exact_text(), lang), false, false),
        Piece::Rounded { value, places } => {
            (number_text(value.decimal(*places), lang), false, false)
        }
        Piece::Ratio { num, den } => (
            format!(
                "{}/{}",
                number_text(num.exact_text(), lang),
                number_text(den.exact_text(), lang)
            ),
            false,
            false,
        ),
        Piece::Text(t) => (t.clone(), false, false),
        Piece::Break => (String::from("\n"), true, true),
        Piece::Sym(s) => {
            let (t, l, r) = match s {
                Sym::Plus => ("+", false, false),
                Sym::Minus => ("−", false, false),
                Sym::Times => ("·", true, true),
                Sym::TimesWide => ("·", false, false),
                Sym::Divide => ("/", false, false),
                Sym::Equals => ("=", false, false),
                Sym::Approx => ("≈", false, false),
                Sym::Arrow => ("→", false, false),
                Sym::AtLeast => ("≥", false, false),
                Sym::Less => ("<", false, false),
                Sym::Open => ("(", false, true),
                Sym::Close => (")", true, false),
                Sym::Percent => ("%", true, false),
                Sym::Colon => (":", true, false),
                Sym::Semicolon => (";", true, false),
                Sym::Comma => (",", true, false),
            };
            (t.to_owned(), l, r)
        }
        Piece::Word(w) => (render_word(w, lang), false, false),
    }
}

fn pick(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn render_word(word: &Word, lang: Lang) -> String {
    match word {
        Word::Points(p) => match lang {
            Lang::Ru => {
                let unit = if p.is_integer() {
                    ru_plural(p.numer().unsigned_abs() as u64, "балл", "балла", "баллов")
                } else {
                    "балла"
                };
                format!("{} {unit}", number_text(p.exact_text(), lang))
            }
            Lang::En => {
                format!(
                    "{} {}",
                    p.exact_text(),
                    if *p == Fraction::ONE { "point" } else { "points" }
                )
            }
        },
        Word::Marks(n) => match lang {
            Lang::Ru => format!("{n} {}", ru_plural(*n, "отметка", "отметки", "отметок")),
            Lang::En => format!("{n} {}", if *n == 1 { "mark" } else { "marks" }),
        },
        Word::MarkRequires(m) => match lang {
            Lang::Ru => format!("для отметки «{m}» нужно"),
            Lang::En => format!("mark «{m}» requires"),
        },
        Word::RoundedTo(n) => match lang {
            Lang::Ru => format!(
                "округляем до {n} {}",
                ru_plural(u64::from(*n), "знака", "знаков", "знаков")
            ),
            Lang::En => format!("rounded to {n} {}", if *n == 1 { "decimal" } else { "decimals" }),
        },
        Word::Got => pick(lang, "есть", "got"),
        Word::NotMet => pick(lang, "не выполнено", "not met"),
        Word::Met => pick(lang, "выполнено", "met"),
        Word::BelowEveryThreshold => pick(lang, "ниже всех порогов", "below every threshold"),
        Word::Unreachable => pick(lang, "недостижимо", "unreachable"),
        Word::AlreadyReached => pick(lang, "уже достигнуто", "already reached"),
        Word::Of => pick(lang, "из", "of"),
        Word::Min => pick(lang, "мин.", "min"),
        Word::Max => pick(lang, "макс.", "max"),
        Word::Each => pick(lang, "каждая", "each"),
        Word::WithWeight => pick(lang, "с весом", "with weight"),
        Word::Or => pick(lang, "или", "or"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> Fraction {
        Fraction::parse(text).unwrap()
    }

    fn check(explanation: &Explanation, ru: &str, en: &str) {
        assert_eq!(explanation.render(Lang::Ru), ru);
        assert_eq!(explanation.render(Lang::En), en);
    }

    #[test]
    fn measured_figures_are_written_per_language() {
        let cases = [
            (0.255, true, "+0,26", "+0.26"),
            (-1.0, true, "−1,00", "−1.00"),
            (-0.004, true, "0,00", "0.00"),
            (2.5, false, "2,50", "2.50"),
            (-0.5, false, "−0,50", "−0.50"),
        ];
        for (value, signed, ru, en) in cases {
            assert_eq!(hundredths(value, signed, Lang::Ru), ru, "{value}");
            assert_eq!(hundredths(value, signed, Lang::En), en, "{value}");
        }
        assert_eq!(whole_percent(0.476, Lang::Ru), "48\u{a0}%");
        assert_eq!(whole_percent(1.0, Lang::En), "100%");
    }

    #[test]
    fn renders_symbols_numbers_and_results() {
        let mut e = Explanation::new(Topic::WeightedAverage);
        e.sym(Sym::Open).num(f("5")).sym(Sym::Times).num(f("3")).sym(Sym::Plus);
        e.num(f("4")).sym(Sym::Times).num(f("1.5")).sym(Sym::Close).sym(Sym::Divide);
        e.num(f("4.5")).result(f("7/3"), 2);
        check(&e, "(5·3 + 4·1,5) / 4,5 = 7/3 ≈ 2,33", "(5·3 + 4·1.5) / 4.5 = 7/3 ≈ 2.33");

        let mut exact = Explanation::new(Topic::RubricGrade);
        exact.num(f("9")).result(f("4.5"), 2);
        check(&exact, "9 = 4,5", "9 = 4.5");

        let mut rounded = Explanation::new(Topic::RubricGrade);
        rounded.num(f("1")).result(f("4.125"), 2);
        check(&rounded, "1 = 4,125 ≈ 4,13", "1 = 4.125 ≈ 4.13");
    }

    #[test]
    fn renders_words_with_plurals() {
        for (n, ru, en) in [
            ("1", "1 балл", "1 point"),
            ("2", "2 балла", "2 points"),
            ("11", "11 баллов", "11 points"),
            ("16", "16 баллов", "16 points"),
            ("21", "21 балл", "21 points"),
            ("10.5", "10,5 балла", "10.5 points"),
        ] {
            let mut e = Explanation::new(Topic::BandChoice);
            e.word(Word::Points(f(n)));
            check(&e, ru, en);
        }
        let mut e = Explanation::new(Topic::WhatIf);
        e.word(Word::Marks(3)).sym(Sym::Colon).word(Word::Unreachable).push(Piece::Break);
        e.word(Word::RoundedTo(2)).sym(Sym::Semicolon).num(f("80")).sym(Sym::Percent);
        check(
            &e,
            "3 отметки: недостижимо\nокругляем до 2 знаков; 80%",
            "3 marks: unreachable\nrounded to 2 decimals; 80%",
        );
    }

    #[test]
    fn plural_forms() {
        let forms: Vec<_> =
            [0, 1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map(|n| ru_plural(n, "a", "b", "c")).into();
        assert_eq!(forms, ["c", "a", "b", "c", "c", "c", "a", "b", "c", "a", "c"]);
    }

    #[test]
    fn explanations_round_trip_through_serde() {
        let mut e = Explanation::new(Topic::TermMark);
        e.terms.push(Term { label: "к/р".into(), value: f("4"), weight: Some(f("5")) });
        e.word(Word::MarkRequires("4".into())).push(Piece::Rounded { value: f("1/3"), places: 2 });
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Explanation>(&json).unwrap(), e);
    }
}
