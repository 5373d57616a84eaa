//! Normalisation of labels and linking phrases before matching, and the teacher's synonym list.
//!
//! Students word the same concept differently («Фотосинтез.», «фото-синтез», «ФОТОСИНТЕЗ»), so
//! every label and linking phrase is brought to a *key* before anything is compared:
//!
//! 1. lower case; `ё` → `е` (also the decomposed form `е` + U+0308), decomposed `и` + U+0306 → `й`,
//!    other combining marks (U+0300..=U+036F) are dropped;
//! 2. letters and digits are kept; a hyphen (`-`, U+2010, U+2011) is kept only *inside a word*
//!    (a letter or digit on both sides) and written as `-`; every other character (punctuation,
//!    symbols, white space, dashes between words) separates words;
//! 3. words are joined by one space (so the key is trimmed and has no double spaces);
//! 4. the whole key is looked up in the teacher's [`Synonyms`] (variant → canonical); a variant is
//!    replaced by its canonical form.
//!
//! [`Synonyms::normalise`] is idempotent: normalising a key gives the same key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Steps 1–3 of the normalisation (no synonyms): case, ё, punctuation, spaces.
pub fn normalise_text(raw: &str) -> String {
    // Lower-case and resolve combining marks first, so step 2 sees only final characters.
    let mut chars: Vec<char> = Vec::with_capacity(raw.len());
    for l in raw.chars().flat_map(crate::text::fold_char) {
        match l {
            '\u{0306}' if chars.last() == Some(&'и') => {
                chars.pop();
                chars.push('й');
            }
            '\u{0300}'..='\u{036f}' => {}
            _ => chars.push(l),
        }
    }
    let is_word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for (i, c) in chars.iter().enumerate() {
        let keep = if c.is_alphanumeric() {
            Some(*c)
        } else if matches!(c, '-' | '\u{2010}' | '\u{2011}')
            && i > 0
            && is_word(chars.get(i - 1))
            && is_word(chars.get(i + 1))
        {
            Some('-')
        } else {
            None
        };
        match keep {
            Some(k) => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(k);
            }
            None => pending_space = true,
        }
    }
    out
}

/// Why a synonym list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SynonymError {
    /// A variant or canonical form has no letters or digits.
    #[error("the synonym entry «{variant}» → «{canonical}» has an empty side after normalisation")]
    Empty {
        /// The variant as written.
        variant: String,
        /// The canonical form as written.
        canonical: String,
    },
    /// The same variant is mapped to two different canonical forms.
    #[error("«{variant}» is mapped both to «{first}» and to «{second}»")]
    Conflict {
        /// The normalised variant.
        variant: String,
        /// One canonical form.
        first: String,
        /// The other canonical form.
        second: String,
    },
    /// Following the list from a variant comes back to it.
    #[error("the synonym list loops through «{variant}»")]
    Cycle {
        /// A normalised variant on the loop.
        variant: String,
    },
}

/// The teacher's synonym list: normalised variant → normalised canonical form.
///
/// Chains (`a → b`, `b → c`) are resolved when the list is built, so every stored canonical form
/// is final; entries whose two sides normalise to the same key are dropped; loops and conflicting
/// entries are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<String, String>", into = "BTreeMap<String, String>")]
pub struct Synonyms {
    map: BTreeMap<String, String>,
}

impl Synonyms {
    /// No synonyms: only steps 1–3 of the normalisation apply.
    pub fn none() -> Self {
        Self::default()
    }

    /// Builds the list from pairs (variant, canonical) as the teacher typed them.
    pub fn new<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, SynonymError> {
        let mut raw: BTreeMap<String, String> = BTreeMap::new();
        for (variant, canonical) in pairs {
            let v = normalise_text(variant);
            let c = normalise_text(canonical);
            if v.is_empty() || c.is_empty() {
                return Err(SynonymError::Empty {
                    variant: variant.to_owned(),
                    canonical: canonical.to_owned(),
                });
            }
            if v == c {
                continue;
            }
            if let Some(previous) = raw.get(&v)
                && *previous != c
            {
                return Err(SynonymError::Conflict {
                    variant: v,
                    first: previous.clone(),
                    second: c,
                });
            }
            raw.insert(v, c);
        }
        let mut map = BTreeMap::new();
        for variant in raw.keys() {
            let mut target = &raw[variant];
            let mut steps = 0;
            while let Some(next) = raw.get(target) {
                steps += 1;
                if next == variant || steps > raw.len() {
                    return Err(SynonymError::Cycle { variant: variant.clone() });
                }
                target = next;
            }
            map.insert(variant.clone(), target.clone());
        }
        Ok(Self { map })
    }

    /// Number of (resolved) entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The full normalisation (steps 1–4): the key used for matching.
    pub fn normalise(&self, raw: &str) -> String {
        let key = normalise_text(raw);
        match self.map.get(&key) {
            Some(canonical) => canonical.clone(),
            None => key,
        }
    }

    /// The resolved entries: normalised variant → normalised canonical form.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl TryFrom<BTreeMap<String, String>> for Synonyms {
    type Error = SynonymError;
    fn try_from(value: BTreeMap<String, String>) -> Result<Self, Self::Error> {
        Self::new(value.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

impl From<Synonyms> for BTreeMap<String, String> {
    fn from(value: Synonyms) -> Self {
        value.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(raw: &str, expected: &str) {
        assert_eq!(normalise_text(raw), expected, "normalising {raw:?}");
    }

    #[test]
    fn normalises_text() {
        check("  Фотосинтез. ", "фотосинтез");
        check("ЁЖ", "еж");
        check("е\u{0308}лка", "елка");
        check("и\u{0306}од", "йод");
        check("Фото-синтез", "фото-синтез");
        check("фото - синтез", "фото синтез");
        check("-приставка-", "приставка");
        check("кошка,собака", "кошка собака");
        check("растения/животные", "растения животные");
        check("«Круговорот   воды»!!!", "круговорот воды");
        check("H2O (вода)", "h2o вода");
        check("Москва–Петербург", "москва петербург");
        check("северо\u{2011}запад", "северо-запад");
        check("!!!", "");
        check("", "");
    }

    fn check_synonyms(pairs: &[(&str, &str)], input: &str, expected: Result<&str, SynonymError>) {
        let got = Synonyms::new(pairs.iter().copied()).map(|s| s.normalise(input));
        assert_eq!(got, expected.map(str::to_owned));
    }

    #[test]
    fn applies_synonyms() {
        check_synonyms(&[("Растение", "растения")], "РАСТЕНИЕ.", Ok("растения"));
        check_synonyms(&[("хлорофилл", "хлорофил")], "Хлорофилл", Ok("хлорофил"));
        check_synonyms(&[("a", "b"), ("b", "c")], "a", Ok("c"));
        check_synonyms(&[("a", "b"), ("b", "c")], "b", Ok("c"));
        check_synonyms(&[("ёж", "Еж")], "ёж", Ok("еж"));
        check_synonyms(&[("вода", "h2o")], "вода и соль", Ok("вода и соль"));
        check_synonyms(
            &[("a", "b"), ("b", "a")],
            "a",
            Err(SynonymError::Cycle { variant: "a".into() }),
        );
        check_synonyms(
            &[("a", "b"), ("A!", "c")],
            "a",
            Err(SynonymError::Conflict {
                variant: "a".into(),
                first: "b".into(),
                second: "c".into(),
            }),
        );
        check_synonyms(
            &[("...", "b")],
            "a",
            Err(SynonymError::Empty { variant: "...".into(), canonical: "b".into() }),
        );
    }

    #[test]
    fn synonyms_round_trip_through_json() {
        let s = Synonyms::new([("a", "b"), ("b", "c"), ("Ёлка", "ель")]).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"a":"c","b":"c","елка":"ель"}"#);
        assert_eq!(serde_json::from_str::<Synonyms>(&json).unwrap(), s);
        assert!(serde_json::from_str::<Synonyms>(r#"{"a":"b","b":"a"}"#).is_err());
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(raw in "\\PC{0,30}") {
            let once = normalise_text(&raw);
            prop_assert_eq!(normalise_text(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn normalisation_with_synonyms_is_idempotent(
            raw in "[а-яёА-ЯЁa-c ,.-]{0,12}",
            pairs in proptest::collection::vec(("[а-яa-c]{1,3}", "[а-яa-c]{1,3}"), 0..6),
        ) {
            if let Ok(s) = Synonyms::new(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))) {
                let once = s.normalise(&raw);
                prop_assert_eq!(s.normalise(&once), once);
            }
        }
    }
}
