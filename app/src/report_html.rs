//! «Анализ работы ПОС за год» as HTML: [`body`] writes core's `YearReport` (every figure is
//! core's; nothing is computed here) as an HTML fragment in the user's language, every text
//! escaped, each goal's indicators with an SVG chart of their months against the target;
//! [`document`] wraps it as one standalone file (inline CSS, no scripts) for «Сохранить как
//! HTML». The report page (`pages/report.rs`) shows the same fragment, so the page, its print
//! and the saved file never differ. [`REPORT_CSS`] is the report's style, A4 print included.

use leptos_i18n::I18nContext;
use lesenka_core::diagnostics::MotivationLevel;
use lesenka_core::evidence::YearMonth;
use lesenka_core::plan::{EventStatus, NotDone, Tracked, YearReport};

use crate::components::band_chart::level_name;
use crate::components::community_goals::indicator_name;
use crate::components::community_members::role_name;
use crate::format;
use crate::i18n::*;

/// The report's style: screen and A4 print (page breaks before the large sections, rows and
/// charts never cut).
pub const REPORT_CSS: &str = include_str!("report.css");

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn status_name(i18n: I18nContext<Locale>, status: EventStatus) -> String {
    match status {
        EventStatus::Planned => t_string!(i18n, pos_status_planned),
        EventStatus::Done => t_string!(i18n, pos_status_done),
        EventStatus::Moved => t_string!(i18n, pos_status_moved),
        EventStatus::Cancelled => t_string!(i18n, pos_status_cancelled),
    }
    .to_string()
}

/// A bar per month of the indicator's trend with the target as a dashed line; the title and
/// label say what it shows.
fn chart(i18n: I18nContext<Locale>, tracked: &Tracked, what: &str, id: &str) -> String {
    let (w, h, left, bottom) = (360.0_f64, 120.0_f64, 28.0_f64, 18.0_f64);
    let target = tracked.measured.target;
    let top = tracked.trend.iter().map(|(_, v)| *v).chain([target, 1]).max().unwrap_or(1);
    let n = tracked.trend.len().max(1) as f64;
    let slot = (w - left) / n;
    let y = |v: u32| (h - bottom) - f64::from(v) / f64::from(top) * (h - bottom - 8.0);
    let label =
        t_string!(i18n, report_chart_label, what = what.to_string(), target = target).to_string();
    let mut svg = format!(
        "<svg class=\"report-chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-t\" data-testid=\"{id}-chart\"><title id=\"{id}-t\">{}</title>",
        escape(&label)
    );
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{w}\" y2=\"{0:.1}\" class=\"axis\"/><text x=\"{1:.1}\" y=\"{0:.1}\" class=\"tick\">0</text><text x=\"{1:.1}\" y=\"{2:.1}\" class=\"tick\">{top}</text>",
        h - bottom,
        left - 4.0,
        y(top) + 4.0
    ));
    for (k, (month, value)) in tracked.trend.iter().enumerate() {
        let x = left + k as f64 * slot + slot * 0.15;
        let bar_y = y(*value);
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{bar_y:.1}\" width=\"{:.1}\" height=\"{:.1}\" class=\"bar\" data-value=\"{value}\"><title>{}: {value}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" class=\"month\">{}</text>",
            slot * 0.7,
            (h - bottom) - bar_y,
            escape(&month_label(i18n, *month)),
            x + slot * 0.35,
            h - 4.0,
            escape(&short_month(i18n, *month)),
        ));
    }
    if target > 0 {
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{w}\" y2=\"{0:.1}\" class=\"target\"/>",
            y(target)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn month_label(i18n: I18nContext<Locale>, month: YearMonth) -> String {
    format!("{} {}", format::month_name(i18n, month.month()), month.year())
}

fn short_month(i18n: I18nContext<Locale>, month: YearMonth) -> String {
    format::month_name(i18n, month.month()).chars().take(3).collect()
}

/// A table: header cells, then rows of already escaped cells.
fn table(testid: &str, header: &[String], rows: Vec<Vec<String>>) -> String {
    let mut out = format!("<table class=\"report-table\" data-testid=\"{testid}\"><thead><tr>");
    for h in header {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str(&format!("<td>{cell}</td>"));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The report as an HTML fragment (an `<article>`), in the user's language.
pub fn body(i18n: I18nContext<Locale>, r: &YearReport) -> String {
    let t = |s: &str| escape(s);
    let mut out = String::from("<article class=\"report\" data-testid=\"report\">");
    out.push_str(&format!(
        "<header class=\"report-head\"><h1>{}</h1><p class=\"report-plan\">{}</p><p>{}</p></header>",
        t(t_string!(i18n, report_title)),
        t(&r.title),
        t(&t_string!(i18n, report_as_of, year = r.year.to_string(), date = format::date(i18n, r.as_of)))
    ));

    // The plan: aim, tasks, members.
    out.push_str(&format!(
        "<section class=\"report-section\" aria-labelledby=\"r-plan\"><h2 id=\"r-plan\">{}</h2>",
        t(t_string!(i18n, report_plan))
    ));
    if let Some(aim) = &r.aim {
        out.push_str(&format!(
            "<p><strong>{}:</strong> {}</p>",
            t(t_string!(i18n, pos_aim)),
            t(aim)
        ));
    }
    if !r.tasks.is_empty() {
        out.push_str(&format!("<p><strong>{}:</strong></p><ol>", t(t_string!(i18n, pos_tasks))));
        for task in &r.tasks {
            out.push_str(&format!("<li>{}</li>", t(task)));
        }
        out.push_str("</ol>");
    }
    if !r.members.is_empty() {
        out.push_str(&format!("<p><strong>{}:</strong> ", t(t_string!(i18n, pos_members))));
        let list: Vec<String> = r
            .members
            .iter()
            .map(|(name, position, role)| {
                let mut s = format!("{} ({}", t(name), t(&role_name(i18n, *role)));
                if let Some(p) = position {
                    s.push_str(&format!(", {}", t(p)));
                }
                s.push(')');
                s
            })
            .collect();
        out.push_str(&list.join("; "));
        out.push_str("</p>");
    }
    out.push_str("</section>");

    // Events with what was held, moved and cancelled.
    let c = r.counts;
    out.push_str(&format!(
        "<section class=\"report-section\" aria-labelledby=\"r-events\"><h2 id=\"r-events\">{}</h2><p data-testid=\"report-counts\" data-done=\"{}\" data-moved=\"{}\" data-cancelled=\"{}\" data-planned=\"{}\" data-overdue=\"{}\">{}</p>",
        t(t_string!(i18n, report_events)),
        c.done, c.moved, c.cancelled, c.planned, c.overdue,
        t(&t_string!(i18n, report_counts, done = c.done, moved = c.moved, cancelled = c.cancelled, planned = c.planned, overdue = c.overdue))
    ));
    let rows = r
        .events
        .iter()
        .map(|e| {
            let mut when = t(&e.period);
            if let Some(from) = &e.moved_from {
                when.push_str(&format!(
                    " <span class=\"muted\">({})</span>",
                    t(&t_string!(i18n, report_moved_from, period = from.clone()))
                ));
            }
            let mut status = t(&status_name(i18n, e.status));
            if e.overdue {
                status.push_str(&format!(", {}", t(t_string!(i18n, pos_overdue))));
            }
            vec![when, t(&e.title), status, e.responsible.as_deref().map(t).unwrap_or_default()]
        })
        .collect();
    out.push_str(&table(
        "report-events",
        &[
            t_string!(i18n, pos_field_period).to_string(),
            t_string!(i18n, pos_field_title).to_string(),
            t_string!(i18n, report_col_status).to_string(),
            t_string!(i18n, pos_field_responsible).to_string(),
        ],
        rows,
    ));
    out.push_str("</section>");

    // Goals against their targets.
    out.push_str(&format!("<section class=\"report-section report-break\" aria-labelledby=\"r-goals\"><h2 id=\"r-goals\">{}</h2>", t(t_string!(i18n, pos_goals))));
    if r.goals.is_empty() {
        out.push_str(&format!("<p class=\"muted\">{}</p>", t(t_string!(i18n, report_no_goals))));
    }
    for (g, goal) in r.goals.iter().enumerate() {
        let state = if goal.met {
            t_string!(i18n, report_goal_met)
        } else {
            t_string!(i18n, report_goal_not_met)
        };
        out.push_str(&format!(
            "<div class=\"report-goal\" data-testid=\"report-goal-{g}\" data-met=\"{}\"><h3>{} <span class=\"report-state\">— {}</span></h3>",
            goal.met,
            t(&goal.title),
            t(state)
        ));
        for (i, line) in goal.indicators.iter().enumerate() {
            let m = &line.tracked.measured;
            let what = indicator_name(i18n, &m.indicator);
            let id = format!("report-indicator-{g}-{i}");
            out.push_str(&format!(
                "<figure class=\"report-indicator\" data-testid=\"{id}\" data-current=\"{}\" data-target=\"{}\" data-met=\"{}\"><figcaption>{}: <strong>{}</strong></figcaption>{}</figure>",
                m.current,
                m.target,
                m.met,
                t(&what),
                t(&t_string!(i18n, pos_value_of, current = m.current, target = m.target)),
                chart(i18n, &line.tracked, &what, &id)
            ));
        }
        out.push_str("</div>");
    }
    out.push_str("</section>");

    // Open lessons from their protocols.
    out.push_str(&format!(
        "<section class=\"report-section\" aria-labelledby=\"r-open\"><h2 id=\"r-open\">{}</h2>",
        t(t_string!(i18n, report_open_lessons))
    ));
    if r.open_lessons.is_empty() {
        out.push_str(&format!("<p class=\"muted\">{}</p>", t(t_string!(i18n, report_none))));
    } else {
        let rows = r
            .open_lessons
            .iter()
            .map(|l| {
                let techniques: Vec<String> =
                    l.techniques.iter().map(|k| format::technique(i18n, *k)).collect();
                let mut seen = l.seen.join("; ");
                if let Some(n) = &l.notes {
                    seen = if seen.is_empty() { n.clone() } else { format!("{seen}. {n}") };
                }
                vec![
                    t(&format::date(i18n, l.date)),
                    t(l.topic.as_deref().unwrap_or_default()),
                    t(&l.teacher),
                    t(&l.observer),
                    t(&techniques.join(", ")),
                    t(&seen),
                ]
            })
            .collect();
        out.push_str(&table(
            "report-open-lessons",
            &[
                t_string!(i18n, pos_behind_date).to_string(),
                t_string!(i18n, pos_protocol_lesson).to_string(),
                t_string!(i18n, pos_protocol_teacher).to_string(),
                t_string!(i18n, pos_protocol_observer).to_string(),
                t_string!(i18n, practices_technique).to_string(),
                t_string!(i18n, pos_protocol_seen).to_string(),
            ],
            rows,
        ));
    }
    out.push_str("</section>");

    // The bank of practices.
    out.push_str(&format!(
        "<section class=\"report-section\" aria-labelledby=\"r-bank\"><h2 id=\"r-bank\">{}</h2>",
        t(t_string!(i18n, practices_title))
    ));
    if r.practices.is_empty() {
        out.push_str(&format!("<p class=\"muted\">{}</p>", t(t_string!(i18n, report_none))));
    } else {
        let rows = r
            .practices
            .iter()
            .map(|p| {
                let d = p.draft();
                vec![
                    t(&format::date(i18n, d.added_on)),
                    t(d.title.as_str()),
                    t(&d.technique.map(|k| format::technique(i18n, k)).unwrap_or_default()),
                    t(d.subject.as_ref().map(|s| s.as_str()).unwrap_or_default()),
                    d.grade.map(|g| g.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        out.push_str(&table(
            "report-practices",
            &[
                t_string!(i18n, practices_added).to_string(),
                t_string!(i18n, practices_name).to_string(),
                t_string!(i18n, practices_technique).to_string(),
                t_string!(i18n, practices_subject).to_string(),
                t_string!(i18n, practices_grade).to_string(),
            ],
            rows,
        ));
    }
    out.push_str("</section>");

    // Diagnostics before and after, when there are both.
    if let Some(d) = &r.diagnostics {
        out.push_str(&format!("<section class=\"report-section\" aria-labelledby=\"r-diag\" data-testid=\"report-diagnostics\"><h2 id=\"r-diag\">{}</h2>", t(t_string!(i18n, report_diagnostics))));
        // One row per band, named as the diagnostics pages name it (a band that is not one
        // of the Лусканова form's keeps its code), with core's counts as data.
        let count = |snap: &lesenka_core::plan::BandSnapshot, band: &str| -> u32 {
            snap.bands.iter().filter(|(b, _)| b == band).map(|(_, n)| n).sum()
        };
        out.push_str(&format!(
            "<table class=\"report-table\" data-testid=\"report-diagnostics-table\" data-start=\"{}\" data-end=\"{}\"><thead><tr>",
            d.start.taken_on, d.end.taken_on
        ));
        for h in [
            t_string!(i18n, report_band).to_string(),
            format::date(i18n, d.start.taken_on),
            format::date(i18n, d.end.taken_on),
        ] {
            out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&h)));
        }
        out.push_str("</tr></thead><tbody>");
        for (band, start, end) in &d.shares {
            let shown = MotivationLevel::ALL
                .into_iter()
                .find(|l| l.code() == band)
                .map_or_else(|| band.clone(), |l| level_name(i18n, l));
            out.push_str(&format!(
                "<tr data-testid=\"report-diagnostics-row\" data-band=\"{}\" data-start-count=\"{}\" data-end-count=\"{}\"><td>{}</td><td>{}</td><td>{}</td></tr>",
                t(band),
                count(&d.start, band),
                count(&d.end, band),
                t(&shown),
                t(&format::share(i18n, *start)),
                t(&format::share(i18n, *end)),
            ));
        }
        out.push_str("</tbody></table>");
        out.push_str("</section>");
    }

    // What was not done.
    out.push_str(&format!("<section class=\"report-section\" aria-labelledby=\"r-not-done\"><h2 id=\"r-not-done\">{}</h2>", t(t_string!(i18n, report_not_done))));
    if r.not_done.is_empty() {
        out.push_str(&format!("<p class=\"muted\">{}</p>", t(t_string!(i18n, report_all_done))));
    } else {
        out.push_str("<ul data-testid=\"report-not-done\">");
        for n in &r.not_done {
            let line = match n {
                NotDone::Overdue { title, period } => t_string!(
                    i18n,
                    report_nd_overdue,
                    title = title.clone(),
                    period = period.clone()
                )
                .to_string(),
                NotDone::Cancelled { title, period } => t_string!(
                    i18n,
                    report_nd_cancelled,
                    title = title.clone(),
                    period = period.clone()
                )
                .to_string(),
                NotDone::Short { goal, goal_index, indicator_index } => {
                    let m = r
                        .goals
                        .get(*goal_index)
                        .and_then(|g| g.indicators.get(*indicator_index))
                        .map(|l| &l.tracked.measured);
                    match m {
                        Some(m) => t_string!(
                            i18n,
                            report_nd_short,
                            goal = goal.clone(),
                            what = indicator_name(i18n, &m.indicator),
                            current = m.current,
                            target = m.target
                        )
                        .to_string(),
                        None => goal.clone(),
                    }
                }
            };
            out.push_str(&format!("<li>{}</li>", t(&line)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section></article>");
    out
}

/// The report as one standalone HTML file: inline CSS, no scripts, no outside resource.
pub fn document(i18n: I18nContext<Locale>, r: &YearReport) -> String {
    let lang = match format::lang(i18n) {
        lesenka_core::text::Lang::Ru => "ru",
        lesenka_core::text::Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — {}</title><style>{REPORT_CSS}</style></head><body class=\"report-file\">{}</body></html>\n",
        escape(t_string!(i18n, report_title)),
        escape(&r.title),
        body(i18n, r)
    )
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<b>«Да» & 'нет'\"</b>"),
            "&lt;b&gt;«Да» &amp; &#39;нет&#39;&quot;&lt;/b&gt;"
        );
    }
}
