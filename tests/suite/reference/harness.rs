//! Starting a reference on an ephemeral loopback port and talking to it: the state-change
//! endpoint, SOAP calls with caller headers, tokens and REST calls.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::DateTime;
use konform::reference::{self, FixedClock, ReferenceConfig, RunningReference};
use konform::soap::{self, HeaderBlock, SoapVersion};
use konform::spec::Spec;
use konform::spec::model::Binding;
use serde_json::{Value, json};

/// The instant the test server's clock stands at.
pub const NOW: &str = "2026-11-24T10:00:00+01:00";
pub const SECRET: &str = "test-secret";

pub struct Ref {
    pub running: RunningReference,
    pub client: reqwest::Client,
    pub spec: Arc<Spec>,
}

/// A decoded answer: the HTTP status, the DFDG codes (SOAP fault or REST error body) and the
/// body (the SOAP response element's content, or the JSON body).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub codes: Vec<u32>,
    pub texts: Vec<String>,
    pub body: Value,
    pub raw: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status) && self.codes.is_empty()
    }
}

pub fn mini_spec() -> Spec {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/reference/fixtures/mini"))
        .expect("the mini spec loads")
}

impl Ref {
    pub async fn start(spec: Spec) -> Ref {
        Ref::start_with(spec, &[]).await
    }

    pub async fn start_with(spec: Spec, disabled: &[&str]) -> Ref {
        let spec = Arc::new(spec);
        let mut config = ReferenceConfig::new(spec.clone(), SECRET);
        config.disabled_checks = disabled.iter().map(|s| s.to_string()).collect();
        let clock = Arc::new(FixedClock(DateTime::parse_from_rfc3339(NOW).unwrap()));
        let running = reference::start_with_clock(config, "127.0.0.1:0".parse().unwrap(), clock)
            .await
            .expect("the reference starts");
        Ref {
            running,
            client: reqwest::Client::new(),
            spec,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url())
    }

    /// Establishes a state; answers the CPR and the ids.
    pub async fn state(&self, body: Value) -> (String, BTreeMap<String, String>) {
        let r = self
            .client
            .post(self.url("/konform/state"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "state refused: {v}");
        let ids = v["ids"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        (v["cpr"].as_str().unwrap_or_default().to_string(), ids)
    }

    pub async fn post_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (u16, String) {
        let mut req = self.client.post(self.url(path)).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// A SOAP 1.1 call as `caller` (organisation type id and code; `None` sends no headers).
    pub async fn soap(
        &self,
        service: &str,
        method: &str,
        caller: Option<(u32, &str)>,
        body: Value,
    ) -> Answer {
        let m = self
            .spec
            .service_method(service, method)
            .unwrap_or_else(|| panic!("{service}/{method} is in the spec"));
        let Binding::Soap {
            request_element, ..
        } = &m.method.binding
        else {
            panic!("{method} is not SOAP")
        };
        let ns = format!("urn:star:dfdg:{service}");
        let mut headers = Vec::new();
        if let Some((type_id, code)) = caller {
            headers.push(HeaderBlock {
                name: "ActiveOrganisationHeader".into(),
                namespace: "urn:h".into(),
                value: json!({"OrganisationTypeIdentifier": type_id.to_string(), "OrganisationCode": code}),
            });
            headers.push(HeaderBlock {
                name: "RequestUserMetadataHeader".into(),
                namespace: "urn:h".into(),
                value: json!({"UserIdentifier": "konform", "UserName": "konform"}),
            });
        }
        let fields = match m.method.input.as_slice() {
            [only] if &only.name == request_element => only.children.clone(),
            other => other.to_vec(),
        };
        let xml = soap::write_envelope(
            SoapVersion::V11,
            &headers,
            request_element,
            &ns,
            &body,
            &fields,
        );
        let path = self
            .spec
            .overlay
            .soap_services
            .get(service)
            .map(|s| s.path.clone())
            .unwrap_or_else(|| format!("/soap/{service}"));
        let (status, text) = self
            .post_raw(
                &path,
                &[
                    ("content-type", "text/xml; charset=utf-8"),
                    ("soapaction", &format!("\"{method}\"")),
                ],
                xml.into_bytes(),
            )
            .await;
        decode_soap(status, text)
    }

    pub async fn token(&self, client_id: &str, scope: Option<&str>) -> String {
        let mut form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={SECRET}",
            encode(client_id)
        );
        if let Some(s) = scope {
            form.push_str(&format!("&scope={}", encode(s)));
        }
        let r = self
            .client
            .post(self.url("/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["token_type"], "Bearer");
        v["access_token"].as_str().unwrap().to_string()
    }

    /// A REST call; `headers` are sent as given.
    pub async fn rest(
        &self,
        verb: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut req = self.client.request(
            reqwest::Method::from_bytes(verb.as_bytes()).unwrap(),
            self.url(path),
        );
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let (codes, texts) = match body["errors"].as_array() {
            Some(errs) if status == 400 => (
                errs.iter()
                    .map(|e| e["code"].as_u64().unwrap_or_default() as u32)
                    .collect(),
                errs.iter()
                    .map(|e| e["text"].as_str().unwrap_or_default().to_string())
                    .collect(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        Answer {
            status,
            codes,
            texts,
            body,
            raw: text,
        }
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn decode_soap(status: u16, text: String) -> Answer {
    let env = soap::parse_envelope(&text)
        .unwrap_or_else(|e| panic!("the answer is a SOAP envelope ({e}): {text}"));
    match env.fault() {
        Some(f) => {
            let errors = match &f.detail["Errors"]["Error"] {
                Value::Array(a) => a.clone(),
                Value::Null => Vec::new(),
                one => vec![one.clone()],
            };
            let codes: Vec<u32> = errors
                .iter()
                .filter_map(|e| e["Code"].as_str().and_then(|c| c.parse().ok()))
                .collect();
            assert_eq!(
                f.code,
                codes.first().map(|c| c.to_string()).unwrap_or_default(),
                "faultcode is the first detail code"
            );
            let texts = errors
                .iter()
                .map(|e| e["Text"].as_str().unwrap_or_default().to_string())
                .collect();
            Answer {
                status,
                codes,
                texts,
                body: Value::Null,
                raw: text,
            }
        }
        None => Answer {
            status,
            codes: Vec::new(),
            texts: Vec::new(),
            body: env.body.map(|b| b.value).unwrap_or(Value::Null),
            raw: text,
        },
    }
}
