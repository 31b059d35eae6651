//! A starting citizen pool (`konform pool suggest`): the distinct citizen states that cases
//! found no pool profile for, one suggested profile each, with a comment saying which cases it
//! unlocks. Cases are grouped by the state-change request their `given` makes (times resolved
//! against the run's clock, roles replaced by organisation codes), so cases that want the same
//! state share a profile; the profile's `given` is the first such case's, in the case language.
//! The main entry point is [`suggest`]; the CPRs are the vendor's to fill in.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{StateError, state_request};
use crate::case::given::Given;
use crate::clock::Clock;
use crate::plan::PlannedCase;
use crate::target::Profile;

/// One suggested pool profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub name: String,
    /// The `given` (citizen and projects only) the profile's citizens must satisfy.
    pub given: Given,
    /// `Service/case id` of every case it unlocks.
    pub unlocks: Vec<String>,
    /// Whether a case may change the citizen (its method creates or updates), so each citizen
    /// should serve one case (`reuse: false`).
    pub one_each: bool,
    /// The pool profile that has these preconditions already (its citizens ran out): it needs
    /// more citizens, not a new profile.
    pub existing: Option<String>,
}

/// The pool profiles `cases` need, most cases first; `existing` names the pool profile a
/// state-change request matches, if any. Cases without a citizen are skipped.
pub fn suggest(
    cases: &[&PlannedCase],
    profile: &Profile,
    clock: Clock,
    existing: &dyn Fn(&Value) -> Option<String>,
) -> Vec<Suggestion> {
    let role_code = |name: &str| profile.roles.get(name).map(|r| r.code.clone());
    let mut groups: BTreeMap<String, Suggestion> = BTreeMap::new();
    for c in cases {
        let Some(given) = &c.state else { continue };
        let Some(citizen) = &given.citizen else {
            continue;
        };
        // The case's caller is the profile's, so `registered_by` and `created_by` default alike.
        let wanted = Given {
            citizen: Some(citizen.clone()),
            projects: given.projects.clone(),
            caller: (c.caller != "jobcenter").then(|| c.caller.clone()),
            ..Given::default()
        };
        let request = match state_request(&wanted, clock, &c.caller, &role_code) {
            Ok(r) => r,
            Err(StateError::UnknownRole(_) | StateError::BadTime(_)) => continue,
        };
        let found = existing(&request);
        let mut key = request;
        if let Some(m) = key.as_object_mut() {
            m.shift_remove("now");
        }
        let key = Value::to_string(&key);
        let changes = !c.method.name.starts_with("Get")
            && !c.method.name.starts_with("Read")
            && !c.method.name.starts_with("Hent");
        let entry = groups.entry(key).or_insert_with(|| Suggestion {
            name: String::new(),
            given: wanted.clone(),
            unlocks: Vec::new(),
            one_each: false,
            existing: found,
        });
        entry
            .unlocks
            .push(format!("{}/{}", c.case.service, c.case.id));
        entry.one_each |= changes;
    }
    let mut out: Vec<Suggestion> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.unlocks
            .len()
            .cmp(&a.unlocks.len())
            .then(a.unlocks.cmp(&b.unlocks))
    });
    let mut n = 0;
    for s in out.iter_mut() {
        s.name = match &s.existing {
            Some(name) => name.clone(),
            None => {
                n += 1;
                format!("suggested-{n}")
            }
        };
    }
    out
}

/// The pool file text: every suggestion as a profile with its comment, citizens left for the
/// vendor to fill in.
pub fn render(suggestions: &[Suggestion], source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A starting citizen pool, written by `konform pool suggest` from {source}.\n# Each profile is a citizen state that not-applicable cases need. Add the test citizens\n# of your environment in that state (`cpr`, and `ids` for every named item), then name this\n# file in the profile's `citizen_pool`. A profile left without citizens unlocks nothing."
    );
    out.push_str("profiles:\n");
    for s in suggestions {
        let n = s.unlocks.len();
        let shown: Vec<&str> = s.unlocks.iter().take(8).map(String::as_str).collect();
        let more = if n > shown.len() {
            format!(", and {} more", n - shown.len())
        } else {
            String::new()
        };
        let _ = writeln!(out, "  # unlocks {n} case(s): {}{more}", shown.join(", "));
        if s.existing.is_some() {
            let _ = writeln!(
                out,
                "  # => pool profile `{}` has these preconditions already: give it at least {} more citizen(s)",
                s.name,
                if s.one_each { n } else { 1 }
            );
            continue;
        }
        let given = serde_saphyr::to_string(&s.given).unwrap_or_default();
        let _ = writeln!(out, "  - name: {}", s.name);
        out.push_str("    given:\n");
        for line in given.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(out, "      {line}");
        }
        if s.one_each {
            out.push_str(
                "    reuse: false                 # its cases change the citizen: one case each\n",
            );
        }
        out.push_str(&format!(
            "    citizens: []                 # add at least {} citizen(s): {{ cpr: \"…\", ids: {{ … }} }}\n",
            if s.one_each { n } else { 1 }
        ));
    }
    out
}
