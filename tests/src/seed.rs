//! Teacher data made with core's types for the browser tests to import through the data page: a
//! class with lessons, and светофор answers from the students and from the teacher on every
//! criterion (self − teacher pairs for the calibration view, scores for the mastery view).

use anyhow::{Context, Result};
use chrono::{NaiveDate, TimeZone, Utc};
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Journal, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::{Kind, seal};
use lesenka_core::roster::Class;
use lesenka_core::technique::{Light, Response, TechniqueKind};
use lesenka_core::text::Name;

/// A class, its lessons and the evidence on them.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The class.
    pub class: Class,
    /// Its lessons, oldest first.
    pub lessons: Vec<Lesson>,
    /// The criteria every lesson assesses.
    pub criteria: Vec<CriterionId>,
    /// The evidence.
    pub records: Vec<EvidenceRecord>,
}

/// A small deterministic generator (xorshift64), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const LIGHTS: [Light; 3] = [Light::Red, Light::Yellow, Light::Green];

/// `students` × `lessons` (a week apart from 2 September 2026) × `criteria`: for each, the
/// teacher's светофор (nine times in ten) and the student's own (nine times in ten), the student's
/// light at most one step from the teacher's, drawn from `seed`.
pub fn class_year(students: usize, lessons: usize, criteria: usize, seed: u64) -> Result<Seeded> {
    let mut rng = Rng(seed.max(1));
    let class_id = ClassId::from_u128(0xC1A5_5000_0000_0000_0000_0000_0000_0001);
    let mut class = Class::new(class_id, Name::parse("7Б")?);
    for s in 0..students {
        let id = StudentId::from_u128(0x5700_0000_0000_0000_0000_0000_0000_0000 + s as u128);
        class.add_student(id, Name::parse(&format!("Ученик {:02}", s + 1))?)?;
    }
    let criteria: Vec<CriterionId> = (0..criteria)
        .map(|c| CriterionId::from_u128(0xC717_0000_0000_0000_0000_0000_0000_0000 + c as u128))
        .collect();
    let wording: Vec<(CriterionId, String)> =
        criteria.iter().enumerate().map(|(i, c)| (*c, format!("Критерий {}", i + 1))).collect();
    let wording: Vec<(CriterionId, &str)> = wording.iter().map(|(c, t)| (*c, t.as_str())).collect();
    let first = NaiveDate::from_ymd_opt(2026, 9, 2).context("date")?;
    let mut held = Vec::new();
    let mut records = Vec::new();
    let mut next_id = 0x0E00_0000_0000_0000_0000_0000_0000_0000_u128;
    for l in 0..lessons {
        let date = first + chrono::Days::new(7 * l as u64);
        let id = LessonId::from_u128(0x1E55_0000_0000_0000_0000_0000_0000_0000 + l as u128);
        held.push(Lesson::with_texts(id, class_id, date, &format!("Урок {}", l + 1), &wording)?);
        let at = Utc.from_utc_datetime(&date.and_hms_opt(10, 0, 0).context("time")?);
        for student in class.students() {
            for criterion in &criteria {
                let teacher = rng.below(3) as usize;
                let own = match rng.below(4) {
                    0 => teacher.saturating_sub(1),
                    1 => (teacher + 1).min(2),
                    _ => teacher,
                };
                for (source, light, keep) in [
                    (Source::Teacher, LIGHTS[teacher], rng.below(10) < 9),
                    (Source::SelfAssessment, LIGHTS[own], rng.below(10) < 9),
                ] {
                    if !keep {
                        continue;
                    }
                    next_id += 1;
                    records.push(EvidenceRecord::new(EvidenceDraft {
                        id: EvidenceId::from_u128(next_id),
                        lesson: id,
                        lesson_date: date,
                        class: class_id,
                        student: Some(student.id),
                        criterion: *criterion,
                        technique: TechniqueKind::TrafficLight,
                        value: Response::Light(light),
                        source,
                        author: None,
                        recorded_at: at + chrono::Duration::seconds(next_id as i64 % 600),
                    })?);
                }
            }
        }
    }
    Ok(Seeded { class, lessons: held, criteria, records })
}

impl Seeded {
    /// The backup file the data page imports.
    pub fn backup_text(&self) -> String {
        let backup = Backup {
            classes: vec![self.class.clone()],
            lessons: self.lessons.clone(),
            evidence: Journal::from_records(self.records.clone()).0,
            ..Backup::default()
        };
        seal(Kind::Backup, &backup)
    }
}
