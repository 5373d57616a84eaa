//! A tiny static file server for the built app (`dist/`), std only.
//!
//! Shared by the xtask (`cargo xtask run`, via `#[path]`) and the browser harness. It serves
//! GET and HEAD over HTTP/1.1 on a loopback address, one thread per connection, with the MIME
//! types the app needs (`application/wasm`, `application/manifest+json`, ...). Unknown paths
//! without a dot in their last segment get `index.html` (the single-page app's own router
//! decides). Hashed assets are sent as immutable; `index.html` and `sw.js` are never cached by
//! the HTTP cache, so a new build is picked up by the service worker.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// The MIME type for a file name, by extension.
pub fn mime_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A running server; it stops when dropped (or with [`Server::stop`]).
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

struct Shared {
    root: PathBuf,
    stop: AtomicBool,
    offline: AtomicBool,
    quiet: bool,
}

impl Server {
    /// Serves `root` on 127.0.0.1, on `port` or, if it is taken, the next free one among the
    /// following 50; `port == 0` lets the system choose a free port.
    pub fn start(root: &Path, port: u16, quiet: bool) -> io::Result<Server> {
        let listener = bind_from(port)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            stop: AtomicBool::new(false),
            offline: AtomicBool::new(false),
            quiet,
        });
        let worker = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("lesenka-serve".into())
            .spawn(move || accept_loop(&listener, &worker))?;
        Ok(Server { addr, shared, thread: Some(thread) })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// While offline, every connection is closed without an answer, as when the network is
    /// down (the browser's fetch fails), so service-worker caching can be tested.
    pub fn set_offline(&self, offline: bool) {
        self.shared.offline.store(offline, Ordering::SeqCst);
    }

    /// Blocks until the server stops (never, unless stopped from another thread).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops accepting connections and joins the accept thread.
    pub fn stop(&mut self) {
        if self.shared.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the blocking accept.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(500));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn bind_from(port: u16) -> io::Result<TcpListener> {
    if port == 0 {
        return TcpListener::bind((Ipv4Addr::LOCALHOST, 0));
    }
    let mut last = None;
    for p in port..=port.saturating_add(50) {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no port to try")))
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        if shared.offline.load(Ordering::SeqCst) {
            drop(stream);
            continue;
        }
        let shared = Arc::clone(shared);
        let _ = std::thread::Builder::new().name("lesenka-conn".into()).spawn(move || {
            let _ = handle(stream, &shared);
        });
    }
}

struct Request {
    method: String,
    path: String,
}

fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or("/").to_string();
    // Skip the headers; bodies are not expected (GET/HEAD only) but are drained if announced.
    let mut content_length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = v.trim().parse().unwrap_or(0);
        }
    }
    if content_length > 0 {
        let mut sink = vec![0u8; content_length.min(1 << 20)];
        reader.read_exact(&mut sink)?;
    }
    let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
    Ok(Some(Request { method, path: percent_decode(&path) }))
}

fn handle(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    // Keep-alive: serve requests on this connection until the client closes it.
    while let Some(req) = read_request(&mut reader)? {
        if shared.offline.load(Ordering::SeqCst) || shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let head_only = req.method == "HEAD";
        if req.method != "GET" && !head_only {
            respond(
                &mut writer,
                405,
                "text/plain; charset=utf-8",
                b"method not allowed",
                "",
                false,
            )?;
            continue;
        }
        let (status, file) = resolve(&shared.root, &req.path);
        if !shared.quiet {
            eprintln!("{status} {} {}", req.method, req.path);
        }
        match file {
            Some(file) => {
                let body = std::fs::read(&file)?;
                let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                let cache = cache_control(name);
                respond(&mut writer, status, mime_type(name), &body, cache, head_only)?;
            }
            None => {
                respond(
                    &mut writer,
                    404,
                    "text/plain; charset=utf-8",
                    b"not found",
                    "",
                    head_only,
                )?;
            }
        }
    }
    Ok(())
}

fn cache_control(name: &str) -> &'static str {
    if name == "index.html" || name == "sw.js" || name.ends_with(".webmanifest") {
        "no-cache"
    } else if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    }
}

/// Whether a file name carries a content hash: `stem-<10+ hex digits>[_bg].ext`.
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Maps a URL path to a file under `root`: the file itself, `index.html` for `/` and for
/// unknown paths without a dot (single-page-app fallback), else nothing (404).
fn resolve(root: &Path, path: &str) -> (u16, Option<PathBuf>) {
    let rel: PathBuf = Path::new(path.trim_start_matches('/'))
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    let candidate = root.join(&rel);
    if candidate.is_file() {
        return (200, Some(candidate));
    }
    let index = root.join("index.html");
    let last = path.rsplit('/').next().unwrap_or_default();
    if (rel.as_os_str().is_empty() || candidate.is_dir() || !last.contains('.')) && index.is_file()
    {
        return (200, Some(index));
    }
    (404, None)
}

fn respond(
    w: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    cache: &str,
    head_only: bool,
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\n",
        body.len()
    );
    if !cache.is_empty() {
        head.push_str(&format!("Cache-Control: {cache}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    if !head_only {
        w.write_all(body)?;
    }
    w.flush()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_mime(name: &str, expected: &str) {
        assert_eq!(mime_type(name), expected, "{name}");
    }

    #[test]
    fn mime_types() {
        for (name, mime) in [
            ("app-0123456789_bg.wasm", "application/wasm"),
            ("manifest.webmanifest", "application/manifest+json"),
            ("index.html", "text/html; charset=utf-8"),
            ("app-0123456789.js", "text/javascript; charset=utf-8"),
            ("styles-abc.CSS", "text/css; charset=utf-8"),
            ("icon.svg", "image/svg+xml"),
            ("noext", "application/octet-stream"),
        ] {
            check_mime(name, mime);
        }
    }

    #[test]
    fn hashed_names() {
        for (name, hashed) in [
            ("app-0123456789ab.js", true),
            ("app-0123456789ab_bg.wasm", true),
            ("styles-0123456789.css", true),
            ("index.html", false),
            ("sw.js", false),
            ("icon-192.png", false),
        ] {
            assert_eq!(is_hashed(name), hashed, "{name}");
        }
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b"), "/a b");
        assert_eq!(percent_decode("/%D0%BB"), "/л");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }

    #[test]
    fn resolves_files_and_spa_fallback() {
        let dir = std::env::temp_dir().join(format!("lesenka-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
        std::fs::write(dir.join("app-0123456789.js"), "x").unwrap();
        let check = |path: &str, status: u16, file: Option<&str>| {
            let (s, f) = resolve(&dir, path);
            assert_eq!(s, status, "{path}");
            assert_eq!(
                f.map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).as_deref(),
                file,
                "{path}"
            );
        };
        check("/", 200, Some("index.html"));
        check("/app-0123456789.js", 200, Some("app-0123456789.js"));
        check("/lessons/42", 200, Some("index.html"));
        check("/missing.js", 404, None);
        // Never outside the root: `..` is dropped.
        check("/../../etc/hostname.txt", 404, None);
        check("/../../etc/passwd", 200, Some("index.html"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn serves_over_http() {
        let dir = std::env::temp_dir().join(format!("lesenka-serve-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>ok</p>").unwrap();
        std::fs::write(dir.join("app-0123456789_bg.wasm"), [0u8, 97, 115, 109]).unwrap();
        let server = Server::start(&dir, 0, true).unwrap();
        let get = |path: &str| {
            let mut s = TcpStream::connect(server.addr()).unwrap();
            write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
            s.shutdown(std::net::Shutdown::Write).unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).unwrap();
            String::from_utf8_lossy(&out).into_owned()
        };
        let wasm = get("/app-0123456789_bg.wasm");
        assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
        assert!(wasm.contains("Content-Type: application/wasm\r\n"), "{wasm}");
        assert!(wasm.contains("immutable"), "{wasm}");
        let spa = get("/class/7?x=1");
        assert!(spa.ends_with("<p>ok</p>"), "{spa}");
        assert!(spa.contains("Cache-Control: no-cache"), "{spa}");
        assert!(get("/nope.png").starts_with("HTTP/1.1 404"));
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
