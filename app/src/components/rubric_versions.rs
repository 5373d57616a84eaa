//! A rubric's heading: its title, the latest version, and one line per version (criteria,
//! points range, whether an assessment used it).

use leptos::prelude::*;
use lesenka_core::rubric::Rubric;

use crate::format;
use crate::i18n::*;

/// The rubric's title and versions.
#[component]
pub fn RubricVersions(
    /// The rubric.
    rubric: Rubric,
) -> impl IntoView {
    let i18n = use_i18n();
    let latest = rubric.latest().number();
    let versions = rubric
        .versions()
        .iter()
        .map(|v| {
            let n = v.number();
            let count = v.criteria().len();
            let used = v.used();
            let (min, max) = (v.min_points(), v.max_points());
            let line = move || {
                let mut line = format!(
                    "{} · {} · {}",
                    t_string!(i18n, rubric_version_n, n),
                    format::criteria(i18n, count),
                    t_string!(i18n, rubric_points_range, min, max),
                );
                if used {
                    line.push_str(&format!(" · {}", t_string!(i18n, rubric_version_used)));
                }
                line
            };
            view! { <li data-testid=format!("rubric-version-{n}")>{line}</li> }
        })
        .collect_view();
    view! {
        <section class="card">
            <h1 data-testid="rubric-name">{rubric.title().to_string()}</h1>
            <p class="muted" data-testid="rubric-latest">
                {move || t_string!(i18n, rubric_latest, n = latest).to_string()}
            </p>
            <ul class="list" data-testid="rubric-versions">{versions}</ul>
        </section>
    }
}
