//! Rule coverage: per method, every documented error code with the cases that cover it (or the
//! overlay's reason why it cannot be tested), and every prose rule with its cases. With a run's
//! results, it also says which covering cases passed, and a code or rule counts as covered only
//! when one did; with a mutation run, the kill ratio.
//! The main entry point is [`compute`]; `konform coverage` prints it and the HTML report shows it.
//!
//! ```json
//! { "service": "YdelsesVisiteringService", "method": "CreateYdelse",
//!   "codes": [ { "code": 100049, "status": "covered", "cases": ["CreateYdelse.kth-..."], "reason": null } ],
//!   "rules": [ { "id": "CreateYdelse.kth-lovhenvisning", "status": "covered", "cases": ["..."] } ] }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::model::Case;
pub use crate::run::result::{CodeCoverage, CodeStatus, KillRatio, MethodCoverage, RuleCoverage};
use crate::run::result::{RunSummary, Verdict};
use crate::spec::Spec;
use crate::spec::model::{MethodStatus, Rule};

/// Totals over all methods, for the closing line and the 85 % bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Documented (method, code) pairs.
    pub pairs: usize,
    pub covered: usize,
    /// Covered by at least one passing case (only with a run).
    pub covered_passing: usize,
    pub untestable: usize,
    pub uncovered: usize,
    pub rules: usize,
    pub rules_covered: usize,
    pub rules_untestable: usize,
}

/// Computes coverage of every current and deprecated method by `cases`; `results` adds which
/// The coverage matrix of the methods a run covered, with the cases that passed in it: what a
/// run's reports carry beside the verdicts.
pub fn of_run(spec: &Spec, cases: &[Case], summary: &RunSummary) -> Vec<MethodCoverage> {
    let ran: std::collections::BTreeSet<(&str, &str)> = summary
        .methods
        .iter()
        .map(|m| (m.service.as_str(), m.method.as_str()))
        .collect();
    let mut matrix = compute(spec, cases, Some(summary));
    matrix.retain(|m| ran.contains(&(m.service.as_str(), m.method.as_str())));
    matrix
}

/// cases passed.
pub fn compute(spec: &Spec, cases: &[Case], results: Option<&RunSummary>) -> Vec<MethodCoverage> {
    let passed: Option<BTreeMap<&str, bool>> = results.map(|r| {
        r.cases
            .iter()
            .map(|c| (c.id.as_str(), c.verdict == Verdict::Pass))
            .collect()
    });
    let passing_of = |ids: &[String]| -> Option<Vec<String>> {
        passed.as_ref().map(|p| {
            ids.iter()
                .filter(|id| p.get(id.as_str()).copied().unwrap_or(false))
                .cloned()
                .collect()
        })
    };
    let mut out = Vec::new();
    for m in spec.methods() {
        if m.method.status == MethodStatus::Withdrawn {
            continue;
        }
        let service = &m.service.service;
        let name = &m.method.name;
        let of_method: Vec<&Case> = cases
            .iter()
            .filter(|c| &c.service == service && &c.method == name)
            .collect();

        let codes = m
            .method
            .errors
            .iter()
            .map(|e| {
                let covering: Vec<String> = of_method
                    .iter()
                    .filter(|c| expects(c, e.code) || c.covers.codes.contains(&e.code))
                    .map(|c| c.id.clone())
                    .collect();
                let reason = spec
                    .untestable_in(service, name, e.code)
                    .map(|u| u.reason.clone());
                let passing = passing_of(&covering);
                let status = if evidenced(&covering, &passing) {
                    CodeStatus::Covered
                } else if reason.is_some() {
                    CodeStatus::Untestable
                } else {
                    CodeStatus::Uncovered
                };
                CodeCoverage {
                    code: e.code,
                    text: e.text.clone(),
                    status,
                    passing,
                    cases: covering,
                    reason,
                }
            })
            .collect();

        let rules = rules_of(spec, service, name)
            .into_iter()
            .map(|rule| {
                let covering: Vec<String> = of_method
                    .iter()
                    .filter(|c| c.covers.rules.contains(&rule.id))
                    .map(|c| c.id.clone())
                    .collect();
                // A rule no case can observe from outside is declared, like a code, in the
                // overlay's `untestable` under its rule id.
                let reason = spec
                    .overlay
                    .untestable
                    .get(&rule.id)
                    .map(|u| u.reason.clone());
                let passing = passing_of(&covering);
                RuleCoverage {
                    id: rule.id.clone(),
                    text: rule.text.clone(),
                    codes: rule.codes.clone(),
                    status: match (evidenced(&covering, &passing), &reason) {
                        (true, _) => CodeStatus::Covered,
                        (false, Some(_)) => CodeStatus::Untestable,
                        (false, None) => CodeStatus::Uncovered,
                    },
                    reason,
                    passing,
                    cases: covering,
                }
            })
            .collect();

        out.push(MethodCoverage {
            service: service.clone(),
            method: name.clone(),
            codes,
            rules,
            kill_ratio: None,
        });
    }
    out
}

/// Adds up the per-method coverage.
pub fn totals(coverage: &[MethodCoverage]) -> Totals {
    let mut t = Totals::default();
    for m in coverage {
        for c in &m.codes {
            t.pairs += 1;
            match c.status {
                CodeStatus::Covered => t.covered += 1,
                CodeStatus::Untestable => t.untestable += 1,
                CodeStatus::Uncovered => t.uncovered += 1,
            }
            if c.passing.as_ref().is_some_and(|p| !p.is_empty()) {
                t.covered_passing += 1;
            }
        }
        for r in &m.rules {
            t.rules += 1;
            match r.status {
                CodeStatus::Covered => t.rules_covered += 1,
                CodeStatus::Untestable => t.rules_untestable += 1,
                CodeStatus::Uncovered => {}
            }
        }
    }
    t
}

/// Covered: without a run, some case covers it; with a run, a covering case passed in that run
/// (a case that did not run, or did not pass, evidences nothing).
fn evidenced(covering: &[String], passing: &Option<Vec<String>>) -> bool {
    match passing {
        None => !covering.is_empty(),
        Some(p) => !p.is_empty(),
    }
}

fn expects(case: &Case, code: u32) -> bool {
    case.then.codes().contains(&code)
}

/// A method's rules: its own, the service-wide rules whose id names it, and the overlay's.
pub fn rules_of<'a>(spec: &'a Spec, service: &str, method: &str) -> Vec<&'a Rule> {
    let mut rules: Vec<&Rule> = Vec::new();
    if let Some(m) = spec.service_method(service, method) {
        rules.extend(m.method.rules.iter());
        let prefix = format!("{method}.");
        rules.extend(m.service.rules.iter().filter(|r| r.id.starts_with(&prefix)));
    }
    if let Some(extra) = spec.overlay.rules.get(method) {
        rules.extend(extra.iter().map(|r| &r.rule));
    }
    let mut seen = std::collections::BTreeSet::new();
    rules.retain(|r| seen.insert(r.id.as_str()));
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::given::Given;
    use crate::case::model::{Covers, Origin, SuccessFlag, Then, When};
    use crate::spec::model::ServiceSpec;
    use crate::spec::overlay::Untestable;

    fn spec() -> Spec {
        let service: ServiceSpec = serde_saphyr::from_str(
            r#"
service: S
version: S (Version 1)
layout: cells
source: t.txt
transport: soap
methods:
  - name: M
    status: current
    binding: { soap: { action: M, request_element: MRequest } }
    errors:
      - { code: 1001, text: Invalid cpr }
      - { code: 4653, text: too old }
      - { code: 8183, text: null }
      - { code: 9999, text: nobody tests me }
    rules:
      - { id: M.seven-days, text: within 7 days, codes: [4653], source: document }
"#,
        )
        .unwrap();
        let mut spec = Spec::default();
        spec.services.insert("S".into(), service);
        spec.overlay.untestable.insert(
            "M/8183".into(),
            Untestable {
                reason: "no text".into(),
                at: None,
            },
        );
        spec
    }

    fn case(id: &str, then: Then, covers: Covers) -> Case {
        Case {
            id: id.into(),
            title: id.into(),
            service: "S".into(),
            method: "M".into(),
            covers,
            tags: vec![],
            assumes: vec![],
            given: Given::default(),
            when: When::default(),
            then,
            origin: Origin {
                file: "t".into(),
                line: 1,
                generated: false,
            },
        }
    }

    #[test]
    fn classifies_every_documented_code() {
        let spec = spec();
        let cases = vec![
            case(
                "M.old",
                Then::Error { error: 4653 },
                Covers {
                    codes: vec![4653],
                    rules: vec!["M.seven-days".into()],
                    fields: vec![],
                },
            ),
            case("M.cpr", Then::Error { error: 1001 }, Covers::default()),
            case(
                "M.ok",
                Then::Success {
                    success: SuccessFlag(true),
                    fields: Default::default(),
                },
                Covers::default(),
            ),
        ];
        let cov = compute(&spec, &cases, None);
        assert_eq!(cov.len(), 1);
        let status: Vec<(u32, CodeStatus)> =
            cov[0].codes.iter().map(|c| (c.code, c.status)).collect();
        assert_eq!(
            status,
            vec![
                (1001, CodeStatus::Covered),
                (4653, CodeStatus::Covered),
                (8183, CodeStatus::Untestable),
                (9999, CodeStatus::Uncovered)
            ]
        );
        assert_eq!(cov[0].codes[2].reason.as_deref(), Some("no text"));
        assert_eq!(cov[0].rules[0].cases, vec!["M.old".to_string()]);
        let t = totals(&cov);
        assert_eq!(
            (t.pairs, t.covered, t.untestable, t.uncovered),
            (4, 2, 1, 1)
        );
        assert_eq!((t.rules, t.rules_covered), (1, 1));
        let json = serde_json::to_value(&cov).unwrap();
        assert_eq!(json[0]["codes"][3]["status"], "uncovered");
        assert!(
            json[0]["codes"][0].get("passing").is_none(),
            "no run, no passing list"
        );
    }
}

/// The cross-cutting rules of one method ([`crate::generate::cross`]): each rule that applies
/// to the method's binding, with the cases that check it (none is a gap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossCutting {
    pub service: String,
    pub method: String,
    pub rules: Vec<(String, Vec<String>)>,
    /// The rules of the method's transport that do not apply to it, each with the reason.
    pub not_applicable: Vec<(String, String)>,
}

/// Which cross-cutting rules each current or deprecated method has cases for.
pub fn cross_cutting(spec: &Spec, cases: &[Case]) -> Vec<CrossCutting> {
    use crate::generate::cross;
    let mut out = Vec::new();
    for m in spec.methods() {
        if m.method.status == MethodStatus::Withdrawn {
            continue;
        }
        let transport = m.method.binding.transport();
        let of_method: Vec<&Case> = cases
            .iter()
            .filter(|c| c.service == m.service.service && c.method == m.method.name)
            .collect();
        let of_transport = || {
            cross::RULES
                .iter()
                .filter(|(_, t)| t.is_none_or(|t| t == transport))
        };
        let not_applicable = of_transport()
            .filter_map(|(rule, _)| {
                cross::why_not(spec, m, rule).map(|why| (rule.to_string(), why))
            })
            .collect();
        let rules = of_transport()
            .filter(|(rule, _)| cross::applies(spec, m, rule))
            .map(|(rule, _)| {
                let ids = of_method
                    .iter()
                    .filter(|c| cross::rule_of(c) == Some(rule))
                    .map(|c| c.id.clone())
                    .collect();
                (rule.to_string(), ids)
            })
            .collect();
        out.push(CrossCutting {
            service: m.service.service.clone(),
            method: m.method.name.clone(),
            rules,
            not_applicable,
        });
    }
    out
}
