//! The exports as the reference serves them: `GET <SOAP endpoint>?wsdl` and the XSDs the WSDL
//! imports (`?xsd=<file>`), `GET /openapi/<Service>.json`, and an HTML index at `/` listing
//! the services, the documents they come from and their exports. Every answer is generated
//! from the reference's spec on the request, with the request's `Host` as the base URL, so
//! what is served is what `konform spec export` writes for that address.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::spec::export::{
    self, ExportOptions, SchemaLocations, is_rest, is_soap, openapi, wsdl, xsd,
};
use crate::spec::model::Spec;

/// The base URL a client reached the server by: `http://<Host>`, or the loopback address when
/// the header is missing or holds anything but a host and port.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn options(base_url: String) -> ExportOptions {
    ExportOptions {
        base_url,
        schema_locations: SchemaLocations::Served,
        ..ExportOptions::default()
    }
}

fn xml(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn failed(e: export::ExportError) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("the export failed: {e}\n"),
    )
        .into_response()
}

/// What a `GET` on a SOAP endpoint asks for, by its query: `wsdl`, `xsd=<file>`.
pub fn soap_get(spec: &Spec, service: &str, query: &str, headers: &HeaderMap) -> Option<Response> {
    let svc = spec.services.get(service)?;
    let opts = options(base_url(headers));
    let names = opts.soap_names(spec, service);
    for part in query.split('&') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        if key.eq_ignore_ascii_case("wsdl") {
            return Some(match wsdl::service_wsdl(spec, svc, &names, &opts) {
                Ok(f) => xml(f.content),
                Err(e) => failed(e),
            });
        }
        if key.eq_ignore_ascii_case("xsd") {
            if value == xsd::FAULT_FILE {
                return Some(xml(xsd::fault_schema().content));
            }
            let files = match xsd::service_schemas(spec, svc, &names) {
                Ok(f) => f,
                Err(e) => return Some(failed(e)),
            };
            return Some(match files.into_iter().find(|f| f.name == value) {
                Some(f) => xml(f.content),
                None => StatusCode::NOT_FOUND.into_response(),
            });
        }
    }
    None
}

/// `GET /openapi/<Service>.json`.
pub fn openapi_get(spec: &Spec, file: &str, headers: &HeaderMap) -> Response {
    let Some(service) = file
        .strip_suffix(".json")
        .and_then(|name| spec.services.get(name))
        .filter(|s| is_rest(s))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match openapi::service_document(spec, service, &base_url(headers)) {
        Ok(f) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            f.content,
        )
            .into_response(),
        Err(e) => failed(e),
    }
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The index page: services, their documents and their exports.
pub fn index(spec: &Spec) -> Response {
    let mut rows = String::new();
    let mut documents = String::new();
    for s in spec.services.values() {
        let mut links = Vec::new();
        let transport;
        if is_soap(s) {
            let names = ExportOptions::default().soap_names(spec, &s.service);
            let path = esc(&names.path);
            links.push(format!("<a href=\"{path}?wsdl\">WSDL</a>"));
            links.push(format!(
                "<a href=\"{path}?xsd={}\">XSD</a>",
                esc(&xsd::body_file(&s.service))
            ));
            if names.header_namespace != names.namespace {
                links.push(format!(
                    "<a href=\"{path}?xsd={}\">header XSD</a>",
                    esc(&xsd::header_file(&s.service))
                ));
            }
            links.push(format!(
                "<a href=\"{path}?xsd={}\">fault XSD</a>",
                xsd::FAULT_FILE
            ));
            transport = format!("SOAP at <code>{path}</code>");
        } else if is_rest(s) {
            links.push(format!(
                "<a href=\"/openapi/{}.json\">OpenAPI 3.1</a>",
                esc(&s.service)
            ));
            transport = "REST (OAuth2 tokens at <code>/oauth2/token</code>)".to_string();
        } else {
            transport = "no methods".to_string();
        }
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&s.service),
            transport,
            s.methods.len(),
            esc(&s.source),
            links.join(" · ")
        ));
        documents.push_str(&format!(
            "<li><code>{}</code>: {}</li>\n",
            esc(&s.source),
            esc(if s.version.is_empty() {
                &s.service
            } else {
                &s.version
            })
        ));
    }
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>konform reference</title>\
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}</style></head>\n\
<body><h1>konform reference implementation</h1>\n\
<p>The DFDG services as konform's spec holds them. The exports are generated from the spec on every request (<code>konform spec export</code> writes the same files).</p>\n\
<h2>Services</h2>\n<table><tr><th>Service</th><th>Transport</th><th>Methods</th><th>Document</th><th>Exports</th></tr>\n{rows}</table>\n\
<h2>Documents</h2>\n<ul>\n{documents}</ul>\n</body></html>\n"
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}
