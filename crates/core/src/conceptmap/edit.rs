//! Editing a concept map as it is drawn: concepts with positions, links with their phrases,
//! each change an [`Edit`] applied to an [`EditMap`] with an exact undo.
//!
//! The app's list editor and its SVG canvas both change one [`EditMap`] through
//! [`EditMap::apply`]; every accepted edit pushes the state before it, so [`EditMap::undo`]
//! restores exactly what was there. Texts are kept as typed: what a map may hold is decided
//! when it is saved, by [`super::stored::check`] on [`EditMap::draft`], whose problems
//! [`EditMap::place`] puts next to the concept or link they concern. Positions are the
//! drawing's only (a stored [`LessonMap`] has none), so a map read back is laid out by
//! [`grid_point`]. Ids come from the caller (core makes no randomness); links are numbered by
//! the map itself.

use serde::{Deserialize, Serialize};

use super::stored::{
    ConceptSynonyms, LessonMap, LessonMapDraft, LessonMapProblem, MapAuthor, variants_from_text,
};
use super::{ConceptDraft, ConceptKind, MapDraft, MapProblem, PropositionDraft};
use crate::ids::{ConceptId, ConceptMapId, CriterionId, LessonId};

/// A point of the drawing, in its own units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Point {
    /// Left to right.
    pub x: i32,
    /// Top to bottom.
    pub y: i32,
}

/// Horizontal distance between laid-out concepts.
pub const GRID_DX: i32 = 250;
/// Vertical distance between laid-out concepts.
pub const GRID_DY: i32 = 120;
/// Where the first laid-out concept sits.
pub const GRID_ORIGIN: Point = Point { x: 100, y: 60 };
/// Concepts per row of the layout.
pub const GRID_COLUMNS: usize = 4;

/// The `i`-th place of the layout: rows of [`GRID_COLUMNS`], each row shifted by half a step
/// from the one above, so links between rows do not run through concepts.
pub fn grid_point(i: usize) -> Point {
    let row = (i / GRID_COLUMNS) as i32;
    let col = (i % GRID_COLUMNS) as i32;
    let shift = if row % 2 == 1 { GRID_DX / 2 } else { 0 };
    Point { x: GRID_ORIGIN.x + col * GRID_DX + shift, y: GRID_ORIGIN.y + row * GRID_DY }
}

/// A link's number inside its map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LinkId(pub u32);

/// A concept as drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditConcept {
    /// Its id.
    pub id: ConceptId,
    /// The label as typed.
    pub label: String,
    /// Other wordings, as typed (comma-separated; the teacher's map only).
    pub variants: String,
    /// Where it is drawn.
    pub at: Point,
}

/// A link as drawn: `from` —`linking`→ `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditLink {
    /// Its number.
    pub id: LinkId,
    /// The source concept.
    pub from: ConceptId,
    /// The linking phrase as typed.
    pub linking: String,
    /// The target concept.
    pub to: ConceptId,
}

/// One change of a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    /// A new concept.
    AddConcept {
        /// Its id (made by the caller).
        id: ConceptId,
        /// Its label.
        label: String,
        /// Where it is drawn.
        at: Point,
    },
    /// A concept's new label.
    Rename {
        /// The concept.
        id: ConceptId,
        /// The label.
        label: String,
    },
    /// A concept's other wordings.
    SetVariants {
        /// The concept.
        id: ConceptId,
        /// The variants, comma-separated.
        text: String,
    },
    /// A concept moved.
    Move {
        /// The concept.
        id: ConceptId,
        /// Its new place.
        to: Point,
    },
    /// A concept removed, with every link to or from it.
    RemoveConcept {
        /// The concept.
        id: ConceptId,
    },
    /// A new link.
    Link {
        /// The source.
        from: ConceptId,
        /// The linking phrase.
        linking: String,
        /// The target.
        to: ConceptId,
    },
    /// A link's new phrase.
    SetPhrase {
        /// The link.
        link: LinkId,
        /// The phrase.
        linking: String,
    },
    /// A link's new ends.
    SetEnds {
        /// The link.
        link: LinkId,
        /// The source.
        from: ConceptId,
        /// The target.
        to: ConceptId,
    },
    /// A link removed.
    Unlink {
        /// The link.
        link: LinkId,
    },
}

/// Why an edit was refused (the map is unchanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The concept is not in the map.
    #[error("the concept is not in the map")]
    UnknownConcept,
    /// The link is not in the map.
    #[error("the link is not in the map")]
    UnknownLink,
    /// A concept with this id is already in the map.
    #[error("a concept with this id is already in the map")]
    DuplicateConcept,
    /// A link from a concept to itself.
    #[error("a link must join two different concepts")]
    SelfLink,
}

/// What a problem of a saved draft concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A concept (its label or its variants).
    Concept(ConceptId),
    /// A link.
    Link(LinkId),
    /// The map as a whole.
    Map,
}

/// The drawable state, without its history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawing {
    /// The concepts, in the author's order.
    pub concepts: Vec<EditConcept>,
    /// The links, in the author's order.
    pub links: Vec<EditLink>,
    /// The number the next link gets.
    pub next_link: u32,
}

/// A map being edited, with the states before each accepted edit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditMap {
    now: Drawing,
    history: Vec<Drawing>,
}

impl EditMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// A stored map to edit, each concept where it was drawn (one with no stored place laid
    /// out by [`grid_point`]), with no history.
    pub fn from_lesson_map(map: &LessonMap) -> Self {
        let concepts = map
            .map()
            .concepts()
            .iter()
            .enumerate()
            .map(|(i, c)| EditConcept {
                id: c.id,
                label: c.label.to_string(),
                variants: map.variants(c.id).join(", "),
                at: map.place(c.id).unwrap_or_else(|| grid_point(i)),
            })
            .collect();
        let links: Vec<EditLink> = map
            .map()
            .propositions()
            .iter()
            .enumerate()
            .map(|(i, p)| EditLink {
                id: LinkId(i as u32),
                from: p.from,
                linking: p.linking.to_string(),
                to: p.to,
            })
            .collect();
        let next_link = links.len() as u32;
        Self { now: Drawing { concepts, links, next_link }, history: Vec::new() }
    }

    /// The state as drawn now.
    pub fn drawing(&self) -> &Drawing {
        &self.now
    }

    /// The concepts.
    pub fn concepts(&self) -> &[EditConcept] {
        &self.now.concepts
    }

    /// The links.
    pub fn links(&self) -> &[EditLink] {
        &self.now.links
    }

    /// One concept.
    pub fn concept(&self, id: ConceptId) -> Option<&EditConcept> {
        self.now.concepts.iter().find(|c| c.id == id)
    }

    /// One link.
    pub fn link(&self, id: LinkId) -> Option<&EditLink> {
        self.now.links.iter().find(|l| l.id == id)
    }

    /// Whether there is anything to undo.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// The first free place of the layout (none of the concepts sits there).
    pub fn free_point(&self) -> Point {
        (0..)
            .map(grid_point)
            .find(|p| !self.now.concepts.iter().any(|c| c.at == *p))
            .unwrap_or(GRID_ORIGIN)
    }

    /// Applies one edit; on success the state before it can be restored with [`EditMap::undo`].
    /// An edit that changes nothing (the same label, the same place) is accepted and not kept.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let mut next = self.now.clone();
        change(&mut next, edit)?;
        if next != self.now {
            self.history.push(std::mem::replace(&mut self.now, next));
        }
        Ok(())
    }

    /// Restores the state before the last accepted edit; false when there was none.
    pub fn undo(&mut self) -> bool {
        match self.history.pop() {
            Some(before) => {
                self.now = before;
                true
            }
            None => false,
        }
    }

    /// The map as a lesson's draft by `author` for the lesson's `criterion` (none: the whole
    /// lesson): concepts and propositions in the author's order, each concept's place, the
    /// variants as synonyms when the teacher drew it (a student's map carries none).
    pub fn draft(
        &self,
        id: ConceptMapId,
        lesson: LessonId,
        criterion: Option<CriterionId>,
        author: MapAuthor,
    ) -> LessonMapDraft {
        let concepts = self
            .now
            .concepts
            .iter()
            .map(|c| ConceptDraft { id: c.id, label: c.label.clone(), kind: ConceptKind::Concept })
            .collect();
        let propositions = self
            .now
            .links
            .iter()
            .map(|l| PropositionDraft { from: l.from, linking: l.linking.clone(), to: l.to })
            .collect();
        let synonyms = match author {
            MapAuthor::Teacher => self
                .now
                .concepts
                .iter()
                .map(|c| ConceptSynonyms {
                    concept: c.id,
                    variants: variants_from_text(&c.variants),
                })
                .filter(|s| !s.variants.is_empty())
                .collect(),
            MapAuthor::Student(_) => Vec::new(),
        };
        LessonMapDraft {
            id,
            lesson,
            criterion,
            author,
            map: MapDraft { concepts, propositions, root: None },
            synonyms,
            layout: self.now.concepts.iter().map(|c| (c.id, c.at)).collect(),
        }
    }

    /// What a problem of [`super::stored::check`] on [`EditMap::draft`] concerns: a concept, a
    /// link (by the draft's order, which is the links' order here), or the map.
    pub fn place(&self, problem: &LessonMapProblem) -> Place {
        let link =
            |index: usize| self.now.links.get(index).map_or(Place::Map, |l| Place::Link(l.id));
        match problem {
            LessonMapProblem::Map(p) => match p {
                MapProblem::DuplicateConceptId { id } => Place::Concept(*id),
                MapProblem::BadLabel { concept, .. }
                | MapProblem::LabelWithoutWords { concept, .. } => Place::Concept(*concept),
                MapProblem::DuplicateLabel { second, .. } => Place::Concept(*second),
                MapProblem::BadLinkingPhrase { index, .. }
                | MapProblem::LinkingWithoutWords { index, .. }
                | MapProblem::DanglingLink { index, .. }
                | MapProblem::SelfLink { index, .. } => link(*index),
                MapProblem::DuplicateProposition { second, .. } => link(*second),
                MapProblem::UnknownRoot { .. } => Place::Map,
            },
            LessonMapProblem::SynonymOfUnknownConcept { concept }
            | LessonMapProblem::PlaceOfUnknownConcept { concept } => Place::Concept(*concept),
            LessonMapProblem::Synonym(_)
            | LessonMapProblem::SynonymsOnStudentMap
            | LessonMapProblem::CriterionNotOfLesson { .. } => Place::Map,
        }
    }
}

/// Applies `edit` to `d`, or says why it cannot be (then `d` may be half changed: the caller
/// works on a copy).
fn change(d: &mut Drawing, edit: Edit) -> Result<(), EditError> {
    let has = |d: &Drawing, id: ConceptId| d.concepts.iter().any(|c| c.id == id);
    match edit {
        Edit::AddConcept { id, label, at } => {
            if has(d, id) {
                return Err(EditError::DuplicateConcept);
            }
            d.concepts.push(EditConcept { id, label, variants: String::new(), at });
        }
        Edit::Rename { id, label } => concept_mut(d, id)?.label = label,
        Edit::SetVariants { id, text } => concept_mut(d, id)?.variants = text,
        Edit::Move { id, to } => concept_mut(d, id)?.at = to,
        Edit::RemoveConcept { id } => {
            if !has(d, id) {
                return Err(EditError::UnknownConcept);
            }
            d.concepts.retain(|c| c.id != id);
            d.links.retain(|l| l.from != id && l.to != id);
        }
        Edit::Link { from, linking, to } => {
            ends(d, from, to)?;
            let id = LinkId(d.next_link);
            d.next_link += 1;
            d.links.push(EditLink { id, from, linking, to });
        }
        Edit::SetPhrase { link, linking } => link_mut(d, link)?.linking = linking,
        Edit::SetEnds { link, from, to } => {
            ends(d, from, to)?;
            let l = link_mut(d, link)?;
            l.from = from;
            l.to = to;
        }
        Edit::Unlink { link } => {
            link_mut(d, link)?;
            d.links.retain(|l| l.id != link);
        }
    }
    Ok(())
}

fn ends(d: &Drawing, from: ConceptId, to: ConceptId) -> Result<(), EditError> {
    if from == to {
        return Err(EditError::SelfLink);
    }
    for end in [from, to] {
        if !d.concepts.iter().any(|c| c.id == end) {
            return Err(EditError::UnknownConcept);
        }
    }
    Ok(())
}

fn concept_mut(d: &mut Drawing, id: ConceptId) -> Result<&mut EditConcept, EditError> {
    d.concepts.iter_mut().find(|c| c.id == id).ok_or(EditError::UnknownConcept)
}

fn link_mut(d: &mut Drawing, id: LinkId) -> Result<&mut EditLink, EditError> {
    d.links.iter_mut().find(|l| l.id == id).ok_or(EditError::UnknownLink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conceptmap::stored::{LessonMap, check, fixtures::teacher};
    use crate::ids::StudentId;
    use proptest::prelude::*;

    fn cid(n: u128) -> ConceptId {
        ConceptId::from_u128(n)
    }

    fn add(m: &mut EditMap, n: u128, label: &str) {
        let at = m.free_point();
        m.apply(Edit::AddConcept { id: cid(n), label: label.into(), at }).unwrap();
    }

    #[test]
    fn a_map_drawn_by_edits_saves_as_a_lesson_map() {
        let mut m = EditMap::new();
        add(&mut m, 1, "Растения");
        add(&mut m, 2, "Кислород");
        assert_ne!(m.concept(cid(1)).unwrap().at, m.concept(cid(2)).unwrap().at);
        m.apply(Edit::Link { from: cid(1), linking: "выделяют".into(), to: cid(2) }).unwrap();
        m.apply(Edit::SetVariants {
            id: cid(1), text: "растение, растенья".into()
        })
        .unwrap();
        m.apply(Edit::Move { id: cid(2), to: Point { x: 5, y: 7 } }).unwrap();
        let d =
            m.draft(ConceptMapId::from_u128(9), LessonId::from_u128(100), None, MapAuthor::Teacher);
        assert!(check(&d).is_empty(), "{:?}", check(&d));
        assert_eq!(d.synonyms[0].variants, ["растение", "растенья"]);
        let saved = LessonMap::new(d).unwrap();
        let back = EditMap::from_lesson_map(&saved);
        assert_eq!(back.concepts()[0].variants, "растение, растенья");
        assert_eq!(back.links()[0].linking, "выделяют");
        // Every concept reopens where it was left, the moved one included.
        let places = |m: &EditMap| m.concepts().iter().map(|c| c.at).collect::<Vec<_>>();
        assert_eq!(places(&back), places(&m));
        assert_eq!(back.concept(cid(2)).unwrap().at, Point { x: 5, y: 7 });
        let stored: LessonMap =
            serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
        assert_eq!(places(&EditMap::from_lesson_map(&stored)), places(&m));
        // A map stored before places were kept is laid out on the grid.
        let mut bare = saved.draft();
        bare.layout.clear();
        let json = serde_json::to_string(&bare).unwrap();
        assert!(!json.contains("layout"), "{json}");
        let old = EditMap::from_lesson_map(&serde_json::from_str(&json).unwrap());
        assert_eq!(places(&old), [grid_point(0), grid_point(1)]);
        // A place of a concept the map does not have is refused, on that concept.
        let mut stray = saved.draft();
        stray.layout.insert(cid(7), Point { x: 1, y: 1 });
        let problems = check(&stray);
        assert_eq!(problems, [LessonMapProblem::PlaceOfUnknownConcept { concept: cid(7) }]);
        assert_eq!(m.place(&problems[0]), Place::Concept(cid(7)));
        assert!(LessonMap::new(stray).is_err());
        // A student's draft carries no synonyms.
        let s = m.draft(
            ConceptMapId::from_u128(9),
            LessonId::from_u128(100),
            Some(crate::ids::CriterionId::from_u128(4)),
            MapAuthor::Student(StudentId::from_u128(1)),
        );
        assert!(s.synonyms.is_empty());
        assert_eq!(s.criterion, Some(crate::ids::CriterionId::from_u128(4)));
        assert_eq!(
            LessonMap::new(s).unwrap().criterion(),
            Some(crate::ids::CriterionId::from_u128(4))
        );
    }

    #[test]
    fn refused_edits_change_nothing_and_problems_find_their_place() {
        let mut m = EditMap::from_lesson_map(&teacher(1));
        let before = m.clone();
        assert_eq!(
            m.apply(Edit::Link { from: cid(1), linking: "x".into(), to: cid(1) }),
            Err(EditError::SelfLink)
        );
        assert_eq!(
            m.apply(Edit::Rename { id: cid(77), label: "x".into() }),
            Err(EditError::UnknownConcept)
        );
        assert_eq!(m.apply(Edit::Unlink { link: LinkId(50) }), Err(EditError::UnknownLink));
        assert_eq!(
            m.apply(Edit::AddConcept { id: cid(1), label: "x".into(), at: Point::default() }),
            Err(EditError::DuplicateConcept)
        );
        assert_eq!(m, before);
        // Same label again: accepted, nothing to undo.
        m.apply(Edit::Rename { id: cid(2), label: "Кислород".into() }).unwrap();
        assert!(!m.can_undo());
        // An empty phrase and a label equal to another's are placed on their link and concept.
        m.apply(Edit::SetPhrase { link: LinkId(1), linking: " ".into() }).unwrap();
        m.apply(Edit::Rename { id: cid(3), label: "кислород".into() }).unwrap();
        let d =
            m.draft(ConceptMapId::from_u128(1), LessonId::from_u128(100), None, MapAuthor::Teacher);
        let places: Vec<Place> = check(&d).iter().map(|p| m.place(p)).collect();
        assert!(places.contains(&Place::Concept(cid(3))), "{places:?}");
        assert!(places.contains(&Place::Link(LinkId(1))), "{places:?}");
        // Removing a concept takes its links; undo brings both back.
        let before = m.clone();
        m.apply(Edit::RemoveConcept { id: cid(1) }).unwrap();
        assert!(m.links().is_empty());
        assert!(m.undo());
        assert_eq!(m.drawing(), before.drawing());
    }

    fn any_edit() -> impl Strategy<Value = Edit> {
        let id = (0..5u128).prop_map(cid);
        let text = "[а-я ]{0,4}";
        let at = (0..300i32, 0..300i32).prop_map(|(x, y)| Point { x, y });
        prop_oneof![
            (id.clone(), text, at.clone()).prop_map(|(id, label, at)| Edit::AddConcept {
                id,
                label,
                at
            }),
            (id.clone(), text).prop_map(|(id, label)| Edit::Rename { id, label }),
            (id.clone(), text).prop_map(|(id, text)| Edit::SetVariants { id, text }),
            (id.clone(), at).prop_map(|(id, to)| Edit::Move { id, to }),
            id.clone().prop_map(|id| Edit::RemoveConcept { id }),
            (id.clone(), text, id.clone()).prop_map(|(from, linking, to)| Edit::Link {
                from,
                linking,
                to
            }),
            (0..6u32, text).prop_map(|(l, linking)| Edit::SetPhrase { link: LinkId(l), linking }),
            (0..6u32, id.clone(), id).prop_map(|(l, from, to)| Edit::SetEnds {
                link: LinkId(l),
                from,
                to
            }),
            (0..6u32).prop_map(|l| Edit::Unlink { link: LinkId(l) }),
        ]
    }

    proptest! {
        /// After any sequence of edits, undoing walks back through every state the map was in,
        /// exactly, to the empty map; a refused edit changes nothing.
        #[test]
        fn undo_restores_every_previous_state(edits in prop::collection::vec(any_edit(), 0..40)) {
            let mut m = EditMap::new();
            let mut states = vec![m.drawing().clone()];
            for e in edits {
                let before = m.clone();
                match m.apply(e) {
                    Ok(()) => {
                        if m.drawing() != states.last().unwrap() {
                            states.push(m.drawing().clone());
                        }
                    }
                    Err(_) => prop_assert_eq!(&m, &before),
                }
                // One undo right after is the state before the edit.
                let mut once = m.clone();
                if once.undo() {
                    prop_assert_eq!(once.drawing(), &states[states.len() - 2]);
                }
            }
            while let Some(expected) = states.pop() {
                prop_assert_eq!(m.drawing(), &expected);
                let undone = m.undo();
                prop_assert_eq!(undone, !states.is_empty());
            }
        }
    }
}
