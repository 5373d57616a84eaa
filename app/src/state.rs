//! Shared state, provided as context newtypes, and the actions that change it.
//!
//! The data itself is core's types held in signals here (core's types hold no signals). Every
//! action saves through [`crate::storage`] and records what happened in [`StorageStatus`], so a
//! full or read-only storage is shown to the teacher at once while the data stays in memory.

use std::collections::BTreeSet;

use leptos::lazy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use lesenka_core::evidence::{EvidenceRecord, Journal};
use lesenka_core::ids::{ClassId, WorkTypeId};
use lesenka_core::lesson::Lesson;
use lesenka_core::marks::{Gradebook, MarkingPolicy};
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::merge::merge3_one;
use lesenka_core::roster::Class;
use lesenka_core::rubric::{Assessment, Rubric};

use crate::storage::{
    LoadNotes, Loaded, Newer, SaveError, Settings, Store, StoredList, load_first,
};

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
    /// The school's marking policy as saved; `None` means [`default_policy`].
    pub policy: RwSignal<Option<MarkingPolicy>>,
    /// Whether the stored journal, rubrics, assessments, gradebooks and policy have been read
    /// (one reader reads them all; the pages that change rubrics or marks wait for it, so a
    /// save never overwrites what was not read yet).
    pub stored_ready: RwSignal<bool>,
    /// What this tab last knew to be stored: the `base` of every merge.
    saved: StoredValue<StoredCopy>,
}

/// What a policy save merges against.
#[derive(Debug, Clone, Copy)]
enum Base {
    /// What this tab last knew to be stored: the teacher's edit wins.
    Known,
    /// The default being saved itself: anything stored wins.
    Default,
}

/// What a tab last knew to be in storage (loaded, saved, or read after another tab's change):
/// the `base` of each list's three-way merge ([`StoredList::merge`]), which tells this tab's own
/// edits (kept) from its stale copies of items another tab changed (refreshed).
#[derive(Debug, Clone, Default)]
struct StoredCopy {
    classes: Vec<Class>,
    lessons: Vec<Lesson>,
    rubrics: Vec<Rubric>,
    assessments: Vec<Assessment>,
    gradebooks: Vec<Gradebook>,
    policy: Option<MarkingPolicy>,
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
/// journal, rubrics and marks (which arrive a moment later); returns the stored settings.
pub fn provide_state(loaded: Loaded) -> (Data, Status, Settings) {
    let store = Store::app();
    let saved = StoredCopy {
        classes: loaded.classes.clone(),
        lessons: loaded.lessons.clone(),
        ..StoredCopy::default()
    };
    let data = Data {
        classes: RwSignal::new(loaded.classes),
        lessons: RwSignal::new(loaded.lessons),
        journal: RwSignal::new(Journal::new()),
        known_chunks: StoredValue::new(BTreeSet::new()),
        rubrics: RwSignal::new(Vec::new()),
        assessments: RwSignal::new(Vec::new()),
        gradebooks: RwSignal::new(Vec::new()),
        policy: RwSignal::new(None),
        stored_ready: RwSignal::new(false),
        saved: StoredValue::new(saved),
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
    /// the journal is a union by record id) and the rubrics, assessments, gradebooks and policy
    /// (core's three-way merge: what this tab changed stays, the rest is taken as stored).
    /// Then marks both ready. Reading twice adds nothing.
    pub async fn load_stored(self, status: Status) {
        let known = self.known_chunks.get_value();
        let (notes, keys) = merge_stored(self, known).await;
        self.known_chunks.update_value(|known| known.extend(keys));
        let used = Store::app().used_bytes();
        status.0.update(|s| {
            note(s, notes);
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
        self.sync(self.classes, |s| &mut s.classes, loaded.classes);
        self.sync(self.lessons, |s| &mut s.lessons, loaded.lessons);
        status.0.update(|s| note(s, loaded.notes));
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
        self.save_list(status, self.classes, |s| &mut s.classes, classes)
    }

    /// Adds a lesson and saves it.
    pub fn add_lesson(self, status: Status, lesson: Lesson) -> Result<(), SaveError> {
        guard(status)?;
        let mut lessons = self.lessons.get_untracked();
        lessons.push(lesson);
        self.save_list(status, self.lessons, |s| &mut s.lessons, lessons)
    }

    /// The policy in force: the saved one, else [`default_policy`].
    pub fn policy(self) -> MarkingPolicy {
        self.policy.get().unwrap_or_else(default_policy)
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
        upsert(&mut rubrics, rubric, Rubric::id);
        self.save_list(status, self.rubrics, |s| &mut s.rubrics, rubrics)
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
        upsert(&mut assessments, assessment, Assessment::id);
        self.save_list(status, self.assessments, |s| &mut s.assessments, assessments)
    }

    /// Replaces a class's gradebook and saves the gradebooks, with the policy in force (so the
    /// work types the marks point to are stored too).
    pub fn save_gradebook(self, status: Status, book: Gradebook) -> Result<(), SaveError> {
        guard(status)?;
        self.marking_guard()?;
        let mut books = self.gradebooks.get_untracked();
        upsert(&mut books, book, Gradebook::class);
        if self.policy.with_untracked(Option::is_none)
            && let Err(err) = self.store_policy(Base::Default, default_policy())
        {
            self.gradebooks.set(books);
            refresh(status, Some(err.clone()));
            return Err(err);
        }
        self.save_list(status, self.gradebooks, |s| &mut s.gradebooks, books)
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
            Base::Known => self.saved.with_value(|s| s.policy.clone()),
            Base::Default => Some(policy.clone()),
        };
        match Store::app().save_policy(base.as_ref(), &policy) {
            Ok(written) => {
                self.saved.update_value(|s| s.policy.clone_from(&written));
                self.policy.set(written);
                Ok(())
            }
            Err(err) => {
                self.policy.set(Some(policy));
                Err(err)
            }
        }
    }

    /// Saves one list: `mine` merged with what is stored now (see [`Store::save_list`]). On
    /// success this tab holds what was written and knows it stored; on failure it keeps `mine`
    /// in memory (an export still has it), still marked as its own edit for later merges.
    fn save_list<T: StoredList>(
        self,
        status: Status,
        signal: RwSignal<Vec<T>>,
        field: fn(&mut StoredCopy) -> &mut Vec<T>,
        mine: Vec<T>,
    ) -> Result<(), SaveError> {
        let outcome = self.write_list(signal, field, mine);
        refresh(status, outcome.clone().err());
        outcome
    }

    /// [`Data::save_list`] without counting storage use (the import saves several lists).
    fn write_list<T: StoredList>(
        self,
        signal: RwSignal<Vec<T>>,
        field: fn(&mut StoredCopy) -> &mut Vec<T>,
        mine: Vec<T>,
    ) -> Result<(), SaveError> {
        let base = self.saved.try_update_value(|s| field(s).clone()).unwrap_or_default();
        match Store::app().save_list(&base, &mine) {
            Ok(written) => {
                self.saved.update_value(|s| field(s).clone_from(&written));
                signal.set(written);
                Ok(())
            }
            Err(err) => {
                signal.set(mine);
                Err(err)
            }
        }
    }

    /// Takes `theirs`, just read from storage, into one list: the list's three-way merge (the
    /// one its saves use) with what this tab last knew stored; `theirs` becomes that knowledge.
    fn sync<T: StoredList>(
        self,
        signal: RwSignal<Vec<T>>,
        field: fn(&mut StoredCopy) -> &mut Vec<T>,
        theirs: Vec<T>,
    ) {
        let base = self.saved.try_update_value(|s| std::mem::replace(field(s), theirs.clone()));
        let base = base.unwrap_or_default();
        signal.update(|mine| *mine = T::merge(&base, mine, &theirs));
    }

    /// Records evidence: adds it to the journal at once and appends it to storage as one chunk
    /// (with any records an earlier full storage left unsaved).
    pub fn record(self, status: Status, records: Vec<EvidenceRecord>) -> Result<(), SaveError> {
        self.journal.update(|journal| {
            for record in &records {
                let _ = journal.append(record.clone());
            }
        });
        let mut pending = status.0.with_untracked(|s| s.unsaved.clone());
        pending.extend(records);
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

    /// Replaces the data with an import's merged result and saves what is new.
    pub fn apply_import(
        self,
        status: Status,
        merged: Backup,
        new_records: Vec<EvidenceRecord>,
    ) -> Result<(), SaveError> {
        guard(status)?;
        let Backup { classes, lessons, rubrics, assessments, gradebooks, policy, .. } = merged;
        let saved = [
            self.write_list(self.classes, |s| &mut s.classes, classes),
            self.write_list(self.lessons, |s| &mut s.lessons, lessons),
            self.write_list(self.rubrics, |s| &mut s.rubrics, rubrics),
            self.write_list(self.assessments, |s| &mut s.assessments, assessments),
            self.write_list(self.gradebooks, |s| &mut s.gradebooks, gradebooks),
            match policy {
                Some(p) if self.policy.with_untracked(|mine| mine.as_ref() != Some(&p)) => {
                    self.store_policy(Base::Known, p)
                }
                _ => Ok(()),
            },
        ];
        let first_err = saved.into_iter().find_map(Result::err);
        let recorded = self.record(status, new_records);
        let outcome = match first_err {
            Some(err) => Err(err),
            None => recorded,
        };
        refresh(status, outcome.clone().err());
        outcome
    }
}

/// Reads the journal's chunks not in `known` and the stored rubrics, assessments, gradebooks and
/// policy, and merges them into `data`; returns what was set aside or found newer, and the
/// chunk keys read. Lazily loaded, with all their decoding and merging code (one split point:
/// both are read at start, so their code travels together).
#[lazy]
fn merge_stored(data: Data, known: BTreeSet<String>) -> (LoadNotes, Vec<String>) {
    let store = Store::app();
    let stored = store.load_marking();
    data.sync(data.rubrics, |s| &mut s.rubrics, stored.rubrics);
    data.sync(data.assessments, |s| &mut s.assessments, stored.assessments);
    data.sync(data.gradebooks, |s| &mut s.gradebooks, stored.gradebooks);
    let base =
        data.saved.try_update_value(|s| std::mem::replace(&mut s.policy, stored.policy.clone()));
    data.policy.update(|mine| {
        *mine = merge3_one(base.flatten().as_ref(), mine.as_ref(), stored.policy.as_ref());
    });
    let mut notes = stored.notes;
    let read = store.load_journal_except(&known);
    let (journal, _conflicts) = Journal::from_records(read.records);
    data.journal.update(|mine| {
        mine.merge(&journal);
    });
    notes.merge(read.notes);
    (notes, read.keys)
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
fn upsert<T, K: PartialEq>(items: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
    match items.iter().position(|x| key(x) == key(&item)) {
        Some(i) => items[i] = item,
        None => items.push(item),
    }
}
