//! The buttons that download a class's gradebook and evidence as Excel (.xlsx) or CSV files
//! (the class page), or one lesson's evidence (the lesson page).

use leptos::prelude::*;
use leptos::task::spawn_local;
use lesenka_core::ids::{ClassId, LessonId};

use crate::errors;
use crate::i18n::*;
use crate::sheets::{Sheet, SheetError, SheetFormat, class_sheet};
use crate::state::{use_data, use_status};
use crate::transfer::download_bytes;

/// Four downloads of the class's tables (two of the lesson's evidence, with `lesson`); a
/// failure is said next to them.
#[component]
pub fn SheetButtons(
    /// The class.
    class: ClassId,
    /// Only this lesson's evidence.
    #[prop(optional)]
    lesson: Option<LessonId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let (error, set_error) = signal(None::<String>);
    let download = move |sheet: Sheet, format: SheetFormat| {
        set_error.set(None);
        spawn_local(async move {
            data.stored_loaded(status).await;
            let said = match class_sheet(data, class, lesson, sheet, format).await {
                Ok(file) => download_bytes(&file.name, file.mime, &file.bytes)
                    .err()
                    .map(|reason| t_string!(i18n, sheet_failed, reason).to_string()),
                Err(SheetError::NoClass) => Some(t_string!(i18n, class_not_found).to_string()),
                Err(SheetError::Gradebook(e)) => Some(errors::gradebook(i18n, &e)),
                Err(SheetError::Xlsx(reason)) => {
                    Some(t_string!(i18n, sheet_failed, reason).to_string())
                }
            };
            set_error.set(said);
        });
    };
    let button = move |sheet: Sheet, format: SheetFormat, id: &'static str| {
        let label = move || match (sheet, format) {
            (Sheet::Gradebook, SheetFormat::Xlsx) => t_string!(i18n, sheet_gradebook_xlsx),
            (Sheet::Gradebook, SheetFormat::Csv) => t_string!(i18n, sheet_gradebook_csv),
            (Sheet::Evidence, SheetFormat::Xlsx) => t_string!(i18n, sheet_evidence_xlsx),
            (Sheet::Evidence, SheetFormat::Csv) => t_string!(i18n, sheet_evidence_csv),
        };
        view! {
            <button class="btn" data-testid=id on:click=move |_| download(sheet, format)>
                {label}
            </button>
        }
    };
    view! {
        <div class="actions" data-testid="sheet-buttons">
            {lesson.is_none().then(|| button(Sheet::Gradebook, SheetFormat::Xlsx, "sheet-gradebook-xlsx"))}
            {lesson.is_none().then(|| button(Sheet::Gradebook, SheetFormat::Csv, "sheet-gradebook-csv"))}
            {button(Sheet::Evidence, SheetFormat::Xlsx, "sheet-evidence-xlsx")}
            {button(Sheet::Evidence, SheetFormat::Csv, "sheet-evidence-csv")}
        </div>
        <p class="muted">{t!(i18n, sheet_hint)}</p>
        {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="sheet-error">{e}</p> })}
    }
}
