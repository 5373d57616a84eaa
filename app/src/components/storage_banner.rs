//! The banner that tells the teacher about storage trouble at once.

use leptos::prelude::*;

use crate::components::export_button::ExportButton;
use crate::format::{self, mebibytes, percent};
use crate::i18n::*;
use crate::state::use_status;
use crate::storage::{BUDGET_BYTES, SaveError, URGE_PERCENT, WARN_PERCENT};

/// Read-only data, set-aside values, a full storage, and use above 60 % / 80 % of the budget.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let i18n = use_i18n();
    let status = use_status().0;
    let share = move || status.with(|s| percent(s.used, BUDGET_BYTES));
    let unsaved = move || status.with(|s| s.unsaved.len());
    let read_only = move || status.with(|s| s.read_only.is_some());
    // Records kept in memory because the storage is full (in read-only mode the read-only banner
    // says where they are).
    let full = move || {
        status.with(|s| s.last_error == Some(SaveError::QuotaExceeded))
            || (unsaved() > 0 && !read_only())
    };
    view! {
        <div class="banners" aria-live="polite">
            <Show when=read_only>
                <div class="banner danger" role="alert" data-testid="banner-read-only">
                    {move || {
                        let (found, supported) = status
                            .with(|s| s.read_only.map(|n| (n.found, n.supported)).unwrap_or_default());
                        t_string!(i18n, storage_read_only, found, supported).to_string()
                    }}
                    <Show when=move || { unsaved() > 0 }>
                        <span data-testid="read-only-unsaved">
                            " "
                            {move || {
                                let records = format::records(i18n, unsaved());
                                t_string!(i18n, storage_read_only_unsaved, records).to_string()
                            }}
                        </span>
                        <ExportButton />
                    </Show>
                </div>
            </Show>
            <Show when=move || status.with(|s| !s.quarantined.is_empty())>
                <div class="banner warn" role="alert" data-testid="banner-quarantine">
                    {move || {
                        let keys = status.with(|s| s.quarantined.join(", "));
                        t_string!(i18n, storage_quarantined, keys).to_string()
                    }}
                </div>
            </Show>
            <Show when=full>
                <div class="banner danger" role="alert" data-testid="banner-quota">
                    <span>
                        {move || {
                            let count = unsaved();
                            if count == 0 {
                                // A rubric, mark or class save failed: no evidence is pending.
                                return t_string!(i18n, storage_full_changes).to_string();
                            }
                            let records = format::records(i18n, count);
                            t_string!(i18n, storage_full, records).to_string()
                        }}
                    </span>
                    <ExportButton />
                </div>
            </Show>
            <Show when={move || !full() && share() >= URGE_PERCENT}>
                <div class="banner danger" role="alert" data-testid="banner-urge">
                    <span>{t!(i18n, storage_urge)}</span>
                    <ExportButton />
                </div>
            </Show>
            <Show when={move || !full() && share() >= WARN_PERCENT && share() < URGE_PERCENT}>
                <div class="banner warn" data-testid="banner-warn">
                    {t!(i18n, storage_warn)}
                    " "
                    {move || mebibytes(i18n, status.with(|s| s.used))}
                </div>
            </Show>
            <Show when=move || {
                status.with(|s| matches!(s.last_error, Some(SaveError::Unavailable(_))))
            }>
                <div class="banner danger" role="alert" data-testid="banner-error">
                    {move || {
                        let reason = status.with(|s| {
                            s.last_error.as_ref().map(|e| format::save_error(i18n, e)).unwrap_or_default()
                        });
                        t_string!(i18n, storage_failed, reason).to_string()
                    }}
                </div>
            </Show>
            <Show when=move || status.with(|s| !s.conflicts.is_empty())>
                <div class="banner warn" role="alert" data-testid="banner-conflicts">
                    {move || {
                        let items = status.with(|s| {
                            s.conflicts.iter().map(|c| format::conflict(i18n, c)).collect::<Vec<_>>()
                        });
                        let items = items.join(", ");
                        t_string!(i18n, storage_conflicts, items).to_string()
                    }}
                </div>
            </Show>
            <Show when=move || status.with(|s| s.evidence_conflicts > 0)>
                <div class="banner warn" role="alert" data-testid="banner-evidence-conflicts">
                    {move || {
                        let records = format::records(i18n, status.with(|s| s.evidence_conflicts));
                        t_string!(i18n, storage_evidence_conflicts, records).to_string()
                    }}
                </div>
            </Show>
            <Show when=move || status.with(|s| s.other_tab)>
                <div class="banner info" data-testid="banner-other-tab">
                    {t!(i18n, storage_other_tab)}
                </div>
            </Show>
        </div>
    }
}
