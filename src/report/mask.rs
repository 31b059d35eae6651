//! What may never reach a report: CPR numbers (masked as `010190-****` unless the run was
//! asked to show them) and secrets (tokens, passwords, client secrets, always `***`). The main
//! type here is [`Redactor`]; every reporter renders a summary that went through
//! [`Redactor::summary`], and the HTML and JUnit texts go through [`Redactor::cpr`] once more
//! as a whole before they are written, so a field added later cannot leak by being forgotten.
//!
//! The runner masks exchanges before reporters see them; this is the second line of defence.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::case::model::Covers;
use crate::cpr;
use crate::run::result::{
    CaseResult, CodeCoverage, ExpiredWaiver, GateSummary, MethodCoverage, MethodSummary,
    MutationScore, Reproduction, RuleCoverage, RunSummary, Survivor, Verdict,
};
use crate::target::outcome::{DfdgError, Exchange, Outcome};

/// What a redacted secret reads as.
pub const REDACTED: &str = "***";

/// A name (header, JSON key, query parameter, XML element) whose value is a secret.
static SECRET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:authorization|proxy-authorization|cookie|set-cookie|.*(?:token|secret|password|passwd|api[-_]?key).*)$")
        .expect("secret name pattern compiles")
});

/// `Bearer <token>` anywhere in text; [`looks_like_token`] tells a token from prose
/// ("a bearer token", "Bearer authentication").
static BEARER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer)(\s+)([A-Za-z0-9\-._~+/]+=*)").expect("bearer pattern compiles")
});

/// `Basic <credentials>` anywhere in text (HTTP Basic: the client id and secret, base64).
static BASIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(basic)(\s+)([A-Za-z0-9+/]{6,}=*)").expect("basic pattern compiles")
});

/// Credentials in a URL (`https://user:password@host/`).
static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@<>\x22']+@")
        .expect("URL credentials pattern compiles")
});

/// At least eight characters with a digit or a token punctuation mark in them.
fn looks_like_token(s: &str) -> bool {
    s.len() >= 8
        && s.chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '~' | '+' | '/' | '='))
}

/// Whether a word after `Basic` is a credential: it decodes as base64 to text holding a colon,
/// or it looks like a token.
fn looks_like_basic(s: &str) -> bool {
    looks_like_token(s) || base64_has_colon(s)
}

/// Decodes standard base64 (padding optional) and tells whether the result holds `:`.
fn base64_has_colon(s: &str) -> bool {
    let mut bits: u32 = 0;
    let mut n = 0;
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return false,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            if (bits >> n) & 0xFF == u32::from(b':') {
                return true;
            }
        }
    }
    false
}

/// `name=value` pairs of URLs and form bodies whose name is a secret.
static SECRET_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b([A-Za-z0-9_\-]*(?:token|secret|password|passwd|api[-_]?key)[A-Za-z0-9_\-]*)=([^&\s<>]+)",
    )
    .expect("secret parameter pattern compiles")
});

/// A value that is a shell expansion konform prints in place of a secret (the curl commands
/// of `crate::report::repro`): `$VARIABLE`, `${VARIABLE}` or a command substitution `$(`,
/// optionally after a double quote. Variable names are upper case, as environment variables
/// are; a literal secret that happens to start with `$` and a lower-case letter stays redacted.
fn is_shell_placeholder(value: &str) -> bool {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^"?\$(?:\(|\{?[A-Z_][A-Z0-9_]*\}?"?$)"#)
            .expect("placeholder pattern compiles")
    });
    PLACEHOLDER.is_match(value)
}

/// `"name": "value"` in raw JSON text whose name is a secret.
static SECRET_JSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)("[A-Za-z0-9_\-]*(?:token|secret|password|passwd|api[-_]?key)[A-Za-z0-9_\-]*"\s*:\s*)"(?:[^"\\]|\\.)*""#,
    )
    .expect("secret JSON pattern compiles")
});

/// `<Password>value</...>` in raw XML text (WS-Security and the like).
static SECRET_XML: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(<(?:[A-Za-z0-9_\-]+:)?[A-Za-z0-9_\-]*(?:token|secret|password|passwd)[A-Za-z0-9_\-]*(?:\s[^<>]*)?>)[^<]+",
    )
    .expect("secret XML pattern compiles")
});

/// Removes CPR numbers (unless shown) and secrets from everything a report renders.
#[derive(Debug, Clone)]
pub struct Redactor {
    mask_cpr: bool,
    /// Literal secret values known to the caller (tokens read from the environment).
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for a run whose `cpr_shown` flag is given.
    pub fn new(cpr_shown: bool) -> Redactor {
        Redactor {
            mask_cpr: !cpr_shown,
            secrets: Vec::new(),
        }
    }

    /// Also replaces these literal values by `***` wherever they occur. Values shorter than
    /// four characters are ignored: they would blank out ordinary text.
    pub fn with_secrets<I, S>(mut self, secrets: I) -> Redactor
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.secrets.extend(
            secrets
                .into_iter()
                .map(Into::into)
                .filter(|s: &String| s.chars().count() >= 4),
        );
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self.secrets.dedup();
        self
    }

    /// Whether CPR numbers are masked.
    pub fn masks_cpr(&self) -> bool {
        self.mask_cpr
    }

    /// Masks CPR numbers only (unless shown): the last pass over a whole rendered file.
    pub fn cpr<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.mask_cpr {
            cpr::mask_all(text)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Removes secrets and masks CPR numbers in one piece of text.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        let out = BEARER.replace_all(&out, |c: &regex::Captures<'_>| {
            if looks_like_token(&c[3]) {
                format!("{}{}{REDACTED}", &c[1], &c[2])
            } else {
                c[0].to_string()
            }
        });
        let out = BASIC.replace_all(&out, |c: &regex::Captures<'_>| {
            // Base64 of `id:secret` is at least eight characters and decodes to a colon; prose
            // ("Basic authentication") has neither a digit nor base64 padding in the word.
            if looks_like_basic(&c[3]) {
                format!("{}{}{REDACTED}", &c[1], &c[2])
            } else {
                c[0].to_string()
            }
        });
        let out = URL_CREDENTIALS.replace_all(&out, format!("${{1}}{REDACTED}@"));
        let out = SECRET_PARAM.replace_all(&out, |c: &regex::Captures<'_>| {
            if is_shell_placeholder(&c[2]) {
                c[0].to_string()
            } else {
                format!("{}={REDACTED}", &c[1])
            }
        });
        let out = SECRET_JSON.replace_all(&out, format!("${{1}}\"{REDACTED}\""));
        let out = SECRET_XML.replace_all(&out, format!("${{1}}{REDACTED}"));
        self.cpr(&out).into_owned()
    }

    /// One header: a secret's value becomes `***` whatever it holds.
    pub fn header(&self, name: &str, value: &str) -> (String, String) {
        let value = if SECRET_NAME.is_match(name.trim()) {
            REDACTED.to_string()
        } else {
            self.text(value)
        };
        (self.cpr(name).into_owned(), value)
    }

    /// CPR numbers in the string values of a JSON tree (keys and other values untouched): the
    /// last pass over a summary whose fields went through [`Redactor::summary`].
    pub fn cpr_strings(&self, value: &mut Value) {
        if !self.mask_cpr {
            return;
        }
        match value {
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
            Value::String(s) => {
                if let Cow::Owned(masked) = cpr::mask_all(s) {
                    *s = masked;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.cpr_strings(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.cpr_strings(v)),
        }
    }

    /// A JSON value, in place: string values as text, keys for CPR numbers only, values under secret keys as `***`,
    /// and integers that read as a CPR number (a JSON body may carry one as a number) as the
    /// masked string.
    pub fn value(&self, value: &mut Value) {
        match value {
            Value::Null | Value::Bool(_) => {}
            Value::Number(n) => {
                if self.mask_cpr && (n.is_u64() || n.is_i64()) {
                    let digits = n.to_string();
                    let padded = format!("{digits:0>10}");
                    if digits.len() >= 9 && digits.len() <= 10 && cpr::is_valid(&padded) {
                        *value = Value::String(cpr::mask(&padded));
                    }
                }
            }
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut v) in entries {
                    if SECRET_NAME.is_match(&key) && !matches!(v, Value::Null) {
                        v = Value::String(REDACTED.to_string());
                    } else {
                        self.value(&mut v);
                    }
                    // Keys are names, not values: a secret is never looked for in them (a
                    // secret that is a common word would rename fields), a CPR number is.
                    let key = self.cpr(&key).into_owned();
                    map.insert(key, v);
                }
            }
        }
    }

    /// A copy of the summary with every string field redacted.
    pub fn summary(&self, summary: &RunSummary) -> RunSummary {
        let t = |s: &str| self.text(s);
        // Names (ids, services, methods, tags, file names) are looked at for CPR numbers
        // only: they come from the spec and the case files, and rewriting one would break
        // `diff` and `merge`, which match on them.
        let n = |s: &str| self.cpr(s).into_owned();
        RunSummary {
            schema_version: summary.schema_version,
            run_id: n(&summary.run_id),
            started: n(&summary.started),
            finished: n(&summary.finished),
            target: t(&summary.target),
            complete: summary.complete,
            stopped: summary.stopped.as_deref().map(t),
            cpr_shown: summary.cpr_shown,
            tls_verification_off: summary.tls_verification_off,
            totals: summary.totals.clone(),
            methods: summary
                .methods
                .iter()
                .map(|m| MethodSummary {
                    service: n(&m.service),
                    method: n(&m.method),
                    ..m.clone()
                })
                .collect(),
            cases: summary.cases.iter().map(|c| self.case(c)).collect(),
            coverage: summary
                .coverage
                .iter()
                .map(|m| MethodCoverage {
                    kill_ratio: m.kill_ratio,
                    service: n(&m.service),
                    method: n(&m.method),
                    codes: m
                        .codes
                        .iter()
                        .map(|c| CodeCoverage {
                            text: c.text.as_deref().map(t),
                            cases: c.cases.iter().map(|s| n(s)).collect(),
                            reason: c.reason.as_deref().map(t),
                            passing: c.passing.as_ref().map(|p| p.iter().map(|s| n(s)).collect()),
                            ..c.clone()
                        })
                        .collect(),
                    rules: m
                        .rules
                        .iter()
                        .map(|r| RuleCoverage {
                            id: n(&r.id),
                            text: t(&r.text),
                            cases: r.cases.iter().map(|s| n(s)).collect(),
                            passing: r.passing.as_ref().map(|p| p.iter().map(|s| n(s)).collect()),
                            ..r.clone()
                        })
                        .collect(),
                })
                .collect(),
            mutation: summary.mutation.as_ref().map(|m| MutationScore {
                mutants: m.mutants,
                killed: m.killed,
                survivors: m
                    .survivors
                    .iter()
                    .map(|s| Survivor {
                        id: n(&s.id),
                        method: s.method.as_deref().map(n),
                        reason: t(&s.reason),
                        explained: s.explained,
                    })
                    .collect(),
            }),
            gate: summary.gate.as_ref().map(|g| GateSummary {
                file: n(&g.file),
                waived: g.waived.iter().map(|s| n(s)).collect(),
                unwaived: g.unwaived.iter().map(|s| n(s)).collect(),
                expired: g
                    .expired
                    .iter()
                    .map(|w| ExpiredWaiver {
                        case: n(&w.case),
                        ticket: n(&w.ticket),
                        expires: w.expires.clone(),
                    })
                    .collect(),
                unexpected_passes: g.unexpected_passes.iter().map(|s| n(s)).collect(),
                unmatched: g.unmatched.iter().map(|s| n(s)).collect(),
                passed: g.passed,
            }),
        }
    }

    fn case(&self, case: &CaseResult) -> CaseResult {
        let t = |s: &str| self.text(s);
        let n = |s: &str| self.cpr(s).into_owned();
        CaseResult {
            id: n(&case.id),
            title: t(&case.title),
            service: n(&case.service),
            method: n(&case.method),
            covers: Covers {
                codes: case.covers.codes.clone(),
                rules: case.covers.rules.iter().map(|s| n(s)).collect(),
                fields: case.covers.fields.iter().map(|s| n(s)).collect(),
            },
            tags: case.tags.iter().map(|s| n(s)).collect(),
            assumes: case.assumes.iter().map(|s| n(s)).collect(),
            generated: case.generated,
            origin: n(&case.origin),
            verdict: match &case.verdict {
                Verdict::Pass => Verdict::Pass,
                Verdict::Fail { reason } => Verdict::Fail { reason: t(reason) },
                Verdict::Error { reason } => Verdict::Error { reason: t(reason) },
                Verdict::NotApplicable { reason } => Verdict::NotApplicable { reason: t(reason) },
            },
            expected: t(&case.expected),
            outcome: case.outcome.as_ref().map(|o| self.outcome(o)),
            exchanges: case.exchanges.iter().map(|e| self.exchange(e)).collect(),
            duration_ms: case.duration_ms,
            attempts: case.attempts,
            caller: case.caller.clone(),
            reproduce: case.reproduce.as_ref().map(|r| Reproduction {
                konform: t(&r.konform),
                curl: r.curl.iter().map(|c| t(c)).collect(),
            }),
            grounds: case
                .grounds
                .iter()
                .map(|g| crate::plan::grounds::Ground {
                    on: t(&g.on),
                    at: g.at.as_ref().map(|at| crate::spec::Provenance {
                        doc: at.doc.clone(),
                        line: at.line,
                        text: t(&at.text),
                    }),
                    basis: g.basis.as_deref().map(t),
                })
                .collect(),
            trimmed: case.trimmed.clone(),
            mismatches: case
                .mismatches
                .iter()
                .map(|m| crate::run::result::AnswerMismatch {
                    path: t(&m.path),
                    expected: t(&m.expected),
                    got: t(&m.got),
                    grounds: t(&m.grounds),
                })
                .collect(),
        }
    }

    fn outcome(&self, outcome: &Outcome) -> Outcome {
        match outcome {
            Outcome::Success { status, body } => {
                let mut body = body.clone();
                self.value(&mut body);
                Outcome::Success {
                    status: *status,
                    body,
                }
            }
            Outcome::DfdgError { status, errors } => Outcome::DfdgError {
                status: *status,
                errors: errors
                    .iter()
                    .map(|e| DfdgError {
                        code: e.code,
                        text: e.text.as_deref().map(|s| self.text(s)),
                    })
                    .collect(),
            },
            Outcome::HttpStatus { status, body } => Outcome::HttpStatus {
                status: *status,
                body: self.text(body),
            },
            Outcome::TransportFailure { failure, detail } => Outcome::TransportFailure {
                failure: *failure,
                detail: self.text(detail),
            },
        }
    }

    fn exchange(&self, exchange: &Exchange) -> Exchange {
        let headers = |hs: &[(String, String)]| -> Vec<(String, String)> {
            hs.iter().map(|(n, v)| self.header(n, v)).collect()
        };
        let mut out = exchange.clone();
        out.request.method = self.text(&exchange.request.method);
        out.request.url = self.text(&exchange.request.url);
        out.request.headers = headers(&exchange.request.headers);
        out.request.body = self.text(&exchange.request.body);
        if let Some(response) = out.response.as_mut() {
            response.headers = headers(&response.headers);
            response.body = self.text(&response.body);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_cprs_unless_shown() {
        let r = Redactor::new(false);
        assert_eq!(r.text("cpr 0101901234"), "cpr 010190-****");
        let shown = Redactor::new(true);
        assert_eq!(shown.text("cpr 0101901234"), "cpr 0101901234");
    }

    #[test]
    fn removes_secrets_from_headers_and_text() {
        let r = Redactor::new(true).with_secrets(["s3cr3t-value", "ab"]);
        assert_eq!(
            r.header("Authorization", "Basic dXNlcjpwdw=="),
            ("Authorization".to_string(), "***".to_string())
        );
        assert_eq!(r.header("X-Api-Key", "k").1, "***");
        assert_eq!(r.header("x-requestId", "abc").1, "abc");
        assert_eq!(r.text("got Bearer eyJhbGciOi.x-y_z"), "got Bearer ***");
        assert_eq!(r.text("bearer 0a1b2c3d4e5f"), "bearer ***");
        // Prose about tokens stays readable.
        assert_eq!(
            r.text("a call without a bearer token, or Bearer authentication"),
            "a call without a bearer token, or Bearer authentication"
        );
        assert_eq!(
            r.text("https://h/t?access_token=abc&x=1"),
            "https://h/t?access_token=***&x=1"
        );
        assert_eq!(
            r.text(r#"{"client_secret": "abc\"def", "a": "b"}"#),
            r#"{"client_secret": "***", "a": "b"}"#
        );
        assert_eq!(
            r.text("<wsse:Password Type=\"x\">pw</wsse:Password>"),
            "<wsse:Password Type=\"x\">***</wsse:Password>"
        );
        assert_eq!(r.text("it was s3cr3t-value here"), "it was *** here");
        // Too short to be a secret worth blanking ordinary text for.
        assert_eq!(r.text("abc"), "abc");
    }

    #[test]
    fn basic_credentials_and_url_passwords_are_redacted() {
        let r = Redactor::new(false);
        // base64("client:pa ss") and a token-like one.
        assert_eq!(r.text("echo: Basic Y2xpZW50OnBhIHNz"), "echo: Basic ***");
        assert_eq!(
            r.text("authorization: basic dXNlcjpwdw=="),
            "authorization: basic ***"
        );
        assert_eq!(
            r.text("uses Basic authentication"),
            "uses Basic authentication"
        );
        assert_eq!(
            r.text("target (https://user:hunter2@host.example/api)"),
            "target (https://***@host.example/api)"
        );
    }

    #[test]
    fn a_secret_that_is_a_common_word_never_touches_keys_or_names() {
        let r = Redactor::new(false).with_secrets(["pass", "method", "Create"]);
        let mut v = serde_json::json!({ "pass": 2, "method": "x pass y" });
        r.value(&mut v);
        assert_eq!(v, serde_json::json!({ "pass": 2, "method": "x *** y" }));
        assert_eq!(r.header("x-pass", "pass").0, "x-pass");
    }

    #[test]
    fn walks_json_values() {
        let r = Redactor::new(false);
        let mut v = serde_json::json!({
            "cpr": "0101901234",
            "num": 1203851111u64,
            "leading-zero-lost": 101901234u64,
            "count": 12,
            "0101901234": true,
            "token": "abc",
            "nested": [{ "text": "borger 020290-5678" }]
        });
        r.value(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "cpr": "010190-****",
                "num": "120385-****",
                "leading-zero-lost": "010190-****",
                "count": 12,
                "010190-****": true,
                "token": "***",
                "nested": [{ "text": "borger 020290-****" }]
            })
        );
    }
}
