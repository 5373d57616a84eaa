//! The school's marking policy, editable: each work type's weight, the term-mark thresholds and
//! the rounding applied before comparing. Core validates the result ([`MarkingPolicy::new`]).

use leptos::prelude::*;
use lesenka_core::marks::MarkingPolicy;
use lesenka_core::marks::average::{Rounding, TermRule, Threshold, Weight, WorkType};

use crate::i18n::*;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// The policy as typed: weights per work type, thresholds per mark, the rounding choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PolicyForm {
    weights: Vec<String>,
    thresholds: Vec<String>,
    rounding: String,
}

fn form_of(i18n: leptos_i18n::I18nContext<Locale>, policy: &MarkingPolicy) -> PolicyForm {
    PolicyForm {
        weights: policy
            .work_types()
            .iter()
            .map(|w| format::number(i18n, w.weight.value()))
            .collect(),
        thresholds: policy
            .term_rule()
            .thresholds()
            .iter()
            .map(|t| format::number(i18n, t.at_least))
            .collect(),
        rounding: match policy.term_rule().rounding() {
            Rounding::Exact => String::from("exact"),
            Rounding::HalfUp { places } => places.to_string(),
        },
    }
}

/// Weights, thresholds and rounding of the school's policy, saved for every class.
#[component]
pub fn PolicyEditor() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let form = RwSignal::new(PolicyForm::default());
    let (note, set_note) = signal(None::<Result<String, String>>);
    Effect::new(move |_| {
        let policy = data.policy();
        form.set(form_of(i18n, &policy));
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = data.policy.get_untracked().unwrap_or_else(crate::state::default_policy);
        let typed = form.get_untracked();
        let fail = |text: String| set_note.set(Some(Err(text)));
        let mut work_types = Vec::new();
        for (w, text) in current.work_types().iter().zip(&typed.weights) {
            match format::parse_number(text).map(Weight::new) {
                Some(Ok(weight)) => work_types.push(WorkType { weight, ..w.clone() }),
                _ => {
                    fail(t_string!(i18n, policy_weight_bad, name = w.name.to_string()).to_string());
                    return;
                }
            }
        }
        let mut thresholds = Vec::new();
        for (t, text) in current.term_rule().thresholds().iter().zip(&typed.thresholds) {
            let Some(at_least) = format::parse_number(text) else {
                fail(t_string!(i18n, policy_threshold_bad, mark = t.mark.to_string()).to_string());
                return;
            };
            thresholds.push(Threshold { at_least, mark: t.mark.clone() });
        }
        let rounding = match typed.rounding.parse::<u8>() {
            Ok(places) => Rounding::HalfUp { places },
            Err(_) => Rounding::Exact,
        };
        let below = current.term_rule().below().clone();
        let rule = match TermRule::new(thresholds, below, rounding) {
            Ok(rule) => rule,
            Err(err) => {
                fail(
                    t_string!(i18n, policy_refused, reason = errors::average(i18n, &err))
                        .to_string(),
                );
                return;
            }
        };
        let policy = MarkingPolicy::new(
            current.scale().clone(),
            work_types,
            rule,
            current.tables().to_vec(),
        );
        let policy = match policy {
            Ok(p) => p,
            Err(err) => {
                fail(
                    t_string!(i18n, policy_refused, reason = errors::policy(i18n, &err))
                        .to_string(),
                );
                return;
            }
        };
        match data.save_policy(status, policy) {
            Ok(()) => set_note.set(Some(Ok(t_string!(i18n, policy_saved).to_string()))),
            Err(err) => fail(format::save_failed(i18n, &err)),
        }
    };

    view! {
        <form class="form" on:submit=save>
            <p class="muted">{t!(i18n, policy_hint)}</p>
            {move || {
                let policy = data.policy();
                let typed = form.get();
                view! {
                    <div class="form-row">
                        {policy
                            .work_types()
                            .iter()
                            .zip(typed.weights)
                            .enumerate()
                            .map(|(k, (w, value))| {
                                let name = w.name.to_string();
                                view! {
                                <label>
                                    <span>{move || t_string!(i18n, policy_weight, name = name.clone()).to_string()}</span>
                                    <input
                                        type="text"
                                        inputmode="decimal"
                                        data-testid=format!("policy-weight-{k}")
                                        prop:value=value
                                        on:input=move |ev| form.update_untracked(|f| {
                                            if let Some(slot) = f.weights.get_mut(k) {
                                                *slot = event_target_value(&ev);
                                            }
                                        })
                                    />
                                </label>
                            }})
                            .collect_view()}
                    </div>
                    <div class="form-row">
                        {policy
                            .term_rule()
                            .thresholds()
                            .iter()
                            .zip(typed.thresholds)
                            .enumerate()
                            .map(|(k, (t, value))| {
                                let mark = t.mark.to_string();
                                view! {
                                <label>
                                    <span>{move || t_string!(i18n, policy_threshold, mark = mark.clone()).to_string()}</span>
                                    <input
                                        type="text"
                                        inputmode="decimal"
                                        data-testid=format!("policy-threshold-{k}")
                                        prop:value=value
                                        on:input=move |ev| form.update_untracked(|f| {
                                            if let Some(slot) = f.thresholds.get_mut(k) {
                                                *slot = event_target_value(&ev);
                                            }
                                        })
                                    />
                                </label>
                            }})
                            .collect_view()}
                        <label>
                            <span>{t!(i18n, policy_rounding)}</span>
                            <select
                                data-testid="policy-rounding"
                                on:change=move |ev| form.update_untracked(|f| f.rounding = event_target_value(&ev))
                            >
                                <option value="exact" selected=typed.rounding == "exact">{t!(i18n, policy_rounding_exact)}</option>
                                <option value="1" selected=typed.rounding == "1">{t!(i18n, policy_rounding_1)}</option>
                                <option value="2" selected=typed.rounding == "2">{t!(i18n, policy_rounding_2)}</option>
                            </select>
                        </label>
                    </div>
                }
            }}
            <div class="actions">
                <button type="submit" class="btn" data-testid="save-policy">{t!(i18n, policy_save)}</button>
            </div>
            {move || note.get().map(|n| match n {
                Ok(text) => view! { <p class="notice" role="status" data-testid="policy-note">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert" data-testid="policy-note">{text}</p> }.into_any(),
            })}
        </form>
    }
}
