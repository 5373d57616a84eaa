//! Светофор in no-device mode: the class's students in a grid, one tap per student cycles
//! green → yellow → red, with undo; a live anonymous bar chart; closing saves the answers as
//! evidence records.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Source};
use lesenka_core::ids::{CriterionId, EvidenceId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::roster::Class;
use lesenka_core::technique::{Light, Response, Tally, Technique, TechniqueKind};

use crate::clock;
use crate::components::bar_chart::{Bar, BarChart};
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector, use_status};

/// Builds the evidence records of a finished светофор (ids and time are passed in).
pub fn traffic_light_records(
    lesson: &Lesson,
    criterion: CriterionId,
    answers: &BTreeMap<StudentId, Light>,
    mut new_id: impl FnMut() -> EvidenceId,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<EvidenceRecord> {
    let technique = Technique::TrafficLight;
    answers
        .iter()
        .filter_map(|(student, light)| {
            let value = Response::Light(*light);
            technique.accept(&value).ok()?;
            EvidenceRecord::new(EvidenceDraft {
                id: new_id(),
                lesson: lesson.id(),
                lesson_date: lesson.date(),
                class: lesson.class(),
                student: Some(*student),
                criterion,
                technique: TechniqueKind::TrafficLight,
                value,
                source: Source::SelfAssessment,
                recorded_at: now,
            })
            .ok()
        })
        .collect()
}

/// The anonymous counts of the answers so far, computed by core.
pub fn traffic_light_tally(answers: &BTreeMap<StudentId, Light>) -> Tally {
    let responses: Vec<Response> = answers.values().map(|l| Response::Light(*l)).collect();
    Tally::of(&Technique::TrafficLight, responses.iter())
}

/// Runs светофор on one criterion for one class.
#[component]
pub fn TrafficLightRun(
    /// The class.
    class: Class,
    /// The lesson.
    lesson: Lesson,
    /// The criterion assessed.
    criterion: CriterionId,
    /// Called after the answers were saved (with how many) or the run was dropped (with 0).
    #[prop(into)]
    on_close: Callback<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let projector = use_projector();
    let (answers, set_answers) = signal(BTreeMap::<StudentId, Light>::new());
    let (history, set_history) = signal(Vec::<(StudentId, Option<Light>)>::new());
    let total = class.students().len();

    let tap = move |id: StudentId| {
        let before = answers.with_untracked(|a| a.get(&id).copied());
        let after = before.map_or(Light::Green, Light::next);
        set_history.update(|h| h.push((id, before)));
        set_answers.update(|a| {
            a.insert(id, after);
        });
    };
    let undo = move |_| {
        let Some((id, before)) = set_history.try_update(Vec::pop).flatten() else { return };
        set_answers.update(|a| match before {
            Some(light) => {
                a.insert(id, light);
            }
            None => {
                a.remove(&id);
            }
        });
    };
    let bars = Signal::derive(move || {
        let tally = answers.with(traffic_light_tally);
        tally
            .options
            .iter()
            .map(|option| {
                let light = Light::ALL.into_iter().find(|l| format::light_class(*l) == option.key);
                let label = light.map_or_else(|| option.key.clone(), |l| format::light(i18n, l));
                Bar { key: option.key.clone(), label, count: option.count }
            })
            .collect::<Vec<_>>()
    });
    let lesson_for_save = lesson.clone();
    let close = move |_| {
        let records = answers.with_untracked(|a| {
            traffic_light_records(
                &lesson_for_save,
                criterion,
                a,
                || EvidenceId::from_uuid(clock::new_uuid()),
                clock::now(),
            )
        });
        let count = records.len();
        // Saved or not, the records are in memory; the banner reports a failed save.
        let _ = data.record(status, records);
        on_close.run(count);
    };
    let students = class.students().to_vec();
    view! {
        <section class="technique traffic-light" data-testid="traffic-light">
            <div class="technique-head">
                <h2>{t!(i18n, traffic_light_title)}</h2>
                <p class="muted">{t!(i18n, traffic_light_hint)}</p>
                <ul class="legend">
                    {Light::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <li class=format!("chip {}", format::light_class(l))>
                                    <b>{move || format::light(i18n, l)}</b>
                                    " — "
                                    {move || format::light_meaning(i18n, l)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
            <div class="technique-body">
                <div class="student-grid" data-testid="student-grid">
                    {students
                        .into_iter()
                        .map(|student| {
                            let id = student.id;
                            let light = move || answers.with(|a| a.get(&id).copied());
                            let name = student.display_name.to_string();
                            let pseudonym = student.pseudonym.as_str().to_owned();
                            view! {
                                <button
                                    class=move || {
                                        format!(
                                            "student-tile {}",
                                            light().map_or("none", format::light_class),
                                        )
                                    }
                                    data-testid=format!("tile-{id}")
                                    data-light=move || light().map_or("none", format::light_class)
                                    on:click=move |_| tap(id)
                                >
                                    <span class="tile-name">
                                        {move || {
                                            if projector.0.get() { pseudonym.clone() } else { name.clone() }
                                        }}
                                    </span>
                                    <span class="tile-light">
                                        {move || match light() {
                                            Some(l) => format::light(i18n, l),
                                            None => t_string!(i18n, light_none).to_string(),
                                        }}
                                    </span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <aside class="chart-panel">
                    <h3>{t!(i18n, chart_title)}</h3>
                    <BarChart bars=bars title=Signal::derive(move || t_string!(i18n, chart_label).to_string()) />
                    <p class="answered" data-testid="answered">
                        {move || {
                            let answered = answers.with(BTreeMap::len);
                            t_string!(i18n, answered_of, answered, total).to_string()
                        }}
                    </p>
                </aside>
            </div>
            <div class="actions">
                <button
                    class="btn"
                    data-testid="undo"
                    disabled=move || history.with(Vec::is_empty)
                    on:click=undo
                >
                    {t!(i18n, undo)}
                </button>
                <button class="btn ghost" data-testid="discard-technique" on:click=move |_| on_close.run(0)>
                    {t!(i18n, discard_technique)}
                </button>
                <button class="btn primary" data-testid="close-technique" on:click=close>
                    {t!(i18n, close_technique)}
                </button>
            </div>
        </section>
    }
}
