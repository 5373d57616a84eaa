//! Students × criteria of a class with core's calibration figures: each cell the mean
//! self − teacher gap and the share of exact agreement, each row the student's own figures.
//! Teacher's screen only: the page does not draw it in projector mode.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use lesenka_core::calibration::{CalibrationReport, Summary};
use lesenka_core::ids::{CriterionId, StudentId};
use lesenka_core::roster::Class;

use crate::components::criteria_grid::CriteriaGrid;
use crate::format;
use crate::i18n::*;

/// The class's students in roster order against `criteria`, from core's `report`.
#[component]
pub fn CalibrationTable(
    /// The class.
    class: Class,
    /// The criteria as (id, wording), in column order.
    criteria: Vec<(CriterionId, String)>,
    /// Core's report over the class's evidence.
    report: CalibrationReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let cells: HashMap<(StudentId, CriterionId), Summary> =
        report.cells(class.id).into_iter().map(|c| ((c.student, c.criterion), c.summary)).collect();
    let none = move || t_string!(i18n, calib_no_value).to_string();
    let cell = move |sid: StudentId, cid: CriterionId| {
        let testid = format!("calib-cell-{sid}-{cid}");
        match cells.get(&(sid, cid)).copied() {
            Some(c) => view! {
                <td data-testid=testid>
                    <b>{move || format::hundredths(i18n, c.mean_gap, true)}</b>
                    <br />
                    <small class="muted">{move || format::share(i18n, c.exact_share)}</small>
                </td>
            }
            .into_any(),
            None => view! { <td data-testid=testid class="muted">{none}</td> }.into_any(),
        }
    };
    let students = report.students;
    let row_tail = move |sid: StudentId| {
        let own = students.get(&sid).copied();
        let figure = move |f: fn(I18nContext<Locale>, Summary) -> String| {
            move || own.map_or_else(none, |s| f(i18n, s))
        };
        view! {
            <td data-testid=format!("calib-row-gap-{sid}")>
                {figure(|i, s| format::hundredths(i, s.mean_gap, true))}
            </td>
            <td data-testid=format!("calib-row-exact-{sid}")>{figure(|i, s| format::share(i, s.exact_share))}</td>
            <td data-testid=format!("calib-row-slope-{sid}")>
                {figure(|i, s| format::gap_slope(i, s.trend.slope))}
            </td>
        }
        .into_any()
    };
    let tail_heads = view! {
        <th scope="col">{t!(i18n, calib_mean_gap)}</th>
        <th scope="col">{t!(i18n, calib_exact)}</th>
        <th scope="col">{t!(i18n, calib_slope)}</th>
    }
    .into_any();
    view! {
        <CriteriaGrid
            class
            criteria
            testid="calibration-table"
            caption=view! { {t!(i18n, calib_table_caption)} }.into_any()
            tail_heads
            cell
            row_tail
        />
    }
}
