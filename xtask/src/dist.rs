//! `cargo xtask dist`: the wasm build, the split at lazy routes, wasm-bindgen, content-hashed
//! assets, icons, manifest, service worker, the first-load size check, and a `.br` (brotli) and
//! `.gz` sibling of every text and wasm file, which the server (`crates/server/src/files.rs`)
//! sends to browsers that take them.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::icons;
use crate::split;
use crate::wasm::{self, Toolchain};

/// The first load (wasm + js + css, gzip) may not exceed this.
pub const FIRST_LOAD_BUDGET: usize = 250 * 1024;

/// What `dist` produced.
pub struct DistReport {
    /// The wasm toolchain path used.
    pub toolchain: Toolchain,
    /// The output directory.
    pub dir: PathBuf,
    /// gzip sizes of the first load: (file name, raw bytes, gzip bytes).
    pub first_load: Vec<(String, usize, usize)>,
    /// The lazily loaded chunks: file name → (raw bytes, gzip bytes).
    pub chunks: BTreeMap<String, (usize, usize)>,
    /// Each lazy route's split point → gzip bytes of the chunks it loads.
    pub routes: BTreeMap<String, usize>,
}

impl DistReport {
    /// The gzip total of the first load.
    pub fn first_load_gzip(&self) -> usize {
        self.first_load.iter().map(|(_, _, gz)| gz).sum()
    }
}

/// FNV-1a, 64 bits: a content hash for cache-busting file names (not for security).
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// gzip size at the best level (what a server or CDN would send).
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    Ok(gzip(bytes)?.len())
}

/// Extra stylesheets the app may ship next to its code, appended after `public/styles.css`.
fn app_stylesheets(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for single in ["app/styles.css", "app/style.css"] {
        let p = root.join(single);
        if p.is_file() {
            files.push(p);
        }
    }
    for dir in ["app/styles", "app/style"] {
        let d = root.join(dir);
        if d.is_dir() {
            let mut more: Vec<PathBuf> = std::fs::read_dir(&d)?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "css"))
                .collect();
            more.sort();
            files.extend(more);
        }
    }
    Ok(files)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Builds `dist/`. Over the first-load budget it fails when `enforce_budget`, else warns
/// (`cargo xtask run` still serves an over-budget build).
pub fn dist(root: &Path, enforce_budget: bool) -> Result<DistReport> {
    let t = Instant::now();
    let toolchain = wasm::detect(root)?;
    eprintln!("xtask: wasm toolchain: {}", toolchain.describe());
    let wasm_file = wasm::build_app(root, toolchain)?;
    eprintln!("xtask: cargo build (wasm): {:.1} s", t.elapsed().as_secs_f64());

    // Cut at the lazy routes, then wasm-bindgen the main module, both in scratch directories.
    let t = Instant::now();
    let scratch = root.join("target").join("wasm");
    let split = split::split(&wasm_file, &scratch.join("split"))?;
    eprintln!(
        "xtask: wasm split: {} chunks for {} lazy routes, {:.1} s",
        split.chunks.len(),
        split.prefetch.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let bind_dir = scratch.join("bindgen");
    if bind_dir.exists() {
        std::fs::remove_dir_all(&bind_dir)?;
    }
    std::fs::create_dir_all(&bind_dir)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&split.main_wasm)
        .out_name("app")
        .web(true)?
        .typescript(false)
        .omit_default_module_path(true)
        // The chunks link against the main module's own exports (memory, table, functions).
        .keep_lld_exports(true)
        // rustc leaves a `name` section (function names) in the wasm even without debug info:
        // it is often half the file and the browser needs none of it.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&bind_dir)
        .context("wasm-bindgen")?;
    eprintln!("xtask: wasm-bindgen: {:.1} s", t.elapsed().as_secs_f64());
    let bg = bind_dir.join("app_bg.wasm");

    let out = root.join("dist");
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("removing {}", out.display()))?;
    }
    std::fs::create_dir_all(&out)?;

    // Content-hashed assets; the JS and the link module are named after the build id, as they
    // import each other.
    let wasm_bytes = read(&bg)?;
    let wasm_name = format!("app-{}_bg.wasm", content_hash(&wasm_bytes));
    let js = read_text(&bind_dir.join("app.js"))?;
    let js_name = split.js_name();
    if !js.contains(&split.link_name) {
        bail!("wasm-bindgen's JS does not import the link module {}", split.link_name);
    }
    let mut css = read_text(&root.join("public/styles.css"))?;
    for extra in app_stylesheets(root)? {
        css.push_str(&format!(
            "\n/* {} */\n",
            extra.strip_prefix(root).unwrap_or(&extra).display()
        ));
        css.push_str(&read_text(&extra)?);
    }
    let css_name = format!("styles-{}.css", content_hash(css.as_bytes()));
    std::fs::write(out.join(&wasm_name), &wasm_bytes)?;
    std::fs::write(out.join(&js_name), &js)?;
    std::fs::write(out.join(&css_name), &css)?;
    std::fs::write(out.join(&split.link_name), &split.link_js)?;
    std::fs::write(out.join(&split.full_link_name), &split.full_link_js)?;
    for (name, bytes) in &split.chunks {
        std::fs::write(out.join(name), bytes)?;
    }

    // wasm-bindgen's snippets (inline_js / module imports), if any, keep their paths.
    let mut precache_extra = Vec::new();
    let snippets = bind_dir.join("snippets");
    if snippets.is_dir() {
        copy_tree(&snippets, &out.join("snippets"), &mut precache_extra, "/snippets")?;
    }

    // Icons and manifest.
    std::fs::write(out.join("icon.svg"), icons::svg())?;
    for (name, size) in
        [("icon-192.png", 192), ("icon-512.png", 512), ("apple-touch-icon.png", 180)]
    {
        std::fs::write(out.join(name), icons::png(size)?)?;
    }
    let manifest = read_text(&root.join("public/manifest.webmanifest"))?;
    serde_json::from_str::<serde_json::Value>(&manifest)
        .context("public/manifest.webmanifest is not JSON")?;
    std::fs::write(out.join("manifest.webmanifest"), &manifest)?;

    // The boot module and the service worker's registration: files, not inline scripts, so the
    // server's CSP allows scripts from 'self' only.
    let boot = read_text(&root.join("public/boot.js"))?
        .replace("{{SCRIPT}}", &js_name)
        .replace("{{WASM}}", &wasm_name);
    let boot_name = format!("boot-{}.js", content_hash(boot.as_bytes()));
    std::fs::write(out.join(&boot_name), &boot)?;
    let register_sw = read_text(&root.join("public/register-sw.js"))?;
    let register_sw_name = format!("register-sw-{}.js", content_hash(register_sw.as_bytes()));
    std::fs::write(out.join(&register_sw_name), &register_sw)?;
    for (file, text) in [("boot.js", &boot), ("register-sw.js", &register_sw)] {
        if let Some(left) = text.find("{{") {
            bail!(
                "public/{file} has an unknown placeholder near: {}",
                &text[left..(left + 30).min(text.len())]
            );
        }
    }

    // index.html.
    let template = read_text(&root.join("public/index.html"))?;
    if template.contains("<script>") || template.contains("<script type=\"module\">") {
        bail!("public/index.html has an inline script: the CSP allows scripts from files only");
    }
    let mut index = template
        .replace("{{STYLES}}", &css_name)
        .replace("{{SCRIPT}}", &js_name)
        .replace("{{WASM}}", &wasm_name)
        .replace("{{BOOT}}", &boot_name)
        .replace("{{REGISTER_SW}}", &register_sw_name);
    let build = content_hash(format!("{wasm_name}{js_name}{css_name}{index}{manifest}").as_bytes());
    // (js_name carries the build id, which covers the link module and every chunk.)
    let build = &build[..12];
    index = index.replace("{{BUILD}}", build);
    if let Some(left) = index.find("{{") {
        bail!(
            "public/index.html has an unknown placeholder near: {}",
            &index[left..(left + 30).min(index.len())]
        );
    }
    std::fs::write(out.join("index.html"), &index)?;

    // Service worker.
    let mut precache: Vec<String> = vec![
        "/index.html".into(),
        format!("/{boot_name}"),
        format!("/{register_sw_name}"),
        format!("/{js_name}"),
        format!("/{wasm_name}"),
        format!("/{css_name}"),
        "/manifest.webmanifest".into(),
        "/icon.svg".into(),
        "/icon-192.png".into(),
        "/icon-512.png".into(),
        "/apple-touch-icon.png".into(),
        format!("/{}", split.link_name),
        format!("/{}", split.full_link_name),
    ];
    // Every chunk too: the app must open any page offline, not only those seen online.
    precache.extend(split.chunks.keys().map(|name| format!("/{name}")));
    precache.extend(precache_extra);
    let sw = read_text(&root.join("public/sw.js"))?
        .replace("__BUILD__", build)
        .replace("__PRECACHE__", &serde_json::to_string(&precache)?);
    std::fs::write(out.join("sw.js"), sw)?;

    let first_load = vec![
        (wasm_name.clone(), wasm_bytes.len(), gzip_len(&wasm_bytes)?),
        (js_name.clone(), js.len(), gzip_len(js.as_bytes())?),
        (split.link_name.clone(), split.link_js.len(), gzip_len(split.link_js.as_bytes())?),
        (css_name.clone(), css.len(), gzip_len(css.as_bytes())?),
    ];
    let mut chunks = BTreeMap::new();
    for (name, bytes) in &split.chunks {
        chunks.insert(name.clone(), (bytes.len(), gzip_len(bytes)?));
    }
    let routes = split
        .prefetch
        .iter()
        .map(|(route, names)| {
            let gz = names.iter().filter_map(|n| chunks.get(n)).map(|(_, gz)| gz).sum();
            (route.clone(), gz)
        })
        .collect();
    let report = DistReport { toolchain, dir: out, first_load, chunks, routes };
    print_sizes(&report, gzip_len(index.as_bytes())?);
    if report.first_load_gzip() > FIRST_LOAD_BUDGET {
        let msg = format!(
            "first load is {} gzip, over the budget of {}",
            kib(report.first_load_gzip()),
            kib(FIRST_LOAD_BUDGET)
        );
        if enforce_budget {
            bail!(msg);
        }
        eprintln!("xtask: warning: {msg}");
    }
    let t = Instant::now();
    let (files, raw, br) = precompress(&report.dir)?;
    eprintln!(
        "xtask: precompressed {files} files ({} raw, {} brotli), {:.1} s",
        kib(raw),
        kib(br),
        t.elapsed().as_secs_f64()
    );
    Ok(report)
}

/// The brotli quality of a `.br` file: the best (11) for the first load's wasm, JS and CSS
/// (`app-…`, `styles-…`), 9 for the rest: hundreds of lazy chunks, where 11 takes several
/// times as long for a few per cent.
fn brotli_quality(name: &str) -> i32 {
    if name.starts_with("app-") || name.starts_with("styles-") { 11 } else { 9 }
}

/// Whether a file is worth sending compressed (text and wasm; images are compressed already).
fn compressible(name: &str) -> bool {
    [".js", ".wasm", ".css", ".html", ".svg", ".webmanifest", ".json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// The brotli bytes of `bytes`.
pub fn brotli(bytes: &[u8], quality: i32) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, ..Default::default() };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

/// The gzip bytes of `bytes` at the best level.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(bytes)?;
    Ok(gz.finish()?)
}

/// Every compressible file under `dir`.
fn compressible_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for e in std::fs::read_dir(dir)?.flatten() {
        let path = e.path();
        if path.is_dir() {
            compressible_files(&path, files)?;
        } else if compressible(&e.file_name().to_string_lossy()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Writes `name.br` and `name.gz` next to `path` (each only when smaller than the file): the
/// raw and the brotli bytes.
fn precompress_file(path: &Path) -> Result<(usize, usize)> {
    let bytes = read(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = path.parent().unwrap_or(Path::new("."));
    let b = brotli(&bytes, brotli_quality(&name))?;
    if b.len() < bytes.len() {
        std::fs::write(dir.join(format!("{name}.br")), &b)?;
    }
    let g = gzip(&bytes)?;
    if g.len() < bytes.len() {
        std::fs::write(dir.join(format!("{name}.gz")), &g)?;
    }
    Ok((bytes.len(), b.len().min(bytes.len())))
}

/// Writes `name.br` and `name.gz` next to every compressible file under `dir`, on every core:
/// (files, raw bytes, brotli bytes).
fn precompress(dir: &Path) -> Result<(usize, usize, usize)> {
    let mut files = Vec::new();
    compressible_files(dir, &mut files)?;
    // Largest first, so the cores finish together.
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let totals = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> Result<(usize, usize)> {
                    let (mut raw, mut br) = (0, 0);
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(path) = files.get(i) else { return Ok((raw, br)) };
                        let (r, b) = precompress_file(path)?;
                        (raw, br) = (raw + r, br + b);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a compressor panicked"))))
            .collect::<Result<Vec<_>>>()
    })?;
    let (raw, br) = totals.iter().fold((0, 0), |(r, b), (r2, b2)| (r + r2, b + b2));
    Ok((files.len(), raw, br))
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn print_sizes(report: &DistReport, index_gz: usize) {
    println!("dist: {} (build {})", report.dir.display(), report.toolchain.describe());
    for (name, raw, gz) in &report.first_load {
        println!("  {name:<34} {:>10} raw {:>10} gzip", kib(*raw), kib(*gz));
    }
    let chunk_gz: usize = report.chunks.values().map(|(_, gz)| gz).sum();
    println!(
        "  lazy chunks: {} files, {} gzip in all; each split point with all the chunks it loads \
         (chunks shared between split points count in each):",
        report.chunks.len(),
        kib(chunk_gz)
    );
    for (route, gz) in &report.routes {
        println!("    {:<60} {:>10} gzip", short_split_name(route), kib(*gz));
    }
    println!(
        "  first load (wasm + js + css): {} gzip (budget {}); index.html {} gzip",
        kib(report.first_load_gzip()),
        kib(FIRST_LOAD_BUDGET),
        kib(index_gz)
    );
}

/// `student_lesson_route_view_1234…` → `student_lesson_route_view`: the split point's name
/// without the hash the macro appends.
fn short_split_name(split: &str) -> &str {
    match split.rsplit_once('_') {
        Some((stem, hash)) if hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => split,
    }
}

fn copy_tree(from: &Path, to: &Path, urls: &mut Vec<String>, url_prefix: &str) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut entries: Vec<_> = std::fs::read_dir(from)?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let url = format!("{url_prefix}/{name}");
        if e.path().is_dir() {
            copy_tree(&e.path(), &to.join(&name), urls, &url)?;
        } else {
            std::fs::copy(e.path(), to.join(&name))?;
            urls.push(url);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_fnv1a_and_stable() {
        // FNV-1a 64 reference values.
        assert_eq!(content_hash(b""), "cbf29ce484222325");
        assert_eq!(content_hash(b"a"), "af63dc4c8601ec8c");
        assert_ne!(content_hash(b"app"), content_hash(b"apq"));
    }

    #[test]
    fn gzip_shrinks_repetitive_text() {
        let text = "лесенка ".repeat(1000);
        let gz = gzip_len(text.as_bytes()).unwrap();
        assert!(gz < text.len() / 20, "{gz}");
    }

    #[test]
    fn precompressed_siblings_decode_to_the_file() {
        let dir = std::env::temp_dir().join(format!("lesenka-precompress-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("snippets")).unwrap();
        let text = "export const a = 'лесенка';\n".repeat(200);
        std::fs::write(dir.join("app-0123456789abcdef.js"), &text).unwrap();
        std::fs::write(dir.join("snippets/x.js"), &text).unwrap();
        std::fs::write(dir.join("icon.png"), b"\x89PNG not text").unwrap();
        let (files, raw, br) = precompress(&dir).unwrap();
        assert_eq!((files, raw), (2, 2 * text.len()));
        assert!(br < raw / 10, "{br}");
        let mut decoded = Vec::new();
        let compressed = std::fs::read(dir.join("app-0123456789abcdef.js.br")).unwrap();
        brotli::BrotliDecompress(&mut &compressed[..], &mut decoded).unwrap();
        assert_eq!(decoded, text.as_bytes());
        let gz = std::fs::read(dir.join("snippets/x.js.gz")).unwrap();
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut decoded)
            .unwrap();
        assert_eq!(decoded, text);
        assert!(!dir.join("icon.png.br").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
