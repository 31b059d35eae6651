//! The SOAP transport of the reference: one SOAP 1.1 endpoint per service (SOAP 1.2 envelopes
//! are accepted and answered in kind). A request is read in this order: the envelope (1014
//! when unreadable), the caller headers (8232, 8233, 8234), the method (by SOAPAction, else by
//! the body element), a withdrawn method (4588), the organisation type (4575 by the overlay's
//! `method_access`), then schema validation (1001, 1014) and the method's rules. A rejection is
//! an HTTP 500 SOAP Fault whose `faultcode` is the first code and `detail` lists every code.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::soap::{self as codec, SoapVersion};
use crate::spec::model::{Binding, Field, Method, MethodStatus, ServiceSpec, Transport};

use super::auth::{self, Caller};
use super::checks::{Rejection, error_text};
use super::mutant;
use super::rules::{self, Request};
use super::server::App;
use super::validate::{Mode, Validator};

/// The namespace a service's body elements are written in.
pub fn namespace(app: &App, service: &str) -> String {
    namespace_of(&app.spec, service)
}

/// The namespace a service's body elements are written in, from the spec's overlay.
pub fn namespace_of(spec: &crate::spec::model::Spec, service: &str) -> String {
    spec.overlay
        .soap_services
        .get(service)
        .map(|s| s.namespace.clone())
        .unwrap_or_else(|| format!("urn:star:dfdg:{service}"))
}

/// The fields below a binding's element: a spec may list the element itself as the one root
/// field, or its children directly.
pub fn below<'a>(fields: &'a [Field], element: &str) -> &'a [Field] {
    match fields {
        [only] if only.name == element && !only.children.is_empty() => &only.children,
        [only] if only.name == element => &[],
        _ => fields,
    }
}

fn version_of(headers: &HeaderMap) -> SoapVersion {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.contains("application/soap+xml") {
        SoapVersion::V12
    } else {
        SoapVersion::V11
    }
}

/// The method a request names: SOAPAction (quotes and any URI prefix removed), the SOAP 1.2
/// `action` parameter of the content type, else the body element.
fn find_method<'a>(
    service: &'a ServiceSpec,
    headers: &HeaderMap,
    body_element: Option<&str>,
) -> Option<&'a Method> {
    let action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| {
            let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
            ct.split(';')
                .find_map(|p| p.trim().strip_prefix("action="))
                .map(str::to_string)
        });
    if let Some(action) = action {
        let action = action.trim().trim_matches('"');
        let last = action.rsplit(['/', '#', ':']).next().unwrap_or(action);
        let found = service.methods.iter().find(|m| {
            let act = match &m.binding {
                Binding::Soap { action, .. } => action.as_str(),
                Binding::Rest { .. } => "",
            };
            act == action
                || act == last
                || m.name == last
                || m.former_names.iter().any(|f| f == last)
        });
        if found.is_some() {
            return found;
        }
    }
    let element = body_element?;
    service.methods.iter().find(|m| match &m.binding {
        Binding::Soap {
            request_element, ..
        } => request_element == element,
        Binding::Rest { .. } => false,
    })
}

/// Handles one SOAP request to a service's endpoint.
pub fn handle(app: &App, service_name: &str, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some(service) = app.spec.services.get(service_name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut version = version_of(headers);
    let envelope = std::str::from_utf8(body)
        .map_err(|e| e.to_string())
        .and_then(|text| codec::parse_envelope(text).map_err(|e| e.to_string()));
    let envelope = match envelope {
        Ok(env) => {
            version = env.version;
            Some(env)
        }
        Err(_) if app.switches.on("validation/malformed") => {
            return fault(app, None, version, &[1014]);
        }
        Err(_) => None,
    };
    let body_element = envelope
        .as_ref()
        .and_then(|e| e.body.as_ref())
        .map(|b| b.name.as_str());
    let method = find_method(service, headers, body_element);

    // The caller headers.
    let caller = match &envelope {
        Some(env) => match auth::soap_caller(env, &app.spec) {
            Ok(c) => Some(c),
            Err(codes) => {
                let codes: Vec<u32> = codes
                    .into_iter()
                    .filter(|c| app.switches.on(&format!("auth/{c}")))
                    .collect();
                if !codes.is_empty() {
                    return fault(app, method, version, &codes);
                }
                // Switched off: carry on as a caller that could not be read.
                None
            }
        },
        None => None,
    };
    let caller = caller.unwrap_or_else(|| Caller {
        organisation: crate::spec::model::OrganisationType::Star,
        code: String::new(),
    });

    let Some(method) = method else {
        return fault(app, None, version, &[1014]);
    };
    let prefix = app.prefix(&service.service, &method.name);
    match method.status {
        MethodStatus::Withdrawn if app.switches.on(&format!("{prefix}/withdrawn")) => {
            return fault(app, Some(method), version, &[rules::WITHDRAWN_CODE]);
        }
        // A deprecated method answers 4588 after validation and the citizen checks (see
        // `rules::execute`), so the other codes it documents stay reachable.
        MethodStatus::Withdrawn | MethodStatus::Current | MethodStatus::Deprecated => {}
    }
    // 4575 only where the method documents it: an undocumented code is never answered.
    if method.error(4575).is_some()
        && !auth::method_allows(&app.spec, &method.name, caller.organisation)
        && app.switches.on("auth/4575")
    {
        return fault(app, Some(method), version, &[4575]);
    }

    let Binding::Soap {
        request_element,
        response_element,
        ..
    } = &method.binding
    else {
        return fault(app, Some(method), version, &[1014]);
    };
    let mut validator =
        Validator::new(&app.switches, &app.patterns).with_fault(app.fault_for(method));
    validator.cpr_code = app.cpr_code(method);
    validator.former_names = app.reading("renamed-members") != "refused";
    let mut content = match envelope.as_ref().and_then(|e| e.body.as_ref()) {
        Some(b) if &b.name == request_element => b.value.clone(),
        Some(b) => {
            validator.report(1014, "validation/unknown", &b.name);
            Value::Object(Default::default())
        }
        None => {
            validator.report(1014, "validation/cardinality", request_element);
            Value::Object(Default::default())
        }
    };
    let fields = below(&method.input, request_element);
    validator.children(fields, &mut content, Mode::Xml, "");
    let codes = validator.codes();
    if !codes.is_empty() {
        return fault(app, Some(method), version, &codes);
    }
    let request = Request {
        service,
        method,
        caller,
        body: content,
        header_cpr: None,
        path: Default::default(),
        transport: Transport::Soap,
    };
    match rules::execute(app, &request) {
        Ok(_) if let Some(code) = mutant::success_as_error(app.fault_for(method)) => {
            fault(app, Some(method), version, &[code])
        }
        Ok(answer) => {
            let element = response_element
                .clone()
                .unwrap_or_else(|| format!("{}Response", method.name));
            let out_fields = below(&method.output, &element);
            let xml = codec::write_envelope(
                version,
                &[],
                &element,
                &namespace(app, &service.service),
                &answer,
                out_fields,
            );
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, version.content_type())],
                xml,
            )
                .into_response()
        }
        Err(Rejection::Codes(codes)) => fault(app, Some(method), version, &codes),
        Err(Rejection::Status(status)) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

/// An HTTP 500 SOAP Fault with every code and its documented text (as a mutant's fault
/// changes them: another code, the first only, or a success).
pub fn fault(app: &App, method: Option<&Method>, version: SoapVersion, codes: &[u32]) -> Response {
    let planted = method.and_then(|m| app.fault_for(m));
    let codes = match mutant::codes(planted, codes) {
        mutant::Answer::Codes(c) => c,
        mutant::Answer::Success => return planted_success(app, method, version),
    };
    let codes = app.reported(&codes);
    let errors: Vec<(u32, String)> = codes
        .iter()
        .map(|c| (*c, error_text(&app.spec, method, *c)))
        .collect();
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, version.content_type())],
        codec::write_fault(version, &errors),
    )
        .into_response()
}

/// An empty success answer of the method, for an error a mutant answers as success.
fn planted_success(app: &App, method: Option<&Method>, version: SoapVersion) -> Response {
    let Some((service, method)) = method.and_then(|m| {
        app.spec
            .services
            .values()
            .find(|s| s.methods.iter().any(|x| std::ptr::eq(x, m)))
            .map(|s| (s, m))
    }) else {
        return StatusCode::OK.into_response();
    };
    let element = match &method.binding {
        Binding::Soap {
            response_element: Some(e),
            ..
        } => e.clone(),
        _ => format!("{}Response", method.name),
    };
    let xml = codec::write_envelope(
        version,
        &[],
        &element,
        &namespace(app, &service.service),
        &Value::Object(Default::default()),
        below(&method.output, &element),
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, version.content_type())],
        xml,
    )
        .into_response()
}
