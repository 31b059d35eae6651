//! Setup calls (`given.calls`): requests through the services' own methods, made in order
//! before the case's request, sharing its templates (so `${uuid:r}` is the same id in both).
//! Each must succeed, or the case is not applicable.

use serde_json::Value;

use super::ProvisionError;
use crate::case::template::{Context, RenderError};
use crate::plan::PlannedCall;
use crate::target::{Exchange, Outcome, RenderedRequest, Target};

/// Makes the setup calls in order.
pub async fn run_calls(
    target: &Target,
    calls: &[PlannedCall],
    ctx: &mut Context<'_>,
    exchanges: &mut Vec<Exchange>,
) -> Result<(), ProvisionError> {
    for (i, call) in calls.iter().enumerate() {
        if target.role(&call.caller).is_none() {
            return Err(ProvisionError::NotApplicable(format!(
                "setup call {} {}: the target has no caller role `{}`",
                i + 1,
                call.method.name,
                call.caller
            )));
        }
        let request = RenderedRequest::render(&call.request, ctx).map_err(|e| match e {
            RenderError::MissingId(_) | RenderError::NoCpr => ProvisionError::NotApplicable(
                format!("setup call {} {}: {e}", i + 1, call.method.name),
            ),
            RenderError::TimeOutOfRange(_) | RenderError::Unresolved(_) => {
                ProvisionError::Failed(format!("setup call {} {}: {e}", i + 1, call.method.name))
            }
        })?;
        let outcome = target
            .call(&call.method, &call.caller, &request, exchanges)
            .await;
        let what = format!("setup call {} {}", i + 1, call.method.name);
        require_success(&what, outcome)?;
    }
    Ok(())
}

/// A precondition call's answer must be a success: a refusal makes the case not applicable
/// (with the codes and texts), a transport failure is reported as such.
pub fn require_success(what: &str, outcome: Outcome) -> Result<Value, ProvisionError> {
    match outcome {
        Outcome::Success { body, .. } => Ok(body),
        Outcome::DfdgError { status, errors } => {
            let list: Vec<String> = errors
                .iter()
                .map(
                    |e| match e.text.as_deref().filter(|t| !t.trim().is_empty()) {
                        Some(t) => format!("{} ({t})", e.code),
                        None => e.code.to_string(),
                    },
                )
                .collect();
            Err(ProvisionError::NotApplicable(format!(
                "{what} did not succeed: error {} (HTTP {status})",
                list.join(", ")
            )))
        }
        Outcome::HttpStatus { status, .. } => Err(ProvisionError::NotApplicable(format!(
            "{what} did not succeed: HTTP {status}"
        ))),
        Outcome::TransportFailure { failure, detail } => Err(ProvisionError::transport(
            failure,
            format!("{what}: {}: {detail}", failure.describe()),
        )),
    }
}
