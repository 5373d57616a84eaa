//! The app's only door to the browser's localStorage.
//!
//! Every value is written as core's versioned envelope ([`persist::seal`]) and read back through
//! [`persist::open`]. The evidence journal is never rewritten: each save writes one new chunk under
//! its own key and then adds that key to an index that is re-read just before the write, so two
//! tabs appending at once never overwrite each other's records (loading also picks up any chunk
//! whose index entry was lost). Loading never panics and never deletes: a value that cannot be read
//! is moved aside under a quarantine key, and data written by a newer format version is reported so
//! the app opens read-only. A stored list is read item by item (core's [`open_items`]): a damaged
//! item is copied aside on its own and every other item loads. Every list is saved as the merge
//! core's [`Replica`] gives of what the tab holds with what is stored at that moment, so an edit
//! another tab saved meanwhile is kept unless this save changes the same item (and then the
//! clash is reported). A full storage (`QuotaExceededError`) is reported as
//! [`SaveError::QuotaExceeded`] and nothing already stored is touched. What this build cannot
//! read (set aside, or written by a newer version) is kept verbatim and handed to the export
//! ([`Store::set_aside`]).
//!
//! The storage in use is counted over every key once, then kept up to date by this tab's own
//! writes (each knows the length it replaces); another tab's change or a full storage makes it
//! count again.
//!
//! What the first screen needs (classes, lessons, settings) is read at start, in one typed pass
//! when it is of the current version ([`Store::load_current`]); the journal
//! ([`Store::load_journal_except`]), the other collections ([`Store::read_list`]) and the policy
//! ([`Store::load_policy`]) are read a
//! moment later by lazily loaded code (see `state.rs`).

use std::cell::Cell;
use std::collections::BTreeSet;

use gloo_storage::{LocalStorage, Storage as _};
use leptos::lazy;
use lesenka_core::dataset::{Item, Merged, Replica, open_items};
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::lesson::Lesson;
use lesenka_core::marks::MarkingPolicy;
use lesenka_core::persist::backup::{SetAside, SetAsideReason};
use lesenka_core::persist::compact::{
    decode_chunk, encode_chunk, from_storage_text, to_storage_text,
};
use lesenka_core::persist::merge::merge3_one;
use lesenka_core::persist::{self, Kind, LoadError};
use lesenka_core::roster::Class;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// The storage budget the app plans for: 5 MiB, what browsers give an origin's localStorage.
pub const BUDGET_BYTES: u64 = 5 * 1024 * 1024;
/// From this percentage of the budget on, the app warns.
pub const WARN_PERCENT: u64 = 60;
/// From this percentage on, the app urges an export.
pub const URGE_PERCENT: u64 = 80;

/// The app's own key prefix.
pub const APP_PREFIX: &str = "lesenka.";

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The browser's storage is full (`QuotaExceededError`); the data stays in memory.
    QuotaExceeded,
    /// The stored data is of a newer version: the app is read-only.
    ReadOnly,
    /// localStorage is missing or refused (private mode, disabled storage).
    Unavailable(String),
    /// The stored rubrics and marks are still being read; saving now would overwrite them.
    NotLoaded,
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::QuotaExceeded => f.write_str("QuotaExceededError"),
            Self::ReadOnly => f.write_str("read-only"),
            Self::Unavailable(reason) => f.write_str(reason),
            Self::NotLoaded => f.write_str("the stored data is still being read"),
        }
    }
}

/// The user's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The interface language ("ru" or "en"); none means the default (Russian).
    #[serde(default)]
    pub lang: Option<String>,
}

/// The journal's index: the keys of its chunks, in the order they were written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct JournalIndex {
    chunks: Vec<String>,
}

/// A data version newer than this app knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newer {
    /// The version found.
    pub found: u32,
    /// The newest this app reads.
    pub supported: u32,
}

/// What loading found, besides the data itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadNotes {
    /// Keys whose values were moved aside (the quarantine keys they now live under).
    pub quarantined: Vec<String>,
    /// Set when some value was written by a newer version.
    pub newer: Option<Newer>,
}

impl LoadNotes {
    /// Adds what another read noted.
    pub fn merge(&mut self, other: LoadNotes) {
        self.quarantined.extend(other.quarantined);
        if self.newer.is_none() {
            self.newer = other.newer;
        }
    }
}

/// What the first screen needs, as loaded: classes, lessons and settings.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The classes.
    pub classes: Vec<Class>,
    /// The lessons.
    pub lessons: Vec<Lesson>,
    /// The settings.
    pub settings: Settings,
    /// What was set aside or found newer.
    pub notes: LoadNotes,
}

/// The marking policy, as loaded (read after the first screen by lazily loaded code in
/// `state.rs`, with every collection the first screen does not need).
#[derive(Debug, Clone, Default)]
pub struct StoredPolicy {
    /// The school's marking policy, if one was saved.
    pub policy: Option<MarkingPolicy>,
    /// What was set aside or found newer.
    pub notes: LoadNotes,
}

/// One namespace of localStorage (the app uses [`APP_PREFIX`]; the benchmark its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Store {
    prefix: &'static str,
}

impl Default for Store {
    fn default() -> Self {
        Self::app()
    }
}

/// The origin's localStorage, checked first so a browser without one (or with it disabled) gives
/// an error instead of gloo's panic.
fn raw() -> Result<web_sys::Storage, SaveError> {
    match web_sys::window().map(|w| w.local_storage()) {
        Some(Ok(Some(_))) => Ok(LocalStorage::raw()),
        Some(Err(err)) => Err(classify(&err)),
        _ => Err(SaveError::Unavailable("localStorage is not available".into())),
    }
}

thread_local! {
    /// The bytes in use as last counted, kept up to date by this tab's writes; `None` until
    /// counted, and again once another tab or a failed write may have changed them.
    static USED: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The storage's own `getItem`, to call with a JavaScript string key: its value's length is then
/// read on the JavaScript side, without copying the string into wasm.
fn get_item(storage: &web_sys::Storage) -> Option<js_sys::Function> {
    js_sys::Reflect::get(storage, &"getItem".into()).ok()?.dyn_into().ok()
}

/// Bytes `key` takes with its value (0 when absent).
fn stored_bytes(storage: &web_sys::Storage, key: &str) -> u64 {
    get_item(storage).map_or(0, |f| bytes_of(storage, &f, key))
}

/// [`stored_bytes`] with `getItem` at hand.
fn bytes_of(storage: &web_sys::Storage, get_item: &js_sys::Function, key: &str) -> u64 {
    let key = js_sys::JsString::from(key);
    match get_item.call1(storage, &key).ok().filter(|v| v.is_string()) {
        Some(v) => 2 * u64::from(key.length() + v.unchecked_into::<js_sys::JsString>().length()),
        None => 0,
    }
}

/// The length of `text` in UTF-16 code units, as localStorage counts it.
fn utf16_len(text: &str) -> u64 {
    text.encode_utf16().count() as u64
}

/// The JavaScript error's `name` (`QuotaExceededError`, `SecurityError`…).
fn js_error_name(err: &wasm_bindgen::JsValue) -> String {
    if let Some(dom) = err.dyn_ref::<web_sys::DomException>() {
        return dom.name();
    }
    js_sys::Reflect::get(err, &"name".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

fn classify(err: &wasm_bindgen::JsValue) -> SaveError {
    let name = js_error_name(err);
    if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
        SaveError::QuotaExceeded
    } else {
        SaveError::Unavailable(if name.is_empty() { "storage error".into() } else { name })
    }
}

fn open_value<T: DeserializeOwned>(kind: Kind, text: &str) -> Result<T, LoadError> {
    persist::open::<T>(kind, text).map(|opened| opened.value)
}

/// The result of reading one key.
enum Slot<T> {
    Missing,
    Found(T),
    Newer(Newer),
    SetAside(String),
}

impl Store {
    /// The app's own data.
    pub const fn app() -> Self {
        Self { prefix: APP_PREFIX }
    }

    /// A separate namespace (for the benchmark, so it never touches the teacher's data).
    pub const fn scratch(prefix: &'static str) -> Self {
        Self { prefix }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn list_key<T: Item>(&self) -> String {
        self.key(T::NAME)
    }
    fn policy_key(&self) -> String {
        self.key("policy")
    }
    fn settings_key(&self) -> String {
        self.key("settings")
    }
    fn index_key(&self) -> String {
        self.key("journal.index")
    }
    fn chunk_prefix(&self) -> String {
        self.key("journal.chunk.")
    }
    fn quarantine_prefix(&self) -> String {
        self.key("quarantine.")
    }

    fn get(&self, key: &str) -> Option<String> {
        raw().ok()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), SaveError> {
        let storage = raw()?;
        let before = USED.get().map(|_| stored_bytes(&storage, key));
        match storage.set_item(key, value) {
            Ok(()) => {
                if let (Some(used), Some(before)) = (USED.get(), before) {
                    let after = 2 * (utf16_len(key) + utf16_len(value));
                    USED.set(Some((used + after).saturating_sub(before)));
                }
                Ok(())
            }
            Err(err) => {
                // Full, or failing in a way that may have changed it: count again when asked.
                USED.set(None);
                Err(classify(&err))
            }
        }
    }

    /// Removes a key, keeping the count of bytes in use.
    fn remove(&self, storage: &web_sys::Storage, key: &str) {
        let before = stored_bytes(storage, key);
        if storage.remove_item(key).is_ok()
            && let Some(used) = USED.get()
        {
            USED.set(Some(used.saturating_sub(before)));
        }
    }

    /// Every key of the origin's localStorage.
    fn all_keys(&self) -> Vec<String> {
        let Ok(storage) = raw() else { return Vec::new() };
        let len = storage.length().unwrap_or(0);
        (0..len).filter_map(|i| storage.key(i).ok().flatten()).collect()
    }

    /// Moves a value aside under a quarantine key; the original key is cleared only once the
    /// copy is written, so nothing is ever lost.
    fn quarantine(&self, key: &str, value: &str) -> Option<String> {
        let aside = self.copy_aside(key, value)?;
        if let Ok(storage) = raw() {
            self.remove(&storage, key);
        }
        Some(aside)
    }

    /// Copies a value (or one item of a list: `key` is then `list#index`) under a new quarantine
    /// key; `None` when it could not be written (the storage is full).
    fn copy_aside(&self, key: &str, value: &str) -> Option<String> {
        let aside = format!("{}{}.{}", self.quarantine_prefix(), key, js_sys::Date::now() as u64);
        self.set(&aside, value).ok()?;
        Some(aside)
    }

    /// A stored list, read item by item: damaged items are copied aside (and then left out of
    /// the stored list), every readable item is returned. Data of a newer version is refused
    /// with its version; a value that is not a list envelope at all is moved aside whole.
    fn read_items<T: Item>(&self, notes: &mut LoadNotes) -> Result<Vec<T>, Newer> {
        let key = self.list_key::<T>();
        let Some(text) = self.get(&key) else { return Ok(Vec::new()) };
        match open_items::<T>(&text) {
            Ok(read) if read.damaged.is_empty() => Ok(read.items),
            Ok(read) => {
                let mut all_copied = true;
                for item in &read.damaged {
                    match self.copy_aside(&format!("{key}#{}", item.index), &item.text) {
                        Some(aside) => notes.quarantined.push(aside),
                        None => all_copied = false,
                    }
                }
                if !all_copied {
                    // Not every damaged item could be copied (storage full): the stored list
                    // stays exactly as it is, so nothing is lost; it is reported under its key.
                    notes.quarantined.push(key);
                } else if let Err(err) = self.set(&key, &persist::seal(T::KIND, &read.items)) {
                    // The copies hold the damaged items; the list keeps them too until it can
                    // be written, and they are set aside again next time (nothing is lost).
                    leptos::logging::warn!(
                        "{key}: the readable items could not be rewritten: {err}"
                    );
                }
                Ok(read.items)
            }
            Err(LoadError::NewerVersion { found, supported }) => Err(Newer { found, supported }),
            Err(_) => {
                notes.quarantined.push(self.quarantine(&key, &text).unwrap_or(key));
                Ok(Vec::new())
            }
        }
    }

    /// A stored list as [`Store::read_items`] reads it (after another tab's change, or lazily after
    /// the first screen); a newer version is noted, not read.
    pub fn read_list<T: Item>(&self, notes: &mut LoadNotes) -> Vec<T> {
        self.read_items(notes).unwrap_or_else(|newer| {
            notes.newer.get_or_insert(newer);
            Vec::new()
        })
    }

    fn read<T: DeserializeOwned>(&self, kind: Kind, key: &str) -> Slot<T> {
        let Some(text) = self.get(key) else { return Slot::Missing };
        match open_value::<T>(kind, &text) {
            Ok(value) => Slot::Found(value),
            Err(LoadError::NewerVersion { found, supported }) => {
                Slot::Newer(Newer { found, supported })
            }
            Err(_) => match self.quarantine(key, &text) {
                Some(aside) => Slot::SetAside(aside),
                // Could not copy it aside (storage full): leave it where it is, untouched.
                None => Slot::SetAside(key.to_owned()),
            },
        }
    }

    fn read_into<T: DeserializeOwned + Default>(
        &self,
        kind: Kind,
        key: &str,
        notes: &mut LoadNotes,
    ) -> T {
        match self.read::<T>(kind, key) {
            Slot::Missing => T::default(),
            Slot::Found(value) => value,
            Slot::Newer(newer) => {
                notes.newer.get_or_insert(newer);
                T::default()
            }
            Slot::SetAside(aside) => {
                notes.quarantined.push(aside);
                T::default()
            }
        }
    }

    /// The fast path of [`Store::load`]: each value read in one typed pass when it is of the
    /// current format version, as it nearly always is. `None` when any value needs the full
    /// path (an older version to migrate, damage to set aside, a newer version); then
    /// [`load_first`] runs [`Store::load`] from a lazily loaded chunk.
    pub fn load_current(&self) -> Option<Loaded> {
        Some(Loaded {
            classes: self.read_current(Class::KIND, &self.list_key::<Class>())?,
            lessons: self.read_current(Lesson::KIND, &self.list_key::<Lesson>())?,
            settings: self.read_current(Kind::Settings, &self.settings_key())?,
            notes: LoadNotes::default(),
        })
    }

    fn read_current<T: DeserializeOwned + Default>(&self, kind: Kind, key: &str) -> Option<T> {
        match self.get(key) {
            None => Some(T::default()),
            Some(text) => persist::open_current(kind, &text).map(|opened| opened.value),
        }
    }

    /// Loads the classes, lessons and settings (the journal and the marks are read apart). Never
    /// panics and never deletes.
    pub fn load(&self) -> Loaded {
        let mut notes = LoadNotes::default();
        let classes = self.read_list(&mut notes);
        let lessons = self.read_list(&mut notes);
        let settings = self.read_into::<Settings>(Kind::Settings, &self.settings_key(), &mut notes);
        Loaded { classes, lessons, settings, notes }
    }

    /// Loads the marking policy. Never panics and never deletes.
    pub fn load_policy(&self) -> StoredPolicy {
        let mut notes = LoadNotes::default();
        let policy = self.read_into::<Option<MarkingPolicy>>(
            Kind::Gradebook,
            &self.policy_key(),
            &mut notes,
        );
        StoredPolicy { policy, notes }
    }

    /// The keys of the journal's chunks: those in the index, then any chunk key the index lacks.
    fn chunk_keys(&self, notes: &mut LoadNotes) -> Vec<String> {
        let index: JournalIndex = self.read_into(Kind::Settings, &self.index_key(), notes);
        let mut seen: BTreeSet<String> = index.chunks.iter().cloned().collect();
        let mut keys = index.chunks;
        let prefix = self.chunk_prefix();
        let mut orphans: Vec<String> = self
            .all_keys()
            .into_iter()
            .filter(|k| k.starts_with(&prefix) && !seen.contains(k))
            .collect();
        orphans.sort();
        for key in orphans {
            seen.insert(key.clone());
            keys.push(key);
        }
        keys
    }

    /// Reads every chunk of the journal.
    pub fn load_journal(&self) -> (Vec<EvidenceRecord>, LoadNotes) {
        let read = self.load_journal_except(&BTreeSet::new());
        (read.records, read.notes)
    }

    /// Reads the chunks of the journal whose keys are not in `known` (those this tab has read
    /// or written already), so another tab's append costs one chunk, not the whole year.
    pub fn load_journal_except(&self, known: &BTreeSet<String>) -> JournalRead {
        let mut read = JournalRead::default();
        for key in self.chunk_keys(&mut read.notes) {
            if known.contains(&key) {
                continue;
            }
            let Some(text) = self.get(&key) else { continue };
            let decoded = open_value::<String>(Kind::JournalChunk, &text).map_err(|e| match e {
                LoadError::NewerVersion { found, supported } => Some(Newer { found, supported }),
                _ => None,
            });
            match decoded {
                Ok(dense) => {
                    match from_storage_text(&dense).ok().and_then(|b| decode_chunk(&b).ok()) {
                        Some(chunk) => {
                            read.records.extend(chunk);
                            read.keys.push(key);
                        }
                        None => {
                            if let Some(aside) = self.quarantine(&key, &text) {
                                read.notes.quarantined.push(aside);
                            }
                        }
                    }
                }
                Err(Some(newer)) => {
                    read.notes.newer.get_or_insert(newer);
                }
                Err(None) => {
                    if let Some(aside) = self.quarantine(&key, &text) {
                        read.notes.quarantined.push(aside);
                    }
                }
            }
        }
        read
    }

    /// Appends records to the journal as one new chunk, without rewriting any earlier chunk;
    /// returns the chunk's key (`None` when there was nothing to append).
    pub fn append_records(&self, records: &[EvidenceRecord]) -> Result<Option<String>, SaveError> {
        if records.is_empty() {
            return Ok(None);
        }
        let dense = to_storage_text(&encode_chunk(records));
        let sealed = persist::seal(Kind::JournalChunk, &dense);
        let key = format!("{}{}", self.chunk_prefix(), crate::clock::new_uuid().simple());
        self.set(&key, &sealed)?;
        // Re-read the index right before writing it, so another tab's new chunks stay listed.
        let mut notes = LoadNotes::default();
        let mut index: JournalIndex = self.read_into(Kind::Settings, &self.index_key(), &mut notes);
        if notes.newer.is_some() {
            return Err(SaveError::ReadOnly);
        }
        index.chunks.push(key.clone());
        // If the index cannot be written the chunk is still found on load (orphan scan).
        let _ = self.set(&self.index_key(), &persist::seal(Kind::Settings, &index));
        Ok(Some(key))
    }

    /// Saves a list: the [`Replica::merge`] of `mine` with what is stored now, so another tab's
    /// saves meanwhile are kept (and items both changed come back as conflicts). Returns what
    /// was written; never writes over a newer version's data.
    pub fn save_list<T: Item>(
        &self,
        replica: &Replica,
        mine: &[T],
    ) -> Result<Merged<T>, SaveError> {
        let mut notes = LoadNotes::default();
        let theirs: Vec<T> = self.read_items(&mut notes).map_err(|_| SaveError::ReadOnly)?;
        let merged = replica.merge(mine, &theirs);
        self.set(&self.list_key::<T>(), &persist::seal(T::KIND, &merged.items))?;
        Ok(merged)
    }

    /// Everything this build cannot read, verbatim, for the export: the values set aside
    /// (damaged) and the values a newer version wrote (kept read-only).
    pub fn set_aside(&self) -> Vec<SetAside> {
        let quarantine = self.quarantine_prefix();
        let mut out: Vec<SetAside> = Vec::new();
        for key in self.all_keys().into_iter().filter(|k| k.starts_with(self.prefix)) {
            let Some(text) = self.get(&key) else { continue };
            let reason = if key.starts_with(&quarantine) {
                SetAsideReason::Damaged
            } else if persist::peek(&text).is_ok_and(|h| h.version > persist::FORMAT_VERSION) {
                SetAsideReason::Newer
            } else {
                continue;
            };
            out.push(SetAside { key, reason, text });
        }
        out.sort();
        out
    }

    /// Keeps set-aside values that came with an import on this device, under quarantine keys
    /// (never over live data); a value already kept is not written twice. Returns how many
    /// were written.
    pub fn keep_aside(&self, values: &[SetAside]) -> Result<usize, SaveError> {
        let existing = self.set_aside();
        let mut written = 0;
        for value in values {
            if existing.iter().any(|e| e.text == value.text) {
                continue;
            }
            let key = if value.key.starts_with(&self.quarantine_prefix()) {
                value.key.clone()
            } else {
                format!("{}{}.{}", self.quarantine_prefix(), value.key, js_sys::Date::now() as u64)
            };
            if self.get(&key).is_none() {
                self.set(&key, &value.text)?;
                written += 1;
            }
        }
        Ok(written)
    }

    /// The value of a quarantine key and the stored list it came from (its [`Item::NAME`]),
    /// with the item's position when it was one item of the list.
    pub fn quarantined_value(&self, aside: &str) -> Option<(String, String, Option<usize>)> {
        let text = self.get(aside)?;
        let origin = aside.strip_prefix(&self.quarantine_prefix())?;
        // `<origin key>[#<index>].<time>`: the time is the last dot-separated part.
        let (origin, _) = origin.rsplit_once('.')?;
        let (origin, index) = match origin.split_once('#') {
            Some((key, index)) => (key, index.parse().ok()),
            None => (origin, None),
        };
        let name = origin.strip_prefix(self.prefix)?.to_owned();
        Some((text, name, index))
    }

    /// Removes a quarantine key (after its content was restored and saved).
    pub fn forget_aside(&self, aside: &str) -> Result<(), SaveError> {
        if !aside.starts_with(&self.quarantine_prefix()) {
            return Err(SaveError::Unavailable(format!("{aside} is not a set-aside value")));
        }
        let storage = raw()?;
        self.remove(&storage, aside);
        Ok(())
    }

    /// Saves the school's marking policy (never over a newer version's; an unchanged `mine`
    /// never over another tab's). Returns what was written.
    pub fn save_policy(
        &self,
        base: Option<&MarkingPolicy>,
        mine: &MarkingPolicy,
    ) -> Result<Option<MarkingPolicy>, SaveError> {
        let key = self.policy_key();
        let theirs: Option<MarkingPolicy> = self.read_theirs(Kind::Gradebook, &key)?;
        let merged = merge3_one(base, Some(mine), theirs.as_ref());
        self.set(&key, &persist::seal(Kind::Gradebook, &merged))?;
        Ok(merged)
    }

    /// What is stored under `key` right before a save merges into it: empty when missing or set
    /// aside, refused when a newer version wrote it (never overwritten).
    fn read_theirs<T: DeserializeOwned + Default>(
        &self,
        kind: Kind,
        key: &str,
    ) -> Result<T, SaveError> {
        match self.read::<T>(kind, key) {
            Slot::Found(stored) => Ok(stored),
            Slot::Newer(_) => Err(SaveError::ReadOnly),
            Slot::Missing | Slot::SetAside(_) => Ok(T::default()),
        }
    }

    /// Saves the settings.
    pub fn save_settings(&self, settings: &Settings) -> Result<(), SaveError> {
        self.set(&self.settings_key(), &persist::seal(Kind::Settings, settings))
    }

    /// The quarantine keys currently stored.
    pub fn quarantined(&self) -> Vec<String> {
        let prefix = self.quarantine_prefix();
        let mut keys: Vec<String> =
            self.all_keys().into_iter().filter(|k| k.starts_with(&prefix)).collect();
        keys.sort();
        keys
    }

    /// Bytes the origin's localStorage holds (UTF-16: two bytes per code unit, keys included):
    /// counted over every key the first time (see [`Store::count_used_bytes`]), then kept up to
    /// date by this tab's writes.
    pub fn used_bytes(&self) -> u64 {
        if let Some(used) = USED.get() {
            return used;
        }
        let used = self.count_used_bytes();
        USED.set(Some(used));
        used
    }

    /// Counts the bytes in use over every key. The lengths are read on the JavaScript side: no
    /// stored value is copied into wasm.
    pub fn count_used_bytes(&self) -> u64 {
        let Ok(storage) = raw() else { return 0 };
        let Some(get_item) = get_item(&storage) else { return 0 };
        let len = storage.length().unwrap_or(0);
        (0..len)
            .filter_map(|i| storage.key(i).ok().flatten())
            .map(|key| bytes_of(&storage, &get_item, &key))
            .sum()
    }

    /// Removes every key of this store's namespace (the benchmark's scratch space only).
    pub fn clear_namespace(&self) {
        let Ok(storage) = raw() else { return };
        for key in self.all_keys().into_iter().filter(|k| k.starts_with(self.prefix)) {
            self.remove(&storage, &key);
        }
    }

    /// Calls `on_change` whenever another tab changes a key of this store.
    pub fn on_other_tab_change(&self, on_change: impl Fn() + 'static) {
        let prefix = self.prefix;
        let closure =
            Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
                // Whatever the key, the bytes in use changed under this tab.
                USED.set(None);
                if ev.key().is_none_or(|k| k.starts_with(prefix)) {
                    on_change();
                }
            });
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("storage", closure.as_ref().unchecked_ref());
        }
        // The listener lives as long as the page.
        closure.forget();
    }
}

/// One answer of a tablet waiting for the server's ack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// The device's sequence number (a resend carries the same one).
    pub seq: i64,
    /// The answer.
    pub response: lesenka_core::technique::Response,
}

/// A tablet's place in a live session on a school server (`server.rs`): the participant token,
/// the next sequence number and the answers not yet acknowledged. Kept here, so a reload or a
/// second tab resumes with the same token and numbering, and an answer sent before a reload is
/// resent under its own seq (acknowledged once, never counted twice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveTablet {
    /// The join code.
    pub code: String,
    /// The session.
    pub session: uuid::Uuid,
    /// The participant token.
    pub token: String,
    /// The technique answered.
    pub technique: lesenka_core::technique::Technique,
    /// The next sequence number.
    pub next_seq: i64,
    /// The answers not yet acknowledged, in seq order.
    pub queue: Vec<Queued>,
    /// The last acknowledged answer.
    pub acked: Option<lesenka_core::technique::Response>,
}

/// A live session this teacher's device opened and has not closed: enough to show its
/// projector again after a reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveTeacher {
    /// The session.
    pub session: uuid::Uuid,
    /// The join code.
    pub code: String,
    /// The teacher's key for the projector's socket.
    pub key: String,
    /// The lesson it runs in.
    pub lesson: lesenka_core::ids::LessonId,
    /// What it runs on.
    pub on: lesenka_core::live::On,
    /// The technique.
    pub technique: lesenka_core::technique::Technique,
    /// Anonymous: the tablets pick no name, the session gives counts only (no records).
    #[serde(default)]
    pub anonymous: bool,
}

impl Store {
    fn live_tablet_key(&self) -> String {
        self.key("live.tablet")
    }
    fn live_teacher_key(&self) -> String {
        self.key("live.teacher")
    }

    /// A device value under `key` (sealed as the app's settings); none when missing or not
    /// readable (a device's live state is remade by joining again, never worth a quarantine).
    fn device_value<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let text = self.get(key)?;
        open_value::<T>(Kind::Settings, &text).ok()
    }

    fn set_device_value<T: Serialize>(
        &self,
        key: &str,
        value: Option<&T>,
    ) -> Result<(), SaveError> {
        match value {
            Some(v) => self.set(key, &persist::seal(Kind::Settings, v)),
            None => {
                let storage = raw()?;
                self.remove(&storage, key);
                Ok(())
            }
        }
    }

    /// The tablet's live session, if it joined one.
    pub fn live_tablet(&self) -> Option<LiveTablet> {
        self.device_value(&self.live_tablet_key())
    }

    /// Stores (or, with `None`, forgets) the tablet's live session.
    pub fn save_live_tablet(&self, tablet: Option<&LiveTablet>) -> Result<(), SaveError> {
        self.set_device_value(&self.live_tablet_key(), tablet)
    }

    /// Queues an answer under the next sequence number, read from storage just before, so
    /// another tab's answers keep their own numbers. Returns the seq.
    pub fn queue_live_answer(
        &self,
        response: lesenka_core::technique::Response,
    ) -> Result<i64, SaveError> {
        let mut tablet = self
            .live_tablet()
            .ok_or_else(|| SaveError::Unavailable("no live session joined".into()))?;
        let seq = tablet.next_seq.max(1);
        tablet.next_seq = seq + 1;
        tablet.queue.push(Queued { seq, response });
        self.save_live_tablet(Some(&tablet))?;
        Ok(seq)
    }

    /// Takes an acknowledged answer out of the queue (an ack of a seq no longer queued, from a
    /// resend, changes nothing).
    pub fn ack_live_answer(&self, seq: i64) -> Result<(), SaveError> {
        let Some(mut tablet) = self.live_tablet() else { return Ok(()) };
        let Some(at) = tablet.queue.iter().position(|q| q.seq == seq) else { return Ok(()) };
        let done = tablet.queue.remove(at);
        if tablet.queue.iter().all(|q| q.seq < seq) || tablet.queue.is_empty() {
            tablet.acked = Some(done.response);
        }
        self.save_live_tablet(Some(&tablet))
    }

    /// Gives a queued answer the next sequence number: the server holds another answer under its
    /// seq (another tab numbered at the same moment). It goes to the end of the queue, as the
    /// latest answer. Returns the new seq.
    pub fn renumber_live_answer(&self, seq: i64) -> Result<Option<i64>, SaveError> {
        let Some(mut tablet) = self.live_tablet() else { return Ok(None) };
        let Some(at) = tablet.queue.iter().position(|q| q.seq == seq) else { return Ok(None) };
        let mut answer = tablet.queue.remove(at);
        answer.seq = tablet.next_seq.max(seq + 1);
        tablet.next_seq = answer.seq + 1;
        let renumbered = answer.seq;
        tablet.queue.push(answer);
        self.save_live_tablet(Some(&tablet))?;
        Ok(Some(renumbered))
    }

    /// Drops an answer the server refused for good.
    pub fn drop_live_answer(&self, seq: i64) -> Result<(), SaveError> {
        let Some(mut tablet) = self.live_tablet() else { return Ok(()) };
        tablet.queue.retain(|q| q.seq != seq);
        self.save_live_tablet(Some(&tablet))
    }

    /// The live session this teacher's device has open, if any.
    pub fn live_teacher(&self) -> Option<LiveTeacher> {
        self.device_value(&self.live_teacher_key())
    }

    /// Stores (or, with `None`, forgets) the teacher's open live session.
    pub fn save_live_teacher(&self, live: Option<&LiveTeacher>) -> Result<(), SaveError> {
        self.set_device_value(&self.live_teacher_key(), live)
    }
}

/// Loads what the first screen needs: by [`Store::load_current`] when it can, else by the full
/// [`Store::load`], whose JSON-tree, migration and quarantine code is then fetched as a chunk.
pub async fn load_first(store: Store) -> Loaded {
    match store.load_current() {
        Some(loaded) => loaded,
        None => load_in_full(store).await,
    }
}

/// [`Store::load`], lazily loaded.
#[lazy]
pub fn load_in_full(store: Store) -> Loaded {
    store.load()
}

/// What a read of the journal found.
#[derive(Debug, Clone, Default)]
pub struct JournalRead {
    /// The records of the chunks read (duplicates possible; the journal drops them).
    pub records: Vec<EvidenceRecord>,
    /// What was set aside or found newer.
    pub notes: LoadNotes,
    /// The keys of the chunks read.
    pub keys: Vec<String>,
}

/// Asks the browser to keep this origin's data (`navigator.storage.persist()`).
/// `None` when the browser has no such API.
pub async fn request_persistence() -> Option<bool> {
    let navigator = web_sys::window()?.navigator();
    let manager = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    if manager.is_undefined() {
        return None;
    }
    let manager: web_sys::StorageManager = manager.unchecked_into();
    let promise = manager.persist().ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    answer.as_bool()
}
