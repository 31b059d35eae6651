//! `konform serve`: start the reference implementation on a local port and serve until Ctrl-C,
//! optionally with citizens loaded beforehand (`--citizens FILE`), so it can stand in for a
//! vendor's test environment whose test citizens have known CPRs.
//!
//! ```yaml
//! # konform serve --citizens citizens.yaml: the state-change language, with fixed CPRs
//! citizens:
//!   - cpr: "0101851001"
//!     citizen: { jobcenter: "10101", kommune: "101" }
//!   - cpr: "0202852002"
//!     citizen:
//!       jobcenter: "10101"
//!       kommune: "101"
//!       contact_groups: [{ id: cg, type: 1, start: today-60d }]   # relative to the clock
//!     ids: { cg: 6f0c2d3e-1111-4000-8000-000000000001 }           # fixed identifiers
//! ```
//!
//! A citizen pool file (`profiles:`, the file a target profile's `citizen_pool` names) is read
//! as well: every citizen of every profile is established in its profile's `given` (times
//! resolved against the server clock, caller roles replaced by the embedded reference's
//! organisation codes) with the pool's CPR and identifiers, so the one file describes both
//! the stand-in environment and what konform is told about it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use clap::Args;
use serde::Deserialize;

use konform::clock::Clock;
use konform::provision::state::resolve_times;
use konform::reference::state::Fixed;
use konform::reference::{self, FixedClock, ReferenceConfig, SharedClock};
use konform::spec::Spec;
use konform::spec::statement::Statement;
use konform::state::StateRequest;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The spec folder; default `./specs` if there is one, else the shipped spec.
    #[arg(long, env = "KONFORM_SPECS")]
    pub specs: Option<PathBuf>,
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
    /// Start with these citizens (YAML: `citizens: [{cpr, now?, citizen, projects?, ids?}]`,
    /// the state-change language with fixed CPRs and identifiers; times may be relative to
    /// `now` or the server clock), or every citizen of a citizen pool file (`profiles:`) in
    /// its profile's state.
    #[arg(long, value_name = "FILE")]
    pub citizens: Option<PathBuf>,
    /// An implementation statement (`konform ics template`): the reference answers under the
    /// alternative it declares per reading, konform's default elsewhere.
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
}

/// The file of `--citizens`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CitizensFile {
    citizens: Vec<CitizenEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CitizenEntry {
    cpr: String,
    #[serde(default)]
    now: Option<String>,
    #[serde(default)]
    citizen: Option<serde_json::Value>,
    #[serde(default)]
    projects: Vec<serde_json::Value>,
    #[serde(default)]
    ids: BTreeMap<String, uuid::Uuid>,
}

/// Reads `--citizens`: relative times resolved against each entry's `now` or `server_now`.
/// A pool file (one with `profiles`) gives its citizens in their profiles' states.
fn load_citizens(
    path: &std::path::Path,
    server_now: DateTime<FixedOffset>,
) -> anyhow::Result<Vec<(StateRequest, Fixed)>> {
    let text = konform::input::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let is_pool = serde_saphyr::from_str::<serde_json::Value>(&text)
        .ok()
        .is_some_and(|v| v.get("profiles").is_some());
    if is_pool {
        return load_pool(path, server_now);
    }
    let file: CitizensFile = serde_saphyr::from_str(&text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        anyhow::anyhow!(
            "{}{at}: {}",
            path.display(),
            e.to_string().lines().next().unwrap_or_default()
        )
    })?;
    let mut out = Vec::with_capacity(file.citizens.len());
    for (i, entry) in file.citizens.into_iter().enumerate() {
        let place = format!(
            "{}: citizen {} ({})",
            path.display(),
            i + 1,
            konform::cpr::mask(&entry.cpr)
        );
        let clock = match &entry.now {
            Some(now) => Clock::parse_rfc3339(now)
                .with_context(|| format!("{place}: now {now:?} is not RFC 3339"))?,
            None => Clock::from_utc(server_now.with_timezone(&chrono::Utc)),
        };
        let mut body = serde_json::json!({
            "citizen": entry.citizen,
            "projects": entry.projects,
        });
        resolve_times(&mut body, clock).map_err(|e| anyhow::anyhow!("{place}: {e}"))?;
        let mut request: StateRequest = serde_json::from_value(body)
            .map_err(|e| anyhow::anyhow!("{place}: {}", konform::cpr::mask_all(&e.to_string())))?;
        request.now = entry.now;
        out.push((
            request,
            Fixed {
                cpr: entry.cpr,
                ids: entry.ids,
            },
        ));
    }
    Ok(out)
}

/// Reads a citizen pool file as `--citizens`: each citizen in its profile's `given`, resolved
/// against `server_now` with the embedded reference's organisation codes for caller roles.
fn load_pool(
    path: &std::path::Path,
    server_now: DateTime<FixedOffset>,
) -> anyhow::Result<Vec<(StateRequest, Fixed)>> {
    let file = konform::provision::pool::PoolFile::load(path)?;
    let codes: BTreeMap<&str, &str> = konform::target::profile::EMBEDDED_ROLES
        .iter()
        .map(|(name, _, code)| (*name, *code))
        .collect();
    let role_code = |name: &str| codes.get(name).map(|c| c.to_string());
    let clock = Clock::from_utc(server_now.with_timezone(&chrono::Utc));
    let mut out = Vec::new();
    for p in &file.profiles {
        let caller = p.given.caller.as_deref().unwrap_or("jobcenter");
        let mut request = konform::provision::state_request(&p.given, clock, caller, &role_code)
            .map_err(|e| anyhow::anyhow!("{}: profile `{}`: {e}", path.display(), p.name))?;
        if let Some(map) = request.as_object_mut() {
            // The server's own clock, not a pinned one.
            map.shift_remove("now");
        }
        let state: StateRequest = serde_json::from_value(request).map_err(|e| {
            anyhow::anyhow!(
                "{}: profile `{}`: {}",
                path.display(),
                p.name,
                konform::cpr::mask_all(&e.to_string())
            )
        })?;
        for c in &p.citizens {
            // A profile about projects only has no citizen to establish.
            let Some(cpr) = &c.cpr else { continue };
            let mut ids = BTreeMap::new();
            for (name, id) in &c.ids {
                let id = uuid::Uuid::parse_str(id).map_err(|_| {
                    anyhow::anyhow!(
                        "{}: profile `{}`, citizen {}: `{name}: {id}` is not a UUID (the reference's identifiers are)",
                        path.display(),
                        p.name,
                        konform::cpr::mask(cpr)
                    )
                })?;
                ids.insert(name.clone(), id);
            }
            out.push((
                state.clone(),
                Fixed {
                    cpr: cpr.clone(),
                    ids,
                },
            ));
        }
    }
    Ok(out)
}

/// The environment variable holding the OAuth2 client secret.
const SECRET_VAR: &str = "KONFORM_CLIENT_SECRET";

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let specs = konform::shipped::specs_dir(args.specs.as_deref())?;
    let spec = Spec::load(&specs)
        .with_context(|| format!("cannot load the spec from {}", specs.display()))?;
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
    // The mutants' check ids, and the Danish-time switch (off: "now" in UTC).
    let known: std::collections::BTreeSet<String> = reference::check_ids(&spec)
        .into_iter()
        .map(|c| c.id)
        .chain([reference::rules::DANISH_TIME.to_string()])
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
        None => konform::clock::system(),
    };
    let citizens = match &args.citizens {
        Some(path) => load_citizens(path, clock.now())?,
        None => Vec::new(),
    };
    let loaded = citizens.len();
    let statement = match &args.ics {
        Some(path) => Statement::load(path, &spec.overlay)?,
        None => Statement::default(),
    };
    let config = ReferenceConfig {
        spec: Arc::new(spec),
        test_mode: args.test_mode,
        client_secret: secret.clone(),
        disabled_checks: args.disable_checks.iter().cloned().collect(),
        mutant: None,
        statement,
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let running =
            reference::start_with_citizens(config, args.addr, clock, citizens).await?;
        eprintln!("konform reference listening on {}", running.base_url());
        if loaded > 0 {
            eprintln!("{loaded} citizen(s) loaded");
        }
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
