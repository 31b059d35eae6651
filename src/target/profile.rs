//! Target profiles: where each service lives, REST or SOAP, how each caller role authenticates
//! (OAuth2 client credentials, a fixed bearer token, a client certificate), where an answer's
//! error codes are read, and how preconditions are established (a state-change endpoint, a
//! citizen pool, setup calls derived from `given`). The main type here is [`Profile`], read
//! from a YAML file (`konform run --target FILE`) or built for the embedded reference
//! ([`Profile::embedded`]). `examples/target.yaml` is a commented example.
//!
//! ```yaml
//! name: vendor test environment
//! base_url: https://dfdg-test.example.dk     # one base for all services ...
//! services:                                   # ... or one per service
//!   PersonRegistrationService: { base_url: https://soap.example.dk, soap_version: "1.2" }
//! auth:
//!   oauth2:
//!     token_url: /oauth2/token                # relative to base_url, or absolute
//!     client_secret_env: KONFORM_CLIENT_SECRET
//! roles:
//!   jobcenter: { organisation: JobCenter, code: "10101" }
//!   kommune:   { organisation: Kommune, code: "101" }
//! state_endpoint: /konform/state              # or citizen_pool: pool.yaml
//! ```
//!
//! Secrets are never written in a profile: it names the environment variable that holds them.
//! File paths in a profile (`citizen_pool`, certificates) are relative to the profile's folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::{YamlError, read_yaml};
use crate::spec::Spec;
use crate::spec::model::{OrganisationType, Transport};

/// A target profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A name for reports (`vendor test environment`).
    pub name: String,
    /// The base URL of every service not listed under `services`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Per-service settings, keyed by service name as the spec writes it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, ServiceEndpoint>,
    /// Per-method wire settings (a REST path, a SOAPAction), keyed by method name as the spec
    /// writes it; they win over the service's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub methods: BTreeMap<String, MethodEndpoint>,
    /// How callers authenticate (REST: bearer token; SOAP services use the caller headers).
    #[serde(default)]
    pub auth: AuthConfig,
    /// Caller roles by name, as cases use them in `given.caller`.
    pub roles: BTreeMap<String, Role>,
    /// The state-change endpoint (`POST`, see the README), relative to `base_url` or absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_endpoint: Option<String>,
    /// A citizen pool file: named precondition profiles with the test citizens that satisfy
    /// each (see `src/provision/pool.rs`). Used where the target has no state-change endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub citizen_pool: Option<PathBuf>,
    /// The target's implementation statement (`konform ics template`): its alternative per
    /// reading. `konform run --ics` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub ics: Option<PathBuf>,
    /// Establish the parts of `given` that the services' own methods can create (contact
    /// groups through CreateContactGroup) by calling them, on a pool citizen. Default: true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub derive_setup: bool,
    /// The user named in the SOAP RequestUserMetadataHeader (a role may name its own).
    #[serde(default)]
    pub user: UserMetadata,
    /// Accept any TLS certificate (test environments with self-signed certificates). Reports
    /// say so. `konform run --insecure` does the same.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_tls: bool,
    /// TLS settings: a custom CA, a client certificate for every role (mutual TLS).
    #[serde(default, skip_serializing_if = "TlsConfig::is_empty")]
    pub tls: TlsConfig,
    /// An HTTP(S) proxy for every request (`http://proxy.example.dk:3128`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// Where error codes are read in a REST error body and in a SOAP fault.
    #[serde(default, skip_serializing_if = "ErrorCodes::is_default")]
    pub error_codes: ErrorCodes,
    /// The largest answer read, in bytes (default 10 MiB); a larger one is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_response_bytes: Option<usize>,
    /// Which redirects of service calls are followed: `same-origin` (default: the same scheme,
    /// host and port), `never`, or `any-host`. Token requests are never redirected, and a
    /// redirect to another origin never carries the Authorization header.
    #[serde(default, skip_serializing_if = "FollowRedirects::is_default")]
    pub follow_redirects: FollowRedirects,
}

/// Which redirects of service calls konform follows (`follow_redirects`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FollowRedirects {
    /// Only to the same scheme, host and port.
    #[default]
    SameOrigin,
    /// None: a redirect is the answer.
    Never,
    /// To any host (never from `https` to `http`); the Authorization header stays behind.
    AnyHost,
}

impl FollowRedirects {
    fn is_default(&self) -> bool {
        *self == FollowRedirects::SameOrigin
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceEndpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// `rest` or `soap`: what the environment offers. Checked against the spec's binding; a
    /// service the spec binds otherwise is refused rather than called wrongly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<TransportName>,
    /// `1.1` (default) or `1.2`, for SOAP services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_version: Option<SoapVersionName>,
    /// The SOAP endpoint path below the base URL, where it differs from the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_path: Option<String>,
    /// The body namespace of a SOAP service, where it differs from the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The namespace of the caller headers, where it differs from the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_namespace: Option<String>,
    /// The SOAPAction of every method of the service, as a template over `{method}`,
    /// `{service}`, `{namespace}` (the body namespace in use) and `{action}` (the documents'
    /// action): `"{namespace}/I{service}/{method}"` for a WCF-style service. Sent as the
    /// SOAP 1.1 `SOAPAction` header or the SOAP 1.2 `action` parameter. Default: `{action}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_action: Option<String>,
}

/// Per-method wire settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodEndpoint {
    /// The REST path of the method below the service's base URL, with the documents'
    /// `{param}` placeholders (`/api/v1/raskmelding/{id}`), where it differs from the spec's.
    /// The verb stays the documents'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The SOAPAction of the method, a template as the service's `soap_action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_action: Option<String>,
}

/// The placeholders a `soap_action` template may use.
pub const SOAP_ACTION_PLACEHOLDERS: [&str; 4] = ["method", "service", "namespace", "action"];

/// Fills a `soap_action` template. Unknown placeholders are refused by [`Profile::check`].
pub fn fill_soap_action(
    template: &str,
    method: &str,
    service: &str,
    namespace: &str,
    action: &str,
) -> String {
    template
        .replace("{method}", method)
        .replace("{service}", service)
        .replace("{namespace}", namespace.trim_end_matches('/'))
        .replace("{action}", action)
}

/// The placeholders of a template that are not among `known` (`{name}` spans).
fn unknown_placeholders(template: &str, known: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            out.push(rest[start..].to_string());
            break;
        };
        let name = &rest[start + 1..start + len];
        if !known.contains(&name) {
            out.push(format!("{{{name}}}"));
        }
        rest = &rest[start + len + 1..];
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TransportName {
    Rest,
    Soap,
}

impl TransportName {
    fn of(t: Transport) -> TransportName {
        match t {
            Transport::Rest => TransportName::Rest,
            Transport::Soap => TransportName::Soap,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            TransportName::Rest => "rest",
            TransportName::Soap => "soap",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SoapVersionName {
    #[serde(rename = "1.1")]
    V11,
    #[serde(rename = "1.2")]
    V12,
}

/// How a role gets its bearer token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AuthConfig {
    /// No bearer token.
    #[default]
    None,
    /// OAuth2 client credentials, one token per role and scope, cached until shortly before
    /// it expires (`expires_in`) and then fetched again.
    Oauth2(OAuth2),
    /// A fixed token per role, from the environment variable the role names (`token_env`).
    Bearer,
}

/// OAuth2 client credentials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuth2 {
    /// The token endpoint, relative to `base_url` or absolute.
    pub token_url: String,
    /// The environment variable holding the client secret (a role may name its own).
    pub client_secret_env: String,
    /// The scope to ask for per method, where it differs from the spec's.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scopes: BTreeMap<String, String>,
    /// How the client authenticates at the token endpoint: `form` (client_id and
    /// client_secret in the form body, default) or `basic` (HTTP Basic).
    #[serde(default, skip_serializing_if = "ClientAuth::is_form")]
    pub client_auth: ClientAuth,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    #[default]
    Form,
    Basic,
}

impl ClientAuth {
    fn is_form(&self) -> bool {
        *self == ClientAuth::Form
    }
}

/// A caller role: an organisation of a type with a code, and how it authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[schemars(with = "String")]
    pub organisation: OrganisationType,
    pub code: String,
    /// For `auth: bearer`: the environment variable holding this role's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_env: Option<String>,
    /// The OAuth2 client id; default `<OrganisationType>:<code>` (`JobCenter:10101`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The environment variable with this role's OAuth2 client secret, where it differs from
    /// `auth.oauth2.client_secret_env`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// This role's client certificate for mutual TLS (PEM; may hold the key too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub client_cert: Option<PathBuf>,
    /// The private key of `client_cert` (PEM), when it is in a file of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub client_key: Option<PathBuf>,
    /// The OrganisationTypeIdentifier sent in ActiveOrganisationHeader, where it differs from
    /// the overlay's `organisation_type_ids`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_type_identifier: Option<u32>,
    /// The RequestUserMetadataHeader of this role, where it differs from the profile's `user`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserMetadata>,
}

impl Role {
    /// A role with nothing but its organisation.
    pub fn new(organisation: OrganisationType, code: &str) -> Role {
        Role {
            organisation,
            code: code.to_string(),
            token_env: None,
            client_id: None,
            client_secret_env: None,
            client_cert: None,
            client_key: None,
            organisation_type_identifier: None,
            user: None,
        }
    }

    /// The OAuth2 client id.
    pub fn client_id(&self) -> String {
        self.client_id
            .clone()
            .unwrap_or_else(|| format!("{}:{}", self.organisation.as_str(), self.code))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UserMetadata {
    pub user_identifier: String,
    pub user_name: String,
}

impl Default for UserMetadata {
    fn default() -> Self {
        UserMetadata {
            user_identifier: "konform".into(),
            user_name: "konform".into(),
        }
    }
}

/// TLS settings for every request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// A CA certificate (PEM) to trust besides the system's: the test environment's own CA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub ca: Option<PathBuf>,
    /// A client certificate (PEM) for every role without one of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub client_cert: Option<PathBuf>,
    /// Its private key (PEM), when not in `client_cert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub client_key: Option<PathBuf>,
}

impl TlsConfig {
    fn is_empty(&self) -> bool {
        self == &TlsConfig::default()
    }
}

/// Where the error codes of an answer are read, tried in order; the first place that yields
/// a code wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodes {
    /// In a REST error body, as JSON pointers. Default: `{ items: /errors, code: /code,
    /// text: /text }`.
    #[serde(default = "ErrorCodes::default_rest")]
    pub rest: Vec<ErrorLocation>,
    /// In a SOAP fault, as element paths below the Fault (`faultcode`, `faultstring` and
    /// `detail` name the SOAP 1.1 parts and their SOAP 1.2 counterparts). Default:
    /// `{ items: detail/Errors/Error, code: Code, text: Text }`, then
    /// `{ code: faultcode, text: faultstring }`.
    #[serde(default = "ErrorCodes::default_soap")]
    pub soap: Vec<ErrorLocation>,
}

/// One place error codes are read: `code` (and `text`) within each of the `items`, or within
/// the whole body/fault when there are no `items`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorLocation {
    /// A list (or a single item) of errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// The code, relative to an item.
    pub code: String,
    /// The text, relative to an item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Default for ErrorCodes {
    fn default() -> Self {
        ErrorCodes {
            rest: ErrorCodes::default_rest(),
            soap: ErrorCodes::default_soap(),
        }
    }
}

impl ErrorCodes {
    fn default_rest() -> Vec<ErrorLocation> {
        vec![ErrorLocation {
            items: Some("/errors".into()),
            code: "/code".into(),
            text: Some("/text".into()),
        }]
    }

    fn default_soap() -> Vec<ErrorLocation> {
        vec![
            ErrorLocation {
                items: Some("detail/Errors/Error".into()),
                code: "Code".into(),
                text: Some("Text".into()),
            },
            ErrorLocation {
                items: None,
                code: "faultcode".into(),
                text: Some("faultstring".into()),
            },
        ]
    }

    fn is_default(&self) -> bool {
        self == &ErrorCodes::default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    #[error("{path}: {problem}")]
    Invalid {
        path: String,
        problem: ProfileProblem,
    },
}

/// What is wrong in a profile that parsed: found by [`Profile::check`] on its own, or by
/// [`Profile::check_against`] with the spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileProblem {
    #[error("base URL `{url}` is not a URL: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("proxy `{url}` is not a URL: {reason}")]
    Proxy { url: String, reason: String },
    #[error("a service without `base_url` needs a profile `base_url`")]
    NoBaseUrl,
    #[error("the profile names no caller roles")]
    NoRoles,
    #[error("`auth: bearer` needs `token_env` on every role; `{0}` has none")]
    NoTokenEnv(String),
    #[error("`auth.oauth2.token_url` is empty")]
    EmptyTokenUrl,
    #[error(
        "give either `state_endpoint` or `citizen_pool`: a target establishes preconditions one way"
    )]
    TwoWaysToProvision,
    #[error("error_codes.rest: `{0}` is not a JSON pointer (they start with `/`)")]
    NotAPointer(String),
    #[error("error_codes.soap: an empty element path")]
    EmptySoapPath,
    #[error("{key} is empty")]
    EmptySoapAction { key: String },
    #[error("{key}: unknown placeholder {unknown} (known: {known})")]
    UnknownPlaceholder {
        key: String,
        unknown: String,
        known: String,
    },
    #[error(
        "methods.{method}.path: `{path}` is not a path below the base URL (it starts with `/`)"
    )]
    NotAPath { method: String, path: String },
    /// Disagreements with the spec, every one at once.
    #[error("{}", .0.join("; "))]
    Spec(Vec<String>),
}

pub use crate::spec::model::EMBEDDED_ROLES;

impl Profile {
    /// Reads and checks a profile file; relative file paths in it become relative to its folder.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let mut profile: Profile = read_yaml(path, "target profile")?;
        profile.check().map_err(|problem| ProfileError::Invalid {
            path: path.display().to_string(),
            problem,
        })?;
        profile.anchor(path.parent().unwrap_or(Path::new(".")));
        Ok(profile)
    }

    /// Makes the profile's relative file paths relative to `dir`.
    pub fn anchor(&mut self, dir: &Path) {
        let fix = |p: &mut Option<PathBuf>| {
            if let Some(path) = p
                && path.is_relative()
            {
                *path = dir.join(&*path);
            }
        };
        fix(&mut self.citizen_pool);
        fix(&mut self.ics);
        fix(&mut self.tls.ca);
        fix(&mut self.tls.client_cert);
        fix(&mut self.tls.client_key);
        for role in self.roles.values_mut() {
            fix(&mut role.client_cert);
            fix(&mut role.client_key);
        }
    }

    /// The profile of the embedded reference at `base_url`. Its client secret is held in
    /// memory, never in the environment or on disk.
    pub fn embedded(base_url: &str) -> Profile {
        Profile {
            name: "embedded reference".into(),
            base_url: Some(base_url.to_string()),
            services: BTreeMap::new(),
            methods: BTreeMap::new(),
            auth: AuthConfig::Oauth2(OAuth2 {
                token_url: "/oauth2/token".into(),
                ..OAuth2::default()
            }),
            roles: EMBEDDED_ROLES
                .iter()
                .map(|(name, organisation, code)| {
                    (name.to_string(), Role::new(*organisation, code))
                })
                .collect(),
            state_endpoint: Some("/konform/state".into()),
            citizen_pool: None,
            ics: None,
            derive_setup: true,
            user: UserMetadata::default(),
            insecure_tls: false,
            tls: TlsConfig::default(),
            proxy: None,
            error_codes: ErrorCodes::default(),
            max_response_bytes: None,
            follow_redirects: FollowRedirects::SameOrigin,
        }
    }

    /// Checks what serde cannot: every URL parses, every service has a base, every role can
    /// authenticate, every error location is well formed.
    pub fn check(&self) -> Result<(), ProfileProblem> {
        let mut urls: Vec<&str> = self.base_url.iter().map(String::as_str).collect();
        urls.extend(self.services.values().filter_map(|s| s.base_url.as_deref()));
        for u in urls {
            reqwest::Url::parse(u).map_err(|e| ProfileProblem::BaseUrl {
                url: u.to_string(),
                reason: e.to_string(),
            })?;
        }
        if let Some(p) = &self.proxy {
            reqwest::Url::parse(p).map_err(|e| ProfileProblem::Proxy {
                url: p.to_string(),
                reason: e.to_string(),
            })?;
        }
        if self.base_url.is_none() && self.services.values().any(|s| s.base_url.is_none()) {
            return Err(ProfileProblem::NoBaseUrl);
        }
        if self.roles.is_empty() {
            return Err(ProfileProblem::NoRoles);
        }
        if let AuthConfig::Bearer = self.auth
            && let Some((name, _)) = self.roles.iter().find(|(_, r)| r.token_env.is_none())
        {
            return Err(ProfileProblem::NoTokenEnv(name.clone()));
        }
        if let AuthConfig::Oauth2(o) = &self.auth
            && o.token_url.trim().is_empty()
        {
            return Err(ProfileProblem::EmptyTokenUrl);
        }
        if self.state_endpoint.is_some() && self.citizen_pool.is_some() {
            return Err(ProfileProblem::TwoWaysToProvision);
        }
        for loc in &self.error_codes.rest {
            for p in [Some(&loc.code), loc.items.as_ref(), loc.text.as_ref()]
                .into_iter()
                .flatten()
            {
                if !p.is_empty() && !p.starts_with('/') {
                    return Err(ProfileProblem::NotAPointer(p.clone()));
                }
            }
        }
        for loc in &self.error_codes.soap {
            if loc.code.trim().is_empty() {
                return Err(ProfileProblem::EmptySoapPath);
            }
        }
        let actions = self
            .services
            .iter()
            .map(|(n, s)| (format!("services.{n}.soap_action"), s.soap_action.as_ref()))
            .chain(
                self.methods
                    .iter()
                    .map(|(n, m)| (format!("methods.{n}.soap_action"), m.soap_action.as_ref())),
            );
        for (key, template) in actions {
            let Some(template) = template else { continue };
            if template.trim().is_empty() {
                return Err(ProfileProblem::EmptySoapAction { key });
            }
            let unknown = unknown_placeholders(template, &SOAP_ACTION_PLACEHOLDERS);
            if !unknown.is_empty() {
                return Err(ProfileProblem::UnknownPlaceholder {
                    key,
                    unknown: unknown.join(", "),
                    known: SOAP_ACTION_PLACEHOLDERS
                        .map(|p| format!("{{{p}}}"))
                        .join(", "),
                });
            }
        }
        for (name, m) in &self.methods {
            if let Some(path) = &m.path
                && !path.starts_with('/')
            {
                return Err(ProfileProblem::NotAPath {
                    method: name.clone(),
                    path: path.clone(),
                });
            }
        }
        Ok(())
    }

    /// Checks the profile against the spec: every service it names exists and is bound as the
    /// profile says, every method it gives a scope for exists. Every problem at once.
    pub fn check_against(&self, spec: &Spec) -> Result<(), ProfileProblem> {
        let mut problems = Vec::new();
        for (name, endpoint) in &self.services {
            let Some(service) = spec.services.get(name) else {
                let hint =
                    crate::suggest::did_you_mean(name, spec.services.keys().map(String::as_str))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                problems.push(format!("services: no service `{name}` in the spec{hint}"));
                continue;
            };
            if let Some(t) = endpoint.transport {
                let spec_t = TransportName::of(service.transport);
                if t != spec_t {
                    problems.push(format!(
                        "services.{name}: the profile says {}, the spec binds the service to {} (konform calls a service as its documents describe it)",
                        t.as_str(),
                        spec_t.as_str()
                    ));
                }
            }
            let soap_only = [
                ("soap_action", endpoint.soap_action.is_some()),
                ("soap_version", endpoint.soap_version.is_some()),
                ("soap_path", endpoint.soap_path.is_some()),
                ("namespace", endpoint.namespace.is_some()),
                ("header_namespace", endpoint.header_namespace.is_some()),
            ];
            if service.transport == Transport::Rest {
                for (key, set) in soap_only {
                    if set {
                        problems.push(format!(
                            "services.{name}.{key}: a SOAP setting on a REST service"
                        ));
                    }
                }
            }
        }
        for (name, m) in &self.methods {
            let Some(found) = spec.method(name) else {
                let hint = crate::suggest::did_you_mean(
                    name,
                    spec.methods().map(|m| m.method.name.as_str()),
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
                problems.push(format!("methods: no method `{name}` in the spec{hint}"));
                continue;
            };
            let transport = found.service.transport;
            if m.path.is_some() && transport != Transport::Rest {
                problems.push(format!(
                    "methods.{name}.path: a REST path for a method of a SOAP service"
                ));
            }
            if m.soap_action.is_some() && transport != Transport::Soap {
                problems.push(format!(
                    "methods.{name}.soap_action: a SOAPAction for a method of a REST service"
                ));
            }
            if let Some(path) = &m.path {
                let documented = match &found.method.binding {
                    crate::spec::model::Binding::Rest { path, .. } if !path.trim().is_empty() => {
                        path.clone()
                    }
                    _ => spec
                        .overlay
                        .rest_paths
                        .get(name)
                        .map(|p| p.path.clone())
                        .unwrap_or_default(),
                };
                let spec_params: BTreeSet<String> = unknown_placeholders(&documented, &[])
                    .into_iter()
                    .map(|p| p.trim_matches(['{', '}']).to_string())
                    .collect();
                let used: BTreeSet<String> = unknown_placeholders(path, &[])
                    .into_iter()
                    .map(|p| p.trim_matches(['{', '}']).to_string())
                    .collect();
                for missing in spec_params.difference(&used) {
                    problems.push(format!(
                        "methods.{name}.path: `{path}` has no `{{{missing}}}`, a path parameter of the method"
                    ));
                }
                for extra in used.difference(&spec_params) {
                    problems.push(format!(
                        "methods.{name}.path: `{{{extra}}}` is no path parameter of the method"
                    ));
                }
            }
        }
        if let AuthConfig::Oauth2(o) = &self.auth {
            for method in o.scopes.keys() {
                if spec.method(method).is_none() {
                    problems.push(format!(
                        "auth.oauth2.scopes: no method `{method}` in the spec"
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ProfileProblem::Spec(problems))
        }
    }

    /// The base URL of a service, if the profile gives one.
    pub fn base_url(&self, service: &str) -> Option<&str> {
        self.services
            .get(service)
            .and_then(|s| s.base_url.as_deref())
            .or(self.base_url.as_deref())
    }

    /// A URL for `path`: itself if absolute, else joined to the profile's base.
    pub fn resolve(&self, path: &str) -> Option<String> {
        if path.starts_with("http://") || path.starts_with("https://") {
            return Some(path.to_string());
        }
        let base = self.base_url.as_deref()?;
        Some(join(base, path))
    }

    /// Whether every URL the profile calls is on this machine (`localhost`, `127.0.0.0/8`,
    /// `[::1]`): the embedded reference, or a target started beside konform.
    pub fn is_loopback(&self) -> bool {
        let mut urls: Vec<String> = self.base_url.iter().cloned().collect();
        urls.extend(self.services.values().filter_map(|s| s.base_url.clone()));
        if let AuthConfig::Oauth2(o) = &self.auth {
            urls.extend(self.resolve(&o.token_url));
        }
        !urls.is_empty()
            && urls.iter().all(|u| {
                reqwest::Url::parse(u).is_ok_and(|u| {
                    let host = u.host_str().unwrap_or("");
                    let ip = host.trim_start_matches('[').trim_end_matches(']');
                    host.eq_ignore_ascii_case("localhost")
                        || ip
                            .parse::<std::net::IpAddr>()
                            .is_ok_and(|ip| ip.is_loopback())
                })
            })
    }

    /// What reports name the target by: its name and base URLs.
    pub fn describe(&self) -> String {
        let mut urls: Vec<&str> = self.base_url.iter().map(String::as_str).collect();
        urls.extend(self.services.values().filter_map(|s| s.base_url.as_deref()));
        urls.sort_unstable();
        urls.dedup();
        if urls.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, urls.join(", "))
        }
    }
}

/// Joins a base URL and a path with exactly one `/` between them.
pub fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// The JSON Schema of a target profile, as pretty JSON (`konform schema --profile`).
pub fn profile_schema() -> String {
    let mut schema = schemars::schema_for!(Profile);
    schema.insert("title".into(), "konform target profile".into());
    serde_json::to_string_pretty(&schema).expect("a schema serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_profile() {
        let p: Profile = serde_saphyr::from_str(
            r#"
name: vendor
base_url: https://t.example
services:
  PersonRegistrationService: { base_url: "https://soap.example", soap_version: "1.2", namespace: "urn:x" }
auth:
  oauth2:
    token_url: /oauth2/token
    client_secret_env: SECRET
    scopes: { CreateYdelse: ydelse.write }
    client_auth: basic
roles:
  jobcenter: { organisation: JobCenter, code: "10101", client_cert: certs/jc.pem, user: { user_identifier: u1, user_name: Jobcenter } }
  akasse: { organisation: A-kasse, code: "12", client_id: ak-12, client_secret_env: AK_SECRET }
citizen_pool: pool.yaml
tls: { ca: ca.pem }
proxy: http://proxy.example:3128
error_codes:
  rest: [{ code: /fejlkode, text: /fejltekst }]
  soap: [{ code: detail/Fejl/Kode }]
"#,
        )
        .unwrap();
        p.check().unwrap();
        assert_eq!(
            p.base_url("PersonRegistrationService"),
            Some("https://soap.example")
        );
        assert_eq!(p.base_url("Other"), Some("https://t.example"));
        assert_eq!(
            p.resolve("/konform/state").unwrap(),
            "https://t.example/konform/state"
        );
        assert_eq!(p.roles["akasse"].organisation, OrganisationType::AKasse);
        assert_eq!(p.roles["akasse"].client_id(), "ak-12");
        assert_eq!(p.roles["jobcenter"].client_id(), "JobCenter:10101");
        assert!(p.derive_setup, "derivation is on by default");
        let AuthConfig::Oauth2(o) = &p.auth else {
            panic!("oauth2")
        };
        assert_eq!(o.client_auth, ClientAuth::Basic);
        assert_eq!(p.error_codes.rest[0].code, "/fejlkode");
        let mut anchored = p.clone();
        anchored.anchor(Path::new("/etc/konform"));
        assert_eq!(
            anchored.citizen_pool.as_deref(),
            Some(Path::new("/etc/konform/pool.yaml"))
        );
        assert_eq!(
            anchored.roles["jobcenter"].client_cert.as_deref(),
            Some(Path::new("/etc/konform/certs/jc.pem"))
        );
    }

    #[test]
    fn refuses_bad_profiles() {
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.check().unwrap();
        p.base_url = Some("not a url".into());
        assert!(p.check().is_err());
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.auth = AuthConfig::Bearer;
        assert!(matches!(p.check(), Err(ProfileProblem::NoTokenEnv(_))));
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.citizen_pool = Some("pool.yaml".into());
        assert_eq!(p.check(), Err(ProfileProblem::TwoWaysToProvision));
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.error_codes.rest[0].code = "code".into();
        assert!(matches!(p.check(), Err(ProfileProblem::NotAPointer(_))));
    }

    #[test]
    fn wire_choices_are_checked() {
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.services.insert(
            "PersonRegistrationService".into(),
            ServiceEndpoint {
                soap_action: Some("{namespace}/{operation}".into()),
                ..ServiceEndpoint::default()
            },
        );
        let err = p.check().unwrap_err().to_string();
        assert!(
            err.contains("services.PersonRegistrationService.soap_action")
                && err.contains("{operation}"),
            "{err}"
        );
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.methods.insert(
            "CreateYdelse".into(),
            MethodEndpoint {
                path: Some("api/ydelse".into()),
                ..MethodEndpoint::default()
            },
        );
        assert!(
            p.check()
                .unwrap_err()
                .to_string()
                .contains("methods.CreateYdelse.path")
        );
        assert_eq!(
            fill_soap_action("{namespace}/I{service}/{method}", "M", "S", "urn:x/", "A"),
            "urn:x/IS/M"
        );
        assert_eq!(
            unknown_placeholders("/v1/{id}/{x", &["id"]),
            vec!["{x".to_string()]
        );
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let err = serde_saphyr::from_str::<Profile>(
            "name: x\nroles: { jobcenter: { organisation: JobCenter, code: '1', client_secret: oops } }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("client_secret"), "{err}");
    }
}
