//! Start-vs-end comparison of a cohort on the same questionnaire (September vs May).
//!
//! Each wave is summarised on its own (every respondent of that wave): respondents, count and
//! share of each band, mean total. Then respondents present in both waves are paired: the mean
//! change of their total (end − start), and how many moved up a band, down a band, or stayed.
//! Respondents in only one wave are listed and not paired.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AnswerError, AnswerSheet, Questionnaire};
use crate::ids::StudentId;

/// Which wave a sheet belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wave {
    /// The first wave (e.g. September).
    Start,
    /// The second wave (e.g. May).
    End,
}

/// Why two waves could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CohortError {
    /// A sheet could not be scored.
    #[error("{wave:?} wave, respondent {respondent}: {error}")]
    Sheet {
        /// The wave.
        wave: Wave,
        /// Whose sheet.
        respondent: StudentId,
        /// Why.
        error: AnswerError,
    },
    /// A respondent has two sheets in one wave.
    #[error("{wave:?} wave: respondent {respondent} has more than one sheet")]
    DuplicateRespondent {
        /// The wave.
        wave: Wave,
        /// Who.
        respondent: StudentId,
    },
}

/// How many respondents of a wave fall into one band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandCount {
    /// The band's code.
    pub code: String,
    /// The band's label.
    pub label: String,
    /// Respondents in the band.
    pub count: u32,
    /// count ÷ respondents of the wave (0 when the wave is empty).
    pub share: f64,
}

/// One wave on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveSummary {
    /// Respondents in the wave.
    pub respondents: u32,
    /// Per band, from the lowest totals to the highest.
    pub bands: Vec<BandCount>,
    /// Mean total (None when the wave is empty).
    pub mean_total: Option<f64>,
}

/// One respondent present in both waves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RespondentChange {
    /// Who.
    pub respondent: StudentId,
    /// Total at the start.
    pub start_total: u32,
    /// Total at the end.
    pub end_total: u32,
    /// Band index at the start.
    pub start_band: usize,
    /// Band index at the end.
    pub end_band: usize,
}

impl RespondentChange {
    /// end − start.
    pub fn change(&self) -> i64 {
        i64::from(self.end_total) - i64::from(self.start_total)
    }
}

/// The respondents present in both waves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedChange {
    /// Respondents in both waves.
    pub pairs: u32,
    /// Mean of (end total − start total) over pairs (None without pairs).
    pub mean_change: Option<f64>,
    /// Pairs whose band went up.
    pub moved_up: u32,
    /// Pairs whose band went down.
    pub moved_down: u32,
    /// Pairs in the same band.
    pub stayed: u32,
    /// Each pair, ordered by respondent id.
    pub changes: Vec<RespondentChange>,
}

/// The comparison of two waves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveComparison {
    /// The first wave.
    pub start: WaveSummary,
    /// The second wave.
    pub end: WaveSummary,
    /// Respondents present in both.
    pub paired: PairedChange,
    /// Respondents only in the first wave.
    pub only_start: Vec<StudentId>,
    /// Respondents only in the second wave.
    pub only_end: Vec<StudentId>,
}

fn score_wave(
    q: &Questionnaire,
    wave: Wave,
    sheets: &[AnswerSheet],
) -> Result<BTreeMap<StudentId, super::Score>, CohortError> {
    let mut scored = BTreeMap::new();
    for sheet in sheets {
        let score = q.score(&sheet.answers).map_err(|error| CohortError::Sheet {
            wave,
            respondent: sheet.respondent,
            error,
        })?;
        if scored.insert(sheet.respondent, score).is_some() {
            return Err(CohortError::DuplicateRespondent { wave, respondent: sheet.respondent });
        }
    }
    Ok(scored)
}

fn summary(q: &Questionnaire, scored: &BTreeMap<StudentId, super::Score>) -> WaveSummary {
    let n = u32::try_from(scored.len()).unwrap_or(u32::MAX);
    let mut counts = vec![0u32; q.bands().len()];
    for s in scored.values() {
        if let Some(c) = counts.get_mut(s.band) {
            *c += 1;
        }
    }
    let bands = q
        .bands()
        .iter()
        .zip(counts)
        .map(|(b, count)| BandCount {
            code: b.code.to_string(),
            label: b.label.to_string(),
            count,
            share: if n == 0 { 0.0 } else { f64::from(count) / f64::from(n) },
        })
        .collect();
    let sum: f64 = scored.values().map(|s| f64::from(s.total)).sum();
    WaveSummary { respondents: n, bands, mean_total: (n > 0).then(|| sum / f64::from(n)) }
}

/// One wave on its own: its sheets scored, counted by band (the distribution of one class on
/// one date).
pub fn summarise_wave(
    q: &Questionnaire,
    sheets: &[AnswerSheet],
) -> Result<WaveSummary, CohortError> {
    Ok(summary(q, &score_wave(q, Wave::Start, sheets)?))
}

/// Scores both waves and compares them (see the module documentation).
pub fn compare_waves(
    q: &Questionnaire,
    start: &[AnswerSheet],
    end: &[AnswerSheet],
) -> Result<WaveComparison, CohortError> {
    let s = score_wave(q, Wave::Start, start)?;
    let e = score_wave(q, Wave::End, end)?;
    let mut changes = Vec::new();
    let mut only_start = Vec::new();
    for (who, a) in &s {
        match e.get(who) {
            Some(b) => changes.push(RespondentChange {
                respondent: *who,
                start_total: a.total,
                end_total: b.total,
                start_band: a.band,
                end_band: b.band,
            }),
            None => only_start.push(*who),
        }
    }
    let only_end = e.keys().filter(|who| !s.contains_key(*who)).copied().collect();
    let pairs = u32::try_from(changes.len()).unwrap_or(u32::MAX);
    let count = |f: fn(&RespondentChange) -> bool| {
        u32::try_from(changes.iter().filter(|c| f(c)).count()).unwrap_or(u32::MAX)
    };
    let sum: f64 = changes.iter().map(|c| c.change() as f64).sum();
    let paired = PairedChange {
        pairs,
        mean_change: (pairs > 0).then(|| sum / f64::from(pairs)),
        moved_up: count(|c| c.end_band > c.start_band),
        moved_down: count(|c| c.end_band < c.start_band),
        stayed: count(|c| c.end_band == c.start_band),
        changes,
    };
    Ok(WaveComparison { start: summary(q, &s), end: summary(q, &e), paired, only_start, only_end })
}

#[cfg(test)]
mod tests {
    use super::super::luskanova::luskanova;
    use super::*;
    use proptest::prelude::*;

    /// A Лусканова sheet with `pro` pro-school answers, then `neutral` neutral ones, the rest
    /// negative: total = 3·pro + neutral.
    fn sheet(who: u128, pro: usize, neutral: usize) -> AnswerSheet {
        const PRO: [usize; 10] = [1, 2, 2, 0, 1, 1, 0, 2, 1, 0];
        const NEUTRAL: [usize; 10] = [0, 1, 0, 1, 2, 0, 1, 0, 0, 1];
        const NEGATIVE: [usize; 10] = [2, 0, 1, 2, 0, 2, 2, 1, 2, 2];
        let answers = (0..10)
            .map(|i| {
                Some(if i < pro {
                    PRO[i]
                } else if i < pro + neutral {
                    NEUTRAL[i]
                } else {
                    NEGATIVE[i]
                })
            })
            .collect();
        AnswerSheet { respondent: StudentId::from_u128(who), answers }
    }

    /// (counts per band low→high, mean total) of a wave.
    type WaveFigures = (Vec<u32>, Option<f64>);
    /// (pairs, mean change, moved up, moved down, stayed).
    type PairFigures = (u32, Option<f64>, u32, u32, u32);

    fn check(
        start: &[AnswerSheet],
        end: &[AnswerSheet],
        expected: (WaveFigures, WaveFigures, PairFigures, (usize, usize)),
    ) {
        let c = compare_waves(&luskanova(), start, end).unwrap();
        let figures =
            |w: &WaveSummary| (w.bands.iter().map(|b| b.count).collect::<Vec<_>>(), w.mean_total);
        let p = &c.paired;
        assert_eq!(
            (
                figures(&c.start),
                figures(&c.end),
                (p.pairs, p.mean_change, p.moved_up, p.moved_down, p.stayed),
                (c.only_start.len(), c.only_end.len()),
            ),
            expected
        );
    }

    #[test]
    fn compares_september_with_may() {
        // September: 12 (low), 18 (external), 26 (high), 8 (negative).
        // May: 1 → 21 (normal, up), 2 → 18 (stays), 3 → 24 (normal, down), 5 new → 30.
        check(
            &[sheet(1, 4, 0), sheet(2, 6, 0), sheet(3, 8, 2), sheet(4, 2, 2)],
            &[sheet(1, 7, 0), sheet(2, 6, 0), sheet(3, 8, 0), sheet(5, 10, 0)],
            (
                (vec![1, 1, 1, 0, 1], Some((12.0 + 18.0 + 26.0 + 8.0) / 4.0)),
                (vec![0, 0, 1, 2, 1], Some((21.0 + 18.0 + 24.0 + 30.0) / 4.0)),
                (3, Some((9.0 + 0.0 - 2.0) / 3.0), 1, 1, 1),
                (1, 1),
            ),
        );
        check(&[], &[], ((vec![0; 5], None), (vec![0; 5], None), (0, None, 0, 0, 0), (0, 0)));
    }

    #[test]
    fn reports_bad_sheets() {
        let q = luskanova();
        let mut bad = sheet(7, 5, 5);
        bad.answers[3] = Some(5);
        assert_eq!(
            compare_waves(&q, &[sheet(1, 1, 1)], &[bad]),
            Err(CohortError::Sheet {
                wave: Wave::End,
                respondent: StudentId::from_u128(7),
                error: AnswerError::NoSuchOption { item: 3, answer: 5, options: 3 },
            })
        );
        assert_eq!(
            compare_waves(&q, &[sheet(1, 1, 1), sheet(1, 2, 2)], &[]),
            Err(CohortError::DuplicateRespondent {
                wave: Wave::Start,
                respondent: StudentId::from_u128(1)
            })
        );
    }

    #[test]
    fn shares_are_counts_over_respondents() {
        let c = compare_waves(
            &luskanova(),
            &[sheet(1, 10, 0), sheet(2, 10, 0), sheet(3, 0, 0), sheet(4, 5, 5)],
            &[],
        )
        .unwrap();
        let shares: Vec<f64> = c.start.bands.iter().map(|b| b.share).collect();
        assert_eq!(shares, vec![0.25, 0.0, 0.0, 0.25, 0.5]);
        assert_eq!(c.start.bands[4].code, "high");
        let json = serde_json::to_string(&c).unwrap();
        let back: WaveComparison = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }

    proptest! {
        #[test]
        fn comparison_is_consistent(
            start in proptest::collection::btree_map(0u128..20, (0usize..=10, 0usize..=10), 0..15),
            end in proptest::collection::btree_map(0u128..20, (0usize..=10, 0usize..=10), 0..15),
        ) {
            let mk = |m: &std::collections::BTreeMap<u128, (usize, usize)>| -> Vec<AnswerSheet> {
                m.iter().map(|(who, (p, n))| sheet(*who, *p, (*n).min(10 - *p))).collect()
            };
            let c = compare_waves(&luskanova(), &mk(&start), &mk(&end)).unwrap();
            for w in [&c.start, &c.end] {
                prop_assert_eq!(w.bands.iter().map(|b| b.count).sum::<u32>(), w.respondents);
                if w.respondents > 0 {
                    let total: f64 = w.bands.iter().map(|b| b.share).sum();
                    prop_assert!((total - 1.0).abs() < 1e-9);
                    let mean = w.mean_total.unwrap();
                    prop_assert!((0.0..=30.0).contains(&mean));
                }
            }
            let p = &c.paired;
            prop_assert_eq!(p.moved_up + p.moved_down + p.stayed, p.pairs);
            prop_assert_eq!(p.pairs as usize + c.only_start.len(), start.len());
            prop_assert_eq!(p.pairs as usize + c.only_end.len(), end.len());
            if let Some(m) = p.mean_change {
                prop_assert!((-30.0..=30.0).contains(&m));
            }
        }
    }
}
