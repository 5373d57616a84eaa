//! Validated short texts: names, labels, titles.
//!
//! A [`Name`] is trimmed, has its inner runs of white space folded to one space, is not empty
//! and is at most [`Name::MAX_CHARS`] characters. Everything a person types as a name or a label
//! passes through it, so the rest of core never sees `"  "` or a 10 MB title.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language Lesenka speaks: Russian first, English second. Core uses it for built-in wording
/// (ladder presets, explanations); the app has its own translations for the interface.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Русский (the default).
    #[default]
    Ru,
    /// English.
    En,
}

impl Lang {
    /// The plural form a count takes in this language (CLDR's rules for whole numbers):
    /// Russian `one` for 1, 21, 101…, `few` for 2–4, 22–24…, `many` for 0, 5–20, 25…;
    /// English `one` for 1 and `many` ("other") for the rest.
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Lang::Ru => {
                let (d10, d100) = (n % 10, n % 100);
                if d10 == 1 && d100 != 11 {
                    Plural::One
                } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
                    Plural::Few
                } else {
                    Plural::Many
                }
            }
            Lang::En if n == 1 => Plural::One,
            Lang::En => Plural::Many,
        }
    }
}

/// A plural form: «1 ученик», «2 ученика», «5 учеников».
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    /// «ученик», "student".
    One,
    /// «ученика» (Russian only).
    Few,
    /// «учеников», "students".
    Many,
}

impl Plural {
    /// Picks the word of this form.
    pub fn pick<'a>(self, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
        match self {
            Plural::One => one,
            Plural::Few => few,
            Plural::Many => many,
        }
    }
}

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but white space.
    #[error("the text is empty")]
    Empty,
    /// Longer than allowed.
    #[error("the text is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Characters after folding white space.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// A trimmed, non-empty, single-line text of bounded length.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// The most characters a name may have.
    pub const MAX_CHARS: usize = 500;

    /// Parses a name: folds white space, refuses empty and over-long texts.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        Self::parse_with_limit(raw, Self::MAX_CHARS)
    }

    /// Parses with a tighter (or looser) character limit.
    pub fn parse_with_limit(raw: &str, max: usize) -> Result<Self, TextError> {
        let folded = fold_spaces(raw);
        if folded.is_empty() {
            return Err(TextError::Empty);
        }
        let len = folded.chars().count();
        if len > max {
            return Err(TextError::TooLong { len, max });
        }
        Ok(Self(folded))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims and folds every run of white space (tabs, non-breaking spaces, newlines) into one space.
pub fn fold_spaces(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The one key every comparison of typed text goes through: lower case, «ё» read as «е», white
/// space trimmed and folded to single spaces. «  Ёлка\u{a0} Иванова» and «елка иванова» have the
/// same key. Idempotent: the key of a key is itself.
pub fn fold_key(raw: &str) -> String {
    fold_spaces(&fold_case(raw))
}

/// [`fold_key`] without the white space: every character in lower case with «ё» read as «е»,
/// spaces left as they are (for readers that split or search the text themselves).
pub fn fold_case(raw: &str) -> String {
    raw.chars().flat_map(fold_char).collect()
}

/// One character's share of [`fold_key`]: its lower case, with «ё» (and «Ё») read as «е». The
/// only place the case and «ё» rule is written; readers that also fold punctuation or split
/// words (criteria matching, concept-map keys, plan words) build on it.
pub fn fold_char(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|l| if l == 'ё' { 'е' } else { l })
}

impl Name {
    /// This name's [`fold_key`]: what two names are compared by.
    pub fn key(&self) -> String {
        fold_key(&self.0)
    }
}

impl TryFrom<String> for Name {
    type Error = TextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Name> for String {
    fn from(value: Name) -> Self {
        value.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Result<&str, TextError>) {
        assert_eq!(Name::parse(raw).as_ref().map(Name::as_str), expected.as_ref().map(|s| *s));
    }

    #[test]
    fn names() {
        check("  Иванова   Мария\u{a0}", Ok("Иванова Мария"));
        check("5А", Ok("5А"));
        check(" \t\n", Err(TextError::Empty));
        check(&"я".repeat(501), Err(TextError::TooLong { len: 501, max: 500 }));
    }

    #[test]
    fn deserialising_validates() {
        assert!(serde_json::from_str::<Name>("\"   \"").is_err());
        assert_eq!(serde_json::from_str::<Name>("\" a  b \"").unwrap().as_str(), "a b");
    }

    fn check_plural(lang: Lang, counts: &[u64], expected: Plural) {
        for &n in counts {
            assert_eq!(lang.plural(n), expected, "{lang:?} {n}");
        }
    }

    #[test]
    fn plural_forms() {
        check_plural(Lang::Ru, &[1, 21, 101, 1001, 31], Plural::One);
        check_plural(Lang::Ru, &[2, 3, 4, 22, 34, 102, 1004], Plural::Few);
        check_plural(Lang::Ru, &[0, 5, 11, 12, 14, 19, 20, 25, 100, 111, 112, 1000], Plural::Many);
        check_plural(Lang::En, &[1], Plural::One);
        check_plural(Lang::En, &[0, 2, 3, 11, 21, 101], Plural::Many);
        assert_eq!(Lang::Ru.plural(22).pick("ученик", "ученика", "учеников"), "ученика");
    }

    #[test]
    fn fold_keys() {
        fn check(raw: &str, expected: &str) {
            assert_eq!(fold_key(raw), expected, "{raw:?}");
        }
        check("  Ёлка\u{a0} ИВАНОВА ", "елка иванова");
        check("Всё\tпонял", "все понял");
        check("", "");
        check("5А", "5а");
        assert_eq!(fold_case(" Ёж  ЁЛКА\t"), " еж  елка\t");
        assert_eq!(fold_char('Ё').collect::<String>(), "е");
        assert_eq!(fold_char('İ').collect::<String>(), "i\u{307}");
    }

    proptest::proptest! {
        #[test]
        fn fold_key_is_idempotent(raw in "\\PC{0,40}") {
            let once = fold_key(&raw);
            proptest::prop_assert_eq!(fold_key(&once), once);
        }

        #[test]
        fn russian_form_depends_on_the_last_two_digits(n in 0u64..1_000_000_000) {
            proptest::prop_assert_eq!(Lang::Ru.plural(n), Lang::Ru.plural(n % 100));
        }
    }
}
