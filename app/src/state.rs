//! Shared state, provided as context newtypes, and the actions that change it.
//!
//! The data itself is core's types held in signals here (core's types hold no signals). Every
//! action saves through [`crate::storage`] and records what happened in [`StorageStatus`], so a
//! full or read-only storage is shown to the teacher at once while the data stays in memory.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use lesenka_core::evidence::{EvidenceRecord, Journal};
use lesenka_core::lesson::Lesson;
use lesenka_core::roster::Class;

use crate::storage::{LoadNotes, Newer, SaveError, Settings, Store, read_journal};

/// The teacher's data, as loaded and changed in this tab.
#[derive(Clone, Copy)]
pub struct Data {
    /// The classes.
    pub classes: RwSignal<Vec<Class>>,
    /// The lessons.
    pub lessons: RwSignal<Vec<Lesson>>,
    /// Every evidence record: empty until [`Data::journal_ready`], then what storage held
    /// merged with what this tab recorded meanwhile.
    pub journal: RwSignal<Journal>,
    /// Whether the stored journal has been read into [`Data::journal`].
    pub journal_ready: RwSignal<bool>,
    /// The keys of the journal chunks this tab has read or written (never read again).
    pub known_chunks: StoredValue<BTreeSet<String>>,
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

/// Loads the classes, lessons and settings from storage, provides the contexts and starts
/// reading the journal (which arrives a moment later); returns the stored settings too.
pub fn provide_state() -> (Data, Status, Settings) {
    let store = Store::app();
    let loaded = store.load();
    let data = Data {
        classes: RwSignal::new(loaded.classes),
        lessons: RwSignal::new(loaded.lessons),
        journal: RwSignal::new(Journal::new()),
        journal_ready: RwSignal::new(false),
        known_chunks: StoredValue::new(BTreeSet::new()),
    };
    let status = Status(RwSignal::new(StorageStatus {
        read_only: loaded.notes.newer,
        quarantined: loaded.notes.quarantined,
        used: store.used_bytes(),
        ..StorageStatus::default()
    }));
    provide_context(data);
    provide_context(status);
    provide_context(Projector(RwSignal::new(false)));
    store.on_other_tab_change(move || spawn_local(data.reload_from_other_tab(status)));
    spawn_local(data.load_journal(status));
    (data, status, loaded.settings)
}

impl Data {
    /// Reads the stored chunks this tab has not seen yet and merges them into [`Data::journal`]
    /// (so records this tab made before they arrived stay), then marks the journal ready.
    /// Reading twice adds nothing: the journal is a union by record id.
    pub async fn load_journal(self, status: Status) {
        let known = self.known_chunks.get_value();
        let (stored, notes, keys) = read_journal(Store::app(), known).await;
        self.known_chunks.update_value(|known| known.extend(keys));
        self.journal.update(|journal| {
            journal.merge(&stored);
        });
        status.0.update(|s| note(s, notes));
        self.journal_ready.set(true);
    }

    /// Waits until the stored journal is in memory (reading it if it is not yet).
    pub async fn journal_loaded(self, status: Status) {
        if !self.journal_ready.get_untracked() {
            self.load_journal(status).await;
        }
    }

    /// Re-reads storage after another tab changed it, merging rather than replacing.
    async fn reload_from_other_tab(self, status: Status) {
        let store = Store::app();
        let loaded = store.load();
        merge_by_id(self.classes, loaded.classes, |c| c.id);
        merge_by_id(self.lessons, loaded.lessons, |l| l.id());
        status.0.update(|s| note(s, loaded.notes));
        self.load_journal(status).await;
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
        let result = Store::app().save_classes(&classes);
        self.after_save(status, result, self.classes, classes)
    }

    /// Adds a lesson and saves it.
    pub fn add_lesson(self, status: Status, lesson: Lesson) -> Result<(), SaveError> {
        guard(status)?;
        let mut lessons = self.lessons.get_untracked();
        lessons.push(lesson);
        let result = Store::app().save_lessons(&lessons);
        self.after_save(status, result, self.lessons, lessons)
    }

    fn after_save<T: Clone + Send + Sync + 'static>(
        self,
        status: Status,
        result: Result<Vec<T>, SaveError>,
        signal: RwSignal<Vec<T>>,
        mine: Vec<T>,
    ) -> Result<(), SaveError> {
        let outcome = match result {
            Ok(merged) => {
                signal.set(merged);
                Ok(())
            }
            Err(err) => {
                // Keep it in memory so an export still has it.
                signal.set(mine);
                Err(err)
            }
        };
        refresh(status, outcome.clone().err());
        outcome
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
        classes: Vec<Class>,
        lessons: Vec<Lesson>,
        new_records: Vec<EvidenceRecord>,
    ) -> Result<(), SaveError> {
        guard(status)?;
        let store = Store::app();
        let saved_classes = store.save_classes(&classes);
        self.classes.set(saved_classes.clone().unwrap_or(classes));
        let saved_lessons = store.save_lessons(&lessons);
        self.lessons.set(saved_lessons.clone().unwrap_or(lessons));
        let first_err = saved_classes.err().or(saved_lessons.err());
        let recorded = self.record(status, new_records);
        let outcome = match first_err {
            Some(err) => Err(err),
            None => recorded,
        };
        refresh(status, outcome.clone().err());
        outcome
    }
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

fn merge_by_id<T, K>(signal: RwSignal<Vec<T>>, theirs: Vec<T>, id: impl Fn(&T) -> K)
where
    T: Send + Sync + 'static,
    K: PartialEq,
{
    signal.update(|mine| {
        for item in theirs {
            if !mine.iter().any(|m| id(m) == id(&item)) {
                mine.push(item);
            }
        }
    });
}
