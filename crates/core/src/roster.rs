//! Classes and students.
//!
//! A student has a display name (what the teacher sees on a laptop) and a pseudonym (what a shared
//! screen shows: an animal and a number, the same in every language). A roster is pasted as one
//! name per line; [`parse_roster`] reads such a paste and reports every line it could not take.

use serde::{Deserialize, Serialize};

use crate::ids::{ClassId, StudentId};
use crate::mastery::{Method, MethodKind};
use crate::text::{Name, TextError};

/// A name shown on shared screens instead of the student's real one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pseudonym(String);

const ANIMALS: [&str; 32] = [
    "🦊", "🐻", "🐼", "🐨", "🐯", "🦁", "🐮", "🐷", "🐸", "🐵", "🐔", "🐧", "🐦", "🦉", "🦄", "🐝",
    "🐢", "🐙", "🐬", "🐳", "🦋", "🐞", "🦔", "🦒", "🦓", "🐘", "🦘", "🦥", "🦦", "🐿", "🦩", "🐺",
];

impl Pseudonym {
    /// The pseudonym of the student at `index` in the class (0-based): an animal and a number.
    pub fn nth(index: usize) -> Self {
        Self(format!("{} {}", ANIMALS[index % ANIMALS.len()], index + 1))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A student of a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    /// Stable id.
    pub id: StudentId,
    /// The real name, for the teacher's own screens.
    pub display_name: Name,
    /// The name for shared screens.
    pub pseudonym: Pseudonym,
}

/// A class with its students, in roster order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    /// Stable id.
    pub id: ClassId,
    /// «5А», «7 Б (информатика)».
    pub name: Name,
    students: Vec<Student>,
    /// How the class's mastery rolls up, once the teacher chose (stored only then, so a class
    /// saved before the choice existed reads and writes the same bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mastery: Option<MethodKind>,
}

/// Why a roster change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    /// The same student id is already in the class.
    #[error("student {0} is already in the class")]
    DuplicateId(StudentId),
}

impl Class {
    /// An empty class.
    pub fn new(id: ClassId, name: Name) -> Self {
        Self { id, name, students: Vec::new(), mastery: None }
    }

    /// The method the teacher chose for the class's mastery (its kind's preset); core's default
    /// until then.
    pub fn mastery_method(&self) -> Method {
        self.mastery.map(MethodKind::preset).unwrap_or_default()
    }

    /// Chooses how the class's mastery rolls up.
    pub fn set_mastery_method(&mut self, kind: MethodKind) {
        self.mastery = Some(kind);
    }

    /// The students in roster order.
    pub fn students(&self) -> &[Student] {
        &self.students
    }

    /// Finds a student.
    pub fn student(&self, id: StudentId) -> Option<&Student> {
        self.students.iter().find(|s| s.id == id)
    }

    /// Adds a student at the end of the roster; the pseudonym follows from the position.
    pub fn add_student(
        &mut self,
        id: StudentId,
        display_name: Name,
    ) -> Result<&Student, RosterError> {
        if self.student(id).is_some() {
            return Err(RosterError::DuplicateId(id));
        }
        let pseudonym = Pseudonym::nth(self.students.len());
        self.students.push(Student { id, display_name, pseudonym });
        Ok(self.students.last().expect("just pushed"))
    }
}

/// One line of a pasted roster that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterProblem {
    /// 1-based line number in the paste.
    pub line: usize,
    /// What was on the line.
    pub text: String,
    /// Why it was not taken.
    pub kind: RosterProblemKind,
}

/// Why a roster line was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterProblemKind {
    /// The name is longer than a name can be.
    TooLong,
    /// The same name stands on an earlier line.
    Duplicate {
        /// The earlier line.
        first_line: usize,
    },
}

/// The result of reading a pasted roster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterPaste {
    /// The names taken, in order.
    pub names: Vec<Name>,
    /// The lines not taken.
    pub problems: Vec<RosterProblem>,
}

/// Reads a roster pasted as one name per line.
///
/// Blank lines are skipped; a leading list number («1.», «2)», «3 ») and surrounding tabs are
/// dropped, so a column copied from a document works as it is. A name repeated on a later line
/// is reported rather than silently added twice.
pub fn parse_roster(text: &str) -> RosterPaste {
    const MAX_NAME: usize = 120;
    let mut paste = RosterPaste::default();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let stripped = strip_list_number(raw);
        match Name::parse_with_limit(stripped, MAX_NAME) {
            Err(TextError::Empty) => {}
            Err(TextError::TooLong { .. }) => paste.problems.push(RosterProblem {
                line,
                text: raw.to_owned(),
                kind: RosterProblemKind::TooLong,
            }),
            Ok(name) => {
                let key = name.key();
                if let Some((_, first_line)) = seen.iter().find(|(k, _)| *k == key) {
                    paste.problems.push(RosterProblem {
                        line,
                        text: raw.to_owned(),
                        kind: RosterProblemKind::Duplicate { first_line: *first_line },
                    });
                } else {
                    seen.push((key, line));
                    paste.names.push(name);
                }
            }
        }
    }
    paste
}

fn strip_list_number(raw: &str) -> &str {
    let trimmed = raw.trim_start();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return trimmed;
    }
    let rest = &trimmed[digits..];
    let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')')).unwrap_or(rest);
    if rest.starts_with(char::is_whitespace) { rest } else { trimmed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_keeps_its_mastery_method_and_stores_nothing_before_the_choice() {
        let id = ClassId::from_u128(7);
        let mut class = Class::new(id, Name::parse("7Б").unwrap());
        let before = serde_json::to_value(&class).unwrap();
        assert!(before.get("mastery").is_none(), "no field until chosen: {before}");
        assert_eq!(class.mastery_method(), Method::default());
        class.set_mastery_method(MethodKind::Highest);
        let text = serde_json::to_string(&class).unwrap();
        let back: Class = serde_json::from_str(&text).unwrap();
        assert_eq!(back.mastery_method(), Method::Highest);
        assert_eq!(back, class);
        let old: Class = serde_json::from_value(before).unwrap();
        assert_eq!(old.mastery_method(), Method::default());
    }

    #[test]
    fn pasted_roster_keeps_names_and_reports_repeats() {
        let paste =
            parse_roster("1. Иванова Мария\n\n2) Петров  Пётр\n\tСидоров Иван\t\nпетров пётр\n");
        let names: Vec<_> = paste.names.iter().map(Name::as_str).collect();
        assert_eq!(names, ["Иванова Мария", "Петров Пётр", "Сидоров Иван"]);
        assert_eq!(
            paste.problems,
            [RosterProblem {
                line: 5,
                text: "петров пётр".into(),
                kind: RosterProblemKind::Duplicate { first_line: 3 }
            }]
        );
    }

    #[test]
    fn digits_that_are_part_of_a_name_stay() {
        assert_eq!(parse_roster("2024abc").names[0].as_str(), "2024abc");
    }

    #[test]
    fn pseudonyms_follow_roster_order_and_ids_are_unique() {
        let mut class = Class::new(ClassId::from_u128(1), Name::parse("5А").unwrap());
        let a = StudentId::from_u128(10);
        class.add_student(a, Name::parse("Аня").unwrap()).unwrap();
        class.add_student(StudentId::from_u128(11), Name::parse("Боря").unwrap()).unwrap();
        assert_eq!(class.students()[0].pseudonym.as_str(), "🦊 1");
        assert_eq!(class.students()[1].pseudonym.as_str(), "🐻 2");
        assert_eq!(
            class.add_student(a, Name::parse("Аня").unwrap()),
            Err(RosterError::DuplicateId(a))
        );
    }
}
