//! What became of a closed technique's answers: «Сохранено: N записей» only when the storage
//! took them; otherwise why it did not and where the answers are (this tab's memory, and the
//! banner's export).

use leptos::prelude::*;

use crate::format;
use crate::i18n::*;
use crate::runs::Closed;
use crate::storage::SaveError;

/// The notice after a run was closed (nothing before).
#[component]
pub fn SaveOutcome(
    /// The last closed run's outcome, if any.
    #[prop(into)]
    outcome: Signal<Option<Closed>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        outcome.get().map(|closed| match closed {
            Closed::Saved(n) => view! {
                <p class="notice" role="status" data-testid="saved-notice">
                    {move || t_string!(i18n, saved_records, records = format::records(i18n, n)).to_string()}
                </p>
            }
            .into_any(),
            Closed::Kept { records, error } => view! {
                <p class="notice danger" role="alert" data-testid="save-failed">
                    {move || {
                        let records = format::records(i18n, records);
                        let why = match &error {
                            SaveError::QuotaExceeded => t_string!(i18n, save_failed_full, records).to_string(),
                            SaveError::ReadOnly => t_string!(i18n, save_failed_read_only, records).to_string(),
                            SaveError::Unavailable(reason) => {
                                let reason = reason.clone();
                                t_string!(i18n, save_failed_unavailable, records, reason).to_string()
                            }
                            SaveError::NotLoaded => t_string!(i18n, save_failed_not_loaded, records).to_string(),
                        };
                        format!("{why} {}", t_string!(i18n, save_failed_where))
                    }}
                </p>
            }
            .into_any(),
        })
    }
}
