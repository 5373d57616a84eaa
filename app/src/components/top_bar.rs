//! The teacher's top bar: brand, navigation, projector and language switches. Hidden in student
//! mode (`/s/...`), which is a full-screen tablet view.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::components::lang_switch::LangSwitch;
use crate::components::projector_toggle::ProjectorToggle;
use crate::i18n::*;

/// The top bar, shown everywhere except in student mode.
#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let student_mode = move || location.pathname.with(|p| p == "/s" || p.starts_with("/s/"));
    view! {
        <Show when=move || !student_mode()>
            <header class="topbar">
                <A href="/" attr:class="brand" attr:data-testid="nav-home">
                    <span class="brand-mark" aria-hidden="true">"▤"</span>
                    <span class="brand-name">{t!(i18n, app_title)}</span>
                </A>
                <nav class="mainnav">
                    <A href="/techniques" attr:data-testid="nav-techniques">{t!(i18n, nav_techniques)}</A>
                    <A href="/rubrics" attr:data-testid="nav-rubrics">{t!(i18n, nav_rubrics)}</A>
                    <A href="/data" attr:data-testid="nav-data">{t!(i18n, nav_data)}</A>
                    <A href="/s" attr:data-testid="nav-student">{t!(i18n, nav_student)}</A>
                    <A href="/pos" attr:data-testid="nav-community">{t!(i18n, nav_community)}</A>
                </nav>
                <div class="tools">
                    <ProjectorToggle />
                    <LangSwitch />
                </div>
            </header>
        </Show>
    }
}
