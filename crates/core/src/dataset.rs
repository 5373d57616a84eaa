//! The one registry of a teacher's collections, and the sans-IO replica every shell saves through.
//!
//! A teacher's data is a [`Backup`]: classes, lessons, the evidence journal, rubrics,
//! assessments, gradebooks, the marking policy, the community plans, the lessons' concept maps and the questionnaire runs. Each keyed collection is
//! an [`Item`] type that says, once, everything a shell needs to store, merge and import it: its
//! [`Collection`], its key, its storage name and envelope [`Kind`], where it lives in a
//! [`Backup`], how an item changed on two sides at once is resolved, and how an imported item is
//! absorbed into an existing one. Adding a kind is an `Item` impl here plus one line per shell.
//!
//! [`Replica`] is what one copy of the data (a browser tab, later a device talking to the server)
//! last knew to be stored, per collection. [`Replica::merge`] gives what to write when this copy
//! saves while the store holds something else, [`Replica::absorb`] what this copy holds after
//! another writer changed the store; both return the items both sides changed as
//! [`ItemConflict`] values instead of dropping them. Nothing here does I/O: the shells read and
//! write, and tell the replica what they wrote.
//!
//! [`open_items`] reads a stored list item by item, so damage in one item sets aside that item
//! alone and hides nothing else.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::conceptmap::stored::LessonMap;
use crate::diagnostics::DiagnosticRun;
use crate::diagnostics::run::{merge_sheets, union_sheets};
use crate::lesson::Lesson;
use crate::marks::gradebook::GradebookDraft;
use crate::marks::{Gradebook, MarkingPolicy};
use crate::persist::backup::Backup;
use crate::persist::merge::{merge3_one, merge3_resolving};
use crate::persist::{self, Kind, LoadError};
use crate::plan::Plan;
use crate::roster::Class;
use crate::rubric::{Assessment, Rubric};
use crate::text::Lang;

/// The collections of a teacher's data, as counted and reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// Classes with their rosters.
    Classes,
    /// Lessons with their criteria.
    Lessons,
    /// Evidence records.
    Evidence,
    /// Rubrics with their versions.
    Rubrics,
    /// Assessments made with rubrics.
    Assessments,
    /// Gradebook marks (gradebooks are stored one per class and counted by their marks).
    Marks,
    /// The school's marking policy.
    Policy,
    /// Community (ПОС) plans.
    Plans,
    /// Concept maps of lessons: the teacher's criterion maps and the students' maps.
    Maps,
    /// Questionnaire runs (Лусканова, satisfaction surveys) with their answers.
    Diagnostics,
}

impl Collection {
    /// Every collection, in the order reports list them.
    pub const ALL: [Collection; 10] = [
        Self::Classes,
        Self::Lessons,
        Self::Evidence,
        Self::Rubrics,
        Self::Assessments,
        Self::Marks,
        Self::Policy,
        Self::Plans,
        Self::Maps,
        Self::Diagnostics,
    ];

    /// What one item of it is called in `lang` («класс», "class"): the one table of these words
    /// the app and the CLI show.
    pub const fn name(self, lang: Lang) -> &'static str {
        self.words(lang).0
    }

    /// The word a count of it takes in a list of counts («классов: 3», "classes: 3").
    pub const fn counted(self, lang: Lang) -> &'static str {
        self.words(lang).1
    }

    const fn words(self, lang: Lang) -> (&'static str, &'static str) {
        let (ru, en) = match self {
            Self::Classes => (("класс", "классов"), ("class", "classes")),
            Self::Lessons => (("урок", "уроков"), ("lesson", "lessons")),
            Self::Evidence => (("запись", "записей"), ("evidence record", "evidence records")),
            Self::Rubrics => (("рубрика", "рубрик"), ("rubric", "rubrics")),
            Self::Assessments => (
                ("оценивание по рубрике", "оцениваний по рубрикам"),
                ("rubric assessment", "rubric assessments"),
            ),
            Self::Marks => (("отметка", "отметок"), ("mark", "marks")),
            Self::Policy => (
                ("правила выставления отметок", "правил отметок"),
                ("marking policy", "marking policies"),
            ),
            Self::Plans => (("план ПОС", "планов ПОС"), ("community plan", "community plans")),
            Self::Maps => (("карта понятий", "карт понятий"), ("concept map", "concept maps")),
            Self::Diagnostics => {
                (("анкетирование", "анкетирований"), ("questionnaire run", "questionnaire runs"))
            }
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// Its position in [`Collection::ALL`].
    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::En))
    }
}

/// A number per collection (items added, skipped, held). Serialised as an object with one field
/// per collection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts([usize; Collection::ALL.len()]);

impl Counts {
    /// The count of one collection.
    pub fn get(&self, collection: Collection) -> usize {
        self.0[collection.index()]
    }

    /// The count of one collection, to change.
    pub fn get_mut(&mut self, collection: Collection) -> &mut usize {
        &mut self.0[collection.index()]
    }

    /// The sum over all collections.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }

    /// The items of each collection of `data`.
    pub fn of(data: &Backup) -> Counts {
        fn add<T: Item>(data: &Backup, counts: &mut Counts) {
            *counts.get_mut(T::COLLECTION) += T::list(data).iter().map(Item::parts).sum::<usize>();
        }
        let mut counts = Counts::default();
        crate::for_each_item!(add(data, &mut counts));
        *counts.get_mut(Collection::Evidence) = data.evidence.len();
        *counts.get_mut(Collection::Policy) = usize::from(data.policy.is_some());
        counts
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Collection::ALL.len()))?;
        for collection in Collection::ALL {
            map.serialize_entry(&collection, &self.get(collection))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<Collection, usize>::deserialize(deserializer)?;
        let mut counts = Counts::default();
        for (collection, n) in map {
            *counts.get_mut(collection) = n;
        }
        Ok(counts)
    }
}

/// What importing one item that shares its key with an existing one did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Absorbed {
    /// Parts added (a gradebook's new marks; 0 for whole items).
    pub added: usize,
    /// Parts already there with the same content.
    pub duplicates: usize,
    /// Keys of the parts (or of the item itself) that differ: the existing version was kept.
    pub conflicts: Vec<String>,
}

/// A keyed collection of a teacher's data: everything a shell needs to store, merge and import
/// it, said once.
pub trait Item: Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// What identifies an item within its collection.
    type Key: PartialEq + fmt::Display;
    /// The collection it is counted and reported in.
    const COLLECTION: Collection;
    /// Its name in a store's namespace (the localStorage key, the server's table).
    const NAME: &'static str;
    /// The kind its envelope carries.
    const KIND: Kind;

    /// The item's key.
    fn key(&self) -> Self::Key;
    /// A short human label (a class name, a lesson's topic and date) for reports.
    fn label(&self) -> String;
    /// The collection inside a [`Backup`].
    fn list(data: &Backup) -> &Vec<Self>;
    /// The collection inside a [`Backup`], to change.
    fn list_mut(data: &mut Backup) -> &mut Vec<Self>;

    /// How many parts it counts as in reports (a gradebook: its marks; anything else: 1).
    fn parts(&self) -> usize {
        1
    }

    /// An item both sides changed since `base`, differently: the item to keep, and whether the
    /// other side's change was lost (a conflict to report). By default this side's wins.
    fn resolve(_base: Option<&Self>, mine: &Self, _theirs: &Self) -> (Self, bool) {
        (mine.clone(), true)
    }

    /// Imports `incoming` into `existing` of the same key when they differ. By default the
    /// existing item is kept whole and the difference is a conflict.
    fn absorb(_existing: &mut Self, _incoming: &Self) -> Absorbed {
        Absorbed { added: 0, duplicates: 0, conflicts: vec![String::new()] }
    }
}

impl Item for Class {
    type Key = crate::ids::ClassId;
    const COLLECTION: Collection = Collection::Classes;
    const NAME: &'static str = "classes";
    const KIND: Kind = Kind::Classes;
    fn key(&self) -> Self::Key {
        self.id
    }
    fn label(&self) -> String {
        format!("«{}»", self.name)
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.classes
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.classes
    }
}

impl Item for Lesson {
    type Key = crate::ids::LessonId;
    const COLLECTION: Collection = Collection::Lessons;
    const NAME: &'static str = "lessons";
    const KIND: Kind = Kind::Lessons;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        // Written out rather than with chrono's `format`, whose strftime parser would otherwise
        // travel in the app's first load (the app merges lessons there).
        use chrono::Datelike;
        let date = self.date();
        format!("«{}» of {:02}.{:02}.{}", self.topic(), date.day(), date.month(), date.year())
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.lessons
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.lessons
    }
}

impl Item for Rubric {
    type Key = crate::ids::RubricId;
    const COLLECTION: Collection = Collection::Rubrics;
    const NAME: &'static str = "rubrics";
    const KIND: Kind = Kind::Rubrics;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        format!("«{}»", self.title())
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.rubrics
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.rubrics
    }
}

impl Item for Assessment {
    type Key = crate::ids::AssessmentId;
    const COLLECTION: Collection = Collection::Assessments;
    const NAME: &'static str = "assessments";
    const KIND: Kind = Kind::Rubrics;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        self.id().to_string()
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.assessments
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.assessments
    }
}

/// One per class: a gradebook changed on two sides keeps the marks each added or removed
/// ([`Gradebook::merged`]); an imported one adds its new marks by mark id.
impl Item for Gradebook {
    type Key = crate::ids::ClassId;
    const COLLECTION: Collection = Collection::Marks;
    const NAME: &'static str = "gradebooks";
    const KIND: Kind = Kind::Gradebook;
    fn key(&self) -> Self::Key {
        self.class()
    }
    fn label(&self) -> String {
        self.class().to_string()
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.gradebooks
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.gradebooks
    }
    fn parts(&self) -> usize {
        self.marks().len()
    }
    fn resolve(base: Option<&Self>, mine: &Self, theirs: &Self) -> (Self, bool) {
        (Gradebook::merged(base, mine, theirs), false)
    }
    fn absorb(existing: &mut Self, incoming: &Self) -> Absorbed {
        let mut out = Absorbed::default();
        let mut draft: GradebookDraft = existing.clone().into();
        for mark in incoming.marks() {
            match draft.marks.iter().find(|m| m.id == mark.id) {
                None => {
                    draft.marks.push(mark.clone());
                    out.added += 1;
                }
                Some(m) if m == mark => out.duplicates += 1,
                Some(_) => out.conflicts.push(mark.id.to_string()),
            }
        }
        // Mark ids stay unique (a mark is pushed only when its id is new), so this cannot fail;
        // were it to, the existing gradebook is kept whole and the marks reported.
        match Gradebook::try_from(draft) {
            Ok(book) => *existing = book,
            Err(_) => {
                out.conflicts.extend(incoming.marks().iter().map(|m| m.id.to_string()));
                out.added = 0;
            }
        }
        out
    }
}

impl Item for Plan {
    type Key = crate::ids::PlanId;
    const COLLECTION: Collection = Collection::Plans;
    const NAME: &'static str = "plans";
    const KIND: Kind = Kind::Plan;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        format!("«{}»", self.draft().title)
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.plans
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.plans
    }

    /// The protocols and practices both sides added or edited are merged by id (each side's
    /// new entries kept); the rest of the plan is this side's, and a conflict only when the
    /// rest differs on both sides or one entry was edited differently on both.
    fn resolve(base: Option<&Self>, mine: &Self, theirs: &Self) -> (Self, bool) {
        let (m, t) = (mine.draft(), theirs.draft());
        let empty = crate::plan::PlanDraft { protocols: vec![], practices: vec![], ..m.clone() };
        let b = base.map_or(&empty, |b| b.draft());
        let mut lost = false;
        let mut draft = m.clone();
        draft.protocols = merge3_resolving(
            &b.protocols,
            &m.protocols,
            &t.protocols,
            |p| p.id,
            |_, mine, _| {
                lost = true;
                mine.clone()
            },
        );
        draft.practices = merge3_resolving(
            &b.practices,
            &m.practices,
            &t.practices,
            |p| p.id(),
            |_, mine, _| {
                lost = true;
                mine.clone()
            },
        );
        let rest = |d: &crate::plan::PlanDraft| crate::plan::PlanDraft {
            protocols: vec![],
            practices: vec![],
            ..d.clone()
        };
        let (rb, rm, rt) = (rest(b), rest(m), rest(t));
        if base.is_none() || (rm != rb && rt != rb && rm != rt) {
            lost = lost || rm != rt;
        }
        match Plan::new(draft) {
            Ok(plan) => (plan, lost),
            // Their entries name members this side's plan lacks: this side's plan, reported.
            Err(_) => (mine.clone(), true),
        }
    }

    /// An imported plan's protocols and practices this plan lacks are added (a member's
    /// bundle brings their practices); anything else that differs is a conflict and this
    /// plan is kept.
    fn absorb(existing: &mut Self, incoming: &Self) -> Absorbed {
        let mut out = Absorbed::default();
        let mut draft = existing.draft().clone();
        for p in &incoming.draft().protocols {
            match draft.protocols.iter().find(|x| x.id == p.id) {
                Some(x) if x == p => out.duplicates += 1,
                Some(_) => out.conflicts.push(p.id.to_string()),
                None => {
                    draft.protocols.push(p.clone());
                    out.added += 1;
                }
            }
        }
        for p in &incoming.draft().practices {
            match draft.practices.iter().find(|x| x.id() == p.id()) {
                Some(x) if x == p => out.duplicates += 1,
                Some(_) => out.conflicts.push(p.id().to_string()),
                None => {
                    draft.practices.push(p.clone());
                    out.added += 1;
                }
            }
        }
        let rest = |d: &crate::plan::PlanDraft| crate::plan::PlanDraft {
            protocols: vec![],
            practices: vec![],
            ..d.clone()
        };
        if rest(&draft) != rest(incoming.draft()) {
            out.conflicts.push(String::new());
        }
        match Plan::new(draft) {
            Ok(plan) => *existing = plan,
            Err(_) => {
                out.conflicts.push(incoming.id().to_string());
                out.added = 0;
            }
        }
        out
    }
}

/// A lesson's concept map, the teacher's or a student's, keyed by its id.
impl Item for LessonMap {
    type Key = crate::ids::ConceptMapId;
    const COLLECTION: Collection = Collection::Maps;
    const NAME: &'static str = "concept_maps";
    const KIND: Kind = Kind::ConceptMaps;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        self.id().to_string()
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.maps
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.maps
    }
}

/// A questionnaire run, keyed by its id. Two copies that both changed it keep, per sheet (a
/// student's, or an anonymous sheet's, own), the side's that added, corrected or deleted it
/// ([`merge_sheets`]); an imported run adds the sheets it has that are not here yet.
impl Item for DiagnosticRun {
    type Key = crate::ids::DiagnosticRunId;
    const COLLECTION: Collection = Collection::Diagnostics;
    const NAME: &'static str = "diagnostics";
    const KIND: Kind = Kind::Diagnostics;
    fn key(&self) -> Self::Key {
        self.id()
    }
    fn label(&self) -> String {
        use chrono::Datelike;
        let date = self.date();
        format!("{:02}.{:02}.{}", date.day(), date.month(), date.year())
    }
    fn list(data: &Backup) -> &Vec<Self> {
        &data.diagnostics
    }
    fn list_mut(data: &mut Backup) -> &mut Vec<Self> {
        &mut data.diagnostics
    }
    fn resolve(base: Option<&Self>, mine: &Self, theirs: &Self) -> (Self, bool) {
        let u = merge_sheets(base, mine, theirs);
        let lost = u.header_differs || !u.conflicts.is_empty();
        (u.merged.unwrap_or_else(|| mine.clone()), lost)
    }
    fn absorb(existing: &mut Self, incoming: &Self) -> Absorbed {
        let u = union_sheets(existing, incoming);
        let mut conflicts = u.conflicts;
        if u.header_differs {
            conflicts.push(String::new());
        }
        if let Some(run) = u.merged {
            *existing = run;
        }
        // A run counts as one item: one that gained sheets counts as added, once.
        Absorbed { added: usize::from(u.added > 0), duplicates: 0, conflicts }
    }
}

/// Calls `$f::<T>` for every [`Item`] type, in [`Collection::ALL`] order: the one place that
/// lists them (backup import, a shell's loaders and savers use it).
#[macro_export]
macro_rules! for_each_item {
    ($f:ident ( $($arg:expr),* )) => {{
        $f::<$crate::roster::Class>($($arg),*);
        $f::<$crate::lesson::Lesson>($($arg),*);
        $f::<$crate::rubric::Rubric>($($arg),*);
        $f::<$crate::rubric::Assessment>($($arg),*);
        $f::<$crate::marks::Gradebook>($($arg),*);
        $f::<$crate::plan::Plan>($($arg),*);
        $f::<$crate::conceptmap::stored::LessonMap>($($arg),*);
        $f::<$crate::diagnostics::DiagnosticRun>($($arg),*);
    }};
}

/// An item both sides changed: this copy's version was kept (or both were merged) and the other
/// side's change is named here so the person can check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemConflict {
    /// The collection.
    pub collection: Collection,
    /// The item's key, as text.
    pub key: String,
    /// A short label of the item.
    pub label: String,
}

/// The result of a merge: the items to hold (and, for a save, to write) and the conflicts met.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// The merged collection.
    pub items: Vec<T>,
    /// Items both sides changed, where the other side's change did not survive.
    pub conflicts: Vec<ItemConflict>,
}

/// Three-way merge of one collection through its [`Item::resolve`], collecting conflicts.
pub fn merge_items<T: Item>(base: &[T], mine: &[T], theirs: &[T]) -> Merged<T> {
    let mut conflicts = Vec::new();
    let items = merge3_resolving(base, mine, theirs, T::key, |base, mine, theirs| {
        let (kept, lost) = T::resolve(base, mine, theirs);
        if lost {
            conflicts.push(ItemConflict {
                collection: T::COLLECTION,
                key: mine.key().to_string(),
                label: mine.label(),
            });
        }
        kept
    });
    Merged { items, conflicts }
}

/// What one copy of the data last knew to be stored in one place (localStorage now, the server
/// next): the `base` of every three-way merge, which tells this copy's own edits (kept) from its
/// stale copies of items another writer changed (refreshed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replica {
    known: Backup,
}

impl Replica {
    /// A replica that knows `stored` to be what the store holds.
    pub fn new(stored: Backup) -> Self {
        Self { known: stored }
    }

    /// What this copy last knew to be stored of one collection.
    pub fn known<T: Item>(&self) -> &[T] {
        T::list(&self.known)
    }

    /// What to write when this copy saves `mine` while the store holds `stored`: this copy's
    /// changes since it last knew the store, over everything else as stored. Call
    /// [`Replica::stored`] with the items once they are written.
    pub fn merge<T: Item>(&self, mine: &[T], stored: &[T]) -> Merged<T> {
        merge_items(self.known::<T>(), mine, stored)
    }

    /// The store now holds `written` for this collection (a save or a read succeeded).
    pub fn stored<T: Item>(&mut self, written: Vec<T>) {
        *T::list_mut(&mut self.known) = written;
    }

    /// Another writer changed the store, which now holds `stored`: returns what this copy holds
    /// from now on (its unsaved changes over the stored items), and remembers `stored`.
    pub fn absorb<T: Item>(&mut self, mine: &[T], stored: Vec<T>) -> Merged<T> {
        let merged = merge_items(self.known::<T>(), mine, &stored);
        self.stored(stored);
        merged
    }

    /// The policy this copy last knew to be stored.
    pub fn known_policy(&self) -> Option<&MarkingPolicy> {
        self.known.policy.as_ref()
    }

    /// [`Replica::merge`] for the one policy: this copy's when it changed it, else the stored one.
    pub fn merge_policy(
        &self,
        mine: Option<&MarkingPolicy>,
        stored: Option<&MarkingPolicy>,
    ) -> Option<MarkingPolicy> {
        merge3_one(self.known.policy.as_ref(), mine, stored)
    }

    /// The store now holds `written` as the policy.
    pub fn stored_policy(&mut self, written: Option<MarkingPolicy>) {
        self.known.policy = written;
    }

    /// [`Replica::absorb`] for the policy.
    pub fn absorb_policy(
        &mut self,
        mine: Option<&MarkingPolicy>,
        stored: Option<MarkingPolicy>,
    ) -> Option<MarkingPolicy> {
        let merged = merge3_one(self.known.policy.as_ref(), mine, stored.as_ref());
        self.known.policy = stored;
        merged
    }
}

/// One stored item that could not be read; its text is kept whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DamagedItem {
    /// Its position in the stored list (0-based).
    pub index: usize,
    /// The item's JSON text, exactly as stored.
    pub text: String,
    /// Why it was refused (English, for the log; the app shows its own words).
    pub reason: String,
}

/// A stored list read item by item.
#[derive(Debug, Clone, PartialEq)]
pub struct Items<T> {
    /// The items that could be read, in stored order.
    pub items: Vec<T>,
    /// The items that could not.
    pub damaged: Vec<DamagedItem>,
}

/// Opens the envelope of a stored list of `T` (migrating older versions) and reads each item on
/// its own: a damaged item is returned in [`Items::damaged`] with its text, and every other item
/// is read. An error only when the envelope itself cannot be read (not JSON, a newer version,
/// another kind, a payload that is not a list).
pub fn open_items<T: Item>(text: &str) -> Result<Items<T>, LoadError> {
    let (_, payload) = persist::open_value(T::KIND, text)?;
    let Value::Array(values) = payload else {
        return Err(LoadError::damaged(
            persist::Defect::WrongType { found: None },
            format!("the stored {} are not a list", T::NAME),
        ));
    };
    let mut out = Items { items: Vec::with_capacity(values.len()), damaged: Vec::new() };
    for (index, value) in values.into_iter().enumerate() {
        let text = value.to_string();
        match serde_json::from_value::<T>(value) {
            Ok(item) => out.items.push(item),
            Err(e) => out.damaged.push(DamagedItem { index, text, reason: e.to_string() }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClassId, StudentId};
    use crate::text::Name;
    use proptest::prelude::*;

    fn class(id: u128, name: &str) -> Class {
        Class::new(ClassId::from_u128(id), Name::parse(name).unwrap())
    }

    fn names(classes: &[Class]) -> Vec<String> {
        classes.iter().map(|c| c.name.to_string()).collect()
    }

    #[test]
    fn a_save_keeps_the_other_copys_edits_and_reports_clashes() {
        fn check(base: &[Class], mine: &[Class], stored: &[Class], items: &[&str], clashes: usize) {
            let replica = Replica::new(Backup { classes: base.to_vec(), ..Backup::default() });
            let merged = replica.merge(mine, stored);
            assert_eq!(names(&merged.items), items);
            assert_eq!(merged.conflicts.len(), clashes);
        }
        let (a, b) = (class(1, "5А"), class(2, "5Б"));
        let only_a = [a.clone()];
        // The other copy added a class: both kept.
        check(&only_a, &only_a, &[a, b], &["5А", "5Б"], 0);
        // This copy renamed, the other did not touch it: the rename wins.
        check(&only_a, &[class(1, "5А!")], &only_a, &["5А!"], 0);
        // The other renamed, this copy did not: theirs.
        check(&only_a, &only_a, &[class(1, "5А?")], &["5А?"], 0);
        // Both renamed: this copy's kept, the clash reported.
        check(&only_a, &[class(1, "5А!")], &[class(1, "5А?")], &["5А!"], 1);
        // Both made the same change: no clash.
        check(&only_a, &[class(1, "5В")], &[class(1, "5В")], &["5В"], 0);
    }

    #[test]
    fn damage_in_one_item_hides_nothing_else() {
        let good = [class(1, "5А"), class(2, "5Б")];
        let mut value = serde_json::to_value(&good).unwrap();
        value.as_array_mut().unwrap().insert(1, serde_json::json!({"id": 5, "name": ""}));
        let text = persist::seal(Kind::Classes, &value);
        let read = open_items::<Class>(&text).unwrap();
        assert_eq!(names(&read.items), ["5А", "5Б"]);
        assert_eq!(read.damaged.len(), 1);
        assert_eq!(read.damaged[0].index, 1);
        assert_eq!(read.damaged[0].text, r#"{"id":5,"name":""}"#);
        assert!(open_items::<Class>("{not json").is_err());
        assert!(open_items::<Class>(&persist::seal(Kind::Classes, &1)).is_err());
    }

    #[test]
    fn counts_serialise_every_collection() {
        let mut counts = Counts::default();
        *counts.get_mut(Collection::Plans) = 2;
        let json = serde_json::to_value(counts).unwrap();
        assert_eq!(json["plans"], 2);
        assert_eq!(json["classes"], 0);
        assert_eq!(json.as_object().unwrap().len(), Collection::ALL.len());
        assert_eq!(serde_json::from_value::<Counts>(json).unwrap(), counts);
    }

    /// One step of two copies (0 and 1) sharing one store.
    #[derive(Debug, Clone)]
    enum Step {
        /// Copy `who` names class `id` `name` (adding it if new).
        Edit { who: usize, id: u128, name: u8 },
        /// Copy `who` saves.
        Save { who: usize },
        /// Copy `who` reads what the other wrote.
        Absorb { who: usize },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0..2usize, 1..6u128, 0..4u8).prop_map(|(who, id, name)| Step::Edit { who, id, name }),
            (0..2usize).prop_map(|who| Step::Save { who }),
            (0..2usize).prop_map(|who| Step::Absorb { who }),
        ]
    }

    struct Copy {
        replica: Replica,
        mine: Vec<Class>,
        /// Conflicts reported to this copy.
        conflicts: Vec<ItemConflict>,
    }

    impl Copy {
        fn save(&mut self, store: &mut Vec<Class>) {
            let merged = self.replica.merge(&self.mine, store);
            *store = merged.items.clone();
            self.replica.stored(merged.items.clone());
            self.mine = merged.items;
            self.conflicts.extend(merged.conflicts);
        }
        fn absorb(&mut self, store: &[Class]) {
            let merged = self.replica.absorb(&self.mine, store.to_vec());
            self.mine = merged.items;
            self.conflicts.extend(merged.conflicts);
        }
    }

    proptest! {
        /// Any interleaving of edits, saves and reads by two copies, followed by each saving and
        /// reading once more, ends with both copies and the store equal, holding every class
        /// either copy ever made; and a copy whose rename was overwritten was told.
        #[test]
        fn two_replicas_converge_and_lose_no_item(steps in prop::collection::vec(step(), 0..40)) {
            let mut store: Vec<Class> = Vec::new();
            let mut copies = [0, 1].map(|_| Copy {
                replica: Replica::default(),
                mine: Vec::new(),
                conflicts: Vec::new(),
            });
            let mut made = std::collections::BTreeSet::new();
            for step in steps {
                match step {
                    Step::Edit { who, id, name } => {
                        let renamed = class(id, &format!("{id}-{name}"));
                        let mine = &mut copies[who].mine;
                        match mine.iter_mut().find(|c| c.id == renamed.id) {
                            Some(c) => *c = renamed,
                            None => mine.push(renamed),
                        }
                        made.insert(id);
                    }
                    Step::Save { who } => copies[who].save(&mut store),
                    Step::Absorb { who } => copies[who].absorb(&store),
                }
            }
            for who in [0, 1, 0, 1] {
                copies[who].save(&mut store);
            }
            for copy in &mut copies {
                copy.absorb(&store);
            }
            // Equal as sets of items (each copy keeps its own display order).
            let sorted = |list: &[Class]| {
                let mut list = list.to_vec();
                list.sort_by_key(|c| c.id);
                list
            };
            prop_assert_eq!(sorted(&copies[0].mine), sorted(&store));
            prop_assert_eq!(sorted(&copies[1].mine), sorted(&store));
            let ids: std::collections::BTreeSet<u128> =
                store.iter().map(|c| c.id.as_uuid().as_u128()).collect();
            prop_assert_eq!(ids, made);
        }

        /// A rename on both sides is reported to the copy whose save met the other's.
        #[test]
        fn clashes_come_back_as_values(a in 0..4u8, b in 0..4u8) {
            prop_assume!(a != b);
            let base = vec![class(1, "base")];
            let replica = Replica::new(Backup { classes: base, ..Backup::default() });
            let merged = replica.merge(&[class(1, &format!("a{a}"))], &[class(1, &format!("b{b}"))]);
            prop_assert_eq!(merged.conflicts.len(), 1);
            prop_assert_eq!(merged.conflicts[0].collection, Collection::Classes);
            prop_assert_eq!(names(&merged.items), vec![format!("a{a}")]);
        }
    }

    #[test]
    fn students_are_unaffected_by_the_class_merge() {
        // A class edited in one copy keeps its roster as that copy has it.
        let mut mine = class(1, "5А");
        mine.add_student(StudentId::from_u128(7), Name::parse("Анна").unwrap()).unwrap();
        let replica = Replica::new(Backup { classes: vec![class(1, "5А")], ..Backup::default() });
        let merged = replica.merge(std::slice::from_ref(&mine), &[class(1, "5А")]);
        assert_eq!(merged.items, vec![mine]);
    }

    #[test]
    fn two_tabs_adding_practices_to_one_plan_keep_both() {
        use crate::ids::{PlanId, PracticeId};
        use crate::plan::{Plan, PlanDraft, Practice, SchoolYear};
        let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        let practice = |n: u128, title: &str| {
            Practice::from_form(PracticeId::from_u128(n), title, None, "", None, "", "", date)
                .unwrap()
        };
        let base = Plan::new(PlanDraft {
            id: PlanId::from_u128(1),
            year: SchoolYear::new(2025).unwrap(),
            title: Name::parse("План").unwrap(),
            aim: None,
            tasks: vec![],
            members: vec![],
            events: vec![],
            goals: vec![],
            protocols: vec![],
            practices: vec![practice(1, "Светофор")],
        })
        .unwrap();
        let mine = base.with_practice(practice(2, "Лесенка")).unwrap();
        let theirs = base.with_practice(practice(3, "Синквейн")).unwrap();
        let merged = merge_items(
            std::slice::from_ref(&base),
            std::slice::from_ref(&mine),
            std::slice::from_ref(&theirs),
        );
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        let titles: Vec<String> =
            merged.items[0].draft().practices.iter().map(|p| p.draft().title.to_string()).collect();
        assert_eq!(titles, ["Светофор", "Лесенка", "Синквейн"]);
        // One practice edited differently on both sides: this side's, reported.
        let mine = base.with_practice(practice(1, "Светофор (мой)")).unwrap();
        let theirs = base.with_practice(practice(1, "Светофор (их)")).unwrap();
        let merged =
            merge_items(std::slice::from_ref(&base), std::slice::from_ref(&mine), &[theirs]);
        assert_eq!(merged.items, vec![mine]);
        assert_eq!(merged.conflicts.len(), 1);
        // Importing a bundle with a practice this plan lacks adds it.
        let mut held = base.clone();
        let incoming = base.with_practice(practice(4, "Билет на выход")).unwrap();
        let absorbed = Plan::absorb(&mut held, &incoming);
        assert_eq!((absorbed.added, absorbed.duplicates, absorbed.conflicts.len()), (1, 1, 0));
        assert_eq!(held, incoming);
    }
}
