//! One size budget for everything a case keeps once it is judged: the errors of its answer and
//! the answer's mismatches with the spec,
//! its exchanges and their bodies, its texts (reason, details) and its success body. The
//! response size limit bounds what is read; this bounds what is kept, so a fault with 250,000
//! `<Error>` elements costs a few kilobytes in memory and in `summary.json`, however many
//! cases get one. What the budget drops is said in the case's `trimmed` notes. The main type
//! here is [`Budget`].

use serde_json::Value;

use crate::run::result::{AnswerMismatch, CaseResult, Verdict};
use crate::sanitise;
use crate::target::outcome::{Exchange, Outcome};

/// What one case may keep.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Errors of a DFDG error answer (codes and texts).
    pub errors: usize,
    /// Exchanges: the first ones (preconditions) and the last (the case's own request).
    pub exchanges: usize,
    /// Bytes of exchange bodies, all exchanges together.
    pub body_bytes: usize,
    /// Characters of one text: a reason, a detail, an error's text.
    pub text_chars: usize,
    /// Bytes of a success answer's body, as JSON.
    pub success_body_bytes: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            errors: 100,
            exchanges: 24,
            body_bytes: 256 * 1024,
            text_chars: 8 * 1024,
            success_body_bytes: 128 * 1024,
        }
    }
}

impl Budget {
    /// Cuts `result` down to the budget, noting what was dropped.
    pub fn apply(&self, result: &mut CaseResult) {
        let cap = |s: &mut String| {
            if let std::borrow::Cow::Owned(c) = sanitise::cap(s, self.text_chars) {
                *s = c;
            }
        };
        match &mut result.verdict {
            Verdict::Pass => {}
            Verdict::Fail { reason }
            | Verdict::Error { reason }
            | Verdict::NotApplicable { reason }
            | Verdict::Inconclusive { reason, .. } => cap(reason),
        }
        cap(&mut result.expected);
        if let Some(outcome) = &mut result.outcome {
            match outcome {
                Outcome::DfdgError { errors, .. } => {
                    if errors.len() > self.errors {
                        result.trimmed.push(format!(
                            "errors: the first {} of {} kept",
                            self.errors,
                            errors.len()
                        ));
                        errors.truncate(self.errors);
                        errors.shrink_to_fit();
                    }
                    for e in errors.iter_mut() {
                        if let Some(t) = &mut e.text {
                            cap(t);
                        }
                    }
                }
                Outcome::Success { body, .. } => {
                    let size = serde_json::to_string(body).map_or(0, |s| s.len());
                    if size > self.success_body_bytes {
                        result.trimmed.push(format!(
                            "outcome body: {size} bytes of JSON, over the budget of {}; see the exchange",
                            self.success_body_bytes
                        ));
                        *body = Value::String(format!("({size} bytes, not kept)"));
                    }
                }
                Outcome::HttpStatus { body, .. } => cap(body),
                Outcome::TransportFailure { detail, .. } => cap(detail),
            }
        }
        self.mismatches(&mut result.mismatches, &mut result.trimmed);
        self.exchanges(&mut result.exchanges, &mut result.trimmed);
    }

    /// Cuts the answer's mismatches down to the budget (as many as errors), noting it.
    pub fn mismatches(&self, mismatches: &mut Vec<AnswerMismatch>, trimmed: &mut Vec<String>) {
        if mismatches.len() > self.errors {
            trimmed.push(format!(
                "mismatches: the first {} of {} kept",
                self.errors,
                mismatches.len()
            ));
            mismatches.truncate(self.errors);
            mismatches.shrink_to_fit();
        }
        for m in mismatches.iter_mut() {
            for s in [&mut m.path, &mut m.expected, &mut m.got, &mut m.grounds] {
                if let std::borrow::Cow::Owned(c) = sanitise::cap(s, self.text_chars) {
                    *s = c;
                }
            }
        }
    }

    fn exchanges(&self, exchanges: &mut Vec<Exchange>, trimmed: &mut Vec<String>) {
        if exchanges.len() > self.exchanges {
            let total = exchanges.len();
            // Keep the first ones and the last: the case's own request is the last.
            let last = exchanges.pop();
            exchanges.truncate(self.exchanges.saturating_sub(1));
            exchanges.extend(last);
            trimmed.push(format!(
                "exchanges: {} of {total} kept (the first ones and the last)",
                exchanges.len()
            ));
        }
        // Bodies share one allowance, the last exchange served first.
        let mut left = self.body_bytes;
        let mut cut_any = false;
        for exchange in exchanges.iter_mut().rev() {
            cut_any |= cut_to(&mut exchange.request.body, &mut left);
            if let Some(response) = &mut exchange.response {
                let cut = cut_to(&mut response.body, &mut left);
                response.truncated |= cut;
                cut_any |= cut;
            }
        }
        if cut_any {
            trimmed.push(format!(
                "exchange bodies: cut to {} bytes in all",
                self.body_bytes
            ));
        }
    }
}

/// Cuts `body` to what is `left` of the allowance (on a character boundary), and takes its
/// size from it. Whether it was cut.
fn cut_to(body: &mut String, left: &mut usize) -> bool {
    if body.len() <= *left {
        *left -= body.len();
        return false;
    }
    let mut end = *left;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.truncate(end);
    body.shrink_to_fit();
    *left -= end;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::outcome::{DfdgError, RecordedRequest, RecordedResponse};

    fn case(outcome: Outcome, exchanges: Vec<Exchange>) -> CaseResult {
        CaseResult {
            id: "M.x".into(),
            title: String::new(),
            service: "S".into(),
            method: "M".into(),
            covers: Default::default(),
            tags: vec![],
            assumes: vec![],
            generated: false,
            origin: "f:1".into(),
            verdict: Verdict::Fail {
                reason: "r".repeat(100_000),
            },
            expected: "success".into(),
            outcome: Some(outcome),
            exchanges,
            duration_ms: 1.0,
            attempts: 1,
            trimmed: vec![],
            mismatches: vec![],
            caller: None,
            reproduce: None,
            grounds: vec![],
        }
    }

    #[test]
    fn a_quarter_million_errors_keep_a_hundred() {
        let errors = (0..250_000)
            .map(|i| DfdgError {
                code: i,
                text: Some("x".repeat(50)),
            })
            .collect();
        let mut r = case(
            Outcome::DfdgError {
                status: 500,
                errors,
            },
            vec![],
        );
        Budget::default().apply(&mut r);
        let Some(Outcome::DfdgError { errors, .. }) = &r.outcome else {
            panic!("still an error outcome");
        };
        assert_eq!(errors.len(), 100);
        assert_eq!(r.trimmed, vec!["errors: the first 100 of 250000 kept"]);
        assert!(serde_json::to_string(&r).unwrap().len() < 40 * 1024);
    }

    #[test]
    fn exchanges_keep_the_first_and_the_last_within_one_allowance() {
        let exchange = |i: usize| Exchange {
            request: RecordedRequest {
                method: "POST".into(),
                url: format!("http://h/{i}"),
                headers: vec![],
                body: "b".repeat(60_000),
            },
            response: Some(RecordedResponse {
                status: 200,
                headers: vec![],
                body: "a".repeat(60_000),
                truncated: false,
            }),
        };
        let mut r = case(
            Outcome::HttpStatus {
                status: 404,
                body: String::new(),
            },
            (0..40).map(exchange).collect(),
        );
        Budget::default().apply(&mut r);
        assert_eq!(r.exchanges.len(), 24);
        assert_eq!(r.exchanges.last().unwrap().request.url, "http://h/39");
        let last = r.exchanges.last().unwrap();
        assert_eq!(last.response.as_ref().unwrap().body.len(), 60_000);
        let kept: usize = r
            .exchanges
            .iter()
            .map(|e| e.request.body.len() + e.response.as_ref().map_or(0, |r| r.body.len()))
            .sum();
        assert!(kept <= 256 * 1024);
        assert_eq!(r.trimmed.len(), 2, "{:?}", r.trimmed);
    }
}
