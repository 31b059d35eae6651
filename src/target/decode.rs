//! An answer's bytes as text, with a specific reason for what a parser would only call a
//! syntax error: a compressed body konform did not ask for (it sends no `Accept-Encoding` and
//! never inflates, so a gzip bomb costs nothing), UTF-16, a byte order mark where JSON forbids
//! one, bytes that are not UTF-8. The main function here is [`body_text`].

use super::http::RawResponse;

/// What the body is due to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// JSON (RFC 8259 §8.1: UTF-8, and a sender must not add a byte order mark).
    Json,
    /// XML (a UTF-8 byte order mark is allowed and dropped).
    Xml,
}

/// The body as UTF-8 text, or why it is not.
pub fn body_text(resp: &RawResponse, due: Due) -> Result<&str, String> {
    let body = resp.body.as_slice();
    let encoding = resp
        .header("content-encoding")
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e != "identity");
    if let Some(encoding) = encoding {
        return Err(format!(
            "the answer is compressed (content-encoding: {}), which konform did not ask for and does not inflate",
            crate::sanitise::cap(&encoding, 40)
        ));
    }
    if body.starts_with(&[0x1f, 0x8b]) {
        return Err(
            "the answer is gzip data without a content-encoding header (konform does not inflate it)"
                .into(),
        );
    }
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return Err(format!(
            "the answer is UTF-16 (it starts with a UTF-16 byte order mark); {} answers are UTF-8",
            match due {
                Due::Json => "JSON",
                Due::Xml => "DFDG SOAP",
            }
        ));
    }
    let body = match (due, body.strip_prefix(&[0xEF, 0xBB, 0xBF])) {
        (Due::Json, Some(_)) => {
            return Err(
                "the answer starts with a UTF-8 byte order mark, which a JSON sender must not add (RFC 8259 §8.1)"
                    .into(),
            );
        }
        (Due::Xml, Some(rest)) => rest,
        (_, None) => body,
    };
    std::str::from_utf8(body).map_err(|e| {
        format!(
            "the answer is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(headers: &[(&str, &str)], body: &[u8]) -> RawResponse {
        RawResponse {
            status: 200,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
        }
    }

    #[test]
    fn names_what_is_wrong_with_the_bytes() {
        let e = |r: RawResponse, due| body_text(&r, due).unwrap_err();
        assert!(e(resp(&[("content-encoding", "gzip")], b"x"), Due::Json).contains("gzip"));
        assert!(e(resp(&[], b"\x1f\x8b\x08\0"), Due::Xml).contains("gzip"));
        assert!(e(resp(&[], b"\xFF\xFE<\0"), Due::Xml).contains("UTF-16"));
        assert!(e(resp(&[], b"\xEF\xBB\xBF{}"), Due::Json).contains("RFC 8259"));
        assert!(e(resp(&[], b"{\"a\":\"\xC3\"}"), Due::Json).contains("offset 6"));
        assert_eq!(
            body_text(&resp(&[], b"\xEF\xBB\xBF<a/>"), Due::Xml),
            Ok("<a/>")
        );
        assert_eq!(body_text(&resp(&[], b"{}"), Due::Json), Ok("{}"));
    }
}
