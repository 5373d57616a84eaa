//! An SVG bar chart of anonymous counts (what a projector shows).

use leptos::prelude::*;

/// One bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// A stable key for tests and styling (`green`, `yellow`, `red`…).
    pub key: String,
    /// The label under the bar.
    pub label: String,
    /// The count.
    pub count: u32,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 360.0;
const TOP: f64 = 48.0;
const BOTTOM: f64 = 56.0;

/// Bars of counts with the count above each bar and its label below; no names anywhere.
#[component]
pub fn BarChart(
    /// The bars, in display order.
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
    /// The chart's accessible title.
    #[prop(into)]
    title: Signal<String>,
) -> impl IntoView {
    let max = move || bars.with(|b| b.iter().map(|b| b.count).max().unwrap_or(0)).max(1);
    view! {
        <svg
            class="bar-chart"
            data-testid="bar-chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-label=move || title.get()
        >
            <title>{move || title.get()}</title>
            <line class="axis" x1="0" x2=WIDTH y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
            {move || {
                let list = bars.get();
                let n = list.len().max(1) as f64;
                let slot = WIDTH / n;
                let bar_w = slot * 0.6;
                let plot_h = HEIGHT - TOP - BOTTOM;
                let max = max() as f64;
                list.into_iter()
                    .enumerate()
                    .map(|(i, bar)| {
                        let h = plot_h * f64::from(bar.count) / max;
                        let x = slot * i as f64 + (slot - bar_w) / 2.0;
                        let y = HEIGHT - BOTTOM - h;
                        let cx = x + bar_w / 2.0;
                        view! {
                            <g class=format!("bar bar-{}", bar.key) data-testid=format!("bar-{}", bar.key)>
                                <rect x=x y=y width=bar_w height=h rx="6" />
                                <text
                                    class="bar-count"
                                    x=cx
                                    y=y - 10.0
                                    text-anchor="middle"
                                    data-testid=format!("bar-count-{}", bar.key)
                                >
                                    {bar.count}
                                </text>
                                <text class="bar-label" x=cx y=HEIGHT - BOTTOM + 36.0 text-anchor="middle">
                                    {bar.label}
                                </text>
                            </g>
                        }
                    })
                    .collect_view()
            }}
        </svg>
    }
}
