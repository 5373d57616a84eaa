//! Self / teacher calibration: how far students' self-assessment is from the teacher's.
//!
//! For each student × criterion × lesson where both a self-assessment and a teacher assessment
//! exist with the same ordinal technique, the gap is self − teacher on that technique's scale
//! (ladder steps; светофор and thumbs levels 1..=3 from red/down; fingers 0..=5). When a source
//! answered several times, its latest record (by record time, then id) counts.
//!
//! [`calibrate`] reports, per class and per student: the mean signed gap (positive = the student
//! over-estimates), the mean absolute gap, the share of exact agreement, and the trend over the
//! term: the least-squares slope of |gap| against lesson order (negative = converging), and the
//! mean |gap| in the first and second half of the class's lessons.
//!
//! A report also answers what a class's screen shows: [`CalibrationReport::cells`], the figures
//! per student × criterion of a class, and [`CalibrationReport::series`], the mean gaps lesson by
//! lesson of a class or of one of its students (the points of a trend chart).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::evidence::{EvidenceRecord, Source};
use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use crate::technique::{Light, Response, TechniqueKind, Thumb};

/// One self/teacher pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrationPair {
    /// The class.
    pub class: ClassId,
    /// The student.
    pub student: StudentId,
    /// The criterion.
    pub criterion: CriterionId,
    /// The lesson.
    pub lesson: LessonId,
    /// The lesson's date.
    pub date: NaiveDate,
    /// 0-based position of the lesson among the class's calibrated lessons (by date, then id).
    pub order: usize,
    /// The technique both used.
    pub technique: TechniqueKind,
    /// The student's own position on the scale.
    pub self_value: i32,
    /// The teacher's position on the scale.
    pub teacher_value: i32,
    /// self − teacher.
    pub gap: i32,
}

/// How |gap| changes over the term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Least-squares slope of |gap| per lesson (negative = converging); none with fewer than two
    /// distinct lessons.
    pub slope: Option<f64>,
    /// Mean |gap| over the first half of the class's lessons.
    pub first_half: Option<f64>,
    /// Mean |gap| over the second half.
    pub second_half: Option<f64>,
}

/// Calibration figures over a set of pairs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// How many pairs.
    pub pairs: u32,
    /// Mean of self − teacher (positive = over-estimation).
    pub mean_gap: f64,
    /// Mean |self − teacher|.
    pub mean_abs_gap: f64,
    /// Share of pairs with self = teacher, in 0..=1.
    pub exact_share: f64,
    /// Share of pairs with self > teacher, in 0..=1.
    pub over_share: f64,
    /// Share of pairs with self < teacher, in 0..=1.
    pub under_share: f64,
    /// The trend over the term.
    pub trend: Trend,
}

/// Calibration per class and per student, with the pairs it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CalibrationReport {
    /// Every pair, ordered by class, lesson order, student, criterion, technique.
    pub pairs: Vec<CalibrationPair>,
    /// Figures per class.
    pub classes: BTreeMap<ClassId, Summary>,
    /// Figures per student.
    pub students: BTreeMap<StudentId, Summary>,
}

/// Calibration figures of one student on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// The student.
    pub student: StudentId,
    /// The criterion.
    pub criterion: CriterionId,
    /// The figures over the student's pairs on the criterion.
    pub summary: Summary,
}

/// The gaps of one lesson: a point of the trend over the term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LessonGap {
    /// The lesson.
    pub lesson: LessonId,
    /// Its date.
    pub date: NaiveDate,
    /// Its 0-based position among the class's calibrated lessons.
    pub order: usize,
    /// How many pairs the lesson has.
    pub pairs: u32,
    /// Mean of self − teacher over them.
    pub mean_gap: f64,
    /// Mean |self − teacher| over them.
    pub mean_abs_gap: f64,
}

impl CalibrationReport {
    /// The class's figures per student × criterion, ordered by student id, then criterion id.
    pub fn cells(&self, class: ClassId) -> Vec<Cell> {
        let mut groups: BTreeMap<(StudentId, CriterionId), Vec<&CalibrationPair>> = BTreeMap::new();
        for p in self.pairs.iter().filter(|p| p.class == class) {
            groups.entry((p.student, p.criterion)).or_default().push(p);
        }
        let lessons = self.lesson_count(class);
        groups
            .into_iter()
            .map(|((student, criterion), ps)| Cell {
                student,
                criterion,
                summary: summarise(&ps, &|_| lessons),
            })
            .collect()
    }

    /// The class's gaps lesson by lesson, in lesson order; with `student`, that student's only
    /// (lessons where they have no pair are left out).
    pub fn series(&self, class: ClassId, student: Option<StudentId>) -> Vec<LessonGap> {
        let mut out: Vec<LessonGap> = Vec::new();
        // Pairs are ordered by class, then lesson order: one lesson's pairs are adjacent.
        let chosen = self
            .pairs
            .iter()
            .filter(|p| p.class == class && student.is_none_or(|s| s == p.student));
        for p in chosen {
            let gap = f64::from(p.gap);
            let abs = f64::from(p.gap.unsigned_abs());
            match out.last_mut() {
                Some(last) if last.lesson == p.lesson => {
                    last.pairs += 1;
                    last.mean_gap += gap;
                    last.mean_abs_gap += abs;
                }
                _ => out.push(LessonGap {
                    lesson: p.lesson,
                    date: p.date,
                    order: p.order,
                    pairs: 1,
                    mean_gap: gap,
                    mean_abs_gap: abs,
                }),
            }
        }
        for point in &mut out {
            point.mean_gap /= f64::from(point.pairs);
            point.mean_abs_gap /= f64::from(point.pairs);
        }
        out
    }

    /// How many calibrated lessons the class has.
    fn lesson_count(&self, class: ClassId) -> usize {
        self.pairs.iter().filter(|p| p.class == class).map(|p| p.order + 1).max().unwrap_or(0)
    }
}

/// A response's position on its technique's ordinal scale, if it has one.
pub fn ordinal(response: &Response) -> Option<i32> {
    match response {
        Response::Step(s) => Some(i32::from(*s)),
        Response::Fingers(f) => Some(i32::from(*f)),
        Response::Light(l) => Some(match l {
            Light::Red => 1,
            Light::Yellow => 2,
            Light::Green => 3,
        }),
        Response::Thumb(t) => Some(match t {
            Thumb::Down => 1,
            Thumb::Sideways => 2,
            Thumb::Up => 3,
        }),
        _ => None,
    }
}

type Key = (ClassId, StudentId, CriterionId, LessonId, TechniqueKind);

/// Pairs self and teacher assessments and summarises the gaps per class and per student.
pub fn calibrate<'a>(records: impl IntoIterator<Item = &'a EvidenceRecord>) -> CalibrationReport {
    // Latest self and teacher answer per key.
    type Latest = Option<((DateTime<Utc>, EvidenceId), i32)>;
    let mut answers: HashMap<Key, (NaiveDate, Latest, Latest)> = HashMap::new();
    for r in records {
        let (Some(student), Some(value)) = (r.student(), ordinal(r.value())) else { continue };
        let key = (r.class(), student, r.criterion(), r.lesson(), r.technique());
        let entry = answers.entry(key).or_insert((r.lesson_date(), None, None));
        let slot = match r.source() {
            Source::SelfAssessment => &mut entry.1,
            Source::Teacher => &mut entry.2,
            Source::Peer => continue,
        };
        {
            let stamp = (r.recorded_at(), r.id());
            if slot.is_none_or(|(s, _)| s < stamp) {
                *slot = Some((stamp, value));
            }
        }
    }

    let mut pairs: Vec<CalibrationPair> = answers
        .into_iter()
        .filter_map(|((class, student, criterion, lesson, technique), (date, s, t))| {
            let (self_value, teacher_value) = (s?.1, t?.1);
            Some(CalibrationPair {
                class,
                student,
                criterion,
                lesson,
                date,
                order: 0,
                technique,
                self_value,
                teacher_value,
                gap: self_value - teacher_value,
            })
        })
        .collect();

    // Lesson order within each class.
    let mut lessons: BTreeMap<ClassId, Vec<(NaiveDate, LessonId)>> = BTreeMap::new();
    let mut seen: HashSet<(ClassId, LessonId)> = HashSet::new();
    for p in &pairs {
        if seen.insert((p.class, p.lesson)) {
            lessons.entry(p.class).or_default().push((p.date, p.lesson));
        }
    }
    let mut order: HashMap<(ClassId, LessonId), usize> = HashMap::new();
    let mut lesson_count: HashMap<ClassId, usize> = HashMap::new();
    for (class, list) in &mut lessons {
        list.sort();
        lesson_count.insert(*class, list.len());
        for (i, (_, lesson)) in list.iter().enumerate() {
            order.insert((*class, *lesson), i);
        }
    }
    for p in &mut pairs {
        p.order = order.get(&(p.class, p.lesson)).copied().unwrap_or(0);
    }
    pairs.sort_by_key(|p| (p.class, p.order, p.student, p.criterion, p.technique));

    let mut by_class: BTreeMap<ClassId, Vec<&CalibrationPair>> = BTreeMap::new();
    let mut by_student: BTreeMap<StudentId, Vec<&CalibrationPair>> = BTreeMap::new();
    for p in &pairs {
        by_class.entry(p.class).or_default().push(p);
        by_student.entry(p.student).or_default().push(p);
    }
    let count = |p: &CalibrationPair| lesson_count.get(&p.class).copied().unwrap_or(0);
    let classes = by_class.into_iter().map(|(c, ps)| (c, summarise(&ps, &count))).collect();
    let students = by_student.into_iter().map(|(s, ps)| (s, summarise(&ps, &count))).collect();
    CalibrationReport { pairs, classes, students }
}

/// Summarises non-empty pairs; `lessons` gives the number of calibrated lessons of a pair's class.
fn summarise(pairs: &[&CalibrationPair], lessons: &dyn Fn(&CalibrationPair) -> usize) -> Summary {
    let n = pairs.len() as f64;
    let share = |f: &dyn Fn(i32) -> bool| pairs.iter().filter(|p| f(p.gap)).count() as f64 / n;
    let abs: Vec<(f64, f64)> =
        pairs.iter().map(|p| (p.order as f64, f64::from(p.gap.unsigned_abs()))).collect();
    let half_mean = |first: bool| {
        let vals: Vec<f64> = pairs
            .iter()
            .filter(|p| (p.order * 2 < lessons(p)) == first)
            .map(|p| f64::from(p.gap.unsigned_abs()))
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
    };
    Summary {
        pairs: u32::try_from(pairs.len()).unwrap_or(u32::MAX),
        mean_gap: pairs.iter().map(|p| f64::from(p.gap)).sum::<f64>() / n,
        mean_abs_gap: abs.iter().map(|(_, y)| y).sum::<f64>() / n,
        exact_share: share(&|g| g == 0),
        over_share: share(&|g| g > 0),
        under_share: share(&|g| g < 0),
        trend: Trend {
            slope: slope(&abs),
            first_half: half_mean(true),
            second_half: half_mean(false),
        },
    }
}

/// Least-squares slope of y on x; none when x does not vary.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::tests::{arb_record, record};
    use proptest::prelude::*;

    const SELF: Source = Source::SelfAssessment;
    const TEACHER: Source = Source::Teacher;

    /// (record id, lesson, day, student, criterion, step, source)
    type Row = (u128, u128, u32, u128, u128, u8, Source);

    fn records(rows: &[Row]) -> Vec<EvidenceRecord> {
        rows.iter()
            .map(|&(id, lesson, day, student, criterion, step, source)| {
                record(id, lesson, day, 1, Some(student), criterion, Response::Step(step), source)
            })
            .collect()
    }

    fn check(rows: &[Row], student: Option<u128>, expected: (u32, f64, f64, Option<f64>)) {
        let recs = records(rows);
        let report = calibrate(&recs);
        let summary = match student {
            Some(s) => report.students.get(&StudentId::from_u128(s)),
            None => report.classes.get(&ClassId::from_u128(1)),
        };
        let s = summary.expect("a summary");
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert_eq!(s.pairs, expected.0, "{rows:?}");
        assert!(close(s.mean_gap, expected.1), "mean gap {} vs {}", s.mean_gap, expected.1);
        assert!(close(s.exact_share, expected.2), "exact {} vs {}", s.exact_share, expected.2);
        match (s.trend.slope, expected.3) {
            (Some(a), Some(b)) => assert!(close(a, b), "slope {a} vs {b}"),
            (a, b) => assert_eq!(a, b),
        }
    }

    #[test]
    fn gaps_agreement_and_trend() {
        // Student 1 over-estimates by 2, then 1, then agrees: converging, slope −1 per lesson.
        let converging: &[Row] = &[
            (1, 1, 1, 1, 1, 5, SELF),
            (2, 1, 1, 1, 1, 3, TEACHER),
            (3, 2, 8, 1, 1, 4, SELF),
            (4, 2, 8, 1, 1, 3, TEACHER),
            (5, 3, 15, 1, 1, 4, SELF),
            (6, 3, 15, 1, 1, 4, TEACHER),
            // A self-assessment without a teacher's: not paired.
            (7, 3, 15, 1, 2, 4, SELF),
        ];
        check(converging, Some(1), (3, 1.0, 1.0 / 3.0, Some(-1.0)));
        // Student 2 under-estimates in one lesson only: no slope.
        let under: &[Row] = &[(1, 1, 1, 2, 1, 2, SELF), (2, 1, 1, 2, 1, 4, TEACHER)];
        check(under, Some(2), (1, -2.0, 0.0, None));
        // The latest self-assessment counts when a student re-taps.
        let retap: &[Row] =
            &[(1, 1, 1, 3, 1, 1, SELF), (9, 1, 1, 3, 1, 3, SELF), (2, 1, 1, 3, 1, 3, TEACHER)];
        check(retap, Some(3), (1, 0.0, 1.0, None));
        // The class combines everyone.
        let class: Vec<Row> = converging.iter().chain(under).copied().collect();
        let class: Vec<Row> = class
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u128, r.1, r.2, r.3, r.4, r.5, r.6))
            .collect();
        check(&class, None, (4, 0.25, 0.25, Some(-1.0)));
    }

    #[test]
    fn halves_split_the_class_lessons() {
        let rows: &[Row] = &[
            (1, 1, 1, 1, 1, 5, SELF),
            (2, 1, 1, 1, 1, 2, TEACHER),
            (3, 2, 2, 1, 1, 4, SELF),
            (4, 2, 2, 1, 1, 3, TEACHER),
            (5, 3, 3, 1, 1, 3, SELF),
            (6, 3, 3, 1, 1, 3, TEACHER),
            (7, 4, 4, 1, 1, 2, SELF),
            (8, 4, 4, 1, 1, 3, TEACHER),
        ];
        let report = calibrate(&records(rows));
        let t = report.classes[&ClassId::from_u128(1)].trend;
        assert_eq!((t.first_half, t.second_half), (Some(2.0), Some(0.5)));
        assert_eq!(report.pairs.iter().map(|p| p.order).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn different_techniques_do_not_pair() {
        let recs = vec![
            record(1, 1, 1, 1, Some(1), 1, Response::Step(3), SELF),
            record(2, 1, 1, 1, Some(1), 1, Response::Light(Light::Green), TEACHER),
            record(3, 1, 1, 1, Some(1), 1, Response::Light(Light::Red), SELF),
        ];
        let report = calibrate(&recs);
        assert_eq!(report.pairs.len(), 1);
        assert_eq!(report.pairs[0].gap, -2);
    }

    #[test]
    fn cells_and_series_of_a_class() {
        let rows: &[Row] = &[
            // Student 1, criterion 1: gaps +2 (lesson 1), 0 (lesson 2).
            (1, 1, 1, 1, 1, 5, SELF),
            (2, 1, 1, 1, 1, 3, TEACHER),
            (3, 2, 8, 1, 1, 3, SELF),
            (4, 2, 8, 1, 1, 3, TEACHER),
            // Student 1, criterion 2: gap −1 (lesson 2).
            (5, 2, 8, 1, 2, 2, SELF),
            (6, 2, 8, 1, 2, 3, TEACHER),
            // Student 2, criterion 1: gap +1 (lesson 1).
            (7, 1, 1, 2, 1, 4, SELF),
            (8, 1, 1, 2, 1, 3, TEACHER),
        ];
        let report = calibrate(&records(rows));
        let class = ClassId::from_u128(1);
        let cells = report.cells(class);
        let key = |c: &Cell| (c.student.as_uuid().as_u128(), c.criterion.as_uuid().as_u128());
        assert_eq!(cells.iter().map(key).collect::<Vec<_>>(), vec![(1, 1), (1, 2), (2, 1)]);
        assert_eq!((cells[0].summary.pairs, cells[0].summary.mean_gap), (2, 1.0));
        assert_eq!(cells[0].summary.exact_share, 0.5);
        assert_eq!(cells[0].summary.trend.slope, Some(-2.0));
        assert_eq!(cells[0].summary.trend.first_half, Some(2.0));
        assert_eq!(cells[1].summary.mean_gap, -1.0);
        assert_eq!(cells[2].summary.trend.slope, None);

        let series = report.series(class, None);
        let points: Vec<(usize, u32, f64, f64)> =
            series.iter().map(|p| (p.order, p.pairs, p.mean_gap, p.mean_abs_gap)).collect();
        assert_eq!(points, vec![(0, 2, 1.5, 1.5), (1, 2, -0.5, 0.5)]);
        let one = report.series(class, Some(StudentId::from_u128(2)));
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].order, one[0].mean_gap), (0, 1.0));
        assert!(report.cells(ClassId::from_u128(9)).is_empty());
        assert!(report.series(ClassId::from_u128(9), None).is_empty());
    }

    proptest! {
        #[test]
        fn shares_are_shares(recs in proptest::collection::vec(arb_record(), 0..60)) {
            let report = calibrate(&recs);
            for s in report.classes.values().chain(report.students.values()) {
                for share in [s.exact_share, s.over_share, s.under_share] {
                    prop_assert!((0.0..=1.0).contains(&share));
                }
                prop_assert!((s.exact_share + s.over_share + s.under_share - 1.0).abs() < 1e-9);
                prop_assert!(s.mean_gap.abs() <= s.mean_abs_gap + 1e-9);
            }
            for (&class, summary) in &report.classes {
                let cells = report.cells(class);
                let series = report.series(class, None);
                let weighted = |xs: &[(u32, f64)]| {
                    xs.iter().map(|(n, g)| f64::from(*n) * g).sum::<f64>()
                };
                let cell_pairs: u32 = cells.iter().map(|c| c.summary.pairs).sum();
                let lesson_pairs: u32 = series.iter().map(|p| p.pairs).sum();
                prop_assert_eq!(cell_pairs, summary.pairs);
                prop_assert_eq!(lesson_pairs, summary.pairs);
                let total = f64::from(summary.pairs) * summary.mean_gap;
                let by_cell: Vec<(u32, f64)> =
                    cells.iter().map(|c| (c.summary.pairs, c.summary.mean_gap)).collect();
                let by_lesson: Vec<(u32, f64)> =
                    series.iter().map(|p| (p.pairs, p.mean_gap)).collect();
                prop_assert!((weighted(&by_cell) - total).abs() < 1e-9);
                prop_assert!((weighted(&by_lesson) - total).abs() < 1e-9);
                prop_assert!(series.windows(2).all(|w| w[0].order < w[1].order));
            }
            let json = serde_json::to_string(&report).unwrap();
            let back: CalibrationReport = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.pairs, report.pairs);
        }
    }
}
