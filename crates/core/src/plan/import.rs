//! Importing a plan pasted as text from a document table.
//!
//! Three table layouts are recognised, whichever header row comes first:
//! - **grid**: one table row per line, cells separated by tabs (or a markdown «| a | b |»
//!   table); a line whose title and period cells are empty continues the previous row's cells;
//!   a row broken over lines at the line breaks inside its cells (word processors) or with
//!   quoted multi-line cells (spreadsheets) is joined back; a line without tabs right under a
//!   row is the rest of that row's last cell, unless it opens a numbered list («1. …») — then
//!   it is the first cell of the next row;
//! - **cell per line**: each cell on its own line starting with a tab (a cell may run over more
//!   lines that do not start with a tab); rows are separated by blank lines, but a row is
//!   complete only when it has as many cells as the header;
//! - **directions** (a network or municipal plan, [`directions`]): a grid whose first column
//!   names kinds of work and whose other columns are directions («I», «II направление», …);
//!   each cell gives one event per bracketed date («Семинар «…» (октябрь)»), its direction kept.
//!
//! Without any header row (text pulled out of a PDF), events are found by their cues — a
//! period, a leading event kind, a responsible post or name, list numbers — in the `cues`
//! module.
//!
//! The header row is found by the Russian column names (Мероприятия, Сроки, Ответственный…).
//! Text around the table gives the title, the school year, the aim (Цель…), the tasks
//! (Задачи: numbered list) and the members (Состав…). A cell holding «1. Доклад … 2. Вебинар …»
//! gives one event per numbered part. Every input line ends up used or reported: the result
//! says what each line was used for, and every row that cannot be read is an
//! [`ImportProblem`] with its line, its text and the cause; the lines that gave nothing are also
//! listed one by one ([`UnreadLine`]). The importer is total (it never panics) and linear in the
//! size of the text. A text above [`MAX_PLAN_BYTES`] is refused ([`ImportError::TooLarge`]), and
//! what comes out is bounded: events stop at a budget of [`OUTPUT_FACTOR`] times the input,
//! problems and unread lines at [`MAX_PROBLEMS`] each, every quoted text at
//! [`EXCERPT_CHARS`](super::period::EXCERPT_CHARS) characters.

mod cues;
pub mod directions;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::kind::EventKind;
use super::model::{
    Event, EventStatus, LONG_TEXT_CHARS, Link, MemberRole, Plan, PlanDraft, PlanError,
};
use super::period::{Month, Period, SchoolYear, excerpt};
use crate::ids::{EventId, PlanId};
use crate::text::{Name, fold_case, fold_spaces};

/// The largest text [`try_import_plan`] reads, in bytes of UTF-8 (2 MiB: a year's plan is a
/// few dozen kilobytes).
pub const MAX_PLAN_BYTES: usize = 2 * 1024 * 1024;

/// The events of one import hold at most this many times the input's size in text (each event
/// counted with its copied cells and a fixed share for its fields), plus 64 KiB.
pub const OUTPUT_FACTOR: usize = 16;

/// The most problems (and, separately, unread lines) one import lists; the rest are counted in
/// a last [`ProblemCause::MoreProblems`].
pub const MAX_PROBLEMS: usize = 1000;

/// What an event costs of the output budget beyond its texts (its field names in JSON).
const EVENT_COST: usize = 320;

/// Why a text was not imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is larger than [`MAX_PLAN_BYTES`].
    #[error(
        "текст плана слишком велик: {bytes} байт, а читается не больше {limit} байт \
         (план на год занимает несколько десятков килобайт)"
    )]
    TooLarge {
        /// The text's size in bytes.
        bytes: usize,
        /// [`MAX_PLAN_BYTES`].
        limit: usize,
    },
}

/// What a column of the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnRole {
    /// «№», «№ п/п».
    Number,
    /// «Задачи», «Направление».
    Task,
    /// «Мероприятия», «Мероприятие», «Содержание», «Тема».
    Title,
    /// «Планируемый результат», «Ожидаемые результаты».
    Result,
    /// «Сроки», «Срок», «Дата».
    Period,
    /// «Ответственный», «Ответственные», «Исполнители».
    Responsible,
    /// «Отметка о выполнении», «Статус», «Выполнение».
    Status,
    /// A column we recognise as a header but do not import («Форма проведения», «Примечание»).
    Other,
    /// A direction of a network plan («I», «II направление», «III. Оценивание …»).
    Direction,
}

impl ColumnRole {
    /// The role of a header cell, or `None` when the text is not a column name.
    pub fn of_header(cell: &str) -> Option<ColumnRole> {
        let t = fold_case(&clean(cell));
        let t = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '№');
        if t.is_empty() || t.chars().count() > 60 {
            return None;
        }
        let starts = |stems: &[&str]| stems.iter().any(|s| t.starts_with(s));
        if t.starts_with('№') || matches!(t, "n" | "п/п" | "номер" | "n п/п") {
            Some(ColumnRole::Number)
        } else if starts(&["задач", "направлени"]) {
            Some(ColumnRole::Task)
        } else if starts(&["мероприят", "содержание", "наименование", "тема", "название"])
        {
            Some(ColumnRole::Title)
        } else if starts(&["планируем", "ожидаем", "результат", "прогнозируем"])
        {
            Some(ColumnRole::Result)
        } else if starts(&["срок", "дата", "время", "период", "месяц"]) {
            Some(ColumnRole::Period)
        } else if starts(&["ответствен", "исполнител", "кто проводит"])
        {
            Some(ColumnRole::Responsible)
        } else if starts(&["отметка", "статус", "выполнен", "исполнен"])
        {
            Some(ColumnRole::Status)
        } else if starts(&["форма", "примечани", "участник", "место", "категори"])
        {
            Some(ColumnRole::Other)
        } else {
            None
        }
    }
}

/// How the table was pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per line, cells separated by tabs.
    Grid,
    /// One cell per line, each starting with a tab; rows separated by blank lines.
    CellPerLine,
    /// Columns are directions, rows kinds of work, each cell dated in brackets.
    Directions,
    /// No header row: events found by their cues (period, kind, responsible).
    Cues,
}

/// What one input line was used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineUse {
    /// Empty (or only white space and formatting marks).
    Blank,
    /// Part of the plan's title.
    Title,
    /// Part of the aim.
    Aim,
    /// The tasks heading or a task.
    Tasks,
    /// The members heading or a member.
    Members,
    /// Other text outside the table, kept in [`ImportedHeader::notes`].
    Note,
    /// The table's header row.
    TableHeader,
    /// Part of a table row that gave events.
    Row,
    /// Part of a row that could not be read (see the problems).
    Problem,
}

/// A member found under «Состав …».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedMember {
    /// 1-based line.
    pub line: usize,
    /// Name, when the line gives one (plans often leave it blank).
    pub name: Option<String>,
    /// Position («учитель начальных классов»).
    pub position: Option<String>,
    /// Role, when a role word is present.
    pub role: Option<MemberRole>,
}

/// What the text around the table says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedHeader {
    /// Title («План работы … 2021-2022 уч. год»).
    pub title: Option<String>,
    /// School year, from the title or else the first «2022-2023» before the table.
    pub year: Option<SchoolYear>,
    /// The aim.
    pub aim: Option<String>,
    /// The tasks, without their numbers.
    pub tasks: Vec<String>,
    /// Members.
    pub members: Vec<ImportedMember>,
    /// The table's columns, in order (empty when no table was found).
    pub columns: Vec<Option<ColumnRole>>,
    /// The table's header cells as written, in the same order.
    pub column_names: Vec<String>,
    /// Other lines outside the table (approval stamps, signatures, introductions).
    pub notes: Vec<String>,
}

/// One event read from the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedEvent {
    /// 1-based line where the event's title starts.
    pub line: usize,
    /// 1-based number of the table row it came from (several events may share a row).
    pub row: usize,
    /// The row's «№» cell, if any.
    pub number: Option<String>,
    /// The task it serves (carried over from the row above when the cell is empty).
    pub task: Option<String>,
    /// Title, without its «1.» numbering and without links.
    pub title: String,
    /// Kind inferred from the title.
    pub kind: EventKind,
    /// The period, when it could be read.
    pub period: Option<Period>,
    /// The period cell as written.
    pub period_text: String,
    /// Planned / expected result.
    pub planned_result: Option<String>,
    /// Responsible.
    pub responsible: Option<String>,
    /// Links found in the title or the result.
    pub links: Vec<Link>,
    /// Status from a «Отметка о выполнении» column (planned when there is none or it is empty).
    pub status: EventStatus,
    /// Cells of the columns not imported («Форма проведения», «Примечание», unknown or repeated
    /// columns): (column name, text).
    pub other: Vec<(String, String)>,
    /// The direction of a network plan's column («II направление»), when the plan has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

impl ImportedEvent {
    /// Turns the imported event into a plan event with a caller-made id.
    pub fn to_event(&self, id: EventId) -> Result<Event, PlanError> {
        let period = self.period.clone().ok_or(PlanError::NoPeriod)?;
        let mut event = Event::new(id, period, &self.title)?
            .with_result(self.planned_result.as_deref().unwrap_or(""))?
            .with_responsible(self.responsible.as_deref().unwrap_or(""))?;
        event.kind = self.kind;
        event.status = self.status;
        event.links = self.links.clone();
        event.direction = match self.direction.as_deref() {
            Some(d) => Some(
                Name::parse_with_limit(d, LONG_TEXT_CHARS)
                    .map_err(|source| PlanError::Text { field: "direction", source })?,
            ),
            None => None,
        };
        event.task = match self.task.as_deref() {
            Some(t) => Some(
                Name::parse_with_limit(t, LONG_TEXT_CHARS)
                    .map_err(|source| PlanError::Text { field: "task", source })?,
            ),
            None => None,
        };
        Ok(event)
    }
}

/// Why a row (or the whole text) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ProblemCause {
    /// No header row with known column names.
    NoTable,
    /// The period cell could not be read (the event is still imported, without a period).
    Period {
        /// What is wrong.
        reason: String,
    },
    /// A row without an event title.
    MissingTitle,
    /// A row with fewer cells than the header.
    TooFewCells {
        /// Cells found.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// A row with more non-empty cells than the header.
    TooManyCells {
        /// Cells found.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// A continuation line before any row.
    ContinuationWithoutRow,
    /// Text inside the table that is not in a cell.
    TextOutsideCells,
    /// Text without a table whose lines carry no cue of an event (no period, kind or
    /// responsible).
    NoCues,
    /// A period or a responsible found without an event to belong to.
    OrphanCue,
    /// The text is larger than [`MAX_PLAN_BYTES`] and was not read.
    TooLarge {
        /// The text's size in bytes.
        bytes: usize,
        /// [`MAX_PLAN_BYTES`].
        limit: usize,
    },
    /// The events found so far fill the output budget ([`OUTPUT_FACTOR`]); the rows from here
    /// on were not read.
    OutputLimit,
    /// More problems than [`MAX_PROBLEMS`]: this many more were found but not listed.
    MoreProblems {
        /// How many were left out.
        count: usize,
    },
}

impl fmt::Display for ProblemCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoTable => f.write_str(
                "не найдена таблица мероприятий: нет строки заголовков \
                 (Мероприятия, Сроки, Ответственный…)",
            ),
            Self::Period { reason } => write!(f, "срок не прочитан: {reason}"),
            Self::MissingTitle => f.write_str("в строке нет названия мероприятия"),
            Self::TooFewCells { found, expected } => {
                write!(f, "в строке {found} яч. вместо {expected}: столбцы не совпадают")
            }
            Self::TooManyCells { found, expected } => {
                write!(f, "в строке {found} яч. вместо {expected}: лишние ячейки")
            }
            Self::ContinuationWithoutRow => f.write_str("продолжение строки, но строки выше нет"),
            Self::TextOutsideCells => {
                f.write_str("текст внутри таблицы вне ячеек: не понятно, к чему он относится")
            }
            Self::NoCues => f.write_str(
                "не похоже на мероприятие: нет ни срока, ни вида мероприятия, ни ответственного",
            ),
            Self::OrphanCue => {
                f.write_str("срок или ответственный без мероприятия: не понятно, к чему относится")
            }
            Self::TooLarge { bytes, limit } => {
                write!(f, "текст слишком велик ({bytes} байт, читается до {limit}): не прочитан")
            }
            Self::OutputLimit => f.write_str(
                "мероприятий слишком много для одного плана: строки отсюда и ниже не прочитаны",
            ),
            Self::MoreProblems { count } => write!(f, "и ещё {count} проблем(ы) не показаны"),
        }
    }
}

/// A located, readable problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// 1-based first line.
    pub line: usize,
    /// 1-based last line (same as `line` for one line).
    pub last_line: usize,
    /// The text concerned (at most [`EXCERPT_CHARS`](super::period::EXCERPT_CHARS) characters,
    /// with «…» when cut).
    pub text: String,
    /// What is wrong.
    pub cause: ProblemCause,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.last_line > self.line {
            write!(f, "строки {}–{}: {}", self.line, self.last_line, self.cause)?;
        } else {
            write!(f, "строка {}: {}", self.line, self.cause)?;
        }
        if !self.text.is_empty() {
            write!(f, " — «{}»", self.text)?;
        }
        Ok(())
    }
}

/// The result of importing a pasted plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanImport {
    /// Title, year, aim, tasks, members, notes.
    pub header: ImportedHeader,
    /// Events in table order.
    pub events: Vec<ImportedEvent>,
    /// Rows that could not be read (and periods that could not be read).
    pub problems: Vec<ImportProblem>,
    /// The layout detected, if a table was found.
    pub layout: Option<Layout>,
    /// What each input line (as split by [`str::lines`]) was used for.
    pub lines: Vec<LineUse>,
    /// The lines that gave nothing, one by one, each with the reason (at most
    /// [`MAX_PROBLEMS`]; blank lines are not listed).
    #[serde(default)]
    pub unread: Vec<UnreadLine>,
}

/// One input line the importer could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadLine {
    /// 1-based line.
    pub line: usize,
    /// The line's text, at most [`EXCERPT_CHARS`](super::period::EXCERPT_CHARS) characters.
    pub text: String,
    /// Why it was not read (the cause of the problem covering it).
    pub cause: ProblemCause,
    /// The cause in words.
    pub reason: String,
}

impl PlanImport {
    /// Builds a plan from the import. The school year is the header's, else `year`; the title
    /// is the header's, else «План работы на … учебный год». `event_id(k)` makes the id of the
    /// k-th imported event. Events whose period could not be read are left out and their
    /// indices returned, so the caller can ask for the period. Members are not taken over:
    /// plans often list positions without names, so the leader adds them.
    pub fn to_plan(
        &self,
        id: PlanId,
        year: SchoolYear,
        mut event_id: impl FnMut(usize) -> EventId,
    ) -> Result<(Plan, Vec<usize>), PlanError> {
        let year = self.header.year.unwrap_or(year);
        let long = |field: &'static str, raw: &str| {
            Name::parse_with_limit(raw, LONG_TEXT_CHARS)
                .map_err(|source| PlanError::Text { field, source })
        };
        let title = match &self.header.title {
            Some(t) => long("title", t)?,
            None => long("title", &format!("План работы на {year} учебный год"))?,
        };
        let aim = self.header.aim.as_deref().map(|a| long("aim", a)).transpose()?;
        let tasks = self.header.tasks.iter().map(|t| long("task", t)).collect::<Result<_, _>>()?;
        let mut events = Vec::new();
        let mut skipped = Vec::new();
        for k in self.year_order() {
            let imported = &self.events[k];
            match imported.to_event(event_id(k)) {
                Ok(event) => events.push(event),
                Err(PlanError::NoPeriod) => skipped.push(k),
                Err(other) => return Err(other),
            }
        }
        let plan = Plan::new(PlanDraft {
            id,
            year,
            title,
            aim,
            tasks,
            members: Vec::new(),
            events,
            goals: Vec::new(),
            protocols: Vec::new(),
            practices: Vec::new(),
        })?;
        Ok((plan, skipped))
    }
}

impl PlanImport {
    /// The indices of the events in the order the year runs ([`Period::position`], with the
    /// header's year; events without a period last), table order among equals.
    pub fn year_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by_key(|&k| {
            self.events[k].period.as_ref().map_or(i32::MAX, |p| p.position(self.header.year))
        });
        order
    }
}

/// Imports a plan pasted as text; a text above [`MAX_PLAN_BYTES`] is refused. Never panics;
/// every line is used or reported.
pub fn try_import_plan(text: &str) -> Result<PlanImport, ImportError> {
    if text.len() > MAX_PLAN_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len(), limit: MAX_PLAN_BYTES });
    }
    Ok(read(text))
}

/// Imports a plan pasted as text, as [`try_import_plan`]; a text above [`MAX_PLAN_BYTES`] gives
/// an import with no events, no line uses and the one problem [`ProblemCause::TooLarge`].
pub fn import_plan(text: &str) -> PlanImport {
    try_import_plan(text).unwrap_or_else(|ImportError::TooLarge { bytes, limit }| {
        let cause = ProblemCause::TooLarge { bytes, limit };
        PlanImport {
            header: ImportedHeader::default(),
            events: Vec::new(),
            problems: vec![ImportProblem { line: 1, last_line: 1, text: String::new(), cause }],
            layout: None,
            lines: Vec::new(),
            unread: Vec::new(),
        }
    })
}

fn read(text: &str) -> PlanImport {
    let owned: Vec<Cow<'_, str>> = text.lines().map(pipe_row).collect();
    let lines: Vec<&str> = owned.iter().map(|l| l.as_ref()).collect();
    let mut st = State {
        lines: &lines,
        uses: lines
            .iter()
            .map(|l| if clean(l).is_empty() { LineUse::Blank } else { LineUse::Note })
            .collect(),
        header: ImportedHeader::default(),
        events: Vec::new(),
        problems: Vec::new(),
        budget: OUTPUT_FACTOR.saturating_mul(text.len()).saturating_add(64 * 1024),
        cut: None,
    };
    let table = find_table(&lines);
    let front_end = table.as_ref().map_or(lines.len(), |t| t.start);
    read_front(&mut st, front_end);
    let mut layout = None;
    match table {
        Some(t) => {
            layout = Some(t.layout);
            for i in t.start..t.start + t.header_lines {
                st.uses[i] = LineUse::TableHeader;
            }
            st.header.columns = t.columns.clone();
            st.header.column_names = t.names.clone();
            let after = t.start + t.header_lines;
            let (rows, end) = match t.layout {
                Layout::CellPerLine => cell_rows(&mut st, &t, after),
                _ => grid_rows(&mut st, &t, after),
            };
            if t.layout == Layout::Directions {
                directions::rows_to_events(&mut st, &t, rows);
            } else {
                rows_to_events(&mut st, &t, rows);
            }
            for i in end..lines.len() {
                note(&mut st, i);
            }
        }
        None => {
            if cues::read(&mut st) {
                layout = Some(Layout::Cues);
            } else if let Some(first) = st.uses.iter().position(|u| *u != LineUse::Blank) {
                st.problems.push(problem(first, first, lines[first], ProblemCause::NoTable));
            }
        }
    }
    if let Some((first, last)) = st.cut {
        st.problems.push(problem(first, last, "", ProblemCause::OutputLimit));
        mark(&mut st, first, last, LineUse::Problem);
    }
    lead_august(&mut st.events);
    st.problems.sort_by_key(|p| (p.line, p.last_line));
    let unread = unread_lines(&lines, &st.uses, &st.problems);
    if st.problems.len() > MAX_PROBLEMS {
        let count = st.problems.len() - (MAX_PROBLEMS - 1);
        let last = st.problems[MAX_PROBLEMS - 1].line;
        st.problems.truncate(MAX_PROBLEMS - 1);
        let (line, last_line) = (last, lines.len().max(last));
        st.problems.push(ImportProblem {
            line,
            last_line,
            text: String::new(),
            cause: ProblemCause::MoreProblems { count },
        });
    }
    PlanImport {
        header: st.header,
        events: st.events,
        problems: st.problems,
        layout,
        lines: st.uses,
        unread,
    }
}

/// An «Август» before any event of September or later is the August before the school year.
fn lead_august(events: &mut [ImportedEvent]) {
    for event in events.iter_mut() {
        match &event.period {
            Some(Period::Month(Month::August)) => event.period = Some(Period::AugustBefore),
            Some(Period::Range { from: Month::August, .. }) | Some(Period::AugustBefore) => {}
            None => {}
            Some(_) => break,
        }
    }
}

/// Every non-blank line marked as a problem, with the cause of the first problem covering it.
fn unread_lines(lines: &[&str], uses: &[LineUse], problems: &[ImportProblem]) -> Vec<UnreadLine> {
    let mut out = Vec::new();
    // Problems are sorted by their first line; walk them alongside the lines.
    let mut next = 0;
    let mut open: Vec<&ImportProblem> = Vec::new();
    for (i, u) in uses.iter().enumerate() {
        let line = i + 1;
        while next < problems.len() && problems[next].line <= line {
            open.push(&problems[next]);
            next += 1;
        }
        open.retain(|p| p.last_line >= line);
        if *u != LineUse::Problem || out.len() >= MAX_PROBLEMS {
            continue;
        }
        let text = clean(lines[i]).replace('\t', " ");
        if text.trim().is_empty() {
            continue;
        }
        // Prefer a problem about the whole row to one about its period.
        let cover = open
            .iter()
            .find(|p| !matches!(p.cause, ProblemCause::Period { .. }))
            .or_else(|| open.first());
        if let Some(p) = cover {
            out.push(UnreadLine {
                line,
                text: excerpt(&text),
                cause: p.cause.clone(),
                reason: p.cause.to_string(),
            });
        }
    }
    out
}

/// A markdown table row «| a | b |» becomes the grid row «a⇥b»; its «|---|---|» rule becomes
/// blank. Other lines are kept as they are.
fn pipe_row(line: &str) -> Cow<'_, str> {
    let t = line.trim();
    let inner = match t.strip_prefix('|').and_then(|r| r.strip_suffix('|')) {
        Some(inner) => inner,
        None => return Cow::Borrowed(line),
    };
    if inner.contains('-') && inner.chars().all(|c| matches!(c, '-' | ':' | '|' | ' ')) {
        return Cow::Borrowed("");
    }
    Cow::Owned(inner.split('|').map(str::trim).collect::<Vec<_>>().join("\t"))
}

struct State<'a> {
    lines: &'a [&'a str],
    uses: Vec<LineUse>,
    header: ImportedHeader,
    events: Vec<ImportedEvent>,
    problems: Vec<ImportProblem>,
    /// What is left of the output budget for events, in bytes.
    budget: usize,
    /// The 0-based lines from which rows were not read because the budget ran out.
    cut: Option<(usize, usize)>,
}

impl State<'_> {
    /// Adds an event read from lines `first..=last`, unless the output budget is spent; then
    /// the lines are left to the [`ProblemCause::OutputLimit`] problem.
    fn push_event(&mut self, event: ImportedEvent, first: usize, last: usize) -> bool {
        let cost = event_cost(&event);
        if self.cut.is_none() && cost <= self.budget {
            self.budget -= cost;
            self.events.push(event);
            return true;
        }
        self.cut = Some(match self.cut {
            Some((a, b)) => (a.min(first), b.max(last)),
            None => (first, last),
        });
        false
    }
}

/// What an event takes of the output budget: its texts and [`EVENT_COST`] for its fields.
fn event_cost(event: &ImportedEvent) -> usize {
    EVENT_COST
        + event.title.len()
        + event.period_text.len()
        + event.number.as_ref().map_or(0, String::len)
        + event.task.as_ref().map_or(0, String::len)
        + event.planned_result.as_ref().map_or(0, String::len)
        + event.responsible.as_ref().map_or(0, String::len)
        + event.direction.as_ref().map_or(0, String::len)
        + event.links.iter().map(|l| l.as_str().len()).sum::<usize>()
        + event.other.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>()
}

fn note(st: &mut State<'_>, i: usize) {
    let text = fold_spaces(&clean(st.lines[i]));
    if text.is_empty() {
        st.uses[i] = LineUse::Blank;
    } else {
        st.uses[i] = LineUse::Note;
        st.header.notes.push(text);
    }
}

/// A problem at 0-based lines `first..=last`.
fn problem(first: usize, last: usize, text: &str, cause: ProblemCause) -> ImportProblem {
    ImportProblem { line: first + 1, last_line: last + 1, text: excerpt(text), cause }
}

/// Removes paste artefacts: «[bookmark: _GoBack]», markdown «**», zero-width characters.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("[bookmark:") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tail.find(']') {
            Some(close) => rest = &tail[close + 1..],
            None => {
                // Not a bookmark after all: keep the text.
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "")
        .chars()
        .filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}'))
        .collect::<String>()
        .trim()
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// Finding the table.

struct Table {
    layout: Layout,
    /// 0-based first header line.
    start: usize,
    /// Lines the header takes (1 for a grid).
    header_lines: usize,
    columns: Vec<Option<ColumnRole>>,
    /// The header cells as written.
    names: Vec<String>,
}

impl Table {
    fn column(&self, role: ColumnRole) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(role))
    }
}

fn is_header(roles: &[Option<ColumnRole>]) -> bool {
    let known = roles.iter().filter(|r| r.is_some()).count();
    roles.contains(&Some(ColumnRole::Title))
        && roles.iter().any(|r| {
            matches!(r, Some(ColumnRole::Period | ColumnRole::Responsible | ColumnRole::Result))
        })
        && known * 2 >= roles.len()
}

fn find_table(lines: &[&str]) -> Option<Table> {
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        // Cell per line: a run of lines each starting with a tab and holding one header cell.
        if line.starts_with('\t') && !line[1..].contains('\t') {
            let mut roles = Vec::new();
            let mut j = i;
            while j < lines.len() && lines[j].starts_with('\t') && !lines[j][1..].contains('\t') {
                // A column name seen twice means the data has started («Задачи» → «Задача 1…»).
                match ColumnRole::of_header(&lines[j][1..]) {
                    Some(role) if role == ColumnRole::Other || !roles.contains(&Some(role)) => {
                        roles.push(Some(role))
                    }
                    _ => break,
                }
                j += 1;
            }
            if roles.len() >= 2 && is_header(&roles) {
                return Some(Table {
                    layout: Layout::CellPerLine,
                    start: i,
                    header_lines: roles.len(),
                    names: lines[i..i + roles.len()]
                        .iter()
                        .map(|l| fold_spaces(&clean(l)))
                        .collect(),
                    columns: roles,
                });
            }
            // Skip the rest of this run: no header starts inside it after a failed start.
            i = j.max(i + 1);
            continue;
        }
        if line.contains('\t') {
            let cells: Vec<&str> = line.split('\t').collect();
            let last = cells.iter().rposition(|c| !clean(c).is_empty());
            if let Some(last) = last {
                let cells = &cells[..=last];
                let roles: Vec<Option<ColumnRole>> = cells
                    .iter()
                    .map(|c| if clean(c).is_empty() { None } else { ColumnRole::of_header(c) })
                    .collect();
                let non_empty = cells.iter().filter(|c| !clean(c).is_empty()).count();
                if let Some(columns) = directions::header(cells) {
                    return Some(Table {
                        layout: Layout::Directions,
                        start: i,
                        header_lines: 1,
                        names: cells.iter().map(|c| fold_spaces(&clean(c))).collect(),
                        columns,
                    });
                }
                if non_empty >= 2 && is_header(&roles) {
                    return Some(Table {
                        layout: Layout::Grid,
                        start: i,
                        header_lines: 1,
                        names: cells.iter().map(|c| fold_spaces(&clean(c))).collect(),
                        columns: roles,
                    });
                }
            }
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Text before the table.

fn starts_word(lower: &str, stem: &str) -> bool {
    lower.starts_with(stem)
}

fn is_keyword_line(lower: &str) -> bool {
    ["цель", "цели", "задач", "состав", "утвержд"].iter().any(|k| starts_word(lower, k))
}

/// Whether a line outside any table looks like the start of the events: it starts with an
/// event kind («Семинар …», «1. Доклад …») or is a period alone («Сентябрь»; a school year
/// «2024-2025 учебный год» belongs to a title). The readers of
/// the title, the aim and the tasks stop there, so a plan without a table keeps its events.
fn opens_events(cleaned: &str) -> bool {
    EventKind::leading(cleaned).is_some()
        || Period::parse(cleaned).is_ok_and(|p| !matches!(p, Period::SchoolYear(_)))
}

/// Strips a list marker («1.», «1)», «·», «•», «-», «–») and returns the item, if it is one.
fn list_item(text: &str) -> Option<String> {
    let t = text.trim_start();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() <= 2 {
        let rest = &t[digits.len()..];
        if let Some(rest) = rest.strip_prefix(['.', ')']) {
            let item = fold_spaces(rest);
            return if item.is_empty() { None } else { Some(item) };
        }
        return None;
    }
    for bullet in ['·', '•', '-', '–', '—', '*', '●', '▪', '\u{f0b7}', 'o'] {
        if let Some(rest) = t.strip_prefix(bullet)
            && (rest.starts_with(char::is_whitespace) || bullet != 'o' && bullet != '-')
        {
            let item = fold_spaces(rest);
            return if item.is_empty() { None } else { Some(item) };
        }
    }
    None
}

/// The text after «Цель …:» or «Цель … – ».
fn after_label(text: &str) -> String {
    if let Some((head, rest)) = text.split_once(':')
        && head.chars().count() <= 80
    {
        return fold_spaces(rest);
    }
    for sep in [" – ", " — ", " - "] {
        if let Some((head, rest)) = text.split_once(sep)
            && head.chars().count() <= 80
        {
            return fold_spaces(rest);
        }
    }
    // «Цель» alone or followed directly by the text.
    let rest: String = text.chars().skip_while(|c| c.is_alphabetic()).collect();
    fold_spaces(&rest)
}

fn read_front(st: &mut State<'_>, end: usize) {
    let mut i = 0;
    while i < end {
        let cleaned = clean(st.lines[i]);
        if cleaned.is_empty() {
            st.uses[i] = LineUse::Blank;
            i += 1;
            continue;
        }
        let lower = fold_case(&cleaned);
        if (lower.starts_with("цель") || lower.starts_with("цели")) && st.header.aim.is_none()
        {
            i = read_aim(st, i, end, &cleaned);
        } else if lower.starts_with("задач") && st.header.tasks.is_empty() {
            i = read_tasks(st, i, end, &cleaned);
        } else if lower.starts_with("состав") && st.header.members.is_empty() {
            i = read_members(st, i, end);
        } else if lower.starts_with("план") && st.header.title.is_none() {
            i = read_title(st, i, end, &cleaned);
        } else {
            note(st, i);
            i += 1;
        }
    }
    if st.header.year.is_none() {
        st.header.year = st.lines[..end].iter().find_map(|l| SchoolYear::find_in(l));
    }
}

fn read_aim(st: &mut State<'_>, at: usize, end: usize, cleaned: &str) -> usize {
    let mut parts = Vec::new();
    let first = after_label(cleaned);
    if !first.is_empty() {
        parts.push(first);
    }
    st.uses[at] = LineUse::Aim;
    let mut i = at + 1;
    while i < end {
        let c = clean(st.lines[i]);
        if c.is_empty()
            || is_keyword_line(&fold_case(&c))
            || fold_case(&c).starts_with("план")
            || opens_events(&c)
        {
            break;
        }
        parts.push(list_item(&c).unwrap_or_else(|| fold_spaces(&c)));
        st.uses[i] = LineUse::Aim;
        i += 1;
    }
    let aim = parts.join(" ");
    if !aim.is_empty() {
        st.header.aim = Some(aim);
    }
    i
}

fn read_tasks(st: &mut State<'_>, at: usize, end: usize, cleaned: &str) -> usize {
    st.uses[at] = LineUse::Tasks;
    let inline = after_label(cleaned);
    if !inline.is_empty() {
        st.header.tasks.extend(split_numbered(&inline).into_iter().map(|(_, t)| fold_spaces(&t)));
    }
    let mut i = at + 1;
    let mut last_item = at;
    while i < end {
        let c = clean(st.lines[i]);
        if c.is_empty() {
            i += 1;
            continue;
        }
        match list_item(&c).filter(|item| !opens_events(item) && !cues::has_period(item)) {
            Some(item) => {
                st.header.tasks.push(item.trim_end_matches(';').trim().to_owned());
                st.uses[i] = LineUse::Tasks;
                last_item = i;
                i += 1;
            }
            None => break,
        }
    }
    // Blank lines after the last task are left to the caller.
    last_item + 1
}

fn read_members(st: &mut State<'_>, at: usize, end: usize) -> usize {
    st.uses[at] = LineUse::Members;
    let mut i = at + 1;
    let mut last = at;
    while i < end {
        let c = clean(st.lines[i]);
        if c.is_empty() {
            i += 1;
            continue;
        }
        let role = MemberRole::find_in(&c);
        let dashed = c.contains(" – ") || c.contains(" - ") || c.starts_with(['–', '-', '—']);
        if role.is_none() && !dashed {
            break;
        }
        let normal: String =
            c.chars().map(|ch| if matches!(ch, '—' | '–') { '–' } else { ch }).collect();
        let normal = normal.replace(" - ", " – ");
        let parts: Vec<String> = normal
            .split('–')
            .map(|p| fold_spaces(p).trim_end_matches('.').trim().to_owned())
            .collect();
        let name = parts.first().filter(|p| !p.is_empty()).cloned();
        let position = parts.get(1).filter(|p| !p.is_empty()).cloned();
        st.header.members.push(ImportedMember { line: i + 1, name, position, role });
        st.uses[i] = LineUse::Members;
        last = i;
        i += 1;
    }
    last + 1
}

fn read_title(st: &mut State<'_>, at: usize, end: usize, cleaned: &str) -> usize {
    let mut parts = vec![fold_spaces(cleaned)];
    st.uses[at] = LineUse::Title;
    let mut i = at + 1;
    // A lone «ПЛАН» heading: its wording follows after a blank line.
    if cleaned.chars().all(char::is_alphabetic) {
        while i < end && clean(st.lines[i]).is_empty() && i < at + 3 {
            i += 1;
        }
    }
    let mut taken = 0;
    while i < end && taken < 5 {
        let c = clean(st.lines[i]);
        if c.is_empty() || is_keyword_line(&fold_case(&c)) || opens_events(&c) || c.contains('\t') {
            break;
        }
        parts.push(fold_spaces(&c));
        st.uses[i] = LineUse::Title;
        taken += 1;
        i += 1;
    }
    let title = parts.join(" ");
    st.header.year = SchoolYear::find_in(&title).or(st.header.year);
    st.header.title = Some(title);
    i
}

// ---------------------------------------------------------------------------------------------
// Rows.

struct Cell {
    /// 0-based line where the cell starts.
    line: usize,
    /// 0-based line of the cell's last text.
    last: usize,
    /// Raw text; the k-th line of the text is input line `line + k` (skipped blank lines are
    /// kept as empty lines, so line numbers stay exact).
    text: String,
}

impl Cell {
    fn new(line: usize, text: String) -> Cell {
        Cell { line, last: line, text }
    }

    /// Adds the text of input line `i` (after the cell's last line).
    fn append(&mut self, i: usize, text: &str) {
        for _ in 0..i.saturating_sub(self.last).max(1) {
            self.text.push('\n');
        }
        self.text.push_str(text);
        self.last = i;
    }
}

struct RawRow {
    first: usize,
    last: usize,
    cells: Vec<Cell>,
}

fn row_text(row: &RawRow) -> String {
    row.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ")
}

fn mark(st: &mut State<'_>, first: usize, last: usize, usage: LineUse) {
    for u in st.uses.iter_mut().take(last + 1).skip(first) {
        if *u != LineUse::Blank || usage == LineUse::Problem {
            *u = usage;
        }
    }
}

fn grid_rows(st: &mut State<'_>, t: &Table, after: usize) -> (Vec<RawRow>, usize) {
    let n = t.columns.len();
    let lines = st.lines;
    // The table runs to the last line with a tab and the text lines right under it (the rest
    // of the last cell).
    let mut end = lines.iter().rposition(|l| l.contains('\t')).map_or(after, |p| p + 1).max(after);
    while end > after && end < lines.len() && !clean(lines[end]).is_empty() {
        end += 1;
    }
    let title_col = t.column(ColumnRole::Title);
    let period_col = t.column(ColumnRole::Period);
    let number_col = t.column(ColumnRole::Number);
    let mut rows: Vec<RawRow> = Vec::new();
    let mut i = after;
    while i < end {
        let line = lines[i];
        // A spreadsheet row whose quoted cell holds line breaks spans several lines.
        let (mut cells, last) = match quoted_record(lines, i) {
            Some((texts, last)) => {
                (texts.into_iter().map(|c| Cell::new(i, c)).collect::<Vec<Cell>>(), last)
            }
            None => {
                if clean(line).is_empty() {
                    st.uses[i] = LineUse::Blank;
                    i += 1;
                    continue;
                }
                let under_row = rows.last().is_some_and(|r| r.last + 1 == i && !r.cells.is_empty());
                // Right under a row, a line without tabs is the rest of that row's last cell
                // (a line break inside it) — unless it opens a numbered list («1. …»), which
                // is the first cell of the next row broken at its line breaks.
                let numbered = {
                    let t = line.trim_start();
                    t.starts_with("1.") || t.starts_with("1)")
                };
                let record = if line.contains('\t') || numbered || i == after {
                    broken_record(lines, i, n)
                } else {
                    None
                };
                match record {
                    Some(record) => record,
                    None if line.contains('\t') => {
                        (line.split('\t').map(|c| Cell::new(i, c.to_owned())).collect(), i)
                    }
                    None => {
                        match rows.last_mut().filter(|_| under_row) {
                            Some(prev) => {
                                if let Some(cell) = prev.cells.last_mut() {
                                    cell.append(i, line);
                                }
                                prev.last = i;
                            }
                            None => {
                                let cause = ProblemCause::TextOutsideCells;
                                st.problems.push(problem(i, i, line, cause));
                                st.uses[i] = LineUse::Problem;
                            }
                        }
                        i += 1;
                        continue;
                    }
                }
            }
        };
        let first = i;
        i = last + 1;
        // The last row's quoted cell may end on a line without a tab.
        end = end.max(i);
        let filled = |k: Option<usize>, cells: &[Cell]| {
            k.and_then(|k| cells.get(k)).is_some_and(|c| !clean(&c.text).is_empty())
        };
        let continuation = t.layout != Layout::Directions
            && !filled(title_col, &cells)
            && !filled(period_col, &cells)
            && !filled(number_col, &cells);
        if continuation {
            match rows.last_mut() {
                Some(prev) => {
                    for (k, cell) in cells.into_iter().enumerate() {
                        if clean(&cell.text).is_empty() {
                            continue;
                        }
                        while prev.cells.len() <= k {
                            prev.cells.push(Cell::new(prev.first, String::new()));
                        }
                        prev.cells[k].append(first, &cell.text);
                    }
                    prev.last = last;
                }
                None => {
                    let text = joined(lines, first, last);
                    st.problems.push(problem(
                        first,
                        last,
                        &text,
                        ProblemCause::ContinuationWithoutRow,
                    ));
                    mark(st, first, last, LineUse::Problem);
                }
            }
            continue;
        }
        let filled_count =
            cells.iter().rposition(|c| !clean(&c.text).is_empty()).map_or(0, |p| p + 1);
        if filled_count > n {
            let text = cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" | ");
            st.problems.push(problem(
                first,
                last,
                &text,
                ProblemCause::TooManyCells { found: filled_count, expected: n },
            ));
            mark(st, first, last, LineUse::Problem);
            // Later continuation lines must not glue onto an older row.
            rows.push(RawRow { first, last, cells: Vec::new() });
            continue;
        }
        cells.truncate(n);
        rows.push(RawRow { first, last, cells });
    }
    rows.retain(|r| !r.cells.is_empty());
    (rows, end)
}

fn joined(lines: &[&str], first: usize, last: usize) -> String {
    lines[first..=last].join(" ").replace('\t', " | ")
}

/// Reads a row that a word processor broke over lines at the line breaks inside its cells:
/// a line with fewer than `n` cells whose following lines (no blank between) bring the count
/// to exactly `n`, the first cell of each following line continuing the last cell so far.
fn broken_record(lines: &[&str], at: usize, n: usize) -> Option<(Vec<Cell>, usize)> {
    let mut total = lines[at].split('\t').count();
    if total >= n {
        return None;
    }
    let mut j = at;
    while total < n {
        j += 1;
        let line = lines.get(j)?;
        if j - at >= MAX_QUOTED_LINES || clean(line).is_empty() {
            return None;
        }
        total += line.split('\t').count() - 1;
    }
    if total != n {
        return None;
    }
    let mut cells: Vec<Cell> = lines[at].split('\t').map(|c| Cell::new(at, c.to_owned())).collect();
    for (k, line) in lines.iter().enumerate().take(j + 1).skip(at + 1) {
        let mut parts = line.split('\t');
        if let (Some(first), Some(cell)) = (parts.next(), cells.last_mut()) {
            cell.append(k, first);
        }
        cells.extend(parts.map(|p| Cell::new(k, p.to_owned())));
    }
    Some((cells, j))
}

/// The most lines one quoted spreadsheet cell may span.
const MAX_QUOTED_LINES: usize = 40;

/// Reads a tab-separated record whose quoted cell («"…"», with «""» for a quote) runs over
/// line breaks, as spreadsheets copy it. Returns the cells and the last line, or `None` when
/// the record at `at` is an ordinary one-line row or the quotes are not spreadsheet quotes
/// (unclosed within a few lines, or text after a closing quote).
fn quoted_record(lines: &[&str], at: usize) -> Option<(Vec<String>, usize)> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut cell_start = true;
    let mut j = at;
    loop {
        let mut chars = lines.get(j)?.chars().peekable();
        while let Some(c) = chars.next() {
            if in_quotes {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cur.push('"');
                    } else {
                        in_quotes = false;
                        if chars.peek().is_some_and(|n| *n != '\t') {
                            return None;
                        }
                    }
                } else {
                    cur.push(c);
                }
            } else if c == '\t' {
                cells.push(std::mem::take(&mut cur));
                cell_start = true;
            } else if cell_start && c == '"' {
                in_quotes = true;
                cell_start = false;
            } else {
                cell_start = false;
                cur.push(c);
            }
        }
        if !in_quotes {
            break;
        }
        cur.push('\n');
        j += 1;
        if j >= lines.len() || j - at >= MAX_QUOTED_LINES {
            return None;
        }
    }
    cells.push(cur);
    if j == at { None } else { Some((cells, j)) }
}

fn cell_rows(st: &mut State<'_>, t: &Table, after: usize) -> (Vec<RawRow>, usize) {
    let n = t.columns.len();
    let lines = st.lines;
    // The table runs to the last cell line and the text lines that directly continue it.
    let mut end = lines.iter().rposition(|l| l.starts_with('\t')).map_or(after, |p| p + 1);
    end = end.max(after);
    while end < lines.len() && !clean(lines[end]).is_empty() && end > after {
        end += 1;
    }
    // Cells, grouped by blank lines.
    let mut groups: Vec<Vec<Cell>> = Vec::new();
    let mut current: Vec<Cell> = Vec::new();
    let mut blank_since = true;
    for (i, line) in lines.iter().enumerate().take(end).skip(after) {
        if let Some(rest) = line.strip_prefix('\t') {
            if blank_since && !current.is_empty() {
                groups.push(std::mem::take(&mut current));
            }
            blank_since = false;
            current.push(Cell::new(i, rest.replace('\t', " ")));
        } else if clean(line).is_empty() {
            st.uses[i] = LineUse::Blank;
            blank_since = true;
        } else {
            match current.last_mut().or_else(|| groups.last_mut().and_then(|g| g.last_mut())) {
                Some(cell) => cell.append(i, line),
                None => {
                    st.problems.push(problem(i, i, line, ProblemCause::TextOutsideCells));
                    st.uses[i] = LineUse::Problem;
                }
            }
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    // Rows: gather groups until a row has `n` cells; a group that overflows the row being
    // gathered starts a new row, and the short row before it is reported.
    let mut rows = Vec::new();
    let mut acc: Vec<Cell> = Vec::new();
    let flush_short = |st: &mut State<'_>, acc: &mut Vec<Cell>| {
        if acc.is_empty() {
            return;
        }
        let cells = std::mem::take(acc);
        let row = RawRow { first: cells[0].line, last: last_line(&cells), cells };
        let cause = ProblemCause::TooFewCells { found: row.cells.len(), expected: n };
        st.problems.push(problem(row.first, row.last, &row_text(&row), cause));
        mark(st, row.first, row.last, LineUse::Problem);
    };
    for group in groups {
        if acc.len() + group.len() <= n {
            acc.extend(group);
        } else if group.len() % n == 0 {
            flush_short(st, &mut acc);
            let mut group = group.into_iter().peekable();
            while group.peek().is_some() {
                let cells: Vec<Cell> = group.by_ref().take(n).collect();
                rows.push(RawRow { first: cells[0].line, last: last_line(&cells), cells });
            }
        } else if group.len() < n {
            flush_short(st, &mut acc);
            acc.extend(group);
        } else {
            flush_short(st, &mut acc);
            let row = RawRow { first: group[0].line, last: last_line(&group), cells: group };
            let cause = ProblemCause::TooManyCells { found: row.cells.len(), expected: n };
            st.problems.push(problem(row.first, row.last, &row_text(&row), cause));
            mark(st, row.first, row.last, LineUse::Problem);
        }
        if acc.len() == n {
            let cells = std::mem::take(&mut acc);
            rows.push(RawRow { first: cells[0].line, last: last_line(&cells), cells });
        }
    }
    flush_short(st, &mut acc);
    (rows, end)
}

fn last_line(cells: &[Cell]) -> usize {
    cells.last().map_or(0, |c| c.last)
}

// ---------------------------------------------------------------------------------------------
// Rows to events.

/// Splits «1. A\n2. B 3. C» into numbered parts `(newlines before the part, text)`. A text that
/// does not start with «1.» or «1)» is one part. Only the next number in sequence starts a part,
/// at the start of a line or, inside a line, before a capital letter or a quote.
fn split_numbered(text: &str) -> Vec<(usize, String)> {
    let trimmed_start = text.len() - text.trim_start().len();
    let body = &text[trimmed_start..];
    let lead_lines = text[..trimmed_start].matches('\n').count();
    let starts_one = body.starts_with("1.") || body.starts_with("1)");
    if !starts_one || body[2..].starts_with(|c: char| c.is_ascii_digit()) {
        return vec![(lead_lines, text.to_owned())];
    }
    let mut cuts: Vec<(usize, usize)> = vec![(0, 2)]; // (start of marker, start of text)
    let mut expected = 2u32;
    let bytes: Vec<(usize, char)> = body.char_indices().collect();
    let mut k = 0;
    while k < bytes.len() {
        let (at, c) = bytes[k];
        let prev = if k == 0 { None } else { Some(bytes[k - 1].1) };
        if c.is_ascii_digit() && prev.is_some_and(char::is_whitespace) {
            let digits: String =
                bytes[k..].iter().map(|(_, c)| *c).take_while(char::is_ascii_digit).collect();
            let after = k + digits.chars().count();
            let marker = bytes.get(after).map(|(_, c)| *c);
            let next = bytes.get(after + 1).map(|(_, c)| *c);
            let line_start = prev == Some('\n');
            // Inside a line, only before a capital letter, a quote or a link.
            let opens_part = || {
                let rest = bytes.get(after + 1).map_or("", |(p, _)| &body[*p..]).trim_start();
                rest.starts_with(|c: char| c.is_uppercase() || matches!(c, '«' | '"'))
                    || rest.starts_with("http")
                    || rest.starts_with("www.")
            };
            if digits.parse::<u32>().ok() == Some(expected)
                && matches!(marker, Some('.') | Some(')'))
                && next.is_some_and(char::is_whitespace)
                && (line_start || opens_part())
            {
                let text_start = bytes.get(after + 1).map_or(body.len(), |(p, _)| *p);
                cuts.push((at, text_start));
                expected += 1;
                k = after + 1;
                continue;
            }
        }
        k += 1;
    }
    let mut parts = Vec::new();
    for (idx, &(marker, start)) in cuts.iter().enumerate() {
        let stop = cuts.get(idx + 1).map_or(body.len(), |(m, _)| *m);
        let start = start.min(stop);
        let lines_before = lead_lines + body[..marker].matches('\n').count();
        parts.push((lines_before, body[start..stop].to_owned()));
    }
    parts
}

/// Pulls the links out of a text: returns the text without them and the links.
fn take_links(text: &str) -> (String, Vec<Link>) {
    let mut words = Vec::new();
    let mut links = Vec::new();
    for word in text.split_whitespace() {
        let core = word
            .trim_start_matches(['(', '«', '"', '<', '['])
            .trim_end_matches(['.', ',', ';', ':', ')', '»', '"', '>', ']']);
        let lower = core.to_lowercase();
        let looks = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.");
        match Link::parse(core) {
            Ok(link) if looks => links.push(link),
            _ => words.push(word),
        }
    }
    (words.join(" "), links)
}

fn cell_text(row: &RawRow, col: Option<usize>) -> Option<&Cell> {
    col.and_then(|k| row.cells.get(k))
}

fn tidy(text: &str) -> Option<String> {
    let t = fold_spaces(&clean(text));
    if t.is_empty() { None } else { Some(t) }
}

/// Reads a status cell: «выполнено», «проведено», «+», «да» → done; «перенесено» → moved;
/// «отменено», «не проведено» → cancelled; «запланировано», «в плане» → planned.
fn status_of(text: &str) -> Option<EventStatus> {
    let t = fold_case(text);
    let t = t.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | ';'));
    if t.starts_with("не ") || t.starts_with("отмен") {
        Some(EventStatus::Cancelled)
    } else if t.starts_with("перенес") {
        Some(EventStatus::Moved)
    } else if ["выполн", "проведен", "сделан", "исполнен", "да"].iter().any(|s| t.starts_with(s))
        || matches!(t, "+" | "✓" | "✔" | "v")
    {
        Some(EventStatus::Done)
    } else if t.starts_with("запланир") || t.starts_with("в план") || t == "-" {
        Some(EventStatus::Planned)
    } else {
        None
    }
}

fn rows_to_events(st: &mut State<'_>, t: &Table, rows: Vec<RawRow>) {
    let number_col = t.column(ColumnRole::Number);
    let task_col = t.column(ColumnRole::Task);
    let title_col = t.column(ColumnRole::Title);
    let result_col = t.column(ColumnRole::Result);
    let period_col = t.column(ColumnRole::Period);
    let resp_col = t.column(ColumnRole::Responsible);
    let status_col = t.column(ColumnRole::Status);
    let mut task: Option<String> = None;
    let mut row_no = 0usize;
    for row in rows {
        if row.cells.iter().all(|c| clean(&c.text).is_empty()) {
            mark(st, row.first, row.last, LineUse::Blank);
            continue;
        }
        row_no += 1;
        if let Some(t) = cell_text(&row, task_col).and_then(|c| tidy(&c.text)) {
            task = Some(t);
        }
        let title_cell = cell_text(&row, title_col);
        let Some(title_cell) = title_cell.filter(|c| !clean(&c.text).is_empty()) else {
            st.problems.push(problem(
                row.first,
                row.last,
                &row_text(&row),
                ProblemCause::MissingTitle,
            ));
            mark(st, row.first, row.last, LineUse::Problem);
            continue;
        };
        let period_cell = cell_text(&row, period_col);
        let period_raw = period_cell.map(|c| fold_spaces(&clean(&c.text))).unwrap_or_default();
        let (result, result_links) = match cell_text(&row, result_col).and_then(|c| tidy(&c.text)) {
            Some(r) => {
                let (text, links) = take_links(&r);
                (tidy(&text), links)
            }
            None => (None, Vec::new()),
        };
        let responsible = cell_text(&row, resp_col).and_then(|c| tidy(&c.text));
        let number = cell_text(&row, number_col).and_then(|c| tidy(&c.text));
        let period = Period::parse(&period_raw);
        let status_cell = cell_text(&row, status_col).and_then(|c| tidy(&c.text));
        let status = status_cell.as_deref().and_then(status_of);
        let used = [number_col, task_col, title_col, result_col, period_col, resp_col];
        // A status text we cannot read is kept among the other cells.
        let used_status = if status.is_some() { status_col } else { None };
        let other: Vec<(String, String)> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(k, _)| !used.contains(&Some(*k)) && used_status != Some(*k))
            .filter_map(|(k, c)| {
                let name = t.names.get(k).cloned().unwrap_or_default();
                tidy(&c.text).map(|text| (name, text))
            })
            .collect();
        // The parts first (linear in the cell); the events, which copy the row's cells, are
        // made one by one while the output budget lasts.
        let mut parts: Vec<(usize, String, Vec<Link>)> = Vec::new();
        for (lines_before, part) in split_numbered(&title_cell.text) {
            let (text, links) = take_links(&clean(&part));
            let title = fold_spaces(&text);
            let title = title.trim_end_matches([';', ',']).trim().to_owned();
            if title.is_empty() {
                // A numbered part that is only a link belongs to the event before it.
                if let Some(prev) = parts.last_mut() {
                    prev.2.extend(links);
                }
                continue;
            }
            parts.push((title_cell.line + lines_before + 1, title, links));
        }
        if parts.is_empty() {
            // The title cell held only numbers or links.
            let cause = ProblemCause::MissingTitle;
            st.problems.push(problem(row.first, row.last, &row_text(&row), cause));
            mark(st, row.first, row.last, LineUse::Problem);
            continue;
        }
        mark(st, row.first, row.last, LineUse::Row);
        if let Err(e) = &period {
            let line = period_cell.map_or(row.first, |c| c.line);
            let text = if period_raw.is_empty() { row_text(&row) } else { period_raw.clone() };
            let cause = ProblemCause::Period { reason: e.to_string() };
            st.problems.push(problem(line, line, &text, cause));
        }
        for (line, title, mut links) in parts {
            links.extend(result_links.iter().cloned());
            let event = ImportedEvent {
                line,
                row: row_no,
                number: number.clone(),
                task: task.clone(),
                kind: EventKind::infer(&title),
                title,
                period: period.clone().ok(),
                period_text: period_raw.clone(),
                planned_result: result.clone(),
                responsible: responsible.clone(),
                links,
                status: status.unwrap_or(EventStatus::Planned),
                other: other.clone(),
                direction: None,
            };
            if !st.push_event(event, row.first, row.last) {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_split(input: &str, expected: &[(usize, &str)]) {
        let got = split_numbered(input);
        let got: Vec<(usize, &str)> = got.iter().map(|(l, t)| (*l, t.trim())).collect();
        assert_eq!(got, expected, "input {input:?}");
    }

    #[test]
    fn numbered_parts() {
        let cases: Vec<(&str, Vec<(usize, &str)>)> = vec![
            ("1. Доклад «А»\n2. Вебинар «Б»", vec![(0, "Доклад «А»"), (1, "Вебинар «Б»")]),
            ("1. Доклад «А» 2. Вебинар «Б»", vec![(0, "Доклад «А»"), (0, "Вебинар «Б»")]),
            (
                "1) Доклад\n2) Семинар\n3) Анализ",
                vec![(0, "Доклад"), (1, "Семинар"), (2, "Анализ")],
            ),
            ("Доклад «А» 2. Вебинар", vec![(0, "Доклад «А» 2. Вебинар")]),
            ("1. Доклад на 2. этаже", vec![(0, "Доклад на 2. этаже")]),
            ("1. Доклад\n3. Семинар", vec![(0, "Доклад\n3. Семинар")]),
            ("1.5 часа", vec![(0, "1.5 часа")]),
            ("10. Доклад", vec![(0, "10. Доклад")]),
            ("1.", vec![(0, "")]),
            ("", vec![(0, "")]),
        ];
        for (input, expected) in cases {
            check_split(input, &expected);
        }
    }

    fn check_header(cell: &str, expected: Option<ColumnRole>) {
        assert_eq!(ColumnRole::of_header(cell), expected, "cell {cell:?}");
    }

    #[test]
    fn header_names() {
        use ColumnRole::*;
        let cases = [
            ("Мероприятия", Some(Title)),
            ("Мероприятие", Some(Title)),
            ("МЕРОПРИЯТИЯ", Some(Title)),
            ("Содержание работы", Some(Title)),
            ("Планируемый результат", Some(Result)),
            ("Ожидаемые результаты", Some(Result)),
            ("Сроки", Some(Period)),
            ("Срок", Some(Period)),
            ("Дата", Some(Period)),
            ("Сроки проведения", Some(Period)),
            ("Ответственный", Some(Responsible)),
            ("Ответственные", Some(Responsible)),
            ("№ п/п", Some(Number)),
            ("№", Some(Number)),
            ("Задачи", Some(Task)),
            ("Форма проведения", Some(Other)),
            ("Отметка о выполнении", Some(Status)),
            ("Доклад «Роль формирующего оценивания»", None),
            ("Сентябрь", None),
            ("", None),
        ];
        for (cell, expected) in cases {
            check_header(cell, expected);
        }
    }

    fn check_status(text: &str, expected: Option<EventStatus>) {
        assert_eq!(status_of(text), expected, "text {text:?}");
    }

    #[test]
    fn statuses() {
        use EventStatus::*;
        let cases = [
            ("Выполнено", Some(Done)),
            ("проведено.", Some(Done)),
            ("+", Some(Done)),
            ("Перенесено на май", Some(Moved)),
            ("Не проведено", Some(Cancelled)),
            ("отменено", Some(Cancelled)),
            ("Запланировано", Some(Planned)),
            ("может быть", None),
        ];
        for (text, expected) in cases {
            check_status(text, expected);
        }
    }

    #[test]
    fn links_are_taken_out() {
        let (text, links) =
            take_links("Вебинар «Миф?» https://yandex.ru/video/1, см. www.yaklass.ru.");
        assert_eq!(text, "Вебинар «Миф?» см.");
        let links: Vec<&str> = links.iter().map(Link::as_str).collect();
        assert_eq!(links, ["https://yandex.ru/video/1", "www.yaklass.ru"]);
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("[bookmark: _GoBack]   – член ПОС."), "– член ПОС.");
        assert_eq!(clean("**План работы"), "План работы");
        assert_eq!(clean("[bookmark: открыт"), "[bookmark: открыт");
        assert_eq!(clean("\u{feff}Сроки"), "Сроки");
    }
}
