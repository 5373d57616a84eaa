//! Peer feedback «две звезды и пожелание»: who reviews whom, and the checks one review passes
//! before it becomes a response.
//!
//! The teacher pairs the class ([`PeerPairs`]: a reviewer reviews one classmate's work, never
//! their own); a reviewer writes two stars and a wish, and [`feedback`] checks their count and
//! length and gives the [`Response`] a `LiveRun` of
//! [`Technique::TwoStarsAndAWish`](crate::technique::Technique::TwoStarsAndAWish) takes, with
//! source `Peer` and the reviewed classmate as the student. Neighbours: `technique` (the
//! response and its `accept`), `live` (where the response becomes a record).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::StudentId;
use crate::technique::Response;

/// The fewest characters a star or a wish may have (after trimming): «ок» says nothing.
pub const MIN_FEEDBACK_CHARS: usize = 3;
/// The most characters a star or a wish may have.
pub const MAX_FEEDBACK_CHARS: usize = 300;
/// How many stars a review has.
pub const STARS: usize = 2;

/// Which part of a review a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A star, 1-based.
    Star(usize),
    /// The wish.
    Wish,
}

/// Why a review or a pairing was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// Not exactly two stars.
    #[error("a review has {got} stars; it needs {expected}")]
    StarCount {
        /// Stars given.
        got: usize,
        /// Stars needed.
        expected: usize,
    },
    /// A star or the wish is shorter than [`MIN_FEEDBACK_CHARS`].
    #[error("{part:?} has {len} characters; it needs at least {min}")]
    TooShort {
        /// Where.
        part: Part,
        /// Its length after trimming.
        len: usize,
        /// The fewest allowed.
        min: usize,
    },
    /// A star or the wish is longer than [`MAX_FEEDBACK_CHARS`].
    #[error("{part:?} has {len} characters; at most {max} are allowed")]
    TooLong {
        /// Where.
        part: Part,
        /// Its length after trimming.
        len: usize,
        /// The most allowed.
        max: usize,
    },
    /// A student paired with their own work.
    #[error("student {0} cannot review their own work")]
    SelfReview(StudentId),
}

fn part_ok(part: Part, text: &str) -> Result<String, PeerError> {
    let text = text.trim();
    let len = text.chars().count();
    if len < MIN_FEEDBACK_CHARS {
        Err(PeerError::TooShort { part, len, min: MIN_FEEDBACK_CHARS })
    } else if len > MAX_FEEDBACK_CHARS {
        Err(PeerError::TooLong { part, len, max: MAX_FEEDBACK_CHARS })
    } else {
        Ok(text.to_owned())
    }
}

/// Checks a review — exactly [`STARS`] stars and a wish, each of [`MIN_FEEDBACK_CHARS`] to
/// [`MAX_FEEDBACK_CHARS`] characters once trimmed — and gives its response (trimmed texts).
/// The first problem, stars first, is the one reported.
pub fn feedback<S: AsRef<str>>(stars: &[S], wish: &str) -> Result<Response, PeerError> {
    let [first, second] = stars else {
        return Err(PeerError::StarCount { got: stars.len(), expected: STARS });
    };
    let first = part_ok(Part::Star(1), first.as_ref())?;
    let second = part_ok(Part::Star(2), second.as_ref())?;
    let wish = part_ok(Part::Wish, wish)?;
    Ok(Response::TwoStarsAndAWish { stars: [first, second], wish })
}

/// Who reviews whom: each reviewer reviews one classmate's work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<(StudentId, StudentId)>", into = "Vec<(StudentId, StudentId)>")]
pub struct PeerPairs(BTreeMap<StudentId, StudentId>);

impl PeerPairs {
    /// The pairs `(reviewer, reviewed)`; a later pair of the same reviewer replaces an earlier
    /// one; a student paired with themself is refused.
    pub fn new(pairs: impl IntoIterator<Item = (StudentId, StudentId)>) -> Result<Self, PeerError> {
        let mut map = BTreeMap::new();
        for (reviewer, reviewed) in pairs {
            if reviewer == reviewed {
                return Err(PeerError::SelfReview(reviewer));
            }
            map.insert(reviewer, reviewed);
        }
        Ok(Self(map))
    }

    /// Each student reviews the next one in the given order, the last one the first (no one
    /// reviews themself when there are two or more students; fewer give no pairs).
    pub fn in_turn(students: &[StudentId]) -> Self {
        if students.len() < 2 {
            return Self::default();
        }
        let next = students.iter().cycle().skip(1);
        Self(students.iter().copied().zip(next.copied()).collect())
    }

    /// Whose work `reviewer` reviews.
    pub fn reviewed_by(&self, reviewer: StudentId) -> Option<StudentId> {
        self.0.get(&reviewer).copied()
    }

    /// Every pair `(reviewer, reviewed)`, by reviewer.
    pub fn pairs(&self) -> impl Iterator<Item = (StudentId, StudentId)> + '_ {
        self.0.iter().map(|(a, b)| (*a, *b))
    }

    /// The same pairs with one reviewer's changed (`None`: that reviewer reviews no one).
    pub fn with(
        &self,
        reviewer: StudentId,
        reviewed: Option<StudentId>,
    ) -> Result<Self, PeerError> {
        let mut map = self.0.clone();
        match reviewed {
            Some(r) if r == reviewer => return Err(PeerError::SelfReview(reviewer)),
            Some(r) => map.insert(reviewer, r),
            None => map.remove(&reviewer),
        };
        Ok(Self(map))
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<Vec<(StudentId, StudentId)>> for PeerPairs {
    type Error = PeerError;
    fn try_from(pairs: Vec<(StudentId, StudentId)>) -> Result<Self, Self::Error> {
        Self::new(pairs)
    }
}

impl From<PeerPairs> for Vec<(StudentId, StudentId)> {
    fn from(pairs: PeerPairs) -> Self {
        pairs.0.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::technique::Technique;
    use proptest::prelude::*;

    fn s(n: u128) -> StudentId {
        StudentId::from_u128(0x500 + n)
    }

    #[test]
    fn reviews_are_checked_for_count_and_length() {
        fn check(stars: &[&str], wish: &str, expected: Result<(), PeerError>) {
            assert_eq!(feedback(stars, wish).map(drop), expected, "{stars:?} {wish:?}");
        }
        let long = "я".repeat(MAX_FEEDBACK_CHARS + 1);
        check(&["понятный план", "крупный шрифт"], "добавь пример", Ok(()));
        check(
            &["понятный план"],
            "добавь пример",
            Err(PeerError::StarCount { got: 1, expected: 2 }),
        );
        check(&["a1c", "b2c", "c3c"], "добавь", Err(PeerError::StarCount { got: 3, expected: 2 }));
        check(
            &["ок", "крупный шрифт"],
            "добавь пример",
            Err(PeerError::TooShort { part: Part::Star(1), len: 2, min: 3 }),
        );
        check(
            &["понятный план", "   "],
            "добавь пример",
            Err(PeerError::TooShort { part: Part::Star(2), len: 0, min: 3 }),
        );
        check(
            &["понятный план", "крупный шрифт"],
            &long,
            Err(PeerError::TooLong { part: Part::Wish, len: MAX_FEEDBACK_CHARS + 1, max: 300 }),
        );
        // Trimmed before counting and in the response.
        assert_eq!(
            feedback(&["  abc ", "def"], " ghi "),
            Ok(Response::TwoStarsAndAWish {
                stars: ["abc".into(), "def".into()],
                wish: "ghi".into()
            })
        );
    }

    #[test]
    fn pairs_refuse_self_review() {
        assert_eq!(PeerPairs::new([(s(1), s(1))]), Err(PeerError::SelfReview(s(1))));
        let pairs = PeerPairs::new([(s(1), s(2)), (s(2), s(3))]).unwrap();
        assert_eq!(pairs.reviewed_by(s(2)), Some(s(3)));
        assert_eq!(pairs.reviewed_by(s(3)), None);
        assert_eq!(pairs.with(s(3), Some(s(3))), Err(PeerError::SelfReview(s(3))));
        let changed = pairs.with(s(1), None).unwrap();
        assert_eq!(changed.reviewed_by(s(1)), None);
        let json = serde_json::to_string(&pairs).unwrap();
        assert_eq!(serde_json::from_str::<PeerPairs>(&json).unwrap(), pairs);
        let own = serde_json::to_string(&vec![(s(4), s(4))]).unwrap();
        assert!(serde_json::from_str::<PeerPairs>(&own).is_err());
        assert!(PeerPairs::in_turn(&[s(1)]).is_empty());
    }

    proptest! {
        #[test]
        fn in_turn_pairs_everyone_with_someone_else(n in 2u128..40) {
            let students: Vec<StudentId> = (0..n).map(s).collect();
            let pairs = PeerPairs::in_turn(&students);
            let mut reviewed: Vec<StudentId> = Vec::new();
            for st in &students {
                let r = pairs.reviewed_by(*st).expect("everyone reviews");
                prop_assert_ne!(r, *st);
                reviewed.push(r);
            }
            reviewed.sort();
            prop_assert_eq!(reviewed, students, "everyone is reviewed once");
        }

        #[test]
        fn accepted_reviews_fit_the_technique(a in "\\PC{3,40}", b in "\\PC{3,40}", w in "\\PC{3,40}") {
            if let Ok(response) = feedback(&[&a, &b], &w) {
                prop_assert!(Technique::TwoStarsAndAWish.accept(&response).is_ok());
            }
        }
    }
}
