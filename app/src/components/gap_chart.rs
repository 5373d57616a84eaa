//! A small SVG chart of the self − teacher gap lesson by lesson (core's
//! `CalibrationReport::series`): the signed mean and the mean without sign, around a zero line.

use leptos::prelude::*;
use lesenka_core::calibration::LessonGap;

use crate::format;
use crate::i18n::*;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const PAD: f64 = 24.0;

/// The points' gaps as two lines; each point's date and figure are in its `<title>`.
#[component]
pub fn GapChart(
    /// The lessons' gaps, in lesson order.
    points: Vec<LessonGap>,
    /// The `data-testid` of the `<svg>`.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = points.len();
    let top = points.iter().map(|p| p.mean_gap.abs().max(p.mean_abs_gap)).fold(1.0_f64, f64::max);
    let mid = HEIGHT / 2.0;
    let scale = (mid - PAD) / top;
    let x = move |i: usize| {
        if n < 2 { WIDTH / 2.0 } else { PAD + (WIDTH - 2.0 * PAD) * i as f64 / (n - 1) as f64 }
    };
    let y = move |v: f64| mid - v * scale;
    let line = |value: fn(&LessonGap) -> f64| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{},{}", x(i).round(), y(value(p)).round()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let signed = line(|p| p.mean_gap);
    let abs = line(|p| p.mean_abs_gap);
    let dots = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (date, gap) = (p.date, p.mean_gap);
            view! {
                <circle style="fill:var(--accent)" cx=x(i).round() cy=y(gap).round() r="5">
                    <title>
                        {move || {
                            let date = format::date(i18n, date);
                            let gap = format::hundredths(i18n, gap, true);
                            t_string!(i18n, calib_chart_point, date, gap).to_string()
                        }}
                    </title>
                </circle>
            }
        })
        .collect_view();
    let title = move || t_string!(i18n, calib_chart_title).to_string();
    view! {
        <figure style="margin:1rem 0 0;max-width:640px">
            <svg
                data-testid=testid
                data-points=n
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=title
            >
                <title>{title}</title>
                <line style="stroke:var(--line);stroke-width:2" x1="0" x2=WIDTH y1=mid y2=mid />
                <polyline style="fill:none;stroke:var(--muted);stroke-width:3;stroke-dasharray:6 4" points=abs />
                <polyline style="fill:none;stroke:var(--accent);stroke-width:3" points=signed />
                {dots}
            </svg>
            <figcaption class="muted">
                {title} ": "
                <span style="color:var(--accent)">{t!(i18n, calib_chart_signed)}</span>
                " · "
                <span style="color:var(--muted)">{t!(i18n, calib_chart_abs)}</span>
            </figcaption>
        </figure>
    }
}
