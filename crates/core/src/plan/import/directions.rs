//! Network and municipal plans whose columns are directions and whose rows are kinds of work:
//!
//! ```text
//! Формы работы    I направление              II направление             III …
//! Семинары        Семинар «Критерии» (октябрь)  Семинар «Рубрики» (январь)
//! Открытые уроки  Открытый урок, 5 кл. (ноябрь) …
//! ```
//!
//! The header is a row whose cells after the first are all directions: a Roman numeral
//! («I», «II.», «III направление», «IV. Оценивание …») or the word «направление» («Направление
//! 2»). Each non-empty cell under a direction gives one event per bracketed date it holds
//! («(октябрь)», «(до 01.06.2018)», «(I полугодие)»); brackets that are not dates stay in the
//! title. The event keeps its direction (the header cell as written) and the row's kind of work
//! (kept among the other cells, and the event's kind when the cell itself names none). A row
//! whose label cell is empty continues the kind of work of the row above.

use super::{
    ColumnRole, ImportedEvent, LineUse, ProblemCause, RawRow, State, Table, clean, mark, problem,
    row_text, take_links, tidy,
};
use crate::plan::kind::EventKind;
use crate::plan::model::EventStatus;
use crate::plan::period::Period;
use crate::text::fold_spaces;

const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

/// Whether a header cell names a direction.
pub fn is_direction(cell: &str) -> bool {
    let t = clean(cell);
    let first =
        t.split(|c: char| c.is_whitespace() || matches!(c, '.' | ')' | ':')).next().unwrap_or("");
    if ROMAN.contains(&first) {
        return true;
    }
    let lower = crate::text::fold_case(&t);
    lower.split_whitespace().take(3).any(|w| w.starts_with("направлени"))
}

/// The columns of a direction header row, or `None` when `cells` is not one: at least two
/// cells after the first, all of them directions (empty cells allowed), and a first cell that
/// is not a direction (the kinds of work).
pub(super) fn header(cells: &[&str]) -> Option<Vec<Option<ColumnRole>>> {
    let (label, rest) = cells.split_first()?;
    if is_direction(label) {
        return None;
    }
    let filled: Vec<&&str> = rest.iter().filter(|c| !clean(c).is_empty()).collect();
    if filled.len() < 2 || !filled.iter().all(|c| is_direction(c)) {
        return None;
    }
    let mut columns = vec![ColumnRole::of_header(label).or(Some(ColumnRole::Other))];
    columns.extend(
        rest.iter().map(|c| if clean(c).is_empty() { None } else { Some(ColumnRole::Direction) }),
    );
    Some(columns)
}

/// One event's share of a cell: newlines before it, its title text, and the bracketed period
/// text if the cell dates it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Part {
    pub lines_before: usize,
    pub title: String,
    pub period: Option<String>,
}

/// Splits a cell at its bracketed dates: «Семинар «А» (октябрь); вебинар (март)» is two parts.
/// Brackets that do not hold a period stay in the title; text after the last date is one more
/// part without a period.
pub(super) fn dated_parts(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut start = 0; // byte where the current part starts
    let mut search = 0;
    while let Some(open_rel) = text[search..].find('(') {
        let open = search + open_rel;
        let Some(close_rel) = text[open..].find(')') else { break };
        let close = open + close_rel;
        let inside = &text[open + 1..close];
        if Period::parse(inside).is_ok() {
            let title = text[start..open].to_owned();
            parts.push(Part {
                lines_before: text[..start].matches('\n').count()
                    + leading_newlines(&text[start..open]),
                title,
                period: Some(inside.to_owned()),
            });
            start = close + 1;
        }
        search = close + 1;
    }
    let rest = &text[start..];
    if rest.chars().any(char::is_alphanumeric) || parts.is_empty() {
        parts.push(Part {
            lines_before: text[..start].matches('\n').count() + leading_newlines(rest),
            title: rest.to_owned(),
            period: None,
        });
    }
    parts
}

fn leading_newlines(text: &str) -> usize {
    let body_start = text.len() - text.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    text[..body_start].matches('\n').count()
}

/// A part's title: separators, list numbers and bullets trimmed.
fn part_title(raw: &str) -> String {
    let t = fold_spaces(&clean(raw));
    let t = t.trim_matches(|c: char| matches!(c, ';' | ',' | '.' | '-' | '–' | '—' | ' '));
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let t = if digits > 0 && digits <= 2 && t[digits..].starts_with(['.', ')']) {
        t[digits + 1..].trim_start()
    } else {
        t
    };
    t.to_owned()
}

pub(super) fn rows_to_events(st: &mut State<'_>, t: &Table, rows: Vec<RawRow>) {
    let label_name = t.names.first().cloned().unwrap_or_default();
    let mut label: Option<String> = None;
    let mut row_no = 0usize;
    for row in rows {
        if row.cells.iter().all(|c| clean(&c.text).is_empty()) {
            mark(st, row.first, row.last, LineUse::Blank);
            continue;
        }
        row_no += 1;
        if let Some(l) = row.cells.first().and_then(|c| tidy(&c.text)) {
            label = Some(l);
        }
        let label_kind = label.as_deref().map(EventKind::infer).unwrap_or(EventKind::Other);
        let other: Vec<(String, String)> =
            label.iter().map(|l| (label_name.clone(), l.clone())).collect();
        let mut found = 0;
        let mut period_problems = Vec::new();
        for (k, cell) in row.cells.iter().enumerate().skip(1) {
            if t.columns.get(k) != Some(&Some(ColumnRole::Direction)) {
                continue;
            }
            let direction = t.names.get(k).cloned();
            for part in dated_parts(&cell.text) {
                let (text, links) = take_links(&clean(&part.title));
                let title = part_title(&text);
                if title.is_empty() {
                    continue;
                }
                let line = cell.line + part.lines_before;
                let period_text = part.period.as_deref().map(fold_spaces).unwrap_or_default();
                let period = Period::parse(&period_text);
                if let Err(e) = &period {
                    let reason = if part.period.is_none() {
                        "в ячейке нет срока в скобках, например «(октябрь)»".to_owned()
                    } else {
                        e.to_string()
                    };
                    period_problems.push((line, title.clone(), reason));
                }
                let kind = match EventKind::infer(&title) {
                    EventKind::Other => label_kind,
                    kind => kind,
                };
                let event = ImportedEvent {
                    line: line + 1,
                    row: row_no,
                    number: None,
                    task: None,
                    title,
                    kind,
                    period: period.ok(),
                    period_text,
                    planned_result: None,
                    responsible: None,
                    links,
                    status: EventStatus::Planned,
                    other: other.clone(),
                    direction: direction.clone(),
                };
                st.push_event(event, row.first, row.last);
                found += 1;
            }
        }
        if found == 0 {
            let cause = ProblemCause::MissingTitle;
            st.problems.push(problem(row.first, row.last, &row_text(&row), cause));
            mark(st, row.first, row.last, LineUse::Problem);
            continue;
        }
        mark(st, row.first, row.last, LineUse::Row);
        for (line, text, reason) in period_problems {
            st.problems.push(problem(line, line, &text, ProblemCause::Period { reason }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[(usize, &str, Option<&str>)]) {
        let got = dated_parts(input);
        let got: Vec<(usize, String, Option<&str>)> = got
            .iter()
            .map(|p| (p.lines_before, part_title(&p.title), p.period.as_deref()))
            .collect();
        let want: Vec<(usize, String, Option<&str>)> =
            expected.iter().map(|(l, t, p)| (*l, (*t).to_owned(), *p)).collect();
        assert_eq!(got, want, "input {input:?}");
    }

    #[test]
    fn cells_split_at_their_dates() {
        check("Семинар «Критерии» (октябрь)", &[(0, "Семинар «Критерии»", Some("октябрь"))]);
        check(
            "Семинар «А» (октябрь); вебинар «Б» (март)",
            &[(0, "Семинар «А»", Some("октябрь")), (0, "вебинар «Б»", Some("март"))],
        );
        check(
            "1. Открытый урок (для 5-х классов) (ноябрь)\n2. Мастер-класс (I полугодие)",
            &[
                (0, "Открытый урок (для 5-х классов)", Some("ноябрь")),
                (1, "Мастер-класс", Some("I полугодие")),
            ],
        );
        check("Консультации по запросу", &[(0, "Консультации по запросу", None)]);
        check(
            "Доклад (январь) и обсуждение",
            &[(0, "Доклад", Some("январь")), (0, "и обсуждение", None)],
        );
        check("(", &[(0, "(", None)]);
        check("", &[(0, "", None)]);
    }

    #[test]
    fn direction_headers() {
        let yes: [&[&str]; 3] = [
            &["Формы работы", "I", "II", "III", "IV"],
            &["", "I направление «Оценивание»", "II. Самооценка", ""],
            &["Вид деятельности", "Направление 1", "Направление 2"],
        ];
        for cells in yes {
            assert!(header(cells).is_some(), "{cells:?}");
        }
        let no: [&[&str]; 3] = [
            &["Мероприятия", "Сроки", "Ответственный"],
            &["I", "II", "III"],
            &["Формы работы", "I", "Сроки"],
        ];
        for cells in no {
            assert!(header(cells).is_none(), "{cells:?}");
        }
    }
}
