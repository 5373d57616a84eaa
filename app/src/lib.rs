//! Lesenka's browser app: a Leptos client-side app for the teacher, the students' shared tablets
//! and the community (ПОС) leader.
//!
//! Everything is computed by `lesenka-core`; this crate renders it, takes input, and keeps the data
//! in the browser's localStorage through [`storage`], the only module that touches it; [`server`]
//! is the only one that talks to a school server.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod bench;
pub mod clock;
pub mod components;
pub mod errors;
pub mod format;
pub mod mapedit;
pub mod messages;
pub mod pages;
pub mod report_html;
pub mod routes;
pub mod runs;
pub mod scale;
pub mod server;
pub mod sheets;
pub mod state;
pub mod storage;
pub mod transfer;

use wasm_bindgen::prelude::wasm_bindgen;

/// Loads what the first screen needs, then mounts the app into the page's body.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    bench::install();
    wasm_bindgen_futures::spawn_local(async {
        let loaded = storage::load_first(storage::Store::app()).await;
        leptos::mount::mount_to_body(move || leptos::view! { <app::App loaded /> });
        // index.html's loading shell (top bar and skeleton) gives way to the app's first screen.
        if let Some(shell) = leptos::prelude::document().get_element_by_id("boot-shell") {
            shell.remove();
        }
        clock::mark("lesenka-mounted");
    });
}
