//! Saving an edited community plan: core validates the draft, the data's `save_item` stores
//! it; a refusal comes back worded. Neighbours: the `community_*` components that edit a plan.

use lesenka_core::plan::{Plan, PlanDraft};

use crate::errors;
use crate::format;
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::state::{Data, Status};

/// Validates `draft` through core and saves it in place of the plan with its id.
pub fn save_plan(
    i18n: I18nContext<Locale>,
    data: Data,
    status: Status,
    draft: PlanDraft,
) -> Result<(), String> {
    let plan = Plan::new(draft).map_err(|e| errors::plan(i18n, &e))?;
    data.save_item(status, plan).map_err(|e| format::save_failed(i18n, &e))
}
