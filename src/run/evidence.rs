//! No "conformant" without evidence: [`judge`] settles each method's verdict of a run from its
//! cases and the run's coverage matrix. A method is **conformant** only when nothing failed and
//! every documented code and rule of it has a case covering it that *passed in this run* (or is
//! declared untestable in the overlay, with a reason); with something missing it is
//! **incomplete**, with the share reached (`2 of 27 codes evidenced, 0 of 3 rules evidenced`)
//! and the missing codes and rules in its [`Evidence`]. A case that did not run (not
//! applicable, filtered out, in another shard) evidences nothing.
//!
//! The same judgement serves `konform run` and `konform merge` (over the merged results).

use crate::run::result::{
    CodeStatus, Evidence, MethodCoverage, MethodSummary, MethodVerdict, RunSummary,
};

/// Fills every method's [`Evidence`] from `summary.coverage` and settles its verdict.
/// A method absent from the coverage matrix (a withdrawn method, which documents nothing of its
/// own) has nothing to evidence.
pub fn judge(summary: &mut RunSummary) {
    for m in &mut summary.methods {
        let coverage = summary
            .coverage
            .iter()
            .find(|c| c.service == m.service && c.method == m.method);
        let evidence = coverage.map(evidence_of).unwrap_or_default();
        m.verdict = verdict(m, &evidence);
        m.evidence = Some(evidence);
    }
}

/// The verdict of one method given its evidence.
fn verdict(m: &MethodSummary, evidence: &Evidence) -> MethodVerdict {
    if m.counts.fail + m.counts.error > 0 {
        MethodVerdict::NotConformant
    } else if m.counts.inconclusive > 0 {
        MethodVerdict::Inconclusive
    } else if m.counts.pass == 0 {
        MethodVerdict::NotApplicable
    } else if evidence.is_complete() {
        MethodVerdict::Conformant
    } else {
        MethodVerdict::Incomplete
    }
}

/// What a method's coverage (with the run's passing cases) evidences.
pub fn evidence_of(c: &MethodCoverage) -> Evidence {
    let mut e = Evidence {
        codes: c.codes.len(),
        rules: c.rules.len(),
        ..Evidence::default()
    };
    for code in &c.codes {
        if passed(&code.passing) {
            e.codes_evidenced += 1;
        } else if code.reason.is_some() || code.status == CodeStatus::Untestable {
            e.codes_untestable += 1;
        } else {
            e.missing_codes.push(code.code);
        }
    }
    for rule in &c.rules {
        if passed(&rule.passing) {
            e.rules_evidenced += 1;
        } else if rule.reason.is_some() || rule.status == CodeStatus::Untestable {
            e.rules_untestable += 1;
        } else {
            e.missing_rules.push(rule.id.clone());
        }
    }
    e
}

fn passed(passing: &Option<Vec<String>>) -> bool {
    passing.as_ref().is_some_and(|p| !p.is_empty())
}

/// Whether any method of the run lacks evidence (incomplete, or no case could run).
pub fn any_incomplete(summary: &RunSummary) -> bool {
    summary.methods.iter().any(|m| match m.verdict {
        MethodVerdict::Incomplete | MethodVerdict::NotApplicable => true,
        MethodVerdict::Conformant | MethodVerdict::NotConformant | MethodVerdict::Inconclusive => {
            false
        }
    })
}

/// Whether any case of the run is inconclusive (fails only under an undeclared reading).
pub fn any_inconclusive(summary: &RunSummary) -> bool {
    summary.totals.inconclusive > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::result::{CodeCoverage, Counts, RuleCoverage};

    fn code(code: u32, passing: &[&str], reason: Option<&str>) -> CodeCoverage {
        CodeCoverage {
            code,
            text: None,
            status: CodeStatus::Uncovered,
            cases: passing.iter().map(|s| s.to_string()).collect(),
            reason: reason.map(str::to_string),
            passing: Some(passing.iter().map(|s| s.to_string()).collect()),
        }
    }

    fn summary(counts: Counts, codes: Vec<CodeCoverage>, rule_passes: bool) -> RunSummary {
        let mut s = RunSummary::from_cases(
            "r".into(),
            "s".into(),
            "f".into(),
            "t".into(),
            true,
            Vec::new(),
        );
        s.methods.push(MethodSummary {
            service: "S".into(),
            method: "M".into(),
            verdict: MethodVerdict::Conformant,
            counts,
            assumed: Counts::default(),
            generated: Counts::default(),
            evidence: None,
        });
        s.coverage.push(MethodCoverage {
            service: "S".into(),
            method: "M".into(),
            codes,
            rules: vec![RuleCoverage {
                id: "M.rule".into(),
                text: "a rule".into(),
                codes: vec![],
                status: CodeStatus::Covered,
                cases: vec!["M.r".into()],
                reason: None,
                passing: Some(if rule_passes {
                    vec!["M.r".into()]
                } else {
                    vec![]
                }),
            }],
            kill_ratio: None,
        });
        s
    }

    fn passes(n: usize) -> Counts {
        Counts {
            pass: n,
            ..Counts::default()
        }
    }

    #[test]
    fn conformant_only_with_every_code_and_rule_evidenced_or_untestable() {
        let mut s = summary(
            passes(3),
            vec![
                code(1001, &["M.a"], None),
                code(8183, &[], Some("cannot be provoked")),
            ],
            true,
        );
        judge(&mut s);
        assert_eq!(s.methods[0].verdict, MethodVerdict::Conformant);
        let e = s.methods[0].evidence.clone().unwrap();
        assert_eq!(
            e.share(),
            "1 of 2 codes evidenced (1 untestable), 1 of 1 rules evidenced"
        );
        assert!(!any_incomplete(&s));
    }

    #[test]
    fn a_code_whose_case_did_not_pass_leaves_the_method_incomplete() {
        let mut s = summary(
            passes(1),
            vec![code(1001, &["M.a"], None), code(4669, &[], None)],
            false,
        );
        judge(&mut s);
        let m = &s.methods[0];
        assert_eq!(m.verdict, MethodVerdict::Incomplete);
        let e = m.evidence.as_ref().unwrap();
        assert_eq!(e.share(), "1 of 2 codes evidenced, 0 of 1 rules evidenced");
        assert_eq!(e.missing(), "missing codes 4669; missing rules M.rule");
        assert!(any_incomplete(&s));
    }

    #[test]
    fn a_failure_outweighs_missing_evidence_and_nothing_run_is_not_applicable() {
        let failed = Counts {
            pass: 1,
            fail: 1,
            ..Counts::default()
        };
        let mut s = summary(failed, vec![code(4669, &[], None)], false);
        judge(&mut s);
        assert_eq!(s.methods[0].verdict, MethodVerdict::NotConformant);
        let none_ran = Counts {
            not_applicable: 4,
            ..Counts::default()
        };
        let mut s = summary(none_ran, vec![code(4669, &[], None)], false);
        judge(&mut s);
        assert_eq!(s.methods[0].verdict, MethodVerdict::NotApplicable);
        assert!(any_incomplete(&s));
    }
}
