//! The violations konform derives from one field's constraints, and the values that make them.
//! The main type here is [`Violation`].

use serde_json::Value;

use crate::spec::model::{Field, FieldKind};
use crate::spec::pattern::XsdPattern;

use super::{FAILED_TO_VALIDATE, INVALID_CPR};

/// The element name used for the unknown-element case.
pub const UNKNOWN_ELEMENT: &str = "KonformUnknownElement";

/// One change to one field of a valid request.
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// A required field left out.
    Missing,
    /// A field that may occur once, sent twice.
    Repeated,
    /// A CPR that fails its pattern (`what` says how).
    InvalidCpr {
        value: &'static str,
        what: &'static str,
    },
    /// A value that fails the field's pattern.
    Pattern { value: String },
    /// One character more than the maximum length.
    TooLong { value: String },
    /// One character fewer than the minimum length.
    TooShort { value: String },
    /// Exactly the maximum (or the one allowed) length: accepted.
    LongestAccepted { value: String },
    /// Exactly the minimum length: accepted.
    ShortestAccepted { value: String },
    /// One above MaxInclusive.
    AboveMax { value: i64 },
    /// One below MinInclusive.
    BelowMin { value: i64 },
    /// A value of the wrong type (letters in an integer, a date that does not exist).
    WrongType {
        value: &'static str,
        kind: &'static str,
    },
    /// An element the spec does not know, at the body root.
    UnknownElement,
}

/// The CPR variants the issue names: day 31 in a 30-day month, 30 February, 9 and 11 digits,
/// letters.
const CPR_VARIANTS: [(&str, &str); 5] = [
    ("3104901234", "day 31 in a 30-day month"),
    ("3002901234", "30 February"),
    ("010190123", "9 digits"),
    ("01019012345", "11 digits"),
    ("O1O19OABCD", "letters"),
];

impl Violation {
    /// The expected DFDG code, or `None` when the request must be accepted.
    pub fn expected(&self) -> Option<u32> {
        match self {
            Violation::InvalidCpr { .. } => Some(INVALID_CPR),
            Violation::Missing
            | Violation::Repeated
            | Violation::Pattern { .. }
            | Violation::TooLong { .. }
            | Violation::TooShort { .. }
            | Violation::AboveMax { .. }
            | Violation::BelowMin { .. }
            | Violation::WrongType { .. }
            | Violation::UnknownElement => Some(FAILED_TO_VALIDATE),
            Violation::LongestAccepted { .. } | Violation::ShortestAccepted { .. } => None,
        }
    }

    /// The value to put in the field; `None` removes it.
    pub fn value(&self) -> Option<Value> {
        match self {
            Violation::Missing => None,
            Violation::Repeated | Violation::UnknownElement => Some(Value::String("x".into())),
            Violation::InvalidCpr { value, .. } | Violation::WrongType { value, .. } => {
                Some(Value::String(value.to_string()))
            }
            Violation::Pattern { value }
            | Violation::TooLong { value }
            | Violation::TooShort { value }
            | Violation::LongestAccepted { value }
            | Violation::ShortestAccepted { value } => Some(Value::String(value.clone())),
            Violation::AboveMax { value } | Violation::BelowMin { value } => {
                Some(Value::from(*value))
            }
        }
    }

    /// The last part of the case id.
    pub fn slug(&self) -> String {
        match self {
            Violation::Missing => "missing".into(),
            Violation::Repeated => "repeated".into(),
            Violation::InvalidCpr { what, .. } => format!("cpr-{}", what.replace(' ', "-")),
            Violation::Pattern { .. } => "pattern".into(),
            Violation::TooLong { .. } => "too-long".into(),
            Violation::TooShort { .. } => "too-short".into(),
            Violation::LongestAccepted { .. } => "longest-accepted".into(),
            Violation::ShortestAccepted { .. } => "shortest-accepted".into(),
            Violation::AboveMax { .. } => "above-max".into(),
            Violation::BelowMin { .. } => "below-min".into(),
            Violation::WrongType { kind, .. } => format!("not-{kind}"),
            Violation::UnknownElement => "unknown".into(),
        }
    }

    /// The check class, used as a tag (`cardinality`, `pattern`, `length`, `range`, `type`).
    pub fn class(&self) -> &'static str {
        match self {
            Violation::Missing | Violation::Repeated | Violation::UnknownElement => "cardinality",
            Violation::InvalidCpr { .. } | Violation::Pattern { .. } => "pattern",
            Violation::TooLong { .. }
            | Violation::TooShort { .. }
            | Violation::LongestAccepted { .. }
            | Violation::ShortestAccepted { .. } => "length",
            Violation::AboveMax { .. } | Violation::BelowMin { .. } => "range",
            Violation::WrongType { .. } => "type",
        }
    }

    /// Words for the case title.
    pub fn describe(&self) -> String {
        match self {
            Violation::Missing => "missing (required) is rejected".into(),
            Violation::Repeated => "sent twice (occurs at most once) is rejected".into(),
            Violation::InvalidCpr { what, .. } => format!("with a CPR of {what} is rejected"),
            Violation::Pattern { .. } => "not matching its pattern is rejected".into(),
            Violation::TooLong { value } => format!(
                "of {} characters (one over the maximum) is rejected",
                value.chars().count()
            ),
            Violation::TooShort { value } => format!(
                "of {} characters (one under the minimum) is rejected",
                value.chars().count()
            ),
            Violation::LongestAccepted { value } => format!(
                "of {} characters (the maximum) is accepted",
                accepted_len(value)
            ),
            Violation::ShortestAccepted { value } => format!(
                "of {} characters (the minimum) is accepted",
                accepted_len(value)
            ),
            Violation::AboveMax { value } => {
                format!("of {value} (one above MaxInclusive) is rejected")
            }
            Violation::BelowMin { value } => {
                format!("of {value} (one below MinInclusive) is rejected")
            }
            Violation::WrongType { kind, .. } => format!("that is not a valid {kind} is rejected"),
            Violation::UnknownElement => "an unknown element is rejected".into(),
        }
    }
}

/// The length an accepted value has once its `${uuid}` prefix is resolved.
fn accepted_len(value: &str) -> usize {
    match value.strip_prefix(UUID_PLACEHOLDER) {
        Some(rest) => 36 + rest.chars().count(),
        None => value.chars().count(),
    }
}

const UUID_PLACEHOLDER: &str = "${uuid}";

/// A string of exactly `len` characters. Long accepted values start with a fresh uuid, so a
/// value that must be unique per request (`x-requestId`) stays unique across runs.
fn string_of(len: u32, accepted: bool, digits: bool) -> String {
    let fill = if digits { '7' } else { 'a' };
    if accepted && len >= 36 {
        let mut s = UUID_PLACEHOLDER.to_string();
        s.extend(std::iter::repeat_n(fill, len as usize - 36));
        s
    } else {
        std::iter::repeat_n(fill, len as usize).collect()
    }
}

/// Candidate values tried, in order, for a value that fails a pattern.
const PATTERN_CANDIDATES: [&str; 6] = [
    "not valid!",
    "x",
    "",
    "-",
    "0000000000000000000000000000000000000000",
    "@",
];

/// The violations of one field. `present` says whether the base request has the field; an
/// absent optional field is added with the violating value.
pub fn violations(field: &Field, present: bool, cpr: bool) -> Vec<Violation> {
    let mut out = Vec::new();
    let kind = field.kind();
    if field.is_required() && present {
        out.push(Violation::Missing);
    }
    // An element documented as occurring at most once (`1`, `0 - 1`), leaf or complex, sent
    // twice is a schema violation.
    if present && !field.occurs.is_repeated() {
        out.push(Violation::Repeated);
    }
    if kind == FieldKind::Complex {
        return out;
    }
    if !present && field.is_required() {
        // The base leaves out a required field (its parent is optional and absent): nothing to vary.
        return out;
    }
    if cpr {
        out.extend(
            CPR_VARIANTS
                .iter()
                .map(|(value, what)| Violation::InvalidCpr { value, what }),
        );
        return out;
    }
    if let Some(pattern) = field.pattern.as_deref()
        && let Ok(compiled) = XsdPattern::new(pattern)
        && let Some(value) = PATTERN_CANDIDATES.iter().find(|c| !compiled.is_match(c))
    {
        out.push(Violation::Pattern {
            value: value.to_string(),
        });
    }
    if let Some(len) = field.length {
        let exact = len.min.is_some() && len.min == len.max;
        let may_vary = field.pattern.is_none();
        if let Some(max) = len.max {
            out.push(Violation::TooLong {
                value: string_of(max + 1, false, exact),
            });
            if may_vary {
                out.push(Violation::LongestAccepted {
                    value: string_of(max, true, exact),
                });
            }
        }
        if let Some(min) = len.min.filter(|m| *m > 0) {
            out.push(Violation::TooShort {
                value: string_of(min - 1, false, exact),
            });
            if may_vary && !exact {
                out.push(Violation::ShortestAccepted {
                    value: string_of(min, true, exact),
                });
            }
        }
    }
    if let Some(max) = field.max_inclusive {
        out.push(Violation::AboveMax {
            value: max.saturating_add(1),
        });
    }
    if let Some(min) = field.min_inclusive {
        out.push(Violation::BelowMin {
            value: min.saturating_sub(1),
        });
    }
    match kind {
        FieldKind::Integer => out.push(Violation::WrongType {
            value: "abc",
            kind: "integer",
        }),
        FieldKind::Boolean => out.push(Violation::WrongType {
            value: "maybe",
            kind: "boolean",
        }),
        FieldKind::Date => out.push(Violation::WrongType {
            value: "2025-02-30",
            kind: "date",
        }),
        FieldKind::DateTime => out.push(Violation::WrongType {
            value: "2025-13-01T25:00:00",
            kind: "dateTime",
        }),
        FieldKind::Time => out.push(Violation::WrongType {
            value: "25:61:00",
            kind: "time",
        }),
        FieldKind::Guid if field.pattern.is_none() => out.push(Violation::WrongType {
            value: "not-a-guid",
            kind: "guid",
        }),
        FieldKind::Guid | FieldKind::String | FieldKind::Complex => {}
    }
    out
}
