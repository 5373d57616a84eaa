//! The concept map drawn as SVG, to draw with a finger or a mouse: drag a concept to move it,
//! tap one and then another to link them (the phrase is asked for), and the tools over it (add,
//! rename, delete, undo). It renders [`MapModel`] and turns pointer events into its operations;
//! a drag changes only the dragged concept's place signal until the drop, which is one edit.
//! The same map's list editor is `concept_list_editor.rs`; the marked drawing of a scored map is
//! `concept_map_marked.rs`.

use leptos::prelude::*;
use lesenka_core::conceptmap::edit::{Edit, LinkId, Point};
use lesenka_core::ids::ConceptId;
use wasm_bindgen::JsCast;

use crate::clock::new_uuid;
use crate::errors;
use crate::i18n::*;
use crate::mapedit::MapModel;

/// A concept's box height in drawing units.
pub const NODE_H: i32 = 64;

/// A concept's box width for its label (drawing units).
pub fn node_w(label: &str) -> i32 {
    (label.chars().count() as i32 * 11 + 32).clamp(96, 240)
}

/// Where the segment from `a` to the centre `b` enters `b`'s box of half-size `(hw, hh)`.
pub fn edge_end(a: Point, b: Point, hw: i32, hh: i32) -> (f64, f64) {
    let (dx, dy) = (f64::from(b.x - a.x), f64::from(b.y - a.y));
    if dx == 0.0 && dy == 0.0 {
        return (f64::from(b.x), f64::from(b.y));
    }
    let tx = if dx == 0.0 { f64::INFINITY } else { f64::from(hw) / dx.abs() };
    let ty = if dy == 0.0 { f64::INFINITY } else { f64::from(hh) / dy.abs() };
    let t = tx.min(ty).min(1.0);
    (f64::from(b.x) - dx * t, f64::from(b.y) - dy * t)
}

/// The drawing's size: the concepts' extent with a margin, never smaller than 900 × 520.
pub fn extent(points: impl Iterator<Item = Point>) -> (i32, i32) {
    points.fold((900, 520), |(w, h), p| (w.max(p.x + 140), h.max(p.y + 80)))
}

/// A drag in progress.
#[derive(Debug, Clone, Copy)]
struct Drag {
    id: ConceptId,
    pointer: i32,
    start: (i32, i32),
    from: Point,
    moved: bool,
}

/// One link: a line with an arrow between its concepts' boxes and its phrase at the middle.
#[component]
fn LinkLine(model: MapModel, link: LinkId, from: ConceptId, to: ConceptId) -> impl IntoView {
    let (pa, pb) = (model.place(from), model.place(to));
    let (la, lb) = (Memo::new(move |_| model.label(from)), Memo::new(move |_| model.label(to)));
    let geometry = Memo::new(move |_| {
        let (a, b) = (pa.get(), pb.get());
        let start = edge_end(b, a, node_w(&la.get()) / 2, NODE_H / 2);
        let end = edge_end(a, b, node_w(&lb.get()) / 2 + 6, NODE_H / 2 + 6);
        (start, end)
    });
    let phrase =
        move || model.map.with(|m| m.link(link).map(|l| l.linking.clone()).unwrap_or_default());
    view! {
        <g class="map-link" data-testid="map-link" data-phrase=phrase>
            <line
                x1=move || geometry.get().0.0 y1=move || geometry.get().0.1
                x2=move || geometry.get().1.0 y2=move || geometry.get().1.1
                marker-end="url(#map-arrow)"
            />
            <text
                class="map-phrase"
                x=move || (geometry.get().0.0 + geometry.get().1.0) / 2.0
                y=move || (geometry.get().0.1 + geometry.get().1.1) / 2.0 - 6.0
                text-anchor="middle"
            >
                {phrase}
            </text>
        </g>
    }
}

/// One concept: a box with its label, moved by its own place signal; a pointer pressed on it
/// starts a drag (or a tap) that the drawing follows.
#[component]
fn ConceptNode(model: MapModel, id: ConceptId, drag: StoredValue<Option<Drag>>) -> impl IntoView {
    let held = model.place(id);
    // A touch is held by the concept it started on (implicit capture), and the drawing hears
    // the moves as they bubble; a mouse is followed while it stays over the drawing.
    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        let from = held.get_untracked();
        drag.set_value(Some(Drag {
            id,
            pointer: ev.pointer_id(),
            start: (ev.client_x(), ev.client_y()),
            from,
            moved: false,
        }));
    };
    let place = model.place(id);
    let label = Memo::new(move |_| model.label(id));
    let selected = move || model.selected.get() == Some(id);
    let nudge = move |dx: i32, dy: i32| {
        let at = model.map.with_untracked(|m| m.concept(id).map(|c| c.at));
        if let Some(at) = at {
            model.apply(Edit::Move { id, to: Point { x: at.x + dx, y: at.y + dy } });
        }
    };
    view! {
        <g
            class=move || if selected() { "map-node selected" } else { "map-node" }
            data-testid="map-node"
            data-label=move || label.get()
            data-concept=id.to_string()
            transform=move || { let p = place.get(); format!("translate({} {})", p.x, p.y) }
            role="button"
            tabindex="0"
            aria-pressed=move || selected().to_string()
            aria-label=move || label.get()
            on:pointerdown=down
            on:keydown=move |ev| match ev.key().as_str() {
                "Enter" | " " => { ev.prevent_default(); model.tap(id); }
                "ArrowLeft" => { ev.prevent_default(); nudge(-20, 0); }
                "ArrowRight" => { ev.prevent_default(); nudge(20, 0); }
                "ArrowUp" => { ev.prevent_default(); nudge(0, -20); }
                "ArrowDown" => { ev.prevent_default(); nudge(0, 20); }
                _ => {}
            }
        >
            <rect
                x=move || -node_w(&label.get()) / 2 y=-NODE_H / 2
                width=move || node_w(&label.get()) height=NODE_H rx="12"
            />
            <text text-anchor="middle" dominant-baseline="central">{move || label.get()}</text>
        </g>
    }
}

/// The editable drawing with its tools.
#[component]
pub fn ConceptMapCanvas(model: MapModel) -> impl IntoView {
    let i18n = use_i18n();
    let concept_ids =
        move || model.map.with(|m| m.concepts().iter().map(|c| c.id).collect::<Vec<_>>());
    // Keyed by the ends too: a link given new ends is drawn anew.
    let link_ids = move || {
        model.map.with(|m| m.links().iter().map(|l| (l.id, l.from, l.to)).collect::<Vec<_>>())
    };
    let size = Memo::new(move |_| model.map.with(|m| extent(m.concepts().iter().map(|c| c.at))));
    let drag = StoredValue::new(None::<Drag>);
    let scale = move |ev: &web_sys::PointerEvent| {
        let width = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map_or(0, |e| e.client_width());
        if width > 0 { f64::from(size.get_untracked().0) / f64::from(width) } else { 1.0 }
    };
    let motion = move |ev: web_sys::PointerEvent| {
        let Some(mut d) = drag.get_value().filter(|d| d.pointer == ev.pointer_id()) else { return };
        let (dx, dy) = (ev.client_x() - d.start.0, ev.client_y() - d.start.1);
        if !d.moved && dx.abs() + dy.abs() < 6 {
            return;
        }
        d.moved = true;
        drag.set_value(Some(d));
        let k = scale(&ev);
        let to = Point {
            x: d.from.x + (f64::from(dx) * k).round() as i32,
            y: d.from.y + (f64::from(dy) * k).round() as i32,
        };
        model.drag_to(d.id, to);
    };
    let up = move |ev: web_sys::PointerEvent| {
        let Some(d) = drag.get_value().filter(|d| d.pointer == ev.pointer_id()) else { return };
        drag.set_value(None);
        if d.moved { model.drop_at(d.id) } else { model.tap(d.id) }
    };
    let cancel = move |ev: web_sys::PointerEvent| {
        if let Some(d) = drag.get_value().filter(|d| d.pointer == ev.pointer_id()) {
            drag.set_value(None);
            model.cancel_drag(d.id);
        }
    };

    let (new_label, set_new_label) = signal(String::new());
    let add = move || {
        let at = model.map.with_untracked(|m| m.free_point());
        let id = ConceptId::from_uuid(new_uuid());
        if model.apply(Edit::AddConcept { id, label: new_label.get_untracked(), at }) {
            set_new_label.set(String::new());
        }
    };
    let (phrase, set_phrase) = signal(String::new());
    let link = move || {
        if model.link_pending(phrase.get_untracked()) {
            set_phrase.set(String::new());
        }
    };
    let status = move || match (model.pending.get(), model.selected.get()) {
        (Some((a, b)), _) => {
            t_string!(i18n, map_status_pending, from = model.label(a), to = model.label(b))
                .to_string()
        }
        (None, Some(a)) => {
            t_string!(i18n, map_status_selected, concept = model.label(a)).to_string()
        }
        (None, None) => t_string!(i18n, map_status_idle).to_string(),
    };
    view! {
        <div class="map-canvas-wrap">
            <div class="map-tools">
                <form class="map-row" on:submit=move |ev| { ev.prevent_default(); add(); }>
                    <input
                        class="map-field"
                        aria-label=move || t_string!(i18n, map_new_concept).to_string()
                        placeholder=move || t_string!(i18n, map_new_concept).to_string()
                        data-testid="map-new-concept"
                        prop:value=new_label
                        on:input=move |ev| set_new_label.set(event_target_value(&ev))
                    />
                    <button class="btn map-button" type="submit" data-testid="map-add-concept">{t!(i18n, map_add_concept)}</button>
                </form>
                <button
                    class="btn ghost map-button"
                    data-testid="map-undo"
                    disabled=move || !model.map.with(|m| m.can_undo())
                    on:click=move |_| model.undo()
                >
                    {t!(i18n, undo)}
                </button>
            </div>
            <p class="map-status" role="status" data-testid="map-status">{status}</p>
            {move || model.pending.get().map(|_| view! {
                <form class="map-row" on:submit=move |ev| { ev.prevent_default(); link(); }>
                    <input
                        class="map-field"
                        aria-label=move || t_string!(i18n, map_link_phrase).to_string()
                        placeholder=move || t_string!(i18n, map_link_phrase).to_string()
                        data-testid="map-link-phrase"
                        prop:value=phrase
                        on:input=move |ev| set_phrase.set(event_target_value(&ev))
                    />
                    <button class="btn map-button" type="submit" data-testid="map-link-apply">{t!(i18n, map_add_link)}</button>
                    <button class="btn ghost map-button" type="button" data-testid="map-link-cancel" on:click=move |_| model.pending.set(None)>
                        {t!(i18n, cancel)}
                    </button>
                </form>
            })}
            {move || model.selected.get().map(|id| view! {
                <div class="map-row">
                    <input
                        class="map-field"
                        aria-label=move || t_string!(i18n, map_concept_label).to_string()
                        data-testid="map-rename"
                        prop:value=move || model.label(id)
                        on:change=move |ev| { model.apply(Edit::Rename { id, label: event_target_value(&ev) }); }
                    />
                    <button class="btn ghost map-button" data-testid="map-delete" on:click=move |_| {
                        if model.apply(Edit::RemoveConcept { id }) { model.selected.set(None); }
                    }>
                        {t!(i18n, map_delete)}
                    </button>
                </div>
            })}
            {move || model.error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="map-edit-error">{move || errors::map_edit(i18n, &e)}</p>
            })}
            <svg
                class="map-canvas"
                data-testid="map-canvas"
                role="group"
                aria-label=move || t_string!(i18n, map_canvas_label).to_string()
                viewBox=move || { let (w, h) = size.get(); format!("0 0 {w} {h}") }
                on:pointermove=motion
                on:pointerup=up
                on:pointercancel=cancel
            >
                <defs>
                    <marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                <For
                    each=link_ids
                    key=|k| *k
                    children=move |(link, from, to)| view! { <LinkLine model link from to /> }
                />
                <For each=concept_ids key=|id| *id let:id>
                    <ConceptNode model id drag />
                </For>
            </svg>
        </div>
    }
}

/// The maps' own styles (in the lazily loaded map pages, so the first load's CSS does not carry
/// them): fields and buttons of at least 44 px, the drawing white on every theme, links marked
/// by pattern as well as colour.
pub const MAP_CSS: &str = "\
.map-layout{display:grid;gap:1rem}\
.map-row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.3rem 0}\
.map-rows{list-style:none;padding:0;margin:0}\
.map-field,.map-rows select,.map-row select{min-height:44px;font-size:1rem;padding:.3rem .5rem}\
.map-button{min-height:44px;min-width:44px}\
.map-tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}\
.map-canvas{display:block;width:100%;height:auto;background:#fff;border:1px solid #767676;border-radius:8px;touch-action:none;user-select:none;-webkit-user-select:none}\
.map-node rect{fill:#fff;stroke:#1a3a6b;stroke-width:2}\
.map-node.selected rect{fill:#dbe9ff;stroke-width:6}\
.map-node:focus{outline:none}\
.map-node:focus-visible rect{stroke:#b00000;stroke-width:6}\
.map-node text{font-size:18px;fill:#111;pointer-events:none}\
.map-node{cursor:grab}\
.map-link line{stroke:#333;stroke-width:2}\
.map-canvas marker path{fill:#333}\
.map-phrase{font-size:15px;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:5px;pointer-events:none}\
.map-link.matched line{stroke:#1b6e20;stroke-width:4}\
.map-link.extra line{stroke:#8a4b00;stroke-width:4;stroke-dasharray:2 6}\
.map-link.repeated line{stroke:#555;stroke-dasharray:1 3}\
.map-link.missing line{stroke:#a00000;stroke-width:2;stroke-dasharray:12 6}\
.map-node.absent rect{stroke-dasharray:8 5;fill:#f2f2f2}\
.map-legend{display:flex;gap:1.5rem;flex-wrap:wrap;margin-top:.5rem}\
.map-scroll{overflow-x:auto}\
.map-scores{font-size:.95rem}\
.map-scores td,.map-scores th{padding:.3rem .5rem;text-align:right}\
.map-scores th:first-child,.map-scores td:first-child{text-align:left}";
