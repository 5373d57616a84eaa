//! The concept map's list editor, the keyboard way to draw it: the concepts (label, and for the
//! teacher the other wordings), then the propositions «понятие — связь → понятие», each with its
//! problems from core next to it. It changes the map only through [`MapModel`] (the canvas,
//! `concept_map_canvas.rs`, draws the same map).

use leptos::prelude::*;
use lesenka_core::conceptmap::edit::{Edit, LinkId, Place};
use lesenka_core::conceptmap::stored::LessonMapProblem;
use lesenka_core::ids::ConceptId;

use crate::clock::new_uuid;
use crate::errors;
use crate::i18n::*;
use crate::mapedit::MapModel;

/// The problems of `place` among `problems`, worded.
fn worded(model: MapModel, problems: &[LessonMapProblem], place: Place) -> Vec<String> {
    let i18n = use_i18n();
    let label = |id: ConceptId| {
        let l = model.map.with_untracked(|m| m.concept(id).map(|c| c.label.clone()));
        format!("«{}»", l.unwrap_or_default())
    };
    problems
        .iter()
        .filter(|p| model.map.with(|m| m.place(p)) == place)
        .map(|p| errors::lesson_map(i18n, p, &label))
        .collect()
}

/// The problems of one place, as alert lines.
#[component]
fn Problems(
    model: MapModel,
    problems: Signal<Vec<LessonMapProblem>>,
    place: Place,
) -> impl IntoView {
    view! {
        {move || {
            problems.with(|ps| worded(model, ps, place)).into_iter().map(|text| view! {
                <span class="error" role="alert" data-testid="map-problem">{text}</span>
            }).collect_view()
        }}
    }
}

/// A select of the map's concepts (values are concept ids).
#[component]
fn ConceptSelect(
    model: MapModel,
    #[prop(into)] label: Signal<String>,
    testid: &'static str,
    value: Signal<Option<ConceptId>>,
    on_pick: Callback<ConceptId>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            aria-label=label
            data-testid=testid
            prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
            on:change=move |ev| {
                if let Ok(id) = event_target_value(&ev).parse::<ConceptId>() {
                    on_pick.run(id);
                }
            }
        >
            <option value="">{t!(i18n, map_choose_concept)}</option>
            {move || model.map.with(|m| m.concepts().iter().map(|c| {
                let id = c.id.to_string();
                let selected = value.get().map(|v| v.to_string()) == Some(id.clone());
                view! { <option value=id selected=selected>{c.label.clone()}</option> }
            }).collect_view())}
        </select>
    }
}

/// Concepts and propositions as lists of fields; `synonyms` shows the variants per concept (the
/// teacher's criterion map).
#[component]
pub fn ConceptListEditor(
    model: MapModel,
    synonyms: bool,
    #[prop(into)] problems: Signal<Vec<LessonMapProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let concept_ids =
        move || model.map.with(|m| m.concepts().iter().map(|c| c.id).collect::<Vec<_>>());
    let link_ids =
        move || model.map.with(|m| m.links().iter().map(|l| l.id).collect::<Vec<LinkId>>());
    let (new_label, set_new_label) = signal(String::new());
    let add_concept = move || {
        let label = new_label.get_untracked();
        let at = model.map.with_untracked(|m| m.free_point());
        let id = ConceptId::from_uuid(new_uuid());
        if model.apply(Edit::AddConcept { id, label, at }) {
            set_new_label.set(String::new());
        }
    };
    let new_from = RwSignal::new(None::<ConceptId>);
    let new_to = RwSignal::new(None::<ConceptId>);
    let (new_phrase, set_new_phrase) = signal(String::new());
    let add_link = move || {
        let (Some(from), Some(to)) = (new_from.get_untracked(), new_to.get_untracked()) else {
            return;
        };
        if model.apply(Edit::Link { from, linking: new_phrase.get_untracked(), to }) {
            set_new_phrase.set(String::new());
            new_from.set(None);
            new_to.set(None);
        }
    };
    view! {
        <div class="map-lists" data-testid="map-list-editor">
            <h2>{t!(i18n, map_concepts)}</h2>
            <ul class="map-rows">
                <For each=concept_ids key=|id| *id let:id>
                    {
                        let label = move || model.label(id);
                        let variants = move || model.map.with(|m| m.concept(id).map(|c| c.variants.clone()).unwrap_or_default());
                        view! {
                            <li class="map-row" data-testid="list-concept">
                                <input
                                    class="map-field"
                                    aria-label=move || t_string!(i18n, map_concept_label).to_string()
                                    data-testid="list-concept-label"
                                    prop:value=label
                                    on:change=move |ev| { model.apply(Edit::Rename { id, label: event_target_value(&ev) }); }
                                />
                                {synonyms.then(|| view! {
                                    <input
                                        class="map-field"
                                        aria-label=move || t_string!(i18n, map_concept_variants, concept = label()).to_string()
                                        placeholder=move || t_string!(i18n, map_variants_hint).to_string()
                                        data-testid="list-concept-variants"
                                        prop:value=variants
                                        on:change=move |ev| { model.apply(Edit::SetVariants { id, text: event_target_value(&ev) }); }
                                    />
                                })}
                                <button
                                    class="btn ghost map-button"
                                    data-testid="list-concept-delete"
                                    aria-label=move || t_string!(i18n, map_delete_concept, concept = label()).to_string()
                                    on:click=move |_| { model.apply(Edit::RemoveConcept { id }); }
                                >
                                    "✕"
                                </button>
                                <Problems model problems place=Place::Concept(id) />
                            </li>
                        }
                    }
                </For>
            </ul>
            <form class="map-row" on:submit=move |ev| { ev.prevent_default(); add_concept(); }>
                <input
                    class="map-field"
                    aria-label=move || t_string!(i18n, map_new_concept).to_string()
                    placeholder=move || t_string!(i18n, map_new_concept).to_string()
                    data-testid="list-new-concept"
                    prop:value=new_label
                    on:input=move |ev| set_new_label.set(event_target_value(&ev))
                />
                <button class="btn map-button" type="submit" data-testid="list-add-concept">{t!(i18n, map_add_concept)}</button>
            </form>
            <h2>{t!(i18n, map_propositions)}</h2>
            <ol class="map-rows">
                <For each=link_ids key=|id| *id let:link>
                    {
                        let from = Signal::derive(move || model.map.with(|m| m.link(link).map(|l| l.from)));
                        let to = Signal::derive(move || model.map.with(|m| m.link(link).map(|l| l.to)));
                        let phrase = move || model.map.with(|m| m.link(link).map(|l| l.linking.clone()).unwrap_or_default());
                        let set_ends = move |f: Option<ConceptId>, t: Option<ConceptId>| {
                            if let (Some(from), Some(to)) = (f, t) {
                                model.apply(Edit::SetEnds { link, from, to });
                            }
                        };
                        view! {
                            <li class="map-row" data-testid="list-link">
                                <ConceptSelect
                                    model
                                    label=Signal::derive(move || t_string!(i18n, map_link_from).to_string())
                                    testid="list-link-from"
                                    value=from
                                    on_pick=Callback::new(move |f| set_ends(Some(f), to.get_untracked()))
                                />
                                <input
                                    class="map-field"
                                    aria-label=move || t_string!(i18n, map_link_phrase).to_string()
                                    data-testid="list-link-phrase"
                                    prop:value=phrase
                                    on:change=move |ev| { model.apply(Edit::SetPhrase { link, linking: event_target_value(&ev) }); }
                                />
                                <span aria-hidden="true">"→"</span>
                                <ConceptSelect
                                    model
                                    label=Signal::derive(move || t_string!(i18n, map_link_to).to_string())
                                    testid="list-link-to"
                                    value=to
                                    on_pick=Callback::new(move |t| set_ends(from.get_untracked(), Some(t)))
                                />
                                <button
                                    class="btn ghost map-button"
                                    data-testid="list-link-delete"
                                    aria-label=move || t_string!(i18n, map_delete_link, phrase = phrase()).to_string()
                                    on:click=move |_| { model.apply(Edit::Unlink { link }); }
                                >
                                    "✕"
                                </button>
                                <Problems model problems place=Place::Link(link) />
                            </li>
                        }
                    }
                </For>
            </ol>
            <form class="map-row" on:submit=move |ev| { ev.prevent_default(); add_link(); }>
                <ConceptSelect
                    model
                    label=Signal::derive(move || t_string!(i18n, map_link_from).to_string())
                    testid="list-new-from"
                    value=new_from.into()
                    on_pick=Callback::new(move |f| new_from.set(Some(f)))
                />
                <input
                    class="map-field"
                    aria-label=move || t_string!(i18n, map_link_phrase).to_string()
                    placeholder=move || t_string!(i18n, map_link_phrase).to_string()
                    data-testid="list-new-phrase"
                    prop:value=new_phrase
                    on:input=move |ev| set_new_phrase.set(event_target_value(&ev))
                />
                <span aria-hidden="true">"→"</span>
                <ConceptSelect
                    model
                    label=Signal::derive(move || t_string!(i18n, map_link_to).to_string())
                    testid="list-new-to"
                    value=new_to.into()
                    on_pick=Callback::new(move |t| new_to.set(Some(t)))
                />
                <button
                    class="btn map-button"
                    type="submit"
                    data-testid="list-add-link"
                    disabled=move || new_from.with(Option::is_none) || new_to.with(Option::is_none)
                >
                    {t!(i18n, map_add_link)}
                </button>
            </form>
            <Problems model problems place=Place::Map />
        </div>
    }
}
