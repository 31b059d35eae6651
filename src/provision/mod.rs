//! Establishing a case's preconditions on a target: the citizen's state through a
//! [`Provisioner`] (the state-change endpoint, [`StateEndpoint`]; citizen pools later), and
//! setup calls through the services' own methods ([`setup`]). A precondition a target cannot
//! establish makes the case not applicable, with the reason; it never passes.

pub mod setup;
pub mod state;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::case::given::Established;
use crate::target::{Exchange, Target};

pub use state::{StateError, other_state_request, state_request};

/// A boxed future, so provisioners can be chosen at run time.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a precondition was not established.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvisionError {
    /// The target cannot establish this state: the case is not applicable.
    #[error("{0}")]
    NotApplicable(String),
    /// The target could not be reached, or its answer not read: the case ends in error.
    #[error("{0}")]
    Failed(String),
}

/// Establishes a citizen's state on a target.
pub trait Provisioner: Send + Sync {
    /// Establishes the state described by a state-change request body (see [`state_request`]),
    /// recording any exchange.
    fn establish<'a>(
        &'a self,
        request: &'a Value,
        exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Established, ProvisionError>>;
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
        request: &'a Value,
        exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Established, ProvisionError>> {
        Box::pin(async move {
            let resp = self
                .target
                .post_json(&self.url, request, exchanges)
                .await
                .map_err(|e| {
                    ProvisionError::Failed(format!("state-change request failed: {}", e.detail))
                })?;
            let text = String::from_utf8_lossy(&resp.body);
            match resp.status {
                200..=299 => serde_json::from_str::<Established>(&text).map_err(|e| {
                    ProvisionError::Failed(format!("the state-change answer cannot be read: {e}"))
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
        _request: &'a Value,
        _exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Established, ProvisionError>> {
        Box::pin(async {
            Err(ProvisionError::NotApplicable(
                "the target profile names no state-change endpoint".into(),
            ))
        })
    }
}

/// The provisioner a target's profile calls for.
pub fn for_target(target: &Arc<Target>) -> Arc<dyn Provisioner> {
    match target.state_url() {
        Some(url) => Arc::new(StateEndpoint {
            target: target.clone(),
            url,
        }),
        None => Arc::new(NoProvisioner),
    }
}
