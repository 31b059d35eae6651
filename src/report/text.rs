//! Words shared by the reporters: an outcome in one line, an exchange as plain text, a body
//! pretty-printed (JSON and XML), a duration, and the details of a case that did not pass
//! ([`details`]). No markup here; each reporter escapes for its own format.

use std::fmt::Write as _;

use crate::run::filter::qualified_id;
use crate::run::result::{CaseResult, Counts, MethodVerdict, Verdict};
use crate::target::outcome::{Exchange, Outcome};

/// An outcome in words, to stand beside the expectation (`error 4653`, `success`, `HTTP 412`).
pub fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Success { status, .. } => format!("success (HTTP {status})"),
        Outcome::DfdgError { status, errors } => {
            let mut codes: Vec<String> = errors.iter().map(|e| e.code.to_string()).collect();
            codes.sort();
            let noun = if errors.len() == 1 { "error" } else { "errors" };
            let texts: Vec<&str> = errors.iter().filter_map(|e| e.text.as_deref()).collect();
            if texts.is_empty() {
                format!("{noun} {} (HTTP {status})", codes.join(", "))
            } else {
                format!(
                    "{noun} {} (HTTP {status}): {}",
                    codes.join(", "),
                    texts.join(" | ")
                )
            }
        }
        Outcome::HttpStatus { status, .. } => format!("HTTP {status}"),
        Outcome::TransportFailure { failure, detail } => {
            format!("no answer: {} ({detail})", failure.describe())
        }
    }
}

/// The outcome of a case, or what stood in for it.
pub fn outcome_or_none(o: Option<&Outcome>) -> String {
    match o {
        Some(o) => outcome(o),
        None => "no answer recorded".to_string(),
    }
}

/// The label of a case verdict, as reports show it.
pub fn verdict_label(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail { .. } => "fail",
        Verdict::Error { .. } => "error",
        Verdict::NotApplicable { .. } => "n/a",
        Verdict::Inconclusive { .. } => "inconclusive",
    }
}

/// The label of a method verdict, as reports show it.
pub fn method_verdict_label(verdict: MethodVerdict) -> &'static str {
    match verdict {
        MethodVerdict::Conformant => "conformant",
        MethodVerdict::NotConformant => "not conformant",
        MethodVerdict::Incomplete => "incomplete",
        MethodVerdict::NotApplicable => "not applicable",
        MethodVerdict::Inconclusive => "inconclusive",
    }
}

/// `3 pass, 1 fail, 0 error, 2 n/a`.
pub fn counts(c: &Counts) -> String {
    let inconclusive = if c.inconclusive > 0 {
        format!(", {} inconclusive", c.inconclusive)
    } else {
        String::new()
    };
    format!(
        "{} pass, {} fail, {} error, {} n/a{inconclusive}",
        c.pass, c.fail, c.error, c.not_applicable
    )
}

/// A body for reading: JSON and XML pretty-printed, anything else (or anything that does
/// not parse) as it came.
pub fn pretty_body(body: &str) -> String {
    let trimmed = body.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(body)
        && let Ok(s) = serde_json::to_string_pretty(&v)
    {
        return s;
    }
    if trimmed.starts_with('<')
        && let Some(s) = pretty_xml(trimmed)
    {
        return s;
    }
    body.to_string()
}

/// XML indented by two spaces per level; `None` when it does not parse.
fn pretty_xml(xml: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut writer = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => writer.write_event(event).ok()?,
            Err(_) => return None,
        }
    }
    String::from_utf8(writer.into_inner()).ok()
}

/// The first line of `s`, cut to `max` characters, with `…` where anything was left out.
pub fn one_line(s: &str, max: usize) -> String {
    let first = s.lines().next().unwrap_or("");
    if first.chars().count() > max {
        let cut: String = first.chars().take(max).collect();
        format!("{cut}…")
    } else if s.lines().nth(1).is_some() {
        format!("{first} …")
    } else {
        first.to_string()
    }
}

/// How much of a case [`details`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Bodies on one line, cut (the terminal).
    Short,
    /// Bodies whole and pretty-printed (JUnit, HTML).
    Full,
}

/// What a test engineer needs of a case that did not pass, as `label: value` lines: the case
/// and its file:line, the caller, the expectation and its grounds, the request and the
/// answer, the reason, and how to run it again.
pub fn details(case: &CaseResult, detail: Detail) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("case", qualified_id(&case.service, &case.id)),
        ("file", case.origin.clone()),
    ];
    if let Some(caller) = &case.caller {
        out.push(("caller", caller.to_string()));
    }
    out.push(("expected", case.expected.clone()));
    // The document lines and overlay entries the expectation rests on, one per line; said
    // outright when a failing verdict has none.
    for g in &case.grounds {
        out.push(("grounds", g.cite()));
    }
    if case.grounds.is_empty() && matches!(case.verdict, Verdict::Fail { .. }) {
        out.push(("grounds", "none recorded".to_string()));
    }
    out.push(("actual", outcome_or_none(case.outcome.as_ref())));
    if let Some(reason) = case.verdict.reason() {
        out.push(("reason", reason.to_string()));
    }
    // Each way the answer departs from the spec: the path, what the spec says, what came back.
    for m in &case.mismatches {
        out.push(("mismatch", m.to_string()));
    }
    if let Some(last) = case.exchanges.last() {
        let r = &last.request;
        let mut request = format!("{} {}", r.method, r.url);
        let mut answer = match &last.response {
            Some(a) => format!("HTTP {}", a.status),
            None => "(no response)".to_string(),
        };
        match detail {
            Detail::Short => {
                if !r.body.is_empty() {
                    request = format!("{request} {}", one_line(&squeeze(&r.body), 160));
                }
                if let Some(a) = last.response.as_ref().filter(|a| !a.body.is_empty()) {
                    answer = format!("{answer} {}", one_line(&squeeze(&a.body), 160));
                }
            }
            Detail::Full => {
                request = request_text(last).trim_end().to_string();
                answer = response(last).trim_end().to_string();
            }
        }
        out.push(("request", request));
        out.push(("answer", answer));
    }
    if let Some(r) = &case.reproduce {
        out.push(("rerun", r.konform.clone()));
        if !r.curl.is_empty() {
            out.push(("curl", r.curl.join("\n")));
        }
    }
    out
}

/// [`details`] as text, each value's further lines indented under the first.
pub fn details_text(case: &CaseResult, detail: Detail, indent: &str) -> String {
    let mut out = String::new();
    for (label, value) in details(case, detail) {
        let mut lines = value.lines();
        let _ = writeln!(out, "{indent}{label:<9} {}", lines.next().unwrap_or(""));
        for line in lines {
            let _ = writeln!(out, "{indent}          {line}");
        }
    }
    out
}

/// Whitespace runs (newlines included) as one space.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The request line and headers of an exchange's request, then its body.
pub fn request(exchange: &Exchange) -> String {
    request_text(exchange)
}

fn request_text(exchange: &Exchange) -> String {
    let r = &exchange.request;
    let mut out = format!("{} {}\n", r.method, r.url);
    for (name, value) in &r.headers {
        let _ = writeln!(out, "{name}: {value}");
    }
    if !r.body.is_empty() {
        out.push('\n');
        out.push_str(&pretty_body(&r.body));
        out.push('\n');
    }
    out
}

/// The status line and headers of an exchange's response, then its body.
pub fn response(exchange: &Exchange) -> String {
    match &exchange.response {
        None => "(no response)\n".to_string(),
        Some(r) => {
            let mut out = format!("HTTP {}\n", r.status);
            for (name, value) in &r.headers {
                let _ = writeln!(out, "{name}: {value}");
            }
            if !r.body.is_empty() {
                out.push('\n');
                out.push_str(&pretty_body(&r.body));
                out.push('\n');
            }
            if r.truncated {
                out.push_str("(body truncated for the report)\n");
            }
            out
        }
    }
}

/// Every exchange of a case as plain text: setup calls first, the case's request last.
pub fn exchanges(exchanges: &[Exchange]) -> String {
    let mut out = String::new();
    for (i, e) in exchanges.iter().enumerate() {
        let role = if i + 1 == exchanges.len() {
            "request"
        } else {
            "setup"
        };
        let _ = writeln!(out, "--- {} ({role}) ---", i + 1);
        out.push_str(&request(e));
        out.push_str("--- response ---\n");
        out.push_str(&response(e));
    }
    out
}

/// Milliseconds for people: `850 ms`, `1.2 s`, `2 min 5 s`.
pub fn duration_ms(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "?".to_string();
    }
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 60_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        let s = (ms / 1000.0).round() as u64;
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// The wall time between two RFC 3339 instants, in milliseconds, if both read.
pub fn elapsed_ms(started: &str, finished: &str) -> Option<f64> {
    let a = chrono::DateTime::parse_from_rfc3339(started).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(finished).ok()?;
    let ms = (b - a).num_milliseconds();
    (ms >= 0).then_some(ms as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::outcome::DfdgError;

    #[test]
    fn outcomes_in_words() {
        let o = Outcome::DfdgError {
            status: 400,
            errors: vec![
                DfdgError {
                    code: 4654,
                    text: Some("b".into()),
                },
                DfdgError {
                    code: 4653,
                    text: None,
                },
            ],
        };
        assert_eq!(outcome(&o), "errors 4653, 4654 (HTTP 400): b");
        assert_eq!(
            outcome(&Outcome::HttpStatus {
                status: 412,
                body: String::new()
            }),
            "HTTP 412"
        );
        assert_eq!(duration_ms(850.2), "850 ms");
        assert_eq!(duration_ms(1260.0), "1.3 s");
        assert_eq!(duration_ms(125_000.0), "2 min 5 s");
        assert_eq!(
            elapsed_ms("2026-11-24T10:00:00+01:00", "2026-11-24T10:00:01.5+01:00"),
            Some(1500.0)
        );
    }
}
