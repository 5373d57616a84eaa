//! The technique runs in progress in this tab: core's [`LiveRun`]s, kept in one context made by
//! the shell and keyed by lesson and target, outside the pages that show them.
//!
//! A page may render its run's component again (another tab saved the lesson or the class, the
//! teacher went to another page and came back); the answers stay, because they live here, not in
//! the component. Closing a run is the one way its answers reach the journal: core builds the
//! records ([`LiveRun::close`]) and [`keep`] records them and says whether storage took them.

use std::collections::BTreeMap;

use leptos::prelude::*;
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::ids::{EvidenceId, LessonId};
use lesenka_core::live::{LiveError, LiveRun, On};

use crate::clock;
use crate::state::{Data, Status};
use crate::storage::SaveError;

/// Which run: the lesson, and the criterion (or the whole lesson) it is about.
pub type RunKey = (LessonId, On);

/// The runs in progress, as context.
#[derive(Clone, Copy)]
pub struct Runs(RwSignal<BTreeMap<RunKey, LiveRun>>);

/// What became of the answers of a closed run.
#[derive(Debug, Clone, PartialEq)]
pub enum Closed {
    /// Stored: this many records.
    Saved(usize),
    /// Refused by the storage: the records are in this tab's memory (the journal, and the
    /// banner's export) but not stored.
    Kept {
        /// How many records.
        records: usize,
        /// Why the storage refused them.
        error: SaveError,
    },
}

/// Provides the runs context (empty); the shell calls it once.
pub fn provide_runs() -> Runs {
    let runs = Runs(RwSignal::new(BTreeMap::new()));
    provide_context(runs);
    runs
}

/// The runs context.
pub fn use_runs() -> Runs {
    expect_context::<Runs>()
}

impl Runs {
    /// Starts a run, unless one with its key is in progress (that one is kept, answers and all).
    /// Returns the key.
    pub fn start(self, run: LiveRun) -> RunKey {
        let key = (run.lesson(), run.on());
        if !self.0.with_untracked(|runs| runs.contains_key(&key)) {
            self.0.update(|runs| {
                runs.insert(key, run);
            });
        }
        key
    }

    /// The run in progress for a lesson, if any (tracked).
    pub fn running(self, lesson: LessonId) -> Option<RunKey> {
        self.0.with(|runs| runs.keys().find(|(l, _)| *l == lesson).copied())
    }

    /// Reads a run (tracked); `None` when it is not in progress.
    pub fn with<R>(self, key: RunKey, f: impl FnOnce(&LiveRun) -> R) -> Option<R> {
        self.0.with(|runs| runs.get(&key).map(f))
    }

    /// Changes a run; `None` when it is not in progress.
    pub fn update<R>(self, key: RunKey, f: impl FnOnce(&mut LiveRun) -> R) -> Option<R> {
        self.0.try_update(|runs| runs.get_mut(&key).map(f)).flatten()
    }

    /// Drops a run without keeping its answers.
    pub fn discard(self, key: RunKey) {
        self.0.update(|runs| {
            runs.remove(&key);
        });
    }

    /// Closes a run: core builds its records, which are recorded ([`keep`]); the run ends once
    /// they are in the journal. A run not in progress has nothing to keep.
    pub fn close(self, data: Data, status: Status, key: RunKey) -> Result<Closed, LiveError> {
        let records = self.with_untracked(key, close_now).transpose()?.unwrap_or_default();
        self.discard(key);
        Ok(keep(data, status, records))
    }

    /// Reads a run without tracking it.
    pub fn with_untracked<R>(self, key: RunKey, f: impl FnOnce(&LiveRun) -> R) -> Option<R> {
        self.0.with_untracked(|runs| runs.get(&key).map(f))
    }
}

/// A run's records, with ids and the time from [`clock`].
pub fn close_now(run: &LiveRun) -> Result<Vec<EvidenceRecord>, LiveError> {
    run.close(|| EvidenceId::from_uuid(clock::new_uuid()), clock::now())
}

/// Records a closed run's records and says whether the storage took them. They are in the
/// journal either way (and the banner offers an export of what is only in memory).
pub fn keep(data: Data, status: Status, records: Vec<EvidenceRecord>) -> Closed {
    let count = records.len();
    if count == 0 {
        return Closed::Saved(0);
    }
    match data.record(status, records) {
        Ok(()) => Closed::Saved(count),
        Err(error) => Closed::Kept { records: count, error },
    }
}
