//! What a class's pages share: the class named in the address (`:class`) and the criteria its
//! lessons assess (core's `lesson::class_criteria`) with their wording; the class's page or a
//! «class not found» card.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use lesenka_core::ids::{ClassId, CriterionId};
use lesenka_core::lesson::class_criteria;
use lesenka_core::roster::Class;

use crate::i18n::*;
use crate::state::use_data;

/// The id in the address and the class it names (none when the address or the class is
/// unknown).
pub fn class_in_address() -> (Memo<Option<ClassId>>, Memo<Option<Class>>) {
    let data = use_data();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("class")?.parse::<ClassId>().ok()));
    let class = Memo::new(move |_| {
        let id = id.get()?;
        data.classes.with(|c| c.iter().find(|c| c.id == id).cloned())
    });
    (id, class)
}

/// The criteria the class's lessons assess as (id, wording), in first-lesson order.
pub fn criteria_of(class: Memo<Option<ClassId>>) -> Memo<Vec<(CriterionId, String)>> {
    let data = use_data();
    Memo::new(move |_| {
        let Some(id) = class.get() else { return Vec::new() };
        data.lessons.with(|l| {
            class_criteria(l, id).into_iter().map(|c| (c.id(), c.text().to_string())).collect()
        })
    })
}

/// `page` drawn for the class, redrawn when it changes; a «class not found» card while the
/// address names no class that is here.
pub fn with_class(
    class: Memo<Option<Class>>,
    page: impl Fn(Class) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match class.get() {
        None => {
            view! { <p class="card" data-testid="class-not-found">{t!(i18n, class_not_found)}</p> }
                .into_any()
        }
        Some(c) => page(c),
    }
}
