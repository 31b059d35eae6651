//! A target ready to call: one HTTP client with a keep-alive pool shared by every case, the
//! profile's endpoints, and bearer tokens fetched once per role and scope. The main type here
//! is [`Target`]; [`Target::call`] sends one request over REST or SOAP and normalises the answer.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OnceCell;

use super::http::{self, RawResponse, Recording, SendError};
use super::outcome::{Exchange, Failure, Outcome};
use super::profile::{AuthConfig, Profile, Role, SoapVersionName, join};
use super::request::RenderedRequest;
use super::{rest, soap};
use crate::case::plan::{MethodCall, MethodInfo};
use crate::soap::SoapVersion;
use crate::spec::model::OrganisationType;
use crate::spec::overlay::Overlay;

/// How the target is called.
#[derive(Debug, Clone)]
pub struct TargetOptions {
    /// Keep CPR numbers unmasked in recorded exchanges.
    pub show_cpr: bool,
    pub max_response_bytes: usize,
    /// A backstop per request; the runner's case timeout normally comes first.
    pub request_timeout: Duration,
}

impl Default for TargetOptions {
    fn default() -> Self {
        TargetOptions {
            show_cpr: false,
            max_response_bytes: http::DEFAULT_MAX_RESPONSE_BYTES,
            request_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("environment variable {0} is not set (the {1})")]
    MissingEnv(String, &'static str),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

type TokenCell = Arc<OnceCell<Result<String, String>>>;

/// A target to run cases against.
#[derive(Debug)]
pub struct Target {
    pub profile: Profile,
    client: reqwest::Client,
    client_secret: Option<String>,
    role_tokens: HashMap<String, String>,
    tokens: Mutex<HashMap<(String, String), TokenCell>>,
    organisation_type_ids: BTreeMap<OrganisationType, u32>,
    recording: Recording,
    limit: usize,
}

impl Target {
    /// Builds a target. `client_secret` overrides the profile's environment variable (the
    /// embedded reference's secret lives only in memory).
    pub fn new(
        profile: Profile,
        overlay: &Overlay,
        client_secret: Option<String>,
        options: &TargetOptions,
    ) -> Result<Target, TargetError> {
        let client_secret = match (&profile.auth, client_secret) {
            (_, Some(s)) => Some(s),
            (
                AuthConfig::Oauth2 {
                    client_secret_env, ..
                },
                None,
            ) => Some(std::env::var(client_secret_env).map_err(|_| {
                TargetError::MissingEnv(client_secret_env.clone(), "client secret")
            })?),
            (AuthConfig::None | AuthConfig::Bearer, None) => None,
        };
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
        let client = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .tcp_nodelay(true)
            .timeout(options.request_timeout)
            .danger_accept_invalid_certs(profile.insecure_tls)
            .build()
            .map_err(|e| TargetError::Client(e.to_string()))?;
        Ok(Target {
            organisation_type_ids: overlay
                .organisation_type_ids
                .iter()
                .map(|t| (t.organisation, t.id))
                .collect(),
            profile,
            client,
            client_secret,
            role_tokens,
            tokens: Mutex::new(HashMap::new()),
            recording: Recording {
                show_cpr: options.show_cpr,
            },
            limit: options.max_response_bytes,
        })
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.profile.roles.get(name)
    }

    /// The secret values this target holds (client secret, bearer tokens), for reports to
    /// redact wherever they might occur.
    pub fn secrets(&self) -> Vec<String> {
        self.client_secret
            .iter()
            .chain(self.role_tokens.values())
            .filter(|s| !s.is_empty())
            .cloned()
            .collect()
    }

    pub fn recording(&self) -> Recording {
        self.recording
    }

    /// The state-change endpoint's URL, if the target has one.
    pub fn state_url(&self) -> Option<String> {
        self.profile
            .state_endpoint
            .as_deref()
            .and_then(|p| self.profile.resolve(p))
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
        http::send(&self.client, request, self.limit, self.recording, exchanges).await
    }

    /// Sends one request of `method` as `role` and reads the answer.
    pub async fn call(
        &self,
        method: &MethodInfo,
        role: &str,
        req: &RenderedRequest,
        exchanges: &mut Vec<Exchange>,
    ) -> Outcome {
        let Some(base) = self.profile.base_url(&method.service) else {
            return failure(
                Failure::Other,
                format!("the target gives no base URL for {}", method.service),
            );
        };
        let Some(caller) = self.role(role) else {
            return failure(
                Failure::Other,
                format!("the target has no caller role `{role}`"),
            );
        };
        let built = match &method.call {
            MethodCall::Rest { verb, path } => {
                self.rest_request(base, verb.as_str(), path, method, role, req)
                    .await
            }
            MethodCall::Soap {
                action,
                request_element,
                endpoint,
                namespace,
                header_namespace,
            } => {
                let endpoint = self
                    .profile
                    .services
                    .get(&method.service)
                    .and_then(|s| s.soap_path.as_deref())
                    .unwrap_or(endpoint);
                let version = match self
                    .profile
                    .services
                    .get(&method.service)
                    .and_then(|s| s.soap_version)
                {
                    Some(SoapVersionName::V12) => SoapVersion::V12,
                    Some(SoapVersionName::V11) | None => SoapVersion::V11,
                };
                let caller = soap::SoapCaller {
                    organisation_type_id: self
                        .organisation_type_ids
                        .get(&caller.organisation)
                        .copied(),
                    organisation_code: &caller.code,
                    user_identifier: &self.profile.user.user_identifier,
                    user_name: &self.profile.user.user_name,
                };
                let envelope = match &req.raw {
                    Some(raw) => raw.clone(),
                    None => crate::soap::write_envelope(
                        version,
                        &soap::caller_headers(
                            &caller,
                            header_namespace,
                            !req.omit.active_organisation,
                            !req.omit.user_metadata,
                        ),
                        request_element,
                        namespace,
                        req.body
                            .as_ref()
                            .unwrap_or(&Value::Object(Default::default())),
                        &method.body,
                    ),
                };
                let mut builder = self.client.post(join(base, endpoint)).body(envelope);
                for (name, value) in soap::content_headers(version, action) {
                    builder = builder.header(name, value);
                }
                builder.build().map_err(|e| http::classify(e).detail)
            }
        };
        let request = match built {
            Ok(r) => r,
            Err(detail) => return failure(Failure::Other, detail),
        };
        match http::send(&self.client, request, self.limit, self.recording, exchanges).await {
            Ok(resp) => match method.call {
                MethodCall::Rest { .. } => rest::outcome(&resp),
                MethodCall::Soap { .. } => soap::outcome(&resp, &method.output),
            },
            Err(e) => failure(e.failure, e.detail),
        }
    }

    async fn rest_request(
        &self,
        base: &str,
        verb: &str,
        path: &str,
        method: &MethodInfo,
        role: &str,
        req: &RenderedRequest,
    ) -> Result<reqwest::Request, String> {
        let url = join(base, &rest::fill_path(path, &req.path));
        let verb = reqwest::Method::from_bytes(verb.as_bytes()).map_err(|e| e.to_string())?;
        let mut builder = self
            .client
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
            method.other_scope.as_deref()
        } else {
            method.scope.as_deref()
        };
        if !req.omit.authorization
            && let Some(token) = self.token(role, scope).await?
        {
            builder = builder.bearer_auth(token);
        }
        builder.build().map_err(|e| http::classify(e).detail)
    }

    /// The bearer token for a role and scope, fetched once.
    async fn token(&self, role: &str, scope: Option<&str>) -> Result<Option<String>, String> {
        match &self.profile.auth {
            AuthConfig::None => Ok(None),
            AuthConfig::Bearer => self
                .role_tokens
                .get(role)
                .cloned()
                .map(Some)
                .ok_or_else(|| format!("no bearer token for role `{role}`")),
            AuthConfig::Oauth2 { token_url, .. } => {
                let cell = {
                    let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
                    tokens
                        .entry((role.to_string(), scope.unwrap_or_default().to_string()))
                        .or_default()
                        .clone()
                };
                cell.get_or_init(|| self.fetch_token(token_url, role, scope))
                    .await
                    .clone()
                    .map(Some)
            }
        }
    }

    async fn fetch_token(
        &self,
        token_url: &str,
        role: &str,
        scope: Option<&str>,
    ) -> Result<String, String> {
        let caller = self
            .role(role)
            .ok_or_else(|| format!("the target has no caller role `{role}`"))?;
        let url = self.profile.resolve(token_url).ok_or_else(|| {
            "the token URL is relative and the profile has no base_url".to_string()
        })?;
        let client_id = format!("{}:{}", caller.organisation.as_str(), caller.code);
        let mut form = vec![
            ("grant_type", "client_credentials".to_string()),
            ("client_id", client_id),
            (
                "client_secret",
                self.client_secret.clone().unwrap_or_default(),
            ),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope.to_string()));
        }
        let resp = self
            .client
            .post(&url)
            .form(&form)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "cannot get a token for role `{role}`: {}",
                    http::classify(e).detail
                )
            })?;
        let status = resp.status();
        let body: Value = resp
            .json()
            .await
            .map_err(|e| format!("the token answer for role `{role}` is not JSON: {e}"))?;
        if !status.is_success() {
            // The body of a refusal names no secret; it is shown to help fix the profile.
            return Err(format!(
                "the token endpoint refused role `{role}` with HTTP {}: {body}",
                status.as_u16()
            ));
        }
        body.get("access_token")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("the token answer for role `{role}` has no access_token"))
    }
}

fn failure(failure: Failure, detail: String) -> Outcome {
    Outcome::TransportFailure { failure, detail }
}
