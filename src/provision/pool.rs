//! A citizen pool: a vendor's test environment has no state-change endpoint, but it has test
//! citizens in known states. The pool file names precondition profiles, each with the `given`
//! it satisfies (in the case language) and the CPRs (and identifiers) of the citizens that
//! satisfy it. The main types here are [`PoolFile`] and [`CitizenPool`], the provisioner.
//!
//! ```yaml
//! profiles:
//!   - name: plain
//!     given: { citizen: {} }                     # alive, jobcentre `jobcenter`, kommune `kommune`
//!     citizens: [{ cpr: "0101851001" }, { cpr: "0202852002" }]
//!   - name: dagpenge
//!     given:
//!       citizen:
//!         contact_groups: [{ id: cg, type: 1, start: today-60d }]
//!     reuse: false                               # each citizen serves one case per run
//!     citizens:
//!       - { cpr: "0303853003", ids: { cg: "6f0c2d3e-1111-4000-8000-000000000001" } }
//! derive: { caller: jobcenter }                  # the role derived setup calls are made as
//! ```
//!
//! How a case finds its citizen, in order:
//!
//! 1. a tag `pool:NAME` on the case names the profile outright;
//! 2. a profile whose `given`, normalised, equals the case's: both are turned into the
//!    state-change request (times resolved against the run's clock, caller roles replaced by
//!    organisation codes, defaults filled in), and compared without `now`;
//!    else the first profile whose state satisfies the case's within the boundaries the rules
//!    of its method draw ([`super::tolerance`]: fixed dates for times relative to today);
//! 3. a profile that equals or satisfies the case's `given` less what can be derived (contact
//!    groups through CreateContactGroup, sick leave through CreateSygemelding, health
//!    limitations through CreateHealthLimitation, interviews through CreatePersonInterview,
//!    [`super::derive`]), fewest kinds of call first; such a citizen is not returned to the
//!    pool.
//!
//! Each citizen serves one case at a time (a lease, returned when the case ends); a profile
//! with `reuse: false` gives each citizen to one case per run. A case that pins its own clock
//! (`given.clock`) is not applicable: a target without a state-change endpoint keeps its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Notify;

use super::derive::{Deriver, Parts};
use super::tolerance::{self, Frame, Span};
use super::{BoxFuture, Need, ProvisionError, Provisioned, Provisioner, state_request};
use crate::case::given::Given;
use crate::clock::Clock;
use crate::diag::{YamlError, read_yaml};
use crate::spec::Spec;
use crate::state::Established;
use crate::target::{Exchange, Target};

/// A citizen pool file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    pub profiles: Vec<PoolProfile>,
    /// Setup derived from `given` (contact groups through CreateContactGroup).
    #[serde(default)]
    pub derive: DeriveSettings,
}

/// A named precondition and the citizens that satisfy it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolProfile {
    pub name: String,
    /// The preconditions these citizens satisfy, in the case language (`caller` sets whom
    /// `registered_by` and `created_by` default to; `clock` and `calls` are not allowed).
    pub given: Given,
    /// Return a citizen to the pool when its case ends (default). `false`: each citizen
    /// serves one case per run, for states a case may change.
    #[serde(default = "yes")]
    pub reuse: bool,
    pub citizens: Vec<PoolCitizen>,
}

fn yes() -> bool {
    true
}

/// One test citizen of the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolCitizen {
    /// The CPR (absent for a profile about projects only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpr: Option<String>,
    /// The target's identifiers of the items the profile's `given` names (`cg: <uuid>`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ids: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeriveSettings {
    /// Derive contact groups through CreateContactGroup. Default: true (the profile's
    /// `derive_setup: false` turns it off too).
    #[serde(default = "yes")]
    pub contact_groups: bool,
    /// Derive sick leave (absences of type 11 with a start and perhaps an end) through
    /// CreateSygemelding. Default: true.
    #[serde(default = "yes")]
    pub sick_leave: bool,
    /// Derive health limitations through CreateHealthLimitation. Default: true.
    #[serde(default = "yes")]
    pub health_limitations: bool,
    /// Derive interviews (and their participants) through CreatePersonInterview, each as the
    /// role of the organisation that registered it. Default: true.
    #[serde(default = "yes")]
    pub interviews: bool,
    /// The caller role derived calls are made as. Default: `jobcenter`.
    #[serde(default = "default_caller")]
    pub caller: String,
}

impl Default for DeriveSettings {
    fn default() -> Self {
        DeriveSettings {
            contact_groups: true,
            sick_leave: true,
            health_limitations: true,
            interviews: true,
            caller: default_caller(),
        }
    }
}

fn default_caller() -> String {
    "jobcenter".into()
}

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    #[error("{}: {}", path.display(), problems.join("; "))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
}

impl PoolFile {
    /// Reads and checks a pool file: profile names unique, every CPR valid and in one place,
    /// no `clock` or `calls` in a profile's `given`. Every problem at once.
    pub fn load(path: &Path) -> Result<PoolFile, PoolError> {
        let file: PoolFile = read_yaml(path, "citizen pool")?;
        let problems = file.problems();
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(PoolError::Invalid {
                path: path.into(),
                problems,
            })
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut names = BTreeSet::new();
        let mut cprs: BTreeMap<&str, &str> = BTreeMap::new();
        for p in &self.profiles {
            if !names.insert(p.name.as_str()) {
                problems.push(format!("profile `{}` is named twice", p.name));
            }
            if p.given.clock.is_some() {
                problems.push(format!(
                    "profile `{}`: `given.clock` cannot be promised by a pool (the target keeps its own clock)",
                    p.name
                ));
            }
            if !p.given.calls.is_empty() {
                problems.push(format!(
                    "profile `{}`: `given.calls` belong in cases, not in a pool",
                    p.name
                ));
            }
            if p.citizens.is_empty() {
                problems.push(format!("profile `{}` has no citizens", p.name));
            }
            for c in &p.citizens {
                match (&c.cpr, &p.given.citizen) {
                    (Some(cpr), _) => {
                        if !crate::cpr::is_valid(cpr) {
                            problems.push(format!(
                                "profile `{}`: `{}` is not a CPR number",
                                p.name,
                                crate::cpr::mask_all(cpr)
                            ));
                        }
                        if let Some(other) = cprs.insert(cpr, &p.name) {
                            problems.push(format!(
                                "CPR {} is in profiles `{other}` and `{}`: a citizen is in one profile",
                                crate::cpr::mask(cpr),
                                p.name
                            ));
                        }
                    }
                    (None, Some(_)) => {
                        problems.push(format!("profile `{}`: a citizen without a `cpr`", p.name))
                    }
                    (None, None) => {}
                }
            }
        }
        problems
    }
}

/// One profile's citizens and who holds them.
#[derive(Debug)]
struct Slot {
    name: String,
    reuse: bool,
    /// The profile's `given` as a state-change request without `now`.
    normalised: Value,
    citizens: Vec<PoolCitizen>,
    state: Mutex<SlotState>,
    released: Notify,
}

#[derive(Debug)]
struct SlotState {
    /// Free citizens (indices), the next to lease last.
    free: Vec<usize>,
    /// Citizens leased now.
    out: usize,
}

/// A pool citizen leased to one case; dropping it returns the citizen, unless the profile
/// gives each citizen to one case only or derived setup changed it.
#[derive(Debug)]
pub struct Lease {
    slot: Arc<Slot>,
    index: usize,
    /// The citizen may have changed: never return it.
    keep_out: bool,
    /// The case never used the citizen (its preconditions failed first): return it even to
    /// a profile whose citizens serve one case each.
    unused: bool,
}

impl Lease {
    /// The profile the citizen came from.
    pub fn profile(&self) -> &str {
        &self.slot.name
    }

    fn taint(&mut self) {
        self.keep_out = true;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut state = self.slot.state.lock().unwrap_or_else(|p| p.into_inner());
        state.out -= 1;
        if !self.keep_out && (self.slot.reuse || self.unused) {
            state.free.push(self.index);
        }
        drop(state);
        self.slot.released.notify_waiters();
    }
}

impl Slot {
    /// Whether a lease may get a citizen: one is free, or one out will come back.
    fn has_room(&self) -> bool {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        !state.free.is_empty() || (self.reuse && state.out > 0)
    }

    /// Waits for a free citizen; `None` when every citizen is used up for this run.
    async fn lease(self: &Arc<Self>) -> Option<Lease> {
        loop {
            let released = self.released.notified();
            tokio::pin!(released);
            released.as_mut().enable();
            {
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(index) = state.free.pop() {
                    state.out += 1;
                    return Some(Lease {
                        slot: self.clone(),
                        index,
                        keep_out: false,
                        unused: false,
                    });
                }
                if state.out == 0 {
                    return None;
                }
            }
            released.await;
        }
    }
}

/// The provisioner of a target with a citizen pool.
#[derive(Debug)]
pub struct CitizenPool {
    target: Arc<Target>,
    slots: Vec<Arc<Slot>>,
    deriver: Option<Deriver>,
    /// The run's clock, which every profile was normalised against.
    clock: Clock,
    /// The durations the documents state, per service and method ([`tolerance`]).
    spans: BTreeMap<(String, String), Vec<Span>>,
}

impl CitizenPool {
    /// Builds the pool of a target: every profile's `given` normalised against the run's
    /// clock and the target's roles. `derive` allows derived setup calls.
    pub fn new(
        file: PoolFile,
        target: Arc<Target>,
        spec: &Spec,
        clock: Clock,
        derive: bool,
    ) -> Result<CitizenPool, Vec<String>> {
        let mut problems = file.problems();
        let role_code = |name: &str| target.role(name).map(|r| r.code.clone());
        let mut slots = Vec::new();
        for p in file.profiles {
            let caller = p.given.caller.as_deref().unwrap_or("jobcenter");
            match state_request(&p.given, clock, caller, &role_code) {
                Ok(request) => {
                    let n = p.citizens.len();
                    slots.push(Arc::new(Slot {
                        name: p.name,
                        reuse: p.reuse,
                        normalised: without_now(&request),
                        citizens: p.citizens,
                        state: Mutex::new(SlotState {
                            free: (0..n).rev().collect(),
                            out: 0,
                        }),
                        released: Notify::new(),
                    }));
                }
                Err(e) => problems.push(format!("profile `{}`: {e}", p.name)),
            }
        }
        let deriver = if derive
            && (file.derive.contact_groups
                || file.derive.sick_leave
                || file.derive.health_limitations
                || file.derive.interviews)
        {
            if target.role(&file.derive.caller).is_none() {
                problems.push(format!(
                    "derive.caller: the target has no caller role `{}`",
                    file.derive.caller
                ));
            }
            Deriver::new(
                spec,
                &file.derive.caller,
                file.derive.contact_groups,
                file.derive.sick_leave,
                file.derive.health_limitations,
                file.derive.interviews,
            )
            .map(|d| d.for_roles(spec, &target.profile.roles))
        } else {
            None
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let spans = spec
            .methods()
            .map(|m| {
                let key = (m.service.service.clone(), m.method.name.clone());
                let spans = tolerance::method_spans(spec, &key.0, &key.1);
                (key, spans)
            })
            .collect();
        Ok(CitizenPool {
            target,
            slots,
            deriver,
            clock,
            spans,
        })
    }

    /// Reads the pool file and builds the pool.
    pub fn load(
        path: &Path,
        target: Arc<Target>,
        spec: &Spec,
        clock: Clock,
        derive: bool,
    ) -> Result<CitizenPool, PoolError> {
        let file = PoolFile::load(path)?;
        CitizenPool::new(file, target, spec, clock, derive).map_err(|problems| PoolError::Invalid {
            path: path.into(),
            problems,
        })
    }

    fn slot(&self, name: &str) -> Option<&Arc<Slot>> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// The profile whose state is the wanted one, else the first whose state satisfies it
    /// within the boundaries of `frame` ([`tolerance::equivalent`]); only profiles `room`
    /// allows.
    fn matching(
        &self,
        normalised: &Value,
        frame: &Frame,
        room: &dyn Fn(&str) -> bool,
    ) -> Option<&Arc<Slot>> {
        self.slots
            .iter()
            .find(|s| &s.normalised == normalised && room(&s.name))
            .or_else(|| {
                self.slots.iter().find(|s| {
                    room(&s.name) && tolerance::equivalent(normalised, &s.normalised, frame)
                })
            })
    }

    /// What a need's times are compared against.
    fn frame(&self, need: &Need<'_>) -> Frame {
        let (service, method) = need.method;
        Frame {
            now: Some(need.clock),
            anchors: need.written_times.to_vec(),
            spans: self
                .spans
                .get(&(service.to_string(), method.to_string()))
                .cloned()
                .unwrap_or_default(),
        }
    }

    async fn lease(&self, slot: &Arc<Slot>) -> Result<Lease, ProvisionError> {
        slot.lease().await.ok_or_else(|| {
            ProvisionError::NotApplicable(format!(
                "every citizen of pool profile `{}` is used up in this run ({} citizen(s), `reuse: false` or changed by derived setup)",
                slot.name,
                slot.citizens.len()
            ))
        })
    }

    fn established(lease: &Lease) -> Established {
        let citizen = &lease.slot.citizens[lease.index];
        Established {
            cpr: citizen.cpr.clone(),
            ids: citizen.ids.clone(),
        }
    }
}

fn without_now(request: &Value) -> Value {
    let mut v = request.clone();
    if let Some(map) = v.as_object_mut() {
        map.shift_remove("now");
    }
    v
}

fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 300 {
        format!("{}…", text.chars().take(300).collect::<String>())
    } else {
        text
    }
}

/// How the pool would establish a need, decided without leasing anything: what `konform plan`
/// shows and what [`CitizenPool::establish`](Provisioner::establish) acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// A citizen of the profile, as it is (named by a `pool:NAME` tag or matching).
    Citizen { profile: String },
    /// A citizen of the profile, plus the parts derived through the services' own methods
    /// (`groups` setup calls).
    WithDerived {
        profile: String,
        groups: usize,
        parts: Parts,
    },
}

impl Choice {
    /// The pool profile chosen.
    pub fn profile(&self) -> &str {
        match self {
            Choice::Citizen { profile } | Choice::WithDerived { profile, .. } => profile,
        }
    }
}

impl CitizenPool {
    /// How `need` would be established, or why it cannot be (the not-applicable reason).
    pub fn choose(&self, need: &Need<'_>) -> Result<Choice, String> {
        self.pick(need, &|_| true)
    }

    /// [`Self::choose`] among the profiles that still have a citizen for the case (`room`):
    /// a profile whose citizens are used up gives way to the next way of establishing the
    /// case (another profile, or one with derived setup). When none has room, the first
    /// choice regardless, whose profile is used up.
    pub fn choose_with(
        &self,
        need: &Need<'_>,
        room: &dyn Fn(&str) -> bool,
    ) -> Result<Choice, String> {
        self.pick(need, room).or_else(|_| self.choose(need))
    }

    fn pick(&self, need: &Need<'_>, room: &dyn Fn(&str) -> bool) -> Result<Choice, String> {
        if need.pins_clock && need.clock != self.clock {
            return Err(format!(
                "the case pins the clock to {}; a target without a state-change endpoint keeps its own clock",
                need.clock.rfc3339()
            ));
        }
        if let Some(name) = need.tags.iter().find_map(|t| t.strip_prefix("pool:")) {
            return match self.slot(name) {
                Some(slot) => Ok(Choice::Citizen {
                    profile: slot.name.clone(),
                }),
                None => Err(format!(
                    "the case names pool profile `{name}`, which the citizen pool does not have"
                )),
            };
        }
        let wanted = without_now(need.request);
        let frame = self.frame(need);
        if let Some(slot) = self.matching(&wanted, &frame, room) {
            return Ok(Choice::Citizen {
                profile: slot.name.clone(),
            });
        }
        if let Some(deriver) = &self.deriver {
            for parts in Parts::in_order() {
                let Some((base, derived)) = deriver.split(&wanted, parts) else {
                    continue;
                };
                // The derived items are created with the case's times: the same in both
                // states.
                let mut frame = frame.clone();
                frame.anchor_state(&derived.as_value());
                if let Some(slot) = self.matching(&base, &frame, room) {
                    return Ok(Choice::WithDerived {
                        profile: slot.name.clone(),
                        groups: derived.calls(),
                        parts,
                    });
                }
            }
        }
        if let Some(deriver) = &self.deriver
            && let Some((base, _)) = deriver.split(&wanted, Parts::ALL)
        {
            return Err(format!(
                "no citizen pool profile satisfies these preconditions, with or without what could be derived ({}): {}",
                deriver.describe(),
                shown(&base)
            ));
        }
        Err(format!(
            "no citizen pool profile satisfies these preconditions: {}",
            shown(&wanted)
        ))
    }

    /// The pool profile whose `given` normalises to `request` (a state-change request; its
    /// `now` is ignored), if any; times compared exactly.
    pub fn profile_for(&self, request: &Value) -> Option<String> {
        self.matching(&without_now(request), &Frame::default(), &|_| true)
            .map(|s| s.name.clone())
    }

    /// A profile's citizens and whether each serves more than one case (`reuse`).
    pub fn capacity(&self, profile: &str) -> Option<(usize, bool)> {
        self.slot(profile).map(|s| (s.citizens.len(), s.reuse))
    }
}

impl Provisioner for CitizenPool {
    fn establish<'a>(
        &'a self,
        need: Need<'a>,
        exchanges: &'a mut Vec<Exchange>,
    ) -> BoxFuture<'a, Result<Provisioned, ProvisionError>> {
        Box::pin(async move {
            let room = |name: &str| self.slot(name).is_some_and(|s| s.has_room());
            let choice = self
                .choose_with(&need, &room)
                .map_err(ProvisionError::NotApplicable)?;
            let slot = self
                .slot(choice.profile())
                .ok_or_else(|| ProvisionError::Failed("the chosen profile vanished".into()))?;
            let mut lease = self.lease(slot).await?;
            let mut established = Self::established(&lease);
            let Choice::WithDerived { parts, .. } = choice else {
                return Ok(Provisioned {
                    established,
                    lease: Some(lease),
                });
            };
            let Some((deriver, (_, derived))) = self
                .deriver
                .as_ref()
                .and_then(|d| d.split(&without_now(need.request), parts).map(|s| (d, s)))
            else {
                return Err(ProvisionError::Failed(
                    "derived setup was chosen but cannot be made".into(),
                ));
            };
            let Some(cpr) = established.cpr.clone() else {
                return Err(ProvisionError::NotApplicable(format!(
                    "pool profile `{}` has no citizen to make derived setup calls for",
                    slot.name
                )));
            };
            // A citizen derived setup may have changed does not go back to the pool, also
            // when the case times out mid-call; one whose first call the target refused is as
            // it was, and does.
            lease.taint();
            let mut created = 0;
            let result = deriver
                .create(
                    &self.target,
                    need.clock.today(),
                    &cpr,
                    &derived,
                    &mut established.ids,
                    &mut created,
                    exchanges,
                )
                .await;
            if created == 0 && matches!(result, Err(ProvisionError::NotApplicable(_))) {
                lease.keep_out = false;
                lease.unused = true;
            }
            result?;
            Ok(Provisioned {
                established,
                lease: Some(lease),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(yaml: &str) -> PoolFile {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn a_pool_file_names_every_problem() {
        let f = file(
            r#"
profiles:
  - name: a
    given: { citizen: {}, clock: "2026-01-01T00:00:00+01:00" }
    citizens: [{ cpr: "0101851001" }, { cpr: "3201851001" }]
  - name: a
    given: { citizen: {} }
    citizens: [{ cpr: "0101851001" }, {}]
  - name: empty
    given: { citizen: {} }
    citizens: []
"#,
        );
        let problems = f.problems().join("\n");
        for expected in [
            "profile `a` is named twice",
            "`given.clock` cannot be promised",
            "is not a CPR number",
            "CPR 010185-**** is in profiles `a` and `a`",
            "a citizen without a `cpr`",
            "profile `empty` has no citizens",
        ] {
            assert!(problems.contains(expected), "{expected}:\n{problems}");
        }
        assert!(!problems.contains("0101851001"), "CPR numbers are masked");
    }

    #[tokio::test]
    async fn leases_wait_for_a_free_citizen_and_used_up_profiles_say_so() {
        let slot = Arc::new(Slot {
            name: "p".into(),
            reuse: true,
            normalised: Value::Null,
            citizens: vec![PoolCitizen {
                cpr: Some("0101851001".into()),
                ids: BTreeMap::new(),
            }],
            state: Mutex::new(SlotState {
                free: vec![0],
                out: 0,
            }),
            released: Notify::new(),
        });
        let first = slot.lease().await.unwrap();
        let waiting = tokio::spawn({
            let slot = slot.clone();
            async move { slot.lease().await.map(|l| l.index) }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "one case at a time");
        drop(first);
        assert_eq!(waiting.await.unwrap(), Some(0));

        let mut tainted = slot.lease().await.unwrap();
        tainted.taint();
        drop(tainted);
        assert!(
            slot.lease().await.is_none(),
            "a changed citizen is not returned"
        );
    }
}
