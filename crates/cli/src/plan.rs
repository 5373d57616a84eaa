//! `lesenka plan import FILE`: a community plan pasted from a document table, read by core's
//! [`import_plan`], printed as JSON (header, events, problems) or as a readable list.
//!
//! The exit status is 1 when any row could not be read (the result is printed all the same), so
//! a script can tell a clean import from one that needs a look. A file larger than core's
//! [`MAX_PLAN_BYTES`] allows is refused before it is decoded.

use std::path::Path;

use lesenka_core::plan::{
    ImportProblem, ImportedEvent, ImportedHeader, Layout, MAX_PLAN_BYTES, UnreadLine,
    try_import_plan,
};
use serde::Serialize;

use crate::input::{self, DataError};
use crate::output::{self, Format, Lang};

/// A problem with its readable message.
#[derive(Serialize)]
struct ProblemOut<'a> {
    #[serde(flatten)]
    problem: &'a ImportProblem,
    /// «строка 14: срок не прочитан: …».
    message: String,
}

/// What `plan import` prints as JSON.
#[derive(Serialize)]
struct PlanOut<'a> {
    file: String,
    encoding: String,
    layout: Option<Layout>,
    events_found: usize,
    problems_found: usize,
    header: &'a ImportedHeader,
    events: &'a [ImportedEvent],
    problems: Vec<ProblemOut<'a>>,
    /// The lines that gave nothing, each with its reason.
    unread: &'a [UnreadLine],
    /// The events' indices in the order the year runs (the August before it first).
    year_order: Vec<usize>,
}

/// Runs `plan import`; returns whether the import had no problems.
pub fn import(path: &Path, format: Format, lang: Lang) -> anyhow::Result<bool> {
    let too_large = |bytes: usize| {
        let cause = match lang {
            Lang::Ru => format!(
                "файл слишком велик для плана: {bytes} байт, читается не больше \
                 {MAX_PLAN_BYTES} байт текста"
            ),
            Lang::En => format!(
                "the file is too large for a plan: {bytes} bytes; at most {MAX_PLAN_BYTES} \
                 bytes of text are read"
            ),
        };
        DataError::new(path, lang, cause)
    };
    // A legacy encoding's byte may become two in UTF-8, and UTF-16 takes two bytes per
    // character: a file twice the limit cannot hold a plan within it.
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > 2 * MAX_PLAN_BYTES as u64 {
        return Err(too_large(usize::try_from(size).unwrap_or(usize::MAX)).into());
    }
    let (text, encoding) = input::read_text(path, lang)?;
    if text.trim().is_empty() {
        let cause =
            lang.pick("файл пуст: в нём нет текста плана", "the file is empty: no plan text");
        return Err(DataError::new(path, lang, cause).into());
    }
    let result = try_import_plan(&text).map_err(|_| too_large(text.len()))?;
    let problems: Vec<ProblemOut<'_>> =
        result.problems.iter().map(|p| ProblemOut { problem: p, message: p.to_string() }).collect();
    let out = PlanOut {
        file: path.display().to_string(),
        encoding: input::encoding_name(encoding),
        layout: result.layout,
        events_found: result.events.len(),
        problems_found: problems.len(),
        header: &result.header,
        events: &result.events,
        problems,
        unread: &result.unread,
        year_order: result.year_order(),
    };
    let printed = match format {
        Format::Json => output::json(&out)?,
        Format::Text => text_report(&out, lang),
    };
    output::print(&printed)?;
    if encoding != encoding_rs::UTF_8 {
        let name = encoding.name();
        match lang {
            Lang::Ru => {
                eprintln!("lesenka: файл прочитан как {name}; лучше сохранять планы в UTF-8")
            }
            Lang::En => {
                eprintln!("lesenka: the file was read as {name}; saving plans as UTF-8 is better")
            }
        }
    }
    for p in &out.problems {
        eprintln!("{}: {}", out.file, p.message);
    }
    Ok(out.problems.is_empty())
}

fn text_report(out: &PlanOut<'_>, lang: Lang) -> String {
    let mut s = String::new();
    let h = out.header;
    if let Some(title) = &h.title {
        s.push_str(&format!("{}: {title}\n", lang.pick("План", "Plan")));
    }
    if let Some(year) = h.year {
        s.push_str(&format!("{}: {year}\n", lang.pick("Учебный год", "School year")));
    }
    if let Some(aim) = &h.aim {
        s.push_str(&format!("{}: {aim}\n", lang.pick("Цель", "Aim")));
    }
    for (i, task) in h.tasks.iter().enumerate() {
        s.push_str(&format!("{} {}: {task}\n", lang.pick("Задача", "Task"), i + 1));
    }
    s.push_str(&format!(
        "{}: {}; {}: {}\n",
        lang.pick("Мероприятий найдено", "Events found"),
        out.events_found,
        lang.pick("проблем", "problems"),
        out.problems_found
    ));
    // In the order the year runs; each event keeps its number in the table.
    for &i in &out.year_order {
        let e = &out.events[i];
        let period = match &e.period {
            Some(p) => p.to_string(),
            None => format!("{} «{}»", lang.pick("срок?", "period?"), e.period_text),
        };
        let kind = match lang {
            Lang::Ru => e.kind.russian().to_owned(),
            Lang::En => serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        };
        s.push_str(&format!("{:>3}. [{period}] {} ({kind})", i + 1, e.title));
        if let Some(d) = &e.direction {
            s.push_str(&format!("; {}: {d}", lang.pick("направление", "direction")));
        }
        if let Some(r) = &e.responsible {
            s.push_str(&format!("; {}: {r}", lang.pick("отв.", "resp.")));
        }
        s.push_str(&format!(" — {} {}\n", lang.pick("стр.", "line"), e.line));
    }
    if !out.problems.is_empty() {
        s.push_str(lang.pick("Проблемы:\n", "Problems:\n"));
        for p in &out.problems {
            s.push_str(&format!("  {}\n", p.message));
        }
    }
    if !out.unread.is_empty() {
        s.push_str(lang.pick("Не прочитаны строки:\n", "Lines not read:\n"));
        for u in out.unread {
            s.push_str(&format!("  {:>4}: «{}» — {}\n", u.line, u.text, u.reason));
        }
    }
    s
}
