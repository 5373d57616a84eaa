//! An exit ticket's anonymous count as chart bars (core's per-item `Tally`): for a content
//! check right and wrong, for confidence 1 to 4; the run screen and the projector draw them
//! with `bar_chart.rs`. No names: counts only.

use leptos_i18n::I18nContext;
use lesenka_core::live::LiveRun;
use lesenka_core::technique::ExitItemKind;

use crate::components::bar_chart::Bar;
use crate::i18n::*;

/// The bars of the run's exit-ticket items with a fixed answer (keys `exit-{item}-right`,
/// `exit-{item}-wrong`, `exit-{item}-conf-{1..4}`); none for other techniques.
pub fn exit_bars(i18n: I18nContext<Locale>, run: &LiveRun) -> Vec<Bar> {
    let tally = run.tally();
    let mut bars = Vec::new();
    for (i, item) in tally.items.iter().enumerate() {
        match item.kind {
            ExitItemKind::ContentCheck => {
                bars.push(Bar {
                    key: format!("exit-{i}-right"),
                    label: format!("✓ {}", t_string!(i18n, exit_check_right)),
                    count: item.correct,
                });
                bars.push(Bar {
                    key: format!("exit-{i}-wrong"),
                    label: format!("✗ {}", t_string!(i18n, exit_check_wrong)),
                    count: item.incorrect,
                });
            }
            ExitItemKind::Confidence => {
                for (c, count) in item.confidence.iter().enumerate() {
                    bars.push(Bar {
                        key: format!("exit-{i}-conf-{}", c + 1),
                        label: (c + 1).to_string(),
                        count: *count,
                    });
                }
            }
            ExitItemKind::NeedHelp | ExitItemKind::FreeText => {}
        }
    }
    bars
}
