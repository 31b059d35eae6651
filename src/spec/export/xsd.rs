//! XSD export: per SOAP service one schema of its request and response elements (target
//! namespace: the service's), one of the caller headers (the header namespace) and one shared
//! schema of the fault detail. Field trees become nested anonymous types: a leaf's XSD base
//! type from its kind, the document's pattern, length and range as facets, its cardinality as
//! `minOccurs`/`maxOccurs`, and a renamed element as a choice of its current and former name
//! (the reference accepts both). The main entry point is [`service_schemas`].
//!
//! ```xml
//! <xs:element name="PersonCivilRegistrationIdentifier">
//!   <xs:annotation><xs:documentation>Borgers personnummer. (PersonCivilRegistrationIdentifierType)</xs:documentation></xs:annotation>
//!   <xs:simpleType>
//!     <xs:restriction base="xs:string"><xs:pattern value="((((0[1-9]|...)[0-9]{6})|0000000000"/></xs:restriction>
//!   </xs:simpleType>
//! </xs:element>
//! ```

use std::collections::BTreeMap;

use crate::soap::FAULT_NAMESPACE;
use crate::spec::model::{
    Binding, Field, FieldKind, FieldLocation, Method, MethodStatus, Occurs, ServiceSpec, Spec,
};

use super::xml::XmlWriter;
use super::{ExportError, ExportFile, SoapNames, generated_note};

pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// The shared fault schema's file name.
pub const FAULT_FILE: &str = "dfdg-fault.xsd";

/// The pattern of a guid where the document gives none (what the reference checks).
pub const GUID_PATTERN: &str =
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/// The body schema's file name of a service.
pub fn body_file(service: &str) -> String {
    format!("{service}.xsd")
}

/// The header schema's file name of a service.
pub fn header_file(service: &str) -> String {
    format!("{service}.headers.xsd")
}

/// The request and response elements of a SOAP method, with the fields below each.
pub fn method_elements(method: &Method) -> Option<[(String, &[Field]); 2]> {
    let Binding::Soap {
        request_element,
        response_element,
        ..
    } = &method.binding
    else {
        return None;
    };
    let response = response_element
        .clone()
        .unwrap_or_else(|| format!("{}Response", method.name));
    let input = below(body_only(&method.input), request_element);
    let output = below(body_only(&method.output), &response);
    Some([(request_element.clone(), input), (response, output)])
}

/// The body-located fields of a tree (SOAP trees have no others; kept for safety).
fn body_only(fields: &[Field]) -> &[Field] {
    if fields.iter().all(|f| f.location == FieldLocation::Body) {
        fields
    } else {
        &[]
    }
}

/// The fields below a binding's element: the spec may list the element itself as the one
/// root, or its children directly (as the reference reads them).
fn below<'a>(fields: &'a [Field], element: &str) -> &'a [Field] {
    match fields {
        [only] if only.name == element => &only.children,
        _ => fields,
    }
}

/// The caller header elements: `ActiveOrganisationHeader` with the members the documents give
/// the element "used in a SOAP header" (InterviewService's `RegisteringAuthority`:
/// OrganisationTypeIdentifier and OrganisationCode), and `RequestUserMetadataHeader`, which
/// the documents do not describe.
pub fn header_fields(spec: &Spec) -> (Vec<Field>, Option<String>) {
    fn find(fields: &[Field]) -> Option<&Field> {
        fields.iter().find_map(|f| {
            let described = f
                .description
                .as_deref()
                .is_some_and(|d| d.contains("used in a SOAP header"));
            if described && !f.children.is_empty() {
                Some(f)
            } else {
                find(&f.children)
            }
        })
    }
    for m in spec.methods() {
        if let Some(f) = find(&m.method.input) {
            let members: Vec<Field> = f
                .children
                .iter()
                .filter(|c| c.name == "OrganisationTypeIdentifier" || c.name == "OrganisationCode")
                .cloned()
                .collect();
            if members.len() == 2 {
                let origin = format!(
                    "{}/{}/{} in {} (\"This element is used in a SOAP header\")",
                    m.service.service, m.method.name, f.name, m.service.source
                );
                return (members, Some(origin));
            }
        }
    }
    let leaf = |name: &str| Field {
        name: name.to_string(),
        former_name: None,
        location: FieldLocation::Body,
        type_name: Some("string".into()),
        base: Some("string".into()),
        occurs: Occurs::ONE,
        pattern: None,
        length: None,
        min_inclusive: None,
        max_inclusive: None,
        description: None,
        children: Vec::new(),
        at: None,
    };
    (
        vec![leaf("OrganisationTypeIdentifier"), leaf("OrganisationCode")],
        None,
    )
}

/// The RequestUserMetadataHeader's members as konform's transport sends them.
fn user_metadata_fields() -> Vec<Field> {
    ["UserIdentifier", "UserName"]
        .into_iter()
        .map(|name| Field {
            name: name.to_string(),
            former_name: None,
            location: FieldLocation::Body,
            type_name: Some("string".into()),
            base: Some("string".into()),
            occurs: Occurs::OPTIONAL,
            pattern: None,
            length: None,
            min_inclusive: None,
            max_inclusive: None,
            description: None,
            children: Vec::new(),
            at: None,
        })
        .collect()
}

/// The XSDs of one SOAP service: the body schema and, where the header namespace differs, the
/// header schema.
pub fn service_schemas(
    spec: &Spec,
    service: &ServiceSpec,
    names: &SoapNames,
) -> Result<Vec<ExportFile>, ExportError> {
    let mut files = Vec::new();
    let together = names.header_namespace == names.namespace;
    let mut w = schema_open(&names.namespace, &generated_note(service));
    w.open("xs:annotation", &[]);
    w.text(
        "xs:documentation",
        &[],
        &format!(
            "{} (document {}). Namespace {}: {}.",
            if service.version.is_empty() {
                service.service.as_str()
            } else {
                service.version.as_str()
            },
            service.source,
            names.namespace,
            names.basis
        ),
    );
    w.close("xs:annotation");
    // One declaration per element name; two methods naming the same element must agree.
    let mut seen: BTreeMap<String, (&str, &[Field])> = BTreeMap::new();
    for method in &service.methods {
        let Some(elements) = method_elements(method) else {
            continue;
        };
        for (i, (element, fields)) in elements.into_iter().enumerate() {
            if let Some((other, earlier)) = seen.get(&element) {
                if !crate::spec::model::same_definition(earlier, fields) {
                    return Err(ExportError::Service {
                        service: service.service.clone(),
                        message: format!(
                            "element {element} of {} differs from the one of {other}",
                            method.name
                        ),
                    });
                }
                continue;
            }
            seen.insert(element.clone(), (method.name.as_str(), fields));
            let role = if i == 0 { "request" } else { "response" };
            let doc = method_doc(service, method, role);
            write_top(&mut w, &element, &doc, fields);
        }
    }
    if together {
        write_headers(&mut w, spec);
    }
    w.close("xs:schema");
    files.push(ExportFile {
        name: body_file(&service.service),
        content: w.finish(),
    });
    if !together {
        let mut w = schema_open(&names.header_namespace, &generated_note(service));
        w.open("xs:annotation", &[]);
        w.text(
            "xs:documentation",
            &[],
            &format!(
                "The caller headers of {}. Namespace {}: {}.",
                service.service, names.header_namespace, names.basis
            ),
        );
        w.close("xs:annotation");
        write_headers(&mut w, spec);
        w.close("xs:schema");
        files.push(ExportFile {
            name: header_file(&service.service),
            content: w.finish(),
        });
    }
    Ok(files)
}

fn schema_open(namespace: &str, note: &str) -> XmlWriter {
    let mut w = XmlWriter::new();
    w.comment(note);
    w.open(
        "xs:schema",
        &[
            ("xmlns:xs", XS),
            ("targetNamespace", namespace),
            ("elementFormDefault", "qualified"),
        ],
    );
    w
}

fn method_doc(service: &ServiceSpec, method: &Method, role: &str) -> String {
    let status = match method.status {
        MethodStatus::Current => String::new(),
        MethodStatus::Deprecated => " Deprecated (udfaset).".to_string(),
        MethodStatus::Withdrawn => format!(
            " Withdrawn (BORTFALDER): answers {} to every call.",
            crate::spec::model::WITHDRAWN_CODE
        ),
    };
    let description = method
        .description
        .as_deref()
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    format!(
        "{}: the {role} (document {}).{status}{description}",
        method.name, service.source
    )
}

fn write_top(w: &mut XmlWriter, element: &str, doc: &str, fields: &[Field]) {
    w.open("xs:element", &[("name", element)]);
    documentation(w, doc);
    w.open("xs:complexType", &[]);
    if fields.is_empty() {
        w.empty("xs:sequence", &[]);
    } else {
        w.open("xs:sequence", &[]);
        for f in fields {
            write_field(w, f);
        }
        w.close("xs:sequence");
    }
    w.close("xs:complexType");
    w.close("xs:element");
}

fn write_headers(w: &mut XmlWriter, spec: &Spec) {
    let (members, origin) = header_fields(spec);
    let doc = match origin {
        Some(o) => format!(
            "The organisation the user acts as. Members from {o}; the element name and its use as a SOAP header block are konform's assumption (the documents name no header element)."
        ),
        None => "The organisation the user acts as. Assumption: the documents describe no header; members as konform's transport sends them.".to_string(),
    };
    write_top(w, "ActiveOrganisationHeader", &doc, &members);
    write_top(
        w,
        "RequestUserMetadataHeader",
        "The user behind the call. Assumption: the documents do not describe this header; the members are what konform's transport sends, and the reference requires one of them non-empty.",
        &user_metadata_fields(),
    );
}

fn documentation(w: &mut XmlWriter, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    w.open("xs:annotation", &[]);
    w.text("xs:documentation", &[], text.trim());
    w.close("xs:annotation");
}

fn occurs_attrs(occurs: Occurs) -> Vec<(&'static str, String)> {
    let mut attrs = Vec::new();
    if occurs.min != 1 {
        attrs.push(("minOccurs", occurs.min.to_string()));
    }
    match occurs.max {
        Some(1) => {}
        Some(max) => attrs.push(("maxOccurs", max.to_string())),
        None => attrs.push(("maxOccurs", "unbounded".to_string())),
    }
    attrs
}

fn write_field(w: &mut XmlWriter, field: &Field) {
    match &field.former_name {
        Some(former) if former != &field.name => {
            let attrs = occurs_attrs(field.occurs);
            let refs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            w.open("xs:choice", &refs);
            documentation(
                w,
                &format!(
                    "{} was called {former}; the reference accepts either name.",
                    field.name
                ),
            );
            write_element(w, field, &field.name, Occurs::ONE);
            write_element(w, field, former, Occurs::ONE);
            w.close("xs:choice");
        }
        _ => write_element(w, field, &field.name, field.occurs),
    }
}

fn field_doc(field: &Field) -> String {
    let mut doc = field.description.clone().unwrap_or_default();
    if let Some(t) = &field.type_name {
        if !doc.is_empty() {
            doc.push(' ');
        }
        doc.push_str(&format!("({t})"));
    }
    doc
}

fn write_element(w: &mut XmlWriter, field: &Field, name: &str, occurs: Occurs) {
    let occ = occurs_attrs(occurs);
    let mut attrs: Vec<(&str, &str)> = vec![("name", name)];
    attrs.extend(occ.iter().map(|(k, v)| (*k, v.as_str())));
    let simple = simple_type(field);
    match (&simple, field.children.is_empty()) {
        (Simple::Builtin(t), true) => {
            attrs.push(("type", t));
            let doc = field_doc(field);
            if doc.is_empty() {
                w.empty("xs:element", &attrs);
            } else {
                w.open("xs:element", &attrs);
                documentation(w, &doc);
                w.close("xs:element");
            }
        }
        (Simple::Restricted { base, facets }, true) => {
            w.open("xs:element", &attrs);
            documentation(w, &field_doc(field));
            w.open("xs:simpleType", &[]);
            w.open("xs:restriction", &[("base", base)]);
            for (facet, value) in facets {
                w.empty(facet, &[("value", value.as_str())]);
            }
            w.close("xs:restriction");
            w.close("xs:simpleType");
            w.close("xs:element");
        }
        (_, false) => {
            w.open("xs:element", &attrs);
            documentation(w, &field_doc(field));
            w.open("xs:complexType", &[]);
            w.open("xs:sequence", &[]);
            for c in &field.children {
                write_field(w, c);
            }
            w.close("xs:sequence");
            w.close("xs:complexType");
            w.close("xs:element");
        }
    }
}

/// A leaf's XSD type: a built-in one, or a restriction with facets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simple {
    Builtin(&'static str),
    Restricted {
        base: &'static str,
        facets: Vec<(&'static str, String)>,
    },
}

/// The XSD type of a leaf, as the reference validates it.
pub fn simple_type(field: &Field) -> Simple {
    let kind = field.kind();
    let mut facets: Vec<(&'static str, String)> = Vec::new();
    let base: &'static str = match kind {
        FieldKind::Complex | FieldKind::String => "xs:string",
        FieldKind::Integer => integer_base(field),
        FieldKind::Boolean => "xs:boolean",
        FieldKind::Date => "xs:date",
        FieldKind::DateTime => "xs:dateTime",
        FieldKind::Time => "xs:time",
        FieldKind::Guid => "xs:string",
    };
    // Length facets apply to strings only; a length on another kind makes the value a string
    // (the reference counts its characters all the same).
    let base = if field.length.is_some() && !matches!(kind, FieldKind::String | FieldKind::Guid) {
        "xs:string"
    } else {
        base
    };
    if let Some(p) = &field.pattern {
        facets.push(("xs:pattern", p.clone()));
    } else if kind == FieldKind::Guid {
        facets.push(("xs:pattern", GUID_PATTERN.to_string()));
    }
    if let Some(len) = field.length {
        if let Some(min) = len.min {
            facets.push(("xs:minLength", min.to_string()));
        }
        if let Some(max) = len.max {
            facets.push(("xs:maxLength", max.to_string()));
        }
    }
    if base != "xs:string" {
        if let Some(min) = field.min_inclusive {
            facets.push(("xs:minInclusive", min.to_string()));
        }
        if let Some(max) = field.max_inclusive {
            facets.push(("xs:maxInclusive", max.to_string()));
        }
    }
    if facets.is_empty() {
        Simple::Builtin(base)
    } else {
        Simple::Restricted { base, facets }
    }
}

fn integer_base(field: &Field) -> &'static str {
    let names = [field.base.as_deref(), field.type_name.as_deref()];
    for n in names.into_iter().flatten() {
        match n.trim() {
            "int" => return "xs:int",
            "long" => return "xs:long",
            "short" => return "xs:short",
            "nonNegativeInteger" => return "xs:nonNegativeInteger",
            "positiveInteger" => return "xs:positiveInteger",
            "integer" => return "xs:integer",
            _ => {}
        }
    }
    "xs:integer"
}

/// The shared schema of the fault detail: `<Errors><Error><Code/><Text/></Error>...</Errors>`
/// in [`FAULT_NAMESPACE`].
pub fn fault_schema() -> ExportFile {
    let mut w = XmlWriter::new();
    w.comment("Generated by `konform spec export`. Do not edit.");
    w.open(
        "xs:schema",
        &[
            ("xmlns:xs", XS),
            ("targetNamespace", FAULT_NAMESPACE),
            ("elementFormDefault", "qualified"),
        ],
    );
    w.open("xs:element", &[("name", "Errors")]);
    documentation(
        &mut w,
        "The detail of a DFDG SOAP fault: every error found, each with its numeric code and text; the fault's faultcode carries the first code and faultstring its text. Assumption: the documents list the codes and texts but not the fault's layout or namespace.",
    );
    w.open("xs:complexType", &[]);
    w.open("xs:sequence", &[]);
    w.open(
        "xs:element",
        &[("name", "Error"), ("maxOccurs", "unbounded")],
    );
    w.open("xs:complexType", &[]);
    w.open("xs:sequence", &[]);
    w.empty("xs:element", &[("name", "Code"), ("type", "xs:int")]);
    w.empty("xs:element", &[("name", "Text"), ("type", "xs:string")]);
    w.close("xs:sequence");
    w.close("xs:complexType");
    w.close("xs:element");
    w.close("xs:sequence");
    w.close("xs:complexType");
    w.close("xs:element");
    w.close("xs:schema");
    ExportFile {
        name: FAULT_FILE.to_string(),
        content: w.finish(),
    }
}
