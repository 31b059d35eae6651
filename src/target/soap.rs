//! The SOAP transport: the envelope with the caller headers around the request element (fields
//! in the spec's order, via [`crate::soap`]), and the answer read into an [`Outcome`]: a fault's
//! numeric codes (every `detail` error, else the `faultcode`) make a DFDG error; a response
//! element a success, shaped by the spec's output tree.

use serde_json::{Value, json};

use super::http::RawResponse;
use super::outcome::{DfdgError, Failure, Outcome};
use crate::soap::{self as codec, HeaderBlock, SoapVersion};
use crate::spec::model::Field;

/// The caller as the SOAP headers carry it.
#[derive(Debug, Clone)]
pub struct SoapCaller<'a> {
    pub organisation_type_id: Option<u32>,
    pub organisation_code: &'a str,
    pub user_identifier: &'a str,
    pub user_name: &'a str,
}

/// The two caller header blocks, less the ones a case leaves out.
pub fn caller_headers(
    caller: &SoapCaller<'_>,
    namespace: &str,
    active_organisation: bool,
    user_metadata: bool,
) -> Vec<HeaderBlock> {
    let mut out = Vec::with_capacity(2);
    if active_organisation {
        out.push(HeaderBlock {
            name: "ActiveOrganisationHeader".into(),
            namespace: namespace.to_string(),
            value: json!({
                "OrganisationTypeIdentifier": caller
                    .organisation_type_id
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                "OrganisationCode": caller.organisation_code,
            }),
        });
    }
    if user_metadata {
        out.push(HeaderBlock {
            name: "RequestUserMetadataHeader".into(),
            namespace: namespace.to_string(),
            value: json!({
                "UserIdentifier": caller.user_identifier,
                "UserName": caller.user_name,
            }),
        });
    }
    out
}

/// Reads a SOAP answer.
pub fn outcome(resp: &RawResponse, output: &[Field]) -> Outcome {
    let status = resp.status;
    let text = String::from_utf8_lossy(&resp.body);
    if text.trim().is_empty() {
        if (200..300).contains(&status) {
            return Outcome::TransportFailure {
                failure: Failure::Unparsable,
                detail: format!("HTTP {status} with an empty body where a SOAP envelope was due"),
            };
        }
        return Outcome::HttpStatus {
            status,
            body: String::new(),
        };
    }
    let envelope = match codec::parse_envelope(&text) {
        Ok(e) => e,
        Err(e) => {
            // A 200 or a 500 must carry an envelope; other statuses (401, 404, 412) may come
            // from a proxy or framework with any body.
            if (200..300).contains(&status) || status == 500 {
                return Outcome::TransportFailure {
                    failure: Failure::Unparsable,
                    detail: format!("HTTP {status} with an unreadable SOAP answer: {e}"),
                };
            }
            return Outcome::HttpStatus {
                status,
                body: text.into_owned(),
            };
        }
    };
    if let Some(fault) = envelope.fault() {
        let mut errors = detail_errors(&fault.detail);
        if errors.is_empty() {
            let code = fault.code.rsplit(':').next().unwrap_or("").trim();
            match code.parse::<u32>() {
                Ok(code) => errors.push(DfdgError {
                    code,
                    text: Some(fault.string.clone()).filter(|s| !s.is_empty()),
                }),
                Err(_) => {
                    return Outcome::TransportFailure {
                        failure: Failure::Unparsable,
                        detail: format!(
                            "a SOAP fault without a numeric code: faultcode `{}`, faultstring `{}`",
                            fault.code, fault.string
                        ),
                    };
                }
            }
        }
        return Outcome::DfdgError { status, errors };
    }
    if !(200..300).contains(&status) {
        return Outcome::HttpStatus {
            status,
            body: text.into_owned(),
        };
    }
    let mut body = envelope.body.map(|b| b.value).unwrap_or(Value::Null);
    // An empty response element reads as "", which is no body at all.
    if body == Value::String(String::new()) {
        body = Value::Null;
    }
    codec::shape_by_fields(&mut body, output);
    Outcome::Success { status, body }
}

/// `<detail><Errors><Error><Code/><Text/></Error>...</Errors></detail>`.
fn detail_errors(detail: &Value) -> Vec<DfdgError> {
    let Some(errors) = detail.get("Errors").and_then(|e| e.get("Error")) else {
        return Vec::new();
    };
    let items: Vec<&Value> = match errors {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter_map(|e| {
            let code = e.get("Code")?.as_str()?.trim().parse().ok()?;
            let text = e.get("Text").and_then(Value::as_str).map(str::to_string);
            Some(DfdgError { code, text })
        })
        .collect()
}

/// The content type and SOAPAction header for a version.
pub fn content_headers(version: SoapVersion, action: &str) -> Vec<(&'static str, String)> {
    match version {
        SoapVersion::V11 => vec![
            ("content-type", version.content_type().to_string()),
            ("soapaction", format!("\"{action}\"")),
        ],
        SoapVersion::V12 => vec![(
            "content-type",
            format!("{}; action=\"{action}\"", version.content_type()),
        )],
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

    #[test]
    fn reads_faults_with_every_detail_code() {
        let xml = codec::write_fault(
            SoapVersion::V11,
            &[(4653, "old".into()), (4657, "future".into())],
        );
        assert_eq!(outcome(&resp(500, &xml), &[]).codes(), vec![4653, 4657]);
        let xml12 = codec::write_fault(SoapVersion::V12, &[(1014, "bad".into())]);
        assert_eq!(outcome(&resp(500, &xml12), &[]).codes(), vec![1014]);
        let bare = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:8232</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#;
        assert_eq!(outcome(&resp(500, bare), &[]).codes(), vec![8232]);
        let no_code = bare.replace("s:8232", "s:Client");
        assert!(matches!(
            outcome(&resp(500, &no_code), &[]),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
    }

    #[test]
    fn reads_success_and_malformed_answers() {
        let ok = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><R xmlns="urn:x"><ServiceReceipt><MessageIdentifier>abc</MessageIdentifier></ServiceReceipt></R></s:Body></s:Envelope>"#;
        match outcome(&resp(200, ok), &[]) {
            Outcome::Success { body, .. } => {
                assert_eq!(body["ServiceReceipt"]["MessageIdentifier"], "abc")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            outcome(&resp(500, "<soap:Envelope><unclosed>"), &[]),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
        assert!(matches!(
            outcome(&resp(401, "<html>no</html>"), &[]),
            Outcome::HttpStatus { status: 401, .. }
        ));
        assert!(matches!(
            outcome(&resp(200, ""), &[]),
            Outcome::TransportFailure {
                failure: Failure::Unparsable,
                ..
            }
        ));
    }
}
