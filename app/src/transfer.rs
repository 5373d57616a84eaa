//! Export and import of everything as one JSON file (core's backup format: every collection of
//! core's registry, the evidence, the marking policy, and — verbatim — whatever this build could
//! not read: values set aside as damaged and data a newer version wrote), and the browser
//! plumbing around it: a download link for the export, reading the chosen file for the import.
//!
//! An import opens the file through core, then runs core's plausibility check
//! ([`lesenka_core::persist::plausible`]) against the rules that will be in force; a file with
//! anything implausible is refused whole, before anything is saved. Refusals and conflicts are
//! kept as core's typed values; [`crate::messages`] words them in the user's language.

use leptos::lazy;
use leptos::prelude::*;
use lesenka_core::ids::{EvidenceId, LessonId};
use lesenka_core::persist::backup::{
    Backup, Collection, Collection as C, ImportConflict, ImportReport, export_backup, merge_backup,
};
use lesenka_core::persist::plausible::{self, Implausible};
use lesenka_core::persist::{self, Kind, LoadError};
use lesenka_core::text::Name;
use wasm_bindgen::JsCast;

use crate::state::{Data, Status};
use crate::storage::{SaveError, Store};

/// Why an import took nothing (or, for [`ImportError::Save`], not all it should have).
#[derive(Debug, Clone, PartialEq)]
pub enum ImportError {
    /// The chosen file could not be read as text.
    NotText,
    /// Core could not open the file.
    Load(LoadError),
    /// The file opens but holds what cannot be right; nothing was saved.
    Implausible(Vec<Implausible>),
    /// Saving what was new failed.
    Save(SaveError),
}

/// An item of the file that differs from the one already here (the one here was kept), named
/// by what the teacher knows it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// A class, by its name.
    Class(Name),
    /// A lesson, by topic and date.
    Lesson(Name, chrono::NaiveDate),
    /// An evidence record, by its lesson's date.
    Evidence(chrono::NaiveDate),
    /// A rubric.
    Rubric,
    /// A rubric assessment.
    Assessment,
    /// A gradebook mark.
    Mark,
    /// The marking policy.
    Policy,
    /// A community plan.
    Plan,
    /// A lesson's concept map.
    Map,
    /// A questionnaire run.
    Diagnostic,
    /// Something this build cannot name (its id).
    Other(String),
}

impl Conflict {
    /// The conflict as the teacher knows the item kept here.
    fn of(existing: &Backup, c: &ImportConflict) -> Self {
        // Core writes these ids from typed ids, so they parse; one that does not (or an item
        // gone since) is named by its id.
        let other = || Conflict::Other(c.id.clone());
        match c.collection {
            Collection::Classes => existing
                .classes
                .iter()
                .find(|k| k.id.to_string() == c.id)
                .map_or_else(other, |k| Conflict::Class(k.name.clone())),
            Collection::Lessons => {
                c.id.parse::<LessonId>()
                    .ok()
                    .and_then(|id| existing.lessons.iter().find(|l| l.id() == id))
                    .map_or_else(other, |l| Conflict::Lesson(l.topic().clone(), l.date()))
            }
            Collection::Evidence => {
                c.id.parse::<EvidenceId>()
                    .ok()
                    .and_then(|id| existing.evidence.get(id))
                    .map_or_else(other, |r| Conflict::Evidence(r.lesson_date()))
            }
            Collection::Rubrics => Conflict::Rubric,
            Collection::Assessments => Conflict::Assessment,
            Collection::Marks => Conflict::Mark,
            Collection::Policy => Conflict::Policy,
            Collection::Plans => Conflict::Plan,
            Collection::Maps => Conflict::Map,
            Collection::Diagnostics => Conflict::Diagnostic,
        }
    }
}

/// What an import added and skipped, for display.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Classes added.
    pub classes: usize,
    /// Lessons added.
    pub lessons: usize,
    /// Evidence records added.
    pub records: usize,
    /// Items already present, skipped.
    pub duplicates: usize,
    /// Rubrics added.
    pub rubrics: usize,
    /// Rubric assessments added.
    pub assessments: usize,
    /// Gradebook marks added.
    pub marks: usize,
    /// Rubrics, assessments, marks and the policy already present, skipped.
    pub marks_duplicates: usize,
    /// Items of the file that differ from the ones here (the ones here were kept).
    pub conflicts: Vec<Conflict>,
}

/// The whole of the tab's data, including records only kept in memory, and the stored values
/// this build cannot read, untouched (set aside, or a newer version's in read-only mode). Call
/// it once the stored journal, rubrics and marks are read ([`Data::stored_loaded`]).
pub fn current_backup(data: Data) -> Backup {
    Backup { set_aside: Store::app().set_aside(), ..crate::state::backup_of(data) }
}

/// The export file's name: «lesenka-2026-11-22.json».
pub fn export_file_name() -> String {
    format!("lesenka-{}.json", crate::clock::today())
}

/// The export file's text of everything in `data` (lazily loaded: writing a backup is rare).
#[lazy]
pub fn export_text(data: Data) -> String {
    export_backup(&current_backup(data))
}

/// Exports everything and offers it as a download.
pub async fn download_export(data: Data, status: Status) -> Result<(), String> {
    data.stored_loaded(status).await;
    let text = export_text(data).await;
    download(&export_file_name(), &text)
}

/// Offers `text` as a file download.
fn download(name: &str, text: &str) -> Result<(), String> {
    download_bytes(name, "application/json", text.as_bytes())
}

/// Offers `bytes` as a file download of type `mime`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    // The browser's exceptions here are programming errors, not the user's; they are shown as
    // the browser words them.
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = leptos::prelude::document();
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Freeing the link's memory early is an optimisation; the page frees it when it closes.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a chosen file as text.
pub async fn read_file(file: web_sys::File) -> Result<String, ImportError> {
    // The browser says only that the file could not be read; there is nothing more to show.
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| ImportError::NotText)?;
    text.as_string().ok_or(ImportError::NotText)
}

/// Opens an exported file and checks it is plausible against the rules that will be in force
/// after the import; pure, so nothing is saved when it refuses.
pub fn open_checked(existing: &Backup, text: &str) -> Result<Backup, ImportError> {
    let incoming: Backup = persist::open(Kind::Backup, text).map_err(ImportError::Load)?.value;
    let problems = plausible::check_import(existing, &incoming);
    if problems.is_empty() { Ok(incoming) } else { Err(ImportError::Implausible(problems)) }
}

/// The change handler of a backup's file input (the data page's, the ПОС page's for members'
/// bundles): the chosen file read and imported, its outcome given to `done`; the input emptied,
/// so the same file can be chosen again.
pub fn import_chosen_file(
    data: Data,
    status: Status,
    done: WriteSignal<Option<Result<ImportSummary, ImportError>>>,
) -> impl Fn(leptos::ev::Event) + Copy {
    move |ev: leptos::ev::Event| {
        // The change event comes from the file input itself.
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let result = match read_file(file).await {
                Ok(text) => import(data, status, &text).await,
                Err(e) => Err(e),
            };
            done.set(Some(result));
        });
    }
}

/// Merges an exported file into the data (idempotent: what is already there is skipped) and
/// saves what is new. A file that does not open or holds anything implausible changes nothing.
pub async fn import(data: Data, status: Status, text: &str) -> Result<ImportSummary, ImportError> {
    data.stored_loaded(status).await;
    let existing = current_backup(data);
    let incoming = open_checked(&existing, text)?;
    let report: ImportReport = merge_backup(&existing, &incoming);
    let conflicts: Vec<Conflict> =
        report.conflicts.iter().map(|c| Conflict::of(&existing, c)).collect();
    let new_records: Vec<_> =
        data.journal.with_untracked(|j| report.new_records(j).cloned().collect());
    let (added, skipped) = (report.added, report.duplicates);
    let marking = [C::Rubrics, C::Assessments, C::Marks, C::Policy];
    let summary = ImportSummary {
        classes: added.get(C::Classes),
        lessons: added.get(C::Lessons),
        records: added.get(C::Evidence),
        duplicates: skipped.total() - marking.iter().map(|c| skipped.get(*c)).sum::<usize>(),
        rubrics: added.get(C::Rubrics),
        assessments: added.get(C::Assessments),
        marks: added.get(C::Marks),
        marks_duplicates: marking.iter().map(|c| skipped.get(*c)).sum(),
        conflicts,
    };
    data.apply_import(status, report.merged, new_records).map_err(ImportError::Save)?;
    Ok(summary)
}
