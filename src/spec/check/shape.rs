//! What a method's answer must look like, compiled once per method from its output table, its
//! binding, its error table and the overlay: the main type here is [`AnswerShape`]. Patterns
//! are compiled here, so checking an answer compiles nothing.

use std::collections::BTreeSet;

use crate::spec::model::{
    Binding, Field, FieldKind, LengthBound, MethodRef, MethodStatus, Occurs, Transport,
    WITHDRAWN_CODE,
};
use crate::spec::{Spec, XsdPattern};

use super::Grounds;

/// The answer contract of one method.
#[derive(Debug, Clone)]
pub struct AnswerShape {
    pub service: String,
    pub method: String,
    pub transport: Transport,
    /// SOAP: the element the Body must hold on success, and where its name comes from.
    pub response_element: Option<(String, Grounds)>,
    /// SOAP: the namespace of the response element and its children, and where it comes from.
    /// A target profile may name another one; the run passes the one in force.
    pub namespace: Option<(String, Grounds)>,
    /// The fields below the response root; `None` where the documents give no output table
    /// (then nothing is said about the answer's content).
    pub fields: Option<Vec<FieldShape>>,
    /// Every code the method may answer: its error table, the overlay's general faults for
    /// its transport, 4588 for a withdrawn method.
    pub codes: BTreeSet<u32>,
}

/// One row of an output table, ready to check.
#[derive(Debug, Clone)]
pub struct FieldShape {
    pub name: String,
    pub former_name: Option<String>,
    pub occurs: Occurs,
    pub kind: FieldKind,
    /// The type as written, for messages.
    pub type_name: Option<String>,
    pub pattern: Option<XsdPattern>,
    pub length: Option<LengthBound>,
    pub min_inclusive: Option<i64>,
    pub max_inclusive: Option<i64>,
    pub children: Vec<FieldShape>,
}

impl FieldShape {
    pub(crate) fn build(f: &Field) -> FieldShape {
        FieldShape {
            name: f.name.clone(),
            former_name: f.former_name.clone(),
            occurs: f.occurs,
            kind: f.kind(),
            type_name: f.type_name.clone(),
            // A pattern that does not compile is spec lint's business; the answer is then
            // checked for everything else.
            pattern: f.pattern.as_deref().and_then(|p| XsdPattern::new(p).ok()),
            length: f.length,
            min_inclusive: f.min_inclusive,
            max_inclusive: f.max_inclusive,
            children: f.children.iter().map(FieldShape::build).collect(),
        }
    }

    /// Whether an element or member of this name is this field (its current or former name).
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.former_name.as_deref() == Some(name)
    }

    /// REST: a collection whose only child repeats is written as a JSON array of that child
    /// (the reading [`super::JSON_COLLECTIONS`]); the child, if so.
    pub fn json_items(&self) -> Option<&FieldShape> {
        match self.children.as_slice() {
            [only] if !self.occurs.is_repeated() && only.occurs.is_repeated() => Some(only),
            _ => None,
        }
    }

    /// The type in words: `PersonCivilRegistrationIdentifierType (string)`.
    pub fn type_words(&self) -> String {
        let kind = kind_words(self.kind);
        match &self.type_name {
            Some(t) if t != kind => format!("{t} ({kind})"),
            Some(_) | None => kind.to_string(),
        }
    }
}

pub fn kind_words(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Complex => "complex",
        FieldKind::String => "string",
        FieldKind::Integer => "integer",
        FieldKind::Boolean => "boolean",
        FieldKind::Date => "date",
        FieldKind::DateTime => "dateTime",
        FieldKind::Time => "time",
        FieldKind::Guid => "guid",
    }
}

impl AnswerShape {
    /// Compiles the shape of one method's answer.
    pub fn build(spec: &Spec, m: MethodRef<'_>) -> AnswerShape {
        let method = m.method;
        let service = &m.service.service;
        let transport = method.binding.transport();
        let documented = |what: &str| Grounds::Document(format!("{what} of {}", method.name));
        let (response_element, namespace) = match &method.binding {
            Binding::Soap {
                response_element, ..
            } => {
                let element = match response_element {
                    Some(e) => (e.clone(), documented("the response element")),
                    None => (
                        format!("{}Response", method.name),
                        Grounds::Reading(
                            "soap-response-element: where the document names no response element, it is the method's name followed by `Response`".into(),
                        ),
                    ),
                };
                let namespace = match spec.overlay.soap_services.get(service) {
                    Some(s) => (
                        s.namespace.clone(),
                        Grounds::Overlay(format!("soap_services.{service}.namespace")),
                    ),
                    None => (
                        format!("urn:star:dfdg:{service}"),
                        Grounds::Reading(format!(
                            "soap-namespace: the overlay names no namespace for {service}; konform's default is used"
                        )),
                    ),
                };
                (Some(element), Some(namespace))
            }
            Binding::Rest { .. } => (None, None),
        };
        let fields = output_fields(method.output.as_slice(), &method.binding, &method.name);
        let mut codes: BTreeSet<u32> = method.errors.iter().map(|e| e.code).collect();
        codes.extend(
            spec.overlay
                .general_faults
                .iter()
                .filter(|f| f.transports.contains(&transport))
                .map(|f| f.code),
        );
        if method.status == MethodStatus::Withdrawn {
            codes.insert(WITHDRAWN_CODE);
        }
        // The codes of the rules it inherits by a sentence of its document.
        codes.extend(crate::spec::inherit::inherited_codes(spec, &m));
        AnswerShape {
            service: service.clone(),
            method: method.name.clone(),
            transport,
            response_element,
            namespace,
            fields: fields.map(|f| f.iter().map(FieldShape::build).collect()),
            codes,
        }
    }
}

/// The fields below the answer's root, as the transports read it: a SOAP answer below its
/// response element, a REST answer below its single complex root (`response`). A REST output
/// table whose one root has no rows (`EmptyResponseType`) says the answer has no content.
fn output_fields<'a>(output: &'a [Field], binding: &Binding, name: &str) -> Option<&'a [Field]> {
    if output.is_empty() {
        return None;
    }
    match binding {
        Binding::Soap {
            response_element, ..
        } => {
            let element = response_element
                .clone()
                .unwrap_or_else(|| format!("{name}Response"));
            match output {
                [only] if only.name == element || only.former_name.as_ref() == Some(&element) => {
                    Some(&only.children)
                }
                fields => Some(fields),
            }
        }
        Binding::Rest { .. } => match output {
            [only] => Some(&only.children),
            fields => Some(fields),
        },
    }
}
