//! Students × criteria of a class with core's mastery roll-up (`roll_up_evidence`, lesson-date
//! order) by the chosen method. Teacher's screen only: the page does not draw it in projector
//! mode.

use leptos::prelude::*;
use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::ids::{CriterionId, StudentId};
use lesenka_core::mastery::{Method, roll_up_evidence};
use lesenka_core::roster::Class;

use crate::components::criteria_grid::CriteriaGrid;
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
    let cell = move |sid: StudentId, cid: CriterionId| {
        // Ladder steps are not scored: a lesson does not keep its ladder's size.
        let m = roll_up_evidence(&method, &records, sid, cid, &sources, |_| None);
        let value = move || match m.value {
            Some(v) => format::share(i18n, v),
            None if m.scored > 0 => t_string!(i18n, mastery_no_result).to_string(),
            None => t_string!(i18n, calib_no_value).to_string(),
        };
        view! {
            <td data-testid=format!("mastery-cell-{sid}-{cid}") class:muted=m.value.is_none()>
                <b>{value}</b>
                <br />
                <small class="muted">{move || format::scores(i18n, m.scored)}</small>
            </td>
        }
        .into_any()
    };
    let caption = view! {
        {t!(i18n, mastery_caption)}
        " · "
        <span data-testid="mastery-method-used">{move || format::mastery_method(i18n, &method)}</span>
    }
    .into_any();
    view! {
        <CriteriaGrid
            class
            criteria
            testid="mastery-table"
            caption
            tail_heads=().into_any()
            cell
            row_tail=|_| ().into_any()
        />
    }
}
