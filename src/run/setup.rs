//! Run set-up: what a run needs before its first case and the summary after its last, in one
//! place for `konform run`, `konform bench`, `konform mutate` and the conformance test binary.
//! [`start`] chooses the target (the embedded reference when no profile is given, else the
//! profile's) and the provisioner (a citizen pool when the profile names one, else the
//! target's own state-change endpoint) and builds the run environment; [`Setup::run`] runs the
//! chosen cases and builds the [`RunSummary`]. The main entry points are [`start`] and
//! [`Setup::run`].
//!
//! ```no_run
//! # async fn example(spec: std::sync::Arc<konform::spec::Spec>,
//! #                  cases: Vec<std::sync::Arc<konform::plan::PlannedCase>>)
//! #                  -> Result<(), konform::run::setup::SetupError> {
//! use konform::run::setup::{self, Settings};
//! let settings = Settings::new(konform::clock::Clock::now(), std::time::Duration::from_secs(10));
//! let setup = setup::start(&spec, None, settings).await?;
//! let summary = setup.run("run-1", cases, 4, std::future::pending(), |_| {}).await;
//! println!("{} methods", summary.methods.len());
//! # Ok(()) }
//! ```

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::embedded::{self, Embedded, EmbeddedError};
use super::execute::RunEnv;
use super::filter::{Filter, FilterError, Shard};
use super::result::{CaseResult, RunSummary};
use super::runner::{RunEnd, run_cases_until};
use crate::clock::Clock;
use crate::plan::PlannedCase;
use crate::provision::pool::{CitizenPool, PoolError};
use crate::provision::{self, Provisioner};
use crate::spec::Spec;
use crate::target::profile::EMBEDDED_ROLES;
use crate::target::{Profile, Target, TargetError, TargetOptions};

/// The caller role names cases may use: the embedded roles and the target's.
pub fn known_roles(extra: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    EMBEDDED_ROLES
        .iter()
        .map(|(name, _, _)| name.to_string())
        .chain(extra)
        .collect()
}

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub options: TargetOptions,
    /// The run's clock, taken once at the start.
    pub clock: Clock,
    /// Time allowed per case, preconditions included.
    pub timeout: Duration,
    /// Keep CPR numbers unmasked in results.
    pub show_cpr: bool,
    /// How often a case is tried again when the target cannot be reached.
    pub retries: u32,
    /// The implementation statement the cases are judged under (and the embedded reference
    /// answers under).
    pub statement: Arc<crate::spec::statement::Statement>,
}

impl Settings {
    /// Default target options, CPR numbers masked, no retries.
    pub fn new(clock: Clock, timeout: Duration) -> Settings {
        Settings {
            options: TargetOptions::default(),
            clock,
            timeout,
            show_cpr: false,
            retries: 0,
            statement: Arc::default(),
        }
    }
}

/// Why a run could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// Nothing answers at the target (or no TLS connection can be made): one error for the
    /// run, not one per case.
    #[error("{0}")]
    Unreachable(String),
}

/// A run ready to start: the environment every case runs in, and the embedded reference when
/// it is the target (it lives as long as the set-up).
pub struct Setup {
    pub env: Arc<RunEnv>,
    pub embedded: Option<Embedded>,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The provisioner has no Debug; the target says where the run goes.
        f.debug_struct("Setup")
            .field("target", &self.env.target.profile.describe())
            .field("embedded", &self.embedded)
            .finish_non_exhaustive()
    }
}

/// Chooses the target and the provisioner and builds the run environment. Without a profile
/// the reference is started in-process on a loopback port.
pub async fn start(
    spec: &Arc<Spec>,
    profile: Option<Profile>,
    settings: Settings,
) -> Result<Setup, SetupError> {
    let Settings {
        options,
        clock,
        timeout,
        show_cpr,
        retries,
        statement,
    } = settings;
    let (embedded, target) = match profile {
        None => {
            let e = embedded::start_with(
                spec.clone(),
                &options,
                Default::default(),
                (*statement).clone(),
            )
            .await?;
            let t = e.target.clone();
            (Some(e), t)
        }
        Some(p) => {
            let target = Arc::new(Target::new(p, &spec.overlay, None, &options)?);
            // A target nothing answers at stops the run with one error, not one per case;
            // with `--retries` the cases try (and report) it themselves.
            if retries == 0
                && let Some(why) = crate::doctor::unreachable(&target, spec).await
            {
                return Err(SetupError::Unreachable(why));
            }
            (None, target)
        }
    };
    let provisioner: Arc<dyn Provisioner> = match &target.profile.citizen_pool {
        Some(path) => Arc::new(CitizenPool::load(
            path,
            target.clone(),
            spec,
            clock,
            target.profile.derive_setup,
        )?),
        None => provision::for_target(&target),
    };
    let env = Arc::new(RunEnv {
        provisioner,
        target,
        clock,
        timeout,
        show_cpr,
        retries,
        statement,
    });
    Ok(Setup { env, embedded })
}

impl Setup {
    pub fn target(&self) -> &Arc<Target> {
        &self.env.target
    }

    /// The target's secrets, for redacting reports and logs.
    pub fn secrets(&self) -> Vec<String> {
        self.env.target.secrets()
    }

    /// Runs `cases`, `jobs` at a time, until all are done or `interrupt` completes; every
    /// result is handed to `on_result` as it finishes. The summary is complete only when
    /// every case ran; its times are the machine's wall clock, not the run's clock.
    pub async fn run<I, F>(
        &self,
        run_id: &str,
        cases: Vec<Arc<PlannedCase>>,
        jobs: usize,
        interrupt: I,
        on_result: F,
    ) -> RunSummary
    where
        I: Future<Output = ()>,
        F: FnMut(&CaseResult),
    {
        let mut on_result = on_result;
        self.run_until(run_id, cases, jobs, None, interrupt, |r| on_result(r))
            .await
    }

    /// [`Setup::run`], starting no further case once `max_fail` cases have failed
    /// (`--max-fail`): the summary is then incomplete and says why in `stopped`. `on_result`
    /// may change a result before it is kept (`konform run` redacts it there, once).
    pub async fn run_until<I, F>(
        &self,
        run_id: &str,
        cases: Vec<Arc<PlannedCase>>,
        jobs: usize,
        max_fail: Option<usize>,
        interrupt: I,
        mut on_result: F,
    ) -> RunSummary
    where
        I: Future<Output = ()>,
        F: FnMut(&mut CaseResult),
    {
        let started = Utc::now();
        let mut results = Vec::with_capacity(cases.len());
        let end = run_cases_until(
            cases,
            self.env.clone(),
            jobs,
            max_fail,
            interrupt,
            |mut r| {
                on_result(&mut r);
                results.push(r);
            },
        )
        .await;
        let complete = end == RunEnd::Complete;
        let finished = Utc::now();
        let target = self.target();
        let mut summary = RunSummary::from_cases(
            run_id.to_string(),
            started.to_rfc3339(),
            finished.to_rfc3339(),
            target.profile.describe(),
            complete,
            results,
        );
        summary.cpr_shown = self.env.show_cpr;
        summary.tls_verification_off = target.tls_verification_off();
        if let RunEnd::CutShort { failures } = end {
            summary.stopped = Some(format!(
                "the run was cut short after {failures} failing case(s) (--max-fail)"
            ));
        }
        summary
    }
}

/// The cases run at once when `--jobs` is not given, for a machine with `cores` cores. The
/// embedded reference answers in-process, so the harness and the server share the cores: two
/// cases per core keep them busy while a case waits on the loopback. A remote target is
/// bound by its latency, not by our cores: eight cases per core, at least 16 and at most 64,
/// so a target 20 ms away is not waited on one case at a time, and a test environment is not
/// flooded.
pub fn default_jobs(embedded: bool, cores: usize) -> usize {
    let cores = cores.max(1);
    if embedded {
        2 * cores
    } else {
        (8 * cores).clamp(16, 64)
    }
}

/// A run's id: its start (UTC, to the second) and six hex digits of a uuid v4, so runs started
/// in the same second differ (`20261124T090000Z-1a2b3c`).
pub fn run_id(started: DateTime<Utc>) -> String {
    format!(
        "{}-{}",
        started.format("%Y%m%dT%H%M%SZ"),
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    )
}

/// The cases a run takes: those the filter matches, then those of the shard, if any.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub cases: Vec<Arc<PlannedCase>>,
    /// How many cases the filter matched, before sharding.
    pub matched: usize,
}

/// [`choose`], with every filter value checked against the corpus: a value that matches no
/// case is an error with the nearest known name ([`Filter::select`]).
pub fn choose_checked(
    all: &[Arc<PlannedCase>],
    filter: &Filter,
    shard: Option<Shard>,
) -> Result<Chosen, FilterError> {
    let matched: Vec<Arc<PlannedCase>> = filter
        .select(all, |c| &c.case)?
        .into_iter()
        .cloned()
        .collect();
    let count = matched.len();
    let cases = match shard {
        Some(shard) => matched
            .into_iter()
            .filter(|c| shard.contains(&c.case.id))
            .collect(),
        None => matched,
    };
    Ok(Chosen {
        cases,
        matched: count,
    })
}

/// Chooses the cases of a run from a planned corpus.
pub fn choose(all: &[Arc<PlannedCase>], filter: &Filter, shard: Option<Shard>) -> Chosen {
    let matched: Vec<_> = all
        .iter()
        .filter(|c| filter.matches(&c.case))
        .cloned()
        .collect();
    let count = matched.len();
    let cases = match shard {
        Some(shard) => matched
            .into_iter()
            .filter(|c| shard.contains(&c.case.id))
            .collect(),
        None => matched,
    };
    Chosen {
        cases,
        matched: count,
    }
}
