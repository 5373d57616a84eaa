//! Plausibility of imported data: what parses but cannot be right, found before anything is saved.
//!
//! A backup that opens (every value passed its type's validation) can still hold what no school
//! has: a gradebook mark that is not on the school's scale («-3»), a date centuries away
//! (9999-12-31), or one student id standing for two students. [`check`] lists every such fault
//! of one backup as a typed [`Implausible`], which a shell translates; [`check_import`] adds the
//! student ids a file shares with another class of the data it is merged into. The app and the
//! CLI refuse a file with any of them, so nothing of it is saved.
//!
//! Plausible dates are those of the school years 2000/01 to 2100/01: from
//! [`FIRST_PLAUSIBLE_DAY`] (1 September 2000) to [`LAST_PLAUSIBLE_DAY`] (31 August 2101). Lesson
//! dates, the lesson dates evidence records carry and mark dates are checked.
//!
//! All faults are refusals, none is a warning to confirm: a mark off the scale breaks every
//! average it is in; a date outside a century of school years is a typo or damage, not a lesson;
//! and a student id is what evidence and marks point to, so two students behind one id (in one
//! class or in two) would mix their records for good once merged.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;

use super::backup::Backup;
use crate::ids::{ClassId, StudentId};
use crate::marks::MarkScale;
use crate::plan::period::SchoolYear;
use crate::text::{Lang, Name};

/// The first school year whose dates are plausible (2000/01).
pub const FIRST_SCHOOL_YEAR: i32 = 2000;
/// The last school year whose dates are plausible (2100/01).
pub const LAST_SCHOOL_YEAR: i32 = 2100;
/// 1 September of [`FIRST_SCHOOL_YEAR`].
pub const FIRST_PLAUSIBLE_DAY: NaiveDate =
    NaiveDate::from_ymd_opt(FIRST_SCHOOL_YEAR, 9, 1).expect("a real day");
/// 31 August after [`LAST_SCHOOL_YEAR`] starts.
pub const LAST_PLAUSIBLE_DAY: NaiveDate =
    NaiveDate::from_ymd_opt(LAST_SCHOOL_YEAR + 1, 8, 31).expect("a real day");

/// Whether `date` falls in a plausible school year (see the module docs).
pub fn is_plausible_date(date: NaiveDate) -> bool {
    SchoolYear::of_date(date)
        .is_some_and(|y| (FIRST_SCHOOL_YEAR..=LAST_SCHOOL_YEAR).contains(&y.start()))
}

/// What carries an implausible date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dated {
    /// A lesson, by its topic.
    Lesson {
        /// The lesson's topic.
        topic: Name,
    },
    /// An evidence record (its lesson's date).
    Evidence,
    /// A gradebook mark, by its class.
    Mark {
        /// The class's name, or its id when the file has no such class.
        class: String,
    },
}

/// One thing in a backup that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implausible {
    /// A gradebook mark that is not on the scale of the rules it is judged by.
    MarkOffScale {
        /// The class's name, or its id when the file has no such class.
        class: String,
        /// The mark as written.
        value: String,
        /// The mark's date.
        date: NaiveDate,
    },
    /// A date outside the plausible school years.
    DateOutOfRange {
        /// What carries it.
        what: Dated,
        /// The date.
        date: NaiveDate,
        /// How many items carry an implausible date of this kind (this is the first).
        count: usize,
    },
    /// One student id for two roster entries, in one class or in two.
    SharedStudentId {
        /// The id.
        id: StudentId,
        /// The first entry: class name and student name.
        first: (Name, Name),
        /// The second entry.
        second: (Name, Name),
    },
}

/// The plausible school years as people write them: «2000/01–2100/01».
pub fn school_years() -> String {
    format!(
        "{FIRST_SCHOOL_YEAR}/{:02}–{LAST_SCHOOL_YEAR}/{:02}",
        (FIRST_SCHOOL_YEAR + 1) % 100,
        (LAST_SCHOOL_YEAR + 1) % 100
    )
}

impl Implausible {
    /// The problem in `lang`, for the CLI and logs (the app words it from its translations).
    /// Russian dates read 31.12.9999, English ones 9999-12-31.
    pub fn describe(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let day = |d: &NaiveDate| d.format(if ru { "%d.%m.%Y" } else { "%Y-%m-%d" }).to_string();
        match self {
            Self::MarkOffScale { class, value, date } if ru => {
                format!("отметка «{value}» от {} в классе {class} — не из шкалы отметок", day(date))
            }
            Self::MarkOffScale { class, value, date } => format!(
                "the mark «{value}» of {} in class {class} is not on the marking scale",
                day(date)
            ),
            Self::DateOutOfRange { what, date, count } => {
                let what = match (what, ru) {
                    (Dated::Lesson { topic }, true) => format!("урок «{topic}» датирован"),
                    (Dated::Lesson { topic }, false) => format!("the lesson «{topic}» is dated"),
                    (Dated::Evidence, true) => "запись наблюдения датирована".to_owned(),
                    (Dated::Evidence, false) => "an evidence record is dated".to_owned(),
                    (Dated::Mark { class }, true) => format!("отметка в классе {class} датирована"),
                    (Dated::Mark { class }, false) => format!("a mark in class {class} is dated"),
                };
                let more = match count.saturating_sub(1) {
                    0 => String::new(),
                    n if ru => format!(" (таких ещё {n})"),
                    n => format!(" ({n} more like it)"),
                };
                let outside =
                    if ru { "вне учебных лет" } else { "outside the school years" };
                format!("{what} {}, {outside} {}{more}", day(date), school_years())
            }
            Self::SharedStudentId { id, first: (class_a, a), second: (class_b, b) } => {
                match (class_a == class_b, ru) {
                    (true, true) => {
                        format!(
                            "один идентификатор ученика {id} у «{a}» и «{b}» в классе {class_a}"
                        )
                    }
                    (true, false) => format!(
                        "the student id {id} stands for both «{a}» and «{b}» in class {class_a}"
                    ),
                    (false, true) => {
                        format!(
                            "один идентификатор ученика {id} у «{a}» ({class_a}) и «{b}» ({class_b})"
                        )
                    }
                    (false, false) => format!(
                        "the student id {id} stands for «{a}» in class {class_a} and «{b}» in \
                         class {class_b}"
                    ),
                }
            }
        }
    }
}

impl fmt::Display for Implausible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// Every implausible thing in `backup`, in the order: shared student ids, dates (lessons,
/// evidence, marks), marks off the scale. Marks are judged by `scale`, the scale of the rules
/// that will be in force once the backup is taken in (see [`scale_in_force`]).
pub fn check(backup: &Backup, scale: &MarkScale) -> Vec<Implausible> {
    let mut out = Vec::new();
    shared_ids(backup, &mut out);
    dates(backup, &mut out);
    let class_label = class_labels(backup);
    for book in &backup.gradebooks {
        for mark in book.marks() {
            if scale.mark(mark.value.as_str()).is_none() {
                out.push(Implausible::MarkOffScale {
                    class: class_label(book.class()),
                    value: mark.value.to_string(),
                    date: mark.date,
                });
            }
        }
    }
    out
}

/// What makes `incoming` implausible to merge into `existing`: [`check`] of `incoming` under the
/// [`scale_in_force`], then each of its students whose id already stands for a student of
/// another class in `existing`. What `existing` holds on its own is not judged.
pub fn check_import(existing: &Backup, incoming: &Backup) -> Vec<Implausible> {
    let mut out = check(incoming, &scale_in_force(existing, incoming));
    let here: BTreeMap<StudentId, (ClassId, (Name, Name))> = existing
        .classes
        .iter()
        .flat_map(|c| {
            c.students().iter().map(|s| (s.id, (c.id, (c.name.clone(), s.display_name.clone()))))
        })
        .collect();
    for class in &incoming.classes {
        for student in class.students() {
            let Some((class_here, first)) = here.get(&student.id) else { continue };
            let shared = Implausible::SharedStudentId {
                id: student.id,
                first: first.clone(),
                second: (class.name.clone(), student.display_name.clone()),
            };
            // The file may say the same on its own (the class here is in it too): once is enough.
            if *class_here != class.id && !out.contains(&shared) {
                out.push(shared);
            }
        }
    }
    out
}

/// The scale marks are judged by once `incoming` is merged into `existing`: that of the policy
/// already here, else of the file's own (the merge takes the file's policy only when there is
/// none here), else the plain 5-point scale 2–5 (the scale of the default rules, which the app
/// uses until a school sets its own).
pub fn scale_in_force(existing: &Backup, incoming: &Backup) -> MarkScale {
    existing
        .policy
        .as_ref()
        .or(incoming.policy.as_ref())
        .map_or_else(|| MarkScale::russian_five(None), |p| p.scale().clone())
}

fn class_labels(backup: &Backup) -> impl Fn(ClassId) -> String + '_ {
    move |id| {
        backup
            .classes
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.to_string())
    }
}

fn shared_ids(backup: &Backup, out: &mut Vec<Implausible>) {
    let mut seen: BTreeMap<StudentId, (Name, Name)> = BTreeMap::new();
    for class in &backup.classes {
        for student in class.students() {
            let here = (class.name.clone(), student.display_name.clone());
            match seen.get(&student.id) {
                Some(first) => out.push(Implausible::SharedStudentId {
                    id: student.id,
                    first: first.clone(),
                    second: here,
                }),
                None => {
                    seen.insert(student.id, here);
                }
            }
        }
    }
}

fn dates(backup: &Backup, out: &mut Vec<Implausible>) {
    let mut push = |items: Vec<(Dated, NaiveDate)>| {
        let count = items.len();
        if let Some((what, date)) = items.into_iter().next() {
            out.push(Implausible::DateOutOfRange { what, date, count });
        }
    };
    let implausible = |date: &NaiveDate| !is_plausible_date(*date);
    // Each lesson is named: a teacher finds it by its topic.
    for lesson in backup.lessons.iter().filter(|l| implausible(&l.date())) {
        push(vec![(Dated::Lesson { topic: lesson.topic().clone() }, lesson.date())]);
    }
    // Evidence and marks are many: the first stands for the rest.
    push(
        backup
            .evidence
            .iter()
            .map(|r| r.lesson_date())
            .filter(implausible)
            .map(|d| (Dated::Evidence, d))
            .collect(),
    );
    let class_label = class_labels(backup);
    push(
        backup
            .gradebooks
            .iter()
            .flat_map(|b| b.marks().iter().map(move |m| (b.class(), m.date)))
            .filter(|(_, d)| implausible(d))
            .map(|(class, d)| (Dated::Mark { class: class_label(class) }, d))
            .collect(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{EvidenceDraft, EvidenceRecord, Journal};
    use crate::ids::{CriterionId, EvidenceId, LessonId, MarkId, WorkTypeId};
    use crate::lesson::Lesson;
    use crate::marks::average::{Rounding, TermRule, example_work_types};
    use crate::marks::gradebook::GradebookDraft;
    use crate::marks::{Fraction, Gradebook, Mark, MarkingPolicy, PlusMinus};
    use crate::roster::Class;
    use crate::technique::{Light, Response, TechniqueKind};
    use chrono::DateTime;

    fn name(text: &str) -> Name {
        Name::parse(text).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn policy() -> MarkingPolicy {
        let rule =
            TermRule::five_point(Fraction::parse("0.65").unwrap(), Rounding::HalfUp { places: 2 })
                .unwrap();
        let (k, l, h) =
            (WorkTypeId::from_u128(1), WorkTypeId::from_u128(2), WorkTypeId::from_u128(3));
        MarkingPolicy::new(MarkScale::russian_five(None), example_work_types(k, l, h), rule, vec![])
            .unwrap()
    }

    /// A class as a file would hold it (the file, not `add_student`, decides the ids).
    fn class(id: u128, class_name: &str, students: &[(u128, &str)]) -> Class {
        let students: Vec<_> = students
            .iter()
            .enumerate()
            .map(|(i, (s, n))| {
                serde_json::json!({
                    "id": StudentId::from_u128(*s),
                    "display_name": n,
                    "pseudonym": crate::roster::Pseudonym::nth(i),
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "id": ClassId::from_u128(id), "name": class_name, "students": students
        }))
        .unwrap()
    }

    fn lesson(id: u128, date: NaiveDate, topic: &str) -> Lesson {
        Lesson::new(LessonId::from_u128(id), ClassId::from_u128(1), date, topic, vec![]).unwrap()
    }

    fn record(id: u128, date: NaiveDate) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(id),
            lesson: LessonId::from_u128(100),
            lesson_date: date,
            class: ClassId::from_u128(1),
            student: Some(StudentId::from_u128(10)),
            criterion: CriterionId::from_u128(50),
            technique: TechniqueKind::TrafficLight,
            value: Response::Light(Light::Green),
            source: crate::evidence::Source::SelfAssessment,
            author: None,
            recorded_at: DateTime::from_timestamp(1_725_265_800, 0).unwrap(),
        })
        .unwrap()
    }

    fn gradebook(class: u128, marks: &[(u128, &str, NaiveDate)]) -> Gradebook {
        let marks = marks
            .iter()
            .map(|(id, value, date)| Mark {
                id: MarkId::from_u128(*id),
                student: StudentId::from_u128(10),
                work_type: WorkTypeId::from_u128(2),
                date: *date,
                value: name(value),
                comment: None,
            })
            .collect();
        Gradebook::try_from(GradebookDraft { class: ClassId::from_u128(class), marks }).unwrap()
    }

    /// A plausible backup: one class of two, a lesson, a record and two marks in September 2024.
    fn good() -> Backup {
        let mut evidence = Journal::default();
        evidence.append(record(1, day(2024, 9, 2))).unwrap();
        Backup {
            classes: vec![class(1, "5А", &[(10, "Аня"), (11, "Боря")])],
            lessons: vec![lesson(100, day(2024, 9, 2), "Дроби")],
            evidence,
            gradebooks: vec![gradebook(1, &[(1, "5", day(2024, 9, 2)), (2, "3", day(2024, 9, 3))])],
            ..Backup::default()
        }
    }

    /// Checks `input` under the 5-point scale of [`policy`].
    fn check(input: Backup, expected: &[Implausible]) {
        assert_eq!(super::check(&input, policy().scale()), expected);
    }

    #[test]
    fn a_plausible_backup_has_no_problems() {
        check(good(), &[]);
        check(Backup::default(), &[]);
    }

    #[test]
    fn marks_off_the_scale() {
        let mut input = good();
        input.gradebooks = vec![gradebook(
            1,
            &[(1, "-3", day(2024, 9, 2)), (2, "4", day(2024, 9, 3)), (3, "6", day(2024, 9, 4))],
        )];
        check(
            input.clone(),
            &[
                Implausible::MarkOffScale {
                    class: "5А".into(),
                    value: "-3".into(),
                    date: day(2024, 9, 2),
                },
                Implausible::MarkOffScale {
                    class: "5А".into(),
                    value: "6".into(),
                    date: day(2024, 9, 4),
                },
            ],
        );
        // A gradebook of a class the file does not have is named by the class id.
        input.classes.clear();
        let got = super::check(&input, policy().scale());
        assert!(
            matches!(&got[0], Implausible::MarkOffScale { class, .. } if *class == ClassId::from_u128(1).to_string())
        );
    }

    #[test]
    fn dates_outside_the_school_years() {
        let mut input = good();
        input.lessons.push(lesson(101, day(9999, 12, 31), "Проценты"));
        input.lessons.push(lesson(102, day(2000, 8, 31), "Углы"));
        input.evidence.append(record(2, day(1999, 1, 1))).unwrap();
        input.evidence.append(record(3, day(2101, 9, 1))).unwrap();
        input.gradebooks = vec![gradebook(1, &[(1, "5", day(2200, 1, 1))])];
        check(
            input,
            &[
                Implausible::DateOutOfRange {
                    what: Dated::Lesson { topic: name("Проценты") },
                    date: day(9999, 12, 31),
                    count: 1,
                },
                Implausible::DateOutOfRange {
                    what: Dated::Lesson { topic: name("Углы") },
                    date: day(2000, 8, 31),
                    count: 1,
                },
                Implausible::DateOutOfRange {
                    what: Dated::Evidence,
                    date: day(1999, 1, 1),
                    count: 2,
                },
                Implausible::DateOutOfRange {
                    what: Dated::Mark { class: "5А".into() },
                    date: day(2200, 1, 1),
                    count: 1,
                },
            ],
        );
    }

    #[test]
    fn the_plausible_range_is_inclusive() {
        assert!(is_plausible_date(FIRST_PLAUSIBLE_DAY));
        assert!(is_plausible_date(LAST_PLAUSIBLE_DAY));
        assert!(!is_plausible_date(FIRST_PLAUSIBLE_DAY.pred_opt().unwrap()));
        assert!(!is_plausible_date(LAST_PLAUSIBLE_DAY.succ_opt().unwrap()));
        assert!(!is_plausible_date(NaiveDate::MAX));
    }

    #[test]
    fn shared_student_ids() {
        let mut input = good();
        input.classes = vec![
            class(1, "5А", &[(10, "Аня"), (10, "Вера")]),
            class(2, "6Б", &[(11, "Гоша"), (10, "Дима")]),
        ];
        check(
            input,
            &[
                Implausible::SharedStudentId {
                    id: StudentId::from_u128(10),
                    first: (name("5А"), name("Аня")),
                    second: (name("5А"), name("Вера")),
                },
                Implausible::SharedStudentId {
                    id: StudentId::from_u128(10),
                    first: (name("5А"), name("Аня")),
                    second: (name("6Б"), name("Дима")),
                },
            ],
        );
    }

    #[test]
    fn an_import_may_not_reuse_a_student_id_of_another_class_here() {
        let existing = good();
        // The same class again (the same ids): nothing implausible, the merge sorts it out.
        assert_eq!(check_import(&existing, &good()), []);
        let mut incoming = good();
        incoming.classes = vec![class(2, "6Б", &[(12, "Гоша"), (11, "Дима")])];
        assert_eq!(
            check_import(&existing, &incoming),
            [Implausible::SharedStudentId {
                id: StudentId::from_u128(11),
                first: (name("5А"), name("Боря")),
                second: (name("6Б"), name("Дима")),
            }]
        );
        // The file's own problems come first, judged by the rules in force here.
        incoming.gradebooks = vec![gradebook(2, &[(1, "4-", day(2024, 9, 2))])];
        let got = check_import(&existing, &incoming);
        assert!(matches!(got[0], Implausible::MarkOffScale { .. }), "{got:?}");
        assert_eq!(got.len(), 2);
        // A student shared within the file and with the class here is listed once.
        let mut incoming = good();
        incoming.classes.push(class(2, "6Б", &[(10, "Аня")]));
        assert_eq!(check_import(&existing, &incoming).len(), 1);
    }

    #[test]
    fn the_scale_in_force_is_the_one_here_first() {
        let plus_minus = MarkScale::russian_five(Some(
            PlusMinus::new(Fraction::parse("0.25").unwrap()).unwrap(),
        ));
        let with = |scale: &MarkScale| {
            let p = policy();
            let p = MarkingPolicy::new(
                scale.clone(),
                p.work_types().to_vec(),
                p.term_rule().clone(),
                vec![],
            )
            .unwrap();
            Backup { policy: Some(p), ..Backup::default() }
        };
        let none = Backup::default();
        let five = MarkScale::russian_five(None);
        assert_eq!(scale_in_force(&with(&plus_minus), &with(&five)), plus_minus);
        assert_eq!(scale_in_force(&none, &with(&plus_minus)), plus_minus);
        assert_eq!(scale_in_force(&none, &none), five);
        // «4-» is a mark only where the school's scale has ± marks.
        let mut input = good();
        input.gradebooks = vec![gradebook(1, &[(1, "4-", day(2024, 9, 2))])];
        assert_eq!(super::check(&input, &plus_minus), []);
        assert_eq!(super::check(&input, &five).len(), 1);
    }

    #[test]
    fn problems_read_in_english() {
        let shared = Implausible::SharedStudentId {
            id: StudentId::from_u128(10),
            first: (name("5А"), name("Аня")),
            second: (name("6Б"), name("Дима")),
        };
        assert_eq!(
            shared.to_string(),
            format!(
                "the student id {} stands for «Аня» in class 5А and «Дима» in class 6Б",
                StudentId::from_u128(10)
            )
        );
        let date = Implausible::DateOutOfRange {
            what: Dated::Evidence,
            date: day(9999, 12, 31),
            count: 3,
        };
        assert_eq!(
            date.to_string(),
            "an evidence record is dated 9999-12-31, outside the school years 2000/01–2100/01 \
             (2 more like it)"
        );
        assert_eq!(
            date.describe(Lang::Ru),
            "запись наблюдения датирована 31.12.9999, вне учебных лет 2000/01–2100/01 (таких ещё 2)"
        );
        assert_eq!(school_years(), "2000/01–2100/01");
    }
}
