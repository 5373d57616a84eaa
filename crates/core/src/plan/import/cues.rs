//! Plans without a header row — text pulled out of a PDF, a table whose header was lost — read
//! by the cues of each event: a period («Сентябрь», «I полугодие», «до 01.06.2018»), a title
//! that starts with an event kind («Семинар …», «2. Вебинар …»), a responsible post or name
//! («Зам. директора по УВР», «Иванова А.А.»), a row number alone («3»).
//!
//! The text is read as fragments (lines, and the cells of lines with tabs; stray
//! `[bookmark: …]` tags removed). A title fragment opens an event; the period and responsible
//! fragments around it fill it, in whichever order the extraction interleaved them (a period
//! seen while the event already has one waits for the next event); a fragment starting in
//! lower case continues the title, or the responsible when it names a post; a title broken
//! inside «quotes» runs on until the quote closes. Events of one numbered list («1. … 2. …»)
//! share the period and the responsible written once for them. A run of text with no cue at
//! all, and a period or responsible with no event, are reported line by line.
//!
//! The events start at the first fragment with a strong cue (a kind or a period); the lines
//! before stay notes.

use super::{
    ImportProblem, ImportedEvent, LineUse, ProblemCause, State, clean, mark, problem,
    split_numbered, take_links,
};
use crate::plan::import::ColumnRole;
use crate::plan::kind::EventKind;
use crate::plan::model::EventStatus;
use crate::plan::period::{Period, PeriodError};
use crate::text::{fold_case, fold_spaces};

/// Whether a text is, or starts or ends with, a period followed or preceded by a responsible
/// («Сентябрь Иванова А.А.»).
pub(super) fn has_period(text: &str) -> bool {
    split_period(text).is_some()
}

/// A period taking the whole fragment, or its first or last words when the rest names a
/// responsible: (period, its text, the rest).
fn split_period(text: &str) -> Option<(Period, String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let n = words.len();
    if n == 0 {
        return None;
    }
    if n <= 8
        && let Ok(p) = Period::parse(text)
    {
        return Some((p, fold_spaces(text), String::new()));
    }
    for k in (1..=6.min(n - 1)).rev() {
        let head = words[..k].join(" ");
        let rest = words[k..].join(" ");
        if is_responsible(&rest)
            && let Ok(p) = Period::parse(&head)
        {
            return Some((p, head, rest));
        }
        let tail = words[n - k..].join(" ");
        let rest = words[..n - k].join(" ");
        if is_responsible(&rest)
            && let Ok(p) = Period::parse(&tail)
        {
            return Some((p, tail, rest));
        }
    }
    None
}

/// Stems of the first word of a fragment that names a post (folded case; whole words where the
/// stem is short: «зам», «член», «тг»).
const POST_STEMS: [&str; 14] = [
    "заместител",
    "директор",
    "руководител",
    "учител",
    "педагог-психолог",
    "методист",
    "председател",
    "секретар",
    "координатор",
    "администрац",
    "специалист",
    "ответственн",
    "творческ",
    "эксперт",
];

/// First words that name a post only as whole words, or only with the word after them.
const POST_WORDS: [(&str, &str); 9] = [
    ("зам", ""),
    ("члены", ""),
    ("член", ""),
    ("педагоги", ""),
    ("тг", ""),
    ("классные", "руководител"),
    ("социальный", "педагог"),
    ("рабочая", "групп"),
    ("все", "педагог"),
];

/// Whether a fragment names who is responsible: it starts with a post («Зам. директора по
/// УВР», «руководители МО») or a person («Иванова А.А.», «А.А. Иванова»), is short, and does
/// not start with an event kind.
pub(super) fn is_responsible(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—'));
    if t.is_empty() || t.chars().count() > 160 || EventKind::leading(t).is_some() {
        return false;
    }
    let lower = fold_case(t);
    let mut words = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'))
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    POST_STEMS.iter().any(|p| first.starts_with(p))
        || POST_WORDS.iter().any(|(w, next)| first == *w && second.starts_with(next))
        || starts_with_person(t)
}

/// «Иванова А.А.», «Иванова А. А.», «А.А. Иванова».
fn starts_with_person(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    let surname = |w: &str| {
        let w = w.trim_end_matches([',', ';']);
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 3
            && chars.all(|c| c.is_lowercase() || c == '-')
    };
    let initial = |w: &str| {
        let w = w.trim_end_matches([',', ';']);
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.next() == Some('.')
            && (w.chars().count() == 2 || w.chars().nth(2).is_some_and(char::is_uppercase))
    };
    match words.as_slice() {
        [a, b, ..] if surname(a) && initial(b) => true,
        [a, b, ..] if initial(a) && surname(b) => true,
        [a, b, c, ..] if initial(a) && initial(b) && surname(c) => true,
        _ => false,
    }
}

/// A row number alone («3», «3.»).
fn is_row_number(text: &str) -> bool {
    let t = text.trim_end_matches('.');
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// The list number a title starts with («2. Вебинар» → 2).
fn list_number(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !rest.starts_with(['.', ')']) {
        return None;
    }
    digits.parse().ok()
}

/// How a text changes the quote balance: («» opened minus closed, straight quotes seen).
fn quote_balance(text: &str) -> (i64, usize) {
    let mut guillemets = 0i64;
    let mut straight = 0usize;
    for c in text.chars() {
        match c {
            '«' => guillemets += 1,
            '»' => guillemets -= 1,
            '"' => straight += 1,
            _ => {}
        }
    }
    (guillemets, straight)
}

fn starts_lower(text: &str) -> bool {
    text.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_lowercase)
        && !text.starts_with(['«', '"'])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Title,
    Period,
    Responsible,
    Result,
}

#[derive(Default)]
struct Draft {
    /// 0-based line of the title's start.
    title_line: usize,
    title: String,
    /// The title's quote balance, kept as the title grows (see [`quote_balance`]).
    quotes: (i64, usize),
    number: Option<u32>,
    period: Option<(Period, String, usize)>,
    responsible: Option<String>,
    result: Option<String>,
    /// Every 0-based line a fragment of this event came from.
    lines: Vec<usize>,
    /// A row number («3») seen just before the event.
    row_number: Option<String>,
}

impl Draft {
    fn has_cue(&self) -> bool {
        self.period.is_some() || self.responsible.is_some()
    }

    /// Whether the title's «quotes» are left open.
    fn open_quote(&self) -> bool {
        self.quotes.0 > 0 || self.quotes.1 % 2 == 1
    }

    fn extend_title(&mut self, line: usize, text: &str) {
        let (g, q) = quote_balance(text);
        self.quotes = (self.quotes.0 + g, self.quotes.1 + q);
        self.title.push(' ');
        self.title.push_str(text);
        self.lines.push(line);
    }
}

/// What a fragment says.
enum Fragment {
    /// A signature («Руководитель ПОС ______ А.А. Иванова») or a label («Руководитель ПОС:»):
    /// it stays a note.
    Note,
    Period(Period, String, Option<String>),
    Responsible(String),
    RowNumber(String),
    Header,
    Text(String),
}

fn classify(text: &str) -> Fragment {
    if is_row_number(text) {
        return Fragment::RowNumber(text.trim_end_matches('.').to_owned());
    }
    if let Some((p, t, rest)) = split_period(text) {
        let rest = if rest.is_empty() { None } else { Some(rest) };
        return Fragment::Period(p, t, rest);
    }
    if text.contains("___") || (text.ends_with(':') && is_responsible(text)) {
        return Fragment::Note;
    }
    if is_responsible(text) {
        return Fragment::Responsible(fold_spaces(text));
    }
    if text.chars().count() <= 40
        && ColumnRole::of_header(text).is_some()
        && EventKind::leading(text).is_none()
    {
        return Fragment::Header;
    }
    Fragment::Text(fold_spaces(text))
}

/// Whether a fragment is a strong cue that the events have started.
fn strong(text: &str) -> bool {
    EventKind::leading(text).is_some()
        || split_period(text).is_some_and(|(p, _, _)| !matches!(p, Period::SchoolYear(_)))
}

struct Reader {
    drafts: Vec<Draft>,
    current: Option<Draft>,
    pending_period: Option<(Period, String, usize)>,
    pending_responsible: Option<(String, Vec<usize>)>,
    pending_number: Option<(String, usize)>,
    orphans: Vec<usize>,
    headers: Vec<usize>,
    last: Slot,
    /// The slot before the last period: a lower-case fragment after a period continues it
    /// (the period cell's line came between two lines of the responsible or of the title).
    before_period: Slot,
}

impl Reader {
    fn flush(&mut self) {
        if let Some(d) = self.current.take() {
            self.drafts.push(d);
        }
    }

    fn open(&mut self, line: usize, title: String) {
        self.flush();
        let mut d = Draft {
            title_line: line,
            number: list_number(&title),
            quotes: quote_balance(&title),
            title,
            lines: vec![line],
            ..Draft::default()
        };
        if let Some(p) = self.pending_period.take() {
            d.lines.push(p.2);
            d.period = Some(p);
        }
        if let Some((r, l)) = self.pending_responsible.take() {
            d.lines.extend(l);
            d.responsible = Some(r);
        }
        if let Some((n, l)) = self.pending_number.take() {
            d.lines.push(l);
            d.row_number = Some(n);
        }
        self.current = Some(d);
        self.last = Slot::Title;
    }

    fn period(&mut self, line: usize, period: Period, text: String) {
        if self.last != Slot::Period {
            self.before_period = self.last;
        }
        match self.current.as_mut() {
            Some(d) if d.period.is_none() => {
                d.period = Some((period, text, line));
                d.lines.push(line);
            }
            _ => {
                if let Some(old) = self.pending_period.replace((period, text, line)) {
                    self.orphans.push(old.2);
                }
            }
        }
        self.last = Slot::Period;
    }

    fn responsible(&mut self, line: usize, who: String) {
        if let Some(d) = self.current.as_mut() {
            match &mut d.responsible {
                None => {
                    d.responsible = Some(who);
                    d.lines.push(line);
                    self.last = Slot::Responsible;
                    return;
                }
                // A post broken over lines («Зам. директора по УВР,» / «руководители МО»).
                Some(r) if r.ends_with([',', ';']) || r.ends_with(" и") || starts_lower(&who) => {
                    r.push(' ');
                    r.push_str(&who);
                    d.lines.push(line);
                    self.last = Slot::Responsible;
                    return;
                }
                Some(_) => {}
            }
        }
        if let Some((_, old)) = self.pending_responsible.replace((who, vec![line])) {
            self.orphans.extend(old);
        }
        self.last = Slot::Responsible;
    }

    fn text(&mut self, line: usize, text: String) {
        let bullet = text.starts_with("- ") || text.starts_with("– ") || text.starts_with("— ");
        // A lower-case line continues the responsible it follows, or the one a period cut.
        let after_who = self.last == Slot::Responsible
            || (self.last == Slot::Period && self.before_period == Slot::Responsible);
        if starts_lower(&text) && after_who {
            if let Some((who, lines)) = self.pending_responsible.as_mut() {
                who.push(' ');
                who.push_str(&text);
                lines.push(line);
                return;
            }
            if let Some(d) = self.current.as_mut().filter(|d| !d.open_quote())
                && let Some(who) = d.responsible.as_mut()
            {
                who.push(' ');
                who.push_str(&text);
                d.lines.push(line);
                return;
            }
        }
        let Some(d) = self.current.as_mut() else {
            self.open(line, text);
            return;
        };
        if d.open_quote() && !bullet {
            d.extend_title(line, &text);
            return;
        }
        if bullet && (self.last == Slot::Result || self.last == Slot::Title) {
            let r = d.result.get_or_insert_with(String::new);
            if !r.is_empty() {
                r.push(' ');
            }
            r.push_str(&text);
            d.lines.push(line);
            self.last = Slot::Result;
            return;
        }
        // A list number opens an event; a kind word does once the event so far has its period
        // or responsible (before that it is the title's or the result's own word: «Анализ
        // способов …» under «Проведение семинаров …»).
        let opens =
            list_number(&text).is_some() || (EventKind::leading(&text).is_some() && d.has_cue());
        if self.last == Slot::Result && !opens && !d.has_cue() {
            let r = d.result.get_or_insert_with(String::new);
            r.push(' ');
            r.push_str(&text);
            d.lines.push(line);
            return;
        }
        if opens || (d.has_cue() && !starts_lower(&text)) {
            self.open(line, text);
            return;
        }
        d.extend_title(line, &text);
        self.last = Slot::Title;
    }
}

/// Reads the events of a text without a header row from the lines the front reader left as
/// notes. Returns whether any event was found; when none is, the lines are left as they were.
pub(super) fn read(st: &mut State<'_>) -> bool {
    let lines = st.lines;
    let mut fragments: Vec<(usize, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if st.uses[i] != LineUse::Note {
            continue;
        }
        for cell in line.split('\t') {
            let text = fold_spaces(&clean(cell));
            if !text.is_empty() {
                fragments.push((i, text));
            }
        }
    }
    // The events start with the paragraph (lines without a blank between) of the first strong
    // cue: a title may come before its period.
    let Some(cue) = fragments.iter().position(|(_, t)| strong(t)) else { return false };
    let mut start = cue;
    while start > 0 && {
        let (prev, here) = (fragments[start - 1].0, fragments[start].0);
        prev == here || (prev + 1 == here)
    } {
        start -= 1;
    }
    let fragments = fragments.split_off(start);
    let mut r = Reader {
        drafts: Vec::new(),
        current: None,
        pending_period: None,
        pending_responsible: None,
        pending_number: None,
        orphans: Vec::new(),
        headers: Vec::new(),
        last: Slot::Title,
        before_period: Slot::Title,
    };
    for (line, text) in fragments {
        match classify(&text) {
            Fragment::RowNumber(n) => {
                r.flush();
                r.pending_number = Some((n, line));
            }
            Fragment::Header => r.headers.push(line),
            Fragment::Note => {}
            Fragment::Period(p, t, rest) => {
                // «Сентябрь Иванова А.А.»: the period, then the responsible.
                r.period(line, p, t);
                if let Some(who) = rest {
                    r.responsible(line, who);
                }
            }
            Fragment::Responsible(who) => r.responsible(line, who),
            Fragment::Text(t) => r.text(line, t),
        }
    }
    r.flush();
    share_within_lists(&mut r.drafts);
    if let Some(p) = r.pending_period.take() {
        r.orphans.push(p.2);
    }
    if let Some((_, l)) = r.pending_responsible.take() {
        r.orphans.extend(l);
    }
    if let Some((_, l)) = r.pending_number.take() {
        r.orphans.push(l);
    }
    let mut events = Vec::new();
    // The events are kept until it is known there are any; they take the output budget as
    // they are made, so a huge cell copied into many events stops early.
    let mut budget = st.budget;
    let mut cut: Option<(usize, usize)> = None;
    let mut problems: Vec<ImportProblem> = Vec::new();
    let mut row_uses: Vec<(usize, usize, LineUse)> = Vec::new();
    for (row, d) in r.drafts.into_iter().enumerate() {
        if cut.is_some() {
            break;
        }
        let first = d.lines.iter().copied().min().unwrap_or(d.title_line);
        let last = d.lines.iter().copied().max().unwrap_or(d.title_line);
        let kind = EventKind::infer(&d.title);
        if kind == EventKind::Other && !d.has_cue() {
            let text = d.title.clone();
            problems.push(problem(first, last, &text, ProblemCause::NoCues));
            for l in &d.lines {
                row_uses.push((*l, *l, LineUse::Problem));
            }
            continue;
        }
        let parts = split_numbered(&d.title);
        let parts: Vec<(usize, String)> = if parts.len() == 1 && d.number.is_some_and(|n| n > 1) {
            let title = d.title.split_once(['.', ')']).map_or(d.title.as_str(), |(_, t)| t);
            vec![(0, title.trim().to_owned())]
        } else {
            parts
        };
        let mut made = 0;
        for (_, part) in parts {
            let (text, links) = take_links(&part);
            let title = fold_spaces(&text).trim_end_matches([';', ',']).trim().to_owned();
            if title.is_empty() {
                continue;
            }
            if cut.is_some() {
                break;
            }
            let (period, period_text) = match &d.period {
                Some((p, t, _)) => (Some(p.clone()), t.clone()),
                None => (None, String::new()),
            };
            let event = ImportedEvent {
                line: d.title_line + 1,
                row: row + 1,
                number: d.row_number.clone(),
                task: None,
                kind: EventKind::infer(&title),
                title,
                period,
                period_text,
                planned_result: d
                    .result
                    .as_deref()
                    .map(|r| r.trim_start_matches(['-', '–', '—', ' ']).trim().to_owned()),
                responsible: d.responsible.clone(),
                links,
                status: EventStatus::Planned,
                other: Vec::new(),
                direction: None,
            };
            let cost = super::event_cost(&event);
            if cost > budget {
                cut = Some((first, last));
                break;
            }
            budget -= cost;
            events.push((event, first, last));
            made += 1;
        }
        if made == 0 {
            problems.push(problem(first, last, &d.title, ProblemCause::MissingTitle));
            for l in &d.lines {
                row_uses.push((*l, *l, LineUse::Problem));
            }
            continue;
        }
        for l in &d.lines {
            row_uses.push((*l, *l, LineUse::Row));
        }
        if d.period.is_none() {
            let reason = PeriodError::Empty.to_string();
            problems.push(problem(
                d.title_line,
                d.title_line,
                &d.title,
                ProblemCause::Period { reason },
            ));
        }
    }
    if events.is_empty() {
        return false;
    }
    for (event, first, last) in events {
        st.push_event(event, first, last);
    }
    if let Some((first, _)) = cut {
        // Everything from the first event left out to the end of the text.
        st.cut = Some((first, lines.len().saturating_sub(1)));
    }
    for (first, last, u) in row_uses {
        // A line shared by an event and a problem stays the event's.
        if u == LineUse::Problem && st.uses[first] == LineUse::Row {
            continue;
        }
        mark(st, first, last, u);
    }
    for l in r.headers {
        if st.uses[l] == LineUse::Note {
            st.uses[l] = LineUse::TableHeader;
        }
    }
    for l in r.orphans {
        if st.uses[l] == LineUse::Note {
            let text = clean(lines[l]);
            problems.push(problem(l, l, &text, ProblemCause::OrphanCue));
            st.uses[l] = LineUse::Problem;
        }
    }
    st.problems.extend(problems);
    // The notes are what is left as notes.
    st.header.notes = st
        .uses
        .iter()
        .enumerate()
        .filter(|(_, u)| **u == LineUse::Note)
        .map(|(i, _)| fold_spaces(&clean(lines[i])))
        .collect();
    true
}

/// The longest responsible shared among the events of a list.
const SHARED_TEXT_BYTES: usize = 1000;

/// Events of one numbered list («1. …», «2. …» in a row) share the period and the responsible
/// written once for them.
fn share_within_lists(drafts: &mut [Draft]) {
    let mut start = 0;
    while start < drafts.len() {
        let mut end = start + 1;
        while end < drafts.len()
            && matches!((drafts[end - 1].number, drafts[end].number), (Some(a), Some(b)) if b == a + 1)
        {
            end += 1;
        }
        if end - start > 1 {
            let period = drafts[start..end].iter().find_map(|d| d.period.clone());
            // A responsible is a few words; one that ran on is not copied into every event.
            let who = drafts[start..end]
                .iter()
                .find_map(|d| d.responsible.clone())
                .filter(|w| w.len() <= SHARED_TEXT_BYTES);
            let number = drafts[start..end].iter().find_map(|d| d.row_number.clone());
            for d in &mut drafts[start..end] {
                if d.period.is_none() {
                    d.period = period.clone();
                }
                if d.responsible.is_none() {
                    d.responsible = who.clone();
                }
                if d.row_number.is_none() {
                    d.row_number = number.clone();
                }
            }
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responsible_cues() {
        let cases = [
            ("Зам. директора по УВР, руководители МО", true),
            ("руководители МО", true),
            ("Иванова А.А., руководитель ПОС", true),
            ("Гребенцова Г. В.", true),
            ("А.А. Иванова", true),
            ("Учитель начальных классов", true),
            ("Семинар «Роль учителя»", false),
            ("Педагогический совет", false),
            ("Разработка плана", false),
            ("Москва", false),
        ];
        for (text, expected) in cases {
            assert_eq!(is_responsible(text), expected, "{text:?}");
        }
    }

    #[test]
    fn periods_inside_fragments() {
        let check = |text: &str, expected: Option<(&str, &str)>| {
            let got = split_period(text).map(|(_, p, r)| (p, r));
            let want = expected.map(|(p, r)| (p.to_owned(), r.to_owned()));
            assert_eq!(got, want, "{text:?}");
        };
        check("Сентябрь", Some(("Сентябрь", "")));
        check("Сентябрь Иванова А.А.", Some(("Сентябрь", "Иванова А.А.")));
        check("Зам. директора по УВР I полугодие", Some(("I полугодие", "Зам. директора по УВР")));
        check("Анализ работы за 2022 – 2023 учебный год", None);
        check("Май месяц и всё остальное", None);
    }
}
