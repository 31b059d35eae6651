//! Checks and mutants. Every rule check and every validation check class of the reference has a
//! stable id and goes through this module, so [`ReferenceConfig::disabled_checks`] can switch
//! it off (a mutant) and [`check_ids`] can list them all for mutation testing.
//!
//! Ids:
//! - `validation/cardinality`, `validation/unknown`, `validation/type`, `validation/pattern`,
//!   `validation/length`, `validation/range`, `validation/cpr` (1001), `validation/malformed`
//!   (unreadable XML or JSON): schema validation, for every method;
//! - `auth/8232`, `auth/8233`, `auth/8234` (SOAP caller headers), `auth/401`, `auth/403`
//!   (REST token and scope), `auth/4575` (organisation type and access level);
//! - `rest/412` (repeated `x-requestId`), `rest/request-id-length` (over 46 characters);
//! - `<Method>/<code>` for every documented code a method checks (`CreatePersonInterview/4653`,
//!   `CreatePersonInterview/6005`), and `<Method>/4588` or `<Method>/withdrawn` for methods that
//!   can no longer be used. A method name that occurs in two services is written
//!   `<Service>.<Method>` (`InterviewService.AddInterviewParticipant/8177`);
//! - `clock/danish-time` ([`rules::DANISH_TIME`]): "now" in Danish time; switched off, in UTC.
//!   Tests switch it off; [`check_ids`] does not list it, so it is no mutant of `konform mutate`.
//!
//! The main types here are [`CheckId`] and [`Ctx`], the rule-evaluation context that records
//! the codes a request breaks.
//!
//! [`ReferenceConfig::disabled_checks`]: super::ReferenceConfig::disabled_checks

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::spec::model::{Method, MethodStatus, Spec};

use super::rules;

/// One check of the reference, as mutation testing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckId {
    /// The stable id passed in `disabled_checks`.
    pub id: String,
    /// The method the check belongs to; `None` for checks that apply to every method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The DFDG code (or HTTP status) the check answers with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// What switching it off breaks: the rule the reference then stops enforcing.
    pub breaks: String,
}

/// Checks that apply to every method (or every REST/SOAP method).
pub const GLOBAL_CHECKS: &[(&str, Option<u32>, &str)] = &[
    (
        "validation/malformed",
        Some(1014),
        "unreadable XML or JSON bodies are rejected with 1014",
    ),
    (
        "validation/cardinality",
        Some(1014),
        "missing required elements and too many occurrences are rejected with 1014",
    ),
    (
        "validation/unknown",
        Some(1014),
        "elements the spec does not know are rejected with 1014",
    ),
    (
        "validation/type",
        Some(1014),
        "values that are not of their XSD type (int, boolean, date, dateTime, time, guid) are rejected with 1014",
    ),
    (
        "validation/pattern",
        Some(1014),
        "values that do not match their XSD pattern are rejected with 1014",
    ),
    (
        "validation/length",
        Some(1014),
        "strings outside their length bounds are rejected with 1014",
    ),
    (
        "validation/range",
        Some(1014),
        "numbers outside MinInclusive/MaxInclusive are rejected with 1014",
    ),
    (
        "validation/cpr",
        Some(1001),
        "a CPR number that does not match the CPR pattern is rejected with 1001",
    ),
    (
        "auth/8232",
        Some(8232),
        "a SOAP call without ActiveOrganisationHeader is rejected with 8232",
    ),
    (
        "auth/8233",
        Some(8233),
        "a SOAP call without RequestUserMetadataHeader is rejected with 8233",
    ),
    (
        "auth/8234",
        Some(8234),
        "a SOAP caller header that cannot be read is rejected with 8234",
    ),
    (
        "auth/401",
        Some(401),
        "a REST call without a known bearer token is answered 401",
    ),
    (
        "auth/403",
        Some(403),
        "a REST call whose token lacks the method's scope is answered 403",
    ),
    (
        "auth/4575",
        Some(4575),
        "a caller whose organisation type or access level is not allowed is rejected with 4575",
    ),
    (
        "rest/412",
        Some(412),
        "a repeated x-requestId is answered 412",
    ),
    (
        "rest/request-id-length",
        Some(1014),
        "an x-requestId over 46 characters is rejected with 1014",
    ),
];

/// The set of switched-off checks.
#[derive(Debug, Clone, Default)]
pub struct Switches {
    disabled: BTreeSet<String>,
}

impl Switches {
    pub fn new(disabled: BTreeSet<String>) -> Switches {
        Switches { disabled }
    }

    pub fn on(&self, id: &str) -> bool {
        !self.disabled.contains(id)
    }
}

/// The check-id prefix of every method: its name, or `Service.Method` where the name occurs
/// in more than one service.
pub fn method_prefixes(spec: &Spec) -> BTreeMap<(String, String), String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for m in spec.methods() {
        *count.entry(m.method.name.as_str()).or_default() += 1;
    }
    spec.methods()
        .map(|m| {
            let key = (m.service.service.clone(), m.method.name.clone());
            let prefix = if count[m.method.name.as_str()] > 1 {
                format!("{}.{}", m.service.service, m.method.name)
            } else {
                m.method.name.clone()
            };
            (key, prefix)
        })
        .collect()
}

/// Every check of the reference for this spec: the global ones, then per method the codes it
/// documents and the reference checks.
pub fn check_ids(spec: &Spec) -> Vec<CheckId> {
    let mut out: Vec<CheckId> = GLOBAL_CHECKS
        .iter()
        .map(|(id, code, breaks)| CheckId {
            id: (*id).to_string(),
            service: None,
            method: None,
            code: *code,
            breaks: (*breaks).to_string(),
        })
        .collect();
    let prefixes = method_prefixes(spec);
    for m in spec.methods() {
        let prefix = &prefixes[&(m.service.service.clone(), m.method.name.clone())];
        let mk = |suffix: String, code: Option<u32>, breaks: String| CheckId {
            id: format!("{prefix}/{suffix}"),
            service: Some(m.service.service.clone()),
            method: Some(m.method.name.clone()),
            code,
            breaks,
        };
        match m.method.status {
            MethodStatus::Withdrawn => {
                out.push(mk(
                    "withdrawn".into(),
                    Some(rules::WITHDRAWN_CODE),
                    format!(
                        "{} is withdrawn (BORTFALDER) and must be refused",
                        m.method.name
                    ),
                ));
                continue;
            }
            MethodStatus::Current | MethodStatus::Deprecated => {}
        }
        for (code, rule) in rules::implemented(spec, m.service, m.method) {
            // A code the overlay lists as untestable cannot be provoked with the overlay's
            // values: switching its check off changes nothing, so it is no mutant.
            if spec
                .overlay
                .untestable
                .contains_key(&format!("{}/{code}", m.method.name))
            {
                continue;
            }
            out.push(mk(
                code.to_string(),
                Some(code),
                format!(
                    "{code} ({}): {rule}",
                    error_text(spec, Some(m.method), code)
                ),
            ));
        }
    }
    out
}

/// The documented text of a code: the method's own, else a general fault's, else the first
/// method's that documents it. Never retyped: an undocumented code has an empty text.
pub fn error_text(spec: &Spec, method: Option<&Method>, code: u32) -> String {
    if let Some(text) = method
        .and_then(|m| m.error(code))
        .and_then(|e| e.text.clone())
    {
        return text;
    }
    if let Some(f) = spec.overlay.general_faults.iter().find(|f| f.code == code) {
        return f.text.clone();
    }
    spec.methods()
        .find_map(|m| m.method.error(code).and_then(|e| e.text.clone()))
        .unwrap_or_default()
}

/// Why a request was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// DFDG error codes, in the order found.
    Codes(Vec<u32>),
    /// A bare HTTP status (401, 403, 404, 412, 413).
    Status(u16),
}

/// The rule-evaluation context of one method call: which codes the method documents, which
/// checks are switched off, and the codes found so far.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub method: &'a Method,
    prefix: &'a str,
    switches: &'a Switches,
    /// Codes valid for the method besides its own: the overlay's general SOAP faults.
    general: Vec<u32>,
    errors: Vec<u32>,
}

impl<'a> Ctx<'a> {
    pub fn new(method: &'a Method, prefix: &'a str, switches: &'a Switches) -> Ctx<'a> {
        Ctx {
            method,
            prefix,
            switches,
            general: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Adds the codes valid for every method of the transport (general SOAP faults).
    pub fn with_general(mut self, codes: Vec<u32>) -> Ctx<'a> {
        self.general = codes;
        self
    }

    /// Whether the method documents `code` (or a general fault of its transport holds it).
    pub fn documents(&self, code: u32) -> bool {
        self.method.error(code).is_some() || self.general.contains(&code)
    }

    /// Whether the check for `code` runs: documented, and not switched off.
    pub fn active(&self, code: u32) -> bool {
        self.documents(code) && self.switches.on(&format!("{}/{code}", self.prefix))
    }

    /// Records `code` when its check runs and `violated` says the request breaks it.
    pub fn check(&mut self, code: u32, violated: impl FnOnce() -> bool) {
        if self.active(code) && !self.errors.contains(&code) && violated() {
            self.errors.push(code);
        }
    }

    /// Like [`Ctx::check`] for the first of several codes that documents the situation
    /// (`4404` where documented, else `1010`).
    pub fn check_first(&mut self, codes: &[u32], violated: impl FnOnce() -> bool) {
        if let Some(&code) = codes.iter().find(|c| self.documents(**c)) {
            self.check(code, violated);
        }
    }

    /// Stops evaluation when something was found: later rules need what earlier ones ensured.
    pub fn gate(&self) -> Result<(), Rejection> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Rejection::Codes(self.errors.clone()))
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{Binding, ErrorCode};

    fn method(codes: &[u32]) -> Method {
        Method {
            name: "M".into(),
            former_names: vec![],
            status: MethodStatus::Current,
            description: None,
            binding: Binding::Soap {
                action: "M".into(),
                request_element: "MRequest".into(),
                response_element: None,
            },
            scope: None,
            access: vec![],
            input: vec![],
            output: vec![],
            errors: codes
                .iter()
                .map(|c| ErrorCode {
                    code: *c,
                    text: Some(format!("text {c}")),
                    description: None,
                    at: None,
                })
                .collect(),
            rules: vec![],
            inferences: vec![],
        }
    }

    #[test]
    fn checks_run_only_when_documented_and_switched_on() {
        let m = method(&[4653, 4657]);
        let switches = Switches::new(["M/4657".to_string()].into());
        let mut ctx = Ctx::new(&m, "M", &switches);
        ctx.check(4653, || true);
        ctx.check(4657, || true);
        ctx.check(9999, || true);
        ctx.check(4653, || true);
        assert_eq!(ctx.gate(), Err(Rejection::Codes(vec![4653])));
    }

    #[test]
    fn check_first_picks_the_documented_code() {
        let m = method(&[1010]);
        let switches = Switches::default();
        let mut ctx = Ctx::new(&m, "M", &switches);
        ctx.check_first(&[4404, 1010], || true);
        assert_eq!(ctx.gate(), Err(Rejection::Codes(vec![1010])));
    }
}
