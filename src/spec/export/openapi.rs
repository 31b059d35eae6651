//! OpenAPI 3.1 export: one document per REST service. Every method becomes an operation on its
//! verb and path, with its header, path and query parameters (`x-requestId` among them), its
//! JSON request body and its answer as schemas built from the spec's field trees (types,
//! patterns, lengths, ranges, cardinalities), the error body, the OAuth2 client-credentials
//! scheme with the documented scopes, and the codes the method may answer (`x-dfdg-codes`).
//! What rests on one of konform's readings rather than on a document line is listed in
//! `x-konform-reading`. The main entry point is [`service_document`].
//!
//! ```json
//! "/v1/ydelse": { "post": {
//!   "operationId": "CreateYdelse",
//!   "security": [{ "dfdg_oauth2": ["visiteringogstatus.ydelse.write"] }],
//!   "parameters": [{ "name": "x-requestId", "in": "header", "required": true,
//!                    "schema": { "type": "string", "maxLength": 46 } }, ...],
//!   "responses": { "200": ..., "400": { "$ref": "#/components/responses/DfdgErrors" }, ... },
//!   "x-dfdg-codes": [{ "code": 4669, "text": "Slutdatoen må ikke ligge før startdatoen", ... }]
//! } }
//! ```

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::spec::model::{
    Binding, Field, FieldKind, FieldLocation, Method, MethodStatus, ServiceSpec, Spec, Transport,
    body_fields,
};

use super::xsd::GUID_PATTERN;
use super::{ExportError, ExportFile, basis_text, generated_note};

/// The name of the security scheme.
pub const SECURITY_SCHEME: &str = "dfdg_oauth2";

/// A reading an operation rests on, from the overlay's catalogue: its name, the question, the
/// alternatives and konform's default (what the reference answers unless told otherwise).
fn reading(spec: &Spec, name: &str) -> Value {
    match spec.overlay.readings.get(name) {
        Some(r) => {
            let default = r
                .alternatives
                .iter()
                .find(|a| a.name == r.default)
                .map_or(String::new(), |a| a.means.clone());
            json!({
                "name": name,
                "reading": format!("{} konform's default: {} ({default}).", r.question, r.default),
                "alternatives": r.names(),
                "default": r.default,
            })
        }
        None => json!({ "name": name }),
    }
}

/// The OpenAPI document's file name of a service.
pub fn openapi_file(service: &str) -> String {
    format!("{service}.openapi.json")
}

/// The REST verb and path of a method: its binding's, or the overlay's where the document
/// gives none; with the overlay's basis when it came from there.
fn route(spec: &Spec, m: &Method) -> Option<(&'static str, String, Option<String>)> {
    let Binding::Rest { verb, path } = &m.binding else {
        return None;
    };
    let overlay = spec.overlay.rest_paths.get(&m.name);
    match overlay {
        Some(o) if path.trim().is_empty() || (o.path == *path && o.verb == *verb) => Some((
            o.verb.as_str(),
            o.path.clone(),
            Some(format!(
                "verb and path from overlay.yaml rest_paths ({})",
                basis_text(&o.basis)
            )),
        )),
        _ => Some((verb.as_str(), path.trim().to_string(), None)),
    }
}

/// The OpenAPI document of one REST service; `token_url` where the token endpoint is not the
/// reference's `<base>/oauth2/token`.
pub fn service_document(
    spec: &Spec,
    service: &ServiceSpec,
    base_url: &str,
    token_url: Option<&str>,
) -> Result<ExportFile, ExportError> {
    let base = base_url.trim_end_matches('/');
    let token_url = token_url
        .map(str::to_string)
        .unwrap_or_else(|| format!("{base}/oauth2/token"));
    let mut paths: Map<String, Value> = Map::new();
    let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &service.methods {
        let Some((verb, path, path_basis)) = route(spec, m) else {
            continue;
        };
        if path.is_empty() {
            return Err(ExportError::Service {
                service: service.service.clone(),
                message: format!(
                    "{} has no REST path (neither the document nor the overlay gives one)",
                    m.name
                ),
            });
        }
        if let Some(s) = &m.scope {
            scopes.entry(s.clone()).or_default().push(m.name.clone());
        }
        let op = operation(spec, service, m, path_basis);
        let item = paths
            .entry(path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let key = verb.to_ascii_lowercase();
        if item.get(&key).is_some() {
            return Err(ExportError::Service {
                service: service.service.clone(),
                message: format!("two methods on {verb} {path}"),
            });
        }
        item[&key] = op;
    }
    let scope_map: Map<String, Value> = scopes
        .into_iter()
        .map(|(s, methods)| (s, Value::String(format!("Used by {}.", methods.join(", ")))))
        .collect();
    let title = if service.version.is_empty() {
        service.service.clone()
    } else {
        service.version.clone()
    };
    let version = if service.version.is_empty() {
        "unversioned".to_string()
    } else {
        service.version.clone()
    };
    let mut inferences = service.inferences.clone();
    inferences.sort();
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": format!(
                "{} The DFDG service {} as konform's spec holds it (document {}). What the document does not say is marked: `x-konform-reading` names konform's reading, and the importer's inferences are listed in `x-konform-inferences`.",
                generated_note(service), service.service, service.source
            ),
            "x-dfdg-document": service.source,
        },
        "servers": [{ "url": base, "description": "konform's reference (`konform serve`)" }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "oauth2",
                    "description": "OAuth2 client credentials. konform's reference issues tokens at /oauth2/token to client_id `<organisation type>:<code>` (e.g. `JobCenter:10101`) with the secret of KONFORM_CLIENT_SECRET; the scopes are the documents'.",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": token_url,
                            "scopes": scope_map,
                        }
                    }
                }
            },
            "schemas": {
                "DfdgErrors": errors_schema(),
            },
            "responses": {
                "DfdgErrors": {
                    "description": "The call was rejected: every DFDG error found, with its code and text; a caller the access table does not list gets no body.",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DfdgErrors" } } },
                    "x-konform-reading": [reading(spec, "rest-error-body"), reading(spec, "refused-caller-status")],
                },
            },
        },
        "x-konform-inferences": inferences,
    });
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| ExportError::Service {
        service: service.service.clone(),
        message: e.to_string(),
    })?;
    text.push('\n');
    Ok(ExportFile {
        name: openapi_file(&service.service),
        content: text,
    })
}

fn errors_schema() -> Value {
    json!({
        "type": "object",
        "required": ["errors"],
        "additionalProperties": false,
        "properties": {
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["code", "text"],
                    "additionalProperties": false,
                    "properties": {
                        "code": { "type": "integer", "description": "The DFDG error code (fejlkode)." },
                        "text": { "type": "string", "description": "Its text (fejltekst) as the document writes it." },
                    }
                }
            }
        }
    })
}

fn operation(spec: &Spec, service: &ServiceSpec, m: &Method, path_basis: Option<String>) -> Value {
    let mut readings = vec![
        reading(spec, "rest-error-body"),
        reading(spec, "refused-caller-status"),
        reading(spec, "missing-token-status"),
        reading(spec, "unknown-json-members"),
    ];
    let mut description = String::new();
    if let Some(d) = &m.description {
        description.push_str(d.trim());
        description.push_str("\n\n");
    }
    description.push_str(&format!("Source: {} ({}).", service.source, m.name));
    if let Some(b) = &path_basis {
        description.push_str(&format!(" Reading: {b}."));
    }
    if !m.access.is_empty() {
        let rows: Vec<String> = m
            .access
            .iter()
            .map(|r| {
                let levels: Vec<&str> = r.levels.iter().map(|l| l.as_str()).collect();
                format!("{} ({})", r.organisation, levels.join(", "))
            })
            .collect();
        description.push_str(&format!(
            " Allowed organisations ({}): {}.",
            service.source,
            rows.join("; ")
        ));
    }
    for inference in &m.inferences {
        description.push_str(&format!(" Inferred by the importer: {inference}."));
    }

    let mut parameters = Vec::new();
    for f in &m.input {
        let location = match f.location {
            FieldLocation::Header => "header",
            FieldLocation::Path => "path",
            FieldLocation::Query => "query",
            FieldLocation::Body => continue,
        };
        let mut schema = leaf_schema(f);
        if f.name.eq_ignore_ascii_case("x-requestId") {
            // The request id is any string up to its documented length; the reference answers a
            // repeat with 412.
            schema = json!({ "type": "string" });
            if let Some(max) = f.length.and_then(|l| l.max) {
                schema["maxLength"] = json!(max);
            }
        }
        let mut p = json!({
            "name": f.name,
            "in": location,
            "required": f.is_required() || f.location == FieldLocation::Path,
            "schema": schema,
        });
        if let Some(d) = &f.description {
            p["description"] = json!(d.trim());
        }
        parameters.push(p);
    }

    let mut op = json!({
        "operationId": m.name,
        "summary": m.description.as_deref().map(first_sentence).unwrap_or_else(|| m.name.clone()),
        "description": description,
    });
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    if matches!(m.status, MethodStatus::Deprecated | MethodStatus::Withdrawn) {
        op["deprecated"] = json!(true);
    }
    op["security"] = json!([{ SECURITY_SCHEME: m.scope.iter().collect::<Vec<_>>() }]);

    // The request body: the children of the one body root (`requestBody`).
    let body_root = m
        .input
        .iter()
        .find(|f| f.location == FieldLocation::Body && !f.children.is_empty());
    if let Some(root) = body_root {
        let mut renamed = false;
        let schema = object_schema(body_fields(&m.input), &mut renamed);
        if renamed {
            readings.push(reading(spec, "renamed-members"));
        }
        if schema.to_string().contains("\"integer\"") {
            readings.push(reading(spec, "integer-literals"));
        }
        let mut body = json!({
            "required": root.is_required(),
            "content": { "application/json": { "schema": schema } },
        });
        if let Some(t) = &root.type_name {
            body["description"] = json!(format!("{t} ({})", service.source));
        }
        op["requestBody"] = body;
    }

    let mut responses = Map::new();
    let out = output_fields(m);
    if out.is_empty() {
        let description = match m.output.as_slice() {
            [root] => {
                readings.push(reading(spec, "empty-answer"));
                format!(
                    "Done, with no body: the document's answer {} ({}) has no members ({}).",
                    root.name,
                    root.type_name.as_deref().unwrap_or("untyped"),
                    service.source
                )
            }
            _ => format!("Done. The document shows no answer ({}).", service.source),
        };
        responses.insert("200".into(), json!({ "description": description }));
    } else {
        let mut renamed = false;
        let mut collapsed = false;
        let schema = output_schema(out, &mut renamed, &mut collapsed);
        if collapsed {
            readings.push(reading(spec, "collection-as-array"));
        }
        responses.insert(
            "200".into(),
            json!({
                "description": format!("The answer ({}).", service.source),
                "content": { "application/json": { "schema": schema } },
            }),
        );
    }
    responses.insert(
        "400".into(),
        json!({ "$ref": "#/components/responses/DfdgErrors" }),
    );
    responses.insert(
        "401".into(),
        json!({ "description": "No valid bearer token (a reading: refused-caller-status).",
                "headers": { "WWW-Authenticate": { "schema": { "type": "string" } } } }),
    );
    responses.insert(
        "403".into(),
        json!({ "description": "The token lacks the method's scope (a reading: refused-caller-status)." }),
    );
    let request_id_rule = spec
        .rules(&crate::spec::model::MethodRef { service, method: m })
        .into_iter()
        .find(|r| r.http_status == Some(412));
    if let Some(rule) = &request_id_rule {
        responses.insert(
            "412".into(),
            json!({ "description": format!("{} ({}, rule {})", rule.text, service.source, rule.id) }),
        );
    }
    if m.path_fields().next().is_some() {
        responses.insert(
            "404".into(),
            json!({ "description": "The path identifier names nothing (a reading: unknown-resource-status)." }),
        );
        readings.push(reading(spec, "unknown-resource-status"));
    }
    op["responses"] = Value::Object(responses);
    op["x-dfdg-codes"] = Value::Array(codes(spec, service, m));
    op["x-konform-reading"] = Value::Array(readings);
    op
}

fn first_sentence(s: &str) -> String {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

/// The codes a method may answer: the document's, then the overlay's general faults for REST.
fn codes(spec: &Spec, service: &ServiceSpec, m: &Method) -> Vec<Value> {
    let mut out: Vec<Value> = m
        .errors
        .iter()
        .map(|e| {
            let mut v = json!({ "code": e.code, "source": service.source });
            if let Some(t) = &e.text {
                v["text"] = json!(t);
            }
            if let Some(d) = &e.description {
                v["description"] = json!(d);
            }
            v
        })
        .collect();
    for g in &spec.overlay.general_faults {
        if g.transports.contains(&Transport::Rest) && m.error(g.code).is_none() {
            out.push(json!({
                "code": g.code,
                "text": g.text,
                "source": "overlay.yaml general_faults",
                "x-konform-reading": basis_text(&g.basis),
            }));
        }
    }
    out
}

/// The answer's fields: the children of the one root (`response`), or the fields themselves.
/// A root without children (UpdateSygemelding's `UpdateIllnessResponse`, an EmptyResponseType)
/// has no members: the answer has no body.
fn output_fields(m: &Method) -> &[Field] {
    match m.output.as_slice() {
        [only] => &only.children,
        other => other,
    }
}

fn output_schema(fields: &[Field], renamed: &mut bool, collapsed: &mut bool) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let schema = output_member(f, renamed, collapsed);
        props.insert(f.name.clone(), schema);
        if f.is_required() {
            required.push(Value::String(f.name.clone()));
        }
    }
    let mut s = json!({ "type": "object", "additionalProperties": false, "properties": props });
    if !required.is_empty() {
        s["required"] = Value::Array(required);
    }
    s
}

fn output_member(f: &Field, renamed: &mut bool, collapsed: &mut bool) -> Value {
    // A collection member whose one child is the repeated item is the array of items.
    if !f.occurs.is_repeated()
        && let [item] = f.children.as_slice()
        && item.occurs.is_repeated()
        && !item.children.is_empty()
    {
        *collapsed = true;
        let mut s = array_of(output_schema(&item.children, renamed, collapsed), item);
        describe(&mut s, f);
        return s;
    }
    let single = if f.children.is_empty() {
        leaf_schema(f)
    } else {
        let mut s = output_schema(&f.children, renamed, collapsed);
        describe(&mut s, f);
        s
    };
    if f.occurs.is_repeated() {
        array_of(single, f)
    } else {
        single
    }
}

fn array_of(items: Value, f: &Field) -> Value {
    let mut s = json!({ "type": "array", "items": items });
    if f.occurs.min > 0 {
        s["minItems"] = json!(f.occurs.min);
    }
    if let Some(max) = f.occurs.max {
        s["maxItems"] = json!(max);
    }
    s
}

fn describe(s: &mut Value, f: &Field) {
    let mut d = f.description.clone().unwrap_or_default();
    if let Some(t) = &f.type_name {
        if !d.is_empty() {
            d.push(' ');
        }
        d.push_str(&format!("({t})"));
    }
    if !d.is_empty() {
        s["description"] = json!(d.trim());
    }
}

/// A request object: its members, the required ones, no others (a reading). A renamed member
/// appears under its current name, the former one in its description: generators and fuzzers
/// handle plain objects, and the current name is what the document prescribes.
fn object_schema(fields: &[Field], renamed: &mut bool) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let mut member = request_member(f, renamed);
        if let Some(former) = f.former_name.as_ref().filter(|n| **n != f.name) {
            *renamed = true;
            let note = format!(
                "Formerly {former}; the reference still accepts that name (reading renamed-members)."
            );
            let text = match member.get("description").and_then(Value::as_str) {
                Some(d) => format!("{d} {note}"),
                None => note,
            };
            member["description"] = json!(text);
        }
        props.insert(f.name.clone(), member);
        if f.is_required() {
            required.push(Value::String(f.name.clone()));
        }
    }
    let mut s = json!({ "type": "object", "additionalProperties": false, "properties": props });
    if !required.is_empty() {
        s["required"] = Value::Array(required);
    }
    s
}

fn request_member(f: &Field, renamed: &mut bool) -> Value {
    let single = if f.children.is_empty() {
        leaf_schema(f)
    } else {
        let mut s = object_schema(&f.children, renamed);
        describe(&mut s, f);
        s
    };
    if f.occurs.is_repeated() {
        array_of(single, f)
    } else {
        single
    }
}

/// XSD's implicitly anchored pattern as a JSON Schema (ECMA 262) one.
pub fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

const DATE: &str = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])";
const TIME: &str = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?";
const ZONE: &str = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?";

/// A leaf's JSON Schema, as the reference validates it in JSON.
pub fn leaf_schema(f: &Field) -> Value {
    let kind = f.kind();
    let untyped = f.type_name.is_none() && f.base.is_none();
    let mut s = match kind {
        FieldKind::Integer => {
            let mut s = json!({ "type": "integer" });
            let base = [f.base.as_deref(), f.type_name.as_deref()];
            let int32 = base.contains(&Some("int"));
            let floor = match f.base.as_deref() {
                Some("nonNegativeInteger") => Some(0),
                Some("positiveInteger") => Some(1),
                _ => None,
            };
            // Without a documented range, the base type's: int is 32 bits; any other integer
            // travels as a 64-bit JSON number (the reference refuses larger ones with 1014).
            let (low, high) = if int32 {
                (i64::from(i32::MIN), i64::from(i32::MAX))
            } else {
                s["format"] = json!("int64");
                (i64::MIN, i64::MAX)
            };
            s["minimum"] = json!(f.min_inclusive.or(floor).unwrap_or(low));
            s["maximum"] = json!(f.max_inclusive.unwrap_or(high));
            s
        }
        FieldKind::Boolean => json!({ "type": "boolean" }),
        FieldKind::Date => {
            json!({ "type": "string", "pattern": anchored(&format!("{DATE}{ZONE}")) })
        }
        FieldKind::DateTime => {
            json!({ "type": "string", "pattern": anchored(&format!("{DATE}T{TIME}{ZONE}")) })
        }
        FieldKind::Time => {
            json!({ "type": "string", "pattern": anchored(&format!("{TIME}{ZONE}")) })
        }
        FieldKind::Guid => json!({
            "type": "string",
            "pattern": anchored(f.pattern.as_deref().unwrap_or(GUID_PATTERN)),
        }),
        FieldKind::String | FieldKind::Complex => {
            let mut s = json!({ "type": "string" });
            if let Some(p) = &f.pattern {
                s["pattern"] = json!(anchored(p));
            }
            s
        }
    };
    if let Some(len) = f.length
        && s["type"] == "string"
    {
        if let Some(min) = len.min {
            s["minLength"] = json!(min);
        }
        if let Some(max) = len.max {
            s["maxLength"] = json!(max);
        }
    }
    if untyped && kind == FieldKind::String {
        // The document gives no type: the reference takes a string, or a number or boolean
        // written as text, and checks the text.
        s["type"] = json!(["string", "number", "boolean"]);
    }
    describe(&mut s, f);
    s
}
