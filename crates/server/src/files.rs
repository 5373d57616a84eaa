//! The app's files and the security headers on every response.
//!
//! [`static_files`] serves `cargo xtask dist`'s output with tower-http's `ServeDir` (a `.br` or
//! `.gz` sibling is sent when the browser takes it), with immutable caching for content-hashed
//! names and `no-cache` for the rest (index.html, the service worker), and index.html for every
//! app route. [`CONTENT_SECURITY_POLICY`] is the CSP: scripts from the server's own files only. `lib.rs` puts both on the router.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// Whether a file name carries a content hash (`app-e964d4c63e47415c.js`,
/// `app-065b87b90d59d95e_bg.wasm`, `chunk_100-57debd0c.wasm`): such a file never changes.
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

async fn cache_control(request: Request<axum::body::Body>, next: Next) -> Response {
    let name = request.uri().path().rsplit('/').next().unwrap_or("").to_owned();
    let mut response = next.run(request).await;
    let value = if response.status().is_success() && is_hashed(&name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// The app's files from `dist`, index.html for any other path (the app's routes).
pub fn static_files<S: Clone + Send + Sync + 'static>(dist: &Path) -> Router<S> {
    let index = ServeFile::new(dist.join("index.html"));
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(index);
    Router::new().fallback_service(files).layer(middleware::from_fn(cache_control))
}

/// The Content-Security-Policy: `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`.
/// index.html has no inline script (`cargo xtask dist` refuses one: its boot module and the
/// service worker's registration are content-hashed files). Styles may be inline: the app's
/// components set `style` attributes and add `<style>` elements; scripts never may.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; object-src 'none'; \
    base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        for name in [
            "app-e964d4c63e47415c.js",
            "app-065b87b90d59d95e_bg.wasm",
            "chunk_100-57debd0c.wasm",
            "styles-ca4d6179946685bb.css",
            "styles-ca4d6179946685bb.css.br",
        ] {
            assert!(is_hashed(name), "{name}");
        }
        for name in ["index.html", "sw.js", "icon-192.png", "manifest.webmanifest", "chunk-ab.wasm"]
        {
            assert!(!is_hashed(name), "{name}");
        }
    }
}
