//! Folding the answer checks ([`crate::spec::check`]) into a case's verdict: every answer of
//! every case is checked against its method's output table and the wire rules, whatever the
//! case expects, so a success that does not conform fails and an expected error on the wrong
//! wire (a fault on HTTP 200) fails. The main entry points are [`mismatches`], [`fold`] and [`structured`] (a mismatch as
//! the reports carry it).

use crate::spec::check::{self, Answer, Mismatch};
use crate::target::Outcome;
use crate::target::client::Answered;

use super::result::{AnswerMismatch, Verdict};
use crate::plan::MethodInfo;

/// The mismatches of one answer; none where nothing readable came back or the answer is a
/// bare HTTP status.
pub fn mismatches(method: &MethodInfo, answered: &Answered) -> Vec<Mismatch> {
    let shape = &method.answer;
    match (
        &answered.outcome,
        &answered.response,
        &answered.soap_namespace,
    ) {
        (outcome, Some(resp), Some(namespace)) => {
            let codes = outcome.codes();
            match outcome {
                Outcome::Success { .. } | Outcome::DfdgError { .. } => {
                    let xml = String::from_utf8_lossy(&resp.body);
                    check::check(
                        shape,
                        Answer::Soap {
                            status: resp.status,
                            xml: &xml,
                            codes: &codes,
                            namespace,
                        },
                    )
                }
                Outcome::HttpStatus { .. } | Outcome::TransportFailure { .. } => Vec::new(),
            }
        }
        (Outcome::Success { status, body }, _, None) => check::check(
            shape,
            Answer::RestSuccess {
                status: *status,
                body,
            },
        ),
        (outcome @ Outcome::DfdgError { status, .. }, _, None) => check::check(
            shape,
            Answer::RestError {
                status: *status,
                codes: &outcome.codes(),
            },
        ),
        (Outcome::HttpStatus { .. } | Outcome::TransportFailure { .. }, _, _)
        | (Outcome::Success { .. } | Outcome::DfdgError { .. }, None, Some(_)) => Vec::new(),
    }
}

/// A verdict with the answer's mismatches folded in: a pass becomes a failure listing them; a
/// failure lists them after its own reason. An error or not-applicable verdict stays as it is.
pub fn fold(verdict: Verdict, mismatches: &[Mismatch]) -> Verdict {
    if mismatches.is_empty() {
        return verdict;
    }
    let list: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    let words = format!(
        "the answer does not conform to the spec: {}",
        list.join("; ")
    );
    match verdict {
        Verdict::Pass => Verdict::Fail { reason: words },
        Verdict::Fail { reason } => Verdict::Fail {
            reason: format!("{reason}; and {words}"),
        },
        v @ (Verdict::Error { .. }
        | Verdict::NotApplicable { .. }
        | Verdict::Inconclusive { .. }) => v,
    }
}

/// A mismatch as the reports carry it.
pub fn structured(m: &Mismatch) -> AnswerMismatch {
    AnswerMismatch {
        path: m.path.clone(),
        expected: m.expected.clone(),
        got: m.got.clone(),
        grounds: m.grounds.to_string(),
    }
}
