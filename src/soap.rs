//! SOAP 1.1 (and 1.2) envelopes, shared by the SOAP transport (which writes requests and reads
//! answers) and the reference implementation (which reads requests and writes answers).
//! The main types here are [`Envelope`], what a read envelope holds, and [`XmlError`].
//!
//! Payloads travel as JSON trees: an element with children becomes an object, a repeated
//! element an array, a leaf a string. Writing follows the spec's field order, so a case's body
//! map need not be ordered. The reader refuses DTDs and every entity but the five predefined
//! ones and character references (no XXE, no billion laughs), and limits depth and size.
//!
//! ```xml
//! <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
//!   <soap:Header>
//!     <h:ActiveOrganisationHeader xmlns:h="...">
//!       <h:OrganisationTypeIdentifier>2</h:OrganisationTypeIdentifier>
//!       <h:OrganisationCode>10101</h:OrganisationCode>
//!     </h:ActiveOrganisationHeader>
//!   </soap:Header>
//!   <soap:Body>
//!     <CreatePersonCategoryRequest xmlns="...">...</CreatePersonCategoryRequest>
//!   </soap:Body>
//! </soap:Envelope>
//! ```

use quick_xml::Reader;
use quick_xml::escape::escape;
use quick_xml::events::Event;
use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::spec::model::Field;

pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The namespace of a fault's `detail/Errors` element. konform's assumption: the documents list
/// codes and texts but not the fault's layout; the exported `dfdg-fault.xsd` declares it.
pub const FAULT_NAMESPACE: &str = "urn:star:dfdg:faults";

/// Deepest nesting the reader accepts.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoapVersion {
    V11,
    V12,
}

impl SoapVersion {
    pub fn namespace(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_NS,
            SoapVersion::V12 => SOAP12_NS,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            SoapVersion::V11 => "text/xml; charset=utf-8",
            SoapVersion::V12 => "application/soap+xml; charset=utf-8",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum XmlError {
    #[error("invalid XML: {0}")]
    Syntax(String),
    #[error("DTDs are refused")]
    Dtd,
    #[error(
        "entity `&{0};` is refused: only the predefined entities and character references are allowed"
    )]
    Entity(String),
    #[error("XML nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("not a SOAP envelope: {0}")]
    NotAnEnvelope(String),
}

/// A header block or the body's first element, as a named JSON tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Local name, without prefix.
    pub name: String,
    /// The element's namespace URI, where declared.
    pub namespace: Option<String>,
    pub value: Value,
}

/// A parsed envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub version: SoapVersion,
    pub headers: Vec<Element>,
    /// The body's first element (the request, the response or the Fault).
    pub body: Option<Element>,
}

/// A SOAP fault as DFDG writes it: the numeric code in `faultcode`, the text in `faultstring`,
/// and every error found in `detail`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub code: String,
    pub string: String,
    pub detail: Value,
}

impl Envelope {
    /// The fault, if the body holds one.
    pub fn fault(&self) -> Option<Fault> {
        let body = self.body.as_ref()?;
        if body.name != "Fault" {
            return None;
        }
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Object(m)) => m
                .get("Text")
                .or_else(|| m.get("Value"))
                .map(leaf_text)
                .unwrap_or_default(),
            _ => String::new(),
        };
        // SOAP 1.1: faultcode/faultstring/detail; SOAP 1.2: Code/Value, Reason/Text, Detail.
        let obj = body.value.as_object();
        let get = |k: &str| obj.and_then(|o| o.get(k));
        Some(Fault {
            code: text(get("faultcode").or_else(|| get("Code"))),
            string: text(get("faultstring").or_else(|| get("Reason"))),
            detail: get("detail")
                .or_else(|| get("Detail"))
                .cloned()
                .unwrap_or(Value::Null),
        })
    }

    pub fn header(&self, name: &str) -> Option<&Element> {
        self.headers.iter().find(|h| h.name == name)
    }
}

fn leaf_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m.values().next().map(leaf_text).unwrap_or_default(),
        Value::Array(a) => a.first().map(leaf_text).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Parses an XML document into its root [`Element`], refusing DTDs and custom entities.
pub fn parse_document(xml: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Element> = None;
    // The namespace bindings in scope, per prefix innermost last: a lookup is one hash probe
    // however many declarations the document nests (a scan of every open element's
    // declarations made a hostile answer quadratic).
    let mut scope: HashMap<String, Vec<String>> = HashMap::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::Syntax(e.to_string()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(XmlError::Syntax("content after the root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let (prefix, local) = match qname.split_once(':') {
                    Some((p, l)) => (p.to_string(), l.to_string()),
                    None => (String::new(), qname.clone()),
                };
                let mut declared: Vec<String> = Vec::new();
                // quick-xml's own duplicate check compares every attribute with every other
                // (quadratic in a hostile element's thousands of attributes); a set does it.
                let mut keys = std::collections::HashSet::new();
                for attr in e.attributes().with_checks(false) {
                    let attr = attr.map_err(|e| XmlError::Syntax(e.to_string()))?;
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    if !keys.insert(key.clone()) {
                        return Err(XmlError::Syntax(format!(
                            "attribute `{}` appears twice in <{qname}>",
                            crate::sanitise::cap(&key, 100)
                        )));
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| XmlError::Syntax(e.to_string()))?
                        .into_owned();
                    let bound = if key == "xmlns" {
                        Some(String::new())
                    } else {
                        key.strip_prefix("xmlns:").map(str::to_string)
                    };
                    if let Some(p) = bound {
                        scope.entry(p.clone()).or_default().push(value);
                        declared.push(p);
                    }
                }
                let namespace = scope.get(&prefix).and_then(|uris| uris.last()).cloned();
                let open = Open {
                    name: local,
                    namespace,
                    children: Vec::new(),
                    text: String::new(),
                    declared,
                };
                if matches!(event, Event::Empty(_)) {
                    unbind(&mut scope, &open.declared);
                    let value = Value::String(String::new());
                    close(&mut stack, &mut root, open.name, open.namespace, value);
                } else {
                    stack.push(open);
                }
            }
            Event::End(_) => {
                let open = stack
                    .pop()
                    .ok_or_else(|| XmlError::Syntax("unbalanced end tag".into()))?;
                unbind(&mut scope, &open.declared);
                let value = if open.children.is_empty() {
                    Value::String(open.text)
                } else {
                    children_to_object(open.children)
                };
                close(&mut stack, &mut root, open.name, open.namespace, value);
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| XmlError::Syntax(e.to_string()))?;
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(XmlError::Syntax("text outside the root element".into())),
                }
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|e| XmlError::Syntax(e.to_string()))?;
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| XmlError::Syntax(e.to_string()))?
                } else {
                    match name.as_str() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => return Err(XmlError::Entity(name)),
                    }
                };
                let ch = ch.ok_or_else(|| {
                    XmlError::Syntax(format!("invalid character reference &{name};"))
                })?;
                if let Some(open) = stack.last_mut() {
                    open.text.push(ch);
                }
            }
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Syntax("unexpected end of document".into()));
    }
    root.ok_or_else(|| XmlError::Syntax("no root element".into()))
}

/// An element being read: its name, namespace, children so far, text and the prefixes it
/// declared (unbound again when it closes).
struct Open {
    name: String,
    namespace: Option<String>,
    children: Vec<(String, Value)>,
    text: String,
    declared: Vec<String>,
}

/// Ends the bindings an element declared.
fn unbind(scope: &mut HashMap<String, Vec<String>>, declared: &[String]) {
    for prefix in declared {
        if let Some(uris) = scope.get_mut(prefix) {
            uris.pop();
        }
    }
}

fn close(
    stack: &mut [Open],
    root: &mut Option<Element>,
    name: String,
    namespace: Option<String>,
    value: Value,
) {
    match stack.last_mut() {
        Some(parent) => parent.children.push((name, value)),
        None => {
            *root = Some(Element {
                name,
                namespace,
                value,
            })
        }
    }
}

/// Folds child elements into an object; repeated names become arrays.
fn children_to_object(children: Vec<(String, Value)>) -> Value {
    let mut map = Map::new();
    for (name, value) in children {
        match map.get_mut(&name) {
            Some(Value::Array(items)) => items.push(value),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(name, value);
            }
        }
    }
    Value::Object(map)
}

/// Parses a SOAP envelope (1.1 or 1.2).
pub fn parse_envelope(xml: &str) -> Result<Envelope, XmlError> {
    let root = parse_document(xml)?;
    let version = match root.namespace.as_deref() {
        Some(SOAP11_NS) => SoapVersion::V11,
        Some(SOAP12_NS) => SoapVersion::V12,
        _ if root.name == "Envelope" => SoapVersion::V11,
        _ => {
            return Err(XmlError::NotAnEnvelope(format!(
                "root element is `{}`",
                root.name
            )));
        }
    };
    if root.name != "Envelope" {
        return Err(XmlError::NotAnEnvelope(format!(
            "root element is `{}`",
            root.name
        )));
    }
    // The tree lost child namespaces; headers and body are found by local name, which is
    // what STAR's services and their clients do in practice.
    let obj = match root.value {
        Value::Object(m) => m,
        _ => return Err(XmlError::NotAnEnvelope("empty envelope".into())),
    };
    let mut headers = Vec::new();
    if let Some(Value::Object(h)) = obj.get("Header") {
        for (name, value) in h {
            headers.push(Element {
                name: name.clone(),
                namespace: None,
                value: value.clone(),
            });
        }
    }
    let body = match obj.get("Body") {
        Some(Value::Object(b)) => b.iter().next().map(|(name, value)| Element {
            name: name.clone(),
            namespace: None,
            value: value.clone(),
        }),
        Some(_) => None,
        None => return Err(XmlError::NotAnEnvelope("no Body".into())),
    };
    Ok(Envelope {
        version,
        headers,
        body,
    })
}

/// A header block to write: element name, namespace, and its children as a JSON object.
#[derive(Debug, Clone)]
pub struct HeaderBlock {
    pub name: String,
    pub namespace: String,
    pub value: Value,
}

/// Writes an envelope around one body element. `fields` gives the order (and which members
/// are repeated) of the element's children; members not in `fields` follow in map order, so
/// a case can send an unknown element on purpose.
pub fn write_envelope(
    version: SoapVersion,
    headers: &[HeaderBlock],
    element: &str,
    namespace: &str,
    body: &Value,
    fields: &[Field],
) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str(r#"<?xml version="1.0" encoding="utf-8"?>"#);
    out.push_str(&format!(
        r#"<soap:Envelope xmlns:soap="{}">"#,
        version.namespace()
    ));
    if !headers.is_empty() {
        out.push_str("<soap:Header>");
        for h in headers {
            out.push_str(&format!(
                r#"<h:{} xmlns:h="{}">"#,
                h.name,
                escape(h.namespace.as_str())
            ));
            write_children(&mut out, "h:", &h.value, &[]);
            out.push_str(&format!("</h:{}>", h.name));
        }
        out.push_str("</soap:Header>");
    }
    out.push_str("<soap:Body>");
    out.push_str(&format!(r#"<{element} xmlns="{}">"#, escape(namespace)));
    write_children(&mut out, "", body, fields);
    out.push_str(&format!("</{element}>"));
    out.push_str("</soap:Body></soap:Envelope>");
    out
}

/// Writes a SOAP fault: `faultcode` carries the numeric DFDG code, `faultstring` its text, and
/// `detail` every error found as `<Error><Code/><Text/></Error>` in [`FAULT_NAMESPACE`].
pub fn write_fault(version: SoapVersion, errors: &[(u32, String)]) -> String {
    let (code, text) = errors
        .first()
        .cloned()
        .unwrap_or((1011, "Internal error".to_string()));
    let mut detail = String::new();
    for (c, t) in errors {
        detail.push_str(&format!(
            "<Error><Code>{c}</Code><Text>{}</Text></Error>",
            escape(t.as_str())
        ));
    }
    let fault = match version {
        SoapVersion::V11 => format!(
            "<soap:Fault><faultcode>{code}</faultcode><faultstring>{}</faultstring><detail><Errors xmlns=\"{FAULT_NAMESPACE}\">{detail}</Errors></detail></soap:Fault>",
            escape(text.as_str())
        ),
        SoapVersion::V12 => format!(
            "<soap:Fault><soap:Code><soap:Value>{code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"da\">{}</soap:Text></soap:Reason><soap:Detail><Errors xmlns=\"{FAULT_NAMESPACE}\">{detail}</Errors></soap:Detail></soap:Fault>",
            escape(text.as_str())
        ),
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{}"><soap:Body>{fault}</soap:Body></soap:Envelope>"#,
        version.namespace()
    )
}

fn write_children(out: &mut String, prefix: &str, value: &Value, fields: &[Field]) {
    let Value::Object(map) = value else {
        out.push_str(&escape(scalar_text(value).as_str()));
        return;
    };
    let mut written: Vec<&str> = Vec::new();
    for field in fields {
        let key = if map.contains_key(&field.name) {
            Some(field.name.as_str())
        } else {
            field
                .former_name
                .as_deref()
                .filter(|f| map.contains_key(*f))
        };
        if let Some(key) = key {
            write_member(out, prefix, key, &map[key], &field.children);
            written.push(key);
        }
    }
    for (key, v) in map {
        if !written.contains(&key.as_str()) {
            write_member(out, prefix, key, v, &[]);
        }
    }
}

fn write_member(out: &mut String, prefix: &str, name: &str, value: &Value, children: &[Field]) {
    match value {
        Value::Array(items) => {
            for item in items {
                write_member(out, prefix, name, item, children);
            }
        }
        Value::Null => {}
        _ => {
            out.push_str(&format!("<{prefix}{name}>"));
            write_children(out, prefix, value, children);
            out.push_str(&format!("</{prefix}{name}>"));
        }
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Reshapes a parsed JSON tree by the spec: members whose field is repeated become arrays
/// even when they occurred once. Members not in `fields` are left as they are.
pub fn shape_by_fields(value: &mut Value, fields: &[Field]) {
    let Value::Object(map) = value else { return };
    for field in fields {
        if let Some(v) = map.get_mut(&field.name) {
            if field.occurs.is_repeated() && !v.is_array() {
                let single = v.take();
                *v = Value::Array(vec![single]);
            }
            match v {
                Value::Array(items) => items
                    .iter_mut()
                    .for_each(|i| shape_by_fields(i, &field.children)),
                other => shape_by_fields(other, &field.children),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_an_envelope_with_headers() {
        let xml = write_envelope(
            SoapVersion::V11,
            &[HeaderBlock {
                name: "ActiveOrganisationHeader".into(),
                namespace: "urn:h".into(),
                value: json!({"OrganisationTypeIdentifier": "2", "OrganisationCode": "10101"}),
            }],
            "CreatePersonCategoryRequest",
            "urn:s",
            &json!({"PersonCategory": {"IncidentDate": "2025-01-01T00:00:00", "PersonCategoryTypeIdentifier": 3}, "PersonCivilRegistrationIdentifier": "0101901234"}),
            &[],
        );
        let env = parse_envelope(&xml).unwrap();
        assert_eq!(env.version, SoapVersion::V11);
        assert_eq!(
            env.header("ActiveOrganisationHeader").unwrap().value["OrganisationCode"],
            "10101"
        );
        let body = env.body.unwrap();
        assert_eq!(body.name, "CreatePersonCategoryRequest");
        assert_eq!(
            body.value["PersonCategory"]["PersonCategoryTypeIdentifier"],
            "3"
        );
    }

    #[test]
    fn reads_a_fault() {
        let xml = write_fault(
            SoapVersion::V11,
            &[(4653, "too old & wrong".into()), (4657, "future".into())],
        );
        let fault = parse_envelope(&xml).unwrap().fault().unwrap();
        assert_eq!(fault.code, "4653");
        assert_eq!(fault.string, "too old & wrong");
        assert_eq!(fault.detail["Errors"]["Error"][1]["Code"], "4657");
        let xml12 = write_fault(
            SoapVersion::V12,
            &[(1014, "Failed to validate message".into())],
        );
        let fault = parse_envelope(&xml12).unwrap().fault().unwrap();
        assert_eq!(fault.code, "1014");
        assert_eq!(fault.string, "Failed to validate message");
    }

    #[test]
    fn refuses_dtds_and_entities() {
        let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
        assert_eq!(parse_document(xxe), Err(XmlError::Dtd));
        let laughs = r#"<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>"#;
        assert_eq!(parse_document(laughs), Err(XmlError::Dtd));
        assert_eq!(
            parse_document("<r>&x;</r>"),
            Err(XmlError::Entity("x".into()))
        );
        assert_eq!(
            parse_document("<r>&lt;&#65;</r>").unwrap().value,
            json!("<A")
        );
    }

    #[test]
    fn namespace_declarations_cost_linear_time() {
        // 60 nested levels each declaring 2,000 prefixes, then 50,000 elements at the bottom:
        // the old lookup scanned every declaration in scope per element (6e9 comparisons).
        let mut xml = String::new();
        for level in 0..60 {
            xml.push_str(&format!("<l{level}"));
            for p in 0..2000 {
                xml.push_str(&format!(" xmlns:p{p}=\"urn:{level}\""));
            }
            xml.push('>');
        }
        xml.push_str(&"<p1:a/>".repeat(50_000));
        for level in (0..60).rev() {
            xml.push_str(&format!("</l{level}>"));
        }
        let started = std::time::Instant::now();
        let root = parse_document(&xml).expect("parses");
        assert_eq!(root.name, "l0");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "took {:?}",
            started.elapsed()
        );
        let e = parse_document(r#"<a x="1" x="2"/>"#).unwrap_err();
        assert!(e.to_string().contains("twice"), "{e}");
    }

    #[test]
    fn refuses_malformed_and_deep_documents() {
        assert!(matches!(
            parse_document("<a><b></a>"),
            Err(XmlError::Syntax(_))
        ));
        assert!(matches!(parse_document("<a>"), Err(XmlError::Syntax(_))));
        assert!(matches!(parse_document(""), Err(XmlError::Syntax(_))));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(parse_document(&deep), Err(XmlError::TooDeep));
        assert!(matches!(
            parse_envelope("<notsoap/>"),
            Err(XmlError::NotAnEnvelope(_))
        ));
    }
}
