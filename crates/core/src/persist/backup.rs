//! Backup: everything in one JSON envelope, and its import as an idempotent merge.
//!
//! [`export_backup`] seals a [`Backup`] as an envelope of kind `backup`. [`import_backup`] opens
//! one (migrating older versions) and merges it into the existing data: an item whose id is new
//! is added; the same id with the same content is a duplicate and ignored; the same id with
//! different content is a conflict — the existing item is kept, never overwritten, and the
//! conflict is listed. Importing the same file twice therefore changes nothing the second time.
//!
//! Rubrics, assessments, gradebook marks and the marking policy travel in the same backup (added
//! later, so they default to empty and are left out of the file when empty). They merge the same
//! way, counted in [`ImportReport::marks`]: rubrics and assessments by id, gradebook marks by mark
//! id inside their class's gradebook, and the policy is taken only when none is here yet.
//!
//! Evidence goes through the [`Journal`]'s own `append`, but an incoming record that conflicts
//! with an existing one is not appended at all: a plain [`Journal::merge`] keeps whichever of the
//! two has the smaller canonical encoding, and an import must never replace what the teacher
//! already has.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Kind, LoadError};
use crate::evidence::{Appended, Journal};
use crate::lesson::Lesson;
use crate::marks::gradebook::GradebookDraft;
use crate::marks::{Gradebook, MarkingPolicy};
use crate::roster::Class;
use crate::rubric::{Assessment, Rubric};

/// Everything a teacher's device holds, as one document.
///
/// Collections added in later versions carry `#[serde(default)]` so older backups still open.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// Classes with their rosters.
    pub classes: Vec<Class>,
    /// Lessons with their criteria.
    pub lessons: Vec<Lesson>,
    /// The evidence journal (stored as a list of records in id order).
    pub evidence: Journal,
    /// Rubrics with their versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rubrics: Vec<Rubric>,
    /// Assessments made with rubrics (each pins a rubric version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<Assessment>,
    /// One gradebook per class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gradebooks: Vec<Gradebook>,
    /// The school's marking policy, once the teacher has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<MarkingPolicy>,
}

/// The collections of a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// Classes.
    Classes,
    /// Lessons.
    Lessons,
    /// Evidence records.
    Evidence,
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Classes => "class",
            Self::Lessons => "lesson",
            Self::Evidence => "evidence record",
        })
    }
}

/// Numbers of items per collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Classes.
    pub classes: usize,
    /// Lessons.
    pub lessons: usize,
    /// Evidence records.
    pub evidence: usize,
}

impl Counts {
    /// The count of one collection.
    pub fn get_mut(&mut self, collection: Collection) -> &mut usize {
        match collection {
            Collection::Classes => &mut self.classes,
            Collection::Lessons => &mut self.lessons,
            Collection::Evidence => &mut self.evidence,
        }
    }

    /// The sum over all collections.
    pub fn total(&self) -> usize {
        self.classes + self.lessons + self.evidence
    }
}

/// An id present on both sides with different content; the existing item was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportConflict {
    /// Which collection.
    pub collection: Collection,
    /// The id, as text.
    pub id: String,
    /// A short human label of the existing item (a class name, a lesson date).
    pub label: String,
}

impl fmt::Display for ImportConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} {} ({}) in the file differs from the one already here; the existing one was \
             kept",
            self.collection, self.label, self.id
        )
    }
}

/// Numbers of rubric and gradebook items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkCounts {
    /// Rubrics.
    pub rubrics: usize,
    /// Assessments.
    pub assessments: usize,
    /// Gradebook marks.
    pub marks: usize,
    /// The policy (0 or 1).
    pub policy: usize,
}

impl MarkCounts {
    /// The sum over all collections.
    pub fn total(&self) -> usize {
        self.rubrics + self.assessments + self.marks + self.policy
    }
}

/// What an import did with rubrics, assessments, gradebook marks and the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarksImport {
    /// Items added.
    pub added: MarkCounts,
    /// Items already present with the same content.
    pub duplicates: MarkCounts,
    /// Ids present on both sides with different content (the existing item was kept), with
    /// what they are: «rubric», «assessment», «mark», «policy».
    pub conflicts: Vec<(String, String)>,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// Existing data plus everything new from the file.
    pub merged: Backup,
    /// Items added, per collection.
    pub added: Counts,
    /// Items already present with the same content, per collection.
    pub duplicates: Counts,
    /// Readable descriptions of the conflicts.
    pub problems: Vec<String>,
    /// The conflicts, typed (for translation and for showing both versions).
    pub conflicts: Vec<ImportConflict>,
    /// Rubrics, assessments, gradebook marks and the policy.
    pub marks: MarksImport,
}

/// Writes a backup as an envelope of kind `backup`.
pub fn export_backup(backup: &Backup) -> String {
    super::seal(Kind::Backup, backup)
}

/// Opens a backup's text (any released version) and merges it into `existing`.
pub fn import_backup(existing: &Backup, text: &str) -> Result<ImportReport, LoadError> {
    let incoming: Backup = super::open(Kind::Backup, text)?.value;
    Ok(merge_backup(existing, &incoming))
}

/// Merges `incoming` into `existing` (see the module docs); pure and idempotent.
pub fn merge_backup(existing: &Backup, incoming: &Backup) -> ImportReport {
    let mut report = ImportReport {
        merged: existing.clone(),
        added: Counts::default(),
        duplicates: Counts::default(),
        problems: Vec::new(),
        conflicts: Vec::new(),
        marks: MarksImport::default(),
    };
    merge_into(&mut report, Collection::Classes, incoming.classes.iter(), |m| &mut m.classes);
    merge_into(&mut report, Collection::Lessons, incoming.lessons.iter(), |m| &mut m.lessons);
    merge_evidence(&mut report, &incoming.evidence);
    report.problems = report.conflicts.iter().map(ToString::to_string).collect();
    merge_marks(&mut report, incoming);
    report
}

/// Merges rubrics and assessments by id, marks by id within their class's gradebook, and takes
/// the policy only when there is none yet.
fn merge_marks(report: &mut ImportReport, incoming: &Backup) {
    let merged = &mut report.merged;
    let out = &mut report.marks;
    for rubric in &incoming.rubrics {
        match merged.rubrics.iter().find(|r| r.id() == rubric.id()) {
            None => {
                merged.rubrics.push(rubric.clone());
                out.added.rubrics += 1;
            }
            Some(r) if r == rubric => out.duplicates.rubrics += 1,
            Some(_) => out.conflicts.push(("rubric".into(), rubric.id().to_string())),
        }
    }
    for a in &incoming.assessments {
        match merged.assessments.iter().find(|x| x.id() == a.id()) {
            None => {
                merged.assessments.push(a.clone());
                out.added.assessments += 1;
            }
            Some(x) if x == a => out.duplicates.assessments += 1,
            Some(_) => out.conflicts.push(("assessment".into(), a.id().to_string())),
        }
    }
    for book in &incoming.gradebooks {
        let index = match merged.gradebooks.iter().position(|g| g.class() == book.class()) {
            Some(i) => i,
            None => {
                merged.gradebooks.push(Gradebook::new(book.class()));
                merged.gradebooks.len() - 1
            }
        };
        let mut draft: GradebookDraft = merged.gradebooks[index].clone().into();
        for mark in book.marks() {
            match draft.marks.iter().find(|m| m.id == mark.id) {
                None => {
                    draft.marks.push(mark.clone());
                    out.added.marks += 1;
                }
                Some(m) if m == mark => out.duplicates.marks += 1,
                Some(_) => out.conflicts.push(("mark".into(), mark.id.to_string())),
            }
        }
        // Ids stay unique: a mark is only pushed when its id is new.
        if let Ok(book) = Gradebook::try_from(draft) {
            merged.gradebooks[index] = book;
        }
    }
    match (&merged.policy, &incoming.policy) {
        (_, None) => {}
        (None, Some(p)) => {
            merged.policy = Some(p.clone());
            out.added.policy += 1;
        }
        (Some(mine), Some(p)) if mine == p => out.duplicates.policy += 1,
        (Some(_), Some(_)) => out.conflicts.push(("policy".into(), String::new())),
    }
}

/// An item of a backup collection: something with a stable id.
trait Item: Clone + PartialEq {
    /// The id, as text (ordered, for lookups).
    fn key(&self) -> String;
    /// A short human label.
    fn label(&self) -> String;
}

impl Item for Class {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn label(&self) -> String {
        format!("«{}»", self.name)
    }
}

impl Item for Lesson {
    fn key(&self) -> String {
        self.id().to_string()
    }
    fn label(&self) -> String {
        format!("«{}» of {}", self.topic(), self.date().format("%d.%m.%Y"))
    }
}

fn merge_into<'a, T: Item + 'a>(
    report: &mut ImportReport,
    collection: Collection,
    incoming: impl Iterator<Item = &'a T>,
    field: impl Fn(&mut Backup) -> &mut Vec<T>,
) {
    let target = field(&mut report.merged);
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, item) in target.iter().enumerate() {
        index.entry(item.key()).or_insert(i);
    }
    for item in incoming {
        let key = item.key();
        match index.get(&key) {
            None => {
                index.insert(key, target.len());
                target.push(item.clone());
                *report.added.get_mut(collection) += 1;
            }
            Some(&i) if target[i] == *item => *report.duplicates.get_mut(collection) += 1,
            Some(&i) => report.conflicts.push(ImportConflict {
                collection,
                id: key,
                label: target[i].label(),
            }),
        }
    }
}

fn merge_evidence(report: &mut ImportReport, incoming: &Journal) {
    for record in incoming.iter() {
        let journal = &mut report.merged.evidence;
        if let Some(existing) = journal.get(record.id()).filter(|e| *e != record) {
            report.conflicts.push(ImportConflict {
                collection: Collection::Evidence,
                id: record.id().to_string(),
                label: format!("of {}", existing.lesson_date().format("%d.%m.%Y")),
            });
            continue;
        }
        match journal.append(record.clone()) {
            Ok(Appended::New) => report.added.evidence += 1,
            Ok(Appended::Duplicate) => report.duplicates.evidence += 1,
            // Unreachable after the check above; reported rather than assumed.
            Err(conflict) => report.conflicts.push(ImportConflict {
                collection: Collection::Evidence,
                id: conflict.id.to_string(),
                label: String::new(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::EvidenceRecord;
    use crate::evidence::{EvidenceDraft, Source};
    use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
    use crate::technique::{Light, Response, TechniqueKind};
    use crate::text::Name;
    use chrono::{DateTime, NaiveDate};
    use proptest::prelude::*;
    use serde_json::json;

    fn class(id: u128, name: &str, students: &[(u128, &str)]) -> Class {
        let mut class = Class::new(ClassId::from_u128(id), Name::parse(name).unwrap());
        for (sid, sname) in students {
            class.add_student(StudentId::from_u128(*sid), Name::parse(sname).unwrap()).unwrap();
        }
        class
    }

    fn lesson(id: u128, topic: &str) -> Lesson {
        let date = NaiveDate::from_ymd_opt(2024, 9, 2).unwrap();
        let criteria = [(CriterionId::from_u128(50), "Сравниваю дроби")];
        Lesson::with_texts(LessonId::from_u128(id), ClassId::from_u128(1), date, topic, &criteria)
            .unwrap()
    }

    fn journal(records: impl IntoIterator<Item = EvidenceRecord>) -> Journal {
        let (journal, conflicts) = Journal::from_records(records);
        assert!(conflicts.is_empty());
        journal
    }

    fn keeps_existing(existing: &Backup, merged: &Backup) -> bool {
        merged.classes.starts_with(&existing.classes)
            && merged.lessons.starts_with(&existing.lessons)
            && existing.evidence.iter().all(|r| merged.evidence.get(r.id()) == Some(r))
    }

    fn light(id: u128, student: u128, light: Light) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(id),
            lesson: LessonId::from_u128(100),
            lesson_date: NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
            class: ClassId::from_u128(1),
            student: Some(StudentId::from_u128(student)),
            criterion: CriterionId::from_u128(50),
            technique: TechniqueKind::TrafficLight,
            value: Response::Light(light),
            source: Source::SelfAssessment,
            recorded_at: DateTime::from_timestamp(1_725_265_800 + id as i64, 0).unwrap(),
        })
        .unwrap()
    }

    fn counts(classes: usize, lessons: usize, evidence: usize) -> Counts {
        Counts { classes, lessons, evidence }
    }

    fn check(
        existing: &Backup,
        incoming: &Backup,
        added: Counts,
        duplicates: Counts,
        conflicts: &[&str],
    ) {
        let report = import_backup(existing, &export_backup(incoming)).unwrap();
        assert_eq!(report.added, added, "added");
        assert_eq!(report.duplicates, duplicates, "duplicates");
        let ids: Vec<&str> = report.conflicts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, conflicts);
        assert_eq!(report.problems.len(), conflicts.len());
        // Nothing existing is ever lost or changed.
        assert!(keeps_existing(existing, &report.merged));
        // Importing again changes nothing.
        let again = import_backup(&report.merged, &export_backup(incoming)).unwrap();
        assert_eq!(again.merged, report.merged);
        assert_eq!(again.added.total(), 0);
    }

    fn sample() -> Backup {
        Backup {
            classes: vec![class(1, "5А", &[(10, "Аня"), (11, "Боря")])],
            lessons: vec![lesson(100, "Дроби")],
            evidence: journal([light(1, 10, Light::Green), light(2, 11, Light::Red)]),
            ..Backup::default()
        }
    }

    #[test]
    fn merges() {
        let empty = Backup::default();
        let full = sample();
        check(&empty, &full, counts(1, 1, 2), counts(0, 0, 0), &[]);
        check(&full, &full, counts(0, 0, 0), counts(1, 1, 2), &[]);
        check(&full, &empty, counts(0, 0, 0), counts(0, 0, 0), &[]);
        let mut other = sample();
        other.classes[0] = class(1, "5Б", &[(10, "Аня")]);
        other.lessons.push(lesson(101, "Проценты"));
        other.evidence = journal([
            light(1, 10, Light::Green),
            light(2, 11, Light::Yellow),
            light(3, 10, Light::Yellow),
        ]);
        check(
            &full,
            &other,
            counts(0, 1, 1),
            counts(0, 1, 1),
            &[&ClassId::from_u128(1).to_string(), &EvidenceId::from_u128(2).to_string()],
        );
    }

    #[test]
    fn problems_are_readable() {
        let mut other = sample();
        other.classes[0] = class(1, "5Б", &[]);
        let report = merge_backup(&sample(), &other);
        assert_eq!(
            report.problems,
            [format!(
                "the class «5А» ({}) in the file differs from the one already here; the existing \
                 one was kept",
                ClassId::from_u128(1)
            )]
        );
    }

    #[test]
    fn refuses_other_documents() {
        let plan = super::super::seal(Kind::Plan, &json!({}));
        assert_eq!(
            import_backup(&Backup::default(), &plan),
            Err(LoadError::WrongKind { expected: Kind::Backup, found: Kind::Plan })
        );
        assert!(matches!(
            import_backup(&Backup::default(), r#"{"format":"lesenka","version":1,"kind":"backup","payload":{"classes":[]}}"#),
            Err(LoadError::Damaged(d)) if d.detail.contains("missing field `lessons`")
        ));
    }

    #[test]
    fn rubrics_marks_and_policy_merge_idempotently() {
        use crate::criteria::{Criterion, Level};
        use crate::ids::{AssessmentId, MarkId, RubricId, WorkTypeId};
        use crate::marks::average::{Rounding, TermRule, example_work_types};
        use crate::marks::{Fraction, Mark, MarkScale};
        use crate::rubric::Choice;
        let name = |t: &str| Name::parse(t).unwrap();
        let level =
            |l: &str, p| Level { label: name(l), teacher: name(l), student: name(l), points: p };
        let criterion = Criterion::new(
            CriterionId::from_u128(7),
            None,
            name("Вычисления"),
            vec![level("нет", 0), level("да", 2)],
        )
        .unwrap();
        let mut rubric =
            Rubric::new(RubricId::from_u128(3), name("Эссе"), vec![criterion.clone()]).unwrap();
        let choice = vec![Choice { criterion: criterion.id(), level: 1 }];
        let assessment =
            rubric.assess(AssessmentId::from_u128(4), StudentId::from_u128(10), 1, choice).unwrap();
        let (k, l, h) =
            (WorkTypeId::from_u128(1), WorkTypeId::from_u128(2), WorkTypeId::from_u128(3));
        let rule =
            TermRule::five_point(Fraction::parse("0.65").unwrap(), Rounding::HalfUp { places: 2 })
                .unwrap();
        let policy = MarkingPolicy::new(
            MarkScale::russian_five(None),
            example_work_types(k, l, h),
            rule,
            vec![],
        )
        .unwrap();
        let mut book = Gradebook::new(ClassId::from_u128(1));
        for (id, work, value) in [(1, l, "5"), (2, h, "5"), (3, k, "4")] {
            let mark = Mark {
                id: MarkId::from_u128(id),
                student: StudentId::from_u128(10),
                work_type: work,
                date: NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
                value: name(value),
                comment: None,
            };
            book.add(mark, &policy).unwrap();
        }
        let incoming = Backup {
            rubrics: vec![rubric],
            assessments: vec![assessment],
            gradebooks: vec![book],
            policy: Some(policy),
            ..sample()
        };
        let once = import_backup(&Backup::default(), &export_backup(&incoming)).unwrap();
        assert_eq!(
            once.marks.added,
            MarkCounts { rubrics: 1, assessments: 1, marks: 3, policy: 1 }
        );
        assert_eq!(once.merged.gradebooks[0].marks().len(), 3);
        let twice = import_backup(&once.merged, &export_backup(&incoming)).unwrap();
        assert_eq!(twice.marks.added, MarkCounts::default());
        assert_eq!(
            twice.marks.duplicates,
            MarkCounts { rubrics: 1, assessments: 1, marks: 3, policy: 1 }
        );
        assert_eq!(twice.merged, once.merged);
        // An older backup without these collections still opens, and writes none of them.
        assert!(!export_backup(&sample()).contains("rubrics"));
    }

    prop_compose! {
        fn arb_backup()(
            classes in prop::collection::vec((0u128..4, prop::sample::select(vec!["5А", "6Б", "7В"])), 0..4),
            lessons in prop::collection::vec((0u128..4, prop::sample::select(vec!["Дроби", "Углы"])), 0..4),
            evidence in prop::collection::vec((0u128..8, 0u128..3, prop::sample::select(Light::ALL.to_vec())), 0..10),
        ) -> Backup {
            Backup {
                classes: classes.into_iter().map(|(id, name)| class(id, name, &[])).collect(),
                lessons: lessons.into_iter().map(|(id, topic)| lesson(id, topic)).collect(),
                // Records under one id within one backup are kept consistent, as a journal is.
                evidence: Journal::from_records(evidence.into_iter().map(|(id, s, l)| light(id, s, l))).0,
                ..Backup::default()
            }
        }
    }

    proptest! {
        #[test]
        fn import_is_idempotent(existing in arb_backup(), incoming in arb_backup()) {
            let text = export_backup(&incoming);
            let once = import_backup(&existing, &text).unwrap();
            let twice = import_backup(&once.merged, &text).unwrap();
            prop_assert_eq!(&twice.merged, &once.merged);
            prop_assert_eq!(twice.added, Counts::default());
            // Every incoming item is accounted for exactly once.
            let first = once.added.total() + once.duplicates.total() + once.conflicts.len();
            prop_assert_eq!(first, incoming.classes.len() + incoming.lessons.len() + incoming.evidence.len());
            // Existing data is a prefix of the merge.
            prop_assert!(keeps_existing(&existing, &once.merged));
        }

        #[test]
        fn export_round_trips(backup in arb_backup()) {
            let opened: Backup = super::super::open(Kind::Backup, &export_backup(&backup)).unwrap().value;
            prop_assert_eq!(opened, backup);
        }
    }
}
