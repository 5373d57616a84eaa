//! The concept-map editor's model in the page: core's [`EditMap`] in one signal, and each
//! concept's place in a signal of its own, so dragging a concept moves only that concept and its
//! links (the list editor and the rest of the drawing are not touched until the drop).
//!
//! Both editors (`components/concept_list_editor.rs`, `components/concept_map_canvas.rs`)
//! change the map only through [`MapModel::apply`] and [`MapModel::undo`], which call core; the
//! canvas turns taps into [`MapModel::tap`] (choose a concept, then another to link them).

use std::collections::HashMap;

use leptos::prelude::*;
use lesenka_core::conceptmap::edit::{Edit, EditError, EditMap, Point};
use lesenka_core::ids::ConceptId;

/// A map being edited, as context-free signals (`Copy`, handed to both editors).
#[derive(Clone, Copy)]
pub struct MapModel {
    /// The map (core's editing model, with its undo history).
    pub map: RwSignal<EditMap>,
    /// Each concept's place as drawn (during a drag ahead of the map's).
    places: StoredValue<HashMap<ConceptId, ArcRwSignal<Point>>>,
    /// The last refused edit.
    pub error: RwSignal<Option<EditError>>,
    /// The concept tapped first (the start of a link).
    pub selected: RwSignal<Option<ConceptId>>,
    /// Two concepts tapped one after the other: the link waiting for its phrase.
    pub pending: RwSignal<Option<(ConceptId, ConceptId)>>,
}

impl MapModel {
    /// A model over `map`.
    pub fn new(map: EditMap) -> Self {
        let model = Self {
            map: RwSignal::new(EditMap::new()),
            places: StoredValue::new(HashMap::new()),
            error: RwSignal::new(None),
            selected: RwSignal::new(None),
            pending: RwSignal::new(None),
        };
        model.reset(map);
        model
    }

    /// Starts over with `map` (another student's turn, a map read back).
    pub fn reset(self, map: EditMap) {
        self.places.update_value(HashMap::clear);
        self.map.set(map);
        self.selected.set(None);
        self.pending.set(None);
        self.error.set(None);
        self.sync();
    }

    /// Applies one edit through core; a refusal is kept in [`MapModel::error`].
    pub fn apply(self, edit: Edit) -> bool {
        let outcome = self.map.try_update_untracked(|m| m.apply(edit));
        match outcome {
            Some(Ok(())) => {
                self.map.notify();
                self.error.set(None);
                self.sync();
                true
            }
            Some(Err(e)) => {
                self.error.set(Some(e));
                false
            }
            None => false,
        }
    }

    /// Undoes the last edit.
    pub fn undo(self) {
        if self.map.try_update(EditMap::undo) == Some(true) {
            self.pending.set(None);
            self.selected.update(|s| {
                if s.is_some_and(|id| self.map.with_untracked(|m| m.concept(id).is_none())) {
                    *s = None;
                }
            });
            self.error.set(None);
            self.sync();
        }
    }

    /// The place signal of a concept (made on first use).
    pub fn place(self, id: ConceptId) -> ArcRwSignal<Point> {
        if let Some(p) = self.places.with_value(|m| m.get(&id).cloned()) {
            return p;
        }
        let at = self.map.with_untracked(|m| m.concept(id).map(|c| c.at)).unwrap_or_default();
        let p = ArcRwSignal::new(at);
        self.places.update_value(|m| {
            m.insert(id, p.clone());
        });
        p
    }

    /// Moves a concept's drawing only (during a drag).
    pub fn drag_to(self, id: ConceptId, to: Point) {
        self.place(id).set(to);
    }

    /// Ends a drag: the concept's place as drawn becomes an edit of the map (one undo step).
    pub fn drop_at(self, id: ConceptId) {
        let to = self.place(id).get_untracked();
        self.apply(Edit::Move { id, to });
    }

    /// Puts a dragged concept back where the map has it (a cancelled drag).
    pub fn cancel_drag(self, id: ConceptId) {
        self.sync_one(id);
    }

    /// A tap on a concept: the first chooses it, a second on another concept asks for the
    /// link's phrase, a second on the same one lets go.
    pub fn tap(self, id: ConceptId) {
        match self.selected.get_untracked() {
            None => self.selected.set(Some(id)),
            Some(first) if first == id => self.selected.set(None),
            Some(first) => {
                self.pending.set(Some((first, id)));
                self.selected.set(None);
            }
        }
    }

    /// Makes the waiting link with `phrase`.
    pub fn link_pending(self, phrase: String) -> bool {
        let Some((from, to)) = self.pending.get_untracked() else { return false };
        let made = self.apply(Edit::Link { from, linking: phrase, to });
        if made {
            self.pending.set(None);
        }
        made
    }

    /// The map's label of a concept.
    pub fn label(self, id: ConceptId) -> String {
        self.map.with(|m| m.concept(id).map(|c| c.label.clone()).unwrap_or_default())
    }

    /// Brings every place signal to the map's places and forgets removed concepts.
    fn sync(self) {
        let places: Vec<(ConceptId, Point)> =
            self.map.with_untracked(|m| m.concepts().iter().map(|c| (c.id, c.at)).collect());
        self.places.update_value(|m| m.retain(|id, _| places.iter().any(|(c, _)| c == id)));
        for (id, at) in places {
            let p = self.place(id);
            if p.get_untracked() != at {
                p.set(at);
            }
        }
    }

    fn sync_one(self, id: ConceptId) {
        if let Some(at) = self.map.with_untracked(|m| m.concept(id).map(|c| c.at)) {
            self.place(id).set(at);
        }
    }
}
