//! The REST transport of the reference. A request is read in this order: the bearer token
//! (401), the method's scope (403), a repeated `x-requestId` (412, per method path for the
//! server's lifetime; one over 46 characters is not recorded and gives 1014), schema
//! validation of headers, path, query and JSON body (1001, 1014), then the method's access
//! table (4575) and rules. A rejection answers 400 with `{"errors":[{"code","text"}]}` listing
//! every error found; a success answers 200 with the documented body, or an empty body.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::spec::model::{Field, FieldLocation, Method, Transport};

use super::auth::{self, Caller};
use super::checks::{Rejection, error_text};
use super::mutant;
use super::rules::{self, Request};
use super::server::{App, RestRoute};
use super::validate::{Mode, Validator, is_cpr_field};

/// The documented maximum length of an `x-requestId`.
pub const MAX_REQUEST_ID: usize = 46;

fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Handles one REST request routed to `route`.
pub fn handle(
    app: &App,
    route: &RestRoute,
    path_params: BTreeMap<String, String>,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let Some(mr) = app.spec.service_method(&route.service, &route.method) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let method = mr.method;

    // The bearer token and its scope.
    let token = header_value(headers, "authorization")
        .and_then(auth::bearer)
        .and_then(|t| app.store.token(t))
        .filter(|t| auth::token_valid(t.issued, app.clock.now()));
    let caller = match token {
        Some(t) => {
            let scope_ok = method.scope.as_ref().is_none_or(|s| t.scopes.contains(s));
            if !scope_ok && app.switches.on("auth/403") {
                // The reading missing-token-status: RFC 6750's 403, or a bare 400.
                return if app.reading("missing-token-status") == "400" {
                    StatusCode::BAD_REQUEST.into_response()
                } else {
                    StatusCode::FORBIDDEN.into_response()
                };
            }
            Caller {
                organisation: t.organisation,
                code: t.code,
            }
        }
        None if app.switches.on("auth/401") => {
            if app.reading("missing-token-status") == "400" {
                return StatusCode::BAD_REQUEST.into_response();
            }
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
            )
                .into_response();
        }
        None => Caller {
            organisation: crate::spec::model::OrganisationType::Star,
            code: String::new(),
        },
    };

    let mut validator =
        Validator::new(&app.switches, &app.patterns).with_fault(app.fault_for(method));
    validator.cpr_code = app.cpr_code(method);
    validator.former_names = app.reading("renamed-members") != "refused";
    validator.unknown_ignored = app.reading("unknown-json-members") == "ignored";
    // x-requestId: too long gives 1014; a repeat, 412.
    if let Some(id) = header_value(headers, "x-requestid") {
        let too_long = id.chars().count() > MAX_REQUEST_ID;
        if too_long && app.switches.on("rest/request-id-length") {
            validator.report(1014, "rest/request-id-length", "x-requestId");
        } else {
            let key = format!("{} {}", route.verb.as_str(), route.template);
            if !app.store.first_request(&key, id) && app.switches.on("rest/412") {
                return StatusCode::PRECONDITION_FAILED.into_response();
            }
        }
    }

    let query: BTreeMap<String, String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let mut header_cpr = None;
    for field in &method.input {
        let supplied: Option<String> = match field.location {
            FieldLocation::Header => header_value(headers, &field.name).map(str::to_string),
            FieldLocation::Path => path_params.get(&field.name).cloned(),
            FieldLocation::Query => query.get(&field.name).cloned(),
            FieldLocation::Body => continue,
        };
        // The request id's length is its own check (above), whatever the spec's bound.
        let is_request_id = field.name.eq_ignore_ascii_case("x-requestId");
        match supplied {
            None if field.is_required() => {
                validator.report(1014, "validation/cardinality", &field.name)
            }
            None => {}
            Some(v) => {
                if is_request_id {
                    let mut f = field.clone();
                    f.length = None;
                    validator.leaf(&f, &Value::String(v), Mode::Xml, &field.name);
                } else {
                    if field.location == FieldLocation::Header && is_cpr_field(field) {
                        header_cpr = Some(v.clone());
                    }
                    validator.leaf(field, &Value::String(v), Mode::Xml, &field.name);
                }
            }
        }
    }
    let content = read_body(&mut validator, method, body, app);
    let codes = validator.codes();
    if !codes.is_empty() {
        return errors(app, method, &codes);
    }
    let request = Request {
        service: mr.service,
        method,
        caller,
        body: content,
        header_cpr,
        path: path_params,
        transport: Transport::Rest,
    };
    match rules::execute(app, &request) {
        Ok(_) if let Some(code) = mutant::success_as_error(app.fault_for(method)) => {
            errors(app, method, &[code])
        }
        Ok(Value::Null) => StatusCode::OK.into_response(),
        Ok(answer) => (StatusCode::OK, axum::Json(answer)).into_response(),
        Err(Rejection::Codes(codes)) => errors(app, method, &codes),
        Err(Rejection::Status(status)) => StatusCode::from_u16(status)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
    }
}

/// The body fields of a REST method: the children of its one `requestBody`, or the body
/// fields themselves.
pub fn body_fields(method: &Method) -> (Option<&Field>, Vec<&Field>) {
    let body: Vec<&Field> = method
        .input
        .iter()
        .filter(|f| f.location == FieldLocation::Body)
        .collect();
    match body.as_slice() {
        [only] if !only.children.is_empty() => (Some(*only), only.children.iter().collect()),
        _ => (None, body),
    }
}

/// Parses and validates the JSON body; answers the validated tree (an empty object when the
/// method takes no body).
fn read_body(validator: &mut Validator<'_>, method: &Method, body: &[u8], app: &App) -> Value {
    let (wrapper, fields) = body_fields(method);
    let text = String::from_utf8_lossy(body);
    let parsed: Option<Value> = if text.trim().is_empty() {
        None
    } else {
        match serde_json::from_str::<Value>(&text) {
            Ok(v) => Some(v),
            Err(_) => {
                validator.report(1014, "validation/malformed", "body");
                return Value::Object(Default::default());
            }
        }
    };
    if fields.is_empty() {
        return parsed.unwrap_or(Value::Object(Default::default()));
    }
    let owned: Vec<Field> = fields.into_iter().cloned().collect();
    match (wrapper, parsed) {
        (Some(w), None) => {
            if w.is_required() {
                validator.report(1014, "validation/cardinality", &w.name);
            }
            Value::Object(Default::default())
        }
        (_, parsed) => {
            let mut value = parsed.unwrap_or(Value::Object(Default::default()));
            let _ = app;
            validator.children(&owned, &mut value, Mode::Json, "");
            value
        }
    }
}

/// A 400 answer listing every code with its documented text.
pub fn errors(app: &App, method: &Method, codes: &[u32]) -> Response {
    // A mutant's fault changes the codes (another code, the first only) or answers success.
    let codes = match mutant::codes(app.fault_for(method), codes) {
        mutant::Answer::Codes(c) => c,
        mutant::Answer::Success => return StatusCode::OK.into_response(),
    };
    let list: Vec<Value> = app
        .reported(&codes)
        .iter()
        .map(|c| json!({"code": c, "text": error_text(&app.spec, Some(method), *c)}))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "errors": list })),
    )
        .into_response()
}
