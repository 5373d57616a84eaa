//! A real school server for browser tests: `lesenka serve` (the built binary, `LESENKA_BIN` or
//! `target/debug/lesenka`) on a free loopback port over a temporary SQLite data directory,
//! serving `dist/`, with an administrator made by `--create-admin`; it can be killed and
//! started again on the same database, and is stopped and removed on drop. Used by
//! `tests/live.rs` and `tests/community_server.rs`.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::dist_dir;

/// The administrator's login.
pub const LOGIN: &str = "teacher";
/// The administrator's password.
pub const PASSWORD: &str = "a long lesson password 2026";

/// A running `lesenka serve` over a temporary data directory; stopped and removed on drop.
pub struct School {
    /// The server's address, `http://127.0.0.1:port`.
    pub url: String,
    child: Child,
    port: u16,
    data: PathBuf,
}

impl School {
    /// Starts a server on a free port over a fresh data directory, with the administrator
    /// [`LOGIN`].
    pub fn start() -> Result<School> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?.port();
        let data = std::env::temp_dir().join(format!("lesenka-live-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&data)?;
        let child = School::spawn(port, &data, true)?;
        let school = School { child, url: format!("http://127.0.0.1:{port}"), port, data };
        school.wait_healthy()?;
        Ok(school)
    }

    /// `lesenka serve` on `port` over `data`, making the administrator on the first start.
    fn spawn(port: u16, data: &std::path::Path, first: bool) -> Result<Child> {
        let bin = std::env::var_os("LESENKA_BIN").map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/lesenka")
        });
        ensure!(bin.is_file(), "no {} — run `cargo build -p lesenka` first", bin.display());
        let dist = dist_dir();
        ensure!(
            dist.join("index.html").is_file(),
            "no {} — run `cargo xtask dist`",
            dist.display()
        );
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data.with_extension("log"))?;
        let mut command = Command::new(&bin);
        command.args(["serve", "--bind", &format!("127.0.0.1:{port}")]);
        if first {
            command.args(["--create-admin", LOGIN]);
        }
        command
            .arg("--data")
            .arg(data)
            .arg("--dist")
            .arg(&dist)
            .env("LESENKA_ADMIN_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))
    }

    fn wait_healthy(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.healthy(self.port) {
            if Instant::now() > deadline {
                bail!("the server did not answer /api/health: {}", self.log());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }

    /// Stops the server at once (SIGKILL: no goodbye to any socket).
    pub fn kill(&mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    /// Starts the server again on the same address and database.
    pub fn restart(&mut self) -> Result<()> {
        self.child = School::spawn(self.port, &self.data, false)?;
        self.wait_healthy()
    }

    fn healthy(&self, port: u16) -> bool {
        let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else { return false };
        let request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut answer = String::new();
        stream.read_to_string(&mut answer).is_ok() && answer.contains("\"ok\":true")
    }

    /// What the server wrote.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.with_extension("log")).unwrap_or_default()
    }
}

impl Drop for School {
    fn drop(&mut self) {
        // The server is this test's own child; it may have exited already.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
        let _ = std::fs::remove_file(self.data.with_extension("log"));
    }
}
