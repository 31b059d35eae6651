//! `konform serve`: start the reference implementation on a local port and serve until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::DateTime;
use clap::Args;

use konform::reference::{self, FixedClock, ReferenceConfig, SharedClock};
use konform::spec::Spec;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The spec folder.
    #[arg(long, default_value = "specs", env = "KONFORM_SPECS")]
    pub specs: PathBuf,
    /// Enable the state-change endpoint `POST /konform/state` (for tests; never in production).
    #[arg(long)]
    pub test_mode: bool,
    /// Pin the server clock to this RFC 3339 instant (citizens established with `now` keep theirs).
    #[arg(long)]
    pub clock: Option<String>,
    /// Switch a check off (a mutant); repeatable. `konform serve --list-checks` lists them.
    #[arg(long = "disable-check", value_name = "CHECK_ID")]
    pub disable_checks: Vec<String>,
    /// Print every check id with what switching it off breaks, and exit.
    #[arg(long)]
    pub list_checks: bool,
}

/// The environment variable holding the OAuth2 client secret.
const SECRET_VAR: &str = "KONFORM_CLIENT_SECRET";

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let spec = Spec::load(&args.specs)
        .with_context(|| format!("cannot load the spec from {}", args.specs.display()))?;
    if args.list_checks {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for c in reference::check_ids(&spec) {
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{}\t{}", c.id, c.breaks).is_err() {
                break;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let known: std::collections::BTreeSet<String> = reference::check_ids(&spec)
        .into_iter()
        .map(|c| c.id)
        .collect();
    for id in &args.disable_checks {
        if !known.contains(id) {
            anyhow::bail!("unknown check id {id:?} (see `konform serve --list-checks`)");
        }
    }
    let secret = std::env::var(SECRET_VAR).unwrap_or_default();
    let clock: SharedClock = match &args.clock {
        Some(s) => Arc::new(FixedClock(
            DateTime::parse_from_rfc3339(s)
                .with_context(|| format!("--clock {s:?} is not an RFC 3339 instant"))?,
        )),
        None => reference::clock::system(),
    };
    let config = ReferenceConfig {
        spec: Arc::new(spec),
        test_mode: args.test_mode,
        client_secret: secret.clone(),
        disabled_checks: args.disable_checks.iter().cloned().collect(),
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let running = reference::start_with_clock(config, args.addr, clock).await?;
        eprintln!("konform reference listening on {}", running.base_url());
        if args.test_mode {
            eprintln!("test mode: POST {}/konform/state establishes citizens", running.base_url());
        }
        if secret.is_empty() {
            eprintln!(
                "no client secret: the token endpoint refuses every client; set {SECRET_VAR} to enable REST calls"
            );
        } else {
            eprintln!(
                "REST tokens: POST {}/oauth2/token (client secret from {SECRET_VAR})",
                running.base_url()
            );
        }
        tokio::signal::ctrl_c()
            .await
            .context("cannot wait for Ctrl-C")?;
        eprintln!("stopping");
        running.shutdown().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
