//! A student's map drawn marked against the teacher's (core's `marked::mark`): matched links
//! solid with «✓», extra links dotted with «+», the teacher's links the student lacks dashed
//! with «−», concepts only the teacher has in dashed boxes; a legend says so in words, so
//! nothing is told by colour alone. Read-only; the editable drawing is `concept_map_canvas.rs`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lesenka_core::conceptmap::edit::{Point, grid_point};
use lesenka_core::conceptmap::marked::{End, Mark, mark};
use lesenka_core::conceptmap::stored::LessonMap;
use lesenka_core::ids::ConceptId;

use crate::components::concept_map_canvas::{NODE_H, edge_end, extent, node_w};
use crate::i18n::*;

/// One box of the drawing.
struct Box_ {
    label: String,
    at: Point,
    absent: bool,
}

/// One line of the drawing.
struct Line {
    from: usize,
    to: usize,
    phrase: String,
    kind: &'static str,
    sign: &'static str,
}

/// The student's map marked against the teacher's.
#[component]
pub fn ConceptMapMarked(student: LessonMap, teacher: LessonMap) -> impl IntoView {
    let i18n = use_i18n();
    let marked = mark(&student, &teacher);
    let mut boxes: Vec<Box_> = Vec::new();
    let mut index: BTreeMap<ConceptId, usize> = BTreeMap::new();
    for (i, c) in student.map().concepts().iter().enumerate() {
        index.insert(c.id, i);
        boxes.push(Box_ { label: c.label.to_string(), at: grid_point(i), absent: false });
    }
    let mut absent: BTreeMap<String, usize> = BTreeMap::new();
    for label in &marked.absent {
        absent.insert(label.clone(), boxes.len());
        boxes.push(Box_ { label: label.clone(), at: grid_point(boxes.len()), absent: true });
    }
    let mut lines = Vec::new();
    for (p, m) in student.map().propositions().iter().zip(&marked.student) {
        let (kind, sign) = match m {
            Mark::Matched => ("matched", "✓"),
            Mark::Extra => ("extra", "+"),
            Mark::Repeated => ("repeated", "="),
        };
        if let (Some(&from), Some(&to)) = (index.get(&p.from), index.get(&p.to)) {
            lines.push(Line { from, to, phrase: p.linking.to_string(), kind, sign });
        }
    }
    let end = |e: &End| match e {
        End::Student(id) => index.get(id).copied(),
        End::Absent(label) => absent.get(label).copied(),
    };
    for m in &marked.missing {
        if let (Some(from), Some(to)) = (end(&m.from), end(&m.to)) {
            lines.push(Line { from, to, phrase: m.linking.clone(), kind: "missing", sign: "−" });
        }
    }
    let (w, h) = extent(boxes.iter().map(|b| b.at));
    let lines_view = lines
        .iter()
        .map(|l| {
            let (a, b) = (&boxes[l.from], &boxes[l.to]);
            let start = edge_end(b.at, a.at, node_w(&a.label) / 2, NODE_H / 2);
            let end = edge_end(a.at, b.at, node_w(&b.label) / 2 + 6, NODE_H / 2 + 6);
            let text = format!("{} {}", l.sign, l.phrase);
            view! {
                <g class=format!("map-link {}", l.kind) data-testid=format!("marked-{}", l.kind) data-phrase=l.phrase.clone()>
                    <line x1=start.0 y1=start.1 x2=end.0 y2=end.1 marker-end="url(#map-arrow-marked)" />
                    <text class="map-phrase" x=(start.0 + end.0) / 2.0 y=(start.1 + end.1) / 2.0 - 6.0 text-anchor="middle">
                        {text}
                    </text>
                </g>
            }
        })
        .collect_view();
    let boxes_view = boxes
        .iter()
        .map(|b| {
            let bw = node_w(&b.label);
            view! {
                <g
                    class=if b.absent { "map-node absent" } else { "map-node" }
                    data-testid=if b.absent { "marked-absent" } else { "marked-node" }
                    transform=format!("translate({} {})", b.at.x, b.at.y)
                >
                    <rect x=-bw / 2 y=-NODE_H / 2 width=bw height=NODE_H rx="12" />
                    <text text-anchor="middle" dominant-baseline="central">{b.label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="map-marked">
            <svg class="map-canvas" role="img" aria-label=move || t_string!(i18n, map_marked_label).to_string() viewBox=format!("0 0 {w} {h}")>
                <defs>
                    <marker id="map-arrow-marked" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" />
                    </marker>
                </defs>
                {lines_view}
                {boxes_view}
            </svg>
            <figcaption class="map-legend">
                <span class="legend matched">{t!(i18n, map_legend_matched)}</span>
                <span class="legend extra">{t!(i18n, map_legend_extra)}</span>
                <span class="legend missing">{t!(i18n, map_legend_missing)}</span>
            </figcaption>
        </figure>
    }
}
