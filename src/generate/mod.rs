//! Negative cases generated from the field constraints of the spec (`konform gen`): each
//! required field missing, each constrained field violated (pattern, length, range, type), each
//! bound just outside (and just inside, accepted), an unknown element, a single element
//! repeated; and the cross-cutting rules of every method ([`cross`]: caller headers, tokens,
//! scopes, repeated request ids; [`twice`]: two violations in one request; [`identity`]:
//! another citizen's identifier; [`lifecycle`]: the item after a delete; [`midnight`]: clock
//! rules at Danish midnight; [`inherit`]: rules a method inherits from another). The main entry point is [`generate`].
//!
//! Generation is deterministic: the same spec and corpus give the same cases, in the same
//! order, with the same ids. Each generated case starts from a *base*, the first hand-written
//! success case of its method without setup calls, and changes exactly one thing, so the
//! expected answer follows from the change alone: 1001 for a CPR that fails its pattern, 1014
//! for any other schema violation, success for a value just inside its bound.

pub mod cross;
pub mod identity;
pub mod inherit;
pub mod lifecycle;
pub mod midnight;
mod rewrite;
pub mod twice;
mod values;

use std::collections::BTreeSet;

use serde_json::Value;

use crate::case::model::{Case, Covers, Origin, SuccessFlag, Then, When};
use crate::spec::model::{Binding, Field, MethodStatus};
use crate::spec::{MethodRef, Spec};

pub use values::Violation;

/// The code for a CPR that fails its pattern.
pub const INVALID_CPR: u32 = 1001;
/// The code for any other schema violation.
pub const FAILED_TO_VALIDATE: u32 = 1014;

/// The expectation of a schema violation answered with `code` (1001 for a CPR, 1014 for the
/// rest), as the documents and the readings ground it: the documented code; for a CPR, the
/// reading cpr-pattern-code where the method lists 1001 or 1014, and a refusal without a code
/// where it lists neither; for another violation the method does not list 1014 for, the
/// reading schema-fault-code.
pub fn schema_then(documented: &dyn Fn(u32) -> bool, code: u32) -> Then {
    let error = |c: u32| Then::Error { error: c };
    let refused = Then::Refused {
        refused: SuccessFlag(true),
    };
    if code == INVALID_CPR {
        if documented(INVALID_CPR) || documented(FAILED_TO_VALIDATE) {
            return by_reading(
                "cpr-pattern-code",
                [
                    ("1001", error(INVALID_CPR)),
                    ("1014", error(FAILED_TO_VALIDATE)),
                ],
            );
        }
        return refused;
    }
    if documented(code) {
        return error(code);
    }
    if code == FAILED_TO_VALIDATE {
        return by_reading(
            "schema-fault-code",
            [("1014", error(code)), ("any", refused)],
        );
    }
    error(code)
}

/// A `then` per alternative of `reading`.
pub fn by_reading<const N: usize>(reading: &str, alternatives: [(&str, Then); N]) -> Then {
    Then::ByReading {
        by_reading: crate::case::model::ByReading {
            reading: reading.to_string(),
            expect: alternatives
                .into_iter()
                .map(|(a, t)| (a.to_string(), t))
                .collect(),
        },
    }
}

/// The tag every generated case carries.
pub const TAG: &str = "generated";

/// What [`generate`] made, and the methods it could not derive cases for.
#[derive(Debug, Default)]
pub struct Generated {
    pub cases: Vec<Case>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub service: String,
    pub method: String,
    pub reason: String,
}

/// Generates the negative cases of every current and deprecated method that has a base case
/// in `corpus`.
pub fn generate(spec: &Spec, corpus: &[Case]) -> Generated {
    let mut out = Generated::default();
    for m in spec.methods() {
        if m.method.status == MethodStatus::Withdrawn {
            continue;
        }
        let base = corpus.iter().find(|c| {
            c.service == m.service.service
                && c.method == m.method.name
                && !c.origin.generated
                && c.given.calls.is_empty()
                && c.when.raw.is_none()
                && matches!(c.then, Then::Success { .. })
        });
        // A deprecated method has no success: its valid call (answered 4588, after the caller
        // is checked) is the base of its cross-cutting cases, though not of the others.
        let refused_base = || {
            corpus.iter().find(|c| {
                c.service == m.service.service
                    && c.method == m.method.name
                    && !c.origin.generated
                    && c.given.calls.is_empty()
                    && c.when.raw.is_none()
                    && matches!(c.then, Then::Error { error } if error == crate::spec::model::WITHDRAWN_CODE)
            })
        };
        // The cross-cutting cases omit a header or a token whatever the base expects, so a
        // base that succeeds under one alternative of a reading only (GetInterviewInfo's empty
        // request) still serves them, though not the field cases.
        let reading_base = || {
            corpus.iter().find(|c| {
                c.service == m.service.service
                    && c.method == m.method.name
                    && !c.origin.generated
                    && c.given.calls.is_empty()
                    && c.when.raw.is_none()
                    && matches!(&c.then, Then::ByReading { by_reading }
                        if by_reading.expect.values().any(Then::is_success))
            })
        };
        if base.is_none() {
            let cross_base = if m.method.status == MethodStatus::Deprecated {
                refused_base()
            } else {
                None
            }
            .or_else(reading_base);
            if let Some(b) = cross_base {
                out.cases
                    .extend(cross::for_method(spec, m, b, &id_prefix(spec, m)));
            }
        }
        let Some(base) = base else {
            out.skipped.push(Skipped {
                service: m.service.service.clone(),
                method: m.method.name.clone(),
                reason: "no hand-written success case without setup calls to derive from".into(),
            });
            continue;
        };
        let prefix = id_prefix(spec, m);
        let (cases, unanswerable) = for_method(spec, m, base);
        if twice::applies(spec, m) {
            out.cases.extend(twice::for_method(base, &cases, &prefix));
        }
        out.cases.extend(cases);
        out.cases.extend(cross::for_method(spec, m, base, &prefix));
        out.cases
            .extend(identity::for_method(spec, m, corpus, &prefix));
        out.cases
            .extend(lifecycle::for_method(spec, m, corpus, &prefix));
        out.cases
            .extend(midnight::for_method(spec, m, corpus, &prefix));
        out.cases
            .extend(inherit::for_method(spec, m, corpus, &prefix));
        if !unanswerable.is_empty() {
            out.skipped.push(Skipped {
                service: m.service.service.clone(),
                method: m.method.name.clone(),
                reason: format!(
                    "violations expecting {} left out: the method does not document the code and the overlay has no general fault for it",
                    unanswerable.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    out
}

/// Whether `method` can answer `code`: it documents it, or the overlay has it as a general
/// fault of the method's transport.
fn answerable(spec: &Spec, m: MethodRef<'_>, code: u32) -> bool {
    let transport = m.method.binding.transport();
    m.method.error(code).is_some()
        || spec
            .overlay
            .general_faults
            .iter()
            .any(|f| f.code == code && f.transports.contains(&transport))
}

/// The start of a method's generated ids: its name, and its service's where two services
/// share the name (AddInterviewParticipant), so ids stay unique across the corpus.
fn id_prefix(spec: &Spec, m: MethodRef<'_>) -> String {
    let method = m.method;
    if spec
        .methods()
        .filter(|o| o.method.name == method.name)
        .count()
        > 1
    {
        format!("{}.{}", method.name, service_slug(&m.service.service))
    } else {
        method.name.clone()
    }
}

/// Where a field travels in a case's `when`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Body,
    Header,
    Path,
}

/// The generated cases of one method, derived from `base`, and the codes whose violations were
/// left out because the method cannot answer them.
pub fn for_method(spec: &Spec, m: MethodRef<'_>, base: &Case) -> (Vec<Case>, BTreeSet<u32>) {
    let method = m.method;
    let prefix = id_prefix(spec, m);
    let mut cases = Vec::new();
    let mut unanswerable = BTreeSet::new();
    let mut emit = |path: &str, slot: Slot, violation: Violation, when: When| {
        let expected = violation.expected();
        if let Some(code) = expected
            && !answerable(spec, m, code)
        {
            unanswerable.insert(code);
            return;
        }
        let documented = |code: u32| method.error(code).is_some();
        // The field whose documented row the violation breaks (an unknown element breaks none).
        let fields = match violation {
            Violation::UnknownElement => Vec::new(),
            _ => vec![path.to_string()],
        };
        let (then, covers, assumes) = match expected {
            Some(code) => {
                let covers = if documented(code) {
                    Covers {
                        codes: vec![code],
                        rules: Vec::new(),
                        fields,
                    }
                } else {
                    Covers {
                        fields,
                        ..Covers::default()
                    }
                };
                // A method that does not list the schema codes still has to answer a schema
                // violation somehow; konform expects the general code, which is an assumption.
                let assumes = if documented(code) {
                    Vec::new()
                } else {
                    vec![format!("general_faults.{code}")]
                };
                let mut then = schema_then(&documented, code);
                // An unknown JSON member: rejected, or ignored (the reading
                // unknown-json-members), where the call succeeds as its base does.
                if violation == Violation::UnknownElement
                    && matches!(method.binding, Binding::Rest { .. })
                    && spec.overlay.readings.contains_key("unknown-json-members")
                {
                    then = by_reading(
                        "unknown-json-members",
                        [
                            ("rejected-1014", then),
                            (
                                "ignored",
                                Then::Success {
                                    success: SuccessFlag(true),
                                    fields: Default::default(),
                                },
                            ),
                        ],
                    );
                }
                (then, covers, assumes)
            }
            None => (
                Then::Success {
                    success: SuccessFlag(true),
                    fields: Default::default(),
                },
                Covers::default(),
                Vec::new(),
            ),
        };
        let slug = path.replace(['/', ' '], ".");
        cases.push(Case {
            id: format!("{prefix}.gen.{slug}.{}", violation.slug()),
            title: format!("{} {}", display_path(slot, path), violation.describe()),
            service: base.service.clone(),
            method: base.method.clone(),
            covers,
            tags: vec![TAG.to_string(), violation.class().to_string()],
            assumes,
            given: base.given.clone(),
            when,
            then,
            origin: Origin {
                file: format!("konform gen (from {})", base.id),
                line: 0,
                generated: true,
            },
        });
    };

    // Body fields, depth first, in spec order.
    let mut stack: Vec<(String, &Field)> = method
        .body_fields()
        .iter()
        .rev()
        .map(|f| (f.name.clone(), f))
        .collect();
    while let Some((path, field)) = stack.pop() {
        for child in field.children.iter().rev() {
            stack.push((format!("{path}/{}", child.name), child));
        }
        let parent_present = match path.rsplit_once('/') {
            Some((parent, _)) => get_path(&base.when.body, parent).is_some(),
            None => true,
        };
        if !parent_present {
            continue;
        }
        let present = get_path(&base.when.body, &path).is_some();
        for violation in values::violations(field, present, is_cpr(field)) {
            let mut when = base.when.clone();
            if apply_body(&mut when.body, &path, &violation) {
                emit(&path, Slot::Body, violation, when);
            }
        }
    }

    // REST headers and path parameters.
    for (slot, fields) in [
        (Slot::Header, method.header_fields().collect::<Vec<_>>()),
        (Slot::Path, method.path_fields().collect::<Vec<_>>()),
    ] {
        for field in fields {
            let map = |w: &When| match slot {
                Slot::Header => w
                    .headers
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(&field.name))
                    .cloned(),
                Slot::Path => w.path.keys().find(|k| *k == &field.name).cloned(),
                Slot::Body => None,
            };
            let key = map(&base.when);
            // A path parameter cannot be left out or repeated (the URL would name another
            // resource), nor can a header be repeated in a case's header map.
            let applicable = |v: &Violation| {
                !matches!(
                    (slot, v),
                    (Slot::Path, Violation::Missing | Violation::Repeated)
                        | (Slot::Header, Violation::Repeated)
                )
            };
            for violation in values::violations(field, key.is_some(), is_cpr(field))
                .into_iter()
                .filter(applicable)
            {
                let mut when = base.when.clone();
                let target = match slot {
                    Slot::Header => &mut when.headers,
                    Slot::Path => &mut when.path,
                    Slot::Body => unreachable!("body fields are handled above"),
                };
                let name = key.clone().unwrap_or_else(|| field.name.clone());
                match violation.value() {
                    None => {
                        target.remove(&name);
                    }
                    Some(Value::String(s)) => {
                        target.insert(name, s);
                    }
                    Some(other) => {
                        target.insert(name, other.to_string());
                    }
                }
                emit(&field.name, slot, violation, when);
            }
        }
    }

    // One unknown element at the body root.
    if !method.body_fields().is_empty() && base.when.body.is_object() {
        let mut when = base.when.clone();
        if let Value::Object(map) = &mut when.body {
            map.insert(
                values::UNKNOWN_ELEMENT.to_string(),
                Value::String("x".into()),
            );
            emit(
                values::UNKNOWN_ELEMENT,
                Slot::Body,
                Violation::UnknownElement,
                when,
            );
        }
    }
    (cases, unanswerable)
}

/// `PersonRegistrationService` → `person-registration`, `VisiteringOgStatus.YdelsesVisiteringService`
/// → `ydelses-visitering`: the service's last name part without `Service`, in kebab case.
pub fn service_slug(service: &str) -> String {
    let last = service.rsplit('.').next().unwrap_or(service);
    let base = last.strip_suffix("Service").unwrap_or(last);
    let mut out = String::new();
    for (i, c) in base.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn display_path(slot: Slot, path: &str) -> String {
    match slot {
        Slot::Body => path.to_string(),
        Slot::Header => format!("header {path}"),
        Slot::Path => format!("path parameter {path}"),
    }
}

/// Whether a field carries a CPR number (a pattern failure then gives 1001).
fn is_cpr(field: &Field) -> bool {
    let ty = field.type_name.as_deref().unwrap_or("");
    ty == "PersonCivilRegistrationIdentifierType"
        || field
            .name
            .eq_ignore_ascii_case("x-civilRegistrationIdentifier")
        || field.name == "PersonCivilRegistrationIdentifier"
        || field
            .pattern
            .as_deref()
            .is_some_and(|p| p.ends_with("|0000000000"))
}

/// The value at a `/`-separated path; array members are entered at their first item.
fn get_path<'a>(body: &'a Value, path: &str) -> Option<&'a Value> {
    let mut at = body;
    for part in path.split('/') {
        at = match at {
            Value::Array(items) => items.first()?.get(part)?,
            other => other.get(part)?,
        };
    }
    Some(at)
}

/// Applies a violation at `path`; false when the path cannot be reached.
fn apply_body(body: &mut Value, path: &str, violation: &Violation) -> bool {
    let (parent_path, name) = match path.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, path),
    };
    let mut parent = body;
    if let Some(pp) = parent_path {
        for part in pp.split('/') {
            let next = match parent {
                Value::Array(items) => items.first_mut().and_then(|i| i.get_mut(part)),
                other => other.get_mut(part),
            };
            match next {
                Some(v) => parent = v,
                None => return false,
            }
        }
    }
    if let Value::Array(items) = parent {
        match items.first_mut() {
            Some(first) => parent = first,
            None => return false,
        }
    }
    let Value::Object(map) = parent else {
        return false;
    };
    match violation {
        Violation::Repeated => match map.get(name) {
            Some(v) if !v.is_array() => {
                let v = v.clone();
                map.insert(name.to_string(), Value::Array(vec![v.clone(), v]));
                true
            }
            _ => false,
        },
        _ => match violation.value() {
            None => map.remove(name).is_some(),
            Some(v) => {
                map.insert(name.to_string(), v);
                true
            }
        },
    }
}

#[cfg(test)]
mod tests;
