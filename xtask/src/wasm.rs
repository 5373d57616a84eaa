//! Building the app for wasm32: choosing a toolchain path and running cargo.
//!
//! Two paths: rustup's `wasm32-unknown-unknown` target (used when installed, or when
//! `rustup target add` succeeds within a short timeout), else Debian's second toolchain
//! (`rustc-web`, `rust-web-src`, `lld-19`) with `-Zbuild-std`. Force one with
//! `LESENKA_WASM_TOOLCHAIN=rustup|debian`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use serde_json::Value as Json;

/// The app's package name.
pub const APP_PACKAGE: &str = "lesenka-app";
/// The wasm target triple.
pub const TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile for the wasm build (defined in the root Cargo.toml).
pub const PROFILE: &str = "wasm-release";

/// Debian packages the Debian wasm path needs.
pub const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-19"];
/// Debian packages the browser tests need.
pub const DEBIAN_BROWSER_PACKAGES: &[&str] = &["chromium", "chromium-driver"];

const DEBIAN_CARGO: &str = "/usr/bin/cargo";
const DEBIAN_RUSTC: &str = "/usr/bin/rustc";
const DEBIAN_RUSTDOC: &str = "/usr/bin/rustdoc";
const DEBIAN_STD_SRC: &str = "/usr/lib/rustlib/src/rust/library";
const WASM_LD: &str = "/usr/lib/llvm-19/bin/wasm-ld";

/// How long `rustup target add` may take before it counts as failed.
const RUSTUP_ADD_TIMEOUT: Duration = Duration::from_secs(45);
/// A failed `rustup target add` is not retried for this long.
const RUSTUP_RETRY_AFTER: Duration = Duration::from_secs(6 * 3600);

/// A way to compile for wasm32 on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup's toolchain with its `wasm32-unknown-unknown` target.
    Rustup,
    /// Debian's `rustc-web` with `-Zbuild-std` and `wasm-ld` from `lld-19`.
    Debian,
}

impl Toolchain {
    /// A one-line description for the log.
    pub fn describe(self) -> &'static str {
        match self {
            Toolchain::Rustup => "rustup's wasm32-unknown-unknown target",
            Toolchain::Debian => {
                "Debian rustc-web + -Zbuild-std (RUSTC=/usr/bin/rustc, RUSTC_BOOTSTRAP=1, wasm-ld from lld-19)"
            }
        }
    }

    /// A cargo command for this toolchain, with its environment set, run in `root`.
    pub fn cargo(self, root: &Path) -> Command {
        match self {
            Toolchain::Rustup => {
                let mut c = Command::new(host_cargo());
                c.current_dir(root);
                c
            }
            Toolchain::Debian => {
                let mut c = Command::new(DEBIAN_CARGO);
                c.current_dir(root)
                    .env("RUSTC", DEBIAN_RUSTC)
                    .env("RUSTDOC", DEBIAN_RUSTDOC)
                    .env("RUSTC_BOOTSTRAP", "1")
                    .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", WASM_LD)
                    .env_remove("RUSTUP_TOOLCHAIN")
                    .env_remove("RUSTC_WRAPPER")
                    .env_remove("RUSTC_WORKSPACE_WRAPPER")
                    .env_remove("CARGO");
                c
            }
        }
    }

    /// Extra cargo arguments this toolchain needs for a wasm build.
    pub fn extra_args(self) -> &'static [&'static str] {
        match self {
            Toolchain::Rustup => &[],
            Toolchain::Debian => &["-Zbuild-std=std,panic_abort"],
        }
    }
}

/// The cargo that runs this xtask (rustup's), for host builds.
pub fn host_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Chooses the wasm toolchain path for this machine, installing what it needs if it may.
pub fn detect(root: &Path) -> Result<Toolchain> {
    match std::env::var("LESENKA_WASM_TOOLCHAIN").ok().as_deref() {
        Some("rustup") => {
            if !rustup_has_target(root) && !rustup_add_target(root) {
                bail!("LESENKA_WASM_TOOLCHAIN=rustup but `rustup target add {TARGET}` failed");
            }
            return Ok(Toolchain::Rustup);
        }
        Some("debian") => {
            ensure_debian_toolchain()?;
            return Ok(Toolchain::Debian);
        }
        Some("") | None => {}
        Some(other) => bail!("LESENKA_WASM_TOOLCHAIN={other}: expected `rustup` or `debian`"),
    }
    if rustup_has_target(root) {
        return Ok(Toolchain::Rustup);
    }
    let marker = root.join("target").join("wasm").join(".rustup-target-add-failed");
    let failed_recently = std::fs::metadata(&marker)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age < RUSTUP_RETRY_AFTER);
    if which("rustup").is_some() && !failed_recently {
        eprintln!("xtask: trying `rustup target add {TARGET}` (at most {RUSTUP_ADD_TIMEOUT:?})");
        if rustup_add_target(root) {
            let _ = std::fs::remove_file(&marker);
            return Ok(Toolchain::Rustup);
        }
        if let Some(dir) = marker.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&marker, "rustup target add failed; delete this file to retry\n");
        eprintln!("xtask: rustup cannot add {TARGET} here; using Debian's toolchain instead");
    }
    ensure_debian_toolchain()?;
    Ok(Toolchain::Debian)
}

fn rustup_has_target(root: &Path) -> bool {
    Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(root)
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == TARGET)
        })
}

/// Runs `rustup target add` with a timeout; true when it succeeded.
fn rustup_add_target(root: &Path) -> bool {
    let Ok(mut child) = Command::new("rustup")
        .args(["target", "add", TARGET])
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success() && rustup_has_target(root),
            Ok(None) if start.elapsed() < RUSTUP_ADD_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(100));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// Finds an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

fn debian_toolchain_present() -> bool {
    [DEBIAN_CARGO, DEBIAN_RUSTC, WASM_LD].iter().all(|p| Path::new(p).is_file())
        && Path::new(DEBIAN_STD_SRC).is_dir()
}

fn ensure_debian_toolchain() -> Result<()> {
    if debian_toolchain_present() {
        return Ok(());
    }
    ensure_debian_packages(DEBIAN_WASM_PACKAGES)?;
    if !debian_toolchain_present() {
        bail!(
            "Debian's wasm toolchain is incomplete after installing {}: need {DEBIAN_CARGO}, \
             {DEBIAN_RUSTC}, {WASM_LD} and {DEBIAN_STD_SRC}",
            DEBIAN_WASM_PACKAGES.join(" ")
        );
    }
    Ok(())
}

fn package_installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The shell command that installs Debian packages.
pub fn apt_command(pkgs: &[&str]) -> String {
    format!(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {}",
        pkgs.join(" ")
    )
}

/// Installs the missing ones of `pkgs` when running as root with apt; otherwise fails with
/// the exact command to run.
pub fn ensure_debian_packages(pkgs: &[&str]) -> Result<()> {
    let missing: Vec<&str> = pkgs.iter().copied().filter(|p| !package_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let cmd = apt_command(&missing);
    if !(is_root() && which("apt-get").is_some()) {
        bail!(
            "missing Debian packages: {}. Install them with:\n  sudo sh -c '{cmd}'\n\
             (or, for the wasm build, `rustup target add {TARGET}` where rustup can download)",
            missing.join(" ")
        );
    }
    eprintln!("xtask: installing {}: {cmd}", missing.join(" "));
    let status = Command::new("sh")
        .args(["-c", &cmd])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get")?;
    if !status.success() {
        bail!("`{cmd}` failed ({status})");
    }
    Ok(())
}

/// The linker flag the splitter needs: keep the relocations, so that functions can be moved
/// into chunks (see [`crate::split`]).
const EMIT_RELOCS: &str = "-Clink-args=--emit-relocs";

/// Builds the app for wasm32 and returns the path of its `.wasm` file.
pub fn build_app(root: &Path, tc: Toolchain) -> Result<PathBuf> {
    let mut cmd = tc.cargo(root);
    // For the wasm target only (not build scripts or proc-macros); a RUSTFLAGS of the user's
    // would override target flags, so the flag joins it there instead.
    match std::env::var("RUSTFLAGS") {
        Ok(user) if !user.trim().is_empty() => {
            cmd.env("RUSTFLAGS", format!("{user} {EMIT_RELOCS}"))
        }
        _ => cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", EMIT_RELOCS),
    };
    cmd.args(["build", "-p", APP_PACKAGE, "--lib", "--target", TARGET, "--profile", PROFILE])
        .arg("--target-dir")
        .arg(root.join("target").join("wasm"))
        .args(["--message-format", "json-render-diagnostics"])
        .args(tc.extra_args())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let output = cmd.spawn().context("starting cargo for the wasm build")?.wait_with_output()?;
    if !output.status.success() {
        bail!("the wasm build of {APP_PACKAGE} failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut wasm = None;
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Json>(line) else { continue };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let is_app = msg["target"]["name"].as_str() == Some(&APP_PACKAGE.replace('-', "_"));
        if !is_app {
            continue;
        }
        for f in msg["filenames"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str().filter(|f| f.ends_with(".wasm")) {
                wasm = Some(PathBuf::from(f));
            }
        }
    }
    wasm.context("cargo built no .wasm for the app (is its crate-type cdylib?)")
}
