//! A request with its templates rendered, ready for a transport. The main type here is
//! [`RenderedRequest`].

use serde_json::Value;

use crate::plan::Omit;

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

impl RenderedRequest {
    /// Renders a planned request's templates against a case's context.
    pub fn render(
        planned: &crate::plan::PlannedRequest,
        ctx: &mut crate::case::template::Context<'_>,
    ) -> Result<RenderedRequest, crate::case::template::RenderError> {
        use crate::clock::TimeFormat;
        let mut pairs = |list: &[(String, crate::case::template::Template)]| {
            list.iter()
                .map(|(k, t)| Ok((k.clone(), t.render(ctx, TimeFormat::Natural)?)))
                .collect::<Result<Vec<_>, crate::case::template::RenderError>>()
        };
        let headers = pairs(&planned.headers)?;
        let path = pairs(&planned.path)?;
        let query = pairs(&planned.query)?;
        let body = planned.body.as_ref().map(|b| b.render(ctx)).transpose()?;
        let raw = planned
            .raw
            .as_ref()
            .map(|r| r.render(ctx, TimeFormat::Natural))
            .transpose()?;
        Ok(RenderedRequest {
            headers,
            path,
            query,
            body,
            raw,
            omit: planned.omit,
        })
    }
}
