//! Points → mark tables, chosen per school, with optional conditions on bands.
//!
//! A [`MarkTable`] is a list of [`Band`]s from the lowest to the highest, either by percent of the
//! maximum or by points. A table is valid only if its bands cover the whole range with no gap and
//! no overlap:
//! - **by points** (ОГЭ style «0–4 → 2, 5–10 → 3, 11–15 → 4, 16–19 → 5»): bounds are whole
//!   numbers, inclusive on both ends, the first band starts at 0, each next band starts one point
//!   after the previous one ends, and the last band ends at the table's maximum;
//! - **by percent** («< 50 → 2, 50–69 → 3, 70–89 → 4, ≥ 90 → 5» is written `0–50, 50–70, 70–90,
//!   90–100`): a band holds `from ≤ p < to` (the last one also holds 100), the first band starts
//!   at 0, each next band starts where the previous one ends, and the last one ends at 100.
//!
//! Lookup uses lower bounds only, so it is total over 0..=max: a fractional score between two
//! whole-point bands (10.5 in «5–10, 11–15») counts in the lower band — it is never rounded up.
//!
//! A band may carry [`Condition`]s («4 only if at least 1 task of part 2 is solved»). The caller
//! supplies the counts as [`Facts`]. If a condition of the band the score falls in fails, the next
//! lower band applies, and its own conditions are checked in turn; the lowest band may carry no
//! condition, so a mark is always found.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use crate::criteria::normalise;
use crate::explain::{Explanation, Piece, Sym, Topic, Word};
use crate::text::Name;

/// What a table's bounds measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Basis {
    /// Percent of the work's maximum, 0..=100.
    Percent,
    /// Points, 0..=max.
    Points {
        /// The maximum of the work the table is for.
        max: u32,
    },
}

/// A condition of a band: at least `at_least` of `counter` («задания части 2»).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// What is counted, in the school's words.
    pub counter: Name,
    /// The least count that meets the condition.
    pub at_least: u32,
}

/// One band of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// Lower bound (inclusive).
    pub from: Fraction,
    /// Upper bound (inclusive by points, exclusive by percent except for the last band).
    pub to: Fraction,
    /// The mark label (checked against the school's scale by the policy).
    pub mark: Name,
    /// Conditions that must all hold for this band to apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// Why a table was refused or a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// No bands.
    #[error("the table has no bands")]
    NoBands,
    /// The first band does not start at 0.
    #[error("the first band starts at {0}, not at 0")]
    DoesNotStartAtZero(Fraction),
    /// A band ends before it starts (or, by percent, is empty).
    #[error("band {index} runs from {from} to {to}: it is empty")]
    EmptyBand {
        /// 0-based band index.
        index: usize,
        /// Its lower bound.
        from: Fraction,
        /// Its upper bound.
        to: Fraction,
    },
    /// A by-points bound is not a whole number.
    #[error("band {index} has a bound {value} that is not a whole number of points")]
    NotWhole {
        /// 0-based band index.
        index: usize,
        /// The bound.
        value: Fraction,
    },
    /// Values between two bands belong to neither.
    #[error("gap between {after} and {before}: no band covers the values in between")]
    Gap {
        /// Where the earlier band ends.
        after: Fraction,
        /// Where the next band starts.
        before: Fraction,
    },
    /// Two bands cover the same values.
    #[error("bands overlap: one ends at {after}, the next starts at {before}")]
    Overlap {
        /// Where the earlier band ends.
        after: Fraction,
        /// Where the next band starts.
        before: Fraction,
    },
    /// The last band does not end at the top of the range.
    #[error("the last band ends at {found}, but the range ends at {expected}")]
    DoesNotCoverRange {
        /// Where the last band ends.
        found: Fraction,
        /// Where it must end (100 or the maximum points).
        expected: Fraction,
    },
    /// The lowest band has conditions, so a score could fall through every band.
    #[error("the lowest band may not have conditions")]
    LowestBandHasConditions,
    /// A by-points table with a maximum of 0.
    #[error("the maximum of a by-points table must be above 0")]
    ZeroMaximum,
    /// The score is negative or above the maximum.
    #[error("{points} points is outside 0..={max}")]
    OutOfRange {
        /// The score.
        points: Fraction,
        /// The maximum.
        max: Fraction,
    },
    /// The work's maximum differs from the by-points table's maximum.
    #[error("the table is for works out of {table} points, this one is out of {work}")]
    MaxMismatch {
        /// The table's maximum.
        table: u32,
        /// The work's maximum.
        work: Fraction,
    },
    /// A condition needs a count the caller did not give.
    #[error("the band for «{mark}» needs the count of «{counter}», which was not given")]
    MissingFact {
        /// The band's mark.
        mark: String,
        /// The missing counter.
        counter: String,
    },
}

/// Counts a condition may ask about («задания части 2» → 1), keyed by normalised name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts(BTreeMap<String, u32>);

impl Facts {
    /// No counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a count.
    pub fn with(mut self, counter: &str, count: u32) -> Self {
        self.0.insert(normalise(counter), count);
        self
    }

    /// The count for a counter, if given.
    pub fn get(&self, counter: &str) -> Option<u32> {
        self.0.get(&normalise(counter)).copied()
    }
}

/// The fields of a table before validation; also its serialised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDraft {
    /// «ОГЭ математика 2024», «Контрольная по процентам».
    pub name: Name,
    /// Percent or points.
    pub basis: Basis,
    /// Bands from the lowest to the highest.
    pub bands: Vec<Band>,
}

/// A validated points → mark table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TableDraft", into = "TableDraft")]
pub struct MarkTable(TableDraft);

/// A condition that was checked during a lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedCondition {
    /// The band's mark.
    pub mark: Name,
    /// The condition.
    pub condition: Condition,
    /// The count found in the facts.
    pub found: u32,
}

impl CheckedCondition {
    /// Whether the condition holds.
    pub fn met(&self) -> bool {
        self.found >= self.condition.at_least
    }
}

/// The result of a lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandChoice {
    /// The mark given.
    pub mark: Name,
    /// The band the score falls in by its value alone.
    pub by_score: usize,
    /// The band that applied after conditions.
    pub applied: usize,
    /// The score as a percent of the maximum.
    pub percent: Fraction,
    /// Conditions checked, in order (failed ones first, from the band the score falls in down).
    pub checked: Vec<CheckedCondition>,
}

impl MarkTable {
    /// Validates a table (see the module docs for the rules).
    pub fn new(name: Name, basis: Basis, bands: Vec<Band>) -> Result<Self, TableError> {
        Self::try_from(TableDraft { name, basis, bands })
    }

    /// The table's name.
    pub fn name(&self) -> &Name {
        &self.0.name
    }

    /// Percent or points.
    pub fn basis(&self) -> Basis {
        self.0.basis
    }

    /// Bands, lowest first.
    pub fn bands(&self) -> &[Band] {
        &self.0.bands
    }

    /// The top of the range: 100 by percent, the maximum by points.
    pub fn range_end(&self) -> Fraction {
        match self.0.basis {
            Basis::Percent => Fraction::integer(100),
            Basis::Points { max } => Fraction::from(max),
        }
    }

    /// The index of the band a value (percent or points, by the basis) falls in, by lower
    /// bounds. Total over 0..=range_end.
    pub fn band_index(&self, value: Fraction) -> Result<usize, TableError> {
        let end = self.range_end();
        if value.is_negative() || value > end {
            return Err(TableError::OutOfRange { points: value, max: end });
        }
        Ok(self.0.bands.iter().rposition(|b| b.from <= value).unwrap_or(0))
    }

    /// The mark for `points` out of `max_points`, applying the bands' conditions.
    pub fn lookup(
        &self,
        points: Fraction,
        max_points: Fraction,
        facts: &Facts,
    ) -> Result<BandChoice, TableError> {
        if points.is_negative() || points > max_points || !max_points.is_positive() {
            return Err(TableError::OutOfRange { points, max: max_points });
        }
        let percent = points
            .checked_div(max_points)
            .and_then(|r| r.checked_mul(Fraction::integer(100)))
            .ok_or(TableError::OutOfRange { points, max: max_points })?;
        let value = match self.0.basis {
            Basis::Percent => percent,
            Basis::Points { max } => {
                if Fraction::from(max) != max_points {
                    return Err(TableError::MaxMismatch { table: max, work: max_points });
                }
                points
            }
        };
        let by_score = self.band_index(value)?;
        let mut checked = Vec::new();
        let mut index = by_score;
        loop {
            let band = &self.0.bands[index];
            let mut all_met = true;
            for condition in &band.conditions {
                let found = facts.get(condition.counter.as_str()).ok_or_else(|| {
                    TableError::MissingFact {
                        mark: band.mark.to_string(),
                        counter: condition.counter.to_string(),
                    }
                })?;
                let c = CheckedCondition {
                    mark: band.mark.clone(),
                    condition: condition.clone(),
                    found,
                };
                all_met &= c.met();
                checked.push(c);
                if !all_met {
                    break;
                }
            }
            if all_met || index == 0 {
                return Ok(BandChoice {
                    mark: band.mark.clone(),
                    by_score,
                    applied: index,
                    percent,
                    checked,
                });
            }
            index -= 1;
        }
    }

    /// "16 points = 80% → mark «4» requires part 2 ≥ 1: got 0, not met → 3".
    pub fn explain(&self, points: Fraction, choice: &BandChoice) -> Explanation {
        let mut e = Explanation::new(Topic::BandChoice);
        e.word(Word::Points(points));
        if choice.percent.round_half_up(1) == choice.percent {
            e.sym(Sym::Equals).num(choice.percent);
        } else {
            e.sym(Sym::Approx).push(Piece::Rounded { value: choice.percent, places: 1 });
        }
        e.sym(Sym::Percent);
        for c in &choice.checked {
            e.sym(Sym::Arrow).word(Word::MarkRequires(c.mark.to_string()));
            e.text(c.condition.counter.as_str()).sym(Sym::AtLeast);
            e.num(Fraction::from(c.condition.at_least)).sym(Sym::Colon).word(Word::Got);
            e.num(Fraction::from(c.found)).sym(Sym::Comma);
            e.word(if c.met() { Word::Met } else { Word::NotMet });
        }
        e.sym(Sym::Arrow).text(choice.mark.as_str());
        e
    }
}

impl TryFrom<TableDraft> for MarkTable {
    type Error = TableError;
    fn try_from(draft: TableDraft) -> Result<Self, Self::Error> {
        let bands = &draft.bands;
        let first = bands.first().ok_or(TableError::NoBands)?;
        let by_points = matches!(draft.basis, Basis::Points { .. });
        if let Basis::Points { max: 0 } = draft.basis {
            return Err(TableError::ZeroMaximum);
        }
        if first.from != Fraction::ZERO {
            return Err(TableError::DoesNotStartAtZero(first.from));
        }
        if !first.conditions.is_empty() {
            return Err(TableError::LowestBandHasConditions);
        }
        for (index, band) in bands.iter().enumerate() {
            if by_points {
                for value in [band.from, band.to] {
                    if !value.is_integer() {
                        return Err(TableError::NotWhole { index, value });
                    }
                }
            }
            let empty = if by_points { band.to < band.from } else { band.to <= band.from };
            if empty {
                return Err(TableError::EmptyBand { index, from: band.from, to: band.to });
            }
        }
        for pair in bands.windows(2) {
            let (after, before) = (pair[0].to, pair[1].from);
            let expected = if by_points {
                after.checked_add(Fraction::ONE).ok_or(TableError::Gap { after, before })?
            } else {
                after
            };
            if before > expected {
                return Err(TableError::Gap { after, before });
            }
            if before < expected {
                return Err(TableError::Overlap { after, before });
            }
        }
        let last = bands[bands.len() - 1].to;
        let expected = match draft.basis {
            Basis::Percent => Fraction::integer(100),
            Basis::Points { max } => Fraction::from(max),
        };
        if last != expected {
            return Err(TableError::DoesNotCoverRange { found: last, expected });
        }
        Ok(Self(draft))
    }
}

impl From<MarkTable> for TableDraft {
    fn from(value: MarkTable) -> Self {
        value.0
    }
}

/// Builders for the tables the domain reference gives (used by tests, benches and presets).
pub mod presets {
    use super::*;

    fn band(from: i64, to: i64, mark: &str, conditions: Vec<Condition>) -> Band {
        Band {
            from: Fraction::integer(from),
            to: Fraction::integer(to),
            mark: Name::parse(mark).expect("valid label"),
            conditions,
        }
    }

    /// «< 50 % → 2, 50–69 → 3, 70–89 → 4, ≥ 90 → 5».
    pub fn percent_50_70_90() -> MarkTable {
        let bands = vec![
            band(0, 50, "2", vec![]),
            band(50, 70, "3", vec![]),
            band(70, 90, "4", vec![]),
            band(90, 100, "5", vec![]),
        ];
        MarkTable::new(Name::parse("50/70/90 %").expect("valid"), Basis::Percent, bands)
            .expect("a valid preset")
    }

    /// ОГЭ style: «0–4 → 2, 5–10 → 3, 11–15 → 4, 16–19 → 5» out of 19 points.
    pub fn oge_19() -> MarkTable {
        let bands = vec![
            band(0, 4, "2", vec![]),
            band(5, 10, "3", vec![]),
            band(11, 15, "4", vec![]),
            band(16, 19, "5", vec![]),
        ];
        MarkTable::new(Name::parse("ОГЭ 19").expect("valid"), Basis::Points { max: 19 }, bands)
            .expect("a valid preset")
    }

    /// The conditioned table of the domain reference, out of 30 points: «0–7 → 2, 8–15 → 3,
    /// 16–22 → 4 only if at least 1 task of the `counter` is solved, 23–30 → 5 only if at
    /// least 2».
    pub fn conditioned_30(counter: &str) -> MarkTable {
        let need = |n| {
            vec![Condition { counter: Name::parse(counter).expect("valid counter"), at_least: n }]
        };
        let bands = vec![
            band(0, 7, "2", vec![]),
            band(8, 15, "3", vec![]),
            band(16, 22, "4", need(1)),
            band(23, 30, "5", need(2)),
        ];
        MarkTable::new(
            Name::parse("30 с условиями").expect("valid"),
            Basis::Points { max: 30 },
            bands,
        )
        .expect("a valid preset")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::presets::*;
    use super::*;
    use crate::explain::Lang;

    fn f(t: &str) -> Fraction {
        Fraction::parse(t).unwrap()
    }

    fn check(
        table: &MarkTable,
        points: &str,
        max: &str,
        facts: &Facts,
        expected: Result<&str, TableError>,
    ) {
        let got = table.lookup(f(points), f(max), facts);
        assert_eq!(
            got.map(|c| c.mark.to_string()).as_deref().map_err(Clone::clone),
            expected,
            "{points}/{max}"
        );
    }

    #[test]
    fn percent_table() {
        let t = percent_50_70_90();
        let none = Facts::new();
        for (points, max, mark) in [
            ("0", "20", "2"),
            ("9", "20", "2"),
            ("9.9", "20", "2"),
            ("10", "20", "3"),
            ("13.9", "20", "3"),
            ("14", "20", "4"),
            ("17", "20", "4"),
            ("18", "20", "5"),
            ("20", "20", "5"),
            ("69", "100", "3"),
            ("69.99", "100", "3"),
            ("70", "100", "4"),
            ("89", "100", "4"),
            ("90", "100", "5"),
        ] {
            check(&t, points, max, &none, Ok(mark));
        }
        check(&t, "21", "20", &none, Err(TableError::OutOfRange { points: f("21"), max: f("20") }));
        check(&t, "-1", "20", &none, Err(TableError::OutOfRange { points: f("-1"), max: f("20") }));
        check(&t, "0", "0", &none, Err(TableError::OutOfRange { points: f("0"), max: f("0") }));
    }

    #[test]
    fn oge_table() {
        let t = oge_19();
        let none = Facts::new();
        let expected = [
            "2", "2", "2", "2", "2", "3", "3", "3", "3", "3", "3", "4", "4", "4", "4", "4", "5",
            "5", "5", "5",
        ];
        for (points, mark) in expected.iter().enumerate() {
            check(&t, &points.to_string(), "19", &none, Ok(mark));
        }
        check(&t, "10.5", "19", &none, Ok("3"));
        check(&t, "15", "20", &none, Err(TableError::MaxMismatch { table: 19, work: f("20") }));
    }

    #[test]
    fn conditions_fall_to_the_next_lower_band() {
        let t = conditioned_30("задания части 2");
        let solved = |n| Facts::new().with("Задания  части 2", n);
        for (points, part2, mark) in [
            ("7", 0, "2"),
            ("15", 0, "3"),
            ("16", 1, "4"),
            ("16", 0, "3"),
            ("22", 0, "3"),
            ("23", 2, "5"),
            ("30", 1, "4"),
            ("25", 0, "3"),
            ("30", 5, "5"),
        ] {
            check(&t, points, "30", &solved(part2), Ok(mark));
        }
        check(
            &t,
            "20",
            "30",
            &Facts::new(),
            Err(TableError::MissingFact {
                mark: "4".into(), counter: "задания части 2".into()
            }),
        );
        check(&t, "10", "30", &Facts::new(), Ok("3"));
    }

    #[test]
    fn band_choice_is_explained() {
        let t = conditioned_30("задания части 2");
        let choice = t.lookup(f("24"), f("30"), &Facts::new().with("задания части 2", 0)).unwrap();
        assert_eq!((choice.by_score, choice.applied), (3, 1));
        let e = t.explain(f("24"), &choice);
        assert_eq!(
            e.render(Lang::En),
            "24 points = 80% → mark «5» requires задания части 2 ≥ 2: got 0, not met \
             → mark «4» requires задания части 2 ≥ 1: got 0, not met → 3"
        );
        assert_eq!(
            e.render(Lang::Ru),
            "24 балла = 80% → для отметки «5» нужно задания части 2 ≥ 2: есть 0, не выполнено \
             → для отметки «4» нужно задания части 2 ≥ 1: есть 0, не выполнено → 3"
        );
        let oge = oge_19();
        let choice = oge.lookup(f("16"), f("19"), &Facts::new()).unwrap();
        assert_eq!(oge.explain(f("16"), &choice).render(Lang::Ru), "16 баллов ≈ 84,2% → 5");
    }

    fn draft_band(from: &str, to: &str, mark: &str) -> Band {
        Band { from: f(from), to: f(to), mark: Name::parse(mark).unwrap(), conditions: vec![] }
    }

    fn check_valid(basis: Basis, bands: &[(&str, &str)], expected: Result<(), TableError>) {
        let bands =
            bands.iter().enumerate().map(|(i, (a, b))| draft_band(a, b, &i.to_string())).collect();
        let got = MarkTable::new(Name::parse("t").unwrap(), basis, bands).map(|_| ());
        assert_eq!(got, expected);
    }

    #[test]
    fn validation() {
        let pts = Basis::Points { max: 19 };
        let pct = Basis::Percent;
        check_valid(pts, &[("0", "4"), ("5", "19")], Ok(()));
        check_valid(pts, &[], Err(TableError::NoBands));
        check_valid(pts, &[("1", "4"), ("5", "19")], Err(TableError::DoesNotStartAtZero(f("1"))));
        check_valid(
            pts,
            &[("0", "4"), ("6", "19")],
            Err(TableError::Gap { after: f("4"), before: f("6") }),
        );
        check_valid(
            pts,
            &[("0", "4"), ("4", "19")],
            Err(TableError::Overlap { after: f("4"), before: f("4") }),
        );
        check_valid(
            pts,
            &[("0", "4"), ("5", "18")],
            Err(TableError::DoesNotCoverRange { found: f("18"), expected: f("19") }),
        );
        check_valid(
            pts,
            &[("0", "4.5"), ("5", "19")],
            Err(TableError::NotWhole { index: 0, value: f("4.5") }),
        );
        check_valid(
            pts,
            &[("0", "4"), ("5", "4"), ("5", "19")],
            Err(TableError::EmptyBand { index: 1, from: f("5"), to: f("4") }),
        );
        check_valid(Basis::Points { max: 0 }, &[("0", "0")], Err(TableError::ZeroMaximum));
        check_valid(pct, &[("0", "50"), ("50", "100")], Ok(()));
        check_valid(
            pct,
            &[("0", "49"), ("50", "100")],
            Err(TableError::Gap { after: f("49"), before: f("50") }),
        );
        check_valid(
            pct,
            &[("0", "50"), ("49.5", "100")],
            Err(TableError::Overlap { after: f("50"), before: f("49.5") }),
        );
        check_valid(
            pct,
            &[("0", "50"), ("50", "50"), ("50", "100")],
            Err(TableError::EmptyBand { index: 1, from: f("50"), to: f("50") }),
        );
        check_valid(
            pct,
            &[("0", "50"), ("50", "99")],
            Err(TableError::DoesNotCoverRange { found: f("99"), expected: f("100") }),
        );
        let mut conditioned = conditioned_30("x").bands().to_vec();
        conditioned[0].conditions = conditioned[3].conditions.clone();
        assert_eq!(
            MarkTable::new(Name::parse("t").unwrap(), Basis::Points { max: 30 }, conditioned),
            Err(TableError::LowestBandHasConditions)
        );
    }

    proptest! {
        #[test]
        fn lookup_is_total_over_the_range(num in 0i128..=1900, den in 1i128..=100) {
            // Any score 0..=19 (fractional too) finds a band; by percent any 0..=max too.
            let points = Fraction::new(num, 100).unwrap();
            let oge = oge_19();
            let choice = oge.lookup(points, Fraction::integer(19), &Facts::new()).unwrap();
            prop_assert!(oge.bands()[choice.applied].from <= points);
            if let Some(next) = oge.bands().get(choice.applied + 1) {
                prop_assert!(points < next.from);
            }
            let max = Fraction::new(den, 1).unwrap();
            let scaled = Fraction::new(num * den, 1900).unwrap();
            let table = percent_50_70_90();
            let pct = table.lookup(scaled, max, &Facts::new()).unwrap();
            let band = &table.bands()[pct.applied];
            prop_assert!(band.from <= pct.percent);
            prop_assert!(pct.percent < band.to || band.to == Fraction::integer(100));
        }

        #[test]
        fn conditioned_lookup_is_total_and_never_raises(points in 0u32..=30, part2 in 0u32..4) {
            let t = conditioned_30("часть 2");
            let choice = t.lookup(Fraction::from(points), Fraction::integer(30), &Facts::new().with("часть 2", part2)).unwrap();
            prop_assert!(choice.applied <= choice.by_score);
        }

        #[test]
        fn tables_round_trip(which in 0usize..3) {
            let t = [percent_50_70_90(), oge_19(), conditioned_30("часть 2")][which].clone();
            let json = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(serde_json::from_str::<MarkTable>(&json).unwrap(), t);
        }
    }
}
