//! Running one case: establish its preconditions, make its setup calls, send its request and
//! judge the answer, all within the case timeout. Every case ends with exactly one verdict and
//! a [`CaseResult`]; nothing here aborts the run. The main entry point is [`run_case`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::conform;
use super::judge::judge_under;
use super::result::{Caller, CaseResult, Verdict};
use crate::case::given::Given;
use crate::case::template::{Context, RenderError};
use crate::clock::Clock;
use crate::cpr;
use crate::plan::PlannedCase;
use crate::provision::{self, Need, ProvisionError, Provisioner, StateError};
use crate::spec::check::Mismatch;
use crate::state::Established;
use crate::target::{Exchange, Failure, Outcome, RenderedRequest, Target};

/// What every case of a run shares.
pub struct RunEnv {
    pub target: Arc<Target>,
    pub provisioner: Arc<dyn Provisioner>,
    /// The run's clock, taken once at the start.
    pub clock: Clock,
    pub timeout: Duration,
    /// Keep CPR numbers unmasked in results.
    pub show_cpr: bool,
    /// How often a case is tried again after the target could not be reached (connection
    /// refused or broken). A wrong answer is never retried.
    pub retries: u32,
    /// The implementation statement the cases are judged under.
    pub statement: Arc<crate::spec::statement::Statement>,
}

impl RunEnv {
    /// The plain environment: the target's own provisioning (its state-change endpoint, if
    /// any), CPR numbers masked, no retries. `konform run` sets the rest from its flags.
    pub fn new(target: Arc<Target>, clock: Clock, timeout: Duration) -> RunEnv {
        RunEnv {
            provisioner: crate::provision::for_target(&target),
            target,
            clock,
            timeout,
            show_cpr: false,
            retries: 0,
            statement: Arc::default(),
        }
    }
}

/// Runs one case to its result: tried again, up to `env.retries` times, while the target
/// cannot be reached; each attempt starts afresh (new preconditions, new `${uuid}`s) and has
/// the whole case timeout.
pub async fn run_case(planned: &PlannedCase, env: &RunEnv) -> CaseResult {
    let started = Instant::now();
    let mut exchanges = Vec::new();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let (verdict, outcome, retriable, mismatches) = attempt(planned, env, &mut exchanges).await;
        if retriable && attempts <= env.retries {
            // A short, growing pause: a target that refused a connection is given a moment.
            let pause = Duration::from_millis(100u64 << (attempts - 1).min(4));
            tokio::time::sleep(pause).await;
            continue;
        }
        let verdict = match verdict {
            Verdict::Error { reason } if attempts > 1 => Verdict::Error {
                reason: format!("{reason} (after {attempts} attempts)"),
            },
            other => other,
        };
        let mut r = result(
            planned,
            verdict,
            outcome,
            exchanges,
            started.elapsed(),
            env.show_cpr,
        );
        r.attempts = attempts;
        r.mismatches = mismatches
            .iter()
            .map(|m| {
                let mut m = conform::structured(m);
                if !env.show_cpr {
                    for s in [&mut m.path, &mut m.expected, &mut m.got] {
                        *s = cpr::mask_all(s).into_owned();
                    }
                }
                m
            })
            .collect();
        super::budget::Budget::default().mismatches(&mut r.mismatches, &mut r.trimmed);
        r.caller = env.target.role(&planned.caller).map(|role| Caller {
            role: planned.caller.clone(),
            organisation: role.organisation.to_string(),
            code: role.code.clone(),
        });
        return r;
    }
}

/// One attempt: the verdict, the outcome, and whether trying again may help.
async fn attempt(
    planned: &PlannedCase,
    env: &RunEnv,
    exchanges: &mut Vec<Exchange>,
) -> (Verdict, Option<Outcome>, bool, Vec<Mismatch>) {
    let mut outcome = None;
    let mut retriable = false;
    let mut mismatches = Vec::new();
    let verdict = match tokio::time::timeout(
        env.timeout,
        execute(
            planned,
            env,
            exchanges,
            &mut outcome,
            &mut retriable,
            &mut mismatches,
        ),
    )
    .await
    {
        Ok(v) => v,
        Err(_) => {
            let detail = format!("no answer within {}", seconds(env.timeout));
            outcome = Some(Outcome::TransportFailure {
                failure: Failure::Timeout,
                detail: detail.clone(),
            });
            retriable = false;
            Verdict::Error {
                reason: format!("{}: {detail}", Failure::Timeout.describe()),
            }
        }
    };
    (verdict, outcome, retriable, mismatches)
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

async fn execute(
    planned: &PlannedCase,
    env: &RunEnv,
    exchanges: &mut Vec<Exchange>,
    outcome: &mut Option<Outcome>,
    retriable: &mut bool,
    mismatches: &mut Vec<Mismatch>,
) -> Verdict {
    let na = |reason: String| Verdict::NotApplicable { reason };
    let clock = planned
        .clock
        .and_then(|t| t.instant(env.clock))
        .unwrap_or(env.clock);
    if env.target.role(&planned.caller).is_none() {
        return na(format!(
            "the target has no caller role `{}`",
            planned.caller
        ));
    }
    // Held until the case ends: a pool citizen serves one case at a time.
    let mut leases = Vec::new();
    let mut established = Established::default();
    if let Some(given) = &planned.state {
        let written = provision::written_times(&planned.case, clock);
        // The citizen (and the projects) first, then the other citizen with a state request
        // of its own; the other's named identifiers join the citizen's, its CPR is not used.
        let other = given.other_citizen.as_ref().map(|o| Given {
            citizen: Some(o.clone()),
            ..Given::default()
        });
        let main = Given {
            other_citizen: None,
            ..given.clone()
        };
        let wanted = (main.citizen.is_some() || !main.projects.is_empty()).then_some(&main);
        for (i, g) in wanted.into_iter().chain(other.as_ref()).enumerate() {
            let target = &env.target;
            let role_code = |name: &str| target.role(name).map(|r| r.code.clone());
            let request = match provision::state_request(g, clock, &planned.caller, &role_code) {
                Ok(r) => r,
                Err(e @ StateError::UnknownRole(_)) => return na(e.to_string()),
                Err(e @ StateError::BadTime(_)) => {
                    return Verdict::Error {
                        reason: e.to_string(),
                    };
                }
            };
            let need = Need {
                given: g,
                request: &request,
                caller: &planned.caller,
                clock,
                pins_clock: planned.clock.is_some(),
                tags: &planned.case.tags,
                method: (&planned.case.service, &planned.case.method),
                written_times: &written,
            };
            let est = match env.provisioner.establish(need, exchanges).await {
                Ok(p) => {
                    leases.extend(p.lease);
                    p.established
                }
                Err(e) => return provision_verdict(e, retriable),
            };
            if i == 0 && wanted.is_some() {
                established = est;
            } else {
                established.ids.extend(est.ids);
            }
        }
    }
    if planned.state.as_ref().is_some_and(|g| g.citizen.is_some()) && established.cpr.is_none() {
        return na("the state-change answer gave no CPR for the citizen".into());
    }
    let mut ctx = Context::new(clock, established.cpr.as_deref(), &established.ids);
    ctx.orgs = env
        .target
        .profile
        .roles
        .iter()
        .map(|(name, role)| (name.clone(), role.code.clone()))
        .collect();
    if let Err(e) =
        provision::setup::run_calls(&env.target, &planned.setup, &mut ctx, exchanges).await
    {
        return provision_verdict(e, retriable);
    }
    if let Some(wire) = crate::target::wire::soap_wire(&env.target.profile, &planned.method) {
        ctx.wire = wire.placeholders();
    }
    let request = match RenderedRequest::render(&planned.request, &mut ctx) {
        Ok(r) => r,
        Err(e @ (RenderError::MissingId(_) | RenderError::NoCpr)) => {
            return na(format!("the preconditions are incomplete: {e}"));
        }
        Err(
            e @ (RenderError::TimeOutOfRange(_)
            | RenderError::Unresolved(_)
            | RenderError::NoWire(_)),
        ) => {
            return Verdict::Error {
                reason: e.to_string(),
            };
        }
    };
    if request.omit.scope
        && planned.method.transport() == crate::spec::model::Transport::Rest
        && let Err(reason) =
            crate::target::wire::scope_without(&env.target.profile, &planned.method)
    {
        return na(reason);
    }
    let answered = env
        .target
        .answer(&planned.method, &planned.caller, &request, exchanges)
        .await;
    if let Outcome::TransportFailure { failure, .. } = &answered.outcome {
        *retriable = failure.retriable();
    }
    let verdict = judge_under(&planned.expect, &answered.outcome, &mut ctx, &env.statement);
    *mismatches = conform::mismatches(&planned.method, &answered);
    // A code the reading in force names (refused-caller-status: 400 with 4575) is the answer
    // the case expects, not an undocumented one.
    let chosen = |r: &str, d: &str| env.statement.choice(r, d).alternative;
    if let crate::plan::Expect::Codes(named) = planned.expect.under(&chosen)
        && matches!(planned.expect, crate::plan::Expect::ByReading { .. })
    {
        mismatches
            .retain(|m| !(m.path == "error" && named.iter().any(|c| m.got == format!("code {c}"))));
    }
    let verdict = conform::fold(verdict, mismatches);
    *outcome = Some(answered.outcome);
    verdict
}

fn provision_verdict(e: ProvisionError, retriable: &mut bool) -> Verdict {
    match e {
        ProvisionError::NotApplicable(reason) => Verdict::NotApplicable { reason },
        ProvisionError::Failed(reason) => Verdict::Error { reason },
        ProvisionError::Unreachable(reason) => {
            *retriable = true;
            Verdict::Error { reason }
        }
    }
}

/// Builds a case's result, masking CPR numbers in everything it says unless asked not to
/// (exchanges are masked when recorded).
pub fn result(
    planned: &PlannedCase,
    verdict: Verdict,
    outcome: Option<Outcome>,
    exchanges: Vec<Exchange>,
    elapsed: Duration,
    show_cpr: bool,
) -> CaseResult {
    let case = &planned.case;
    let mask = |s: String| {
        if show_cpr {
            s
        } else {
            cpr::mask_all(&s).into_owned()
        }
    };
    let verdict = match verdict {
        Verdict::Pass => Verdict::Pass,
        Verdict::Fail { reason } => Verdict::Fail {
            reason: mask(reason),
        },
        Verdict::Error { reason } => Verdict::Error {
            reason: mask(reason),
        },
        Verdict::NotApplicable { reason } => Verdict::NotApplicable {
            reason: mask(reason),
        },
        Verdict::Inconclusive {
            reason,
            reading,
            alternative,
        } => Verdict::Inconclusive {
            reason: mask(reason),
            reading,
            alternative,
        },
    };
    let outcome = outcome.map(|o| if show_cpr { o } else { mask_outcome(o) });
    let mut r = CaseResult {
        id: case.id.clone(),
        title: mask(case.title.clone()),
        service: case.service.clone(),
        method: case.method.clone(),
        covers: case.covers.clone(),
        tags: case.tags.clone(),
        assumes: case.assumes.clone(),
        generated: case.origin.generated,
        origin: format!("{}:{}", case.origin.file, case.origin.line),
        verdict,
        expected: planned.expect.describe(),
        outcome,
        exchanges,
        duration_ms: elapsed.as_secs_f64() * 1000.0,
        attempts: 1,
        caller: None,
        reproduce: None,
        grounds: planned.grounds.clone(),
        trimmed: Vec::new(),
        mismatches: Vec::new(),
    };
    super::budget::Budget::default().apply(&mut r);
    r
}

fn mask_outcome(o: Outcome) -> Outcome {
    match o {
        Outcome::Success { status, mut body } => {
            mask_value(&mut body);
            Outcome::Success { status, body }
        }
        Outcome::DfdgError { status, mut errors } => {
            for e in &mut errors {
                if let Some(t) = &mut e.text {
                    *t = cpr::mask_all(t).into_owned();
                }
            }
            Outcome::DfdgError { status, errors }
        }
        Outcome::HttpStatus { status, body } => Outcome::HttpStatus {
            status,
            body: cpr::mask_all(&body).into_owned(),
        },
        Outcome::TransportFailure { failure, detail } => Outcome::TransportFailure {
            failure,
            detail: cpr::mask_all(&detail).into_owned(),
        },
    }
}

fn mask_value(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(m) = cpr::mask_all(s) {
                *s = m;
            }
        }
        Value::Number(n) => {
            let text = n.to_string();
            if let std::borrow::Cow::Owned(m) = cpr::mask_all(&text) {
                *v = Value::String(m);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_value),
        Value::Object(map) => map.values_mut().for_each(mask_value),
        Value::Null | Value::Bool(_) => {}
    }
}
