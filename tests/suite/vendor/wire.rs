//! Every wire choice in a profile, end to end with the `konform` binary. A vendor front on
//! 127.0.0.1, before a second reference, behaves as independently written environments do:
//!
//! - SOAP like a WCF service: at `/Services/<Service>.svc`, SOAP 1.2 only, dispatching on
//!   action URIs of its own (`http://vendor.example/dfdg/<Service>/I<Service>/<Method>`) and
//!   answering `ActionNotSupported` otherwise, its own body and header namespaces (a request
//!   in the overlay's namespaces cannot be read);
//! - REST under `/api`, in lower case only (`/api/v1/raskmelding` where the document prints
//!   `/V1/Raskmelding`); anything else is a 404;
//! - fixed bearer tokens, one per role; any other token is refused;
//! - a state-change endpoint at a path of its own whose answer carries members konform does
//!   not know.
//!
//! Configured in one profile, the whole corpus runs clean: every case gets the verdict it gets
//! against the embedded reference, but the scope cases, which are not applicable under fixed
//! tokens. The same profile without the SOAPAction template and the REST paths fails, so the
//! front is strict where the test says it is.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use konform::reference::{self, FixedClock, ReferenceConfig};
use konform::spec::Spec;
use konform::spec::model::{Binding, Transport};
use konform::target::profile::EMBEDDED_ROLES;
use serde_json::Value;

use crate::vendor::support::{self, CLOCK, case, konform, verdicts};

const SECRET: &str = "wire-front-secret-7d2a";
const VENDOR_NS: &str = "http://vendor.example/dfdg/";
const OVERLAY_NS: &str = "urn:star:dfdg:";

fn token_of(role: &str) -> String {
    format!("fixed-token-{role}-5b9e0c")
}

fn token_env(role: &str) -> String {
    format!(
        "KONFORM_WIRE_TOKEN_{}",
        role.to_ascii_uppercase().replace('-', "_")
    )
}

/// The vendor front: what it forwards to, and the reference tokens its fixed tokens stand for.
struct Front {
    reference: String,
    http: reqwest::Client,
    /// fixed token → OAuth2 client id.
    fixed: HashMap<String, String>,
    /// client id → reference token (every scope).
    exchanged: Mutex<HashMap<String, String>>,
    /// Service → the SOAPActions it dispatches on.
    actions: BTreeMap<String, Vec<String>>,
}

fn spec() -> Spec {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).expect("the spec loads")
}

fn vendor_action(service: &str, method: &str) -> String {
    format!("{VENDOR_NS}{service}/I{service}/{method}")
}

fn soap_fault_12(code: &str, text: &str) -> Response {
    let body = format!(
        r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>a:{code}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">{text}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [("content-type", "application/soap+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn front(
    State(f): State<Arc<Front>>,
    verb: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut forward_headers = reqwest::header::HeaderMap::new();
    let (target_path, body) = if path == "/test-support/state" {
        ("/konform/state".to_string(), body.to_vec())
    } else if let Some(svc) = path
        .strip_prefix("/Services/")
        .and_then(|s| s.strip_suffix(".svc"))
    {
        let Some(actions) = f.actions.get(svc) else {
            return StatusCode::NOT_FOUND.into_response();
        };
        if !content_type.starts_with("application/soap+xml") {
            return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
        }
        let action = content_type
            .split(';')
            .find_map(|p| p.trim().strip_prefix("action="))
            .map(|a| a.trim_matches('"').to_string())
            .unwrap_or_default();
        if !actions.contains(&action) {
            return soap_fault_12(
                "ActionNotSupported",
                &format!("The message with Action '{action}' cannot be processed at the receiver"),
            );
        }
        let text = String::from_utf8_lossy(&body);
        if text.contains(OVERLAY_NS) {
            return soap_fault_12(
                "DeserializationFailed",
                "The formatter threw an exception: unexpected namespace",
            );
        }
        forward_headers.insert("content-type", content_type.parse().unwrap());
        (
            format!("/soap/{svc}"),
            text.replace(VENDOR_NS, OVERLAY_NS).into_bytes(),
        )
    } else if let Some(rest) = path.strip_prefix("/api/") {
        let literal: String = rest.split('/').take(2).collect();
        if literal != literal.to_ascii_lowercase() {
            return StatusCode::NOT_FOUND.into_response();
        }
        if let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
            let token = auth.strip_prefix("Bearer ").unwrap_or(auth);
            let Some(client_id) = f.fixed.get(token) else {
                return StatusCode::UNAUTHORIZED.into_response();
            };
            let exchanged = f.exchange(client_id).await;
            forward_headers.insert(
                "authorization",
                format!("Bearer {exchanged}").parse().unwrap(),
            );
        }
        for (name, value) in &headers {
            let n = name.as_str();
            if n != "authorization" && n != "host" && n != "content-length" {
                forward_headers.insert(name.clone(), value.clone());
            }
        }
        (format!("/{rest}"), body.to_vec())
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !forward_headers.contains_key("content-type") && !content_type.is_empty() {
        forward_headers.insert("content-type", content_type.parse().unwrap());
    }
    let url = match uri.query() {
        Some(q) => format!("{}{target_path}?{q}", f.reference),
        None => format!("{}{target_path}", f.reference),
    };
    let resp = f
        .http
        .request(verb, url)
        .headers(forward_headers)
        .body(body)
        .send()
        .await
        .expect("the reference answers");
    let status = resp.status().as_u16();
    let answer_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut text = resp.text().await.unwrap_or_default();
    if target_path == "/konform/state" && status == 200 {
        let mut v: Value = serde_json::from_str(&text).expect("a state answer");
        v["trace"] = Value::String("vendor-trace-0001".into());
        v["created"] = serde_json::json!({ "at": CLOCK, "by": "test-support" });
        text = v.to_string();
    } else if target_path.starts_with("/soap/") {
        text = text.replace(OVERLAY_NS, VENDOR_NS);
    }
    let mut out = (StatusCode::from_u16(status).unwrap(), text).into_response();
    if !answer_type.is_empty() {
        out.headers_mut()
            .insert("content-type", answer_type.parse().unwrap());
    }
    out
}

impl Front {
    async fn exchange(&self, client_id: &str) -> String {
        if let Some(t) = self.exchanged.lock().unwrap().get(client_id) {
            return t.clone();
        }
        let answer: Value = self
            .http
            .post(format!("{}/oauth2/token", self.reference))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", SECRET),
            ])
            .send()
            .await
            .expect("the token endpoint answers")
            .json()
            .await
            .expect("a token answer");
        let token = answer["access_token"]
            .as_str()
            .expect("a token")
            .to_string();
        self.exchanged
            .lock()
            .unwrap()
            .insert(client_id.to_string(), token.clone());
        token
    }
}

/// Starts the second reference and the vendor front before it; answers the front's base URL.
async fn start_front(spec: Arc<Spec>) -> (String, reference::RunningReference) {
    let clock = chrono::DateTime::parse_from_rfc3339(CLOCK).unwrap();
    let reference = reference::start_with_clock(
        ReferenceConfig::new(spec.clone(), SECRET),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(FixedClock(clock)),
    )
    .await
    .expect("the reference starts");
    let mut actions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in spec.methods() {
        if m.service.transport == Transport::Soap {
            actions
                .entry(m.service.service.clone())
                .or_default()
                .push(vendor_action(&m.service.service, &m.method.name));
        }
    }
    let state = Arc::new(Front {
        reference: reference.base_url(),
        http: reqwest::Client::new(),
        fixed: EMBEDDED_ROLES
            .iter()
            .map(|(role, org, code)| (token_of(role), format!("{}:{code}", org.as_str())))
            .collect(),
        exchanged: Mutex::new(HashMap::new()),
        actions,
    });
    let app = Router::new().fallback(front).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    (format!("http://{addr}"), reference)
}

/// The vendor profile: every wire choice of the front. `wired: false` leaves out the
/// SOAPAction template and the REST paths.
fn write_profile(dir: &Path, base: &str, spec: &Spec, wired: bool) -> PathBuf {
    let mut y = format!("name: vendor front\nbase_url: {base}\nauth: bearer\nroles:\n");
    for (role, org, code) in EMBEDDED_ROLES {
        y.push_str(&format!(
            "  {role}: {{ organisation: \"{}\", code: \"{code}\", token_env: {} }}\n",
            org.as_str(),
            token_env(role)
        ));
    }
    y.push_str("state_endpoint: /test-support/state\nservices:\n");
    let soap: Vec<&str> = spec
        .services
        .values()
        .filter(|s| s.transport == Transport::Soap)
        .map(|s| s.service.as_str())
        .collect();
    for s in &soap {
        y.push_str(&format!(
            "  {s}:\n    soap_version: \"1.2\"\n    soap_path: /Services/{s}.svc\n    namespace: {VENDOR_NS}{s}\n    header_namespace: {VENDOR_NS}headers\n"
        ));
        if wired {
            y.push_str("    soap_action: \"{namespace}/I{service}/{method}\"\n");
        }
    }
    if wired {
        y.push_str("methods:\n");
        for m in spec.methods() {
            let path = match &m.method.binding {
                Binding::Rest { path, .. } if !path.trim().is_empty() => path.clone(),
                Binding::Rest { .. } => spec.overlay.rest_paths[&m.method.name].path.clone(),
                Binding::Soap { .. } => continue,
            };
            let lowered: Vec<String> = path
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') {
                        seg.to_string()
                    } else {
                        seg.to_ascii_lowercase()
                    }
                })
                .collect();
            y.push_str(&format!(
                "  {}: {{ path: \"/api{}\" }}\n",
                m.method.name,
                lowered.join("/")
            ));
        }
    }
    let file = dir.join(if wired { "vendor.yaml" } else { "unwired.yaml" });
    std::fs::write(&file, y).unwrap();
    file
}

fn with_tokens(mut c: std::process::Command) -> std::process::Command {
    for (role, _, _) in EMBEDDED_ROLES {
        c.env(token_env(role), token_of(role));
    }
    c
}

/// The case ids (`Service/id`) whose request leaves out the method's scope (`omit: [Scope]`).
fn scope_cases() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let roles = konform::run::setup::known_roles([]);
    let mut corpus =
        konform::plan::corpus::prepare(&root.join("specs"), &root.join("cases"), &roles)
            .expect("the corpus plans");
    corpus.add_generated(&roles).expect("generated cases plan");
    corpus
        .cases
        .iter()
        .filter(|c| c.request.omit.scope && c.method.transport() == Transport::Rest)
        .map(|c| format!("{}/{}", c.case.service, c.case.id))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_front_with_its_own_wire_choices_runs_clean() {
    let dir = support::temp_dir("wire");
    let spec = Arc::new(spec());
    let (base, _reference) = start_front(spec.clone()).await;
    let profile = write_profile(&dir, &base, &spec, true);

    let embedded_out = dir.join("embedded");
    let mut embedded = konform();
    embedded
        .args(["run", "--clock", CLOCK, "--out"])
        .arg(&embedded_out);
    let embedded_run = support::run(embedded).await;
    assert_ne!(
        embedded_run.status.code(),
        Some(2),
        "{}",
        support::text(&embedded_run)
    );
    let vendor_out = dir.join("vendor");
    let mut vendor = with_tokens(konform());
    vendor
        .args(["run", "--clock", CLOCK, "--target"])
        .arg(&profile)
        .arg("--out")
        .arg(&vendor_out);
    let vendor_run = support::run(vendor).await;
    assert_ne!(
        vendor_run.status.code(),
        Some(2),
        "{}",
        support::text(&vendor_run)
    );

    let a = support::summary(&embedded_out);
    let b = support::summary(&vendor_out);
    let (va, vb) = (verdicts(&a), verdicts(&b));
    assert_eq!(va.len(), vb.len(), "the same cases ran");
    let scoped = scope_cases();
    assert!(!scoped.is_empty(), "the corpus has scope cases");
    let mut wrong = Vec::new();
    for (id, verdict_a) in &va {
        let verdict_b = &vb[id];
        let reason = case(&b, id)["reason"].as_str().unwrap_or("").to_string();
        if scoped.contains(id) {
            if verdict_b != "not-applicable" || !reason.contains("auth: bearer") {
                wrong.push(format!(
                    "{id}: a scope case under fixed tokens is {verdict_b}: {reason}"
                ));
            }
        } else if verdict_b != verdict_a {
            wrong.push(format!(
                "{id}: {verdict_b} on the vendor front, {verdict_a} embedded: {reason}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The raw-body cases were sent in the front's namespaces and SOAP 1.2.
    for id in [
        "PersonRegistrationService/CreatePersonInterview.unreadable-organisation-header",
        "PersonRegistrationService/CreatePersonCategory.unreadable-envelope",
        "PersonRegistrationService/CreatePersonInterview.not-xml",
    ] {
        assert_eq!(vb[id], "pass", "{id}: {}", case(&b, id)["reason"]);
    }
    eprintln!(
        "{} cases: the embedded verdicts on the vendor front, {} scope cases not applicable",
        va.len(),
        scoped.len()
    );

    // Without the SOAPAction template and the REST paths, the front refuses.
    let unwired = write_profile(&dir, &base, &spec, false);
    let unwired_out = dir.join("unwired");
    let mut run = with_tokens(konform());
    run.args([
        "run",
        "--clock",
        CLOCK,
        "--method",
        "CreatePersonInterview",
        "--method",
        "CreateRaskmelding",
        "--target",
    ])
    .arg(&unwired)
    .arg("--out")
    .arg(&unwired_out);
    let out = support::run(run).await;
    assert_ne!(out.status.code(), Some(2), "{}", support::text(&out));
    let s = support::summary(&unwired_out);
    // A case that expects a refusal without a code (a CPR failing its pattern where the method
    // lists neither 1001 nor 1014) is met by any refusal, the front's too.
    let refusal_only: std::collections::BTreeSet<String> = s["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["expected"] == "refused (any code)")
        .map(|c| {
            format!(
                "{}/{}",
                c["service"].as_str().unwrap(),
                c["id"].as_str().unwrap()
            )
        })
        .collect();
    let passing: Vec<String> = verdicts(&s)
        .into_iter()
        .filter(|(id, v)| v == "pass" && !refusal_only.contains(id))
        .map(|(id, _)| id.to_string())
        .collect();
    let passes = passing.len();
    assert_eq!(
        passes, 0,
        "nothing passes on the front without its wire choices: {passing:?}"
    );
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains("ActionNotSupported"), "the front said why");
}
