//! The SOAP transport: the envelope with the caller headers around the request element (fields
//! in the spec's order, via [`crate::soap`]), and the answer read into an [`Outcome`]: a fault's
//! numeric codes (every `detail` error, else the `faultcode`) make a DFDG error; a response
//! element a success, shaped by the spec's output tree.

use serde_json::{Map, Value, json};

use super::http::RawResponse;
use super::locate::{self, Found, PathStyle};
use super::outcome::{Failure, Outcome};
use super::profile::ErrorLocation;
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

/// Reads a SOAP answer; `locations` say where a fault holds its codes.
pub fn outcome(resp: &RawResponse, output: &[Field], locations: &[ErrorLocation]) -> Outcome {
    let status = resp.status;
    let unreadable = |detail: String| Outcome::TransportFailure {
        failure: Failure::Unparsable,
        detail,
    };
    // A 200 or a 500 must carry an envelope; other statuses (401, 404, 412) may come from a
    // proxy or framework with any body.
    let envelope_due = (200..300).contains(&status) || status == 500;
    let text = match super::decode::body_text(resp, super::decode::Due::Xml) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(why) if envelope_due => return unreadable(format!("HTTP {status}: {why}")),
        Err(_) => String::from_utf8_lossy(&resp.body),
    };
    if text.trim().is_empty() {
        if (200..300).contains(&status) {
            return unreadable(format!(
                "HTTP {status} with an empty body where a SOAP envelope was due"
            ));
        }
        return Outcome::HttpStatus {
            status,
            body: String::new(),
        };
    }
    let content_type = resp.header("content-type").unwrap_or("");
    if envelope_due
        && !content_type.is_empty()
        && !content_type.to_ascii_lowercase().contains("xml")
    {
        return unreadable(format!(
            "HTTP {status} with content type `{content_type}` where a SOAP envelope was due: {}",
            super::rest::snippet(&text)
        ));
    }
    let envelope = match codec::parse_envelope(&text) {
        Ok(e) => e,
        Err(e) => {
            if envelope_due {
                return unreadable(format!("HTTP {status} with an unreadable SOAP answer: {e}"));
            }
            return Outcome::HttpStatus {
                status,
                body: text.into_owned(),
            };
        }
    };
    if let Some(fault) = envelope.fault() {
        // The fault's own members, with the SOAP 1.1 names standing for their 1.2 kin.
        let mut root = match envelope.body.as_ref().map(|b| &b.value) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        root.insert("faultcode".into(), Value::String(fault.code.clone()));
        root.insert("faultstring".into(), Value::String(fault.string.clone()));
        root.insert("detail".into(), fault.detail.clone());
        let root = Value::Object(root);
        return match locate::errors_at(&root, locations, PathStyle::Elements) {
            Found::Codes(errors) => Outcome::DfdgError { status, errors },
            Found::Unreadable(_) | Found::Nothing => unreadable(format!(
                "a SOAP fault without a numeric code: faultcode `{}`, faultstring `{}`",
                fault.code, fault.string
            )),
        };
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

    fn outcome(resp: &RawResponse, output: &[Field]) -> Outcome {
        super::outcome(
            resp,
            output,
            &crate::target::profile::ErrorCodes::default().soap,
        )
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
    fn a_quarter_million_errors_are_all_read() {
        let mut xml = String::from(
            r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>x</faultstring><detail><Errors>"#,
        );
        xml.push_str(&"<Error><Code>9393</Code></Error>".repeat(250_000));
        xml.push_str("</Errors></detail></soap:Fault></soap:Body></soap:Envelope>");
        // Every code is read (the verdict needs them all); the per-case budget trims later.
        let codes = outcome(&resp(500, &xml), &[]).codes();
        assert_eq!(codes.len(), 250_000);
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
