//! Answers checked as strictly as requests: every answer of every case against the method's
//! output table and the wire rules, not only the fields a case names. The main types here are
//! [`AnswerShape`] (compiled once per method) and [`Mismatch`] (one way an answer departs from
//! it, with its path, what the spec says, what came back and the grounds).
//!
//! What is checked:
//!
//! - a success answer's content, row by row of the output table: element and member names
//!   (current or former), the SOAP namespace, the SOAP sequence order, cardinality (mandatory
//!   rows present, `0 - 1` at most once), the XSD type's lexical form and, over REST, the JSON
//!   type, patterns, lengths and ranges, and nothing the table does not list;
//! - an error answer against the wire rules: a SOAP fault never on a 2xx, on HTTP 500 for
//!   SOAP 1.1 (400 or 500 for SOAP 1.2), with its mandatory parts; a REST DFDG error never on a
//!   2xx; every code one the method documents or a general fault.
//!
//! ```text
//! `CreatePersonCategoryResponse/ServiceReceipt/MessageIdentifier`: the spec says guid (occurs 1), got nothing
//! `CreatePersonCategoryResponse`: the spec says namespace `urn:star:dfdg:PersonRegistrationService`, got `urn:other` (grounds: overlay soap_services.PersonRegistrationService.namespace, an assumption)
//! ```

mod rest;
pub mod shape;
mod soap;
pub mod value;
pub mod xml;

use std::fmt;

use serde_json::Value;

pub use rest::json_words;
pub use shape::{AnswerShape, FieldShape};

/// The reading behind the JSON shape of REST collections (see [`FieldShape::json_items`]).
pub const JSON_COLLECTIONS: &str = "rest-json-collections: a REST output row whose only child repeats (`ydelser` of `YdelseDto`) is a JSON array of that child; the documents print tables, not JSON";

/// What a check rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grounds {
    /// A table of the service document (output table, error table, binding).
    Document(String),
    /// An overlay entry: an assumption where the documents are silent.
    Overlay(String),
    /// A reading konform makes where the documents are silent, named.
    Reading(String),
    /// A published standard the binding follows (SOAP 1.1, SOAP 1.2, HTTP).
    Standard(&'static str),
}

impl fmt::Display for Grounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grounds::Document(what) => write!(f, "{what}"),
            Grounds::Overlay(entry) => write!(f, "overlay {entry}, an assumption"),
            Grounds::Reading(r) => write!(f, "reading {r}"),
            Grounds::Standard(s) => f.write_str(s),
        }
    }
}

/// One way an answer departs from the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where: element or member names from the answer's root, `/`-separated, with item
    /// indexes (`ydelser/0/startdato`); `HTTP status` for the status line.
    pub path: String,
    /// What the spec says, in words.
    pub expected: String,
    /// What came back, in words.
    pub got: String,
    pub grounds: Grounds,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: the spec says {}, got {}",
            self.path, self.expected, self.got
        )?;
        match &self.grounds {
            Grounds::Document(_) => Ok(()),
            g @ (Grounds::Overlay(_) | Grounds::Reading(_) | Grounds::Standard(_)) => {
                write!(f, " (grounds: {g})")
            }
        }
    }
}

/// An answer as the checks see it.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// A REST success; `body` is the parsed JSON (`Null` for an empty body).
    RestSuccess { status: u16, body: &'a Value },
    /// A REST DFDG error with its codes.
    RestError { status: u16, codes: &'a [u32] },
    /// A SOAP answer (success or fault) as received; `codes` are the fault's codes, read by
    /// the transport; `namespace` is the one in force (the overlay's or the profile's).
    Soap {
        status: u16,
        xml: &'a str,
        codes: &'a [u32],
        namespace: &'a str,
    },
}

/// Checks one answer against its method's shape.
pub fn check(shape: &AnswerShape, answer: Answer<'_>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    match answer {
        Answer::RestSuccess { status, body } => rest::success(shape, status, body, &mut out),
        Answer::RestError { status, codes } => {
            if (200..300).contains(&status) {
                out.push(Mismatch {
                    path: "HTTP status".into(),
                    expected: "an error status (4xx or 5xx) with a DFDG error".into(),
                    got: format!("HTTP {status}"),
                    grounds: Grounds::Standard(
                        "RFC 9110 §15.3: a 2xx status means the request succeeded",
                    ),
                });
            }
            documented_codes(shape, codes, &mut out);
        }
        Answer::Soap {
            status,
            xml,
            codes,
            namespace,
        } => {
            let is_fault = soap::answer(shape, status, xml, namespace, &mut out);
            if is_fault {
                documented_codes(shape, codes, &mut out);
            }
        }
    }
    out
}

fn documented_codes(shape: &AnswerShape, codes: &[u32], out: &mut Vec<Mismatch>) {
    // Each undocumented code once, however often the answer repeats it.
    let mut seen = std::collections::BTreeSet::new();
    for code in codes {
        if !shape.codes.contains(code) && seen.insert(*code) {
            out.push(Mismatch {
                path: "error".into(),
                expected: format!(
                    "a code {} documents or a general fault ({})",
                    shape.method,
                    shape
                        .codes
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                got: format!("code {code}"),
                grounds: Grounds::Document(format!(
                    "the error table of {} and the overlay's general_faults",
                    shape.method
                )),
            });
        }
    }
}

/// The shape of one row, for unit tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn shape_of_field(f: &crate::spec::model::Field) -> FieldShape {
    shape::FieldShape::build(f)
}

/// The path below a parent.
fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// The rows allowed at a level, for messages: `` `a`, `b` ``.
fn names(fields: &[FieldShape]) -> String {
    if fields.is_empty() {
        return "no content".into();
    }
    let list: Vec<String> = fields.iter().map(|f| format!("`{}`", f.name)).collect();
    format!("one of {}", list.join(", "))
}

/// A row's cardinality and type in words: `guid (occurs 1)`.
fn row_words(f: &FieldShape) -> String {
    format!("{} (occurs {})", f.type_words(), f.occurs)
}

#[cfg(test)]
mod tests;
