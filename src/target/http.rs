//! Sending one HTTP request and reading its answer within a size limit, recording both as an
//! [`Exchange`] with secrets and (by default) CPR numbers masked. Transport errors are sorted
//! into [`Failure`] kinds. The main entry point is [`send`].

use std::error::Error as _;

use crate::cpr;
use crate::target::outcome::{Exchange, Failure, RecordedRequest, RecordedResponse};
use crate::target::profile::FollowRedirects;

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 5;

/// The most of a body an exchange keeps for reports.
pub const RECORDED_BODY_LIMIT: usize = 64 * 1024;

/// The default limit on an answer's size.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// An answer as read off the wire.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How exchanges are recorded.
#[derive(Debug, Clone, Copy)]
pub struct Recording {
    /// Keep CPR numbers as they are (`--show-cpr`).
    pub show_cpr: bool,
}

impl Recording {
    pub fn text(&self, s: &str) -> String {
        if self.show_cpr {
            s.to_string()
        } else {
            cpr::mask_all(s).into_owned()
        }
    }
}

/// A request could not be sent or its answer not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub failure: Failure,
    pub detail: String,
}

/// Sends `request` and follows the redirects `follow` allows, one hop at a time: every hop is
/// recorded into `exchanges` with the URL it really went to, reads at most `limit` bytes of
/// each answer. A redirect to another origin never takes the Authorization header (or a
/// cookie) with it, and never goes from `https` to `http`; one not allowed is an error naming
/// where it pointed.
pub async fn send(
    client: &reqwest::Client,
    request: reqwest::Request,
    limit: usize,
    recording: Recording,
    follow: FollowRedirects,
    exchanges: &mut Vec<Exchange>,
) -> Result<RawResponse, SendError> {
    let mut request = request;
    let mut hops = 0;
    loop {
        let from = request.url().clone();
        let method = request.method().clone();
        let again = request.try_clone();
        let answer = send_one(client, request, limit, recording, exchanges).await?;
        let location = match answer.status {
            301 | 302 | 303 | 307 | 308 => answer.header("location"),
            _ => None,
        };
        let Some(location) = location else {
            return Ok(answer);
        };
        let refused = |why: String| SendError {
            failure: Failure::Other,
            detail: format!(
                "the target redirected (HTTP {}) to `{}`; not followed: {why}",
                answer.status,
                crate::sanitise::cap(&recording.text(location), 300)
            ),
        };
        let Ok(to) = from.join(location) else {
            return Err(refused("the Location header is not a URL".into()));
        };
        let same_origin = to.origin() == from.origin();
        let downgrade = from.scheme() == "https" && to.scheme() != "https";
        match follow {
            FollowRedirects::Never => {
                return Err(refused(
                    "the profile's `follow_redirects` is `never`".into(),
                ));
            }
            FollowRedirects::SameOrigin if !same_origin => {
                return Err(refused(
                    "it leaves the target's origin (the profile's `follow_redirects: any-host` would allow it)".into(),
                ));
            }
            FollowRedirects::AnyHost if downgrade => {
                return Err(refused("it goes from https to plain http".into()));
            }
            FollowRedirects::SameOrigin | FollowRedirects::AnyHost => {}
        }
        if !matches!(to.scheme(), "http" | "https") {
            return Err(refused("konform follows only http and https".into()));
        }
        if hops == MAX_REDIRECTS {
            return Err(refused(format!("more than {MAX_REDIRECTS} redirects")));
        }
        let Some(mut next) = again else {
            return Err(refused("the request's body cannot be sent again".into()));
        };
        *next.url_mut() = to;
        let to_get = answer.status == 303
            || (matches!(answer.status, 301 | 302) && method == reqwest::Method::POST);
        if to_get {
            *next.method_mut() = reqwest::Method::GET;
            *next.body_mut() = None;
            next.headers_mut().remove(reqwest::header::CONTENT_TYPE);
            next.headers_mut().remove(reqwest::header::CONTENT_LENGTH);
        }
        if !same_origin {
            for name in [
                reqwest::header::AUTHORIZATION,
                reqwest::header::PROXY_AUTHORIZATION,
                reqwest::header::COOKIE,
            ] {
                next.headers_mut().remove(name);
            }
        }
        request = next;
        hops += 1;
    }
}

/// Sends one request, records it into `exchanges`, reads at most `limit` bytes of the answer.
async fn send_one(
    client: &reqwest::Client,
    request: reqwest::Request,
    limit: usize,
    recording: Recording,
    exchanges: &mut Vec<Exchange>,
) -> Result<RawResponse, SendError> {
    exchanges.push(Exchange {
        request: record_request(&request, recording),
        response: None,
    });
    let mut response = client.execute(request).await.map_err(classify)?;
    let status = response.status().as_u16();
    let headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    if let Err(err) = read_into(&mut response, limit, &mut body).await {
        record_response(exchanges, status, &headers, &body, true, recording);
        return Err(err);
    }
    record_response(exchanges, status, &headers, &body, false, recording);
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Reads a whole body, at most `limit` bytes of it.
pub async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, SendError> {
    let mut body = Vec::new();
    read_into(&mut response, limit, &mut body).await?;
    Ok(body)
}

/// Streams a body into `body` chunk by chunk, stopping as soon as it would pass `limit`: an
/// answer of any size costs at most `limit` bytes of memory. A declared length over the limit
/// is refused before a byte is read.
async fn read_into(
    response: &mut reqwest::Response,
    limit: usize,
    body: &mut Vec<u8>,
) -> Result<(), SendError> {
    let too_large = |read: usize| SendError {
        failure: Failure::TooLarge,
        detail: format!("the answer is larger than the limit of {limit} bytes (read {read})"),
    };
    if let Some(declared) = response.content_length().filter(|l| *l > limit as u64) {
        return Err(SendError {
            failure: Failure::TooLarge,
            detail: format!(
                "the answer declares {declared} bytes, more than the limit of {limit} bytes"
            ),
        });
    }
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(too_large(body.len() + chunk.len()));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                let mut err = classify(e);
                if matches!(err.failure, Failure::Other | Failure::Refused) {
                    // The answer had begun: whatever broke, the connection broke mid-answer.
                    err.failure = Failure::Reset;
                }
                if err.failure == Failure::Reset {
                    err.detail = format!("the connection broke mid-answer: {}", err.detail);
                }
                return Err(err);
            }
        }
    }
}

fn record_request(request: &reqwest::Request, recording: Recording) -> RecordedRequest {
    let headers = request
        .headers()
        .iter()
        .map(|(n, v)| {
            let value = if n == reqwest::header::AUTHORIZATION {
                "***".to_string()
            } else {
                recording.text(&String::from_utf8_lossy(v.as_bytes()))
            };
            (n.as_str().to_string(), value)
        })
        .collect();
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .map(|b| recording.text(&cut(b).0))
        .unwrap_or_default();
    RecordedRequest {
        method: request.method().as_str().to_string(),
        url: recording.text(request.url().as_str()),
        headers,
        body,
    }
}

fn record_response(
    exchanges: &mut [Exchange],
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    cut_short: bool,
    recording: Recording,
) {
    let (text, truncated) = cut(body);
    if let Some(last) = exchanges.last_mut() {
        last.response = Some(RecordedResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.clone(), recording.text(v)))
                .collect(),
            body: recording.text(&text),
            truncated: truncated || cut_short,
        });
    }
}

/// The body as text, cut at [`RECORDED_BODY_LIMIT`] on a character boundary.
fn cut(body: &[u8]) -> (String, bool) {
    let text = String::from_utf8_lossy(body);
    if text.len() <= RECORDED_BODY_LIMIT {
        return (text.into_owned(), false);
    }
    let mut end = RECORDED_BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text[..end].to_string(), true)
}

/// Sorts a client error into a failure kind.
pub fn classify(e: reqwest::Error) -> SendError {
    let detail = error_chain(&e);
    let io_kind = {
        let mut source = e.source();
        let mut kind = None;
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                kind = Some(io.kind());
                break;
            }
            source = s.source();
        }
        kind
    };
    let lower = detail.to_lowercase();
    let failure = if e.is_timeout() {
        Failure::Timeout
    } else if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
        Failure::Refused
    } else if matches!(
        io_kind,
        Some(
            std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::UnexpectedEof
        )
    ) || lower.contains("connection closed")
        || lower.contains("incomplete message")
    {
        Failure::Reset
    } else if lower.contains("certificate") || lower.contains("tls") {
        Failure::Tls
    } else if e.is_connect() {
        Failure::Refused
    } else {
        Failure::Other
    };
    SendError { failure, detail }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
