//! `lesenka serve`: runs the school server (`lesenka-server`) until Ctrl-C or SIGTERM.
//!
//! Reads the flags (or their `LESENKA_*` environment variables), opens the database (an SQLite
//! file in `--data`, created and migrated on first start, or `--database postgres://…`), and
//! serves the API, the live socket and, with `--dist`, the app. Logs go to standard error
//! through tracing (`RUST_LOG`, e.g. `info` or `lesenka_server=debug`). `main.rs` dispatches here.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use lesenka_server::accounts::{Accounts, Role};
use lesenka_server::storage::Store;
use lesenka_server::{AppState, Config};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// The flags of `lesenka serve`.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port).
    #[arg(long, env = "LESENKA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The directory of the SQLite database (`lesenka.sqlite3`, made on first start).
    #[arg(long, env = "LESENKA_DATA", default_value = "lesenka-data")]
    pub data: PathBuf,
    /// A database URL instead of the SQLite file: `postgres://user:password@host/db` (or
    /// `sqlite://path?mode=rwc`).
    #[arg(long, env = "LESENKA_DATABASE")]
    pub database: Option<String>,
    /// The built app to serve (`cargo xtask dist` writes `dist/`); without it, the API only.
    #[arg(long, env = "LESENKA_DIST")]
    pub dist: Option<PathBuf>,
    /// Another origin whose pages may open the live socket (e.g. `https://school.example`);
    /// repeat for more. The server's own origin is always allowed.
    #[arg(long = "allow-origin", env = "LESENKA_ALLOW_ORIGINS", value_delimiter = ',')]
    pub allow_origins: Vec<String>,
    /// Mark the session cookie `Secure` (when the server is reached over HTTPS).
    #[arg(long, env = "LESENKA_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The address tablets reach the server at (`http://10.0.0.5:8080`), put in the join QR
    /// code; without it, the address the teacher's browser used.
    #[arg(long, env = "LESENKA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Make an administrator account with this login before serving; the password is read from
    /// LESENKA_ADMIN_PASSWORD, else from the first line of standard input.
    #[arg(long, value_name = "LOGIN")]
    pub create_admin: Option<String>,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn serve(args: ServeArgs) -> Result<()> {
    let filter: Targets = std::env::var("RUST_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".to_owned())
        .parse()
        .context("RUST_LOG is not a list of target=level")?;
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
        )
        .with(filter)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args))
}

async fn run(args: ServeArgs) -> Result<()> {
    if let Some(dist) = &args.dist
        && !dist.join("index.html").is_file()
    {
        anyhow::bail!("{} has no index.html: run `cargo xtask dist` first", dist.display());
    }
    let store = match &args.database {
        Some(url) => Store::connect(url).await.context("opening the database")?,
        None => Store::open_dir(&args.data)
            .await
            .with_context(|| format!("opening the database in {}", args.data.display()))?,
    };
    let accounts = Accounts::new(store.clone());
    if let Some(login) = &args.create_admin {
        let password = admin_password()?;
        accounts
            .create(login, &password, Role::Admin)
            .await
            .context("creating the administrator")?;
        println!("Лесенка: administrator {login} created");
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("listening on {}", args.bind))?;
    let addr = listener.local_addr().context("the address listened on")?;
    let where_data = match &args.database {
        Some(_) => "the database given by --database".to_owned(),
        None => args.data.join("lesenka.sqlite3").display().to_string(),
    };
    tracing::info!(%addr, data = %where_data, "lesenka server started");
    println!("Лесенка: http://{addr}/  (data: {where_data}; Ctrl-C stops)");
    if accounts.none_yet().await.context("counting the accounts")? {
        let data = match &args.database {
            Some(_) => "--database URL".to_owned(),
            None => format!("--data {}", args.data.display()),
        };
        println!(
            "Лесенка: no accounts yet. Create the first administrator: stop the server and run\n  \
             LESENKA_ADMIN_PASSWORD='…' lesenka serve {data} --create-admin LOGIN\n\
             (or `cargo run -p lesenka -- serve …`; the password is read from standard input \
             when the variable is unset)"
        );
    }
    let config = Config {
        dist: args.dist.clone(),
        allowed_origins: args.allow_origins.clone(),
        secure_cookies: args.secure_cookies,
        public_url: args.public_url.clone(),
        ..Config::default()
    };
    let state = AppState::new(store.clone(), config);
    lesenka_server::serve(listener, state, shutdown_signal()).await.context("serving")?;
    // Every acknowledged answer was committed before its ack; closing the pool waits for the
    // connections still in use.
    store.close().await;
    tracing::info!("lesenka server stopped");
    Ok(())
}

/// The first administrator's password: LESENKA_ADMIN_PASSWORD, else a line of standard input.
fn admin_password() -> Result<String> {
    if let Ok(p) = std::env::var("LESENKA_ADMIN_PASSWORD") {
        return Ok(p);
    }
    eprintln!("password for the administrator (10 to 256 characters), then Enter:");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("stopping: ending live sockets, finishing requests in flight");
}
