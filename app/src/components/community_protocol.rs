//! An open lesson's observation protocol: observer, teacher, the lesson, the checklist of
//! formative practices seen (criteria stated, a self-assessment moment, feedback given, the
//! techniques used) and comments. Core makes the protocol (`ProtocolForm::protocol`) and holds
//! the plan's open-lesson event it records (`hold_open_lesson`), which moves the open-lesson
//! indicators. Neighbours: `pages/community.rs`, `community_save.rs`.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use lesenka_core::ids::{EventId, LessonId, MemberId, ProtocolId};
use lesenka_core::plan::{EventKind, Plan, ProtocolForm, Seen, hold_open_lesson};
use lesenka_core::technique::TechniqueKind;

use crate::clock::new_uuid;
use crate::components::community_save::save_plan;
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_status};

/// A checklist line in words.
fn seen_name(i18n: I18nContext<Locale>, seen: Seen) -> String {
    match seen {
        Seen::CriteriaStated => t_string!(i18n, pos_seen_criteria),
        Seen::SelfAssessment => t_string!(i18n, pos_seen_self),
        Seen::FeedbackGiven => t_string!(i18n, pos_seen_feedback),
    }
    .to_string()
}

/// The id a select gave, parsed (none when nothing is chosen).
fn chosen<T: std::str::FromStr>(s: RwSignal<Option<String>>) -> Option<T> {
    // The options' values are ids; the empty «—» option is no choice.
    s.get_untracked().and_then(|v| v.parse().ok())
}

/// The protocol form of `plan`'s open lessons.
#[component]
pub fn CommunityProtocol(plan: Signal<Option<Plan>>) -> impl IntoView {
    let i18n = use_i18n();
    let (data, store) = (use_data(), use_status());
    // The chosen ids as the selects give them (parsed when saving).
    let event_s = RwSignal::new(None::<String>);
    let observer_s = RwSignal::new(None::<String>);
    let teacher_s = RwSignal::new(None::<String>);
    let lesson_s = RwSignal::new(None::<String>);
    let seen = RwSignal::new(BTreeSet::<Seen>::new());
    let techniques = RwSignal::new(BTreeSet::<TechniqueKind>::new());
    let comments = RwSignal::new(String::new());
    let (note, set_note) = signal(None::<Result<(), String>>);
    let open_lessons = move || {
        plan.with(|p| {
            p.as_ref().map_or_else(Vec::new, |p| {
                p.draft()
                    .events
                    .iter()
                    .filter(|e| e.kind == EventKind::OpenLesson)
                    .map(|e| (e.id, format!("{} ({})", e.title, e.period)))
                    .collect()
            })
        })
    };
    let members = move || {
        plan.with(|p| {
            p.as_ref().map_or_else(Vec::new, |p| {
                p.draft().members.iter().map(|m| (m.id, m.name.to_string())).collect::<Vec<_>>()
            })
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(plan) = plan.get_untracked() else { return };
        let (Some(event_id), Some(observer), Some(teacher), Some(lesson_id)): (
            Option<EventId>,
            Option<MemberId>,
            Option<MemberId>,
            Option<LessonId>,
        ) = (chosen(event_s), chosen(observer_s), chosen(teacher_s), chosen(lesson_s)) else {
            return set_note.set(Some(Err(t_string!(i18n, pos_protocol_incomplete).to_string())));
        };
        let Some(date) = data
            .lessons
            .with_untracked(|ls| ls.iter().find(|l| l.id() == lesson_id).map(|l| l.date()))
        else {
            return set_note.set(Some(Err(t_string!(i18n, pos_protocol_incomplete).to_string())));
        };
        let form = ProtocolForm {
            observer,
            teacher,
            lesson: lesson_id,
            date,
            seen: seen.get_untracked(),
            techniques: techniques.get_untracked(),
            comments: comments.get_untracked(),
        };
        let held = form
            .protocol(ProtocolId::from_uuid(new_uuid()))
            .and_then(|p| hold_open_lesson(plan.draft(), event_id, &p))
            .map_err(|e| errors::plan(i18n, &e));
        set_note.set(Some(held.and_then(|draft| save_plan(i18n, data, store, draft))));
    };
    let id_select = move |testid: &'static str,
                          label: String,
                          target: RwSignal<Option<String>>,
                          options: Vec<(String, String)>| {
        view! {
            <label>
                <span>{label}</span>
                <select data-testid=testid on:change=move |ev| target.set(Some(event_target_value(&ev)))>
                    <option value="">"—"</option>
                    {options.into_iter().map(|(v, t)| view! { <option value=v>{t}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <section class="card" aria-labelledby="pos-protocol-heading">
            <h2 id="pos-protocol-heading">{t!(i18n, pos_protocol)}</h2>
            <form class="form" on:submit=save>
                <div class="form-row">
                    {move || id_select("protocol-event", t_string!(i18n, pos_protocol_event).to_string(), event_s,
                        open_lessons().into_iter().map(|(id, t)| (id.to_string(), t)).collect())}
                    {move || id_select("protocol-observer", t_string!(i18n, pos_protocol_observer).to_string(), observer_s,
                        members().into_iter().map(|(id, t)| (id.to_string(), t)).collect())}
                    {move || id_select("protocol-teacher", t_string!(i18n, pos_protocol_teacher).to_string(), teacher_s,
                        members().into_iter().map(|(id, t)| (id.to_string(), t)).collect())}
                    {move || id_select("protocol-lesson", t_string!(i18n, pos_protocol_lesson).to_string(), lesson_s,
                        data.lessons.with(|ls| ls.iter().map(|l| (l.id().to_string(), format!("{} — {}", l.topic(), format::date(i18n, l.date())))).collect()))}
                </div>
                <fieldset>
                    <legend>{t!(i18n, pos_protocol_seen)}</legend>
                    {Seen::ALL.iter().map(|s| {
                        let s = *s;
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid=format!("protocol-seen-{s:?}")
                                    on:change=move |ev| { let on = event_target_checked(&ev); seen.update(|set| { if on { set.insert(s); } else { set.remove(&s); } }); } />
                                <span>{seen_name(i18n, s)}</span>
                            </label>
                        }
                    }).collect_view()}
                    {TechniqueKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid=format!("protocol-technique-{k:?}")
                                    on:change=move |ev| { let on = event_target_checked(&ev); techniques.update(|set| { if on { set.insert(k); } else { set.remove(&k); } }); } />
                                <span>{move || format::technique(i18n, k)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label>
                    <span>{t!(i18n, pos_protocol_comments)}</span>
                    <textarea rows="3" data-testid="protocol-comments" prop:value=comments on:input=move |ev| comments.set(event_target_value(&ev))></textarea>
                </label>
                {move || note.get().map(|n| match n {
                    Ok(()) => view! { <p class="notice" role="status" data-testid="protocol-saved">{t!(i18n, pos_protocol_saved)}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert" data-testid="form-error">{e}</p> }.into_any(),
                })}
                <div class="actions">
                    <button type="submit" class="btn primary" data-testid="save-protocol">{t!(i18n, pos_protocol_save)}</button>
                </div>
            </form>
        </section>
    }
}
