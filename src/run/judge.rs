//! The verdict of one answer against a case's expectation. Nothing passes by default: a DFDG
//! error passes only when its set of codes equals the expected set, a status only when equal,
//! a success only when the answer is a 2xx success and every field check holds. The main entry
//! point is [`judge`].

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::result::Verdict;
use crate::case::matcher::Matcher;
use crate::case::template::Context;
use crate::plan::{CompiledCheck, Expect, PlannedCheck};
use crate::target::Outcome;

/// Judges an outcome.
pub fn judge(expect: &Expect, outcome: &Outcome, ctx: &mut Context<'_>) -> Verdict {
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
            let status = match outcome {
                Outcome::Success { status, .. }
                | Outcome::DfdgError { status, .. }
                | Outcome::HttpStatus { status, .. } => *status,
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
                    .filter_map(|c| check(c, body, ctx).err())
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

fn check(c: &PlannedCheck, body: &Value, ctx: &mut Context<'_>) -> Result<(), String> {
    let found = lookup(body, &c.segments).filter(|v| !v.is_null());
    let path = &c.path;
    match &c.check {
        CompiledCheck::Present(true) => found
            .map(|_| ())
            .ok_or_else(|| format!("`{path}` is absent")),
        CompiledCheck::Present(false) => match found {
            None => Ok(()),
            Some(v) => Err(format!("`{path}` is present ({})", short(v))),
        },
        CompiledCheck::Count(n) => {
            let count = match found {
                None => 0,
                Some(Value::Array(items)) => items.len(),
                Some(_) => 1,
            };
            if count == *n {
                Ok(())
            } else {
                Err(format!("`{path}` has {count} item(s), expected {n}"))
            }
        }
        CompiledCheck::Equals(t, format) => {
            let expected = t
                .render(ctx, *format)
                .map_err(|e| format!("`{path}`: {e}"))?;
            let Some(v) = found else {
                return Err(format!("`{path}` is absent, expected `{expected}`"));
            };
            let actual = scalar(v)
                .ok_or_else(|| format!("`{path}` is not a single value ({})", short(v)))?;
            if actual == expected || same_instant(&actual, &expected) {
                Ok(())
            } else {
                Err(format!("`{path}` is `{actual}`, expected `{expected}`"))
            }
        }
        CompiledCheck::Matches(m) => {
            let Some(v) = found else {
                return Err(format!("`{path}` is absent"));
            };
            let actual = scalar(v)
                .ok_or_else(|| format!("`{path}` is not a single value ({})", short(v)))?;
            if matches(m, &actual) {
                Ok(())
            } else {
                Err(format!(
                    "`{path}` is `{actual}`, which is not {}",
                    matcher_name(m)
                ))
            }
        }
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
        };
        let eq = |s: &str| CompiledCheck::Equals(Template::parse(s).unwrap(), TimeFormat::Natural);
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
            check("absent", CompiledCheck::Count(0)),
            check("id", CompiledCheck::Matches(matcher("[a-c]{3}").unwrap())),
        ]);
        assert_eq!(judge(&all, &ok, &mut ctx), Verdict::Pass);
        let wrong = Expect::Success(vec![
            check("items", CompiledCheck::Count(3)),
            check("id", eq("abd")),
            check("absent", CompiledCheck::Present(true)),
            check("id", CompiledCheck::Matches(matcher("guid").unwrap())),
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
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            judge(&Expect::Success(vec![]), &err(&[1]), &mut ctx),
            Verdict::Fail { .. }
        ));
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
}
