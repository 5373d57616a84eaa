//! A questionnaire run as a teacher keeps it: one class, one date, one form (the Лусканова
//! questionnaire, or a Likert satisfaction survey) and the answers gathered so far.
//!
//! A [`DiagnosticRun`] is a collection of the registry (`crate::dataset`), stored and backed up
//! with the rest of a teacher's data. Its answers are validated whenever it is built or read
//! back: every Лусканова sheet is complete and scores by the form's per-item key
//! ([`super::Questionnaire::score`]), one sheet per student; every survey sheet fits its survey
//! ([`super::LikertSurvey::summarise`]) and carries only a sheet id, never a person. A student's
//! stored sheet is corrected ([`DiagnosticRun::corrected`]) or deleted
//! ([`DiagnosticRun::without_sheet`]) only through the same checks; two copies that both changed
//! a run merge per sheet, three-way ([`merge_sheets`]), and an import adds the sheets it lacks
//! ([`union_sheets`]).
//!
//! What shells show of it is computed here: each student's total and band
//! ([`DiagnosticRun::student_scores`]), the class distribution by band
//! ([`DiagnosticRun::distribution`], [`super::cohort::summarise_wave`]), the survey's shares per
//! item ([`DiagnosticRun::likert_summary`]), the start-vs-end comparison of a school year for a
//! class or the whole community ([`compare_year`], through [`super::compare_waves`]), and what
//! the community plan's goal indicators count ([`band_snapshots`], [`satisfaction_responses`]).
//! Neighbours: `mod.rs` (questionnaires), `luskanova.rs`, `cohort.rs`, `likert.rs`,
//! `crate::plan::goals` (which measures the snapshots).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::cohort::{CohortError, WaveComparison, WaveSummary, compare_waves, summarise_wave};
use super::likert::{Audience, LikertError, LikertItem, LikertScale, LikertSheet, LikertSummary};
use super::luskanova::{MotivationLevel, luskanova};
use super::{AnswerError, AnswerSheet, LikertSurvey, ScoredItem, name};
use crate::ids::{ClassId, DiagnosticRunId, ResponseSheetId, StudentId};
use crate::persist::merge::merge3_removing;
use crate::plan::goals::BandSnapshot;
use crate::plan::period::SchoolYear;

/// Why a run was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// A student's sheet does not score (incomplete, or an answer the item does not have).
    #[error("the sheet of student {respondent}: {error}")]
    Sheet {
        /// Whose sheet.
        respondent: StudentId,
        /// Why.
        error: AnswerError,
    },
    /// Two sheets of one student.
    #[error("student {0} has more than one sheet")]
    DuplicateRespondent(StudentId),
    /// The run has no sheet of this student (to correct or delete).
    #[error("student {0} has no sheet in this run")]
    NoSuchSheet(StudentId),
    /// Two anonymous sheets with one id.
    #[error("two survey sheets have the id {0}")]
    DuplicateSheet(ResponseSheetId),
    /// A survey sheet does not fit the survey.
    #[error(transparent)]
    Likert(#[from] LikertError),
    /// A sheet of the other form's kind was given (a survey sheet for the Лусканова form, or the
    /// other way round).
    #[error("the run's form does not take this kind of sheet")]
    WrongForm,
}

/// One anonymous survey sheet: an id (so two copies merge by union) and the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymousSheet {
    /// The sheet's id, made by the caller; it names no one.
    pub id: ResponseSheetId,
    /// The answers.
    #[serde(flatten)]
    pub sheet: LikertSheet,
}

/// The form of a run and the answers gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum RunForm {
    /// Лусканова's school-motivation questionnaire; one sheet per student.
    Luskanova {
        /// The students' sheets.
        #[serde(default)]
        sheets: Vec<AnswerSheet>,
    },
    /// A Likert satisfaction survey; anonymous sheets.
    Likert {
        /// The survey.
        survey: LikertSurvey,
        /// The sheets.
        #[serde(default)]
        sheets: Vec<AnonymousSheet>,
    },
}

impl RunForm {
    /// Sheets gathered.
    pub fn sheets(&self) -> usize {
        match self {
            Self::Luskanova { sheets } => sheets.len(),
            Self::Likert { sheets, .. } => sheets.len(),
        }
    }
}

/// A run as written, before validation (also its stored form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticRunDraft {
    /// Its id, made by the caller.
    pub id: DiagnosticRunId,
    /// The class it was given in.
    pub class: ClassId,
    /// When.
    pub date: NaiveDate,
    /// The form and the answers.
    pub form: RunForm,
}

/// A valid run (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DiagnosticRunDraft", into = "DiagnosticRunDraft")]
pub struct DiagnosticRun(DiagnosticRunDraft);

/// A student's result on the Лусканова form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentScore {
    /// Who.
    pub respondent: StudentId,
    /// Total points (0–30).
    pub total: u32,
    /// The band.
    pub level: MotivationLevel,
}

/// Where an answer option stands within its item: what a tablet's icon shows (a smile for the
/// answer with the most points, a sad face for the fewest, a plain face between).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// The most points of the item.
    Top,
    /// Between.
    Middle,
    /// The fewest points of the item.
    Bottom,
}

/// The tone of option `option` of `item` (None for an option the item does not have).
pub fn tone(item: &ScoredItem, option: usize) -> Option<Tone> {
    let points = item.options.get(option)?.points;
    Some(if points == item.max_points() {
        Tone::Top
    } else if points == item.min_points() {
        Tone::Bottom
    } else {
        Tone::Middle
    })
}

fn check(draft: &DiagnosticRunDraft) -> Result<(), RunError> {
    match &draft.form {
        RunForm::Luskanova { sheets } => {
            let q = luskanova();
            let mut seen = std::collections::BTreeSet::new();
            for s in sheets {
                q.score(&s.answers)
                    .map_err(|error| RunError::Sheet { respondent: s.respondent, error })?;
                if !seen.insert(s.respondent) {
                    return Err(RunError::DuplicateRespondent(s.respondent));
                }
            }
        }
        RunForm::Likert { survey, sheets } => {
            let mut seen = std::collections::BTreeSet::new();
            for s in sheets {
                if !seen.insert(s.id) {
                    return Err(RunError::DuplicateSheet(s.id));
                }
            }
            let plain: Vec<LikertSheet> = sheets.iter().map(|s| s.sheet.clone()).collect();
            survey.summarise(&plain)?;
        }
    }
    Ok(())
}

impl DiagnosticRun {
    /// Validates a draft.
    pub fn new(draft: DiagnosticRunDraft) -> Result<Self, RunError> {
        check(&draft)?;
        Ok(Self(draft))
    }

    /// A new Лусканова run without answers.
    pub fn luskanova(id: DiagnosticRunId, class: ClassId, date: NaiveDate) -> Self {
        Self(DiagnosticRunDraft {
            id,
            class,
            date,
            form: RunForm::Luskanova { sheets: Vec::new() },
        })
    }

    /// A new survey run without answers.
    pub fn survey(
        id: DiagnosticRunId,
        class: ClassId,
        date: NaiveDate,
        survey: LikertSurvey,
    ) -> Self {
        Self(DiagnosticRunDraft {
            id,
            class,
            date,
            form: RunForm::Likert { survey, sheets: Vec::new() },
        })
    }

    /// Its id.
    pub fn id(&self) -> DiagnosticRunId {
        self.0.id
    }

    /// Its class.
    pub fn class(&self) -> ClassId {
        self.0.class
    }

    /// Its date.
    pub fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// The form and answers.
    pub fn form(&self) -> &RunForm {
        &self.0.form
    }

    /// The stored form.
    pub fn draft(&self) -> &DiagnosticRunDraft {
        &self.0
    }

    /// Whether it is a Лусканова run.
    pub fn is_luskanova(&self) -> bool {
        matches!(self.0.form, RunForm::Luskanova { .. })
    }

    /// The survey's audience (None for the Лусканова form).
    pub fn audience(&self) -> Option<Audience> {
        match &self.0.form {
            RunForm::Likert { survey, .. } => Some(survey.audience()),
            RunForm::Luskanova { .. } => None,
        }
    }

    /// The students who have a sheet (empty for a survey).
    pub fn answered(&self) -> Vec<StudentId> {
        match &self.0.form {
            RunForm::Luskanova { sheets } => sheets.iter().map(|s| s.respondent).collect(),
            RunForm::Likert { .. } => Vec::new(),
        }
    }

    /// The run with a student's sheet added, replacing the student's earlier one.
    pub fn with_sheet(&self, sheet: AnswerSheet) -> Result<Self, RunError> {
        let mut draft = self.0.clone();
        let RunForm::Luskanova { sheets } = &mut draft.form else {
            return Err(RunError::WrongForm);
        };
        sheets.retain(|s| s.respondent != sheet.respondent);
        sheets.push(sheet);
        Self::new(draft)
    }

    /// A student's sheet (None: the student has none, or the run is a survey).
    pub fn sheet(&self, respondent: StudentId) -> Option<&AnswerSheet> {
        match &self.0.form {
            RunForm::Luskanova { sheets } => sheets.iter().find(|s| s.respondent == respondent),
            RunForm::Likert { .. } => None,
        }
    }

    /// The run with a student's stored sheet corrected to `answers`, in its place: refused
    /// when the student has no sheet here ([`RunError::NoSuchSheet`]) or the answers do not
    /// score ([`RunError::Sheet`]); the run itself is never changed.
    pub fn corrected(
        &self,
        respondent: StudentId,
        answers: Vec<Option<usize>>,
    ) -> Result<Self, RunError> {
        let mut draft = self.0.clone();
        let RunForm::Luskanova { sheets } = &mut draft.form else {
            return Err(RunError::WrongForm);
        };
        let sheet = sheets
            .iter_mut()
            .find(|s| s.respondent == respondent)
            .ok_or(RunError::NoSuchSheet(respondent))?;
        sheet.answers = answers;
        Self::new(draft)
    }

    /// The run without a student's sheet (refused when the student has none here).
    pub fn without_sheet(&self, respondent: StudentId) -> Result<Self, RunError> {
        let mut draft = self.0.clone();
        let RunForm::Luskanova { sheets } = &mut draft.form else {
            return Err(RunError::WrongForm);
        };
        let before = sheets.len();
        sheets.retain(|s| s.respondent != respondent);
        if sheets.len() == before {
            return Err(RunError::NoSuchSheet(respondent));
        }
        Self::new(draft)
    }

    /// The run with an anonymous survey sheet added.
    pub fn with_anonymous(&self, sheet: AnonymousSheet) -> Result<Self, RunError> {
        let mut draft = self.0.clone();
        let RunForm::Likert { sheets, .. } = &mut draft.form else {
            return Err(RunError::WrongForm);
        };
        sheets.push(sheet);
        Self::new(draft)
    }

    /// Each student's total and band, in sheet order (empty for a survey).
    pub fn student_scores(&self) -> Vec<StudentScore> {
        let RunForm::Luskanova { sheets } = &self.0.form else { return Vec::new() };
        let q = luskanova();
        sheets
            .iter()
            .filter_map(|s| {
                // Validated sheets always score; a sheet that did not would be left out.
                let score = q.score(&s.answers).ok()?;
                Some(StudentScore {
                    respondent: s.respondent,
                    total: score.total,
                    level: MotivationLevel::from_band(score.band)?,
                })
            })
            .collect()
    }

    /// The class's distribution by band, lowest band first (None for a survey).
    pub fn distribution(&self) -> Option<WaveSummary> {
        let RunForm::Luskanova { sheets } = &self.0.form else { return None };
        summarise_wave(&luskanova(), sheets).ok()
    }

    /// The survey's answers per item (None for the Лусканова form).
    pub fn likert_summary(&self) -> Option<LikertSummary> {
        let RunForm::Likert { survey, sheets } = &self.0.form else { return None };
        let plain: Vec<LikertSheet> = sheets.iter().map(|s| s.sheet.clone()).collect();
        survey.summarise(&plain).ok()
    }

    /// The band counts as the plan's goal indicators take them (highest band first; None for
    /// a survey).
    pub fn band_snapshot(&self) -> Option<BandSnapshot> {
        let d = self.distribution()?;
        Some(BandSnapshot {
            taken_on: self.0.date,
            bands: d.bands.iter().rev().map(|b| (b.code.clone(), b.count)).collect(),
        })
    }
}

impl TryFrom<DiagnosticRunDraft> for DiagnosticRun {
    type Error = RunError;
    fn try_from(value: DiagnosticRunDraft) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<DiagnosticRun> for DiagnosticRunDraft {
    fn from(value: DiagnosticRun) -> Self {
        value.0
    }
}

/// What merging or absorbing two versions of one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetUnion {
    /// The merged run.
    pub merged: Option<DiagnosticRun>,
    /// Sheets taken from the other side.
    pub added: usize,
    /// Sheets both sides had alike.
    pub duplicates: usize,
    /// Keys (student or sheet ids) both sides had differently: this side's was kept.
    pub conflicts: Vec<String>,
    /// The run's class, date or survey differ: this side's was kept.
    pub header_differs: bool,
}

/// The union of two versions' sheets, `mine` winning where both have a sheet for one key.
pub fn union_sheets(mine: &DiagnosticRun, theirs: &DiagnosticRun) -> SheetUnion {
    let mut out = SheetUnion::default();
    let mut draft = mine.0.clone();
    out.header_differs = mine.0.class != theirs.0.class || mine.0.date != theirs.0.date;
    match (&mut draft.form, &theirs.0.form) {
        (RunForm::Luskanova { sheets }, RunForm::Luskanova { sheets: other }) => {
            for s in other {
                match sheets.iter().find(|m| m.respondent == s.respondent) {
                    None => {
                        sheets.push(s.clone());
                        out.added += 1;
                    }
                    Some(m) if m == s => out.duplicates += 1,
                    Some(_) => out.conflicts.push(s.respondent.to_string()),
                }
            }
        }
        (RunForm::Likert { survey, sheets }, RunForm::Likert { survey: their, sheets: other })
            if survey == their =>
        {
            for s in other {
                match sheets.iter().find(|m| m.id == s.id) {
                    None => {
                        sheets.push(s.clone());
                        out.added += 1;
                    }
                    Some(m) if m == s => out.duplicates += 1,
                    Some(_) => out.conflicts.push(s.id.to_string()),
                }
            }
        }
        _ => out.header_differs = true,
    }
    // Both sides' sheets were valid for one form, so their union is too.
    settle(out, draft, mine)
}

/// The merge's outcome as a run; should the merged sheets not make one (they always do, as
/// both sides were valid for one form), this side's run is kept whole and the difference
/// reported.
fn settle(mut out: SheetUnion, draft: DiagnosticRunDraft, mine: &DiagnosticRun) -> SheetUnion {
    match DiagnosticRun::new(draft) {
        Ok(run) => out.merged = Some(run),
        Err(_) => {
            out.merged = Some(mine.clone());
            out.added = 0;
            out.header_differs = true;
        }
    }
    out
}

/// Two versions of one run both changed since `base`: per sheet (a student's, or an anonymous
/// sheet's id), the side that added, corrected or deleted it since `base` decides, and when both
/// did, `mine` does (a conflict when the two differ). A sheet deleted on one side and untouched
/// on the other stays deleted — unlike [`union_sheets`], which an import uses. Without a base,
/// or when the run's class, date or form differ, it is [`union_sheets`].
pub fn merge_sheets(
    base: Option<&DiagnosticRun>,
    mine: &DiagnosticRun,
    theirs: &DiagnosticRun,
) -> SheetUnion {
    let Some(base) = base else { return union_sheets(mine, theirs) };
    let same_header = |a: &DiagnosticRun, b: &DiagnosticRun| {
        a.0.class == b.0.class
            && a.0.date == b.0.date
            && match (&a.0.form, &b.0.form) {
                (RunForm::Luskanova { .. }, RunForm::Luskanova { .. }) => true,
                (RunForm::Likert { survey: x, .. }, RunForm::Likert { survey: y, .. }) => x == y,
                _ => false,
            }
    };
    if !same_header(base, mine) || !same_header(mine, theirs) {
        return union_sheets(mine, theirs);
    }
    /// Keys both sides changed since `base`, differently.
    fn clashes<T: PartialEq, K: PartialEq + ToString>(
        base: &[T],
        mine: &[T],
        theirs: &[T],
        key: impl Fn(&T) -> K,
    ) -> Vec<String> {
        fn find<'a, T, K: PartialEq>(
            list: &'a [T],
            k: &K,
            key: &impl Fn(&T) -> K,
        ) -> Option<&'a T> {
            list.iter().find(|x| key(x) == *k)
        }
        let mut keys: Vec<K> = Vec::new();
        for k in base.iter().chain(mine).chain(theirs).map(&key) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys.into_iter()
            .filter(|k| {
                let (b, m, t) = (find(base, k, &key), find(mine, k, &key), find(theirs, k, &key));
                m != b && t != b && m != t
            })
            .map(|k| k.to_string())
            .collect()
    }
    let mut draft = mine.0.clone();
    let mut out = SheetUnion::default();
    match (&mut draft.form, &base.0.form, &theirs.0.form) {
        (
            RunForm::Luskanova { sheets },
            RunForm::Luskanova { sheets: b },
            RunForm::Luskanova { sheets: t },
        ) => {
            let key = |s: &AnswerSheet| s.respondent;
            out.conflicts = clashes(b, sheets, t, key);
            let merged = merge3_removing(b, sheets, t, key);
            out.added = merged.iter().filter(|s| !sheets.contains(s)).count();
            *sheets = merged;
        }
        (
            RunForm::Likert { sheets, .. },
            RunForm::Likert { sheets: b, .. },
            RunForm::Likert { sheets: t, .. },
        ) => {
            let key = |s: &AnonymousSheet| s.id;
            out.conflicts = clashes(b, sheets, t, key);
            let merged = merge3_removing(b, sheets, t, key);
            out.added = merged.iter().filter(|s| !sheets.contains(s)).count();
            *sheets = merged;
        }
        _ => return union_sheets(mine, theirs),
    }
    // Each side's sheets were valid for the one form, and keys stay unique, so the merge is too.
    settle(out, draft, mine)
}

/// One school year's start and end waves of the Лусканова form, for a class or the community.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearWaves {
    /// The school year.
    pub year: SchoolYear,
    /// Runs in the start window (September–November).
    pub start_runs: usize,
    /// Runs in the end window (March–August).
    pub end_runs: usize,
    /// Both waves compared (a wave without runs is empty).
    pub comparison: WaveComparison,
}

impl YearWaves {
    /// Whether both waves have answers.
    pub fn both(&self) -> bool {
        self.comparison.start.respondents > 0 && self.comparison.end.respondents > 0
    }
}

/// Whether a date is in the start window (September–November), as the plan's indicator
/// counts it.
pub fn is_start(date: NaiveDate) -> bool {
    (9..=11).contains(&date.month())
}

/// Whether a date is in the end window (March–August).
pub fn is_end(date: NaiveDate) -> bool {
    (3..=8).contains(&date.month())
}

/// The start and end waves of `year` of the Лусканова runs of `class` (every class when None):
/// in each window, each student's latest sheet. None when the year has no such run.
pub fn compare_year(
    runs: &[DiagnosticRun],
    year: SchoolYear,
    class: Option<ClassId>,
) -> Result<Option<YearWaves>, CohortError> {
    let mut chosen: Vec<&DiagnosticRun> = runs
        .iter()
        .filter(|r| r.is_luskanova() && year.contains(r.date()))
        .filter(|r| class.is_none_or(|c| r.class() == c))
        .collect();
    chosen.sort_by_key(|r| (r.date(), r.id()));
    let wave = |within: fn(NaiveDate) -> bool| {
        let mut latest: BTreeMap<StudentId, AnswerSheet> = BTreeMap::new();
        let mut count = 0;
        for r in chosen.iter().filter(|r| within(r.date())) {
            count += 1;
            if let RunForm::Luskanova { sheets } = r.form() {
                for s in sheets {
                    latest.insert(s.respondent, s.clone());
                }
            }
        }
        (count, latest.into_values().collect::<Vec<_>>())
    };
    let (start_runs, start) = wave(is_start);
    let (end_runs, end) = wave(is_end);
    if start_runs == 0 && end_runs == 0 {
        return Ok(None);
    }
    let comparison = compare_waves(&luskanova(), &start, &end)?;
    Ok(Some(YearWaves { year, start_runs, end_runs, comparison }))
}

/// The latest school year in which `class` has both waves (None: no such year).
pub fn latest_both(
    runs: &[DiagnosticRun],
    class: ClassId,
) -> Result<Option<YearWaves>, CohortError> {
    let mut years: Vec<SchoolYear> = runs
        .iter()
        .filter(|r| r.class() == class && r.is_luskanova())
        .filter_map(|r| SchoolYear::of_date(r.date()))
        .collect();
    years.sort_unstable();
    years.dedup();
    for year in years.into_iter().rev() {
        if let Some(w) = compare_year(runs, year, Some(class))?
            && w.both()
        {
            return Ok(Some(w));
        }
    }
    Ok(None)
}

/// The band snapshots of every Лусканова run, as the plan's goal indicators take them.
pub fn band_snapshots(runs: &[DiagnosticRun]) -> Vec<BandSnapshot> {
    runs.iter().filter_map(DiagnosticRun::band_snapshot).collect()
}

/// Survey sheets gathered during `year`, as the plan's satisfaction indicator counts them.
pub fn satisfaction_responses(runs: &[DiagnosticRun], year: SchoolYear) -> u32 {
    let n: usize = runs
        .iter()
        .filter(|r| !r.is_luskanova() && year.contains(r.date()))
        .map(|r| r.form().sheets())
        .sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The built-in satisfaction survey for an audience (3-point satisfaction items, in Russian).
pub fn satisfaction_survey(audience: Audience) -> LikertSurvey {
    build_survey(audience).expect("the built-in surveys are valid (checked by their tests)")
}

/// The statements of the built-in surveys.
pub const SURVEY_ITEMS: [(Audience, &str, &[&str]); 3] = [
    (
        Audience::Students,
        "Удовлетворённость учеников",
        &[
            "Мне интересно на уроках",
            "Я понимаю, что у меня получается и что нужно улучшить",
            "Мне нравится оценивать себя самому",
            "Я знаю, за что ставится отметка",
        ],
    ),
    (
        Audience::Parents,
        "Удовлетворённость родителей",
        &[
            "Ребёнку интересно на уроках",
            "Я понимаю, за что ставится отметка",
            "Я знаю, что у ребёнка получается и что нужно улучшить",
        ],
    ),
    (
        Audience::Teachers,
        "Удовлетворённость педагогов",
        &[
            "Приёмы формирующего оценивания помогают мне на уроке",
            "Критерии оценивания понятны ученикам",
            "Работа в сообществе полезна для меня",
        ],
    ),
];

/// The built-in surveys' Russian texts (titles, statements, the scales' labels) and their
/// English wording. A stored survey keeps the Russian it was made with; the interface shows it
/// in its language through [`survey_wording`].
pub const SURVEY_WORDING_EN: [(&str, &str); 21] = [
    ("Удовлетворённость учеников", "Students' satisfaction"),
    ("Удовлетворённость родителей", "Parents' satisfaction"),
    ("Удовлетворённость педагогов", "Teachers' satisfaction"),
    ("Мне интересно на уроках", "I find the lessons interesting"),
    (
        "Я понимаю, что у меня получается и что нужно улучшить",
        "I understand what I do well and what I need to improve",
    ),
    ("Мне нравится оценивать себя самому", "I like assessing my own work"),
    ("Я знаю, за что ставится отметка", "I know what a mark is given for"),
    ("Ребёнку интересно на уроках", "My child finds the lessons interesting"),
    ("Я понимаю, за что ставится отметка", "I understand what a mark is given for"),
    (
        "Я знаю, что у ребёнка получается и что нужно улучшить",
        "I know what my child does well and what needs improving",
    ),
    (
        "Приёмы формирующего оценивания помогают мне на уроке",
        "Formative assessment techniques help me in my lessons",
    ),
    ("Критерии оценивания понятны ученикам", "The assessment criteria are clear to students"),
    ("Работа в сообществе полезна для меня", "Working in the community is useful to me"),
    ("не удовлетворён", "not satisfied"),
    ("частично удовлетворён", "partly satisfied"),
    ("полностью удовлетворён", "fully satisfied"),
    ("полностью не согласен", "strongly disagree"),
    ("скорее не согласен", "somewhat disagree"),
    ("затрудняюсь ответить", "not sure"),
    ("скорее согласен", "somewhat agree"),
    ("полностью согласен", "strongly agree"),
];

/// A survey's text (its title, a statement, a scale's label) in `lang`: the built-in ones in
/// their English wording for English, everything else (and Russian) as stored.
pub fn survey_wording(text: &str, lang: crate::text::Lang) -> &str {
    match lang {
        crate::text::Lang::Ru => text,
        crate::text::Lang::En => {
            SURVEY_WORDING_EN.iter().find(|(ru, _)| *ru == text).map_or(text, |(_, en)| en)
        }
    }
}

/// The survey, or why its built-in texts were refused (only if they were broken).
fn build_survey(audience: Audience) -> Result<LikertSurvey, String> {
    let (_, title, items) =
        SURVEY_ITEMS.iter().find(|(a, _, _)| *a == audience).copied().unwrap_or(SURVEY_ITEMS[0]);
    let mut list = Vec::with_capacity(items.len());
    for text in items {
        list.push(LikertItem {
            text: name("survey item", text).map_err(|e| e.to_string())?,
            scale: LikertScale::satisfaction_3(),
        });
    }
    LikertSurvey::new(super::likert::LikertSurveyDraft {
        title: name("survey title", title).map_err(|e| e.to_string())?,
        audience,
        items: list,
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::goals::{GoalInputs, Indicator, measure};
    use crate::text::Lang;
    use proptest::prelude::*;

    #[test]
    fn every_built_in_survey_text_has_an_english_wording() {
        let scales = [LikertScale::satisfaction_3(), LikertScale::agreement_5()];
        let mut texts: Vec<String> =
            scales.iter().flat_map(|s| s.labels()).map(|l| l.to_string()).collect();
        for (audience, _, _) in SURVEY_ITEMS {
            let survey = satisfaction_survey(audience);
            texts.push(survey.title().to_string());
            texts.extend(survey.items().iter().map(|i| i.text.to_string()));
        }
        for text in &texts {
            let en = survey_wording(text, Lang::En);
            assert_ne!(en, text, "{text} has no English wording");
            assert!(en.is_ascii(), "{en} is not English");
            assert_eq!(survey_wording(text, Lang::Ru), text);
        }
        // A teacher's own wording stays as written, in either language.
        assert_eq!(survey_wording("Мне нравится наш кружок", Lang::En), "Мне нравится наш кружок");
        // Every entry is used by a built-in text (no stale wording).
        for (ru, _) in SURVEY_WORDING_EN {
            assert!(texts.iter().any(|t| t == ru), "{ru} is unused");
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn student(n: u128) -> StudentId {
        StudentId::from_u128(n)
    }

    fn sheet(who: u128, answers: [usize; 10]) -> AnswerSheet {
        AnswerSheet {
            respondent: student(who),
            answers: answers.iter().map(|a| Some(*a)).collect(),
        }
    }

    /// The answer with the most points of every item: total 30.
    const PRO: [usize; 10] = [1, 2, 2, 0, 1, 1, 0, 2, 1, 0];
    /// The answer with no points of every item: total 0.
    const NEGATIVE: [usize; 10] = [2, 0, 1, 2, 0, 2, 2, 1, 2, 2];

    fn run(id: u128, date: NaiveDate, sheets: Vec<AnswerSheet>) -> DiagnosticRun {
        DiagnosticRun::new(DiagnosticRunDraft {
            id: DiagnosticRunId::from_u128(id),
            class: ClassId::from_u128(1),
            date,
            form: RunForm::Luskanova { sheets },
        })
        .unwrap()
    }

    #[test]
    fn validates_sheets() {
        let empty = DiagnosticRun::luskanova(
            DiagnosticRunId::from_u128(1),
            ClassId::from_u128(1),
            d(2024, 9, 10),
        );
        let one = empty.with_sheet(sheet(1, PRO)).unwrap();
        assert_eq!(one.answered(), vec![student(1)]);
        // Answering again replaces the student's sheet.
        let again = one.with_sheet(sheet(1, NEGATIVE)).unwrap();
        assert_eq!(again.student_scores()[0].total, 0);
        assert_eq!(again.answered().len(), 1);
        let mut partial = sheet(2, PRO);
        partial.answers[3] = None;
        assert_eq!(
            one.with_sheet(partial),
            Err(RunError::Sheet {
                respondent: student(2),
                error: AnswerError::Unanswered { item: 3 }
            })
        );
        let mut beyond = sheet(2, PRO);
        beyond.answers[0] = Some(3);
        assert!(matches!(
            one.with_sheet(beyond),
            Err(RunError::Sheet {
                error: AnswerError::NoSuchOption { item: 0, answer: 3, .. },
                ..
            })
        ));
        let twice = DiagnosticRunDraft {
            form: RunForm::Luskanova { sheets: vec![sheet(1, PRO), sheet(1, NEGATIVE)] },
            ..empty.draft().clone()
        };
        assert_eq!(DiagnosticRun::new(twice), Err(RunError::DuplicateRespondent(student(1))));
        let anon = AnonymousSheet {
            id: ResponseSheetId::from_u128(9),
            sheet: LikertSheet { answers: vec![Some(0)] },
        };
        assert_eq!(empty.with_anonymous(anon), Err(RunError::WrongForm));
    }

    #[test]
    fn round_trips_and_validates_on_load() {
        let r = run(1, d(2024, 9, 10), vec![sheet(1, PRO), sheet(2, NEGATIVE)]);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"form\":\"luskanova\""));
        assert_eq!(serde_json::from_str::<DiagnosticRun>(&json).unwrap(), r);
        // An answer the item does not have is refused when read back.
        let broken = json.replacen("[1,2,2,0,1,1,0,2,1,0]", "[1,2,2,0,1,1,0,2,1,7]", 1);
        assert_ne!(broken, json);
        assert!(serde_json::from_str::<DiagnosticRun>(&broken).is_err());
        let s = DiagnosticRun::survey(
            DiagnosticRunId::from_u128(2),
            ClassId::from_u128(1),
            d(2025, 5, 12),
            satisfaction_survey(Audience::Students),
        )
        .with_anonymous(AnonymousSheet {
            id: ResponseSheetId::from_u128(5),
            sheet: LikertSheet { answers: vec![Some(2), Some(1), None, Some(0)] },
        })
        .unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("respondent"));
        assert_eq!(serde_json::from_str::<DiagnosticRun>(&json).unwrap(), s);
        let out_of_scale = json.replacen("[2,1,null,0]", "[2,1,null,3]", 1);
        assert!(serde_json::from_str::<DiagnosticRun>(&out_of_scale).is_err());
        let summary = s.likert_summary().unwrap();
        assert_eq!(summary.respondents, 1);
        assert_eq!(summary.items[0].answers[2].count, 1);
        assert_eq!(summary.items[2].skipped, 1);
    }

    #[test]
    fn scores_and_distributes() {
        let mut mixed = PRO;
        // Items 0 and 2 neutral (1 instead of 3), item 1 negative (0 instead of 3): 23, normal.
        mixed[0] = 0;
        mixed[1] = 0;
        mixed[2] = 0;
        let r = run(1, d(2024, 9, 10), vec![sheet(1, PRO), sheet(2, NEGATIVE), sheet(3, mixed)]);
        let scores: Vec<(u32, MotivationLevel)> =
            r.student_scores().iter().map(|s| (s.total, s.level)).collect();
        assert_eq!(
            scores,
            vec![
                (30, MotivationLevel::High),
                (0, MotivationLevel::Negative),
                (23, MotivationLevel::Normal)
            ]
        );
        let dist = r.distribution().unwrap();
        let counts: Vec<u32> = dist.bands.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 0, 0, 1, 1]);
        let snap = r.band_snapshot().unwrap();
        assert_eq!(snap.bands[0], ("high".to_owned(), 1));
        assert_eq!(snap.total(), 3);
        let q = luskanova();
        let tones: Vec<Option<Tone>> = (0..4).map(|o| tone(&q.items()[0], o)).collect();
        assert_eq!(tones, vec![Some(Tone::Middle), Some(Tone::Top), Some(Tone::Bottom), None]);
    }

    #[test]
    fn unions_two_copies_sheets() {
        let base = run(1, d(2024, 9, 10), vec![sheet(1, PRO)]);
        let mine = base.with_sheet(sheet(2, PRO)).unwrap();
        let theirs = base.with_sheet(sheet(3, NEGATIVE)).unwrap();
        let u = union_sheets(&mine, &theirs);
        assert_eq!(u.merged.unwrap().answered(), vec![student(1), student(2), student(3)]);
        assert_eq!((u.added, u.duplicates), (1, 1));
        assert!(u.conflicts.is_empty() && !u.header_differs);
        let clash = base.with_sheet(sheet(1, NEGATIVE)).unwrap();
        let u = union_sheets(&base, &clash);
        assert_eq!(u.conflicts, vec![student(1).to_string()]);
        assert_eq!(u.merged.unwrap(), base);
    }

    #[test]
    fn corrects_and_deletes_a_students_sheet() {
        let r = run(1, d(2024, 9, 10), vec![sheet(1, PRO), sheet(2, NEGATIVE), sheet(3, PRO)]);
        // Correcting keeps the sheet's place and rescores it.
        let mut answers = r.sheet(student(2)).unwrap().answers.clone();
        answers[0] = Some(1);
        let fixed = r.corrected(student(2), answers.clone()).unwrap();
        assert_eq!(fixed.answered(), vec![student(1), student(2), student(3)]);
        assert_eq!(fixed.student_scores()[1].total, 3);
        assert_eq!(fixed.sheet(student(2)).unwrap().answers, answers);
        assert_eq!(fixed.distribution().unwrap().bands[0].count, 1);
        // Bad answers are refused and the run is unchanged.
        let mut partial = answers.clone();
        partial[4] = None;
        assert_eq!(
            r.corrected(student(2), partial),
            Err(RunError::Sheet {
                respondent: student(2),
                error: AnswerError::Unanswered { item: 4 }
            })
        );
        let mut beyond = answers;
        beyond[9] = Some(5);
        assert!(matches!(
            r.corrected(student(2), beyond),
            Err(RunError::Sheet { error: AnswerError::NoSuchOption { item: 9, .. }, .. })
        ));
        assert_eq!(
            r.corrected(student(7), PRO.iter().map(|a| Some(*a)).collect()),
            Err(RunError::NoSuchSheet(student(7)))
        );
        // Deleting takes the sheet out of the scores and the distribution.
        let gone = r.without_sheet(student(2)).unwrap();
        assert_eq!(gone.answered(), vec![student(1), student(3)]);
        assert_eq!(gone.distribution().unwrap().bands.iter().map(|b| b.count).sum::<u32>(), 2);
        assert_eq!(gone.band_snapshot().unwrap().total(), 2);
        assert_eq!(gone.without_sheet(student(2)), Err(RunError::NoSuchSheet(student(2))));
        let survey = DiagnosticRun::survey(
            DiagnosticRunId::from_u128(2),
            ClassId::from_u128(1),
            d(2025, 5, 12),
            satisfaction_survey(Audience::Students),
        );
        assert_eq!(survey.without_sheet(student(1)), Err(RunError::WrongForm));
        assert_eq!(survey.corrected(student(1), vec![]), Err(RunError::WrongForm));
        assert_eq!(survey.sheet(student(1)), None);
    }

    #[test]
    fn a_deletion_survives_another_copys_change() {
        let base = run(1, d(2024, 9, 10), vec![sheet(1, PRO), sheet(2, NEGATIVE)]);
        // This tab deletes student 2's sheet; another adds student 3's.
        let mine = base.without_sheet(student(2)).unwrap();
        let theirs = base.with_sheet(sheet(3, PRO)).unwrap();
        let m = merge_sheets(Some(&base), &mine, &theirs);
        assert_eq!(m.merged.unwrap().answered(), vec![student(1), student(3)]);
        assert!(m.conflicts.is_empty() && !m.header_differs);
        // The other way round: their deletion and this tab's correction of another sheet.
        let mut fixed = NEGATIVE;
        fixed[0] = 1;
        let mine = base.corrected(student(2), fixed.iter().map(|a| Some(*a)).collect()).unwrap();
        let theirs = base.without_sheet(student(1)).unwrap();
        let m = merge_sheets(Some(&base), &mine, &theirs).merged.unwrap();
        assert_eq!(m.answered(), vec![student(2)]);
        assert_eq!(m.student_scores()[0].total, 3);
        // Both corrected one sheet differently: this side's, reported.
        let other = base.corrected(student(2), PRO.iter().map(|a| Some(*a)).collect()).unwrap();
        let m = merge_sheets(Some(&base), &mine, &other);
        assert_eq!(m.conflicts, vec![student(2).to_string()]);
        assert_eq!(m.merged.unwrap(), mine);
        // Through the registry's three-way merge, as a save does.
        let merged = crate::dataset::merge_items(
            std::slice::from_ref(&base),
            &[base.without_sheet(student(2)).unwrap()],
            &[base.with_sheet(sheet(3, PRO)).unwrap()],
        );
        assert!(merged.conflicts.is_empty());
        assert_eq!(merged.items[0].answered(), vec![student(1), student(3)]);
        // Without a base it is the union.
        let u = merge_sheets(None, &mine, &theirs);
        assert_eq!(u, union_sheets(&mine, &theirs));
    }

    #[test]
    fn compares_september_with_may() {
        let runs = vec![
            run(1, d(2024, 9, 10), vec![sheet(1, NEGATIVE), sheet(2, PRO)]),
            // A student absent in September answers a week later.
            run(2, d(2024, 9, 17), vec![sheet(3, NEGATIVE)]),
            run(3, d(2025, 5, 12), vec![sheet(1, PRO), sheet(2, PRO)]),
            // Another year's September only.
            run(4, d(2025, 9, 10), vec![sheet(1, PRO)]),
        ];
        let year = SchoolYear::new(2024).unwrap();
        let w = compare_year(&runs, year, Some(ClassId::from_u128(1))).unwrap().unwrap();
        assert!(w.both());
        assert_eq!((w.start_runs, w.end_runs), (2, 1));
        assert_eq!(w.comparison.start.respondents, 3);
        assert_eq!(w.comparison.paired.pairs, 2);
        assert_eq!(w.comparison.paired.moved_up, 1);
        assert_eq!(w.comparison.only_start, vec![student(3)]);
        let latest = latest_both(&runs, ClassId::from_u128(1)).unwrap().unwrap();
        assert_eq!(latest.year, year);
        assert!(compare_year(&runs, year, Some(ClassId::from_u128(2))).unwrap().is_none());
        // The plan's indicator counts both waves from the snapshots.
        let snaps = band_snapshots(&runs);
        let inputs = GoalInputs {
            year,
            as_of: d(2025, 6, 1),
            evidence: &[],
            events: &[],
            members: &[],
            protocols: &[],
            practices: &[],
            diagnostics: &snaps,
            satisfaction_responses: 0,
        };
        let m = measure(&Indicator::DiagnosticsAtStartAndEnd, &inputs);
        assert_eq!((m.current, m.target, m.met), (2, 2, true));
    }

    #[test]
    fn counts_satisfaction_answers_of_the_year() {
        let survey = |id: u128, date, n: u128| {
            let mut r = DiagnosticRun::survey(
                DiagnosticRunId::from_u128(id),
                ClassId::from_u128(1),
                date,
                satisfaction_survey(Audience::Parents),
            );
            for i in 0..n {
                r = r
                    .with_anonymous(AnonymousSheet {
                        id: ResponseSheetId::from_u128(id * 100 + i),
                        sheet: LikertSheet { answers: vec![Some(2), None, Some(1)] },
                    })
                    .unwrap();
            }
            r
        };
        let runs = vec![
            survey(1, d(2024, 10, 1), 3),
            survey(2, d(2025, 4, 1), 2),
            survey(3, d(2025, 10, 1), 5),
        ];
        assert_eq!(satisfaction_responses(&runs, SchoolYear::new(2024).unwrap()), 5);
        for a in [Audience::Students, Audience::Parents, Audience::Teachers, Audience::Other] {
            assert!(!satisfaction_survey(a).items().is_empty());
            assert!(build_survey(a).is_ok());
        }
    }

    proptest! {
        #[test]
        fn bands_are_cores_scoring(answers in proptest::collection::vec(proptest::array::uniform10(0usize..3), 0..30)) {
            let sheets: Vec<AnswerSheet> =
                answers.iter().enumerate().map(|(i, a)| sheet(i as u128 + 1, *a)).collect();
            let r = run(1, d(2024, 9, 10), sheets.clone());
            let q = luskanova();
            let scores = r.student_scores();
            prop_assert_eq!(scores.len(), sheets.len());
            for (s, sh) in scores.iter().zip(&sheets) {
                let expected = q.score(&sh.answers).unwrap();
                prop_assert_eq!(s.total, expected.total);
                prop_assert_eq!(Some(s.level), MotivationLevel::from_total(expected.total));
            }
            let dist = r.distribution().unwrap();
            prop_assert_eq!(dist.bands.iter().map(|b| b.count).sum::<u32>() as usize, sheets.len());
            for level in MotivationLevel::ALL {
                let n = scores.iter().filter(|s| s.level == level).count() as u32;
                prop_assert_eq!(dist.bands[level as usize].count, n);
            }
            // Read back, the run is the same; split in two copies, the union is the whole.
            let json = serde_json::to_string(&r).unwrap();
            prop_assert_eq!(&serde_json::from_str::<DiagnosticRun>(&json).unwrap(), &r);
            let half = sheets.len() / 2;
            let a = run(1, d(2024, 9, 10), sheets[..half].to_vec());
            let b = run(1, d(2024, 9, 10), sheets[half..].to_vec());
            let u = union_sheets(&a, &b).merged.unwrap();
            prop_assert_eq!(u.answered().len(), sheets.len());
        }

        #[test]
        fn each_sides_deletions_stay_deleted(
            answers in proptest::collection::vec(proptest::array::uniform10(0usize..3), 1..20),
            mine_drops in proptest::collection::vec(any::<bool>(), 20),
            their_drops in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let sheets: Vec<AnswerSheet> =
                answers.iter().enumerate().map(|(i, a)| sheet(i as u128 + 1, *a)).collect();
            let base = run(1, d(2024, 9, 10), sheets.clone());
            let drop = |drops: &[bool]| {
                let mut r = base.clone();
                for (s, gone) in sheets.iter().zip(drops) {
                    if *gone {
                        r = r.without_sheet(s.respondent).unwrap();
                    }
                }
                r
            };
            let (mine, theirs) = (drop(&mine_drops), drop(&their_drops));
            let merged = merge_sheets(Some(&base), &mine, &theirs).merged.unwrap();
            let kept: Vec<StudentId> = sheets
                .iter()
                .zip(mine_drops.iter().zip(&their_drops))
                .filter(|(_, (m, t))| !**m && !**t)
                .map(|(s, _)| s.respondent)
                .collect();
            prop_assert_eq!(merged.answered(), kept);
        }
    }
}
