//! How to run a case again: for every case that neither passed nor was not applicable, the
//! `konform run` command line that runs it alone, and its exchanges as curl commands a shell
//! can replay. Secrets never appear: the bearer token is `$KONFORM_TOKEN` (or the role's
//! `token_env`), fetched first by a curl of the token endpoint when the target uses OAuth2,
//! with the client secret as `$VARIABLE`. CPR numbers stay masked unless the run showed them
//! (`--show-cpr`): the exchanges the commands are made from were recorded that way.
//!
//! The embedded reference lives on a port that is gone after the run, so its URLs become
//! `${KONFORM_URL:-http://127.0.0.1:8080}`: the address `konform serve` listens on by default.
//! The main entry point is [`attach`].

use std::collections::BTreeMap;

use crate::run::filter::qualified_id;
use crate::run::result::{CaseResult, Reproduction, RunSummary, Verdict};
use crate::target::outcome::RecordedRequest;

/// The shell variable a replayed request reads the target's address from, for the embedded
/// reference.
pub const URL_VAR: &str = "KONFORM_URL";
/// The default bearer-token variable.
pub const TOKEN_VAR: &str = "KONFORM_TOKEN";

/// What the commands need to know about the run.
#[derive(Debug, Clone, Default)]
pub struct ReproContext {
    /// The flags that made the run what it was (`--target FILE`, `--specs DIR`, `--show-cpr`,
    /// …), repeated on the `konform run` line.
    pub run_flags: Vec<String>,
    /// The base URL to replace by `${KONFORM_URL:-…}` (the embedded reference's), if any.
    pub local_base: Option<String>,
    /// How each role gets its bearer token.
    pub tokens: BTreeMap<String, TokenSource>,
    /// Whether the run showed CPR numbers (`--show-cpr`); without, the commands carry masked
    /// ones and say so.
    pub cpr_shown: bool,
}

/// The comment heading curl commands whose CPR numbers are masked.
pub const MASKED_NOTE: &str =
    "# CPR numbers are masked (-****): run again with --show-cpr for commands that replay as sent";

/// Where a role's bearer token comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// A fixed token in this environment variable.
    Env(String),
    /// OAuth2 client credentials at this URL, with this client id and the secret in this
    /// environment variable.
    OAuth2 {
        token_url: String,
        client_id: String,
        secret_env: String,
    },
}

/// Whether a case gets a reproduction: everything but a pass or a case that could not be set
/// up (fail, error, and any verdict added later, such as inconclusive).
pub fn wanted(case: &CaseResult) -> bool {
    !matches!(case.verdict, Verdict::Pass | Verdict::NotApplicable { .. })
}

/// Fills [`CaseResult::reproduce`] for every case [`wanted`].
pub fn attach(summary: &mut RunSummary, ctx: &ReproContext) {
    for case in summary.cases.iter_mut().filter(|c| wanted(c)) {
        case.reproduce = Some(reproduce(case, ctx));
    }
}

/// The reproduction of one case.
pub fn reproduce(case: &CaseResult, ctx: &ReproContext) -> Reproduction {
    let mut konform = format!(
        "konform run --case {}",
        shell_quote(&qualified_id(&case.service, &case.id))
    );
    for flag in &ctx.run_flags {
        konform.push(' ');
        konform.push_str(&shell_quote(flag));
    }
    let role = case.caller.as_ref().map(|c| c.role.as_str());
    let needs_token = case
        .exchanges
        .iter()
        .any(|e| authorization(&e.request).is_some());
    let mut curl = Vec::new();
    if !ctx.cpr_shown
        && case.exchanges.iter().any(|e| {
            e.request.url.contains("-****")
                || e.request.body.contains("-****")
                || e.request.headers.iter().any(|(_, v)| v.contains("-****"))
        })
    {
        curl.push(MASKED_NOTE.to_string());
    }
    if needs_token
        && let Some(TokenSource::OAuth2 {
            token_url,
            client_id,
            secret_env,
        }) = role.and_then(|r| ctx.tokens.get(r))
    {
        curl.push(format!(
            "export {TOKEN_VAR}=$(curl -s {} -d grant_type=client_credentials --data-urlencode {} --data-urlencode \"client_secret=${secret_env}\" | sed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p')",
            url(token_url, ctx),
            shell_quote(&format!("client_id={client_id}"))
        ));
    }
    let token_var = match role.and_then(|r| ctx.tokens.get(r)) {
        Some(TokenSource::Env(var)) => var.clone(),
        _ => TOKEN_VAR.to_string(),
    };
    for exchange in &case.exchanges {
        curl.push(curl_command(&exchange.request, &token_var, ctx));
    }
    Reproduction { konform, curl }
}

fn authorization(request: &RecordedRequest) -> Option<&str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
}

/// One recorded request as a curl command. The Authorization header (recorded as `***`)
/// becomes `Bearer $<token_var>`; every other header and the body are sent as recorded.
pub fn curl_command(request: &RecordedRequest, token_var: &str, ctx: &ReproContext) -> String {
    let mut parts = vec!["curl -sS -i".to_string()];
    if request.method != "GET" || !request.body.is_empty() {
        parts.push(format!("-X {}", shell_quote(&request.method)));
    }
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("authorization") {
            parts.push(format!("-H \"{name}: Bearer ${token_var}\""));
        } else if !name.eq_ignore_ascii_case("content-length") {
            parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
    }
    if !request.body.is_empty() {
        parts.push(format!("--data-raw {}", shell_quote(&request.body)));
    }
    parts.push(url(&request.url, ctx));
    parts.join(" ")
}

/// A URL for the shell: the embedded reference's base becomes `${KONFORM_URL:-…}`.
fn url(url: &str, ctx: &ReproContext) -> String {
    if let Some(base) = &ctx.local_base {
        let base = base.trim_end_matches('/');
        if let Some(rest) = url.strip_prefix(base) {
            // Inside double quotes: only `$`, `` ` ``, `"` and `\` are special.
            let rest = rest
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
                .replace('`', "\\`");
            return format!("\"${{{URL_VAR}:-http://127.0.0.1:8080}}{rest}\"");
        }
        if !url.starts_with("http") {
            return format!("\"${{{URL_VAR}:-http://127.0.0.1:8080}}{url}\"");
        }
    }
    shell_quote(url)
}

/// `s` as one POSIX shell word: bare when it is plain, else in single quotes.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:41234/v1/ydelse?x=1".into(),
            headers: vec![
                ("authorization".into(), "***".into()),
                ("x-requestid".into(), "abc".into()),
                ("content-length".into(), "9".into()),
            ],
            body: r#"{"a":"it's"}"#.into(),
        }
    }

    #[test]
    fn curl_keeps_secrets_out_and_quotes_for_the_shell() {
        let ctx = ReproContext {
            local_base: Some("http://127.0.0.1:41234".into()),
            ..ReproContext::default()
        };
        let c = curl_command(&request(), TOKEN_VAR, &ctx);
        assert_eq!(
            c,
            r#"curl -sS -i -X POST -H "authorization: Bearer $KONFORM_TOKEN" -H 'x-requestid: abc' --data-raw '{"a":"it'\''s"}' "${KONFORM_URL:-http://127.0.0.1:8080}/v1/ydelse?x=1""#
        );
        assert!(!c.contains("***"));
        let remote = curl_command(&request(), "VENDOR_TOKEN", &ReproContext::default());
        assert!(
            remote.ends_with(" 'http://127.0.0.1:41234/v1/ydelse?x=1'"),
            "{remote}"
        );
        assert!(remote.contains("Bearer $VENDOR_TOKEN"));
    }

    #[test]
    fn quoting() {
        assert_eq!(
            shell_quote("CreateYdelse.accepted"),
            "CreateYdelse.accepted"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$X"), "'$X'");
    }
}
