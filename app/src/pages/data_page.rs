//! Data and storage: use against the budget, backup export and import, persistent storage,
//! set-aside values.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::community_send::CommunitySend;
use crate::components::export_button::ExportButton;
use crate::format::{self, mebibytes, percent as percent_of};
use crate::i18n::*;
use crate::messages;
use crate::state::{Restored, use_data, use_status};
use crate::storage::{
    BUDGET_BYTES, SaveError, Store, URGE_PERCENT, WARN_PERCENT, request_persistence,
};
use crate::transfer::{ImportError, ImportSummary, import_chosen_file};

/// What the storage holds and what can be done with it.
#[component]
pub fn DataPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let (persisted, set_persisted) = signal(None::<Option<bool>>);
    let (imported, set_imported) = signal(None::<Result<ImportSummary, ImportError>>);
    let quarantined = move || {
        status.0.track();
        Store::app().quarantined()
    };
    let percent = move || status.0.with(|s| percent_of(s.used, BUDGET_BYTES));
    let (restored, set_restored) = signal(None::<Result<Restored, SaveError>>);
    let restore = Callback::new(move |key: String| {
        set_restored.set(None);
        spawn_local(async move {
            data.stored_loaded(status).await;
            set_restored.set(Some(data.restore_aside(status, &key)));
        });
    });

    let ask = move |_| {
        spawn_local(async move {
            set_persisted.set(Some(request_persistence().await));
        });
    };
    let on_file = import_chosen_file(data, status, set_imported);
    view! {
        <section class="card">
            <h1>{t!(i18n, storage_title)}</h1>
            <div class="meter" data-testid="storage-meter">
                <div
                    class=move || {
                        let p = percent();
                        if p >= URGE_PERCENT { "meter-fill danger" } else if p >= WARN_PERCENT { "meter-fill warn" } else { "meter-fill" }
                    }
                    style=move || format!("width: {}%", percent().min(100))
                ></div>
            </div>
            <p data-testid="storage-use">
                {move || {
                    let used = mebibytes(i18n, status.0.with(|s| s.used));
                    let budget = mebibytes(i18n, BUDGET_BYTES);
                    let percent = percent();
                    t_string!(i18n, storage_use, used, budget, percent).to_string()
                }}
            </p>
        </section>
        <section class="card">
            <h2>{t!(i18n, export_button)}</h2>
            <p class="muted">{t!(i18n, export_hint)}</p>
            <ExportButton />
            <h2 id="import-heading">{t!(i18n, import_label)}</h2>
            <input
                type="file"
                accept="application/json,.json"
                aria-labelledby="import-heading"
                data-testid="import-file"
                on:change=on_file
            />
            {move || imported.get().map(|result| match result {
                Ok(s) => {
                    let conflicts = s.conflicts.clone();
                    view! {
                        <div class="notice" role="status" data-testid="import-result">
                            <p>
                                {t_string!(
                                    i18n,
                                    import_result,
                                    classes = s.classes,
                                    lessons = s.lessons,
                                    records = s.records,
                                    duplicates = s.duplicates
                                ).to_string()}
                            </p>
                            <p data-testid="import-result-marks">
                                {t_string!(
                                    i18n,
                                    import_result_marks,
                                    rubrics = s.rubrics,
                                    assessments = s.assessments,
                                    marks = s.marks,
                                    duplicates = s.marks_duplicates
                                ).to_string()}
                            </p>
                            <Show when={let empty = conflicts.is_empty(); move || !empty}>
                                <h3>{t!(i18n, import_problems)}</h3>
                            </Show>
                            <ul data-testid="import-problems">
                                {move || conflicts.iter().map(|c| view! { <li>{messages::conflict(i18n, c)}</li> }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
                Err(ImportError::Implausible(problems)) => view! {
                    <div class="error" role="alert" data-testid="import-error">
                        <p>{move || messages::implausible_heading(i18n)}</p>
                        <ul data-testid="import-implausible">
                            {move || problems.iter().map(|p| view! { <li>{messages::implausible(i18n, p)}</li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
                Err(e) => view! {
                    <p class="error" role="alert" data-testid="import-error">
                        {move || {
                            let reason = messages::import_error(i18n, &e);
                            t_string!(i18n, import_failed, reason).to_string()
                        }}
                    </p>
                }.into_any(),
            })}
        </section>
        <CommunitySend />
        <section class="card">
            <button class="btn" data-testid="persist-ask" on:click=ask>{t!(i18n, persist_ask)}</button>
            <p data-testid="persist-answer">
                {move || persisted.get().map(|answer| match answer {
                    Some(true) => t_string!(i18n, persist_granted).to_string(),
                    Some(false) => t_string!(i18n, persist_denied).to_string(),
                    None => t_string!(i18n, persist_unavailable).to_string(),
                })}
            </p>
        </section>
        <section class="card">
            <h2>{t!(i18n, storage_quarantine_list)}</h2>
            <p class="muted">{t!(i18n, quarantine_in_export)}</p>
            <ul data-testid="quarantine-list">
                {move || {
                    let keys = quarantined();
                    if keys.is_empty() {
                        view! { <li class="muted">{t!(i18n, storage_quarantine_none)}</li> }.into_any()
                    } else {
                        keys.into_iter().map(|k| view! { <SetAsideEntry key=k on_restore=restore /> }).collect_view().into_any()
                    }
                }}
            </ul>
            {move || restored.get().map(|outcome| {
                let text = match outcome {
                    Ok(Restored::All) => t_string!(i18n, quarantine_restored_all).to_string(),
                    Ok(Restored::Part) => t_string!(i18n, quarantine_restored_part).to_string(),
                    Ok(Restored::Nothing) => t_string!(i18n, quarantine_restored_nothing).to_string(),
                    Err(err) => format::save_error(i18n, &err),
                };
                view! { <p role="status" data-testid="quarantine-restore-result">{text}</p> }
            })}
        </section>
    }
}

/// One set-aside value: its key, and a button that asks to take it back into the data.
#[component]
fn SetAsideEntry(key: String, #[prop(into)] on_restore: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let restore = {
        let key = key.clone();
        move |_| on_restore.run(key.clone())
    };
    view! {
        <li data-testid="quarantined-key">
            <code>{key}</code>
            " "
            <button class="btn" data-testid="quarantine-restore" on:click=restore>
                {t!(i18n, quarantine_restore)}
            </button>
        </li>
    }
}
