//! The verdict of one answer against a case's expectation. Nothing passes by default: a DFDG
//! error passes only when its set of codes equals the expected set, a status only when equal,
//! a success only when the answer is a 2xx success and every field check holds. The main entry
//! point is [`judge`].

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::result::Verdict;
use crate::case::matcher::Matcher;
use crate::case::template::Context;
use crate::plan::{CompiledCheck, EqualsType, Expect, PlannedCheck};
use crate::spec::check::json_words;
use crate::spec::statement::Statement;
use crate::target::Outcome;

/// Judges an outcome under konform's defaults (no implementation statement).
pub fn judge(expect: &Expect, outcome: &Outcome, ctx: &mut Context<'_>) -> Verdict {
    judge_under(expect, outcome, ctx, &Statement::default())
}

/// Judges an outcome under an implementation statement. A by-reading expectation is judged
/// under the alternative the statement declares, or konform's default where it declares none;
/// a failure under the default that another alternative would pass is
/// [`Verdict::Inconclusive`], naming the reading and that alternative. A failure under a
/// declared alternative stays a failure: the vendor said how it reads the point.
pub fn judge_under(
    expect: &Expect,
    outcome: &Outcome,
    ctx: &mut Context<'_>,
    statement: &Statement,
) -> Verdict {
    let Expect::ByReading {
        reading,
        default,
        alternatives,
    } = expect
    else {
        return judge_plain(expect, outcome, ctx, statement);
    };
    let choice = statement.choice(reading, default);
    let Some((_, chosen)) = alternatives
        .iter()
        .find(|(a, _)| *a == choice.alternative)
        .or_else(|| alternatives.iter().find(|(a, _)| a == default))
    else {
        return Verdict::Error {
            reason: format!(
                "the reading {reading} has no expectation for {}",
                choice.alternative
            ),
        };
    };
    let verdict = judge_under(chosen, outcome, ctx, statement);
    let Verdict::Fail { reason } = &verdict else {
        return verdict;
    };
    let reason = format!(
        "{reason} (under {reading}: {}, {})",
        choice.alternative,
        if choice.declared {
            "as the implementation statement declares"
        } else {
            "konform's default: the implementation statement does not declare it"
        }
    );
    if choice.declared {
        return Verdict::Fail { reason };
    }
    for (alt, e) in alternatives {
        if *alt == choice.alternative {
            continue;
        }
        if judge_under(e, outcome, ctx, statement) == Verdict::Pass {
            return Verdict::Inconclusive {
                reason: format!("{reason}; it passes under {reading}: {alt}"),
                reading: reading.clone(),
                alternative: alt.clone(),
            };
        }
    }
    Verdict::Fail { reason }
}

fn judge_plain(
    expect: &Expect,
    outcome: &Outcome,
    ctx: &mut Context<'_>,
    statement: &Statement,
) -> Verdict {
    if let Outcome::TransportFailure { failure, detail } = outcome {
        return Verdict::Error {
            reason: format!("{}: {detail}", failure.describe()),
        };
    }
    // A server error without a DFDG error is the target breaking down, not an answer: unless
    // the case expects exactly that status, it is an error, never a pass or a plain failure.
    if let Outcome::HttpStatus { status, body } = outcome
        && *status >= 500
        && !matches!(expect, Expect::Status(s) if s == status)
        && !matches!(expect, Expect::ByReading { .. })
    {
        let shown = crate::target::rest::snippet(body);
        let shown = if shown.is_empty() {
            "an empty body".to_string()
        } else {
            format!("`{shown}`")
        };
        return Verdict::Error {
            reason: format!(
                "the target failed: HTTP {status} without a DFDG error ({shown}), expected {}",
                expect.describe()
            ),
        };
    }
    let got = describe_outcome(outcome);
    let fail = |reason: String| Verdict::Fail { reason };
    match expect {
        Expect::Codes(expected) => match outcome {
            Outcome::DfdgError { .. } => {
                let mut codes = outcome.codes();
                codes.dedup();
                if &codes == expected {
                    Verdict::Pass
                } else {
                    fail(format!("expected {}, got {got}", expect.describe()))
                }
            }
            Outcome::Success { .. } | Outcome::HttpStatus { .. } => {
                fail(format!("expected {}, got {got}", expect.describe()))
            }
            Outcome::TransportFailure { .. } => unreachable_failure(),
        },
        Expect::Status(expected) => {
            // A bare status: a DFDG error with the same status is another answer (the reading
            // refused-caller-status tells a bare 400 from a 400 with 4575).
            let status = match outcome {
                Outcome::Success { status, .. } | Outcome::HttpStatus { status, .. } => *status,
                Outcome::DfdgError { .. } => {
                    return fail(format!(
                        "expected HTTP {expected} without a DFDG error, got {got}"
                    ));
                }
                Outcome::TransportFailure { .. } => return unreachable_failure(),
            };
            if status == *expected {
                Verdict::Pass
            } else {
                fail(format!("expected HTTP {expected}, got {got}"))
            }
        }
        Expect::Success(checks) => match outcome {
            Outcome::Success { body, .. } => {
                let problems: Vec<String> = checks
                    .iter()
                    .filter_map(|c| check(c, body, ctx).err().map(|e| e.0))
                    .collect();
                if problems.is_empty() {
                    Verdict::Pass
                } else {
                    fail(format!("success, but {}", problems.join("; ")))
                }
            }
            Outcome::DfdgError { .. } | Outcome::HttpStatus { .. } => {
                fail(format!("expected success, got {got}"))
            }
            Outcome::TransportFailure { .. } => unreachable_failure(),
        },
        Expect::Refused => match outcome {
            Outcome::DfdgError { .. } => Verdict::Pass,
            Outcome::HttpStatus { status, .. } if (400..500).contains(status) => Verdict::Pass,
            Outcome::Success { .. } | Outcome::HttpStatus { .. } => {
                fail(format!("expected {}, got {got}", expect.describe()))
            }
            Outcome::TransportFailure { .. } => unreachable_failure(),
        },
        Expect::ByReading { .. } => judge_under(expect, outcome, ctx, statement),
    }
}

// Transport failures return early above; this keeps the matches exhaustive without `_ =>`.
fn unreachable_failure() -> Verdict {
    Verdict::Error {
        reason: "transport failure".into(),
    }
}

/// An outcome in words: `error 4653 (The submitted date ...)`, `HTTP 412`, `success (HTTP 200)`.
pub fn describe_outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Success { status, .. } => format!("success (HTTP {status})"),
        Outcome::DfdgError { status, errors } => {
            let list: Vec<String> = errors
                .iter()
                .map(|e| match e.text.as_deref().map(str::trim) {
                    Some(t) if !t.is_empty() => format!("{} ({t})", e.code),
                    Some(_) | None => e.code.to_string(),
                })
                .collect();
            let word = if errors.len() == 1 { "error" } else { "errors" };
            format!("{word} {} (HTTP {status})", list.join(", "))
        }
        Outcome::HttpStatus { status, .. } => format!("HTTP {status} without a DFDG error"),
        Outcome::TransportFailure { failure, detail } => {
            format!("{}: {detail}", failure.describe())
        }
    }
}

/// Finds a field by path segments: object members by name, array items by index.
pub fn lookup<'v>(body: &'v Value, segments: &[String]) -> Option<&'v Value> {
    let mut v = body;
    for seg in segments {
        v = match v {
            Value::Object(map) => map.get(seg)?,
            Value::Array(items) => items.get(seg.parse::<usize>().ok()?)?,
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => return None,
        };
    }
    Some(v)
}

/// Why a field check does not hold on an answer, in words for the case's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckFailed(pub String);

impl From<String> for CheckFailed {
    fn from(s: String) -> CheckFailed {
        CheckFailed(s)
    }
}

impl From<&str> for CheckFailed {
    fn from(s: &str) -> CheckFailed {
        CheckFailed(s.to_string())
    }
}

fn check(c: &PlannedCheck, body: &Value, ctx: &mut Context<'_>) -> Result<(), CheckFailed> {
    let found = lookup(body, &c.segments).filter(|v| !v.is_null());
    let path = &c.path;
    match &c.check {
        CompiledCheck::Present(true) => found
            .map(|_| ())
            .ok_or_else(|| CheckFailed(format!("`{path}` is absent"))),
        CompiledCheck::Present(false) => match found {
            None => Ok(()),
            Some(v) => Err(CheckFailed::from(format!(
                "`{path}` is present ({})",
                short(v)
            ))),
        },
        CompiledCheck::Count(n) => {
            let count = match found {
                // Over SOAP, no element of a repeated row is how zero items are written: the
                // element that holds them must be there. Over REST the array itself must be.
                None if !c.typed && c.segments.len() > 1 => {
                    match lookup(body, &c.segments[..c.segments.len() - 1]) {
                        Some(v) if !v.is_null() => 0,
                        Some(_) | None => {
                            return Err(CheckFailed(format!(
                                "`{path}` is absent, and so is the element that holds it; expected {n} item(s)"
                            )));
                        }
                    }
                }
                None => {
                    return Err(CheckFailed(format!(
                        "`{path}` is absent, expected {n} item(s)"
                    )));
                }
                Some(Value::Array(items)) => items.len(),
                Some(_) => 1,
            };
            if count == *n {
                Ok(())
            } else {
                Err(CheckFailed::from(format!(
                    "`{path}` has {count} item(s), expected {n}"
                )))
            }
        }
        CompiledCheck::Equals(eq) => {
            let expected = eq
                .template
                .render(ctx, eq.format)
                .map_err(|e| format!("`{path}`: {e}"))?;
            let Some(v) = found else {
                return Err(CheckFailed::from(format!(
                    "`{path}` is absent, expected `{expected}`"
                )));
            };
            let actual = scalar(v).ok_or_else(|| {
                CheckFailed(format!("`{path}` is not a single value ({})", short(v)))
            })?;
            if c.typed && !same_type(eq.value, v) {
                return Err(CheckFailed(format!(
                    "`{path}` is {}, expected {} `{expected}`",
                    json_words(v),
                    match eq.value {
                        EqualsType::Integer => "the number",
                        EqualsType::Boolean => "the boolean",
                        EqualsType::Text | EqualsType::String => "the string",
                    }
                )));
            }
            let equal = match (c.typed, eq.value, v) {
                // Numbers compare as numbers (`2` and `2.0` alike).
                (true, EqualsType::Integer, Value::Number(n)) => {
                    expected.parse::<f64>().ok() == n.as_f64()
                }
                _ => actual == expected || same_instant(&actual, &expected),
            };
            if equal {
                Ok(())
            } else {
                Err(CheckFailed::from(format!(
                    "`{path}` is `{actual}`, expected `{expected}`"
                )))
            }
        }
        CompiledCheck::Matches(m) => {
            let Some(v) = found else {
                return Err(CheckFailed::from(format!("`{path}` is absent")));
            };
            let actual = scalar(v).ok_or_else(|| {
                CheckFailed(format!("`{path}` is not a single value ({})", short(v)))
            })?;
            if matches(m, &actual) {
                Ok(())
            } else {
                Err(CheckFailed::from(format!(
                    "`{path}` is `{actual}`, which is not {}",
                    matcher_name(m)
                )))
            }
        }
    }
}

/// Whether a JSON value has the type an `equals` wants.
fn same_type(want: EqualsType, v: &Value) -> bool {
    match want {
        EqualsType::Integer => v.is_number(),
        EqualsType::Boolean => v.is_boolean(),
        EqualsType::Text | EqualsType::String => v.is_string(),
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 80 {
        let mut end = 80;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn matcher_name(m: &Matcher) -> String {
    match m {
        Matcher::Guid => "a guid".into(),
        Matcher::DateTime => "a date-time".into(),
        Matcher::Date => "a date".into(),
        Matcher::Integer => "an integer".into(),
        Matcher::Boolean => "a boolean".into(),
        Matcher::Pattern(p) => format!("matched by `{}`", p.source()),
    }
}

/// Whether a value is of a kind (XSD lexical forms) or matches a pattern.
pub fn matches(m: &Matcher, s: &str) -> bool {
    match m {
        Matcher::Guid => s.len() == 36 && uuid::Uuid::parse_str(s).is_ok(),
        Matcher::DateTime => {
            DateTime::parse_from_rfc3339(s).is_ok()
                || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        }
        Matcher::Date => {
            let (Some(date), Some(zone)) = (s.get(..10), s.get(10..)) else {
                return false;
            };
            let b = date.as_bytes();
            b[4] == b'-'
                && b[7] == b'-'
                && NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
                && (zone.is_empty()
                    || zone == "Z"
                    || (zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-'))))
        }
        Matcher::Integer => {
            let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        Matcher::Boolean => matches!(s, "true" | "false" | "1" | "0"),
        Matcher::Pattern(p) => p.is_match(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::matcher::matcher;
    use crate::case::template::Template;
    use crate::clock::{Clock, TimeFormat};
    use crate::plan::EqualsCheck;
    use crate::target::outcome::{DfdgError, Failure};
    use serde_json::json;
    use std::collections::BTreeMap;

    fn ctx_ids() -> BTreeMap<String, String> {
        BTreeMap::from([("iv".to_string(), "abc".to_string())])
    }

    fn clock() -> Clock {
        Clock::parse_rfc3339("2026-11-24T10:00:00+01:00").unwrap()
    }

    fn err(codes: &[u32]) -> Outcome {
        Outcome::DfdgError {
            status: 400,
            errors: codes
                .iter()
                .map(|c| DfdgError {
                    code: *c,
                    text: None,
                })
                .collect(),
        }
    }

    #[test]
    fn error_codes_must_match_as_a_set() {
        let ids = ctx_ids();
        let mut ctx = Context::new(clock(), None, &ids);
        let one = Expect::Codes(vec![4653]);
        assert_eq!(judge(&one, &err(&[4653]), &mut ctx), Verdict::Pass);
        assert_eq!(judge(&one, &err(&[4653, 4653]), &mut ctx), Verdict::Pass);
        assert!(matches!(
            judge(&one, &err(&[4653, 4657]), &mut ctx),
            Verdict::Fail { .. }
        ));
        assert!(matches!(
            judge(&one, &err(&[4657]), &mut ctx),
            Verdict::Fail { .. }
        ));
        let two = Expect::Codes(vec![4669, 9393]);
        assert_eq!(judge(&two, &err(&[9393, 4669]), &mut ctx), Verdict::Pass);
        let success = Outcome::Success {
            status: 200,
            body: Value::Null,
        };
        match judge(&one, &success, &mut ctx) {
            Verdict::Fail { reason } => {
                assert_eq!(reason, "expected error 4653, got success (HTTP 200)")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn statuses_and_transport_failures() {
        let ids = ctx_ids();
        let mut ctx = Context::new(clock(), None, &ids);
        let s412 = Expect::Status(412);
        let bare = |status| Outcome::HttpStatus {
            status,
            body: String::new(),
        };
        assert_eq!(judge(&s412, &bare(412), &mut ctx), Verdict::Pass);
        assert!(matches!(
            judge(&s412, &bare(400), &mut ctx),
            Verdict::Fail { .. }
        ));
        assert!(matches!(
            judge(&s412, &err(&[1014]), &mut ctx),
            Verdict::Fail { .. }
        ));
        let timeout = Outcome::TransportFailure {
            failure: Failure::Timeout,
            detail: "10 s".into(),
        };
        assert!(matches!(
            judge(&s412, &timeout, &mut ctx),
            Verdict::Error { .. }
        ));
        assert!(matches!(
            judge(&Expect::Success(vec![]), &timeout, &mut ctx),
            Verdict::Error { .. }
        ));
        let html500 = Outcome::HttpStatus {
            status: 500,
            body: "<html>\n<title>Internal Server Error</title></html>".into(),
        };
        match judge(&Expect::Codes(vec![4653]), &html500, &mut ctx) {
            Verdict::Error { reason } => assert_eq!(
                reason,
                "the target failed: HTTP 500 without a DFDG error (`<html> <title>Internal Server Error</title></html>`), expected error 4653"
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            judge(&Expect::Status(503), &bare(503), &mut ctx),
            Verdict::Pass,
            "a case may expect a server error"
        );
    }

    #[test]
    fn success_field_checks() {
        let ids = ctx_ids();
        let mut ctx = Context::new(clock(), None, &ids);
        let check = |path: &str, c: CompiledCheck| PlannedCheck {
            path: path.into(),
            segments: path.split('/').map(str::to_string).collect(),
            check: c,
            typed: false,
        };
        let eq = |s: &str| text_eq(s);
        let body = json!({
            "ServiceReceipt": { "MessageIdentifier": "6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10", "EventDate": "2026-11-24T09:00:00Z" },
            "items": [ { "n": 1 }, { "n": 2 } ],
            "id": "abc",
            "nothing": null
        });
        let ok = Outcome::Success {
            status: 200,
            body: body.clone(),
        };
        let all = Expect::Success(vec![
            check(
                "ServiceReceipt/MessageIdentifier",
                CompiledCheck::Matches(matcher("guid").unwrap()),
            ),
            check("ServiceReceipt/EventDate", eq("2026-11-24T10:00:00+01:00")),
            check(
                "ServiceReceipt/EventDate",
                CompiledCheck::Matches(matcher("datetime").unwrap()),
            ),
            check("items", CompiledCheck::Count(2)),
            check("items/1/n", eq("2")),
            check("id", eq("${ids.iv}")),
            check("nothing", CompiledCheck::Present(false)),
            check("id", CompiledCheck::Matches(matcher("[a-c]{3}").unwrap())),
        ]);
        assert_eq!(judge(&all, &ok, &mut ctx), Verdict::Pass);
        let wrong = Expect::Success(vec![
            check("items", CompiledCheck::Count(3)),
            check("id", eq("abd")),
            check("absent", CompiledCheck::Present(true)),
            check("id", CompiledCheck::Matches(matcher("guid").unwrap())),
            check("absent", CompiledCheck::Count(0)),
        ]);
        match judge(&wrong, &ok, &mut ctx) {
            Verdict::Fail { reason } => {
                assert!(
                    reason.contains("`items` has 2 item(s), expected 3"),
                    "{reason}"
                );
                assert!(reason.contains("`id` is `abc`, expected `abd`"), "{reason}");
                assert!(reason.contains("`absent` is absent"), "{reason}");
                assert!(reason.contains("not a guid"), "{reason}");
                assert!(
                    reason.contains("`absent` is absent, and so is the element that holds it; expected 0 item(s)")
                        || reason.contains("`absent` is absent, expected 0 item(s)"),
                    "count wants the collection present: {reason}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            judge(&Expect::Success(vec![]), &err(&[1]), &mut ctx),
            Verdict::Fail { .. }
        ));
    }

    fn text_eq(s: &str) -> CompiledCheck {
        let template = Template::parse(s).unwrap();
        let value = if template.is_integer_placeholder() {
            EqualsType::Integer
        } else {
            EqualsType::Text
        };
        CompiledCheck::Equals(EqualsCheck {
            template,
            format: TimeFormat::Natural,
            value,
        })
    }

    fn typed(path: &str, c: CompiledCheck) -> PlannedCheck {
        PlannedCheck {
            path: path.into(),
            segments: path.split('/').map(str::to_string).collect(),
            check: c,
            typed: true,
        }
    }

    fn typed_eq(source: &str, value: EqualsType) -> CompiledCheck {
        CompiledCheck::Equals(EqualsCheck {
            template: Template::parse(source).unwrap(),
            format: TimeFormat::Natural,
            value,
        })
    }

    fn reasons(checks: Vec<PlannedCheck>, body: Value) -> String {
        let ids = ctx_ids();
        let mut ctx = Context::new(clock(), None, &ids);
        let ok = Outcome::Success { status: 200, body };
        match judge(&Expect::Success(checks), &ok, &mut ctx) {
            Verdict::Pass => String::new(),
            Verdict::Fail { reason } => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn equals_compares_json_types_over_rest() {
        let body = json!({"n": 2, "s": "2", "b": true, "f": 2.0});
        let int = |p: &str| typed(p, typed_eq("2", EqualsType::Integer));
        let text = |p: &str| typed(p, typed_eq("2", EqualsType::Text));
        let string = |p: &str| typed(p, typed_eq("2", EqualsType::String));
        assert_eq!(
            reasons(
                vec![int("n"), int("f"), text("s"), string("s")],
                body.clone()
            ),
            ""
        );
        let r = reasons(vec![int("s")], body.clone());
        assert!(
            r.contains("`s` is the string \"2\", expected the number `2`"),
            "{r}"
        );
        let r = reasons(vec![text("n")], body.clone());
        assert!(
            r.contains("`n` is the number 2, expected the string `2`"),
            "{r}"
        );
        let r = reasons(vec![string("n")], body.clone());
        assert!(r.contains("expected the string `2`"), "{r}");
        let r = reasons(
            vec![typed("b", typed_eq("true", EqualsType::Text))],
            body.clone(),
        );
        assert!(
            r.contains("`b` is the boolean true, expected the string `true`"),
            "{r}"
        );
        assert_eq!(
            reasons(
                vec![typed("b", typed_eq("true", EqualsType::Boolean))],
                body
            ),
            ""
        );
    }

    #[test]
    fn count_wants_the_collection_and_absent_is_not_empty() {
        let rest = json!({"list": [], "empty": "", "zero": 0, "obj": {}});
        assert_eq!(
            reasons(
                vec![
                    typed("list", CompiledCheck::Count(0)),
                    typed("list", CompiledCheck::Present(true)),
                    typed("empty", CompiledCheck::Present(true)),
                    typed("zero", CompiledCheck::Present(true)),
                    typed("obj", CompiledCheck::Present(true)),
                    typed("gone", CompiledCheck::Present(false)),
                ],
                rest.clone()
            ),
            ""
        );
        let r = reasons(vec![typed("gone", CompiledCheck::Count(0))], rest.clone());
        assert_eq!(r, "success, but `gone` is absent, expected 0 item(s)");
        let r = reasons(vec![typed("list", CompiledCheck::Present(false))], rest);
        assert!(r.contains("`list` is present ([])"), "{r}");
        assert_eq!(
            reasons(vec![typed("list", CompiledCheck::Count(0))], Value::Null),
            "success, but `list` is absent, expected 0 item(s)",
            "an empty answer holds no collection"
        );
        // SOAP writes zero items as no elements; the element holding them must be there.
        let soap = |path: &str| PlannedCheck {
            typed: false,
            ..typed(path, CompiledCheck::Count(0))
        };
        assert_eq!(reasons(vec![soap("Coll/Item")], json!({"Coll": ""})), "");
        let r = reasons(vec![soap("Coll/Item")], json!({}));
        assert!(r.contains("and so is the element that holds it"), "{r}");
    }

    #[test]
    fn kinds() {
        let m = |k: &str| matcher(k).unwrap();
        assert!(matches(&m("date"), "2025-07-01"));
        assert!(matches(&m("date"), "2025-07-01+02:00"));
        assert!(!matches(&m("date"), "2025-7-1"));
        assert!(matches(&m("datetime"), "2025-07-01T10:00:00"));
        assert!(matches(&m("datetime"), "2025-07-01T10:00:00.123+02:00"));
        assert!(!matches(&m("datetime"), "2025-07-01"));
        assert!(matches(&m("integer"), "-12"));
        assert!(!matches(&m("integer"), "1.5"));
        assert!(matches(&m("boolean"), "true"));
        assert!(!matches(&m("guid"), "not-a-guid"));
    }

    #[test]
    fn a_failure_only_under_an_undeclared_default_is_inconclusive() {
        let ids = ctx_ids();
        let mut ctx = Context::new(clock(), None, &ids);
        let expect = Expect::ByReading {
            reading: "cpr-pattern-code".into(),
            default: "1001".into(),
            alternatives: vec![
                ("1001".into(), Expect::Codes(vec![1001])),
                ("1014".into(), Expect::Codes(vec![1014])),
            ],
        };
        let answer = err(&[1014]);
        // Undeclared: the default fails, 1014 would pass.
        match judge_under(&expect, &answer, &mut ctx, &Statement::default()) {
            Verdict::Inconclusive {
                reading,
                alternative,
                reason,
            } => {
                assert_eq!(
                    (reading.as_str(), alternative.as_str()),
                    ("cpr-pattern-code", "1014")
                );
                assert!(reason.contains("konform's default"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // Declared: the declared alternative decides, either way.
        let declared = Statement::declaring("cpr-pattern-code", "1014");
        assert_eq!(
            judge_under(&expect, &answer, &mut ctx, &declared),
            Verdict::Pass
        );
        let declared = Statement::declaring("cpr-pattern-code", "1001");
        assert!(matches!(
            judge_under(&expect, &answer, &mut ctx, &declared),
            Verdict::Fail { reason } if reason.contains("as the implementation statement declares")
        ));
        // An answer no alternative takes fails, declared or not.
        assert!(matches!(
            judge_under(&expect, &err(&[4404]), &mut ctx, &Statement::default()),
            Verdict::Fail { .. }
        ));
        // A refusal is met by any DFDG error or 4xx, not by a success.
        assert_eq!(
            judge(&Expect::Refused, &err(&[4404]), &mut ctx),
            Verdict::Pass
        );
        assert!(matches!(
            judge(
                &Expect::Refused,
                &Outcome::Success {
                    status: 200,
                    body: json!({})
                },
                &mut ctx
            ),
            Verdict::Fail { .. }
        ));
    }
}
