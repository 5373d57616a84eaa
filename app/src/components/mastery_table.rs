//! Students × criteria of a class with core's mastery roll-up (`roll_up_evidence`, lesson-date
//! order) by the chosen method. Teacher's screen only: the page does not draw it in projector
//! mode.

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::ids::CriterionId;
use lesenka_core::mastery::{Method, roll_up_evidence};
use lesenka_core::roster::Class;

use crate::format;
use crate::i18n::*;

/// One cell per student and criterion: the rolled-up score as a percentage and how many scores
/// went into it.
#[component]
pub fn MasteryTable(
    /// The class.
    class: Class,
    /// The criteria as (id, wording), in column order.
    criteria: Vec<(CriterionId, String)>,
    /// The class's evidence.
    records: Vec<EvidenceRecord>,
    /// The roll-up method.
    method: Method,
    /// Whose evidence counts.
    sources: Vec<Source>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heads = criteria
        .iter()
        .map(|(_, text)| view! { <th scope="col">{text.clone()}</th> })
        .collect_view();
    let class_id = class.id;
    let rows = class
        .students()
        .to_vec()
        .into_iter()
        .map(|s| {
            let sid = s.id;
            let href = format!("/classes/{class_id}/students/{sid}");
            let tds = criteria
                .iter()
                .map(|(cid, _)| {
                    // Ladder steps are not scored: a lesson does not keep its ladder's size.
                    let m = roll_up_evidence(&method, &records, sid, *cid, &sources, |_| None);
                    let testid = format!("mastery-cell-{sid}-{cid}");
                    let value = move || match m.value {
                        Some(v) => format::share(i18n, v),
                        None if m.scored > 0 => t_string!(i18n, mastery_no_result).to_string(),
                        None => t_string!(i18n, calib_no_value).to_string(),
                    };
                    view! {
                        <td data-testid=testid class:muted=m.value.is_none()>
                            <b>{value}</b>
                            <br />
                            <small class="muted">{move || format::scores(i18n, m.scored)}</small>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="mastery-row">
                    <th scope="row"><A href=href>{s.display_name.to_string()}</A></th>
                    {tds}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="evidence mastery" data-testid="mastery-table">
                <caption>
                    {t!(i18n, mastery_caption)} " · "
                    <span data-testid="mastery-method-used">{move || format::mastery_method(i18n, &method)}</span>
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, calib_student)}</th>
                        {heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
