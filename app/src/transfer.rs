//! Export and import of everything as one JSON file (core's backup format: every collection of
//! core's registry, the evidence, the marking policy, and — verbatim — whatever this build could
//! not read: values set aside as damaged and data a newer version wrote), and the browser
//! plumbing around it: a download link for the export, reading the chosen file for the import.

use leptos::lazy;
use leptos::prelude::*;
use lesenka_core::persist::backup::{
    Backup, Collection as C, ImportReport, export_backup, import_backup,
};
use wasm_bindgen::JsCast;

use crate::state::{Data, Status};
use crate::storage::Store;

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
    /// Problems core listed.
    pub problems: Vec<String>,
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
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = leptos::prelude::document();
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a chosen file as text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text =
        wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(|e| format!("{e:?}"))?;
    text.as_string().ok_or_else(|| "the file is not text".to_owned())
}

/// Merges an exported file into the data (idempotent: what is already there is skipped) and
/// saves what is new.
pub async fn import(data: Data, status: Status, text: &str) -> Result<ImportSummary, String> {
    data.stored_loaded(status).await;
    let existing = current_backup(data);
    let report: ImportReport = import_backup(&existing, text).map_err(|e| e.to_string())?;
    let problems = report.problems.clone();
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
        problems,
    };
    data.apply_import(status, report.merged, new_records).map_err(|e| e.to_string())?;
    Ok(summary)
}
