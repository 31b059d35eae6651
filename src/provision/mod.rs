//! Establishing a case's preconditions on a target, one of three ways:
//!
//! - the state-change endpoint ([`StateEndpoint`]): the target establishes any `given`;
//! - a citizen pool ([`pool::CitizenPool`]): the target's own test citizens, each satisfying a
//!   named precondition profile, leased to one case at a time, and the parts of `given` the
//!   services' own methods can create derived as setup calls ([`derive`]);
//! - neither ([`NoProvisioner`]): every case that needs a citizen is not applicable.
//!
//! Setup calls a case declares (`given.calls`) run afterwards in every mode ([`setup`]).
//! A precondition a target cannot establish makes the case not applicable, with the reason;
//! it never passes.

pub mod derive;
pub mod plan;
pub mod pool;
pub mod setup;
pub mod state;
pub mod suggest;
pub mod tolerance;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::case::given::Given;
use crate::clock::Clock;
use crate::state::Established;
use crate::target::{Exchange, Target};

pub use state::{StateError, state_request};

/// A boxed future, so provisioners can be chosen at run time.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a precondition was not established.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisionError {
    /// The target cannot establish this state: the case is not applicable.
    #[error("{0}")]
    NotApplicable(String),
    /// The target's answer could not be read, or was not what the protocol says: the case
    /// ends in error.
    #[error("{0}")]
    Failed(String),
    /// The target could not be reached (the connection was refused or broke): the case ends
    /// in error, and `--retries` may try it again.
    #[error("{0}")]
    Unreachable(String),
}

impl ProvisionError {
    /// The error of a failed request, sorted by whether sending again may help.
    pub fn transport(failure: crate::target::Failure, reason: String) -> ProvisionError {
        if failure.retriable() {
            ProvisionError::Unreachable(reason)
        } else {
            ProvisionError::Failed(reason)
        }
    }
}

/// What a case needs established.
#[derive(Debug, Clone, Copy)]
pub struct Need<'a> {
    /// The case's preconditions as written.
    pub given: &'a Given,
    /// The state-change request built from them (times resolved, roles replaced by codes).
    pub request: &'a Value,
    /// The case's caller role.
    pub caller: &'a str,
    /// The case's clock.
    pub clock: Clock,
    /// Whether the case pins its own clock (`given.clock`) rather than using the run's.
    pub pins_clock: bool,
    /// The case's tags (`pool:NAME` names a pool profile).
    pub tags: &'a [String],
    /// The case's service and method.
    pub method: (&'a str, &'a str),
    /// The times the case writes outside `given` (its request, expectation and setup calls),
    /// resolved against its clock: a pool citizen's times must be on their sides
    /// ([`tolerance`]).
    pub written_times: &'a [Clock],
}

/// The times a case writes outside `given`, resolved against `clock` (see [`Need`]).
pub fn written_times(case: &crate::case::model::Case, clock: Clock) -> Vec<Clock> {
    let mut texts = vec![
        serde_json::to_value(&case.when).unwrap_or(Value::Null),
        serde_json::to_value(&case.then).unwrap_or(Value::Null),
    ];
    texts.extend(
        case.given
            .calls
            .iter()
            .map(|c| serde_json::to_value(&c.when).unwrap_or(Value::Null)),
    );
    tolerance::Frame::new(clock, &texts, Vec::new()).anchors
}

/// What was established, and what must be held until the case ends.
#[derive(Debug, Default)]
pub struct Provisioned {
    pub established: Established,
    /// A pool citizen leased to the case; dropping it returns the citizen to the pool.
    pub lease: Option<pool::Lease>,
}

impl From<Established> for Provisioned {
    fn from(established: Established) -> Self {
        Provisioned {
            established,
            lease: None,
        }
    }
}

/// Establishes a citizen's state on a target.
pub trait Provisioner: Send + Sync {
    /// Establishes what `need` describes, recording any exchange.
    fn establish<'a>(
        &'a self,
        need: Need<'a>,
        exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Provisioned, ProvisionError>>;
}

/// The state-change endpoint of the README: `POST` the state, get the CPR and identifiers.
#[derive(Debug, Clone)]
pub struct StateEndpoint {
    pub target: Arc<Target>,
    pub url: String,
}

impl Provisioner for StateEndpoint {
    fn establish<'a>(
        &'a self,
        need: Need<'a>,
        exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Provisioned, ProvisionError>> {
        Box::pin(async move {
            let resp = self
                .target
                .post_json(&self.url, need.request, exchanges)
                .await
                .map_err(|e| {
                    ProvisionError::transport(
                        e.failure,
                        format!(
                            "state-change request failed: {}: {}",
                            e.failure.describe(),
                            e.detail
                        ),
                    )
                })?;
            let text = String::from_utf8_lossy(&resp.body);
            match resp.status {
                200..=299 => serde_json::from_str::<Established>(&text)
                    .map(Provisioned::from)
                    .map_err(|e| {
                        ProvisionError::Failed(format!(
                            "the state-change answer cannot be read: {e}"
                        ))
                    }),
                422 => {
                    let why = serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string))
                        .unwrap_or_else(|| text.trim().to_string());
                    Err(ProvisionError::NotApplicable(format!(
                        "the target cannot establish the preconditions: {why}"
                    )))
                }
                404 | 405 | 501 => Err(ProvisionError::NotApplicable(format!(
                    "the target offers no state-change endpoint (HTTP {} from {})",
                    resp.status, self.url
                ))),
                other => Err(ProvisionError::Failed(format!(
                    "the state-change endpoint answered HTTP {other}: {}",
                    text.chars().take(200).collect::<String>()
                ))),
            }
        })
    }
}

/// A target without any way to establish state: every case that needs one is not applicable.
#[derive(Debug, Clone, Default)]
pub struct NoProvisioner;

impl Provisioner for NoProvisioner {
    fn establish<'a>(
        &'a self,
        _need: Need<'a>,
        _exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Provisioned, ProvisionError>> {
        Box::pin(async {
            Err(ProvisionError::NotApplicable(
                "the target profile names neither a state-change endpoint nor a citizen pool"
                    .into(),
            ))
        })
    }
}

/// The provisioner for a target without a citizen pool: its state-change endpoint, or none.
/// (A pool is loaded and checked with [`pool::CitizenPool::load`] and used directly.)
pub fn for_target(target: &Arc<Target>) -> Arc<dyn Provisioner> {
    match target.state_url() {
        Some(url) => Arc::new(StateEndpoint {
            target: target.clone(),
            url,
        }),
        None => Arc::new(NoProvisioner),
    }
}
