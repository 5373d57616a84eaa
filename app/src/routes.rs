//! The pages the router loads lazily.
//!
//! Each route here is a Leptos [`LazyRoute`]: `cargo xtask dist` cuts its page's code out of
//! the main wasm into a chunk of its own, which the browser fetches the first time the page is
//! opened (and the service worker keeps for offline use). The main module keeps only the shell
//! and the home page, so the first screen loads fast however many pages the app grows.
//!
//! The shell's table (`app.rs`) names only areas: `/classes/…`, `/rubrics/…`, `/lessons/…`,
//! `/s/…` (students) and `/pos/…` (the community). Each area is itself a lazy route whose chunk
//! holds that area's own table ([`areas!`]), whose pages are lazy in turn. So the main module
//! carries the matching code of a handful of routes, however many pages an area grows, and a
//! page's code still loads only when the page is opened.
//!
//! A page stays a plain `#[component]` in `pages/`; making it lazy is one line in
//! `lazy_pages!` and one `path => Route` line in its area below.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route};
use leptos_router::{Lazy, LazyRoute, lazy_route, path};

use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::state::use_data;

/// Declares, for each `Route => Page`, a unit struct whose lazy view renders the page; with
/// `after_marking`, only once the stored rubrics and marks are in memory (the page changes
/// them, and a save must never overwrite what was not read yet).
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $route:ident => $page:path $(, $gate:ident)?;)*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                lazy_pages!(@view $page $(, $gate)?)
            }
        }
    )*};
    (@view $page:path) => {
        view! { <$page /> }.into_any()
    };
    (@view $page:path, after_marking) => {
        after_marking(|| view! { <$page /> }.into_any())
    };
}

/// Shows `page` once the stored rubrics and marks are read, a short note until then.
fn after_marking(page: fn() -> AnyView) -> AnyView {
    let data = use_data();
    let i18n = use_i18n();
    view! {
        <Show
            when=move || data.stored_ready.get()
            fallback=move || view! { <p class="muted" data-testid="marking-loading">{t!(i18n, marking_loading)}</p> }
        >
            {page()}
        </Show>
    }
    .into_any()
}

lazy_pages! {
    /// `/techniques`: the technique catalogue.
    CatalogueRoute => crate::pages::catalogue::Catalogue;
    /// `/data`: export, import and storage use.
    DataRoute => crate::pages::data_page::DataPage;
    /// `/classes/new`: a new class from a pasted roster.
    NewClassRoute => crate::pages::new_class::NewClass;
    /// `/classes/:class`: a class, its students and lessons.
    ClassRoute => crate::pages::class_page::ClassPage;
    /// `/classes/:class/lessons/new`: opening a lesson.
    NewLessonRoute => crate::pages::new_lesson::NewLesson;
    /// `/classes/:class/students/:student`: one student's history.
    StudentHistoryRoute => crate::pages::student_history::StudentHistory;
    /// `/classes/:class/calibration`: a class's self-assessment calibration.
    CalibrationRoute => crate::pages::calibration::CalibrationPage;
    /// `/classes/:class/mastery`: a class's mastery per criterion, by a chosen method.
    MasteryRoute => crate::pages::mastery::MasteryPage;
    /// `/classes/:class/diagnostics`: a class's questionnaires (Лусканова, surveys).
    DiagnosticsRoute => crate::pages::diagnostics::DiagnosticsPage, after_marking;
    /// `/classes/:class/diagnostics/:run`: one run read aloud, and its results.
    DiagnosticRunRoute => crate::pages::diagnostic_run::DiagnosticRunPage, after_marking;
    /// `/s/diagnostics/:run`: a questionnaire on the shared tablet.
    DiagnosticTabletRoute => crate::pages::diagnostic_tablet::DiagnosticTablet, after_marking;
    /// `/classes/:class/gradebook`: a class's marks, weighted averages and term marks.
    GradebookRoute => crate::pages::gradebook::GradebookPage, after_marking;
    /// `/rubrics`: the teacher's rubrics.
    RubricsRoute => crate::pages::rubrics::Rubrics, after_marking;
    /// `/rubrics/:rubric`: a rubric's versions, assessing with it, editing it.
    RubricRoute => crate::pages::rubric_page::RubricPage, after_marking;
    /// `/lessons/:lesson`: a lesson and its techniques.
    LessonRoute => crate::pages::lesson_page::LessonPage;
    /// `/lessons/:lesson/map?criterion=…`: the teacher's map of a lesson's criterion.
    MapTeacherRoute => crate::pages::map_teacher::MapTeacher, after_marking;
    /// `/lessons/:lesson/maps?criterion=…`: a criterion's students' maps scored against its
    /// teacher's map.
    MapScoresRoute => crate::pages::map_scores::MapScores, after_marking;
    /// `/s/lessons/:lesson/map?criterion=…`: a student's concept map on a shared tablet.
    MapStudentRoute => crate::pages::map_student::MapStudent, after_marking;
    /// `/s`: the students' tablet mode.
    StudentModeRoute => crate::pages::student_mode::StudentMode;
    /// `/s/lessons/:lesson`: a student's self-assessment in a lesson.
    StudentLessonRoute => crate::pages::student_lesson::StudentLesson;
    /// `/s/join?code=…`: a student's own tablet joining a live lesson on the school server.
    LiveJoinRoute => crate::pages::live_join::LiveJoin;
    /// `/pos`: the community (ПОС) plan.
    CommunityRoute => crate::pages::community::Community;
    /// `/pos/import`: a plan pasted from a document's table, read and edited before saving.
    PlanImportRoute => crate::pages::plan_import::PlanImportPage, after_marking;
    /// `/pos/practices`: the community's bank of practices.
    PracticesRoute => crate::pages::practices::Practices;
    /// `/pos/report`: «Анализ работы ПОС за год», printable and saved as HTML.
    ReportRoute => crate::pages::report::Report;
}

/// Declares, for each area, a lazy route whose view is the area's own route table: each
/// `path => Route` line is one lazily loaded page of that area.
macro_rules! areas {
    ($($(#[$doc:meta])* $area:ident { $($path:expr => $route:ident;)* })*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $area;

        #[lazy_route]
        impl LazyRoute for $area {
            fn data() -> Self {
                $area
            }

            fn view(_this: Self) -> AnyView {
                view! {
                    <FlatRoutes fallback=NotFound>
                        $(<Route path={$path} view={Lazy::<$route>::new()} />)*
                    </FlatRoutes>
                }
                .into_any()
            }
        }
    )*};
}

areas! {
    /// `/classes/…`: classes and what the teacher sees of each.
    ClassArea {
        path!("/classes/new") => NewClassRoute;
        path!("/classes/:class") => ClassRoute;
        path!("/classes/:class/lessons/new") => NewLessonRoute;
        path!("/classes/:class/students/:student") => StudentHistoryRoute;
        path!("/classes/:class/calibration") => CalibrationRoute;
        path!("/classes/:class/mastery") => MasteryRoute;
        path!("/classes/:class/gradebook") => GradebookRoute;
        path!("/classes/:class/diagnostics") => DiagnosticsRoute;
        path!("/classes/:class/diagnostics/:run") => DiagnosticRunRoute;
    }
    /// `/rubrics/…`: the teacher's rubrics.
    RubricArea {
        path!("/rubrics") => RubricsRoute;
        path!("/rubrics/:rubric") => RubricRoute;
    }
    /// `/lessons/…`: a lesson and its techniques.
    LessonArea {
        path!("/lessons/:lesson") => LessonRoute;
        path!("/lessons/:lesson/map") => MapTeacherRoute;
        path!("/lessons/:lesson/maps") => MapScoresRoute;
    }
    /// `/s/…`: the students' tablet mode.
    StudentArea {
        path!("/s") => StudentModeRoute;
        path!("/s/lessons/:lesson") => StudentLessonRoute;
        path!("/s/lessons/:lesson/map") => MapStudentRoute;
        path!("/s/join") => LiveJoinRoute;
        path!("/s/diagnostics/:run") => DiagnosticTabletRoute;
    }
    /// `/pos/…`: the community (ПОС).
    CommunityArea {
        path!("/pos") => CommunityRoute;
        path!("/pos/import") => PlanImportRoute;
        path!("/pos/practices") => PracticesRoute;
        path!("/pos/report") => ReportRoute;
    }
}
