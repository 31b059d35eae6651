//! The hand-kept overlay, `specs/overlay.yaml`: what the documents do not say but the runner and
//! the reference need. Every entry says whether it is an [`Basis::Assumption`] (konform's
//! choice, with the reason) or an [`Basis::OutsideFact`] (known from outside the excerpts, with
//! the source), so a user can replace it with the values of a real environment.
//! The overlay also holds the catalogue of readings ([`Reading`]): the points where the
//! documents are silent or ambiguous, each with its alternatives, konform's default and the
//! document lines that leave it open; [`Overlay::reading_problems`] checks the catalogue.
//! The main type here is [`Overlay`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{HttpVerb, OrganisationType, Rule, Transport};

/// Why an overlay entry holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Basis {
    /// konform's choice where the documents are silent; `reason` says why this value.
    Assumption { reason: String },
    /// Known from outside the excerpts; `source` says from where.
    OutsideFact { source: String },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// SOAP endpoint path and XML namespace per SOAP service.
    #[serde(default)]
    pub soap_services: BTreeMap<String, SoapService>,
    /// REST verb and path for REST methods whose excerpt lacks them, keyed by method name.
    #[serde(default)]
    pub rest_paths: BTreeMap<String, RestPath>,
    /// Code-list values the texts reveal, keyed by code-list name (`kontaktgruppe`, ...).
    #[serde(default)]
    pub code_lists: BTreeMap<String, CodeList>,
    /// STAR's general SOAP faults, valid for every SOAP method.
    #[serde(default)]
    pub general_faults: Vec<GeneralFault>,
    /// The numeric OrganisationTypeIdentifier per organisation type (ActiveOrganisationHeader).
    #[serde(default)]
    pub organisation_type_ids: Vec<OrganisationTypeId>,
    /// Which organisation types may call a method that documents no allowed-organisation
    /// table (the SOAP services), keyed by method name.
    #[serde(default)]
    pub method_access: BTreeMap<String, MethodAccess>,
    /// Documented codes that cannot be implemented or provoked from outside, keyed
    /// `<Method>/<code>`, each with the reason.
    #[serde(default)]
    pub untestable: BTreeMap<String, Untestable>,
    /// Mutants of the reference (check ids, `konform mutate`) that no case can kill from
    /// outside, each with the reason.
    #[serde(default)]
    pub unkillable: BTreeMap<String, Untestable>,
    /// Which error codes a document rule relates to, keyed by rule id, where the prose does
    /// not name the code itself.
    #[serde(default)]
    pub rule_codes: BTreeMap<String, RuleCodes>,
    /// Rules the documents imply but do not state as prose (derived from error texts and
    /// field descriptions), keyed by method name.
    #[serde(default)]
    pub rules: BTreeMap<String, Vec<OverlayRule>>,
    /// The readings: where the documents leave a point open, its alternatives, keyed by the
    /// reading's name (`cpr-pattern-code`).
    #[serde(default)]
    pub readings: BTreeMap<String, Reading>,
    /// Named assumptions generated cases rest on where the documents leave a question open
    /// (`errors-reported`: all errors of a request or the first), keyed by name; each is meant
    /// to become a reading with its alternatives.
    #[serde(default)]
    pub assumptions: BTreeMap<String, NamedAssumption>,
}

/// A point the documents leave open, with the ways to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// The open point as a question.
    pub question: String,
    /// The ways an implementation may read it, each named.
    pub alternatives: Vec<Alternative>,
    /// The alternative konform assumes where a statement declares none.
    pub default: String,
    /// The document lines that leave it open.
    pub at: Vec<super::provenance::Provenance>,
    /// The codes whose boundary moves with the reading: a case that holds the boundary of one
    /// (tagged `boundary`, covering it) states its expectation under every alternative.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundaries: Vec<u32>,
}

/// One way to read a [`Reading`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub name: String,
    /// What an implementation under this alternative does.
    pub means: String,
}

impl Reading {
    /// Whether `name` is one of its alternatives.
    pub fn has(&self, name: &str) -> bool {
        self.alternatives.iter().any(|a| a.name == name)
    }

    /// The alternatives' names, in catalogue order.
    pub fn names(&self) -> Vec<&str> {
        self.alternatives.iter().map(|a| a.name.as_str()).collect()
    }
}

/// A named assumption: what konform expects, the document lines that leave it open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedAssumption {
    /// What konform expects, in words.
    pub text: String,
    /// The document lines the question rests on (`<document>:<line>: <text>`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub at: Vec<super::provenance::Provenance>,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoapService {
    /// Path of the endpoint below the target's base URL, e.g. `/PersonRegistrationService`.
    pub path: String,
    /// Target namespace of the body elements.
    pub namespace: String,
    /// Namespace of the caller headers (ActiveOrganisationHeader, RequestUserMetadataHeader).
    pub header_namespace: String,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestPath {
    pub verb: HttpVerb,
    pub path: String,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeList {
    /// What the list identifies, e.g. `ContactGroupTypeIdentifier`.
    pub description: String,
    pub values: Vec<CodeValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeValue {
    pub value: i64,
    pub meaning: String,
    pub basis: Basis,
}

impl Overlay {
    /// What is wrong with the readings catalogue, as `(reading, problem)`: a default that is no
    /// alternative, an alternative named twice, fewer than one alternative, no document line,
    /// a name that is not kebab-case.
    pub fn reading_problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, r) in &self.readings {
            let mut push = |m: String| out.push((name.clone(), m));
            let kebab = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !kebab {
                push("a reading's name is lower-case words joined by `-`".into());
            }
            if r.alternatives.is_empty() {
                push("no alternatives".into());
            }
            let mut seen = std::collections::BTreeSet::new();
            for a in &r.alternatives {
                if a.name.trim().is_empty() {
                    push("an alternative without a name".into());
                } else if !seen.insert(a.name.as_str()) {
                    push(format!("alternative `{}` listed twice", a.name));
                }
            }
            if !r.has(&r.default) {
                push(format!(
                    "default `{}` is none of the alternatives ({})",
                    r.default,
                    r.names().join(", ")
                ));
            }
            if r.at.is_empty() {
                push("no document line (`at`) that leaves it open".into());
            }
        }
        out
    }

    /// A code-list value by list name and meaning, e.g. `("kontaktgruppe", "KTH")`.
    pub fn code(&self, list: &str, meaning: &str) -> Option<i64> {
        self.code_lists
            .get(list)?
            .values
            .iter()
            .find(|v| v.meaning == meaning)
            .map(|v| v.value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralFault {
    pub code: u32,
    pub text: String,
    /// The transports whose methods may answer it; default: SOAP only.
    #[serde(default = "soap_only", skip_serializing_if = "is_soap_only")]
    pub transports: Vec<Transport>,
    pub basis: Basis,
}

fn soap_only() -> Vec<Transport> {
    vec![Transport::Soap]
}

fn is_soap_only(t: &[Transport]) -> bool {
    t == [Transport::Soap]
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationTypeId {
    pub organisation: OrganisationType,
    pub id: u32,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodAccess {
    pub allowed: Vec<OrganisationType>,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Untestable {
    pub reason: String,
    /// The document line the reason rests on, where there is one (the error row printed
    /// without a text, the rule sentence that points outside the documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<super::provenance::Provenance>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCodes {
    pub codes: Vec<u32>,
    pub basis: Basis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayRule {
    #[serde(flatten)]
    pub rule: Rule,
    pub basis: Basis,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_whose_default_is_no_alternative_is_a_problem() {
        let text = r#"
readings:
  Bad_Name:
    question: q?
    alternatives:
      - { name: a, means: x }
      - { name: a, means: y }
    default: c
    at: []
"#;
        let o: Overlay = serde_saphyr::from_str(text).expect("parses");
        let problems: Vec<String> = o.reading_problems().into_iter().map(|p| p.1).collect();
        assert_eq!(
            problems,
            [
                "a reading's name is lower-case words joined by `-`",
                "alternative `a` listed twice",
                "default `c` is none of the alternatives (a, a)",
                "no document line (`at`) that leaves it open",
            ]
        );
    }
}
