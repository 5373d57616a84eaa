//! The one build path: `cargo xtask dist|run|test|bench`.
//!
//! - `dist`: build the Leptos app for wasm32 (rustup's target, else Debian's `rustc-web` with
//!   `-Zbuild-std`), split it at its lazy routes, bind the main module with wasm-bindgen, and
//!   write `dist/` with content-hashed assets and chunks, icons, a web app manifest and an
//!   offline service worker; fail if the first load is over 250 KiB gzip.
//! - `run [--port N]`: `dist`, then start the school server (`lesenka serve`) with `dist/` on
//!   127.0.0.1 (8080 or the next free port) and an SQLite database in `target/lesenka-data/`.
//! - `serve [--port N]`: serve the existing `dist/` as static files, without the school server.
//! - `test`: fmt, clippy, workspace tests, `dist`, browser tests; each step timed.
//! - `bench [core|load|browser]`: criterion benches of lesenka-core, the school server's load
//!   benchmark (`crates/loadtest` against a release `lesenka serve`, with the open-files limit
//!   raised to the hard limit) and the browser benchmark; all three unless one is named.

mod dist;
mod icons;
#[allow(dead_code, reason = "the harness uses parts of the shared server that the xtask does not")]
#[path = "../../tests/src/serve.rs"]
mod serve;
mod split;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>
  dist               build the app into dist/ (wasm, hashed assets, service worker, size check)
  run [--port N]     dist, then the school server (app, live lessons; SQLite in target/lesenka-data)
                     on http://127.0.0.1:8080 (or the next free port)
  serve [--port N]   serve the existing dist/ as static files, without rebuilding
  test               fmt --check, clippy -D warnings, workspace tests, dist, browser tests
  bench [core|load|browser]
                     criterion benches of lesenka-core, the school server's load benchmark
                     (10,000 tablet sockets on loopback), the browser benchmark (all unless named)
environment:
  LESENKA_WASM_TOOLCHAIN=rustup|debian   force the wasm toolchain path";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") => dist::dist(&root(), true).map(|_| ()),
        Some("run") => run_school_server(&args[1..]),
        Some("serve") => run(&args[1..], false),
        Some("test") => test(),
        Some("bench") => bench(args.get(1).map(String::as_str)),
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_port(args: &[String]) -> Result<u16> {
    let mut port = 8080;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" | "-p" => {
                port = it
                    .next()
                    .context("--port needs a number")?
                    .parse()
                    .context("--port needs a number")?;
            }
            other => match other.strip_prefix("--port=") {
                Some(p) => port = p.parse().context("--port needs a number")?,
                None => bail!("unknown argument {other}\n{USAGE}"),
            },
        }
    }
    Ok(port)
}

fn run(args: &[String], build: bool) -> Result<()> {
    let port = parse_port(args)?;
    let root = root();
    if build {
        dist::dist(&root, false)?;
    }
    let dir = root.join("dist");
    if !dir.join("index.html").is_file() {
        bail!("no dist/index.html: run `cargo xtask dist` first");
    }
    let server = serve::Server::start(&dir, port, false).context("starting the server")?;
    println!("Лесенка: serving {} at {}/  (Ctrl-C stops)", dir.display(), server.url());
    server.wait();
    Ok(())
}

/// `cargo xtask run`: builds `dist/`, then runs `lesenka serve` over it on the first free port
/// from 8080 (or `--port`), with its SQLite database in `target/lesenka-data/`.
fn run_school_server(args: &[String]) -> Result<()> {
    let first = parse_port(args)?;
    let root = root();
    dist::dist(&root, false)?;
    let dir = root.join("dist");
    let port = (first..first.saturating_add(20))
        .find(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok())
        .with_context(|| format!("no free port from {first} to {}", first.saturating_add(19)))?;
    let bind = format!("127.0.0.1:{port}");
    let data = root.join("target").join("lesenka-data");
    println!("Лесенка: starting the school server at http://{bind}/ (data in {})", data.display());
    let status = Command::new(wasm::host_cargo())
        .args(["run", "-q", "-p", "lesenka", "--", "serve", "--bind", &bind])
        .arg("--dist")
        .arg(&dir)
        .arg("--data")
        .arg(&data)
        .current_dir(&root)
        .status()
        .context("running `lesenka serve`")?;
    if !status.success() {
        bail!("`lesenka serve` failed ({status})");
    }
    Ok(())
}

/// A sequence of timed steps.
struct Steps {
    done: Vec<(String, Duration, bool)>,
}

impl Steps {
    fn new() -> Self {
        Steps { done: Vec::new() }
    }

    fn run(&mut self, name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
        println!("\n==> {name}");
        let t = Instant::now();
        let r = f();
        let elapsed = t.elapsed();
        let ok = r.is_ok();
        println!(
            "<== {name}: {} in {:.1} s",
            if ok { "ok" } else { "FAILED" },
            elapsed.as_secs_f64()
        );
        self.done.push((name.to_string(), elapsed, ok));
        r.with_context(|| format!("step `{name}` failed"))
    }

    fn summary(&self) {
        println!("\nsteps:");
        let mut total = Duration::ZERO;
        for (name, d, ok) in &self.done {
            total += *d;
            println!(
                "  {:>7.1} s  {}  {name}",
                d.as_secs_f64(),
                if *ok { "ok    " } else { "FAILED" }
            );
        }
        println!("  {:>7.1} s  total", total.as_secs_f64());
    }
}

fn cargo(root: &Path, args: &[&str]) -> Result<()> {
    let cargo = wasm::host_cargo();
    println!("$ cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .status()
        .with_context(|| format!("running {cargo}"))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn workspace_has_app(root: &Path) -> bool {
    root.join("app").join("Cargo.toml").is_file()
}

/// Runs native clippy on the whole workspace. Ok(true): clean; Ok(false): failed only because
/// the app does not compile for the host (rustc's `E....` errors in lesenka-app), so it should
/// be linted for wasm32 instead; Err: lint failures or other errors.
fn clippy_native(root: &Path) -> Result<bool> {
    let args = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--message-format=json-diagnostic-rendered-ansi",
        "--",
        "-D",
        "warnings",
    ];
    println!("$ cargo {}", args.join(" "));
    let out = Command::new(wasm::host_cargo())
        .args(args)
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running clippy")?;
    let mut app_compile_errors = 0;
    let mut other_errors = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let m = &msg["message"];
        if let Some(rendered) = m["rendered"].as_str() {
            print!("{rendered}");
        }
        if m["level"] != "error" {
            continue;
        }
        let code = m["code"]["code"].as_str().unwrap_or_default();
        let rustc_error = code.starts_with('E') && code[1..].bytes().all(|b| b.is_ascii_digit());
        let in_app = msg["package_id"]
            .as_str()
            .is_some_and(|p| p.contains("/app#") || p.contains("lesenka-app"));
        if rustc_error && in_app {
            app_compile_errors += 1;
        } else {
            other_errors += 1;
        }
    }
    if out.status.success() {
        return Ok(true);
    }
    if app_compile_errors > 0 && other_errors == 0 && workspace_has_app(root) {
        return Ok(false);
    }
    bail!("clippy failed ({other_errors} errors)");
}

fn clippy(root: &Path) -> Result<()> {
    if clippy_native(root)? {
        return Ok(());
    }
    // The app does not compile for the host: lint everything else natively and the app for
    // its real target. If either fails, so does the step.
    println!("xtask: the app does not compile for the host; linting it for {}", wasm::TARGET);
    cargo(
        root,
        &[
            "clippy",
            "--workspace",
            "--exclude",
            wasm::APP_PACKAGE,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    let tc = wasm::detect(root)?;
    let mut cmd = tc.cargo(root);
    cmd.args(["clippy", "-p", wasm::APP_PACKAGE, "--target", wasm::TARGET, "--target-dir"])
        .arg(root.join("target").join("wasm"))
        .args(tc.extra_args())
        .args(["--", "-D", "warnings"]);
    let status = cmd.status().context("running clippy for wasm")?;
    if !status.success() {
        bail!("clippy of {} for {} failed ({status})", wasm::APP_PACKAGE, wasm::TARGET);
    }
    Ok(())
}

/// axe-core, which the harness injects into pages for the accessibility checks: installed from
/// the npm registry into `tests/axe/node_modules` (pinned in `tests/axe/package-lock.json`) when
/// it is not there yet.
fn ensure_axe(root: &Path) -> Result<()> {
    let dir = root.join("tests").join("axe");
    if dir.join("node_modules").join("axe-core").join("axe.min.js").is_file() {
        return Ok(());
    }
    if wasm::which("npm").is_none() {
        // Debian's npm brings Node.js with it.
        wasm::ensure_debian_packages(&["npm"])?;
    }
    println!("xtask: installing axe-core for the accessibility checks (npm ci in tests/axe)");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .context("running npm")?;
    if !status.success() {
        bail!("`npm ci` in {} failed ({status})", dir.display());
    }
    Ok(())
}

fn browser_tests(root: &Path, threads: &str, extra: &[&str]) -> Result<()> {
    wasm::ensure_debian_packages(wasm::DEBIAN_BROWSER_PACKAGES)?;
    ensure_axe(root)?;
    let cargo_bin = wasm::host_cargo();
    let threads = format!("--test-threads={threads}");
    let mut args = vec!["test", "--no-fail-fast", "-p", "lesenka-tests", "--", &threads];
    args.extend_from_slice(extra);
    println!("$ LESENKA_DIST=dist cargo {}", args.join(" "));
    let status = Command::new(&cargo_bin)
        .args(&args)
        .current_dir(root)
        .env("LESENKA_DIST", root.join("dist"))
        .status()
        .context("running the browser tests")?;
    if !status.success() {
        bail!("browser tests failed ({status})");
    }
    Ok(())
}

fn test() -> Result<()> {
    let root = root();
    let mut steps = Steps::new();
    // Every step runs, so one failure does not hide the others; the command fails if any did.
    let _ = steps.run("cargo fmt --check", || cargo(&root, &["fmt", "--all", "--check"]));
    let _ = steps.run("cargo clippy -D warnings", || clippy(&root));
    let _ = steps.run("cargo test --workspace", || {
        cargo(&root, &["test", "--no-fail-fast", "--workspace", "--exclude", "lesenka-tests"])
    });
    // Over the first-load budget this step fails, but the dist it wrote is complete: its
    // browser tests still run, so one failure does not hide the others.
    let _ = steps.run("cargo xtask dist", || dist::dist(&root, true).map(|_| ()));
    if root.join("dist").join("index.html").is_file() {
        let _ = steps.run("browser tests (lesenka-tests)", || browser_tests(&root, "2", &[]));
    } else {
        println!("\nxtask: no dist/index.html: browser tests not run");
        steps.done.push(("browser tests (not run: no dist)".into(), Duration::ZERO, false));
    }
    steps.summary();
    let failed: Vec<&str> =
        steps.done.iter().filter(|(_, _, ok)| !ok).map(|(n, _, _)| n.as_str()).collect();
    if failed.is_empty() { Ok(()) } else { bail!("failed: {}", failed.join(", ")) }
}

/// Adds every criterion estimate under `target/criterion/` to `target/bench/results.json` (a list
/// of `{"name", "value", "unit", "goal"}` the browser benchmark adds to; same names replace):
/// the mean in milliseconds, with the goal the bench's module doc states.
fn record_criterion(root: &Path) -> Result<()> {
    let criterion = root.join("target").join("criterion");
    let mut found = Vec::new();
    for group in std::fs::read_dir(&criterion).with_context(|| criterion.display().to_string())? {
        let group = group?.path();
        // A benchmark's folder holds `new/` directly, or one folder per function of a group.
        let mut dirs = vec![group.clone()];
        if let Ok(inner) = std::fs::read_dir(&group) {
            dirs.extend(inner.filter_map(|e| e.ok().map(|e| e.path())));
        }
        for dir in dirs {
            let (Ok(meta), Ok(estimates)) = (
                std::fs::read_to_string(dir.join("new").join("benchmark.json")),
                std::fs::read_to_string(dir.join("new").join("estimates.json")),
            ) else {
                continue;
            };
            let meta: serde_json::Value = serde_json::from_str(&meta)?;
            let estimates: serde_json::Value = serde_json::from_str(&estimates)?;
            let (Some(id), Some(ns)) =
                (meta["full_id"].as_str(), estimates["mean"]["point_estimate"].as_f64())
            else {
                continue;
            };
            // The goals the benches' module docs state.
            let goal = if id.contains("100k") {
                "<= 20"
            } else if id == "indicators native" {
                "<= 100"
            } else if id.starts_with("summary_30x60") {
                "<= 1"
            } else {
                "none stated"
            };
            found.push(serde_json::json!({
                "name": format!("{id} ms"), "value": ns / 1e6, "unit": "ms", "goal": goal,
            }));
        }
    }
    let out = root.join("target").join("bench");
    std::fs::create_dir_all(&out)?;
    let path = out.join("results.json");
    let mut list: Vec<serde_json::Value> = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| path.display().to_string())?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    for figure in &found {
        println!("  {}: {:.4} ms (goal {})", figure["name"], figure["value"], figure["goal"]);
    }
    list.retain(|r| !found.iter().any(|f| f["name"] == r["name"]));
    list.extend(found);
    std::fs::write(&path, serde_json::to_string_pretty(&list)? + "\n")?;
    println!("xtask: criterion figures recorded in {}", path.display());
    Ok(())
}

/// The school server's load benchmark: builds `lesenka` and `lesenka-loadtest` optimised, then
/// runs the load tool against `lesenka serve` under a shell that raises the open-files limit
/// to the hard limit (10,000 sockets need as many descriptors on each side).
fn load_bench(root: &Path) -> Result<()> {
    cargo(root, &["build", "--release", "-p", "lesenka", "-p", "lesenka-loadtest"])?;
    let release = root.join("target").join("release");
    let script = "ulimit -n \"$(ulimit -Hn)\" && echo \"loadtest: open-files limit $(ulimit -n)\" \
                  && exec \"$0\" \"$@\"";
    let status = Command::new("sh")
        .args(["-c", script])
        .arg(release.join("lesenka-loadtest"))
        .arg("--server")
        .arg(release.join("lesenka"))
        .arg("--data")
        .arg(root.join("target").join("loadtest-data"))
        .arg("--results")
        .arg(root.join("target").join("bench").join("results.json"))
        .current_dir(root)
        .status()
        .context("running lesenka-loadtest")?;
    if !status.success() {
        bail!("lesenka-loadtest failed ({status})");
    }
    Ok(())
}

fn bench(only: Option<&str>) -> Result<()> {
    let root = root();
    let wants = |part: &str| only.is_none_or(|o| o == part);
    if let Some(o) = only
        && !["core", "load", "browser"].contains(&o)
    {
        bail!("unknown bench {o}\n{USAGE}");
    }
    let mut steps = Steps::new();
    let result = (|| {
        if wants("core") {
            steps.run("cargo bench -p lesenka-core", || {
                cargo(&root, &["bench", "-p", "lesenka-core"])?;
                record_criterion(&root)
            })?;
        }
        if wants("load") {
            steps.run("school server load (lesenka-loadtest)", || load_bench(&root))?;
        }
        if wants("browser") {
            steps.run("cargo xtask dist", || dist::dist(&root, true).map(|_| ()))?;
            // The benchmark loads the app from `lesenka serve` (target/release/lesenka).
            steps.run("cargo build --release -p lesenka", || {
                cargo(&root, &["build", "--release", "-p", "lesenka"])
            })?;
            steps.run("browser benchmark", || {
                browser_tests(&root, "1", &["--ignored", "--nocapture", "bench"])
            })?;
        }
        Ok(())
    })();
    steps.summary();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_estimates_join_the_results_list() {
        let root = std::env::temp_dir().join(format!("lesenka-xtask-bench-{}", std::process::id()));
        let write = |dir: &Path, id: &str, ns: f64| {
            std::fs::create_dir_all(dir.join("new")).unwrap();
            std::fs::write(dir.join("new/benchmark.json"), format!("{{\"full_id\":\"{id}\"}}"))
                .unwrap();
            std::fs::write(
                dir.join("new/estimates.json"),
                format!("{{\"mean\":{{\"point_estimate\":{ns}}}}}"),
            )
            .unwrap();
        };
        let criterion = root.join("target/criterion");
        write(&criterion.join("summary_30x60"), "summary_30x60", 250_000.0);
        write(&criterion.join("build/clone 100k"), "build/clone + from_records 100k", 4e6);
        let bench = root.join("target/bench");
        std::fs::create_dir_all(&bench).unwrap();
        let kept =
            r#"[{"name":"no-device 30 answers taps","value":9,"unit":"taps","goal":"<= 15"}]"#;
        std::fs::write(bench.join("results.json"), kept).unwrap();
        record_criterion(&root).unwrap();
        record_criterion(&root).unwrap();
        let list: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(bench.join("results.json")).unwrap())
                .unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(list.len(), 3, "recorded once each, the browser's figure kept: {list:?}");
        let summary = list.iter().find(|f| f["name"] == "summary_30x60 ms").unwrap();
        assert_eq!(
            (summary["value"].as_f64(), summary["goal"].as_str()),
            (Some(0.25), Some("<= 1"))
        );
        let build =
            list.iter().find(|f| f["name"] == "build/clone + from_records 100k ms").unwrap();
        assert_eq!((build["value"].as_f64(), build["goal"].as_str()), (Some(4.0), Some("<= 20")));
    }
}
