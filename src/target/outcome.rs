//! What a target answered, normalised across REST and SOAP, and what was sent. The runner
//! compares an [`Outcome`] with a case's `then`; reporters show it beside the
//! [`Exchange`] that produced it.

use serde::{Deserialize, Serialize};

/// A target's answer to one request, in transport-independent terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Outcome {
    /// A success answer; `body` is the JSON body (REST) or the response element as JSON
    /// (SOAP: elements become keys, repeated elements arrays, text leaves strings).
    Success {
        status: u16,
        body: serde_json::Value,
    },
    /// A DFDG error: every code and text the answer carried (REST error body, SOAP fault).
    DfdgError { status: u16, errors: Vec<DfdgError> },
    /// An HTTP status without a readable DFDG error (412, 401, 404, ...).
    HttpStatus { status: u16, body: String },
    /// The request did not get a readable answer.
    TransportFailure { failure: Failure, detail: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DfdgError {
    pub code: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Why a request got no readable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Failure {
    /// No answer within the case timeout.
    Timeout,
    /// The connection was refused.
    Refused,
    /// The connection broke mid-answer.
    Reset,
    /// An answer came but could not be read (invalid XML or JSON, a fault without a code,
    /// a wrong content type).
    Unparsable,
    /// The answer was larger than the response size limit.
    TooLarge,
    /// TLS could not be established.
    Tls,
    /// Anything else the HTTP client reported.
    Other,
}

impl Failure {
    /// Whether sending again may help: no answer came at all (the connection was refused or
    /// broke). A timeout has spent the case's time; an unreadable answer is an answer.
    pub fn retriable(self) -> bool {
        match self {
            Failure::Refused | Failure::Reset => true,
            Failure::Timeout
            | Failure::Unparsable
            | Failure::TooLarge
            | Failure::Tls
            | Failure::Other => false,
        }
    }

    /// The failure in words, for reasons, logs and reports: the one wording of a failure.
    pub fn describe(self) -> &'static str {
        match self {
            Failure::Timeout => "timeout",
            Failure::Refused => "connection refused",
            Failure::Reset => "connection reset",
            Failure::Unparsable => "unreadable answer",
            Failure::TooLarge => "answer too large",
            Failure::Tls => "TLS failure",
            Failure::Other => "transport failure",
        }
    }
}

impl Outcome {
    /// The DFDG codes, sorted, if this is a DFDG error.
    pub fn codes(&self) -> Vec<u32> {
        match self {
            Outcome::DfdgError { errors, .. } => {
                let mut codes: Vec<u32> = errors.iter().map(|e| e.code).collect();
                codes.sort_unstable();
                codes
            }
            Outcome::Success { .. }
            | Outcome::HttpStatus { .. }
            | Outcome::TransportFailure { .. } => Vec::new(),
        }
    }
}

/// One request as sent and the raw answer as received, for reports. CPR numbers are masked
/// here before any report sees them, unless the run was asked to show them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: RecordedRequest,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    /// Header name and value; secrets (Authorization) are replaced by `***`.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body, cut at 64 KiB for the report (`truncated` says so).
    pub body: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}
