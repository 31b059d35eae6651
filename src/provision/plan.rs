//! Provisioning planned before running (`konform plan --target FILE`): per case, how its
//! `given` will be established on the target — nothing to establish, the state-change endpoint,
//! a pool citizen, a pool citizen plus setup calls — or why it cannot be (not applicable, with
//! the reason a run would give). Pool capacity is simulated in case order: a profile whose
//! citizens each serve one case (`reuse: false`, or changed by derived setup) is used up after
//! as many cases as it has citizens. The main entry point is [`plan_cases`]; [`Tally`] counts
//! the modes per method and overall.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::pool::{Choice, CitizenPool};
use super::{Need, StateError, state_request};
use crate::case::given::Given;
use crate::clock::Clock;
use crate::plan::PlannedCase;
use crate::spec::model::Transport;
use crate::target::Profile;

/// How one case's preconditions will be established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum Mode {
    /// The case needs no citizen and no projects.
    Nothing,
    /// The target's state-change endpoint.
    StateEndpoint,
    /// A citizen of the named pool profile.
    PoolCitizen { profile: String },
    /// A citizen of the named pool profile plus setup calls through the services' own methods.
    PoolAndSetup { profile: String, calls: usize },
    /// Not applicable on this target.
    NotApplicable { reason: String },
}

impl Mode {
    /// The mode's name in tables.
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Nothing => "nothing to establish",
            Mode::StateEndpoint => "state endpoint",
            Mode::PoolCitizen { .. } => "pool citizen",
            Mode::PoolAndSetup { .. } => "pool + setup calls",
            Mode::NotApplicable { .. } => "not applicable",
        }
    }

    pub fn applicable(&self) -> bool {
        !matches!(self, Mode::NotApplicable { .. })
    }
}

/// One case's plan.
#[derive(Debug, Clone, Serialize)]
pub struct CasePlan {
    pub service: String,
    pub method: String,
    pub id: String,
    #[serde(flatten)]
    pub mode: Mode,
    /// The case's own setup calls (`given.calls`), made in every mode.
    pub declared_calls: usize,
}

/// How the target establishes preconditions.
pub enum Means<'a> {
    StateEndpoint,
    Pool(&'a CitizenPool),
    None,
}

/// Plans every case, in order, against the target of `profile` with `means`; `clock` is the
/// run's.
pub fn plan_cases(
    cases: &[std::sync::Arc<PlannedCase>],
    profile: &Profile,
    means: &Means<'_>,
    clock: Clock,
) -> Vec<CasePlan> {
    // Cases each profile has served, for profiles whose citizens serve one case each.
    let mut used: HashMap<String, usize> = HashMap::new();
    cases
        .iter()
        .map(|c| {
            let mode = plan_one(c, profile, means, clock, &mut used);
            CasePlan {
                service: c.case.service.clone(),
                method: c.case.method.clone(),
                id: c.case.id.clone(),
                mode,
                declared_calls: c.setup.len(),
            }
        })
        .collect()
}

fn na(reason: impl Into<String>) -> Mode {
    Mode::NotApplicable {
        reason: reason.into(),
    }
}

fn plan_one(
    planned: &PlannedCase,
    profile: &Profile,
    means: &Means<'_>,
    run_clock: Clock,
    used: &mut HashMap<String, usize>,
) -> Mode {
    if !profile.roles.contains_key(&planned.caller) {
        return na(format!(
            "the target has no caller role `{}`",
            planned.caller
        ));
    }
    if let Some((i, call)) = planned
        .setup
        .iter()
        .enumerate()
        .find(|(_, c)| !profile.roles.contains_key(&c.caller))
    {
        return na(format!(
            "setup call {} {}: the target has no caller role `{}`",
            i + 1,
            call.method.name,
            call.caller
        ));
    }
    if planned.request.omit.scope
        && planned.method.transport() == Transport::Rest
        && let Err(reason) = crate::target::wire::scope_without(profile, &planned.method)
    {
        return na(reason);
    }
    let Some(given) = &planned.state else {
        return Mode::Nothing;
    };
    let clock = planned
        .clock
        .and_then(|t| t.instant(run_clock))
        .unwrap_or(run_clock);
    let written = super::written_times(&planned.case, clock);
    let other = given.other_citizen.as_ref().map(|o| Given {
        citizen: Some(o.clone()),
        ..Given::default()
    });
    let main = Given {
        other_citizen: None,
        ..given.clone()
    };
    let wanted = (main.citizen.is_some() || !main.projects.is_empty()).then_some(&main);
    let role_code = |name: &str| profile.roles.get(name).map(|r| r.code.clone());
    let mut modes = Vec::new();
    for g in wanted.into_iter().chain(other.as_ref()) {
        let request = match state_request(g, clock, &planned.caller, &role_code) {
            Ok(r) => r,
            Err(e @ StateError::UnknownRole(_)) => return na(e.to_string()),
            Err(e @ StateError::BadTime(_)) => return na(format!("cannot be planned: {e}")),
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
        let mode = match means {
            Means::StateEndpoint => Mode::StateEndpoint,
            Means::None => {
                na("the target profile names neither a state-change endpoint nor a citizen pool")
            }
            Means::Pool(pool) => match pool.choose_with(&need, &|profile| {
                let (citizens, reuse) = pool.capacity(profile).unwrap_or((0, true));
                citizens > 0 && (reuse || used.get(profile).copied().unwrap_or(0) < citizens)
            }) {
                Err(reason) => na(reason),
                Ok(choice) => {
                    let profile = choice.profile().to_string();
                    let (citizens, reuse) = pool.capacity(&profile).unwrap_or((0, true));
                    let one_each = !reuse || matches!(choice, Choice::WithDerived { .. });
                    if one_each {
                        let n = used.entry(profile.clone()).or_default();
                        *n += 1;
                        if *n > citizens {
                            return na(format!(
                                "every citizen of pool profile `{profile}` is used up in this run ({citizens} citizen(s), `reuse: false` or changed by derived setup)"
                            ));
                        }
                    } else if citizens == 0 {
                        return na(format!("pool profile `{profile}` has no citizens"));
                    }
                    match choice {
                        Choice::Citizen { .. } => Mode::PoolCitizen { profile },
                        Choice::WithDerived { groups, .. } => Mode::PoolAndSetup {
                            profile,
                            calls: groups,
                        },
                    }
                }
            },
        };
        if !mode.applicable() {
            return mode;
        }
        modes.push(mode);
    }
    // The main citizen's mode names the case's (the other citizen's joins it).
    modes.into_iter().next().unwrap_or(Mode::Nothing)
}

/// Counts per mode, per method and overall.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// `Service/Method` → mode name → cases.
    pub methods: BTreeMap<String, BTreeMap<&'static str, usize>>,
    pub overall: BTreeMap<&'static str, usize>,
    pub cases: usize,
    pub applicable: usize,
}

impl Tally {
    pub fn of(plans: &[CasePlan]) -> Tally {
        let mut t = Tally::default();
        for p in plans {
            let name = p.mode.name();
            *t.methods
                .entry(format!("{}/{}", p.service, p.method))
                .or_default()
                .entry(name)
                .or_default() += 1;
            *t.overall.entry(name).or_default() += 1;
            t.cases += 1;
            if p.mode.applicable() {
                t.applicable += 1;
            }
        }
        t
    }

    /// The share of applicable cases, in per cent.
    pub fn applicable_percent(&self) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            self.applicable as f64 * 100.0 / self.cases as f64
        }
    }
}

/// The mode names in table order.
pub const MODES: [&str; 5] = [
    "nothing to establish",
    "state endpoint",
    "pool citizen",
    "pool + setup calls",
    "not applicable",
];
