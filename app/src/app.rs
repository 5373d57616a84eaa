//! The shell: contexts (the data, the storage status, projector mode and the technique runs in
//! progress), language, the three roles' routes (the teacher's include rubrics and each class's
//! gradebook).

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{Lazy, path};

use crate::components::storage_banner::StorageBanner;
use crate::components::top_bar::TopBar;
use crate::i18n::*;
use crate::pages::home::Home;
use crate::pages::not_found::NotFound;
use crate::routes::*;
use crate::runs::provide_runs;
use crate::state::{provide_state, use_projector};
use crate::storage::Loaded;

/// The whole app, over what storage held for the first screen.
#[component]
pub fn App(
    /// The classes, lessons and settings, as loaded before mounting.
    loaded: Loaded,
) -> impl IntoView {
    let (data, status, settings) = provide_state(loaded);
    // The runs in progress belong to the tab, not to a page: re-rendering a page keeps them.
    provide_runs();
    crate::bench::install_export(data, status);
    let english = settings.lang.as_deref() == Some("en");
    view! {
        <I18nContextProvider>
            <Shell english=english />
        </I18nContextProvider>
    }
}

/// Applies the remembered language and lays out the page.
#[component]
fn Shell(
    /// Whether English was chosen earlier (Russian otherwise).
    english: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    // The provider sets the browser's language in its first effect; the remembered choice (or
    // Russian) is applied after it, once.
    let chosen = if english { Locale::en } else { Locale::ru };
    i18n.set_locale(chosen);
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            i18n.set_locale(chosen);
        }
    });
    let projector = use_projector();
    Effect::new(move |_| {
        let on = projector.0.get();
        if let Some(body) = document().body() {
            let _ = body.class_list().toggle_with_force("projector", on);
        }
    });
    Effect::new(move |_| {
        let lang = match i18n.get_locale() {
            Locale::ru => "ru",
            Locale::en => "en",
        };
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang);
        }
    });
    view! {
        <Router>
            <TopBar />
            <StorageBanner />
            <main class="page">
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/techniques") view={Lazy::<CatalogueRoute>::new()} />
                    <Route path=path!("/data") view={Lazy::<DataRoute>::new()} />
                    <Route path=path!("/classes/*any") view={Lazy::<ClassArea>::new()} />
                    <Route path=path!("/rubrics/*any") view={Lazy::<RubricArea>::new()} />
                    <Route path=path!("/lessons/*any") view={Lazy::<LessonArea>::new()} />
                    <Route path=path!("/s/*any") view={Lazy::<StudentArea>::new()} />
                    <Route path=path!("/pos/*any") view={Lazy::<CommunityArea>::new()} />
                </FlatRoutes>
            </main>
        </Router>
    }
}
