//! Mutation testing: how well the corpus detects the mistakes an implementation makes. A
//! mutant is one planted fault: one of the reference's checks switched off, a fault derived
//! from the spec and the overlay that the reference consults ([`derive`]: boundaries, codes,
//! access cells, identity and life cycle, reporting), or a wrong answer planted by the
//! mutating [`proxy`] in front of any target. A mutant is killed when a case that passes on
//! the intact target fails (or errs) on the mutant; a survivor is a mistake the corpus would
//! not notice. The main entry point is [`run_mutants`].
//!
//! Each mutant runs only the cases that can see it: the cases of its method, or every case for
//! a check that applies to all methods. A mutant stops at its first kill, and several mutants
//! run at once, each against its own in-process reference (and proxy).

pub mod derive;
pub mod proxy;
pub mod reach;

pub use derive::{Kind, MutantDef, Plant, derive};

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
use crate::target::{Profile, Target};

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
    /// An answer mutant the proxy never applied: no answer of the method's cases held what it
    /// changes.
    NotReached { cases: usize },
    /// No case runs against the check's method.
    NoCases,
    /// The mutant could not be started (a konform bug, not a survivor).
    Broken { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutant {
    pub check: CheckId,
    pub kind: Kind,
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

    /// What the mutant did, in words.
    fn what(&self) -> String {
        match self.kind {
            Kind::Check => format!("switching it off ({})", self.check.breaks),
            _ => format!("the fault ({})", self.check.breaks),
        }
    }

    /// Why it survived, in words.
    pub fn survival_reason(&self) -> Option<String> {
        match &self.outcome {
            MutantOutcome::Killed { .. } => None,
            MutantOutcome::Survived { cases } => Some(format!(
                "{} went unnoticed: all {cases} case(s) that can see it still pass",
                self.what()
            )),
            MutantOutcome::NotReached { cases } => Some(format!(
                "no case reaches it: none of the {cases} case(s) of the method makes an exchange {} changes (the element, the code or the several codes it needs are in no request or expectation)",
                self.what()
            )),
            MutantOutcome::NoCases => Some(format!(
                "no case runs against this method, so {} goes unnoticed",
                self.what()
            )),
            MutantOutcome::Broken { reason } => {
                Some(format!("the mutant could not be run: {reason}"))
            }
        }
    }
}

/// Where the mutants' cases run: the embedded reference (a fresh one per mutant), or a target
/// someone started (`konform serve`, a vendor's) for answer mutants through the proxy.
#[derive(Debug, Clone)]
pub enum Upstream {
    Embedded,
    /// The target's base URL and its OAuth2 client secret.
    Url {
        base_url: String,
        secret: Option<String>,
    },
}

/// Runs the intact reference once: the cases that fail here cannot kill anything and are left
/// out of the mutants' runs.
pub async fn baseline(
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
) -> Result<Vec<CaseResult>, MutateError> {
    run_against(spec, None, cases, options, None, &Upstream::Embedded)
        .await
        .map(|(results, _)| results)
}

/// Runs the intact target (through a proxy that changes nothing) once.
pub async fn baseline_at(
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
    upstream: &Upstream,
) -> Result<Vec<CaseResult>, MutateError> {
    run_against(spec, None, cases, options, None, upstream)
        .await
        .map(|(results, _)| results)
}

/// Why a mutant could not be run.
#[derive(Debug, thiserror::Error)]
pub enum MutateError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error("cannot start the mutating proxy: {0}")]
    Proxy(std::io::Error),
    #[error(transparent)]
    Target(#[from] crate::target::TargetError),
}

/// Runs every mutant against the cases that can see it. `cases` should hold only cases that
/// pass on the intact target.
pub async fn run_mutants(
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    mutants: Vec<MutantDef>,
    options: MutateOptions,
    upstream: Upstream,
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
    let upstream = Arc::new(upstream);
    let mut tasks: JoinSet<Mutant> = JoinSet::new();
    for def in mutants {
        let check = &def.check;
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
        let of_method = selected.len();
        let selected = reach::select(&def.reach, selected);
        let spec = spec.clone();
        let limit = limit.clone();
        let options = options.clone();
        let upstream = upstream.clone();
        tasks.spawn(async move {
            let outcome = if selected.is_empty() && of_method > 0 {
                // No case of the method can see it: nothing to run.
                MutantOutcome::NotReached { cases: of_method }
            } else {
                let _permit = limit.acquire_owned().await;
                mutant_outcome(spec, &def.plant, selected, &options, &upstream).await
            };
            Mutant {
                check: def.check,
                kind: def.kind,
                outcome,
            }
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
    plant: &Plant,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
    upstream: &Upstream,
) -> MutantOutcome {
    if cases.is_empty() {
        return MutantOutcome::NoCases;
    }
    let n = cases.len();
    let kill: FirstKill = Arc::new(Mutex::new(None));
    match run_against(
        spec,
        Some(plant),
        cases,
        options,
        Some(kill.clone()),
        upstream,
    )
    .await
    {
        Err(e) => MutantOutcome::Broken {
            reason: e.to_string(),
        },
        Ok((_, applied)) => match kill.lock().map(|mut k| k.take()) {
            Ok(Some((by, reason))) => MutantOutcome::Killed { by, reason },
            Ok(None) if applied == Some(0) => MutantOutcome::NotReached { cases: n },
            Ok(None) => MutantOutcome::Survived { cases: n },
            Err(_) => MutantOutcome::Broken {
                reason: "a case run panicked".into(),
            },
        },
    }
}

/// The first case that killed a mutant, with its verdict's reason.
type FirstKill = Arc<Mutex<Option<(String, String)>>>;

/// Runs `cases` against a target with `plant` planted (none: the intact target). With `kill`,
/// the run stops at the first case that fails or errs, recorded there. Answers, for an answer
/// mutant, how many answers the proxy changed.
async fn run_against(
    spec: Arc<Spec>,
    plant: Option<&Plant>,
    cases: Vec<Arc<PlannedCase>>,
    options: &MutateOptions,
    kill: Option<FirstKill>,
    upstream: &Upstream,
) -> Result<(Vec<CaseResult>, Option<usize>), MutateError> {
    let (disabled, mutant) = match plant {
        Some(Plant::Check(id)) => (std::iter::once(id.clone()).collect(), None),
        Some(Plant::Fault(m)) => (Default::default(), Some(m.clone())),
        Some(Plant::Answer { .. }) | None => (Default::default(), None),
    };
    let overlay = spec.overlay.clone();
    let (embedded, base_url, secret) = match upstream {
        Upstream::Embedded => {
            let e =
                embedded::start_mutant(spec, &TargetOptions::default(), disabled, mutant).await?;
            let url = e.reference.base_url();
            let secret = Some(e.secret.clone());
            (Some(e), url, secret)
        }
        Upstream::Url { base_url, secret } => (None, base_url.clone(), secret.clone()),
    };
    // Answer mutants go through the proxy.
    let proxied = match (plant, upstream) {
        (Some(Plant::Answer { aim, mutation }), _) => Some(
            proxy::start(&base_url, aim.clone(), mutation.clone())
                .await
                .map_err(MutateError::Proxy)?,
        ),
        _ => None,
    };
    let target = match (&proxied, &embedded) {
        (None, Some(e)) => e.target.clone(),
        (Some(p), _) => Arc::new(Target::new(
            Profile::embedded(&p.base_url()),
            &overlay,
            secret,
            &TargetOptions::default(),
        )?),
        (None, None) => Arc::new(Target::new(
            Profile::embedded(&base_url),
            &overlay,
            secret,
            &TargetOptions::default(),
        )?),
    };
    let mut env = RunEnv::new(target, options.clock, options.timeout);
    // The embedded reference answers under konform's defaults of every reading: declared, a
    // mutant that answers as another alternative would fails rather than being inconclusive.
    if matches!(upstream, Upstream::Embedded) {
        env.statement = Arc::new(crate::spec::statement::Statement::defaults(&overlay));
    }
    let env = Arc::new(env);
    let stop = Arc::new(Notify::new());
    let interrupt = {
        let stop = stop.clone();
        async move { stop.notified().await }
    };
    let mut results = Vec::new();
    run_cases(cases, env, options.jobs, interrupt, |r| {
        if let Some(kill) = &kill
            && matches!(r.verdict, Verdict::Fail { .. } | Verdict::Error { .. })
            && let Ok(mut k) = kill.lock()
            && k.is_none()
        {
            *k = Some((
                r.id.clone(),
                r.verdict.reason().unwrap_or_default().to_string(),
            ));
            stop.notify_one();
        }
        results.push(r);
    })
    .await;
    let applied = match (&proxied, plant) {
        (Some(p), Some(Plant::Answer { .. })) => Some(p.applied()),
        _ => None,
    };
    if let Some(p) = proxied {
        p.shutdown().await;
    }
    if let Some(e) = embedded {
        e.reference.shutdown().await;
    }
    Ok((results, applied))
}

/// The overlay's declaration (`unkillable`) that covers a mutant id: an exact key, or a key
/// with `*` standing for one `/`-separated segment (`access/*/STAR/Egne borgere`).
pub fn declared<'a>(
    unkillable: &'a BTreeMap<String, Untestable>,
    id: &str,
) -> Option<(&'a String, &'a Untestable)> {
    unkillable.get_key_value(id).or_else(|| {
        let segs: Vec<&str> = id.split('/').collect();
        unkillable.iter().find(|(k, _)| {
            let pat: Vec<&str> = k.split('/').collect();
            k.contains('*')
                && pat.len() == segs.len()
                && pat.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
        })
    })
}

/// The mutants that survived, each with the overlay's explanation (`unkillable`: an
/// equivalent mutant, with the reason) if it has one, else why the corpus could not see it.
pub fn survivors(mutants: &[Mutant], unkillable: &BTreeMap<String, Untestable>) -> Vec<Survivor> {
    mutants
        .iter()
        .filter(|m| !m.killed())
        .map(|m| {
            let explained = declared(unkillable, &m.check.id);
            Survivor {
                id: m.check.id.clone(),
                method: m.check.method.as_ref().map(|_| m.method_label()),
                reason: match explained {
                    Some((_, u)) => u.reason.clone(),
                    None => m.survival_reason().unwrap_or_default(),
                },
                explained: explained.is_some(),
            }
        })
        .collect()
}

/// What is wrong with the overlay's equivalence declarations for this set of mutants: a
/// declaration that covers a killed mutant (it was not equivalent), or, when `complete` (every
/// mutant was run), one that covers no mutant at all.
pub fn equivalence_errors(
    mutants: &[Mutant],
    unkillable: &BTreeMap<String, Untestable>,
    complete: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut used: std::collections::BTreeSet<&String> = Default::default();
    for m in mutants {
        if let Some((key, _)) = declared(unkillable, &m.check.id) {
            used.insert(key);
            if let MutantOutcome::Killed { by, .. } = &m.outcome {
                out.push(format!(
                    "{} is declared equivalent ({key}) but {by} killed it",
                    m.check.id
                ));
            }
        }
    }
    if complete {
        for key in unkillable.keys().filter(|k| !used.contains(k)) {
            out.push(format!("the declaration {key} covers no mutant"));
        }
    }
    out
}

/// Mutants and kills per family.
pub fn per_kind(mutants: &[Mutant]) -> BTreeMap<String, KillRatio> {
    let mut out: BTreeMap<String, KillRatio> = BTreeMap::new();
    for m in mutants {
        let k = out.entry(m.kind.as_str().to_string()).or_insert(KillRatio {
            mutants: 0,
            killed: 0,
        });
        k.mutants += 1;
        if m.killed() {
            k.killed += 1;
        }
    }
    out
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
        by_kind: per_kind(mutants),
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
