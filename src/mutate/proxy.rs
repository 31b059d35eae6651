//! The mutating proxy: an HTTP server on 127.0.0.1 that forwards every request to a target
//! (the embedded reference, `konform serve`, a vendor's test environment) and plants one
//! [`AnswerMutation`] into the answers of one method ([`Aim`]) on their way back. Answer
//! mutants run the corpus through it. The main entry point is [`start`].

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::spec::model::{Binding, Method, Spec};
use crate::target::AnswerMutation;
use crate::target::http::RawResponse;

/// The largest request body the proxy forwards.
const MAX_BODY: usize = 16 << 20;

/// Which answers the proxy mutates: one method's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aim {
    /// A REST verb and path template; a `{parameter}` segment matches any segment.
    Rest { verb: String, segments: Vec<String> },
    /// A SOAP method: its SOAPAction, else its request element in the body.
    Soap { action: String, element: String },
}

impl Aim {
    /// The aim of a method, with the overlay's REST path where the document gives none.
    pub fn of(spec: &Spec, method: &Method) -> Aim {
        match &method.binding {
            Binding::Soap {
                action,
                request_element,
                ..
            } => Aim::Soap {
                action: action.clone(),
                element: request_element.clone(),
            },
            Binding::Rest { verb, path } => {
                let (verb, path) = match spec.overlay.rest_paths.get(&method.name) {
                    Some(o) if path.trim().is_empty() => (o.verb, o.path.clone()),
                    _ => (*verb, path.clone()),
                };
                Aim::Rest {
                    verb: verb.as_str().to_string(),
                    segments: segments(&path),
                }
            }
        }
    }

    fn hits(&self, verb: &str, path: &str, headers: &HeaderMap, body: &[u8]) -> bool {
        match self {
            Aim::Rest {
                verb: v,
                segments: pattern,
            } => {
                let segs = segments(path);
                v.eq_ignore_ascii_case(verb)
                    && segs.len() == pattern.len()
                    && segs
                        .iter()
                        .zip(pattern)
                        .all(|(s, p)| p.starts_with('{') || s == p)
            }
            Aim::Soap { action, element } => {
                let header_action = headers
                    .get("soapaction")
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.trim().trim_matches('"'));
                match header_action {
                    Some(a) if !a.is_empty() => a == action || a.ends_with(&format!("/{action}")),
                    _ => {
                        let text = String::from_utf8_lossy(body);
                        text.contains(&format!(":{element}"))
                            || text.contains(&format!("<{element}"))
                    }
                }
            }
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('?')
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[derive(Debug)]
struct Proxy {
    upstream: String,
    client: reqwest::Client,
    aim: Aim,
    mutation: AnswerMutation,
    applied: Arc<AtomicUsize>,
}

/// A running proxy; dropping it (or [`RunningProxy::shutdown`]) stops it.
#[derive(Debug)]
pub struct RunningProxy {
    pub addr: SocketAddr,
    applied: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningProxy {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many answers the mutation changed so far.
    pub fn applied(&self) -> usize {
        self.applied.load(Ordering::SeqCst)
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a proxy in front of `upstream` (`http://host:port`) on an ephemeral loopback port.
pub async fn start(
    upstream: &str,
    aim: Aim,
    mutation: AnswerMutation,
) -> std::io::Result<RunningProxy> {
    let applied = Arc::new(AtomicUsize::new(0));
    let proxy = Arc::new(Proxy {
        upstream: upstream.trim_end_matches('/').to_string(),
        client: reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(std::io::Error::other)?,
        aim,
        mutation,
        applied: applied.clone(),
    });
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
    let addr = listener.local_addr()?;
    let router = axum::Router::new().fallback(forward).with_state(proxy);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(RunningProxy {
        addr,
        applied,
        stop: Some(stop),
        task: Some(task),
    })
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = p
        .client
        .request(
            parts.method.clone(),
            format!("{}{path_and_query}", p.upstream),
        )
        .body(bytes.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            out = out.header(name, value);
        }
    }
    let resp = match out.send().await {
        Ok(r) => r,
        Err(_) => return StatusCode::BAD_GATEWAY.into_response(),
    };
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let Ok(body) = resp.bytes().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let mut raw = RawResponse {
        status,
        headers,
        body: body.to_vec(),
    };
    if p.aim.hits(
        parts.method.as_str(),
        parts.uri.path(),
        &parts.headers,
        &bytes,
    ) && p.mutation.apply(parts.uri.path(), &mut raw)
    {
        p.applied.fetch_add(1, Ordering::SeqCst);
    }
    let mut answer = Response::builder()
        .status(StatusCode::from_u16(raw.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (name, value) in &raw.headers {
        if !name.eq_ignore_ascii_case("content-length")
            && !name.eq_ignore_ascii_case("transfer-encoding")
        {
            answer = answer.header(name, value);
        }
    }
    answer
        .body(Body::from(raw.body))
        .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_aims_match_templates() {
        let aim = Aim::Rest {
            verb: "GET".into(),
            segments: segments("/v1/ydelse/{id}"),
        };
        let h = HeaderMap::new();
        assert!(aim.hits("GET", "/v1/ydelse/abc", &h, b""));
        assert!(!aim.hits("POST", "/v1/ydelse/abc", &h, b""));
        assert!(!aim.hits("GET", "/v1/ydelse", &h, b""));
    }

    #[test]
    fn soap_aims_match_the_action_or_the_body_element() {
        let aim = Aim::Soap {
            action: "CreateX".into(),
            element: "CreateXRequest".into(),
        };
        let mut h = HeaderMap::new();
        assert!(aim.hits("POST", "/", &h, b"<s:Body><p:CreateXRequest/>"));
        h.insert("soapaction", "\"CreateX\"".parse().unwrap());
        assert!(aim.hits("POST", "/", &h, b""));
        h.insert("soapaction", "\"CreateY\"".parse().unwrap());
        assert!(!aim.hits("POST", "/", &h, b"<p:CreateXRequest/>"));
    }
}
