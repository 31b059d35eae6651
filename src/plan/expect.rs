//! Planning a case's expectation (`then`): codes checked against the method's documented codes,
//! status codes, and field checks resolved against the method's output tree into
//! [`super::model::Expect`]. The main entry point is `Planner::plan_then`.

use std::collections::BTreeSet;

use super::compile::compile;
use super::method::MethodInfo;
use super::model::{CompiledCheck, EqualsCheck, EqualsType, Expect, PlannedCheck};
use super::planner::{Planner, Sink, codes_hint, seq_pos_in};
use crate::case::matcher::matcher;
use crate::case::model::{Check, Expected, Then};
use crate::case::node::{Node, Pos};
use crate::case::template::Template;
use crate::clock::TimeFormat;
use crate::spec::model::{Field, FieldKind, Transport};
use crate::suggest::did_you_mean;

/// The reading a set of several codes in one answer rests on.
pub const ERRORS_REPORTED: &str = "errors-reported";

impl Planner<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn plan_then(
        &self,
        method: &MethodInfo,
        then: &Then,
        node: Option<&Node>,
        at: &str,
        under: &[&str],
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        sink: &mut Sink<'_>,
    ) -> Expect {
        let pos = node.map(|n| n.pos).unwrap_or_default();
        let spec_method = self.spec.service_method(&method.service, &method.name);
        // An expected code rests on a row of the method's error table, or on a general fault
        // the overlay states: as an outside fact, or (an assumption) under a reading.
        let check_code = |code: u32, field: &str, at: Pos, sink: &mut Sink<'_>| {
            // Under a reading, an alternative may name a code the documents give elsewhere
            // (refused-caller-status: 400 with 4575).
            let named_by_reading =
                !under.is_empty() && self.spec.methods().any(|m| m.method.error(code).is_some());
            if named_by_reading {
                return;
            }
            if !method.codes.contains(&code) {
                sink.push(
                    at,
                    field,
                    format!(
                        "no document grounds: code {code} is not in {}'s error table, nor a \
                         general fault of the overlay",
                        method.name
                    ),
                    Some(codes_hint(method)),
                );
                return;
            }
            // A code of the method's error table, or of the table of the method whose
            // validation rules it inherits by a sentence of its document.
            let documented = spec_method.as_ref().is_none_or(|m| {
                m.method.error(code).is_some()
                    || crate::spec::inherit::inherited_codes(self.spec, m).contains(&code)
            }) || code == crate::spec::model::WITHDRAWN_CODE;
            let assumed = self.spec.overlay.general_faults.iter().any(|f| {
                f.code == code && matches!(f.basis, crate::spec::overlay::Basis::Assumption { .. })
            });
            if !documented && assumed && under.is_empty() {
                sink.push(
                    at,
                    field,
                    format!(
                        "no document grounds: code {code} is not in {}'s error table; the \
                         overlay assumes it as a general fault (general_faults.{code}), which \
                         grounds an expectation only under a reading",
                        method.name
                    ),
                    Some(
                        "expect it with `by_reading` (e.g. cpr-pattern-code, unknown-json-members), \
                         or `refused: true` where the code is not given"
                            .into(),
                    ),
                );
            }
        };
        let key_pos = |key: &str| node.and_then(|n| n.get(key)).map_or(pos, |n| n.pos);
        match then {
            Then::Error { error } => {
                check_code(*error, &format!("{at}.error"), key_pos("error"), sink);
                Expect::Codes(vec![*error])
            }
            Then::Errors { errors } => {
                for (i, c) in errors.iter().enumerate() {
                    let p = seq_pos_in(node.and_then(|n| n.get("errors")), i).unwrap_or(pos);
                    check_code(*c, &format!("{at}.errors[{i}]"), p, sink);
                }
                if errors.len() > 1 && !under.contains(&ERRORS_REPORTED) {
                    sink.push(
                        key_pos("errors"),
                        &format!("{at}.errors"),
                        format!(
                            "no document grounds: a set of {} codes in one answer rests on the \
                             reading {ERRORS_REPORTED} (all errors, or the first one)",
                            errors.len()
                        ),
                        Some(format!(
                            "expect it with `by_reading: {{ reading: {ERRORS_REPORTED}, expect: {{ all: ..., first: ... }} }}`"
                        )),
                    );
                }
                let mut codes = errors.clone();
                codes.sort_unstable();
                Expect::Codes(codes)
            }
            Then::Status { status } => {
                let stated = spec_method.as_ref().is_some_and(|m| {
                    self.spec
                        .rules(m)
                        .iter()
                        .any(|r| r.http_status == Some(*status))
                });
                if !stated && under.is_empty() {
                    sink.push(
                        key_pos("status"),
                        &format!("{at}.status"),
                        format!(
                            "no document grounds: HTTP {status} is no status the documents give \
                             for {} (no rule of it states one)",
                            method.name
                        ),
                        Some(
                            "expect it under the reading that decides it, with `by_reading` \
                             (e.g. refused-caller-status, unknown-resource-status)"
                                .into(),
                        ),
                    );
                }
                Expect::Status(*status)
            }
            Then::Refused { .. } => Expect::Refused,
            Then::ByReading { by_reading } => {
                let bn = node.and_then(|n| n.get("by_reading"));
                let field = format!("{at}.by_reading");
                let Some(reading) = self.spec.overlay.readings.get(&by_reading.reading) else {
                    let hint = did_you_mean(
                        &by_reading.reading,
                        self.spec.overlay.readings.keys().map(String::as_str),
                    )
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| Some("the overlay's `readings` name every reading".into()));
                    sink.push(
                        bn.and_then(|n| n.get("reading")).map_or(pos, |n| n.pos),
                        &format!("{field}.reading"),
                        format!("no reading `{}` in the overlay", by_reading.reading),
                        hint,
                    );
                    return Expect::Refused;
                };
                let expect_node = bn.and_then(|n| n.get("expect"));
                let alt_pos = |name: &str| {
                    expect_node
                        .and_then(|n| n.as_map())
                        .and_then(|m| m.iter().find(|(k, _)| k.name == name))
                        .map(|(k, _)| k.pos)
                        .unwrap_or(pos)
                };
                for name in by_reading.expect.keys() {
                    if !reading.has(name) {
                        sink.push(
                            alt_pos(name),
                            &format!("{field}.expect.{name}"),
                            format!(
                                "`{name}` is no alternative of the reading {} ({})",
                                by_reading.reading,
                                reading.names().join(", ")
                            ),
                            None,
                        );
                    }
                }
                let missing: Vec<&str> = reading
                    .names()
                    .into_iter()
                    .filter(|n| !by_reading.expect.contains_key(*n))
                    .collect();
                if !missing.is_empty() {
                    sink.push(
                        expect_node.map_or(pos, |n| n.pos),
                        &format!("{field}.expect"),
                        format!(
                            "the reading {} has alternatives the case does not expect anything \
                             under: {}",
                            by_reading.reading,
                            missing.join(", ")
                        ),
                        Some("one case serves every alternative: name each".into()),
                    );
                }
                let mut inner_under: Vec<&str> = under.to_vec();
                inner_under.push(by_reading.reading.as_str());
                let mut alternatives = Vec::new();
                for a in &reading.alternatives {
                    let Some(t) = by_reading.expect.get(&a.name) else {
                        continue;
                    };
                    let n = expect_node.and_then(|n| n.get(&a.name));
                    let e = self.plan_then(
                        method,
                        t,
                        n,
                        &format!("{field}.expect.{}", a.name),
                        &inner_under,
                        id_names,
                        has_citizen,
                        sink,
                    );
                    alternatives.push((a.name.clone(), e));
                }
                Expect::ByReading {
                    reading: by_reading.reading.clone(),
                    default: reading.default.clone(),
                    alternatives,
                }
            }
            Then::Success { fields, .. } => {
                let field_at = at;
                let mut checks = Vec::new();
                for (path, check) in fields {
                    let segments: Vec<String> = path
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    let at = node
                        .and_then(|n| n.get("fields"))
                        .and_then(|f| f.as_map())
                        .and_then(|m| m.iter().find(|(k, _)| &k.name == path))
                        .map(|(k, _)| k.pos)
                        .unwrap_or(pos);
                    let field = output_field(&method.output, &segments);
                    if let Err(e) = &field {
                        sink.push(
                            at,
                            &format!("{field_at}.fields.{path}"),
                            e.0.clone(),
                            e.1.clone(),
                        );
                    }
                    let kind = field.ok().flatten().map(Field::kind);
                    let format = match kind {
                        Some(FieldKind::Date) => TimeFormat::Date,
                        Some(FieldKind::DateTime) => TimeFormat::DateTime,
                        _ => TimeFormat::Natural,
                    };
                    let compiled = match check {
                        Check::Present(b) => CompiledCheck::Present(*b),
                        Check::Count(n) => CompiledCheck::Count(*n),
                        Check::Equals(e) => {
                            let mut t = compile(&e.source());
                            self.resolve_template_codes(&mut t);
                            let value = EqualsType::of(e, &t);
                            if let Some(kind) = kind
                                && let Some(problem) = value.contradicts(kind)
                            {
                                sink.push(
                                    at,
                                    &format!("{field_at}.fields.{path}.equals"),
                                    format!(
                                        "`{path}` is {} in the output table, but `equals` gives {problem}",
                                        kind_name(kind)
                                    ),
                                    Some(value.hint(kind, &e.source())),
                                );
                            }
                            CompiledCheck::Equals(EqualsCheck {
                                template: t,
                                format,
                                value,
                            })
                        }
                        Check::Matches(m) => match matcher(m) {
                            Ok(m) => CompiledCheck::Matches(m),
                            Err(e) => {
                                sink.push(
                                    at,
                                    &format!("{field_at}.fields.{path}"),
                                    e.to_string(),
                                    None,
                                );
                                continue;
                            }
                        },
                    };
                    checks.push(PlannedCheck {
                        path: path.clone(),
                        segments,
                        check: compiled,
                        typed: method.transport() == Transport::Rest,
                    });
                }
                if let Some(n) = node.and_then(|n| n.get("fields")) {
                    self.check_placeholders(
                        n,
                        &format!("{field_at}.fields"),
                        id_names,
                        has_citizen,
                        sink,
                    );
                }
                Expect::Success(checks)
            }
        }
    }
}

/// The output field at a check path (numeric segments index arrays); `Ok(None)` for an
/// empty path. A method that documents no output has no field at any path.
type Problem = (String, Option<String>);
pub(super) fn output_field<'f>(
    output: &'f [Field],
    segments: &[String],
) -> Result<Option<&'f Field>, Problem> {
    if output.is_empty() {
        // A method that documents no output has no field to check: a path is a mistake
        // the run would otherwise find only as a failing case.
        return match segments.first() {
            Some(seg) => Err((
                format!("the method documents no output, so its answer has no field `{seg}`"),
                Some("check `success: true` alone, or name a method that answers fields".into()),
            )),
            None => Ok(None),
        };
    }
    let mut level = output;
    let mut found = None;
    for seg in segments {
        if seg.parse::<usize>().is_ok() {
            continue;
        }
        let named = |fields: &'f [Field]| {
            fields
                .iter()
                .find(|f| &f.name == seg || f.former_name.as_deref() == Some(seg.as_str()))
        };
        // A collection's item element (`ydelser` > `YdelseDto`) may be folded into an array.
        let found_here = named(level).or_else(|| match level {
            [item] if item.occurs.is_repeated() => named(&item.children),
            _ => None,
        });
        match found_here {
            Some(f) => {
                found = Some(f);
                level = &f.children;
            }
            None => {
                // The names here, and those of a collection's folded item element.
                let folded: &[Field] = match level {
                    [item] if item.occurs.is_repeated() => &item.children,
                    _ => &[],
                };
                let hint = did_you_mean(seg, level.iter().chain(folded).map(|f| f.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                return Err((format!("the output has no field `{seg}` here"), hint));
            }
        }
    }
    Ok(found)
}

impl EqualsType {
    /// The JSON type an `equals` as written wants.
    pub fn of(e: &Expected, t: &Template) -> EqualsType {
        match e {
            Expected::Integer(_) => EqualsType::Integer,
            Expected::Boolean(_) => EqualsType::Boolean,
            Expected::String { .. } => EqualsType::String,
            Expected::Text(_) if t.is_integer_placeholder() => EqualsType::Integer,
            Expected::Text(_) => EqualsType::Text,
        }
    }

    /// What is wrong with comparing a field of this kind to this value, if anything.
    fn contradicts(self, kind: FieldKind) -> Option<&'static str> {
        match (self, kind) {
            (EqualsType::Integer, FieldKind::Integer)
            | (EqualsType::Boolean, FieldKind::Boolean) => None,
            (EqualsType::Text | EqualsType::String, FieldKind::Integer | FieldKind::Boolean) => {
                Some("a string")
            }
            (EqualsType::Integer, _) => Some("an integer"),
            (EqualsType::Boolean, _) => Some("a boolean"),
            (
                EqualsType::Text | EqualsType::String,
                FieldKind::String
                | FieldKind::Date
                | FieldKind::DateTime
                | FieldKind::Time
                | FieldKind::Guid
                | FieldKind::Complex,
            ) => None,
        }
    }

    fn hint(self, kind: FieldKind, source: &str) -> String {
        match kind {
            FieldKind::Integer => format!("write the number unquoted (`equals: {source}`)"),
            FieldKind::Boolean => "write `true` or `false` unquoted".into(),
            FieldKind::String
            | FieldKind::Date
            | FieldKind::DateTime
            | FieldKind::Time
            | FieldKind::Guid
            | FieldKind::Complex => match self {
                EqualsType::Integer | EqualsType::Boolean => {
                    "quote the value, or write `{ string: ... }`".into()
                }
                EqualsType::Text | EqualsType::String => String::new(),
            },
        }
    }
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Complex => "complex",
        FieldKind::String => "a string",
        FieldKind::Integer => "an integer",
        FieldKind::Boolean => "a boolean",
        FieldKind::Date => "a date",
        FieldKind::DateTime => "a dateTime",
        FieldKind::Time => "a time",
        FieldKind::Guid => "a guid",
    }
}
