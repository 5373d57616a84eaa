//! Shared state, provided as context newtypes, and the actions that change it.
//!
//! The data itself is core's types held in signals here (core's types hold no signals); which
//! collections there are is core's registry ([`lesenka_core::dataset`]), and each is held in one
//! signal named once in [`Held`]. What this tab last knew stored is core's sans-IO [`Replica`]:
//! every save writes the merge it gives and every other tab's change is absorbed through it, so
//! neither tab reverts the other, and items both changed come back as conflicts that the banner
//! shows. Every action saves through [`crate::storage`] and records what happened in
//! [`StorageStatus`], so a full or read-only storage is shown to the teacher at once while the
//! data stays in memory.

use std::collections::BTreeSet;

use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lesenka_core::conceptmap::stored::LessonMap;
use lesenka_core::dataset::{Item, ItemConflict, Replica};
use lesenka_core::diagnostics::DiagnosticRun;
use lesenka_core::evidence::{EvidenceRecord, Journal};
use lesenka_core::ids::{ClassId, PlanId, WorkTypeId};
use lesenka_core::lesson::Lesson;
use lesenka_core::marks::{Gradebook, MarkingPolicy};
use lesenka_core::persist::backup::Backup;
use lesenka_core::plan::Plan;
use lesenka_core::roster::Class;
use lesenka_core::rubric::{Assessment, Rubric};

use crate::storage::{LoadNotes, Loaded, Newer, SaveError, Settings, Store, load_first};

/// The teacher's data, as loaded and changed in this tab.
#[derive(Clone, Copy)]
pub struct Data {
    /// The classes.
    pub classes: RwSignal<Vec<Class>>,
    /// The lessons.
    pub lessons: RwSignal<Vec<Lesson>>,
    /// Every evidence record: empty until [`Data::stored_ready`], then what storage held
    /// merged with what this tab recorded meanwhile.
    pub journal: RwSignal<Journal>,
    /// The keys of the journal chunks this tab has read or written (never read again).
    pub known_chunks: StoredValue<BTreeSet<String>>,
    /// The teacher's rubrics.
    pub rubrics: RwSignal<Vec<Rubric>>,
    /// Assessments made with the rubrics (each pins a version).
    pub assessments: RwSignal<Vec<Assessment>>,
    /// One gradebook per class (created with the first mark).
    pub gradebooks: RwSignal<Vec<Gradebook>>,
    /// The community (ПОС) plans.
    pub plans: RwSignal<Vec<Plan>>,
    /// The lessons' concept maps (the teacher's and the students').
    pub maps: RwSignal<Vec<LessonMap>>,
    /// The questionnaire runs (Лусканова, satisfaction surveys) with their answers.
    pub diagnostics: RwSignal<Vec<DiagnosticRun>>,
    /// The school's marking policy as saved; `None` means [`default_policy`].
    pub policy: RwSignal<Option<MarkingPolicy>>,
    /// Whether the stored journal, rubrics, assessments, gradebooks, plans and policy have been
    /// read (one reader reads them all; the pages that change rubrics or marks wait for it, so a
    /// save never overwrites what was not read yet).
    pub stored_ready: RwSignal<bool>,
    /// What this tab last knew to be stored: the `base` of every merge.
    saved: StoredValue<Replica>,
}

/// A collection of core's registry, held in this tab as one signal of [`Data`]: the one line
/// per collection the app adds when core adds a kind.
pub trait Held: Item {
    /// The signal holding it.
    fn signal(data: Data) -> RwSignal<Vec<Self>>;
}

macro_rules! held {
    ($($item:ty => $field:ident),* $(,)?) => {$(
        impl Held for $item {
            fn signal(data: Data) -> RwSignal<Vec<Self>> {
                data.$field
            }
        }
    )*};
}

held!(
    Class => classes,
    Lesson => lessons,
    Rubric => rubrics,
    Assessment => assessments,
    Gradebook => gradebooks,
    Plan => plans,
    LessonMap => maps,
    DiagnosticRun => diagnostics,
);

/// What a policy save merges against.
#[derive(Debug, Clone, Copy)]
enum Base {
    /// What this tab last knew to be stored: the teacher's edit wins.
    Known,
    /// The default being saved itself: anything stored wins.
    Default,
}

/// The work type ids of the default policy: core's, fixed so every device's defaults agree.
pub const CONTROL_WORK: WorkTypeId = lesenka_core::marks::CONTROL_WORK;
/// «Работа на уроке».
pub const LESSON_WORK: WorkTypeId = lesenka_core::marks::LESSON_WORK;
/// «Домашняя работа».
pub const HOMEWORK: WorkTypeId = lesenka_core::marks::HOMEWORK;

/// The policy in force until the school saves its own: core's
/// [`MarkingPolicy::school_default`].
pub fn default_policy() -> MarkingPolicy {
    MarkingPolicy::school_default()
}

/// What the storage reported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorageStatus {
    /// Data of a newer version was found: saving is off.
    pub read_only: Option<Newer>,
    /// Values set aside while loading (their quarantine keys).
    pub quarantined: Vec<String>,
    /// Records kept only in memory because the storage was full.
    pub unsaved: Vec<EvidenceRecord>,
    /// The last save failure.
    pub last_error: Option<SaveError>,
    /// Bytes in use.
    pub used: u64,
    /// Another tab changed the data and it was reloaded.
    pub other_tab: bool,
    /// Items this tab and another both changed: this tab's version was kept.
    pub conflicts: Vec<ItemConflict>,
    /// Evidence records that clashed by id with one already held (one was kept; storage still
    /// holds both).
    pub evidence_conflicts: usize,
}

/// The storage status, as context.
#[derive(Clone, Copy)]
pub struct Status(pub RwSignal<StorageStatus>);

/// Projector mode: large type, high contrast, no names.
#[derive(Clone, Copy)]
pub struct Projector(pub RwSignal<bool>);

/// The data context.
pub fn use_data() -> Data {
    expect_context::<Data>()
}

/// The status context.
pub fn use_status() -> Status {
    expect_context::<Status>()
}

/// The projector context.
pub fn use_projector() -> Projector {
    expect_context::<Projector>()
}

/// Provides the contexts over what [`crate::storage::load_first`] loaded and starts reading the
/// journal, rubrics, marks and plans (which arrive a moment later); returns the stored settings.
pub fn provide_state(loaded: Loaded) -> (Data, Status, Settings) {
    let store = Store::app();
    let known = Backup {
        classes: loaded.classes.clone(),
        lessons: loaded.lessons.clone(),
        ..Backup::default()
    };
    let data = Data {
        classes: RwSignal::new(loaded.classes),
        lessons: RwSignal::new(loaded.lessons),
        journal: RwSignal::new(Journal::new()),
        known_chunks: StoredValue::new(BTreeSet::new()),
        rubrics: RwSignal::new(Vec::new()),
        assessments: RwSignal::new(Vec::new()),
        gradebooks: RwSignal::new(Vec::new()),
        plans: RwSignal::new(Vec::new()),
        maps: RwSignal::new(Vec::new()),
        diagnostics: RwSignal::new(Vec::new()),
        policy: RwSignal::new(None),
        stored_ready: RwSignal::new(false),
        saved: StoredValue::new(Replica::new(known)),
    };
    let status = Status(RwSignal::new(StorageStatus {
        read_only: loaded.notes.newer,
        quarantined: loaded.notes.quarantined,
        // Counted with the rest of the stored data, after the first screen (it reads every value).
        ..StorageStatus::default()
    }));
    provide_context(data);
    provide_context(status);
    provide_context(Projector(RwSignal::new(false)));
    store.on_other_tab_change(move || spawn_local(data.reload_from_other_tab(status)));
    spawn_local(data.load_stored(status));
    (data, status, loaded.settings)
}

impl Data {
    /// Reads what the first screen did not need and merges it into what this tab holds: the
    /// journal's chunks this tab has not seen yet (records it made before they arrived stay;
    /// the journal is a union by record id) and the rubrics, assessments, gradebooks, plans and
    /// policy (core's three-way merge: what this tab changed stays, the rest is taken as
    /// stored). Then marks them ready. Reading twice adds nothing.
    pub async fn load_stored(self, status: Status) {
        let known = self.known_chunks.get_value();
        let read = merge_stored(self, known).await;
        self.known_chunks.update_value(|known| known.extend(read.keys));
        let used = Store::app().used_bytes();
        status.0.update(|s| {
            note(s, read.notes);
            s.conflicts.extend(read.conflicts);
            s.evidence_conflicts += read.evidence_conflicts;
            s.used = used;
        });
        self.stored_ready.set(true);
        crate::clock::mark("lesenka-stored-ready");
    }

    /// Refuses to save rubrics or marks before the stored ones are read (saving would overwrite
    /// them with this tab's few).
    fn marking_guard(self) -> Result<(), SaveError> {
        if self.stored_ready.get_untracked() { Ok(()) } else { Err(SaveError::NotLoaded) }
    }

    /// Waits until the stored journal, rubrics and marks are in memory (reading them if they
    /// are not yet).
    pub async fn stored_loaded(self, status: Status) {
        if !self.stored_ready.get_untracked() {
            self.load_stored(status).await;
        }
    }

    /// Re-reads storage after another tab changed it: items this tab did not change are taken
    /// as the other tab saved them, new ones are added, and this tab's own unsaved edits stay.
    async fn reload_from_other_tab(self, status: Status) {
        let store = Store::app();
        let loaded = load_first(store).await;
        let conflicts = absorb_first_screen(self, loaded.classes, loaded.lessons).await;
        status.0.update(|s| {
            note(s, loaded.notes);
            s.conflicts.extend(conflicts);
        });
        self.load_stored(status).await;
        status.0.update(|s| {
            s.other_tab = true;
            s.used = store.used_bytes();
        });
    }

    /// Adds a class and saves it.
    pub fn add_class(self, status: Status, class: Class) -> Result<(), SaveError> {
        guard(status)?;
        let mut classes = self.classes.get_untracked();
        classes.push(class);
        self.save_list(status, classes)
    }

    /// Adds a lesson and saves it.
    pub fn add_lesson(self, status: Status, lesson: Lesson) -> Result<(), SaveError> {
        guard(status)?;
        let mut lessons = self.lessons.get_untracked();
        lessons.push(lesson);
        self.save_list(status, lessons)
    }

    /// The policy in force: the saved one, else [`default_policy`].
    pub fn policy(self) -> MarkingPolicy {
        self.policy.get().unwrap_or_else(default_policy)
    }

    /// The plan `chosen` names, or the latest one when it names none (or one not here): what
    /// the ПОС pages show.
    pub fn chosen_plan(
        self,
        chosen: impl Fn() -> Option<PlanId> + Send + Sync + 'static,
    ) -> Memo<Option<Plan>> {
        Memo::new(move |_| {
            let chosen = chosen();
            self.plans.with(|plans| {
                chosen
                    .and_then(|id| plans.iter().find(|p| p.id() == id))
                    .or_else(|| plans.last())
                    .cloned()
            })
        })
    }

    /// A class's gradebook (empty if it has no marks yet).
    pub fn gradebook(self, class: ClassId) -> Gradebook {
        self.gradebooks
            .with(|books| books.iter().find(|b| b.class() == class).cloned())
            .unwrap_or_else(|| Gradebook::new(class))
    }

    /// Adds or replaces a rubric (by id) and saves the rubrics.
    pub fn save_rubric(self, status: Status, rubric: Rubric) -> Result<(), SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let mut rubrics = self.rubrics.get_untracked();
        upsert(&mut rubrics, rubric);
        self.save_list(status, rubrics)
    }

    /// Adds or replaces one item of a collection (by key) and saves the collection, once the
    /// stored ones are read (called only from lazily loaded pages).
    pub fn save_item<T: Held>(self, status: Status, item: T) -> Result<(), SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let mut items = T::signal(self).get_untracked();
        upsert(&mut items, item);
        self.save_list(status, items)
    }

    /// Saves an assessment together with its rubric, whose version core has marked as used.
    pub fn save_assessment(
        self,
        status: Status,
        rubric: Rubric,
        assessment: Assessment,
    ) -> Result<(), SaveError> {
        self.save_rubric(status, rubric)?;
        let mut assessments = self.assessments.get_untracked();
        upsert(&mut assessments, assessment);
        self.save_list(status, assessments)
    }

    /// Replaces a class's gradebook and saves the gradebooks, with the policy in force (so the
    /// work types the marks point to are stored too).
    pub fn save_gradebook(self, status: Status, book: Gradebook) -> Result<(), SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let mut books = self.gradebooks.get_untracked();
        upsert(&mut books, book);
        if self.policy.with_untracked(Option::is_none)
            && let Err(err) = self.store_policy(Base::Default, default_policy())
        {
            self.gradebooks.set(books);
            refresh(status, Some(err.clone()));
            return Err(err);
        }
        self.save_list(status, books)
    }

    /// Saves the school's marking policy (kept in memory even when the storage refuses it).
    pub fn save_policy(self, status: Status, policy: MarkingPolicy) -> Result<(), SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let result = self.store_policy(Base::Known, policy);
        refresh(status, result.clone().err());
        result
    }

    /// Saves `policy` merged with the stored one; this tab then holds what was written (or,
    /// when the storage refused it, `policy`, kept in memory). With [`Base::Default`] a policy
    /// stored meanwhile (another tab's) wins over the default.
    fn store_policy(self, base: Base, policy: MarkingPolicy) -> Result<(), SaveError> {
        let base = match base {
            Base::Known => self.saved.with_value(|r| r.known_policy().cloned()),
            Base::Default => Some(policy.clone()),
        };
        match Store::app().save_policy(base.as_ref(), &policy) {
            Ok(written) => {
                self.saved.update_value(|r| r.stored_policy(written.clone()));
                self.policy.set(written);
                Ok(())
            }
            Err(err) => {
                self.policy.set(Some(policy));
                Err(err)
            }
        }
    }

    /// Saves one list (see [`Data::write_list`]) and reports the outcome in the status.
    fn save_list<T: Held>(self, status: Status, mine: Vec<T>) -> Result<(), SaveError> {
        let outcome = self.write_list(mine);
        let (result, conflicts) = match outcome {
            Ok(conflicts) => (Ok(()), conflicts),
            Err(err) => (Err(err), Vec::new()),
        };
        status.0.update(|s| s.conflicts.extend(conflicts));
        refresh(status, result.clone().err());
        result
    }

    /// Saves one list: `mine` merged with what is stored now ([`Store::save_list`]). On success
    /// this tab holds what was written, knows it stored, and gets back the items another tab
    /// had changed too; on failure it keeps `mine` in memory (an export still has it), still
    /// this tab's edit for later merges.
    fn write_list<T: Held>(self, mine: Vec<T>) -> Result<Vec<ItemConflict>, SaveError> {
        let result = self.saved.with_value(|replica| Store::app().save_list(replica, &mine));
        match result {
            Ok(merged) => {
                self.saved.update_value(|r| r.stored(merged.items.clone()));
                set_if_changed(T::signal(self), merged.items);
                Ok(merged.conflicts)
            }
            Err(err) => {
                T::signal(self).set(mine);
                Err(err)
            }
        }
    }

    /// Takes `stored`, just read from storage, into one list through the replica (the merge its
    /// saves use): this tab's unsaved edits stay, the rest is taken as stored. The signal is
    /// set only when the list changed, so pages showing other data are not rebuilt.
    fn absorb<T: Held>(self, stored: Vec<T>) -> Vec<ItemConflict> {
        let signal = T::signal(self);
        let mine = signal.get_untracked();
        let Some(merged) = self.saved.try_update_value(|r| r.absorb(&mine, stored)) else {
            return Vec::new();
        };
        set_if_changed(signal, merged.items);
        merged.conflicts
    }

    /// Records evidence: adds it to the journal at once and appends to storage, as one chunk,
    /// exactly the records the journal took in (core's [`Journal::admit`]: never one it refused),
    /// with any records an earlier full storage left unsaved.
    pub fn record(self, status: Status, records: Vec<EvidenceRecord>) -> Result<(), SaveError> {
        let admitted =
            self.journal.try_update(|journal| journal.admit(records)).unwrap_or_default();
        let mut pending = status.0.with_untracked(|s| s.unsaved.clone());
        pending.extend(admitted.to_write);
        status.0.update(|s| s.evidence_conflicts += admitted.conflicts.len());
        if status.0.with_untracked(|s| s.read_only.is_some()) {
            status.0.update(|s| {
                s.unsaved = pending;
                s.last_error = Some(SaveError::ReadOnly);
            });
            return Err(SaveError::ReadOnly);
        }
        let result = Store::app().append_records(&pending);
        if let Ok(Some(key)) = &result {
            // This tab's own chunk: already in memory, never to be read back.
            self.known_chunks.update_value(|known| {
                known.insert(key.clone());
            });
        }
        let result = result.map(|_| ());
        status.0.update(|s| {
            s.unsaved = if result.is_ok() { Vec::new() } else { pending };
        });
        refresh(status, result.clone().err());
        result
    }

    /// Replaces the data with an import's merged result and saves it: every collection of
    /// core's registry, the policy when it changed, the new evidence records, and the values
    /// the file carried set aside (kept on this device, never over live data).
    pub fn apply_import(
        self,
        status: Status,
        merged: Backup,
        new_records: Vec<EvidenceRecord>,
    ) -> Result<(), SaveError> {
        guard(status)?;
        let mut outcome = ImportWrite { first_error: None, conflicts: Vec::new() };
        lesenka_core::for_each_item!(write_imported(self, &merged, &mut outcome));
        if let Some(p) = merged.policy.clone()
            && self.policy.with_untracked(|mine| mine.as_ref() != Some(&p))
            && let Err(err) = self.store_policy(Base::Known, p)
        {
            outcome.first_error.get_or_insert(err);
        }
        if let Err(err) = Store::app().keep_aside(&merged.set_aside) {
            outcome.first_error.get_or_insert(err);
        }
        let recorded = self.record(status, new_records);
        status.0.update(|s| {
            s.conflicts.extend(outcome.conflicts);
            s.quarantined = Store::app().quarantined();
        });
        let result = match outcome.first_error {
            Some(err) => Err(err),
            None => recorded,
        };
        refresh(status, result.clone().err());
        result
    }

    /// Takes the readable content of a set-aside value back into the data and saves it; the
    /// set-aside copy is removed only once all of it is back and saved.
    pub fn restore_aside(self, status: Status, aside: &str) -> Result<Restored, SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let store = Store::app();
        let Some((text, name, index)) = store.quarantined_value(aside) else {
            return Ok(Restored::Nothing);
        };
        let mut outcome = None;
        lesenka_core::for_each_item!(restore_into(self, &name, &text, index, &mut outcome));
        let result = match outcome {
            None => Ok(Restored::Nothing),
            Some(Ok((restored, conflicts))) => {
                status.0.update(|s| s.conflicts.extend(conflicts));
                if restored == Restored::All {
                    store.forget_aside(aside)?;
                    status.0.update(|s| s.quarantined.retain(|k| k != aside));
                }
                Ok(restored)
            }
            Some(Err(err)) => Err(err),
        };
        refresh(status, result.clone().err());
        result
    }
}

/// How much of a set-aside value came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restored {
    /// All of it: the set-aside copy is gone.
    All,
    /// Some items; the rest still cannot be read and stays aside.
    Part,
    /// Nothing could be read; it stays aside (and in the export).
    Nothing,
}

/// What saving an import's collections did.
struct ImportWrite {
    first_error: Option<SaveError>,
    conflicts: Vec<ItemConflict>,
}

/// Saves one collection of an import's merged result.
fn write_imported<T: Held>(data: Data, merged: &Backup, outcome: &mut ImportWrite) {
    match data.write_list(T::list(merged).clone()) {
        Ok(conflicts) => outcome.conflicts.extend(conflicts),
        Err(err) => {
            outcome.first_error.get_or_insert(err);
        }
    }
}

/// What restoring into one collection did: how much came back, and the clashes of its save.
type RestoreOutcome = Option<Result<(Restored, Vec<ItemConflict>), SaveError>>;

/// Restores a set-aside value into collection `T` when it came from `T`'s list (`name`), adding
/// the items whose keys are not held yet and saving the list.
fn restore_into<T: Held>(
    data: Data,
    name: &str,
    text: &str,
    index: Option<usize>,
    outcome: &mut RestoreOutcome,
) {
    if name != T::NAME || outcome.is_some() {
        return;
    }
    let read: Option<(Vec<T>, bool)> = match index {
        // One item of the list.
        Some(_) => serde_json::from_str::<T>(text).ok().map(|item| (vec![item], true)),
        // A whole list value (set aside whole by an older build): whatever items can be read.
        None => lesenka_core::dataset::open_items::<T>(text)
            .ok()
            .map(|read| (read.items, read.damaged.is_empty())),
    };
    let Some((items, whole)) = read.filter(|(items, _)| !items.is_empty()) else {
        *outcome = Some(Ok((Restored::Nothing, Vec::new())));
        return;
    };
    let mut mine = T::signal(data).get_untracked();
    for item in items {
        if !mine.iter().any(|m| m.key() == item.key()) {
            mine.push(item);
        }
    }
    let restored = if whole { Restored::All } else { Restored::Part };
    *outcome = Some(data.write_list(mine).map(|conflicts| (restored, conflicts)));
}

/// Sets the signal only when the value differs (another tab's unrelated change rebuilds
/// nothing).
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<Vec<T>>, value: Vec<T>) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

/// What the lazily loaded reader found besides the data.
struct StoredRead {
    notes: LoadNotes,
    keys: Vec<String>,
    conflicts: Vec<ItemConflict>,
    evidence_conflicts: usize,
}

/// Reads the journal's chunks not in `known` and the stored rubrics, assessments, gradebooks,
/// plans and policy, and merges them into `data`; returns what was set aside, found newer or in
/// conflict, and the chunk keys read. Lazily loaded, with all their decoding and merging code
/// (one split point: both are read at start, so their code travels together).
#[lazy]
fn merge_stored(data: Data, known: BTreeSet<String>) -> StoredRead {
    let store = Store::app();
    let mut read = StoredRead {
        notes: LoadNotes::default(),
        keys: Vec::new(),
        conflicts: Vec::new(),
        evidence_conflicts: 0,
    };
    lesenka_core::for_each_item!(absorb_lazily(data, &mut read));
    let stored = store.load_policy();
    read.notes.merge(stored.notes);
    let mine = data.policy.get_untracked();
    if let Some(policy) =
        data.saved.try_update_value(|r| r.absorb_policy(mine.as_ref(), stored.policy))
        && policy != mine
    {
        data.policy.set(policy);
    }
    let journal = store.load_journal_except(&known);
    let (records, mut clashes) = Journal::from_records(journal.records);
    data.journal.update(|mine| clashes.extend(mine.merge(&records)));
    read.notes.merge(journal.notes);
    read.keys = journal.keys;
    read.evidence_conflicts = clashes.len();
    read
}

/// Absorbs the classes and lessons another tab saved (lazily loaded with the merge code: another
/// tab's change is rare, and the first screen never needs it).
#[lazy]
fn absorb_first_screen(data: Data, classes: Vec<Class>, lessons: Vec<Lesson>) -> Vec<ItemConflict> {
    let mut conflicts = data.absorb(classes);
    conflicts.extend(data.absorb(lessons));
    conflicts
}

/// Reads collection `T` as stored and absorbs it, unless the first screen already read it
/// (classes and lessons, see [`crate::storage::Store::load_current`]).
fn absorb_lazily<T: Held>(data: Data, read: &mut StoredRead) {
    if FIRST_SCREEN.contains(&T::NAME) {
        return;
    }
    let stored = Store::app().read_list::<T>(&mut read.notes);
    read.conflicts.extend(data.absorb(stored));
}

/// The collections the first screen reads itself.
const FIRST_SCREEN: [&str; 2] = [Class::NAME, Lesson::NAME];

/// The whole of the tab's data as one backup: every collection of core's registry, the
/// journal (records only kept in memory included) and the policy.
pub fn backup_of(data: Data) -> Backup {
    let mut backup = Backup {
        evidence: data.journal.get_untracked(),
        policy: data.policy.get_untracked(),
        ..Backup::default()
    };
    lesenka_core::for_each_item!(copy_into(data, &mut backup));
    backup
}

fn copy_into<T: Held>(data: Data, backup: &mut Backup) {
    *T::list_mut(backup) = T::signal(data).get_untracked();
}

fn guard(status: Status) -> Result<(), SaveError> {
    if status.0.with_untracked(|s| s.read_only.is_some()) {
        status.0.update(|s| s.last_error = Some(SaveError::ReadOnly));
        Err(SaveError::ReadOnly)
    } else {
        Ok(())
    }
}

fn refresh(status: Status, error: Option<SaveError>) {
    let used = Store::app().used_bytes();
    status.0.update(|s| {
        s.used = used;
        s.last_error = error;
    });
}

fn note(status: &mut StorageStatus, notes: LoadNotes) {
    for key in notes.quarantined {
        if !status.quarantined.contains(&key) {
            status.quarantined.push(key);
        }
    }
    if status.read_only.is_none() {
        status.read_only = notes.newer;
    }
}

/// Replaces the item with the same key, or appends it.
fn upsert<T: Item>(items: &mut Vec<T>, item: T) {
    match items.iter().position(|x| x.key() == item.key()) {
        Some(i) => items[i] = item,
        None => items.push(item),
    }
}
