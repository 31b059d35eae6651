//! Target profiles: where each service lives, REST or SOAP, how each caller role authenticates
//! and how preconditions are established. The main type here is [`Profile`], read from a YAML
//! file (`konform run --target FILE`) or built for the embedded reference ([`Profile::embedded`]).
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
//! state_endpoint: /konform/state              # absent: cases with a citizen are not applicable
//! ```
//!
//! Secrets are never written in a profile: it names the environment variable that holds them.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::spec::model::OrganisationType;

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
    /// How callers authenticate (REST: bearer token; SOAP services use the caller headers).
    #[serde(default)]
    pub auth: AuthConfig,
    /// Caller roles by name, as cases use them in `given.caller`.
    pub roles: BTreeMap<String, Role>,
    /// The state-change endpoint (`POST`, see the README), relative to `base_url` or absolute.
    /// Absent: preconditions about a citizen cannot be established on this target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_endpoint: Option<String>,
    /// The user named in the SOAP RequestUserMetadataHeader.
    #[serde(default)]
    pub user: UserMetadata,
    /// Accept any TLS certificate (test environments with self-signed certificates). Reports
    /// say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub insecure_tls: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceEndpoint {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// `1.1` (default) or `1.2`, for SOAP services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_version: Option<SoapVersionName>,
    /// The SOAP endpoint path below the base URL, where it differs from the overlay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soap_path: Option<String>,
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
    /// OAuth2 client credentials: `client_id` is `<OrganisationType>:<code>`, the secret comes
    /// from the environment; one token per role and scope.
    Oauth2 {
        token_url: String,
        client_secret_env: String,
    },
    /// A fixed token per role, from the environment variable the role names (`token_env`).
    Bearer,
}

/// A caller role: an organisation of a type with a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[schemars(with = "String")]
    pub organisation: OrganisationType,
    pub code: String,
    /// For `auth: bearer`: the environment variable holding this role's token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_env: Option<String>,
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

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("cannot read target profile {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: String,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The embedded reference's roles: name, organisation type, code.
pub const EMBEDDED_ROLES: [(&str, OrganisationType, &str); 9] = [
    ("jobcenter", OrganisationType::JobCenter, "10101"),
    ("other-jobcenter", OrganisationType::JobCenter, "20202"),
    ("kommune", OrganisationType::Kommune, "101"),
    ("other-kommune", OrganisationType::Kommune, "202"),
    ("akasse", OrganisationType::AKasse, "12"),
    ("other-akasse", OrganisationType::AKasse, "34"),
    ("star", OrganisationType::Star, "STAR"),
    ("anden-aktoer", OrganisationType::AndenAktoer, "12345678"),
    (
        "other-anden-aktoer",
        OrganisationType::AndenAktoer,
        "87654321",
    ),
];

impl Profile {
    /// Reads and checks a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: shown.clone(),
            source,
        })?;
        let profile: Profile = serde_saphyr::from_str(&text).map_err(|e| {
            let loc = e.location();
            ProfileError::Parse {
                path: shown.clone(),
                line: loc.map(|l| l.line()).unwrap_or(0),
                column: loc.map(|l| l.column()).unwrap_or(0),
                message: e.to_string().lines().next().unwrap_or_default().to_string(),
            }
        })?;
        profile.check().map_err(|message| ProfileError::Invalid {
            path: shown,
            message,
        })?;
        Ok(profile)
    }

    /// The profile of the embedded reference at `base_url`. Its client secret is held in
    /// memory, never in the environment or on disk.
    pub fn embedded(base_url: &str) -> Profile {
        Profile {
            name: "embedded reference".into(),
            base_url: Some(base_url.to_string()),
            services: BTreeMap::new(),
            auth: AuthConfig::Oauth2 {
                token_url: "/oauth2/token".into(),
                client_secret_env: String::new(),
            },
            roles: EMBEDDED_ROLES
                .iter()
                .map(|(name, organisation, code)| {
                    (
                        name.to_string(),
                        Role {
                            organisation: *organisation,
                            code: code.to_string(),
                            token_env: None,
                        },
                    )
                })
                .collect(),
            state_endpoint: Some("/konform/state".into()),
            user: UserMetadata::default(),
            insecure_tls: false,
        }
    }

    /// Checks what serde cannot: every URL parses, every service has a base.
    pub fn check(&self) -> Result<(), String> {
        let mut urls: Vec<&str> = self.base_url.iter().map(String::as_str).collect();
        urls.extend(self.services.values().filter_map(|s| s.base_url.as_deref()));
        for u in urls {
            reqwest::Url::parse(u).map_err(|e| format!("base URL `{u}` is not a URL: {e}"))?;
        }
        if self.base_url.is_none() && self.services.values().any(|s| s.base_url.is_none()) {
            return Err("a service without `base_url` needs a profile `base_url`".into());
        }
        if self.roles.is_empty() {
            return Err("the profile names no caller roles".into());
        }
        if let AuthConfig::Bearer = self.auth
            && let Some((name, _)) = self.roles.iter().find(|(_, r)| r.token_env.is_none())
        {
            return Err(format!(
                "`auth: bearer` needs `token_env` on every role; `{name}` has none"
            ));
        }
        Ok(())
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

    /// What reports name the target by: its name and base URLs.
    pub fn describe(&self) -> String {
        let mut urls: Vec<&str> = self.base_url.iter().map(String::as_str).collect();
        urls.extend(self.services.values().filter_map(|s| s.base_url.as_deref()));
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
  PersonRegistrationService: { base_url: "https://soap.example", soap_version: "1.2" }
auth:
  oauth2: { token_url: /oauth2/token, client_secret_env: SECRET }
roles:
  jobcenter: { organisation: JobCenter, code: "10101" }
  akasse: { organisation: A-kasse, code: "12" }
state_endpoint: /konform/state
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
    }

    #[test]
    fn refuses_bad_profiles() {
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.check().unwrap();
        p.base_url = Some("not a url".into());
        assert!(p.check().is_err());
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.auth = AuthConfig::Bearer;
        assert!(p.check().unwrap_err().contains("token_env"));
    }
}
