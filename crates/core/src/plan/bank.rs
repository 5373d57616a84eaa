//! The community's bank of practices as the leader searches it: free-text search through
//! [`crate::text::fold_key`] (case and «ё» folded, spaces collapsed) over a practice's title,
//! subject, description and technique name, filters by technique, subject and grade, and the
//! subjects the bank holds for a chooser.
//!
//! Neighbours: [`super::model`] (the [`Practice`] type, kept in the plan), the CSV rows of
//! the bank in [`crate::persist::csv::practice_rows`].

use super::model::Practice;
use crate::technique::TechniqueKind;
use crate::text::{Lang, fold_key};

/// What the leader searches the bank for; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeQuery {
    /// Words that must all appear (folded) in the title, subject, description or technique.
    pub text: String,
    /// Only practices of this technique.
    pub technique: Option<TechniqueKind>,
    /// Only practices of this subject (compared folded).
    pub subject: Option<String>,
    /// Only practices for this grade.
    pub grade: Option<u8>,
}

impl PracticeQuery {
    /// Whether `practice` is found by this query.
    pub fn matches(&self, practice: &Practice) -> bool {
        let d = practice.draft();
        if self.technique.is_some_and(|t| d.technique != Some(t)) {
            return false;
        }
        if self.grade.is_some_and(|g| d.grade != Some(g)) {
            return false;
        }
        if let Some(subject) = &self.subject {
            let wanted = fold_key(subject);
            if !wanted.is_empty()
                && d.subject.as_ref().map(|s| fold_key(s.as_str())) != Some(wanted)
            {
                return false;
            }
        }
        let words = fold_key(&self.text);
        if words.is_empty() {
            return true;
        }
        let mut haystack = fold_key(d.title.as_str());
        for part in
            [d.subject.as_ref().map(|s| s.as_str()), d.description.as_ref().map(|s| s.as_str())]
                .into_iter()
                .flatten()
        {
            haystack.push(' ');
            haystack.push_str(&fold_key(part));
        }
        if let Some(t) = d.technique {
            for lang in [Lang::Ru, Lang::En] {
                haystack.push(' ');
                haystack.push_str(&fold_key(t.name(lang)));
            }
        }
        words.split(' ').all(|w| haystack.contains(w))
    }

    /// The practices found, in the bank's order.
    pub fn find<'a>(&self, practices: &'a [Practice]) -> Vec<&'a Practice> {
        practices.iter().filter(|p| self.matches(p)).collect()
    }
}

/// The subjects the bank holds, each once (compared folded, the first spelling kept), sorted
/// by their folded form.
pub fn subjects(practices: &[Practice]) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for s in practices.iter().filter_map(|p| p.draft().subject.as_ref()) {
        let key = fold_key(s.as_str());
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, s.to_string()));
        }
    }
    out.sort();
    out.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PracticeId;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn practice(
        n: u128,
        title: &str,
        t: Option<TechniqueKind>,
        subject: &str,
        grade: Option<u8>,
    ) -> Practice {
        Practice::from_form(
            PracticeId::from_u128(n),
            title,
            t,
            subject,
            grade,
            "Ученики отмечают своё понимание",
            "",
            NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(),
        )
        .unwrap()
    }

    fn bank() -> Vec<Practice> {
        vec![
            practice(
                1,
                "Светофор на этапе закрепления",
                Some(TechniqueKind::TrafficLight),
                "Математика",
                Some(3),
            ),
            practice(
                2,
                "Лесенка в начале урока",
                Some(TechniqueKind::Ladder),
                "Русский язык",
                Some(4),
            ),
            practice(3, "Ёлочка вопросов", None, "математика", Some(3)),
        ]
    }

    fn ids(found: Vec<&Practice>) -> Vec<u128> {
        found.iter().map(|p| p.id().as_uuid().as_u128()).collect()
    }

    #[test]
    fn text_search_folds_case_and_yo() {
        let bank = bank();
        let q = |text: &str| PracticeQuery { text: text.into(), ..Default::default() };
        assert_eq!(ids(q("ЕЛОЧКА").find(&bank)), vec![3]);
        assert_eq!(ids(q("  светофор   закрепления ").find(&bank)), vec![1]);
        assert_eq!(ids(q("traffic light").find(&bank)), vec![1]);
        assert_eq!(ids(q("понимание").find(&bank)).len(), 3);
        assert_eq!(ids(q("").find(&bank)).len(), 3);
        assert!(q("синквейн").find(&bank).is_empty());
    }

    #[test]
    fn filters_combine() {
        let bank = bank();
        let q =
            PracticeQuery { subject: Some("МАТЕМАТИКА".into()), ..Default::default() };
        assert_eq!(ids(q.find(&bank)), vec![1, 3]);
        let q = PracticeQuery {
            grade: Some(3),
            technique: Some(TechniqueKind::TrafficLight),
            ..Default::default()
        };
        assert_eq!(ids(q.find(&bank)), vec![1]);
        let q = PracticeQuery {
            grade: Some(4),
            subject: Some("математика".into()),
            ..Default::default()
        };
        assert!(q.find(&bank).is_empty());
        assert_eq!(subjects(&bank), vec!["Математика".to_string(), "Русский язык".to_string()]);
    }

    proptest! {
        #[test]
        fn found_practices_are_a_subset_in_order(text in "[а-яё ]{0,8}", grade in proptest::option::of(1u8..=11)) {
            let bank = bank();
            let q = PracticeQuery { text, grade, ..Default::default() };
            let found = ids(q.find(&bank));
            let all = ids(bank.iter().collect());
            let mut at = 0;
            for id in &found {
                let pos = all[at..].iter().position(|x| x == id);
                prop_assert!(pos.is_some());
                at += pos.unwrap_or(0) + 1;
            }
            // A query matches exactly what its matches() says.
            prop_assert_eq!(found.len(), bank.iter().filter(|p| q.matches(p)).count());
        }
    }
}
