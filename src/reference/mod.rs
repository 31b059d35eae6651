//! The reference implementation of the DFDG services: every documented method and rule, REST
//! and SOAP, in memory. It is the embedded default target of `konform run`, the ground truth
//! the case corpus is checked against, and — with checks switched off one at a time — the base
//! of mutation testing. The main entry point is [`start`].
//!
//! The parts, in the order a request meets them: [`server`] (routing, token and state-change
//! endpoints), [`soap`] and [`rest`] (transports), [`auth`] (callers, tokens, access levels),
//! [`validate`] (schema validation from the spec), [`rules`] (the shared flow and the rules per
//! service), [`store`] (citizens and identifiers), [`state`] (`POST /konform/state`),
//! [`xsdtime`] (date and time lexical forms; "now" is an injected [`crate::clock::TimeSource`])
//! [`checks`] (check ids and mutants) and [`mutant`] (faults derived from the spec).

pub mod auth;
pub mod checks;
pub mod exports;
pub mod mutant;
pub mod rest;
pub mod rules;
pub mod server;
pub mod soap;
pub mod state;
pub mod store;
pub mod validate;
pub mod xsdtime;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::spec::Spec;

pub use crate::clock::{FixedClock, SharedClock, SystemClock, TimeSource};
pub use checks::{CheckId, check_ids};

/// How to run the reference.
#[derive(Debug, Clone)]
pub struct ReferenceConfig {
    pub spec: Arc<Spec>,
    /// Enables the state-change endpoint (`POST /konform/state`).
    pub test_mode: bool,
    /// The OAuth2 client secret every client must present at `/oauth2/token`.
    pub client_secret: String,
    /// Check ids switched off (mutants): `CreatePersonInterview/4653`, `validation/pattern`.
    pub disabled_checks: BTreeSet<String>,
    /// A planted fault derived from the spec (mutation testing), or none.
    pub mutant: Option<mutant::Mutant>,
    /// The alternative the reference answers under, per reading of the overlay's catalogue;
    /// konform's default where it declares none.
    pub statement: crate::spec::statement::Statement,
}

impl ReferenceConfig {
    /// A test-mode configuration with every check on.
    pub fn new(spec: Arc<Spec>, client_secret: impl Into<String>) -> ReferenceConfig {
        ReferenceConfig {
            spec,
            test_mode: true,
            client_secret: client_secret.into(),
            disabled_checks: BTreeSet::new(),
            mutant: None,
            statement: Default::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot load citizen {index} ({cpr}): {reason}")]
    Citizen {
        /// 1-based position in the list.
        index: usize,
        /// Masked.
        cpr: String,
        reason: String,
    },
}

/// A reference server running on a tokio runtime; dropping it (or [`RunningReference::shutdown`])
/// stops it.
#[derive(Debug)]
pub struct RunningReference {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningReference {
    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningReference {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts the reference on `addr` (port 0 for an ephemeral port) on the current tokio runtime,
/// with the machine's clock.
pub async fn start(
    config: ReferenceConfig,
    addr: SocketAddr,
) -> Result<RunningReference, ReferenceError> {
    start_with_clock(config, addr, crate::clock::system()).await
}

/// Starts the reference with an injected server clock (a citizen's pinned clock still wins).
pub async fn start_with_clock(
    config: ReferenceConfig,
    addr: SocketAddr,
    clock: SharedClock,
) -> Result<RunningReference, ReferenceError> {
    start_with_citizens(config, addr, clock, Vec::new()).await
}

/// Starts the reference with citizens loaded beforehand, each with a fixed CPR and fixed
/// identifiers (`konform serve --citizens FILE`): a stand-in for a vendor's test environment
/// with known test citizens.
pub async fn start_with_citizens(
    config: ReferenceConfig,
    addr: SocketAddr,
    clock: SharedClock,
    citizens: Vec<(crate::state::StateRequest, state::Fixed)>,
) -> Result<RunningReference, ReferenceError> {
    let app = Arc::new(server::App::new(config, clock));
    for (i, (request, fixed)) in citizens.into_iter().enumerate() {
        let cpr = crate::cpr::mask(&fixed.cpr);
        state::establish_fixed(&app.store, &app.clock, request, fixed).map_err(|e| {
            ReferenceError::Citizen {
                index: i + 1,
                cpr,
                reason: e.0,
            }
        })?;
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ReferenceError::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| ReferenceError::Bind { addr, source })?;
    let router = server::router(app);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningReference {
        addr: local,
        stop: Some(stop),
        task: Some(task),
    })
}
