//! Browser test harness for Lesenka: drives the built app (`dist/`) in headless Chromium.
//!
//! [`Harness::start`] serves `dist/` on a free loopback port, starts `chromedriver` on another
//! free port and opens a WebDriver session in headless Chromium with a fresh profile, in
//! Russian by default (`--lang=ru-RU`, `Accept-Language: ru-RU,ru`). Helpers find elements by
//! their `data-testid` attribute. Everything is torn down when the harness is dropped
//! (session closed, chromedriver and its browser killed, profile removed); call
//! [`Harness::close`] to do it explicitly.
//!
//! The app must be built first: `cargo xtask dist` (or `cargo xtask test`, which builds it and
//! passes the directory in `LESENKA_DIST`).
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let h = lesenka_tests::Harness::start().await?;
//! h.goto("/").await?;
//! h.click_testid("new-class").await?;
//! h.type_testid("class-name", "7А").await?;
//! assert_eq!(h.attr_of_testid("class-name", "value").await?.as_deref(), Some("7А"));
//! h.close().await;
//! # Ok(()) }
//! ```

pub mod flows;
pub mod school;
pub mod seed;
pub mod serve;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};

pub use fantoccini;
pub use serde_json;

/// The environment variable naming the built app's directory (default: `<workspace>/dist`).
pub const DIST_ENV: &str = "LESENKA_DIST";

/// The browser's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Russian: `--lang=ru-RU`, `Accept-Language: ru-RU,ru` (the default).
    #[default]
    Ru,
    /// English: `--lang=en-US`, `Accept-Language: en-US,en`.
    En,
}

impl Lang {
    fn flags(self) -> (&'static str, &'static str) {
        match self {
            Lang::Ru => ("ru-RU", "ru-RU,ru"),
            Lang::En => ("en-US", "en-US,en"),
        }
    }
}

/// How to start a [`Harness`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Browser language (Russian by default).
    pub lang: Lang,
    /// The built app; `None` means `$LESENKA_DIST`, else `<workspace>/dist`.
    pub dist: Option<PathBuf>,
    /// Window size in CSS pixels (default 1280×800, a laptop / projector).
    pub window: (u32, u32),
    /// How long `wait_for_*` helpers wait (default 10 s, or `$LESENKA_TEST_TIMEOUT_MS`).
    pub timeout: Duration,
    /// A server already serving the app (`http://127.0.0.1:8080`, e.g. a `lesenka serve`); none:
    /// the harness serves `dist` itself.
    pub base_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        let timeout = std::env::var("LESENKA_TEST_TIMEOUT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(10));
        Options { lang: Lang::Ru, dist: None, window: (1280, 800), timeout, base_url: None }
    }
}

impl Options {
    /// Options for an English browser.
    pub fn english() -> Self {
        Options { lang: Lang::En, ..Options::default() }
    }

    /// Same options with another window size (e.g. a tablet: 1024×768).
    pub fn with_window(mut self, width: u32, height: u32) -> Self {
        self.window = (width, height);
        self
    }

    /// Same options against a server already serving the app at `base_url`.
    pub fn against(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into().trim_end_matches('/').to_owned());
        self
    }
}

/// The directory of the built app: `$LESENKA_DIST`, else `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    match std::env::var_os(DIST_ENV) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("dist"),
    }
}

/// The CSS selector for a `data-testid`.
pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A running browser session against the served app.
pub struct Harness {
    client: Option<Client>,
    session_id: String,
    driver: Child,
    driver_addr: SocketAddr,
    profile: PathBuf,
    /// The harness's own static server (none when started against another server).
    server: Option<serve::Server>,
    base: String,
    timeout: Duration,
    closed: bool,
}

static SESSION_COUNTER: AtomicU32 = AtomicU32::new(0);

fn free_port() -> Result<u16> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("no free loopback port")?;
    Ok(l.local_addr()?.port())
}

/// axe-core's browser build, as `npm ci` in `tests/axe` installs it (or `LESENKA_AXE`).
fn axe_script() -> PathBuf {
    match std::env::var_os("LESENKA_AXE") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js"),
    }
}

/// The axe violations of `results` as lines a person can act on: rule, impact, help, and the
/// first elements it names.
pub fn axe_violations(results: &Json) -> Vec<String> {
    let Some(list) = results["violations"].as_array() else {
        return vec!["no violations list".into()];
    };
    list.iter()
        .map(|v| {
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .map(|nodes| nodes.iter().take(3).map(|n| n["target"].to_string()).collect())
                .unwrap_or_default();
            format!(
                "{} ({}): {} — {} nodes, e.g. {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["nodes"].as_array().map_or(0, Vec::len),
                targets.join(", ")
            )
        })
        .collect()
}

fn chromium_binary() -> String {
    std::env::var("LESENKA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

fn chromedriver_binary() -> String {
    std::env::var("LESENKA_CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string())
}

/// The Chromium command-line flags the harness uses (headless, no background networking, a
/// fresh profile, the language).
pub fn chromium_args(profile: &Path, lang: Lang, window: (u32, u32)) -> Vec<String> {
    let (lang_flag, accept) = lang.flags();
    vec![
        "--headless".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-features=Translate,MediaRouter,OptimizationHints".into(),
        format!("--user-data-dir={}", profile.display()),
        format!("--lang={lang_flag}"),
        format!("--accept-lang={accept}"),
        format!("--window-size={},{}", window.0, window.1),
    ]
}

impl Harness {
    /// Starts with [`Options::default`]: Russian browser, `dist_dir()`.
    pub async fn start() -> Result<Harness> {
        Harness::start_with(Options::default()).await
    }

    /// Starts the static server, chromedriver and a headless Chromium session.
    pub async fn start_with(opts: Options) -> Result<Harness> {
        let (server, base) = match &opts.base_url {
            Some(base) => (None, base.clone()),
            None => {
                let dist = opts.dist.clone().unwrap_or_else(dist_dir);
                if !dist.join("index.html").is_file() {
                    bail!(
                        "no built app in {} (index.html missing): run `cargo xtask dist` first, or set {DIST_ENV}",
                        dist.display()
                    );
                }
                let server =
                    serve::Server::start(&dist, 0, true).context("starting the static server")?;
                let base = server.url();
                (Some(server), base)
            }
        };

        let n = SESSION_COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let profile = std::env::temp_dir()
            .join(format!("lesenka-chromium-{}-{n}-{nanos:x}", std::process::id()));
        std::fs::create_dir_all(&profile)
            .with_context(|| format!("creating profile dir {}", profile.display()))?;

        let port = free_port()?;
        let driver_addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let log = std::fs::File::create(profile.with_extension("chromedriver.log"))?;
        let driver = Command::new(chromedriver_binary())
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (install it: apt-get install chromium chromium-driver)",
                    chromedriver_binary()
                )
            })?;

        // From here on, dropping `guard` cleans up if anything fails.
        let mut guard = Harness {
            client: None,
            session_id: String::new(),
            driver,
            driver_addr,
            profile,
            server,
            base,
            timeout: opts.timeout,
            closed: false,
        };
        guard.wait_driver_ready()?;

        let args = chromium_args(&guard.profile, opts.lang, opts.window);
        let (_, accept) = opts.lang.flags();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium_binary(),
                "args": args,
                "prefs": { "intl.accept_languages": accept },
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps = match caps {
            Json::Object(m) => m,
            _ => unreachable!("capabilities are an object"),
        };
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(conn)
            .capabilities(caps)
            .connect(&format!("http://{driver_addr}"))
            .await
            .map_err(|e| {
                anyhow!("opening a Chromium session via chromedriver: {e}{}", guard.log_tail())
            })?;
        guard.session_id = client.session_id().await?.unwrap_or_default();
        guard.client = Some(client);
        Ok(guard)
    }

    fn wait_driver_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.driver.try_wait()? {
                bail!("chromedriver exited at start ({status}){}", self.log_tail());
            }
            if let Ok(status) = raw_request(self.driver_addr, "GET", "/status", None)
                && status.pointer("/value/ready").and_then(Json::as_bool) == Some(true)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not become ready in 20 s{}", self.log_tail());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.profile.with_extension("chromedriver.log"))
            .unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        if tail.is_empty() {
            String::new()
        } else {
            let lines: Vec<&str> = tail.into_iter().rev().collect();
            format!("\nchromedriver log:\n{}", lines.join("\n"))
        }
    }

    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open until close()")
    }

    /// The base URL of the served app, e.g. `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        self.base.clone()
    }

    /// The absolute URL of an app path (`"/"`, `"/lessons"`).
    pub fn url(&self, path: &str) -> String {
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        format!("{}{path}", self.base)
    }

    /// How long the `wait_for_*` helpers wait.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Navigates to an app path and waits for the document to load.
    pub async fn goto(&self, path: &str) -> Result<()> {
        let url = self.url(path);
        self.client().goto(&url).await.with_context(|| format!("goto {url}"))
    }

    /// Navigates to `path` and returns the client (the contract's `page`).
    pub async fn page(&self, path: &str) -> Result<&Client> {
        self.goto(path).await?;
        Ok(self.client())
    }

    /// Reloads the current page.
    pub async fn reload(&self) -> Result<()> {
        self.client().refresh().await.context("reload")
    }

    /// Waits until an element with this `data-testid` exists and returns it.
    pub async fn wait_for_testid(&self, id: &str) -> Result<Element> {
        self.wait_for_css(&testid(id))
            .await
            .with_context(|| format!("waiting for data-testid={id}"))
    }

    /// Waits until an element matching a CSS selector exists and returns it.
    pub async fn wait_for_css(&self, css: &str) -> Result<Element> {
        self.client()
            .wait()
            .at_most(self.timeout)
            .every(Duration::from_millis(25))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| anyhow!("no element {css} after {:?}: {e}", self.timeout))
    }

    /// Waits until no element with this `data-testid` exists.
    pub async fn wait_gone_testid(&self, id: &str) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        while self.exists_testid(id).await? {
            if Instant::now() > deadline {
                bail!("data-testid={id} still present after {:?}", self.timeout);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Ok(())
    }

    /// Waits until `js` (an expression, or a body with `return`) is truthy.
    pub async fn wait_until(&self, js: &str) -> Result<Json> {
        self.wait_until_within(js, self.timeout).await
    }

    /// [`Harness::wait_until`] with its own deadline, for what takes long by nature.
    pub async fn wait_until_within(&self, js: &str, timeout: Duration) -> Result<Json> {
        let body = if js.contains("return") { js.to_string() } else { format!("return ({js});") };
        let deadline = Instant::now() + timeout;
        loop {
            let v = self.execute(&body).await?;
            let truthy = match &v {
                Json::Null => false,
                Json::Bool(b) => *b,
                Json::Number(n) => n.as_f64() != Some(0.0),
                Json::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return Ok(v);
            }
            if Instant::now() > deadline {
                bail!("`{js}` still falsy after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Whether an element with this `data-testid` exists now (no waiting).
    pub async fn exists_testid(&self, id: &str) -> Result<bool> {
        Ok(self.count_testid(id).await? > 0)
    }

    /// How many elements carry this `data-testid` now.
    pub async fn count_testid(&self, id: &str) -> Result<usize> {
        Ok(self.client().find_all(Locator::Css(&testid(id))).await?.len())
    }

    /// All elements with this `data-testid`, in document order.
    pub async fn all_testid(&self, id: &str) -> Result<Vec<Element>> {
        Ok(self.client().find_all(Locator::Css(&testid(id))).await?)
    }

    /// Waits for the element and clicks it.
    pub async fn click_testid(&self, id: &str) -> Result<()> {
        let el = self.wait_for_testid(id).await?;
        el.click().await.with_context(|| format!("clicking data-testid={id}"))
    }

    /// Waits for the input, clears it and types `text` (key by key, firing input events).
    pub async fn type_testid(&self, id: &str, text: &str) -> Result<()> {
        let el = self.wait_for_testid(id).await?;
        el.clear().await.with_context(|| format!("clearing data-testid={id}"))?;
        el.send_keys(text).await.with_context(|| format!("typing into data-testid={id}"))
    }

    /// Waits for the input or textarea, sets its value at once and fires `input` (much faster
    /// than [`type_testid`](Self::type_testid) for a pasted 30-line roster).
    pub async fn fill_testid(&self, id: &str, text: &str) -> Result<()> {
        self.wait_for_testid(id).await?;
        self.execute_with(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(testid(id)), json!(text)],
        )
        .await
        .with_context(|| format!("filling data-testid={id}"))?;
        Ok(())
    }

    /// Waits for the `<select>`, chooses the option whose text is `label` and fires `change`
    /// (as a person's choice does).
    pub async fn select_testid(&self, id: &str, label: &str) -> Result<()> {
        self.wait_for_testid(id).await?;
        let found = self
            .execute_with(
                "const el = document.querySelector(arguments[0]);
                 const opt = [...el.options].find(o => o.text.trim() === arguments[1]);
                 if (!opt) return [...el.options].map(o => o.text.trim());
                 el.value = opt.value;
                 el.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
                vec![json!(testid(id)), json!(label)],
            )
            .await
            .with_context(|| format!("choosing {label:?} in data-testid={id}"))?;
        ensure!(found == json!(true), "data-testid={id} has no option {label:?}, only {found}");
        Ok(())
    }

    /// Waits for the element and returns its rendered text (trimmed).
    pub async fn text_of_testid(&self, id: &str) -> Result<String> {
        let el = self.wait_for_testid(id).await?;
        Ok(el.text().await?.trim().to_string())
    }

    /// Waits for the element and returns an attribute (or property, e.g. `value`).
    pub async fn attr_of_testid(&self, id: &str, name: &str) -> Result<Option<String>> {
        let el = self.wait_for_testid(id).await?;
        Ok(el.attr(name).await?)
    }

    /// Waits until the element's text equals `expected` (trimmed); returns the last text seen
    /// in the error otherwise.
    pub async fn wait_text_testid(&self, id: &str, expected: &str) -> Result<()> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let text = match self.client().find(Locator::Css(&testid(id))).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.trim() == expected {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("data-testid={id}: expected text {expected:?}, found {:?}", text.trim());
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Runs JavaScript in the page (a function body: use `return` and `arguments[i]`).
    pub async fn execute(&self, js: &str) -> Result<Json> {
        self.execute_with(js, Vec::new()).await
    }

    /// Runs JavaScript with arguments (`arguments[0]`, ...).
    pub async fn execute_with(&self, js: &str, args: Vec<Json>) -> Result<Json> {
        self.client().execute(js, args).await.with_context(|| format!("executing {js}"))
    }

    /// `localStorage.setItem(key, value)` for the app's origin (the page must be loaded).
    pub async fn local_storage_set(&self, key: &str, value: &str) -> Result<()> {
        self.execute_with(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![json!(key), json!(value)],
        )
        .await?;
        Ok(())
    }

    /// `localStorage.getItem(key)`.
    pub async fn local_storage_get(&self, key: &str) -> Result<Option<String>> {
        let v = self
            .execute_with("return localStorage.getItem(arguments[0]);", vec![json!(key)])
            .await?;
        Ok(v.as_str().map(str::to_string))
    }

    /// All `localStorage` keys, sorted.
    pub async fn local_storage_keys(&self) -> Result<Vec<String>> {
        let v = self.execute("return Object.keys(localStorage);").await?;
        let mut keys: Vec<String> = v
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect();
        keys.sort();
        Ok(keys)
    }

    /// `localStorage.clear()`.
    pub async fn local_storage_clear(&self) -> Result<()> {
        self.execute("localStorage.clear();").await?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport (creating parent directories).
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self.client().screenshot().await.context("taking a screenshot")?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// Runs axe-core (npm `axe-core`, injected into the page) with the WCAG 2.2 A and AA rules on
    /// the page as it is, writes the axe results object to `target/axe/<view>.json`, and returns
    /// it. Its `violations` list is what a test asserts empty.
    pub async fn axe(&self, view: &str) -> Result<Json> {
        let script = std::fs::read_to_string(axe_script()).with_context(|| {
            format!(
                "reading {} (`cargo xtask test` installs it; or run `npm ci` in tests/axe)",
                axe_script().display()
            )
        })?;
        self.execute(&format!("{script}\n;return typeof axe;")).await.context("injecting axe")?;
        let run = "const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                'wcag21aa', 'wcag22a', 'wcag22aa'] } })
              .then(r => done(JSON.stringify(r)))
              .catch(e => done(JSON.stringify({ error: String(e) })));";
        let text = self.client().execute_async(run, Vec::new()).await.context("running axe")?;
        let results: Json = serde_json::from_str(text.as_str().context("axe's results")?)?;
        if let Some(error) = results.get("error") {
            bail!("axe failed on {view}: {error}");
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/axe");
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("{view}.json")), serde_json::to_vec_pretty(&results)?)?;
        Ok(results)
    }

    /// Resizes the window (e.g. 1024×768 for a tablet, 1920×1080 for a projector).
    pub async fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        Ok(self.client().set_window_size(width, height).await?)
    }

    /// Takes the harness's own static server (not one given by [`Options::against`]) off the network (connections are dropped) or back on: for
    /// offline tests of the service worker.
    pub fn set_offline(&self, offline: bool) {
        if let Some(server) = &self.server {
            server.set_offline(offline);
        }
    }

    /// Waits until a service worker controls the page (after the first visit). Installing
    /// precaches every chunk of the build (over 700 files, about 7 MB): on a loaded 2-core
    /// machine that was seen to take 15 s, so this waits up to a minute.
    pub async fn wait_for_service_worker(&self) -> Result<()> {
        let js = "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)";
        self.wait_until_within(js, Duration::from_secs(60))
            .await
            .context("waiting for the service worker to control the page")?;
        Ok(())
    }

    /// The browser console's messages since the last call (`level: message` lines).
    pub fn console_log(&self) -> Result<Vec<String>> {
        let path = format!("/session/{}/se/log", self.session_id);
        let v = raw_request(self.driver_addr, "POST", &path, Some(&json!({"type": "browser"})))?;
        Ok(v.get("value")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|e| {
                format!(
                    "{}: {}",
                    e.get("level").and_then(Json::as_str).unwrap_or("?"),
                    e.get("message").and_then(Json::as_str).unwrap_or("")
                )
            })
            .collect())
    }

    /// Console messages at level SEVERE (uncaught errors, Rust panics) since the last call.
    pub fn console_errors(&self) -> Result<Vec<String>> {
        Ok(self.console_log()?.into_iter().filter(|l| l.starts_with("SEVERE")).collect())
    }

    /// Closes the session, stops chromedriver and the server, removes the profile.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
            self.closed = true;
        }
        // Drop does the rest.
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        if !self.closed && !self.session_id.is_empty() {
            let _ = raw_request(
                self.driver_addr,
                "DELETE",
                &format!("/session/{}", self.session_id),
                None,
            );
        }
        self.client = None;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        kill_leftover_browsers(&self.profile);
        if let Some(server) = &mut self.server {
            server.stop();
        }
        let _ = std::fs::remove_dir_all(&self.profile);
        let _ = std::fs::remove_file(self.profile.with_extension("chromedriver.log"));
    }
}

/// Kills browser processes still running with this session's own profile directory (only
/// possible if chromedriver died without closing its browser).
fn kill_leftover_browsers(profile: &Path) {
    let marker = format!("--user-data-dir={}", profile.display());
    let Ok(entries) = std::fs::read_dir("/proc") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        if cmdline.split(|b| *b == 0).any(|arg| arg == marker.as_bytes()) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// A blocking HTTP/1.1 request to chromedriver (used where no async runtime may be running:
/// readiness polling and teardown in `Drop`).
fn raw_request(addr: SocketAddr, method: &str, path: &str, body: Option<&Json>) -> Result<Json> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(15)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver may keep the connection open: read the head, then Content-Length bytes.
    let mut reader = std::io::BufReader::new(s);
    let mut content_length = None;
    loop {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut reader, &mut line)? == 0 {
            break;
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.trim().eq_ignore_ascii_case("content-length")
        {
            content_length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match content_length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok(serde_json::from_slice(&body).unwrap_or(Json::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn testid_selector_escapes_quotes() {
        assert_eq!(testid("app"), "[data-testid=\"app\"]");
        assert_eq!(testid("a\"b"), "[data-testid=\"a\\\"b\"]");
    }

    #[test]
    fn chromium_flags_carry_language_and_profile() {
        let args = chromium_args(Path::new("/tmp/p"), Lang::Ru, (1280, 800));
        for flag in [
            "--headless",
            "--no-sandbox",
            "--lang=ru-RU",
            "--accept-lang=ru-RU,ru",
            "--user-data-dir=/tmp/p",
        ] {
            assert!(args.iter().any(|a| a == flag), "{flag} missing in {args:?}");
        }
        let en = chromium_args(Path::new("/tmp/p"), Lang::En, (1024, 768));
        assert!(en.iter().any(|a| a == "--lang=en-US"));
        assert!(en.iter().any(|a| a == "--window-size=1024,768"));
    }
}
