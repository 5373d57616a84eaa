//! The school's policy in one glance above the gradebook: the work types' weights and the
//! term-mark thresholds.

use leptos::prelude::*;
use lesenka_core::marks::MarkingPolicy;

use crate::format;
use crate::i18n::*;

/// «Веса: …» and «Отметка за период: …» of the policy in force.
#[component]
pub fn PolicySummary(
    /// The policy in force.
    #[prop(into)]
    policy: Signal<MarkingPolicy>,
) -> impl IntoView {
    let i18n = use_i18n();
    let weights = move || {
        let weights = policy.with(|p| {
            p.work_types()
                .iter()
                .map(|w| format!("{} — {}", w.name, format::number(i18n, w.weight.value())))
                .collect::<Vec<_>>()
                .join("; ")
        });
        t_string!(i18n, gradebook_weights, weights).to_string()
    };
    let rule = move || {
        let rule = policy.with(|p| {
            p.term_rule()
                .thresholds()
                .iter()
                .map(|t| format!("≥ {} → {}", format::number(i18n, t.at_least), t.mark))
                .collect::<Vec<_>>()
                .join(", ")
        });
        t_string!(i18n, gradebook_rule, rule).to_string()
    };
    view! {
        <p class="muted" data-testid="policy-weights">{weights}</p>
        <p class="muted" data-testid="policy-rule">{rule}</p>
    }
}
