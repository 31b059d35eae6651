//! Mutation testing: how well the corpus detects broken rules. Each check of the reference
//! implementation (a documented code, a prose rule, a validation class) is switched off on its
//! own — a mutant — and the corpus runs against it; a mutant is killed when a case that passes
//! on the intact reference fails (or errs) on the mutant. A survivor is a rule the corpus would
//! not notice missing. The main entry point is [`run_mutants`].
//!
//! Each mutant runs only the cases that can see its check: the cases of its method, or every
//! case for a check that applies to all methods. A mutant stops at its first kill, and several
//! mutants run at once, each against its own in-process reference.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

use crate::case::Case;
use crate::clock::Clock;
use crate::coverage::{self, KillRatio};
use crate::plan::PlannedCase;
use crate::reference::CheckId;
use crate::run::embedded::{self, EmbeddedError};
use crate::run::execute::RunEnv;
use crate::run::result::{CaseResult, MutationScore, RunSummary, Survivor, Verdict};
use crate::run::run_cases;
use crate::spec::Spec;
use crate::spec::overlay::Untestable;
use crate::target::TargetOptions;

/// How to run the mutants.
#[derive(Debug, Clone)]
pub struct MutateOptions {
    /// Mutants run at once, each with its own reference.
    pub mutants_at_once: usize,
    /// Cases run at once against one mutant.
    pub jobs: usize,
    pub timeout: Duration,
    pub clock: Clock,
}

/// What became of one mutant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum MutantOutcome {
    /// A case that passes on the intact reference failed on the mutant.
    Killed { by: String, reason: String },
    /// Every case that could see the check still passed.
    Survived { cases: usize },
    /// No case runs against the check's method.
    NoCases,
    /// The mutant could not be started (a konform bug, not a survivor).
    Broken { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutant {
    pub check: CheckId,
    #[serde(flatten)]
    pub outcome: MutantOutcome,
}

impl Mutant {
    pub fn killed(&self) -> bool {
        matches!(self.outcome, MutantOutcome::Killed { .. })
    }

    /// "Service.Method", or "(every method)" for a global check.
    pub fn method_label(&self) -> String {
        match (&self.check.service, &self.check.method) {
            (Some(s), Some(m)) => format!("{s}.{m}"),
            (None, Some(m)) => m.clone(),
            _ => "(every method)".to_string(),
        }
    }

    /// Why it survived, in words.
    pub fn survival_reason(&self) -> Option<String> {
        match &self.outcome {
            MutantOutcome::Killed { .. } => None,
            MutantOutcome::Survived { cases } => Some(format!(
                "switching it off ({}) went unnoticed: all {cases} case(s) that can see it still pass",
                self.check.breaks
            )),
            MutantOutcome::NoCases => Some(format!(
                "no case runs against this method, so switching it off ({}) goes unnoticed",
                self.check.breaks
            )),
            MutantOutcome::Broken { reason } => {
                Some(format!("the mutant could not be run: {reason}"))
            }
        }
    }
}

/// Runs the intact reference once: the cases that fail here cannot kill anything and are left
/// out of the mutants' runs.
pub async fn baseline(
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
) -> Result<Vec<CaseResult>, EmbeddedError> {
    run_against(spec, Default::default(), cases, options, None).await
}

/// Runs every mutant against the cases that can see it. `cases` should hold only cases that
/// pass on the intact reference.
pub async fn run_mutants(
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    checks: Vec<CheckId>,
    options: MutateOptions,
    mut on_mutant: impl FnMut(&Mutant),
) -> Vec<Mutant> {
    let by_method: BTreeMap<(String, String), Vec<Arc<PlannedCase>>> =
        cases.iter().fold(BTreeMap::new(), |mut m, c| {
            m.entry((c.case.service.clone(), c.case.method.clone()))
                .or_default()
                .push(c.clone());
            m
        });
    let cases = Arc::new(cases);
    let by_method = Arc::new(by_method);
    let limit = Arc::new(Semaphore::new(options.mutants_at_once.max(1)));
    let mut tasks: JoinSet<Mutant> = JoinSet::new();
    for check in checks {
        let selected: Vec<Arc<PlannedCase>> = match (&check.service, &check.method) {
            (Some(s), Some(m)) => by_method
                .get(&(s.clone(), m.clone()))
                .cloned()
                .unwrap_or_default(),
            (None, Some(m)) => by_method
                .iter()
                .filter(|((_, method), _)| method == m)
                .flat_map(|(_, c)| c.iter().cloned())
                .collect(),
            _ => cases.as_ref().clone(),
        };
        let spec = spec.clone();
        let limit = limit.clone();
        let options = options.clone();
        tasks.spawn(async move {
            let _permit = limit
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let outcome = mutant_outcome(spec, &check, selected, &options).await;
            Mutant { check, outcome }
        });
    }
    let mut out = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(m) => {
                on_mutant(&m);
                out.push(m);
            }
            Err(e) => {
                // A task that panicked is a konform bug; it is shown, not counted as a kill.
                eprintln!("a mutant task failed: {e}");
            }
        }
    }
    out.sort_by(|a, b| a.check.id.cmp(&b.check.id));
    out
}

async fn mutant_outcome(
    spec: Arc<Spec>,
    check: &CheckId,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
) -> MutantOutcome {
    if cases.is_empty() {
        return MutantOutcome::NoCases;
    }
    let n = cases.len();
    let kill: FirstKill = Arc::new(Mutex::new(None));
    let disabled = std::iter::once(check.id.clone()).collect();
    match run_against(spec, disabled, cases, options, Some(kill.clone())).await {
        Err(e) => MutantOutcome::Broken {
            reason: e.to_string(),
        },
        Ok(_) => match kill.lock().expect("kill lock").take() {
            Some((by, reason)) => MutantOutcome::Killed { by, reason },
            None => MutantOutcome::Survived { cases: n },
        },
    }
}

/// The first case that killed a mutant, with its verdict's reason.
type FirstKill = Arc<Mutex<Option<(String, String)>>>;

/// Runs `cases` against a reference with `disabled` checks off. With `kill`, the run stops at
/// the first case that fails or errs, recorded there.
async fn run_against(
    spec: Arc<Spec>,
    disabled: std::collections::BTreeSet<String>,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
    kill: Option<FirstKill>,
) -> Result<Vec<CaseResult>, EmbeddedError> {
    let embedded = embedded::start_with_checks(spec, &TargetOptions::default(), disabled).await?;
    let env = Arc::new(RunEnv::new(
        embedded.target.clone(),
        options.clock,
        options.timeout,
    ));
    let stop = Arc::new(Notify::new());
    let interrupt = {
        let stop = stop.clone();
        async move { stop.notified().await }
    };
    let mut results = Vec::new();
    run_cases(cases, env, options.jobs, interrupt, |r| {
        if let Some(kill) = &kill
            && matches!(r.verdict, Verdict::Fail { .. } | Verdict::Error { .. })
        {
            let mut k = kill.lock().expect("kill lock");
            if k.is_none() {
                *k = Some((
                    r.id.clone(),
                    r.verdict.reason().unwrap_or_default().to_string(),
                ));
                stop.notify_one();
            }
        }
        results.push(r);
    })
    .await;
    embedded.reference.shutdown().await;
    Ok(results)
}

/// The mutants that survived, each with the overlay's explanation (`unkillable`) if it has one,
/// else why the corpus could not see it.
pub fn survivors(mutants: &[Mutant], unkillable: &BTreeMap<String, Untestable>) -> Vec<Survivor> {
    mutants
        .iter()
        .filter(|m| !m.killed())
        .map(|m| {
            let explained = unkillable.get(&m.check.id);
            Survivor {
                id: m.check.id.clone(),
                method: m.check.method.as_ref().map(|_| m.method_label()),
                reason: match explained {
                    Some(u) => u.reason.clone(),
                    None => m.survival_reason().unwrap_or_default(),
                },
                explained: explained.is_some(),
            }
        })
        .collect()
}

/// Mutants and kills per (service, method), for the coverage matrix.
pub fn per_method_kills(mutants: &[Mutant]) -> BTreeMap<(String, String), KillRatio> {
    let mut out: BTreeMap<(String, String), KillRatio> = BTreeMap::new();
    for m in mutants {
        if let (Some(s), Some(me)) = (&m.check.service, &m.check.method) {
            let k = out.entry((s.clone(), me.clone())).or_insert(KillRatio {
                mutants: 0,
                killed: 0,
            });
            k.mutants += 1;
            if m.killed() {
                k.killed += 1;
            }
        }
    }
    out
}

/// The summary of the intact run (`baseline`), with the mutation score and, in the coverage
/// matrix, each method's kill ratio. `only`: keep the matrix to these (service, method) pairs.
pub fn intact_summary(
    spec: &Spec,
    models: &[Case],
    run_id: &str,
    started: chrono::DateTime<chrono::Utc>,
    baseline: Vec<CaseResult>,
    mutants: &[Mutant],
    only: Option<&std::collections::BTreeSet<(String, String)>>,
) -> RunSummary {
    let mut summary = RunSummary::from_cases(
        run_id.to_string(),
        started.to_rfc3339(),
        chrono::Utc::now().to_rfc3339(),
        "embedded reference (mutation testing)".to_string(),
        true,
        baseline,
    );
    let kills = per_method_kills(mutants);
    let mut matrix = coverage::compute(spec, models, Some(&summary));
    if let Some(only) = only {
        matrix.retain(|m| only.contains(&(m.service.clone(), m.method.clone())));
    }
    for m in &mut matrix {
        m.kill_ratio = kills.get(&(m.service.clone(), m.method.clone())).copied();
    }
    summary.coverage = matrix;
    summary.mutation = Some(MutationScore {
        mutants: mutants.len(),
        killed: mutants.iter().filter(|m| m.killed()).count(),
        survivors: survivors(mutants, &spec.overlay.unkillable),
    });
    summary
}

/// Kill counts per method ("Service.Method", or "(every method)").
pub fn per_method(mutants: &[Mutant]) -> BTreeMap<String, (usize, usize)> {
    let mut out: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for m in mutants {
        let e = out.entry(m.method_label()).or_default();
        e.0 += 1;
        if m.killed() {
            e.1 += 1;
        }
    }
    out
}
