//! A class's students (rows, in roster order) against criteria (columns) as an accessible table:
//! a caption, column and row headers, each row's header a link to the student's page. The views
//! that show a figure per student and criterion (calibration, mastery) draw their cells in it.

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::ids::{CriterionId, StudentId};
use lesenka_core::roster::Class;

use crate::i18n::*;

/// The grid; `cell` draws the `<td>` of a student and a criterion, `row_tail` the `<td>`s after
/// the criteria (under `tail_heads`).
#[component]
pub fn CriteriaGrid(
    /// The class.
    class: Class,
    /// The criteria as (id, wording), in column order.
    criteria: Vec<(CriterionId, String)>,
    /// The table's `data-testid`; each row's is `{testid}-row`.
    testid: &'static str,
    /// The caption's content.
    caption: AnyView,
    /// The `<th scope="col">`s after the criteria.
    tail_heads: AnyView,
    /// The cell of a student and a criterion.
    cell: impl Fn(StudentId, CriterionId) -> AnyView + 'static,
    /// The cells after the criteria in a student's row.
    row_tail: impl Fn(StudentId) -> AnyView + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let class_id = class.id;
    let heads = criteria
        .iter()
        .map(|(_, text)| view! { <th scope="col">{text.clone()}</th> })
        .collect_view();
    let rows = class
        .students()
        .to_vec()
        .into_iter()
        .map(|s| {
            let sid = s.id;
            let tds = criteria.iter().map(|(cid, _)| cell(sid, *cid)).collect_view();
            view! {
                <tr data-testid=format!("{testid}-row")>
                    <th scope="row">
                        <A href=format!("/classes/{class_id}/students/{sid}")>{s.display_name.to_string()}</A>
                    </th>
                    {tds}
                    {row_tail(sid)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div style="overflow-x:auto">
            <table class="evidence" data-testid=testid>
                <caption style="text-align:left;padding-bottom:.4rem" class="muted">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, calib_student)}</th>
                        {heads}
                        {tail_heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
