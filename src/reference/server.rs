//! The HTTP server of the reference: one axum router with the token endpoint, the
//! state-change endpoint, the exports (`/`, `/openapi/<Service>.json`, `?wsdl` on a SOAP
//! endpoint; see [`super::exports`]) and one fallback that routes every other request to a SOAP endpoint
//! (by path, from the overlay) or a REST method (by verb and path, from the spec). The main
//! type here is [`App`], the state every handler shares.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Path as UrlPath;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method as HttpMethod, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::spec::model::{Binding, HttpVerb, Spec};

use super::auth;
use super::checks::{self, Switches};
use super::state;
use super::store::{Store, Token};
use super::validate::Patterns;
use super::{exports, rest, soap};
use crate::clock::SharedClock;
use crate::state::StateRequest;

/// The largest request body accepted; larger ones are answered 413.
pub const MAX_BODY: usize = 1024 * 1024;

/// A REST method's route: verb and path segments (`{name}` segments are parameters).
#[derive(Debug, Clone)]
pub struct RestRoute {
    pub verb: HttpVerb,
    pub template: String,
    pub segments: Vec<String>,
    pub service: String,
    pub method: String,
}

impl RestRoute {
    /// Matches a request path; answers the path parameters. `exact` compares literal segments
    /// with case, else without.
    pub fn matches(&self, path: &str, exact: bool) -> Option<BTreeMap<String, String>> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = BTreeMap::new();
        for (seg, part) in self.segments.iter().zip(parts) {
            if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if part.is_empty() {
                    return None;
                }
                params.insert(name.to_string(), percent_decode(part));
            } else if (exact && seg != part) || (!exact && !seg.eq_ignore_ascii_case(part)) {
                return None;
            }
        }
        Some(params)
    }

    fn literal_count(&self) -> usize {
        self.segments.iter().filter(|s| !s.starts_with('{')).count()
    }
}

/// Decodes `%XX` escapes of a path segment; bad escapes stay as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What every handler shares.
#[derive(Debug)]
pub struct App {
    pub spec: Arc<Spec>,
    pub store: Store,
    pub clock: SharedClock,
    pub switches: Switches,
    /// The planted fault of a spec-derived mutant, if any.
    pub mutant: Option<super::mutant::Mutant>,
    pub patterns: Patterns,
    /// Check-id prefix per (service, method).
    pub prefixes: BTreeMap<(String, String), String>,
    pub test_mode: bool,
    pub client_secret: String,
    pub rest_routes: Vec<RestRoute>,
    /// SOAP endpoint path → service.
    pub soap_paths: BTreeMap<String, String>,
    /// The alternative the reference answers under, per reading.
    pub statement: crate::spec::statement::Statement,
}

impl App {
    pub fn new(config: super::ReferenceConfig, clock: SharedClock) -> App {
        let spec = config.spec;
        let mut rest_routes = Vec::new();
        let mut soap_paths = BTreeMap::new();
        for svc in spec.services.values() {
            let has_soap = svc
                .methods
                .iter()
                .any(|m| matches!(m.binding, Binding::Soap { .. }));
            if has_soap {
                soap_paths.insert(soap_path(&spec, &svc.service), svc.service.clone());
            }
            for m in &svc.methods {
                if let Binding::Rest { verb, path } = &m.binding {
                    let (verb, path) = match spec.overlay.rest_paths.get(&m.name) {
                        Some(o) if path.trim().is_empty() => (o.verb, o.path.clone()),
                        _ => (*verb, path.clone()),
                    };
                    let segments = path
                        .trim()
                        .trim_end_matches('/')
                        .split('/')
                        .skip(1)
                        .map(str::to_string)
                        .collect();
                    rest_routes.push(RestRoute {
                        verb,
                        template: path,
                        segments,
                        service: svc.service.clone(),
                        method: m.name.clone(),
                    });
                }
            }
        }
        // Literal segments win over parameters (`/v1/ydelse/historik` before `/v1/ydelse/{id}`).
        rest_routes.sort_by_key(|r| std::cmp::Reverse(r.literal_count()));
        App {
            patterns: Patterns::of(&spec),
            prefixes: checks::method_prefixes(&spec),
            switches: Switches::new(config.disabled_checks),
            store: Store::keeping_deleted(matches!(
                config.mutant.as_ref().map(|m| &m.fault),
                Some(super::mutant::Fault::DeletedKept)
            )),
            mutant: config.mutant,
            clock,
            test_mode: config.test_mode,
            client_secret: config.client_secret,
            rest_routes,
            soap_paths,
            statement: config.statement,
            spec,
        }
    }

    /// The planted fault aimed at this method (of this spec), if any.
    pub fn fault_for(&self, method: &crate::spec::model::Method) -> Option<&super::mutant::Fault> {
        let m = self.mutant.as_ref()?;
        let aimed = self.spec.service_method(&m.service, &m.method)?;
        std::ptr::eq(aimed.method, method).then_some(&m.fault)
    }

    /// The alternative in force for a reading of the overlay's catalogue: the statement's, or
    /// konform's default.
    pub fn reading(&self, name: &str) -> &str {
        self.statement
            .alternative(&self.spec.overlay, name)
            .unwrap_or_default()
    }

    /// The code for a CPR that fails its pattern (the reading cpr-pattern-code): 1014 under its
    /// alternative 1014 where the method lists 1001 or 1014, else 1001.
    pub fn cpr_code(&self, method: &crate::spec::Method) -> u32 {
        let lists = method.error(1001).is_some() || method.error(1014).is_some();
        if lists && self.reading("cpr-pattern-code") == "1014" {
            1014
        } else {
            1001
        }
    }

    /// The codes an error answer lists (the reading errors-reported): all found, or the first;
    /// of 4668 and 4748 together, the one the reading error-precedence puts first.
    pub fn reported<'c>(&self, codes: &'c [u32]) -> &'c [u32] {
        if self.reading("errors-reported") != "first" {
            return codes;
        }
        let both = codes.contains(&4668) && codes.contains(&4748);
        let first = if both {
            let winner = if self.reading("error-precedence") == "4748" {
                4748
            } else {
                4668
            };
            codes.iter().position(|c| *c == winner).unwrap_or(0)
        } else {
            0
        };
        &codes[first.min(codes.len())..(first + 1).min(codes.len())]
    }

    /// The check-id prefix of a method.
    pub fn prefix<'a>(&'a self, service: &str, method: &'a str) -> &'a str {
        self.prefixes
            .get(&(service.to_string(), method.to_string()))
            .map(String::as_str)
            .unwrap_or(method)
    }

    /// Finds the REST route of a request.
    pub fn rest_route(
        &self,
        verb: &HttpMethod,
        path: &str,
    ) -> Option<(&RestRoute, BTreeMap<String, String>)> {
        for exact in [true, false] {
            for r in &self.rest_routes {
                if r.verb.as_str() != verb.as_str() {
                    continue;
                }
                if let Some(params) = r.matches(path, exact) {
                    return Some((r, params));
                }
            }
        }
        None
    }
}

/// The SOAP endpoint path of a service: the overlay's, else `/soap/<Service>`.
pub fn soap_path(spec: &Spec, service: &str) -> String {
    spec.overlay
        .soap_services
        .get(service)
        .map(|s| s.path.clone())
        .unwrap_or_else(|| format!("/soap/{service}"))
}

/// The router with every route of the reference.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/oauth2/token", post(token))
        .route("/konform/state", post(state_change))
        .route("/", get(index))
        .route("/openapi/{file}", get(openapi))
        .fallback(dispatch)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

async fn dispatch(
    State(app): State<Arc<App>>,
    verb: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    if let Some(service) = app.soap_paths.get(path.trim_end_matches('/')) {
        if verb == HttpMethod::POST {
            return soap::handle(&app, service, &headers, &body);
        }
        if verb == HttpMethod::GET
            && let Some(answer) =
                exports::soap_get(&app.spec, service, uri.query().unwrap_or(""), &headers)
        {
            return answer;
        }
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "POST")]).into_response();
    }
    match app.rest_route(&verb, path) {
        Some((route, params)) => {
            let query = uri.query().unwrap_or("");
            rest::handle(&app, route, params, query, &headers, &body)
        }
        None => {
            let known_path = app
                .rest_routes
                .iter()
                .any(|r| r.matches(path, false).is_some());
            if known_path {
                StatusCode::METHOD_NOT_ALLOWED.into_response()
            } else {
                StatusCode::NOT_FOUND.into_response()
            }
        }
    }
}

/// `GET /`: the index of services, documents and exports.
async fn index(State(app): State<Arc<App>>) -> Response {
    exports::index(&app.spec)
}

/// `GET /openapi/<Service>.json`.
async fn openapi(
    State(app): State<Arc<App>>,
    UrlPath(file): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    exports::openapi_get(&app.spec, &file, &headers)
}

async fn token(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let form: auth::TokenForm = match (is_form, serde_urlencoded_form(&body)) {
        (true, Some(f)) => f,
        _ => {
            return oauth_error(
                400,
                "invalid_request",
                "send an application/x-www-form-urlencoded form",
            );
        }
    };
    match auth::grant(&form, &app.client_secret, &app.spec) {
        Ok((caller, scopes)) => {
            let access_token = format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            );
            let scope = scopes.iter().cloned().collect::<Vec<_>>().join(" ");
            app.store.insert_token(
                access_token.clone(),
                Token {
                    organisation: caller.organisation,
                    code: caller.code,
                    scopes,
                    issued: app.clock.now(),
                },
            );
            (
                StatusCode::OK,
                [(header::CACHE_CONTROL, "no-store")],
                axum::Json(json!({
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": auth::TOKEN_LIFETIME,
                    "scope": scope,
                })),
            )
                .into_response()
        }
        Err(refusal) => oauth_error(refusal.status, refusal.error, &refusal.description),
    }
}

/// Reads an `application/x-www-form-urlencoded` body.
fn serde_urlencoded_form(body: &[u8]) -> Option<auth::TokenForm> {
    let text = std::str::from_utf8(body).ok()?;
    let mut form = auth::TokenForm::default();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| percent_decode(&s.replace('+', " "));
        let v = Some(decode(v));
        match decode(k).as_str() {
            "grant_type" => form.grant_type = v,
            "client_id" => form.client_id = v,
            "client_secret" => form.client_secret = v,
            "scope" => form.scope = v,
            _ => {}
        }
    }
    Some(form)
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

async fn state_change(State(app): State<Arc<App>>, body: Bytes) -> Response {
    if !app.test_mode {
        return StatusCode::NOT_FOUND.into_response();
    }
    let request: StateRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                axum::Json(json!({"error": format!("the state request cannot be read: {e}")})),
            )
                .into_response();
        }
    };
    match state::establish(&app.store, &app.clock, request) {
        Ok(est) => (StatusCode::OK, axum::Json(est)).into_response(),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str) -> RestRoute {
        RestRoute {
            verb: HttpVerb::Get,
            template: path.into(),
            segments: path.split('/').skip(1).map(str::to_string).collect(),
            service: "S".into(),
            method: "M".into(),
        }
    }

    #[test]
    fn routes_match_literals_and_parameters() {
        let r = route("/v1/ydelse/{ydelsesidentifier}");
        let p = r.matches("/v1/ydelse/abc", true).unwrap();
        assert_eq!(p["ydelsesidentifier"], "abc");
        assert!(r.matches("/v1/ydelse", true).is_none());
        assert!(r.matches("/v1/ydelse/", true).is_none());
        let r = route("/V1/Raskmelding");
        assert!(r.matches("/v1/raskmelding", true).is_none());
        assert!(r.matches("/v1/raskmelding", false).is_some());
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decode("%C3%B8%4"), "ø%4");
        let f = serde_urlencoded_form(
            b"grant_type=client_credentials&client_id=Anden+Akt%C3%B8r%3A12&scope=a%20b",
        )
        .unwrap();
        assert_eq!(f.client_id.as_deref(), Some("Anden Aktør:12"));
        assert_eq!(f.scope.as_deref(), Some("a b"));
    }
}
