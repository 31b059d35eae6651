//! What may never reach a report: CPR numbers (masked as `010190-****` unless the run was
//! asked to show them) and secrets (tokens, passwords, client secrets, always `***`). The main
//! type here is [`Redactor`]; every reporter renders a summary that went through
//! [`Redactor::summary`], and the HTML and JUnit texts go through [`Redactor::cpr`] once more
//! as a whole before they are written, so a field added later cannot leak by being forgotten.
//!
//! The runner masks exchanges before reporters see them; this is the second line of defence.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde_json::Value;

use crate::cpr;
use crate::run::result::{CaseResult, RunSummary, Verdict};
use crate::target::outcome::{Exchange, Outcome};

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

/// The pattern passes of [`Redactor::text`] (bearer and basic credentials, credentials in
/// URLs, secret parameters, JSON members and XML elements), for a text the trigger matched.
fn patterns(text: &str) -> String {
    let out = BEARER.replace_all(text, |c: &regex::Captures<'_>| {
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
    SECRET_XML
        .replace_all(&out, format!("${{1}}{REDACTED}"))
        .into_owned()
}

/// Whether a text may hold anything the secret patterns above redact: the one cheap pass
/// made before any of them runs (a literal search for their key words, case-insensitive).
static SECRET_TRIGGER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)bearer|basic|token|secret|passw|api[-_]?key|://[^/\s@<>"']+@"#)
        .expect("secret trigger pattern compiles")
});

/// Removes CPR numbers (unless shown) and secrets from everything a report renders.
#[derive(Debug, Clone)]
pub struct Redactor {
    mask_cpr: bool,
    /// Literal secret values known to the caller (tokens read from the environment).
    secrets: Vec<String>,
    /// All of `secrets` in one automaton, the longest match first (so a secret that contains
    /// another is replaced whole); `None` without secrets.
    secret_matcher: Option<AhoCorasick>,
}

impl Redactor {
    /// A redactor for a run whose `cpr_shown` flag is given.
    pub fn new(cpr_shown: bool) -> Redactor {
        Redactor {
            mask_cpr: !cpr_shown,
            secrets: Vec::new(),
            secret_matcher: None,
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
        self.secrets
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.secrets.dedup();
        // Building fails only past the automaton's size limits; then every text is searched
        // for each secret in turn.
        self.secret_matcher = if self.secrets.is_empty() {
            None
        } else {
            // A contiguous NFA: cheap to build, and a run builds one again each time a token
            // is issued; a DFA would search a little faster and take far longer to build.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&self.secrets)
                .ok()
        };
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
        self.text_cow(text).into_owned()
    }

    /// [`Redactor::text`], in place: the string is replaced only when something changed.
    pub fn text_in_place(&self, text: &mut String) {
        if let Cow::Owned(changed) = self.text_cow(text) {
            *text = changed;
        }
    }

    /// [`Redactor::text`] without a copy when nothing needs redacting (the common case: one
    /// pass of an automaton over all the secrets, one search for the patterns' key words, one
    /// scan for digits).
    pub fn text_cow<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        match &self.secret_matcher {
            Some(m) => {
                if m.is_match(out.as_ref()) {
                    let mut replaced = String::with_capacity(out.len());
                    m.replace_all_with(&out, &mut replaced, |_, _, dst| {
                        dst.push_str(REDACTED);
                        true
                    });
                    out = Cow::Owned(replaced);
                }
            }
            None => {
                for secret in &self.secrets {
                    if out.contains(secret.as_str()) {
                        out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
                    }
                }
            }
        }
        if SECRET_TRIGGER.is_match(&out) {
            out = Cow::Owned(patterns(&out));
        }
        match self.cpr(&out) {
            Cow::Borrowed(_) => out,
            Cow::Owned(masked) => Cow::Owned(masked),
        }
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
            Value::String(s) => self.text_in_place(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) if !map.keys().any(|k| matches!(self.cpr(k), Cow::Owned(_))) => {
                for (key, v) in map.iter_mut() {
                    if SECRET_NAME.is_match(key) && !matches!(v, Value::Null) {
                        *v = Value::String(REDACTED.to_string());
                    } else {
                        self.value(v);
                    }
                }
            }
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
        let mut copy = summary.clone();
        self.summary_in_place(&mut copy);
        copy
    }

    /// [`Redactor::summary`], in place: [`Redactor::record`] for every case, then
    /// [`Redactor::seal`].
    pub fn summary_in_place(&self, summary: &mut RunSummary) {
        for case in &mut summary.cases {
            self.record(case);
        }
        self.seal(summary);
    }

    /// Masks a CPR number in a name. Names (ids, services, methods, tags, file names) are
    /// looked at for CPR numbers only: they come from the spec and the case files, and
    /// rewriting one would break `diff` and `merge`, which match on them.
    fn name(&self, s: &mut String) {
        if let Cow::Owned(masked) = self.cpr(s) {
            *s = masked;
        }
    }

    fn names(&self, names: &mut [String]) {
        names.iter_mut().for_each(|s| self.name(s));
    }

    fn opt_text(&self, s: &mut Option<String>) {
        if let Some(s) = s {
            self.text_in_place(s);
        }
    }

    /// Everything of a summary a run adds after its cases were recorded: the header, the
    /// coverage matrix, the mutation score, the gate and every case's reproduction. A run
    /// redacts each case once as it finishes ([`Redactor::record`]) and the rest once here,
    /// before any reporter renders it.
    pub fn seal(&self, summary: &mut RunSummary) {
        self.name(&mut summary.run_id);
        self.name(&mut summary.started);
        self.name(&mut summary.finished);
        self.text_in_place(&mut summary.target);
        self.opt_text(&mut summary.statement);
        self.opt_text(&mut summary.stopped);
        for m in &mut summary.methods {
            self.name(&mut m.service);
            self.name(&mut m.method);
        }
        for case in &mut summary.cases {
            if let Some(r) = &mut case.reproduce {
                self.text_in_place(&mut r.konform);
                r.curl.iter_mut().for_each(|c| self.text_in_place(c));
            }
        }
        for m in &mut summary.coverage {
            self.name(&mut m.service);
            self.name(&mut m.method);
            for c in &mut m.codes {
                self.opt_text(&mut c.text);
                self.names(&mut c.cases);
                self.opt_text(&mut c.reason);
                if let Some(p) = &mut c.passing {
                    self.names(p);
                }
            }
            for r in &mut m.rules {
                self.name(&mut r.id);
                self.text_in_place(&mut r.text);
                self.names(&mut r.cases);
                if let Some(p) = &mut r.passing {
                    self.names(p);
                }
            }
        }
        if let Some(m) = &mut summary.mutation {
            for s in &mut m.survivors {
                self.name(&mut s.id);
                if let Some(method) = &mut s.method {
                    self.name(method);
                }
                self.text_in_place(&mut s.reason);
            }
        }
        if let Some(g) = &mut summary.gate {
            self.name(&mut g.file);
            self.names(&mut g.waived);
            self.names(&mut g.unwaived);
            for w in &mut g.expired {
                self.name(&mut w.case);
                self.name(&mut w.ticket);
            }
            self.names(&mut g.unexpected_passes);
            self.names(&mut g.unmatched);
        }
    }

    /// One case's result, in place, when the run records it: its texts, its outcome and every
    /// exchange. Its reproduction, added later, is redacted by [`Redactor::seal`].
    pub fn record(&self, case: &mut CaseResult) {
        self.name(&mut case.id);
        self.text_in_place(&mut case.title);
        self.name(&mut case.service);
        self.name(&mut case.method);
        self.names(&mut case.covers.rules);
        self.names(&mut case.covers.fields);
        self.names(&mut case.tags);
        self.names(&mut case.assumes);
        self.name(&mut case.origin);
        match &mut case.verdict {
            Verdict::Pass => {}
            Verdict::Fail { reason }
            | Verdict::Error { reason }
            | Verdict::NotApplicable { reason } => self.text_in_place(reason),
            Verdict::Inconclusive {
                reason,
                reading,
                alternative,
            } => {
                self.text_in_place(reason);
                self.name(reading);
                self.name(alternative);
            }
        }
        self.text_in_place(&mut case.expected);
        if let Some(o) = &mut case.outcome {
            self.outcome(o);
        }
        for e in &mut case.exchanges {
            self.exchange(e);
        }
        for m in &mut case.mismatches {
            self.text_in_place(&mut m.path);
            self.text_in_place(&mut m.expected);
            self.text_in_place(&mut m.got);
            self.text_in_place(&mut m.grounds);
        }
        for g in &mut case.grounds {
            self.text_in_place(&mut g.on);
            if let Some(at) = &mut g.at {
                self.text_in_place(&mut at.text);
            }
            self.opt_text(&mut g.basis);
        }
    }

    fn outcome(&self, outcome: &mut Outcome) {
        match outcome {
            Outcome::Success { body, .. } => self.value(body),
            Outcome::DfdgError { errors, .. } => {
                for e in errors {
                    self.opt_text(&mut e.text);
                }
            }
            Outcome::HttpStatus { body, .. } => self.text_in_place(body),
            Outcome::TransportFailure { detail, .. } => self.text_in_place(detail),
        }
    }

    fn headers(&self, headers: &mut [(String, String)]) {
        for (name, value) in headers {
            if SECRET_NAME.is_match(name.trim()) {
                if value != REDACTED {
                    *value = REDACTED.to_string();
                }
            } else {
                self.text_in_place(value);
            }
            self.name(name);
        }
    }

    fn exchange(&self, exchange: &mut Exchange) {
        self.text_in_place(&mut exchange.request.method);
        self.text_in_place(&mut exchange.request.url);
        self.headers(&mut exchange.request.headers);
        self.text_in_place(&mut exchange.request.body);
        if let Some(response) = exchange.response.as_mut() {
            self.headers(&mut response.headers);
            self.text_in_place(&mut response.body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The pre-check only skips work: with or without it, text comes out the same as
        /// from every pattern pass run unconditionally.
        #[test]
        fn the_pre_check_never_skips_a_redaction(
            text in "(Bearer |basic |BASIC |token|Secret|PASSWORD|api_key|api-key|://|user:pw@|https://u:p@h/|=|\"|: |<|>|/|[a-zA-Z0-9+/.=_~-]{1,12}| ){0,10}"
        ) {
            let r = Redactor::new(true);
            proptest::prop_assert_eq!(r.text(&text), patterns(&text));
        }
    }

    #[test]
    fn secrets_are_replaced_longest_first_in_one_pass() {
        let r = Redactor::new(true).with_secrets(["abcd", "abcdefgh", "zzzz"]);
        assert_eq!(r.text("x abcdefgh y abcd zzzzz"), "x *** y *** ***z");
        assert_eq!(
            r.text_cow("nothing to hide"),
            Cow::Borrowed("nothing to hide")
        );
    }

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
