//! What planning and running need to know about one method, looked up in the spec once: its
//! transport binding, its input fields by location, its output tree and its documented codes.
//! The main type here is [`MethodInfo`].

use std::collections::BTreeSet;

use std::sync::Arc;

use crate::spec::Spec;
use crate::spec::check::AnswerShape;
use crate::spec::model::{
    Binding, Field, FieldLocation, HttpVerb, MethodRef, MethodStatus, Transport, WITHDRAWN_CODE,
};

/// Why a method cannot be called: its binding is incomplete in the spec and the overlay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Uncallable(pub String);

impl From<String> for Uncallable {
    fn from(s: String) -> Uncallable {
        Uncallable(s)
    }
}

impl From<&str> for Uncallable {
    fn from(s: &str) -> Uncallable {
        Uncallable(s.to_string())
    }
}

/// Everything the runner needs to know about one method, looked up once.
#[derive(Debug, Clone)]
pub struct MethodInfo {
    pub service: String,
    pub name: String,
    pub status: MethodStatus,
    pub call: MethodCall,
    /// The OAuth2 scope, where documented.
    pub scope: Option<String>,
    /// Another method's documented scope, for a case whose token must lack this method's
    /// (`when.omit: [Scope]`).
    pub other_scope: Option<String>,
    pub headers: Vec<Field>,
    pub path_params: Vec<Field>,
    pub query_params: Vec<Field>,
    /// The fields below the request body (REST `requestBody`, SOAP request element).
    pub body: Vec<Field>,
    /// The fields below the response body.
    pub output: Vec<Field>,
    /// Codes documented for this method (and the general SOAP faults).
    pub codes: BTreeSet<u32>,
    /// What every answer of the method must look like, compiled once.
    pub answer: Arc<AnswerShape>,
}

/// How the method is reached.
#[derive(Debug, Clone)]
pub enum MethodCall {
    Rest {
        verb: HttpVerb,
        /// With `{param}` placeholders.
        path: String,
    },
    Soap {
        action: String,
        request_element: String,
        /// The endpoint path below the service's base URL.
        endpoint: String,
        namespace: String,
        header_namespace: String,
    },
}

impl MethodInfo {
    pub fn transport(&self) -> Transport {
        match self.call {
            MethodCall::Rest { .. } => Transport::Rest,
            MethodCall::Soap { .. } => Transport::Soap,
        }
    }

    /// Builds the info for one method; `Err` says why it cannot be called.
    pub fn build(spec: &Spec, m: MethodRef<'_>) -> Result<MethodInfo, Uncallable> {
        let method = m.method;
        let call = match &method.binding {
            Binding::Rest { verb, path } => {
                let (verb, path) = if path.trim().is_empty() {
                    let p = spec.overlay.rest_paths.get(&method.name).ok_or_else(|| {
                        format!(
                            "{} has no REST path, and the overlay gives none",
                            method.name
                        )
                    })?;
                    (p.verb, p.path.clone())
                } else {
                    (*verb, path.clone())
                };
                MethodCall::Rest { verb, path }
            }
            Binding::Soap {
                action,
                request_element,
                ..
            } => {
                // Where the overlay is silent, the same defaults as the reference.
                let service = &m.service.service;
                let (endpoint, namespace, header_namespace) =
                    match spec.overlay.soap_services.get(service) {
                        Some(svc) => (
                            svc.path.clone(),
                            svc.namespace.clone(),
                            svc.header_namespace.clone(),
                        ),
                        None => (
                            format!("/soap/{service}"),
                            format!("urn:star:dfdg:{service}"),
                            format!("urn:star:dfdg:{service}"),
                        ),
                    };
                MethodCall::Soap {
                    action: action.clone(),
                    request_element: request_element.clone(),
                    endpoint,
                    namespace,
                    header_namespace,
                }
            }
        };
        let by_location = |loc: FieldLocation| -> Vec<Field> {
            method
                .input
                .iter()
                .filter(|f| f.location == loc)
                .cloned()
                .collect()
        };
        let body_roots = by_location(FieldLocation::Body);
        let body = match &call {
            MethodCall::Rest { .. } => unwrap_root(body_roots, |n| n == "requestBody"),
            MethodCall::Soap {
                request_element, ..
            } => unwrap_root(body_roots, |n| {
                n == request_element || n.ends_with("Request")
            }),
        };
        // The answer's body is read below the response root, as the reference writes it: a
        // SOAP answer below its response element, a REST answer below a single complex root.
        let output = match &method.binding {
            Binding::Soap {
                response_element, ..
            } => {
                let element = response_element
                    .clone()
                    .unwrap_or_else(|| format!("{}Response", method.name));
                unwrap_root(method.output.clone(), |n| n == element)
            }
            Binding::Rest { .. } => unwrap_root(method.output.clone(), |_| true),
        };
        let mut codes: BTreeSet<u32> = method.errors.iter().map(|e| e.code).collect();
        let transport = match call {
            MethodCall::Soap { .. } => Transport::Soap,
            MethodCall::Rest { .. } => Transport::Rest,
        };
        codes.extend(
            spec.overlay
                .general_faults
                .iter()
                .filter(|f| f.transports.contains(&transport))
                .map(|f| f.code),
        );
        // A withdrawn method refuses every call with 4588, though it documents no codes.
        if method.status == MethodStatus::Withdrawn {
            codes.insert(WITHDRAWN_CODE);
        }
        // The codes of the rules it inherits by a sentence of its document ("de samme
        // valideringsregler som ved CreateInterview").
        codes.extend(crate::spec::inherit::inherited_codes(spec, &m));
        Ok(MethodInfo {
            service: m.service.service.clone(),
            name: method.name.clone(),
            status: method.status,
            scope: method.scope.clone(),
            other_scope: spec
                .methods()
                .filter_map(|m| m.method.scope.clone())
                .filter(|s| Some(s) != method.scope.as_ref())
                .min(),
            headers: by_location(FieldLocation::Header),
            path_params: by_location(FieldLocation::Path),
            query_params: by_location(FieldLocation::Query),
            body,
            output,
            codes,
            call,
            answer: Arc::new(AnswerShape::build(spec, m)),
        })
    }
}

/// A body whose only member is the request (response) root is read below that root.
fn unwrap_root(fields: Vec<Field>, is_root: impl Fn(&str) -> bool) -> Vec<Field> {
    if let [only] = fields.as_slice() {
        let named = is_root(&only.name) || only.former_name.as_deref().is_some_and(&is_root);
        if named && !only.children.is_empty() {
            return only.children.clone();
        }
    }
    fields
}
