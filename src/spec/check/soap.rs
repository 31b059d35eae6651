//! A SOAP answer against its method: the fault rules of the SOAP version, or the response
//! element, its namespace and its children in the output table's sequence.

use super::shape::{AnswerShape, FieldShape};
use super::xml::{self, XNode};
use super::{Grounds, Mismatch, join, names, row_words, value};
use crate::soap::{SOAP11_NS, SOAP12_NS};
use crate::spec::model::FieldKind;

const SOAP11_FAULT_STATUS: &str = "SOAP 1.1 §6.2: a SOAP fault is answered with HTTP 500";
const SOAP12_FAULT_STATUS: &str =
    "SOAP 1.2 Part 2 §7.5.1.2: a fault is answered with HTTP 400 (env:Sender) or 500";
const SOAP11_FAULT_PARTS: &str = "SOAP 1.1 §4.4: a Fault has a faultcode and a faultstring";
const SOAP12_FAULT_PARTS: &str =
    "SOAP 1.2 Part 1 §5.4: a Fault has a Code with a Value and a Reason with a Text";

/// Checks one SOAP answer; returns whether it was a fault.
pub fn answer(
    shape: &AnswerShape,
    status: u16,
    text: &str,
    namespace: &str,
    out: &mut Vec<Mismatch>,
) -> bool {
    // The transport has read this envelope already; one it accepted that cannot be read again
    // here is never a silent pass.
    let envelope = match xml::parse(text) {
        Ok(envelope) => envelope,
        Err(e) => {
            out.push(Mismatch {
                path: "Envelope".into(),
                expected: "a SOAP envelope the answer checks can read".into(),
                got: e.chars().take(160).collect(),
                grounds: Grounds::Standard("SOAP 1.1 §4: the answer is one SOAP envelope"),
            });
            return false;
        }
    };
    let version_ns = envelope.namespace.as_deref().unwrap_or(SOAP11_NS);
    let v12 = version_ns == SOAP12_NS;
    let Some(body) = envelope
        .children
        .iter()
        .find(|c| c.local == "Body" && c.namespace.as_deref() == Some(version_ns))
    else {
        return false;
    };
    let Some(first) = body.children.first() else {
        return false;
    };
    if first.local == "Fault" && first.namespace.as_deref() == Some(version_ns) {
        fault(first, status, v12, out);
        return true;
    }
    if !(200..300).contains(&status) {
        // A success element on an error status is the transport's `HttpStatus`, judged there.
        return false;
    }
    if body.children.len() > 1 {
        out.push(Mismatch {
            path: "Body".into(),
            expected: "one response element".into(),
            got: format!("{} elements", body.children.len()),
            grounds: Grounds::Standard(
                "WS-I Basic Profile 1.1 R2201: a document-literal Body has one child element",
            ),
        });
    }
    success(shape, first, namespace, out);
    false
}

fn fault(f: &XNode, status: u16, v12: bool, out: &mut Vec<Mismatch>) {
    let status_ok = if v12 {
        status == 400 || status == 500
    } else {
        status == 500
    };
    if !status_ok {
        out.push(Mismatch {
            path: "HTTP status".into(),
            expected: if v12 {
                "HTTP 400 or 500 for a fault"
            } else {
                "HTTP 500 for a fault"
            }
            .into(),
            got: format!("a SOAP Fault on HTTP {status}"),
            grounds: Grounds::Standard(if v12 {
                SOAP12_FAULT_STATUS
            } else {
                SOAP11_FAULT_STATUS
            }),
        });
    }
    let parts: [(&str, Option<&str>); 2] = if v12 {
        [("Code", Some("Value")), ("Reason", Some("Text"))]
    } else {
        [("faultcode", None), ("faultstring", None)]
    };
    for (part, inner) in parts {
        let found = f
            .child(part)
            .is_some_and(|p| inner.is_none_or(|i| p.child(i).is_some()));
        if !found {
            let path = match inner {
                Some(i) => format!("Fault/{part}/{i}"),
                None => format!("Fault/{part}"),
            };
            out.push(Mismatch {
                path,
                expected: "present".into(),
                got: "nothing".into(),
                grounds: Grounds::Standard(if v12 {
                    SOAP12_FAULT_PARTS
                } else {
                    SOAP11_FAULT_PARTS
                }),
            });
        }
    }
}

fn success(shape: &AnswerShape, element: &XNode, namespace: &str, out: &mut Vec<Mismatch>) {
    let path = element.local.clone();
    if let Some((expected, grounds)) = &shape.response_element
        && element.local != *expected
    {
        out.push(Mismatch {
            path: path.clone(),
            expected: format!("the response element `{expected}`"),
            got: format!("`{}`", element.local),
            grounds: grounds.clone(),
        });
    }
    let ns_grounds = shape
        .namespace
        .as_ref()
        .map(|(_, g)| g.clone())
        .unwrap_or_else(|| Grounds::Reading("soap-namespace".into()));
    namespace_of(element, namespace, &path, &ns_grounds, out);
    let Some(fields) = &shape.fields else {
        return;
    };
    sequence(element, fields, namespace, &path, &ns_grounds, out);
}

fn namespace_of(
    e: &XNode,
    namespace: &str,
    path: &str,
    grounds: &Grounds,
    out: &mut Vec<Mismatch>,
) {
    if e.namespace.as_deref() != Some(namespace) {
        out.push(Mismatch {
            path: path.to_string(),
            expected: format!("namespace `{namespace}`"),
            got: match &e.namespace {
                Some(ns) => format!("`{ns}`"),
                None => "no namespace".into(),
            },
            grounds: grounds.clone(),
        });
    }
}

/// The children of a complex element against the rows below it, in their sequence.
fn sequence(
    parent: &XNode,
    fields: &[FieldShape],
    namespace: &str,
    path: &str,
    ns_grounds: &Grounds,
    out: &mut Vec<Mismatch>,
) {
    let table = Grounds::Document("the output table".into());
    let mut counts = vec![0u32; fields.len()];
    // The row of the last element read, and its name, for order messages.
    let mut last: Option<(usize, &str)> = None;
    for child in &parent.children {
        let here = join(path, &child.local);
        let Some(i) = fields.iter().position(|f| f.is_named(&child.local)) else {
            out.push(Mismatch {
                path: here,
                expected: names(fields),
                got: format!(
                    "an element `{}` the output table does not list",
                    child.local
                ),
                grounds: table.clone(),
            });
            continue;
        };
        if let Some((j, before)) = last
            && i < j
        {
            out.push(Mismatch {
                path: here.clone(),
                expected: format!(
                    "`{}` before `{before}` (the output table's sequence)",
                    fields[i].name
                ),
                got: format!("`{}` after `{before}`", child.local),
                grounds: table.clone(),
            });
        }
        if last.is_none_or(|(j, _)| i >= j) {
            last = Some((i, child.local.as_str()));
        }
        counts[i] += 1;
        namespace_of(child, namespace, &here, ns_grounds, out);
        let field = &fields[i];
        match field.kind {
            FieldKind::Complex => {
                sequence(child, &field.children, namespace, &here, ns_grounds, out)
            }
            FieldKind::String
            | FieldKind::Integer
            | FieldKind::Boolean
            | FieldKind::Date
            | FieldKind::DateTime
            | FieldKind::Time
            | FieldKind::Guid => {
                if !child.children.is_empty() {
                    out.push(Mismatch {
                        path: here,
                        expected: format!("a {} value", field.type_words()),
                        got: "child elements".into(),
                        grounds: table.clone(),
                    });
                } else if let Some(expected) = value::text(field, &child.text) {
                    out.push(Mismatch {
                        path: here,
                        expected,
                        got: format!("`{}`", shorten(&child.text)),
                        grounds: table.clone(),
                    });
                }
            }
        }
    }
    for (field, n) in fields.iter().zip(counts) {
        let few = n < field.occurs.min;
        let many = field.occurs.max.is_some_and(|m| n > m);
        if few || many {
            out.push(Mismatch {
                path: join(path, &field.name),
                expected: row_words(field),
                got: if n == 0 {
                    "nothing".into()
                } else {
                    format!("{n} elements")
                },
                grounds: table.clone(),
            });
        }
    }
}

/// A value cut for a message.
pub fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
