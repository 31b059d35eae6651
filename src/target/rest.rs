//! The REST transport: a JSON request to the method's verb and path, and the answer read into
//! an [`Outcome`]: `2xx` is a success with its JSON body (or none), a body of
//! `{ "errors": [ { "code": 4669, "text": "..." } ] }` a DFDG error, anything else a bare HTTP
//! status (README, "Wire formats").

use serde_json::Value;

use super::http::RawResponse;
use super::locate::{self, Found, PathStyle};
use super::outcome::{Failure, Outcome};
use super::profile::ErrorLocation;
use super::request::RenderedRequest;

/// Fills `{param}` placeholders of a path; an unknown parameter stays as written.
pub fn fill_path(path: &str, params: &[(String, String)]) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        match params.iter().find(|(n, _)| n == name) {
            Some((_, v)) => out.push_str(&encode_segment(v)),
            None => out.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Builds the request body text: `raw` as written, else the JSON body.
pub fn body_text(req: &RenderedRequest) -> Option<String> {
    if let Some(raw) = &req.raw {
        return Some(raw.clone());
    }
    req.body.as_ref().map(Value::to_string)
}

/// Reads a REST answer; `locations` say where an error body holds its codes.
///
/// - `2xx`: a success with its JSON body, or none. A body that is not JSON, or whose content
///   type is not JSON, is unreadable.
/// - otherwise: a DFDG error when a location yields codes; unreadable when the body claims to
///   be JSON and is not, or holds a code that is not a number; else a bare HTTP status.
pub fn outcome(resp: &RawResponse, locations: &[ErrorLocation]) -> Outcome {
    let status = resp.status;
    let content_type = resp.header("content-type").unwrap_or("").to_string();
    let json_typed = content_type.to_ascii_lowercase().contains("json");
    let unreadable = |detail: String| Outcome::TransportFailure {
        failure: Failure::Unparsable,
        detail,
    };
    let text = match super::decode::body_text(resp, super::decode::Due::Json) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        // An error status may come from a framework with any body; its bytes still show.
        Err(_) if !(200..300).contains(&status) && !json_typed => {
            String::from_utf8_lossy(&resp.body)
        }
        Err(why) => return unreadable(format!("HTTP {status}: {why}")),
    };
    if (200..300).contains(&status) {
        if text.trim().is_empty() {
            return Outcome::Success {
                status,
                body: Value::Null,
            };
        }
        if !content_type.is_empty() && !json_typed {
            return unreadable(format!(
                "HTTP {status} with content type `{content_type}` where JSON was due: {}",
                snippet(&text)
            ));
        }
        return match serde_json::from_str::<Value>(&text) {
            Ok(body) => Outcome::Success { status, body },
            Err(e) => unreadable(format!("HTTP {status} with a body that is not JSON: {e}")),
        };
    }
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        // 401, 404, 412 often come with no body whatever the content type says: the status
        // is the answer.
        return Outcome::HttpStatus {
            status,
            body: String::new(),
        };
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(body) => match locate::errors_at(&body, locations, PathStyle::JsonPointer) {
            Found::Codes(errors) => Outcome::DfdgError { status, errors },
            Found::Unreadable(why) => {
                unreadable(format!("HTTP {status} with an error body: {why}"))
            }
            Found::Nothing => Outcome::HttpStatus {
                status,
                body: text.into_owned(),
            },
        },
        Err(e) if json_typed || trimmed.starts_with('{') || trimmed.starts_with('[') => {
            unreadable(format!("HTTP {status} with a body that is not JSON: {e}"))
        }
        Err(_) => Outcome::HttpStatus {
            status,
            body: text.into_owned(),
        },
    }
}

/// The start of a body, on one line, for a reason.
pub fn snippet(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(120).collect::<String>())
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn typed(status: u16, content_type: &str, body: &str) -> RawResponse {
        RawResponse {
            headers: vec![("content-type".into(), content_type.into())],
            ..resp(status, body)
        }
    }

    fn outcome(resp: &RawResponse) -> Outcome {
        super::outcome(resp, &crate::target::profile::ErrorCodes::default().rest)
    }

    #[test]
    fn fills_and_encodes_path_parameters() {
        let p = vec![("id".to_string(), "a b/c".to_string())];
        assert_eq!(fill_path("/v1/x/{id}/y", &p), "/v1/x/a%20b%2Fc/y");
        assert_eq!(fill_path("/v1/{other}", &p), "/v1/{other}");
    }

    #[test]
    fn reads_answers() {
        assert_eq!(
            outcome(&resp(204, "")),
            Outcome::Success {
                status: 204,
                body: Value::Null
            }
        );
        assert!(matches!(
            outcome(&resp(200, "{\"a\":1}")),
            Outcome::Success { .. }
        ));
        assert!(matches!(
            outcome(&resp(200, "<html>")),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
        let err = outcome(&resp(
            400,
            r#"{"errors":[{"code":4669,"text":"t"},{"code":"9393"}]}"#,
        ));
        assert_eq!(err.codes(), vec![4669, 9393]);
        assert!(matches!(
            outcome(&resp(412, "")),
            Outcome::HttpStatus { status: 412, .. }
        ));
        assert!(matches!(
            outcome(&resp(400, r#"{"errors":[]}"#)),
            Outcome::HttpStatus { status: 400, .. }
        ));
        assert!(matches!(
            outcome(&resp(400, r#"{"errors":[{"code":"x"}]}"#)),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
    }

    #[test]
    fn wrong_content_types_and_broken_json_are_unreadable() {
        let html = typed(200, "text/html", "<html><body>Welcome</body></html>");
        match outcome(&html) {
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                detail,
            } => assert!(detail.contains("content type `text/html`"), "{detail}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            outcome(&typed(200, "application/json; charset=utf-8", "{\"a\":1}")),
            Outcome::Success { .. }
        ));
        assert!(matches!(
            outcome(&typed(400, "application/json", "{\"errors\": [")),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
        assert!(matches!(
            outcome(&typed(
                500,
                "text/html",
                "<html>Internal Server Error</html>"
            )),
            Outcome::HttpStatus { status: 500, .. }
        ));
    }
}
