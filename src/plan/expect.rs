//! Planning a case's expectation (`then`): codes checked against the method's documented codes,
//! status codes, and field checks resolved against the method's output tree into
//! [`super::model::Expect`]. The main entry point is `Planner::plan_then`.

use std::collections::BTreeSet;

use super::compile::compile;
use super::method::MethodInfo;
use super::model::{CompiledCheck, Expect, PlannedCheck};
use super::planner::{Planner, Sink, codes_hint, seq_pos_in};
use crate::case::matcher::matcher;
use crate::case::model::{Check, Then};
use crate::case::node::{Node, Pos};
use crate::clock::TimeFormat;
use crate::spec::model::{Field, FieldKind};
use crate::suggest::did_you_mean;

impl Planner<'_> {
    pub(super) fn plan_then(
        &self,
        method: &MethodInfo,
        then: &Then,
        node: Option<&Node>,
        id_names: &BTreeSet<String>,
        has_citizen: bool,
        sink: &mut Sink<'_>,
    ) -> Expect {
        let pos = node.map(|n| n.pos).unwrap_or_default();
        // An expected code rests on a row of the method's error table, or on a general fault
        // the overlay states; with neither, the expectation has no grounds at all.
        let check_code = |code: u32, field: &str, at: Pos, sink: &mut Sink<'_>| {
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
            }
        };
        match then {
            Then::Error { error } => {
                let at = node.and_then(|n| n.get("error")).map_or(pos, |n| n.pos);
                check_code(*error, "then.error", at, sink);
                Expect::Codes(vec![*error])
            }
            Then::Errors { errors } => {
                for (i, c) in errors.iter().enumerate() {
                    let at = seq_pos_in(node.and_then(|n| n.get("errors")), i).unwrap_or(pos);
                    check_code(*c, &format!("then.errors[{i}]"), at, sink);
                }
                let mut codes = errors.clone();
                codes.sort_unstable();
                Expect::Codes(codes)
            }
            Then::Status { status } => Expect::Status(*status),
            Then::Success { fields, .. } => {
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
                        sink.push(at, &format!("then.fields.{path}"), e.0.clone(), e.1.clone());
                    }
                    let format = match field.ok().flatten().map(Field::kind) {
                        Some(FieldKind::Date) => TimeFormat::Date,
                        Some(FieldKind::DateTime) => TimeFormat::DateTime,
                        _ => TimeFormat::Natural,
                    };
                    let compiled = match check {
                        Check::Present(b) => CompiledCheck::Present(*b),
                        Check::Count(n) => CompiledCheck::Count(*n),
                        Check::Equals(s) => {
                            let mut t = compile(s);
                            self.resolve_template_codes(&mut t);
                            CompiledCheck::Equals(t, format)
                        }
                        Check::Matches(m) => match matcher(m) {
                            Ok(m) => CompiledCheck::Matches(m),
                            Err(e) => {
                                sink.push(at, &format!("then.fields.{path}"), e, None);
                                continue;
                            }
                        },
                    };
                    checks.push(PlannedCheck {
                        path: path.clone(),
                        segments,
                        check: compiled,
                    });
                }
                if let Some(n) = node.and_then(|n| n.get("fields")) {
                    self.check_placeholders(n, "then.fields", id_names, has_citizen, sink);
                }
                Expect::Success(checks)
            }
        }
    }
}

/// The output field at a check path (numeric segments index arrays); `Ok(None)` when the
/// method documents no output tree to check against.
type Problem = (String, Option<String>);
pub(super) fn output_field<'f>(
    output: &'f [Field],
    segments: &[String],
) -> Result<Option<&'f Field>, Problem> {
    if output.is_empty() {
        return Ok(None);
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
                let hint = did_you_mean(seg, level.iter().map(|f| f.name.as_str()))
                    .map(|s| format!("did you mean `{s}`?"));
                return Err((format!("the output has no field `{seg}` here"), hint));
            }
        }
    }
    Ok(found)
}
