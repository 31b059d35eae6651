//! A target ready to call: one HTTP client with a keep-alive pool shared by every case (one
//! more per role with a client certificate of its own), the profile's endpoints, and bearer
//! tokens fetched per role and scope, cached until shortly before they expire. The main type
//! here is [`Target`]; [`Target::call`] sends one request over REST or SOAP and normalises
//! the answer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::http::{self, RawResponse, Recording, SendError};
use super::outcome::{Exchange, Failure, Outcome};
use super::profile::{AuthConfig, ClientAuth, Profile, Role, join};
use super::request::RenderedRequest;
use super::{rest, soap};
use crate::plan::{MethodCall, MethodInfo};
use crate::spec::model::OrganisationType;
use crate::spec::overlay::Overlay;

/// Why a request could not be built or authorised (a bad verb, header or token), in words for
/// the case's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RequestError(pub String);

impl From<String> for RequestError {
    fn from(s: String) -> RequestError {
        RequestError(s)
    }
}

impl From<&str> for RequestError {
    fn from(s: &str) -> RequestError {
        RequestError(s.to_string())
    }
}

/// The monotonic clock token lifetimes are measured on; tests inject their own.
#[derive(Clone)]
pub struct TokenClock(pub Arc<dyn Fn() -> Instant + Send + Sync>);

impl Default for TokenClock {
    fn default() -> Self {
        TokenClock(Arc::new(Instant::now))
    }
}

impl std::fmt::Debug for TokenClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenClock")
    }
}

/// How the target is called.
#[derive(Debug, Clone)]
pub struct TargetOptions {
    /// Keep CPR numbers unmasked in recorded exchanges.
    pub show_cpr: bool,
    /// The largest answer read; the profile's `max_response_bytes` wins where it gives one.
    pub max_response_bytes: usize,
    /// A backstop per request; the runner's case timeout normally comes first.
    pub request_timeout: Duration,
    /// Turn TLS certificate verification off whatever the profile says (`--insecure`).
    pub insecure: bool,
    pub clock: TokenClock,
}

impl Default for TargetOptions {
    fn default() -> Self {
        TargetOptions {
            show_cpr: false,
            max_response_bytes: http::DEFAULT_MAX_RESPONSE_BYTES,
            request_timeout: Duration::from_secs(30),
            insecure: false,
            clock: TokenClock::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("environment variable {0} is not set (the {1})")]
    MissingEnv(String, &'static str),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("cannot read {what} {}: {detail}", path.display())]
    Tls {
        what: &'static str,
        path: std::path::PathBuf,
        detail: String,
    },
}

/// A cached token, or the refusal of the token endpoint (not asked again).
#[derive(Debug, Clone)]
enum Cached {
    Token {
        token: String,
        refresh_at: Option<Instant>,
    },
    Refused(String),
}

type TokenSlot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// An answer as normalised, and as received (where one came), for the answer checks.
#[derive(Debug)]
pub struct Answered {
    pub outcome: Outcome,
    pub response: Option<RawResponse>,
    /// SOAP: the namespace in force for the method's service (the profile's, else the
    /// overlay's).
    pub soap_namespace: Option<String>,
}

/// A target to run cases against.
#[derive(Debug)]
pub struct Target {
    pub profile: Profile,
    client: reqwest::Client,
    /// Clients of roles with a client certificate of their own.
    role_clients: HashMap<String, reqwest::Client>,
    /// OAuth2 client secrets per role.
    client_secrets: HashMap<String, String>,
    /// Fixed bearer tokens per role (`auth: bearer`).
    role_tokens: HashMap<String, String>,
    tokens: Mutex<HashMap<(String, String), TokenSlot>>,
    /// Every access token fetched, so reports can redact them wherever they occur.
    issued: Mutex<BTreeSet<String>>,
    organisation_type_ids: BTreeMap<OrganisationType, u32>,
    recording: Recording,
    limit: usize,
    tls_off: bool,
    clock: TokenClock,
}

impl Target {
    /// Builds a target. `client_secret` overrides the profile's environment variables (the
    /// embedded reference's secret lives only in memory).
    pub fn new(
        profile: Profile,
        overlay: &Overlay,
        client_secret: Option<String>,
        options: &TargetOptions,
    ) -> Result<Target, TargetError> {
        let mut client_secrets = HashMap::new();
        if let AuthConfig::Oauth2(o) = &profile.auth {
            for (name, role) in &profile.roles {
                let secret = match &client_secret {
                    Some(s) => s.clone(),
                    None => {
                        let var = role
                            .client_secret_env
                            .as_ref()
                            .unwrap_or(&o.client_secret_env);
                        std::env::var(var)
                            .map_err(|_| TargetError::MissingEnv(var.clone(), "client secret"))?
                    }
                };
                client_secrets.insert(name.clone(), secret);
            }
        }
        let mut role_tokens = HashMap::new();
        if let AuthConfig::Bearer = profile.auth {
            for (name, role) in &profile.roles {
                if let Some(var) = &role.token_env {
                    let token = std::env::var(var)
                        .map_err(|_| TargetError::MissingEnv(var.clone(), "bearer token"))?;
                    role_tokens.insert(name.clone(), token);
                }
            }
        }
        let tls_off = profile.insecure_tls || options.insecure;
        let ca = profile
            .tls
            .ca
            .as_deref()
            .map(|path| {
                let pem = read(path, "the CA certificate")?;
                reqwest::Certificate::from_pem(&pem).map_err(|e| TargetError::Tls {
                    what: "the CA certificate",
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })
            })
            .transpose()?;
        let default_identity = profile
            .tls
            .client_cert
            .as_deref()
            .map(|cert| identity(cert, profile.tls.client_key.as_deref()))
            .transpose()?;
        let build = |identity: Option<reqwest::Identity>| {
            build_client(&profile, ca.clone(), identity, tls_off, options)
        };
        let client = build(default_identity)?;
        let mut role_clients = HashMap::new();
        for (name, role) in &profile.roles {
            if let Some(cert) = &role.client_cert {
                let id = identity(cert, role.client_key.as_deref())?;
                role_clients.insert(name.clone(), build(Some(id))?);
            }
        }
        Ok(Target {
            organisation_type_ids: overlay
                .organisation_type_ids
                .iter()
                .map(|t| (t.organisation, t.id))
                .collect(),
            limit: profile
                .max_response_bytes
                .unwrap_or(options.max_response_bytes),
            profile,
            client,
            role_clients,
            client_secrets,
            role_tokens,
            tokens: Mutex::new(HashMap::new()),
            issued: Mutex::new(BTreeSet::new()),
            recording: Recording {
                show_cpr: options.show_cpr,
            },
            tls_off,
            clock: options.clock.clone(),
        })
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.profile.roles.get(name)
    }

    /// Whether TLS certificates go unverified (the profile's `insecure_tls` or `--insecure`).
    pub fn tls_verification_off(&self) -> bool {
        self.tls_off
    }

    /// The secret values this target holds or was given (client secrets, bearer tokens,
    /// access tokens), for reports to redact wherever they might occur.
    pub fn secrets(&self) -> Vec<String> {
        let issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: BTreeSet<String> = self
            .client_secrets
            .values()
            .chain(self.role_tokens.values())
            .chain(issued.iter())
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        // The forms a secret travels in, so an echo of the request is caught too: form-encoded
        // (a form body, RFC 6749 §2.3.1) and, for HTTP Basic, the header's base64 credentials.
        for (role, secret) in &self.client_secrets {
            if secret.is_empty() {
                continue;
            }
            out.insert(form_encode(secret));
            if let Some(caller) = self.role(role) {
                out.insert(basic_credentials(&caller.client_id(), secret));
            }
        }
        // A short secret would redact ordinary words; a secret this short is no secret.
        out.retain(|s| s.len() >= 4);
        out.into_iter().collect()
    }

    pub fn recording(&self) -> Recording {
        self.recording
    }

    fn client_for(&self, role: &str) -> &reqwest::Client {
        self.role_clients.get(role).unwrap_or(&self.client)
    }

    /// The state-change endpoint's URL, if the target has one.
    pub fn state_url(&self) -> Option<String> {
        self.profile
            .state_endpoint
            .as_deref()
            .and_then(|p| self.profile.resolve(p))
    }

    /// A plain `GET` of `url`, answering the HTTP status, for `konform doctor` and the run's
    /// reachability check: any answer proves the address and TLS; the body is not read.
    pub async fn probe(&self, url: &str) -> Result<u16, SendError> {
        let resp = self.client.get(url).send().await.map_err(http::classify)?;
        Ok(resp.status().as_u16())
    }

    /// Gets (or takes from the cache) the bearer token of `role` for `scope`, for
    /// `konform doctor`; `Err` says why there is none. The token itself is not shown.
    pub async fn check_token(&self, role: &str, scope: Option<&str>) -> Result<bool, RequestError> {
        self.token(role, scope).await.map(|t| t.is_some())
    }

    /// Posts JSON (the state-change request), recording the exchange.
    pub async fn post_json(
        &self,
        url: &str,
        body: &Value,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<RawResponse, SendError> {
        let request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .build()
            .map_err(http::classify)?;
        http::send(
            &self.client,
            request,
            self.limit,
            self.recording,
            self.profile.follow_redirects,
            exchanges,
        )
        .await
    }

    /// Sends one request of `method` as `role` and reads the answer.
    pub async fn call(
        &self,
        method: &MethodInfo,
        role: &str,
        req: &RenderedRequest,
        exchanges: &mut Vec<Exchange>,
    ) -> Outcome {
        self.answer(method, role, req, exchanges).await.outcome
    }

    /// Like [`Target::call`], keeping the answer as received for the answer checks.
    pub async fn answer(
        &self,
        method: &MethodInfo,
        role: &str,
        req: &RenderedRequest,
        exchanges: &mut Vec<Exchange>,
    ) -> Answered {
        let unsent = |outcome| Answered {
            outcome,
            response: None,
            soap_namespace: None,
        };
        let Some(base) = self.profile.base_url(&method.service) else {
            return unsent(failure(
                Failure::Other,
                format!("the target gives no base URL for {}", method.service),
            ));
        };
        let Some(caller) = self.role(role) else {
            return unsent(failure(
                Failure::Other,
                format!("the target has no caller role `{role}`"),
            ));
        };
        let mut soap_namespace = None;
        let client = self.client_for(role);
        let built = match &method.call {
            MethodCall::Rest { verb, path } => {
                let path = super::wire::rest_path(&self.profile, method).unwrap_or(path);
                self.rest_request(client, base, verb.as_str(), path, method, role, req)
                    .await
            }
            MethodCall::Soap {
                request_element, ..
            } => {
                let Some(wire) = super::wire::soap_wire(&self.profile, method) else {
                    return unsent(failure(Failure::Other, "not a SOAP method".into()));
                };
                let version = wire.version;
                soap_namespace = Some(wire.namespace.clone());
                let user = caller.user.as_ref().unwrap_or(&self.profile.user);
                let soap_caller = soap::SoapCaller {
                    organisation_type_id: caller.organisation_type_identifier.or_else(|| {
                        self.organisation_type_ids
                            .get(&caller.organisation)
                            .copied()
                    }),
                    organisation_code: &caller.code,
                    user_identifier: &user.user_identifier,
                    user_name: &user.user_name,
                };
                let mut headers = soap::caller_headers(
                    &soap_caller,
                    &wire.header_namespace,
                    !req.omit.active_organisation,
                    !req.omit.user_metadata,
                );
                if req.omit.organisation_type {
                    for block in &mut headers {
                        if block.name == "ActiveOrganisationHeader"
                            && let Some(map) = block.value.as_object_mut()
                        {
                            map.remove("OrganisationTypeIdentifier");
                        }
                    }
                }
                let envelope = match &req.raw {
                    Some(raw) => raw.clone(),
                    None => crate::soap::write_envelope(
                        version,
                        &headers,
                        request_element,
                        &wire.namespace,
                        req.body
                            .as_ref()
                            .unwrap_or(&Value::Object(Default::default())),
                        &method.body,
                    ),
                };
                let mut builder = client.post(join(base, &wire.endpoint)).body(envelope);
                for (name, value) in soap::content_headers(version, &wire.action) {
                    builder = builder.header(name, value);
                }
                builder
                    .build()
                    .map_err(|e| RequestError(http::classify(e).detail))
            }
        };
        let request = match built {
            Ok(r) => r,
            Err(RequestError(detail)) => return unsent(failure(Failure::Other, detail)),
        };
        let resp = match http::send(
            client,
            request,
            self.limit,
            self.recording,
            self.profile.follow_redirects,
            exchanges,
        )
        .await
        {
            Ok(resp) => resp,
            Err(e) => return unsent(failure(e.failure, e.detail)),
        };
        // Reading an answer is CPU work bounded by its size, done off the async workers: the
        // case timeout and Ctrl-C stay responsive while a large answer is parsed. The answer
        // comes back with its outcome for the answer checks.
        let is_rest = matches!(method.call, MethodCall::Rest { .. });
        let output = method.output.clone();
        let codes = self.profile.error_codes.clone();
        let parse = move || {
            let outcome = if is_rest {
                rest::outcome(&resp, &codes.rest)
            } else {
                soap::outcome(&resp, &output, &codes.soap)
            };
            (outcome, resp)
        };
        match tokio::task::spawn_blocking(parse).await {
            Ok((outcome, resp)) => Answered {
                outcome,
                response: Some(resp),
                soap_namespace,
            },
            Err(e) => unsent(failure(
                Failure::Unparsable,
                format!("reading the answer failed: {e}"),
            )),
        }
    }

    #[expect(clippy::too_many_arguments, reason = "one request's parts")]
    async fn rest_request(
        &self,
        client: &reqwest::Client,
        base: &str,
        verb: &str,
        path: &str,
        method: &MethodInfo,
        role: &str,
        req: &RenderedRequest,
    ) -> Result<reqwest::Request, RequestError> {
        let url = join(base, &rest::fill_path(path, &req.path));
        let verb = reqwest::Method::from_bytes(verb.as_bytes()).map_err(|e| e.to_string())?;
        let mut builder = client
            .request(verb, url)
            .header("accept", "application/json");
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        let has_content_type = req
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
        for (name, value) in &req.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = rest::body_text(req) {
            if !has_content_type {
                builder = builder.header("content-type", "application/json");
            }
            builder = builder.body(body);
        }
        // `omit: [Scope]` asks for another method's scope, so the token lacks this one's.
        let scope = if req.omit.scope {
            Some(super::wire::scope_without(&self.profile, method)?)
        } else {
            super::wire::scope(&self.profile, method)
        };
        if !req.omit.authorization
            && let Some(token) = self.token(role, scope.as_deref()).await?
        {
            builder = builder.bearer_auth(token);
        }
        builder
            .build()
            .map_err(|e| RequestError(http::classify(e).detail))
    }

    /// The bearer token a call of `method` as `role` carries (none without authentication):
    /// for `konform bench`, whose raw loop replays a run's requests without the harness.
    pub async fn bearer(
        &self,
        role: &str,
        method: &MethodInfo,
    ) -> Result<Option<String>, RequestError> {
        let scope = super::wire::scope(&self.profile, method);
        self.token(role, scope.as_deref()).await
    }

    /// The bearer token for a role and scope: cached until shortly before it expires, then
    /// fetched again. A refusal by the token endpoint is remembered; a transport failure is not.
    async fn token(&self, role: &str, scope: Option<&str>) -> Result<Option<String>, RequestError> {
        match &self.profile.auth {
            AuthConfig::None => Ok(None),
            AuthConfig::Bearer => self
                .role_tokens
                .get(role)
                .cloned()
                .map(Some)
                .ok_or_else(|| RequestError(format!("no bearer token for role `{role}`"))),
            AuthConfig::Oauth2(_) => {
                let slot = {
                    let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
                    tokens
                        .entry((role.to_string(), scope.unwrap_or_default().to_string()))
                        .or_default()
                        .clone()
                };
                let mut cached = slot.lock().await;
                let now = (self.clock.0)();
                match &*cached {
                    Some(Cached::Token { token, refresh_at })
                        if refresh_at.is_none_or(|t| now < t) =>
                    {
                        return Ok(Some(token.clone()));
                    }
                    Some(Cached::Refused(why)) => return Err(RequestError::from(why.clone())),
                    Some(Cached::Token { .. }) | None => {}
                }
                match self.fetch_token(role, scope).await {
                    Ok((token, expires_in)) => {
                        // A lifetime past what the clock can count (`expires_in: 2^64-1`) never expires.
                        let refresh_at =
                            expires_in.and_then(|secs| now.checked_add(lifetime(secs)));
                        self.issued
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(token.clone());
                        *cached = Some(Cached::Token {
                            token: token.clone(),
                            refresh_at,
                        });
                        Ok(Some(token))
                    }
                    Err(TokenError::Refused(why)) => {
                        *cached = Some(Cached::Refused(why.clone()));
                        Err(RequestError::from(why))
                    }
                    Err(TokenError::Transport(why)) => Err(RequestError::from(why)),
                }
            }
        }
    }

    async fn fetch_token(
        &self,
        role: &str,
        scope: Option<&str>,
    ) -> Result<(String, Option<u64>), TokenError> {
        let AuthConfig::Oauth2(o) = &self.profile.auth else {
            return Err(TokenError::Refused(
                "the profile has no OAuth2 settings".into(),
            ));
        };
        let caller = self.role(role).ok_or_else(|| {
            TokenError::Refused(format!("the target has no caller role `{role}`"))
        })?;
        let url = self.profile.resolve(&o.token_url).ok_or_else(|| {
            TokenError::Refused("the token URL is relative and the profile has no base_url".into())
        })?;
        let client_id = caller.client_id();
        let secret = self.client_secrets.get(role).cloned().unwrap_or_default();
        let mut form = vec![("grant_type", "client_credentials".to_string())];
        if let Some(scope) = scope {
            form.push(("scope", scope.to_string()));
        }
        let client = self.client_for(role);
        let mut builder = client.post(&url).header("accept", "application/json");
        match o.client_auth {
            ClientAuth::Form => {
                form.push(("client_id", client_id));
                form.push(("client_secret", secret));
            }
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined for Basic.
            ClientAuth::Basic => {
                builder = builder.basic_auth(form_encode(&client_id), Some(form_encode(&secret)))
            }
        }
        let resp = builder.form(&form).send().await.map_err(|e| {
            TokenError::Transport(format!(
                "cannot get a token for role `{role}`: {}",
                http::classify(e).detail
            ))
        })?;
        let status = resp.status();
        if status.is_redirection() {
            // The clients never follow a redirect themselves; a token request's is refused
            // outright: following it would send the client secret wherever `Location` says.
            let to = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            return Err(TokenError::Refused(format!(
                "the token endpoint redirected role `{role}` (HTTP {}) to `{}`; konform never follows a token request's redirect (the credentials would go with it)",
                status.as_u16(),
                crate::sanitise::cap(&self.recording.text(&to), 200)
            )));
        }
        // The token answer is read within the size limit and never recorded: it is a secret.
        let body = http::read_limited(resp, self.limit.min(1024 * 1024))
            .await
            .map_err(|e| {
                TokenError::Transport(format!(
                    "cannot read the token answer for role `{role}`: {}",
                    e.detail
                ))
            })?;
        let body: Value = serde_json::from_slice(&body).map_err(|e| {
            TokenError::Refused(format!(
                "the token answer for role `{role}` (HTTP {}) is not JSON: {e}",
                status.as_u16()
            ))
        })?;
        if !status.is_success() {
            // Only OAuth2's error fields are shown: a refusal body might echo the request.
            let field = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
            return Err(TokenError::Refused(
                format!(
                    "the token endpoint refused role `{role}` (client id `{}`) with HTTP {}: {} {}",
                    caller.client_id(),
                    status.as_u16(),
                    field("error"),
                    field("error_description")
                )
                .trim_end()
                .to_string(),
            ));
        }
        let token = body
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                TokenError::Refused(format!(
                    "the token answer for role `{role}` has no access_token"
                ))
            })?;
        let expires_in = match body.get("expires_in") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Ok((token, expires_in))
    }
}

enum TokenError {
    /// The token endpoint answered no: asking again will not help.
    Refused(String),
    /// The token endpoint could not be reached or read.
    Transport(String),
}

/// How long a token with `expires_in` seconds is used: up to a tenth of its life (at least a
/// second, at most a minute) before it expires, so no request goes out with a stale token.
fn lifetime(expires_in: u64) -> Duration {
    let margin = (expires_in / 10).clamp(1, 60);
    Duration::from_secs(expires_in.saturating_sub(margin))
}

fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, TargetError> {
    crate::input::read_bytes_capped(path, 16 * 1024 * 1024).map_err(|e| TargetError::Tls {
        what,
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// A client identity from a PEM certificate (chain) and its key, in one file or two.
fn identity(cert: &Path, key: Option<&Path>) -> Result<reqwest::Identity, TargetError> {
    let mut pem = read(cert, "the client certificate")?;
    if let Some(key) = key {
        pem.push(b'\n');
        pem.extend(read(key, "the client key")?);
    }
    reqwest::Identity::from_pem(&pem).map_err(|e| TargetError::Tls {
        what: "the client certificate",
        path: cert.to_path_buf(),
        detail: format!(
            "{e} (a PEM certificate with its private key is needed; see the README on converting a .p12)"
        ),
    })
}

fn build_client(
    profile: &Profile,
    ca: Option<reqwest::Certificate>,
    identity: Option<reqwest::Identity>,
    tls_off: bool,
    options: &TargetOptions,
) -> Result<reqwest::Client, TargetError> {
    let mut builder = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .timeout(options.request_timeout)
        // konform follows redirects itself (`http::send`), one hop at a time, so each hop is
        // recorded and judged; the client never follows one on its own.
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(tls_off);
    if profile.proxy.is_none() && profile.is_loopback() {
        // A target on this machine (the embedded reference) is never reached through a proxy
        // from the environment (`HTTP_PROXY`), which could not reach it or would see its traffic.
        builder = builder.no_proxy();
    }
    if let Some(ca) = ca {
        builder = builder.add_root_certificate(ca);
    }
    if let Some(identity) = identity {
        builder = builder.identity(identity);
    }
    if let Some(proxy) = &profile.proxy {
        let proxy = reqwest::Proxy::all(proxy).map_err(|e| TargetError::Client(e.to_string()))?;
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .map_err(|e| TargetError::Client(e.to_string()))
}

/// `application/x-www-form-urlencoded` (RFC 6749 Appendix B): letters, digits and `*-._` as
/// they are, space as `+`, every other byte of the UTF-8 as `%XX`.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The credentials of an HTTP Basic header for a client id and secret, as sent (RFC 6749
/// §2.3.1): `base64(form(id) ":" form(secret))`.
fn basic_credentials(id: &str, secret: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{}:{}", form_encode(id), form_encode(secret));
    let mut out = String::new();
    for chunk in input.as_bytes().chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn failure(failure: Failure, detail: String) -> Outcome {
    Outcome::TransportFailure { failure, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_refreshed_before_they_expire() {
        assert_eq!(lifetime(3600), Duration::from_secs(3540));
        assert_eq!(lifetime(100), Duration::from_secs(90));
        assert_eq!(lifetime(5), Duration::from_secs(4));
        assert_eq!(lifetime(0), Duration::ZERO);
        // The largest lifetime a target can claim neither panics nor overflows.
        let _ = lifetime(u64::MAX);
    }

    #[test]
    fn client_credentials_are_form_encoded_before_basic() {
        assert_eq!(form_encode("a b+c/ø:%"), "a+b%2Bc%2F%C3%B8%3A%25");
        // base64("my%3Aclient:s3cret")
        assert_eq!(
            basic_credentials("my:client", "s3cret"),
            "bXklM0FjbGllbnQ6czNjcmV0"
        );
        assert_eq!(basic_credentials("a", "b"), "YTpi");
    }
}
