//! Setup calls (`given.calls`): requests through the services' own methods, made in order
//! before the case's request, sharing its templates (so `${uuid:r}` is the same id in both).
//! Each must succeed, or the case is not applicable.

use super::ProvisionError;
use crate::case::plan::PlannedCall;
use crate::case::template::{Context, RenderError};
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
        match outcome {
            Outcome::Success { .. } => {}
            Outcome::DfdgError { status, errors } => {
                let codes: Vec<String> = errors.iter().map(|e| e.code.to_string()).collect();
                return Err(ProvisionError::NotApplicable(format!(
                    "{what} did not succeed: HTTP {status}, error {}",
                    codes.join(", ")
                )));
            }
            Outcome::HttpStatus { status, .. } => {
                return Err(ProvisionError::NotApplicable(format!(
                    "{what} did not succeed: HTTP {status}"
                )));
            }
            Outcome::TransportFailure { failure, detail } => {
                return Err(ProvisionError::transport(
                    failure,
                    format!("{what}: {}: {detail}", failure.describe()),
                ));
            }
        }
    }
    Ok(())
}
