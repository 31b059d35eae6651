//! The wire choices of one method on one target: where the profile overrides what the spec
//! and its overlay say (SOAP endpoint, namespaces, version and SOAPAction; REST path), the
//! values in use. The main types here are [`SoapWire`] and [`RestWire`], built by
//! [`soap_wire`] and [`rest_path`]; the transports send what they say, raw-body cases render
//! their `${soap:…}` placeholders from them ([`SoapWire::placeholders`]), and `konform doctor`
//! shows them.

use std::collections::BTreeMap;

use super::profile::{AuthConfig, Profile, SoapVersionName, fill_soap_action};
use crate::plan::{MethodCall, MethodInfo};
use crate::soap::SoapVersion;

/// The SOAP settings of a method as the target wants them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapWire {
    pub version: SoapVersion,
    /// The endpoint path below the service's base URL.
    pub endpoint: String,
    /// The body namespace.
    pub namespace: String,
    /// The namespace of the caller headers.
    pub header_namespace: String,
    /// The SOAPAction (1.1 header, 1.2 `action` parameter).
    pub action: String,
}

impl SoapWire {
    /// The `${soap:NAME}` placeholders of raw bodies and their values.
    pub fn placeholders(&self) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("envelope", self.version.namespace().to_string()),
            ("namespace", self.namespace.clone()),
            ("header_namespace", self.header_namespace.clone()),
            ("action", self.action.clone()),
        ])
    }
}

/// The SOAP settings of `method` on the target of `profile`; `None` for a REST method.
pub fn soap_wire(profile: &Profile, method: &MethodInfo) -> Option<SoapWire> {
    let MethodCall::Soap {
        action,
        endpoint,
        namespace,
        header_namespace,
        ..
    } = &method.call
    else {
        return None;
    };
    let settings = profile.services.get(&method.service);
    let namespace = settings
        .and_then(|s| s.namespace.clone())
        .unwrap_or_else(|| namespace.clone());
    let template = profile
        .methods
        .get(&method.name)
        .and_then(|m| m.soap_action.as_deref())
        .or_else(|| settings.and_then(|s| s.soap_action.as_deref()));
    let action = match template {
        Some(t) => fill_soap_action(t, &method.name, &method.service, &namespace, action),
        None => action.clone(),
    };
    Some(SoapWire {
        version: match settings.and_then(|s| s.soap_version) {
            Some(SoapVersionName::V12) => SoapVersion::V12,
            Some(SoapVersionName::V11) | None => SoapVersion::V11,
        },
        endpoint: settings
            .and_then(|s| s.soap_path.clone())
            .unwrap_or_else(|| endpoint.clone()),
        header_namespace: settings
            .and_then(|s| s.header_namespace.clone())
            .unwrap_or_else(|| header_namespace.clone()),
        namespace,
        action,
    })
}

/// The REST path template of `method` on the target: the profile's `methods.NAME.path`, else
/// the spec's. `None` for a SOAP method.
pub fn rest_path<'a>(profile: &'a Profile, method: &'a MethodInfo) -> Option<&'a str> {
    let MethodCall::Rest { path, .. } = &method.call else {
        return None;
    };
    Some(
        profile
            .methods
            .get(&method.name)
            .and_then(|m| m.path.as_deref())
            .unwrap_or(path),
    )
}

/// The OAuth2 scope to ask for when calling `method`: the profile's `auth.oauth2.scopes`,
/// else the spec's.
pub fn scope(profile: &Profile, method: &MethodInfo) -> Option<String> {
    if let AuthConfig::Oauth2(o) = &profile.auth
        && let Some(s) = o.scopes.get(&method.name)
    {
        return Some(s.clone()).filter(|s| !s.trim().is_empty());
    }
    method.scope.clone()
}

/// A scope that is not `method`'s, for a case whose token must lack it (`when.omit: [Scope]`):
/// another method's scope from the profile's `auth.oauth2.scopes` (the target's own names),
/// else another method's documented scope. `Err` says why no such token can be had: fixed
/// bearer tokens or no tokens at all, or no other scope known; the case is then not
/// applicable.
pub fn scope_without(profile: &Profile, method: &MethodInfo) -> Result<String, String> {
    let o = match &profile.auth {
        AuthConfig::Oauth2(o) => o,
        AuthConfig::Bearer => {
            return Err(
                "the target's tokens are fixed (`auth: bearer`): a token without this method's scope cannot be asked for"
                    .into(),
            );
        }
        AuthConfig::None => {
            return Err(
                "the target profile sends no bearer tokens (`auth` is not `oauth2`): a token without this method's scope cannot be asked for"
                    .into(),
            );
        }
    };
    let own = scope(profile, method);
    let differs = |s: &&String| !s.trim().is_empty() && Some(*s) != own.as_ref();
    o.scopes
        .iter()
        .filter(|(m, _)| **m != method.name)
        .map(|(_, s)| s)
        .find(differs)
        .or(method.other_scope.as_ref().filter(differs))
        .cloned()
        .ok_or_else(|| {
            "no other method's scope is known: name one in the profile's `auth.oauth2.scopes`"
                .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::profile::{MethodEndpoint, ServiceEndpoint};

    fn soap_method() -> MethodInfo {
        MethodInfo {
            service: "PersonRegistrationService".into(),
            name: "CreatePersonInterview".into(),
            status: crate::spec::model::MethodStatus::Current,
            call: MethodCall::Soap {
                action: "CreatePersonInterview".into(),
                request_element: "CreatePersonInterviewRequest".into(),
                endpoint: "/soap/PersonRegistrationService".into(),
                namespace: "urn:star:dfdg:PersonRegistrationService".into(),
                header_namespace: "urn:star:dfdg:headers".into(),
            },
            scope: None,
            other_scope: None,
            headers: Vec::new(),
            path_params: Vec::new(),
            query_params: Vec::new(),
            body: Vec::new(),
            output: Vec::new(),
            codes: Default::default(),
            answer: std::sync::Arc::new(crate::spec::check::AnswerShape {
                service: "PersonRegistrationService".into(),
                method: "CreatePersonInterview".into(),
                transport: crate::spec::model::Transport::Soap,
                response_element: None,
                namespace: None,
                fields: None,
                codes: Default::default(),
            }),
        }
    }

    #[test]
    fn the_overlay_holds_where_the_profile_is_silent() {
        let p = Profile::embedded("http://127.0.0.1:1");
        let w = soap_wire(&p, &soap_method()).unwrap();
        assert_eq!(w.version, SoapVersion::V11);
        assert_eq!(w.action, "CreatePersonInterview");
        assert_eq!(w.namespace, "urn:star:dfdg:PersonRegistrationService");
        assert_eq!(
            w.placeholders()["envelope"],
            "http://schemas.xmlsoap.org/soap/envelope/"
        );
    }

    #[test]
    fn a_service_template_and_a_method_override_make_the_action() {
        let mut p = Profile::embedded("http://127.0.0.1:1");
        p.services.insert(
            "PersonRegistrationService".into(),
            ServiceEndpoint {
                namespace: Some("http://vendor.example/prs/".into()),
                soap_version: Some(SoapVersionName::V12),
                soap_action: Some("{namespace}/I{service}/{method}".into()),
                ..ServiceEndpoint::default()
            },
        );
        let w = soap_wire(&p, &soap_method()).unwrap();
        assert_eq!(
            w.action,
            "http://vendor.example/prs/IPersonRegistrationService/CreatePersonInterview"
        );
        assert_eq!(w.version, SoapVersion::V12);
        assert_eq!(
            w.placeholders()["envelope"],
            "http://www.w3.org/2003/05/soap-envelope"
        );
        p.methods.insert(
            "CreatePersonInterview".into(),
            MethodEndpoint {
                soap_action: Some("urn:x:{action}".into()),
                ..MethodEndpoint::default()
            },
        );
        assert_eq!(
            soap_wire(&p, &soap_method()).unwrap().action,
            "urn:x:CreatePersonInterview"
        );
        assert_eq!(rest_path(&p, &soap_method()), None);
    }
}
