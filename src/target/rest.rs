//! The REST transport: a JSON request to the method's verb and path, and the answer read into
//! an [`Outcome`]: `2xx` is a success with its JSON body (or none), a body of
//! `{ "errors": [ { "code": 4669, "text": "..." } ] }` a DFDG error, anything else a bare HTTP
//! status (README, "Wire formats").

use serde_json::Value;

use super::http::RawResponse;
use super::outcome::{DfdgError, Failure, Outcome};
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

/// Reads a REST answer.
pub fn outcome(resp: &RawResponse) -> Outcome {
    let status = resp.status;
    let text = String::from_utf8_lossy(&resp.body);
    if (200..300).contains(&status) {
        if text.trim().is_empty() {
            return Outcome::Success {
                status,
                body: Value::Null,
            };
        }
        return match serde_json::from_str::<Value>(&text) {
            Ok(body) => Outcome::Success { status, body },
            Err(e) => Outcome::TransportFailure {
                failure: Failure::Unparsable,
                detail: format!("HTTP {status} with a body that is not JSON: {e}"),
            },
        };
    }
    if let Some(errors) = dfdg_errors(&text) {
        return Outcome::DfdgError { status, errors };
    }
    Outcome::HttpStatus {
        status,
        body: text.into_owned(),
    }
}

/// The errors of a REST error body, if it is one with at least one code.
fn dfdg_errors(text: &str) -> Option<Vec<DfdgError>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let items = v.get("errors")?.as_array()?;
    let mut errors = Vec::new();
    for item in items {
        let code = match item.get("code")? {
            Value::Number(n) => u32::try_from(n.as_u64()?).ok()?,
            Value::String(s) => s.trim().parse().ok()?,
            _ => return None,
        };
        let text = item.get("text").and_then(Value::as_str).map(str::to_string);
        errors.push(DfdgError { code, text });
    }
    (!errors.is_empty()).then_some(errors)
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
            Outcome::HttpStatus { .. }
        ));
    }
}
