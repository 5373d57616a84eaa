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
}
