//! A student's concept maps on their page: each map they drew, by lesson date, with its score
//! against the teacher's map of the same lesson and criterion (core's `maps_of`, Novak–Gowin
//! total and the propositions' F1), and a link to the lesson's scored maps. Hidden in projector
//! mode, like the rest of a student's page. Neighbours: `pages/student_history.rs`,
//! `pages/map_scores.rs`.

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::conceptmap::stored::maps_of;
use lesenka_core::ids::{ClassId, StudentId};

use crate::components::map_criterion::criterion_query;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// One row: when, what, which criterion, the score (if the teacher drew the map), the link.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    date: chrono::NaiveDate,
    topic: String,
    criterion: Option<String>,
    total: Option<(u32, u32)>,
    f1: Option<f64>,
    link: String,
}

/// The student's maps, newest lesson first (nothing when they drew none).
#[component]
pub fn StudentMaps(class: ClassId, student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let rows = Memo::new(move |_| {
        let maps = data.maps.get();
        let mut rows: Vec<Row> = data.lessons.with(|lessons| {
            maps_of(&maps, student)
                .into_iter()
                .filter_map(|(m, scored)| {
                    let lesson = lessons.iter().find(|l| l.id() == m.lesson())?;
                    if lesson.class() != class {
                        return None;
                    }
                    let criterion = m.criterion().map(|c| {
                        lesson.criterion(c).map_or_else(|| c.to_string(), |c| c.text().to_string())
                    });
                    Some(Row {
                        date: lesson.date(),
                        topic: lesson.topic().to_string(),
                        criterion,
                        total: scored
                            .as_ref()
                            .map(|s| (s.novak_gowin.total, s.novak_gowin.teacher_total)),
                        f1: scored.as_ref().and_then(|s| {
                            s.propositions.f1.defined.then_some(s.propositions.f1.value)
                        }),
                        link: format!(
                            "/lessons/{}/maps{}",
                            lesson.id(),
                            criterion_query(m.criterion())
                        ),
                    })
                })
                .collect()
        });
        rows.sort_by(|a, b| b.date.cmp(&a.date).then(a.topic.cmp(&b.topic)));
        rows
    });
    view! {
        <Show when=move || !projector.0.get() && rows.with(|r| !r.is_empty())>
            <section class="card" data-testid="student-maps" aria-labelledby="student-maps-heading">
                <h2 id="student-maps-heading">{t!(i18n, student_maps_heading)}</h2>
                <table class="evidence">
                    <thead>
                        <tr>
                            <th>{t!(i18n, evidence_date)}</th>
                            <th>{t!(i18n, student_maps_lesson)}</th>
                            <th>{t!(i18n, map_criterion)}</th>
                            <th>{t!(i18n, map_col_total)}</th>
                            <th>{t!(i18n, map_col_f1)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows.get().into_iter().map(|row| {
                            let criterion = row.criterion.clone();
                            view! {
                                <tr data-testid="student-map-row">
                                    <td>{move || format::date(i18n, row.date)}</td>
                                    <td><A href=row.link.clone()>{row.topic.clone()}</A></td>
                                    <td>{move || criterion.clone().unwrap_or_else(|| t_string!(i18n, map_whole_lesson).to_string())}</td>
                                    <td data-testid="student-map-total">{move || match row.total {
                                        Some((total, of)) => format!("{total} / {of}"),
                                        None => t_string!(i18n, student_maps_no_teacher_map).to_string(),
                                    }}</td>
                                    <td data-testid="student-map-f1">{move || match row.f1 {
                                        Some(f1) => format::hundredths(i18n, f1, false),
                                        None => "—".to_owned(),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </Show>
    }
}
