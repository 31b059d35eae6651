//! `konform doctor`: a target profile checked against its environment before a run. Per
//! service, reachability and TLS; per role and scope, a token; the state-change endpoint (one
//! plain citizen established) or the citizen pool (read and checked); per service, one
//! harmless call (a request without a body, refused by validation, so nothing is created) that
//! proves the address, the SOAPAction or REST path, the namespaces and the authentication.
//! Each check is one [`Finding`]: pass or fail, what was seen, and on a failure the fix. The
//! main entry point is [`examine`]; [`unreachable`] is the run's early stop.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::clock::Clock;
use crate::plan::MethodInfo;
use crate::spec::Spec;
use crate::target::profile::AuthConfig;
use crate::target::{Failure, Outcome, RenderedRequest, Target, wire};

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// Not checked, because an earlier check failed or there is nothing to check.
    Skip,
}

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub status: Status,
    /// `reach`, `token`, `state`, `pool`, `call`.
    pub check: &'static str,
    /// What was checked: a service, a role and scope, an endpoint.
    pub subject: String,
    pub detail: String,
    /// How to fix a failure.
    pub fix: Option<String>,
}

impl Finding {
    fn pass(check: &'static str, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Finding {
            status: Status::Pass,
            check,
            subject: subject.into(),
            detail: detail.into(),
            fix: None,
        }
    }

    fn fail(
        check: &'static str,
        subject: impl Into<String>,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding {
            status: Status::Fail,
            check,
            subject: subject.into(),
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    fn skip(check: &'static str, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Finding {
            status: Status::Skip,
            check,
            subject: subject.into(),
            detail: detail.into(),
            fix: None,
        }
    }
}

/// The fix for a request that got no answer.
fn transport_fix(failure: Failure, url: &str) -> String {
    match failure {
        Failure::Tls => format!(
            "the TLS handshake with {url} failed: give the environment's CA certificate in `tls.ca` (PEM), or, for a test environment only, `insecure_tls: true`"
        ),
        Failure::Refused | Failure::Reset => format!(
            "nothing answers at {url}: check `base_url` (and `services.<name>.base_url`), that the environment is up, and any `proxy`"
        ),
        Failure::Timeout => format!(
            "{url} did not answer in time: check `base_url`, the network path and any `proxy`"
        ),
        Failure::Unparsable | Failure::TooLarge | Failure::Other => {
            format!("check `base_url` for {url}")
        }
    }
}

/// The distinct base URLs of the services the spec has, each with the services behind it.
fn bases(target: &Target, spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in spec.services.keys() {
        if let Some(base) = target.profile.base_url(name) {
            out.entry(base.to_string()).or_default().push(name.clone());
        }
    }
    out
}

/// Reachability and TLS of every base URL: one finding per base, naming its services.
pub async fn reach(target: &Target, spec: &Spec) -> Vec<Finding> {
    let mut out = Vec::new();
    for (base, services) in bases(target, spec) {
        let subject = services.join(", ");
        match target.probe(&base).await {
            Ok(status) => out.push(Finding::pass(
                "reach",
                subject,
                format!("{base} answers (HTTP {status}){}", tls_note(&base, target)),
            )),
            Err(e) => out.push(Finding::fail(
                "reach",
                subject,
                format!("{base}: {}: {}", e.failure.describe(), e.detail),
                transport_fix(e.failure, &base),
            )),
        }
    }
    out
}

fn tls_note(base: &str, target: &Target) -> &'static str {
    if !base.starts_with("https://") {
        ""
    } else if target.tls_verification_off() {
        "; TLS certificate NOT verified (`insecure_tls`)"
    } else {
        "; TLS certificate verified"
    }
}

/// The run's early stop: the first base URL nothing answers at (the connection is refused or
/// the name does not resolve), as one message with the fix. `None` when every base answers
/// something. A TLS failure or a broken connection is left to the cases, which report it each
/// with its reason (a server may demand a role's own client certificate, or break once).
pub async fn unreachable(target: &Target, spec: &Spec) -> Option<String> {
    // Through a proxy, only the proxy could say; and a TCP connection is all that is tried,
    // so no request reaches the target before its cases.
    if target.profile.proxy.is_some() {
        return None;
    }
    for (base, services) in bases(target, spec) {
        let Ok(url) = reqwest::Url::parse(&base) else {
            continue;
        };
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            continue;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let why = match tokio::net::TcpStream::connect((host.as_str(), port)).await {
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                format!("connection refused: {e}")
            }
            Err(e) if e.kind() == std::io::ErrorKind::Other || e.raw_os_error().is_none() => {
                format!("the name does not resolve: {e}")
            }
            Err(_) => continue,
        };
        return Some(format!(
            "the target cannot be reached ({}): {base}: {why}\n  fix: {}\n  (`konform doctor --target FILE` checks the whole profile)",
            services.join(", "),
            transport_fix(Failure::Refused, &base)
        ));
    }
    None
}

/// The methods the doctor calls: per service, one without path parameters, a read method
/// where there is one.
fn harmless(methods: &[MethodInfo]) -> Vec<&MethodInfo> {
    let mut by_service: BTreeMap<&str, Vec<&MethodInfo>> = BTreeMap::new();
    for m in methods {
        if m.path_params.is_empty() && m.status != crate::spec::model::MethodStatus::Withdrawn {
            by_service.entry(&m.service).or_default().push(m);
        }
    }
    by_service
        .into_values()
        .filter_map(|ms| {
            let read = ms.iter().find(|m| {
                ["Get", "Read", "Hent", "List", "Find", "Search"]
                    .iter()
                    .any(|p| m.name.starts_with(p))
            });
            read.or(ms.first()).copied()
        })
        .collect()
}

/// Tokens: one per role and per distinct scope of the methods (OAuth2); the token variable of
/// each role (`auth: bearer`, already read when the target was built).
async fn tokens(target: &Target, methods: &[MethodInfo]) -> Vec<Finding> {
    let mut out = Vec::new();
    match &target.profile.auth {
        AuthConfig::None => out.push(Finding::skip(
            "token",
            "every role",
            "the profile sends no bearer tokens (`auth` is not set)",
        )),
        AuthConfig::Bearer => {
            for (name, role) in &target.profile.roles {
                out.push(Finding::pass(
                    "token",
                    name.clone(),
                    format!(
                        "a fixed token from ${} (scope cases are not applicable)",
                        role.token_env.as_deref().unwrap_or("?")
                    ),
                ));
            }
        }
        AuthConfig::Oauth2(o) => {
            let scopes: BTreeSet<Option<String>> = methods
                .iter()
                .filter(|m| m.transport() == crate::spec::model::Transport::Rest)
                .map(|m| wire::scope(&target.profile, m))
                .collect();
            for name in target.profile.roles.keys() {
                for scope in &scopes {
                    let subject = format!("{name}, scope {}", scope.as_deref().unwrap_or("(none)"));
                    match target.check_token(name, scope.as_deref()).await {
                        Ok(_) => out.push(Finding::pass("token", subject, "granted")),
                        Err(why) => {
                            let why = why.to_string();
                            let fix = if why.contains("invalid_client") || why.contains("HTTP 401")
                            {
                                format!(
                                    "the client id or secret is wrong: check `roles.{name}.client_id` and the secret in ${}",
                                    target
                                        .profile
                                        .roles
                                        .get(name)
                                        .and_then(|r| r.client_secret_env.clone())
                                        .unwrap_or_else(|| o.client_secret_env.clone())
                                )
                            } else if why.contains("scope") {
                                "the scope is not granted: name the environment's scope in `auth.oauth2.scopes`".to_string()
                            } else {
                                format!("check `auth.oauth2.token_url` (`{}`)", o.token_url)
                            };
                            out.push(Finding::fail("token", subject, why, fix));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The state-change endpoint (one plain citizen established) or the citizen pool (read and
/// checked).
async fn preconditions(target: &Arc<Target>, spec: &Spec, clock: Clock) -> Finding {
    if let Some(url) = target.state_url() {
        let jobcenter = target
            .profile
            .roles
            .values()
            .find(|r| r.organisation == crate::spec::model::OrganisationType::JobCenter)
            .map(|r| r.code.clone());
        let mut citizen = serde_json::json!({ "status": "alive" });
        if let Some(code) = jobcenter {
            citizen["jobcenter"] = serde_json::Value::String(code);
        }
        let body =
            serde_json::json!({ "now": clock.rfc3339(), "citizen": citizen, "projects": [] });
        let mut exchanges = Vec::new();
        return match target.post_json(&url, &body, &mut exchanges).await {
            Err(e) => Finding::fail(
                "state",
                url.clone(),
                format!("{}: {}", e.failure.describe(), e.detail),
                transport_fix(e.failure, &url),
            ),
            Ok(resp) if (200..300).contains(&resp.status) => {
                match serde_json::from_slice::<crate::state::Established>(&resp.body) {
                    Ok(e) if e.cpr.is_some() => Finding::pass(
                        "state",
                        url,
                        "a plain citizen was established (the answer names its CPR)",
                    ),
                    Ok(_) => Finding::fail(
                        "state",
                        url,
                        "the answer names no `cpr`",
                        "answer `{\"cpr\": \"…\", \"ids\": {…}}` (README, Preconditions)",
                    ),
                    Err(e) => Finding::fail(
                        "state",
                        url,
                        format!("the answer cannot be read: {e}"),
                        "answer `{\"cpr\": \"…\", \"ids\": {…}}` (README, Preconditions)",
                    ),
                }
            }
            Ok(resp) => Finding::fail(
                "state",
                url,
                format!("HTTP {} to a plain citizen", resp.status),
                "check `state_endpoint`, or give `citizen_pool` where the environment has no state-change endpoint",
            ),
        };
    }
    if let Some(path) = &target.profile.citizen_pool {
        let shown = path.display().to_string();
        return match crate::provision::pool::CitizenPool::load(
            path,
            target.clone(),
            spec,
            clock,
            target.profile.derive_setup,
        ) {
            Ok(_) => {
                let file = crate::provision::pool::PoolFile::load(path).ok();
                let (profiles, citizens) = file
                    .map(|f| {
                        (
                            f.profiles.len(),
                            f.profiles.iter().map(|p| p.citizens.len()).sum::<usize>(),
                        )
                    })
                    .unwrap_or_default();
                Finding::pass(
                    "pool",
                    shown,
                    format!("{profiles} profile(s), {citizens} citizen(s), every one checked"),
                )
            }
            Err(e) => Finding::fail(
                "pool",
                shown,
                e.to_string(),
                "correct the pool file (`konform pool suggest --run DIR` writes a starting one)",
            ),
        };
    }
    Finding::fail(
        "state",
        "preconditions",
        "the profile names neither `state_endpoint` nor `citizen_pool`: every case with a citizen will be not applicable",
        "give `state_endpoint` or `citizen_pool`",
    )
}

/// One harmless call per service: a request without a body, which a conformant service
/// refuses by validation. Any DFDG answer (a success or a documented error) passes.
async fn calls(target: &Target, methods: &[MethodInfo]) -> Vec<Finding> {
    let Some(role) = target.profile.roles.keys().next().cloned() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in harmless(methods) {
        let subject = format!("{} {}", m.service, m.name);
        let mut exchanges = Vec::new();
        let outcome = target
            .call(m, &role, &RenderedRequest::default(), &mut exchanges)
            .await;
        let url = exchanges
            .first()
            .map(|e| e.request.url.clone())
            .unwrap_or_default();
        let how = match wire::soap_wire(&target.profile, m) {
            Some(w) => format!("SOAP {:?} at {url}, action `{}`", w.version, w.action),
            None => format!("REST at {url}"),
        };
        out.push(match outcome {
            Outcome::Success { status, .. } => {
                Finding::pass("call", subject, format!("{how}: a success (HTTP {status})"))
            }
            Outcome::DfdgError { status, errors } => Finding::pass(
                "call",
                subject,
                format!(
                    "{how}: DFDG error {} (HTTP {status}), as an empty request should get",
                    errors
                        .iter()
                        .map(|e| e.code.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Outcome::HttpStatus { status, .. } => {
                let fix = match status {
                    404 | 405 => match m.transport() {
                        crate::spec::model::Transport::Rest => format!(
                            "the path is not the environment's: set `methods.{}.path`",
                            m.name
                        ),
                        crate::spec::model::Transport::Soap => format!(
                            "the endpoint is not the environment's: set `services.{}.soap_path`",
                            m.service
                        ),
                    },
                    401 | 403 => "the call was not authorised: check `auth`, the roles' tokens and client certificates".into(),
                    415 => format!(
                        "the environment wants another content type: check `services.{}.soap_version`",
                        m.service
                    ),
                    _ => "check the service's settings in the profile".into(),
                };
                Finding::fail("call", subject, format!("{how}: HTTP {status} without a DFDG error"), fix)
            }
            Outcome::TransportFailure { failure, detail } => {
                let fix = if detail.contains("ActionNotSupported") {
                    format!(
                        "the service dispatches on other action URIs: set `services.{}.soap_action` (a template over {{method}}, {{service}}, {{namespace}}, {{action}}) or `methods.{}.soap_action`",
                        m.service, m.name
                    )
                } else if failure == Failure::Unparsable {
                    format!(
                        "the answer is no DFDG answer: check `services.{}.namespace`, `header_namespace`, `soap_version`, or `error_codes`",
                        m.service
                    )
                } else {
                    transport_fix(failure, &url)
                };
                Finding::fail("call", subject, format!("{how}: {}: {detail}", failure.describe()), fix)
            }
        });
    }
    out
}

/// Every check of a profile, in order: reachability, tokens, preconditions, calls. Tokens and
/// calls are skipped where nothing could be reached.
pub async fn examine(
    target: &Arc<Target>,
    spec: &Spec,
    methods: &[MethodInfo],
    clock: Clock,
) -> Vec<Finding> {
    let mut out = reach(target, spec).await;
    if out.iter().any(|f| f.status == Status::Fail) {
        out.push(Finding::skip(
            "token",
            "every role",
            "not checked: the target cannot be reached",
        ));
        out.push(Finding::skip(
            "call",
            "every service",
            "not checked: the target cannot be reached",
        ));
        return out;
    }
    out.extend(tokens(target, methods).await);
    out.push(preconditions(target, spec, clock).await);
    out.extend(calls(target, methods).await);
    out
}
