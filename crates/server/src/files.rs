//! The app's files and the security headers on every response.
//!
//! [`static_files`] serves `cargo xtask dist`'s output with tower-http's `ServeDir` (a `.br` or
//! `.gz` sibling is sent when the browser takes it), with immutable caching for content-hashed
//! names and `no-cache` for the rest (index.html, the service worker), and index.html for every
//! app route. [`content_security_policy`] builds the CSP, allowing index.html's inline scripts by
//! their hashes only. `lib.rs` puts both on the router.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
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

/// The hashes (`'sha256-…'`) of the inline scripts of a page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else { break };
        let tag = &rest[..open_end];
        let body_start = open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else { break };
        let body = &rest[body_start..body_start + close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            hashes.push(format!("'sha256-{b64}'"));
        }
        rest = &rest[body_start + close..];
    }
    hashes
}

/// The Content-Security-Policy: `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`,
/// plus the hashes of index.html's inline scripts when `dist` has one (its boot script and the
/// service worker's registration are inline). Styles may be inline: the app's components set
/// `style` attributes and add `<style>` elements; scripts never may.
pub fn content_security_policy(dist: Option<&Path>) -> String {
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    if let Some(html) = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok()) {
        for hash in inline_script_hashes(&html) {
            script.push(' ');
            script.push_str(&hash);
        }
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

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

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_not() {
        let html = "<script type=\"module\">a()</script><script src=\"/x.js\"></script>\
                    <script>\nb()\n</script>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let a = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a()"));
        assert_eq!(hashes[0], format!("'sha256-{a}'"));
    }
}
