//! The shell: contexts, language, projector mode, the three roles' routes (the teacher's include
//! rubrics and each class's gradebook).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::storage_banner::StorageBanner;
use crate::components::top_bar::TopBar;
use crate::i18n::*;
use crate::pages::catalogue::Catalogue;
use crate::pages::class_page::ClassPage;
use crate::pages::community::Community;
use crate::pages::data_page::DataPage;
use crate::pages::gradebook::GradebookPage;
use crate::pages::home::Home;
use crate::pages::lesson_page::LessonPage;
use crate::pages::new_class::NewClass;
use crate::pages::new_lesson::NewLesson;
use crate::pages::not_found::NotFound;
use crate::pages::rubric_page::RubricPage;
use crate::pages::rubrics::Rubrics;
use crate::pages::student_history::StudentHistory;
use crate::pages::student_lesson::StudentLesson;
use crate::pages::student_mode::StudentMode;
use crate::state::{provide_state, use_projector};

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let (data, _, settings) = provide_state();
    crate::bench::install_export(data);
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
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/techniques") view=Catalogue />
                    <Route path=path!("/data") view=DataPage />
                    <Route path=path!("/classes/new") view=NewClass />
                    <Route path=path!("/classes/:class") view=ClassPage />
                    <Route path=path!("/classes/:class/lessons/new") view=NewLesson />
                    <Route path=path!("/classes/:class/students/:student") view=StudentHistory />
                    <Route path=path!("/classes/:class/gradebook") view=GradebookPage />
                    <Route path=path!("/rubrics") view=Rubrics />
                    <Route path=path!("/rubrics/:rubric") view=RubricPage />
                    <Route path=path!("/lessons/:lesson") view=LessonPage />
                    <Route path=path!("/s") view=StudentMode />
                    <Route path=path!("/s/lessons/:lesson") view=StudentLesson />
                    <Route path=path!("/pos") view=Community />
                </Routes>
            </main>
        </Router>
    }
}
