//! The students' concept maps of a lesson's criterion scored against the teacher's map of that
//! criterion only (`/lessons/:lesson/maps?criterion=<id>`; without one, the whole lesson's maps;
//! the criterion chosen with `components/map_criterion.rs`): per student core's `scores`
//! (Novak & Gowin parts, proposition precision, recall and F1, the closeness index) in one
//! table, then each map drawn with its matched, missing and extra propositions marked
//! (`components/concept_map_marked.rs`) and listed in words. The CSV holds every map of the
//! lesson, each row with its criterion.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::conceptmap::stored::{LessonMap, scores};
use lesenka_core::conceptmap::{PropositionText, Ratio};
use lesenka_core::ids::LessonId;

use lesenka_core::persist::csv::{EvidenceLookup, NameMode, concept_map_csv};

use crate::components::concept_map_canvas::MAP_CSS;
use crate::components::concept_map_marked::ConceptMapMarked;
use crate::components::map_criterion::{MapCriterionChoice, criterion_in_address, criterion_query};
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// «растения — выделяют → кислород».
fn sentence(p: &PropositionText) -> String {
    format!("{} — {} → {}", p.from, p.linking, p.to)
}

/// The scores of each student's map of the chosen criterion, then the maps marked.
#[component]
pub fn MapScores() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let params = use_params_map();
    let lesson_id =
        params.with_untracked(|p| p.get("lesson").and_then(|s| s.parse::<LessonId>().ok()));
    let lesson = Memo::new(move |_| {
        let id = lesson_id?;
        data.lessons.with(|l| l.iter().find(|l| l.id() == id).cloned())
    });
    let criterion = criterion_in_address();
    let (csv_error, set_csv_error) = signal(None::<String>);
    // The lesson's maps (of every criterion) as CSV, one row per proposition (core's `concept_map_csv`).
    let download_csv = move |_| {
        let Some(id) = lesson_id else { return };
        let maps: Vec<LessonMap> =
            data.maps.with_untracked(|m| m.iter().filter(|m| m.lesson() == id).cloned().collect());
        let lookup = data.classes.with_untracked(|c| EvidenceLookup::from_classes(c));
        let csv = data
            .lessons
            .with_untracked(|l| concept_map_csv(&maps, l, &lookup, NameMode::RealNames));
        let name = format!("lesenka-maps-{id}.csv");
        set_csv_error.set(
            crate::transfer::download_bytes(&name, "text/csv;charset=utf-8", csv.as_bytes()).err(),
        );
    };
    let ratio = move |r: Ratio| {
        if r.defined {
            format::hundredths(i18n, r.value, false)
        } else {
            t_string!(i18n, calib_no_value).to_string()
        }
    };
    view! {
        <section class="card" data-testid="map-scores-page">
            <style>{MAP_CSS}</style>
            {move || {
                let Some(lesson) = lesson.get() else {
                    return view! { <p data-testid="lesson-not-found">{t!(i18n, lesson_not_found)}</p> }.into_any();
                };
                let id = lesson.id();
                let chosen = criterion.get();
                let maps = data.maps.get();
                let class = data.classes.with(|c| c.iter().find(|c| c.id == lesson.class()).cloned());
                let topic = lesson.topic().to_string();
                let head = view! {
                    <p class="muted"><A href=format!("/lessons/{id}")>{topic}</A></p>
                    <h1 data-testid="map-scores-title">{t!(i18n, map_scores_title)}</h1>
                    <p><A href=format!("/lessons/{id}/map{}", criterion_query(chosen)) attr:data-testid="open-map-teacher">{t!(i18n, map_teacher_title)}</A></p>
                    <MapCriterionChoice lesson path=format!("/lessons/{id}/maps") />
                };
                let Some(found) = scores(&maps, id, chosen) else {
                    return view! { {head} <p data-testid="map-no-teacher">{t!(i18n, map_no_teacher)}</p> }.into_any();
                };
                if projector.0.get() {
                    return view! { {head} <p>{t!(i18n, map_scores_hidden)}</p> }.into_any();
                }
                let teacher = found.teacher.clone();
                // In the class list's order.
                let scored: Vec<(String, LessonMap, _)> = class
                    .map(|c| c.students().iter().filter_map(|s| {
                        let (m, score) = found.of(s.id)?;
                        Some((s.display_name.to_string(), (*m).clone(), score.clone()))
                    }).collect())
                    .unwrap_or_default();
                if scored.is_empty() {
                    return view! { {head} <p data-testid="map-no-students">{t!(i18n, map_no_students)}</p> }.into_any();
                }
                let rows = scored.iter().map(|(name, _, c)| {
                    let ng = &c.novak_gowin;
                    let p = &c.propositions;
                    view! {
                        <tr data-testid="map-score-row" data-student=name.clone()>
                            <th scope="row">{name.clone()}</th>
                            <td data-testid="ms-valid">{ng.valid_propositions}</td>
                            <td data-testid="ms-levels">{ng.hierarchy_levels}</td>
                            <td data-testid="ms-branchings">{ng.branchings}</td>
                            <td data-testid="ms-cross-links">{ng.cross_links}</td>
                            <td data-testid="ms-examples">{ng.examples}</td>
                            <td data-testid="ms-total">{format!("{} / {}", ng.total, ng.teacher_total)}</td>
                            <td data-testid="ms-relative">{ratio(ng.relative)}</td>
                            <td data-testid="ms-precision">{ratio(p.precision)}</td>
                            <td data-testid="ms-recall">{ratio(p.recall)}</td>
                            <td data-testid="ms-f1">{ratio(p.f1)}</td>
                            <td data-testid="ms-closeness">{ratio(c.closeness.index)}</td>
                        </tr>
                    }
                }).collect_view();
                let drawn = scored.into_iter().map(|(name, m, c)| {
                    let p = c.propositions;
                    let list = |items: Vec<String>, testid: &'static str| view! {
                        <ul data-testid=testid>{items.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                    };
                    view! {
                        <section class="map-student" data-testid="map-score-student" data-student=name.clone()>
                            <h2>{name.clone()}</h2>
                            <ConceptMapMarked student=m teacher=teacher.clone() />
                            <h3>{t!(i18n, map_matched)}</h3>
                            {list(p.matched_list.iter().map(|x| sentence(&x.student)).collect(), "ms-matched-list")}
                            <h3>{t!(i18n, map_missing)}</h3>
                            {list(p.missing.iter().map(sentence).collect(), "ms-missing-list")}
                            <h3>{t!(i18n, map_extra)}</h3>
                            {list(p.extra.iter().map(sentence).collect(), "ms-extra-list")}
                        </section>
                    }
                }).collect_view();
                view! {
                    {head}
                    <div class="map-scroll" tabindex="0" role="region" aria-label=move || t_string!(i18n, map_scores_title).to_string()>
                        <table class="map-scores" data-testid="map-scores">
                            <caption>{t!(i18n, map_scores_title)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, calib_student)}</th>
                                    <th scope="col">{t!(i18n, map_col_valid)}</th>
                                    <th scope="col">{t!(i18n, map_col_levels)}</th>
                                    <th scope="col">{t!(i18n, map_col_branchings)}</th>
                                    <th scope="col">{t!(i18n, map_col_cross_links)}</th>
                                    <th scope="col">{t!(i18n, map_col_examples)}</th>
                                    <th scope="col">{t!(i18n, map_col_total)}</th>
                                    <th scope="col">{t!(i18n, map_col_relative)}</th>
                                    <th scope="col">{t!(i18n, map_col_precision)}</th>
                                    <th scope="col">{t!(i18n, map_col_recall)}</th>
                                    <th scope="col">{t!(i18n, map_col_f1)}</th>
                                    <th scope="col">{t!(i18n, map_col_closeness)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                    <p class="map-row">
                        <button class="btn map-button" data-testid="map-csv" on:click=download_csv>{t!(i18n, map_csv)}</button>
                    </p>
                    {move || csv_error.get().map(|e| view! { <p class="error" role="alert" data-testid="map-csv-error">{e}</p> })}
                    {drawn}
                }.into_any()
            }}
        </section>
    }
}
