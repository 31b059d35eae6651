//! A request with its templates rendered, ready for a transport. The main type here is
//! [`RenderedRequest`].

use serde_json::Value;

use crate::case::plan::Omit;

/// What to send, in transport-independent terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderedRequest {
    pub headers: Vec<(String, String)>,
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// The body below the request root; `None` sends no body (REST) or an empty request
    /// element (SOAP).
    pub body: Option<Value>,
    /// A body sent as it is, instead of `body`.
    pub raw: Option<String>,
    pub omit: Omit,
}
