//! Backup: everything in one JSON envelope, and its import as an idempotent merge.
//!
//! [`export_backup`] seals a [`Backup`] as an envelope of kind `backup`. [`import_backup`] opens
//! one (migrating older versions) and merges it into the existing data, collection by collection
//! through the registry of [`crate::dataset`]: an item whose key is new is added; the same key
//! with the same content is a duplicate and ignored; the same key with different content is
//! [absorbed](Item::absorb) — a gradebook takes the marks it lacks, anything else keeps the
//! existing item, never overwritten, and the conflict is listed. Importing the same file twice
//! therefore changes nothing the second time. The policy is taken only when none is here yet.
//!
//! Evidence goes through the [`Journal`]'s own `append`, but an incoming record that conflicts
//! with an existing one is not appended at all: a plain [`Journal::merge`] keeps whichever of the
//! two has the smaller canonical encoding, and an import must never replace what the teacher
//! already has.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Kind, LoadError};
use crate::conceptmap::stored::LessonMap;
use crate::dataset::Item;
pub use crate::dataset::{Collection, Counts};
use crate::evidence::{Appended, Journal};
use crate::lesson::Lesson;
use crate::marks::{Gradebook, MarkingPolicy};
use crate::plan::Plan;
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
    /// The community (ПОС) plans the teacher keeps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Plan>,
    /// The lessons' concept maps: the teacher's criterion maps and the students' maps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maps: Vec<LessonMap>,
    /// Questionnaire runs (Лусканова, satisfaction surveys) with their answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<crate::diagnostics::DiagnosticRun>,
    /// Stored values this build could not read (damaged, or written by a newer version), kept
    /// verbatim so an export carries them and a later import can restore them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
}

/// A stored value kept verbatim because it could not be read here.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SetAside {
    /// Where it was stored (a storage key, or a key and an item position).
    pub key: String,
    /// Why it was set aside.
    pub reason: SetAsideReason,
    /// Its text, exactly as stored.
    pub text: String,
}

/// Why a stored value was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetAsideReason {
    /// It could not be read: damaged, or refused by validation.
    Damaged,
    /// It was written by a newer Lesenka (read-only here).
    Newer,
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
        let label = if self.label.is_empty() { String::new() } else { format!("{} ", self.label) };
        write!(
            f,
            "the {} {label}({}) in the file differs from the one already here; the existing one \
             was kept",
            self.collection, self.id
        )
    }
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
    /// Readable descriptions of the conflicts (English; shells translate [`Self::conflicts`]).
    pub problems: Vec<String>,
    /// The conflicts, typed (for translation and for showing both versions).
    pub conflicts: Vec<ImportConflict>,
}

impl ImportReport {
    /// The merged evidence records that `existing` does not hold: what a shell appends to its
    /// journal's storage (the other collections are saved whole, merged).
    pub fn new_records<'a>(
        &'a self,
        existing: &'a Journal,
    ) -> impl Iterator<Item = &'a crate::evidence::EvidenceRecord> + 'a {
        self.merged.evidence.iter().filter(|r| existing.get(r.id()).is_none())
    }
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
    };
    crate::for_each_item!(merge_list(&mut report, incoming));
    merge_evidence(&mut report, &incoming.evidence);
    merge_policy(&mut report, incoming.policy.as_ref());
    for aside in &incoming.set_aside {
        if !report.merged.set_aside.contains(aside) {
            report.merged.set_aside.push(aside.clone());
        }
    }
    report.problems = report.conflicts.iter().map(ToString::to_string).collect();
    report
}

fn merge_list<T: Item>(report: &mut ImportReport, incoming: &Backup) {
    let collection = T::COLLECTION;
    for item in T::list(incoming) {
        let target = T::list_mut(&mut report.merged);
        let key = item.key();
        match target.iter_mut().find(|x| x.key() == key) {
            None => {
                target.push(item.clone());
                // A gradebook counts by its marks; any other item counts as one.
                *report.added.get_mut(collection) += item.parts();
            }
            Some(existing) if existing == item => {
                *report.duplicates.get_mut(collection) += item.parts();
            }
            Some(existing) => {
                let absorbed = T::absorb(existing, item);
                let label = existing.label();
                *report.added.get_mut(collection) += absorbed.added;
                *report.duplicates.get_mut(collection) += absorbed.duplicates;
                report.conflicts.extend(absorbed.conflicts.into_iter().map(|part| {
                    ImportConflict {
                        collection,
                        id: if part.is_empty() { key.to_string() } else { part },
                        label: label.clone(),
                    }
                }));
            }
        }
    }
}

fn merge_policy(report: &mut ImportReport, incoming: Option<&MarkingPolicy>) {
    let collection = Collection::Policy;
    match (&report.merged.policy, incoming) {
        (_, None) => {}
        (None, Some(p)) => {
            report.merged.policy = Some(p.clone());
            *report.added.get_mut(collection) += 1;
        }
        (Some(mine), Some(p)) if mine == p => *report.duplicates.get_mut(collection) += 1,
        (Some(_), Some(_)) => report.conflicts.push(ImportConflict {
            collection,
            id: String::new(),
            label: String::new(),
        }),
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
            Ok(Appended::New) => *report.added.get_mut(Collection::Evidence) += 1,
            Ok(Appended::Duplicate) => *report.duplicates.get_mut(Collection::Evidence) += 1,
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
            author: None,
            recorded_at: DateTime::from_timestamp(1_725_265_800 + id as i64, 0).unwrap(),
        })
        .unwrap()
    }

    fn counts(classes: usize, lessons: usize, evidence: usize) -> Counts {
        of(&[
            (Collection::Classes, classes),
            (Collection::Lessons, lessons),
            (Collection::Evidence, evidence),
        ])
    }

    fn of(pairs: &[(Collection, usize)]) -> Counts {
        let mut counts = Counts::default();
        for (collection, n) in pairs {
            *counts.get_mut(*collection) = *n;
        }
        counts
    }

    fn marking(rubrics: usize, assessments: usize, marks: usize, policy: usize) -> Counts {
        of(&[
            (Collection::Rubrics, rubrics),
            (Collection::Assessments, assessments),
            (Collection::Marks, marks),
            (Collection::Policy, policy),
        ])
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
        let classes_lessons_evidence = counts(1, 1, 2);
        let mut added = marking(1, 1, 3, 1);
        for c in [Collection::Classes, Collection::Lessons, Collection::Evidence] {
            *added.get_mut(c) = classes_lessons_evidence.get(c);
        }
        assert_eq!(once.added, added);
        assert_eq!(once.merged.gradebooks[0].marks().len(), 3);
        let twice = import_backup(&once.merged, &export_backup(&incoming)).unwrap();
        assert_eq!(twice.added, Counts::default());
        assert_eq!(twice.duplicates, added);
        assert_eq!(twice.merged, once.merged);
        // An older backup without these collections still opens, and writes none of them.
        assert!(!export_backup(&sample()).contains("rubrics"));
    }

    /// A community plan read from a pasted table, as the ПОС leader makes one.
    fn plan(id: u128, title: &str) -> Plan {
        use crate::ids::{EventId, PlanId};
        use crate::plan::{SchoolYear, import_plan};
        let text = format!(
            "{title}\n№ | Мероприятие | Сроки | Ответственный\n1 | Заседание ПОС | сентябрь | Иванова\n\
             2 | Открытый урок | октябрь | Петрова\n"
        );
        let year = SchoolYear::new(2024).unwrap();
        let (plan, _) = import_plan(&text)
            .to_plan(PlanId::from_u128(id), year, |k| EventId::from_u128(id * 100 + k as u128))
            .unwrap();
        plan
    }

    #[test]
    fn plans_travel_in_the_backup_and_merge_like_every_collection() {
        let a = plan(1, "План работы ПОС учителей математики");
        let incoming = Backup { plans: vec![a.clone()], ..Backup::default() };
        let text = export_backup(&incoming);
        assert!(text.contains("\"plans\""));
        let once = import_backup(&Backup::default(), &text).unwrap();
        assert_eq!(once.merged.plans, vec![a.clone()]);
        assert_eq!(once.added, of(&[(Collection::Plans, 1)]));
        let twice = import_backup(&once.merged, &text).unwrap();
        assert_eq!(twice.duplicates, of(&[(Collection::Plans, 1)]));
        assert_eq!(twice.merged, once.merged);
        // The same plan id with other content: the plan already here is kept, the clash listed.
        let other = Backup {
            plans: vec![plan(1, "План работы ПОС учителей физики")],
            ..Backup::default()
        };
        let clash = merge_backup(&once.merged, &other);
        assert_eq!(clash.merged.plans, vec![a.clone()]);
        assert_eq!(clash.conflicts.len(), 1);
        assert_eq!(clash.conflicts[0].collection, Collection::Plans);
        // A backup from before plans opens, and one without plans writes none.
        assert!(!export_backup(&sample()).contains("plans"));
        // Two copies saving plans through replicas keep each other's plans.
        let replica = crate::dataset::Replica::new(Backup::default());
        let b = plan(2, "План работы ПОС учителей русского языка");
        let merged = replica.merge(std::slice::from_ref(&b), std::slice::from_ref(&a));
        assert_eq!(merged.items, vec![b, a]);
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn concept_maps_travel_in_the_backup_and_merge_like_every_collection() {
        use crate::conceptmap::stored::fixtures::{student, teacher};
        let incoming = Backup { maps: vec![teacher(1), student(2)], ..sample() };
        let text = export_backup(&incoming);
        assert!(text.contains("\"maps\""));
        let once = import_backup(&Backup::default(), &text).unwrap();
        assert_eq!(once.merged.maps, incoming.maps);
        assert_eq!(once.added.get(Collection::Maps), 2);
        let twice = import_backup(&once.merged, &text).unwrap();
        assert_eq!(twice.duplicates.get(Collection::Maps), 2);
        assert_eq!(twice.added, Counts::default());
        assert_eq!(twice.merged, once.merged);
        // The same id with other content (the student's map under the teacher's id): the map
        // already here is kept, the clash listed.
        let other = Backup {
            maps: vec![{
                let mut d = student(2).draft();
                d.id = teacher(1).id();
                crate::conceptmap::stored::LessonMap::new(d).unwrap()
            }],
            ..Backup::default()
        };
        let clash = merge_backup(&once.merged, &other);
        assert_eq!(clash.merged.maps, incoming.maps);
        assert_eq!(clash.conflicts.len(), 1);
        assert_eq!(clash.conflicts[0].collection, Collection::Maps);
        // A map drawn for a criterion travels with its criterion; those without name none.
        let criterion = crate::ids::CriterionId::from_u128(7);
        let of_criterion = {
            let mut d = teacher(3).draft();
            d.criterion = Some(criterion);
            crate::conceptmap::stored::LessonMap::new(d).unwrap()
        };
        let with = Backup { maps: vec![teacher(1), of_criterion.clone()], ..Backup::default() };
        let text = export_backup(&with);
        assert_eq!(text.matches("\"criterion\"").count(), 1, "{text}");
        let read = import_backup(&once.merged, &text).unwrap();
        assert_eq!(read.added.get(Collection::Maps), 1);
        assert!(read.merged.maps.contains(&of_criterion));
        assert_eq!(
            read.merged.maps.iter().map(|m| m.criterion()).collect::<Vec<_>>(),
            [None, None, Some(criterion)]
        );
        // A backup without maps writes none, and an older one opens.
        assert!(!export_backup(&sample()).contains("maps"));
        // Two copies saving maps through replicas keep each other's maps.
        let replica = crate::dataset::Replica::new(Backup::default());
        let merged = replica.merge(&[student(2)], &[teacher(1)]);
        assert_eq!(merged.items, vec![student(2), teacher(1)]);
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn questionnaire_runs_travel_in_the_backup_and_merge_their_sheets() {
        use crate::diagnostics::{AnswerSheet, DiagnosticRun};
        use crate::ids::{ClassId, DiagnosticRunId, StudentId};
        let sheet = |who: u128, a: usize| AnswerSheet {
            respondent: StudentId::from_u128(who),
            answers: vec![Some(a); 10],
        };
        let date = chrono::NaiveDate::from_ymd_opt(2024, 9, 10).unwrap();
        let empty =
            DiagnosticRun::luskanova(DiagnosticRunId::from_u128(7), ClassId::from_u128(1), date);
        let one = empty.with_sheet(sheet(1, 0)).unwrap();
        let incoming = Backup { diagnostics: vec![one.clone()], ..sample() };
        let text = export_backup(&incoming);
        assert!(text.contains("\"diagnostics\""));
        let once = import_backup(&Backup::default(), &text).unwrap();
        assert_eq!(once.merged.diagnostics, incoming.diagnostics);
        assert_eq!(once.added.get(Collection::Diagnostics), 1);
        let twice = import_backup(&once.merged, &text).unwrap();
        assert_eq!(twice.duplicates.get(Collection::Diagnostics), 1);
        assert_eq!(twice.merged, once.merged);
        // Another device's copy of the run with another student's sheet: both sheets kept.
        let other = Backup {
            diagnostics: vec![empty.with_sheet(sheet(2, 1)).unwrap()],
            ..Backup::default()
        };
        let merged = merge_backup(&once.merged, &other);
        assert_eq!(merged.merged.diagnostics[0].answered().len(), 2);
        assert!(merged.conflicts.is_empty());
        // The same student answered differently there: ours is kept, the clash listed.
        let clash = Backup {
            diagnostics: vec![empty.with_sheet(sheet(1, 2)).unwrap()],
            ..Backup::default()
        };
        let report = merge_backup(&once.merged, &clash);
        assert_eq!(report.merged.diagnostics, vec![one.clone()]);
        assert_eq!(report.conflicts.len(), 1);
        assert_eq!(report.conflicts[0].collection, Collection::Diagnostics);
        assert!(!export_backup(&sample()).contains("diagnostics"));
        // Two tabs saving sheets of one run through replicas keep each other's sheets.
        let replica = crate::dataset::Replica::new(Backup {
            diagnostics: vec![empty.clone()],
            ..Backup::default()
        });
        let merged = replica.merge(
            &[empty.with_sheet(sheet(1, 0)).unwrap()],
            &[empty.with_sheet(sheet(2, 0)).unwrap()],
        );
        assert_eq!(merged.items[0].answered().len(), 2);
        assert!(merged.conflicts.is_empty());
    }

    #[test]
    fn set_aside_values_travel_once() {
        let aside = SetAside {
            key: "lesenka.classes#1".into(),
            reason: SetAsideReason::Damaged,
            text: r#"{"id":5}"#.into(),
        };
        let incoming = Backup { set_aside: vec![aside.clone()], ..Backup::default() };
        let once = import_backup(&Backup::default(), &export_backup(&incoming)).unwrap();
        let twice = import_backup(&once.merged, &export_backup(&incoming)).unwrap();
        assert_eq!(twice.merged.set_aside, vec![aside]);
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
