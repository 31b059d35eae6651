//! The embedded default target: the reference implementation started in-process on an
//! ephemeral loopback port, with a client secret generated for this process only, and a target
//! pointing at it. This is the one place a run wires the reference in (besides mutation
//! testing, which starts its mutants through it). The main
//! entry point is [`start`].

use crate::spec::statement::Statement;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::reference::{self, ReferenceConfig, ReferenceError, RunningReference};
use crate::spec::Spec;
use crate::target::client::{Target, TargetError, TargetOptions};
use crate::target::profile::Profile;

/// The running reference and a target pointing at it. Dropping it stops the reference.
#[derive(Debug)]
pub struct Embedded {
    pub reference: RunningReference,
    pub target: Arc<Target>,
    /// The client secret generated for it (a mutating proxy in front of it needs it).
    pub secret: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("cannot start the embedded reference: {0}")]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    Target(#[from] TargetError),
}

/// Starts the reference on `127.0.0.1:0` on the current tokio runtime.
pub async fn start(spec: Arc<Spec>, options: &TargetOptions) -> Result<Embedded, EmbeddedError> {
    start_with(spec, options, Default::default(), Statement::default()).await
}

/// Starts the reference with some of its checks switched off (a mutant, for `konform mutate`).
pub async fn start_with_checks(
    spec: Arc<Spec>,
    options: &TargetOptions,
    disabled_checks: std::collections::BTreeSet<String>,
) -> Result<Embedded, EmbeddedError> {
    start_reference(spec, options, disabled_checks, Statement::default(), None).await
}

/// Starts the reference with checks switched off and a planted fault (a spec-derived mutant).
pub async fn start_mutant(
    spec: Arc<Spec>,
    options: &TargetOptions,
    disabled_checks: std::collections::BTreeSet<String>,
    mutant: Option<reference::mutant::Mutant>,
) -> Result<Embedded, EmbeddedError> {
    start_reference(spec, options, disabled_checks, Statement::default(), mutant).await
}

/// Starts the reference with some of its checks switched off, answering under `statement`'s
/// readings.
pub async fn start_with(
    spec: Arc<Spec>,
    options: &TargetOptions,
    disabled_checks: std::collections::BTreeSet<String>,
    statement: Statement,
) -> Result<Embedded, EmbeddedError> {
    start_reference(spec, options, disabled_checks, statement, None).await
}

/// Starts the reference: checks switched off, the readings it answers under, a planted fault.
pub async fn start_reference(
    spec: Arc<Spec>,
    options: &TargetOptions,
    disabled_checks: std::collections::BTreeSet<String>,
    statement: Statement,
    mutant: Option<reference::mutant::Mutant>,
) -> Result<Embedded, EmbeddedError> {
    // Two v4 uuids: 244 random bits, never written anywhere.
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let overlay = spec.overlay.clone();
    let config = ReferenceConfig {
        spec,
        test_mode: true,
        client_secret: secret.clone(),
        disabled_checks,
        mutant,
        statement,
    };
    let reference = reference::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    let profile = Profile::embedded(&reference.base_url());
    let target = Target::new(profile, &overlay, Some(secret.clone()), options)?;
    Ok(Embedded {
        reference,
        target: Arc::new(target),
        secret,
    })
}
